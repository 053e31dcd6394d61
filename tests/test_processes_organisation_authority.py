"""Who disciplines a party organisation, through the shipped ``organisation_discipline``.

An organisation is reprimanded or warned by the committee or standing committee of the level
directly above it (QĐ 22 Điều 11; QĐ 296 Điều 11, reference §2(e)). The bodies of one
organisation share its id, and the organisation's ``parent_id`` names the one directly above.
So in every era its own committee, a neighbouring grassroots committee and a body two levels
up are refused, each refusal naming the rule and its citation; the standing committee of the
parent decides. With a district level (2021 to 2025) a commune's parent is its district; after
1 July 2025 (QĐ 294-QĐ/TW) it is the province.
"""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level, Organisation
from discipline_flow.errors import TransitionRefused
from discipline_flow.processes.discipline import organisation_discipline
from discipline_flow.rules import VoteTally
from helpers import RULESETS, TZ

RULE = (
    "reprimand and warning of a party organisation are decided by the committee or standing "
    "committee of the directly higher level"
)
CENTRAL_RULE = (
    "organisations directly under the Central Committee: reprimand and warning by the "
    "Politburo or Secretariat"
)
#: The citation of the organisations' rule in each era, worked out from the reference.
CITATION = {
    "2021": "QĐ 22-QĐ/TW Điều 11 (assumed)",
    "2022": "QĐ 22-QĐ/TW Điều 11 (assumed)",
    "2025": "QĐ 296-QĐ/TW Điều 11 (secondary)",
    "2025-07": "QĐ 296-QĐ/TW Điều 11 (secondary)",
    "2026": "QĐ 296-QĐ/TW Điều 11 (assumed)",  # QĐ 21's text not seen: carried over
}
#: A weekday inside each era.
DAY = {
    "2021": (2022, 3, 14),
    "2022": (2024, 3, 11),
    "2025": (2025, 6, 9),
    "2025-07": (2025, 9, 15),
    "2026": (2026, 5, 4),
}
VOTE = VoteTally(9, 7, 2, 0).to_payload()


def _world(era: str) -> tuple[Organisation, dict[str, Body]]:
    """A commune organisation, its parent's standing committee and the bodies that may not act."""
    district = RULESETS[era].has_district_level
    above = Level.DISTRICT if district else Level.PROVINCIAL
    parent = "huyen-1" if district else "tinh-1"
    commune = Organisation("xa-1", Level.GRASSROOTS, parent_id=parent)
    two_up = (
        Body(BodyKind.STANDING_COMMITTEE, "tinh-1", Level.PROVINCIAL)
        if district
        else Body(BodyKind.POLITBURO, "bct")
    )
    return commune, {
        "own committee": Body(BodyKind.GRASSROOTS_COMMITTEE, "xa-1"),
        "neighbour": Body(BodyKind.GRASSROOTS_COMMITTEE, "xa-2"),
        "two levels up": two_up,
        "directly above": Body(BodyKind.STANDING_COMMITTEE, parent, above),
    }


def _heard(era: str, commune: Organisation, body: Body) -> tuple[Case[Any, Any], Any]:
    at = pendulum.datetime(*DAY[era], 9, tz=TZ)
    workflow = organisation_discipline(RULESETS[era])
    case = workflow.open(
        commune, at=at, actor=body, case_id="KL-TC-1", payload={"violation_on": "2021-12-01"}
    )
    case.fire("HEAR_SUBJECT", at=at, actor=body)
    return case, at


@pytest.mark.parametrize("era", sorted(RULESETS))
@pytest.mark.parametrize("who", ["own committee", "neighbour", "two levels up"])
@pytest.mark.parametrize("measure", ["reprimand", "warning"])
def test_only_the_level_directly_above_disciplines_an_organisation(
    era: str, who: str, measure: str
) -> None:
    commune, bodies = _world(era)
    body = bodies[who]
    case, at = _heard(era, commune, body)
    with pytest.raises(TransitionRefused) as info:
        case.fire("HOLD_VOTE", at=at, actor=body, payload={"measure": measure, "vote": VOTE})
    (failure,) = [f for f in info.value.failures if f.guard == "authority"]
    assert "is not the directly higher body of grassroots party organisation 'xa-1'" in (
        failure.reason
    )
    if who == "two levels up" and not RULESETS[era].has_district_level:
        # the Politburo's own rule: organisations directly under the Central Committee
        assert CENTRAL_RULE in failure.reason
        assert failure.reason.endswith("[QĐ 296-QĐ/TW Điều 10 (assumed)]")
    else:
        assert RULE in failure.reason
        assert failure.reason.endswith(f"[{CITATION[era]}]")
    why = {
        "own committee": "it is a body of the organisation itself (id 'xa-1')",
        "neighbour": f"the organisation's directly higher organisation is {commune.parent_id!r}, "
        f"not 'xa-2'",
        "two levels up": f"the organisation's directly higher organisation is "
        f"{commune.parent_id!r}, not '{body.id}'",
    }[who]
    assert why in failure.reason
    assert case.state.name == "SUBJECT_HEARD"
    # Nor may the same body decide it by skipping the vote's check on the decision.
    assert case.check("HOLD_VOTE", actor=body, payload={"measure": measure, "vote": VOTE})


@pytest.mark.parametrize("era", sorted(RULESETS))
@pytest.mark.parametrize("measure", ["reprimand", "warning"])
def test_the_standing_committee_directly_above_decides(era: str, measure: str) -> None:
    commune, bodies = _world(era)
    body = bodies["directly above"]
    case, at = _heard(era, commune, body)
    case.fire("HOLD_VOTE", at=at, actor=body, payload={"measure": measure, "vote": VOTE})
    case.fire("DECIDE", at=at, actor=body)
    assert case.state.name == "DECIDED"
    assert case.steps[-1].actor == body


@pytest.mark.parametrize("era", sorted(RULESETS))
def test_a_review_may_come_from_further_up_but_never_from_the_organisation(era: str) -> None:
    """The committee directly above decides a warning; a body further up may change it (a review
    stands above the decider), the organisation's own committee may not."""
    commune, bodies = _world(era)
    above = bodies["directly above"]
    committee = Body(BodyKind.COMMITTEE, above.id, above.level)
    case, at = _heard(era, commune, above)
    case.fire("HOLD_VOTE", at=at, actor=above, payload={"measure": "warning", "vote": VOTE})
    case.fire("DECIDE", at=at, actor=above)
    case.fire("SIGN_DECISION", at=at, actor=above)
    case.fire("ANNOUNCE_DECISION", at=at, actor=above)
    system = Body(BodyKind.SYSTEM, "sweep")
    case.fire("CLOSE_COMPLAINT_WINDOW", at=at.add(months=3), actor=system)
    assert case.state.name == "IN_FORCE"
    later = at.add(months=3, days=1)
    with pytest.raises(TransitionRefused) as info:
        case.fire(
            "CHANGE_DECISION",
            at=later,
            actor=bodies["own committee"],
            payload={"measure": "reprimand"},
        )
    reasons = [f.reason for f in info.value.failures if f.guard == "authority"]
    assert reasons
    assert all("it is a body of the organisation itself" in r for r in reasons)
    case.fire("CHANGE_DECISION", at=later, actor=committee, payload={"measure": "reprimand"})
    assert case.state.name == "IN_FORCE_AFTER_REVIEW"
