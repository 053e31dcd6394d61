"""The canonical forms of a step, the hash chain's on-disk contract, pinned.

Every store any release wrote verifies against the form its steps were written in, so a form must
never change. The bytes and hashes below were written by hand from the documented forms
(``discipline_flow.canonical``); form 1's were checked against release 0.1.0; the reference implementation here builds the same list and encodes
it with ``json.dumps``; Hypothesis compares it with the steps the library records through its
public API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from discipline_flow import Body, BodyKind, Level, Member, Organisation, Step, StepKind
from discipline_flow.canonical import canonical_text, read_canonical
from discipline_flow.errors import InputError, MalformedDataError
from discipline_flow.history import opening_fields, verify_steps
from helpers import CELL, Review, ReviewTrigger, review_workflow

HANOI = dt.timezone(dt.timedelta(hours=7))


def reference_canonical(step: Step[Any, Any]) -> bytes:
    """The documented forms: the list of the step's fields, as compact sorted JSON in UTF-8."""
    fields = [
        step.previous_hash,
        step.index,
        step.kind.value,
        step.trigger.name if step.trigger is not None else None,
        step.source.name if step.source is not None else None,
        step.target.name,
        step.at.isoformat(),
        step.actor.kind.value,
        step.actor.id,
        step.actor.level.value if step.actor.level is not None else None,
    ]
    if step.form == 1:
        record = [*fields, step.basis, step.payload]
    else:
        record = [2, *fields, step.actor.name, step.basis, step.payload, step.opening]
    return json.dumps(
        record, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
    ).encode("utf-8")


GENESIS = "cff6022b92563caee75c9ecdc730f87738dcd8dbfefb9b47336b80d05754f41f"


def test_form_1_is_hashed_over_these_exact_bytes() -> None:
    """Bytes and hashes that release 0.1.0 recorded for these two steps (form 1)."""
    assert hashlib.sha256(b"discipline_flow:genesis:C-1").hexdigest() == GENESIS
    opening: Step[Review, ReviewTrigger] = Step.record(
        case_id="C-1",
        previous=None,
        kind=StepKind.OPEN,
        trigger=None,
        source=None,
        target=Review.DRAFT,
        at=dt.datetime(2025, 3, 3, 9, tzinfo=HANOI),
        actor=Body(BodyKind.PARTY_CELL, "cell-7", Level.GRASSROOTS, name="Chi bộ 7"),
        basis=None,
        payload={"note": "Đảng viên", "b": [2, 1], "a": None},
        opening=opening_fields("review@1", Member("m-1"), None),  # form 1 hashes no opening
        form=1,
    )
    assert (
        opening.canonical()
        == (
            f'["{GENESIS}",0,"open",null,null,"DRAFT","2025-03-03T09:00:00+07:00",'
            '"party_cell","cell-7","grassroots",null,{"a":null,"b":[2,1],"note":"Đảng viên"}]'
        ).encode()
    )
    assert opening.hash == "d12a5cd0182344e3a1255efc6d709374a3431c69685c53d11c684ce53bedd721"
    step = Step.record(
        case_id="C-1",
        previous=opening,
        kind=StepKind.FIRE,
        trigger=ReviewTrigger.SUBMIT,
        source=Review.DRAFT,
        target=Review.SUBMITTED,
        at=dt.datetime(2025, 3, 4, 10, 30, tzinfo=HANOI),
        actor=CELL,
        basis=None,
        payload={"reason": 'x"y\\z', "n": 1.5},
        form=1,
    )
    assert (
        step.canonical()
        == (
            f'["{opening.hash}",1,"fire","SUBMIT","DRAFT","SUBMITTED",'
            '"2025-03-04T10:30:00+07:00","party_cell","cell-1",null,null,'
            '{"n":1.5,"reason":"x\\"y\\\\z"}]'
        ).encode()
    )
    assert step.hash == "a70619c9172444084c89ff7d923c6e12326b218fb6e1416e575cefa23dbf1baa"
    assert (opening.form, step.form, opening.opening) == (1, 1, None)
    assert verify_steps("C-1", [opening, step]) == 2


def test_form_2_is_hashed_over_these_exact_bytes() -> None:
    """A new case's opening and a fire (form 2): the actor's name, and on the opening the
    workflow, the subject and the origin, are hashed."""
    wf = review_workflow()
    parent = wf.open(
        Member("m-0"), at=dt.datetime(2025, 3, 1, 9, tzinfo=HANOI), actor=CELL, case_id="P-1"
    )
    case = wf.open(
        Member("m-1", name="Nguyễn Văn A", cell_id="cell-7", committee_level=Level.GRASSROOTS),
        at=dt.datetime(2025, 3, 3, 9, tzinfo=HANOI),
        actor=Body(BodyKind.PARTY_CELL, "cell-7", Level.GRASSROOTS, name="Chi bộ 7"),
        case_id="C-1",
        payload={"a": None},
        parent=parent,
    )
    opening = case.steps[0]
    assert (
        opening.canonical()
        == (
            f'[2,"{GENESIS}",0,"open",null,null,"DRAFT","2025-03-03T09:00:00+07:00",'
            '"party_cell","cell-7","grassroots","Chi bộ 7",null,'
            '{"a":null,"origin":{"case_id":"P-1","workflow":"review@1"}},'
            '{"origin":{"case_id":"P-1","step_index":0,"workflow":"review@1"},'
            '"subject":{"cell_id":"cell-7","committee_level":"grassroots","holds_post":false,'
            '"id":"m-1","is_probationary":false,"kind":"member","managed_by":null,'
            '"name":"Nguyễn Văn A"},"workflow":"review@1"}]'
        ).encode()
    )
    assert opening.hash == "e257a8e7cadfa508a2c65ffdd71ea79c7af5f8ec492ee5b4386e855cd0fc7bb5"
    step = case.fire(
        ReviewTrigger.SUBMIT, at=dt.datetime(2025, 3, 4, 10, 30, tzinfo=HANOI), actor=CELL
    )
    assert (
        step.canonical()
        == (
            f'[2,"{opening.hash}",1,"fire","SUBMIT","DRAFT","SUBMITTED",'
            '"2025-03-04T10:30:00+07:00","party_cell","cell-1",null,null,null,{},null]'
        ).encode()
    )
    assert step.hash == "3964d48f26a958f7bb8ed98850a9421f85050cc4eddfe66f9caaa370e1acfd17"
    organisation = wf.open(
        Organisation("o-1", Level.PROVINCIAL, parent_id="o-0"),
        at=dt.datetime(2025, 3, 3, 9, tzinfo=HANOI),
        actor=CELL,
        case_id="C-2",
    )
    assert json.loads(organisation.steps[0].canonical())[-1] == {
        "workflow": "review@1",
        "subject": {
            "kind": "organisation",
            "id": "o-1",
            "level": "provincial",
            "name": None,
            "parent_id": "o-0",
        },
        "origin": None,
    }


_TEXT = st.text(alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=8)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    actor_id=_TEXT.filter(bool),
    level=st.none() | st.sampled_from(list(Level)),
    payload=st.dictionaries(_TEXT, _JSON, max_size=4),
    offset=st.integers(min_value=-12 * 60, max_value=14 * 60),
    microsecond=st.integers(min_value=0, max_value=999_999),
)
def test_every_recorded_step_is_hashed_over_the_documented_form(
    actor_id: str, level: Level | None, payload: dict[str, Any], offset: int, microsecond: int
) -> None:
    zone = dt.timezone(dt.timedelta(minutes=offset))
    when = dt.datetime(2025, 3, 3, 9, 30, 15, microsecond, tzinfo=zone)
    actor = Body(BodyKind.INSPECTION_COMMISSION, actor_id, level)
    case = review_workflow().open(Member("m-1"), at=when, actor=actor, payload=payload)
    case.fire(ReviewTrigger.SUBMIT, at=when, actor=actor, payload=payload)
    for step in case.steps:
        assert step.canonical() == reference_canonical(step)
        assert step.hash == hashlib.sha256(reference_canonical(step)).hexdigest()
        # what a store keeps reads back as the step's fields, and encodes to the same text
        fields = read_canonical(step.canonical().decode())
        assert fields == step.canonical_fields()
        assert canonical_text(fields).encode() == step.canonical()
    assert case.verify() == 2


@pytest.mark.parametrize(
    "text",
    [
        None,
        b"[]",
        "",
        "[1,",
        '{"a": 1}',
        "[1, 2, 3]",
        "[" + "0," * 12 + "0]",
        "[" + "0," * 11 + "0] x",
    ],
    ids=["none", "bytes", "empty", "cut", "object", "short", "long", "trailing"],
)
def test_text_that_is_not_a_canonical_form_is_refused(text: object) -> None:
    with pytest.raises(MalformedDataError, match=r"^malformed data at canonical: "):
        read_canonical(text)


def test_a_payload_json_cannot_hold_exactly_is_refused() -> None:
    wf = review_workflow()
    at = dt.datetime(2025, 3, 3, 9, tzinfo=HANOI)
    with pytest.raises(InputError, match="payload"):
        wf.open(Member("m-1"), at=at, actor=CELL, payload={"x": float("nan")})
    assert Review.DRAFT is wf.initial
