"""The memory store's records, and the unit of work its sweeps run in.

A record keeps what the SQL stores' rows keep: the case's workflow, subject, origin, state,
steps and deadlines, the due index's keys of its open deadlines, the sweep's final marks (a
fire or a refusal) and, apart from them, the sweep's failed attempts, each for the due instant
it was made for (a deadline that moved is a new miss).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as _dt
import enum
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from discipline_flow.actors import Subject
from discipline_flow.case import Case, Origin, Step
from discipline_flow.store._deadlines import overdue_from
from discipline_flow.store._protocol import CaseSummary, SweepOutcome
from discipline_flow.store._retry import StuckDeadline, StuckKind
from discipline_flow.store._rows import epoch_us, local_from_epoch_us, local_time
from discipline_flow.store._work import DueRow, Mark
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.store.memory import MemoryStore
    from discipline_flow.time import Deadline

__all__ = ["LAST", "Attempts", "MemoryUnit", "Record", "overdue_us"]

#: Sorts after every key of the due index with the same instant.
LAST = ("\U0010ffff", 1 << 62)


def overdue_us(deadline: Deadline) -> int | None:
    """The instant (µs) from which an open deadline is overdue, or None (see overdue_from)."""
    overdue = overdue_from(deadline)
    return None if overdue is None else epoch_us(overdue)


class Attempts(NamedTuple):
    """A sweep's failed attempts at a deadline due at ``due_us``; instants in µs."""

    due_us: int
    attempts: int
    last_us: int
    retry_us: int | None
    failed_us: int | None
    detail: str | None


@attrs.define
class Record:
    """A stored case, as the memory store keeps it."""

    workflow: Workflow[Any, Any]
    subject: Subject
    origin: Origin | None
    state: enum.Enum
    steps: list[Step[Any, Any]]
    #: The JSON text of each step's payload, as the SQL stores keep it: each load reads it anew.
    payloads: list[str] = attrs.field(factory=list)
    deadlines: list[Deadline] = attrs.field(factory=list)
    #: Per deadline: the trigger its rule fires when missed, as the SQL stores' rows hold it.
    on_miss: list[str | None] = attrs.field(factory=list)
    #: The keys ``(overdue instant in µs, case id, position)`` of its open deadlines in the index.
    due_keys: list[tuple[int, str, int]] = attrs.field(factory=list)
    #: Position -> (overdue instant in µs when marked, outcome, marked at in µs, detail): a
    #: sweep's final marks.
    marks: dict[int, tuple[int | None, str, int, str | None]] = attrs.field(factory=dict)
    #: Position -> a sweep's failed attempts at it.
    attempts: dict[int, Attempts] = attrs.field(factory=dict)

    def summary(self, case_id: str) -> CaseSummary:
        """The case's summary, as the SQL stores read it from their ``cases`` table."""
        return CaseSummary(
            id=case_id,
            workflow=self.workflow.name,
            workflow_version=self.workflow.version,
            subject_kind=self.subject.kind,
            subject_id=self.subject.id,
            state=self.state.name,
            version=len(self.steps),
            opened_at=local_time(self.steps[0].at),
            last_at=local_time(self.steps[-1].at),
            ruleset=self.workflow.ruleset,
            origin_case_id=self.origin.case_id if self.origin is not None else None,
        )

    def forget_moved(self, seq: int, overdue: int | None) -> None:
        """Drop the marks and attempts of deadline ``seq`` if it is no longer due at the
        instant they were made for: a new due instant is a new miss."""
        mark = self.marks.get(seq)
        if mark is not None and mark[0] != overdue:
            del self.marks[seq]
        tried = self.attempts.get(seq)
        if tried is not None and tried.due_us != overdue:
            del self.attempts[seq]

    def waits(self, seq: int, now_us: int) -> bool:
        """Whether deadline ``seq`` is held back at ``now_us``: marked, failed, or waiting for
        its next try."""
        if seq in self.marks:
            return True
        tried = self.attempts.get(seq)
        return tried is not None and (tried.retry_us is None or tried.retry_us > now_us)


class MemoryUnit:
    """The memory store under its lock, as the sweeps and recalculations use it."""

    __slots__ = ("_store",)

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def _rows(
        self,
        keys: Iterable[tuple[int, str, int]],
        now_us: int,
        *,
        fires: bool,
        limit: int | None = None,
    ) -> list[DueRow]:
        records = self._store._records
        rows: list[DueRow] = []
        for due_us, case_id, seq in keys:
            record = records[case_id]
            on_miss = record.on_miss[seq]
            if record.waits(seq, now_us) or (on_miss is not None) != fires:
                continue
            rule = record.deadlines[seq].rule
            tried = record.attempts.get(seq)
            rows.append(
                DueRow(
                    case_id,
                    seq,
                    rule,
                    local_from_epoch_us(due_us),
                    on_miss,
                    0 if tried is None else tried.attempts,
                )
            )
            if limit is not None and len(rows) >= limit:
                break
        return rows

    def due_rows(
        self, now: _dt.datetime, after: DueRow | None, limit: int, *, fires: bool, claim: bool
    ) -> list[DueRow]:
        index = self._store._due
        start = 0
        if after is not None:
            start = bisect.bisect_right(index, (epoch_us(after.due_at), after.case_id, after.seq))
        now_us = epoch_us(now)
        end = bisect.bisect_right(index, (now_us, *LAST))
        return self._rows(index[start:end], now_us, fires=fires, limit=limit)

    def due_rows_of(self, case_id: str, now: _dt.datetime) -> list[DueRow]:
        now_us = epoch_us(now)
        keys = sorted(k for k in self._store._records[case_id].due_keys if k[0] <= now_us)
        return self._rows(keys, now_us, fires=True)

    def savepoint(self) -> contextlib.AbstractContextManager[None]:
        # A unit writes only in save(), which checks everything before it changes anything.
        return contextlib.nullcontext()

    def load(self, case_id: str) -> Case[Any, Any]:
        return self._store._case(case_id)

    def save(self, case: Case[Any, Any], expected_version: int) -> None:
        self._store._save_all([(case, expected_version)])

    def mark(self, marks: Sequence[Mark]) -> None:
        records = self._store._records
        for m in marks:
            record = records[m.case_id]
            at_us = epoch_us(m.at)
            if m.outcome in (SweepOutcome.RETRYING, SweepOutcome.FAILED):
                retry_us = None if m.retry_at is None else epoch_us(m.retry_at)
                failed_us = at_us if m.outcome is SweepOutcome.FAILED else None
                record.attempts[m.seq] = Attempts(
                    epoch_us(m.due_at), m.attempts, at_us, retry_us, failed_us, m.detail
                )
                continue
            overdue = overdue_us(record.deadlines[m.seq])
            record.marks[m.seq] = (overdue, m.outcome.value, at_us, m.detail)
            record.attempts.pop(m.seq, None)

    def has_case(self, case_id: str) -> bool:
        return case_id in self._store._records

    def stuck(
        self, case_id: str | None, rule: str | None, limit: int | None
    ) -> list[StuckDeadline]:
        records = self._store._records
        ids = sorted(records) if case_id is None else [case_id]
        found: list[StuckDeadline] = []
        for cid in ids:
            record = records[cid]
            for due_us, _, seq in record.due_keys:
                deadline, on_miss = record.deadlines[seq], record.on_miss[seq]
                if on_miss is None or (rule is not None and deadline.rule != rule):
                    continue
                due = local_from_epoch_us(due_us)
                mark, tried = record.marks.get(seq), record.attempts.get(seq)
                if mark is not None and mark[1] == SweepOutcome.REFUSED.value:
                    at = local_from_epoch_us(mark[2])
                    kind, detail, attempts, retry = StuckKind.REFUSED, mark[3], 0, None
                elif mark is None and tried is not None:
                    at = local_from_epoch_us(tried.last_us)
                    detail, attempts = tried.detail, tried.attempts
                    kind = StuckKind.FAILED if tried.failed_us is not None else StuckKind.RETRYING
                    retry = None if tried.retry_us is None else local_from_epoch_us(tried.retry_us)
                else:
                    continue
                found.append(
                    StuckDeadline(
                        cid, seq, deadline.rule, due, on_miss, kind, detail, at, attempts, retry
                    )
                )
        found.sort(key=lambda s: (s.due_at, s.case_id, s.seq))
        return found if limit is None else found[:limit]

    def forget(self, stuck: Sequence[StuckDeadline]) -> None:
        records = self._store._records
        for s in stuck:
            record = records[s.case_id]
            record.marks.pop(s.seq, None)
            record.attempts.pop(s.seq, None)
