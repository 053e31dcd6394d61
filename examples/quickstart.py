"""Quickstart: define a small workflow, take a case through it, print its steps.

Run with ``python examples/quickstart.py``.
"""

from __future__ import annotations

import enum

import pendulum

from discipline_flow import (
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
from discipline_flow.errors import TransitionRefused


class State(enum.Enum):
    OPENED = "opened"
    MEMBER_HEARD = "member_heard"
    DECIDED = "decided"
    CLOSED = "closed"


class Trigger(enum.Enum):
    HEAR_MEMBER = "hear_member"
    DECIDE = "decide"
    CLOSE = "close"


HEARING = Citation("QĐ 296-QĐ/TW", "Điều 12 khoản 1", RuleStatus.SECONDARY)


def cell_only(ctx: GuardContext[State, Trigger]) -> str | None:
    """Only the party cell decides in this example."""
    if ctx.actor.kind is BodyKind.PARTY_CELL:
        return None
    return f"{ctx.actor.kind.value} may not decide here; the party cell does"


WORKFLOW: Workflow[State, Trigger] = Workflow(
    name="quickstart",
    version="1",
    states=State,
    triggers=Trigger,
    initial=State.OPENED,
    terminal={State.CLOSED},
    transitions=[
        Transition(Trigger.HEAR_MEMBER, State.OPENED, State.MEMBER_HEARD, basis=HEARING),
        Transition(Trigger.DECIDE, State.MEMBER_HEARD, State.DECIDED, guards=["cell_only"]),
        Transition(Trigger.CLOSE, [State.OPENED, State.DECIDED], State.CLOSED),
    ],
    guards={"cell_only": Guard("cell_only", cell_only)},
    labels={
        State.OPENED: Label("Opened", "Mở hồ sơ"),
        State.MEMBER_HEARD: Label("Member heard", "Đã nghe đảng viên trình bày"),
        State.DECIDED: Label("Decided", "Đã quyết định"),
        State.CLOSED: Label("Closed", "Kết thúc"),
    },
)


def main() -> None:
    """Open a case, move it, show a refusal, print the history."""
    cell = Body(BodyKind.PARTY_CELL, "cell-12")
    commission = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-district-3")
    start = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")

    case = WORKFLOW.open(
        Member("m-1042", cell_id="cell-12"), at=start, actor=cell, case_id="C-1042"
    )
    case.fire(Trigger.HEAR_MEMBER, at=start.add(days=2), actor=cell)
    try:
        case.fire(Trigger.DECIDE, at=start.add(days=3), actor=commission)
    except TransitionRefused as refused:
        print(f"refused: {refused}")
    case.fire(Trigger.DECIDE, at=start.add(days=3), actor=cell, payload={"measure": "reprimand"})
    case.fire(Trigger.CLOSE, at=start.add(days=4), actor=cell)

    print(
        f"case {case.id} is {case.state.name}; {case.version} steps, chain verified: {case.verify()}"
    )
    for step in case.steps:
        trigger = step.trigger.name if step.trigger else "OPEN"
        label = WORKFLOW.label_of(step.target, "vi")
        print(
            f"  {step.index}. {step.at:%Y-%m-%d} {trigger:<12} -> {step.target.name:<13} ({label}) by {step.actor}"
        )


if __name__ == "__main__":
    main()
