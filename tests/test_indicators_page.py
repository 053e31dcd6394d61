"""The indicator reference page is the table INDICATORS, as generated."""

from __future__ import annotations

from pathlib import Path

from discipline_flow.reports._indicators_page import indicators_page
from discipline_flow.reports.indicators import INDICATORS

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "indicators.md"


def test_the_page_is_the_table_as_generated() -> None:
    assert PAGE.read_text(encoding="utf-8") == indicators_page(), (
        "docs/reference/indicators.md differs from INDICATORS: run "
        "`python -m discipline_flow.reports._indicators_page > docs/reference/indicators.md`"
    )


def test_the_page_defines_every_indicator_once() -> None:
    page = indicators_page()
    for key, indicator in INDICATORS.items():
        row = f"| `{key}` | {indicator.label_en} | {indicator.label_vi} | {indicator.definition} |"
        assert page.count(f"| `{key}` |") == 1
        assert row in page


def test_the_page_is_in_the_site_navigation() -> None:
    nav = (PAGE.parents[2] / "mkdocs.yml").read_text(encoding="utf-8")
    assert "Indicators: reference/indicators.md" in nav
