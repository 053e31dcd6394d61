"""The values a test case is built with: a move's :class:`StepInput` and a case's
:class:`Opening` (re-exported by :mod:`discipline_flow.testing.providers`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from discipline_flow.actors import Body, BodyKind, Subject
from discipline_flow.errors import InputError
from discipline_flow.time.period import Period

__all__ = ["DEFAULT_ACTOR", "Opening", "StepInput"]

#: Who fires a move when neither the provider nor the caller says.
DEFAULT_ACTOR = Body(BodyKind.SYSTEM, "case-factory")


def _payload(value: object) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError("payload", f"must be a mapping, got {type(value).__name__}")
    return dict(value)


def _wait(value: object) -> Period | None:
    if value is None or isinstance(value, Period):
        return value
    if isinstance(value, str):
        return Period.parse(value)
    raise InputError("wait", f"expected a period like '31 working days', got {value!r}")


@attrs.frozen
class StepInput:
    """What a move is fired with: its ``payload``, when it matters its ``actor``, and ``wait``,
    the time to let pass before firing it (for a move only time allows, such as an expiry)."""

    payload: Mapping[str, Any] = attrs.field(factory=dict, converter=_payload)
    actor: Body | str | None = None
    wait: Period | None = attrs.field(default=None, converter=_wait)


@attrs.frozen
class Opening:
    """How a test case is opened: its ``subject``, the opening ``payload`` and who opens it
    (``actor``). What the caller gives (``subject=``, ``open_payload=``) wins."""

    subject: Subject | None = None
    payload: Mapping[str, Any] = attrs.field(factory=dict, converter=_payload)
    actor: Body | str | None = None
