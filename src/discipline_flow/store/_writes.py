"""Saving cases in a SQL store: rows built before the write lock is taken, then written in one
transaction that checks every case's stored version first (optimistic concurrency)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from discipline_flow.case import Case
from discipline_flow.errors import ConcurrencyConflict
from discipline_flow.store._args import chunks, conflict_message
from discipline_flow.store._deadlines import DEADLINE_COLUMNS, deadline_rows
from discipline_flow.store._dialect import Dialect, Tx, quoted
from discipline_flow.store._rows import CASE_COLUMNS, case_row
from discipline_flow.store._steps import STEP_COLUMNS, step_rows

__all__ = ["Batch", "Statements", "encode_batch", "stored_heads", "write_batch"]


def _marks(columns: Sequence[str]) -> str:
    return ", ".join("?" for _ in columns)


class Statements(NamedTuple):
    """The statements a save runs, in the dialect's placeholder style."""

    insert_case: str
    update_case: str
    insert_steps: str
    upsert_deadlines: str
    mark: str

    @classmethod
    def of(cls, dialect: Dialect) -> Statements:
        """The statements of ``dialect``."""
        sql = dialect.sql
        return cls(
            sql(
                f"INSERT INTO cases ({quoted(CASE_COLUMNS)}) VALUES ({_marks(CASE_COLUMNS)}) "
                "ON CONFLICT (id) DO NOTHING"
            ),
            sql(
                'UPDATE cases SET "state" = ?, "version" = ?, "last_at" = ?, "head_hash" = ? '
                'WHERE "id" = ? AND "version" = ? AND "head_hash" = ?'
            ),
            sql(f"INSERT INTO steps ({quoted(STEP_COLUMNS)}) VALUES ({_marks(STEP_COLUMNS)})"),
            # A deadline whose due instant moved is a new miss: its sweep mark is cleared.
            sql(
                f"INSERT INTO deadlines ({quoted(DEADLINE_COLUMNS)}) "
                f"VALUES ({_marks(DEADLINE_COLUMNS)}) "
                'ON CONFLICT ("case_id", "seq") DO UPDATE SET "rule" = excluded."rule", '
                '"started_at" = excluded."started_at", "status" = excluded."status", '
                '"on_miss" = excluded."on_miss", "data" = excluded."data", '
                '"trace" = excluded."trace", '
                '"fired_at" = CASE WHEN deadlines."due_at" IS NOT DISTINCT FROM '
                'excluded."due_at" THEN deadlines."fired_at" ELSE NULL END, '
                '"sweep_outcome" = CASE WHEN deadlines."due_at" IS NOT DISTINCT FROM '
                'excluded."due_at" THEN deadlines."sweep_outcome" ELSE NULL END, '
                '"due_at" = excluded."due_at"'
            ),
            sql(
                'UPDATE deadlines SET "fired_at" = ?, "sweep_outcome" = ?, "sweep_detail" = ? '
                'WHERE "case_id" = ? AND "seq" = ?'
            ),
        )


class Batch(NamedTuple):
    """The rows of one save: new case rows, version-checked updates (with their items), cases
    saved unchanged (their versions are checked), and the step and deadline rows."""

    items: Sequence[tuple[Case[Any, Any], int]]
    new_rows: list[tuple[Any, ...]]
    updates: list[tuple[Any, ...]]
    update_items: list[tuple[Case[Any, Any], int]]
    unchanged: list[tuple[Case[Any, Any], int]]
    step_rows: list[tuple[Any, ...]]
    deadline_rows: list[tuple[Any, ...]]


def encode_batch(dialect: Dialect, items: Sequence[tuple[Case[Any, Any], int]]) -> Batch:
    """The rows that saving ``items`` writes (text checked), built without the database."""
    ts = dialect.ts
    batch = Batch(items, [], [], [], [], [], [])
    for case, expected in items:
        steps = case.steps
        if expected == len(steps):
            batch.unchanged.append((case, expected))
            continue
        if expected == 0:
            batch.new_rows.append(case_row(case, ts))
        else:
            last = steps[-1]
            batch.updates.append(
                (
                    case.state.name,
                    len(steps),
                    ts(last.at),
                    last.hash,
                    case.id,
                    expected,
                    steps[expected - 1].hash,
                )
            )
            batch.update_items.append((case, expected))
        batch.step_rows.extend(step_rows(case, expected))
        if case.deadlines:
            batch.deadline_rows.extend(deadline_rows(case, ts))
    return batch


def write_batch(tx: Tx, dialect: Dialect, statements: Statements, batch: Batch) -> None:
    """Write an encoded batch in ``tx``, checking every case's stored version first."""
    if batch.new_rows:
        fresh = [c for c, v in batch.items if v == 0 and v != len(c.steps)]
        existing = stored_heads(tx, dialect, [c.id for c in fresh])
        for case in fresh:
            if case.id in existing:
                raise ConcurrencyConflict(conflict_message(case.id, 0, existing[case.id]))
        if tx.many(statements.insert_case, batch.new_rows) != len(batch.new_rows):
            ids = ", ".join(c.id for c in fresh)
            raise ConcurrencyConflict(
                f"cases {ids}: a case was saved concurrently by another writer; nothing was "
                f"written: load the cases again and retry"
            )
    if batch.updates and tx.many(statements.update_case, batch.updates) != len(batch.updates):
        _raise_conflict(tx, dialect, batch.update_items)
    if batch.unchanged:
        heads = stored_heads(tx, dialect, [c.id for c, _ in batch.unchanged])
        for case, expected in batch.unchanged:
            stored = heads.get(case.id)
            if stored != (expected, case.steps[-1].hash):
                raise ConcurrencyConflict(conflict_message(case.id, expected, stored))
    if batch.step_rows:
        tx.many(statements.insert_steps, batch.step_rows)
    if batch.deadline_rows:
        tx.many(statements.upsert_deadlines, batch.deadline_rows)


def stored_heads(tx: Tx, dialect: Dialect, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """The stored version and head hash of each of the cases ``ids`` that is stored."""
    heads: dict[str, tuple[int, str]] = {}
    for chunk in chunks(ids):
        clause, params = dialect.in_('"id"', chunk)
        sql = dialect.sql(f'SELECT "id", "version", "head_hash" FROM cases WHERE {clause}')
        for case_id, version, head in tx.rows(sql, params):
            heads[case_id] = (version, head)
    return heads


def _raise_conflict(tx: Tx, dialect: Dialect, items: Sequence[tuple[Case[Any, Any], int]]) -> None:
    """Raise the conflict of the first item whose stored head is not what the save left.

    Called after a statement changed fewer rows than expected, inside the transaction that is
    about to be rolled back: rows this batch wrote show the head the save gave them.
    """
    heads = stored_heads(tx, dialect, [c.id for c, _ in items])
    for case, expected in items:
        stored = heads.get(case.id)
        written = (len(case.steps), case.steps[-1].hash)
        before = (expected, case.steps[expected - 1].hash) if expected else None
        if stored == written and expected != len(case.steps):
            continue
        if stored == before and stored is not None:
            continue
        raise ConcurrencyConflict(conflict_message(case.id, expected, stored))
    ids = ", ".join(c.id for c, _ in items)
    raise ConcurrencyConflict(
        f"cases {ids}: saved concurrently by another writer; nothing was written: load the "
        f"cases again and retry"
    )
