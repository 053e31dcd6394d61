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
    ``CLOSE_WITHOUT_DISCIPLINE`` (``reason``; a member's ``stepped_down``: true is refused when
    the measure is removal from post or expulsion, where the ruleset's
    ``committee_member_removal_no_step_down`` holds); ``APPROVE_DECISION`` (approval, *chuẩn y*, by
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
from collections.abc import Mapping
from typing import Any

from discipline_flow.processes._decision import EFFECT_TIMINGS, discipline_pieces
from discipline_flow.processes._tables import Move, labels_for, moves_for, transitions
from discipline_flow.processes.complaint import open_complaint
from discipline_flow.rules import Ruleset
from discipline_flow.time import CIVIL_CODE, DeadlineRule
from discipline_flow.workflow import Label, Workflow

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


# The tables are written in the member workflow's states and triggers. The organisation
# workflow's are the same less deferral: it takes the rows and labels that apply to it, each
# member replaced by its own member of the same name (``counterpart``, when imported).
S = MemberDisciplineState
T = MemberDisciplineTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.OPENED: Label("Opened", "Đã mở hồ sơ xem xét kỷ luật"),
    S.DEFERRED: Label("Deferred", "Chưa xem xét, xử lý kỷ luật"),
    S.SUBJECT_HEARD: Label("Subject heard", "Đã nghe đối tượng trình bày ý kiến"),
    S.VOTED: Label("Voted", "Đã biểu quyết"),
    S.PROPOSED_TO_HIGHER: Label("Proposed to the competent body", "Đã đề nghị cấp có thẩm quyền"),
    S.DECIDED: Label("Decided", "Đã quyết định kỷ luật"),
    S.IN_EFFECT: Label("In effect", "Quyết định có hiệu lực"),
    S.ANNOUNCED: Label("Announced", "Đã công bố quyết định"),
    S.UNDER_COMPLAINT: Label("Under complaint", "Đang giải quyết khiếu nại"),
    S.IN_FORCE: Label("In force", "Đang có hiệu lực"),
    S.IN_FORCE_AFTER_REVIEW: Label(
        "In force after review", "Có hiệu lực sau giải quyết khiếu nại hoặc thay đổi"
    ),
    S.IN_FORCE_PERMANENTLY: Label("In force permanently", "Có hiệu lực không thời hạn"),
    S.NOT_DISCIPLINED: Label("Not disciplined", "Không thi hành kỷ luật"),
    S.TIME_BARRED: Label("Time-barred", "Hết thời hiệu xử lý kỷ luật"),
    S.EFFECT_ENDED: Label("Effect ended", "Đương nhiên chấm dứt hiệu lực"),
    S.KEPT_IN_FORCE: Label(
        "Kept in force (new violation)", "Không chấm dứt hiệu lực do vi phạm mới"
    ),
    S.ANNULLED: Label("Annulled", "Đã xóa bỏ quyết định"),
    T.HEAR_SUBJECT: Label("Hear the subject", "Nghe đối tượng trình bày ý kiến"),
    T.DEFER: Label("Defer", "Tạm chưa xem xét kỷ luật"),
    T.RESUME: Label("Resume", "Tiếp tục xem xét"),
    T.HOLD_VOTE: Label("Hold the vote", "Biểu quyết hình thức kỷ luật"),
    T.DECIDE: Label("Decide", "Quyết định kỷ luật"),
    T.PROPOSE_TO_HIGHER: Label("Propose to the competent body", "Đề nghị cấp có thẩm quyền"),
    T.DISMISS_AS_TIME_BARRED: Label("Dismiss as time-barred", "Không kỷ luật do hết thời hiệu"),
    T.CLOSE_WITHOUT_DISCIPLINE: Label("Close without discipline", "Kết thúc, không kỷ luật"),
    T.APPROVE_DECISION: Label("Approve the decision", "Chuẩn y quyết định"),
    T.ANNOUNCE_VOTE_RESULT: Label("Announce the vote result", "Công bố kết quả biểu quyết"),
    T.SIGN_DECISION: Label("Sign the decision", "Ký quyết định"),
    T.ANNOUNCE_DECISION: Label("Announce the decision", "Công bố quyết định"),
    T.RECORD_ADMINISTRATIVE_FOLLOW_UP: Label(
        "Record administrative follow-up", "Chỉ đạo, đề nghị xử lý hành chính"
    ),
    T.RECEIVE_COMPLAINT: Label("Receive a complaint", "Nhận khiếu nại"),
    T.CLOSE_COMPLAINT_WINDOW: Label("Close the complaint window", "Hết thời hạn khiếu nại"),
    T.DISMISS_COMPLAINT: Label("Dismiss the complaint", "Không thụ lý khiếu nại"),
    T.RECORD_COMPLAINT_RULING: Label(
        "Record the complaint ruling", "Ghi nhận quyết định giải quyết khiếu nại"
    ),
    T.CHANGE_DECISION: Label("Change the decision", "Thay đổi hình thức kỷ luật"),
    T.ANNUL_DECISION: Label("Annul the decision", "Xóa bỏ quyết định kỷ luật"),
    T.RECORD_NEW_VIOLATION: Label("Record a new violation", "Ghi nhận vi phạm mới"),
    T.END_EFFECT: Label("End the effect", "Chấm dứt hiệu lực"),
}

_IN_FORCE = (S.IN_FORCE, S.IN_FORCE_AFTER_REVIEW)
_BEFORE_DECISION = (S.VOTED, S.PROPOSED_TO_HIGHER)

#: The moves of a disciplinary case, in the order they are tried: trigger, sources, target;
#: then the guards and the basis, named as :func:`~._decision.discipline_pieces` builds them
#: under a ruleset. ``when``: only in the member workflow (``members``) or the organisation
#: workflow (``organisations``), or where the ruleset lets a decision take effect on announcing
#: the vote (``vote_announcement``).
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_MOVES: tuple[Move[MemberDisciplineState, MemberDisciplineTrigger], ...] = (
    Move(T.HEAR_SUBJECT, S.OPENED, S.SUBJECT_HEARD,
         basis="heard"),
    Move(T.HOLD_VOTE, S.SUBJECT_HEARD, S.VOTED,
         ("may_decide_or_propose", "vote_carries", "subject_not_voting"), "vote", when="members"),
    Move(T.HOLD_VOTE, S.SUBJECT_HEARD, S.VOTED,
         ("may_decide_or_propose", "vote_carries"), "vote", when="organisations"),
    Move(T.CLOSE_WITHOUT_DISCIPLINE, (S.SUBJECT_HEARD, S.PROPOSED_TO_HIGHER), S.NOT_DISCIPLINED,
         ("reason_given", "no_step_down_instead_of_removal"), when="members"),
    Move(T.CLOSE_WITHOUT_DISCIPLINE, (S.SUBJECT_HEARD, S.PROPOSED_TO_HIGHER), S.NOT_DISCIPLINED,
         ("reason_given",), when="organisations"),
    Move(T.DECIDE, S.VOTED, S.DECIDED,
         ("may_decide", "decision_vote_of_last_step", "expulsion_proposal", "not_time_barred"),
         "vote", when="members"),
    Move(T.DECIDE, S.VOTED, S.DECIDED,
         ("may_decide", "decision_vote_of_last_step", "not_time_barred"),
         "vote", when="organisations"),
    Move(T.DECIDE, S.PROPOSED_TO_HIGHER, S.DECIDED,
         ("may_decide", "decision_vote", "subject_not_voting", "expulsion_proposal",
          "not_time_barred"), "vote", when="members"),
    Move(T.DECIDE, S.PROPOSED_TO_HIGHER, S.DECIDED,
         ("may_decide", "decision_vote", "not_time_barred"), "vote", when="organisations"),
    # a partial committee forwards a cell's proposal about a member (QĐ 22 Điều 11)
    Move(T.PROPOSE_TO_HIGHER, _BEFORE_DECISION, S.PROPOSED_TO_HIGHER,
         ("may_propose",), "authority", when="members"),
    Move(T.PROPOSE_TO_HIGHER, S.VOTED, S.PROPOSED_TO_HIGHER,
         ("may_propose",), "authority", when="organisations"),
    Move(T.DISMISS_AS_TIME_BARRED, _BEFORE_DECISION, S.TIME_BARRED,
         ("time_barred",), "limitation"),
    # the decision once taken
    Move(T.APPROVE_DECISION, S.DECIDED, S.DECIDED,
         ("higher_body",), "review"),
    Move(T.SIGN_DECISION, S.DECIDED, S.IN_EFFECT,
         ("takes_effect_on_signing", "approved_if_needed"), "takes_effect_on_signing"),
    Move(T.ANNOUNCE_DECISION, S.IN_EFFECT, S.ANNOUNCED,
         basis="complaint_window"),
    Move(T.RECORD_ADMINISTRATIVE_FOLLOW_UP, S.DECIDED, S.DECIDED,
         ("action_given",), "administrative_follow_up"),
    Move(T.RECORD_ADMINISTRATIVE_FOLLOW_UP, S.IN_EFFECT, S.IN_EFFECT,
         ("action_given",), "administrative_follow_up"),
    Move(T.RECORD_ADMINISTRATIVE_FOLLOW_UP, S.ANNOUNCED, S.ANNOUNCED,
         ("action_given",), "administrative_follow_up"),
    Move(T.RECORD_ADMINISTRATIVE_FOLLOW_UP, S.UNDER_COMPLAINT, S.UNDER_COMPLAINT,
         ("action_given",), "administrative_follow_up"),
    Move(T.RECORD_ADMINISTRATIVE_FOLLOW_UP, S.IN_FORCE, S.IN_FORCE,
         ("action_given",), "administrative_follow_up"),
    Move(T.RECORD_ADMINISTRATIVE_FOLLOW_UP, S.IN_FORCE_PERMANENTLY, S.IN_FORCE_PERMANENTLY,
         ("action_given",), "administrative_follow_up"),
    Move(T.RECEIVE_COMPLAINT, (S.ANNOUNCED, *_IN_FORCE, S.IN_FORCE_PERMANENTLY), S.UNDER_COMPLAINT,
         basis="in_force_during_complaint"),
    Move(T.CLOSE_COMPLAINT_WINDOW, S.ANNOUNCED, S.IN_FORCE_PERMANENTLY,
         ("window_passed", "measure_never_ends"), "complaint_window"),
    Move(T.CLOSE_COMPLAINT_WINDOW, S.ANNOUNCED, S.IN_FORCE,
         ("window_passed", "measure_can_end"), "complaint_window"),
    Move(T.DISMISS_COMPLAINT, S.UNDER_COMPLAINT, S.IN_FORCE_PERMANENTLY,
         ("measure_never_ends",), "in_force_during_complaint"),
    Move(T.DISMISS_COMPLAINT, S.UNDER_COMPLAINT, S.IN_FORCE,
         ("measure_can_end",), "in_force_during_complaint"),
    Move(T.RECORD_COMPLAINT_RULING, S.UNDER_COMPLAINT, S.IN_FORCE_PERMANENTLY,
         ("ruling_outcome", "higher_body_ruling", "measure_never_ends"), "ruling"),
    Move(T.RECORD_COMPLAINT_RULING, S.UNDER_COMPLAINT, S.IN_FORCE_AFTER_REVIEW,
         ("ruling_outcome", "higher_body_ruling", "measure_can_end"), "ruling"),
    Move(T.CHANGE_DECISION, S.IN_FORCE, S.IN_FORCE_PERMANENTLY,
         ("measure_given", "higher_body", "may_decide_on_review", "measure_never_ends"), "review"),
    Move(T.CHANGE_DECISION, S.IN_FORCE, S.IN_FORCE_AFTER_REVIEW,
         ("measure_given", "higher_body", "may_decide_on_review", "measure_can_end"), "review"),
    Move(T.CHANGE_DECISION, S.IN_FORCE_AFTER_REVIEW, S.IN_FORCE_PERMANENTLY,
         ("measure_given", "higher_body", "may_decide_on_review", "measure_never_ends"), "review"),
    Move(T.CHANGE_DECISION, S.IN_FORCE_AFTER_REVIEW, S.IN_FORCE_AFTER_REVIEW,
         ("measure_given", "higher_body", "may_decide_on_review", "measure_can_end"), "review"),
    Move(T.CHANGE_DECISION, S.IN_FORCE_PERMANENTLY, S.IN_FORCE_PERMANENTLY,
         ("measure_given", "higher_body", "may_decide_on_review", "measure_never_ends"), "review"),
    Move(T.CHANGE_DECISION, S.IN_FORCE_PERMANENTLY, S.IN_FORCE_AFTER_REVIEW,
         ("measure_given", "higher_body", "may_decide_on_review", "measure_can_end"), "review"),
    Move(T.ANNUL_DECISION,
         (S.ANNOUNCED, S.UNDER_COMPLAINT, *_IN_FORCE, S.IN_FORCE_PERMANENTLY), S.ANNULLED,
         ("reason_given", "higher_body"), "annulment"),
    Move(T.RECORD_NEW_VIOLATION, _IN_FORCE, S.KEPT_IN_FORCE,
         ("new_violation_given",), "end_of_effect"),
    Move(T.END_EFFECT, _IN_FORCE, S.EFFECT_ENDED,
         ("measure_can_end", "effect_period_over"), "end_of_effect"),
    # last of the decision's moves: where it is left out, the others keep their numbers
    Move(T.ANNOUNCE_VOTE_RESULT, S.DECIDED, S.IN_EFFECT,
         ("takes_effect_on_vote_announced", "approved_if_needed"),
         "takes_effect_on_vote_announced", when="vote_announcement"),
    # deferral (members only: its reasons are personal)
    Move(T.DEFER, (S.OPENED, S.SUBJECT_HEARD), S.DEFERRED,
         ("deferral_reason",), "deferral", when="members"),
    Move(T.RESUME, S.DEFERRED, S.OPENED,
         basis="deferral", when="members"),
)
# fmt: on

_MEMBER_MOVES = moves_for(
    "member_discipline", S, T, _MOVES, {"members": True, "organisations": False}
)
_ORGANISATION_MOVES = moves_for(
    "organisation_discipline",
    OrganisationDisciplineState,
    OrganisationDisciplineTrigger,
    _MOVES,
    {"members": False, "organisations": True},
)
_ORGANISATION_LABELS = labels_for(
    "organisation_discipline",
    OrganisationDisciplineState,
    OrganisationDisciplineTrigger,
    _LABELS,
    S,
    T,
)


def _deadline_rules(
    ruleset: Ruleset,
    states: type[MemberDisciplineState] | type[OrganisationDisciplineState],
    triggers: type[MemberDisciplineTrigger] | type[OrganisationDisciplineTrigger],
) -> tuple[DeadlineRule, ...]:
    """The deadlines of a disciplinary case under ``ruleset``: administrative follow-up from
    ``DECIDE``, the complaint window and the twelve months from ``ANNOUNCE_DECISION``, the
    twelve months again from a ruling or a change (QĐ 69 Điều 2 khoản 5). The twelve months
    pause while a complaint is pending and end with no roll-forward: their last day is the last
    day in effect. Written in either workflow's enums (both have every member it names)."""
    follow_up = ruleset.rule("administrative_follow_up_period")
    window = ruleset.rule("complaint_window")
    effect = ruleset.rule("end_of_effect_period")
    no_roll = CIVIL_CODE.but(roll_forward=False)
    ending = {
        triggers.RECORD_NEW_VIOLATION,
        triggers.END_EFFECT,
        states.IN_FORCE_PERMANENTLY,
        states.ANNULLED,
    }
    return (
        DeadlineRule(
            "administrative_follow_up",
            ruleset.period(follow_up.key),
            starts_on_trigger=triggers.DECIDE,
            met_by={triggers.RECORD_ADMINISTRATIVE_FOLLOW_UP},
            cancelled_by={states.ANNULLED},
            citation=follow_up.citation,
            label_en="Direct or propose administrative follow-up",
            label_vi="Chỉ đạo hoặc đề nghị xử lý kỷ luật hành chính",
        ),
        DeadlineRule(
            "complaint_window",
            ruleset.period(window.key),
            starts_on_trigger=triggers.ANNOUNCE_DECISION,
            start_date_key="received_on",
            met_by={triggers.RECEIVE_COMPLAINT},
            cancelled_by={triggers.CLOSE_COMPLAINT_WINDOW, states.ANNULLED},
            on_miss=triggers.CLOSE_COMPLAINT_WINDOW,
            citation=window.citation,
            label_en="Window to complain about the decision",
            label_vi="Thời hạn khiếu nại quyết định kỷ luật",
        ),
        DeadlineRule(
            "end_of_effect",
            ruleset.period(effect.key),
            starts_on_trigger=triggers.ANNOUNCE_DECISION,
            cancelled_by={*ending, triggers.RECORD_COMPLAINT_RULING, triggers.CHANGE_DECISION},
            paused_by={triggers.RECEIVE_COMPLAINT},
            resumed_by={triggers.DISMISS_COMPLAINT},
            on_miss=triggers.END_EFFECT,
            convention=no_roll,
            citation=effect.citation,
            label_en="Automatic end of effect",
            label_vi="Đương nhiên chấm dứt hiệu lực",
        ),
        DeadlineRule(
            "end_of_effect_after_review",
            ruleset.period(effect.key),
            starts_on_enter=states.IN_FORCE_AFTER_REVIEW,
            cancelled_by=ending,
            paused_by={triggers.RECEIVE_COMPLAINT},
            resumed_by={triggers.DISMISS_COMPLAINT},
            on_miss=triggers.END_EFFECT,
            convention=no_roll,
            citation=effect.citation,
            label_en="Automatic end of effect after a ruling or change",
            label_vi="Đương nhiên chấm dứt hiệu lực sau giải quyết khiếu nại",
        ),
    )


def _workflow(
    ruleset: Ruleset,
    states: type[MemberDisciplineState] | type[OrganisationDisciplineState],
    triggers: type[MemberDisciplineTrigger] | type[OrganisationDisciplineTrigger],
    moves: tuple[Move[Any, Any], ...],
    labels: Mapping[enum.Enum, Label],
) -> Workflow[Any, Any]:
    """The discipline workflow of ``states`` and ``triggers`` under ``ruleset``."""
    for_members = states is MemberDisciplineState
    name = "member_discipline" if for_members else "organisation_discipline"
    subject = "a member" if for_members else "a party organisation"
    pieces = discipline_pieces(ruleset, for_members=for_members)
    return Workflow(
        name=name,
        version=ruleset.name,
        states=states,
        triggers=triggers,
        initial=states.OPENED,
        terminal={
            states.NOT_DISCIPLINED,
            states.TIME_BARRED,
            states.EFFECT_ENDED,
            states.KEPT_IN_FORCE,
            states.ANNULLED,
        },
        transitions=transitions(name, moves, pieces),
        deadline_rules=_deadline_rules(ruleset, states, triggers),
        labels=labels,
        citations=tuple(dict.fromkeys(pieces.citations.values())),
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
    return _workflow(
        ruleset, MemberDisciplineState, MemberDisciplineTrigger, _MEMBER_MOVES, _LABELS
    )


def organisation_discipline(
    ruleset: Ruleset,
) -> Workflow[OrganisationDisciplineState, OrganisationDisciplineTrigger]:
    """The disciplinary decision about a party organisation under ``ruleset``."""
    return _workflow(
        ruleset,
        OrganisationDisciplineState,
        OrganisationDisciplineTrigger,
        _ORGANISATION_MOVES,
        _ORGANISATION_LABELS,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The discipline workflows under ``ruleset`` (the process registry calls this)."""
    return [member_discipline(ruleset), organisation_discipline(ruleset)]
