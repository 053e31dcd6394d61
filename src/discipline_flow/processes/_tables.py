"""The transition tables process modules declare, and their resolution under a ruleset.

A process module writes its moves as one literal table of :class:`Move` rows with its enum
members directly. What a move needs that depends on the ruleset (its guards and legal basis) the
row *names*; a small function of the module builds those values under a ruleset
(:class:`Pieces`), and :func:`transitions` resolves the table against them when the workflow is
built. Every name is checked there: a guard, basis or condition the pieces do not define fails
the build with a :class:`~discipline_flow.errors.DefinitionError`, never a case.

Guards are named by the keys of :attr:`Pieces.guards`: usually the guard's own name, but a key
of its own where one workflow holds two guards of the same name (the discipline workflows check
``authority`` to decide and to propose, and ``vote`` at two stages).

Where two workflows share one table (a member's and an organisation's), the table is written in
the member workflow's enums and :func:`counterpart` gives the other workflow's member of the
same name: the one place states and triggers are looked up by name.

>>> import enum
>>> from discipline_flow import Guard
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> moves = (Move(T.CLOSE, S.OPEN, S.CLOSED, ("on_weekday",)),)
>>> weekday = Guard("on_weekday", lambda ctx: None if ctx.at.weekday() < 5 else "a weekend")
>>> (move,) = transitions("tiny", moves, Pieces({"on_weekday": weekday}), S, T)
>>> move.sources, [guard.name for guard in move.guards]
((<S.OPEN: 'open'>,), ['on_weekday'])
>>> transitions("tiny", moves, Pieces({}), S, T)
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
from discipline_flow.time import DeadlineRule
from discipline_flow.workflow import Guard, Transition

__all__ = ["Move", "Pieces", "counterpart", "transitions", "translated_rule"]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)
E = TypeVar("E", bound=enum.Enum)


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
    the workflow lists, by name and in the order it lists them (a row's ``basis`` names one); and
    whether each condition a row's ``when`` names holds."""

    guards: Mapping[str, Guard]
    citations: Mapping[str, Citation] = attrs.field(factory=dict)
    conditions: Mapping[str, bool] = attrs.field(factory=dict)


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


def transitions(
    workflow: str,
    moves: Iterable[Move[Any, Any]],
    pieces: Pieces,
    states: type[enum.Enum],
    triggers: type[enum.Enum],
) -> list[Transition[Any, Any]]:
    """The transitions of ``workflow`` (whose enums are ``states`` and ``triggers``): one per
    row of ``moves`` whose condition holds, in table order, with its guards and basis taken from
    ``pieces``. Raises a :class:`~discipline_flow.errors.DefinitionError` for a name the pieces
    or the enums do not define."""
    built: list[Transition[Any, Any]] = []
    for move in moves:
        if move.when is not None:
            holds = pieces.conditions.get(move.when)
            if holds is None:
                raise InvalidDefinitionError(
                    workflow, f"{move.trigger.name} is taken when {move.when!r}, an unknown name"
                )
            if not holds:
                continue
        guards: list[Guard] = []
        for name in move.guards:
            guard = pieces.guards.get(name)
            if guard is None:
                known = tuple(sorted(pieces.guards))
                raise UnresolvedGuardError(workflow, name, move.trigger.name, known)
            guards.append(guard)
        basis = None
        if move.basis is not None:
            basis = pieces.citations.get(move.basis)
            if basis is None:
                raise InvalidDefinitionError(
                    workflow, f"{move.trigger.name} names an unknown legal basis {move.basis!r}"
                )
        built.append(
            Transition(
                counterpart(move.trigger, triggers, workflow=workflow, kind="trigger"),
                tuple(
                    counterpart(source, states, workflow=workflow, kind="state")
                    for source in move.sources
                ),
                counterpart(move.target, states, workflow=workflow, kind="state"),
                guards=tuple(guards),
                basis=basis,
            )
        )
    return built


def translated_rule(
    rule: DeadlineRule, states: type[enum.Enum], triggers: type[enum.Enum], workflow: str
) -> DeadlineRule:
    """``rule`` with every state and trigger it names replaced by its :func:`counterpart` in
    ``states`` and ``triggers`` (for a workflow that shares another's deadline table)."""

    def state(member: enum.Enum | None) -> Any:
        if member is None:
            return None
        return counterpart(member, states, workflow=workflow, kind="state")

    def trigger(member: enum.Enum | None) -> Any:
        if member is None:
            return None
        return counterpart(member, triggers, workflow=workflow, kind="trigger")

    def either(members: Iterable[enum.Enum]) -> frozenset[enum.Enum]:
        kind = "state or trigger"
        return frozenset(
            counterpart(m, states, triggers, workflow=workflow, kind=kind) for m in members
        )

    return attrs.evolve(
        rule,
        starts_on_enter=state(rule.starts_on_enter),
        starts_on_trigger=trigger(rule.starts_on_trigger),
        met_by=either(rule.met_by),
        cancelled_by=either(rule.cancelled_by),
        paused_by=frozenset(map(trigger, rule.paused_by)),
        resumed_by=frozenset(map(trigger, rule.resumed_by)),
        extended_by=trigger(rule.extended_by),
        on_miss=trigger(rule.on_miss),
    )
