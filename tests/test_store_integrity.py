"""Integrity: tampering, truncation, malformed data, schema versions and hostile text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest_store import (
    CLERK,
    MATTER,
    REPLY,
    MatterTrigger,
    Stores,
    allow_edits,
    at,
    kind_params,
    open_matter,
    stores_fixture,
)
from discipline_flow import Body, BodyKind, Member
from discipline_flow.errors import (
    InputError,
    MalformedDataError,
    StoreError,
    TamperedHistoryError,
    UnknownSchemaVersionError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import CaseStore

SQL_KINDS = ("sqlite", "postgres")


@pytest.fixture(params=kind_params(*SQL_KINDS))
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture(params=kind_params())
def any_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _three_steps(store: CaseStore, case_id: str = "C-1") -> None:
    case = open_matter(case_id)
    case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload={"n": 1})
    case.fire(MatterTrigger.REVIEW, at=at(2025, 3, 5), actor=CLERK)
    store.save(case, expected_version=0)


def test_steps_are_append_only_in_the_database(stores: Stores) -> None:
    _three_steps(stores.open())
    with pytest.raises(Exception, match="append-only"):
        stores.sql("UPDATE steps SET basis = 'x' WHERE case_id = 'C-1'")
    with pytest.raises(Exception, match="append-only"):
        stores.sql("DELETE FROM steps WHERE case_id = 'C-1'")


def test_an_edited_step_is_detected(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    _three_steps(store, "C-2")
    allow_edits(stores)
    stores.sql("UPDATE steps SET payload = '{\"n\":2}' WHERE case_id = 'C-1' AND idx = 1")
    with pytest.raises(TamperedHistoryError, match=r"case C-1: step 1 \(fire NOTE\) was edited"):
        store.load("C-1")
    with pytest.raises(TamperedHistoryError, match="case C-1: step 1"):
        store.verify_all()
    assert store.load("C-2").version == 3


def test_an_edited_actor_is_detected(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    allow_edits(stores)
    stores.sql("UPDATE steps SET actor_id = 'someone-else' WHERE case_id = 'C-1' AND idx = 2")
    with pytest.raises(TamperedHistoryError, match="step 2"):
        store.history("C-1")


def test_a_truncated_history_is_detected(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    allow_edits(stores)
    stores.sql("DELETE FROM steps WHERE case_id = 'C-1' AND idx = 2")
    with pytest.raises(TamperedHistoryError, match=r"step 2 is missing.*truncated"):
        store.load("C-1")
    # hiding it by also rewriting the recorded version is caught by the recorded head
    stores.sql("UPDATE cases SET version = 2 WHERE id = 'C-1'")
    with pytest.raises(TamperedHistoryError, match="step 1 is not the recorded head"):
        store.load("C-1")


def test_a_removed_middle_step_is_detected(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    allow_edits(stores)
    stores.sql("DELETE FROM steps WHERE case_id = 'C-1' AND idx = 1")
    with pytest.raises(TamperedHistoryError, match="step 1 is missing"):
        store.load("C-1")


def test_an_edited_state_is_detected(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    stores.sql("UPDATE cases SET state = 'CLOSED' WHERE id = 'C-1'")
    with pytest.raises(TamperedHistoryError, match="recorded state 'CLOSED'"):
        store.load("C-1")


def test_an_added_step_is_detected(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    row = stores.sql("SELECT * FROM steps WHERE case_id = 'C-1' AND idx = 2")[0]
    marks = ", ".join("?" for _ in row)
    stores.sql(f"INSERT INTO steps VALUES ({marks})", (*row[:1], 3, *row[2:]))
    with pytest.raises(TamperedHistoryError, match="step 3"):
        store.load("C-1")


def test_malformed_json_is_a_clear_error(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    allow_edits(stores)
    # PostgreSQL's json type refuses text that is not JSON, so there the payload is valid
    # JSON of the wrong shape.
    bad = "{not json" if stores.kind == "sqlite" else "[1, 2]"
    stores.sql("UPDATE steps SET payload = ? WHERE case_id = 'C-1' AND idx = 1", (bad,))
    with pytest.raises(MalformedDataError, match=r"case C-1 step 1\.payload"):
        store.load("C-1")
    stores.sql("UPDATE cases SET subject = ? WHERE id = 'C-1'", ('{"kind": "robot"}',))
    with pytest.raises(MalformedDataError):
        store.verify_all()


def test_an_unknown_state_name_is_a_clear_error(stores: Stores) -> None:
    store = stores.open()
    _three_steps(store)
    allow_edits(stores)
    stores.sql("UPDATE steps SET target = 'LIMBO' WHERE case_id = 'C-1' AND idx = 2")
    with pytest.raises(MalformedDataError, match="'LIMBO' is not one of OPEN, REVIEWED, CLOSED"):
        store.load("C-1")


def test_text_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    stores = Stores("sqlite", tmp_path)
    store = stores.open()
    _three_steps(store)
    allow_edits(stores)
    stores.sql("UPDATE steps SET actor_name = CAST(X'C328FF' AS TEXT) WHERE idx = 1")
    with pytest.raises(MalformedDataError, match="not UTF-8"):
        store.load("C-1")
    stores.close()


def test_an_unknown_schema_version_is_refused(stores: Stores) -> None:
    stores.open().close()
    stores.sql("INSERT INTO schema_version (version, applied_by) VALUES (99, 'the future')")
    with pytest.raises(UnknownSchemaVersionError, match="schema version 99 is not supported"):
        stores.open()


def test_orphan_steps_are_detected(tmp_path: Path) -> None:
    stores = Stores("sqlite", tmp_path)
    store = stores.open()
    _three_steps(store)
    row = stores.sql("SELECT * FROM steps WHERE case_id = 'C-1' AND idx = 0")[0]
    marks = ", ".join("?" for _ in row)
    stores.sql(f"INSERT INTO steps VALUES ({marks})", ("ghost", *row[1:]))
    with pytest.raises(TamperedHistoryError, match="case ghost: steps are stored"):
        store.verify_all()
    stores.close()


def test_unregistered_workflows_get_their_chain_checked(stores: Stores) -> None:
    full = stores.open()
    _three_steps(full)
    only_reply = stores.open(WorkflowRegistry([REPLY]))
    report = only_reply.verify_all()
    assert (report.cases, report.steps, report.chain_only) == (1, 3, ("C-1",))
    allow_edits(stores)
    stores.sql("UPDATE steps SET payload = '{\"n\":3}' WHERE case_id = 'C-1' AND idx = 1")
    with pytest.raises(TamperedHistoryError, match="case C-1: step 1"):
        only_reply.verify_all()


# --------------------------------------------------------------------------- hostile text

HOSTILE = [
    'O\'Brien "quoted" `back`',
    "'; DROP TABLE cases; --",
    "Robert'); DELETE FROM steps WHERE ('1'='1",
    "Nguyễn Văn Ánh, Đảng ủy cơ sở",
    "emoji 🇻🇳 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "back\\slash %s %(x)s ? $1 :name",
    "tab\tnew\nline\rreturn \u2028\u2029 \x7f",
    "\ufeffBOM and \u200b zero width",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_round_trips_in_every_field(any_stores: Stores, text: str) -> None:
    store = any_stores.open()
    subject = Member(text, name=text, cell_id=text)
    actor = Body(BodyKind.PERSON, text, name=text)
    case_id = text[:200]
    case = MATTER.open(subject, at=at(2025, 3, 3), actor=actor, case_id=case_id)
    case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=actor, payload={text: [text, {text: 1}]})
    store.save(case, expected_version=0)
    again = store.load(case_id)
    assert again.subject == subject
    assert again.steps == case.steps
    assert again.steps[1].actor == actor
    assert again.steps[1].payload == {text: [text, {text: 1}]}
    assert [s.id for s in store.query(subject_id=text)] == [case_id]
    assert [s.id for s in store.query(body_id=text)] == [case_id]


def test_a_one_megabyte_payload_round_trips(any_stores: Stores) -> None:
    store = any_stores.open()
    big = "ắ" * 500_000 + "'; --"  # 1 MB of UTF-8
    case = open_matter("C-1")
    case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload={"text": big})
    store.save(case, expected_version=0)
    assert store.load("C-1").steps[1].payload["text"] == big


@pytest.mark.parametrize(
    "bad", ["nul\x00inside", "lone \udcff surrogate", "\ud800"], ids=["nul", "low", "high"]
)
@pytest.mark.parametrize("field", ["subject.name", "actor.name", "actor.id", "payload", "case_id"])
def test_text_a_store_cannot_hold_is_refused(any_stores: Stores, bad: str, field: str) -> None:
    store = any_stores.open()

    def build() -> object:
        subject = Member("m-1", name=bad if field == "subject.name" else None)
        actor = Body(
            BodyKind.PERSON,
            bad if field == "actor.id" else "p-1",
            name=bad if field == "actor.name" else None,
        )
        case = MATTER.open(
            subject, at=at(2025, 3, 3), actor=CLERK, case_id=bad if field == "case_id" else "C-1"
        )
        case.fire(
            MatterTrigger.NOTE,
            at=at(2025, 3, 4),
            actor=actor,
            payload={"note": bad} if field == "payload" else None,
        )
        return case

    with pytest.raises(InputError, match=r"NUL|surrogate") as info:
        store.save(build(), expected_version=0)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert store.query() == []


def test_bytes_are_not_text(any_stores: Stores) -> None:
    store = any_stores.open()
    case = open_matter("C-1")
    with pytest.raises(InputError):
        case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload={"b": b"\xff"})
    with pytest.raises(InputError):
        store.load([b"C-1"])  # type: ignore[arg-type]
    with pytest.raises(InputError):
        store.load_many([b"C-1"])  # type: ignore[list-item]
    with pytest.raises(InputError):
        store.query(workflow=b"matter")  # type: ignore[arg-type]


def test_store_errors_name_the_file(tmp_path: Path) -> None:
    stores = Stores("sqlite", tmp_path)
    store = stores.open()
    stores.sql("DROP TABLE deadlines")
    with pytest.raises(StoreError, match=r"cases\.db: SQLite error: no such table"):
        store.due(at(2025, 3, 3))
    stores.close()
