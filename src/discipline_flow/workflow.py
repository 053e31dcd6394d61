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
import json
import types
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from discipline_flow.citation import Citation
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import (
    AmbiguousTransitionError,
    DeadEndStateError,
    InvalidDefinitionError,
    UnknownNameError,
    UnreachableStateError,
    UnresolvedGuardError,
)

if TYPE_CHECKING:
    from discipline_flow.actors import Body, Subject
    from discipline_flow.case import Case
    from discipline_flow.time import Calendar, DeadlineRule

__all__ = [
    "Effect",
    "EffectContext",
    "Guard",
    "GuardContext",
    "Label",
    "Transition",
    "Workflow",
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


def _humanize(member: enum.Enum) -> str:
    return member.name.replace("_", " ").capitalize()


class GuardContext(Generic[S, T]):
    """What a guard sees: the case, the move being tried, who tries it, when, and the payload.

    The case is the case *before* the move; guards must not change it.
    """

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

    @property
    def subject(self) -> Subject:
        """The subject of the case."""
        return self.case.subject

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
    and leaves them to :meth:`~discipline_flow.case.Case.check` and ``fire``.

    >>> no_weekend = Guard("on_weekday", lambda ctx: None if ctx.at.weekday() < 5 else "weekend")
    >>> no_weekend.name
    'on_weekday'
    """

    name: str
    check: GuardCheck = attrs.field(eq=False)
    basis: Citation | None = None
    description: str = ""
    uses_payload: bool = False


class EffectContext(Generic[S, T]):
    """What an effect sees: the case before the move, the move, and the payload."""

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
class Effect:
    """A named action run after a move succeeds (before the step is recorded).

    If an effect raises, the fire fails with
    :class:`~discipline_flow.errors.EffectFailedError` and the case is unchanged. Effects must not
    change the case; they notify or prepare work outside it.
    """

    name: str
    run: Callable[[EffectContext[Any, Any]], None] = attrs.field(eq=False)


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
    effects: tuple[Effect, ...] = attrs.field(default=(), converter=_as_tuple)
    basis: Citation | None = None
    label: Label | None = None


@attrs.frozen
class CompiledTransition(Generic[S, T]):
    """A transition with its guards resolved; internal to the workflow's tables."""

    index: int
    trigger: T
    source: S
    target: S
    guards: tuple[Guard, ...]
    effects: tuple[Effect, ...]
    basis: Citation | None
    basis_text: str | None = None  # ``str(basis)``, computed once: steps record it
    #: The trigger, source and target of a step of this move in its canonical JSON form, and
    #: the basis text after them (computed once: every step's hash is computed over them).
    canonical_moves: str = ""
    canonical_basis: str = "null"


_CASE_CLASS: list[Any] = [None]  # discipline_flow.case.Case, once imported


@attrs.frozen
class _DeadlinePlan:
    """What one move (a trigger into a target state, or the opening) does to one deadline rule.

    Computed once per workflow; a fire applies it without testing the rule's sets again.
    """

    rule: DeadlineRule
    met: bool
    cancelled: bool
    paused: bool
    resumed: bool
    extended: bool
    starts: bool

    @classmethod
    def of(cls, rule: DeadlineRule, trigger: enum.Enum | None, target: enum.Enum) -> _DeadlinePlan:
        """The plan of ``rule`` for a move by ``trigger`` (None: the opening) into ``target``."""
        return cls(
            rule,
            met=trigger in rule.met_by or target in rule.met_by,
            cancelled=trigger in rule.cancelled_by or target in rule.cancelled_by,
            paused=trigger in rule.paused_by,
            resumed=trigger in rule.resumed_by,
            extended=trigger is not None and rule.extended_by is trigger,
            starts=(trigger is not None and rule.starts_on_trigger is trigger)
            or (rule.starts_on_enter is target and rule.starts_on_trigger is None),
        )

    @property
    def touches(self) -> bool:
        """Whether the move does anything to the rule's deadline."""
        return (
            self.met
            or self.cancelled
            or self.paused
            or self.resumed
            or self.extended
            or self.starts
        )


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


@attrs.frozen(eq=False)
class Workflow(Generic[S, T]):
    """An immutable, validated definition of a process.

    One compiled ``transitions`` machine per workflow is shared by all its cases; queries that
    change nothing (:meth:`available`, graphs) use tables compiled from the same definition.
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

    _compiled: tuple[CompiledTransition[S, T], ...] = attrs.field(init=False, repr=False)
    _table: Mapping[S, Mapping[T, tuple[CompiledTransition[S, T], ...]]] = attrs.field(
        init=False, repr=False
    )
    _available: Mapping[S, tuple[T, ...]] = attrs.field(init=False, repr=False)
    _unguarded: Mapping[S, tuple[T, ...]] = attrs.field(init=False, repr=False)
    _deadline_rules_for: Mapping[tuple[T | None, S], tuple[_DeadlinePlan, ...]] = attrs.field(
        init=False, repr=False
    )
    #: The same plans by compiled transition index, then the opening's last: read on each fire.
    _deadline_plans: tuple[tuple[_DeadlinePlan, ...], ...] = attrs.field(init=False, repr=False)
    #: ``_table`` keyed by state name, then trigger name (a str hashes in C, a member in Python).
    _rows: Mapping[str, Mapping[str, tuple[CompiledTransition[S, T], ...]]] = attrs.field(
        init=False, repr=False
    )
    _engine: Any = attrs.field(init=False, repr=False)
    _default_calendar: Any = attrs.field(init=False, repr=False, eq=False, default=None)

    def __attrs_post_init__(self) -> None:
        self._validate_names()
        compiled = self._compile()
        table: dict[S, dict[T, tuple[CompiledTransition[S, T], ...]]] = {s: {} for s in self.states}
        for ct in compiled:
            row = table[ct.source]
            row[ct.trigger] = (*row.get(ct.trigger, ()), ct)
        self._check_ambiguity(table)
        self._check_graph(table)
        object.__setattr__(self, "_compiled", compiled)
        # Plain dicts, private and never handed out: read on every fire, so no proxy layer.
        object.__setattr__(self, "_table", table)
        object.__setattr__(
            self,
            "_available",
            {s: tuple(t for t in self.triggers if t in table[s]) for s in self.states},
        )
        # States where some candidate of every available trigger has no guard: nothing there
        # can be refused, so ``Case.allowed`` answers from the table alone.
        object.__setattr__(
            self,
            "_unguarded",
            {
                s: self._available[s]
                for s in self.states
                if all(any(not c.guards for c in table[s][t]) for t in table[s])
            },
        )
        plans = self._index_rules(compiled)
        object.__setattr__(self, "_deadline_rules_for", plans)
        object.__setattr__(
            self,
            "_deadline_plans",
            (
                *(plans.get((ct.trigger, ct.target), ()) for ct in compiled),
                plans.get((None, self.initial), ()),
            ),
        )
        object.__setattr__(
            self,
            "_rows",
            {s._name_: {t._name_: c for t, c in row.items()} for s, row in table.items()},
        )
        from discipline_flow._engine import Engine

        object.__setattr__(self, "_engine", Engine(self))

    def _index_rules(
        self, compiled: tuple[CompiledTransition[S, T], ...]
    ) -> dict[tuple[T | None, S], tuple[_DeadlinePlan, ...]]:
        """For every move (and the opening), what it does to each deadline rule it touches.

        A fire then looks only at those rules, in their declared order, with the decisions
        (meet, cancel, pause, resume, extend, start) already taken.
        """
        moves: set[tuple[T | None, S]] = {(None, self.initial)}
        moves.update((ct.trigger, ct.target) for ct in compiled)
        index: dict[tuple[T | None, S], tuple[_DeadlinePlan, ...]] = {}
        for trigger, target in moves:
            relevant = tuple(
                plan
                for rule in self.deadline_rules
                if (plan := _DeadlinePlan.of(rule, trigger, target)).touches
            )
            if relevant:
                index[(trigger, target)] = relevant
        return index

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

    def _compile(self) -> tuple[CompiledTransition[S, T], ...]:
        compiled: list[CompiledTransition[S, T]] = []
        for tr in self.transitions:
            basis_text = str(tr.basis) if tr.basis is not None else None
            guards: list[Guard] = []
            for g in tr.guards:
                if isinstance(g, Guard):
                    guards.append(g)
                elif isinstance(g, str) and g in self.guards:
                    guards.append(self.guards[g])
                else:
                    raise UnresolvedGuardError(
                        self.name, str(g), tr.trigger.name, tuple(sorted(self.guards))
                    )
            for source in tr.sources:
                compiled.append(
                    CompiledTransition(
                        index=len(compiled),
                        trigger=tr.trigger,
                        source=source,
                        target=tr.target,
                        guards=tuple(guards),
                        effects=tr.effects,
                        basis=tr.basis,
                        basis_text=basis_text,
                        canonical_moves=(f'"{tr.trigger.name}","{source.name}","{tr.target.name}"'),
                        canonical_basis=(
                            json.encoder.encode_basestring(basis_text)
                            if basis_text is not None
                            else "null"
                        ),
                    )
                )
        return tuple(compiled)

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
        return self._available[state]

    def candidates(self, state: S, trigger: T) -> tuple[CompiledTransition[S, T], ...]:
        """The compiled transitions ``trigger`` may take from ``state``, in the order tried."""
        return self._table[state].get(trigger, ())

    @property
    def compiled(self) -> tuple[CompiledTransition[S, T], ...]:
        """Every transition, one per source, guards resolved (the table diagrams are drawn from)."""
        return self._compiled

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
            member = self.triggers.__members__.get(name)
            if member is not None:
                return member
        from discipline_flow.errors import UnknownTriggerError

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
            member = self.states.__members__.get(name)
            if member is not None:
                return member
        from discipline_flow.errors import InputError

        states = ", ".join(s.name for s in self.states)
        raise InputError("state", f"workflow {self.name!r} has no state {name!r}; states: {states}")

    def rule(self, name: str) -> DeadlineRule:
        """The deadline rule called ``name``."""
        for rule in self.deadline_rules:
            if rule.name == name:
                return rule
        from discipline_flow.errors import RuleNotFoundError

        raise RuleNotFoundError(self.key, name, tuple(r.name for r in self.deadline_rules))

    def get_calendar(self) -> Calendar:
        """The calendar deadlines are computed with (the Vietnamese calendar by default)."""
        if self.calendar is not None:
            return self.calendar
        if self._default_calendar is None:  # resolved once: read on every fire that dates
            from discipline_flow.time.calendar import default_calendar

            object.__setattr__(self, "_default_calendar", default_calendar())
        calendar: Calendar = self._default_calendar
        return calendar

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
        case_cls = _CASE_CLASS[0]
        if case_cls is None:  # imported once: case.py imports this module
            from discipline_flow.case import Case

            case_cls = _CASE_CLASS[0] = Case
        case: Case[S, T] = case_cls.open(
            self, subject, at=at, actor=actor, case_id=case_id, payload=payload, parent=parent
        )
        return case
