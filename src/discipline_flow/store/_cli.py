"""Store subcommands: ``verify``, ``anchor``, ``sweep`` and ``recalculate``.

Each takes ``--store URL`` (default: ``$DISCIPLINE_FLOW_STORE`` or
``sqlite:///discipline_flow.db``; a store that does not exist is an error, never created) and ``--registry MODULE:ATTRIBUTE`` naming the workflows the
store's cases belong to (default: the shipped CPV workflows).
"""

from __future__ import annotations

import argparse
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
    """Add ``verify``, ``anchor``, ``sweep`` and ``recalculate`` to the ``discipline-flow``
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
