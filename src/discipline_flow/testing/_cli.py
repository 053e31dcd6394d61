"""``discipline-flow check PATH...``: run scenario files without writing Python.

Each PATH is a ``*.scenario.toml`` file or a folder searched for them. Exit codes: 0 when every
scenario passed, 1 when one failed, 3 when a file could not be read (a wrong name, bad TOML, an
unknown workflow) — input errors win over failures.
"""

from __future__ import annotations

import argparse
from typing import Any

from discipline_flow.cli import EXIT_CHECK_FAILED, EXIT_INPUT, EXIT_OK, emit
from discipline_flow.errors import ScenarioFileError
from discipline_flow.testing.files import check_paths

__all__ = ["register", "run_check"]


def register(subparsers: Any) -> None:
    """Add the ``check`` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="run scenario files (*.scenario.toml) and report",
        description=(
            "Run the scenarios of *.scenario.toml files (folders are searched recursively). "
            "Exit 0 when all pass, 1 when one fails, 3 when a file cannot be read."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a scenario file or a folder")
    parser.add_argument("--json", action="store_true", help="print the outcomes as JSON")
    parser.add_argument(
        "--quiet", action="store_true", help="print only the failures and the summary line"
    )
    parser.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Run the scenarios under ``args.paths``; print a report; return the exit code."""
    try:
        outcomes = check_paths(args.paths)
    except ScenarioFileError as exc:  # a path that does not exist
        outcomes = []
        missing = str(exc)
    else:
        missing = ""
    passed = sum(1 for o in outcomes if o.status == "passed")
    failed = sum(1 for o in outcomes if o.status == "failed")
    errors = sum(1 for o in outcomes if o.status == "error") + (1 if missing else 0)
    summary = f"{passed} passed, {failed} failed, {errors} errors"
    if not outcomes and not missing:
        summary = "no scenario files found (*.scenario.toml)"
        errors = 1
    if args.json:
        data = {
            "passed": passed,
            "failed": failed,
            "errors": errors,
            "outcomes": [
                {"id": o.id, "status": o.status, "workflow": o.workflow, "message": o.message}
                for o in outcomes
            ],
        }
        if missing:
            data["problem"] = missing
        emit(data, as_json=True)
    else:
        lines: list[str] = []
        for outcome in outcomes:
            if outcome.status == "passed" and args.quiet:
                continue
            ran = f" ({outcome.workflow})" if outcome.workflow else ""
            lines.append(f"{outcome.status.upper():6} {outcome.id}{ran}")
            if outcome.message:
                lines.extend(f"    {line}" for line in outcome.message.splitlines())
        if missing:
            lines.append(f"ERROR  {missing}")
        lines.append(summary)
        emit(None, as_json=False, text="\n".join(lines))
    if errors:
        return EXIT_INPUT
    if failed:
        return EXIT_CHECK_FAILED
    return EXIT_OK
