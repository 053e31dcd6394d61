"""Scenarios: given / when / then on the example complaint, with hand-worked dates.

Dates are worked out by hand from the rule named in each row and the official calendar
(``shared/domain/calendar.md`` §3); the library is never asked what to expect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind
from discipline_flow.errors import (
    Difference,
    InputError,
    NaiveDatetimeError,
    RuleNotFoundError,
    ScenarioFailure,
    UnknownTriggerError,
)
from discipline_flow.testing import (
    SWEEP_ACTOR,
    CaseFactory,
    Scenario,
    ScenarioClock,
    StepInput,
)
from discipline_flow.testing.clock import later
from discipline_flow.time import default_calendar
from helpers import review_workflow
from scenarios.df_example_flows import (
    COMMISSION,
    COMPLAINANT,
    SUBJECT,
    Complaint,
    ComplaintTrigger,
    complaint_providers,
    complaint_workflow,
)

TZ = "Asia/Ho_Chi_Minh"
WORKFLOW = complaint_workflow()


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


def make(name: str = "test") -> Scenario[Complaint, ComplaintTrigger]:
    factory = CaseFactory(providers=complaint_providers(), subject=SUBJECT)
    return Scenario(WORKFLOW, name=name, factory=factory, actor=COMMISSION)


def failure_of(action: Callable[[], Any]) -> ScenarioFailure:
    with pytest.raises(ScenarioFailure) as caught:
        action()
    return caught.value


# --------------------------------------------------------------------------- the clock

# (start, period, expected) — worked by hand.
ADVANCES = [
    pytest.param(
        at(2025, 4, 25), "1 working day", at(2025, 4, 26), id="make-up-sat-26-4-2025-notice-6150"
    ),
    pytest.param(
        at(2025, 4, 29), "1 working day", at(2025, 5, 5), id="30-4-to-2-5-2025-off-notice-6150"
    ),
    pytest.param(
        at(2025, 12, 31), "2 working days", at(2026, 1, 6), id="new-year-2026-swap-cv-12729"
    ),
    pytest.param(
        at(2026, 1, 9), "1 working day", at(2026, 1, 10), id="make-up-sat-10-1-2026-cv-12729"
    ),
    pytest.param(
        at(2026, 2, 13), "1 working day", at(2026, 2, 23), id="tet-2026-16-to-20-2-notice-9441"
    ),
    pytest.param(at(2025, 9, 15), "30 working days", at(2025, 10, 27), id="no-holiday-6-weeks"),
    pytest.param(
        at(2025, 1, 31), "1 month", at(2025, 2, 28), id="month-end-clamp-civil-code-148-3"
    ),
    pytest.param(
        at(2024, 1, 31), "1 month", at(2024, 2, 29), id="leap-year-clamp-civil-code-148-3"
    ),
    pytest.param(at(2025, 9, 15), "36 hours", at(2025, 9, 16, 21), id="hours-from-the-instant"),
    pytest.param(at(2025, 9, 15), "10 days", at(2025, 9, 25), id="calendar-days"),
    pytest.param(at(2025, 9, 15), "2 weeks", at(2025, 9, 29), id="weeks"),
    pytest.param(at(2024, 2, 29), "1 year", at(2025, 2, 28), id="year-from-29-2-clamps"),
    pytest.param(at(2025, 9, 15), "0 working days", at(2025, 9, 15), id="zero-stays"),
]


@pytest.mark.parametrize(("start", "period", "expected"), ADVANCES)
def test_the_clock_advances_by_hand_worked_periods(
    start: pendulum.DateTime, period: str, expected: pendulum.DateTime
) -> None:
    clock = ScenarioClock(start, calendar=default_calendar())
    assert clock.advance_by(period).now() == expected
    assert later(start, period, default_calendar()) == expected


def test_the_clock_refuses_to_move_backwards() -> None:
    clock = ScenarioClock(at(2025, 9, 15))
    with pytest.raises(InputError, match="only moves forward"):
        clock.advance_by("-1 working day")
    with pytest.raises(InputError, match="only moves forward"):
        clock.advance_to(at(2025, 9, 14))
    with pytest.raises(InputError, match="Period or text"):
        clock.advance_by(3)  # type: ignore[arg-type]
    assert clock.now() == at(2025, 9, 15)
    assert repr(clock) == "ScenarioClock(2025-09-15T09:00:00+07:00)"
    assert clock.advance_to(at(2025, 9, 16)).now() == at(2025, 9, 16)


# --------------------------------------------------------------------------- deadlines


def test_the_complaint_window_runs_30_working_days_from_the_announcement() -> None:
    # QĐ 46-QĐ/TW (2011) guidance Điều 32 tiết 5.2.1: 30 working days; Civil Code art. 147:
    # the day of the announcement (Mon 15/9/2025) is not counted. No holiday until Tết:
    # 16-19/9 (4), 22/9-24/10 (5 weeks, 29), Mon 27/10 (30). Ends at 24:00 (art. 148(6)).
    (
        make()
        .given("ANNOUNCED", at=at(2025, 9, 15))
        .then(
            state="ANNOUNCED",
            deadlines={
                "complaint_window": {
                    "due_on": dt.date(2025, 10, 27),
                    "due_at": "2025-10-28T00:00:00+07:00",
                    "status": "pending",
                    "is_estimated": False,
                    "start_on": "2025-09-15",
                },
                "resolution_time": None,
            },
        )
    )


# The window of a case announced on each date (QĐ 46 guidance Điều 32 tiết 5.2.1, 30 working
# days, start day excluded), counted by hand over the official calendar.
WINDOWS = [
    # 26/4/2025 is a make-up Saturday; 30/4, 1/5 and 2/5/2025 are off (notice 6150/TB-BLĐTBXH):
    # 26/4, 28/4, 29/4 (3), 5-9/5 (8), 12/5-6/6 (4 weeks, 28), 9/6 (29), 10/6 (30).
    pytest.param(at(2025, 4, 25), dt.date(2025, 6, 10), id="over-30-4-2025-with-make-up-saturday"),
    # 1/1 and 2/1/2026 off, Sat 10/1/2026 worked (Công văn 12729/VPCP-KGVX): from Wed 31/12/2025
    # 5-9/1 (5), 10/1 (6), 12/1-6/2 (4 weeks, 26), 9-12/2 (30).
    pytest.param(at(2025, 12, 31), dt.date(2026, 2, 12), id="over-new-year-2026-swap"),
    # Tết 2026: 16-20/2 off (notice 9441/TB-BNV). From Fri 30/1/2026: 2-13/2 (10), 23/2-13/3
    # (3 weeks, 25), 16-20/3 (30).
    pytest.param(at(2026, 1, 30), dt.date(2026, 3, 20), id="over-tet-2026"),
    # Announced on a Saturday (4/10/2025): the count starts after it; 6/10-14/11 (6 weeks, 30).
    pytest.param(at(2025, 10, 4), dt.date(2025, 11, 14), id="announced-on-a-saturday"),
]


@pytest.mark.parametrize(("announced", "due_on"), WINDOWS)
def test_complaint_window_table(announced: pendulum.DateTime, due_on: dt.date) -> None:
    make().given(at=announced).then(deadlines={"complaint_window": due_on})


def test_resolution_time_runs_from_the_postmark_and_over_the_new_year_swap() -> None:
    # QĐ 30-QĐ/TW (2016) Điều 32 tiết 5.2.1: 90 working days from receipt, direct or by post
    # (the postmark, Mon 29/9/2025). 30/9 (1), Oct (23, 24), Nov (20, 44), Dec (23, 67),
    # 5-9/1 (72), Sat 10/1 make-up (73), 12-30/1 (88), 2/2 (89), 3/2/2026 (90).
    # 1/1 and 2/1/2026 are off (Công văn 12729/VPCP-KGVX).
    scenario = make().given("ANNOUNCED", at=at(2025, 9, 15)).advance_to(at(2025, 10, 1))
    scenario.when("FILE_COMPLAINT", actor=COMPLAINANT, payload={"postmark_on": "2025-09-29"})
    scenario.then(
        state="FILED",
        deadlines={
            "complaint_window": "met",
            "resolution_time": {"due_on": "2026-02-03", "start_on": "2025-09-29"},
        },
    )


def test_an_extension_adds_working_days_over_tet_and_a_second_one_is_refused() -> None:
    # The example's extension policy: once, at most 30 working days (assumed, see the module).
    # From the due date Tue 3/2/2026: 4-13/2 (8), Tết 16-20/2 off (notice 9441/TB-BNV),
    # 23/2-20/3 (4 weeks, 28), 23/3 (29), Tue 24/3/2026 (30).
    scenario = make().given("UNDER_REVIEW", at=at(2025, 9, 29))
    scenario.then(deadlines={"resolution_time": "2026-02-03"})
    scenario.advance("1 working day").when(
        "EXTEND", payload={"extend_by": "30 working days", "reason": "witnesses abroad"}
    )
    scenario.then(state="UNDER_REVIEW", deadlines={"resolution_time": "2026-03-24"})
    scenario.when("EXTEND", payload={"extend_by": "5 working days", "reason": "again"})
    scenario.then(refused=["deadline"], deadlines={"resolution_time": "2026-03-24"})
    assert scenario.refusal is not None
    assert "resolution_time" in str(scenario.refusal)


def test_due_soon_then_overdue_then_the_sweep_expires_the_complaint() -> None:
    # The window of a decision announced on Mon 15/9/2025 is due on Mon 27/10/2025; it is due
    # soon in its last 3 working days (23, 24, 27/10) and overdue from 00:00 on 28/10.
    scenario = make().given("ANNOUNCED", at=at(2025, 9, 15))
    scenario.advance_to("2025-10-22T23:59:00+07:00").then(deadlines={"complaint_window": "pending"})
    scenario.advance_to(at(2025, 10, 23, 0)).then(deadlines={"complaint_window": "due_soon"})
    scenario.when("EXPIRE").then(refused=["window_missed"], state="ANNOUNCED")
    scenario.advance_to(at(2025, 10, 28, 0)).then(
        deadlines={"complaint_window": "overdue"}, allowed=["EXPIRE"]
    )
    scenario.sweep().then(state="EXPIRED", allowed=[], deadlines={"complaint_window": "overdue"})
    last = scenario.case.steps[-1]
    assert (last.trigger, last.actor) == (ComplaintTrigger.EXPIRE, SWEEP_ACTOR)
    assert last.payload == {"deadline": "complaint_window", "due_at": "2025-10-28T00:00:00+07:00"}


def test_a_sweep_with_nothing_overdue_fires_nothing() -> None:
    scenario = make().given("ANNOUNCED", at=at(2025, 9, 15)).sweep()
    scenario.then(state="ANNOUNCED")
    assert scenario.case.version == 1


# --------------------------------------------------------------------------- refusals, allowed


def test_refusals_name_every_failed_guard() -> None:
    scenario = make().given("ANNOUNCED", at=at(2025, 9, 15))
    scenario.when("FILE_COMPLAINT", actor=COMMISSION).then(refused=["own_behalf"])
    scenario.when("RESOLVE").then(refused="state", state="ANNOUNCED")
    scenario.when("FILE_COMPLAINT", actor=COMPLAINANT).then(refused=False, state="FILED")
    scenario.when("ACCEPT", actor=Body(BodyKind.PARTY_CELL, "cell-1")).then(
        refused=["competent_body"]
    )


def test_an_unexpected_refusal_is_a_difference_with_its_reasons() -> None:
    scenario = make("own behalf").given("ANNOUNCED", at=at(2025, 9, 15))
    scenario.when("FILE_COMPLAINT", actor=COMMISSION)
    failure = failure_of(lambda: scenario.then(state="FILED"))
    assert failure.differences[0].field == "refused"
    assert failure.differences[1] == Difference("state", "FILED", "ANNOUNCED")
    text = str(failure)
    assert "scenario 'own behalf' (complaint_demo@1) then #1 (after when FILE_COMPLAINT" in text
    assert "2 differences (expected vs actual)" in text
    assert "own_behalf: inspection_commission:ubkt-1 may not complain for m-1" in text
    assert "[QĐ 22-QĐ/TW Điều 23 (verified)]" in text


def test_expecting_a_refusal_that_did_not_happen_fails() -> None:
    scenario = make().given("FILED", at=at(2025, 9, 15)).when("ACCEPT")
    failure = failure_of(lambda: scenario.then(refused=["competent_body"]))
    assert failure.differences == (
        Difference("refused", "refused by [competent_body]", "it fired"),
    )
    failure = failure_of(lambda: make().given(at=at(2025, 9, 15)).then(refused=True))
    assert failure.differences == (Difference("refused", "refused", "no refusal"),)


def test_the_wrong_guards_named_in_refused_is_a_difference() -> None:
    scenario = make().given("ANNOUNCED", at=at(2025, 9, 15)).when("FILE_COMPLAINT")
    failure = failure_of(lambda: scenario.then(refused=["competent_body"]))
    (difference,) = failure.differences
    assert (difference.field, difference.expected, difference.actual) == (
        "refused by",
        "[competent_body]",
        "[own_behalf]",
    )


@pytest.mark.parametrize(
    ("state", "actor", "allowed"),
    [
        # Only the member may complain (QĐ 22 Điều 23); EXPIRE waits for the window to pass.
        ("ANNOUNCED", COMPLAINANT, {"FILE_COMPLAINT"}),
        ("ANNOUNCED", COMMISSION, set()),
        ("FILED", COMMISSION, {"ACCEPT", "WITHDRAW"}),
        ("FILED", COMPLAINANT, {"WITHDRAW"}),
        # The vote is a payload guard: allowed() leaves it to fire().
        ("UNDER_REVIEW", COMMISSION, {"EXTEND", "RESOLVE", "WITHDRAW"}),
        ("UPHELD", COMMISSION, set()),
    ],
)
def test_allowed_triggers_per_state_and_actor(state: str, actor: Body, allowed: set[str]) -> None:
    make().given(state, at=at(2025, 9, 15)).then(state=state, allowed=allowed, actor=actor)


def test_a_wrong_allowed_set_lists_what_is_missing_and_why() -> None:
    scenario = make().given("ANNOUNCED", at=at(2025, 9, 15))
    failure = failure_of(lambda: scenario.then(allowed=["EXPIRE"], actor=COMPLAINANT))
    (difference,) = failure.differences
    assert (difference.expected, difference.actual) == ("[EXPIRE]", "[FILE_COMPLAINT]")
    assert difference.detail is not None
    assert "not allowed: EXPIRE" in difference.detail
    assert "EXPIRE refused by window_missed: the complaint window runs until 2025-10-27" in (
        difference.detail
    )
    assert "unexpected: FILE_COMPLAINT" in difference.detail


# --------------------------------------------------------------------------- failures read well


def test_a_wrong_deadline_prints_expected_actual_and_the_explanation() -> None:
    scenario = make("window").given("ANNOUNCED", at=at(2025, 4, 25))
    failure = failure_of(
        lambda: scenario.then(
            deadlines={"complaint_window": {"due_on": "2025-06-09", "status": "overdue"}}
        )
    )
    assert [d.field for d in failure.differences] == [
        "deadline complaint_window.due_on",
        "deadline complaint_window.status",
    ]
    assert (failure.differences[0].expected, failure.differences[0].actual) == (
        "2025-06-09",
        "2025-06-10",
    )
    text = str(failure)
    assert "deadline complaint_window.status: expected overdue, got pending" in text
    assert "status read at 2025-04-25T09:00:00+07:00" in text
    assert "why:" in text
    assert "QĐ 46-QĐ/TW (2011) guidance Điều 32 tiết 5.2.1, verified" in text
    assert "2025-05-02" in text  # the swapped day off is named in the explanation


def test_the_explanation_can_be_in_vietnamese() -> None:
    factory = CaseFactory(providers=complaint_providers(), subject=SUBJECT)
    scenario = Scenario(WORKFLOW, name="vi", factory=factory, lang="vi")
    scenario.given(at=at(2025, 9, 15))
    failure = failure_of(lambda: scenario.then(deadlines={"complaint_window": "2025-10-28"}))
    english = failure_of(
        lambda: make().given(at=at(2025, 9, 15)).then(deadlines={"complaint_window": "2025-10-28"})
    )
    assert str(failure) != str(english)
    assert "Thứ" in str(failure)


def test_a_missing_and_an_unexpected_deadline_are_differences() -> None:
    scenario = make().given("ANNOUNCED", at=at(2025, 9, 15))
    failure = failure_of(
        lambda: scenario.then(deadlines={"resolution_time": "pending", "complaint_window": None})
    )
    assert [(d.field, d.expected, d.actual) for d in failure.differences] == [
        ("deadline resolution_time", "a deadline", "none was started"),
        ("deadline complaint_window", "none", "due 2025-10-27 (pending)"),
    ]


# --------------------------------------------------------------------------- given


def test_given_builds_by_replaying_legal_steps() -> None:
    scenario = make().given("UPHELD", at=at(2025, 9, 15))
    steps = scenario.case.steps
    assert [s.trigger.name if s.trigger else None for s in steps] == [
        None,
        "FILE_COMPLAINT",
        "ACCEPT",
        "RESOLVE",
    ]
    assert {s.at for s in steps} == {at(2025, 9, 15)}
    assert scenario.case.verify() == 4


def test_given_an_existing_case_takes_its_time() -> None:
    case = CaseFactory(providers=complaint_providers(), subject=SUBJECT)(
        WORKFLOW, "FILED", at=at(2025, 9, 15)
    )
    scenario = Scenario(WORKFLOW, actor=COMMISSION).given(case=case)
    assert scenario.clock.now() == at(2025, 9, 15)
    scenario.when("ACCEPT").then(state="UNDER_REVIEW")
    assert scenario.case is case


def test_given_waits_when_a_provider_says_so() -> None:
    # EXPIRE is possible once the window (due Mon 27/10/2025) has passed: 31 working days after
    # Mon 15/9/2025 is Tue 28/10/2025.
    scenario = make().given(
        "EXPIRED",
        at=at(2025, 9, 15),
        payloads={"EXPIRE": StepInput(wait="31 working days")},
    )
    scenario.then(state="EXPIRED")
    assert scenario.clock.now() == at(2025, 10, 28)


def test_scenario_input_errors() -> None:
    scenario = make()
    with pytest.raises(InputError, match="call given"):
        scenario.then(state="ANNOUNCED")
    with pytest.raises(InputError, match="give given"):
        scenario.given("ANNOUNCED")
    with pytest.raises(InputError, match="no state 'LOST'"):
        scenario.given("LOST", at=at(2025, 9, 15))
    scenario.given(at=at(2025, 9, 15))
    with pytest.raises(UnknownTriggerError):
        scenario.when("APPEAL")
    with pytest.raises(RuleNotFoundError):
        scenario.then(deadlines={"appeal_window": "pending"})
    with pytest.raises(InputError, match="unknown status"):
        scenario.then(deadlines={"complaint_window": {"status": "late"}})
    with pytest.raises(InputError, match="unknown field 'due'"):
        scenario.then(deadlines={"complaint_window": {"due": "2025-10-27"}})
    with pytest.raises(InputError, match="expected a date"):
        scenario.then(deadlines={"complaint_window": {"due_on": "soon"}})
    with pytest.raises(InputError, match="ISO instant"):
        scenario.then(deadlines={"complaint_window": {"due_at": "tomorrow"}})
    with pytest.raises(NaiveDatetimeError):
        scenario.advance_to(dt.datetime(2025, 10, 1))
    with pytest.raises(InputError, match="the case is of"):
        scenario.given(case=CaseFactory().__call__(_other(), at=at(2025, 9, 15)))


def _other() -> Any:
    return review_workflow()


def test_repr_names_the_scenario_and_state() -> None:
    scenario = make("r")
    assert repr(scenario) == "Scenario('r', complaint_demo@1, state=-)"
    scenario.given(at=at(2025, 9, 15))
    assert repr(scenario) == "Scenario('r', complaint_demo@1, state=ANNOUNCED)"


def test_the_scenario_fixture_uses_the_test_clock(
    df_scenario: Callable[..., Scenario[Any, Any]], df_clock: ScenarioClock
) -> None:
    # The df_clock fixture starts on Mon 15/9/2025 09:00 (df_clock_start's default).
    built = df_scenario(WORKFLOW, providers=complaint_providers())
    built.given("ANNOUNCED").then(deadlines={"complaint_window": "2025-10-27"})
    assert built.name == "test_the_scenario_fixture_uses_the_test_clock"
    built.advance("5 working days")
    assert df_clock.now() == at(2025, 9, 22)
    assert built.case.state is Complaint.ANNOUNCED
