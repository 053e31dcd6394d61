"""``discipline-flow plans``: the inspection and supervision plans of a store and their completion."""

from __future__ import annotations

import argparse
from typing import Any

from discipline_flow._cli_input import INSTANT_HELP, parse_instant
from discipline_flow.cli import EXIT_OK, emit
from discipline_flow.errors import InputError
from discipline_flow.planning import PLAN_WORKFLOW, plan_completion
from discipline_flow.store import open_store, store_url_from_env
from discipline_flow.store._cli import load_registry

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``plans`` subcommand."""
    parser = subparsers.add_parser(
        "plans",
        help="list the inspection and supervision plans of a store and their completion",
        description="List every inspection and supervision plan a store holds (optionally of "
        "one year) with its completion: contents done, in progress and not started, items "
        "outside the plan, teams; as stored now, or as it stood at --at.",
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help="store URL (default: $DISCIPLINE_FLOW_STORE or sqlite:///discipline_flow.db)",
    )
    parser.add_argument("--year", metavar="YYYY", default=None, help="only the plans of this year")
    parser.add_argument("--at", metavar="ISO", default=None, help=f"the instant, {INSTANT_HELP}")
    parser.add_argument(
        "--registry",
        metavar="MODULE:ATTRIBUTE",
        default=None,
        help="the workflows of the stored cases (default: the shipped CPV workflows)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    year = None
    if args.year is not None:
        if not (args.year.isdigit() and len(args.year) == 4):
            raise InputError("--year", f"expected a year like 2023, got {args.year!r}")
        year = int(args.year)
    at = parse_instant(args.at, "--at") if args.at else None
    url = args.store if args.store is not None else store_url_from_env()
    with open_store(url, load_registry(args.registry)) as store:
        plans = []
        for summary in store.query(workflow=PLAN_WORKFLOW):
            if at is not None and summary.opened_at > at:
                continue
            completion = plan_completion(store, summary.id, at=at)
            if year is None or completion.plan.year == year:
                plans.append(completion)
    text = "\n".join(p.text() for p in plans) or "no plans"
    emit({"plans": [p.to_dict() for p in plans]}, as_json=args.json, text=text)
    return EXIT_OK
