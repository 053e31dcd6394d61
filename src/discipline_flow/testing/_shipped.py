"""The shipped workflows, when the ``processes`` package is installed."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from discipline_flow.impossible import ImpossibleRefusal
    from discipline_flow.serialization import WorkflowRegistry

__all__ = ["shipped_impossible_refusals", "shipped_registry"]

_MODULE = "discipline_flow.processes"


def shipped_registry() -> WorkflowRegistry | None:
    """``discipline_flow.processes.shipped_registry()``, or None when there is no such package.

    An error raised inside the package is not hidden: only its absence is.
    """
    try:
        module: Any = importlib.import_module(_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in (_MODULE, "discipline_flow"):
            return None
        raise
    factory = getattr(module, "shipped_registry", None)
    if factory is None:
        return None
    registry: WorkflowRegistry = factory()
    return registry


def shipped_impossible_refusals() -> tuple[ImpossibleRefusal, ...]:
    """``discipline_flow.processes.IMPOSSIBLE_REFUSALS``, or none without the package."""
    try:
        module: Any = importlib.import_module(_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in (_MODULE, "discipline_flow"):
            return ()
        raise
    found: tuple[ImpossibleRefusal, ...] = tuple(getattr(module, "IMPOSSIBLE_REFUSALS", ()))
    return found
