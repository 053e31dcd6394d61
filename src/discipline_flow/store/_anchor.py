"""Anchors: the heads of every case, written outside the database, to check later that each
history still extends the head it had.

A hash chain shows that a history was edited only to someone who cannot compute SHA-256 again:
whoever can write to the database can rewrite a history from any step, recompute every hash and
the recorded head, or delete the last steps with the version and head that named them, and every
check made inside the database still passes. An :class:`Anchor` records, for each case, its
version and head at one moment, with one root digest over all of them; kept where the database's
writers cannot write (another machine, a ticket, a printed page), it shows any later history
that no longer extends its anchored head: truncated, rewritten or moved. With a key (HMAC-SHA256),
whoever can write the anchor file but does not hold the key cannot make a new one that checks.

The root is the SHA-256 of one line per case, sorted by case id (code point order): the compact
JSON list ``[case id, version, head]`` and a newline, in UTF-8. The HMAC is HMAC-SHA256 of the
same bytes.

>>> import enum, pendulum
>>> from discipline_flow import Workflow, Transition, Member
>>> from discipline_flow.store import MemoryStore, anchor_store, check_anchor, Anchor
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> store = MemoryStore([wf])
>>> store.save(wf.open(Member("m-1"), at=at, actor="person:clerk", case_id="C-1"), expected_version=0)
1
>>> anchor = anchor_store(store, key=b"secret")
>>> anchor.heads["C-1"][0], len(anchor.root), anchor.hmac is not None
(1, 64, True)
>>> again = Anchor.from_json(anchor.to_json())
>>> check_anchor(store, again, key=b"secret")
[]
>>> forged = Anchor.of({"C-1": (1, "0" * 64)})  # a new anchor without the key
>>> [p.kind for p in check_anchor(store, forged, key=b"secret")]
['hmac', 'rewritten']
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from discipline_flow.errors import InputError, MalformedDataError
from discipline_flow.store._args import CHUNK
from discipline_flow.store._protocol import CaseStore

__all__ = ["ANCHOR_FORMAT", "Anchor", "AnchorProblem", "anchor_store", "check_anchor"]

#: The ``format`` an anchor file names; another one is refused.
ANCHOR_FORMAT = "discipline_flow.anchor/1"
_HEX = frozenset("0123456789abcdef")


def _lines(heads: Mapping[str, tuple[int, str]]) -> bytes:
    """The bytes the root and the HMAC cover."""
    return "".join(
        json.dumps([case_id, *heads[case_id]], ensure_ascii=False, separators=(",", ":")) + "\n"
        for case_id in sorted(heads)
    ).encode("utf-8")


def _mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


@attrs.frozen
class AnchorProblem:
    """One thing :func:`check_anchor` found: the anchor itself does not check (``case_id``
    None; ``kind`` ``"root"`` or ``"hmac"``), or a case's history no longer extends its anchored
    head (``"missing"``, ``"truncated"`` or ``"rewritten"``)."""

    case_id: str | None
    kind: str
    detail: str

    def __str__(self) -> str:
        return self.detail


@attrs.frozen
class Anchor:
    """The version and head of each case at one moment (``heads``: case id -> (version,
    head)), the root digest over all of them and, when made with a key, its HMAC."""

    heads: Mapping[str, tuple[int, str]]
    root: str
    hmac: str | None = None

    @classmethod
    def of(cls, heads: Mapping[str, tuple[int, str]], *, key: bytes | None = None) -> Anchor:
        """The anchor of these heads; with ``key``, keyed (HMAC-SHA256)."""
        frozen = MappingProxyType({c: (int(v), str(h)) for c, (v, h) in heads.items()})
        data = _lines(frozen)
        mac = None if not key else _mac(key, data)
        return cls(frozen, hashlib.sha256(data).hexdigest(), mac)

    def problems(self, *, key: bytes | None = None) -> list[AnchorProblem]:
        """What is wrong with the anchor itself: a root that is not the digest of its heads
        (the file was edited), an HMAC that does not check with ``key``, or no HMAC although a
        key is given (a keyed anchor replaced by an unkeyed one).

        Raises :class:`~discipline_flow.errors.InputError` for a keyed anchor and no key: it
        cannot be checked.
        """
        data = _lines(self.heads)
        found: list[AnchorProblem] = []
        if hashlib.sha256(data).hexdigest() != self.root:
            found.append(
                AnchorProblem(
                    None, "root", "anchor: the root is not the digest of its cases (edited)"
                )
            )
        if key:
            if self.hmac is None:
                found.append(
                    AnchorProblem(
                        None, "hmac", "anchor: a key was given but the anchor has no HMAC"
                    )
                )
            elif not hmac.compare_digest(_mac(key, data), self.hmac):
                found.append(
                    AnchorProblem(
                        None,
                        "hmac",
                        "anchor: the HMAC does not check with this key (edited, or another key)",
                    )
                )
        elif self.hmac is not None:
            raise InputError("key", "the anchor is keyed (HMAC-SHA256): give its key to check it")
        return found

    def to_json(self) -> str:
        """The anchor file's text: JSON with ``format``, ``cases`` (id -> version and head),
        ``root`` and ``hmac``."""
        cases = {c: {"version": v, "head": h} for c, (v, h) in sorted(self.heads.items())}
        data = {"format": ANCHOR_FORMAT, "cases": cases, "root": self.root, "hmac": self.hmac}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        """The anchor an anchor file holds (its root and HMAC are checked by
        :meth:`problems`, not here); :class:`~discipline_flow.errors.MalformedDataError` for
        text that is not one."""
        try:
            data: Any = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise MalformedDataError("anchor", f"not JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != ANCHOR_FORMAT:
            raise MalformedDataError("anchor", f"not an anchor file (format {ANCHOR_FORMAT})")
        cases, root, mac = data.get("cases"), data.get("root"), data.get("hmac")
        if (
            not isinstance(cases, dict)
            or not isinstance(root, str)
            or not _is_hex(root)
            or not (mac is None or (isinstance(mac, str) and _is_hex(mac)))
        ):
            raise MalformedDataError("anchor", "expected cases, a hex root and a hex hmac or null")
        heads: dict[str, tuple[int, str]] = {}
        for case_id, head in cases.items():
            version = head.get("version") if isinstance(head, dict) else None
            digest = head.get("head") if isinstance(head, dict) else None
            if not (isinstance(version, int) and isinstance(digest, str)) or (
                type(version) is not int or version < 1 or not _is_hex(digest)
            ):
                raise MalformedDataError(
                    f"anchor case {case_id}", "expected a version >= 1 and a hex head"
                )
            heads[case_id] = (version, digest)
        return cls(MappingProxyType(heads), root, mac)


def _is_hex(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


def anchor_store(store: CaseStore, *, key: bytes | None = None) -> Anchor:
    """The anchor of every case in ``store``: each is loaded (its history verified) and its
    version and head recorded; with ``key``, keyed (HMAC-SHA256).

    Raises :class:`~discipline_flow.errors.TamperedHistoryError` for a case that does not
    verify: only a history that verifies is anchored.
    """
    ids = store.query_ids()
    heads: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), CHUNK):
        for case in store.load_many(ids[start : start + CHUNK]):
            heads[case.id] = (case.version, case.steps[-1].hash)
    return Anchor.of(heads, key=key)


def check_anchor(
    store: CaseStore, anchor: Anchor, *, key: bytes | None = None
) -> list[AnchorProblem]:
    """What no longer agrees with ``anchor``: the anchor itself (:meth:`Anchor.problems`), then
    each anchored case that is no longer stored (deleted, or moved to another id), has fewer
    steps than anchored (truncated) or whose step at the anchored version is not the anchored
    head (rewritten). Cases stored since the anchor was made, and steps after an anchored head,
    are not the anchor's to check.

    Loads verify each history: a case that does not verify raises
    :class:`~discipline_flow.errors.TamperedHistoryError`.
    """
    found = anchor.problems(key=key)
    stored = set(store.query_ids())
    present = sorted(c for c in anchor.heads if c in stored)
    for case_id in sorted(c for c in anchor.heads if c not in stored):
        found.append(
            AnchorProblem(
                case_id, "missing", f"case {case_id}: anchored but no longer stored (moved?)"
            )
        )
    for start in range(0, len(present), CHUNK):
        for case in store.load_many(present[start : start + CHUNK]):
            version, head = anchor.heads[case.id]
            if case.version < version:
                found.append(
                    AnchorProblem(
                        case.id,
                        "truncated",
                        f"case {case.id}: {case.version} steps stored, {version} anchored "
                        f"(history truncated)",
                    )
                )
            elif case.steps[version - 1].hash != head:
                found.append(
                    AnchorProblem(
                        case.id,
                        "rewritten",
                        f"case {case.id}: step {version - 1} is not the anchored head "
                        f"{head[:12]}... (history rewritten)",
                    )
                )
    return found
