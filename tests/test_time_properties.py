"""Invariants checked with Hypothesis.

The day-by-day reference is built independently of the calendar's index: from the raw official
table (read with tomllib) for 2024-2026 and from the ``holidays`` package for other years.
"""

from __future__ import annotations

import datetime as _dt
import enum
import sys
from datetime import date, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from discipline_flow.time import (
    CIVIL_CODE,
    Deadline,
    DeadlineRule,
    Period,
    Unit,
    compute_due,
    default_calendar,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

CAL = default_calendar()
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _reference_working_days() -> dict[date, bool]:
    """Working status of every day 2021-2028 (room for 250 working days before 2023), computed
    day by day from the sources."""
    text = (
        resources.files("discipline_flow.time").joinpath("data/vn_official.toml").read_text("utf-8")
    )
    table = tomllib.loads(text)
    official = set(table["meta"]["years"])
    rows = {row["on"]: row["kind"] for row in table["day"]}
    package = holidays.country_holidays("VN", years=range(2021, 2029))
    status = {}
    day = date(2021, 1, 1)
    while day.year < 2029:
        if day.year in official:
            kind = rows.get(day)
            working = day.weekday() < 5 if kind is None else kind == "make_up_working_day"
        else:
            working = package.is_working_day(day)
        status[day] = working
        day += timedelta(days=1)
    return status


REFERENCE = _reference_working_days()


def reference_add(start: date, n: int) -> date:
    step = 1 if n > 0 else -1
    day, left = start, n
    while left:
        day += timedelta(days=step)
        if REFERENCE[day]:
            left -= step
    return day


starts = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=400, deadline=None)
@given(starts, st.integers(min_value=-250, max_value=250))
def test_fast_calendar_equals_the_day_by_day_reference(start: date, n: int) -> None:
    assert CAL.is_working_day(start) is REFERENCE[start]
    expected = reference_add(start, n)
    assert CAL.add_working_days(start, n) == expected
    if n >= 0:  # working days in (start, expected]
        assert CAL.count_working_days(start, expected) == n
    else:  # working days in [expected, start)
        one = timedelta(days=1)
        assert CAL.count_working_days(expected - one, start - one) == -n


@settings(max_examples=200, deadline=None)
@given(starts, starts)
def test_count_matches_the_reference(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    expected = sum(REFERENCE[lo + timedelta(days=k)] for k in range(1, (hi - lo).days + 1))
    assert CAL.count_working_days(lo, hi) == expected
    assert CAL.count_working_days(hi, lo) == -expected


periods = st.builds(
    Period,
    st.integers(min_value=0, max_value=120),
    st.sampled_from([Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.WEEKS, Unit.MONTHS]),
) | st.builds(Period, st.integers(min_value=0, max_value=3), st.just(Unit.YEARS))

conventions = st.builds(
    CIVIL_CODE.but,
    exclude_start_day=st.booleans(),
    clamp_month_end=st.booleans(),
    roll_forward=st.booleans(),
)

pair = st.tuples(
    st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31)),
    st.integers(min_value=0, max_value=400),
)


@settings(max_examples=300, deadline=None)
@given(pair, periods, conventions)
def test_due_at_never_moves_earlier_when_the_start_moves_later(
    start_and_delay: tuple[date, int], period: Period, convention: object
) -> None:
    start, delay = start_and_delay
    later = start + timedelta(days=delay)
    first = compute_due(start, period, convention=convention)  # type: ignore[arg-type]
    second = compute_due(later, period, convention=convention)  # type: ignore[arg-type]
    assert first.due_at <= second.due_at


@settings(max_examples=300, deadline=None)
@given(starts, st.integers(min_value=1, max_value=300))
def test_a_working_day_result_is_a_working_day(start: date, n: int) -> None:
    due = compute_due(start, Period(n, Unit.WORKING_DAYS))
    assert CAL.is_working_day(due.due_on)
    assert CAL.count_working_days(start, due.due_on) == n


@settings(max_examples=300, deadline=None)
@given(starts, periods)
def test_a_rolled_result_is_a_working_day_and_explains_itself(start: date, period: Period) -> None:
    due = compute_due(start, period)
    assert CAL.is_working_day(due.due_on)
    assert due.due_on >= due.counted_on
    assert due.is_estimated == any(i.years for i in due.explanation.trace)
    for lang in ("en", "vi"):
        lines = due.explanation.lines(lang)
        assert len(lines) == len(due.explanation.trace)
    assert due.explanation.trace[-1].on == due.due_on


class _T(enum.Enum):
    GO = "go"


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=_dt.datetime(2024, 1, 1),
        max_value=_dt.datetime(2027, 6, 30),
        timezones=st.just(HANOI),
    ),
    periods,
)
def test_deadline_start_agrees_with_compute_due(start: _dt.datetime, period: Period) -> None:
    rule = DeadlineRule("r", period, starts_on_trigger=_T.GO)
    deadline = Deadline.start(rule, started_at=start, calendar=CAL)
    due = compute_due(start, period)
    assert (deadline.due_on, deadline.due_at, deadline.is_estimated) == (
        due.due_on,
        due.due_at,
        due.is_estimated,
    )
    explained = deadline.explain()
    assert [i.kind for i in explained.trace if i.kind.value != "rule"] == [
        i.kind for i in due.explanation.trace
    ]
