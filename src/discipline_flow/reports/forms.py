"""Tables shaped like the inspection sector's statistical forms, as CSV and JSON.

The Central Inspection Commission fixes the sector's statistics in a standard set of forms
(QĐ 885-QĐ/UBKTTW of 29/12/2022). Their structure is followed here: rows by acting level and by
subject (party organisations, party members, and "of which committee members"), columns by step
(inspected → with violations → must be disciplined → disciplined, and so on). Their exact
numbering is not: the reference this project works from recalls the forms' structure but not
their numbers, so each table has an id of its own (:data:`FORM_IDS`).

:func:`form_tables` builds one :class:`FormTable` per form family from an
:class:`~discipline_flow.reports.indicators.Indicators` value; :meth:`FormTable.to_csv` renders
one with headings in Vietnamese or English, :func:`forms_document` all of them as one JSON
document in both languages, and :func:`write_forms` writes the lot to a directory.

>>> from discipline_flow.reports.indicators import Count, Indicators
>>> from discipline_flow.reports.period import Period
>>> figures = Indicators(Period.parse("2023"), ("provincial", "grassroots"), {
...     "asset_verification.verified": {"provincial": Count(members=172)},
...     "asset_verification.escalated": {"provincial": Count(members=1)}})
>>> table = form_tables(figures)[-1]
>>> table.id, table.title("vi")
('asset_verification', 'Xác minh tài sản, thu nhập')
>>> print(table.to_csv("en"), end="")
Level,Subject,Verified,Passed to inspection
Provincial,Party organisations,0,0
Provincial,Party members,172,1
Provincial,of which committee members,0,0
Grassroots,Party organisations,0,0
Grassroots,Party members,0,0
Grassroots,of which committee members,0,0
Total,Party organisations,0,0
Total,Party members,172,1
Total,of which committee members,0,0
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from discipline_flow.reports._phrases import LEVEL_NAMES, SUBJECT_NAMES
from discipline_flow.reports.indicators import Count, Indicators, PlanFigures, levels_for
from discipline_flow.reports.numbers import check_language
from discipline_flow.workflow import Label

__all__ = [
    "FORMS_SCHEMA",
    "FORM_IDS",
    "Column",
    "FormTable",
    "form_tables",
    "forms_document",
    "write_forms",
]

#: The JSON document's schema name and version (``schema`` in :func:`forms_document`).
FORMS_SCHEMA = "discipline_flow.forms/1"

#: Rows' labels: the levels, the total, and the subjects.
_ROW_LABELS: Mapping[str, Label] = {
    **{key: Label(name.en.capitalize(), name.vi.capitalize()) for key, name in LEVEL_NAMES.items()},
    "total": Label("Total", "Tổng cộng"),
    **SUBJECT_NAMES,
}
_NOTE = Label(
    "Tables shaped like the statistical forms of QĐ 885-QĐ/UBKTTW (29/12/2022): they follow the "
    "forms' structure (rows by level and subject, columns by step), not their numbering, which is "
    "not verified.",
    "Các biểu theo cấu trúc của hệ thống biểu mẫu thống kê ban hành kèm theo Quyết định "
    "885-QĐ/UBKTTW (29/12/2022): theo cấu trúc (dòng theo cấp và đối tượng, cột theo bước), "
    "không theo số hiệu biểu mẫu (chưa được kiểm chứng).",
)


@attrs.frozen
class Column:
    """A column of a form: its key (the JSON field) and its heading in each language."""

    key: str
    heading_vi: str
    heading_en: str

    def heading(self, lang: str) -> str:
        """The heading in ``lang`` (``vi`` or ``en``)."""
        return self.heading_vi if check_language(lang) == "vi" else self.heading_en

    def to_dict(self) -> dict[str, str]:
        """A JSON-compatible dict."""
        return attrs.asdict(self)


_LEVEL = Column("level", "Cấp", "Level")
_SUBJECT = Column("subject", "Đối tượng", "Subject")


@attrs.frozen
class FormTable:
    """One form: a stable id, a title in each language, named columns and rows.

    Each row maps a column key to its cell; the ``level`` and ``subject`` cells hold keys
    (``provincial``, ``total``; ``members``), which :meth:`to_csv` writes as labels.
    """

    id: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, str | int], ...]

    def title(self, lang: str) -> str:
        """The title in ``lang`` (``vi`` or ``en``)."""
        return self.title_vi if check_language(lang) == "vi" else self.title_en

    def column(self, key: str) -> list[str | int]:
        """The cells of the column ``key``, row by row."""
        return [row[key] for row in self.rows]

    def to_csv(self, lang: str = "vi") -> str:
        """The table as CSV: a heading row in ``lang``, then the rows, labels in ``lang``."""
        check_language(lang)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([column.heading(lang) for column in self.columns])
        for row in self.rows:
            writer.writerow([_cell(row[column.key], column, lang) for column in self.columns])
        return out.getvalue()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict: id, titles, columns and rows (label cells as keys)."""
        return {
            "id": self.id,
            "title_vi": self.title_vi,
            "title_en": self.title_en,
            "columns": [column.to_dict() for column in self.columns],
            "rows": [dict(row) for row in self.rows],
        }


def _cell(value: str | int, column: Column, lang: str) -> str | int:
    if column in (_LEVEL, _SUBJECT) and isinstance(value, str):
        return _ROW_LABELS[value].text(lang)
    return value


#: A figure's source: an indicator key, or ``form:<measure>`` for the decisions of one form.
_Spec = tuple[str, str, str, str]  # column key, source, heading vi, heading en


def _count_of(figures: Indicators, source: str, level: str | None) -> Count:
    if source.startswith("form:"):
        levels = figures.discipline_by_form.get(source[5:], {})
        return sum(levels.values(), Count()) if level is None else levels.get(level, Count())
    if level is None:
        return figures.total(source)
    return figures.by_level(source).get(level, Count())


def _by_subject(
    figures: Indicators, form_id: str, titles: tuple[str, str], specs: Sequence[_Spec]
) -> FormTable:
    columns = (_LEVEL, _SUBJECT, *(Column(key, vi, en) for key, _, vi, en in specs))
    rows = []
    for level in (*levels_for(figures.period, figures.levels), "total"):
        counts = [
            _count_of(figures, source, None if level == "total" else level)
            for _, source, _, _ in specs
        ]
        for subject in ("organisations", "members", "committee_members"):
            row: dict[str, str | int] = {"level": level, "subject": subject}
            row.update(
                (key, getattr(count, subject))
                for (key, *_), count in zip(specs, counts, strict=True)
            )
            rows.append(row)
    return FormTable(form_id, titles[0], titles[1], columns, tuple(rows))


_PLAN_COLUMNS = (
    Column("plans", "Số chương trình, kế hoạch", "Plans"),
    Column("inspection_contents", "Nội dung kiểm tra", "Inspection contents"),
    Column("supervision_contents", "Nội dung giám sát", "Supervision contents"),
    Column("contents", "Tổng số nội dung", "Contents"),
    Column("teams", "Số đoàn theo kế hoạch", "Teams in the plans"),
    Column("organisations", "Tổ chức đảng được kiểm tra, giám sát", "Party organisations covered"),
    Column("members", "Đảng viên được kiểm tra, giám sát", "Party members covered"),
    Column("committee_members", "Trong đó: cấp ủy viên", "of which committee members"),
    Column("out_of_plan_teams", "Số đoàn ngoài kế hoạch", "Teams outside the plans"),
    Column(
        "out_of_plan_organisations",
        "Tổ chức đảng (ngoài kế hoạch)",
        "Party organisations (outside the plans)",
    ),
    Column(
        "out_of_plan_members", "Đảng viên (ngoài kế hoạch)", "Party members (outside the plans)"
    ),
    Column(
        "out_of_plan_committee_members",
        "Trong đó: cấp ủy viên (ngoài kế hoạch)",
        "of which committee members (outside the plans)",
    ),
    Column("contents_done", "Nội dung đã hoàn thành", "Contents completed"),
)


def _plan_row(level: str, plan: PlanFigures) -> dict[str, str | int]:
    return {
        "level": level,
        "plans": plan.plans,
        "inspection_contents": plan.inspection_contents,
        "supervision_contents": plan.supervision_contents,
        "contents": plan.contents,
        "teams": plan.teams,
        "organisations": plan.subjects.organisations,
        "members": plan.subjects.members,
        "committee_members": plan.subjects.committee_members,
        "out_of_plan_teams": plan.out_of_plan_teams,
        "out_of_plan_organisations": plan.out_of_plan_subjects.organisations,
        "out_of_plan_members": plan.out_of_plan_subjects.members,
        "out_of_plan_committee_members": plan.out_of_plan_subjects.committee_members,
        "contents_done": plan.contents_done,
    }


def _plans(figures: Indicators) -> FormTable:
    levels = levels_for(figures.period, figures.levels)
    rows = [_plan_row(level, figures.plans.get(level, PlanFigures())) for level in levels]
    rows.append(_plan_row("total", figures.plans_total()))
    return FormTable(
        "plans",
        "Chương trình, kế hoạch kiểm tra, giám sát",
        "Inspection and supervision plans",
        (_LEVEL, *_PLAN_COLUMNS),
        tuple(rows),
    )


#: The form families by subject: id, titles, then the columns (key, source, headings).
_FAMILIES: Sequence[tuple[str, tuple[str, str], Sequence[_Spec]]] = (
    (
        "regular_inspection",
        (
            "Kiểm tra của cấp ủy, tổ chức đảng theo Điều 30 Điều lệ Đảng",
            "Inspection by party committees and organisations (Article 30 of the Party Charter)",
        ),
        (
            ("inspected", "regular_inspection.inspected", "Đã kiểm tra", "Inspected"),
            (
                "with_shortcomings",
                "regular_inspection.with_shortcomings",
                "Có khuyết điểm, vi phạm",
                "With shortcomings or violations",
            ),
            (
                "must_be_disciplined",
                "regular_inspection.must_be_disciplined",
                "Phải thi hành kỷ luật",
                "Must be disciplined",
            ),
        ),
    ),
    (
        "supervision",
        ("Giám sát", "Supervision"),
        (
            (
                "regular",
                "supervision.regular.supervised",
                "Giám sát thường xuyên",
                "Regular supervision",
            ),
            (
                "thematic",
                "supervision.thematic.supervised",
                "Giám sát chuyên đề",
                "Thematic supervision",
            ),
            (
                "thematic_signs_found",
                "supervision.thematic.signs_found",
                "Giám sát chuyên đề: phát hiện dấu hiệu vi phạm",
                "Thematic supervision: signs of violation found",
            ),
            (
                "regular_signs_found",
                "supervision.regular.signs_found",
                "Giám sát thường xuyên: phát hiện dấu hiệu vi phạm",
                "Regular supervision: signs of violation found",
            ),
            (
                "passed_to_inspection",
                "supervision.passed_to_inspection",
                "Chuyển kiểm tra khi có dấu hiệu vi phạm",
                "Passed to inspection on signs of violation",
            ),
        ),
    ),
    (
        "inspection_on_signs",
        (
            "Kiểm tra tổ chức đảng, đảng viên khi có dấu hiệu vi phạm",
            "Inspection of party organisations and members on signs of violation",
        ),
        (
            ("inspected", "inspection_on_signs.inspected", "Đã kiểm tra", "Inspected"),
            (
                "with_violations",
                "inspection_on_signs.with_violations",
                "Có vi phạm",
                "With violations",
            ),
            (
                "must_be_disciplined",
                "inspection_on_signs.must_be_disciplined",
                "Phải thi hành kỷ luật",
                "Must be disciplined",
            ),
            (
                "disciplined",
                "inspection_on_signs.disciplined",
                "Đã thi hành kỷ luật",
                "Disciplined",
            ),
        ),
    ),
    (
        "lower_bodies_work",
        (
            "Kiểm tra thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật và kiểm tra tài chính đảng",
            "Inspection of lower bodies' inspection, supervision and discipline work and of party finances",
        ),
        (
            (
                "work_inspected",
                "discipline_work_inspection.inspected",
                "Kiểm tra thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật",
                "Inspection, supervision and discipline work inspected",
            ),
            (
                "work_with_shortcomings",
                "discipline_work_inspection.with_shortcomings",
                "Trong đó: có khuyết điểm, vi phạm",
                "of which with shortcomings or violations",
            ),
            (
                "finance_inspected",
                "finance_inspection.inspected",
                "Kiểm tra tài chính đảng",
                "Party finances inspected",
            ),
            (
                "finance_with_shortcomings",
                "finance_inspection.with_shortcomings",
                "Trong đó: có khuyết điểm, vi phạm (tài chính)",
                "of which with shortcomings or violations (finances)",
            ),
        ),
    ),
    (
        "discipline",
        (
            "Thi hành kỷ luật đảng; đình chỉ sinh hoạt, xóa tên, cho ra khỏi Đảng",
            "Party discipline; suspension, removal from the rolls, leaving the party",
        ),
        (
            ("disciplined", "discipline.disciplined", "Tổng số bị thi hành kỷ luật", "Disciplined"),
            ("reprimand", "form:reprimand", "Khiển trách", "Reprimand"),
            ("warning", "form:warning", "Cảnh cáo", "Warning"),
            ("removal_from_post", "form:removal_from_post", "Cách chức", "Removal from post"),
            ("expulsion", "form:expulsion", "Khai trừ", "Expulsion"),
            ("dissolution", "form:dissolution", "Giải tán", "Dissolution"),
            ("suspended", "discipline.suspended", "Đình chỉ sinh hoạt", "Party activity suspended"),
            (
                "removed_from_rolls",
                "discipline.removed_from_rolls",
                "Xóa tên",
                "Removed from the rolls",
            ),
            ("let_go", "discipline.let_go", "Cho ra khỏi Đảng", "Allowed to leave the party"),
        ),
    ),
    (
        "complaints",
        ("Giải quyết khiếu nại kỷ luật đảng", "Complaints about discipline"),
        (
            ("received", "complaints.received", "Tiếp nhận", "Received"),
            ("resolved", "complaints.resolved", "Đã giải quyết", "Resolved"),
            ("upheld", "complaints.upheld", "Giữ nguyên hình thức kỷ luật", "Decision upheld"),
            (
                "changed_heavier",
                "complaints.changed_heavier",
                "Tăng hình thức kỷ luật",
                "Changed to a heavier form",
            ),
            (
                "changed_lighter",
                "complaints.changed_lighter",
                "Giảm hình thức kỷ luật",
                "Changed to a lighter form",
            ),
            ("annulled", "complaints.annulled", "Xóa bỏ quyết định kỷ luật", "Decision annulled"),
        ),
    ),
    (
        "denunciations",
        ("Giải quyết tố cáo", "Denunciations"),
        (
            ("received", "denunciations.received", "Tiếp nhận", "Received"),
            ("resolved", "denunciations.resolved", "Đã giải quyết", "Resolved"),
            (
                "not_handled",
                "denunciations.not_handled",
                "Không xem xét, giải quyết",
                "Not handled",
            ),
            (
                "used_for_inspection",
                "denunciations.used_for_inspection",
                "Chuyển thành nguồn kiểm tra",
                "Used for an inspection",
            ),
        ),
    ),
    (
        "asset_verification",
        ("Xác minh tài sản, thu nhập", "Verification of assets and incomes"),
        (
            ("verified", "asset_verification.verified", "Đã xác minh", "Verified"),
            (
                "escalated",
                "asset_verification.escalated",
                "Chuyển kiểm tra",
                "Passed to inspection",
            ),
        ),
    ),
)

#: The tables' ids, in the order :func:`form_tables` gives them.
FORM_IDS: tuple[str, ...] = ("plans", *(family[0] for family in _FAMILIES))


def form_tables(figures: Indicators) -> tuple[FormTable, ...]:
    """One table per form family (see :data:`FORM_IDS`), levels as the period shows them
    (``district`` left out after 1 July 2025) and a total over every level."""
    return (
        _plans(figures),
        *(_by_subject(figures, form_id, titles, specs) for form_id, titles, specs in _FAMILIES),
    )


def forms_document(figures: Indicators) -> dict[str, Any]:
    """Every table as one JSON-compatible document, in both languages.

    Keys: ``schema`` (:data:`FORMS_SCHEMA`), ``period`` (label, kind, start, end and the period's
    names in Vietnamese and English), ``levels`` (those shown), ``note`` (what the tables follow
    and what is not verified, ``vi`` and ``en``), ``labels`` (each row key's label, ``vi`` and
    ``en``) and ``tables`` (:meth:`FormTable.to_dict` of each).
    """
    period = figures.period
    return {
        "schema": FORMS_SCHEMA,
        "period": {
            "label": period.label,
            "kind": period.kind.value,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label_vi": period.label_vi,
            "label_en": period.label_en,
        },
        "levels": list(levels_for(period, figures.levels)),
        "note": {"vi": _NOTE.vi, "en": _NOTE.en},
        "labels": {key: {"vi": label.vi, "en": label.en} for key, label in _ROW_LABELS.items()},
        "tables": [table.to_dict() for table in form_tables(figures)],
    }


def write_forms(figures: Indicators, directory: str | Path, *, lang: str = "vi") -> list[Path]:
    """Write each table as ``<id>.csv`` (headings and labels in ``lang``) and all of them as
    ``forms.json`` into ``directory`` (made if missing); the paths written, CSV files first."""
    check_language(lang)
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for table in form_tables(figures):
        path = target / f"{table.id}.csv"
        # UTF-8 with a byte order mark: spreadsheet programs (Excel above all) read a CSV file
        # without one in the system's legacy code page, which garbles Vietnamese diacritics.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            out.write(table.to_csv(lang))
        written.append(path)
    path = target / "forms.json"
    text = json.dumps(forms_document(figures), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    written.append(path)
    return written
