"""Suspension (đình chỉ): of party activity, of committee membership, of an organisation.

Purpose
    An interim measure, not a form of discipline: it keeps a member or organisation showing
    signs of serious violation from obstructing the review or aggravating the violation, and
    follows criminal proceedings against a member (QĐ 22-QĐ/TW Điều 28).

Workflows
    ``party_activity_suspension`` (đình chỉ sinh hoạt đảng), ``committee_suspension`` (đình
    chỉ sinh hoạt cấp ủy: committee members only) and ``organisation_suspension`` (đình chỉ hoạt
    động of a party organisation).

States
    ``PROPOSED`` (initial) → ``SUSPENDED`` → ``LIFTED`` or ``EXPIRED``; ``NOT_SUSPENDED`` when
    the proposal is dropped. Members only: ``FOLLOWING_LEGAL_MEASURE`` (charged, prosecuted or
    detained: the suspension follows the legal measure and has no fixed end) → ``LIFTED``. An
    extension keeps the case ``SUSPENDED`` (a move from the state to itself).

Triggers and payload keys
    ``DECIDE_SUSPENSION`` (``grounds``: ``obstructing`` — signs of serious violation and
    deliberate obstruction —, ``charged`` (committee only), ``prosecuted``, ``detained``;
    organisations: ``obstructing``); ``EXTEND`` (``extend_by``, like ``"30 days"``, and
    ``reason``); ``TIE_TO_LEGAL_PROCESS`` (``legal_measure``: ``charged``, ``prosecuted`` or
    ``detained``); ``LIFT`` (``reason``); ``EXPIRE`` (fired by the sweep when the period ends);
    ``DROP`` (``reason``).

Deadlines
    ``suspension_period``: the ruleset's ``suspension_period`` (members) or
    ``organisation_suspension_period`` (90 days, read as calendar days), from
    ``DECIDE_SUSPENSION``, counted without roll-forward (the suspension lapses at the end of its
    last day; a policy choice), extended by ``EXTEND`` within the ruleset's limits — QĐ 22: any
    number of extensions up to 90 more days, 180 in all; QĐ 21 (2026): one extension of at most
    30 days; organisations under QĐ 22: none —, capped by ``suspension_total_limit``; met by
    ``LIFT``, cancelled when tied to a legal process; fires ``EXPIRE`` when missed.

Authority
    The body that may impose the heaviest measure that applies may suspend: expulsion (warning
    for a probationary member) for party activity, removal from post for committee membership
    (assumed; QĐ 22 Điều 29 gives inspection commissions above the grassroots as an example), and
    for an organisation the body that may dissolve it (QĐ 22, verified).

Legal basis
    QĐ 22-QĐ/TW Điều 28–31 (2021); QĐ 294-QĐ/TW (2025) lists the cases (content not retrieved);
    QĐ 21-QĐ/TW (2026) for 90 days plus one extension of 30 (secondary).

What is uncertain
    QĐ 296's durations were not retrieved (the QĐ 22 values are carried over as assumed);
    QĐ 21's single 30-day extension rests on one quiz and is said to cover organisations; plain
    "ngày" is read as calendar days; who may suspend a member is inferred.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import select_ruleset
>>> wf = party_activity_suspension(select_ruleset(dt.date(2026, 5, 4)))
>>> commission = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
>>> at = pendulum.datetime(2026, 5, 4, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor=commission, case_id="DC-1")
>>> _ = case.fire("DECIDE_SUSPENSION", at=at, actor=commission,
...               payload={"grounds": ["obstructing"]})
>>> case.deadline("suspension_period").due_on  # 90 days after Mon 4/5/2026
datetime.date(2026, 8, 2)
>>> _ = case.fire("EXTEND", at=at.add(days=80), actor=commission,
...               payload={"extend_by": "30 days", "reason": "verification continues"})
>>> case.deadline("suspension_period").due_on
datetime.date(2026, 9, 1)
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow.actors import Member, Organisation
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes.guards import (
    Permissions,
    era_citation,
    guarded,
    party_body,
    requires,
)
from discipline_flow.rules import Measure, Permission, Ruleset
from discipline_flow.time import CIVIL_CODE, DeadlineRule, ExtensionPolicy, Period
from discipline_flow.workflow import Guard, GuardContext, Label, Transition, Workflow

__all__ = [
    "GROUNDS",
    "LEGAL_MEASURES",
    "MemberSuspensionState",
    "MemberSuspensionTrigger",
    "OrganisationSuspensionState",
    "OrganisationSuspensionTrigger",
    "committee_suspension",
    "organisation_suspension",
    "party_activity_suspension",
    "workflows",
]


class MemberSuspensionState(enum.Enum):
    """States of a suspension of a member (party activity or committee membership)."""

    PROPOSED = "proposed"
    SUSPENDED = "suspended"
    FOLLOWING_LEGAL_MEASURE = "following_legal_measure"
    LIFTED = "lifted"
    EXPIRED = "expired"
    NOT_SUSPENDED = "not_suspended"


class MemberSuspensionTrigger(enum.Enum):
    """Triggers of a suspension of a member."""

    DECIDE_SUSPENSION = "decide_suspension"
    EXTEND = "extend"
    TIE_TO_LEGAL_PROCESS = "tie_to_legal_process"
    LIFT = "lift"
    EXPIRE = "expire"
    DROP = "drop"


class OrganisationSuspensionState(enum.Enum):
    """States of a suspension of a party organisation."""

    PROPOSED = "proposed"
    SUSPENDED = "suspended"
    LIFTED = "lifted"
    EXPIRED = "expired"
    NOT_SUSPENDED = "not_suspended"


class OrganisationSuspensionTrigger(enum.Enum):
    """Triggers of a suspension of a party organisation."""

    DECIDE_SUSPENSION = "decide_suspension"
    EXTEND = "extend"
    LIFT = "lift"
    EXPIRE = "expire"
    DROP = "drop"


_LABELS = {
    "PROPOSED": Label("Proposed", "Đề nghị đình chỉ"),
    "SUSPENDED": Label("Suspended", "Đang bị đình chỉ"),
    "FOLLOWING_LEGAL_MEASURE": Label(
        "Following the legal measure", "Đình chỉ theo thời hạn tố tụng"
    ),
    "LIFTED": Label("Lifted", "Đã hủy bỏ đình chỉ"),
    "EXPIRED": Label("Expired", "Hết thời hạn đình chỉ"),
    "NOT_SUSPENDED": Label("Not suspended", "Không đình chỉ"),
    "DECIDE_SUSPENSION": Label("Decide the suspension", "Quyết định đình chỉ"),
    "EXTEND": Label("Extend", "Gia hạn đình chỉ"),
    "TIE_TO_LEGAL_PROCESS": Label("Tie to the legal process", "Đình chỉ theo biện pháp tố tụng"),
    "LIFT": Label("Lift", "Hủy bỏ quyết định đình chỉ"),
    "EXPIRE": Label("Expire", "Hết thời hạn"),
    "DROP": Label("Drop", "Không đình chỉ"),
}

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


def _grounds_basis(ruleset: Ruleset) -> Citation:
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


def _authority_basis(ruleset: Ruleset, organisation: bool) -> Citation:
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


def _may_suspend(ruleset: Ruleset, name: str, basis: Citation) -> Guard:
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


def _grounds(name: str, basis: Citation) -> Guard:
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


def _legal_measure(ruleset: Ruleset, name: str) -> Guard:
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


def _extension_allowed(citation: Citation) -> Guard:
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


def _period_over(citation: Citation) -> Guard:
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


def _build(ruleset: Ruleset, name: str) -> Workflow[Any, Any]:
    organisation = name == "organisation_suspension"
    states: type[enum.Enum] = OrganisationSuspensionState if organisation else MemberSuspensionState
    triggers: type[enum.Enum] = (
        OrganisationSuspensionTrigger if organisation else MemberSuspensionTrigger
    )
    s = states.__getitem__
    t = triggers.__getitem__
    prefix = "organisation_suspension" if organisation else "suspension"
    period_rule = ruleset.rule(f"{prefix}_period")
    limit_rule = ruleset.rule(f"{prefix}_extension_limit")
    single = ruleset.rule("suspension_single_extension")
    period = ruleset.period(period_rule.key)
    limit = ruleset.period(limit_rule.key)
    if limit.unit is not period.unit:
        raise InputError(
            limit_rule.key, f"the extension limit must be in {period.unit.value}, like the period"
        )
    cap: Period | None = None
    if organisation:
        cap = Period(period.amount + limit.amount, period.unit)
    else:
        cap = ruleset.period("suspension_total_limit")
    can_extend = limit.amount > 0
    policy = (
        ExtensionPolicy(
            max_count=1 if ruleset.flag(single.key) else max(limit.amount, 1),
            max_total=limit,
            reason_required=True,
        )
        if can_extend
        else None
    )
    grounds_basis = _grounds_basis(ruleset)
    authority_basis = _authority_basis(ruleset, organisation)
    reason = requires("reason", name="reason_given", what="this move")
    party = party_body(basis=authority_basis)
    transitions: list[Transition[Any, Any]] = [
        Transition(
            t("DECIDE_SUSPENSION"),
            s("PROPOSED"),
            s("SUSPENDED"),
            guards=(_may_suspend(ruleset, name, authority_basis), _grounds(name, grounds_basis)),
            basis=grounds_basis,
        ),
        Transition(t("DROP"), s("PROPOSED"), s("NOT_SUSPENDED"), guards=(reason,)),
        Transition(
            t("EXPIRE"),
            s("SUSPENDED"),
            s("EXPIRED"),
            guards=(_period_over(period_rule.citation),),
            basis=period_rule.citation,
        ),
    ]
    if can_extend:
        transitions.append(
            Transition(
                t("EXTEND"),
                s("SUSPENDED"),
                s("SUSPENDED"),
                guards=(party, _extension_allowed(limit_rule.citation)),
                basis=limit_rule.citation,
            )
        )
    lift_from = [s("SUSPENDED")]
    if not organisation:
        follows = ruleset.rule("suspension_follows_legal_measure")
        transitions.append(
            Transition(
                t("TIE_TO_LEGAL_PROCESS"),
                s("SUSPENDED"),
                s("FOLLOWING_LEGAL_MEASURE"),
                guards=(_legal_measure(ruleset, name),),
                basis=follows.citation,
            )
        )
        lift_from.append(s("FOLLOWING_LEGAL_MEASURE"))
    transitions.append(Transition(t("LIFT"), tuple(lift_from), s("LIFTED"), guards=(party, reason)))
    deadline = DeadlineRule(
        "suspension_period",
        period,
        starts_on_trigger=t("DECIDE_SUSPENSION"),
        met_by={t("LIFT")},
        cancelled_by={t("EXPIRE")} | ({t("TIE_TO_LEGAL_PROCESS")} if not organisation else set()),
        extended_by=t("EXTEND") if can_extend else None,
        extension=policy,
        cap=cap if can_extend and cap is not None and cap.unit is period.unit else None,
        on_miss=t("EXPIRE"),
        convention=CIVIL_CODE.but(roll_forward=False),
        citation=period_rule.citation,
        label_en="Suspension period",
        label_vi="Thời hạn đình chỉ",
    )
    labels: dict[enum.Enum, Label] = {m: _LABELS[m.name] for m in (*states, *triggers)}
    citations = [grounds_basis, authority_basis, period_rule.citation, limit_rule.citation]
    if not organisation:
        citations += [
            ruleset.rule("suspension_total_limit").citation,
            ruleset.rule("suspension_follows_legal_measure").citation,
        ]
    what = {
        "party_activity_suspension": Label(
            "Suspension of party activity", "Đình chỉ sinh hoạt đảng"
        ),
        "committee_suspension": Label(
            "Suspension of committee membership", "Đình chỉ sinh hoạt cấp ủy"
        ),
        "organisation_suspension": Label(
            "Suspension of a party organisation", "Đình chỉ hoạt động tổ chức đảng"
        ),
    }[name]
    return Workflow(
        name=name,
        version=ruleset.name,
        states=states,
        triggers=triggers,
        initial=s("PROPOSED"),
        terminal={s("LIFTED"), s("EXPIRED"), s("NOT_SUSPENDED")},
        transitions=transitions,
        deadline_rules=(deadline,),
        labels=labels,
        citations=tuple(dict.fromkeys(citations)),
        label=what,
        description=f"{what.en}: decided, extended within the ruleset's limits, lifted, "
        f"expired{'' if organisation else ' or tied to a legal process'} "
        f"(ruleset {ruleset.name}).",
        ruleset=ruleset.name,
    )


def party_activity_suspension(
    ruleset: Ruleset,
) -> Workflow[MemberSuspensionState, MemberSuspensionTrigger]:
    """Suspension of a member's party activity under ``ruleset``."""
    return _build(ruleset, "party_activity_suspension")


def committee_suspension(
    ruleset: Ruleset,
) -> Workflow[MemberSuspensionState, MemberSuspensionTrigger]:
    """Suspension of a committee member's committee membership under ``ruleset``."""
    return _build(ruleset, "committee_suspension")


def organisation_suspension(
    ruleset: Ruleset,
) -> Workflow[OrganisationSuspensionState, OrganisationSuspensionTrigger]:
    """Suspension of a party organisation's activity under ``ruleset``."""
    return _build(ruleset, "organisation_suspension")


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The suspension workflows under ``ruleset`` (the process registry calls this)."""
    return [
        party_activity_suspension(ruleset),
        committee_suspension(ruleset),
        organisation_suspension(ruleset),
    ]
