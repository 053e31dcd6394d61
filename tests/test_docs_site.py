"""The documentation site: pages run as doctests, ``mkdocs build --strict`` passes, and a workflow
page, served locally and opened in headless Chromium, shows its Mermaid diagrams as SVG.

Needs the docs dependencies (``docs-requirements.txt``) and Mermaid from npm (``npm ci``). The
build test is skipped only when mkdocs is missing *and* ``DISCIPLINE_FLOW_SKIP_DOCS=1`` says to;
the browser test is skipped when Chromium is missing, except in CI (``CI`` set), where it fails.
Screenshots are saved as ``test-artifacts/docs-<workflow>.png``,
``test-artifacts/docs-process-inspection.png`` and ``test-artifacts/docs-gallery.png``.

Diagrams are measured in the browser by ``tests/docs_measure.html``, copied into the built site:
it opens a page in a 1,400 px frame and reports each diagram's width, its scale (drawn width over
natural width), how far its left edge lies out of reach (``cut``) and, for the gallery's Graphviz SVGs, the text labels whose boxes overlap.
"""

from __future__ import annotations

import doctest
import html
import html.parser
import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import browse, serve
from discipline_flow.diagrams._gallery import GALLERY_MARKER
from discipline_flow.diagrams._pages import docs_workflows, workflow_markers

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts"
MERMAID_JS = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
MEASURE_PAGE = Path(__file__).resolve().parent / "docs_measure.html"
#: The widest a gallery SVG may be at the default options, in CSS pixels.
GALLERY_MAX_WIDTH = 2000


# --------------------------------------------------------------------------- doctests in pages


def _pages_with_examples() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if ">>> " in p.read_text(encoding="utf-8"))


def test_the_tutorial_and_diagram_guide_have_examples() -> None:
    pages = {p.relative_to(DOCS).as_posix() for p in _pages_with_examples()}
    assert {"tutorial.md", "how-to/draw-diagrams.md"} <= pages


@pytest.mark.parametrize(
    "page", _pages_with_examples(), ids=lambda p: p.relative_to(DOCS).as_posix()
)
def test_every_example_in_the_docs_runs(page: Path) -> None:
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) of {page.name} failed (see output)"


# --------------------------------------------------------------------------- the build


def _mkdocs_available() -> bool:
    return importlib.util.find_spec("mkdocs") is not None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with ``mkdocs build --strict`` into a temporary directory."""
    if not _mkdocs_available():
        if os.environ.get("DISCIPLINE_FLOW_SKIP_DOCS") == "1":
            pytest.skip("mkdocs is not installed and DISCIPLINE_FLOW_SKIP_DOCS=1")
        pytest.fail("mkdocs is not installed: pip install -r docs-requirements.txt")
    if not MERMAID_JS.is_file():
        # The site vendors Mermaid from its npm package; `make test` runs `npm ci` where npm
        # exists. Without npm (a machine with only python3 and make) the build cannot be made,
        # which is said here and is a failure in CI, where .ci/run installs npm.
        if shutil.which("npm") is None and not os.environ.get("CI"):
            pytest.skip("npm is not installed, so Mermaid cannot be vendored (apt-get install npm)")
        pytest.fail("node_modules/mermaid is missing: run `npm ci` in the repository root")
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    return target


def test_mkdocs_build_strict_passes(site: Path) -> None:
    drawn = docs_workflows()
    assert (site / "index.html").is_file()
    assert (site / "workflows" / "index.html").is_file()
    assert (site / "reference" / "rules" / "index.html").is_file()
    for workflow in drawn.workflows:
        page = site / "workflows" / workflow.name / "index.html"
        text = page.read_text(encoding="utf-8")
        # Material draws class "mermaid" from a CDN; ours is "df-mermaid", drawn from the vendor copy
        assert text.count('<pre class="df-mermaid">') == 2
        assert 'class="mermaid"' not in text
        others = [v for v in drawn.versions[workflow.name] if v != workflow.version]
        if others:
            assert f"Also shipped: {', '.join(f'<code>{v}</code>' for v in others)}" in text
    for source in sorted((DOCS / "processes").glob("*.md")):
        if source.name == "gallery.md":  # its own checks below
            continue
        names = workflow_markers(source.read_text(encoding="utf-8"))
        built = (site / "processes" / source.stem / "index.html").read_text(encoding="utf-8")
        assert "<!-- workflow:" not in built, source.name
        assert built.count('<pre class="df-mermaid">') == len(names), source.name
    gallery = (site / "processes" / "gallery" / "index.html").read_text(encoding="utf-8")
    assert GALLERY_MARKER not in gallery
    assert gallery.count('<pre class="df-mermaid">') == len(drawn.workflows)
    if shutil.which("dot") is not None:
        assert gallery.count('<div class="df-graphviz"') == len(drawn.workflows)
        assert gallery.count("</svg></div>") == len(drawn.workflows)
    errors_page = (site / "reference" / "errors" / "index.html").read_text(encoding="utf-8")
    assert "<!-- error-tree -->" not in errors_page
    assert "MissingToolError" in errors_page


def test_the_site_serves_mermaid_itself(site: Path) -> None:
    vendored = site / "javascripts" / "vendor" / "mermaid.min.js"
    assert vendored.read_bytes() == MERMAID_JS.read_bytes()
    assert (site / "javascripts" / "mermaid-init.js").is_file()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text
        assert "cdn.jsdelivr" not in text
        assert "fonts.googleapis" not in text


def _hooks() -> Any:
    if not _mkdocs_available():
        if os.environ.get("DISCIPLINE_FLOW_SKIP_DOCS") == "1":
            pytest.skip("mkdocs is not installed and DISCIPLINE_FLOW_SKIP_DOCS=1")
        pytest.fail("mkdocs is not installed: pip install -r docs-requirements.txt")
    spec = importlib.util.spec_from_file_location("discipline_flow_docs_hooks", DOCS / "_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doctest_lines_in_docstrings_become_console_code() -> None:
    markdown = importlib.import_module("markdown")  # no type hints shipped

    md = markdown.Markdown(extensions=["fenced_code", _hooks().DoctestFenceExtension()])
    text = "Intro.\n>>> 1 + 1\n2\n\nAfter.\n\n```python\n>>> not touched\n```\n"
    html_text = md.convert(text)
    assert '<code class="language-pycon">&gt;&gt;&gt; 1 + 1\n2\n</code>' in html_text
    assert "<p>Intro.</p>" in html_text
    assert "<p>After.</p>" in html_text
    assert '<code class="language-python">&gt;&gt;&gt; not touched\n</code>' in html_text


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 by a ``http.server`` thread; yields its base URL."""
    with serve(site) as (url, _):
        yield url


class _SvgText(html.parser.HTMLParser):
    """Collects the text inside each top-level ``<svg>`` of the page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.diagrams: list[list[str]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            if self.depth == 0:
                self.diagrams.append([])
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and data.strip():
            self.diagrams[-1].append(html.unescape(data.strip()))


def _diagram_texts(dom: str) -> list[str]:
    start = dom.find('<article class="md-content__inner')
    parser = _SvgText()
    parser.feed(dom[start:] if start >= 0 else dom)
    return [" ".join(texts) for texts in parser.diagrams if texts]


def _shown(url: str, profile: Path) -> list[str]:
    """The text of each diagram the page at ``url`` shows, after Mermaid drew them."""
    done = browse(url, profile, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "data-mermaid-error" not in dom, f"Mermaid could not draw a diagram on {url}"
    assert '<pre class="df-mermaid">' not in dom, f"a diagram of {url} was not drawn"
    return _diagram_texts(dom)


def _screenshot(url: str, profile: Path, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    shot.unlink(missing_ok=True)
    done = browse(url, profile, "--window-size=1280,2200", f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_a_workflow_page_shows_its_diagrams_in_chromium(served: str, tmp_path: Path) -> None:
    workflow = docs_workflows().workflows[0]
    url = f"{served}/workflows/{workflow.name}/"
    diagrams = _shown(url, tmp_path / "profile")
    assert len(diagrams) == 2
    english, vietnamese = diagrams
    for state in workflow.states:
        assert workflow.label_of(state, "en") in english, state
        assert workflow.label_of(state, "vi") in vietnamese, state
    _screenshot(url, tmp_path / "profile-shot", f"docs-{workflow.name}.png")


def test_a_process_page_shows_its_workflow_diagram_in_chromium(served: str, tmp_path: Path) -> None:
    page = DOCS / "processes" / "inspection.md"
    if not page.exists():
        pytest.skip("no process page yet (docs/processes/inspection.md)")
    drawn = {wf.name: wf for wf in docs_workflows().workflows}
    names = workflow_markers(page.read_text(encoding="utf-8"))
    assert names, "the inspection page has no <!-- workflow: NAME --> marker"
    url = f"{served}/processes/inspection/"
    diagrams = _shown(url, tmp_path / "profile")
    assert len(diagrams) == len(names)
    for name, text in zip(names, diagrams, strict=True):
        workflow = drawn[name]
        for state in workflow.states:
            assert workflow.label_of(state, "en") in text, (name, state)
    _screenshot(url, tmp_path / "profile-shot", "docs-process-inspection.png")


def _measure(served: str, site: Path, page: str, profile: Path) -> dict[str, Any]:
    """The measures ``tests/docs_measure.html`` takes of the diagrams of ``page`` at 1,400 px."""
    shutil.copyfile(MEASURE_PAGE, site / "_measure.html")
    done = browse(
        f"{served}/_measure.html#/{page}",
        profile,
        "--window-size=1500,1200",
        "--virtual-time-budget=30000",
        "--dump-dom",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    start = done.stdout.find('<pre id="result">')
    end = done.stdout.find("</pre>", start)
    text = html.unescape(done.stdout[start + len('<pre id="result">') : end])
    assert text != "waiting", f"the diagrams of {page} were not drawn in time"
    measures: dict[str, Any] = json.loads(text)
    return measures


@pytest.mark.parametrize("page", ["processes/discipline/", "processes/inspection/"])
def test_process_page_diagrams_keep_their_size_in_chromium(
    served: str, site: Path, tmp_path: Path, page: str
) -> None:
    # Before: the member and organisation diagrams were scaled to the column (~690 px of a
    # 1,400 px window), their labels shrunk to a few pixels. Now a diagram is drawn at its natural
    # size (scale 1) and a wide one scrolls sideways.
    measures = _measure(served, site, page, tmp_path / "profile")
    diagrams = measures["mermaid"]
    assert diagrams, f"no diagram drawn on {page}"
    for diagram in diagrams:
        assert diagram["scale"] == pytest.approx(1, abs=0.01), (page, diagram)
        assert diagram["cut"] <= 0, (page, diagram)  # its left edge can be scrolled to
    if page == "processes/discipline/":
        assert len(diagrams) == 2
        assert max(d["natural"] for d in diagrams) > measures["column"]  # so it scrolls


def test_the_gallery_draws_every_workflow_readably_in_chromium(
    served: str, site: Path, tmp_path: Path
) -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("Graphviz is not installed; CI needs it: apt-get install -y graphviz")
        pytest.skip("Graphviz is not installed: the gallery has no SVG (apt-get install graphviz)")
    drawn = docs_workflows()
    measures = _measure(served, site, "processes/gallery/", tmp_path / "profile")
    svgs = measures["graphviz"]
    assert [svg["workflow"] for svg in svgs] == [wf.key for wf in drawn.workflows]
    for svg in svgs:
        assert 0 < svg["width"] <= GALLERY_MAX_WIDTH, svg["workflow"]
        assert svg["texts"] > 0
        assert svg["overlaps"] == [], svg["workflow"]
        assert svg["cut"] <= 0, svg["workflow"]  # a wide one starts at the left and scrolls
    assert len(measures["mermaid"]) == len(drawn.workflows)
    for diagram in measures["mermaid"]:
        assert diagram["scale"] == pytest.approx(1, abs=0.01)
        assert diagram["cut"] <= 0
    _screenshot(f"{served}/processes/gallery/", tmp_path / "profile-shot", "docs-gallery.png")
