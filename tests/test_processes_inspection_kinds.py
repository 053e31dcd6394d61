"""The other kinds of inspection: regular (Charter Điều 30), discipline work and party finances
(Điều 32): one workflow per kind and level, every transition, authority, typed findings,
deadlines worked out by hand, and the cases a conclusion opens.

Rules: no time limit for inspections by committees or commissions was found; each ruleset
assumes the limits QĐ 331-QĐ/TW (2025) sets for advisory bodies: 60 days (central), 45
(provincial), 20 (district and grassroots), from the decision, one extension of at most 1/3,
cited to the Charter article (assumed). Civil Code counting (art. 147: the start day is not
counted; art. 148: a last day that is not a working day moves to the next working day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from discipline_flow import Body, BodyKind, Level, Member, Organisation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes import (
    discipline_work_inspection,
    finance_inspection,
    regular_inspection,
    shipped_registry,
    workflow_for,
)
from discipline_flow.processes._inspection_kinds import InspectionKindState, kind_levels
from discipline_flow.processes.discipline_work_inspection import (
    Finding,
    FindingKind,
    Recommendation,
    discipline_work_inspection_workflow,
    findings_of,
)
from discipline_flow.processes.finance_inspection import finance_inspection_workflow
from discipline_flow.processes.regular_inspection import (
    open_discipline_cases,
    open_inspection,
    open_regular_inspection,
    open_remediation,
    regular_inspection_workflow,
)
from discipline_flow.rules import default_registry, select_ruleset
from discipline_flow.testing import CaseFactory, PayloadProviders, Scenario, walk_transitions
from helpers import at

MODULES = {
    "regular_inspection": regular_inspection,
    "discipline_work_inspection": discipline_work_inspection,
    "finance_inspection": finance_inspection,
}
RULE = "inspection_period"
PLAN = {"plan": "KH-1", "team": ["a", "b"]}


def origin_of(case: Any) -> str | None:
    """The id of the case that opened ``case``."""
    return case.origin.case_id if case.origin is not None else None


def others(outcome: str) -> list[str]:
    """The outcome guards of the other ``CONCLUDE`` rows, which refuse a conclusion too."""
    names = ("no_violation", "remediation", "signs_of_violation", "discipline")
    return [f"outcome_{name}" for name in names if name != outcome]


def body(kind_name: str, level: Level) -> Body:
    """The body that runs ``kind_name`` at ``level``: a standing committee under Điều 30, an
    inspection commission under Điều 32."""
    if kind_name == "regular_inspection":
        return Body(BodyKind.STANDING_COMMITTEE, f"btv-{level.value}", level)
    return Body(BodyKind.INSPECTION_COMMISSION, f"ubkt-{level.value}", level)


def decision(kind_name: str) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "regular_inspection": {"content": "carrying out resolution 05"},
        "discipline_work_inspection": {},
        "finance_inspection": {"target": "finance_office"},
    }[kind_name]
    return {**PLAN, **extra}


def conclusions(kind_name: str) -> dict[str, Any]:
    findings: dict[str, Any] = {"findings": []} if kind_name == "discipline_work_inspection" else {}
    return {
        f"CONCLUDE->{state.name}": {"outcome": outcome, **findings, "members": ["m-1"]}
        if outcome == "discipline"
        else {"outcome": outcome, **findings}
        for outcome, state in {
            "no_violation": InspectionKindState.CLOSED_NO_VIOLATION,
            "remediation": InspectionKindState.REMEDIATION_REQUIRED,
            "signs_of_violation": InspectionKindState.SIGNS_OF_VIOLATION,
            "discipline": InspectionKindState.DISCIPLINE_PROPOSED,
        }.items()
    }


def providers(kind_name: str) -> dict[str, Any]:
    return {
        "DECIDE_INSPECTION": decision(kind_name),
        "EXTEND_INSPECTION": {"extend_by": "5 days", "reason": "many documents"},
        "STOP": {"reason": "the organisation was merged"},
        **conclusions(kind_name),
    }


def scenario(wf: Any, kind_name: str, actor: Body, subject: Any) -> Scenario[Any, Any]:
    registry = PayloadProviders().register(wf, providers(kind_name))
    return Scenario(wf, factory=CaseFactory(providers=registry, subject=subject), actor=actor)


# --------------------------------------------------------------------------- the workflows


@pytest.mark.parametrize("ruleset", list(default_registry()), ids=lambda r: r.name)
@pytest.mark.parametrize("kind_name", list(MODULES))
def test_one_workflow_per_level_of_each_ruleset(kind_name: str, ruleset: Any) -> None:
    names = [wf.name for wf in MODULES[kind_name].workflows(ruleset)]
    levels = ["central", "provincial", "district", "grassroots"]
    if not ruleset.has_district_level:  # QĐ 294-QĐ/TW: no district level from 1 July 2025
        levels.remove("district")
    assert names == [f"{kind_name}_{level}" for level in levels]
    for name in names:
        assert f"{name}@{ruleset.name}" in {wf.key for wf in shipped_registry()}


@pytest.mark.parametrize("ruleset", list(default_registry()), ids=lambda r: r.name)
@pytest.mark.parametrize("kind_name", list(MODULES))
def test_every_transition_fires_with_its_inputs(kind_name: str, ruleset: Any) -> None:
    for level in kind_levels(ruleset):
        wf = workflow_for(f"{kind_name}_{level.value}", ruleset.effective_from)
        factory = CaseFactory(actor=body(kind_name, level), subject=Organisation("o-1", level))
        report = walk_transitions(
            wf, factory=factory, providers=providers(kind_name), at=at(2025, 9, 15)
        )
        report.check()
        # 11 one-source moves and STOP from the 5 states between the decision and the conclusion
        assert len(report.fired) == len(wf.compiled) == 11 + 5


def test_the_period_is_assumed_and_cited_to_the_charter_article() -> None:
    ruleset = select_ruleset(dt.date(2026, 5, 4))
    cited = {name: MODULES[name].workflows(ruleset)[0].rule(RULE).citation for name in MODULES}
    assert {name: (c.document, c.article, c.status) for name, c in cited.items()} == {
        "regular_inspection": ("Điều lệ Đảng (2011)", "Điều 30", RuleStatus.ASSUMED),
        "discipline_work_inspection": ("Điều lệ Đảng (2011)", "Điều 32", RuleStatus.ASSUMED),
        "finance_inspection": ("Điều lệ Đảng (2011)", "Điều 32", RuleStatus.ASSUMED),
    }


# --------------------------------------------------------------------------- deadlines


def test_a_provincial_regular_inspection_runs_45_days_from_the_decision() -> None:
    # Mon 15/9/2025 + 45 days: 15 days to 30/9, 30 more to Thu 30/10/2025 (a working day).
    btv = body("regular_inspection", Level.PROVINCIAL)
    wf = regular_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), btv)
    (
        scenario(wf, "regular_inspection", btv, Organisation("db-x", Level.GRASSROOTS))
        .given(at=at(2025, 9, 15))
        .then(state="PLANNED", deadlines={RULE: None})
        .when("DECIDE_INSPECTION", payload=decision("regular_inspection"))
        .then(state="DECIDED", deadlines={RULE: {"start_on": "2025-09-15", "due_on": "2025-10-30"}})
        .advance_to(at(2025, 10, 28))
        .then(deadlines={RULE: "due_soon"})
        .advance_to(at(2025, 10, 31))
        .then(deadlines={RULE: "overdue"})
    )


def test_one_extension_of_at_most_a_third() -> None:
    # 45 days × 1/3 = 15 days: Thu 30/10/2025 + 15 days = Fri 14/11/2025.
    btv = body("regular_inspection", Level.PROVINCIAL)
    wf = regular_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), btv)
    (
        scenario(wf, "regular_inspection", btv, Member("m-1"))
        .given("VERIFYING", at=at(2025, 9, 15))
        .advance("20 days")
        .when("EXTEND_INSPECTION", payload={"extend_by": "16 days", "reason": "x"})
        .then(refused=["extension_within_limit"])
        .when("EXTEND_INSPECTION", payload={"extend_by": "15 days", "reason": "x"})
        .then(state="VERIFYING", deadlines={RULE: "2025-11-14"})
        .when("EXTEND_INSPECTION", payload={"extend_by": "1 day", "reason": "x"})
        .then(refused=["extension_within_limit"])
    )


def test_a_central_finance_inspection_runs_60_days() -> None:
    # Mon 4/5/2026 + 60 days: 27 to 31/5, 30 to 30/6, 3 to Fri 3/7/2026.
    ubkttw = body("finance_inspection", Level.CENTRAL)
    wf = finance_inspection_workflow(select_ruleset(dt.date(2026, 5, 4)), ubkttw)
    subject = Organisation("tinh-uy", Level.PROVINCIAL)
    s = scenario(wf, "finance_inspection", ubkttw, subject).given(at=at(2026, 5, 4))
    s.when("DECIDE_INSPECTION", payload={**PLAN, "target": "lower_committee"})
    s.then(deadlines={RULE: "2026-07-03"})


@pytest.mark.parametrize(
    ("decided", "due"),
    [
        # Mon 5/1/2026 + 20 days = Sun 25/1/2026, a day off: Mon 26/1/2026 (art. 148).
        (dt.date(2026, 1, 5), "2026-01-26"),
        # Wed 28/1/2026 + 20 days = Tue 17/2/2026, in the Tết break (16–20/2/2026) and the
        # weekend after it: Mon 23/2/2026.
        (dt.date(2026, 1, 28), "2026-02-23"),
    ],
)
def test_a_grassroots_period_ending_on_a_day_off_moves_to_the_next_working_day(
    decided: dt.date, due: str
) -> None:
    ubkt = body("discipline_work_inspection", Level.GRASSROOTS)
    wf = discipline_work_inspection_workflow(select_ruleset(decided), ubkt)
    s = scenario(wf, "discipline_work_inspection", ubkt, Organisation("cb", Level.GRASSROOTS))
    s.given(at=at(decided.year, decided.month, decided.day)).when("DECIDE_INSPECTION", payload=PLAN)
    s.then(deadlines={RULE: due})


def test_any_conclusion_meets_the_period_and_a_stop_cancels_it() -> None:
    ubkt = body("finance_inspection", Level.PROVINCIAL)
    wf = finance_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), ubkt)
    subject = Organisation("ubkt-office", Level.PROVINCIAL)
    s = scenario(wf, "finance_inspection", ubkt, subject).given(
        "REPORT_DRAFTED", at=at(2025, 9, 15)
    )
    s.when("CONCLUDE", payload={"outcome": "discipline", "members": ["m-1"], "amount": 1_000_000})
    s.then(state="DISCIPLINE_PROPOSED", deadlines={RULE: "met"})
    stopped = scenario(wf, "finance_inspection", ubkt, subject).given(
        "NOTIFIED", at=at(2025, 9, 15)
    )
    stopped.when("STOP", payload={"reason": "merged"}).then(
        state="STOPPED", deadlines={RULE: "cancelled"}
    )


# --------------------------------------------------------------------------- authority


def test_a_commission_does_not_run_a_regular_inspection_nor_a_committee_a_finance_one() -> None:
    rules = select_ruleset(dt.date(2025, 9, 15))
    ubkt = body("finance_inspection", Level.PROVINCIAL)
    btv = body("regular_inspection", Level.PROVINCIAL)
    subject = Organisation("db-x", Level.GRASSROOTS)
    regular = regular_inspection_workflow(rules, btv)
    s = scenario(regular, "regular_inspection", btv, subject).given(at=at(2025, 9, 15))
    s.when("DECIDE_INSPECTION", actor=ubkt, payload=decision("regular_inspection"))
    s.then(refused=["inspecting_body"])
    finance = finance_inspection_workflow(rules, ubkt)
    f = scenario(finance, "finance_inspection", ubkt, subject).given(at=at(2025, 9, 15))
    f.when("DECIDE_INSPECTION", actor=btv, payload={**PLAN, "target": "lower_committee"})
    f.then(refused=["inspecting_body"])


def test_a_cell_inspects_its_members_not_organisations() -> None:
    cell = Body(BodyKind.PARTY_CELL, "cell-1")
    wf = regular_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), cell)
    assert wf.name == "regular_inspection_grassroots"
    payload = decision("regular_inspection")
    own = scenario(wf, "regular_inspection", cell, Member("m-1", cell_id="cell-1"))
    own.given(at=at(2025, 9, 15)).when("DECIDE_INSPECTION", payload=payload).then(state="DECIDED")
    org = scenario(wf, "regular_inspection", cell, Organisation("to-1", Level.GRASSROOTS))
    org.given(at=at(2025, 9, 15)).when("DECIDE_INSPECTION", payload=payload)
    org.then(refused=["inspecting_body"])


def test_a_body_of_another_level_is_refused_and_a_member_is_not_a_discipline_work_subject() -> None:
    rules = select_ruleset(dt.date(2025, 9, 15))
    central = body("discipline_work_inspection", Level.CENTRAL)
    provincial = body("discipline_work_inspection", Level.PROVINCIAL)
    wf = discipline_work_inspection_workflow(rules, provincial)
    s = scenario(wf, "discipline_work_inspection", provincial, Organisation("o", Level.GRASSROOTS))
    s.given(at=at(2025, 9, 15)).when("DECIDE_INSPECTION", actor=central, payload=PLAN)
    s.then(refused=["inspecting_body_level"])
    m = scenario(wf, "discipline_work_inspection", provincial, Member("m-1"))
    m.given(at=at(2025, 9, 15)).when("DECIDE_INSPECTION", payload=PLAN)
    m.then(refused=["inspecting_body"])


def test_no_district_workflow_from_1_july_2025() -> None:
    district = body("finance_inspection", Level.DISTRICT)
    assert finance_inspection_workflow(select_ruleset(dt.date(2025, 6, 30)), district).name == (
        "finance_inspection_district"
    )
    with pytest.raises(InputError, match="ruleset 2025-07 has no district level"):
        finance_inspection_workflow(select_ruleset(dt.date(2025, 7, 1)), district)
    with pytest.raises(InputError, match="has no level"):
        finance_inspection_workflow(
            select_ruleset(dt.date(2025, 7, 1)), Body(BodyKind.STATE_AGENCY, "court")
        )


def test_the_finance_target_fits_the_subject_level() -> None:
    ubkt = body("finance_inspection", Level.PROVINCIAL)
    wf = finance_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), ubkt)
    same = Organisation("van-phong-tinh-uy", Level.PROVINCIAL)
    lower = Organisation("xa-uy", Level.GRASSROOTS)
    for subject, target, refused in [
        (same, "lower_committee", True),
        (same, "finance_office", False),
        (lower, "finance_office", True),
        (lower, "lower_committee", False),
        (lower, "budget", True),
    ]:
        s = scenario(wf, "finance_inspection", ubkt, subject).given(at=at(2025, 9, 15))
        s.when("DECIDE_INSPECTION", payload={**PLAN, "target": target})
        if refused:
            s.then(refused=["finance_target"])
        else:
            s.then(state="DECIDED")


def test_an_amount_misused_is_a_whole_number_of_dong() -> None:
    ubkt = body("finance_inspection", Level.PROVINCIAL)
    wf = finance_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), ubkt)
    s = scenario(wf, "finance_inspection", ubkt, Organisation("xa", Level.GRASSROOTS))
    lower = {"DECIDE_INSPECTION": {**PLAN, "target": "lower_committee"}}
    s.given("REPORT_DRAFTED", at=at(2025, 9, 15), payloads=lower)
    s.when("CONCLUDE", payload={"outcome": "remediation", "amount": -5})
    s.then(refused=["amount_valid", *others("remediation")])
    s.when("CONCLUDE", payload={"outcome": "remediation", "amount": 250_000_000})
    s.then(state="REMEDIATION_REQUIRED")


# --------------------------------------------------------------------------- findings


def test_findings_are_typed_and_checked() -> None:
    ubkt = body("discipline_work_inspection", Level.PROVINCIAL)
    wf = discipline_work_inspection_workflow(select_ruleset(dt.date(2026, 5, 4)), ubkt)
    s = scenario(wf, "discipline_work_inspection", ubkt, Organisation("db", Level.GRASSROOTS))
    s.given("REPORT_DRAFTED", at=at(2026, 5, 4))
    s.when("CONCLUDE", payload={"outcome": "remediation"}).then(
        refused=["findings_recorded", *others("remediation")]
    )
    bad = {"kind": "too_lenient", "recommendation": "heavier"}
    s.when("CONCLUDE", payload={"outcome": "remediation", "findings": [bad]})
    s.then(refused=["findings_recorded", *others("remediation")])
    heavier = Finding(FindingKind.NOT_DISCIPLINED, Recommendation.HEAVIER, "m-9")
    s.when("CONCLUDE", payload={"outcome": "no_violation", "findings": [heavier.to_payload()]})
    s.then(refused=["findings_recorded", *others("no_violation")])
    findings = [
        heavier,
        Finding(FindingKind.WITHOUT_COMPETENCE, Recommendation.ANNULLED, "KL-1"),
        Finding(FindingKind.AGAINST_PROCEDURE, Recommendation.NO_CHANGE),
        Finding(FindingKind.WRONGLY_DISCIPLINED, Recommendation.LIGHTER, "KL-2"),
    ]
    s.when(
        "CONCLUDE",
        payload={
            "outcome": "discipline",
            "members": ["m-9"],
            "findings": [f.to_payload() for f in findings],
        },
    )
    s.then(state="DISCIPLINE_PROPOSED")
    assert findings_of(s.case) == tuple(findings)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("wrong", "a finding is a table"),
        (
            {"kind": "wrongly_disciplined", "recommendation": "x"},
            "recommendation 'x' is not one of",
        ),
        (
            {"kind": "wrongly_disciplined", "recommendation": "lighter", "who": 1},
            "unknown key 'who'",
        ),
        ({"kind": "wrongly_disciplined", "recommendation": "lighter", "matter": 3}, "matter is"),
    ],
)
def test_a_malformed_finding_says_what_is_allowed(entry: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Finding.from_payload(entry)


def test_findings_of_a_case_not_concluded_is_an_input_error() -> None:
    ubkt = body("discipline_work_inspection", Level.PROVINCIAL)
    wf = discipline_work_inspection_workflow(select_ruleset(dt.date(2026, 5, 4)), ubkt)
    case = wf.open(Organisation("db", Level.GRASSROOTS), at=at(2026, 5, 4), actor=ubkt)
    with pytest.raises(InputError, match="it has no conclusion yet"):
        findings_of(case)


# --------------------------------------------------------------------------- linked cases


def _concluded(outcome: dict[str, Any]) -> Any:
    btv = body("regular_inspection", Level.PROVINCIAL)
    wf = regular_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), btv)
    s = scenario(wf, "regular_inspection", btv, Organisation("db-x", Level.GRASSROOTS))
    s.given("REPORT_DRAFTED", at=at(2025, 9, 15)).when("CONCLUDE", payload=outcome)
    return s.case, btv


def test_a_conclusion_opens_discipline_an_inspection_or_remediation() -> None:
    case, btv = _concluded(
        {"outcome": "discipline", "members": ["m-1", "m-2"], "measure": "warning"}
    )
    children = open_discipline_cases(case, at=at(2025, 9, 20), actor=btv)
    assert [(c.id, c.workflow.name, c.state.name, origin_of(c)) for c in children] == [
        (f"{case.id}/m-1", "member_discipline", "OPENED", case.id),
        (f"{case.id}/m-2", "member_discipline", "OPENED", case.id),
    ]
    signs, _ = _concluded({"outcome": "signs_of_violation"})
    opened = open_inspection(signs, at=at(2025, 9, 20), actor=btv, case_id="KT-DH-1")
    assert (opened.workflow.name, opened.state.name, origin_of(opened)) == (
        "inspection",
        "SIGNS_DETECTED",
        signs.id,
    )
    fix, _ = _concluded({"outcome": "remediation"})
    remedy = open_remediation(
        fix, action="revise the working rules", period="60 days", at=at(2025, 9, 20), actor=btv
    )
    assert (remedy.workflow.name, origin_of(remedy)) == ("remediation", fix.id)


def test_discipline_is_opened_only_from_a_discipline_proposal() -> None:
    case, btv = _concluded({"outcome": "no_violation"})
    with pytest.raises(InputError, match="CLOSED_NO_VIOLATION; disciplinary cases are opened"):
        open_discipline_cases(case, at=at(2025, 9, 20), actor=btv)


def test_an_inspection_opens_from_a_plan_at_the_actors_level() -> None:
    btv = body("regular_inspection", Level.PROVINCIAL)
    plan = workflow_for("inspection_plan", dt.date(2026, 1, 5)).open(
        Organisation("dang-bo-tinh", Level.PROVINCIAL), at=at(2026, 1, 5), actor=btv, case_id="KH"
    )
    child = open_regular_inspection(
        plan, at=at(2026, 2, 2), actor=btv, subject=Member("m-1"), case_id="KH/1"
    )
    assert (child.workflow.key, child.state.name, origin_of(child)) == (
        "regular_inspection_provincial@2025-07",  # 2026 starts 11/4/2026
        "PLANNED",
        "KH",
    )
    with pytest.raises(InputError, match="give the inspecting Body"):
        open_regular_inspection(plan, at=at(2026, 2, 2), actor="person:x")  # type: ignore[arg-type]
