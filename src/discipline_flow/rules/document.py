"""A document a ruleset rests on: its code, title, dates and how sure we are of them."""

from __future__ import annotations

import datetime as _dt

import attrs

from discipline_flow.citation import RuleStatus

__all__ = ["Document"]


@attrs.frozen
class Document:
    """A document that governs a ruleset: its code, title, dates and how sure we are of them.

    >>> import datetime as dt
    >>> doc = Document("QĐ 22-QĐ/TW", "Regulation on inspection, supervision and discipline",
    ...                "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
    ...                issued_on=dt.date(2021, 7, 28))
    >>> str(doc), doc.effective_on
    ('QĐ 22-QĐ/TW (28/7/2021)', datetime.date(2021, 7, 28))
    """

    code: str
    title_en: str
    label_vi: str
    issued_on: _dt.date = attrs.field(kw_only=True)
    effective_from: _dt.date | None = attrs.field(kw_only=True, default=None)
    status: RuleStatus = attrs.field(kw_only=True, default=RuleStatus.VERIFIED)
    source: str | None = attrs.field(kw_only=True, default=None)
    note: str | None = attrs.field(kw_only=True, default=None)

    @property
    def effective_on(self) -> _dt.date:
        """The day the document took effect (the day it was issued unless stated otherwise)."""
        return self.effective_from if self.effective_from is not None else self.issued_on

    def __str__(self) -> str:
        day = self.issued_on
        return f"{self.code} ({day.day}/{day.month}/{day.year})"
