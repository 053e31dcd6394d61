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

>>> import datetime as dt
>>> at = dt.datetime(2025, 3, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
>>> canonical_bytes(
...     previous_hash="0" * 4, index=1, kind="fire", trigger="CLOSE", source="OPEN",
...     target="CLOSED", at=at, actor_kind="party_cell", actor_id="cell-1", actor_level=None,
...     basis=None, payload={"b": 1, "a": "ý"},
... ).decode()
'["0000",1,"fire","CLOSE","OPEN","CLOSED","2025-03-03T09:00:00+07:00","party_cell","cell-1",null,null,{"a":"ý","b":1}]'
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["canonical_bytes", "digest", "genesis_hash"]

# No circular-reference check: a normalized payload is a fresh tree (normalize_payload builds it).
_ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    separators=(",", ":"),
    sort_keys=True,
    allow_nan=False,
    check_circular=False,
)


def canonical_bytes(
    *,
    previous_hash: str,
    index: int,
    kind: str,
    trigger: str | None,
    source: str | None,
    target: str,
    at: _dt.datetime,
    actor_kind: str,
    actor_id: str,
    actor_level: str | None,
    basis: str | None,
    payload: Mapping[str, Any],
) -> bytes:
    """The bytes a step with these fields is hashed over.

    Raises ``TypeError`` or ``ValueError`` for a payload JSON cannot hold exactly and
    ``UnicodeEncodeError`` for text with lone surrogates (callers check payloads first).
    """
    record = [
        previous_hash,
        index,
        kind,
        trigger,
        source,
        target,
        at.isoformat(),
        actor_kind,
        actor_id,
        actor_level,
        basis,
        payload,
    ]
    return _ENCODER.encode(record).encode("utf-8")


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
