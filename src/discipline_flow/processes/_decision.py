"""A disciplinary decision once taken, as the discipline workflows (:mod:`.discipline`) see it.

When it takes effect (on announcing the vote, or on signing; approval by the level above where
the matrix asks for it), its deadlines (administrative follow-up, the complaint window, twelve
months in effect from the announcement or from a ruling), what a complaint ruling says, and the
citations of review, ruling and annulment by regulation. The guards every process shares live
in :mod:`discipline_flow.processes.guards`.
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow.actors import Body, BodyKind
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InvalidRuleError
from discipline_flow.processes.guards import (
    Permissions,
    authority_basis,
    era_citation,
    find_value,
    guarded,
    higher_body,
    measure_can_end,
    measure_never_ends,
    measure_of,
    regulation_of,
    requires,
)
from discipline_flow.rules import Permission, Ruleset, SubjectCategory
from discipline_flow.time import CIVIL_CODE, DeadlineRule
from discipline_flow.workflow import Guard, GuardContext, Transition

__all__ = [
    "ANNULMENT_BASIS",
    "EFFECT_TIMINGS",
    "REASON_GIVEN",
    "approved_if_needed",
    "decision_citations",
    "decision_deadline_rules",
    "decision_transitions",
    "effect_period_over",
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
REASON_GIVEN = requires("reason", name="reason_given", what="closing or annulling")

#: Apology and restoration after wrongful discipline: the basis of annulment.
ANNULMENT_BASIS = Citation(
    "QĐ 117-QĐ/TW",
    None,
    _V,
    "P-tvpl-117",
    note="apology and restoration after wrongful discipline (2023)",
)


def review_basis(ruleset: Ruleset) -> Citation:
    """Higher levels approve, change or annul a lower level's form of discipline."""
    return Citation(
        regulation_of(ruleset),
        None,
        _A,
        "P-tailieuchung",
        note="seen only in a pre-2011 Q&A book: higher levels may approve (chuẩn y), change or "
        "annul a lower level's form of discipline; recalled for current rules",
    )


def ruling_basis(ruleset: Ruleset) -> Citation:
    """Who resolves complaints about discipline (QĐ 22 Điều 22 as amended by QĐ 262)."""
    return era_citation(
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
    permissions = Permissions(ruleset)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        decided = _last_named(ctx.case, "DECIDE")
        measure = measure_of(ctx)
        if decided is None or measure is None:
            return None
        decider = ctx.case.steps[decided].actor
        task = bool(find_value(ctx, "higher_assigned_task"))
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
        guarded(check),
        basis=authority_basis(ruleset),
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


def decision_deadline_rules(
    ruleset: Ruleset, states: type[enum.Enum], triggers: type[enum.Enum]
) -> tuple[DeadlineRule, ...]:
    """The deadlines of a decision in a discipline workflow of ``states`` and ``triggers``:
    administrative follow-up from ``DECIDE``, the complaint window and the twelve months from
    ``ANNOUNCE_DECISION``, the twelve months again from a ruling or a change (QĐ 69 Điều 2
    khoản 5). The twelve months pause while a complaint is pending and end with no roll-forward:
    their last day is the last day in effect."""
    s = states.__getitem__
    t = triggers.__getitem__
    effect_rule = ruleset.rule("end_of_effect_period")
    window_rule = ruleset.rule("complaint_window")
    follow_rule = ruleset.rule("administrative_follow_up_period")
    no_roll = CIVIL_CODE.but(roll_forward=False)
    ending = frozenset(
        {
            t("RECORD_NEW_VIOLATION"),
            t("END_EFFECT"),
            s("IN_FORCE_PERMANENTLY"),
            s("ANNULLED"),
        }
    )
    return (
        DeadlineRule(
            "administrative_follow_up",
            ruleset.period(follow_rule.key),
            starts_on_trigger=t("DECIDE"),
            met_by={t("RECORD_ADMINISTRATIVE_FOLLOW_UP")},
            cancelled_by={s("ANNULLED")},
            citation=follow_rule.citation,
            label_en="Direct or propose administrative follow-up",
            label_vi="Chỉ đạo hoặc đề nghị xử lý kỷ luật hành chính",
        ),
        DeadlineRule(
            "complaint_window",
            ruleset.period(window_rule.key),
            starts_on_trigger=t("ANNOUNCE_DECISION"),
            start_date_key="received_on",
            met_by={t("RECEIVE_COMPLAINT")},
            cancelled_by={t("CLOSE_COMPLAINT_WINDOW"), s("ANNULLED")},
            on_miss=t("CLOSE_COMPLAINT_WINDOW"),
            citation=window_rule.citation,
            label_en="Window to complain about the decision",
            label_vi="Thời hạn khiếu nại quyết định kỷ luật",
        ),
        DeadlineRule(
            "end_of_effect",
            ruleset.period(effect_rule.key),
            starts_on_trigger=t("ANNOUNCE_DECISION"),
            cancelled_by=ending | {t("RECORD_COMPLAINT_RULING"), t("CHANGE_DECISION")},
            paused_by={t("RECEIVE_COMPLAINT")},
            resumed_by={t("DISMISS_COMPLAINT")},
            on_miss=t("END_EFFECT"),
            convention=no_roll,
            citation=effect_rule.citation,
            label_en="Automatic end of effect",
            label_vi="Đương nhiên chấm dứt hiệu lực",
        ),
        DeadlineRule(
            "end_of_effect_after_review",
            ruleset.period(effect_rule.key),
            starts_on_enter=s("IN_FORCE_AFTER_REVIEW"),
            cancelled_by=ending,
            paused_by={t("RECEIVE_COMPLAINT")},
            resumed_by={t("DISMISS_COMPLAINT")},
            on_miss=t("END_EFFECT"),
            convention=no_roll,
            citation=effect_rule.citation,
            label_en="Automatic end of effect after a ruling or change",
            label_vi="Đương nhiên chấm dứt hiệu lực sau giải quyết khiếu nại",
        ),
    )


def decision_citations(ruleset: Ruleset) -> list[Citation]:
    """The citations of a decision's moves and deadlines under ``ruleset``, in the order the
    workflow lists them."""
    return [
        ruleset.rule("cell_decision_takes_effect").citation,
        ruleset.rule("decision_takes_effect").citation,
        ruleset.rule("complaint_window").citation,
        ruleset.rule("decision_stays_in_force_during_complaint").citation,
        ruleset.rule("administrative_follow_up_period").citation,
        ruleset.rule("end_of_effect_period").citation,
        ruling_basis(ruleset),
        review_basis(ruleset),
        ANNULMENT_BASIS,
    ]


def decision_transitions(
    ruleset: Ruleset,
    states: type[enum.Enum],
    triggers: type[enum.Enum],
    may_decide: Guard,
    *,
    for_members: bool,
) -> list[Transition[Any, Any]]:
    """The moves of a decision once taken, in a discipline workflow of ``states`` and
    ``triggers``: approval by the level above, taking effect, announcement, administrative
    follow-up, complaints and their rulings, change (by a body that ``may_decide`` the new
    measure) and annulment by a higher body, a new violation, the automatic end of effect."""
    s = states.__getitem__
    t = triggers.__getitem__
    review, ruling = review_basis(ruleset), ruling_basis(ruleset)
    effect_rule = ruleset.rule("end_of_effect_period")
    window_rule = ruleset.rule("complaint_window")
    follow_rule = ruleset.rule("administrative_follow_up_period")
    in_force = ruleset.rule("decision_stays_in_force_during_complaint").citation
    can_end, never_ends = measure_can_end(ruleset), measure_never_ends(ruleset)
    higher, higher_ruling = higher_body(basis=review), higher_body(basis=ruling)
    approval = approved_if_needed(ruleset)
    action = requires(
        "action", name="action_given", basis=follow_rule.citation, what="the follow-up"
    )
    measure_given = requires("measure", name="measure_given", basis=review, what="a change")
    outcome = ruling_outcome(("upheld", "changed"), ruling)
    window_over = window_passed(ruleset)
    in_force_states = (s("IN_FORCE"), s("IN_FORCE_AFTER_REVIEW"))
    transitions: list[Transition[Any, Any]] = [
        Transition(
            t("APPROVE_DECISION"), s("DECIDED"), s("DECIDED"), guards=(higher,), basis=review
        ),
        Transition(
            t("SIGN_DECISION"),
            s("DECIDED"),
            s("IN_EFFECT"),
            guards=(takes_effect(ruleset, "on_signing"), approval),
            basis=ruleset.rule("decision_takes_effect").citation,
        ),
        Transition(
            t("ANNOUNCE_DECISION"), s("IN_EFFECT"), s("ANNOUNCED"), basis=window_rule.citation
        ),
        *(
            Transition(
                t("RECORD_ADMINISTRATIVE_FOLLOW_UP"),
                state,
                state,
                guards=(action,),
                basis=follow_rule.citation,
            )
            for state in (
                s("DECIDED"),
                s("IN_EFFECT"),
                s("ANNOUNCED"),
                s("UNDER_COMPLAINT"),
                s("IN_FORCE"),
                s("IN_FORCE_PERMANENTLY"),
            )
        ),
        Transition(
            t("RECEIVE_COMPLAINT"),
            (s("ANNOUNCED"), *in_force_states, s("IN_FORCE_PERMANENTLY")),
            s("UNDER_COMPLAINT"),
            basis=in_force,
        ),
        Transition(
            t("CLOSE_COMPLAINT_WINDOW"),
            s("ANNOUNCED"),
            s("IN_FORCE_PERMANENTLY"),
            guards=(window_over, never_ends),
            basis=window_rule.citation,
        ),
        Transition(
            t("CLOSE_COMPLAINT_WINDOW"),
            s("ANNOUNCED"),
            s("IN_FORCE"),
            guards=(window_over, can_end),
            basis=window_rule.citation,
        ),
        Transition(
            t("DISMISS_COMPLAINT"),
            s("UNDER_COMPLAINT"),
            s("IN_FORCE_PERMANENTLY"),
            guards=(never_ends,),
            basis=in_force,
        ),
        Transition(
            t("DISMISS_COMPLAINT"),
            s("UNDER_COMPLAINT"),
            s("IN_FORCE"),
            guards=(can_end,),
            basis=in_force,
        ),
        Transition(
            t("RECORD_COMPLAINT_RULING"),
            s("UNDER_COMPLAINT"),
            s("IN_FORCE_PERMANENTLY"),
            guards=(outcome, higher_ruling, never_ends),
            basis=ruling,
        ),
        Transition(
            t("RECORD_COMPLAINT_RULING"),
            s("UNDER_COMPLAINT"),
            s("IN_FORCE_AFTER_REVIEW"),
            guards=(outcome, higher_ruling, can_end),
            basis=ruling,
        ),
        *(
            Transition(
                t("CHANGE_DECISION"),
                source,
                target,
                guards=(measure_given, higher, may_decide, which),
                basis=review,
            )
            for source in (*in_force_states, s("IN_FORCE_PERMANENTLY"))
            for target, which in (
                (s("IN_FORCE_PERMANENTLY"), never_ends),
                (s("IN_FORCE_AFTER_REVIEW"), can_end),
            )
        ),
        Transition(
            t("ANNUL_DECISION"),
            (s("ANNOUNCED"), s("UNDER_COMPLAINT"), *in_force_states, s("IN_FORCE_PERMANENTLY")),
            s("ANNULLED"),
            guards=(REASON_GIVEN, higher),
            basis=ANNULMENT_BASIS,
        ),
        Transition(
            t("RECORD_NEW_VIOLATION"),
            in_force_states,
            s("KEPT_IN_FORCE"),
            guards=(
                requires(
                    "new_violation_on", name="new_violation_given", basis=effect_rule.citation
                ),
            ),
            basis=effect_rule.citation,
        ),
        Transition(
            t("END_EFFECT"),
            in_force_states,
            s("EFFECT_ENDED"),
            guards=(can_end, effect_period_over(ruleset)),
            basis=effect_rule.citation,
        ),
    ]
    if vote_announcement_applies(ruleset, for_members=for_members):
        transitions.append(
            Transition(
                t("ANNOUNCE_VOTE_RESULT"),
                s("DECIDED"),
                s("IN_EFFECT"),
                guards=(takes_effect(ruleset, "on_vote_announced"), approval),
                basis=ruleset.rule("cell_decision_takes_effect").citation,
            )
        )
    return transitions
