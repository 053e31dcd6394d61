"""The disciplinary decision (thi hành kỷ luật), for a member and for an organisation.

Purpose
    The competent body hears the subject, votes on a measure and decides it, or proposes it to
    the competent higher body, or finds the violation time-barred; the decision takes effect,
    is announced, can be complained about, is reviewed by higher bodies and ends automatically
    after 12 months (never for expulsion or dissolution).

Workflows
    ``member_discipline`` (a party member) and ``organisation_discipline`` (a party
    organisation). The organisation workflow has no deferral (its reasons are personal) and no
    expulsion proposal; its heaviest measure, dissolution, may need approval by the level above.

States
    ``OPENED`` (initial) → ``SUBJECT_HEARD`` → ``VOTED`` → ``DECIDED`` (or
    ``PROPOSED_TO_HIGHER`` → ``DECIDED`` by the higher body) → ``IN_EFFECT`` → ``ANNOUNCED``
    (complaint window open) → ``IN_FORCE`` (12 months running) → ``EFFECT_ENDED``. Members only:
    ``DEFERRED`` (resumable, back to ``OPENED``). Complaints: ``UNDER_COMPLAINT`` (the decision
    stays in force) → ``IN_FORCE_AFTER_REVIEW`` (12 months from the ruling) or back to
    ``IN_FORCE``. Expulsion and dissolution go to ``IN_FORCE_PERMANENTLY`` instead. Terminal:
    ``NOT_DISCIPLINED``, ``TIME_BARRED``, ``EFFECT_ENDED``, ``KEPT_IN_FORCE`` (a repeat or new
    violation: no automatic end), ``ANNULLED``.

Triggers and payload keys
    ``HEAR_SUBJECT`` (``attended``, ``views``); ``DEFER`` (``reason``: one of the ruleset's
    ``deferral_reasons``) and ``RESUME``; ``HOLD_VOTE`` (``measure``, ``vote``: a
    :meth:`~discipline_flow.rules.VoteTally.to_payload` dict, stage ``proposal`` for the cell's
    proposal of expulsion, ``higher_assigned_task``); ``DECIDE`` (``vote`` of the deciding
    body when deciding on a proposal; ``measure`` to decide another measure than proposed;
    ``violation_on`` and the other limitation keys of :mod:`discipline_flow.processes._guards`
    when not given earlier; ``proposal_vote`` for an expulsion not proposed through
    ``HOLD_VOTE``); ``PROPOSE_TO_HIGHER``; ``DISMISS_AS_TIME_BARRED``;
    ``CLOSE_WITHOUT_DISCIPLINE`` (``reason``); ``APPROVE_DECISION`` (approval, *chuẩn y*, by
    the level above); ``ANNOUNCE_VOTE_RESULT`` or ``SIGN_DECISION`` (the decision takes
    effect); ``ANNOUNCE_DECISION`` (``received_on``: the day the subject received the decision,
    when not the day of the step); ``RECORD_ADMINISTRATIVE_FOLLOW_UP`` (``action``);
    ``RECEIVE_COMPLAINT`` (``complaint_case``); ``CLOSE_COMPLAINT_WINDOW`` (fired by the sweep);
    ``DISMISS_COMPLAINT`` (not accepted or withdrawn); ``RECORD_COMPLAINT_RULING`` (``outcome``:
    ``upheld`` or ``changed``, ``measure`` when changed); ``CHANGE_DECISION`` (``measure``);
    ``ANNUL_DECISION`` (``reason``); ``RECORD_NEW_VIOLATION`` (``new_violation_on``);
    ``END_EFFECT`` (fired by the sweep after 12 months).

Deadlines
    ``administrative_follow_up``: the ruleset's ``administrative_follow_up_period`` (5 days) from
    ``DECIDE``, met by ``RECORD_ADMINISTRATIVE_FOLLOW_UP`` (QĐ 296 Điều 8 mục 5).
    ``complaint_window``: the ruleset's ``complaint_window`` (30 working days) from
    ``ANNOUNCE_DECISION`` (its ``received_on``), met by ``RECEIVE_COMPLAINT``, closed by
    ``CLOSE_COMPLAINT_WINDOW``, which the sweep fires when it is missed. ``end_of_effect``: the
    ruleset's ``end_of_effect_period`` (12 months, no roll-forward: the last day in effect) from
    ``ANNOUNCE_DECISION``; ``end_of_effect_after_review``: the same from entering
    ``IN_FORCE_AFTER_REVIEW``. Both are paused while a complaint is pending (and resumed when it
    is dismissed), cancelled by a ruling, a change, a new violation, annulment or a permanent
    measure, and fire ``END_EFFECT`` when missed (QĐ 69 Điều 2 khoản 5).

Authority
    ``HOLD_VOTE`` needs a body that may decide or at least propose the measure; ``DECIDE`` one
    that may decide it (:func:`~discipline_flow.rules.check_authority`), a decision-stage vote
    that carries it (more than half; :func:`~discipline_flow.rules.check_vote`), for expulsion
    the cell's proposal by at least two thirds, and a violation not time-barred;
    ``PROPOSE_TO_HIGHER`` a body that may only propose (a cell for a task assigned by a higher
    level). The subject is not among the voters. The Central Committee votes by secret ballot.
    Approval, change, annulment and complaint rulings come from a body above the deciding one.

Legal basis
    Party Charter Điều 35–39; QĐ 22-QĐ/TW Điều 9–15, 22–23 (2021), QĐ 296-QĐ/TW Điều 8–15
    (2025), QĐ 21-QĐ/TW (2026, secondary sources); QĐ 69-QĐ/TW Điều 2 khoản 5 and Điều 4. Each
    guard and deadline carries its citation from the ruleset.

What is uncertain
    The effect of a decision: QĐ 296 says a cell's decision takes effect on announcing the vote
    (secondary); QĐ 21 on signing except for cells (secondary); for other bodies before 2026 the
    QĐ 21 wording is assumed. The authority matrix beyond the cell is largely recalled. Approval,
    change and annulment by higher levels rest on an old Q&A book (assumed). That a dismissed
    complaint pauses the 12 months (rather than having never counted) is an interpretation; a
    complaint ruling restarts them (QĐ 69 Điều 2 khoản 5). A deadline rule cannot depend on the
    measure: the 12-month deadline also starts for expulsion and is cancelled when the decision
    becomes permanent.

Linked cases
    ``open_complaint`` opens a complaint case (:mod:`discipline_flow.processes.complaint`) with
    the decision case as its origin and fires ``RECEIVE_COMPLAINT`` on the decision.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Member
>>> from discipline_flow.rules import VoteTally, select_ruleset
>>> rules = select_ruleset(dt.date(2025, 9, 1))
>>> wf = member_discipline(rules)
>>> cell = Body(BodyKind.PARTY_CELL, "cell-7")
>>> at = pendulum.datetime(2025, 9, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1", cell_id="cell-7"), at=at, actor=cell, case_id="KL-1",
...                payload={"violation_on": "2025-03-10"})
>>> _ = case.fire("HEAR_SUBJECT", at=at.add(days=1), actor=cell)
>>> vote = VoteTally(9, 7, 2, 0).to_payload()
>>> _ = case.fire("HOLD_VOTE", at=at.add(days=2), actor=cell,
...               payload={"measure": "warning", "vote": vote})
>>> _ = case.fire("DECIDE", at=at.add(days=2), actor=cell)
>>> _ = case.fire("ANNOUNCE_VOTE_RESULT", at=at.add(days=2), actor=cell)
>>> _ = case.fire("ANNOUNCE_DECISION", at=at.add(days=5), actor=cell)
>>> case.state.name, case.deadline("complaint_window").due_on  # 30 working days from Mon 8/9
('ANNOUNCED', datetime.date(2025, 10, 20))
>>> case.deadline("end_of_effect").due_on
datetime.date(2026, 9, 8)
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

from discipline_flow.actors import Body, BodyKind
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.clock import require_aware
from discipline_flow.errors import InputError, InvalidRuleError
from discipline_flow.processes import _guards as g
from discipline_flow.rules import Ruleset, SubjectCategory, VoteStage, check_authority
from discipline_flow.time.convention import CIVIL_CODE
from discipline_flow.time.deadline import DeadlineRule
from discipline_flow.workflow import Guard, GuardContext, Label, Transition, Workflow

__all__ = [
    "EFFECT_TIMINGS",
    "MemberDisciplineState",
    "MemberDisciplineTrigger",
    "OrganisationDisciplineState",
    "OrganisationDisciplineTrigger",
    "member_discipline",
    "open_complaint",
    "organisation_discipline",
    "workflows",
]


class MemberDisciplineState(enum.Enum):
    """States of a disciplinary case about a member."""

    OPENED = "opened"
    DEFERRED = "deferred"
    SUBJECT_HEARD = "subject_heard"
    VOTED = "voted"
    PROPOSED_TO_HIGHER = "proposed_to_higher"
    DECIDED = "decided"
    IN_EFFECT = "in_effect"
    ANNOUNCED = "announced"
    UNDER_COMPLAINT = "under_complaint"
    IN_FORCE = "in_force"
    IN_FORCE_AFTER_REVIEW = "in_force_after_review"
    IN_FORCE_PERMANENTLY = "in_force_permanently"
    NOT_DISCIPLINED = "not_disciplined"
    TIME_BARRED = "time_barred"
    EFFECT_ENDED = "effect_ended"
    KEPT_IN_FORCE = "kept_in_force"
    ANNULLED = "annulled"


class MemberDisciplineTrigger(enum.Enum):
    """Triggers of a disciplinary case about a member."""

    HEAR_SUBJECT = "hear_subject"
    DEFER = "defer"
    RESUME = "resume"
    HOLD_VOTE = "hold_vote"
    DECIDE = "decide"
    PROPOSE_TO_HIGHER = "propose_to_higher"
    DISMISS_AS_TIME_BARRED = "dismiss_as_time_barred"
    CLOSE_WITHOUT_DISCIPLINE = "close_without_discipline"
    APPROVE_DECISION = "approve_decision"
    ANNOUNCE_VOTE_RESULT = "announce_vote_result"
    SIGN_DECISION = "sign_decision"
    ANNOUNCE_DECISION = "announce_decision"
    RECORD_ADMINISTRATIVE_FOLLOW_UP = "record_administrative_follow_up"
    RECEIVE_COMPLAINT = "receive_complaint"
    CLOSE_COMPLAINT_WINDOW = "close_complaint_window"
    DISMISS_COMPLAINT = "dismiss_complaint"
    RECORD_COMPLAINT_RULING = "record_complaint_ruling"
    CHANGE_DECISION = "change_decision"
    ANNUL_DECISION = "annul_decision"
    RECORD_NEW_VIOLATION = "record_new_violation"
    END_EFFECT = "end_effect"


class OrganisationDisciplineState(enum.Enum):
    """States of a disciplinary case about a party organisation (no deferral)."""

    OPENED = "opened"
    SUBJECT_HEARD = "subject_heard"
    VOTED = "voted"
    PROPOSED_TO_HIGHER = "proposed_to_higher"
    DECIDED = "decided"
    IN_EFFECT = "in_effect"
    ANNOUNCED = "announced"
    UNDER_COMPLAINT = "under_complaint"
    IN_FORCE = "in_force"
    IN_FORCE_AFTER_REVIEW = "in_force_after_review"
    IN_FORCE_PERMANENTLY = "in_force_permanently"
    NOT_DISCIPLINED = "not_disciplined"
    TIME_BARRED = "time_barred"
    EFFECT_ENDED = "effect_ended"
    KEPT_IN_FORCE = "kept_in_force"
    ANNULLED = "annulled"


class OrganisationDisciplineTrigger(enum.Enum):
    """Triggers of a disciplinary case about a party organisation."""

    HEAR_SUBJECT = "hear_subject"
    HOLD_VOTE = "hold_vote"
    DECIDE = "decide"
    PROPOSE_TO_HIGHER = "propose_to_higher"
    DISMISS_AS_TIME_BARRED = "dismiss_as_time_barred"
    CLOSE_WITHOUT_DISCIPLINE = "close_without_discipline"
    APPROVE_DECISION = "approve_decision"
    ANNOUNCE_VOTE_RESULT = "announce_vote_result"
    SIGN_DECISION = "sign_decision"
    ANNOUNCE_DECISION = "announce_decision"
    RECORD_ADMINISTRATIVE_FOLLOW_UP = "record_administrative_follow_up"
    RECEIVE_COMPLAINT = "receive_complaint"
    CLOSE_COMPLAINT_WINDOW = "close_complaint_window"
    DISMISS_COMPLAINT = "dismiss_complaint"
    RECORD_COMPLAINT_RULING = "record_complaint_ruling"
    CHANGE_DECISION = "change_decision"
    ANNUL_DECISION = "annul_decision"
    RECORD_NEW_VIOLATION = "record_new_violation"
    END_EFFECT = "end_effect"


_STATE_LABELS = {
    "OPENED": Label("Opened", "Đã mở hồ sơ xem xét kỷ luật"),
    "DEFERRED": Label("Deferred", "Chưa xem xét, xử lý kỷ luật"),
    "SUBJECT_HEARD": Label("Subject heard", "Đã nghe đối tượng trình bày ý kiến"),
    "VOTED": Label("Voted", "Đã biểu quyết"),
    "PROPOSED_TO_HIGHER": Label("Proposed to the competent body", "Đã đề nghị cấp có thẩm quyền"),
    "DECIDED": Label("Decided", "Đã quyết định kỷ luật"),
    "IN_EFFECT": Label("In effect", "Quyết định có hiệu lực"),
    "ANNOUNCED": Label("Announced", "Đã công bố quyết định"),
    "UNDER_COMPLAINT": Label("Under complaint", "Đang giải quyết khiếu nại"),
    "IN_FORCE": Label("In force", "Đang có hiệu lực"),
    "IN_FORCE_AFTER_REVIEW": Label(
        "In force after review", "Có hiệu lực sau giải quyết khiếu nại hoặc thay đổi"
    ),
    "IN_FORCE_PERMANENTLY": Label("In force permanently", "Có hiệu lực không thời hạn"),
    "NOT_DISCIPLINED": Label("Not disciplined", "Không thi hành kỷ luật"),
    "TIME_BARRED": Label("Time-barred", "Hết thời hiệu xử lý kỷ luật"),
    "EFFECT_ENDED": Label("Effect ended", "Đương nhiên chấm dứt hiệu lực"),
    "KEPT_IN_FORCE": Label(
        "Kept in force (new violation)", "Không chấm dứt hiệu lực do vi phạm mới"
    ),
    "ANNULLED": Label("Annulled", "Đã xóa bỏ quyết định"),
}
_TRIGGER_LABELS = {
    "HEAR_SUBJECT": Label("Hear the subject", "Nghe đối tượng trình bày ý kiến"),
    "DEFER": Label("Defer", "Tạm chưa xem xét kỷ luật"),
    "RESUME": Label("Resume", "Tiếp tục xem xét"),
    "HOLD_VOTE": Label("Hold the vote", "Biểu quyết hình thức kỷ luật"),
    "DECIDE": Label("Decide", "Quyết định kỷ luật"),
    "PROPOSE_TO_HIGHER": Label("Propose to the competent body", "Đề nghị cấp có thẩm quyền"),
    "DISMISS_AS_TIME_BARRED": Label("Dismiss as time-barred", "Không kỷ luật do hết thời hiệu"),
    "CLOSE_WITHOUT_DISCIPLINE": Label("Close without discipline", "Kết thúc, không kỷ luật"),
    "APPROVE_DECISION": Label("Approve the decision", "Chuẩn y quyết định"),
    "ANNOUNCE_VOTE_RESULT": Label("Announce the vote result", "Công bố kết quả biểu quyết"),
    "SIGN_DECISION": Label("Sign the decision", "Ký quyết định"),
    "ANNOUNCE_DECISION": Label("Announce the decision", "Công bố quyết định"),
    "RECORD_ADMINISTRATIVE_FOLLOW_UP": Label(
        "Record administrative follow-up", "Chỉ đạo, đề nghị xử lý hành chính"
    ),
    "RECEIVE_COMPLAINT": Label("Receive a complaint", "Nhận khiếu nại"),
    "CLOSE_COMPLAINT_WINDOW": Label("Close the complaint window", "Hết thời hạn khiếu nại"),
    "DISMISS_COMPLAINT": Label("Dismiss the complaint", "Không thụ lý khiếu nại"),
    "RECORD_COMPLAINT_RULING": Label(
        "Record the complaint ruling", "Ghi nhận quyết định giải quyết khiếu nại"
    ),
    "CHANGE_DECISION": Label("Change the decision", "Thay đổi hình thức kỷ luật"),
    "ANNUL_DECISION": Label("Annul the decision", "Xóa bỏ quyết định kỷ luật"),
    "RECORD_NEW_VIOLATION": Label("Record a new violation", "Ghi nhận vi phạm mới"),
    "END_EFFECT": Label("End the effect", "Chấm dứt hiệu lực"),
}

#: The values the ruleset's ``cell_decision_takes_effect`` and ``decision_takes_effect`` may take.
EFFECT_TIMINGS = ("on_vote_announced", "on_signing")

_V, _S, _A = RuleStatus.VERIFIED, RuleStatus.SECONDARY, RuleStatus.ASSUMED


def _heard_basis(ruleset: Ruleset) -> Citation:
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
        qd296=Citation("QĐ 296-QĐ/TW", "Điều 12 khoản 1", _S, "R-28300988406 Q33"),
    )


def _review_basis(ruleset: Ruleset) -> Citation:
    """Higher levels approve, change or annul a lower level's form of discipline."""
    regulation = g.governing_regulation(ruleset) or "QĐ 296-QĐ/TW"
    return Citation(
        regulation,
        None,
        _A,
        "P-tailieuchung",
        note="seen only in a pre-2011 Q&A book: higher levels may approve (chuẩn y), change or "
        "annul a lower level's form of discipline; recalled for current rules",
    )


def _ruling_basis(ruleset: Ruleset) -> Citation:
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


_ANNULMENT_BASIS = Citation(
    "QĐ 117-QĐ/TW",
    None,
    _V,
    "P-tvpl-117",
    note="apology and restoration after wrongful discipline (2023)",
)


def _last_named(case: Case[Any, Any], trigger: str) -> int | None:
    """The index of the latest step fired by ``trigger``, if any."""
    steps = case.steps
    for i in range(len(steps) - 1, -1, -1):
        fired = steps[i].trigger
        # ``_name_``: the member's name without the ``name`` property's descriptor call.
        if fired is not None and fired._name_ == trigger:
            return i
    return None


def _decider(case: Case[Any, Any]) -> Body | None:
    found = _last_named(case, "DECIDE")
    return None if found is None else case.steps[found].actor


def _effect_guards(ruleset: Ruleset) -> tuple[Guard, Guard, Guard]:
    """When the decision takes effect, per ruleset, and whether approval is still missing."""
    cell_rule = ruleset.rule("cell_decision_takes_effect")
    other_rule = ruleset.rule("decision_takes_effect")
    for rule in (cell_rule, other_rule):
        if rule.value not in EFFECT_TIMINGS:
            raise InvalidRuleError(
                rule.key,
                f"the discipline workflows understand {', '.join(EFFECT_TIMINGS)}; got "
                f"{rule.value!r}",
            )

    def timing(ctx: GuardContext[Any, Any]) -> tuple[str, Citation, str]:
        decider = _decider(ctx.case)
        if decider is not None and decider.kind is BodyKind.PARTY_CELL:
            return str(cell_rule.value), cell_rule.citation, "a party cell's decision"
        return str(other_rule.value), other_rule.citation, "a decision of a body above the cell"

    def when(wanted: str, trigger: str, other_trigger: str) -> Any:
        def check(ctx: GuardContext[Any, Any]) -> str | None:
            value, citation, what = timing(ctx)
            if value == wanted:
                return None
            moment = "the vote result is announced" if value == EFFECT_TIMINGS[0] else "signed"
            return (
                f"{what} takes effect when {moment} ({other_trigger}), not by {trigger} "
                f"[{citation}]"
            )

        return check

    on_vote = Guard(
        "takes_effect_on_vote_announced",
        when("on_vote_announced", "ANNOUNCE_VOTE_RESULT", "SIGN_DECISION"),
        basis=cell_rule.citation,
        description="the decision takes effect when the vote result is announced",
    )
    on_signing = Guard(
        "takes_effect_on_signing",
        when("on_signing", "SIGN_DECISION", "ANNOUNCE_VOTE_RESULT"),
        basis=other_rule.citation,
        description="the decision takes effect when it is signed",
    )

    def approved(ctx: GuardContext[Any, Any]) -> str | None:
        decided = _last_named(ctx.case, "DECIDE")
        measure = g.measure_of(ctx)
        if decided is None or measure is None:
            return None
        step = ctx.case.steps[decided]
        task = bool(g.find_value(ctx, "higher_assigned_task"))
        if not g.authority_flags(
            ruleset, step.actor, ctx.subject, measure, higher_assigned_task=task
        )[2]:
            return None
        approval = _last_named(ctx.case, "APPROVE_DECISION")
        if approval is not None and approval > decided:
            return None
        decision = check_authority(
            ruleset, step.actor, ctx.subject, measure, higher_assigned_task=task
        )
        return (
            f"{measure.label_en} decided by {step.actor} needs approval by the level above "
            f"(APPROVE_DECISION) before it takes effect: {decision.reason}"
        )

    approval = Guard(
        "approved_if_needed",
        g.guarded(approved),
        basis=g.authority_basis(ruleset),
        description="a decision that needs approval by the level above has it",
        uses_payload=True,
    )
    return on_vote, on_signing, approval


def _effect_period_over(ruleset: Ruleset) -> Guard:
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


def _window_passed(ruleset: Ruleset) -> Guard:
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


def _outcome(values: tuple[str, ...], basis: Citation) -> Guard:
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


def _vote_announcement_applies(ruleset: Ruleset, *, for_members: bool) -> bool:
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


def _build(
    ruleset: Ruleset, states: type[enum.Enum], triggers: type[enum.Enum], *, for_members: bool
) -> Workflow[Any, Any]:
    s = states.__getitem__
    t = triggers.__getitem__
    name = "member_discipline" if for_members else "organisation_discipline"
    heard = _heard_basis(ruleset)
    review = _review_basis(ruleset)
    ruling = _ruling_basis(ruleset)
    vote_rule = ruleset.rule("discipline_vote_majority")
    effect_rule = ruleset.rule("end_of_effect_period")
    window_rule = ruleset.rule("complaint_window")
    follow_rule = ruleset.rule("administrative_follow_up_period")
    in_force_rule = ruleset.rule("decision_stays_in_force_during_complaint")
    limitation = ruleset.rule("limitation_period_reprimand")

    may_vote = g.may_decide_or_propose(ruleset)
    may_decide = g.may_decide(ruleset)
    may_propose = g.may_propose(ruleset)
    vote_any = g.vote_carries(ruleset)
    vote_last = g.vote_carries(ruleset, stage=VoteStage.DECISION, from_last_step=True)
    vote_decision = g.vote_carries(ruleset, stage=VoteStage.DECISION)
    not_voting = g.subject_not_voting(ruleset)
    proposal = g.expulsion_proposal(ruleset)
    not_barred = g.not_time_barred(ruleset)
    barred = g.time_barred(ruleset)
    can_end = g.measure_can_end(ruleset)
    never_ends = g.measure_never_ends(ruleset)
    higher = g.higher_body(basis=review)
    higher_ruling = g.higher_body(basis=ruling)
    on_vote, on_signing, approval = _effect_guards(ruleset)
    period_over = _effect_period_over(ruleset)
    reason = g.requires("reason", name="reason_given", what="closing or annulling")
    action = g.requires(
        "action", name="action_given", basis=follow_rule.citation, what="the follow-up"
    )
    measure_given = g.requires("measure", name="measure_given", basis=review, what="a change")
    violation_given = g.requires(
        "new_violation_on", name="new_violation_given", basis=effect_rule.citation
    )
    outcome = _outcome(("upheld", "changed"), ruling)
    window_passed = _window_passed(ruleset)

    member_only = (not_voting,) if for_members else ()
    expulsion = (proposal,) if for_members else ()
    transitions: list[Transition[Any, Any]] = [
        Transition(t("HEAR_SUBJECT"), s("OPENED"), s("SUBJECT_HEARD"), basis=heard),
        Transition(
            t("HOLD_VOTE"),
            s("SUBJECT_HEARD"),
            s("VOTED"),
            guards=(may_vote, vote_any, *member_only),
            basis=vote_rule.citation,
        ),
        Transition(
            t("CLOSE_WITHOUT_DISCIPLINE"),
            (s("SUBJECT_HEARD"), s("PROPOSED_TO_HIGHER")),
            s("NOT_DISCIPLINED"),
            guards=(reason,),
        ),
        Transition(
            t("DECIDE"),
            s("VOTED"),
            s("DECIDED"),
            guards=(may_decide, vote_last, *expulsion, not_barred),
            basis=vote_rule.citation,
        ),
        Transition(
            t("DECIDE"),
            s("PROPOSED_TO_HIGHER"),
            s("DECIDED"),
            guards=(may_decide, vote_decision, *member_only, *expulsion, not_barred),
            basis=vote_rule.citation,
        ),
        Transition(
            t("PROPOSE_TO_HIGHER"),
            # a partial committee forwards a cell's proposal about a member (QĐ 22 Điều 11)
            (s("VOTED"), s("PROPOSED_TO_HIGHER")) if for_members else s("VOTED"),
            s("PROPOSED_TO_HIGHER"),
            guards=(may_propose,),
            basis=g.authority_basis(ruleset),
        ),
        Transition(
            t("DISMISS_AS_TIME_BARRED"),
            (s("VOTED"), s("PROPOSED_TO_HIGHER")),
            s("TIME_BARRED"),
            guards=(barred,),
            basis=limitation.citation,
        ),
        Transition(
            t("APPROVE_DECISION"), s("DECIDED"), s("DECIDED"), guards=(higher,), basis=review
        ),
        Transition(
            t("SIGN_DECISION"),
            s("DECIDED"),
            s("IN_EFFECT"),
            guards=(on_signing, approval),
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
            (
                s("ANNOUNCED"),
                s("IN_FORCE"),
                s("IN_FORCE_AFTER_REVIEW"),
                s("IN_FORCE_PERMANENTLY"),
            ),
            s("UNDER_COMPLAINT"),
            basis=in_force_rule.citation,
        ),
        Transition(
            t("CLOSE_COMPLAINT_WINDOW"),
            s("ANNOUNCED"),
            s("IN_FORCE_PERMANENTLY"),
            guards=(window_passed, never_ends),
            basis=window_rule.citation,
        ),
        Transition(
            t("CLOSE_COMPLAINT_WINDOW"),
            s("ANNOUNCED"),
            s("IN_FORCE"),
            guards=(window_passed, can_end),
            basis=window_rule.citation,
        ),
        Transition(
            t("DISMISS_COMPLAINT"),
            s("UNDER_COMPLAINT"),
            s("IN_FORCE_PERMANENTLY"),
            guards=(never_ends,),
            basis=in_force_rule.citation,
        ),
        Transition(
            t("DISMISS_COMPLAINT"),
            s("UNDER_COMPLAINT"),
            s("IN_FORCE"),
            guards=(can_end,),
            basis=in_force_rule.citation,
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
            for source in (s("IN_FORCE"), s("IN_FORCE_AFTER_REVIEW"), s("IN_FORCE_PERMANENTLY"))
            for target, which in (
                (s("IN_FORCE_PERMANENTLY"), never_ends),
                (s("IN_FORCE_AFTER_REVIEW"), can_end),
            )
        ),
        Transition(
            t("ANNUL_DECISION"),
            (
                s("ANNOUNCED"),
                s("UNDER_COMPLAINT"),
                s("IN_FORCE"),
                s("IN_FORCE_AFTER_REVIEW"),
                s("IN_FORCE_PERMANENTLY"),
            ),
            s("ANNULLED"),
            guards=(reason, higher),
            basis=_ANNULMENT_BASIS,
        ),
        Transition(
            t("RECORD_NEW_VIOLATION"),
            (s("IN_FORCE"), s("IN_FORCE_AFTER_REVIEW")),
            s("KEPT_IN_FORCE"),
            guards=(violation_given,),
            basis=effect_rule.citation,
        ),
        Transition(
            t("END_EFFECT"),
            (s("IN_FORCE"), s("IN_FORCE_AFTER_REVIEW")),
            s("EFFECT_ENDED"),
            guards=(can_end, period_over),
            basis=effect_rule.citation,
        ),
    ]
    if _vote_announcement_applies(ruleset, for_members=for_members):
        transitions.append(
            Transition(
                t("ANNOUNCE_VOTE_RESULT"),
                s("DECIDED"),
                s("IN_EFFECT"),
                guards=(on_vote, approval),
                basis=ruleset.rule("cell_decision_takes_effect").citation,
            )
        )
    if for_members:
        deferral = g.deferral_reason(ruleset)
        transitions += [
            Transition(
                t("DEFER"),
                (s("OPENED"), s("SUBJECT_HEARD")),
                s("DEFERRED"),
                guards=(deferral,),
                basis=deferral.basis,
            ),
            Transition(t("RESUME"), s("DEFERRED"), s("OPENED"), basis=deferral.basis),
        ]

    no_roll = CIVIL_CODE.but(roll_forward=False)
    ending = frozenset(
        {
            t("RECORD_NEW_VIOLATION"),
            t("END_EFFECT"),
            s("IN_FORCE_PERMANENTLY"),
            s("ANNULLED"),
        }
    )
    rules = (
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
    labels: dict[enum.Enum, Label] = {m: _STATE_LABELS[m.name] for m in states}
    labels.update({m: _TRIGGER_LABELS[m.name] for m in triggers})
    citations = tuple(
        dict.fromkeys(
            [
                heard,
                g.authority_basis(ruleset),
                vote_rule.citation,
                ruleset.rule("expulsion_proposal_majority").citation,
                limitation.citation,
                ruleset.rule("cell_decision_takes_effect").citation,
                ruleset.rule("decision_takes_effect").citation,
                window_rule.citation,
                in_force_rule.citation,
                follow_rule.citation,
                effect_rule.citation,
                ruling,
                review,
                _ANNULMENT_BASIS,
                *([ruleset.rule("deferral_reasons").citation] if for_members else []),
            ]
        )
    )
    subject = "a member" if for_members else "a party organisation"
    return Workflow(
        name=name,
        version=ruleset.name,
        states=states,
        triggers=triggers,
        initial=s("OPENED"),
        terminal={
            s("NOT_DISCIPLINED"),
            s("TIME_BARRED"),
            s("EFFECT_ENDED"),
            s("KEPT_IN_FORCE"),
            s("ANNULLED"),
        },
        transitions=transitions,
        deadline_rules=rules,
        labels=labels,
        citations=citations,
        label=Label(
            f"Disciplinary decision about {subject}",
            "Thi hành kỷ luật đảng viên" if for_members else "Thi hành kỷ luật tổ chức đảng",
        ),
        description=f"Hearing, vote, decision, effect, complaints and end of effect of the "
        f"discipline of {subject} (ruleset {ruleset.name}).",
        ruleset=ruleset.name,
    )


def member_discipline(ruleset: Ruleset) -> Workflow[MemberDisciplineState, MemberDisciplineTrigger]:
    """The disciplinary decision about a party member under ``ruleset``."""
    return _build(ruleset, MemberDisciplineState, MemberDisciplineTrigger, for_members=True)


def organisation_discipline(
    ruleset: Ruleset,
) -> Workflow[OrganisationDisciplineState, OrganisationDisciplineTrigger]:
    """The disciplinary decision about a party organisation under ``ruleset``."""
    return _build(
        ruleset, OrganisationDisciplineState, OrganisationDisciplineTrigger, for_members=False
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The discipline workflows under ``ruleset`` (the process registry calls this)."""
    return [member_discipline(ruleset), organisation_discipline(ruleset)]


# ---------------------------------------------------------------------------- linked cases

_COMPLAINABLE = frozenset(
    {"ANNOUNCED", "IN_FORCE", "IN_FORCE_AFTER_REVIEW", "IN_FORCE_PERMANENTLY"}
)


def open_complaint(
    decision: Case[Any, Any],
    *,
    at: _dt.datetime,
    filed_on: _dt.date | None = None,
    actor: Body | str | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open a complaint about ``decision`` and record it on the decision (``RECEIVE_COMPLAINT``).

    ``filed_on`` is the day the complaint was sent (postmark, or the day it was handed in;
    default the day of ``at``). The complaint case gets the decision's subject, measure, deciding
    body and the day the subject received the decision (the start of its complaint window), and
    records the decision case as its origin. ``actor`` is the complainant (default: the subject
    acting for itself). Without ``workflow`` the shipped complaint workflow of the ruleset in
    force on ``filed_on`` is used (a complaint is governed by the rules in force when filed).
    Raises :class:`~discipline_flow.errors.InputError` when the decision cannot be complained
    about in its state, and :class:`~discipline_flow.errors.TransitionRefused` if the decision
    refuses the complaint.
    """
    from discipline_flow.processes.complaint import complaint_payload_for, complaint_workflow
    from discipline_flow.processes.links import open_child

    if not isinstance(decision, Case) or not decision.workflow.name.endswith("_discipline"):
        raise InputError("decision", "expected a member or organisation disciplinary case")
    at = require_aware(at, "at")
    if decision.state.name not in _COMPLAINABLE:
        raise InputError(
            "decision",
            f"case {decision.id} is {decision.state.name}; a complaint is made about an "
            f"announced decision ({', '.join(sorted(_COMPLAINABLE))})",
        )
    data = complaint_payload_for(decision, at=at, filed_on=filed_on)
    data.update(payload or {})
    complainant = actor if actor is not None else Body(BodyKind.PERSON, decision.subject.id)
    chosen = workflow if workflow is not None else complaint_workflow(data["filed_on"])
    # Open once without a parent to check every input before the decision is touched.
    chosen.open(decision.subject, at=at, actor=complainant, case_id=case_id, payload=data)
    decision.fire(
        "RECEIVE_COMPLAINT",
        at=at,
        actor=complainant,
        payload={"filed_on": data["filed_on"], **({"complaint_case": case_id} if case_id else {})},
    )
    return open_child(decision, chosen, at=at, actor=complainant, case_id=case_id, payload=data)
