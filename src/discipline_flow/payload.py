"""Payloads: the data a step carries, in the JSON-compatible form it is stored and hashed in.

>>> import datetime
>>> normalize_payload({"postmark_on": datetime.date(2025, 3, 3), "votes": (5, 2)})
{'postmark_on': '2025-03-03', 'votes': [5, 2]}
>>> dict(PAYLOAD_LIMITS)
{'depth': 64, 'digits': 4300}
>>> normalize_payload({"n": 10**4300})
Traceback (most recent call last):
...
discipline_flow.errors.InputError: payload.n: whole numbers may have at most 4,300 digits
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
import types
from collections.abc import Mapping
from typing import Any

from discipline_flow.actors import check_text
from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError

__all__ = ["PAYLOAD_LIMITS", "normalize_payload"]

#: What a payload may hold beside its kinds of values: mappings and lists nested at most
#: ``depth`` deep, and whole numbers of at most ``digits`` digits (Python's own limit on
#: turning a whole number into text, and back: a longer one could not be stored or read back).
#: Anything beyond is refused with an :class:`~discipline_flow.errors.InputError` naming where
#: it is.
PAYLOAD_LIMITS = types.MappingProxyType({"depth": 64, "digits": 4300})
_DEPTH = PAYLOAD_LIMITS["depth"]
_MAX_INT = 10 ** PAYLOAD_LIMITS["digits"] - 1
_MIN_INT = -_MAX_INT
_DIGITS = PAYLOAD_LIMITS["digits"]

_ALLOWED = (
    "payload values may be text, numbers, booleans, None, dates, aware datetimes, enums, lists "
    "and mappings"
)


def normalize_payload(payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """The JSON-compatible form a payload is stored and hashed in: a new dict.

    Dates and aware datetimes become ISO text, enum members their names, tuples and sets lists
    (sets sorted), values with a ``to_payload()`` method what it returns, periods their text.
    Anything that cannot be stored exactly raises :class:`~discipline_flow.errors.InputError`
    naming where it is (``payload.vote.eligible``).

    >>> normalize_payload({"at": 1.5, "note": float("nan")})
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: payload.note: numbers must be finite
    """
    if payload is None:
        return {}
    if not isinstance(payload, Mapping):
        raise InputError("payload", f"must be a mapping, got {type(payload).__name__}")
    return _mapping(payload, "payload", 1)


def _mapping(value: Mapping[Any, Any], where: str, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise InputError(where, f"keys must be text, got {type(key).__name__}")
        # Plain ASCII text without NUL is the common case: the place of a value is spelled out
        # only when it has to be checked further (or named in an error).
        if "\x00" in key or not key.isascii():
            check_text(key, where)
        kind = type(item)
        if kind is str:
            if "\x00" in item or not item.isascii():
                check_text(item, f"{where}.{key}")
            out[key] = item
        elif item is None or kind is bool or (kind is int and _MIN_INT <= item <= _MAX_INT):
            out[key] = item
        else:
            out[key] = _value(item, f"{where}.{key}", depth)
    return out


def _sequence(items: Any, where: str, depth: int) -> list[Any]:
    # As in _mapping: plain ASCII text, small whole numbers, booleans and None (a list of voter
    # ids) are taken as they are; the place of an item is spelled out only for the others.
    return [
        item if _is_plain(item) else _value(item, f"{where}[{i}]", depth)
        for i, item in enumerate(items)
    ]


def _is_plain(item: Any) -> bool:
    kind = type(item)
    if kind is str:
        return "\x00" not in item and item.isascii()
    return item is None or kind is bool or (kind is int and _MIN_INT <= item <= _MAX_INT)


def _value(value: Any, where: str, depth: int) -> Any:
    """``value`` (found at ``where``, inside ``depth`` mappings and lists) in its stored form."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if not _MIN_INT <= value <= _MAX_INT:
            raise InputError(where, f"whole numbers may have at most {_DIGITS:,} digits")
        return value
    if isinstance(value, str):
        return check_text(value, where)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(where, "numbers must be finite")
        return value
    if isinstance(value, _dt.datetime):
        return require_aware(value, where).isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if depth >= _DEPTH and isinstance(value, Mapping | list | tuple | set | frozenset):
        raise InputError(where, f"mappings and lists may nest at most {_DEPTH} deep")
    if isinstance(value, Mapping):
        return _mapping(value, where, depth + 1)
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return _sequence(items, where, depth + 1)
    to_payload = getattr(value, "to_payload", None)
    if callable(to_payload):
        if depth >= _DEPTH:
            raise InputError(where, f"to_payload() values may nest at most {_DEPTH} deep")
        return _value(to_payload(), where, depth + 1)
    if hasattr(value, "amount") and hasattr(value, "unit"):  # a Period
        return str(value)
    raise InputError(where, f"{type(value).__name__} cannot be stored; {_ALLOWED}")
