"""Cases: fire, refuse with every reason, allowed triggers, time order, hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import types
from typing import Any

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import example, given, settings

from discipline_flow import Action, ActionContext, Body, BodyKind, Level, Organisation, StepKind
from discipline_flow.actors import check_text
from discipline_flow.case import normalize_payload
from discipline_flow.errors import (
    ActionFailedError,
    GuardFailure,
    InputError,
    NaiveDatetimeError,
    TamperedHistoryError,
    TimeWentBackwardsError,
    TransitionRefused,
    UnknownTriggerError,
)
from helpers import (
    CELL,
    COMMISSION,
    MEMBER,
    Review,
    ReviewTrigger,
    at,
    review_workflow,
)


def submitted() -> Any:
    case = review_workflow().open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id="C-1")
    case.fire(ReviewTrigger.SUBMIT, at=at(2025, 3, 4), actor=CELL)
    return case


def test_open_records_the_opening_step() -> None:
    case = review_workflow().open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id="C-1")
    assert case.state is Review.DRAFT
    assert case.version == 1
    (step,) = case.steps
    assert step.kind is StepKind.OPEN
    assert (step.trigger, step.source, step.target) == (None, None, Review.DRAFT)
    assert step.actor == CELL
    assert case.opened_at == at(2025, 3, 3)


def test_fire_moves_and_records_the_step() -> None:
    case = submitted()
    step = case.fire(
        ReviewTrigger.DECIDE,
        at=at(2025, 3, 5),
        actor=COMMISSION,
        payload={"in_favour": 5, "eligible": 9},
    )
    assert case.state is Review.APPROVED
    assert (step.trigger, step.source, step.target) == (
        ReviewTrigger.DECIDE,
        Review.SUBMITTED,
        Review.APPROVED,
    )
    assert step.basis == "QĐ 296-QĐ/TW Điều 10 (secondary)"
    assert step.payload == {"in_favour": 5, "eligible": 9}
    assert step.index == 2
    assert case.version == 3


def test_second_candidate_is_taken_when_the_first_is_refused() -> None:
    case = submitted()
    case.fire(
        ReviewTrigger.DECIDE,
        at=at(2025, 3, 5),
        actor=COMMISSION,
        payload={"in_favour": 4, "eligible": 8},  # 4 of 8 is not more than half
    )
    assert case.state is Review.ESCALATED


def test_refusal_lists_every_failed_guard_and_leaves_the_case_unchanged() -> None:
    case = submitted()
    before = (case.state, list(case.steps))
    with pytest.raises(TransitionRefused) as info:
        case.fire(ReviewTrigger.DECIDE, at=at(2025, 3, 5), actor=CELL, payload={})
    err = info.value
    names = [f.guard for f in err.failures]
    # Both candidates are refused; every failed guard of each is reported (no_majority passes
    # on an empty payload, so it is not among them).
    assert names == ["only_commission", "majority", "only_commission"]
    assert err.failures[0].basis == "QĐ 296-QĐ/TW Điều 10 (secondary)"
    assert "party_cell may not decide" in err.failures[0].reason
    assert err.allowed == ("REJECT", "WITHDRAW")  # what the cell may do
    assert (case.state, case.steps) == before
    assert str(err).startswith("case C-1 cannot DECIDE while SUBMITTED: only_commission:")


def test_trigger_not_available_in_state_names_what_is() -> None:
    case = review_workflow().open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id="C-9")
    with pytest.raises(TransitionRefused) as info:
        case.fire(ReviewTrigger.DECIDE, at=at(2025, 3, 4), actor=COMMISSION)
    assert info.value.failures == ()
    assert str(info.value) == "case C-9 cannot DECIDE while DRAFT; allowed: SUBMIT, WITHDRAW"


def test_terminal_state_allows_nothing() -> None:
    case = submitted()
    case.fire(ReviewTrigger.REJECT, at=at(2025, 3, 5), actor=CELL)
    assert case.is_closed
    assert case.allowed() == ()
    with pytest.raises(TransitionRefused, match="allowed: \\(none\\)"):
        case.fire(ReviewTrigger.SUBMIT, at=at(2025, 3, 6), actor=CELL)


def test_allowed_depends_on_actor_and_skips_payload_guards() -> None:
    case = submitted()
    assert case.allowed(actor=CELL) == (ReviewTrigger.REJECT, ReviewTrigger.WITHDRAW)
    assert case.allowed(actor=COMMISSION) == (
        ReviewTrigger.DECIDE,
        ReviewTrigger.REJECT,
        ReviewTrigger.WITHDRAW,
    )


def test_check_returns_reasons_without_raising() -> None:
    case = submitted()
    assert (
        case.check(ReviewTrigger.DECIDE, actor=COMMISSION, payload={"in_favour": 6, "eligible": 9})
        == ()
    )
    reasons = case.check(ReviewTrigger.DECIDE, actor=CELL, payload={"in_favour": 6, "eligible": 9})
    assert {f.guard for f in reasons} == {"only_commission", "no_majority"}
    (not_here,) = case.check(ReviewTrigger.SUBMIT)
    assert not_here.guard == "state"
    assert "available: DECIDE, REJECT, WITHDRAW" in not_here.reason


def test_time_never_goes_backwards() -> None:
    case = submitted()
    with pytest.raises(TimeWentBackwardsError) as info:
        case.fire(ReviewTrigger.REJECT, at=at(2025, 3, 3), actor=CELL)
    assert isinstance(info.value, ValueError)
    assert case.state is Review.SUBMITTED


def test_same_instant_is_allowed_and_offsets_compare_as_instants() -> None:
    case = submitted()
    utc = dt.datetime(2025, 3, 4, 2, 0, tzinfo=dt.timezone.utc)  # 09:00 in Hanoi
    case.fire(ReviewTrigger.REJECT, at=utc, actor=CELL)
    assert case.state is Review.REJECTED


def test_naive_datetimes_are_refused() -> None:
    case = submitted()
    with pytest.raises(NaiveDatetimeError, match="at must be an aware datetime"):
        case.fire(ReviewTrigger.REJECT, at=dt.datetime(2025, 3, 5), actor=CELL)
    with pytest.raises(NaiveDatetimeError):
        review_workflow().open(MEMBER, at=dt.datetime(2025, 3, 5), actor=CELL)


def test_unknown_trigger_name_is_an_input_error() -> None:
    case = submitted()
    with pytest.raises(UnknownTriggerError) as info:
        case.fire("APPROVE", at=at(2025, 3, 5), actor=CELL)
    assert isinstance(info.value, ValueError)
    case.fire("REJECT", at=at(2025, 3, 5), actor=CELL)
    assert case.state is Review.REJECTED


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"x": float("nan")}, "numbers must be finite"),
        ({"x": "a\x00b"}, "NUL"),
        ({"x": "\ud800"}, "lone surrogates"),
        ({1: "x"}, "keys must be text"),
        ({"x": object()}, "object cannot be stored"),
        ({"x": dt.datetime(2025, 1, 1)}, "aware datetime"),
    ],
)
def test_payload_that_cannot_be_stored_is_refused(payload: dict[Any, Any], message: str) -> None:
    case = submitted()
    with pytest.raises(ValueError, match=message):
        case.fire(ReviewTrigger.REJECT, at=at(2025, 3, 5), actor=CELL, payload=payload)
    assert case.version == 2


def test_payload_dates_become_iso_text() -> None:
    case = submitted()
    step = case.fire(
        ReviewTrigger.REJECT,
        at=at(2025, 3, 5),
        actor="person:clerk-7",
        payload={"postmark_on": dt.date(2025, 3, 4), "kind": Review.DRAFT, "ids": ("b", "a")},
    )
    assert step.payload == {"postmark_on": "2025-03-04", "kind": "DRAFT", "ids": ["b", "a"]}
    assert step.actor == Body(BodyKind.PERSON, "clerk-7")


def test_failed_effect_leaves_the_case_unchanged() -> None:
    def explode(ctx: ActionContext[Any, Any]) -> None:
        raise RuntimeError("mail server down")

    wf = review_workflow(actions=(Action("notify", explode),))
    case = wf.open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id="C-2")
    with pytest.raises(ActionFailedError) as info:
        case.fire(ReviewTrigger.SUBMIT, at=at(2025, 3, 4), actor=CELL)
    assert "action 'notify' of SUBMIT failed (RuntimeError: mail server down)" in str(info.value)
    assert case.state is Review.DRAFT
    assert case.version == 1


def test_effects_run_after_guards_pass() -> None:
    seen: list[tuple[str, str]] = []

    def record(ctx: ActionContext[Any, Any]) -> None:
        seen.append((ctx.source.name, ctx.target.name))

    wf = review_workflow(actions=(Action("record", record),))
    case = wf.open(MEMBER, at=at(2025, 3, 3), actor=CELL)
    case.fire(ReviewTrigger.SUBMIT, at=at(2025, 3, 4), actor=CELL)
    assert seen == [("DRAFT", "SUBMITTED")]


def test_hash_chain_is_sha256_over_canonical_json() -> None:
    case = submitted()
    first, second = case.steps
    expected_genesis = hashlib.sha256(b"discipline_flow:genesis:C-1").hexdigest()
    assert first.previous_hash == expected_genesis
    assert second.previous_hash == first.hash
    canonical = json.loads(second.canonical())
    assert canonical[:2] == [2, first.hash]  # canonical form 2
    assert canonical[3:7] == ["fire", "SUBMIT", "DRAFT", "SUBMITTED"]
    assert second.hash == hashlib.sha256(second.canonical()).hexdigest()
    assert case.verify() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"payload": {"in_favour": 9}},
        {"at": at(2025, 3, 4, 10)},
        {"actor": COMMISSION},
        {"target": Review.APPROVED},
    ],
)
def test_an_edited_step_is_detected(change: dict[str, Any]) -> None:
    case = submitted()
    case.steps[1] = attrs.evolve(case.steps[1], **change)
    with pytest.raises(TamperedHistoryError, match=r"step 1 .* was edited"):
        case.verify()


def test_a_removed_step_is_detected() -> None:
    case = submitted()
    case.fire(ReviewTrigger.REJECT, at=at(2025, 3, 5), actor=CELL)
    del case.steps[1]
    with pytest.raises(TamperedHistoryError, match="step 1 is missing or out of order"):
        case.verify()


def test_as_of_replays_the_case_as_it_stood() -> None:
    case = submitted()
    case.fire(ReviewTrigger.REJECT, at=at(2025, 3, 10), actor=CELL)
    earlier = case.as_of(at(2025, 3, 5))
    assert earlier.state is Review.SUBMITTED
    assert earlier.version == 2
    assert earlier.steps == case.steps[:2]
    assert case.state is Review.REJECTED
    with pytest.raises(InputError, match="was opened at"):
        case.as_of(at(2025, 3, 1))


def test_child_case_records_its_origin() -> None:
    parent = submitted()
    child = review_workflow().open(
        Organisation("org-1", Level.GRASSROOTS),
        at=at(2025, 3, 6),
        actor=COMMISSION,
        parent=parent,
    )
    assert child.origin is not None
    assert (child.origin.case_id, child.origin.workflow, child.origin.step_index) == (
        "C-1",
        "review@1",
        1,
    )
    assert child.steps[0].payload["origin"] == {"case_id": "C-1", "workflow": "review@1"}


def test_cases_compare_by_identity() -> None:
    a = review_workflow().open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id="same")
    b = review_workflow().open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id="same")
    assert a != b
    assert a == a  # noqa: PLR0124


@pytest.mark.parametrize("bad", ["", "x" * 201, "a\x00"])
def test_bad_case_ids_are_refused(bad: str) -> None:
    with pytest.raises(InputError, match="case_id"):
        review_workflow().open(MEMBER, at=at(2025, 3, 3), actor=CELL, case_id=bad)


def test_subject_must_be_a_member_or_organisation() -> None:
    with pytest.raises(InputError, match="expected a Member or an Organisation"):
        review_workflow().open("m-1", at=at(2025, 3, 3), actor=CELL)  # type: ignore[arg-type]


def test_a_reason_that_cites_its_basis_is_not_cited_twice() -> None:

    plain = GuardFailure("vote", "4 of 9 is not more than half", "QĐ 22-QĐ/TW Điều 15 (verified)")
    assert str(plain) == "vote: 4 of 9 is not more than half [QĐ 22-QĐ/TW Điều 15 (verified)]"
    cited = GuardFailure(
        "vote",
        "4 of 9 is too few [QĐ 22-QĐ/TW Điều 15 (verified)]",
        "QĐ 22-QĐ/TW Điều 15 (verified)",
    )
    assert str(cited) == "vote: 4 of 9 is too few [QĐ 22-QĐ/TW Điều 15 (verified)]"


_ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=4)  # NUL, surrogates too
_SCALARS = st.none() | st.booleans() | st.integers() | _ANY_TEXT


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        _ANY_TEXT | st.integers(),
        _SCALARS
        | st.floats()
        | st.lists(_SCALARS | st.dates(), max_size=2)
        | st.dates()
        | st.dictionaries(_ANY_TEXT, _SCALARS | st.lists(_SCALARS, max_size=2), max_size=2),
        max_size=4,
    )
)
@example({"\x00": "\x00"})  # a bad key and a bad value: the key is named first
@example({"a": {"b": [1, "\ud800"]}})
def test_a_payload_normalizes_like_the_documented_rules(payload: dict[Any, Any]) -> None:
    """``normalize_payload`` follows its documented rules (a plain reference walk written here),
    errors included, for a dict and for any other mapping alike."""

    def outcome(run: Any) -> object:
        try:
            return run()
        except InputError as exc:
            return ("error", str(exc))

    got = outcome(lambda: normalize_payload(payload))
    assert got == outcome(lambda: _reference_normalize(payload, "payload"))
    assert got == outcome(lambda: normalize_payload(types.MappingProxyType(payload)))
    if not isinstance(got, tuple):
        assert got is not payload  # a copy: the caller may change its dict afterwards


def _reference_text(value: str, where: str) -> str:
    if "\x00" in value:
        raise InputError(where, "text may not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(where, "text must be valid Unicode (no lone surrogates)") from None
    return value


def _reference_normalize(value: Any, where: str) -> Any:
    """The rules of ``normalize_payload`` spelled out plainly (the library's walk is faster)."""
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, str):
        return _reference_text(value, where)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise InputError(where, "numbers must be finite")
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(where, f"keys must be text, got {type(key).__name__}")
            _reference_text(key, where)
            out[key] = _reference_normalize(item, f"{where}.{key}")
        return out
    if isinstance(value, list):
        return [_reference_normalize(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise AssertionError(f"the strategy made {value!r}")


def test_text_checks_refuse_nul_and_lone_surrogates() -> None:

    for _ in range(2):  # a refusal is never remembered as good
        with pytest.raises(InputError, match="NUL"):
            check_text("bad\x00", "payload.x")
        with pytest.raises(InputError, match="surrogates"):
            check_text("bad\ud800", "payload.x")
    assert check_text("warning", "payload.measure") == "warning"
    assert check_text("Cảnh cáo", "payload.measure") == "Cảnh cáo"
