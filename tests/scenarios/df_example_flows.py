"""A small complaint workflow used by the rule-testing toolkit's tests and scenario files.

It is a test fixture, not a shipped process: its rules are taken from
``shared/domain/rules-reference.md`` (the complaint window of the 2011 guidance, the QĐ 30
resolution time) and its extension policy is an assumption made for the tests.
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow import (
    Body,
    BodyKind,
    Citation,
    Guard,
    GuardContext,
    Member,
    RuleStatus,
    Transition,
    Workflow,
)
from discipline_flow.testing import PayloadProviders, StepInput
from discipline_flow.time import DeadlineRule, ExtensionPolicy, Period

__all__ = [
    "COMMISSION",
    "COMPLAINANT",
    "SUBJECT",
    "Complaint",
    "ComplaintTrigger",
    "complaint_providers",
    "complaint_workflow",
]

SUBJECT = Member("m-1", cell_id="cell-1")
COMPLAINANT = Body(BodyKind.PERSON, "m-1")
COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-1")

WINDOW_BASIS = Citation("QĐ 46-QĐ/TW (2011) guidance", "Điều 32 tiết 5.2.1", RuleStatus.VERIFIED)
RESOLUTION_BASIS = Citation("QĐ 30-QĐ/TW (2016)", "Điều 32 tiết 5.2.1", RuleStatus.VERIFIED)
OWN_BEHALF_BASIS = Citation("QĐ 22-QĐ/TW", "Điều 23", RuleStatus.VERIFIED)
RESOLVER_BASIS = Citation("QĐ 22-QĐ/TW", "Điều 22", RuleStatus.VERIFIED)
VOTE_BASIS = Citation("QĐ 22-QĐ/TW", "Điều 15 khoản 3.1", RuleStatus.VERIFIED)


class Complaint(enum.Enum):
    """States of the example complaint."""

    ANNOUNCED = "announced"
    FILED = "filed"
    UNDER_REVIEW = "under_review"
    OVERTURNED = "overturned"
    UPHELD = "upheld"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class ComplaintTrigger(enum.Enum):
    """Triggers of the example complaint."""

    FILE_COMPLAINT = "file_complaint"
    ACCEPT = "accept"
    EXTEND = "extend"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


def _own_behalf(ctx: GuardContext[Any, Any]) -> str | None:
    if ctx.actor.kind is BodyKind.PERSON and ctx.actor.id == ctx.subject.id:
        return None
    return f"{ctx.actor} may not complain for {ctx.subject.id}; only the member may"


def _competent(ctx: GuardContext[Any, Any]) -> str | None:
    if ctx.actor.kind in (BodyKind.INSPECTION_COMMISSION, BodyKind.STANDING_COMMITTEE):
        return None
    return f"{ctx.actor.kind.value} may not resolve complaints; an inspection commission may"


def _majority(ctx: GuardContext[Any, Any]) -> str | None:
    votes, eligible = ctx.payload.get("in_favour"), ctx.payload.get("eligible")
    if not isinstance(votes, int) or not isinstance(eligible, int):
        return "the payload needs in_favour and eligible"
    if 2 * votes > eligible:
        return None
    return f"{votes} of {eligible} is not more than half"


def _window_missed(ctx: GuardContext[Any, Any]) -> str | None:
    window = ctx.case.deadline("complaint_window")
    if window.is_open and ctx.at >= window.due_at:
        return None
    return f"the complaint window runs until {window.due_on.isoformat()}"


own_behalf = Guard("own_behalf", _own_behalf, basis=OWN_BEHALF_BASIS)
competent = Guard("competent_body", _competent, basis=RESOLVER_BASIS)
majority = Guard("majority", _majority, basis=VOTE_BASIS, uses_payload=True)
window_missed = Guard("window_missed", _window_missed, basis=WINDOW_BASIS)

complaint_window = DeadlineRule(
    "complaint_window",
    Period.parse("30 working days"),
    starts_on_enter=Complaint.ANNOUNCED,
    met_by={ComplaintTrigger.FILE_COMPLAINT},
    on_miss=ComplaintTrigger.EXPIRE,
    citation=WINDOW_BASIS,
    label_en="Window to file a complaint",
    label_vi="Thời hạn khiếu nại",
)
resolution_time = DeadlineRule(
    "resolution_time",
    Period.parse("90 working days"),
    starts_on_trigger=ComplaintTrigger.FILE_COMPLAINT,
    start_date_key="postmark_on",
    met_by={Complaint.OVERTURNED, Complaint.UPHELD},
    cancelled_by={ComplaintTrigger.WITHDRAW},
    extended_by=ComplaintTrigger.EXTEND,
    extension=ExtensionPolicy(max_count=1, max_total=Period.parse("30 working days")),
    citation=RESOLUTION_BASIS,
    label_en="Time to resolve a complaint",
    label_vi="Thời hạn giải quyết khiếu nại",
)


def complaint_workflow() -> Workflow[Complaint, ComplaintTrigger]:
    """Announced decision → complaint filed → under review → overturned or upheld."""
    c, t = Complaint, ComplaintTrigger
    return Workflow(
        name="complaint_demo",
        version="1",
        states=c,
        triggers=t,
        initial=c.ANNOUNCED,
        terminal={c.OVERTURNED, c.UPHELD, c.WITHDRAWN, c.EXPIRED},
        transitions=[
            Transition(t.FILE_COMPLAINT, c.ANNOUNCED, c.FILED, guards=["own_behalf"]),
            Transition(t.EXPIRE, c.ANNOUNCED, c.EXPIRED, guards=["window_missed"]),
            Transition(t.ACCEPT, c.FILED, c.UNDER_REVIEW, guards=["competent_body"]),
            Transition(t.EXTEND, c.UNDER_REVIEW, c.UNDER_REVIEW, guards=["competent_body"]),
            Transition(
                t.RESOLVE, c.UNDER_REVIEW, c.OVERTURNED, guards=["competent_body", "majority"]
            ),
            Transition(t.RESOLVE, c.UNDER_REVIEW, c.UPHELD, guards=["competent_body"]),
            Transition(t.WITHDRAW, [c.FILED, c.UNDER_REVIEW], c.WITHDRAWN),
        ],
        guards={g.name: g for g in (own_behalf, competent, majority, window_missed)},
        deadline_rules=[complaint_window, resolution_time],
    )


def complaint_providers() -> PayloadProviders:
    """Actors and payloads for every guarded move of the example complaint (EXPIRE aside:
    only time makes it possible)."""
    return PayloadProviders().register(
        "complaint_demo",
        {
            "FILE_COMPLAINT": StepInput(actor=COMPLAINANT),
            "ACCEPT": StepInput(actor=COMMISSION),
            "EXTEND": StepInput(
                {"extend_by": "30 working days", "reason": "witnesses abroad"}, actor=COMMISSION
            ),
            "RESOLVE->OVERTURNED": StepInput({"in_favour": 5, "eligible": 9}, actor=COMMISSION),
            "RESOLVE->UPHELD": StepInput({"in_favour": 2, "eligible": 9}, actor=COMMISSION),
        },
    )
