"""The guards and citations of the suspension workflows (:mod:`.suspension`).

Who may suspend (the body that may impose the heaviest measure that applies), on which grounds,
which legal measure a member's suspension can follow, and the checks on extending and on the
period's end (QĐ 22-QĐ/TW Điều 28–31; QĐ 294-QĐ/TW; QĐ 21-QĐ/TW).
"""

from __future__ import annotations

from typing import Any

from discipline_flow.actors import Member, Organisation
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.processes.guards import Permissions, era_citation, guarded
from discipline_flow.rules import Measure, Permission, Ruleset
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "GROUNDS",
    "LEGAL_MEASURES",
    "extension_allowed",
    "grounds_basis",
    "grounds_given",
    "legal_measure",
    "may_suspend",
    "period_over",
    "suspension_authority_basis",
]

#: The grounds for suspending, per workflow (QĐ 22-QĐ/TW Điều 28).
GROUNDS = {
    "party_activity_suspension": ("obstructing", "prosecuted", "detained"),
    "committee_suspension": ("obstructing", "charged", "prosecuted", "detained"),
    "organisation_suspension": ("obstructing",),
}
#: The legal measures a member's suspension can follow (QĐ 22-QĐ/TW Điều 28, 31 khoản 2).
LEGAL_MEASURES = {
    "party_activity_suspension": ("prosecuted", "detained"),
    "committee_suspension": ("charged", "prosecuted", "detained"),
}

_V, _A = RuleStatus.VERIFIED, RuleStatus.ASSUMED
_QD22_28 = Citation("QĐ 22-QĐ/TW", "Điều 28", _V, "P-thutucpl-28; P-lawnet-suspension-en")


def grounds_basis(ruleset: Ruleset) -> Citation:
    """The citation of the cases of suspension under the regulation ``ruleset`` rests on."""
    return era_citation(
        ruleset,
        qd22=_QD22_28,
        qd296=Citation(
            "QĐ 22-QĐ/TW",
            "Điều 28",
            _A,
            "P-thutucpl-28; P-mattran-294",
            note="QĐ 294-QĐ/TW (2025) lists the cases of suspension; its content was not "
            "retrieved and the QĐ 22 list is carried over",
        ),
    )


def suspension_authority_basis(ruleset: Ruleset, organisation: bool) -> Citation:
    """The citation of who may suspend a member, or an ``organisation``, under ``ruleset``."""
    if organisation:
        return era_citation(
            ruleset,
            qd22=Citation(
                "QĐ 22-QĐ/TW",
                "Điều 29",
                _V,
                "P-lawnet-suspension-en",
                note="the organisation that may dissolve an organisation is the one that may "
                "suspend it",
            ),
            qd296=Citation(
                "QĐ 22-QĐ/TW",
                "Điều 29",
                _A,
                "P-lawnet-suspension-en",
                note="carried over from QĐ 22; QĐ 296's article was not retrieved",
            ),
        )
    return Citation(
        "QĐ 22-QĐ/TW",
        "Điều 29",
        _A,
        "P-congan-ht-37",
        note="inferred: the body that may impose the heaviest measure that applies may suspend; "
        "the article's example (inspection commissions above the grassroots) is verified",
    )


def _heaviest(name: str, subject: object) -> Measure:
    if name == "organisation_suspension":
        return Measure.DISSOLUTION
    if name == "committee_suspension":
        return Measure.REMOVAL_FROM_POST
    if isinstance(subject, Member) and subject.is_probationary:
        return Measure.WARNING
    return Measure.EXPULSION


def may_suspend(ruleset: Ruleset, name: str, basis: Citation) -> Guard:
    """The actor may impose the heaviest measure that applies to the suspension ``name`` of the
    subject (``authority``), and the subject is one the workflow suspends."""
    permissions = Permissions(ruleset)
    decides = (Permission.ALLOWED, Permission.NEEDS_APPROVAL)

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
        measure = _heaviest(name, subject)
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


def grounds_given(name: str, basis: Citation) -> Guard:
    """The payload's ``grounds`` are among the grounds of the suspension ``name``."""
    allowed = GROUNDS[name]

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
    allowed = LEGAL_MEASURES[name]

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
