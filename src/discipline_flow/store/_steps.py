"""Steps to and from ``steps`` rows: the canonical text each row keeps, and the columns that
mirror it for queries and indexes.

A row keeps the step's canonical text (:mod:`discipline_flow.canonical`), the exact text its hash
covers, beside one column per field of it (``kind``, ``trigger``, ..., ``payload``) and the
actor's name, which only canonical form 2 covers. A load hashes that text as it is and builds the
step from it: nothing is encoded again. The columns must say what the text says: a row whose
columns were edited is refused like a row whose text was, naming the step. What a form 2 opening
hashed about the case (subject, origin, workflow) is compared with the ``cases`` row by
:mod:`~discipline_flow.store._history`.

Rows written before schema version 3 get their text from their columns when the store is
migrated (:func:`fill_canonical`); a row whose columns were edited before then gets a text its
hash does not verify, so the edit is still found.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn

from discipline_flow.actors import Body, BodyKind, Level, check_text
from discipline_flow.canonical import (
    CanonicalFields,
    canonical_text,
    digest,
    genesis_hash,
    read_canonical,
)
from discipline_flow.case import Case, Step, StepKind
from discipline_flow.clock import require_aware
from discipline_flow.errors import InconsistentCaseError, InputError, MalformedDataError
from discipline_flow.history import edited_step
from discipline_flow.store._consistency import NOTHING_WRITTEN
from discipline_flow.store._dialect import Dialect, Tx, quoted
from discipline_flow.store._rows import dumps, instant_from_text, json_object

__all__ = [
    "PAYLOAD_COLUMN",
    "STEP_COLUMNS",
    "Bodies",
    "decode_steps",
    "fill_canonical",
    "step_rows",
]

#: The columns that mirror the fields of a step's canonical text (form 1's, in its order; form 2
#: also hashes ``actor_name``).
MIRRORS = tuple("idx" if field == "step_index" else field for field in CanonicalFields._fields[:12])
#: Every column of a ``steps`` row, in the order saves write them and loads read them.
STEP_COLUMNS = ("case_id", *MIRRORS, "actor_name", "hash", "canonical")
_ACTOR_NAME = STEP_COLUMNS.index("actor_name")
_HASH = STEP_COLUMNS.index("hash")
_CANONICAL = STEP_COLUMNS.index("canonical")
_PAYLOAD = STEP_COLUMNS.index("payload")
#: Where a ``steps`` row holds the JSON text of the payload.
PAYLOAD_COLUMN = _PAYLOAD
#: The columns compared with the canonical fields as they are (the payload is compared as JSON).
_PLAIN = slice(1, _PAYLOAD)
_PLAIN_FIELDS = slice(0, _PAYLOAD - 1)

#: Bodies met while loading, by kind, id, level and name: one value for every step they acted in.
Bodies = dict[tuple[Any, ...], Body]

_STEP_KINDS = {k.value: k for k in StepKind}
_BODY_KINDS = {k.value: k for k in BodyKind}
_LEVELS = {lv.value: lv for lv in Level}


def step_rows(case: Case[Any, Any], start: int) -> list[tuple[Any, ...]]:
    """The ``steps`` rows of the case's steps from index ``start`` on, in
    :data:`STEP_COLUMNS` order, every text checked: the mirrored columns hold the very values
    the canonical text is made of.

    Each of these steps is verified over that text before a store writes it (in place, chained
    to the one before, its hash that of its content, its instant in range), and so is the step
    they follow: a step edited since it was recorded raises
    :class:`~discipline_flow.errors.InconsistentCaseError` and nothing is written.
    """
    case_id = case.id
    steps = case.steps
    previous = genesis_hash(case_id) if start == 0 else _verified_hash(case_id, steps[start - 1])
    rows: list[tuple[Any, ...]] = []
    for position in range(start, len(steps)):
        step = steps[position]
        try:
            fields = step.canonical_fields()
            name = step.actor.name
        except (AttributeError, TypeError):  # not made by Step.record: a value of another type
            raise _inconsistent(case_id, position, "is not a well-formed step") from None
        basis = fields.basis
        try:
            payload = dumps(fields.payload, "payload")  # names a payload JSON cannot hold
            require_aware(step.at, "at")
            text = canonical_text(fields)
            row = (
                case_id,
                fields.previous_hash,
                fields.step_index,
                fields.kind,
                fields.trigger,
                fields.source,
                fields.target,
                fields.at,
                fields.actor_kind,
                check_text(fields.actor_id, "actor.id"),
                fields.actor_level,
                None if basis is None else check_text(basis, "basis"),
                payload,
                None if name is None else check_text(name, "actor.name"),
                step.hash,
                text,
            )
            data = text.encode("utf-8")
        except InputError as exc:  # the place is named only for an error
            raise InputError(
                f"case {case_id} step {position} {exc.argument}", exc.problem
            ) from None
        except (TypeError, ValueError):  # a name that is not text, a lone surrogate
            raise _inconsistent(case_id, position, "holds a value no store can keep") from None
        if step.index != position or fields.previous_hash != previous:
            raise _inconsistent(case_id, position, "does not follow the step before it")
        if digest(data) != step.hash:
            raise _edited(case_id, step)
        previous = step.hash
        rows.append(row)
    return rows


def _verified_hash(case_id: str, step: Step[Any, Any]) -> str:
    """The hash of ``step`` (the last one a store holds) once its content is checked against
    it: the steps saved after it build on what it says."""
    try:
        data = step.canonical()
    except (AttributeError, TypeError, ValueError):
        raise _inconsistent(case_id, step.index, "is not a well-formed step") from None
    if digest(data) != step.hash:
        raise _edited(case_id, step)
    return step.hash


def _inconsistent(case_id: str, position: int, problem: str) -> InconsistentCaseError:
    return InconsistentCaseError(f"case {case_id}", f"step {position} {problem}; {NOTHING_WRITTEN}")


def _edited(case_id: str, step: Step[Any, Any]) -> InconsistentCaseError:
    trigger = getattr(step.trigger, "name", None)
    return _inconsistent(
        case_id,
        step.index,
        f"({step.kind.value} {trigger or ''}) was changed after it was recorded: its hash is "
        f"not that of its content",
    )


def decode_steps(
    rows: Iterable[Sequence[Any]],
    states: Mapping[str, enum.Enum],
    triggers: Mapping[str, enum.Enum],
    bodies: Bodies,
) -> tuple[list[Step[Any, Any]], list[bytes]]:
    """The steps ``steps`` rows describe (all of one case, in order, read as
    :data:`STEP_COLUMNS`), with the members of ``states`` and ``triggers`` by name, and the
    canonical bytes of each (what its hash must be).

    Bodies come from ``bodies`` when met before and are added to it: they are immutable values,
    shared by the steps of every case one load reads. A row that cannot be read raises the error
    that names its problem; one whose columns disagree with its canonical text raises
    :class:`~discipline_flow.errors.TamperedHistoryError`.
    """
    steps: list[Step[Any, Any]] = []
    texts: list[bytes] = []
    for position, row in enumerate(rows):
        text = row[_CANONICAL]
        try:
            fields = read_canonical(text)
        except MalformedDataError as exc:
            _check_columns(row, states, triggers)
            raise MalformedDataError(f"{_where(row)}.{exc.where}", exc.problem) from None
        if (
            row[_PLAIN] != fields[_PLAIN_FIELDS]
            or not _same_payload(row[_PAYLOAD], fields)
            or (fields.form != 1 and row[_ACTOR_NAME] != fields.actor_name)
        ):
            _check_columns(row, states, triggers)
            raise edited_step(row[0], position, fields.kind, fields.trigger)
        # The columns hold the same values as the text from here on: a value that cannot be
        # read is named by the column that holds it (_check_columns).
        step_kind = _STEP_KINDS.get(fields.kind)
        trigger, source = fields.trigger, fields.source
        trigger_member = None if trigger is None else triggers.get(trigger)
        source_member = None if source is None else states.get(source)
        target_member = states.get(fields.target)
        actor = (fields.actor_kind, fields.actor_id, fields.actor_level, row[_ACTOR_NAME])
        body = bodies.get(actor)
        if body is None:
            body = bodies[actor] = _body(row)
        when: _dt.datetime | None
        try:
            when = _dt.datetime.fromisoformat(fields.at)
        except (TypeError, ValueError):
            when = None
        if (
            step_kind is None
            or target_member is None
            or (trigger_member is None and trigger is not None)
            or (source_member is None and source is not None)
            or when is None
            or when.tzinfo is None
            or type(fields.payload) is not dict
            or type(fields.previous_hash) is not str
        ):
            _check_columns(row, states, triggers)
            _unreadable(row)
        if fields.opening is not None and type(fields.opening) is not dict:
            raise MalformedDataError(f"{_where(row)}.canonical", "the opening is not an object")
        steps.append(
            Step(
                fields.step_index,
                step_kind,
                trigger_member,
                source_member,
                target_member,
                when,
                body,
                fields.basis,
                fields.payload,
                fields.previous_hash,
                row[_HASH],
                fields.opening,
                fields.form,
            )
        )
        texts.append(text.encode("utf-8"))
    return steps, texts


def _same_payload(text: Any, fields: CanonicalFields) -> bool:
    """Whether the ``payload`` column holds the JSON of the payload of the canonical fields."""
    payload = fields.payload
    if text == "{}":
        return type(payload) is dict and not payload
    try:
        return bool(json.loads(text) == payload)
    except (TypeError, ValueError):
        return False


def _where(row: Sequence[Any]) -> str:
    return f"case {row[0]} step {row[2]}"


def _body(row: Sequence[Any]) -> Body:
    kind, ident, level = row[8:11]
    name = row[_ACTOR_NAME]
    body_kind = _BODY_KINDS.get(kind)
    if body_kind is None:
        raise MalformedDataError(f"{_where(row)}.actor_kind", f"{kind!r} is not a body kind")
    body_level = None
    if level is not None:
        body_level = _LEVELS.get(level)
        if body_level is None:
            raise MalformedDataError(f"{_where(row)}.actor_level", f"{level!r} is not a level")
    if not isinstance(ident, str):
        raise MalformedDataError(_where(row), "actor_id and previous_hash must be text")
    return Body(body_kind, ident, body_level, name)


def _check_columns(
    row: Sequence[Any], states: Mapping[str, enum.Enum], triggers: Mapping[str, enum.Enum]
) -> None:
    """Raise the error that names what cannot be read in the columns of a step row; return
    when every column can be read."""
    where = _where(row)
    previous, _, kind, trigger, source, target, at = row[1:8]
    instant_from_text(at, f"{where}.at")
    json_object(row[_PAYLOAD], f"{where}.payload")
    if kind not in _STEP_KINDS:
        raise MalformedDataError(f"{where}.kind", f"{kind!r} is not a step kind")
    if not isinstance(previous, str):
        raise MalformedDataError(where, "actor_id and previous_hash must be text")
    for name, members, value in (
        ("trigger", triggers, trigger),
        ("source", states, source),
        ("target", states, target),
    ):
        if (value is not None or name == "target") and members.get(value) is None:
            raise MalformedDataError(
                f"{where}.{name}", f"{value!r} is not one of {', '.join(members)}"
            )
    _body(row)


def _unreadable(row: Sequence[Any]) -> NoReturn:  # pragma: no cover - _check_columns raises
    raise MalformedDataError(_where(row), "unreadable step row")


# --------------------------------------------------------------------------- schema version 3

_FILL_PAGE = 1000


def fill_canonical(tx: Tx, dialect: Dialect) -> None:
    """Give every row stored without a canonical text the one its columns describe (the
    migration to schema version 3).

    A row whose columns cannot make one (a payload that is not a JSON object, ...) is left
    without: a load names what is wrong with its columns.
    """
    columns = quoted(("case_id", *MIRRORS))
    first = dialect.sql(
        f'SELECT {columns} FROM steps WHERE "canonical" IS NULL ORDER BY "case_id", "idx" LIMIT ?'
    )
    page = dialect.sql(
        f'SELECT {columns} FROM steps WHERE "canonical" IS NULL AND ("case_id", "idx") > (?, ?) '
        'ORDER BY "case_id", "idx" LIMIT ?'
    )
    update = dialect.sql('UPDATE steps SET "canonical" = ? WHERE "case_id" = ? AND "idx" = ?')
    rows = tx.rows(first, [_FILL_PAGE])
    while rows:
        texts = [(text, row[0], row[2]) for row in rows if (text := _text_of(row)) is not None]
        if texts:
            tx.many(update, texts)
        last = rows[-1]
        rows = tx.rows(page, [last[0], last[2], _FILL_PAGE])


def _text_of(row: Sequence[Any]) -> str | None:
    """The canonical text the columns (``case_id`` and :data:`MIRRORS`, the same positions as
    in :data:`STEP_COLUMNS`) of a row describe, or None when they cannot describe one."""
    try:
        payload = json.loads(row[_PAYLOAD])
    except (TypeError, ValueError):
        return None
    # Form 1: the rows stored before schema version 3 were written by 0.1 and 0.2.
    fields = CanonicalFields._make((*row[1:_PAYLOAD], payload, None, None, 1))
    if type(payload) is not dict or type(fields.step_index) is not int:
        return None
    try:
        text = canonical_text(fields)
        text.encode("utf-8")
    except (TypeError, ValueError):
        return None
    return text
