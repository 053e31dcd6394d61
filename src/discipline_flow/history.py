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

New steps are written in canonical form 2, which also hashes the actor's name and, on the
opening, what the case was opened on (:func:`opening_fields`); :func:`check_opening` compares
that with a case's subject and origin as they are kept elsewhere:

>>> from discipline_flow import Member
>>> opened = Step.record(case_id="C-1", previous=None, kind=StepKind.OPEN, trigger=None,
...                      source=None, target=S.OPEN, at=at, actor=Body(BodyKind.SYSTEM, "clerk"),
...                      basis=None, payload={},
...                      opening=opening_fields("tiny@1", Member("m-1"), None))
>>> (opened.form, opened.opening["subject"]["id"])
(2, 'm-1')
>>> check_opening("C-1", opened, "tiny@1", Member("m-2"), None)
Traceback (most recent call last):
...
discipline_flow.errors.TamperedHistoryError: case C-1: subject.id is 'm-2' but its opening step recorded 'm-1'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from discipline_flow.actors import Body, Member, Subject
from discipline_flow.canonical import (
    CANONICAL_FORM,
    CanonicalFields,
    canonical_text,
    digest,
    genesis_hash,
)
from discipline_flow.errors import InputError, TamperedHistoryError

__all__ = [
    "Origin",
    "Step",
    "StepKind",
    "check_opening",
    "edited_step",
    "genesis_hash",
    "opening_fields",
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
    ``previous_hash``; the first step chains to :func:`genesis_hash` of the case id. ``form`` is
    the canonical form it was written in (:mod:`discipline_flow.canonical`); ``opening`` is what
    a form 2 opening step hashes about the case (:func:`opening_fields`), None on other steps.
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
    opening: Mapping[str, Any] | None = None
    form: int = 1

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
        opening: Mapping[str, Any] | None = None,
        form: int = CANONICAL_FORM,
    ) -> Step[S, T]:
        """The step that follows ``previous`` (None: the first step of case ``case_id``), its
        hash computed over canonical form ``form`` (form 1 is kept to read and test what
        earlier releases wrote; it hashes neither the actor's name nor ``opening``). The
        payload must be normalized already (:func:`~discipline_flow.normalize_payload`); one
        JSON cannot hold exactly raises :class:`~discipline_flow.errors.InputError`."""
        index = 0 if previous is None else previous.index + 1
        previous_hash = genesis_hash(case_id) if previous is None else previous.hash
        if form == 1:
            opening = None
        elif form != CANONICAL_FORM:
            raise InputError("form", f"{form!r} is not a canonical form; forms: 1, 2")
        try:
            values = _values(
                form,
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
                opening,
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
            opening,
            form,
        )

    def canonical(self) -> bytes:
        """The bytes the hash is computed over."""
        return canonical_text(self._canonical_values()).encode("utf-8")

    def canonical_fields(self) -> CanonicalFields:
        """The step's fields as its canonical form holds them (stores write them in columns
        beside the canonical text)."""
        level = self.actor.level
        return CanonicalFields(
            self.previous_hash,
            self.index,
            self.kind.value,
            None if self.trigger is None else self.trigger.name,
            None if self.source is None else self.source.name,
            self.target.name,
            self.at.isoformat(),
            self.actor.kind.value,
            self.actor.id,
            None if level is None else level.value,
            self.basis,
            self.payload,
            None if self.form == 1 else self.actor.name,
            self.opening,
            self.form,
        )

    def _canonical_values(self) -> list[Any]:
        return _values(
            self.form,
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
            self.opening,
        )


def _values(
    form: int,
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
    opening: Mapping[str, Any] | None,
) -> list[Any]:
    """The list canonical form ``form`` hashes for a step with these fields (``at`` as ISO
    text), in its order (:meth:`~discipline_flow.canonical.CanonicalFields.form_values`): a
    list, which a fire encodes as it is."""
    level = actor.level
    # ``_name_`` and ``_value_``: the enum members' documented attributes, read without the
    # ``name``/``value`` properties' descriptor calls (six per step, on every fire).
    if form == 1:
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
    return [
        2,
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
        actor.name,
        basis,
        payload,
        opening,
    ]


def opening_fields(workflow: str, subject: Subject, origin: Origin | None) -> dict[str, Any]:
    """What canonical form 2 hashes on a case's opening step: the key of its ``workflow``
    (``name@version``), its ``subject`` and its ``origin``, as JSON values.

    The subject's fields are listed here, not taken from the codec of
    :mod:`~discipline_flow.serialization`: hashed bytes must not change when a codec does. A
    field added to :class:`~discipline_flow.Member` or :class:`~discipline_flow.Organisation`
    later is hashed only by a new form.
    """
    if isinstance(subject, Member):
        fields: dict[str, Any] = {
            "kind": "member",
            "id": subject.id,
            "name": subject.name,
            "cell_id": subject.cell_id,
            "is_probationary": subject.is_probationary,
            "holds_post": subject.holds_post,
            "committee_level": _value(subject.committee_level),
            "managed_by": _value(subject.managed_by),
        }
    else:
        fields = {
            "kind": "organisation",
            "id": subject.id,
            "level": _value(subject.level),
            "name": subject.name,
            "parent_id": subject.parent_id,
        }
    return {
        "workflow": workflow,
        "subject": fields,
        "origin": None
        if origin is None
        else {
            "case_id": origin.case_id,
            "workflow": origin.workflow,
            "step_index": origin.step_index,
        },
    }


def _value(member: enum.Enum | None) -> Any:
    return None if member is None else member.value


def check_opening(
    case_id: str,
    opening: Step[Any, Any],
    workflow: str,
    subject: Subject,
    origin: Origin | None,
) -> None:
    """Check that what the ``opening`` step of case ``case_id`` hashed (form 2) is the case's
    ``workflow`` key, ``subject`` and ``origin`` as kept elsewhere (a store's ``cases`` row, a
    :class:`~discipline_flow.Case`); a form 1 opening hashed none of them and passes.

    Raises :class:`~discipline_flow.errors.TamperedHistoryError` naming the first field that
    differs, with both values.
    """
    if opening.form == 1:
        return
    recorded = opening.opening
    kept = opening_fields(workflow, subject, origin)
    if recorded == kept:
        return
    for name, value in _flat(kept):
        was = _flat_get(recorded, name)
        if was != value:
            raise TamperedHistoryError(
                f"case {case_id}: {name} is {value!r} but its opening step recorded {was!r}"
            )
    raise TamperedHistoryError(  # pragma: no cover - a key only the recorded opening has
        f"case {case_id}: its opening step recorded {recorded!r}, the case says {kept!r}"
    )


def _flat(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``data``'s leaves as ``("subject.id", value)`` pairs, in order."""
    items: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            items.extend(_flat(value, f"{prefix}{key}."))
        else:
            items.append((f"{prefix}{key}", value))
    return items


def _flat_get(data: Any, name: str) -> Any:
    for key in name.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


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
