"""Supervision stories: the ~83,000 cases of a city-year, in the fewest steps there are.

Each story opens one supervision through its workflow and fires its triggers with the body the
workflow's guards accept (:class:`~discipline_flow.demo._world.Driver`); nothing is forced. A
story hands its case to the shard's :class:`~discipline_flow.demo.generator.Sink`, which counts and
saves it. This is the hot path of the demo: no lookups the workflow does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from discipline_flow.actors import Body, BodyKind
from discipline_flow.demo._world import Driver, FromPlan, Planned, World

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = [
    "SUPERVISION_SPAN",
    "SUPERVISION_STORIES",
    "regular_cancelled",
    "regular_in_progress",
    "regular_member",
    "regular_organisation",
    "supervise",
    "thematic",
]

_NO_SIGNS = {"signs_of_violation": False}
_SIGNS = {"signs_of_violation": True, "findings": "signs of violation of member duties"}


#: The most working days from a regular supervision's opening to its conclusion (the sum of
#: the gaps below), and the fewest.
SUPERVISION_SPAN = 2 + 10 + 2 + 12
_SUPERVISION_MIN = 0 + 3 + 0 + 2


def supervise(d: Driver, actor: Body, *, signs: bool = False) -> None:
    """Request, receive, assess, conclude and remind (or escalate): the fewest steps there are.
    Opened :data:`SUPERVISION_SPAN` working days or more before the year's end, it concludes in
    the year; opened in its last :data:`_SUPERVISION_MIN`, it does not."""
    (
        d.fire("REQUEST_REPORT", actor, gap=(0, 2))
        and d.fire("RECEIVE_REPORT", actor, gap=(3, 10))
        and d.fire("START_ASSESSMENT", actor, gap=(0, 2))
        and d.fire("CONCLUDE", actor, _SIGNS if signs else _NO_SIGNS, gap=(2, 12))
        and d.fire("ESCALATE_TO_INSPECTION" if signs else "ISSUE_REMINDER", actor, gap=(0, 3))
    )


def regular_member(w: World, sink: Sink) -> Driver | None:
    """A party cell supervises one of its members (giám sát thường xuyên)."""
    day = w.day(before_end=SUPERVISION_SPAN)
    wf = w.workflow("regular_supervision", day)
    if wf is None:
        return None
    member = w.member(w.member_number(), day)
    cell = w.cell(member)
    d = sink.open(wf, member, cell, day, "SUP")
    supervise(d, cell)
    sink.done(d)
    return d


def regular_organisation(w: World, sink: Sink) -> Driver | None:
    """A grassroots committee supervises a cell, or the level above a grassroots organisation."""
    day = w.day(before_end=SUPERVISION_SPAN)
    wf = w.workflow("regular_supervision", day)
    if wf is None:
        return None
    org = w.random_org()
    if w.rng.random() < 0.7:
        subject = w.organisation(org, day, cell=w.rng.randrange(12))
        actor = w.grassroots_committee(org)
    else:
        subject = w.organisation(org, day)
        actor = w.above(org, day, BodyKind.STANDING_COMMITTEE)
    d = sink.open(wf, subject, actor, day, "SUP")
    supervise(d, actor)
    sink.done(d)
    return d


def thematic(w: World, sink: Sink, item: Planned, source: FromPlan) -> Driver:
    """Open the thematic supervision ``item`` from its plan's content ``source`` and drive it to
    its reminder (about 60 working days at most, extended or late included)."""
    day, actor = item.day, item.actor
    assert actor.level is not None
    wf = w.workflow(f"thematic_supervision_{actor.level.value}", day)
    assert wf is not None
    d = sink.open(wf, item.subject, actor, day, "SUP", source=source)
    rule = wf.rule("thematic_supervision_period")
    period = rule.period.amount
    if not (
        d.fire("REQUEST_REPORT", actor, gap=(0, 2))
        and d.fire("RECEIVE_REPORT", actor, gap=(3, 10))
        and d.fire("START_ASSESSMENT", actor, gap=(0, 2))
    ):
        sink.done(d)
        return d
    roll = w.rng.random()
    if roll < 0.06:
        most = max(1, period // 3)
        extra = w.rng.randint(max(1, most // 2), most)
        d.fire(
            "EXTEND_SUPERVISION",
            actor,
            {"extend_by": f"{extra} working days", "reason": "the supervised body asked for time"},
            gap=(1, 3),
        )
        gap = (period - 2, period + extra - 4)
    elif roll < 0.11:  # concluded late: the deadline is met late (or missed at the year's end)
        gap = (period + 1, period + 8)
    else:
        gap = (max(2, period // 4), period - 4)
    d.fire("CONCLUDE", actor, _NO_SIGNS, gap=gap) and d.fire("ISSUE_REMINDER", actor, gap=(0, 2))
    sink.done(d)
    return d


def regular_cancelled(w: World, sink: Sink) -> Driver | None:
    """A cell asks a member for a report, then calls the supervision off."""
    day = w.day(before_end=8)
    wf = w.workflow("regular_supervision", day)
    if wf is None:
        return None
    member = w.member(w.member_number(), day)
    cell = w.cell(member)
    d = sink.open(wf, member, cell, day, "SUP")
    if d.fire("REQUEST_REPORT", cell, gap=(0, 2)):
        d.fire("CANCEL", cell, {"reason": "the member moved to another cell"}, gap=(1, 5))
    sink.done(d)
    return d


def regular_in_progress(w: World, sink: Sink) -> Driver | None:
    """A supervision of a member opened in the year's last days: concluded next year."""
    day = w.late_day(_SUPERVISION_MIN)
    wf = w.workflow("regular_supervision", day)
    if wf is None:
        return None
    member = w.member(w.member_number(), day)
    cell = w.cell(member)
    d = sink.open(wf, member, cell, day, "SUP")
    supervise(d, cell)
    sink.done(d)
    return d


#: Stories run in bulk, by name: each makes one supervision case.
SUPERVISION_STORIES: dict[str, Callable[[World, Sink], Driver | None]] = {
    "regular_supervision_member": regular_member,
    "regular_supervision_organisation": regular_organisation,
    "regular_supervision_cancelled": regular_cancelled,
    "regular_supervision_in_progress": regular_in_progress,
}
