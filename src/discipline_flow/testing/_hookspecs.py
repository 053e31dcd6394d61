"""Hooks the discipline_flow pytest plugin adds; implement them in a ``conftest.py``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from discipline_flow.impossible import ImpossibleRefusal
    from discipline_flow.testing.providers import PayloadProviders, ProviderLike
    from discipline_flow.workflow import Workflow

__all__ = [
    "pytest_discipline_flow_impossible_refusals",
    "pytest_discipline_flow_payload_providers",
    "pytest_discipline_flow_workflows",
]


@pytest.hookspec
def pytest_discipline_flow_workflows(config: pytest.Config) -> Iterable[Workflow[Any, Any]]:
    """Workflows to count in ``--df-coverage`` and to find by name in scenario files.

    Shipped workflows are counted anyway; return your own here, so that a workflow the tests
    never fire shows as 0 % rather than not at all.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called


@pytest.hookspec
def pytest_discipline_flow_payload_providers(
    config: pytest.Config,
) -> PayloadProviders | Mapping[str, ProviderLike] | None:
    """Payload providers for the ``df_case_factory``, ``df_scenario`` fixtures and scenario files: a
    :class:`~discipline_flow.testing.PayloadProviders` or a mapping from workflow name to
    provider. Results of several conftest files are merged (the innermost asked first)."""
    raise NotImplementedError  # pragma: no cover - a specification, never called


@pytest.hookspec
def pytest_discipline_flow_impossible_refusals(
    config: pytest.Config,
) -> Iterable[ImpossibleRefusal]:
    """Guard refusals of your workflows that cannot happen by construction, each saying why
    (:class:`~discipline_flow.testing.ImpossibleRefusal`): ``--df-coverage`` reports them apart
    and does not count them as guard outcomes. The shipped workflows' own list is added anyway.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called
