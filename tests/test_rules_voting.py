"""Voting thresholds at their exact boundaries (QĐ 22-QĐ/TW Điều 15 khoản 3.1, reference §2(e))."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discipline_flow import Body, BodyKind, Level
from discipline_flow.errors import GuardFailure, InputError
from discipline_flow.rules import (
    Measure,
    VoteFailure,
    VoteStage,
    VoteTally,
    check_vote,
    default_registry,
    select_ruleset,
)

RULES = select_ruleset(dt.date(2026, 5, 4))
CELL = Body(BodyKind.PARTY_CELL, "c-1", Level.GRASSROOTS)
STANDING = Body(BodyKind.STANDING_COMMITTEE, "ps-1", Level.PROVINCIAL)
CENTRAL_COMMITTEE = Body(BodyKind.CENTRAL_COMMITTEE, "cc")


def _failures(
    measure: Measure, tally: VoteTally, body: Body = CELL, subject: str = "m-1"
) -> list[str]:
    return [
        f.rule for f in check_vote(RULES, measure, tally, subject_id=subject, deciding_body=body)
    ]


@pytest.mark.parametrize(
    ("eligible", "in_favour", "carries"),
    [
        # more than half of the full members (QĐ 22 Điều 15 k.3.1)
        (10, 5, False),  # exactly half is not more than half
        (10, 6, True),
        (9, 4, False),
        (9, 5, True),  # 5/9 > 1/2
        (7, 4, True),
        (7, 3, False),
        (1, 1, True),
        (2, 1, False),
    ],
)
@pytest.mark.parametrize("measure", [Measure.REPRIMAND, Measure.WARNING, Measure.REMOVAL_FROM_POST])
def test_more_than_half_decides(
    eligible: int, in_favour: int, carries: bool, measure: Measure
) -> None:
    tally = VoteTally(eligible, in_favour, eligible - in_favour, 0)
    assert (_failures(measure, tally) == []) is carries


@pytest.mark.parametrize(
    ("eligible", "in_favour", "carries"),
    [
        # at least two thirds of the cell's full members propose expulsion
        (9, 6, True),  # 6/9 is exactly two thirds
        (9, 5, False),
        (10, 7, True),  # 7/10 ≥ 2/3
        (10, 6, False),  # 6/10 < 2/3
        (3, 2, True),
        (12, 8, True),
        (12, 7, False),
    ],
)
def test_two_thirds_propose_expulsion(eligible: int, in_favour: int, carries: bool) -> None:
    tally = VoteTally(eligible, in_favour, 0, eligible - in_favour, stage=VoteStage.PROPOSAL)
    assert (_failures(Measure.EXPULSION, tally) == []) is carries


def test_expulsion_decision_needs_more_than_half_of_the_deciding_body() -> None:
    assert _failures(Measure.EXPULSION, VoteTally(12, 7, 5, 0), STANDING) == []
    assert _failures(Measure.EXPULSION, VoteTally(12, 6, 6, 0), STANDING) == [
        "discipline_vote_majority"
    ]


def test_failure_reason_gives_the_votes_needed_and_the_citation() -> None:
    (failure,) = check_vote(
        select_ruleset(dt.date(2022, 7, 6)),
        Measure.EXPULSION,
        VoteTally(10, 6, 4, 0, stage=VoteStage.PROPOSAL),
        subject_id="m-1",
        deciding_body=CELL,
    )
    assert failure.reason == (
        "6 of 10 voted in favour; proposing expulsion needs at least 2/3 of the full members "
        "(7 of 10)"
    )
    assert str(failure.citation) == "QĐ 22-QĐ/TW Điều 15 khoản 3.1 (verified)"
    assert str(failure) == f"{failure.reason} [{failure.citation}]"
    guard = failure.guard_failure()
    assert isinstance(guard, GuardFailure)
    assert guard.guard == "vote"


def test_majority_failure_reason() -> None:
    (failure,) = check_vote(
        RULES, Measure.WARNING, VoteTally(10, 5, 5, 0), subject_id="m-1", deciding_body=CELL
    )
    assert failure.reason == (
        "5 of 10 voted in favour; decision of warning needs more than 1/2 (6 of 10)"
    )


def test_dissolution_uses_its_own_rule() -> None:
    failures = check_vote(
        RULES,
        Measure.DISSOLUTION,
        VoteTally(9, 4, 5, 0),
        subject_id="o-1",
        deciding_body=STANDING,
    )
    assert [f.rule for f in failures] == ["dissolution_vote_majority"]


def test_subject_cannot_vote_on_their_own_case() -> None:
    tally = VoteTally(3, 3, 0, 0, voter_ids={"m-1", "m-2", "m-3"})
    assert _failures(Measure.WARNING, tally, subject="m-1") == ["subject_excluded_from_vote"]
    assert _failures(Measure.WARNING, tally, subject="m-9") == []


def test_central_committee_votes_by_secret_ballot() -> None:
    # QĐ 22 Điều 22 (P-lawnet-102305): the Central Committee votes by secret ballot.
    open_vote = VoteTally(180, 150, 30, 0)
    assert _failures(Measure.EXPULSION, open_vote, CENTRAL_COMMITTEE) == [
        "central_committee_secret_ballot"
    ]
    secret = VoteTally(180, 150, 30, 0, is_secret_ballot=True)
    assert _failures(Measure.EXPULSION, secret, CENTRAL_COMMITTEE) == []
    # other bodies may vote openly unless the ruleset requires secret ballots everywhere
    assert _failures(Measure.EXPULSION, open_vote, STANDING) == []
    strict = RULES.override("secret_ballot_required", True, source="x", reason="local rule")
    failures = check_vote(
        strict, Measure.EXPULSION, open_vote, subject_id="m-1", deciding_body=STANDING
    )
    assert [f.rule for f in failures] == ["secret_ballot_required"]


def test_every_failure_is_reported() -> None:
    tally = VoteTally(4, 2, 1, 1, voter_ids={"m-1", "a", "b", "c"})
    failures = check_vote(
        RULES, Measure.WARNING, tally, subject_id="m-1", deciding_body=CENTRAL_COMMITTEE
    )
    assert [f.rule for f in failures] == [
        "subject_excluded_from_vote",
        "discipline_vote_majority",
        "central_committee_secret_ballot",
    ]
    assert all(isinstance(f, VoteFailure) for f in failures)


def test_thresholds_follow_overrides() -> None:
    stricter = RULES.override(
        "discipline_vote_majority", "2/3", source="x", reason="test a stricter threshold"
    )
    tally = VoteTally(9, 6, 3, 0)
    assert _failures(Measure.WARNING, tally) == []
    assert [
        f.rule
        for f in check_vote(stricter, Measure.WARNING, tally, subject_id="m", deciding_body=CELL)
    ] == ["discipline_vote_majority"]


@given(
    st.integers(min_value=1, max_value=400).flatmap(
        lambda eligible: st.tuples(st.just(eligible), st.integers(0, eligible))
    )
)
def test_thresholds_equal_integer_arithmetic(case: tuple[int, int]) -> None:
    eligible, in_favour = case
    decision = VoteTally(eligible, in_favour, 0, eligible - in_favour)
    proposal = VoteTally(eligible, in_favour, 0, 0, stage=VoteStage.PROPOSAL)
    assert (_failures(Measure.WARNING, decision) == []) is (2 * in_favour > eligible)
    assert (_failures(Measure.EXPULSION, proposal) == []) is (3 * in_favour >= 2 * eligible)


@pytest.mark.parametrize("name", ["2021", "2022", "2025", "2025-07", "2026"])
def test_thresholds_in_every_ruleset(name: str) -> None:
    ruleset = default_registry().get(name)
    assert ruleset.fraction("discipline_vote_majority") == Fraction(1, 2)
    assert ruleset.fraction("expulsion_proposal_majority") == Fraction(2, 3)


# ------------------------------------------------------------------ tallies


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((5, 4, 2, 0), {}, "exceeds eligible = 5"),
        ((0, 0, 0, 0), {}, "at least one member"),
        ((5, -1, 0, 0), {}, "in_favour: must not be negative"),
        ((5, True, 0, 0), {}, "in_favour: must be a whole number"),
        ((5, 2.0, 0, 0), {}, "in_favour: must be a whole number"),
        ((5, 2, 0, 0), {"voter_ids": "m-1"}, "collection of member ids"),
        ((5, 2, 0, 0), {"voter_ids": {"m-1"}}, "1 voter ids recorded but 2 ballots"),
        ((5, 1, 0, 0), {"voter_ids": {""}}, "non-empty text"),
        ((5, 2, 0, 0), {"stage": "vote"}, "'proposal' or 'decision'"),
        ((5, 2, 0, 0), {"is_secret_ballot": "yes"}, "true or false"),
    ],
)
def test_inconsistent_tallies_are_input_errors(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message) as info:
        VoteTally(*args, **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)


def test_payload_round_trip() -> None:
    tally = VoteTally(
        9,
        6,
        2,
        1,
        voter_ids={"a", "b", "c", "d", "e", "f", "g", "h", "i"},
        is_secret_ballot=True,
        stage=VoteStage.PROPOSAL,
    )
    payload = tally.to_payload()
    assert payload == {
        "eligible": 9,
        "in_favour": 6,
        "against": 2,
        "abstaining": 1,
        "voter_ids": ["a", "b", "c", "d", "e", "f", "g", "h", "i"],
        "is_secret_ballot": True,
        "stage": "proposal",
    }
    assert VoteTally.from_payload(payload) == tally
    minimal = VoteTally.from_payload({"eligible": 3, "in_favour": 2, "against": 1, "abstaining": 0})
    assert minimal.stage is VoteStage.DECISION
    assert not minimal.is_secret_ballot


@given(
    st.integers(min_value=1, max_value=60).flatmap(
        lambda eligible: st.tuples(
            st.just(eligible),
            st.integers(0, eligible),
            st.integers(0, eligible),
            st.booleans(),
            st.sampled_from(VoteStage),
        )
    )
)
def test_payload_round_trip_property(case: tuple[int, int, int, bool, VoteStage]) -> None:
    eligible, in_favour, against, secret, stage = case
    against = min(against, eligible - in_favour)
    tally = VoteTally(eligible, in_favour, against, 0, is_secret_ballot=secret, stage=stage)
    assert VoteTally.from_payload(tally.to_payload()) == tally


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([1, 2, 3], "expected a mapping"),
        ({"eligible": 3}, "missing in_favour, against, abstaining"),
        (
            {"eligible": 3, "in_favour": 2, "against": 1, "abstaining": 0, "quorum": 2},
            "unknown keys quorum",
        ),
        ({"eligible": "3", "in_favour": 2, "against": 1, "abstaining": 0}, "eligible"),
        (
            {"eligible": 3, "in_favour": 2, "against": 1, "abstaining": 0, "voter_ids": "a"},
            "voter_ids",
        ),
        (
            {"eligible": 3, "in_favour": 2, "against": 1, "abstaining": 0, "stage": 2},
            "stage",
        ),
    ],
)
def test_malformed_payloads_are_input_errors(payload: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        VoteTally.from_payload(payload)  # type: ignore[arg-type]


def test_check_vote_input_errors() -> None:
    tally = VoteTally(3, 2, 1, 0)
    with pytest.raises(InputError):
        check_vote("2026", Measure.WARNING, tally, subject_id="m", deciding_body=CELL)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        check_vote(RULES, "warning", tally, subject_id="m", deciding_body=CELL)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        check_vote(RULES, Measure.WARNING, {"eligible": 3}, subject_id="m", deciding_body=CELL)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        check_vote(RULES, Measure.WARNING, tally, subject_id="m", deciding_body="cell")  # type: ignore[arg-type]


def test_tally_shares() -> None:
    tally = VoteTally(9, 6, 2, 1)
    assert tally.cast == 9
    assert tally.share_in_favour == Fraction(2, 3)
