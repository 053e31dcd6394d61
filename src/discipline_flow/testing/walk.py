"""Walking every transition of a workflow: one test that covers them all.

:func:`walk_transitions` builds, for each compiled transition, a case in its source state with a
:class:`~discipline_flow.testing.CaseFactory` and fires it with the payload its provider gives;
the :class:`WalkReport` says what fired and what could not, and why.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.errors import CaseBuildError, TransitionWalkError
from discipline_flow.testing import coverage
from discipline_flow.testing.factory import CaseFactory
from discipline_flow.testing.paths import Path, PathStep, paths_to
from discipline_flow.testing.providers import PayloadProviders, ProviderLike

if TYPE_CHECKING:
    from discipline_flow.workflow import Workflow

__all__ = ["WalkFailure", "WalkReport", "walk_transitions"]


@attrs.frozen
class WalkFailure:
    """A transition :func:`walk_transitions` could not fire, and why."""

    step: PathStep[Any, Any]
    problem: str

    def __str__(self) -> str:
        return f"{self.step}: {self.problem}"


@attrs.frozen
class WalkReport:
    """What :func:`walk_transitions` fired and what it could not."""

    workflow: str
    fired: tuple[PathStep[Any, Any], ...]
    failures: tuple[WalkFailure, ...]

    @property
    def is_complete(self) -> bool:
        """Whether every transition was fired."""
        return not self.failures

    def check(self) -> WalkReport:
        """Raise :class:`~discipline_flow.errors.TransitionWalkError` unless complete."""
        if self.failures:
            raise TransitionWalkError(
                self.workflow,
                len(self.fired) + len(self.failures),
                tuple(str(f) for f in self.failures),
            )
        return self


def walk_transitions(
    workflow: Workflow[Any, Any],
    *,
    factory: CaseFactory | None = None,
    providers: PayloadProviders | ProviderLike | None = None,
    at: _dt.datetime | None = None,
    skip: Iterable[str] = (),
) -> WalkReport:
    """Fire every compiled transition of ``workflow`` once: for each, build a case in its source
    state with ``factory`` and fire it with the payload its provider gives, trying the
    providers' alternatives until it fires.

    One test that calls ``walk_transitions(workflow, factory=df_case_factory).check()`` covers
    every transition (``--df-coverage`` then reports 100 % of them); a shipped workflow needs no
    providers of yours. ``skip`` names moves (``TRIGGER->TARGET``) to leave out, such as a move
    only a deadline sweep makes.
    """
    if factory is None:
        factory = CaseFactory()
    if isinstance(providers, PayloadProviders):
        registry = factory.providers.merged(providers)
    elif providers is not None:
        registry = factory.providers.merged(PayloadProviders().register(workflow, providers))
    else:
        registry = factory.providers
    when = factory._at(at)
    skipped = frozenset(skip)
    coverage.note_workflow(workflow)
    fired: list[PathStep[Any, Any]] = []
    failures: list[WalkFailure] = []
    for compiled in workflow.compiled:
        step = PathStep.of(compiled)
        if step.key in skipped:
            continue
        problem = _walk_one(factory, workflow, step, registry, when)
        if problem is None:
            fired.append(step)
        else:
            failures.append(WalkFailure(step, problem))
    return WalkReport(workflow.key, tuple(fired), tuple(failures))


def _walk_one(
    factory: CaseFactory,
    workflow: Workflow[Any, Any],
    step: PathStep[Any, Any],
    registry: PayloadProviders,
    when: _dt.datetime,
) -> str | None:
    """Fire ``step`` after a path to its source, trying the providers' alternatives: None when
    it fired, else why not (the source state could not be built, or the first refusal)."""
    try:
        factory._build(workflow, step.source, registry, when)
    except CaseBuildError as error:
        return str(error)
    problems: list[str] = []
    for path in paths_to(workflow, step.source):
        moves = Path(path.workflow, path.start, (*path.steps, step))
        case, problem, _ = factory._attempt(workflow, moves, registry, when, None, None, None, None)
        if case is not None:
            return None
        problems.append(problem)
    if not problems:
        return f"no path reaches {step.source.name}"
    return problems[0]
