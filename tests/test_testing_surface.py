"""The public surface of discipline_flow.testing: every name resolves and is documented."""

from __future__ import annotations

import inspect

from discipline_flow import testing
from discipline_flow.testing import (
    coverage,
    factory,
    files,
    paths,
    plugin,
    providers,
    report,
    scenario,
    walk,
)

# Type aliases and constants are documented by a ``#:`` comment, which has no __doc__ to test.
ALIASES = {"PathKind", "PayloadProvider", "ProviderLike", "MoveInput", "OpeningProvider"}


def test_every_name_in_all_resolves() -> None:
    # (ruff's RUF022 keeps each __all__ sorted)
    for module in (
        testing,
        coverage,
        factory,
        files,
        paths,
        plugin,
        providers,
        report,
        scenario,
        walk,
    ):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_every_public_class_and_function_has_a_docstring() -> None:
    for module in (
        testing,
        coverage,
        factory,
        files,
        paths,
        plugin,
        providers,
        report,
        scenario,
        walk,
    ):
        for name in module.__all__:
            value = getattr(module, name)
            if name in ALIASES or not (inspect.isclass(value) or callable(value)):
                continue
            assert inspect.getdoc(value), f"{module.__name__}.{name} has no docstring"


def test_nothing_private_leaks_from_the_package() -> None:
    assert not [name for name in testing.__all__ if name.startswith("_")]
