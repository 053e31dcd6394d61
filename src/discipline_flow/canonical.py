"""The canonical forms of a step: the bytes its hash covers, the hash chain's on-disk contract.

**Form 1** (release 0.1 and 0.2). A step is hashed (SHA-256) over the compact JSON text, in UTF-8, of the list of its fields in this
order: the previous step's hash, the index, the kind, the trigger's name, the source state's
name, the target state's name, the instant (ISO 8601 with its original offset), the actor's kind,
id and level, the basis and the payload; keys sorted, non-ASCII kept as it is, no spaces, NaN and
infinities refused. That is exactly ``json.dumps(record, ensure_ascii=False, separators=(",",
":"), sort_keys=True, allow_nan=False).encode("utf-8")``, made here with one encoder built once.
The first step chains to :func:`genesis_hash` of the case id.

**Form 2** (new steps from 0.3 on) hashes what form 1 left to editable columns: the list starts
with the number 2, then the same fields with the actor's name after its level, and ends with what
the case was opened on (on the opening step; null on every other step): the workflow's key, the
subject and the origin (see :func:`opening_fields`)::

    [2, previous_hash, index, kind, trigger, source, target, at, actor_kind, actor_id,
     actor_level, actor_name, basis, payload, opening]

A text's form is read from the text itself: a list of twelve values is form 1, a list of fifteen
whose first value is 2 is form 2. Every store written by any release verifies against the form
its steps were written in, so a form never changes: a new form is a new version beside the
others. The tests pin both with hand-written bytes and hashes.

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
>>> fields.form, fields.actor_name, fields.opening, FORMS, CANONICAL_FORM
(1, None, None, (1, 2), 2)
>>> two = read_canonical(canonical_text(fields._replace(form=2, actor_name="Cell 1")))
>>> two.form, two.actor_name, two.target
(2, 'Cell 1', 'CLOSED')
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from discipline_flow.errors import MalformedDataError

__all__ = [
    "CANONICAL_FORM",
    "FORMS",
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

#: The forms a stored step may be written in, oldest first.
FORMS = (1, 2)
#: The form new steps are written in.
CANONICAL_FORM = 2
#: How many values each form's list holds.
_LENGTHS = {1: 12, 2: 15}


class CanonicalFields(NamedTuple):
    """The fields of a step as its canonical form holds them: states and the trigger by name,
    the kind and the actor's kind and level by value, the instant as ISO text.

    The first twelve are form 1's, in its order; ``actor_name`` and ``opening`` are hashed only
    by form 2 (``form``), and are None for a form 1 step.
    """

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
    actor_name: str | None = None
    opening: Mapping[str, Any] | None = None
    form: int = 1

    def form_values(self) -> list[Any]:
        """The values of the list the step's form hashes, in its order."""
        if self.form == 1:
            return list(self[:12])
        return [2, *self[:10], self.actor_name, self.basis, self.payload, self.opening]


def canonical_text(fields: Sequence[Any]) -> str:
    """The canonical text of a step with these fields (a :class:`CanonicalFields`, or the list
    of values of its form, :meth:`CanonicalFields.form_values`); its UTF-8 bytes are what the
    step's hash covers.

    Raises ``TypeError`` or ``ValueError`` for a payload JSON cannot hold exactly (callers check
    payloads first, and encode the text, which refuses lone surrogates).
    """
    if type(fields) is CanonicalFields:
        fields = fields.form_values()
    # A list of values: the encoder writes the JSON list of them.
    return _ENCODER.encode(fields)


def read_canonical(text: object) -> CanonicalFields:
    """The fields a canonical ``text`` holds, in either form; a MalformedDataError (at
    ``canonical``) for text that is neither form's list (twelve values, or fifteen starting
    with 2).

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
    if end != len(text) or type(values) is not list:
        raise MalformedDataError("canonical", "not the canonical form of a step")
    if len(values) == _LENGTHS[1]:
        return CanonicalFields._make([*values, None, None, 1])
    if len(values) == _LENGTHS[2] and type(values[0]) is int and values[0] == 2:
        # form 2 puts the actor's name after the level; the fields keep form 1's order first
        return CanonicalFields._make([*values[1:11], *values[12:14], values[11], values[14], 2])
    raise MalformedDataError("canonical", "not the canonical form of a step")


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
