"""Small workflows shared by the core tests (not shipped)."""

from __future__ import annotations

import enum
import itertools
from typing import Any

import pendulum

from discipline_flow import (
    Action,
    Body,
    BodyKind,
    Citation,
    Guard,
    GuardContext,
    Label,
    Member,
    RuleStatus,
    Transition,
    Workflow,
)
from discipline_flow.rules import default_registry

TZ = "Asia/Ho_Chi_Minh"
#: Every built-in ruleset by name.
RULESETS = {r.name: r for r in default_registry()}
CELL = Body(BodyKind.PARTY_CELL, "cell-1")
COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-1")
MEMBER = Member("m-1", cell_id="cell-1")


def at(year: int, month: int, day: int, hour: int = 9) -> pendulum.DateTime:
    """An instant in Hanoi time."""
    return pendulum.datetime(year, month, day, hour, tz=TZ)


class Review(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    ESCALATED = "escalated"
    REJECTED = "rejected"


class ReviewTrigger(enum.Enum):
    SUBMIT = "submit"
    DECIDE = "decide"
    REJECT = "reject"
    WITHDRAW = "withdraw"


BASIS = Citation("QĐ 296-QĐ/TW", "Điều 10", RuleStatus.SECONDARY)


def _only_commission(ctx: GuardContext[Any, Any]) -> str | None:
    if ctx.actor.kind is BodyKind.INSPECTION_COMMISSION:
        return None
    return f"{ctx.actor.kind.value} may not decide; only an inspection commission may"


def _majority(ctx: GuardContext[Any, Any]) -> str | None:
    votes = ctx.payload.get("in_favour")
    eligible = ctx.payload.get("eligible")
    if not isinstance(votes, int) or not isinstance(eligible, int):
        return "the payload needs in_favour and eligible"
    if 2 * votes > eligible:
        return None
    return f"{votes} of {eligible} is not more than half"


def _no_majority(ctx: GuardContext[Any, Any]) -> str | None:
    return "a majority was reached" if _majority(ctx) is None else None


only_commission = Guard("only_commission", _only_commission, basis=BASIS)
majority = Guard("majority", _majority, basis=BASIS, uses_payload=True)
no_majority = Guard("no_majority", _no_majority, uses_payload=True)


def review_workflow(actions: tuple[Action, ...] = ()) -> Workflow[Review, ReviewTrigger]:
    """A five-state review: decide goes to APPROVED on a majority, else to ESCALATED."""
    return Workflow(
        name="review",
        version="1",
        states=Review,
        triggers=ReviewTrigger,
        initial=Review.DRAFT,
        terminal={Review.APPROVED, Review.ESCALATED, Review.REJECTED},
        transitions=[
            Transition(ReviewTrigger.SUBMIT, Review.DRAFT, Review.SUBMITTED, actions=actions),
            Transition(
                ReviewTrigger.DECIDE,
                Review.SUBMITTED,
                Review.APPROVED,
                guards=("only_commission", "majority"),
                basis=BASIS,
            ),
            Transition(
                ReviewTrigger.DECIDE,
                Review.SUBMITTED,
                Review.ESCALATED,
                guards=("only_commission", "no_majority"),
            ),
            Transition(ReviewTrigger.REJECT, Review.SUBMITTED, Review.REJECTED),
            Transition(ReviewTrigger.WITHDRAW, [Review.DRAFT, Review.SUBMITTED], Review.REJECTED),
        ],
        guards={g.name: g for g in (only_commission, majority, no_majority)},
        labels={
            Review.DRAFT: Label("Draft", "Dự thảo"),
            ReviewTrigger.SUBMIT: Label("Submit", "Trình"),
        },
    )


class Stage(enum.Enum):
    """A ten-state lifecycle used by the engine benchmark and tests."""

    S0 = 0
    S1 = 1
    S2 = 2
    S3 = 3
    S4 = 4
    S5 = 5
    S6 = 6
    S7 = 7
    S8 = 8
    S9 = 9


class Advance(enum.Enum):
    NEXT = "next"
    BACK = "back"
    ABORT = "abort"


def lifecycle_workflow() -> Workflow[Stage, Advance]:
    """S0 → S1 → … → S9 with NEXT, BACK to the previous stage, ABORT to S9 from anywhere."""
    stages = list(Stage)
    transitions: list[Transition[Stage, Advance]] = []
    for here, there in itertools.pairwise(stages):
        transitions.append(Transition(Advance.NEXT, here, there))
    for here, there in zip(stages[2:-1], stages[1:-2], strict=True):
        transitions.append(Transition(Advance.BACK, here, there))
    transitions.append(Transition(Advance.ABORT, stages[:-2], Stage.S9))
    return Workflow(
        name="lifecycle",
        version="1",
        states=Stage,
        triggers=Advance,
        initial=Stage.S0,
        terminal={Stage.S9},
        transitions=transitions,
    )
