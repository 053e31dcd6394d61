"""``discipline-flow report``: the indicators of a period as the commission's report (compared
with the previous period when the store holds it), every figure one a line, or JSON; with
``--html`` the HTML report and with ``--forms`` the tables shaped like the statistical forms."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from discipline_flow._progress import Progress
from discipline_flow.cli import EXIT_OK, emit
from discipline_flow.errors import InputError
from discipline_flow.reports import _plans_cli
from discipline_flow.reports._workers import parallel_url
from discipline_flow.reports.commission import commission_report
from discipline_flow.reports.compute import compute_indicators
from discipline_flow.reports.forms import write_forms
from discipline_flow.reports.html import write_html
from discipline_flow.reports.indicators import INDICATORS, Indicators
from discipline_flow.reports.period import Period
from discipline_flow.store import open_store, store_url_from_env
from discipline_flow.store._cli import load_registry

__all__ = ["FORMATS", "listing", "register"]

#: The output formats of ``report``: the commission's report, every figure one a line, JSON.
FORMATS = ("text", "figures", "json")


def register(subparsers: Any) -> None:
    """Add the ``report`` and ``plans`` subcommands."""
    parser = subparsers.add_parser(
        "report",
        help="the indicators of a period: supervision, inspection, discipline, complaints",
        description=(
            "Count the results a store holds for a period (month, quarter, six or nine months, "
            "year or term), by acting level and subject, as the inspection sector's statistics "
            "define them (docs: reference/indicators): cases opened earlier count when their "
            "counted step falls in the period."
        ),
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help="store URL (default: $DISCIPLINE_FLOW_STORE or sqlite:///discipline_flow.db)",
    )
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--period",
        metavar="PERIOD",
        type=_period,
        help="2023, 2023-Q3, 2023-H1 (or 2023-6M), 2023-9M, 2023-07 or a term like 2020-2025",
    )
    when.add_argument(
        "--year",
        metavar="YYYY",
        type=_year,
        dest="period",
        help="the year, like 2023 (same as --period YYYY)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: the commission's report; figures: every figure, one a line; json",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    parser.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the report (default vi)"
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        default=None,
        help="also write the HTML report (charts when the 'charts' extra is installed)",
    )
    parser.add_argument(
        "--forms",
        metavar="DIR",
        default=None,
        help="also write the tables shaped like the statistical forms (CSV and JSON) into DIR",
    )
    parser.add_argument(
        "--levels",
        metavar="LEVEL,...",
        default=None,
        help="the levels shown, from the top (default: all, without district after 1 July 2025)",
    )
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


def _period(text: str) -> Period:
    """``--period``: a period as :meth:`Period.parse` reads it; a usage error (exit 2) with its
    message otherwise."""
    try:
        return Period.parse(text)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _year(text: str) -> Period:
    """``--year``: a year only, as ``--period YYYY``."""
    if not (text.strip().isdigit() and len(text.strip()) == 4):
        raise argparse.ArgumentTypeError(f"expected a year like 2023, got {text!r}")
    return _period(text)


def _run(args: argparse.Namespace) -> int:
    period: Period = args.period
    if args.jobs is None:
        jobs = min(2, os.cpu_count() or 1)
    elif args.jobs.isdigit() and int(args.jobs) >= 1:
        jobs = int(args.jobs)
    else:
        raise InputError("--jobs", f"expected a whole number of at least 1, got {args.jobs!r}")
    levels = None
    if args.levels is not None:
        levels = tuple(part.strip() for part in args.levels.split(",") if part.strip())
    url = args.store if args.store is not None else store_url_from_env()
    with open_store(url, load_registry(args.registry), create=False) as store:
        bar = Progress("reading cases", total=0, enabled=False if args.quiet else None)
        # Worker processes read the cases with the shipped workflows: a --registry of one's own
        # is read in this process.
        shared = parallel_url(url) if args.registry is None else None
        figures = compute_indicators(
            store, period, levels=levels, progress=bar, jobs=jobs, url=shared
        )
        # The comparison with the same period a year earlier, when the store holds cases opened
        # by its end (a store that starts later has nothing to compare with).
        previous = None
        if store.query_ids(opened_until=period.previous().end, limit=1):
            previous = compute_indicators(
                store, period.previous(), levels=levels, jobs=jobs, url=shared
            )
        bar.close()
    text = commission_report(figures, previous=previous, lang=args.lang)
    written: list[Path] = []
    if args.html is not None:
        try:
            page = write_html(args.html, figures, previous=previous, lang=args.lang, text=text)
        except InputError as error:
            raise InputError("--html", error.problem) from None
        written.append(page)
    if args.forms is not None:
        try:
            written += write_forms(figures, args.forms, lang=args.lang)
        except OSError as exc:
            raise InputError("--forms", f"cannot write into {args.forms}: {exc.strerror}") from None
    if args.json or args.format == "json":
        emit(figures.to_dict(), as_json=True)
    elif args.format == "figures":
        emit(None, as_json=False, text=listing(figures, args.lang))
    else:
        emit(None, as_json=False, text=text)
    for path in written:
        sys.stderr.write(f"wrote {path}\n")
    return EXIT_OK


def listing(figures: Indicators, lang: str = "en") -> str:
    """Every non-zero figure of ``figures`` with its label, one line each: organisations,
    members and committee members over every level, then per level (organisations/members/
    committee members); the discipline by form,
    the deadlines and the plans.

    >>> from discipline_flow.reports.indicators import Count
    >>> figures = Indicators(period=Period.parse("2023-Q3"), levels=("provincial", "grassroots"),
    ...                      figures={"discipline.let_go": {"grassroots": Count(members=2)}})
    >>> print(listing(figures), end="")
    indicators 2023-Q3 (2023-07-01 to 2023-09-30), levels: provincial, grassroots
    discipline.let_go (Allowed to leave the party): 0 organisations, 2 members, 0 committee members
      grassroots: 0/2/0
    """
    head = (
        f"indicators {figures.period.label} ({figures.period.start.date().isoformat()} to "
        f"{figures.period.last_day.isoformat()}), levels: {', '.join(figures.levels)}"
    )
    lines = [head]
    if figures.folded:
        lines.append(
            "folded: " + ", ".join(f"{a} into {b}" for a, b in sorted(figures.folded.items()))
        )
    for key, indicator in INDICATORS.items():
        total = figures.total(key)
        if total.is_zero:
            continue
        lines.append(
            f"{key} ({indicator.label(lang)}): {total.organisations} organisations, "
            f"{total.members} members, {total.committee_members} committee members"
        )
        lines.extend(
            f"  {level}: {c.organisations}/{c.members}/{c.committee_members}"
            for level, c in figures.by_level(key).items()
        )
    for form in figures.discipline_by_form:
        total = figures.form_total(form)
        lines.append(
            f"discipline.form.{form}: {total.organisations} organisations, {total.members} members"
        )
    for section, outcomes in figures.deadlines.items():
        if any(outcomes.values()):
            counts = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
            lines.append(f"deadlines.{section}: {counts}")
    plans = figures.plans_total()
    if plans.plans:
        lines.append(
            f"plans: {plans.plans} plans, {plans.contents} contents "
            f"({plans.inspection_contents} inspection, {plans.supervision_contents} supervision), "
            f"{plans.teams} teams, {plans.contents_done} contents done; outside the plans "
            f"{plans.out_of_plan_teams} teams"
        )
    return "\n".join(lines) + "\n"
