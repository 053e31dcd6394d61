"""The dates and trace of a deadline, from its rule, start, period, extensions and pauses.

:func:`deadline_schedule` is the one path from a deadline's fields to its dates: starting,
extending, resuming and :meth:`~discipline_flow.time.Deadline.recompute` all go through it, so a
deadline rebuilt from its fields equals the one its changes made.

Shared results: a deadline never paused and counted in days to midnight on the (immutable)
:class:`~discipline_flow.time.VietnamCalendar` has dates that are a pure function of its rule,
period, start day, zone, start key and the periods of its extensions, not of the instants. The
calendar keeps them (:meth:`~discipline_flow.time.VietnamCalendar.shared`) for every deadline
alike; each extended deadline puts its own extension items (instant, period, reason) into the
trace. A register of a million open cases has a few thousand distinct starts.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence

from discipline_flow.time._dates import local_date
from discipline_flow.time._schedule import (
    ExtensionInput,
    PauseInput,
    Schedule,
    schedule,
    start_template,
)
from discipline_flow.time._trace import TraceItem, TraceKind
from discipline_flow.time.calendar import Calendar, VietnamCalendar
from discipline_flow.time.period import Period, Unit
from discipline_flow.time.rule import DeadlineRule

__all__ = ["deadline_schedule", "start_key"]

#: Stands for an extension's instant in a shared schedule (each deadline puts its own in).
_NO_INSTANT = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
#: Where :func:`~discipline_flow.time._schedule.schedule` puts the extension items: after the
#: start, the rule and the period.
_FIRST_EXTENSION = 3
_HOURS = Unit.HOURS

#: What the calendar keeps a shared schedule by: the rule, the start day, the zone, the start
#: key, the deadline's own period (None for the rule's) and the periods of its extensions.
_SharedKey = tuple[DeadlineRule, _dt.date, str, str, "Period | None", tuple[Period, ...]]


@functools.lru_cache(maxsize=1024)
def rule_item(rule: DeadlineRule) -> TraceItem:
    """The rule's line in the explanation of each of its deadlines, built once per rule."""
    return TraceItem(
        TraceKind.RULE,
        citation=rule.citation,
        name=rule.name,
        note=rule.label_en,
        note_vi=rule.label_vi,
    )


def start_key(
    rule: DeadlineRule, start_on: _dt.date, started_at: _dt.datetime, timezone: str
) -> str:
    """What the start names as the source of its date: the rule's ``start_date_key`` (or
    ``start_on``) when the legal start date is not the local date of the starting instant;
    nothing when it is, since the explanation would not show it."""
    if start_on == local_date(started_at, timezone):
        return ""
    return rule.start_date_key or "start_on"


def deadline_schedule(
    rule: DeadlineRule,
    start_on: _dt.date,
    started_at: _dt.datetime,
    calendar: Calendar,
    timezone: str,
    key: str,
    period: Period,
    extensions: Sequence[ExtensionInput] = (),
    pauses: Sequence[PauseInput] = (),
) -> Schedule:
    """The schedule of a deadline of ``rule`` started on ``start_on`` (at ``started_at``) that
    runs ``period``, with its ``extensions`` and ``pauses``; ``key`` is from :func:`start_key`.
    """
    if (
        not pauses
        and type(calendar) is VietnamCalendar
        and rule.convention.end_at_midnight
        and period.unit is not _HOURS
    ):
        # Counted in days to midnight on the Vietnamese calendar itself (a subclass may answer
        # differently), the dates do not depend on the instants of the start and extensions.
        periods = tuple(by for by, _, _ in extensions) if extensions else ()
        own = None if period is rule.period else period
        shared = calendar.shared(_shared_schedule, (rule, start_on, timezone, key, own, periods))
        if not extensions:
            return shared
        items = tuple(
            TraceItem(TraceKind.EXTENSION, at=at, period=by, note=reason or "")
            for by, reason, at in extensions
        )
        trace = shared.trace
        first = _FIRST_EXTENSION
        return shared._replace(trace=(*trace[:first], *items, *trace[first + len(items) :]))
    return _computed(
        rule, start_on, started_at, calendar, timezone, key, period, extensions, pauses
    )


def _shared_schedule(calendar: VietnamCalendar, key: _SharedKey) -> Schedule:
    """The schedule every deadline with this key shares, with placeholder extension items."""
    rule, day, timezone, start, own, periods = key
    period = rule.period if own is None else own
    extensions = [(by, None, _NO_INSTANT) for by in periods]
    return _computed(rule, day, None, calendar, timezone, start, period, extensions, ())


def _computed(
    rule: DeadlineRule,
    start_on: _dt.date,
    started_at: _dt.datetime | None,
    calendar: Calendar,
    timezone: str,
    key: str,
    period: Period,
    extensions: Sequence[ExtensionInput],
    pauses: Sequence[PauseInput],
) -> Schedule:
    return schedule(
        start_on=start_on,
        started_at=started_at,
        period=period,
        convention=rule.convention,
        calendar=calendar,
        timezone=timezone,
        head=(start_template(rule.convention.exclude_start_day, key), rule_item(rule)),
        extensions=extensions,
        pauses=pauses,
        cap=rule.cap,
        due_soon=rule.due_soon,
    )
