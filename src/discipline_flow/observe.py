"""Listening to moves: a hook for coverage tools, audit logs and metrics.

A listener is called after every fire, refused or not, with a :class:`FireEvent`, and when a case
is opened, with an event whose ``is_opening`` is true (no trigger, no source: the case entered its
initial state, and ``deadlines_started`` names the deadlines that started). Listeners are
held in a context variable, so a listener added in one thread or task does not leak into others,
and there is no module-level configuration to reset.

>>> import enum, pendulum
>>> from discipline_flow import Workflow, Transition, Member
>>> from discipline_flow.observe import listening
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> seen = []
>>> at = pendulum.datetime(2025, 3, 3, tz="Asia/Ho_Chi_Minh")
>>> with listening(seen.append):
...     _ = wf.open(Member("m"), at=at, actor="person:clerk").fire(T.CLOSE, at=at, actor="person:clerk")
>>> [(e.trigger, e.target, e.is_opening) for e in seen]
[('', 'OPEN', True), ('CLOSE', 'CLOSED', False)]
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

import attrs

__all__ = [
    "FireEvent",
    "GuardOutcome",
    "Listener",
    "add_listener",
    "current_listeners",
    "listening",
    "remove",
]


@attrs.frozen
class GuardOutcome:
    """One guard evaluated during a fire: which transition, which guard, passed or refused."""

    transition: int
    guard: str
    passed: bool


@attrs.frozen
class FireEvent:
    """What happened when a trigger was fired on a case, or a case was opened (names, not enum
    members).

    An opening (``is_opening``) has an empty ``trigger`` and ``source``, the initial state as
    ``target``, no ``transition`` and no guards.
    """

    workflow: str
    case_id: str
    trigger: str
    source: str
    target: str | None
    transition: int | None
    refused: bool
    guards: tuple[GuardOutcome, ...]
    deadlines_started: tuple[str, ...] = ()
    deadlines_met: tuple[str, ...] = ()
    deadlines_cancelled: tuple[str, ...] = ()
    is_opening: bool = False


#: A listener receives every :class:`FireEvent`.
Listener = Callable[[FireEvent], None]

_listeners: contextvars.ContextVar[tuple[Listener, ...]] = contextvars.ContextVar(
    "discipline_flow_listeners", default=()
)


def current_listeners() -> tuple[Listener, ...]:
    """The listeners active in this context."""
    return _listeners.get()


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    """Call ``listener`` for every fire inside the ``with`` block."""
    token = _listeners.set((*_listeners.get(), listener))
    try:
        yield listener
    finally:
        _listeners.reset(token)


def add_listener(listener: Listener) -> contextvars.Token[tuple[Listener, ...]]:
    """Add ``listener`` for the rest of this context; returns a token for :func:`remove`."""
    return _listeners.set((*_listeners.get(), listener))


def remove(token: contextvars.Token[tuple[Listener, ...]]) -> None:
    """Undo an :func:`add_listener`."""
    _listeners.reset(token)
