"""MkDocs hooks: pages generated from the library's own definitions, and Mermaid vendored.

- One page per shipped workflow under ``workflows/`` (Mermaid diagrams and tables, drawn by
  :mod:`discipline_flow.diagrams`), an index of them, and ``reference/rules.md`` (every rule with
  its citation and status). The ``Workflows`` section of the nav is filled in here.
- The diagram and tables of a workflow wherever a hand-written page (``processes/*.md``) has the
  line ``<!-- workflow: NAME -->``; a name no shipped workflow has stops a strict build.
- The gallery (``processes/gallery.md``, the ``<!-- gallery -->`` marker): every shipped
  workflow drawn by Graphviz (inline SVG, made here with ``dot``) and by Mermaid.
- The error tree in ``reference/errors.md`` (the ``<!-- error-tree -->`` marker), from
  :mod:`discipline_flow.errors` as it is.
- Doctest examples (``>>>`` lines) in docstrings and pages are shown as Python console code:
  the library's docstrings are doctests, not Markdown fences.
- ``javascripts/vendor/mermaid.min.js`` is copied from the ``mermaid`` npm package
  (``node_modules``, installed by ``npm ci`` from ``package-lock.json``), so the site never loads
  Mermaid from a CDN. Without it the build stops and says to run ``npm ci``.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from discipline_flow.diagrams import has_graphviz, to_svg
from discipline_flow.diagrams._gallery import GALLERY_MARKER, gallery
from discipline_flow.diagrams._pages import (
    ERROR_TREE_MARKER,
    WORKFLOW_MARKER,
    WORKFLOWS_DIR,
    DocsWorkflows,
    docs_workflows,
    error_tree,
    fill_workflow_markers,
    rules_page,
    workflow_markers,
    workflow_page,
    workflow_page_path,
    workflows_index,
)
from discipline_flow.workflow import Workflow

ROOT = Path(__file__).resolve().parent.parent
MERMAID_JS = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
MERMAID_URI = "javascripts/vendor/mermaid.min.js"
WORKFLOWS_SECTION = "Workflows"
WORKFLOWS_INDEX = "workflows/index.md"
RULES_PAGE = "reference/rules.md"

_drawn: DocsWorkflows | None = None
#: Warnings here stop a strict build (a marker naming a workflow that is not shipped).
log = logging.getLogger("mkdocs.hooks.discipline_flow")


def _workflows() -> DocsWorkflows:
    global _drawn  # noqa: PLW0603 - one build draws the workflows once, shared by the hooks
    if _drawn is None:
        _drawn = docs_workflows()
    return _drawn


def _title(workflow: Workflow[Any, Any]) -> str:
    if workflow.label is not None:
        return workflow.label.en
    return workflow.name.replace("_", " ").capitalize()


_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^(\s*)>>> ")


class _DoctestFences(Preprocessor):  # type: ignore[misc] # Markdown ships no type hints
    """Wrap each run of doctest lines (``>>>`` up to the next blank line) in a pycon fence."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_fence = False
        in_doctest = False
        indent = ""
        for line in lines:
            if in_doctest:
                if line.strip():
                    out.append(line)
                    continue
                out.append(f"{indent}```")
                in_doctest = False
            if _FENCE.match(line):
                in_fence = not in_fence
            prompt = _PROMPT.match(line)
            if prompt is not None and not in_fence:
                indent = prompt.group(1)
                if out and out[-1].strip():
                    out.append("")
                out.append(f"{indent}```pycon")
                in_doctest = True
            out.append(line)
        if in_doctest:
            out.append(f"{indent}```")
        return out


class DoctestFenceExtension(Extension):  # type: ignore[misc] # Markdown ships no type hints
    """Show doctest examples as Python console code (used for the API reference)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - the Markdown API's name
        """Register the preprocessor before the fenced-code preprocessors run."""
        md.preprocessors.register(_DoctestFences(md), "discipline_flow_doctests", 40)


@event_priority(100)  # before mkdocstrings reads the extensions it renders docstrings with
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fill the ``Workflows`` nav section; show doctests as code (docstrings included)."""
    config.markdown_extensions.append(DoctestFenceExtension())
    global _drawn  # noqa: PLW0603 - a rebuild (mkdocs serve) draws the current definitions
    _drawn = None
    drawn = _workflows()
    for item in config.nav or []:
        if isinstance(item, dict) and WORKFLOWS_SECTION in item:
            item[WORKFLOWS_SECTION] = [
                WORKFLOWS_INDEX,
                *({_title(wf): workflow_page_path(wf)} for wf in drawn.workflows),
            ]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and the vendored Mermaid library to the site."""
    if not MERMAID_JS.is_file():
        raise PluginError(
            f"Mermaid is not installed: {MERMAID_JS.relative_to(ROOT)} is missing. "
            "Run `npm ci` in the repository root (it installs the version pinned in "
            "package-lock.json); the site serves Mermaid itself and never loads it from a CDN."
        )
    files.append(File.generated(config, MERMAID_URI, abs_src_path=str(MERMAID_JS)))
    drawn = _workflows()
    pages = {
        WORKFLOWS_INDEX: workflows_index(drawn.workflows, are_examples=drawn.are_examples),
        RULES_PAGE: rules_page(drawn.workflows),
    }
    explained = _explained_in(files)
    for workflow in drawn.workflows:
        pages[workflow_page_path(workflow)] = workflow_page(
            workflow,
            is_example=drawn.are_examples,
            versions=drawn.versions.get(workflow.name, ()),
            explained_in=explained.get(workflow.name),
        )
    for uri, text in pages.items():
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=text))
    return files


def _explained_in(files: Files) -> dict[str, tuple[str, str]]:
    """For each workflow a hand-written page has a marker for: that page's title and link."""
    found: dict[str, tuple[str, str]] = {}
    for file in files.documentation_pages():
        if file.generated_by is not None:
            continue
        text = file.content_string
        names = workflow_markers(text)
        if not names:
            continue
        heading = next(
            (line[2:].strip() for line in text.splitlines() if line.startswith("# ")), ""
        )
        link = posixpath.relpath(file.src_uri, WORKFLOWS_DIR)
        for name in names:
            found.setdefault(name, (heading or file.src_uri, link))
    return found


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the error tree and the workflow diagrams where hand-written pages ask for them."""
    if ERROR_TREE_MARKER in markdown:
        markdown = markdown.replace(ERROR_TREE_MARKER, error_tree())
    if GALLERY_MARKER in markdown:
        if not has_graphviz():
            log.info("Graphviz's dot is not installed: the gallery shows Mermaid only")
        drawn_now = _workflows()
        markdown = markdown.replace(
            GALLERY_MARKER,
            gallery(
                drawn_now.workflows,
                svg=to_svg if has_graphviz() else None,
                page=page.file.src_uri,
            ),
        )
    if not workflow_markers(markdown):
        return markdown
    drawn = _workflows()
    if drawn.are_examples:  # the shipped workflows are not installed: nothing to draw
        return WORKFLOW_MARKER.sub(
            "*(The diagram of this workflow is drawn when the shipped workflows are installed.)*",
            markdown,
        )
    by_name = {workflow.name: workflow for workflow in drawn.workflows}
    filled, unknown = fill_workflow_markers(markdown, by_name, page=page.file.src_uri)
    for name in unknown:
        log.warning(
            "%s asks for workflow %r, which is not shipped; shipped: %s",
            page.file.src_uri,
            name,
            ", ".join(by_name),
        )
    return filled
