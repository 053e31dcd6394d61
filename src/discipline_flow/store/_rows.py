"""Cases to and from table rows: the columns of each table and the checks made on the way.

Rows hold enum members by name and the instants of steps as ISO text with their original offset
(the hash covers ``at.isoformat()``, so the text must come back byte for byte). Payloads, subjects,
origins and deadlines are the compact JSON of their :mod:`discipline_flow.serialization` dicts,
made by the same cattrs functions as :func:`~discipline_flow.serialization.case_to_dict`
(deadlines: :mod:`~discipline_flow.store._deadlines`).

Every text value is checked before it is written: NUL characters and lone surrogates are refused
with an :class:`~discipline_flow.errors.InputError`, the same on every store (PostgreSQL cannot
hold NUL in text at all).
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import pendulum

from discipline_flow.actors import Body, BodyKind, Level, Subject, check_text
from discipline_flow.case import Case, Step, StepKind
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import InputError, MalformedDataError
from discipline_flow.serialization import origin_to_dict, subject_from_dict, subject_to_dict

__all__ = [
    "CASE_COLUMNS",
    "STEP_COLUMNS",
    "case_row",
    "check_text",
    "decode_steps",
    "dumps",
    "epoch_us",
    "from_epoch_us",
    "instant_from_text",
    "json_object",
    "loads",
    "local_from_epoch_us",
    "local_time",
    "step_rows",
    "subject_from_text",
]

CASE_COLUMNS = (
    "id",
    "workflow",
    "workflow_version",
    "subject_kind",
    "subject_id",
    "state",
    "version",
    "opened_at",
    "last_at",
    "ruleset",
    "origin_case_id",
    "subject",
    "origin",
    "head_hash",
)
STEP_COLUMNS = (
    "case_id",
    "idx",
    "kind",
    "trigger",
    "source",
    "target",
    "at",
    "actor_kind",
    "actor_id",
    "actor_level",
    "actor_name",
    "basis",
    "payload",
    "previous_hash",
    "hash",
)

try:  # the C implementation of the standard library is ~10x faster than pendulum's here
    _LOCAL: _dt.tzinfo = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - no system tz database
    _LOCAL = pendulum.timezone(DEFAULT_TIMEZONE)
# One encoder for every write: json.dumps with options builds a new encoder on each call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_STEP_KINDS = {k.value: k for k in StepKind}
_BODY_KINDS = {k.value: k for k in BodyKind}
_LEVELS = {lv.value: lv for lv in Level}


def dumps(value: Any, where: str) -> str:
    """Compact JSON text of ``value``, fit for a text column.

    JSON escapes control characters (NUL among them), so only a lone surrogate, which it writes
    as it is, can make the text one a store cannot hold.
    """
    if not value and type(value) is dict:
        return "{}"
    try:
        text = _ENCODER.encode(value)
    except (TypeError, ValueError) as exc:
        raise InputError(where, f"cannot be stored as JSON: {exc}") from None
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(where, "text must be valid Unicode (no lone surrogates)") from None
    return text


def loads(text: Any, where: str) -> Any:
    """The value the JSON ``text`` holds; a MalformedDataError for anything else."""
    if text == "{}":
        return {}
    if not isinstance(text, str):
        raise MalformedDataError(where, f"expected JSON text, got {type(text).__name__}")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise MalformedDataError(where, f"invalid JSON ({exc})") from None


def json_object(text: Any, where: str) -> dict[str, Any]:
    """The JSON object ``text`` holds; a MalformedDataError for anything else."""
    data = loads(text, where)
    if not isinstance(data, dict):
        raise MalformedDataError(where, "expected a JSON object")
    return data


# --------------------------------------------------------------------------- instants

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_EPOCH_DAY = _EPOCH.toordinal()
_US = _dt.timedelta(microseconds=1)


def epoch_us(value: _dt.datetime) -> int:
    """An aware datetime as whole microseconds since 1970-01-01 UTC (exact, ordered)."""
    if type(value) is _dt.datetime:  # exact C arithmetic (subclasses may override "-")
        try:
            return (value - _EPOCH) // _US
        except TypeError:  # no UTC offset: counted as UTC below, as before
            pass
    seconds = (value.toordinal() - _EPOCH_DAY) * 86_400 + (
        value.hour * 3600 + value.minute * 60 + value.second
    )
    offset = value.utcoffset()
    local = seconds * 1_000_000 + value.microsecond
    return local - offset // _US if offset else local


def from_epoch_us(value: object) -> _dt.datetime:
    """The aware UTC datetime ``value`` microseconds after 1970-01-01 UTC."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedDataError("timestamp", f"expected microseconds, got {value!r}")
    return _EPOCH + _dt.timedelta(microseconds=value)


def local_from_epoch_us(value: object) -> _dt.datetime:
    """:func:`from_epoch_us` shown in the library's default timezone."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedDataError("timestamp", f"expected microseconds, got {value!r}")
    seconds, micro = divmod(value, 1_000_000)
    local = _dt.datetime.fromtimestamp(seconds, _LOCAL)
    return local + _dt.timedelta(microseconds=micro) if micro else local


def local_time(value: _dt.datetime) -> _dt.datetime:
    """``value`` shown in the library's default timezone."""
    return value.astimezone(_LOCAL)


def instant_from_text(text: object, where: str) -> _dt.datetime:
    """The aware datetime the ISO ``text`` names; a MalformedDataError for anything else."""
    if type(text) is not str:
        raise MalformedDataError(where, f"expected an ISO datetime, got {text!r}")
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise MalformedDataError(where, f"{text!r} is not an ISO datetime") from None
    if when.tzinfo is None:
        raise MalformedDataError(where, f"{text!r} has no timezone")
    return when


# --------------------------------------------------------------------------- cases and steps


def subject_text(subject: Subject) -> str:
    """The JSON text of the ``subject`` column, each text value checked."""
    data = subject_to_dict(subject)
    for key, value in data.items():
        if type(value) is str:
            check_text(value, f"subject.{key}")
    return dumps(data, "subject")


def subject_from_text(text: Any, where: str) -> Subject:
    """The member or organisation the JSON ``text`` of a ``subject`` column describes."""
    return subject_from_dict(loads(text, where))


def case_row(case: Case[Any, Any], ts: Any) -> tuple[Any, ...]:
    """The ``cases`` row of ``case``; ``ts`` turns an aware datetime into the column's value."""
    wf = case.workflow
    subject = case.subject
    origin = case.origin
    steps = case.steps
    ruleset = wf.ruleset
    return (
        case.id,
        check_text(wf.name, "workflow.name"),
        check_text(wf.version, "workflow.version"),
        subject.kind,
        check_text(subject.id, "subject.id"),
        case.state.name,
        len(steps),
        ts(steps[0].at),
        ts(steps[-1].at),
        None if ruleset is None else check_text(ruleset, "workflow.ruleset"),
        None if origin is None else origin.case_id,
        subject_text(subject),
        None if origin is None else dumps(origin_to_dict(origin), "origin"),
        steps[-1].hash,
    )


def step_rows(case: Case[Any, Any], start: int) -> list[tuple[Any, ...]]:
    """The ``steps`` rows of the case's steps from index ``start`` on."""
    case_id = case.id
    rows: list[tuple[Any, ...]] = []
    # Enum members by their documented _name_ and _value_ attributes: the name and value
    # properties cost a call each, six times a step.
    for step in case.steps[start:]:
        actor = step.actor
        trigger, source, level, name, basis = (
            step.trigger,
            step.source,
            actor.level,
            actor.name,
            step.basis,
        )
        try:
            rows.append(
                (
                    case_id,
                    step.index,
                    step.kind._value_,
                    None if trigger is None else trigger._name_,
                    None if source is None else source._name_,
                    step.target._name_,
                    step.at.isoformat(),
                    actor.kind._value_,
                    check_text(actor.id, "actor.id"),
                    None if level is None else level._value_,
                    None if name is None else check_text(name, "actor.name"),
                    None if basis is None else check_text(basis, "basis"),
                    dumps(step.payload, "payload"),
                    step.previous_hash,
                    step.hash,
                )
            )
        except InputError as exc:  # the place is named only for an error
            raise InputError(
                f"case {case_id} step {step.index} {exc.argument}", exc.problem
            ) from None
    return rows


def decode_steps(
    rows: Sequence[Sequence[Any]],
    states: Mapping[str, enum.Enum],
    triggers: Mapping[str, enum.Enum],
) -> list[Step[Any, Any]]:
    """The steps ``steps`` rows describe (all of one case, in order), with the members of
    ``states`` and ``triggers`` by name. Bodies acting in several steps are shared: they are
    immutable values. A row that cannot be read raises the error that names its problem."""
    steps: list[Step[Any, Any]] = []
    bodies: dict[Sequence[Any], Body] = {}
    for row in rows:
        _, idx, kind, trigger, source, target, at, *_, basis, payload, previous, digest = row
        step_kind = _STEP_KINDS.get(kind)
        trigger_member = None if trigger is None else triggers.get(trigger)
        source_member = None if source is None else states.get(source)
        target_member = states.get(target)
        body = bodies.get(actor := row[7:11])
        if body is None:
            body = bodies[actor] = _body(row)
        when: _dt.datetime | None = None
        data: Any = None
        try:
            when = _dt.datetime.fromisoformat(at)
            data = {} if payload == "{}" else json.loads(payload)
        except (TypeError, ValueError):
            pass
        if (
            step_kind is None
            or target_member is None
            or (trigger_member is None and trigger is not None)
            or (source_member is None and source is not None)
            or when is None
            or when.tzinfo is None
            or type(data) is not dict
            or type(previous) is not str
        ):
            _check_step(row, states, triggers)
        steps.append(
            Step(
                idx,
                step_kind,
                trigger_member,
                source_member,
                target_member,
                when,
                body,
                basis,
                data,
                previous,
                digest,
            )
        )
    return steps


def _where(row: Sequence[Any]) -> str:
    return f"case {row[0]} step {row[1]}"


def _body(row: Sequence[Any]) -> Body:
    kind, ident, level, name = row[7:11]
    body_kind = _BODY_KINDS.get(kind)
    if body_kind is None:
        raise MalformedDataError(f"{_where(row)}.actor_kind", f"{kind!r} is not a body kind")
    body_level = None
    if level is not None:
        body_level = _LEVELS.get(level)
        if body_level is None:
            raise MalformedDataError(f"{_where(row)}.actor_level", f"{level!r} is not a level")
    if not isinstance(ident, str):
        raise MalformedDataError(_where(row), "actor_id and previous_hash must be text")
    return Body(body_kind, ident, body_level, name)


def _check_step(
    row: Sequence[Any], states: Mapping[str, enum.Enum], triggers: Mapping[str, enum.Enum]
) -> NoReturn:
    """Raise the error that names what is wrong with a step row."""
    where = _where(row)
    _, _, kind, trigger, source, target, at, *_, payload, previous, _ = row
    instant_from_text(at, f"{where}.at")
    json_object(payload, f"{where}.payload")
    if kind not in _STEP_KINDS:
        raise MalformedDataError(f"{where}.kind", f"{kind!r} is not a step kind")
    if not isinstance(previous, str):
        raise MalformedDataError(where, "actor_id and previous_hash must be text")
    for name, members, value in (
        ("trigger", triggers, trigger),
        ("source", states, source),
        ("target", states, target),
    ):
        if (value is not None or name == "target") and members.get(value) is None:
            raise MalformedDataError(
                f"{where}.{name}", f"{value!r} is not one of {', '.join(members)}"
            )
    raise MalformedDataError(where, "unreadable step row")  # pragma: no cover - checked above
