"""The guard on extending a running deadline within its rule's extension policy.

The deadline itself refuses an extension beyond its policy when the move is applied; this guard
says so before the move, as a refusal that names the rule and its citation, from the payload's
``extend_by`` (a period such as ``10 working days``) and ``reason``.

>>> import enum
>>> from discipline_flow.time import DeadlineRule, ExtensionPolicy, Period
>>> class Move(enum.Enum):
...     VERIFY = "verify"
...     EXTEND = "extend"
>>> rule = DeadlineRule("resolution", Period.parse("90 working days"),
...                     starts_on_trigger=Move.VERIFY, extended_by=Move.EXTEND,
...                     extension=ExtensionPolicy(max_count=1,
...                                               max_total=Period.parse("30 working days")))
>>> extension_within(rule).description
'an extension of at most 30 working days, at most 1 time(s), with a reason'
"""

from __future__ import annotations

from typing import Any

from discipline_flow.errors import DeadlineNotStartedError, DisciplineFlowError, InputError
from discipline_flow.time import DeadlineRule, Period
from discipline_flow.workflow import Guard, GuardContext

__all__ = ["extension_within"]


def extension_within(rule: DeadlineRule, name: str = "extension_within_limit") -> Guard:
    """The payload's ``extend_by`` (and ``reason``) fit ``rule``'s extension policy: the deadline
    is running and not yet passed, the count and the total stay within the policy.

    Raises :class:`~discipline_flow.errors.InputError` for a rule without an extension policy.
    """
    policy = rule.extension
    if policy is None:
        raise InputError("rule", f"{rule.name} has no extension policy to guard")
    basis = rule.citation

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("extend_by")
        if raw is None:
            return "give 'extend_by', the extension (like '10 working days')"
        try:
            by = Period.parse(raw)
        except DisciplineFlowError as exc:
            return f"{exc}"
        if by.amount <= 0:
            return f"an extension must be longer than zero, got {by}"
        reason = ctx.payload.get("reason")
        if policy.reason_required and not (isinstance(reason, str) and reason.strip()):
            return "an extension needs a 'reason'"
        try:
            current = ctx.case.deadline(rule.name)
        except DeadlineNotStartedError:
            return f"there is no {rule.name} deadline to extend"
        if not current.is_open:
            return f"the {rule.name} deadline is closed; only a running deadline is extended"
        if not current.is_paused and ctx.at >= current.due_at:
            return (
                f"the {rule.name} deadline ended on {current.due_on.isoformat()}; an extension "
                f"must be granted before it passes"
            )
        done = current.extensions
        if len(done) >= policy.max_count:
            return (
                f"{rule.name} was extended {len(done)} time(s) already; the rule allows "
                f"{policy.max_count}"
            )
        limit = policy.max_total
        if limit is not None:
            if by.unit is not limit.unit:
                return f"give the extension in {limit.unit.value}; the limit is {limit}"
            total = by.amount + sum(e.by.amount for e in done if e.by.unit is limit.unit)
            if total > limit.amount:
                return (
                    f"extending by {by} makes {Period(total, limit.unit)} in all; the rule "
                    f"allows at most {limit}"
                )
        return None

    total = f" of at most {policy.max_total}" if policy.max_total is not None else ""
    return Guard(
        name,
        check,
        basis=basis,
        description=f"an extension{total}, at most {policy.max_count} time(s), with a reason",
        uses_payload=True,
    )
