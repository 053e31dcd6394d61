"""``discipline-flow rules``: output and exit codes, through ``discipline_flow.cli.main``."""

from __future__ import annotations

import json

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
    assert len(lines) == 1 + 50
    suspension = next(line for line in lines if line.startswith("suspension_period "))
    assert suspension.split() == ["suspension_period", "90", "days", "assumed", "QĐ", "21-QĐ/TW"]


def test_ruleset_by_name_and_status_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--ruleset", "2025", "--status", "secondary"]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    keys = [line.split()[0] for line in lines[1:]]
    assert keys == [
        "cell_decision_takes_effect",
        "complaint_not_accepted_grounds",
        "deferral_reasons",
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
    assert len(data["rules"]) == 50


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
