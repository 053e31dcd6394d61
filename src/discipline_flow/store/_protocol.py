"""The :class:`CaseStore` protocol and the values stores return.

Every store (memory, SQLite, PostgreSQL) implements the same protocol with the same semantics, so
code written against :class:`CaseStore` runs unchanged on any of them.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from discipline_flow.case import Case, RecalculatedDeadline, Step
from discipline_flow.store._digest import CaseDigest, DeadlineDigest, Move
from discipline_flow.store._retry import RetryPolicy, StuckDeadline

if TYPE_CHECKING:
    from discipline_flow.time.calendar import Calendar

__all__ = [
    "CaseDigest",
    "CaseRecalculation",
    "CaseStore",
    "CaseSummary",
    "DeadlineDigest",
    "DueDeadline",
    "Move",
    "RecalculationFailure",
    "RecalculationReport",
    "SweepItem",
    "SweepOutcome",
    "SweepReport",
    "VerificationReport",
]


@attrs.frozen
class CaseSummary:
    """A light view of a stored case, read from the ``cases`` table without its history.

    Times are aware datetimes in the library's default timezone (Asia/Ho_Chi_Minh).
    """

    id: str
    workflow: str
    workflow_version: str
    subject_kind: str
    subject_id: str
    state: str
    version: int
    opened_at: _dt.datetime
    last_at: _dt.datetime
    ruleset: str | None
    origin_case_id: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict (times as ISO text)."""
        data = attrs.asdict(self)
        data["opened_at"] = self.opened_at.isoformat()
        data["last_at"] = self.last_at.isoformat()
        return data


@attrs.frozen
class DueDeadline:
    """An open deadline whose ``due_at`` has passed, as the due index holds it.

    ``seq`` is the deadline's position in ``case.deadlines``; ``on_miss`` the name of the trigger a
    sweep fires (None: status only); ``fired_at`` when a sweep already handled it.
    """

    case_id: str
    seq: int
    rule: str
    due_at: _dt.datetime
    on_miss: str | None
    fired_at: _dt.datetime | None = None


class SweepOutcome(enum.Enum):
    """What a sweep did with one due deadline.

    ``REFUSED`` is final (the guards said no); ``RETRYING`` and ``FAILED`` are failures (the
    case could not be loaded, an action raised, the store failed): the first stays due for a
    later sweep, the second ran out of attempts (see :class:`RetryPolicy`).
    """

    FIRED = "fired"  # the rule's on_miss trigger fired and was saved
    WOULD_FIRE = "would_fire"  # dry run: the trigger would be fired
    OVERDUE = "overdue"  # the rule has no on_miss trigger: reported, nothing fired
    REFUSED = "refused"  # the guards refused the trigger; marked, not tried again until re-armed
    RETRYING = "retrying"  # the fire failed; a later sweep tries again once its backoff passed
    FAILED = "failed"  # the fire failed on its last allowed attempt; left until re-armed
    SKIPPED = "skipped"  # the deadline was no longer open and due when the sweep reached it
    CONFLICT = "conflict"  # the case changed under the sweep; left for the next sweep


@attrs.frozen
class SweepItem:
    """One due deadline a sweep dealt with, and how.

    ``attempts`` counts the failed attempts so far of a ``retrying`` or ``failed`` item (this
    one included); ``retry_at`` is when a later sweep may try a ``retrying`` one again.
    """

    case_id: str
    rule: str
    due_at: _dt.datetime
    outcome: SweepOutcome
    trigger: str | None = None
    detail: str | None = None
    step_index: int | None = None
    attempts: int = 0
    retry_at: _dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return {
            "case_id": self.case_id,
            "rule": self.rule,
            "due_at": self.due_at.isoformat(),
            "outcome": self.outcome.value,
            "trigger": self.trigger,
            "detail": self.detail,
            "step_index": self.step_index,
            "attempts": self.attempts,
            "retry_at": None if self.retry_at is None else self.retry_at.isoformat(),
        }


@attrs.frozen
class SweepReport:
    """What one sweep found and did."""

    now: _dt.datetime
    dry_run: bool
    items: tuple[SweepItem, ...]

    def count(self, outcome: SweepOutcome) -> int:
        """How many items had ``outcome``."""
        return sum(1 for item in self.items if item.outcome is outcome)

    @property
    def fired(self) -> tuple[SweepItem, ...]:
        """The items whose trigger fired."""
        return tuple(i for i in self.items if i.outcome is SweepOutcome.FIRED)

    @property
    def failures(self) -> tuple[SweepItem, ...]:
        """The items whose fire failed in this sweep (``retrying`` or ``failed``)."""
        return tuple(i for i in self.items if i.outcome in _FAILURES)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict with counts per outcome."""
        return {
            "now": self.now.isoformat(),
            "dry_run": self.dry_run,
            "counts": {o.value: self.count(o) for o in SweepOutcome},
            "failed": bool(self.failures),
            "items": [i.to_dict() for i in self.items],
        }

    def text(self) -> str:
        """A readable summary, one line per item."""
        counts = ", ".join(f"{self.count(o)} {o.value}" for o in SweepOutcome if self.count(o))
        head = f"sweep at {self.now.isoformat()}{' (dry run)' if self.dry_run else ''}: "
        lines = [head + (counts or "nothing due")]
        for i in self.items:
            extra = f" {i.trigger}" if i.trigger else ""
            if i.outcome is SweepOutcome.RETRYING and i.retry_at is not None:
                extra += f" (attempt {i.attempts}, next try from {i.retry_at.isoformat()})"
            elif i.outcome is SweepOutcome.FAILED:
                extra += f" (gave up after {i.attempts} attempts)"
            why = f" ({i.detail})" if i.detail else ""
            lines.append(
                f"  {i.outcome.value:<10} {i.case_id} {i.rule} due {i.due_at.isoformat()}"
                f"{extra}{why}"
            )
        return "\n".join(lines)


_FAILURES = (SweepOutcome.RETRYING, SweepOutcome.FAILED)


@attrs.frozen
class CaseRecalculation:
    """The deadlines of one case that moved in a recalculation."""

    case_id: str
    workflow: str
    changes: tuple[RecalculatedDeadline, ...]
    applied: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return {
            "case_id": self.case_id,
            "workflow": self.workflow,
            "applied": self.applied,
            "changes": [
                {
                    "rule": c.rule,
                    "old_due_on": c.old_due_on.isoformat(),
                    "new_due_on": c.new_due_on.isoformat(),
                    "moved_days": c.moved_days,
                }
                for c in self.changes
            ],
        }


@attrs.frozen
class RecalculationFailure:
    """A case a recalculation could not handle (a conflict or an error), with the reason."""

    case_id: str
    problem: str


@attrs.frozen
class RecalculationReport:
    """Which deadlines of open cases moved, by how much, and whether the change was saved."""

    at: _dt.datetime
    reason: str
    dry_run: bool
    cases_checked: int
    moved: tuple[CaseRecalculation, ...]
    failures: tuple[RecalculationFailure, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return {
            "at": self.at.isoformat(),
            "reason": self.reason,
            "dry_run": self.dry_run,
            "cases_checked": self.cases_checked,
            "moved": [m.to_dict() for m in self.moved],
            "failures": [attrs.asdict(f) for f in self.failures],
        }

    def text(self) -> str:
        """A readable summary, one line per moved deadline."""
        verb = "would move" if self.dry_run else "moved"
        count = sum(len(m.changes) for m in self.moved)
        lines = [
            f"recalculation ({self.reason}): {self.cases_checked} open cases checked, "
            f"{count} deadlines in {len(self.moved)} cases {verb}"
            + (" (dry run; --apply to save)" if self.dry_run else "")
        ]
        for m in self.moved:
            for c in m.changes:
                lines.append(
                    f"  {m.case_id} {c.rule}: {c.old_due_on.isoformat()} -> "
                    f"{c.new_due_on.isoformat()} ({c.moved_days:+d} days)"
                )
        for f in self.failures:
            lines.append(f"  FAILED {f.case_id}: {f.problem}")
        return "\n".join(lines)


@attrs.frozen
class VerificationReport:
    """The result of :meth:`CaseStore.verify_all` when every case verified.

    ``chain_only`` lists cases whose workflow is not in the store's registry: their hash chain and
    recorded head were checked, but not their moves against a definition.
    """

    cases: int
    steps: int
    chain_only: tuple[str, ...] = ()


@runtime_checkable
class CaseStore(Protocol):
    """Where cases live: append-only hash-chained histories with optimistic concurrency.

    ``save`` takes the version the caller loaded (0 for a new case); when the stored version
    differs it raises :class:`~discipline_flow.errors.ConcurrencyConflict` and writes nothing.
    Only the new steps are appended; stored steps are never updated or deleted. ``load``
    verifies the hash chain and raises :class:`~discipline_flow.errors.TamperedHistoryError`
    naming the first bad step.
    """

    def save(self, case: Case[Any, Any], *, expected_version: int) -> int:
        """Append the case's new steps; return the stored version (the number of steps)."""
        ...

    def save_many(self, cases: Iterable[tuple[Case[Any, Any], int]]) -> int:
        """Save several ``(case, expected_version)`` pairs in one transaction, all or nothing."""
        ...

    def load(self, case_id: str) -> Case[Any, Any]:
        """The case ``case_id``, its chain verified."""
        ...

    def load_many(self, case_ids: Sequence[str]) -> list[Case[Any, Any]]:
        """Several cases, in the order asked, each verified."""
        ...

    def digest_many(self, case_ids: Sequence[str], *, moves: bool = False) -> list[CaseDigest]:
        """What a report needs of several cases, in the order asked, read without rebuilding
        or verifying them (:class:`CaseDigest`); with ``moves``, each with its steps as
        :class:`~discipline_flow.store.Move` values."""
        ...

    def exists(self, case_id: str) -> bool:
        """Whether a case with that id is stored."""
        ...

    def version(self, case_id: str) -> int:
        """The stored version of ``case_id`` (its number of steps)."""
        ...

    def query(
        self,
        *,
        workflow: str | None = None,
        state: str | enum.Enum | None = None,
        subject_id: str | None = None,
        body_id: str | None = None,
        opened_from: _dt.datetime | None = None,
        opened_until: _dt.datetime | None = None,
        ruleset: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """Summaries of the cases matching every given filter, oldest first."""
        ...

    def query_ids(
        self,
        *,
        workflow: str | None = None,
        state: str | enum.Enum | None = None,
        subject_id: str | None = None,
        body_id: str | None = None,
        opened_from: _dt.datetime | None = None,
        opened_until: _dt.datetime | None = None,
        ruleset: str | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """The ids of the cases :meth:`query` would summarise, in the same order (a report's
        list of cases to read, without building their summaries)."""
        ...

    def history(self, case_id: str) -> list[Step[Any, Any]]:
        """The verified steps of ``case_id``."""
        ...

    def linked(self, case_id: str) -> list[CaseSummary]:
        """Every case of the matter ``case_id`` belongs to: its root and all descendants."""
        ...

    def as_of(self, case_id: str, at: _dt.datetime) -> Case[Any, Any]:
        """The case as it stood at ``at``."""
        ...

    def due(self, now: _dt.datetime, *, limit: int | None = None) -> list[DueDeadline]:
        """Open deadlines with ``due_at <= now``, earliest first, read through the due index."""
        ...

    def sweep(
        self,
        now: _dt.datetime,
        *,
        dry_run: bool = False,
        limit: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> SweepReport:
        """Fire the ``on_miss`` trigger of every due deadline, each exactly once; a fire that
        fails is tried again by later sweeps as ``retry`` says (default :class:`RetryPolicy`)."""
        ...

    def stuck_deadlines(self, *, limit: int | None = None) -> list[StuckDeadline]:
        """Open deadlines whose ``on_miss`` trigger sweeps refused, are retrying or gave up on,
        earliest due first."""
        ...

    def rearm(self, case_id: str, rule: str | None = None) -> list[StuckDeadline]:
        """Let the next sweep try the stuck deadlines of ``case_id`` (of ``rule`` only, when
        given) again, their attempts forgotten; return those re-armed."""
        ...

    def recalculate(
        self,
        at: _dt.datetime,
        *,
        reason: str,
        calendar: Calendar | None = None,
        dry_run: bool = True,
    ) -> RecalculationReport:
        """Recompute the open deadlines of every open case; save the moves unless ``dry_run``."""
        ...

    def verify_all(self) -> VerificationReport:
        """Check every stored case; raise at the first problem."""
        ...

    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""
        ...

    def __enter__(self) -> CaseStore:
        """The store itself."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        ...
