"""Identifiers for states that every diagram format accepts."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["safe_id"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
#: Words Mermaid's state-diagram grammar reads as keywords whatever their case.
_RESERVED = frozenset(
    {
        "as",
        "choice",
        "class",
        "classdef",
        "click",
        "default",
        "direction",
        "end",
        "fork",
        "hide",
        "join",
        "left",
        "note",
        "of",
        "right",
        "scale",
        "state",
        "style",
    }
)


def safe_id(name: str, used: set[str]) -> str:
    """An identifier for ``name`` that Mermaid and Graphviz accept and that is not in ``used``.

    Accents are dropped (Vietnamese names stay readable), other characters become ``_``.

    >>> safe_id("ĐÃ_KẾT_LUẬN", set()), safe_id("END", set()), safe_id("2ND", {"s_2ND"})
    ('DA_KET_LUAN', 'END_', 's_2ND_2')
    """
    plain = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    base = _UNSAFE.sub("_", plain) or "s"
    if base[0].isdigit():
        base = f"s_{base}"
    if base.lower() in _RESERVED:
        base = f"{base}_"
    candidate = base
    counter = 2
    while candidate in used:
        candidate = f"{base}_{counter}"
        counter += 1
    used.add(candidate)
    return candidate
