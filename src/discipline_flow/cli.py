"""The ``discipline-flow`` command line.

Each part of the library registers its own subcommands: a sub-package ``discipline_flow.<part>``
with a private module ``_cli.py`` exposing ``register(subparsers)`` is picked up here.

Exit codes (documented in ``docs/reference/cli.md``):

====  ==============================================================
0     success
1     a check failed (``verify`` found a problem, ``check`` a failing scenario, ``sweep`` a
      fire that failed)
2     the command line is wrong (unknown command or option, a store that does not exist)
3     bad input (a date, period, workflow or option value that is not allowed)
4     refused (a transition or deadline operation the rules do not allow)
5     store error (cannot open, conflict, tampered history)
6     an optional tool is missing (for example Graphviz's ``dot``)
====  ==============================================================
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import attrs

from discipline_flow._version import __version__
from discipline_flow.errors import (
    DeadlineError,
    DisciplineFlowError,
    InputError,
    MissingToolError,
    StoreError,
    StoreNotFoundError,
    TransitionRefused,
)

__all__ = [
    "EXIT_CHECK_FAILED",
    "EXIT_INPUT",
    "EXIT_MISSING_TOOL",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_STORE",
    "EXIT_USAGE",
    "CommandFunction",
    "emit",
    "error_code",
    "main",
]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_REFUSED = 4
EXIT_STORE = 5
EXIT_MISSING_TOOL = 6

#: Signature of a subcommand: it receives the parsed arguments and returns an exit code.
CommandFunction = Callable[[argparse.Namespace], int]

#: Parts of the library that may register subcommands, in the order ``--help`` lists them.
_PARTS = (
    "demo",
    "reports",
    "processes",
    "rules",
    "time",
    "diagrams",
    "store",
    "testing",
)


def emit(data: Any, *, as_json: bool, text: str | None = None, out: TextIO | None = None) -> None:
    """Print ``data`` as JSON (``--json``) or ``text`` otherwise."""
    stream = out if out is not None else sys.stdout
    if as_json:
        json.dump(data, stream, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        stream.write("\n")
    else:
        stream.write(text if text is not None else str(data))
        if not (text or "").endswith("\n"):
            stream.write("\n")


class _UsageError(Exception):
    """The command line is wrong (argparse's complaint, raised instead of exiting)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one clear line, exit 2 (main prints it)
        raise _UsageError(message)


def error_code(error: BaseException) -> str:
    """The stable code of an error in ``--json`` output: its class name in snake case.

    >>> from discipline_flow.errors import InputError, TransitionRefused
    >>> error_code(InputError("x", "y")), error_code(TransitionRefused("C", "T", "S", (), ()))
    ('input_error', 'transition_refused')
    """
    name = type(error).__name__
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def _report_error(code: str, message: str, exit_code: int, fields: Any, as_json: bool) -> int:
    if as_json:
        data = {"error": {"code": code, "message": message, "exit_code": exit_code}}
        if fields:
            data["error"]["fields"] = fields
        emit(data, as_json=True)
    sys.stderr.write(f"discipline-flow: error: {message}\n")
    return exit_code


def _fields(error: DisciplineFlowError) -> dict[str, Any]:
    # The error's own data (case id, failures, allowed triggers...), JSON-ready.
    if not attrs.has(type(error)):
        return {}
    return attrs.asdict(error, value_serializer=_plain)


def _plain(_instance: Any, _field: Any, value: Any) -> Any:
    if isinstance(value, str | int | float | bool | type(None) | list | tuple | dict):
        return value
    return str(value)


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every registered subcommand."""
    parser = _Parser(
        prog="discipline-flow",
        description="Party disciplinary cases as typed state machines with legal deadlines.",
    )
    parser.add_argument("--version", action="version", version=f"discipline-flow {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for part in _PARTS:
        module_name = f"discipline_flow.{part}._cli"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name in (module_name, f"discipline_flow.{part}"):
                continue
            raise
        module.register(subparsers)
    return parser


def _exit_code(error: DisciplineFlowError) -> int:
    if isinstance(error, StoreNotFoundError):  # a mistyped --store: the command line is wrong
        return EXIT_USAGE
    if isinstance(error, MissingToolError):
        return EXIT_MISSING_TOOL
    if isinstance(error, StoreError):
        return EXIT_STORE
    if isinstance(error, TransitionRefused | DeadlineError):
        return EXIT_REFUSED
    if isinstance(error, InputError | ValueError | LookupError):
        return EXIT_INPUT
    return EXIT_REFUSED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(words)
    except _UsageError as usage:  # argparse's convention: the usage error exits
        raise SystemExit(
            _report_error("usage", str(usage), EXIT_USAGE, None, "--json" in words)
        ) from None
    func: CommandFunction | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    as_json = bool(getattr(args, "json", False))
    try:
        return func(args)
    except DisciplineFlowError as error:
        return _report_error(
            error_code(error), str(error), _exit_code(error), _fields(error), as_json
        )
    except KeyboardInterrupt:
        sys.stderr.write("discipline-flow: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``discipline-flow rules | head``): stop quietly, as Unix tools
        # do, and keep Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _console() -> None:  # pragma: no cover - thin wrapper used by __main__
    raise SystemExit(main())
