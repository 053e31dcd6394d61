"""Rebuilding a stored case from its rows, and the checks a load makes on its history.

A load verifies the hash chain (:func:`~discipline_flow.case.verify_steps`), the version and head
the ``cases`` row recorded, the recorded state, and that every move is one the workflow defines.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from discipline_flow.case import Case, Step, StepKind, verify_steps
from discipline_flow.errors import MalformedDataError, TamperedHistoryError
from discipline_flow.serialization import origin_from_dict
from discipline_flow.store._deadlines import decode_deadline
from discipline_flow.store._rows import decode_steps, json_object, subject_from_text
from discipline_flow.workflow import Workflow

__all__ = ["assemble_case", "verify_chain_only"]


def assemble_case(
    workflow: Workflow[Any, Any],
    row: Mapping[str, Any],
    step_rows: Sequence[Sequence[Any]],
    deadline_rows: Sequence[Sequence[Any]],
) -> Case[Any, Any]:
    """Rebuild and verify a case from its ``cases`` row (by column name), its step rows and its
    deadline rows (``case_id``, ``data``, ``trace``).

    Raises :class:`~discipline_flow.errors.TamperedHistoryError` naming the first bad step when the
    chain, the recorded version or the recorded head does not hold, and
    :class:`~discipline_flow.errors.MalformedDataError` for anything unreadable.
    """
    case_id = row["id"]
    states = workflow.states.__members__
    steps = decode_steps(step_rows, states, workflow.triggers.__members__)
    _check_chain(case_id, steps, row["version"], row["head_hash"])
    _check_moves(workflow, case_id, steps)
    state = states.get(row["state"])
    if state is not steps[-1].target:
        raise TamperedHistoryError(
            f"case {case_id}: the recorded state {row['state']!r} is not where its history "
            f"leads ({steps[-1].target.name})"
        )
    subject = subject_from_text(row["subject"], f"case {case_id} subject")
    origin = None
    if row["origin"] is not None:
        where = f"case {case_id} origin"
        origin = origin_from_dict(json_object(row["origin"], where), where)
    deadlines = [
        decode_deadline(data, trace, workflow, f"case {case_id} deadline {i}")
        for i, (_, data, trace) in enumerate(deadline_rows)
    ]
    return Case(case_id, workflow, subject, state, steps, deadlines, origin)


def _check_chain(case_id: str, steps: list[Step[Any, Any]], version: int, head: str) -> None:
    if not steps:
        raise TamperedHistoryError(f"case {case_id}: step 0 is missing (no history stored)")
    verify_steps(case_id, steps)  # names the first edited, removed or reordered step
    if len(steps) < version:
        raise TamperedHistoryError(
            f"case {case_id}: step {len(steps)} is missing: the case records {version} steps "
            f"but only {len(steps)} are stored (history truncated)"
        )
    if len(steps) > version:
        raise TamperedHistoryError(
            f"case {case_id}: step {version} was not recorded by a save: the case records "
            f"{version} steps but {len(steps)} are stored"
        )
    if steps[-1].hash != head:
        raise TamperedHistoryError(
            f"case {case_id}: step {version - 1} is not the recorded head of the history"
        )


def _check_moves(
    workflow: Workflow[Any, Any], case_id: str, steps: Sequence[Step[Any, Any]]
) -> None:
    state = None
    for step in steps:
        if step.kind is StepKind.OPEN:
            if step.index != 0:
                raise MalformedDataError(f"case {case_id} step {step.index}", "a second opening")
        elif step.index == 0:
            raise MalformedDataError(f"case {case_id} step 0", "the first step must open the case")
        elif step.kind is StepKind.FIRE and (
            step.trigger is None
            or step.source is not state
            or not any(ct.target is step.target for ct in workflow.candidates(state, step.trigger))
        ):
            raise MalformedDataError(
                f"case {case_id} step {step.index}",
                f"{workflow.key} has no move {getattr(step.trigger, 'name', None)} from "
                f"{getattr(state, 'name', None)} to {step.target.name}",
            )
        state = step.target


def verify_chain_only(case_id: str, rows: Sequence[Sequence[Any]], version: int, head: str) -> int:
    """Verify the chain of a case whose workflow is not registered; return its step count.

    The canonical form of a step names its states and trigger, so enum members made from the
    names in the rows are enough to recompute every hash.
    """
    names = sorted({n for r in rows for n in (r[3], r[4], r[5]) if isinstance(n, str)})
    try:
        stored: Any = enum.Enum("StoredNames", [(n, n) for n in names]) if names else None
        members = stored.__members__ if stored is not None else {}
    except (TypeError, ValueError) as exc:
        raise MalformedDataError(f"case {case_id}", f"unreadable state names ({exc})") from None
    steps = decode_steps(rows, members, members)
    _check_chain(case_id, steps, version, head)
    return len(steps)
