"""Rebuilding a stored case from its rows, and the checks a load makes on its history.

A load verifies the hash chain over the canonical text each step row keeps
(:func:`~discipline_flow.history.verify_read_steps`) and that the row's columns say the same, the
version and head the ``cases`` row recorded, the recorded state, the subject, origin and workflow
a form 2 opening hashed (:func:`~discipline_flow.history.check_opening`), and that every move is
one the workflow defines.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from discipline_flow.case import Case, Step
from discipline_flow.errors import MalformedDataError, TamperedHistoryError
from discipline_flow.history import check_opening, verify_read_steps
from discipline_flow.serialization import origin_from_dict
from discipline_flow.store._consistency import illegal_move
from discipline_flow.store._deadlines import decode_deadline
from discipline_flow.store._rows import json_object, subject_from_text
from discipline_flow.store._steps import STEP_COLUMNS, Bodies, decode_steps
from discipline_flow.workflow import Workflow

__all__ = ["CaseRow", "assemble_case", "verify_chain_only"]


class CaseRow(NamedTuple):
    """What a load reads of a ``cases`` row (its fields are the columns' names)."""

    id: str
    workflow: str
    workflow_version: str
    state: str
    version: int
    head_hash: str
    subject: str
    origin: str | None


#: Where a step row (:data:`~discipline_flow.store._steps.STEP_COLUMNS`) names states and a
#: trigger.
_NAMES = slice(STEP_COLUMNS.index("trigger"), STEP_COLUMNS.index("target") + 1)


def assemble_case(
    workflow: Workflow[Any, Any],
    row: CaseRow,
    step_rows: Iterable[Sequence[Any]],
    deadline_rows: Sequence[Sequence[Any]],
    bodies: Bodies,
) -> Case[Any, Any]:
    """Rebuild and verify a case from its ``cases`` row, its step rows and its deadline rows
    (``case_id``, ``data``, ``trace``); ``bodies`` are those the load met so far.

    Raises :class:`~discipline_flow.errors.TamperedHistoryError` naming the first bad step when the
    chain, the recorded version or the recorded head does not hold, and
    :class:`~discipline_flow.errors.MalformedDataError` for anything unreadable.
    """
    case_id = row.id
    states = workflow.states.__members__
    steps, texts = decode_steps(step_rows, states, workflow.triggers.__members__, bodies)
    _check_chain(case_id, steps, texts, row.version, row.head_hash)
    _check_moves(workflow, case_id, steps)
    state = states.get(row.state)
    if state is not steps[-1].target:
        raise TamperedHistoryError(
            f"case {case_id}: the recorded state {row.state!r} is not where its history "
            f"leads ({steps[-1].target.name})"
        )
    subject = subject_from_text(row.subject, f"case {case_id} subject")
    origin = None
    if row.origin is not None:
        where = f"case {case_id} origin"
        origin = origin_from_dict(json_object(row.origin, where), where)
    check_opening(case_id, steps[0], workflow.key, subject, origin)
    deadlines = [
        decode_deadline(data, trace, workflow, f"case {case_id} deadline {i}")
        for i, (_, data, trace) in enumerate(deadline_rows)
    ]
    return Case(case_id, workflow, subject, state, steps, deadlines, origin)


def _check_chain(
    case_id: str, steps: list[Step[Any, Any]], texts: list[bytes], version: int, head: str
) -> None:
    if not steps:
        raise TamperedHistoryError(f"case {case_id}: step 0 is missing (no history stored)")
    verify_read_steps(case_id, steps, texts)  # names the first edited, removed or reordered step
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
    found = illegal_move(workflow, steps)
    if found is not None:
        index, problem = found
        raise MalformedDataError(f"case {case_id} step {index}", problem)


def verify_chain_only(case_id: str, rows: Sequence[Sequence[Any]], version: int, head: str) -> int:
    """Verify the chain of a case whose workflow is not registered; return its step count.

    The canonical form of a step names its states and trigger, so enum members made from the
    names in the rows are enough to read every step back and check its hash.
    """
    names = sorted({n for r in rows for n in r[_NAMES] if isinstance(n, str)})
    try:
        stored: Any = enum.Enum("StoredNames", [(n, n) for n in names]) if names else None
        members = stored.__members__ if stored is not None else {}
    except (TypeError, ValueError) as exc:
        raise MalformedDataError(f"case {case_id}", f"unreadable state names ({exc})") from None
    steps, texts = decode_steps(rows, members, members, {})
    _check_chain(case_id, steps, texts, version, head)
    return len(steps)
