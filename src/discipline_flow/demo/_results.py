"""The results a generated case counts for, as the definitions of
:data:`~discipline_flow.reports.indicators.INDICATORS` count them.

The generator counts what it made by the same rules a report of the year counts a store by, so
that the two can be compared: a thematic supervision counts when its ``CONCLUDE`` step falls in
the year, a disciplinary decision when the case entered ``IN_EFFECT`` in the year and was not
annulled by its end, and so on. Each result is counted at the acting level (the level of the
body that took the counted step; for a body without one, its kind's fixed level; for a person or
the system, the subject's level) and by subject (organisations, members, and of the members
those who sit on a committee).

>>> import datetime as dt
>>> from discipline_flow.actors import Body, BodyKind, Level, Member
>>> acting_level(Body(BodyKind.PARTY_CELL, "cell-1"), Member("m-1"))
'grassroots'
>>> acting_level(Body(BodyKind.PERSON, "m-1"), Member("m-1", managed_by=Level.PROVINCIAL))
'provincial'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from discipline_flow.actors import Body, Member, Organisation
from discipline_flow.case import Case
from discipline_flow.history import Step
from discipline_flow.planning import Plan
from discipline_flow.reports._plan_figures import figures_of
from discipline_flow.reports.annual import level_of
from discipline_flow.reports.indicators import Count, PlanFigures
from discipline_flow.store._digest import measure_in

__all__ = ["TALLIED", "acting_level", "case_results", "plan_figures", "subject_count"]

#: What each workflow's results count for: (indicator key, trigger fired or state entered,
#: conclusion outcomes that qualify or None for any). Thematic supervision, regular inspection,
#: discipline-work and finance inspection workflows are named by their prefix, the suspensions
#: (of party activity, of a committee member, of an organisation) by ``suspension``.
_RULES: Mapping[str, tuple[tuple[str, str, frozenset[str] | None], ...]] = {
    "regular_supervision": (
        ("supervision.regular.supervised", "CONCLUDE", None),
        ("supervision.regular.signs_found", "ESCALATE_TO_INSPECTION", None),
    ),
    "thematic_supervision": (
        ("supervision.thematic.supervised", "CONCLUDE", None),
        ("supervision.thematic.signs_found", "ESCALATE_TO_INSPECTION", None),
    ),
    "inspection": (
        ("inspection_on_signs.inspected", "CONCLUDE", None),
        (
            "inspection_on_signs.with_violations",
            "CONCLUDE",
            frozenset({"remediation", "discipline"}),
        ),
        ("inspection_on_signs.must_be_disciplined", "CONCLUDE", frozenset({"discipline"})),
    ),
    "regular_inspection": (
        ("regular_inspection.inspected", "CONCLUDE", None),
        (
            "regular_inspection.with_shortcomings",
            "CONCLUDE",
            frozenset({"remediation", "signs_of_violation", "discipline"}),
        ),
        ("regular_inspection.must_be_disciplined", "CONCLUDE", frozenset({"discipline"})),
    ),
    "finance_inspection": (
        ("finance_inspection.inspected", "CONCLUDE", None),
        (
            "finance_inspection.with_shortcomings",
            "CONCLUDE",
            frozenset({"remediation", "signs_of_violation", "discipline"}),
        ),
    ),
    "discipline_work_inspection": (
        ("discipline_work_inspection.inspected", "CONCLUDE", None),
        (
            "discipline_work_inspection.with_shortcomings",
            "CONCLUDE",
            frozenset({"remediation", "signs_of_violation", "discipline"}),
        ),
    ),
    "suspension": (("discipline.suspended", "SUSPENDED", None),),
    "removal_from_rolls": (("discipline.removed_from_rolls", "REMOVED", None),),
    "leaving_the_party": (("discipline.let_go", "LET_GO", None),),
    "asset_verification": (
        ("asset_verification.verified", "CONCLUDE", None),
        ("asset_verification.escalated", "ESCALATE_TO_INSPECTION", None),
    ),
}
_PREFIXES = (
    "thematic_supervision",
    "regular_inspection",
    "finance_inspection",
    "discipline_work_inspection",
)
_DISCIPLINE = frozenset({"member_discipline", "organisation_discipline"})

#: The indicator keys the generator's tally counts (the others it leaves to the report).
TALLIED: tuple[str, ...] = (
    *dict.fromkeys(key for rules in _RULES.values() for key, _, _ in rules),
    "discipline.disciplined",
)


def acting_level(actor: Body, subject: Member | Organisation) -> str:
    """The level a result is counted at: the actor's level; for a body without one, its kind's
    fixed level; for a person or the system (no level), the subject's level."""
    level = actor.kind.acting_level(actor.level)
    return level.value if level is not None else level_of(subject)


def subject_count(subject: Member | Organisation) -> Count:
    """One subject as a :class:`Count`: an organisation, or a member (and a committee member
    when the member sits on a committee)."""
    if isinstance(subject, Organisation):
        return Count(organisations=1)
    return Count(members=1, committee_members=1 if subject.committee_level is not None else 0)


def _family(name: str) -> str:
    """The rules of workflow ``name``: by its prefix for the workflows of one kind per level,
    ``suspension`` for every ``*_suspension``."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return prefix
    return "suspension" if name.endswith("_suspension") else name


def _matches(step: Step[Any, Any], what: str) -> bool:
    if step.trigger is not None and step.trigger.name == what:
        return True
    return step.target.name == what and (step.source is None or step.source.name != what)


def case_results(
    case: Case[Any, Any], start: _dt.datetime, end: _dt.datetime
) -> Iterable[tuple[str, str, Count]]:
    """The results ``case`` counts for in ``[start, end)``: (indicator key, acting level, count),
    one per counted step; for a disciplinary decision the key is ``discipline.disciplined`` and
    a second item ``("form:<measure>", level, count)`` gives its form in force at the end."""
    name = case.workflow.name
    steps = [s for s in case.steps if s.at < end]
    subject = case.subject
    one = subject_count(subject)
    if name in _DISCIPLINE:
        effect = next((s for s in steps if _matches(s, "IN_EFFECT")), None)
        if effect is None or not start <= effect.at or any(_matches(s, "ANNULLED") for s in steps):
            return
        level = acting_level(effect.actor, subject)
        yield "discipline.disciplined", level, one
        measure = measure_in(s.payload for s in reversed(steps))  # in force at the end
        if measure is not None:
            yield f"form:{measure.value}", level, one
        return
    for key, what, outcomes in _RULES.get(_family(name), ()):
        for step in steps:
            if step.at < start or not _matches(step, what):
                continue
            if outcomes is not None and step.payload.get("outcome") not in outcomes:
                continue
            yield key, acting_level(step.actor, subject), one


def plan_figures(case: Case[Any, Any], done: int) -> tuple[str, PlanFigures]:
    """The level of the plan ``case`` (its issuer's) and its figures, ``done`` of the contents
    in the plan finished: contents by kind, teams and the subjects they cover, in and outside
    the plan (as a report reads them from a store)."""
    plan = Plan.of(case)
    return acting_level(plan.issuer, case.subject), figures_of(plan, done)
