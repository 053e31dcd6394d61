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
from discipline_flow.testing.factory import CaseFactory, _fire_step
from discipline_flow.testing.paths import PathStep
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
    state with ``factory`` and fire it with the payload its provider gives.

    One test that calls ``walk_transitions(workflow, factory=case_factory).check()`` covers every
    transition (``--df-coverage`` then reports 100 % of them). ``skip`` names moves
    (``TRIGGER->TARGET``) to leave out, such as a move only a deadline sweep makes.
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
        try:
            case = factory._build(workflow, step.source, registry, when)
        except CaseBuildError as error:
            failures.append(WalkFailure(step, str(error)))
            continue
        default_actor = factory.actor if factory.actor is not None else registry.default_actor
        problem = _fire_step(
            case, step, registry.input_for(workflow, step, case), case.last_at, default_actor
        )
        if problem is None:
            fired.append(step)
        else:
            failures.append(WalkFailure(step, problem))
    return WalkReport(workflow.key, tuple(fired), tuple(failures))
