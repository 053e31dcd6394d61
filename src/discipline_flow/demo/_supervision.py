"""Supervision stories: the ~83,000 cases of a city-year, in the fewest steps there are.

Each story opens one supervision through its workflow and fires its triggers with the body the
workflow's guards accept (:class:`~discipline_flow.demo._world.Driver`); nothing is forced. A
story hands its case to the shard's :class:`~discipline_flow.demo.generator.Sink`, which counts and
saves it. This is the hot path of the demo: no lookups the workflow does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from discipline_flow.actors import Body, BodyKind, Member, Organisation
from discipline_flow.case import Case
from discipline_flow.demo._plans import Planned, PlannedStory
from discipline_flow.demo._world import Driver, World

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = [
    "PLANNED_SUPERVISIONS",
    "SUPERVISION_STORIES",
    "regular_member",
    "regular_organisation",
    "supervise",
    "thematic_member",
    "thematic_organisation",
]

_NO_SIGNS = {"signs_of_violation": False}
_SIGNS = {"signs_of_violation": True, "findings": "signs of violation of member duties"}


def supervise(d: Driver, actor: Body, *, signs: bool = False) -> None:
    """Request, receive, assess, conclude and remind (or escalate): the fewest steps there are."""
    w = d.world
    if w.rng.random() < 0.004:  # a few are called off
        if d.fire("REQUEST_REPORT", actor, gap=(0, 2)):
            d.fire("CANCEL", actor, {"reason": "the supervised body was merged"}, gap=(1, 5))
        return
    (
        d.fire("REQUEST_REPORT", actor, gap=(0, 2))
        and d.fire("RECEIVE_REPORT", actor, gap=(3, 10))
        and d.fire("START_ASSESSMENT", actor, gap=(0, 2))
        and d.fire("CONCLUDE", actor, _SIGNS if signs else _NO_SIGNS, gap=(2, 12))
        and d.fire("ESCALATE_TO_INSPECTION" if signs else "ISSUE_REMINDER", actor, gap=(0, 3))
    )


def regular_member(w: World, sink: Sink) -> Driver | None:
    """A party cell supervises one of its members (giám sát thường xuyên)."""
    day = w.day()
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
    day = w.day()
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


def _thematic_body(w: World, org: int, day: int) -> Body:
    roll = w.rng.random()
    if roll < 0.12:
        return w.city_body(BodyKind.INSPECTION_COMMISSION)
    if roll < 0.5 and w.has_district_level(day):
        return w.district_body(w.district_of(org), BodyKind.INSPECTION_COMMISSION)
    return w.grassroots_commission(org)


def _draw_thematic(w: World, subject: Member | Organisation, org: int) -> Planned | None:
    day = w.day()
    actor = _thematic_body(w, org, day)
    assert actor.level is not None
    if w.workflow(f"thematic_supervision_{actor.level.value}", day) is None:
        return None
    if isinstance(subject, Member):
        subject = w.member(int(subject.id[2:]), day)
    return Planned(day, actor, subject, org)


def _thematic(w: World, sink: Sink, item: Planned, plan: Case[Any, Any], key: str) -> None:
    """Open the thematic supervision ``item`` from content ``key`` of ``plan`` and drive it."""
    day, actor = item.day, item.actor
    assert actor.level is not None
    wf = w.workflow(f"thematic_supervision_{actor.level.value}", day)
    assert wf is not None
    d = sink.open(wf, item.subject, actor, day, "SUP", parent=plan, content=key)
    rule = wf.rule("thematic_supervision_period")
    period = rule.period.amount
    if not (
        d.fire("REQUEST_REPORT", actor, gap=(0, 2))
        and d.fire("RECEIVE_REPORT", actor, gap=(3, 10))
        and d.fire("START_ASSESSMENT", actor, gap=(0, 2))
    ):
        sink.done(d)
        return
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


def thematic_member(w: World) -> Planned | None:
    """An inspection commission supervises a member on a theme, within the period of its level."""
    number = w.member_number()
    return _draw_thematic(w, Member(f"m-{number:06d}"), number // 168)


def thematic_organisation(w: World) -> Planned | None:
    """An inspection commission supervises a grassroots organisation on a theme."""
    org = w.random_org()
    return _draw_thematic(w, w.organisation(org, w.day()), org)


#: Stories run in bulk, by name: each makes one supervision case.
SUPERVISION_STORIES: dict[str, Callable[[World, Sink], Driver | None]] = {
    "regular_supervision_member": regular_member,
    "regular_supervision_organisation": regular_organisation,
}

#: Stories whose cases the acting bodies open from their plans, by name.
PLANNED_SUPERVISIONS: dict[str, PlannedStory] = {
    "thematic_supervision_member": PlannedStory(
        "supervision", "Members' observance of the party's rules", thematic_member, _thematic
    ),
    "thematic_supervision_organisation": PlannedStory(
        "supervision", "Leadership of the organisation's tasks", thematic_organisation, _thematic
    ),
}
