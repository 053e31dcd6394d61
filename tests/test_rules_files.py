"""Ruleset files: the shipped TOML files, user files based on them, and the errors of a bad file."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from discipline_flow import BodyKind, Level, Measure, Period
from discipline_flow.citation import RuleStatus
from discipline_flow.errors import RulesetFileError
from discipline_flow.rules import Ruleset, SubjectCategory, default_registry, load_rulesets
from discipline_flow.rules._file import builtin_names
from discipline_flow.rules.matrix import Permission


def test_the_shipped_files_are_the_built_in_rulesets() -> None:
    assert builtin_names() == ("2021", "2022", "2025", "2025-07", "2026")
    assert default_registry().names == builtin_names()
    assert [len(ruleset.rules) for ruleset in default_registry()] == [116] * 5


@pytest.mark.parametrize(
    ("ruleset", "key", "value", "status", "citation"),
    [
        # QĐ 69-QĐ/TW Điều 4: 5 years for a violation warranting a reprimand (from 6/7/2022).
        ("2022", "limitation_period_reprimand", "5 years", "verified", "QĐ 69-QĐ/TW Điều 4"),
        # Before QĐ 69, QĐ 102's value was not retrieved and QĐ 69's is assumed.
        ("2021", "limitation_period_warning", "10 years", "assumed", "QĐ 102-QĐ/TW"),
        # QĐ 21 (recalled, so assumed: reference Update 2026-12 U.1): 90 days and one extension of at most 30, so 120 days in all.
        ("2026", "suspension_total_limit", "120 days", "assumed", "QĐ 21-QĐ/TW"),
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
        ("2026", "decision_takes_effect", "on_signing", "assumed", "QĐ 21-QĐ/TW"),
        ("2026", "suspension_single_extension", "yes", "assumed", "QĐ 21-QĐ/TW"),
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
    # Charter Điều 39 khoản 7 'one month'; the QĐ 296 exam bank's '30 days' (one exam bank: assumed, reference U.1).
    assert [(str(a.value), a.citation.status.value) for a in window.alternatives] == [
        ("1 month", "verified"),
        ("30 days", "assumed"),
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


# --------------------------------------------------------------------------- user files

_2027 = """
name = "2027"
based_on = "2026"
effective_from = 2027-01-01
note = "a fictitious regulation"

[rules.limitation_period_reprimand]
value = "3 years"
document = "QĐ 999-QĐ/TW"
article = "Điều 4"
source = "fictitious"
source_note = "for the test"
note = "shortened"

[rules.province_report_period]
label_en = "Report to the provincial commission"
label_vi = "Báo cáo Ủy ban Kiểm tra Tỉnh ủy"
value = "10 working days"
document = "QĐ 999-QĐ/TW"
status = "secondary"

[authority]
cells = [
  { body = "party_cell", subject = "full_member", permissions = "NAPP-", citation = "mine", rule = "mine" },
  { body = "party_cell", subject = "organisation", permissions = "NN---", citation = "mine", rule = "mine" },
]
[authority.rules]
mine = "a cell only warns"
[authority.citations.mine]
document = "QĐ 999-QĐ/TW"
article = "Điều 11"
status = "verified"
"""


def test_a_file_based_on_a_built_in_ruleset_overrides_only_what_it_lists() -> None:
    base = default_registry().get("2026")
    mine = Ruleset.from_toml(_2027, path="2027.toml")
    assert (mine.name, mine.span, mine.has_district_level) == ("2027", "2027-01-01 on", False)
    rule = mine.rule("limitation_period_reprimand")
    assert (rule.value_text, rule.status, str(rule.citation)) == (
        "3 years",
        RuleStatus.OVERRIDDEN,
        "QĐ 999-QĐ/TW Điều 4 (overridden)",
    )
    assert (rule.citation.source, rule.citation.note, rule.note) == (
        "fictitious",
        "for the test",
        "shortened",
    )
    assert rule.overridden_from == base.rule("limitation_period_reprimand")
    assert rule.label_en == base.rule("limitation_period_reprimand").label_en
    # A key the base lacks is a new rule with its own status; the rest is the base's.
    assert mine.rule("province_report_period").status is RuleStatus.SECONDARY
    assert len(mine.rules) == 117  # the 116 rules of 2026 and the new one
    assert mine.rule("limitation_period_warning") == base.rule("limitation_period_warning")
    assert [r.key for r in mine.overridden] == ["limitation_period_reprimand"]
    # A replaced cell is marked overridden; a new cell keeps its status; the others are kept.
    warning = mine.authority_cell(
        BodyKind.PARTY_CELL, None, SubjectCategory.FULL_MEMBER, Measure.REPRIMAND
    )
    assert warning is not None
    assert (warning.permission, warning.citation.status) == (
        Permission.NOT_ALLOWED,
        RuleStatus.OVERRIDDEN,
    )
    new_cell = mine.authority_cell(
        BodyKind.PARTY_CELL, None, SubjectCategory.ORGANISATION, Measure.WARNING
    )
    assert new_cell is not None
    assert new_cell.citation.status is RuleStatus.VERIFIED
    assert len(mine.authority) == len(base.authority) + 2
    assert mine.documents == base.documents


def test_a_user_file_is_selected_by_date_across_built_in_and_user_rulesets(
    tmp_path: pathlib.Path,
) -> None:
    (tmp_path / "2027.toml").write_text(_2027, encoding="utf-8")
    registry = default_registry().with_files(tmp_path)
    assert registry.names == ("2021", "2022", "2025", "2025-07", "2026", "2027")
    # The open-ended 2026 now ends the day before 2027 starts.
    assert registry.get("2026").effective_until == dt.date(2026, 12, 31)
    assert registry.select(dt.date(2026, 12, 31)).name == "2026"
    assert registry.select(dt.date(2027, 1, 1)).name == "2027"
    assert default_registry().get("2026").effective_until is None  # the built-in is unchanged


def test_files_based_on_each_other_load_in_order(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.toml").write_text(
        'name = "2028"\nbased_on = "2027"\neffective_from = 2028-01-01\n'
        '[rules.suspension_period]\nvalue = "60 days"\ndocument = "QĐ 1000"\n',
        encoding="utf-8",
    )
    (tmp_path / "b.toml").write_text(_2027, encoding="utf-8")
    loaded = load_rulesets(tmp_path)
    assert [r.name for r in loaded] == ["2027", "2028"]
    later = loaded[1]
    assert later.period("limitation_period_reprimand") == Period.parse("3 years")
    assert later.rule("suspension_period").overridden_from == default_registry().get("2026").rule(
        "suspension_period"
    )


def test_a_local_ruleset_may_replace_the_built_in_of_its_name(tmp_path: pathlib.Path) -> None:
    (tmp_path / "local.toml").write_text(
        'name = "2026"\nbased_on = "2026"\n'
        '[rules.complaint_window]\nvalue = "45 days"\ndocument = "HD 12-HD/TU"\n',
        encoding="utf-8",
    )
    registry = default_registry().with_files(tmp_path / "local.toml")
    assert registry.names == default_registry().names
    assert str(registry.select(dt.date(2026, 5, 4)).period("complaint_window")) == "45 days"


def _error(text: str) -> RulesetFileError:
    with pytest.raises(RulesetFileError) as info:
        Ruleset.from_toml(text, path="x.toml")
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "key", "problem"),
    [
        ('name = "x"\nbased_on = 2026\n', 2, "based_on", "expected non-empty text, got int"),
        (
            'name = "x"\neffective_from = 2027-01-01\n',
            None,
            "has_district_level",
            "missing; write true or false",
        ),
        (
            'name = "x"\nbased_on = "2026"\nhas_district = true\n',
            3,
            "has_district",
            "unknown key; keys: authority, based_on, documents",
        ),
        (
            (
                'name = "x"\nbased_on = "2026"\n\n[rules.complaint_window]\nvalue = 30\n'
                'document = "D"\n'
            ),
            5,
            "rules.complaint_window.value",
            "expected a period (like '30 working days'); got int 30",
        ),
        (
            (
                'name = "x"\nbased_on = "2026"\n[rules.my_rule]\nlabel_en = "a"\nlabel_vi = "b"\n'
                'value = "thirty days"\ndocument = "D"\nstatus = "verified"\n'
            ),
            6,
            "rules.my_rule.value",
            "cannot tell the kind of 'thirty days'",
        ),
        (
            (
                'name = "x"\nbased_on = "2026"\n[rules.my_rule]\nlabel_en = "a"\nlabel_vi = "b"\n'
                'value = "5 days"\ndocument = "D"\nstatus = "sure"\n'
            ),
            8,
            "rules.my_rule.status",
            "'sure' is not allowed here; statuses: verified, secondary, assumed",
        ),
        (
            (
                'name = "x"\nbased_on = "2026"\n[rules.my_rule]\nvalue = "5 days"\n'
                'document = "D"\nstatus = "verified"\n'
            ),
            3,
            "rules.my_rule.label_en",
            "missing; write it as text",
        ),
        (
            (
                'name = "x"\nbased_on = "2026"\n[authority]\ncells = [\n'
                '  { body = "party_cell", subject = "full_member", permissions = "AAP", '
                'citation = "c", rule = "r" },\n]\n'
            ),
            5,
            "authority.cells[0].permissions",
            "expected 5 letters, one per measure",
        ),
        (
            (
                'name = "x"\nbased_on = "2026"\n[authority]\ncells = [\n'
                '  { body = "committee", subject = "full_member", permissions = "AAAA-", '
                'citation = "c", rule = "r" },\n]\n[authority.rules]\nr = "text"\n'
                '[authority.citations.c]\ndocument = "D"\nstatus = "verified"\n'
            ),
            5,
            "authority.cells[0].level",
            "this kind of body needs a body level",
        ),
        (
            (
                'name = "x"\nbased_on = "2026"\n[authority]\ncells = [\n'
                '  { body = "party_cell", subject = "full_member", permissions = "AAAA-", '
                'citation = "c", rule = "r" },\n]\n'
            ),
            5,
            "authority.cells[0].citation",
            "'c' is not a name in [authority.citations]",
        ),
        ('name = "x"\nbased_on = "1999"\n', 2, "based_on", "no ruleset named '1999' to extend"),
        (
            (
                'name = "x"\neffective_from = 2027-01-01\neffective_until = 2026-01-01\n'
                "has_district_level = false\n"
            ),
            3,
            "effective_until",
            "2026-01-01 is before effective_from 2027-01-01",
        ),
        ('name = "x"\nnote = "unclosed\n', 2, "(syntax)", "not valid TOML"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line_key_and_what_is_allowed(
    text: str, line: int | None, key: str, problem: str
) -> None:
    error = _error(text)
    assert (error.path, error.line, error.argument) == ("x.toml", line, key)
    assert problem in error.problem
    assert str(error).startswith(f"ruleset file x.toml{'' if line is None else f', line {line}'}")
    assert isinstance(error, ValueError)


def test_files_that_extend_each_other_in_a_circle_are_refused(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.toml").write_text('name = "a"\nbased_on = "b"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('name = "b"\nbased_on = "a"\n', encoding="utf-8")
    with pytest.raises(RulesetFileError, match="extend each other in a circle"):
        load_rulesets(tmp_path)
    with pytest.raises(RulesetFileError, match="no such file or folder"):
        load_rulesets(tmp_path / "missing")
    (tmp_path / "b.toml").write_text('name = "a"\nbased_on = "2026"\n', encoding="utf-8")
    with pytest.raises(RulesetFileError, match="'a' is also the name in"):
        load_rulesets(tmp_path)
