"""Guards on the end of a decided measure: it ends automatically, or it never does.

A decision of reprimand, warning or removal from post ends automatically after the ruleset's
``end_of_effect_period`` (12 months, QĐ 69-QĐ/TW Điều 2 khoản 5); expulsion and dissolution
never end. The measure is the move's ``measure``, else the latest earlier one.

>>> import datetime as dt
>>> from discipline_flow.rules import select_ruleset
>>> measure_can_end(select_ruleset(dt.date(2025, 9, 1))).description
'not expulsion or dissolution: the decision can end automatically'
"""

from __future__ import annotations

from typing import Any

from discipline_flow.processes.guards.payload import guarded, measure_of, missing_reason
from discipline_flow.rules import Measure, Ruleset
from discipline_flow.workflow import Guard, GuardContext

__all__ = ["measure_can_end", "measure_never_ends"]

_NEVER_ENDING = frozenset({Measure.EXPULSION, Measure.DISSOLUTION})


def _measure_end_guard(
    ruleset: Ruleset, name: str, refusals: dict[Measure, str], description: str
) -> Guard:
    rule = ruleset.rule("end_of_effect_period")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return missing_reason("measure")
        return refusals.get(measure)

    return Guard(
        name, guarded(check), basis=rule.citation, description=description, uses_payload=True
    )


def measure_can_end(ruleset: Ruleset, name: str = "measure_can_end") -> Guard:
    """The decided measure ends automatically after 12 months: not expulsion or dissolution."""
    rule = ruleset.rule("end_of_effect_period")
    period = ruleset.period(rule.key)
    refusals = {
        measure: (
            f"a decision of {measure.label_en} never ends automatically; only reprimand, "
            f"warning and removal from post end after {period} [{rule.citation}]"
        )
        for measure in _NEVER_ENDING
    }
    return _measure_end_guard(
        ruleset,
        name,
        refusals,
        "not expulsion or dissolution: the decision can end automatically",
    )


def measure_never_ends(ruleset: Ruleset, name: str = "measure_never_ends") -> Guard:
    """The decided measure is expulsion or dissolution, which never end automatically."""
    rule = ruleset.rule("end_of_effect_period")
    period = ruleset.period(rule.key)
    refusals = {
        measure: (
            f"a decision of {measure.label_en} ends automatically after {period}; only "
            f"expulsion and dissolution stay in force [{rule.citation}]"
        )
        for measure in Measure
        if measure not in _NEVER_ENDING
    }
    return _measure_end_guard(
        ruleset,
        name,
        refusals,
        "expulsion or dissolution: the decision never ends automatically",
    )
