"""The built-in rules of the QĐ 22-QĐ/TW era: the ``2021`` and ``2022`` rulesets."""

from __future__ import annotations

from fractions import Fraction

import attrs

from discipline_flow.rules._rule_labels import (
    CHARTER,
    QD21,
    QD22,
    QD69,
    QD296,
    A,
    V,
    cite,
    days,
    months,
    rule,
    working_days,
    years,
)
from discipline_flow.rules.rule import Alternative, RulesetRule

MEMBER_MEASURES = ("reprimand", "warning", "removal_from_post", "expulsion")
PROBATIONARY_MEASURES = ("reprimand", "warning")
ORGANISATION_MEASURES = ("reprimand", "warning", "dissolution")
DEFERRAL_REASONS = (
    "pregnant",
    "on_maternity_leave",
    "raising_child_under_12_months",
    "seriously_ill_in_hospital",
)
NOT_ACCEPTED_GROUNDS = (
    "filed_out_of_time",
    "being_resolved_by_higher_level_or_concluded_by_highest_competent_level",
    "sentenced_to_non_custodial_reform_or_heavier_and_judgment_not_annulled",
    "filed_on_behalf_of_another_person",
    "filed_before_receiving_the_written_decision",
    "refused_to_receive_the_decision",
    "moved_party_activity_outside_the_same_directly_higher_committee",
)
NO_LIMITATION_CASES = (
    "warrants_expulsion_or_dissolution",
    "internal_politics",
    "defence_security_or_foreign_affairs_harming_national_interests",
    "use_of_illegal_diplomas_or_certificates",
)

WINDOW_NOTE = (
    "Sources give one month (Charter), 30 working days (the party's official gloss of the "
    "Charter; 2011 guidance) and 30 days (QĐ 296 exam bank). The longest, 30 working days, is "
    "used so that no complaint filed in time under any reading is refused as late; it also "
    "rests on the Charter, which outranks regulations, and its status is verified."
)
WINDOW_MONTH = Alternative(
    months(1),
    cite(CHARTER, "Điều 39 khoản 7", V, "P-dcs-428680"),
    note="the Charter's own words: 'trong vòng một tháng, kể từ ngày nhận quyết định'",
)
WINDOW_30_DAYS = Alternative(
    days(30),
    cite(
        QD296,
        "Điều 25 khoản 1",
        A,
        "R-28300988406 Q31",
        note="one exam bank only (reference Update 2026-12 U.1: recalled); low confidence",
    ),
    note="the exam bank contrasts '30 ngày' with '30 ngày làm việc'",
)


def rules_qd22_qd102() -> dict[str, RulesetRule]:
    """The ``2021`` ruleset: QĐ 22-QĐ/TW with QĐ 102/QĐ 07 on violations (until 5/7/2022)."""
    rules = {r.key: r for r in _qd22_common()}
    qd102 = "QĐ 102-QĐ/TW"
    before_69 = (
        "QĐ 102-QĐ/TW (2017) governed until QĐ 69 took effect on 6/7/2022; its value was not "
        "retrieved and the QĐ 69 value is assumed"
    )
    for key, amount in (
        ("limitation_period_reprimand", 5),
        ("limitation_period_warning", 10),
        ("limitation_period_removal_from_post", 10),
    ):
        rules[key] = rule(key, years(amount), cite(qd102, None, A, None, note=before_69))
    rules["no_limitation_cases"] = rule(
        "no_limitation_cases",
        NO_LIMITATION_CASES,
        cite(qd102, None, V, "P-stdt-thoihieu", note="the same list as QĐ 69 Điều 4 khoản 2"),
    )
    rules["limitation_restarts_on_new_violation"] = rule(
        "limitation_restarts_on_new_violation",
        True,
        cite(qd102, None, A, None, note=before_69),
    )
    rules["limitation_excludes_deferral_time"] = rule(
        "limitation_excludes_deferral_time",
        True,
        cite(f"{qd102}; HD 04-HD/UBKTTW", None, V, "P-tuphap-ht", note="excerpt truncated"),
    )
    rules["limitation_counted_until"] = rule(
        "limitation_counted_until",
        "conclusion_that_discipline_is_warranted",
        cite("HD 02-HD/TW (2021)", None, V, "P-vietbao-hd02"),
        note="from the violation (the end of a continuing violation) until the competent body "
        "concludes that the violation warrants discipline",
    )
    rules["end_of_effect_period"] = rule(
        "end_of_effect_period",
        months(12),
        cite(
            "QĐ 30-QĐ/TW (2016)",
            "Điều 40 điểm 3.2",
            A,
            "P-hoidap-46CA8",
            note="'after one year' under QĐ 30, which QĐ 22 replaced on 28/7/2021; the rule in "
            "force until QĐ 69 (6/7/2022) was not retrieved",
        ),
        note=_END_OF_EFFECT_NOTE,
    )
    rules["denunciation_resolution_period_central_cadres"] = attrs.evolve(
        rules["denunciation_resolution_period_central_cadres"],
        citation=cite("QĐ 164-QĐ/TW", None, A, "P-lawnet-164", note=_BEFORE_164),
    )
    rules["denunciation_resolution_extension_central_cadres"] = attrs.evolve(
        rules["denunciation_resolution_extension_central_cadres"],
        citation=cite("QĐ 164-QĐ/TW", None, A, "P-lawnet-164", note=_BEFORE_164),
    )
    return rules


_BEFORE_164 = (
    "QĐ 164 took effect on 6/6/2024; before it QĐ 210-QĐ/TW (2013) applied, whose limits were "
    "not retrieved, and the QĐ 164 value is assumed"
)
_END_OF_EFFECT_NOTE = (
    "counted from the announcement of the decision or of the complaint-resolution decision; "
    "only if there is no complaint, repeat or new violation warranting discipline; never for "
    "expulsion or dissolution"
)


def rules_qd22_qd69() -> dict[str, RulesetRule]:
    """The ``2022`` ruleset: QĐ 22-QĐ/TW with QĐ 69-QĐ/TW (6/7/2022 to 29/5/2025)."""
    rules = {r.key: r for r in _qd22_common()}
    rules.update({r.key: r for r in qd69_rules()})
    return rules


def qd69_rules() -> tuple[RulesetRule, ...]:
    """Rules read in QĐ 69-QĐ/TW (2022), in force from 6/7/2022."""
    basis = "P-lawnet-113735; P-vinhcity"
    counted = (
        "from the violation (the end of a continuing violation) until the competent body "
        "concludes that the violation warrants discipline"
    )
    return (
        rule(
            "limitation_period_reprimand",
            years(5),
            cite(QD69, "Điều 4", V, basis),
            note="60 months; for members and organisations; " + counted,
        ),
        rule(
            "limitation_period_warning",
            years(10),
            cite(QD69, "Điều 4", V, basis),
            note="120 months; for members and organisations; " + counted,
        ),
        rule(
            "limitation_period_removal_from_post",
            years(10),
            cite(QD69, "Điều 4", V, basis),
            note="120 months; members only; " + counted,
        ),
        rule(
            "no_limitation_cases",
            NO_LIMITATION_CASES,
            cite(
                QD69,
                "Điều 4 khoản 2",
                V,
                "P-lawnet-113735; R-momsexam-expl",
                note="the illegal-diplomas item (members only) is cited as điểm b by secondary "
                "sources",
            ),
        ),
        rule(
            "limitation_restarts_on_new_violation",
            True,
            cite(QD69, "Điều 4", V, "P-lawnet-113735; P-congan-ht-35"),
            note="the period for the old violation runs again from the new violation",
        ),
        rule(
            "limitation_excludes_deferral_time",
            True,
            cite(
                "QĐ 102-QĐ/TW; HD 04-HD/UBKTTW",
                None,
                A,
                "P-tuphap-ht",
                note="stated for QĐ 102 (excerpt truncated); not retrieved for QĐ 69",
            ),
        ),
        rule(
            "limitation_counted_until",
            "conclusion_that_discipline_is_warranted",
            cite(QD69, "Điều 4", V, "P-lawnet-113735; P-vietbao-hd02"),
            note=counted,
        ),
        rule(
            "end_of_effect_period",
            months(12),
            cite(QD69, "Điều 2 khoản 5", V, "P-tvpl-49232"),
            note=_END_OF_EFFECT_NOTE,
        ),
    )


def _qd22_common() -> tuple[RulesetRule, ...]:
    """Rules of the QĐ 22-QĐ/TW era (28/7/2021 to 29/5/2025), before any QĐ 69 change."""
    qd22_11 = "QĐ 22's equivalent was not retrieved; the QĐ 296 value is assumed"
    suspension_basis = "P-hoidap-5A381; P-lawnet-119412"
    ngay = "plain 'ngày', read as calendar days (QĐ 30 had written 'ngày làm việc')"
    return (
        *measure_rules(note=None),
        rule(
            "discipline_vote_majority",
            Fraction(1, 2),
            cite(
                QD22,
                "Điều 15 khoản 3.1",
                V,
                "P-dongnai-vote; P-lawnet-102305",
                note="one page cites QĐ 69 Điều 15",
            ),
            note="strictly more than this share of the full members of the cell, or of the "
            "members of the deciding body, must agree",
        ),
        rule(
            "expulsion_proposal_majority",
            Fraction(2, 3),
            cite(QD22, "Điều 15 khoản 3.1", V, "P-dongnai-vote", note="one page cites QĐ 69"),
            note="at least this share of the cell's full members must agree to propose "
            "expulsion; the deciding body then needs more than half",
        ),
        rule(
            "dissolution_vote_majority",
            Fraction(1, 2),
            cite(
                QD22,
                "Điều 15",
                A,
                None,
                note="no source gives a threshold for dissolution; the general 'more than "
                "half' is assumed",
            ),
        ),
        rule(
            "central_committee_secret_ballot",
            True,
            cite(
                QD22,
                "Điều 22",
                V,
                "P-lawnet-102305; P-lawnet-262",
                note="stated for the Central Committee as final level (amended by QĐ 262 of "
                "3/2/2025)",
            ),
        ),
        rule(
            "secret_ballot_required",
            False,
            cite(
                QD22,
                "Điều 15",
                A,
                None,
                note="recalled that every disciplinary vote is secret; not verified, so not "
                "enforced by default: override to true to enforce",
            ),
        ),
        rule(
            "subject_excluded_from_vote",
            True,
            cite(QD22, None, A, None, note="not found in the sources; recalled practice"),
        ),
        rule(
            "complaint_window",
            working_days(30),
            cite(
                CHARTER,
                "Điều 39 khoản 7",
                V,
                "P-dcs-428680; P-tvpl-1993A",
                note="the party's official gloss of 'one month' as '30 ngày làm việc'; "
                "QĐ 46-QĐ/TW (2011) guidance also gave 30 working days",
            ),
            alternatives=(WINDOW_MONTH,),
            note=WINDOW_NOTE + " QĐ 22's own wording was not retrieved.",
        ),
        rule(
            "complaint_resolution_period_provincial",
            working_days(90),
            cite(
                "QĐ 30-QĐ/TW (2016)",
                "Điều 32 tiết 5.2.1",
                A,
                "P-tuhcm-39",
                note="verified for QĐ 30 only; that QĐ 22 kept it is recalled, not verified",
            ),
            note="from receipt of the complaint (handed in, or the postmark)",
        ),
        rule(
            "complaint_resolution_period_central",
            working_days(180),
            cite(
                "QĐ 30-QĐ/TW (2016)",
                "Điều 32 tiết 5.2.1",
                A,
                "P-tuhcm-39",
                note="verified for QĐ 30 only; that QĐ 22 kept it is recalled, not verified",
            ),
            note="from receipt of the complaint (handed in, or the postmark)",
        ),
        rule(
            "complaint_not_accepted_grounds",
            NOT_ACCEPTED_GROUNDS,
            cite(
                QD22,
                None,
                A,
                "R-28300988406 Q67",
                note="QĐ 22's article on complaints not accepted was not retrieved; the list of "
                "QĐ 296 Điều 23 (2025) is assumed to hold",
            ),
        ),
        rule(
            "decision_stays_in_force_during_complaint",
            True,
            cite(CHARTER, "Điều 39 khoản 9", V, "P-dcs-428680; P-lawnet-173613"),
            note="also QĐ 22 Điều 23",
        ),
        rule(
            "denunciation_resolution_period",
            working_days(90),
            cite(
                QD22,
                None,
                V,
                "P-stdt-tocao; P-ubkttw-tocao",
                note="a grassroots handbook's rule, probably reflecting QĐ 22 and HD 02-HD/TW; "
                "the basis is not printed",
            ),
            note="from receipt by the competent body (handed in, or the postmark)",
        ),
        rule(
            "denunciation_resolution_extension",
            working_days(30),
            cite(QD22, None, V, "P-stdt-tocao", note="grassroots handbook; basis not printed"),
            note="the denouncer is notified of the extension",
        ),
        rule(
            "denunciation_resolution_period_central_cadres",
            days(180),
            cite(
                "QĐ 164-QĐ/TW",
                None,
                V,
                "P-lawnet-164; P-vns-164",
                note="in force from 6/6/2024; before it QĐ 210-QĐ/TW (2013), not retrieved",
            ),
            note="from the decision establishing the team",
        ),
        rule(
            "denunciation_resolution_extension_central_cadres",
            days(60),
            cite(
                "QĐ 164-QĐ/TW",
                None,
                V,
                "P-lawnet-164; P-vns-164",
                note="in force from 6/6/2024; before it QĐ 210-QĐ/TW (2013), not retrieved",
            ),
        ),
        rule(
            "suspension_period",
            days(90),
            cite(QD22, "Điều 31 khoản 1", V, suspension_basis, note=ngay),
        ),
        rule(
            "suspension_extension_limit",
            days(90),
            cite(QD22, "Điều 31 khoản 1", V, suspension_basis, note=ngay),
            note="the 180-day total less the first 90 days",
        ),
        rule(
            "suspension_total_limit",
            days(180),
            cite(QD22, "Điều 31 khoản 1", V, suspension_basis, note=ngay),
        ),
        rule(
            "suspension_single_extension",
            False,
            cite(
                QD22,
                "Điều 31 khoản 1",
                A,
                suspension_basis,
                note="QĐ 22 caps only the total; no limit on the number of extensions was seen",
            ),
        ),
        rule(
            "organisation_suspension_period",
            days(90),
            cite(QD22, "Điều 31 khoản 1", V, suspension_basis, note=ngay),
        ),
        rule(
            "organisation_suspension_extension_limit",
            days(0),
            cite(QD22, "Điều 31 khoản 1", V, suspension_basis, note="'at most 90 days'"),
        ),
        rule(
            "suspension_follows_legal_measure",
            True,
            cite(QD22, "Điều 31 khoản 2", V, suspension_basis),
        ),
        rule(
            "legal_agency_notification_period",
            days(3),
            cite(QD22, "Điều 31 khoản 3", V, "P-hoidap-5A381"),
            note="immediately and at the latest within 3 days of the decision to charge, "
            "detain, prosecute or try, including extensions",
        ),
        rule(
            "administrative_follow_up_period",
            days(5),
            cite(QD296, "Điều 8 mục 5", A, "P-laodong-296", note=qd22_11),
        ),
        rule(
            "state_notification_period",
            days(5),
            cite(QD296, "Điều 8 mục 5", A, "P-qlnn-296", note=qd22_11),
        ),
        rule(
            "cell_decision_takes_effect",
            "on_vote_announced",
            cite(QD296, "Điều 15 khoản 2", A, "R-28300988406 Q27", note=qd22_11),
        ),
        rule(
            "decision_takes_effect",
            "on_signing",
            cite(
                QD21,
                None,
                A,
                "R-67295393334",
                note="not found for QĐ 22 or QĐ 296; the QĐ 21 (2026) wording is assumed",
            ),
        ),
        rule(
            "deferral_reasons",
            DEFERRAL_REASONS,
            cite(QD22, "Điều 9 khoản 7", V, "P-laocai-ubkt"),
        ),
        *_supervision_rules(),
        *_membership_rules(),
    )


def measure_rules(note: str | None) -> tuple[RulesetRule, ...]:
    sources = "P-tvpl-69; P-dongnai-vote; P-congan-ht-19; P-stdt-hinhthuc"
    repeated = "repeated in QĐ 22 Điều 10, QĐ 69 Điều 7, QĐ 296 Điều 9"
    if note:
        repeated = f"{repeated}; {note}"
    return (
        rule(
            "member_measures",
            MEMBER_MEASURES,
            cite(CHARTER, "Điều 35", V, sources, note=repeated),
            note="removal from post only for a member who holds a post",
        ),
        rule(
            "probationary_member_measures",
            PROBATIONARY_MEASURES,
            cite(CHARTER, "Điều 35", V, sources, note=repeated),
            note="a probationary member who no longer qualifies is removed from the rolls "
            "(xóa tên), which is not a disciplinary measure",
        ),
        rule(
            "organisation_measures",
            ORGANISATION_MEASURES,
            cite(CHARTER, "Điều 35", V, sources, note=repeated),
        ),
    )


def _supervision_rules() -> tuple[RulesetRule, ...]:
    basis = cite(
        "HD 02-HD/UBKTTW (2017)",
        None,
        V,
        "P-congan-ht-11; P-tuhcm-53",
        note="guidance on QĐ 86-QĐ/TW (supervision), in force until QĐ 296 replaced QĐ 86",
    )
    received = "from the day the supervising body receives the supervised party's report"
    return (
        rule("thematic_supervision_period_central", working_days(45), basis, note=received),
        rule("thematic_supervision_period_provincial", working_days(30), basis, note=received),
        rule("thematic_supervision_period_district", working_days(25), basis, note=received),
        rule("thematic_supervision_period_grassroots", working_days(20), basis, note=received),
        rule("thematic_supervision_extension_share", Fraction(1, 3), basis),
    )


def _membership_rules() -> tuple[RulesetRule, ...]:
    qd294 = "QĐ 294-QĐ/TW"
    before_294 = "the QĐ 24/QĐ 232 equivalent was not retrieved; the QĐ 294 value is assumed"
    qd24 = cite(
        "QĐ 24-QĐ/TW",
        "điểm 8.1",
        V,
        "P-cusc-xoaten",
        note="paraphrased page; QĐ 232-QĐ/TW replaced QĐ 24 on 20/1/2025",
    )
    return (
        rule(
            "probation_period",
            months(12),
            cite(qd294, "điểm 4.2", A, "R-28300988406 Q19", note=before_294),
        ),
        rule(
            "probation_review_period",
            working_days(30),
            cite(qd294, "điểm 4.2", A, "R-28300988406 Q19", note=before_294),
            note="from the end of the 12-month probation",
        ),
        rule(
            "removal_from_rolls_absence_period",
            months(3),
            cite(CHARTER, "Điều 8 khoản 1", V, "P-luatminhkhue-rakhoi; P-hoidapphapluat"),
            note="skipping cell activities or not paying dues for three months in a year "
            "without good reason; the year is read as a calendar year (recalled)",
        ),
        rule(
            "removal_from_rolls_education_period",
            months(12),
            qd24,
            note="from the start of the cell's education",
        ),
        rule("removal_from_rolls_violation_years", years(2), qd24, note="consecutive years"),
        rule(
            "invitations_before_cell_proceeds",
            3,
            cite(
                "HD 01-HD/TW (2021)",
                "điểm 11.1",
                V,
                "P-luatminhkhue-rakhoi; P-hoidapphapluat",
            ),
            note="if the cell executive has asked three times and the member neither writes "
            "the self-review nor attends, the cell proceeds",
        ),
    )
