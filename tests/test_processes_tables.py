"""The transition tables of the process modules (``discipline_flow.processes._tables``).

A table names guards, legal bases and conditions; a workflow that shares another's table takes
the members of the same names. Every name is checked when the workflow is built.
"""

from __future__ import annotations

import enum

import pytest

from discipline_flow import Guard, RuleStatus
from discipline_flow.citation import Citation
from discipline_flow.errors import InvalidDefinitionError, UnknownNameError, UnresolvedGuardError
from discipline_flow.processes._tables import (
    Move,
    Pieces,
    counterpart,
    transitions,
    translated_rule,
)
from discipline_flow.time import DeadlineRule, Period


class Full(enum.Enum):
    """The states of the workflow a table is written in."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class FullTrigger(enum.Enum):
    PAUSE = "pause"
    CLOSE = "close"


class Short(enum.Enum):
    """The same states less pausing."""

    OPEN = "open"
    CLOSED = "closed"


class ShortTrigger(enum.Enum):
    CLOSE = "close"


BASIS = Citation("Điều lệ Đảng (2011)", "Điều 1", RuleStatus.VERIFIED)
SIGNED = Guard("signed", lambda ctx: None)
MOVES = (
    Move(FullTrigger.PAUSE, Full.OPEN, Full.PAUSED, ("signed",), "charter", when="pausing"),
    Move(FullTrigger.CLOSE, (Full.OPEN, Full.PAUSED), Full.CLOSED, when="pausing"),
    Move(FullTrigger.CLOSE, Full.OPEN, Full.CLOSED, ("signed",), when="not_pausing"),
)


def pieces(*, pausing: bool) -> Pieces:
    return Pieces(
        {"signed": SIGNED},
        {"charter": BASIS},
        {"pausing": pausing, "not_pausing": not pausing},
    )


def test_rows_whose_condition_holds_resolve_in_table_order() -> None:
    built = transitions("full", MOVES, pieces(pausing=True), Full, FullTrigger)
    assert [(t.trigger, t.sources, t.target) for t in built] == [
        (FullTrigger.PAUSE, (Full.OPEN,), Full.PAUSED),
        (FullTrigger.CLOSE, (Full.OPEN, Full.PAUSED), Full.CLOSED),
    ]
    assert built[0].guards == (SIGNED,)
    assert built[0].basis == BASIS
    assert built[1].guards == ()
    assert built[1].basis is None


def test_a_workflow_sharing_the_table_takes_the_members_of_the_same_names() -> None:
    (built,) = transitions("short", MOVES, pieces(pausing=False), Short, ShortTrigger)
    assert (built.trigger, built.sources, built.target) == (
        ShortTrigger.CLOSE,
        (Short.OPEN,),
        Short.CLOSED,
    )
    assert counterpart(Full.OPEN, Short, workflow="short", kind="state") is Short.OPEN
    assert counterpart(Short.OPEN, Short, workflow="short", kind="state") is Short.OPEN


def test_a_member_without_a_counterpart_fails_the_build() -> None:
    with pytest.raises(UnknownNameError, match="unknown trigger 'PAUSE'; allowed: CLOSE"):
        transitions("short", MOVES, pieces(pausing=True), Short, ShortTrigger)
    closing = (Move(FullTrigger.CLOSE, Full.PAUSED, Full.CLOSED),)
    with pytest.raises(UnknownNameError, match="unknown state 'PAUSED'; allowed: OPEN, CLOSED"):
        transitions("short", closing, pieces(pausing=True), Short, ShortTrigger)


@pytest.mark.parametrize(
    ("move", "error", "message"),
    [
        (
            Move(FullTrigger.CLOSE, Full.OPEN, Full.CLOSED, ("sealed",)),
            UnresolvedGuardError,
            "guard 'sealed' on CLOSE does not resolve; known guards: signed",
        ),
        (
            Move(FullTrigger.CLOSE, Full.OPEN, Full.CLOSED, basis="statute"),
            InvalidDefinitionError,
            "CLOSE names an unknown legal basis 'statute'",
        ),
        (
            Move(FullTrigger.CLOSE, Full.OPEN, Full.CLOSED, when="on_sundays"),
            InvalidDefinitionError,
            "CLOSE is taken when 'on_sundays', an unknown name",
        ),
    ],
)
def test_an_unknown_name_fails_the_build(
    move: Move[Full, FullTrigger], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        transitions("full", (move,), pieces(pausing=True), Full, FullTrigger)


def test_a_shared_deadline_rule_names_the_members_of_the_same_names() -> None:
    rule = DeadlineRule(
        "closing",
        Period.parse("10 days"),
        starts_on_enter=Full.OPEN,
        met_by={Full.CLOSED, FullTrigger.CLOSE},
        on_miss=FullTrigger.CLOSE,
        citation=BASIS,
    )
    short = translated_rule(rule, Short, ShortTrigger, "short")
    assert short.starts_on_enter is Short.OPEN
    assert short.starts_on_trigger is None
    assert short.met_by == {Short.CLOSED, ShortTrigger.CLOSE}
    assert short.on_miss is ShortTrigger.CLOSE
    assert (short.period, short.citation, short.name) == (rule.period, rule.citation, rule.name)
    assert translated_rule(rule, Full, FullTrigger, "full") == rule
    paused = DeadlineRule("pause", Period.parse("1 day"), starts_on_trigger=FullTrigger.PAUSE)
    with pytest.raises(UnknownNameError, match="unknown trigger 'PAUSE'"):
        translated_rule(paused, Short, ShortTrigger, "short")
