"""The plans of the demo: every body that runs thematic supervisions or inspections works from a
plan adopted in January, and opens them from it.

A shard first draws what its planned stories will do (the day, the acting body, the subject),
then builds one plan per acting body (a case of the ``inspection_plan`` workflow whose contents
name those subjects, one content per story), then runs the stories, each opening its case from
its content with :func:`~discipline_flow.planning.open_from_plan`. Everything follows from the
shard's random numbers, so the plans are the same whatever the number of worker processes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.actors import Body, Member, Organisation
from discipline_flow.case import Case
from discipline_flow.demo._world import World
from discipline_flow.planning import PLAN_WORKFLOW, PlanDescription, plan_completion, read_content
from discipline_flow.store import CaseStore

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = ["Planned", "PlannedStory", "PlansSummary", "plans_summary", "run_planned"]


@attrs.frozen
class Planned:
    """One inspection or supervision a plan schedules: on working day ``day``, ``actor`` acts on
    ``subject`` (of grassroots organisation ``org``)."""

    day: int
    actor: Body
    subject: Member | Organisation
    org: int


@attrs.frozen
class PlannedStory:
    """A story whose cases come from plans: ``draw`` picks one case in advance (None: nothing
    to do that day), ``run`` opens it from ``plan``'s content ``key`` and drives it."""

    kind: str
    topic: str
    draw: Callable[[World], Planned | None]
    run: Callable[[World, Sink, Planned, Case[Any, Any], str], None]


def _content(number: int, story: PlannedStory, items: Sequence[Planned], year: int) -> Any:
    subjects = list(dict.fromkeys(f"{p.subject.kind}:{p.subject.id}" for p in items))
    return read_content(
        {
            "key": f"ND-{number:02d}",
            "kind": story.kind,
            "topic": story.topic,
            "subjects": subjects,
            "from": _dt.date(year, 1, 1).isoformat(),
            "to": _dt.date(year, 12, 31).isoformat(),
        }
    )


def run_planned(w: World, sink: Sink, stories: Sequence[tuple[PlannedStory, int]]) -> int:
    """Draw ``count`` cases of each story, build and save one plan per acting body (adopted on
    the year's first working day), then open and drive every case from its plan; return the
    number of plans."""
    drawn: list[tuple[int, Planned]] = []
    for number, (story, count) in enumerate(stories):
        for _ in range(count):
            item = story.draw(w)
            if item is not None:
                drawn.append((number, item))
    by_body: dict[Body, dict[int, list[Planned]]] = {}
    for number, item in drawn:
        by_body.setdefault(item.actor, {}).setdefault(number, []).append(item)
    first = w.first_day
    plans: dict[Body, tuple[Case[Any, Any], dict[int, str]]] = {}
    for body, groups in by_body.items():
        assert body.level is not None
        contents = [
            _content(i + 1, stories[n][0], items, w.year)
            for i, (n, items) in enumerate(groups.items())
        ]
        description = PlanDescription(
            id=sink.new_id("PLAN"),
            issuer=body,
            organisation=Organisation(body.id, body.level),
            adopted_on=_dt.date.fromordinal(first),
            contents=tuple(contents),
            title=f"Inspection and supervision plan of {body} for {w.year}",
        )
        case = description.build()
        keys = {n: c.key for n, c in zip(groups, contents, strict=True)}
        plans[body] = (case, keys)
        sink.done(sink.adopt(case, first, 9 * 60))
    for number, item in drawn:
        case, keys = plans[item.actor]
        stories[number][0].run(w, sink, item, case, keys[number])
    return len(plans)


@attrs.frozen
class PlansSummary:
    """The plans a store holds and their contents' completion at ``at``."""

    plans: int
    contents: int
    done: int
    in_progress: int
    not_started: int
    at: _dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return {**attrs.asdict(self), "at": self.at.isoformat()}

    def text(self) -> str:
        """One line for a person."""
        when = self.at.isoformat(timespec="minutes")
        if self.at.time() == _dt.time(0):  # the year's end: 31 December 24:00
            when = f"{(self.at - _dt.timedelta(days=1)).date().isoformat()} 24:00"
        return (
            f"{self.plans:,} plans, {self.contents:,} contents; completion at "
            f"{when}: {self.done:,} done, "
            f"{self.in_progress:,} in progress, {self.not_started:,} not started"
        )


def plans_summary(store: CaseStore, at: _dt.datetime) -> PlansSummary:
    """Every plan in ``store`` and the completion of its contents at ``at``, added up
    (:func:`~discipline_flow.planning.plan_completion`)."""
    totals = {"done": 0, "in_progress": 0, "not_started": 0}
    plans = 0
    for summary in store.query(workflow=PLAN_WORKFLOW):
        plans += 1
        for status, n in plan_completion(store, summary.id, at=at).counts().items():
            totals[status] += n
    return PlansSummary(plans, sum(totals.values()), at=at, **totals)
