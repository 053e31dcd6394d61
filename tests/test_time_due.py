"""Due dates: hand-worked rows for each counting rule, the explanation, and refused input.

"BLDS" is the Civil Code 2015 (Bộ luật Dân sự); "§5.3" the worked examples of calendar.md.
"""

from __future__ import annotations

import datetime as _dt
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from discipline_flow.errors import (
    DisciplineFlowError,
    InputError,
    InvalidPeriodError,
    NaiveDatetimeError,
)
from discipline_flow.time import (
    CIVIL_CODE,
    CIVIL_CODE_CITATION,
    CountingConvention,
    Period,
    TraceKind,
    Unit,
    compute_due,
    default_calendar,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NO_ROLL = CIVIL_CODE.but(roll_forward=False)

# (start, period, convention, due_on, estimated)
DUE_ROWS = [
    # calendar.md §5.3 worked examples
    pytest.param(
        date(2025, 1, 31),
        "1 month",
        CIVIL_CODE,
        date(2025, 2, 28),
        False,
        id="5.3 31/1+1m clamp BLDS 148(3)",
    ),
    pytest.param(
        date(2025, 3, 31),
        "1 month",
        CIVIL_CODE,
        date(2025, 5, 5),
        False,
        id="5.3 31/3+1m 30/4-4/5 off BLDS 148(5)",
    ),
    pytest.param(
        date(2024, 2, 29),
        "1 year",
        CIVIL_CODE,
        date(2025, 2, 28),
        False,
        id="5.3 29/2+1y BLDS 148(4)",
    ),
    pytest.param(
        date(2026, 1, 17),
        "30 days",
        CIVIL_CODE,
        date(2026, 2, 23),
        False,
        id="5.3 16/2/2026 in Tet TB 9441",
    ),
    pytest.param(
        date(2025, 4, 25),
        "1 working day",
        CIVIL_CODE,
        date(2025, 4, 26),
        False,
        id="5.3 make-up Sat TB 6150",
    ),
    pytest.param(
        date(2025, 4, 25),
        "5 working days",
        CIVIL_CODE,
        date(2025, 5, 6),
        False,
        id="5.3 5 wd over 30/4",
    ),
    pytest.param(
        date(2025, 12, 31),
        "3 working days",
        CIVIL_CODE,
        date(2026, 1, 7),
        False,
        id="5.3 2/1/2026 swap CV 12729",
    ),
    pytest.param(
        date(2026, 11, 20),
        "2 working days",
        CIVIL_CODE,
        date(2026, 11, 25),
        False,
        id="5.3 Culture Day NQ 28",
    ),
    pytest.param(
        date(2025, 8, 1), "1 month", CIVIL_CODE, date(2025, 9, 3), False, id="5.3 1/9-2/9/2025 off"
    ),
    # month ends and leap days (BLDS 148(3)-(4))
    pytest.param(
        date(2024, 1, 31),
        "1 month",
        CIVIL_CODE,
        date(2024, 2, 29),
        False,
        id="31/1/2024+1m leap clamp",
    ),
    pytest.param(
        date(2023, 1, 31),
        "1 month",
        CIVIL_CODE,
        date(2023, 2, 28),
        True,
        id="31/1/2023+1m estimated year",
    ),
    pytest.param(
        date(2024, 2, 29), "4 years", CIVIL_CODE, date(2028, 2, 29), True, id="29/2+4y leap to leap"
    ),
    pytest.param(
        date(2025, 2, 28),
        "1 month",
        CIVIL_CODE,
        date(2025, 3, 28),
        False,
        id="28/2+1m corresponding day",
    ),
    pytest.param(
        date(2025, 8, 31),
        "1 month",
        CIVIL_CODE,
        date(2025, 9, 30),
        False,
        id="31/8+1m clamp to 30/9",
    ),
    pytest.param(
        date(2025, 10, 31),
        "1 month",
        CIVIL_CODE,
        date(2025, 12, 1),
        False,
        id="clamp to Sun 30/11 then roll",
    ),
    pytest.param(
        date(2025, 5, 31),
        "1 month",
        CIVIL_CODE,
        date(2025, 6, 30),
        False,
        id="31/5+1m clamp to 30/6",
    ),
    pytest.param(
        date(2025, 1, 31),
        "2 months",
        CIVIL_CODE,
        date(2025, 3, 31),
        False,
        id="2 months from start, not chained",
    ),
    # roll-forward on and off (BLDS 148(5), overridable)
    pytest.param(
        date(2025, 3, 31),
        "1 month",
        NO_ROLL,
        date(2025, 4, 30),
        False,
        id="no roll: ends on holiday 30/4",
    ),
    pytest.param(
        date(2025, 1, 1), "90 days", CIVIL_CODE, date(2025, 4, 1), False, id="90 days BLDS 148(1)"
    ),
    pytest.param(
        date(2025, 4, 1),
        "30 days",
        CIVIL_CODE,
        date(2025, 5, 5),
        False,
        id="30 days onto 1/5/2025 rolls",
    ),
    pytest.param(
        date(2025, 4, 1), "30 days", NO_ROLL, date(2025, 5, 1), False, id="30 days no roll"
    ),
    pytest.param(
        date(2026, 1, 1), "2 weeks", CIVIL_CODE, date(2026, 1, 15), False, id="2 weeks BLDS 148(2)"
    ),
    pytest.param(
        date(2026, 4, 19),
        "1 week",
        CIVIL_CODE,
        date(2026, 4, 28),
        False,
        id="1 week onto Gio To Sun, nghi bu Mon",
    ),
    pytest.param(
        date(2025, 4, 30),
        "1 year",
        CIVIL_CODE,
        date(2026, 5, 4),
        False,
        id="1 year onto 30/4/2026 rolls",
    ),
    pytest.param(
        date(2021, 11, 24),
        "5 years",
        CIVIL_CODE,
        date(2026, 11, 25),
        False,
        id="5 years onto Culture Day",
    ),
    # working days (the N-th working day strictly after the start)
    pytest.param(
        date(2026, 2, 9),
        "30 working days",
        CIVIL_CODE,
        date(2026, 3, 30),
        False,
        id="30 wd over Tet 2026",
    ),
    pytest.param(
        date(2024, 4, 26),
        "10 working days",
        CIVIL_CODE,
        date(2024, 5, 14),
        False,
        id="10 wd over 30/4/2024 swap",
    ),
    pytest.param(
        date(2024, 8, 29),
        "3 working days",
        CIVIL_CODE,
        date(2024, 9, 5),
        False,
        id="3 wd over 2/9/2024",
    ),
    pytest.param(
        date(2026, 8, 20),
        "2 working days",
        CIVIL_CODE,
        date(2026, 8, 22),
        False,
        id="2 wd onto make-up 22/8/2026",
    ),
    # Tết 2027 off Thu 4/2 to Wed 10/2 (Công văn 10065/VPCP-KGVX, official): from Mon 25/1,
    # 26-29/1 (4), 1-3/2 (7), 11-12/2 (9), 15-19 (14), 22-26 (19), 1-5/3 (24), 8-12 (29), 15/3.
    pytest.param(
        date(2027, 1, 25),
        "30 working days",
        CIVIL_CODE,
        date(2027, 3, 15),
        False,
        id="30 wd over official Tet 2027",
    ),
    # National Day 2027 Thu 2/9 and Fri 3/9 (Công văn 10065/VPCP-KGVX): from Tue 31/8/2027,
    # Wed 1/9 (1), Mon 6/9 (2), 7 (3), 8 (4), Thu 9/9 (5).
    pytest.param(
        date(2027, 8, 31), "5 working days", CIVIL_CODE, date(2027, 9, 9), False, id="ND 2027"
    ),
    # 1/5/2027 is a Saturday, Mon 3/5 the compensatory day (LC 2019 Điều 111 khoản 3): from Thu
    # 29/4, Fri 30/4 is a holiday, so Tue 4/5 (1), Wed 5/5 (2).
    pytest.param(
        date(2027, 4, 29), "2 working days", CIVIL_CODE, date(2027, 5, 5), False, id="1/5/2027 Sat"
    ),
    # Culture Day Wed 24/11/2027 (NQ 28/2026/QH16): from Mon 22/11, Tue 23 (1), Thu 25 (2).
    pytest.param(
        date(2027, 11, 22), "2 working days", CIVIL_CODE, date(2027, 11, 25), False, id="CD 2027"
    ),
    # Tết 2028 estimated Mon 24/1 to Fri 28/1 (the statutory rule, no notice yet): from Mon
    # 17/1/2028, 18-21/1 (4), 31/1 (5), 1-4/2 (9), 7-11 (14), 14-18 (19), 21-25 (24), 28-29/2
    # (26), 1-3/3 (29), Mon 6/3 (30).
    pytest.param(
        date(2028, 1, 17),
        "30 working days",
        CIVIL_CODE,
        date(2028, 3, 6),
        True,
        id="30 wd over estimated Tet 2028",
    ),
    # conventions overridden per rule
    pytest.param(
        date(2025, 3, 3),
        "10 days",
        CIVIL_CODE.but(exclude_start_day=False),
        date(2025, 3, 12),
        False,
        id="start day counted",
    ),
    pytest.param(
        date(2025, 4, 25),
        "5 working days",
        CIVIL_CODE.but(exclude_start_day=False),
        date(2025, 5, 5),
        False,
        id="start day counted wd",
    ),
    pytest.param(
        date(2025, 1, 31),
        "1 month",
        CIVIL_CODE.but(clamp_month_end=False),
        date(2025, 3, 3),
        False,
        id="no clamp: 1/3 Sat rolls",
    ),
    # estimated years: flagged when the calendar was consulted in a year without a table
    pytest.param(
        date(2026, 12, 25), "10 days", CIVIL_CODE, date(2027, 1, 4), False, id="2027 is official"
    ),
    pytest.param(
        date(2027, 12, 25), "10 days", CIVIL_CODE, date(2028, 1, 4), True, id="roll check in 2028"
    ),
    pytest.param(
        date(2026, 12, 15), "10 days", CIVIL_CODE, date(2026, 12, 25), False, id="all in 2026"
    ),
    pytest.param(
        date(2026, 12, 25), "10 days", NO_ROLL, date(2027, 1, 4), False, id="no roll: no calendar"
    ),
]


@pytest.mark.parametrize(("start", "period", "convention", "due_on", "estimated"), DUE_ROWS)
def test_due_on(
    start: date, period: str, convention: CountingConvention, due_on: date, estimated: bool
) -> None:
    due = compute_due(start, period, convention=convention)
    assert due.due_on == due_on
    assert due.is_estimated is estimated
    # The period ends at 24:00 local time of the last day (BLDS 148(6)).
    assert due.due_at == datetime(due_on.year, due_on.month, due_on.day, tzinfo=HANOI) + (
        _dt.timedelta(days=1)
    )


def test_instant_start_uses_the_local_date() -> None:
    # calendar.md §5.3: 18:30 UTC on 29/4 is 30/4 in Hanoi; 15 working days → Fri 23/5/2025.
    due = compute_due(datetime(2025, 4, 29, 18, 30, tzinfo=timezone.utc), "15 working days")
    assert due.start_on == date(2025, 4, 30)
    assert due.due_on == date(2025, 5, 23)
    assert compute_due("2025-04-29T18:30:00Z", "15 working days").due_on == date(2025, 5, 23)


def test_hours_run_from_the_instant_without_roll_forward() -> None:
    # BLDS 147(1): hour periods start at the stated moment; 148(5) speaks of days only.
    due = compute_due(datetime(2025, 4, 29, 10, tzinfo=HANOI), "36 hours")
    assert due.due_at == datetime(2025, 4, 30, 22, tzinfo=HANOI)
    assert due.due_on == date(2025, 4, 30)


def test_end_at_the_time_of_day_of_the_start() -> None:
    convention = CIVIL_CODE.but(end_at_midnight=False)
    due = compute_due(datetime(2025, 3, 3, 14, 30, tzinfo=HANOI), "10 days", convention=convention)
    assert due.due_on == date(2025, 3, 13)
    assert due.due_at == datetime(2025, 3, 13, 14, 30, tzinfo=HANOI)


def test_other_timezone() -> None:
    due = compute_due(date(2025, 3, 3), "1 day", timezone="Europe/Paris")
    assert due.due_at == datetime(2025, 3, 5, tzinfo=ZoneInfo("Europe/Paris"))


def test_explanation_of_a_roll_forward_names_every_skipped_day() -> None:
    due = compute_due(date(2025, 3, 31), "1 month")
    kinds = [i.kind for i in due.explanation.trace]
    assert kinds == [
        TraceKind.START,
        TraceKind.PERIOD,
        TraceKind.CLAMPED,
        TraceKind.SKIPPED_DAY,
        TraceKind.SKIPPED_DAY,
        TraceKind.SKIPPED_DAY,
        TraceKind.SKIPPED_WEEKENDS,
        TraceKind.ROLL_FORWARD,
        TraceKind.DUE,
    ]
    text = due.explanation.text()
    assert "Reunification Day" in text
    assert "Day off swapped with Saturday 26/4/2025 (Thông báo 6150/TB-BLĐTBXH, verified)" in text
    assert "Skipped 2 weekend days (QĐ 188/1999/QĐ-TTg): Sat 2025-05-03, Sun 2025-05-04." in text
    assert "art. 148(5)" in text
    vi = due.explanation.text("vi")
    assert "Ngày Chiến thắng" in vi
    assert "Thứ Hai 05/05/2025" in vi


def test_explanation_of_working_days_counts_make_up_days_and_weekends() -> None:
    due = compute_due(date(2025, 4, 25), "5 working days")
    trace = due.explanation.trace
    make_up = [i for i in trace if i.kind is TraceKind.MAKE_UP_DAY]
    assert [i.on for i in make_up] == [date(2025, 4, 26)]
    weekends = next(i for i in trace if i.kind is TraceKind.SKIPPED_WEEKENDS)
    # (25/4, 6/5]: Sun 27/4, Sat 3/5, Sun 4/5 (Sat 26/4 is a make-up working day).
    assert weekends.count == 3
    assert "Sun 2025-04-27, Sat 2025-05-03, Sun 2025-05-04" in due.explanation.text()
    assert "the 5th working day after the start date" in due.explanation.text()


def test_explanation_flags_estimated_years() -> None:
    due = compute_due(date(2028, 1, 17), "30 working days")
    estimated = [i for i in due.explanation.trace if i.kind is TraceKind.ESTIMATED]
    assert [i.years for i in estimated] == [(2028,)]
    assert "no official schedule of days off for 2028" in due.explanation.text()
    assert "ước tính" in due.explanation.text("vi").lower()


def test_not_rolled_explains_why_the_day_is_off() -> None:
    text = compute_due(date(2025, 4, 1), "30 days", convention=NO_ROLL).explanation.text()
    assert "Thu 2025-05-01 is not a working day (International Labour Day" in text
    assert "does not roll forward" in text


def test_explanation_to_data_is_json_ready() -> None:
    data = compute_due(date(2025, 3, 31), "1 month").explanation.to_data("vi")
    assert data[0]["kind"] == "start"
    assert data[0]["on"] == "2025-03-31"
    assert data[-1]["kind"] == "due"
    assert all(isinstance(item["text"], str) for item in data)


def test_custom_calendar_is_used_and_explained_day_by_day() -> None:
    class EveryDayOffButMonday:
        as_of = "test"

        def is_working_day(self, day: date) -> bool:
            return day.weekday() == 0

        def add_working_days(self, day: date, n: int) -> date:
            step = 1 if n > 0 else -1
            while n:
                day += _dt.timedelta(days=step)
                if self.is_working_day(day):
                    n -= step
            return day

        def count_working_days(self, start: date, end: date) -> int:
            return sum(
                self.is_working_day(start + _dt.timedelta(days=k))
                for k in range(1, (end - start).days + 1)
            )

        def why(self, day: date) -> tuple[()]:
            return ()

        def is_estimated(self, day: date) -> bool:
            return day.year > 2025

    cal = EveryDayOffButMonday()
    due = compute_due(date(2025, 3, 4), "2 working days", calendar=cal)
    assert due.due_on == date(2025, 3, 17)
    assert not due.is_estimated
    skipped = [i for i in due.explanation.trace if i.kind is TraceKind.SKIPPED_DAY]
    # Wed 5/3 to Sun 16/3 is 12 days: minus Mon 10/3 and 4 plain weekend days, 7 are named.
    assert len(skipped) == 7
    weekends = next(i for i in due.explanation.trace if i.kind is TraceKind.SKIPPED_WEEKENDS)
    assert weekends.count == 4
    # Sun 28/12/2025 + 2 working days = Mon 5/1/2026, in a year this calendar estimates.
    assert compute_due(date(2025, 12, 28), "2 working days", calendar=cal).is_estimated


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        pytest.param(
            lambda: compute_due(datetime(2025, 1, 1, 9), "1 day"),
            NaiveDatetimeError,
            "must be an aware datetime",
            id="naive datetime",
        ),
        pytest.param(
            lambda: compute_due("2025-01-01T09:00", "1 day"),
            NaiveDatetimeError,
            "must be an aware datetime",
            id="naive ISO text",
        ),
        pytest.param(
            lambda: compute_due(date(2025, 1, 1), "3 fortnights"),
            InvalidPeriodError,
            "units: hours, days, working days",
            id="unknown unit",
        ),
        pytest.param(
            lambda: compute_due(date(2025, 1, 1), Period(-3, Unit.WORKING_DAYS)),
            InvalidPeriodError,
            "zero or more",
            id="negative period",
        ),
        pytest.param(
            lambda: compute_due(date(2025, 1, 1), "36 hours"),
            InvalidPeriodError,
            "starts at an instant",
            id="hours from a date",
        ),
        pytest.param(
            lambda: compute_due("31/01/2025", "1 day"),
            InputError,
            "not an ISO date",
            id="dd/mm/yyyy",
        ),
        pytest.param(
            lambda: compute_due(20250101, "1 day"),  # type: ignore[arg-type]
            InputError,
            "expected a date",
            id="number",
        ),
        pytest.param(
            lambda: compute_due(date(2025, 1, 1), "1 day", timezone="Mars/Olympus"),
            InputError,
            "unknown timezone",
            id="timezone",
        ),
        pytest.param(
            lambda: compute_due(date(2025, 1, 1), "1 day").explanation.text("fr"),
            InputError,
            "languages: en, vi",
            id="language",
        ),
    ],
)
def test_bad_input_is_a_clear_error(call: object, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error, match=fragment) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, DisciplineFlowError)
    assert isinstance(info.value, ValueError)


def test_default_calendar_is_used_when_none_is_given() -> None:
    assert compute_due(date(2025, 4, 25), "1 working day", calendar=None).due_on == (
        default_calendar().add_working_days(date(2025, 4, 25), 1)
    )


def test_the_default_convention_cites_the_civil_code() -> None:
    assert CIVIL_CODE.citation is CIVIL_CODE_CITATION
    assert CIVIL_CODE_CITATION.reference == "Bộ luật Dân sự 2015 (91/2015/QH13) Điều 147-148"
    assert (CIVIL_CODE.exclude_start_day, CIVIL_CODE.clamp_month_end) == (True, True)
    assert (CIVIL_CODE.roll_forward, CIVIL_CODE.end_at_midnight) == (True, True)
    changed = CIVIL_CODE.but(end_at_midnight=False)
    assert changed == CountingConvention(end_at_midnight=False)
    assert changed != CIVIL_CODE
