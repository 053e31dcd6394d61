"""Every script in examples/ runs and prints what its docstring promises."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = sorted((pathlib.Path(__file__).parent.parent / "examples").glob("*.py"))

EXPECTED = {
    "city_plan.py": [
        # Worked out by hand in tests/test_planning.py (MID_YEAR, CLOSED).
        "at 2023-06-30: 12 contents, 8 done, 0 in progress, 4 not started; 2 outside the plan",
        "at 2023-12-29: 12 contents, 12 done, 0 in progress, 0 not started; 6 outside the plan",
    ],
    "embed_shipped_process.py": [
        "KL-1 under member_discipline@2025-07: DECIDED, 4 steps",
        # QĐ 296-QĐ/TW Điều 8 mục 5: 5 days from the decision on Wed 6 Aug 2025 (the day of the
        # event not counted, Civil Code 2015 art. 147): Mon 11 Aug 2025, a working day.
        "- Due: Mon 2025-08-11; the period ends at 24:00 local time",
        "QĐ 296-QĐ/TW Điều 8 mục 5, verified",
    ],
    "ruleset_file.py": [
        "2026 (2026-04-11 to 2026-12-31), 2027 (2027-01-01 on)",
        "in force on 2027-06-01: 2027",
        "    value: 5 years -> 3 years",
        "    status: verified -> overridden",
        # QĐ 69-QĐ/TW Điều 4: 5 years from 15/3/2024 run to 15/3/2029, so the cell decides.
        "under 2026: DECIDED",
        # The fictitious file's 3 years end on 15/3/2027, before the decision of 1/6/2027.
        (
            "under 2027: refused: not_time_barred: the limitation period of 3 years for a "
            "reprimand-level violation by a party member, counted from 2024-03-15, ends on "
            "2027-03-15; on 2027-06-01 it is time-barred"
        ),
    ],
    "quickstart.py": [
        "refused: case C-1042 cannot DECIDE while MEMBER_HEARD: cell_only:",
        "case C-1042 is CLOSED; 4 steps, chain verified: 4",
        "3. 2025-03-07 CLOSE",
    ],
}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: pathlib.Path) -> None:
    result = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    for line in EXPECTED.get(path.name, []):
        assert line in result.stdout, f"{line!r} missing from the output of {path.name}"


def test_every_example_has_expectations() -> None:
    assert {p.name for p in EXAMPLES} <= set(EXPECTED) | {
        p.name for p in EXAMPLES if p.name.startswith("_")
    }


def test_the_embedding_journey_is_short_public_and_the_page_shows_it() -> None:
    # Issue 15: embed a shipped process with SQLite in under 30 lines with no private names.
    root = pathlib.Path(__file__).parent.parent
    code = (root / "examples" / "embed_shipped_process.py").read_text()
    assert len(code.splitlines()) < 30
    imports = [line for line in code.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in imports if "._" in line or " _" in line]
    page = (root / "docs" / "how-to" / "embed-a-shipped-process.md").read_text()
    assert code.rstrip() in page
    result = subprocess.run(
        [sys.executable, str(root / "examples" / "embed_shipped_process.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    shown = page.split("It prints:\n\n```text\n", 1)[1].split("```", 1)[0]
    assert result.stdout == shown


def test_the_rule_test_journey_is_short_and_both_forms_pass() -> None:
    # Issue 15, journey 2: three rule tests of shipped processes in under 40 lines, run by the
    # plugin, and the same as a scenario file run by `discipline-flow check`.
    root = pathlib.Path(__file__).parent.parent
    folder = root / "examples" / "rule_tests"
    code = (folder / "test_shipped_process.py").read_text()
    assert len(code.splitlines()) < 40
    assert code.count("\ndef test_") == 3
    imports = [line for line in code.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in imports if "._" in line or " _" in line]
    page = (root / "docs" / "how-to" / "test-a-shipped-process.md").read_text()
    scenario_file = (folder / "shipped_process.scenario.toml").read_text()
    assert code.rstrip() in page
    assert scenario_file.rstrip() in page
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=root,
    )
    assert run.returncode == 0, run.stdout
    assert "6 passed" in run.stdout  # the three tests and the file's three scenarios
    check = subprocess.run(
        [sys.executable, "-m", "discipline_flow", "check", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=root,
    )
    assert check.returncode == 0, check.stdout
    assert check.stdout.splitlines()[-1] == "3 passed, 0 failed, 0 errors"
    assert "(complaint@2022, in force on 2025-04-25, ruleset 2022)" in check.stdout
