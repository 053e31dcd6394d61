"""``discipline-flow diagram`` and ``discipline-flow timeline``.

``diagram WORKFLOW`` draws one workflow: a shipped one by name (``name`` or ``name@version``) or
any workflow by import path (``package.module:attribute``, a workflow or a function returning
one). ``diagram --all DIR`` writes every shipped workflow (every version: one per ruleset) in every
format that can be made here, as ``NAME@VERSION.mmd``, ``.dot``, ``.md``, ``.svg``, ``.png``
(:func:`~discipline_flow.diagrams.diagram_file_name`, the names the demo writes too);
``diagram --list`` prints every shipped workflow's key, one a line. A name that is not shipped
exits with code 2, naming the close ones.
``timeline CASE_ID --store URL`` draws a stored case as a Mermaid gantt.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import difflib
import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

from discipline_flow._cli_input import parse_day, parse_instant
from discipline_flow.cli import EXIT_OK, EXIT_USAGE
from discipline_flow.clock import DEFAULT_TIMEZONE, SystemClock
from discipline_flow.diagrams._images import diagram_file_name, has_graphviz, to_png, to_svg
from discipline_flow.diagrams._options import DiagramOptions, Direction, Language, Layout
from discipline_flow.diagrams.dot import to_dot
from discipline_flow.diagrams.markdown import to_markdown
from discipline_flow.diagrams.mermaid import to_mermaid
from discipline_flow.diagrams.timeline import case_timeline
from discipline_flow.errors import InputError
from discipline_flow.rules import select_ruleset
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import open_store, store_url_from_env
from discipline_flow.workflow import Workflow

__all__ = [
    "FORMATS",
    "LIST_COMMAND",
    "load_workflow",
    "register",
    "shipped_workflows",
    "unknown_workflow",
]

#: Formats ``diagram`` writes, with the file suffix ``--all`` gives each.
FORMATS = {"mermaid": "mmd", "dot": "dot", "md": "md", "svg": "svg", "png": "png"}
_TEXT_FORMATS = ("mermaid", "dot", "md")
#: The command that lists every shipped workflow's key, one a line.
LIST_COMMAND = "discipline-flow diagram --list"
#: At most this many close matches are suggested for a workflow key that is not shipped.
_CLOSE_MATCHES = 5


def shipped_workflows() -> WorkflowRegistry:
    """The shipped CPV workflows; an empty registry when :mod:`discipline_flow.processes` is absent."""
    try:
        module = importlib.import_module("discipline_flow.processes")
    except ModuleNotFoundError as exc:
        if exc.name in ("discipline_flow.processes",):
            return WorkflowRegistry()
        raise
    factory = getattr(module, "shipped_registry", None)
    if factory is None:
        return WorkflowRegistry()
    registry = factory()
    if not isinstance(registry, WorkflowRegistry):
        raise InputError("processes", "shipped_registry() did not return a WorkflowRegistry")
    return registry


def _import_path(path: str, argument: str) -> Any:
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise InputError(argument, f"{path!r} is not an import path like 'package.module:name'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError(argument, f"cannot import {module_name!r}: {exc}") from None
    try:
        value = getattr(module, attribute)
    except AttributeError:
        raise InputError(argument, f"module {module_name!r} has no {attribute!r}") from None
    if inspect.isroutine(value):
        try:
            value = value()
        except Exception as exc:  # the user's function: report, do not crash the command
            raise InputError(argument, f"{path}() raised {type(exc).__name__}: {exc}") from None
    return value


def load_workflow(spec: str, registry: WorkflowRegistry | None = None) -> Workflow[Any, Any]:
    """The workflow ``spec`` names: ``name``, ``name@version`` or ``package.module:attribute``."""
    if ":" in spec:
        value = _import_path(spec, "WORKFLOW")
        if not isinstance(value, Workflow):
            raise InputError("WORKFLOW", f"{spec!r} is a {type(value).__name__}, not a Workflow")
        return value
    name, _, version = spec.partition("@")
    reg = registry if registry is not None else shipped_workflows()
    unknown = unknown_workflow(spec, reg)
    if unknown is not None:
        raise unknown
    return reg.get(name, version or None)


def unknown_workflow(spec: str, registry: WorkflowRegistry) -> InputError | None:
    """The error for a key ``spec`` (``name`` or ``name@version``) that ``registry`` does not
    hold, naming the close ones and how to list them all; None when it holds it.

    >>> from discipline_flow.diagrams._examples import complaint_workflow
    >>> print(unknown_workflow("example_complain", WorkflowRegistry([complaint_workflow()])))
    WORKFLOW: no workflow is called 'example_complain'; did you mean: example_complaint? List every workflow with: discipline-flow diagram --list
    """
    name, _, version = spec.partition("@")
    keys = [wf.key for wf in registry]
    names = list(dict.fromkeys(wf.name for wf in registry))
    if (spec in keys) if version else (name in names):
        return None
    if version and name in names:  # the name is right, the version is not: its versions
        close = [key for key in keys if key.startswith(f"{name}@")]
    else:  # a version was asked for: suggest keys; a bare name: suggest names
        candidates = keys if version else names
        close = difflib.get_close_matches(spec, candidates, n=_CLOSE_MATCHES, cutoff=0.6)
    near = f"did you mean: {', '.join(close)}?" if close else "none is close."
    return InputError(
        "WORKFLOW",
        f"no workflow is called {spec!r}; {near} List every workflow with: {LIST_COMMAND}",
    )


def _options(args: argparse.Namespace) -> DiagramOptions:
    return DiagramOptions(
        lang=args.lang,
        show_guards=not args.no_guards,
        show_deadlines=not args.no_deadlines,
        show_citations=args.citations,
        focus=args.state,
        depth=args.depth,
        direction=args.direction,
        layout=args.layout,
    )


def _render(workflow: Workflow[Any, Any], fmt: str, options: DiagramOptions) -> str | bytes:
    if fmt == "mermaid":
        return to_mermaid(workflow, options)
    if fmt == "dot":
        return to_dot(workflow, options)
    if fmt == "md":
        return to_markdown(workflow, options)
    if fmt == "svg":
        return to_svg(workflow, options)
    return to_png(workflow, options)


def _write(data: str | bytes, out: str | None) -> None:
    if out is None:
        if isinstance(data, bytes):
            raise InputError("--out", "a PNG image is binary; give --out FILE")
        sys.stdout.write(data)
        return
    path = Path(out)
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise InputError("--out", f"cannot write {out}: {exc.strerror or exc}") from None


def _run_diagram(args: argparse.Namespace) -> int:
    if args.list:
        if args.workflow is not None or args.all is not None:
            raise InputError("--list", "--list takes no WORKFLOW and no --all DIR")
        sys.stdout.writelines(f"{key}\n" for key in sorted(wf.key for wf in shipped_workflows()))
        return EXIT_OK
    if args.all is not None:
        if args.workflow is not None:
            raise InputError("WORKFLOW", "give a WORKFLOW or --all DIR, not both")
        return _run_all(args)
    if args.workflow is None:
        raise InputError(
            "WORKFLOW",
            f"name a workflow (or use --all DIR); list the shipped ones with: {LIST_COMMAND}",
        )
    if args.on is not None:
        if "@" in args.workflow or ":" in args.workflow:
            raise InputError("--on", "give a bare workflow name with --on, not name@version")
        # The version is the name of the ruleset in force that day (SELECTION_DATE).
        in_force = select_ruleset(parse_day(args.on, "--on")).name
        args.workflow = f"{args.workflow}@{in_force}"
    if ":" not in args.workflow:
        unknown = unknown_workflow(args.workflow, shipped_workflows())
        if unknown is not None:  # a word on the command line that names nothing: exit 2
            sys.stderr.write(f"discipline-flow: error: {unknown}\n")
            return EXIT_USAGE
    workflow = load_workflow(args.workflow)
    _write(_render(workflow, args.format, _options(args)), args.out)
    return EXIT_OK


def _run_all(args: argparse.Namespace) -> int:
    registry = shipped_workflows()
    if not len(registry):
        raise InputError("--all", "no shipped workflows are installed (discipline_flow.processes)")
    target = Path(args.all)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("--all", f"cannot create {target}: {exc.strerror or exc}") from None
    formats = [f for f in FORMATS if f in _TEXT_FORMATS or has_graphviz()]
    options = _options(args)
    written = 0
    for workflow in sorted(registry, key=lambda wf: wf.key):
        for fmt in formats:
            path = target / diagram_file_name(workflow, FORMATS[fmt])
            _write(_render(workflow, fmt, options), str(path))
            written += 1
    sys.stdout.write(f"wrote {written} files for {len(registry)} workflows into {target}\n")
    if not has_graphviz():
        sys.stdout.write(
            "skipped svg and png: Graphviz 'dot' is not installed "
            "(apt-get install graphviz or brew install graphviz)\n"
        )
    return EXIT_OK


def _parse_now(text: str | None) -> _dt.datetime:
    if text is None:  # the command line is the boundary where the wall clock may be read
        return SystemClock(DEFAULT_TIMEZONE).now()
    return parse_instant(text, "--now")


def _registry(spec: str | None) -> WorkflowRegistry:
    if spec is None:
        return shipped_workflows()
    value = _import_path(spec, "--registry")
    if not isinstance(value, WorkflowRegistry):
        raise InputError("--registry", f"{spec!r} is a {type(value).__name__}, not a registry")
    return value


def _run_timeline(args: argparse.Namespace) -> int:
    registry = _registry(args.registry)
    now = _parse_now(args.now)
    url = args.store if args.store is not None else store_url_from_env()
    with open_store(url, registry, create=False) as store:
        case = store.load(args.case_id)
    _write(case_timeline(case, now=now, lang=args.lang), args.out)
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``diagram`` and ``timeline`` to the ``discipline-flow`` command line."""
    langs = [lang.value for lang in Language]
    diagram = subparsers.add_parser(
        "diagram",
        help="draw a workflow (Mermaid, DOT, Markdown, SVG, PNG)",
        description=(
            "Draw a workflow: a shipped one by name (name or name@version) or any by import "
            "path (package.module:attribute). --all DIR writes every shipped workflow in every "
            "format that can be made (SVG and PNG need Graphviz)."
        ),
    )
    diagram.add_argument("workflow", nargs="?", metavar="WORKFLOW")
    diagram.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        default=None,
        help="the version of WORKFLOW in force on this day (default: the newest)",
    )
    diagram.add_argument("--format", choices=list(FORMATS), default="mermaid")
    diagram.add_argument("--lang", choices=langs, default="en")
    diagram.add_argument("--state", metavar="S", help="only this state and its neighbours")
    diagram.add_argument(
        "--depth", type=int, default=1, metavar="N", help="neighbours up to N moves away"
    )
    diagram.add_argument("--direction", choices=[d.value for d in Direction], default="TB")
    diagram.add_argument(
        "--layout",
        choices=[layout.value for layout in Layout],
        default="auto",
        help="compact: guards, deadlines and basis in numbered notes under the diagram; "
        "auto (default): compact for a large workflow",
    )
    diagram.add_argument("--citations", action="store_true", help="show the legal basis")
    diagram.add_argument("--no-guards", action="store_true", help="hide guards (authority stays)")
    diagram.add_argument("--no-deadlines", action="store_true", help="hide deadline rules")
    diagram.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    diagram.add_argument(
        "--all", metavar="DIR", help="every shipped workflow, every format, as NAME@VERSION.EXT"
    )
    diagram.add_argument(
        "--list", action="store_true", help="print every shipped workflow's key, one a line"
    )
    diagram.set_defaults(func=_run_diagram)

    timeline = subparsers.add_parser(
        "timeline",
        help="draw a stored case as a Mermaid gantt",
        description="Draw a stored case's states, deadlines and steps as a Mermaid gantt.",
    )
    timeline.add_argument("case_id", metavar="CASE_ID")
    timeline.add_argument(
        "--store",
        metavar="URL",
        help="where the case is stored (default: $DISCIPLINE_FLOW_STORE or sqlite:///discipline_flow.db)",
    )
    timeline.add_argument("--now", metavar="ISO", help="the instant to judge deadlines at")
    timeline.add_argument("--lang", choices=langs, default="en")
    timeline.add_argument(
        "--registry",
        metavar="MODULE:NAME",
        help="a WorkflowRegistry (or a function returning one) instead of the shipped workflows",
    )
    timeline.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    timeline.set_defaults(func=_run_timeline)
