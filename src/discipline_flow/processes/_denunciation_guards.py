"""The guards of the denunciation workflows (:mod:`.denunciation`): who is competent, whether
the subject is centrally managed, and what the payload says. The guards every process shares
live in :mod:`discipline_flow.processes.guards`.
"""

from __future__ import annotations

from typing import Any

from discipline_flow.actors import BodyKind, Level, Member, Organisation
from discipline_flow.citation import Citation
from discipline_flow.processes.guards import body_kinds, body_level
from discipline_flow.rules import Ruleset, RulesetRule
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "centrally_managed",
    "competent_body",
    "flag",
    "ground_given",
    "not_a_complaint",
    "used_for_inspection",
    "withdrawal_allowed",
]


def competent_body(levels: frozenset[Level], ruleset: Ruleset) -> Guard:
    """The actor is one of the ruleset's ``denunciation_resolvers`` at one of ``levels``; a
    party cell, against its own members only."""
    rule = ruleset.rule("denunciation_resolvers")
    basis = rule.citation
    resolvers = body_kinds(ruleset, rule.key)
    words = ", ".join(sorted(lv.value for lv in levels))
    kinds = ", ".join(sorted(kind.value for kind in resolvers))

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        why = refusal(ctx)
        return None if why is None else f"{why} [{basis}]"

    def refusal(ctx: GuardContext[Any, Any]) -> str | None:
        actor = ctx.actor
        level = body_level(actor)
        if actor.kind not in resolvers or level is None:
            return f"{actor} does not resolve denunciations; resolvers: {kinds}"
        if level not in levels:
            return (
                f"{actor} acts at the {level.value} level; this workflow is for bodies at the "
                f"{words} level"
            )
        if actor.kind is BodyKind.PARTY_CELL:
            subject = ctx.subject
            if not isinstance(subject, Member):
                return "a party cell resolves denunciations against its members only"
            if subject.cell_id is not None and subject.cell_id != actor.id:
                return (
                    f"member {subject.id!r} belongs to cell {subject.cell_id!r}, not {actor.id!r}; "
                    f"a party cell resolves denunciations against its own members"
                )
        return None

    return Guard(
        "competent_body",
        check,
        basis=basis,
        description=f"a body competent to resolve denunciations, at the {words} level",
    )


def centrally_managed(basis: Citation) -> Guard:
    """The subject is a cadre managed at the central level or an organisation directly under the
    Central Committee."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        subject = ctx.subject
        if isinstance(subject, Member) and Level.CENTRAL in (
            subject.managed_by,
            subject.committee_level,
        ):
            return None
        if isinstance(subject, Organisation) and subject.level is Level.PROVINCIAL:
            return None
        return (
            f"{subject.id!r} is neither a cadre managed at the central level nor an organisation "
            f"directly under the Central Committee; use denunciation_grassroots or "
            f"denunciation_above_grassroots"
        )

    return Guard(
        "subject_centrally_managed",
        check,
        basis=basis,
        description="the subject is a centrally-managed cadre or an organisation under the CC",
    )


def ground_given(ruleset: Ruleset) -> Guard:
    """The payload's ``reason`` is one of the ruleset's ``denunciation_not_handled_grounds``."""
    grounds = ruleset.rule("denunciation_not_handled_grounds")
    allowed = ruleset.texts(grounds.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        reason = ctx.payload.get("reason")
        if reason in allowed:
            return None
        return (
            f"a letter is not handled only for: {', '.join(allowed)}; got {reason!r} "
            f"[{grounds.citation}]"
        )

    return Guard(
        "not_handled_ground",
        check,
        basis=grounds.citation,
        description="the reason is one of the grounds for not handling a letter",
        uses_payload=True,
    )


def withdrawal_allowed(ruleset: Ruleset) -> Guard:
    """The denouncer's withdrawal ends the resolution: the ruleset's
    ``denunciation_withdrawal_ends_resolution`` says so, and the payload's ``coerced`` is false
    (a withdrawal under threat, coercion or bribery does not end it)."""
    rule: RulesetRule = ruleset.rule("denunciation_withdrawal_ends_resolution")
    ends = ruleset.flag(rule.key)
    why = "a withdrawal under threat, coercion or bribery does not end the resolution"
    coerced = flag("coerced", False, "withdrawal_not_coerced", rule.citation, why)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if not ends:
            return (
                f"under ruleset {ruleset.name} a withdrawal does not end the resolution "
                f"[{rule.citation}]"
            )
        why_not = coerced.check(ctx)
        return None if why_not is None else f"{why_not} [{rule.citation}]"

    return Guard(
        "withdrawal_not_coerced", check, basis=rule.citation, description=why, uses_payload=True
    )


def not_a_complaint(ruleset: Ruleset) -> Guard:
    """The letter does not also complain about a disciplinary decision (payload
    ``complains_about_discipline``): such a letter is handled as a complaint where the ruleset's
    ``complaint_and_denunciation_handled_as_complaint`` says so (HD 02-HD/TW mục V điểm 2.4)."""
    rule = ruleset.rule("complaint_and_denunciation_handled_as_complaint")
    applies = ruleset.flag(rule.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if applies and ctx.payload.get("complains_about_discipline") is True:
            return (
                "a letter that both complains about discipline and denounces is handled as a "
                "complaint (open a complaint case); its author is guided to file the "
                f"denunciation separately [{rule.citation}]"
            )
        return None

    return Guard(
        "not_a_complaint",
        check,
        basis=rule.citation,
        description="the letter does not also complain about a disciplinary decision",
        uses_payload=True,
    )


def used_for_inspection(ruleset: Ruleset) -> Guard:
    """A letter with concrete content (payload ``has_concrete_content``: true) is used as input
    for an inspection on signs of violation, where the ruleset's
    ``anonymous_letter_used_for_inspection`` allows it (QĐ 296-QĐ/TW Điều 19)."""
    rule = ruleset.rule("anonymous_letter_used_for_inspection")
    allowed = ruleset.flag(rule.key)
    why = "only a letter with concrete content is used as input for an inspection"
    concrete = flag("has_concrete_content", True, "concrete_content", rule.citation, why)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if not allowed:
            return (
                f"under ruleset {ruleset.name} a letter that is not handled does not feed an "
                f"inspection [{rule.citation}]"
            )
        return concrete.check(ctx)

    return Guard("concrete_content", check, basis=rule.citation, description=why, uses_payload=True)


def flag(key: str, expected: bool, name: str, basis: Citation, why: str) -> Guard:
    """The payload's ``key`` is ``expected`` (true or false); ``why`` says what it is for."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        value = ctx.payload.get(key)
        if value is expected:
            return None
        if not isinstance(value, bool):
            return f"give {key!r} true or false: {why}"
        return f"{key} is {str(value).lower()}: {why}"

    return Guard(name, check, basis=basis, description=why, uses_payload=True)
