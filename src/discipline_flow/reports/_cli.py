"""``discipline-flow report``: the annual report of a store, as text, JSON or CSV."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from discipline_flow._progress import Progress
from discipline_flow.cli import EXIT_OK, emit
from discipline_flow.errors import InputError
from discipline_flow.reports import _plans_cli
from discipline_flow.reports._workers import parallel_url
from discipline_flow.reports.annual import annual_report, parse_year
from discipline_flow.store import open_store, store_url_from_env
from discipline_flow.store._cli import load_registry

__all__ = ["FORMATS", "register"]

#: The output formats of ``report``.
FORMATS = ("text", "json", "csv")


def register(subparsers: Any) -> None:
    """Add the ``report`` and ``plans`` subcommands."""
    parser = subparsers.add_parser(
        "report",
        help="annual report of a store: outcomes, measures, deadlines",
        description=(
            "Count the cases a store holds that were opened in YEAR, per process: outcomes, "
            "measures, subjects by kind and level, deadlines met, missed and still open, and "
            "median durations, shaped like an inspection commission's annual report."
        ),
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help="store URL (default: $DISCIPLINE_FLOW_STORE or sqlite:///discipline_flow.db)",
    )
    parser.add_argument("--year", required=True, metavar="YYYY", help="the year, like 2023")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    parser.add_argument("--lang", choices=("en", "vi"), default="en", help="language of labels")
    parser.add_argument(
        "--registry",
        metavar="MODULE:ATTRIBUTE",
        default=None,
        help="the workflows of the stored cases (default: the shipped CPV workflows)",
    )
    parser.add_argument(
        "--jobs",
        default=None,
        metavar="N",
        help="worker processes reading the cases (default: up to 2, one per core)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=_run)
    _plans_cli.register(subparsers)


def _run(args: argparse.Namespace) -> int:
    year = parse_year(args.year)
    if args.jobs is None:
        jobs = min(2, os.cpu_count() or 1)
    elif args.jobs.isdigit() and int(args.jobs) >= 1:
        jobs = int(args.jobs)
    else:
        raise InputError("--jobs", f"expected a whole number of at least 1, got {args.jobs!r}")
    fmt = "json" if args.json else args.format
    url = args.store if args.store is not None else store_url_from_env()
    with open_store(url, load_registry(args.registry)) as store:
        bar = Progress("reading cases", total=0, enabled=False if args.quiet else None)
        # Worker processes rebuild cases with the shipped workflows: a --registry of one's own
        # is read in this process.
        shared = parallel_url(url) if args.registry is None else None
        report = annual_report(store, year, progress=bar, jobs=jobs, url=shared)
        bar.close()
    if fmt == "json":
        emit(report.to_dict(), as_json=True)
    elif fmt == "csv":
        sys.stdout.write(report.csv(args.lang))
    else:
        sys.stdout.write(report.text(args.lang))
    return EXIT_OK
