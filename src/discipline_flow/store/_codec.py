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
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation, Subject
from discipline_flow.actors import _text as _id_text
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
    "deadline_text",
    "decode_deadline",
    "decode_step",
    "dumps",
    "epoch_us",
    "from_epoch_us",
    "instant_from_text",
    "json_object",
    "local_from_epoch_us",
    "local_time",
    "overdue_from",
    "step_rows",
    "subject_from_text",
    "subject_text",
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
# The C string encoder _ENCODER uses for text (ensure_ascii=False): the same bytes, no dispatch.
_escape: Callable[[str], str] = json.encoder.encode_basestring
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


def json_object(text: Any, where: str) -> dict[str, Any]:
    """The JSON object ``text`` holds; a MalformedDataError for anything else."""
    data = _loads(text, where)
    if not isinstance(data, dict):
        raise MalformedDataError(where, "expected a JSON object")
    return data


_NAIVE_EPOCH = _dt.datetime(1970, 1, 1)
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_US = _dt.timedelta(microseconds=1)


def epoch_us(value: _dt.datetime) -> int:
    """An aware datetime as whole microseconds since 1970-01-01 UTC (exact, ordered)."""
    if type(value) is _dt.datetime:  # exact C arithmetic (subclasses may override "-")
        try:
            return (value - _EPOCH) // _US
        except TypeError:  # no UTC offset: counted as UTC below, as before
            pass
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
    if type(value) is not int and (not isinstance(value, int) or isinstance(value, bool)):
        raise MalformedDataError("timestamp", f"expected microseconds, got {value!r}")
    seconds, micro = divmod(value, 1_000_000)
    local = _dt.datetime.fromtimestamp(seconds, _LOCAL)
    return local + _dt.timedelta(0, 0, micro) if micro else local


def local_time(value: _dt.datetime) -> _dt.datetime:
    """``value`` shown in the library's default timezone."""
    return value.astimezone(_LOCAL)


# --------------------------------------------------------------------------- encoding


def case_row(case: Case[Any, Any], ts: Any) -> tuple[Any, ...]:
    """The ``cases`` row of ``case``; ``ts`` turns an aware datetime into the column's value."""
    wf = case.workflow
    subject = case.subject
    origin = case.origin
    steps = case.steps
    return (
        case.id,
        check_text(wf.name, "workflow.name"),
        check_text(wf.version, "workflow.version"),
        subject.kind,
        check_text(subject.id, "subject.id"),
        case.state._name_,
        len(steps),
        ts(steps[0].at),
        ts(steps[-1].at),
        _opt(wf.ruleset, "workflow.ruleset"),
        origin.case_id if origin is not None else None,
        subject_text(subject),
        dumps(converter.unstructure(origin), "origin") if origin is not None else None,
        steps[-1].hash,
    )


def _checked_subject(subject: Subject) -> dict[str, Any]:
    data = subject_to_dict(subject)
    for key, value in data.items():
        if isinstance(value, str):
            check_text(value, f"subject.{key}")
    return data


_MEMBER_FIELDS = (
    "id",
    "name",
    "cell_id",
    "is_probationary",
    "holds_post",
    "committee_level",
    "managed_by",
)
_ORGANISATION_FIELDS = ("id", "level", "name", "parent_id")
_MEMBER_KEYS = frozenset((*_MEMBER_FIELDS, "kind"))
_ORGANISATION_KEYS = frozenset((*_ORGANISATION_FIELDS, "kind"))


@functools.cache
def _fast_subjects() -> bool:
    """Whether the subject classes have the fields the hand-written JSON below spells out; when
    one gains a field, the generic (cattrs) path keeps working until this module is updated."""
    return (
        tuple(f.name for f in attrs.fields(Member)) == _MEMBER_FIELDS
        and tuple(f.name for f in attrs.fields(Organisation)) == _ORGANISATION_FIELDS
    )


def _is_clean(value: object) -> bool:
    """Whether ``value`` is ASCII text without NUL (the common case :func:`check_text` passes)."""
    return type(value) is str and value.isascii() and "\x00" not in value


def _optional_json(value: str | None, where: str) -> str:
    if value is None:
        return "null"
    return _escape(value if _is_clean(value) else check_text(value, where))


def _level_json(value: Level | None) -> str:
    return "null" if value is None else f'"{value._value_}"'


def subject_text(subject: Subject) -> str:
    """The JSON text of the ``subject`` column: :func:`subject_to_dict` encoded compactly, each
    text value checked (the same text and errors as encoding that dict, built by hand)."""
    cls = type(subject)
    if cls is Member and _fast_subjects():
        m: Member = subject  # type: ignore[assignment]
        if (
            type(m.id) is str
            and (m.name is None or type(m.name) is str)
            and (m.cell_id is None or type(m.cell_id) is str)
            and type(m.is_probationary) is bool
            and type(m.holds_post) is bool
            and (m.committee_level is None or type(m.committee_level) is Level)
            and (m.managed_by is None or type(m.managed_by) is Level)
        ):
            return (
                f'{{"id":{_optional_json(m.id, "subject.id")},'
                f'"name":{_optional_json(m.name, "subject.name")},'
                f'"cell_id":{_optional_json(m.cell_id, "subject.cell_id")},'
                f'"is_probationary":{"true" if m.is_probationary else "false"},'
                f'"holds_post":{"true" if m.holds_post else "false"},'
                f'"committee_level":{_level_json(m.committee_level)},'
                f'"managed_by":{_level_json(m.managed_by)},"kind":"member"}}'
            )
    elif cls is Organisation and _fast_subjects():
        o: Organisation = subject  # type: ignore[assignment]
        if (
            type(o.id) is str
            and type(o.level) is Level
            and (o.name is None or type(o.name) is str)
            and (o.parent_id is None or type(o.parent_id) is str)
        ):
            return (
                f'{{"id":{_optional_json(o.id, "subject.id")},'
                f'"level":{_level_json(o.level)},'
                f'"name":{_optional_json(o.name, "subject.name")},'
                f'"parent_id":{_optional_json(o.parent_id, "subject.parent_id")},'
                f'"kind":"organisation"}}'
            )
    return dumps(_checked_subject(subject), "subject")


def step_rows(case: Case[Any, Any], start: int) -> list[tuple[Any, ...]]:
    """The ``steps`` rows of the case's steps from index ``start`` on."""
    case_id = case.id
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    for step in case.steps[start:] if start else case.steps:
        actor = step.actor
        trigger = step.trigger
        source = step.source
        level = actor.level
        actor_id = actor.id
        actor_name = actor.name
        basis = step.basis
        payload = step.payload
        # The checks run on the common case inline; the place is named only for an error.
        if not _is_clean(actor_id):
            check_text(actor_id, f"case {case_id} step {step.index} actor.id")
        if actor_name is not None and not _is_clean(actor_name):
            check_text(actor_name, f"case {case_id} step {step.index} actor.name")
        if basis is not None and not _is_clean(basis):
            check_text(basis, f"case {case_id} step {step.index} basis")
        append(
            (
                case_id,
                step.index,
                step.kind._value_,
                trigger._name_ if trigger is not None else None,
                source._name_ if source is not None else None,
                step.target._name_,
                step.at.isoformat(),
                actor.kind._value_,
                actor_id,
                level._value_ if level is not None else None,
                actor_name,
                basis,
                "{}"
                if type(payload) is dict and not payload
                else dumps(payload, f"case {case_id} step {step.index} payload"),
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


_DEADLINE_FIELDS = (
    "rule",
    "started_at",
    "start_on",
    "due_on",
    "due_at",
    "period",
    "citation",
    "is_estimated",
    "pauses",
    "extensions",
    "cap_on",
    "met_at",
    "cancelled_at",
    "trace",
    "timezone",
    "due_soon_at",
    "cap_at",
)


@functools.cache
def _fast_deadline_types() -> tuple[type, ...] | None:
    """(Deadline, TraceItem, Period, Citation) when Deadline has the fields
    :func:`deadline_text` spells out; None sends every deadline through cattrs."""
    from discipline_flow.citation import Citation
    from discipline_flow.time._trace import TraceItem
    from discipline_flow.time.deadline import Deadline
    from discipline_flow.time.period import Period

    if tuple(f.name for f in attrs.fields(Deadline)) != _DEADLINE_FIELDS:
        return None
    return Deadline, TraceItem, Period, Citation


# JSON texts of values deadlines share (their rule's period and citation, the calendar's trace
# items, whole traces of deadlines started on the same day), keyed by the object's id. Each entry
# keeps its object alive, so an id is never reused while its entry exists; the cache is emptied
# when it grows past _SHARED_MAX, which bounds the memory the unshared values can take.
_SHARED: dict[int, tuple[object, str]] = {}
_SHARED_MAX = 4096


def _shared_json(value: object, kind: type) -> str:
    """The JSON text of ``value`` as the Deadline hook writes a field of type ``kind``."""
    hit = _SHARED.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    text = _ENCODER.encode(converter.unstructure(value, kind))
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    _SHARED[id(value)] = (value, text)
    return text


def _trace_json(trace: tuple[Any, ...], item_type: type) -> str:
    hit = _SHARED.get(id(trace))
    if hit is not None and hit[0] is trace:
        return hit[1]
    if type(trace) is not tuple:
        raise TypeError("expected a tuple")
    text = "[" + ",".join(_shared_json(item, item_type) for item in trace) + "]"
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    _SHARED[id(trace)] = (trace, text)
    return text


def _instant_json(value: _dt.date | None) -> str:
    """An optional date or instant as JSON: ISO text never needs escaping."""
    return "null" if value is None else f'"{value.isoformat()}"'


def _fast_deadline_json(deadline: Deadline) -> str | None:
    """The JSON text cattrs and the encoder give ``deadline``, built by hand from cached parts;
    None when the deadline is not of the common shape (the caller takes the generic path)."""
    types = _fast_deadline_types()
    if types is None:
        return None
    deadline_type, item_type, period_type, citation_type = types
    d = deadline
    if (
        type(d) is not deadline_type
        or d.pauses
        or d.extensions
        or type(d.rule) is not str
        or type(d.timezone) is not str
        or type(d.is_estimated) is not bool
    ):
        return None
    return (
        f'{{"rule":{_escape(d.rule)},"started_at":"{d.started_at.isoformat()}",'
        f'"start_on":"{d.start_on.isoformat()}","due_on":"{d.due_on.isoformat()}",'
        f'"due_at":"{d.due_at.isoformat()}",'
        f'"period":{_shared_json(d.period, period_type)},'
        f'"citation":{_shared_json(d.citation, citation_type)},'
        f'"is_estimated":{"true" if d.is_estimated else "false"},"pauses":[],"extensions":[],'
        f'"cap_on":{_instant_json(d.cap_on)},'
        f'"met_at":{_instant_json(d.met_at)},"cancelled_at":{_instant_json(d.cancelled_at)},'
        f'"trace":{_trace_json(d.trace, item_type)},"timezone":{_escape(d.timezone)},'
        f'"due_soon_at":{_instant_json(d.due_soon_at)},"cap_at":{_instant_json(d.cap_at)}}}'
    )


def deadline_text(deadline: Deadline, where: str) -> str:
    """The JSON text of the ``deadlines.data`` column: the deadline's cattrs form, encoded
    compactly and checked like any other text.

    The common shape (no pauses, no extensions) is written by hand from the JSON of the values
    deadlines share, which is cached; a test checks it equals the generic path byte for byte.
    """
    try:
        text = _fast_deadline_json(deadline)
    except (TypeError, ValueError, AttributeError):
        text = None  # something unusual: the generic path encodes it or names the problem
    if text is None:
        return dumps(_unstructure_deadline(deadline), where)
    return check_text(text, where)


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
                deadline_text(deadline, where),
            )
        )
    return rows


# --------------------------------------------------------------------------- decoding


def _member(members: Mapping[str, Any], name: Any, where: str) -> Any:
    member = members.get(name) if isinstance(name, str) else None
    if member is None:
        raise MalformedDataError(where, f"{name!r} is not one of {', '.join(members)}")
    return member


def instant_from_text(text: object, where: str) -> _dt.datetime:
    """The aware datetime the ISO ``text`` names; a MalformedDataError for anything else."""
    if type(text) is not str:
        raise MalformedDataError(where, f"expected an ISO datetime, got {text!r}")
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise MalformedDataError(where, f"{text!r} is not an ISO datetime") from None
    if when.tzinfo is None:
        raise MalformedDataError(where, f"{text!r} has no timezone")
    return when


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


# Text JSON writes as it is (printable ASCII but the quote and the backslash), then the text
# subject_text writes for a member or an organisation whose text values are all of it.
_PLAIN = r"[ !#-\[\]-~]"
_OPTIONAL_PLAIN = rf'(?:null|"({_PLAIN}*)")'
_LEVEL_NAMES = "|".join(re.escape(lv.value) for lv in Level)
_PLAIN_MEMBER = re.compile(
    rf'\{{"id":"({_PLAIN}+)","name":{_OPTIONAL_PLAIN},"cell_id":{_OPTIONAL_PLAIN},'
    r'"is_probationary":(true|false),"holds_post":(true|false),'
    rf'"committee_level":(?:null|"({_LEVEL_NAMES})"),"managed_by":(?:null|"({_LEVEL_NAMES})"),'
    r'"kind":"member"\}'
)
_PLAIN_ORGANISATION = re.compile(
    rf'\{{"id":"({_PLAIN}+)","level":"({_LEVEL_NAMES})","name":{_OPTIONAL_PLAIN},'
    rf'"parent_id":{_OPTIONAL_PLAIN},"kind":"organisation"\}}'
)
_new = object.__new__
_set = object.__setattr__


def _builds_directly(cls: type) -> bool:
    """Whether an instance of the attrs class ``cls`` with a plain text id (non-empty printable
    ASCII) may be built by setting its fields, without ``__init__``: it is slotted, has no init
    hooks and no converters, and its only validator is the id check such an id always passes."""
    if (
        "__slots__" not in vars(cls)
        or hasattr(cls, "__attrs_pre_init__")
        or hasattr(cls, "__attrs_post_init__")
    ):
        return False
    for field in attrs.fields(cls):
        if field.converter is not None:
            return False
        if field.validator is not None and (field.name, field.validator) != ("id", _id_text):
            return False
    return True


@functools.cache
def _direct_subjects() -> bool:
    """Whether subjects read from plain text are built field by field (see
    :func:`_builds_directly`); otherwise their constructors are called with the same values."""
    return _fast_subjects() and _builds_directly(Member) and _builds_directly(Organisation)


def _plain_subject(text: str) -> Subject | None:
    """The subject of the text :func:`subject_text` writes when every text value is plain (the
    value json would decode, without decoding); None for any other text."""
    found = _PLAIN_MEMBER.fullmatch(text)
    if found is not None:
        ident, name, cell, probationary, post, committee, managed = found.groups()
        committee_level = _LEVELS[committee] if committee is not None else None
        managed_by = _LEVELS[managed] if managed is not None else None
        if not _direct_subjects():
            return Member(
                ident,
                name,
                cell,
                probationary == "true",
                post == "true",
                committee_level,
                managed_by,
            )
        member = _new(Member)
        _set(member, "id", ident)
        _set(member, "name", name)
        _set(member, "cell_id", cell)
        _set(member, "is_probationary", probationary == "true")
        _set(member, "holds_post", post == "true")
        _set(member, "committee_level", committee_level)
        _set(member, "managed_by", managed_by)
        return member
    found = _PLAIN_ORGANISATION.fullmatch(text)
    if found is not None:
        ident, level, name, parent = found.groups()
        if not _direct_subjects():
            return Organisation(ident, _LEVELS[level], name, parent)
        organisation = _new(Organisation)
        _set(organisation, "id", ident)
        _set(organisation, "level", _LEVELS[level])
        _set(organisation, "name", name)
        _set(organisation, "parent_id", parent)
        return organisation
    return None


def subject_from_text(text: Any, where: str) -> Subject:
    """The member or organisation the JSON ``text`` of a ``subject`` column describes.

    The text :func:`subject_text` writes when every text value is plain ASCII is read without
    decoding JSON; the common shape (every field of the class, values of their declared types)
    is built directly; anything else goes through :func:`subject_from_dict` and its errors.
    """
    if type(text) is str and _fast_subjects():
        plain = _plain_subject(text)
        if plain is not None:
            return plain
    data = _loads(text, where)
    if type(data) is dict and _fast_subjects():
        try:
            found = _subject_of(data)
        except DisciplineFlowError:
            found = None  # the generic path raises its own error for the same value
        if found is not None:
            return found
    return subject_from_dict(data)


def _subject_of(data: dict[str, Any]) -> Subject | None:
    kind = data.get("kind")
    if kind == "member" and data.keys() == _MEMBER_KEYS:
        return _member_of(data)
    if kind == "organisation" and data.keys() == _ORGANISATION_KEYS:
        level = _LEVELS.get(data["level"]) if type(data["level"]) is str else None
        name, parent = data["name"], data["parent_id"]
        if (
            level is not None
            and type(data["id"]) is str
            and (name is None or type(name) is str)
            and (parent is None or type(parent) is str)
        ):
            return Organisation(data["id"], level, name, parent)
    return None


def _member_of(data: dict[str, Any]) -> Member | None:
    name, cell = data["name"], data["cell_id"]
    probationary, post = data["is_probationary"], data["holds_post"]
    committee, managed = data["committee_level"], data["managed_by"]
    committee_level = _LEVELS.get(committee) if type(committee) is str else None
    managed_by = _LEVELS.get(managed) if type(managed) is str else None
    if (
        type(data["id"]) is not str
        or (name is not None and type(name) is not str)
        or (cell is not None and type(cell) is not str)
        or type(probationary) is not bool
        or type(post) is not bool
        or (committee is not None and committee_level is None)
        or (managed is not None and managed_by is None)
    ):
        return None
    return Member(data["id"], name, cell, probationary, post, committee_level, managed_by)


#: Trace kinds older versions stored in a closed deadline's trace (see decode_deadline).
_CLOSINGS = frozenset({"met", "cancelled"})


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
    trace = value.trace
    if trace and trace[-1].kind.value in _CLOSINGS:
        # Stored before the closing left the trace: explain() derives it now.
        value = attrs.evolve(value, trace=tuple(i for i in trace if i.kind.value not in _CLOSINGS))
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
    subject = subject_from_text(row["subject"], f"case {case_id} subject")
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
