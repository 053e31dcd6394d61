"""The sweep's attempts in the SQL stores: the ``sweep_attempts`` table (schema version 4), the
due rows read with them, the stuck deadlines listed and re-armed.

A fire that failed is recorded in ``sweep_attempts``, never in the case's own rows: one row per
deadline (``case_id``, ``seq``) with the due instant it was made for, the attempts so far, the
last attempt's instant and detail, and either the instant of the next try (``retry_at``) or the
instant the sweep gave up (``failed_at``). An attempt counts only while its deadline is due at
that same instant: a deadline that moved (recalculated, extended, restarted) is a new miss, as
its cleared ``fired_at`` says for a fire or a refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from discipline_flow.store._dialect import Dialect, Migration, Tx
from discipline_flow.store._protocol import SweepOutcome
from discipline_flow.store._retry import StuckDeadline, StuckKind
from discipline_flow.store._work import Mark

__all__ = ["DUE", "DUE_COLUMNS", "JOIN", "forget", "mark", "migration", "stuck"]

#: The due rows' columns, with the attempts a sweep made at each (NULL: none).
DUE_COLUMNS = 'd."case_id", d."seq", d."rule", d."due_at", d."on_miss", a."attempts"'
#: The sweep's attempts at a deadline count while it is due at the instant they were made for.
JOIN = (
    ' LEFT JOIN sweep_attempts a ON a."case_id" = d."case_id" AND a."seq" = d."seq" '
    'AND a."due_at" = d."due_at"'
)
#: Open, overdue at the first ``?``, not handled, neither failed nor waiting for its next try
#: at the second ``?``.
DUE = (
    'd."status" = \'open\' AND d."due_at" <= ? AND d."fired_at" IS NULL '
    'AND (a."case_id" IS NULL OR (a."failed_at" IS NULL AND a."retry_at" <= ?))'
)

_REFUSED = (
    'SELECT d."case_id", d."seq", d."rule", d."due_at", d."on_miss", d."sweep_detail", '
    'd."fired_at" FROM deadlines d WHERE d."sweep_outcome" = \'refused\' '
    'AND d."status" = \'open\' AND d."fired_at" IS NOT NULL AND d."on_miss" IS NOT NULL'
)
_ATTEMPTED = (
    'SELECT d."case_id", d."seq", d."rule", d."due_at", d."on_miss", a."detail", a."last_at", '
    'a."attempts", a."retry_at", a."failed_at" FROM sweep_attempts a JOIN deadlines d '
    'ON d."case_id" = a."case_id" AND d."seq" = a."seq" AND d."due_at" = a."due_at" '
    'WHERE d."status" = \'open\' AND d."fired_at" IS NULL AND d."on_miss" IS NOT NULL'
)
_RECORD = (
    'INSERT INTO sweep_attempts ("case_id", "seq", "due_at", "attempts", "last_at", '
    '"retry_at", "failed_at", "detail") VALUES (?, ?, ?, ?, ?, ?, ?, ?) '
    'ON CONFLICT ("case_id", "seq") DO UPDATE SET "due_at" = excluded."due_at", '
    '"attempts" = excluded."attempts", "last_at" = excluded."last_at", '
    '"retry_at" = excluded."retry_at", "failed_at" = excluded."failed_at", '
    '"detail" = excluded."detail"'
)
_FORGET = 'DELETE FROM sweep_attempts WHERE "case_id" = ? AND "seq" = ?'
_REARM = (
    'UPDATE deadlines SET "fired_at" = NULL, "sweep_outcome" = NULL, "sweep_detail" = NULL '
    'WHERE "case_id" = ? AND "seq" = ?'
)
_FAILURES = (SweepOutcome.RETRYING, SweepOutcome.FAILED)

#: What release 0.1 marked ``refused`` when a fire failed: the case could not be loaded, or an
#: action raised (:class:`~discipline_flow.errors.ActionFailedError`'s message). A guard's
#: refusal reads ``case C cannot T while S: ...``, never like these.
_DROPPED = (
    '"sweep_outcome" = \'refused\' AND "fired_at" IS NOT NULL AND "due_at" IS NOT NULL '
    'AND ("sweep_detail" LIKE ? OR "sweep_detail" LIKE ?)'
)
_DROPPED_DETAILS = ("cannot load: %", "case %: action % of % failed (%); the case is unchanged")


def migration(instant: str) -> tuple[Migration, ...]:
    """The steps to schema version 4, instants stored as the SQL type ``instant``.

    Fires an earlier release marked ``refused`` although they had failed (see ``_DROPPED``)
    become ``failed`` sweeps, listed by ``discipline-flow sweep --failed`` and re-armed by the
    operator: none fires on its own after the upgrade.
    """
    return (
        f"""CREATE TABLE sweep_attempts (
            "case_id" TEXT NOT NULL,
            "seq" INTEGER NOT NULL,
            "due_at" {instant} NOT NULL,
            "attempts" INTEGER NOT NULL CHECK ("attempts" >= 1),
            "last_at" {instant} NOT NULL,
            "retry_at" {instant},
            "failed_at" {instant},
            "detail" TEXT,
            PRIMARY KEY ("case_id", "seq")
        )""",
        # The refusals an operator lists and re-arms, without reading every deadline.
        (
            'CREATE INDEX deadlines_refused ON deadlines ("case_id", "seq") '
            "WHERE \"sweep_outcome\" = 'refused'"
        ),
        _keep_dropped_fires,
    )


def _keep_dropped_fires(tx: Tx, dialect: Dialect) -> None:
    """Turn the fires an earlier release marked ``refused`` although they had failed into
    ``failed`` attempts, their deadline rows cleared."""
    tx.run(
        dialect.sql(
            'INSERT INTO sweep_attempts ("case_id", "seq", "due_at", "attempts", "last_at", '
            '"failed_at", "detail") SELECT "case_id", "seq", "due_at", 1, "fired_at", '
            f'"fired_at", "sweep_detail" FROM deadlines WHERE {_DROPPED}'
        ),
        _DROPPED_DETAILS,
    )
    tx.run(
        dialect.sql(
            'UPDATE deadlines SET "fired_at" = NULL, "sweep_outcome" = NULL, '
            f'"sweep_detail" = NULL WHERE {_DROPPED}'
        ),
        _DROPPED_DETAILS,
    )


def mark(tx: Tx, dialect: Dialect, final: str, marks: Sequence[Mark]) -> None:
    """Record ``marks``: fires and refusals on the deadline rows with ``final`` (the store's
    statement), their attempts forgotten; failures in ``sweep_attempts``."""
    ts = dialect.ts
    done = [m for m in marks if m.outcome not in _FAILURES]
    if done:
        tx.many(final, [(ts(m.at), m.outcome.value, m.detail, m.case_id, m.seq) for m in done])
    tried = [(m.case_id, m.seq) for m in done if m.attempts]
    if tried:
        tx.many(dialect.sql(_FORGET), tried)
    failed = [
        (
            m.case_id,
            m.seq,
            ts(m.due_at),
            m.attempts,
            ts(m.at),
            None if m.retry_at is None else ts(m.retry_at),
            ts(m.at) if m.outcome is SweepOutcome.FAILED else None,
            m.detail,
        )
        for m in marks
        if m.outcome in _FAILURES
    ]
    if failed:
        tx.many(dialect.sql(_RECORD), failed)


def stuck(
    tx: Tx, dialect: Dialect, case_id: str | None, rule: str | None, limit: int | None
) -> list[StuckDeadline]:
    """The stuck deadlines (of ``case_id`` and ``rule`` when given), earliest due first."""
    local = dialect.local_ts
    where = ""
    params: list[Any] = []
    for column, value in (("case_id", case_id), ("rule", rule)):
        if value is not None:
            where += f' AND d."{column}" = ?'
            params.append(value)
    tail = ' ORDER BY d."due_at", d."case_id", d."seq"'
    if limit is not None:
        tail += " LIMIT ?"
        params.append(limit)
    found = [
        StuckDeadline(c, seq, name, local(due), on_miss, StuckKind.REFUSED, detail, local(at))
        for c, seq, name, due, on_miss, detail, at in tx.rows(
            dialect.sql(_REFUSED + where + tail), params
        )
    ]
    for row in tx.rows(dialect.sql(_ATTEMPTED + where + tail), params):
        c, seq, name, due, on_miss, detail, at, attempts, retry_at, failed_at = row
        kind = StuckKind.RETRYING if failed_at is None else StuckKind.FAILED
        again = local(retry_at) if kind is StuckKind.RETRYING and retry_at is not None else None
        found.append(
            StuckDeadline(
                c, seq, name, local(due), on_miss, kind, detail, local(at), attempts, again
            )
        )
    found.sort(key=lambda s: (s.due_at, s.case_id, s.seq))
    return found if limit is None else found[:limit]


def forget(tx: Tx, dialect: Dialect, stuck: Sequence[StuckDeadline]) -> None:
    """Clear the refusals and attempts of ``stuck``: the next sweep tries them again."""
    refused = [(s.case_id, s.seq) for s in stuck if s.kind is StuckKind.REFUSED]
    if refused:
        tx.many(dialect.sql(_REARM), refused)
    tried = [(s.case_id, s.seq) for s in stuck if s.kind is not StuckKind.REFUSED]
    if tried:
        tx.many(dialect.sql(_FORGET), tried)
