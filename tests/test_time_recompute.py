"""A deadline recomputed with its own rule and calendar is the deadline itself, trace included.

Stores rebuild a loaded deadline's trace with :meth:`Deadline.recompute`, so whatever happened to
a deadline (started with a start date or a period of its own, paused, resumed, extended, met,
cancelled), recomputing it from its fields must give it back in every field. Deadlines on the
Vietnamese calendar share their dates with every deadline of the same rule and start day; the
same deadlines on a subclass of it (which shares nothing) must come out equal.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import hypothesis.strategies as st
from hypothesis import given, settings

from discipline_flow.errors import DeadlineError, ExtensionRefusedError
from discipline_flow.time import (
    CIVIL_CODE,
    Calendar,
    Deadline,
    DeadlineRule,
    ExtensionPolicy,
    Period,
    TraceKind,
    VietnamCalendar,
    default_calendar,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SHARED = default_calendar()


class FreshCalendar(VietnamCalendar):
    """The same days; deadlines computed on it share nothing, each computes its own dates."""


FRESH = FreshCalendar()


class T(enum.Enum):
    START = "start"
    HOLD = "hold"
    CONTINUE = "continue"
    EXTEND = "extend"


#: (period, cap, own periods a decision may set): every unit, with and without a cap.
_PERIODS = [
    ("30 working days", None, ["20 working days", "2 months"]),
    ("10 days", "40 days", ["60 days", "1 week"]),
    ("2 weeks", None, ["3 weeks"]),
    ("2 months", "4 months", ["1 month", "90 days"]),
    ("1 year", None, ["6 months"]),
    ("0 days", None, ["15 working days"]),
    ("36 hours", "72 hours", ["48 hours"]),
]
_CONVENTIONS = [
    CIVIL_CODE,
    CIVIL_CODE.but(end_at_midnight=False),
    CIVIL_CODE.but(roll_forward=False),
    CIVIL_CODE.but(exclude_start_day=False),
]
_EXTENSIONS = ["2 working days", "5 days", "1 week", "1 month", "12 hours"]


@st.composite
def rules(draw: st.DrawFn) -> tuple[DeadlineRule, str | None]:
    """A rule that can be paused and extended, and a period a starting decision sets for it."""
    period, cap, own = draw(st.sampled_from(_PERIODS))
    hours = period.endswith("hours")
    has_key = draw(st.booleans())
    rule = DeadlineRule(
        "window",
        Period.parse(period),
        starts_on_trigger=T.START,
        start_date_key=None if hours or not draw(st.booleans()) else "received_on",
        paused_by={T.HOLD},
        resumed_by={T.CONTINUE},
        extended_by=T.EXTEND,
        convention=draw(st.sampled_from(_CONVENTIONS)),
        extension=ExtensionPolicy(max_count=3, reason_required=False),
        cap=None if cap is None or not draw(st.booleans()) else Period.parse(cap),
        due_soon=draw(st.sampled_from([Period.parse("3 working days"), Period.parse("2 days")])),
        label_en="window",
        period_key="period" if has_key else None,
    )
    return rule, draw(st.sampled_from(own)) if has_key and draw(st.booleans()) else None


_ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["pause", "resume", "extend", "extend", "meet", "cancel"]),
        st.integers(min_value=0, max_value=24 * 40),  # hours after the previous action
        st.sampled_from(_EXTENSIONS),
        st.none() | st.sampled_from(["more time", "  a witness is abroad "]),
    ),
    max_size=6,
)


def _act(
    d: Deadline,
    action: str,
    at: datetime,
    extension: str,
    reason: str | None,
    rule: DeadlineRule,
    calendar: Calendar,
) -> Deadline:
    if action == "pause":
        return d.pause(at)
    if action == "resume":
        return d.resume(at, rule=rule, calendar=calendar)
    if action == "extend":
        return d.extend(extension, reason=reason, at=at, rule=rule, calendar=calendar)
    if action == "meet":
        return d.meet(at)
    return d.cancel(at)


def _assert_recomputes_to_itself(d: Deadline, rule: DeadlineRule, calendar: Calendar) -> None:
    assert d.recompute(rule=rule, calendar=calendar) == d
    # A deadline loaded without its trace gets it back.
    assert attrs.evolve(d, trace=()).recompute(rule=rule, calendar=calendar) == d


@settings(max_examples=300, deadline=None)
@given(
    drawn=rules(),
    started_at=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.just(HANOI)
    ),
    start_shift=st.none() | st.integers(min_value=-5, max_value=0),
    actions=_ACTIONS,
)
def test_a_deadline_recomputed_with_its_rule_and_calendar_is_itself(
    drawn: tuple[DeadlineRule, str | None],
    started_at: datetime,
    start_shift: int | None,
    actions: list[tuple[str, int, str, str | None]],
) -> None:
    rule, own = drawn
    start_on = None
    if start_shift is not None and rule.period.unit.value != "hours":
        start_on = started_at.date() + timedelta(days=start_shift)  # a postmark, or the day itself
    shared = Deadline.start(
        rule, started_at=started_at, start_on=start_on, calendar=SHARED, period=own
    )
    fresh = Deadline.start(
        rule, started_at=started_at, start_on=start_on, calendar=FRESH, period=own
    )
    assert shared == fresh
    _assert_recomputes_to_itself(shared, rule, SHARED)
    at = started_at
    for action, hours, extension, reason in actions:
        at = at + timedelta(hours=hours, minutes=1)
        try:
            shared = _act(shared, action, at, extension, reason, rule, SHARED)
        except (DeadlineError, ExtensionRefusedError):
            continue  # refused (closed, not paused, beyond the policy...): nothing changed
        fresh = _act(fresh, action, at, extension, reason, rule, FRESH)
        assert shared == fresh
        _assert_recomputes_to_itself(shared, rule, SHARED)
        _assert_recomputes_to_itself(fresh, rule, FRESH)
    assert shared.explain().text() == fresh.explain().text()


@settings(max_examples=150, deadline=None)
@given(
    period=st.sampled_from(["30 working days", "30 days", "2 months"]),
    start=st.dates(min_value=date(2021, 1, 1), max_value=date(2027, 12, 1)),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["2 working days", "5 days", "1 week", "1 month"]),
            st.none() | st.sampled_from(["more time", "  a witness is abroad "]),
            st.integers(min_value=0, max_value=3),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_extended_deadlines_share_their_dates_and_keep_their_own_extensions(
    period: str, start: date, steps: list[tuple[str, str | None, int]]
) -> None:
    """Deadlines extended by the same periods share their dates; each keeps the instant and
    reason of its own extensions, as a deadline that shares nothing does."""
    rule = DeadlineRule(
        "window",
        Period.parse(period),
        starts_on_trigger=T.START,
        extended_by=T.EXTEND,
        cap=Period.parse("60 days") if period == "30 days" else None,
        extension=ExtensionPolicy(max_count=3),
    )
    started = datetime(start.year, start.month, start.day, 9, tzinfo=HANOI)
    shared = Deadline.start(rule, started_at=started, calendar=SHARED)
    fresh = Deadline.start(rule, started_at=started, calendar=FRESH)
    when = started
    for text, reason, days in steps:
        when = when + timedelta(days=days, minutes=1)
        if when >= shared.due_at:
            break
        try:
            shared = shared.extend(text, reason=reason, at=when, rule=rule, calendar=SHARED)
        except ExtensionRefusedError:
            continue
        fresh = fresh.extend(text, reason=reason, at=when, rule=rule, calendar=FRESH)
        assert shared == fresh
        assert [i.at for i in shared.trace if i.kind is TraceKind.EXTENSION] == [
            e.at for e in shared.extensions
        ]
