"""Computing a due date from a start, a period, a counting convention and a calendar.

:func:`compute_due` is the standalone entry point (the CLI's ``due`` command uses it);
:class:`~discipline_flow.time.Deadline` uses the same engine, adding pauses, extensions and a cap.

Calendar periods (days, weeks, months, years) are counted from the start date, never chained
(31 January + 1 month = 28/29 February), then rolled forward when the last day is not a working
day. Working-day periods end on the N-th working day strictly after the start date. Hour periods
run from the instant. The period ends at 24:00 local time of its last day, represented as the
exclusive instant 00:00 of the following day.

>>> from datetime import date
>>> due = compute_due(date(2025, 1, 31), "1 month")
>>> due.due_on, due.due_at.isoformat()
(datetime.date(2025, 2, 28), '2025-03-01T00:00:00+07:00')
>>> compute_due(date(2025, 4, 25), "1 working day").due_on  # make-up Saturday
datetime.date(2025, 4, 26)
>>> compute_due(date(2028, 2, 1), "5 working days").is_estimated
True
"""

from __future__ import annotations

import datetime as _dt

import attrs

from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import InvalidPeriodError
from discipline_flow.time._dates import (
    local_date,
    parse_day_or_instant,
    zone,
)
from discipline_flow.time._schedule import fill_trace, schedule, start_template
from discipline_flow.time.calendar import Calendar, default_calendar
from discipline_flow.time.convention import CIVIL_CODE, CountingConvention
from discipline_flow.time.explain import Explanation
from discipline_flow.time.period import Period, Unit

__all__ = ["PeriodEnd", "compute_due"]

_DAY_UNITS = frozenset({Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS})


@attrs.frozen
class PeriodEnd:
    """Where a period counted from a start ends, and how it was reached: what
    :func:`compute_due` gives outside any case (a :class:`Deadline` is the value a case keeps,
    with its rule, status, pauses and extensions)."""

    start_on: _dt.date
    due_on: _dt.date
    due_at: _dt.datetime
    period: Period
    is_estimated: bool
    explanation: Explanation
    #: The last day by the count, before any roll-forward.
    counted_on: _dt.date


def compute_due(
    start_at: _dt.date | _dt.datetime | str,
    period: Period | str,
    *,
    convention: CountingConvention = CIVIL_CODE,
    calendar: Calendar | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> PeriodEnd:
    """The due date of ``period`` counted from ``start_at`` (a date, an aware datetime or ISO text).

    An aware datetime is converted to its local date in ``timezone`` first (an event at 18:30
    UTC on 29 April is on 30 April in Hanoi). Negative periods are refused: count backwards with
    :meth:`Calendar.add_working_days` instead.

    >>> from datetime import datetime, timezone as tz
    >>> compute_due(datetime(2025, 4, 29, 18, 30, tzinfo=tz.utc), "15 working days").due_on
    datetime.date(2025, 5, 23)
    >>> compute_due("2025-01-01", "-3 days")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InvalidPeriodError: invalid period '-3 days': a due date needs a period of zero or more
    """
    period = Period.parse(period)
    if period.amount < 0:
        raise InvalidPeriodError(str(period), "a due date needs a period of zero or more")
    start = parse_day_or_instant(start_at, "start_at")
    zone(timezone)
    if isinstance(start, _dt.datetime):
        started_at: _dt.datetime | None = start
        start_on = local_date(start, timezone)
    else:
        started_at = None
        start_on = start
    if period.unit is Unit.HOURS and started_at is None:
        raise InvalidPeriodError(
            str(period), "an hour period starts at an instant; give an aware datetime, not a date"
        )
    cal = calendar if calendar is not None else default_calendar()
    result = schedule(
        start_on=start_on,
        started_at=started_at,
        period=period,
        convention=convention,
        calendar=cal,
        timezone=timezone,
        head=(start_template(convention.exclude_start_day),),
    )
    trace = fill_trace(
        result.trace,
        start_on=start_on,
        started_at=started_at,
        due_on=result.due_on,
        due_at=result.due_at,
        timezone=timezone,
    )
    return PeriodEnd(
        start_on,
        result.due_on,
        result.due_at,
        period,
        result.is_estimated,
        Explanation(trace),
        result.counted_on,
    )
