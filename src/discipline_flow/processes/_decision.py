"""The guards and citations of the discipline workflows (:mod:`.discipline`) under a ruleset.

:func:`discipline_pieces` builds what the discipline table names: the guards of the hearing, the
vote and the decision (shared ones from :mod:`discipline_flow.processes.guards`), those of a
decision once taken (when it takes effect: on announcing the vote or on signing, with approval by
the level above where the matrix asks for it; what a complaint ruling says; the twelve months in
effect), and the citations of each move, including review, ruling and annulment by regulation.
"""

from __future__ import annotations

from typing import Any

from discipline_flow.actors import Body, BodyKind, Member
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InvalidRuleError
from discipline_flow.processes import guards as g
from discipline_flow.processes._tables import Pieces
from discipline_flow.rules import Measure, Permission, Ruleset, SubjectCategory, VoteStage
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "EFFECT_TIMINGS",
    "REASON_GIVEN",
    "approved_if_needed",
    "discipline_citations",
    "discipline_guards",
    "discipline_pieces",
    "effect_period_over",
    "heard_basis",
    "no_step_down_instead_of_removal",
    "review_basis",
    "ruling_basis",
    "ruling_outcome",
    "takes_effect",
    "vote_announcement_applies",
    "window_passed",
]

#: The values the ruleset's ``cell_decision_takes_effect`` and ``decision_takes_effect`` may take.
EFFECT_TIMINGS = ("on_vote_announced", "on_signing")

_V, _A = RuleStatus.VERIFIED, RuleStatus.ASSUMED

#: Closing without discipline and annulling give a ``reason``.
REASON_GIVEN = g.requires("reason", name="reason_given", what="closing or annulling")


def heard_basis(ruleset: Ruleset) -> Citation:
    """Right to be heard before the deciding meeting (QĐ 296 Điều 12 khoản 1)."""
    return g.era_citation(
        ruleset,
        qd22=Citation(
            "Điều lệ Đảng (2011)",
            "Điều 38",
            _A,
            note="recalled: the member is heard before the decision; the QĐ 22 article was "
            "not retrieved",
        ),
        qd296=Citation(
            "QĐ 296-QĐ/TW", "Điều 12 khoản 1", RuleStatus.SECONDARY, "R-28300988406 Q33"
        ),
    )


def review_basis(ruleset: Ruleset) -> Citation:
    """Higher levels approve, change or annul a lower level's form of discipline: the
    ruleset's ``higher_level_may_review_decision``."""
    return ruleset.rule("higher_level_may_review_decision").citation


def ruling_basis(ruleset: Ruleset) -> Citation:
    """Who resolves complaints about discipline (QĐ 22 Điều 22 as amended by QĐ 262)."""
    return g.era_citation(
        ruleset,
        qd22=Citation("QĐ 22-QĐ/TW", "Điều 22", _V, "P-lawnet-102305; P-lawnet-262"),
        qd296=Citation(
            "QĐ 22-QĐ/TW",
            "Điều 22",
            _A,
            "P-lawnet-102305; P-lawnet-262",
            note="QĐ 296 replaced QĐ 22 on 30/5/2025; its article on who resolves complaints "
            "was not retrieved",
        ),
    )


def _last_named(case: Case[Any, Any], trigger: str) -> int | None:
    """The index of the latest step fired by ``trigger``, if any."""
    steps = case.steps
    for i in range(len(steps) - 1, -1, -1):
        fired = steps[i].trigger
        # ``_name_`` (a documented enum attribute) skips the ``name`` property's call.
        if fired is not None and fired._name_ == trigger:
            return i
    return None


def _decider(case: Case[Any, Any]) -> Body | None:
    found = _last_named(case, "DECIDE")
    return None if found is None else case.steps[found].actor


def takes_effect(ruleset: Ruleset, timing: str) -> Guard:
    """The decision takes effect by the move of ``timing`` (one of :data:`EFFECT_TIMINGS`): a
    party cell's as the ruleset's ``cell_decision_takes_effect`` says, other bodies' as its
    ``decision_takes_effect`` says.

    Raises :class:`~discipline_flow.errors.InvalidRuleError` when either rule holds a value the
    workflow does not understand.
    """
    cell_rule = ruleset.rule("cell_decision_takes_effect")
    other_rule = ruleset.rule("decision_takes_effect")
    for rule in (cell_rule, other_rule):
        if rule.value not in EFFECT_TIMINGS:
            raise InvalidRuleError(
                rule.key,
                f"the discipline workflows understand {', '.join(EFFECT_TIMINGS)}; got "
                f"{rule.value!r}",
            )
    moves = {"on_vote_announced": "ANNOUNCE_VOTE_RESULT", "on_signing": "SIGN_DECISION"}
    trigger = moves[timing]
    (other_trigger,) = (move for key, move in moves.items() if key != timing)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decider = _decider(ctx.case)
        if decider is not None and decider.kind is BodyKind.PARTY_CELL:
            value, citation, what = cell_rule.value, cell_rule.citation, "a party cell's decision"
        else:
            value, citation = other_rule.value, other_rule.citation
            what = "a decision of a body above the cell"
        if value == timing:
            return None
        moment = "the vote result is announced" if value == EFFECT_TIMINGS[0] else "signed"
        return f"{what} takes effect when {moment} ({other_trigger}), not by {trigger} [{citation}]"

    if timing == "on_vote_announced":
        return Guard(
            "takes_effect_on_vote_announced",
            check,
            basis=cell_rule.citation,
            description="the decision takes effect when the vote result is announced",
        )
    return Guard(
        "takes_effect_on_signing",
        check,
        basis=other_rule.citation,
        description="the decision takes effect when it is signed",
    )


def approved_if_needed(ruleset: Ruleset) -> Guard:
    """A decision that needs approval by the level above (the authority matrix says so for its
    deciding body, subject and measure) has an ``APPROVE_DECISION`` step after ``DECIDE``."""
    permissions = g.Permissions(ruleset)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decided = _last_named(ctx.case, "DECIDE")
        measure = g.measure_of(ctx)
        if decided is None or measure is None:
            return None
        decider = ctx.case.steps[decided].actor
        task = bool(g.find_value(ctx, "higher_assigned_task"))
        permission = permissions(decider, ctx.subject, measure, higher_assigned_task=task)
        if permission is not Permission.NEEDS_APPROVAL:
            return None
        approval = _last_named(ctx.case, "APPROVE_DECISION")
        if approval is not None and approval > decided:
            return None
        decision = permissions.decision(decider, ctx.subject, measure, higher_assigned_task=task)
        return (
            f"{measure.label_en} decided by {decider} needs approval by the level above "
            f"(APPROVE_DECISION) before it takes effect: {decision.reason}"
        )

    return Guard(
        "approved_if_needed",
        g.guarded(check),
        basis=g.authority_basis(ruleset),
        description="a decision that needs approval by the level above has it",
        uses_payload=True,
    )


def effect_period_over(ruleset: Ruleset) -> Guard:
    """The twelve months in effect (``end_of_effect`` or ``end_of_effect_after_review``) have
    passed."""
    rule = ruleset.rule("end_of_effect_period")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        running = [
            d
            for d in ctx.case.deadlines
            if d.rule in ("end_of_effect", "end_of_effect_after_review") and d.is_open
        ]
        if not running:
            return f"no {ruleset.period(rule.key)} period is running on this decision [{rule.citation}]"
        due = min(d.due_at for d in running)
        if ctx.at >= due:
            return None
        last = min(d.due_on for d in running)
        return (
            f"the decision is in effect until the end of {last.isoformat()} "
            f"({ruleset.period(rule.key)} from its announcement) [{rule.citation}]"
        )

    return Guard(
        "effect_period_over",
        check,
        basis=rule.citation,
        description="the 12 months in effect have passed",
    )


def window_passed(ruleset: Ruleset) -> Guard:
    """The window to complain about the decision (``complaint_window``) has passed."""
    rule = ruleset.rule("complaint_window")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        windows = [d for d in ctx.case.deadlines if d.rule == "complaint_window"]
        if not windows or not windows[-1].is_open or ctx.at >= windows[-1].due_at:
            return None
        return (
            f"the subject may complain until the end of {windows[-1].due_on.isoformat()} "
            f"({ruleset.period(rule.key)}) [{rule.citation}]"
        )

    return Guard(
        "window_passed",
        check,
        basis=rule.citation,
        description="the window to complain has passed",
    )


def ruling_outcome(values: tuple[str, ...], basis: Citation) -> Guard:
    """The payload's ``outcome`` is one of ``values``; a ``changed`` one gives the ``measure``."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        outcome = ctx.payload.get("outcome")
        if outcome in values:
            if outcome == "changed" and "measure" not in ctx.payload:
                return f"a changed ruling gives the new 'measure' [{basis}]"
            return None
        return f"payload 'outcome' must be one of {', '.join(values)}; got {outcome!r} [{basis}]"

    return Guard(
        "ruling_outcome",
        check,
        basis=basis,
        description="the ruling upholds or changes the decision",
        uses_payload=True,
    )


def vote_announcement_applies(ruleset: Ruleset, *, for_members: bool) -> bool:
    """Whether any decision can take effect on announcing the vote under ``ruleset``.

    For organisations only if some body may take effect that way: party cells never discipline
    organisations in the built-in matrix, so the move is left out rather than left unusable.
    """
    if ruleset.text("decision_takes_effect") == "on_vote_announced":
        return True
    if ruleset.text("cell_decision_takes_effect") != "on_vote_announced":
        return False
    return for_members or any(
        cell.body_kind is BodyKind.PARTY_CELL and cell.subject is SubjectCategory.ORGANISATION
        for cell in ruleset.authority
    )


def discipline_guards(ruleset: Ruleset, *, for_members: bool) -> dict[str, Guard]:
    """The guards of a discipline workflow under ``ruleset``, by the names its table uses (three
    ``authority`` guards, three ``vote`` guards and two ``higher_body`` guards differ in what
    they check or cite, so the names are the table's own)."""
    review, ruling = review_basis(ruleset), ruling_basis(ruleset)
    effect = ruleset.rule("end_of_effect_period").citation
    follow_up = ruleset.rule("administrative_follow_up_period").citation
    decision = VoteStage.DECISION
    guards = {
        # hearing, vote and decision
        "may_decide_or_propose": g.may_decide_or_propose(ruleset),
        "may_decide": g.may_decide(ruleset),
        "may_decide_on_review": g.may_decide(ruleset, is_review=True),
        "may_propose": g.may_propose(ruleset),
        "vote_carries": g.vote_carries(ruleset),
        "decision_vote": g.vote_carries(ruleset, stage=decision),
        "decision_vote_of_last_step": g.vote_carries(ruleset, stage=decision, from_last_step=True),
        "subject_not_voting": g.subject_not_voting(ruleset),
        "expulsion_proposal": g.expulsion_proposal(ruleset),
        "not_time_barred": g.not_time_barred(ruleset),
        "time_barred": g.time_barred(ruleset),
        "reason_given": REASON_GIVEN,
        # the decision once taken
        "higher_body": g.higher_body(basis=review),
        "higher_body_ruling": g.higher_body(basis=ruling),
        "takes_effect_on_signing": takes_effect(ruleset, "on_signing"),
        "takes_effect_on_vote_announced": takes_effect(ruleset, "on_vote_announced"),
        "approved_if_needed": approved_if_needed(ruleset),
        "action_given": g.requires(
            "action", name="action_given", basis=follow_up, what="the follow-up"
        ),
        "window_passed": window_passed(ruleset),
        "measure_can_end": g.measure_can_end(ruleset),
        "measure_never_ends": g.measure_never_ends(ruleset),
        "ruling_outcome": ruling_outcome(("upheld", "changed"), ruling),
        "measure_given": g.requires("measure", name="measure_given", basis=review, what="a change"),
        "new_violation_given": g.requires(
            "new_violation_on", name="new_violation_given", basis=effect
        ),
        "effect_period_over": effect_period_over(ruleset),
    }
    if for_members:  # an organisation's discipline is never deferred (the reasons are personal)
        guards["deferral_reason"] = g.deferral_reason(ruleset)
        guards["no_step_down_instead_of_removal"] = no_step_down_instead_of_removal(ruleset)
    return guards


def no_step_down_instead_of_removal(ruleset: Ruleset) -> Guard:
    """A committee member, or a member holding a post, whose violation warrants removal from
    post (or expulsion) is removed, not let step down, where the ruleset's
    ``committee_member_removal_no_step_down`` says so: closing without discipline because the
    member stepped down (payload ``stepped_down``: true) is refused when the measure voted or
    given is removal from post or expulsion."""
    rule = ruleset.rule("committee_member_removal_no_step_down")
    applies = ruleset.flag(rule.key)
    warranting = (Measure.REMOVAL_FROM_POST, Measure.EXPULSION)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        subject = ctx.subject
        if not applies or ctx.payload.get("stepped_down") is not True:
            return None
        if not isinstance(subject, Member) or not (
            subject.holds_post or subject.committee_level is not None
        ):
            return None
        measure = g.measure_of(ctx)
        if measure not in warranting:
            return None
        return (
            f"the violation of {subject.id!r} warrants {measure.label_en}: the member is "
            f"removed, not let step down; decide the measure [{rule.citation}]"
        )

    return Guard(
        "no_step_down_instead_of_removal",
        g.guarded(check),
        basis=rule.citation,
        description="a member whose violation warrants removal is removed, not let step down",
        uses_payload=True,
    )


def discipline_citations(ruleset: Ruleset, *, for_members: bool) -> dict[str, Citation]:
    """The citations of a discipline workflow under ``ruleset``, in the order it lists them, by
    the names its table's moves give as their basis."""
    rule = ruleset.rule
    citations = {
        "heard": heard_basis(ruleset),
        "authority": g.authority_basis(ruleset),
        "vote": rule("discipline_vote_majority").citation,
        "expulsion_proposal": rule("expulsion_proposal_majority").citation,
        "limitation": rule("limitation_period_reprimand").citation,
        "takes_effect_on_vote_announced": rule("cell_decision_takes_effect").citation,
        "takes_effect_on_signing": rule("decision_takes_effect").citation,
        "complaint_window": rule("complaint_window").citation,
        "in_force_during_complaint": rule("decision_stays_in_force_during_complaint").citation,
        "administrative_follow_up": rule("administrative_follow_up_period").citation,
        "end_of_effect": rule("end_of_effect_period").citation,
        "ruling": ruling_basis(ruleset),
        "review": review_basis(ruleset),
        "annulment": rule("restoration_after_annulment").citation,
    }
    if for_members:
        citations["deferral"] = rule("deferral_reasons").citation
        citations["no_step_down"] = rule("committee_member_removal_no_step_down").citation
    return citations


def discipline_pieces(ruleset: Ruleset, *, for_members: bool) -> Pieces:
    """What the discipline table names under ``ruleset``, for the member workflow or the
    organisation workflow: guards, citations, and the condition ``vote_announcement``
    (:func:`vote_announcement_applies`)."""
    vote_announcement = vote_announcement_applies(ruleset, for_members=for_members)
    return Pieces(
        discipline_guards(ruleset, for_members=for_members),
        discipline_citations(ruleset, for_members=for_members),
        {"vote_announcement": vote_announcement},
    )
