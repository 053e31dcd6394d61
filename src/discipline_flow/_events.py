"""The events a case tells its listeners (:mod:`discipline_flow.observe`) after each move.

Kept apart from :mod:`discipline_flow.case`: building an event is only done when someone
listens, and the case module stays about moving cases.
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow.compiled import Attempt
from discipline_flow.observe import FireEvent, GuardOutcome, Listener
from discipline_flow.time import Deadline

__all__ = ["notify_fire", "notify_opened"]


def notify_fire(
    listeners: tuple[Listener, ...],
    case: Any,
    attempt: Attempt,
    trigger: enum.Enum,
    source: enum.Enum,
    target: enum.Enum | None,
    before: list[Deadline] | None,
) -> None:
    """Tell ``listeners`` what a fire of ``case`` did (``target`` None: refused); ``before``
    holds the case's deadlines before the move (None: the move changed none)."""
    started: tuple[str, ...] = ()
    met: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    if before is not None and case.deadlines is not before:
        old = {id(d) for d in before}  # the deadlines this move made are new objects
        new_items = [d for d in case.deadlines if id(d) not in old]
        known = {(d.rule, d.started_at) for d in before}
        started = tuple(d.rule for d in new_items if (d.rule, d.started_at) not in known)
        met = tuple(d.rule for d in new_items if d.met_at is not None)
        cancelled = tuple(d.rule for d in new_items if d.cancelled_at is not None)
    taken = attempt.taken
    event = FireEvent(
        workflow=case.workflow.key,
        case_id=case.id,
        trigger=trigger.name,
        source=source.name,
        target=target.name if target is not None else None,
        transition=taken.index if taken is not None and target is not None else None,
        refused=target is None,
        guards=tuple(GuardOutcome(i, name, ok) for i, name, ok in attempt.outcomes),
        deadlines_started=started,
        deadlines_met=met,
        deadlines_cancelled=cancelled,
    )
    for listener in listeners:
        listener(event)


def notify_opened(listeners: tuple[Listener, ...], case: Any) -> None:
    """Tell ``listeners`` that ``case`` was opened (with the deadlines its opening started)."""
    event = FireEvent(
        workflow=case.workflow.key,
        case_id=case.id,
        trigger="",
        source="",
        target=case.state.name,
        transition=None,
        refused=False,
        guards=(),
        deadlines_started=tuple(d.rule for d in case.deadlines),
        is_opening=True,
    )
    for listener in listeners:
        listener(event)
