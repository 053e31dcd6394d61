"""Payload providers: the actor and payload of each guarded move a test case is built with.

A provider is registered per workflow in :class:`PayloadProviders`. It is a table keyed
``TRIGGER->TARGET`` (or just ``TRIGGER``) whose values are a :class:`StepInput`, a payload
mapping or a function of the move and the case; or a function of the move and the case itself.

>>> providers = PayloadProviders().register("review", {"DECIDE->APPROVED": {"in_favour": 5}})
>>> providers.workflows()
('review',)
>>> StepInput({"in_favour": 5}, wait="2 working days").wait
Period(amount=2, unit=<Unit.WORKING_DAYS: 'working_days'>)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.actors import Body, BodyKind
from discipline_flow.errors import InputError
from discipline_flow.testing.paths import PathStep
from discipline_flow.time.period import Period

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.workflow import Workflow

__all__ = [
    "DEFAULT_ACTOR",
    "MoveInput",
    "PayloadProvider",
    "PayloadProviders",
    "ProviderLike",
    "StepInput",
]

#: Who fires a move when neither the provider nor the caller says.
DEFAULT_ACTOR = Body(BodyKind.SYSTEM, "case-factory")


def _payload(value: object) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError("payload", f"must be a mapping, got {type(value).__name__}")
    return dict(value)


def _wait(value: object) -> Period | None:
    if value is None or isinstance(value, Period):
        return value
    if isinstance(value, str):
        return Period.parse(value)
    raise InputError("wait", f"expected a period like '31 working days', got {value!r}")


@attrs.frozen
class StepInput:
    """What a move is fired with: its ``payload``, when it matters its ``actor``, and ``wait``,
    the time to let pass before firing it (for a move only time allows, such as an expiry)."""

    payload: Mapping[str, Any] = attrs.field(factory=dict, converter=_payload)
    actor: Body | str | None = None
    wait: Period | None = attrs.field(default=None, converter=_wait)


#: A provider is called with the move about to be fired and the case before it; it returns the
#: :class:`StepInput` (or just the payload) to fire it with, or None to leave it to the default.
PayloadProvider = Callable[
    [PathStep[Any, Any], "Case[Any, Any]"], StepInput | Mapping[str, Any] | None
]
#: What a provider table maps a move to: its input, its payload, or a provider for that move.
MoveInput = StepInput | Mapping[str, Any] | PayloadProvider
#: A provider, or a table from ``TRIGGER->TARGET`` or ``TRIGGER`` to a :data:`MoveInput`.
ProviderLike = PayloadProvider | Mapping[str, MoveInput]


def _answer(value: StepInput | Mapping[str, Any] | None) -> StepInput | None:
    if value is None or isinstance(value, StepInput):
        return value
    if isinstance(value, Mapping):
        return StepInput(value)
    raise InputError(
        "provider", f"a provider must answer a StepInput, a mapping or None, not {value!r}"
    )


def _from_mapping(table: Mapping[str, MoveInput]) -> PayloadProvider:
    for key, value in table.items():
        if not isinstance(key, str) or not (
            isinstance(value, StepInput | Mapping) or callable(value)
        ):
            raise InputError(
                "provider",
                f"a provider table maps 'TRIGGER->TARGET' or 'TRIGGER' to a StepInput, a "
                f"payload mapping or a function of the move and the case; got {key!r}: {value!r}",
            )

    def provide(step: PathStep[Any, Any], case: Case[Any, Any]) -> StepInput | None:
        found = table.get(step.key, table.get(step.trigger.name))
        if found is None or isinstance(found, StepInput | Mapping):
            return _answer(found)
        return _answer(found(step, case))

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
    one move. Moves no provider answers for are fired with an empty payload by
    ``default_actor``.

    >>> providers = PayloadProviders().register("review", {"DECIDE->APPROVED": {"in_favour": 5}})
    >>> providers.workflows()
    ('review',)
    """

    __slots__ = ("_by_workflow", "default_actor")

    def __init__(
        self,
        providers: Mapping[str, ProviderLike] | None = None,
        *,
        default_actor: Body = DEFAULT_ACTOR,
    ) -> None:
        self._by_workflow: dict[str, list[PayloadProvider]] = {}
        self.default_actor = default_actor
        for name, provider in (providers or {}).items():
            self.register(name, provider)

    def register(
        self, workflow: Workflow[Any, Any] | str, provider: ProviderLike
    ) -> PayloadProviders:
        """Add ``provider`` for ``workflow`` (a workflow or its name); returns the registry."""
        self._by_workflow.setdefault(_workflow_name(workflow), []).append(_as_provider(provider))
        return self

    def merged(self, other: PayloadProviders | None) -> PayloadProviders:
        """A new registry with this one's providers, then ``other``'s (which are asked first)."""
        result = PayloadProviders(default_actor=self.default_actor)
        for source in (self, other):
            if source is None:
                continue
            for name, providers in source._by_workflow.items():
                result._by_workflow.setdefault(name, []).extend(providers)
        return result

    def workflows(self) -> tuple[str, ...]:
        """The workflow names (or keys) that have a provider."""
        return tuple(self._by_workflow)

    def input_for(
        self, workflow: Workflow[Any, Any], step: PathStep[Any, Any], case: Case[Any, Any]
    ) -> StepInput:
        """The payload and actor to fire ``step`` of ``workflow`` with, on ``case``."""
        for name in (workflow.key, workflow.name):
            for provider in reversed(self._by_workflow.get(name, ())):
                answer = _answer(provider(step, case))
                if answer is not None:
                    return answer
        return StepInput()

    def __repr__(self) -> str:
        return f"PayloadProviders({', '.join(self._by_workflow) or 'none'})"
