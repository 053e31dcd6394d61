"""The time pages of the docs: their Python examples run, and the calendar table is the data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from discipline_flow.time import OfficialTable

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = ("explanation/deadline-semantics.md", "reference/calendar.md")
_FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _examples() -> list[tuple[str, int, str]]:
    examples = []
    for page in PAGES:
        text = (DOCS / page).read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 2
            examples.append((page, line, match.group(1)))
    return examples


def test_each_page_has_examples() -> None:
    assert {page for page, _, _ in _examples()} == set(PAGES)
    assert len(_examples()) >= 10


@pytest.mark.parametrize(("page", "line", "code"), _examples(), ids=lambda v: str(v)[:40])
def test_example_runs(page: str, line: int, code: str) -> None:
    exec(compile(code, f"{page}:{line}", "exec"), {"__name__": f"docs_example_{line}"})


def test_calendar_page_lists_every_row_of_the_official_table() -> None:
    text = (DOCS / "reference" / "calendar.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \w{3} (\d{4}-\d{2}-\d{2}) \| (\w+) \|.*\| (\w+) \|$", text, re.M)
    table = OfficialTable.default()
    expected = sorted(
        (e.on.isoformat(), e.kind.value, e.citation.status.value if e.citation else "")
        for e in table.entries
    )
    assert sorted(rows) == expected
    assert f"as of {table.as_of}" in text
