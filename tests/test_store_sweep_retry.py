"""Sweeps that keep work: a fire that fails stays due and is tried again; a refusal is final; both
are listed and re-armed, on every store (issue 14, item 1).

Instants are worked out by hand from the test workflows' rules (``conftest_store``), counted as
Civil Code 2015 arts. 147-148 say: ``reply`` is 10 working days, so a request accepted Mon
3 Mar 2025 is due Mon 17 Mar and overdue from Tue 18 Mar 00:00 (March 2025 has no public holiday
in Viet Nam). The sweeps run at 09:00 on 18 Mar and later. Backoffs follow
:class:`~discipline_flow.store.RetryPolicy`: the n-th failure waits ``backoff * 2**(n-1)``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest

from conftest_store import (
    CIVIL_CODE,
    CLERK,
    COMMISSION,
    MATTER,
    REPLY,
    RequestTrigger,
    Stores,
    accepted_request,
    at,
    kind_params,
    stores_fixture,
)
from discipline_flow import (
    Action,
    ActionContext,
    Guard,
    GuardContext,
    Member,
    Period,
    Transition,
    Workflow,
)
from discipline_flow.cli import EXIT_CHECK_FAILED, EXIT_INPUT, EXIT_OK, EXIT_STORE, main
from discipline_flow.errors import CaseNotFoundError, InputError
from discipline_flow.processes import shipped_registry
from discipline_flow.reports import annual_report
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import (
    DEFAULT_BACKOFF,
    DEFAULT_MAX_ATTEMPTS,
    CaseStore,
    RetryPolicy,
    StuckDeadline,
    StuckKind,
    SweepOutcome,
    open_store,
)
from discipline_flow.time.calendar import CalendarEntry, DayKind, VietnamCalendar
from discipline_flow.time.deadline import DeadlineRule
from test_store_legacy import EXPECTED, SWEEP_AT, legacy_url
from test_store_migration import _before_opening

__all__ = ["legacy_url"]  # the fixture of a 0.1 store

OVERDUE = at(2025, 3, 18, 0)  # reply of a request accepted Mon 3 Mar [BLDS 2015 arts. 147-148]
NINE = at(2025, 3, 18, 9)


# --------------------------------------------------------------------------- a flaky notifier


class Notice(enum.Enum):
    WAITING = "waiting"
    NOTIFIED = "notified"
    CLOSED = "closed"


class NoticeTrigger(enum.Enum):
    ACCEPT = "accept"
    MISS = "miss"
    CLOSE = "close"


@attrs.define
class Notifier:
    """Tells someone a deadline was missed; ``down`` while its server cannot be reached."""

    down: bool = True
    sent: list[str] = attrs.Factory(list)

    def __call__(self, ctx: ActionContext[Any, Any]) -> None:
        if self.down:
            raise ConnectionError("notification server unreachable")
        self.sent.append(ctx.case.id)


def _not_on_hold(ctx: GuardContext[Any, Any]) -> str | None:
    return "the subject's cases are on hold" if ctx.case.subject.id.startswith("hold-") else None


def notice_workflow(notifier: Notifier) -> Workflow[Notice, NoticeTrigger]:
    """A request answered within 10 working days; when it is not, the sweep fires MISS, whose
    action notifies someone (and fails while the notifier is down)."""
    reply = DeadlineRule(
        "reply",
        Period.parse("10 working days"),
        starts_on_trigger=NoticeTrigger.ACCEPT,
        met_by={NoticeTrigger.CLOSE},
        cancelled_by={Notice.NOTIFIED},
        on_miss=NoticeTrigger.MISS,
        citation=CIVIL_CODE,
    )
    return Workflow(
        name="notice",
        version="1",
        states=Notice,
        triggers=NoticeTrigger,
        initial=Notice.WAITING,
        terminal={Notice.CLOSED},
        transitions=[
            Transition(NoticeTrigger.ACCEPT, Notice.WAITING, Notice.WAITING),
            Transition(
                NoticeTrigger.MISS,
                Notice.WAITING,
                Notice.NOTIFIED,
                guards=[Guard("not_on_hold", _not_on_hold)],
                actions=[Action("notify", notifier)],
            ),
            Transition(NoticeTrigger.CLOSE, (Notice.WAITING, Notice.NOTIFIED), Notice.CLOSED),
        ],
        deadline_rules=[reply],
    )


def accepted_notice(workflow: Workflow[Any, Any], case_id: str, subject: str = "m-1") -> Any:
    case = workflow.open(Member(subject), at=at(2025, 3, 3), actor=CLERK, case_id=case_id)
    case.fire(NoticeTrigger.ACCEPT, at=at(2025, 3, 3), actor=COMMISSION)
    return case


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture
def notifier() -> Notifier:
    return Notifier()


@pytest.fixture
def store(stores: Stores, notifier: Notifier) -> CaseStore:
    """A store holding case N1, whose reply is overdue from 18 Mar 00:00."""
    store = stores.open(WorkflowRegistry([MATTER, REPLY, notice_workflow(notifier)]))
    store.save(accepted_notice(notice_workflow(notifier), "N1"), expected_version=0)
    return store


def _reply(report: Any) -> list[tuple[str, SweepOutcome, int, dt.datetime | None]]:
    return [(i.case_id, i.outcome, i.attempts, i.retry_at) for i in report.items]


# --------------------------------------------------------------------------- an action that fails


def test_a_failed_action_stays_due_and_is_retried(store: CaseStore, notifier: Notifier) -> None:
    first = store.sweep(NINE)
    # Attempt 1 failed: the next try waits the first backoff, 5 minutes (the default).
    assert _reply(first) == [("N1", SweepOutcome.RETRYING, 1, at(2025, 3, 18, 9, 5))]
    item = first.items[0]
    assert item.trigger == "MISS"
    assert "action 'notify' of MISS failed (ConnectionError: notification server" in (
        item.detail or ""
    )
    assert first.failures == first.items
    assert first.to_dict()["failed"] is True
    assert "retrying   N1 reply due 2025-03-18T00:00:00+07:00 MISS (attempt 1, next try" in (
        first.text()
    )
    assert store.version("N1") == 2  # the case is unchanged
    # Before its backoff has passed, a sweep leaves it alone; the stuck list shows it.
    assert store.sweep(at(2025, 3, 18, 9, 4)).items == ()
    (stuck,) = store.stuck_deadlines()
    assert (stuck.case_id, stuck.rule, stuck.kind, stuck.attempts) == (
        "N1",
        "reply",
        StuckKind.RETRYING,
        1,
    )
    assert (stuck.due_at, stuck.last_at, stuck.retry_at) == (OVERDUE, NINE, at(2025, 3, 18, 9, 5))
    # The server is back: the next sweep after the backoff fires, once.
    notifier.down = False
    later = store.sweep(at(2025, 3, 18, 9, 5))
    assert [(i.case_id, i.outcome, i.step_index) for i in later.items] == [
        ("N1", SweepOutcome.FIRED, 2)
    ]
    assert not later.failures
    assert notifier.sent == ["N1"]
    assert store.load("N1").state is Notice.NOTIFIED
    assert store.stuck_deadlines() == []
    assert store.sweep(at(2025, 3, 19)).items == ()


def test_attempts_run_out_then_failed_until_rearmed(store: CaseStore, notifier: Notifier) -> None:
    policy = RetryPolicy(max_attempts=3, backoff=dt.timedelta(hours=1))
    # Attempt 1 at 09:00 waits 1 h; attempt 2 at 10:00 waits 2 h; attempt 3 at 12:00 is the last.
    assert _reply(store.sweep(NINE, retry=policy)) == [
        ("N1", SweepOutcome.RETRYING, 1, at(2025, 3, 18, 10))
    ]
    assert store.sweep(at(2025, 3, 18, 9, 59), retry=policy).items == ()
    assert _reply(store.sweep(at(2025, 3, 18, 10), retry=policy)) == [
        ("N1", SweepOutcome.RETRYING, 2, at(2025, 3, 18, 12))
    ]
    assert store.sweep(at(2025, 3, 18, 11, 59), retry=policy).items == ()
    last = store.sweep(at(2025, 3, 18, 12), retry=policy)
    assert _reply(last) == [("N1", SweepOutcome.FAILED, 3, None)]
    assert "(gave up after 3 attempts)" in last.text()
    assert last.count(SweepOutcome.FAILED) == 1
    # Failed: no later sweep tries it, even with the server back.
    notifier.down = False
    assert store.sweep(at(2025, 3, 25), retry=policy).items == ()
    (stuck,) = store.stuck_deadlines()
    assert (stuck.kind, stuck.attempts, stuck.last_at, stuck.retry_at) == (
        StuckKind.FAILED,
        3,
        at(2025, 3, 18, 12),
        None,
    )
    assert stuck.to_dict()["kind"] == "failed"
    assert stuck.text().startswith("failed    N1 reply due 2025-03-18T00:00:00+07:00 MISS after 3")
    # Re-armed by the operator: the next sweep fires it.
    assert store.rearm("N1") == [stuck]
    assert store.stuck_deadlines() == []
    fired = store.sweep(at(2025, 3, 25), retry=policy)
    assert [(i.case_id, i.outcome) for i in fired.items] == [("N1", SweepOutcome.FIRED)]
    assert notifier.sent == ["N1"]


def test_a_refusal_is_final_listed_and_rearmed(store: CaseStore, notifier: Notifier) -> None:
    notifier.down = False
    held = accepted_notice(notice_workflow(notifier), "H1", subject="hold-1")
    store.save(held, expected_version=0)
    report = store.sweep(NINE)
    assert sorted((i.case_id, i.outcome) for i in report.items) == [
        ("H1", SweepOutcome.REFUSED),
        ("N1", SweepOutcome.FIRED),
    ]
    assert not report.failures  # a refusal is the guards' answer, not a failure
    assert store.sweep(at(2025, 3, 25)).items == ()  # final: never tried again
    (stuck,) = store.stuck_deadlines()
    assert (stuck.case_id, stuck.kind, stuck.attempts, stuck.last_at) == (
        "H1",
        StuckKind.REFUSED,
        0,
        NINE,
    )
    assert "not_on_hold: the subject's cases are on hold" in (stuck.detail or "")
    assert store.rearm("H1", "other-rule") == []  # nothing of that rule is stuck
    assert store.rearm("H1", "reply") == [stuck]
    again = store.sweep(at(2025, 3, 25))  # tried again: the guard still refuses
    assert [(i.case_id, i.outcome) for i in again.items] == [("H1", SweepOutcome.REFUSED)]
    assert [s.last_at for s in store.stuck_deadlines()] == [at(2025, 3, 25)]


def test_a_refusal_after_failures_forgets_them(store: CaseStore, notifier: Notifier) -> None:
    held = accepted_notice(notice_workflow(notifier), "H1", subject="hold-1")
    store.save(held, expected_version=0)
    # The guard refuses H1 before its action could run; N1's action fails.
    first = store.sweep(NINE)
    assert sorted((i.case_id, i.outcome) for i in first.items) == [
        ("H1", SweepOutcome.REFUSED),
        ("N1", SweepOutcome.RETRYING),
    ]
    assert [(s.case_id, s.kind) for s in store.stuck_deadlines()] == [
        ("H1", StuckKind.REFUSED),
        ("N1", StuckKind.RETRYING),
    ]
    assert store.stuck_deadlines(limit=1)[0].case_id == "H1"
    # N1 answered by hand: its deadline is met, nothing of it is stuck any more.
    case = store.load("N1")
    case.fire(NoticeTrigger.CLOSE, at=at(2025, 3, 18, 10), actor=COMMISSION)
    store.save(case, expected_version=2)
    assert [s.case_id for s in store.stuck_deadlines()] == ["H1"]
    assert store.sweep(at(2025, 3, 18, 11)).items == ()


def test_a_deadline_that_moved_starts_its_attempts_again(
    store: CaseStore, notifier: Notifier
) -> None:
    policy = RetryPolicy(max_attempts=2, backoff=dt.timedelta(minutes=1))
    store.sweep(NINE, retry=policy)
    assert _reply(store.sweep(at(2025, 3, 18, 9, 1), retry=policy))[0][1] is SweepOutcome.FAILED
    # A provincial day off on Wed 12 Mar: 10 working days after Mon 3 Mar end on Tue 18 Mar,
    # overdue from Wed 19 Mar 00:00 [BLDS 2015 arts. 147-148]. A new miss, tried afresh.
    calendar = VietnamCalendar(
        extra=[CalendarEntry(dt.date(2025, 3, 12), DayKind.LOCAL_DAY_OFF, "Provincial day off")]
    )
    moved = store.recalculate(
        at(2025, 3, 18, 10), reason="day off", calendar=calendar, dry_run=False
    )
    assert [(c.rule, c.new_due_on) for m in moved.moved for c in m.changes] == [
        ("reply", dt.date(2025, 3, 18))
    ]
    assert store.stuck_deadlines() == []
    assert store.sweep(at(2025, 3, 18, 23, 59), retry=policy).items == ()
    retried = store.sweep(at(2025, 3, 19, 9), retry=policy)
    assert _reply(retried) == [("N1", SweepOutcome.RETRYING, 1, at(2025, 3, 19, 9, 1))]
    assert retried.items[0].due_at == at(2025, 3, 19, 0)


def test_retry_policy_arguments(store: CaseStore) -> None:
    assert (5, dt.timedelta(minutes=5)) == (DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF)
    policy = RetryPolicy(max_attempts=100, backoff=dt.timedelta(days=1))
    assert policy.delay(1) == dt.timedelta(days=1)
    assert policy.delay(9) == dt.timedelta(days=256)
    assert policy.delay(10) == dt.timedelta(days=366)  # 512 days, capped
    assert policy.delay(99) == dt.timedelta(days=366)
    assert RetryPolicy(backoff=dt.timedelta(0)).delay(4) == dt.timedelta(0)
    with pytest.raises(InputError, match="attempts"):
        policy.delay(0)
    with pytest.raises(InputError, match="backoff"):
        RetryPolicy(backoff=dt.timedelta(days=400))
    with pytest.raises(InputError, match="max_attempts"):
        RetryPolicy(max_attempts=True)
    with pytest.raises(InputError, match="retry: expected a RetryPolicy"):
        store.sweep(NINE, retry=3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="limit"):
        store.stuck_deadlines(limit=0)
    with pytest.raises(CaseNotFoundError, match="no case 'X'"):
        store.rearm("X")
    with pytest.raises(InputError, match="rule"):
        store.rearm("N1", "")


# --------------------------------------------------------------------------- a case not loaded


def _deadline_rows(stores: Stores, case_id: str) -> list[tuple[Any, ...]]:
    return stores.sql(
        'SELECT "seq", "status", "fired_at", "sweep_outcome", "sweep_detail" FROM deadlines '
        'WHERE "case_id" = ? ORDER BY "seq"',
        (case_id,),
    )


@pytest.mark.parametrize("kind", kind_params("sqlite", "postgres"))
def test_a_case_that_cannot_be_loaded_is_not_marked_and_is_retried(
    kind: str, tmp_path: Path
) -> None:
    stores = Stores(kind, tmp_path)
    try:
        full = stores.open()  # knows the reply workflow
        full.save(accepted_request("R1", at(2025, 3, 3)), expected_version=0)
        before = _deadline_rows(stores, "R1")
        blind = stores.open(WorkflowRegistry([MATTER]))  # a sweep without the right registry
        report = blind.sweep(NINE)
        assert _reply(report) == [
            ("R1", SweepOutcome.RETRYING, 1, at(2025, 3, 18, 9, 5)),
            ("R1", SweepOutcome.OVERDUE, 0, None),  # report: 5 days, status only
        ]
        assert (report.items[0].detail or "").startswith("cannot load: ")
        assert "reply" in (report.items[0].detail or "")
        # Nothing was written to the case: its rows are as they were.
        assert _deadline_rows(stores, "R1") == before
        assert full.version("R1") == 2
        assert [s.kind for s in blind.stuck_deadlines()] == [StuckKind.RETRYING]
        # A correctly configured sweep, once the backoff has passed, fires it.
        assert full.sweep(at(2025, 3, 18, 9, 4)).fired == ()
        fixed = full.sweep(at(2025, 3, 18, 9, 5))
        assert [(i.case_id, i.rule, i.outcome) for i in fixed.items] == [
            ("R1", "reply", SweepOutcome.FIRED),
            ("R1", "report", SweepOutcome.OVERDUE),
        ]
        assert full.load("R1").steps[-1].trigger is RequestTrigger.MISS
        assert full.stuck_deadlines() == []
    finally:
        stores.close()


@pytest.mark.parametrize("kind", kind_params("sqlite", "postgres"))
def test_a_case_never_loaded_ends_failed_without_a_write(kind: str, tmp_path: Path) -> None:
    stores = Stores(kind, tmp_path)
    try:
        full = stores.open()
        full.save(accepted_request("R1", at(2025, 3, 3)), expected_version=0)
        before = _deadline_rows(stores, "R1")
        blind = stores.open(WorkflowRegistry([MATTER]))
        policy = RetryPolicy(max_attempts=2, backoff=dt.timedelta(0))
        assert _reply(blind.sweep(NINE, retry=policy))[0][:3] == (
            "R1",
            SweepOutcome.RETRYING,
            1,
        )
        assert _reply(blind.sweep(NINE, retry=policy))[0][:3] == ("R1", SweepOutcome.FAILED, 2)
        assert _deadline_rows(stores, "R1") == before
        assert blind.sweep(at(2025, 4, 1), retry=policy).count(SweepOutcome.FAILED) == 0
        (stuck,) = full.stuck_deadlines()
        assert (stuck.kind, stuck.attempts) == (StuckKind.FAILED, 2)
        assert full.rearm("R1") == [stuck]
        assert full.sweep(at(2025, 4, 1)).fired[0].case_id == "R1"
    finally:
        stores.close()


def test_stuck_deadline_values() -> None:
    stuck = StuckDeadline(
        "C-1", 0, "reply", OVERDUE, "MISS", StuckKind.RETRYING, "boom", NINE, 2, NINE
    )
    assert stuck.to_dict() == {
        "case_id": "C-1",
        "seq": 0,
        "rule": "reply",
        "due_at": "2025-03-18T00:00:00+07:00",
        "on_miss": "MISS",
        "kind": "retrying",
        "detail": "boom",
        "last_at": "2025-03-18T09:00:00+07:00",
        "attempts": 2,
        "retry_at": "2025-03-18T09:00:00+07:00",
    }
    assert stuck.text() == (
        "retrying  C-1 reply due 2025-03-18T00:00:00+07:00 MISS after 2 attempts, next try "
        "from 2025-03-18T09:00:00+07:00 (boom)"
    )
    assert isinstance(pendulum.instance(stuck.due_at), pendulum.DateTime)


# --------------------------------------------------------------------------- the command line

REG = ["--registry", "conftest_store:registry"]


@pytest.mark.parametrize("kind", kind_params("sqlite", "postgres"))
def test_sweep_exits_1_when_a_fire_failed_and_lists_it(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stores = Stores(kind, tmp_path)
    try:
        stores.open().save(accepted_request("R1", at(2025, 3, 3)), expected_version=0)
        url = stores.url
        # Without --registry the shipped workflows are used: the reply case cannot be loaded.
        assert main(["sweep", "--store", url, "--now", "2025-03-18T09:00"]) == EXIT_CHECK_FAILED
        out = capsys.readouterr().out
        assert out.startswith("sweep at 2025-03-18T09:00:00+07:00: 1 overdue, 1 retrying\n")
        assert (
            "  retrying   R1 reply due 2025-03-18T00:00:00+07:00 MISS (attempt 1, next try from "
            "2025-03-18T09:05:00+07:00) (cannot load: " in out
        )
        assert main(["sweep", "--store", url, "--failed"]) == EXIT_CHECK_FAILED
        listed = capsys.readouterr().out.splitlines()
        assert listed[0] == "stuck deadlines: 1 retrying"
        assert listed[1].startswith(
            "  retrying  R1 reply due 2025-03-18T00:00:00+07:00 MISS after 1 attempts, next try "
            "from 2025-03-18T09:05:00+07:00 (cannot load: "
        )
        # With the right registry, after the backoff: fired, exit 0; nothing stuck any more.
        now = ["--now", "2025-03-18T09:05"]
        assert main(["sweep", "--store", url, *REG, *now, "--json"]) == EXIT_OK
        report = json.loads(capsys.readouterr().out)
        assert (report["counts"]["fired"], report["failed"]) == (1, False)
        assert main(["sweep", "--store", url, *REG, "--failed"]) == EXIT_OK
        assert capsys.readouterr().out == "stuck deadlines: none\n"
    finally:
        stores.close()


@pytest.mark.parametrize("kind", kind_params("sqlite", "postgres"))
def test_failed_then_rearmed_from_the_command_line(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stores = Stores(kind, tmp_path)
    try:
        stores.open().save(accepted_request("R1", at(2025, 3, 3)), expected_version=0)
        url = stores.url
        once = ["--max-attempts", "1", "--now", "2025-03-18T09:00", "--json"]
        assert main(["sweep", "--store", url, *once]) == EXIT_CHECK_FAILED
        report = json.loads(capsys.readouterr().out)
        assert [(i["outcome"], i["attempts"], i["retry_at"]) for i in report["items"]] == [
            ("failed", 1, None),
            ("overdue", 0, None),
        ]
        assert main(["sweep", "--store", url, *REG, "--now", "2025-03-19"]) == EXIT_OK
        assert "nothing due" not in capsys.readouterr().out  # the report deadline stays overdue
        assert main(["sweep", "--store", url, "--failed", "--json"]) == EXIT_CHECK_FAILED
        listed = json.loads(capsys.readouterr().out)
        assert listed["counts"] == {"refused": 0, "retrying": 0, "failed": 1}
        assert [(s["case_id"], s["rule"], s["kind"]) for s in listed["stuck"]] == [
            ("R1", "reply", "failed")
        ]
        assert main(["rearm", "R1", "reply", "--store", url]) == EXIT_OK
        assert capsys.readouterr().out.startswith(
            "rearm: 1 deadlines of R1 re-armed for the next sweep\n  failed    R1 reply due "
        )
        assert main(["rearm", "R1", "--store", url]) == EXIT_INPUT
        assert "case R1 has no refused, retrying or failed deadline" in capsys.readouterr().err
        assert main(["rearm", "NOPE", "--store", url]) == EXIT_STORE
        assert "no case 'NOPE'" in capsys.readouterr().err
        assert main(["sweep", "--store", url, *REG, "--now", "2025-03-19", "--json"]) == EXIT_OK
        assert json.loads(capsys.readouterr().out)["counts"]["fired"] == 1
    finally:
        stores.close()


def test_sweep_retry_options_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    open_store(url, shipped_registry()).close()  # sweep never creates a store
    db = ["--store", url, *REG, "--now", "2025-03-18"]
    for option, value, problem in (
        ("--max-attempts", "x", "--max-attempts: expected a whole number from 1 to 100, got 'x'"),
        ("--max-attempts", "0", "--max-attempts: expected a whole number from 1 to 100, got 0"),
        ("--backoff", "-1", "--backoff: expected minutes from 0 to 527040, got '-1'"),
        ("--backoff", "soon", "--backoff: expected minutes from 0 to 527040, got 'soon'"),
    ):
        assert main(["sweep", *db, option, value]) == EXIT_INPUT
        assert problem in capsys.readouterr().err
    assert main(["sweep", *db, "--backoff", "0.5", "--max-attempts", "2"]) == EXIT_OK
    assert capsys.readouterr().out == "sweep at 2025-03-18T00:00:00+07:00: nothing due\n"


# --------------------------------------------------------------------------- older stores


def _mark_refused(offset: int, detail: str) -> tuple[str, tuple[Any, ...]]:
    """A statement marking the ``offset``-th open deadline with an on_miss trigger refused, as
    release 0.1 marked every fire that did not happen, with ``detail``."""
    chosen = (
        'SELECT "case_id", "seq" FROM deadlines WHERE "status" = \'open\' AND "on_miss" IS NOT '
        'NULL AND "due_at" IS NOT NULL ORDER BY "case_id", "seq" LIMIT 1 OFFSET ?'
    )
    update = (
        'UPDATE deadlines SET "fired_at" = "due_at", "sweep_outcome" = \'refused\', '
        f'"sweep_detail" = ? WHERE ("case_id", "seq") = ({chosen})'
    )
    return update, (detail, offset)


def test_fires_an_older_release_dropped_become_failed(legacy_url: str) -> None:
    """Release 0.1 marked a fire that failed (a case it could not load, an action that raised)
    ``refused`` for good; the migration to schema 4 makes them ``failed``, listed and re-armable,
    and leaves the guards' refusals as they were."""
    lost = "cannot load: workflow 'complaint' version '1' is not in the registry"
    raised = (
        "case CMP-X: action 'notify' of CLOSE failed (ConnectionError: down); the case is unchanged"
    )
    refusal = "case DIS-X cannot END_EFFECT while DECIDED: on hold; other triggers allowed: none"
    _before_opening(
        legacy_url,
        [_mark_refused(0, lost), _mark_refused(1, raised), _mark_refused(2, refusal)],
    )
    with open_store(legacy_url, shipped_registry()) as store:
        stuck = sorted(store.stuck_deadlines(), key=lambda s: (s.case_id, s.seq))
        assert [(s.case_id, s.seq, s.kind, s.detail) for s in stuck] == [
            ("CMP-2025-004-000003", 1, StuckKind.FAILED, lost),
            ("CMP-2026-004-000003", 1, StuckKind.FAILED, raised),
            ("DIS-2023-004-000001", 3, StuckKind.REFUSED, refusal),
        ]
        assert all(s.attempts == (s.kind is StuckKind.FAILED) for s in stuck)
        assert all(s.last_at == s.due_at for s in stuck)  # marked when they fell due, here
        # None of them fires on its own; re-armed, the first one fires at the next sweep.
        swept = {(i.case_id, i.rule) for i in store.sweep(SWEEP_AT).fired}
        assert not swept & {(s.case_id, s.rule) for s in stuck}
        assert [s.case_id for s in store.rearm("CMP-2025-004-000003")] == ["CMP-2025-004-000003"]
        fired = store.sweep(SWEEP_AT).fired
        assert [(i.case_id, i.rule) for i in fired] == [
            ("CMP-2025-004-000003", "escalation_window")
        ]
        assert store.verify_all().cases == len(EXPECTED["cases"])


# --------------------------------------------------------------------------- the annual report


def test_the_annual_report_counts_what_sweeps_hold_back(
    store: CaseStore, notifier: Notifier
) -> None:
    workflow = notice_workflow(notifier)
    store.save_many(
        [
            (accepted_notice(workflow, "H1", subject="hold-1"), 0),
            (accepted_notice(workflow, "N2"), 0),
        ]
    )
    policy = RetryPolicy(max_attempts=2, backoff=dt.timedelta(0))
    store.sweep(NINE, retry=policy)  # H1 refused; N1 and N2 retrying (attempt 1)
    store.rearm("N2")
    store.sweep(NINE, retry=policy)  # N1 failed (attempt 2); N2 retrying (attempt 1 again)
    assert sorted((s.case_id, s.kind.value) for s in store.stuck_deadlines()) == [
        ("H1", "refused"),
        ("N1", "failed"),
        ("N2", "retrying"),
    ]
    report = annual_report(store, 2025)
    assert report.sweeps == {"failed": 1, "refused": 1, "retrying": 1}
    assert report.to_dict()["sweeps"] == {"failed": 1, "refused": 1, "retrying": 1}
    assert report.text().endswith(
        "\nDeadline sweeps held back: 1 failed, 1 refused, 1 retrying "
        "(discipline-flow sweep --failed lists them)\n"
    )
    assert "Thời hạn chưa được xử lý tự động: 1 thất bại, 1 bị từ chối, 1 đang thử lại" in (
        report.text("vi")
    )
    assert report.csv().endswith(
        "2025,,,sweep,failed,failed,1\n2025,,,sweep,refused,refused,1\n"
        "2025,,,sweep,retrying,retrying,1\n"
    )
    assert annual_report(store, 2024).sweeps == {}  # the stuck cases were opened in 2025
    assert "held back" not in annual_report(store, 2024).text()
    older = _WithoutStuck(store)  # a store written before stuck_deadlines: nothing counted
    assert annual_report(older, 2025).sweeps == {}  # type: ignore[arg-type]


class _WithoutStuck:
    """A store that predates ``stuck_deadlines``."""

    def __init__(self, inner: CaseStore) -> None:
        self.inner = inner

    def query_ids(self, **kwargs: Any) -> Any:
        return self.inner.query_ids(**kwargs)

    def digest_many(self, case_ids: Any) -> Any:
        return self.inner.digest_many(case_ids)
