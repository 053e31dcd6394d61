"""Who acts: party bodies, their level and rank, and the guards on the acting body.

A body's level and rank come from its kind (:class:`~discipline_flow.BodyKind`: a fixed level,
a rank within its level, whether it is a party body) and the level it states
(:class:`~discipline_flow.Level`, ranked from the grassroots up). The district level ended on
1 July 2025: a ruleset without it refuses district bodies (:func:`no_district_level`); a ruleset
with it has no such guard (:func:`district_guards`).

>>> from discipline_flow import Body, BodyKind, Level
>>> cell = Body(BodyKind.PARTY_CELL, "c-1")
>>> commission = Body(BodyKind.INSPECTION_COMMISSION, "i-1", Level.PROVINCIAL)
>>> body_level(cell), body_level(Body(BodyKind.PERSON, "p")) is None
(<Level.GRASSROOTS: 'grassroots'>, True)
>>> body_rank(cell) < body_rank(commission) < body_rank(Body(BodyKind.SECRETARIAT, "s"))
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from discipline_flow.actors import Body, BodyKind, Level, Member
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError, InvalidRuleError
from discipline_flow.processes.guards.payload import guarded
from discipline_flow.rules import DENY_BY_DEFAULT, NO_DISTRICT_LEVEL, Ruleset
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "ERA_GUARDS",
    "PARTY_BODIES_ONLY",
    "actor_kind",
    "body_at_level",
    "body_code",
    "body_kinds",
    "body_level",
    "body_rank",
    "district_guards",
    "higher_body",
    "levels_under",
    "no_district_level",
    "party_body",
    "party_level",
    "subject_is_member",
]

#: Who acts in a process where no rule names the bodies: party bodies only (deny by default).
PARTY_BODIES_ONLY = Citation(
    DENY_BY_DEFAULT.document,
    DENY_BY_DEFAULT.article,
    RuleStatus.ASSUMED,
    source=DENY_BY_DEFAULT.source,
    note="party work is done by party bodies; state agencies, persons and the system are refused",
)


def body_level(body: Body) -> Level | None:
    """The level a party body acts at: its kind's fixed level, else the level it states; None
    for bodies that are not party bodies or state no level."""
    return body.kind.acting_level(body.level)


def party_level(body: Body) -> Level:
    """The level a party body acts at, as :func:`body_level`, for bodies that must have one.

    Raises :class:`~discipline_flow.errors.InputError` for a body that is not a party body or
    that needs a level and states none.
    """
    if not body.kind.is_party_body:
        raise InputError("body", f"{body} is not a party body; party bodies rank by level")
    level = body.kind.acting_level(body.level)
    if level is None:
        raise InputError("body", f"{body} needs a level (grassroots, provincial, central, ...)")
    return level


def body_rank(body: Body) -> tuple[int, int]:
    """Where a party body stands: (rank of its level, rank within the level); higher is greater.

    Raises :class:`~discipline_flow.errors.InputError` as :func:`party_level` does.
    """
    level = party_level(body)
    within = body.kind.rank_in_level
    assert within is not None, "every party body ranks within its level"
    return level.rank, within


def levels_under(ruleset: Ruleset) -> tuple[Level, ...]:
    """The levels of the party system under ``ruleset``, from the grassroots up.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> [level.value for level in levels_under(select_ruleset(dt.date(2025, 7, 1)))]
    ['grassroots', 'provincial', 'central']
    """
    return tuple(
        level
        for level in sorted(Level, key=lambda level: level.rank)
        if level is not Level.DISTRICT or ruleset.has_district_level
    )


def party_body(name: str = "party_body", *, basis: Citation = PARTY_BODIES_ONLY) -> Guard:
    """The actor is a party body (not a state agency, a person or the system)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.actor.kind.is_party_body:
            return None
        return f"{ctx.actor} is not a party body; only party bodies do this [{basis}]"

    return Guard(name, check, basis=basis, description="the actor is a party body")


def no_district_level(ruleset: Ruleset, name: str = "no_district_level") -> Guard:
    """From 1 July 2025 (rulesets without a district level) district bodies are refused."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ruleset.has_district_level or ctx.actor.level is not Level.DISTRICT:
            return None
        return (
            f"{ctx.actor} is a district-level body; the district level no longer exists from "
            f"1 July 2025 (ruleset {ruleset.name})"
        )

    return Guard(
        name,
        check,
        basis=NO_DISTRICT_LEVEL,
        description="no district-level body acts under a ruleset without the district level",
    )


#: Guards a transition table may name that only some rulesets have: under the others the rows go
#: without them (see :func:`district_guards`).
ERA_GUARDS = frozenset({"no_district_level"})


def district_guards(ruleset: Ruleset) -> tuple[Guard, ...]:
    """:func:`no_district_level` under a ruleset without the district level; nothing under one
    with it.

    While the district level exists the guard could never refuse, and a guard that cannot
    refuse is no rule: the workflows of those rulesets leave it out (their tables name it among
    :data:`ERA_GUARDS`), so that diagrams, refusals and the coverage of guard outcomes show only
    rules that can decide something.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> [[g.name for g in district_guards(select_ruleset(dt.date(y, 9, 1)))] for y in (2024, 2025)]
    [[], ['no_district_level']]
    """
    return () if ruleset.has_district_level else (no_district_level(ruleset),)


def body_at_level(level: Level, *, name: str, basis: Citation, what: str, role: str) -> Guard:
    """The acting body is at ``level``: the one whose period a per-level workflow counts
    (``what`` names the process in the refusal, ``role`` the body in the description).

    >>> from discipline_flow.actors import BodyKind
    >>> from discipline_flow.citation import Citation
    >>> guard = body_at_level(Level.PROVINCIAL, name="at_level", basis=Citation("HD 02"),
    ...                       what="this inspection", role="inspecting")
    >>> guard.description
    'the inspecting body is at the provincial level'
    """

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        found = body_level(ctx.actor)
        if found is level:
            return None
        where = f"a {found.value}-level body" if found is not None else "not a party body"
        return (
            f"{ctx.actor} is {where}; {what} is run by a {level.value}-level body, whose period "
            f"it counts [{basis}]"
        )

    return Guard(
        name, check, basis=basis, description=f"the {role} body is at the {level.value} level"
    )


def subject_is_member(name: str, basis: Citation, what: str) -> Guard:
    """The subject of the case is a party member (not an organisation); ``what`` names the
    process in the refusal."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if isinstance(ctx.subject, Member):
            return None
        return f"{what} concerns a party member, not organisation {ctx.subject.id!r}"

    return Guard(name, check, basis=basis, description=f"{what} concerns a party member")


def actor_kind(
    kinds: Iterable[BodyKind], *, name: str, basis: Citation, what: str = "this move"
) -> Guard:
    """The actor is one of ``kinds`` of body."""
    allowed = frozenset(kinds)
    words = ", ".join(sorted(k.value for k in allowed))

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.actor.kind in allowed:
            return None
        return f"{ctx.actor} may not do {what}; bodies allowed: {words} [{basis}]"

    return Guard(name, check, basis=basis, description=f"{what} is done by: {words}")


def higher_body(name: str = "higher_body", *, basis: Citation, of_trigger: str = "DECIDE") -> Guard:
    """The actor stands above the body that fired the latest ``of_trigger`` step.

    Used where a higher level approves, changes, annuls or resolves what a lower level decided.
    """

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decider = None
        for step in reversed(ctx.case.steps):
            trigger = step.trigger
            # ``_name_`` (a documented enum attribute) skips the ``name`` property's call.
            if trigger is not None and trigger._name_ == of_trigger:
                decider = step.actor
                break
        if decider is None:
            return f"no {of_trigger} step to review [{basis}]"
        if not ctx.actor.kind.is_party_body:
            return f"{ctx.actor} is not a party body [{basis}]"
        if body_rank(ctx.actor) <= body_rank(decider):
            return (
                f"{ctx.actor} does not stand above {decider}, which decided; only a higher "
                f"body (or the same-level committee over its commission) may do this [{basis}]"
            )
        return None

    return Guard(
        name,
        guarded(check),
        basis=basis,
        description=f"the actor stands above the body of the {of_trigger} step",
    )


def body_kinds(ruleset: Ruleset, key: str) -> frozenset[BodyKind]:
    """The body kinds the list rule ``key`` of ``ruleset`` names (an error naming the kinds if
    one is unknown).

    >>> from discipline_flow.rules import default_registry
    >>> sorted(k.value for k in body_kinds(default_registry().get("2022"), "complaint_resolvers"))[:2]
    ['central_committee', 'committee']
    """
    return frozenset(body_code(key, code)[0] for code in ruleset.texts(key))


def body_code(key: str, code: str) -> tuple[BodyKind, Level | None]:
    """The body kind, and the level if the code starts with one, that a rule's ``code`` names:
    ``secretariat`` or ``central_inspection_commission``. An unknown code is an error naming
    the rule ``key`` and what is allowed.

    >>> body_code("complaint_final_levels", "central_inspection_commission")
    (<BodyKind.INSPECTION_COMMISSION: 'inspection_commission'>, <Level.CENTRAL: 'central'>)
    >>> body_code("complaint_final_levels", "cell")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InvalidRuleError: rule 'complaint_final_levels': 'cell' is not a body: write a kind (party_cell, ...), or a level and a kind (central_inspection_commission)
    """
    kinds = {kind.value: kind for kind in BodyKind}
    if code in kinds:
        return kinds[code], None
    for level in Level:
        prefix = f"{level.value}_"
        if code.startswith(prefix) and code[len(prefix) :] in kinds:
            return kinds[code[len(prefix) :]], level
    raise InvalidRuleError(
        key,
        f"{code!r} is not a body: write a kind ({BodyKind.PARTY_CELL.value}, ...), or a level "
        "and a kind (central_inspection_commission)",
    )
