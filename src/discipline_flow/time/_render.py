"""Rendering trace items as sentences, in English or Vietnamese (one function per kind)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.time._dates import format_day
from discipline_flow.time._trace import TraceItem, TraceKind
from discipline_flow.time.period import Period, Unit

__all__ = ["NAMED_KINDS", "render"]

NAMED_KINDS = frozenset({TraceKind.SKIPPED_DAY, TraceKind.MAKE_UP_DAY})

_STATUS_VI = {
    RuleStatus.VERIFIED: "đã kiểm chứng",
    RuleStatus.SECONDARY: "nguồn thứ cấp",
    RuleStatus.ASSUMED: "giả định",
    RuleStatus.OVERRIDDEN: "được thay thế",
}

_VOCABULARY_VI = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "removal_from_post": "cách chức",
    "expulsion": "khai trừ",
    "dissolution": "giải tán",
    "member": "đảng viên",
    "organisation": "tổ chức đảng",
    "internal_politics": "vi phạm về chính trị nội bộ",
    "defence_security_foreign_affairs": (
        "vi phạm về quốc phòng, an ninh, đối ngoại xâm hại đến lợi ích quốc gia"
    ),
    "illegal_diplomas": "sử dụng văn bằng, chứng chỉ không hợp pháp",
}
_VOCABULARY_EN = {
    "removal_from_post": "removal from post",
    "internal_politics": "violations of internal politics",
    "defence_security_foreign_affairs": (
        "violations of defence, security or foreign affairs harming the national interest"
    ),
    "illegal_diplomas": "use of illegal diplomas or certificates",
}

_UNIT_NOTE_EN = {
    Unit.WORKING_DAYS: "the last day is the {nth} working day after the start date",
    Unit.CALENDAR_DAYS: "calendar days; holidays inside the period count (art. 148(1))",
    Unit.WEEKS: "ending on the corresponding weekday of the last week (art. 148(2))",
    Unit.MONTHS: (
        "ending on the corresponding day of the last month, counted from the start date "
        "(art. 148(3))"
    ),
    Unit.YEARS: (
        "ending on the corresponding day and month of the last year, counted from the start "
        "date (art. 148(4))"
    ),
    Unit.HOURS: "counted from the instant of the event (art. 147(1))",
}
_UNIT_NOTE_VI = {
    Unit.WORKING_DAYS: "ngày cuối là ngày làm việc thứ {n} sau ngày bắt đầu",
    Unit.CALENDAR_DAYS: "ngày theo lịch; ngày nghỉ trong thời hạn vẫn được tính (khoản 1 Điều 148)",
    Unit.WEEKS: "kết thúc vào ngày tương ứng của tuần cuối cùng (khoản 2 Điều 148)",
    Unit.MONTHS: (
        "kết thúc vào ngày tương ứng của tháng cuối cùng, tính từ ngày bắt đầu (khoản 3 Điều 148)"
    ),
    Unit.YEARS: (
        "kết thúc vào ngày, tháng tương ứng của năm cuối cùng, tính từ ngày bắt đầu "
        "(khoản 4 Điều 148)"
    ),
    Unit.HOURS: "tính từ thời điểm xảy ra sự kiện (khoản 1 Điều 147)",
}


def _ordinal_en(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _cite(citation: Citation | None, lang: str) -> str:
    if citation is None:
        return ""
    status = _STATUS_VI[citation.status] if lang == "vi" else citation.status.value
    return f"{citation.reference}, {status}"


def _word(value: str, lang: str) -> str:
    if lang == "vi":
        return _VOCABULARY_VI.get(value, value)
    return _VOCABULARY_EN.get(value, value)


def _weekends(start: _dt.date, end: _dt.date, named: set[_dt.date]) -> list[_dt.date]:
    days = []
    o = start.toordinal()
    while o <= end.toordinal():
        day = _dt.date.fromordinal(o)
        if day.weekday() >= 5 and day not in named:
            days.append(day)
        o += 1
    return days


def render(item: TraceItem, lang: str, named: set[_dt.date]) -> str:
    """``item`` as one sentence in ``lang``; ``named`` are the days listed by name."""
    vi = lang == "vi"

    def d(day: _dt.date | None) -> str:
        return format_day(day, lang) if day is not None else "?"

    def t(at: _dt.datetime | None) -> str:
        return at.isoformat() if at is not None else "?"

    def p(period: Period | None) -> str:
        return period.label(lang) if period is not None else "?"

    reasons = "; ".join(r.label(lang) for r in item.reasons)
    renderer = _RENDERERS[item.kind]
    return renderer(item, vi, d, t, p, reasons, named)


_Renderer = Callable[
    [
        TraceItem,
        bool,
        Callable[[_dt.date | None], str],
        Callable[[_dt.datetime | None], str],
        Callable[[Period | None], str],
        str,
        set[_dt.date],
    ],
    str,
]


def _start(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    source = f", {'lấy từ' if vi else 'taken from'} {i.name}" if i.name else ""
    event = f" ({'sự kiện lúc' if vi else 'event at'} {t(i.at)})" if i.at is not None else ""
    if vi:
        rule = (
            "không tính ngày xảy ra sự kiện (Điều 147 Bộ luật Dân sự 2015)"
            if i.count
            else "ngày xảy ra sự kiện được tính là ngày đầu tiên"
        )
        return f"Bắt đầu: {d(i.on)}{source}{event}; {rule}."
    rule = (
        "the day of the event is not counted (Civil Code 2015 art. 147)"
        if i.count
        else "the day of the event counts as the first day"
    )
    return f"Start: {d(i.on)}{source}{event}; {rule}."


def _rule(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    label = i.note_vi if vi and i.note_vi else i.note
    label = f" ({label})" if label else ""
    cite = _cite(i.citation, "vi" if vi else "en")
    if vi:
        return f"Quy định {i.name}{label}: {cite}."
    return f"Rule {i.name}{label}: {cite}."


def _period(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    period = i.period
    if period is None:
        return "Thời hạn: ?" if vi else "Period: ?"
    notes = _UNIT_NOTE_VI if vi else _UNIT_NOTE_EN
    note = notes[period.unit].format(n=period.amount, nth=_ordinal_en(period.amount))
    return f"{'Thời hạn' if vi else 'Period'}: {p(period)}, {note}."


def _clamped(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if i.name == "next_month":
        if vi:
            return (
                f"Tháng cuối không có ngày {i.count}: theo quy ước của quy định, thời hạn kéo "
                f"đến {d(i.on)}, ngày đầu của tháng sau."
            )
        return (
            f"The last month has no day {i.count}: by this rule's convention the period runs "
            f"to {d(i.on)}, the first day of the following month."
        )
    if vi:
        return (
            f"Tháng cuối không có ngày {i.count}: thời hạn kết thúc vào ngày cuối của tháng "
            f"đó, {d(i.on)} (khoản 3 Điều 148)."
        )
    return (
        f"The last month has no day {i.count}: the period ends on the last day of that month, "
        f"{d(i.on)} (art. 148(3))."
    )


def _skipped_weekends(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    days = ""
    if i.on is not None and i.until_on is not None:
        days = ": " + ", ".join(d(day) for day in _weekends(i.on, i.until_on, n))
    if vi:
        return f"Không tính {i.count} ngày nghỉ hằng tuần (QĐ 188/1999/QĐ-TTg){days}."
    return f"Skipped {i.count} weekend days (QĐ 188/1999/QĐ-TTg){days}."


def _skipped_day(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Không tính {d(i.on)}, không phải ngày làm việc: {r}."
    return f"Skipped {d(i.on)}, not a working day: {r}."


def _make_up(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Tính {d(i.on)} là ngày làm việc: {r}."
    return f"Counted {d(i.on)} as a working day: {r}."


def _roll(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return (
            f"{d(i.on)} không phải ngày làm việc nên thời hạn kết thúc vào cuối ngày làm việc "
            f"tiếp theo, {d(i.until_on)} (khoản 5 Điều 148 Bộ luật Dân sự 2015)."
        )
    return (
        f"{d(i.on)} is not a working day, so the period runs to the end of the next working "
        f"day, {d(i.until_on)} (Civil Code 2015 art. 148(5))."
    )


def _not_rolled(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    why = f" ({r})" if r else ""
    if vi:
        return (
            f"{d(i.on)} không phải ngày làm việc{why}, nhưng quy định này không chuyển sang ngày "
            f"làm việc tiếp theo: thời hạn kết thúc vào ngày đó."
        )
    return (
        f"{d(i.on)} is not a working day{why}, but this rule does not roll forward: the period "
        f"ends on it."
    )


def _extension(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        reason = f"; lý do: {i.note}" if i.note else ""
        return f"Gia hạn lúc {t(i.at)} thêm {p(i.period)}{reason}."
    reason = f"; reason: {i.note}" if i.note else ""
    return f"Extended at {t(i.at)} by {p(i.period)}{reason}."


def _pause(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if i.until_on is None:
        if vi:
            return f"Tạm dừng từ {d(i.on)}: hạn sẽ lùi lại khi tiếp tục."
        return f"Paused since {d(i.on)}: the due date will move when the deadline resumes."
    if vi:
        return f"Tạm dừng ngày {d(i.on)}, tiếp tục ngày {d(i.until_on)}: hạn lùi {p(i.period)}."
    return (
        f"Paused on {d(i.on)} and resumed on {d(i.until_on)}: the due date moves by {p(i.period)}."
    )


def _cap(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        held = "; hạn được giữ ở ngày này" if i.count else ""
        return (
            f"Thời hạn tối đa {p(i.period)} kể từ ngày bắt đầu kết thúc vào {d(i.on)}, kể cả "
            f"thời gian tạm dừng{held}."
        )
    held = "; the due date is held to it" if i.count else ""
    return (
        f"The absolute cap of {p(i.period)} from the start ends on {d(i.on)} and keeps running "
        f"through pauses{held}."
    )


def _estimated(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    years = ", ".join(str(y) for y in i.years)
    if vi:
        return (
            f"Ước tính: chưa có lịch nghỉ chính thức của năm {years} trong bản này; các ngày "
            f"nghỉ được tính theo quy định chung và có thể thay đổi."
        )
    return (
        f"Estimated: this release has no official schedule of days off for {years}; those "
        f"days are computed from the statutory rules and may change."
    )


def _due(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if i.name == "instant":
        return f"{'Hạn lúc' if vi else 'Due at'} {t(i.at)}."
    if i.name == "time_of_day":
        return f"{'Hạn' if vi else 'Due'}: {d(i.on)}, {'lúc' if vi else 'at'} {t(i.at)}."
    if vi:
        return (
            f"Hạn: {d(i.on)}; thời hạn kết thúc lúc 24 giờ theo giờ địa phương (trước {t(i.at)})."
        )
    return f"Due: {d(i.on)}; the period ends at 24:00 local time (before {t(i.at)})."


def _met(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    late = (" (quá hạn)" if vi else " (late)") if i.name == "late" else ""
    return f"{'Đã thực hiện lúc' if vi else 'Met at'} {t(i.at)}{late}."


def _cancelled(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    return f"{'Đã hủy lúc' if vi else 'Cancelled at'} {t(i.at)}."


def _limitation_rule(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    lang = "vi" if vi else "en"
    if vi:
        return (
            f"Vi phạm đến mức {_word(i.name, lang)} của {_word(i.note, lang)}: thời hiệu "
            f"{p(i.period)} ({_cite(i.citation, lang)})."
        )
    return (
        f"A {i.name}-level violation by a party {i.note}: limitation period {p(i.period)} "
        f"({_cite(i.citation, lang)})."
    )


def _no_limitation(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    lang = "vi" if vi else "en"
    if i.note:
        what = _word(i.note, lang)
    elif vi:
        what = f"vi phạm đến mức {_word(i.name, lang)}"
    else:
        what = f"violations warranting {i.name}"
    if vi:
        return f"Không áp dụng thời hiệu đối với {what} ({_cite(i.citation, lang)})."
    return f"No limitation period applies to {what} ({_cite(i.citation, lang)})."


def _violation(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if i.until_on is not None and i.until_on != i.on:
        if vi:
            return (
                f"Vi phạm kéo dài từ {d(i.on)} đến {d(i.until_on)}: thời hiệu tính từ khi "
                f"chấm dứt vi phạm."
            )
        return (
            f"Continuing violation from {d(i.on)} to {d(i.until_on)}: the period is counted "
            f"from its end."
        )
    return f"{'Vi phạm ngày' if vi else 'Violation on'} {d(i.on)}."


def _restart(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Vi phạm mới ngày {d(i.on)}, trong thời hiệu: thời hiệu tính lại từ ngày đó."
    return f"A new violation on {d(i.on)}, within the period: the period runs again from it."


def _no_restart(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Vi phạm mới ngày {d(i.on)} xảy ra sau khi hết thời hiệu: không tính lại."
    return f"A new violation on {d(i.on)} came after the period had run out: no restart."


def _deferral(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    why = f" ({i.note})" if i.note else ""
    if not i.count:
        if vi:
            return f"Thời gian chưa xem xét kỷ luật từ {d(i.on)} đến {d(i.until_on)}{why} nằm ngoài thời hiệu đang chạy."
        return (
            f"Discipline deferred from {d(i.on)} to {d(i.until_on)}{why}: outside the running "
            f"period, no effect."
        )
    if vi:
        return (
            f"Chưa xem xét kỷ luật từ {d(i.on)} đến {d(i.until_on)}{why}: {i.count} ngày không "
            f"tính vào thời hiệu."
        )
    return (
        f"Discipline deferred from {d(i.on)} to {d(i.until_on)}{why}: {i.count} days not "
        f"counted, the expiry moves as many days later."
    )


def _expires(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Thời hiệu kết thúc lúc 24 giờ ngày {d(i.on)}."
    return f"The limitation period ends at 24:00 on {d(i.on)}."


def _time_barred(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Ngày {d(i.on)} đã hết thời hiệu: không xử lý kỷ luật."
    return f"On {d(i.on)} the violation is time-barred: no discipline."


def _not_time_barred(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Ngày {d(i.on)} chưa hết thời hiệu."
    return f"On {d(i.on)} the violation is not time-barred."


def _announced(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    return f"{'Công bố quyết định ngày' if vi else 'Decision announced on'} {d(i.on)}."


def _complaint_pending(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return (
            f"Khiếu nại ngày {d(i.on)} đang được giải quyết: quyết định vẫn có hiệu lực; 12 "
            f"tháng tính từ ngày công bố quyết định giải quyết khiếu nại."
        )
    return (
        f"A complaint filed on {d(i.on)} is pending: the decision stays in force, and its 12 "
        f"months will run from the announcement of the ruling (Party Charter art. 39(9))."
    )


def _complaint_ruling(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return f"Quyết định giải quyết khiếu nại công bố ngày {d(i.on)}: 12 tháng tính từ ngày đó."
    return f"The complaint ruling was announced on {d(i.on)}: the 12 months run from it."


def _new_violation(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    if vi:
        return (
            f"Tái phạm hoặc vi phạm mới ngày {d(i.on)}, trong 12 tháng: quyết định không "
            f"đương nhiên chấm dứt hiệu lực."
        )
    return (
        f"A repeat or new violation on {d(i.on)}, within the 12 months: the decision does not "
        f"end automatically."
    )


def _effect_ends(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    lang = "vi" if vi else "en"
    if vi:
        return (
            f"Quyết định đương nhiên chấm dứt hiệu lực sau 24 giờ ngày {d(i.on)} "
            f"({p(i.period)}, {_cite(i.citation, lang)})."
        )
    return (
        f"The decision stops having effect at the end of {d(i.on)} ({p(i.period)}, "
        f"{_cite(i.citation, lang)})."
    )


def _never_ends(i: TraceItem, vi: bool, d: Any, t: Any, p: Any, r: str, n: Any) -> str:
    lang = "vi" if vi else "en"
    if vi:
        return (
            f"Quyết định {_word(i.name, lang)} không đương nhiên chấm dứt hiệu lực "
            f"({_cite(i.citation, lang)})."
        )
    return f"A decision of {i.name} never ends automatically ({_cite(i.citation, lang)})."


_RENDERERS: dict[TraceKind, _Renderer] = {
    TraceKind.START: _start,
    TraceKind.RULE: _rule,
    TraceKind.PERIOD: _period,
    TraceKind.CLAMPED: _clamped,
    TraceKind.SKIPPED_WEEKENDS: _skipped_weekends,
    TraceKind.SKIPPED_DAY: _skipped_day,
    TraceKind.MAKE_UP_DAY: _make_up,
    TraceKind.ROLL_FORWARD: _roll,
    TraceKind.NOT_ROLLED: _not_rolled,
    TraceKind.EXTENSION: _extension,
    TraceKind.PAUSE: _pause,
    TraceKind.CAP: _cap,
    TraceKind.ESTIMATED: _estimated,
    TraceKind.DUE: _due,
    TraceKind.MET: _met,
    TraceKind.CANCELLED: _cancelled,
    TraceKind.LIMITATION_RULE: _limitation_rule,
    TraceKind.NO_LIMITATION: _no_limitation,
    TraceKind.VIOLATION: _violation,
    TraceKind.RESTART: _restart,
    TraceKind.NO_RESTART: _no_restart,
    TraceKind.DEFERRAL: _deferral,
    TraceKind.EXPIRES: _expires,
    TraceKind.TIME_BARRED: _time_barred,
    TraceKind.NOT_TIME_BARRED: _not_time_barred,
    TraceKind.ANNOUNCED: _announced,
    TraceKind.COMPLAINT_PENDING: _complaint_pending,
    TraceKind.COMPLAINT_RULING: _complaint_ruling,
    TraceKind.NEW_VIOLATION: _new_violation,
    TraceKind.EFFECT_ENDS: _effect_ends,
    TraceKind.NEVER_ENDS: _never_ends,
}
