"""The public namespace: every name in __all__ resolves, is documented, and nothing private leaks."""

from __future__ import annotations

import importlib
import inspect
import pathlib
from importlib.metadata import version

import pytest

import discipline_flow

PUBLIC_MODULES = [
    "discipline_flow",
    "discipline_flow.errors",
    "discipline_flow.observe",
    "discipline_flow.serialization",
    "discipline_flow.time",
    "discipline_flow.rules",
    "discipline_flow.diagrams",
    "discipline_flow.store",
]


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_names_resolve_and_are_documented(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = module.__all__
    assert len(names) == len(set(names)), "duplicates in __all__"
    for name in names:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{module_name}.{name} has no docstring"


def test_top_level_all_is_sorted_and_has_no_private_names() -> None:
    names = discipline_flow.__all__

    def order(name: str) -> tuple[int, str]:
        if name.isupper():
            return (0, name)
        return (1 if name[0].isupper() else 2, name)

    assert names == sorted(names, key=order)
    assert all(not n.startswith("_") or n == "__version__" for n in names)


def test_transitions_does_not_leak() -> None:
    for name in discipline_flow.__all__:
        value = getattr(discipline_flow, name)
        assert "transitions" not in getattr(value, "__module__", ""), name


def test_only_the_reference_adapter_imports_transitions() -> None:

    root = pathlib.Path(discipline_flow.__file__).parent
    importers = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "import transitions" in p.read_text() or "from transitions" in p.read_text()
    )
    assert importers == ["_reference.py"]


def test_version_is_exposed() -> None:

    assert discipline_flow.__version__ == version("discipline-flow")


def test_the_top_level_holds_what_embedding_needs() -> None:
    """About 35 names: the families users browse live in their own namespaces."""
    names = set(discipline_flow.__all__)
    assert len(names) <= 40
    assert {"DisciplineFlowError", "TransitionRefused", "Workflow", "Case", "open_store"} <= names
    assert not names & {"VoteTally", "MemoryStore", "TraceItem", "case_to_dict"}


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("VoteTally", "discipline_flow.rules"),
        ("MemoryStore", "discipline_flow.store"),
        ("default_calendar", "discipline_flow.time"),
        ("Rule", "renamed RulesetRule"),
        ("Effect", "renamed Action"),
    ],
)
def test_a_moved_name_says_where_it_went(name: str, where: str) -> None:
    with pytest.raises(AttributeError, match=where):
        getattr(discipline_flow, name)
    with pytest.raises(ImportError, match=name):
        exec(f"from discipline_flow import {name}", {})


def test_an_unknown_name_is_a_plain_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        getattr(discipline_flow, "Nope")  # noqa: B009
