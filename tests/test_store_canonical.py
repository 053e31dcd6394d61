"""The canonical text each step row keeps (schema version 3): written by every save, hashed and
read back by every load, and compared with the row's other columns, which must say the same."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from conftest_store import (
    CLERK,
    MatterTrigger,
    Stores,
    allow_edits,
    at,
    kind_params,
    open_matter,
    stores_fixture,
)
from discipline_flow import Case, Level
from discipline_flow.errors import MalformedDataError, TamperedHistoryError
from discipline_flow.store import CaseStore


class Saved(NamedTuple):
    """A store holding cases C-1 and C-2 (opened, noted with a payload, reviewed), its database
    open to edits, and case C-1 as it was saved."""

    stores: Stores
    store: CaseStore
    case: Case[Any, Any]

    def set_step(self, index: int, **columns: Any) -> None:
        """Set columns of step ``index`` of C-1 behind the store's back."""
        assignments = ", ".join(f'"{name}" = ?' for name in columns)
        self.stores.sql(
            f'UPDATE steps SET {assignments} WHERE "case_id" = ? AND "idx" = ?',
            (*columns.values(), "C-1", index),
        )


def _noted(case_id: str) -> Case[Any, Any]:
    case: Case[Any, Any] = open_matter(case_id)
    case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload={"n": 1, "a": "ý"})
    case.fire(MatterTrigger.REVIEW, at=at(2025, 3, 5), actor=CLERK)
    return case


@pytest.fixture(params=kind_params("sqlite", "postgres"))
def saved(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Saved]:
    for stores in stores_fixture(request.param, tmp_path):
        store = stores.open()
        case = _noted("C-1")
        store.save_many([(case, 0), (_noted("C-2"), 0)])
        allow_edits(stores)
        yield Saved(stores, store, case)


def test_each_row_keeps_the_text_its_hash_covers(saved: Saved) -> None:
    rows = saved.stores.sql(
        'SELECT "idx", "canonical", "hash" FROM steps WHERE "case_id" = ? ORDER BY "idx"',
        ("C-1",),
    )
    assert [(i, text.encode(), digest) for i, text, digest in rows] == [
        (s.index, s.canonical(), s.hash) for s in saved.case.steps
    ]
    assert all(hashlib.sha256(text.encode()).hexdigest() == digest for _, text, digest in rows)
    assert saved.store.load("C-1").steps == saved.case.steps


# Each column that mirrors a field of the text, set to another value it could hold.
_EDITS = [
    ("previous_hash", "0" * 64),
    ("kind", "recalculate"),
    ("trigger", "REVIEW"),
    ("source", "REVIEWED"),
    ("target", "REVIEWED"),
    ("at", "2025-03-04T10:00:00+07:00"),
    ("actor_kind", "person"),
    ("actor_id", "someone-else"),
    ("actor_level", Level.CENTRAL.value),
    ("basis", "Điều 1"),
    ("payload", '{"n":2,"a":"ý"}'),
]


@pytest.mark.parametrize(("column", "value"), _EDITS, ids=[c for c, _ in _EDITS])
def test_a_column_that_disagrees_with_the_text_is_an_edit(
    saved: Saved, column: str, value: str
) -> None:
    saved.set_step(1, **{column: value})
    edited = r"case C-1: step 1 \(fire NOTE\) was edited after it was recorded"
    with pytest.raises(TamperedHistoryError, match=edited):
        saved.store.load("C-1")
    with pytest.raises(TamperedHistoryError, match=edited):
        saved.store.verify_all()
    assert saved.store.load("C-2").version == 3


def test_an_edited_text_is_found_by_its_hash(saved: Saved) -> None:
    """Text and columns edited alike: the hash no longer covers the text."""
    text = saved.case.steps[1].canonical().decode().replace('"n":1', '"n":2')
    saved.set_step(1, canonical=text, payload='{"n":2,"a":"ý"}')
    with pytest.raises(TamperedHistoryError, match=r"case C-1: step 1 \(fire NOTE\) was edited"):
        saved.store.load("C-1")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (None, "expected JSON text"),
        ("[1, 2", "invalid JSON"),
        ('{"index": 1}', "not the canonical form of a step"),
        ("[1, 2, 3]", "not the canonical form of a step"),
        ("{} ", "not the canonical form of a step"),
    ],
    ids=["missing", "not-json", "object", "short", "trailing"],
)
def test_a_text_that_cannot_be_read_is_named(saved: Saved, text: str | None, problem: str) -> None:
    saved.set_step(1, canonical=text)
    with pytest.raises(MalformedDataError, match=rf"case C-1 step 1\.canonical: {problem}"):
        saved.store.load("C-1")


def test_an_unreadable_column_is_named_before_the_text(saved: Saved) -> None:
    """When both are wrong, the column that cannot be read is named: it says more."""
    saved.set_step(2, target="LIMBO", canonical=None)
    with pytest.raises(MalformedDataError, match="'LIMBO' is not one of OPEN, REVIEWED, CLOSED"):
        saved.store.load("C-1")
