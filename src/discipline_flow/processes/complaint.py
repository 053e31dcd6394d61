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
    the dates and the complainant); ``UPHOLD_DECISION``, ``CHANGE_DECISION`` (``measure``),
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
    commission counts as the next step). Final levels (QĐ 22 Điều 22 as amended by QĐ 262,
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
import functools
from collections.abc import Callable, Mapping
from typing import Any

from discipline_flow.actors import Body, BodyKind, Level
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes import _guards as g
from discipline_flow.rules import Measure, Ruleset, VoteTally, check_vote, select_ruleset
from discipline_flow.time._dates import local_date
from discipline_flow.time.deadline import DeadlineRule
from discipline_flow.time.period import Unit
from discipline_flow.workflow import Guard, GuardContext, Label, Transition, Workflow

__all__ = [
    "FINAL_LEVEL_BASIS",
    "ComplaintState",
    "ComplaintTrigger",
    "complaint",
    "complaint_payload_for",
    "complaint_workflow",
    "final_level",
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


_LABELS: dict[enum.Enum, Label] = {
    ComplaintState.FILED: Label("Filed", "Đã gửi khiếu nại"),
    ComplaintState.RESOLVING: Label("Resolving", "Đang giải quyết"),
    ComplaintState.RESOLVING_AT_CENTRAL_LEVEL: Label(
        "Resolving at the central level", "Đang giải quyết ở cấp Trung ương"
    ),
    ComplaintState.RESOLVED: Label("Resolved (upheld or changed)", "Đã giải quyết"),
    ComplaintState.REJECTED: Label("Rejected", "Không thụ lý"),
    ComplaintState.ANNULLED: Label("Decision annulled", "Quyết định kỷ luật bị xóa bỏ"),
    ComplaintState.CLOSED: Label("Closed", "Kết thúc"),
    ComplaintState.WITHDRAWN: Label("Withdrawn", "Đã rút khiếu nại"),
    ComplaintTrigger.ACCEPT: Label("Accept", "Thụ lý"),
    ComplaintTrigger.REJECT: Label("Reject", "Không thụ lý"),
    ComplaintTrigger.UPHOLD_DECISION: Label("Uphold the decision", "Giữ nguyên quyết định"),
    ComplaintTrigger.CHANGE_DECISION: Label("Change the decision", "Thay đổi hình thức kỷ luật"),
    ComplaintTrigger.ANNUL_DECISION: Label("Annul the decision", "Xóa bỏ quyết định"),
    ComplaintTrigger.ESCALATE: Label("Escalate to the next level", "Khiếu nại lên cấp trên"),
    ComplaintTrigger.CLOSE: Label("Close", "Kết thúc"),
    ComplaintTrigger.WITHDRAW: Label("Withdraw", "Rút khiếu nại"),
}

_V, _S, _A = RuleStatus.VERIFIED, RuleStatus.SECONDARY, RuleStatus.ASSUMED

#: The final levels for complaints about discipline (QĐ 22 Điều 22 as amended by QĐ 262).
FINAL_LEVEL_BASIS = Citation(
    "QĐ 22-QĐ/TW",
    "Điều 22",
    _V,
    "P-lawnet-102305; P-lawnet-262",
    note="as amended by QĐ 262-QĐ/TW (3/2/2025); the final level for dissolution is assumed to "
    "be the Secretariat, as for expulsion",
)

_CENTRAL_DECIDERS = frozenset(
    {BodyKind.CENTRAL_COMMITTEE, BodyKind.POLITBURO, BodyKind.SECRETARIAT}
)


def _final_basis(ruleset: Ruleset) -> Citation:
    return g.era_citation(
        ruleset,
        qd22=FINAL_LEVEL_BASIS,
        qd296=Citation(
            "QĐ 22-QĐ/TW",
            "Điều 22",
            _A,
            "P-lawnet-102305; P-lawnet-262",
            note="QĐ 296 replaced QĐ 22 on 30/5/2025; its rule on final levels was not "
            "retrieved and the QĐ 22/QĐ 262 rule is carried over",
        ),
    )


def final_level(measure: Measure, decided_by: Body) -> tuple[BodyKind, Level | None]:
    """The body kind (and level) that resolves complaints about ``measure`` finally.

    >>> from discipline_flow import Body, BodyKind, Level
    >>> final_level(Measure.WARNING, Body(BodyKind.PARTY_CELL, "c"))
    (<BodyKind.INSPECTION_COMMISSION: 'inspection_commission'>, <Level.CENTRAL: 'central'>)
    >>> final_level(Measure.EXPULSION, Body(BodyKind.STANDING_COMMITTEE, "p", Level.PROVINCIAL))
    (<BodyKind.SECRETARIAT: 'secretariat'>, None)
    >>> final_level(Measure.REPRIMAND, Body(BodyKind.POLITBURO, "bct"))
    (<BodyKind.CENTRAL_COMMITTEE: 'central_committee'>, None)
    """
    if decided_by.kind in _CENTRAL_DECIDERS or (
        decided_by.kind is BodyKind.INSPECTION_COMMISSION and decided_by.level is Level.CENTRAL
    ):
        return BodyKind.CENTRAL_COMMITTEE, None
    if measure in (Measure.EXPULSION, Measure.DISSOLUTION):
        return BodyKind.SECRETARIAT, None
    return BodyKind.INSPECTION_COMMISSION, Level.CENTRAL


def _is_final(body: Body, final: tuple[BodyKind, Level | None]) -> bool:
    kind, level = final
    return body.kind is kind and (level is None or body.level is level)


def _body_from(value: object) -> Body:
    if not isinstance(value, Mapping):
        raise InputError("payload.decided_by", "expected {kind, id, level} of the deciding body")
    kind, id_, level = value.get("kind"), value.get("id"), value.get("level")
    if (
        type(kind) is str
        and (id_ is None or type(id_) is str)
        and (level is None or type(level) is str)
    ):
        return _cached_body(kind, id_, level)
    return _read_body(value)


@functools.lru_cache(maxsize=1024)
def _cached_body(kind: str, id_: str | None, level: str | None) -> Body:
    """The same deciding body is named on many complaints: read each form once."""
    return _read_body({"kind": kind, "id": id_, "level": level})


def _read_body(value: Mapping[str, Any]) -> Body:
    try:
        kind = BodyKind(value.get("kind"))
        level = None if value.get("level") is None else Level(value.get("level"))
    except ValueError:
        kinds = ", ".join(k.value for k in BodyKind)
        raise InputError(
            "payload.decided_by", f"kind is one of {kinds}; level one of grassroots, ..."
        ) from None
    return Body(kind, str(value.get("id") or kind.value), level)


def _decided_by(ctx: GuardContext[Any, Any]) -> Body | None:
    value = g.find_value(ctx, "decided_by")
    return None if value is None else _body_from(value)


def _previous_resolver(ctx: GuardContext[Any, Any]) -> Body | None:
    for step in reversed(ctx.case.steps):
        trigger = step.trigger
        # ``_name_``: the member's name without the ``name`` property's descriptor call.
        if trigger is not None and trigger._name_ in ("ACCEPT", "ESCALATE"):
            actor: Body = step.actor
            return actor
    return None


def _day(value: object, key: str) -> _dt.date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"payload.{key}", f"expected a date YYYY-MM-DD, got {value!r}")


# Inspection commissions, standing committees and committees from the grassroots up, and the
# central bodies (QĐ 22 Điều 22 as amended by QĐ 262): not cells, cell executives or partial
# committees.
_RESOLVERS = frozenset(
    {
        BodyKind.INSPECTION_COMMISSION,
        BodyKind.STANDING_COMMITTEE,
        BodyKind.GRASSROOTS_COMMITTEE,
        BodyKind.COMMITTEE,
        BodyKind.SECRETARIAT,
        BodyKind.POLITBURO,
        BodyKind.CENTRAL_COMMITTEE,
    }
)


def _levels(ruleset: Ruleset) -> list[Level]:
    if ruleset.has_district_level:
        return [Level.GRASSROOTS, Level.DISTRICT, Level.PROVINCIAL, Level.CENTRAL]
    return [Level.GRASSROOTS, Level.PROVINCIAL, Level.CENTRAL]


def _level_of(body: Body) -> Level:
    rank = g.body_rank(body)[0]
    return (Level.GRASSROOTS, Level.DISTRICT, Level.PROVINCIAL, Level.CENTRAL)[rank]


def _next_step(ruleset: Ruleset, previous: Body, actor: Body, basis: Citation) -> str | None:
    """``actor`` is the next body up from ``previous``: higher, and no level skipped."""
    if actor.kind not in _RESOLVERS:
        kinds = ", ".join(sorted(k.value for k in _RESOLVERS))
        return f"{actor} does not resolve complaints about discipline; resolvers: {kinds} [{basis}]"
    if g.body_rank(actor) <= g.body_rank(previous):
        return f"{actor} does not stand above {previous}; a complaint goes up [{basis}]"
    levels = _levels(ruleset)
    here, there = _level_of(previous), _level_of(actor)
    if there not in levels:
        return f"{actor} is at a level that does not exist under ruleset {ruleset.name} [{basis}]"
    start = levels.index(here) if here in levels else 0
    if levels.index(there) > start + 1:
        return (
            f"{actor} skips the {levels[start + 1].value} level above {previous}; complaints go "
            f"up one level at a time [{basis}]"
        )
    return None


def _next_step_memo(ruleset: Ruleset, basis: Citation) -> Callable[[Body, Body], str | None]:
    """:func:`_next_step` for one ruleset and basis, memoised: a pure function of two bodies."""
    answers: dict[tuple[Body, Body], str | None] = {}

    def next_step(previous: Body, actor: Body) -> str | None:
        key = (previous, actor)
        if key in answers:
            return answers[key]
        answer = _next_step(ruleset, previous, actor, basis)
        if len(answers) >= 4096:
            answers.clear()
        answers[key] = answer
        return answer

    return next_step


def _resolver_guards(ruleset: Ruleset, basis: Citation) -> tuple[Guard, Guard]:
    def central(ctx: GuardContext[Any, Any]) -> str | None:
        if g.body_rank(ctx.actor)[0] == 3:
            return None
        return f"{ctx.actor} is not a central body"

    def below(ctx: GuardContext[Any, Any]) -> str | None:
        if g.body_rank(ctx.actor)[0] < 3:
            return None
        return f"{ctx.actor} is a central body"

    return (
        Guard(
            "resolver_central",
            g.guarded(central),
            basis=basis,
            description="the resolver is a central body (180 working days)",
        ),
        Guard(
            "resolver_below_central",
            g.guarded(below),
            basis=basis,
            description="the resolver is below the central level (90 working days)",
        ),
    )


_GROUNDS: dict[int, tuple[Ruleset, tuple[str, ...]]] = {}


def _grounds_of(ruleset: Ruleset) -> tuple[str, ...]:
    entry = _GROUNDS.get(id(ruleset))
    if entry is None or entry[0] is not ruleset:
        entry = (ruleset, ruleset.texts("complaint_not_accepted_grounds"))
        _GROUNDS[id(ruleset)] = entry
    return entry[1]


#: The complaint window's last day by (rule, calendar, day received): the window counts from the
#: day the decision was received, so its end does not depend on the move's instant.
_WINDOW_DUE: dict[tuple[int, int, _dt.date], tuple[DeadlineRule, object, _dt.date]] = {}


def _window_due(
    window: DeadlineRule, received_on: _dt.date, ctx: GuardContext[Any, Any]
) -> _dt.date:
    calendar = ctx.case.workflow.get_calendar()
    if window.period.unit is Unit.HOURS or not window.convention.end_at_midnight:
        # The end then depends on the instant of the move too: no memo.
        return window.start(started_at=ctx.at, start_on=received_on, calendar=calendar).due_on
    key = (id(window), id(calendar), received_on)
    entry = _WINDOW_DUE.get(key)
    if entry is None or entry[0] is not window or entry[1] is not calendar:
        due = window.start(started_at=ctx.at, start_on=received_on, calendar=calendar).due_on
        if len(_WINDOW_DUE) >= 4096:
            _WINDOW_DUE.clear()
        entry = _WINDOW_DUE[key] = (window, calendar, due)
    return entry[2]


def _grounds(
    ruleset: Ruleset, ctx: GuardContext[Any, Any], window: DeadlineRule
) -> tuple[list[str], str | None]:
    """The not-accepted grounds that apply (given and worked out), or a missing-data reason."""
    allowed = _grounds_of(ruleset)
    given = g.find_value(ctx, "grounds") or []
    if not isinstance(given, list) or (given and not all(isinstance(x, str) for x in given)):
        raise InputError("payload.grounds", "expected a list of ground codes")
    grounds: list[str] = []
    if given:
        unknown = [x for x in given if x not in allowed]
        if unknown:
            raise InputError(
                "payload.grounds",
                f"unknown grounds {', '.join(unknown)}; grounds: {', '.join(allowed)}",
            )
        grounds = list(dict.fromkeys(given))
    filed = g.find_value(ctx, "filed_on")
    received = g.find_value(ctx, "decision_received_on")
    if filed is None or received is None:
        missing = "filed_on" if filed is None else "decision_received_on"
        return grounds, f"payload key {missing!r} (YYYY-MM-DD) is needed to judge admissibility"
    filed_on, received_on = _day(filed, "filed_on"), _day(received, "decision_received_on")
    applies = [
        (
            "filed_before_receiving_the_written_decision",
            filed_on < received_on,
        ),
        (
            "filed_on_behalf_of_another_person",
            ctx.case.steps[0].actor.id != ctx.subject.id,
        ),
    ]
    if filed_on >= received_on:
        due = _window_due(window, received_on, ctx)
        applies.append(("filed_out_of_time", filed_on > due))
    for code, found in applies:
        if found and code in allowed and code not in grounds:
            grounds.append(code)
    return grounds, None


def _admissibility(ruleset: Ruleset, window: DeadlineRule) -> tuple[Guard, Guard]:
    rule = ruleset.rule("complaint_not_accepted_grounds")

    def admissible(ctx: GuardContext[Any, Any]) -> str | None:
        grounds, missing = _grounds(ruleset, ctx, window)
        if missing is not None:
            return f"{missing} [{rule.citation}]"
        if not grounds:
            return None
        return f"the complaint is not accepted: {', '.join(grounds)} [{rule.citation}]"

    def inadmissible(ctx: GuardContext[Any, Any]) -> str | None:
        grounds, missing = _grounds(ruleset, ctx, window)
        if missing is not None:
            return f"{missing} [{rule.citation}]"
        if grounds:
            return None
        return (
            f"no ground for not accepting the complaint applies; grounds: "
            f"{', '.join(ruleset.texts(rule.key))} [{rule.citation}]"
        )

    return (
        Guard(
            "admissible",
            g.guarded(admissible),
            basis=rule.citation,
            description="in time and no ground for not accepting it",
            uses_payload=True,
        ),
        Guard(
            "not_admissible",
            g.guarded(inadmissible),
            basis=rule.citation,
            description="a ground for not accepting it applies",
            uses_payload=True,
        ),
    )


def _above_decider(ruleset: Ruleset, basis: Citation) -> Guard:
    next_step = _next_step_memo(ruleset, basis)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decider = _decided_by(ctx)
        if decider is None:
            return f"payload key 'decided_by' ({{kind, id, level}}) is missing [{basis}]"
        return next_step(decider, ctx.actor)

    return Guard(
        "competent_resolver",
        g.guarded(check),
        basis=basis,
        description="the resolver is the level above the deciding body",
        uses_payload=True,
    )


def _escalation(ruleset: Ruleset, basis: Citation) -> tuple[Guard, Guard]:
    next_step = _next_step_memo(ruleset, basis)

    def not_final(ctx: GuardContext[Any, Any]) -> str | None:
        previous = _previous_resolver(ctx)
        decider = _decided_by(ctx)
        measure = g.measure_of(ctx)
        if previous is None or decider is None or measure is None:
            return f"the resolver, the deciding body and the measure must be known [{basis}]"
        final = final_level(measure, decider)
        if _is_final(previous, final):
            return (
                f"{previous} is the final level for complaints about {measure.label_en} "
                f"decided by {decider}; no further complaint [{basis}]"
            )
        return next_step(previous, ctx.actor)

    def in_time(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("filed_on")
        if raw is None:
            return "payload key 'filed_on' (the day the further complaint was sent) is missing"
        filed_on = _day(raw, "filed_on")
        windows = [d for d in ctx.case.deadlines if d.rule == "escalation_window" and d.is_open]
        if not windows:
            return "no complaint window is open on this case"
        if filed_on <= windows[-1].due_on:
            return None
        return (
            f"the further complaint was sent on {filed_on.isoformat()}, after the window ended "
            f"on {windows[-1].due_on.isoformat()} [{windows[-1].citation}]"
        )

    return (
        Guard(
            "below_final_level",
            g.guarded(not_final),
            basis=basis,
            description="the previous resolver was not the final level; the next level up",
            uses_payload=True,
        ),
        Guard(
            "escalated_in_time",
            g.guarded(in_time),
            basis=ruleset.rule("complaint_window").citation,
            description="the further complaint was sent within the window",
            uses_payload=True,
        ),
    )


def _same_resolver(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        previous = _previous_resolver(ctx)
        if previous == ctx.actor:
            return None
        return (
            f"the complaint is resolved by {previous}, which accepted it, not {ctx.actor} [{basis}]"
        )

    return Guard(
        "accepting_resolver", check, basis=basis, description="the accepting body resolves"
    )


def _resolver_vote(ruleset: Ruleset) -> Guard:
    rule = ruleset.rule("central_committee_secret_ballot")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("vote")
        if raw is None:
            if ctx.actor.kind is BodyKind.CENTRAL_COMMITTEE:
                return (
                    f"the Central Committee resolves by a vote (secret ballot); give 'vote' "
                    f"[{rule.citation}]"
                )
            return None
        if not isinstance(raw, Mapping):
            return "payload 'vote' must be a vote tally (VoteTally.to_payload())"
        measure = g.measure_of(ctx)
        if measure is None:
            return "payload key 'measure' is missing"
        failures = check_vote(
            ruleset,
            measure,
            VoteTally.from_payload(raw),
            subject_id=ctx.subject.id,
            deciding_body=ctx.actor,
        )
        return "; ".join(str(f) for f in failures) or None

    return Guard(
        "resolver_vote",
        g.guarded(check),
        basis=rule.citation,
        description="the resolver's vote carries (the Central Committee by secret ballot)",
        uses_payload=True,
    )


def _by_complainant(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.actor.id == ctx.subject.id:
            return None
        return f"only the complainant {ctx.subject.id!r} withdraws the complaint [{basis}]"

    return Guard("by_complainant", check, basis=basis, description="the complainant acts")


def _no_further_complaint(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        previous = _previous_resolver(ctx)
        decider = _decided_by(ctx)
        measure = g.measure_of(ctx)
        if (
            previous is not None
            and decider is not None
            and measure is not None
            and _is_final(previous, final_level(measure, decider))
        ):
            return None
        windows = [d for d in ctx.case.deadlines if d.rule == "escalation_window" and d.is_open]
        if windows and ctx.at >= windows[-1].due_at:
            return None
        until = windows[-1].due_on.isoformat() if windows else "?"
        return (
            f"the complainant may still complain to the next level until {until}; close after "
            f"the window or at the final level [{basis}]"
        )

    return Guard(
        "no_further_complaint",
        g.guarded(check),
        basis=basis,
        description="the final level has ruled or the window for a further complaint passed",
        uses_payload=True,
    )


def complaint(ruleset: Ruleset) -> Workflow[ComplaintState, ComplaintTrigger]:
    """The complaint about discipline under ``ruleset``."""
    st, tr = ComplaintState, ComplaintTrigger
    window_rule = ruleset.rule("complaint_window")
    provincial = ruleset.rule("complaint_resolution_period_provincial")
    central_rule = ruleset.rule("complaint_resolution_period_central")
    in_force = ruleset.rule("decision_stays_in_force_during_complaint")
    final_basis = _final_basis(ruleset)
    window = DeadlineRule(
        "complaint_window",
        ruleset.period(window_rule.key),
        starts_on_trigger=tr.ACCEPT,
        citation=window_rule.citation,
    )
    admissible, not_admissible = _admissibility(ruleset, window)
    central, below = _resolver_guards(ruleset, final_basis)
    competent = _above_decider(ruleset, final_basis)
    not_final, escalated_in_time = _escalation(ruleset, final_basis)
    same = _same_resolver(final_basis)
    vote = _resolver_vote(ruleset)
    party = g.party_body(basis=final_basis)
    measure_given = g.requires("measure", name="measure_given", basis=final_basis)
    resolutions = (st.RESOLVING, st.RESOLVING_AT_CENTRAL_LEVEL)
    transitions: list[Transition[ComplaintState, ComplaintTrigger]] = [
        Transition(
            tr.ACCEPT,
            st.FILED,
            st.RESOLVING_AT_CENTRAL_LEVEL,
            guards=(central, admissible, competent),
            basis=final_basis,
        ),
        Transition(
            tr.ACCEPT,
            st.FILED,
            st.RESOLVING,
            guards=(below, admissible, competent),
            basis=final_basis,
        ),
        Transition(
            tr.REJECT,
            st.FILED,
            st.REJECTED,
            guards=(party, not_admissible),
            basis=ruleset.rule("complaint_not_accepted_grounds").citation,
        ),
        Transition(
            tr.UPHOLD_DECISION, resolutions, st.RESOLVED, guards=(same, vote), basis=final_basis
        ),
        Transition(
            tr.CHANGE_DECISION,
            resolutions,
            st.RESOLVED,
            guards=(same, measure_given, vote),
            basis=final_basis,
        ),
        Transition(
            tr.ANNUL_DECISION, resolutions, st.ANNULLED, guards=(same, vote), basis=final_basis
        ),
        Transition(
            tr.ESCALATE,
            st.RESOLVED,
            st.RESOLVING_AT_CENTRAL_LEVEL,
            guards=(central, not_final, escalated_in_time),
            basis=final_basis,
        ),
        Transition(
            tr.ESCALATE,
            st.RESOLVED,
            st.RESOLVING,
            guards=(below, not_final, escalated_in_time),
            basis=final_basis,
        ),
        Transition(
            tr.CLOSE,
            st.RESOLVED,
            st.CLOSED,
            guards=(_no_further_complaint(final_basis),),
            basis=final_basis,
        ),
        Transition(
            tr.WITHDRAW,
            (st.FILED, *resolutions),
            st.WITHDRAWN,
            guards=(_by_complainant(in_force.citation),),
            basis=in_force.citation,
        ),
    ]
    resolved = {tr.UPHOLD_DECISION, tr.CHANGE_DECISION, tr.ANNUL_DECISION}
    rules = (
        DeadlineRule(
            "resolution_period",
            ruleset.period(provincial.key),
            starts_on_enter=st.RESOLVING,
            start_date_key="received_on",
            met_by=resolved,
            cancelled_by={tr.WITHDRAW},
            citation=provincial.citation,
            label_en="Resolve the complaint (province and below)",
            label_vi="Thời hạn giải quyết khiếu nại (cấp tỉnh trở xuống)",
        ),
        DeadlineRule(
            "resolution_period_central",
            ruleset.period(central_rule.key),
            starts_on_enter=st.RESOLVING_AT_CENTRAL_LEVEL,
            start_date_key="received_on",
            met_by=resolved,
            cancelled_by={tr.WITHDRAW},
            citation=central_rule.citation,
            label_en="Resolve the complaint (central level)",
            label_vi="Thời hạn giải quyết khiếu nại (cấp Trung ương)",
        ),
        DeadlineRule(
            "escalation_window",
            ruleset.period(window_rule.key),
            starts_on_enter=st.RESOLVED,
            met_by={tr.ESCALATE},
            cancelled_by={tr.CLOSE},
            on_miss=tr.CLOSE,
            citation=window_rule.citation,
            label_en="Window to complain to the next level",
            label_vi="Thời hạn khiếu nại lên cấp trên",
        ),
    )
    return Workflow(
        name="complaint",
        version=ruleset.name,
        states=ComplaintState,
        triggers=ComplaintTrigger,
        initial=st.FILED,
        terminal={st.REJECTED, st.ANNULLED, st.CLOSED, st.WITHDRAWN},
        transitions=transitions,
        deadline_rules=rules,
        labels=_LABELS,
        citations=tuple(
            dict.fromkeys(
                [
                    window_rule.citation,
                    ruleset.rule("complaint_not_accepted_grounds").citation,
                    in_force.citation,
                    final_basis,
                    provincial.citation,
                    central_rule.citation,
                    ruleset.rule("central_committee_secret_ballot").citation,
                ]
            )
        ),
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
    from discipline_flow.processes import shipped_workflows

    for workflow in shipped_workflows(select_ruleset(filed_on)):
        if workflow.name == "complaint":
            return workflow
    raise InputError("workflow", "no shipped complaint workflow")  # pragma: no cover


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
        data["measure"] = g.parse_measure(measure).value
    if decider is not None:
        data["decided_by"] = {
            "kind": decider.kind.value,
            "id": decider.id,
            "level": None if decider.level is None else decider.level.value,
        }
    return data
