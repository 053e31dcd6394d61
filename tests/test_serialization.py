"""Cases round-trip through JSON; malformed input and unknown versions give clear errors."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from discipline_flow import Level, Organisation
from discipline_flow.errors import (
    InputError,
    MalformedDataError,
    TamperedHistoryError,
    TransitionRefused,
    UnknownSchemaVersionError,
)
from discipline_flow.serialization import (
    SCHEMA_VERSION,
    WorkflowRegistry,
    case_from_dict,
    case_to_dict,
    deadline_from_dict,
    deadline_to_dict,
    subject_from_dict,
    subject_to_dict,
)
from discipline_flow.time import Deadline, DeadlineRule, Period, default_calendar
from helpers import CELL, COMMISSION, MEMBER, Review, ReviewTrigger, at, review_workflow

WF = review_workflow()
REGISTRY = WorkflowRegistry([WF])


def sample() -> Any:
    case = WF.open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id="C-1")
    case.fire(ReviewTrigger.SUBMIT, at=at(2025, 3, 4), actor=CELL, payload={"note": "đã nộp"})
    case.fire(
        ReviewTrigger.DECIDE,
        at=at(2025, 3, 5),
        actor=COMMISSION,
        payload={"in_favour": 5, "eligible": 9},
    )
    return case


def test_round_trip_through_json_text() -> None:
    case = sample()
    data = json.loads(json.dumps(case_to_dict(case), ensure_ascii=False))
    assert data["schema_version"] == SCHEMA_VERSION == 1
    again = case_from_dict(data, REGISTRY)
    assert again.id == case.id
    assert again.state is Review.APPROVED
    assert again.steps == case.steps
    assert again.subject == case.subject
    assert again.verify() == 3
    assert case_to_dict(again) == case_to_dict(case)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(ReviewTrigger)),
            st.dictionaries(
                st.text(max_size=4).filter(lambda s: "\x00" not in s),
                st.integers()
                | st.text(max_size=4).filter(lambda s: "\x00" not in s)
                | st.booleans(),
                max_size=3,
            ),
        ),
        max_size=6,
    )
)
def test_round_trip_property(moves: list[tuple[ReviewTrigger, dict[str, Any]]]) -> None:
    case = WF.open(
        Organisation("org-1", Level.PROVINCIAL, parent_id="p"),
        at=at(2025, 1, 1),
        actor=COMMISSION,
        case_id="P-1",
    )
    for day, (trigger, payload) in enumerate(moves, start=2):
        with contextlib.suppress(TransitionRefused):
            case.fire(trigger, at=at(2025, 1, day), actor=COMMISSION, payload=payload)
    again = case_from_dict(json.loads(json.dumps(case_to_dict(case))), WF)
    assert again.steps == case.steps
    assert again.state is case.state
    assert case_to_dict(again) == case_to_dict(case)


def test_unknown_schema_version_is_named() -> None:
    data = case_to_dict(sample())
    data["schema_version"] = 99
    with pytest.raises(
        UnknownSchemaVersionError, match="schema version 99 is not supported; supported: 1"
    ):
        case_from_dict(data, REGISTRY)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("steps"), "missing field 'steps'"),
        (lambda d: d["steps"][1].update(trigger="APPROVE"), "'APPROVE' is not one of"),
        (lambda d: d["steps"][1].update(at="yesterday"), "is not an ISO datetime"),
        (lambda d: d["steps"][1].update(at="2025-03-04T09:00:00"), "has no timezone"),
        (lambda d: d.update(state="REJECTED"), "differs from the last step's target"),
        (lambda d: d["subject"].update(kind="robot"), "expected 'member' or 'organisation'"),
        (lambda d: d["steps"][0]["actor"].update(kind="alien"), "'alien' is not a valid BodyKind"),
        (lambda d: d["steps"][0]["actor"].update(kind=["x"]), r"\['x'\] is not a valid BodyKind"),
        (lambda d: d.update(steps=[]), "at least its opening step"),
    ],
)
def test_malformed_data_gives_a_clear_error(mutate: Any, message: str) -> None:
    data = copy.deepcopy(case_to_dict(sample()))
    mutate(data)
    with pytest.raises(MalformedDataError, match=message):
        case_from_dict(data, REGISTRY)


def test_not_a_mapping() -> None:
    with pytest.raises(MalformedDataError, match="expected a mapping, got list"):
        case_from_dict([], REGISTRY)  # type: ignore[arg-type]


def test_edited_payload_is_detected_on_load() -> None:
    data = case_to_dict(sample())
    data["steps"][2]["payload"]["in_favour"] = 9
    with pytest.raises(TamperedHistoryError, match="step 2"):
        case_from_dict(data, REGISTRY)


def test_a_subject_other_than_the_opening_hashed_is_detected_on_load() -> None:
    data = case_to_dict(sample())
    data["subject"]["id"] = "m-9"  # the opening step (canonical form 2) hashed the subject
    with pytest.raises(TamperedHistoryError, match=r"subject\.id is 'm-9' but its opening"):
        case_from_dict(data, REGISTRY)
    assert case_from_dict(data, REGISTRY, verify=False).subject.id == "m-9"


def test_unknown_workflow_lists_registered_ones() -> None:
    data = case_to_dict(sample())
    data["workflow_version"] = "7"
    with pytest.raises(InputError, match="registered: review@1"):
        case_from_dict(data, REGISTRY)


def test_subject_round_trip() -> None:
    org = Organisation("org-2", Level.GRASSROOTS, name="Chi bộ 3")
    assert subject_from_dict(subject_to_dict(org)) == org
    assert subject_from_dict(subject_to_dict(MEMBER)) == MEMBER


def test_a_deadline_without_its_trace_leaves_out_the_fields_that_hold_nothing() -> None:
    """What stores keep of a deadline; a dict with every field (earlier releases) reads the
    same."""
    rule = DeadlineRule(
        "reply", Period.parse("10 working days"), starts_on_trigger=ReviewTrigger.SUBMIT
    )
    started = Deadline.start(rule, started_at=at(2025, 3, 3), calendar=default_calendar())
    met = started.meet(at(2025, 3, 5))
    nothing = {"trace", "pauses", "extensions", "cap_on", "cancelled_at", "cap_at"}
    for deadline in (started, met):
        data = deadline_to_dict(deadline, trace=False)
        assert not nothing & data.keys()
        bare = attrs.evolve(deadline, trace=())
        assert deadline_from_dict(json.loads(json.dumps(data))) == bare
        full = deadline_to_dict(deadline)
        del full["trace"]
        assert nothing - {"trace"} < full.keys()
        assert deadline_from_dict(full) == bare
    assert deadline_to_dict(met, trace=False)["met_at"] == "2025-03-05T09:00:00+07:00"
