"""Store subcommands: ``verify``, ``anchor``, ``sweep``, ``rearm`` and ``recalculate``.

Each takes ``--store URL`` (default: ``$DISCIPLINE_FLOW_STORE`` or
``sqlite:///discipline_flow.db``; a store that does not exist is an error, never created) and ``--registry MODULE:ATTRIBUTE`` naming the workflows the
store's cases belong to (default: the shipped CPV workflows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
from pathlib import Path
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
from discipline_flow.store._anchor import Anchor, anchor_store, check_anchor
from discipline_flow.store._args import as_registry
from discipline_flow.store._retry import (
    DEFAULT_BACKOFF,
    DEFAULT_MAX_ATTEMPTS,
    RetryPolicy,
    StuckKind,
)
from discipline_flow.store._url import open_store, store_url_from_env

__all__ = ["ANCHOR_KEY_ENV", "load_registry", "parse_instant", "register"]

#: The environment variable ``anchor`` and ``verify --anchor`` read an HMAC key from by default.
ANCHOR_KEY_ENV = "DISCIPLINE_FLOW_ANCHOR_KEY"


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


def _key(args: argparse.Namespace) -> bytes | None:
    """The HMAC key in the environment variable ``--key-env`` names (None: unset or empty)."""
    value = os.environ.get(args.key_env, "")
    return value.encode("utf-8") if value else None


def _read_anchor(path: str) -> Anchor:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("--anchor", f"cannot read {path}: {exc}") from None
    return Anchor.from_json(text)


def _verify(args: argparse.Namespace) -> int:
    anchor = _read_anchor(args.anchor) if args.anchor is not None else None
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
        problems = [] if anchor is None else check_anchor(store, anchor, key=_key(args))
    chain_only = (
        f" ({len(report.chain_only)} of unregistered workflows: chain only)"
        if report.chain_only
        else ""
    )
    data: dict[str, Any] = {
        "ok": not problems,
        "cases": report.cases,
        "steps": report.steps,
        "chain_only": list(report.chain_only),
    }
    text = f"verify: ok: {report.cases} cases, {report.steps} steps{chain_only}"
    if anchor is not None:
        data["anchor"] = {
            "cases": len(anchor.heads),
            "keyed": anchor.hmac is not None,
            "problems": [
                {"case_id": p.case_id, "kind": p.kind, "detail": p.detail} for p in problems
            ],
        }
        if problems:
            lines = "\n".join(f"  {p.kind}: {p.detail}" for p in problems)
            text = f"verify: FAILED: {len(problems)} against the anchor {args.anchor}:\n{lines}"
        else:
            text += f"; every one of {len(anchor.heads)} anchored cases extends its anchored head"
    emit(data, as_json=args.json, text=text)
    return EXIT_CHECK_FAILED if problems else EXIT_OK


def _anchor(args: argparse.Namespace) -> int:
    key = _key(args)
    with _open(args) as store:
        try:
            store.verify_all()  # only a store that verifies is anchored
        except (TamperedHistoryError, MalformedDataError) as problem:
            emit(
                {"ok": False, "problem": str(problem)},
                as_json=args.json,
                text=f"anchor: FAILED (nothing written): {problem}",
            )
            return EXIT_CHECK_FAILED
        anchor = anchor_store(store, key=key)
    try:
        Path(args.out).write_text(anchor.to_json(), encoding="utf-8")
    except OSError as exc:
        raise InputError("--out", f"cannot write {args.out}: {exc}") from None
    keyed = f"keyed with ${args.key_env}" if key else "not keyed"
    emit(
        {"ok": True, "cases": len(anchor.heads), "root": anchor.root, "keyed": key is not None},
        as_json=args.json,
        text=f"anchor: {len(anchor.heads)} cases, root {anchor.root} ({keyed}) -> {args.out}",
    )
    return EXIT_OK


def _key_env_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key-env",
        metavar="NAME",
        default=ANCHOR_KEY_ENV,
        help=f"environment variable holding the anchor's HMAC key (default: {ANCHOR_KEY_ENV}; "
        "unset or empty: no key)",
    )


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
    """Add ``verify``, ``anchor``, ``sweep``, ``rearm`` and ``recalculate`` to the ``discipline-flow``
    command."""
    verify = subparsers.add_parser(
        "verify",
        help="check every case of a store (hash chains, rows against a replay); exit 1 at the "
        "first problem",
        description="Check every stored case: its hash chain, recorded version and head, state "
        "and moves, and its case and deadline rows against a replay of its history. Exits 1 at "
        "the first problem, naming the case and the step or field.",
    )
    _store_argument(verify)
    verify.add_argument(
        "--anchor",
        metavar="FILE",
        default=None,
        help="also report every case whose history no longer extends the head FILE anchored "
        "(written by `discipline-flow anchor`), and an anchor whose root or HMAC does not check",
    )
    _key_env_argument(verify)
    verify.set_defaults(func=_verify)

    anchor = subparsers.add_parser(
        "anchor",
        help="write the version and head of every case to a file kept outside the database",
        description="Verify the store, then write an anchor: each case's version and head, a "
        "root digest over all of them and, with a key, an HMAC-SHA256. Keep it where the "
        "database's writers cannot write; `verify --anchor FILE` then shows every history "
        "truncated or rewritten since.",
    )
    _store_argument(anchor)
    anchor.add_argument("--out", metavar="FILE", required=True, help="the anchor file to write")
    _key_env_argument(anchor)
    anchor.set_defaults(func=_anchor)

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
