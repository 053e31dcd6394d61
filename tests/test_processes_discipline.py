"""The disciplinary decision workflows (``discipline_flow.processes.discipline``).

Every date below is worked out by hand from the rule cited next to it, with the holidays of
``shared/domain/calendar.md`` (2025: 27-31/1, 7/4, 30/4, 1/5, 2/5 off and Sat 26/4 worked,
1-2/9; 2026: 1-2/1 off and Sat 10/1 worked, 16-20/2, 27/4, 30/4, 1/5, 31/8, 1-2/9, 24/11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Citation, Level, Member, Organisation, RuleStatus
from discipline_flow.errors import DisciplineFlowError, InputError, TransitionRefused
from discipline_flow.processes import guards as g
from discipline_flow.processes.discipline import (
    EFFECT_TIMINGS,
    MemberDisciplineState,
    member_discipline,
    open_complaint,
    organisation_discipline,
    workflows,
)
from discipline_flow.rules import Measure, VoteStage, VoteTally, select_ruleset
from discipline_flow.testing import CaseFactory, Path, Scenario, StepInput, covering_paths
from discipline_flow.testing.paths import PathStep
from discipline_flow.workflow import GuardContext, Workflow
from helpers import RULESETS, TZ, at

CELL = Body(BodyKind.PARTY_CELL, "cell-7")
CELL_EXECUTIVE = Body(BodyKind.CELL_EXECUTIVE, "chi-uy-7")
PARTIAL = Body(BodyKind.PARTIAL_COMMITTEE, "dubp-1")
GRASSROOTS = Body(BodyKind.GRASSROOTS_COMMITTEE, "dy-1")
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
PROVINCIAL_COMMITTEE = Body(BodyKind.COMMITTEE, "tu-1", Level.PROVINCIAL)
PROVINCIAL_STANDING = Body(BodyKind.STANDING_COMMITTEE, "btv-t", Level.PROVINCIAL)
DISTRICT_STANDING = Body(BodyKind.STANDING_COMMITTEE, "btv-h", Level.DISTRICT)
CENTRAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
CENTRAL_COMMITTEE = Body(BodyKind.CENTRAL_COMMITTEE, "bchtw")
SECRETARIAT = Body(BodyKind.SECRETARIAT, "bbt")
MEMBER = Member("m-1", cell_id="cell-7")
CELL_ORG = Organisation("chi-bo-3", Level.GRASSROOTS, parent_id="dy-1")
PROVINCE_ORG = Organisation("dang-bo-tinh", Level.PROVINCIAL)


def vote(
    eligible: int = 9,
    in_favour: int = 7,
    *,
    stage: VoteStage = VoteStage.DECISION,
    voters: tuple[str, ...] = (),
    secret: bool = False,
) -> dict[str, Any]:
    """A vote tally as a payload: the rest of the members vote against."""
    return VoteTally(
        eligible,
        in_favour,
        (len(voters) or eligible) - in_favour,
        0,
        voter_ids=set(voters),
        stage=stage,
        is_secret_ballot=secret,
    ).to_payload()


def refused_by(case: Case[Any, Any], trigger: str, **kwargs: Any) -> set[str]:
    """The names of the guards that refuse ``trigger`` (the case is unchanged)."""
    before = case.version
    with pytest.raises(TransitionRefused) as info:
        case.fire(trigger, **kwargs)
    assert case.version == before
    return {f.guard for f in info.value.failures}


def decided_by_cell(
    on: pendulum.DateTime, *, measure: str = "warning", violation_on: str = "2025-01-10"
) -> Case[Any, Any]:
    """A member case decided by the cell on ``on`` (heard the day before)."""
    wf = member_discipline(select_ruleset(on.date()))
    case = wf.open(
        MEMBER,
        at=on.subtract(days=2),
        actor=CELL,
        case_id="KL-1",
        payload={"violation_on": violation_on},
    )
    case.fire("HEAR_SUBJECT", at=on.subtract(days=1), actor=CELL)
    case.fire("HOLD_VOTE", at=on, actor=CELL, payload={"measure": measure, "vote": vote()})
    case.fire("DECIDE", at=on, actor=CELL)
    return case


def announced_by_commission(
    on: pendulum.DateTime,
    *,
    measure: str = "warning",
    subject: Member = MEMBER,
    received_on: str | None = None,
) -> Case[Any, Any]:
    """A member case decided by the provincial inspection commission and announced on ``on``."""
    wf = member_discipline(select_ruleset(on.date()))
    start = on.subtract(days=10)
    case = wf.open(subject, at=start, actor=PROVINCIAL_UBKT, payload={"violation_on": "2024-12-01"})
    case.fire("HEAR_SUBJECT", at=start.add(days=1), actor=PROVINCIAL_UBKT)
    payload: dict[str, Any] = {"measure": measure, "vote": vote()}
    if measure == "expulsion":
        payload["proposal_vote"] = vote(9, 6, stage=VoteStage.PROPOSAL)
    case.fire("HOLD_VOTE", at=start.add(days=2), actor=PROVINCIAL_UBKT, payload=payload)
    case.fire("DECIDE", at=start.add(days=2), actor=PROVINCIAL_UBKT)
    case.fire("SIGN_DECISION", at=start.add(days=3), actor=PROVINCIAL_UBKT)
    announce = {"received_on": received_on} if received_on else {}
    case.fire("ANNOUNCE_DECISION", at=on, actor=PROVINCIAL_UBKT, payload=announce)
    return case


# ---------------------------------------------------------------------------- definitions


@pytest.mark.parametrize("name", sorted(RULESETS))
def test_workflows_are_versioned_by_ruleset(name: str) -> None:
    built = workflows(RULESETS[name])
    assert [(w.name, w.version, w.ruleset) for w in built] == [
        ("member_discipline", name, name),
        ("organisation_discipline", name, name),
    ]
    for workflow in built:
        missing = [
            m.name
            for m in (*workflow.all_states, *workflow.all_triggers)
            if m not in workflow.labels
        ]
        assert missing == []
        assert all(label.en and label.vi for label in workflow.labels.values())
        assert workflow.label is not None
        assert workflow.label.vi
        assert workflow.citations


def test_organisation_workflow_leaves_out_the_cell_vote_announcement() -> None:
    # Party cells never discipline organisations in the built-in matrix (QĐ 296 Điều 11): the
    # move by which a cell's decision takes effect would be unusable, so it is left out.
    rules = RULESETS["2025-07"]
    org = organisation_discipline(rules)
    member = member_discipline(rules)
    assert "ANNOUNCE_VOTE_RESULT" not in {t.name for t in org.available(org.states.DECIDED)}
    assert "ANNOUNCE_VOTE_RESULT" in {
        t.name for t in member.available(MemberDisciplineState.DECIDED)
    }
    everyone = rules.override(
        "decision_takes_effect", "on_vote_announced", source="test", reason="test"
    )
    org_everyone = organisation_discipline(everyone)
    assert "ANNOUNCE_VOTE_RESULT" in {
        t.name for t in org_everyone.available(org_everyone.states.DECIDED)
    }


def test_an_unknown_effect_timing_is_refused_when_built() -> None:
    rules = RULESETS["2026"].override(
        "decision_takes_effect", "on_publication", source="test", reason="test"
    )
    with pytest.raises(DisciplineFlowError, match="on_vote_announced, on_signing"):
        member_discipline(rules)


# ---------------------------------------------------------------------------- happy paths


def test_cell_warning_happy_path_with_deadlines() -> None:
    # Ruleset 2025-07 (QĐ 296 + QĐ 294). Decided Fri 5/9/2025 by the cell.
    case = decided_by_cell(at(2025, 9, 5))
    # QĐ 296 Điều 8 mục 5: 5 days from the decision, 5/9 not counted -> Wed 10/9/2025.
    assert case.deadline("administrative_follow_up").due_on == dt.date(2025, 9, 10)
    # QĐ 296 Điều 15 khoản 2: a cell's decision takes effect on announcing the vote result.
    assert refused_by(case, "SIGN_DECISION", at=at(2025, 9, 5), actor=CELL) == {
        "takes_effect_on_signing"
    }
    case.fire("ANNOUNCE_VOTE_RESULT", at=at(2025, 9, 5, 10), actor=CELL)
    case.fire(
        "RECORD_ADMINISTRATIVE_FOLLOW_UP",
        at=at(2025, 9, 8),
        actor=CELL,
        payload={"action": "proposed the agency reprimand the member"},
    )
    assert case.deadline("administrative_follow_up").met_at == at(2025, 9, 8)
    case.fire("ANNOUNCE_DECISION", at=at(2025, 9, 8, 15), actor=CELL)
    assert case.state.name == "ANNOUNCED"
    # Charter Điều 39 khoản 7 (30 working days, official gloss) from Mon 8/9/2025: 9-12/9 (4),
    # 15-19 (9), 22-26 (14), 29-30 (16), 1-3/10 (19), 6-10 (24), 13-17 (29), Mon 20/10 (30).
    assert case.deadline("complaint_window").due_on == dt.date(2025, 10, 20)
    # QĐ 69 Điều 2 khoản 5: 12 months from the announcement, last day in effect 8/9/2026.
    assert case.deadline("end_of_effect").due_on == dt.date(2026, 9, 8)


@pytest.mark.parametrize(
    ("announced", "received_on", "due_on"),
    [
        # Charter Điều 39 khoản 7 gloss, 30 working days (ruleset 2022). Fri 25/4/2025: Sat 26/4
        # is worked (1), 28-29/4 (3), 30/4-2/5 off, 5-9/5 (8), 12-16 (13), 19-23 (18), 26-30 (23),
        # 2-6/6 (28), 9/6 (29), Tue 10/6/2025 (30).
        pytest.param(at(2025, 4, 25), None, dt.date(2025, 6, 10), id="charter-39-7-april-2025"),
        # Same rule, counted from the day the subject received it (Mon 8/9/2025), announced 10/9.
        pytest.param(at(2025, 9, 10), "2025-09-08", dt.date(2025, 10, 20), id="received-on"),
        # Same rule over Tết 2026 (16-20/2 off). Mon 26/1/2026: 27-30/1 (4), 2-6/2 (9), 9-13/2
        # (14), 23-27/2 (19), 2-6/3 (24), 9-13/3 (29), Mon 16/3/2026 (30).
        pytest.param(at(2026, 1, 26), None, dt.date(2026, 3, 16), id="charter-39-7-tet-2026"),
    ],
)
def test_complaint_window_table(
    announced: pendulum.DateTime, received_on: str | None, due_on: dt.date
) -> None:
    case = announced_by_commission(announced, received_on=received_on)
    assert case.deadline("complaint_window").due_on == due_on
    assert case.deadline("complaint_window").citation.status is RuleStatus.VERIFIED


@pytest.mark.parametrize(
    ("decided", "due_on"),
    [
        # QĐ 296 Điều 8 mục 5 (5 days; ruleset 2022 carries it as assumed). Fri 25/4/2025 + 5 =
        # Wed 30/4, a holiday; 1/5 holiday, 2/5 off, 3-4/5 weekend: rolls to Mon 5/5/2025.
        pytest.param(at(2025, 4, 25), dt.date(2025, 5, 5), id="qd296-8-5-rolls-over-30-4"),
        # Same rule: Fri 5/9/2025 + 5 = Wed 10/9/2025, a working day.
        pytest.param(at(2025, 9, 5), dt.date(2025, 9, 10), id="qd296-8-5-september"),
        # Same rule: Thu 12/2/2026 + 5 = Tue 17/2, Tết (16-20/2 off) -> Mon 23/2/2026.
        pytest.param(at(2026, 2, 12), dt.date(2026, 2, 23), id="qd296-8-5-tet-2026"),
    ],
)
def test_administrative_follow_up_table(decided: pendulum.DateTime, due_on: dt.date) -> None:
    case = decided_by_cell(decided)
    assert case.deadline("administrative_follow_up").due_on == due_on


@pytest.mark.parametrize(
    ("announced", "due_on"),
    [
        # QĐ 69 Điều 2 khoản 5: 12 months; Civil Code art. 148 month-end clamp; no roll-forward.
        # 29/2/2024 + 12 months: no 29/2/2025, so the last day of February.
        pytest.param(at(2024, 2, 29), dt.date(2025, 2, 28), id="qd69-2-5-leap-day"),
        # Fri 25/4/2025 + 12 months = Sat 25/4/2026: the last day in effect; with roll-forward it
        # would be Tue 28/4 (Sun 26/4 Giỗ Tổ, Mon 27/4 its day off in lieu).
        pytest.param(at(2025, 4, 25), dt.date(2026, 4, 25), id="qd69-2-5-no-roll-forward"),
    ],
)
def test_end_of_effect_table(announced: pendulum.DateTime, due_on: dt.date) -> None:
    case = announced_by_commission(announced)
    assert case.deadline("end_of_effect").due_on == due_on


def test_effect_ends_after_twelve_months_through_the_sweep() -> None:
    # QĐ 69 Điều 2 khoản 5: announced Mon 8/9/2025, in effect to the end of Tue 8/9/2026.
    case = announced_by_commission(at(2025, 9, 8))
    wf = case.workflow
    s = Scenario(wf, name="end of effect").given(case=case)
    s.clock.set(at(2025, 10, 21))  # the complaint window ended on 20/10/2025
    s.sweep().then(state="IN_FORCE", deadlines={"complaint_window": "cancelled"})
    s.when("END_EFFECT", actor=PROVINCIAL_UBKT).then(refused={"effect_period_over"})
    s.clock.set(at(2026, 9, 8, 23))
    s.then(deadlines={"end_of_effect": {"due_on": "2026-09-08", "status": "due_soon"}})
    s.clock.set(at(2026, 9, 9, 0))
    s.sweep().then(state="EFFECT_ENDED", deadlines={"end_of_effect": "cancelled"})


def test_expulsion_stays_in_force_permanently() -> None:
    # QĐ 69 Điều 2 khoản 5: never for expulsion. Proposal 6 of 9 = 2/3 (QĐ 22 Điều 15 k.3.1).
    case = announced_by_commission(at(2025, 9, 8), measure="expulsion")
    assert refused_by(
        case, "CLOSE_COMPLAINT_WINDOW", at=at(2025, 10, 20, 23), actor=Body(BodyKind.SYSTEM, "s")
    ) >= {"window_passed"}
    case.fire("CLOSE_COMPLAINT_WINDOW", at=at(2025, 10, 21), actor=Body(BodyKind.SYSTEM, "s"))
    assert case.state.name == "IN_FORCE_PERMANENTLY"
    assert case.deadline("end_of_effect").cancelled_at == at(2025, 10, 21)
    assert [d.rule for d in case.open_deadlines()] == ["administrative_follow_up"]


# ---------------------------------------------------------------------------- proposals, votes


def test_cell_proposes_expulsion_and_the_district_standing_committee_decides() -> None:
    # Ruleset 2025 (30/5-30/6/2025: QĐ 296 with the district level). QĐ 22 Điều 11: the district
    # standing committee expels members of a grassroots cell on the cell's proposal.
    day = at(2025, 6, 10)
    wf = member_discipline(select_ruleset(day.date()))
    case = wf.open(MEMBER, at=day, actor=CELL, payload={"violation_on": "2025-02-01"})
    case.fire("HEAR_SUBJECT", at=day, actor=CELL)
    # 5 of 9 is less than 2/3: the proposal of expulsion does not carry.
    assert refused_by(
        case,
        "HOLD_VOTE",
        at=day,
        actor=CELL,
        payload={"measure": "expulsion", "vote": vote(9, 5, stage=VoteStage.PROPOSAL)},
    ) == {"vote"}
    case.fire(
        "HOLD_VOTE",
        at=day,
        actor=CELL,
        payload={"measure": "expulsion", "vote": vote(9, 6, stage=VoteStage.PROPOSAL)},
    )
    assert refused_by(case, "DECIDE", at=day, actor=CELL) >= {"authority"}
    case.fire("PROPOSE_TO_HIGHER", at=day, actor=CELL)
    # The partial committee reviews and forwards the proposal (QĐ 22 Điều 11).
    case.fire("PROPOSE_TO_HIGHER", at=day.add(days=1), actor=PARTIAL)
    # 5 of 10 is not more than half (QĐ 22 Điều 15 khoản 3.1).
    assert refused_by(
        case, "DECIDE", at=day.add(days=5), actor=DISTRICT_STANDING, payload={"vote": vote(10, 5)}
    ) == {"vote"}
    case.fire("DECIDE", at=day.add(days=5), actor=DISTRICT_STANDING, payload={"vote": vote(10, 6)})
    assert case.state.name == "DECIDED"
    # The same committee on 1/7/2025 no longer exists (QĐ 294-QĐ/TW).
    after = member_discipline(select_ruleset(dt.date(2025, 7, 1)))
    later = after.open(
        MEMBER, at=at(2025, 7, 1), actor=CELL, payload={"violation_on": "2025-02-01"}
    )
    later.fire("HEAR_SUBJECT", at=at(2025, 7, 1), actor=CELL)
    later.fire(
        "HOLD_VOTE",
        at=at(2025, 7, 1),
        actor=CELL,
        payload={"measure": "expulsion", "vote": vote(9, 6, stage=VoteStage.PROPOSAL)},
    )
    later.fire("PROPOSE_TO_HIGHER", at=at(2025, 7, 1), actor=CELL)
    with pytest.raises(TransitionRefused, match="district level no longer exists"):
        later.fire("DECIDE", at=at(2025, 7, 2), actor=DISTRICT_STANDING, payload={"vote": vote()})


def test_expulsion_needs_the_cells_two_thirds_proposal() -> None:
    # QĐ 22 Điều 15 khoản 3.1: at least 2/3 of the cell's full members propose expulsion.
    day = at(2025, 9, 15)
    wf = member_discipline(select_ruleset(day.date()))
    case = wf.open(MEMBER, at=day, actor=PROVINCIAL_UBKT, payload={"violation_on": "2025-02-01"})
    case.fire("HEAR_SUBJECT", at=day, actor=PROVINCIAL_UBKT)
    case.fire(
        "HOLD_VOTE", at=day, actor=PROVINCIAL_UBKT, payload={"measure": "expulsion", "vote": vote()}
    )
    assert refused_by(case, "DECIDE", at=day, actor=PROVINCIAL_UBKT) == {"expulsion_proposal"}
    assert refused_by(
        case,
        "DECIDE",
        at=day,
        actor=PROVINCIAL_UBKT,
        payload={"proposal_vote": vote(9, 5, stage=VoteStage.PROPOSAL)},
    ) == {"expulsion_proposal"}
    case.fire(
        "DECIDE",
        at=day,
        actor=PROVINCIAL_UBKT,
        payload={"proposal_vote": vote(9, 6, stage=VoteStage.PROPOSAL)},
    )
    assert case.state.name == "DECIDED"


def test_a_task_assigned_by_a_higher_level_makes_the_cell_propose() -> None:
    # QĐ 296 Điều 10 mục 1.4: for tasks assigned by higher levels the cell only proposes.
    day = at(2025, 9, 15)
    wf = member_discipline(select_ruleset(day.date()))
    case = wf.open(MEMBER, at=day, actor=CELL, payload={"violation_on": "2025-02-01"})
    case.fire("HEAR_SUBJECT", at=day, actor=CELL)
    case.fire(
        "HOLD_VOTE",
        at=day,
        actor=CELL,
        payload={"measure": "reprimand", "vote": vote(), "higher_assigned_task": True},
    )
    reasons = refused_by(case, "DECIDE", at=day, actor=CELL)
    assert reasons == {"authority"}
    with pytest.raises(TransitionRefused, match=r"Điều 10 mục 1\.4"):
        case.fire("DECIDE", at=day, actor=CELL)
    case.fire("PROPOSE_TO_HIGHER", at=day, actor=CELL)
    # A body that may decide does not propose (it decides).
    assert refused_by(case, "PROPOSE_TO_HIGHER", at=day, actor=PROVINCIAL_UBKT) == {
        "proposal_authority"
    }
    case.fire(
        "CLOSE_WITHOUT_DISCIPLINE",
        at=day.add(days=3),
        actor=PROVINCIAL_UBKT,
        payload={"reason": "no violation"},
    )
    assert case.state.name == "NOT_DISCIPLINED"


def test_votes_are_judged_against_the_ruleset() -> None:
    day = at(2025, 9, 15)
    wf = member_discipline(select_ruleset(day.date()))
    case = wf.open(MEMBER, at=day, actor=CELL, payload={"violation_on": "2025-02-01"})
    case.fire("HEAR_SUBJECT", at=day, actor=CELL)
    # The subject among the voters (subject_excluded_from_vote, assumed).
    voters = (*(f"v{i}" for i in range(8)), "m-1")
    assert refused_by(
        case,
        "HOLD_VOTE",
        at=day,
        actor=CELL,
        payload={"measure": "warning", "vote": vote(9, 7, voters=voters)},
    ) == {"subject_not_voting"}
    # A cell executive cannot discipline (QĐ 296; R-28300988406 Q26).
    assert refused_by(
        case,
        "HOLD_VOTE",
        at=day,
        actor=CELL_EXECUTIVE,
        payload={"measure": "warning", "vote": vote()},
    ) == {"authority"}
    # No measure and no tally: both named.
    assert refused_by(case, "HOLD_VOTE", at=day, actor=CELL) == {"authority", "vote"}
    # A malformed tally is a refusal, not a crash.
    with pytest.raises(TransitionRefused, match="eligible"):
        case.fire("HOLD_VOTE", at=day, actor=CELL, payload={"measure": "warning", "vote": {"x": 1}})
    # A probationary member is only reprimanded or warned (Charter Điều 35).
    probationary = wf.open(Member("m-9", is_probationary=True), at=day, actor=PROVINCIAL_UBKT)
    probationary.fire("HEAR_SUBJECT", at=day, actor=PROVINCIAL_UBKT)
    with pytest.raises(TransitionRefused, match="probationary member may only"):
        probationary.fire(
            "HOLD_VOTE",
            at=day,
            actor=PROVINCIAL_UBKT,
            payload={"measure": "expulsion", "vote": vote()},
        )


def test_the_central_committee_votes_by_secret_ballot() -> None:
    # QĐ 22 Điều 22 (P-lawnet-102305): the Central Committee votes on discipline by secret ballot.
    day = at(2025, 9, 15)
    wf = member_discipline(select_ruleset(day.date()))
    cc_member = Member("ucv-1", committee_level=Level.CENTRAL)
    case = wf.open(
        cc_member, at=day, actor=CENTRAL_COMMITTEE, payload={"violation_on": "2025-01-01"}
    )
    case.fire("HEAR_SUBJECT", at=day, actor=CENTRAL_COMMITTEE)
    with pytest.raises(TransitionRefused, match="secret ballot"):
        case.fire(
            "HOLD_VOTE",
            at=day,
            actor=CENTRAL_COMMITTEE,
            payload={"measure": "warning", "vote": vote(180, 150)},
        )
    case.fire(
        "HOLD_VOTE",
        at=day,
        actor=CENTRAL_COMMITTEE,
        payload={"measure": "warning", "vote": vote(180, 150, secret=True)},
    )
    case.fire("DECIDE", at=day, actor=CENTRAL_COMMITTEE)
    case.fire("SIGN_DECISION", at=day, actor=CENTRAL_COMMITTEE)
    assert case.state.name == "IN_EFFECT"


# ---------------------------------------------------------------------------- limitation, deferral


@pytest.mark.parametrize(
    ("measure", "violation_on", "decided", "barred"),
    [
        # QĐ 69 Điều 4: warning-level 10 years; violation 4/9/2015 expires at the end of
        # 4/9/2025 (no roll-forward): time-barred on 5/9/2025.
        pytest.param("warning", "2015-09-04", at(2025, 9, 5), True, id="qd69-4-warning-barred"),
        # Same rule: violation 5/9/2015 expires 5/9/2025: on that day not yet barred.
        pytest.param("warning", "2015-09-05", at(2025, 9, 5), False, id="qd69-4-warning-last-day"),
        # QĐ 69 Điều 4: reprimand-level 5 years; 4/9/2020 -> barred on 5/9/2025.
        pytest.param("reprimand", "2020-09-04", at(2025, 9, 5), True, id="qd69-4-reprimand"),
        # QĐ 69 Điều 4 khoản 2: no limitation for violations warranting expulsion.
        pytest.param("expulsion", "2001-01-01", at(2025, 9, 5), False, id="qd69-4-2-expulsion"),
    ],
)
def test_limitation_table(
    measure: str, violation_on: str, decided: pendulum.DateTime, barred: bool
) -> None:
    wf = member_discipline(select_ruleset(decided.date()))
    case = wf.open(
        MEMBER, at=decided, actor=PROVINCIAL_UBKT, payload={"violation_on": violation_on}
    )
    case.fire("HEAR_SUBJECT", at=decided, actor=PROVINCIAL_UBKT)
    payload: dict[str, Any] = {"measure": measure, "vote": vote()}
    if measure == "expulsion":
        payload["proposal_vote"] = vote(9, 6, stage=VoteStage.PROPOSAL)
    case.fire("HOLD_VOTE", at=decided, actor=PROVINCIAL_UBKT, payload=payload)
    if barred:
        assert refused_by(case, "DECIDE", at=decided, actor=PROVINCIAL_UBKT) == {"not_time_barred"}
        case.fire("DISMISS_AS_TIME_BARRED", at=decided, actor=PROVINCIAL_UBKT)
        assert case.state.name == "TIME_BARRED"
    else:
        assert refused_by(case, "DISMISS_AS_TIME_BARRED", at=decided, actor=PROVINCIAL_UBKT) == {
            "time_barred"
        }
        case.fire("DECIDE", at=decided, actor=PROVINCIAL_UBKT)
        assert case.state.name == "DECIDED"


def test_deferral_is_not_counted_in_the_limitation_period() -> None:
    # Reprimand-level, violation 10/9/2020: 5 years end 10/9/2025 (QĐ 69 Điều 4). Deferred
    # (pregnant, QĐ 296 Điều 8 ý 7) from 2/6/2025 to 1/8/2025: 29 + 31 + 1 = 61 days not counted
    # (QĐ 102 + HD 04-HD/UBKTTW), so the period ends 10/11/2025: not barred on 12/9/2025.
    rules = select_ruleset(dt.date(2025, 9, 12))
    wf = member_discipline(rules)
    case = wf.open(MEMBER, at=at(2025, 5, 20), actor=CELL, payload={"violation_on": "2020-09-10"})
    assert refused_by(
        case, "DEFER", at=at(2025, 6, 2), actor=CELL, payload={"reason": "abroad"}
    ) == {"deferral_reason"}
    case.fire("DEFER", at=at(2025, 6, 2), actor=CELL, payload={"reason": "pregnant"})
    case.fire("RESUME", at=at(2025, 8, 1), actor=CELL)
    case.fire("HEAR_SUBJECT", at=at(2025, 9, 10), actor=CELL)
    case.fire(
        "HOLD_VOTE",
        at=at(2025, 9, 12),
        actor=CELL,
        payload={"measure": "reprimand", "vote": vote()},
    )
    assert refused_by(case, "DISMISS_AS_TIME_BARRED", at=at(2025, 9, 12), actor=CELL) == {
        "time_barred"
    }
    case.fire("DECIDE", at=at(2025, 9, 12), actor=CELL)
    # Without the deferral the same case is barred on 12/9/2025.
    plain = wf.open(MEMBER, at=at(2025, 9, 10), actor=CELL, payload={"violation_on": "2020-09-10"})
    plain.fire("HEAR_SUBJECT", at=at(2025, 9, 10), actor=CELL)
    plain.fire(
        "HOLD_VOTE",
        at=at(2025, 9, 12),
        actor=CELL,
        payload={"measure": "reprimand", "vote": vote()},
    )
    plain.fire("DISMISS_AS_TIME_BARRED", at=at(2025, 9, 12), actor=CELL)
    assert plain.state is MemberDisciplineState.TIME_BARRED


def test_missing_violation_date_refuses_the_decision() -> None:
    day = at(2025, 9, 12)
    case = member_discipline(select_ruleset(day.date())).open(MEMBER, at=day, actor=CELL)
    case.fire("HEAR_SUBJECT", at=day, actor=CELL)
    case.fire("HOLD_VOTE", at=day, actor=CELL, payload={"measure": "warning", "vote": vote()})
    with pytest.raises(TransitionRefused, match="violation_on"):
        case.fire("DECIDE", at=day, actor=CELL)
    with pytest.raises(TransitionRefused, match="YYYY-MM-DD"):
        case.fire("DECIDE", at=day, actor=CELL, payload={"violation_on": "10/9/2020"})


# ---------------------------------------------------------------------------- effect, review


def test_dissolution_by_a_grassroots_committee_needs_approval() -> None:
    # QĐ 296 Điều 11 / recalled: dissolution by the directly higher committee, approved above.
    day = at(2025, 9, 15)
    wf = organisation_discipline(select_ruleset(day.date()))
    case = wf.open(CELL_ORG, at=day, actor=GRASSROOTS, payload={"violation_on": "2024-10-01"})
    case.fire("HEAR_SUBJECT", at=day, actor=GRASSROOTS)
    case.fire(
        "HOLD_VOTE", at=day, actor=GRASSROOTS, payload={"measure": "dissolution", "vote": vote()}
    )
    case.fire("DECIDE", at=day, actor=GRASSROOTS)
    assert refused_by(case, "SIGN_DECISION", at=day, actor=GRASSROOTS) == {"approved_if_needed"}
    assert refused_by(case, "APPROVE_DECISION", at=day, actor=CELL) == {"higher_body"}
    case.fire("APPROVE_DECISION", at=day.add(days=2), actor=PROVINCIAL_COMMITTEE)
    case.fire("SIGN_DECISION", at=day.add(days=2), actor=GRASSROOTS)
    case.fire("ANNOUNCE_DECISION", at=day.add(days=3), actor=GRASSROOTS)
    case.fire("CLOSE_COMPLAINT_WINDOW", at=day.add(months=2), actor=Body(BodyKind.SYSTEM, "s"))
    assert case.state.name == "IN_FORCE_PERMANENTLY"


def test_a_commission_decision_takes_effect_on_signing() -> None:
    # QĐ 21-QĐ/TW (2026): decisions take effect from signing, except a cell's (secondary).
    day = at(2026, 5, 4)
    wf = member_discipline(select_ruleset(day.date()))
    case = wf.open(MEMBER, at=day, actor=PROVINCIAL_UBKT, payload={"violation_on": "2025-01-01"})
    case.fire("HEAR_SUBJECT", at=day, actor=PROVINCIAL_UBKT)
    case.fire(
        "HOLD_VOTE", at=day, actor=PROVINCIAL_UBKT, payload={"measure": "warning", "vote": vote()}
    )
    case.fire("DECIDE", at=day, actor=PROVINCIAL_UBKT)
    with pytest.raises(TransitionRefused, match="takes effect when signed") as info:
        case.fire("ANNOUNCE_VOTE_RESULT", at=day, actor=PROVINCIAL_UBKT)
    assert "QĐ 21-QĐ/TW (assumed)" in str(info.value)
    case.fire("SIGN_DECISION", at=day, actor=PROVINCIAL_UBKT)
    assert case.steps[-1].basis == "QĐ 21-QĐ/TW (assumed)"


def test_complaint_ruling_restarts_the_twelve_months() -> None:
    # QĐ 69 Điều 2 khoản 5: 12 months from the announcement of the complaint-resolution
    # decision. Announced Mon 8/9/2025; ruling on Fri 14/11/2025 -> in effect until 14/11/2026.
    case = announced_by_commission(at(2025, 9, 8))
    complaint = open_complaint(case, at=at(2025, 9, 20), filed_on=dt.date(2025, 9, 19))
    assert case.state.name == "UNDER_COMPLAINT"
    assert complaint.origin is not None
    assert complaint.origin.case_id == case.id
    assert complaint.origin.step_index == case.version - 1
    assert case.deadline("complaint_window").met_at == at(2025, 9, 20)
    assert case.deadline("end_of_effect").is_paused
    # A body not above the commission does not rule on the complaint.
    assert refused_by(
        case,
        "RECORD_COMPLAINT_RULING",
        at=at(2025, 11, 14),
        actor=CELL,
        payload={"outcome": "upheld"},
    ) == {"higher_body", "measure_never_ends"}  # the second names why the other move fails
    case.fire(
        "RECORD_COMPLAINT_RULING",
        at=at(2025, 11, 14),
        actor=CENTRAL_UBKT,
        payload={"outcome": "changed", "measure": "reprimand"},
    )
    assert case.state.name == "IN_FORCE_AFTER_REVIEW"
    assert case.deadline("end_of_effect").cancelled_at == at(2025, 11, 14)
    assert case.deadline("end_of_effect_after_review").due_on == dt.date(2026, 11, 14)


def test_a_dismissed_complaint_pauses_the_twelve_months() -> None:
    # Announced 8/9/2025 (due 8/9/2026); complaint received 1/10/2025, dismissed 21/10/2025:
    # the 20 days (1/10, 21/10] are not counted -> due 28/9/2026 (interpretation, §2(i)).
    case = announced_by_commission(at(2025, 9, 8))
    case.fire("RECEIVE_COMPLAINT", at=at(2025, 10, 1), actor=Body(BodyKind.PERSON, "m-1"))
    case.fire("DISMISS_COMPLAINT", at=at(2025, 10, 21), actor=CENTRAL_UBKT)
    assert case.state.name == "IN_FORCE"
    assert case.deadline("end_of_effect").due_on == dt.date(2026, 9, 28)


def test_review_by_a_higher_body() -> None:
    case = announced_by_commission(at(2025, 9, 8))
    case.fire("CLOSE_COMPLAINT_WINDOW", at=at(2025, 10, 21), actor=Body(BodyKind.SYSTEM, "s"))
    assert refused_by(case, "CHANGE_DECISION", at=at(2025, 11, 3), actor=CENTRAL_UBKT) >= {
        "measure_given"
    }
    case.fire(
        "CHANGE_DECISION", at=at(2025, 11, 3), actor=CENTRAL_UBKT, payload={"measure": "reprimand"}
    )
    assert case.state.name == "IN_FORCE_AFTER_REVIEW"
    assert case.deadline("end_of_effect_after_review").due_on == dt.date(2026, 11, 3)
    assert refused_by(case, "ANNUL_DECISION", at=at(2025, 12, 1), actor=CENTRAL_UBKT) == {
        "reason_given"
    }
    case.fire(
        "ANNUL_DECISION",
        at=at(2025, 12, 1),
        actor=CENTRAL_UBKT,
        payload={"reason": "wrongful (QĐ 117)"},
    )
    assert case.state.name == "ANNULLED"
    assert [d.rule for d in case.open_deadlines()] == []


def test_a_new_violation_keeps_the_decision_in_force() -> None:
    # QĐ 69 Điều 2 khoản 5: no automatic end after a repeat or new violation.
    case = announced_by_commission(at(2025, 9, 8))
    case.fire("CLOSE_COMPLAINT_WINDOW", at=at(2025, 10, 21), actor=Body(BodyKind.SYSTEM, "s"))
    assert refused_by(case, "RECORD_NEW_VIOLATION", at=at(2026, 3, 2), actor=CELL) == {
        "new_violation_given"
    }
    case.fire(
        "RECORD_NEW_VIOLATION",
        at=at(2026, 3, 2),
        actor=CELL,
        payload={"new_violation_on": "2026-02-25"},
    )
    assert case.state.name == "KEPT_IN_FORCE"
    assert case.deadline("end_of_effect").cancelled_at == at(2026, 3, 2)


def test_open_complaint_refuses_a_decision_not_yet_announced() -> None:
    case = decided_by_cell(at(2025, 9, 5))
    with pytest.raises(InputError, match="announced decision"):
        open_complaint(case, at=at(2025, 9, 6))
    with pytest.raises(InputError, match="disciplinary case"):
        open_complaint("KL-1", at=at(2025, 9, 6))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- ruleset boundaries


@pytest.mark.parametrize(
    ("day", "document", "status"),
    [
        # Before QĐ 296 (ruleset 2022): the right to be heard rests on the Charter (recalled).
        (dt.date(2025, 5, 29), "Điều lệ Đảng (2011)", RuleStatus.ASSUMED),
        # QĐ 296 Điều 12 khoản 1 from 30/5/2025 (secondary).
        (dt.date(2025, 5, 30), "QĐ 296-QĐ/TW", RuleStatus.SECONDARY),
        (dt.date(2026, 4, 10), "QĐ 296-QĐ/TW", RuleStatus.SECONDARY),
        # QĐ 21 from 11/4/2026: QĐ 296's article carried over as assumed.
        (dt.date(2026, 4, 11), "QĐ 296-QĐ/TW", RuleStatus.ASSUMED),
    ],
)
def test_hearing_basis_by_ruleset(day: dt.date, document: str, status: RuleStatus) -> None:
    wf = member_discipline(select_ruleset(day))
    (hear,) = [t for t in wf.transitions if t.trigger.name == "HEAR_SUBJECT"]
    assert hear.basis is not None
    assert (hear.basis.document, hear.basis.status) == (document, status)


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        # QĐ 22 Điều 11 (carried by the 2025 ruleset): the district standing committee expels.
        (dt.date(2025, 6, 30), True),
        # QĐ 294-QĐ/TW: no district level from 1/7/2025.
        (dt.date(2025, 7, 1), False),
    ],
)
def test_district_level_ends_on_1_july_2025(day: dt.date, allowed: bool) -> None:
    when = pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)
    wf = member_discipline(select_ruleset(day))
    head = Member("m-5", cell_id="cell-7", holds_post=True)
    case = wf.open(head, at=when, actor=CELL, payload={"violation_on": "2025-01-01"})
    case.fire("HEAR_SUBJECT", at=when, actor=CELL)
    payload = {"measure": "removal_from_post", "vote": vote()}
    failures = case.check("HOLD_VOTE", at=when, actor=DISTRICT_STANDING, payload=payload)
    assert (not failures) is allowed


# ---------------------------------------------------------------------------- every transition


def _reroute(workflow: Workflow[Any, Any], path: Path[Any, Any], approve: bool) -> Path[Any, Any]:
    """Take effect on signing unless the path is there to cover the cell's vote announcement;
    when the decision needs approval by the level above, approve it before signing."""
    (sign,) = [c for c in workflow.compiled if c.trigger.name == "SIGN_DECISION"]
    (approval,) = [c for c in workflow.compiled if c.trigger.name == "APPROVE_DECISION"]
    steps: list[PathStep[Any, Any]] = []
    for i, original in enumerate(path.steps):
        step = original
        if step.trigger.name == "ANNOUNCE_VOTE_RESULT" and i < len(path.steps) - 1:
            step = PathStep.of(sign)
        if (
            step.trigger.name == "SIGN_DECISION"
            and approve
            and (not steps or steps[-1].trigger.name != "APPROVE_DECISION")
        ):
            steps.append(PathStep.of(approval))
        steps.append(step)
    return Path(path.workflow, path.start, tuple(steps))


_IN_FORCE = ("IN_FORCE", "IN_FORCE_AFTER_REVIEW", "IN_FORCE_PERMANENTLY")


def _plan(workflow: Workflow[Any, Any], path: Path[Any, Any]) -> dict[str, Any]:
    """Who decides which measure on whom along ``path``, and who reviews it."""
    names = {s.trigger.name for s in path.steps} | {s.target.name for s in path.steps}
    first = next((s.target.name for s in path.steps if s.target.name in _IN_FORCE), None)
    permanent = first == "IN_FORCE_PERMANENTLY"
    org = workflow.name == "organisation_discipline"
    if org:
        # Only the bodies of the organisation directly above (QĐ 296 Điều 11): the cell's
        # grassroots committee 'dy-1' and its standing committee, which ranks below it.
        # A review comes from a body above the decider: the committee over its standing
        # committee, or the level above for what the committee decided.
        standing = Body(BodyKind.STANDING_COMMITTEE, "dy-1", Level.GRASSROOTS)
        above = (
            Level.DISTRICT if RULESETS[workflow.version].has_district_level else Level.PROVINCIAL
        )
        reviewer = Body(BodyKind.COMMITTEE, "cu-above", above) if permanent else GRASSROOTS
        plan: dict[str, Any] = {
            "body": GRASSROOTS if permanent else standing,
            "measure": "dissolution" if permanent else "warning",
            "subject": CELL_ORG,
            "approve": permanent,
            "change_end": reviewer,
            "change_permanent": ("dissolution", reviewer),
        }
        if "PROPOSE_TO_HIGHER" in names:
            plan["body"] = standing
            plan["measure"] = "dissolution"
            plan["higher"] = GRASSROOTS
        return plan
    plan = {
        "body": PROVINCIAL_UBKT,
        "measure": "expulsion" if permanent else "warning",
        "subject": MEMBER,
        "approve": False,
        "change_end": CENTRAL_UBKT,
        "change_permanent": ("expulsion", CENTRAL_UBKT),
    }
    if "PROPOSE_TO_HIGHER" in names:
        plan.update(body=CELL, task=True)
    elif path.steps[-1].trigger.name == "ANNOUNCE_VOTE_RESULT":
        plan["body"] = CELL
    return plan


def _inputs(plan: Mapping[str, Any]) -> Any:
    body: Body = plan["body"]
    secret = body.kind is BodyKind.CENTRAL_COMMITTEE
    system = Body(BodyKind.SYSTEM, "sweep")

    def provide(step: PathStep[Any, Any], case: Case[Any, Any]) -> StepInput | None:
        name = step.trigger.name
        if name == "HOLD_VOTE":
            payload: dict[str, Any] = {"measure": plan["measure"], "vote": vote(secret=secret)}
            if plan.get("task"):
                payload["higher_assigned_task"] = True
            if plan["measure"] == "expulsion":
                payload["proposal_vote"] = vote(9, 6, stage=VoteStage.PROPOSAL)
            return StepInput(payload, actor=body)
        if name == "DECIDE" and step.source.name == "PROPOSED_TO_HIGHER":
            return StepInput({"vote": vote()}, actor=plan.get("higher", PROVINCIAL_UBKT))
        if name == "PROPOSE_TO_HIGHER":
            return StepInput({}, actor=body if step.source.name == "VOTED" else PARTIAL)
        if name == "DISMISS_AS_TIME_BARRED":
            return StepInput({"violation_on": "2010-01-01", "measure": "warning"}, actor=body)
        if name == "DEFER":
            return StepInput({"reason": "seriously_ill_in_hospital"}, actor=body)
        if name in ("CLOSE_WITHOUT_DISCIPLINE", "ANNUL_DECISION"):
            return StepInput({"reason": "test"}, actor=SECRETARIAT)
        if name in ("APPROVE_DECISION", "DISMISS_COMPLAINT"):
            return StepInput({}, actor=SECRETARIAT)
        if name == "RECORD_COMPLAINT_RULING":
            return StepInput({"outcome": "upheld"}, actor=SECRETARIAT)
        if name == "CHANGE_DECISION":
            if step.target.name == "IN_FORCE_PERMANENTLY":
                measure, who = plan["change_permanent"]
            else:
                measure, who = "reprimand", plan["change_end"]
            return StepInput({"measure": measure}, actor=who)
        if name == "RECORD_ADMINISTRATIVE_FOLLOW_UP":
            return StepInput({"action": "proposed administrative handling"}, actor=body)
        if name == "RECORD_NEW_VIOLATION":
            return StepInput({"new_violation_on": "2025-12-01"}, actor=body)
        if name == "CLOSE_COMPLAINT_WINDOW":
            return StepInput({}, actor=system, wait="31 working days")
        if name == "END_EFFECT":
            return StepInput({}, actor=system, wait="13 months")
        return StepInput({}, actor=body)

    return provide


@pytest.mark.parametrize("ruleset_name", sorted(RULESETS))
@pytest.mark.parametrize("builder", [member_discipline, organisation_discipline])
def test_every_transition_fires(ruleset_name: str, builder: Any) -> None:
    workflow = builder(RULESETS[ruleset_name])
    effective = RULESETS[ruleset_name].effective_from
    start = pendulum.datetime(effective.year, effective.month, effective.day, 9, tz=TZ)
    factory = CaseFactory()
    fired = set()
    for covering in covering_paths(workflow):
        plan = _plan(workflow, covering)
        path = _reroute(workflow, covering, plan["approve"])
        case = factory.follow(
            workflow,
            path,
            at=start,
            subject=plan["subject"],
            payloads=_inputs(plan),
            open_payload={"violation_on": "2021-01-05"},
        )
        assert case.state is path.end
        fired.add(covering.steps[-1].key + "@" + covering.steps[-1].source.name)
    expected = {f"{c.trigger.name}->{c.target.name}@{c.source.name}" for c in workflow.compiled}
    assert fired == expected


# ---------------------------------------------------------------------------- random walks


def test_shared_guard_helpers() -> None:

    assert EFFECT_TIMINGS == ("on_vote_announced", "on_signing")
    assert {"measure", "vote", "violation_on", "reason"} <= set(g.PAYLOAD_KEYS)
    case = decided_by_cell(at(2025, 9, 5))
    wf = case.workflow
    trig = wf.trigger_named("ANNOUNCE_VOTE_RESULT")
    ctx = GuardContext(
        case,
        trig,
        case.state,
        case.state,
        at(
            2025,
            9,
            5,
            23,
        ),
        CELL,
        {"measure": "reprimand"},
    )
    # The move's payload first, then earlier steps, latest first.
    assert [value for value, _ in g.history_values(ctx, "measure")] == ["reprimand", "warning"]
    assert g.measure_of(ctx) is Measure.REPRIMAND
    assert g.local_day(ctx) == dt.date(2025, 9, 5)
    basis = Citation("QĐ X", "Điều 1", RuleStatus.ASSUMED)
    only_cells = g.actor_kind({BodyKind.PARTY_CELL}, name="cells_only", basis=basis)
    assert only_cells.check(ctx) is None
    other = GuardContext(case, trig, case.state, case.state, at(2025, 9, 6), PROVINCIAL_UBKT, {})
    assert "bodies allowed: party_cell [QĐ X Điều 1 (assumed)]" in (only_cells.check(other) or "")
    needs = g.requires("action", name="action_given", basis=basis, what="the follow-up")
    assert needs.check(other) == "the follow-up needs payload 'action' [QĐ X Điều 1 (assumed)]"
    result = g.limitation_check(RULESETS["2025-07"])(ctx)
    assert not isinstance(result, str)
    assert not result.time_barred  # violation 10/1/2025, reprimand-level: 5 years
    # A ruleset resting on none of the known regulations: QĐ 296's citation.
    bare = attrs_evolve_documents(RULESETS["2025-07"])
    assert g.governing_regulation(bare) is None
    assert g.era_citation(bare, qd22=basis, qd296=basis) is basis
    with pytest.raises(InputError, match="not a party body"):
        g.body_rank(Body(BodyKind.PERSON, "p"))
    with pytest.raises(InputError, match="needs a level"):
        g.body_rank(Body(BodyKind.COMMITTEE, "c"))


def attrs_evolve_documents(rules: Any) -> Any:
    """``rules`` without its documents."""

    return attrs.evolve(rules, documents=())
