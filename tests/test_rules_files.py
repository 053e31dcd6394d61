"""Ruleset files: the shipped TOML files, user files based on them, and the errors of a bad file."""

from __future__ import annotations

import datetime as dt

import pytest

from discipline_flow import BodyKind, Level, Measure
from discipline_flow.citation import RuleStatus
from discipline_flow.rules import SubjectCategory, default_registry
from discipline_flow.rules._file import builtin_names
from discipline_flow.rules.matrix import Permission


def test_the_shipped_files_are_the_built_in_rulesets() -> None:
    assert builtin_names() == ("2021", "2022", "2025", "2025-07", "2026")
    assert default_registry().names == builtin_names()
    assert [len(ruleset.rules) for ruleset in default_registry()] == [50] * 5


@pytest.mark.parametrize(
    ("ruleset", "key", "value", "status", "citation"),
    [
        # QĐ 69-QĐ/TW Điều 4: 5 years for a violation warranting a reprimand (from 6/7/2022).
        ("2022", "limitation_period_reprimand", "5 years", "verified", "QĐ 69-QĐ/TW Điều 4"),
        # Before QĐ 69, QĐ 102's value was not retrieved and QĐ 69's is assumed.
        ("2021", "limitation_period_warning", "10 years", "assumed", "QĐ 102-QĐ/TW"),
        # QĐ 21 (secondary): 90 days and one extension of at most 30, so 120 days in all.
        ("2026", "suspension_total_limit", "120 days", "secondary", "QĐ 21-QĐ/TW"),
        # QĐ 22 Điều 31 khoản 1: at most 180 days in all.
        ("2022", "suspension_total_limit", "180 days", "verified", "QĐ 22-QĐ/TW Điều 31 khoản 1"),
        # More than half (QĐ 22 Điều 15 khoản 3.1); carried as assumed into QĐ 296.
        ("2025", "discipline_vote_majority", "1/2", "assumed", "QĐ 22-QĐ/TW Điều 15 khoản 3.1"),
        (
            "2025-07",
            "invitations_before_cell_proceeds",
            "3",
            "assumed",
            "HD 01-HD/TW (2021) điểm 11.1",
        ),
        ("2026", "decision_takes_effect", "on_signing", "secondary", "QĐ 21-QĐ/TW"),
        ("2026", "suspension_single_extension", "yes", "secondary", "QĐ 21-QĐ/TW"),
    ],
)
def test_values_read_from_the_files_match_the_reference(
    ruleset: str, key: str, value: str, status: str, citation: str
) -> None:
    rule = default_registry().get(ruleset).rule(key)
    assert (rule.value_text, rule.status.value, rule.citation.reference) == (
        value,
        status,
        citation,
    )


def test_alternatives_and_lists_are_read() -> None:
    window = default_registry().get("2025").rule("complaint_window")
    # Charter Điều 39 khoản 7 'one month'; the QĐ 296 exam bank's '30 days' (secondary).
    assert [(str(a.value), a.citation.status.value) for a in window.alternatives] == [
        ("1 month", "verified"),
        ("30 days", "secondary"),
    ]
    assert default_registry().get("2021").texts("probationary_member_measures") == (
        "reprimand",
        "warning",
    )


def test_authority_cells_are_read_from_the_compact_rows() -> None:
    rules_2022, rules_2026 = default_registry().get("2022"), default_registry().get("2026")
    # QĐ 22 Điều 11: the district standing committee removes from post members of a grassroots
    # party cell on the cell's proposal (row "--AA-").
    cell = rules_2022.authority_cell(
        BodyKind.STANDING_COMMITTEE,
        Level.DISTRICT,
        SubjectCategory.FULL_MEMBER,
        Measure.REMOVAL_FROM_POST,
    )
    assert cell is not None
    assert cell.permission is Permission.ALLOWED
    assert (cell.citation.reference, cell.citation.status) == (
        "QĐ 22-QĐ/TW Điều 11",
        RuleStatus.VERIFIED,
    )
    # No district level from 1/7/2025 (QĐ 294): no district cell in 2026.
    assert not [c for c in rules_2026.authority if c.body_level is Level.DISTRICT]
    # A party cell warns a full member, but only proposes for a task assigned by a higher level.
    cell = rules_2026.authority_cell(
        BodyKind.PARTY_CELL, None, SubjectCategory.FULL_MEMBER, Measure.WARNING
    )
    assert cell is not None
    assert (cell.permission, cell.higher_task) == (Permission.ALLOWED, Permission.PROPOSAL_ONLY)
    assert cell.higher_task_citation is not None
    assert cell.higher_task_citation.article == "Điều 10 mục 1.4"
    assert rules_2026.effective_from == dt.date(2026, 4, 11)
