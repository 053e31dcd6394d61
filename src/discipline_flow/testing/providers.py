"""Payload providers: the actor and payload of each guarded move a test case is built with.

A provider is registered per workflow in :class:`PayloadProviders`. It is a table keyed
``TRIGGER->TARGET`` (or just ``TRIGGER``) whose values are a :class:`StepInput`, a payload
mapping or a function of the move and the case; or a function of the move and the case itself.
An answer may also be a list of inputs: alternatives, tried in order until the case can be built
(a vote for a warning, else one for an expulsion). How a case is opened (its subject, opening
payload and opener) is an :class:`Opening`, registered with
:meth:`PayloadProviders.register_opening`.

Every shipped workflow has providers of its own, asked after the registered ones: a case of a
shipped process can be built in any state with no setup (``shipped_defaults=False`` turns them
off).

>>> providers = PayloadProviders().register("review", {"DECIDE->APPROVED": {"in_favour": 5}})
>>> providers.workflows()
('review',)
>>> StepInput({"in_favour": 5}, wait="2 working days").wait
Period(amount=2, unit=<Unit.WORKING_DAYS: 'working_days'>)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from discipline_flow.actors import Body
from discipline_flow.errors import InputError
from discipline_flow.testing import _shipped_inputs
from discipline_flow.testing._inputs import DEFAULT_ACTOR, Opening, StepInput
from discipline_flow.testing.paths import PathStep

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.workflow import Workflow

__all__ = [
    "DEFAULT_ACTOR",
    "MoveInput",
    "Opening",
    "OpeningProvider",
    "PayloadProvider",
    "PayloadProviders",
    "ProviderLike",
    "StepInput",
]

_Answer = StepInput | Mapping[str, Any] | Sequence[StepInput | Mapping[str, Any]] | None
#: A provider is called with the move about to be fired and the case before it; it returns the
#: :class:`StepInput` (or just the payload) to fire it with, a list of them (alternatives, tried
#: in order), or None to leave it to the next provider.
PayloadProvider = Callable[[PathStep[Any, Any], "Case[Any, Any]"], _Answer]
#: What a provider table maps a move to: its input, its payload, alternatives, or a provider.
MoveInput = (
    StepInput | Mapping[str, Any] | Sequence[StepInput | Mapping[str, Any]] | PayloadProvider
)
#: A provider, or a table from ``TRIGGER->TARGET`` or ``TRIGGER`` to a :data:`MoveInput`.
ProviderLike = PayloadProvider | Mapping[str, MoveInput]
#: An opening provider is called with the workflow and the instant the case opens; it returns an
#: :class:`Opening`, a list of them (alternatives) or None.
OpeningProvider = Callable[["Workflow[Any, Any]", _dt.datetime], Opening | Sequence[Opening] | None]


def _answer(value: object) -> tuple[StepInput, ...] | None:
    """A provider's answer as alternatives (None when it leaves the move to others)."""
    if value is None:
        return None
    if isinstance(value, StepInput):
        return (value,)
    if isinstance(value, Mapping):
        return (StepInput(value),)
    if isinstance(value, Sequence) and not isinstance(value, str) and value:
        found: list[StepInput] = []
        for item in value:
            one = _answer(item)
            if one is None or len(one) != 1:
                break
            found.append(one[0])
        else:
            return tuple(found)
    raise InputError(
        "provider",
        f"a provider must answer a StepInput, a mapping, a non-empty list of them or None, "
        f"not {value!r}",
    )


def _openings(value: object) -> tuple[Opening, ...] | None:
    if value is None:
        return None
    if isinstance(value, Opening):
        return (value,)
    if isinstance(value, Sequence) and value and all(isinstance(v, Opening) for v in value):
        return tuple(value)
    raise InputError(
        "opening",
        f"an opening provider must answer an Opening, a list of them or None, not {value!r}",
    )


def _from_mapping(table: Mapping[str, MoveInput]) -> PayloadProvider:
    for key, value in table.items():
        if not isinstance(key, str) or not (
            isinstance(value, StepInput | Mapping | list | tuple) or callable(value)
        ):
            raise InputError(
                "provider",
                f"a provider table maps 'TRIGGER->TARGET' or 'TRIGGER' to a StepInput, a "
                f"payload mapping or a function of the move and the case; got {key!r}: {value!r}",
            )

    def provide(step: PathStep[Any, Any], case: Case[Any, Any]) -> tuple[StepInput, ...] | None:
        found = table.get(step.key, table.get(step.trigger.name))
        if callable(found):
            return _answer(found(step, case))
        return _answer(found)

    return provide


def _as_provider(provider: ProviderLike) -> PayloadProvider:
    if isinstance(provider, Mapping):
        return _from_mapping(provider)
    if callable(provider):
        return provider
    raise InputError("provider", f"expected a callable or a mapping, got {provider!r}")


def _workflow_name(workflow: Workflow[Any, Any] | str) -> str:
    if isinstance(workflow, str):
        if not workflow:
            raise InputError("workflow", "expected a workflow or its name")
        return workflow
    return workflow.name


class PayloadProviders:
    """Payload providers by workflow name (or ``name@version`` for one version only).

    Several providers may be registered for a workflow: the one registered last is asked first,
    and the first answer that is not None is used, so a test can override a shared provider for
    one move. The shipped workflows' own providers are asked last (unless
    ``shipped_defaults`` is false); moves nobody answers for are fired with an empty payload by
    ``default_actor``.

    >>> providers = PayloadProviders().register("review", {"DECIDE->APPROVED": {"in_favour": 5}})
    >>> providers.workflows()
    ('review',)
    """

    __slots__ = ("_by_workflow", "_openings", "default_actor", "shipped_defaults")

    def __init__(
        self,
        providers: Mapping[str, ProviderLike] | None = None,
        *,
        default_actor: Body = DEFAULT_ACTOR,
        shipped_defaults: bool = True,
    ) -> None:
        self._by_workflow: dict[str, list[PayloadProvider]] = {}
        self._openings: dict[str, list[OpeningProvider]] = {}
        self.default_actor = default_actor
        self.shipped_defaults = shipped_defaults
        for name, provider in (providers or {}).items():
            self.register(name, provider)

    def register(
        self, workflow: Workflow[Any, Any] | str, provider: ProviderLike
    ) -> PayloadProviders:
        """Add ``provider`` for ``workflow`` (a workflow or its name); returns the registry."""
        self._by_workflow.setdefault(_workflow_name(workflow), []).append(_as_provider(provider))
        return self

    def register_opening(
        self,
        workflow: Workflow[Any, Any] | str,
        opening: Opening | Sequence[Opening] | OpeningProvider,
    ) -> PayloadProviders:
        """Say how cases of ``workflow`` are opened: an :class:`Opening`, alternatives, or a
        function of the workflow and the opening instant; returns the registry."""
        if isinstance(opening, Opening | Sequence):
            fixed = _openings(opening)

            def provider(workflow: Workflow[Any, Any], at: _dt.datetime) -> tuple[Opening, ...]:
                assert fixed is not None  # _openings refuses None above
                return fixed

            self._openings.setdefault(_workflow_name(workflow), []).append(provider)
        elif callable(opening):
            self._openings.setdefault(_workflow_name(workflow), []).append(opening)
        else:
            raise InputError("opening", f"expected an Opening or a function, got {opening!r}")
        return self

    def merged(self, other: PayloadProviders | None) -> PayloadProviders:
        """A new registry with this one's providers, then ``other``'s (which are asked first);
        the shipped defaults stay on only if both have them on."""
        result = PayloadProviders(
            default_actor=self.default_actor,
            shipped_defaults=self.shipped_defaults and (other is None or other.shipped_defaults),
        )
        for source in (self, other):
            if source is None:
                continue
            for name, providers in source._by_workflow.items():
                result._by_workflow.setdefault(name, []).extend(providers)
            for name, openings in source._openings.items():
                result._openings.setdefault(name, []).extend(openings)
        return result

    def workflows(self) -> tuple[str, ...]:
        """The workflow names (or keys) that have a provider."""
        return tuple(dict.fromkeys([*self._by_workflow, *self._openings]))

    def inputs_for(
        self, workflow: Workflow[Any, Any], step: PathStep[Any, Any], case: Case[Any, Any]
    ) -> tuple[StepInput, ...]:
        """The inputs to try for ``step`` of ``workflow`` on ``case``, in order (at least one)."""
        for name in (workflow.key, workflow.name):
            for provider in reversed(self._by_workflow.get(name, ())):
                answer = _answer(provider(step, case))
                if answer is not None:
                    return answer
        if self.shipped_defaults:
            answer = _answer(_shipped_inputs.move_input(workflow, step, case))
            if answer is not None:
                return answer
        return (StepInput(),)

    def input_for(
        self, workflow: Workflow[Any, Any], step: PathStep[Any, Any], case: Case[Any, Any]
    ) -> StepInput:
        """The payload and actor to fire ``step`` of ``workflow`` with, on ``case`` (the first
        of :meth:`inputs_for`)."""
        return self.inputs_for(workflow, step, case)[0]

    def openings_for(self, workflow: Workflow[Any, Any], at: _dt.datetime) -> tuple[Opening, ...]:
        """The openings to try for a case of ``workflow`` opened at ``at`` (at least one)."""
        for name in (workflow.key, workflow.name):
            for provider in reversed(self._openings.get(name, ())):
                answer = _openings(provider(workflow, at))
                if answer is not None:
                    return answer
        if self.shipped_defaults:
            answer = _openings(_shipped_inputs.opening(workflow, at))
            if answer is not None:
                return answer
        return (Opening(),)

    def __repr__(self) -> str:
        return f"PayloadProviders({', '.join(self.workflows()) or 'none'})"
