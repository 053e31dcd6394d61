"""The command table of ``discipline-flow``, generated from the parser itself.

``docs/reference/cli.md`` and the README show this table; a test compares the README's copy with
:func:`command_table`, so the documented commands are always the ones ``--help`` lists.

>>> from discipline_flow._cli_table import command_table, commands
>>> "discipline-flow rules" in command_table()
True
>>> all(info.help for info in commands())
True
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import attrs

from discipline_flow.cli import build_parser

__all__ = ["NO_HELP", "CommandInfo", "command_table", "commands", "main"]

#: What the table shows for a subcommand registered without a one-line ``help=``.
NO_HELP = "(no help: register the subcommand with help=...)"


@attrs.frozen
class CommandInfo:
    """One subcommand as ``--help`` shows it: its name, one-line help and options."""

    name: str
    help: str
    options: tuple[str, ...]

    @property
    def has_json(self) -> bool:
        """Whether the command takes ``--json``."""
        return "--json" in self.options


def _subparsers(
    parser: argparse.ArgumentParser,
) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def commands(parser: argparse.ArgumentParser | None = None) -> tuple[CommandInfo, ...]:
    """Every subcommand of ``parser`` (the full ``discipline-flow`` parser by default), in the
    order ``--help`` lists them; ``help`` is empty for one registered without ``help=``."""
    if parser is None:
        parser = build_parser()
    action = _subparsers(parser)
    if action is None:
        return ()
    helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
    found: list[CommandInfo] = []
    for name, sub in action.choices.items():
        options = tuple(
            option for a in sub._actions for option in a.option_strings if option.startswith("--")
        )
        found.append(CommandInfo(name, str(helps.get(name, "")), options))
    return tuple(found)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def command_table(infos: Sequence[CommandInfo] | None = None) -> str:
    """The Markdown table of every command: name, what it does, whether it takes ``--json``.

    A command registered without ``help=`` shows :data:`NO_HELP`, so the gap is visible.
    """
    rows = commands() if infos is None else infos
    lines = [
        "| Command | What it does | `--json` |",
        "|---|---|---|",
    ]
    for info in rows:
        lines.append(
            f"| `discipline-flow {info.name}` | {_cell(info.help) or NO_HELP} | "
            f"{'yes' if info.has_json else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print the table (``python -m discipline_flow._cli_table``), to paste into the docs."""
    sys.stdout.write(command_table())


if __name__ == "__main__":  # pragma: no cover - exercised by hand when the docs are refreshed
    main()
