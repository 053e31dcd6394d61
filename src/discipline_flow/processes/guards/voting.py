"""Guards on votes: the vote carries the measure, the subject does not vote, expulsion is proposed.

A vote is the payload's ``vote`` (a :meth:`VoteTally.to_payload()
<discipline_flow.rules.VoteTally.to_payload>` dict); the cell's proposal of expulsion is
``proposal_vote`` or an earlier vote at the ``proposal`` stage. Thresholds come from the
ruleset through :func:`~discipline_flow.rules.check_vote`.

>>> from discipline_flow.rules import VoteTally
>>> tally = tally_of({"eligible": 9, "in_favour": 7, "against": 2, "abstaining": 0}, "vote")
>>> tally == VoteTally(9, 7, 2, 0), tally.stage
(True, <VoteStage.DECISION: 'decision'>)
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

from discipline_flow.actors import Body
from discipline_flow.errors import InputError
from discipline_flow.processes.guards.payload import (
    guarded,
    history_values,
    measure_of,
    missing_reason,
)
from discipline_flow.rules import Measure, Ruleset, VoteStage, VoteTally, check_vote
from discipline_flow.workflow import Guard, GuardContext

__all__ = ["expulsion_proposal", "subject_not_voting", "tally_of", "vote_carries"]

_TALLY_KEYS = frozenset(
    {"eligible", "in_favour", "against", "abstaining", "voter_ids", "is_secret_ballot", "stage"}
)
_NO_VOTERS: tuple[str, ...] = ()
_TEXT = frozenset({str})
_DECISION = VoteStage.DECISION.value


@functools.lru_cache(maxsize=4096)
def _tally(
    eligible: int,
    in_favour: int,
    against: int,
    abstaining: int,
    is_secret_ballot: bool,
    stage: str,
    voter_ids: tuple[str, ...],
) -> VoteTally:
    # Tallies repeat (a cell of nine, seven in favour): each well-formed one is read once.
    return VoteTally.from_payload(
        {
            "eligible": eligible,
            "in_favour": in_favour,
            "against": against,
            "abstaining": abstaining,
            "voter_ids": list(voter_ids),
            "is_secret_ballot": is_secret_ballot,
            "stage": stage,
        }
    )


def tally_of(value: object, key: str) -> VoteTally:
    """The :class:`~discipline_flow.rules.VoteTally` a payload value ``key`` holds.

    Reads as :meth:`VoteTally.from_payload() <discipline_flow.rules.VoteTally.from_payload>`
    does; raises :class:`~discipline_flow.errors.InputError` for a value that is not a tally.
    """
    # Payloads hold plain dicts: their exact type is checked before the (slower) ABC.
    if type(value) is not dict and not isinstance(value, Mapping):
        raise InputError(f"payload.{key}", "expected a vote tally (VoteTally.to_payload())")
    get = value.get
    eligible, in_favour = get("eligible"), get("in_favour")
    against, abstaining = get("against"), get("abstaining")
    secret = get("is_secret_ballot", False)
    stage = get("stage", _DECISION)
    voters = get("voter_ids", _NO_VOTERS)
    # Only the well-formed shape is remembered, under exact types: a tally takes no bool for a
    # count although 1 == True, so a memo keyed on values alone would mix the two up. A missing
    # optional key reads as its default, as ``from_payload`` reads it.
    if (
        type(eligible) is int
        and type(in_favour) is int
        and type(against) is int
        and type(abstaining) is int
        and type(secret) is bool
        and type(stage) is str
        and (type(voters) is list or type(voters) is tuple)
        and (not voters or _TEXT.issuperset(map(type, voters)))
        and _TALLY_KEYS.issuperset(value)
    ):
        return _tally(eligible, in_favour, against, abstaining, secret, stage, tuple(voters))
    return VoteTally.from_payload(value)


def vote_carries(
    ruleset: Ruleset,
    *,
    name: str = "vote",
    stage: VoteStage | None = None,
    from_last_step: bool = False,
) -> Guard:
    """The ``vote`` in the payload carries the measure under the ruleset's thresholds.

    ``stage`` requires a proposal or a decision vote (any when None). With ``from_last_step``
    a move without a ``vote`` uses the vote of the case's last step (deciding on the vote just
    held). Whether the subject voted is left to :func:`subject_not_voting`.
    """
    majority = ruleset.rule("discipline_vote_majority")

    @functools.lru_cache(maxsize=4096)
    def failures(measure: Measure, tally: VoteTally, body: Body) -> str | None:
        # check_vote without the subject's own vote, which subject_not_voting judges.
        found = check_vote(ruleset, measure, tally, subject_id="", deciding_body=body)
        reasons = [str(f) for f in found if f.rule != "subject_excluded_from_vote"]
        return "; ".join(reasons) or None

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return missing_reason("measure")
        raw = ctx.payload.get("vote")
        if raw is None and from_last_step:
            raw = ctx.case.steps[-1].payload.get("vote")
        if raw is None:
            return missing_reason("vote")
        tally = tally_of(raw, "vote")
        if stage is not None and tally.stage is not stage:
            return (
                f"a {stage.value} vote is needed here, got a {tally.stage.value} vote "
                f"[{majority.citation}]"
            )
        return failures(measure, tally, ctx.actor)

    return Guard(
        name,
        guarded(check),
        basis=majority.citation,
        description="the vote carries the measure (more than half; expulsion proposal 2/3)",
        uses_payload=True,
    )


def subject_not_voting(ruleset: Ruleset, name: str = "subject_not_voting") -> Guard:
    """The subject is not among the voters of any tally of the move (``vote``/``proposal_vote``)."""
    rule = ruleset.rule("subject_excluded_from_vote")
    excluded = ruleset.flag(rule.key)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if not excluded:
            return None
        for key in ("vote", "proposal_vote"):
            raw = ctx.payload.get(key)
            if raw is None:
                continue
            tally = tally_of(raw, key)
            if ctx.subject.id in tally.voter_ids:
                return (
                    f"the subject {ctx.subject.id!r} is among the voters of {key}; a member "
                    f"does not vote on their own case [{rule.citation}]"
                )
        return None

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="a subject does not vote on their own case",
        uses_payload=True,
    )


def _proposal_tallies(ctx: GuardContext[Any, Any]) -> Iterator[tuple[VoteTally, Body]]:
    for value, body in history_values(ctx, "proposal_vote"):
        yield tally_of(value, "proposal_vote"), body
    for value, body in history_values(ctx, "vote"):
        if isinstance(value, Mapping) and value.get("stage") == VoteStage.PROPOSAL.value:
            yield tally_of(value, "vote"), body


def expulsion_proposal(ruleset: Ruleset, name: str = "expulsion_proposal") -> Guard:
    """Expulsion needs at least two thirds of the cell's full members proposing it.

    The proposal is the payload's ``proposal_vote`` or an earlier proposal-stage vote; other
    measures pass.
    """
    rule = ruleset.rule("expulsion_proposal_majority")

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if measure_of(ctx) is not Measure.EXPULSION:
            return None
        for tally, body in _proposal_tallies(ctx):
            proposal = VoteTally(
                tally.eligible,
                tally.in_favour,
                tally.against,
                tally.abstaining,
                voter_ids=tally.voter_ids,
                is_secret_ballot=tally.is_secret_ballot,
                stage=VoteStage.PROPOSAL,
            )
            failures = [
                f
                for f in check_vote(
                    ruleset,
                    Measure.EXPULSION,
                    proposal,
                    subject_id=ctx.subject.id,
                    deciding_body=body,
                )
                if f.rule == rule.key
            ]
            return "; ".join(str(f) for f in failures) or None
        return (
            f"expulsion needs the cell's proposal, voted by at least {ruleset.fraction(rule.key)} "
            f"of its full members; give it as 'proposal_vote' [{rule.citation}]"
        )

    return Guard(
        name,
        guarded(check),
        basis=rule.citation,
        description="expulsion is proposed by at least two thirds of the cell's full members",
        uses_payload=True,
    )
