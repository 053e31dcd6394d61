"""The annual report as text (English or Vietnamese) and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING

from discipline_flow.errors import InputError
from discipline_flow.measure import Measure
from discipline_flow.reports._outcome import DeadlineOutcome
from discipline_flow.workflow import Label

if TYPE_CHECKING:
    from discipline_flow.reports.annual import AnnualReport, ProcessStats

__all__ = [
    "CSV_COLUMNS",
    "LEVEL_LABELS",
    "SUBJECT_LABELS",
    "SWEEP_LABELS",
    "render_csv",
    "render_text",
]

_LANGS = ("en", "vi")

#: Subject kinds as the report names them.
SUBJECT_LABELS = {
    "organisation": Label("party organisations", "tổ chức đảng"),
    "member": Label("party members", "đảng viên"),
}
#: Levels as the report names them.
LEVEL_LABELS = {
    "grassroots": Label("grassroots", "cơ sở"),
    "district": Label("district", "cấp huyện"),
    "provincial": Label("provincial", "cấp tỉnh"),
    "central": Label("central", "Trung ương"),
}

_WORDS = {
    "title": Label(
        "Annual report on inspection, supervision and party discipline, {year}",
        "Báo cáo tổng kết công tác kiểm tra, giám sát và thi hành kỷ luật đảng năm {year}",
    ),
    "scope": Label(
        "Cases opened from 1 January to 31 December {year}, as they stood at 24:00 on "
        "31 December {year}: {cases} cases in {processes} processes.",
        "Các vụ việc mở từ ngày 01/01/{year} đến ngày 31/12/{year}, tính đến 24 giờ ngày "
        "31/12/{year}: {cases} vụ việc thuộc {processes} quy trình.",
    ),
    "cases": Label("{n} cases", "{n} vụ việc"),
    "linked": Label("{n} opened from another case", "{n} vụ việc chuyển từ vụ việc khác"),
    "subjects": Label("Subjects", "Đối tượng"),
    "outcomes": Label("Outcomes", "Kết quả"),
    "closed": Label("closed", "đã kết thúc"),
    "open": Label("open", "đang giải quyết"),
    "measures": Label("Measures", "Hình thức kỷ luật"),
    "deadlines": Label("Deadlines", "Thời hạn"),
    "median": Label(
        "Median duration of the {n} closed cases: {days} days",
        "Thời gian giải quyết trung vị của {n} vụ việc đã kết thúc: {days} ngày",
    ),
    "no_closed": Label("No case closed yet", "Chưa có vụ việc nào kết thúc"),
    "empty": Label(
        "No case was opened in {year}.", "Không có vụ việc nào được mở trong năm {year}."
    ),
    "sweeps": Label(
        "Deadline sweeps held back: {counts} (discipline-flow sweep --failed lists them)",
        "Thời hạn chưa được xử lý tự động: {counts} (lệnh discipline-flow sweep --failed liệt kê)",
    ),
}

#: Why a sweep holds a deadline back, as the report names it.
SWEEP_LABELS = {
    "refused": Label("refused", "bị từ chối"),
    "retrying": Label("retrying", "đang thử lại"),
    "failed": Label("failed", "thất bại"),
}

#: The columns of :func:`render_csv`.
CSV_COLUMNS = ("year", "process", "process_label", "section", "key", "key_label", "value")


def _check(lang: str) -> str:
    if lang not in _LANGS:
        raise InputError("lang", f"{lang!r} is not supported; languages: en, vi")
    return lang


def _n(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def _days(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "vi" else text


def _word(key: str, lang: str, **values: object) -> str:
    return _WORDS[key].text(lang).format(**values)


def _label(table: Mapping[str, Label], key: str, lang: str) -> str:
    label = table.get(key)
    return label.text(lang) if label is not None else key


def _measure_label(value: str, lang: str) -> str:
    try:
        measure = Measure(value)
    except ValueError:
        return value
    return measure.label_vi if lang == "vi" else measure.label_en


def _deadline_label(value: str, lang: str) -> str:
    try:
        return DeadlineOutcome(value).label.text(lang)
    except ValueError:
        return value


def _measure_order(value: str) -> tuple[int, str]:
    try:
        return (Measure(value).severity, value)
    except ValueError:
        return (99, value)


def _process_lines(number: int, stats: ProcessStats, lang: str) -> list[str]:
    head = f"{number}. {stats.label.text(lang)} ({stats.name}): {_word('cases', lang, n=_n(stats.cases, lang))}"
    if stats.linked:
        head += f" ({_word('linked', lang, n=_n(stats.linked, lang))})"
    lines = [head]
    subjects = []
    for kind, levels in stats.subjects.items():
        total = sum(levels.values())
        parts = ", ".join(
            f"{_label(LEVEL_LABELS, level, lang)} {_n(count, lang)}"
            for level, count in levels.items()
        )
        subjects.append(f"{_label(SUBJECT_LABELS, kind, lang)} {_n(total, lang)} ({parts})")
    lines.append(f"   {_word('subjects', lang)}: {'; '.join(subjects)}")
    outcomes = []
    ranked = sorted(stats.outcomes.items(), key=lambda kv: (kv[0] not in stats.terminal, -kv[1]))
    for state, count in ranked:
        status = _word("closed" if state in stats.terminal else "open", lang)
        outcomes.append(f"{_label(stats.state_labels, state, lang)} {_n(count, lang)} ({status})")
    lines.append(f"   {_word('outcomes', lang)}: {'; '.join(outcomes)}")
    if stats.measures:
        measures = ", ".join(
            f"{_measure_label(m, lang)} {_n(stats.measures[m], lang)}"
            for m in sorted(stats.measures, key=_measure_order)
        )
        lines.append(f"   {_word('measures', lang)}: {measures}")
    if stats.deadlines:
        deadlines = ", ".join(
            f"{_deadline_label(k, lang)} {_n(v, lang)}" for k, v in stats.deadlines.items()
        )
        lines.append(f"   {_word('deadlines', lang)}: {deadlines}")
    if stats.median_days is not None:
        days = _days(stats.median_days, lang)
        lines.append(f"   {_word('median', lang, n=_n(stats.closed, lang), days=days)}")
    else:
        lines.append(f"   {_word('no_closed', lang)}")
    return lines


def render_text(report: AnnualReport, lang: str = "en") -> str:
    """The report as text: a title, the scope, then one block per process."""
    lang = _check(lang)
    lines = [_word("title", lang, year=report.year).upper(), ""]
    if not report.processes:
        lines.append(_word("empty", lang, year=report.year))
        return "\n".join(lines) + "\n"
    lines.append(
        _word(
            "scope",
            lang,
            year=report.year,
            cases=_n(report.cases, lang),
            processes=len(report.processes),
        )
    )
    for number, stats in enumerate(report.processes, start=1):
        lines.append("")
        lines.extend(_process_lines(number, stats, lang))
    if report.sweeps:
        counts = ", ".join(
            f"{_n(n, lang)} {_label(SWEEP_LABELS, kind, lang)}" for kind, n in report.sweeps.items()
        )
        lines.extend(["", _word("sweeps", lang, counts=counts)])
    return "\n".join(lines) + "\n"


def _rows(report: AnnualReport, lang: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for p in report.processes:
        prefix = (report.year, p.name, p.label.text(lang))
        items: list[tuple[str, str, str, object]] = [
            ("cases", "", "", p.cases),
            ("linked", "", "", p.linked),
            ("closed", "", "", p.closed),
        ]
        items.extend(
            ("outcome", state, _label(p.state_labels, state, lang), count)
            for state, count in p.outcomes.items()
        )
        for kind, levels in p.subjects.items():
            kind_text = _label(SUBJECT_LABELS, kind, lang)
            items.extend(
                (
                    "subject",
                    f"{kind}/{level}",
                    f"{kind_text}, {_label(LEVEL_LABELS, level, lang)}",
                    n,
                )
                for level, n in levels.items()
            )
        items.extend(("measure", m, _measure_label(m, lang), n) for m, n in p.measures.items())
        items.extend(("deadline", k, _deadline_label(k, lang), n) for k, n in p.deadlines.items())
        items.append(("median_days", "", "", "" if p.median_days is None else p.median_days))
        rows.extend((*prefix, *item) for item in items)
    rows.extend(
        (report.year, "", "", "sweep", kind, _label(SWEEP_LABELS, kind, lang), n)
        for kind, n in report.sweeps.items()
    )
    return rows


def render_csv(report: AnnualReport, lang: str = "en") -> str:
    """The figures as CSV, one row per number, with a header of :data:`CSV_COLUMNS`."""
    lang = _check(lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_rows(report, lang))
    return out.getvalue()
