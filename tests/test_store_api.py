"""The CaseStore protocol, the same on the memory, SQLite and PostgreSQL stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from conftest_store import (
    CLERK,
    COMMISSION,
    MATTER,
    REPLY,
    Matter,
    MatterTrigger,
    RequestTrigger,
    Stores,
    accepted_request,
    at,
    kind_params,
    open_matter,
    pg_url,
    registry,
    stores_fixture,
)
from discipline_flow import Body, BodyKind, Member, StepKind
from discipline_flow.errors import (
    CaseNotFoundError,
    ConcurrencyConflict,
    DisciplineFlowError,
    InputError,
    StoreError,
    UnsupportedStoreURLError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import (
    DEFAULT_STORE_URL,
    STORE_URL_ENV,
    CaseStore,
    MemoryStore,
    PostgresStore,
    SqliteStore,
    open_store,
    store_url_from_env,
)


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture
def store(stores: Stores) -> CaseStore:
    return stores.open()


def test_store_implements_the_protocol(store: CaseStore) -> None:
    assert isinstance(store, CaseStore)


def test_save_and_load_round_trip_every_field(store: CaseStore) -> None:
    case = accepted_request("R-1", at(2025, 3, 3), subject="m-7")
    case.fire(RequestTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload={"n": [1, 2.5, None]})
    assert store.save(case, expected_version=0) == 3
    again = store.load("R-1")
    assert again.steps == case.steps
    assert [s.at.isoformat() for s in again.steps] == [s.at.isoformat() for s in case.steps]
    assert again.deadlines == case.deadlines
    assert (again.state, again.subject, again.origin, again.workflow) == (
        case.state,
        case.subject,
        None,
        REPLY,
    )
    assert again.verify() == 3


def test_save_appends_only_new_steps(store: CaseStore) -> None:
    case = open_matter("C-1")
    store.save(case, expected_version=0)
    loaded = store.load("C-1")
    loaded.fire(MatterTrigger.REVIEW, at=at(2025, 3, 4), actor=COMMISSION)
    loaded.fire(MatterTrigger.NOTE, at=at(2025, 3, 5), actor=CLERK)
    assert store.save(loaded, expected_version=1) == 3
    assert store.version("C-1") == 3
    history = store.history("C-1")
    assert [s.kind for s in history] == [StepKind.OPEN, StepKind.FIRE, StepKind.FIRE]
    assert history[0] == case.steps[0]
    assert store.load("C-1").state is Matter.REVIEWED


def test_stale_version_is_a_conflict_and_writes_nothing(store: CaseStore) -> None:
    store.save(open_matter("C-1"), expected_version=0)
    first, second = store.load("C-1"), store.load("C-1")
    first.fire(MatterTrigger.REVIEW, at=at(2025, 3, 4), actor=COMMISSION)
    store.save(first, expected_version=1)
    second.fire(MatterTrigger.CLOSE, at=at(2025, 3, 4), actor=COMMISSION)
    with pytest.raises(
        ConcurrencyConflict, match="expected version 1 but the store holds version 2"
    ):
        store.save(second, expected_version=1)
    assert [s.trigger for s in store.history("C-1")] == [None, MatterTrigger.REVIEW]


def test_saving_a_new_case_over_a_stored_one_is_a_conflict(store: CaseStore) -> None:
    store.save(open_matter("C-1"), expected_version=0)
    with pytest.raises(ConcurrencyConflict, match="expected a new case but the store holds"):
        store.save(open_matter("C-1", at(2025, 3, 9)), expected_version=0)
    assert store.load("C-1").opened_at == at(2025, 3, 3)


def test_a_diverging_history_is_a_conflict(store: CaseStore) -> None:
    store.save(open_matter("C-1"), expected_version=0)
    other = open_matter("C-1", at(2025, 3, 9))  # same id, a different first step
    other.fire(MatterTrigger.NOTE, at=at(2025, 3, 10), actor=CLERK)
    with pytest.raises(ConcurrencyConflict, match="differs from the stored one at step 0"):
        store.save(other, expected_version=1)
    assert store.version("C-1") == 1


def test_saving_an_unchanged_case_checks_its_version(store: CaseStore) -> None:
    store.save(open_matter("C-1"), expected_version=0)
    stale = store.load("C-1")
    assert store.save(stale, expected_version=1) == 1
    fresh = store.load("C-1")
    fresh.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK)
    store.save(fresh, expected_version=1)
    with pytest.raises(ConcurrencyConflict):
        store.save(stale, expected_version=1)


def test_save_many_is_all_or_nothing(store: CaseStore) -> None:
    store.save(open_matter("C-2"), expected_version=0)
    with pytest.raises(ConcurrencyConflict, match="case C-2"):
        store.save_many([(open_matter("C-1"), 0), (open_matter("C-2"), 0), (open_matter("C-3"), 0)])
    assert [store.exists(i) for i in ("C-1", "C-2", "C-3")] == [False, True, False]
    assert store.save_many([(open_matter("C-1"), 0), (open_matter("C-3"), 0)]) == 2
    assert store.exists("C-3")
    with pytest.raises(InputError, match="twice"):
        store.save_many([(open_matter("C-4"), 0), (open_matter("C-4"), 0)])
    with pytest.raises(InputError, match="pairs"):
        store.save_many([open_matter("C-5")])


@pytest.mark.parametrize("expected", [-1, 5, True, "1", None])
def test_bad_expected_version_is_an_input_error(store: CaseStore, expected: object) -> None:
    with pytest.raises(InputError, match="expected_version"):
        store.save(open_matter("C-1"), expected_version=expected)  # type: ignore[arg-type]
    assert not store.exists("C-1")


def test_case_of_an_unregistered_workflow_is_refused(stores: Stores) -> None:
    store = stores.open(WorkflowRegistry([REPLY]))
    with pytest.raises(InputError, match="no workflow 'matter' version '1' is registered"):
        store.save(open_matter("C-1"), expected_version=0)
    with pytest.raises(InputError, match="expected a Case"):
        store.save("C-1", expected_version=0)  # type: ignore[arg-type]


def test_unknown_case_id(store: CaseStore) -> None:
    for call in (store.load, store.history, store.version, store.linked):
        with pytest.raises(CaseNotFoundError, match="no case 'nope' is stored"):
            call("nope")
    assert not store.exists("nope")
    with pytest.raises(CaseNotFoundError):
        store.as_of("nope", at(2025, 3, 3))


def test_load_many_keeps_the_order_asked(store: CaseStore) -> None:
    store.save_many([(open_matter(f"C-{i}"), 0) for i in range(3)])
    assert [c.id for c in store.load_many(["C-2", "C-0", "C-1"])] == ["C-2", "C-0", "C-1"]
    with pytest.raises(InputError):
        store.load_many("C-1")
    with pytest.raises(CaseNotFoundError):
        store.load_many(["C-1", "C-9"])


def test_query_filters(store: CaseStore) -> None:
    a = open_matter("A", at(2025, 3, 3))
    b = open_matter("B", at(2025, 3, 5))
    b.fire(MatterTrigger.REVIEW, at=at(2025, 3, 6), actor=COMMISSION)
    c = accepted_request("C", at(2025, 3, 7), subject="m-A")
    store.save_many([(a, 0), (b, 0), (c, 0)])

    def ids(**filters: object) -> list[str]:
        return [s.id for s in store.query(**filters)]  # type: ignore[arg-type]

    assert ids() == ["A", "B", "C"]
    assert ids(workflow="matter") == ["A", "B"]
    assert ids(workflow=REPLY) == ["C"]
    assert ids(state=Matter.REVIEWED) == ["B"]
    assert ids(state="OPEN") == ["A"]
    assert ids(subject_id="m-A") == ["A", "C"]
    assert ids(body_id=COMMISSION.id) == ["B", "C"]
    # opened_from is inclusive, opened_until exclusive
    assert ids(opened_from=at(2025, 3, 5), opened_until=at(2025, 3, 7)) == ["B"]
    assert ids(ruleset="test-2025") == ["A", "B"]
    assert ids(limit=2) == ["A", "B"]
    assert ids(workflow="matter", state="CLOSED") == []
    summary = store.query(workflow="matter", state="REVIEWED")[0]
    assert (summary.version, summary.subject_kind, summary.last_at) == (2, "member", at(2025, 3, 6))
    assert summary.to_dict()["opened_at"] == "2025-03-05T09:00:00+07:00"
    with pytest.raises(InputError, match="limit"):
        store.query(limit=0)
    with pytest.raises(InputError, match="subject_id"):
        store.query(subject_id=3)  # type: ignore[arg-type]


def test_query_ids_are_the_ids_query_returns(store: CaseStore) -> None:
    a = open_matter("A", at(2025, 3, 3))
    b = open_matter("B", at(2025, 3, 5))
    b.fire(MatterTrigger.REVIEW, at=at(2025, 3, 6), actor=COMMISSION)
    c = accepted_request("C", at(2025, 3, 7), subject="m-A")
    early = open_matter("0-early", at(2025, 3, 5))  # same instant as B, sorts before it by id
    store.save_many([(c, 0), (a, 0), (b, 0), (early, 0)])
    filters: list[dict[str, Any]] = [
        {},
        {"workflow": "matter"},
        {"workflow": REPLY},
        {"state": Matter.REVIEWED},
        {"subject_id": "m-A"},
        {"body_id": COMMISSION.id},
        {"opened_from": at(2025, 3, 5), "opened_until": at(2025, 3, 7)},
        {"ruleset": "test-2025"},
        {"limit": 2},
        {"workflow": "matter", "state": "CLOSED"},
    ]
    for given in filters:
        assert store.query_ids(**given) == [s.id for s in store.query(**given)], given
    assert store.query_ids() == ["A", "0-early", "B", "C"]
    for bad in ({"limit": 0}, {"subject_id": 3}, {"opened_from": dt.datetime(2025, 3, 3)}):
        with pytest.raises(DisciplineFlowError) as by_ids:
            store.query_ids(**bad)
        with pytest.raises(DisciplineFlowError) as by_query:
            store.query(**bad)
        assert (type(by_ids.value), str(by_ids.value)) == (
            type(by_query.value),
            str(by_query.value),
        )


def test_linked_returns_the_whole_matter(store: CaseStore) -> None:
    root = open_matter("P", at(2025, 3, 3))
    child_1 = MATTER.open(Member("m-1"), at=at(2025, 3, 5), actor=CLERK, case_id="K1", parent=root)
    child_2 = MATTER.open(Member("m-2"), at=at(2025, 3, 4), actor=CLERK, case_id="K2", parent=root)
    grandchild = REPLY.open(
        Member("m-1"), at=at(2025, 3, 6), actor=CLERK, case_id="G", parent=child_1
    )
    other = open_matter("X")
    store.save_many([(c, 0) for c in (root, child_1, child_2, grandchild, other)])
    expected = ["P", "K2", "K1", "G"]  # root, then each level by opening time
    assert [s.id for s in store.linked("G")] == expected
    assert [s.id for s in store.linked("P")] == expected
    assert store.load("G").origin == grandchild.origin
    assert store.linked("G")[3].origin_case_id == "K1"
    assert [s.id for s in store.linked("X")] == ["X"]


def test_as_of_replays_the_case_up_to_an_instant(store: CaseStore) -> None:
    case = open_matter("C-1", at(2025, 3, 3))
    case.fire(MatterTrigger.REVIEW, at=at(2025, 3, 10), actor=COMMISSION)
    case.fire(MatterTrigger.CLOSE, at=at(2025, 3, 20), actor=COMMISSION)
    store.save(case, expected_version=0)
    assert store.as_of("C-1", at(2025, 3, 9)).state is Matter.OPEN
    assert store.as_of("C-1", at(2025, 3, 10)).state is Matter.REVIEWED
    assert store.as_of("C-1", at(2025, 3, 21)).version == 3
    with pytest.raises(InputError, match="opened at"):
        store.as_of("C-1", at(2025, 3, 1))
    with pytest.raises(ValueError, match="aware"):
        store.as_of("C-1", dt.datetime(2025, 3, 9))


def test_closed_store_refuses_work(stores: Stores) -> None:
    store = stores.open()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.load("C-1")


def test_a_second_store_on_the_same_database_sees_the_cases(stores: Stores) -> None:
    if stores.kind == "memory":
        pytest.skip("a memory store is one object")
    first = stores.open()
    first.save(open_matter("C-1"), expected_version=0)
    first.close()
    second = stores.open()
    assert second.load("C-1").version == 1


# --------------------------------------------------------------------------- URLs


def test_open_store_by_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("memory://", registry()) as store:
        assert isinstance(store, MemoryStore)
    with open_store("sqlite:///relative.db", registry()) as store:
        assert isinstance(store, SqliteStore)
        store.save(open_matter("C-1"), expected_version=0)
    assert (tmp_path / "relative.db").exists()  # three slashes: relative to the directory
    absolute = tmp_path / "sub" / "absolute.db"
    absolute.parent.mkdir()
    with open_store(f"sqlite:///{absolute}", registry()) as store:
        assert isinstance(store, SqliteStore)
        assert store.path == str(absolute)
    with open_store("sqlite:///:memory:", registry()) as store:
        store.save(open_matter("C-1"), expected_version=0)
        assert store.exists("C-1")
    assert not (tmp_path / ":memory:").exists()


@pytest.mark.parametrize(
    "url",
    ["mysql://localhost/x", "cases.db", "sqlite://", "sqlite:/x.db", "memory://x", ""],
)
def test_unsupported_store_urls(url: str) -> None:
    with pytest.raises(UnsupportedStoreURLError) as info:
        open_store(url)
    assert isinstance(info.value, ValueError)


def test_unsupported_url_does_not_print_the_password() -> None:
    with pytest.raises(UnsupportedStoreURLError) as info:
        open_store("mongodb://app:s3cret@db/x")
    assert "s3cret" not in str(info.value)


@pytest.mark.postgres
def test_postgres_url_with_a_schema() -> None:
    base = pg_url()
    with open_store(f"{base}?schema=t_url_test", registry()) as store:
        assert isinstance(store, PostgresStore)
        assert store.schema == "t_url_test"
        assert "t_url_test" in repr(store)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP SCHEMA t_url_test CASCADE")
    with pytest.raises(InputError, match="schema"):
        PostgresStore(base, registry(), schema="x; DROP TABLE cases")


@pytest.mark.postgres
def test_postgres_unreachable_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="PostgreSQL"):
        PostgresStore("postgresql://nobody@127.0.0.1:1/none", timeout=1.0)


def test_store_url_from_env() -> None:
    assert STORE_URL_ENV == "DISCIPLINE_FLOW_STORE"
    assert store_url_from_env({}) == DEFAULT_STORE_URL == "sqlite:///discipline_flow.db"
    assert store_url_from_env({"DISCIPLINE_FLOW_STORE": "memory://"}) == "memory://"
    assert store_url_from_env({"DISCIPLINE_FLOW_STORE": ""}) == DEFAULT_STORE_URL


def test_sqlite_store_arguments(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="synchronous"):
        SqliteStore(tmp_path / "x.db", synchronous="SOMETIMES")
    with pytest.raises(InputError, match="busy_timeout"):
        SqliteStore(tmp_path / "x.db", busy_timeout=-1)
    with pytest.raises(InputError, match="registry"):
        SqliteStore(tmp_path / "x.db", registry=[Body(BodyKind.SYSTEM, "x")])  # type: ignore[list-item]
    not_a_db = tmp_path / "text.db"
    not_a_db.write_text("hello, this is not SQLite" * 100)
    with pytest.raises(StoreError, match="not a database"):
        SqliteStore(not_a_db)
