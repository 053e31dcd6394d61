"""Due index, sweeps and recalculation on every store.

Dates are worked out by hand from the test workflow's rules (``conftest_store.reply_workflow``),
counted as Civil Code 2015 arts. 147-148 say: the start day is excluded, a last day that is not a
working day rolls forward to the next working day, and the period ends at 24:00 (the deadline is
overdue from 00:00 of the next day). March 2025 has no public holiday in Viet Nam.

- ``reply``  = 10 working days. Accepted Mon 3 Mar 2025: Tue 4 ... Fri 7 (4), Mon 10 ... Fri 14
  (9), Mon 17 (10) → due 17 Mar, overdue from 18 Mar 00:00. Accepted Fri 7 Mar: Mon 10 ... Fri 14
  (5), Mon 17 ... Fri 21 (10) → due 21 Mar, overdue from 22 Mar 00:00.
- ``report`` = 5 days. Accepted Mon 3 Mar: Sat 8 Mar, not a working day → rolls to Mon 10 Mar,
  overdue from 11 Mar 00:00. Accepted Fri 7 Mar: Wed 12 Mar → overdue from 13 Mar 00:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conftest_store import (
    COMMISSION,
    Request,
    RequestTrigger,
    Stores,
    accepted_request,
    at,
    kind_params,
    pg_url,
    stores_fixture,
)
from discipline_flow import BodyKind, StepKind
from discipline_flow.errors import InputError
from discipline_flow.store import SWEEP_ACTOR, CaseStore, RecalculationReport, SweepOutcome
from discipline_flow.time.calendar import CalendarEntry, DayKind, VietnamCalendar


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture
def store(stores: Stores) -> CaseStore:
    store = stores.open()
    store.save_many(
        [
            (accepted_request("R1", at(2025, 3, 3)), 0),  # Mon 3 Mar
            (accepted_request("R2", at(2025, 3, 7)), 0),  # Fri 7 Mar
        ]
    )
    return store


def _hanoi(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # report of R1 (accepted Mon 3 Mar): 5 days → Sat 8 Mar rolls to Mon 10 Mar [BLDS 2015 art. 148]
        ("2025-03-10T23:59:59+07:00", []),
        ("2025-03-11T00:00:00+07:00", [("R1", "report", "2025-03-11T00:00:00+07:00")]),
        # report of R2 (accepted Fri 7 Mar): 5 days → Wed 12 Mar [BLDS 2015 art. 147]
        (
            "2025-03-13T00:00:00+07:00",
            [
                ("R1", "report", "2025-03-11T00:00:00+07:00"),
                ("R2", "report", "2025-03-13T00:00:00+07:00"),
            ],
        ),
        # reply of R1: 10 working days after Mon 3 Mar → Mon 17 Mar, over at 24:00 [art. 148]
        (
            "2025-03-17T23:59:59+07:00",
            [
                ("R1", "report", "2025-03-11T00:00:00+07:00"),
                ("R2", "report", "2025-03-13T00:00:00+07:00"),
            ],
        ),
        (
            "2025-03-18T00:00:00+07:00",
            [
                ("R1", "report", "2025-03-11T00:00:00+07:00"),
                ("R2", "report", "2025-03-13T00:00:00+07:00"),
                ("R1", "reply", "2025-03-18T00:00:00+07:00"),
            ],
        ),
        # reply of R2: 10 working days after Fri 7 Mar → Fri 21 Mar [art. 147-148]
        (
            "2025-03-22T00:00:00+07:00",
            [
                ("R1", "report", "2025-03-11T00:00:00+07:00"),
                ("R2", "report", "2025-03-13T00:00:00+07:00"),
                ("R1", "reply", "2025-03-18T00:00:00+07:00"),
                ("R2", "reply", "2025-03-22T00:00:00+07:00"),
            ],
        ),
        # the same instant written in UTC
        ("2025-03-10T17:00:00+00:00", [("R1", "report", "2025-03-11T00:00:00+07:00")]),
    ],
)
def test_due_hand_worked(store: CaseStore, now: str, expected: list[tuple[str, str, str]]) -> None:
    due = store.due(_hanoi(now))
    assert [(d.case_id, d.rule, d.due_at.isoformat()) for d in due] == expected
    assert all(d.on_miss == ("MISS" if d.rule == "reply" else None) for d in due)


def test_due_limit_and_arguments(store: CaseStore) -> None:
    assert len(store.due(at(2025, 4, 1), limit=3)) == 3
    with pytest.raises(InputError, match="limit"):
        store.due(at(2025, 4, 1), limit=-2)
    with pytest.raises(ValueError, match="aware"):
        store.due(dt.datetime(2025, 4, 1))


def test_sweep_fires_on_miss_once(store: CaseStore) -> None:
    now = at(2025, 3, 18, 9)
    report = store.sweep(now)
    outcomes = sorted((i.case_id, i.rule, i.outcome) for i in report.items)
    assert outcomes == [
        ("R1", "reply", SweepOutcome.FIRED),
        ("R1", "report", SweepOutcome.OVERDUE),
        ("R2", "report", SweepOutcome.OVERDUE),
    ]
    fired = report.fired[0]
    assert (fired.trigger, fired.step_index) == ("MISS", 2)
    case = store.load("R1")
    step = case.steps[-1]
    assert (case.state, step.trigger, step.actor, step.at) == (
        Request.LATE,
        RequestTrigger.MISS,
        SWEEP_ACTOR,
        now,
    )
    assert step.actor.kind is BodyKind.SYSTEM
    assert step.payload == {"deadline": "reply", "due_at": "2025-03-18T00:00:00+07:00"}
    assert case.deadline("reply").cancelled_at == now  # LATE cancels it
    again = store.sweep(now)
    assert again.count(SweepOutcome.FIRED) == 0
    assert again.count(SweepOutcome.OVERDUE) == 2  # status-only deadlines stay overdue
    assert store.load("R1").version == 3
    assert report.to_dict()["counts"]["fired"] == 1
    assert "1 fired, 2 overdue" in report.text()


def test_dry_run_changes_nothing(store: CaseStore) -> None:
    report = store.sweep(at(2025, 3, 22, 9), dry_run=True)
    assert report.dry_run
    assert sorted((i.case_id, i.rule, i.outcome.value) for i in report.items) == [
        ("R1", "reply", "would_fire"),
        ("R1", "report", "overdue"),
        ("R2", "reply", "would_fire"),
        ("R2", "report", "overdue"),
    ]
    assert [store.version(c) for c in ("R1", "R2")] == [2, 2]
    assert store.sweep(at(2025, 3, 22, 9)).count(SweepOutcome.FIRED) == 2


def test_sweep_limit(store: CaseStore) -> None:
    first = store.sweep(at(2025, 3, 22, 9), limit=1)  # fires come first, earliest first
    assert [(i.case_id, i.rule, i.outcome) for i in first.items] == [
        ("R1", "reply", SweepOutcome.FIRED)
    ]
    second = store.sweep(at(2025, 3, 22, 9), limit=2)
    assert [(i.case_id, i.rule, i.outcome) for i in second.items] == [
        ("R2", "reply", SweepOutcome.FIRED),
        ("R1", "report", SweepOutcome.OVERDUE),
    ]
    assert store.sweep(at(2025, 3, 22, 9)).count(SweepOutcome.FIRED) == 0


def test_refused_fire_is_reported_once_and_not_retried(store: CaseStore) -> None:
    store.save(accepted_request("H", at(2025, 3, 3), subject="hold-1"), expected_version=0)
    now = at(2025, 3, 18, 9)
    report = store.sweep(now)
    refused = [i for i in report.items if i.outcome is SweepOutcome.REFUSED]
    assert [(i.case_id, i.trigger) for i in refused] == [("H", "MISS")]
    assert "on hold" in (refused[0].detail or "")
    assert store.load("H").version == 2  # nothing fired
    later = store.sweep(now.add(days=1))
    assert [i.case_id for i in later.items if i.rule == "reply"] == []
    # still open and overdue: due() shows it, with the instant the sweep handled it
    held = [d for d in store.due(now) if d.case_id == "H" and d.rule == "reply"]
    assert held[0].fired_at == now


def test_deadline_that_moved_is_a_new_miss(store: CaseStore) -> None:
    store.save(accepted_request("H", at(2025, 3, 3), subject="hold-1"), expected_version=0)
    assert store.sweep(at(2025, 3, 18, 9)).count(SweepOutcome.REFUSED) == 1
    case = store.load("H")
    case.fire(RequestTrigger.NOTE, at=at(2025, 3, 19), actor=COMMISSION)
    store.save(case, expected_version=2)  # due instant unchanged: still marked
    assert store.sweep(at(2025, 3, 19, 10)).count(SweepOutcome.REFUSED) == 0


# --------------------------------------------------------------------------- recalculation


def _calendar_with_local_day_off() -> VietnamCalendar:
    return VietnamCalendar(
        extra=[CalendarEntry(dt.date(2025, 3, 12), DayKind.LOCAL_DAY_OFF, "Provincial day off")]
    )


def test_recalculation_reports_then_applies(store: CaseStore) -> None:
    calendar = _calendar_with_local_day_off()
    when = at(2025, 3, 11, 8)
    # With Wed 12 Mar off [BLDS 2015 arts. 147-148]:
    # R1 reply: Tue 4 .. Tue 11 (6), Thu 13 (7), Fri 14, Mon 17, Tue 18 (10) → 18 Mar (+1)
    # R1 report: Sat 8 → Mon 10 (unchanged)
    # R2 reply: Mon 10, Tue 11 (2), Thu 13 .. Fri 14 (4), Mon 17 .. Fri 21 (9), Mon 24 (10) → +3
    # R2 report: Wed 12 is off → rolls to Thu 13 (+1)
    expected = [
        ("R1", "reply", "2025-03-17", "2025-03-18", 1),
        ("R2", "reply", "2025-03-21", "2025-03-24", 3),
        ("R2", "report", "2025-03-12", "2025-03-13", 1),
    ]
    dry = store.recalculate(when, reason="provincial day off 12 Mar", calendar=calendar)

    def moves(report: RecalculationReport) -> list[tuple[str, str, str, str, int]]:
        return [
            (m.case_id, c.rule, c.old_due_on.isoformat(), c.new_due_on.isoformat(), c.moved_days)
            for m in report.moved
            for c in m.changes
        ]

    assert dry.dry_run
    assert dry.cases_checked == 2
    assert moves(dry) == expected
    assert [store.version(c) for c in ("R1", "R2")] == [2, 2]
    assert "3 deadlines in 2 cases would move" in dry.text()

    applied = store.recalculate(
        when,
        reason="provincial day off 12 Mar",
        calendar=calendar,
        dry_run=False,
    )
    assert moves(applied) == expected
    assert all(m.applied for m in applied.moved)
    r2 = store.load("R2")
    step = r2.steps[-1]
    assert step.kind is StepKind.RECALCULATE
    assert step.payload["reason"] == "provincial day off 12 Mar"
    assert [c["new_due_on"] for c in step.payload["changes"]] == ["2025-03-24", "2025-03-13"]
    assert r2.deadline("reply").due_on == dt.date(2025, 3, 24)
    # the due index moved with them
    assert [(d.case_id, d.rule) for d in store.due(at(2025, 3, 18, 0))] == [
        ("R1", "report"),
        ("R2", "report"),
    ]
    assert store.recalculate(when, reason="again", calendar=calendar).moved == ()
    assert applied.to_dict()["moved"][0]["changes"][0]["moved_days"] == 1


def test_recalculation_needs_a_reason(store: CaseStore) -> None:
    with pytest.raises(InputError, match="reason"):
        store.recalculate(at(2025, 3, 11), reason=" ")


def test_recalculation_reports_cases_it_cannot_handle(store: CaseStore) -> None:
    too_late = VietnamCalendar(first_year=2026, last_year=2030)  # knows nothing of 2025
    report = store.recalculate(at(2025, 3, 11), reason="narrow calendar", calendar=too_late)
    assert [f.case_id for f in report.failures] == ["R1", "R2"]
    assert "outside the calendar's range" in report.failures[0].problem
    assert report.moved == ()
    assert "FAILED R1" in report.text()
    assert report.to_dict()["failures"][0]["case_id"] == "R1"


def test_a_row_that_disagrees_with_its_case_is_skipped(stores: Stores) -> None:
    if stores.kind == "memory":
        pytest.skip("the memory store has no rows to disagree")
    store = stores.open()
    store.save(accepted_request("R1", at(2025, 3, 3)), expected_version=0)
    early = 0 if stores.kind == "sqlite" else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    stores.sql("UPDATE deadlines SET due_at = ? WHERE rule = 'reply'", (early,))
    report = store.sweep(at(2025, 3, 5))
    assert [(i.rule, i.outcome, i.detail) for i in report.items] == [
        ("reply", SweepOutcome.SKIPPED, "now pending")
    ]
    assert store.load("R1").version == 2


@pytest.mark.postgres
def test_postgres_sweep_skips_cases_another_worker_holds(tmp_path: Path) -> None:
    stores = Stores("postgres", tmp_path)
    try:
        store = stores.open()
        store.save_many([(accepted_request(c, at(2025, 3, 3)), 0) for c in ("A", "B")])
        with psycopg.connect(pg_url()) as other:  # another worker, holding case A
            other.execute(f'SET search_path TO "{stores.schema}"')
            other.execute("SELECT 1 FROM cases WHERE id = 'A' FOR UPDATE")
            report = store.sweep(at(2025, 3, 18, 9))  # does not wait for A
            assert [(i.case_id, i.outcome) for i in report.fired] == [("B", SweepOutcome.FIRED)]
        later = store.sweep(at(2025, 3, 18, 10))
        assert [(i.case_id, i.outcome) for i in later.fired] == [("A", SweepOutcome.FIRED)]
    finally:
        stores.close()
