"""Where time comes from: the :class:`Clock` protocol and the checks on datetimes entering the API.

Nothing in discipline_flow reads the wall clock on its own: time enters through ``at=`` arguments
or an injected clock. Only aware datetimes are accepted.

>>> import pendulum
>>> from discipline_flow import FrozenClock
>>> clock = FrozenClock(pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh"))
>>> clock.advance(days=2).now().isoformat()
'2025-03-05T09:00:00+07:00'

Instants lie in a documented range of years, the date read in the instant's own timezone:

>>> INSTANT_YEARS
(1900, 2200)
"""

from __future__ import annotations

import datetime as _dt
import functools
import zoneinfo
from typing import Protocol, runtime_checkable

import pendulum

from discipline_flow.errors import InputError, NaiveDatetimeError

__all__ = [
    "DEFAULT_TIMEZONE",
    "INSTANT_YEARS",
    "Clock",
    "FrozenClock",
    "SystemClock",
    "instant",
    "require_aware",
]

#: The timezone of the deciding bodies unless a case says otherwise.
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

#: The first and the last year of the instants the library accepts, both included: every
#: instant that enters the API (``at``, ``now``, query bounds, datetimes in payloads) lies from
#: 1900-01-01 to 2200-12-31, its date read in its own timezone. Others are refused with an
#: :class:`~discipline_flow.errors.InputError` before anything is computed or stored, so every
#: store can keep, order and convert every instant it holds.
INSTANT_YEARS = (1900, 2200)
_FIRST_YEAR, _LAST_YEAR = INSTANT_YEARS


# tzinfo types whose utcoffset() is never None: a datetime carrying one is aware without asking.
_ALWAYS_AWARE = frozenset(
    {_dt.timezone, pendulum.Timezone, pendulum.FixedTimezone, zoneinfo.ZoneInfo}
)


def require_aware(value: object, argument: str) -> _dt.datetime:
    """Return ``value`` if it is an aware datetime in the range of instants the library accepts
    (:data:`INSTANT_YEARS`); raise :class:`NaiveDatetimeError` for a naive one and
    :class:`~discipline_flow.errors.InputError` for anything else.

    Cheap enough for every move: a standard or pendulum datetime whose timezone is one of the
    kinds that always give an offset passes on two type checks and a comparison of its year.

    >>> require_aware(_dt.datetime(2025, 1, 1), "at")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.NaiveDatetimeError: at must be an aware datetime (with a timezone); got naive 2025-01-01 00:00:00
    >>> require_aware(_dt.datetime(9999, 12, 31, tzinfo=_dt.timezone.utc), "at")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: at: 9999-12-31T00:00:00+00:00 is outside the instants discipline_flow accepts: from 1900-01-01 to 2200-12-31, dates in the instant's own timezone
    """
    if (type(value) is _dt.datetime or type(value) is pendulum.DateTime) and type(
        value.tzinfo
    ) in _ALWAYS_AWARE:
        if _FIRST_YEAR <= value.year <= _LAST_YEAR:
            return value
    elif not isinstance(value, _dt.datetime):
        raise InputError(argument, f"expected an aware datetime, got {type(value).__name__}")
    else:
        tz = value.tzinfo
        if tz is None or tz.utcoffset(value) is None:
            raise NaiveDatetimeError(argument, str(value))
        if _FIRST_YEAR <= value.year <= _LAST_YEAR:
            return value
    raise InputError(
        argument,
        f"{value.isoformat()} is outside the instants discipline_flow accepts: from "
        f"{_FIRST_YEAR}-01-01 to {_LAST_YEAR}-12-31, dates in the instant's own timezone",
    )


def instant(value: object, argument: str) -> _dt.datetime:
    """``value``, an aware datetime, as the standard-library datetime the library keeps.

    pendulum belongs at the boundary: a pendulum ``DateTime`` becomes the same instant with the
    same offset as a plain ``datetime`` in the matching ``zoneinfo`` zone (or fixed offset), so
    that what a case stores compares, formats and converts at C speed, and equals what a store
    reads back. Anything that is not an aware datetime is refused as :func:`require_aware` does.

    >>> at = instant(pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh"), "at")
    >>> type(at).__name__, at.isoformat(), at.tzinfo
    ('datetime', '2025-03-03T09:00:00+07:00', zoneinfo.ZoneInfo(key='Asia/Ho_Chi_Minh'))
    """
    value = require_aware(value, argument)
    if type(value) is _dt.datetime:
        return value
    return _dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=_standard_zone(value.tzinfo),
        fold=value.fold,
    )


@functools.lru_cache(maxsize=256)
def _standard_zone(tz: _dt.tzinfo | None) -> _dt.tzinfo | None:
    """The standard-library zone of a pendulum zone (others are kept as they are)."""
    if isinstance(tz, pendulum.FixedTimezone):
        return _dt.timezone(_dt.timedelta(seconds=tz.offset))
    if isinstance(tz, pendulum.Timezone):
        return zoneinfo.ZoneInfo(tz.key)
    return tz


@runtime_checkable
class Clock(Protocol):
    """Anything that can say what time it is, as an aware datetime."""

    def now(self) -> pendulum.DateTime:
        """The current instant."""
        ...


class SystemClock:
    """The machine's clock, in a given timezone (Asia/Ho_Chi_Minh by default)."""

    __slots__ = ("timezone",)

    def __init__(self, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.timezone = timezone

    def now(self) -> pendulum.DateTime:
        """The current instant in :attr:`timezone`."""
        return pendulum.now(self.timezone)

    def __repr__(self) -> str:
        return f"SystemClock({self.timezone!r})"


class FrozenClock:
    """A clock that stands still until told to move; shared by engine and calendar in tests."""

    __slots__ = ("_now",)

    def __init__(self, at: _dt.datetime) -> None:
        self._now = pendulum.instance(require_aware(at, "at"))

    def now(self) -> pendulum.DateTime:
        """The frozen instant."""
        return self._now

    def set(self, at: _dt.datetime) -> FrozenClock:
        """Move to ``at`` (forwards or backwards); returns the clock."""
        self._now = pendulum.instance(require_aware(at, "at"))
        return self

    def advance(
        self,
        *,
        days: int = 0,
        hours: int = 0,
        minutes: int = 0,
        seconds: int = 0,
        weeks: int = 0,
        months: int = 0,
        years: int = 0,
    ) -> FrozenClock:
        """Move forward by calendar amounts (months clamp to the month end); returns the clock."""
        self._now = self._now.add(
            years=years,
            months=months,
            weeks=weeks,
            days=days,
            hours=hours,
            minutes=minutes,
            seconds=seconds,
        )
        return self

    def __repr__(self) -> str:
        return f"FrozenClock({self._now.isoformat()})"
