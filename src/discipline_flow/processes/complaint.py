"""The complaint about discipline (khiếu nại kỷ luật đảng) as a workflow.

Purpose
    A disciplined member or organisation that disagrees with a disciplinary decision, or with a
    complaint-resolution decision, complains to the higher level within the window; the
    complaint is accepted or rejected, resolved level by level up to the final level. **The
    decision stays in force while the complaint is pending** (Party Charter Điều 39 khoản 9).

Workflow
    ``complaint``, about the complainant as its subject (the disciplined member or organisation).

States
    ``FILED`` (initial) → ``RESOLVING`` or ``RESOLVING_AT_CENTRAL_LEVEL`` (accepted; the body's
    level decides the time limit) → ``RESOLVED`` (upheld or changed at this level) →
    ``RESOLVING...`` again (escalated to the next level) or ``CLOSED``. Terminal: ``REJECTED``
    (not accepted), ``ANNULLED`` (the decision was annulled), ``CLOSED``, ``WITHDRAWN``.

Triggers and payload keys
    Opening (the filing): ``filed_on`` (the day the complaint was sent: postmark or hand
    delivery), ``decision_received_on`` (the day the complainant received the decision, from
    which the window runs), ``measure``, ``decided_by`` (``{"kind", "id", "level"}`` of the
    deciding body), ``decision_case``. :func:`~discipline_flow.processes.discipline.open_complaint`
    fills them from the decision case. ``ACCEPT`` (``received_on``: the day the resolving body
    received it, when not the day of the step); ``REJECT`` and ``ACCEPT`` (``grounds``: codes
    of the ruleset's ``complaint_not_accepted_grounds`` that apply; three are worked out from
    the dates and the complainant); ``ACCEPT`` and ``ESCALATE`` (``also_sent_to``: the ids of
    other bodies the complaint was sent to at the same time; refused where the ruleset's
    ``complaint_not_to_several_levels_at_once`` holds); ``UPHOLD_DECISION``, ``CHANGE_DECISION`` (``measure``),
    ``ANNUL_DECISION`` (``vote`` when the resolver is the Central Committee: secret ballot);
    ``ESCALATE`` (``filed_on`` of the further complaint, ``received_on``), fired by the next
    level; ``CLOSE`` (fired by the sweep when no further complaint came in time); ``WITHDRAW``
    (by the complainant).

Deadlines
    ``resolution_period``: the ruleset's ``complaint_resolution_period_provincial`` (90 working
    days) from the receipt (``received_on``) by a body below the central level;
    ``resolution_period_central``: ``complaint_resolution_period_central`` (180 working days) at
    the central level. Both are *historical* (QĐ 30-QĐ/TW, 2016) and carried as **assumed**;
    met by a resolution, cancelled by withdrawal; nothing fires when they are missed.
    ``escalation_window``: the ruleset's ``complaint_window`` from the ruling, met by
    ``ESCALATE``, fires ``CLOSE`` when missed.

Authority
    The resolver is a party body above the deciding body (accepting) or above the previous
    resolver, one level at a time (escalating; the same-level committee over its inspection
    commission counts as the next step): the ruleset's ``complaint_resolvers``. Final levels
    (the ruleset's ``complaint_final_levels`` and ``complaint_final_level_central_decisions``;
    QĐ 22 Điều 22 as amended by QĐ 262,
    2025): the Central Inspection Commission for reprimand, warning and removal from post; the
    Secretariat for expulsion (and, assumed, dissolution) decided at or below the level directly
    under the Central Committee; the Central Committee, voting by secret ballot, for discipline
    decided by the Central Committee, Politburo, Secretariat or Central Inspection Commission. A
    guard refuses escalation beyond the final level.

Legal basis
    Party Charter Điều 39 khoản 7 and 9; QĐ 22-QĐ/TW Điều 22–27 with QĐ 262-QĐ/TW; QĐ 296-QĐ/TW
    Điều 23 (not-accepted grounds, secondary) and Điều 25 (window, secondary); QĐ 30-QĐ/TW (2016)
    Điều 32 (resolution times, historical); QĐ 35-QĐ/TW (2021) for the central procedure.

What is uncertain
    The window (one month, 30 working days or 30 days: the ruleset picks one); the resolution
    times after 2016; who resolves under QĐ 296 and QĐ 21 (the QĐ 22/262 rule is carried over as
    assumed); the final level for dissolution (assumed the Secretariat, as for expulsion).

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import select_ruleset
>>> wf = complaint(select_ruleset(dt.date(2025, 9, 1)))
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> member = Member("m-1", cell_id="cell-7")
>>> case = wf.open(member, at=at, actor=Body(BodyKind.PERSON, "m-1"), case_id="KN-1", payload={
...     "filed_on": "2025-09-12", "decision_received_on": "2025-09-08", "measure": "warning",
...     "decided_by": {"kind": "party_cell", "id": "cell-7", "level": None}})
>>> commission = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-x", Level.GRASSROOTS)
>>> _ = case.fire("ACCEPT", at=at.add(days=1), actor=commission)
>>> case.state.name, case.deadline("resolution_period").due_on  # 90 working days (assumed)
('RESOLVING', datetime.date(2026, 1, 21))
>>> _ = case.fire("UPHOLD_DECISION", at=at.add(days=40), actor=commission)
>>> case.state.name
'RESOLVED'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

from discipline_flow.actors import Body, BodyKind
from discipline_flow.case import Case
from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError
from discipline_flow.processes._complaint_resolution import (
    accepting_resolver,
    below_final_level,
    by_complainant,
    competent_resolver,
    escalated_in_time,
    final_basis,
    final_level,
    final_levels,
    no_further_complaint,
    not_to_several_levels,
    resolver_below_central,
    resolver_central,
    resolver_vote,
)
from discipline_flow.processes._shipped import shipped_workflow
from discipline_flow.processes._tables import Move, Pieces, transitions
from discipline_flow.processes.guards import (
    admissible,
    not_admissible,
    parse_measure,
    party_body,
    requires,
)
from discipline_flow.processes.links import open_child
from discipline_flow.rules import Ruleset, select_ruleset
from discipline_flow.time import DeadlineRule
from discipline_flow.time._dates import local_date
from discipline_flow.workflow import Label, Workflow

__all__ = [
    "ComplaintState",
    "ComplaintTrigger",
    "complaint",
    "complaint_payload_for",
    "complaint_workflow",
    "final_level",
    "final_levels",
    "open_complaint",
    "workflows",
]


class ComplaintState(enum.Enum):
    """States of a complaint about discipline."""

    FILED = "filed"
    RESOLVING = "resolving"
    RESOLVING_AT_CENTRAL_LEVEL = "resolving_at_central_level"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    ANNULLED = "annulled"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class ComplaintTrigger(enum.Enum):
    """Triggers of a complaint about discipline."""

    ACCEPT = "accept"
    REJECT = "reject"
    UPHOLD_DECISION = "uphold_decision"
    CHANGE_DECISION = "change_decision"
    ANNUL_DECISION = "annul_decision"
    ESCALATE = "escalate"
    CLOSE = "close"
    WITHDRAW = "withdraw"


S = ComplaintState
T = ComplaintTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.FILED: Label("Filed", "Đã gửi khiếu nại"),
    S.RESOLVING: Label("Resolving", "Đang giải quyết"),
    S.RESOLVING_AT_CENTRAL_LEVEL: Label(
        "Resolving at the central level", "Đang giải quyết ở cấp Trung ương"
    ),
    S.RESOLVED: Label("Resolved (upheld or changed)", "Đã giải quyết"),
    S.REJECTED: Label("Rejected", "Không thụ lý"),
    S.ANNULLED: Label("Decision annulled", "Quyết định kỷ luật bị xóa bỏ"),
    S.CLOSED: Label("Closed", "Kết thúc"),
    S.WITHDRAWN: Label("Withdrawn", "Đã rút khiếu nại"),
    T.ACCEPT: Label("Accept", "Thụ lý"),
    T.REJECT: Label("Reject", "Không thụ lý"),
    T.UPHOLD_DECISION: Label("Uphold the decision", "Giữ nguyên quyết định"),
    T.CHANGE_DECISION: Label("Change the decision", "Thay đổi hình thức kỷ luật"),
    T.ANNUL_DECISION: Label("Annul the decision", "Xóa bỏ quyết định"),
    T.ESCALATE: Label("Escalate to the next level", "Khiếu nại lên cấp trên"),
    T.CLOSE: Label("Close", "Kết thúc"),
    T.WITHDRAW: Label("Withdraw", "Rút khiếu nại"),
}

_RESOLVING = (S.RESOLVING, S.RESOLVING_AT_CENTRAL_LEVEL)

#: The moves of a complaint, in the order they are tried: trigger, sources, target; then the
#: guards and the basis, named as :func:`_pieces` builds them under a ruleset. A central resolver
#: takes the case to ``RESOLVING_AT_CENTRAL_LEVEL`` (its own time limit), any other to
#: ``RESOLVING``.
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_MOVES: tuple[Move[ComplaintState, ComplaintTrigger], ...] = (
    Move(T.ACCEPT, S.FILED, S.RESOLVING_AT_CENTRAL_LEVEL,
         ("resolver_central", "admissible", "competent_resolver", "not_to_several_levels"),
         "final_level"),
    Move(T.ACCEPT, S.FILED, S.RESOLVING,
         ("resolver_below_central", "admissible", "competent_resolver", "not_to_several_levels"),
         "final_level"),
    Move(T.REJECT, S.FILED, S.REJECTED,
         ("party_body", "not_admissible"), "not_accepted_grounds"),
    Move(T.UPHOLD_DECISION, _RESOLVING, S.RESOLVED,
         ("accepting_resolver", "resolver_vote"), "final_level"),
    Move(T.CHANGE_DECISION, _RESOLVING, S.RESOLVED,
         ("accepting_resolver", "measure_given", "resolver_vote"), "final_level"),
    Move(T.ANNUL_DECISION, _RESOLVING, S.ANNULLED,
         ("accepting_resolver", "resolver_vote"), "final_level"),
    Move(T.ESCALATE, S.RESOLVED, S.RESOLVING_AT_CENTRAL_LEVEL,
         ("resolver_central", "below_final_level", "escalated_in_time", "not_to_several_levels"),
         "final_level"),
    Move(T.ESCALATE, S.RESOLVED, S.RESOLVING,
         ("resolver_below_central", "below_final_level", "escalated_in_time",
          "not_to_several_levels"), "final_level"),
    Move(T.CLOSE, S.RESOLVED, S.CLOSED,
         ("no_further_complaint",), "final_level"),
    Move(T.WITHDRAW, (S.FILED, *_RESOLVING), S.WITHDRAWN,
         ("by_complainant",), "in_force_during_complaint"),
)
# fmt: on


def _pieces(ruleset: Ruleset) -> Pieces:
    """What the complaint table names under ``ruleset``: the guards by their names, and the
    citations in the order the workflow lists them."""
    window_rule = ruleset.rule("complaint_window")
    in_force = ruleset.rule("decision_stays_in_force_during_complaint").citation
    final = final_basis(ruleset)
    # The window to complain about the decision, from the day it was received: the filing is
    # judged by it (the workflow's own escalation_window runs from each ruling).
    window = DeadlineRule(
        "complaint_window",
        ruleset.period(window_rule.key),
        starts_on_trigger=T.ACCEPT,
        citation=window_rule.citation,
    )
    guards = (
        admissible(ruleset, window),
        not_admissible(ruleset, window),
        party_body(basis=final),
        resolver_central(final),
        resolver_below_central(final),
        competent_resolver(ruleset, final),
        accepting_resolver(final),
        resolver_vote(ruleset),
        requires("measure", name="measure_given", basis=final),
        below_final_level(ruleset, final),
        escalated_in_time(ruleset),
        no_further_complaint(ruleset, final),
        not_to_several_levels(ruleset),
        by_complainant(in_force),
    )
    citations = {
        "complaint_window": window_rule.citation,
        "not_accepted_grounds": ruleset.rule("complaint_not_accepted_grounds").citation,
        "in_force_during_complaint": in_force,
        "final_level": final,
        "resolution_period": ruleset.rule("complaint_resolution_period_provincial").citation,
        "resolution_period_central": ruleset.rule("complaint_resolution_period_central").citation,
        "secret_ballot": ruleset.rule("central_committee_secret_ballot").citation,
        "several_levels": ruleset.rule("complaint_not_to_several_levels_at_once").citation,
    }
    return Pieces({guard.name: guard for guard in guards}, citations)


def _deadline_rules(ruleset: Ruleset) -> tuple[DeadlineRule, ...]:
    """The deadlines of a complaint under ``ruleset``: the time to resolve it, below and at the
    central level (historical, assumed), and the window to complain to the next level."""
    provincial = ruleset.rule("complaint_resolution_period_provincial")
    central = ruleset.rule("complaint_resolution_period_central")
    window = ruleset.rule("complaint_window")
    resolved = {T.UPHOLD_DECISION, T.CHANGE_DECISION, T.ANNUL_DECISION}
    return (
        DeadlineRule(
            "resolution_period",
            ruleset.period(provincial.key),
            starts_on_enter=S.RESOLVING,
            start_date_key="received_on",
            met_by=resolved,
            cancelled_by={T.WITHDRAW},
            citation=provincial.citation,
            label_en="Resolve the complaint (province and below)",
            label_vi="Thời hạn giải quyết khiếu nại (cấp tỉnh trở xuống)",
        ),
        DeadlineRule(
            "resolution_period_central",
            ruleset.period(central.key),
            starts_on_enter=S.RESOLVING_AT_CENTRAL_LEVEL,
            start_date_key="received_on",
            met_by=resolved,
            cancelled_by={T.WITHDRAW},
            citation=central.citation,
            label_en="Resolve the complaint (central level)",
            label_vi="Thời hạn giải quyết khiếu nại (cấp Trung ương)",
        ),
        DeadlineRule(
            "escalation_window",
            ruleset.period(window.key),
            starts_on_enter=S.RESOLVED,
            met_by={T.ESCALATE},
            cancelled_by={T.CLOSE},
            on_miss=T.CLOSE,
            citation=window.citation,
            label_en="Window to complain to the next level",
            label_vi="Thời hạn khiếu nại lên cấp trên",
        ),
    )


def complaint(ruleset: Ruleset) -> Workflow[ComplaintState, ComplaintTrigger]:
    """The complaint about discipline under ``ruleset``."""
    pieces = _pieces(ruleset)
    return Workflow(
        name="complaint",
        version=ruleset.name,
        states=ComplaintState,
        triggers=ComplaintTrigger,
        initial=S.FILED,
        terminal={S.REJECTED, S.ANNULLED, S.CLOSED, S.WITHDRAWN},
        transitions=transitions("complaint", _MOVES, pieces),
        deadline_rules=_deadline_rules(ruleset),
        labels=_LABELS,
        citations=tuple(dict.fromkeys(pieces.citations.values())),
        label=Label("Complaint about discipline", "Khiếu nại kỷ luật đảng"),
        description="Filing, admissibility, resolution level by level up to the final level; "
        f"the decision stays in force meanwhile (ruleset {ruleset.name}).",
        ruleset=ruleset.name,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The complaint workflow under ``ruleset`` (the process registry calls this)."""
    return [complaint(ruleset)]


def complaint_workflow(filed_on: _dt.date) -> Workflow[Any, Any]:
    """The shipped complaint workflow of the ruleset in force on ``filed_on`` (the filing date)."""
    return shipped_workflow(workflows, select_ruleset(filed_on), "complaint")


def complaint_payload_for(
    decision: Case[Any, Any], *, at: _dt.datetime, filed_on: _dt.date | None = None
) -> dict[str, Any]:
    """The opening payload of a complaint about the disciplinary case ``decision``.

    ``filed_on`` defaults to the local day of ``at``. The window runs from the day the subject
    received the decision (or the latest ruling or change on it).
    """
    timezone = decision.workflow.timezone
    filed = filed_on if filed_on is not None else local_date(at, timezone)
    if not isinstance(filed, _dt.date) or isinstance(filed, _dt.datetime):
        raise InputError("filed_on", "expected a date (the postmark or the day it was handed in)")
    windows = [d for d in decision.deadlines if d.rule == "complaint_window"]
    received = windows[-1].start_on if windows else local_date(decision.last_at, timezone)
    for step in decision.steps:
        if step.trigger is not None and step.trigger.name in (
            "RECORD_COMPLAINT_RULING",
            "CHANGE_DECISION",
        ):
            received = max(received, local_date(step.at, timezone))
    decider = next(
        (
            s.actor
            for s in reversed(decision.steps)
            if s.trigger is not None and s.trigger.name == "DECIDE"
        ),
        None,
    )
    measure = next(
        (s.payload["measure"] for s in reversed(decision.steps) if "measure" in s.payload), None
    )
    data: dict[str, Any] = {
        "filed_on": filed,
        "decision_received_on": received,
        "decision_case": decision.id,
    }
    if measure is not None:
        data["measure"] = parse_measure(measure).value
    if decider is not None:
        data["decided_by"] = {
            "kind": decider.kind.value,
            "id": decider.id,
            "level": None if decider.level is None else decider.level.value,
        }
    return data


# ---------------------------------------------------------------------------- linked cases

_COMPLAINABLE = frozenset(
    {"ANNOUNCED", "IN_FORCE", "IN_FORCE_AFTER_REVIEW", "IN_FORCE_PERMANENTLY"}
)


def open_complaint(
    decision: Case[Any, Any],
    *,
    at: _dt.datetime,
    filed_on: _dt.date | None = None,
    actor: Body | str | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open a complaint about ``decision`` and record it on the decision (``RECEIVE_COMPLAINT``).

    ``filed_on`` is the day the complaint was sent (postmark, or the day it was handed in;
    default the day of ``at``). The complaint case gets the decision's subject, measure, deciding
    body and the day the subject received the decision (the start of its complaint window), and
    records the decision case as its origin. ``actor`` is the complainant (default: the subject
    acting for itself). Without ``workflow`` the shipped complaint workflow of the ruleset in
    force on ``filed_on`` is used (a complaint is governed by the rules in force when filed).
    Raises :class:`~discipline_flow.errors.InputError` when the decision cannot be complained
    about in its state, and :class:`~discipline_flow.errors.TransitionRefused` if the decision
    refuses the complaint.
    """
    if not isinstance(decision, Case) or not decision.workflow.name.endswith("_discipline"):
        raise InputError("decision", "expected a member or organisation disciplinary case")
    at = require_aware(at, "at")
    if decision.state.name not in _COMPLAINABLE:
        raise InputError(
            "decision",
            f"case {decision.id} is {decision.state.name}; a complaint is made about an "
            f"announced decision ({', '.join(sorted(_COMPLAINABLE))})",
        )
    data = complaint_payload_for(decision, at=at, filed_on=filed_on)
    data.update(payload or {})
    complainant = actor if actor is not None else Body(BodyKind.PERSON, decision.subject.id)
    chosen = workflow if workflow is not None else complaint_workflow(data["filed_on"])
    # Open once without a parent to check every input before the decision is touched.
    chosen.open(decision.subject, at=at, actor=complainant, case_id=case_id, payload=data)
    decision.fire(
        "RECEIVE_COMPLAINT",
        at=at,
        actor=complainant,
        payload={"filed_on": data["filed_on"], **({"complaint_case": case_id} if case_id else {})},
    )
    return open_child(decision, chosen, at=at, actor=complainant, case_id=case_id, payload=data)
