"""The fenced Python examples of the rules pages run and their assertions hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs" / "explanation"
PAGES = ("rules-by-effective-date.md", "uncertainty.md")
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
    pages = {page for page, _, _ in _examples()}
    assert pages == set(PAGES)
    assert len(_examples()) >= 8


@pytest.mark.parametrize(("page", "line", "code"), _examples())
def test_example_runs(page: str, line: int, code: str) -> None:
    compiled = compile(code, f"{page}:{line}", "exec")
    exec(compiled, {"__name__": f"docs_example_{line}"})
