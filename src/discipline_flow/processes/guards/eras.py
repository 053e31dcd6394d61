"""Which regulation a ruleset rests on, and the citation that goes with it.

The regulation on inspection, supervision and discipline changed twice: QĐ 22-QĐ/TW (2021),
QĐ 296-QĐ/TW (30 May 2025), QĐ 21-QĐ/TW (2026). A process cites the article of the regulation
in force; where that article was not seen, the one before it is carried over as *assumed*.

>>> import datetime as dt
>>> from discipline_flow.rules import select_ruleset
>>> [governing_regulation(select_ruleset(dt.date(y, 6, 1))) for y in (2022, 2025, 2026)]
['QĐ 22-QĐ/TW', 'QĐ 296-QĐ/TW', 'QĐ 21-QĐ/TW']
"""

from __future__ import annotations

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.rules import Ruleset

__all__ = ["era_citation", "governing_regulation", "regulation_of"]

# Latest first: a ruleset citing several (a transition) rests on the newest.
_REGULATIONS = ("QĐ 21-QĐ/TW", "QĐ 296-QĐ/TW", "QĐ 22-QĐ/TW")


def governing_regulation(ruleset: Ruleset) -> str | None:
    """The regulation on inspection, supervision and discipline a ruleset rests on, if known."""
    codes = {document.code for document in ruleset.documents}
    return next((code for code in _REGULATIONS if code in codes), None)


def regulation_of(ruleset: Ruleset) -> str:
    """:func:`governing_regulation`, or QĐ 296-QĐ/TW for a ruleset that names none of them.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> regulation_of(select_ruleset(dt.date(2025, 9, 1)))
    'QĐ 296-QĐ/TW'
    """
    return governing_regulation(ruleset) or "QĐ 296-QĐ/TW"


def era_citation(
    ruleset: Ruleset, *, qd22: Citation, qd296: Citation, qd21: Citation | None = None
) -> Citation:
    """The citation for the regulation ``ruleset`` rests on.

    Under QĐ 21-QĐ/TW (2026, text not seen) the QĐ 296 citation is carried over as *assumed*
    unless ``qd21`` is given; a ruleset resting on none of the three gets the QĐ 296 one.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> old = Citation("QĐ 22-QĐ/TW", "Điều 9", RuleStatus.VERIFIED)
    >>> new = Citation("QĐ 296-QĐ/TW", "Điều 8", RuleStatus.SECONDARY)
    >>> print(era_citation(select_ruleset(dt.date(2026, 5, 4)), qd22=old, qd296=new))
    QĐ 296-QĐ/TW Điều 8 (assumed)
    """
    regulation = governing_regulation(ruleset)
    if regulation == "QĐ 22-QĐ/TW":
        return qd22
    if regulation == "QĐ 21-QĐ/TW":
        if qd21 is not None:
            return qd21
        carried = "QĐ 21-QĐ/TW (2026) replaced QĐ 296 and its text for this was not seen"
        note = carried if qd296.note is None else f"{carried}; {qd296.note}"
        return Citation(qd296.document, qd296.article, RuleStatus.ASSUMED, qd296.source, note)
    return qd296
