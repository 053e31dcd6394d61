"""One case over time (a Mermaid ``gantt``) and a matter of linked cases (a Mermaid flowchart).

:func:`case_timeline` draws the states a case passed through, its deadlines (due, met and overdue
marked against an explicit ``now``) and its steps as milestones. :func:`matter_tree` draws cases
linked by their origin: the case whose step opened another is its parent.

>>> import pendulum
>>> from discipline_flow import Member
>>> from discipline_flow.diagrams import matter_tree
>>> from discipline_flow.diagrams._examples import complaint_workflow, inspection_workflow
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> inspection = inspection_workflow().open(Member("m-1"), at=at, actor="person:clerk", case_id="I-1")
>>> complaint = complaint_workflow().open(
...     Member("m-1"), at=at, actor="person:clerk", case_id="K-1", parent=inspection)
>>> print(matter_tree([inspection, complaint]))
%% matter of 2 cases
flowchart TD
    c0["I-1<br/>Inspection on signs of violation (example)<br/>Signs detected"]
    c1["K-1<br/>Complaint about discipline (example)<br/>Filed"]
    c0 -->|Opened| c1
    classDef open fill:#fde68a,stroke:#b45309,stroke-width:3px
    class c0,c1 open
<BLANKLINE>
"""

from __future__ import annotations

import datetime as _dt
import enum
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from discipline_flow.case import Case, StepKind
from discipline_flow.clock import require_aware
from discipline_flow.diagrams._options import Language, as_language
from discipline_flow.diagrams._text import word
from discipline_flow.diagrams.mermaid import CURRENT_STYLE, mermaid_text
from discipline_flow.errors import InputError
from discipline_flow.time.deadline import Deadline, DeadlineRule, DeadlineStatus

__all__ = [
    "DeadlineBar",
    "StateBar",
    "StepMark",
    "Timeline",
    "case_timeline",
    "matter_tree",
    "timeline_of",
]

_ONE_DAY = _dt.timedelta(days=1)


def _title(case: Case[Any, Any], lang: Language) -> str:
    workflow = case.workflow
    name = workflow.label.text(lang.value) if workflow.label is not None else workflow.name
    return f"{case.id} · {name}"


def _step_label(case: Case[Any, Any], index: int, lang: Language) -> str:
    step = case.steps[index]
    if step.kind is StepKind.OPEN:
        return word("opened", lang).capitalize()
    if step.kind is StepKind.RECALCULATE or step.trigger is None:
        return "↻"
    return case.workflow.label_of(step.trigger, lang.value)


#: A deadline's outcome at ``now`` and the Mermaid tags it is drawn with.
_OUTCOME_TAGS: dict[str, tuple[str, ...]] = {
    "met": ("done",),
    "met_late": ("done", "crit"),
    "cancelled": ("done",),
    "overdue": ("crit",),
    "due_soon": ("crit", "active"),
    "paused": ("active",),
    "pending": ("active",),
}


@attrs.frozen
class StateBar:
    """One stay of a case in a state: from the day it entered the state to the day it left.

    ``left_on`` is exclusive (the day the next stay begins), so consecutive bars touch and never
    overlap. A stay that begins and ends on the same day is shorter than the chart's unit (a
    day): ``left_on == entered_on`` and it is drawn as a milestone on that day
    (:attr:`is_milestone`). ``is_current`` marks the stay a case that is still open is in.
    """

    state: str
    label: str
    entered_on: _dt.date
    left_on: _dt.date
    is_current: bool = False

    @property
    def is_milestone(self) -> bool:
        """Whether the stay lasted less than a day (drawn as a point, not a bar)."""
        return self.left_on <= self.entered_on


@attrs.frozen
class DeadlineBar:
    """A deadline drawn from the day it started to its due day.

    ``outcome`` is what the deadline is at ``now``: ``met``, ``met_late``, ``cancelled``,
    ``overdue``, ``due_soon``, ``paused`` or ``pending``; ``ended_on`` the day it was met or
    cancelled, if it was. ``end_on`` is the bar's exclusive end: the due day, or one day after the
    start for a deadline due the day it started (so that it keeps a visible bar).
    """

    rule: str
    name: str
    label: str
    started_on: _dt.date
    due_on: _dt.date
    end_on: _dt.date
    outcome: str
    ended_on: _dt.date | None = None


@attrs.frozen
class StepMark:
    """A step of the case, drawn as a milestone on its day."""

    label: str
    on: _dt.date


@attrs.frozen
class Timeline:
    """What a case's timeline shows at ``today``: one bar per stay in a state, the deadlines and
    the steps. Both :func:`case_timeline` (Mermaid) and the HTML report draw it."""

    case_id: str
    workflow_key: str
    title: str
    today: _dt.date
    stays: tuple[StateBar, ...]
    deadlines: tuple[DeadlineBar, ...]
    steps: tuple[StepMark, ...]


def _deadline_bar(
    deadline: Deadline,
    now: _dt.datetime,
    lang: Language,
    rules: dict[str, DeadlineRule],
) -> DeadlineBar:
    rule = rules.get(deadline.rule)
    if rule is not None:
        text = rule.label_vi if lang is Language.VI else rule.label_en
        name = text or deadline.rule
    else:
        name = deadline.rule
    status = deadline.status(now)
    start = deadline.started_at.date()
    due = deadline.due_on
    label = f"{name}, {word('due', lang)} {due.isoformat()}"
    ended_on: _dt.date | None = None
    if deadline.met_at is not None:
        ended_on = deadline.met_at.date()
        label += f", {word('met', lang)} {ended_on.isoformat()}"
        outcome = "met_late" if ended_on > due else "met"
    elif deadline.cancelled_at is not None:
        ended_on = deadline.cancelled_at.date()
        label += f", {word('cancelled', lang)} {ended_on.isoformat()}"
        outcome = "cancelled"
    elif status is DeadlineStatus.OVERDUE:
        label += f", {word('overdue', lang)}"
        outcome = "overdue"
    elif status is DeadlineStatus.DUE_SOON:
        label += f", {word('due_soon', lang)}"
        outcome = "due_soon"
    elif status is DeadlineStatus.PAUSED:
        label += f", {word('paused', lang)}"
        outcome = "paused"
    else:
        outcome = "pending"
    end = max(due, start + _ONE_DAY)
    return DeadlineBar(deadline.rule, name, label, start, due, end, outcome, ended_on)


def _stays(
    case: Case[Any, Any], today: _dt.date, lang: Language, day: Callable[[_dt.datetime], _dt.date]
) -> tuple[StateBar, ...]:
    entries: list[tuple[_dt.date, enum.Enum]] = []
    for step in case.steps:
        # A self-loop (an extension, a progress report) or a recalculation does not end a stay:
        # it is a step, drawn as a milestone in the steps' section.
        if step.kind is StepKind.RECALCULATE or (entries and entries[-1][1] is step.target):
            continue
        entries.append((day(step.at), step.target))
    workflow = case.workflow
    bars: list[StateBar] = []
    for number, (entered, state) in enumerate(entries):
        if number + 1 < len(entries):
            left = entries[number + 1][0]
        else:
            # Nothing follows the last stay: it runs to today and keeps at least a day's bar.
            left = max(today, entered + _ONE_DAY)
        is_current = number + 1 == len(entries) and not workflow.is_terminal(state)
        label = workflow.label_of(state, lang.value)
        bars.append(StateBar(state.name, label, entered, left, is_current))
    return tuple(bars)


def timeline_of(
    case: Case[Any, Any], *, now: _dt.datetime, lang: Language | str = "en"
) -> Timeline:
    """The rows of ``case``'s timeline as it stands at ``now``, in days of the workflow's timezone.

    Each stay in a state is one :class:`StateBar`: a self-loop (a trigger that keeps the state,
    such as an extension) does not split it, consecutive bars touch without overlapping, and a
    stay shorter than a day is a milestone. The last stay runs to ``now`` (at least one day).

    >>> import pendulum
    >>> from discipline_flow import Member
    >>> from discipline_flow.diagrams._examples import complaint_workflow
    >>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
    >>> case = complaint_workflow().open(Member("m-1"), at=at, actor="person:clerk", case_id="K-1")
    >>> _ = case.fire("ACCEPT", at=at.add(hours=2), actor="inspection_commission:ubkt")
    >>> _ = case.fire("RESOLVE", at=at.add(days=20), actor="inspection_commission:ubkt")
    >>> for bar in timeline_of(case, now=at.add(days=30)).stays:
    ...     print(bar.label, bar.entered_on, bar.left_on, bar.is_milestone)
    Filed 2025-03-03 2025-03-03 True
    Accepted 2025-03-03 2025-03-23 False
    Resolved 2025-03-23 2025-04-02 False
    """
    now = require_aware(now, "now")
    language = as_language(lang)
    if not isinstance(case, Case):
        raise InputError("case", f"expected a Case, got {type(case).__name__}")
    zone = zoneinfo.ZoneInfo(case.workflow.timezone)

    def day(at: _dt.datetime) -> _dt.date:
        return at.astimezone(zone).date()

    today = day(now)
    rules = {rule.name: rule for rule in case.workflow.deadline_rules}
    return Timeline(
        case_id=case.id,
        workflow_key=case.workflow.key,
        title=_title(case, language),
        today=today,
        stays=_stays(case, today, language, day),
        deadlines=tuple(_deadline_bar(d, now, language, rules) for d in case.deadlines),
        steps=tuple(
            StepMark(_step_label(case, number, language), day(step.at))
            for number, step in enumerate(case.steps)
        ),
    )


def case_timeline(case: Case[Any, Any], *, now: _dt.datetime, lang: Language | str = "en") -> str:
    """The Mermaid ``gantt`` of ``case`` as it stands at ``now`` (the rows of :func:`timeline_of`).

    Each stay in a state is one bar, from the day the case entered the state to the day it left
    it (or ``now``); a self-loop does not split a stay, and bars never overlap: a stay shorter
    than a day is drawn as a milestone on its day. Each deadline is a bar from its start to its
    due day, tagged ``done`` when met or cancelled, ``crit`` when overdue, met late or due soon,
    ``active`` while it runs; steps and ``now`` are milestones. Dates are days in the workflow's
    timezone.
    """
    timeline = timeline_of(case, now=now, lang=lang)
    language = as_language(lang)
    out = [
        f"%% case {mermaid_text(timeline.case_id)} ({mermaid_text(timeline.workflow_key)})",
        "gantt",
        f"    title {mermaid_text(timeline.title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %d/%m/%Y",
        "    todayMarker off",
        f"    section {word('states', language)}",
    ]
    for number, bar in enumerate(timeline.stays):
        label = mermaid_text(bar.label)
        entered = bar.entered_on.isoformat()
        if bar.is_milestone:
            out.append(f"    {label} :milestone, s{number}, {entered}, 0d")
            continue
        tags = "active, " if bar.is_current else ""
        out.append(f"    {label} :{tags}s{number}, {entered}, {bar.left_on.isoformat()}")
    if timeline.deadlines:
        out.append(f"    section {word('deadline_section', language)}")
        for number, deadline in enumerate(timeline.deadlines):
            tags = ", ".join([*_OUTCOME_TAGS[deadline.outcome], f"d{number}"])
            dates = f"{deadline.started_on.isoformat()}, {deadline.end_on.isoformat()}"
            out.append(f"    {mermaid_text(deadline.label)} :{tags}, {dates}")
    out.append(f"    section {word('steps', language)}")
    for number, step in enumerate(timeline.steps):
        label = mermaid_text(step.label)
        out.append(f"    {label} :milestone, m{number}, {step.on.isoformat()}, 0d")
    today = timeline.today.isoformat()
    out.append(
        f"    {mermaid_text(word('now', language).capitalize())} :milestone, crit, now, {today}, 0d"
    )
    return "\n".join(out) + "\n"


def matter_tree(cases: Iterable[Case[Any, Any]], *, lang: Language | str = "en") -> str:
    """A Mermaid flowchart of linked cases: each case, an arrow from the case that opened it.

    The arrow is labelled with the parent's step that opened the child. A parent that is not in
    ``cases`` is drawn dashed; closed cases are drawn rounded, open ones highlighted.
    """
    language = as_language(lang)
    items: Sequence[Case[Any, Any]] = list(cases)
    for item in items:
        if not isinstance(item, Case):
            raise InputError("cases", f"expected Case values, got {type(item).__name__}")
    ids = {case.id: f"c{i}" for i, case in enumerate(items)}
    if len(ids) != len(items):
        raise InputError("cases", "each case may appear once; two have the same id")
    out = [f"%% matter of {len(items)} cases", "flowchart TD"]
    missing: dict[str, str] = {}
    for case in items:
        origin = case.origin
        if origin is not None and origin.case_id not in ids and origin.case_id not in missing:
            missing[origin.case_id] = f"x{len(missing)}"
    for case in items:
        name = (
            case.workflow.label.text(language.value)
            if case.workflow.label is not None
            else case.workflow.name
        )
        parts = [case.id, name, case.workflow.label_of(case.state, language.value)]
        text = "<br/>".join(mermaid_text(p) for p in parts)
        shape = f'(["{text}"])' if case.is_closed else f'["{text}"]'
        out.append(f"    {ids[case.id]}{shape}")
    for case_id, node in missing.items():
        text = f"{mermaid_text(case_id)}<br/>({mermaid_text(word('not_shown', language))})"
        out.append(f'    {node}["{text}"]')
        out.append(f"    style {node} stroke-dasharray: 5 5")
    by_id = {case.id: case for case in items}
    for case in items:
        origin = case.origin
        if origin is None:
            continue
        parent = by_id.get(origin.case_id)
        source = ids.get(origin.case_id) or missing[origin.case_id]
        if parent is not None and 0 <= origin.step_index < len(parent.steps):
            label = mermaid_text(_step_label(parent, origin.step_index, language))
            out.append(f"    {source} -->|{label}| {ids[case.id]}")
        else:
            out.append(f"    {source} --> {ids[case.id]}")
    open_ids = [ids[c.id] for c in items if not c.is_closed]
    if open_ids:
        out.append(f"    classDef open {CURRENT_STYLE}")
        out.append(f"    class {','.join(open_ids)} open")
    return "\n".join(out) + "\n"
