"""Reading what a ``then`` expects: dates, instants, statuses, deadline expectations, names."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError

__all__ = [
    "DEADLINE_FIELDS",
    "STATUSES",
    "day",
    "deadline_expectation",
    "instant",
    "listed",
    "names",
    "shown",
    "status",
]

#: The fields a deadline expectation may give.
DEADLINE_FIELDS = ("due_on", "due_at", "status", "is_estimated", "start_on")
STATUSES = ("pending", "due_soon", "overdue", "met", "cancelled", "paused")


def day(value: object, argument: str) -> _dt.date:
    """A plain date from a date or ISO text."""
    if isinstance(value, _dt.datetime):
        raise InputError(argument, f"expected a date, got the instant {value.isoformat()}")
    if isinstance(value, _dt.date):
        return _dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(argument, f"expected a date like 2025-03-31, got {value!r}")


def instant(value: object, argument: str) -> _dt.datetime:
    """An aware instant from a datetime or ISO text with its offset."""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise InputError(
                argument, f"expected an ISO instant with its offset, got {value!r}"
            ) from None
    return require_aware(value, argument)


def status(value: object, argument: str) -> str:
    """A deadline status value from a member, its value or its name."""
    raw = value.value if isinstance(value, enum.Enum) else value
    if isinstance(raw, str) and raw.lower() in STATUSES:
        return raw.lower()
    raise InputError(argument, f"unknown status {value!r}; statuses: {', '.join(STATUSES)}")


def deadline_expectation(rule: str, value: object) -> dict[str, Any] | None:
    """Normalize one expectation: None (no deadline), a status, a due date or a mapping."""
    where = f"deadlines.{rule}"
    if value is None or (isinstance(value, str) and value.lower() == "none"):
        return None
    if isinstance(value, str) and value.lower() in STATUSES:
        return {"status": value.lower()}
    if isinstance(value, enum.Enum):
        return {"status": status(value, where)}
    if isinstance(value, _dt.date | str) and not isinstance(value, _dt.datetime):
        return {"due_on": day(value, where)}
    if not isinstance(value, Mapping):
        raise InputError(
            where,
            "expected none, a status, a due date or a mapping of " + ", ".join(DEADLINE_FIELDS),
        )
    unknown = sorted(set(value) - set(DEADLINE_FIELDS))
    if unknown:
        raise InputError(
            where, f"unknown field {unknown[0]!r}; fields: {', '.join(DEADLINE_FIELDS)}"
        )
    expected: dict[str, Any] = {}
    for key, item in value.items():
        if key in ("due_on", "start_on"):
            expected[key] = day(item, f"{where}.{key}")
        elif key == "due_at":
            expected[key] = instant(item, f"{where}.{key}")
        elif key == "status":
            expected[key] = status(item, f"{where}.{key}")
        elif not isinstance(item, bool):
            raise InputError(f"{where}.{key}", f"expected true or false, got {item!r}")
        else:
            expected[key] = item
    return expected


def names(values: Iterable[object], argument: str) -> frozenset[str]:
    """Names given as text or enum members, one or several."""
    if isinstance(values, str | enum.Enum):
        values = (values,)
    found: set[str] = set()
    for value in values:
        if isinstance(value, enum.Enum):
            found.add(value.name)
        elif isinstance(value, str):
            found.add(value)
        else:
            raise InputError(argument, f"expected names, got {value!r}")
    return frozenset(found)


def listed(items: Iterable[str]) -> str:
    """Names sorted, as ``[A, B]``."""
    return "[" + ", ".join(sorted(items)) + "]"


def shown(value: object) -> str:
    """A value as a difference shows it: ISO dates, true/false."""
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
