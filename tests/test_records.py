"""Positional constructors give exactly what the attrs classes' own ``__init__`` gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from discipline_flow import Body, BodyKind, Level, StepKind
from discipline_flow._records import positional_constructor
from discipline_flow.case import Step, _new_step
from discipline_flow.time import Deadline, TraceItem
from helpers import Review, ReviewTrigger

_values = st.none() | st.integers() | st.text(max_size=4) | st.booleans()


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(list(StepKind)),
    st.none() | st.sampled_from(list(ReviewTrigger)),
    st.none() | st.sampled_from(list(Review)),
    st.sampled_from(list(Review)),
    st.none() | st.text(max_size=6),
    st.dictionaries(st.text(max_size=3), _values, max_size=3),
    st.sampled_from([None, *Level]),
)
def test_a_step_made_positionally_equals_the_attrs_one(
    index: int,
    kind: StepKind,
    trigger: ReviewTrigger | None,
    source: Review | None,
    target: Review,
    basis: str | None,
    payload: dict[str, Any],
    level: Level | None,
) -> None:
    at = dt.datetime(2025, 3, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    actor = Body(BodyKind.PARTY_CELL, "cell-7", level)
    fields = (index, kind, trigger, source, target, at, actor, basis, payload, "a" * 64, "b" * 64)
    fast, slow = _new_step(*fields), Step(*fields)
    assert type(fast) is Step
    assert fast == slow
    assert attrs.astuple(fast, recurse=False) == fields
    assert hash(fast.at) == hash(slow.at)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fast.index = 0  # type: ignore[misc]


def test_every_field_is_set_in_order_for_a_wide_record() -> None:
    make = positional_constructor(Deadline)
    values = tuple(range(len(attrs.fields(Deadline))))
    assert make(*values) == Deadline(*values)  # type: ignore[arg-type]


def test_a_class_whose_init_does_more_is_refused() -> None:
    @attrs.frozen
    class Checked:
        amount: int = attrs.field(validator=attrs.validators.instance_of(int))

    with pytest.raises(TypeError, match="does more than set its fields"):
        positional_constructor(Checked)
    with pytest.raises(TypeError, match="does more than set its fields"):
        positional_constructor(TraceItem)  # its hash is cached in a hidden slot


def test_a_deadline_subclass_is_started_through_its_own_init() -> None:
    """``Deadline.start`` builds a plain Deadline positionally; a subclass keeps its type."""
    import enum

    from discipline_flow.time import DeadlineRule, Period, default_calendar

    class Trigger(enum.Enum):
        GO = "go"

    @attrs.frozen
    class Tagged(Deadline):
        pass

    rule = DeadlineRule("window", Period.parse("10 days"), starts_on_trigger=Trigger.GO)
    when = dt.datetime(2025, 3, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    plain = Deadline.start(rule, started_at=when, calendar=default_calendar())
    tagged = Tagged.start(rule, started_at=when, calendar=default_calendar())
    assert type(plain) is Deadline
    assert type(tagged) is Tagged
    assert attrs.astuple(tagged, recurse=False) == attrs.astuple(plain, recurse=False)
