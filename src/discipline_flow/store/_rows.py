"""Cases to and from table rows: the ``cases`` columns, JSON and instants, and the checks made on
the way (steps: :mod:`~discipline_flow.store._steps`).

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
import json
import zoneinfo
from typing import Any

import pendulum

from discipline_flow.actors import Subject, check_text
from discipline_flow.case import Case
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import InputError, MalformedDataError
from discipline_flow.serialization import origin_to_dict, subject_from_dict, subject_to_dict

__all__ = [
    "CASE_COLUMNS",
    "case_row",
    "check_text",
    "dumps",
    "epoch_us",
    "from_epoch_us",
    "instant_from_text",
    "json_object",
    "loads",
    "local_from_epoch_us",
    "local_time",
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

try:  # the C implementation of the standard library is ~10x faster than pendulum's here
    _LOCAL: _dt.tzinfo = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - no system tz database
    _LOCAL = pendulum.timezone(DEFAULT_TIMEZONE)
# One encoder for every write: json.dumps with options builds a new encoder on each call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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
    try:
        return _EPOCH + _dt.timedelta(microseconds=value)
    except OverflowError:  # not written by this library: out of range
        raise MalformedDataError("timestamp", f"{value} µs is not an instant") from None


def local_from_epoch_us(value: object) -> _dt.datetime:
    """:func:`from_epoch_us` shown in the library's default timezone."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedDataError("timestamp", f"expected microseconds, got {value!r}")
    seconds, micro = divmod(value, 1_000_000)
    try:
        local = _dt.datetime.fromtimestamp(seconds, _LOCAL)
        return local + _dt.timedelta(microseconds=micro) if micro else local
    except (OverflowError, OSError, ValueError):  # not written by this library: out of range
        raise MalformedDataError("timestamp", f"{value} µs is not an instant") from None


def local_time(value: _dt.datetime) -> _dt.datetime:
    """``value`` shown in the library's default timezone."""
    try:
        return value.astimezone(_LOCAL)
    except OverflowError:  # a stored instant at the very edge of what datetime can hold
        raise MalformedDataError("timestamp", f"{value.isoformat()} is out of range") from None


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
