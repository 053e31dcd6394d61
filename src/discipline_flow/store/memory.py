"""A store in the process's memory, for tests and short-lived tools.

It keeps the semantics of the SQL stores (version checks, append-only histories verified on load,
a due index, sweeps that fire once, recalculation) behind one lock, so it is safe to share
between threads. Nothing survives the process.

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
>>> store.save(wf.open(Member("m-1"), at=at, actor="clerk", case_id="C-1"), expected_version=0)
1
>>> first, second = store.load("C-1"), store.load("C-1")
>>> _ = first.fire(T.CLOSE, at=at.add(days=1), actor="clerk")
>>> store.save(first, expected_version=1)
2
>>> _ = second.fire(T.CLOSE, at=at.add(days=2), actor="clerk")
>>> try:
...     store.save(second, expected_version=1)
... except ConcurrencyConflict as conflict:
...     print(conflict)
case C-1: expected version 1 but the store holds version 2; nothing was written: load the case again and retry
"""

from __future__ import annotations

import bisect
import datetime as _dt
import enum
import threading
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.actors import Subject
from discipline_flow.case import Case, Origin, Step, verify_steps
from discipline_flow.clock import require_aware
from discipline_flow.errors import (
    CaseNotFoundError,
    ConcurrencyConflict,
    DisciplineFlowError,
    InputError,
    StoreError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import _codec
from discipline_flow.store._digest import CaseDigest, DeadlineDigest, measure_in
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
from discipline_flow.store._sql import (
    _check_ids,
    _filters,
    as_registry,
    check_limit,
    check_save,
    conflict_message,
    fire_due,
)
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.time.calendar import Calendar
    from discipline_flow.time.deadline import Deadline

__all__ = ["MemoryStore"]


@attrs.define
class _Record:
    workflow: Workflow[Any, Any]
    subject: Subject
    origin: Origin | None
    state: enum.Enum
    steps: list[Step[Any, Any]]
    deadlines: list[Deadline]
    due_keys: list[tuple[int, str, int]]
    marks: dict[int, tuple[int, str, int]]  # seq -> (due instant marked, outcome, fired_at)

    def summary(self, case_id: str) -> CaseSummary:
        return CaseSummary(
            id=case_id,
            workflow=self.workflow.name,
            workflow_version=self.workflow.version,
            subject_kind=self.subject.kind,
            subject_id=self.subject.id,
            state=self.state.name,
            version=len(self.steps),
            opened_at=_codec.local_time(self.steps[0].at),
            last_at=_codec.local_time(self.steps[-1].at),
            ruleset=self.workflow.ruleset,
            origin_case_id=self.origin.case_id if self.origin is not None else None,
        )


class MemoryStore:
    """Cases held in memory, with the same semantics as the SQL stores."""

    def __init__(
        self, registry: WorkflowRegistry | Iterable[Workflow[Any, Any]] | None = None
    ) -> None:
        self._registry = as_registry(registry)
        self._lock = threading.RLock()
        self._records: dict[str, _Record] = {}
        self._due: list[tuple[int, str, int]] = []  # (due instant in µs, case id, position)
        self._closed = False

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._records)} cases)"

    @property
    def registry(self) -> WorkflowRegistry:
        """The workflows this store rebuilds cases with."""
        return self._registry

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self!r} is closed")

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
        return self._save_all([check_save(self._registry, case, expected_version)])[0]

    def save_many(self, cases: Iterable[tuple[Case[Any, Any], int]]) -> int:
        """Save ``(case, expected_version)`` pairs all or nothing; return how many."""
        try:
            pairs = [(c, v) for c, v in cases]
        except (TypeError, ValueError):
            raise InputError("cases", "expected (case, expected_version) pairs") from None
        items = [check_save(self._registry, c, v) for c, v in pairs]
        if len({c.id for c, _ in items}) != len(items):
            raise InputError("cases", "a case appears twice in one save_many")
        return len(self._save_all(items))

    def _save_all(self, items: Sequence[tuple[Case[Any, Any], int]]) -> list[int]:
        with self._lock:
            self._check_open()
            for case, expected in items:
                record = self._records.get(case.id)
                stored = (len(record.steps), record.steps[-1].hash) if record else None
                want = (expected, case.steps[expected - 1].hash) if expected else None
                if stored != want:
                    raise ConcurrencyConflict(conflict_message(case.id, expected, stored))
            for case, _ in items:
                self._check_text(case)
            for case, expected in items:
                self._put(case, expected)
            return [len(c.steps) for c, _ in items]

    @staticmethod
    def _check_text(case: Case[Any, Any]) -> None:
        # The same checks (and errors) as the SQL stores, which cannot hold NUL or surrogates.
        _codec.case_row(case, _codec.epoch_us)
        _codec.step_rows(case, 0)
        if case.deadlines:
            _codec.deadline_rows(case, _codec.epoch_us)

    def _put(self, case: Case[Any, Any], expected: int) -> None:
        record = self._records.get(case.id)
        if record is None:
            record = _Record(case.workflow, case.subject, case.origin, case.state, [], [], [], {})
            self._records[case.id] = record
        record.steps.extend(case.steps[expected:])
        record.state = case.state
        record.deadlines = list(case.deadlines)
        for key in record.due_keys:
            i = bisect.bisect_left(self._due, key)
            if i < len(self._due) and self._due[i] == key:
                del self._due[i]
        record.due_keys = []
        for seq, deadline in enumerate(record.deadlines):
            overdue = _codec.overdue_from(deadline)
            mark = record.marks.get(seq)
            if deadline.is_open and overdue is not None:
                key = (_codec.epoch_us(overdue), case.id, seq)
                bisect.insort(self._due, key)
                record.due_keys.append(key)
                if mark is not None and mark[0] != key[0]:
                    del record.marks[seq]  # a new due instant is a new miss

    # ------------------------------------------------------------------ loading

    def _case(self, case_id: str) -> Case[Any, Any]:
        record = self._records.get(case_id)
        if record is None:
            raise CaseNotFoundError(f"no case {case_id!r} is stored")
        steps = list(record.steps)
        verify_steps(case_id, steps)
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
        (case_id,) = _check_ids([case_id])
        with self._lock:
            self._check_open()
            return self._case(case_id)

    def load_many(self, case_ids: Sequence[str]) -> list[Case[Any, Any]]:
        """Several cases in the order asked, each verified."""
        ids = _check_ids(case_ids)
        with self._lock:
            self._check_open()
            return [self._case(i) for i in ids]

    def digest_many(self, case_ids: Sequence[str]) -> list[CaseDigest]:
        """Digests of several cases in the order asked, their histories not verified."""
        ids = _check_ids(case_ids)
        with self._lock:
            self._check_open()
            return [self._digest(i) for i in ids]

    def _digest(self, case_id: str) -> CaseDigest:
        record = self._records.get(case_id)
        if record is None:
            raise CaseNotFoundError(f"no case {case_id!r} is stored")
        steps = record.steps
        origin = record.origin
        return CaseDigest(
            case_id,
            record.workflow,
            record.state,
            len(steps),
            record.subject,
            _codec.local_time(steps[0].at),
            _codec.local_time(steps[-1].at),
            origin.case_id if origin is not None else None,
            measure_in(s.payload for s in reversed(steps)),
            tuple(DeadlineDigest.of(d) for d in record.deadlines),
        )

    def exists(self, case_id: str) -> bool:
        """Whether a case with that id is stored."""
        with self._lock:
            self._check_open()
            return case_id in self._records

    def version(self, case_id: str) -> int:
        """The stored version of ``case_id``."""
        with self._lock:
            self._check_open()
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
        limit = check_limit(limit)
        # the same checks (and errors) as the SQL stores
        _filters(
            workflow,
            state,
            subject_id,
            body_id,
            opened_from,
            opened_until,
            ruleset,
            _codec.epoch_us,
        )
        name = workflow.name if isinstance(workflow, Workflow) else workflow
        state_name = state.name if isinstance(state, enum.Enum) else state
        start = require_aware(opened_from, "opened_from") if opened_from is not None else None
        end = require_aware(opened_until, "opened_until") if opened_until is not None else None
        with self._lock:
            self._check_open()
            found: list[CaseSummary] = []
            for case_id, r in self._records.items():
                opened = r.steps[0].at
                if (
                    (name is not None and r.workflow.name != name)
                    or (state_name is not None and r.state.name != state_name)
                    or (subject_id is not None and r.subject.id != subject_id)
                    or (body_id is not None and all(s.actor.id != body_id for s in r.steps))
                    or (start is not None and opened < start)
                    or (end is not None and opened >= end)
                    or (ruleset is not None and r.workflow.ruleset != ruleset)
                ):
                    continue
                found.append(r.summary(case_id))
        found.sort(key=lambda s: (_codec.epoch_us(s.opened_at), s.id))
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
        with self._lock:
            self._check_open()
            record = self._records.get(case_id)
            if record is None:
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
                nxt.sort(key=lambda s: (_codec.epoch_us(s.opened_at), s.id))
                done.update(s.id for s in nxt)
                result.extend(nxt)
                level = [s.id for s in nxt]
            return result

    def due(self, now: _dt.datetime, *, limit: int | None = None) -> list[DueDeadline]:
        """Open deadlines overdue at ``now``, earliest first, read from a sorted index."""
        now = require_aware(now, "now")
        limit = check_limit(limit)
        with self._lock:
            self._check_open()
            end = bisect.bisect_right(self._due, (_codec.epoch_us(now), "\U0010ffff", 1 << 62))
            keys = self._due[: end if limit is None else min(end, limit)]
            result = []
            for due_us, case_id, seq in keys:
                record = self._records[case_id]
                deadline = record.deadlines[seq]
                rule = _rule(record.workflow, deadline.rule)
                mark = record.marks.get(seq)
                result.append(
                    DueDeadline(
                        case_id=case_id,
                        seq=seq,
                        rule=deadline.rule,
                        due_at=_codec.local_time(_codec.from_epoch_us(due_us)),
                        on_miss=rule.on_miss.name if rule and rule.on_miss else None,
                        fired_at=None
                        if mark is None
                        else _codec.local_time(_codec.from_epoch_us(mark[2])),
                    )
                )
            return result

    # ------------------------------------------------------------------ sweeping

    def sweep(
        self, now: _dt.datetime, *, dry_run: bool = False, limit: int | None = None
    ) -> SweepReport:
        """Fire the ``on_miss`` trigger of every open deadline overdue at ``now``, once.

        Items come in the order handled: the fires first, then the overdue reports.
        """
        now = require_aware(now, "now")
        limit = check_limit(limit)
        items: list[SweepItem] = []
        with self._lock:
            self._check_open()
            end = bisect.bisect_right(self._due, (_codec.epoch_us(now), "\U0010ffff", 1 << 62))
            fires: list[tuple[int, str, int]] = []
            overdue: list[tuple[int, str, int]] = []
            for key in self._due[:end]:
                record = self._records[key[1]]
                if key[2] in record.marks:
                    continue
                rule = _rule(record.workflow, record.deadlines[key[2]].rule)
                (fires if rule is not None and rule.on_miss is not None else overdue).append(key)
            by_case: dict[str, list[tuple[int, str, int]]] = {}
            for key in fires[:limit] if limit is not None else fires:
                by_case.setdefault(key[1], []).append(key)
            for case_id, keys in by_case.items():
                items.extend(self._fire_keys(case_id, keys, now, dry_run))
            room = None if limit is None else limit - len(items)
            for key in overdue[:room] if room is not None else overdue:
                record = self._records[key[1]]
                items.append(
                    SweepItem(
                        key[1],
                        record.deadlines[key[2]].rule,
                        _codec.local_from_epoch_us(key[0]),
                        SweepOutcome.OVERDUE,
                    )
                )
        return SweepReport(now=now, dry_run=dry_run, items=tuple(items))

    def _fire_keys(
        self, case_id: str, keys: list[tuple[int, str, int]], now: _dt.datetime, dry_run: bool
    ) -> list[SweepItem]:
        record = self._records[case_id]
        case = self._case(case_id)
        due_at = {k[2]: _codec.local_from_epoch_us(k[0]) for k in keys}
        if dry_run:
            return [
                SweepItem(
                    case_id,
                    case.deadlines[k[2]].rule,
                    due_at[k[2]],
                    SweepOutcome.WOULD_FIRE,
                    _rule(record.workflow, case.deadlines[k[2]].rule).on_miss.name,
                )
                for k in keys
            ]
        loaded = case.version
        results = fire_due(case, [(k[2], case.deadlines[k[2]].rule) for k in keys], now)
        if case.version != loaded:
            self._put(case, loaded)
        items = []
        for k, (seq, outcome, trigger, detail, index) in zip(keys, results, strict=True):
            if outcome in (SweepOutcome.FIRED, SweepOutcome.REFUSED):
                current = next((d[0] for d in record.due_keys if d[2] == seq), k[0])
                record.marks[seq] = (current, outcome.value, _codec.epoch_us(now))
            items.append(
                SweepItem(
                    case_id,
                    record.deadlines[seq].rule,
                    due_at[seq],
                    outcome,
                    trigger,
                    detail,
                    index,
                )
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
        """Recompute the open deadlines of every case that has one; save unless ``dry_run``."""
        at = require_aware(at, "at")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("reason", "a recalculation needs a reason")
        moved: list[CaseRecalculation] = []
        failures: list[RecalculationFailure] = []
        with self._lock:
            self._check_open()
            ids = sorted(
                cid for cid, r in self._records.items() if any(d.is_open for d in r.deadlines)
            )
            for case_id in ids:
                try:
                    case = self._case(case_id)
                    loaded = case.version
                    changes = case.recalculate(
                        at=at, reason=reason, calendar=calendar, dry_run=dry_run
                    )
                    if changes and not dry_run:
                        self._check_text(case)
                        self._put(case, loaded)
                except (DisciplineFlowError, LookupError) as exc:
                    failures.append(RecalculationFailure(case_id, str(exc)))
                    continue
                if changes:
                    moved.append(
                        CaseRecalculation(case_id, case.workflow.key, tuple(changes), not dry_run)
                    )
        return RecalculationReport(
            at=at,
            reason=reason,
            dry_run=dry_run,
            cases_checked=len(ids),
            moved=tuple(moved),
            failures=tuple(failures),
        )

    def verify_all(self) -> VerificationReport:
        """Check every case's hash chain; raise at the first problem."""
        with self._lock:
            self._check_open()
            steps = 0
            for case_id in sorted(self._records):
                steps += verify_steps(case_id, self._records[case_id].steps)
            return VerificationReport(cases=len(self._records), steps=steps)


def _rule(workflow: Workflow[Any, Any], name: str) -> Any:
    for rule in workflow.deadline_rules:
        if rule.name == name:
            return rule
    return None
