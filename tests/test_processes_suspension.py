"""Suspension workflows (``discipline_flow.processes.suspension``).

Suspension periods are plain "ngày", read as calendar days, counted without roll-forward (the
suspension lapses at the end of its last day). Every date is worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation, RuleStatus
from discipline_flow.errors import TransitionRefused
from discipline_flow.processes.suspension import (
    committee_suspension,
    grounds_of,
    legal_measures_of,
    organisation_suspension,
    party_activity_suspension,
    workflows,
)
from discipline_flow.rules import select_ruleset
from discipline_flow.testing import CaseFactory, Scenario, StepInput, covering_paths
from discipline_flow.testing.paths import PathStep
from discipline_flow.workflow import Workflow
from helpers import RULESETS, TZ, at

UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
GRASSROOTS = Body(BodyKind.GRASSROOTS_COMMITTEE, "dy")
PROVINCIAL_STANDING = Body(BodyKind.STANDING_COMMITTEE, "btv-t", Level.PROVINCIAL)
MEMBER = Member("m-1", cell_id="cell-7")
COMMITTEE_MEMBER = Member("m-2", committee_level=Level.GRASSROOTS)
CELL_ORG = Organisation("chi-bo", Level.GRASSROOTS, parent_id="dy")


def suspended(
    builder: Any, when: pendulum.DateTime, *, subject: Any = MEMBER, actor: Body = UBKT
) -> Case[Any, Any]:
    """A case suspended on ``when`` under the ruleset then in force."""
    wf = builder(select_ruleset(when.date()))
    case: Case[Any, Any] = wf.open(subject, at=when, actor=actor)
    case.fire("DECIDE_SUSPENSION", at=when, actor=actor, payload={"grounds": ["obstructing"]})
    return case


def extend(case: Case[Any, Any], when: pendulum.DateTime, by: str) -> None:
    case.fire(
        "EXTEND", at=when, actor=UBKT, payload={"extend_by": by, "reason": "review continues"}
    )


def refused_by(case: Case[Any, Any], trigger: str, **kwargs: Any) -> set[str]:
    before = case.version
    with pytest.raises(TransitionRefused) as info:
        case.fire(trigger, **kwargs)
    assert case.version == before
    return {f.guard for f in info.value.failures}


@pytest.mark.parametrize("name", sorted(RULESETS))
def test_three_workflows_per_ruleset(name: str) -> None:
    built = workflows(RULESETS[name])
    assert [(w.name, w.version) for w in built] == [
        ("party_activity_suspension", name),
        ("committee_suspension", name),
        ("organisation_suspension", name),
    ]
    for wf in built:
        assert all(m in wf.labels for m in (*wf.all_states, *wf.all_triggers))
    # QĐ 22 Điều 28: a charged committee member is suspended from the committee only.
    ruleset = RULESETS[name]
    assert "charged" in grounds_of(ruleset, "committee_suspension")
    assert "charged" not in legal_measures_of(ruleset, "party_activity_suspension")


def test_qd22_member_suspension_extended_up_to_180_days() -> None:
    # QĐ 22 Điều 31 khoản 1 (ruleset 2022): 90 days, with extensions at most 180 in all.
    case = suspended(party_activity_suspension, at(2025, 5, 5))
    # Mon 5/5/2025 + 90 days: 26 left in May, 30 in June, 31 in July, 3 in August -> Sun
    # 3/8/2025, not rolled forward (the suspension lapses at the end of that day).
    assert case.deadline("suspension_period").due_on == dt.date(2025, 8, 3)
    assert case.deadline("suspension_period").citation.status is RuleStatus.VERIFIED
    extend(case, at(2025, 7, 30), "60 days")  # -> 2/10/2025
    assert case.deadline("suspension_period").due_on == dt.date(2025, 10, 2)
    extend(case, at(2025, 9, 30), "30 days")  # -> 1/11/2025 = 5/5 + 180 days, the cap
    assert case.deadline("suspension_period").due_on == dt.date(2025, 11, 1)
    assert case.deadline("suspension_period").cap_on == dt.date(2025, 11, 1)
    with pytest.raises(TransitionRefused, match="at most 90 days"):
        extend(case, at(2025, 10, 20), "1 day")


def test_qd21_member_suspension_extended_once_by_30_days() -> None:
    # QĐ 21-QĐ/TW (2026, secondary): 90 days, one extension of at most 30 days.
    case = suspended(party_activity_suspension, at(2026, 5, 4))
    assert case.deadline("suspension_period").due_on == dt.date(2026, 8, 2)
    assert (
        case.deadline("suspension_period").citation.status is RuleStatus.ASSUMED
    )  # one quiz: recalled (reference Update 2026-12 U.1)
    with pytest.raises(TransitionRefused, match="at most 30 days"):
        extend(case, at(2026, 7, 30), "31 days")
    extend(case, at(2026, 7, 30), "30 days")
    assert case.deadline("suspension_period").due_on == dt.date(2026, 9, 1)
    with pytest.raises(TransitionRefused, match="allows at most 1"):
        extend(case, at(2026, 8, 20), "1 day")


@pytest.mark.parametrize(
    ("day", "max_extension", "cap"),
    [
        # Ruleset 2025-07 carries QĐ 22's 90 more days (assumed); cap 180 days from 10/4/2026.
        (dt.date(2026, 4, 10), "90 days", dt.date(2026, 10, 7)),
        # Ruleset 2026 (QĐ 21): one extension of 30 days; cap 120 days from 11/4/2026.
        (dt.date(2026, 4, 11), "30 days", dt.date(2026, 8, 9)),
    ],
)
def test_extension_limit_changes_on_11_april_2026(
    day: dt.date, max_extension: str, cap: dt.date
) -> None:
    when = pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)
    case = suspended(party_activity_suspension, when)
    assert case.deadline("suspension_period").cap_on == cap
    rule = case.workflow.rule("suspension_period")
    assert rule.extension is not None
    assert str(rule.extension.max_total) == max_extension


def test_organisations_are_not_extended_under_qd22() -> None:
    # QĐ 22 Điều 31 khoản 1: an organisation is suspended for at most 90 days.
    case = suspended(organisation_suspension, at(2025, 5, 5), subject=CELL_ORG, actor=GRASSROOTS)
    with pytest.raises(TransitionRefused) as info:
        extend(case, at(2025, 6, 1), "10 days")
    assert info.value.failures == ()
    assert "EXTEND" not in info.value.allowed
    # QĐ 21 (2026): the same question covers organisations: one extension of 30 days.
    later = suspended(organisation_suspension, at(2026, 5, 4), subject=CELL_ORG, actor=GRASSROOTS)
    later.fire(
        "EXTEND",
        at=at(2026, 7, 1),
        actor=GRASSROOTS,
        payload={"extend_by": "30 days", "reason": "r"},
    )
    assert later.deadline("suspension_period").due_on == dt.date(2026, 9, 1)


def test_the_sweep_ends_the_suspension() -> None:
    case = suspended(party_activity_suspension, at(2025, 5, 5))
    s = Scenario(case.workflow, name="expiry").given(case=case)
    s.when("EXPIRE", actor=UBKT).then(refused={"period_over"})
    s.clock.set(at(2025, 8, 3, 23))
    s.sweep().then(state="SUSPENDED", deadlines={"suspension_period": "due_soon"})
    s.clock.set(at(2025, 8, 4, 0))
    s.sweep().then(state="EXPIRED", deadlines={"suspension_period": "cancelled"})


def test_a_detained_member_follows_the_legal_measure() -> None:
    # QĐ 22 Điều 28, 31 khoản 2: a prosecuted or detained member is suspended for as long as
    # the legal measure lasts; a charged committee member is suspended from the committee.
    case = suspended(party_activity_suspension, at(2025, 9, 1))
    assert refused_by(
        case,
        "TIE_TO_LEGAL_PROCESS",
        at=at(2025, 9, 2),
        actor=UBKT,
        payload={"legal_measure": "charged"},
    ) == {"legal_measure"}
    case.fire(
        "TIE_TO_LEGAL_PROCESS", at=at(2025, 9, 2), actor=UBKT, payload={"legal_measure": "detained"}
    )
    assert case.state.name == "FOLLOWING_LEGAL_MEASURE"
    assert case.deadline("suspension_period").cancelled_at == at(2025, 9, 2)
    assert refused_by(case, "LIFT", at=at(2026, 1, 5), actor=UBKT) == {"reason_given"}
    case.fire("LIFT", at=at(2026, 1, 5), actor=UBKT, payload={"reason": "released"})
    assert case.state.name == "LIFTED"
    committee = suspended(committee_suspension, at(2025, 9, 1), subject=COMMITTEE_MEMBER)
    committee.fire(
        "TIE_TO_LEGAL_PROCESS", at=at(2025, 9, 2), actor=UBKT, payload={"legal_measure": "charged"}
    )


def test_who_may_suspend_and_on_what_grounds() -> None:
    day = at(2025, 9, 1)
    rules = select_ruleset(day.date())
    # A cell may not expel, so it may not suspend party activity (inferred, assumed).
    case = party_activity_suspension(rules).open(MEMBER, at=day, actor=CELL)
    assert refused_by(
        case, "DECIDE_SUSPENSION", at=day, actor=CELL, payload={"grounds": ["obstructing"]}
    ) == {"authority"}
    assert refused_by(
        case, "DECIDE_SUSPENSION", at=day, actor=UBKT, payload={"grounds": ["charged"]}
    ) == {"grounds"}
    # Only a committee member is suspended from the committee.
    plain = committee_suspension(rules).open(MEMBER, at=day, actor=UBKT)
    with pytest.raises(TransitionRefused, match="only a committee member"):
        plain.fire("DECIDE_SUSPENSION", at=day, actor=UBKT, payload={"grounds": ["charged"]})
    # The body that may dissolve an organisation suspends it (QĐ 22, verified): a standing
    # committee only proposes dissolution.
    org = organisation_suspension(rules).open(CELL_ORG, at=day, actor=GRASSROOTS)
    assert refused_by(
        org,
        "DECIDE_SUSPENSION",
        at=day,
        actor=PROVINCIAL_STANDING,
        payload={"grounds": "obstructing"},
    ) == {"authority"}
    org.fire("DECIDE_SUSPENSION", at=day, actor=GRASSROOTS, payload={"grounds": "obstructing"})
    assert refused_by(
        org, "LIFT", at=day, actor=Body(BodyKind.PERSON, "x"), payload={"reason": "r"}
    ) == {"party_body"}
    org.fire("LIFT", at=day.add(days=10), actor=GRASSROOTS, payload={"reason": "remedied"})
    assert org.deadline("suspension_period").met_at == day.add(days=10)
    dropped = party_activity_suspension(rules).open(MEMBER, at=day, actor=UBKT)
    dropped.fire("DROP", at=day, actor=UBKT, payload={"reason": "no obstruction"})
    assert dropped.state.name == "NOT_SUSPENDED"


# ---------------------------------------------------------------------------- every transition


def _provide(step: PathStep[Any, Any], case: Case[Any, Any]) -> StepInput | None:
    actor = GRASSROOTS if case.workflow.name == "organisation_suspension" else UBKT
    name = step.trigger.name
    if name == "DECIDE_SUSPENSION":
        return StepInput({"grounds": ["obstructing"]}, actor=actor)
    if name == "EXTEND":
        return StepInput({"extend_by": "10 days", "reason": "r"}, actor=actor)
    if name == "TIE_TO_LEGAL_PROCESS":
        return StepInput({"legal_measure": "detained"}, actor=actor)
    if name in ("LIFT", "DROP"):
        return StepInput({"reason": "r"}, actor=actor)
    if name == "EXPIRE":
        return StepInput({}, actor=Body(BodyKind.SYSTEM, "sweep"), wait="200 days")
    return None


@pytest.mark.parametrize("name", sorted(RULESETS))
@pytest.mark.parametrize(
    "builder", [party_activity_suspension, committee_suspension, organisation_suspension]
)
def test_every_transition_fires(name: str, builder: Any) -> None:
    wf: Workflow[Any, Any] = builder(RULESETS[name])
    effective = RULESETS[name].effective_from
    start = pendulum.datetime(effective.year, effective.month, effective.day, 9, tz=TZ)
    subjects: dict[str, Member | Organisation] = {
        "party_activity_suspension": MEMBER,
        "committee_suspension": COMMITTEE_MEMBER,
        "organisation_suspension": CELL_ORG,
    }
    subject = subjects[wf.name]
    fired = set()
    for path in covering_paths(wf):
        case = CaseFactory().follow(wf, path, at=start, subject=subject, payloads=_provide)
        assert case.state is path.end
        last = path.steps[-1]
        fired.add((last.source, last.trigger, last.target))
    assert fired == {(c.source, c.trigger, c.target) for c in wf.compiled}
