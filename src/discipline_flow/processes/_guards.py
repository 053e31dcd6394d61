"""Guards shared by the process workflows: authority, voting, limitation, deferral, end of effect.

Every factory here takes the :class:`~discipline_flow.rules.Ruleset` the workflow is built from
and returns a :class:`~discipline_flow.Guard` whose ``basis`` is the citation of the rule it
enforces. A refusal names the rule and its citation (the reason ends with ``[citation]``), and
says what would be allowed. Guards deny by default: a missing or unreadable payload value refuses
the move with a reason that names the payload key and the form it takes.

Payload keys read here (the payload is JSON-compatible: dates arrive as ISO text):

``measure``
    the measure voted or decided: ``reprimand``, ``warning``, ``removal_from_post``,
    ``expulsion`` or ``dissolution`` (a :class:`~discipline_flow.rules.Measure`, its value or its
    name). Looked up in the payload, then in earlier steps (latest first).
``higher_assigned_task``
    true when the violation concerns a task assigned by a higher level (a party cell then only
    proposes). Looked up like ``measure``; false when absent.
``vote``
    a :meth:`VoteTally.to_payload() <discipline_flow.rules.VoteTally.to_payload>` dict.
``proposal_vote``
    the cell's proposal vote on expulsion (stage ``proposal``), when it is not the ``vote`` of an
    earlier step.
``violation_on``
    the day of the violation (``YYYY-MM-DD``); with ``violation_ended_on`` (the end of a
    continuing violation), ``new_violations_on`` (a list of days), ``deferrals`` (a list of
    ``{"start_on", "end_on", "reason"}``) and ``limitation_category`` (``internal_politics``,
    ``defence_security_foreign_affairs``, ``illegal_diplomas``). Looked up like ``measure``.
``reason``
    the reason of a deferral, one of the ruleset's ``deferral_reasons``.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import select_ruleset
>>> from discipline_flow.processes import _guards
>>> rules = select_ruleset(dt.date(2025, 9, 1))
>>> guard = _guards.may_decide(rules)
>>> guard.name, str(guard.basis)
('authority', 'QĐ 296-QĐ/TW Điều 10 mục 1.1 (secondary)')
>>> _guards.parse_measure("WARNING"), _guards.parse_measure("removal_from_post")
(<Measure.WARNING: 'warning'>, <Measure.REMOVAL_FROM_POST: 'removal_from_post'>)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import DisciplineFlowError, InputError
from discipline_flow.rules import (
    Measure,
    Ruleset,
    SubjectCategory,
    VoteStage,
    VoteTally,
    check_authority,
    check_vote,
    default_registry,
)
from discipline_flow.time._dates import local_date
from discipline_flow.time.limitation import (
    Deferral,
    LimitationPeriods,
    LimitationResult,
    SubjectKind,
    ViolationLevel,
    check_limitation,
)
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "PARTY_BODY_KINDS",
    "PAYLOAD_KEYS",
    "actor_kind",
    "authority_basis",
    "authority_flags",
    "body_rank",
    "deferral_reason",
    "era_citation",
    "expulsion_proposal",
    "find_value",
    "governing_regulation",
    "guarded",
    "higher_body",
    "history_values",
    "limitation_of",
    "local_day",
    "may_decide",
    "may_decide_or_propose",
    "may_propose",
    "measure_can_end",
    "measure_never_ends",
    "measure_of",
    "not_time_barred",
    "parse_measure",
    "party_body",
    "requires",
    "subject_not_voting",
    "time_barred",
    "vote_carries",
]

#: The payload keys the shared guards read, with what each holds.
PAYLOAD_KEYS: Mapping[str, str] = {
    "measure": "reprimand, warning, removal_from_post, expulsion or dissolution",
    "higher_assigned_task": "true when the violation concerns a task assigned by a higher level",
    "vote": "a VoteTally.to_payload() dict",
    "proposal_vote": "the cell's proposal vote on expulsion (a VoteTally.to_payload() dict)",
    "violation_on": "the day of the violation, YYYY-MM-DD",
    "violation_ended_on": "the day a continuing violation ended, YYYY-MM-DD",
    "new_violations_on": "a list of days of later violations, YYYY-MM-DD",
    "deferrals": "a list of {start_on, end_on, reason}: spans discipline could not be considered",
    "limitation_category": "internal_politics, defence_security_foreign_affairs or "
    "illegal_diplomas: no limitation period",
    "reason": "the reason of a deferral, one of the ruleset's deferral_reasons",
}

_MEASURES = ", ".join(m.value for m in Measure)
_LEVEL_OF = {
    Measure.REPRIMAND: ViolationLevel.REPRIMAND,
    Measure.WARNING: ViolationLevel.WARNING,
    Measure.REMOVAL_FROM_POST: ViolationLevel.REMOVAL,
    Measure.EXPULSION: ViolationLevel.EXPULSION,
    Measure.DISSOLUTION: ViolationLevel.DISSOLUTION,
}
_NEVER_ENDING = frozenset({Measure.EXPULSION, Measure.DISSOLUTION})

# ---------------------------------------------------------------------------- reading payloads


def parse_measure(value: object) -> Measure:
    """A :class:`~discipline_flow.rules.Measure` from itself, its value or its name.

    Payloads store enum members by name (``WARNING``), people write values (``warning``).

    >>> parse_measure("dismissal")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: measure: unknown measure 'dismissal'; measures: reprimand, warning, removal_from_post, expulsion, dissolution
    """
    if isinstance(value, Measure):
        return value
    if isinstance(value, str):
        member = _MEASURE_TEXT.get(value)
        if member is None:
            member = Measure.__members__.get(value.strip().upper())
        if member is not None:
            return member
    raise InputError("measure", f"unknown measure {value!r}; measures: {_MEASURES}")


# The two spellings a payload holds: the name (stored enum members) and the value (typed).
_MEASURE_TEXT = {**{m.name: m for m in Measure}, **{m.value: m for m in Measure}}


def history_values(ctx: GuardContext[Any, Any], key: str) -> Iterator[tuple[Any, Body]]:
    """Every value of ``key``: the payload of the move first, then earlier steps, latest first.

    Each value comes with the body that gave it (the actor of its step).
    """
    if key in ctx.payload:
        yield ctx.payload[key], ctx.actor
    for step in reversed(ctx.case.steps):
        if key in step.payload:
            yield step.payload[key], step.actor


def find_value(ctx: GuardContext[Any, Any], key: str) -> Any:
    """The latest value of ``key`` (the move's payload, then earlier steps); None if never given.

    >>> import enum, pendulum
    >>> from discipline_flow import Member, Transition, Workflow
    >>> from discipline_flow.workflow import GuardContext
    >>> class S(enum.Enum):
    ...     OPEN = "open"
    ...     CLOSED = "closed"
    >>> class T(enum.Enum):
    ...     CLOSE = "close"
    >>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
    ...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
    >>> at = pendulum.datetime(2025, 9, 1, 9, tz="Asia/Ho_Chi_Minh")
    >>> case = wf.open(Member("m-1"), at=at, actor="clerk", payload={"measure": "warning"})
    >>> ctx = GuardContext(case, T.CLOSE, S.OPEN, S.CLOSED, at, case.steps[0].actor, {})
    >>> find_value(ctx, "measure"), find_value(ctx, "vote") is None
    ('warning', True)
    """
    payload = ctx.payload
    if key in payload:
        return payload[key]
    for step in reversed(ctx.case.steps):
        data = step.payload
        if key in data:
            return data[key]
    return None


def measure_of(ctx: GuardContext[Any, Any]) -> Measure | None:
    """The measure of the move (payload ``measure``, else the latest earlier one); None if none.

    Raises :class:`~discipline_flow.errors.InputError` for a value that is not a measure.
    """
    # find_value and parse_measure inlined: every authority, vote and limitation guard asks.
    payload = ctx.payload
    if "measure" in payload:
        value = payload["measure"]
    else:
        value = None
        for step in reversed(ctx.case.steps):
            data = step.payload
            if "measure" in data:
                value = data["measure"]
                break
    if value is None:
        return None
    if type(value) is str:
        member = _MEASURE_TEXT.get(value)
        if member is not None:
            return member
    elif type(value) is Measure:
        return value
    return parse_measure(value)


def local_day(ctx: GuardContext[Any, Any]) -> _dt.date:
    """The local date of the move in the workflow's timezone."""
    return local_date(ctx.at, ctx.case.workflow.timezone)


def _day(value: object, key: str) -> _dt.date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"payload.{key}", f"expected a date YYYY-MM-DD, got {value!r}")


def guarded(check: Callable[[GuardContext[Any, Any]], str | None]) -> Callable[..., str | None]:
    """Wrap a guard check so that our errors (bad payload data) become its refusal reason.

    >>> from discipline_flow.errors import InputError
    >>> def check(ctx):
    ...     raise InputError("payload.vote", "expected a vote tally")
    >>> guarded(check)(None)
    'payload.vote: expected a vote tally'
    """

    def run(ctx: GuardContext[Any, Any]) -> str | None:
        try:
            return check(ctx)
        except DisciplineFlowError as exc:
            return str(exc)

    run.__doc__ = check.__doc__
    return run


def _missing(key: str) -> str:
    return f"payload key {key!r} is missing; it holds {PAYLOAD_KEYS.get(key, 'a value')}"


# ---------------------------------------------------------------------------- eras, bodies

_REGULATIONS = ("QĐ 21-QĐ/TW", "QĐ 296-QĐ/TW", "QĐ 22-QĐ/TW")


def governing_regulation(ruleset: Ruleset) -> str | None:
    """The regulation on inspection, supervision and discipline a ruleset rests on, if known.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> [governing_regulation(select_ruleset(dt.date(y, 6, 1))) for y in (2022, 2025, 2026)]
    ['QĐ 22-QĐ/TW', 'QĐ 296-QĐ/TW', 'QĐ 21-QĐ/TW']
    """
    codes = {document.code for document in ruleset.documents}
    return next((code for code in _REGULATIONS if code in codes), None)


def era_citation(
    ruleset: Ruleset, *, qd22: Citation, qd296: Citation, qd21: Citation | None = None
) -> Citation:
    """The citation for the regulation ``ruleset`` rests on.

    Under QĐ 21-QĐ/TW (2026, text not seen) the QĐ 296 citation is carried over as *assumed*
    unless ``qd21`` is given; a ruleset resting on none of the three gets the QĐ 296 one.
    """
    regulation = governing_regulation(ruleset)
    if regulation == "QĐ 22-QĐ/TW":
        return qd22
    if regulation == "QĐ 21-QĐ/TW":
        if qd21 is not None:
            return qd21
        carried = "QĐ 21-QĐ/TW (2026) replaced QĐ 296 and its text for this was not seen"
        note = carried if qd296.note is None else f"{carried}; {qd296.note}"
        return Citation(qd296.document, qd296.article, RuleStatus.ASSUMED, qd296.source, note)
    return qd296


#: Bodies of the party: the only ones that decide, propose, approve or resolve.
PARTY_BODY_KINDS = frozenset(BodyKind) - {BodyKind.STATE_AGENCY, BodyKind.PERSON, BodyKind.SYSTEM}

_LEVEL_RANK = {Level.GRASSROOTS: 0, Level.DISTRICT: 1, Level.PROVINCIAL: 2, Level.CENTRAL: 3}
_FIXED_LEVEL = {
    BodyKind.PARTY_CELL: Level.GRASSROOTS,
    BodyKind.CELL_EXECUTIVE: Level.GRASSROOTS,
    BodyKind.PARTIAL_COMMITTEE: Level.GRASSROOTS,
    BodyKind.GRASSROOTS_COMMITTEE: Level.GRASSROOTS,
    BodyKind.SECRETARIAT: Level.CENTRAL,
    BodyKind.POLITBURO: Level.CENTRAL,
    BodyKind.CENTRAL_COMMITTEE: Level.CENTRAL,
}
# Within a level: a committee stands over its standing committee and its inspection commission
# (the same-level committee resolves complaints about its commission's decisions, QĐ 262).
_KIND_RANK = {
    BodyKind.PARTY_CELL: 0,
    BodyKind.CELL_EXECUTIVE: 0,
    BodyKind.PARTIAL_COMMITTEE: 1,
    BodyKind.INSPECTION_COMMISSION: 2,
    BodyKind.STANDING_COMMITTEE: 3,
    BodyKind.GRASSROOTS_COMMITTEE: 4,
    BodyKind.COMMITTEE: 4,
    BodyKind.SECRETARIAT: 5,
    BodyKind.POLITBURO: 6,
    BodyKind.CENTRAL_COMMITTEE: 7,
}


def body_rank(body: Body) -> tuple[int, int]:
    """Where a party body stands: (level, place within the level); higher is greater.

    >>> from discipline_flow import Body, BodyKind, Level
    >>> cell = Body(BodyKind.PARTY_CELL, "c-1")
    >>> commission = Body(BodyKind.INSPECTION_COMMISSION, "i-1", Level.PROVINCIAL)
    >>> body_rank(cell) < body_rank(commission) < body_rank(Body(BodyKind.SECRETARIAT, "s"))
    True
    """
    if body.kind not in _KIND_RANK:
        raise InputError("body", f"{body} is not a party body; party bodies rank by level")
    level = _FIXED_LEVEL.get(body.kind, body.level)
    if level is None:
        raise InputError("body", f"{body} needs a level (grassroots, provincial, central, ...)")
    return _LEVEL_RANK[level], _KIND_RANK[body.kind]


def party_body(name: str = "party_body", *, basis: Citation | None = None) -> Guard:
    """The actor is a party body (not a person, a state agency or the system)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.actor.kind in PARTY_BODY_KINDS:
            return None
        cited = f" [{basis}]" if basis is not None else ""
        return f"{ctx.actor} is not a party body; only party bodies do this{cited}"

    return Guard(name, check, basis=basis, description="the actor is a party body")


def higher_body(name: str = "higher_body", *, basis: Citation, of_trigger: str = "DECIDE") -> Guard:
    """The actor stands above the body that fired the latest ``of_trigger`` step.

    Used where a higher level approves, changes, annuls or resolves what a lower level decided.
    """

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decider = None
        for step in reversed(ctx.case.steps):
            trigger = step.trigger
            if trigger is not None and trigger._name_ == of_trigger:
                decider = step.actor
                break
        if decider is None:
            return f"no {of_trigger} step to review [{basis}]"
        if ctx.actor.kind not in PARTY_BODY_KINDS:
            return f"{ctx.actor} is not a party body [{basis}]"
        if body_rank(ctx.actor) <= body_rank(decider):
            return (
                f"{ctx.actor} does not stand above {decider}, which decided; only a higher "
                f"body (or the same-level committee over its commission) may do this [{basis}]"
            )
        return None

    return Guard(
        name,
        guarded(check),
        basis=basis,
        description=f"the actor stands above the body of the {of_trigger} step",
    )


# ---------------------------------------------------------------------------- authority


def authority_basis(ruleset: Ruleset) -> Citation:
    """The citation of the authority matrix as a whole: its party-cell article in ``ruleset``.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> str(authority_basis(select_ruleset(dt.date(2022, 1, 1))))
    'QĐ 22-QĐ/TW Điều 11 (verified)'
    """
    cell = ruleset.authority_cell(
        BodyKind.PARTY_CELL, None, SubjectCategory.FULL_MEMBER, Measure.WARNING
    )
    if cell is not None:
        return cell.citation
    return Citation(
        "Điều lệ Đảng (2011)",
        "Điều 36",
        RuleStatus.VERIFIED,
        source="P-dcs-76130",
        note="the ruleset's matrix has no party-cell cell; the Charter's article is cited",
    )


# Authority answers per ruleset (by identity: hashing a ruleset costs a millisecond), keyed by
# the body, the *shape* of the subject and the measure. The shape keeps every attribute
# ``check_authority`` decides on and drops the rest (ids, names), so one answer serves every
# member of the same kind; refusals are recomputed with the real subject for their message.
_AUTHORITY: dict[int, tuple[Ruleset, dict[tuple[Any, ...], tuple[bool, bool, bool]]]] = {}
_OTHER_PARENT = "\x00other"  # never a body id: body ids may not contain NUL


def _shape(subject: Member | Organisation, body: Body) -> Member | Organisation:
    if isinstance(subject, Organisation):
        parent = subject.parent_id
        if parent is not None and parent != body.id:
            parent = _OTHER_PARENT
        return Organisation("_", subject.level, parent_id=parent)
    return Member(
        "_",
        is_probationary=subject.is_probationary,
        holds_post=subject.holds_post,
        committee_level=subject.committee_level,
        managed_by=subject.managed_by,
    )


def authority_flags(
    ruleset: Ruleset,
    body: Body,
    subject: Member | Organisation,
    measure: Measure,
    *,
    higher_assigned_task: bool = False,
) -> tuple[bool, bool, bool]:
    """``(allowed, proposal_only, needs_approval)`` of ``check_authority``, memoised.

    >>> import datetime as dt
    >>> from discipline_flow import Body, BodyKind, Member
    >>> from discipline_flow.rules import select_ruleset
    >>> rules = select_ruleset(dt.date(2025, 9, 1))
    >>> authority_flags(rules, Body(BodyKind.PARTY_CELL, "c"), Member("m-1"), Measure.EXPULSION)
    (False, True, False)
    """
    entry = _AUTHORITY.get(id(ruleset))
    if entry is None or entry[0] is not ruleset:
        entry = (ruleset, {})
        _AUTHORITY[id(ruleset)] = entry
    table = entry[1]
    # What _shape keeps, as a plain tuple: building an attrs subject per call would cost more.
    shape: tuple[Any, ...]
    if isinstance(subject, Organisation):
        parent = subject.parent_id
        if parent is not None and parent != body.id:
            parent = _OTHER_PARENT
        shape = (Organisation, subject.level, parent)
    else:
        shape = (
            Member,
            subject.is_probationary,
            subject.holds_post,
            subject.committee_level,
            subject.managed_by,
        )
    key = (body, shape, measure, higher_assigned_task)
    flags = table.get(key)
    if flags is None:
        decision = check_authority(
            ruleset, body, _shape(subject, body), measure, higher_assigned_task=higher_assigned_task
        )
        flags = (decision.allowed, decision.proposal_only, decision.needs_approval)
        if len(table) >= 65536:
            table.clear()
        table[key] = flags
    return flags


def _decision(ruleset: Ruleset, ctx: GuardContext[Any, Any], measure: Measure, task: bool) -> Any:
    return check_authority(ruleset, ctx.actor, ctx.subject, measure, higher_assigned_task=task)


def may_decide(ruleset: Ruleset, name: str = "authority") -> Guard:
    """The actor may impose the measure on the subject (``check_authority`` allows it)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return _missing("measure")
        task = bool(find_value(ctx, "higher_assigned_task"))
        if authority_flags(ruleset, ctx.actor, ctx.subject, measure, higher_assigned_task=task)[0]:
            return None
        return str(_decision(ruleset, ctx, measure, task).reason)

    return Guard(
        name,
        guarded(check),
        basis=authority_basis(ruleset),
        description="the acting body may impose the measure on the subject (authority matrix)",
        uses_payload=True,
    )


def may_propose(ruleset: Ruleset, name: str = "proposal_authority") -> Guard:
    """The actor may only propose the measure (a cell for a higher-assigned task, say)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return _missing("measure")
        task = bool(find_value(ctx, "higher_assigned_task"))
        if authority_flags(ruleset, ctx.actor, ctx.subject, measure, higher_assigned_task=task)[1]:
            return None
        decision = _decision(ruleset, ctx, measure, task)
        if decision.allowed:
            return (
                f"{ctx.actor} may decide {measure.label_en} itself; a body proposes to the "
                f"competent body only what it may not decide: {decision.reason}"
            )
        return str(decision.reason)

    return Guard(
        name,
        guarded(check),
        basis=authority_basis(ruleset),
        description="the acting body may only propose the measure to the competent body",
        uses_payload=True,
    )


def may_decide_or_propose(ruleset: Ruleset, name: str = "authority") -> Guard:
    """The actor may decide or at least propose the measure: the right to vote on it at all."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return _missing("measure")
        task = bool(find_value(ctx, "higher_assigned_task"))
        allowed, proposal_only, _ = authority_flags(
            ruleset, ctx.actor, ctx.subject, measure, higher_assigned_task=task
        )
        if allowed or proposal_only:
            return None
        return str(_decision(ruleset, ctx, measure, task).reason)

    return Guard(
        name,
        guarded(check),
        basis=authority_basis(ruleset),
        description="the acting body may decide or propose the measure (authority matrix)",
        uses_payload=True,
    )


def actor_kind(
    kinds: Iterable[BodyKind], *, name: str, basis: Citation, what: str = "this move"
) -> Guard:
    """The actor is one of ``kinds`` of body."""
    allowed = frozenset(kinds)
    words = ", ".join(sorted(k.value for k in allowed))

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.actor.kind in allowed:
            return None
        return f"{ctx.actor} may not do {what}; bodies allowed: {words} [{basis}]"

    return Guard(name, check, basis=basis, description=f"{what} is done by: {words}")


#: Values that count as missing besides None (a value that is true is never one of them).
_EMPTY: tuple[object, ...] = ("", [], {})


def requires(*keys: str, name: str, basis: Citation | None = None, what: str = "") -> Guard:
    """The move's payload carries every one of ``keys`` (non-empty)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        payload = ctx.payload
        for k in keys:  # the common case, every key given, without building a list
            value = payload.get(k)
            if value is None or (not value and value in _EMPTY):
                break
        else:
            return None
        missing = [k for k in keys if payload.get(k) in (None, *_EMPTY)]
        cited = f" [{basis}]" if basis is not None else ""
        return f"{what or 'this move'} needs payload {', '.join(map(repr, missing))}{cited}"

    return Guard(
        name,
        check,
        basis=basis,
        description=f"the payload carries {', '.join(keys)}",
        uses_payload=True,
    )


# ---------------------------------------------------------------------------- voting


_TALLY_ALL = frozenset(
    {"eligible", "in_favour", "against", "abstaining", "voter_ids", "is_secret_ballot", "stage"}
)
_TEXT_TYPE = frozenset({str})
_NO_VOTERS: tuple[str, ...] = ()
# Tallies repeat (a cell of nine, seven in favour): each well-formed one is parsed once.
_TALLIES: dict[tuple[Any, ...], VoteTally] = {}


def _tally(value: object, key: str) -> VoteTally:
    if type(value) is not dict and not isinstance(value, Mapping):
        raise InputError(f"payload.{key}", "expected a vote tally (VoteTally.to_payload())")
    get = value.get
    eligible, in_favour = get("eligible"), get("in_favour")
    against, abstaining = get("against"), get("abstaining")
    secret = get("is_secret_ballot", False)
    stage = get("stage", "decision")
    voters = get("voter_ids", _NO_VOTERS)
    # Only the well-formed shape is memoised, and its key is exact: counts are ints (1 == True,
    # but a tally takes no bool for a count), the ballot a bool, the stage text, the voters a
    # list of text; a missing optional key reads as its default, as ``from_payload`` reads it.
    if (
        type(eligible) is int
        and type(in_favour) is int
        and type(against) is int
        and type(abstaining) is int
        and type(secret) is bool
        and type(stage) is str
        and (type(voters) is list or type(voters) is tuple)
        and (not voters or _TEXT_TYPE.issuperset(map(type, voters)))
        and _TALLY_ALL.issuperset(value)
    ):
        memo_key = (eligible, in_favour, against, abstaining, secret, stage, tuple(voters))
        tally = _TALLIES.get(memo_key)
        if tally is None:
            tally = VoteTally.from_payload(
                {
                    "eligible": eligible,
                    "in_favour": in_favour,
                    "against": against,
                    "abstaining": abstaining,
                    "voter_ids": list(voters),
                    "is_secret_ballot": secret,
                    "stage": stage,
                }
            )
            if len(_TALLIES) >= 4096:
                _TALLIES.clear()
            _TALLIES[memo_key] = tally
        return tally
    return VoteTally.from_payload(value)


def _vote_failures(
    cache: dict[tuple[Any, ...], str],
    ruleset: Ruleset,
    measure: Measure,
    tally: VoteTally,
    body: Body,
) -> str:
    """``check_vote`` without the subject's own vote (judged apart), memoised per ruleset.

    The reasons joined by ``"; "``; empty when the vote carries.
    """
    key = (measure, tally, body.kind)
    found = cache.get(key)
    if found is None:
        found = "; ".join(
            str(f)
            for f in check_vote(ruleset, measure, tally, subject_id="", deciding_body=body)
            if f.rule != "subject_excluded_from_vote"
        )
        if len(cache) >= 4096:
            cache.clear()
        cache[key] = found
    return found


def vote_carries(
    ruleset: Ruleset,
    *,
    name: str = "vote",
    stage: VoteStage | None = None,
    from_last_step: bool = False,
) -> Guard:
    """The ``vote`` in the payload carries the measure under the ruleset's thresholds.

    ``stage`` requires a proposal or a decision vote (any when None). With ``from_last_step``
    a move without a ``vote`` uses the vote of the case's last step (deciding on the vote just
    held). Whether the subject voted is left to :func:`subject_not_voting`.
    """
    majority = ruleset.rule("discipline_vote_majority")
    cache: dict[tuple[Any, ...], str] = {}

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return _missing("measure")
        raw = ctx.payload.get("vote")
        if raw is None and from_last_step:
            raw = ctx.case.steps[-1].payload.get("vote")
        if raw is None:
            return _missing("vote")
        tally = _tally(raw, "vote")
        if stage is not None and tally.stage is not stage:
            return (
                f"a {stage.value} vote is needed here, got a {tally.stage.value} vote "
                f"[{majority.citation}]"
            )
        return _vote_failures(cache, ruleset, measure, tally, ctx.actor) or None

    return Guard(
        name,
        guarded(check),
        basis=majority.citation,
        description="the vote carries the measure (more than half; expulsion proposal 2/3)",
        uses_payload=True,
    )


def subject_not_voting(ruleset: Ruleset, name: str = "subject_not_voting") -> Guard:
    """The subject is not among the voters of any tally of the move (``vote``/``proposal_vote``)."""
    rule = ruleset.rule("subject_excluded_from_vote")
    excluded = ruleset.flag(rule.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if not excluded:
            return None
        for key in ("vote", "proposal_vote"):
            raw = ctx.payload.get(key)
            if raw is None:
                continue
            tally = _tally(raw, key)
            if ctx.subject.id in tally.voter_ids:
                return (
                    f"the subject {ctx.subject.id!r} is among the voters of {key}; a member "
                    f"does not vote on their own case [{rule.citation}]"
                )
        return None

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="a subject does not vote on their own case",
        uses_payload=True,
    )


def _proposal_tallies(ctx: GuardContext[Any, Any]) -> Iterator[tuple[VoteTally, Body]]:
    for value, body in history_values(ctx, "proposal_vote"):
        yield _tally(value, "proposal_vote"), body
    for value, body in history_values(ctx, "vote"):
        if isinstance(value, Mapping) and value.get("stage") == VoteStage.PROPOSAL.value:
            yield _tally(value, "vote"), body


def expulsion_proposal(ruleset: Ruleset, name: str = "expulsion_proposal") -> Guard:
    """Expulsion needs at least two thirds of the cell's full members proposing it.

    The proposal is the payload's ``proposal_vote`` or an earlier proposal-stage vote; other
    measures pass.
    """
    rule = ruleset.rule("expulsion_proposal_majority")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if measure_of(ctx) is not Measure.EXPULSION:
            return None
        for tally, body in _proposal_tallies(ctx):
            proposal = VoteTally(
                tally.eligible,
                tally.in_favour,
                tally.against,
                tally.abstaining,
                voter_ids=tally.voter_ids,
                is_secret_ballot=tally.is_secret_ballot,
                stage=VoteStage.PROPOSAL,
            )
            failures = [
                f
                for f in check_vote(
                    ruleset,
                    Measure.EXPULSION,
                    proposal,
                    subject_id=ctx.subject.id,
                    deciding_body=body,
                )
                if f.rule == rule.key
            ]
            return "; ".join(str(f) for f in failures) or None
        return (
            f"expulsion needs the cell's proposal, voted by at least {ruleset.fraction(rule.key)} "
            f"of its full members; give it as 'proposal_vote' [{rule.citation}]"
        )

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="expulsion is proposed by at least two thirds of the cell's full members",
        uses_payload=True,
    )


# ---------------------------------------------------------------------------- limitation


# Per ruleset (by identity): the registry it was looked up in, whether it is one of that
# registry's rulesets, and the ruleset in force per violation day already asked about.
_BUILTIN: dict[int, tuple[Ruleset, Any, bool, dict[_dt.date, Ruleset]]] = {}


def _limitation_ruleset(ruleset: Ruleset, violation_on: _dt.date) -> Ruleset:
    """The limitation period is judged by the rules in force on the violation (SELECTION_DATE).

    Only for built-in rulesets: an embedding system's own ruleset stays authoritative.
    """
    registry = default_registry()
    entry = _BUILTIN.get(id(ruleset))
    if entry is None or entry[0] is not ruleset or entry[1] is not registry:
        entry = (ruleset, registry, any(candidate is ruleset for candidate in registry), {})
        if len(_BUILTIN) >= 256:  # rulesets made on the fly must not be kept alive for ever
            _BUILTIN.clear()
        _BUILTIN[id(ruleset)] = entry
    if not entry[2]:
        return ruleset
    chosen = entry[3].get(violation_on)
    if chosen is None:
        chosen = next((c for c in registry if c.covers(violation_on)), ruleset)
        if len(entry[3]) >= 4096:
            entry[3].clear()
        entry[3][violation_on] = chosen
    return chosen


def _deferrals(ctx: GuardContext[Any, Any], triggers: tuple[str, str]) -> list[Deferral]:
    """The deferrals given in the payload, then the spans between ``DEFER`` and ``RESUME`` steps."""
    spans: list[Deferral] = []
    raw = find_value(ctx, "deferrals")
    if raw is not None:
        if not isinstance(raw, list):
            raise InputError("payload.deferrals", "expected a list of {start_on, end_on, reason}")
        for item in raw:
            if not isinstance(item, Mapping):
                raise InputError("payload.deferrals", "each item is {start_on, end_on, reason}")
            spans.append(
                Deferral(
                    _day(item.get("start_on"), "deferrals.start_on"),
                    _day(item.get("end_on"), "deferrals.end_on"),
                    str(item.get("reason") or ""),
                )
            )
    defer, resume = triggers
    timezone = ctx.case.workflow.timezone
    started: _dt.date | None = None
    reason = ""
    for step in ctx.case.steps:
        trigger = step.trigger
        if trigger is None:
            continue
        # ``_name_`` is the member's name without the ``name`` property's descriptor call.
        name = trigger._name_
        if name == defer:
            started = local_date(step.at, timezone)
            reason = str(step.payload.get("reason") or "")
        elif name == resume and started is not None:
            spans.append(Deferral(started, local_date(step.at, timezone), reason))
            started = None
    return spans


def limitation_of(
    ruleset: Ruleset,
    ctx: GuardContext[Any, Any],
    *,
    deferral_triggers: tuple[str, str] = ("DEFER", "RESUME"),
) -> LimitationResult | str:
    """The limitation check for the move, or the reason it cannot be made (missing data).

    The measure gives the level; the subject the kind; ``violation_on`` and the other limitation
    keys come from the payload or earlier steps; the spans between ``DEFER`` and ``RESUME`` steps
    of the case are not counted when the ruleset says so. The day of the move is the day the
    competent body concludes.
    """
    measure = measure_of(ctx)
    if measure is None:
        return _missing("measure")
    raw = find_value(ctx, "violation_on")
    if raw is None:
        return _missing("violation_on") + " (the limitation period runs from it)"
    violation_on = _day(raw, "violation_on")
    rules = _limitation_ruleset(ruleset, violation_on)
    periods, results = _periods_of(rules)
    ended = find_value(ctx, "violation_ended_on")
    news = find_value(ctx, "new_violations_on") or []
    if not isinstance(news, list):
        raise InputError("payload.new_violations_on", "expected a list of dates YYYY-MM-DD")
    deferrals: tuple[Deferral, ...] = ()
    if rules.flag("limitation_excludes_deferral_time"):
        deferrals = tuple(_deferrals(ctx, deferral_triggers))
    is_organisation = isinstance(ctx.subject, Organisation)
    category = find_value(ctx, "limitation_category")
    if category is not None and not isinstance(category, str):
        raise InputError("payload.limitation_category", "expected the name of a category")
    on = max(local_day(ctx), violation_on)
    ended_on = None if ended is None else _day(ended, "violation_ended_on")
    news_on = tuple(_day(d, "new_violations_on") for d in news) if news else ()
    # ``check_limitation`` is a pure function of these values; the periods are the ruleset's,
    # so the memo lives with them (hashing the periods on every call would cost more).
    key = (measure, is_organisation, violation_on, on, ended_on, news_on, deferrals, category)
    result = results.get(key)
    if result is None:
        result = check_limitation(
            _LEVEL_OF[measure],
            SubjectKind.ORGANISATION if is_organisation else SubjectKind.MEMBER,
            violation_on=violation_on,
            on=on,
            violation_ended_on=ended_on,
            new_violations_on=news_on,
            deferrals=deferrals,
            category=category,
            periods=periods,
        )
        if len(results) >= 16384:
            results.clear()
        results[key] = result
    return result


_PERIODS: dict[int, tuple[Ruleset, LimitationPeriods, dict[tuple[Any, ...], LimitationResult]]] = {}


def _periods_of(
    rules: Ruleset,
) -> tuple[LimitationPeriods, dict[tuple[Any, ...], LimitationResult]]:
    """The limitation periods of a ruleset, built once per ruleset, and its memo of results."""
    entry = _PERIODS.get(id(rules))
    if entry is None or entry[0] is not rules:
        periods = LimitationPeriods(
            reprimand=rules.period("limitation_period_reprimand"),
            warning=rules.period("limitation_period_warning"),
            removal=rules.period("limitation_period_removal_from_post"),
            citation=rules.rule("limitation_period_reprimand").citation,
        )
        entry = (rules, periods, {})
        if len(_PERIODS) >= 256:  # rulesets made on the fly must not be kept alive for ever
            _PERIODS.clear()
        _PERIODS[id(rules)] = entry
    return entry[1], entry[2]


def not_time_barred(ruleset: Ruleset, name: str = "not_time_barred") -> Guard:
    """The limitation period has not run out on the day of the move (QĐ 69-QĐ/TW Điều 4)."""
    basis = ruleset.rule("limitation_period_reprimand").citation

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        result = limitation_of(ruleset, ctx)
        if isinstance(result, str):
            return f"{result} [{basis}]"
        return f"{result.reason} [{result.citation}]" if result.time_barred else None

    return Guard(
        name,
        guarded(check),
        basis=basis,
        description="the violation is not time-barred on the day of the decision",
        uses_payload=True,
    )


def time_barred(ruleset: Ruleset, name: str = "time_barred") -> Guard:
    """The limitation period has run out: no discipline (the other side of :func:`not_time_barred`)."""
    basis = ruleset.rule("limitation_period_reprimand").citation

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        result = limitation_of(ruleset, ctx)
        if isinstance(result, str):
            return f"{result} [{basis}]"
        return None if result.time_barred else f"{result.reason} [{result.citation}]"

    return Guard(
        name,
        guarded(check),
        basis=basis,
        description="the violation is time-barred on the day of the decision",
        uses_payload=True,
    )


# ---------------------------------------------------------------------------- deferral, effect


def deferral_reason(ruleset: Ruleset, name: str = "deferral_reason") -> Guard:
    """The payload ``reason`` is one of the ruleset's ``deferral_reasons`` (QĐ 296 Điều 8 ý 7)."""
    rule = ruleset.rule("deferral_reasons")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        allowed = ruleset.texts(rule.key)
        reason = ctx.payload.get("reason")
        if reason in allowed:
            return None
        return (
            f"discipline is deferred only for: {', '.join(allowed)}; got {reason!r} "
            f"[{rule.citation}]"
        )

    return Guard(
        name,
        check,
        basis=rule.citation,
        description="discipline is not considered while a deferral reason lasts",
        uses_payload=True,
    )


def measure_can_end(ruleset: Ruleset, name: str = "measure_can_end") -> Guard:
    """The decided measure ends automatically after 12 months: not expulsion or dissolution."""
    rule = ruleset.rule("end_of_effect_period")

    refusals: dict[Measure, str] = {}  # the ruleset is immutable: each text is built once

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return _missing("measure")
        if measure in _NEVER_ENDING:
            reason = refusals.get(measure)
            if reason is None:
                reason = refusals[measure] = (
                    f"a decision of {measure.label_en} never ends automatically; only "
                    f"reprimand, warning and removal from post end after "
                    f"{ruleset.period(rule.key)} [{rule.citation}]"
                )
            return reason
        return None

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="not expulsion or dissolution: the decision can end automatically",
        uses_payload=True,
    )


def measure_never_ends(ruleset: Ruleset, name: str = "measure_never_ends") -> Guard:
    """The decided measure is expulsion or dissolution, which never end automatically."""
    rule = ruleset.rule("end_of_effect_period")

    refusals: dict[Measure, str] = {}  # the ruleset is immutable: each text is built once

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return _missing("measure")
        if measure in _NEVER_ENDING:
            return None
        reason = refusals.get(measure)
        if reason is None:
            reason = refusals[measure] = (
                f"a decision of {measure.label_en} ends automatically after "
                f"{ruleset.period(rule.key)}; only expulsion and dissolution stay in force "
                f"[{rule.citation}]"
            )
        return reason

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="expulsion or dissolution: the decision never ends automatically",
        uses_payload=True,
    )
