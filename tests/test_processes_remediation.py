"""Remediation monitoring: the deadline the conclusion notice sets, the sweep, the escalation.

No source sets a remediation deadline (rule 30 of the reference: set per conclusion notice,
recalled). Due dates are worked out by hand with the Civil Code counting (art. 147: the day of
the notice is not counted; art. 148: a month ends on the corresponding day or the month's last
day, and a last day that is not a working day rolls forward) and the official calendar
(``shared/domain/calendar.md`` §3 and the worked examples of §5.3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Level, Organisation, RuleStatus
from discipline_flow.case import Case
from discipline_flow.errors import InputError, TransitionRefused
from discipline_flow.processes import remediation
from discipline_flow.processes.inspection import inspection_workflow
from discipline_flow.processes.remediation import (
    NAME,
    Remediation,
    open_inspection,
    open_remediation,
    open_remediation_cases,
    remediation_workflow,
)
from discipline_flow.rules import default_registry, select_ruleset
from discipline_flow.testing import (
    SWEEP_ACTOR,
    CaseFactory,
    PayloadProviders,
    Scenario,
    ScenarioClock,
    walk_transitions,
)
from discipline_flow.time import Deadline, DeadlineRule, ExtensionPolicy, Period
from discipline_flow.time import default_calendar as calendar
from helpers import at

UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
DISTRICT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-huyen", Level.DISTRICT)
POLICE = Body(BodyKind.STATE_AGENCY, "police-1")
ORG = Organisation("dbx", Level.GRASSROOTS)
RULE = "remediation_deadline"
WF = remediation_workflow(default_registry().get("2025-07"))


def concluded_inspection(when: pendulum.DateTime) -> Case[Any, Any]:
    """An inspection of an organisation concluded with remediation, driven by the library."""
    wf = inspection_workflow(select_ruleset(when.date()))
    case = wf.open(ORG, at=when, actor=UBKT, case_id="KT-1")
    for trigger, payload in (
        ("DECIDE_INSPECTION", {"plan": "KH-12", "team": ["a", "b"]}),
        ("NOTIFY_SUBJECT", {}),
        ("REQUEST_SELF_REPORT", {}),
        ("RECEIVE_SELF_REPORT", {}),
        ("SUBMIT_DRAFT_REPORT", {}),
        ("HOLD_HEARING", {"attended": True}),
        ("CONCLUDE", {"outcome": "remediation"}),
    ):
        case.fire(trigger, at=when, actor=UBKT, payload=payload)
    assert case.state.name == "REMEDIATION_REQUIRED"
    return case


def monitored(when: pendulum.DateTime, period: str) -> Scenario[Any, Any]:
    parent = concluded_inspection(when)
    case = open_remediation(
        parent, action="restore the fund", period=period, at=when, actor=UBKT, case_id="KP-1"
    )
    return Scenario(case.workflow, name="remediation", actor=UBKT).given(case=case)


# --------------------------------------------------------------------------- the workflow


@pytest.mark.parametrize("ruleset", list(default_registry()), ids=lambda r: r.name)
def test_one_workflow_per_ruleset(ruleset: Any) -> None:
    [wf] = remediation.workflows(ruleset)
    assert (wf.name, wf.version, wf.ruleset) == (NAME, ruleset.name, ruleset.name)
    assert NAME == "remediation"
    rule = wf.rule(RULE)
    assert rule.period_key == "period"  # the conclusion notice sets the period (rule 30)
    assert rule.starts_on_trigger is remediation.RemediationTrigger.SET_DEADLINE
    assert rule.extension is None
    assert rule.on_miss is remediation.RemediationTrigger.ESCALATE_TO_INSPECTION
    assert rule.citation.status is RuleStatus.ASSUMED
    for member in (*wf.all_states, *wf.all_triggers):
        assert wf.labels[member].vi, member


# --------------------------------------------------------------------------- due dates

DUE = [
    # (notice, period the notice sets, due day) — Civil Code arts. 147-148, by hand.
    pytest.param(at(2025, 9, 15), "60 days", dt.date(2025, 11, 14), id="60d-15-9+15+31+14"),
    pytest.param(at(2025, 1, 31), "1 month", dt.date(2025, 2, 28), id="1m-31-1-ends-28-2-2025"),
    pytest.param(
        at(2025, 3, 31), "1 month", dt.date(2025, 5, 5), id="1m-31-3-2025-30-4-to-4-5-off"
    ),
    pytest.param(
        at(2026, 1, 17), "30 days", dt.date(2026, 2, 23), id="30d-from-sat-17-1-2026-into-tet"
    ),
    pytest.param(
        at(2025, 9, 15), "20 working days", dt.date(2025, 10, 13), id="20wd-from-mon-15-9-2025"
    ),
    pytest.param(
        at(2025, 12, 31), "3 working days", dt.date(2026, 1, 7), id="3wd-2-1-2026-swapped-off"
    ),
]


@pytest.mark.parametrize(("notice", "period", "due_on"), DUE)
def test_the_deadline_is_the_period_the_notice_sets(
    notice: pendulum.DateTime, period: str, due_on: dt.date
) -> None:
    monitored(notice, period).then(
        state="REMEDIATING",
        deadlines={RULE: {"start_on": notice.date(), "due_on": due_on, "status": "pending"}},
    )


def test_the_child_records_the_conclusion_as_its_origin() -> None:
    s = monitored(at(2025, 9, 15), "60 days")
    case = s.case
    assert case.origin is not None
    assert (case.origin.case_id, case.origin.workflow) == ("KT-1", "inspection@2025-07")
    assert case.subject == ORG
    assert case.steps[0].payload["action"] == "restore the fund"
    assert case.steps[1].payload == {"period": "60 days"}
    deadline = case.deadline(RULE)
    assert str(deadline.period) == "60 days"
    assert deadline.extensions == ()
    # The explanation names the notice's period as the period, not as an extension.
    kinds = [item.kind.value for item in deadline.explain().trace]
    assert "extension" not in kinds
    assert "60 days" in deadline.explain().text()


# --------------------------------------------------------------------------- paths


def test_completion_in_time_meets_the_deadline_and_is_verified() -> None:
    (
        monitored(at(2025, 9, 15), "60 days")
        .advance("20 days")
        .when("SUBMIT_PROGRESS_REPORT", actor="person:dbx", payload={"progress": "half repaid"})
        .then(state="REMEDIATING", deadlines={RULE: "pending"})
        .when("URGE")
        .advance("20 days")
        .when("REPORT_COMPLETION", actor="person:dbx")
        .then(state="COMPLETION_REPORTED", deadlines={RULE: "met"})
        .when("VERIFY_REMEDIATION")
        .then(state="VERIFIED", allowed=set())
    )


def test_a_late_completion_report_is_met_late() -> None:
    s = (
        monitored(at(2025, 9, 15), "60 days")
        .advance("61 days")  # Sat 15/11/2025, after 24:00 on Fri 14/11
        .then(deadlines={RULE: "overdue"})
        .when("REPORT_COMPLETION", actor="person:dbx")
        .then(state="COMPLETION_REPORTED", deadlines={RULE: "met"})
    )
    assert s.case.deadline(RULE).is_met_late


def test_the_sweep_escalates_a_missed_deadline_to_an_inspection() -> None:
    s = (
        monitored(at(2025, 9, 15), "60 days")
        .advance("59 days")  # Thu 13/11/2025
        .sweep()
        .then(state="REMEDIATING", deadlines={RULE: "due_soon"})
        .advance("1 day")  # Fri 14/11/2025, the due day itself: not missed yet
        .sweep()
        .then(state="REMEDIATING")
        .advance("3 days")  # Mon 17/11/2025
        .sweep()
        .then(state="ESCALATED_TO_INSPECTION", deadlines={RULE: "cancelled"})
    )
    last = s.case.steps[-1]
    assert last.actor == SWEEP_ACTOR
    assert last.payload["deadline"] == RULE
    child = open_inspection(s.case, at=at(2025, 11, 18), actor=UBKT)
    assert child.workflow.name == "inspection"
    assert child.origin is not None
    assert child.origin.case_id == "KP-1"


def test_escalation_before_the_deadline_is_refused() -> None:
    s = (
        monitored(at(2025, 9, 15), "60 days")
        .when("ESCALATE_TO_INSPECTION")
        .then(refused="remediation_deadline_passed")
    )
    assert "runs until the end of 2025-11-14" in str(s.refusal)


def test_verification_that_finds_it_not_remedied_escalates_with_a_reason() -> None:
    (
        monitored(at(2025, 9, 15), "60 days")
        .when("REPORT_COMPLETION", actor="person:dbx")
        .when("ESCALATE_TO_INSPECTION")
        .then(refused="reason_given")
        .when("ESCALATE_TO_INSPECTION", payload={"reason": "the fund was not restored"})
        .then(state="ESCALATED_TO_INSPECTION")
    )


@pytest.mark.parametrize("state", ["ACTION_REQUIRED", "REMEDIATING", "COMPLETION_REPORTED"])
def test_cancel_needs_a_reason_and_closes_the_deadline(state: str) -> None:
    providers = PayloadProviders().register(WF, {"SET_DEADLINE": {"period": "60 days"}})
    factory = CaseFactory(providers=providers, subject=ORG)
    s = (
        Scenario(WF, factory=factory, actor=UBKT)
        .given(state, at=at(2025, 9, 15))
        .when("CANCEL")
        .then(refused="reason_given")
        .when("CANCEL", payload={"reason": "the conclusion was annulled"})
        .then(state="CANCELLED")
    )
    if state == "ACTION_REQUIRED":  # cancelled before the notice's period was set: no deadline
        assert s.case.deadlines == []
        return
    deadline = s.case.deadline(RULE)
    if state == "COMPLETION_REPORTED":  # the completion report met it before the cancellation
        assert deadline.met_at is not None
        assert deadline.cancelled_at is None
    else:
        assert deadline.cancelled_at is not None


def test_a_progress_report_says_what_progress() -> None:
    monitored(at(2025, 9, 15), "60 days").when("SUBMIT_PROGRESS_REPORT", actor="person:dbx").then(
        refused="progress_given"
    )


# --------------------------------------------------------------------------- guards


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        pytest.param({}, "give 'period'", id="missing"),
        pytest.param({"extend_by": "60 days"}, "'extend_by' no longer sets it", id="old-key"),
        pytest.param({"period": "0 days"}, "longer than zero", id="zero"),
        pytest.param({"period": "36 hours"}, "counted in days, weeks", id="hours"),
        pytest.param({"period": "soon"}, "invalid period", id="garbled"),
        pytest.param({"period": 60}, "expected text", id="not-text"),
    ],
)
def test_the_notice_period_must_be_a_positive_period(payload: dict[str, Any], words: str) -> None:
    case = WF.open(ORG, at=at(2025, 9, 15), actor=UBKT, payload={"action": "x"})
    s = Scenario(WF, actor=UBKT).given(case=case).when("SET_DEADLINE", payload=payload)
    s.then(refused="notice_period_given", state="ACTION_REQUIRED")
    assert words in str(s.refusal)


def test_the_period_is_set_on_the_day_of_the_notice() -> None:
    # The notice is Mon 15/9/2025, the day the case was opened: its period is set that day (up
    # to 23:59 local time), not the next.
    case = WF.open(ORG, at=at(2025, 9, 15), actor=UBKT, payload={"action": "x"})
    late = Scenario(WF, actor=UBKT, clock=ScenarioClock(at(2025, 9, 15, 23))).given(case=case)
    late.when("SET_DEADLINE", payload={"period": "60 days"}).then(state="REMEDIATING")
    assert late.case.deadline(RULE).due_on == dt.date(2025, 11, 14)
    case = WF.open(ORG, at=at(2025, 9, 15), actor=UBKT, payload={"action": "x"})
    clock = ScenarioClock(at(2025, 9, 16))
    s = Scenario(WF, actor=UBKT, clock=clock).given(case=case)
    s.when("SET_DEADLINE", payload={"period": "60 days"}).then(refused="notice_period_given")
    assert "open_remediation()" in str(s.refusal)
    # No deadline runs before the period is set, so the sweep has nothing to escalate.
    assert s.case.deadlines == []
    s.sweep().then(state="ACTION_REQUIRED")


@pytest.mark.parametrize(
    ("actor", "guard"),
    [
        pytest.param(POLICE, "party_body", id="state-agency"),
        pytest.param(DISTRICT, "no_district_level", id="district-from-1-7-2025"),
    ],
)
def test_the_monitoring_body_is_a_party_body_of_a_level_that_exists(
    actor: Body, guard: str
) -> None:
    monitored(at(2025, 9, 15), "60 days").when("URGE", actor=actor).then(refused=guard)


def test_a_district_body_monitors_until_30_6_2025() -> None:
    wf = remediation_workflow(select_ruleset(dt.date(2025, 6, 30)))
    case = wf.open(ORG, at=at(2025, 6, 30), actor=DISTRICT, payload={"action": "x"})
    case.fire("SET_DEADLINE", at=at(2025, 6, 30), actor=DISTRICT, payload={"period": "1 month"})
    assert case.state is Remediation.REMEDIATING
    assert case.deadline(RULE).due_on == dt.date(2025, 7, 30)  # 30/6 + 1 month: Wed 30/7/2025


# --------------------------------------------------------------------------- helpers


def test_one_case_per_action_each_with_its_own_deadline() -> None:
    parent = concluded_inspection(at(2025, 9, 15))
    cases = open_remediation_cases(
        parent,
        [("restore the fund", "60 days"), ("review the cell secretary", "20 working days")],
        at=at(2025, 9, 15),
        actor=UBKT,
        case_ids=["KP-1", "KP-2"],
    )
    assert [c.id for c in cases] == ["KP-1", "KP-2"]
    assert [c.deadline(RULE).due_on for c in cases] == [
        dt.date(2025, 11, 14),
        dt.date(2025, 10, 13),
    ]
    assert {c.origin.case_id for c in cases if c.origin is not None} == {"KT-1"}
    with pytest.raises(InputError, match="one id per action"):
        open_remediation_cases(
            parent, [("a", "1 month")], at=at(2025, 9, 15), actor=UBKT, case_ids=["x", "y"]
        )


def test_open_remediation_refuses_bad_input_before_opening() -> None:
    parent = concluded_inspection(at(2025, 9, 15))
    with pytest.raises(InputError, match="name the action"):
        open_remediation(parent, action=" ", period="1 month", at=at(2025, 9, 15), actor=UBKT)
    with pytest.raises(InputError, match="before the step"):
        open_remediation(parent, action="x", period="1 month", at=at(2025, 9, 14), actor=UBKT)
    with pytest.raises(TransitionRefused, match="party_body"):
        open_remediation(parent, action="x", period="1 month", at=at(2025, 9, 15), actor=POLICE)


# --------------------------------------------------------------------------- every transition


@pytest.mark.parametrize("name", list(default_registry().names))
def test_every_transition_fires_with_its_inputs(name: str) -> None:
    wf = remediation_workflow(default_registry().get(name))
    provided: dict[str, Any] = {
        "SET_DEADLINE": {"period": "1 month"},
        "SUBMIT_PROGRESS_REPORT": {"progress": "started"},
        "CANCEL": {"reason": "annulled"},
        "ESCALATE_TO_INSPECTION->ESCALATED_TO_INSPECTION": {"reason": "not remedied"},
    }
    factory = CaseFactory(actor=UBKT, subject=ORG)
    escalate = "ESCALATE_TO_INSPECTION->ESCALATED_TO_INSPECTION"
    report = walk_transitions(wf, factory=factory, providers=provided, at=at(2025, 9, 15))
    # Two transitions share that key: from COMPLETION_REPORTED it fires with a reason; from
    # REMEDIATING only once the deadline has passed, which the sweep test covers.
    assert [f.step.source.name for f in report.failures] == ["REMEDIATING"]
    assert report.failures[0].step.key == escalate
    case = factory(wf, "REMEDIATING", at=at(2025, 9, 15), payloads=provided)
    case.fire("ESCALATE_TO_INSPECTION", at=at(2025, 10, 16), actor=SWEEP_ACTOR)
    assert case.state is Remediation.ESCALATED_TO_INSPECTION
    assert len(report.fired) + 1 == len(wf.compiled)


def test_a_deadline_stored_the_old_way_keeps_its_due_date_when_recomputed() -> None:
    """Before ``period_key``, the rule was 0 days from the opening and ``SET_DEADLINE`` extended
    it by the notice's period. Recomputing such a stored deadline with today's rule (a
    calendar or rule change) keeps its own 0-day period and its extension: same due date."""

    new = WF.rule(RULE)
    old = DeadlineRule(
        RULE,
        Period.parse("0 days"),
        starts_on_enter=Remediation.ACTION_REQUIRED,
        extended_by=remediation.RemediationTrigger.SET_DEADLINE,
        extension=ExtensionPolicy(max_count=1, reason_required=False),
        citation=new.citation,
    )
    stored = Deadline.start(old, started_at=at(2025, 9, 15), calendar=calendar()).extend(
        "60 days", reason=None, at=at(2025, 9, 15), rule=old, calendar=calendar()
    )
    assert stored.due_on == dt.date(2025, 11, 14)
    again = stored.recompute(rule=new, calendar=calendar())
    assert (again.due_on, str(again.period), again.extensions) == (
        dt.date(2025, 11, 14),
        "0 days",
        stored.extensions,
    )
