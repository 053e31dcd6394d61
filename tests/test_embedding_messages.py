"""What an embedding developer reads: errors that name the real problem, short reprs, triggers by
name or value (issue 15, items 5-7)."""

from __future__ import annotations

from typing import Any

import pytest

from discipline_flow import Body, BodyKind, Case, Member, TransitionRefused
from discipline_flow.errors import (
    DeadlineNotStartedError,
    GuardFailure,
    InputError,
    RuleNotFoundError,
    UnknownTriggerError,
)
from discipline_flow.processes import shipped_registry
from helpers import at

CELL = Body(BodyKind.PARTY_CELL, "cell-7")
MEMBER = Member("m-1", cell_id="cell-7")
WORKFLOW = shipped_registry().get("member_discipline", "2025-07")
NINE_YES = {"eligible": 9, "in_favour": 7, "against": 2, "abstaining": 0}


def heard() -> Case[Any, Any]:
    case = WORKFLOW.open(
        MEMBER,
        at=at(2025, 8, 1),
        actor=CELL,
        case_id="KL-1",
        payload={"violation_on": "2025-07-10"},
    )
    case.fire("HEAR_SUBJECT", at=at(2025, 8, 2), actor=CELL)
    return case


def test_a_deadline_that_has_not_started_says_so_and_what_starts_it() -> None:
    case = heard()
    with pytest.raises(DeadlineNotStartedError) as info:
        case.deadline("complaint_window")
    assert str(info.value) == (
        "case KL-1 has no 'complaint_window' deadline yet: it starts on the ANNOUNCE_DECISION "
        "trigger; started: (none)"
    )
    assert isinstance(info.value, LookupError)


def test_a_rule_the_workflow_lacks_is_still_a_rule_not_found() -> None:
    with pytest.raises(RuleNotFoundError) as info:
        heard().deadline("no_such_rule")
    assert "complaint_window" in str(info.value)  # the workflow's rules are listed


def test_a_refusal_never_offers_the_refused_trigger() -> None:
    case = heard()
    with pytest.raises(TransitionRefused) as info:
        case.fire("HOLD_VOTE", at=at(2025, 8, 4), actor=CELL, payload={"measure": "warning"})
    refusal = info.value
    assert "HOLD_VOTE" not in refusal.allowed
    assert set(refusal.allowed) == {"DEFER", "CLOSE_WITHOUT_DISCIPLINE"}
    assert str(refusal).endswith("; other triggers allowed: DEFER, CLOSE_WITHOUT_DISCIPLINE")


def test_a_guard_named_like_its_payload_value_is_not_named_twice() -> None:
    case = heard()
    with pytest.raises(TransitionRefused) as info:
        case.fire(
            "HOLD_VOTE",
            at=at(2025, 8, 4),
            actor=CELL,
            payload={"measure": "warning", "vote": {"eligible": 9}},
        )
    text = str(info.value)
    assert "vote: vote:" not in text
    assert ": vote: missing in_favour, against, abstaining [" in text


def test_guard_failure_text() -> None:
    assert str(GuardFailure("vote", "vote: missing eligible")) == "vote: missing eligible"
    assert (
        str(GuardFailure("quorum", "2 of 9 present", "Điều 9")) == "quorum: 2 of 9 present [Điều 9]"
    )


def test_triggers_by_name_or_value() -> None:
    by_value = heard()
    by_value.fire(
        "hold_vote", at=at(2025, 8, 4), actor=CELL, payload={"measure": "warning", "vote": NINE_YES}
    )
    assert by_value.state.name == "VOTED"
    assert by_value.steps[-1].trigger is WORKFLOW.trigger_named("HOLD_VOTE")
    assert WORKFLOW.trigger_named("decide") is WORKFLOW.trigger_named("DECIDE")
    assert WORKFLOW.state_named("voted") is WORKFLOW.state_named("VOTED")
    with pytest.raises(UnknownTriggerError):
        by_value.fire("no_such_trigger", at=at(2025, 8, 5), actor=CELL)


def test_a_workflow_repr_is_one_short_line() -> None:
    text = repr(WORKFLOW)
    assert text == (
        f"<Workflow member_discipline@2025-07: {len(WORKFLOW.states.__members__)} states, "
        f"{len(WORKFLOW.triggers.__members__)} triggers, {len(WORKFLOW.transitions)} transitions, "
        f"{len(WORKFLOW.deadline_rules)} deadline rules>"
    )
    assert len(text) < 120


def test_printing_an_explanation_prints_its_text() -> None:
    case = heard()
    case.fire(
        "HOLD_VOTE",
        at=at(2025, 8, 4),
        actor=CELL,
        payload={"measure": "warning", "vote": NINE_YES},
    )
    case.fire("DECIDE", at=at(2025, 8, 4), actor=CELL)
    explanation = case.deadline("administrative_follow_up").explain()
    assert str(explanation) == explanation.text()
    assert str(explanation).startswith("- ")
    assert "Explanation(" not in str(explanation)


def test_an_actor_is_a_body_or_an_explicit_kind_and_id() -> None:
    case = heard()
    with pytest.raises(InputError) as info:
        case.fire("DEFER", at=at(2025, 8, 5), actor="cell-7")
    assert str(info.value).startswith(
        "actor: 'cell-7' is not a Body or a 'kind:id' text such as 'person:clerk-1' or "
        "'party_cell:cell-12'; kinds: party_cell, "
    )
    with pytest.raises(InputError, match="names no kind of body 'cell'"):
        case.fire("DEFER", at=at(2025, 8, 5), actor="cell:cell-7")
    assert case.version == 2  # nothing was recorded
    assert Body.parse("party_cell:cell-7") == CELL
    assert Body.parse(str(CELL)) == CELL
