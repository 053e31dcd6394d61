"""Supervision workflows: paths, guards, hand-worked thematic deadlines and ruleset boundaries.

Due dates are worked out by hand from rule 26 of the reference (HD 02-HD/UBKTTW 2017: thematic
supervision runs 45 / 30 / 25 / 20 working days for the central / provincial / district /
grassroots level from the day the supervising body receives the supervised party's report;
extension up to 1/3) and the official calendar (``shared/domain/calendar.md`` §3). The start day
is not counted (Civil Code art. 147).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from discipline_flow import Body, BodyKind, Level, Member, RuleStatus
from discipline_flow.errors import InputError, TransitionRefused
from discipline_flow.processes import shipped_workflows, supervision
from discipline_flow.processes.guards import PARTY_BODIES_ONLY
from discipline_flow.processes.supervision import (
    FORMS,
    REGULAR,
    THEMATIC_PREFIX,
    Supervision,
    SupervisionTrigger,
    open_inspection,
    regular_supervision_workflow,
    supervision_levels,
    supervision_workflow,
    thematic_supervision_workflow,
)
from discipline_flow.rules import default_registry, select_ruleset
from discipline_flow.testing import CaseFactory, PayloadProviders, Scenario, walk_transitions
from helpers import at

CENTRAL = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
PROVINCIAL = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
DISTRICT = Body(BodyKind.STANDING_COMMITTEE, "btv-huyen", Level.DISTRICT)
GRASSROOTS = Body(BodyKind.GRASSROOTS_COMMITTEE, "du-xa")
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
POLICE = Body(BodyKind.STATE_AGENCY, "police-1")
MEMBER = Member("m-1", cell_id="cell-7")
BY_LEVEL = {
    Level.CENTRAL: CENTRAL,
    Level.PROVINCIAL: PROVINCIAL,
    Level.DISTRICT: DISTRICT,
    Level.GRASSROOTS: GRASSROOTS,
}
RULE = "thematic_supervision_period"


def rules(name: str) -> Any:
    return default_registry().get(name)


def scenario(wf: Any, actor: Body, *, signs: bool = False, name: str = "s") -> Scenario[Any, Any]:
    providers = PayloadProviders().register(wf, {"CONCLUDE": {"signs_of_violation": signs}})
    factory = CaseFactory(providers=providers, subject=MEMBER)
    return Scenario(wf, name=name, factory=factory, actor=actor)


# --------------------------------------------------------------------------- the workflows


@pytest.mark.parametrize("ruleset", list(default_registry()), ids=lambda r: r.name)
def test_workflows_per_ruleset_carry_its_name_and_have_labels(ruleset: Any) -> None:
    built = supervision.workflows(ruleset)
    for wf in built:
        assert wf.version == ruleset.name
        assert wf.ruleset == ruleset.name
        assert wf.label is not None
        assert wf.label.vi
        for member in (*wf.all_states, *wf.all_triggers):
            label = wf.labels[member]
            assert label.en, member
            assert label.vi, member
        assert wf.citations
    names = [wf.name for wf in built]
    expected = [REGULAR] + [f"{THEMATIC_PREFIX}{lv.value}" for lv in supervision_levels(ruleset)]
    assert expected[0] == "regular_supervision"
    assert names == expected
    assert set(names) <= {w.name for w in shipped_workflows(ruleset)}


@pytest.mark.parametrize(
    ("last", "first"),
    [
        # QĐ 294-QĐ/TW: the district level ends on 1 July 2025.
        pytest.param(dt.date(2025, 6, 30), dt.date(2025, 7, 1), id="district-ends-1-7-2025"),
    ],
)
def test_the_district_thematic_workflow_ends_with_the_district_level(
    last: dt.date, first: dt.date
) -> None:
    before = [wf.name for wf in supervision.workflows(select_ruleset(last))]
    after = [wf.name for wf in supervision.workflows(select_ruleset(first))]
    assert "thematic_supervision_district" in before
    assert "thematic_supervision_district" not in after
    with pytest.raises(InputError, match="has no district level"):
        thematic_supervision_workflow(select_ruleset(first), Level.DISTRICT)


def test_thematic_citation_status_changes_when_qd_296_replaces_qd_86() -> None:
    # HD 02-HD/UBKTTW (2017) implemented QĐ 86-QĐ/TW, replaced by QĐ 296-QĐ/TW on 30/5/2025.
    old = thematic_supervision_workflow(select_ruleset(dt.date(2025, 5, 29)), Level.PROVINCIAL)
    new = thematic_supervision_workflow(select_ruleset(dt.date(2025, 5, 30)), Level.PROVINCIAL)
    assert old.rule(RULE).citation.status is RuleStatus.VERIFIED
    assert new.rule(RULE).citation.status is RuleStatus.ASSUMED
    assert old.rule(RULE).citation.document == "HD 02-HD/UBKTTW (2017)"


def test_supervision_workflow_picks_by_body() -> None:
    rs = rules("2025-07")
    assert supervision_workflow(rs, CELL, thematic=True).name == "thematic_supervision_grassroots"
    assert supervision_workflow(rs, CENTRAL, thematic=True).name == "thematic_supervision_central"
    assert supervision_workflow(rs, POLICE, thematic=False).name == "regular_supervision"
    with pytest.raises(InputError, match="has no level"):
        supervision_workflow(rs, POLICE, thematic=True)
    with pytest.raises(InputError, match="has no level"):
        supervision_workflow(rs, Body(BodyKind.COMMITTEE, "c"), thematic=True)


# --------------------------------------------------------------------------- thematic periods

DUE = [
    # (ruleset, level, report received on, due day) — rule 26, worked by hand.
    pytest.param(
        "2025-07",
        Level.CENTRAL,
        dt.date(2025, 9, 15),
        dt.date(2025, 11, 17),
        id="central-45wd-from-mon-15-9-2025-no-holiday",
    ),
    pytest.param(
        "2025-07",
        Level.PROVINCIAL,
        dt.date(2025, 9, 22),
        dt.date(2025, 11, 3),
        id="provincial-30wd-from-mon-22-9-2025",
    ),
    pytest.param(
        "2025-07",
        Level.PROVINCIAL,
        dt.date(2025, 8, 22),
        dt.date(2025, 10, 7),
        id="provincial-30wd-skips-national-day-1-2-9-2025",
    ),
    pytest.param(
        "2025",
        Level.DISTRICT,
        dt.date(2025, 6, 2),
        dt.date(2025, 7, 7),
        id="district-25wd-from-mon-2-6-2025",
    ),
    pytest.param(
        "2022",
        Level.GRASSROOTS,
        dt.date(2025, 4, 25),
        dt.date(2025, 5, 27),
        id="grassroots-20wd-make-up-sat-26-4-and-30-4-to-2-5-2025-off",
    ),
    pytest.param(
        "2026",
        Level.GRASSROOTS,
        dt.date(2026, 1, 30),
        dt.date(2026, 3, 6),
        id="grassroots-20wd-skips-tet-16-to-20-2-2026",
    ),
]


@pytest.mark.parametrize(("name", "level", "received_on", "due_on"), DUE)
def test_thematic_period_runs_from_receipt_of_the_report(
    name: str, level: Level, received_on: dt.date, due_on: dt.date
) -> None:
    wf = thematic_supervision_workflow(rules(name), level)
    body = BY_LEVEL[level]
    when = at(received_on.year, received_on.month, received_on.day).add(days=3)
    (
        scenario(wf, body)
        .given("REPORT_REQUESTED", at=when)
        .when("RECEIVE_REPORT", payload={"received_on": received_on})
        .then(
            state="REPORT_RECEIVED",
            deadlines={RULE: {"start_on": received_on, "due_on": due_on, "status": "pending"}},
        )
    )


def test_without_received_on_the_period_runs_from_the_step() -> None:
    # 30 working days after Mon 22/9/2025 is Mon 3/11/2025 (no holiday in October 2025).
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    (
        scenario(wf, PROVINCIAL)
        .given("REPORT_REQUESTED", at=at(2025, 9, 22))
        .when("RECEIVE_REPORT")
        .then(deadlines={RULE: "2025-11-03"})
        .advance("27 working days")  # Wed 29/10/2025: 4 working days left (30, 31/10, 3/11)
        .then(deadlines={RULE: "pending"})
        .advance("1 working day")  # Thu 30/10/2025: within the last 3 working days
        .then(deadlines={RULE: "due_soon"})
        .advance("3 working days")  # Tue 4/11/2025: past 24:00 on Mon 3/11
        .then(deadlines={RULE: "overdue"})
    )


def test_received_on_after_the_step_is_refused() -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    case = scenario(wf, PROVINCIAL).given("REPORT_REQUESTED", at=at(2025, 9, 22)).case
    with pytest.raises(InputError, match="later than the step"):
        case.fire(
            "RECEIVE_REPORT",
            at=at(2025, 9, 22),
            actor=PROVINCIAL,
            payload={"received_on": "2025-09-23"},
        )


def test_happy_path_to_a_reminder_meets_the_period() -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    (
        scenario(wf, PROVINCIAL)
        .given(at=at(2025, 9, 15))
        .then(state="PLANNED", allowed={"REQUEST_REPORT", "CANCEL"}, deadlines={RULE: None})
        .when("REQUEST_REPORT")
        .advance("5 working days")
        .when("RECEIVE_REPORT")
        .when("START_ASSESSMENT")
        .advance("20 working days")
        .when("CONCLUDE", payload={"signs_of_violation": False, "findings": "minor delays"})
        .then(state="CONCLUDED", deadlines={RULE: "met"})
        .when("ISSUE_REMINDER")
        .then(state="REMINDER_ISSUED", allowed=set())
    )


# --------------------------------------------------------------------------- extension


def test_one_extension_of_a_third_moves_the_due_day() -> None:
    # 30 working days from Mon 22/9/2025 end on Mon 3/11; +10 (1/3 of 30) end on Mon 17/11/2025.
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    s = (
        scenario(wf, PROVINCIAL)
        .given("ASSESSING", at=at(2025, 9, 22))
        .when("EXTEND_SUPERVISION", payload={"extend_by": "10 working days", "reason": "scope"})
        .then(state="ASSESSING", deadlines={RULE: "2025-11-17"})
        .when("EXTEND_SUPERVISION", payload={"extend_by": "1 working day", "reason": "again"})
        .then(refused="extension_within_limit")
    )
    assert "extended 1 time(s) already" in str(s.refusal)


@pytest.mark.parametrize(
    ("level", "allowed"),
    [
        # floor(45 / 3) = 15, floor(30 / 3) = 10, floor(20 / 3) = 6 working days.
        pytest.param(Level.CENTRAL, 15, id="central-45-gives-15"),
        pytest.param(Level.PROVINCIAL, 10, id="provincial-30-gives-10"),
        pytest.param(Level.GRASSROOTS, 6, id="grassroots-20-gives-6"),
    ],
)
def test_extension_is_at_most_a_third_rounded_down(level: Level, allowed: int) -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), level)
    policy = wf.rule(RULE).extension
    assert policy is not None
    assert policy.max_total is not None
    assert policy.max_total.amount == allowed
    s = (
        scenario(wf, BY_LEVEL[level])
        .given("ASSESSING", at=at(2025, 9, 22))
        .when(
            "EXTEND_SUPERVISION",
            payload={"extend_by": f"{allowed + 1} working days", "reason": "late documents"},
        )
        .then(refused="extension_within_limit")
    )
    assert f"at most {allowed} working days" in str(s.refusal)


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        pytest.param({"reason": "x"}, "give 'extend_by'", id="no-extension"),
        pytest.param({"extend_by": "5 working days"}, "needs a 'reason'", id="no-reason"),
        pytest.param(
            {"extend_by": "5 days", "reason": "x"},
            "give the extension in working",
            id="calendar-days",
        ),
        pytest.param({"extend_by": "five days", "reason": "x"}, "invalid period", id="garbled"),
        pytest.param({"extend_by": "0 working days", "reason": "x"}, "longer than zero", id="zero"),
    ],
)
def test_bad_extensions_are_refused_with_the_rule(payload: dict[str, Any], words: str) -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    s = (
        scenario(wf, PROVINCIAL)
        .given("ASSESSING", at=at(2025, 9, 22))
        .when("EXTEND_SUPERVISION", payload=payload)
        .then(refused="extension_within_limit")
    )
    assert words in str(s.refusal)
    assert "HD 02-HD/UBKTTW (2017)" in str(s.refusal)


def test_extension_after_the_period_ended_is_refused() -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    s = (
        scenario(wf, PROVINCIAL)
        .given("ASSESSING", at=at(2025, 9, 22))
        .advance("31 working days")  # Tue 4/11/2025, the day after the due day 3/11
        .when("EXTEND_SUPERVISION", payload={"extend_by": "5 working days", "reason": "late"})
        .then(refused="extension_within_limit", deadlines={RULE: "overdue"})
    )
    assert "ended on 2025-11-03" in str(s.refusal)


# --------------------------------------------------------------------------- guards


def test_a_body_of_another_level_cannot_run_a_thematic_supervision() -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    s = (
        scenario(wf, CELL)
        .given(at=at(2025, 9, 15))
        .when("REQUEST_REPORT")
        .then(refused="supervising_body_level", state="PLANNED")
    )
    assert "grassroots-level body" in str(s.refusal)


def test_state_agencies_do_not_supervise() -> None:
    wf = regular_supervision_workflow(rules("2025-07"))
    s = (
        scenario(wf, POLICE)
        .given(at=at(2025, 9, 15))
        .when("REQUEST_REPORT")
        .then(refused="party_body")
    )
    assert "not a party body" in str(s.refusal)
    assert s.refusal is not None
    assert isinstance(s.refusal, TransitionRefused)
    assert s.refusal.failures[0].basis == str(PARTY_BODIES_ONLY)
    assert PARTY_BODIES_ONLY.status is RuleStatus.ASSUMED
    request = next(t for t in wf.transitions if t.trigger is SupervisionTrigger.REQUEST_REPORT)
    assert request.basis is FORMS


def test_district_bodies_act_until_30_6_2025_only() -> None:
    # QĐ 294-QĐ/TW: from 1/7/2025 the party system has no district level.
    before = regular_supervision_workflow(select_ruleset(dt.date(2025, 6, 30)))
    after = regular_supervision_workflow(select_ruleset(dt.date(2025, 7, 1)))
    scenario(before, DISTRICT).given(at=at(2025, 6, 30)).when("REQUEST_REPORT").then(
        state="REPORT_REQUESTED"
    )
    s = scenario(after, DISTRICT).given(at=at(2025, 7, 1)).when("REQUEST_REPORT")
    s.then(refused="no_district_level")
    assert "QĐ 294-QĐ/TW" in str(s.refusal)


def test_a_conclusion_must_say_whether_there_are_signs() -> None:
    wf = regular_supervision_workflow(rules("2025-07"))
    s = (
        scenario(wf, CELL)
        .given("ASSESSING", at=at(2025, 9, 15))
        .when("CONCLUDE", payload={"findings": "?"})
        .then(refused="conclusion_states_signs")
        .when("CONCLUDE", payload={"signs_of_violation": "yes"})
        .then(refused="conclusion_states_signs")
    )
    assert s.case.state is Supervision.ASSESSING


def test_signs_of_violation_lead_to_an_inspection_not_a_reminder() -> None:
    wf = regular_supervision_workflow(rules("2025-07"))
    s = (
        scenario(wf, CELL, signs=True)
        .given("CONCLUDED", at=at(2025, 9, 15))
        .when("ISSUE_REMINDER")
        .then(refused="no_signs_of_violation")
        .when("ESCALATE_TO_INSPECTION")
        .then(state="ESCALATED_TO_INSPECTION")
    )
    assert s.case.is_closed


def test_no_signs_means_no_escalation() -> None:
    wf = regular_supervision_workflow(rules("2025-07"))
    (
        scenario(wf, CELL, signs=False)
        .given("CONCLUDED", at=at(2025, 9, 15))
        .when("ESCALATE_TO_INSPECTION")
        .then(refused="signs_of_violation_found")
    )


@pytest.mark.parametrize("state", ["PLANNED", "REPORT_REQUESTED", "REPORT_RECEIVED", "ASSESSING"])
def test_cancel_needs_a_reason_and_cancels_the_period(state: str) -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    s = (
        scenario(wf, PROVINCIAL)
        .given(state, at=at(2025, 9, 15))
        .when("CANCEL")
        .then(refused="reason_given")
        .when("CANCEL", payload={"reason": "the organisation was merged"})
        .then(state="CANCELLED")
    )
    if state in ("REPORT_RECEIVED", "ASSESSING"):
        assert s.case.deadline(RULE).cancelled_at is not None


def test_regular_supervision_has_no_deadline_and_no_extension() -> None:
    wf = regular_supervision_workflow(rules("2025-07"))
    assert wf.deadline_rules == ()
    case = scenario(wf, CELL).given("ASSESSING", at=at(2025, 9, 15)).case
    assert case.deadlines == []
    with pytest.raises(TransitionRefused, match="allowed: CONCLUDE, CANCEL"):
        case.fire(
            "EXTEND_SUPERVISION",
            at=at(2025, 9, 16),
            actor=CELL,
            payload={"extend_by": "5 working days", "reason": "x"},
        )


# --------------------------------------------------------------------------- links


def test_escalation_opens_the_linked_inspection() -> None:
    wf = thematic_supervision_workflow(rules("2025-07"), Level.PROVINCIAL)
    case = (
        scenario(wf, PROVINCIAL, signs=True)
        .given("ESCALATED_TO_INSPECTION", at=at(2025, 9, 15))
        .case
    )
    child = open_inspection(case, at=at(2025, 9, 16), actor=PROVINCIAL, case_id="KT-9")
    assert child.workflow.key == "inspection@2025-07"
    assert child.subject == MEMBER
    assert child.origin is not None
    assert (child.origin.case_id, child.origin.step_index) == (case.id, case.version - 1)
    assert child.steps[0].payload["origin"]["case_id"] == case.id


# --------------------------------------------------------------------------- every transition


def _provider(signs: bool) -> Any:
    return {
        "CONCLUDE": {"signs_of_violation": signs},
        "CANCEL": {"reason": "merged"},
        "EXTEND_SUPERVISION": {"extend_by": "1 working day", "reason": "late"},
    }


@pytest.mark.parametrize("name", list(default_registry().names))
def test_every_transition_fires_with_its_inputs(name: str) -> None:
    for wf in supervision.workflows(rules(name)):
        level = wf.name.removeprefix("thematic_supervision_")
        actor = BY_LEVEL[Level(level)] if wf.name != "regular_supervision" else CELL
        when = at(2025, 9, 15)
        factory = CaseFactory(actor=actor, subject=MEMBER)
        quiet = walk_transitions(
            wf,
            factory=factory,
            providers=_provider(False),
            at=when,
            skip={"ESCALATE_TO_INSPECTION->ESCALATED_TO_INSPECTION"},
        )
        found = walk_transitions(
            wf,
            factory=factory,
            providers=_provider(True),
            at=when,
            skip={s.key for s in quiet.fired},
        )
        quiet.check()
        found.check()
        assert len(quiet.fired) + len(found.fired) == len(wf.compiled)


def test_the_trigger_enum_is_the_same_for_every_supervision() -> None:
    for wf in supervision.workflows(rules("2026")):
        assert wf.states is Supervision
        assert wf.triggers is SupervisionTrigger
