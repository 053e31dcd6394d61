"""Legal basis as data: citations and their status.

Every rule, guard and deadline rule carries a :class:`Citation` naming the document and article it
comes from and how sure we are of it. The status words follow ``shared/domain/rules-reference.md``:
VERIFIED → ``verified``, VERIFIED-2 → ``secondary``, RECALLED → ``assumed``; a rule an embedding
system overrides shows as ``overridden`` with its own source.

>>> from discipline_flow import Citation, RuleStatus
>>> c = Citation("QĐ 69-QĐ/TW", "Điều 4", RuleStatus.VERIFIED, source="P-lawnet-113735")
>>> str(c)
'QĐ 69-QĐ/TW Điều 4 (verified)'
"""

from __future__ import annotations

import enum

import attrs

__all__ = ["Citation", "RuleStatus"]


class RuleStatus(enum.Enum):
    """How well a rule is supported by the sources."""

    #: Seen in an official or legal-information page that quotes the text.
    VERIFIED = "verified"
    #: Seen only in secondary material (quiz banks, exam apps, paraphrasing pages).
    SECONDARY = "secondary"
    #: Recalled or inferred; not confirmed in a retrieved source.
    ASSUMED = "assumed"
    #: Replaced by the embedding system; the citation names its own source.
    OVERRIDDEN = "overridden"


@attrs.frozen
class Citation:
    """The legal basis of a rule: document, article, status and the source it was read in."""

    document: str
    article: str | None = None
    status: RuleStatus = RuleStatus.VERIFIED
    source: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        where = f"{self.document} {self.article}" if self.article else self.document
        return f"{where} ({self.status.value})"

    @property
    def reference(self) -> str:
        """The document and article without the status, e.g. ``QĐ 69-QĐ/TW Điều 4``."""
        return f"{self.document} {self.article}" if self.article else self.document
