"""Inspection on signs of violation (kiểm tra khi có dấu hiệu vi phạm) as a workflow.

Purpose
    When there are signs that a member or a party organisation violated party rules (from
    supervision, a denunciation, reports, the media, audits), a competent body decides an
    inspection, verifies, hears the subject and concludes: no violation, shortcomings to remedy,
    or a violation serious enough for discipline.

Workflow
    ``inspection``, about a member or an organisation.

States
    ``SIGNS_DETECTED`` (initial) → ``DECIDED`` (decision, plan and team) → ``NOTIFIED`` →
    ``SELF_REPORT_PENDING`` → ``VERIFYING`` (back to ``SELF_REPORT_PENDING`` when a
    supplementary explanation is asked) → ``REPORT_DRAFTED`` → ``HEARING`` (the subject states
    views on the draft report) → concluded as ``CLOSED_NO_VIOLATION``, ``REMEDIATION_REQUIRED``
    or ``DISCIPLINE_PROPOSED``; ``STOPPED`` from any state before the conclusion. The four
    outcomes are terminal.

Triggers and payload keys
    ``DECIDE_INSPECTION`` (``plan`` and ``team``: required; ``signs``: where the signs came
    from); ``NOTIFY_SUBJECT``; ``REQUEST_SELF_REPORT``; ``RECEIVE_SELF_REPORT``;
    ``PROCEED_WITHOUT_SELF_REPORT`` (``invitations``: how many times the subject was invited
    without attending or reporting, at least 2); ``REQUEST_EXPLANATION``;
    ``SUBMIT_DRAFT_REPORT``; ``HOLD_HEARING`` (``attended``, ``views``); ``CONCLUDE``
    (``outcome``: ``no_violation``, ``remediation`` or ``discipline``; with ``discipline``,
    ``members``: the ids of the members for whom discipline is proposed — required for an
    organisation, the subject itself for a member —, and optionally ``measure`` and
    ``violation_on``); ``STOP`` (``reason``).

Deadlines
    None. No time limit for an inspection on signs of violation by an inspection commission or
    a committee was found in any source (rule 29 of the reference's deadline table); provincial
    procedures are recalled to set maximum durations per level, which is not encoded. The
    limits of QĐ 331-QĐ/TW (2025) apply to inspections by advisory bodies, which may not run this
    inspection.

Authority
    Party committees, their standing committees, inspection commissions (from the grassroots
    committee up), the Politburo and the Secretariat; a party cell inspects its own members only
    (not organisations); cell executives, state agencies, persons and the system may not, and
    neither may district-level bodies from 1 July 2025. The body that decided the inspection
    concludes it.

Legal basis
    The three-phase procedure (preparation, conduct, conclusion) of every procedure document
    found (QĐ 684-QĐ/UBKTTW 2018, QĐ 139-QĐ/TW 2024, QĐ 331-QĐ/TW 2025; verified as a pattern);
    QĐ 296-QĐ/TW Điều 5–7 on who inspects (secondary); QĐ 296 Điều 12 khoản 2 điểm 2.1: a
    subject invited several times who does not attend is still handled (secondary).

What is uncertain
    Maximum durations per level; whether QĐ 21 (2026) changed who may inspect; "several"
    invitations is read as at least two.

Linked cases
    :func:`open_inspection` opens the inspection a step of another case leads to (a
    supervision, a denunciation, a remediation), recording that case as its origin.
    ``DISCIPLINE_PROPOSED`` opens disciplinary cases: :func:`open_discipline_cases` opens one
    :mod:`~discipline_flow.processes.discipline` case per member listed in the conclusion, each
    recording the inspection as its origin. ``REMEDIATION_REQUIRED`` is where remediation
    monitoring (``remediation``) starts.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Organisation
>>> from discipline_flow.rules import select_ruleset
>>> wf = inspection(select_ruleset(dt.date(2025, 9, 1)))
>>> ubkt = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
>>> at = pendulum.datetime(2025, 9, 1, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Organisation("dbx", Level.GRASSROOTS), at=at, actor=ubkt, case_id="KT-1")
>>> steps = [("DECIDE_INSPECTION", {"plan": "KH-12", "team": ["a", "b"]}),
...          ("NOTIFY_SUBJECT", {}), ("REQUEST_SELF_REPORT", {}), ("RECEIVE_SELF_REPORT", {}),
...          ("SUBMIT_DRAFT_REPORT", {}), ("HOLD_HEARING", {"attended": True})]
>>> for day, (trigger, payload) in enumerate(steps, start=1):
...     _ = case.fire(trigger, at=at.add(days=day), actor=ubkt, payload=payload)
>>> _ = case.fire("CONCLUDE", at=at.add(days=20), actor=ubkt,
...               payload={"outcome": "discipline", "members": ["m-1", "m-2"],
...                        "measure": "warning", "violation_on": "2025-01-15"})
>>> children = open_discipline_cases(case, at=at.add(days=21), actor=ubkt)
>>> [(c.id, c.state.name, c.origin.case_id) for c in children]
[('KT-1/m-1', 'OPENED', 'KT-1'), ('KT-1/m-2', 'OPENED', 'KT-1')]
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation, Subject
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError
from discipline_flow.processes import discipline
from discipline_flow.processes._shipped import shipped_workflow
from discipline_flow.processes._tables import Move, Pieces, transitions
from discipline_flow.processes.guards import era_citation, requires
from discipline_flow.processes.links import open_child
from discipline_flow.rules import Ruleset, default_registry, select_ruleset
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "INSPECTING_BODY_KINDS",
    "INSPECTION",
    "OUTCOMES",
    "PROCEDURE_BASIS",
    "InspectionState",
    "InspectionTrigger",
    "inspection",
    "inspection_workflow",
    "open_discipline_cases",
    "open_inspection",
    "workflows",
]

#: The name of the inspection on signs of violation.
INSPECTION = "inspection"


class InspectionState(enum.Enum):
    """States of an inspection on signs of violation."""

    SIGNS_DETECTED = "signs_detected"
    DECIDED = "decided"
    NOTIFIED = "notified"
    SELF_REPORT_PENDING = "self_report_pending"
    VERIFYING = "verifying"
    REPORT_DRAFTED = "report_drafted"
    HEARING = "hearing"
    CLOSED_NO_VIOLATION = "closed_no_violation"
    REMEDIATION_REQUIRED = "remediation_required"
    DISCIPLINE_PROPOSED = "discipline_proposed"
    STOPPED = "stopped"


class InspectionTrigger(enum.Enum):
    """Triggers of an inspection on signs of violation."""

    DECIDE_INSPECTION = "decide_inspection"
    NOTIFY_SUBJECT = "notify_subject"
    REQUEST_SELF_REPORT = "request_self_report"
    RECEIVE_SELF_REPORT = "receive_self_report"
    PROCEED_WITHOUT_SELF_REPORT = "proceed_without_self_report"
    REQUEST_EXPLANATION = "request_explanation"
    SUBMIT_DRAFT_REPORT = "submit_draft_report"
    HOLD_HEARING = "hold_hearing"
    CONCLUDE = "conclude"
    STOP = "stop"


S = InspectionState
T = InspectionTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.SIGNS_DETECTED: Label("Signs detected", "Phát hiện dấu hiệu vi phạm"),
    S.DECIDED: Label("Decided (plan and team)", "Đã quyết định kiểm tra"),
    S.NOTIFIED: Label("Notified", "Đã triển khai quyết định"),
    S.SELF_REPORT_PENDING: Label("Self-report pending", "Chờ báo cáo giải trình"),
    S.VERIFYING: Label("Verifying", "Đang thẩm tra, xác minh"),
    S.REPORT_DRAFTED: Label("Report drafted", "Đã dự thảo báo cáo"),
    S.HEARING: Label("Hearing", "Đối tượng trình bày ý kiến"),
    S.CLOSED_NO_VIOLATION: Label("Closed without violation", "Kết luận không vi phạm"),
    S.REMEDIATION_REQUIRED: Label("Remediation required", "Yêu cầu khắc phục khuyết điểm"),
    S.DISCIPLINE_PROPOSED: Label("Discipline proposed", "Đề nghị thi hành kỷ luật"),
    S.STOPPED: Label("Stopped", "Dừng kiểm tra"),
    T.DECIDE_INSPECTION: Label("Decide the inspection", "Quyết định kiểm tra"),
    T.NOTIFY_SUBJECT: Label("Notify the subject", "Triển khai quyết định"),
    T.REQUEST_SELF_REPORT: Label("Request a self-report", "Yêu cầu báo cáo giải trình"),
    T.RECEIVE_SELF_REPORT: Label("Receive the self-report", "Nhận báo cáo giải trình"),
    T.PROCEED_WITHOUT_SELF_REPORT: Label(
        "Proceed without a self-report", "Tiến hành khi đối tượng không báo cáo"
    ),
    T.REQUEST_EXPLANATION: Label(
        "Request a supplementary explanation", "Yêu cầu giải trình bổ sung"
    ),
    T.SUBMIT_DRAFT_REPORT: Label("Submit the draft report", "Dự thảo báo cáo kết quả kiểm tra"),
    T.HOLD_HEARING: Label("Hear the subject on the draft", "Thông qua dự thảo với đối tượng"),
    T.CONCLUDE: Label("Conclude", "Kết luận kiểm tra"),
    T.STOP: Label("Stop", "Dừng kiểm tra"),
}

# ---------------------------------------------------------------------------- tables

#: The moves, in the order candidates are tried: trigger, sources, target; then the guards and
#: the legal basis, named as :func:`_pieces` builds them under a ruleset. A conclusion's
#: ``outcome`` (:data:`OUTCOMES`) chooses among the three ``CONCLUDE`` rows; it may be stopped
#: from any state after the decision and before the conclusion.
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_BEFORE_CONCLUSION = (S.DECIDED, S.NOTIFIED, S.SELF_REPORT_PENDING, S.VERIFYING, S.REPORT_DRAFTED,
                      S.HEARING)
_TRANSITIONS: tuple[Move[S, T], ...] = (
    Move(T.DECIDE_INSPECTION, S.SIGNS_DETECTED, S.DECIDED,
         ("may_inspect", "plan_and_team"), "who"),
    Move(T.NOTIFY_SUBJECT, S.DECIDED, S.NOTIFIED,
         (), "procedure"),
    Move(T.REQUEST_SELF_REPORT, S.NOTIFIED, S.SELF_REPORT_PENDING,
         (), "procedure"),
    Move(T.RECEIVE_SELF_REPORT, S.SELF_REPORT_PENDING, S.VERIFYING,
         (), "procedure"),
    Move(T.PROCEED_WITHOUT_SELF_REPORT, S.SELF_REPORT_PENDING, S.VERIFYING,
         ("invited_several_times",), "absence"),
    Move(T.REQUEST_EXPLANATION, S.VERIFYING, S.SELF_REPORT_PENDING,
         (), "procedure"),
    Move(T.SUBMIT_DRAFT_REPORT, S.VERIFYING, S.REPORT_DRAFTED,
         (), "procedure"),
    Move(T.HOLD_HEARING, S.REPORT_DRAFTED, S.HEARING,
         (), "procedure"),
    Move(T.CONCLUDE, S.HEARING, S.CLOSED_NO_VIOLATION,
         ("inspecting_body", "outcome_no_violation"), "procedure"),
    Move(T.CONCLUDE, S.HEARING, S.REMEDIATION_REQUIRED,
         ("inspecting_body", "outcome_remediation"), "procedure"),
    Move(T.CONCLUDE, S.HEARING, S.DISCIPLINE_PROPOSED,
         ("inspecting_body", "outcome_discipline"), "procedure"),
    Move(T.STOP, _BEFORE_CONCLUSION, S.STOPPED,
         ("inspecting_body", "reason_given"), "procedure"),
)
# fmt: on

#: The outcomes a conclusion may have (payload ``outcome``) and the state each leads to.
OUTCOMES: Mapping[str, InspectionState] = {
    "no_violation": InspectionState.CLOSED_NO_VIOLATION,
    "remediation": InspectionState.REMEDIATION_REQUIRED,
    "discipline": InspectionState.DISCIPLINE_PROPOSED,
}

#: The bodies that may inspect on signs of violation (a party cell: its members only).
INSPECTING_BODY_KINDS = frozenset(
    {
        BodyKind.PARTY_CELL,
        BodyKind.GRASSROOTS_COMMITTEE,
        BodyKind.COMMITTEE,
        BodyKind.STANDING_COMMITTEE,
        BodyKind.INSPECTION_COMMISSION,
        BodyKind.POLITBURO,
        BodyKind.SECRETARIAT,
    }
)

#: The procedure: preparation, conduct, conclusion (verified as a pattern).
PROCEDURE_BASIS = Citation(
    "QĐ 684-QĐ/UBKTTW (2018); QĐ 139-QĐ/TW (2024)",
    None,
    RuleStatus.VERIFIED,
    "P-thiquocgia; P-binhphuoc-1127; P-tnut-684; P-thanhtra-139",
    note="the steps common to every procedure document found (verified as a pattern)",
)


def _who_basis(ruleset: Ruleset) -> Citation:
    return era_citation(
        ruleset,
        qd22=Citation(
            "QĐ 22-QĐ/TW",
            None,
            RuleStatus.ASSUMED,
            "R-28300988406 Q32, Q56, Q10",
            note="who may inspect was seen for QĐ 296 Điều 5–7 only; assumed the same under QĐ 22",
        ),
        qd296=Citation(
            "QĐ 296-QĐ/TW",
            "Điều 5 khoản 1.3 điểm đ; Điều 6; Điều 7",
            RuleStatus.SECONDARY,
            "R-28300988406 Q32, Q56, Q10",
        ),
    )


def _absence_basis(ruleset: Ruleset) -> Citation:
    return era_citation(
        ruleset,
        qd22=Citation(
            "QĐ 296-QĐ/TW",
            "Điều 12 khoản 2 điểm 2.1",
            RuleStatus.ASSUMED,
            "R-28300988406 Q28",
            note="seen for QĐ 296; assumed under QĐ 22",
        ),
        qd296=Citation(
            "QĐ 296-QĐ/TW", "Điều 12 khoản 2 điểm 2.1", RuleStatus.SECONDARY, "R-28300988406 Q28"
        ),
    )


def _may_inspect(ruleset: Ruleset, basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        actor = ctx.actor
        if actor.kind not in INSPECTING_BODY_KINDS:
            kinds = ", ".join(sorted(k.value for k in INSPECTING_BODY_KINDS))
            return (
                f"{actor} may not inspect on signs of violation; bodies that may: {kinds} [{basis}]"
            )
        if actor.kind is BodyKind.PARTY_CELL and isinstance(ctx.subject, Organisation):
            return f"a party cell inspects its own members, not party organisations [{basis}]"
        if not ruleset.has_district_level and actor.level is Level.DISTRICT:
            return (
                f"{actor} is a district-level body, which no longer exists from 1 July 2025 "
                f"(QĐ 294-QĐ/TW) [{basis}]"
            )
        return None

    return Guard(
        "may_inspect",
        check,
        basis=basis,
        description="a committee, its standing committee, an inspection commission or a cell",
    )


def _inspecting_body(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decided = None
        for step in reversed(ctx.case.steps):
            if step.trigger is InspectionTrigger.DECIDE_INSPECTION:
                decided = step.actor
                break
        if decided is None or decided is ctx.actor or decided == ctx.actor:
            return None
        return f"the inspection is concluded or stopped by {decided}, which decided it [{basis}]"

    return Guard("inspecting_body", check, basis=basis, description="the deciding body acts")


def _invited(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        count = ctx.payload.get("invitations")
        if isinstance(count, int) and not isinstance(count, bool) and count >= 2:
            return None
        return (
            f"the inspection proceeds without the subject's report only after several "
            f"invitations; give 'invitations' (at least 2), got {count!r} [{basis}]"
        )

    return Guard(
        "invited_several_times",
        check,
        basis=basis,
        description="the subject was invited several times without reporting",
        uses_payload=True,
    )


def _outcome(outcome: str) -> Guard:
    outcomes = ", ".join(OUTCOMES)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        given = ctx.payload.get("outcome")
        if given == outcome:
            if outcome == "discipline":
                return _members_problem(ctx)
            return None
        return f"outcome {given!r} is not {outcome!r}; outcomes: {outcomes}"

    return Guard(
        f"outcome_{outcome}",
        check,
        basis=PROCEDURE_BASIS,
        description=f"the conclusion's outcome is {outcome}",
        uses_payload=True,
    )


def _members_problem(ctx: GuardContext[Any, Any]) -> str | None:
    members = ctx.payload.get("members")
    if members is None and isinstance(ctx.subject, Member):
        return None
    if (
        not isinstance(members, list)
        or not members
        or not all(isinstance(m, str) and m for m in members)
    ):
        return "a conclusion proposing discipline lists 'members': the ids of the members concerned"
    if len(set(members)) != len(members):
        return "'members' lists a member twice"
    return None


def _pieces(ruleset: Ruleset) -> Pieces:
    """The legal bases :data:`_TRANSITIONS` names (in the order the workflow cites them) and the
    guards, under ``ruleset``."""
    who = _who_basis(ruleset)
    absence = _absence_basis(ruleset)
    guards = [
        _may_inspect(ruleset, who),
        requires("plan", "team", name="plan_and_team", basis=PROCEDURE_BASIS),
        _invited(absence),
        _inspecting_body(who),
        *(_outcome(outcome) for outcome in OUTCOMES),
        requires("reason", name="reason_given", basis=PROCEDURE_BASIS, what="stopping"),
    ]
    bases = {"procedure": PROCEDURE_BASIS, "who": who, "absence": absence}
    return Pieces({g.name: g for g in guards}, bases)


def inspection(ruleset: Ruleset) -> Workflow[InspectionState, InspectionTrigger]:
    """The inspection on signs of violation under ``ruleset``."""
    pieces = _pieces(ruleset)
    return Workflow(
        name=INSPECTION,
        version=ruleset.name,
        states=InspectionState,
        triggers=InspectionTrigger,
        initial=S.SIGNS_DETECTED,
        terminal={*OUTCOMES.values(), S.STOPPED},
        transitions=transitions(INSPECTION, _TRANSITIONS, pieces),
        guards=pieces.guards,
        labels=_LABELS,
        citations=tuple(pieces.citations.values()),
        label=Label("Inspection on signs of violation", "Kiểm tra khi có dấu hiệu vi phạm"),
        description="Decision, notification, self-report, verification, draft report, hearing "
        f"and conclusion; no time limit was found (ruleset {ruleset.name}).",
        ruleset=ruleset.name,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The inspection workflow under ``ruleset`` (the process registry calls this)."""
    return [inspection(ruleset)]


def inspection_workflow(ruleset: Ruleset) -> Workflow[InspectionState, InspectionTrigger]:
    """The shipped inspection on signs of violation under ``ruleset`` (shared with the registry
    for a built-in ruleset)."""
    return shipped_workflow(workflows, ruleset, INSPECTION)


def open_inspection(
    parent: Case[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body | str,
    subject: Subject | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open the inspection on signs of violation that a step of ``parent`` leads to.

    Without ``workflow`` the shipped inspection workflow of the ruleset in force on ``at`` is
    used: an inspection is governed by the rules in force when the body decides it
    (:data:`~discipline_flow.rules.SELECTION_DATE`).
    """
    at = require_aware(at, "at")
    if workflow is None:
        workflow = inspection_workflow(select_ruleset(at))
    return open_child(
        parent, workflow, at=at, actor=actor, subject=subject, case_id=case_id, payload=payload
    )


def _ruleset_of(case: Case[Any, Any]) -> Ruleset:
    name = case.workflow.ruleset or case.workflow.version
    return default_registry().get(name)


def open_discipline_cases(
    case: Case[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body | str,
    members: Iterable[Member] = (),
    workflow: Workflow[Any, Any] | None = None,
) -> list[Case[Any, Any]]:
    """Open a member disciplinary case for every member the conclusion of ``case`` lists.

    ``case`` is an inspection on signs of violation or another kind of inspection (regular,
    discipline-work, finance) whose conclusion proposed discipline (``DISCIPLINE_PROPOSED``).

    ``members`` gives the records of the members (cell, posts, committee level) by id; a listed
    member not given is opened as ``Member(id)``, and a given member not listed is an input
    error. For an inspection of a member that lists no one, the member is the subject. Each
    case is called ``<inspection id>/<member id>``, records the inspection as its origin, and
    starts with the conclusion's ``measure`` and ``violation_on`` when given. Without
    ``workflow`` the member discipline workflow of the inspection's own ruleset is used.
    """
    proposed = InspectionState.DISCIPLINE_PROPOSED.name
    if not isinstance(case, Case) or proposed not in case.workflow.states.__members__:
        raise InputError(
            "case", "expected an inspection case (one whose conclusion may propose discipline)"
        )
    if case.state.name != proposed:
        raise InputError(
            "case",
            f"inspection {case.id} is {case.state.name}; disciplinary cases are opened from "
            f"{InspectionState.DISCIPLINE_PROPOSED.name}",
        )
    conclusion = case.steps[-1].payload
    listed = conclusion.get("members")
    ids: list[str] = list(listed) if isinstance(listed, list) else [case.subject.id]
    records: dict[str, Member] = {}
    for member in members:
        if not isinstance(member, Member):
            raise InputError("members", f"expected Member records, got {member!r}")
        if member.id not in ids:
            raise InputError(
                "members",
                f"{member.id!r} is not listed in the conclusion; listed: {', '.join(ids)}",
            )
        records[member.id] = member
    if isinstance(case.subject, Member) and case.subject.id in ids:
        records.setdefault(case.subject.id, case.subject)
    if workflow is None:
        workflow = shipped_workflow(discipline.workflows, _ruleset_of(case), "member_discipline")
    payload: dict[str, Any] = {"inspection_case": case.id}
    for key in ("measure", "violation_on", "higher_assigned_task"):
        if key in conclusion:
            payload[key] = conclusion[key]
    return [
        open_child(
            case,
            workflow,
            at=at,
            actor=actor,
            subject=records.get(member_id, Member(member_id)),
            case_id=f"{case.id}/{member_id}",
            payload=payload,
        )
        for member_id in ids
    ]
