"""Deadlines to and from ``deadlines`` rows: the due index's columns, the deadline's fields as
JSON, and its trace only when a load could not rebuild it.

A deadline's trace (its explanation data, about 1.4 KB of JSON) is rebuilt on load from its rule,
start, calendar, pauses and extensions (:meth:`~discipline_flow.time.Deadline.recompute`). It is
stored only when that would not give the same deadline back (recalculated with another rule or
calendar, stored by an earlier release whose explanations differ, ...) and when the deadline's
dates are estimated (the calendar has no official days off for its years yet, so a later calendar
may count them otherwise and the explanation would change).
"""

from __future__ import annotations

import datetime as _dt
import operator
from typing import Any

import attrs

from discipline_flow.case import Case
from discipline_flow.errors import DisciplineFlowError
from discipline_flow.serialization import deadline_from_dict, deadline_to_dict, trace_to_list
from discipline_flow.store._rows import check_text, dumps, json_object, loads
from discipline_flow.time import Deadline, DeadlineRule, TraceKind
from discipline_flow.workflow import Workflow

__all__ = [
    "DEADLINE_COLUMNS",
    "deadline_rows",
    "decode_deadline",
    "keeps_trace",
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
    "trace",
)
#: Trace items older versions stored at the end of a closed deadline's trace (explain() derives
#: the closing from ``met_at`` and ``cancelled_at`` now).
_CLOSINGS = (TraceKind.MET, TraceKind.CANCELLED)
#: The fields :meth:`~discipline_flow.time.Deadline.recompute` computes, read at once: what a
#: rebuilt deadline must agree on with the stored one (it keeps the start, the zone, the pauses,
#: the extensions and the closing as they are).
_COMPUTED = operator.attrgetter(
    "due_on", "due_at", "period", "citation", "is_estimated", "cap_on", "due_soon_at", "cap_at"
)


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


def _recomputed(
    deadline: Deadline, rule: DeadlineRule | None, workflow: Workflow[Any, Any]
) -> Deadline | None:
    """``deadline`` recomputed from its ``rule`` and the workflow's calendar, trace included;
    None when its rule is gone or the calendar cannot count it."""
    if rule is None:
        return None
    try:
        return deadline.recompute(rule=rule, calendar=workflow.get_calendar())
    except DisciplineFlowError:
        return None


def keeps_trace(
    deadline: Deadline, rule: DeadlineRule | None, workflow: Workflow[Any, Any]
) -> bool:
    """Whether the deadline's trace must be stored: a load would not rebuild it as it is
    (``rule``: the workflow's rule of that name).

    ``recompute`` reads a deadline's fields, never its trace, so the deadline itself stands for
    the trace-less one a load reads."""
    if deadline.is_estimated:
        return True
    return _recomputed(deadline, rule, workflow) != deadline


def deadline_rows(
    case: Case[Any, Any], ts: Any, *, every_trace: bool = False
) -> list[tuple[Any, ...]]:
    """The ``deadlines`` rows of every deadline of the case, by position; with ``every_trace``
    each keeps its trace (the memory store checks its text without rebuilding anything)."""
    wf = case.workflow
    rows: list[tuple[Any, ...]] = []
    for seq, deadline in enumerate(case.deadlines):
        name = deadline.rule
        rule = rule_named(wf, name)
        on_miss = rule.on_miss if rule is not None else None
        where = f"case {case.id} deadline {name}"
        overdue = overdue_from(deadline)
        trace = None
        if every_trace or keeps_trace(deadline, rule, wf):
            trace = dumps(trace_to_list(deadline.trace), f"{where} trace")
        data = deadline_to_dict(deadline, trace=False)
        rows.append(
            (
                case.id,
                seq,
                check_text(name, where),
                data["started_at"],  # its ISO text
                None if overdue is None else ts(overdue),
                "open"
                if deadline.is_open
                else "met"
                if deadline.met_at is not None
                else "cancelled",
                None if on_miss is None else on_miss.name,
                dumps(data, where),
                trace,
            )
        )
    return rows


def decode_deadline(data: Any, trace: Any, workflow: Workflow[Any, Any], where: str) -> Deadline:
    """The deadline a ``deadlines`` row stores as ``data`` and ``trace`` (JSON texts).

    Without a stored trace the deadline is recomputed: when its dates agree with the stored
    ones, the recomputed deadline (trace included) is the one loaded. When they do not (the
    calendar or the rule changed since the save), the stored dates stand and the trace is the
    recomputed one: :meth:`~discipline_flow.store.CaseStore.recalculate` moves the open ones.
    """
    values = json_object(data, where)
    if trace is not None:
        values["trace"] = loads(trace, f"{where}.trace")
        stored = deadline_from_dict(values, where)
        kept = stored.trace
        if kept and kept[-1].kind in _CLOSINGS:  # stored before the closing left the trace
            stored = attrs.evolve(stored, trace=tuple(i for i in kept if i.kind not in _CLOSINGS))
        return stored
    stored = deadline_from_dict(values, where)
    rebuilt = _recomputed(stored, rule_named(workflow, stored.rule), workflow)
    if rebuilt is None:
        return stored
    if _COMPUTED(rebuilt) == _COMPUTED(stored):
        return rebuilt
    return attrs.evolve(stored, trace=rebuilt.trace)
