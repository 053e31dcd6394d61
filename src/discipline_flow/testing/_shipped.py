"""The shipped workflows, when the ``processes`` package is installed."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from discipline_flow.serialization import WorkflowRegistry

__all__ = ["shipped_registry"]

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
