"""Sweeps and recalculations, written once for every store.

A store provides units of work (:class:`Unit`): a transaction on a SQL store, the store's lock on
the memory store. Through them the functions here read due deadlines a batch at a time, load
cases, fire their ``on_miss`` triggers or recompute their deadlines, save them and mark what was
done, with the same outcomes and reports on every store. A fire that fails (as opposed to one
the guards refuse) is recorded as an attempt and tried again by later sweeps
(:mod:`~discipline_flow.store._retry`); stuck deadlines are listed and re-armed here too.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from discipline_flow.actors import Body, BodyKind
from discipline_flow.case import Case
from discipline_flow.clock import require_aware
from discipline_flow.errors import (
    CaseNotFoundError,
    ConcurrencyConflict,
    DisciplineFlowError,
    InputError,
    TransitionRefused,
)
from discipline_flow.store._args import check_ids, check_limit, check_reason
from discipline_flow.store._protocol import (
    CaseRecalculation,
    RecalculationFailure,
    RecalculationReport,
    SweepItem,
    SweepOutcome,
    SweepReport,
)
from discipline_flow.store._retry import RetryPolicy, StuckDeadline
from discipline_flow.time import DeadlineStatus

if TYPE_CHECKING:
    from discipline_flow.time import Calendar

__all__ = [
    "SWEEP_ACTOR",
    "DueRow",
    "Mark",
    "Unit",
    "Worker",
    "rearm",
    "recalculate",
    "stuck_deadlines",
    "sweep",
]

#: Who fires the ``on_miss`` triggers of missed deadlines.
SWEEP_ACTOR = Body(BodyKind.SYSTEM, "sweep")

_SWEEP_BATCH = 200
_RECALC_BATCH = 100


class DueRow(NamedTuple):
    """An open deadline of the due index: its case, position, rule, overdue instant (local
    time), the name of the trigger its rule fires when missed (None: status only) and how many
    times sweeps failed to fire it so far."""

    case_id: str
    seq: int
    rule: str
    due_at: _dt.datetime
    on_miss: str | None
    attempts: int = 0


class Mark(NamedTuple):
    """What a sweep did with a due deadline, recorded so that it is not done twice.

    ``FIRED`` and ``REFUSED`` are final and recorded on the deadline (its attempts forgotten);
    ``RETRYING`` and ``FAILED`` are recorded apart from the case, as the sweep's attempts at the
    deadline due at ``due_at``: ``attempts`` so far, the next try from ``retry_at`` (None once
    failed)."""

    case_id: str
    seq: int
    at: _dt.datetime
    outcome: SweepOutcome
    detail: str | None
    due_at: _dt.datetime
    attempts: int
    retry_at: _dt.datetime | None


class Unit(Protocol):
    """One unit of work on a store: everything read in it is one snapshot, everything written
    is kept or dropped together."""

    def due_rows(
        self, now: _dt.datetime, after: DueRow | None, limit: int, *, fires: bool, claim: bool
    ) -> list[DueRow]:
        """Due rows not yet handled, in due order after ``after``: those whose rule fires a
        trigger, or (``fires=False``) those that only have a status. ``claim`` holds them (and
        their cases) against other workers, skipping rows another worker holds. Rows whose
        fire failed are left out while they wait for their next try, and once failed."""
        ...

    def due_rows_of(self, case_id: str, now: _dt.datetime) -> list[DueRow]:
        """Every due row of ``case_id`` whose rule fires a trigger, not yet handled (nor
        waiting for its next try, nor failed)."""
        ...

    def savepoint(self) -> contextlib.AbstractContextManager[None]:
        """A nested unit whose writes are dropped alone when its block raises."""
        ...

    def load(self, case_id: str) -> Case[Any, Any]:
        """The case, verified."""
        ...

    def save(self, case: Case[Any, Any], expected_version: int) -> None:
        """Save the case's new steps and its deadlines, its stored version checked."""
        ...

    def mark(self, marks: Sequence[Mark]) -> None:
        """Record what a sweep did with these due deadlines."""
        ...

    def has_case(self, case_id: str) -> bool:
        """Whether the case is stored (read without loading it)."""
        ...

    def stuck(
        self, case_id: str | None, rule: str | None, limit: int | None
    ) -> list[StuckDeadline]:
        """The stuck deadlines (of ``case_id`` and ``rule`` when given), earliest due first."""
        ...

    def forget(self, stuck: Sequence[StuckDeadline]) -> None:
        """Clear the refusals and attempts of these stuck deadlines."""
        ...


class Worker(Protocol):
    """A store as the functions of this module use it."""

    def unit(self, *, write: bool) -> contextlib.AbstractContextManager[Unit]:
        """A unit of work; a read-only one when not ``write``."""
        ...

    def open_case_ids(self) -> list[str]:
        """The ids of the cases with an open deadline, in order."""
        ...


# --------------------------------------------------------------------------- sweeping


def sweep(
    store: Worker,
    now: _dt.datetime,
    *,
    dry_run: bool,
    limit: int | None,
    retry: RetryPolicy | None = None,
) -> SweepReport:
    """Fire the ``on_miss`` trigger of every open deadline overdue at ``now``, each once; a fire
    that fails is recorded as ``retry`` says (default :class:`RetryPolicy`).

    Items come in the order handled: the fires first, then the deadlines that only have a status.
    """
    now = require_aware(now, "now")
    limit = check_limit(limit)
    if retry is None:
        retry = RetryPolicy()
    elif not isinstance(retry, RetryPolicy):
        raise InputError("retry", f"expected a RetryPolicy or None, got {type(retry).__name__}")
    items: list[SweepItem] = []
    # 1. Rows whose rule fires a trigger, claimed (with their case) a batch at a time.
    after: DueRow | None = None
    while limit is None or len(items) < limit:
        batch = _SWEEP_BATCH if limit is None else min(_SWEEP_BATCH, limit - len(items))
        with store.unit(write=not dry_run) as unit:
            rows = unit.due_rows(now, after, batch, fires=True, claim=not dry_run)
            if not rows:
                break
            after = rows[-1]
            if dry_run:
                items.extend(_reported(rows, SweepOutcome.WOULD_FIRE))
            else:
                room = None if limit is None else limit - len(items)
                items.extend(_fire_cases(unit, rows, now, room, retry))
        if len(rows) < batch:
            break
    # 2. Rows whose rule only has a status: reported, nothing written.
    after = None
    while limit is None or len(items) < limit:
        batch = _SWEEP_BATCH if limit is None else min(_SWEEP_BATCH, limit - len(items))
        with store.unit(write=False) as unit:
            rows = unit.due_rows(now, after, batch, fires=False, claim=False)
        if not rows:
            break
        after = rows[-1]
        items.extend(_reported(rows, SweepOutcome.OVERDUE))
        if len(rows) < batch:
            break
    return SweepReport(now=now, dry_run=dry_run, items=tuple(items))


def _reported(rows: Sequence[DueRow], outcome: SweepOutcome) -> list[SweepItem]:
    return [SweepItem(r.case_id, r.rule, r.due_at, outcome, r.on_miss) for r in rows]


#: What fire_due did with one deadline: (position, outcome, trigger, detail, step index).
#: RETRYING stands for any failure; the caller decides between RETRYING and FAILED.
Done = tuple[int, SweepOutcome, str | None, str | None, int | None]


def _fire_cases(
    unit: Unit, rows: Sequence[DueRow], now: _dt.datetime, room: int | None, retry: RetryPolicy
) -> list[SweepItem]:
    """Fire the due deadlines of the cases of the claimed ``rows``.

    The claim picks the cases; once a case is held, every due and unhandled deadline of it is
    fired, so a deadline is not left behind because another worker held its case. A case that
    cannot be loaded is not written to: its deadlines are failures, recorded apart from it.
    """
    items: list[SweepItem] = []
    marks: list[Mark] = []
    for case_id in dict.fromkeys(r.case_id for r in rows):
        if room is not None and len(items) >= room:
            break
        due = unit.due_rows_of(case_id, now)
        if room is not None:
            due = due[: room - len(items)]
        if not due:
            continue  # handled with an earlier batch
        stage = "cannot load"
        try:
            with unit.savepoint():
                case = unit.load(case_id)
                stage = "cannot save"
                loaded = case.version
                done = fire_due(case, [(r.seq, r.rule) for r in due], now)
                if case.version != loaded:
                    unit.save(case, loaded)
        except ConcurrencyConflict as exc:
            done = [(r.seq, SweepOutcome.CONFLICT, r.on_miss, str(exc), None) for r in due]
        except (DisciplineFlowError, LookupError) as exc:
            failed = SweepOutcome.RETRYING
            done = [(r.seq, failed, r.on_miss, f"{stage}: {exc}", None) for r in due]
        for (seq, result, trigger, detail, index), r in zip(done, due, strict=True):
            outcome, attempts, retry_at = result, r.attempts, None
            if outcome is SweepOutcome.RETRYING:
                attempts += 1
                if retry.gives_up(attempts):
                    outcome = SweepOutcome.FAILED
                else:
                    retry_at = now + retry.delay(attempts)
            items.append(
                SweepItem(
                    case_id,
                    r.rule,
                    r.due_at,
                    outcome,
                    trigger,
                    detail,
                    index,
                    attempts if outcome in _FAILED else 0,
                    retry_at,
                )
            )
            if outcome in _MARKED:
                marks.append(Mark(case_id, seq, now, outcome, detail, r.due_at, attempts, retry_at))
    if marks:
        unit.mark(marks)
    return items


_FAILED = (SweepOutcome.RETRYING, SweepOutcome.FAILED)
_MARKED = (SweepOutcome.FIRED, SweepOutcome.REFUSED, *_FAILED)


def fire_due(case: Case[Any, Any], due: Sequence[tuple[int, str]], now: _dt.datetime) -> list[Done]:
    """Fire the ``on_miss`` trigger of each ``(position, rule)`` deadline of ``case`` due at
    ``now``; return ``(position, outcome, trigger, detail, step index)`` for each.

    Only the guards' refusal is ``REFUSED``; anything else that keeps the trigger from firing
    (an action that raised, a rule the workflow no longer has, ...) is a failure, ``RETRYING``.
    """
    results: list[Done] = []
    for seq, rule_name in due:
        if seq >= len(case.deadlines) or case.deadlines[seq].rule != rule_name:
            results.append((seq, SweepOutcome.SKIPPED, None, "the deadline is not stored", None))
            continue
        deadline = case.deadlines[seq]
        status = deadline.status(now)
        if status is not DeadlineStatus.OVERDUE:
            results.append((seq, SweepOutcome.SKIPPED, None, f"now {status.value}", None))
            continue
        try:
            rule = case.workflow.rule(rule_name)
        except LookupError as exc:
            results.append((seq, SweepOutcome.RETRYING, None, str(exc), None))
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
        except TransitionRefused as exc:
            results.append((seq, SweepOutcome.REFUSED, trigger, str(exc), None))
            continue
        except DisciplineFlowError as exc:
            results.append((seq, SweepOutcome.RETRYING, trigger, str(exc), None))
            continue
        results.append((seq, SweepOutcome.FIRED, trigger, None, step.index))
    return results


# --------------------------------------------------------------------------- stuck deadlines


def stuck_deadlines(store: Worker, limit: int | None) -> list[StuckDeadline]:
    """The open deadlines whose ``on_miss`` trigger sweeps refused, are retrying or gave up on,
    earliest due first."""
    limit = check_limit(limit)
    with store.unit(write=False) as unit:
        return unit.stuck(None, None, limit)


def rearm(store: Worker, case_id: str, rule: str | None) -> list[StuckDeadline]:
    """Let the next sweep try the stuck deadlines of ``case_id`` (of ``rule`` only, when given)
    again; return those re-armed (none: nothing of the case was stuck)."""
    (case_id,) = check_ids([case_id])
    if rule is not None and (not isinstance(rule, str) or not rule):
        raise InputError("rule", f"expected the name of a deadline rule or None, got {rule!r}")
    with store.unit(write=True) as unit:
        if not unit.has_case(case_id):
            raise CaseNotFoundError(f"no case {case_id!r} is stored")
        stuck = unit.stuck(case_id, rule, None)
        if stuck:
            unit.forget(stuck)
    return stuck


# --------------------------------------------------------------------------- recalculating


def recalculate(
    store: Worker,
    at: _dt.datetime,
    *,
    reason: str,
    calendar: Calendar | None,
    dry_run: bool,
) -> RecalculationReport:
    """Recompute the open deadlines of every case that has one; save the moves unless
    ``dry_run``, each case in a savepoint of its own (a failure is reported, not raised)."""
    at = require_aware(at, "at")
    reason = check_reason(reason)
    moved: list[CaseRecalculation] = []
    failures: list[RecalculationFailure] = []
    ids = store.open_case_ids()
    for start in range(0, len(ids), _RECALC_BATCH):
        with store.unit(write=not dry_run) as unit:
            for case_id in ids[start : start + _RECALC_BATCH]:
                try:
                    with unit.savepoint():
                        case = unit.load(case_id)
                        loaded = case.version
                        changes = case.recalculate(
                            at=at, reason=reason, calendar=calendar, dry_run=dry_run
                        )
                        if changes and not dry_run:
                            unit.save(case, loaded)
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
