"""The ``calendar``, ``due`` and ``limitation`` subcommands: output, JSON and exit codes."""

from __future__ import annotations

import json

import pytest

from discipline_flow.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_calendar_swapped_day_off(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "2026-01-02")
    assert code == EXIT_OK
    assert out.splitlines()[0] == (
        "Fri 2026-01-02 is not a working day (official table as of 2026-12-01)."
    )
    assert "Công văn 12729/VPCP-KGVX (25/12/2025), verified" in out


def test_calendar_make_up_saturday_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "2025-04-26", "--lang", "vi")
    assert code == EXIT_OK
    assert out.startswith("Thứ Bảy 26/04/2025 là ngày làm việc")
    assert "Làm bù cho thứ Sáu 02/05/2025" in out


def test_calendar_json_of_an_estimated_day(capsys: pytest.CaptureFixture[str]) -> None:
    # 1/1/2028 is a Saturday: Monday 3/1 off by the statutory rule, no notice yet for 2028.
    code, out, _ = run(capsys, "calendar", "2028-01-03", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["is_working_day"] is False
    assert data["is_estimated"] is True
    assert data["reasons"][0]["kind"] == "compensatory_day_off"
    assert "Estimated" in data["text"]


def test_calendar_of_2027_is_official(capsys: pytest.CaptureFixture[str]) -> None:
    # Reference Update 2026-12 U.4: 1/5/2027 is a Saturday, so Monday 3/5 is the compensatory day
    # (derived from the Labour Code, not announced: assumed); Tết 4-10/2 (Công văn 10065).
    code, out, _ = run(capsys, "calendar", "2027-05-03")
    assert code == EXIT_OK
    assert out == (
        "Mon 2027-05-03 is not a working day (official table as of 2026-12-01).\n"
        "- Compensatory day off for International Labour Day (Bộ luật Lao động 2019 Điều 111 "
        "khoản 3, assumed)\n"
    )
    code, out, _ = run(capsys, "calendar", "2027-02-08", "--json")
    data = json.loads(out)
    assert (data["is_working_day"], data["is_estimated"]) == (False, False)
    assert data["reasons"][0]["citation"] == "Công văn 10065/VPCP-KGVX (02/10/2026) (secondary)"


def test_calendar_ordinary_working_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "2025-03-12")
    assert code == EXIT_OK
    assert out == "Wed 2025-03-12 is a working day (official table as of 2026-12-01).\n"


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        pytest.param(("calendar", "12/03/2025"), EXIT_INPUT, "is not a date", id="bad date"),
        pytest.param(
            ("calendar", "2101-01-01"), EXIT_INPUT, "outside the calendar's range", id="range"
        ),
        pytest.param(
            ("due", "2025-01-01", "3 fortnights"), EXIT_INPUT, "invalid period", id="unit"
        ),
        pytest.param(("due", "2025-01-01", "-3 days"), EXIT_INPUT, "zero or more", id="negative"),
        pytest.param(
            ("due", "2025-02-30", "1 day"),
            EXIT_INPUT,
            "START: 2025-02-30 is not a day: February 2025 has 28 days",
            id="no-such-day",
        ),
        pytest.param(
            (
                "limitation",
                "--level",
                "dissolution",
                "--subject",
                "member",
                "--violation-on",
                "2015-01-01",
                "--on",
                "2020-01-01",
            ),
            EXIT_INPUT,
            "does not apply to a member",
            id="level for subject",
        ),
    ],
)
def test_errors_are_one_line_and_an_exit_code(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], code: int, fragment: str
) -> None:
    got, out, err = run(capsys, *argv)
    assert got == code
    assert out == ""
    assert err.startswith("discipline-flow: error: ")
    assert fragment in err
    assert err.count("\n") == 1


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["limitation", "--level", "censure", "--subject", "member"])
    assert info.value.code == EXIT_USAGE
    assert "invalid choice: 'censure'" in capsys.readouterr().err


def test_due_text_with_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "2025-03-31", "1 month")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0] == "Due on Mon 2025-05-05 (ends before 2025-05-06T00:00:00+07:00)."
    assert any("Reunification Day" in line for line in lines)
    assert lines[-1].startswith("- Due: Mon 2025-05-05")


def test_due_without_roll_forward(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "2025-03-31", "1 month", "--no-roll", "--lang", "vi")
    assert code == EXIT_OK
    assert out.startswith("Hạn: Thứ Tư 30/04/2025")


def test_due_json_from_an_instant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "2025-04-29T18:30:00+00:00", "15 working days", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["start_on"] == "2025-04-30"
    assert data["due_on"] == "2025-05-23"
    assert data["due_at"] == "2025-05-24T00:00:00+07:00"
    assert data["is_estimated"] is False
    assert data["explanation"][0]["kind"] == "start"
    assert data["explanation"][-1]["kind"] == "due"


def test_due_in_another_timezone(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "2025-03-03", "1 day", "--timezone", "UTC", "--json")
    assert code == EXIT_OK
    assert json.loads(out)["due_at"] == "2025-03-05T00:00:00+00:00"


def test_limitation_with_restart_and_deferral(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "limitation",
        "--level", "warning",
        "--subject", "member",
        "--violation-on", "2015-03-10",
        "--new-violation-on", "2020-01-01",
        "--deferral", "2021-01-01", "2021-06-30",
        "--on", "2030-01-01",
        "--json",
    )  # fmt: skip
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["time_barred"] is False
    assert data["expires_on"] == "2030-07-01"
    assert "restarted by the new violation on 2020-01-01" in data["reason"]


def test_limitation_time_barred_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "limitation",
        "--level", "reprimand",
        "--subject", "organisation",
        "--violation-on", "2016-01-01",
        "--ended-on", "2019-12-31",
        "--on", "2025-01-01",
    )  # fmt: skip
    assert code == EXIT_OK
    assert out.startswith("Time-barred: yes; expires on: 2024-12-31.")


def test_limitation_without_limit_has_null_expiry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "limitation",
        "--level", "expulsion",
        "--subject", "member",
        "--violation-on", "1990-05-01",
        "--on", "2025-01-01",
        "--json",
    )  # fmt: skip
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["expires_on"] is None
    assert data["time_barred"] is False


def test_limitation_exempt_category_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "limitation",
        "--level", "reprimand",
        "--subject", "member",
        "--category", "internal_politics",
        "--violation-on", "1990-05-01",
        "--on", "2025-01-01",
        "--lang", "vi",
    )  # fmt: skip
    assert code == EXIT_OK
    assert out.startswith("Hết thời hiệu: không; thời hiệu kết thúc: không có thời hiệu.")
    assert "chính trị nội bộ" in out
