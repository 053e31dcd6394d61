"""Choosing the workflow a test names: the version in force on the test's date by default.

A shipped workflow has one version per ruleset (``member_discipline@2022``, ``@2025``, ...). A
scenario, a scenario file or the case factory given just the name takes the version built from
the ruleset in force on the scenario's date (``select_ruleset``); ``name@version`` names one
version explicitly. Either way the choice is said in words, for the scenario's messages and the
``check`` report.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.errors import InputError
from discipline_flow.rules import select_ruleset
from discipline_flow.testing._shipped import shipped_registry

if TYPE_CHECKING:
    from discipline_flow.serialization import WorkflowRegistry
    from discipline_flow.workflow import Workflow

__all__ = ["Choice", "choose_workflow", "named_versions"]


@attrs.frozen
class Choice:
    """A workflow chosen for a test, and why (``"named"``, ``"in force on 2025-04-25 (ruleset
    2022)"``, ``"the only version"``)."""

    workflow: Workflow[Any, Any] = attrs.field(repr=False)
    reason: str

    def __str__(self) -> str:
        return f"{self.workflow.key} ({self.reason})"


def _registries(registry: WorkflowRegistry | None) -> list[WorkflowRegistry]:
    return [r for r in (registry, shipped_registry()) if r is not None]


def named_versions(name: str, registry: WorkflowRegistry | None = None) -> list[Workflow[Any, Any]]:
    """Every registered version of the workflow ``name``: ``registry``'s first, then the
    shipped ones, each key once."""
    found: dict[str, Workflow[Any, Any]] = {}
    for candidates in _registries(registry):
        for workflow in candidates:
            if workflow.name == name:
                found.setdefault(workflow.key, workflow)
    return list(found.values())


def _unknown(reference: str, registries: Iterable[WorkflowRegistry]) -> InputError:
    names = sorted({wf.name for candidates in registries for wf in candidates})
    return InputError(
        "workflow",
        f"no workflow {reference!r}; workflows: {', '.join(names) or '(none)'} "
        f"(a name, or name@version for one version)",
    )


def choose_workflow(
    reference: str, on: _dt.date | None, registry: WorkflowRegistry | None = None
) -> Choice:
    """The workflow ``reference`` names: ``name@version`` exactly, or ``name`` in the version
    in force on ``on``.

    A name whose versions were built from rulesets takes the version of the ruleset in force on
    ``on`` (an :class:`~discipline_flow.errors.InputError` lists the versions when none is in
    force); a workflow of one version takes it; otherwise the latest registered.
    """
    name, _, version = reference.partition("@")
    versions = named_versions(name, registry)
    if not versions:
        raise _unknown(reference, _registries(registry))
    if version:
        for workflow in versions:
            if workflow.version == version:
                return Choice(workflow, "named")
        listed = ", ".join(wf.version for wf in versions)
        raise InputError("workflow", f"{name!r} has no version {version!r}; versions: {listed}")
    if len(versions) == 1 and versions[0].ruleset is None:
        return Choice(versions[0], "the only version")
    by_ruleset = {wf.ruleset: wf for wf in versions if wf.ruleset is not None}
    if not by_ruleset or on is None:
        return Choice(versions[-1], "the latest version")
    ruleset = select_ruleset(on)
    chosen = by_ruleset.get(ruleset.name)
    if chosen is None:
        listed = ", ".join(wf.version for wf in versions)
        raise InputError(
            "workflow",
            f"no version of {name!r} is in force on {on.isoformat()} (ruleset "
            f"{ruleset.name}); versions: {listed}; name one as {name}@VERSION",
        )
    return Choice(chosen, f"in force on {on.isoformat()}, ruleset {ruleset.name}")
