"""The transition tables process modules declare, and their resolution under a ruleset.

A process module writes its moves as one literal table of :class:`Move` rows with its enum
members directly. What a move needs that depends on the ruleset (its guards and legal basis) the
row *names*; a small function of the module builds those values under a ruleset
(:class:`Pieces`), and :func:`transitions` resolves the table against them when the workflow is
built. Every name is checked there: a guard, basis or condition the pieces do not define fails
the build with a :class:`~discipline_flow.errors.DefinitionError`, never a case.

Guards are named by the keys of :attr:`Pieces.guards`: usually the guard's own name, but a key
of its own where one workflow holds two guards of the same name (the discipline workflows check
``authority`` to decide and to propose, and ``vote`` at two stages). A guard that only some
rulesets have (``no_district_level``) is named in :attr:`Pieces.optional`: under a ruleset whose
pieces lack it, the rows go without it.

Where two workflows share one table (a member's and an organisation's), the table is written in
the member workflow's enums, and :func:`moves_for` and :func:`labels_for` give each workflow its
own rows and labels once, when the module is imported: those that apply to it, in its own enums
(:func:`counterpart`, the one place states and triggers are looked up by name).

>>> import enum
>>> from discipline_flow import Guard
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> moves = (Move(T.CLOSE, S.OPEN, S.CLOSED, ("on_weekday",)),)
>>> weekday = Guard("on_weekday", lambda ctx: None if ctx.at.weekday() < 5 else "a weekend")
>>> (move,) = transitions("tiny", moves, Pieces({"on_weekday": weekday}))
>>> move.sources, [guard.name for guard in move.guards]
((<S.OPEN: 'open'>,), ['on_weekday'])
>>> transitions("tiny", moves, Pieces({}))
Traceback (most recent call last):
...
discipline_flow.errors.UnresolvedGuardError: workflow 'tiny': guard 'on_weekday' on CLOSE does not resolve; known guards: (none)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from discipline_flow.citation import Citation
from discipline_flow.errors import InvalidDefinitionError, UnknownNameError, UnresolvedGuardError
from discipline_flow.workflow import Guard, Label, Transition

__all__ = ["Move", "Pieces", "counterpart", "labels_for", "moves_for", "transitions"]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)


def _sources(value: object) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, tuple) else (value,)


@attrs.frozen
class Move(Generic[S, T]):
    """A row of a transition table: ``trigger`` takes a case from any of ``sources`` to
    ``target`` when the guards named in ``guards`` pass; ``basis`` names its legal basis (None:
    none). ``when`` names the condition under which the workflow has the move (None: always)."""

    trigger: T
    sources: tuple[S, ...] = attrs.field(converter=_sources)
    target: S
    guards: tuple[str, ...] = ()
    basis: str | None = None
    when: str | None = None


@attrs.frozen
class Pieces:
    """What a transition table names, built under one ruleset: its guards by name; the citations
    the workflow lists, by name and in the order it lists them (a row's ``basis`` names one);
    whether each condition a row's ``when`` names holds; and the guards a row may name that this
    ruleset need not have (``optional``: a row goes without one ``guards`` lacks)."""

    guards: Mapping[str, Guard]
    citations: Mapping[str, Citation] = attrs.field(factory=dict)
    conditions: Mapping[str, bool] = attrs.field(factory=dict)
    optional: frozenset[str] = frozenset()


def counterpart(member: enum.Enum, *enums: type[enum.Enum], workflow: str, kind: str) -> Any:
    """``member`` if it belongs to one of ``enums``, else the one member of ``enums`` named like
    it (a ``kind``, state or trigger, of ``workflow``). Raises
    :class:`~discipline_flow.errors.UnknownNameError` when there is none (or more than one).
    """
    if isinstance(member, enums):
        return member
    found = [e.__members__[member.name] for e in enums if member.name in e.__members__]
    if len(found) != 1:
        allowed = tuple(name for e in enums for name in e.__members__)
        raise UnknownNameError(workflow, kind, member.name, allowed)
    return found[0]


def moves_for(
    workflow: str,
    states: type[S],
    triggers: type[T],
    moves: Iterable[Move[Any, Any]],
    conditions: Mapping[str, bool],
) -> tuple[Move[S, T], ...]:
    """The rows of ``moves`` for ``workflow`` (whose enums are ``states`` and ``triggers``), for
    a table shared with another workflow: the rows that ``conditions`` (known before any ruleset,
    such as which workflow it is) do not rule out, every member replaced by its
    :func:`counterpart`. A row keeps a condition ``conditions`` do not decide. Raises
    :class:`~discipline_flow.errors.UnknownNameError` for a member the workflow lacks."""
    own: list[Move[S, T]] = []
    for move in moves:
        holds = None if move.when is None else conditions.get(move.when)
        if holds is False:
            continue
        own.append(
            Move(
                counterpart(move.trigger, triggers, workflow=workflow, kind="trigger"),
                tuple(
                    counterpart(source, states, workflow=workflow, kind="state")
                    for source in move.sources
                ),
                counterpart(move.target, states, workflow=workflow, kind="state"),
                move.guards,
                move.basis,
                None if holds else move.when,
            )
        )
    return tuple(own)


def labels_for(
    workflow: str,
    states: type[enum.Enum],
    triggers: type[enum.Enum],
    labels: Mapping[enum.Enum, Label],
    *written_in: type[enum.Enum],
) -> dict[enum.Enum, Label]:
    """The label of every state and trigger of ``workflow``: the label ``labels`` gives its
    :func:`counterpart` among ``written_in`` (the enums ``labels`` is keyed by)."""
    kind = "state or trigger"
    return {
        member: labels[counterpart(member, *written_in, workflow=workflow, kind=kind)]
        for member in (*states, *triggers)
    }


def transitions(
    workflow: str, moves: Iterable[Move[Any, Any]], pieces: Pieces
) -> list[Transition[Any, Any]]:
    """The transitions of ``workflow``: one per row of ``moves`` whose condition holds, in table
    order, with its guards and basis taken from ``pieces``. Raises a
    :class:`~discipline_flow.errors.DefinitionError` for a name the pieces do not define."""
    built: list[Transition[Any, Any]] = []
    named, cited = pieces.guards, pieces.citations
    for move in moves:
        if move.when is not None:
            holds = pieces.conditions.get(move.when)
            if holds is None:
                raise InvalidDefinitionError(
                    workflow, f"{move.trigger.name} is taken when {move.when!r}, an unknown name"
                )
            if not holds:
                continue
        try:
            guards = tuple(
                [
                    named[name]
                    for name in move.guards
                    if name in named or name not in pieces.optional
                ]
            )
        except KeyError as unknown:
            known = tuple(sorted(named))
            raise UnresolvedGuardError(
                workflow, unknown.args[0], move.trigger.name, known
            ) from None
        basis = None
        if move.basis is not None:
            basis = cited.get(move.basis)
            if basis is None:
                raise InvalidDefinitionError(
                    workflow, f"{move.trigger.name} names an unknown legal basis {move.basis!r}"
                )
        built.append(Transition(move.trigger, move.sources, move.target, guards, basis=basis))
    return built
