"""The checks every store makes on its arguments, with the same errors on each."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from discipline_flow.case import Case
from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store._consistency import check_case
from discipline_flow.store._rows import check_text
from discipline_flow.workflow import Workflow

__all__ = [
    "MAX_LIMIT",
    "Filters",
    "as_registry",
    "check_ids",
    "check_limit",
    "check_pairs",
    "check_reason",
    "check_save",
    "chunks",
    "conflict_message",
    "filters",
]

CHUNK = 500


def as_registry(
    registry: WorkflowRegistry | Iterable[Workflow[Any, Any]] | None,
) -> WorkflowRegistry:
    """A :class:`WorkflowRegistry` from a registry, an iterable of workflows or None."""
    if isinstance(registry, WorkflowRegistry):
        return registry
    if registry is None:
        return WorkflowRegistry()
    if isinstance(registry, Workflow):
        return WorkflowRegistry([registry])
    try:
        workflows = list(registry)
    except TypeError:
        raise InputError(
            "registry", "expected a WorkflowRegistry or an iterable of workflows"
        ) from None
    for wf in workflows:
        if not isinstance(wf, Workflow):
            raise InputError("registry", f"expected workflows, got {type(wf).__name__}")
    return WorkflowRegistry(workflows)


#: The largest ``limit`` a query takes: a SQL LIMIT is a 64-bit integer.
MAX_LIMIT = 2**63 - 1


def check_limit(limit: object) -> int | None:
    """``limit`` if it is None or a whole number from 1 to :data:`MAX_LIMIT`; an InputError
    otherwise."""
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(
            "limit", f"must be a whole number from 1 to 2**63 - 1, or None; got {limit!r}"
        )
    return limit


def check_reason(reason: object) -> str:
    """The reason of a recalculation: some text."""
    if not isinstance(reason, str) or not reason.strip():
        raise InputError("reason", "a recalculation needs a reason")
    return reason


def check_save(
    registry: WorkflowRegistry, case: object, expected_version: object
) -> tuple[Case[Any, Any], int]:
    """Validate the arguments of ``save``; return them typed.

    The case must hold together (:func:`~discipline_flow.store._consistency.check_case`, under
    the workflow the registry holds for it); the hashes of its new steps are checked where
    their rows are made.
    """
    if not isinstance(case, Case):
        raise InputError("case", f"expected a Case, got {type(case).__name__}")
    if (
        not isinstance(expected_version, int)
        or isinstance(expected_version, bool)
        or expected_version < 0
    ):
        raise InputError(
            "expected_version",
            f"must be the number of steps the case had when loaded (0 for a new case), "
            f"got {expected_version!r}",
        )
    if expected_version > len(case.steps):
        raise InputError(
            "expected_version",
            f"{expected_version} is more than the {len(case.steps)} steps of case {case.id}",
        )
    check_case(registry.get(case.workflow.name, case.workflow.version), case, expected_version)
    return case, expected_version


def check_pairs(
    registry: WorkflowRegistry, cases: Iterable[tuple[Case[Any, Any], int]]
) -> list[tuple[Case[Any, Any], int]]:
    """Validate the ``(case, expected_version)`` pairs of ``save_many``: each case once."""
    try:
        pairs = [(c, v) for c, v in cases]
    except (TypeError, ValueError):
        raise InputError("cases", "expected (case, expected_version) pairs") from None
    items = [check_save(registry, c, v) for c, v in pairs]
    seen: set[str] = set()
    for case, _ in items:
        if case.id in seen:
            raise InputError("cases", f"case {case.id} appears twice in one save_many")
        seen.add(case.id)
    return items


def conflict_message(case_id: str, expected: int, stored: tuple[int, str] | None) -> str:
    """Why a save was refused, and what to do."""
    tail = "; nothing was written: load the case again and retry"
    if stored is None:
        return f"case {case_id}: expected version {expected} but the store has no such case{tail}"
    version, _ = stored
    if version != expected:
        what = "a new case" if expected == 0 else f"version {expected}"
        return f"case {case_id}: expected {what} but the store holds version {version}{tail}"
    return f"case {case_id}: its history differs from the stored one at step {expected - 1}{tail}"


def check_ids(case_ids: object) -> list[str]:
    """The case ids of ``load_many`` and ``digest_many``: a sequence of non-empty texts."""
    if isinstance(case_ids, str) or not isinstance(case_ids, Sequence):
        raise InputError("case_ids", "expected a sequence of case ids")
    ids: list[str] = []
    for case_id in case_ids:
        if not isinstance(case_id, str) or not case_id:
            raise InputError("case_id", f"expected a non-empty text id, got {case_id!r}")
        ids.append(check_text(case_id, "case_id"))
    return ids


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``values`` in slices of ``size`` (SQL statements take a bounded number of parameters)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Filters(NamedTuple):
    """The filters of ``query``, checked: None where not given."""

    workflow: str | None
    state: str | None
    subject_id: str | None
    body_id: str | None
    opened_from: _dt.datetime | None
    opened_until: _dt.datetime | None
    ruleset: str | None


def _text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        value = value.name
    if not isinstance(value, str):
        raise InputError(name, f"expected text, got {type(value).__name__}")
    return check_text(value, name)


def filters(
    workflow: str | Workflow[Any, Any] | None,
    state: str | enum.Enum | None,
    subject_id: str | None,
    body_id: str | None,
    opened_from: _dt.datetime | None,
    opened_until: _dt.datetime | None,
    ruleset: str | None,
) -> Filters:
    """The filters of ``query`` checked, enum members and workflows by name."""
    return Filters(
        workflow.name if isinstance(workflow, Workflow) else _text(workflow, "workflow"),
        _text(state, "state"),
        _text(subject_id, "subject_id"),
        _text(body_id, "body_id"),
        None if opened_from is None else require_aware(opened_from, "opened_from"),
        None if opened_until is None else require_aware(opened_until, "opened_until"),
        _text(ruleset, "ruleset"),
    )
