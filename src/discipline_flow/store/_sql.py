"""What the SQL stores share: saving with version checks, loading, queries, sweeps, recalculation.

The SQLite and PostgreSQL stores differ only in how they connect, open transactions, claim rows and
type their columns; both run the statements below (written with ``?`` placeholders; the
PostgreSQL store turns them into ``%s``). Every statement is parameterized: no value is ever
formatted into SQL text.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as _dt
import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from discipline_flow.actors import Body, BodyKind
from discipline_flow.case import Case, Step
from discipline_flow.clock import require_aware
from discipline_flow.errors import (
    CaseNotFoundError,
    ConcurrencyConflict,
    DisciplineFlowError,
    InputError,
    MalformedDataError,
    StoreError,
    TamperedHistoryError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import _codec
from discipline_flow.store._digest import CaseDigest, DeadlineDigest, measure_named
from discipline_flow.store._protocol import (
    CaseRecalculation,
    CaseSummary,
    DueDeadline,
    RecalculationFailure,
    RecalculationReport,
    SweepItem,
    SweepOutcome,
    SweepReport,
    VerificationReport,
)
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.rules.measure import Measure
    from discipline_flow.time.calendar import Calendar

__all__ = ["SWEEP_ACTOR", "SqlStore", "Tx", "as_registry", "check_limit"]

#: Who fires the ``on_miss`` triggers of missed deadlines.
SWEEP_ACTOR = Body(BodyKind.SYSTEM, "sweep")

_CHUNK = 500
_SWEEP_BATCH = 200
_RECALC_BATCH = 100


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


def check_limit(limit: object) -> int | None:
    """``limit`` if it is None or a positive whole number; an InputError otherwise."""
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InputError("limit", f"must be a positive whole number or None, got {limit!r}")
    return limit


def check_save(
    registry: WorkflowRegistry, case: object, expected_version: object
) -> tuple[Case[Any, Any], int]:
    """Validate the arguments of ``save``; return them typed."""
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
    registry.get(case.workflow.name, case.workflow.version)
    return case, expected_version


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


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class Tx(abc.ABC):
    """One open transaction: statements run through it."""

    @abc.abstractmethod
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query; return every row."""

    @abc.abstractmethod
    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; return the number of rows it changed."""

    @abc.abstractmethod
    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run a statement once per row; return the total number of rows changed."""

    @abc.abstractmethod
    def savepoint(self) -> contextlib.AbstractContextManager[None]:
        """A nested transaction rolled back alone when its block raises."""


class SqlStore(abc.ABC):
    """The logic of the SQL stores; subclasses provide connections and dialect details."""

    #: Appended to the sweep's claim query (PostgreSQL: ``FOR UPDATE ... SKIP LOCKED``).
    _claim = ""
    #: How the claim query joins ``cases`` (PostgreSQL locks the case row with the deadline).
    _claim_join = ""

    def __init__(self, registry: WorkflowRegistry | Iterable[Workflow[Any, Any]] | None) -> None:
        self._registry = as_registry(registry)
        self._closed = False
        cols = _quoted(_codec.CASE_COLUMNS)
        marks = ", ".join("?" for _ in _codec.CASE_COLUMNS)
        self._insert_case = self._sql(
            f"INSERT INTO cases ({cols}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING"
        )
        self._update_case = self._sql(
            'UPDATE cases SET "state" = ?, "version" = ?, "last_at" = ?, "head_hash" = ? '
            'WHERE "id" = ? AND "version" = ? AND "head_hash" = ?'
        )
        scols = _quoted(_codec.STEP_COLUMNS)
        smarks = ", ".join("?" for _ in _codec.STEP_COLUMNS)
        self._insert_steps = self._sql(f"INSERT INTO steps ({scols}) VALUES ({smarks})")
        dcols = _quoted(_codec.DEADLINE_COLUMNS)
        dmarks = ", ".join("?" for _ in _codec.DEADLINE_COLUMNS)
        # A deadline whose due instant moved is a new miss: its sweep mark is cleared.
        self._upsert_deadlines = self._sql(
            f"INSERT INTO deadlines ({dcols}) VALUES ({dmarks}) "
            'ON CONFLICT ("case_id", "seq") DO UPDATE SET "rule" = excluded."rule", '
            '"started_at" = excluded."started_at", "status" = excluded."status", '
            '"on_miss" = excluded."on_miss", "data" = excluded."data", '
            '"fired_at" = CASE WHEN deadlines."due_at" IS NOT DISTINCT FROM excluded."due_at" '
            'THEN deadlines."fired_at" ELSE NULL END, '
            '"sweep_outcome" = CASE WHEN deadlines."due_at" IS NOT DISTINCT FROM '
            'excluded."due_at" THEN deadlines."sweep_outcome" ELSE NULL END, '
            '"due_at" = excluded."due_at"'
        )
        self._select_case = f"SELECT {cols} FROM cases"
        self._select_steps = f"SELECT {_quoted(_codec.STEP_COLUMNS)} FROM steps"
        self._summary_cols = _quoted(
            (
                "id",
                "workflow",
                "workflow_version",
                "subject_kind",
                "subject_id",
                "state",
                "version",
                "opened_at",
                "last_at",
                "ruleset",
                "origin_case_id",
            )
        )

    # ------------------------------------------------------------------ dialect

    def _sql(self, sql: str) -> str:
        """The statement in the driver's placeholder style."""
        return sql

    @abc.abstractmethod
    def _ts(self, value: _dt.datetime) -> Any:
        """An aware datetime as the value of a timestamp column."""

    @abc.abstractmethod
    def _from_ts(self, value: Any) -> _dt.datetime:
        """The aware datetime (UTC) a timestamp column holds."""

    def _local_ts(self, value: Any) -> _dt.datetime:
        """A timestamp column's value as an aware datetime in the default timezone."""
        return _codec.local_time(self._from_ts(value))

    @abc.abstractmethod
    def _in(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """A condition ``column`` in ``values`` and its parameters."""

    @abc.abstractmethod
    def _json_as_text(self, column: str) -> str:
        """SQL for the text of the JSON column ``column``."""

    @abc.abstractmethod
    def _json_fields(self, column: str, keys: Sequence[str]) -> str:
        """SQL for ``1 + len(keys)`` columns: whether ``column`` holds valid JSON, then the
        text (or NULL) of each key of the object it holds."""

    @abc.abstractmethod
    def _write(self) -> contextlib.AbstractContextManager[Tx]:
        """A write transaction (serialized with other writers of the same rows)."""

    @abc.abstractmethod
    def _read(self) -> contextlib.AbstractContextManager[Tx]:
        """A read-only transaction that sees one consistent snapshot."""

    @abc.abstractmethod
    def _translate(self, exc: Exception) -> DisciplineFlowError | None:
        """Our error for a driver error, or None to let it through."""

    @abc.abstractmethod
    def _close(self) -> None:
        """Release the connections."""

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"{self!r} is closed")
        try:
            yield
        except DisciplineFlowError:
            raise
        except Exception as exc:
            err = self._translate(exc)
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
            self._close()

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
        with self._errors():
            batch = self._encode_batch([item])
        with self._errors(), self._write() as tx:
            self._write_batch(tx, batch)
        return len(item[0].steps)

    def save_many(self, cases: Iterable[tuple[Case[Any, Any], int]]) -> int:
        """Save ``(case, expected_version)`` pairs in one transaction: all or nothing.

        Returns the number of cases saved. A conflict on any case raises
        :class:`~discipline_flow.errors.ConcurrencyConflict` naming it, and nothing is written.
        """
        try:
            pairs = [(c, v) for c, v in cases]
        except (TypeError, ValueError):
            raise InputError("cases", "expected (case, expected_version) pairs") from None
        items = [check_save(self._registry, c, v) for c, v in pairs]
        seen: set[str] = set()
        for c, _ in items:
            if c.id in seen:
                raise InputError("cases", f"case {c.id} appears twice in one save_many")
            seen.add(c.id)
        if items:
            # The rows are built before the write lock is taken: other writers wait only for
            # the statements, not for the encoding.
            with self._errors():
                batch = self._encode_batch(items)
            with self._errors(), self._write() as tx:
                self._write_batch(tx, batch)
        return len(items)

    def _save_batch(self, tx: Tx, items: Sequence[tuple[Case[Any, Any], int]]) -> None:
        """Save ``items`` in the open transaction ``tx``."""
        self._write_batch(tx, self._encode_batch(items))

    def _encode_batch(self, items: Sequence[tuple[Case[Any, Any], int]]) -> _Batch:
        """The rows that saving ``items`` writes (text checked), built without the database."""
        ts = self._ts
        new_rows: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        update_items: list[tuple[Case[Any, Any], int]] = []
        unchanged: list[tuple[Case[Any, Any], int]] = []
        step_rows: list[tuple[Any, ...]] = []
        deadline_rows: list[tuple[Any, ...]] = []
        for case, expected in items:
            steps = case.steps
            if expected == len(steps):
                unchanged.append((case, expected))
                continue
            if expected == 0:
                new_rows.append(_codec.case_row(case, ts))
            else:
                updates.append(
                    (
                        case.state.name,
                        len(steps),
                        ts(steps[-1].at),
                        steps[-1].hash,
                        case.id,
                        expected,
                        steps[expected - 1].hash,
                    )
                )
                update_items.append((case, expected))
            step_rows.extend(_codec.step_rows(case, expected))
            if case.deadlines:
                deadline_rows.extend(_codec.deadline_rows(case, ts))
        return _Batch(items, new_rows, updates, update_items, unchanged, step_rows, deadline_rows)

    def _write_batch(self, tx: Tx, batch: _Batch) -> None:
        """Write an encoded batch in ``tx``, checking every case's stored version first."""
        items, new_rows, updates, update_items, unchanged, step_rows, deadline_rows = batch
        if new_rows:
            fresh = [c for c, v in items if v == 0 and v != len(c.steps)]
            existing = self._stored_heads(tx, [c.id for c in fresh])
            for case in fresh:
                if case.id in existing:
                    raise ConcurrencyConflict(conflict_message(case.id, 0, existing[case.id]))
            if tx.many(self._insert_case, new_rows) != len(new_rows):
                ids = ", ".join(c.id for c in fresh)
                raise ConcurrencyConflict(
                    f"cases {ids}: a case was saved concurrently by another writer; nothing was "
                    f"written: load the cases again and retry"
                )
        if updates and tx.many(self._update_case, updates) != len(updates):
            self._raise_conflict(tx, update_items)
        if unchanged:
            heads = self._stored_heads(tx, [c.id for c, _ in unchanged])
            for case, expected in unchanged:
                stored = heads.get(case.id)
                if stored != (expected, case.steps[-1].hash):
                    raise ConcurrencyConflict(conflict_message(case.id, expected, stored))
        if step_rows:
            tx.many(self._insert_steps, step_rows)
        if deadline_rows:
            tx.many(self._upsert_deadlines, deadline_rows)

    def _stored_heads(self, tx: Tx, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        heads: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(ids):
            clause, params = self._in('"id"', chunk)
            sql = self._sql(f'SELECT "id", "version", "head_hash" FROM cases WHERE {clause}')
            for case_id, version, head in tx.rows(sql, params):
                heads[case_id] = (version, head)
        return heads

    def _raise_conflict(self, tx: Tx, items: Sequence[tuple[Case[Any, Any], int]]) -> None:
        """Raise the conflict of the first item whose stored head is not what the save left.

        Called after a statement changed fewer rows than expected, inside the transaction that is
        about to be rolled back: rows this batch wrote show the head the save gave them.
        """
        heads = self._stored_heads(tx, [c.id for c, _ in items])
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

    # ------------------------------------------------------------------ loading

    def load(self, case_id: str) -> Case[Any, Any]:
        """The case ``case_id``, its hash chain, recorded version and head verified.

        Raises :class:`~discipline_flow.errors.CaseNotFoundError` for an unknown id and
        :class:`~discipline_flow.errors.TamperedHistoryError` naming the first bad step.
        """
        return self.load_many([case_id])[0]

    def load_many(self, case_ids: Sequence[str]) -> list[Case[Any, Any]]:
        """Several cases in the order asked, each verified like :meth:`load`."""
        ids = _check_ids(case_ids)
        with self._errors(), self._read() as tx:
            found = self._load_in(tx, ids)
        return [found[i] for i in ids]

    def _load_in(self, tx: Tx, ids: Sequence[str]) -> dict[str, Case[Any, Any]]:
        found: dict[str, Case[Any, Any]] = {}
        for chunk in _chunks(ids):
            clause, params = self._in('"id"', chunk)
            case_rows = tx.rows(self._sql(f"{self._select_case} WHERE {clause}"), params)
            if len(case_rows) < len(set(chunk)):
                known = {r[0] for r in case_rows}
                missing = next(i for i in chunk if i not in known)
                raise CaseNotFoundError(f"no case {missing!r} is stored")
            sclause, sparams = self._in('"case_id"', chunk)
            steps: dict[str, list[tuple[Any, ...]]] = {}
            sql = self._sql(f'{self._select_steps} WHERE {sclause} ORDER BY "case_id", "idx"')
            for row in tx.rows(sql, sparams):
                steps.setdefault(row[0], []).append(row[1:])
            deadlines: dict[str, list[Any]] = {}
            sql = self._sql(
                f'SELECT "case_id", "data" FROM deadlines WHERE {sclause} ORDER BY "case_id", "seq"'
            )
            for case_id, data in tx.rows(sql, sparams):
                deadlines.setdefault(case_id, []).append(data)
            by_id = {r[0]: r for r in case_rows}
            for case_id in chunk:
                record = dict(zip(_codec.CASE_COLUMNS, by_id[case_id], strict=True))
                wf = self._registry.get(record["workflow"], record["workflow_version"])
                found[case_id] = _codec.assemble_case(
                    wf, record, steps.get(case_id, []), deadlines.get(case_id, [])
                )
        return found

    def digest_many(self, case_ids: Sequence[str]) -> list[CaseDigest]:
        """Digests of several cases in the order asked, read in one snapshot straight from the
        tables: nothing is decoded but the subject, the payloads naming a measure and three
        instants of each deadline, and nothing is verified (see :class:`CaseDigest`).

        Raises :class:`~discipline_flow.errors.CaseNotFoundError` for an unknown id.
        """
        ids = _check_ids(case_ids)
        found: dict[str, CaseDigest] = {}
        with self._errors(), self._read() as tx:
            for chunk in _chunks(ids):
                self._digest_chunk(tx, chunk, found)
        return [found[i] for i in ids]

    def _digest_chunk(self, tx: Tx, chunk: Sequence[str], found: dict[str, CaseDigest]) -> None:
        clause, params = self._in('"id"', chunk)
        rows = tx.rows(
            self._sql(
                'SELECT "id", "workflow", "workflow_version", "state", "version", "opened_at", '
                f'"last_at", "origin_case_id", "subject" FROM cases WHERE {clause}'
            ),
            params,
        )
        if len(rows) < len(set(chunk)):
            known = {r[0] for r in rows}
            missing = next(i for i in chunk if i not in known)
            raise CaseNotFoundError(f"no case {missing!r} is stored")
        sclause, sparams = self._in('"case_id"', chunk)
        # Only payloads whose text mentions the key are read; the latest naming a measure wins.
        measures: dict[str, Measure | None] = {}
        payload = self._json_as_text('"payload"')
        sql = self._sql(
            f'SELECT "case_id", "idx", "payload" FROM steps WHERE {sclause} AND '
            f'{payload} LIKE ? ORDER BY "case_id", "idx" DESC'
        )
        for case_id, idx, text in tx.rows(sql, [*sparams, "%measure%"]):
            if measures.get(case_id) is None:
                data = _codec.json_object(text, f"case {case_id} step {idx}.payload")
                measures[case_id] = measure_named(data.get("measure"))
        deadlines: dict[str, list[DeadlineDigest]] = {}
        fields = self._json_fields('"data"', ("due_at", "met_at", "cancelled_at"))
        sql = self._sql(
            f'SELECT "case_id", "seq", "rule", "due_at", {fields} FROM deadlines '
            f'WHERE {sclause} ORDER BY "case_id", "seq"'
        )
        for case_id, seq, rule, overdue, valid, due, met, cancelled in tx.rows(sql, sparams):
            where = f"case {case_id} deadline {seq}"
            if not valid:
                raise MalformedDataError(where, "invalid JSON")
            deadlines.setdefault(case_id, []).append(
                DeadlineDigest(
                    rule,
                    _codec.instant_from_text(due, f"{where}.due_at"),
                    self._local_ts(overdue) if overdue is not None else None,
                    _codec.instant_from_text(met, f"{where}.met_at") if met is not None else None,
                    _codec.instant_from_text(cancelled, f"{where}.cancelled_at")
                    if cancelled is not None
                    else None,
                )
            )
        # Each workflow met in the chunk, with its states by name (enum __members__ builds a
        # new mapping on every read).
        workflows: dict[tuple[str, str], tuple[Workflow[Any, Any], Mapping[str, Any]]] = {}
        local = self._local_ts
        subject_of = _codec.subject_from_text
        for case_id, name, version, state, steps, opened, last, origin, subject in rows:
            entry = workflows.get((name, version))
            if entry is None:
                wf = self._registry.get(name, version)
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
                subject_of(subject, f"case {case_id} subject"),
                local(opened),
                local(last),
                origin,
                measures.get(case_id),
                tuple(deadlines[case_id]) if case_id in deadlines else (),
            )

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
        checked = _check_ids(ids)
        with self._errors(), self._read() as tx:
            return self._stored_heads(tx, checked)

    def history(self, case_id: str) -> list[Step[Any, Any]]:
        """The verified steps of ``case_id``, oldest first."""
        return list(self.load(case_id).steps)

    def as_of(self, case_id: str, at: _dt.datetime) -> Case[Any, Any]:
        """The case as it stood at ``at``, replayed from its steps up to then."""
        at = require_aware(at, "at")
        return self.load(case_id).as_of(at)

    # ------------------------------------------------------------------ queries

    def _summary(self, row: Sequence[Any]) -> CaseSummary:
        return CaseSummary(
            id=row[0],
            workflow=row[1],
            workflow_version=row[2],
            subject_kind=row[3],
            subject_id=row[4],
            state=row[5],
            version=row[6],
            opened_at=self._local_ts(row[7]),
            last_at=self._local_ts(row[8]),
            ruleset=row[9],
            origin_case_id=row[10],
        )

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
        where, params = _filters(
            workflow, state, subject_id, body_id, opened_from, opened_until, ruleset, self._ts
        )
        rows = self._select(self._summary_cols, where, params, limit)
        return [self._summary(r) for r in rows]

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
        where, params = _filters(
            workflow, state, subject_id, body_id, opened_from, opened_until, ruleset, self._ts
        )
        return [r[0] for r in self._select('"id"', where, params, limit)]

    def _select(
        self, columns: str, where: list[str], params: list[Any], limit: object
    ) -> list[tuple[Any, ...]]:
        """The ``columns`` of the cases meeting every condition of ``where`` (with their
        ``params``), oldest first, at most ``limit``."""
        limit = check_limit(limit)
        sql = f"SELECT {columns} FROM cases"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY "opened_at", "id"'
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._errors(), self._read() as tx:
            return tx.rows(self._sql(sql), params)

    def linked(self, case_id: str) -> list[CaseSummary]:
        """The whole matter ``case_id`` belongs to: the root case first, then its descendants
        level by level (children record their parent as ``case.origin``)."""
        (case_id,) = _check_ids([case_id])
        base = f"SELECT {self._summary_cols} FROM cases"
        with self._errors(), self._read() as tx:
            by_id = self._sql(f'{base} WHERE "id" = ?')
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
                for chunk in _chunks(level):
                    clause, params = self._in('"origin_case_id"', chunk)
                    sql = self._sql(f'{base} WHERE {clause} ORDER BY "opened_at", "id"')
                    children.extend(r for r in tx.rows(sql, params) if r[0] not in done)
                done.update(r[0] for r in children)
                result.extend(children)
                level = [r[0] for r in children]
        return [self._summary(r) for r in result]

    def due(self, now: _dt.datetime, *, limit: int | None = None) -> list[DueDeadline]:
        """Open deadlines overdue at ``now`` (``due_at <= now``), earliest first.

        Read through a partial index on the due instant of open deadlines, so the cost grows
        with the number due, not with the number of cases.
        """
        now = require_aware(now, "now")
        limit = check_limit(limit)
        sql = (
            'SELECT "case_id", "seq", "rule", "due_at", "on_miss", "fired_at" FROM deadlines '
            'WHERE "status" = \'open\' AND "due_at" <= ? '
            'ORDER BY "due_at", "case_id", "seq"'
        )
        params: list[Any] = [self._ts(now)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._errors(), self._read() as tx:
            rows = tx.rows(self._sql(sql), params)
        return [
            DueDeadline(
                case_id=r[0],
                seq=r[1],
                rule=r[2],
                due_at=self._local_ts(r[3]),
                on_miss=r[4],
                fired_at=self._local_ts(r[5]) if r[5] is not None else None,
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ sweeping

    def sweep(
        self, now: _dt.datetime, *, dry_run: bool = False, limit: int | None = None
    ) -> SweepReport:
        """Fire the ``on_miss`` trigger of every open deadline overdue at ``now``, once.

        Each fire is saved in the same transaction that marks its deadline row as handled, so
        running the sweep twice, or on several workers at once, fires each trigger once. A
        refused fire is reported and marked, not retried; a deadline without ``on_miss`` is
        reported as overdue and nothing is fired. ``dry_run`` reports what would be fired.
        Items come in the order handled: the fires first, then the overdue reports.
        """
        now = require_aware(now, "now")
        limit = check_limit(limit)
        items: list[SweepItem] = []
        after: tuple[Any, str, int] | None = None
        with self._errors():
            # 1. Rows whose rule fires a trigger, claimed (with their case) a batch at a time.
            while limit is None or len(items) < limit:
                batch = _SWEEP_BATCH if limit is None else min(_SWEEP_BATCH, limit - len(items))
                with self._read() if dry_run else self._write() as tx:
                    rows = self._due_rows(tx, now, after, batch, fires=True, claim=not dry_run)
                    if not rows:
                        break
                    after = (rows[-1][3], rows[-1][0], rows[-1][1])
                    if dry_run:
                        items.extend(self._report_items(rows, SweepOutcome.WOULD_FIRE))
                    else:
                        room = None if limit is None else limit - len(items)
                        items.extend(self._fire_cases(tx, rows, now, room))
                if len(rows) < batch:
                    break
            # 2. Rows whose rule only has a status: reported, nothing written.
            after = None
            while limit is None or len(items) < limit:
                batch = _SWEEP_BATCH if limit is None else min(_SWEEP_BATCH, limit - len(items))
                with self._read() as tx:
                    rows = self._due_rows(tx, now, after, batch, fires=False, claim=False)
                if not rows:
                    break
                after = (rows[-1][3], rows[-1][0], rows[-1][1])
                items.extend(self._report_items(rows, SweepOutcome.OVERDUE))
                if len(rows) < batch:
                    break
        return SweepReport(now=now, dry_run=dry_run, items=tuple(items))

    def _due_rows(
        self,
        tx: Tx,
        now: _dt.datetime,
        after: tuple[Any, str, int] | None,
        batch: int,
        *,
        fires: bool,
        claim: bool,
    ) -> list[tuple[Any, ...]]:
        """Due rows not yet handled, after the key ``after``; with ``claim`` they are locked
        with their case row, skipping rows another worker holds (PostgreSQL)."""
        sql = (
            'SELECT d."case_id", d."seq", d."rule", d."due_at", d."on_miss" '
            f"FROM deadlines d{self._claim_join if claim else ''} "
            'WHERE d."status" = \'open\' AND d."due_at" <= ? AND d."fired_at" IS NULL '
            f'AND d."on_miss" IS {"NOT NULL" if fires else "NULL"}'
        )
        params: list[Any] = [self._ts(now)]
        if after is not None:
            sql += ' AND (d."due_at", d."case_id", d."seq") > (?, ?, ?)'
            params.extend(after)
        sql += f' ORDER BY d."due_at", d."case_id", d."seq" LIMIT ?{self._claim if claim else ""}'
        params.append(batch)
        return tx.rows(self._sql(sql), params)

    def _report_items(
        self, rows: Sequence[tuple[Any, ...]], outcome: SweepOutcome
    ) -> list[SweepItem]:
        return [
            SweepItem(
                case_id=r[0],
                rule=r[2],
                due_at=self._local_ts(r[3]),
                outcome=outcome,
                trigger=r[4],
            )
            for r in rows
        ]

    def _fire_cases(
        self, tx: Tx, rows: Sequence[tuple[Any, ...]], now: _dt.datetime, room: int | None
    ) -> list[SweepItem]:
        """Fire the due deadlines of the cases of the claimed ``rows``.

        The claim picks the cases; once a case is held, every due and unhandled deadline of it
        is fired, so a deadline is not left behind because another worker held its case.
        """
        items: list[SweepItem] = []
        marks: list[tuple[Any, ...]] = []
        stamp = self._ts(now)
        mine = self._sql(
            'SELECT "case_id", "seq", "rule", "due_at", "on_miss" FROM deadlines '
            'WHERE "case_id" = ? AND "status" = \'open\' AND "due_at" <= ? '
            'AND "fired_at" IS NULL AND "on_miss" IS NOT NULL ORDER BY "due_at", "seq"'
        )
        for case_id in dict.fromkeys(r[0] for r in rows):
            if room is not None and len(items) >= room:
                break
            case_rows = tx.rows(mine, [case_id, stamp])
            if room is not None:
                case_rows = case_rows[: room - len(items)]
            if not case_rows:
                continue  # handled with an earlier batch
            try:
                with tx.savepoint():
                    case = self._load_in(tx, [case_id])[case_id]
                    loaded = case.version
                    done = fire_due(case, [(r[1], r[2]) for r in case_rows], now)
                    if case.version != loaded:
                        self._save_batch(tx, [(case, loaded)])
            except ConcurrencyConflict as exc:
                done = [(r[1], SweepOutcome.CONFLICT, r[4], str(exc), None) for r in case_rows]
            except (DisciplineFlowError, LookupError) as exc:
                done = [
                    (r[1], SweepOutcome.REFUSED, r[4], f"cannot load: {exc}", None)
                    for r in case_rows
                ]
            for (seq, outcome, trigger, detail, index), r in zip(done, case_rows, strict=True):
                items.append(
                    SweepItem(case_id, r[2], self._local_ts(r[3]), outcome, trigger, detail, index)
                )
                if outcome in (SweepOutcome.FIRED, SweepOutcome.REFUSED):
                    marks.append((stamp, outcome.value, detail, case_id, seq))
        if marks:
            tx.many(
                self._sql(
                    'UPDATE deadlines SET "fired_at" = ?, "sweep_outcome" = ?, '
                    '"sweep_detail" = ? WHERE "case_id" = ? AND "seq" = ?'
                ),
                marks,
            )
        return items

    # ------------------------------------------------------------------ recalculating

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
        at = require_aware(at, "at")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("reason", "a recalculation needs a reason")
        moved: list[CaseRecalculation] = []
        failures: list[RecalculationFailure] = []
        with self._errors():
            with self._read() as tx:
                ids = [
                    r[0]
                    for r in tx.rows(
                        'SELECT DISTINCT "case_id" FROM deadlines WHERE "status" = \'open\' '
                        'ORDER BY "case_id"'
                    )
                ]
            for start in range(0, len(ids), _RECALC_BATCH):
                chunk = ids[start : start + _RECALC_BATCH]
                with self._read() if dry_run else self._write() as tx:
                    for case_id in chunk:
                        try:
                            with tx.savepoint():
                                case = self._load_in(tx, [case_id])[case_id]
                                loaded = case.version
                                changes = case.recalculate(
                                    at=at, reason=reason, calendar=calendar, dry_run=dry_run
                                )
                                if changes and not dry_run:
                                    self._save_batch(tx, [(case, loaded)])
                        except (DisciplineFlowError, LookupError) as exc:
                            failures.append(RecalculationFailure(case_id, str(exc)))
                            continue
                        if changes:
                            moved.append(
                                CaseRecalculation(
                                    case_id, case.workflow.key, tuple(changes), not dry_run
                                )
                            )
        return RecalculationReport(
            at=at,
            reason=reason,
            dry_run=dry_run,
            cases_checked=len(ids),
            moved=tuple(moved),
            failures=tuple(failures),
        )

    # ------------------------------------------------------------------ verifying

    def verify_all(self) -> VerificationReport:
        """Check every stored case: hash chains, recorded versions and heads, states, moves.

        Raises :class:`~discipline_flow.errors.TamperedHistoryError` (or
        :class:`~discipline_flow.errors.MalformedDataError`) at the first problem, naming the
        case and step. Cases of workflows missing from the registry get their chain checked
        (listed in ``chain_only``).
        """
        cases = 0
        steps = 0
        chain_only: list[str] = []
        after = ""
        page = self._sql(
            'SELECT "id", "workflow", "workflow_version", "version", "head_hash" FROM cases '
            'WHERE "id" > ? ORDER BY "id" LIMIT ?'
        )
        with self._errors():
            with self._read() as tx:
                orphans = tx.rows(
                    'SELECT DISTINCT s."case_id" FROM steps s LEFT JOIN cases c '
                    'ON c."id" = s."case_id" WHERE c."id" IS NULL'
                )
            if orphans:
                raise TamperedHistoryError(
                    f"case {orphans[0][0]}: steps are stored for a case that is not recorded"
                )
            while True:
                with self._read() as tx:
                    rows = tx.rows(page, [after, _CHUNK])
                    if not rows:
                        break
                    after = rows[-1][0]
                    known = [r[0] for r in rows if (r[1], r[2]) in self._registry]
                    for case in self._load_in(tx, known).values():
                        steps += case.version
                    for r in rows:
                        if (r[1], r[2]) in self._registry:
                            continue
                        step_rows = tx.rows(
                            self._sql(f'{self._select_steps} WHERE "case_id" = ? ORDER BY "idx"'),
                            [r[0]],
                        )
                        steps += _codec.verify_chain_only(
                            r[0], [s[1:] for s in step_rows], r[3], r[4]
                        )
                        chain_only.append(r[0])
                    cases += len(rows)
        return VerificationReport(cases=cases, steps=steps, chain_only=tuple(chain_only))


class _Batch(NamedTuple):
    """The rows of one save: new case rows, version-checked updates (with their items), cases
    saved unchanged (their versions are checked), and the step and deadline rows."""

    items: Sequence[tuple[Case[Any, Any], int]]
    new_rows: list[tuple[Any, ...]]
    updates: list[tuple[Any, ...]]
    update_items: list[tuple[Case[Any, Any], int]]
    unchanged: list[tuple[Case[Any, Any], int]]
    step_rows: list[tuple[Any, ...]]
    deadline_rows: list[tuple[Any, ...]]


def fire_due(
    case: Case[Any, Any], due: Sequence[tuple[int, str]], now: _dt.datetime
) -> list[tuple[int, SweepOutcome, str | None, str | None, int | None]]:
    """Fire the ``on_miss`` trigger of each ``(position, rule)`` deadline of ``case`` due at
    ``now``; return ``(position, outcome, trigger, detail, step index)`` for each."""
    from discipline_flow.time.deadline import DeadlineStatus

    wf = case.workflow
    results: list[tuple[int, SweepOutcome, str | None, str | None, int | None]] = []
    for seq, rule_name in due:
        if seq >= len(case.deadlines) or case.deadlines[seq].rule != rule_name:
            results.append((seq, SweepOutcome.SKIPPED, None, "the deadline is not stored", None))
            continue
        deadline = case.deadlines[seq]
        if deadline.status(now) is not DeadlineStatus.OVERDUE:
            results.append(
                (seq, SweepOutcome.SKIPPED, None, f"now {deadline.status(now).value}", None)
            )
            continue
        try:
            rule = wf.rule(rule_name)
        except LookupError as exc:
            results.append((seq, SweepOutcome.REFUSED, None, str(exc), None))
            continue
        if rule.on_miss is None:
            results.append((seq, SweepOutcome.OVERDUE, None, None, None))
            continue
        trigger = rule.on_miss.name
        try:
            step = case.fire(
                rule.on_miss,
                at=now,
                actor=SWEEP_ACTOR,
                payload={"deadline": rule_name, "due_at": deadline.due_at},
            )
        except DisciplineFlowError as exc:
            results.append((seq, SweepOutcome.REFUSED, trigger, str(exc), None))
            continue
        results.append((seq, SweepOutcome.FIRED, trigger, None, step.index))
    return results


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _check_ids(case_ids: object) -> list[str]:
    if isinstance(case_ids, str) or not isinstance(case_ids, Sequence):
        raise InputError("case_ids", "expected a sequence of case ids")
    ids: list[str] = []
    for case_id in case_ids:
        if not isinstance(case_id, str) or not case_id:
            raise InputError("case_id", f"expected a non-empty text id, got {case_id!r}")
        ids.append(_codec.check_text(case_id, "case_id"))
    return ids


def _filters(
    workflow: str | Workflow[Any, Any] | None,
    state: str | enum.Enum | None,
    subject_id: str | None,
    body_id: str | None,
    opened_from: _dt.datetime | None,
    opened_until: _dt.datetime | None,
    ruleset: str | None,
    ts: Any,
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []

    def text(value: object, name: str) -> str:
        if isinstance(value, enum.Enum):
            value = value.name
        if not isinstance(value, str):
            raise InputError(name, f"expected text, got {type(value).__name__}")
        return _codec.check_text(value, name)

    if workflow is not None:
        where.append('"workflow" = ?')
        params.append(
            workflow.name if isinstance(workflow, Workflow) else text(workflow, "workflow")
        )
    if state is not None:
        where.append('"state" = ?')
        params.append(text(state, "state"))
    if subject_id is not None:
        where.append('"subject_id" = ?')
        params.append(text(subject_id, "subject_id"))
    if body_id is not None:
        where.append('"id" IN (SELECT "case_id" FROM steps WHERE "actor_id" = ?)')
        params.append(text(body_id, "body_id"))
    if opened_from is not None:
        where.append('"opened_at" >= ?')
        params.append(ts(require_aware(opened_from, "opened_from")))
    if opened_until is not None:
        where.append('"opened_at" < ?')
        params.append(ts(require_aware(opened_until, "opened_until")))
    if ruleset is not None:
        where.append('"ruleset" = ?')
        params.append(text(ruleset, "ruleset"))
    return where, params
