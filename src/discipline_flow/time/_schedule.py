"""The engine behind every due date: counting, extensions, pauses, roll-forward, cap, trace.

:func:`schedule` is the single path used by :func:`~discipline_flow.time.compute_due` and by
:class:`~discipline_flow.time.Deadline`.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from typing import NamedTuple

import attrs

from discipline_flow.errors import DeadlineError, InputError, InvalidPeriodError
from discipline_flow.time._dates import add_months, local_date, midnight_after, zone
from discipline_flow.time._trace import DayKind, TraceItem, TraceKind
from discipline_flow.time.calendar import Calendar, VietnamCalendar
from discipline_flow.time.convention import CountingConvention
from discipline_flow.time.period import Period, Unit

__all__ = [
    "WEEKENDS_TEMPLATE",
    "ExtensionInput",
    "PauseInput",
    "Schedule",
    "count_period",
    "fill_trace",
    "open_pause_item",
    "schedule",
    "start_template",
]

# The trace a schedule returns is made of shared items (the rule, the period, the calendar's
# named days, built once) and three *templates* whose per-deadline fields are empty: the start,
# the weekend days of a working-day count and the due date. :func:`fill_trace` completes them
# from the start and due dates. A deadline stores the compact trace and fills it when explained,
# so starting a deadline creates almost no objects (docs/performance.md).

_WD = Unit.WORKING_DAYS
_CD = Unit.CALENDAR_DAYS
_WEEKS = Unit.WEEKS
_MONTHS = Unit.MONTHS
_YEARS = Unit.YEARS
_HOURS = Unit.HOURS
_START = TraceKind.START
_DUE = TraceKind.DUE
_WEEKENDS = TraceKind.SKIPPED_WEEKENDS
_SKIPPED = TraceKind.SKIPPED_DAY
_MAKE_UP = TraceKind.MAKE_UP_DAY
_PAUSE = TraceKind.PAUSE
_EXTENSION = TraceKind.EXTENSION

#: The weekend days of a working-day count, filled in by :func:`fill_trace`.
WEEKENDS_TEMPLATE = TraceItem(_WEEKENDS)
_DUE_TEMPLATES = {
    "": TraceItem(_DUE),
    "time_of_day": TraceItem(_DUE, name="time_of_day"),
    "instant": TraceItem(_DUE, name="instant"),
}


@functools.lru_cache(maxsize=1024)
def start_template(exclude_start_day: bool, key: str = "") -> TraceItem:
    """The start item of a trace, without its date (filled in by :func:`fill_trace`)."""
    return TraceItem(_START, count=int(exclude_start_day), name=key)


@functools.lru_cache(maxsize=1024)
def _period_item(period: Period) -> TraceItem:
    return TraceItem(TraceKind.PERIOD, period=period)


def open_pause_item(paused_at: _dt.datetime, timezone: str) -> TraceItem:
    """The item of a pause not yet resumed. It goes right before the due date, the place
    :meth:`~discipline_flow.time.Deadline.pause` puts it in (it does not move the dates)."""
    return TraceItem(_PAUSE, on=local_date(paused_at, timezone), at=paused_at)


def fill_trace(
    trace: tuple[TraceItem, ...],
    *,
    start_on: _dt.date,
    started_at: _dt.datetime | None,
    due_on: _dt.date,
    due_at: _dt.datetime,
    timezone: str,
) -> tuple[TraceItem, ...]:
    """The trace with its templates (start, weekend days, due date) completed."""
    filled: list[TraceItem] = []
    named: set[_dt.date] = set()
    for item in trace:
        if (item.kind is _SKIPPED or item.kind is _MAKE_UP) and item.on is not None:
            named.add(item.on)
    for item in trace:
        if item.on is not None or item.kind not in (_START, _DUE, _WEEKENDS):
            filled.append(item)
        elif item.kind is _START:
            name = item.name
            if name and started_at is not None and local_date(started_at, timezone) == start_on:
                name = ""
            filled.append(attrs.evolve(item, on=start_on, at=started_at, name=name))
        elif item.kind is _DUE:
            filled.append(attrs.evolve(item, on=due_on, at=due_at))
        else:
            first = _plus_days(start_on, 1)
            count = _count_weekends(first, due_on, named)
            if count:
                filled.append(attrs.evolve(item, on=first, until_on=due_on, count=count))
    return tuple(filled)


def _count_weekends(start: _dt.date, end: _dt.date, named: set[_dt.date]) -> int:
    """Saturdays and Sundays in ``[start, end]`` that are not named days."""
    a, b = start.toordinal(), end.toordinal()
    if b < a:
        return 0
    # Closed form over whole weeks, then the ragged end (ordinal 6 is a Saturday).
    weeks = (b - a + 1) // 7
    total = 2 * weeks
    for o in range(a + 7 * weeks, b + 1):
        if (o - 1) % 7 >= 5:
            total += 1
    for day in named:
        if a <= day.toordinal() <= b and day.weekday() >= 5:
            total -= 1
    return total


#: An extension as the engine sees it: (by, reason, at).
ExtensionInput = tuple[Period, "str | None", _dt.datetime]
#: A pause as the engine sees it: (paused_at, resumed_at or None while paused).
PauseInput = tuple[_dt.datetime, "_dt.datetime | None"]


class Schedule(NamedTuple):
    """What the engine computes for a start, a period and its adjustments."""

    due_on: _dt.date
    due_at: _dt.datetime
    counted_on: _dt.date
    cap_on: _dt.date | None
    cap_at: _dt.datetime | None
    due_soon_at: _dt.datetime
    is_estimated: bool
    trace: tuple[TraceItem, ...]


def _plus_days(day: _dt.date, n: int) -> _dt.date:
    return _dt.date.fromordinal(day.toordinal() + n)


def count_period(
    start_on: _dt.date,
    amount: int,
    unit: Unit,
    convention: CountingConvention,
    calendar: Calendar | None,
) -> tuple[_dt.date, TraceItem | None]:
    """The last day of ``amount`` ``unit`` from ``start_on``, and a trace item if clamped.

    ``calendar`` is only consulted for working days.
    """
    exclude = convention.exclude_start_day
    shift = 0 if exclude or amount == 0 else -1
    if unit is _WD:
        if calendar is None:
            raise InputError("calendar", "counting working days needs a calendar")
        if exclude or amount == 0:
            return calendar.add_working_days(start_on, amount), None
        return calendar.add_working_days(_plus_days(start_on, -1), amount), None
    if unit is _CD:
        return _plus_days(start_on, amount + shift), None
    if unit is _WEEKS:
        return _plus_days(start_on, 7 * amount + shift), None
    if unit is _MONTHS or unit is _YEARS:
        months = amount if unit is _MONTHS else 12 * amount
        day, adjusted = add_months(start_on, months, clamp=convention.clamp_month_end)
        if adjusted:
            item = TraceItem(
                TraceKind.CLAMPED,
                on=day,
                count=start_on.day,
                name="" if convention.clamp_month_end else "next_month",
            )
            return day, item
        return _plus_days(day, shift), None
    raise InputError("period", f"{unit.value} cannot be counted in days")


def _shift(day: _dt.date, by: Period, calendar: Calendar) -> _dt.date:
    """``day`` moved later by an extension in a unit other than the period's."""
    if by.unit is _WD:
        return calendar.add_working_days(day, by.amount)
    if by.unit is _CD:
        return _plus_days(day, by.amount)
    if by.unit is _WEEKS:
        return _plus_days(day, 7 * by.amount)
    if by.unit is _MONTHS or by.unit is _YEARS:
        months = by.amount if by.unit is _MONTHS else 12 * by.amount
        return add_months(day, months)[0]
    raise DeadlineError("extension", f"a deadline in days cannot be extended by {by}")


def _roll(day: _dt.date, calendar: Calendar) -> _dt.date:
    return day if calendar.is_working_day(day) else calendar.add_working_days(day, 1)


def _estimated_years(calendar: Calendar, start: _dt.date, end: _dt.date) -> tuple[int, ...]:
    if end < start:
        return ()
    if isinstance(calendar, VietnamCalendar):
        return calendar.estimated_years(start, end)
    years = []
    for year in range(start.year, end.year + 1):
        probe = max(start, _dt.date(year, 1, 1))
        if calendar.is_estimated(probe) or (year == end.year and calendar.is_estimated(end)):
            years.append(year)
    return tuple(years)


def _day_items(
    calendar: Calendar, start: _dt.date, end: _dt.date, *, template: bool
) -> list[TraceItem]:
    """Named non-working days, make-up days and the weekend days of ``[start, end]``.

    With ``template`` the weekend days are left to :func:`fill_trace` (the range is then the
    start to the due date); otherwise they are counted here.
    """
    if end < start:
        return []
    if isinstance(calendar, VietnamCalendar):
        if template:
            items = calendar.day_items(start, end, weekends=False)
            items.append(WEEKENDS_TEMPLATE)
            return items
        return calendar.day_items(start, end)
    # Any other calendar: ask it about each day (O(days); fine for the periods of a case).
    items = []
    weekends = 0
    for o in range(start.toordinal(), end.toordinal() + 1):
        day = _dt.date.fromordinal(o)
        reasons = calendar.why(day)
        working = calendar.is_working_day(day)
        plain_weekend = all(r.kind is DayKind.WEEKEND for r in reasons)
        if not working and plain_weekend and day.weekday() >= 5:
            weekends += 1
        elif not working:
            items.append(TraceItem(_SKIPPED, on=day, reasons=reasons))
        elif reasons:
            items.append(TraceItem(_MAKE_UP, on=day, reasons=reasons))
    if weekends:
        items.append(TraceItem(_WEEKENDS, on=start, until_on=end, count=weekends))
    return items


def schedule(
    *,
    start_on: _dt.date,
    started_at: _dt.datetime | None,
    period: Period,
    convention: CountingConvention,
    calendar: Calendar,
    timezone: str,
    head: tuple[TraceItem, ...],
    extensions: Sequence[ExtensionInput] = (),
    pauses: Sequence[PauseInput] = (),
    cap: Period | None = None,
    due_soon: Period | None = None,
) -> Schedule:
    """Compute a due date with its (compact) trace; the single path behind dates and deadlines."""
    unit = period.unit
    if unit is _HOURS:
        if started_at is None:
            raise InvalidPeriodError(str(period), "an hour period starts at an instant")
        return _schedule_hours(
            started_at, period, timezone, head, extensions, pauses, cap, due_soon
        )
    trace = [*head, _period_item(period)]
    # Extensions in the period's own unit are added to the amount and counted from the start
    # (months are never chained); other units move the last day, in the order granted.
    amount = period.amount
    for by, reason, at in extensions:
        trace.append(TraceItem(_EXTENSION, at=at, period=by, note=reason or ""))
        if by.unit is unit:
            amount += by.amount
    counted, clamped = count_period(start_on, amount, unit, convention, calendar)
    if clamped is not None:
        trace.append(clamped)
    consulted_from = _plus_days(start_on, 1) if unit is _WD else None
    for by, _, _ in extensions:
        if by.unit is not unit:
            if by.unit is _WD and consulted_from is None:
                consulted_from = counted
            counted = _shift(counted, by, calendar)
    # Pauses (tolling) push the last day by the days lost between the pause and the resumption:
    # working days for a working-day period, calendar days otherwise.
    still_paused: list[TraceItem] = []
    for paused_at, resumed_at in pauses:
        if resumed_at is None:
            still_paused.append(open_pause_item(paused_at, timezone))
            continue
        paused_on = local_date(paused_at, timezone)
        resumed_on = local_date(resumed_at, timezone)
        if unit is _WD:
            lost = calendar.count_working_days(paused_on, resumed_on)
            counted = calendar.add_working_days(counted, lost) if lost else counted
        else:
            lost = resumed_on.toordinal() - paused_on.toordinal()
            counted = _plus_days(counted, lost)
        trace.append(
            TraceItem(
                _PAUSE,
                on=paused_on,
                until_on=resumed_on,
                at=paused_at,
                count=lost,
                period=Period(lost, _WD if unit is _WD else _CD),
            )
        )
    last = counted
    roll_item: TraceItem | None = None
    if not calendar.is_working_day(counted):
        if convention.roll_forward:
            last = calendar.add_working_days(counted, 1)
            roll_item = TraceItem(TraceKind.ROLL_FORWARD, on=counted, until_on=last)
        else:
            roll_item = TraceItem(TraceKind.NOT_ROLLED, on=counted, reasons=calendar.why(counted))
    cap_on: _dt.date | None = None
    cap_item: TraceItem | None = None
    if cap is not None:
        cap_counted, _ = count_period(start_on, cap.amount, cap.unit, convention, calendar)
        cap_on = _roll(cap_counted, calendar) if convention.roll_forward else cap_counted
        held = last > cap_on
        if held:
            last = cap_on
        cap_item = TraceItem(TraceKind.CAP, on=cap_on, period=cap, count=int(held))
    # What the explanation lists: every non-working day inside a working-day count, or the
    # days passed over by the roll-forward.
    if unit is _WD:
        trace.extend(_day_items(calendar, _plus_days(start_on, 1), last, template=True))
    elif roll_item is not None and roll_item.until_on is not None:
        trace.extend(_day_items(calendar, counted, _plus_days(last, -1), template=False))
    if roll_item is not None:
        trace.append(roll_item)
    if cap_item is not None:
        trace.append(cap_item)
    # The result depends on the calendar from the first day it consulted to the last day.
    if consulted_from is None and convention.roll_forward:
        consulted_from = counted
    years: tuple[int, ...] = ()
    if consulted_from is not None:
        years = _estimated_years(calendar, min(consulted_from, last), last)
    if years:
        trace.append(TraceItem(TraceKind.ESTIMATED, years=years))
    trace.extend(still_paused)
    if convention.end_at_midnight or started_at is None:
        due_at = midnight_after(last, timezone)
        trace.append(_DUE_TEMPLATES[""])
    else:
        tz = zone(timezone)
        local = started_at.astimezone(tz)
        due_at = _dt.datetime.combine(last, local.timetz().replace(tzinfo=None), tzinfo=tz)
        trace.append(_DUE_TEMPLATES["time_of_day"])
    return Schedule(
        last,
        due_at,
        counted,
        cap_on,
        midnight_after(cap_on, timezone) if cap_on is not None else None,
        _due_soon_at(due_at, last, due_soon, calendar, timezone),
        bool(years),
        tuple(trace),
    )


def _due_soon_at(
    due_at: _dt.datetime,
    due_on: _dt.date,
    window: Period | None,
    calendar: Calendar,
    timezone: str,
) -> _dt.datetime:
    """The instant from which a deadline is *due soon*: ``window`` before its end."""
    if window is None or window.amount == 0:
        return due_at
    n = window.amount
    unit = window.unit
    if unit is _WD:
        # The window covers the last n working days up to and including the due day.
        first = calendar.add_working_days(_plus_days(due_on, 1), -n)
        return midnight_after(_plus_days(first, -1), timezone)
    if unit is _CD:
        return due_at - _dt.timedelta(days=n)
    if unit is _WEEKS:
        return due_at - _dt.timedelta(weeks=n)
    if unit is _HOURS:
        return due_at - _dt.timedelta(hours=n)
    months = n if unit is _MONTHS else 12 * n
    local = due_at.astimezone(zone(timezone))
    day, _ = add_months(local.date(), -months)
    return _dt.datetime.combine(day, local.timetz())


def _schedule_hours(
    started_at: _dt.datetime,
    period: Period,
    timezone: str,
    head: tuple[TraceItem, ...],
    extensions: Sequence[ExtensionInput],
    pauses: Sequence[PauseInput],
    cap: Period | None,
    due_soon: Period | None,
) -> Schedule:
    tz = zone(timezone)
    trace = [*head, _period_item(period)]
    hours = _dt.timedelta(hours=period.amount)
    for by, reason, at in extensions:
        trace.append(TraceItem(_EXTENSION, at=at, period=by, note=reason or ""))
        if by.unit is _HOURS:
            hours += _dt.timedelta(hours=by.amount)
        elif by.unit is _CD:
            hours += _dt.timedelta(days=by.amount)
        elif by.unit is _WEEKS:
            hours += _dt.timedelta(weeks=by.amount)
        else:
            raise DeadlineError("extension", f"an hour deadline cannot be extended by {by}")
    due_at = started_at + hours
    still_paused: list[TraceItem] = []
    for paused_at, resumed_at in pauses:
        if resumed_at is None:
            still_paused.append(open_pause_item(paused_at, timezone))
            continue
        paused_on = local_date(paused_at, timezone)
        lost = resumed_at - paused_at
        due_at += lost
        whole_hours = int(lost.total_seconds() // 3600)
        trace.append(
            TraceItem(
                _PAUSE,
                on=paused_on,
                until_on=local_date(resumed_at, timezone),
                at=paused_at,
                count=whole_hours,
                period=Period(whole_hours, _HOURS),
                note=str(lost),
            )
        )
    cap_on: _dt.date | None = None
    cap_at: _dt.datetime | None = None
    if cap is not None:
        cap_at = (started_at + _dt.timedelta(hours=cap.amount)).astimezone(tz)
        cap_on = cap_at.date()
        held = due_at > cap_at
        if held:
            due_at = cap_at
        trace.append(TraceItem(TraceKind.CAP, on=cap_on, at=cap_at, period=cap, count=int(held)))
    due_at = due_at.astimezone(tz)
    due_on = due_at.date()
    trace.extend(still_paused)
    trace.append(_DUE_TEMPLATES["instant"])
    if due_soon is None or due_soon.amount == 0:
        soon = due_at
    elif due_soon.unit is _HOURS:
        soon = due_at - _dt.timedelta(hours=due_soon.amount)
    elif due_soon.unit is _CD or due_soon.unit is _WD:
        soon = due_at - _dt.timedelta(days=due_soon.amount)
    elif due_soon.unit is _WEEKS:
        soon = due_at - _dt.timedelta(weeks=due_soon.amount)
    else:
        months = due_soon.amount if due_soon.unit is _MONTHS else 12 * due_soon.amount
        soon = _dt.datetime.combine(add_months(due_on, -months)[0], due_at.timetz())
    return Schedule(due_on, due_at, due_on, cap_on, cap_at, soon, False, tuple(trace))
