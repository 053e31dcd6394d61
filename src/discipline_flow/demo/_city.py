"""The city's standing committee's plan: the seed's, read from ``city_plan_2023.toml``.

The plan (12 contents, 6 inspection and 6 supervision, 17 teams for 17 organisations and 10
members; 6 teams outside the plan for 1 organisation and 5 members) is loaded with
:func:`~discipline_flow.planning.load_plan` and adopted on its day. Each inspection content is
a regular inspection (Charter Điều 30) of its subjects and each supervision content a thematic
supervision, opened by the standing committee in the content's first working days; each item
outside the plan is added on its day and is an inspection on signs of violation, four of which
end in discipline. Everything happens in the order of its day, so that each case opens after the
plan's latest step. For another year than 2023 the plan's days move to that year (to the next
working day where needed). The plan is the same at every scale.
"""

from __future__ import annotations

import datetime as _dt
import importlib.resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.actors import Level, Member, Organisation
from discipline_flow.case import Case
from discipline_flow.demo._kinds import regular_inspection
from discipline_flow.demo._matters import run_inspection
from discipline_flow.demo._results import plan_figures
from discipline_flow.demo._supervision import thematic
from discipline_flow.demo._world import Driver, FromPlan, Planned, World
from discipline_flow.planning import TIMEZONE, PlanContent, PlanDescription, PlanSubject, load_plan

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = ["CITY_PLAN_FILE", "OUT_OF_PLAN_OUTCOMES", "city_plan", "run_city_plan"]

#: The seed's city plan, shipped beside this module.
CITY_PLAN_FILE = "city_plan_2023.toml"

#: How the inspections outside the plan end, by content key: four members disciplined; the
#: organisation and the last member asked for remedies.
OUT_OF_PLAN_OUTCOMES = {
    "OP-01": "remediation",
    "OP-02": "discipline",
    "OP-03": "discipline",
    "OP-04": "discipline",
    "OP-05": "discipline",
    "OP-06": "remediation",
}


def _moved(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def city_plan(w: World) -> PlanDescription:
    """The seed's city plan, its days moved to the year of ``w`` (adoption and additions on
    working days)."""
    path = Path(str(importlib.resources.files("discipline_flow.demo") / CITY_PLAN_FILE))
    plan = load_plan(path)
    years = w.year - plan.adopted_on.year
    if years == 0:
        return plan

    def working(day: _dt.date) -> _dt.date:
        return _dt.date.fromordinal(w.working_day_on_or_after(_moved(day, years)))

    def content(item: PlanContent) -> PlanContent:
        return attrs.evolve(
            item,
            period_from=_moved(item.period_from, years),
            period_to=_moved(item.period_to, years),
        )

    return attrs.evolve(
        plan,
        id=plan.id.replace(str(plan.adopted_on.year), str(w.year)),
        year=w.year,
        adopted_on=working(plan.adopted_on),
        contents=tuple(content(c) for c in plan.contents),
        out_of_plan=tuple(
            attrs.evolve(i, added_on=working(i.added_on), content=content(i.content))
            for i in plan.out_of_plan
        ),
    )


def _subject(w: World, named: PlanSubject, day: int) -> tuple[Member | Organisation, int]:
    """A subject the plan names: a lower committee (of the level below the city's on ``day``),
    or a leader the city manages, who holds a post (with a cell of their own)."""
    number = int("".join(c for c in named.id if c.isdigit()) or 0)
    if named.kind == "organisation":
        level = Level.DISTRICT if w.has_district_level(day) else Level.GRASSROOTS
        return Organisation(named.id, level), number
    member = Member(
        named.id,
        cell_id=f"cell-{number:04d}-00",
        holds_post=True,
        managed_by=Level.PROVINCIAL,
    )
    return member, number


def run_city_plan(w: World, sink: Sink) -> Case[Any, Any]:
    """Adopt the city plan, carry out its contents and its items outside the plan in the order
    of their days, and count it; return the plan's case."""
    description = city_plan(w)
    plan = description.build(until=description.adopted_on)
    issuer = description.issuer
    events: list[tuple[int, int, PlanContent, _dt.date | None]] = []
    for order, content in enumerate(description.contents):
        start = w.working_day_on_or_after(content.period_from)
        events.append((w.later(start, w.rng.randrange(5)), order, content, None))
    for order, item in enumerate(description.out_of_plan, start=len(events)):
        day = w.working_day_on_or_after(item.added_on)
        events.append((day, order, item.content, item.added_on))
    done = 0
    source = FromPlan.of(plan)
    for day, _, content, added_on in sorted(events, key=lambda e: (e[0], e[1])):
        if added_on is not None:
            added_at = _dt.datetime.combine(added_on, _dt.time(9), tzinfo=TIMEZONE)
            data = {"content": content.to_payload()}
            plan.fire("ADD_OUT_OF_PLAN", at=added_at, actor=issuer, payload=data)
            source = FromPlan.of(plan)  # the plan has one more content
        drivers: list[Driver] = []
        for named in content.subjects:
            subject, org = _subject(w, named, day)
            planned = Planned(day, issuer, subject, org)
            if added_on is not None:
                drivers.append(_out_of_plan(w, sink, planned, source(content.key)))
            elif content.kind.value == "inspection":
                drivers.append(regular_inspection(w, sink, planned, source(content.key)))
            else:
                drivers.append(thematic(w, sink, planned, source(content.key)))
        done += added_on is None and all(d.case.is_closed for d in drivers)
    sink.done(sink.adopt(plan, w.first_day, 9 * 60))
    sink.tally.add_plan(*plan_figures(plan, done))
    return plan


def _out_of_plan(w: World, sink: Sink, item: Planned, source: FromPlan) -> Driver:
    """An inspection on signs of violation the standing committee adds during the year."""
    wf = w.workflow("inspection", item.day)
    assert wf is not None
    d = sink.open(wf, item.subject, item.actor, item.day, "INS", source=source)
    run_inspection(
        w,
        sink,
        d,
        item.org,
        "reports received during the year",
        OUT_OF_PLAN_OUTCOMES.get(source.key, "remediation"),
        inspectors=[item.actor],
        plan=source.case.id,
        quick=True,
    )
    return d
