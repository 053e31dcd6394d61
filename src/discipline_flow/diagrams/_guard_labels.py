"""Vietnamese labels of the shipped workflows' guards, for diagrams drawn with ``lang="vi"``.

A guard's own :attr:`~discipline_flow.workflow.Guard.label` wins; a guard of the shipped
workflows is named from this table; any other guard keeps its name (a test checks that every
guard of every shipped workflow has a label here).

>>> from discipline_flow.workflow import Guard
>>> from discipline_flow.diagrams._options import Language
>>> guard_label(Guard("not_time_barred", lambda ctx: None), Language.VI)
'chưa hết thời hiệu'
>>> guard_label(Guard("not_time_barred", lambda ctx: None), Language.EN)
'not_time_barred'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from discipline_flow.definition import Guard
from discipline_flow.diagrams._options import Language

__all__ = ["GUARD_LABELS_VI", "guard_label"]

#: Vietnamese labels of the shipped guards, by guard name.
GUARD_LABELS_VI: Mapping[str, str] = MappingProxyType(
    {
        "accepting_resolver": "cấp thụ lý giải quyết",
        "action_given": "có nội dung xử lý",
        "admissible": "đúng hạn, đủ điều kiện thụ lý",
        "amendment_well_formed": "điều chỉnh nội dung có lý do",
        "amount_valid": "số tiền hợp lệ",
        "approved_if_needed": "đã được cấp trên chuẩn y (nếu cần)",
        "asset_control_body": "ủy ban kiểm tra có thẩm quyền kiểm soát tài sản",
        "authority": "đúng thẩm quyền",
        "below_final_level": "chưa phải cấp giải quyết cuối cùng",
        "by_complainant": "do người khiếu nại thực hiện",
        "cell_acts": "do chi bộ thực hiện",
        "cell_invites": "chi bộ mời đảng viên tự kiểm điểm",
        "cell_reviews": "chi bộ xem xét",
        "committee_reviews": "cấp ủy xem xét",
        "competent_body": "cơ quan có thẩm quyền giải quyết tố cáo",
        "competent_committee": "cấp ủy có thẩm quyền xóa tên",
        "competent_resolver": "cấp trên trực tiếp giải quyết",
        "conclusion_states_honesty": "kết luận nêu rõ kê khai trung thực hay không",
        "conclusion_states_signs": "kết luận nêu rõ có dấu hiệu vi phạm hay không",
        "concrete_content": "đơn thư có nội dung cụ thể",
        "content_given": "có nội dung kiểm tra",
        "content_well_formed": "nội dung kế hoạch hợp lệ",
        "declaration_dishonest": "kê khai không trung thực",
        "declaration_honest": "kê khai trung thực",
        "deferral_reason": "có lý do chưa xem xét kỷ luật",
        "denouncer_notified": "đã báo người tố cáo việc gia hạn",
        "effect_period_over": "đã hết 12 tháng có hiệu lực",
        "escalated_in_time": "khiếu nại tiếp trong thời hạn",
        "explanation_given": "có giải trình",
        "expulsion_proposal": "đề nghị khai trừ đạt hai phần ba",
        "extension_allowed": "gia hạn trong giới hạn cho phép",
        "extension_within_limit": "gia hạn không quá 15 ngày làm việc",
        "finance_target": "đúng đối tượng kiểm tra tài chính",
        "findings_recorded": "ghi nhận kết quả kiểm tra",
        "ground_proven": "có căn cứ xóa tên",
        "grounds": "có căn cứ đình chỉ",
        "has_contents": "kế hoạch có nội dung",
        "has_violations": "đảng viên có vi phạm",
        "higher_body": "cấp trên của cơ quan quyết định",
        "inspecting_body": "cơ quan kiểm tra thực hiện",
        "inspecting_body_level": "chủ thể kiểm tra đúng cấp",
        "invited_enough": "đã mời đủ số lần",
        "invited_several_times": "đã mời nhiều lần nhưng không báo cáo",
        "issuer": "do cơ quan ban hành kế hoạch thực hiện",
        "legal_measure": "bị truy tố hoặc tạm giam",
        "may_inspect": "tổ chức đảng có quyền kiểm tra",
        "measure_can_end": "hình thức có thể tự chấm dứt hiệu lực",
        "measure_given": "có hình thức kỷ luật",
        "measure_never_ends": "khai trừ hoặc giải tán: không tự chấm dứt",
        "new_violation_given": "có ngày vi phạm mới",
        "no_district_level": "không còn cấp huyện",
        "no_further_complaint": "không còn khiếu nại tiếp",
        "no_signs_of_violation": "không có dấu hiệu vi phạm",
        "no_step_down_instead_of_removal": "không cho thôi giữ chức thay cho cách chức",
        "no_violations": "đảng viên không có vi phạm",
        "not_a_complaint": "đơn không đồng thời khiếu nại kỷ luật",
        "not_admissible": "thuộc trường hợp không thụ lý",
        "not_handled_ground": "thuộc trường hợp không xử lý đơn thư",
        "not_time_barred": "chưa hết thời hiệu",
        "not_to_several_levels": "không gửi khiếu nại đồng thời nhiều cấp",
        "not_warranting_expulsion": "vi phạm chưa đến mức khai trừ",
        "notice_period_given": "có thời hạn thông báo kết luận",
        "out_of_plan_well_formed": "nội dung ngoài kế hoạch hợp lệ",
        "outcome_discipline": "kết luận: xem xét kỷ luật",
        "outcome_no_violation": "kết luận: không vi phạm",
        "outcome_remediation": "kết luận: khắc phục",
        "outcome_signs_of_violation": "kết luận có dấu hiệu vi phạm",
        "party_body": "tổ chức đảng thực hiện",
        "period_over": "hết thời hạn đình chỉ",
        "plan_and_team": "có kế hoạch và đoàn",
        "progress_given": "có tiến độ khắc phục",
        "proposal_authority": "chỉ có quyền đề nghị",
        "reason_given": "có lý do",
        "remediation_deadline_passed": "đã hết hạn khắc phục",
        "resolver_below_central": "cấp giải quyết dưới Trung ương",
        "resolver_central": "cấp giải quyết ở Trung ương",
        "resolver_vote": "cấp giải quyết biểu quyết thông qua",
        "review_given": "có báo cáo tổng kết",
        "ruling_outcome": "giữ nguyên hoặc thay đổi quyết định",
        "signs_of_violation_found": "có dấu hiệu vi phạm",
        "subject_centrally_managed": "cán bộ thuộc diện Trung ương quản lý",
        "subject_is_member": "đối tượng là đảng viên",
        "subject_not_voting": "người bị xem xét không biểu quyết",
        "supervising_body_level": "chủ thể giám sát ở Trung ương",
        "suspended_from_committee_too": "đình chỉ sinh hoạt đảng thì đình chỉ cả sinh hoạt cấp ủy",
        "takes_effect_on_signing": "có hiệu lực khi ký",
        "takes_effect_on_vote_announced": "có hiệu lực khi công bố kết quả biểu quyết",
        "team_well_formed": "đoàn kiểm tra, giám sát hợp lệ",
        "time_barred": "đã hết thời hiệu",
        "vote": "biểu quyết đạt",
        "window_passed": "đã hết thời hạn khiếu nại",
        "withdrawal_not_coerced": "rút đơn không do bị ép buộc",
        "written_application": "có đơn nêu lý do",
    }
)


def guard_label(guard: Guard, lang: Language) -> str:
    """What a diagram in ``lang`` calls ``guard``: its own label, the shipped label in
    Vietnamese, or its name (English diagrams name guards as the code does)."""
    if guard.label is not None:
        return guard.label.text(lang.value)
    if lang is Language.VI:
        return GUARD_LABELS_VI.get(guard.name, guard.name)
    return guard.name
