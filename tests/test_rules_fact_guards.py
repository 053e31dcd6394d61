"""Guards that use the fact rules (issue 18): where a shipped workflow has the matching step, the
fact refuses the move, the refusal cites the rule, and a user's file that turns the rule off lets
the move through. Each guard is seen passing and refusing.

- ``not_to_several_levels`` (complaint ``ACCEPT``, ``ESCALATE``): no complaint to several
  levels at once (QĐ 22-QĐ/TW Điều 23; assumed from 2025).
- ``not_a_complaint`` (denunciation ``ACCEPT``): a letter that both complains about discipline
  and denounces is handled as a complaint (HD 02-HD/TW mục V điểm 2.4).
- ``suspended_from_committee_too`` (member suspension ``DECIDE_SUSPENSION``): a suspended
  committee member is suspended from the committee (QĐ 22-QĐ/TW Điều 28).
- ``no_step_down_instead_of_removal`` (member discipline ``CLOSE_WITHOUT_DISCIPLINE``): a
  committee member whose violation warrants removal is removed, not let step down (a QĐ 30-era
  handbook; assumed).
"""

from __future__ import annotations

from typing import Any

import pytest

from discipline_flow import Body, BodyKind, Level, Member
from discipline_flow.errors import TransitionRefused
from discipline_flow.processes.complaint import complaint
from discipline_flow.processes.denunciation import denunciation_workflow
from discipline_flow.processes.discipline import member_discipline
from discipline_flow.processes.suspension import committee_suspension, party_activity_suspension
from discipline_flow.rules import Ruleset, VoteTally, default_registry
from helpers import at

RULES = default_registry().get("2026")
MEMBER = Member("m-1", cell_id="cell-7")
COMMITTEE_MEMBER = Member("m-2", cell_id="cell-7", committee_level=Level.GRASSROOTS)
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
COMPLAINANT = Body(BodyKind.PERSON, "m-1")
GRASSROOTS_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-dy", Level.GRASSROOTS)
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)


def _off(key: str) -> Ruleset:
    """A user's file based on 2026 that turns the yes/no rule ``key`` off."""
    return Ruleset.from_toml(
        f'name = "2026-local"\nbased_on = "2026"\n[rules.{key}]\nvalue = false\n'
        'document = "Provincial decision 7/2026"\n',
        path="local.toml",
    )


def _refusal(case: Any, trigger: str, guard: str, **kwargs: Any) -> str:
    """The reason ``guard`` gives for refusing ``trigger`` (the same for every candidate move);
    the case is unchanged."""
    before = case.version
    with pytest.raises(TransitionRefused) as refused:
        case.fire(trigger, **kwargs)
    assert case.version == before
    (reason,) = {f.reason for f in refused.value.failures if f.guard == guard}
    return reason


# ------------------------------------------------------------------ complaint


def _filed(ruleset: Ruleset) -> Any:
    # A cell warned m-1; the decision was received on Monday 4 May 2026, the complaint sent on
    # Friday 8 May 2026 (within the window).
    payload = {
        "filed_on": "2026-05-08",
        "decision_received_on": "2026-05-04",
        "measure": "warning",
        "decided_by": {"kind": "party_cell", "id": "cell-7", "level": None},
    }
    return complaint(ruleset).open(MEMBER, at=at(2026, 5, 11), actor=COMPLAINANT, payload=payload)


def test_a_complaint_sent_to_several_levels_at_once_is_not_accepted() -> None:
    case = _filed(RULES)
    also = {"also_sent_to": ["ubkt-t"]}
    reason = _refusal(
        case,
        "ACCEPT",
        "not_to_several_levels",
        at=at(2026, 5, 12),
        actor=GRASSROOTS_UBKT,
        payload=also,
    )
    assert "also sent to ubkt-t" in reason
    assert reason.endswith("[QĐ 22-QĐ/TW Điều 23 (assumed)]")
    case.fire("ACCEPT", at=at(2026, 5, 12), actor=GRASSROOTS_UBKT, payload={"also_sent_to": []})
    assert case.state.name == "RESOLVING"
    # A province whose own rule lets a complaint go to several levels accepts it.
    case = _filed(_off("complaint_not_to_several_levels_at_once"))
    case.fire("ACCEPT", at=at(2026, 5, 12), actor=GRASSROOTS_UBKT, payload=also)
    assert case.state.name == "RESOLVING"


# ------------------------------------------------------------------ denunciation


def _classified(ruleset: Ruleset) -> Any:
    wf = denunciation_workflow(ruleset, "grassroots")
    case = wf.open(MEMBER, at=at(2026, 5, 4), actor=CELL)
    case.fire("REGISTER", at=at(2026, 5, 4), actor=CELL, payload={"received_on": "2026-05-04"})
    case.fire("CLASSIFY", at=at(2026, 5, 5), actor=CELL)
    return case


def test_a_letter_that_also_complains_is_handled_as_a_complaint() -> None:
    complains = {"complains_about_discipline": True}
    case = _classified(RULES)
    reason = _refusal(
        case, "ACCEPT", "not_a_complaint", at=at(2026, 5, 6), actor=CELL, payload=complains
    )
    assert "handled as a complaint" in reason
    assert reason.endswith("[HD 02-HD/TW mục V điểm 2.4 (assumed)]")
    case.fire(
        "ACCEPT", at=at(2026, 5, 6), actor=CELL, payload={"complains_about_discipline": False}
    )
    assert case.state.name == "ACCEPTED"
    case = _classified(_off("complaint_and_denunciation_handled_as_complaint"))
    case.fire("ACCEPT", at=at(2026, 5, 6), actor=CELL, payload=complains)
    assert case.state.name == "ACCEPTED"


# ------------------------------------------------------------------ suspension


def test_a_suspended_committee_member_is_not_kept_on_the_committee() -> None:
    keeps = {"grounds": ["prosecuted"], "keeps_committee_membership": True}
    case = party_activity_suspension(RULES).open(
        COMMITTEE_MEMBER, at=at(2026, 5, 4), actor=PROVINCIAL_UBKT
    )
    reason = _refusal(
        case,
        "DECIDE_SUSPENSION",
        "suspended_from_committee_too",
        at=at(2026, 5, 4),
        actor=PROVINCIAL_UBKT,
        payload=keeps,
    )
    assert "suspended from the committee too" in reason
    assert reason.endswith("[QĐ 22-QĐ/TW Điều 28 (assumed)]")
    # An ordinary member has no committee membership to keep.
    other = party_activity_suspension(RULES).open(MEMBER, at=at(2026, 5, 4), actor=PROVINCIAL_UBKT)
    other.fire("DECIDE_SUSPENSION", at=at(2026, 5, 4), actor=PROVINCIAL_UBKT, payload=keeps)
    assert other.state.name == "SUSPENDED"
    case.fire(
        "DECIDE_SUSPENSION",
        at=at(2026, 5, 4),
        actor=PROVINCIAL_UBKT,
        payload={"grounds": ["prosecuted"]},
    )
    assert case.state.name == "SUSPENDED"
    local = party_activity_suspension(_off("suspended_committee_member_suspended_from_committee"))
    case = local.open(COMMITTEE_MEMBER, at=at(2026, 5, 4), actor=PROVINCIAL_UBKT)
    case.fire("DECIDE_SUSPENSION", at=at(2026, 5, 4), actor=PROVINCIAL_UBKT, payload=keeps)
    assert case.state.name == "SUSPENDED"


# ------------------------------------------------------------------ discipline


def _heard(ruleset: Ruleset) -> Any:
    wf = member_discipline(ruleset)
    case = wf.open(
        COMMITTEE_MEMBER, at=at(2026, 5, 4), actor=CELL, payload={"violation_on": "2026-02-02"}
    )
    case.fire("HEAR_SUBJECT", at=at(2026, 5, 4), actor=CELL)
    return case


@pytest.mark.parametrize("measure", ["removal_from_post", "expulsion"])
def test_a_committee_member_warranting_removal_does_not_step_down(measure: str) -> None:
    closing = {
        "reason": "stepped down from the committee",
        "stepped_down": True,
        "measure": measure,
    }
    case = _heard(RULES)
    reason = _refusal(
        case,
        "CLOSE_WITHOUT_DISCIPLINE",
        "no_step_down_instead_of_removal",
        at=at(2026, 5, 5),
        actor=CELL,
        payload=closing,
    )
    assert "removed, not let step down" in reason
    assert reason.endswith("[QĐ 30-QĐ/TW (2016) (assumed)]")
    local = _heard(_off("committee_member_removal_no_step_down"))
    local.fire("CLOSE_WITHOUT_DISCIPLINE", at=at(2026, 5, 5), actor=CELL, payload=closing)
    assert local.state.name == "NOT_DISCIPLINED"


def test_stepping_down_is_no_bar_when_the_violation_warrants_less() -> None:
    # A reprimand-level violation: closing because the member stepped down is not refused.
    case = _heard(RULES)
    payload = {"reason": "stepped down", "stepped_down": True, "measure": "reprimand"}
    case.fire("CLOSE_WITHOUT_DISCIPLINE", at=at(2026, 5, 5), actor=CELL, payload=payload)
    assert case.state.name == "NOT_DISCIPLINED"


# ------------------------------------------------------------------ every era

NAMES = ("2021", "2022", "2025", "2025-07", "2026")


@pytest.mark.parametrize("name", NAMES)
def test_each_fact_guard_refuses_and_passes_in_every_ruleset(name: str) -> None:
    # The same moves under each built-in ruleset: each new guard refuses, citing that
    # ruleset's rule, and passes without the payload key that makes it refuse.
    rules = default_registry().get(name)

    def cited(key: str) -> str:
        return f"[{rules.rule(key).citation}]"

    case = _filed(rules)
    reason = _refusal(
        case,
        "ACCEPT",
        "not_to_several_levels",
        at=at(2026, 5, 12),
        actor=GRASSROOTS_UBKT,
        payload={"also_sent_to": ["ubkt-t"]},
    )
    assert reason.endswith(cited("complaint_not_to_several_levels_at_once"))
    case.fire("ACCEPT", at=at(2026, 5, 12), actor=GRASSROOTS_UBKT)

    case = _classified(rules)
    payload = {"complains_about_discipline": True}
    reason = _refusal(
        case, "ACCEPT", "not_a_complaint", at=at(2026, 5, 6), actor=CELL, payload=payload
    )
    assert reason.endswith(cited("complaint_and_denunciation_handled_as_complaint"))
    case.fire("ACCEPT", at=at(2026, 5, 6), actor=CELL)

    case = party_activity_suspension(rules).open(
        COMMITTEE_MEMBER, at=at(2026, 5, 4), actor=PROVINCIAL_UBKT
    )
    decide = {"grounds": ["prosecuted"], "keeps_committee_membership": True}
    reason = _refusal(
        case,
        "DECIDE_SUSPENSION",
        "suspended_from_committee_too",
        at=at(2026, 5, 4),
        actor=PROVINCIAL_UBKT,
        payload=decide,
    )
    assert reason.endswith(cited("suspended_committee_member_suspended_from_committee"))
    decide = {"grounds": ["prosecuted"]}
    case.fire("DECIDE_SUSPENSION", at=at(2026, 5, 4), actor=PROVINCIAL_UBKT, payload=decide)

    case = _heard(rules)
    closing = {"reason": "stepped down", "stepped_down": True, "measure": "removal_from_post"}
    reason = _refusal(
        case,
        "CLOSE_WITHOUT_DISCIPLINE",
        "no_step_down_instead_of_removal",
        at=at(2026, 5, 5),
        actor=CELL,
        payload=closing,
    )
    assert reason.endswith(cited("committee_member_removal_no_step_down"))
    closing = {"reason": "no violation"}
    case.fire("CLOSE_WITHOUT_DISCIPLINE", at=at(2026, 5, 5), actor=CELL, payload=closing)
    assert case.state.name == "NOT_DISCIPLINED"


CENTRAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
CADRE = Member("m-9", managed_by=Level.CENTRAL)


@pytest.mark.parametrize("name", NAMES)
def test_each_fact_guard_on_its_other_moves(name: str) -> None:
    # The same guards on the workflows' other rows: a committee suspension, a further
    # complaint, a denunciation above the grassroots and against a central cadre, and closing a
    # case the cell proposed to a higher body.
    rules = default_registry().get(name)
    # QĐ 22 Điều 28: a committee suspension cannot keep the committee membership either.
    case = committee_suspension(rules).open(
        COMMITTEE_MEMBER, at=at(2026, 5, 4), actor=PROVINCIAL_UBKT
    )
    keeps = {"grounds": ["charged"], "keeps_committee_membership": True}
    _refusal(
        case,
        "DECIDE_SUSPENSION",
        "suspended_from_committee_too",
        at=at(2026, 5, 4),
        actor=PROVINCIAL_UBKT,
        payload=keeps,
    )
    case.fire(
        "DECIDE_SUSPENSION",
        at=at(2026, 5, 4),
        actor=PROVINCIAL_UBKT,
        payload={"grounds": ["charged"]},
    )

    # A further complaint, also sent elsewhere, goes to one level only (QĐ 22 Điều 23): the
    # grassroots commission upheld the warning on Tuesday 12 May 2026; the next level (the
    # district while there was one, else the province) receives it on Friday 15 May.
    case = _filed(rules)
    case.fire("ACCEPT", at=at(2026, 5, 12), actor=GRASSROOTS_UBKT)
    case.fire("UPHOLD_DECISION", at=at(2026, 5, 12), actor=GRASSROOTS_UBKT)
    above = Level.DISTRICT if rules.has_district_level else Level.PROVINCIAL
    next_level = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-next", above)
    further = {"filed_on": "2026-05-14", "received_on": "2026-05-15"}
    _refusal(
        case,
        "ESCALATE",
        "not_to_several_levels",
        at=at(2026, 5, 15),
        actor=next_level,
        payload={**further, "also_sent_to": ["ubkttw"]},
    )
    case.fire("ESCALATE", at=at(2026, 5, 15), actor=next_level, payload=further)

    # A letter that also complains, above the grassroots and against a central cadre.
    for variant, subject, body in (
        ("above_grassroots", MEMBER, PROVINCIAL_UBKT),
        ("central_cadre", CADRE, CENTRAL_UBKT),
    ):
        letter = denunciation_workflow(rules, variant).open(subject, at=at(2026, 5, 4), actor=body)
        letter.fire(
            "REGISTER", at=at(2026, 5, 4), actor=body, payload={"received_on": "2026-05-04"}
        )
        letter.fire("CLASSIFY", at=at(2026, 5, 5), actor=body)
        payload = {"complains_about_discipline": True}
        _refusal(
            letter, "ACCEPT", "not_a_complaint", at=at(2026, 5, 6), actor=body, payload=payload
        )
        letter.fire("ACCEPT", at=at(2026, 5, 6), actor=body)

    # The cell votes removal from post for a committee member and proposes it; the commission
    # above may not close the case because the member stepped down.
    case = _heard(rules)
    tally = VoteTally(9, 7, 2, 0).to_payload()
    case.fire(
        "HOLD_VOTE",
        at=at(2026, 5, 5),
        actor=CELL,
        payload={"measure": "removal_from_post", "vote": tally},
    )
    case.fire("PROPOSE_TO_HIGHER", at=at(2026, 5, 5), actor=CELL)
    _refusal(
        case,
        "CLOSE_WITHOUT_DISCIPLINE",
        "no_step_down_instead_of_removal",
        at=at(2026, 5, 6),
        actor=PROVINCIAL_UBKT,
        payload={"reason": "stepped down", "stepped_down": True},
    )
    case.fire(
        "CLOSE_WITHOUT_DISCIPLINE",
        at=at(2026, 5, 6),
        actor=PROVINCIAL_UBKT,
        payload={"reason": "no violation"},
    )
    assert case.state.name == "NOT_DISCIPLINED"
