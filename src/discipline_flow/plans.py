"""Deadline plans: what each move of a workflow does to each of its deadline rules.

A workflow's deadline rules say which states and triggers start, meet, cancel, pause, resume and
extend their deadlines. A :class:`DeadlinePlan` is that decision taken once, when the workflow is
compiled, for one move (a trigger into a target state, or the opening); a fire then applies the
plans of its move with :func:`apply_plans` without testing the rules' sets again.

>>> import enum
>>> from discipline_flow.time import DeadlineRule, Period
>>> class S(enum.Enum):
...     OPEN = "open"
...     HEARD = "heard"
>>> class T(enum.Enum):
...     HEAR = "hear"
>>> rule = DeadlineRule("hearing", Period.parse("10 working days"), starts_on_enter=S.OPEN,
...                     met_by={T.HEAR})
>>> DeadlinePlan.of(rule, T.HEAR, S.HEARD).met, DeadlinePlan.of(rule, None, S.OPEN).starts
(True, True)
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError
from discipline_flow.time import Calendar, Deadline, DeadlineRule, Period

__all__ = ["DeadlinePlan", "apply_plans", "extend_as_asked", "plan_moves"]

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T", bound=enum.Enum)


@attrs.frozen
class DeadlinePlan:
    """What one move (a trigger into a target state, or the opening) does to one deadline rule."""

    rule: DeadlineRule
    met: bool
    cancelled: bool
    paused: bool
    resumed: bool
    extended: bool
    starts: bool

    @classmethod
    def of(cls, rule: DeadlineRule, trigger: enum.Enum | None, target: enum.Enum) -> DeadlinePlan:
        """The plan of ``rule`` for a move by ``trigger`` (None: the opening) into ``target``."""
        return cls(
            rule,
            met=trigger in rule.met_by or target in rule.met_by,
            cancelled=trigger in rule.cancelled_by or target in rule.cancelled_by,
            paused=trigger in rule.paused_by,
            resumed=trigger in rule.resumed_by,
            extended=trigger is not None and rule.extended_by is trigger,
            starts=(trigger is not None and rule.starts_on_trigger is trigger)
            or (rule.starts_on_enter is target and rule.starts_on_trigger is None),
        )

    @property
    def touches(self) -> bool:
        """Whether the move does anything to the rule's deadline."""
        return (
            self.met
            or self.cancelled
            or self.paused
            or self.resumed
            or self.extended
            or self.starts
        )


def plan_moves(
    rules: Iterable[DeadlineRule], moves: Iterable[tuple[T | None, S]]
) -> dict[tuple[T | None, S], tuple[DeadlinePlan, ...]]:
    """For every move ``(trigger, target)``, the plans of the rules it touches, in rule order;
    moves that touch no rule are left out."""
    rules = tuple(rules)
    index: dict[tuple[T | None, S], tuple[DeadlinePlan, ...]] = {}
    for trigger, target in moves:
        touched = tuple(
            plan for rule in rules if (plan := DeadlinePlan.of(rule, trigger, target)).touches
        )
        if touched:
            index[(trigger, target)] = touched
    return index


def _latest(deadlines: list[Deadline], rule: str) -> int | None:
    """The position of the latest deadline of ``rule`` (a case holds a handful: a scan)."""
    for i in range(len(deadlines) - 1, -1, -1):
        if deadlines[i].rule == rule:
            return i
    return None


def _payload_day(data: Mapping[str, Any], key: str | None, at: _dt.datetime) -> _dt.date | None:
    """The legal start day a starting step carries under ``key``, if it does."""
    if key is None or key not in data:
        return None
    raw = data[key]
    if not isinstance(raw, str):
        raise InputError(f"payload.{key}", "must be a date (YYYY-MM-DD) or an aware datetime")
    try:
        if len(raw) == 10:
            day = _dt.date.fromisoformat(raw)
        else:
            day = require_aware(_dt.datetime.fromisoformat(raw), f"payload.{key}").date()
    except InputError:
        raise
    except ValueError:
        raise InputError(f"payload.{key}", f"{raw!r} is not an ISO date") from None
    if day > at.date():
        raise InputError(
            f"payload.{key}", f"{day.isoformat()} is later than the step itself ({at.date()})"
        )
    return day


def extend_as_asked(
    deadlines: Iterable[Deadline],
    rule: DeadlineRule,
    trigger: enum.Enum,
    at: _dt.datetime,
    payload: Mapping[str, Any],
    calendar: Calendar,
) -> Deadline:
    """The latest deadline of ``rule`` extended by the payload's ``extend_by`` with its
    ``reason``: what a move by the rule's ``extended_by`` trigger records.

    Raises :class:`~discipline_flow.errors.InputError` when the payload has no ``extend_by`` or
    no deadline of the rule is open, and what :meth:`Deadline.extend` raises when the extension is
    refused.
    """
    current = list(deadlines)
    i = _latest(current, rule.name)
    if i is None or not current[i].is_open:
        raise InputError("deadline", f"{rule.name!r} has no open deadline to extend")
    raw = payload.get("extend_by")
    if raw is None:
        raise InputError(
            "payload.extend_by",
            f"{trigger.name} extends {rule.name!r} and needs the extension, like '30 working days'",
        )
    reason = payload.get("reason")
    return current[i].extend(
        Period.parse(raw),
        reason=reason if isinstance(reason, str) else None,
        at=at,
        rule=rule,
        calendar=calendar,
    )


def apply_plans(
    deadlines: Iterable[Deadline],
    plans: Iterable[DeadlinePlan],
    trigger: enum.Enum | None,
    at: _dt.datetime,
    payload: Mapping[str, Any],
    calendar: Calendar,
    timezone: str,
    extended: Mapping[str, Deadline] | None = None,
) -> list[Deadline]:
    """The deadlines after a move with ``plans`` (by ``trigger``, None for the opening) at ``at``.

    Open deadlines are met, cancelled, paused, resumed or extended as planned; rules the move
    starts get a new deadline (restarting one closes the open one). ``extended`` holds extensions
    a guard already computed for this move (:meth:`GuardContext.extended_deadline`), by rule name.
    """
    current = list(deadlines)
    for plan in plans:
        rule = plan.rule
        i = _latest(current, rule.name)
        if i is not None and current[i].is_open:
            item = current[i]
            if plan.met:
                item = item.meet(at)
            elif plan.cancelled:
                item = item.cancel(at)
            else:
                if plan.paused:
                    item = item.pause(at)
                if plan.resumed:
                    item = item.resume(at, rule=rule, calendar=calendar)
                if plan.extended and trigger is not None:
                    ready = extended.get(rule.name) if extended is not None else None
                    item = ready or extend_as_asked([item], rule, trigger, at, payload, calendar)
            current[i] = item
        if plan.starts:
            j = _latest(current, rule.name)
            if j is not None and current[j].is_open:  # a restart closes the open one
                current[j] = current[j].cancel(at)
            start_on = _payload_day(payload, rule.start_date_key, at)
            own = None
            if rule.period_key is not None and payload.get(rule.period_key) is not None:
                own = rule.own_period(payload[rule.period_key])  # a decision sets the period
            current.append(
                Deadline.start(
                    rule,
                    started_at=at,
                    start_on=start_on,
                    calendar=calendar,
                    timezone=timezone,
                    period=own,
                )
            )
    return current
