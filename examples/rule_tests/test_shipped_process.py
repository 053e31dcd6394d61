"""Three rule tests of shipped processes, run by the discipline_flow pytest plugin."""

from collections.abc import Callable
from typing import Any

from discipline_flow import Body, BodyKind, Level
from discipline_flow.rules import VoteTally
from discipline_flow.testing import Scenario

Scenarios = Callable[..., Scenario[Any, Any]]
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-7", Level.GRASSROOTS)


def test_a_vote_short_of_a_majority_decides_nothing(df_scenario: Scenarios) -> None:
    # QĐ 22-QĐ/TW Điều 15 khoản 3.1: more than half of the cell's full members vote for it.
    vote = VoteTally(eligible=9, in_favour=4, against=5, abstaining=0).to_payload()
    run = df_scenario("member_discipline").given("SUBJECT_HEARD", at="2025-09-15T09:00+07:00")
    run.when("HOLD_VOTE", actor=CELL, payload={"measure": "warning", "vote": vote})
    run.then(refused=["vote"], state="SUBJECT_HEARD")


def test_a_late_complaint_is_not_accepted(df_scenario: Scenarios) -> None:
    # Điều lệ Đảng Điều 39 khoản 7: 30 working days from receiving the decision (Mon 10/3/2025):
    # 11/3-4/4 (19), 7/4 Hùng Kings' day off, 8/4-21/4 (29), Tue 22/4 (30). Filed Fri 25/4: late.
    late = {"decision_received_on": "2025-03-10"}
    run = df_scenario("complaint").given("FILED", at="2025-04-25T09:00+07:00", open_payload=late)
    run.when("ACCEPT", actor=COMMISSION).then(refused=True, state="FILED")
    run.when("REJECT", actor=COMMISSION, payload={"grounds": ["filed_out_of_time"]})
    run.then(state="REJECTED")
    assert run.chosen == "complaint@2022 (in force on 2025-04-25, ruleset 2022)"


def test_a_suspension_is_not_extended_past_its_limit(df_scenario: Scenarios) -> None:
    # QĐ 22-QĐ/TW Điều 31 khoản 1: 90 days (Mon 15/9/2025 + 90 days: Sun 14/12/2025, no roll
    # forward), extended by 90 days in all at most: 120 days is refused, the due date stays.
    run = df_scenario("party_activity_suspension").given("SUSPENDED", at="2025-09-15T09:00+07:00")
    run.when("EXTEND", actor=COMMISSION, payload={"extend_by": "120 days", "reason": "inspection"})
    run.then(refused=["extension_allowed"], deadlines={"suspension_period": "2025-12-14"})
