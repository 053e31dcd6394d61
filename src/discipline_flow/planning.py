"""Inspection and supervision plans: their contents and teams, the cases opened from them, and
their completion read from a store.

A plan is a case of the shipped ``inspection_plan`` workflow
(:mod:`discipline_flow.processes.inspection_plan`): its contents, teams, amendments and items
outside the plan are steps, hash-chained and stored like any case, with the same concurrency.
This module describes plans (in Python or TOML), builds them, opens the inspections and
supervisions of a content as cases linked to the plan, and computes a plan's completion at any
instant from what a store holds.

>>> import datetime as dt
>>> from discipline_flow import Body, BodyKind, Level, Organisation
>>> from discipline_flow.store import MemoryStore
>>> from discipline_flow.processes import shipped_registry, workflow_for
>>> btv = Body(BodyKind.STANDING_COMMITTEE, "btv-tu", Level.PROVINCIAL)
>>> plan = PlanDescription(
...     id="KH-2023", issuer=btv, organisation=Organisation("dang-bo-tp", Level.PROVINCIAL),
...     adopted_on=dt.date(2023, 1, 10),
...     contents=(read_content({"key": "ND-01", "kind": "supervision", "topic": "Working rules",
...                             "subjects": ["organisation:phuong-1", "organisation:phuong-2"],
...                             "from": "2023-03-01", "to": "2023-06-30"}),))
>>> case = plan.build()
>>> at = dt.datetime(2023, 3, 1, 9, tzinfo=TIMEZONE)
>>> first = open_from_plan(case, "ND-01", "organisation:phuong-1",
...                        workflow_for("thematic_supervision_provincial", at.date()),
...                        at=at, actor=btv, case_id="GS-1")
>>> store = MemoryStore(shipped_registry())
>>> store.save_many([(case, 0), (first, 0)])
2
>>> progress = plan_completion(store, "KH-2023", at=at)
>>> progress.counts()
{'done': 0, 'in_progress': 1, 'not_started': 0}
"""

from __future__ import annotations

import datetime as _dt
import enum
import sys
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from discipline_flow.actors import Body, Level, Member, Organisation
from discipline_flow.case import Case
from discipline_flow.clock import DEFAULT_TIMEZONE, require_aware
from discipline_flow.errors import InputError
from discipline_flow.processes import workflow_for
from discipline_flow.processes._plan_content import (
    ContentKind,
    PlanContent,
    PlanSubject,
    Team,
    contents_of,
    read_content,
)
from discipline_flow.processes.guards import levels_under
from discipline_flow.processes.inspection_plan import NAME as PLAN_WORKFLOW
from discipline_flow.processes.links import open_child
from discipline_flow.rules import select_ruleset
from discipline_flow.store import CaseStore
from discipline_flow.workflow import Workflow

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "PLAN_WORKFLOW",
    "TIMEZONE",
    "ContentKind",
    "ContentProgress",
    "ContentStatus",
    "OutOfPlan",
    "Plan",
    "PlanCompletion",
    "PlanContent",
    "PlanDescription",
    "PlanSubject",
    "Team",
    "content_key",
    "content_progress",
    "load_plan",
    "open_from_plan",
    "parse_plan",
    "plan_completion",
    "read_content",
]

#: The zone a plan's days are read in (its steps happen at 09:00 local time on their day).
TIMEZONE = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
_NINE = _dt.time(9)
#: The payload key a case opened from a plan holds its content's key under.
CONTENT_KEY = "plan_content"


def _at(day: _dt.date) -> _dt.datetime:
    return _dt.datetime.combine(day, _NINE, tzinfo=TIMEZONE)


@attrs.frozen
class OutOfPlan:
    """An item added outside the plan on ``added_on`` ("ngoài kế hoạch")."""

    added_on: _dt.date
    content: PlanContent


@attrs.frozen
class PlanDescription:
    """What a plan holds when it is adopted, and what is added to it later: Python values or a
    TOML file (:func:`load_plan`). :meth:`build` makes the plan's case."""

    id: str
    issuer: Body
    organisation: Organisation
    adopted_on: _dt.date
    contents: tuple[PlanContent, ...]
    out_of_plan: tuple[OutOfPlan, ...] = ()
    title: str = ""
    year: int | None = None

    def build(self, *, until: _dt.date | None = None) -> Case[Any, Any]:
        """The plan's case: opened, its contents added and adopted on :attr:`adopted_on`, then
        the items outside the plan added on their days (those up to ``until`` when given)."""
        at = _at(self.adopted_on)
        workflow = workflow_for(PLAN_WORKFLOW, self.adopted_on)
        opening = {"title": self.title, "year": self.year or self.adopted_on.year}
        case = workflow.open(
            self.organisation, at=at, actor=self.issuer, case_id=self.id, payload=opening
        )
        for content in self.contents:
            case.fire(
                "ADD_CONTENT", at=at, actor=self.issuer, payload={"content": content.to_payload()}
            )
        case.fire("ADOPT", at=at, actor=self.issuer)
        for item in sorted(self.out_of_plan, key=lambda i: i.added_on):
            if until is None or item.added_on <= until:
                data = {"content": item.content.to_payload()}
                case.fire("ADD_OUT_OF_PLAN", at=_at(item.added_on), actor=self.issuer, payload=data)
        return case


@attrs.frozen
class Plan:
    """A plan as its case holds it: who issued it, its state and its contents in order."""

    id: str
    issuer: Body
    organisation: str
    year: int | None
    title: str
    state: str
    contents: tuple[PlanContent, ...]

    @classmethod
    def of(cls, case: Case[Any, Any]) -> Plan:
        """The plan a case of the ``inspection_plan`` workflow holds."""
        if case.workflow.name != PLAN_WORKFLOW:
            raise InputError("case", f"case {case.id} is a {case.workflow.name}, not a plan")
        opening = case.steps[0].payload
        year = opening.get("year")
        return cls(
            case.id,
            case.steps[0].actor,
            case.subject.id,
            year if isinstance(year, int) else None,
            str(opening.get("title") or ""),
            case.state.name,
            tuple(contents_of(case.steps).values()),
        )

    def content(self, key: str) -> PlanContent:
        """The content called ``key``."""
        for content in self.contents:
            if content.key == key:
                return content
        known = ", ".join(c.key for c in self.contents) or "(none)"
        raise InputError("content", f"plan {self.id} has no content {key!r}; contents: {known}")

    @property
    def teams(self) -> tuple[Team, ...]:
        """Every team of every content."""
        return tuple(team for content in self.contents for team in content.teams)


def open_from_plan(
    plan: Case[Any, Any],
    key: str,
    subject: str | Member | Organisation,
    workflow: Workflow[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body | str,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    view: Plan | None = None,
) -> Case[Any, Any]:
    """Open the inspection or supervision of ``subject`` that content ``key`` of ``plan``
    schedules: a case of ``workflow`` linked to the plan (its origin), holding the content's key.

    ``subject`` is a :class:`Member` or :class:`Organisation`, or its ``kind:id`` as the plan
    names it (an organisation then gets the plan's level, a member no other detail). ``view``
    is the plan as :meth:`Plan.of` reads ``plan`` now: give it when opening many cases from a
    plan that does not change meanwhile, since reading a plan costs as much as its contents.
    """
    if view is None:
        view = Plan.of(plan)
    elif view.id != plan.id:
        raise InputError("view", f"the view is of plan {view.id}, not of plan {plan.id}")
    content = view.content(key)
    named = PlanSubject(subject.kind, subject.id) if not isinstance(subject, str) else None
    if named is None:
        kind, _, ident = str(subject).partition(":")
        named = PlanSubject(kind, ident)
    if named not in content.subjects:
        subjects = ", ".join(str(s) for s in content.subjects)
        raise InputError("subject", f"{named} is not a subject of {key}; subjects: {subjects}")
    if isinstance(subject, str):
        level = _level_below(plan.subject, at.date())
        subject = Member(named.id) if named.kind == "member" else Organisation(named.id, level)
    data = {**(payload or {}), CONTENT_KEY: key}
    return open_child(
        plan, workflow, at=at, actor=actor, subject=subject, case_id=case_id, payload=data
    )


def _level_below(organisation: object, on: _dt.date) -> Level:
    """The level directly below the plan's organisation among those the rules in force on
    ``on`` have (no district level from 1 July 2025): where a plan's lower organisations sit
    unless given as Organisation values."""
    level = organisation.level if isinstance(organisation, Organisation) else Level.GRASSROOTS
    lower = [lv for lv in levels_under(select_ruleset(on)) if lv.rank < level.rank]
    return max(lower, key=lambda lv: lv.rank) if lower else Level.GRASSROOTS


class ContentStatus(enum.Enum):
    """Where a content stands: no case opened yet, cases running, or every case finished."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@attrs.frozen
class ContentProgress:
    """One content and the cases opened from it by the instant asked about."""

    content: PlanContent
    status: ContentStatus
    case_ids: tuple[str, ...]


@attrs.frozen
class PlanCompletion:
    """A plan's completion at ``at``: each content's progress, in the plan's order."""

    plan: Plan
    at: _dt.datetime
    items: tuple[ContentProgress, ...]

    def counts(self, *, out_of_plan: bool | None = None) -> dict[str, int]:
        """How many contents are done, in progress and not started (only those outside the plan,
        or only those in it, when ``out_of_plan`` says so)."""
        chosen = [i for i in self.items if out_of_plan in (None, i.content.out_of_plan)]
        return {
            s.value: sum(1 for i in chosen if i.status is s)
            for s in (ContentStatus.DONE, ContentStatus.IN_PROGRESS, ContentStatus.NOT_STARTED)
        }

    @property
    def is_complete(self) -> bool:
        """Whether every content of the plan (outside it included) is done."""
        return all(i.status is ContentStatus.DONE for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return {
            "plan": self.plan.id,
            "issuer": str(self.plan.issuer),
            "year": self.plan.year,
            "state": self.plan.state,
            "at": self.at.isoformat(),
            "in_plan": self.counts(out_of_plan=False),
            "out_of_plan": self.counts(out_of_plan=True),
            "teams": len(self.plan.teams),
            "contents": [
                {
                    "key": i.content.key,
                    "kind": i.content.kind.value,
                    "out_of_plan": i.content.out_of_plan,
                    "status": i.status.value,
                    "cases": list(i.case_ids),
                }
                for i in self.items
            ],
        }

    def text(self) -> str:
        """A few lines for a person."""
        inside, outside = self.counts(out_of_plan=False), self.counts(out_of_plan=True)
        n_in, n_out = sum(inside.values()), sum(outside.values())
        return (
            f"plan {self.plan.id} ({self.plan.state.lower()}, {self.plan.issuer}) at "
            f"{self.at.date().isoformat()}: {n_in} contents, {inside['done']} done, "
            f"{inside['in_progress']} in progress, {inside['not_started']} not started; "
            f"{n_out} outside the plan, {outside['done']} done; {len(self.plan.teams)} teams"
        )


def plan_completion(
    store: CaseStore, plan_id: str, *, at: _dt.datetime | None = None
) -> PlanCompletion:
    """The completion of plan ``plan_id`` read from ``store``: as stored now, or as it stood at
    ``at`` (the plan then, and the cases opened from its contents by then). A content is done
    when every case opened from it has reached a terminal state."""
    if at is not None:
        at = require_aware(at, "at")
    plan_case = store.load(plan_id) if at is None else store.as_of(plan_id, at)
    plan = Plan.of(plan_case)
    latest = plan_case.last_at
    opened: dict[str, list[tuple[str, bool]]] = {}
    for summary in store.linked(plan_id):
        if summary.origin_case_id != plan_id or (at is not None and summary.opened_at > at):
            continue  # a case opened by a case of the plan, or after the instant asked about
        case = store.load(summary.id) if at is None else store.as_of(summary.id, at)
        latest = max(latest, case.last_at)
        key = content_key(case)
        if key is not None:
            opened.setdefault(key, []).append((case.id, case.is_closed))
    return PlanCompletion(plan, at if at is not None else latest, content_progress(plan, opened))


def content_key(case: Case[Any, Any]) -> str | None:
    """The key of the plan's content a case was opened from (:func:`open_from_plan`), if any."""
    key = case.steps[0].payload.get(CONTENT_KEY)
    return key if isinstance(key, str) else None


def content_progress(
    plan: Plan, opened: Mapping[str, list[tuple[str, bool]]]
) -> tuple[ContentProgress, ...]:
    """The progress of each content of ``plan``, given the cases opened from each (by content
    key: ``(case id, closed)`` pairs): done when every case opened from it is closed, in
    progress when some is not, not started without any (:func:`plan_completion`'s rule)."""
    items = []
    for content in plan.contents:
        cases = opened.get(content.key, [])
        if not cases:
            status = ContentStatus.NOT_STARTED
        elif all(done for _, done in cases):
            status = ContentStatus.DONE
        else:
            status = ContentStatus.IN_PROGRESS
        items.append(ContentProgress(content, status, tuple(case_id for case_id, _ in cases)))
    return tuple(items)


# ---------------------------------------------------------------------------- TOML


_PLAN_KEYS = frozenset(
    {
        "id",
        "title",
        "year",
        "issuer",
        "organisation",
        "level",
        "adopted_on",
        "content",
        "out_of_plan",
    }
)


def load_plan(path: str | Path) -> PlanDescription:
    """A plan described in the TOML file at ``path`` (see :func:`parse_plan`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError("plan", f"cannot read {path}: {error.strerror}") from None
    return parse_plan(text, where=str(path))


def parse_plan(text: str, *, where: str = "<plan>") -> PlanDescription:
    """A plan described in TOML: ``id``, ``title``, ``year``, ``issuer`` (``kind:id``),
    ``level`` (of the issuer and its organisation), ``organisation``, ``adopted_on``, then
    ``[[content]]`` tables (as :func:`read_content` reads them, with ``[[content.teams]]``) and
    ``[[out_of_plan]]`` tables (the same, with ``added_on``). Errors name ``where`` and the key.

    >>> parse_plan('id = "KH-1"\\nlevel = "county"', where="plan.toml")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: plan.toml: level: 'county' is not a level; levels: grassroots, district, provincial, central
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(where, f"not valid TOML: {error}") from None
    try:
        return _description(data)
    except InputError as error:
        raise InputError(f"{where}: {error.argument}", error.problem) from None


def _description(data: Mapping[str, Any]) -> PlanDescription:
    unknown = sorted(set(data) - _PLAN_KEYS)
    if unknown:
        raise InputError(unknown[0], f"unknown key; keys: {', '.join(sorted(_PLAN_KEYS))}")
    try:
        level = Level(data.get("level"))
    except ValueError:
        levels = ", ".join(lv.value for lv in Level)
        raise InputError(
            "level", f"{data.get('level')!r} is not a level; levels: {levels}"
        ) from None
    issuer = Body.parse(str(data.get("issuer", "")))
    adopted = data.get("adopted_on")
    if not isinstance(adopted, _dt.date) or isinstance(adopted, _dt.datetime):
        raise InputError("adopted_on", f"expected a date (2023-01-10), got {adopted!r}")
    contents = tuple(
        read_content(c, where=f"content[{i}]") for i, c in enumerate(data.get("content", []))
    )
    extra = []
    for i, item in enumerate(data.get("out_of_plan", [])):
        table = dict(item) if isinstance(item, Mapping) else {}
        added = table.pop("added_on", None)
        if not isinstance(added, _dt.date):
            raise InputError(f"out_of_plan[{i}].added_on", f"expected a date, got {added!r}")
        content = read_content(table, out_of_plan=True, where=f"out_of_plan[{i}]")
        extra.append(OutOfPlan(added, content))
    year = data.get("year")
    return PlanDescription(
        id=str(data.get("id") or ""),
        issuer=attrs.evolve(issuer, level=level),
        organisation=Organisation(str(data.get("organisation") or ""), level),
        adopted_on=adopted,
        contents=contents,
        out_of_plan=tuple(extra),
        title=str(data.get("title") or ""),
        year=year if isinstance(year, int) else None,
    )
