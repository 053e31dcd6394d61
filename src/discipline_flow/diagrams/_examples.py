"""Two small example workflows that exercise every feature a diagram can show.

They are not the shipped CPV processes (see :mod:`discipline_flow.processes`): the docs fall back
to them when those are not installed, and the diagram tests and benchmark draw them besides the
shipped ones. Their labels hold quotes, colons and Vietnamese diacritics on purpose.

>>> complaint_workflow().key, inspection_workflow().key
('example_complaint@1', 'example_inspection@1')
"""

from __future__ import annotations

import enum
import functools
from typing import Any

from discipline_flow.actors import BodyKind
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.time.deadline import DeadlineRule
from discipline_flow.time.period import Period
from discipline_flow.workflow import Guard, GuardContext, Label, Transition, Workflow

__all__ = [
    "Complaint",
    "ComplaintTrigger",
    "Inspection",
    "InspectionTrigger",
    "complaint_workflow",
    "inspection_workflow",
]

QD_296_ART_25 = Citation("QĐ 296-QĐ/TW", "Điều 25 k.1", RuleStatus.SECONDARY)
QD_30_ART_32 = Citation("QĐ 30-QĐ/TW", "Điều 32 tiết 5.2.1", RuleStatus.ASSUMED)
CHARTER_ART_39 = Citation("Điều lệ Đảng", "Điều 39 k.7", RuleStatus.VERIFIED)
QD_296_ART_8 = Citation("QĐ 296-QĐ/TW", "Điều 8 mục 5", RuleStatus.VERIFIED)


class Complaint(enum.Enum):
    """States of the example complaint."""

    FILED = "filed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"


class ComplaintTrigger(enum.Enum):
    """Triggers of the example complaint."""

    ACCEPT = "accept"
    REJECT = "reject"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"


class Inspection(enum.Enum):
    """States of the example inspection."""

    SIGNS_DETECTED = "signs_detected"
    DECIDED = "decided"
    VERIFYING = "verifying"
    CONCLUDED = "concluded"
    CLOSED_NO_VIOLATION = "closed_no_violation"
    DISCIPLINE_PROPOSED = "discipline_proposed"


class InspectionTrigger(enum.Enum):
    """Triggers of the example inspection."""

    DECIDE_INSPECTION = "decide_inspection"
    START_VERIFICATION = "start_verification"
    CONCLUDE = "conclude"
    CLOSE = "close"
    PROPOSE_DISCIPLINE = "propose_discipline"


def _commission_only(ctx: GuardContext[Any, Any]) -> str | None:
    if ctx.actor.kind in (BodyKind.INSPECTION_COMMISSION, BodyKind.COMMITTEE):
        return None
    return f"{ctx.actor.kind.value} may not decide; an inspection commission or committee may"


def _always(_: GuardContext[Any, Any]) -> str | None:
    return None


def _complaint_rules() -> tuple[DeadlineRule, ...]:
    return (
        DeadlineRule(
            name="resolve_complaint",
            period=Period.parse("90 working days"),
            starts_on_enter=Complaint.ACCEPTED,
            met_by=(Complaint.RESOLVED,),
            cancelled_by=(Complaint.WITHDRAWN,),
            citation=QD_30_ART_32,
            label_en="Resolve the complaint",
            label_vi="Giải quyết khiếu nại",
        ),
        DeadlineRule(
            name="direct_handling",
            period=Period.parse("5 days"),
            starts_on_trigger=ComplaintTrigger.RESOLVE,
            citation=QD_296_ART_8,
            label_en="Direct the follow-up handling",
            label_vi="Chỉ đạo xử lý tiếp theo",
        ),
    )


@functools.cache
def complaint_workflow() -> Workflow[Complaint, ComplaintTrigger]:
    """A complaint about discipline: accepted or rejected, then resolved, or withdrawn."""
    authority = Guard(
        "authority_competent_body",
        _commission_only,
        basis=QD_296_ART_25,
        description="an inspection commission or committee at the competent level",
    )
    in_time = Guard(
        "filed_within_window",
        _always,
        basis=CHARTER_ART_39,
        description="filed within one month of receiving the decision",
    )
    return Workflow(
        name="example_complaint",
        version="1",
        states=Complaint,
        triggers=ComplaintTrigger,
        initial=Complaint.FILED,
        terminal={Complaint.REJECTED, Complaint.RESOLVED, Complaint.WITHDRAWN},
        transitions=[
            Transition(
                ComplaintTrigger.ACCEPT,
                Complaint.FILED,
                Complaint.ACCEPTED,
                guards=("authority_competent_body", "filed_within_window"),
                basis=QD_296_ART_25,
            ),
            Transition(
                ComplaintTrigger.REJECT,
                Complaint.FILED,
                Complaint.REJECTED,
                guards=("authority_competent_body",),
                basis=QD_296_ART_25,
            ),
            Transition(
                ComplaintTrigger.RESOLVE,
                Complaint.ACCEPTED,
                Complaint.RESOLVED,
                guards=("authority_competent_body",),
                basis=QD_30_ART_32,
                label=Label('Resolve: "upheld" or changed', 'Giải quyết: "giữ nguyên" hoặc sửa'),
            ),
            Transition(
                ComplaintTrigger.WITHDRAW,
                (Complaint.FILED, Complaint.ACCEPTED),
                Complaint.WITHDRAWN,
            ),
        ],
        guards={g.name: g for g in (authority, in_time)},
        deadline_rules=_complaint_rules(),
        labels={
            Complaint.FILED: Label("Filed", "Đã nộp đơn"),
            Complaint.ACCEPTED: Label("Accepted", "Đã thụ lý"),
            Complaint.REJECTED: Label("Rejected", "Không thụ lý"),
            Complaint.RESOLVED: Label("Resolved", "Đã giải quyết"),
            Complaint.WITHDRAWN: Label("Withdrawn", "Đã rút đơn"),
            ComplaintTrigger.ACCEPT: Label("Accept", "Thụ lý"),
            ComplaintTrigger.REJECT: Label("Reject", "Không thụ lý"),
            ComplaintTrigger.WITHDRAW: Label("Withdraw", "Rút đơn"),
        },
        citations=(CHARTER_ART_39, QD_296_ART_25, QD_30_ART_32),
        label=Label("Complaint about discipline (example)", "Khiếu nại kỷ luật (ví dụ)"),
    )


@functools.cache
def inspection_workflow() -> Workflow[Inspection, InspectionTrigger]:
    """An inspection on signs of violation that closes or proposes discipline."""
    decides = Guard("authority_inspection_commission", _commission_only, basis=QD_296_ART_25)
    return Workflow(
        name="example_inspection",
        version="1",
        states=Inspection,
        triggers=InspectionTrigger,
        initial=Inspection.SIGNS_DETECTED,
        terminal={Inspection.CLOSED_NO_VIOLATION, Inspection.DISCIPLINE_PROPOSED},
        transitions=[
            Transition(
                InspectionTrigger.DECIDE_INSPECTION,
                Inspection.SIGNS_DETECTED,
                Inspection.DECIDED,
                guards=(decides,),
            ),
            Transition(
                InspectionTrigger.START_VERIFICATION, Inspection.DECIDED, Inspection.VERIFYING
            ),
            Transition(InspectionTrigger.CONCLUDE, Inspection.VERIFYING, Inspection.CONCLUDED),
            Transition(
                InspectionTrigger.CLOSE, Inspection.CONCLUDED, Inspection.CLOSED_NO_VIOLATION
            ),
            Transition(
                InspectionTrigger.PROPOSE_DISCIPLINE,
                Inspection.CONCLUDED,
                Inspection.DISCIPLINE_PROPOSED,
                guards=(decides,),
            ),
        ],
        labels={
            Inspection.SIGNS_DETECTED: Label("Signs detected", "Phát hiện dấu hiệu vi phạm"),
            Inspection.DECIDED: Label("Inspection decided", "Đã quyết định kiểm tra"),
            Inspection.VERIFYING: Label("Verifying", "Thẩm tra, xác minh"),
            Inspection.CONCLUDED: Label("Concluded", "Đã kết luận"),
            Inspection.CLOSED_NO_VIOLATION: Label(
                "Closed: no violation", "Kết thúc: không vi phạm"
            ),
            Inspection.DISCIPLINE_PROPOSED: Label(
                "Discipline proposed", "Đề nghị thi hành kỷ luật"
            ),
        },
        label=Label(
            "Inspection on signs of violation (example)", "Kiểm tra khi có dấu hiệu vi phạm (ví dụ)"
        ),
    )
