"""The HTML report opened in headless Chromium: it renders, every chart's SVG is there with a size,
nothing is logged to the console and nothing is requested but the page itself.

The report is served on 127.0.0.1 from a temporary folder beside ``tests/report_measure.html``,
which opens it in a frame and writes what it shows as JSON. Every name but 127.0.0.1 resolves to
nothing, and the server records each path asked of it. Skipped when Chromium is missing, except in
CI (``CI`` set), where it fails. A screenshot is saved as ``test-artifacts/report-html.png``.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import browse, serve
from discipline_flow.reports.html import has_charts, write_html
from html_report_inputs import supervision_case, year_2022, year_2023

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
MEASURE_PAGE = Path(__file__).with_name("report_measure.html")
CHARTS = ["funnel", "discipline", "deadlines", "plans", "timeline-GS-7"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the report (in Vietnamese, with a case) and the measuring page."""
    if not has_charts():
        pytest.skip("matplotlib (the charts extra) is not installed")
    folder = tmp_path_factory.mktemp("report")
    write_html(
        folder / "report.html",
        year_2023(),
        previous=year_2022(),
        cases=[supervision_case()],
        text="Năm 2023, cấp ủy các cấp đã giám sát 7.000 tổ chức đảng.",
    )
    shutil.copyfile(MEASURE_PAGE, folder / "measure.html")
    return folder


@pytest.fixture(scope="module")
def served(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """The folder served on 127.0.0.1; yields its base URL and the paths asked of it."""
    with serve(folder) as found:
        yield found


def _browse(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    # the console's messages (errors included) go to stderr as 'CONSOLE' lines
    return browse(url, profile, "--enable-logging=stderr", "--v=0", *extra)


def test_the_report_renders_in_chromium_with_every_chart_and_no_request_out(
    served: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, asked = served
    done = _browse(f"{base}/measure.html", tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    start = done.stdout.find('<pre id="result">')
    end = done.stdout.find("</pre>", start)
    text = html.unescape(done.stdout[start + len('<pre id="result">') : end])
    assert text != "waiting", "the report did not load in time"
    shown: dict[str, Any] = json.loads(text)
    assert shown["title"].startswith("Báo cáo công tác kiểm tra, giám sát")
    assert shown["tables"] >= 15
    assert [chart["name"] for chart in shown["charts"]] == CHARTS
    for chart in shown["charts"]:
        assert chart["svg"], chart["name"]
        assert chart["width"] > 300, chart
        assert chart["height"] > 100, chart
        assert chart["texts"] > 5, chart  # its labels are text
    # nothing but the two pages was asked for, of this server or any other
    assert shown["resources"] == []
    assert sorted(asked) == ["/measure.html", "/report.html"]


def test_a_screenshot_of_the_report(folder: Path, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-html.png"
    shot.unlink(missing_ok=True)
    url = (folder / "report.html").as_uri()
    done = _browse(url, tmp_path / "profile", "--window-size=1200,3000", f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes().startswith(b"\x89PNG")
