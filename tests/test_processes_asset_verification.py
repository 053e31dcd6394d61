"""Asset and income verification: steps, the asset-control body guard, ruleset boundaries.

Rules: QĐ 21-QĐ/TW (2026): the party's asset-control bodies are the inspection commissions of
the committees from the level directly above the grassroots upward (secondary); QĐ 294-QĐ/TW: no
district level from 1 July 2025, so the level directly above the grassroots is then the province;
QĐ 37-QĐ/TW (2021): a dishonest declaration is a prohibited act (secondary).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from discipline_flow import Body, BodyKind, Level, Member, Organisation, RuleStatus
from discipline_flow.processes import asset_verification
from discipline_flow.processes.asset_verification import (
    NAME,
    AssetVerification,
    AssetVerificationTrigger,
    asset_control_levels,
    asset_verification_workflow,
    open_inspection,
)
from discipline_flow.rules import default_registry, select_ruleset
from discipline_flow.testing import CaseFactory, PayloadProviders, Scenario, walk_transitions
from helpers import at

PROVINCIAL = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
CENTRAL = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
DISTRICT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-huyen", Level.DISTRICT)
GRASSROOTS = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-xa", Level.GRASSROOTS)
COMMITTEE = Body(BodyKind.STANDING_COMMITTEE, "btv-tinh", Level.PROVINCIAL)
DECLARANT = Member("m-1", managed_by=Level.PROVINCIAL)


def scenario(wf: Any, actor: Body, *, honest: bool = True, subject: Any = DECLARANT) -> Any:
    provided: dict[str, Any] = {
        "CONCLUDE": {"is_declaration_honest": honest},
        "RECEIVE_EXPLANATION": {"explanation": "inherited"},
    }
    providers = PayloadProviders().register(wf, provided)
    return Scenario(wf, factory=CaseFactory(providers=providers, subject=subject), actor=actor)


def wf_on(day: dt.date) -> Any:
    return asset_verification_workflow(select_ruleset(day))


@pytest.mark.parametrize("ruleset", list(default_registry()), ids=lambda r: r.name)
def test_one_workflow_per_ruleset(ruleset: Any) -> None:
    [wf] = asset_verification.workflows(ruleset)
    assert (wf.name, wf.version, wf.ruleset) == (NAME, ruleset.name, ruleset.name)
    assert (wf.states, wf.triggers) == (AssetVerification, AssetVerificationTrigger)
    assert wf.deadline_rules == ()
    for member in (*wf.all_states, *wf.all_triggers):
        assert wf.labels[member].vi, member


def test_an_honest_declaration_is_closed() -> None:
    (
        scenario(wf_on(dt.date(2026, 5, 4)), PROVINCIAL)
        .given(at=at(2026, 5, 4))
        .when("NOTIFY_DECLARANT")
        .when("RECEIVE_EXPLANATION", payload={"explanation": "a gift from parents"})
        .when("START_VERIFICATION")
        .advance("30 days")
        .when("CONCLUDE", payload={"is_declaration_honest": True})
        .then(state="CONCLUDED", allowed={"CLOSE"})
        .when("CLOSE")
        .then(state="CLOSED", allowed=set())
    )


def test_a_dishonest_declaration_is_escalated_to_an_inspection() -> None:
    s = (
        scenario(wf_on(dt.date(2026, 5, 4)), CENTRAL, honest=False)
        .given("CONCLUDED", at=at(2026, 5, 4))
        .then(allowed={"ESCALATE_TO_INSPECTION"})
        .when("CLOSE")
        .then(refused="declaration_honest")
        .when("ESCALATE_TO_INSPECTION")
        .then(state="ESCALATED_TO_INSPECTION")
    )
    child = open_inspection(s.case, at=at(2026, 5, 5), actor=CENTRAL)
    assert child.workflow.key == "inspection@2026"
    assert child.origin is not None
    assert child.origin.case_id == s.case.id


def test_an_honest_declaration_is_not_escalated() -> None:
    s = (
        scenario(wf_on(dt.date(2026, 5, 4)), PROVINCIAL, honest=True)
        .given("CONCLUDED", at=at(2026, 5, 4))
        .when("ESCALATE_TO_INSPECTION")
        .then(refused="declaration_dishonest")
    )
    assert "QĐ 37-QĐ/TW (2021)" in str(s.refusal)


def test_verification_may_start_without_an_explanation() -> None:
    scenario(wf_on(dt.date(2026, 5, 4)), PROVINCIAL).given(
        "DECLARANT_NOTIFIED", at=at(2026, 5, 4)
    ).when("START_VERIFICATION").then(state="VERIFYING")


def test_an_explanation_says_what_it_explains() -> None:
    scenario(wf_on(dt.date(2026, 5, 4)), PROVINCIAL).given(
        "DECLARANT_NOTIFIED", at=at(2026, 5, 4)
    ).when("RECEIVE_EXPLANATION").then(refused="explanation_given")


@pytest.mark.parametrize("value", [None, "no", 0], ids=["missing", "text", "number"])
def test_the_conclusion_must_say_whether_the_declaration_was_honest(value: object) -> None:
    payload = {} if value is None else {"is_declaration_honest": value}
    scenario(wf_on(dt.date(2026, 5, 4)), PROVINCIAL).given("VERIFYING", at=at(2026, 5, 4)).when(
        "CONCLUDE", payload=payload
    ).then(refused="conclusion_states_honesty", state="VERIFYING")


def test_the_subject_is_a_member() -> None:
    s = scenario(
        wf_on(dt.date(2026, 5, 4)), PROVINCIAL, subject=Organisation("o-1", Level.PROVINCIAL)
    )
    s.given(at=at(2026, 5, 4)).when("NOTIFY_DECLARANT").then(refused="subject_is_member")


# --------------------------------------------------------------------------- who controls assets

CONTROL = [
    # (day, body, allowed) — inspection commissions from the level directly above grassroots.
    pytest.param(dt.date(2026, 5, 4), PROVINCIAL, True, id="2026-provincial-ubkt"),
    pytest.param(dt.date(2026, 5, 4), CENTRAL, True, id="2026-central-ubkt"),
    pytest.param(dt.date(2026, 5, 4), GRASSROOTS, False, id="2026-grassroots-ubkt"),
    pytest.param(dt.date(2026, 5, 4), COMMITTEE, False, id="2026-standing-committee-not-ubkt"),
    pytest.param(dt.date(2025, 6, 30), DISTRICT, True, id="30-6-2025-district-directly-above"),
    pytest.param(dt.date(2025, 7, 1), DISTRICT, False, id="1-7-2025-no-district-qd-294"),
    pytest.param(dt.date(2025, 7, 1), PROVINCIAL, True, id="1-7-2025-province-directly-above"),
]


@pytest.mark.parametrize(("day", "body", "allowed"), CONTROL)
def test_only_an_asset_control_body_acts(day: dt.date, body: Body, allowed: bool) -> None:
    s = scenario(wf_on(day), body).given(at=at(day.year, day.month, day.day))
    s.when("NOTIFY_DECLARANT")
    if allowed:
        s.then(state="DECLARANT_NOTIFIED")
    else:
        s.then(refused="asset_control_body")


def test_control_levels_follow_the_end_of_the_district_level() -> None:
    assert asset_control_levels(select_ruleset(dt.date(2025, 6, 30))) == (
        Level.DISTRICT,
        Level.PROVINCIAL,
        Level.CENTRAL,
    )
    assert asset_control_levels(select_ruleset(dt.date(2025, 7, 1))) == (
        Level.PROVINCIAL,
        Level.CENTRAL,
    )


@pytest.mark.parametrize(
    ("day", "why"),
    [
        pytest.param(dt.date(2026, 4, 10), "applied to QĐ 296-QĐ/TW", id="10-4-2026-qd-296"),
        # Reference Update 2026-12 U.1: one secondary source only, so recalled (assumed).
        pytest.param(dt.date(2026, 4, 11), "one secondary source only", id="11-4-2026-qd-21"),
    ],
)
def test_the_control_body_rule_is_qd_21_from_11_4_2026(day: dt.date, why: str) -> None:
    basis = wf_on(day).guards["asset_control_body"].basis
    assert basis is not None
    assert (basis.document, basis.status) == ("QĐ 21-QĐ/TW", RuleStatus.ASSUMED)
    assert why in (basis.note or "")


# --------------------------------------------------------------------------- every transition


@pytest.mark.parametrize("name", list(default_registry().names))
def test_every_transition_fires_with_its_inputs(name: str) -> None:
    wf = asset_verification_workflow(default_registry().get(name))
    factory = CaseFactory(actor=PROVINCIAL, subject=DECLARANT)
    common = {"RECEIVE_EXPLANATION": {"explanation": "salary"}}
    honest = walk_transitions(
        wf,
        factory=factory,
        providers={**common, "CONCLUDE": {"is_declaration_honest": True}},
        at=at(2025, 9, 15),
        skip={"ESCALATE_TO_INSPECTION->ESCALATED_TO_INSPECTION"},
    )
    dishonest = walk_transitions(
        wf,
        factory=factory,
        providers={**common, "CONCLUDE": {"is_declaration_honest": False}},
        at=at(2025, 9, 15),
        skip={s.key for s in honest.fired},
    )
    honest.check()
    dishonest.check()
    assert len(honest.fired) + len(dishonest.fired) == len(wf.compiled)
    assert {s.target for s in dishonest.fired} == {AssetVerification.ESCALATED_TO_INSPECTION}
