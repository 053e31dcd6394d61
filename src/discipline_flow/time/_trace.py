"""Value classes shared by the calendar and the explanations: day reasons and trace items.

Kept apart so that the calendar can build the trace items of its named days once, when it is
built, and hand them out to every explanation without creating new objects.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.time.period import Period

__all__ = ["DayKind", "DayReason", "TraceItem", "TraceKind"]


class DayKind(enum.Enum):
    """Why a day's status differs from an ordinary Monday-to-Friday week."""

    #: Saturday or Sunday (QĐ 188/1999/QĐ-TTg).
    WEEKEND = "weekend"
    #: A statutory holiday (Labour Code 2019 art. 112; Culture Day from 1 July 2026).
    HOLIDAY = "holiday"
    #: *Nghỉ bù*: a holiday fell on a weekly rest day (Labour Code 2019 art. 111(3)).
    COMPENSATORY_DAY_OFF = "compensatory_day_off"
    #: *Hoán đổi*: a weekday moved off by a government notice, made up on a Saturday.
    SWAPPED_DAY_OFF = "swapped_day_off"
    #: *Làm bù*: a Saturday made a working day by a government notice.
    MAKE_UP_WORKING_DAY = "make_up_working_day"
    #: A day off of a province or body, added by the user.
    LOCAL_DAY_OFF = "local_day_off"

    @property
    def is_day_off(self) -> bool:
        """Whether a day of this kind is not a working day."""
        return self is not DayKind.MAKE_UP_WORKING_DAY

    def label(self, lang: str = "en") -> str:
        """The kind in words.

        >>> DayKind.COMPENSATORY_DAY_OFF.label("vi")
        'nghỉ bù'
        """
        return (_KIND_VI if lang == "vi" else _KIND_EN)[self]


_KIND_EN = {
    DayKind.WEEKEND: "weekend",
    DayKind.HOLIDAY: "holiday",
    DayKind.COMPENSATORY_DAY_OFF: "compensatory day off",
    DayKind.SWAPPED_DAY_OFF: "swapped day off",
    DayKind.MAKE_UP_WORKING_DAY: "make-up working day",
    DayKind.LOCAL_DAY_OFF: "local day off",
}
_KIND_VI = {
    DayKind.WEEKEND: "nghỉ hằng tuần",
    DayKind.HOLIDAY: "ngày lễ, tết",
    DayKind.COMPENSATORY_DAY_OFF: "nghỉ bù",
    DayKind.SWAPPED_DAY_OFF: "nghỉ hoán đổi",
    DayKind.MAKE_UP_WORKING_DAY: "làm bù",
    DayKind.LOCAL_DAY_OFF: "ngày nghỉ của địa phương",
}


@attrs.frozen
class DayReason:
    """One reason a day is not a working day (or, for a make-up Saturday, why it is one)."""

    kind: DayKind
    name_en: str
    name_vi: str = ""
    citation: Citation | None = None
    is_estimated: bool = False

    def label(self, lang: str = "en") -> str:
        """The reason in words, with its legal basis and status.

        >>> DayReason(DayKind.WEEKEND, "Saturday", "Thứ Bảy").label("vi")
        'Thứ Bảy'
        """
        name = self.name_vi if lang == "vi" and self.name_vi else self.name_en
        parts = []
        if self.citation is not None:
            parts.append(f"{self.citation.reference}, {_status_label(self.citation, lang)}")
        if self.is_estimated:
            parts.append("ước tính" if lang == "vi" else "estimated")
        return f"{name} ({'; '.join(parts)})" if parts else name


_STATUS_VI = {
    RuleStatus.VERIFIED: "đã kiểm chứng",
    RuleStatus.SECONDARY: "nguồn thứ cấp",
    RuleStatus.ASSUMED: "giả định",
    RuleStatus.OVERRIDDEN: "được thay thế",
}


def _status_label(citation: Citation, lang: str) -> str:
    return _STATUS_VI[citation.status] if lang == "vi" else citation.status.value


class TraceKind(enum.Enum):
    """What a trace item records."""

    START = "start"
    RULE = "rule"
    PERIOD = "period"
    CLAMPED = "clamped"
    SKIPPED_WEEKENDS = "skipped_weekends"
    SKIPPED_DAY = "skipped_day"
    MAKE_UP_DAY = "make_up_day"
    ROLL_FORWARD = "roll_forward"
    NOT_ROLLED = "not_rolled"
    EXTENSION = "extension"
    PAUSE = "pause"
    CAP = "cap"
    ESTIMATED = "estimated"
    DUE = "due"
    MET = "met"
    CANCELLED = "cancelled"
    # limitation periods (QĐ 69-QĐ/TW art. 4)
    LIMITATION_RULE = "limitation_rule"
    NO_LIMITATION = "no_limitation"
    VIOLATION = "violation"
    RESTART = "restart"
    NO_RESTART = "no_restart"
    DEFERRAL = "deferral"
    EXPIRES = "expires"
    TIME_BARRED = "time_barred"
    NOT_TIME_BARRED = "not_time_barred"
    # end of effect of a decision (QĐ 69-QĐ/TW art. 2 cl. 5)
    ANNOUNCED = "announced"
    COMPLAINT_PENDING = "complaint_pending"
    COMPLAINT_RULING = "complaint_ruling"
    NEW_VIOLATION = "new_violation"
    EFFECT_ENDS = "effect_ends"
    NEVER_ENDS = "never_ends"


@attrs.frozen(cache_hash=True)
class TraceItem:
    """One step of an explanation. Fields not used by a kind stay at their defaults."""

    kind: TraceKind
    on: _dt.date | None = None
    until_on: _dt.date | None = None
    at: _dt.datetime | None = None
    count: int | None = None
    period: Period | None = None
    reasons: tuple[DayReason, ...] = ()
    citation: Citation | None = None
    name: str = ""
    note: str = ""
    note_vi: str = ""
    years: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The item as JSON-compatible data (fields left at their defaults are omitted)."""
        data: dict[str, Any] = {"kind": self.kind.value}
        for key in ("on", "until_on", "at"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value.isoformat()
        if self.count is not None:
            data["count"] = self.count
        if self.period is not None:
            data["period"] = str(self.period)
        if self.reasons:
            data["reasons"] = [
                {
                    "kind": r.kind.value,
                    "name_en": r.name_en,
                    "name_vi": r.name_vi,
                    "citation": str(r.citation) if r.citation else None,
                    "is_estimated": r.is_estimated,
                }
                for r in self.reasons
            ]
        if self.citation is not None:
            data["citation"] = str(self.citation)
        for key in ("name", "note", "note_vi"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.years:
            data["years"] = list(self.years)
        return data
