"""Days named by the ``holidays`` package, for the years without an official table.

The package (pinned ``holidays==0.109``) knows the statutory holidays with Vietnamese lunar dates,
the compensatory days and the swaps it has heard of. Its days are *estimated*: every reason built
here says so.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping
from typing import Any

import holidays

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.time._trace import DayKind, DayReason

__all__ = ["PACKAGE_FIRST_YEAR", "PACKAGE_LAST_YEAR", "package_days"]

#: The years the bundled ``holidays`` data can answer for (it returns nothing past 2100).
PACKAGE_FIRST_YEAR = 1901
PACKAGE_LAST_YEAR = 2100


def _package_citation(name_en: str, year: int) -> tuple[DayKind, Citation]:
    """The kind and legal basis of a day named by the ``holidays`` package."""
    source = "holidays package (statutory rules; estimated)"
    if name_en.startswith("Day off (substituted"):
        return DayKind.SWAPPED_DAY_OFF, Citation(
            "government notice (not in the official table)",
            None,
            RuleStatus.SECONDARY,
            source=source,
        )
    code, article = (
        ("Bộ luật Lao động 2019", "Điều 112 khoản 1")
        if year >= 2021
        else ("Bộ luật Lao động 2012", "Điều 115 khoản 1")
    )
    if name_en.endswith("(observed)"):
        article = "Điều 111 khoản 3" if year >= 2021 else "Điều 115 khoản 3"
        return DayKind.COMPENSATORY_DAY_OFF, Citation(
            code, article, RuleStatus.SECONDARY, source=source
        )
    if name_en.startswith("Vietnam Cultural Day"):
        return DayKind.HOLIDAY, Citation(
            "Nghị quyết 28/2026/QH16", "Điều 2", RuleStatus.SECONDARY, source=source
        )
    return DayKind.HOLIDAY, Citation(code, article, RuleStatus.SECONDARY, source=source)


@functools.cache
def package_days(years: tuple[int, ...]) -> tuple[tuple[int, bool, tuple[DayReason, ...]], ...]:
    """Days the ``holidays`` package names in ``years``: (ordinal, is working, reasons)."""
    if not years:
        return ()
    english: Mapping[_dt.date, str] = holidays.country_holidays("VN", years=years, language="en_US")
    vietnamese: Any = holidays.country_holidays("VN", years=years, language="vi")
    wanted = set(years)
    result: list[tuple[int, bool, tuple[DayReason, ...]]] = []
    for day, names in sorted(english.items()):
        if day.year not in wanted:
            continue
        reasons = []
        names_vi = str(vietnamese.get(day, "")).split("; ")
        for i, name in enumerate(str(names).split("; ")):
            kind, citation = _package_citation(name, day.year)
            name_vi = names_vi[i] if i < len(names_vi) else ""
            reasons.append(DayReason(kind, name, name_vi, citation, True))
        result.append((day.toordinal(), False, tuple(reasons)))
    make_up = Citation(
        "government notice (not in the official table)",
        None,
        RuleStatus.SECONDARY,
        source="holidays package",
    )
    for day in sorted(getattr(vietnamese, "weekend_workdays", ())):
        if day.year in wanted:
            reason = DayReason(
                DayKind.MAKE_UP_WORKING_DAY,
                "Make-up working day",
                "Ngày làm bù",
                make_up,
                True,
            )
            result.append((day.toordinal(), True, (reason,)))
    return tuple(result)
