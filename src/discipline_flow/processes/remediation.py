"""Remediation monitoring ("khắc phục hạn chế, khuyết điểm") after a conclusion.

Purpose
    A conclusion of an inspection or a supervision asks the subject to remedy shortcomings by a
    time the conclusion notice sets. The inspecting or supervising body monitors and urges; the
    subject reports progress and completion; the body verifies. An action not remedied in time,
    or found not remedied, is escalated to an inspection on signs of violation.

One case per action
    Each action of a conclusion notice has its own deadline, so each is its own case:
    :func:`open_remediation` opens one (linked to the concluding case, which it records as its
    origin) and sets its deadline; :func:`open_remediation_cases` opens one per action.

States
    ``ACTION_REQUIRED`` (initial) → ``REMEDIATING`` → ``COMPLETION_REPORTED`` → ``VERIFIED``;
    ``ESCALATED_TO_INSPECTION`` from ``REMEDIATING`` once the deadline has passed (the deadline
    sweep does it: ``on_miss``) or from ``COMPLETION_REPORTED`` when verification finds the
    shortcomings not remedied; ``CANCELLED`` (the conclusion was annulled, say) before that.
    Terminal: ``VERIFIED``, ``ESCALATED_TO_INSPECTION``, ``CANCELLED``.

Triggers and payload keys
    Open the case with ``action`` (what is to be remedied). ``SET_DEADLINE`` with ``period``:
    the period the conclusion notice sets (like ``"60 days"`` or ``"3 months"``), on the day of
    the notice (the day the case was opened); ``SUBMIT_PROGRESS_REPORT``
    (``progress``); ``URGE`` (the body reminds the subject); ``REPORT_COMPLETION``;
    ``VERIFY_REMEDIATION``; ``ESCALATE_TO_INSPECTION`` (``reason`` when after a completion
    report; then :func:`open_inspection`); ``CANCEL`` (``reason``).

Deadlines
    ``remediation_deadline``: the period the conclusion notice sets, counted from the day of the
    notice (``SET_DEADLINE``, the day the case is opened), the day itself not counted, rolled
    forward to a working day; met by the completion report; on a miss the sweep fires
    ``ESCALATE_TO_INSPECTION``; closed by the escalation or a cancellation. No source gives a
    remediation period (rule 30 of the reference: set per conclusion notice), so the rule takes
    its period from the ``period`` of ``SET_DEADLINE`` (its ``period_key``), and its explanation
    shows that period. :func:`open_remediation` opens the case and sets the period at once.

Authority
    The monitoring body is a party body (the one that concluded); district-level bodies are
    refused from 1 July 2025.

Legal basis and what is uncertain
    No retrieved text sets a remediation deadline or the monitoring steps: the steps are general
    doctrine (recalled) and the deadline is whatever the conclusion notice says (assumed).

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import select_ruleset
>>> wf = remediation_workflow(select_ruleset(dt.date(2025, 9, 15)))
>>> body = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor=body, case_id="KP-1",
...                payload={"action": "return the misused funds"})
>>> _ = case.fire("SET_DEADLINE", at=at, actor=body, payload={"period": "60 days"})
>>> case.deadline("remediation_deadline").due_on  # 15/9/2025 + 60 days = Fri 14/11/2025
datetime.date(2025, 11, 14)
>>> _ = case.fire("REPORT_COMPLETION", at=at.add(days=50), actor="person:m-1")
>>> _ = case.fire("VERIFY_REMEDIATION", at=at.add(days=55), actor=body)
>>> case.state.name
'VERIFIED'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Sequence
from typing import Any

from discipline_flow.actors import Body, Subject
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.clock import require_aware
from discipline_flow.errors import DeadlineNotStartedError, DisciplineFlowError, InputError
from discipline_flow.processes._shipped import shipped_workflow
from discipline_flow.processes._tables import Move, Pieces, transitions
from discipline_flow.processes.guards import (
    ERA_GUARDS,
    district_guards,
    local_day,
    party_body,
    regulation_of,
    requires,
)
from discipline_flow.processes.inspection import open_inspection
from discipline_flow.processes.links import open_child
from discipline_flow.rules import Ruleset, select_ruleset
from discipline_flow.time import DeadlineRule, Period, Unit
from discipline_flow.time._dates import local_date
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "NAME",
    "Remediation",
    "RemediationTrigger",
    "open_inspection",
    "open_remediation",
    "open_remediation_cases",
    "remediation_workflow",
    "workflows",
]

#: The name of the remediation workflow.
NAME = "remediation"
_RULE = "remediation_deadline"
_KEY = "period"  # the payload key of SET_DEADLINE that carries the notice's period


class Remediation(enum.Enum):
    """States of the monitoring of one remediation action."""

    ACTION_REQUIRED = "action_required"
    REMEDIATING = "remediating"
    COMPLETION_REPORTED = "completion_reported"
    VERIFIED = "verified"
    ESCALATED_TO_INSPECTION = "escalated_to_inspection"
    CANCELLED = "cancelled"


class RemediationTrigger(enum.Enum):
    """Triggers of the monitoring of one remediation action."""

    SET_DEADLINE = "set_deadline"
    SUBMIT_PROGRESS_REPORT = "submit_progress_report"
    URGE = "urge"
    REPORT_COMPLETION = "report_completion"
    VERIFY_REMEDIATION = "verify_remediation"
    ESCALATE_TO_INSPECTION = "escalate_to_inspection"
    CANCEL = "cancel"


S = Remediation
T = RemediationTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.ACTION_REQUIRED: Label("Action required", "Yêu cầu khắc phục"),
    S.REMEDIATING: Label("Remediating", "Đang khắc phục"),
    S.COMPLETION_REPORTED: Label("Completion reported", "Đã báo cáo kết quả khắc phục"),
    S.VERIFIED: Label("Remediation verified", "Đã kiểm tra kết quả khắc phục"),
    S.ESCALATED_TO_INSPECTION: Label(
        "Escalated to an inspection", "Chuyển kiểm tra khi có dấu hiệu vi phạm"
    ),
    S.CANCELLED: Label("Cancelled", "Hủy theo dõi"),
    T.SET_DEADLINE: Label("Set the deadline of the notice", "Xác định thời hạn khắc phục"),
    T.SUBMIT_PROGRESS_REPORT: Label("Submit a progress report", "Báo cáo tiến độ khắc phục"),
    T.URGE: Label("Urge", "Đôn đốc"),
    T.REPORT_COMPLETION: Label("Report completion", "Báo cáo hoàn thành khắc phục"),
    T.VERIFY_REMEDIATION: Label("Verify the remediation", "Kiểm tra, xác nhận kết quả khắc phục"),
    T.ESCALATE_TO_INSPECTION: Label(
        "Escalate to an inspection", "Chuyển sang kiểm tra khi có dấu hiệu vi phạm"
    ),
    T.CANCEL: Label("Cancel", "Hủy theo dõi"),
}


# ---------------------------------------------------------------------------- tables

#: The guards every move of the monitoring body runs.
_BODY = ("party_body", "no_district_level")

#: The moves, in the order candidates are tried: trigger, sources, target; then the guards and
#: the legal basis, named as :func:`_pieces` builds them under a ruleset.
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_TRANSITIONS: tuple[Move[S, T], ...] = (
    Move(T.SET_DEADLINE, S.ACTION_REQUIRED, S.REMEDIATING,
         (*_BODY, "notice_period_given"), "deadline"),
    Move(T.SUBMIT_PROGRESS_REPORT, S.REMEDIATING, S.REMEDIATING,
         ("progress_given",), "doctrine"),
    Move(T.URGE, S.REMEDIATING, S.REMEDIATING,
         _BODY, "doctrine"),
    Move(T.REPORT_COMPLETION, S.REMEDIATING, S.COMPLETION_REPORTED,
         (), "doctrine"),
    Move(T.VERIFY_REMEDIATION, S.COMPLETION_REPORTED, S.VERIFIED,
         _BODY, "doctrine"),
    Move(T.ESCALATE_TO_INSPECTION, S.REMEDIATING, S.ESCALATED_TO_INSPECTION,
         ("remediation_deadline_passed",), "deadline"),
    Move(T.ESCALATE_TO_INSPECTION, S.COMPLETION_REPORTED, S.ESCALATED_TO_INSPECTION,
         (*_BODY, "reason_given"), "doctrine"),
    Move(T.CANCEL, (S.ACTION_REQUIRED, S.REMEDIATING, S.COMPLETION_REPORTED), S.CANCELLED,
         (*_BODY, "reason_given"), "doctrine"),
)
# fmt: on


def _citations(ruleset: Ruleset) -> tuple[Citation, Citation]:
    """(the deadline's basis: rule 30, assumed; the monitoring steps: doctrine, assumed)."""
    regulation = regulation_of(ruleset)
    deadline = Citation(
        f"Conclusion notice under {regulation}",
        None,
        RuleStatus.ASSUMED,
        note="no remediation deadline was found in any source; the conclusion notice sets it "
        "(rules-reference rule 30)",
    )
    doctrine = Citation(
        regulation,
        None,
        RuleStatus.ASSUMED,
        note="the subject remedies and reports; the body monitors, urges and may inspect "
        "compliance with its conclusions: general doctrine, no retrieved text",
    )
    return deadline, doctrine


# ---------------------------------------------------------------------------- guards


def _period_set(rule: DeadlineRule, basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get(_KEY)
        if raw is None:
            earlier = " ('extend_by' no longer sets it)" if "extend_by" in ctx.payload else ""
            return f"give '{_KEY}', the period the conclusion notice sets (like '60 days'){earlier}"
        try:
            rule.own_period(raw)
        except DisciplineFlowError as exc:
            return str(exc)
        opened_on = local_date(ctx.case.opened_at, ctx.case.workflow.timezone)
        if local_day(ctx) != opened_on:
            return (
                "the period is set on the day of the conclusion notice, the day the case was "
                f"opened ({opened_on.isoformat()}); open it with open_remediation()"
            )
        return None

    return Guard(
        "notice_period_given",
        check,
        basis=basis,
        description="the period of the conclusion notice, given on the day of the notice",
        uses_payload=True,
    )


def _deadline_passed(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        try:
            deadline = ctx.case.deadline(_RULE)
        except DeadlineNotStartedError:
            return f"the case has no {_RULE}"
        if ctx.at >= deadline.due_at:
            return None
        return (
            f"the remediation deadline runs until the end of {deadline.due_on.isoformat()}; "
            f"escalate after it passes or when verification finds the shortcomings not "
            f"remedied"
        )

    return Guard(
        "remediation_deadline_passed",
        check,
        basis=basis,
        description="the remediation deadline has passed",
    )


# ---------------------------------------------------------------------------- workflow


def _deadline_rule(basis: Citation) -> DeadlineRule:
    """The remediation deadline: the period the conclusion notice sets, from the notice."""
    return DeadlineRule(
        _RULE,
        Period(0, Unit.CALENDAR_DAYS),  # never runs: the guard requires the notice's period
        starts_on_trigger=T.SET_DEADLINE,
        met_by={S.COMPLETION_REPORTED},
        cancelled_by={S.ESCALATED_TO_INSPECTION, S.CANCELLED},
        on_miss=T.ESCALATE_TO_INSPECTION,
        citation=basis,
        label_en="Remedy by the time the conclusion notice sets",
        label_vi="Thời hạn khắc phục theo thông báo kết luận",
        period_key=_KEY,
    )


def _pieces(ruleset: Ruleset) -> tuple[Pieces, DeadlineRule]:
    """The legal bases :data:`_TRANSITIONS` names (in the order the workflow cites them), the
    guards and the deadline rule, under ``ruleset``."""
    deadline_basis, doctrine = _citations(ruleset)
    rule = _deadline_rule(deadline_basis)
    guards = [
        party_body(),
        *district_guards(ruleset),
        _period_set(rule, deadline_basis),
        _deadline_passed(deadline_basis),
        requires("progress", name="progress_given", what="a progress report"),
        requires("reason", name="reason_given", basis=doctrine, what="this move"),
    ]
    bases = {"deadline": deadline_basis, "doctrine": doctrine}
    return Pieces({g.name: g for g in guards}, bases, optional=ERA_GUARDS), rule


def remediation_workflow(ruleset: Ruleset) -> Workflow[Remediation, RemediationTrigger]:
    """The monitoring of one remediation action under ``ruleset``."""
    pieces, rule = _pieces(ruleset)
    return Workflow(
        name=NAME,
        version=ruleset.name,
        states=Remediation,
        triggers=RemediationTrigger,
        initial=S.ACTION_REQUIRED,
        terminal={S.VERIFIED, S.ESCALATED_TO_INSPECTION, S.CANCELLED},
        transitions=transitions(NAME, _TRANSITIONS, pieces),
        guards=pieces.guards,
        deadline_rules=(rule,),
        labels=_LABELS,
        citations=tuple(pieces.citations.values()),
        label=Label("Remediation monitoring", "Theo dõi khắc phục hạn chế, khuyết điểm"),
        description="One action a conclusion notice requires: remedied by the time the notice "
        "sets and verified, or escalated to an inspection when it is missed.",
        ruleset=ruleset.name,
    )


def open_remediation(
    parent: Case[Any, Any],
    *,
    action: str,
    period: Period | str,
    at: _dt.datetime,
    actor: Body,
    subject: Subject | None = None,
    case_id: str | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open the monitoring of one ``action`` the conclusion of ``parent`` requires, due in
    ``period`` from ``at`` (the day of the conclusion notice); return the new case.

    The case records ``parent`` as its origin and is moved to ``REMEDIATING`` at the same
    instant with the notice's period set. Without ``workflow`` the shipped remediation workflow
    of the ruleset in force on ``at`` is used.
    """
    at = require_aware(at, "at")
    if not isinstance(action, str) or not action.strip():
        raise InputError("action", "name the action the conclusion notice requires")
    period = Period.parse(period)
    chosen = (
        workflow if workflow is not None else shipped_workflow(workflows, select_ruleset(at), NAME)
    )
    case = open_child(
        parent,
        chosen,
        at=at,
        actor=actor,
        subject=subject,
        case_id=case_id,
        payload={"action": action, "period": str(period)},
    )
    case.fire(T.SET_DEADLINE.name, at=at, actor=actor, payload={_KEY: str(period)})
    return case


def open_remediation_cases(
    parent: Case[Any, Any],
    actions: Iterable[tuple[str, Period | str]],
    *,
    at: _dt.datetime,
    actor: Body,
    subject: Subject | None = None,
    case_ids: Sequence[str] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> list[Case[Any, Any]]:
    """One remediation case per ``(action, period)`` of a conclusion notice (see
    :func:`open_remediation`); ``case_ids`` names them in order."""
    items = list(actions)
    if case_ids is not None and len(case_ids) != len(items):
        raise InputError("case_ids", f"give one id per action: {len(items)} actions")
    return [
        open_remediation(
            parent,
            action=action,
            period=period,
            at=at,
            actor=actor,
            subject=subject,
            case_id=case_ids[i] if case_ids is not None else None,
            workflow=workflow,
        )
        for i, (action, period) in enumerate(items)
    ]


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The remediation workflow under ``ruleset`` (for the process registry)."""
    return [remediation_workflow(ruleset)]
