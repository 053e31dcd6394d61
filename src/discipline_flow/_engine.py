"""The adapter to ``transitions``: the only module that imports it.

One ``transitions.Machine`` is compiled per workflow version and shared by every case of it. The
machine never holds a case: each move runs on a short-lived object — the move's
:class:`FireContext`, which guards also read, or a bare carrier for a move nothing can refuse —
holding the state name, so nothing per case stays in memory (``add_model`` would cost ~17 KB a case
and slow down as models grow). ``transitions``' own semantics drive the move: our guards run as its
conditions (each collecting every failure, not stopping at the first), effects as its ``after``
callbacks, and its ``before``/``after`` ordering decides when effects run.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from transitions import Machine
from transitions.core import Event, EventData, MachineError, Transition

from discipline_flow.errors import EffectFailedError, GuardFailure
from discipline_flow.workflow import GuardContext

if TYPE_CHECKING:
    from discipline_flow.actors import Body
    from discipline_flow.case import Case
    from discipline_flow.workflow import CompiledTransition, Guard, Workflow

__all__ = ["Engine", "FireContext"]


# ---------------------------------------------------------------------------- lean transitions
#
# ``transitions`` builds a machine from the classes named by ``Machine.event_cls``,
# and ``transition_cls``: its documented way to change how an event
# is processed (its own extensions, locked and async machines, do the same). The stock classes
# resolve every callback by name, walk empty callback lists and format a ``logging.debug`` record
# several times per event; on a shared machine that holds no model this is most of a trigger's
# cost (about 30 µs of CPU per move on the reference machine). The lean classes below keep the
# same semantics for what our machines use (callables, ``send_event=True``, no queue, no state
# callbacks), skip empty callback lists and do not log; anything else falls back to the stock
# code. A test drives the same moves through a stock machine and compares every outcome.


def _run_callbacks(machine: Machine, funcs: list[Any], event_data: EventData) -> None:
    """``Machine.callbacks``, calling callables directly when the machine sends the event."""
    if machine.send_event:
        for func in funcs:
            if isinstance(func, str):
                machine.callback(func, event_data)
            else:
                func(event_data)
    else:
        machine.callbacks(funcs, event_data)


class _LeanTransition(Transition):
    """``Transition.execute`` without the empty callback lists and the debug logging; a
    condition given as a callable is called here, anything else through its own ``check``."""

    def execute(self, event_data: EventData) -> bool:
        # Machine-wide callback lists are read from their attributes, not their properties.
        machine = event_data.machine
        if self.prepare:
            _run_callbacks(machine, self.prepare, event_data)
        if self.conditions:
            send_event = machine.send_event
            for condition in self.conditions:
                func: Any = condition.func
                if isinstance(func, str) or not send_event:
                    if not condition.check(event_data):
                        return False
                elif not (func(event_data) == condition.target):  # noqa: SIM201 - as stock
                    return False
        before = machine._before_state_change
        if self.before or before:
            _run_callbacks(machine, [*before, *self.before], event_data)
        if self.dest:
            self._change_state(event_data)
        after = machine._after_state_change
        if self.after or after:
            _run_callbacks(machine, [*self.after, *after], event_data)
        return True

    def _change_state(self, event_data: EventData) -> None:
        machine = event_data.machine
        states = machine.states
        source = states[self.source]
        if source.on_exit:
            source.exit(event_data)
        dest = states[self.dest or self.source]  # execute() moves only when there is a dest
        setattr(event_data.model, machine.model_attribute, dest.value)
        event_data.state = dest
        if dest.on_enter:
            dest.enter(event_data)
        if dest.final and machine._on_final:
            machine.callbacks(machine._on_final, event_data)


class _LeanEvent(Event):
    """``Event.trigger`` without the queue indirection and the logging, for a machine that has
    no queue; the stock path otherwise."""

    def trigger(self, model: Any, *args: Any, **kwargs: Any) -> bool:
        machine = self.machine
        if machine._queued or machine._transition_queue:
            return bool(super().trigger(model, *args, **kwargs))
        event_data = EventData(None, self, machine, model, args, kwargs)
        value = getattr(model, machine.model_attribute)
        state = machine.states.get(value)
        if state is None:
            state = machine.get_model_state(model)  # raises its ValueError
            value = state.name
        elif type(value) is not str:
            value = state.name
        event_data.state = state
        try:
            candidates = self.transitions.get(value)
            if candidates is None:
                self._is_valid_source(state)  # raises MachineError, or ignores
                return False
            if machine._prepare_event:
                machine.callbacks(machine._prepare_event, event_data)
            for transition in candidates:
                event_data.transition = transition
                if transition.execute(event_data):
                    event_data.result = True
                    break
        except BaseException as err:
            event_data.error = err  # type: ignore[assignment]  # stock stores any BaseException
            if machine._on_exception:
                machine.callbacks(machine._on_exception, event_data)
            else:
                raise
        finally:
            if machine._finalize_event:
                with contextlib.suppress(BaseException):  # as stock: finalize never raises
                    machine.callbacks(machine._finalize_event, event_data)
        return bool(event_data.result)


class _LeanMachine(Machine):
    """A ``transitions.Machine`` built from the lean event and transition classes."""

    event_cls = _LeanEvent
    transition_cls = _LeanTransition


class FireContext(GuardContext[Any, Any]):
    """Everything one move needs. ``transitions`` moves this object itself (its state name is
    kept in ``machine_state``), and each candidate's guards see it as their
    :class:`~discipline_flow.workflow.GuardContext`, with ``target`` set to that candidate's."""

    __slots__ = ("effect_error", "failures", "machine_state", "outcomes", "taken")

    def __init__(
        self,
        case: Case[Any, Any],
        trigger: enum.Enum,
        at: datetime,
        actor: Body,
        payload: Mapping[str, Any],
        record: bool = True,
    ) -> None:
        source = case.state
        self.case = case
        self.trigger = trigger
        self.source = source
        self.target = source  # set to each candidate's target before its guards run
        self.at = at
        self.actor = actor
        self.payload = payload
        self.machine_state = source._name_  # the machine works on names
        #: The refusals of every candidate's guards, as (guard, reason) pairs (None until one
        #: refuses); :meth:`refusals` makes them failures when the whole move is refused.
        self.failures: list[tuple[Guard, str]] | None = None
        #: Every guard's outcome, kept only when a listener will read it.
        self.outcomes: list[tuple[int, str, bool]] | None = [] if record else None
        self.taken: CompiledTransition[Any, Any] | None = None
        self.effect_error: EffectFailedError | None = None

    def refusals(self) -> tuple[GuardFailure, ...]:
        """Every guard's refusal in this move, in the order the guards ran."""
        return tuple(_failure(guard, reason) for guard, reason in self.failures or ())


class _Carrier:
    """What ``transitions`` moves for a plain move: a state name, nothing else."""

    __slots__ = ("machine_state",)

    def __init__(self, state: str) -> None:
        self.machine_state = state


def run_guard(guard: Guard, gctx: GuardContext[Any, Any]) -> GuardFailure | None:
    """Run one guard: None when it passes, its failure (name, reason, basis) otherwise.

    A guard that crashes refuses, with the exception as its reason. ``Case.allowed``/``check``
    judge guards here; the machine's conditions do the same inline (:func:`_make_condition`),
    with the same two helpers below.
    """
    try:
        reason = guard.check(gctx)
    except Exception as exc:
        reason = _crash_reason(exc)
    return None if reason is None else _failure(guard, reason)


def _crash_reason(exc: Exception) -> str:
    """The refusal reason of a guard that raised ``exc``."""
    return f"guard raised {type(exc).__name__}: {exc}"


def _failure(guard: Guard, reason: str) -> GuardFailure:
    """The failure of ``guard`` refusing for ``reason``, with its basis."""
    return GuardFailure(guard.name, reason, str(guard.basis) if guard.basis is not None else None)


def _make_condition(ct: CompiledTransition[Any, Any]) -> Any:
    index, target = ct.index, ct.target
    checks = tuple((guard.check, guard.name, guard) for guard in ct.guards)

    def condition(event: Any) -> bool:
        # run_guard inlined (one call less per guard: this runs for every guarded move).
        ctx: FireContext = event.model
        ctx.target = target
        outcomes = ctx.outcomes
        ok = True
        for check, name, guard in checks:
            try:
                reason = check(ctx)
            except Exception as exc:
                reason = _crash_reason(exc)
            if outcomes is not None:
                outcomes.append((index, name, reason is None))
            if reason is not None:
                ok = False
                if ctx.failures is None:
                    ctx.failures = []
                ctx.failures.append((guard, reason))  # a failure is built if all refuse
        return ok

    return condition


def _make_after(ct: CompiledTransition[Any, Any]) -> Any:
    from discipline_flow.workflow import EffectContext

    effects = ct.effects

    def after(event: Any) -> None:
        ctx: FireContext = event.model
        ctx.taken = ct
        if not effects:
            return
        ectx = EffectContext(
            ctx.case, ct.trigger, ct.source, ct.target, ctx.at, ctx.actor, ctx.payload
        )
        for effect in effects:
            try:
                effect.run(ectx)
            except Exception as exc:
                ctx.effect_error = EffectFailedError(
                    ctx.case.id, ct.trigger.name, effect.name, f"{type(exc).__name__}: {exc}"
                )
                return

    return after


class Engine:
    """One compiled ``transitions`` machine for one workflow version."""

    __slots__ = ("_by_name", "_events", "_machine", "workflow")

    def __init__(self, workflow: Workflow[Any, Any]) -> None:
        self.workflow = workflow
        specs: list[dict[str, Any]] = []
        for ct in workflow.compiled:
            spec: dict[str, Any] = {
                "trigger": ct.trigger.name,
                "source": ct.source.name,
                "dest": ct.target.name,
            }
            several = len(workflow.candidates(ct.source, ct.trigger)) > 1
            if ct.effects or several:  # the callback records which candidate was taken
                spec["after"] = [_make_after(ct)]
            if ct.guards:
                spec["conditions"] = [_make_condition(ct)]
            specs.append(spec)
        # States are given to transitions by name: its Enum handling costs ~13 % of a trigger,
        # and the engine maps the name back to the member.
        self._machine = _LeanMachine(
            model=None,
            states=list(workflow.states.__members__),
            initial=workflow.initial.name,
            transitions=specs,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            model_attribute="machine_state",
        )
        self._by_name: dict[str, enum.Enum] = dict(workflow.states.__members__)
        # Keyed by trigger name: a str hashes in C, an Enum member through Python code.
        self._events: dict[str, Event] = dict(self._machine.events)

    def fire(
        self, ctx: FireContext, candidates: tuple[CompiledTransition[Any, Any], ...]
    ) -> enum.Enum | None:
        """Run one move among ``candidates`` (the compiled transitions of the trigger from the
        source); return the new state, or None when every candidate was refused.

        Refusals are collected in ``ctx.failures``; a failed effect in ``ctx.effect_error``;
        the candidate taken in ``ctx.taken``.
        """
        try:
            moved = self._events[ctx.trigger._name_].trigger(ctx)
        except MachineError:
            return None
        if ctx.effect_error is not None:
            raise ctx.effect_error
        if not moved:
            return None
        if ctx.taken is None:  # a single candidate: no callback was needed to know it
            ctx.taken = candidates[0]
        return self._by_name[ctx.machine_state]

    def move(self, trigger: enum.Enum, source: enum.Enum) -> enum.Enum:
        """Run a move that has one unguarded candidate and no effects; return the new state."""
        carrier = _Carrier(source._name_)
        self._events[trigger._name_].trigger(carrier)
        return self._by_name[carrier.machine_state]

    def machine_allows(self, state: enum.Enum) -> set[str]:
        """Triggers the ``transitions`` machine itself has from ``state`` (agreement test)."""
        return set(self._machine.get_triggers(state.name))
