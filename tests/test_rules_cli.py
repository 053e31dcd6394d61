"""``discipline-flow rules``: output and exit codes, through ``discipline_flow.cli.main``."""

from __future__ import annotations

import json
import pathlib

import pytest

from discipline_flow import cli


@pytest.fixture(autouse=True)
def _only_the_rules_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # Other parts register their own subcommands; these tests exercise ``rules`` alone so that
    # a part still being built cannot break them.
    monkeypatch.setattr(cli, "_PARTS", ("rules",))


def test_lists_every_rule_of_the_newest_ruleset(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("ruleset 2026 (2026-04-11 on)")
    assert len(lines) == 1 + 116
    suspension = next(line for line in lines if line.startswith("suspension_period "))
    assert suspension.split() == ["suspension_period", "90", "days", "assumed", "QĐ", "21-QĐ/TW"]


def test_ruleset_by_name_and_status_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--ruleset", "2025", "--status", "secondary"]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    keys = [line.split()[0] for line in lines[1:]]
    assert keys == [
        "absent_member_still_considered",
        "advisory_bodies_do_not_inspect_on_signs",
        "anonymous_letter_used_for_inspection",
        "cell_decision_takes_effect",
        "cell_thematic_supervision_conditions",
        "complaint_not_accepted_grounds",
        "deferral_reasons",
        "denunciation_resolvers",
        "inspection_commission_from_grassroots_up",
        "member_heard_before_decision",
        "probationary_removal_vote_majority",
        "suspended_member_pays_dues",
    ]


def test_ruleset_by_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--on", "2025-06-30", "--status", "verified"]) == cli.EXIT_OK
    assert capsys.readouterr().out.startswith("ruleset 2025 (2025-05-30 to 2025-06-30)")


def test_no_rule_with_that_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--status", "overridden"]) == cli.EXIT_OK
    assert "(no rules with that status)" in capsys.readouterr().out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--ruleset", "2025-07", "--json"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"]["name"] == "2025-07"
    assert data["ruleset"]["effective_until"] == "2026-04-10"
    assert data["ruleset"]["has_district_level"] is False
    window = next(rule for rule in data["rules"] if rule["key"] == "complaint_window")
    assert window["value"] == "30 working days"
    assert window["status"] == "verified"
    assert window["citation"]["article"] == "Điều 39 khoản 7"
    assert [alt["value"] for alt in window["alternatives"]] == ["1 month", "30 days"]
    assert len(data["rules"]) == 116


def test_markdown_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--ruleset", "2021", "--markdown"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("## Ruleset 2021 (2021-07-28 to 2022-07-05)")
    assert "| Key | Value | Citation | Status | Alternatives |" in out
    assert "## Authority matrix of ruleset 2021" in out


def test_list_rulesets(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--list"]) == cli.EXIT_OK
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == ["2021", "2022", "2025", "2025-07", "2026"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["rules", "--ruleset", "2019"],
            "no ruleset named '2019'; rulesets: 2021, 2022, 2025, 2025-07, 2026",
        ),
        (["rules", "--status", "probable"], "unknown status 'probable'; statuses: verified"),
        (["rules", "--on", "30/5/2025"], "--on: '30/5/2025' is not a date; write it as YYYY-MM-DD"),
        (["rules", "--on", "2020-01-01"], "no ruleset is in force on 2020-01-01"),
    ],
)
def test_bad_input_exits_3(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == cli.EXIT_INPUT
    assert message in capsys.readouterr().err


def test_conflicting_options_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["rules", "--ruleset", "2025", "--on", "2025-06-01"])
    assert info.value.code == cli.EXIT_USAGE
    assert "not allowed with argument" in capsys.readouterr().err


_FILE = """name = "2027"
based_on = "2026"
effective_from = 2027-01-01
note = "fictitious"

[rules.limitation_period_reprimand]
value = "3 years"
document = "QĐ 999-QĐ/TW"
article = "Điều 4"
"""


def test_diff_2022_2026_prints_the_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "diff", "2022", "2026"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "ruleset 2022 (2022-07-06 to 2025-05-29) -> 2026 (2026-04-11 on)"
    at = lines.index("~ suspension_total_limit")
    # QĐ 22 Điều 31 khoản 1: 180 days in all; QĐ 21 (recalled, assumed: reference U.1): 90 days plus at most 30.
    assert lines[at + 1 : at + 4] == [
        "    value: 180 days -> 120 days",
        "    citation: QĐ 22-QĐ/TW Điều 31 khoản 1 -> QĐ 21-QĐ/TW",
        "    status: verified -> assumed",
    ]
    assert "authority cells: 0 added, 48 removed, 174 changed" in lines


def test_diff_markdown_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "diff", "2025", "2025-07", "--markdown"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("## Changes from ruleset 2025 to 2025-07")
    assert "| `probation_period` | changed | 12 months | QĐ 294-QĐ/TW điểm 4.2 |" in out
    assert cli.main(["rules", "diff", "2025", "2025-07", "--json"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert [r["key"] for r in data["rules"]] == [
        # QĐ 331-QĐ/TW of 18/6/2025: assumed for the 2025 span, verified from 2025-07
        "advisory_inspection_extension_share",
        "advisory_inspection_lookback",
        "advisory_inspection_period_above_grassroots",
        "advisory_inspection_period_central",
        "advisory_inspection_period_provincial",
        "probation_period",
        "probation_review_period",
        "thematic_supervision_period_district",
    ]
    assert len(data["authority"]) == 48


def test_a_user_file_is_listed_selected_and_diffed(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "2027.toml"
    path.write_text(_FILE, encoding="utf-8")
    assert cli.main(["rules", "--rules-dir", str(tmp_path), "--list"]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines][-2:] == ["2026", "2027"]
    assert lines[-2].split()[1:4] == ["2026-04-11", "to", "2026-12-31"]
    argv = ["rules", "--file", str(path), "--on", "2027-01-01", "--status", "overridden"]
    assert cli.main(argv) == cli.EXIT_OK
    assert capsys.readouterr().out.splitlines()[1].split() == [
        "limitation_period_reprimand",
        "3",
        "years",
        "overridden",
        "QĐ",
        "999-QĐ/TW",
        "Điều",
        "4",
    ]
    assert cli.main(["rules", "diff", "2026", str(path)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "rules: 0 added, 0 removed, 1 changed" in out
    assert "    value: 5 years -> 3 years" in out


def test_check_a_file(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "2027.toml"
    path.write_text(_FILE, encoding="utf-8")
    assert cli.main(["rules", "check", str(path)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert f"{path}: ruleset 2027 (2027-01-01 on) is valid: 116 rules (1 overridden)" in out
    assert "2026 (2026-04-11 to 2026-12-31), 2027 (2027-01-01 on)" in out
    assert cli.main(["rules", "check", str(path), "--json"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert (data["valid"], data["overridden"]) == (True, ["limitation_period_reprimand"])
    path.write_text(_FILE.replace('"3 years"', '"3 yrs"'), encoding="utf-8")
    assert cli.main(["rules", "check", str(path)]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert f"ruleset file {path}, line 7: rules.limitation_period_reprimand.value" in err
    # A file that starts inside a closed ruleset's span does not fit among the rulesets.
    path.write_text(_FILE.replace("2027-01-01", "2025-06-01"), encoding="utf-8")
    assert cli.main(["rules", "check", str(path)]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert f"ruleset file {path}, line 3: effective_from: in force from 2025-06-01" in err


def test_check_builds_the_workflows_from_the_file(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A list the workflows read holds a body that does not exist: the file is refused at the
    # line of the value, naming the rule and what is allowed.
    path = tmp_path / "local.toml"
    path.write_text(
        'name = "2027-local"\n'
        'based_on = "2026"\n'
        "effective_from = 2027-01-01\n"
        "[rules.complaint_final_levels]\n"
        'value = ["expulsion=politbureau"]\n'
        'document = "Provincial decision 7/2026"\n',
        encoding="utf-8",
    )
    assert cli.main(["rules", "check", str(path)]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert f"ruleset file {path}, line 5: rules.complaint_final_levels.value: " in err
    assert "'politbureau' is not a body" in err
    path.write_text(
        path.read_text(encoding="utf-8").replace("politbureau", "politburo"), encoding="utf-8"
    )
    assert cli.main(["rules", "check", str(path)]) == cli.EXIT_OK
    assert "workflows built" in capsys.readouterr().out
