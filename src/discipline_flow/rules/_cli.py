"""``discipline-flow rules``: list every rule of a ruleset with value, citation and status."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from discipline_flow._cli_input import parse_day
from discipline_flow.citation import RuleStatus
from discipline_flow.cli import emit
from discipline_flow.errors import InputError
from discipline_flow.rules.markdown import authority_markdown, rules_markdown
from discipline_flow.rules.registry import default_registry
from discipline_flow.rules.ruleset import Ruleset

__all__ = ["register"]

_STATUSES = tuple(status.value for status in RuleStatus)


def register(subparsers: Any) -> None:
    """Add the ``rules`` subcommand."""
    parser = subparsers.add_parser(
        "rules",
        help="list the rules of a ruleset with value, citation and status",
        description="List every rule of a ruleset (the newest unless --ruleset or --on says "
        "otherwise) with its value, citation and status.",
    )
    choose = parser.add_mutually_exclusive_group()
    choose.add_argument("--ruleset", metavar="NAME", help="a ruleset by name, e.g. 2025-07")
    choose.add_argument("--on", metavar="YYYY-MM-DD", help="the ruleset in force on this date")
    parser.add_argument(
        "--status",
        metavar="STATUS",
        help=f"only rules with this status: {', '.join(_STATUSES)}",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument(
        "--markdown", action="store_true", help="print Markdown tables (rules and authority)"
    )
    output.add_argument(
        "--list", action="store_true", dest="list_rulesets", help="list the rulesets and exit"
    )
    parser.set_defaults(func=_run)


def _choose(args: argparse.Namespace) -> Ruleset:
    registry = default_registry()
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


def _run(args: argparse.Namespace) -> int:
    out = sys.stdout
    if args.list_rulesets:
        for ruleset in default_registry():
            out.write(f"{ruleset.name:<8} {ruleset.span:<26} {ruleset.note or ''}\n")
        return 0
    status = _status(args.status)
    ruleset = _choose(args)
    rules = list(ruleset.rules.values())
    if status is not None:
        rules = [rule for rule in rules if rule.status is status]
    if args.json:
        emit(
            {
                "ruleset": {
                    "name": ruleset.name,
                    "effective_from": ruleset.effective_from.isoformat(),
                    "effective_until": (
                        None
                        if ruleset.effective_until is None
                        else ruleset.effective_until.isoformat()
                    ),
                    "has_district_level": ruleset.has_district_level,
                    "documents": [str(document) for document in ruleset.documents],
                },
                "rules": [rule.to_payload() for rule in rules],
            },
            as_json=True,
        )
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
