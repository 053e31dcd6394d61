"""Reading a move's payload and history: the values guards judge, and guards on their presence.

A payload is JSON-compatible: dates arrive as ISO text (``YYYY-MM-DD``), measures as their name
(``WARNING``, how stored enum members read) or value (``warning``, how people write them). A
value not in the move's payload is looked up in earlier steps, latest first, so that a measure
voted on ``HOLD_VOTE`` is the measure of the ``DECIDE`` that follows.

Guards deny by default: a missing or unreadable value refuses the move with a reason that names
the payload key and the form it takes (:func:`missing_reason`, :func:`guarded`).

>>> parse_measure("WARNING"), parse_measure("removal_from_post")
(<Measure.WARNING: 'warning'>, <Measure.REMOVAL_FROM_POST: 'removal_from_post'>)
>>> parse_day("2025-09-01", "violation_on")
datetime.date(2025, 9, 1)
>>> missing_reason("violation_on")
"payload key 'violation_on' is missing; it holds the day of the violation, YYYY-MM-DD"
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from typing import Any

from discipline_flow.actors import Body
from discipline_flow.citation import Citation
from discipline_flow.errors import DisciplineFlowError, InputError
from discipline_flow.rules import Measure
from discipline_flow.time._dates import local_date
from discipline_flow.workflow import Guard, GuardCheck, GuardContext

__all__ = [
    "PAYLOAD_KEYS",
    "find_value",
    "guarded",
    "history_values",
    "local_day",
    "measure_of",
    "missing_reason",
    "parse_day",
    "parse_measure",
    "requires",
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
# The two spellings a payload holds: the name (stored enum members) and the value (typed).
_MEASURE_TEXT: Mapping[str, Measure] = {
    **{m.name: m for m in Measure},
    **{m.value: m for m in Measure},
}


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


def parse_day(value: object, key: str) -> _dt.date:
    """The date a payload value ``key`` gives as ``YYYY-MM-DD``.

    >>> parse_day("1/9/2025", "filed_on")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: payload.filed_on: expected a date YYYY-MM-DD, got '1/9/2025'
    """
    if isinstance(value, str) and len(value) == 10:
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"payload.{key}", f"expected a date YYYY-MM-DD, got {value!r}")


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
    >>> case = wf.open(Member("m-1"), at=at, actor="person:clerk", payload={"measure": "warning"})
    >>> ctx = GuardContext(case, T.CLOSE, S.OPEN, S.CLOSED, at, case.steps[0].actor, {})
    >>> find_value(ctx, "measure"), find_value(ctx, "vote") is None
    ('warning', True)
    >>> measure_of(ctx), local_day(ctx)
    (<Measure.WARNING: 'warning'>, datetime.date(2025, 9, 1))
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
    # find_value, written out: nearly every authority, vote and limitation guard asks this.
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
    # Most payloads spell the measure exactly as stored: one lookup, before the general reader.
    if type(value) is str:
        member = _MEASURE_TEXT.get(value)
        if member is not None:
            return member
    return parse_measure(value)


def local_day(ctx: GuardContext[Any, Any]) -> _dt.date:
    """The local date of the move in the workflow's timezone."""
    return local_date(ctx.at, ctx.case.workflow.timezone)


def missing_reason(key: str) -> str:
    """The refusal for a payload value that is needed and missing, naming what it holds."""
    return f"payload key {key!r} is missing; it holds {PAYLOAD_KEYS.get(key, 'a value')}"


def guarded(check: GuardCheck) -> GuardCheck:
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


#: Values that count as missing besides None (a value that is true is never one of them).
_EMPTY: tuple[object, ...] = ("", [], {})


def requires(*keys: str, name: str, basis: Citation | None = None, what: str = "") -> Guard:
    """The move's payload carries every one of ``keys``, none of them empty.

    >>> guard = requires("action", name="action_given", what="the follow-up")
    >>> guard.description
    'the payload carries action'
    """

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
