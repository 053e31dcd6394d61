"""Positional constructors for frozen, slotted attrs records built on every fire.

A frozen attrs ``__init__`` sets each field through ``object.__setattr__`` looked up by name; for
the records a fire builds (a :class:`~discipline_flow.case.Step`, a
:class:`~discipline_flow.time.Deadline`) that is a measurable share of the move. The constructor
made here sets the same slots through their descriptors, in field order, and nothing else: it
is only made for classes whose ``__init__`` does nothing else (no validators, converters,
post-init hook or cached hash), which it checks. A test keeps its results equal to the class's own.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["positional_constructor"]

R = TypeVar("R")


def positional_constructor(cls: type[R]) -> Callable[..., R]:
    """A function taking every field of ``cls`` positionally and returning the instance
    ``cls(*args)`` would, built without the frozen ``__init__``.

    Raises ``TypeError`` for a class whose ``__init__`` does more than set its fields.

    >>> import attrs
    >>> @attrs.frozen
    ... class Point:
    ...     x: int
    ...     y: int
    >>> make = positional_constructor(Point)
    >>> make(1, 2), make(1, 2) == Point(1, 2)
    (Point(x=1, y=2), True)
    """
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # raises for a non-attrs class
    extra = [f.name for f in fields if f.validator is not None or f.converter is not None]
    slots = getattr(cls, "__slots__", ())
    if extra or hasattr(cls, "__attrs_post_init__") or "_attrs_cached_hash" in slots:
        raise TypeError(f"{cls.__name__}.__init__ does more than set its fields: {extra}")
    setters = {f"set{i}": inspect.getattr_static(cls, f.name).__set__ for i, f in enumerate(fields)}
    args = ", ".join(f"a{i}" for i in range(len(fields)))
    body = "".join(f"    set{i}(o, a{i})\n" for i in range(len(fields)))
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls, **setters}
    exec(f"def make({args}):\n    o = new(cls)\n{body}    return o\n", namespace)
    make: Callable[..., R] = namespace["make"]
    make.__doc__ = f"``{cls.__name__}(*fields)`` without the frozen ``__init__``."
    return make
