"""Periods: an amount and a unit, read from text the same way every time."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import given

from discipline_flow.errors import InvalidPeriodError
from discipline_flow.time import Period, Unit

_WORDS = {
    Unit.HOURS: ["hours", "hour", "h"],
    Unit.CALENDAR_DAYS: ["days", "day", "calendar days", "d"],
    Unit.WORKING_DAYS: ["working days", "Working Days", "business days", "wd"],
    Unit.WEEKS: ["weeks", "w"],
    Unit.MONTHS: ["months", "month", "m"],
    Unit.YEARS: ["years", "year", "y"],
}


class Text(str):
    """Text of a type of its own: read like any other text."""


@given(
    amount=st.integers(min_value=-400, max_value=400),
    unit=st.sampled_from(list(Unit)),
    data=st.data(),
    spaces=st.sampled_from(["", " ", "  "]),
)
def test_text_is_read_the_same_way_every_time(
    amount: int, unit: Unit, data: st.DataObject, spaces: str
) -> None:
    word = data.draw(st.sampled_from(_WORDS[unit]))
    text = f"{spaces}{amount} {word}{spaces}"
    expected = Period(amount, unit)
    assert Period.parse(text) == expected
    assert Period.parse(text) == expected  # and again, after the first reading
    assert Period.parse(Text(text)) == expected
    assert Period.parse(expected) is expected
    assert Period.parse(str(expected)) == expected


@pytest.mark.parametrize("text", ["thirty days", "", "5", "5 fortnights", "1.5 days"])
def test_bad_text_is_refused_every_time(text: str) -> None:
    for _ in range(2):
        with pytest.raises(InvalidPeriodError, match="expected a whole number and a unit"):
            Period.parse(text)


def test_only_text_is_read() -> None:
    with pytest.raises(InvalidPeriodError, match="expected text"):
        Period.parse(30)  # type: ignore[arg-type]
