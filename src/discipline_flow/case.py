"""Cases: one run of a workflow about one subject, with a hash-chained history.

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
import itertools
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from discipline_flow.actors import Body, BodyKind, Member, Organisation, Subject, check_text
from discipline_flow.clock import instant, require_aware
from discipline_flow.compiled import Attempt
from discipline_flow.errors import (
    DeadlineNotStartedError,
    GuardFailure,
    InputError,
    MalformedDataError,
    TimeWentBackwardsError,
    TransitionRefused,
)
from discipline_flow.history import Origin, Step, StepKind, genesis_hash, verify_steps
from discipline_flow.observe import FireEvent, GuardOutcome, Listener, current_listeners
from discipline_flow.payload import normalize_payload
from discipline_flow.plans import apply_plans
from discipline_flow.time import Calendar, Deadline, DeadlineRule

if TYPE_CHECKING:
    from discipline_flow.workflow import Workflow

__all__ = [
    "Case",
    "Origin",
    "RecalculatedDeadline",
    "Step",
    "StepKind",
    "genesis_hash",
    "normalize_payload",
    "replay",
    "verify_steps",
]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)

_MAX_ID = 200


def _coerce_actor(actor: Body | str) -> Body:
    if isinstance(actor, Body):
        return actor  # its id was checked when the Body was built
    if isinstance(actor, str):
        return Body.parse(actor)  # "kind:id", never a guess at the kind
    raise InputError("actor", f"expected a Body or a 'kind:id' text, got {type(actor).__name__}")


class _Ids:
    """Default case ids: a random per-process prefix and a counter (cheaper than uuid4).

    A forked child gets a new prefix, so processes never hand out the same id.
    """

    prefix = os.urandom(6).hex()
    counter = itertools.count(1)

    @classmethod
    def reset(cls) -> None:
        cls.prefix = os.urandom(6).hex()
        cls.counter = itertools.count(1)

    @classmethod
    def next(cls) -> str:
        return f"{cls.prefix}-{next(cls.counter):x}"


os.register_at_fork(after_in_child=_Ids.reset)


def _check_id(case_id: object) -> str:
    if not isinstance(case_id, str) or not case_id or len(case_id) > _MAX_ID:
        raise InputError("case_id", f"must be non-empty text of at most {_MAX_ID} characters")
    return check_text(case_id, "case_id")


def _check_subject(subject: object) -> Subject:
    if not isinstance(subject, Member | Organisation):
        raise InputError("subject", "expected a Member or an Organisation")
    return subject  # its id was checked when the subject was built


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

    A small mutable record: the state, the history of steps and the deadlines. It runs on its
    workflow's compiled form (:attr:`Workflow.engine <discipline_flow.Workflow.engine>`) and
    keeps nothing of it. Compare cases by ``id``; two case objects are never equal just because
    their fields are.
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
        """Open a case in the workflow's initial state (``workflow.open`` calls this); the
        opening is its first step. ``parent`` links the new case to the case whose step opened
        it (its :class:`Origin`)."""
        at = instant(at, "at")
        case_id = _Ids.next() if case_id is None else _check_id(case_id)
        subject = _check_subject(subject)
        body = _coerce_actor(actor)
        data = normalize_payload(payload)
        origin = None
        if parent is not None:
            origin = Origin(parent.id, parent.workflow.key, parent.version - 1)
            data = {**data, "origin": {"case_id": parent.id, "workflow": parent.workflow.key}}
        initial = workflow.initial
        step: Step[S, T] = Step.record(
            case_id=case_id,
            previous=None,
            kind=StepKind.OPEN,
            trigger=None,
            source=None,
            target=initial,
            at=at,
            actor=body,
            basis=None,
            payload=data,
        )
        plans = workflow.engine.opening_plans
        deadlines = (
            apply_plans((), plans, None, at, data, workflow.get_calendar(), workflow.timezone)
            if plans
            else []
        )
        case = cls(case_id, workflow, subject, initial, [step], deadlines, origin)
        listeners = current_listeners()
        if listeners:
            _notify_opened(listeners, case)
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
        """The latest deadline of ``rule`` on this case.

        Raises :class:`~discipline_flow.errors.DeadlineNotStartedError` for a rule of the
        workflow that has not started on this case yet (saying what starts it), and
        :class:`~discipline_flow.errors.RuleNotFoundError` for a rule the workflow does not have.
        """
        for item in reversed(self.deadlines):
            if item.rule == rule:
                return item
        known = self.workflow.rule(rule)  # RuleNotFoundError, naming the workflow's rules
        if known.starts_on_trigger is not None:
            starts = f"the {known.starts_on_trigger.name} trigger"
        else:
            assert known.starts_on_enter is not None  # a rule has one or the other
            starts = f"entering {known.starts_on_enter.name}"
        started = tuple(dict.fromkeys(d.rule for d in self.deadlines))
        raise DeadlineNotStartedError(self.id, rule, starts, started)

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
        """Fire ``trigger`` (a member, its name or its value); return the new step. On refusal the case is
        unchanged.

        Raises :class:`~discipline_flow.errors.TransitionRefused` listing every failed guard and
        the triggers allowed now, :class:`~discipline_flow.errors.ActionFailedError` when an
        action of the move raises, and input errors for bad arguments.
        """
        workflow = self.workflow
        engine = workflow.engine
        source = self.state
        row = engine.rows[source._name_]
        if isinstance(trigger, workflow.triggers):
            candidates = row.get(trigger._name_, ())
        elif isinstance(trigger, str):
            candidates = row.get(trigger, ())
            if not candidates and trigger not in workflow.triggers.__members__:
                # The trigger's value ("hear_subject"), or a name the workflow does not have.
                trigger = workflow.trigger_named(trigger)
                candidates = row.get(trigger._name_, ())
        else:
            candidates = ()
        trig: T = candidates[0].trigger if candidates else workflow.trigger_named(trigger)
        at = instant(at, "at")
        body = _coerce_actor(actor)
        data = normalize_payload(payload)
        last = self.steps[-1]
        if at < last.at:
            raise TimeWentBackwardsError(self.id, at.isoformat(), last.at.isoformat())
        if not candidates:
            raise TransitionRefused(
                self.id, trig.name, source.name, (), self._allowed_names(at, body, trig)
            )
        listeners = current_listeners()
        attempt = engine.attempt(self, trig, candidates, at, body, data, record=bool(listeners))
        taken = attempt.taken
        if taken is None:
            if listeners:
                _notify(listeners, self, attempt, trig, source, None, None)
            raise TransitionRefused(
                self.id,
                trig.name,
                source.name,
                tuple(attempt.failures),
                self._allowed_names(at, body, trig),
            )
        plans = engine.plans[taken.index]
        deadlines = None
        if plans:
            extended = attempt.context.extensions if attempt.context is not None else None
            deadlines = apply_plans(
                self.deadlines,
                plans,
                trig,
                at,
                data,
                workflow.get_calendar(),
                workflow.timezone,
                extended,
            )
        step: Step[S, T] = Step.record(
            case_id=self.id,
            previous=last,
            kind=StepKind.FIRE,
            trigger=trig,
            source=source,
            target=taken.target,
            at=at,
            actor=body,
            basis=taken.basis_text,
            payload=data,
        )
        before = self.deadlines
        self.state = taken.target
        self.steps.append(step)
        if deadlines is not None:
            self.deadlines = deadlines
        if listeners:
            _notify(listeners, self, attempt, trig, source, taken.target, before)
        return step

    def allowed(
        self, *, at: _dt.datetime | None = None, actor: Body | str | None = None
    ) -> tuple[T, ...]:
        """Triggers that would fire now for ``actor`` at ``at`` (default: the last step's time).

        Guards that judge the payload (``uses_payload``) are left out, since there is none yet.
        """
        engine = self.workflow.engine
        if at is None and actor is None:
            unguarded = engine.unguarded.get(self.state)
            if unguarded is not None:  # no guard can refuse here: the table is the answer
                return unguarded
        available = engine.available[self.state]
        if not available:
            return ()
        when = require_aware(at, "at") if at is not None else self.steps[-1].at
        body = _coerce_actor(actor) if actor is not None else self.steps[-1].actor
        return tuple(
            t
            for t in available
            if not engine.refusals(self, t, when, body, {}, skip_payload_guards=True)
        )

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
        workflow = self.workflow
        trig = workflow.trigger_named(trigger)
        when = require_aware(at, "at") if at is not None else self.steps[-1].at
        body = _coerce_actor(actor) if actor is not None else self.steps[-1].actor
        data = normalize_payload(payload)
        engine = workflow.engine
        if not engine.candidates(self.state, trig):
            allowed = ", ".join(t.name for t in engine.available[self.state]) or "(none)"
            return (
                GuardFailure(
                    "state",
                    f"{trig.name} is not available while {self.state.name}; available: {allowed}",
                ),
            )
        if when < self.steps[-1].at:
            return (GuardFailure("time_order", "at is earlier than the case's last step"),)
        return tuple(engine.refusals(self, trig, when, body, data, skip_payload_guards=False))

    def _allowed_names(self, at: _dt.datetime, actor: Body, refused: T) -> tuple[str, ...]:
        # The other triggers a refusal can offer: never the one just refused.
        engine = self.workflow.engine
        return tuple(
            t.name
            for t in engine.available[self.state]
            if t is not refused
            and not engine.refusals(self, t, at, actor, {}, skip_payload_guards=True)
        )

    # ------------------------------------------------------------------ deadlines

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
        at = instant(at, "at")
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
        last = self.steps[-1]
        if at < last.at:
            raise TimeWentBackwardsError(self.id, at.isoformat(), last.at.isoformat())
        data = normalize_payload(
            {
                "reason": reason,
                "changes": [
                    {"rule": c.rule, "old_due_on": c.old_due_on, "new_due_on": c.new_due_on}
                    for c in changes
                ],
            }
        )
        step: Step[S, T] = Step.record(
            case_id=self.id,
            previous=last,
            kind=StepKind.RECALCULATE,
            trigger=None,
            source=self.state,
            target=self.state,
            at=at,
            actor=actor if actor is not None else Body(BodyKind.SYSTEM, "recalculation"),
            basis=None,
            payload=data,
        )
        self.steps.append(step)
        self.deadlines = updated
        return changes

    # ------------------------------------------------------------------ history

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
    attempt: Attempt,
    trigger: enum.Enum,
    source: enum.Enum,
    target: enum.Enum | None,
    before: list[Deadline] | None,
) -> None:
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


def _notify_opened(listeners: tuple[Listener, ...], case: Case[Any, Any]) -> None:
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
    engine = workflow.engine
    cal = calendar if calendar is not None else workflow.get_calendar()
    case: Case[S, T] = Case(case_id, workflow, subject, steps[0].target, [], [], origin)
    for step in steps:
        if step.kind is StepKind.FIRE and (
            step.trigger is None
            or step.source is not case.state
            or not any(
                ct.target is step.target for ct in engine.candidates(case.state, step.trigger)
            )
        ):
            raise MalformedDataError(
                f"case {case_id} step {step.index}",
                f"{workflow.key} has no move {getattr(step.trigger, 'name', None)} from "
                f"{case.state.name} to {step.target.name}",
            )
        if step.kind is StepKind.RECALCULATE:
            case.deadlines = [
                d.recompute(rule=workflow.rule(d.rule), calendar=cal) if d.is_open else d
                for d in case.deadlines
            ]
        else:
            plans = engine.plans_for(step.trigger, step.target)
            if plans:
                case.deadlines = apply_plans(
                    case.deadlines,
                    plans,
                    step.trigger,
                    step.at,
                    step.payload,
                    cal,
                    workflow.timezone,
                )
        case.state = step.target
        case.steps.append(step)
    return case
