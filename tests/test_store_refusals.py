"""A save refuses what no store could read back (issue 14, item 3), the same on every store.

Before: a step edited in memory, a hand-set ``case.state`` or a correctly hashed illegal move
were saved, and the case could never be loaded again (the append-only triggers block a repair);
the memory store loaded two of the three, so the stores disagreed. Now each is refused with
:class:`InconsistentCaseError` before anything is written, and the memory store keeps copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from conftest_store import (
    CLERK,
    Matter,
    MatterTrigger,
    Stores,
    at,
    kind_params,
    matter_workflow,
    open_matter,
    stores_fixture,
)
from discipline_flow import Case, Member, Step, Transition, Workflow
from discipline_flow.case import StepKind
from discipline_flow.errors import InconsistentCaseError, InputError
from discipline_flow.store import CaseStore

NOTHING = "a store saves only what it can read back: nothing was written"


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _noted(case_id: str = "C-1") -> Case[Matter, MatterTrigger]:
    case: Case[Matter, MatterTrigger] = open_matter(case_id)
    case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload={"k": 1})
    return case


def _refused(store: CaseStore, case: Case[Matter, MatterTrigger], expected: int) -> str:
    with pytest.raises(InconsistentCaseError) as info:
        store.save(case, expected_version=expected)
    assert isinstance(info.value, InputError)  # a bad argument, as before: a ValueError
    return str(info.value)


def test_a_step_edited_after_it_was_recorded_is_refused(stores: Stores) -> None:
    store = stores.open()
    case = _noted()
    case.steps[1].payload["k"] = 2  # type: ignore[index]  # a payload is a plain dict
    assert _refused(store, case, 0) == (
        f"case C-1: step 1 (fire NOTE) was changed after it was recorded: its hash is not "
        f"that of its content; {NOTHING}"
    )
    assert not store.exists("C-1")
    case = _noted()
    case.steps[1] = attrs.evolve(case.steps[1], at=at(2025, 3, 5))  # the old hash kept
    assert _refused(store, case, 0).startswith("case C-1: step 1 (fire NOTE) was changed")
    assert store.query() == []


def test_a_new_step_on_a_stored_case_is_verified_too(stores: Stores) -> None:
    store = stores.open()
    store.save(_noted(), expected_version=0)
    case = store.load("C-1")
    case.fire(MatterTrigger.REVIEW, at=at(2025, 3, 5), actor=CLERK, payload={"by": "x"})
    case.steps[2].payload["by"] = "y"  # type: ignore[index]
    assert _refused(store, case, 2).startswith("case C-1: step 2 (fire REVIEW) was changed")
    assert store.version("C-1") == 2
    assert [s.target for s in store.load("C-1").steps] == [Matter.OPEN, Matter.OPEN]


def test_the_step_new_ones_build_on_must_say_what_its_hash_covers(stores: Stores) -> None:
    """The last stored step, edited in memory (its hash kept), would let a move be judged from
    a state the stored history never reached."""
    store = stores.open()
    store.save(_noted(), expected_version=0)
    case = store.load("C-1")
    case.steps[1] = attrs.evolve(case.steps[1], target=Matter.REVIEWED)
    case.state = Matter.REVIEWED
    case.fire(MatterTrigger.CLOSE, at=at(2025, 3, 5), actor=CLERK)
    assert _refused(store, case, 2).startswith("case C-1: step 1 (fire NOTE) was changed")
    assert store.version("C-1") == 2


def test_a_hand_set_state_is_refused(stores: Stores) -> None:
    store = stores.open()
    case = open_matter("C-1")
    case.state = Matter.CLOSED
    assert _refused(store, case, 0) == (
        f"case C-1: its state CLOSED is not where its history leads (OPEN); fire a trigger to "
        f"move a case, never set its state; {NOTHING}"
    )
    store.save(_noted(), expected_version=0)
    case = store.load("C-1")
    case.state = Matter.CLOSED  # saved "unchanged": the memory store used to keep the state
    assert _refused(store, case, 2).startswith("case C-1: its state CLOSED is not where")
    assert store.load("C-1").state is Matter.OPEN


def _recorded(case: Case[Matter, MatterTrigger], **fields: object) -> Step[Matter, MatterTrigger]:
    """A step correctly hashed and chained after the case's last, whatever it says."""
    values: dict[str, object] = {
        "kind": StepKind.FIRE,
        "trigger": MatterTrigger.REVIEW,
        "source": case.state,
        "target": Matter.REVIEWED,
        "at": at(2025, 3, 5),
        "actor": CLERK,
        "basis": None,
        "payload": {},
    }
    values.update(fields)
    return Step.record(case_id=case.id, previous=case.steps[-1], **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"target": Matter.CLOSED}, "matter@1 has no move REVIEW from OPEN to CLOSED"),
        ({"source": Matter.REVIEWED}, "matter@1 has no move REVIEW from OPEN to REVIEWED"),
        ({"kind": StepKind.OPEN, "trigger": None, "source": None}, "a second opening"),
        (
            {"kind": StepKind.RECALCULATE, "trigger": None, "target": Matter.CLOSED},
            "a recalculation stays in OPEN, it does not move the case",
        ),
    ],
)
def test_a_correctly_hashed_illegal_move_is_refused(
    stores: Stores, fields: dict[str, object], problem: str
) -> None:
    store = stores.open()
    case = open_matter("C-1")
    step = _recorded(case, **fields)
    case.steps.append(step)
    case.state = step.target
    assert _refused(store, case, 0) == f"case C-1: step 1: {problem}; {NOTHING}"
    assert not store.exists("C-1")


def test_moves_are_judged_by_the_registered_workflow(stores: Stores) -> None:
    """A workflow object of the same name and version with one more move: the store rebuilds
    cases with its registry's workflow, which lacks the move, so it cannot save the case."""
    store = stores.open()
    base = matter_workflow()
    wider = Workflow(
        name=base.name,
        version=base.version,
        states=Matter,
        triggers=MatterTrigger,
        initial=Matter.OPEN,
        terminal={Matter.CLOSED},
        transitions=[
            *base.transitions,
            Transition(MatterTrigger.REVIEW, Matter.REVIEWED, Matter.OPEN),
        ],
    )
    case = wider.open(Member("m-1"), at=at(2025, 3, 3), actor=CLERK, case_id="C-1")
    case.fire(MatterTrigger.REVIEW, at=at(2025, 3, 4), actor=CLERK)
    case.fire(MatterTrigger.REVIEW, at=at(2025, 3, 5), actor=CLERK)
    assert _refused(store, case, 0) == (
        f"case C-1: step 2: matter@1 has no move REVIEW from REVIEWED to OPEN; {NOTHING}"
    )


def test_save_many_writes_nothing_when_one_case_does_not_hold(stores: Stores) -> None:
    store = stores.open()
    good, bad = _noted("C-1"), _noted("C-2")
    bad.state = Matter.CLOSED
    with pytest.raises(InconsistentCaseError, match=r"^case C-2: its state CLOSED"):
        store.save_many([(good, 0), (bad, 0)])
    assert store.query() == []


def test_an_instant_out_of_range_is_refused_even_in_a_step_made_by_hand(stores: Stores) -> None:
    store = stores.open()
    case = open_matter("C-1")
    far = dt.datetime(2201, 1, 1, 9, tzinfo=dt.timezone.utc)
    step = _recorded(case, at=far)
    case.steps.append(step)
    case.state = step.target
    with pytest.raises(InputError, match=r"^case C-1 step 1 at: 2201-01-01T09:00:00\+00:00 is"):
        store.save(case, expected_version=0)


def test_a_payload_changed_after_saving_or_loading_changes_nothing_stored(
    stores: Stores,
) -> None:
    """Issue 14 item 6: the memory store shared payload dicts with its callers."""
    store = stores.open()
    case = _noted()
    case.fire(MatterTrigger.NOTE, at=at(2025, 3, 5), actor=CLERK, payload={"list": [1, {"a": 2}]})
    store.save(case, expected_version=0)
    case.steps[1].payload["k"] = 99  # type: ignore[index]
    case.steps[2].payload["list"][1]["a"] = 3
    loaded = store.load("C-1")
    assert [s.payload for s in loaded.steps] == [{}, {"k": 1}, {"list": [1, {"a": 2}]}]
    loaded.steps[1].payload["k"] = 7  # type: ignore[index]
    assert store.load("C-1").steps[1].payload == {"k": 1}
    assert store.history("C-1")[2].payload == {"list": [1, {"a": 2}]}
    assert store.verify_all().steps == 3
