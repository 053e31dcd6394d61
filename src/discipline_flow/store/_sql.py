"""The SQL store: saving with version checks, loading with verification, sweeps, recalculation.

One class for every SQL database; what differs between SQLite and PostgreSQL (connections,
transactions, claims, column types, errors) is its :class:`~discipline_flow.store._dialect.Dialect`.
Queries that read tables without rebuilding cases are in :mod:`~discipline_flow.store._reads`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from discipline_flow.case import Case, Step
from discipline_flow.clock import require_aware
from discipline_flow.errors import (
    CaseNotFoundError,
    DisciplineFlowError,
    StoreError,
    TamperedHistoryError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import _attempts, _reads
from discipline_flow.store._args import (
    CHUNK,
    check_ids,
    check_limit,
    check_pairs,
    check_save,
    chunks,
    filters,
)
from discipline_flow.store._dialect import Dialect, Tx, quoted
from discipline_flow.store._digest import CaseDigest
from discipline_flow.store._history import verify_chain_only
from discipline_flow.store._protocol import (
    CaseSummary,
    DueDeadline,
    RecalculationReport,
    SweepReport,
    VerificationReport,
)
from discipline_flow.store._retry import RetryPolicy, StuckDeadline
from discipline_flow.store._steps import STEP_COLUMNS
from discipline_flow.store._verify import check_chunk
from discipline_flow.store._work import (
    DueRow,
    Mark,
    Unit,
    rearm,
    recalculate,
    stuck_deadlines,
    sweep,
)
from discipline_flow.store._writes import Statements, encode_batch, stored_heads, write_batch
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.time import Calendar

__all__ = ["SqlStore"]


class SqlStore:
    """Cases in a SQL database; ``dialect`` is the database and how its SQL differs."""

    def __init__(self, dialect: Dialect, registry: WorkflowRegistry) -> None:
        self._dialect = dialect
        self._registry = registry
        self._closed = False
        self._statements = Statements.of(dialect)
        with self._errors():
            try:
                dialect.open()
            except BaseException:
                dialect.close()
                raise

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"{self!r} is closed")
        try:
            yield
        except DisciplineFlowError:
            raise
        except Exception as exc:
            err = self._dialect.translate(exc)
            if err is None:
                raise
            raise err from exc

    # ------------------------------------------------------------------ lifecycle

    @property
    def registry(self) -> WorkflowRegistry:
        """The workflows this store rebuilds cases with."""
        return self._registry

    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""
        if not self._closed:
            self._closed = True
            self._dialect.close()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ saving

    def save(self, case: Case[Any, Any], *, expected_version: int) -> int:
        """Append the case's steps after ``expected_version``; return the stored version.

        Raises :class:`~discipline_flow.errors.ConcurrencyConflict` (and writes nothing) when
        the stored version is not ``expected_version``.
        """
        item = check_save(self._registry, case, expected_version)
        self._save([item])
        return len(item[0].steps)

    def save_many(self, cases: Iterable[tuple[Case[Any, Any], int]]) -> int:
        """Save ``(case, expected_version)`` pairs in one transaction: all or nothing.

        Returns the number of cases saved. A conflict on any case raises
        :class:`~discipline_flow.errors.ConcurrencyConflict` naming it, and nothing is written.
        """
        items = check_pairs(self._registry, cases)
        if items:
            self._save(items)
        return len(items)

    def _save(self, items: Sequence[tuple[Case[Any, Any], int]]) -> None:
        # The rows are built before the write lock is taken: other writers wait only for the
        # statements, not for the encoding.
        with self._errors():
            batch = encode_batch(self._dialect, items)
        with self._errors(), self._dialect.write() as tx:
            write_batch(tx, self._dialect, self._statements, batch)

    # ------------------------------------------------------------------ loading

    def load(self, case_id: str) -> Case[Any, Any]:
        """The case ``case_id``, its hash chain, recorded version and head verified.

        Raises :class:`~discipline_flow.errors.CaseNotFoundError` for an unknown id and
        :class:`~discipline_flow.errors.TamperedHistoryError` naming the first bad step.
        """
        return self.load_many([case_id])[0]

    def load_many(self, case_ids: Sequence[str]) -> list[Case[Any, Any]]:
        """Several cases in the order asked, each verified like :meth:`load`."""
        ids = check_ids(case_ids)
        with self._errors(), self._dialect.read() as tx:
            found = _reads.load_cases(tx, self._dialect, self._registry, ids)
        return [found[i] for i in ids]

    def digest_many(self, case_ids: Sequence[str], *, moves: bool = False) -> list[CaseDigest]:
        """Digests of several cases in the order asked, read in one snapshot straight from the
        tables: nothing is decoded but the subject, the payloads naming a measure and three
        instants of each deadline, and nothing is verified (see :class:`CaseDigest`). With
        ``moves``, each step's trigger, target, instant and actor columns are read too.

        Raises :class:`~discipline_flow.errors.CaseNotFoundError` for an unknown id.
        """
        ids = check_ids(case_ids)
        found: dict[str, CaseDigest] = {}
        with self._errors(), self._dialect.read() as tx:
            for chunk in chunks(ids):
                found.update(_reads.digests(tx, self._dialect, self._registry, chunk, moves=moves))
        return [found[i] for i in ids]

    def exists(self, case_id: str) -> bool:
        """Whether a case with that id is stored."""
        return bool(self._heads([case_id]))

    def version(self, case_id: str) -> int:
        """The stored version of ``case_id`` (its number of steps)."""
        heads = self._heads([case_id])
        if not heads:
            raise CaseNotFoundError(f"no case {case_id!r} is stored")
        return heads[case_id][0]

    def _heads(self, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        checked = check_ids(ids)
        with self._errors(), self._dialect.read() as tx:
            return stored_heads(tx, self._dialect, checked)

    def history(self, case_id: str) -> list[Step[Any, Any]]:
        """The verified steps of ``case_id``, oldest first."""
        return list(self.load(case_id).steps)

    def as_of(self, case_id: str, at: _dt.datetime) -> Case[Any, Any]:
        """The case as it stood at ``at``, replayed from its steps up to then."""
        at = require_aware(at, "at")
        return self.load(case_id).as_of(at)

    # ------------------------------------------------------------------ queries

    def query(
        self,
        *,
        workflow: str | Workflow[Any, Any] | None = None,
        state: str | enum.Enum | None = None,
        subject_id: str | None = None,
        body_id: str | None = None,
        opened_from: _dt.datetime | None = None,
        opened_until: _dt.datetime | None = None,
        ruleset: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """Summaries of the cases matching every filter given, oldest first.

        ``body_id`` matches cases in which that body acted in any step; ``opened_from`` is
        inclusive and ``opened_until`` exclusive.
        """
        where = filters(workflow, state, subject_id, body_id, opened_from, opened_until, ruleset)
        limit = check_limit(limit)
        with self._errors(), self._dialect.read() as tx:
            return _reads.summaries(tx, self._dialect, where, limit)

    def query_ids(
        self,
        *,
        workflow: str | Workflow[Any, Any] | None = None,
        state: str | enum.Enum | None = None,
        subject_id: str | None = None,
        body_id: str | None = None,
        opened_from: _dt.datetime | None = None,
        opened_until: _dt.datetime | None = None,
        ruleset: str | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """The ids of the cases :meth:`query` would summarise, in the same order, with the same
        checks; only the id column is read."""
        where = filters(workflow, state, subject_id, body_id, opened_from, opened_until, ruleset)
        limit = check_limit(limit)
        with self._errors(), self._dialect.read() as tx:
            return _reads.ids(tx, self._dialect, where, limit)

    def linked(self, case_id: str) -> list[CaseSummary]:
        """The whole matter ``case_id`` belongs to: the root case first, then its descendants
        level by level (children record their parent as ``case.origin``)."""
        (case_id,) = check_ids([case_id])
        with self._errors(), self._dialect.read() as tx:
            return _reads.linked(tx, self._dialect, case_id)

    def due(self, now: _dt.datetime, *, limit: int | None = None) -> list[DueDeadline]:
        """Open deadlines overdue at ``now`` (``due_at <= now``), earliest first.

        Read through a partial index on the due instant of open deadlines, so the cost grows
        with the number due, not with the number of cases.
        """
        now = require_aware(now, "now")
        limit = check_limit(limit)
        with self._errors(), self._dialect.read() as tx:
            return _reads.due(tx, self._dialect, now, limit)

    # ------------------------------------------------------------------ sweeps, recalculation

    def sweep(
        self,
        now: _dt.datetime,
        *,
        dry_run: bool = False,
        limit: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> SweepReport:
        """Fire the ``on_miss`` trigger of every open deadline overdue at ``now``, once.

        Each fire is saved in the same transaction that marks its deadline row as handled, so
        running the sweep twice, or on several workers at once, fires each trigger once. A fire
        the guards refuse is reported and marked ``refused``, not tried again. A fire that fails
        (the case cannot be loaded, an action raised, the store failed) is reported as
        ``retrying`` and tried again by later sweeps as ``retry`` says (default
        :class:`~discipline_flow.store.RetryPolicy`: 5 attempts, waits doubling from 5
        minutes), then ``failed``. A deadline without ``on_miss`` is reported as overdue and
        nothing is fired. ``dry_run`` reports what would be fired. Items come in the order
        handled: the fires first, then the overdue reports.
        """
        return sweep(self, now, dry_run=dry_run, limit=limit, retry=retry)

    def stuck_deadlines(self, *, limit: int | None = None) -> list[StuckDeadline]:
        """Open deadlines whose ``on_miss`` trigger sweeps refused, are retrying or gave up on,
        earliest due first (see :class:`~discipline_flow.store.StuckDeadline`)."""
        return stuck_deadlines(self, limit)

    def rearm(self, case_id: str, rule: str | None = None) -> list[StuckDeadline]:
        """Let the next sweep try the stuck deadlines of ``case_id`` (of ``rule`` only, when
        given) again, their refusal or attempts forgotten; return those re-armed (empty when
        none was stuck). Raises :class:`~discipline_flow.errors.CaseNotFoundError` for an
        unknown case."""
        return rearm(self, case_id, rule)

    def recalculate(
        self,
        at: _dt.datetime,
        *,
        reason: str,
        calendar: Calendar | None = None,
        dry_run: bool = True,
    ) -> RecalculationReport:
        """Recompute the open deadlines of every case that has one, after a calendar or rule
        change; report what moved and by how much.

        With ``dry_run`` (the default) nothing is written. Otherwise each case whose deadlines
        moved is saved with a ``RECALCULATE`` step recording ``reason`` and every change; a case
        changed concurrently is reported as a failure and left as it was.
        """
        return recalculate(self, at, reason=reason, calendar=calendar, dry_run=dry_run)

    @contextlib.contextmanager
    def unit(self, *, write: bool) -> Iterator[Unit]:
        """A transaction as a unit of work for sweeps and recalculations."""
        with self._errors(), self._dialect.write() if write else self._dialect.read() as tx:
            yield _SqlUnit(self, tx)

    def open_case_ids(self) -> list[str]:
        """The ids of the cases with an open deadline, in order."""
        with self._errors(), self._dialect.read() as tx:
            rows = tx.rows(
                'SELECT DISTINCT "case_id" FROM deadlines WHERE "status" = \'open\' '
                'ORDER BY "case_id"'
            )
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ verifying

    def verify_all(self) -> VerificationReport:
        """Check every stored case: hash chains, recorded versions and heads, states, moves,
        and the ``cases`` and ``deadlines`` rows against a replay of each history.

        Raises :class:`~discipline_flow.errors.TamperedHistoryError` (or
        :class:`~discipline_flow.errors.MalformedDataError`) at the first problem, naming the
        case and the step or field (with the stored and the replayed value). Cases of workflows
        missing from the registry get their chain checked (listed in ``chain_only``).
        """
        cases = 0
        steps = 0
        chain_only: list[str] = []
        after = ""
        sql = self._dialect.sql
        page = sql(
            'SELECT "id", "workflow", "workflow_version", "version", "head_hash" FROM cases '
            'WHERE "id" > ? ORDER BY "id" LIMIT ?'
        )
        history = sql(
            f'SELECT {quoted(STEP_COLUMNS)} FROM steps WHERE "case_id" = ? ORDER BY "idx"'
        )
        with self._errors():
            with self._dialect.read() as tx:
                orphans = tx.rows(
                    'SELECT DISTINCT s."case_id" FROM steps s LEFT JOIN cases c '
                    'ON c."id" = s."case_id" WHERE c."id" IS NULL'
                )
            if orphans:
                raise TamperedHistoryError(
                    f"case {orphans[0][0]}: steps are stored for a case that is not recorded"
                )
            while True:
                with self._dialect.read() as tx:
                    rows = tx.rows(page, [after, CHUNK])
                    if not rows:
                        break
                    after = rows[-1][0]
                    known = [r[0] for r in rows if (r[1], r[2]) in self._registry]
                    cases_ = _reads.load_cases(tx, self._dialect, self._registry, known)
                    check_chunk(tx, self._dialect, cases_)
                    steps += sum(c.version for c in cases_.values())
                    for case_id, name, version, count, head in rows:
                        if (name, version) in self._registry:
                            continue
                        step_rows_ = tx.rows(history, [case_id])
                        steps += verify_chain_only(case_id, step_rows_, count, head)
                        chain_only.append(case_id)
                    cases += len(rows)
        return VerificationReport(cases=cases, steps=steps, chain_only=tuple(chain_only))


class _SqlUnit:
    """A transaction of a SQL store, as the sweeps and recalculations use it."""

    __slots__ = ("_store", "_tx")

    def __init__(self, store: SqlStore, tx: Tx) -> None:
        self._store = store
        self._tx = tx

    def due_rows(
        self, now: _dt.datetime, after: DueRow | None, limit: int, *, fires: bool, claim: bool
    ) -> list[DueRow]:
        dialect = self._store._dialect
        sql = (
            f"SELECT {_attempts.DUE_COLUMNS} "
            f"FROM deadlines d{dialect.claim_join if claim else ''}{_attempts.JOIN} "
            f'WHERE {_attempts.DUE} AND d."on_miss" IS {"NOT NULL" if fires else "NULL"}'
        )
        params: list[Any] = [dialect.ts(now), dialect.ts(now)]
        if after is not None:
            sql += ' AND (d."due_at", d."case_id", d."seq") > (?, ?, ?)'
            params.extend((dialect.ts(after.due_at), after.case_id, after.seq))
        sql += f' ORDER BY d."due_at", d."case_id", d."seq" LIMIT ?{dialect.claim if claim else ""}'
        params.append(limit)
        return self._due(self._tx.rows(dialect.sql(sql), params))

    def due_rows_of(self, case_id: str, now: _dt.datetime) -> list[DueRow]:
        dialect = self._store._dialect
        sql = dialect.sql(
            f"SELECT {_attempts.DUE_COLUMNS} FROM deadlines d{_attempts.JOIN} "
            f'WHERE d."case_id" = ? AND {_attempts.DUE} AND d."on_miss" IS NOT NULL '
            'ORDER BY d."due_at", d."seq"'
        )
        return self._due(self._tx.rows(sql, [case_id, dialect.ts(now), dialect.ts(now)]))

    def _due(self, rows: Iterable[tuple[Any, ...]]) -> list[DueRow]:
        local = self._store._dialect.local_ts
        return [
            DueRow(c, seq, rule, local(due), on_miss, attempts or 0)
            for c, seq, rule, due, on_miss, attempts in rows
        ]

    def savepoint(self) -> contextlib.AbstractContextManager[None]:
        return self._tx.savepoint()

    def load(self, case_id: str) -> Case[Any, Any]:
        store = self._store
        return _reads.load_cases(self._tx, store._dialect, store._registry, [case_id])[case_id]

    def save(self, case: Case[Any, Any], expected_version: int) -> None:
        store = self._store
        batch = encode_batch(store._dialect, [(case, expected_version)])
        write_batch(self._tx, store._dialect, store._statements, batch)

    def mark(self, marks: Sequence[Mark]) -> None:
        _attempts.mark(self._tx, self._store._dialect, self._store._statements.mark, marks)

    def has_case(self, case_id: str) -> bool:
        sql = self._store._dialect.sql('SELECT 1 FROM cases WHERE "id" = ?')
        return bool(self._tx.rows(sql, [case_id]))

    def stuck(
        self, case_id: str | None, rule: str | None, limit: int | None
    ) -> list[StuckDeadline]:
        return _attempts.stuck(self._tx, self._store._dialect, case_id, rule, limit)

    def forget(self, stuck: Sequence[StuckDeadline]) -> None:
        _attempts.forget(self._tx, self._store._dialect, stuck)
