"""Guards on accepting a complaint about discipline: in time, and no ground for not accepting it.

The grounds are the ruleset's ``complaint_not_accepted_grounds`` (QĐ 296-QĐ/TW Điều 23). The
resolving body names those that apply in the payload's ``grounds``; three are worked out from
the opening payload and the case: the complaint was sent (``filed_on``) before the complainant
received the written decision (``decision_received_on``), it was sent after the window (the
``window`` rule, counted from the day the decision was received), or someone other than the
subject filed it. A late complaint is refused by the window rule, with its last day.

>>> import datetime as dt, enum
>>> from discipline_flow.rules import select_ruleset
>>> from discipline_flow.time import DeadlineRule
>>> class Move(enum.Enum):
...     ACCEPT = "accept"
>>> rules = select_ruleset(dt.date(2025, 9, 1))
>>> window = DeadlineRule("complaint_window", rules.period("complaint_window"),
...                       starts_on_trigger=Move.ACCEPT)
>>> admissible(rules, window).name, not_admissible(rules, window).name
('admissible', 'not_admissible')
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Hashable
from typing import Any

import attrs

from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import InputError
from discipline_flow.processes.guards.payload import find_value, guarded, parse_day
from discipline_flow.rules import Ruleset
from discipline_flow.time import NO_CITATION, Calendar, Deadline, DeadlineRule, Unit
from discipline_flow.time._dates import midnight_after
from discipline_flow.workflow import Guard, GuardContext

__all__ = ["admissible", "not_accepted_grounds", "not_admissible"]

#: The grounds that apply to a move, or the reason they cannot be judged (data missing).
GroundsCheck = Callable[[GuardContext[Any, Any]], "tuple[list[str], str | None]"]

_LATE = "filed_out_of_time"


@attrs.frozen
class _Judged:
    """The grounds that apply, what is missing to judge them, and for a complaint worked out to
    be late, the day it was sent, the day the decision was received and the window's last day."""

    grounds: list[str]
    missing: str | None = None
    late: tuple[_dt.date, _dt.date, _dt.date] | None = None


def _judge(ruleset: Ruleset, window: DeadlineRule) -> Callable[[GuardContext[Any, Any]], _Judged]:
    allowed = ruleset.texts("complaint_not_accepted_grounds")
    # A window counted in days and ending at midnight ends on a day that depends on the day the
    # decision was received and the calendar only, not on the instant of the move: remembered.
    by_day = window.period.unit is not Unit.HOURS and window.convention.end_at_midnight

    @functools.lru_cache(maxsize=1024)
    def last_day(calendar: Calendar, received_on: _dt.date) -> _dt.date:
        start = midnight_after(received_on - _dt.timedelta(days=1), DEFAULT_TIMEZONE)
        return Deadline.start(
            window, started_at=start, start_on=received_on, calendar=calendar
        ).due_on

    def window_end(ctx: GuardContext[Any, Any], received_on: _dt.date) -> _dt.date:
        calendar = ctx.case.workflow.get_calendar()
        if by_day and isinstance(calendar, Hashable):
            return last_day(calendar, received_on)
        return Deadline.start(
            window, started_at=ctx.at, start_on=received_on, calendar=calendar
        ).due_on

    def judge(ctx: GuardContext[Any, Any]) -> _Judged:
        given = find_value(ctx, "grounds") or []
        if not isinstance(given, list) or (given and not all(isinstance(x, str) for x in given)):
            raise InputError("payload.grounds", "expected a list of ground codes")
        grounds: list[str] = []
        if given:
            unknown = [x for x in given if x not in allowed]
            if unknown:
                raise InputError(
                    "payload.grounds",
                    f"unknown grounds {', '.join(unknown)}; grounds: {', '.join(allowed)}",
                )
            grounds = list(dict.fromkeys(given))
        filed = find_value(ctx, "filed_on")
        received = find_value(ctx, "decision_received_on")
        if filed is None or received is None:
            missing = "filed_on" if filed is None else "decision_received_on"
            return _Judged(
                grounds, f"payload key {missing!r} (YYYY-MM-DD) is needed to judge admissibility"
            )
        filed_on = parse_day(filed, "filed_on")
        received_on = parse_day(received, "decision_received_on")
        applies = [
            ("filed_before_receiving_the_written_decision", filed_on < received_on),
            ("filed_on_behalf_of_another_person", ctx.case.steps[0].actor.id != ctx.subject.id),
        ]
        late = None
        if filed_on >= received_on:
            end = window_end(ctx, received_on)
            if filed_on > end:
                late = (filed_on, received_on, end)
            applies.append((_LATE, late is not None))
        for code, found in applies:
            if found and code in allowed and code not in grounds:
                grounds.append(code)
        return _Judged(grounds, None, late if _LATE in grounds else None)

    return judge


def not_accepted_grounds(ruleset: Ruleset, window: DeadlineRule) -> GroundsCheck:
    """The check of the grounds for not accepting a complaint under ``ruleset``: a function of
    the guard context that gives the grounds that apply (given and worked out) and, when a date
    needed to judge them is missing, the reason."""
    judge = _judge(ruleset, window)

    def grounds_of(ctx: GuardContext[Any, Any]) -> tuple[list[str], str | None]:
        judged = judge(ctx)
        return judged.grounds, judged.missing

    return grounds_of


def admissible(ruleset: Ruleset, window: DeadlineRule, name: str = "admissible") -> Guard:
    """The complaint is in time and no ground for not accepting it applies.

    A complaint worked out to be late is refused by the window rule (``window``'s citation, or
    the ruleset's ``complaint_window`` for a window given without one), naming the window's
    last day; the other grounds by the
    ruleset's ``complaint_not_accepted_grounds``.
    """
    rule = ruleset.rule("complaint_not_accepted_grounds")
    window_citation = (
        ruleset.rule("complaint_window").citation
        if window.citation == NO_CITATION
        else window.citation
    )
    judge = _judge(ruleset, window)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        judged = judge(ctx)
        if judged.missing is not None:
            return f"{judged.missing} [{rule.citation}]"
        if not judged.grounds:
            return None
        parts = []
        others = judged.grounds
        if judged.late is not None:
            filed_on, received_on, last = judged.late
            parts.append(
                f"{_LATE}: sent on {filed_on.isoformat()}, after {last.isoformat()}, the last "
                f"day of the window of {window.period} from receiving the decision on "
                f"{received_on.isoformat()} [{window_citation}]"
            )
            others = [g for g in others if g != _LATE]
        if others:
            parts.append(f"{', '.join(others)} [{rule.citation}]")
        return f"the complaint is not accepted: {'; '.join(parts)}"

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="in time and no ground for not accepting it",
        uses_payload=True,
    )


def not_admissible(ruleset: Ruleset, window: DeadlineRule, name: str = "not_admissible") -> Guard:
    """A ground for not accepting the complaint applies (the other side of :func:`admissible`)."""
    rule = ruleset.rule("complaint_not_accepted_grounds")
    judge = _judge(ruleset, window)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        judged = judge(ctx)
        if judged.missing is not None:
            return f"{judged.missing} [{rule.citation}]"
        if judged.grounds:
            return None
        return (
            f"no ground for not accepting the complaint applies; grounds: "
            f"{', '.join(ruleset.texts(rule.key))} [{rule.citation}]"
        )

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="a ground for not accepting it applies",
        uses_payload=True,
    )
