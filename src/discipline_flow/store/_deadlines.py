"""Deadlines to and from ``deadlines`` rows: the due index's columns and the deadline as the JSON
of its :func:`~discipline_flow.serialization.deadline_to_dict` form."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs

from discipline_flow.case import Case
from discipline_flow.serialization import deadline_from_dict, deadline_to_dict
from discipline_flow.store._rows import check_text, dumps, json_object
from discipline_flow.time import Deadline, DeadlineRule, TraceKind
from discipline_flow.workflow import Workflow

__all__ = [
    "DEADLINE_COLUMNS",
    "deadline_rows",
    "decode_deadline",
    "overdue_from",
    "rule_named",
]

DEADLINE_COLUMNS = (
    "case_id",
    "seq",
    "rule",
    "started_at",
    "due_at",
    "status",
    "on_miss",
    "data",
)
#: Trace items older versions stored at the end of a closed deadline's trace (explain() derives
#: the closing from ``met_at`` and ``cancelled_at`` now).
_CLOSINGS = (TraceKind.MET, TraceKind.CANCELLED)


def overdue_from(deadline: Deadline) -> _dt.datetime | None:
    """The instant from which an open deadline is overdue: its end, or its cap while paused.

    A paused deadline without a cap is never overdue until resumed (None).
    """
    if deadline.is_paused:
        return deadline.cap_at
    return deadline.due_at


def rule_named(workflow: Workflow[Any, Any], name: str) -> DeadlineRule | None:
    """The workflow's deadline rule called ``name``, or None."""
    for rule in workflow.deadline_rules:
        if rule.name == name:
            return rule
    return None


def deadline_rows(case: Case[Any, Any], ts: Any) -> list[tuple[Any, ...]]:
    """The ``deadlines`` rows of every deadline of the case, by position."""
    wf = case.workflow
    rows: list[tuple[Any, ...]] = []
    for seq, deadline in enumerate(case.deadlines):
        name = deadline.rule
        rule = rule_named(wf, name)
        on_miss = rule.on_miss if rule is not None else None
        where = f"case {case.id} deadline {name}"
        overdue = overdue_from(deadline)
        rows.append(
            (
                case.id,
                seq,
                check_text(name, where),
                deadline.started_at.isoformat(),
                None if overdue is None else ts(overdue),
                "open"
                if deadline.is_open
                else "met"
                if deadline.met_at is not None
                else "cancelled",
                None if on_miss is None else on_miss.name,
                dumps(deadline_to_dict(deadline), where),
            )
        )
    return rows


def decode_deadline(data: Any, where: str) -> Deadline:
    """The deadline a ``deadlines`` row stores as ``data`` (JSON text)."""
    stored = deadline_from_dict(json_object(data, where), where)
    kept = stored.trace
    if kept and kept[-1].kind in _CLOSINGS:  # stored before the closing left the trace
        stored = attrs.evolve(stored, trace=tuple(i for i in kept if i.kind not in _CLOSINGS))
    return stored
