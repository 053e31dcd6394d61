"""Inspection on signs of violation (``discipline_flow.processes.inspection``).

No time limit was found for this inspection (rule 29 of the reference's deadline table), so the
workflow has no deadline rules; the tests check that none is started.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation, RuleStatus
from discipline_flow.errors import InputError, TransitionRefused
from discipline_flow.processes import shipped_workflows
from discipline_flow.processes.inspection import (
    INSPECTING_BODY_KINDS,
    OUTCOMES,
    PROCEDURE_BASIS,
    InspectionState,
    inspection,
    inspection_workflow,
    open_discipline_cases,
    workflows,
)
from discipline_flow.rules import select_ruleset
from discipline_flow.testing import CaseFactory, StepInput, covering_paths
from discipline_flow.testing.paths import PathStep
from helpers import RULESETS, TZ, at

UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
DISTRICT_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-h", Level.DISTRICT)
MEMBER = Member("m-1", cell_id="cell-7")
ORG = Organisation("dang-bo-x", Level.GRASSROOTS)
PLAN: dict[str, Any] = {"plan": "KH-12/2025", "team": ["a", "b", "c"]}


def heard(
    subject: Any = MEMBER, actor: Body = UBKT, day: pendulum.DateTime | None = None
) -> Case[Any, Any]:
    """An inspection of ``subject`` brought to the hearing on the draft report."""
    start = day or at(2025, 9, 1)
    case: Case[Any, Any] = inspection(select_ruleset(start.date())).open(
        subject, at=start, actor=actor
    )
    moves: list[tuple[str, dict[str, Any]]] = [
        ("DECIDE_INSPECTION", PLAN),
        ("NOTIFY_SUBJECT", {}),
        ("REQUEST_SELF_REPORT", {}),
        ("RECEIVE_SELF_REPORT", {}),
        ("SUBMIT_DRAFT_REPORT", {}),
        ("HOLD_HEARING", {"attended": True, "views": "agrees in part"}),
    ]
    for i, (trigger, payload) in enumerate(moves, start=1):
        case.fire(trigger, at=start.add(days=i), actor=actor, payload=payload)
    return case


def refused_by(case: Case[Any, Any], trigger: str, **kwargs: Any) -> set[str]:
    before = case.version
    with pytest.raises(TransitionRefused) as info:
        case.fire(trigger, **kwargs)
    assert case.version == before
    return {f.guard for f in info.value.failures}


@pytest.mark.parametrize("name", sorted(RULESETS))
def test_one_workflow_per_ruleset_without_deadlines(name: str) -> None:
    (wf,) = workflows(RULESETS[name])
    assert (wf.name, wf.version, wf.ruleset) == ("inspection", name, name)
    # Rule 29 of the deadline table: no time limit found; none is encoded.
    assert wf.deadline_rules == ()
    assert PROCEDURE_BASIS in wf.citations
    assert set(OUTCOMES.values()) < wf.terminal
    assert BodyKind.CELL_EXECUTIVE not in INSPECTING_BODY_KINDS
    assert all(m in wf.labels for m in (*wf.all_states, *wf.all_triggers))
    assert inspection_workflow(RULESETS[name]).key == wf.key


def test_member_inspection_to_discipline() -> None:
    case = heard()
    assert case.deadlines == []
    case.fire(
        "CONCLUDE",
        at=at(2025, 9, 20),
        actor=UBKT,
        payload={"outcome": "discipline", "measure": "warning", "violation_on": "2025-03-01"},
    )
    assert case.state is InspectionState.DISCIPLINE_PROPOSED
    (child,) = open_discipline_cases(case, at=at(2025, 9, 22), actor=UBKT)
    assert child.id == f"{case.id}/m-1"
    assert child.subject == MEMBER
    assert child.workflow.key == "member_discipline@2025-07"
    assert child.origin is not None
    assert (child.origin.case_id, child.origin.step_index) == (case.id, case.version - 1)
    assert child.steps[0].payload["measure"] == "warning"
    assert child.steps[0].payload["violation_on"] == "2025-03-01"


def test_organisation_inspection_opens_cases_for_several_members() -> None:
    case = heard(ORG)
    assert refused_by(
        case, "CONCLUDE", at=at(2025, 9, 20), actor=UBKT, payload={"outcome": "discipline"}
    ) >= {"outcome_discipline"}
    case.fire(
        "CONCLUDE",
        at=at(2025, 9, 20),
        actor=UBKT,
        payload={"outcome": "discipline", "members": ["m-1", "m-2", "m-3"]},
    )
    known = Member("m-2", cell_id="cell-9", holds_post=True)
    children = open_discipline_cases(case, at=at(2025, 9, 22), actor=UBKT, members=[known])
    assert [c.subject.id for c in children] == ["m-1", "m-2", "m-3"]
    assert children[1].subject == known
    assert {c.origin.case_id for c in children if c.origin} == {case.id}
    with pytest.raises(InputError, match="not listed"):
        open_discipline_cases(case, at=at(2025, 9, 22), actor=UBKT, members=[Member("m-9")])


@pytest.mark.parametrize(
    ("outcome", "state"),
    [
        ("no_violation", InspectionState.CLOSED_NO_VIOLATION),
        ("remediation", InspectionState.REMEDIATION_REQUIRED),
    ],
)
def test_other_conclusions(outcome: str, state: InspectionState) -> None:
    case = heard()
    assert refused_by(
        case, "CONCLUDE", at=at(2025, 9, 20), actor=UBKT, payload={"outcome": "x"}
    ) == {
        "outcome_no_violation",
        "outcome_remediation",
        "outcome_discipline",
    }
    case.fire("CONCLUDE", at=at(2025, 9, 20), actor=UBKT, payload={"outcome": outcome})
    assert case.state is state
    with pytest.raises(InputError, match="DISCIPLINE_PROPOSED"):
        open_discipline_cases(case, at=at(2025, 9, 21), actor=UBKT)


def test_who_may_inspect() -> None:
    rules = select_ruleset(dt.date(2025, 9, 1))
    wf = inspection(rules)
    # A cell inspects its own members, not organisations (QĐ 296 Điều 6, 18).
    org_case = wf.open(ORG, at=at(2025, 9, 1), actor=CELL)
    assert refused_by(
        org_case, "DECIDE_INSPECTION", at=at(2025, 9, 1), actor=CELL, payload=PLAN
    ) == {"may_inspect"}
    member_case = wf.open(MEMBER, at=at(2025, 9, 1), actor=CELL)
    member_case.fire("DECIDE_INSPECTION", at=at(2025, 9, 1), actor=CELL, payload=PLAN)
    # State agencies and cell executives do not inspect party members.
    for body in (Body(BodyKind.STATE_AGENCY, "police"), Body(BodyKind.CELL_EXECUTIVE, "cu")):
        other = wf.open(MEMBER, at=at(2025, 9, 1), actor=body)
        assert refused_by(
            other, "DECIDE_INSPECTION", at=at(2025, 9, 1), actor=body, payload=PLAN
        ) == {"may_inspect"}
    # Plan and team are part of the decision.
    bare = wf.open(MEMBER, at=at(2025, 9, 1), actor=UBKT)
    assert refused_by(bare, "DECIDE_INSPECTION", at=at(2025, 9, 1), actor=UBKT) == {"plan_and_team"}


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(dt.date(2025, 6, 30), True), (dt.date(2025, 7, 1), False)],  # QĐ 294-QĐ/TW
)
def test_district_bodies_inspect_until_30_june_2025(day: dt.date, allowed: bool) -> None:
    when = pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)
    case = inspection(select_ruleset(day)).open(MEMBER, at=when, actor=DISTRICT_UBKT)
    failures = case.check("DECIDE_INSPECTION", at=when, actor=DISTRICT_UBKT, payload=PLAN)
    assert (not failures) is allowed


def test_absent_subject_and_supplementary_explanations() -> None:
    wf = inspection(select_ruleset(dt.date(2025, 9, 1)))
    case = wf.open(MEMBER, at=at(2025, 9, 1), actor=UBKT)
    case.fire("DECIDE_INSPECTION", at=at(2025, 9, 1), actor=UBKT, payload=PLAN)
    case.fire("NOTIFY_SUBJECT", at=at(2025, 9, 2), actor=UBKT)
    case.fire("REQUEST_SELF_REPORT", at=at(2025, 9, 2), actor=UBKT)
    # QĐ 296 Điều 12 khoản 2 điểm 2.1 (secondary): invited several times, still handled.
    with pytest.raises(TransitionRefused, match=r"Điều 12 khoản 2 điểm 2\.1 \(secondary\)"):
        case.fire(
            "PROCEED_WITHOUT_SELF_REPORT", at=at(2025, 9, 9), actor=UBKT, payload={"invitations": 1}
        )
    case.fire(
        "PROCEED_WITHOUT_SELF_REPORT", at=at(2025, 9, 16), actor=UBKT, payload={"invitations": 3}
    )
    case.fire("REQUEST_EXPLANATION", at=at(2025, 9, 20), actor=UBKT)
    assert case.state is InspectionState.SELF_REPORT_PENDING
    # Only the body that decided the inspection stops it, and with a reason.
    assert refused_by(
        case, "STOP", at=at(2025, 9, 21), actor=DISTRICT_UBKT, payload={"reason": "r"}
    ) == {"inspecting_body"}
    assert refused_by(case, "STOP", at=at(2025, 9, 21), actor=UBKT) == {"reason_given"}
    case.fire("STOP", at=at(2025, 9, 21), actor=UBKT, payload={"reason": "the member died"})
    assert case.state.name == "STOPPED"


@pytest.mark.parametrize(
    ("name", "status"),
    [("2022", RuleStatus.ASSUMED), ("2025", RuleStatus.SECONDARY), ("2026", RuleStatus.ASSUMED)],
)
def test_who_inspects_basis_by_ruleset(name: str, status: RuleStatus) -> None:
    # QĐ 296 Điều 5-7 seen in secondary sources; assumed for QĐ 22 and carried into QĐ 21.
    wf = inspection(RULESETS[name])
    (decide,) = wf.candidates(InspectionState.SIGNS_DETECTED, wf.trigger_named("DECIDE_INSPECTION"))
    assert decide.basis is not None
    assert decide.basis.status is status


# ---------------------------------------------------------------------------- every transition


def _provide(step: PathStep[Any, Any], case: Case[Any, Any]) -> StepInput | None:
    name = step.trigger.name
    if name == "DECIDE_INSPECTION":
        return StepInput(PLAN, actor=UBKT)
    if name == "PROCEED_WITHOUT_SELF_REPORT":
        return StepInput({"invitations": 2}, actor=UBKT)
    if name == "CONCLUDE":
        outcome = {v.name: k for k, v in OUTCOMES.items()}[step.target.name]
        return StepInput({"outcome": outcome, "members": ["m-1"]}, actor=UBKT)
    if name == "STOP":
        return StepInput({"reason": "r"}, actor=UBKT)
    return StepInput({}, actor=UBKT)


@pytest.mark.parametrize("name", sorted(RULESETS))
def test_every_transition_fires(name: str) -> None:
    wf = shipped_workflows(RULESETS[name])
    (insp,) = [w for w in wf if w.name == "inspection"]
    effective = RULESETS[name].effective_from
    start = pendulum.datetime(effective.year, effective.month, effective.day, 9, tz=TZ)
    fired = set()
    for path in covering_paths(insp):
        case = CaseFactory().follow(insp, path, at=start, subject=ORG, payloads=_provide)
        assert case.state is path.end
        last = path.steps[-1]
        fired.add((last.source, last.trigger, last.target))
    assert fired == {(c.source, c.trigger, c.target) for c in insp.compiled}
