"""Generated paths through a workflow: data for model-based tests.

A :class:`Path` is a walk from a state (the initial state unless said otherwise) along compiled
transitions, one :class:`PathStep` per move. Paths are computed from the workflow's compiled
table alone; guards are not evaluated (a :class:`~discipline_flow.testing.CaseFactory` replays a
path through the engine, guards and all).

* :func:`shortest_paths` — the shortest path to every state;
* :func:`covering_paths` — for every transition, the shortest path that ends with it;
* :func:`simple_paths` — every path that visits no state twice, up to a length.

:func:`paths_parameters` and :func:`df_paths` turn them into ``pytest.mark.parametrize``
arguments.

>>> import enum
>>> from discipline_flow import Transition, Workflow
>>> class S(enum.Enum):
...     DRAFT = "draft"
...     SUBMITTED = "submitted"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     SUBMIT = "submit"
...     CLOSE = "close"
>>> wf = Workflow(name="mini", version="1", states=S, triggers=T, initial=S.DRAFT,
...               terminal={S.CLOSED}, transitions=[
...                   Transition(T.SUBMIT, S.DRAFT, S.SUBMITTED),
...                   Transition(T.CLOSE, [S.DRAFT, S.SUBMITTED], S.CLOSED)])
>>> {state.name: str(path) for state, path in shortest_paths(wf).items()}
{'DRAFT': 'DRAFT', 'SUBMITTED': 'DRAFT -SUBMIT-> SUBMITTED', 'CLOSED': 'DRAFT -CLOSE-> CLOSED'}
>>> [str(p) for p in simple_paths(wf, max_length=2)]
['DRAFT -SUBMIT-> SUBMITTED', 'DRAFT -SUBMIT-> SUBMITTED -CLOSE-> CLOSED', 'DRAFT -CLOSE-> CLOSED']
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs

from discipline_flow.errors import InputError

if TYPE_CHECKING:
    import pytest

    from discipline_flow.compiled import CompiledTransition
    from discipline_flow.workflow import Workflow

__all__ = [
    "Path",
    "PathKind",
    "PathStep",
    "covering_paths",
    "df_paths",
    "paths_parameters",
    "paths_to",
    "shortest_paths",
    "simple_paths",
]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)

#: What :func:`paths_parameters` generates: ``"shortest"`` (one path per state),
#: ``"transitions"`` (one path per transition) or ``"simple"`` (every simple path up to a bound).
PathKind = Literal["shortest", "transitions", "simple"]

#: The most simple paths :func:`simple_paths` returns before refusing (lower ``max_length``).
DEFAULT_PATH_LIMIT = 10_000


@attrs.frozen
class PathStep(Generic[S, T]):
    """One move of a path: compiled transition number ``transition``, ``trigger`` from
    ``source`` to ``target``, with the names of its ``guards``.

    ``key`` (``TRIGGER->TARGET``) is how payload providers and scenario files name a move.
    """

    transition: int
    trigger: T
    source: S
    target: S
    guards: tuple[str, ...] = ()

    @classmethod
    def of(cls, compiled: CompiledTransition[S, T]) -> PathStep[S, T]:
        """The step for a compiled transition of a workflow."""
        return cls(
            compiled.index,
            compiled.trigger,
            compiled.source,
            compiled.target,
            tuple(g.name for g in compiled.guards),
        )

    @property
    def key(self) -> str:
        """``TRIGGER->TARGET``, e.g. ``DECIDE->APPROVED``."""
        return f"{self.trigger.name}->{self.target.name}"

    def __str__(self) -> str:
        return f"#{self.transition} {self.source.name} -{self.trigger.name}-> {self.target.name}"


@attrs.frozen
class Path(Generic[S, T]):
    """A walk through ``workflow`` (its key) from ``start`` along ``steps``."""

    workflow: str
    start: S
    steps: tuple[PathStep[S, T], ...] = ()

    @property
    def end(self) -> S:
        """The state the path ends in."""
        return self.steps[-1].target if self.steps else self.start

    @property
    def states(self) -> tuple[S, ...]:
        """Every state the path visits, in order, the start included."""
        return (self.start, *(step.target for step in self.steps))

    @property
    def triggers(self) -> tuple[T, ...]:
        """The triggers fired along the path."""
        return tuple(step.trigger for step in self.steps)

    @property
    def id(self) -> str:
        """A compact identifier without spaces, used as the pytest id."""
        parts = [self.start.name]
        for step in self.steps:
            parts.append(f"{step.trigger.name}-{step.target.name}")
        return ">".join(parts)

    def then(self, step: PathStep[S, T]) -> Path[S, T]:
        """This path followed by ``step`` (which must leave from :attr:`end`)."""
        if step.source is not self.end:
            raise InputError(
                "step", f"{step} does not leave from {self.end.name}, where the path ends"
            )
        return Path(self.workflow, self.start, (*self.steps, step))

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        text = self.start.name
        for step in self.steps:
            text += f" -{step.trigger.name}-> {step.target.name}"
        return text


def _steps_from(workflow: Workflow[S, T], state: S) -> Iterator[PathStep[S, T]]:
    for trigger in workflow.available(state):
        for compiled in workflow.candidates(state, trigger):
            yield PathStep.of(compiled)


def _start_of(workflow: Workflow[S, T], start: S | str | None) -> S:
    return workflow.initial if start is None else workflow.state_named(start)


def shortest_paths(
    workflow: Workflow[S, T], *, start: S | str | None = None
) -> dict[S, Path[S, T]]:
    """The shortest path from ``start`` (the initial state by default) to every state it reaches.

    Ties are broken by the order of the workflow's transitions, so the result is stable. States
    not reachable from ``start`` are left out (from the initial state every state is reachable:
    the workflow checks that when it is built).
    """
    origin = _start_of(workflow, start)
    found: dict[S, Path[S, T]] = {origin: Path(workflow.key, origin)}
    queue: deque[S] = deque([origin])
    while queue:
        state = queue.popleft()
        for step in _steps_from(workflow, state):
            if step.target not in found:
                found[step.target] = found[state].then(step)
                queue.append(step.target)
    return {state: found[state] for state in workflow.states if state in found}


def covering_paths(workflow: Workflow[S, T]) -> tuple[Path[S, T], ...]:
    """For every compiled transition, in order, the shortest path from the initial state that
    ends with it. Together they fire every transition at least once.

    A self-loop or a move back to an earlier state is covered too, which simple paths cannot do.
    """
    to_state = shortest_paths(workflow)
    return tuple(
        to_state[compiled.source].then(PathStep.of(compiled)) for compiled in workflow.compiled
    )


def paths_to(workflow: Workflow[S, T], state: S | str, *, limit: int = 25) -> Iterator[Path[S, T]]:
    """Simple paths from the initial state to ``state``, shortest first, at most ``limit``.

    The first is the shortest path; the others are the alternatives a
    :class:`~discipline_flow.testing.CaseFactory` tries when a guard refuses a step of it.
    """
    target = workflow.state_named(state)
    if target is workflow.initial:
        yield Path(workflow.key, target)
        return
    count = 0
    queue: deque[Path[S, T]] = deque([Path(workflow.key, workflow.initial)])
    while queue and count < limit:
        path = queue.popleft()
        visited = set(path.states)
        for step in _steps_from(workflow, path.end):
            if step.target in visited:
                continue
            longer = path.then(step)
            if step.target is target:
                yield longer
                count += 1
                if count >= limit:
                    return
            else:
                queue.append(longer)


def simple_paths(
    workflow: Workflow[S, T],
    *,
    max_length: int,
    start: S | str | None = None,
    end: S | str | None = None,
    limit: int = DEFAULT_PATH_LIMIT,
) -> tuple[Path[S, T], ...]:
    """Every path from ``start`` (the initial state by default) of 1 to ``max_length`` moves
    that visits no state twice, depth first in the order of the workflow's transitions.

    ``end`` keeps only the paths that end there. Two guarded transitions between the same states
    (a vote that passes, a vote that fails) give two paths. More than ``limit`` paths raise an
    :class:`~discipline_flow.errors.InputError`: lower ``max_length``.
    """
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
        raise InputError("max_length", f"must be a whole number of at least 1, got {max_length!r}")
    origin = _start_of(workflow, start)
    last = None if end is None else workflow.state_named(end)
    found: list[Path[S, T]] = []

    def walk(path: Path[S, T], visited: frozenset[S]) -> None:
        for step in _steps_from(workflow, path.end):
            if step.target in visited:
                continue
            longer = path.then(step)
            if last is None or step.target is last:
                found.append(longer)
                if len(found) > limit:
                    raise InputError(
                        "max_length",
                        f"{workflow.key} has more than {limit} simple paths of at most "
                        f"{max_length} moves; lower max_length or raise limit",
                    )
            if len(longer) < max_length:
                walk(longer, visited | {step.target})

    walk(Path(workflow.key, origin), frozenset({origin}))
    return tuple(found)


def _generate(
    workflow: Workflow[Any, Any], kind: str, max_length: int | None
) -> tuple[Path[Any, Any], ...]:
    if kind == "shortest":
        return tuple(shortest_paths(workflow).values())
    if kind == "transitions":
        return covering_paths(workflow)
    if kind == "simple":
        if max_length is None:
            raise InputError("max_length", "simple paths need a bound: pass max_length=")
        return simple_paths(workflow, max_length=max_length)
    raise InputError("kind", f"unknown path kind {kind!r}; kinds: shortest, transitions, simple")


def paths_parameters(
    workflow: Workflow[Any, Any],
    *,
    kind: PathKind = "shortest",
    max_length: int | None = None,
    argname: str = "path",
) -> tuple[str, list[Any]]:
    """Arguments for ``pytest.mark.parametrize``: ``argname`` and one ``pytest.param`` per path,
    each with the path's :attr:`Path.id` as its test id.

    ``@pytest.mark.parametrize(*paths_parameters(workflow, kind="transitions"))``
    """
    import pytest  # noqa: PLC0415 - pytest is a test-time tool, not a dependency of the library

    paths = _generate(workflow, kind, max_length)
    return argname, [pytest.param(path, id=path.id) for path in paths]


def df_paths(
    workflow: Workflow[Any, Any],
    *,
    kind: PathKind = "shortest",
    max_length: int | None = None,
    argname: str = "path",
) -> pytest.MarkDecorator:
    """A decorator that runs a test once per generated path (see :func:`paths_parameters`).

    ``@df_paths(workflow, kind="simple", max_length=4)`` on ``def test_x(path, df_case_factory)``.
    """
    import pytest  # noqa: PLC0415 - pytest is a test-time tool, not a dependency of the library

    return pytest.mark.parametrize(
        *paths_parameters(workflow, kind=kind, max_length=max_length, argname=argname)
    )
