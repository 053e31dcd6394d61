"""``discipline-flow rules``: list the rules of a ruleset, diff two rulesets, check a file.

``--file`` and ``--rules-dir`` add the user's ruleset files to the built-in rulesets, so that
every form (list, ``--on``, ``--list``, ``diff``) sees them.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any

from discipline_flow._cli_input import parse_day
from discipline_flow.citation import RuleStatus
from discipline_flow.cli import emit
from discipline_flow.errors import (
    InputError,
    InvalidRuleError,
    InvalidRulesetError,
    RulesetFileError,
)
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules._file import line_of
from discipline_flow.rules.markdown import authority_markdown, rules_markdown
from discipline_flow.rules.registry import RulesetRegistry, default_registry, load_rulesets
from discipline_flow.rules.ruleset import Ruleset

__all__ = ["register"]

_STATUSES = tuple(status.value for status in RuleStatus)


def _add_files(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--file",
        metavar="FILE",
        action="append",
        default=[],
        help="a ruleset file (TOML) to add to the built-in rulesets; may be repeated",
    )
    parser.add_argument(
        "--rules-dir",
        metavar="DIR",
        action="append",
        default=[],
        help="a folder whose *.toml ruleset files are added to the built-in rulesets",
    )


def register(subparsers: Any) -> None:
    """Add the ``rules`` subcommand, with its ``diff`` and ``check`` forms."""
    parser = subparsers.add_parser(
        "rules",
        help="list, diff and check rulesets: every rule with value, citation and status",
        description="List every rule of a ruleset (the newest unless --ruleset or --on says "
        "otherwise) with its value, citation and status. 'rules diff A B' lists what changed "
        "between two rulesets; 'rules check FILE' checks a ruleset file.",
    )
    choose = parser.add_mutually_exclusive_group()
    choose.add_argument("--ruleset", metavar="NAME", help="a ruleset by name, e.g. 2025-07")
    choose.add_argument("--on", metavar="YYYY-MM-DD", help="the ruleset in force on this date")
    parser.add_argument(
        "--status",
        metavar="STATUS",
        help=f"only rules with this status: {', '.join(_STATUSES)}",
    )
    _add_files(parser)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument(
        "--markdown", action="store_true", help="print Markdown tables (rules and authority)"
    )
    output.add_argument(
        "--list", action="store_true", dest="list_rulesets", help="list the rulesets and exit"
    )
    parser.set_defaults(func=_run)
    forms = parser.add_subparsers(dest="form", metavar="{diff,check}")
    diff = forms.add_parser(
        "diff",
        help="every rule and authority cell added, removed or changed from ruleset A to B",
        description="Every rule and authority cell added, removed or changed from ruleset A to "
        "ruleset B, with both values, citations and statuses. A and B are ruleset names or "
        "paths of ruleset files.",
    )
    diff.add_argument("old", metavar="A", help="the older ruleset: a name or a .toml file")
    diff.add_argument("new", metavar="B", help="the newer ruleset: a name or a .toml file")
    _add_files(diff)
    shown = diff.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print JSON")
    shown.add_argument("--markdown", action="store_true", help="print Markdown tables")
    diff.set_defaults(func=_diff)
    check = forms.add_parser(
        "check",
        help="check a ruleset file without a store; exit 0 if it is valid",
        description="Read a ruleset file as the library would (the schema, the ruleset it is "
        "based on, its dates against the other rulesets) and say what it changes; an invalid "
        "file is an error naming the file, line and key (exit 3).",
    )
    check.add_argument("path", metavar="FILE", help="the ruleset file (TOML)")
    _add_files(check)
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(func=_check)


def _registry(args: argparse.Namespace) -> RulesetRegistry:
    paths = [*args.file, *args.rules_dir]
    return default_registry().with_files(*paths) if paths else default_registry()


def _choose(args: argparse.Namespace, registry: RulesetRegistry) -> Ruleset:
    if args.ruleset is not None:
        return registry.get(args.ruleset)
    if args.on is not None:
        return registry.select(parse_day(args.on, "--on"))
    return registry.latest()


def _status(text: str | None) -> RuleStatus | None:
    if text is None:
        return None
    try:
        return RuleStatus(text)
    except ValueError:
        raise InputError(
            "--status", f"unknown status {text!r}; statuses: {', '.join(_STATUSES)}"
        ) from None


def _summary(ruleset: Ruleset) -> dict[str, Any]:
    return {
        "name": ruleset.name,
        "effective_from": ruleset.effective_from.isoformat(),
        "effective_until": (
            None if ruleset.effective_until is None else ruleset.effective_until.isoformat()
        ),
        "has_district_level": ruleset.has_district_level,
        "documents": [str(document) for document in ruleset.documents],
    }


def _run(args: argparse.Namespace) -> int:
    out = sys.stdout
    registry = _registry(args)
    if args.list_rulesets:
        for ruleset in registry:
            out.write(f"{ruleset.name:<8} {ruleset.span:<26} {ruleset.note or ''}\n")
        return 0
    status = _status(args.status)
    ruleset = _choose(args, registry)
    rules = list(ruleset.rules.values())
    if status is not None:
        rules = [rule for rule in rules if rule.status is status]
    if args.json:
        payload = {"ruleset": _summary(ruleset), "rules": [rule.to_payload() for rule in rules]}
        emit(payload, as_json=True)
        return 0
    if args.markdown:
        out.write(f"## Ruleset {ruleset.name} ({ruleset.span})\n\n")
        out.write(rules_markdown(ruleset))
        out.write(f"\n## Authority matrix of ruleset {ruleset.name}\n\n")
        out.write(authority_markdown(ruleset))
        return 0
    out.write(f"ruleset {ruleset.name} ({ruleset.span}): {ruleset.note or ''}\n")
    width = max((len(rule.key) for rule in rules), default=3)
    value_width = min(max((len(rule.value_text) for rule in rules), default=5), 24)
    for rule in rules:
        out.write(
            f"{rule.key:<{width}}  {rule.value_text:<{value_width}}  {rule.status.value:<10}  "
            f"{rule.citation.reference}\n"
        )
    if not rules:
        out.write("(no rules with that status)\n")
    return 0


def _named_or_file(text: str, registry: RulesetRegistry) -> Ruleset:
    if text.endswith(".toml") or pathlib.Path(text).is_file():
        return load_rulesets(text, registry=registry)[0]
    return registry.get(text)


def _diff(args: argparse.Namespace) -> int:
    registry = _registry(args)
    diff = _named_or_file(args.old, registry).diff(_named_or_file(args.new, registry))
    if args.json:
        emit(diff.to_payload(), as_json=True)
    elif args.markdown:
        sys.stdout.write(diff.markdown())
    else:
        sys.stdout.write(diff.text())
    return 0


def _check(args: argparse.Namespace) -> int:
    registry = _registry(args)
    ruleset = load_rulesets(args.path, registry=registry)[0]
    try:  # its dates must fit among the other rulesets
        placed = registry.with_ruleset(ruleset)
    except InvalidRulesetError as error:
        text = pathlib.Path(args.path).read_text(encoding="utf-8")
        line = line_of(text, ("effective_from",))
        raise RulesetFileError("effective_from", error.problem, args.path, line) from None
    try:  # the shipped workflows are built from it: the rules they read must make sense
        workflows = shipped_workflows(ruleset)
    except InvalidRuleError as error:
        text = pathlib.Path(args.path).read_text(encoding="utf-8")
        line = line_of(text, ("rules", error.rule, "value"))
        raise RulesetFileError(
            f"rules.{error.rule}.value", error.problem, args.path, line
        ) from None
    base = next((r for r in registry if r.name == ruleset.name), None)
    overridden = [rule.key for rule in ruleset.overridden]
    counts = f"{len(ruleset.rules)} rules ({len(overridden)} overridden)"
    lines = [
        (
            f"{args.path}: ruleset {ruleset.name} ({ruleset.span}) is valid: {counts}, "
            f"{len(ruleset.authority)} authority cells, {len(workflows)} workflows built"
        ),
        "rulesets by date: " + ", ".join(f"{r.name} ({r.span})" for r in placed),
    ]
    if overridden:
        lines.append(f"overridden: {', '.join(overridden)}")
    payload = {
        "path": args.path,
        "valid": True,
        "ruleset": _summary(ruleset),
        "replaces": None if base is None else base.name,
        "overridden": overridden,
        "rules": len(ruleset.rules),
        "authority_cells": len(ruleset.authority),
        "rulesets_by_date": [{"name": r.name, "span": r.span} for r in placed],
    }
    emit(payload, as_json=args.json, text="\n".join(lines) + "\n")
    return 0
