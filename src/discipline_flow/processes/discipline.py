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
    ``violation_on`` and the other limitation keys of :mod:`discipline_flow.processes.guards`
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

import enum
from typing import Any

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.processes import guards as g
from discipline_flow.processes._decision import (
    EFFECT_TIMINGS,
    REASON_GIVEN,
    decision_citations,
    decision_deadline_rules,
    decision_transitions,
)
from discipline_flow.processes.complaint import open_complaint
from discipline_flow.rules import Ruleset, VoteStage
from discipline_flow.workflow import Label, Transition, Workflow

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


def _heard_basis(ruleset: Ruleset) -> Citation:
    """Right to be heard before the deciding meeting (QĐ 296 Điều 12 khoản 1)."""
    return g.era_citation(
        ruleset,
        qd22=Citation(
            "Điều lệ Đảng (2011)",
            "Điều 38",
            RuleStatus.ASSUMED,
            note="recalled: the member is heard before the decision; the QĐ 22 article was "
            "not retrieved",
        ),
        qd296=Citation(
            "QĐ 296-QĐ/TW", "Điều 12 khoản 1", RuleStatus.SECONDARY, "R-28300988406 Q33"
        ),
    )


def _build(
    ruleset: Ruleset, states: type[enum.Enum], triggers: type[enum.Enum], *, for_members: bool
) -> Workflow[Any, Any]:
    s = states.__getitem__
    t = triggers.__getitem__
    name = "member_discipline" if for_members else "organisation_discipline"
    heard = _heard_basis(ruleset)
    vote_rule = ruleset.rule("discipline_vote_majority")
    limitation = ruleset.rule("limitation_period_reprimand")

    may_decide = g.may_decide(ruleset)
    not_voting = g.subject_not_voting(ruleset)
    proposal = g.expulsion_proposal(ruleset)
    not_barred = g.not_time_barred(ruleset)
    member_only = (not_voting,) if for_members else ()
    expulsion = (proposal,) if for_members else ()
    transitions: list[Transition[Any, Any]] = [
        Transition(t("HEAR_SUBJECT"), s("OPENED"), s("SUBJECT_HEARD"), basis=heard),
        Transition(
            t("HOLD_VOTE"),
            s("SUBJECT_HEARD"),
            s("VOTED"),
            guards=(g.may_decide_or_propose(ruleset), g.vote_carries(ruleset), *member_only),
            basis=vote_rule.citation,
        ),
        Transition(
            t("CLOSE_WITHOUT_DISCIPLINE"),
            (s("SUBJECT_HEARD"), s("PROPOSED_TO_HIGHER")),
            s("NOT_DISCIPLINED"),
            guards=(REASON_GIVEN,),
        ),
        Transition(
            t("DECIDE"),
            s("VOTED"),
            s("DECIDED"),
            guards=(
                may_decide,
                g.vote_carries(ruleset, stage=VoteStage.DECISION, from_last_step=True),
                *expulsion,
                not_barred,
            ),
            basis=vote_rule.citation,
        ),
        Transition(
            t("DECIDE"),
            s("PROPOSED_TO_HIGHER"),
            s("DECIDED"),
            guards=(
                may_decide,
                g.vote_carries(ruleset, stage=VoteStage.DECISION),
                *member_only,
                *expulsion,
                not_barred,
            ),
            basis=vote_rule.citation,
        ),
        Transition(
            t("PROPOSE_TO_HIGHER"),
            # a partial committee forwards a cell's proposal about a member (QĐ 22 Điều 11)
            (s("VOTED"), s("PROPOSED_TO_HIGHER")) if for_members else s("VOTED"),
            s("PROPOSED_TO_HIGHER"),
            guards=(g.may_propose(ruleset),),
            basis=g.authority_basis(ruleset),
        ),
        Transition(
            t("DISMISS_AS_TIME_BARRED"),
            (s("VOTED"), s("PROPOSED_TO_HIGHER")),
            s("TIME_BARRED"),
            guards=(g.time_barred(ruleset),),
            basis=limitation.citation,
        ),
        *decision_transitions(ruleset, states, triggers, may_decide, for_members=for_members),
    ]
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
                *decision_citations(ruleset),
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
        deadline_rules=decision_deadline_rules(ruleset, states, triggers),
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
