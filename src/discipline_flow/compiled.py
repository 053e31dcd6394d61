"""The compiled form of a workflow: its tables, its deadline plans, and the moves run from them.

A :class:`~discipline_flow.Workflow` is the definition a user writes; :class:`Engine` is built
from it once, when the workflow is built, and every case of the workflow runs on it. A move is a
lookup in a table keyed by state and trigger names, the candidate transitions' guards in order,
the chosen transition's actions, and the deadline plans of that move. Nothing per case is kept.

``transitions`` is the engine of record: :mod:`discipline_flow._reference` builds a stock
``transitions.Machine`` from the same definition, and a differential property test drives both
with random workflows and moves and compares every outcome (see
``docs/explanation/architecture.md`` for why the hot path is a table).

>>> import enum
>>> from discipline_flow import Guard, Transition, Workflow
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> [(ct.source, ct.target) for ct in wf.engine.candidates(S.OPEN, T.CLOSE)]
[(<S.OPEN: 'open'>, <S.CLOSED: 'closed'>)]
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from discipline_flow.citation import Citation
from discipline_flow.definition import Action, ActionContext, Guard, GuardContext, Transition
from discipline_flow.errors import ActionFailedError, GuardFailure, UnresolvedGuardError
from discipline_flow.plans import DeadlinePlan, plan_moves

if TYPE_CHECKING:
    from discipline_flow.actors import Body
    from discipline_flow.case import Case
    from discipline_flow.time import DeadlineRule

__all__ = ["Attempt", "CompiledTransition", "Engine", "compile_transitions", "run_guard"]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)


@attrs.frozen
class CompiledTransition(Generic[S, T]):
    """One transition from one source, its guards resolved: a row of the engine's tables."""

    index: int
    trigger: T
    source: S
    target: S
    guards: tuple[Guard, ...]
    actions: tuple[Action, ...]
    basis: Citation | None
    #: ``str(basis)``, made once: every step of this move records it.
    basis_text: str | None = None


def compile_transitions(
    workflow_name: str, transitions: Iterable[Transition[S, T]], guards: Mapping[str, Guard]
) -> tuple[CompiledTransition[S, T], ...]:
    """One :class:`CompiledTransition` per transition and source, guards given by name resolved
    against ``guards`` (:class:`~discipline_flow.errors.UnresolvedGuardError` otherwise)."""
    compiled: list[CompiledTransition[S, T]] = []
    for tr in transitions:
        resolved: list[Guard] = []
        for g in tr.guards:
            if isinstance(g, Guard):
                resolved.append(g)
            elif isinstance(g, str) and g in guards:
                resolved.append(guards[g])
            else:
                raise UnresolvedGuardError(
                    workflow_name, str(g), tr.trigger.name, tuple(sorted(guards))
                )
        basis_text = str(tr.basis) if tr.basis is not None else None
        for source in tr.sources:
            compiled.append(
                CompiledTransition(
                    len(compiled),
                    tr.trigger,
                    source,
                    tr.target,
                    tuple(resolved),
                    tr.actions,
                    tr.basis,
                    basis_text,
                )
            )
    return tuple(compiled)


def run_guard(guard: Guard, context: GuardContext[Any, Any]) -> str | None:
    """Run one guard: None when it passes, its reason otherwise. A guard that raises refuses,
    with the exception as its reason (a broken guard never lets a move through)."""
    try:
        return guard.check(context)
    except Exception as exc:
        return f"guard raised {type(exc).__name__}: {exc}"


def failure(guard: Guard, reason: str) -> GuardFailure:
    """The failure of ``guard`` refusing for ``reason``, with its legal basis."""
    return GuardFailure(guard.name, reason, str(guard.basis) if guard.basis is not None else None)


class Attempt:
    """The outcome of trying one trigger on a case: the transition taken (None when every
    candidate was refused), the guard context it ran with, every refusal and, when asked for,
    every guard's outcome as ``(transition index, guard name, passed)``."""

    __slots__ = ("context", "failures", "outcomes", "taken")

    def __init__(
        self,
        taken: CompiledTransition[Any, Any] | None,
        context: GuardContext[Any, Any] | None,
        failures: list[GuardFailure],
        outcomes: list[tuple[int, str, bool]],
    ) -> None:
        self.taken = taken
        self.context = context
        self.failures = failures
        self.outcomes = outcomes


class Engine(Generic[S, T]):
    """The compiled form of one workflow: tables read by every fire and query.

    ``rows`` is keyed by state name, then trigger name (a ``str`` hashes in C, an ``Enum``
    member through Python code, and this lookup starts every fire).
    """

    __slots__ = (
        "available",
        "by_move",
        "opening_plans",
        "plans",
        "rows",
        "table",
        "transitions",
        "unguarded",
    )

    def __init__(
        self,
        states: type[S],
        triggers: type[T],
        initial: S,
        transitions: tuple[CompiledTransition[S, T], ...],
        deadline_rules: tuple[DeadlineRule, ...],
    ) -> None:
        table: dict[S, dict[T, tuple[CompiledTransition[S, T], ...]]] = {s: {} for s in states}
        for ct in transitions:
            row = table[ct.source]
            row[ct.trigger] = (*row.get(ct.trigger, ()), ct)
        self.transitions = transitions
        #: Candidates by state, then trigger, in the order they are tried.
        self.table: Mapping[S, Mapping[T, tuple[CompiledTransition[S, T], ...]]] = table
        self.rows: Mapping[str, Mapping[str, tuple[CompiledTransition[S, T], ...]]] = {
            s._name_: {t._name_: c for t, c in row.items()} for s, row in table.items()
        }
        #: Triggers with a transition out of each state, in enum order.
        self.available: Mapping[S, tuple[T, ...]] = {
            s: tuple(t for t in triggers if t in table[s]) for s in states
        }
        #: States where some candidate of every trigger has no guard: nothing can be refused
        #: there, so the allowed triggers are the table's.
        self.unguarded: Mapping[S, tuple[T, ...]] = {
            s: self.available[s]
            for s in states
            if all(any(not c.guards for c in table[s][t]) for t in table[s])
        }
        moves = {(None, initial), *((ct.trigger, ct.target) for ct in transitions)}
        by_move = plan_moves(deadline_rules, moves)
        #: Deadline plans by move: (trigger, target), the trigger None for the opening.
        self.by_move: Mapping[tuple[T | None, S], tuple[DeadlinePlan, ...]] = by_move
        #: Deadline plans by compiled transition index.
        self.plans: tuple[tuple[DeadlinePlan, ...], ...] = tuple(
            by_move.get((ct.trigger, ct.target), ()) for ct in transitions
        )
        #: Deadline plans of the opening.
        self.opening_plans: tuple[DeadlinePlan, ...] = by_move.get((None, initial), ())

    def plans_for(self, trigger: T | None, target: S) -> tuple[DeadlinePlan, ...]:
        """The deadline plans of a move by ``trigger`` (None: the opening) into ``target``."""
        return self.by_move.get((trigger, target), ())

    def candidates(self, state: S, trigger: T) -> tuple[CompiledTransition[S, T], ...]:
        """The compiled transitions ``trigger`` may take from ``state``, in the order tried."""
        return self.table[state].get(trigger, ())

    def attempt(
        self,
        case: Case[S, T],
        trigger: T,
        candidates: tuple[CompiledTransition[S, T], ...],
        at: datetime,
        actor: Body,
        payload: Mapping[str, Any],
        *,
        record: bool = False,
    ) -> Attempt:
        """Try ``candidates`` in order: the first whose guards all pass is taken and its actions
        run. Every guard of a candidate runs (a refusal lists all of them).

        Raises :class:`~discipline_flow.errors.ActionFailedError` when an action of the taken
        transition raises. ``record`` keeps every guard's outcome (for listeners).
        """
        failures: list[GuardFailure] = []
        outcomes: list[tuple[int, str, bool]] = []
        only = candidates[0]
        if len(candidates) == 1 and not only.guards and not only.actions:
            return Attempt(only, None, failures, outcomes)
        context: GuardContext[S, T] = GuardContext(
            case, trigger, only.source, only.target, at, actor, payload
        )
        taken = None
        for ct in candidates:
            context.target = ct.target
            passed = True
            for guard in ct.guards:
                reason = run_guard(guard, context)
                if record:
                    outcomes.append((ct.index, guard.name, reason is None))
                if reason is not None:
                    failures.append(failure(guard, reason))
                    passed = False
            if passed:
                taken = ct
                break
        if taken is not None and taken.actions:
            action_context = ActionContext(
                case, trigger, taken.source, taken.target, at, actor, payload
            )
            for action in taken.actions:
                try:
                    action.run(action_context)
                except Exception as exc:
                    raise ActionFailedError(
                        case.id, trigger.name, action.name, f"{type(exc).__name__}: {exc}"
                    ) from exc
        return Attempt(taken, context, failures, outcomes)

    def refusals(
        self,
        case: Case[S, T],
        trigger: T,
        at: datetime,
        actor: Body,
        payload: Mapping[str, Any],
        *,
        skip_payload_guards: bool,
    ) -> list[GuardFailure]:
        """Why ``trigger`` would be refused now (empty when some candidate passes), without
        running actions. ``skip_payload_guards`` leaves out guards that judge the payload."""
        found: list[GuardFailure] = []
        for ct in self.table[case.state].get(trigger, ()):
            if not ct.guards:
                return []
            context = GuardContext(case, trigger, ct.source, ct.target, at, actor, payload)
            mine = [
                failure(guard, reason)
                for guard in ct.guards
                if not (skip_payload_guards and guard.uses_payload)
                and (reason := run_guard(guard, context)) is not None
            ]
            if not mine:
                return []
            found.extend(mine)
        return found
