"""The command line in the user's words (issue 15, item 9): JSON errors, one rule for instants,
messages that name what was typed, progress in logs."""

from __future__ import annotations

import io
import json

import pytest

from discipline_flow._cli_input import parse_day, parse_instant
from discipline_flow._progress import Progress
from discipline_flow.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from discipline_flow.errors import InputError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # usage errors exit, as argparse's do
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_json_command_answers_its_errors_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "due", "2025-02-30", "30 days", "--json")
    assert code == EXIT_INPUT
    error = json.loads(out)["error"]
    assert error == {
        "code": "input_error",
        "exit_code": EXIT_INPUT,
        "message": "START: 2025-02-30 is not a day: February 2025 has 28 days",
        "fields": {
            "argument": "START",
            "problem": "2025-02-30 is not a day: February 2025 has 28 days",
        },
    }
    assert err == f"discipline-flow: error: {error['message']}\n"  # a person reads stderr


def test_a_usage_error_with_json_is_json_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "2025-02-03", "--json")
    assert code == EXIT_USAGE
    error = json.loads(out)["error"]
    assert error["code"] == "usage"
    assert "PERIOD" in error["message"]


def test_without_json_errors_stay_off_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "due", "2025-02-30", "30 days")
    assert (code, out) == (EXIT_INPUT, "")
    assert err.count("\n") == 1


def test_an_instant_without_offset_is_local_time_on_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 10:00 in Hanoi (UTC+7) on Fri 25 April 2025; "1 day" after it (Civil Code 2015 art. 147:
    # the day of the event is not counted) is Sat 26 April 2025, a make-up working day.
    code, out, _ = run(capsys, "due", "2025-04-25T10:00", "1 day", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["start_on"] == "2025-04-25"
    assert data["due_on"] == "2025-04-26"
    assert "2025-04-25T10:00:00+07:00" in data["text"]
    assert parse_instant("2025-05-01T00:00", "--now").isoformat() == "2025-05-01T00:00:00+07:00"
    assert parse_instant("2025-05-01", "--now").isoformat() == "2025-05-01T00:00:00+07:00"
    assert parse_instant("2025-05-01T00:00+00:00", "--now").utcoffset() is not None
    assert parse_instant("2025-05-01T00:00", "--now", "UTC").isoformat() == (
        "2025-05-01T00:00:00+00:00"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-02-30", "2025-02-30 is not a day: February 2025 has 28 days"),
        ("2024-02-30", "2024-02-30 is not a day: February 2024 has 29 days"),
        ("2025-13-01", "2025-13-01 is not a day: there is no month 13"),
        ("30/5/2025", "'30/5/2025' is not a date; write it as YYYY-MM-DD"),
        ("", "'' is not a date; write it as YYYY-MM-DD"),
    ],
)
def test_a_day_that_does_not_exist_is_named(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_day(text, "DATE")
    assert info.value.argument == "DATE"


def test_a_period_past_the_calendar_says_so_in_the_users_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "due", "2025-02-03", "999999999 working days")
    assert code == EXIT_INPUT
    assert err == (
        "discipline-flow: error: the day 999,999,999 working days after 2025-02-03 is outside "
        "the calendar's range 1995-01-01 to 2099-12-31\n"
    )


def test_limitation_takes_removal_as_removal_from_post(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ("--subject", "member", "--violation-on", "2020-01-01", "--on", "2025-01-01", "--json")
    code, out, _ = run(capsys, "limitation", "--level", "removal", *args)
    assert code == EXIT_OK
    code, same, _ = run(capsys, "limitation", "--level", "removal_from_post", *args)
    assert code == EXIT_OK
    # QĐ 69-QĐ/TW Điều 4: 10 years for a removal-from-post-level violation by a member.
    assert json.loads(out)["expires_on"] == json.loads(same)["expires_on"] == "2030-01-01"


def test_progress_in_a_log_is_plain_lines_and_silent_for_short_phases() -> None:
    out = io.StringIO()
    bar = Progress("cases", total=10, stream=out)
    assert (bar.enabled, bar.redraws) == (True, False)
    bar.update(5)
    bar.close()
    assert out.getvalue() == ""  # done within seconds
    seconds = iter([100.0, 101.0, 111.0, 112.0])  # start, then each update's reading
    slow = Progress("cases", total=10, stream=out, clock=lambda: next(seconds))
    slow.update(1)  # 1 s in: the first plain line waits
    slow.update(4)  # 11 s in: a line
    slow.close()  # 12 s in: the last line
    lines = out.getvalue().splitlines()
    assert lines == ["cases: 4/10 (40%) in 11.0 s", "cases: 10/10 (100%) in 12.0 s"]
    quiet = Progress("cases", total=10, stream=out, enabled=False)
    quiet.update(10, force=True)
    quiet.close()
    assert out.getvalue().splitlines() == lines
