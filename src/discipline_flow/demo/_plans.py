"""The plans of the demo: committees and commissions at every level adopt their year's
inspection and supervision plans in January, and open every thematic supervision and planned
inspection from a content of them.

:data:`PLANS` says who issues a plan and what its contents hold, at scale 1: with the city's
standing committee's plan (:mod:`~discipline_flow.demo._city`, 6 inspection and 6 supervision
contents) they make 95 contents, 44 inspection and 51 supervision, and every content is done by
31 December. The thematic supervisions they open are the year's 898 organisations and 592
members. Subjects scale with the scale (at least one per content); the plans and their contents
do not. Everything follows from the shard's random numbers, so the plans are the same whatever
the number of worker processes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.actors import Body, BodyKind, Organisation
from discipline_flow.case import Case
from discipline_flow.demo._destiny import scaled
from discipline_flow.demo._kinds import finance_inspection, regular_inspection
from discipline_flow.demo._matters import planned_inspection
from discipline_flow.demo._results import plan_figures
from discipline_flow.demo._supervision import thematic
from discipline_flow.demo._world import CITY, Driver, FromPlan, Planned, World
from discipline_flow.planning import PLAN_WORKFLOW, PlanDescription, plan_completion, read_content
from discipline_flow.store import CaseStore

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = [
    "PLANS",
    "RUNNERS",
    "SPANS",
    "Issuers",
    "PlansSummary",
    "Work",
    "draw_plans",
    "plans_summary",
    "run_plan",
    "split",
]

#: A content's runner: open the case of ``Planned`` from content ``key`` of the plan and drive
#: it to its end.
Runner = Callable[["World", "Sink", Planned, FromPlan], Driver]

#: The runner of each story a content may hold.
RUNNERS: dict[str, Runner] = {
    "thematic": thematic,
    "signs": planned_inspection,
    "finance": finance_inspection,
    "regular": regular_inspection,
}


@attrs.frozen
class Work:
    """The contents of one kind an issuer's plan holds: ``contents`` of them, of ``kind``
    (``supervision`` or ``inspection``) on ``topic``, run by the story ``story``, about
    ``organisations`` and ``members`` at scale 1 (over all the issuers of the row)."""

    story: str
    kind: str
    topic: str
    contents: int
    organisations: int = 0
    members: int = 0


@attrs.frozen
class Issuers:
    """``count`` bodies of one ``role`` that each adopt a plan of ``works``."""

    role: str
    count: int
    works: tuple[Work, ...]


#: The plans beside the city's, at scale 1. Thematic supervision: 136 + 750 organisations and
#: 89 + 200 + 300 members (with the city's 12 and 3: 898 and 592). Contents: 9 + 56 + 18 = 83
#: (38 inspection, 45 supervision; with the city's 6 + 6: 44 and 51).
PLANS: tuple[Issuers, ...] = (
    Issuers(
        "city_commission",
        1,
        (
            Work("thematic", "supervision", "Members' observance of the party's rules", 5, 136, 89),
            Work("signs", "inspection", "Members on signs of violation", 1, 0, 3),
            Work("finance", "inspection", "Party finances of lower committees", 3, 6, 0),
        ),
    ),
    Issuers(
        "district_commission",
        14,
        (
            Work("thematic", "supervision", "Leadership of the organisation's tasks", 2, 750, 200),
            Work("finance", "inspection", "Party finances of lower committees", 2, 28, 0),
        ),
    ),
    Issuers(
        "grassroots_committee",
        6,
        (
            Work("thematic", "supervision", "Members' duties and ethics", 2, 0, 300),
            Work("regular", "inspection", "Carrying out the year's resolutions", 1, 0, 12),
        ),
    ),
)


def split(total: int, parts: int) -> list[int]:
    """``total`` cut into ``parts`` near-equal whole parts, the larger first.

    >>> split(11, 3)
    [4, 4, 3]
    """
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _issuer(w: World, role: str, number: int) -> tuple[Body, list[int]]:
    """The body of the ``number``-th issuer of ``role`` and the grassroots organisations under
    it (a district's work goes to the city when the district level does not last the year)."""
    orgs = CITY["grassroots_organisations"]
    if role == "district_commission":
        district = 2 * number
        if w.has_district_level(w.last_day):
            body = w.district_body(district, BodyKind.INSPECTION_COMMISSION)
        else:
            body = w.city_body(BodyKind.INSPECTION_COMMISSION)
        return body, list(range(district, orgs, CITY["districts"]))
    if role == "grassroots_committee":
        org = 100 + 371 * number
        return w.grassroots_committee(org), [org]
    return w.city_body(BodyKind.INSPECTION_COMMISSION), list(range(orgs))


def _subjects(
    w: World, orgs: Sequence[int], organisations: int, members: int
) -> list[tuple[bool, int]]:
    """Distinct subjects under ``orgs``: (whether a member, its number), organisations first."""
    per_org = CITY["cells_per_organisation"] * CITY["members_per_cell"]
    chosen = w.rng.sample(list(orgs), min(organisations, len(orgs)))
    numbers: set[int] = set()
    while len(numbers) < members:
        numbers.add(w.rng.choice(orgs) * per_org + w.rng.randrange(per_org))
    return [(False, o) for o in chosen] + [(True, n) for n in sorted(numbers)]


def run_plan(
    w: World,
    sink: Sink,
    issuer: Body,
    contents: Sequence[tuple[Work, list[Planned]]],
) -> Case[Any, Any]:
    """Adopt ``issuer``'s plan of ``contents`` on the year's first working day (one team per
    content), open and drive every case of each content, then count the plan with its contents
    done; return the plan's case."""
    plan_id = sink.new_id("PLAN")
    described = []
    for number, (work, items) in enumerate(contents, start=1):
        key = f"ND-{number:02d}"
        team = {
            "id": f"{plan_id}-D{number:02d}",
            "decision": f"QĐ {number:02d}/{plan_id}",
            "leader": f"{issuer.id}-leader-{number:02d}",
            "members": [f"{issuer.id}-inspector-{number:02d}{x}" for x in "ab"],
        }
        subjects = [f"{p.subject.kind}:{p.subject.id}" for p in items]
        described.append(
            read_content(
                {
                    "key": key,
                    "kind": work.kind,
                    "topic": work.topic,
                    "subjects": subjects,
                    "from": _dt.date(w.year, 1, 1).isoformat(),
                    "to": _dt.date(w.year, 12, 31).isoformat(),
                    "teams": [team],
                }
            )
        )
    assert issuer.level is not None
    first = w.first_day
    case = PlanDescription(
        id=plan_id,
        issuer=issuer,
        organisation=Organisation(issuer.id, issuer.level),
        adopted_on=_dt.date.fromordinal(first),
        contents=tuple(described),
        title=f"Inspection and supervision plan of {issuer} for {w.year}",
    ).build()
    done = 0
    source = FromPlan.of(case)
    for (work, items), content in zip(contents, described, strict=True):
        drivers = [RUNNERS[work.story](w, sink, item, source(content.key)) for item in items]
        done += all(d.case.is_closed for d in drivers)
    sink.done(sink.adopt(case, first, 9 * 60))
    sink.tally.add_plan(*plan_figures(case, done))
    return case


def draw_plans(w: World, scale: float) -> list[tuple[Body, list[tuple[Work, list[Planned]]]]]:
    """The plans of :data:`PLANS` at ``scale``: each issuer and, per content, its work and the
    cases it will open (subject, day), drawn in advance."""
    plans = []
    for row in PLANS:
        for number in range(row.count):
            issuer, orgs = _issuer(w, row.role, number)
            contents: list[tuple[Work, list[Planned]]] = []
            for work in row.works:
                orgs_each = split(scaled(work.organisations, scale), row.count)[number]
                members_each = split(scaled(work.members, scale), row.count)[number]
                parts = zip(
                    split(orgs_each, work.contents),
                    split(members_each, work.contents),
                    strict=True,
                )
                for n_orgs, n_members in parts:
                    if n_orgs + n_members == 0:  # at a small scale: one subject at least
                        one = (1, 0) if work.organisations else (0, 1)
                        contents.append((work, _items(w, issuer, orgs, work, *one)))
                    else:
                        contents.append((work, _items(w, issuer, orgs, work, n_orgs, n_members)))
            plans.append((issuer, contents))
    return plans


def _items(
    w: World, issuer: Body, orgs: Sequence[int], work: Work, n_orgs: int, n_members: int
) -> list[Planned]:
    items = []
    for is_member, number in _subjects(w, orgs, n_orgs, n_members):
        day = w.day(before_end=SPANS[work.story])
        if is_member:
            member = w.member(number, day)
            items.append(Planned(day, issuer, member, w.organisation_of(member)))
        else:
            items.append(Planned(day, issuer, w.organisation(number, day), number))
    return items


#: The most working days a content's case may take, from its opening to its last counted step
#: and what follows from it (an inspection's disciplinary decisions): a case opened at least
#: this many working days before the year's end finishes in the year.
SPANS = {"thematic": 62, "signs": 130, "finance": 70, "regular": 70}


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
