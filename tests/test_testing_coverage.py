"""The coverage recorder and report, outside pytest's plugin machinery."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from discipline_flow import Member
from discipline_flow.errors import InputError
from discipline_flow.observe import FireEvent, GuardOutcome
from discipline_flow.testing import (
    CaseFactory,
    CoverageRecorder,
    CoverageReport,
    Ratio,
    RuleCount,
    Scenario,
    WorkflowCoverage,
)
from discipline_flow.testing.coverage import note_missed, note_workflow
from scenarios.df_example_flows import (
    COMMISSION,
    SUBJECT,
    complaint_providers,
    complaint_workflow,
)

TZ = "Asia/Ho_Chi_Minh"
AT = pendulum.datetime(2025, 9, 15, 9, tz=TZ)
WORKFLOW = complaint_workflow()


def scenario() -> Scenario[Any, Any]:
    factory = CaseFactory(providers=complaint_providers(), subject=SUBJECT)
    return Scenario(WORKFLOW, factory=factory, actor=COMMISSION)


def test_ratio() -> None:
    assert Ratio(1, 3).percent == pytest.approx(33.333, abs=1e-3)
    assert str(Ratio(1, 3)) == "1/3 (33.3%)"
    assert Ratio(0, 0).percent == 100.0
    assert str(Ratio(0, 0)) == "0/0 (-)"
    assert Ratio(1, 2) + Ratio(2, 2) == Ratio(3, 4)
    assert Ratio(2, 3).to_dict() == {"covered": 2, "total": 3, "percent": 66.67}


def test_a_scenario_counts_transitions_guards_and_deadline_outcomes() -> None:
    recorder = CoverageRecorder()
    with recorder.recording():
        run = scenario().given("UNDER_REVIEW", at=AT)  # FILE_COMPLAINT, ACCEPT
        run.when("RESOLVE", payload={"in_favour": 2, "eligible": 9})  # majority refuses: UPHELD
        run.then(state="UPHELD")
        late = scenario().given("ANNOUNCED", at=AT).advance("31 working days")
        late.then(deadlines={"complaint_window": "overdue"})
    report = recorder.report([WORKFLOW]).workflow("complaint_demo")
    assert [(t.step.key, t.count) for t in report.transitions] == [
        ("FILE_COMPLAINT->FILED", 1),
        ("EXPIRE->EXPIRED", 0),
        ("ACCEPT->UNDER_REVIEW", 1),
        ("EXTEND->UNDER_REVIEW", 0),
        ("RESOLVE->OVERTURNED", 0),
        ("RESOLVE->UPHELD", 1),
        ("WITHDRAW->WITHDRAWN", 0),
        ("WITHDRAW->WITHDRAWN", 0),
    ]
    guards = {(g.step.transition, g.guard): (g.passed, g.refused) for g in report.guards}
    assert guards == {
        (0, "own_behalf"): (1, 0),
        (1, "window_missed"): (0, 0),
        (2, "competent_body"): (1, 0),
        (3, "competent_body"): (0, 0),
        (4, "competent_body"): (1, 0),
        (4, "majority"): (0, 1),
        (5, "competent_body"): (1, 0),
    }
    assert report.deadlines == (
        # complaint_window: started when each case opened, met by FILE_COMPLAINT, seen overdue.
        RuleCount("complaint_window", 2, 1, 1),
        # resolution_time: started by FILE_COMPLAINT, met on entering UPHELD.
        RuleCount("resolution_time", 1, 1, 0),
    )
    assert report.transition_ratio == Ratio(3, 8)
    assert report.guard_ratio == Ratio(5, 14)
    assert report.deadline_ratio == Ratio(5, 6)
    assert report.missing()[:2] == [
        "transition #1 ANNOUNCED -EXPIRE-> EXPIRED",
        "transition #3 UNDER_REVIEW -EXTEND-> UNDER_REVIEW",
    ]
    assert "guard majority on #4 UNDER_REVIEW -RESOLVE-> OVERTURNED: never passed" in (
        report.missing()
    )
    assert "deadline resolution_time: never missed" in report.missing()


def test_a_missed_deadline_is_counted_once_however_often_it_is_seen() -> None:
    recorder = CoverageRecorder()
    with recorder.recording():
        late = scenario().given("ANNOUNCED", at=AT).advance("31 working days")
        late.then(deadlines={"complaint_window": "overdue"}).advance("1 day").then(
            state="ANNOUNCED"
        )
    (rule, _) = recorder.report([WORKFLOW]).workflow("complaint_demo@1").deadlines
    assert rule.missed == 1


def test_firing_the_on_miss_trigger_counts_as_missed() -> None:
    # As a store's sweep does: EXPIRE is complaint_window's on_miss trigger.
    case = CaseFactory(providers=complaint_providers(), subject=SUBJECT)(WORKFLOW, at=AT)
    recorder = CoverageRecorder()
    with recorder.recording():
        case.fire("EXPIRE", at=pendulum.datetime(2025, 10, 28, tz=TZ), actor=COMMISSION)
    (rule, _) = recorder.report([WORKFLOW]).workflow("complaint_demo@1").deadlines
    assert (rule.started, rule.missed) == (0, 1)


def test_events_are_only_seen_while_recording() -> None:
    recorder = CoverageRecorder()
    tokens = recorder.start()
    try:
        note_workflow(WORKFLOW)
        WORKFLOW.open(SUBJECT, at=AT, actor="person:clerk")  # its opening is an event
        note_missed("complaint_demo@1", "complaint_window", "by hand")
    finally:
        recorder.stop(tokens)
    note_missed("complaint_demo@1", "resolution_time", "not recording")
    coverage = recorder.report().workflow("complaint_demo@1")
    assert coverage.deadlines[0] == RuleCount("complaint_window", 1, 0, 1)
    assert coverage.deadlines[1].missed == 0
    assert recorder.workflow_keys == ("complaint_demo@1",)


def test_a_workflow_seen_only_by_key_is_listed_but_not_totalled() -> None:
    recorder = CoverageRecorder()
    recorder(FireEvent("other@2", "C-1", "GO", "A", "B", 0, False, (GuardOutcome(0, "g", True),)))
    recorder.add_workflow(WORKFLOW)
    report = recorder.report(shipped=["complaint_demo@1"])
    other = report.workflow("other@2")
    assert (other.is_defined, other.events, other.transitions) == (False, 1, ())
    assert report.transitions == Ratio(0, 8)
    assert report.workflow("complaint_demo").is_shipped
    text = report.text()
    assert "complaint_demo@1 (shipped)" in text
    assert text.count("other@2") == 1
    assert "workflows seen only by key" in text
    assert report.to_dict()["workflows"][1] == {
        "workflow": "other@2",
        "defined": False,
        "shipped": False,
        "events": 1,
        "totals": {
            "transitions": {"covered": 0, "total": 0, "percent": 100.0},
            "guard_outcomes": {"covered": 0, "total": 0, "percent": 100.0},
            "deadline_outcomes": {"covered": 0, "total": 0, "percent": 100.0},
        },
        "transitions": [],
        "guards": [],
        "deadline_rules": [],
    }
    with pytest.raises(InputError, match="no coverage for 'nothing'"):
        report.workflow("nothing")


def test_text_lists_what_is_missing_of_exercised_workflows_only() -> None:
    recorder = CoverageRecorder()
    untouched = recorder.report([WORKFLOW])
    assert not untouched.workflow("complaint_demo").is_exercised
    assert "not covered:" not in untouched.text()  # the table's 0 % says it all
    with recorder.recording():
        CaseFactory(providers=complaint_providers(), subject=SUBJECT)(WORKFLOW, "FILED", at=AT)
    report = recorder.report([WORKFLOW])
    assert report.workflow("complaint_demo").is_exercised
    assert "not covered:" in report.text()
    assert "not covered:" not in report.text(show_missing=False)
    empty = CoverageReport(())
    assert empty.transitions == Ratio(0, 0)
    assert WorkflowCoverage("x@1", True, False).missing() == []


def test_fires_on_another_subject_count_for_the_same_workflow() -> None:
    recorder = CoverageRecorder()
    with recorder.recording():
        case = WORKFLOW.open(Member("m-9"), at=AT, actor="person:clerk")
        case.fire("FILE_COMPLAINT", at=AT, actor="person:m-9")
    assert not recorder.report().workflow("complaint_demo@1").is_defined
    coverage = recorder.report([WORKFLOW]).workflow("complaint_demo@1")
    assert coverage.transitions[0].count == 1
    # Opened directly, not through the toolkit: the opening is an event, so the deadline it
    # started (complaint_window, started on entering ANNOUNCED) counts as started.
    assert coverage.deadlines[0].started == 1
