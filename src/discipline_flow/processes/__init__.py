"""The party's processes as workflows, each built from a ruleset.

Every process module exposes ``workflows(ruleset) -> list[Workflow]``; this package collects
them. A workflow's version is the name of the ruleset it was built from, so a stored case always
finds the definition it was run under. The workflows of a built-in ruleset are built once and
shared; the guards they use are in :mod:`discipline_flow.processes.guards`, for user-defined
workflows to reuse.

>>> from discipline_flow.processes import shipped_registry
>>> len(shipped_registry()) > 0
True
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from discipline_flow.errors import InputError
from discipline_flow.processes import (
    asset_verification,
    complaint,
    denunciation,
    discipline,
    discipline_work_inspection,
    finance_inspection,
    inspection,
    inspection_plan,
    regular_inspection,
    remediation,
    removal,
    supervision,
    suspension,
)
from discipline_flow.processes._impossible import IMPOSSIBLE_REFUSALS
from discipline_flow.processes._shipped import shipped
from discipline_flow.rules import Ruleset, default_registry, select_ruleset
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.workflow import Workflow

__all__ = [
    "IMPOSSIBLE_REFUSALS",
    "PROCESS_MODULES",
    "shipped_registry",
    "shipped_workflows",
    "workflow_for",
]

# In the order a matter usually meets them.
_MODULES = (
    inspection_plan,
    regular_inspection,
    supervision,
    discipline_work_inspection,
    finance_inspection,
    denunciation,
    inspection,
    discipline,
    complaint,
    suspension,
    removal,
    remediation,
    asset_verification,
)

#: The names of the process modules, in the order a matter usually meets them.
PROCESS_MODULES = tuple(module.__name__.rpartition(".")[2] for module in _MODULES)


def shipped_workflows(ruleset: Ruleset | None = None) -> tuple[Workflow[Any, Any], ...]:
    """Every shipped workflow built from ``ruleset`` (the latest ruleset by default).

    The workflows of a built-in ruleset are built once and shared; those of another ruleset (an
    embedding system's own, or an override) are built on each call.
    """
    rules = ruleset if ruleset is not None else default_registry().latest()
    return tuple(workflow for module in _MODULES for workflow in shipped(module.workflows, rules))


def shipped_registry() -> WorkflowRegistry:
    """Every shipped workflow under every built-in ruleset, for stores and the command line."""
    registry = WorkflowRegistry()
    for ruleset in default_registry():
        for workflow in shipped_workflows(ruleset):
            registry.add(workflow)
    return registry


def workflow_for(name: str, on: _dt.date) -> Workflow[Any, Any]:
    """The workflow ``name`` under the ruleset in force on ``on``."""
    ruleset = select_ruleset(on)
    for workflow in shipped_workflows(ruleset):
        if workflow.name == name:
            return workflow
    known = ", ".join(sorted({w.name for w in shipped_workflows(ruleset)})) or "(none)"
    raise InputError("workflow", f"no shipped workflow {name!r}; workflows: {known}")
