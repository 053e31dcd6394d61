"""Markdown tables of a ruleset's rules and authority matrix, for the documentation site.

>>> import datetime as dt
>>> from discipline_flow.rules import rules_markdown, select_ruleset
>>> table = rules_markdown(select_ruleset(dt.date(2026, 5, 4)))
>>> print(table.splitlines()[0])
| Key | Value | Citation | Status | Alternatives |
>>> [line for line in table.splitlines() if line.startswith("| `suspension_period`")]
['| `suspension_period` | 90 days | QĐ 21-QĐ/TW [R-67295393334] | assumed | |']
"""

from __future__ import annotations

from discipline_flow.citation import Citation
from discipline_flow.rules.rule import format_value
from discipline_flow.rules.ruleset import Ruleset

__all__ = ["authority_markdown", "rules_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _citation(citation: Citation) -> str:
    source = f" [{citation.source}]" if citation.source else ""
    return f"{citation.reference}{source}"


def rules_markdown(ruleset: Ruleset) -> str:
    """Every rule of ``ruleset`` as a Markdown table: key, value, citation, status, alternatives."""
    lines = [
        "| Key | Value | Citation | Status | Alternatives |",
        "|---|---|---|---|---|",
    ]
    for rule in ruleset.rules.values():
        alternatives = "; ".join(
            f"{format_value(alt.value)} ({alt.citation.reference}, {alt.citation.status.value})"
            for alt in rule.alternatives
        )
        lines.append(
            "| "
            + " | ".join(
                (
                    f"`{rule.key}`",
                    _cell(rule.value_text),
                    _cell(_citation(rule.citation)),
                    rule.status.value,
                    _cell(alternatives),
                )
            ).rstrip()
            + " |"
        )
    return "\n".join(lines) + "\n"


def authority_markdown(ruleset: Ruleset) -> str:
    """Every cell of ``ruleset``'s authority matrix as a Markdown table.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> print(authority_markdown(select_ruleset(dt.date(2026, 5, 4))).splitlines()[2])
    | party cell | full member | reprimand | decides | task assigned by a higher level: proposes | QĐ 296-QĐ/TW Điều 10 mục 1.1 [R-28300988406 Q8, Q70, Q71] | assumed |
    """
    lines = [
        "| Body | Subject | Measure | Permission | Variants | Citation | Status |",
        "|---|---|---|---|---|---|---|",
    ]
    for cell in ruleset.authority:
        level = f"{cell.body_level.value} " if cell.body_level is not None else ""
        body = f"{level}{cell.body_kind.value.replace('_', ' ')}"
        lines.append(
            "| "
            + " | ".join(
                (
                    body,
                    cell.subject.value.replace("_", " "),
                    cell.measure.label_en,
                    cell.permission.words,
                    _cell(cell.variants),
                    _cell(_citation(cell.citation)),
                    cell.citation.status.value,
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"
