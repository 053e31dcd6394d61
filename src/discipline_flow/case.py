"""Cases and steps: one run of a workflow about one subject, with a hash-chained history.

>>> import enum, pendulum
>>> from discipline_flow import Workflow, Transition, Member, Body, BodyKind
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> cell = Body(BodyKind.PARTY_CELL, "cell-1")
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor=cell, case_id="C-1")
>>> step = case.fire(T.CLOSE, at=at.add(days=1), actor=cell)
>>> (step.source, step.target, case.state, case.version)
(<S.OPEN: 'open'>, <S.CLOSED: 'closed'>, <S.CLOSED: 'closed'>, 2)
>>> case.verify()
2
"""

from __future__ import annotations

import datetime as _dt
import enum
import hashlib
import itertools
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from discipline_flow._engine import FireContext, run_guard
from discipline_flow._records import positional_constructor
from discipline_flow.actors import (
    _GOOD_TEXT,
    Body,
    BodyKind,
    Member,
    Organisation,
    Subject,
    check_text,
)
from discipline_flow.clock import _ALWAYS_AWARE, require_aware
from discipline_flow.errors import (
    GuardFailure,
    InputError,
    MalformedDataError,
    TamperedHistoryError,
    TimeWentBackwardsError,
    TransitionRefused,
)
from discipline_flow.observe import FireEvent, GuardOutcome, Listener, _listeners
from discipline_flow.time._dates import local_date
from discipline_flow.time.deadline import Deadline
from discipline_flow.time.period import Period

if TYPE_CHECKING:
    from discipline_flow.time import Calendar, DeadlineRule
    from discipline_flow.workflow import CompiledTransition, Workflow, _DeadlinePlan

__all__ = [
    "Case",
    "Origin",
    "RecalculatedDeadline",
    "Step",
    "StepKind",
    "normalize_payload",
]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)

_MAX_ID = 200


class StepKind(enum.Enum):
    """What a step records."""

    OPEN = "open"  # the case was opened
    FIRE = "fire"  # a trigger moved the case
    RECALCULATE = "recalculate"  # deadlines were recomputed after a calendar or rule change


_FIRE = StepKind.FIRE  # read on every fire: a module global is cheaper than the enum attribute
_FIRE_JSON = f'"{_FIRE.value}"'


@attrs.frozen
class Origin:
    """Where a child case came from: the parent case and the step that opened it."""

    case_id: str
    workflow: str
    step_index: int


@attrs.frozen
class Step(Generic[S, T]):
    """One entry of a case's history, hash-chained to the one before it.

    ``hash`` is the SHA-256 of a canonical JSON form of the step's fields and ``previous_hash``;
    the first step chains to a value derived from the case id.
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

    def canonical(self) -> bytes:
        """The bytes the hash is computed over."""
        return _canonical(
            self.previous_hash,
            self.index,
            self.kind,
            self.trigger,
            self.source,
            self.target,
            self.at,
            self.actor,
            self.basis,
            self.payload,
        )


#: ``Step(*fields)`` without the frozen ``__init__`` (half its cost; a test keeps them equal).
_new_step = positional_constructor(Step)

_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
)
_isoformat = _dt.datetime.isoformat
_sha256 = hashlib.sha256
_escape: Callable[[str], str] = json.encoder.encode_basestring


def _canonical(
    previous_hash: str,
    index: int,
    kind: StepKind,
    trigger: enum.Enum | None,
    source: enum.Enum | None,
    target: enum.Enum,
    at: _dt.datetime,
    actor: Body,
    basis: str | None,
    payload: Mapping[str, Any],
) -> bytes:
    """The canonical JSON list a step is hashed over.

    Byte for byte what ``json.dumps([...], ensure_ascii=False, separators=(",", ":"),
    sort_keys=True)`` gives (a test checks it), built by hand because this is the hot path:
    enum names, kinds, hashes and ISO instants never need escaping, free text goes through the C
    string encoder, and only a non-empty payload goes through the full encoder.
    """
    trig = f'"{trigger._name_}"' if trigger is not None else "null"
    src = f'"{source._name_}"' if source is not None else "null"
    text = (
        f'["{previous_hash}",{index},"{kind._value_}",{trig},{src},"{target._name_}",'
        f'"{_isoformat(at)}",{actor._canonical or _actor_json(actor)},'
        f"{_escape(basis) if basis is not None else 'null'},"
        f"{_encode_payload(payload) if payload else '{}'}]"
    )
    return text.encode("utf-8")


def _canonical_fire(
    previous_hash: str,
    index: int,
    move: CompiledTransition[Any, Any],
    at: _dt.datetime,
    actor: Body,
    payload: Mapping[str, Any],
) -> bytes:
    """:func:`_canonical` of a fire's step by ``move``, from the parts the move holds ready."""
    text = (
        f'["{previous_hash}",{index},{_FIRE_JSON},{move.canonical_moves},"{_isoformat(at)}",'
        f"{actor._canonical or _actor_json(actor)},{move.canonical_basis},"
        f"{_encode_payload(payload) if payload else '{}'}]"
    )
    return text.encode("utf-8")


def _actor_json(actor: Body) -> str:
    """The body's kind, id and level as the canonical form holds them (kept on the body)."""
    level = actor.level
    text = (
        f'"{actor.kind._value_}",{_escape(actor.id)},'
        f"{'null' if level is None else _escape(level._value_)}"
    )
    object.__setattr__(actor, "_canonical", text)
    return text


def _not_json(value: object) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# One C encoder made once: ``JSONEncoder.encode`` builds a new one on every call, which is most of
# its cost for a small payload. No circular-reference markers: payloads are fresh copies, trees.
_C_ENCODER = (
    c_make_encoder(None, _not_json, _escape, None, ":", ",", True, False, False)
    if c_make_encoder is not None
    else None
)


def _encode_payload(payload: Mapping[str, Any]) -> str:
    """``payload`` as canonical JSON (what ``_ENCODER.encode`` gives)."""
    if _C_ENCODER is None:  # pragma: no cover - CPython always has the C encoder
        return _ENCODER.encode(payload)
    return "".join(_C_ENCODER(payload, 0))


def canonical_reference(
    previous_hash: str,
    index: int,
    kind: StepKind,
    trigger: enum.Enum | None,
    source: enum.Enum | None,
    target: enum.Enum,
    at: _dt.datetime,
    actor: Body,
    basis: str | None,
    payload: Mapping[str, Any],
) -> bytes:
    """The canonical form through ``json.dumps``: the slow reference the fast form must equal."""
    record = [
        previous_hash,
        index,
        kind.value,
        trigger.name if trigger is not None else None,
        source.name if source is not None else None,
        target.name,
        at.isoformat(),
        actor.kind.value,
        actor.id,
        actor.level.value if actor.level is not None else None,
        basis,
        payload,
    ]
    return json.dumps(
        record, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
    ).encode("utf-8")


def genesis_hash(case_id: str) -> str:
    """The value the first step of case ``case_id`` chains to."""
    return hashlib.sha256(f"discipline_flow:genesis:{case_id}".encode()).hexdigest()


def _normalize(value: Any, where: str) -> Any:
    kind = type(value)
    if kind is str:
        return check_text(value, where)
    if value is None or kind is int or kind is bool:
        return value
    if isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return check_text(value, where)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(where, "numbers must be finite")
        return value
    if isinstance(value, _dt.datetime):
        return require_aware(value, where).isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(where, f"keys must be text, got {type(key).__name__}")
            check_text(key, where)  # the key first, as the plain copy checks it
            out[key] = _normalize(item, f"{where}.{key}")
        return out
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [_normalize(item, f"{where}[{i}]") for i, item in enumerate(items)]
    to_payload = getattr(value, "to_payload", None)
    if callable(to_payload):
        return _normalize(to_payload(), where)
    if hasattr(value, "amount") and hasattr(value, "unit"):  # a Period
        return str(value)
    raise InputError(
        where,
        f"{type(value).__name__} cannot be stored; payload values may be text, numbers, "
        f"booleans, None, dates, aware datetimes, enums, lists and mappings",
    )


class _NotPlain(Exception):
    """A payload value the plain copy does not handle: the full walk takes over."""


def _plain_dict(value: dict[Any, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if type(key) is not str:
            raise _NotPlain
        if key not in _GOOD_TEXT:
            check_text(key, where)
        kind = type(item)
        if kind is str:
            if item not in _GOOD_TEXT:
                check_text(item, f"{where}.{key}")
            out[key] = item
        elif kind is dict:
            out[key] = _plain_dict(item, f"{where}.{key}")
        elif kind is list:
            out[key] = _plain_list(item, f"{where}.{key}")
        elif kind is int or kind is bool or item is None:
            out[key] = item
        else:
            raise _NotPlain
    return out


def _plain_list(value: list[Any], where: str) -> list[Any]:
    out: list[Any] = []
    for i, item in enumerate(value):
        kind = type(item)
        if kind is str:
            if item not in _GOOD_TEXT:
                check_text(item, f"{where}[{i}]")
            out.append(item)
        elif kind is dict:
            out.append(_plain_dict(item, f"{where}[{i}]"))
        elif kind is list:
            out.append(_plain_list(item, f"{where}[{i}]"))
        elif kind is int or kind is bool or item is None:
            out.append(item)
        else:
            raise _NotPlain
    return out


def _flat_payload(payload: dict[Any, Any]) -> dict[str, Any] | None:
    """A copy of a plain payload (text keys; text, integer, boolean or null values, and dicts
    and lists of them) after the text checks, or None when the payload needs the full walk
    (dates, enums, floats, tuples, ...). The hot path of a fire: the same checks, in the same
    order, with the same errors as :func:`normalize_payload`."""
    try:
        return _plain_dict(payload, "payload")
    except _NotPlain:
        return None


def normalize_payload(payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """The JSON-compatible form a payload is stored and hashed in.

    Dates and aware datetimes become ISO text, enum members their names; anything that cannot be
    stored exactly raises :class:`~discipline_flow.errors.InputError`.

    >>> import datetime
    >>> normalize_payload({"postmark_on": datetime.date(2025, 3, 3), "votes": (5, 2)})
    {'postmark_on': '2025-03-03', 'votes': [5, 2]}
    """
    if payload is None:
        return {}
    if type(payload) is dict:
        if not payload:
            return {}
        flat = _flat_payload(payload)
        if flat is not None:
            return flat
    if not isinstance(payload, Mapping):
        raise InputError("payload", f"must be a mapping, got {type(payload).__name__}")
    if not payload:
        return {}
    result: dict[str, Any] = _normalize(payload, "payload")
    return result


def _coerce_actor(actor: Body | str) -> Body:
    if isinstance(actor, Body):
        return actor  # its id was checked when the Body was built
    if isinstance(actor, str) and actor:
        return Body(BodyKind.PERSON, check_text(actor, "actor"))
    raise InputError("actor", "expected a Body or a non-empty id")


def _fresh_prefix() -> str:
    return os.urandom(6).hex()


class _Ids:
    """Default case ids: a random per-process prefix and a counter (cheaper than uuid4).

    A forked child gets a new prefix, so processes never hand out the same id.
    """

    prefix = _fresh_prefix()
    counter = itertools.count(1)

    @classmethod
    def reset(cls) -> None:
        cls.prefix = _fresh_prefix()
        cls.counter = itertools.count(1)


os.register_at_fork(after_in_child=_Ids.reset)


def _new_id() -> str:
    return f"{_Ids.prefix}-{next(_Ids.counter):x}"


def _check_id(case_id: str) -> str:
    if not isinstance(case_id, str) or not case_id or len(case_id) > _MAX_ID:
        raise InputError("case_id", f"must be non-empty text of at most {_MAX_ID} characters")
    return check_text(case_id, "case_id", remember=False)


def _check_subject(subject: object) -> Subject:
    if not isinstance(subject, Member | Organisation):
        raise InputError("subject", "expected a Member or an Organisation")
    return subject  # its id was checked when the subject was built


def _latest(deadlines: list[Deadline], rule: str) -> int | None:
    """The position of the latest deadline of ``rule`` (a case holds a handful: a scan)."""
    for i in range(len(deadlines) - 1, -1, -1):
        if deadlines[i].rule == rule:
            return i
    return None


def _payload_date(data: Mapping[str, Any], key: str | None, at: _dt.datetime) -> _dt.date | None:
    if key is None or key not in data:
        return None
    raw = data[key]
    if not isinstance(raw, str):
        raise InputError(f"payload.{key}", "must be a date (YYYY-MM-DD) or an aware datetime")
    try:
        if len(raw) == 10:
            day = _dt.date.fromisoformat(raw)
        else:
            day = require_aware(_dt.datetime.fromisoformat(raw), f"payload.{key}").date()
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"payload.{key}", f"{raw!r} is not an ISO date") from None
    if day > at.date():
        raise InputError(
            f"payload.{key}", f"{day.isoformat()} is later than the step itself ({at.date()})"
        )
    return day


@attrs.frozen
class RecalculatedDeadline:
    """One deadline that moved when a case's deadlines were recomputed."""

    rule: str
    old_due_on: _dt.date
    new_due_on: _dt.date

    @property
    def moved_days(self) -> int:
        """Calendar days moved; positive when the deadline moved later."""
        return (self.new_due_on - self.old_due_on).days


@attrs.define(eq=False)
class Case(Generic[S, T]):
    """One run of one workflow about one subject.

    A small mutable record: the state, the history of steps and the deadlines. Compare cases by
    ``id``; two case objects are never equal just because their fields are.
    """

    id: str
    workflow: Workflow[S, T]
    subject: Subject
    state: S
    steps: list[Step[S, T]]
    deadlines: list[Deadline] = attrs.field(factory=list)
    origin: Origin | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        workflow: Workflow[S, T],
        subject: Subject,
        *,
        at: _dt.datetime,
        actor: Body | str,
        case_id: str | None = None,
        payload: Mapping[str, Any] | None = None,
        parent: Case[Any, Any] | None = None,
    ) -> Case[S, T]:
        """Open a case in the workflow's initial state (``workflow.open`` calls this)."""
        tz = getattr(at, "tzinfo", None)
        if tz is None or type(tz) not in _ALWAYS_AWARE or not isinstance(at, _dt.datetime):
            at = require_aware(at, "at")
        case_id = _check_id(case_id) if case_id is not None else _new_id()
        if type(subject) is not Member and type(subject) is not Organisation:
            subject = _check_subject(subject)
        body = actor if type(actor) is Body else _coerce_actor(actor)
        data: dict[str, Any] = {} if payload is None else normalize_payload(payload)
        origin = None
        if parent is not None:
            origin = Origin(parent.id, parent.workflow.key, parent.version - 1)
            data = {**data, "origin": {"case_id": parent.id, "workflow": parent.workflow.key}}
        case = cls(case_id, workflow, subject, workflow.initial, [], [], origin)
        step = case._make_step(StepKind.OPEN, None, None, workflow.initial, at, body, None, data)
        plans = workflow._deadline_plans[-1]
        if plans:
            case.deadlines = (
                case._next_deadlines(None, workflow.initial, at, data, plans=plans) or []
            )
        case.steps.append(step)
        return case

    # ------------------------------------------------------------------ reading

    @property
    def version(self) -> int:
        """The number of steps; stores use it for optimistic concurrency."""
        return len(self.steps)

    @property
    def last_at(self) -> _dt.datetime:
        """When the latest step happened."""
        return self.steps[-1].at

    @property
    def opened_at(self) -> _dt.datetime:
        """When the case was opened."""
        return self.steps[0].at

    @property
    def is_closed(self) -> bool:
        """Whether the case is in a terminal state."""
        return self.state in self.workflow.terminal

    def deadline(self, rule: str) -> Deadline:
        """The latest deadline of ``rule`` on this case."""
        for item in reversed(self.deadlines):
            if item.rule == rule:
                return item
        from discipline_flow.errors import RuleNotFoundError

        raise RuleNotFoundError(
            f"case {self.id}", rule, tuple(dict.fromkeys(d.rule for d in self.deadlines))
        )

    def open_deadlines(self) -> list[Deadline]:
        """Deadlines neither met nor cancelled."""
        return [d for d in self.deadlines if d.is_open]

    # ------------------------------------------------------------------ moving

    def fire(
        self,
        trigger: T | str,
        *,
        at: _dt.datetime,
        actor: Body | str,
        payload: Mapping[str, Any] | None = None,
    ) -> Step[S, T]:
        """Fire ``trigger``; return the new step. On refusal the case is unchanged.

        Raises :class:`~discipline_flow.errors.TransitionRefused` listing every failed guard and
        the triggers allowed now.
        """
        # The hot path: the common cases (enum trigger, pendulum/stdlib aware datetime, Body
        # actor, no payload) are checked inline; anything else goes through the full checks.
        wf = self.workflow
        source = self.state
        # Tables keyed by names: a str hashes in C, an Enum member through Python code.
        row = wf._rows[source._name_]
        if type(trigger) is str:
            candidates = row.get(trigger)
        elif isinstance(trigger, wf.triggers):
            candidates = row.get(trigger._name_)
        else:
            candidates = None
        trig = candidates[0].trigger if candidates else wf.trigger_named(trigger)
        tz = getattr(at, "tzinfo", None)
        if tz is None or type(tz) not in _ALWAYS_AWARE or not isinstance(at, _dt.datetime):
            at = require_aware(at, "at")
        body = actor if type(actor) is Body else _coerce_actor(actor)
        data: dict[str, Any] = {} if payload is None else normalize_payload(payload)
        steps = self.steps
        last = steps[-1]
        if at < last.at:
            raise TimeWentBackwardsError(self.id, at.isoformat(), last.at.isoformat())
        if not candidates:
            raise TransitionRefused(
                self.id, trig.name, source.name, (), self._allowed_names(at, body)
            )
        listeners = _listeners.get()
        only = candidates[0]
        if len(candidates) == 1 and not only.guards and not only.effects and not listeners:
            # Nothing can refuse and nothing needs the context: the plain move.
            target = wf._engine.move(trig, source)
            taken = only
        else:
            ctx = FireContext(self, trig, at, body, data, bool(listeners))
            target = wf._engine.fire(ctx, candidates)
            taken = ctx.taken  # type: ignore[assignment]  # set whenever target is not None
        if target is None:
            if listeners:
                _notify(listeners, self, ctx, None, None)
            raise TransitionRefused(
                self.id,
                trig.name,
                source.name,
                ctx.refusals(),
                self._allowed_names(at, body),
            )
        basis = taken.basis_text
        plans = wf._deadline_plans[taken.index]
        deadlines = self._next_deadlines(trig, target, at, data, plans=plans) if plans else None
        index = len(steps)
        previous = last.hash
        canonical = _canonical_fire(previous, index, taken, at, body, data)
        step: Step[S, T] = _new_step(
            index,
            _FIRE,
            trig,
            source,
            target,
            at,
            body,
            basis,
            data,
            previous,
            _sha256(canonical).hexdigest(),
        )
        before = self.deadlines
        self.state = target
        steps.append(step)
        if deadlines is not None:
            self.deadlines = deadlines
        if listeners:
            _notify(listeners, self, ctx, target, before)
        return step

    def allowed(
        self, *, at: _dt.datetime | None = None, actor: Body | str | None = None
    ) -> tuple[T, ...]:
        """Triggers that would fire now for ``actor`` at ``at`` (default: the last step's time).

        Guards that judge the payload (``uses_payload``) are left out, since there is none yet.
        """
        wf = self.workflow
        if at is None and actor is None:
            fast = wf._unguarded.get(self.state)
            if fast is not None:  # no guard can refuse here: the compiled table is the answer
                return fast
        available = wf._available[self.state]
        if not available:
            return ()
        when = require_aware(at, "at") if at is not None else self.steps[-1].at
        body = _coerce_actor(actor) if actor is not None else self.steps[-1].actor
        return tuple(t for t in available if not self._failures(t, when, body, {}, True))

    def check(
        self,
        trigger: T | str,
        *,
        at: _dt.datetime | None = None,
        actor: Body | str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> tuple[GuardFailure, ...]:
        """Why ``trigger`` would be refused, as data; empty when it would fire. Never raises
        for a refusal (bad arguments still raise input errors)."""
        wf = self.workflow
        trig = trigger if isinstance(trigger, wf.triggers) else wf.trigger_named(trigger)
        when = require_aware(at, "at") if at is not None else self.steps[-1].at
        body = _coerce_actor(actor) if actor is not None else self.steps[-1].actor
        data = normalize_payload(payload)
        if not wf.candidates(self.state, trig):
            allowed = ", ".join(t.name for t in wf.available(self.state)) or "(none)"
            return (
                GuardFailure(
                    "state",
                    f"{trig.name} is not available while {self.state.name}; available: {allowed}",
                ),
            )
        if when < self.steps[-1].at:
            return (GuardFailure("time_order", "at is earlier than the case's last step"),)
        return tuple(self._failures(trig, when, body, data, False))

    def _failures(
        self,
        trigger: T,
        at: _dt.datetime,
        actor: Body,
        payload: Mapping[str, Any],
        skip_payload_guards: bool,
    ) -> list[GuardFailure]:
        from discipline_flow.workflow import GuardContext

        failures: list[GuardFailure] = []
        for ct in self.workflow.candidates(self.state, trigger):
            if not ct.guards:
                return []
            ctx = GuardContext(self, trigger, ct.source, ct.target, at, actor, payload)
            mine = [
                failure
                for guard in ct.guards
                if not (skip_payload_guards and guard.uses_payload)
                and (failure := run_guard(guard, ctx)) is not None
            ]
            if not mine:
                return []
            failures.extend(mine)
        return failures

    def _allowed_names(self, at: _dt.datetime, actor: Body) -> tuple[str, ...]:
        return tuple(
            t.name
            for t in self.workflow.available(self.state)
            if not self._failures(t, at, actor, {}, True)
        )

    # ------------------------------------------------------------------ deadlines

    def _next_deadlines(
        self,
        trigger: T | None,
        target: S,
        at: _dt.datetime,
        data: Mapping[str, Any],
        calendar: Calendar | None = None,
        *,
        plans: tuple[_DeadlinePlan, ...] | None = None,
    ) -> list[Deadline] | None:
        """The deadlines after a move to ``target`` by ``trigger``; None when no rule is touched.

        Only the rules the workflow planned for this (trigger, target) pair are looked at
        (``plans``, when the caller has them already).
        """
        wf = self.workflow
        if plans is None:
            plans = wf._deadline_rules_for.get((trigger, target))
        if not plans:
            return None
        cal = calendar if calendar is not None else wf.get_calendar()
        current = list(self.deadlines)
        for plan in plans:
            rule = plan.rule
            i = _latest(current, rule.name)
            if i is not None and current[i].is_open:
                item = current[i]
                if plan.met:
                    item = item.meet(at)
                elif plan.cancelled:
                    item = item.cancel(at)
                else:
                    if plan.paused:
                        item = item.pause(at)
                    if plan.resumed:
                        item = item.resume(at, rule=rule, calendar=cal)
                    if plan.extended and trigger is not None:
                        raw = data.get("extend_by")
                        if raw is None:
                            raise InputError(
                                "payload.extend_by",
                                f"{trigger.name} extends {rule.name!r} and needs the extension, "
                                f"like '30 working days'",
                            )
                        reason = data.get("reason")
                        item = item.extend(
                            Period.parse(raw),
                            reason=reason if isinstance(reason, str) else None,
                            at=at,
                            rule=rule,
                            calendar=cal,
                        )
                current[i] = item
            if plan.starts:
                j = _latest(current, rule.name)
                if j is not None and current[j].is_open:  # a restart closes the open one
                    current[j] = current[j].cancel(at)
                start_on = _payload_date(data, rule.start_date_key, at)
                if start_on is None:
                    day, key = local_date(at, wf.timezone), ""
                else:
                    day, key = start_on, rule.start_date_key or "start_on"
                own = None
                if rule.period_key is not None and data.get(rule.period_key) is not None:
                    own = rule.own_period(data[rule.period_key])  # a decision sets the period
                # Deadline.start without its argument checks: at and the timezone are checked.
                current.append(Deadline._started(rule, at, day, cal, wf.timezone, key, own))
        return current

    def recalculate(
        self,
        *,
        at: _dt.datetime,
        reason: str,
        actor: Body | None = None,
        calendar: Calendar | None = None,
        rules: Sequence[DeadlineRule] | None = None,
        dry_run: bool = False,
    ) -> list[RecalculatedDeadline]:
        """Recompute open deadlines after a calendar or rule change.

        Returns what moved. Unless ``dry_run``, the new deadlines replace the old ones and a
        ``RECALCULATE`` step records the reason and every change.
        """
        at = require_aware(at, "at")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("reason", "a recalculation needs a reason")
        cal = calendar if calendar is not None else self.workflow.get_calendar()
        by_name = {
            r.name: r for r in (rules if rules is not None else self.workflow.deadline_rules)
        }
        updated = list(self.deadlines)
        changes: list[RecalculatedDeadline] = []
        for i, item in enumerate(updated):
            rule = by_name.get(item.rule)
            if rule is None or not item.is_open:
                continue
            fresh = item.recompute(rule=rule, calendar=cal)
            if fresh.due_on != item.due_on:
                changes.append(RecalculatedDeadline(item.rule, item.due_on, fresh.due_on))
            updated[i] = fresh
        if dry_run or not changes:
            return changes
        if at < self.steps[-1].at:
            raise TimeWentBackwardsError(self.id, at.isoformat(), self.steps[-1].at.isoformat())
        data = normalize_payload(
            {
                "reason": reason,
                "changes": [
                    {
                        "rule": c.rule,
                        "old_due_on": c.old_due_on,
                        "new_due_on": c.new_due_on,
                    }
                    for c in changes
                ],
            }
        )
        body = actor if actor is not None else Body(BodyKind.SYSTEM, "recalculation")
        step = self._make_step(
            StepKind.RECALCULATE, None, self.state, self.state, at, body, None, data
        )
        self.steps.append(step)
        self.deadlines = updated
        return changes

    # ------------------------------------------------------------------ history

    def _make_step(
        self,
        kind: StepKind,
        trigger: T | None,
        source: S | None,
        target: S,
        at: _dt.datetime,
        actor: Body,
        basis: str | None,
        payload: dict[str, Any],
    ) -> Step[S, T]:
        index = len(self.steps)
        previous = self.steps[-1].hash if self.steps else genesis_hash(self.id)
        try:
            digest = hashlib.sha256(
                _canonical(
                    previous, index, kind, trigger, source, target, at, actor, basis, payload
                )
            ).hexdigest()
        except (TypeError, ValueError) as exc:
            raise InputError("payload", f"cannot be stored: {exc}") from None
        step: Step[S, T] = _new_step(
            index, kind, trigger, source, target, at, actor, basis, payload, previous, digest
        )
        return step

    def verify(self) -> int:
        """Check the hash chain; return the number of steps verified.

        Raises :class:`~discipline_flow.errors.TamperedHistoryError` naming the first step that
        was edited, removed or reordered.
        """
        return verify_steps(self.id, self.steps)

    def as_of(self, at: _dt.datetime) -> Case[S, T]:
        """The case as it stood at ``at``: a new case replayed from the steps up to then."""
        at = require_aware(at, "at")
        kept = [s for s in self.steps if s.at <= at]
        if not kept:
            raise InputError(
                "at", f"case {self.id} was opened at {self.opened_at.isoformat()}, after {at}"
            )
        return replay(self.workflow, self.id, self.subject, kept, origin=self.origin)

    def __repr__(self) -> str:
        return (
            f"Case({self.id!r}, {self.workflow.key}, state={self.state.name}, "
            f"steps={len(self.steps)})"
        )


def _notify(
    listeners: tuple[Listener, ...],
    case: Case[Any, Any],
    ctx: FireContext,
    target: enum.Enum | None,
    before: list[Deadline] | None,
) -> None:
    started: tuple[str, ...] = ()
    met: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    if before is not None and case.deadlines is not before:
        old = {id(d) for d in before}
        new_items = [d for d in case.deadlines if id(d) not in old]
        known = {(d.rule, d.started_at) for d in before}
        started = tuple(d.rule for d in new_items if (d.rule, d.started_at) not in known)
        met = tuple(d.rule for d in new_items if d.met_at is not None)
        cancelled = tuple(d.rule for d in new_items if d.cancelled_at is not None)
    event = FireEvent(
        workflow=case.workflow.key,
        case_id=case.id,
        trigger=ctx.trigger.name,
        source=ctx.source.name,
        target=target.name if target is not None else None,
        transition=ctx.taken.index if ctx.taken is not None and target is not None else None,
        refused=target is None,
        guards=tuple(GuardOutcome(i, name, ok) for i, name, ok in ctx.outcomes or ()),
        deadlines_started=started,
        deadlines_met=met,
        deadlines_cancelled=cancelled,
    )
    for listener in listeners:
        listener(event)


def verify_steps(case_id: str, steps: Sequence[Step[Any, Any]]) -> int:
    """Check a case's hash chain; raise TamperedHistoryError at the first bad step."""
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
        if hashlib.sha256(step.canonical()).hexdigest() != step.hash:
            raise TamperedHistoryError(
                f"case {case_id}: step {position} ({step.kind.value} "
                f"{step.trigger.name if step.trigger else ''}) was edited after it was recorded"
            )
        previous = step.hash
    return len(steps)


def replay(
    workflow: Workflow[S, T],
    case_id: str,
    subject: Subject,
    steps: Sequence[Step[S, T]],
    *,
    origin: Origin | None = None,
    calendar: Calendar | None = None,
) -> Case[S, T]:
    """Rebuild a case from its recorded steps.

    The chain is verified first; each step must be a move the workflow defines. Guards are not
    re-run: they held when the step was recorded. Deadlines are recomputed from the steps.
    """
    verify_steps(case_id, steps)
    if not steps or steps[0].kind is not StepKind.OPEN:
        raise MalformedDataError(f"case {case_id}", "the first step must open the case")
    case: Case[S, T] = Case(case_id, workflow, subject, steps[0].target, [], [], origin)
    for step in steps:
        if step.kind is StepKind.FIRE and (
            step.trigger is None
            or step.source is not case.state
            or not any(
                ct.target is step.target for ct in workflow.candidates(case.state, step.trigger)
            )
        ):
            raise MalformedDataError(
                f"case {case_id} step {step.index}",
                f"{workflow.key} has no move {getattr(step.trigger, 'name', None)} from "
                f"{case.state.name} to {step.target.name}",
            )
        if workflow.deadline_rules and step.kind is not StepKind.RECALCULATE:
            moved = case._next_deadlines(step.trigger, step.target, step.at, step.payload, calendar)
            if moved is not None:
                case.deadlines = moved
        elif step.kind is StepKind.RECALCULATE and workflow.deadline_rules:
            cal = calendar if calendar is not None else workflow.get_calendar()
            case.deadlines = [
                d.recompute(rule=workflow.rule(d.rule), calendar=cal) if d.is_open else d
                for d in case.deadlines
            ]
        case.state = step.target
        case.steps.append(step)
    return case
