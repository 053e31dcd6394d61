"""Small date helpers shared by the time package: timezones, input coercion, formatting."""

from __future__ import annotations

import datetime as _dt
import functools
import zoneinfo

from discipline_flow.clock import require_aware
from discipline_flow.errors import DisciplineFlowError, InputError

__all__ = [
    "add_months",
    "as_date",
    "days_in_month",
    "format_day",
    "local_date",
    "midnight_after",
    "parse_day_or_instant",
    "zone",
]

_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@functools.cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    """The timezone called ``name``; :class:`InputError` if there is none."""
    if not isinstance(name, str) or not name:
        raise InputError("timezone", "expected an IANA timezone name like 'Asia/Ho_Chi_Minh'")
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError(
            "timezone", f"unknown timezone {name!r}; use an IANA name like 'Asia/Ho_Chi_Minh'"
        ) from None


def local_date(at: _dt.datetime, timezone: str) -> _dt.date:
    """The calendar date of the aware instant ``at`` in ``timezone`` (a plain date)."""
    day = at.astimezone(zone(timezone)).date()
    return day if type(day) is _dt.date else _dt.date(day.year, day.month, day.day)


def midnight_after(day: _dt.date, timezone: str) -> _dt.datetime:
    """00:00 local time of the day after ``day``: the exclusive end of ``day``."""
    return _midnight(day.toordinal() + 1, timezone)


@functools.lru_cache(maxsize=8192)
def _midnight(ordinal: int, timezone: str) -> _dt.datetime:
    # Due dates cluster on few days; aware datetimes are immutable, so they can be shared.
    day = _dt.date.fromordinal(ordinal)
    return _dt.datetime(day.year, day.month, day.day, tzinfo=zone(timezone))


def as_date(value: object, argument: str) -> _dt.date:
    """``value`` if it is a plain date (not a datetime); :class:`InputError` otherwise."""
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InputError(
            argument,
            f"expected a date (datetime.date), got {type(value).__name__}; "
            "convert an instant to its local date first",
        )
    if type(value) is not _dt.date:  # pendulum.Date and other subclasses
        return _dt.date(value.year, value.month, value.day)
    return value


def parse_day_or_instant(value: object, argument: str) -> _dt.date | _dt.datetime:
    """A date, or an aware datetime, from a date, an aware datetime or ISO text.

    >>> parse_day_or_instant("2025-04-30", "start")
    datetime.date(2025, 4, 30)
    >>> parse_day_or_instant("2025-04-29T18:30:00Z", "start").isoformat()
    '2025-04-29T18:30:00+00:00'
    >>> parse_day_or_instant("2025-04-29T18:30", "start")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.NaiveDatetimeError: start must be an aware datetime (with a timezone); got naive 2025-04-29 18:30:00
    """
    if isinstance(value, _dt.datetime):
        return require_aware(value, argument)
    if isinstance(value, _dt.date):
        return as_date(value, argument)
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return _dt.date.fromisoformat(text)
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"
            return require_aware(_dt.datetime.fromisoformat(text), argument)
        except ValueError as exc:
            if isinstance(exc, DisciplineFlowError):
                raise
            raise InputError(
                argument,
                f"{value!r} is not an ISO date (YYYY-MM-DD) or an aware ISO datetime",
            ) from None
    raise InputError(argument, f"expected a date, an aware datetime or ISO text, got {value!r}")


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year`` (Gregorian)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: _dt.date, months: int, *, clamp: bool = True) -> tuple[_dt.date, bool]:
    """``day`` plus ``months`` calendar months, and whether the day had to be adjusted.

    When the target month has no corresponding day (31 January + 1 month) the result is the
    month's last day (``clamp``) or the first day of the month after (``clamp=False``).

    >>> add_months(_dt.date(2025, 1, 31), 1)
    (datetime.date(2025, 2, 28), True)
    >>> add_months(_dt.date(2024, 2, 29), 12)
    (datetime.date(2025, 2, 28), True)
    >>> add_months(_dt.date(2025, 1, 31), 1, clamp=False)
    (datetime.date(2025, 3, 1), True)
    """
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    if not 1 <= year <= 9999:
        raise InputError("period", f"{day.isoformat()} plus {months} months leaves the calendar")
    last = days_in_month(year, month)
    if day.day <= last:
        return _dt.date(year, month, day.day), False
    if clamp:
        return _dt.date(year, month, last), True
    return _dt.date.fromordinal(_dt.date(year, month, last).toordinal() + 1), True


def format_day(day: _dt.date, lang: str = "en") -> str:
    """``Mon 2025-05-05`` (``en``) or ``Thứ Hai 05/05/2025`` (``vi``).

    >>> format_day(_dt.date(2025, 5, 5), "vi")
    'Thứ Hai 05/05/2025'
    """
    if lang == "vi":
        return f"{_WEEKDAY_VI[day.weekday()]} {day.day:02d}/{day.month:02d}/{day.year}"
    return f"{_WEEKDAY_EN[day.weekday()]} {day.isoformat()}"
