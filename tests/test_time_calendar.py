"""The Vietnamese working-day calendar: hand-worked status rows, arithmetic rows, data checks.

Every row was worked out by hand from the rule it cites (calendar.md §3 gives the official
schedule; "LC" is the Labour Code 2019, "QĐ 188" is QĐ 188/1999/QĐ-TTg).
"""

from __future__ import annotations

import datetime as _dt
import sys
from datetime import date

import holidays
import pytest

from discipline_flow.errors import (
    CalendarRangeError,
    DisciplineFlowError,
    InputError,
    MalformedDataError,
)
from discipline_flow.time import (
    Calendar,
    CalendarEntry,
    DayKind,
    OfficialTable,
    VietnamCalendar,
    default_calendar,
)
from discipline_flow.time._index import WorkdayIndex, default_working_days

CAL = default_calendar()

# (day, is working, kind of the decisive reason or None, is estimated); id cites the rule.
STATUS_ROWS = [
    pytest.param(date(2024, 1, 1), False, DayKind.HOLIDAY, False, id="2024-01-01 LC 112(1)a"),
    pytest.param(date(2024, 2, 8), False, DayKind.HOLIDAY, False, id="2024-02-08 Tet TB 5015"),
    pytest.param(date(2024, 2, 14), False, DayKind.HOLIDAY, False, id="2024-02-14 Tet TB 5015"),
    pytest.param(date(2024, 2, 15), True, None, False, id="2024-02-15 after Tet TB 5015"),
    pytest.param(date(2024, 4, 18), False, DayKind.HOLIDAY, False, id="2024-04-18 LC 112(1)e"),
    pytest.param(
        date(2024, 4, 29), False, DayKind.SWAPPED_DAY_OFF, False, id="2024-04-29 CV 2450 swap"
    ),
    pytest.param(
        date(2024, 5, 4), True, DayKind.MAKE_UP_WORKING_DAY, False, id="2024-05-04 CV 2450 make-up"
    ),
    pytest.param(date(2024, 9, 3), False, DayKind.HOLIDAY, False, id="2024-09-03 LC 112(1)d"),
    pytest.param(date(2024, 9, 4), True, None, False, id="2024-09-04 after National Day"),
    pytest.param(date(2025, 1, 24), True, None, False, id="2025-01-24 before Tet TB 6150"),
    pytest.param(date(2025, 1, 27), False, DayKind.HOLIDAY, False, id="2025-01-27 Tet TB 6150"),
    pytest.param(date(2025, 1, 31), False, DayKind.HOLIDAY, False, id="2025-01-31 Tet TB 6150"),
    pytest.param(date(2025, 2, 3), True, None, False, id="2025-02-03 after Tet TB 6150"),
    pytest.param(date(2025, 4, 7), False, DayKind.HOLIDAY, False, id="2025-04-07 LC 112(1)e"),
    pytest.param(
        date(2025, 4, 26), True, DayKind.MAKE_UP_WORKING_DAY, False, id="2025-04-26 TB 6150 make-up"
    ),
    pytest.param(
        date(2025, 5, 2), False, DayKind.SWAPPED_DAY_OFF, False, id="2025-05-02 TB 6150 swap"
    ),
    pytest.param(date(2025, 9, 1), False, DayKind.HOLIDAY, False, id="2025-09-01 LC 112(1)d"),
    pytest.param(date(2025, 9, 3), True, None, False, id="2025-09-03 after National Day"),
    pytest.param(date(2026, 1, 1), False, DayKind.HOLIDAY, False, id="2026-01-01 LC 112(1)a"),
    pytest.param(
        date(2026, 1, 2), False, DayKind.SWAPPED_DAY_OFF, False, id="2026-01-02 CV 12729 swap"
    ),
    pytest.param(
        date(2026, 1, 10),
        True,
        DayKind.MAKE_UP_WORKING_DAY,
        False,
        id="2026-01-10 CV 12729 make-up",
    ),
    pytest.param(date(2026, 2, 16), False, DayKind.HOLIDAY, False, id="2026-02-16 Tet TB 9441"),
    pytest.param(date(2026, 2, 20), False, DayKind.HOLIDAY, False, id="2026-02-20 Tet TB 9441"),
    pytest.param(date(2026, 2, 23), True, None, False, id="2026-02-23 after Tet TB 9441"),
    pytest.param(date(2026, 4, 26), False, DayKind.WEEKEND, False, id="2026-04-26 Gio To on Sun"),
    pytest.param(
        date(2026, 4, 27), False, DayKind.COMPENSATORY_DAY_OFF, False, id="2026-04-27 LC 111(3)"
    ),
    pytest.param(date(2026, 5, 1), False, DayKind.HOLIDAY, False, id="2026-05-01 LC 112(1)d"),
    pytest.param(date(2026, 5, 4), True, None, False, id="2026-05-04 no swap CV 3383"),
    pytest.param(
        date(2026, 8, 22), True, DayKind.MAKE_UP_WORKING_DAY, False, id="2026-08-22 TB 9441 make-up"
    ),
    pytest.param(
        date(2026, 8, 31), False, DayKind.SWAPPED_DAY_OFF, False, id="2026-08-31 TB 9441 swap"
    ),
    pytest.param(date(2026, 9, 2), False, DayKind.HOLIDAY, False, id="2026-09-02 LC 112(1)d"),
    pytest.param(date(2026, 9, 3), True, None, False, id="2026-09-03 after National Day"),
    pytest.param(date(2026, 11, 23), True, None, False, id="2026-11-23 swap only proposed"),
    pytest.param(date(2026, 11, 24), False, DayKind.HOLIDAY, False, id="2026-11-24 NQ 28/2026"),
    pytest.param(date(2026, 11, 28), False, DayKind.WEEKEND, False, id="2026-11-28 QD 188 Sat"),
    # 2027: official from Công văn 10065/VPCP-KGVX (02/10/2026; reference Update 2026-12 U.4).
    pytest.param(date(2027, 1, 1), False, DayKind.HOLIDAY, False, id="2027-01-01 LC 112(1)a"),
    pytest.param(date(2027, 2, 3), True, None, False, id="2027-02-03 before Tet CV 10065"),
    pytest.param(date(2027, 2, 4), False, DayKind.HOLIDAY, False, id="2027-02-04 Tet CV 10065"),
    pytest.param(date(2027, 2, 8), False, DayKind.HOLIDAY, False, id="2027-02-08 Tet CV 10065"),
    pytest.param(date(2027, 2, 10), False, DayKind.HOLIDAY, False, id="2027-02-10 Tet CV 10065"),
    pytest.param(date(2027, 2, 11), True, None, False, id="2027-02-11 after Tet CV 10065"),
    pytest.param(
        date(2027, 5, 3), False, DayKind.COMPENSATORY_DAY_OFF, False, id="2027-05-03 LC 111(3)"
    ),
    pytest.param(date(2027, 9, 3), False, DayKind.HOLIDAY, False, id="2027-09-03 CV 10065"),
    pytest.param(date(2027, 9, 6), True, None, False, id="2027-09-06 after National Day"),
    pytest.param(date(2027, 11, 24), False, DayKind.HOLIDAY, False, id="2027-11-24 NQ 28/2026"),
    # 2028: no notice yet, so estimated from the statutory rules (Tết: mùng 1 is Wed 26/1).
    pytest.param(date(2028, 1, 26), False, DayKind.HOLIDAY, True, id="2028-01-26 Tet estimated"),
    pytest.param(date(2028, 11, 24), False, DayKind.HOLIDAY, True, id="2028-11-24 estimated"),
    pytest.param(
        date(2029, 11, 26),
        False,
        DayKind.COMPENSATORY_DAY_OFF,
        True,
        id="2029-11-26 Culture Day nghi bu (policy 5.4d)",
    ),
]


@pytest.mark.parametrize(("day", "working", "kind", "estimated"), STATUS_ROWS)
def test_working_day_status(
    day: date, working: bool, kind: DayKind | None, estimated: bool
) -> None:
    assert CAL.is_working_day(day) is working
    assert CAL.is_estimated(day) is estimated
    reasons = CAL.why(day)
    if kind is None:
        assert reasons == ()
    else:
        assert reasons[0].kind is kind
        assert all(r.is_estimated is estimated for r in reasons)


# (start, n, expected); n may be negative.
ADD_ROWS = [
    pytest.param(date(2025, 1, 24), 1, date(2025, 2, 3), id="over Tet 2025 TB 6150"),
    pytest.param(date(2024, 2, 7), 1, date(2024, 2, 15), id="over Tet 2024 TB 5015"),
    pytest.param(date(2026, 2, 13), 1, date(2026, 2, 23), id="over Tet 2026 TB 9441"),
    pytest.param(date(2024, 4, 26), 1, date(2024, 5, 2), id="30/4 2024 swap CV 2450"),
    pytest.param(date(2024, 4, 26), 3, date(2024, 5, 4), id="make-up Sat 4/5/2024 counts"),
    pytest.param(date(2024, 4, 26), 4, date(2024, 5, 6), id="after make-up 2024"),
    pytest.param(date(2025, 4, 25), 1, date(2025, 4, 26), id="make-up Sat 26/4/2025 TB 6150"),
    pytest.param(date(2025, 4, 25), 5, date(2025, 5, 6), id="calendar.md 5.3: 5 wd"),
    pytest.param(date(2025, 12, 31), 3, date(2026, 1, 7), id="calendar.md 5.3: 2/1 swap"),
    pytest.param(date(2026, 1, 9), 1, date(2026, 1, 10), id="make-up Sat 10/1/2026 CV 12729"),
    pytest.param(date(2026, 4, 24), 1, date(2026, 4, 28), id="nghi bu 27/4/2026 LC 111(3)"),
    pytest.param(date(2026, 4, 29), 1, date(2026, 5, 4), id="30/4-1/5/2026 no swap"),
    pytest.param(date(2026, 8, 21), 1, date(2026, 8, 22), id="make-up Sat 22/8/2026"),
    pytest.param(date(2026, 8, 28), 1, date(2026, 9, 3), id="2/9 break 2026 TB 9441"),
    pytest.param(date(2025, 8, 29), 1, date(2025, 9, 3), id="2/9 break 2025"),
    pytest.param(date(2024, 8, 30), 1, date(2024, 9, 4), id="2/9 break 2024"),
    pytest.param(date(2026, 11, 20), 2, date(2026, 11, 25), id="Culture Day NQ 28/2026"),
    pytest.param(date(2025, 5, 5), -2, date(2025, 4, 28), id="back over 30/4-2/5 2025"),
    pytest.param(date(2026, 1, 5), -1, date(2025, 12, 31), id="back over 1-2/1/2026"),
    pytest.param(date(2026, 1, 12), -1, date(2026, 1, 10), id="back onto make-up Sat"),
    pytest.param(date(2025, 3, 12), 0, date(2025, 3, 12), id="zero is the day itself"),
]


@pytest.mark.parametrize(("start", "n", "expected"), ADD_ROWS)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected
    if n >= 0:  # working days in (start, expected]
        assert CAL.count_working_days(start, expected) == n
    else:  # working days in [expected, start)
        one = _dt.timedelta(days=1)
        assert CAL.count_working_days(expected - one, start - one) == -n


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(date(2025, 1, 24), date(2025, 2, 3), 1, id="Tet 2025 TB 6150"),
        # January 2026: 22 weekdays, minus 1/1 and 2/1, plus Sat 10/1 (CV 12729).
        pytest.param(date(2025, 12, 31), date(2026, 1, 31), 21, id="January 2026"),
        # February 2026: 20 weekdays minus the five Tết days 16-20/2 (TB 9441).
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), 15, id="February 2026"),
        pytest.param(date(2025, 4, 30), date(2025, 4, 25), -3, id="backwards is negative"),
        pytest.param(date(2025, 4, 30), date(2025, 4, 30), 0, id="same day"),
    ],
)
def test_count_working_days(start: date, end: date, expected: int) -> None:
    assert CAL.count_working_days(start, end) == expected


def test_why_lists_weekend_and_holiday_with_citations() -> None:
    reasons = CAL.why(date(2024, 2, 10))  # Sat, first day of Tết Giáp Thìn
    assert [r.kind for r in reasons] == [DayKind.WEEKEND, DayKind.HOLIDAY]
    assert reasons[1].citation is not None
    assert reasons[1].citation.document == "Thông báo 5015/TB-LĐTBXH"
    assert "mùng 1" in reasons[1].label("vi")


def test_official_table_differs_from_holidays_exactly_at_the_2026_new_year_swap() -> None:
    """calendar.md §4.1 D1/D2: the package lacks Fri 2/1 off and Sat 10/1 worked."""
    package = holidays.country_holidays("VN", years=range(2024, 2028))
    differences = []
    day = date(2024, 1, 1)
    while day.year < 2028:  # 2027: the package's estimate and the notice agree
        if package.is_working_day(day) != CAL.is_working_day(day):
            differences.append(day)
        day += _dt.timedelta(days=1)
    assert differences == [date(2026, 1, 2), date(2026, 1, 10)]


def test_shipped_table_has_a_version_and_cites_every_row() -> None:
    table = OfficialTable.default()
    assert table.as_of == CAL.as_of == "2026-12-01"
    assert table.years == frozenset({2024, 2025, 2026, 2027})
    assert all(e.citation is not None and e.citation.document for e in table.entries)
    assert CAL.official_years == frozenset({2024, 2025, 2026, 2027})
    # The pin: 0.109 on Python 3.11+, 0.107 (its last release for 3.10) on 3.10 (pyproject.toml).
    expected = "0.109" if sys.version_info >= (3, 11) else "0.107"
    assert f"holidays {expected}" in CAL.version


def test_extra_rows_add_a_local_day_off_and_win_over_the_table() -> None:
    extra = [
        CalendarEntry(date(2025, 3, 10), DayKind.LOCAL_DAY_OFF, "Province day", "Ngày tỉnh"),
        CalendarEntry(date(2025, 3, 15), DayKind.MAKE_UP_WORKING_DAY, "Local make-up Saturday"),
    ]
    local = VietnamCalendar(extra=extra)
    assert not local.is_working_day(date(2025, 3, 10))
    assert local.is_working_day(date(2025, 3, 15))
    assert CAL.is_working_day(date(2025, 3, 10))
    # Fri 7/3 + 1 working day skips Mon 10/3 in the province.
    assert local.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 11)
    assert [r.kind for r in local.why(date(2025, 3, 10))] == [DayKind.LOCAL_DAY_OFF]
    assert "2 extra rows" in local.version


def test_a_table_for_a_new_year_makes_it_official() -> None:
    text = """
    [meta]
    as_of = "2028-01-15"
    years = [2028]
    [[day]]
    on = 2028-01-01
    kind = "holiday"
    name_en = "New Year's Day"
    document = "Bộ luật Lao động 2019"
    article = "Điều 112 khoản 1 điểm a"
    """
    table = OfficialTable.default().merge(OfficialTable.from_toml(text))
    cal = VietnamCalendar(table=table)
    assert not cal.is_estimated(date(2028, 1, 26))
    # The 2028 table lists no Tết: every weekday of 2028 is now a working day (1/1 is a Saturday).
    assert cal.is_working_day(date(2028, 1, 26))
    assert cal.official_years == frozenset({2024, 2025, 2026, 2027, 2028})


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("not toml [", "not valid TOML", id="syntax"),
        pytest.param("[meta]\nyears = [2024]", "needs as_of", id="no as_of"),
        pytest.param('[meta]\nas_of = "x"\nyears = "2024"', "list of years", id="years"),
        pytest.param(
            '[meta]\nas_of = "x"\nyears = [2024]\n[[day]]\non = 2024-01-01\nkind = "holiday"\n'
            'document = "d"',
            "missing field 'name_en'",
            id="missing field",
        ),
        pytest.param(
            '[meta]\nas_of = "x"\nyears = [2024]\n[[day]]\non = 2024-01-01\nkind = "feast"\n'
            'name_en = "x"\ndocument = "d"',
            "feast",
            id="unknown kind",
        ),
        pytest.param(
            '[meta]\nas_of = "x"\nyears = [2024]\n[[day]]\non = 2024-01-02\n'
            'kind = "make_up_working_day"\nname_en = "x"\ndocument = "d"',
            "only a weekend day can be made up",
            id="make-up on a weekday",
        ),
        pytest.param(
            '[meta]\nas_of = "x"\nyears = [2024]\n[[day]]\non = 2025-01-01\nkind = "holiday"\n'
            'name_en = "x"\ndocument = "d"',
            "outside the table's years",
            id="row outside its years",
        ),
        pytest.param(
            '[meta]\nas_of = "x"\nyears = [2024]\n[[day]]\non = 2024-01-01\nkind = "holiday"\n'
            'name_en = "x"\ndocument = "d"\ncolour = "red"',
            "unknown fields",
            id="unknown field",
        ),
    ],
)
def test_malformed_tables_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(MalformedDataError, match=fragment):
        OfficialTable.from_toml(text)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: CAL.is_working_day(date(1994, 12, 31)), id="before"),
        pytest.param(lambda: CAL.is_working_day(date(2100, 1, 1)), id="after"),
        pytest.param(lambda: CAL.add_working_days(date(2099, 12, 30), 5), id="result after"),
        pytest.param(lambda: CAL.add_working_days(date(1995, 1, 3), -5), id="result before"),
        pytest.param(lambda: CAL.count_working_days(date(2025, 1, 1), date(2101, 1, 1)), id="end"),
    ],
)
def test_range_is_checked(call: object) -> None:
    with pytest.raises(CalendarRangeError, match="outside the calendar's range"):
        call()  # type: ignore[operator]


def test_range_error_is_input_error_from_our_tree() -> None:
    with pytest.raises(CalendarRangeError) as info:
        CAL.why(date(2101, 1, 1))
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, DisciplineFlowError)
    assert str(info.value) == "2101-01-01 is outside the calendar's range 1995-01-01 to 2099-12-31"


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        pytest.param(
            lambda: CAL.is_working_day(_dt.datetime(2025, 1, 1, tzinfo=_dt.timezone.utc)),
            "expected a date",
            id="datetime",
        ),
        pytest.param(
            lambda: CAL.is_working_day("2025-01-01"),  # type: ignore[arg-type]
            "expected a date",
            id="text",
        ),
        pytest.param(
            lambda: CAL.add_working_days(date(2025, 1, 1), 1.5),  # type: ignore[arg-type]
            "whole number",
            id="n",
        ),
        pytest.param(lambda: CAL.add_working_days(date(2025, 1, 1), True), "whole number", id="b"),
        pytest.param(lambda: VietnamCalendar(first_year=1900), "first_year", id="years"),
        pytest.param(
            lambda: VietnamCalendar(extra=["2025-01-01"]),  # type: ignore[list-item]
            "CalendarEntry",
            id="extra",
        ),
        pytest.param(
            lambda: CalendarEntry(date(2025, 1, 4), DayKind.SWAPPED_DAY_OFF, "x"),
            "must be a weekday",
            id="swap on Saturday",
        ),
        pytest.param(
            lambda: CalendarEntry(date(2025, 1, 6), DayKind.WEEKEND, "x"),
            "not an entry kind",
            id="weekend entry",
        ),
        pytest.param(
            lambda: CalendarEntry(date(2025, 1, 6), DayKind.HOLIDAY, " "), "needs a name", id="name"
        ),
        pytest.param(
            lambda: VietnamCalendar(
                extra=[
                    CalendarEntry(date(2025, 1, 4), DayKind.MAKE_UP_WORKING_DAY, "a"),
                    CalendarEntry(date(2025, 1, 4), DayKind.HOLIDAY, "b"),
                ]
            ),
            "both as a day off and as a working day",
            id="conflicting extra rows",
        ),
    ],
)
def test_bad_input_is_refused(call: object, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        call()  # type: ignore[operator]


def test_vietnam_calendar_implements_the_protocol() -> None:
    assert isinstance(CAL, Calendar)
    assert default_calendar() is CAL  # cached
    assert "official_years=[2024, 2025, 2026, 2027]" in repr(CAL)


def test_named_days_between_lists_holidays_not_plain_weekends() -> None:
    days = [d for d, _ in CAL.named_days_between(date(2025, 4, 25), date(2025, 5, 5))]
    assert days == [date(2025, 4, 26), date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)]


def test_index_closed_form_counts_weekdays() -> None:
    # Ordinal 1 is Monday 1/1/0001: a week holds 5 default working days.
    assert default_working_days(7) == 5
    assert default_working_days(6) == 5
    assert default_working_days(3) == 3
    index = WorkdayIndex(1, 100, {6: True, 3: False})  # Sat 6 worked, Wed 3 off
    assert [index.add(2, k) for k in (1, 2, 3, 4)] == [4, 5, 6, 8]
    assert index.count(2, 8) == 4
    assert len(index) == 2
    assert index.exceptions_between(1, 5) == [3]
    assert index.is_exception(6)
    assert not index.is_exception(7)


def test_a_smaller_range_is_checked_at_its_own_ends() -> None:
    small = VietnamCalendar(first_year=2024, last_year=2026)
    assert (small.first_on, small.last_on) == (date(2024, 1, 1), date(2026, 12, 31))
    assert small.add_working_days(date(2025, 12, 31), 3) == date(2026, 1, 7)
    with pytest.raises(CalendarRangeError, match="2024-01-01 to 2026-12-31"):
        small.add_working_days(date(2026, 12, 30), 5)
    assert (CAL.first_on, CAL.last_on) == (date(1995, 1, 1), date(2099, 12, 31))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # February 2027 has 20 weekdays (1-26/2); Tết takes 4, 5, 8, 9 and 10/2 (Công văn
        # 10065/VPCP-KGVX): 15 working days in (31/1, 28/2].
        pytest.param(date(2027, 1, 31), date(2027, 2, 28), 15, id="Tet 2027"),
        # September 2027 has 22 weekdays; 2/9 and 3/9 are off: 20.
        pytest.param(date(2027, 8, 31), date(2027, 9, 30), 20, id="National Day 2027"),
        # (31/3, 31/5/2027]: 22 weekdays in April less Fri 16/4 (Hùng Kings) and Fri 30/4, then
        # 21 in May less Mon 3/5 (1/5 is a Saturday): 20 + 20 = 40.
        pytest.param(date(2027, 3, 31), date(2027, 5, 31), 40, id="April-May 2027"),
        # November 2027 has 22 weekdays less Wed 24/11 (Culture Day): 21.
        pytest.param(date(2027, 10, 31), date(2027, 11, 30), 21, id="Culture Day 2027"),
    ],
)
def test_working_days_of_2027_follow_the_official_table(
    start: date, end: date, expected: int
) -> None:
    assert CAL.count_working_days(start, end) == expected
    assert not CAL.is_estimated(end)
