"""Digests: what a report needs of a stored case, read without rebuilding or verifying it.

A :class:`CaseDigest` holds a case's workflow, state, subject, first and last instants, the
measure its steps decided and a :class:`DeadlineDigest` per deadline. Stores build digests straight
from their tables (:meth:`~discipline_flow.store.CaseStore.digest_many`): no step is decoded, no
hash recomputed, no deadline rebuilt with its explanation trace. Loading a case
(:meth:`~discipline_flow.store.CaseStore.load`) and
:meth:`~discipline_flow.store.CaseStore.verify_all` remain the way to check histories.

>>> import enum, pendulum
>>> from discipline_flow import Member, Transition, Workflow
>>> from discipline_flow.store import CaseDigest, open_store
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2023, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor="person:clerk", case_id="C-1")
>>> _ = case.fire(T.CLOSE, at=at.add(days=3), actor="person:clerk", payload={"measure": "warning"})
>>> with open_store("sqlite:///:memory:", [wf]) as store:
...     _ = store.save(case, expected_version=0)
...     (digest,) = store.digest_many(["C-1"])
>>> digest.state.name, digest.measure.value, digest.is_closed
('CLOSED', 'warning', True)
>>> digest == CaseDigest.of(case)
True

With ``moves=True`` a digest also holds its steps as :class:`Move` values: what each step did,
when and by whom, and the measure its payload named (what a period's indicators count):

>>> with open_store("memory://", [wf]) as store:
...     _ = store.save(case, expected_version=0)
...     (digest,) = store.digest_many(["C-1"], moves=True)
>>> [(m.trigger, m.target, m.actor_kind, m.measure) for m in digest.moves]
[(None, 'OPEN', 'person', None), ('CLOSE', 'CLOSED', 'person', <Measure.WARNING: 'warning'>)]
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from discipline_flow.actors import Subject
from discipline_flow.clock import require_aware
from discipline_flow.measure import Measure
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.time.deadline import Deadline

__all__ = ["CaseDigest", "DeadlineDigest", "Move", "measure_in", "measure_named"]

_MEASURES_BY_NAME = dict(Measure.__members__)
_MEASURES_BY_VALUE = {m.value: m for m in Measure}


def measure_named(value: object) -> Measure | None:
    """The measure ``value`` names (a member, its name or its value); None for anything else.

    >>> measure_named("WARNING"), measure_named("warning"), measure_named("a warning")
    (<Measure.WARNING: 'warning'>, <Measure.WARNING: 'warning'>, None)
    """
    if isinstance(value, Measure):
        return value
    if isinstance(value, str):
        found = _MEASURES_BY_NAME.get(value)
        return found if found is not None else _MEASURES_BY_VALUE.get(value)
    return None


def measure_in(payloads: Iterable[Mapping[str, Any]]) -> Measure | None:
    """The first measure named by the ``measure`` key of ``payloads`` (give them latest first)."""
    for payload in payloads:
        found = measure_named(payload.get("measure"))
        if found is not None:
            return found
    return None


class Move(NamedTuple):
    """One step of a case as a period's report reads it: the trigger fired (its name; None for
    the opening), the state entered (its name), when, the acting body's kind and level (their
    values; the level None when the body states none) and the measure the step's payload names
    under ``measure`` (None when it names none)."""

    trigger: str | None
    target: str
    at: _dt.datetime
    actor_kind: str
    actor_level: str | None
    measure: Measure | None

    @classmethod
    def of(cls, step: Any) -> Move:
        """The move of ``step`` (a :class:`~discipline_flow.case.Step`)."""
        actor = step.actor
        level = actor.level
        return cls(
            None if step.trigger is None else step.trigger.name,
            step.target.name,
            step.at,
            actor.kind.value,
            None if level is None else level.value,
            measure_named(step.payload.get("measure")),
        )


@attrs.frozen
class DeadlineDigest:
    """What became of one deadline: when it ends, when it is overdue, and how it closed.

    ``due_at`` is the exclusive end instant; ``overdue_at`` the instant from which an open
    deadline is overdue (its end, or its cap while it is paused; None while paused without a
    cap); ``met_at`` and ``cancelled_at`` say how a closed deadline closed.
    """

    rule: str
    due_at: _dt.datetime
    overdue_at: _dt.datetime | None
    met_at: _dt.datetime | None = None
    cancelled_at: _dt.datetime | None = None

    @classmethod
    def of(cls, deadline: Deadline) -> DeadlineDigest:
        """The digest of ``deadline``."""
        overdue = deadline.cap_at if deadline.is_paused else deadline.due_at
        return cls(deadline.rule, deadline.due_at, overdue, deadline.met_at, deadline.cancelled_at)

    @property
    def is_open(self) -> bool:
        """Neither met nor cancelled."""
        return self.met_at is None and self.cancelled_at is None

    def is_overdue(self, now: _dt.datetime) -> bool:
        """Whether the deadline is open and overdue at ``now`` (its status there is overdue)."""
        now = require_aware(now, "now")
        return self.is_open and self.overdue_at is not None and now >= self.overdue_at


@attrs.frozen
class CaseDigest:
    """A stored case as a report reads it, built from the store's tables without its history.

    ``opened_at`` and ``last_at`` are the instants of its first and latest steps; ``measure`` is
    the last measure named by the ``measure`` key of its steps' payloads (the decision as last
    changed); ``deadlines`` are in the order of ``case.deadlines``; ``moves`` are its steps in
    order, as :class:`Move` values, when asked for (``digest_many(ids, moves=True)``; None
    otherwise). Nothing is verified: use
    :meth:`~discipline_flow.store.CaseStore.load` or
    :meth:`~discipline_flow.store.CaseStore.verify_all` for that.
    """

    id: str
    workflow: Workflow[Any, Any]
    state: enum.Enum
    version: int
    subject: Subject
    opened_at: _dt.datetime
    last_at: _dt.datetime
    origin_case_id: str | None
    measure: Measure | None
    deadlines: tuple[DeadlineDigest, ...]
    moves: tuple[Move, ...] | None = None

    @classmethod
    def of(cls, case: Case[Any, Any], *, moves: bool = False) -> CaseDigest:
        """The digest of ``case`` (what every store's ``digest_many`` returns for it, with its
        moves when ``moves``)."""
        steps = case.steps
        origin = case.origin
        return cls(
            case.id,
            case.workflow,
            case.state,
            len(steps),
            case.subject,
            steps[0].at,
            steps[-1].at,
            origin.case_id if origin is not None else None,
            measure_in(s.payload for s in reversed(steps)),
            tuple(DeadlineDigest.of(d) for d in case.deadlines),
            tuple(Move.of(s) for s in steps) if moves else None,
        )

    @property
    def is_closed(self) -> bool:
        """Whether the case is in a terminal state."""
        return self.state in self.workflow.terminal
