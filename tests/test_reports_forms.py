"""The tables shaped like the statistical forms: figures worked out by hand (see
``report_figures``), CSV read back with the csv module, the JSON document's shape, the levels."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from discipline_flow.errors import InputError
from discipline_flow.reports import (
    FORM_IDS,
    FORMS_SCHEMA,
    FormTable,
    form_tables,
    forms_document,
    write_forms,
)
from report_figures import by_district, year_2023

SUBJECTS = ("organisations", "members", "committee_members")


def _table(form_id: str, tables: tuple[FormTable, ...]) -> FormTable:
    return next(table for table in tables if table.id == form_id)


def _cells(table: FormTable, level: str, subject: str | None = None) -> dict[str, Any]:
    """The row of ``level`` (and ``subject``) without its label cells."""
    for row in table.rows:
        if row["level"] == level and row.get("subject") == subject:
            return {k: v for k, v in row.items() if k not in ("level", "subject")}
    raise AssertionError(f"no row {level}/{subject} in {table.id}")


def test_one_table_per_form_family_in_a_stable_order() -> None:
    tables = form_tables(year_2023())
    assert (
        tuple(table.id for table in tables)
        == FORM_IDS
        == (
            "plans",
            "regular_inspection",
            "supervision",
            "inspection_on_signs",
            "lower_bodies_work",
            "discipline",
            "complaints",
            "denunciations",
            "asset_verification",
        )
    )
    for table in tables:
        keys = [column.key for column in table.columns]
        assert len(keys) == len(set(keys)), table.id
        assert all(column.heading_vi and column.heading_en for column in table.columns)
        assert all(set(row) == set(keys) for row in table.rows), table.id


def test_inspection_on_signs_rows_by_level_and_subject() -> None:
    table = _table("inspection_on_signs", form_tables(year_2023()))
    assert [c.key for c in table.columns] == [
        "level",
        "subject",
        "inspected",
        "with_violations",
        "must_be_disciplined",
        "disciplined",
    ]
    # Four levels of 2023 and the total, three subject rows each.
    assert len(table.rows) == 5 * 3
    assert [row["level"] for row in table.rows][::3] == [
        "central",
        "provincial",
        "district",
        "grassroots",
        "total",
    ]
    assert _cells(table, "provincial", "members") == {
        "inspected": 6,
        "with_violations": 5,
        "must_be_disciplined": 3,
        "disciplined": 3,
    }
    assert _cells(table, "provincial", "committee_members")["inspected"] == 3
    # Totals worked by hand: 2 organisations, 26 members (6 + 20), 3 committee members.
    assert _cells(table, "total", "organisations") == {
        "inspected": 2,
        "with_violations": 2,
        "must_be_disciplined": 1,
        "disciplined": 1,
    }
    assert _cells(table, "total", "members") == {
        "inspected": 26,
        "with_violations": 24,
        "must_be_disciplined": 15,
        "disciplined": 13,
    }
    assert set(_cells(table, "central", "members").values()) == {0}


def test_discipline_by_form_and_level_with_suspension_apart() -> None:
    table = _table("discipline", form_tables(year_2023()))
    total = _cells(table, "total", "members")
    # 96 + 33 + 4 + 12 = 145, the members disciplined.
    assert total == {
        "disciplined": 145,
        "reprimand": 96,
        "warning": 33,
        "removal_from_post": 4,
        "expulsion": 12,
        "dissolution": 0,
        "suspended": 10,
        "removed_from_rolls": 14,
        "let_go": 7,
    }
    assert (
        sum(total[form] for form in ("reprimand", "warning", "removal_from_post", "expulsion"))
        == (total["disciplined"])
    )
    assert _cells(table, "grassroots", "organisations")["reprimand"] == 1
    assert _cells(table, "provincial", "members")["warning"] == 8
    assert _cells(table, "total", "committee_members")["disciplined"] == 9


def test_plans_by_level_and_total() -> None:
    table = _table("plans", form_tables(year_2023()))
    assert "subject" not in [c.key for c in table.columns]
    assert _cells(table, "total") == {
        "plans": 41,
        "inspection_contents": 44,
        "supervision_contents": 51,
        "contents": 95,
        "teams": 87,
        "organisations": 107,
        "members": 90,
        "committee_members": 0,
        "out_of_plan_teams": 6,
        "out_of_plan_organisations": 1,
        "out_of_plan_members": 5,
        "out_of_plan_committee_members": 0,
        "contents_done": 93,
    }
    assert _cells(table, "provincial")["contents"] == 12
    assert _cells(table, "central")["contents"] == 0


def test_csv_files_read_back_with_the_csv_module(tmp_path: Path) -> None:
    paths = write_forms(year_2023(), tmp_path / "forms")
    assert [p.name for p in paths] == [f"{form_id}.csv" for form_id in FORM_IDS] + ["forms.json"]
    path = tmp_path / "forms" / "supervision.csv"
    # UTF-8 with a byte order mark, for spreadsheet programs.
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    assert rows[0] == [
        "Cấp",
        "Đối tượng",
        "Giám sát thường xuyên",
        "Giám sát chuyên đề",
        "Giám sát chuyên đề: phát hiện dấu hiệu vi phạm",
        "Giám sát thường xuyên: phát hiện dấu hiệu vi phạm",
        "Chuyển kiểm tra khi có dấu hiệu vi phạm",
    ]
    by_label = {(row[0], row[1]): row[2:] for row in rows[1:]}
    # 7,002 and 76,008 regular; 898 and 592 thematic (sums in report_figures).
    assert by_label[("Tổng cộng", "Tổ chức đảng")] == ["7002", "898", "1", "0", "1"]
    assert by_label[("Tổng cộng", "Đảng viên")] == ["76008", "592", "9", "0", "7"]
    assert by_label[("Tổng cộng", "Trong đó: cấp ủy viên")] == ["0", "5", "0", "0", "0"]
    assert by_label[("Cấp huyện", "Đảng viên")] == ["6000", "180", "0", "0", "0"]
    assert len(rows) == 1 + 5 * 3


def test_csv_headings_and_labels_in_english(tmp_path: Path) -> None:
    write_forms(year_2023(), tmp_path, lang="en")
    with (tmp_path / "complaints.csv").open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source))
    assert list(rows[0]) == [
        "Level",
        "Subject",
        "Received",
        "Resolved",
        "Decision upheld",
        "Changed to a heavier form",
        "Changed to a lighter form",
        "Decision annulled",
    ]
    provincial = next(
        r for r in rows if r["Level"] == "Provincial" and r["Subject"] == "Party members"
    )
    assert provincial["Received"] == "5"
    assert provincial["Decision upheld"] == "2"
    assert provincial["Changed to a heavier form"] == "0"
    with pytest.raises(InputError, match="lang: expected one of vi, en"):
        write_forms(year_2023(), tmp_path, lang="fr")


def test_the_json_document_shape(tmp_path: Path) -> None:
    write_forms(year_2023(), tmp_path)
    document = json.loads((tmp_path / "forms.json").read_text(encoding="utf-8"))
    assert document == forms_document(year_2023())
    assert set(document) == {"schema", "period", "levels", "note", "labels", "tables"}
    assert document["schema"] == FORMS_SCHEMA
    assert document["period"] == {
        "label": "2023",
        "kind": "year",
        "start": "2023-01-01T00:00:00+07:00",
        "end": "2024-01-01T00:00:00+07:00",
        "label_vi": "năm 2023",
        "label_en": "2023",
    }
    assert document["levels"] == ["central", "provincial", "district", "grassroots"]
    assert "not verified" in document["note"]["en"]
    assert "chưa được kiểm chứng" in document["note"]["vi"]
    assert [table["id"] for table in document["tables"]] == list(FORM_IDS)
    for table in document["tables"]:
        assert set(table) == {"id", "title_vi", "title_en", "columns", "rows"}
        keys = [column["key"] for column in table["columns"]]
        for column in table["columns"]:
            assert set(column) == {"key", "heading_vi", "heading_en"}
        for row in table["rows"]:
            assert list(row) == keys
            assert row["level"] in document["labels"]
            if "subject" in row:
                assert row["subject"] in SUBJECTS
                assert row["subject"] in document["labels"]
            assert all(isinstance(row[key], int) for key in keys[2 if "subject" in row else 1 :])
    signs = next(t for t in document["tables"] if t["id"] == "inspection_on_signs")
    total_members = next(
        r for r in signs["rows"] if r["level"] == "total" and r["subject"] == "members"
    )
    assert total_members["inspected"] == 26


def test_district_in_the_forms_only_before_july_2025() -> None:
    before = forms_document(by_district("2025-H1"))
    assert before["levels"] == ["central", "provincial", "district", "grassroots"]
    after = forms_document(by_district("2025-H2"))
    assert after["levels"] == ["central", "provincial", "grassroots"]
    for table in after["tables"]:
        assert "district" not in {row["level"] for row in table["rows"]}, table["id"]
    signs = _table("inspection_on_signs", form_tables(by_district("2025-H2")))
    # The total still counts every level's figures: 4 + 3 members.
    assert _cells(signs, "total", "members")["inspected"] == 7
    assert "Cấp huyện" not in signs.to_csv("vi")
    assert (
        "Cấp huyện" in _table("inspection_on_signs", form_tables(by_district("2025-H1"))).to_csv()
    )
