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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from discipline_flow.actors import Body
from discipline_flow.canonical import CanonicalFields, canonical_text, digest, genesis_hash
from discipline_flow.errors import InputError, TamperedHistoryError

__all__ = [
    "Origin",
    "Step",
    "StepKind",
    "edited_step",
    "genesis_hash",
    "verify_read_steps",
    "verify_steps",
]

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
        try:
            values = _values(
                previous_hash,
                index,
                kind,
                trigger,
                source,
                target,
                at.isoformat(),
                actor,
                basis,
                payload,
            )
            data = canonical_text(values).encode("utf-8")
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
        return canonical_text(self._canonical_values()).encode("utf-8")

    def canonical_fields(self) -> CanonicalFields:
        """The step's fields as its canonical form holds them (stores write them in columns
        beside the canonical text)."""
        return CanonicalFields._make(self._canonical_values())

    def _canonical_values(self) -> list[Any]:
        return _values(
            self.previous_hash,
            self.index,
            self.kind,
            self.trigger,
            self.source,
            self.target,
            self.at.isoformat(),
            self.actor,
            self.basis,
            self.payload,
        )


def _values(
    previous_hash: str,
    index: int,
    kind: StepKind,
    trigger: enum.Enum | None,
    source: enum.Enum | None,
    target: enum.Enum,
    at: str,
    actor: Body,
    basis: str | None,
    payload: Mapping[str, Any],
) -> list[Any]:
    """The values of the :class:`~discipline_flow.canonical.CanonicalFields` of a step with
    these fields (``at`` as ISO text), in their order: a list, which a fire encodes as it is."""
    level = actor.level
    # ``_name_`` and ``_value_``: the enum members' documented attributes, read without the
    # ``name``/``value`` properties' descriptor calls (six per step, on every fire).
    return [
        previous_hash,
        index,
        kind._value_,
        None if trigger is None else trigger._name_,
        None if source is None else source._name_,
        target._name_,
        at,
        actor.kind._value_,
        actor.id,
        None if level is None else level._value_,
        basis,
        payload,
    ]


def verify_steps(case_id: str, steps: Sequence[Step[Any, Any]]) -> int:
    """Check a case's hash chain; return the number of steps verified.

    Raises :class:`~discipline_flow.errors.TamperedHistoryError` at the first step that is out of
    place, does not chain to the one before it, or was edited after it was recorded.
    """
    return _verify(case_id, steps, (step.canonical() for step in steps))


def verify_read_steps(
    case_id: str, steps: Sequence[Step[Any, Any]], canonical: Iterable[bytes]
) -> int:
    """:func:`verify_steps` for steps read back from their canonical bytes (a store keeps them
    beside each step): each hash is checked against those bytes, which are not made again.

    The caller vouches that each step's fields are the ones its bytes hold.
    """
    return _verify(case_id, steps, canonical)


def edited_step(case_id: str, position: int, kind: object, trigger: object) -> TamperedHistoryError:
    """The error for step ``position`` of case ``case_id`` (its kind's value and its trigger's
    name, None for none), edited after it was recorded."""
    return TamperedHistoryError(
        f"case {case_id}: step {position} ({kind} {trigger or ''}) was edited after it was recorded"
    )


def _verify(case_id: str, steps: Sequence[Step[Any, Any]], canonical: Iterable[bytes]) -> int:
    previous = genesis_hash(case_id)
    for position, (step, data) in enumerate(zip(steps, canonical, strict=True)):
        if step.index != position:
            raise TamperedHistoryError(
                f"case {case_id}: step {position} is missing or out of order "
                f"(found index {step.index})"
            )
        if step.previous_hash != previous:
            raise TamperedHistoryError(
                f"case {case_id}: step {position} does not chain to the step before it"
            )
        if digest(data) != step.hash:
            trigger = None if step.trigger is None else step.trigger.name
            raise edited_step(case_id, position, step.kind.value, trigger)
        previous = step.hash
    return len(steps)
