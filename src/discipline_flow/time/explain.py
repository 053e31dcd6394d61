"""Explanations: the structured trace of how a date was computed, rendered in English or Vietnamese.

Every computed date (a due date, a limitation expiry, the end of a decision's effect) carries a
tuple of :class:`TraceItem` values: the start event, the rule and its legal basis, the unit, the
non-working days skipped and why, the roll-forward, pauses, extensions, estimated years and the
result. :class:`Explanation` renders them as text.

>>> from datetime import date
>>> from discipline_flow.time import Explanation, TraceItem, TraceKind
>>> e = Explanation((TraceItem(TraceKind.ROLL_FORWARD, on=date(2025, 5, 3),
...                            until_on=date(2025, 5, 5)),))
>>> print(e.text())
- Sat 2025-05-03 is not a working day, so the period runs to the end of the next working day, Mon 2025-05-05 (Civil Code 2015 art. 148(5)).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from discipline_flow.errors import InputError
from discipline_flow.time._render import NAMED_KINDS, render
from discipline_flow.time._trace import TraceItem, TraceKind

__all__ = ["Explanation", "TraceItem", "TraceKind"]


_LANGS = ("en", "vi")


def _items(values: Iterable[TraceItem]) -> tuple[TraceItem, ...]:
    return tuple(values)


@attrs.frozen
class Explanation:
    """How a date was computed: structured items (``trace``) and their text.

    >>> from discipline_flow.time import compute_due
    >>> from datetime import date
    >>> print(compute_due(date(2025, 3, 31), "1 month").explanation.text())
    - Start: Mon 2025-03-31; the day of the event is not counted (Civil Code 2015 art. 147).
    - Period: 1 month, ending on the corresponding day of the last month, counted from the start date (art. 148(3)).
    - The last month has no day 31: the period ends on the last day of that month, Wed 2025-04-30 (art. 148(3)).
    - Skipped Wed 2025-04-30, not a working day: Reunification Day (Bộ luật Lao động 2019 Điều 112 khoản 1 điểm c, verified).
    - Skipped Thu 2025-05-01, not a working day: International Labour Day (Bộ luật Lao động 2019 Điều 112 khoản 1 điểm d, verified).
    - Skipped Fri 2025-05-02, not a working day: Day off swapped with Saturday 26/4/2025 (Thông báo 6150/TB-BLĐTBXH, verified).
    - Skipped 2 weekend days (QĐ 188/1999/QĐ-TTg): Sat 2025-05-03, Sun 2025-05-04.
    - Wed 2025-04-30 is not a working day, so the period runs to the end of the next working day, Mon 2025-05-05 (Civil Code 2015 art. 148(5)).
    - Due: Mon 2025-05-05; the period ends at 24:00 local time (before 2025-05-06T00:00:00+07:00).
    """

    trace: tuple[TraceItem, ...] = attrs.field(converter=_items)

    def lines(self, lang: str = "en") -> tuple[str, ...]:
        """One sentence per item, in English (``en``) or Vietnamese (``vi``)."""
        if lang not in _LANGS:
            raise InputError("lang", f"{lang!r} is not supported; languages: en, vi")
        named = {i.on for i in self.trace if i.kind in NAMED_KINDS and i.on is not None}
        return tuple(render(item, lang, named) for item in self.trace)

    def text(self, lang: str = "en") -> str:
        """The explanation as a bulleted list, one item per line."""
        return "\n".join(f"- {line}" for line in self.lines(lang))

    def __str__(self) -> str:
        """The English text (:meth:`text`): ``print(deadline.explain())`` reads as prose."""
        return self.text()

    def to_data(self, lang: str = "en") -> list[dict[str, Any]]:
        """JSON-compatible items, each with its ``text`` in ``lang``."""
        return [
            {**item.to_dict(), "text": line}
            for item, line in zip(self.trace, self.lines(lang), strict=True)
        ]
