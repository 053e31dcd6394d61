"""The steps the other kinds of inspection share: regular inspection by committees (Charter
Điều 30), and the inspection commissions' inspections of lower bodies' inspection, supervision
and discipline work and of party finances (Điều 32).

One table of :class:`~discipline_flow.processes._tables.Move` rows serves every kind; a row's
guards column may hold :data:`DECISION` and :data:`CONCLUSION`, which each kind replaces by its
own guards (:class:`Kind`). The time limit of an inspection depends on the level of the
inspecting body, and a deadline rule has one period, so each kind has one workflow per level
(``<kind>_<level>``), as thematic supervision has. The modules
:mod:`~discipline_flow.processes.regular_inspection`,
:mod:`~discipline_flow.processes.discipline_work_inspection` and
:mod:`~discipline_flow.processes.finance_inspection` describe each kind.

>>> from discipline_flow.processes.regular_inspection import KIND
>>> [move.guards for move in moves_of(KIND) if move.trigger is T.DECIDE_INSPECTION]
[('inspecting_body', 'no_district_level', 'inspecting_body_level', 'plan_and_team', 'content_given')]
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from discipline_flow.actors import Body, BodyKind, Level, Organisation, Subject
from discipline_flow.case import Case
from discipline_flow.citation import Citation
from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError
from discipline_flow.processes._shipped import Builder, shipped_workflow
from discipline_flow.processes._tables import Move, Pieces, moves_for, transitions
from discipline_flow.processes.guards import (
    ERA_GUARDS,
    body_at_level,
    body_level,
    district_guards,
    extension_within,
    levels_under,
    requires,
)
from discipline_flow.processes.inspection import PROCEDURE_BASIS
from discipline_flow.processes.links import open_child
from discipline_flow.rules import Ruleset, select_ruleset
from discipline_flow.time import DeadlineRule, ExtensionPolicy, Period
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "CONCLUSION",
    "DECISION",
    "OUTCOMES",
    "InspectionKindState",
    "InspectionKindTrigger",
    "Kind",
    "build",
    "kind_levels",
    "kind_workflows",
    "moves_of",
    "open_kind",
    "workflow_for_body",
]


class InspectionKindState(enum.Enum):
    """States of a regular, discipline-work or finance inspection."""

    PLANNED = "planned"
    DECIDED = "decided"
    NOTIFIED = "notified"
    SELF_REPORT_PENDING = "self_report_pending"
    VERIFYING = "verifying"
    REPORT_DRAFTED = "report_drafted"
    CLOSED_NO_VIOLATION = "closed_no_violation"
    REMEDIATION_REQUIRED = "remediation_required"
    SIGNS_OF_VIOLATION = "signs_of_violation"
    DISCIPLINE_PROPOSED = "discipline_proposed"
    STOPPED = "stopped"


class InspectionKindTrigger(enum.Enum):
    """Triggers of a regular, discipline-work or finance inspection."""

    DECIDE_INSPECTION = "decide_inspection"
    NOTIFY_SUBJECT = "notify_subject"
    REQUEST_SELF_REPORT = "request_self_report"
    RECEIVE_SELF_REPORT = "receive_self_report"
    REQUEST_EXPLANATION = "request_explanation"
    EXTEND_INSPECTION = "extend_inspection"
    SUBMIT_DRAFT_REPORT = "submit_draft_report"
    CONCLUDE = "conclude"
    STOP = "stop"


S = InspectionKindState
T = InspectionKindTrigger

LABELS: dict[enum.Enum, Label] = {
    S.PLANNED: Label("Planned", "Trong kế hoạch kiểm tra"),
    S.DECIDED: Label("Decided (team set up)", "Đã quyết định kiểm tra"),
    S.NOTIFIED: Label("Notified", "Đã triển khai quyết định"),
    S.SELF_REPORT_PENDING: Label("Self-report pending", "Chờ báo cáo tự kiểm tra"),
    S.VERIFYING: Label("Verifying", "Đang thẩm tra, xác minh"),
    S.REPORT_DRAFTED: Label("Report drafted", "Đã dự thảo báo cáo"),
    S.CLOSED_NO_VIOLATION: Label("Closed: done well", "Kết luận thực hiện tốt"),
    S.REMEDIATION_REQUIRED: Label("Remediation required", "Yêu cầu khắc phục khuyết điểm"),
    S.SIGNS_OF_VIOLATION: Label(
        "Signs of violation: to an inspection", "Chuyển kiểm tra khi có dấu hiệu vi phạm"
    ),
    S.DISCIPLINE_PROPOSED: Label("Discipline proposed", "Đề nghị thi hành kỷ luật"),
    S.STOPPED: Label("Stopped", "Dừng kiểm tra"),
    T.DECIDE_INSPECTION: Label("Decide the inspection", "Quyết định kiểm tra"),
    T.NOTIFY_SUBJECT: Label("Notify the subject", "Triển khai quyết định"),
    T.REQUEST_SELF_REPORT: Label("Request a self-report", "Yêu cầu báo cáo tự kiểm tra"),
    T.RECEIVE_SELF_REPORT: Label("Receive the self-report", "Nhận báo cáo tự kiểm tra"),
    T.REQUEST_EXPLANATION: Label(
        "Request a supplementary explanation", "Yêu cầu giải trình bổ sung"
    ),
    T.EXTEND_INSPECTION: Label("Extend the inspection", "Gia hạn kiểm tra"),
    T.SUBMIT_DRAFT_REPORT: Label("Submit the draft report", "Dự thảo báo cáo kết quả kiểm tra"),
    T.CONCLUDE: Label("Conclude", "Kết luận kiểm tra"),
    T.STOP: Label("Stop", "Dừng kiểm tra"),
}

#: In a guards column, the guards on a decision to inspect that differ between the kinds.
DECISION = "<decision>"
#: In a guards column, the guards on a conclusion that differ between the kinds.
CONCLUSION = "<conclusion>"
#: In a guards column, the inspecting body's guards: its kind, no district level from 1 July
#: 2025, and a body of the workflow's level, whose period the deadline counts.
_BODY = "<inspecting body>"

#: The moves, in the order candidates are tried: trigger, sources, target; then the guards and
#: the legal basis, named as :func:`_pieces` builds them under a ruleset. A conclusion's
#: ``outcome`` (:data:`OUTCOMES`) chooses among the four ``CONCLUDE`` rows.
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_BEFORE_CONCLUSION = (S.DECIDED, S.NOTIFIED, S.SELF_REPORT_PENDING, S.VERIFYING, S.REPORT_DRAFTED)
_MOVES: tuple[Move[S, T], ...] = (
    Move(T.DECIDE_INSPECTION, S.PLANNED, S.DECIDED,
         (_BODY, "plan_and_team", DECISION), "who"),
    Move(T.NOTIFY_SUBJECT, S.DECIDED, S.NOTIFIED,
         (_BODY,), "procedure"),
    Move(T.REQUEST_SELF_REPORT, S.NOTIFIED, S.SELF_REPORT_PENDING,
         (_BODY,), "procedure"),
    Move(T.RECEIVE_SELF_REPORT, S.SELF_REPORT_PENDING, S.VERIFYING,
         (_BODY,), "procedure"),
    Move(T.REQUEST_EXPLANATION, S.VERIFYING, S.SELF_REPORT_PENDING,
         (_BODY,), "procedure"),
    Move(T.EXTEND_INSPECTION, S.VERIFYING, S.VERIFYING,
         (_BODY, "extension_within_limit"), "period"),
    Move(T.SUBMIT_DRAFT_REPORT, S.VERIFYING, S.REPORT_DRAFTED,
         (_BODY,), "procedure"),
    Move(T.CONCLUDE, S.REPORT_DRAFTED, S.CLOSED_NO_VIOLATION,
         (_BODY, "outcome_no_violation", CONCLUSION), "procedure"),
    Move(T.CONCLUDE, S.REPORT_DRAFTED, S.REMEDIATION_REQUIRED,
         (_BODY, "outcome_remediation", CONCLUSION), "procedure"),
    Move(T.CONCLUDE, S.REPORT_DRAFTED, S.SIGNS_OF_VIOLATION,
         (_BODY, "outcome_signs_of_violation", CONCLUSION), "procedure"),
    Move(T.CONCLUDE, S.REPORT_DRAFTED, S.DISCIPLINE_PROPOSED,
         (_BODY, "outcome_discipline", CONCLUSION), "procedure"),
    Move(T.STOP, _BEFORE_CONCLUSION, S.STOPPED,
         (_BODY, "reason_given"), "procedure"),
)
# fmt: on

#: The outcomes a conclusion may have (payload ``outcome``) and the state each leads to.
OUTCOMES: Mapping[str, InspectionKindState] = {
    "no_violation": S.CLOSED_NO_VIOLATION,
    "remediation": S.REMEDIATION_REQUIRED,
    "signs_of_violation": S.SIGNS_OF_VIOLATION,
    "discipline": S.DISCIPLINE_PROPOSED,
}


@attrs.frozen
class Kind:
    """What sets one kind of inspection apart: its ``name`` (workflows are ``<name>_<level>``),
    labels, the bodies that run it (``body_kinds``; a party cell inspects members only), whether
    its subjects are organisations only, its legal basis (``who``, the Charter article) and its
    own guards on the decision and the conclusion (``decision`` and ``conclusion``: built under
    a ruleset with the ``who`` citation)."""

    name: str
    label: Label
    what: str
    body_kinds: frozenset[BodyKind]
    organisations_only: bool
    who: Citation
    decision: Callable[[Citation], Sequence[Guard]] | None = None
    conclusion: Callable[[Citation], Sequence[Guard]] | None = None

    def decision_guards(self) -> tuple[Guard, ...]:
        """The kind's own guards on the decision to inspect."""
        return tuple(self.decision(self.who)) if self.decision is not None else ()

    def conclusion_guards(self) -> tuple[Guard, ...]:
        """The kind's own guards on the conclusion."""
        return tuple(self.conclusion(self.who)) if self.conclusion is not None else ()


def _expand(guards: tuple[str, ...], table: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(name for guard in guards for name in table.get(guard, (guard,)))


def moves_of(kind: Kind) -> tuple[Move[S, T], ...]:
    """The rows of ``kind``: the shared table with its placeholders replaced by its guards."""
    table = {
        _BODY: ("inspecting_body", "no_district_level", "inspecting_body_level"),
        DECISION: tuple(g.name for g in kind.decision_guards()),
        CONCLUSION: tuple(g.name for g in kind.conclusion_guards()),
    }
    own = moves_for(kind.name, S, T, _MOVES, {})
    return tuple(attrs.evolve(move, guards=_expand(move.guards, table)) for move in own)


def kind_levels(ruleset: Ruleset) -> tuple[Level, ...]:
    """The levels with a workflow of each kind under ``ruleset``, from the central level down.

    >>> import datetime as dt
    >>> [lv.value for lv in kind_levels(select_ruleset(dt.date(2025, 7, 1)))]
    ['central', 'provincial', 'grassroots']
    """
    return tuple(reversed(levels_under(ruleset)))


# ---------------------------------------------------------------------------- guards


def _inspecting_body(kind: Kind) -> Guard:
    allowed = ", ".join(sorted(k.value for k in kind.body_kinds))
    basis = kind.who

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        actor = ctx.actor
        if actor.kind not in kind.body_kinds:
            return f"{actor} may not run {kind.what}; bodies that may: {allowed} [{basis}]"
        if isinstance(ctx.subject, Organisation) and (
            kind.organisations_only is False and actor.kind is BodyKind.PARTY_CELL
        ):
            return f"a party cell inspects its own members, not party organisations [{basis}]"
        if kind.organisations_only and not isinstance(ctx.subject, Organisation):
            return f"{kind.what} concerns a party organisation, not member {ctx.subject.id!r}"
        return None

    return Guard(
        "inspecting_body", check, basis=basis, description=f"{kind.what} is run by: {allowed}"
    )


def _outcome(outcome: str) -> Guard:
    outcomes = ", ".join(OUTCOMES)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        given = ctx.payload.get("outcome")
        if given != outcome:
            return f"outcome {given!r} is not {outcome!r}; outcomes: {outcomes}"
        if outcome == "discipline":
            members = ctx.payload.get("members")
            if members is None and not isinstance(ctx.subject, Organisation):
                return None
            if not (
                isinstance(members, list)
                and members
                and all(isinstance(m, str) and m for m in members)
                and len(set(members)) == len(members)
            ):
                return (
                    "a conclusion proposing discipline lists 'members': the ids of the members "
                    "concerned, each once"
                )
        return None

    return Guard(
        f"outcome_{outcome}",
        check,
        basis=PROCEDURE_BASIS,
        description=f"the conclusion's outcome is {outcome}",
        uses_payload=True,
    )


# ---------------------------------------------------------------------------- workflows


def _rule(kind: Kind, ruleset: Ruleset, level: Level) -> DeadlineRule:
    """The time limit of ``kind`` run by a ``level`` body: from the decision to inspect."""
    source = ruleset.rule(f"{kind.name}_period_{level.value}")
    period = ruleset.period(source.key)
    share = ruleset.fraction(f"{kind.name}_extension_share")
    most = Period(math.floor(period.amount * share), period.unit)
    return DeadlineRule(
        "inspection_period",
        period,
        starts_on_enter=S.DECIDED,
        met_by=set(OUTCOMES.values()),
        cancelled_by={S.STOPPED},
        extended_by=T.EXTEND_INSPECTION,
        extension=ExtensionPolicy(max_count=1, max_total=most if most.amount else None),
        citation=source.citation,
        label_en=f"{kind.label.en} at the {level.value} level, from the decision",
        label_vi=f"Thời gian {kind.label.vi.lower()} ({level.label_vi}), từ ngày quyết định",
    )


def _pieces(kind: Kind, ruleset: Ruleset, level: Level, rule: DeadlineRule) -> Pieces:
    guards = [
        _inspecting_body(kind),
        *district_guards(ruleset),
        body_at_level(
            level,
            name="inspecting_body_level",
            basis=rule.citation,
            what="this inspection",
            role="inspecting",
        ),
        requires("plan", "team", name="plan_and_team", basis=PROCEDURE_BASIS),
        *kind.decision_guards(),
        extension_within(rule),
        *(_outcome(outcome) for outcome in OUTCOMES),
        *kind.conclusion_guards(),
        requires("reason", name="reason_given", basis=PROCEDURE_BASIS, what="stopping"),
    ]
    bases = {"who": kind.who, "procedure": PROCEDURE_BASIS, "period": rule.citation}
    return Pieces({g.name: g for g in guards}, bases, optional=ERA_GUARDS)


def build(kind: Kind, ruleset: Ruleset, level: Level) -> Workflow[S, T]:
    """The workflow of ``kind`` run by a ``level`` body under ``ruleset``.

    Raises :class:`~discipline_flow.errors.InputError` for the district level under a ruleset
    without it (from 1 July 2025).
    """
    if level not in kind_levels(ruleset):
        allowed = ", ".join(lv.value for lv in kind_levels(ruleset))
        raise InputError(
            "level", f"ruleset {ruleset.name} has no {level.value} level; levels: {allowed}"
        )
    rule = _rule(kind, ruleset, level)
    pieces = _pieces(kind, ruleset, level, rule)
    name = f"{kind.name}_{level.value}"
    return Workflow(
        name=name,
        version=ruleset.name,
        states=S,
        triggers=T,
        initial=S.PLANNED,
        terminal={*OUTCOMES.values(), S.STOPPED},
        transitions=transitions(name, moves_of(kind), pieces),
        guards=pieces.guards,
        deadline_rules=(rule,),
        labels=LABELS,
        citations=tuple(dict.fromkeys(pieces.citations.values())),
        label=Label(
            f"{kind.label.en} ({level.value} level)", f"{kind.label.vi} ({level.label_vi})"
        ),
        description=f"{kind.label.en} by a {level.value}-level body: decision, notification, "
        f"self-report, verification, draft report and conclusion within {rule.period} of the "
        "decision, extendable once.",
        ruleset=ruleset.name,
    )


def kind_workflows(kind: Kind, ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """One workflow of ``kind`` per level of ``ruleset``."""
    return [build(kind, ruleset, level) for level in kind_levels(ruleset)]


def workflow_for_body(
    kind: Kind, builder: Builder, ruleset: Ruleset, body: Body
) -> Workflow[Any, Any]:
    """The shipped workflow of ``kind`` that ``body`` runs: the one of its level."""
    level = body_level(body)
    if level is None:
        raise InputError(
            "body", f"{body} has no level; give a party body with its level (e.g. provincial)"
        )
    if level not in kind_levels(ruleset):
        allowed = ", ".join(lv.value for lv in kind_levels(ruleset))
        raise InputError(
            "body", f"ruleset {ruleset.name} has no {level.value} level; levels: {allowed}"
        )
    return shipped_workflow(builder, ruleset, f"{kind.name}_{level.value}")


def open_kind(
    kind: Kind,
    builder: Builder,
    parent: Case[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body,
    subject: Subject | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open an inspection of ``kind`` that a step of ``parent`` leads to (a plan's content, a
    supervision), run by ``actor``: without ``workflow`` the shipped one of the actor's level
    under the ruleset in force on ``at``."""
    at = require_aware(at, "at")
    if workflow is None:
        if not isinstance(actor, Body):
            raise InputError("actor", f"give the inspecting Body, got {actor!r}")
        workflow = workflow_for_body(kind, builder, select_ruleset(at), actor)
    return open_child(
        parent, workflow, at=at, actor=actor, subject=subject, case_id=case_id, payload=payload
    )
