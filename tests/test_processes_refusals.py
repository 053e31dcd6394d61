"""Every guard of every shipped workflow seen refusing, with the rule it enforces.

A guard that is never seen refusing is a rule never tested. For each kind of guard, every
transition of every shipped workflow version that carries it is fired from its source state (a
case the testing toolkit builds through the engine with the shipped payload providers,
``CaseFactory.ready_for``, which also gives the input the move passes every guard with) with that
input changed to break the rule the guard enforces and nothing else the test controls: the
refusal must name that guard, say why in the guard's words and cite its legal basis.

* ``party_body`` — party work is done by party bodies (deny by default): a person is refused.
* ``no_district_level`` — QĐ 294-QĐ/TW: no district level from 1 July 2025; a district body is
  refused under ``2025-07`` and ``2026``; the versions of the rulesets that still have the level
  do not carry the guard (it could never refuse there), and let a district body act.
* payload guards built with ``requires`` (``reason_given``, ``measure_given``, ...) — the move
  records what the procedure says it must: an empty payload is refused, naming the keys.
* ``higher_body`` — approval, change, annulment and rulings come from a body above the one that
  decided: a party cell, the lowest body, is refused.
* the guards on the acting body (the authority matrix, the competent or supervising body, the
  issuer of a plan, ...) — a state agency is not a party body and is refused by each of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level
from discipline_flow.errors import GuardFailure, TransitionRefused
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import NO_DISTRICT_LEVEL, default_registry
from discipline_flow.testing import CaseFactory, Path, PathStep, StepInput, paths_to
from discipline_flow.workflow import Guard, Workflow
from helpers import TZ

CITATION_AT_THE_END = re.compile(r"\[[^\[\]]+ \((verified|secondary|assumed|overridden)\)\]$")
PERSON = Body(BodyKind.PERSON, "p-1")
STATE_AGENCY = Body(BodyKind.STATE_AGENCY, "court-1")
LOWEST = Body(BodyKind.PARTY_CELL, "cell-9")
#: Guards that judge who acts, and what each says when a state agency acts.
ACTOR_GUARDS = {
    "authority",
    "proposal_authority",
    "competent_body",
    "supervising_body_level",
    "inspecting_body",
    "asset_control_body",
    "issuer",
    "cell_acts",
    "competent_committee",
    "competent_resolver",
    "accepting_resolver",
    "committee_reviews",
    "resolver_central",
    "resolver_below_central",
}


def _requires(guard: Guard) -> bool:
    """Whether ``guard`` was built with ``guards.requires`` (its description says so)."""
    return (guard.description or "").startswith("the payload carries ")


#: Every shipped workflow version, by key.
SHIPPED: dict[str, Workflow[Any, Any]] = {
    workflow.key: workflow for rules in default_registry() for workflow in shipped_workflows(rules)
}
#: The shipped payload providers build every case (no provider of the tests' own).
FACTORY = CaseFactory()


def _moves(predicate: Any) -> list[Any]:
    """(workflow key, transition index) of every shipped transition with a guard that
    ``predicate`` selects, as pytest parameters."""
    return [
        pytest.param(key, compiled.index, id=f"{key}#{compiled.index}")
        for key, workflow in SHIPPED.items()
        for compiled in workflow.compiled
        if any(predicate(g) for g in compiled.guards)
    ]


def _ready(key: str, index: int) -> tuple[Case[Any, Any], StepInput, dt.datetime]:
    """A case of ``key`` in the source state of transition ``index``, the input it fires with
    and when: the ruleset's first day at 9:00."""
    workflow = SHIPPED[key]
    day = default_registry().get(workflow.ruleset or "").effective_from
    at = pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)
    step = PathStep.of(workflow.compiled[index])
    return FACTORY.ready_for(workflow, step, at=at, path=LOOPS.get(step.key, {}).get(key))


def _three_invitations(workflow: Workflow[Any, Any]) -> Path[Any, Any]:
    """The shortest path to the self-review request, then two more invitations: the cell
    proceeds without the self-review only after three (HD 01-HD/TW (2021) điểm 11.1)."""
    shortest = next(paths_to(workflow, "SELF_REVIEW_REQUESTED"))
    again = next(
        PathStep.of(c)
        for c in workflow.compiled
        if c.trigger.name == "INVITE_SELF_REVIEW" and c.source.name == "SELF_REVIEW_REQUESTED"
    )
    return shortest.then(again).then(again)


#: Moves whose source state must be reached through a loop, by move and workflow key.
LOOPS = {
    "PROCEED_WITHOUT_SELF_REVIEW->READY_FOR_CELL_MEETING": {
        key: _three_invitations(workflow)
        for key, workflow in SHIPPED.items()
        if workflow.name == "removal_from_rolls"
    }
}


def _refusals(
    key: str, index: int, *, actor: Body | None = None, empty: bool = False
) -> Iterator[tuple[Guard, list[GuardFailure]]]:
    """Fire transition ``index`` from its source state with the input it passes every guard
    with, its actor replaced by ``actor`` or its payload emptied; yield each guard of the
    transition with the refusals that name it (the case must be unchanged)."""
    compiled = SHIPPED[key].compiled[index]
    case, given, at = _ready(key, index)
    assert given.actor is not None  # ready_for names who fires the move
    before = case.version
    with pytest.raises(TransitionRefused) as info:
        case.fire(
            compiled.trigger,
            at=at,
            actor=actor if actor is not None else given.actor,
            payload={} if empty else given.payload,
        )
    assert case.version == before
    assert case.state is compiled.source
    for guard in compiled.guards:
        yield guard, [f for f in info.value.failures if f.guard == guard.name]


def _cites(failure: GuardFailure, guard: Guard) -> None:
    """The refusal cites the guard's legal basis, at the end of its reason."""
    assert guard.basis is not None, guard.name
    assert failure.basis == str(guard.basis)
    assert failure.reason.endswith(f"[{guard.basis}]"), failure.reason


@pytest.mark.parametrize(("key", "index"), _moves(lambda g: g.name == "party_body"))
def test_party_body_refuses_a_person(key: str, index: int) -> None:
    for guard, failures in _refusals(key, index, actor=PERSON):
        if guard.name == "party_body":
            (failure,) = set(failures)
            assert failure.reason.startswith(
                "person:p-1 is not a party body; only party bodies do this"
            )
            _cites(failure, guard)


def _ruleset(key: str) -> str:
    return SHIPPED[key].ruleset or ""


_NO_DISTRICT = _moves(lambda g: g.name == "no_district_level")


def _same_move_in(era: str, key: str, index: int) -> list[Any]:
    """Transition ``index`` of ``key`` in the workflow of the same name under ``era``."""
    compiled = SHIPPED[key].compiled[index]
    other = f"{SHIPPED[key].name}@{era}"
    return [
        pytest.param(other, c.index, id=f"{other}#{c.index}")
        for c in SHIPPED[other].compiled
        if (c.trigger.name, c.source.name, c.target.name)
        == (compiled.trigger.name, compiled.source.name, compiled.target.name)
    ]


#: The same moves in the workflow versions of the rulesets that still have a district level.
_WITH_DISTRICT = [
    found
    for p in _NO_DISTRICT
    if _ruleset(p.values[0]) == "2026"
    for era in ("2021", "2022", "2025")
    for found in _same_move_in(era, *p.values)
]


def _district_twin(given: StepInput) -> Body:
    """The usual actor of the move, placed at the district level."""
    assert isinstance(given.actor, Body)
    kind = given.actor.kind if given.actor.kind.fixed_level is None else BodyKind.STANDING_COMMITTEE
    return Body(kind, "huyen-9", Level.DISTRICT)


@pytest.mark.parametrize(("key", "index"), _NO_DISTRICT)
def test_no_district_level_refuses_a_district_body_from_1_july_2025(key: str, index: int) -> None:
    _, given, _ = _ready(key, index)
    actor = _district_twin(given)
    ruleset = _ruleset(key)
    assert not default_registry().get(ruleset).has_district_level
    for guard, failures in _refusals(key, index, actor=actor):
        if guard.name == "no_district_level":
            (failure,) = set(failures)
            assert failure.reason == (
                f"{actor} is a district-level body; the district level no longer exists from "
                f"1 July 2025 (ruleset {ruleset})"
            )
            assert failure.basis == str(NO_DISTRICT_LEVEL) == "QĐ 294-QĐ/TW (verified)"


def test_every_ruleset_from_1_july_2025_refuses_district_bodies() -> None:
    assert {_ruleset(p.values[0]) for p in _NO_DISTRICT} == {"2025-07", "2026"}
    # every move of 2026 that carries it, in the 3 rulesets with a district level
    assert len(_WITH_DISTRICT) == len(_NO_DISTRICT) // 2 * 3 == 630
    # and no workflow version of a ruleset with a district level carries it, the district
    # level's own workflows (thematic_supervision_district, ...) included
    assert not [
        key
        for key, workflow in SHIPPED.items()
        if default_registry().get(_ruleset(key)).has_district_level
        and any(g.name == "no_district_level" for c in workflow.compiled for g in c.guards)
    ]


@pytest.mark.parametrize(("key", "index"), _WITH_DISTRICT)
def test_no_district_level_is_no_guard_while_the_level_exists(key: str, index: int) -> None:
    """Under ``2021``, ``2022`` and ``2025`` the district level exists: the guard could never
    refuse, so the workflows do not carry it, and a district body is not refused for its level."""
    compiled = SHIPPED[key].compiled[index]
    assert default_registry().get(_ruleset(key)).has_district_level
    assert "no_district_level" not in {g.name for g in compiled.guards}
    case, given, at = _ready(key, index)
    actor = _district_twin(given)
    failures = case.check(compiled.trigger, at=at, actor=actor, payload=given.payload)
    assert all("district level no longer exists" not in f.reason for f in failures)


@pytest.mark.parametrize(("key", "index"), _moves(_requires))
def test_a_move_without_its_payload_is_refused_naming_the_keys(key: str, index: int) -> None:
    for guard, failures in _refusals(key, index, empty=True):
        if _requires(guard):
            keys = (guard.description or "").removeprefix("the payload carries ").split(", ")
            (failure,) = set(failures)
            named = re.findall(r"'(\w+)'", failure.reason.split(" needs payload ", 1)[1])
            assert named == keys, failure.reason
            if guard.basis is not None:
                _cites(failure, guard)


@pytest.mark.parametrize(("key", "index"), _moves(lambda g: g.name.startswith("higher_body")))
def test_a_review_by_a_body_not_above_the_decider_is_refused(key: str, index: int) -> None:
    for guard, failures in _refusals(key, index, actor=LOWEST):
        if guard.name.startswith("higher_body"):
            (failure,) = set(failures)
            assert (
                "party_cell:cell-9 does not stand above" in failure.reason
                or "to review" in failure.reason
            ), failure.reason
            _cites(failure, guard)


@pytest.mark.parametrize(("key", "index"), _moves(lambda g: g.name in ACTOR_GUARDS))
def test_a_state_agency_is_refused_by_every_guard_on_the_acting_body(key: str, index: int) -> None:
    for guard, failures in _refusals(key, index, actor=STATE_AGENCY):
        if guard.name in ACTOR_GUARDS:
            assert failures, guard.name
            for failure in set(failures):
                # the authority matrix cites the cell it read, or its deny-by-default basis
                assert CITATION_AT_THE_END.search(failure.reason), failure.reason
                assert failure.basis == str(guard.basis)
