"""Removal from the rolls ("xóa tên") and letting a member leave ("cho ra khỏi Đảng").

Neither is a disciplinary measure. Two workflows:

``removal_from_rolls``
    The cell finds a ground for removal: no party activity or no dues for 3 months in a year
    without good reason; no progress after 12 months of education by the cell; violating member
    standing 2 consecutive years; a probationary member not qualified at the end of probation;
    handing back or destroying the party card; not meeting the political standards. The cell
    executive invites the member to write a self-review and attend the cell; once invited three
    times without answer (or on a deliberate refusal) the cell proceeds anyway; the cell proposes
    removal and the competent committee decides.

    States: ``UNDER_REVIEW`` (initial) → ``SELF_REVIEW_REQUESTED`` → ``READY_FOR_CELL_MEETING`` →
    ``PROPOSED`` → ``REMOVED``; ``KEPT_ON_ROLLS`` from any state before the decision. Terminal:
    ``REMOVED``, ``KEPT_ON_ROLLS``.

    Triggers and payload keys: ``INVITE_SELF_REVIEW`` (by the cell executive or the cell; repeat
    it for each invitation); ``RECEIVE_SELF_REVIEW``; ``RECORD_REFUSAL`` (``reason``: the member
    deliberately refuses); ``PROCEED_WITHOUT_SELF_REVIEW`` (only after the ruleset's
    ``invitations_before_cell_proceeds`` invitations — 3 — counted in the case's steps);
    ``PROPOSE_REMOVAL`` (by the cell: ``ground``, one of the ruleset's
    ``removal_from_rolls_grounds``, with its evidence
    — ``months_without_activity_or_dues``, ``months_of_education`` or
    ``consecutive_years_violating`` — and ``warrants_expulsion``: a full member whose violation
    warrants expulsion is expelled, not removed: the ruleset's
    ``expulsion_warranted_not_removed_or_let_go``); ``DECIDE_REMOVAL`` (by the competent committee);
    ``KEEP_ON_ROLLS`` (``reason``).

``leaving_the_party``
    A member without violations applies in writing to leave; the cell, then the partial or
    grassroots committee review it and report to the competent committee, which decides and
    removes the name. A member who has violated is first disciplined: the application is
    referred for discipline.

    States: ``APPLIED`` (initial; open the case with ``reasons``, the written application's
    reasons, or give them with the cell's review) → ``REVIEWED_BY_CELL`` → ``REVIEWED_BY_COMMITTEE`` → ``LET_GO``;
    ``REFERRED_FOR_DISCIPLINE`` and ``WITHDRAWN`` from any state before the decision.

    Triggers and payload keys: ``REVIEW_IN_CELL``, ``REVIEW_IN_COMMITTEE`` and
    ``DECIDE_TO_LET_GO`` each with ``has_violations``: false (deny by default: say it after
    checking the member's record); ``REFER_FOR_DISCIPLINE`` (``has_violations``: true);
    ``WITHDRAW_APPLICATION``.

Deadlines
    None. The 3 months, 12 months and 2 years are conditions of a ground, checked when the cell
    proposes removal, not running deadlines.

Authority
    The cell proposes; the competent committee — a grassroots committee authorised to admit
    members, or the standing committee or committee of a higher level — decides; partial and
    grassroots committees review. District-level bodies are refused from 1 July 2025.

Legal basis
    Party Charter (2011) Điều 8 khoản 1 (verified); QĐ 24-QĐ/TW point 8.1 (verified, paraphrase;
    assumed to carry into the later implementing regulations); HD 01-HD/TW (2021) points 11.1
    (three invitations) and 11.2 (leaving the party), verified for the 2021/2022 rulesets and
    assumed to carry over afterwards; the expulsion rule is from a QĐ 30-era handbook (verified,
    historical).

What is uncertain
    Voting thresholds for removal (≥ 2/3 of the cell's full members for a probationary member)
    are known only from a law firm's page and are not encoded; complaints about removal (QĐ 294)
    were not retrieved; the 30 working days within which the cell must consider a probationary
    member after probation (QĐ 294 point 4.2) are a rule of the admission process, not encoded.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import select_ruleset
>>> wf = removal_workflow(select_ruleset(dt.date(2025, 9, 15)))
>>> executive = Body(BodyKind.CELL_EXECUTIVE, "cell-7-exec")
>>> cell = Body(BodyKind.PARTY_CELL, "cell-7")
>>> committee = Body(BodyKind.GRASSROOTS_COMMITTEE, "du-7")
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1", cell_id="cell-7"), at=at, actor=executive, case_id="XT-1")
>>> for week in range(3):
...     _ = case.fire("INVITE_SELF_REVIEW", at=at.add(weeks=week), actor=executive)
>>> _ = case.fire("PROCEED_WITHOUT_SELF_REVIEW", at=at.add(weeks=3), actor=cell)
>>> _ = case.fire("PROPOSE_REMOVAL", at=at.add(weeks=3), actor=cell, payload={
...     "ground": "no_activity_or_dues", "months_without_activity_or_dues": 4})
>>> _ = case.fire("DECIDE_REMOVAL", at=at.add(weeks=5), actor=committee)
>>> case.state.name
'REMOVED'
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow.actors import BodyKind
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.processes._tables import Move, Pieces, transitions
from discipline_flow.processes.guards import (
    ERA_GUARDS,
    actor_kind,
    district_guards,
    find_value,
    requires,
    subject_is_member,
)
from discipline_flow.rules import Ruleset
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "Leaving",
    "LeavingTrigger",
    "Removal",
    "RemovalTrigger",
    "leaving_workflow",
    "removal_workflow",
    "workflows",
]


class Removal(enum.Enum):
    """States of a removal from the rolls."""

    UNDER_REVIEW = "under_review"
    SELF_REVIEW_REQUESTED = "self_review_requested"
    READY_FOR_CELL_MEETING = "ready_for_cell_meeting"
    PROPOSED = "proposed"
    REMOVED = "removed"
    KEPT_ON_ROLLS = "kept_on_rolls"


class RemovalTrigger(enum.Enum):
    """Triggers of a removal from the rolls."""

    INVITE_SELF_REVIEW = "invite_self_review"
    RECEIVE_SELF_REVIEW = "receive_self_review"
    RECORD_REFUSAL = "record_refusal"
    PROCEED_WITHOUT_SELF_REVIEW = "proceed_without_self_review"
    PROPOSE_REMOVAL = "propose_removal"
    DECIDE_REMOVAL = "decide_removal"
    KEEP_ON_ROLLS = "keep_on_rolls"


class Leaving(enum.Enum):
    """States of an application to leave the party."""

    APPLIED = "applied"
    REVIEWED_BY_CELL = "reviewed_by_cell"
    REVIEWED_BY_COMMITTEE = "reviewed_by_committee"
    LET_GO = "let_go"
    REFERRED_FOR_DISCIPLINE = "referred_for_discipline"
    WITHDRAWN = "withdrawn"


class LeavingTrigger(enum.Enum):
    """Triggers of an application to leave the party."""

    REVIEW_IN_CELL = "review_in_cell"
    REVIEW_IN_COMMITTEE = "review_in_committee"
    DECIDE_TO_LET_GO = "decide_to_let_go"
    REFER_FOR_DISCIPLINE = "refer_for_discipline"
    WITHDRAW_APPLICATION = "withdraw_application"


R = Removal
RT = RemovalTrigger
L = Leaving
LT = LeavingTrigger

_DECIDERS = (BodyKind.GRASSROOTS_COMMITTEE, BodyKind.COMMITTEE, BodyKind.STANDING_COMMITTEE)
_REVIEWERS = (
    BodyKind.PARTIAL_COMMITTEE,
    BodyKind.GRASSROOTS_COMMITTEE,
    BodyKind.COMMITTEE,
    BodyKind.STANDING_COMMITTEE,
)

_REMOVAL_LABELS: dict[enum.Enum, Label] = {
    R.UNDER_REVIEW: Label("Under review by the cell", "Chi bộ đang xem xét"),
    R.SELF_REVIEW_REQUESTED: Label("Self-review requested", "Đã yêu cầu tự kiểm điểm"),
    R.READY_FOR_CELL_MEETING: Label("Ready for the cell meeting", "Đưa ra chi bộ xem xét"),
    R.PROPOSED: Label("Removal proposed by the cell", "Chi bộ đã đề nghị xóa tên"),
    R.REMOVED: Label("Removed from the rolls", "Đã xóa tên"),
    R.KEPT_ON_ROLLS: Label("Kept on the rolls", "Không xóa tên"),
    RT.INVITE_SELF_REVIEW: Label("Invite to self-review", "Mời viết bản tự kiểm điểm"),
    RT.RECEIVE_SELF_REVIEW: Label("Receive the self-review", "Nhận bản tự kiểm điểm"),
    RT.RECORD_REFUSAL: Label("Record a deliberate refusal", "Ghi nhận cố tình không kiểm điểm"),
    RT.PROCEED_WITHOUT_SELF_REVIEW: Label(
        "Proceed without a self-review", "Chi bộ xem xét khi đảng viên không kiểm điểm"
    ),
    RT.PROPOSE_REMOVAL: Label("Propose removal", "Đề nghị xóa tên"),
    RT.DECIDE_REMOVAL: Label("Decide removal", "Quyết định xóa tên"),
    RT.KEEP_ON_ROLLS: Label("Keep on the rolls", "Không xóa tên"),
}
_LEAVING_LABELS: dict[enum.Enum, Label] = {
    L.APPLIED: Label("Applied in writing", "Đã có đơn xin ra khỏi Đảng"),
    L.REVIEWED_BY_CELL: Label("Reviewed by the cell", "Chi bộ đã xem xét"),
    L.REVIEWED_BY_COMMITTEE: Label("Reviewed by the committee", "Đảng ủy đã xem xét"),
    L.LET_GO: Label("Let go", "Đã cho ra khỏi Đảng"),
    L.REFERRED_FOR_DISCIPLINE: Label("Referred for discipline", "Chuyển xem xét kỷ luật"),
    L.WITHDRAWN: Label("Application withdrawn", "Đã rút đơn"),
    LT.REVIEW_IN_CELL: Label("Review in the cell", "Chi bộ xem xét"),
    LT.REVIEW_IN_COMMITTEE: Label("Review in the committee", "Đảng ủy xem xét"),
    LT.DECIDE_TO_LET_GO: Label("Decide to let go", "Quyết định cho ra khỏi Đảng"),
    LT.REFER_FOR_DISCIPLINE: Label("Refer for discipline", "Chuyển xem xét kỷ luật"),
    LT.WITHDRAW_APPLICATION: Label("Withdraw the application", "Rút đơn"),
}


# ---------------------------------------------------------------------------- tables

#: Where a removal may still be stopped: every state before the decision.
_BEFORE_REMOVAL = (R.UNDER_REVIEW, R.SELF_REVIEW_REQUESTED, R.READY_FOR_CELL_MEETING, R.PROPOSED)

#: Removal from the rolls, in the order candidates are tried: trigger, sources, target; then the
#: guards and the legal basis, named as :func:`_removal_pieces` builds them under a ruleset.
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_REMOVAL_TRANSITIONS: tuple[Move[R, RT], ...] = (
    Move(RT.INVITE_SELF_REVIEW, (R.UNDER_REVIEW, R.SELF_REVIEW_REQUESTED), R.SELF_REVIEW_REQUESTED,
         ("cell_invites", "subject_is_member"), "invitations"),
    Move(RT.RECEIVE_SELF_REVIEW, R.SELF_REVIEW_REQUESTED, R.READY_FOR_CELL_MEETING,
         ("cell_invites",), "invitations"),
    Move(RT.RECORD_REFUSAL, R.SELF_REVIEW_REQUESTED, R.READY_FOR_CELL_MEETING,
         ("cell_invites", "reason_given"), "invitations"),
    Move(RT.PROCEED_WITHOUT_SELF_REVIEW, R.SELF_REVIEW_REQUESTED, R.READY_FOR_CELL_MEETING,
         ("cell_acts", "invited_enough"), "invitations"),
    Move(RT.PROPOSE_REMOVAL, R.READY_FOR_CELL_MEETING, R.PROPOSED,
         ("cell_acts", "ground_proven", "not_warranting_expulsion"), "charter"),
    Move(RT.DECIDE_REMOVAL, R.PROPOSED, R.REMOVED,
         ("competent_committee", "no_district_level"), "charter"),
    Move(RT.KEEP_ON_ROLLS, _BEFORE_REMOVAL, R.KEPT_ON_ROLLS,
         ("reason_given",), "charter"),
)
# fmt: on

#: Where an application to leave may still be referred or withdrawn: before the decision.
_BEFORE_LETTING_GO = (L.APPLIED, L.REVIEWED_BY_CELL, L.REVIEWED_BY_COMMITTEE)

#: Leaving the party, in the same form (the guards and basis as :func:`_leaving_pieces` builds
#: them).
# fmt: off
_LEAVING_TRANSITIONS: tuple[Move[L, LT], ...] = (
    Move(LT.REVIEW_IN_CELL, L.APPLIED, L.REVIEWED_BY_CELL,
         ("cell_reviews", "subject_is_member", "written_application", "no_violations"), "guidance"),
    Move(LT.REVIEW_IN_COMMITTEE, L.REVIEWED_BY_CELL, L.REVIEWED_BY_COMMITTEE,
         ("committee_reviews", "no_district_level", "no_violations"), "guidance"),
    Move(LT.DECIDE_TO_LET_GO, L.REVIEWED_BY_COMMITTEE, L.LET_GO,
         ("competent_committee", "no_district_level", "no_violations"), "guidance"),
    Move(LT.REFER_FOR_DISCIPLINE, _BEFORE_LETTING_GO, L.REFERRED_FOR_DISCIPLINE,
         ("has_violations",), "guidance"),
    Move(LT.WITHDRAW_APPLICATION, _BEFORE_LETTING_GO, L.WITHDRAWN,
         ()),
)
# fmt: on


def _guidance(ruleset: Ruleset, point: str, source: str) -> Citation:
    """HD 01-HD/TW (2021), point ``point``: verified while it was in force, assumed after."""
    status = ruleset.rule("invitations_before_cell_proceeds").status
    note = None
    if status is not RuleStatus.VERIFIED:
        note = "replaced by HD 06-HD/TW (2025) and HD 01-HD/TW (2026); assumed to carry over"
    return Citation("HD 01-HD/TW (2021)", f"điểm {point}", status, source=source, note=note)


# ---------------------------------------------------------------------------- guards


def _invited_enough(ruleset: Ruleset) -> Guard:
    rule = ruleset.rule("invitations_before_cell_proceeds")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        needed = ruleset.number(rule.key)
        done = sum(1 for step in ctx.case.steps if step.trigger is RT.INVITE_SELF_REVIEW)
        if done >= needed:
            return None
        return (
            f"the member was invited to self-review {done} time(s); the cell proceeds without "
            f"the self-review only after {needed} invitations"
        )

    return Guard(
        "invited_enough",
        check,
        basis=rule.citation,
        description="the cell executive has invited the member the required number of times",
    )


#: The grounds that need a number, checked when the cell proposes removal: the ground, the payload
#: key that gives the number, the ruleset's rule for its least value, and what is counted.
_EVIDENCE = (
    (
        "no_activity_or_dues",
        "months_without_activity_or_dues",
        "removal_from_rolls_absence_period",
        "months in a year without party activity or dues",
    ),
    (
        "no_progress_after_education",
        "months_of_education",
        "removal_from_rolls_education_period",
        "months of education by the cell without progress",
    ),
    (
        "violated_member_standing",
        "consecutive_years_violating",
        "removal_from_rolls_violation_years",
        "consecutive years violating member standing",
    ),
)


def _evidence(ruleset: Ruleset) -> dict[str, tuple[str, str, int, Citation]]:
    """For each ground with a number: (payload key, words, minimum, citation)."""
    return {
        ground: (key, words, ruleset.period(rule).amount, ruleset.rule(rule).citation)
        for ground, key, rule, words in _EVIDENCE
    }


def _ground_proven(ruleset: Ruleset) -> Guard:
    grounds = ruleset.rule("removal_from_rolls_grounds")
    allowed = ruleset.texts(grounds.key)
    evidence = _evidence(ruleset)
    basis = grounds.citation

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        ground = ctx.payload.get("ground")
        if ground not in allowed:
            return f"give 'ground', one of: {', '.join(allowed)}; got {ground!r} [{basis}]"
        if ground in evidence:
            key, words, least, citation = evidence[ground]
            value = ctx.payload.get(key)
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{ground} needs {key!r}, the number of {words} [{citation}]"
            if value < least:
                return f"{ground} needs at least {least} {words}; got {value} [{citation}]"
            return None
        if ground == "probationary_not_qualified" and not getattr(
            ctx.subject, "is_probationary", False
        ):
            return f"{ctx.subject.id!r} is not a probationary member"
        return None

    return Guard(
        "ground_proven",
        check,
        basis=basis,
        description="a ground for removal, with the months or years it needs",
        uses_payload=True,
    )


def _not_warranting_expulsion(ruleset: Ruleset) -> Guard:
    rule = ruleset.rule("expulsion_warranted_not_removed_or_let_go")
    applies = ruleset.flag(rule.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if (
            applies
            and ctx.payload.get("warrants_expulsion") is True
            and not getattr(ctx.subject, "is_probationary", False)
        ):
            return (
                "a full member whose violation warrants expulsion must be expelled through a "
                f"disciplinary case, not removed from the rolls [{rule.citation}]"
            )
        return None

    return Guard(
        "not_warranting_expulsion",
        check,
        basis=rule.citation,
        description="the member's violation does not warrant expulsion",
        uses_payload=True,
    )


def _violations(expected: bool, basis: Citation, *, applies: bool = True) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        value = ctx.payload.get("has_violations")
        if value is expected or (not applies and isinstance(value, bool)):
            return None
        if not isinstance(value, bool):
            return (
                "say whether the member has violated member standing: give 'has_violations' "
                "true or false after checking the record"
            )
        if expected:
            return "the member has no violations: the application goes ahead"
        return (
            "a member who has violated is disciplined first and may be let go only afterwards: "
            "refer the application for discipline"
        )

    name = "has_violations" if expected else "no_violations"
    return Guard(
        name,
        check,
        basis=basis,
        description="the member has violations" if expected else "the member has no violations",
        uses_payload=True,
    )


def _written_application(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        reasons = find_value(ctx, "reasons")
        if isinstance(reasons, str) and reasons.strip():
            return None
        return (
            "the member applies in writing with reasons: give 'reasons' when opening the case "
            "(or with the cell's review)"
        )

    return Guard(
        "written_application",
        check,
        basis=basis,
        description="the written application's reasons are on the case",
        uses_payload=True,
    )


# ---------------------------------------------------------------------------- workflows


def _removal_pieces(ruleset: Ruleset) -> Pieces:
    """The legal bases :data:`_REMOVAL_TRANSITIONS` names (in the order the workflow cites them)
    and the guards, under ``ruleset``."""
    charter = ruleset.rule("removal_from_rolls_absence_period").citation
    invitations = _guidance(ruleset, "11.1", "P-luatminhkhue-rakhoi; P-hoidapphapluat")
    bases = {
        "charter": charter,
        "grounds": ruleset.rule("removal_from_rolls_grounds").citation,
        "invitations": invitations,
        "expelled_not_removed": ruleset.rule("expulsion_warranted_not_removed_or_let_go").citation,
    }
    guards = [
        actor_kind(
            (BodyKind.CELL_EXECUTIVE, BodyKind.PARTY_CELL),
            name="cell_invites",
            basis=invitations,
            what="inviting the member to self-review",
        ),
        actor_kind((BodyKind.PARTY_CELL,), name="cell_acts", basis=charter, what="this move"),
        actor_kind(_DECIDERS, name="competent_committee", basis=charter, what="deciding removal"),
        *district_guards(ruleset),
        subject_is_member("subject_is_member", charter, "removal from the rolls"),
        _invited_enough(ruleset),
        _ground_proven(ruleset),
        _not_warranting_expulsion(ruleset),
        requires("reason", name="reason_given", what="this move"),
    ]
    return Pieces({g.name: g for g in guards}, bases, optional=ERA_GUARDS)


def removal_workflow(ruleset: Ruleset) -> Workflow[Removal, RemovalTrigger]:
    """Removal from the rolls under ``ruleset``."""
    pieces = _removal_pieces(ruleset)
    return Workflow(
        name="removal_from_rolls",
        version=ruleset.name,
        states=Removal,
        triggers=RemovalTrigger,
        initial=R.UNDER_REVIEW,
        terminal={R.REMOVED, R.KEPT_ON_ROLLS},
        transitions=transitions("removal_from_rolls", _REMOVAL_TRANSITIONS, pieces),
        guards=pieces.guards,
        labels=_REMOVAL_LABELS,
        citations=tuple(pieces.citations.values()),
        label=Label("Removal from the rolls", "Xóa tên trong danh sách đảng viên"),
        description="The cell proposes removing a member from the rolls on a ground of the "
        "Charter after inviting a self-review; the competent committee decides.",
        ruleset=ruleset.name,
    )


def _leaving_pieces(ruleset: Ruleset) -> Pieces:
    """The legal basis :data:`_LEAVING_TRANSITIONS` names and the guards, under ``ruleset``."""
    rule = ruleset.rule("leaving_only_without_violations")
    basis = rule.citation
    guards = [
        actor_kind((BodyKind.PARTY_CELL,), name="cell_reviews", basis=basis, what="the review"),
        actor_kind(_REVIEWERS, name="committee_reviews", basis=basis, what="the review"),
        actor_kind(_DECIDERS, name="competent_committee", basis=basis, what="the decision"),
        *district_guards(ruleset),
        subject_is_member("subject_is_member", basis, "leaving the party"),
        _written_application(basis),
        _violations(False, basis, applies=ruleset.flag(rule.key)),
        _violations(True, basis),
    ]
    return Pieces({g.name: g for g in guards}, {"guidance": basis}, optional=ERA_GUARDS)


def leaving_workflow(ruleset: Ruleset) -> Workflow[Leaving, LeavingTrigger]:
    """Letting a member without violations leave the party, under ``ruleset``."""
    pieces = _leaving_pieces(ruleset)
    return Workflow(
        name="leaving_the_party",
        version=ruleset.name,
        states=Leaving,
        triggers=LeavingTrigger,
        initial=L.APPLIED,
        terminal={L.LET_GO, L.REFERRED_FOR_DISCIPLINE, L.WITHDRAWN},
        transitions=transitions("leaving_the_party", _LEAVING_TRANSITIONS, pieces),
        guards=pieces.guards,
        labels=_LEAVING_LABELS,
        citations=tuple(pieces.citations.values()),
        label=Label("Letting a member leave the party", "Cho đảng viên ra khỏi Đảng"),
        description="A member without violations applies in writing to leave; the cell and "
        "the committees review; the competent committee decides.",
        ruleset=ruleset.name,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """Both workflows under ``ruleset`` (for the process registry)."""
    return [removal_workflow(ruleset), leaving_workflow(ruleset)]
