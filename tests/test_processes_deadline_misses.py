"""Every deadline rule of the shipped workflows seen missed, its due date worked out by hand.

A deadline never seen missed is a rule whose consequence was never tested. Each row below names
a deadline rule of a shipped process, the state a case is built in (the state that starts it, or
the one the starting move leads to) and the due date worked out by hand from the rule for a case
built on Monday 15 September 2025 at 9:00 (the toolkit's default clock). Every shipped workflow
version that has the rule is tested (the periods are the same in every ruleset): the deadline is
due on that day, still open (due soon) at 23:59 of it, and overdue from the first second of the next day
(the counting convention ends a period at 24:00 local time, Civil Code 2015 Điều 148). The
scenario that sees it overdue counts the miss for ``--df-coverage``.

Working days, from the official table (``time/data/vn_official.toml``): none off from
15 September to 31 December 2025; 1-2 January 2026 off, Saturday 10 January 2026 a make-up
working day; Tết 16-20 February 2026; 27 April 2026 (for Hùng Kings' day on Sunday 26 April),
30 April and 1 May 2026 off. Calendar-day periods exclude the start day and roll forward to the
next working day when they end on a day off (Civil Code 2015 Điều 147-148).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import default_registry
from discipline_flow.testing import Scenario

START = "2025-09-15T09:00:00+07:00"

#: (process, deadline rule) -> (the state to build, the due date worked out by hand).
DUE: dict[tuple[str, str], tuple[str, str]] = {
    # QĐ 30-QĐ/TW (2016) Điều 32 tiết 5.2.1: 90 working days from receipt. From Mon 15/9/2025:
    # 16-30/9 (11), October (34), November (54), December (77); 1-2/1 off, 5-9/1 (82), Sat 10/1
    # make-up (83), 12-16/1 (88), 19/1 (89), Tue 20/1/2026 (90).
    ("complaint", "resolution_period"): ("RESOLVING", "2026-01-20"),
    # The same article, 180 working days at the central level: after 20/1 (90), 21-30/1 (98),
    # 2-13/2 (108), Tết 16-20/2, 23/2-27/3 (133), 30/3-24/4 (153), 27/4 off, 28-29/4 (155),
    # 30/4-1/5 off, 4-29/5 (175), 1-5/6 (180): Fri 5/6/2026.
    ("complaint", "resolution_period_central"): ("RESOLVING_AT_CENTRAL_LEVEL", "2026-06-05"),
    # QĐ 22-QĐ/TW (denunciations at the grassroots): 90 working days, as the complaint above.
    ("denunciation_grassroots", "denunciation_resolution"): (
        "RECEIVED_BY_COMPETENT_BODY",
        "2026-01-20",
    ),
    # QĐ 164-QĐ/TW: 180 days from the team's decision: Sat 14/3/2026, rolled to Mon 16/3/2026.
    ("denunciation_central_cadre", "denunciation_resolution"): ("VERIFYING", "2026-03-16"),
    # QĐ 296-QĐ/TW Điều 8 mục 5: administrative follow-up within 5 days of the decision:
    # Sat 20/9/2025, rolled to Mon 22/9/2025.
    ("member_discipline", "administrative_follow_up"): ("DECIDED", "2025-09-22"),
    ("organisation_discipline", "administrative_follow_up"): ("DECIDED", "2025-09-22"),
    # HD 02-HD/UBKTTW (2017): a thematic supervision lasts 45 / 30 / 25 / 20 working days at the
    # central / provincial / district / grassroots level, from the receipt of the report:
    # 16/9-13/10 (20), 14-20/10 (25), 21-27/10 (30), 28/10-17/11/2025 (45).
    ("thematic_supervision_central", "thematic_supervision_period"): (
        "REPORT_RECEIVED",
        "2025-11-17",
    ),
    ("thematic_supervision_provincial", "thematic_supervision_period"): (
        "REPORT_RECEIVED",
        "2025-10-27",
    ),
    ("thematic_supervision_district", "thematic_supervision_period"): (
        "REPORT_RECEIVED",
        "2025-10-20",
    ),
    ("thematic_supervision_grassroots", "thematic_supervision_period"): (
        "REPORT_RECEIVED",
        "2025-10-13",
    ),
    # Điều lệ Đảng (2011) Điều 30 and 32: an inspection lasts 60 / 45 / 20 / 20 days at the
    # central / provincial / district / grassroots level, from its decision: Fri 14/11/2025,
    # Thu 30/10/2025, Sun 5/10/2025 rolled to Mon 6/10/2025.
    **{
        (f"{kind}_{level}", "inspection_period"): ("DECIDED", due)
        for kind in ("regular_inspection", "discipline_work_inspection", "finance_inspection")
        for level, due in (
            ("central", "2025-11-14"),
            ("provincial", "2025-10-30"),
            ("district", "2025-10-06"),
            ("grassroots", "2025-10-06"),
        )
    },
}

#: (workflow version, rule) of every shipped workflow version with a rule of the table.
VERSIONS = [
    (workflow.key, rule.name)
    for ruleset in default_registry()
    for workflow in shipped_workflows(ruleset)
    for rule in workflow.deadline_rules
    if (workflow.name, rule.name) in DUE
]


def test_every_row_names_a_shipped_rule() -> None:
    assert {(key.split("@", maxsplit=1)[0], rule) for key, rule in VERSIONS} == set(DUE)
    assert len(VERSIONS) == 102  # 99 seen missed nowhere else before these tests


@pytest.mark.parametrize(("key", "rule"), VERSIONS, ids=[f"{k}:{r}" for k, r in VERSIONS])
def test_a_deadline_is_missed_the_day_after_its_due_date(key: str, rule: str) -> None:
    state, due = DUE[(key.split("@", maxsplit=1)[0], rule)]
    run: Scenario[Any, Any] = Scenario(key).given(state, at=START)
    run.then(state=state, deadlines={rule: due})
    run.advance_to(f"{due}T23:59:00+07:00").then(deadlines={rule: "due_soon"})
    after = dt.date.fromisoformat(due) + dt.timedelta(days=1)
    run.advance_to(f"{after.isoformat()}T00:00:01+07:00").then(deadlines={rule: "overdue"})
