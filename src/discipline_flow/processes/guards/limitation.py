"""Guards on the limitation period (thời hiệu): not time-barred, time-barred, deferral reasons.

The measure gives the level of the violation, the subject its kind; ``violation_on`` and the
other limitation keys (``violation_ended_on``, ``new_violations_on``, ``deferrals``,
``limitation_category``) come from the payload or earlier steps; the spans between ``DEFER``
and ``RESUME`` steps are not counted when the ruleset says so
(``limitation_excludes_deferral_time``), and the period of a continuing violation runs from
``violation_ended_on`` when the ruleset says so
(``limitation_counted_from_end_of_continuing_violation``). The day of the move is the day
the competent body concludes (QĐ 69-QĐ/TW Điều 4). The periods are those of the rules in force
on the day of the violation when the ruleset is a built-in one; an embedding system's own
ruleset stays authoritative.

>>> import datetime as dt
>>> from discipline_flow.rules import select_ruleset
>>> periods = limitation_periods(select_ruleset(dt.date(2025, 9, 1)))
>>> str(periods.reprimand), str(periods.warning)
('5 years', '10 years')
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from discipline_flow.actors import Organisation
from discipline_flow.errors import InputError
from discipline_flow.processes.guards.payload import (
    find_value,
    guarded,
    local_day,
    measure_of,
    missing_reason,
    parse_day,
)
from discipline_flow.rules import Measure, Ruleset, default_registry
from discipline_flow.time import (
    Deferral,
    LimitationPeriods,
    LimitationResult,
    SubjectKind,
    check_limitation,
)
from discipline_flow.time._dates import local_date
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "deferral_reason",
    "deferrals_of",
    "limitation_check",
    "limitation_periods",
    "not_time_barred",
    "time_barred",
]


#: A limitation check: the result for a move, or why it cannot be judged (data missing).
LimitationCheck = Callable[[GuardContext[Any, Any]], "LimitationResult | str"]


def limitation_periods(ruleset: Ruleset) -> LimitationPeriods:
    """The limitation periods of ``ruleset``, cited by its reprimand period's citation."""
    return LimitationPeriods(
        reprimand=ruleset.period("limitation_period_reprimand"),
        warning=ruleset.period("limitation_period_warning"),
        removal=ruleset.period("limitation_period_removal_from_post"),
        citation=ruleset.rule("limitation_period_reprimand").citation,
    )


def deferrals_of(
    ctx: GuardContext[Any, Any], triggers: tuple[str, str] = ("DEFER", "RESUME")
) -> list[Deferral]:
    """The deferrals given in the payload (``deferrals``, here or earlier), then the spans
    between the case's steps fired by ``triggers`` (defer, resume), in local days."""
    spans: list[Deferral] = []
    raw = find_value(ctx, "deferrals")
    if raw is not None:
        if not isinstance(raw, list):
            raise InputError("payload.deferrals", "expected a list of {start_on, end_on, reason}")
        for item in raw:
            if not isinstance(item, Mapping):
                raise InputError("payload.deferrals", "each item is {start_on, end_on, reason}")
            spans.append(
                Deferral(
                    parse_day(item.get("start_on"), "deferrals.start_on"),
                    parse_day(item.get("end_on"), "deferrals.end_on"),
                    str(item.get("reason") or ""),
                )
            )
    defer, resume = triggers
    timezone = ctx.case.workflow.timezone
    started: _dt.date | None = None
    reason = ""
    for step in ctx.case.steps:
        trigger = step.trigger
        if trigger is None:
            continue
        # ``_name_`` (a documented enum attribute) skips the ``name`` property's call.
        name = trigger._name_
        if name == defer:
            started = local_date(step.at, timezone)
            reason = str(step.payload.get("reason") or "")
        elif name == resume and started is not None:
            spans.append(Deferral(started, local_date(step.at, timezone), reason))
            started = None
    return spans


class _Rules(NamedTuple):
    """What the limitation check reads from one ruleset."""

    periods: LimitationPeriods
    excludes_deferral_time: bool
    #: The period of a continuing violation runs from its end (``violation_ended_on``).
    from_end_of_continuing: bool


def limitation_check(
    ruleset: Ruleset, *, deferral_triggers: tuple[str, str] = ("DEFER", "RESUME")
) -> LimitationCheck:
    """The limitation check of moves under ``ruleset``: a function of the guard context that
    gives the :class:`~discipline_flow.time.LimitationResult`, or the reason it cannot be made
    (a payload value is missing).

    The check remembers its results (a pure function of the measure, the subject's kind, the
    days and the category): many cases ask about the same days.
    """
    # Built-in rulesets judge a violation by the built-in rules in force on its day.
    builtin = tuple(default_registry())
    candidates = builtin if any(c is ruleset for c in builtin) else (ruleset,)
    rules_by_name = {
        c.name: _Rules(
            limitation_periods(c),
            c.flag("limitation_excludes_deferral_time"),
            c.flag("limitation_counted_from_end_of_continuing_violation"),
        )
        for c in candidates
    }
    own = rules_by_name[ruleset.name]

    @functools.lru_cache(maxsize=4096)
    def rules_on(violation_on: _dt.date) -> _Rules:
        chosen = next((c for c in candidates if c.covers(violation_on)), None)
        return own if chosen is None else rules_by_name[chosen.name]

    @functools.lru_cache(maxsize=16384)
    def judge(
        measure: Measure,
        is_organisation: bool,
        violation_on: _dt.date,
        on: _dt.date,
        ended_on: _dt.date | None,
        news_on: tuple[_dt.date, ...],
        deferrals: tuple[Deferral, ...],
        category: str | None,
    ) -> LimitationResult:
        return check_limitation(
            measure,
            SubjectKind.ORGANISATION if is_organisation else SubjectKind.MEMBER,
            violation_on=violation_on,
            on=on,
            violation_ended_on=ended_on,
            new_violations_on=news_on,
            deferrals=deferrals,
            category=category,
            periods=rules_on(violation_on).periods,
        )

    def check(ctx: GuardContext[Any, Any]) -> LimitationResult | str:
        measure = measure_of(ctx)
        if measure is None:
            return missing_reason("measure")
        raw = find_value(ctx, "violation_on")
        if raw is None:
            return missing_reason("violation_on") + " (the limitation period runs from it)"
        violation_on = parse_day(raw, "violation_on")
        rules = rules_on(violation_on)
        ended = find_value(ctx, "violation_ended_on") if rules.from_end_of_continuing else None
        news = find_value(ctx, "new_violations_on") or []
        if not isinstance(news, list):
            raise InputError("payload.new_violations_on", "expected a list of dates YYYY-MM-DD")
        deferrals: tuple[Deferral, ...] = ()
        if rules.excludes_deferral_time:
            deferrals = tuple(deferrals_of(ctx, deferral_triggers))
        category = find_value(ctx, "limitation_category")
        if category is not None and not isinstance(category, str):
            raise InputError("payload.limitation_category", "expected the name of a category")
        return judge(
            measure,
            isinstance(ctx.subject, Organisation),
            violation_on,
            max(local_day(ctx), violation_on),
            None if ended is None else parse_day(ended, "violation_ended_on"),
            tuple(parse_day(d, "new_violations_on") for d in news),
            deferrals,
            category,
        )

    return check


def _limitation_guard(ruleset: Ruleset, name: str, *, barred: bool, description: str) -> Guard:
    """A guard that passes when the violation is time-barred on the day of the move exactly
    when ``barred`` says so."""
    basis = ruleset.rule("limitation_period_reprimand").citation
    limitation = limitation_check(ruleset)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        result = limitation(ctx)
        if isinstance(result, str):
            return f"{result} [{basis}]"
        if result.time_barred == barred:
            return None
        return f"{result.reason} [{result.citation}]"

    return Guard(name, guarded(check), basis=basis, description=description, uses_payload=True)


def not_time_barred(ruleset: Ruleset, name: str = "not_time_barred") -> Guard:
    """The limitation period has not run out on the day of the move (QĐ 69-QĐ/TW Điều 4)."""
    return _limitation_guard(
        ruleset,
        name,
        barred=False,
        description="the violation is not time-barred on the day of the decision",
    )


def time_barred(ruleset: Ruleset, name: str = "time_barred") -> Guard:
    """The limitation period has run out: no discipline (the other side of :func:`not_time_barred`)."""
    return _limitation_guard(
        ruleset,
        name,
        barred=True,
        description="the violation is time-barred on the day of the decision",
    )


def deferral_reason(ruleset: Ruleset, name: str = "deferral_reason") -> Guard:
    """The payload ``reason`` is one of the ruleset's ``deferral_reasons`` (QĐ 296 Điều 8 ý 7).

    Discipline is not considered while a reason lasts; the time deferred does not count
    towards the limitation period where the ruleset says so.
    """
    rule = ruleset.rule("deferral_reasons")
    allowed = ruleset.texts(rule.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        reason = ctx.payload.get("reason")
        if reason in allowed:
            return None
        return (
            f"discipline is deferred only for: {', '.join(allowed)}; got {reason!r} "
            f"[{rule.citation}]"
        )

    return Guard(
        name,
        check,
        basis=rule.citation,
        description="discipline is not considered while a deferral reason lasts",
        uses_payload=True,
    )
