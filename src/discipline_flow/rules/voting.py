"""Votes on discipline: a :class:`VoteTally` and :func:`check_vote` against a ruleset's thresholds.

Reprimand, warning and removal from post (and reprimand or warning of an organisation) need more
than half of the full members of the cell, or of the members of the deciding body. Expulsion
needs at least two thirds of the cell's full members to propose it and more than half of the
deciding body to decide it (QĐ 22-QĐ/TW Điều 15 khoản 3.1). The Central Committee votes by
secret ballot. Thresholds are exact fractions: 6 of 9 is two thirds; 5 of 10 is not more than
half.

>>> import datetime as dt
>>> from discipline_flow import Body, BodyKind
>>> from discipline_flow.rules import Measure, VoteStage, VoteTally, check_vote, select_ruleset
>>> rules = select_ruleset(dt.date(2026, 5, 4))
>>> cell = Body(BodyKind.PARTY_CELL, "cell-7")
>>> proposal = VoteTally(9, 6, 3, 0, stage=VoteStage.PROPOSAL)
>>> check_vote(rules, Measure.EXPULSION, proposal, subject_id="m-1", deciding_body=cell)
[]
>>> tie = VoteTally(10, 5, 5, 0)
>>> [f.rule for f in check_vote(rules, Measure.WARNING, tie, subject_id="m-1", deciding_body=cell)]
['discipline_vote_majority']
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from discipline_flow.actors import Body, BodyKind
from discipline_flow.citation import Citation
from discipline_flow.errors import GuardFailure, InputError
from discipline_flow.measure import Measure
from discipline_flow.rules.ruleset import Ruleset

__all__ = ["VoteFailure", "VoteStage", "VoteTally", "check_vote"]


class VoteStage(enum.Enum):
    """Whether a vote proposes a measure (in the cell) or decides it (in the deciding body)."""

    PROPOSAL = "proposal"
    DECISION = "decision"

    # Hashed by identity, in C (see Measure): tallies, and so their stage, key guard memos.
    __hash__ = object.__hash__


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(name, f"must be a whole number, got {value!r}")
    if value < 0:
        raise InputError(name, f"must not be negative, got {value}")
    return value


def _eligible(value: object) -> int:
    return _count("eligible", value)


def _in_favour(value: object) -> int:
    return _count("in_favour", value)


def _against(value: object) -> int:
    return _count("against", value)


def _abstaining(value: object) -> int:
    return _count("abstaining", value)


def _voter_ids(value: object) -> frozenset[str]:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        raise InputError("voter_ids", f"must be a collection of member ids, got {value!r}")
    ids = frozenset(value)
    if not all(isinstance(voter, str) and voter for voter in ids):
        raise InputError("voter_ids", f"every voter id must be non-empty text, got {value!r}")
    return ids


def _stage(value: object) -> VoteStage:
    if isinstance(value, VoteStage):
        return value
    try:
        return VoteStage(value)
    except ValueError:
        raise InputError("stage", f"must be 'proposal' or 'decision', got {value!r}") from None


# The hash is cached: guards key their memos on tallies, which are immutable.
@attrs.frozen(cache_hash=True)
class VoteTally:
    """The count of one vote.

    ``eligible`` is the number of full members of the cell (or members of the deciding body)
    entitled to vote, present or not; thresholds are shares of it. ``voter_ids``, when recorded,
    names everyone who cast a ballot (abstentions included) and must match the count. An
    inconsistent tally raises :class:`~discipline_flow.errors.InputError`.

    >>> VoteTally(5, 4, 2, 0)
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: tally: in_favour + against + abstaining = 6 exceeds eligible = 5
    """

    eligible: int = attrs.field(converter=_eligible)
    in_favour: int = attrs.field(converter=_in_favour)
    against: int = attrs.field(converter=_against)
    abstaining: int = attrs.field(converter=_abstaining)
    voter_ids: frozenset[str] = attrs.field(kw_only=True, default=frozenset(), converter=_voter_ids)
    is_secret_ballot: bool = attrs.field(kw_only=True, default=False)
    stage: VoteStage = attrs.field(kw_only=True, default=VoteStage.DECISION, converter=_stage)

    def __attrs_post_init__(self) -> None:
        if self.eligible < 1:
            raise InputError("eligible", "at least one member must be entitled to vote")
        if self.cast > self.eligible:
            raise InputError(
                "tally",
                f"in_favour + against + abstaining = {self.cast} exceeds eligible = "
                f"{self.eligible}",
            )
        if self.voter_ids and len(self.voter_ids) != self.cast:
            raise InputError(
                "voter_ids",
                f"{len(self.voter_ids)} voter ids recorded but {self.cast} ballots counted",
            )
        if not isinstance(self.is_secret_ballot, bool):
            raise InputError(
                "is_secret_ballot", f"must be true or false, got {self.is_secret_ballot!r}"
            )

    @property
    def cast(self) -> int:
        """Ballots cast: in favour, against and abstaining."""
        return self.in_favour + self.against + self.abstaining

    @property
    def share_in_favour(self) -> Fraction:
        """The votes in favour as an exact share of ``eligible``."""
        return Fraction(self.in_favour, self.eligible)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> VoteTally:
        """Read a tally from a transition's payload (see :meth:`to_payload`).

        >>> VoteTally.from_payload({"eligible": 9, "in_favour": 6, "against": 3, "abstaining": 0,
        ...                         "stage": "proposal"}).stage
        <VoteStage.PROPOSAL: 'proposal'>
        >>> VoteTally.from_payload({"eligible": "9"})
        Traceback (most recent call last):
        ...
        discipline_flow.errors.InputError: vote: missing in_favour, against, abstaining
        """
        if not isinstance(payload, Mapping):
            raise InputError("vote", f"expected a mapping, got {type(payload).__name__}")
        required = ("eligible", "in_favour", "against", "abstaining")
        missing = [key for key in required if key not in payload]
        if missing:
            raise InputError("vote", f"missing {', '.join(missing)}")
        known = {*required, "voter_ids", "is_secret_ballot", "stage"}
        unknown = sorted(str(key) for key in payload if key not in known)
        if unknown:
            raise InputError(
                "vote", f"unknown keys {', '.join(unknown)}; allowed: {', '.join(sorted(known))}"
            )
        return cls(
            payload["eligible"],
            payload["in_favour"],
            payload["against"],
            payload["abstaining"],
            voter_ids=payload.get("voter_ids", ()),
            is_secret_ballot=payload.get("is_secret_ballot", False),
            stage=payload.get("stage", VoteStage.DECISION.value),
        )

    def to_payload(self) -> dict[str, Any]:
        """The tally as JSON-compatible data (voter ids sorted).

        >>> VoteTally(3, 2, 1, 0, voter_ids={"b", "a", "c"}).to_payload()["voter_ids"]
        ['a', 'b', 'c']
        """
        return {
            "eligible": self.eligible,
            "in_favour": self.in_favour,
            "against": self.against,
            "abstaining": self.abstaining,
            "voter_ids": sorted(self.voter_ids),
            "is_secret_ballot": self.is_secret_ballot,
            "stage": self.stage.value,
        }


@attrs.frozen
class VoteFailure:
    """One reason a vote does not carry or is not valid, with the rule and its citation."""

    rule: str
    reason: str
    citation: Citation

    def __str__(self) -> str:
        return f"{self.reason} [{self.citation}]"

    def guard_failure(self, guard: str = "vote") -> GuardFailure:
        """The failure as a guard failure for a refused transition."""
        return GuardFailure(guard, self.reason, str(self.citation))


def _needed_more_than(share: Fraction, eligible: int) -> int:
    return math.floor(share * eligible) + 1


def _needed_at_least(share: Fraction, eligible: int) -> int:
    return math.ceil(share * eligible)


def check_vote(
    ruleset: Ruleset,
    measure: Measure,
    tally: VoteTally,
    *,
    subject_id: str,
    deciding_body: Body,
) -> list[VoteFailure]:
    """Every reason the vote does not carry ``measure`` under ``ruleset`` (empty if it does).

    A proposal of expulsion needs at least ``expulsion_proposal_majority`` of ``eligible``; every
    other vote more than ``discipline_vote_majority`` (``dissolution_vote_majority`` for a
    dissolution). The subject must not be among the voters; the Central Committee votes by
    secret ballot, and so does every body if the ruleset sets ``secret_ballot_required``.
    """
    if not isinstance(ruleset, Ruleset):
        raise InputError("ruleset", f"expected a Ruleset, got {type(ruleset).__name__}")
    if not isinstance(measure, Measure):
        raise InputError("measure", f"expected a Measure, got {measure!r}")
    if not isinstance(tally, VoteTally):
        raise InputError("tally", f"expected a VoteTally, got {type(tally).__name__}")
    if not isinstance(deciding_body, Body):
        raise InputError("deciding_body", f"expected a Body, got {type(deciding_body).__name__}")
    failures: list[VoteFailure] = []

    if ruleset.flag("subject_excluded_from_vote") and subject_id in tally.voter_ids:
        rule = ruleset.rule("subject_excluded_from_vote")
        failures.append(
            VoteFailure(
                rule.key,
                f"the subject {subject_id!r} is among the voters; a member does not vote on "
                f"their own case",
                rule.citation,
            )
        )

    votes = f"{tally.in_favour} of {tally.eligible} voted in favour"
    if tally.stage is VoteStage.PROPOSAL and measure is Measure.EXPULSION:
        rule = ruleset.rule("expulsion_proposal_majority")
        share = ruleset.fraction(rule.key)
        if tally.share_in_favour < share:
            needed = _needed_at_least(share, tally.eligible)
            failures.append(
                VoteFailure(
                    rule.key,
                    f"{votes}; proposing expulsion needs at least {share} of the full members "
                    f"({needed} of {tally.eligible})",
                    rule.citation,
                )
            )
    else:
        key = (
            "dissolution_vote_majority"
            if measure is Measure.DISSOLUTION
            else "discipline_vote_majority"
        )
        rule = ruleset.rule(key)
        share = ruleset.fraction(key)
        if tally.share_in_favour <= share:
            needed = _needed_more_than(share, tally.eligible)
            failures.append(
                VoteFailure(
                    rule.key,
                    f"{votes}; {tally.stage.value} of {measure.label_en} needs more than "
                    f"{share} ({needed} of {tally.eligible})",
                    rule.citation,
                )
            )

    if not tally.is_secret_ballot:
        if deciding_body.kind is BodyKind.CENTRAL_COMMITTEE and ruleset.flag(
            "central_committee_secret_ballot"
        ):
            rule = ruleset.rule("central_committee_secret_ballot")
            failures.append(
                VoteFailure(
                    rule.key,
                    "the Central Committee votes on discipline by secret ballot",
                    rule.citation,
                )
            )
        elif ruleset.flag("secret_ballot_required"):
            rule = ruleset.rule("secret_ballot_required")
            failures.append(
                VoteFailure(
                    rule.key,
                    "the ruleset requires every disciplinary vote to be secret",
                    rule.citation,
                )
            )
    return failures
