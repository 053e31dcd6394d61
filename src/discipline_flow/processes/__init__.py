"""The party's processes as workflows, each built from a ruleset.

Every process module exposes ``workflows(ruleset) -> list[Workflow]``; this package collects
them. A workflow's version is the name of the ruleset it was built from, so a stored case always
finds the definition it was run under.

>>> from discipline_flow.processes import shipped_registry
>>> len(shipped_registry()) > 0
True
"""

from __future__ import annotations

import datetime as _dt
import importlib
from typing import Any

from discipline_flow.errors import InputError
from discipline_flow.rules import Ruleset, default_registry, select_ruleset
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.workflow import Workflow

__all__ = [
    "PROCESS_MODULES",
    "shipped_registry",
    "shipped_workflows",
    "workflow_for",
]

#: The process modules, in the order a matter usually meets them.
PROCESS_MODULES = (
    "supervision",
    "denunciation",
    "inspection",
    "discipline",
    "complaint",
    "suspension",
    "removal",
    "remediation",
    "asset_verification",
)


def _modules() -> list[Any]:
    found = []
    for name in PROCESS_MODULES:
        try:
            found.append(importlib.import_module(f"discipline_flow.processes.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"discipline_flow.processes.{name}":
                raise
    return found


def shipped_workflows(ruleset: Ruleset | None = None) -> tuple[Workflow[Any, Any], ...]:
    """Every shipped workflow built from ``ruleset`` (the latest ruleset by default)."""
    rules = ruleset if ruleset is not None else default_registry().latest()
    key = (rules.name, id(rules))
    cached = _CACHE.get(key)
    if cached is None or cached[0] is not rules:
        built: list[Workflow[Any, Any]] = []
        for module in _modules():
            built.extend(module.workflows(rules))
        cached = (rules, tuple(built))
        _CACHE[key] = cached
    return cached[1]


# Built workflows per ruleset object: building compiles a transitions machine, so reuse them.
# Keyed by identity (rulesets hold mappings and are not hashable); the ruleset is kept alive
# with its entry so an id is never reused for another ruleset.
_CACHE: dict[tuple[str, int], tuple[Ruleset, tuple[Workflow[Any, Any], ...]]] = {}


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
