"""The HTML report: one self-contained file with the figures as tables and the charts as inline SVG.

Inputs are made by hand (``tests/html_report_inputs.py`` works out every total these tests
expect). The browser test is ``tests/test_reports_html_browser.py``.
"""

from __future__ import annotations

import html.parser
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from discipline_flow.errors import InputError
from discipline_flow.reports.html import has_charts, render_html, write_html
from html_report_inputs import END_OF_2023, supervision_case, year_2022, year_2023

#: XML namespace names: identifiers, never fetched.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
LINK_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "poster", "data", "background"}
ROOT = Path(__file__).resolve().parents[1]
CHARTS = ["funnel", "discipline", "deadlines", "plans", "timeline-GS-7"]


class Page(html.parser.HTMLParser):
    """What a test reads from a page: links, charts, tables (as rows of cell texts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.charts: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] = []
        self.meta: dict[str, str] = {}
        self._chart: str | None = None
        self._svg_text: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        for name, value in found.items():
            if name in LINK_ATTRIBUTES:
                self.links.append((name, value))
        if tag == "meta" and "http-equiv" in found:
            self.meta[found["http-equiv"]] = found.get("content", "")
        if tag == "figure" and "data-chart" in found:
            self._chart = found["data-chart"]
            self._svg_text = []
        elif tag == "table":
            self._table = self.tables.setdefault(found["data-table"], [])
        elif tag == "tr":
            self._table.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure" and self._chart is not None:
            self.charts[self._chart] = " ".join(self._svg_text)
            self._chart = None
        elif tag in ("td", "th") and self._cell is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._chart is not None and data.strip():
            self._svg_text.append(data.strip())
        if self._cell is not None:
            self._cell.append(data)


def read(page: str) -> Page:
    parsed = Page()
    parsed.feed(page)
    return parsed


def row(parsed: Page, table: str, label: str) -> list[str]:
    """The row of table ``table`` whose first cell is ``label``."""
    for cells in parsed.tables[table]:
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in {table}")


@pytest.fixture(scope="module")
def page_vi() -> str:
    return render_html(
        year_2023(),
        previous=year_2022(),
        cases=[supervision_case()],
        text="Năm 2023, cấp ủy các cấp đã giám sát 7.000 tổ chức đảng.\n\nỦy ban kiểm tra …",
    )


@pytest.fixture(scope="module")
def page_en() -> str:
    return render_html(year_2023(), previous=year_2022(), cases=[supervision_case()], lang="en")


def test_the_page_loads_nothing_from_outside_itself(page_vi: str) -> None:
    parsed = read(page_vi)
    # only links inside the page (the contents' anchors), no src= of any kind
    assert parsed.links, "the contents links to its sections"
    for name, value in parsed.links:
        assert name in ("href", "xlink:href"), (name, value)
        assert value.startswith("#"), (name, value)
    assert "src=" not in page_vi
    assert set(re.findall(r"https?://[^\"'\s)<>]*", page_vi)) <= NAMESPACES
    assert re.findall(r"url\((?!#)", page_vi) == []  # CSS and SVG refer to ids inside it only
    assert "@import" not in page_vi
    assert "<script" not in page_vi
    # and the browser is told to load nothing
    policy = parsed.meta["Content-Security-Policy"]
    assert policy.startswith("default-src 'none';")


def test_every_chart_is_inline_svg_with_its_words_as_text(page_vi: str, page_en: str) -> None:
    if not has_charts():
        pytest.skip("matplotlib (the charts extra) is not installed")
    charts = read(page_vi).charts
    assert list(charts) == CHARTS
    for name in CHARTS:
        start = page_vi.index(f'data-chart="{name}"')
        assert page_vi.index("<svg", start) < page_vi.index("</figure>", start), name
    # Vietnamese labels stay text (svg.fonttype none), not glyph outlines
    assert "Phát hiện dấu hiệu vi phạm" in charts["funnel"]
    assert "76.592" in charts["funnel"]
    assert "Khiển trách" in charts["discipline"]
    assert "Cấp huyện" in charts["discipline"]
    assert "Đúng hạn" in charts["deadlines"]
    assert "98,0 %" in charts["deadlines"]  # 880 of 898
    assert "93/95 (97,9 %)" not in charts["plans"]  # per level, not the total:
    assert "43/45 (95,6 %)" in charts["plans"]  # district: 43 of 20 + 25
    assert "Đang xem xét, đánh giá" in charts["timeline-GS-7"]
    assert "hôm nay" in charts["timeline-GS-7"]
    english = read(page_en).charts
    assert "Signs of violation found" in english["funnel"]
    assert "76,592" in english["funnel"]
    assert "Assessing" in english["timeline-GS-7"]


def test_the_tables_hold_the_figures(page_vi: str) -> None:
    parsed = read(page_vi)
    # the funnel: this year, then the previous year
    assert row(parsed, "funnel", "Giám sát") == ["Giám sát", "7.898", "76.592", "0", "0"]
    assert row(parsed, "funnel", "Đã thi hành kỷ luật") == [
        "Đã thi hành kỷ luật",
        "1",
        "14",
        "0",
        "0",
    ]
    # discipline by form: per level (provincial, district, grassroots) then the total
    reprimand = row(parsed, "discipline", "Khiển trách")
    assert reprimand == ["Khiển trách", "0", "4", "0", "20", "1", "60", "1", "84"]
    assert row(parsed, "discipline", "Khai trừ")[-2:] == ["0", "14"]
    assert row(parsed, "discipline", "Giải tán")[-2:] == ["0", "0"]
    # deadlines
    supervision = row(parsed, "deadlines", "Giám sát")
    assert supervision == ["Giám sát", "880", "12", "6", "898", "98,0 %"]
    # plans: the total row
    assert row(parsed, "plans", "Tổng") == [
        "Tổng", "43", "44", "51", "95", "93", "97,9 %", "127", "177 / 210", "9", "3 / 9"
    ]  # fmt: skip
    # every figure by level, with the committee members and the previous year
    assert row(parsed, "figures-discipline", "Thi hành kỷ luật") == [
        "Thi hành kỷ luật", "0", "12", "0", "40", "1", "93", "1", "145", "7", "2", "130"
    ]  # fmt: skip
    verified = row(parsed, "figures-asset_verification", "Xác minh tài sản, thu nhập")
    assert verified[7:10] == ["0", "172", "0"]


def test_the_text_comes_first_and_the_timeline_has_one_row_per_stay(page_vi: str) -> None:
    assert page_vi.index('id="report-text"') < page_vi.index('id="funnel"')
    assert "<p>Năm 2023, cấp ủy các cấp đã giám sát 7.000 tổ chức đảng.</p>" in page_vi
    parsed = read(page_vi)
    stays = parsed.tables["timeline-GS-7-states"]
    assert stays == [
        ["Trạng thái", "Từ ngày", "Đến ngày"],
        ["Đã có kế hoạch giám sát", "20/09/2023", "(dưới một ngày)"],
        ["Đã yêu cầu báo cáo", "20/09/2023", "28/09/2023"],
        ["Đã nhận báo cáo", "28/09/2023", "(dưới một ngày)"],
        ["Đang xem xét, đánh giá", "28/09/2023", "26/10/2023"],
        # still concluded (no reminder yet) at the period's end: the bar runs to 31/12
        ["Đã kết luận giám sát", "26/10/2023", "31/12/2023"],
    ]
    deadline = row(
        parsed,
        "timeline-GS-7-deadlines",
        "Thời gian giám sát chuyên đề (cấp tỉnh), từ ngày nhận báo cáo",
    )
    # 30 working days from 28/9/2023 and 5 more (tests/test_diagrams_timeline_stays.py)
    assert deadline[1:] == ["28/09/2023", "hạn 2023-11-16, đã đáp ứng 2023-10-26"]


def test_english_page_and_a_period_without_deadlines_or_plans() -> None:
    figures = year_2022()
    page = render_html(figures, lang="en")
    parsed = read(page)
    assert "<title>Inspection, supervision and party discipline: 2022</title>" in page
    assert row(parsed, "figures-discipline", "Disciplined")[-3:] == ["2", "130", "0"]
    assert page.count("Nothing to show for this period.") == 2  # deadlines, plans
    assert 'id="timelines"' not in page
    assert 'id="report-text"' not in page


def test_same_inputs_same_bytes(page_vi: str) -> None:
    again = render_html(
        year_2023(),
        previous=year_2022(),
        cases=[supervision_case()],
        text="Năm 2023, cấp ủy các cấp đã giám sát 7.000 tổ chức đảng.\n\nỦy ban kiểm tra …",
        now=END_OF_2023,
    )
    assert again == page_vi


def test_write_html_and_refusals(tmp_path: Path) -> None:
    path = write_html(tmp_path / "report.html", year_2022(), lang="en")
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")
    with pytest.raises(InputError, match=r"lang: languages: vi, en; got 'fr'"):
        render_html(year_2022(), lang="fr")
    with pytest.raises(InputError, match="expected an Indicators value, got dict"):
        render_html({})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="previous: expected an Indicators value or None"):
        render_html(year_2022(), previous=2021)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="text: expected the report's text or None, got int"):
        render_html(year_2022(), text=3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="cannot write"):
        write_html(tmp_path / "missing" / "report.html", year_2022())


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )


def test_without_matplotlib_the_page_has_tables_and_says_what_to_install() -> None:
    # matplotlib is blocked the way Python blocks a module: None in sys.modules makes every
    # import of it raise ImportError, as when the extra is not installed.
    done = _run(
        """
        import sys
        sys.modules["matplotlib"] = None
        sys.path.insert(0, "tests")
        from html_report_inputs import supervision_case, year_2023
        from discipline_flow.reports.html import has_charts, render_html
        page = render_html(year_2023(), cases=[supervision_case()], lang="en")
        print(has_charts())
        print(page.count("<svg"), page.count("<table "))
        print(page.count("pip install &#x27;discipline-flow[charts]&#x27;"))
        """
    )
    assert done.returncode == 0, done.stderr
    charts, counts, notes = done.stdout.split("\n")[:3]
    assert charts == "False"
    svgs, tables = (int(part) for part in counts.split())
    assert svgs == 0
    assert tables >= 15  # funnel, forms, deadlines, plans, 2 of the timeline, 11 sections
    assert notes == "1"


def test_importing_the_library_does_not_import_matplotlib() -> None:
    done = _run(
        """
        import sys
        import discipline_flow, discipline_flow.reports, discipline_flow.reports.html
        print("matplotlib" in sys.modules)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
