"""Workflow definitions: immutable, validated state machines over the user's enums.

A :class:`Workflow` is built from a state enum and a trigger enum, a tuple of
:class:`Transition` values, named :class:`Guard` predicates and deadline rules. It is validated
when built: unknown names, unreachable states, non-terminal dead ends, ambiguous transitions and
guards that do not resolve each raise a :class:`~discipline_flow.errors.DefinitionError` subclass
that names the offending state or trigger.

>>> import enum
>>> from discipline_flow import Workflow, Transition
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(
...     name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...     terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)],
... )
>>> wf.available(S.OPEN)
(<T.CLOSE: 'close'>,)
"""

from __future__ import annotations

import enum
import types
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

from discipline_flow.actors import Body, Subject
from discipline_flow.case import Case
from discipline_flow.citation import Citation
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.compiled import CompiledTransition, Engine, compile_transitions
from discipline_flow.definition import (
    Action,
    ActionContext,
    Guard,
    GuardCheck,
    GuardContext,
    Label,
    Transition,
)
from discipline_flow.errors import (
    AmbiguousTransitionError,
    DeadEndStateError,
    InputError,
    InvalidDefinitionError,
    RuleNotFoundError,
    UnknownNameError,
    UnknownTriggerError,
    UnreachableStateError,
)
from discipline_flow.time import Calendar, DeadlineRule, default_calendar

__all__ = [
    "Action",
    "ActionContext",
    "Guard",
    "GuardCheck",
    "GuardContext",
    "Label",
    "Transition",
    "Workflow",
]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)
E = TypeVar("E", bound=enum.Enum)


def _humanize(member: enum.Enum) -> str:
    return member.name.replace("_", " ").capitalize()


def _state_set(states: Iterable[Any]) -> frozenset[Any]:
    return frozenset(states)


def _transition_tuple(transitions: Iterable[Transition[Any, Any]]) -> tuple[Any, ...]:
    return tuple(transitions)


def _rule_tuple(rules: Iterable[DeadlineRule]) -> tuple[DeadlineRule, ...]:
    return tuple(rules)


def _citation_tuple(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(citations)


def _frozen_guards(guards: Mapping[str, Guard]) -> Mapping[str, Guard]:
    return types.MappingProxyType(dict(guards))


def _frozen_labels(labels: Mapping[enum.Enum, Label]) -> Mapping[enum.Enum, Label]:
    return types.MappingProxyType(dict(labels))


def _name(member: object) -> str:
    return member.name if isinstance(member, enum.Enum) else repr(member)


def _build_engine(workflow: Workflow[Any, Any]) -> Engine[Any, Any]:
    """Validate the definition and compile it (run once, while the workflow is built)."""
    return workflow._validated_engine()


def _by_value(members: type[E], value: str) -> E | None:
    """The member of ``members`` whose value is ``value`` (``"hear_subject"`` for
    ``HEAR_SUBJECT``), or None."""
    try:
        return members(value)
    except ValueError:
        return None


@attrs.frozen(eq=False, repr=False)
class Workflow(Generic[S, T]):
    """An immutable, validated definition of a process.

    It is validated when built: unknown names, unreachable states, non-terminal dead ends,
    ambiguous transitions and guards that do not resolve each raise a
    :class:`~discipline_flow.errors.DefinitionError`. Its compiled form, :attr:`engine` (tables,
    deadline plans), is built at the same time and shared by all its cases.
    """

    name: str
    version: str
    states: type[S]
    triggers: type[T]
    initial: S
    terminal: frozenset[S] = attrs.field(converter=_state_set)
    transitions: tuple[Transition[S, T], ...] = attrs.field(converter=_transition_tuple)
    guards: Mapping[str, Guard] = attrs.field(factory=dict, converter=_frozen_guards)
    deadline_rules: tuple[DeadlineRule, ...] = attrs.field(default=(), converter=_rule_tuple)
    labels: Mapping[enum.Enum, Label] = attrs.field(factory=dict, converter=_frozen_labels)
    citations: tuple[Citation, ...] = attrs.field(default=(), converter=_citation_tuple)
    label: Label | None = None
    description: str = ""
    timezone: str = DEFAULT_TIMEZONE
    calendar: Calendar | None = None
    ruleset: str | None = None
    #: The compiled form every case of this workflow runs on.
    engine: Engine[S, T] = attrs.field(
        init=False, repr=False, default=attrs.Factory(_build_engine, takes_self=True)
    )

    def __repr__(self) -> str:
        """A one-line summary (the definition itself is printed by :func:`describe` or drawn).

        >>> from discipline_flow.processes import shipped_registry
        >>> shipped_registry().get("member_discipline", "2025-07")  # doctest: +ELLIPSIS
        <Workflow member_discipline@2025-07: ... states, ... triggers, ... transitions, ... deadline rules>
        """
        return (
            f"<Workflow {self.key}: {len(self.states)} states, {len(self.triggers)} triggers, "
            f"{len(self.transitions)} transitions, {len(self.deadline_rules)} deadline rules>"
        )

    def _validated_engine(self) -> Engine[S, T]:
        self._validate_names()
        compiled = compile_transitions(self.name, self.transitions, self.guards)
        engine = Engine(self.states, self.triggers, self.initial, compiled, self.deadline_rules)
        self._check_ambiguity(engine.table)
        self._check_graph(engine.table)
        return engine

    # ------------------------------------------------------------------ validation

    def _unknown(self, kind: str, member: object) -> UnknownNameError:
        enum_cls = self.states if kind == "state" else self.triggers
        return UnknownNameError(self.name, kind, _name(member), tuple(m.name for m in enum_cls))

    def _validate_names(self) -> None:
        if not (isinstance(self.states, type) and issubclass(self.states, enum.Enum)):
            raise InvalidDefinitionError(self.name, "states must be an Enum class")
        if not (isinstance(self.triggers, type) and issubclass(self.triggers, enum.Enum)):
            raise InvalidDefinitionError(self.name, "triggers must be an Enum class")
        if not self.name or not self.version:
            raise InvalidDefinitionError(self.name or "?", "a workflow needs a name and a version")
        if not isinstance(self.initial, self.states):
            raise self._unknown("state", self.initial)
        for state in self.terminal:
            if not isinstance(state, self.states):
                raise self._unknown("state", state)
        if self.initial in self.terminal:
            raise InvalidDefinitionError(
                self.name, f"the initial state {self.initial.name} cannot be terminal"
            )
        for tr in self.transitions:
            if not isinstance(tr.trigger, self.triggers):
                raise self._unknown("trigger", tr.trigger)
            if not tr.sources:
                raise InvalidDefinitionError(
                    self.name, f"transition {tr.trigger.name} has no source state"
                )
            for state in (*tr.sources, tr.target):
                if not isinstance(state, self.states):
                    raise self._unknown("state", state)
        for key in self.labels:
            if not isinstance(key, self.states | self.triggers):
                raise self._unknown("state", key)
        for name, guard in self.guards.items():
            if not isinstance(guard, Guard) or guard.name != name:
                raise InvalidDefinitionError(
                    self.name, f"guards[{name!r}] must be a Guard named {name!r}"
                )
        self._validate_rules()

    def _validate_rules(self) -> None:
        seen: set[str] = set()
        members = (self.states, self.triggers)
        for rule in self.deadline_rules:
            if rule.name in seen:
                raise InvalidDefinitionError(
                    self.name, f"two deadline rules are named {rule.name!r}"
                )
            seen.add(rule.name)
            if rule.starts_on_enter is not None and not isinstance(
                rule.starts_on_enter, self.states
            ):
                raise self._unknown("state", rule.starts_on_enter)
            for trig in (rule.starts_on_trigger, rule.extended_by, rule.on_miss):
                if trig is not None and not isinstance(trig, self.triggers):
                    raise self._unknown("trigger", trig)
            for group in (rule.met_by, rule.cancelled_by):
                for member in group:
                    if not isinstance(member, members):
                        raise self._unknown("state", member)
            for group in (rule.paused_by, rule.resumed_by):
                for member in group:
                    if not isinstance(member, self.triggers):
                        raise self._unknown("trigger", member)

    def _check_ambiguity(
        self, table: Mapping[S, Mapping[T, tuple[CompiledTransition[S, T], ...]]]
    ) -> None:
        for source, row in table.items():
            for trigger, candidates in row.items():
                if len(candidates) < 2:
                    continue
                guard_sets = [frozenset(g.name for g in c.guards) for c in candidates]
                unguarded_early = any(not gs for gs in guard_sets[:-1])
                duplicated = len(set(guard_sets)) < len(guard_sets)
                if unguarded_early or duplicated:
                    raise AmbiguousTransitionError(
                        self.name,
                        source.name,
                        trigger.name,
                        tuple(c.target.name for c in candidates),
                    )

    def _check_graph(
        self, table: Mapping[S, Mapping[T, tuple[CompiledTransition[S, T], ...]]]
    ) -> None:
        reached = {self.initial}
        frontier = [self.initial]
        while frontier:
            state = frontier.pop()
            for candidates in table[state].values():
                for ct in candidates:
                    if ct.target not in reached:
                        reached.add(ct.target)
                        frontier.append(ct.target)
        for state in self.states:
            if state not in reached:
                raise UnreachableStateError(self.name, state.name, self.initial.name)
            has_exit = bool(table[state])
            if state in self.terminal and has_exit:
                raise InvalidDefinitionError(
                    self.name,
                    f"terminal state {state.name} has transitions out; "
                    f"remove them or make it non-terminal",
                )
            if state not in self.terminal and not has_exit:
                raise DeadEndStateError(self.name, state.name)

    # ------------------------------------------------------------------ queries

    @property
    def all_states(self) -> tuple[S, ...]:
        """Every state, in enum order."""
        return tuple(self.states.__members__.values())

    @property
    def all_triggers(self) -> tuple[T, ...]:
        """Every trigger, in enum order."""
        return tuple(self.triggers.__members__.values())

    @property
    def key(self) -> str:
        """``name@version``, the identity cases record."""
        return f"{self.name}@{self.version}"

    def available(self, state: S) -> tuple[T, ...]:
        """Triggers that have a transition out of ``state`` (guards not evaluated)."""
        return self.engine.available[state]

    def candidates(self, state: S, trigger: T) -> tuple[CompiledTransition[S, T], ...]:
        """The compiled transitions ``trigger`` may take from ``state``, in the order tried."""
        return self.engine.candidates(state, trigger)

    @property
    def compiled(self) -> tuple[CompiledTransition[S, T], ...]:
        """Every transition, one per source, guards resolved (the table diagrams are drawn from)."""
        return self.engine.transitions

    def is_terminal(self, state: S) -> bool:
        """Whether ``state`` ends a case."""
        return state in self.terminal

    def label_of(self, member: S | T, lang: str = "en") -> str:
        """The label of a state or trigger in ``lang``; the humanized name when none is given."""
        label = self.labels.get(member)
        if label is None:
            return _humanize(member)
        return label.text(lang)

    def trigger_named(self, name: str | T) -> T:
        """The trigger member named ``name`` (or ``name`` itself if it is a member).

        Raises :class:`~discipline_flow.errors.UnknownTriggerError` listing the triggers.
        """
        if isinstance(name, self.triggers):
            return name
        if isinstance(name, str):
            member = self.triggers.__members__.get(name) or _by_value(self.triggers, name)
            if member is not None:
                return member
        raise UnknownTriggerError(
            self.name,
            _name(name) if not isinstance(name, str) else name,
            tuple(t.name for t in self.triggers),
        )

    def state_named(self, name: str | S) -> S:
        """The state member named ``name``; an input error listing the states otherwise."""
        if isinstance(name, self.states):
            return name
        if isinstance(name, str):
            member = self.states.__members__.get(name) or _by_value(self.states, name)
            if member is not None:
                return member
        states = ", ".join(s.name for s in self.states)
        raise InputError("state", f"workflow {self.name!r} has no state {name!r}; states: {states}")

    def rule(self, name: str) -> DeadlineRule:
        """The deadline rule called ``name``."""
        for rule in self.deadline_rules:
            if rule.name == name:
                return rule
        raise RuleNotFoundError(self.key, name, tuple(r.name for r in self.deadline_rules))

    def get_calendar(self) -> Calendar:
        """The calendar deadlines are computed with (the Vietnamese calendar by default)."""
        return self.calendar if self.calendar is not None else default_calendar()

    def open(
        self,
        subject: Subject,
        *,
        at: datetime,
        actor: Body | str,
        case_id: str | None = None,
        payload: Mapping[str, Any] | None = None,
        parent: Case[Any, Any] | None = None,
    ) -> Case[S, T]:
        """Open a case about ``subject`` in the initial state; the opening is its first step.

        ``parent`` links the new case to the case whose step opened it (its origin).
        """
        return Case.open(
            self, subject, at=at, actor=actor, case_id=case_id, payload=payload, parent=parent
        )
