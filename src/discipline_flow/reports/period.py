"""Reporting periods: the month, quarter, six and nine months, year or term a report covers.

The inspection sector reports for monthly, first-quarter, six-month, nine-month, annual and
full-term periods (QĐ 885-QĐ/UBKTTW of 29/12/2022). A :class:`Period` is a half-open span of
local time ``[start, end)``, written the way a user types it:

========================  =====================================================
Text                      Period
========================  =====================================================
``2023``                  the year 2023
``2023-Q3``               the third quarter (1 July to 30 September)
``2023-H1`` / ``2023-6M``  the first six months (1 January to 30 June)
``2023-H2``               the last six months (1 July to 31 December)
``2023-9M``               the first nine months (1 January to 30 September)
``2023-07``               the month of July
``2020-2025``             a term: 1 January 2020 to 31 December 2025
========================  =====================================================

>>> period = Period.parse("2023-Q3")
>>> period.kind, period.label, period.start.isoformat(), period.end.isoformat()
(<PeriodKind.QUARTER: 'quarter'>, '2023-Q3', '2023-07-01T00:00:00+07:00', '2023-10-01T00:00:00+07:00')
>>> Period.parse("2023").previous().label
'2022'
>>> Period.parse("2023-13")
Traceback (most recent call last):
...
discipline_flow.errors.InputError: period: expected 2023, 2023-Q3, 2023-H1, 2023-6M, 2023-H2, 2023-9M, 2023-07 or a term like 2020-2025, got '2023-13'
"""

from __future__ import annotations

import datetime as _dt
import enum
import re

import attrs

from discipline_flow.clock import DEFAULT_TIMEZONE, require_aware
from discipline_flow.errors import InputError
from discipline_flow.time._dates import zone

__all__ = ["Period", "PeriodKind"]

#: The years a period can fall in (the calendar's range).
_MIN_YEAR = 1990
_MAX_YEAR = 2100

_FORMS = "2023, 2023-Q3, 2023-H1, 2023-6M, 2023-H2, 2023-9M, 2023-07 or a term like 2020-2025"
_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<half>H1|6M)|(?P<second>H2)|(?P<nine>9M)"
    r"|(?P<month>\d{2})|(?P<last>\d{4})))?$"
)


class PeriodKind(enum.Enum):
    """The kinds of reporting period of the sector's statistical forms."""

    MONTH = "month"
    QUARTER = "quarter"
    SIX_MONTHS = "six_months"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    TERM = "term"


_LABELS_VI = {
    PeriodKind.MONTH: "tháng {month} năm {year}",
    PeriodKind.QUARTER: "quý {quarter} năm {year}",
    PeriodKind.SIX_MONTHS: "6 tháng đầu năm {year}",
    PeriodKind.NINE_MONTHS: "9 tháng đầu năm {year}",
    PeriodKind.YEAR: "năm {year}",
    PeriodKind.TERM: "nhiệm kỳ {year}–{last}",
}
_QUARTERS_EN = ("first", "second", "third", "fourth")
#: The months' English names (spelled out here: strftime follows the process's locale).
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _first(year: int, month: int, tz: _dt.tzinfo) -> _dt.datetime:
    if month == 13:
        year, month = year + 1, 1
    return _dt.datetime(year, month, 1, tzinfo=tz)


@attrs.frozen
class Period:
    """A reporting period: local time from ``start`` (inclusive) to ``end`` (exclusive).

    ``label`` is the text :meth:`parse` reads back; :attr:`label_vi` the period as a Vietnamese
    report names it.
    """

    kind: PeriodKind
    label: str
    start: _dt.datetime
    end: _dt.datetime

    def __attrs_post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.end, "end")
        if self.end <= self.start:
            raise InputError("period", f"must end after it starts, got {self.start} to {self.end}")

    @classmethod
    def parse(cls, text: object, *, timezone: str = DEFAULT_TIMEZONE) -> Period:
        """The period ``text`` names (see the module's table), in ``timezone``."""
        found = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        year = int(found["year"]) if found else 0
        if found is None or not _MIN_YEAR <= year <= _MAX_YEAR:
            raise InputError("period", f"expected {_FORMS}, got {text!r}")
        tz = zone(timezone)
        if found["quarter"]:
            quarter = int(found["quarter"])
            first = 3 * (quarter - 1) + 1
            kind, label, months = PeriodKind.QUARTER, f"{year}-Q{quarter}", (first, first + 3)
        elif found["half"]:
            kind, label, months = PeriodKind.SIX_MONTHS, f"{year}-H1", (1, 7)
        elif found["second"]:
            kind, label, months = PeriodKind.SIX_MONTHS, f"{year}-H2", (7, 13)
        elif found["nine"]:
            kind, label, months = PeriodKind.NINE_MONTHS, f"{year}-9M", (1, 10)
        elif found["month"]:
            month = int(found["month"])
            if not 1 <= month <= 12:
                raise InputError("period", f"expected {_FORMS}, got {text!r}")
            kind, label, months = PeriodKind.MONTH, f"{year}-{month:02d}", (month, month + 1)
        elif found["last"]:
            last = int(found["last"])
            if not year < last <= min(year + 10, _MAX_YEAR):
                raise InputError(
                    "period",
                    f"a term runs from one year to a later one at most 10 years on, got {text!r}",
                )
            start = _dt.datetime(year, 1, 1, tzinfo=tz)
            return cls(PeriodKind.TERM, f"{year}-{last}", start, _first(last, 13, tz))
        else:
            kind, label, months = PeriodKind.YEAR, str(year), (1, 13)
        return cls(kind, label, _first(year, months[0], tz), _first(year, months[1], tz))

    @classmethod
    def year(cls, year: int, *, timezone: str = DEFAULT_TIMEZONE) -> Period:
        """The calendar year ``year``.

        >>> Period.year(2023) == Period.parse("2023")
        True
        """
        return cls.parse(f"{year:04d}", timezone=timezone)

    @property
    def last_day(self) -> _dt.date:
        """The period's last day (the day before :attr:`end`)."""
        return (self.end - _dt.timedelta(days=1)).date()

    @property
    def label_vi(self) -> str:
        """The period in Vietnamese, e.g. ``quý 3 năm 2023``.

        >>> Period.parse("2023-9M").label_vi, Period.parse("2020-2025").label_vi
        ('9 tháng đầu năm 2023', 'nhiệm kỳ 2020–2025')
        >>> Period.parse("2025-H2").label_vi
        '6 tháng cuối năm 2025'
        """
        start = self.start
        if self.kind is PeriodKind.SIX_MONTHS and start.month == 7:
            return f"6 tháng cuối năm {start.year}"
        return _LABELS_VI[self.kind].format(
            year=start.year,
            month=start.month,
            quarter=(start.month - 1) // 3 + 1,
            last=self.last_day.year,
        )

    @property
    def label_en(self) -> str:
        """The period in English as a sentence names it, e.g. ``the third quarter of 2023``.

        >>> Period.parse("2023-Q3").label_en, Period.parse("2023-07").label_en
        ('the third quarter of 2023', 'July 2023')
        >>> Period.parse("2025-H2").label_en, Period.parse("2020-2025").label_en
        ('the last six months of 2025', 'the 2020–2025 term')
        """
        start, year = self.start, self.start.year
        if self.kind is PeriodKind.MONTH:
            return f"{MONTHS_EN[start.month - 1]} {year}"
        if self.kind is PeriodKind.QUARTER:
            return f"the {_QUARTERS_EN[(start.month - 1) // 3]} quarter of {year}"
        if self.kind is PeriodKind.SIX_MONTHS:
            return f"the {'last' if start.month == 7 else 'first'} six months of {year}"
        if self.kind is PeriodKind.NINE_MONTHS:
            return f"the first nine months of {year}"
        if self.kind is PeriodKind.TERM:
            return f"the {year}–{self.last_day.year} term"
        return str(year)

    def contains(self, at: _dt.datetime) -> bool:
        """Whether the instant ``at`` falls inside the period.

        >>> import pendulum
        >>> Period.parse("2023-Q3").contains(pendulum.datetime(2023, 9, 30, 23, tz="Asia/Ho_Chi_Minh"))
        True
        """
        return self.start <= require_aware(at, "at") < self.end

    def previous(self) -> Period:
        """The same kind of period one year earlier (a term: the term before it), for the
        comparison a report makes with the previous year."""
        start, end = self.start, self.end
        if self.kind is PeriodKind.TERM:
            # The same number of years right before it: 2020-2025 follows 2014-2019.
            years = self.last_day.year - start.year + 1
            first = start.replace(year=start.year - years)
            return Period(self.kind, f"{first.year:04d}-{start.year - 1:04d}", first, start)
        label = f"{start.year - 1:04d}{self.label[4:]}"
        return Period(
            self.kind, label, start.replace(year=start.year - 1), end.replace(year=end.year - 1)
        )
