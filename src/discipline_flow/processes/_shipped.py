"""The shipped workflows of a ruleset, built once per built-in ruleset.

Building a workflow validates it and compiles its engine, so the workflows of the built-in
rulesets are built once and shared: every case of a process under one ruleset, the registry and
the links between cases see the same definition. The memo is keyed by a process module's
builder and the ruleset's name, and is bounded by what it can hold: the process modules' builders
times the built-in rulesets (a ruleset counts as built-in only if it *is* one of the built-in
registry's, not merely named like one). Other rulesets (an embedding system's own, or an
override) are built on each call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from discipline_flow.errors import InputError
from discipline_flow.rules import Ruleset, default_registry
from discipline_flow.workflow import Workflow

__all__ = ["Builder", "shipped", "shipped_workflow"]

#: A process module's ``workflows(ruleset)``.
Builder = Callable[[Ruleset], Sequence[Workflow[Any, Any]]]


def shipped(build: Builder, ruleset: Ruleset) -> tuple[Workflow[Any, Any], ...]:
    """``build(ruleset)``, shared for a built-in ruleset."""
    if any(candidate is ruleset for candidate in default_registry()):
        return _built(build, ruleset.name)
    return tuple(build(ruleset))


@functools.cache
def _built(build: Builder, name: str) -> tuple[Workflow[Any, Any], ...]:
    return tuple(build(default_registry().get(name)))


def shipped_workflow(build: Builder, ruleset: Ruleset, name: str) -> Workflow[Any, Any]:
    """The workflow called ``name`` among ``shipped(build, ruleset)``."""
    for workflow in shipped(build, ruleset):
        if workflow.name == name:
            return workflow
    raise InputError("workflow", f"no shipped {name!r} workflow under ruleset {ruleset.name!r}")
