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
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any

from discipline_flow.case import Case, StepKind
from discipline_flow.clock import require_aware
from discipline_flow.diagrams._options import Language, as_language
from discipline_flow.diagrams._text import word
from discipline_flow.diagrams.mermaid import CURRENT_STYLE, mermaid_text
from discipline_flow.errors import InputError
from discipline_flow.time.deadline import Deadline, DeadlineRule, DeadlineStatus

__all__ = ["case_timeline", "matter_tree"]

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


def _deadline_line(
    deadline: Deadline,
    number: int,
    now: _dt.datetime,
    lang: Language,
    rules: dict[str, DeadlineRule],
) -> str:
    rule = rules.get(deadline.rule)
    if rule is not None:
        text = rule.label_vi if lang is Language.VI else rule.label_en
        name = text or deadline.rule
    else:
        name = deadline.rule
    status = deadline.status(now)
    start = deadline.started_at.date()
    due = deadline.due_on
    end = max(due, start + _ONE_DAY)
    tags: list[str] = []
    label = f"{name}, {word('due', lang)} {due.isoformat()}"
    if deadline.met_at is not None:
        met_on = deadline.met_at.date()
        label += f", {word('met', lang)} {met_on.isoformat()}"
        tags.append("done")
        if met_on > due:
            tags.append("crit")
    elif deadline.cancelled_at is not None:
        label += f", {word('cancelled', lang)} {deadline.cancelled_at.date().isoformat()}"
        tags.append("done")
    elif status is DeadlineStatus.OVERDUE:
        label += f", {word('overdue', lang)}"
        tags.append("crit")
    else:
        if status is DeadlineStatus.DUE_SOON:
            label += f", {word('due_soon', lang)}"
            tags.append("crit")
        elif status is DeadlineStatus.PAUSED:
            label += f", {word('paused', lang)}"
        tags.append("active")
    data = ", ".join([*tags, f"d{number}", start.isoformat(), end.isoformat()])
    return f"    {mermaid_text(label)} :{data}"


def case_timeline(case: Case[Any, Any], *, now: _dt.datetime, lang: Language | str = "en") -> str:
    """The Mermaid ``gantt`` of ``case`` as it stands at ``now``.

    States are bars from the day the case entered them to the day it left (or ``now``); each
    deadline is a bar from its start to its due day, tagged ``done`` when met or cancelled,
    ``crit`` when overdue, met late or due soon, ``active`` while it runs; steps and ``now`` are
    milestones. Dates are days in the workflow's timezone.
    """
    now = require_aware(now, "now")
    language = as_language(lang)
    if not isinstance(case, Case):
        raise InputError("case", f"expected a Case, got {type(case).__name__}")
    zone = zoneinfo.ZoneInfo(case.workflow.timezone)

    def day(at: _dt.datetime) -> _dt.date:
        return at.astimezone(zone).date()

    today = day(now)
    out = [
        f"%% case {mermaid_text(case.id)} ({mermaid_text(case.workflow.key)})",
        "gantt",
        f"    title {mermaid_text(_title(case, language))}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %d/%m/%Y",
        "    todayMarker off",
        f"    section {word('states', language)}",
    ]
    entries = [
        (day(step.at), step.target) for step in case.steps if step.kind is not StepKind.RECALCULATE
    ]
    for number, (entered, state) in enumerate(entries):
        left = entries[number + 1][0] if number + 1 < len(entries) else max(today, entered)
        end = max(left, entered + _ONE_DAY)
        is_last = number + 1 == len(entries)
        tags = "active, " if is_last and not case.workflow.is_terminal(state) else ""
        label = mermaid_text(case.workflow.label_of(state, language.value))
        out.append(f"    {label} :{tags}s{number}, {entered.isoformat()}, {end.isoformat()}")
    if case.deadlines:
        out.append(f"    section {word('deadline_section', language)}")
        rules = {rule.name: rule for rule in case.workflow.deadline_rules}
        for number, deadline in enumerate(case.deadlines):
            out.append(_deadline_line(deadline, number, now, language, rules))
    out.append(f"    section {word('steps', language)}")
    for number, step in enumerate(case.steps):
        label = mermaid_text(_step_label(case, number, language))
        out.append(f"    {label} :milestone, m{number}, {day(step.at).isoformat()}, 0d")
    out.append(
        f"    {mermaid_text(word('now', language).capitalize())} :milestone, crit, now, "
        f"{today.isoformat()}, 0d"
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
