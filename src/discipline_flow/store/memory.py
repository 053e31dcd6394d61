"""A store in the process's memory, for tests and short-lived tools.

It keeps the semantics of the SQL stores (version checks, append-only histories verified on load,
a due index, sweeps that fire once, recalculation: the same code as theirs) behind one lock, so it
is safe to share between threads. Nothing survives the process.

>>> import enum, pendulum
>>> from discipline_flow import Workflow, Transition, Member
>>> from discipline_flow.errors import ConcurrencyConflict
>>> from discipline_flow.store import MemoryStore
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> store = MemoryStore([wf])
>>> store.save(wf.open(Member("m-1"), at=at, actor="person:clerk", case_id="C-1"), expected_version=0)
1
>>> first, second = store.load("C-1"), store.load("C-1")
>>> _ = first.fire(T.CLOSE, at=at.add(days=1), actor="person:clerk")
>>> store.save(first, expected_version=1)
2
>>> _ = second.fire(T.CLOSE, at=at.add(days=2), actor="person:clerk")
>>> try:
...     store.save(second, expected_version=1)
... except ConcurrencyConflict as conflict:
...     print(conflict)
case C-1: expected version 1 but the store holds version 2; nothing was written: load the case again and retry

Like every store, it saves only a case it could read back: a state set by hand is refused.

>>> second = store.load("C-1")
>>> second.state = S.OPEN
>>> store.save(second, expected_version=2)
Traceback (most recent call last):
...
discipline_flow.errors.InconsistentCaseError: case C-1: its state OPEN is not where its history leads (CLOSED); fire a trigger to move a case, never set its state; a store saves only what it can read back: nothing was written
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as _dt
import enum
import threading
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.case import Case, Step, replay, verify_steps
from discipline_flow.clock import require_aware
from discipline_flow.errors import (
    CaseNotFoundError,
    ConcurrencyConflict,
    StoreError,
    TamperedHistoryError,
)
from discipline_flow.history import check_opening
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store._args import (
    as_registry,
    check_ids,
    check_limit,
    check_pairs,
    check_save,
    conflict_message,
    filters,
)
from discipline_flow.store._deadlines import deadline_rows, rule_named
from discipline_flow.store._digest import CaseDigest
from discipline_flow.store._memory_records import LAST, MemoryUnit, Record, overdue_us
from discipline_flow.store._protocol import (
    CaseSummary,
    DueDeadline,
    RecalculationReport,
    SweepReport,
    VerificationReport,
)
from discipline_flow.store._retry import RetryPolicy, StuckDeadline
from discipline_flow.store._rows import (
    case_row,
    epoch_us,
    json_object,
    local_from_epoch_us,
    local_time,
)
from discipline_flow.store._steps import PAYLOAD_COLUMN, step_rows
from discipline_flow.store._verify import check_deadlines
from discipline_flow.store._work import Unit, rearm, recalculate, stuck_deadlines, sweep
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.time import Calendar

__all__ = ["MemoryStore"]


def _payload(text: str) -> dict[str, Any]:
    """A new payload read from its JSON text."""
    return {} if text == "{}" else json_object(text, "payload")


class MemoryStore:
    """Cases held in memory, with the same semantics as the SQL stores."""

    def __init__(
        self, registry: WorkflowRegistry | Iterable[Workflow[Any, Any]] | None = None
    ) -> None:
        self._registry = as_registry(registry)
        self._lock = threading.RLock()
        self._records: dict[str, Record] = {}
        self._due: list[tuple[int, str, int]] = []  # sorted keys of every record's due_keys
        self._closed = False

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._records)} cases)"

    @property
    def registry(self) -> WorkflowRegistry:
        """The workflows this store rebuilds cases with."""
        return self._registry

    @contextlib.contextmanager
    def _open(self) -> Iterator[None]:
        with self._lock:
            if self._closed:
                raise StoreError(f"{self!r} is closed")
            yield

    def close(self) -> None:
        """Forget every case; the store cannot be used afterwards."""
        with self._lock:
            self._closed = True
            self._records.clear()
            self._due.clear()

    def __enter__(self) -> MemoryStore:
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
        """Append the case's steps after ``expected_version``; return the stored version."""
        item = check_save(self._registry, case, expected_version)
        self._save_all([item])
        return len(item[0].steps)

    def save_many(self, cases: Iterable[tuple[Case[Any, Any], int]]) -> int:
        """Save ``(case, expected_version)`` pairs all or nothing; return how many."""
        items = check_pairs(self._registry, cases)
        self._save_all(items)
        return len(items)

    def _save_all(self, items: Sequence[tuple[Case[Any, Any], int]]) -> None:
        # The same checks (and errors) as the SQL stores, on the rows they would write: the
        # steps verified, no NUL or lone surrogate (SQL stores cannot hold them). The payloads
        # kept are read back from those rows: copies no caller holds.
        payloads = []
        for case, expected in items:
            case_row(case, epoch_us)
            rows = step_rows(case, expected)
            deadline_rows(case, epoch_us, every_trace=True)
            payloads.append([row[PAYLOAD_COLUMN] for row in rows])
        with self._open():
            for case, expected in items:
                record = self._records.get(case.id)
                stored = (len(record.steps), record.steps[-1].hash) if record else None
                want = (expected, case.steps[expected - 1].hash) if expected else None
                if stored != want:
                    raise ConcurrencyConflict(conflict_message(case.id, expected, stored))
            for (case, expected), texts in zip(items, payloads, strict=True):
                if texts:  # a case saved unchanged writes nothing, as in the SQL stores
                    self._put(case, expected, texts)

    def _put(self, case: Case[Any, Any], expected: int, texts: Sequence[str]) -> None:
        record = self._records.get(case.id)
        if record is None:
            record = Record(case.workflow, case.subject, case.origin, case.state, [], [])
            self._records[case.id] = record
        record.steps.extend(
            attrs.evolve(step, payload=_payload(text))
            for step, text in zip(case.steps[expected:], texts, strict=True)
        )
        record.payloads.extend(texts)
        record.state = case.state
        record.deadlines = list(case.deadlines)
        record.on_miss = []
        for key in record.due_keys:
            del self._due[bisect.bisect_left(self._due, key)]
        record.due_keys = []
        for seq, deadline in enumerate(record.deadlines):
            rule = rule_named(case.workflow, deadline.rule)
            on_miss = None if rule is None or rule.on_miss is None else rule.on_miss.name
            record.on_miss.append(on_miss)
            overdue = overdue_us(deadline)
            record.forget_moved(seq, overdue)  # a new due instant is a new miss
            if deadline.is_open and overdue is not None:
                key = (overdue, case.id, seq)
                bisect.insort(self._due, key)
                record.due_keys.append(key)

    # ------------------------------------------------------------------ loading

    def _case(self, case_id: str) -> Case[Any, Any]:
        record = self._records.get(case_id)
        if record is None:
            raise CaseNotFoundError(f"no case {case_id!r} is stored")
        # Each load gets payloads of its own: changing one changes nothing stored.
        steps = [
            attrs.evolve(step, payload=_payload(text))
            for step, text in zip(record.steps, record.payloads, strict=True)
        ]
        verify_steps(case_id, steps)
        check_opening(case_id, steps[0], record.workflow.key, record.subject, record.origin)
        return Case(
            case_id,
            record.workflow,
            record.subject,
            record.state,
            steps,
            list(record.deadlines),
            record.origin,
        )

    def load(self, case_id: str) -> Case[Any, Any]:
        """The case ``case_id``, its hash chain verified."""
        (case_id,) = check_ids([case_id])
        with self._open():
            return self._case(case_id)

    def load_many(self, case_ids: Sequence[str]) -> list[Case[Any, Any]]:
        """Several cases in the order asked, each verified."""
        ids = check_ids(case_ids)
        with self._open():
            return [self._case(i) for i in ids]

    def digest_many(self, case_ids: Sequence[str], *, moves: bool = False) -> list[CaseDigest]:
        """Digests of several cases in the order asked, their histories not verified (with
        their steps as moves when ``moves``)."""
        ids = check_ids(case_ids)
        with self._open():
            digests = []
            for case_id in ids:
                record = self._records.get(case_id)
                if record is None:
                    raise CaseNotFoundError(f"no case {case_id!r} is stored")
                case = Case(
                    case_id,
                    record.workflow,
                    record.subject,
                    record.state,
                    record.steps,
                    record.deadlines,
                    record.origin,
                )
                digest = CaseDigest.of(case, moves=moves)
                digests.append(
                    attrs.evolve(
                        digest,
                        opened_at=local_time(digest.opened_at),
                        last_at=local_time(digest.last_at),
                    )
                )
            return digests

    def exists(self, case_id: str) -> bool:
        """Whether a case with that id is stored."""
        (case_id,) = check_ids([case_id])
        with self._open():
            return case_id in self._records

    def version(self, case_id: str) -> int:
        """The stored version of ``case_id``."""
        (case_id,) = check_ids([case_id])
        with self._open():
            record = self._records.get(case_id)
            if record is None:
                raise CaseNotFoundError(f"no case {case_id!r} is stored")
            return len(record.steps)

    def history(self, case_id: str) -> list[Step[Any, Any]]:
        """The verified steps of ``case_id``."""
        return list(self.load(case_id).steps)

    def as_of(self, case_id: str, at: _dt.datetime) -> Case[Any, Any]:
        """The case as it stood at ``at``."""
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
        """Summaries of the cases matching every filter given, oldest first."""
        where = filters(workflow, state, subject_id, body_id, opened_from, opened_until, ruleset)
        limit = check_limit(limit)
        with self._open():
            found: list[CaseSummary] = []
            for case_id, r in self._records.items():
                opened = r.steps[0].at
                if (
                    (where.workflow is not None and r.workflow.name != where.workflow)
                    or (where.state is not None and r.state.name != where.state)
                    or (where.subject_id is not None and r.subject.id != where.subject_id)
                    or (
                        where.body_id is not None
                        and all(s.actor.id != where.body_id for s in r.steps)
                    )
                    or (where.opened_from is not None and opened < where.opened_from)
                    or (where.opened_until is not None and opened >= where.opened_until)
                    or (where.ruleset is not None and r.workflow.ruleset != where.ruleset)
                ):
                    continue
                found.append(r.summary(case_id))
        found.sort(key=lambda s: (epoch_us(s.opened_at), s.id))
        return found[:limit] if limit is not None else found

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
        """The ids of the cases :meth:`query` would summarise, in the same order."""
        found = self.query(
            workflow=workflow,
            state=state,
            subject_id=subject_id,
            body_id=body_id,
            opened_from=opened_from,
            opened_until=opened_until,
            ruleset=ruleset,
            limit=limit,
        )
        return [s.id for s in found]

    def linked(self, case_id: str) -> list[CaseSummary]:
        """The whole matter ``case_id`` belongs to: the root first, then descendants by level."""
        (case_id,) = check_ids([case_id])
        with self._open():
            if case_id not in self._records:
                raise CaseNotFoundError(f"no case {case_id!r} is stored")
            root = case_id
            seen = {root}
            while True:
                origin = self._records[root].origin
                if origin is None or origin.case_id in seen or origin.case_id not in self._records:
                    break
                root = origin.case_id
                seen.add(root)
            children: dict[str, list[str]] = {}
            for cid, r in self._records.items():
                if r.origin is not None:
                    children.setdefault(r.origin.case_id, []).append(cid)
            result = [self._records[root].summary(root)]
            done = {root}
            level = [root]
            while level:
                nxt = [
                    self._records[c].summary(c)
                    for parent in level
                    for c in children.get(parent, [])
                    if c not in done
                ]
                nxt.sort(key=lambda s: (epoch_us(s.opened_at), s.id))
                done.update(s.id for s in nxt)
                result.extend(nxt)
                level = [s.id for s in nxt]
            return result

    def due(self, now: _dt.datetime, *, limit: int | None = None) -> list[DueDeadline]:
        """Open deadlines overdue at ``now``, earliest first, read from a sorted index."""
        now = require_aware(now, "now")
        limit = check_limit(limit)
        with self._open():
            end = bisect.bisect_right(self._due, (epoch_us(now), *LAST))
            result = []
            for due_us, case_id, seq in self._due[: end if limit is None else min(end, limit)]:
                record = self._records[case_id]
                mark = record.marks.get(seq)
                result.append(
                    DueDeadline(
                        case_id,
                        seq,
                        record.deadlines[seq].rule,
                        local_from_epoch_us(due_us),
                        record.on_miss[seq],
                        None if mark is None else local_from_epoch_us(mark[2]),
                    )
                )
            return result

    # ------------------------------------------------------------------ sweeps, recalculation

    def sweep(
        self,
        now: _dt.datetime,
        *,
        dry_run: bool = False,
        limit: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> SweepReport:
        """Fire the ``on_miss`` trigger of every open deadline overdue at ``now``, once; a fire
        that fails is tried again by later sweeps as ``retry`` says (see
        :meth:`SqliteStore.sweep <discipline_flow.store.SqliteStore.sweep>`).

        Items come in the order handled: the fires first, then the overdue reports.
        """
        return sweep(self, now, dry_run=dry_run, limit=limit, retry=retry)

    def stuck_deadlines(self, *, limit: int | None = None) -> list[StuckDeadline]:
        """Open deadlines whose ``on_miss`` trigger sweeps refused, are retrying or gave up on,
        earliest due first."""
        return stuck_deadlines(self, limit)

    def rearm(self, case_id: str, rule: str | None = None) -> list[StuckDeadline]:
        """Let the next sweep try the stuck deadlines of ``case_id`` (of ``rule`` only) again;
        return those re-armed."""
        return rearm(self, case_id, rule)

    def recalculate(
        self,
        at: _dt.datetime,
        *,
        reason: str,
        calendar: Calendar | None = None,
        dry_run: bool = True,
    ) -> RecalculationReport:
        """Recompute the open deadlines of every case that has one; save unless ``dry_run``."""
        return recalculate(self, at, reason=reason, calendar=calendar, dry_run=dry_run)

    @contextlib.contextmanager
    def unit(self, *, write: bool) -> Iterator[Unit]:
        """The store's lock, as a unit of work for sweeps and recalculations."""
        with self._open():
            yield MemoryUnit(self)

    def open_case_ids(self) -> list[str]:
        """The ids of the cases with an open deadline, in order."""
        with self._open():
            return sorted(
                cid for cid, r in self._records.items() if any(d.is_open for d in r.deadlines)
            )

    def verify_all(self) -> VerificationReport:
        """Check every case's hash chain, and its state and deadlines against a replay of its
        history; raise at the first problem."""
        with self._open():
            steps = 0
            for case_id in sorted(self._records):
                case = self._case(case_id)
                replayed = replay(
                    case.workflow, case_id, case.subject, case.steps, origin=case.origin
                )
                if replayed.state is not case.state:
                    raise TamperedHistoryError(
                        f"case {case_id}: state is {case.state.name!r} but the replayed "
                        f"history says {replayed.state.name!r}"
                    )
                check_deadlines(case, replayed)
                steps += case.version
            return VerificationReport(cases=len(self._records), steps=steps)
