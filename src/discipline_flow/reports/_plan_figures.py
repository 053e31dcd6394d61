"""The plans' figures of a period: plans adopted, their contents, teams and subjects, in and
outside the plans, and the contents done by the period's end, per level of the plans' issuers.

A plan is read with :class:`~discipline_flow.planning.Plan` as it stood at the period's end; a
content is done by the rule of :func:`~discipline_flow.planning.plan_completion` (every case
opened from it by then closed by then), from the cases the indicators' reading already found.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from discipline_flow.actors import BodyKind
from discipline_flow.case import Case
from discipline_flow.planning import (
    ContentKind,
    ContentStatus,
    Plan,
    PlanContent,
    content_key,
    content_progress,
)
from discipline_flow.reports.indicators import Count, PlanFigures
from discipline_flow.reports.period import Period
from discipline_flow.store._protocol import CaseStore

__all__ = ["figures_of", "plan_figures", "subjects_of"]

_BEFORE = _dt.timedelta(microseconds=1)
#: The bodies whose plans are a party committee's (the others are inspection commissions').
_COMMITTEES = frozenset(
    {
        BodyKind.COMMITTEE,
        BodyKind.STANDING_COMMITTEE,
        BodyKind.GRASSROOTS_COMMITTEE,
        BodyKind.PARTIAL_COMMITTEE,
        BodyKind.CELL_EXECUTIVE,
        BodyKind.PARTY_CELL,
        BodyKind.CENTRAL_COMMITTEE,
        BodyKind.POLITBURO,
        BodyKind.SECRETARIAT,
    }
)


def subjects_of(contents: Iterable[PlanContent]) -> Count:
    """The distinct organisations and members ``contents`` name (committee membership is not
    known from a plan: ``committee_members`` stays 0)."""
    seen = {subject for content in contents for subject in content.subjects}
    organisations = sum(1 for s in seen if s.kind == "organisation")
    return Count(organisations=organisations, members=len(seen) - organisations)


def plan_figures(
    store: CaseStore,
    plans: Sequence[tuple[str, str]],
    children: Mapping[str, Sequence[tuple[str, bool]]],
    period: Period,
    folded: Mapping[str, str],
) -> tuple[dict[str, PlanFigures], dict[str, PlanFigures]]:
    """The figures of the plans ``plans`` names (``(plan id, level)`` pairs, adopted in
    ``period``), by level: all of them, and those a party committee issued (not an inspection
    commission); ``children`` gives, per case id, the cases opened from it before the period's
    end and whether each was closed at the end."""
    if not plans:
        return {}, {}
    cases = store.load_many([plan_id for plan_id, _ in plans])
    opened_ids = [child for plan_id, _ in plans for child, _ in children.get(plan_id, ())]
    keys = {case.id: content_key(case) for case in store.load_many(opened_ids)}
    by_level: dict[str, PlanFigures] = {}
    by_committees: dict[str, PlanFigures] = {}
    for (plan_id, level), case in zip(plans, cases, strict=True):
        plan = Plan.of(_at_end(case, period))
        opened: dict[str, list[tuple[str, bool]]] = {}
        for child, closed in children.get(plan_id, ()):
            key = keys.get(child)
            if key is not None:
                opened.setdefault(key, []).append((child, closed))
        shown = folded.get(level, level)
        figures = _figures(plan, opened)
        by_level[shown] = by_level.get(shown, PlanFigures()) + figures
        if plan.issuer.kind in _COMMITTEES:
            by_committees[shown] = by_committees.get(shown, PlanFigures()) + figures
    return by_level, by_committees


def _at_end(case: Case[Any, Any], period: Period) -> Case[Any, Any]:
    """The plan as it stood at the period's end (items added later left out)."""
    if case.last_at < period.end:
        return case
    return case.as_of(period.end - _BEFORE)


def _figures(plan: Plan, opened: Mapping[str, list[tuple[str, bool]]]) -> PlanFigures:
    done = sum(
        1
        for item in content_progress(plan, opened)
        if not item.content.out_of_plan and item.status is ContentStatus.DONE
    )
    return figures_of(plan, done)


def figures_of(plan: Plan, done: int) -> PlanFigures:
    """The figures of one plan, ``done`` of its contents finished: its contents by kind, the
    teams and the subjects they cover, in and outside the plan."""
    inside = [c for c in plan.contents if not c.out_of_plan]
    outside = [c for c in plan.contents if c.out_of_plan]
    return PlanFigures(
        plans=1,
        inspection_contents=sum(1 for c in inside if c.kind is ContentKind.INSPECTION),
        supervision_contents=sum(1 for c in inside if c.kind is ContentKind.SUPERVISION),
        teams=sum(len(c.teams) for c in inside),
        subjects=subjects_of(inside),
        out_of_plan_teams=sum(len(c.teams) for c in outside),
        out_of_plan_subjects=subjects_of(outside),
        contents_done=done,
    )
