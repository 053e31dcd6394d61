"""The guards and citations of the suspension workflows (:mod:`.suspension`).

Who may suspend (the body that may impose the heaviest measure that applies), on which grounds,
which legal measure a member's suspension can follow, and the checks on extending and on the
period's end (QĐ 22-QĐ/TW Điều 28–31; QĐ 294-QĐ/TW; QĐ 21-QĐ/TW).
"""

from __future__ import annotations

from typing import Any

from discipline_flow.actors import Member, Organisation
from discipline_flow.citation import Citation
from discipline_flow.errors import InvalidRuleError
from discipline_flow.processes.guards import Permissions, guarded
from discipline_flow.rules import Measure, Permission, Ruleset
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "GROUNDS_RULES",
    "LEGAL_MEASURES",
    "committee_membership_follows",
    "extension_allowed",
    "grounds_basis",
    "grounds_given",
    "grounds_of",
    "legal_measure",
    "legal_measures_of",
    "may_suspend",
    "period_over",
    "suspension_authority_basis",
]

#: The ruleset's rule of the grounds of each suspension workflow (QĐ 22-QĐ/TW Điều 28).
GROUNDS_RULES = {
    "party_activity_suspension": "suspension_grounds_party_activity",
    "committee_suspension": "suspension_grounds_committee",
    "organisation_suspension": "suspension_grounds_organisation",
}
#: The grounds that are legal measures a member's suspension can follow (QĐ 22-QĐ/TW Điều 31
#: khoản 2), where the workflow's grounds list them.
LEGAL_MEASURES = ("charged", "prosecuted", "detained")


def grounds_of(ruleset: Ruleset, name: str) -> tuple[str, ...]:
    """The grounds of the suspension ``name`` under ``ruleset``.

    >>> from discipline_flow.rules import default_registry
    >>> grounds_of(default_registry().get("2022"), "committee_suspension")
    ('obstructing', 'charged', 'prosecuted', 'detained')
    """
    return ruleset.texts(GROUNDS_RULES[name])


def legal_measures_of(ruleset: Ruleset, name: str) -> tuple[str, ...]:
    """The legal measures the member's suspension ``name`` can follow under ``ruleset``: its
    grounds that are legal measures.

    >>> from discipline_flow.rules import default_registry
    >>> legal_measures_of(default_registry().get("2022"), "party_activity_suspension")
    ('prosecuted', 'detained')
    """
    return tuple(ground for ground in grounds_of(ruleset, name) if ground in LEGAL_MEASURES)


def grounds_basis(ruleset: Ruleset, name: str = "party_activity_suspension") -> Citation:
    """The citation of the cases of suspension ``name`` under ``ruleset``."""
    return ruleset.rule(GROUNDS_RULES[name]).citation


def suspension_authority_basis(ruleset: Ruleset, organisation: bool) -> Citation:
    """The citation of who may suspend a member, or an ``organisation``, under ``ruleset``."""
    key = "suspension_authority_organisation" if organisation else "suspension_authority_member"
    return ruleset.rule(key).citation


def _heaviest_measures(ruleset: Ruleset) -> dict[str, Measure]:
    """The measure whose authority decides each suspension (``suspension_authority_member``,
    ``suspension_authority_organisation``): by workflow, and ``party_activity_probationary``."""
    key = "suspension_authority_member"
    allowed = ("party_activity", "party_activity_probationary", "committee")
    measures = {m.value: m for m in Measure}
    chosen: dict[str, Measure] = {}
    for item in ruleset.texts(key):
        left, _, right = item.partition("=")
        if left not in allowed or right not in measures:
            raise InvalidRuleError(
                key,
                f"{item!r}: write SUSPENSION=MEASURE, a suspension among {', '.join(allowed)} "
                f"and a measure among {', '.join(measures)}",
            )
        chosen[left] = measures[right]
    organisation = ruleset.text("suspension_authority_organisation")
    if organisation not in measures:
        raise InvalidRuleError(
            "suspension_authority_organisation",
            f"{organisation!r} is not a measure; measures: {', '.join(measures)}",
        )
    chosen["organisation"] = measures[organisation]
    missing = [name for name in (*allowed, "organisation") if name not in chosen]
    if missing:
        raise InvalidRuleError(key, f"no measure for {', '.join(missing)}")
    return chosen


def _heaviest(measures: dict[str, Measure], name: str, subject: object) -> Measure:
    if name == "organisation_suspension":
        return measures["organisation"]
    if name == "committee_suspension":
        return measures["committee"]
    if isinstance(subject, Member) and subject.is_probationary:
        return measures["party_activity_probationary"]
    return measures["party_activity"]


def may_suspend(ruleset: Ruleset, name: str, basis: Citation) -> Guard:
    """The actor may impose the heaviest measure that applies to the suspension ``name`` of the
    subject (``authority``), and the subject is one the workflow suspends."""
    permissions = Permissions(ruleset)
    decides = (Permission.ALLOWED, Permission.NEEDS_APPROVAL)
    measures = _heaviest_measures(ruleset)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        subject = ctx.subject
        if name == "organisation_suspension" and not isinstance(subject, Organisation):
            return f"{name} is about a party organisation, not a member [{basis}]"
        if name != "organisation_suspension" and not isinstance(subject, Member):
            return f"{name} is about a member, not an organisation [{basis}]"
        if (
            name == "committee_suspension"
            and isinstance(subject, Member)
            and subject.committee_level is None
        ):
            return f"only a committee member is suspended from the committee [{basis}]"
        measure = _heaviest(measures, name, subject)
        if permissions(ctx.actor, subject, measure) in decides:
            return None
        decision = permissions.decision(ctx.actor, subject, measure)
        return f"the body that may impose {measure.label_en} may suspend: {decision.reason}"

    return Guard(
        "authority",
        guarded(check),
        basis=basis,
        description="the body that may impose the heaviest measure may suspend",
    )


def grounds_given(ruleset: Ruleset, name: str) -> Guard:
    """The payload's ``grounds`` are among the ruleset's grounds of the suspension ``name``."""
    allowed = grounds_of(ruleset, name)
    basis = grounds_basis(ruleset, name)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("grounds")
        grounds = [raw] if isinstance(raw, str) else raw
        if not isinstance(grounds, list) or not grounds:
            return f"payload 'grounds' lists why: {', '.join(allowed)} [{basis}]"
        unknown = [x for x in grounds if x not in allowed]
        if unknown:
            return (
                f"{name} is decided on the grounds {', '.join(allowed)}; got "
                f"{', '.join(map(str, unknown))} [{basis}]"
            )
        return None

    return Guard(
        "grounds",
        check,
        basis=basis,
        description=f"grounds: {', '.join(allowed)}",
        uses_payload=True,
    )


def legal_measure(ruleset: Ruleset, name: str) -> Guard:
    """The ruleset lets a suspension follow a legal measure, and the payload's
    ``legal_measure`` is one the member's suspension ``name`` can follow."""
    rule = ruleset.rule("suspension_follows_legal_measure")
    allowed = legal_measures_of(ruleset, name)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if not ruleset.flag(rule.key):
            return f"under ruleset {ruleset.name} a suspension does not follow a legal measure"
        value = ctx.payload.get("legal_measure")
        if value in allowed:
            return None
        return (
            f"payload 'legal_measure' is one of {', '.join(allowed)} for {name}; got {value!r} "
            f"[{rule.citation}]"
        )

    return Guard(
        "legal_measure",
        check,
        basis=rule.citation,
        description=f"the legal measure is one of {', '.join(allowed)}",
        uses_payload=True,
    )


def extension_allowed(citation: Citation) -> Guard:
    """Try the extension on the running deadline: refuse with the policy's reason. The extended
    deadline computed here is the one the move records (it travels in the fire's context)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.payload.get("extend_by") is None:
            return f"payload 'extend_by' (like '30 days') and 'reason' are needed [{citation}]"
        ctx.extended_deadline(ctx.case.workflow.rule("suspension_period"))
        return None

    return Guard(
        "extension_allowed",
        guarded(check),
        basis=citation,
        description="the extension is within the ruleset's limits",
        uses_payload=True,
    )


def period_over(citation: Citation) -> Guard:
    """The suspension period has ended."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        current = ctx.case.deadline("suspension_period")
        if ctx.at >= current.due_at:
            return None
        return f"the suspension runs until the end of {current.due_on.isoformat()} [{citation}]"

    return Guard(
        "period_over",
        guarded(check),
        basis=citation,
        description="the suspension period has ended",
    )


def committee_membership_follows(ruleset: Ruleset) -> Guard:
    """A committee member suspended from party activity is suspended from the committee too,
    where the ruleset's ``suspended_committee_member_suspended_from_committee`` says so
    (QĐ 22-QĐ/TW Điều 28): the decision cannot keep the member on the committee (payload
    ``keeps_committee_membership``: true is refused)."""
    rule = ruleset.rule("suspended_committee_member_suspended_from_committee")
    applies = ruleset.flag(rule.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        subject = ctx.subject
        if (
            applies
            and isinstance(subject, Member)
            and subject.committee_level is not None
            and ctx.payload.get("keeps_committee_membership") is True
        ):
            return (
                f"{subject.id!r} is a committee member: suspended from party activity, the "
                f"member is suspended from the committee too [{rule.citation}]"
            )
        return None

    return Guard(
        "suspended_from_committee_too",
        check,
        basis=rule.citation,
        description="a suspended committee member is suspended from the committee too",
        uses_payload=True,
    )
