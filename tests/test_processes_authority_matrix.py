"""The authority matrix as the discipline workflows see it (body x subject x measure).

Two tables. The first is written by hand from the reference (§2(e)): for a selection of cells it
states what a body may do, with the rule in the row's id, and checks that the workflow lets the
body vote, decide or propose accordingly. The second walks every cell of the matrix for every
built-in ruleset and checks that the workflow's guards agree with ``check_authority``: a body
that may decide votes and decides but does not propose; one that may only propose votes and
proposes but does not decide; any other is refused all three, with the rule's citation.
"""

from __future__ import annotations

import itertools
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation
from discipline_flow.processes.discipline import member_discipline, organisation_discipline
from discipline_flow.rules import (
    Measure,
    Permission,
    Ruleset,
    VoteTally,
    check_authority,
)
from discipline_flow.workflow import GuardContext, Workflow
from helpers import RULESETS, TZ

LEVELS = (Level.GRASSROOTS, Level.DISTRICT, Level.PROVINCIAL, Level.CENTRAL)
LEVELLED = (BodyKind.COMMITTEE, BodyKind.STANDING_COMMITTEE, BodyKind.INSPECTION_COMMISSION)
FIXED = (
    BodyKind.PARTY_CELL,
    BodyKind.CELL_EXECUTIVE,
    BodyKind.PARTIAL_COMMITTEE,
    BodyKind.GRASSROOTS_COMMITTEE,
    BodyKind.SECRETARIAT,
    BodyKind.POLITBURO,
    BodyKind.CENTRAL_COMMITTEE,
    BodyKind.STATE_AGENCY,
    BodyKind.PERSON,
    BodyKind.SYSTEM,
)
BODIES = (
    *(Body(kind, kind.value) for kind in FIXED),
    *(Body(kind, f"{kind.value}-{level.value}", level) for kind in LEVELLED for level in LEVELS),
)
SUBJECTS: tuple[Member | Organisation, ...] = (
    Member("full"),
    Member("probationary", is_probationary=True),
    Member("head", holds_post=True),
    *(Member(f"committee-{lv.value}", committee_level=lv) for lv in LEVELS),
    *(Member(f"cadre-{lv.value}", managed_by=lv) for lv in LEVELS),
    *(Organisation(f"org-{lv.value}", lv) for lv in LEVELS),
)
SECRET_VOTE = VoteTally(9, 7, 2, 0, is_secret_ballot=True).to_payload()


def _workflow(rules: Ruleset, subject: Member | Organisation) -> Workflow[Any, Any]:
    if isinstance(subject, Organisation):
        return organisation_discipline(rules)
    return member_discipline(rules)


def _heard(rules: Ruleset, subject: Member | Organisation) -> Case[Any, Any]:
    day = rules.effective_from
    when = pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)
    case = _workflow(rules, subject).open(subject, at=when, actor="person:clerk")
    case.fire("HEAR_SUBJECT", at=when, actor="person:clerk")
    return case


def _guard_failures(
    case: Case[Any, Any], source: str, trigger: str, guard: str, actor: Body, measure: Measure
) -> list[str]:
    """What the named guard of ``trigger`` from ``source`` says about ``actor`` (as DECIDE or
    PROPOSE_TO_HIGHER would see it on a case voted on ``measure``)."""
    wf = case.workflow
    state = wf.state_named(source)
    trig = wf.trigger_named(trigger)
    (compiled,) = wf.candidates(state, trig)
    (check,) = [g for g in compiled.guards if g.name == guard]
    ctx = GuardContext(
        case, trig, state, compiled.target, case.last_at, actor, {"measure": measure.value}
    )
    reason = check.check(ctx)
    return [] if reason is None else [reason]


def _seen_by_workflow(
    rules: Ruleset, case: Case[Any, Any], body: Body, measure: Measure
) -> tuple[bool, bool, bool]:
    """(may vote, may decide, may propose) as the workflow's guards say."""
    payload = {"measure": measure.value, "vote": SECRET_VOTE}
    failures = case.check("HOLD_VOTE", actor=body, payload=payload)
    votes = not [f for f in failures if f.guard == "authority"]
    decides = not _guard_failures(case, "VOTED", "DECIDE", "authority", body, measure)
    proposes = not _guard_failures(
        case, "VOTED", "PROPOSE_TO_HIGHER", "proposal_authority", body, measure
    )
    return votes, decides, proposes


_EXPECTED = {
    Permission.ALLOWED: (True, True, False),
    Permission.NEEDS_APPROVAL: (True, True, False),
    Permission.PROPOSAL_ONLY: (True, False, True),
    Permission.NOT_ALLOWED: (False, False, False),
}

CELL = Body(BodyKind.PARTY_CELL, "cell")
EXECUTIVE = Body(BodyKind.CELL_EXECUTIVE, "chi-uy")
PARTIAL = Body(BodyKind.PARTIAL_COMMITTEE, "dubp")
GRASSROOTS = Body(BodyKind.GRASSROOTS_COMMITTEE, "dy")
DISTRICT_STANDING = Body(BodyKind.STANDING_COMMITTEE, "btv-h", Level.DISTRICT)
# The bodies of one organisation share its id: the province's committee and standing committee.
PROVINCIAL_COMMITTEE = Body(BodyKind.COMMITTEE, "tinh", Level.PROVINCIAL)
PROVINCIAL_STANDING = Body(BodyKind.STANDING_COMMITTEE, "tinh", Level.PROVINCIAL)
CENTRAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
SECRETARIAT = Body(BodyKind.SECRETARIAT, "bbt")
CC = Body(BodyKind.CENTRAL_COMMITTEE, "bchtw")
POLICE = Body(BodyKind.STATE_AGENCY, "police")
FULL = Member("m-1", cell_id="cell")
HEAD = Member("m-2", cell_id="cell", holds_post=True)
PROBATIONARY = Member("m-3", cell_id="cell", is_probationary=True)
CC_MEMBER = Member("m-4", committee_level=Level.CENTRAL)
CENTRAL_CADRE = Member("m-5", managed_by=Level.CENTRAL)
CELL_ORG = Organisation("chi-bo", Level.GRASSROOTS, parent_id="dy")
COMMUNE_ORG = Organisation("dang-bo-xa", Level.GRASSROOTS, parent_id="tinh")

A, P, N = Permission.ALLOWED, Permission.PROPOSAL_ONLY, Permission.NOT_ALLOWED
NEEDS = Permission.NEEDS_APPROVAL


@pytest.mark.parametrize(
    ("ruleset", "body", "subject", "measure", "task", "expected"),
    [
        pytest.param(
            "2025-07", CELL, FULL, Measure.REPRIMAND, False, A, id="qd296-10-1.1-cell-reprimand"
        ),
        pytest.param(
            "2025-07", CELL, FULL, Measure.WARNING, False, A, id="qd296-10-1.1-cell-warning"
        ),
        pytest.param(
            "2025-07",
            CELL,
            HEAD,
            Measure.REMOVAL_FROM_POST,
            False,
            P,
            id="qd296-10-cell-proposes-removal",
        ),
        pytest.param(
            "2025-07",
            CELL,
            FULL,
            Measure.EXPULSION,
            False,
            P,
            id="qd296-10-cell-proposes-expulsion",
        ),
        pytest.param(
            "2025-07", CELL, FULL, Measure.WARNING, True, P, id="qd296-10-1.4-higher-task"
        ),
        pytest.param("2022", CELL, FULL, Measure.WARNING, True, P, id="qd22-11-higher-task"),
        pytest.param(
            "2025-07", EXECUTIVE, FULL, Measure.REPRIMAND, False, N, id="q26-cell-executive-cannot"
        ),
        pytest.param(
            "2025-07", CELL, PROBATIONARY, Measure.EXPULSION, False, N, id="charter-35-probationary"
        ),
        pytest.param(
            "2025-07",
            CELL,
            PROBATIONARY,
            Measure.WARNING,
            False,
            A,
            id="charter-35-probationary-warning",
        ),
        pytest.param(
            "2022", PARTIAL, FULL, Measure.WARNING, False, P, id="qd22-11-partial-forwards"
        ),
        pytest.param(
            "2022",
            DISTRICT_STANDING,
            FULL,
            Measure.EXPULSION,
            False,
            A,
            id="qd22-11-district-expels",
        ),
        pytest.param(
            "2025-07", DISTRICT_STANDING, FULL, Measure.EXPULSION, False, N, id="qd294-no-district"
        ),
        pytest.param(
            "2025-07",
            PROVINCIAL_COMMITTEE,
            COMMUNE_ORG,
            Measure.WARNING,
            False,
            A,
            id="qd296-11-directly-higher",
        ),
        pytest.param(
            "2025-07",
            PROVINCIAL_COMMITTEE,
            CELL_ORG,
            Measure.WARNING,
            False,
            N,
            id="qd296-11-not-the-parent",
        ),
        pytest.param(
            "2022",
            PROVINCIAL_COMMITTEE,
            Organisation("dang-bo-xa", Level.GRASSROOTS),
            Measure.WARNING,
            False,
            N,
            id="qd22-11-not-directly-higher",
        ),
        pytest.param(
            "2025-07",
            GRASSROOTS,
            CELL_ORG,
            Measure.DISSOLUTION,
            False,
            NEEDS,
            id="dissolution-approved-above",
        ),
        pytest.param(
            "2025-07",
            PROVINCIAL_STANDING,
            COMMUNE_ORG,
            Measure.DISSOLUTION,
            False,
            P,
            id="standing-proposes-dissolution",
        ),
        pytest.param("2025-07", CC, CC_MEMBER, Measure.EXPULSION, False, A, id="cc-final-level"),
        pytest.param(
            "2025-07",
            SECRETARIAT,
            CC_MEMBER,
            Measure.EXPULSION,
            False,
            P,
            id="cc-members-by-the-cc",
        ),
        pytest.param(
            "2025-07",
            CENTRAL_UBKT,
            CENTRAL_CADRE,
            Measure.WARNING,
            False,
            P,
            id="ubkttw-proposes-central-cadres",
        ),
        pytest.param(
            "2025-07", POLICE, FULL, Measure.REPRIMAND, False, N, id="deny-by-default-state-agency"
        ),
        pytest.param("2026", CELL, FULL, Measure.WARNING, False, A, id="qd21-carried-cell-warning"),
    ],
)
def test_hand_table_through_the_workflow(
    ruleset: str,
    body: Body,
    subject: Member | Organisation,
    measure: Measure,
    task: bool,
    expected: Permission,
) -> None:
    rules = RULESETS[ruleset]
    assert (
        check_authority(rules, body, subject, measure, higher_assigned_task=task).permission
        is expected
    )
    case = _heard(rules, subject)
    payload: dict[str, Any] = {"measure": measure.value, "vote": SECRET_VOTE}
    if task:
        payload["higher_assigned_task"] = True
    failures = case.check("HOLD_VOTE", actor=body, payload=payload)
    authority = [f for f in failures if f.guard == "authority"]
    assert (not authority) is _EXPECTED[expected][0]
    for failure in authority:
        assert failure.basis is not None
        assert "[" in failure.reason  # the refusal names the rule's citation
    if _EXPECTED[expected][0]:
        case.fire("HOLD_VOTE", at=case.last_at, actor=body, payload=payload)
        decide = case.check("DECIDE", actor=body)
        assert (not [f for f in decide if f.guard == "authority"]) is _EXPECTED[expected][1]
        propose = case.check("PROPOSE_TO_HIGHER", actor=body)
        assert (not propose) is _EXPECTED[expected][2]


@pytest.mark.parametrize("ruleset", sorted(RULESETS))
def test_every_cell_of_the_matrix(ruleset: str) -> None:
    rules = RULESETS[ruleset]
    checked = 0
    disagreements = []
    for subject in SUBJECTS:
        case = _heard(rules, subject)
        for body, measure in itertools.product(BODIES, Measure):
            permission = check_authority(rules, body, subject, measure).permission
            seen = _seen_by_workflow(rules, case, body, measure)
            if seen != _EXPECTED[permission]:
                disagreements.append((body, subject.id, measure.value, permission, seen))
            checked += 1
    assert disagreements == []
    assert checked == len(SUBJECTS) * len(BODIES) * len(Measure)
