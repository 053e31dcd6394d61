"""Scenarios: given a case in a state at a time, when something happens, then what must hold.

A :class:`Scenario` reads like the rule it tests and runs as it is written: ``given`` builds the
case (by replaying legal steps, see :class:`~discipline_flow.testing.CaseFactory`), each
``when`` fires a trigger at the clock's time, ``advance`` moves the clock (working days are
counted with the calendar the deadlines use), ``sweep`` fires the ``on_miss`` trigger of every
overdue deadline, and each ``then`` compares what it is given with the case and raises
:class:`~discipline_flow.errors.ScenarioFailure` listing **every** field that differs, expected
against actual, with the explanation of each deadline whose dates or status differ.

>>> import enum, pendulum
>>> from discipline_flow import Citation, RuleStatus, Transition, Workflow
>>> from discipline_flow.time import DeadlineRule, Period
>>> from discipline_flow.testing import Scenario
>>> class S(enum.Enum):
...     ANNOUNCED = "announced"
...     COMPLAINED = "complained"
...     FINAL = "final"
>>> class T(enum.Enum):
...     FILE_COMPLAINT = "file_complaint"
...     CLOSE = "close"
>>> window = DeadlineRule("complaint_window", Period.parse("1 month"),
...                       starts_on_enter=S.ANNOUNCED, met_by={T.FILE_COMPLAINT},
...                       cancelled_by={T.CLOSE},
...                       citation=Citation("QĐ 22-QĐ/TW", "Điều 22", RuleStatus.SECONDARY))
>>> wf = Workflow(name="decision", version="1", states=S, triggers=T, initial=S.ANNOUNCED,
...               terminal={S.COMPLAINED, S.FINAL}, deadline_rules=[window], transitions=[
...                   Transition(T.FILE_COMPLAINT, S.ANNOUNCED, S.COMPLAINED),
...                   Transition(T.CLOSE, S.ANNOUNCED, S.FINAL)])
>>> announced = pendulum.datetime(2025, 1, 31, 9, tz="Asia/Ho_Chi_Minh")
>>> _ = (
...     Scenario(wf, name="complaint in time")
...     .given(state="ANNOUNCED", at=announced)
...     .then(allowed={"FILE_COMPLAINT", "CLOSE"},
...           deadlines={"complaint_window": {"due_on": "2025-02-28", "status": "pending"}})
...     .advance("28 days")
...     .when("FILE_COMPLAINT", actor="person:member-1")
...     .then(state="COMPLAINED", deadlines={"complaint_window": "met"})
... )
>>> Scenario(wf, name="wrong date").given(at=announced).then(  # doctest: +ELLIPSIS
...     deadlines={"complaint_window": {"due_on": "2025-03-03"}})
Traceback (most recent call last):
...
discipline_flow.errors.ScenarioFailure: scenario 'wrong date' (decision@1) then #1 (after given ANNOUNCED at 2025-01-31T09:00:00+07:00): 1 difference (expected vs actual)
  deadline complaint_window.due_on: expected 2025-03-03, got 2025-02-28
      status read at 2025-01-31T09:00:00+07:00
      why:
        - Start: Fri 2025-01-31 (event at 2025-01-31T09:00:00+07:00); ...
        ...
        - Due: Fri 2025-02-28; the period ends at 24:00 local time (before 2025-03-01T00:00:00+07:00).
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload
from zoneinfo import ZoneInfo

from discipline_flow.actors import Body, BodyKind, Subject
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import (
    DeadlineError,
    DeadlineNotStartedError,
    Difference,
    InputError,
    ScenarioFailure,
    TransitionRefused,
)
from discipline_flow.testing import coverage
from discipline_flow.testing._expect import (
    DEADLINE_FIELDS,
    deadline_expectation,
    instant,
    listed,
    names,
    shown,
    status,
)
from discipline_flow.testing._select import Choice, choose_workflow
from discipline_flow.testing.clock import ScenarioClock
from discipline_flow.testing.factory import CaseFactory
from discipline_flow.testing.providers import DEFAULT_ACTOR, PayloadProviders, ProviderLike

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.serialization import WorkflowRegistry
    from discipline_flow.testing.paths import Path
    from discipline_flow.time.calendar import Calendar
    from discipline_flow.time.deadline import Deadline
    from discipline_flow.time.period import Period
    from discipline_flow.workflow import Workflow

__all__ = ["DEADLINE_FIELDS", "SWEEP_ACTOR", "Scenario"]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)

#: Who fires the ``on_miss`` triggers in :meth:`Scenario.sweep` (as the store's sweep does).
SWEEP_ACTOR = Body(BodyKind.SYSTEM, "sweep")


class Scenario(Generic[S, T]):
    """A rule test of one workflow, run as it is written (see the module documentation).

    ``workflow`` is a workflow, or a name: ``"member_discipline@2022"`` names one version, and
    a bare ``"member_discipline"`` is the version in force on the scenario's date (the date of
    ``given``), found in ``registry`` and then among the shipped workflows; :attr:`chosen` says
    which was taken and why, and so do the failure messages.

    ``clock`` (a :class:`~discipline_flow.testing.ScenarioClock`) is shared with the caller when
    given — the pytest ``df_scenario`` fixture passes the test's ``df_clock``; otherwise
    ``given(at=)`` sets a clock of the scenario's own. ``providers`` and ``factory`` build the
    given case; ``actor`` fires the triggers a ``when`` names no actor for.
    """

    @overload
    def __init__(
        self: Scenario[S, T],
        workflow: Workflow[S, T],
        *,
        name: str = ...,
        clock: ScenarioClock | None = ...,
        calendar: Calendar | None = ...,
        providers: PayloadProviders | None = ...,
        factory: CaseFactory | None = ...,
        actor: Body | str | None = ...,
        lang: str = ...,
        registry: WorkflowRegistry | None = ...,
    ) -> None: ...

    @overload
    def __init__(
        self: Scenario[Any, Any],
        workflow: str,
        *,
        name: str = ...,
        clock: ScenarioClock | None = ...,
        calendar: Calendar | None = ...,
        providers: PayloadProviders | None = ...,
        factory: CaseFactory | None = ...,
        actor: Body | str | None = ...,
        lang: str = ...,
        registry: WorkflowRegistry | None = ...,
    ) -> None: ...

    def __init__(
        self,
        workflow: Workflow[S, T] | str,
        *,
        name: str = "scenario",
        clock: ScenarioClock | None = None,
        calendar: Calendar | None = None,
        providers: PayloadProviders | None = None,
        factory: CaseFactory | None = None,
        actor: Body | str | None = None,
        lang: str = "en",
        registry: WorkflowRegistry | None = None,
    ) -> None:
        self.name = name
        self.lang = lang
        self.actor: Body | str = actor if actor is not None else DEFAULT_ACTOR
        self._calendar = calendar
        self._clock = clock
        self._registry = registry
        self._reference = workflow if isinstance(workflow, str) else workflow.key
        self._workflow: Workflow[S, T] | None = None
        self._choice: Choice | None = None
        if not isinstance(workflow, str):
            self._workflow = workflow
        elif "@" in workflow:
            self._choose(None)
        self._factory = factory if factory is not None else CaseFactory(providers=providers)
        if factory is not None and providers is not None:
            self._factory = factory.with_providers(providers)
        self._case: Case[S, T] | None = None
        self._refusal: TransitionRefused | DeadlineError | None = None
        self._acted = False  # a when or sweep happened since the last then
        self._last = "nothing"
        self._then_count = 0
        if self._workflow is not None:
            coverage.note_workflow(self._workflow)

    def _choose(self, on: _dt.date | None) -> Workflow[S, T]:
        choice = choose_workflow(self._reference, on, self._registry)
        self._choice = choice
        self._workflow = choice.workflow
        coverage.note_workflow(choice.workflow)
        return choice.workflow

    # ------------------------------------------------------------------ reading

    @property
    def workflow(self) -> Workflow[S, T]:
        """The workflow under test; one given by name alone is chosen by :meth:`given`."""
        if self._workflow is None:
            raise InputError(
                "scenario",
                f"{self.name!r}: call given() first; the version of {self._reference!r} is "
                f"the one in force on the scenario's date",
            )
        return self._workflow

    @property
    def chosen(self) -> str:
        """Which workflow version the scenario runs and why: ``"member_discipline@2022 (in
        force on 2025-04-25, ruleset 2022)"``, or just its key when a workflow was given."""
        if self._choice is None:
            return self.workflow.key
        return str(self._choice)

    @property
    def case(self) -> Case[S, T]:
        """The case under test (after :meth:`given`)."""
        if self._case is None:
            raise InputError("scenario", f"{self.name!r}: call given() before when() or then()")
        return self._case

    @property
    def clock(self) -> ScenarioClock:
        """The clock the scenario fires at."""
        if self._clock is None:
            raise InputError("scenario", f"{self.name!r}: give given(at=...) or a clock")
        return self._clock

    @property
    def refusal(self) -> TransitionRefused | DeadlineError | None:
        """The refusal of the last ``when`` or ``sweep``, or None when it fired.

        Only the ``then`` right after the ``when`` judges it: a ``then`` or a clock move in
        between settles it.

        A deadline operation the rule does not allow (an extension beyond its limit) is a
        refusal too, reported as refused by ``deadline``.
        """
        return self._refusal

    # ------------------------------------------------------------------ given

    def given(
        self,
        state: S | str | None = None,
        *,
        at: _dt.datetime | str | None = None,
        case: Case[S, T] | None = None,
        via: Path[S, T] | None = None,
        subject: Subject | None = None,
        actor: Body | str | None = None,
        payloads: ProviderLike | None = None,
        open_payload: Mapping[str, Any] | None = None,
    ) -> Scenario[S, T]:
        """A case in ``state`` (the initial state by default) at ``at`` (the clock's time).

        The case is built by replaying the shortest legal path (``via`` for a path of your own)
        with the registered payload providers and ``payloads``; moves no provider names an actor
        for are fired by ``actor`` (the scenario's actor by default); ``open_payload`` adds
        to the payload the case is opened with. Or pass an existing ``case``.

        A workflow given by name alone is chosen here: the version in force on the day of
        ``at`` (see :attr:`chosen`).
        """
        when = instant(at, "at") if at is not None else None
        if self._workflow is None and case is not None and case.workflow.name == self._reference:
            self._workflow = case.workflow  # the given case says which version
            coverage.note_workflow(case.workflow)
        if self._workflow is None:
            day = when if when is not None else self.clock.now()
            self._choose(day.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date())
        if when is not None:
            if self._clock is None:
                self._clock = ScenarioClock(when, calendar=self._calendar_of())
            else:
                self._clock.set(when)
        if case is not None:
            if case.workflow is not self.workflow and case.workflow.key != self.workflow.key:
                raise InputError(
                    "case", f"the case is of {case.workflow.key}, not {self.workflow.key}"
                )
            self._case = case
            if self._clock is None:
                self._clock = ScenarioClock(case.last_at, calendar=self._calendar_of())
            self._last = f"given case {case.id} in {case.state.name}"
            return self
        now = self.clock.now()
        if actor is None:
            actor = self.actor
        if via is not None:
            built = self._factory.follow(
                self.workflow,
                via,
                at=now,
                subject=subject,
                actor=actor,
                payloads=payloads,
                open_payload=open_payload,
            )
        else:
            built = self._factory(
                self.workflow,
                state,
                at=now,
                subject=subject,
                actor=actor,
                payloads=payloads,
                open_payload=open_payload,
            )
        self._case = built
        self._refusal = None
        if built.last_at > now:  # a provider made a move wait
            self.clock.advance_to(built.last_at)
        self._last = f"given {built.state.name} at {self.clock.now().isoformat()}"
        return self

    def _calendar_of(self) -> Calendar:
        return self._calendar if self._calendar is not None else self.workflow.get_calendar()

    # ------------------------------------------------------------------ when

    def when(
        self,
        trigger: T | str,
        *,
        actor: Body | str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> Scenario[S, T]:
        """Fire ``trigger`` at the clock's time. A refusal is kept for the next ``then``: it
        fails unless it expects the refusal with ``refused=``."""
        case = self.case
        trig = self.workflow.trigger_named(trigger)
        now = self.clock.now()
        who = actor if actor is not None else self.actor
        try:
            case.fire(trig, at=now, actor=who, payload=payload)
        except (TransitionRefused, DeadlineError) as refused:
            self._refusal = refused
        else:
            self._refusal = None
        self._acted = True
        self._last = f"when {trig.name} at {now.isoformat()}"
        coverage.note_deadlines(case, now)
        return self

    def advance(self, period: Period | str) -> Scenario[S, T]:
        """Let ``period`` pass (``"30 working days"``, ``"1 month"``, ``"36 hours"``)."""
        self.clock.advance_by(period)
        self._acted = False
        self._last = f"advance {period} to {self.clock.now().isoformat()}"
        if self._case is not None:
            coverage.note_deadlines(self._case, self.clock.now())
        return self

    def advance_to(self, at: _dt.datetime | str) -> Scenario[S, T]:
        """Let time pass until ``at``."""
        self.clock.advance_to(instant(at, "at"))
        self._acted = False
        self._last = f"advance to {self.clock.now().isoformat()}"
        if self._case is not None:
            coverage.note_deadlines(self._case, self.clock.now())
        return self

    def sweep(self) -> Scenario[S, T]:
        """Fire the ``on_miss`` trigger of every open deadline overdue now, earliest first, as a
        store's deadline sweep does (actor ``system:sweep``, payload ``deadline`` and
        ``due_at``)."""
        case = self.case
        now = self.clock.now()
        coverage.note_deadlines(case, now)
        overdue = sorted(
            (d for d in case.deadlines if d.is_open and status(d.status(now), "") == "overdue"),
            key=lambda d: d.due_at,
        )
        fired: list[str] = []
        self._refusal = None
        self._acted = True
        for item in overdue:
            rule = self.workflow.rule(item.rule)
            if rule.on_miss is None:
                continue
            current = next(
                (
                    d
                    for d in case.deadlines
                    if d.rule == item.rule and d.started_at == item.started_at
                ),
                None,
            )
            if current is None or not current.is_open:
                continue
            try:
                case.fire(
                    self.workflow.trigger_named(rule.on_miss.name),
                    at=now,
                    actor=SWEEP_ACTOR,
                    payload={"deadline": rule.name, "due_at": item.due_at},
                )
            except (TransitionRefused, DeadlineError) as refused:
                self._refusal = refused
            fired.append(rule.on_miss.name)
        self._last = f"sweep at {now.isoformat()} (fired {', '.join(fired) or 'nothing'})"
        return self

    # ------------------------------------------------------------------ then

    def then(
        self,
        *,
        state: S | str | None = None,
        allowed: Iterable[T | str] | None = None,
        deadlines: Mapping[str, Any] | None = None,
        refused: bool | str | Iterable[str] | None = None,
        actor: Body | str | None = None,
    ) -> Scenario[S, T]:
        """Check the case now; raise :class:`~discipline_flow.errors.ScenarioFailure` listing
        every difference.

        * ``state`` — the state the case is in;
        * ``allowed`` — exactly the triggers that would fire now for ``actor`` (the scenario's
          actor by default), guards that judge a payload left out;
        * ``deadlines`` — per rule name: ``None`` or ``"none"`` (no deadline of it), a status (``"pending"``,
          ``"due_soon"``, ``"overdue"``, ``"met"``, ``"cancelled"``, ``"paused"``), a due date, or
          a mapping of ``due_on``, ``due_at``, ``status``, ``is_estimated``, ``start_on``; the
          latest deadline of the rule is compared, its status read at the clock's time;
        * ``refused`` — the last ``when`` was refused: ``True``, or the names of exactly the
          guards that refused it (``"state"`` when the trigger is not available at all,
          ``"deadline"`` when a deadline operation such as an extension was refused).
          Without ``refused`` a refused ``when`` is itself a difference.
        """
        case = self.case
        now = self.clock.now()
        self._then_count += 1
        differences: list[Difference] = []
        differences.extend(self._check_refusal(refused))
        self._acted = False
        if state is not None:
            want = self.workflow.state_named(state)
            if case.state is not want:
                differences.append(Difference("state", want.name, case.state.name))
        if allowed is not None:
            want_triggers = frozenset(
                self.workflow.trigger_named(t).name for t in names(allowed, "allowed")
            )
            who = actor if actor is not None else self.actor
            got = frozenset(t.name for t in case.allowed(at=now, actor=who))
            if want_triggers != got:
                extra = sorted(got - want_triggers)
                lacking = sorted(want_triggers - got)
                notes = []
                if lacking:
                    notes.append("not allowed: " + ", ".join(lacking))
                    for name in lacking:
                        for failure in case.check(name, at=now, actor=who):
                            notes.append(f"  {name} refused by {failure}")
                if extra:
                    notes.append("unexpected: " + ", ".join(extra))
                differences.append(
                    Difference("allowed", listed(want_triggers), listed(got), "\n".join(notes))
                )
        if deadlines is not None:
            if not isinstance(deadlines, Mapping):
                raise InputError("deadlines", "expected a mapping from rule name to expectation")
            for rule, value in deadlines.items():
                differences.extend(self._check_deadline(case, rule, value, now))
        coverage.note_deadlines(case, now)
        if differences:
            raise ScenarioFailure(
                self.name,
                self.workflow.key
                if self._choice is None
                else f"{self.workflow.key}, {self._choice.reason}",
                f"then #{self._then_count} (after {self._last})",
                tuple(differences),
            )
        return self

    def _check_refusal(self, refused: bool | str | Iterable[str] | None) -> list[Difference]:
        got = self._refusal if self._acted else None
        if refused is None or refused is False:
            if got is None:
                return []
            return [Difference("refused", "the trigger to fire", "refused", _refusal_text(got))]
        want_guards = frozenset() if refused is True else names(refused, "refused")
        if got is None:
            want = f"refused by {listed(want_guards)}" if want_guards else "refused"
            return [Difference("refused", want, "it fired" if self._acted else "no refusal")]
        if not want_guards:
            return []
        got_guards = _refused_by(got)
        if want_guards == got_guards:
            return []
        return [
            Difference("refused by", listed(want_guards), listed(got_guards), _refusal_text(got))
        ]

    def _check_deadline(
        self, case: Case[S, T], rule: str, value: object, now: _dt.datetime
    ) -> list[Difference]:
        self.workflow.rule(rule)  # an unknown rule name is an input error, not a difference
        expected = deadline_expectation(rule, value)
        try:
            item: Deadline | None = case.deadline(rule)
        except DeadlineNotStartedError:
            item = None
        if expected is None:
            if item is None:
                return []
            return [
                Difference(
                    f"deadline {rule}",
                    "none",
                    f"due {item.due_on.isoformat()} ({status(item.status(now), rule)})",
                    _explained(item, self.lang),
                )
            ]
        if item is None:
            return [Difference(f"deadline {rule}", "a deadline", "none was started")]
        actual: dict[str, Any] = {
            "due_on": item.due_on,
            "due_at": item.due_at,
            "status": status(item.status(now), rule),
            "is_estimated": item.is_estimated,
            "start_on": item.start_on,
        }
        differences: list[Difference] = []
        for key in DEADLINE_FIELDS:
            if key not in expected:
                continue
            want, got = expected[key], actual[key]
            if want != got:
                differences.append(Difference(f"deadline {rule}.{key}", shown(want), shown(got)))
        if differences:
            note = f"status read at {now.isoformat()}"
            differences[-1] = Difference(
                differences[-1].field,
                differences[-1].expected,
                differences[-1].actual,
                f"{note}\n{_explained(item, self.lang)}",
            )
        return differences

    def __repr__(self) -> str:
        state = self._case.state.name if self._case is not None else "-"
        key = self._workflow.key if self._workflow is not None else self._reference
        return f"Scenario({self.name!r}, {key}, state={state})"


def _explained(item: Deadline, lang: str) -> str:
    return "why:\n" + "\n".join(f"  {line}" for line in item.explain().text(lang).splitlines())


def _refusal_text(refused: TransitionRefused | DeadlineError) -> str:
    return str(refused)


def _refused_by(refused: TransitionRefused | DeadlineError) -> frozenset[str]:
    if isinstance(refused, DeadlineError):
        return frozenset({"deadline"})
    return frozenset(f.guard for f in refused.failures) or frozenset({"state"})
