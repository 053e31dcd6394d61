"""``transitions``, the engine of record: the only module that imports it.

A workflow runs on its compiled table (:mod:`discipline_flow.compiled`); this module builds a
stock ``transitions.Machine`` from the same definition, through ``transitions``' public API
only, for the differential tests that keep the two in agreement (``tests/test_engine.py``: random
workflows, guards and moves, every outcome compared) and for the benchmarks' same-run baseline.

The machine follows the workflow move for move: states and transitions by name, each compiled
transition with one condition that runs its guards on the fire's
:class:`~discipline_flow.definition.GuardContext` (passed as the event's ``context`` keyword) and
its actions as ``after`` callbacks. A model is any object with a ``state`` attribute holding a
state name.

>>> import enum
>>> from discipline_flow import Transition, Workflow
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> model = ReferenceModel("OPEN")
>>> machine = reference_machine(wf, model)
>>> machine.get_triggers("OPEN"), machine.dispatch("CLOSE", context=None), model.state
(['CLOSE'], True, 'CLOSED')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from transitions import Machine, MachineError

from discipline_flow.compiled import CompiledTransition, run_guard
from discipline_flow.definition import ActionContext, GuardContext

if TYPE_CHECKING:
    from discipline_flow.workflow import Workflow

__all__ = ["MachineError", "ReferenceModel", "reference_machine"]


class ReferenceModel:
    """A model for :func:`reference_machine`: it holds a state name. Fire with the machine's
    ``dispatch(trigger_name, context=...)``, which raises ``MachineError`` when the trigger has no
    transition from the model's state."""

    def __init__(self, state: str) -> None:
        self.state = state


def _condition(ct: CompiledTransition[Any, Any]) -> Any:
    def passes(event: Any) -> bool:
        context: GuardContext[Any, Any] | None = event.kwargs.get("context")
        if context is None:
            return not ct.guards
        context.target = ct.target
        # Every guard runs, as on the table (a refusal lists all of them).
        reasons = [run_guard(guard, context) for guard in ct.guards]
        return all(reason is None for reason in reasons)

    return passes


def _after(ct: CompiledTransition[Any, Any]) -> Any:
    def run_actions(event: Any) -> None:
        context: GuardContext[Any, Any] | None = event.kwargs.get("context")
        if context is None:
            return
        action_context = ActionContext(
            context.case,
            context.trigger,
            ct.source,
            ct.target,
            context.at,
            context.actor,
            context.payload,
        )
        for action in ct.actions:
            action.run(action_context)

    return run_actions


def reference_machine(workflow: Workflow[Any, Any], model: ReferenceModel) -> Machine:
    """A stock ``transitions.Machine`` for ``workflow``, bound to ``model``."""
    specs = [
        {
            "trigger": ct.trigger.name,
            "source": ct.source.name,
            "dest": ct.target.name,
            "conditions": [_condition(ct)],
            "after": [_after(ct)],
        }
        for ct in workflow.compiled
    ]
    return Machine(
        model=model,
        states=[state.name for state in workflow.states],
        initial=model.state,
        transitions=specs,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )
