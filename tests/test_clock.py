"""Clocks: time enters only through an injected clock or ``at=``; naive datetimes are refused."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from discipline_flow import Clock, FrozenClock, SystemClock
from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError, NaiveDatetimeError


def test_frozen_clock_stands_still_and_advances() -> None:
    clock = FrozenClock(pendulum.datetime(2025, 1, 31, 9, tz="Asia/Ho_Chi_Minh"))
    assert clock.now() == clock.now()
    # months clamp to the month end (Civil Code 2015 art. 148(3) style): 31 Jan + 1 month = 28 Feb
    assert clock.advance(months=1).now().date() == dt.date(2025, 2, 28)
    assert clock.advance(days=1, hours=2).now().isoformat() == "2025-03-01T11:00:00+07:00"
    assert clock.set(pendulum.datetime(2024, 2, 29, tz="UTC")).now().year == 2024


def test_clocks_satisfy_the_protocol() -> None:
    assert isinstance(FrozenClock(pendulum.now("UTC")), Clock)
    assert isinstance(SystemClock(), Clock)
    assert SystemClock("UTC").now().tzinfo is not None
    assert repr(SystemClock()) == "SystemClock('Asia/Ho_Chi_Minh')"


def test_naive_datetimes_are_refused_everywhere() -> None:
    with pytest.raises(NaiveDatetimeError):
        FrozenClock(dt.datetime(2025, 1, 1))
    with pytest.raises(NaiveDatetimeError):
        FrozenClock(pendulum.now("UTC")).set(dt.datetime(2025, 1, 1))
    with pytest.raises(InputError, match="expected an aware datetime, got date"):
        require_aware(dt.date(2025, 1, 1), "at")
    aware = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    assert require_aware(aware, "at") is aware
