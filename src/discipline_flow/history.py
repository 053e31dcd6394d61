"""A case's history: steps, each hash-chained to the one before it.

Every move of a case is a :class:`Step`: what happened (opening, fire, recalculation), from and to
which state, when, by whom, on what basis, with what payload, and the SHA-256 of its canonical
form (:mod:`discipline_flow.canonical`) chained to the step before. :func:`verify_steps` checks a
whole chain and names the first step that was edited, removed or reordered.

>>> import datetime as dt, enum
>>> from discipline_flow import Body, BodyKind
>>> class S(enum.Enum):
...     OPEN = "open"
>>> at = dt.datetime(2025, 3, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
>>> first = Step.record(case_id="C-1", previous=None, kind=StepKind.OPEN, trigger=None,
...                     source=None, target=S.OPEN, at=at, actor=Body(BodyKind.SYSTEM, "clerk"),
...                     basis=None, payload={})
>>> verify_steps("C-1", [first])
1
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from discipline_flow.actors import Body
from discipline_flow.canonical import canonical_bytes, digest, genesis_hash
from discipline_flow.errors import InputError, TamperedHistoryError

__all__ = ["Origin", "Step", "StepKind", "genesis_hash", "verify_steps"]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)


class StepKind(enum.Enum):
    """What a step records."""

    OPEN = "open"  # the case was opened
    FIRE = "fire"  # a trigger moved the case
    RECALCULATE = "recalculate"  # deadlines were recomputed after a calendar or rule change


@attrs.frozen
class Origin:
    """Where a child case came from: the parent case and the step that opened it."""

    case_id: str
    workflow: str
    step_index: int


@attrs.frozen
class Step(Generic[S, T]):
    """One entry of a case's history, hash-chained to the one before it.

    ``hash`` is the SHA-256 of the step's canonical form (:meth:`canonical`), which includes
    ``previous_hash``; the first step chains to :func:`genesis_hash` of the case id.
    """

    index: int
    kind: StepKind
    trigger: T | None
    source: S | None
    target: S
    at: _dt.datetime
    actor: Body
    basis: str | None
    payload: Mapping[str, Any]
    previous_hash: str
    hash: str

    @classmethod
    def record(
        cls,
        *,
        case_id: str,
        previous: Step[S, T] | None,
        kind: StepKind,
        trigger: T | None,
        source: S | None,
        target: S,
        at: _dt.datetime,
        actor: Body,
        basis: str | None,
        payload: Mapping[str, Any],
    ) -> Step[S, T]:
        """The step that follows ``previous`` (None: the first step of case ``case_id``), its
        hash computed. The payload must be normalized already
        (:func:`~discipline_flow.normalize_payload`); one JSON cannot hold exactly raises
        :class:`~discipline_flow.errors.InputError`."""
        index = 0 if previous is None else previous.index + 1
        previous_hash = genesis_hash(case_id) if previous is None else previous.hash
        level = actor.level
        # ``_name_`` and ``_value_``: the enum members' documented attributes, read without the
        # ``name``/``value`` properties' descriptor calls (six per step, on every fire).
        try:
            data = canonical_bytes(
                previous_hash=previous_hash,
                index=index,
                kind=kind._value_,
                trigger=None if trigger is None else trigger._name_,
                source=None if source is None else source._name_,
                target=target._name_,
                at=at,
                actor_kind=actor.kind._value_,
                actor_id=actor.id,
                actor_level=None if level is None else level._value_,
                basis=basis,
                payload=payload,
            )
        except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
            raise InputError("payload", f"cannot be stored: {exc}") from None
        return cls(
            index,
            kind,
            trigger,
            source,
            target,
            at,
            actor,
            basis,
            payload,
            previous_hash,
            digest(data),
        )

    def canonical(self) -> bytes:
        """The bytes the hash is computed over."""
        level = self.actor.level
        return canonical_bytes(
            previous_hash=self.previous_hash,
            index=self.index,
            kind=self.kind.value,
            trigger=None if self.trigger is None else self.trigger.name,
            source=None if self.source is None else self.source.name,
            target=self.target.name,
            at=self.at,
            actor_kind=self.actor.kind.value,
            actor_id=self.actor.id,
            actor_level=None if level is None else level.value,
            basis=self.basis,
            payload=self.payload,
        )


def verify_steps(case_id: str, steps: Sequence[Step[Any, Any]]) -> int:
    """Check a case's hash chain; return the number of steps verified.

    Raises :class:`~discipline_flow.errors.TamperedHistoryError` at the first step that is out of
    place, does not chain to the one before it, or was edited after it was recorded.
    """
    previous = genesis_hash(case_id)
    for position, step in enumerate(steps):
        if step.index != position:
            raise TamperedHistoryError(
                f"case {case_id}: step {position} is missing or out of order "
                f"(found index {step.index})"
            )
        if step.previous_hash != previous:
            raise TamperedHistoryError(
                f"case {case_id}: step {position} does not chain to the step before it"
            )
        if digest(step.canonical()) != step.hash:
            raise TamperedHistoryError(
                f"case {case_id}: step {position} ({step.kind.value} "
                f"{step.trigger.name if step.trigger else ''}) was edited after it was recorded"
            )
        previous = step.hash
    return len(steps)
