"""Working days in Viet Nam: the :class:`Calendar` protocol and :class:`VietnamCalendar`.

A working day (*ngày làm việc*) of a party body is a working day of the state administration:
Monday to Friday (QĐ 188/1999/QĐ-TTg), minus the statutory holidays (Labour Code 2019 art. 112)
and their compensatory days (art. 111(3)), minus the weekdays the Government moves off, plus the
Saturdays it makes working days (*làm bù*). The days moved each year come from a government
notice, so :class:`VietnamCalendar` reads them from an **official table** shipped as package data
(``data/vn_official.toml``, each row citing its notice) and falls back to the ``holidays``
package for the other years, whose dates are then **estimated** and flagged as such.

Policy choices (``calendar.md`` §5.4): a make-up Saturday is a working day and a swapped-off
weekday is not, also for the roll-forward of Civil Code art. 148(5).

>>> from datetime import date
>>> from discipline_flow.time import default_calendar
>>> cal = default_calendar()
>>> cal.is_working_day(date(2026, 1, 2)), cal.is_working_day(date(2026, 1, 10))
(False, True)
>>> [r.label() for r in cal.why(date(2026, 1, 2))]
['Day off swapped with Saturday 10/1/2026 (Công văn 12729/VPCP-KGVX (25/12/2025), verified)']
>>> cal.add_working_days(date(2025, 12, 31), 3)
datetime.date(2026, 1, 7)
>>> cal.is_estimated(date(2028, 1, 26))
True
"""

from __future__ import annotations

import datetime as _dt
import functools
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable
from importlib.metadata import version
from typing import Any, Protocol, TypeVar, runtime_checkable

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import CalendarRangeError, InputError
from discipline_flow.time._dates import as_date
from discipline_flow.time._holidays import PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR, package_days
from discipline_flow.time._index import WorkdayIndex
from discipline_flow.time._trace import DayKind, DayReason, TraceItem, TraceKind
from discipline_flow.time.table import CalendarEntry, OfficialTable, status_of

__all__ = [
    "Calendar",
    "CalendarEntry",
    "DayKind",
    "DayReason",
    "OfficialTable",
    "VietnamCalendar",
    "default_calendar",
]


@runtime_checkable
class Calendar(Protocol):
    """What deadlines need from a calendar. Implement it to use your own.

    Days are plain :class:`datetime.date` values. ``add_working_days(d, n)`` never counts ``d``
    itself: it returns the ``n``-th working day strictly after ``d`` (``n > 0``) or strictly
    before it (``n < 0``), and ``d`` for ``n == 0``. ``count_working_days(a, b)`` counts the
    working days in ``(a, b]`` (negative when ``b < a``), so that for ``n >= 0``
    ``count_working_days(d, add_working_days(d, n)) == n``, and for ``n < 0`` the working days
    in ``[add_working_days(d, n), d)`` number ``-n``.
    """

    @property
    def as_of(self) -> str:
        """The version of the data: the date the official table was last brought up to date."""
        ...

    def is_working_day(self, day: _dt.date) -> bool:
        """Whether ``day`` is a working day."""
        ...

    def add_working_days(self, day: _dt.date, n: int) -> _dt.date:
        """The ``n``-th working day after (``n > 0``) or before (``n < 0``) ``day``."""
        ...

    def count_working_days(self, start: _dt.date, end: _dt.date) -> int:
        """Working days in ``(start, end]``."""
        ...

    def why(self, day: _dt.date) -> tuple[DayReason, ...]:
        """Why ``day`` is not a working day (empty for an ordinary working day)."""
        ...

    def is_estimated(self, day: _dt.date) -> bool:
        """Whether ``day``'s status is computed from rules rather than an official notice."""
        ...


_K = TypeVar("_K", bound=Hashable)
_T = TypeVar("_T")


def _weekend_reason(day: _dt.date, estimated: bool) -> DayReason:
    return _WEEKEND[day.weekday() - 5][estimated]


_QD188 = Citation("QĐ 188/1999/QĐ-TTg", "Điều 1", RuleStatus.VERIFIED, source="hethongphapluat")
_WEEKEND = (
    (
        DayReason(
            DayKind.WEEKEND, "Saturday (weekly rest day)", "Thứ Bảy (nghỉ hằng tuần)", _QD188
        ),
        DayReason(
            DayKind.WEEKEND, "Saturday (weekly rest day)", "Thứ Bảy (nghỉ hằng tuần)", _QD188, True
        ),
    ),
    (
        DayReason(DayKind.WEEKEND, "Sunday (weekly rest day)", "Chủ Nhật (nghỉ hằng tuần)", _QD188),
        DayReason(
            DayKind.WEEKEND, "Sunday (weekly rest day)", "Chủ Nhật (nghỉ hằng tuần)", _QD188, True
        ),
    ),
)


class VietnamCalendar:
    """The working days of Vietnamese state and party bodies.

    ``table`` (the shipped :meth:`OfficialTable.default` unless given) is the authority for its
    years; other years come from the ``holidays`` package (statutory rules, lunar dates by the
    Vietnamese calendar, compensatory days) and are flagged as estimated. ``extra`` rows (for
    example a province's own day off) replace whatever the table or the package says about
    their day. The calendar answers for 1 January ``first_year`` to 31 December ``last_year``
    and raises :class:`~discipline_flow.errors.CalendarRangeError` outside that range.

    Instances are immutable; :func:`default_calendar` returns a shared one.

    >>> from datetime import date
    >>> from discipline_flow.time import CalendarEntry, DayKind
    >>> local = VietnamCalendar(extra=[CalendarEntry(date(2025, 3, 10), DayKind.LOCAL_DAY_OFF,
    ...                                              "Province day")])
    >>> local.is_working_day(date(2025, 3, 10)), default_calendar().is_working_day(date(2025, 3, 10))
    (False, True)
    """

    __slots__ = (
        "_day_items",
        "_extra_count",
        "_first",
        "_index",
        "_last",
        "_named",
        "_named_off",
        "_named_ords",
        "_official",
        "_shared",
        "_shared_lock",
        "_table",
    )

    #: How many results :meth:`shared` keeps per calendar; past it the oldest is dropped.
    SHARED_LIMIT = 65536

    def __init__(
        self,
        *,
        table: OfficialTable | None = None,
        extra: Iterable[CalendarEntry] = (),
        first_year: int = 1995,
        last_year: int = 2099,
    ) -> None:
        if not (PACKAGE_FIRST_YEAR <= first_year <= last_year <= PACKAGE_LAST_YEAR):
            raise InputError(
                "first_year, last_year",
                f"need {PACKAGE_FIRST_YEAR} <= first_year <= last_year <= {PACKAGE_LAST_YEAR}",
            )
        table = table if table is not None else OfficialTable.default()
        extra = tuple(extra)
        for entry in extra:
            if not isinstance(entry, CalendarEntry):
                raise InputError("extra", f"expected CalendarEntry rows, got {entry!r}")
        official = frozenset(y for y in table.years if first_year <= y <= last_year)
        status: dict[int, bool] = {}
        named: dict[int, tuple[DayReason, ...]] = {}
        # Years without an official table: the holidays package, flagged as estimated.
        missing = tuple(y for y in range(first_year, last_year + 1) if y not in official)
        for o, working, reasons in package_days(missing):
            status[o] = working
            named[o] = reasons
        for entry in table.entries:
            if entry.on.year in official:
                o = entry.on.toordinal()
                status[o] = not entry.kind.is_day_off
                named[o] = (*named.get(o, ()), entry.reason())
        extra_status = status_of(extra, "extra")
        for o, working in extra_status.items():
            status[o] = working
            named[o] = ()
        for entry in extra:
            o = entry.on.toordinal()
            estimated = entry.on.year not in official
            named[o] = (*named[o], entry.reason(is_estimated=estimated))
        self._first = _dt.date(first_year, 1, 1).toordinal()
        self._last = _dt.date(last_year, 12, 31).toordinal()
        self._index = WorkdayIndex(
            self._first,
            self._last,
            {o: w for o, w in status.items() if self._first <= o <= self._last},
        )
        self._named = {o: r for o, r in named.items() if self._first <= o <= self._last}
        self._named_ords = sorted(self._named)
        self._official = official
        self._table = table
        self._extra_count = len(extra)
        self._shared: dict[tuple[Callable[..., Any], Hashable], Any] = {}
        self._shared_lock = threading.Lock()
        # The trace item of every named day, built once and shared by all explanations, and
        # the running count of named days off (to count plain weekends by subtraction).
        self._day_items: list[TraceItem] = []
        self._named_off = [0]
        for o in self._named_ords:
            working = self._index.is_working(o)
            kind = TraceKind.MAKE_UP_DAY if working else TraceKind.SKIPPED_DAY
            item = TraceItem(kind, on=_dt.date.fromordinal(o), reasons=self._why(o))
            self._day_items.append(item)
            self._named_off.append(self._named_off[-1] + (0 if working else 1))

    # ------------------------------------------------------------------ description

    @property
    def as_of(self) -> str:
        """The date the official table was last brought up to date, e.g. ``'2026-12-01'``."""
        return self._table.as_of

    @property
    def version(self) -> str:
        """A longer version string: table, ``holidays`` release and number of extra rows."""
        extra = f"; {self._extra_count} extra rows" if self._extra_count else ""
        return f"official table {self.as_of}; holidays {version('holidays')}{extra}"

    @property
    def official_years(self) -> frozenset[int]:
        """Years whose days off come from the official table (not estimated)."""
        return self._official

    @property
    def first_on(self) -> _dt.date:
        """The first day the calendar answers for."""
        return _dt.date.fromordinal(self._first)

    @property
    def last_on(self) -> _dt.date:
        """The last day the calendar answers for."""
        return _dt.date.fromordinal(self._last)

    def __repr__(self) -> str:
        return (
            f"VietnamCalendar(as_of={self.as_of!r}, official_years={sorted(self._official)}, "
            f"range={self.first_on.isoformat()}..{self.last_on.isoformat()}, "
            f"extra={self._extra_count})"
        )

    # ------------------------------------------------------------------ shared results

    def shared(self, compute: Callable[[VietnamCalendar, _K], _T], key: _K) -> _T:
        """``compute(self, key)``, computed once and shared by every caller with an equal ``key``.

        For results that are a pure function of ``key`` and this calendar, which never changes:
        the dates of a deadline rule started on a given day are the same for every case that
        starts it that day, so :class:`~discipline_flow.time.Deadline` asks for them here and
        the calendar computes them once. At most :attr:`SHARED_LIMIT` results are kept (the
        oldest is dropped first); they go with the calendar.

        >>> from datetime import date
        >>> def working_days_in_april(cal: VietnamCalendar, year: int) -> int:
        ...     return cal.count_working_days(date(year, 3, 31), date(year, 4, 30))
        >>> default_calendar().shared(working_days_in_april, 2025)  # 7/4 and 30/4 off, 26/4 on
        21
        """
        results = self._shared
        try:
            found: _T = results[compute, key]
        except KeyError:
            pass
        else:
            return found
        value = compute(self, key)
        with self._shared_lock:  # readers never change the dict: only writers take the lock
            if len(results) >= self.SHARED_LIMIT:
                del results[next(iter(results))]
            results[compute, key] = value
        return value

    # ------------------------------------------------------------------ queries

    def _ordinal(self, day: object, argument: str = "day") -> int:
        o = (day if type(day) is _dt.date else as_date(day, argument)).toordinal()
        if not self._first <= o <= self._last:
            raise self._range_error(o)
        return o

    def _range_error(self, o: int) -> CalendarRangeError:
        day = _dt.date.fromordinal(o).isoformat() if 1 <= o <= 3652059 else f"ordinal {o}"
        return CalendarRangeError(day, self.first_on.isoformat(), self.last_on.isoformat())

    def is_working_day(self, day: _dt.date) -> bool:
        """Whether ``day`` is a working day (O(1))."""
        o = day.toordinal() if type(day) is _dt.date else self._ordinal(day)
        if not self._first <= o <= self._last:
            raise self._range_error(o)
        return self._index.is_working(o)

    def add_working_days(self, day: _dt.date, n: int) -> _dt.date:
        """The ``n``-th working day strictly after ``day`` (``n > 0``) or before it (``n < 0``).

        O(log H) whatever ``n``.

        >>> from datetime import date
        >>> default_calendar().add_working_days(date(2025, 4, 25), 1)  # make-up Saturday
        datetime.date(2025, 4, 26)
        >>> default_calendar().add_working_days(date(2025, 5, 5), -2)  # 30/4-2/5 off
        datetime.date(2025, 4, 28)
        """
        if type(n) is not int:
            raise InputError("n", f"expected a whole number of working days, got {n!r}")
        o = day.toordinal() if type(day) is _dt.date else self._ordinal(day)
        if not self._first <= o <= self._last:
            raise self._range_error(o)
        o = self._index.add(o, n)
        if not self._first <= o <= self._last:
            # Say what was asked, not the ordinal it came to (which may be no date at all).
            direction = "after" if n > 0 else "before"
            asked = f"the day {abs(n):,} working days {direction} {day.isoformat()}"
            raise CalendarRangeError(asked, self.first_on.isoformat(), self.last_on.isoformat())
        return _dt.date.fromordinal(o)

    def count_working_days(self, start: _dt.date, end: _dt.date) -> int:
        """Working days in ``(start, end]``; negative when ``end < start``. O(log H).

        >>> from datetime import date
        >>> default_calendar().count_working_days(date(2025, 1, 24), date(2025, 2, 3))
        1
        """
        return self._index.count(self._ordinal(start, "start"), self._ordinal(end, "end"))

    def why(self, day: _dt.date) -> tuple[DayReason, ...]:
        """Why ``day`` is not a working day: weekend, holiday, day off, each with its basis.

        For a make-up working Saturday the single reason is the notice that made it a working
        day; for an ordinary working day the result is empty. A weekend day that is also a
        holiday has both reasons.
        """
        o = self._ordinal(day)
        return self._why(o)

    def _why(self, o: int) -> tuple[DayReason, ...]:
        named = self._named.get(o, ())
        day = _dt.date.fromordinal(o)
        if day.weekday() >= 5 and not self._index.is_working(o):
            return (_weekend_reason(day, day.year not in self._official), *named)
        return named

    def is_estimated(self, day: _dt.date) -> bool:
        """Whether ``day``'s year has no official table (its days off are computed)."""
        return _dt.date.fromordinal(self._ordinal(day)).year not in self._official

    # ------------------------------------------------------------------ helpers for explanations

    def estimated_years(self, start: _dt.date, end: _dt.date) -> tuple[int, ...]:
        """The years from ``start`` to ``end`` (inclusive) without an official table."""
        official = self._official
        first, last = start.year, end.year
        if first == last and first in official:  # the common case, answered without checks
            return ()
        self._ordinal(start, "start")
        self._ordinal(end, "end")
        return tuple(y for y in range(first, last + 1) if y not in official)

    def named_days_between(
        self, start: _dt.date, end: _dt.date
    ) -> tuple[tuple[_dt.date, tuple[DayReason, ...]], ...]:
        """Days in ``[start, end]`` with a named reason (holidays, days off, make-up days).

        Plain weekends are not listed; a weekend day that is also a holiday is.

        >>> from datetime import date
        >>> [d.isoformat() for d, _ in default_calendar().named_days_between(
        ...     date(2026, 1, 1), date(2026, 1, 31))]
        ['2026-01-01', '2026-01-02', '2026-01-10']
        """
        lo, hi = self._slice(start, end)
        return tuple((item.on or start, item.reasons) for item in self._day_items[lo:hi])

    def _slice(self, start: _dt.date, end: _dt.date) -> tuple[int, int]:
        a = self._ordinal(start, "start")
        b = self._ordinal(end, "end")
        return bisect_left(self._named_ords, a), bisect_right(self._named_ords, b)

    def day_items(
        self, start: _dt.date, end: _dt.date, *, weekends: bool = True
    ) -> list[TraceItem]:
        """Trace items for ``[start, end]``: each named day, then a count of plain weekend days.

        The named items are built once with the calendar, so explaining a deadline costs a
        bisect, not a walk over its days.
        """
        if end < start:
            return []
        lo, hi = self._slice(start, end)
        items = self._day_items[lo:hi]
        if not weekends:
            return items
        a, b = start.toordinal(), end.toordinal()
        off = (b - a + 1) - self._index.count(a - 1, b)
        plain = off - (self._named_off[hi] - self._named_off[lo])
        if plain:
            items.append(TraceItem(TraceKind.SKIPPED_WEEKENDS, on=start, until_on=end, count=plain))
        return items


@functools.cache
def default_calendar() -> VietnamCalendar:
    """The shared :class:`VietnamCalendar` with the shipped table and no extra rows."""
    return VietnamCalendar()
