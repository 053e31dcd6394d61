"""Removal from the rolls and letting a member leave: every path, every guard, ruleset edges.

Rules: Party Charter (2011) Điều 8 khoản 1 (3 months in a year without activity or dues; no
progress after education → the cell proposes removal to the competent level), QĐ 24-QĐ/TW point
8.1 (12 months of education, 2 consecutive years), HD 01-HD/TW (2021) point 11.1 (the cell
executive invites three times, then the cell proceeds) and point 11.2 (leaving the party only
without violations), QĐ 294-QĐ/TW (no district level from 1 July 2025).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from discipline_flow import Body, BodyKind, Level, Member, Organisation, RuleStatus
from discipline_flow.processes import removal
from discipline_flow.processes.removal import (
    Leaving,
    LeavingTrigger,
    Removal,
    leaving_workflow,
    removal_workflow,
)
from discipline_flow.rules import default_registry, select_ruleset
from discipline_flow.testing import (
    CaseFactory,
    PayloadProviders,
    Scenario,
    StepInput,
    walk_transitions,
)
from helpers import RULESETS, at

EXECUTIVE = Body(BodyKind.CELL_EXECUTIVE, "cell-7-exec")
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
PARTIAL = Body(BodyKind.PARTIAL_COMMITTEE, "dubp-7")
GRASSROOTS = Body(BodyKind.GRASSROOTS_COMMITTEE, "du-7")
DISTRICT = Body(BodyKind.STANDING_COMMITTEE, "btv-huyen", Level.DISTRICT)
PROVINCIAL = Body(BodyKind.STANDING_COMMITTEE, "btv-tinh", Level.PROVINCIAL)
MEMBER = Member("m-1", cell_id="cell-7")
PROBATIONER = Member("m-2", cell_id="cell-7", is_probationary=True)
ABSENT = {"ground": "no_activity_or_dues", "months_without_activity_or_dues": 3}


def removal_of(name: str = "2025-07") -> Any:
    return removal_workflow(default_registry().get(name))


def leaving_of(name: str = "2025-07") -> Any:
    return leaving_workflow(default_registry().get(name))


REMOVAL_INPUTS: dict[str, Any] = {
    "INVITE_SELF_REVIEW": StepInput(actor=EXECUTIVE),
    "RECEIVE_SELF_REVIEW": StepInput(actor=EXECUTIVE),
    "RECORD_REFUSAL": StepInput({"reason": "said he will not write it"}, actor=EXECUTIVE),
    "PROPOSE_REMOVAL": StepInput(ABSENT, actor=CELL),
    "DECIDE_REMOVAL": StepInput(actor=GRASSROOTS),
    "KEEP_ON_ROLLS": StepInput({"reason": "resumed activity"}, actor=CELL),
}
LEAVING_INPUTS: dict[str, Any] = {
    "REVIEW_IN_CELL": StepInput({"has_violations": False, "reasons": "moving abroad"}, actor=CELL),
    "REVIEW_IN_COMMITTEE": StepInput({"has_violations": False}, actor=PARTIAL),
    "DECIDE_TO_LET_GO": StepInput({"has_violations": False}, actor=GRASSROOTS),
    "REFER_FOR_DISCIPLINE": StepInput({"has_violations": True}, actor=CELL),
    "WITHDRAW_APPLICATION": StepInput(actor="person:m-1"),
}
APPLICATION = {"reasons": "family circumstances"}


def removal_scenario(wf: Any = None, subject: Member = MEMBER) -> Scenario[Any, Any]:
    wf = wf if wf is not None else removal_of()
    providers = PayloadProviders().register(wf, REMOVAL_INPUTS)
    return Scenario(wf, factory=CaseFactory(providers=providers, subject=subject), actor=CELL)


def leaving_scenario(wf: Any = None) -> Scenario[Any, Any]:
    wf = wf if wf is not None else leaving_of()
    providers = PayloadProviders().register(wf, LEAVING_INPUTS)
    factory = CaseFactory(providers=providers, subject=MEMBER)
    return Scenario(wf, factory=factory, actor=CELL)


def invited(times: int, name: str = "2025-07") -> Scenario[Any, Any]:
    s = removal_scenario(removal_of(name)).given(at=at(2025, 9, 1))
    for _ in range(times):
        s.when("INVITE_SELF_REVIEW", actor=EXECUTIVE).advance("7 days")
    return s


# --------------------------------------------------------------------------- the workflows


@pytest.mark.parametrize("ruleset", list(default_registry()), ids=lambda r: r.name)
def test_both_workflows_per_ruleset(ruleset: Any) -> None:
    built = removal.workflows(ruleset)
    assert [wf.name for wf in built] == ["removal_from_rolls", "leaving_the_party"]
    assert (built[0].states, built[1].triggers) == (Removal, LeavingTrigger)
    for wf in built:
        assert (wf.version, wf.ruleset) == (ruleset.name, ruleset.name)
        assert wf.deadline_rules == ()
        for member in (*wf.all_states, *wf.all_triggers):
            assert wf.labels[member].vi, member


@pytest.mark.parametrize("name", sorted(RULESETS))
def test_grounds_list_the_charter_and_qd_24(name: str) -> None:
    grounds = RULESETS[name].rule("removal_from_rolls_grounds")
    assert RULESETS[name].texts(grounds.key)[:4] == (
        "no_activity_or_dues",
        "no_progress_after_education",
        "violated_member_standing",
        "probationary_not_qualified",
    )
    assert grounds.citation.article == "Điều 8 khoản 1"


# --------------------------------------------------------------------------- three invitations


def test_after_three_invitations_the_cell_proceeds_and_the_committee_removes() -> None:
    # HD 01-HD/TW point 11.1: the cell executive asks three times; then the cell proceeds.
    s = (
        invited(3)
        .then(state="SELF_REVIEW_REQUESTED")
        .when("PROCEED_WITHOUT_SELF_REVIEW")
        .then(state="READY_FOR_CELL_MEETING")
        .when("PROPOSE_REMOVAL", payload=ABSENT)
        .then(state="PROPOSED")
        .advance("10 working days")
        .when("DECIDE_REMOVAL", actor=GRASSROOTS)
        .then(state="REMOVED", allowed=set())
    )
    invites = [st for st in s.case.steps if st.trigger is removal.RemovalTrigger.INVITE_SELF_REVIEW]
    assert len(invites) == 3


@pytest.mark.parametrize("times", [1, 2], ids=["once", "twice"])
def test_fewer_than_three_invitations_are_not_enough(times: int) -> None:
    s = invited(times).when("PROCEED_WITHOUT_SELF_REVIEW").then(refused="invited_enough")
    assert f"invited to self-review {times} time(s)" in str(s.refusal)
    assert "after 3 invitations" in str(s.refusal)


def test_the_number_of_invitations_comes_from_the_ruleset() -> None:
    # An embedding system reads "several" as two: the override changes the guard.
    rules = (
        default_registry()
        .get("2025-07")
        .override(
            "invitations_before_cell_proceeds", 2, source="Provincial guidance", reason="test"
        )
    )
    s = removal_scenario(removal_workflow(rules)).given(at=at(2025, 9, 1))
    s.when("INVITE_SELF_REVIEW", actor=EXECUTIVE).when("INVITE_SELF_REVIEW", actor=EXECUTIVE)
    s.when("PROCEED_WITHOUT_SELF_REVIEW").then(state="READY_FOR_CELL_MEETING")


@pytest.mark.parametrize(
    ("trigger", "payload"),
    [
        pytest.param("RECEIVE_SELF_REVIEW", {}, id="self-review-received"),
        pytest.param("RECORD_REFUSAL", {"reason": "refuses on purpose"}, id="refusal"),
    ],
)
def test_self_review_or_refusal_lets_the_cell_meet_after_one_invitation(
    trigger: str, payload: dict[str, Any]
) -> None:
    invited(1).when(trigger, actor=EXECUTIVE, payload=payload).then(state="READY_FOR_CELL_MEETING")


def test_a_refusal_needs_its_reason() -> None:
    invited(1).when("RECORD_REFUSAL", actor=EXECUTIVE).then(refused="reason_given")


def test_only_the_cell_or_its_executive_invites() -> None:
    s = (
        removal_scenario()
        .given(at=at(2025, 9, 1))
        .when("INVITE_SELF_REVIEW", actor=GRASSROOTS)
        .then(refused="cell_invites")
    )
    assert "cell_executive, party_cell" in str(s.refusal)


def test_an_organisation_is_not_removed_from_the_rolls() -> None:
    wf = removal_of()
    factory = CaseFactory(subject=Organisation("o-1", Level.GRASSROOTS))
    s = Scenario(wf, factory=factory, actor=EXECUTIVE).given(at=at(2025, 9, 1))
    s.when("INVITE_SELF_REVIEW").then(refused="subject_is_member")


# --------------------------------------------------------------------------- grounds

GROUNDS = [
    # (payload, subject, refused guard or None) — each ground with its threshold.
    pytest.param(ABSENT, MEMBER, None, id="3-months-absent-charter-dieu-8"),
    pytest.param(
        {"ground": "no_activity_or_dues", "months_without_activity_or_dues": 2},
        MEMBER,
        "at least 3 months",
        id="2-months-is-not-enough",
    ),
    pytest.param(
        {"ground": "no_progress_after_education", "months_of_education": 12},
        MEMBER,
        None,
        id="12-months-education-qd-24-8-1",
    ),
    pytest.param(
        {"ground": "no_progress_after_education", "months_of_education": 11},
        MEMBER,
        "at least 12 months",
        id="11-months-is-not-enough",
    ),
    pytest.param(
        {"ground": "violated_member_standing", "consecutive_years_violating": 2},
        MEMBER,
        None,
        id="2-consecutive-years-qd-24-8-1",
    ),
    pytest.param(
        {"ground": "violated_member_standing", "consecutive_years_violating": 1},
        MEMBER,
        "at least 2 consecutive years",
        id="1-year-is-not-enough",
    ),
    pytest.param(
        {"ground": "violated_member_standing", "consecutive_years_violating": "two"},
        MEMBER,
        "needs 'consecutive_years_violating'",
        id="years-as-text",
    ),
    pytest.param(
        {"ground": "no_activity_or_dues"},
        MEMBER,
        "needs 'months_without_activity_or_dues'",
        id="evidence-missing",
    ),
    pytest.param(
        {"ground": "probationary_not_qualified"},
        PROBATIONER,
        None,
        id="probationer",
    ),
    pytest.param(
        {"ground": "probationary_not_qualified"},
        MEMBER,
        "not a probationary member",
        id="full-member-is-not-a-probationer",
    ),
    pytest.param(
        {"ground": "party_card_returned_or_destroyed"},
        MEMBER,
        None,
        id="party-card",
    ),
    pytest.param(
        {"ground": "political_standards_not_met"},
        MEMBER,
        None,
        id="political-standards",
    ),
    pytest.param({"ground": "laziness"}, MEMBER, "give 'ground'", id="unknown-ground"),
    pytest.param({}, MEMBER, "give 'ground'", id="no-ground"),
]


@pytest.mark.parametrize(("payload", "subject", "refusal"), GROUNDS)
def test_the_cell_proposes_on_a_proven_ground(
    payload: dict[str, Any], subject: Member, refusal: str | None
) -> None:
    s = removal_scenario(subject=subject).given("READY_FOR_CELL_MEETING", at=at(2025, 9, 1))
    s.when("PROPOSE_REMOVAL", payload=payload)
    if refusal is None:
        s.then(state="PROPOSED")
    else:
        s.then(refused="ground_proven", state="READY_FOR_CELL_MEETING")
        assert refusal in str(s.refusal)


def test_a_full_member_warranting_expulsion_is_expelled_not_removed() -> None:
    s = (
        removal_scenario()
        .given("READY_FOR_CELL_MEETING", at=at(2025, 9, 1))
        .when("PROPOSE_REMOVAL", payload={**ABSENT, "warrants_expulsion": True})
        .then(refused="not_warranting_expulsion")
    )
    assert "P-stdt-hinhthuc" not in str(s.refusal)  # the source key stays in the data
    assert "must be expelled" in str(s.refusal)
    # A probationary member cannot be expelled: the rule does not apply.
    removal_scenario(subject=PROBATIONER).given("READY_FOR_CELL_MEETING", at=at(2025, 9, 1)).when(
        "PROPOSE_REMOVAL",
        payload={"ground": "probationary_not_qualified", "warrants_expulsion": True},
    ).then(state="PROPOSED")


def test_only_the_cell_proposes() -> None:
    (
        removal_scenario()
        .given("READY_FOR_CELL_MEETING", at=at(2025, 9, 1))
        .when("PROPOSE_REMOVAL", actor=EXECUTIVE, payload=ABSENT)
        .then(refused="cell_acts")
    )


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        pytest.param(GRASSROOTS, True, id="grassroots-committee"),
        pytest.param(PROVINCIAL, True, id="provincial-standing-committee"),
        pytest.param(CELL, False, id="cell-only-proposes"),
        pytest.param(PARTIAL, False, id="partial-committee-only-reviews"),
    ],
)
def test_the_competent_committee_decides(actor: Body, allowed: bool) -> None:
    s = removal_scenario().given("PROPOSED", at=at(2025, 9, 1)).when("DECIDE_REMOVAL", actor=actor)
    if allowed:
        s.then(state="REMOVED")
    else:
        s.then(refused="competent_committee")


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        pytest.param(dt.date(2025, 6, 30), False, id="30-6-2025-district-exists"),
        pytest.param(dt.date(2025, 7, 1), True, id="1-7-2025-no-district-qd-294"),
    ],
)
def test_a_district_standing_committee_decides_until_30_6_2025(day: dt.date, refused: bool) -> None:
    wf = removal_workflow(select_ruleset(day))
    s = removal_scenario(wf).given("PROPOSED", at=at(day.year, day.month, day.day))
    s.when("DECIDE_REMOVAL", actor=DISTRICT)
    if refused:
        s.then(refused="no_district_level")
    else:
        s.then(state="REMOVED")


@pytest.mark.parametrize(
    "state", ["UNDER_REVIEW", "SELF_REVIEW_REQUESTED", "READY_FOR_CELL_MEETING", "PROPOSED"]
)
def test_the_member_may_be_kept_on_the_rolls_before_the_decision(state: str) -> None:
    (
        removal_scenario()
        .given(state, at=at(2025, 9, 1))
        .when("KEEP_ON_ROLLS")
        .then(refused="reason_given")
        .when("KEEP_ON_ROLLS", payload={"reason": "paid the dues"})
        .then(state="KEPT_ON_ROLLS")
    )


@pytest.mark.parametrize(
    ("day", "status"),
    [
        pytest.param(dt.date(2025, 5, 29), RuleStatus.VERIFIED, id="hd-01-2021-in-force"),
        pytest.param(dt.date(2025, 5, 30), RuleStatus.ASSUMED, id="after-qd-296"),
    ],
)
def test_the_invitation_rule_is_verified_only_while_hd_01_2021_applies(
    day: dt.date, status: RuleStatus
) -> None:
    wf = removal_workflow(select_ruleset(day))
    assert wf.guards["invited_enough"].basis is not None
    assert wf.guards["invited_enough"].basis.status is status
    leave = leaving_workflow(select_ruleset(day))
    basis = leave.guards["no_violations"].basis
    assert basis is not None
    assert (basis.article, basis.status) == ("điểm 11.2", status)


# --------------------------------------------------------------------------- leaving


def test_a_member_without_violations_is_let_go() -> None:
    (
        leaving_scenario()
        .given(at=at(2025, 9, 1))
        .when("REVIEW_IN_CELL", payload={"has_violations": False})
        .then(refused="written_application")
        .when("REVIEW_IN_CELL", payload={"has_violations": False, "reasons": "moving abroad"})
        .then(state="REVIEWED_BY_CELL")
        .when("REVIEW_IN_COMMITTEE", actor=PARTIAL, payload={"has_violations": False})
        .then(state="REVIEWED_BY_COMMITTEE")
        .when("DECIDE_TO_LET_GO", actor=GRASSROOTS, payload={"has_violations": False})
        .then(state="LET_GO", allowed=set())
    )


def _opened(payload: dict[str, Any] | None = None) -> Scenario[Any, Any]:
    wf = leaving_of()
    case = wf.open(MEMBER, at=at(2025, 9, 1), actor="person:m-1", payload=payload or APPLICATION)
    providers = PayloadProviders().register(wf, LEAVING_INPUTS)
    return Scenario(wf, factory=CaseFactory(providers=providers), actor=CELL).given(case=case)


def test_the_application_must_be_in_writing_with_reasons() -> None:
    s = _opened({"reasons": "  "}).when("REVIEW_IN_CELL", payload={"has_violations": False})
    s.then(refused="written_application")
    _opened().when("REVIEW_IN_CELL", payload={"has_violations": False}).then(
        state="REVIEWED_BY_CELL"
    )
    _opened({}).when("REVIEW_IN_CELL", payload={"has_violations": False, "reasons": "ill"}).then(
        state="REVIEWED_BY_CELL"
    )


@pytest.mark.parametrize(
    ("state", "trigger", "actor"),
    [
        ("APPLIED", "REVIEW_IN_CELL", CELL),
        ("REVIEWED_BY_CELL", "REVIEW_IN_COMMITTEE", PARTIAL),
        ("REVIEWED_BY_COMMITTEE", "DECIDE_TO_LET_GO", GRASSROOTS),
    ],
)
def test_a_member_with_violations_is_not_let_go(state: str, trigger: str, actor: Body) -> None:
    s = (
        leaving_scenario()
        .given(state, at=at(2025, 9, 1))
        .when(trigger, actor=actor, payload={"has_violations": True, **APPLICATION})
        .then(refused="no_violations")
        .when(trigger, actor=actor, payload=APPLICATION)
        .then(refused="no_violations")
        .when("REFER_FOR_DISCIPLINE", payload={"has_violations": True})
        .then(state="REFERRED_FOR_DISCIPLINE")
    )
    assert s.case.state is Leaving.REFERRED_FOR_DISCIPLINE


def test_refer_for_discipline_needs_violations() -> None:
    (
        leaving_scenario()
        .given(at=at(2025, 9, 1))
        .when("REFER_FOR_DISCIPLINE", payload={"has_violations": False})
        .then(refused="has_violations")
    )


@pytest.mark.parametrize(
    ("trigger", "actor", "guard"),
    [
        ("REVIEW_IN_CELL", GRASSROOTS, "cell_reviews"),
        ("REVIEW_IN_COMMITTEE", CELL, "committee_reviews"),
        ("DECIDE_TO_LET_GO", PARTIAL, "competent_committee"),
    ],
)
def test_each_review_is_done_by_its_body(trigger: str, actor: Body, guard: str) -> None:
    state = {"REVIEW_IN_CELL": "APPLIED", "REVIEW_IN_COMMITTEE": "REVIEWED_BY_CELL"}.get(
        trigger, "REVIEWED_BY_COMMITTEE"
    )
    (
        leaving_scenario()
        .given(state, at=at(2025, 9, 1))
        .when(trigger, actor=actor, payload={"has_violations": False, **APPLICATION})
        .then(refused=guard)
    )


def test_a_district_committee_lets_no_one_go_from_1_7_2025() -> None:
    wf = leaving_workflow(select_ruleset(dt.date(2025, 7, 1)))
    (
        leaving_scenario(wf)
        .given("REVIEWED_BY_COMMITTEE", at=at(2025, 7, 1))
        .when("DECIDE_TO_LET_GO", actor=DISTRICT, payload={"has_violations": False})
        .then(refused="no_district_level")
    )


@pytest.mark.parametrize("state", ["APPLIED", "REVIEWED_BY_CELL", "REVIEWED_BY_COMMITTEE"])
def test_the_application_may_be_withdrawn_before_the_decision(state: str) -> None:
    leaving_scenario().given(state, at=at(2025, 9, 1)).when(
        "WITHDRAW_APPLICATION", actor="person:m-1"
    ).then(state="WITHDRAWN")


# --------------------------------------------------------------------------- every transition


@pytest.mark.parametrize("name", list(default_registry().names))
def test_every_transition_fires_with_its_inputs(name: str) -> None:
    rules = default_registry().get(name)
    wf = removal_workflow(rules)
    providers = PayloadProviders().register(wf, REMOVAL_INPUTS)
    # PROCEED_WITHOUT_SELF_REVIEW needs three invitations, more than the shortest path to its
    # source: it is fired below on a case invited three times.
    proceed = "PROCEED_WITHOUT_SELF_REVIEW->READY_FOR_CELL_MEETING"
    report = walk_transitions(
        wf,
        factory=CaseFactory(providers=providers, subject=MEMBER),
        at=at(2025, 9, 1),
        skip={proceed},
    )
    report.check()
    case = removal_scenario(wf).given("SELF_REVIEW_REQUESTED", at=at(2025, 9, 1)).case
    for day in (8, 15):
        case.fire("INVITE_SELF_REVIEW", at=at(2025, 9, day), actor=EXECUTIVE)
    case.fire("PROCEED_WITHOUT_SELF_REVIEW", at=at(2025, 9, 22), actor=CELL)
    assert case.state is Removal.READY_FOR_CELL_MEETING
    assert len(report.fired) + 1 == len(wf.compiled)

    leave = leaving_workflow(rules)
    providers = PayloadProviders().register(leave, LEAVING_INPUTS)
    report = walk_transitions(
        leave, factory=CaseFactory(providers=providers, subject=MEMBER), at=at(2025, 9, 1)
    )
    report.check()
    assert len(report.fired) == len(leave.compiled)
