"""Who resolves a complaint about discipline: the guards of the complaint workflow on its resolvers.

A complaint goes up one level at a time, from the level above the deciding body, to the final
level for its measure and deciding body (QĐ 22-QĐ/TW Điều 22 as amended by QĐ 262-QĐ/TW); the
same-level committee over its inspection commission counts as the next step. The body that
accepted the complaint resolves it; the Central Committee resolves by a vote. The complaint
module (:mod:`.complaint`) builds its workflow from these.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from discipline_flow.actors import Body, BodyKind, Level
from discipline_flow.citation import Citation
from discipline_flow.errors import InputError, InvalidRuleError
from discipline_flow.processes.guards import (
    body_code,
    body_kinds,
    body_rank,
    find_value,
    guarded,
    levels_under,
    measure_of,
    parse_day,
    party_level,
)
from discipline_flow.rules import Measure, Ruleset, VoteTally, check_vote
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "BodyRef",
    "FinalLevels",
    "accepting_resolver",
    "below_final_level",
    "by_complainant",
    "competent_resolver",
    "escalated_in_time",
    "final_basis",
    "final_level",
    "final_levels",
    "no_further_complaint",
    "not_to_several_levels",
    "resolver_below_central",
    "resolver_central",
    "resolver_vote",
]

#: A body a rule names: its kind, and its level where the kind does not fix one.
BodyRef = tuple[BodyKind, Level | None]


class FinalLevels(NamedTuple):
    """Who resolves complaints finally under a ruleset: by the measure complained about
    (``complaint_final_levels``) and, for discipline decided by central bodies, by the deciding
    body (``complaint_final_level_central_decisions``); and the bodies that resolve at all
    (``complaint_resolvers``)."""

    by_measure: Mapping[Measure, BodyRef]
    by_central_decider: Mapping[BodyRef, BodyRef]
    resolvers: frozenset[BodyKind]


def _pairs(ruleset: Ruleset, key: str) -> list[tuple[str, str]]:
    pairs = []
    for item in ruleset.texts(key):
        left, sep, right = item.partition("=")
        if not sep or not left or not right:
            raise InvalidRuleError(key, f"{item!r}: write each entry as NAME=BODY")
        pairs.append((left, right))
    return pairs


def final_levels(ruleset: Ruleset) -> FinalLevels:
    """The final levels and the resolvers of complaints under ``ruleset`` (an error naming the
    rule if an entry is not a measure or a body).

    >>> from discipline_flow.rules import default_registry
    >>> levels = final_levels(default_registry().get("2022"))
    >>> levels.by_measure[Measure.EXPULSION]
    (<BodyKind.SECRETARIAT: 'secretariat'>, None)
    """
    measures = {measure.value: measure for measure in Measure}
    by_measure = {}
    for left, right in _pairs(ruleset, "complaint_final_levels"):
        if left not in measures:
            raise InvalidRuleError(
                "complaint_final_levels",
                f"{left!r} is not a measure; measures: {', '.join(measures)}",
            )
        by_measure[measures[left]] = body_code("complaint_final_levels", right)
    key = "complaint_final_level_central_decisions"
    central = {body_code(key, left): body_code(key, right) for left, right in _pairs(ruleset, key)}
    return FinalLevels(by_measure, central, body_kinds(ruleset, "complaint_resolvers"))


def final_basis(ruleset: Ruleset) -> Citation:
    """The citation of the final levels under ``ruleset`` (its ``complaint_final_levels``)."""
    return ruleset.rule("complaint_final_levels").citation


def _names(body: Body, ref: BodyRef) -> bool:
    kind, level = ref
    return body.kind is kind and (level is None or body.level is level)


def final_level(measure: Measure, decided_by: Body, levels: FinalLevels) -> BodyRef | None:
    """The body kind (and level) that resolves complaints about ``measure`` finally, under the
    final ``levels`` of a ruleset (:func:`final_levels`); None if the ruleset names none.

    >>> from discipline_flow import Body, BodyKind, Level
    >>> from discipline_flow.rules import default_registry
    >>> levels = final_levels(default_registry().get("2025-07"))
    >>> final_level(Measure.WARNING, Body(BodyKind.PARTY_CELL, "c"), levels)
    (<BodyKind.INSPECTION_COMMISSION: 'inspection_commission'>, <Level.CENTRAL: 'central'>)
    >>> final_level(Measure.EXPULSION, Body(BodyKind.STANDING_COMMITTEE, "p", Level.PROVINCIAL), levels)
    (<BodyKind.SECRETARIAT: 'secretariat'>, None)
    >>> final_level(Measure.REPRIMAND, Body(BodyKind.POLITBURO, "bct"), levels)
    (<BodyKind.CENTRAL_COMMITTEE: 'central_committee'>, None)
    """
    for decider, final in levels.by_central_decider.items():
        if _names(decided_by, decider):
            return final
    return levels.by_measure.get(measure)


def _is_final(body: Body, final: BodyRef | None) -> bool:
    return final is not None and _names(body, final)


def _body_from(value: object) -> Body:
    if not isinstance(value, Mapping):
        raise InputError("payload.decided_by", "expected {kind, id, level} of the deciding body")
    kind, id_, level = value.get("kind"), value.get("id"), value.get("level")
    if (
        type(kind) is str
        and (id_ is None or type(id_) is str)
        and (level is None or type(level) is str)
    ):
        return _cached_body(kind, id_, level)
    return _read_body(value)


@functools.lru_cache(maxsize=1024)
def _cached_body(kind: str, id_: str | None, level: str | None) -> Body:
    """The same deciding body is named on many complaints: read each form once."""
    return _read_body({"kind": kind, "id": id_, "level": level})


def _read_body(value: Mapping[str, Any]) -> Body:
    try:
        kind = BodyKind(value.get("kind"))
        level = None if value.get("level") is None else Level(value.get("level"))
    except ValueError:
        kinds = ", ".join(k.value for k in BodyKind)
        raise InputError(
            "payload.decided_by", f"kind is one of {kinds}; level one of grassroots, ..."
        ) from None
    return Body(kind, str(value.get("id") or kind.value), level)


def _decided_by(ctx: GuardContext[Any, Any]) -> Body | None:
    value = find_value(ctx, "decided_by")
    return None if value is None else _body_from(value)


def _previous_resolver(ctx: GuardContext[Any, Any]) -> Body | None:
    for step in reversed(ctx.case.steps):
        trigger = step.trigger
        # ``_name_`` (a documented enum attribute) skips the ``name`` property's call.
        if trigger is not None and trigger._name_ in ("ACCEPT", "ESCALATE"):
            actor: Body = step.actor
            return actor
    return None


def _next_step(ruleset: Ruleset, basis: Citation) -> Callable[[Body, Body], str | None]:
    """Whether ``actor`` is the next body up from ``previous`` (higher, and no level skipped)
    under ``ruleset``: a pure function of the two bodies, so its answers are remembered."""
    levels = levels_under(ruleset)
    resolvers = final_levels(ruleset).resolvers

    @functools.lru_cache(maxsize=4096)
    def next_step(previous: Body, actor: Body) -> str | None:
        if actor.kind not in resolvers:
            kinds = ", ".join(sorted(k.value for k in resolvers))
            return (
                f"{actor} does not resolve complaints about discipline; resolvers: {kinds} "
                f"[{basis}]"
            )
        if body_rank(actor) <= body_rank(previous):
            return f"{actor} does not stand above {previous}; a complaint goes up [{basis}]"
        here, there = party_level(previous), party_level(actor)
        if there not in levels:
            return (
                f"{actor} is at a level that does not exist under ruleset {ruleset.name} [{basis}]"
            )
        start = levels.index(here) if here in levels else 0
        if levels.index(there) > start + 1:
            return (
                f"{actor} skips the {levels[start + 1].value} level above {previous}; complaints "
                f"go up one level at a time [{basis}]"
            )
        return None

    return next_step


def resolver_central(basis: Citation) -> Guard:
    """The resolver is a central body (its resolution period is the central one)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if not ctx.actor.kind.is_party_body:
            return f"{ctx.actor} is not a party body; party bodies resolve complaints [{basis}]"
        if party_level(ctx.actor) is Level.CENTRAL:
            return None
        return f"{ctx.actor} is not a central body [{basis}]"

    return Guard(
        "resolver_central",
        guarded(check),
        basis=basis,
        description="the resolver is a central body (180 working days)",
    )


def resolver_below_central(basis: Citation) -> Guard:
    """The resolver is below the central level (its resolution period is the provincial one)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if not ctx.actor.kind.is_party_body:
            return f"{ctx.actor} is not a party body; party bodies resolve complaints [{basis}]"
        if party_level(ctx.actor) is not Level.CENTRAL:
            return None
        return f"{ctx.actor} is a central body [{basis}]"

    return Guard(
        "resolver_below_central",
        guarded(check),
        basis=basis,
        description="the resolver is below the central level (90 working days)",
    )


def competent_resolver(ruleset: Ruleset, basis: Citation) -> Guard:
    """The resolver is the level above the deciding body (payload ``decided_by``)."""
    next_step = _next_step(ruleset, basis)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decider = _decided_by(ctx)
        if decider is None:
            return f"payload key 'decided_by' ({{kind, id, level}}) is missing [{basis}]"
        return next_step(decider, ctx.actor)

    return Guard(
        "competent_resolver",
        guarded(check),
        basis=basis,
        description="the resolver is the level above the deciding body",
        uses_payload=True,
    )


def below_final_level(ruleset: Ruleset, basis: Citation) -> Guard:
    """The previous resolver was not the final level, and the actor is the next level up."""
    next_step = _next_step(ruleset, basis)
    levels = final_levels(ruleset)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        previous = _previous_resolver(ctx)
        decider = _decided_by(ctx)
        measure = measure_of(ctx)
        if previous is None or decider is None or measure is None:
            return f"the resolver, the deciding body and the measure must be known [{basis}]"
        if _is_final(previous, final_level(measure, decider, levels)):
            return (
                f"{previous} is the final level for complaints about {measure.label_en} "
                f"decided by {decider}; no further complaint [{basis}]"
            )
        return next_step(previous, ctx.actor)

    return Guard(
        "below_final_level",
        guarded(check),
        basis=basis,
        description="the previous resolver was not the final level; the next level up",
        uses_payload=True,
    )


def escalated_in_time(ruleset: Ruleset) -> Guard:
    """The further complaint was sent (``filed_on``) within the open ``escalation_window``."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("filed_on")
        if raw is None:
            return "payload key 'filed_on' (the day the further complaint was sent) is missing"
        filed_on = parse_day(raw, "filed_on")
        windows = [d for d in ctx.case.deadlines if d.rule == "escalation_window" and d.is_open]
        if not windows:
            return "no complaint window is open on this case"
        if filed_on <= windows[-1].due_on:
            return None
        return (
            f"the further complaint was sent on {filed_on.isoformat()}, after the window ended "
            f"on {windows[-1].due_on.isoformat()} [{windows[-1].citation}]"
        )

    return Guard(
        "escalated_in_time",
        guarded(check),
        basis=ruleset.rule("complaint_window").citation,
        description="the further complaint was sent within the window",
        uses_payload=True,
    )


def accepting_resolver(basis: Citation) -> Guard:
    """The body that accepted the complaint (or the latest escalation) resolves it."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        previous = _previous_resolver(ctx)
        if previous == ctx.actor:
            return None
        return (
            f"the complaint is resolved by {previous}, which accepted it, not {ctx.actor} [{basis}]"
        )

    return Guard(
        "accepting_resolver", check, basis=basis, description="the accepting body resolves"
    )


def resolver_vote(ruleset: Ruleset) -> Guard:
    """The resolver's ``vote`` carries (the Central Committee must give one: secret ballot)."""
    rule = ruleset.rule("central_committee_secret_ballot")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("vote")
        if raw is None:
            if ctx.actor.kind is BodyKind.CENTRAL_COMMITTEE:
                return (
                    f"the Central Committee resolves by a vote (secret ballot); give 'vote' "
                    f"[{rule.citation}]"
                )
            return None
        if not isinstance(raw, Mapping):
            return "payload 'vote' must be a vote tally (VoteTally.to_payload())"
        measure = measure_of(ctx)
        if measure is None:
            return "payload key 'measure' is missing"
        failures = check_vote(
            ruleset,
            measure,
            VoteTally.from_payload(raw),
            subject_id=ctx.subject.id,
            deciding_body=ctx.actor,
        )
        return "; ".join(str(f) for f in failures) or None

    return Guard(
        "resolver_vote",
        guarded(check),
        basis=rule.citation,
        description="the resolver's vote carries (the Central Committee by secret ballot)",
        uses_payload=True,
    )


def by_complainant(basis: Citation) -> Guard:
    """The complainant (the subject, acting for itself) acts."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.actor.id == ctx.subject.id:
            return None
        return f"only the complainant {ctx.subject.id!r} withdraws the complaint [{basis}]"

    return Guard("by_complainant", check, basis=basis, description="the complainant acts")


def no_further_complaint(ruleset: Ruleset, basis: Citation) -> Guard:
    """The final level has ruled, or the window for a further complaint has passed."""
    levels = final_levels(ruleset)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        previous = _previous_resolver(ctx)
        decider = _decided_by(ctx)
        measure = measure_of(ctx)
        if (
            previous is not None
            and decider is not None
            and measure is not None
            and _is_final(previous, final_level(measure, decider, levels))
        ):
            return None
        windows = [d for d in ctx.case.deadlines if d.rule == "escalation_window" and d.is_open]
        if windows and ctx.at >= windows[-1].due_at:
            return None
        until = windows[-1].due_on.isoformat() if windows else "?"
        return (
            f"the complainant may still complain to the next level until {until}; close after "
            f"the window or at the final level [{basis}]"
        )

    return Guard(
        "no_further_complaint",
        guarded(check),
        basis=basis,
        description="the final level has ruled or the window for a further complaint passed",
        uses_payload=True,
    )


def not_to_several_levels(ruleset: Ruleset) -> Guard:
    """The complaint was not sent to several levels at once (payload ``also_sent_to``: the
    other bodies it was sent to at the same time, if any), where the ruleset's
    ``complaint_not_to_several_levels_at_once`` says so (QĐ 22-QĐ/TW Điều 23)."""
    rule = ruleset.rule("complaint_not_to_several_levels_at_once")
    applies = ruleset.flag(rule.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        others = ctx.payload.get("also_sent_to")
        if not applies or others is None or others == []:
            return None
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            return f"payload 'also_sent_to' lists the ids of the other bodies [{rule.citation}]"
        return (
            f"the complaint was also sent to {', '.join(others)}: a complaint goes to one level "
            f"at a time, not to several at once [{rule.citation}]"
        )

    return Guard(
        "not_to_several_levels",
        check,
        basis=rule.citation,
        description="the complaint was not sent to several levels at once",
        uses_payload=True,
    )
