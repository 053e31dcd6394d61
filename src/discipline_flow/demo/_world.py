"""The synthetic city the demo runs in: its calendar, bodies, members, organisations, and the
helpers that drive one case through its workflow step by step.

Everything is derived from a member's or organisation's number, so the same id always names the
same person with the same cell and posts, in every shard and every run. Dates come from the
Vietnamese working-day calendar (:func:`~discipline_flow.time.default_calendar`): bodies act on
working days only, between 07:30 and 16:30 local time.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation
from discipline_flow.case import Case
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.demo._results import case_results
from discipline_flow.errors import DisciplineFlowError
from discipline_flow.planning import Plan
from discipline_flow.processes import shipped_workflows
from discipline_flow.reports.annual import level_of
from discipline_flow.reports.indicators import Count, PlanFigures
from discipline_flow.rules import Measure, Ruleset, default_registry, select_ruleset
from discipline_flow.store import SWEEP_ACTOR
from discipline_flow.time._dates import zone
from discipline_flow.time.calendar import default_calendar
from discipline_flow.time.deadline import DeadlineStatus
from discipline_flow.workflow import Workflow

__all__ = [
    "CITY",
    "Driver",
    "FromPlan",
    "Planned",
    "Tally",
    "World",
    "fire_any",
    "predicted_after_sweep",
]

#: How many of each the synthetic city has.
CITY = {
    "districts": 30,
    "grassroots_organisations": 2400,
    "cells_per_organisation": 12,
    "members_per_cell": 14,
}
_MEMBERS = (
    CITY["grassroots_organisations"] * CITY["cells_per_organisation"] * CITY["members_per_cell"]
)
_DAY_START = 7 * 60 + 30  # 07:30
_DAY_END = 16 * 60 + 30  # 16:30
_MINUTES = tuple(_dt.timedelta(minutes=m) for m in range(24 * 60))


class Tally:
    """What a shard generated, counted as the annual report counts it, and its results by
    indicator and acting level as :data:`~discipline_flow.reports.indicators.INDICATORS`
    defines them (plain dicts of frozen values: picklable)."""

    __slots__ = (
        "by_measure",
        "by_outcome",
        "by_process",
        "by_subject",
        "cases",
        "forms",
        "plans",
        "results",
        "steps",
    )

    def __init__(self) -> None:
        self.cases = 0
        self.steps = 0
        self.by_process: dict[str, int] = {}
        self.by_outcome: dict[str, dict[str, int]] = {}
        self.by_measure: dict[str, dict[str, int]] = {}
        self.by_subject: dict[str, dict[str, dict[str, int]]] = {}
        self.results: dict[str, dict[str, Count]] = {}
        self.forms: dict[str, dict[str, Count]] = {}
        self.plans: dict[str, PlanFigures] = {}

    def count_results(self, case: Case[Any, Any], start: _dt.datetime, end: _dt.datetime) -> None:
        """Count the results of ``case`` in ``[start, end)`` by indicator and level."""
        for key, level, count in case_results(case, start, end):
            if key.startswith("form:"):
                table = self.forms.setdefault(key[5:], {})
            else:
                table = self.results.setdefault(key, {})
            table[level] = table.get(level, Count()) + count

    def add_plan(self, level: str, figures: PlanFigures) -> None:
        """Count one plan of ``level``."""
        self.plans[level] = self.plans.get(level, PlanFigures()) + figures

    def add(self, case: Case[Any, Any], state: str, measure: Measure | None, steps: int) -> None:
        """Count one case in ``state`` (its state after the year-end sweep)."""
        name = case.workflow.name
        self.cases += 1
        self.steps += steps
        self.by_process[name] = self.by_process.get(name, 0) + 1
        outcomes = self.by_outcome.setdefault(name, {})
        outcomes[state] = outcomes.get(state, 0) + 1
        if measure is not None:
            measures = self.by_measure.setdefault(name, {})
            measures[measure.value] = measures.get(measure.value, 0) + 1
        kinds = self.by_subject.setdefault(name, {})
        levels = kinds.setdefault(case.subject.kind, {})
        level = level_of(case.subject)
        levels[level] = levels.get(level, 0) + 1

    def merge(self, other: Tally) -> None:
        """Add ``other``'s counts to this tally."""
        self.cases += other.cases
        self.steps += other.steps
        for name, n in other.by_process.items():
            self.by_process[name] = self.by_process.get(name, 0) + n
        for table, theirs in (
            (self.by_outcome, other.by_outcome),
            (self.by_measure, other.by_measure),
        ):
            for name, counts in theirs.items():
                mine = table.setdefault(name, {})
                for key, n in counts.items():
                    mine[key] = mine.get(key, 0) + n
        for name, kinds in other.by_subject.items():
            mine_kinds = self.by_subject.setdefault(name, {})
            for kind, levels in kinds.items():
                mine_levels = mine_kinds.setdefault(kind, {})
                for level, n in levels.items():
                    mine_levels[level] = mine_levels.get(level, 0) + n
        for mine_counts, their_counts in ((self.results, other.results), (self.forms, other.forms)):
            for key, by_level in their_counts.items():
                mine_by_level = mine_counts.setdefault(key, {})
                for level, count in by_level.items():
                    mine_by_level[level] = mine_by_level.get(level, Count()) + count
        for level, figures in other.plans.items():
            self.add_plan(level, figures)


#: How long a matter about a member may run, at most, in the demo (days).
_MATTER_SPAN_DAYS = 365


class World:
    """One shard's view of the city: its random numbers, its calendar and its bodies."""

    def __init__(self, year: int, rng: random.Random) -> None:
        self.year = year
        self.rng = rng
        self.tz = zone(DEFAULT_TIMEZONE)
        self.start = _dt.datetime(year, 1, 1, tzinfo=self.tz)
        self.end = _dt.datetime(year + 1, 1, 1, tzinfo=self.tz)
        cal = default_calendar()
        first = _dt.date(year, 1, 1).toordinal()
        last = _dt.date(year + 1, 12, 31).toordinal()
        days = [o for o in range(first, last + 1) if cal.is_working_day(_dt.date.fromordinal(o))]
        self._working = days
        self._index = {o: i for i, o in enumerate(days)}
        end_ordinal = _dt.date(year, 12, 31).toordinal()
        self._in_year = sum(1 for o in days if o <= end_ordinal)
        self._midnights: dict[int, _dt.datetime] = {}
        self._rulesets: dict[int, Ruleset] = {}
        self._workflows: dict[str, dict[str, Workflow[Any, Any]]] = {}

    # ------------------------------------------------------------------ time

    def day(self, *, before_end: int = 0) -> int:
        """A random working day of the year (its ordinal), at least ``before_end`` working days
        before the year's last one."""
        return self._working[self.rng.randrange(max(self._in_year - before_end, 1))]

    def late_day(self, within: int) -> int:
        """A random working day among the last ``within`` of the year (its ordinal): a case
        opened then is still in progress at the year's end."""
        return self._working[self._in_year - 1 - self.rng.randrange(max(within, 1))]

    def working_day_on_or_after(self, day: _dt.date) -> int:
        """The first working day on or after ``day`` (its ordinal)."""
        return self.later(day.toordinal(), 0)

    @property
    def first_day(self) -> int:
        """The year's first working day (its ordinal)."""
        return self._working[0]

    @property
    def last_day(self) -> int:
        """The year's last working day (its ordinal)."""
        return self._working[self._in_year - 1]

    def instant(self, ordinal: int, minute: int | None = None) -> _dt.datetime:
        """The instant at ``minute`` of the day (random office hours when None), local time."""
        if minute is None:
            minute = _DAY_START + int(self.rng.random() * (_DAY_END - _DAY_START))
        midnight = self._midnights.get(ordinal)
        if midnight is None:
            day = _dt.date.fromordinal(ordinal)
            midnight = _dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
            self._midnights[ordinal] = midnight
        # Wall-clock arithmetic: Viet Nam has had no daylight saving time since 1975.
        return midnight + _MINUTES[minute]

    def later(self, ordinal: int, working_days: int) -> int:
        """The working day ``working_days`` after ``ordinal`` (itself when 0 and a working day)."""
        i = self._index.get(ordinal)
        if i is None:
            cal = default_calendar()
            day = cal.add_working_days(_dt.date.fromordinal(ordinal), max(working_days, 1))
            return day.toordinal()
        return self._working[min(i + working_days, len(self._working) - 1)]

    # ------------------------------------------------------------------ rules and workflows

    def ruleset(self, ordinal: int) -> Ruleset:
        """The ruleset in force on the day ``ordinal``."""
        found = self._rulesets.get(ordinal)
        if found is None:
            found = self._rulesets[ordinal] = select_ruleset(_dt.date.fromordinal(ordinal))
        return found

    def ruleset_of(self, workflow: Workflow[Any, Any], ordinal: int) -> Ruleset:
        """The ruleset ``workflow`` was built from, which the guards of its cases judge by: a
        case opened from an older case keeps that case's version after a new ruleset took
        effect. The ruleset in force on ``ordinal`` for a workflow built from no named one."""
        name = workflow.ruleset
        return default_registry().get(name) if name is not None else self.ruleset(ordinal)

    def workflow(self, name: str, ordinal: int) -> Workflow[Any, Any] | None:
        """The shipped workflow ``name`` under the ruleset in force on ``ordinal`` (None if the
        process is not installed)."""
        ruleset = self.ruleset(ordinal)
        table = self._workflows.get(ruleset.name)
        if table is None:
            table = {wf.name: wf for wf in shipped_workflows(ruleset)}
            self._workflows[ruleset.name] = table
        return table.get(name)

    def has_district_level(self, ordinal: int) -> bool:
        """Whether the district level exists on ``ordinal`` (it ended on 1 July 2025)."""
        return self.ruleset(ordinal).has_district_level

    # ------------------------------------------------------------------ people and bodies

    def member_number(self) -> int:
        """A random member of the city."""
        return self.rng.randrange(_MEMBERS)

    def member(self, number: int, ordinal: int) -> Member:
        """Member ``number``: cell, probation, post and managing level follow from the number."""
        per_org = CITY["cells_per_organisation"] * CITY["members_per_cell"]
        org, rest = divmod(number, per_org)
        cell = rest // CITY["members_per_cell"]
        managed: Level | None = None
        if number % 97 == 0:
            managed = Level.PROVINCIAL
        elif number % 13 == 0:
            # A matter about the member may run for months: a district placement only where the
            # district level still exists a year later (it ended on 1 July 2025), so that no
            # decision of the matter falls under a ruleset without it.
            district = self.has_district_level(ordinal + _MATTER_SPAN_DAYS)
            managed = Level.DISTRICT if district else Level.PROVINCIAL
        return Member(
            f"m-{number:06d}",
            cell_id=f"cell-{org:04d}-{cell:02d}",
            is_probationary=number % 23 == 0,
            holds_post=number % 7 == 0,
            managed_by=managed,
        )

    def cell(self, member: Member) -> Body:
        """The party cell of ``member``."""
        return Body(BodyKind.PARTY_CELL, member.cell_id or "cell-0000-00", Level.GRASSROOTS)

    # The bodies of one organisation carry its id (their kinds tell them apart): that is how the
    # authority check knows an organisation's own bodies and those of its parent.
    def grassroots_committee(self, org: int) -> Body:
        """The grassroots committee of grassroots organisation ``org``."""
        return Body(BodyKind.GRASSROOTS_COMMITTEE, f"org-{org:04d}", Level.GRASSROOTS)

    def grassroots_commission(self, org: int) -> Body:
        """The inspection commission of grassroots organisation ``org``."""
        return Body(BodyKind.INSPECTION_COMMISSION, f"org-{org:04d}", Level.GRASSROOTS)

    def organisation_of(self, member: Member) -> int:
        """The number of the grassroots organisation ``member`` belongs to."""
        return int((member.cell_id or "cell-0000-00")[5:9])

    def district_of(self, org: int) -> int:
        """The district grassroots organisation ``org`` lies in."""
        return org % CITY["districts"]

    def district_body(self, district: int, kind: BodyKind) -> Body:
        """A district body (standing committee or inspection commission)."""
        return Body(kind, f"district-{district:02d}", Level.DISTRICT)

    def city_body(self, kind: BodyKind) -> Body:
        """A city (provincial-level) body."""
        return Body(kind, "city", Level.PROVINCIAL)

    def above(self, org: int, ordinal: int, kind: BodyKind) -> Body:
        """The body of ``kind`` directly above grassroots organisation ``org``: its district's,
        or the city's once the district level is gone."""
        if self.has_district_level(ordinal):
            return self.district_body(self.district_of(org), kind)
        return self.city_body(kind)

    def parent_body(self, organisation: Organisation, kind: BodyKind) -> Body:
        """The body of ``kind`` of the organisation directly above ``organisation`` (its
        ``parent_id``: a grassroots organisation, a district or the city)."""
        parent = organisation.parent_id or "city"
        if parent.startswith("org-"):
            level = Level.GRASSROOTS
        else:
            level = Level.DISTRICT if parent.startswith("district-") else Level.PROVINCIAL
        return Body(kind, parent, level)

    def successor(self, body: Body, ordinal: int) -> Body:
        """``body``, or the city body of its kind that took over its work once the district
        level ended (1 July 2025)."""
        if body.level is Level.DISTRICT and not self.has_district_level(ordinal):
            return self.city_body(body.kind)
        return body

    def organisation(self, org: int, ordinal: int, *, cell: int | None = None) -> Organisation:
        """Grassroots organisation ``org`` (or one of its cells) as a subject."""
        district = self.district_of(org)
        parent = f"district-{district:02d}" if self.has_district_level(ordinal) else "city"
        if cell is not None:
            return Organisation(
                f"cell-{org:04d}-{cell:02d}", Level.GRASSROOTS, parent_id=f"org-{org:04d}"
            )
        return Organisation(f"org-{org:04d}", Level.GRASSROOTS, parent_id=parent)

    def random_org(self) -> int:
        """A random grassroots organisation."""
        return self.rng.randrange(CITY["grassroots_organisations"])


@attrs.frozen
class Planned:
    """One inspection or supervision a plan schedules: on working day ``day``, ``actor`` acts on
    ``subject`` (of grassroots organisation ``org``)."""

    day: int
    actor: Body
    subject: Member | Organisation
    org: int


@attrs.frozen
class FromPlan:
    """The content ``key`` of the plan ``case`` a case is opened from; ``view`` is the plan as
    :meth:`~discipline_flow.planning.Plan.of` reads it, read once for all its cases."""

    case: Case[Any, Any]
    view: Plan
    key: str

    @classmethod
    def of(cls, case: Case[Any, Any]) -> Callable[[str], FromPlan]:
        """The contents of the plan ``case`` as it stands, by key."""
        view = Plan.of(case)
        return lambda key: cls(case, view, key)


class Driver:
    """Moves one case forward through the library (``fire``), one working day gap at a time.

    Steps that would fall after the year's end are not fired: the case stays where it is, as a
    case still open at the year's end. ``measure`` remembers the last measure given in a payload.
    """

    __slots__ = ("case", "day", "measure", "minute", "stopped", "world")

    def __init__(self, world: World, case: Case[Any, Any], ordinal: int, minute: int) -> None:
        self.world = world
        self.case = case
        self.day = ordinal
        self.minute = minute
        self.stopped = False
        self.measure: Measure | None = None

    @property
    def at(self) -> _dt.datetime:
        """The instant of the latest step."""
        return self.case.last_at

    def next_at(self, low: int, high: int) -> _dt.datetime | None:
        """The instant ``low``..``high`` working days after the latest step (None after the
        year's end). Zero days means later the same day when office hours allow."""
        w = self.world
        random = w.rng.random
        gap = low if high <= low else low + int(random() * (high - low + 1))
        if gap == 0 and self.minute < _DAY_END - 20:
            minute = self.minute + 5 + int(random() * 16)
            day = self.day
        else:
            day = w.later(self.day, gap if gap > 0 else 1)
            minute = _DAY_START + int(random() * (_DAY_END - _DAY_START))
        at = w.instant(day, minute)
        if at >= w.end:
            return None
        self.day, self.minute = day, minute
        return at

    def fire(
        self,
        trigger: str,
        actor: Body,
        payload: Mapping[str, Any] | None = None,
        *,
        gap: tuple[int, int] = (1, 3),
    ) -> bool:
        """Fire ``trigger`` after ``gap`` working days; False (and stop) past the year's end."""
        if self.stopped:
            return False
        at = self.next_at(*gap)
        if at is None:
            self.stopped = True
            return False
        self.case.fire(trigger, at=at, actor=actor, payload=payload)
        if payload is not None and "measure" in payload:
            value = payload["measure"]
            self.measure = value if isinstance(value, Measure) else Measure[str(value).upper()]
        return True


def fire_any(
    d: Driver,
    trigger: str,
    actors: Sequence[Body],
    payload: dict[str, Any] | None = None,
    *,
    gap: tuple[int, int] = (1, 3),
) -> Body | None:
    """Fire ``trigger`` by the first of ``actors`` the workflow accepts; return it (None past the
    year's end). When none is accepted the last one is fired anyway, so that
    :class:`~discipline_flow.errors.TransitionRefused` says why: the story is wrong, and saying
    so beats forcing the case."""
    if d.stopped or not actors:
        return None
    at = d.next_at(*gap)
    if at is None:
        d.stopped = True
        return None
    chosen = actors[-1]
    for actor in actors[:-1]:
        if not d.case.check(trigger, at=at, actor=actor, payload=payload):
            chosen = actor
            break
    d.case.fire(trigger, at=at, actor=chosen, payload=payload)
    if payload is not None and "measure" in payload:
        d.measure = Measure[str(payload["measure"]).upper()]
    return chosen


def predicted_after_sweep(case: Case[Any, Any], now: _dt.datetime) -> tuple[str, int]:
    """The state ``case`` will be in after a sweep at ``now``, and how many triggers it fires.

    Mirrors what a store's sweep does, through the library: every open deadline overdue at
    ``now`` whose rule has a miss trigger fires it, earliest first, on a copy of the case.
    """
    due = [
        (d.due_at, seq)
        for seq, d in enumerate(case.deadlines)
        if d.is_open and d.status(now) is DeadlineStatus.OVERDUE
    ]
    if not due:
        return case.state.name, 0
    rules = {r.name: r for r in case.workflow.deadline_rules}
    if not any(rules[case.deadlines[seq].rule].on_miss is not None for _, seq in due):
        return case.state.name, 0
    copy = case.as_of(case.last_at)
    fired = 0
    for _, seq in sorted(due):
        deadline = copy.deadlines[seq]
        rule = rules[deadline.rule]
        if rule.on_miss is None or deadline.status(now) is not DeadlineStatus.OVERDUE:
            continue
        try:
            copy.fire(
                rule.on_miss,
                at=now,
                actor=SWEEP_ACTOR,
                payload={"deadline": rule.name, "due_at": deadline.due_at},
            )
        except DisciplineFlowError:  # the store's sweep records a refusal and moves on
            continue
        fired += 1
    return copy.state.name, fired
