"""What a workflow definition is made of: transitions, guards, actions and labels, and the
contexts that guards and actions see.

These are plain values a user writes; :class:`~discipline_flow.Workflow` validates them together
and :mod:`discipline_flow.compiled` builds the tables a case runs on.

>>> import enum
>>> from discipline_flow import Guard, Transition
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> weekday = Guard("on_weekday", lambda ctx: None if ctx.at.weekday() < 5 else "a weekend")
>>> Transition(T.CLOSE, S.OPEN, S.CLOSED, guards=[weekday]).sources
(<S.OPEN: 'open'>,)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from discipline_flow.citation import Citation
from discipline_flow.plans import extend_as_asked

if TYPE_CHECKING:
    from discipline_flow.actors import Body, Subject
    from discipline_flow.case import Case
    from discipline_flow.time import Deadline, DeadlineRule

__all__ = [
    "Action",
    "ActionContext",
    "Guard",
    "GuardCheck",
    "GuardContext",
    "Label",
    "Transition",
]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)


@attrs.frozen
class Label:
    """A name in English and Vietnamese.

    >>> Label("Concluded", "Đã kết luận").text("vi")
    'Đã kết luận'
    """

    en: str
    vi: str

    def text(self, lang: str = "en") -> str:
        """The label in ``lang`` (``en`` or ``vi``)."""
        return self.vi if lang == "vi" else self.en


class GuardContext(Generic[S, T]):
    """What a guard sees: the case, the move being tried, who tries it, when, and the payload.

    The case is the case *before* the move; guards must not change it. One context serves every
    candidate transition of a fire (``target`` is set to each candidate's in turn), so what a
    guard computes for the move can travel to the move itself: see :meth:`extended_deadline`.
    """

    __slots__ = ("_extended", "actor", "at", "case", "payload", "source", "target", "trigger")

    def __init__(
        self,
        case: Case[S, T],
        trigger: T,
        source: S,
        target: S,
        at: datetime,
        actor: Body,
        payload: Mapping[str, Any],
    ) -> None:
        self.case = case
        self.trigger = trigger
        self.source = source
        self.target = target
        self.at = at
        self.actor = actor
        self.payload = payload
        self._extended: dict[str, Deadline] | None = None

    @property
    def subject(self) -> Subject:
        """The subject of the case."""
        return self.case.subject

    def extended_deadline(self, rule: DeadlineRule) -> Deadline:
        """The case's latest deadline of ``rule`` extended as this move asks (payload
        ``extend_by`` and ``reason``), computed once per move.

        A guard that judges an extension calls this; when the move then applies the extension
        (the rule's ``extended_by`` trigger), it takes the same value from the context instead of
        computing it again. Raises what :meth:`~discipline_flow.time.Deadline.extend` raises
        (:class:`~discipline_flow.errors.ExtensionRefusedError`, input errors) and
        :class:`~discipline_flow.errors.InputError` when the payload has no ``extend_by``.
        """
        if self._extended is None:
            self._extended = {}
        found = self._extended.get(rule.name)
        if found is None:
            case = self.case
            found = extend_as_asked(
                case.deadlines,
                rule,
                self.trigger,
                self.at,
                self.payload,
                case.workflow.get_calendar(),
            )
            self._extended[rule.name] = found
        return found

    @property
    def extensions(self) -> Mapping[str, Deadline]:
        """The extensions :meth:`extended_deadline` computed in this move, by rule name."""
        return self._extended or {}

    def __repr__(self) -> str:
        return (
            f"GuardContext({self.case.id}, {self.trigger.name}: {self.source.name} -> "
            f"{self.target.name}, at={self.at.isoformat()}, actor={self.actor})"
        )


#: A guard's check: ``None`` when the move may go ahead, otherwise the reason it may not.
GuardCheck = Callable[[GuardContext[Any, Any]], "str | None"]


@attrs.frozen
class Guard:
    """A named predicate on a move. A refusal reports its name, reason and legal basis.

    ``uses_payload`` marks guards that judge data carried in the payload (a vote tally, a
    postmark): :meth:`~discipline_flow.case.Case.allowed` cannot judge those without the payload
    and leaves them to :meth:`~discipline_flow.case.Case.check` and ``fire``. ``label`` names it
    in diagrams (English and Vietnamese); without one, diagrams show its name.

    >>> no_weekend = Guard("on_weekday", lambda ctx: None if ctx.at.weekday() < 5 else "weekend")
    >>> no_weekend.name
    'on_weekday'
    """

    name: str
    check: GuardCheck = attrs.field(eq=False)
    basis: Citation | None = None
    description: str = ""
    uses_payload: bool = False
    label: Label | None = None


class ActionContext(Generic[S, T]):
    """What an action sees: the case before the move, the move, and the payload."""

    __slots__ = ("actor", "at", "case", "payload", "source", "target", "trigger")

    def __init__(
        self,
        case: Case[S, T],
        trigger: T,
        source: S,
        target: S,
        at: datetime,
        actor: Body,
        payload: Mapping[str, Any],
    ) -> None:
        self.case = case
        self.trigger = trigger
        self.source = source
        self.target = target
        self.at = at
        self.actor = actor
        self.payload = payload


@attrs.frozen
class Action:
    """A named action run after a move succeeds (before the step is recorded).

    If an action raises, the fire fails with
    :class:`~discipline_flow.errors.ActionFailedError` and the case is unchanged. Actions must not
    change the case; they notify or prepare work outside it.
    """

    name: str
    run: Callable[[ActionContext[Any, Any]], None] = attrs.field(eq=False)


def _as_tuple(value: object) -> tuple[Any, ...]:
    if isinstance(value, enum.Enum):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return tuple(value)
    return (value,)


@attrs.frozen
class Transition(Generic[S, T]):
    """A move: ``trigger`` takes the case from any of ``sources`` to ``target``.

    ``guards`` are :class:`Guard` values or names resolved against the workflow's ``guards``.
    Several transitions may share a source and trigger when guards tell them apart: they are tried
    in order and the first whose guards all pass is taken.
    """

    trigger: T
    sources: tuple[S, ...] = attrs.field(converter=_as_tuple)
    target: S
    guards: tuple[Guard | str, ...] = attrs.field(default=(), converter=_as_tuple)
    actions: tuple[Action, ...] = attrs.field(default=(), converter=_as_tuple)
    basis: Citation | None = None
    label: Label | None = None
