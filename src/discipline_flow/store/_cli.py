"""Store subcommands: ``verify``, ``sweep``, ``rearm`` and ``recalculate``.

Each takes ``--store URL`` (default: ``$DISCIPLINE_FLOW_STORE`` or
``sqlite:///discipline_flow.db``) and ``--registry MODULE:ATTRIBUTE`` naming the workflows the
store's cases belong to (default: the shipped CPV workflows).
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from discipline_flow.store._retry import (
    DEFAULT_BACKOFF,
    DEFAULT_MAX_ATTEMPTS,
    RetryPolicy,
    StuckKind,
)
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
    url = args.store if args.store is not None else store_url_from_env()
    return open_store(url, load_registry(args.registry))


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


def _retry(args: argparse.Namespace) -> RetryPolicy:
    attempts, backoff = args.max_attempts, args.backoff
    if not attempts.isdigit():
        raise InputError(
            "--max-attempts", f"expected a whole number from 1 to 100, got {attempts!r}"
        )
    try:
        minutes = float(backoff)
    except ValueError:
        minutes = -1.0
    if not 0 <= minutes <= 366 * 24 * 60:
        raise InputError("--backoff", f"expected minutes from 0 to 527040, got {backoff!r}")
    try:
        return RetryPolicy(max_attempts=int(attempts), backoff=dt.timedelta(minutes=minutes))
    except InputError as exc:
        raise InputError(f"--{exc.argument.replace('_', '-')}", exc.problem) from None


def _sweep(args: argparse.Namespace) -> int:
    if args.failed:
        return _stuck(args)
    retry = _retry(args)
    now = parse_instant(args.now, "--now") if args.now else SystemClock().now()
    with _open(args) as store:
        report = store.sweep(now, dry_run=args.dry_run, limit=args.limit, retry=retry)
    emit(report.to_dict(), as_json=args.json, text=report.text())
    return EXIT_CHECK_FAILED if report.failures else EXIT_OK


def _stuck(args: argparse.Namespace) -> int:
    with _open(args) as store:
        stuck = store.stuck_deadlines(limit=args.limit)
    counts = {k.value: sum(1 for s in stuck if s.kind is k) for k in StuckKind}
    failed = bool(counts["retrying"] or counts["failed"])
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "none"
    lines = [f"stuck deadlines: {summary}"] + [f"  {s.text()}" for s in stuck]
    if stuck:
        lines.append("re-arm one with: discipline-flow rearm CASE_ID [RULE]")
    emit(
        {"counts": counts, "failed": failed, "stuck": [s.to_dict() for s in stuck]},
        as_json=args.json,
        text="\n".join(lines),
    )
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _rearm(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rearmed = store.rearm(args.case_id, args.rule)
    if not rearmed:
        of_rule = f" of rule {args.rule!r}" if args.rule else ""
        raise InputError(
            "CASE_ID",
            f"case {args.case_id} has no refused, retrying or failed deadline{of_rule}; "
            "discipline-flow sweep --failed lists them",
        )
    lines = [f"rearm: {len(rearmed)} deadlines of {args.case_id} re-armed for the next sweep"]
    lines += [f"  {s.text()}" for s in rearmed]
    emit({"rearmed": [s.to_dict() for s in rearmed]}, as_json=args.json, text="\n".join(lines))
    return EXIT_OK


def _recalculate(args: argparse.Namespace) -> int:
    at = parse_instant(args.at, "--at") if args.at else SystemClock().now()
    with _open(args) as store:
        report = store.recalculate(at, reason=args.reason, dry_run=not args.apply)
    emit(report.to_dict(), as_json=args.json, text=report.text())
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``verify``, ``sweep``, ``rearm`` and ``recalculate`` to the ``discipline-flow``
    command."""
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
        help="fire the on_miss trigger of every overdue deadline, once; exit 1 if any failed",
        description="Find open deadlines overdue at NOW through the due index and fire their "
        "rule's on_miss trigger (each exactly once, even with several workers). A fire the "
        "guards refuse is final; one that fails (the case cannot be loaded, an action raised) "
        "is tried again by later sweeps, waiting BACKOFF minutes after the first failure and "
        "twice as long after each next one, and marked failed after MAX_ATTEMPTS. Exits 1 when "
        "a fire failed in this run. With --failed, lists the deadlines sweeps refused, are "
        "retrying or gave up on (exit 1 if any is retrying or failed).",
    )
    _store_argument(sweep)
    sweep.add_argument(
        "--now",
        metavar="ISO",
        help=f"the sweep's instant, {INSTANT_HELP} (default: the system clock)",
    )
    sweep.add_argument("--dry-run", action="store_true", help="report, change nothing")
    sweep.add_argument("--limit", type=int, default=None, help="handle at most N deadlines")
    sweep.add_argument(
        "--failed",
        action="store_true",
        help="list the refused, retrying and failed deadlines instead of sweeping",
    )
    sweep.add_argument(
        "--max-attempts",
        metavar="N",
        default=str(DEFAULT_MAX_ATTEMPTS),
        help=f"tries of a failing fire before it is marked failed (default {DEFAULT_MAX_ATTEMPTS})",
    )
    sweep.add_argument(
        "--backoff",
        metavar="MINUTES",
        default=f"{DEFAULT_BACKOFF.total_seconds() / 60:g}",
        help="wait after the first failure, doubled after each next one "
        f"(default {DEFAULT_BACKOFF.total_seconds() / 60:g})",
    )
    sweep.set_defaults(func=_sweep)

    rearm = subparsers.add_parser(
        "rearm",
        help="let the next sweep try a refused or failed deadline again",
        description="Forget the refusal or the failed attempts of the stuck deadlines of "
        "CASE_ID (of RULE only, when given): the next sweep tries to fire them again. "
        "`discipline-flow sweep --failed` lists them. Exits 3 when nothing of the case is stuck.",
    )
    rearm.add_argument("case_id", metavar="CASE_ID", help="the case")
    rearm.add_argument("rule", metavar="RULE", nargs="?", default=None, help="a deadline rule")
    _store_argument(rearm)
    rearm.set_defaults(func=_rearm)

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
