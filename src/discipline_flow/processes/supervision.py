"""Supervision ("giám sát"), regular and thematic, as workflows.

Purpose
    A party body observes, follows and assesses the work of lower organisations and members in
    order to remind them and have shortcomings remedied; when it finds signs of violation the
    matter passes to an inspection on signs of violation.

Workflows
    ``regular_supervision`` (giám sát thường xuyên: no time limit) and one thematic supervision
    (giám sát chuyên đề) per level of the supervising body, because its time limit depends on the
    level: ``thematic_supervision_central``, ``..._provincial``, ``..._district`` (only in
    rulesets that still have the district level, i.e. before 1 July 2025) and
    ``..._grassroots``. :func:`supervision_workflow` picks the right one for a body.

States
    ``PLANNED`` (initial) → ``REPORT_REQUESTED`` → ``REPORT_RECEIVED`` → ``ASSESSING`` →
    ``CONCLUDED`` → ``REMINDER_ISSUED`` or ``ESCALATED_TO_INSPECTION``; ``CANCELLED`` from any
    state before the conclusion. The three outcomes are terminal.

Triggers and payload keys
    ``REQUEST_REPORT``; ``RECEIVE_REPORT`` (``received_on``: the day the supervising body received
    the supervised party's report, ``YYYY-MM-DD``, when it is not the day of the step);
    ``START_ASSESSMENT``; ``EXTEND_SUPERVISION`` (thematic only: ``extend_by``, like
    ``"10 working days"``, and ``reason``); ``CONCLUDE`` (``signs_of_violation``: true or false,
    required; ``findings``: text); ``ISSUE_REMINDER`` (only when the conclusion found no signs of
    violation); ``ESCALATE_TO_INSPECTION`` (only when it did; then call :func:`open_inspection`
    to open the linked inspection case); ``CANCEL`` (``reason``).

Deadlines
    Thematic supervision: ``thematic_supervision_period``, counted in working days from the day
    the supervising body receives the supervised party's report (the ``received_on`` date; the
    day itself is not counted), met by the conclusion, cancelled by ``CANCEL``. The period is the
    ruleset's ``thematic_supervision_period_<level>`` (45 / 30 / 25 / 20 working days for the
    central / provincial / district / grassroots level) and one extension of at most the
    ruleset's ``thematic_supervision_extension_share`` (1/3) of it, rounded down. No ``on_miss``:
    a missed supervision period is reported, nothing is fired.

Authority
    The supervising body is a party body (a cell, a committee, its standing committee or its
    inspection commission, the Politburo, the Secretariat); state agencies, persons and the
    system are refused, and so are district-level bodies from 1 July 2025. A thematic
    supervision is requested and concluded by a body of its own level.

Legal basis
    HD 02-HD/UBKTTW (12/9/2017) for QĐ 86-QĐ/TW: the thematic periods and their start (verified
    for the 2021/2022 rulesets; QĐ 86 was replaced by QĐ 296-QĐ/TW on 30/5/2025, so from then on
    the periods are assumed to carry over). HD 08-HD/TW (2025): the two forms of supervision
    (secondary). QĐ 21-QĐ/TW (2026): the definition of supervision (secondary).

What is uncertain
    Whether QĐ 296 and QĐ 21 keep the thematic periods at all; that signs of violation found by
    supervision pass to an inspection is standard doctrine with no retrieved text (assumed); a
    provincial rule (Lào Cai QĐ 299-QĐ/TU) gives cells 30 days for thematic supervision — local,
    not encoded.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import select_ruleset
>>> rules = select_ruleset(dt.date(2025, 9, 15))
>>> provincial = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
>>> wf = supervision_workflow(rules, provincial, thematic=True)
>>> wf.key
'thematic_supervision_provincial@2025-07'
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor=provincial, case_id="GS-1")
>>> _ = case.fire("REQUEST_REPORT", at=at, actor=provincial)
>>> _ = case.fire("RECEIVE_REPORT", at=at.add(days=7), actor=provincial)
>>> case.deadline("thematic_supervision_period").due_on  # 30 working days after Mon 22/9/2025
datetime.date(2025, 11, 3)
>>> _ = case.fire("START_ASSESSMENT", at=at.add(days=8), actor=provincial)
>>> _ = case.fire("CONCLUDE", at=at.add(days=30), actor=provincial,
...               payload={"signs_of_violation": True})
>>> _ = case.fire("ESCALATE_TO_INSPECTION", at=at.add(days=31), actor=provincial)
>>> case.state.name, case.deadline("thematic_supervision_period").status(at.add(days=31)).value
('ESCALATED_TO_INSPECTION', 'met')
"""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs

from discipline_flow.actors import Body, Level
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes._tables import Move, Pieces, moves_for, transitions
from discipline_flow.processes.guards import (
    ERA_GUARDS,
    body_at_level,
    body_level,
    district_guards,
    extension_within,
    levels_under,
    party_body,
    regulation_of,
    requires,
)
from discipline_flow.processes.inspection import open_inspection
from discipline_flow.rules import Ruleset
from discipline_flow.time import DeadlineRule, ExtensionPolicy, Period
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "FORMS",
    "REGULAR",
    "THEMATIC_PREFIX",
    "Supervision",
    "SupervisionTrigger",
    "open_inspection",
    "regular_supervision_workflow",
    "supervision_levels",
    "supervision_workflow",
    "thematic_supervision_workflow",
    "workflows",
]

#: The name of the regular supervision workflow.
REGULAR = "regular_supervision"
#: Thematic supervision workflows are named this plus the level: ``thematic_supervision_central``.
THEMATIC_PREFIX = "thematic_supervision_"


class Supervision(enum.Enum):
    """States of a supervision."""

    PLANNED = "planned"
    REPORT_REQUESTED = "report_requested"
    REPORT_RECEIVED = "report_received"
    ASSESSING = "assessing"
    CONCLUDED = "concluded"
    REMINDER_ISSUED = "reminder_issued"
    ESCALATED_TO_INSPECTION = "escalated_to_inspection"
    CANCELLED = "cancelled"


class SupervisionTrigger(enum.Enum):
    """Triggers of a supervision."""

    REQUEST_REPORT = "request_report"
    RECEIVE_REPORT = "receive_report"
    START_ASSESSMENT = "start_assessment"
    EXTEND_SUPERVISION = "extend_supervision"
    CONCLUDE = "conclude"
    ISSUE_REMINDER = "issue_reminder"
    ESCALATE_TO_INSPECTION = "escalate_to_inspection"
    CANCEL = "cancel"


S = Supervision
T = SupervisionTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.PLANNED: Label("Planned", "Đã có kế hoạch giám sát"),
    S.REPORT_REQUESTED: Label("Report requested", "Đã yêu cầu báo cáo"),
    S.REPORT_RECEIVED: Label("Report received", "Đã nhận báo cáo"),
    S.ASSESSING: Label("Assessing", "Đang xem xét, đánh giá"),
    S.CONCLUDED: Label("Concluded", "Đã kết luận giám sát"),
    S.REMINDER_ISSUED: Label("Reminder issued", "Đã nhắc nhở"),
    S.ESCALATED_TO_INSPECTION: Label(
        "Escalated to an inspection", "Chuyển kiểm tra khi có dấu hiệu vi phạm"
    ),
    S.CANCELLED: Label("Cancelled", "Đã hủy giám sát"),
    T.REQUEST_REPORT: Label("Request a report", "Yêu cầu báo cáo"),
    T.RECEIVE_REPORT: Label("Receive the report", "Nhận báo cáo của đối tượng giám sát"),
    T.START_ASSESSMENT: Label("Start the assessment", "Tiến hành xem xét, đánh giá"),
    T.EXTEND_SUPERVISION: Label("Extend the supervision", "Gia hạn giám sát"),
    T.CONCLUDE: Label("Conclude", "Kết luận giám sát"),
    T.ISSUE_REMINDER: Label("Issue a reminder", "Nhắc nhở"),
    T.ESCALATE_TO_INSPECTION: Label(
        "Escalate to an inspection", "Chuyển sang kiểm tra khi có dấu hiệu vi phạm"
    ),
    T.CANCEL: Label("Cancel", "Hủy giám sát"),
}

# ---------------------------------------------------------------------------- tables

#: In a guards column, the supervising body's guards, which differ between the workflows: a party
#: body, not at the district level from 1 July 2025, and for a thematic supervision a body of the
#: workflow's level.
_BODY = "<supervising body>"

#: The moves of a supervision, in the order candidates are tried: trigger, sources, target; then
#: the guards and the legal basis, named as :func:`_pieces` builds them under a ruleset. Only a
#: thematic supervision (``thematic``) has a period to extend.
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_MOVES: tuple[Move[S, T], ...] = (
    Move(T.REQUEST_REPORT, S.PLANNED, S.REPORT_REQUESTED,
         (_BODY,), "forms"),
    Move(T.RECEIVE_REPORT, S.REPORT_REQUESTED, S.REPORT_RECEIVED,
         (_BODY,), "period"),
    Move(T.START_ASSESSMENT, S.REPORT_RECEIVED, S.ASSESSING,
         (_BODY,)),
    Move(T.CONCLUDE, S.ASSESSING, S.CONCLUDED,
         (_BODY, "conclusion_states_signs"), "period"),
    Move(T.ISSUE_REMINDER, S.CONCLUDED, S.REMINDER_ISSUED,
         (_BODY, "no_signs_of_violation"), "forms"),
    Move(T.ESCALATE_TO_INSPECTION, S.CONCLUDED, S.ESCALATED_TO_INSPECTION,
         (_BODY, "signs_of_violation_found"), "escalation"),
    Move(T.CANCEL, (S.PLANNED, S.REPORT_REQUESTED, S.REPORT_RECEIVED, S.ASSESSING), S.CANCELLED,
         ("reason_given",)),
    Move(T.EXTEND_SUPERVISION, S.ASSESSING, S.ASSESSING,
         (_BODY, "extension_within_limit"), "period", when="thematic"),
)
# fmt: on


def _moves_of(thematic: bool, body: tuple[str, ...]) -> tuple[Move[S, T], ...]:
    """The rows of a regular or a thematic supervision, :data:`_BODY` standing for ``body``."""
    own = moves_for("supervision", S, T, _MOVES, {"thematic": thematic})
    return tuple(attrs.evolve(move, guards=_expand(move.guards, body)) for move in own)


def _expand(guards: tuple[str, ...], body: tuple[str, ...]) -> tuple[str, ...]:
    """``guards`` with :data:`_BODY` replaced by the names ``body``."""
    return tuple(name for guard in guards for name in (body if guard == _BODY else (guard,)))


#: The rows of each kind of supervision, taken once, when the module is imported.
_REGULAR_MOVES = _moves_of(False, ("party_body", "no_district_level"))
_THEMATIC_MOVES = _moves_of(True, ("party_body", "no_district_level", "supervising_body_level"))


#: The two forms of supervision (HD 08-HD/TW 2025, a quiz bank: secondary).
FORMS = Citation(
    "HD 08-HD/TW (2025)",
    None,
    RuleStatus.SECONDARY,
    source="R-28300988406 Q59",
    note="regular and thematic supervision; a cell mainly supervises regularly",
)
_ESCALATION_NOTE = (
    "when supervision detects signs of violation the matter passes to an inspection on signs of "
    "violation: standard doctrine, no retrieved text"
)


def _escalation(ruleset: Ruleset) -> Citation:
    return Citation(regulation_of(ruleset), None, RuleStatus.ASSUMED, note=_ESCALATION_NOTE)


def supervision_levels(ruleset: Ruleset) -> tuple[Level, ...]:
    """The levels that have a thematic supervision workflow under ``ruleset``.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> [lv.value for lv in supervision_levels(select_ruleset(dt.date(2025, 7, 1)))]
    ['central', 'provincial', 'grassroots']
    """
    return tuple(reversed(levels_under(ruleset)))


# ---------------------------------------------------------------------------- guards


def _conclusion_signs(ctx: GuardContext[Any, Any]) -> bool | None:
    for step in reversed(ctx.case.steps):
        if step.trigger is T.CONCLUDE:
            value = step.payload.get("signs_of_violation")
            return value if isinstance(value, bool) else None
    return None


def _signs_given(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if isinstance(ctx.payload.get("signs_of_violation"), bool):
            return None
        return (
            "the conclusion must say whether supervision found signs of violation: give "
            "'signs_of_violation' true or false"
        )

    return Guard(
        "conclusion_states_signs",
        check,
        basis=basis,
        description="the conclusion says whether there are signs of violation",
        uses_payload=True,
    )


def _signs_found(expected: bool, basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if _conclusion_signs(ctx) is expected:
            return None
        if expected:
            return (
                "the conclusion found no signs of violation: issue a reminder instead of escalating"
            )
        return (
            "the conclusion found signs of violation: the matter passes to an inspection, not a "
            "reminder"
        )

    name = "signs_of_violation_found" if expected else "no_signs_of_violation"
    words = "found" if expected else "did not find"
    return Guard(name, check, basis=basis, description=f"the conclusion {words} signs of violation")


def _thematic_rule(ruleset: Ruleset, level: Level) -> DeadlineRule:
    """The deadline of a thematic supervision at ``level``: from the receipt of the report."""
    source = ruleset.rule(f"thematic_supervision_period_{level.value}")
    period = ruleset.period(source.key)
    share = ruleset.fraction("thematic_supervision_extension_share")
    most = Period(math.floor(period.amount * share), period.unit)
    return DeadlineRule(
        "thematic_supervision_period",
        period,
        starts_on_enter=S.REPORT_RECEIVED,
        start_date_key="received_on",
        met_by={S.CONCLUDED},
        cancelled_by={S.CANCELLED},
        extended_by=T.EXTEND_SUPERVISION,
        extension=ExtensionPolicy(max_count=1, max_total=most if most.amount else None),
        citation=source.citation,
        label_en=f"Thematic supervision at the {level.value} level, from receipt of the report",
        label_vi=f"Thời gian giám sát chuyên đề ({level.label_vi}), từ ngày nhận báo cáo",
    )


def _pieces(ruleset: Ruleset, level: Level | None, rule: DeadlineRule | None) -> Pieces:
    """The guards and the legal bases the table names (in the order the workflow cites them) of
    a supervision at ``level`` with its deadline ``rule`` (both None: a regular supervision)."""
    escalation = _escalation(ruleset)
    guards = [
        party_body(),
        *district_guards(ruleset),
        *(
            []
            if level is None or rule is None
            else [
                body_at_level(
                    level,
                    name="supervising_body_level",
                    basis=rule.citation,
                    what="this thematic supervision",
                    role="supervising",
                )
            ]
        ),
        _signs_given(escalation),
        _signs_found(True, escalation),
        _signs_found(False, escalation),
        requires("reason", name="reason_given", what="cancelling a supervision"),
        *([] if rule is None else [extension_within(rule)]),
    ]
    # The period's basis: its rule for a thematic supervision; a regular one rests on its form.
    period = FORMS if rule is None else rule.citation
    bases = {"period": period, "forms": FORMS, "escalation": escalation}
    return Pieces({g.name: g for g in guards}, bases, optional=ERA_GUARDS)


def _build(
    ruleset: Ruleset, level: Level | None, rule: DeadlineRule | None, label: Label, description: str
) -> Workflow[Supervision, SupervisionTrigger]:
    """The supervision at ``level`` with its deadline ``rule`` (None, None: a regular one)."""
    pieces = _pieces(ruleset, level, rule)
    name = REGULAR if level is None else f"{THEMATIC_PREFIX}{level.value}"
    return Workflow(
        name=name,
        version=ruleset.name,
        states=Supervision,
        triggers=SupervisionTrigger,
        initial=S.PLANNED,
        terminal={S.REMINDER_ISSUED, S.ESCALATED_TO_INSPECTION, S.CANCELLED},
        transitions=transitions(name, _REGULAR_MOVES if rule is None else _THEMATIC_MOVES, pieces),
        guards=pieces.guards,
        deadline_rules=() if rule is None else (rule,),
        labels=_LABELS,
        citations=tuple(dict.fromkeys(pieces.citations.values())),
        label=label,
        description=description,
        ruleset=ruleset.name,
    )


def regular_supervision_workflow(ruleset: Ruleset) -> Workflow[Supervision, SupervisionTrigger]:
    """Regular supervision under ``ruleset``: the same steps, no time limit."""
    return _build(
        ruleset,
        None,
        None,
        Label("Regular supervision", "Giám sát thường xuyên"),
        "Regular supervision by a party body: report requested and received, assessed, "
        "concluded with a reminder or escalated to an inspection on signs of violation.",
    )


def thematic_supervision_workflow(
    ruleset: Ruleset, level: Level
) -> Workflow[Supervision, SupervisionTrigger]:
    """Thematic supervision by a body at ``level`` under ``ruleset``, with its time limit.

    Raises :class:`~discipline_flow.errors.InputError` for the district level under a ruleset
    without it (from 1 July 2025).
    """
    if level not in supervision_levels(ruleset):
        allowed = ", ".join(lv.value for lv in supervision_levels(ruleset))
        raise InputError(
            "level", f"ruleset {ruleset.name} has no {level.value} level; levels: {allowed}"
        )
    rule = _thematic_rule(ruleset, level)
    return _build(
        ruleset,
        level,
        rule,
        Label(
            f"Thematic supervision ({level.value} level)",
            f"Giám sát chuyên đề ({level.label_vi})",
        ),
        f"Thematic supervision by a {level.value}-level body: {rule.period} from the day the "
        "supervising body receives the supervised party's report, extendable once.",
    )


def supervision_workflow(
    ruleset: Ruleset, body: Body, *, thematic: bool
) -> Workflow[Supervision, SupervisionTrigger]:
    """The supervision workflow ``body`` runs: regular, or thematic at the body's level."""
    if not thematic:
        return regular_supervision_workflow(ruleset)
    level = body_level(body)
    if level is None:
        raise InputError(
            "body", f"{body} has no level; give a party body with its level (e.g. provincial)"
        )
    return thematic_supervision_workflow(ruleset, level)


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """Every supervision workflow under ``ruleset`` (for the process registry)."""
    built: list[Workflow[Any, Any]] = [regular_supervision_workflow(ruleset)]
    built.extend(thematic_supervision_workflow(ruleset, lv) for lv in supervision_levels(ruleset))
    return built
