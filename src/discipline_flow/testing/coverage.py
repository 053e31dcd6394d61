"""Transition coverage: which moves, guard outcomes and deadline outcomes the tests exercised.

A :class:`CoverageRecorder` listens to every fire (through :mod:`discipline_flow.observe`) and
counts, per workflow:

* **transitions** — every compiled transition (one per source state) fired successfully;
* **guard outcomes** — for every guard of every transition, whether it was seen to pass and
  seen to refuse;
* **deadline outcomes** — for every deadline rule, whether a deadline of it was started, met
  (for rules that some state or trigger meets) and missed: seen overdue by a scenario, or its
  ``on_miss`` trigger fired (as a store's sweep does).

The pytest plugin runs one recorder for the whole session with ``--df-coverage``. Opening a
case is an event too (``FireEvent.is_opening``), so the deadlines a case starts when it opens
count as started, whoever opened it. The testing toolkit reports what the listener hook cannot
see (deadlines seen overdue, the workflow definitions it was given) through ``note_*``
functions that reach every recorder active in the current context.

>>> import enum, pendulum
>>> from discipline_flow import Member, Transition, Workflow
>>> from discipline_flow.testing import CoverageRecorder
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
...     DROP = "drop"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED),
...                                                 Transition(T.DROP, S.OPEN, S.CLOSED)])
>>> recorder = CoverageRecorder()
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> with recorder.recording():
...     _ = wf.open(Member("m-1"), at=at, actor="person:clerk").fire(T.CLOSE, at=at, actor="person:clerk")
>>> report = recorder.report([wf])
>>> str(report.transitions)
'1/2 (50.0%)'
>>> report.workflows[0].missing()
['transition #1 OPEN -DROP-> CLOSED']
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import enum
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.impossible import ImpossibleRefusal
from discipline_flow.observe import FireEvent, add_listener, listening, remove
from discipline_flow.testing.paths import PathStep
from discipline_flow.testing.report import (
    JSON_FORMAT,
    CoverageReport,
    GuardCount,
    Ratio,
    RuleCount,
    TransitionCount,
    WorkflowCoverage,
)

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.workflow import Workflow

__all__ = [
    "JSON_FORMAT",
    "CoverageRecorder",
    "CoverageReport",
    "GuardCount",
    "Ratio",
    "RuleCount",
    "TransitionCount",
    "WorkflowCoverage",
    "note_deadlines",
    "note_missed",
    "note_started",
    "note_workflow",
]

_recorders: contextvars.ContextVar[tuple[CoverageRecorder, ...]] = contextvars.ContextVar(
    "discipline_flow_coverage", default=()
)


@attrs.define
class _Seen:
    transitions: Counter[int] = attrs.field(factory=Counter)
    guards: Counter[tuple[int, str, bool]] = attrs.field(factory=Counter)
    started: Counter[str] = attrs.field(factory=Counter)
    met: Counter[str] = attrs.field(factory=Counter)
    missed: set[tuple[str, str]] = attrs.field(factory=set)
    events: int = 0


class CoverageRecorder:
    """Counts what fire events and the testing toolkit report; a listener for
    :func:`discipline_flow.observe.listening`.

    Events are counted in the context where the recorder is active: fires made in other threads
    are not seen (contexts do not flow into new threads).
    """

    __slots__ = ("_seen", "_workflows")

    def __init__(self) -> None:
        self._seen: dict[str, _Seen] = {}
        self._workflows: dict[str, Workflow[Any, Any]] = {}

    def _of(self, key: str) -> _Seen:
        seen = self._seen.get(key)
        if seen is None:
            seen = self._seen[key] = _Seen()
        return seen

    def __call__(self, event: FireEvent) -> None:
        seen = self._of(event.workflow)
        seen.events += 1
        if event.transition is not None and not event.refused:
            seen.transitions[event.transition] += 1
        for outcome in event.guards:
            seen.guards[(outcome.transition, outcome.guard, outcome.passed)] += 1
        seen.started.update(event.deadlines_started)
        seen.met.update(event.deadlines_met)

    def add_workflow(self, workflow: Workflow[Any, Any]) -> None:
        """Count ``workflow`` even if nothing fires in it, and know its definition."""
        self._workflows.setdefault(workflow.key, workflow)

    def add_started(self, workflow: str, rules: Iterable[str]) -> None:
        """Deadlines of ``rules`` were started in ``workflow`` (for example when a case opened)."""
        self._of(workflow).started.update(rules)

    def add_missed(self, workflow: str, rule: str, deadline: str) -> None:
        """A deadline of ``rule`` (identified by ``deadline``) was seen overdue."""
        self._of(workflow).missed.add((rule, deadline))

    @property
    def workflow_keys(self) -> tuple[str, ...]:
        """Keys of every workflow seen or added."""
        return tuple(dict.fromkeys([*self._workflows, *self._seen]))

    def start(self) -> tuple[contextvars.Token[Any], contextvars.Token[Any]]:
        """Start recording in this context (for a whole test session); see :meth:`stop`."""
        return add_listener(self), _recorders.set((*_recorders.get(), self))

    def stop(self, tokens: tuple[contextvars.Token[Any], contextvars.Token[Any]]) -> None:
        """Stop what :meth:`start` started."""
        listener_token, recorder_token = tokens
        _recorders.reset(recorder_token)
        remove(listener_token)

    @contextlib.contextmanager
    def recording(self) -> Iterator[CoverageRecorder]:
        """Record inside the ``with`` block."""
        token = _recorders.set((*_recorders.get(), self))
        try:
            with listening(self):
                yield self
        finally:
            _recorders.reset(token)

    def report(
        self,
        workflows: Iterable[Workflow[Any, Any]] = (),
        *,
        shipped: Iterable[str] = (),
        impossible: Iterable[ImpossibleRefusal] = (),
    ) -> CoverageReport:
        """The coverage of ``workflows`` and of every workflow seen or added, sorted by key.

        ``shipped`` names the keys to mark as shipped; ``impossible`` lists the guard refusals
        that cannot happen by construction, reported apart and not counted as outcomes.
        """
        allowed = tuple(impossible)
        known = dict(self._workflows)
        for workflow in workflows:
            known.setdefault(workflow.key, workflow)
        shipped_keys = frozenset(shipped)
        keys = sorted(set(known) | set(self._seen))
        return CoverageReport(
            tuple(self._coverage(key, known.get(key), key in shipped_keys, allowed) for key in keys)
        )

    def _coverage(
        self,
        key: str,
        workflow: Workflow[Any, Any] | None,
        is_shipped: bool,
        impossible: tuple[ImpossibleRefusal, ...],
    ) -> WorkflowCoverage:
        seen = self._seen.get(key, _Seen())
        if workflow is None:
            return WorkflowCoverage(key, False, is_shipped, events=seen.events)
        transitions: list[TransitionCount] = []
        guards: list[GuardCount] = []
        for compiled in workflow.compiled:
            step = PathStep.of(compiled)
            transitions.append(TransitionCount(step, seen.transitions[compiled.index]))
            for guard in compiled.guards:
                why = next(
                    (
                        entry.why
                        for entry in impossible
                        if entry.matches(
                            key,
                            compiled.source.name,
                            compiled.trigger.name,
                            compiled.target.name,
                            guard.name,
                        )
                    ),
                    None,
                )
                guards.append(
                    GuardCount(
                        step,
                        guard.name,
                        seen.guards[(compiled.index, guard.name, True)],
                        seen.guards[(compiled.index, guard.name, False)],
                        why,
                    )
                )
        missed = Counter(rule for rule, _ in seen.missed)
        fired_by_trigger: Counter[enum.Enum] = Counter()
        for compiled in workflow.compiled:
            fired_by_trigger[compiled.trigger] += seen.transitions[compiled.index]
        deadlines = tuple(
            RuleCount(
                rule.name,
                seen.started[rule.name],
                seen.met[rule.name] if rule.met_by else None,
                missed[rule.name]
                + (fired_by_trigger[rule.on_miss] if rule.on_miss is not None else 0),
            )
            for rule in workflow.deadline_rules
        )
        return WorkflowCoverage(
            key, True, is_shipped, tuple(transitions), tuple(guards), deadlines, seen.events
        )


def _active() -> tuple[CoverageRecorder, ...]:
    return _recorders.get()


def note_workflow(workflow: Workflow[Any, Any]) -> None:
    """Tell the active recorders about ``workflow`` (so it is counted with its definition)."""
    for recorder in _active():
        recorder.add_workflow(workflow)


def note_started(workflow: Workflow[Any, Any], rules: Iterable[str]) -> None:
    """Tell the active recorders that deadlines of ``rules`` were started in ``workflow``
    outside any fire or opening the recorders could see (a case built in another context)."""
    names = list(rules)
    for recorder in _active():
        recorder.add_workflow(workflow)
        recorder.add_started(workflow.key, names)


def note_missed(workflow: str, rule: str, deadline: str = "") -> None:
    """Tell the active recorders that a deadline of ``rule`` in ``workflow`` (its key) was
    missed; ``deadline`` identifies it so it is counted once."""
    for recorder in _active():
        recorder.add_missed(workflow, rule, deadline)


def note_deadlines(case: Case[Any, Any], now: _dt.datetime) -> None:
    """Record every open deadline of ``case`` that is overdue at ``now`` as missed."""
    recorders = _active()
    if not recorders:
        return
    for item in case.deadlines:
        if _is_overdue(item, now):
            for recorder in recorders:
                recorder.add_missed(
                    case.workflow.key, item.rule, f"{case.id}:{item.started_at.isoformat()}"
                )


def _is_overdue(item: Any, now: _dt.datetime) -> bool:
    status = item.status(now)
    value = status.value if isinstance(status, enum.Enum) else status
    return bool(value == "overdue")
