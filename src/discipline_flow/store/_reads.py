"""What the SQL store reads: cases rebuilt from their rows, and what it reads straight from its
tables without rebuilding cases (summaries, ids, matters, the due index, digests)."""

from __future__ import annotations

import datetime as _dt
import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from discipline_flow.case import Case
from discipline_flow.errors import CaseNotFoundError, MalformedDataError
from discipline_flow.measure import Measure
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store._args import Filters, chunks
from discipline_flow.store._dialect import Dialect, Tx, quoted
from discipline_flow.store._digest import CaseDigest, DeadlineDigest, Move, measure_named
from discipline_flow.store._history import CaseRow, assemble_case
from discipline_flow.store._protocol import CaseSummary, DueDeadline
from discipline_flow.store._rows import (
    instant_from_text,
    json_object,
    subject_from_text,
)
from discipline_flow.store._steps import STEP_COLUMNS, Bodies
from discipline_flow.workflow import Workflow

__all__ = ["digests", "due", "ids", "linked", "load_cases", "summaries"]

_FIRST = operator.itemgetter(0)
_SUMMARY_COLUMNS = (
    '"id", "workflow", "workflow_version", "subject_kind", "subject_id", "state", "version", '
    '"opened_at", "last_at", "ruleset", "origin_case_id"'
)


def _summary(dialect: Dialect, row: Sequence[Any]) -> CaseSummary:
    case_id, workflow, version, kind, subject, state, steps, opened, last, ruleset, origin = row
    local = dialect.local_ts
    return CaseSummary(
        case_id,
        workflow,
        version,
        kind,
        subject,
        state,
        steps,
        local(opened),
        local(last),
        ruleset,
        origin,
    )


def _select(
    tx: Tx, dialect: Dialect, columns: str, where: Filters, limit: int | None
) -> list[tuple[Any, ...]]:
    """The ``columns`` of the cases meeting every filter of ``where``, oldest first, at most
    ``limit``."""
    conditions: list[str] = []
    params: list[Any] = []
    for condition, value in (
        ('"workflow" = ?', where.workflow),
        ('"state" = ?', where.state),
        ('"subject_id" = ?', where.subject_id),
        ('"id" IN (SELECT "case_id" FROM steps WHERE "actor_id" = ?)', where.body_id),
        ('"opened_at" >= ?', where.opened_from),
        ('"opened_at" < ?', where.opened_until),
        ('"ruleset" = ?', where.ruleset),
    ):
        if value is not None:
            conditions.append(condition)
            params.append(dialect.ts(value) if isinstance(value, _dt.datetime) else value)
    sql = f"SELECT {columns} FROM cases"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += ' ORDER BY "opened_at", "id"'
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return tx.rows(dialect.sql(sql), params)


def load_cases(
    tx: Tx, dialect: Dialect, registry: WorkflowRegistry, ids: Sequence[str]
) -> dict[str, Case[Any, Any]]:
    """The cases ``ids`` names, rebuilt from their rows and verified, by id."""
    found: dict[str, Case[Any, Any]] = {}
    bodies: Bodies = {}
    for chunk in chunks(ids):
        clause, params = dialect.in_('"id"', chunk)
        sql = dialect.sql(f"SELECT {quoted(CaseRow._fields)} FROM cases WHERE {clause}")
        by_id = {r[0]: CaseRow._make(r) for r in tx.rows(sql, params)}
        missing = next((i for i in chunk if i not in by_id), None)
        if missing is not None:
            raise CaseNotFoundError(f"no case {missing!r} is stored")
        clause, params = dialect.in_('"case_id"', chunk)
        sql = dialect.sql(
            f'SELECT {quoted(STEP_COLUMNS)} FROM steps WHERE {clause} ORDER BY "case_id", "idx"'
        )
        step_rows = tx.rows(sql, params)
        sql = dialect.sql(
            f'SELECT "case_id", "data", "trace" FROM deadlines WHERE {clause} '
            'ORDER BY "case_id", "seq"'
        )
        deadlines = {k: list(g) for k, g in itertools.groupby(tx.rows(sql, params), _FIRST)}
        # The steps of each case in the order the query gives them (by case id), read as they
        # come: one pass over the rows.
        for case_id, steps in itertools.groupby(step_rows, _FIRST):
            found[case_id] = _assemble(registry, by_id[case_id], steps, deadlines, bodies)
        for case_id in chunk:
            if case_id not in found:  # stored without any step: refused
                _assemble(registry, by_id[case_id], (), deadlines, bodies)
    return found


def _assemble(
    registry: WorkflowRegistry,
    row: CaseRow,
    steps: Iterable[Sequence[Any]],
    deadlines: Mapping[str, Sequence[Sequence[Any]]],
    bodies: Bodies,
) -> Case[Any, Any]:
    wf = registry.get(row.workflow, row.workflow_version)
    return assemble_case(wf, row, steps, deadlines.get(row.id, ()), bodies)


def summaries(tx: Tx, dialect: Dialect, where: Filters, limit: int | None) -> list[CaseSummary]:
    """Summaries of the cases meeting every filter, oldest first."""
    return [_summary(dialect, r) for r in _select(tx, dialect, _SUMMARY_COLUMNS, where, limit)]


def ids(tx: Tx, dialect: Dialect, where: Filters, limit: int | None) -> list[str]:
    """The ids of the cases :func:`summaries` would give, in the same order."""
    return [r[0] for r in _select(tx, dialect, '"id"', where, limit)]


def linked(tx: Tx, dialect: Dialect, case_id: str) -> list[CaseSummary]:
    """The matter of ``case_id``: its root, then the descendants level by level."""
    base = f"SELECT {_SUMMARY_COLUMNS} FROM cases"
    by_id = dialect.sql(f'{base} WHERE "id" = ?')
    rows = tx.rows(by_id, [case_id])
    if not rows:
        raise CaseNotFoundError(f"no case {case_id!r} is stored")
    root = rows[0]
    seen = {root[0]}
    while root[10] is not None and root[10] not in seen:
        parent = tx.rows(by_id, [root[10]])
        if not parent:
            break
        root = parent[0]
        seen.add(root[0])
    result = [root]
    level = [root[0]]
    done = {root[0]}
    while level:
        children: list[tuple[Any, ...]] = []
        for chunk in chunks(level):
            clause, params = dialect.in_('"origin_case_id"', chunk)
            sql = dialect.sql(f'{base} WHERE {clause} ORDER BY "opened_at", "id"')
            children.extend(r for r in tx.rows(sql, params) if r[0] not in done)
        done.update(r[0] for r in children)
        result.extend(children)
        level = [r[0] for r in children]
    return [_summary(dialect, r) for r in result]


def due(tx: Tx, dialect: Dialect, now: _dt.datetime, limit: int | None) -> list[DueDeadline]:
    """Open deadlines overdue at ``now``, earliest first, read through the due index."""
    sql = (
        'SELECT "case_id", "seq", "rule", "due_at", "on_miss", "fired_at" FROM deadlines '
        'WHERE "status" = \'open\' AND "due_at" <= ? ORDER BY "due_at", "case_id", "seq"'
    )
    params: list[Any] = [dialect.ts(now)]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    local = dialect.local_ts
    return [
        DueDeadline(c, seq, rule, local(due_at), on_miss, None if fired is None else local(fired))
        for c, seq, rule, due_at, on_miss, fired in tx.rows(dialect.sql(sql), params)
    ]


def digests(
    tx: Tx,
    dialect: Dialect,
    registry: WorkflowRegistry,
    chunk: Sequence[str],
    *,
    moves: bool = False,
) -> dict[str, CaseDigest]:
    """The digests of the cases ``chunk`` names, by id (with their moves when ``moves``)."""
    clause, params = dialect.in_('"id"', chunk)
    rows = tx.rows(
        dialect.sql(
            'SELECT "id", "workflow", "workflow_version", "state", "version", "opened_at", '
            f'"last_at", "origin_case_id", "subject" FROM cases WHERE {clause}'
        ),
        params,
    )
    if len(rows) < len(set(chunk)):
        known = {r[0] for r in rows}
        missing = next(i for i in chunk if i not in known)
        raise CaseNotFoundError(f"no case {missing!r} is stored")
    moved = _moves(tx, dialect, chunk) if moves else None
    measures = _measures(tx, dialect, chunk) if moved is None else _last_measures(moved)
    deadlines = _deadline_digests(tx, dialect, chunk)
    # Each workflow met in the chunk, with its states by name (enum __members__ builds a new
    # mapping on every read).
    workflows: dict[tuple[str, str], tuple[Workflow[Any, Any], Mapping[str, Any]]] = {}
    local = dialect.local_ts
    found: dict[str, CaseDigest] = {}
    for case_id, name, version, state, steps, opened, last, origin, subject in rows:
        entry = workflows.get((name, version))
        if entry is None:
            wf = registry.get(name, version)
            entry = workflows[(name, version)] = (wf, wf.states.__members__)
        wf, states = entry
        member = states.get(state) if isinstance(state, str) else None
        if member is None:
            raise MalformedDataError(
                f"case {case_id} state", f"{state!r} is not a state of {wf.key}"
            )
        found[case_id] = CaseDigest(
            case_id,
            wf,
            member,
            steps,
            subject_from_text(subject, f"case {case_id} subject"),
            local(opened),
            local(last),
            origin,
            measures.get(case_id),
            tuple(deadlines.get(case_id, ())),
            None if moved is None else moved.get(case_id, ()),
        )
    return found


def _moves(tx: Tx, dialect: Dialect, chunk: Sequence[str]) -> dict[str, tuple[Move, ...]]:
    """The moves of each case, in order: the step columns a report reads, and the payloads
    whose text mentions ``measure`` (no other payload is decoded)."""
    clause, params = dialect.in_('"case_id"', chunk)
    payload = dialect.json_as_text('"payload"')
    sql = dialect.sql(
        'SELECT "case_id", "idx", "trigger", "target", "at", "actor_kind", "actor_level", '
        f"CASE WHEN {payload} LIKE ? THEN {payload} END FROM steps WHERE {clause} "
        'ORDER BY "case_id", "idx"'
    )
    found: dict[str, tuple[Move, ...]] = {}
    parse = _dt.datetime.fromisoformat
    make = tuple.__new__  # a Move without its Python-level __new__: run once per step
    for case_id, rows in itertools.groupby(tx.rows(sql, ["%measure%", *params]), _FIRST):
        moves = []
        for _, idx, trigger, target, when, kind, level, text in rows:
            try:
                instant = parse(when)
            except (TypeError, ValueError):
                instant = None
            if instant is None or instant.tzinfo is None:
                # Not an aware ISO instant: read it again to raise the error naming the step.
                instant = instant_from_text(when, f"case {case_id} step {idx}.at")
            measure = None
            if text is not None:
                data = json_object(text, f"case {case_id} step {idx}.payload")
                measure = measure_named(data.get("measure"))
            moves.append(make(Move, (trigger, target, instant, kind, level, measure)))
        found[case_id] = tuple(moves)
    return found


def _last_measures(moves: Mapping[str, tuple[Move, ...]]) -> dict[str, Measure | None]:
    """The measure the latest move naming one names, per case (as :func:`_measures` reads it)."""
    found: dict[str, Measure | None] = {}
    for case_id, steps in moves.items():
        found[case_id] = next((m.measure for m in reversed(steps) if m.measure is not None), None)
    return found


def _measures(tx: Tx, dialect: Dialect, chunk: Sequence[str]) -> dict[str, Measure | None]:
    """The measure each case's latest payload naming one names. Only payloads whose text
    mentions the key are read."""
    clause, params = dialect.in_('"case_id"', chunk)
    payload = dialect.json_as_text('"payload"')
    sql = dialect.sql(
        f'SELECT "case_id", "idx", "payload" FROM steps WHERE {clause} AND '
        f'{payload} LIKE ? ORDER BY "case_id", "idx" DESC'
    )
    measures: dict[str, Measure | None] = {}
    for case_id, idx, text in tx.rows(sql, [*params, "%measure%"]):
        if measures.get(case_id) is None:
            data = json_object(text, f"case {case_id} step {idx}.payload")
            measures[case_id] = measure_named(data.get("measure"))
    return measures


def _deadline_digests(
    tx: Tx, dialect: Dialect, chunk: Sequence[str]
) -> dict[str, list[DeadlineDigest]]:
    """The deadline digests of each case, in order: three instants read from the JSON."""
    clause, params = dialect.in_('"case_id"', chunk)
    fields = dialect.json_fields('"data"', ("due_at", "met_at", "cancelled_at"))
    sql = dialect.sql(
        f'SELECT "case_id", "seq", "rule", "due_at", {fields} FROM deadlines '
        f'WHERE {clause} ORDER BY "case_id", "seq"'
    )
    deadlines: dict[str, list[DeadlineDigest]] = {}
    local = dialect.local_ts
    for case_id, seq, rule, overdue, valid, due_at, met, cancelled in tx.rows(sql, params):
        where = f"case {case_id} deadline {seq}"
        if not valid:
            raise MalformedDataError(where, "invalid JSON")
        deadlines.setdefault(case_id, []).append(
            DeadlineDigest(
                rule,
                instant_from_text(due_at, f"{where}.due_at"),
                None if overdue is None else local(overdue),
                None if met is None else instant_from_text(met, f"{where}.met_at"),
                None
                if cancelled is None
                else instant_from_text(cancelled, f"{where}.cancelled_at"),
            )
        )
    return deadlines
