"""Hand-made inputs of the HTML report's tests: the figures of a city's year shaped like the seed
(issue 17: supervision ~7,000 organisations and ~76,000 members, thematic 898 / 592, inspection on
signs of violation 2 / 26, discipline 1 / 145, 10 suspended, 14 removed, 7 let go, 172 asset
verifications; plans of 95 contents, 44 + 51), split by level by hand, and a thematic
supervision driven through the shipped workflow.

The totals the tests expect, worked out by hand from the numbers below:

- supervised (regular + thematic): organisations 120 + 1,500 + 5,380 + 40 + 300 + 558 = 7,898,
  members 900 + 15,000 + 60,100 + 30 + 200 + 362 = 76,592;
- disciplined: organisations 1, members 12 + 40 + 93 = 145 (committee members 7);
  by form, members: reprimand 4 + 20 + 60 = 84, warning 5 + 12 + 25 = 42, removal from post
  2 + 3 = 5, expulsion 1 + 5 + 8 = 14 (84 + 42 + 5 + 14 = 145); organisations: reprimand 1;
- deadlines of supervision: 880 on time of 880 + 12 + 6 = 898, 98.0 %;
- plans: contents 12 + 45 + 38 = 95 (inspection 6 + 20 + 18 = 44, supervision 6 + 25 + 20 =
  51), done 12 + 43 + 38 = 93, 97.9 %; teams 17 + 60 + 50 = 127.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum

from discipline_flow import Body, BodyKind, Case, Level, Member
from discipline_flow.processes.supervision import supervision_workflow
from discipline_flow.reports.indicators import Count, Indicators, PlanFigures
from discipline_flow.reports.period import Period
from discipline_flow.rules import default_registry

TZ = "Asia/Ho_Chi_Minh"
LEVELS = ("provincial", "district", "grassroots")
PROVINCIAL = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)


def year_2023() -> Indicators:
    """The year's figures (see the module docstring)."""
    return Indicators(
        period=Period.parse("2023"),
        levels=LEVELS,
        figures={
            "supervision.regular.supervised": {
                "provincial": Count(120, 900),
                "district": Count(1500, 15000),
                "grassroots": Count(5380, 60100, 300),
            },
            "supervision.thematic.supervised": {
                "provincial": Count(40, 30),
                "district": Count(300, 200),
                "grassroots": Count(558, 362),
            },
            "supervision.thematic.signs_found": {
                "district": Count(1, 10),
                "grassroots": Count(1, 16),
            },
            "inspection_on_signs.inspected": {
                "district": Count(1, 10),
                "grassroots": Count(1, 16, 2),
            },
            "inspection_on_signs.with_violations": {
                "district": Count(1, 9),
                "grassroots": Count(1, 14),
            },
            "inspection_on_signs.must_be_disciplined": {
                "district": Count(0, 6),
                "grassroots": Count(1, 10),
            },
            "inspection_on_signs.disciplined": {
                "district": Count(0, 5),
                "grassroots": Count(1, 9),
            },
            "discipline.disciplined": {
                "provincial": Count(0, 12),
                "district": Count(0, 40),
                "grassroots": Count(1, 93, 7),
            },
            "discipline.suspended": {"grassroots": Count(0, 10)},
            "discipline.removed_from_rolls": {"grassroots": Count(0, 14)},
            "discipline.let_go": {"grassroots": Count(0, 7)},
            "asset_verification.verified": {"provincial": Count(0, 172)},
        },
        discipline_by_form={
            "reprimand": {
                "provincial": Count(0, 4),
                "district": Count(0, 20),
                "grassroots": Count(1, 60),
            },
            "warning": {
                "provincial": Count(0, 5),
                "district": Count(0, 12),
                "grassroots": Count(0, 25),
            },
            "removal_from_post": {"provincial": Count(0, 2), "district": Count(0, 3)},
            "expulsion": {
                "provincial": Count(0, 1),
                "district": Count(0, 5),
                "grassroots": Count(0, 8),
            },
        },
        deadlines={
            "supervision": {"on_time": 880, "late": 12, "missed": 6},
            "inspection_on_signs": {"on_time": 26, "late": 2, "missed": 0},
            "discipline": {"on_time": 140, "late": 4, "missed": 1},
        },
        plans={
            "provincial": PlanFigures(1, 6, 6, 17, Count(17, 10), 6, Count(1, 5), 12),
            "district": PlanFigures(12, 20, 25, 60, Count(100, 80), 3, Count(2, 4), 43),
            "grassroots": PlanFigures(30, 18, 20, 50, Count(60, 120), 0, Count(), 38),
        },
    )


def year_2022() -> Indicators:
    """The year before, for the comparison: 2 organisations and 130 members disciplined."""
    return Indicators(
        period=Period.parse("2022"),
        levels=LEVELS,
        figures={"discipline.disciplined": {"grassroots": Count(2, 130)}},
    )


def supervision_case() -> Case[Any, Any]:
    """A provincial thematic supervision of 2023: planned and asked for its report on 20/9, the
    report received and assessed on 28/9, the supervision extended on 2/10, concluded on 26/10."""
    workflow = supervision_workflow(default_registry().get("2022"), PROVINCIAL, thematic=True)

    def on(month: int, day: int, hour: int = 9) -> pendulum.DateTime:
        return pendulum.datetime(2023, month, day, hour, tz=TZ)

    case = workflow.open(Member("m-1"), at=on(9, 20), actor=PROVINCIAL, case_id="GS-7")
    case.fire("REQUEST_REPORT", at=on(9, 20, 10), actor=PROVINCIAL)
    case.fire("RECEIVE_REPORT", at=on(9, 28), actor=PROVINCIAL)
    case.fire("START_ASSESSMENT", at=on(9, 28, 15), actor=PROVINCIAL)
    case.fire(
        "EXTEND_SUPERVISION",
        at=on(10, 2),
        actor=PROVINCIAL,
        payload={"extend_by": "5 working days", "reason": "late documents"},
    )
    case.fire("CONCLUDE", at=on(10, 26), actor=PROVINCIAL, payload={"signs_of_violation": False})
    return case


#: The instant the report's timelines are drawn at by default: the period's last second.
END_OF_2023 = dt.datetime(2023, 12, 31, 23, 59, 59, tzinfo=pendulum.timezone(TZ))
