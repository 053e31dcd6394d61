"""Random walks over every shipped workflow under every built-in ruleset.

Hypothesis opens a case about a random subject and fires random triggers — available or not —
by random bodies, with random payloads (plausible values of the keys the process modules read,
and junk), at random later times. Whatever happens:

* the case only ever takes a compiled transition, so it never reaches an undeclared state, and a
  terminal state has no way out;
* the only errors are our documented ones (:class:`~discipline_flow.errors.DisciplineFlowError`
  subclasses), and a refused move leaves the case exactly as it was;
* the history verifies and replaying it gives the same state and deadlines.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discipline_flow import Body, BodyKind, Level, Member, Organisation
from discipline_flow.case import Case, replay
from discipline_flow.errors import DisciplineFlowError
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import VoteTally, default_registry
from helpers import TZ

LEVELLED = (BodyKind.COMMITTEE, BodyKind.STANDING_COMMITTEE, BodyKind.INSPECTION_COMMISSION)
BODIES = [
    Body(BodyKind.PARTY_CELL, "cell-7"),
    Body(BodyKind.PARTY_CELL, "cell-8"),
    Body(BodyKind.CELL_EXECUTIVE, "cell-7-exec"),
    Body(BodyKind.PARTIAL_COMMITTEE, "dubp-7"),
    Body(BodyKind.GRASSROOTS_COMMITTEE, "du-7"),
    *(Body(kind, f"{kind.value}-{lv.value}", lv) for kind in LEVELLED for lv in Level),
    Body(BodyKind.POLITBURO, "bct"),
    Body(BodyKind.SECRETARIAT, "bbt"),
    Body(BodyKind.CENTRAL_COMMITTEE, "bchtw"),
    Body(BodyKind.STATE_AGENCY, "court-1"),
    Body(BodyKind.PERSON, "m-1"),
    Body(BodyKind.SYSTEM, "sweep"),
]
SUBJECTS: list[Member | Organisation] = [
    Member("m-1", cell_id="cell-7"),
    Member("m-2", cell_id="cell-7", is_probationary=True),
    Member("m-3", managed_by=Level.CENTRAL, holds_post=True),
    Member("m-4", committee_level=Level.PROVINCIAL, holds_post=True),
    Member("m-5", managed_by=Level.DISTRICT),
    Organisation("o-1", Level.GRASSROOTS, parent_id="du-7"),
    Organisation("o-2", Level.PROVINCIAL),
]
WORKFLOWS = [
    pytest.param(ruleset.name, wf.name, id=f"{ruleset.name}-{wf.name}")
    for ruleset in default_registry()
    for wf in shipped_workflows(ruleset)
]
START = pendulum.datetime(2025, 9, 15, 9, tz=TZ)


def _day(offset: int) -> str:
    return (START.date() + dt.timedelta(days=offset)).isoformat()


def _tally(eligible: int, in_favour: int, stage: str) -> dict[str, Any]:
    return VoteTally(eligible, in_favour, eligible - in_favour, 0, stage=stage).to_payload()


#: Values of the payload keys the process modules read: plausible ones and junk.
PLAUSIBLE: dict[str, list[Any]] = {
    "measure": ["reprimand", "warning", "removal_from_post", "expulsion", "dissolution"],
    "vote": [_tally(9, 7, "decision"), _tally(9, 6, "proposal"), _tally(10, 5, "decision")],
    "proposal_vote": [_tally(9, 6, "proposal"), _tally(9, 5, "proposal")],
    "violation_on": [_day(-30), _day(-400), _day(-4000)],
    "received_on": [_day(-3), _day(0)],
    "filed_on": [_day(-3), _day(0)],
    "decision_received_on": [_day(-20), _day(-60)],
    "team_decided_on": [_day(-2)],
    "postmark_on": [_day(-5)],
    "reason": ["anonymous", "pregnant", "merged", "false_name", "x"],
    "extend_by": ["10 working days", "30 working days", "30 days", "60 days", "1 month", "soon"],
    "coerced": [False, True],
    "has_concrete_content": [True, False],
    "signs_of_violation": [True, False],
    "is_declaration_honest": [True, False],
    "has_violations": [False, True],
    "denouncer_notified": [True],
    "ground": ["no_activity_or_dues", "no_progress_after_education", "probationary_not_qualified"],
    "months_without_activity_or_dues": [3, 2],
    "months_of_education": [12],
    "consecutive_years_violating": [2],
    "warrants_expulsion": [False, True],
    "outcome": ["no_violation", "remediation", "discipline", "upheld", "changed", "annulled"],
    "members": [["m-1"], ["m-1", "m-2"], []],
    "plan": ["KH-1"],
    "team": [["a", "b"]],
    "attended": [True, False],
    "invitations": [2, 0],
    "higher_assigned_task": [False, True],
    "progress": ["half done"],
    "explanation": ["inherited"],
    "reasons": ["moving abroad"],
    "action": ["restore the fund"],
}
JUNK: list[Any] = [
    None,
    "",
    "x",
    -1,
    0,
    7,
    3.5,
    [],
    {},
    ["?"],
    {"a": 1},
    "2025-13-45",
    "2099-01-01",
]


def _bank(size: int) -> list[dict[str, Any]]:
    """Payloads drawn once from a seeded generator: Hypothesis then picks them by number, which
    keeps a walk to a few integer choices a step (and shrinkable)."""
    rng = random.Random(2025)
    keys = sorted(PLAUSIBLE)
    bank: list[dict[str, Any]] = [{}]
    while len(bank) < size:
        chosen = rng.sample(keys, rng.randint(1, 4))
        bank.append({k: rng.choice(PLAUSIBLE[k] if rng.random() < 0.85 else JUNK) for k in chosen})
    return bank


BANK = _bank(400)
#: One candidate move: (trigger pick, actor pick, payload pick).
CANDIDATE = st.tuples(
    st.integers(0, 63), st.integers(0, len(BODIES) - 1), st.integers(0, len(BANK) - 1)
)
#: One step of a walk: days and hours later, and up to 6 candidate moves.
STEP = st.tuples(
    st.integers(0, 120), st.integers(0, 23), st.lists(CANDIDATE, min_size=1, max_size=6)
)
WALK = st.tuples(
    st.integers(0, len(SUBJECTS) - 1),
    st.integers(0, len(BODIES) - 1),
    st.integers(0, len(BANK) - 1),
    st.lists(STEP, min_size=1, max_size=16),
)


def _snapshot(case: Case[Any, Any]) -> tuple[Any, ...]:
    return (case.state, len(case.steps), case.steps[-1].hash, tuple(case.deadlines))


def _deadlines(case: Case[Any, Any]) -> list[tuple[Any, ...]]:
    return [(d.rule, d.start_on, d.due_on, d.met_at, d.cancelled_at) for d in case.deadlines]


@pytest.mark.parametrize(("ruleset_name", "workflow_name"), WORKFLOWS)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(walk=WALK)
def test_random_walks_stay_in_the_declared_graph(
    ruleset_name: str, workflow_name: str, walk: tuple[int, int, int, list[Any]]
) -> None:
    wf = next(
        w
        for w in shipped_workflows(default_registry().get(ruleset_name))
        if w.name == workflow_name
    )
    subject, opener, opening, steps = walk
    try:
        case = wf.open(
            SUBJECTS[subject],
            at=START,
            actor=BODIES[opener],
            case_id="W-1",
            payload=BANK[opening],
        )
    except DisciplineFlowError:
        return
    moves = {(ct.source, ct.trigger, ct.target) for ct in wf.compiled}
    when = START
    for days, hours, candidates in steps:
        available = wf.available(case.state)
        if wf.is_terminal(case.state):
            assert available == ()
            assert case.allowed() == ()
        when = when.add(days=days, hours=hours)
        # Fire the first candidate the guards accept (to get deep into the workflow), else the
        # last one (to exercise refusals); triggers are mostly picked among the available ones.
        for pick, who, what in candidates:
            pool = available if available and pick < 48 else wf.all_triggers
            trigger, actor, payload = pool[pick % len(pool)], BODIES[who], BANK[what]
            try:
                if not case.check(trigger, at=when, actor=actor, payload=payload):
                    break
            except DisciplineFlowError:
                pass
        before = _snapshot(case)
        source = case.state
        try:
            step = case.fire(trigger, at=when, actor=actor, payload=payload)
        except DisciplineFlowError:
            assert _snapshot(case) == before, "a refused move changed the case"
            continue
        assert (source, trigger, case.state) in moves
        assert step.target is case.state
        assert set(case.allowed()) <= set(wf.available(case.state))
    assert case.verify() == len(case.steps)
    again = replay(wf, case.id, case.subject, case.steps, origin=case.origin)
    assert again.state is case.state
    assert _deadlines(again) == _deadlines(case)
