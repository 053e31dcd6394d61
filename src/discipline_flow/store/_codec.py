"""Cases to and from table rows, shared by the SQL stores, and the checks made on load.

Rows hold enum members by name, instants of steps as ISO text with their original offset (the hash
covers ``at.isoformat()``, so the text must come back byte for byte), payloads as compact JSON
text and deadlines as the JSON of their cattrs form. Every text value is checked before it is
written: NUL characters and lone surrogates are refused with an
:class:`~discipline_flow.errors.InputError`, the same on every store (PostgreSQL cannot hold NUL in
text at all).
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import json
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pendulum

from discipline_flow.actors import Body, BodyKind, Level, Subject
from discipline_flow.case import Case, Origin, Step, StepKind, verify_steps
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import (
    DisciplineFlowError,
    InputError,
    MalformedDataError,
    TamperedHistoryError,
)
from discipline_flow.serialization import converter, subject_from_dict, subject_to_dict
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.time.deadline import Deadline

__all__ = [
    "CASE_COLUMNS",
    "DEADLINE_COLUMNS",
    "STEP_COLUMNS",
    "DeadlineState",
    "assemble_case",
    "case_row",
    "check_text",
    "deadline_rows",
    "deadline_state",
    "decode_deadline",
    "decode_step",
    "dumps",
    "epoch_us",
    "from_epoch_us",
    "local_from_epoch_us",
    "local_time",
    "overdue_from",
    "step_rows",
    "verify_chain_only",
]

CASE_COLUMNS = (
    "id",
    "workflow",
    "workflow_version",
    "subject_kind",
    "subject_id",
    "state",
    "version",
    "opened_at",
    "last_at",
    "ruleset",
    "origin_case_id",
    "subject",
    "origin",
    "head_hash",
)
STEP_COLUMNS = (
    "case_id",
    "idx",
    "kind",
    "trigger",
    "source",
    "target",
    "at",
    "actor_kind",
    "actor_id",
    "actor_level",
    "actor_name",
    "basis",
    "payload",
    "previous_hash",
    "hash",
)
DEADLINE_COLUMNS = (
    "case_id",
    "seq",
    "rule",
    "started_at",
    "due_at",
    "status",
    "on_miss",
    "data",
)

try:  # the C implementation of the standard library is ~10x faster than pendulum's here
    _LOCAL: _dt.tzinfo = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - no system tz database
    _LOCAL = pendulum.timezone(DEFAULT_TIMEZONE)
# One encoder for every write: json.dumps with options builds a new encoder on each call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_KINDS = {k.value: k for k in StepKind}
_BODY_KINDS = {k.value: k for k in BodyKind}
_LEVELS = {lv.value: lv for lv in Level}


class DeadlineState(enum.Enum):
    """The state of a deadline as the ``deadlines.status`` column holds it (paused is open)."""

    OPEN = "open"
    MET = "met"
    CANCELLED = "cancelled"


def check_text(value: str, where: str) -> str:
    """``value`` if a store can hold it exactly; an InputError for NUL or lone surrogates."""
    if "\x00" in value:
        raise InputError(where, "text may not contain NUL characters")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(where, "text must be valid Unicode (no lone surrogates)") from None
    return value


def _opt(value: str | None, where: str) -> str | None:
    return None if value is None else check_text(value, where)


def dumps(value: Any, where: str) -> str:
    """Compact JSON text of ``value``, checked like any other text."""
    if not value and isinstance(value, dict):
        return "{}"
    try:
        text = _ENCODER.encode(value)
    except (TypeError, ValueError) as exc:
        raise InputError(where, f"cannot be stored as JSON: {exc}") from None
    return check_text(text, where)


def _loads(text: Any, where: str) -> Any:
    if text == "{}":
        return {}
    if not isinstance(text, str):
        raise MalformedDataError(where, f"expected JSON text, got {type(text).__name__}")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise MalformedDataError(where, f"invalid JSON ({exc})") from None


_NAIVE_EPOCH = _dt.datetime(1970, 1, 1)
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_US = _dt.timedelta(microseconds=1)


def epoch_us(value: _dt.datetime) -> int:
    """An aware datetime as whole microseconds since 1970-01-01 UTC (exact, ordered)."""
    offset = value.utcoffset()
    naive = _dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )
    if offset:
        naive -= offset
    return (naive - _NAIVE_EPOCH) // _US


def from_epoch_us(value: object) -> _dt.datetime:
    """The aware UTC datetime ``value`` microseconds after 1970-01-01 UTC."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedDataError("timestamp", f"expected microseconds, got {value!r}")
    return _EPOCH + _dt.timedelta(microseconds=value)


def local_from_epoch_us(value: object) -> _dt.datetime:
    """:func:`from_epoch_us` shown in the library's default timezone (the fast path)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedDataError("timestamp", f"expected microseconds, got {value!r}")
    seconds, micro = divmod(value, 1_000_000)
    local = _dt.datetime.fromtimestamp(seconds, _LOCAL)
    return local + _dt.timedelta(microseconds=micro) if micro else local


def local_time(value: _dt.datetime) -> _dt.datetime:
    """``value`` shown in the library's default timezone."""
    return value.astimezone(_LOCAL)


# --------------------------------------------------------------------------- encoding


def case_row(case: Case[Any, Any], ts: Any) -> tuple[Any, ...]:
    """The ``cases`` row of ``case``; ``ts`` turns an aware datetime into the column's value."""
    wf = case.workflow
    subject = case.subject
    origin = case.origin
    return (
        case.id,
        check_text(wf.name, "workflow.name"),
        check_text(wf.version, "workflow.version"),
        subject.kind,
        check_text(subject.id, "subject.id"),
        case.state.name,
        len(case.steps),
        ts(case.steps[0].at),
        ts(case.steps[-1].at),
        _opt(wf.ruleset, "workflow.ruleset"),
        origin.case_id if origin is not None else None,
        dumps(_checked_subject(subject), "subject"),
        dumps(converter.unstructure(origin), "origin") if origin is not None else None,
        case.steps[-1].hash,
    )


def _checked_subject(subject: Subject) -> dict[str, Any]:
    data = subject_to_dict(subject)
    for key, value in data.items():
        if isinstance(value, str):
            check_text(value, f"subject.{key}")
    return data


def step_rows(case: Case[Any, Any], start: int) -> list[tuple[Any, ...]]:
    """The ``steps`` rows of the case's steps from index ``start`` on."""
    case_id = case.id
    rows: list[tuple[Any, ...]] = []
    for step in case.steps[start:]:
        actor = step.actor
        trigger = step.trigger
        source = step.source
        level = actor.level
        where = f"case {case_id} step {step.index}"
        rows.append(
            (
                case_id,
                step.index,
                step.kind.value,
                trigger.name if trigger is not None else None,
                source.name if source is not None else None,
                step.target.name,
                step.at.isoformat(),
                actor.kind.value,
                check_text(actor.id, f"{where} actor.id"),
                level.value if level is not None else None,
                _opt(actor.name, f"{where} actor.name"),
                _opt(step.basis, f"{where} basis"),
                dumps(step.payload, f"{where} payload"),
                step.previous_hash,
                step.hash,
            )
        )
    return rows


def deadline_state(deadline: Deadline) -> DeadlineState:
    """Whether a deadline is open (paused or running), met or cancelled."""
    if deadline.met_at is not None:
        return DeadlineState.MET
    if deadline.cancelled_at is not None:
        return DeadlineState.CANCELLED
    return DeadlineState.OPEN


def overdue_from(deadline: Deadline) -> _dt.datetime | None:
    """The instant from which an open deadline is overdue: its end, or its cap while paused.

    A paused deadline without a cap is never overdue until resumed (None).
    """
    if deadline.is_paused:
        return deadline.cap_at
    return deadline.due_at


@functools.cache
def _deadline_hook() -> Any:
    from discipline_flow.time.deadline import Deadline

    return converter.get_unstructure_hook(Deadline)


def _unstructure_deadline(deadline: Deadline) -> Any:
    return _deadline_hook()(deadline)


def deadline_rows(case: Case[Any, Any], ts: Any) -> list[tuple[Any, ...]]:
    """The ``deadlines`` rows of every deadline of the case, by position."""
    wf = case.workflow
    rows: list[tuple[Any, ...]] = []
    for seq, deadline in enumerate(case.deadlines):
        name = deadline.rule
        on_miss: str | None = None
        for rule in wf.deadline_rules:
            if rule.name == name:
                on_miss = rule.on_miss.name if rule.on_miss is not None else None
                break
        where = f"case {case.id} deadline {name}"
        overdue = overdue_from(deadline)
        rows.append(
            (
                case.id,
                seq,
                check_text(name, where),
                deadline.started_at.isoformat(),
                ts(overdue) if overdue is not None else None,
                deadline_state(deadline).value,
                on_miss,
                dumps(_unstructure_deadline(deadline), where),
            )
        )
    return rows


# --------------------------------------------------------------------------- decoding


def _member(members: Mapping[str, Any], name: Any, where: str) -> Any:
    member = members.get(name) if isinstance(name, str) else None
    if member is None:
        raise MalformedDataError(where, f"{name!r} is not one of {', '.join(members)}")
    return member


def decode_step(row: Sequence[Any], workflow: Workflow[Any, Any], case_id: str) -> Step[Any, Any]:
    """The step a ``steps`` row (without its ``case_id`` column) describes."""
    (
        idx,
        kind,
        trigger,
        source,
        target,
        at,
        actor_kind,
        actor_id,
        actor_level,
        actor_name,
        basis,
        payload,
        previous_hash,
        digest,
    ) = row
    where = f"case {case_id} step {idx}"
    states = workflow.states.__members__
    try:
        when = _dt.datetime.fromisoformat(at)
    except (TypeError, ValueError):
        raise MalformedDataError(f"{where}.at", f"{at!r} is not an ISO datetime") from None
    if when.tzinfo is None:
        raise MalformedDataError(f"{where}.at", f"{at!r} has no timezone")
    data = _loads(payload, f"{where}.payload")
    if not isinstance(data, dict):
        raise MalformedDataError(f"{where}.payload", "expected a JSON object")
    body_kind = _BODY_KINDS.get(actor_kind)
    if body_kind is None:
        raise MalformedDataError(f"{where}.actor_kind", f"{actor_kind!r} is not a body kind")
    level = None
    if actor_level is not None:
        level = _LEVELS.get(actor_level)
        if level is None:
            raise MalformedDataError(f"{where}.actor_level", f"{actor_level!r} is not a level")
    step_kind = _KINDS.get(kind)
    if step_kind is None:
        raise MalformedDataError(f"{where}.kind", f"{kind!r} is not a step kind")
    if not isinstance(actor_id, str) or not isinstance(previous_hash, str):
        raise MalformedDataError(where, "actor_id and previous_hash must be text")
    return Step(
        idx,
        step_kind,
        _member(workflow.triggers.__members__, trigger, f"{where}.trigger")
        if trigger is not None
        else None,
        _member(states, source, f"{where}.source") if source is not None else None,
        _member(states, target, f"{where}.target"),
        when,
        Body(body_kind, actor_id, level, actor_name),
        basis,
        data,
        previous_hash,
        digest,
    )


@functools.cache
def _deadline_loader() -> Any:
    from discipline_flow.time.deadline import Deadline

    hook = converter.get_structure_hook(Deadline)
    return lambda data: hook(data, Deadline)


def decode_deadline(text: Any, where: str) -> Deadline:
    """The deadline value stored as JSON ``text``."""
    data = _loads(text, where)
    try:
        value: Deadline = _deadline_loader()(data)
    except DisciplineFlowError:
        raise
    except Exception as exc:
        raise MalformedDataError(where, f"not a stored deadline ({exc})") from None
    return value


def assemble_case(
    workflow: Workflow[Any, Any],
    row: Mapping[str, Any],
    step_rows_: Sequence[Sequence[Any]],
    deadline_texts: Sequence[Any],
) -> Case[Any, Any]:
    """Rebuild and verify a case from its ``cases`` row, step rows and deadline JSON texts.

    Raises :class:`~discipline_flow.errors.TamperedHistoryError` naming the first bad step when the
    chain, the recorded version or the recorded head does not hold, and
    :class:`~discipline_flow.errors.MalformedDataError` for anything unreadable.
    """
    case_id = row["id"]
    steps = [decode_step(r, workflow, case_id) for r in step_rows_]
    version = row["version"]
    _check_chain(case_id, steps, version, row["head_hash"])
    _check_moves(workflow, case_id, steps)
    state = workflow.states.__members__.get(row["state"])
    if state is not steps[-1].target:
        raise TamperedHistoryError(
            f"case {case_id}: the recorded state {row['state']!r} is not where its history "
            f"leads ({steps[-1].target.name})"
        )
    subject = subject_from_dict(_loads(row["subject"], f"case {case_id} subject"))
    origin = None
    if row["origin"] is not None:
        raw = _loads(row["origin"], f"case {case_id} origin")
        try:
            origin = converter.structure(raw, Origin)
        except Exception as exc:
            raise MalformedDataError(f"case {case_id} origin", str(exc)) from None
    deadlines = [
        decode_deadline(text, f"case {case_id} deadline {i}")
        for i, text in enumerate(deadline_texts)
    ]
    return Case(case_id, workflow, subject, state, steps, deadlines, origin)


def _check_chain(case_id: str, steps: list[Step[Any, Any]], version: int, head: str) -> None:
    if not steps:
        raise TamperedHistoryError(f"case {case_id}: step 0 is missing (no history stored)")
    verify_steps(case_id, steps)  # names the first edited, removed or reordered step
    if len(steps) < version:
        raise TamperedHistoryError(
            f"case {case_id}: step {len(steps)} is missing: the case records {version} steps "
            f"but only {len(steps)} are stored (history truncated)"
        )
    if len(steps) > version:
        raise TamperedHistoryError(
            f"case {case_id}: step {version} was not recorded by a save: the case records "
            f"{version} steps but {len(steps)} are stored"
        )
    if steps[-1].hash != head:
        raise TamperedHistoryError(
            f"case {case_id}: step {version - 1} is not the recorded head of the history"
        )


def _check_moves(
    workflow: Workflow[Any, Any], case_id: str, steps: Sequence[Step[Any, Any]]
) -> None:
    state = None
    for step in steps:
        if step.kind is StepKind.OPEN:
            if step.index != 0:
                raise MalformedDataError(f"case {case_id} step {step.index}", "a second opening")
        elif step.index == 0:
            raise MalformedDataError(f"case {case_id} step 0", "the first step must open the case")
        elif step.kind is StepKind.FIRE and (
            step.trigger is None
            or step.source is not state
            or not any(ct.target is step.target for ct in workflow.candidates(state, step.trigger))
        ):
            raise MalformedDataError(
                f"case {case_id} step {step.index}",
                f"{workflow.key} has no move {getattr(step.trigger, 'name', None)} from "
                f"{getattr(state, 'name', None)} to {step.target.name}",
            )
        state = step.target


def verify_chain_only(case_id: str, rows: Sequence[Sequence[Any]], version: int, head: str) -> int:
    """Verify the chain of a case whose workflow is not registered; return its step count.

    The canonical form of a step names its states and trigger, so ad-hoc enums built from the
    names in the rows are enough to recompute every hash.
    """
    names = sorted({n for r in rows for n in (r[2], r[3], r[4]) if isinstance(n, str)})
    try:
        members = enum.Enum("StoredNames", [(n, n) for n in names]) if names else None
    except (TypeError, ValueError) as exc:
        raise MalformedDataError(f"case {case_id}", f"unreadable state names ({exc})") from None
    shim = _Shim(members)
    steps = [decode_step(r, shim, case_id) for r in rows]  # type: ignore[arg-type]
    if not steps:
        raise TamperedHistoryError(f"case {case_id}: step 0 is missing (no history stored)")
    _check_chain(case_id, steps, version, head)
    return len(steps)


class _Shim:
    """Stands in for a workflow when only names are needed to decode steps."""

    __slots__ = ("states", "triggers")

    def __init__(self, members: Any) -> None:
        self.states = members if members is not None else enum.Enum("Empty", [])
        self.triggers = self.states
