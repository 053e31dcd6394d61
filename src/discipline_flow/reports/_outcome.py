"""What became of a deadline by a given instant, judged from the deadline or from its digest.

>>> DeadlineOutcome.EXPIRED.label.text("vi")
'đã hết hạn'
"""

from __future__ import annotations

import datetime as _dt
import enum

from discipline_flow.clock import require_aware
from discipline_flow.store._digest import DeadlineDigest
from discipline_flow.time.deadline import Deadline, DeadlineStatus
from discipline_flow.workflow import Label

__all__ = ["DeadlineOutcome", "deadline_outcome", "digest_outcome"]


class DeadlineOutcome(enum.Enum):
    """What became of a deadline by the year's end."""

    MET = "met"  # met before its end
    MET_LATE = "met_late"  # met at or after its end
    MISSED = "missed"  # overdue and still open: nobody acted and nothing fired
    EXPIRED = "expired"  # closed at or after its end: the sweep fired the rule's miss trigger
    OPEN = "open"  # running (or paused) and not yet due
    CANCELLED = "cancelled"  # closed before its end because the case took another path

    @property
    def label(self) -> Label:
        """The outcome's name in English and Vietnamese."""
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    DeadlineOutcome.MET: Label("met on time", "đúng hạn"),
    DeadlineOutcome.MET_LATE: Label("met late", "hoàn thành quá hạn"),
    DeadlineOutcome.MISSED: Label("missed", "quá hạn"),
    DeadlineOutcome.EXPIRED: Label("ran out", "đã hết hạn"),
    DeadlineOutcome.OPEN: Label("still open", "đang trong hạn"),
    DeadlineOutcome.CANCELLED: Label("cancelled", "không còn áp dụng"),
}


def deadline_outcome(deadline: Deadline | DeadlineDigest, as_of: _dt.datetime) -> DeadlineOutcome:
    """What became of ``deadline`` (or its digest) by ``as_of`` (see :class:`DeadlineOutcome`)."""
    if isinstance(deadline, DeadlineDigest):
        return digest_outcome(deadline, require_aware(as_of, "as_of"))
    status = deadline.status(as_of)
    if status is DeadlineStatus.MET:
        return DeadlineOutcome.MET_LATE if deadline.is_met_late else DeadlineOutcome.MET
    if status is DeadlineStatus.CANCELLED:
        cancelled = deadline.cancelled_at
        if cancelled is not None and cancelled >= deadline.due_at:
            return DeadlineOutcome.EXPIRED
        return DeadlineOutcome.CANCELLED
    if status is DeadlineStatus.OVERDUE:
        return DeadlineOutcome.MISSED
    return DeadlineOutcome.OPEN


def digest_outcome(deadline: DeadlineDigest, as_of: _dt.datetime) -> DeadlineOutcome:
    """:func:`deadline_outcome` of a digest, ``as_of`` already checked (the report's loop)."""
    if deadline.met_at is not None:
        late = deadline.met_at >= deadline.due_at
        return DeadlineOutcome.MET_LATE if late else DeadlineOutcome.MET
    if deadline.cancelled_at is not None:
        expired = deadline.cancelled_at >= deadline.due_at
        return DeadlineOutcome.EXPIRED if expired else DeadlineOutcome.CANCELLED
    overdue = deadline.overdue_at
    if overdue is not None and as_of >= overdue:
        return DeadlineOutcome.MISSED
    return DeadlineOutcome.OPEN
