"""Days and instants typed on the command line: one rule for every command.

A day is ``YYYY-MM-DD``. An instant is a day (its midnight), or an ISO datetime; one without an
offset is local time in the command's timezone (Asia/Ho_Chi_Minh unless ``--timezone`` says
otherwise), one with an offset is kept as given. Errors say what was typed, what is wrong with
it and what is accepted, in the user's words (never an internal argument name).

>>> parse_day("2025-04-18", "DATE")
datetime.date(2025, 4, 18)
>>> parse_day("2025-02-30", "DATE")
Traceback (most recent call last):
...
discipline_flow.errors.InputError: DATE: 2025-02-30 is not a day: February 2025 has 28 days
>>> parse_instant("2025-04-18T09:00", "--now").isoformat()
'2025-04-18T09:00:00+07:00'
>>> parse_instant("2025-04-18T09:00Z", "--now").isoformat()
'2025-04-18T09:00:00+00:00'
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import zoneinfo

from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import InputError

__all__ = ["INSTANT_HELP", "parse_day", "parse_instant"]

#: The sentence ``--help`` gives for an instant argument.
INSTANT_HELP = (
    "a date (YYYY-MM-DD, its midnight) or an ISO datetime; without an offset it is local time "
    "in Asia/Ho_Chi_Minh (or --timezone)"
)

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(text: str, argument: str) -> _dt.date:
    """The day ``text`` names, written ``YYYY-MM-DD``; an :class:`InputError` naming
    ``argument`` (as the user typed it) otherwise."""
    text = text.strip()
    match = _DAY.fullmatch(text)
    if match is None:
        raise InputError(
            argument, f"{text!r} is not a date; write it as YYYY-MM-DD, like 2025-04-18"
        )
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise InputError(argument, f"{text} is not a day: there is no month {month}")
    if year < 1:
        raise InputError(argument, f"{text} is not a day: years start at 0001")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = _dt.date(year, month, 1).strftime("%B")
        raise InputError(argument, f"{text} is not a day: {name} {year} has {days} days")
    return _dt.date(year, month, day)


def parse_instant(text: str, argument: str, timezone: str = DEFAULT_TIMEZONE) -> _dt.datetime:
    """The instant ``text`` names: a day (its midnight) or an ISO datetime; without an offset it
    is local time in ``timezone``."""
    text = text.strip()
    if "T" not in text and " " not in text:
        day = parse_day(text, argument)
        value = _dt.datetime.combine(day, _dt.time())
    else:
        parse_day(text[:10], argument)  # a clear message for a day that does not exist
        try:
            value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(
                argument,
                f"{text!r} is not a date or datetime; write it as YYYY-MM-DD or "
                "YYYY-MM-DDTHH:MM with an optional offset, like 2025-04-18T09:00+07:00",
            ) from None
    if value.tzinfo is not None:
        return value
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError("--timezone", f"{timezone!r} is not an IANA timezone") from None
    return value.replace(tzinfo=zone)
