"""Helpers and labels for the built-in rules, transcribed from ``shared/domain/rules-reference.md``.

Statuses follow the reference: VERIFIED → verified, VERIFIED-2 → secondary, RECALLED or not
found → assumed. A value carried from an older document into a newer one whose text was not
retrieved becomes assumed, with a note saying so (caveat 1 of the reference). Citations name the
document the value was read in; the note says where it is carried from.
"""

from __future__ import annotations

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.rules.rule import Alternative, RulesetRule, RuleValue
from discipline_flow.time.period import Period, Unit

V = RuleStatus.VERIFIED
S = RuleStatus.SECONDARY
A = RuleStatus.ASSUMED

CHARTER = "Điều lệ Đảng (2011)"
QD22 = "QĐ 22-QĐ/TW"
QD296 = "QĐ 296-QĐ/TW"
QD21 = "QĐ 21-QĐ/TW"
QD69 = "QĐ 69-QĐ/TW"


def days(amount: int) -> Period:
    return Period(amount, Unit.CALENDAR_DAYS)


def working_days(amount: int) -> Period:
    return Period(amount, Unit.WORKING_DAYS)


def months(amount: int) -> Period:
    return Period(amount, Unit.MONTHS)


def years(amount: int) -> Period:
    return Period(amount, Unit.YEARS)


def cite(
    document: str,
    article: str | None,
    status: RuleStatus,
    source: str | None = None,
    note: str | None = None,
) -> Citation:
    return Citation(document, article, status, source=source, note=note)


#: key → (English label, Vietnamese label). The same keys exist in every built-in ruleset.
LABELS: dict[str, tuple[str, str]] = {
    # measures
    "member_measures": (
        "Disciplinary measures for full members",
        "Hình thức kỷ luật đảng viên chính thức",
    ),
    "probationary_member_measures": (
        "Disciplinary measures for probationary members",
        "Hình thức kỷ luật đảng viên dự bị",
    ),
    "organisation_measures": (
        "Disciplinary measures for party organisations",
        "Hình thức kỷ luật tổ chức đảng",
    ),
    # voting
    "discipline_vote_majority": (
        "Share of full members (or body members) that must be exceeded to decide discipline",
        "Biểu quyết quyết định kỷ luật: trên một nửa",
    ),
    "expulsion_proposal_majority": (
        "Share of the cell's full members that must at least agree to propose expulsion",
        "Biểu quyết đề nghị khai trừ: ít nhất hai phần ba đảng viên chính thức của chi bộ",
    ),
    "dissolution_vote_majority": (
        "Share of body members that must be exceeded to decide dissolution",
        "Biểu quyết giải tán tổ chức đảng",
    ),
    "central_committee_secret_ballot": (
        "The Central Committee votes on discipline by secret ballot",
        "Ban Chấp hành Trung ương biểu quyết bằng phiếu kín",
    ),
    "secret_ballot_required": (
        "Every disciplinary vote must be a secret ballot",
        "Mọi biểu quyết kỷ luật bằng phiếu kín",
    ),
    "subject_excluded_from_vote": (
        "The subject does not vote on their own case",
        "Đảng viên vi phạm không biểu quyết về việc của mình",
    ),
    # complaints
    "complaint_window": (
        "Window to file a complaint about discipline",
        "Thời hạn khiếu nại kỷ luật đảng",
    ),
    "complaint_resolution_period_provincial": (
        "Time to resolve a discipline complaint (provincial level and below)",
        "Thời hạn giải quyết khiếu nại kỷ luật (cấp tỉnh trở xuống)",
    ),
    "complaint_resolution_period_central": (
        "Time to resolve a discipline complaint (central level)",
        "Thời hạn giải quyết khiếu nại kỷ luật (cấp Trung ương)",
    ),
    "complaint_not_accepted_grounds": (
        "Grounds on which a complaint is not accepted",
        "Các trường hợp không thụ lý giải quyết khiếu nại",
    ),
    "decision_stays_in_force_during_complaint": (
        "The decision stays in force while a complaint is pending",
        "Trong thời gian chờ giải quyết khiếu nại phải chấp hành quyết định kỷ luật",
    ),
    # denunciations
    "denunciation_resolution_period": (
        "Time to resolve a denunciation (grassroots level and party cell)",
        "Thời hạn giải quyết tố cáo (cấp cơ sở, chi bộ)",
    ),
    "denunciation_resolution_extension": (
        "Extension of the time to resolve a denunciation (grassroots level and party cell)",
        "Gia hạn giải quyết tố cáo (cấp cơ sở, chi bộ)",
    ),
    "denunciation_resolution_period_central_cadres": (
        "Time to resolve a denunciation against centrally managed cadres",
        "Thời hạn giải quyết tố cáo đối với cán bộ thuộc diện Trung ương quản lý",
    ),
    "denunciation_resolution_extension_central_cadres": (
        "Extension for a denunciation against centrally managed cadres",
        "Gia hạn giải quyết tố cáo đối với cán bộ thuộc diện Trung ương quản lý",
    ),
    # suspension
    "suspension_period": (
        "Suspension of a member's party activity",
        "Thời hạn đình chỉ sinh hoạt đảng",
    ),
    "suspension_extension_limit": (
        "Longest extension of a member's suspension",
        "Thời hạn gia hạn đình chỉ sinh hoạt đảng tối đa",
    ),
    "suspension_total_limit": (
        "Longest suspension of a member, extensions included",
        "Tổng thời hạn đình chỉ sinh hoạt đảng tối đa (kể cả gia hạn)",
    ),
    "suspension_single_extension": (
        "A member's suspension may be extended only once",
        "Chỉ được gia hạn đình chỉ sinh hoạt đảng một lần",
    ),
    "organisation_suspension_period": (
        "Suspension of a party organisation's activity",
        "Thời hạn đình chỉ hoạt động của tổ chức đảng",
    ),
    "organisation_suspension_extension_limit": (
        "Longest extension of an organisation's suspension",
        "Thời hạn gia hạn đình chỉ hoạt động tổ chức đảng tối đa",
    ),
    "suspension_follows_legal_measure": (
        "A member charged, prosecuted or detained is suspended as long as the legal measure",
        "Đình chỉ theo thời hạn của biện pháp tố tụng, kể cả gia hạn",
    ),
    "legal_agency_notification_period": (
        "Legal agency notifies the party of a charge, detention, prosecution or trial",
        "Cơ quan bảo vệ pháp luật thông báo cho tổ chức đảng",
    ),
    # after discipline
    "administrative_follow_up_period": (
        "Party directs administrative or other handling after party discipline",
        "Chỉ đạo, đề nghị xử lý kỷ luật hành chính, đoàn thể sau kỷ luật đảng",
    ),
    "state_notification_period": (
        "State and front bodies notify the party of their discipline of a member",
        "Cơ quan nhà nước, Mặt trận, đoàn thể thông báo cho tổ chức đảng",
    ),
    "end_of_effect_period": (
        "A disciplinary decision ends its effect after",
        "Quyết định kỷ luật đương nhiên chấm dứt hiệu lực sau",
    ),
    "cell_decision_takes_effect": (
        "When a party cell's disciplinary decision takes effect",
        "Thời điểm quyết định kỷ luật của chi bộ có hiệu lực",
    ),
    "decision_takes_effect": (
        "When another body's disciplinary decision takes effect",
        "Thời điểm quyết định kỷ luật có hiệu lực",
    ),
    "deferral_reasons": (
        "Reasons to defer considering a member's discipline",
        "Các trường hợp chưa xem xét, xử lý kỷ luật",
    ),
    # limitation
    "limitation_period_reprimand": (
        "Limitation period for violations warranting a reprimand",
        "Thời hiệu xử lý kỷ luật: vi phạm đến mức khiển trách",
    ),
    "limitation_period_warning": (
        "Limitation period for violations warranting a warning",
        "Thời hiệu xử lý kỷ luật: vi phạm đến mức cảnh cáo",
    ),
    "limitation_period_removal_from_post": (
        "Limitation period for violations warranting removal from post (members)",
        "Thời hiệu xử lý kỷ luật: vi phạm đến mức cách chức",
    ),
    "no_limitation_cases": (
        "Violations to which no limitation period applies",
        "Các trường hợp không áp dụng thời hiệu",
    ),
    "limitation_restarts_on_new_violation": (
        "A new violation restarts the limitation period of an earlier one",
        "Vi phạm mới thì thời hiệu đối với vi phạm cũ được tính lại",
    ),
    "limitation_excludes_deferral_time": (
        "Time while discipline is deferred does not count towards the limitation period",
        "Thời gian chưa xem xét kỷ luật không tính vào thời hiệu",
    ),
    "limitation_counted_until": (
        "The limitation period runs until",
        "Thời hiệu được tính đến thời điểm",
    ),
    # supervision
    "thematic_supervision_period_central": (
        "Thematic supervision at central level",
        "Thời gian giám sát chuyên đề cấp Trung ương",
    ),
    "thematic_supervision_period_provincial": (
        "Thematic supervision at provincial level",
        "Thời gian giám sát chuyên đề cấp tỉnh",
    ),
    "thematic_supervision_period_district": (
        "Thematic supervision at district level",
        "Thời gian giám sát chuyên đề cấp huyện",
    ),
    "thematic_supervision_period_grassroots": (
        "Thematic supervision at grassroots level",
        "Thời gian giám sát chuyên đề cấp cơ sở",
    ),
    "thematic_supervision_extension_share": (
        "Longest extension of thematic supervision, as a share of its period",
        "Gia hạn giám sát chuyên đề tối đa",
    ),
    # membership
    "probation_period": (
        "Probation of a new member",
        "Thời kỳ dự bị",
    ),
    "probation_review_period": (
        "The cell decides on a probationary member after the probation ends",
        "Chi bộ xét công nhận đảng viên chính thức sau khi hết thời kỳ dự bị",
    ),
    "removal_from_rolls_absence_period": (
        "Removal from the rolls: no activity or no dues, within a year",
        "Xóa tên: bỏ sinh hoạt hoặc không đóng đảng phí trong một năm",
    ),
    "removal_from_rolls_education_period": (
        "Removal from the rolls: no progress after the cell's education",
        "Xóa tên: chi bộ giáo dục nhưng không tiến bộ",
    ),
    "removal_from_rolls_violation_years": (
        "Removal from the rolls: member-standing violations in consecutive years",
        "Xóa tên: vi phạm tư cách đảng viên liên tiếp",
    ),
    "invitations_before_cell_proceeds": (
        "Invitations the cell executive sends before the cell proceeds without the member",
        "Số lần chi ủy mời trước khi chi bộ xem xét vắng mặt đảng viên",
    ),
}


def rule(
    key: str,
    value: RuleValue,
    citation: Citation,
    *,
    alternatives: tuple[Alternative, ...] = (),
    note: str | None = None,
) -> RulesetRule:
    label_en, label_vi = LABELS[key]
    return RulesetRule(
        key,
        value,
        label_en=label_en,
        label_vi=label_vi,
        citation=citation,
        alternatives=alternatives,
        note=note,
    )


def carry(rules: dict[str, RulesetRule], keys: tuple[str, ...], why: str) -> None:
    """Mark ``keys`` as carried over into a document whose text was not retrieved."""
    for key in keys:
        old = rules[key].citation
        note = why if old.note is None else f"{why}; {old.note}"
        rules[key] = attrs.evolve(rules[key], citation=attrs.evolve(old, status=A, note=note))
