"""Case timelines draw one bar per stay in a state: no state twice in a row, no two bars overlapping.

Cases are driven through the shipped workflows of the demo's kinds (supervision, inspection,
discipline, complaint, suspension, removal, remediation, asset verification), along the routes
``tests/shipped_cases.py`` finds to every reachable state, with gaps between the moves that mix
moves on the same day (stays shorter than the chart's day), moves hours apart across midnight and
moves days apart; self-loops (extensions, approvals, progress reports) are on those routes.

The hand-worked supervision below is the one issue 17 reported (``Assessing`` drawn twice, bars
overlapping because a same-day stay was stretched to a day). Its deadline:
``thematic_supervision_period`` for a provincial body, 30 working days from the day the report was
received, the day itself not counted (HD 02-HD/UBKTTW for QĐ 86-QĐ/TW; Civil Code 2015 art. 147):
received Thu 28/9/2023 → Fri 29/9 = 1, the weeks of 2/10 to 3/11 = 25 more (26), Mon 6/11 to
Thu 9/11 = 30: due 2023-11-09 (no holiday falls in it); extended by 5 working days (one extension
of at most a third, 10 days): Fri 10/11, Mon 13/11 to Thu 16/11: due **2023-11-16**.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import attrs
import pendulum
import pytest

from discipline_flow import Case
from discipline_flow.diagrams import case_timeline, timeline_of
from discipline_flow.errors import DisciplineFlowError
from discipline_flow.testing.clock import later
from discipline_flow.time import Period
from html_report_inputs import supervision_case
from shipped_cases import Route, routes_of, shipped, start_of

TZ = "Asia/Ho_Chi_Minh"

#: The demo's kinds of case (its showcase draws a decision, a complaint and a thematic
#: supervision), under the ruleset of the demo's year and the one after the district level ended.
PROCESSES = [
    ("thematic_supervision_provincial", "2022"),
    ("thematic_supervision_district", "2022"),
    ("inspection", "2022"),
    ("member_discipline", "2022"),
    ("organisation_discipline", "2022"),
    ("complaint", "2022"),
    ("party_activity_suspension", "2022"),
    ("removal_from_rolls", "2022"),
    ("remediation", "2022"),
    ("asset_verification", "2022"),
    ("member_discipline", "2026"),
    ("thematic_supervision_grassroots", "2026"),
]

#: Gaps before each move, in turn: the same instant, across midnight, days, the same day again.
GAPS = (
    dt.timedelta(0),
    dt.timedelta(hours=16),
    dt.timedelta(days=3),
    dt.timedelta(hours=1),
    dt.timedelta(days=12),
)

_ROW = re.compile(r"^    (?P<label>.+) :(?P<data>[^:]+)$")


@attrs.frozen
class Row:
    """One row of the gantt's states section."""

    label: str
    start: dt.date
    end: dt.date  # exclusive; equal to start for a milestone
    is_milestone: bool


def state_rows(gantt: str) -> list[Row]:
    """The rows of the states' section (the first) of a Mermaid gantt, parsed from its text."""
    lines = gantt.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    section ")) + 1
    rows: list[Row] = []
    for line in lines[start:]:
        if line.startswith("    section "):
            break
        found = _ROW.match(line)
        assert found is not None, line
        data = [part.strip() for part in found["data"].split(",")]
        begin = dt.date.fromisoformat(data[-2])
        if data[-1] == "0d":
            assert "milestone" in data, line
            rows.append(Row(found["label"], begin, begin, True))
        else:
            rows.append(Row(found["label"], begin, dt.date.fromisoformat(data[-1]), False))
    return rows


def assert_drawn_properly(gantt: str) -> list[Row]:
    rows = state_rows(gantt)
    assert rows, gantt
    for before, after in itertools.pairwise(rows):
        assert before.label != after.label, f"{before.label} twice in a row:\n{gantt}"
        assert before.end <= after.start, f"{before} overlaps {after}:\n{gantt}"
    for row in rows:
        assert row.is_milestone or row.start < row.end, row
    return rows


def spaced(process: str, ruleset: str, route: Route, shift: int) -> Case[Any, Any] | None:
    """A fresh case along ``route`` with the gaps of :data:`GAPS` (from ``shift``) between its
    moves; None when a guard refuses a move so late (a limitation period, a waiting time)."""
    workflow = shipped(process, ruleset)
    at = start_of(workflow)
    opening = route.opening
    case = workflow.open(opening.subject, at=at, actor=opening.actor, payload=opening.payload)
    try:
        for number, move in enumerate(route.moves):
            at = at + GAPS[(number + shift) % len(GAPS)]
            if move.given.wait is not None:
                at = later(at, Period.parse(move.given.wait), workflow.get_calendar())
            case.fire(move.trigger, at=at, actor=move.given.actor, payload=move.given.payload)
    except DisciplineFlowError:
        return None
    return case


@pytest.mark.parametrize(("process", "ruleset"), PROCESSES)
def test_shipped_cases_draw_one_bar_per_stay(process: str, ruleset: str) -> None:
    routes = [route for found in routes_of(process, ruleset).values() for route in found]
    drawn = 0
    self_loops = 0
    for number, route in enumerate(routes):
        for shift in (0, 2):
            case = spaced(process, ruleset, route, number + shift)
            if case is None:
                continue
            now = pendulum.instance(case.last_at).add(days=5)
            for lang in ("en", "vi"):
                gantt = case_timeline(case, now=now, lang=lang)
                rows = assert_drawn_properly(gantt)
            # one row per stay: the states entered, self-loops and recalculations left out
            moves = [s for s in case.steps[1:] if s.trigger is not None]
            loops = sum(1 for s in moves if s.source is s.target)
            self_loops += loops
            assert len(rows) == 1 + len(moves) - loops
            drawn += 1
    assert drawn >= len(routes)  # most routes replay with the gaps; every one draws properly
    if process in ("thematic_supervision_provincial", "member_discipline", "remediation"):
        assert self_loops > 0  # the routes do exercise self-loops


def test_the_issue_supervision_draws_assessing_once() -> None:
    case = supervision_case()
    # 30 working days from Thu 28/9/2023 and 5 more (see the module docstring)
    deadline = case.deadline("thematic_supervision_period")
    assert (deadline.started_at.date(), deadline.due_on) == (
        dt.date(2023, 9, 28),
        dt.date(2023, 11, 16),
    )
    gantt = case_timeline(case, now=pendulum.datetime(2023, 10, 30, 9, tz=TZ))
    states = gantt[gantt.index("    section States") : gantt.index("    section Deadlines")]
    # planned and report requested on the same day, received and assessed on the same day
    assert states == (
        "    section States\n"
        "    Planned :milestone, s0, 2023-09-20, 0d\n"
        "    Report requested :s1, 2023-09-20, 2023-09-28\n"
        "    Report received :milestone, s2, 2023-09-28, 0d\n"
        "    Assessing :s3, 2023-09-28, 2023-10-26\n"
        "    Concluded :active, s4, 2023-10-26, 2023-10-30\n"
    )
    # the extension stays a step, not a new bar
    assert "    Extend the supervision :milestone, m4, 2023-10-02, 0d\n" in gantt
    assert_drawn_properly(gantt)


def test_the_rows_the_html_report_draws_are_the_same_stays() -> None:
    case = supervision_case()
    timeline = timeline_of(case, now=pendulum.datetime(2023, 10, 30, 9, tz=TZ), lang="vi")
    assert [(bar.label, bar.entered_on.day, bar.left_on.day) for bar in timeline.stays] == [
        ("Đã có kế hoạch giám sát", 20, 20),
        ("Đã yêu cầu báo cáo", 20, 28),
        ("Đã nhận báo cáo", 28, 28),
        ("Đang xem xét, đánh giá", 28, 26),
        ("Đã kết luận giám sát", 26, 30),
    ]
    assert [bar.is_milestone for bar in timeline.stays] == [True, False, True, False, False]
    assert [bar.is_current for bar in timeline.stays] == [False] * 4 + [True]
