"""Case digests (``digest_many``): the same on the memory, SQLite and PostgreSQL stores, equal to
the digests of the verified cases, and enough for the annual report."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest_store import CLERK, COMMISSION, Stores, at, kind_params, stores_fixture
from discipline_flow import Case, Level, Member, Organisation, Period, Transition, Workflow
from discipline_flow.errors import (
    CaseNotFoundError,
    InputError,
    MalformedDataError,
    NaiveDatetimeError,
    StoreError,
    TamperedHistoryError,
)
from discipline_flow.reports import DeadlineOutcome, annual_report, deadline_outcome
from discipline_flow.rules import Measure
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import CaseDigest, CaseStore, DeadlineDigest, MemoryStore
from discipline_flow.store._digest import measure_in, measure_named
from discipline_flow.time import DeadlineRule
from discipline_flow.time.deadline import ExtensionPolicy


class Hold(enum.Enum):
    OPEN = "open"
    WORKING = "working"
    HELD = "held"
    DONE = "done"
    DROPPED = "dropped"
    LAPSED = "lapsed"


class HoldTrigger(enum.Enum):
    ACCEPT = "accept"
    HOLD = "hold"
    RESUME = "resume"
    EXTEND = "extend"
    NOTE = "note"
    FINISH = "finish"
    DROP = "drop"
    LAPSE = "lapse"


# Counted by the Civil Code 2015 (arts. 147-148): the start day excluded, a last day off rolled
# forward, the end at 24:00. The answer may be paused (tolling), extended twice, and is capped.
ANSWER = DeadlineRule(
    "answer",
    Period.parse("10 working days"),
    starts_on_trigger=HoldTrigger.ACCEPT,
    met_by={HoldTrigger.FINISH},
    cancelled_by={Hold.DROPPED, Hold.LAPSED},
    paused_by={HoldTrigger.HOLD},
    resumed_by={HoldTrigger.RESUME},
    extended_by=HoldTrigger.EXTEND,
    extension=ExtensionPolicy(max_count=2, reason_required=False),
    cap=Period.parse("60 days"),
    on_miss=HoldTrigger.LAPSE,
)
NOTICE = DeadlineRule(
    "notice",
    Period.parse("5 days"),
    starts_on_enter=Hold.OPEN,
    met_by={HoldTrigger.ACCEPT},
    cancelled_by={Hold.DROPPED},
)
HOLD: Workflow[Hold, HoldTrigger] = Workflow(
    name="hold",
    version="1",
    states=Hold,
    triggers=HoldTrigger,
    initial=Hold.OPEN,
    terminal={Hold.DONE, Hold.DROPPED, Hold.LAPSED},
    transitions=[
        Transition(HoldTrigger.ACCEPT, Hold.OPEN, Hold.WORKING),
        Transition(HoldTrigger.HOLD, Hold.WORKING, Hold.HELD),
        Transition(HoldTrigger.RESUME, Hold.HELD, Hold.WORKING),
        Transition(HoldTrigger.EXTEND, Hold.WORKING, Hold.WORKING),
        Transition(HoldTrigger.NOTE, (Hold.OPEN, Hold.WORKING, Hold.HELD), Hold.WORKING),
        Transition(HoldTrigger.FINISH, (Hold.WORKING, Hold.HELD), Hold.DONE),
        Transition(HoldTrigger.DROP, (Hold.OPEN, Hold.WORKING), Hold.DROPPED),
        Transition(HoldTrigger.LAPSE, Hold.WORKING, Hold.LAPSED),
    ],
    deadline_rules=[ANSWER, NOTICE],
)
SWEPT_AT = at(2025, 6, 1)
MEMBER = Member(
    "m-full",
    name="Nguyễn Văn A",
    cell_id="cell-3",
    is_probationary=True,
    holds_post=True,
    committee_level=Level.GRASSROOTS,
    managed_by=Level.PROVINCIAL,
)
ORGANISATION = Organisation("org-7", Level.DISTRICT, name="Đảng bộ phường 7", parent_id="org-1")


def registry() -> WorkflowRegistry:
    return WorkflowRegistry([HOLD])


def _cases() -> list[Case[Any, Any]]:
    """Every way a case and its deadlines can stand: open, met on time and late, paused (with a
    cap), resumed, extended, cancelled, swept; measures named, renamed and not named."""

    def new(case_id: str, subject: Any = None, **kwargs: Any) -> Case[Any, Any]:
        who = subject if subject is not None else Member(f"m-{case_id}")
        return HOLD.open(who, at=at(2025, 3, 3), actor=CLERK, case_id=case_id, **kwargs)

    cases = []
    opened = new("C-open", MEMBER)
    cases.append(opened)
    accepted = new("C-accepted", ORGANISATION)
    accepted.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION)
    cases.append(accepted)
    held = new("C-held")
    held.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION)
    held.fire("HOLD", at=at(2025, 3, 6), actor=COMMISSION)
    cases.append(held)
    resumed = new("C-resumed")
    resumed.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION)
    resumed.fire("HOLD", at=at(2025, 3, 6), actor=COMMISSION)
    resumed.fire("RESUME", at=at(2025, 3, 12), actor=COMMISSION)
    cases.append(resumed)
    extended = new("C-extended")
    extended.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION)
    extended.fire(
        "EXTEND",
        at=at(2025, 3, 10),
        actor=COMMISSION,
        payload={"extend_by": "5 working days", "reason": "chờ xác minh"},
    )
    cases.append(extended)
    late = new("C-late")
    late.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION)
    late.fire("FINISH", at=at(2025, 3, 25), actor=COMMISSION, payload={"measure": "WARNING"})
    cases.append(late)
    on_time = new("C-on-time", parent=late)
    on_time.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION, payload={"measure": "warning"})
    on_time.fire(
        "FINISH",
        at=at(2025, 3, 5),
        actor=COMMISSION,
        payload={"measure": "reprimand", "note": "measure taken"},
    )
    cases.append(on_time)
    renamed = new("C-renamed")
    renamed.fire("NOTE", at=at(2025, 3, 4), actor=CLERK, payload={"measure": "expulsion"})
    renamed.fire("NOTE", at=at(2025, 3, 5), actor=CLERK, payload={"measure": "not a measure"})
    renamed.fire("NOTE", at=at(2025, 3, 6), actor=CLERK, payload={"text": "no measure here"})
    renamed.fire(
        "NOTE", at=at(2025, 3, 7), actor=CLERK, payload={"decision": {"measure": "warning"}}
    )
    cases.append(renamed)
    dropped = new("C-dropped")
    dropped.fire("DROP", at=at(2025, 3, 5), actor=COMMISSION)
    cases.append(dropped)
    swept = new("C-swept")
    swept.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION)
    cases.append(swept)
    return cases


IDS = [c.id for c in _cases()]


def _fill(store: CaseStore) -> None:
    store.save_many([(c, 0) for c in _cases()])
    # C-accepted and C-extended are caught by the sweep too: their answers ran out.
    store.sweep(SWEPT_AT)


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture
def store(stores: Stores) -> CaseStore:
    opened = stores.open(registry())
    _fill(opened)
    return opened


def test_digests_equal_those_of_the_verified_cases(store: CaseStore) -> None:
    digests = store.digest_many(IDS)
    assert [d.id for d in digests] == IDS
    assert digests == [CaseDigest.of(case) for case in store.load_many(IDS)]


def test_digests_read_what_the_cases_hold(store: CaseStore) -> None:
    by_id = {d.id: d for d in store.digest_many(IDS)}
    assert by_id["C-open"].subject == MEMBER
    assert by_id["C-accepted"].subject == ORGANISATION
    assert by_id["C-held"].state is Hold.HELD
    assert by_id["C-swept"].state is Hold.LAPSED  # the sweep fired LAPSE
    assert by_id["C-swept"].is_closed
    assert not by_id["C-held"].is_closed
    assert by_id["C-on-time"].origin_case_id == "C-late"
    assert by_id["C-late"].origin_case_id is None
    assert by_id["C-late"].measure is Measure.WARNING  # by name
    assert by_id["C-on-time"].measure is Measure.REPRIMAND  # the last one named wins
    assert by_id["C-renamed"].measure is Measure.EXPULSION  # later payloads name none
    assert by_id["C-open"].measure is None
    assert by_id["C-renamed"].version == 5
    assert by_id["C-late"].opened_at == at(2025, 3, 3)
    assert by_id["C-late"].last_at == at(2025, 3, 25)
    assert by_id["C-late"].opened_at.utcoffset() == dt.timedelta(hours=7)
    held = by_id["C-held"].deadlines
    assert [d.rule for d in held] == ["notice", "answer"]
    assert held[1].met_at is None
    assert held[1].cancelled_at is None
    # Accepted Tue 4/3: 10 working days end Tue 18/3 at 24:00. Paused, it is overdue only when
    # its 60-day cap runs out: Sat 3/5 rolled forward to Mon 5/5 (art. 148), at 24:00.
    assert held[1].due_at == at(2025, 3, 19, 0)
    assert held[1].overdue_at == at(2025, 5, 6, 0)


def test_deadline_outcomes_of_digests_equal_those_of_deadlines(store: CaseStore) -> None:
    instants = [at(2025, 3, 1), at(2025, 3, 18), at(2025, 4, 1), SWEPT_AT, at(2026, 1, 1)]
    seen: set[DeadlineOutcome] = set()
    for case, digest in zip(store.load_many(IDS), store.digest_many(IDS), strict=True):
        for deadline, light in zip(case.deadlines, digest.deadlines, strict=True):
            for now in instants:
                outcome = deadline_outcome(deadline, now)
                assert deadline_outcome(light, now) is outcome
                assert light.is_overdue(now) is (outcome is DeadlineOutcome.MISSED)
                seen.add(outcome)
    assert seen == set(DeadlineOutcome)


def test_digests_keep_the_order_asked_and_repeat_ids(store: CaseStore) -> None:
    asked = ["C-swept", "C-open", "C-swept"]
    assert [d.id for d in store.digest_many(asked)] == asked
    assert store.digest_many([]) == []


def test_digests_of_many_cases_are_read_in_chunks(stores: Stores) -> None:
    store = stores.open(registry())
    cases = []
    for n in range(1203):
        case = HOLD.open(Member(f"m-{n}"), at=at(2025, 3, 3), actor=CLERK, case_id=f"K-{n:04}")
        if n % 3 == 0:
            case.fire("ACCEPT", at=at(2025, 3, 4), actor=COMMISSION, payload={"measure": "warning"})
        cases.append(case)
    store.save_many([(c, 0) for c in cases])
    ids = [c.id for c in reversed(cases)]
    assert store.digest_many(ids) == [CaseDigest.of(c) for c in reversed(cases)]


def test_unknown_ids_and_bad_input(store: CaseStore) -> None:
    with pytest.raises(CaseNotFoundError, match="no case 'C-nowhere' is stored"):
        store.digest_many(["C-open", "C-nowhere"])
    with pytest.raises(InputError):
        store.digest_many("C-open")
    with pytest.raises(InputError):
        store.digest_many([""])


def test_a_closed_store_refuses_digests(stores: Stores) -> None:
    store = stores.open(registry())
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.digest_many(["C-open"])


def test_a_case_of_an_unregistered_workflow_is_refused_like_load(stores: Stores) -> None:
    _fill(stores.open(registry()))
    if stores.kind == "memory":
        pytest.skip("a memory store is one object with one registry")
    other = stores.open(WorkflowRegistry())
    with pytest.raises(InputError, match="no workflow 'hold' version '1' is registered"):
        other.load("C-open")
    with pytest.raises(InputError, match="no workflow 'hold' version '1' is registered"):
        other.digest_many(["C-open"])


# --------------------------------------------------------------------------- what is not read

SQL_KINDS = kind_params("sqlite", "postgres")


@pytest.fixture(params=SQL_KINDS)
def sql_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def test_digests_do_not_verify_histories(sql_stores: Stores) -> None:
    store = sql_stores.open(registry())
    _fill(store)
    sql_stores.sql('UPDATE cases SET "head_hash" = ? WHERE "id" = ?', ("0" * 64, "C-late"))
    with pytest.raises(TamperedHistoryError):
        store.load("C-late")
    (digest,) = store.digest_many(["C-late"])
    assert digest.state is Hold.DONE  # read as stored: `verify` and `load` check histories


@pytest.mark.parametrize(
    ("statement", "params", "problem"),
    [
        ('UPDATE cases SET "state" = ? WHERE "id" = ?', ("NOWHERE", "C-open"), "state"),
        ('UPDATE cases SET "subject" = ? WHERE "id" = ?', ('{"kind": "alien"}', "C-open"), "kind"),
        ('UPDATE deadlines SET "data" = ? WHERE "case_id" = ?', ('"text"', "C-open"), "due_at"),
        (
            'UPDATE deadlines SET "data" = ? WHERE "case_id" = ?',
            ('{"due_at": "soon"}', "C-open"),
            "due_at",
        ),
        (
            'UPDATE deadlines SET "data" = ? WHERE "case_id" = ?',
            ('{"due_at": "2025-03-08T00:00:00"}', "C-open"),
            "no timezone",
        ),
        (
            'UPDATE deadlines SET "data" = ? WHERE "case_id" = ?',
            ('{"due_at": "2025-03-08T00:00:00+07:00", "met_at": 5}', "C-open"),
            "met_at",
        ),
        (
            (
                "INSERT INTO steps VALUES (?, 9, 'fire', NULL, NULL, 'OPEN', "
                "'2025-03-03T09:00:00+07:00', 'person', 'x', NULL, NULL, NULL, ?, 'h', 'h', NULL)"
            ),
            ("C-open", '["measure"]'),
            "payload",
        ),
    ],
    ids=["state", "subject", "json-text", "bad-instant", "naive", "met-at", "payload"],
)
def test_malformed_rows_are_named(
    sql_stores: Stores, statement: str, params: tuple[Any, ...], problem: str
) -> None:
    store = sql_stores.open(registry())
    _fill(store)
    sql_stores.sql(statement, params)
    with pytest.raises(MalformedDataError, match=problem):
        store.digest_many(["C-open"])


def test_deadline_data_that_is_not_json_is_named_on_sqlite(tmp_path: Path) -> None:
    stores = Stores("sqlite", tmp_path)
    try:
        store = stores.open(registry())
        _fill(store)
        stores.sql('UPDATE deadlines SET "data" = ? WHERE "case_id" = ?', ("{oops", "C-open"))
        with pytest.raises(MalformedDataError, match="C-open deadline 0: invalid JSON"):
            store.digest_many(["C-open"])
    finally:
        stores.close()


# --------------------------------------------------------------------------- the report


def test_the_report_is_the_same_on_every_store(store: CaseStore) -> None:
    with MemoryStore(registry()) as reference:
        _fill(reference)
        expected = annual_report(reference, 2025).to_dict()
    assert annual_report(store, 2025).to_dict() == expected
    figures = expected["processes"][0]
    assert figures["cases"] == len(IDS)
    assert figures["measures"] == {"expulsion": 1, "reprimand": 1, "warning": 1}
    assert figures["subjects"]["organisation"] == {"district": 1}


class _LoadOnly:
    """A store written before ``digest_many``: the report loads its cases instead."""

    def __init__(self, inner: CaseStore) -> None:
        self.inner = inner
        self.loaded = 0

    def query(self, **kwargs: Any) -> Any:
        return self.inner.query(**kwargs)

    def load_many(self, case_ids: Any) -> Any:
        self.loaded += len(case_ids)
        return self.inner.load_many(case_ids)

    def stuck_deadlines(self) -> Any:  # the report's count of what sweeps hold back
        return self.inner.stuck_deadlines()


def test_the_report_loads_cases_from_a_store_without_digests() -> None:
    with MemoryStore(registry()) as store:
        _fill(store)
        old = _LoadOnly(store)
        assert annual_report(old, 2025).to_dict() == annual_report(store, 2025).to_dict()  # type: ignore[arg-type]
        assert old.loaded == len(IDS)


class _Recording:
    """A store that records how the report lists and reads its cases."""

    def __init__(self, inner: CaseStore) -> None:
        self.inner = inner
        self.summaries = 0
        self.read: list[str] = []

    def query(self, **kwargs: Any) -> Any:
        self.summaries += 1
        return self.inner.query(**kwargs)

    def query_ids(self, **kwargs: Any) -> Any:
        return self.inner.query_ids(**kwargs)

    def digest_many(self, case_ids: Any) -> Any:
        self.read.extend(case_ids)
        return self.inner.digest_many(case_ids)

    def stuck_deadlines(self) -> Any:
        return self.inner.stuck_deadlines()


def test_the_report_lists_ids_only_and_reads_them_in_id_order(store: CaseStore) -> None:
    recording = _Recording(store)
    expected = annual_report(store, 2025).to_dict()
    assert annual_report(recording, 2025).to_dict() == expected  # type: ignore[arg-type]
    assert recording.summaries == 0  # no summary is built only for its id
    assert sorted(IDS) != IDS  # the order the cases were made in
    assert recording.read == sorted(IDS)  # neighbouring ids are read together


# --------------------------------------------------------------------------- conventions


def test_measures_are_named_by_member_name_or_value() -> None:
    assert measure_named(Measure.DISSOLUTION) is Measure.DISSOLUTION
    assert measure_named("REMOVAL_FROM_POST") is Measure.REMOVAL_FROM_POST
    assert measure_named("removal_from_post") is Measure.REMOVAL_FROM_POST
    assert measure_named("Warning") is None
    assert measure_named(2) is None
    assert measure_in([{"measure": None}, {"measure": "warning"}]) is Measure.WARNING
    assert measure_in([]) is None


def test_a_deadline_digest_checks_its_instant() -> None:
    (case,) = [c for c in _cases() if c.id == "C-held"]
    light = DeadlineDigest.of(case.deadline("answer"))
    assert light.is_open
    with pytest.raises(NaiveDatetimeError):
        light.is_overdue(dt.datetime(2025, 6, 1))
    with pytest.raises(NaiveDatetimeError):
        deadline_outcome(light, dt.datetime(2025, 6, 1))


def test_digests_with_moves_equal_those_of_the_verified_cases(store: CaseStore) -> None:
    digests = store.digest_many(IDS, moves=True)
    assert digests == [CaseDigest.of(case, moves=True) for case in store.load_many(IDS)]
    by_id = {d.id: d for d in digests}
    moves = by_id["C-on-time"].moves
    assert moves is not None
    # Opened by the clerk (a party cell: grassroots by its kind, no level stated), then moved
    # by the commission; the measures its payloads name, step by step.
    assert [(m.trigger, m.target, m.actor_kind, m.actor_level, m.measure) for m in moves] == [
        (None, "OPEN", "party_cell", None, None),
        ("ACCEPT", "WORKING", "inspection_commission", None, Measure.WARNING),
        ("FINISH", "DONE", "inspection_commission", None, Measure.REPRIMAND),
    ]
    assert [m.at for m in moves] == [at(2025, 3, 3), at(2025, 3, 4), at(2025, 3, 5)]
    swept = by_id["C-swept"].moves
    assert swept is not None
    assert (swept[-1].trigger, swept[-1].actor_kind) == ("LAPSE", "system")
    assert store.digest_many(IDS)[0].moves is None  # only when asked for
