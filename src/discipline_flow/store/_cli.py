"""Store subcommands: ``verify``, ``sweep`` and ``recalculate``.

Each takes ``--store URL`` (default: ``$DISCIPLINE_FLOW_STORE`` or
``sqlite:///discipline_flow.db``; a store that does not exist is an error, never created) and ``--registry MODULE:ATTRIBUTE`` naming the workflows the
store's cases belong to (default: the shipped CPV workflows).
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from discipline_flow._cli_input import INSTANT_HELP, parse_instant
from discipline_flow.cli import EXIT_CHECK_FAILED, EXIT_OK, emit
from discipline_flow.clock import SystemClock
from discipline_flow.errors import (
    InputError,
    MalformedDataError,
    TamperedHistoryError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store._args import as_registry
from discipline_flow.store._url import open_store, store_url_from_env

__all__ = ["load_registry", "parse_instant", "register"]


def load_registry(spec: str | None) -> WorkflowRegistry:
    """The workflows named by ``MODULE:ATTRIBUTE`` (a registry, workflows, or a function
    returning either); without a spec, the shipped workflows, or none if they are not installed.
    """
    if spec is None:
        try:
            processes = importlib.import_module("discipline_flow.processes")
        except ModuleNotFoundError as exc:
            if exc.name not in ("discipline_flow.processes",):
                raise
            return WorkflowRegistry()
        shipped = getattr(processes, "shipped_registry", None)
        return as_registry(shipped()) if callable(shipped) else WorkflowRegistry()
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise InputError("--registry", f"expected MODULE:ATTRIBUTE, got {spec!r}")
    try:
        value: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError("--registry", f"cannot import {module_name!r}: {exc}") from None
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise InputError("--registry", f"{module_name} has no attribute {attribute!r}")
        value = getattr(value, part)
    if callable(value) and not isinstance(value, WorkflowRegistry):
        value = value()
    return as_registry(value)


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help="store URL (default: $DISCIPLINE_FLOW_STORE or sqlite:///discipline_flow.db)",
    )
    parser.add_argument(
        "--registry",
        metavar="MODULE:ATTRIBUTE",
        default=None,
        help="the workflows of the stored cases (default: the shipped CPV workflows)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def _open(args: argparse.Namespace) -> Any:
    # These commands read or change stored cases: none creates a store, so a mistyped path is
    # an error (exit 2), never an empty store that passes.
    url = args.store if args.store is not None else store_url_from_env()
    return open_store(url, load_registry(args.registry), create=False)


def _verify(args: argparse.Namespace) -> int:
    with _open(args) as store:
        try:
            report = store.verify_all()
        except (TamperedHistoryError, MalformedDataError) as problem:
            emit(
                {"ok": False, "problem": str(problem)},
                as_json=args.json,
                text=f"verify: FAILED: {problem}",
            )
            return EXIT_CHECK_FAILED
    chain_only = (
        f" ({len(report.chain_only)} of unregistered workflows: chain only)"
        if report.chain_only
        else ""
    )
    emit(
        {
            "ok": True,
            "cases": report.cases,
            "steps": report.steps,
            "chain_only": list(report.chain_only),
        },
        as_json=args.json,
        text=f"verify: ok: {report.cases} cases, {report.steps} steps{chain_only}",
    )
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    now = parse_instant(args.now, "--now") if args.now else SystemClock().now()
    with _open(args) as store:
        report = store.sweep(now, dry_run=args.dry_run, limit=args.limit)
    emit(report.to_dict(), as_json=args.json, text=report.text())
    return EXIT_OK


def _recalculate(args: argparse.Namespace) -> int:
    at = parse_instant(args.at, "--at") if args.at else SystemClock().now()
    with _open(args) as store:
        report = store.recalculate(at, reason=args.reason, dry_run=not args.apply)
    emit(report.to_dict(), as_json=args.json, text=report.text())
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``verify``, ``sweep`` and ``recalculate`` to the ``discipline-flow`` command."""
    verify = subparsers.add_parser(
        "verify",
        help="check every case of a store (hash chains, versions); exit 1 at the first problem",
        description="Check every stored case: its hash chain, recorded version and head, state "
        "and moves. Exits 1 at the first problem, naming the case and step.",
    )
    _store_argument(verify)
    verify.set_defaults(func=_verify)

    sweep = subparsers.add_parser(
        "sweep",
        help="fire the on_miss trigger of every overdue deadline, once",
        description="Find open deadlines overdue at NOW through the due index and fire their "
        "rule's on_miss trigger (each exactly once, even with several workers).",
    )
    _store_argument(sweep)
    sweep.add_argument(
        "--now",
        metavar="ISO",
        help=f"the sweep's instant, {INSTANT_HELP} (default: the system clock)",
    )
    sweep.add_argument("--dry-run", action="store_true", help="report, change nothing")
    sweep.add_argument("--limit", type=int, default=None, help="handle at most N deadlines")
    sweep.set_defaults(func=_sweep)

    recalculate = subparsers.add_parser(
        "recalculate",
        help="recompute open deadlines after a calendar or rule change",
        description="Recompute the deadlines of open cases and report which moved and by how "
        "much. Nothing is saved without --apply; applied changes are recorded as RECALCULATE "
        "steps with the reason.",
    )
    _store_argument(recalculate)
    recalculate.add_argument("--reason", required=True, help="why (recorded in each step)")
    recalculate.add_argument("--apply", action="store_true", help="save the changes")
    recalculate.add_argument(
        "--at",
        metavar="ISO",
        help=f"the instant of the recorded steps, {INSTANT_HELP} (default: system clock)",
    )
    recalculate.set_defaults(func=_recalculate)
