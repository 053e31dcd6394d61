"""Every script in examples/ runs and prints what its docstring promises."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = sorted((pathlib.Path(__file__).parent.parent / "examples").glob("*.py"))

EXPECTED = {
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
