"""A case's gantt timeline and the matter tree of linked cases.

Deadline dates below are worked out by hand from the rule:

- ``resolve_complaint``: 90 working days from accepting the complaint (QĐ 30-QĐ/TW Điều 32
  tiết 5.2.1, assumed carried over), counted per Civil Code 2015 art. 147 (start day excluded).
  Accepted Wed 5/3/2025: 2 days to Fri 7/3, 20 in the four weeks to Fri 4/4, 4 in the week of
  Hùng Kings' day (Mon 7/4 off) = 26, 5 + 5 to Fri 25/4 = 36, Sat 26/4 a make-up working day = 37,
  Mon 28/4 and Tue 29/4 = 39 (30/4, 1/5 holidays, Fri 2/5 swapped off), then 10 full weeks from
  Mon 5/5 to Fri 11/7 = 89, Mon 14/7 = 90: due **2025-07-14**. Its last three working days
  (due soon) are Thu 10/7, Fri 11/7 and Mon 14/7.
- ``direct_handling``: 5 days from the resolution (QĐ 296-QĐ/TW Điều 8 mục 5), calendar days:
  resolved Mon 2/6/2025, days 3/6–7/6, Sat 7/6 is a rest day so it rolls forward to the next
  working day (Civil Code art. 148): due **2025-06-09**.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Member
from discipline_flow.diagrams import case_timeline, matter_tree
from discipline_flow.diagrams._examples import (
    ComplaintTrigger,
    InspectionTrigger,
    complaint_workflow,
    inspection_workflow,
)
from discipline_flow.errors import InputError, NaiveDatetimeError

HANOI = "Asia/Ho_Chi_Minh"
COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-1")


def at(year: int, month: int, day: int, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, tz=HANOI)


def accepted_case(case_id: str = "K-1") -> Any:
    case = complaint_workflow().open(
        Member("m-1"), at=at(2025, 3, 3), actor="person:clerk", case_id=case_id
    )
    case.fire(ComplaintTrigger.ACCEPT, at=at(2025, 3, 5), actor=COMMISSION)
    return case


def deadline_line(text: str) -> str:
    lines = text.splitlines()
    start = lines.index("    section Deadlines")
    return lines[start + 1]


def test_the_deadlines_are_the_hand_worked_dates() -> None:
    case = accepted_case()
    assert case.deadline("resolve_complaint").due_on == dt.date(2025, 7, 14)
    case.fire(ComplaintTrigger.RESOLVE, at=at(2025, 6, 2), actor=COMMISSION)
    assert case.deadline("direct_handling").due_on == dt.date(2025, 6, 9)


def test_gantt_of_a_case_with_an_overdue_deadline() -> None:
    text = case_timeline(accepted_case(), now=at(2025, 7, 20))
    assert text == (
        "%% case K-1 (example_complaint@1)\n"
        "gantt\n"
        "    title K-1 · Complaint about discipline (example)\n"
        "    dateFormat YYYY-MM-DD\n"
        "    axisFormat %d/%m/%Y\n"
        "    todayMarker off\n"
        "    section States\n"
        "    Filed :s0, 2025-03-03, 2025-03-05\n"
        "    Accepted :active, s1, 2025-03-05, 2025-07-20\n"
        "    section Deadlines\n"
        "    Resolve the complaint, due 2025-07-14, overdue :crit, d0, 2025-03-05, 2025-07-14\n"
        "    section Steps\n"
        "    Opened :milestone, m0, 2025-03-03, 0d\n"
        "    Accept :milestone, m1, 2025-03-05, 0d\n"
        "    Now :milestone, crit, now, 2025-07-20, 0d\n"
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # QĐ 30 Điều 32: 90 working days, due Mon 14/7/2025 (see the module docstring)
        (at(2025, 7, 9), "Resolve the complaint, due 2025-07-14 :active, d0"),
        (at(2025, 7, 10), "Resolve the complaint, due 2025-07-14, due soon :crit, active, d0"),
        (at(2025, 7, 14, 23), "Resolve the complaint, due 2025-07-14, due soon :crit, active, d0"),
        (at(2025, 7, 15, 0), "Resolve the complaint, due 2025-07-14, overdue :crit, d0"),
    ],
)
def test_deadline_status_against_now(now: pendulum.DateTime, expected: str) -> None:
    line = deadline_line(case_timeline(accepted_case(), now=now))
    assert line.startswith(f"    {expected}, 2025-03-05, 2025-07-14")


def test_a_met_deadline_is_done_and_a_later_one_overdue() -> None:
    case = accepted_case()
    case.fire(ComplaintTrigger.RESOLVE, at=at(2025, 6, 2), actor=COMMISSION)
    text = case_timeline(case, now=at(2025, 6, 20))
    lines = text.splitlines()
    assert (
        "    Resolve the complaint, due 2025-07-14, met 2025-06-02 :done, d0, 2025-03-05, 2025-07-14"
        in lines
    )
    # QĐ 296 Điều 8 mục 5: 5 days from 2/6/2025, rolled forward from Sat 7/6 to Mon 9/6
    assert (
        "    Direct the follow-up handling, due 2025-06-09, overdue :crit, d1, 2025-06-02, 2025-06-09"
        in lines
    )
    # a terminal state is not drawn as running
    assert "    Resolved :s2, 2025-06-02, 2025-06-20" in lines


def test_a_deadline_met_late_is_done_and_critical() -> None:
    case = accepted_case()
    case.fire(ComplaintTrigger.RESOLVE, at=at(2025, 7, 16), actor=COMMISSION)
    line = deadline_line(case_timeline(case, now=at(2025, 7, 20)))
    assert line == (
        "    Resolve the complaint, due 2025-07-14, met 2025-07-16 :done, crit, d0, "
        "2025-03-05, 2025-07-14"
    )


def test_a_withdrawn_case_shows_its_deadline_cancelled() -> None:
    case = accepted_case()
    case.fire(ComplaintTrigger.WITHDRAW, at=at(2025, 4, 1), actor="person:m-1")
    line = deadline_line(case_timeline(case, now=at(2025, 4, 2)))
    assert line == (
        "    Resolve the complaint, due 2025-07-14, cancelled 2025-04-01 :done, d0, "
        "2025-03-05, 2025-07-14"
    )


def test_timeline_in_vietnamese() -> None:
    text = case_timeline(accepted_case(), now=at(2025, 7, 20), lang="vi")
    assert "    title K-1 · Khiếu nại kỷ luật (ví dụ)" in text
    assert "    section Trạng thái" in text
    assert "    Đã thụ lý :active, s1, 2025-03-05, 2025-07-20" in text
    assert "    section Thời hạn" in text
    assert (
        "    Giải quyết khiếu nại, hạn 2025-07-14, quá hạn :crit, d0, 2025-03-05, 2025-07-14"
        in text
    )
    assert "    Thụ lý :milestone, m1, 2025-03-05, 0d" in text
    assert "    Hiện tại :milestone, crit, now, 2025-07-20, 0d" in text


def test_steps_on_the_same_day_keep_a_visible_bar_and_days_are_local() -> None:
    # 23:30 in Hanoi is 16:30 UTC the same day; 00:30 on 4/3 in Hanoi is 17:30 UTC on 3/3
    case = complaint_workflow().open(
        Member("m-1"), at=at(2025, 3, 3, 8), actor="person:clerk", case_id="K-2"
    )
    case.fire(
        ComplaintTrigger.ACCEPT,
        at=pendulum.datetime(2025, 3, 3, 17, 30, tz="UTC"),
        actor=COMMISSION,
    )
    text = case_timeline(case, now=pendulum.datetime(2025, 3, 3, 17, 45, tz="UTC"))
    assert "    Filed :s0, 2025-03-03, 2025-03-04" in text
    assert "    Accepted :active, s1, 2025-03-04, 2025-03-05" in text
    assert "    Now :milestone, crit, now, 2025-03-04, 0d" in text


def test_timeline_needs_an_aware_now_and_a_case() -> None:
    with pytest.raises(NaiveDatetimeError):
        case_timeline(accepted_case(), now=dt.datetime(2025, 7, 20))
    with pytest.raises(InputError, match="expected a Case, got str"):
        case_timeline("K-1", now=at(2025, 7, 20))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="languages: en, vi"):
        case_timeline(accepted_case(), now=at(2025, 7, 20), lang="fr")


# --------------------------------------------------------------------------- matter tree


def test_matter_tree_links_children_to_the_step_that_opened_them() -> None:
    inspection = inspection_workflow().open(
        Member("m-1"), at=at(2025, 3, 3), actor=COMMISSION, case_id="I-1"
    )
    inspection.fire(InspectionTrigger.DECIDE_INSPECTION, at=at(2025, 3, 4), actor=COMMISSION)
    first = complaint_workflow().open(
        Member("m-1"), at=at(2025, 3, 5), actor="person:m-1", case_id="K-1", parent=inspection
    )
    first.fire(ComplaintTrigger.WITHDRAW, at=at(2025, 3, 6), actor="person:m-1")
    second = complaint_workflow().open(
        Member("m-2"), at=at(2025, 3, 7), actor="person:m-2", case_id="K-2", parent=first
    )
    text = matter_tree([inspection, first, second])
    assert text == (
        "%% matter of 3 cases\n"
        "flowchart TD\n"
        '    c0["I-1<br/>Inspection on signs of violation (example)<br/>Inspection decided"]\n'
        '    c1(["K-1<br/>Complaint about discipline (example)<br/>Withdrawn"])\n'
        '    c2["K-2<br/>Complaint about discipline (example)<br/>Filed"]\n'
        "    c0 -->|Decide inspection| c1\n"
        "    c1 -->|Withdraw| c2\n"
        "    classDef open fill:#fde68a,stroke:#b45309,stroke-width:3px\n"
        "    class c0,c2 open\n"
    )
    vietnamese = matter_tree([inspection, first], lang="vi")
    assert '    c1(["K-1<br/>Khiếu nại kỷ luật (ví dụ)<br/>Đã rút đơn"])' in vietnamese
    assert "    c0 -->|Decide inspection| c1" in vietnamese


def test_matter_tree_draws_a_missing_parent_dashed() -> None:
    parent = inspection_workflow().open(
        Member("m-1"), at=at(2025, 3, 3), actor=COMMISSION, case_id="I-9"
    )
    child = complaint_workflow().open(
        Member("m-1"), at=at(2025, 3, 5), actor="person:m-1", case_id="K-9", parent=parent
    )
    text = matter_tree([child])
    assert '    x0["I-9<br/>(not in this list)"]' in text
    assert "    style x0 stroke-dasharray: 5 5" in text
    assert "    x0 --> c0" in text


def test_matter_tree_refuses_duplicates_and_non_cases() -> None:
    case = accepted_case()
    with pytest.raises(InputError, match="two have the same id"):
        matter_tree([case, case])
    with pytest.raises(InputError, match="expected Case values, got str"):
        matter_tree(["K-1"])  # type: ignore[list-item]
    assert matter_tree([]) == "%% matter of 0 cases\nflowchart TD\n"
