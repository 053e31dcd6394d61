"""The transition tables of the process modules (``discipline_flow.processes._tables``).

A table names guards, legal bases and conditions, checked when the workflow is built; a workflow
that shares another's table takes the rows that apply to it, in its own enums, checked when the
module is imported.
"""

from __future__ import annotations

import enum

import pytest

from discipline_flow import Guard, Label, RuleStatus
from discipline_flow.citation import Citation
from discipline_flow.errors import InvalidDefinitionError, UnknownNameError, UnresolvedGuardError
from discipline_flow.processes._tables import (
    Move,
    Pieces,
    counterpart,
    labels_for,
    moves_for,
    transitions,
)


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
    built = transitions("full", MOVES, pieces(pausing=True))
    assert [(t.trigger, t.sources, t.target) for t in built] == [
        (FullTrigger.PAUSE, (Full.OPEN,), Full.PAUSED),
        (FullTrigger.CLOSE, (Full.OPEN, Full.PAUSED), Full.CLOSED),
    ]
    assert built[0].guards == (SIGNED,)
    assert built[0].basis == BASIS
    assert built[1].guards == ()
    assert built[1].basis is None


def test_a_workflow_sharing_the_table_takes_its_rows_in_its_own_enums() -> None:
    moves = moves_for("short", Short, ShortTrigger, MOVES, {"pausing": False, "not_pausing": True})
    assert moves == (Move(ShortTrigger.CLOSE, Short.OPEN, Short.CLOSED, ("signed",)),)
    (built,) = transitions("short", moves, Pieces({"signed": SIGNED}))
    assert (built.trigger, built.sources, built.target) == (
        ShortTrigger.CLOSE,
        (Short.OPEN,),
        Short.CLOSED,
    )
    assert counterpart(Full.OPEN, Short, workflow="short", kind="state") is Short.OPEN
    assert counterpart(Short.OPEN, Short, workflow="short", kind="state") is Short.OPEN


def test_a_workflow_sharing_the_labels_takes_those_of_its_members() -> None:
    labels = {m: Label(m.name.title(), m.name.lower()) for m in (*Full, *FullTrigger)}
    assert labels_for("short", Short, ShortTrigger, labels, Full, FullTrigger) == {
        Short.OPEN: Label("Open", "open"),
        Short.CLOSED: Label("Closed", "closed"),
        ShortTrigger.CLOSE: Label("Close", "close"),
    }
    with pytest.raises(KeyError):
        labels_for("short", Short, ShortTrigger, {}, Full, FullTrigger)


def test_a_condition_not_decided_on_import_stays_on_the_row() -> None:
    assert moves_for("full", Full, FullTrigger, MOVES, {}) == MOVES
    assert [m.when for m in moves_for("full", Full, FullTrigger, MOVES, {"pausing": True})] == [
        None,
        None,
        "not_pausing",
    ]


def test_a_member_without_a_counterpart_fails_on_import() -> None:
    with pytest.raises(UnknownNameError, match="unknown trigger 'PAUSE'; allowed: CLOSE"):
        moves_for("short", Short, ShortTrigger, MOVES, {"pausing": True})
    closing = (Move(FullTrigger.CLOSE, Full.PAUSED, Full.CLOSED),)
    with pytest.raises(UnknownNameError, match="unknown state 'PAUSED'; allowed: OPEN, CLOSED"):
        moves_for("short", Short, ShortTrigger, closing, {})
    with pytest.raises(UnknownNameError, match="unknown state or trigger 'PAUSED'"):
        counterpart(Full.PAUSED, Short, ShortTrigger, workflow="short", kind="state or trigger")


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
        transitions("full", (move,), pieces(pausing=True))
