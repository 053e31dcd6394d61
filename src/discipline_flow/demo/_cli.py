"""``discipline-flow demo``: one city-year generated, swept, reported, explained and drawn.

Prints the commission's report of the year (Vietnamese unless ``--lang en``), the path of the
HTML report with its charts and the showcase cases' timelines, the showcase's deadlines and a
summary with its checks (or all of it as JSON with ``--json``); writes the store, the report
(text, its figures as JSON, HTML), the tables shaped like the statistical forms, the count per
process, the diagrams of every workflow of the year and the timelines into ``--out``. A progress
bar on standard error shows the long phases when it is a terminal (never with ``--quiet``).
Exits 1 when the indicators computed from the store, or the count per process read back from
it, do not equal the generator's own count, or when the digests it read do not equal the
verified histories of the sample.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from discipline_flow._progress import Progress
from discipline_flow.cli import EXIT_CHECK_FAILED, EXIT_OK, emit
from discipline_flow.demo._run import DEFAULT_OUT, DemoRun, run_demo
from discipline_flow.demo.generator import DemoSettings
from discipline_flow.errors import InputError

__all__ = ["register", "render_text"]


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="generate, sweep and report one city-year of cases",
        description=(
            "Generate one city-year of cases shaped like a municipal inspection commission's "
            "annual report, every case driven through its workflow by the library; sweep the "
            "deadlines at 31 December 24:00; print the annual report and case timelines with "
            "their deadline explanations; write the store, report and diagrams into --out."
        ),
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help=f"an empty store to fill (default: a fresh {DEFAULT_OUT}/demo.db, or OUT/demo.db)",
    )
    parser.add_argument("--year", default="2023", metavar="YYYY", help="the year (default 2023)")
    parser.add_argument(
        "--scale", default="1.0", metavar="X", help="1.0 is one city-year (~85,000 cases)"
    )
    parser.add_argument("--seed", default="2023", metavar="N", help="random seed (default 2023)")
    parser.add_argument(
        "--out", default=DEFAULT_OUT, metavar="DIR", help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the report (default vi)"
    )
    parser.add_argument(
        "--jobs",
        default=None,
        metavar="N",
        help="worker processes (default: up to 2, one per core); the cases are the same",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=_run)


def _whole(text: str, argument: str, *, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputError(argument, f"expected a whole number, got {text!r}") from None
    if value < low:
        raise InputError(argument, f"expected a whole number of at least {low}, got {value}")
    return value


def _progress(quiet: bool) -> tuple[Callable[[str], Callable[[int, int], None]], list[Progress]]:
    bars: list[Progress] = []
    labels = {"cases": "generating cases", "report": "reading the report"}

    def make(phase: str) -> Callable[[int, int], None]:
        if bars:
            bars[-1].close()
        bar = Progress(labels.get(phase, phase), total=0, enabled=False if quiet else None)
        bars.append(bar)
        return bar

    return make, bars


def render_text(run: DemoRun, lang: str = "vi") -> str:
    """What ``demo`` prints: the commission's report of the year, where the HTML report and the
    case timelines are, and the summary with its checks."""
    g = run.generation
    lines = [run.report_text.rstrip(), ""] if run.indicators is not None else []
    html = next((f for f in run.files if f.endswith("report.html")), None)
    if html is not None:
        charts = "biểu đồ, diễn biến vụ việc" if lang == "vi" else "charts and case timelines"
        lines.append(f"HTML ({charts}): {html}")
    for item in run.showcase:
        lines.append(f"  {item.title}")
        lines += [f"    - {head}" for head, _ in item.explanations]
    if run.showcase:
        folder = os.path.join(os.path.dirname(html) if html else ".", "timelines")
        explained = "giải thích thời hạn" if lang == "vi" else "deadlines explained"
        lines += [f"  ({explained}: {folder})", ""]
    total = run.seconds.get("total", 0.0)
    rate = f"{g.tally.steps / total:,.0f}" if total else "-"
    sweep = ", ".join(f"{n} {what}" for what, n in sorted(g.sweep.items())) or "nothing due"
    processes = f"{g.jobs} process{'es' if g.jobs != 1 else ''}"
    verdict = "equals" if run.matches else "DIFFERS FROM"
    figures = "equal" if run.figures_match else "DIFFER FROM"
    digests = "equal" if run.digests_match else "DIFFER FROM"
    seed = run.seed_matches
    lines += [
        (
            f"{g.tally.cases:,} cases, {g.tally.steps:,} steps in {total:.1f} s "
            f"({rate} steps/s, {processes}); year-end sweep: {sweep}"
        ),
        "phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in run.seconds.items() if k != "total"),
        f"the indicators computed from the store {figures} the results the generator made",
        *(
            [f"the {g.settings.year} figures {'equal' if seed else 'DIFFER FROM'} the seed's"]
            if seed is not None
            else []
        ),
        f"the count per process read back from the store {verdict} the generator's own count",
        (
            f"histories of {run.verified:,} sample cases verified (hash chains and moves); the "
            f"digests the report read {digests} them"
        ),
        *([f"plans: {run.plans.text()}"] if run.plans is not None else []),
        f"store: {run.store_url}",
        f"wrote {len(run.files)} files into {os.path.dirname(run.files[0]) if run.files else '.'}",
    ]
    return "\n".join(lines) + "\n"


def _run(args: argparse.Namespace) -> int:
    settings = DemoSettings(
        year=args.year, scale=args.scale, seed=_whole(args.seed, "--seed", low=0)
    )
    cores = os.cpu_count() or 1
    jobs = _whole(args.jobs, "--jobs", low=1) if args.jobs is not None else min(2, cores)
    make, bars = _progress(args.quiet)
    try:
        run = run_demo(
            settings,
            out=args.out,
            store_url=args.store,
            lang=args.lang,
            jobs=jobs,
            progress=make,
        )
    finally:
        for bar in bars:
            bar.close()
    if args.json:
        emit(run.to_dict(), as_json=True)
    else:
        sys.stdout.write(render_text(run, args.lang))
    if not run.figures_match:
        sys.stderr.write(
            "discipline-flow: error: the indicators computed from the store differ from the "
            "results the generator made\n"
        )
        return EXIT_CHECK_FAILED
    if not run.matches:
        sys.stderr.write(
            "discipline-flow: error: the report read back from the store differs from the "
            "generator's own count\n"
        )
        return EXIT_CHECK_FAILED
    if not run.digests_match:
        sys.stderr.write(
            "discipline-flow: error: the case digests the report read differ from the verified "
            "histories of the sample\n"
        )
        return EXIT_CHECK_FAILED
    return EXIT_OK
