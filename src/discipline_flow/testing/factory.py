"""Cases in any state, built by replaying legal steps.

A :class:`CaseFactory` never forces a state: it opens a case and fires the triggers of the
shortest path to the state asked for, through the engine, guards and all. Guarded moves need a
payload (a vote tally) or an actor (an inspection commission); those come from a **payload
provider** registered per workflow in :class:`PayloadProviders`. When a guard still refuses, the
next shortest path is tried; when none works, :class:`~discipline_flow.errors.CaseBuildError`
names the refused move and its reasons.

>>> import enum, pendulum
>>> from discipline_flow import Body, BodyKind, Guard, Transition, Workflow
>>> from discipline_flow.testing import CaseFactory, PayloadProviders, StepInput
>>> class S(enum.Enum):
...     DRAFT = "draft"
...     SUBMITTED = "submitted"
...     APPROVED = "approved"
>>> class T(enum.Enum):
...     SUBMIT = "submit"
...     APPROVE = "approve"
>>> quorum = Guard("quorum", lambda ctx: None if ctx.payload.get("present", 0) >= 5
...                else "fewer than 5 present", uses_payload=True)
>>> wf = Workflow(name="vote", version="1", states=S, triggers=T, initial=S.DRAFT,
...               terminal={S.APPROVED}, transitions=[
...                   Transition(T.SUBMIT, S.DRAFT, S.SUBMITTED),
...                   Transition(T.APPROVE, S.SUBMITTED, S.APPROVED, guards=[quorum])])
>>> providers = PayloadProviders().register("vote", {"APPROVE": {"present": 7}})
>>> factory = CaseFactory(providers=providers)
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> case = factory(wf, "APPROVED", at=at)
>>> case.state, [step.trigger.name for step in case.steps[1:]]
(<S.APPROVED: 'approved'>, ['SUBMIT', 'APPROVE'])
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import enum
import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload
from zoneinfo import ZoneInfo

from discipline_flow.actors import Body, Member, Subject
from discipline_flow.clock import DEFAULT_TIMEZONE, Clock, require_aware
from discipline_flow.errors import (
    CaseBuildError,
    InputError,
    TransitionRefused,
)
from discipline_flow.observe import FireEvent, current_listeners, listening
from discipline_flow.testing import coverage
from discipline_flow.testing._select import choose_workflow
from discipline_flow.testing.clock import later
from discipline_flow.testing.paths import Path, PathStep, paths_to
from discipline_flow.testing.providers import (
    PayloadProviders,
    ProviderLike,
    StepInput,
)

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.serialization import WorkflowRegistry
    from discipline_flow.workflow import Workflow

__all__ = ["DEFAULT_SUBJECT", "CaseFactory"]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)

#: The subject of a case the factory builds when the caller gives none.
DEFAULT_SUBJECT = Member("m-test")


def _fire_step(
    case: Case[Any, Any],
    step: PathStep[Any, Any],
    given: StepInput,
    at: _dt.datetime,
    default_actor: Body | str,
) -> str | None:
    """Fire ``step``; None when the case reached its target, otherwise what went wrong."""
    actor = given.actor if given.actor is not None else default_actor
    if given.wait is not None:
        at = later(at, given.wait, case.workflow.get_calendar())
    try:
        case.fire(step.trigger, at=at, actor=actor, payload=given.payload)
    except TransitionRefused as refused:
        reasons = "; ".join(str(f) for f in refused.failures) or "not available"
        return f"{step.key} from {step.source.name} was refused ({reasons})"
    if case.state is not step.target:
        return (
            f"{step.trigger.name} from {step.source.name} went to {case.state.name}, not "
            f"{step.target.name}: the payload for {step.key} must fail the guards of the "
            f"moves tried before it"
        )
    return None


#: How many builds of one path the factory tries, alternatives of the providers combined.
MAX_BUILDS = 64


class _Replay:
    """One build of a path with one choice among the providers' alternatives at each point
    (the opening, then every move); it counts the alternatives it met. With ``then``, a move
    from the path's end is checked with its chosen input, not fired (:attr:`ready`)."""

    def __init__(
        self,
        workflow: Workflow[Any, Any],
        path: Path[Any, Any],
        providers: PayloadProviders,
        at: _dt.datetime,
        default_actor: Body | str,
        choices: list[int],
        then: PathStep[Any, Any] | None = None,
    ) -> None:
        self.then = then
        self.ready: tuple[StepInput, _dt.datetime] | None = None
        self.workflow = workflow
        self.path = path
        self.providers = providers
        self.at = at
        self.default_actor = default_actor
        self.choices = choices
        self.counts: list[int] = []
        self.events: list[FireEvent] = []

    def _pick(self, alternatives: tuple[Any, ...]) -> Any:
        point = len(self.counts)
        self.counts.append(len(alternatives))
        chosen = self.choices[point] if point < len(self.choices) else 0
        return alternatives[min(chosen, len(alternatives) - 1)]

    def run(
        self,
        subject: Subject | None,
        case_id: str,
        open_payload: Mapping[str, Any] | None,
    ) -> tuple[Case[Any, Any] | None, str]:
        opening = self._pick(self.providers.openings_for(self.workflow, self.at))
        with listening(self.events.append):
            case = self.workflow.open(
                subject if subject is not None else (opening.subject or DEFAULT_SUBJECT),
                at=self.at,
                actor=opening.actor if opening.actor is not None else self.default_actor,
                case_id=case_id,
                payload={**opening.payload, **(open_payload or {})},
            )
            for step in self.path.steps:
                given = self._pick(self.providers.inputs_for(self.workflow, step, case))
                problem = _fire_step(case, step, given, case.last_at, self.default_actor)
                if problem is not None:
                    return None, problem
            if self.then is not None:
                return self._check(case, self.then)
        return case, ""

    def _check(
        self, case: Case[Any, Any], step: PathStep[Any, Any]
    ) -> tuple[Case[Any, Any] | None, str]:
        """Check, not fire, ``step`` with the chosen input; keep it in :attr:`ready`."""
        given = self._pick(self.providers.inputs_for(self.workflow, step, case))
        actor = given.actor if given.actor is not None else self.default_actor
        when = case.last_at
        if given.wait is not None:
            when = later(when, given.wait, self.workflow.get_calendar())
        refused = case.check(step.trigger, at=when, actor=actor, payload=given.payload)
        if refused:
            reasons = "; ".join(str(f) for f in refused)
            return None, f"{step.key} from {step.source.name} would be refused ({reasons})"
        self.ready = (StepInput(given.payload, actor=actor), when)
        return case, ""

    def next_choices(self) -> list[int] | None:
        """The choices of the next build to try, or None when every one was tried."""
        used = [self.choices[i] if i < len(self.choices) else 0 for i in range(len(self.counts))]
        for point in range(len(used) - 1, -1, -1):
            if used[point] + 1 < self.counts[point]:
                return [*used[:point], used[point] + 1]
        return None


class CaseFactory:
    """Builds cases of any workflow in any state by replaying legal steps.

    Every step of a built case happens at the same instant ``at`` (the clock's time by
    default), so the state is entered at ``at`` and deadlines started on entering it run from
    then — unless a provider's :class:`StepInput` asks to ``wait`` before a move, which delays
    it and the moves after it. Case ids are ``T-1``, ``T-2``, ... in the order cases are built.
    """

    __slots__ = ("_counter", "actor", "clock", "id_prefix", "providers", "registry", "subject")

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        providers: PayloadProviders | None = None,
        subject: Subject | None = None,
        actor: Body | str | None = None,
        id_prefix: str = "T",
        registry: WorkflowRegistry | None = None,
    ) -> None:
        self.clock = clock
        self.providers = providers if providers is not None else PayloadProviders()
        self.subject = subject
        self.actor = actor
        self.id_prefix = id_prefix
        self.registry = registry
        self._counter = itertools.count(1)

    def _at(self, at: _dt.datetime | None) -> _dt.datetime:
        if at is not None:
            return require_aware(at, "at")
        if self.clock is None:
            raise InputError("at", "give at= or build the factory with a clock")
        return self.clock.now()

    @overload
    def __call__(
        self,
        workflow: Workflow[S, T],
        state: S | str | None = ...,
        *,
        at: _dt.datetime | None = ...,
        subject: Subject | None = ...,
        actor: Body | str | None = ...,
        case_id: str | None = ...,
        payloads: ProviderLike | None = ...,
        open_payload: Mapping[str, Any] | None = ...,
    ) -> Case[S, T]: ...

    @overload
    def __call__(
        self,
        workflow: str,
        state: enum.Enum | str | None = ...,
        *,
        at: _dt.datetime | None = ...,
        subject: Subject | None = ...,
        actor: Body | str | None = ...,
        case_id: str | None = ...,
        payloads: ProviderLike | None = ...,
        open_payload: Mapping[str, Any] | None = ...,
    ) -> Case[Any, Any]: ...

    def __call__(
        self,
        workflow: Workflow[Any, Any] | str,
        state: Any = None,
        *,
        at: _dt.datetime | None = None,
        subject: Subject | None = None,
        actor: Body | str | None = None,
        case_id: str | None = None,
        payloads: ProviderLike | None = None,
        open_payload: Mapping[str, Any] | None = None,
    ) -> Case[Any, Any]:
        """A case of ``workflow`` in ``state`` (the initial state by default).

        ``workflow`` is a workflow or a name: ``"member_discipline"`` is the version in force on
        the day of ``at``, ``"member_discipline@2022"`` names one (see the factory's
        ``registry``). ``payloads`` adds a provider for this call only (asked before the
        registered ones); ``actor`` fires the moves no provider names an actor for;
        ``open_payload`` adds keys to the opening's payload (or replaces them).
        """
        if isinstance(workflow, str):
            when = self._at(at)
            day = when.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
            workflow = choose_workflow(workflow, day, self.registry).workflow
            at = when
        target = workflow.initial if state is None else workflow.state_named(state)
        return self._build(
            workflow,
            target,
            self._providers(workflow, payloads),
            at,
            subject,
            actor,
            case_id,
            open_payload,
        )

    def _build(
        self,
        workflow: Workflow[S, T],
        target: S,
        providers: PayloadProviders,
        at: _dt.datetime | None,
        subject: Subject | None = None,
        actor: Body | str | None = None,
        case_id: str | None = None,
        open_payload: Mapping[str, Any] | None = None,
    ) -> Case[S, T]:
        failures: list[str] = []
        for path in paths_to(workflow, target):
            case, problem, _ = self._attempt(
                workflow, path, providers, at, subject, actor, case_id, open_payload
            )
            if case is not None:
                return case
            failures.append(problem)
        tried = len(failures)
        raise CaseBuildError(
            workflow.key,
            target.name,
            f"{failures[0]} (tried {tried} path{'s' if tried != 1 else ''})",
        )

    def follow(
        self,
        workflow: Workflow[S, T],
        path: Path[S, T],
        *,
        at: _dt.datetime | None = None,
        subject: Subject | None = None,
        actor: Body | str | None = None,
        case_id: str | None = None,
        payloads: ProviderLike | None = None,
        open_payload: Mapping[str, Any] | None = None,
    ) -> Case[S, T]:
        """A case that went along exactly ``path`` (a generated path); refusals raise
        :class:`~discipline_flow.errors.CaseBuildError`."""
        if path.workflow != workflow.key or path.start is not workflow.initial:
            raise InputError(
                "path",
                f"the path is of {path.workflow} from {path.start.name}; expected a path of "
                f"{workflow.key} from its initial state {workflow.initial.name}",
            )
        providers = self._providers(workflow, payloads)
        case, problem, _ = self._attempt(
            workflow, path, providers, at, subject, actor, case_id, open_payload
        )
        if case is None:
            raise CaseBuildError(workflow.key, path.end.name, problem)
        return case

    def ready_for(
        self,
        workflow: Workflow[S, T],
        step: PathStep[S, T],
        *,
        at: _dt.datetime | None = None,
        subject: Subject | None = None,
        payloads: ProviderLike | None = None,
        path: Path[S, T] | None = None,
    ) -> tuple[Case[S, T], StepInput, _dt.datetime]:
        """A case of ``workflow`` in the source state of ``step``, the input that makes ``step``
        from there (its actor filled in) and the instant to fire it at (later than the case's
        last step when the provider's input waits): no guard refuses it (``case.check`` finds
        nothing). A refusal test changes one thing in that input and expects the guard of that
        thing to refuse.

        The paths to the source state are tried shortest first (or only ``path``, for a state
        reached through a loop), with every combination of the alternatives the providers offer
        on the way and for ``step``; :class:`~discipline_flow.errors.CaseBuildError` says why the
        first failed when none works.

        >>> import enum, pendulum
        >>> from discipline_flow import Guard, Transition, Workflow
        >>> from discipline_flow.testing import CaseFactory, PathStep, PayloadProviders
        >>> class S(enum.Enum):
        ...     OPEN = "open"
        ...     CLOSED = "closed"
        >>> class T(enum.Enum):
        ...     CLOSE = "close"
        >>> reason = Guard("reason", lambda ctx: None if ctx.payload.get("reason") else "no reason",
        ...                uses_payload=True)
        >>> wf = Workflow(name="memo", version="1", states=S, triggers=T, initial=S.OPEN,
        ...               terminal={S.CLOSED},
        ...               transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED, guards=[reason])])
        >>> factory = CaseFactory(providers=PayloadProviders().register("memo", {"CLOSE": [
        ...     {"reason": ""}, {"reason": "done"}]}))
        >>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
        >>> case, given, when = factory.ready_for(wf, PathStep.of(wf.compiled[0]), at=at)
        >>> case.state.name, dict(given.payload), when == at
        ('OPEN', {'reason': 'done'}, True)
        """
        providers = self._providers(workflow, payloads)
        problems: list[str] = []
        for route in [path] if path is not None else paths_to(workflow, step.source):
            case, problem, replay = self._attempt(
                workflow, route, providers, at, subject, None, None, None, then=step
            )
            if case is not None and replay is not None and replay.ready is not None:
                given, when = replay.ready
                return case, given, when
            problems.append(problem)
        first = problems[0] if problems else f"no path reaches {step.source.name}"
        raise CaseBuildError(workflow.key, step.source.name, first)

    def _providers(
        self, workflow: Workflow[Any, Any], payloads: ProviderLike | None
    ) -> PayloadProviders:
        if payloads is None:
            return self.providers
        return self.providers.merged(PayloadProviders().register(workflow, payloads))

    def _attempt(
        self,
        workflow: Workflow[S, T],
        path: Path[S, T],
        providers: PayloadProviders,
        at: _dt.datetime | None,
        subject: Subject | None,
        actor: Body | str | None,
        case_id: str | None,
        open_payload: Mapping[str, Any] | None,
        then: PathStep[S, T] | None = None,
    ) -> tuple[Case[S, T] | None, str, _Replay | None]:
        """Replay ``path``, trying the providers' alternatives depth first (the last choice
        changes first); the problem of the first try is the one reported. With ``then``, the
        build must also leave that move free to fire (the replay returned says with what)."""
        when = self._at(at)
        default_actor = actor if actor is not None else self.actor
        if default_actor is None:
            default_actor = providers.default_actor
        identifier = case_id if case_id is not None else f"{self.id_prefix}-{next(self._counter)}"
        choices: list[int] | None = []
        first_problem = ""
        for _ in range(MAX_BUILDS):
            if choices is None:
                break
            replay = _Replay(workflow, path, providers, when, default_actor, choices, then)
            # Runs in an empty context: the attempt's events reach the caller's listeners only
            # if it succeeds, so a path abandoned for another does not count as coverage.
            case, problem = contextvars.Context().run(
                replay.run,
                subject if subject is not None else self.subject,
                identifier,
                open_payload,
            )
            if case is not None:
                coverage.note_workflow(workflow)
                listeners = current_listeners()
                for event in replay.events:
                    for listener in listeners:
                        listener(event)
                return case, "", replay
            first_problem = first_problem or problem
            choices = replay.next_choices()
        return None, first_problem, None

    def with_providers(self, providers: PayloadProviders) -> CaseFactory:
        """A factory like this one that asks ``providers`` first; both number their cases from
        the same count, so their ids never clash."""
        other = CaseFactory(
            clock=self.clock,
            providers=self.providers.merged(providers),
            subject=self.subject,
            actor=self.actor,
            id_prefix=self.id_prefix,
            registry=self.registry,
        )
        other._counter = self._counter
        return other

    def __repr__(self) -> str:
        return f"CaseFactory(clock={self.clock!r}, providers={self.providers!r})"
