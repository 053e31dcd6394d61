"""Diagram options: language, what is annotated, a case to highlight, a subset of states.

>>> from discipline_flow.diagrams import DiagramOptions
>>> DiagramOptions(lang="vi", focus="FILED", depth=2).focus
'FILED'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from discipline_flow.case import Case
from discipline_flow.errors import InputError

__all__ = [
    "DiagramOptions",
    "Direction",
    "Highlight",
    "Language",
    "Layout",
    "as_language",
]


class Language(enum.Enum):
    """The language of labels in a diagram."""

    EN = "en"
    VI = "vi"


class Direction(enum.Enum):
    """Which way a state diagram flows."""

    DOWN = "TB"
    RIGHT = "LR"


class Layout(enum.Enum):
    """How much a state diagram writes on its arrows.

    ``FULL`` writes guards, deadlines and the legal basis on each arrow; ``COMPACT`` writes only
    the trigger and a footnote number, and the details once each in numbered footnotes under
    the diagram; ``AUTO`` (the default) is compact for a large workflow (more than
    :data:`COMPACT_STATES` states or :data:`COMPACT_MOVES` arrows drawn) or one whose arrows
    would carry a line longer than :data:`COMPACT_LINE` characters, and full otherwise.
    """

    AUTO = "auto"
    FULL = "full"
    COMPACT = "compact"


#: ``Layout.AUTO`` draws a workflow with more states than this compact.
COMPACT_STATES = 10
#: ``Layout.AUTO`` draws a workflow with more arrows than this compact.
COMPACT_MOVES = 16
#: ``Layout.AUTO`` draws a workflow compact when a line on an arrow would be longer than this.
COMPACT_LINE = 60


def _layout(value: Layout | str) -> Layout:
    if isinstance(value, Layout):
        return value
    if isinstance(value, str):
        for member in Layout:
            if value.strip().lower() == member.value:
                return member
    raise InputError("layout", f"{value!r} is not a layout; layouts: auto, full, compact")


def as_language(value: Language | str) -> Language:
    """``value`` as a :class:`Language` (``"en"`` or ``"vi"``); an input error otherwise."""
    if isinstance(value, Language):
        return value
    if isinstance(value, str):
        for member in Language:
            if value.strip().lower() == member.value:
                return member
    raise InputError("lang", f"{value!r} is not a diagram language; languages: en, vi")


def _direction(value: Direction | str) -> Direction:
    if isinstance(value, Direction):
        return value
    if isinstance(value, str):
        text = value.strip().upper()
        for member in Direction:
            if text in (member.name, member.value):
                return member
    raise InputError("direction", f"{value!r} is not a direction; directions: TB, LR")


def _state_name(value: object, argument: str) -> str:
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, str) and value:
        return value
    raise InputError(argument, f"expected a state (enum member or name), got {value!r}")


def _optional_state(value: enum.Enum | str | None) -> str | None:
    return None if value is None else _state_name(value, "focus")


def _state_list(
    value: Iterable[enum.Enum | str] | enum.Enum | str | None,
) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str | enum.Enum):
        return (_state_name(value, "states"),)
    names = tuple(_state_name(v, "states") for v in value)
    if not names:
        raise InputError("states", "give at least one state, or None for all states")
    return names


def _depth(_: object, __: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("depth", f"must be a whole number of steps, 0 or more; got {value!r}")


@attrs.frozen
class Highlight:
    """A case's current state and the moves it made, to be drawn highlighted.

    Built from a case with :meth:`of`; :class:`DiagramOptions` also accepts the case itself.
    ``path`` holds ``(source, trigger, target)`` state and trigger names in the order taken.
    """

    workflow: str
    current: str
    path: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(cls, case: Case[Any, Any]) -> Highlight:
        """The highlight of ``case``: its state now and every trigger it fired."""
        path = tuple(
            (step.source.name, step.trigger.name, step.target.name)
            for step in case.steps
            if step.trigger is not None and step.source is not None
        )
        return cls(case.workflow.key, case.state.name, path)


def _highlight(value: object) -> Highlight | None:
    if value is None or isinstance(value, Highlight):
        return value

    if isinstance(value, Case):
        return Highlight.of(value)
    raise InputError("highlight", f"expected a Case or a Highlight, got {type(value).__name__}")


@attrs.frozen
class DiagramOptions:
    """What a diagram shows. Every renderer takes the same options.

    - ``lang``: ``"en"`` or ``"vi"`` labels (states, triggers, deadline rules, periods).
    - ``show_guards``: guard names on transitions; ``show_authority``: only the guards whose name
      contains ``authority`` (who may act), also when the other guards are hidden.
    - ``show_deadlines``: the period and unit of each deadline rule on the state whose entry or
      the transition whose trigger starts it.
    - ``show_citations``: the legal basis of transitions, guards and deadline rules, with status.
    - ``highlight``: a case (or :class:`Highlight`) whose current state and path are marked.
    - ``focus`` and ``depth``: only one state (drawn highlighted) and its neighbours up to
      ``depth`` moves away, either way; ``states``: only the listed states. Edges are kept when
      both ends are.
    - ``direction``: ``"TB"`` (top to bottom) or ``"LR"``.
    - ``layout``: ``"full"``, ``"compact"`` (details in numbered footnotes) or ``"auto"``
      (compact for a large workflow); see :class:`Layout`.

    >>> DiagramOptions(lang="vi", focus="FILED").lang
    <Language.VI: 'vi'>
    >>> DiagramOptions(depth=-1)
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: depth: must be a whole number of steps, 0 or more; got -1
    """

    lang: Language = attrs.field(default=Language.EN, converter=as_language)
    show_guards: bool = True
    show_authority: bool = True
    show_deadlines: bool = True
    show_citations: bool = False
    highlight: Highlight | None = attrs.field(default=None, converter=_highlight)
    focus: str | None = attrs.field(default=None, converter=_optional_state)
    depth: int = attrs.field(default=1, validator=_depth)
    states: tuple[str, ...] | None = attrs.field(default=None, converter=_state_list)
    direction: Direction = attrs.field(default=Direction.DOWN, converter=_direction)
    layout: Layout = attrs.field(default=Layout.AUTO, converter=_layout)

    def __attrs_post_init__(self) -> None:
        if self.focus is not None and self.states is not None:
            raise InputError("states", "give either focus (with depth) or states, not both")
