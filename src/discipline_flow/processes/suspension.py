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
    ``DECIDE_SUSPENSION`` (``grounds``, the ruleset's ``suspension_grounds_party_activity``,
    ``suspension_grounds_committee`` or ``suspension_grounds_organisation``: ``obstructing`` —
    signs of serious violation and deliberate obstruction —, ``charged`` (committee only),
    ``prosecuted``, ``detained``; organisations: ``obstructing``; members:
    ``keeps_committee_membership``: true is refused for a committee member where the ruleset's
    ``suspended_committee_member_suspended_from_committee`` holds); ``EXTEND`` (``extend_by``, like ``"30 days"``, and
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
    for an organisation the body that may dissolve it (QĐ 22, verified): the ruleset's
    ``suspension_authority_member`` and ``suspension_authority_organisation``.

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
from collections.abc import Mapping
from typing import Any

from discipline_flow.errors import InputError
from discipline_flow.processes._suspension_guards import (
    committee_membership_follows,
    extension_allowed,
    grounds_basis,
    grounds_given,
    grounds_of,
    legal_measure,
    legal_measures_of,
    may_suspend,
    period_over,
    suspension_authority_basis,
)
from discipline_flow.processes._tables import (
    Move,
    Pieces,
    labels_for,
    moves_for,
    transitions,
)
from discipline_flow.processes.guards import party_body, requires
from discipline_flow.rules import Ruleset
from discipline_flow.time import CIVIL_CODE, DeadlineRule, ExtensionPolicy, Period
from discipline_flow.workflow import Label, Workflow

__all__ = [
    "MemberSuspensionState",
    "MemberSuspensionTrigger",
    "OrganisationSuspensionState",
    "OrganisationSuspensionTrigger",
    "committee_suspension",
    "grounds_of",
    "legal_measures_of",
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


# The tables are written in a member's suspension states and triggers. The organisation
# workflow's are the same less the legal process: it takes the rows and labels that apply to it,
# each member replaced by its own member of the same name (``counterpart``, when imported).
S = MemberSuspensionState
T = MemberSuspensionTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.PROPOSED: Label("Proposed", "Đề nghị đình chỉ"),
    S.SUSPENDED: Label("Suspended", "Đang bị đình chỉ"),
    S.FOLLOWING_LEGAL_MEASURE: Label(
        "Following the legal measure", "Đình chỉ theo thời hạn tố tụng"
    ),
    S.LIFTED: Label("Lifted", "Đã hủy bỏ đình chỉ"),
    S.EXPIRED: Label("Expired", "Hết thời hạn đình chỉ"),
    S.NOT_SUSPENDED: Label("Not suspended", "Không đình chỉ"),
    T.DECIDE_SUSPENSION: Label("Decide the suspension", "Quyết định đình chỉ"),
    T.EXTEND: Label("Extend", "Gia hạn đình chỉ"),
    T.TIE_TO_LEGAL_PROCESS: Label("Tie to the legal process", "Đình chỉ theo biện pháp tố tụng"),
    T.LIFT: Label("Lift", "Hủy bỏ quyết định đình chỉ"),
    T.EXPIRE: Label("Expire", "Hết thời hạn"),
    T.DROP: Label("Drop", "Không đình chỉ"),
}

#: The labels of the three workflows.
_TITLES = {
    "party_activity_suspension": Label("Suspension of party activity", "Đình chỉ sinh hoạt đảng"),
    "committee_suspension": Label(
        "Suspension of committee membership", "Đình chỉ sinh hoạt cấp ủy"
    ),
    "organisation_suspension": Label(
        "Suspension of a party organisation", "Đình chỉ hoạt động tổ chức đảng"
    ),
}

#: The moves of a suspension, in the order they are tried: trigger, sources, target; then the
#: guards and the basis, named as :func:`_pieces` builds them under a ruleset. ``when``: only in
#: a member's suspension (``members``) or an organisation's (``organisations``), or where the
#: ruleset allows an extension (``extensions``).
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_MOVES: tuple[Move[MemberSuspensionState, MemberSuspensionTrigger], ...] = (
    Move(T.DECIDE_SUSPENSION, S.PROPOSED, S.SUSPENDED,
         ("authority", "grounds", "suspended_from_committee_too"), "grounds", when="members"),
    Move(T.DECIDE_SUSPENSION, S.PROPOSED, S.SUSPENDED,
         ("authority", "grounds"), "grounds", when="organisations"),
    Move(T.DROP, S.PROPOSED, S.NOT_SUSPENDED,
         ("reason_given",)),
    Move(T.EXPIRE, S.SUSPENDED, S.EXPIRED,
         ("period_over",), "period"),
    Move(T.EXTEND, S.SUSPENDED, S.SUSPENDED,
         ("party_body", "extension_allowed"), "extension_limit", when="extensions"),
    Move(T.TIE_TO_LEGAL_PROCESS, S.SUSPENDED, S.FOLLOWING_LEGAL_MEASURE,
         ("legal_measure",), "legal_measure", when="members"),
    Move(T.LIFT, (S.SUSPENDED, S.FOLLOWING_LEGAL_MEASURE), S.LIFTED,
         ("party_body", "reason_given"), when="members"),
    Move(T.LIFT, S.SUSPENDED, S.LIFTED,
         ("party_body", "reason_given"), when="organisations"),
)
# fmt: on

_MEMBER_MOVES = moves_for(
    "party_activity_suspension", S, T, _MOVES, {"members": True, "organisations": False}
)
_ORGANISATION_MOVES = moves_for(
    "organisation_suspension",
    OrganisationSuspensionState,
    OrganisationSuspensionTrigger,
    _MOVES,
    {"members": False, "organisations": True},
)
_ORGANISATION_LABELS = labels_for(
    "organisation_suspension",
    OrganisationSuspensionState,
    OrganisationSuspensionTrigger,
    _LABELS,
    S,
    T,
)


def _prefix(name: str) -> str:
    """The prefix of the ruleset's keys for the workflow ``name``."""
    return "organisation_suspension" if name == "organisation_suspension" else "suspension"


def _suspension_period(
    ruleset: Ruleset,
    name: str,
    triggers: type[MemberSuspensionTrigger] | type[OrganisationSuspensionTrigger],
) -> DeadlineRule:
    """The deadline table of the suspension ``name`` under ``ruleset``: its one deadline, the
    ruleset's period from ``DECIDE_SUSPENSION`` without roll-forward (it lapses at the end of its
    last day), extended by ``EXTEND`` within the ruleset's limits (none when the limit is zero)
    up to a cap, met by ``LIFT``; it fires ``EXPIRE`` when missed. Written in either workflow's
    triggers (both have every member it names but ``TIE_TO_LEGAL_PROCESS``, a member's only)."""
    organisation = name == "organisation_suspension"
    period_rule = ruleset.rule(f"{_prefix(name)}_period")
    limit_rule = ruleset.rule(f"{_prefix(name)}_extension_limit")
    period = ruleset.period(period_rule.key)
    limit = ruleset.period(limit_rule.key)
    if limit.unit is not period.unit:
        raise InputError(
            limit_rule.key, f"the extension limit must be in {period.unit.value}, like the period"
        )
    policy: ExtensionPolicy | None = None
    cap: Period | None = None
    if limit.amount > 0:
        single = ruleset.flag("suspension_single_extension")
        policy = ExtensionPolicy(
            max_count=1 if single else max(limit.amount, 1), max_total=limit, reason_required=True
        )
        if organisation:
            cap = Period(period.amount + limit.amount, period.unit)
        else:
            cap = ruleset.period("suspension_total_limit")
        if cap.unit is not period.unit:
            cap = None
    ends: set[enum.Enum] = {triggers.EXPIRE}
    if not organisation:  # following a legal measure, a member's suspension has no fixed end
        ends.add(MemberSuspensionTrigger.TIE_TO_LEGAL_PROCESS)
    return DeadlineRule(
        "suspension_period",
        period,
        starts_on_trigger=triggers.DECIDE_SUSPENSION,
        met_by={triggers.LIFT},
        cancelled_by=ends,
        extended_by=None if policy is None else triggers.EXTEND,
        extension=policy,
        cap=cap,
        on_miss=triggers.EXPIRE,
        convention=CIVIL_CODE.but(roll_forward=False),
        citation=period_rule.citation,
        label_en="Suspension period",
        label_vi="Thời hạn đình chỉ",
    )


def _pieces(ruleset: Ruleset, name: str, *, extensions: bool) -> Pieces:
    """What the suspension table names under ``ruleset`` for the workflow ``name``: the guards by
    their names, the citations in the order the workflow lists them, and the condition
    ``extensions`` (the ruleset allows extending the period)."""
    organisation = name == "organisation_suspension"
    grounds = grounds_basis(ruleset, name)
    authority = suspension_authority_basis(ruleset, organisation)
    period = ruleset.rule(f"{_prefix(name)}_period").citation
    limit = ruleset.rule(f"{_prefix(name)}_extension_limit").citation
    guards = [
        may_suspend(ruleset, name, authority),
        grounds_given(ruleset, name),
        requires("reason", name="reason_given", what="this move"),
        period_over(period),
        party_body(basis=authority),
        extension_allowed(limit),
    ]
    citations = {
        "grounds": grounds,
        "authority": authority,
        "period": period,
        "extension_limit": limit,
    }
    if not organisation:
        guards.append(legal_measure(ruleset, name))
        guards.append(committee_membership_follows(ruleset))
        citations["total_limit"] = ruleset.rule("suspension_total_limit").citation
        citations["legal_measure"] = ruleset.rule("suspension_follows_legal_measure").citation
    return Pieces({guard.name: guard for guard in guards}, citations, {"extensions": extensions})


def _workflow(
    ruleset: Ruleset,
    name: str,
    states: type[MemberSuspensionState] | type[OrganisationSuspensionState],
    triggers: type[MemberSuspensionTrigger] | type[OrganisationSuspensionTrigger],
    moves: tuple[Move[Any, Any], ...],
    labels: Mapping[enum.Enum, Label],
) -> Workflow[Any, Any]:
    """The suspension workflow ``name`` of ``states`` and ``triggers`` under ``ruleset``."""
    deadline = _suspension_period(ruleset, name, triggers)
    pieces = _pieces(ruleset, name, extensions=deadline.extension is not None)
    title = _TITLES[name]
    follows = "" if states is OrganisationSuspensionState else " or tied to a legal process"
    return Workflow(
        name=name,
        version=ruleset.name,
        states=states,
        triggers=triggers,
        initial=states.PROPOSED,
        terminal={states.LIFTED, states.EXPIRED, states.NOT_SUSPENDED},
        transitions=transitions(name, moves, pieces),
        deadline_rules=(deadline,),
        labels=labels,
        citations=tuple(dict.fromkeys(pieces.citations.values())),
        label=title,
        description=f"{title.en}: decided, extended within the ruleset's limits, lifted, "
        f"expired{follows} (ruleset {ruleset.name}).",
        ruleset=ruleset.name,
    )


def party_activity_suspension(
    ruleset: Ruleset,
) -> Workflow[MemberSuspensionState, MemberSuspensionTrigger]:
    """Suspension of a member's party activity under ``ruleset``."""
    return _workflow(ruleset, "party_activity_suspension", S, T, _MEMBER_MOVES, _LABELS)


def committee_suspension(
    ruleset: Ruleset,
) -> Workflow[MemberSuspensionState, MemberSuspensionTrigger]:
    """Suspension of a committee member's committee membership under ``ruleset``."""
    return _workflow(ruleset, "committee_suspension", S, T, _MEMBER_MOVES, _LABELS)


def organisation_suspension(
    ruleset: Ruleset,
) -> Workflow[OrganisationSuspensionState, OrganisationSuspensionTrigger]:
    """Suspension of a party organisation's activity under ``ruleset``."""
    return _workflow(
        ruleset,
        "organisation_suspension",
        OrganisationSuspensionState,
        OrganisationSuspensionTrigger,
        _ORGANISATION_MOVES,
        _ORGANISATION_LABELS,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The suspension workflows under ``ruleset`` (the process registry calls this)."""
    return [
        party_activity_suspension(ruleset),
        committee_suspension(ruleset),
        organisation_suspension(ruleset),
    ]
