"""Whether a case holds together: each move one its workflow defines, and its state where its
history leads. A load checks the steps it read; a save checks the steps it is about to write,
so that no store writes a case it could not read back.

Moves are compared by the names of states and triggers, as stores keep them: a store rebuilds a
case with the workflow its registry holds under the case's name and version, whatever workflow
object the case was built with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from discipline_flow.case import Case, Step, StepKind
from discipline_flow.errors import InconsistentCaseError
from discipline_flow.workflow import Workflow

__all__ = ["NOTHING_WRITTEN", "check_case", "illegal_move"]

#: How every refusal of a save that does not hold together ends.
NOTHING_WRITTEN = "a store saves only what it can read back: nothing was written"


def illegal_move(
    workflow: Workflow[Any, Any], steps: Sequence[Step[Any, Any]], start: int = 0
) -> tuple[int, str] | None:
    """The first of ``steps[start:]`` that is not a move ``workflow`` defines from where the
    step before it left the case, as (its index, what is wrong); None when every one is.

    An opening comes first and only first; a fire is a transition of the workflow from the
    state the case was in; a recalculation stays where the case was.
    """
    rows = workflow.engine.rows
    state: str | None = steps[start - 1].target._name_ if start else None
    for index in range(start, len(steps)):
        step = steps[index]
        kind = step.kind
        target = step.target._name_
        if kind is StepKind.OPEN:
            if index != 0:
                return index, "a second opening"
            if target not in rows:
                return index, f"{target} is not a state of {workflow.key}"
        elif state is None:
            return index, "the first step must open the case"
        else:
            source = None if step.source is None else step.source._name_
            trigger = None if step.trigger is None else step.trigger._name_
            if kind is StepKind.FIRE:
                row = rows.get(state)
                moves = row.get(trigger, ()) if row is not None and trigger is not None else ()
                if source != state or not any(ct.target._name_ == target for ct in moves):
                    return index, f"{workflow.key} has no move {trigger} from {state} to {target}"
            elif source != state or target != state or trigger is not None:
                return index, f"a recalculation stays in {state}, it does not move the case"
        state = target
    return None


def check_case(workflow: Workflow[Any, Any], case: Case[Any, Any], expected: int) -> None:
    """Raise :class:`~discipline_flow.errors.InconsistentCaseError` unless the steps of ``case``
    after ``expected`` are moves ``workflow`` defines and the case's state is where they lead.

    Hashes and the chain are checked where the rows are made, over the very text a store keeps
    (:func:`~discipline_flow.store._steps.step_rows`).
    """
    steps = case.steps
    try:
        found = illegal_move(workflow, steps, expected) if expected < len(steps) else None
        last = steps[-1].target._name_
        state = case.state._name_
    except (AttributeError, TypeError, IndexError):
        raise InconsistentCaseError(
            f"case {case.id}", "its steps and state are not steps and states of a workflow"
        ) from None
    if found is not None:
        index, problem = found
        raise InconsistentCaseError(
            f"case {case.id}", f"step {index}: {problem}; {NOTHING_WRITTEN}"
        )
    if state != last:
        raise InconsistentCaseError(
            f"case {case.id}",
            f"its state {state} is not where its history leads ({last}); fire a trigger to "
            f"move a case, never set its state; {NOTHING_WRITTEN}",
        )
