"""The words a commission's report and its forms share: levels, subjects, counts and changes.

A :class:`Phrases` writes one language: ``Phrases("vi").count(Count(2, 26))`` is
``2 tổ chức đảng và 26 đảng viên``, ``Phrases("en")`` the same in English, with plurals.

>>> from discipline_flow.reports.indicators import Count
>>> Phrases("vi").count(Count(2, 26, 5))
'2 tổ chức đảng và 26 đảng viên (có 5 cấp ủy viên)'
>>> Phrases("en").count(Count(1, 76008))
'1 party organisation and 76,008 party members'
>>> Phrases("vi").change(Count(898, 592), Count(900, 584))
'giảm 2 tổ chức đảng, tăng 8 đảng viên'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence

from discipline_flow.reports.indicators import Count
from discipline_flow.reports.numbers import check_language, format_number
from discipline_flow.reports.period import MONTHS_EN
from discipline_flow.workflow import Label

__all__ = ["LEVEL_NAMES", "SUBJECT_NAMES", "Phrases"]

#: Acting levels as a report names them.
LEVEL_NAMES: Mapping[str, Label] = {
    "central": Label("central", "cấp Trung ương"),
    "provincial": Label("provincial", "cấp tỉnh"),
    "district": Label("district", "cấp huyện"),
    "grassroots": Label("grassroots", "cấp cơ sở"),
}
#: The subjects a figure counts, as a form's rows name them (committee members are "of which").
SUBJECT_NAMES: Mapping[str, Label] = {
    "organisations": Label("Party organisations", "Tổ chức đảng"),
    "members": Label("Party members", "Đảng viên"),
    "committee_members": Label("of which committee members", "Trong đó: cấp ủy viên"),
}


def _join_en(parts: Sequence[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class Phrases:
    """Counts, levels, dates and changes written in one language (``vi`` or ``en``)."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)

    def say(self, vi: str, en: str, /, **fields: object) -> str:
        """The sentence in this language, its ``{fields}`` filled in."""
        return (vi if self.lang == "vi" else en).format(**fields)

    def listing(self, parts: Sequence[str]) -> str:
        """Clauses one after another: ``a; b; c`` in Vietnamese, ``a, b and c`` in English."""
        return "; ".join(parts) if self.lang == "vi" else _join_en(parts)

    def series(self, parts: Sequence[str]) -> str:
        """Items of a list: ``a, b, c`` in Vietnamese, ``a, b and c`` in English."""
        return ", ".join(parts) if self.lang == "vi" else _join_en(parts)

    def number(self, value: float) -> str:
        """A whole number in this language's format (76.008 or 76,008)."""
        return format_number(value, lang=self.lang)

    def noun(self, value: int, vi: str, en: str, en_plural: str | None = None) -> str:
        """``value`` and the noun it counts: ``3 đoàn``, ``3 teams``, ``1 team``."""
        if self.lang == "vi":
            return f"{self.number(value)} {vi}"
        word = en if value == 1 else (en_plural or en + "s")
        return f"{self.number(value)} {word}"

    def subjects(self, organisations: int, members: int) -> list[str]:
        """The non-zero parts of a count of organisations and members."""
        parts = []
        if organisations:
            parts.append(self.noun(organisations, "tổ chức đảng", "party organisation"))
        if members:
            parts.append(self.noun(members, "đảng viên", "party member"))
        return parts

    def count(self, count: Count, *, committee: bool = True) -> str:
        """The organisations and members counted, with the committee members among them unless
        ``committee`` is false; ``""`` when nothing was counted."""
        text = " và ".join(self.subjects(count.organisations, count.members))
        if self.lang == "en":
            text = _join_en(self.subjects(count.organisations, count.members))
        if committee and count.committee_members:
            n = count.committee_members
            text += self.say(
                " (có {n} cấp ủy viên)",
                " ({n} of them {noun})",
                n=self.number(n),
                noun="a committee member" if n == 1 else "committee members",
            )
        return text

    def is_plural(self, count: Count) -> bool:
        """Whether an English verb after this count takes its plural form."""
        return count.organisations + count.members != 1

    def were(self, count: Count) -> str:
        """``was`` or ``were`` after this count (English)."""
        return "were" if self.is_plural(count) else "was"

    def have(self, count: Count) -> str:
        """``has`` or ``have`` after this count (English)."""
        return "have" if self.is_plural(count) else "has"

    def level(self, level: str) -> str:
        """An acting level's name (``cấp tỉnh``; ``provincial``)."""
        name = LEVEL_NAMES.get(level)
        return name.text(self.lang) if name else level

    def by_level(self, counts: Mapping[str, Count], levels: Sequence[str]) -> str:
        """The levels shown that counted something, with their counts, from the top:
        ``cấp tỉnh 6 đảng viên; cấp cơ sở 20 đảng viên``; ``""`` when none did."""
        parts = []
        for level in levels:
            count = counts.get(level, Count())
            if count.organisations or count.members:
                text = self.count(count, committee=False)
                parts.append(
                    self.say(
                        "{level} {text}",
                        "{text} at the {level} level",
                        level=self.level(level),
                        text=text,
                    )
                )
        return "; ".join(parts)

    def date(self, day: _dt.date) -> str:
        """A date as a report writes it: ``01/01/2023``; ``1 January 2023``."""
        if self.lang == "vi":
            return f"{day.day:02d}/{day.month:02d}/{day.year}"
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"

    def change(self, current: Count, previous: Count) -> str:
        """How ``current`` differs from ``previous`` in organisations and members:
        ``tăng 12 đảng viên``; ``2 fewer party organisations and 8 more party members``;
        ``""`` when they are the same."""
        steps = [
            (current.organisations - previous.organisations, "tổ chức đảng", "party organisation"),
            (current.members - previous.members, "đảng viên", "party member"),
        ]
        parts: list[tuple[str, str]] = []
        for delta, vi, en in steps:
            if delta:
                up = delta > 0
                if self.lang == "vi":
                    parts.append(("tăng" if up else "giảm", self.noun(abs(delta), vi, en)))
                else:
                    number, noun = self.noun(abs(delta), vi, en).split(" ", 1)
                    parts.append(("", f"{number} {'more' if up else 'fewer'} {noun}"))
        if self.lang == "en":
            return _join_en([text for _, text in parts])
        if len(parts) == 2 and parts[0][0] == parts[1][0]:
            return f"{parts[0][0]} {parts[0][1]} và {parts[1][1]}"
        return ", ".join(f"{verb} {text}" for verb, text in parts)
