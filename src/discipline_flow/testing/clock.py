"""The clock of a rule test: a frozen clock that also moves by working days.

:class:`ScenarioClock` is a :class:`~discipline_flow.clock.FrozenClock` that knows the calendar
the deadlines are computed with, so a test can say "30 working days later" and land on the same
day the engine counts to. The ``clock`` fixture of the pytest plugin is one.

>>> import pendulum
>>> from discipline_flow.testing import ScenarioClock
>>> clock = ScenarioClock(pendulum.datetime(2025, 4, 25, 9, tz="Asia/Ho_Chi_Minh"))
>>> clock.advance_by("1 working day").now().isoformat()  # 26/4/2025 was a make-up Saturday
'2025-04-26T09:00:00+07:00'
>>> clock.advance_by("3 working days").now().isoformat()  # Mon 28, Tue 29; 30/4-4/5 off
'2025-05-05T09:00:00+07:00'
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

import pendulum

from discipline_flow.clock import FrozenClock, require_aware
from discipline_flow.errors import InputError
from discipline_flow.time.calendar import default_calendar
from discipline_flow.time.period import Period, Unit

if TYPE_CHECKING:
    from discipline_flow.time.calendar import Calendar

__all__ = ["ScenarioClock", "later"]


def later(at: _dt.datetime, period: Period | str, calendar: Calendar) -> pendulum.DateTime:
    """The instant ``period`` after ``at``: working days counted with ``calendar`` (same time
    of day, on the ``n``-th working day after the local date of ``at``), months clamped to the
    month end. Negative periods are refused: time in a test only moves forward.

    >>> import pendulum
    >>> from discipline_flow.time import default_calendar
    >>> start = pendulum.datetime(2026, 2, 13, 9, tz="Asia/Ho_Chi_Minh")  # Friday before Tết
    >>> later(start, "1 working day", default_calendar()).isoformat()  # 16-20/2/2026 off
    '2026-02-23T09:00:00+07:00'
    """
    amount = Period.parse(period) if isinstance(period, str) else period
    if not isinstance(amount, Period):
        raise InputError(
            "period", f"expected a Period or text like '5 working days', got {period!r}"
        )
    if amount.amount < 0:
        raise InputError("period", f"time in a test only moves forward; got {amount}")
    now = pendulum.instance(require_aware(at, "at"))
    if amount.unit is Unit.WORKING_DAYS:
        today = _dt.date(now.year, now.month, now.day)
        target = calendar.add_working_days(today, amount.amount)
        return now.add(days=(target - today).days)
    if amount.unit is Unit.HOURS:
        return now.add(hours=amount.amount)
    if amount.unit is Unit.CALENDAR_DAYS:
        return now.add(days=amount.amount)
    if amount.unit is Unit.WEEKS:
        return now.add(weeks=amount.amount)
    if amount.unit is Unit.MONTHS:
        return now.add(months=amount.amount)
    return now.add(years=amount.amount)


class ScenarioClock(FrozenClock):
    """A frozen clock shared by the cases of a test and the calendar their deadlines use.

    ``calendar`` is the calendar working days are counted with (the Vietnamese calendar by
    default, as for a workflow without its own). The clock only moves when told to.
    """

    __slots__ = ("_calendar",)

    def __init__(self, at: _dt.datetime, *, calendar: Calendar | None = None) -> None:
        super().__init__(at)
        self._calendar = calendar

    @property
    def calendar(self) -> Calendar:
        """The calendar working days are counted with."""
        if self._calendar is None:
            self._calendar = default_calendar()
        return self._calendar

    def advance_by(self, period: Period | str) -> ScenarioClock:
        """Move forward by ``period`` (``"30 working days"``, ``"2 months"``, a
        :class:`~discipline_flow.time.Period`); returns the clock.

        Working days keep the time of day and land on the ``n``-th working day after today's
        date in the clock's timezone; months clamp to the month end (31/1 + 1 month = 28/2).
        """
        self.set(later(self.now(), period, self.calendar))
        return self

    def advance_to(self, at: _dt.datetime) -> ScenarioClock:
        """Move forward to ``at``; moving backwards is an :class:`~discipline_flow.errors.InputError`."""
        target = require_aware(at, "at")
        if target < self.now():
            raise InputError(
                "at",
                f"a test clock only moves forward; it is {self.now().isoformat()} and "
                f"{target.isoformat()} is earlier",
            )
        self.set(target)
        return self

    def __repr__(self) -> str:
        return f"ScenarioClock({self.now().isoformat()})"
