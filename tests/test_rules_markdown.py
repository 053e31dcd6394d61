"""Markdown tables of rules and of the authority matrix."""

from __future__ import annotations

import datetime as dt

from discipline_flow.rules import (
    authority_markdown,
    default_registry,
    rules_markdown,
    select_ruleset,
)


def test_rules_table_has_a_row_per_rule() -> None:
    ruleset = select_ruleset(dt.date(2025, 7, 1))
    lines = rules_markdown(ruleset).splitlines()
    assert lines[:2] == [
        "| Key | Value | Citation | Status | Alternatives |",
        "|---|---|---|---|---|",
    ]
    assert len(lines) == 2 + len(ruleset.rules)
    window = next(line for line in lines if line.startswith("| `complaint_window`"))
    assert window == (
        "| `complaint_window` | 30 working days | Điều lệ Đảng (2011) Điều 39 khoản 7 "
        "[P-dcs-428680; P-tvpl-1993A] | verified | 1 month (Điều lệ Đảng (2011) Điều 39 khoản 7, "
        "verified); 30 days (QĐ 296-QĐ/TW Điều 25 khoản 1, assumed) |"
    )


def test_pipes_in_values_are_escaped() -> None:
    ruleset = select_ruleset(dt.date(2025, 7, 1)).override(
        "cell_decision_takes_effect", "on_vote|announced", source="a|b", reason="test"
    )
    line = next(
        line
        for line in rules_markdown(ruleset).splitlines()
        if line.startswith("| `cell_decision_takes_effect`")
    )
    assert "on_vote\\|announced" in line
    assert "a\\|b" in line
    assert "| overridden |" in line


def test_authority_table_has_a_row_per_cell() -> None:
    for ruleset in default_registry():
        lines = authority_markdown(ruleset).splitlines()
        assert len(lines) == 2 + len(ruleset.authority)
    table = authority_markdown(default_registry().get("2022"))
    assert (
        "| district standing committee | full member | expulsion | decides |  | "
        "QĐ 22-QĐ/TW Điều 11 [P-luatduonggia-11; P-accgroup-11] | verified |"
    ) in table
    assert "same level: proposes; higher level: proposes" in table
