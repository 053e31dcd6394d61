"""Deadline rules and deadlines: values computed from a start event, a period and a calendar.

A :class:`DeadlineRule` says when a deadline starts (entering a state or firing a trigger), how
long it runs, how it is counted, what meets, cancels, pauses, resumes or extends it, and its legal
basis. A :class:`Deadline` is the computed value stored on a case: pure data, never a timer. Every
operation returns a new value; its status is read against an instant (``status(now)``).

Tolling: a pause stops the count; on resumption the due date moves later by the days lost
between the pause date and the resumption date (``(paused_on, resumed_on]``): working days for
a working-day period, calendar days otherwise, exact time for an hour period. A ``cap`` counted
from the start keeps running through pauses and bounds the due date, including after
extensions.

>>> import enum
>>> from datetime import datetime, date
>>> from zoneinfo import ZoneInfo
>>> from discipline_flow import Citation, RuleStatus
>>> from discipline_flow.time import Deadline, DeadlineRule, Period, default_calendar
>>> class T(enum.Enum):
...     ANNOUNCE = "announce"
...     FILE_COMPLAINT = "file_complaint"
>>> rule = DeadlineRule(
...     "complaint_window", Period.parse("30 working days"), starts_on_trigger=T.ANNOUNCE,
...     met_by=frozenset({T.FILE_COMPLAINT}),
...     citation=Citation("QĐ 46-QĐ/TW (2011) guidance", "Điều 32 tiết 5.2.1", RuleStatus.VERIFIED),
... )
>>> hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
>>> d = Deadline.start(rule, started_at=datetime(2025, 4, 25, 9, tzinfo=hanoi),
...                    calendar=default_calendar())
>>> d.due_on  # Sat 26/4 is a make-up working day; 30/4-2/5 are off
datetime.date(2025, 6, 10)
>>> d.status(datetime(2025, 6, 5, 9, tzinfo=hanoi)).value
'pending'
>>> d.status(datetime(2025, 6, 6, 9, tzinfo=hanoi)).value  # the last 3 working days
'due_soon'
>>> d.meet(datetime(2025, 6, 6, 9, tzinfo=hanoi)).status(datetime(2025, 7, 1, tzinfo=hanoi)).value
'met'
"""

from __future__ import annotations

import datetime as _dt
import enum

import attrs

from discipline_flow.citation import Citation
from discipline_flow.clock import DEFAULT_TIMEZONE, instant, require_aware
from discipline_flow.errors import (
    DeadlineError,
    ExtensionRefusedError,
    InputError,
    InvalidPeriodError,
)
from discipline_flow.time._dates import local_date, parse_day_or_instant, zone
from discipline_flow.time._deadline_dates import deadline_schedule, start_key
from discipline_flow.time._schedule import fill_trace, open_pause_item
from discipline_flow.time._trace import TraceItem, TraceKind
from discipline_flow.time.calendar import Calendar
from discipline_flow.time.explain import Explanation
from discipline_flow.time.period import Period, Unit
from discipline_flow.time.rule import NO_CITATION, THREE_WORKING_DAYS, DeadlineRule, ExtensionPolicy

__all__ = [
    "NO_CITATION",
    "THREE_WORKING_DAYS",
    "Deadline",
    "DeadlineRule",
    "DeadlineStatus",
    "Extension",
    "ExtensionPolicy",
    "Pause",
]


class DeadlineStatus(enum.Enum):
    """The status of a deadline read at an instant."""

    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    CANCELLED = "cancelled"
    PAUSED = "paused"


@attrs.frozen
class Pause:
    """A pause (tolling) of a deadline; ``resumed_at`` is None while it lasts."""

    paused_at: _dt.datetime
    resumed_at: _dt.datetime | None = None


@attrs.frozen
class Extension:
    """An extension granted to a deadline."""

    by: Period
    reason: str | None
    at: _dt.datetime


@attrs.frozen
class Deadline:
    """A deadline on a case: when it started, when it is due, and what happened to it.

    Pure data: ``due_at`` is the exclusive end instant (00:00 local time of the day after
    ``due_on`` when the period ends at midnight). ``trace`` is the explanation data in compact
    form: items shared with the rule and the calendar, and templates for the start, the weekend
    days and the due date that :meth:`explain` fills in from the deadline's own fields. How the
    deadline closed is not in it: :meth:`explain` derives it from ``met_at`` and ``cancelled_at``.
    """

    rule: str
    started_at: _dt.datetime
    start_on: _dt.date
    due_on: _dt.date
    due_at: _dt.datetime
    period: Period
    citation: Citation
    is_estimated: bool
    pauses: tuple[Pause, ...] = ()
    extensions: tuple[Extension, ...] = ()
    cap_on: _dt.date | None = None
    met_at: _dt.datetime | None = None
    cancelled_at: _dt.datetime | None = None
    trace: tuple[TraceItem, ...] = ()
    timezone: str = DEFAULT_TIMEZONE
    #: Start of the *due soon* window (the rule's ``due_soon`` before ``due_at``).
    due_soon_at: _dt.datetime | None = None
    cap_at: _dt.datetime | None = None

    # ------------------------------------------------------------------ creation

    @classmethod
    def start(
        cls,
        rule: DeadlineRule,
        *,
        started_at: _dt.datetime,
        start_on: _dt.date | _dt.datetime | str | None = None,
        calendar: Calendar,
        timezone: str = DEFAULT_TIMEZONE,
        period: Period | str | None = None,
    ) -> Deadline:
        """Start a deadline of ``rule`` at the instant ``started_at``.

        ``start_on`` is the legal start date when it differs from the local date of
        ``started_at`` (for example a postmark): a date, an aware datetime or ISO text.
        ``period`` is the period a decision sets for a rule with a ``period_key``
        (:meth:`DeadlineRule.own_period` checks it); without it the rule's period runs.
        """
        if not isinstance(rule, DeadlineRule):
            raise InputError("rule", f"expected a DeadlineRule, got {type(rule).__name__}")
        started_at = instant(started_at, "started_at")
        if start_on is None:
            day = local_date(started_at, timezone)  # checks the timezone too
            key = ""
        else:
            zone(timezone)
            value = parse_day_or_instant(start_on, "start_on")
            day = local_date(value, timezone) if isinstance(value, _dt.datetime) else value
            key = start_key(rule, day, started_at, timezone)
        if period is None:
            period = rule.period
        else:
            if rule.period_key is None:
                raise InputError(
                    "period",
                    f"{rule.name} has a fixed period ({rule.period}); it has no period_key",
                )
            period = rule.own_period(period)
        # Positional: starting a deadline is the hot path (a million cases, a few µs each).
        schedule = deadline_schedule(rule, day, started_at, calendar, timezone, key, period)
        due_on, due_at, _, cap_on, cap_at, due_soon_at, is_estimated, trace = schedule
        # Positional, in field order: keywords would double the cost of building the value.
        return cls(
            rule.name,
            started_at,
            day,
            due_on,
            due_at,
            period,
            rule.citation,
            is_estimated,
            (),
            (),
            cap_on,
            None,
            None,
            trace,
            timezone,
            due_soon_at,
            cap_at,
        )

    def _rebuild(
        self,
        rule: DeadlineRule,
        calendar: Calendar,
        pauses: tuple[Pause, ...],
        extensions: tuple[Extension, ...],
    ) -> Deadline:
        """This deadline computed afresh from its start with ``rule`` and ``calendar``, with
        ``pauses`` and ``extensions``; its closing is kept.

        A deadline whose period a decision set (the rule has a ``period_key``) keeps its own
        period; any other takes the rule's."""
        if not isinstance(rule, DeadlineRule):
            raise InputError("rule", f"expected a DeadlineRule, got {type(rule).__name__}")
        if rule.name != self.rule:
            raise DeadlineError(self.rule, f"cannot be recomputed with rule {rule.name!r}")
        period = self.period if rule.period_key is not None else rule.period
        s = deadline_schedule(
            rule,
            start_on=self.start_on,
            started_at=self.started_at,
            calendar=calendar,
            timezone=self.timezone,
            key=start_key(rule, self.start_on, self.started_at, self.timezone),
            period=period,
            extensions=[(e.by, e.reason, e.at) for e in extensions],
            pauses=[(p.paused_at, p.resumed_at) for p in pauses],
        )
        return Deadline(
            self.rule,
            self.started_at,
            self.start_on,
            s.due_on,
            s.due_at,
            period,
            rule.citation,
            s.is_estimated,
            pauses,
            extensions,
            s.cap_on,
            self.met_at,
            self.cancelled_at,
            s.trace,
            self.timezone,
            s.due_soon_at,
            s.cap_at,
        )

    def _closing_items(self) -> tuple[TraceItem, ...]:
        """How the deadline closed, for its explanation (derived, not stored in ``trace``)."""
        items = []
        if self.met_at is not None:
            late = "late" if self.met_at >= self.due_at else ""
            items.append(TraceItem(TraceKind.MET, at=self.met_at, name=late))
        if self.cancelled_at is not None:
            items.append(TraceItem(TraceKind.CANCELLED, at=self.cancelled_at))
        return tuple(items)

    # ------------------------------------------------------------------ reading

    @property
    def is_open(self) -> bool:
        """Neither met nor cancelled."""
        return self.met_at is None and self.cancelled_at is None

    @property
    def is_paused(self) -> bool:
        """Paused and not yet resumed."""
        return bool(self.pauses) and self.pauses[-1].resumed_at is None

    @property
    def is_met_late(self) -> bool:
        """Met at or after its end instant."""
        return self.met_at is not None and self.met_at >= self.due_at

    def status(self, now: _dt.datetime) -> DeadlineStatus:
        """The status at ``now``: met, cancelled, paused, overdue, due soon or pending.

        A paused deadline is overdue once its cap (which keeps running) has passed.
        """
        now = require_aware(now, "now")
        if self.met_at is not None:
            return DeadlineStatus.MET
        if self.cancelled_at is not None:
            return DeadlineStatus.CANCELLED
        if self.is_paused:
            if self.cap_at is not None and now >= self.cap_at:
                return DeadlineStatus.OVERDUE
            return DeadlineStatus.PAUSED
        if now >= self.due_at:
            return DeadlineStatus.OVERDUE
        if self.due_soon_at is not None and now >= self.due_soon_at:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.PENDING

    def explain(self) -> Explanation:
        """How the due date was computed, and what happened to the deadline since."""
        return Explanation(
            fill_trace(
                self.trace,
                start_on=self.start_on,
                started_at=self.started_at,
                due_on=self.due_on,
                due_at=self.due_at,
                timezone=self.timezone,
            )
            + self._closing_items()
        )

    # ------------------------------------------------------------------ changes

    def _check_open(self, at: _dt.datetime, action: str) -> _dt.datetime:
        at = require_aware(at, "at")
        if self.met_at is not None:
            raise DeadlineError(
                self.rule, f"cannot {action}: it was met at {self.met_at.isoformat()}"
            )
        if self.cancelled_at is not None:
            raise DeadlineError(
                self.rule, f"cannot {action}: it was cancelled at {self.cancelled_at.isoformat()}"
            )
        if at < self.started_at:
            raise DeadlineError(
                self.rule,
                f"cannot {action} at {at.isoformat()}, before it started at "
                f"{self.started_at.isoformat()}",
            )
        return at

    def meet(self, at: _dt.datetime) -> Deadline:
        """The deadline met at ``at`` (late if at or after ``due_at``)."""
        at = self._check_open(at, "be met")
        return self._closed(at, None)

    def cancel(self, at: _dt.datetime) -> Deadline:
        """The deadline cancelled at ``at``."""
        at = self._check_open(at, "be cancelled")
        return self._closed(None, at)

    def _closed(self, met_at: _dt.datetime | None, cancelled_at: _dt.datetime | None) -> Deadline:
        """This deadline met or cancelled (built field by field: a fire closes deadlines, and
        ``attrs.evolve`` costs three times as much).

        The trace is kept as it is: :meth:`explain` adds the closing from ``met_at`` or
        ``cancelled_at``."""
        return Deadline(
            self.rule,
            self.started_at,
            self.start_on,
            self.due_on,
            self.due_at,
            self.period,
            self.citation,
            self.is_estimated,
            self.pauses,
            self.extensions,
            self.cap_on,
            met_at,
            cancelled_at,
            self.trace,
            self.timezone,
            self.due_soon_at,
            self.cap_at,
        )

    def pause(self, at: _dt.datetime) -> Deadline:
        """The deadline paused (tolled) at ``at``; :meth:`resume` moves the due date."""
        at = self._check_open(at, "be paused")
        if self.is_paused:
            since = self.pauses[-1].paused_at.isoformat()
            raise DeadlineError(self.rule, f"is already paused since {since}; resume it first")
        if self.pauses:
            last = self.pauses[-1].resumed_at
            if last is not None and at < last:
                raise DeadlineError(
                    self.rule, f"cannot be paused at {at.isoformat()}, before its last resumption"
                )
        item = open_pause_item(
            at, self.timezone
        )  # where a recomputation puts it: before the due date
        due = next(
            (i for i, x in enumerate(self.trace) if x.kind is TraceKind.DUE), len(self.trace)
        )
        return attrs.evolve(
            self,
            pauses=(*self.pauses, Pause(at)),
            trace=(*self.trace[:due], item, *self.trace[due:]),
        )

    def resume(self, at: _dt.datetime, *, rule: DeadlineRule, calendar: Calendar) -> Deadline:
        """The deadline resumed at ``at``: the due date moves later by the days lost.

        The days lost are those in ``(paused_on, resumed_on]``: working days for a working-day
        period, calendar days otherwise (exact time for hours). The cap still bounds the result.
        """
        at = self._check_open(at, "be resumed")
        if not self.is_paused:
            raise DeadlineError(self.rule, "is not paused; only a paused deadline can resume")
        pause = self.pauses[-1]
        if at < pause.paused_at:
            raise DeadlineError(
                self.rule,
                f"cannot resume at {at.isoformat()}, before the pause at "
                f"{pause.paused_at.isoformat()}",
            )
        pauses = (*self.pauses[:-1], Pause(pause.paused_at, at))
        return self._rebuild(rule, calendar, pauses, self.extensions)

    def extend(
        self,
        by: Period | str,
        *,
        reason: str | None,
        at: _dt.datetime,
        rule: DeadlineRule,
        calendar: Calendar,
    ) -> Deadline:
        """The deadline extended by ``by``, within the rule's :class:`ExtensionPolicy`.

        Refused (:class:`~discipline_flow.errors.ExtensionRefusedError`) when the rule allows no
        extension, the count or total would go beyond the policy, a required reason is missing,
        or the deadline has already passed.
        """
        at = self._check_open(at, "be extended")
        by = Period.parse(by)
        if by.amount <= 0:
            raise InvalidPeriodError(str(by), "an extension must be longer than zero")
        policy = rule.extension
        if policy is None:
            raise ExtensionRefusedError(self.rule, "its rule allows no extension")
        hours = self.period.unit is Unit.HOURS
        if hours and by.unit not in (Unit.HOURS, Unit.CALENDAR_DAYS, Unit.WEEKS):
            raise ExtensionRefusedError(
                self.rule,
                f"an hour deadline is extended in hours, days or weeks, not {by.unit.value}",
            )
        if not hours and by.unit is Unit.HOURS:
            raise ExtensionRefusedError(
                self.rule, "a deadline counted in days is extended in days, weeks, months or years"
            )
        if len(self.extensions) >= policy.max_count:
            raise ExtensionRefusedError(
                self.rule,
                f"already extended {len(self.extensions)} time(s); the rule allows at most "
                f"{policy.max_count}",
            )
        if policy.reason_required and (reason is None or not reason.strip()):
            raise ExtensionRefusedError(self.rule, "an extension needs a reason")
        if policy.max_total is not None:
            limit = policy.max_total
            if by.unit is not limit.unit:
                raise ExtensionRefusedError(
                    self.rule,
                    f"extensions are limited to {limit}; give the extension in {limit.unit.value}",
                )
            total = by.amount + sum(e.by.amount for e in self.extensions if e.by.unit is limit.unit)
            if total > limit.amount:
                raise ExtensionRefusedError(
                    self.rule,
                    f"extending by {by} would make {Period(total, limit.unit)} in all; the rule "
                    f"allows at most {limit}",
                )
        if not self.is_paused and at >= self.due_at:
            raise ExtensionRefusedError(
                self.rule,
                f"it ended at {self.due_at.isoformat()}; an extension must be granted before "
                f"the deadline passes",
            )
        extension = Extension(by, reason.strip() if reason else None, at)
        return self._rebuild(rule, calendar, self.pauses, (*self.extensions, extension))

    def recompute(self, *, rule: DeadlineRule, calendar: Calendar) -> Deadline:
        """The same deadline (start, pauses, extensions) computed with ``rule`` and ``calendar``.

        Used when a calendar or rule changes; a met or cancelled deadline keeps its closing.
        With the rule and calendar it was computed with, the result equals this deadline in
        every field, its trace included: a deadline loaded without its trace gets it back.
        """
        return self._rebuild(rule, calendar, self.pauses, self.extensions)
