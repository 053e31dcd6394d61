"""Shipped processes under test with no setup: their own payload providers, the version in force
on the scenario's date, and a plugin that costs nothing until used (issue 15, items 1-4)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Member
from discipline_flow.errors import CaseBuildError, InputError
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import default_registry
from discipline_flow.testing import (
    CaseFactory,
    Opening,
    PayloadProviders,
    Scenario,
    StepInput,
    walk_transitions,
)
from discipline_flow.testing.files import loads_scenarios
from helpers import TZ

SHIPPED = [
    pytest.param(ruleset, workflow, id=workflow.key)
    for ruleset in default_registry()
    for workflow in shipped_workflows(ruleset)
]


def _start(ruleset: Any) -> pendulum.DateTime:
    day = ruleset.effective_from
    return pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)


def test_every_shipped_workflow_version_is_listed() -> None:
    # 93, the inspection plan under each of the 5 rulesets, and the 3 other kinds of inspection at
    # each level: 4 levels in the 3 rulesets with a district level, 3 in the 2 without (54).
    assert len(SHIPPED) == 93 + 5 + 54


@pytest.mark.parametrize(("ruleset", "workflow"), SHIPPED)
def test_every_state_of_every_shipped_workflow_can_be_given(ruleset: Any, workflow: Any) -> None:
    # No provider registered: the shipped workflows' own answer every move.
    for state in workflow.states:
        scenario = Scenario(workflow, name=state.name).given(state, at=_start(ruleset))
        assert scenario.case.state is state


@pytest.mark.parametrize(("ruleset", "workflow"), SHIPPED)
def test_every_transition_of_every_shipped_workflow_walks(ruleset: Any, workflow: Any) -> None:
    report = walk_transitions(workflow, at=_start(ruleset))
    if workflow.name == "removal_from_rolls":
        # Proceeding without a self-review needs three invitations; no simple path has them.
        assert [f.step.key for f in report.failures] == [
            "PROCEED_WITHOUT_SELF_REVIEW->READY_FOR_CELL_MEETING"
        ]
        assert "after 3 invitations" in report.failures[0].problem
    else:
        report.check()


def test_without_the_shipped_providers_a_shipped_case_cannot_be_built() -> None:
    # As on main before issue 15: the vote needs a measure nobody gives.
    factory = CaseFactory(providers=PayloadProviders(shipped_defaults=False))
    with pytest.raises(CaseBuildError, match="payload key 'measure' is missing"):
        factory("member_discipline", "IN_EFFECT", at=_start(default_registry().get("2025-07")))


def test_the_shipped_providers_build_the_common_case_first() -> None:
    case = Scenario("member_discipline").given("IN_EFFECT", at="2025-09-15T09:00:00+07:00").case
    assert [s.trigger.name for s in case.steps[1:] if s.trigger is not None] == [
        "HEAR_SUBJECT",
        "HOLD_VOTE",
        "DECIDE",
        "ANNOUNCE_VOTE_RESULT",  # a cell's warning takes effect when the vote is announced
    ]
    assert case.steps[2].payload["measure"] == "warning"
    assert case.steps[2].actor == Body(BodyKind.PARTY_CELL, "cell-7")
    assert case.subject == Member("m-1", cell_id="cell-7")


def test_a_test_overrides_the_shipped_providers_move_by_move() -> None:
    reprimand = StepInput(
        {
            "measure": "reprimand",
            "vote": {"eligible": 5, "in_favour": 5, "against": 0, "abstaining": 0},
        },
        actor=Body(BodyKind.PARTY_CELL, "cell-2"),
    )
    opening = Opening(Member("m-7", cell_id="cell-2"), {"violation_on": "2025-09-01"})
    providers = PayloadProviders().register("member_discipline", {"HOLD_VOTE": reprimand})
    providers.register_opening("member_discipline", opening)
    scenario = Scenario("member_discipline", providers=providers)
    case = scenario.given("DECIDED", at="2025-09-15T09:00:00+07:00").case
    assert case.subject == Member("m-7", cell_id="cell-2")
    assert (case.steps[2].payload["measure"], case.steps[2].actor.id) == ("reprimand", "cell-2")
    assert case.steps[3].actor.id == "cell-2"  # the shipped DECIDE: the body that voted decides


@pytest.mark.parametrize(
    ("at", "version", "chosen"),
    [
        # QĐ 22 took effect on 30/5/2025 and the district level ended on 1/7/2025.
        ("2025-04-25T09:00:00+07:00", "2022", "in force on 2025-04-25, ruleset 2022"),
        ("2025-05-30T09:00:00+07:00", "2025", "in force on 2025-05-30, ruleset 2025"),
        ("2025-07-01T00:30:00+07:00", "2025-07", "in force on 2025-07-01, ruleset 2025-07"),
        # 30/6/2025 23:30 UTC is 1/7/2025 06:30 in Hanoi, where the ruleset is chosen.
        ("2025-06-30T23:30:00+00:00", "2025-07", "in force on 2025-07-01, ruleset 2025-07"),
        ("2026-04-11T09:00:00+07:00", "2026", "in force on 2026-04-11, ruleset 2026"),
    ],
)
def test_a_scenario_takes_the_version_in_force_on_its_date(
    at: str, version: str, chosen: str
) -> None:
    scenario = Scenario("member_discipline").given("IN_EFFECT", at=at)
    assert scenario.workflow.key == f"member_discipline@{version}"
    assert scenario.chosen == f"member_discipline@{version} ({chosen})"


def test_an_explicit_version_wins_and_says_so() -> None:
    scenario = Scenario("member_discipline@2026").given(at="2025-04-25T09:00:00+07:00")
    assert (scenario.workflow.key, scenario.chosen) == (
        "member_discipline@2026",
        "member_discipline@2026 (named)",
    )
    with pytest.raises(InputError, match="has no version '2030'; versions: 2021, 2022"):
        Scenario("member_discipline@2030")


def test_a_name_with_no_version_in_force_says_which_there_are() -> None:
    scenario = Scenario("thematic_supervision_district")
    with pytest.raises(InputError, match="no version of 'thematic_supervision_district' is in"):
        scenario.given(at="2025-09-15T09:00:00+07:00")
    with pytest.raises(InputError, match="call given"):
        _ = scenario.workflow


def test_a_failure_names_the_version_and_why() -> None:
    scenario = Scenario("member_discipline", name="w").given(at="2025-04-25T09:00:00+07:00")
    with pytest.raises(AssertionError) as failure:
        scenario.then(state="DECIDED")
    assert str(failure.value).startswith(
        "scenario 'w' (member_discipline@2022, in force on 2025-04-25, ruleset 2022) then #1"
    )


def test_a_scenario_file_takes_the_version_in_force_on_its_date() -> None:
    # Issue 15: given.at = 2025-04-25 built member_discipline@2026.
    spec = loads_scenarios(
        """
        workflow = "member_discipline"
        [[scenario]]
        name = "april 2025"
        given = { state = "IN_EFFECT", at = 2025-04-25T09:00:00 }
        step = [{ then = { state = "IN_EFFECT" } }]
        [[scenario]]
        name = "named"
        workflow = "member_discipline@2026"
        given = { at = 2025-04-25T09:00:00 }
        step = [{ then = { state = "OPENED" } }]
        """
    ).scenarios
    assert [(s.workflow.key, s.version) for s in spec] == [
        ("member_discipline@2022", "member_discipline@2022, in force on 2025-04-25, ruleset 2022"),
        ("member_discipline@2026", "member_discipline@2026"),
    ]
    assert spec[0].run().case.workflow.key == "member_discipline@2022"


def test_the_factory_takes_a_name_too() -> None:
    at = pendulum.datetime(2022, 7, 6, 9, tz=TZ)  # the day the 2022 rules took effect
    case = CaseFactory()("organisation_discipline", "IN_FORCE_PERMANENTLY", at=at)
    assert case.workflow.key == "organisation_discipline@2022"
    assert case.state.name == "IN_FORCE_PERMANENTLY"


def test_the_plugin_loads_without_the_toolkit() -> None:
    # The plugin is loaded into every suite where discipline_flow is installed; importing it
    # imports nothing of the library but the package, the testing package and the hook specs.
    code = (
        "import sys, discipline_flow.testing.plugin; "
        "print(sorted(m for m in sys.modules if m.startswith('discipline_flow')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert eval(out) == [
        "discipline_flow",
        "discipline_flow._version",
        "discipline_flow.testing",
        "discipline_flow.testing._hookspecs",
        "discipline_flow.testing.plugin",
    ]
