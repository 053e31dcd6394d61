"""The canonical form of a step: the bytes its hash covers, the hash chain's on-disk contract.

A step is hashed (SHA-256) over the compact JSON text, in UTF-8, of the list of its fields in this
order: the previous step's hash, the index, the kind, the trigger's name, the source state's
name, the target state's name, the instant (ISO 8601 with its original offset), the actor's kind,
id and level, the basis and the payload; keys sorted, non-ASCII kept as it is, no spaces, NaN and
infinities refused. That is exactly ``json.dumps(record, ensure_ascii=False, separators=(",",
":"), sort_keys=True, allow_nan=False).encode("utf-8")``, made here with one encoder built once.
The first step chains to :func:`genesis_hash` of the case id.

Every store written by any release verifies against this form, so it never changes: a new form
would be a new version beside it. The tests pin it with hand-written bytes and hashes.

>>> text = canonical_text(CanonicalFields(
...     previous_hash="0" * 4, step_index=1, kind="fire", trigger="CLOSE", source="OPEN",
...     target="CLOSED", at="2025-03-03T09:00:00+07:00", actor_kind="party_cell",
...     actor_id="cell-1", actor_level=None, basis=None, payload={"b": 1, "a": "ý"},
... ))
>>> text
'["0000",1,"fire","CLOSE","OPEN","CLOSED","2025-03-03T09:00:00+07:00","party_cell","cell-1",null,null,{"a":"ý","b":1}]'

Stores keep this text beside each step and read the step back from it
(:func:`read_canonical`), so a load hashes what it reads instead of encoding the step again:

>>> fields = read_canonical(text)
>>> fields.target, fields.at, fields.payload
('CLOSED', '2025-03-03T09:00:00+07:00', {'a': 'ý', 'b': 1})
>>> canonical_text(fields) == text
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from discipline_flow.errors import MalformedDataError

__all__ = [
    "CanonicalFields",
    "canonical_text",
    "digest",
    "genesis_hash",
    "read_canonical",
]

# No circular-reference check: a normalized payload is a fresh tree (normalize_payload builds it).
_ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    separators=(",", ":"),
    sort_keys=True,
    allow_nan=False,
    check_circular=False,
)
_DECODER = json.JSONDecoder()


class CanonicalFields(NamedTuple):
    """The fields of a step as its canonical form holds them, in its order: states and the
    trigger by name, the kind and the actor's kind and level by value, the instant as ISO text."""

    previous_hash: str
    step_index: int
    kind: str
    trigger: str | None
    source: str | None
    target: str
    at: str
    actor_kind: str
    actor_id: str
    actor_level: str | None
    basis: str | None
    payload: Mapping[str, Any]


def canonical_text(fields: Sequence[Any]) -> str:
    """The canonical text of a step with these fields (a :class:`CanonicalFields`, or a list of
    the same values in its order); its UTF-8 bytes are what the step's hash covers.

    Raises ``TypeError`` or ``ValueError`` for a payload JSON cannot hold exactly (callers check
    payloads first, and encode the text, which refuses lone surrogates).
    """
    # A list or tuple of values: the encoder writes the JSON list of them.
    return _ENCODER.encode(fields)


def read_canonical(text: object) -> CanonicalFields:
    """The fields a canonical ``text`` holds; a MalformedDataError (at ``canonical``) for text
    that is not a canonical form's list of twelve values.

    The types of the values are the reader's to check: the text is hashed, and a step is built
    from it only when its hash and its store's columns agree with it.
    """
    if type(text) is not str:
        raise MalformedDataError("canonical", f"expected JSON text, got {text!r}")
    try:
        # raw_decode: the text starts with no whitespace (it is compact), and what follows the
        # document is checked here instead of by a second scan.
        values, end = _DECODER.raw_decode(text)
    except ValueError as exc:
        raise MalformedDataError("canonical", f"invalid JSON ({exc})") from None
    if end != len(text) or type(values) is not list or len(values) != len(CanonicalFields._fields):
        raise MalformedDataError("canonical", "not the canonical form of a step")
    return CanonicalFields._make(values)


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hexadecimal: a step's hash.

    >>> digest(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


def genesis_hash(case_id: str) -> str:
    """The value the first step of case ``case_id`` chains to.

    >>> genesis_hash("C-1") == digest(b"discipline_flow:genesis:C-1")
    True
    """
    return digest(f"discipline_flow:genesis:{case_id}".encode())
