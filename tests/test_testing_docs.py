"""The examples of docs/how-to/write-rule-tests.md run: every block marked ``# file: NAME`` is
written into a temporary project, which pytest (with the plugin) and ``discipline-flow check``
then run; the printed failure shown on the page is compared with the real one."""

from __future__ import annotations

import re
from pathlib import Path

# Imported before any pytester run, which forgets the modules it imports.
import hypothesis.internal.observability  # noqa: F401
import pytest

import discipline_flow.store
from discipline_flow.cli import main
from discipline_flow.testing._shipped import shipped_registry
from discipline_flow.time import default_calendar

pytest_plugins = ["pytester"]

PAGE = Path(__file__).parents[1] / "docs" / "how-to" / "write-rule-tests.md"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    """(language, text) of every fenced block of the page."""
    return [(m.group(1), m.group(2)) for m in _BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


def files() -> dict[str, str]:
    found: dict[str, str] = {}
    for _, text in blocks():
        first, _, _ = text.partition("\n")
        if first.startswith("# file: "):
            name = first.removeprefix("# file: ").strip()
            assert name not in found, f"two blocks write {name}"
            found[name] = text
    return found


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    # Build the slow values once, outside the pytester runs.
    shipped_registry()
    default_calendar()
    assert callable(discipline_flow.store.open_store)


def test_the_page_has_the_examples_it_promises() -> None:
    assert set(files()) == {
        "flows.py",
        "conftest.py",
        "test_howto_complaint.py",
        "test_howto_failure.py",
        "test_howto_factory.py",
        "test_howto_paths.py",
        "test_howto_walk.py",
        "test_howto_refusal.py",
        "test_howto_clock.py",
        "test_howto_store.py",
        "complaint.scenario.toml",
    }


def test_the_examples_pass_under_pytest(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    for name, text in files().items():
        (pytester.path / name).write_text(text, encoding="utf-8")
    pytester.syspathinsert()
    result = pytester.runpytest("-v", "-s", "-p", "no:cacheprovider", "--df-coverage")
    # complaint 3, failure 1, factory 2, paths 1 + 3 transitions, walk 1, refusal 1, clock 1,
    # store 2 (memory, sqlite), the scenario file 2.
    result.assert_outcomes(passed=17)
    result.stdout.fnmatch_lines(["complaint_howto@1*3/3 (100.0%)*"])
    # The failure shown on the page is the real one: its head (this toolkit's) exactly, and the
    # explanation's first and last lines (the deadline's own wording, which may grow).
    (printed,) = [text for language, text in blocks() if language == "text"]
    lines = printed.splitlines()
    head = lines[: lines.index("      why:") + 2]
    output = result.stdout.str()
    assert "\n".join(head) in output
    assert lines[-1] in output


def test_the_scenario_file_passes_discipline_flow_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("flows.py", "complaint.scenario.toml"):
        (tmp_path / name).write_text(files()[name], encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("2 passed, 0 failed, 0 errors")
