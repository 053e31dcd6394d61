"""Stores written by release 0.1.0 are migrated when opened: their deadline traces move to a
column of their own, as they were (schema 2); cases saved again store a trace only where a load
cannot rebuild it, and still explain every deadline as 0.1.0 did; every step gets the canonical
text its hash covers, made from its columns (schema 3)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from conftest_store import pg_url
from discipline_flow.canonical import digest
from discipline_flow.errors import MalformedDataError, TamperedHistoryError
from discipline_flow.processes import shipped_registry
from discipline_flow.store import CaseStore, PostgresStore, SqliteStore, open_store
from discipline_flow.store.sqlite import SCHEMA_VERSION
from test_store_legacy import EXPECTED, legacy_url

__all__ = ["legacy_url"]  # the fixture, shared with the acceptance test


def _sql(store: CaseStore, statement: str) -> list[tuple[Any, ...]]:
    """Run raw SQL on the database of ``store``; ``{text}`` stands for the cast to text."""
    if isinstance(store, SqliteStore):
        with sqlite3.connect(store.path) as lite:
            return lite.execute(statement.format(text="")).fetchall()
    assert isinstance(store, PostgresStore)
    with psycopg.connect(pg_url(), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{store.schema}"')
        return conn.execute(statement.format(text="::text").encode()).fetchall()


def test_an_old_store_is_migrated_with_every_trace_kept(legacy_url: str) -> None:
    with open_store(legacy_url, shipped_registry()) as store:
        versions = _sql(store, 'SELECT "version" FROM schema_version ORDER BY 1')
        assert [v for (v,) in versions] == [1, 2, 3, 4] == list(range(1, SCHEMA_VERSION + 1))
        rows = _sql(store, 'SELECT COUNT(*), COUNT("trace") FROM deadlines')
        deadlines = sum(len(c["deadlines"]) for c in EXPECTED["cases"].values())
        assert rows == [(deadlines, deadlines)]
        left = _sql(store, """SELECT COUNT(*) FROM deadlines WHERE data{text} LIKE '%"trace":%'""")
        assert left == [(0,)]


@pytest.fixture
def fresh_url(legacy_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty store of the same kind as ``legacy_url``."""
    if legacy_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    schema = f"fresh_{uuid.uuid4().hex[:12]}"
    yield legacy_url.rsplit("schema=", 1)[0] + f"schema={schema}"
    with psycopg.connect(pg_url(), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'.encode())


def test_old_cases_saved_again_explain_as_release_0_1_did(legacy_url: str, fresh_url: str) -> None:
    registry = shipped_registry()
    with open_store(legacy_url, registry) as old, open_store(fresh_url, registry) as new:
        ids = sorted(EXPECTED["cases"])
        new.save_many([(case, 0) for case in old.load_many(ids)])
        for case in new.load_many(ids):
            want = EXPECTED["cases"][case.id]["deadlines"]
            assert [d.explain().text() for d in case.deadlines] == [
                d["explanation"] for d in want
            ], case.id
        ((total, kept),) = _sql(new, 'SELECT COUNT(*), COUNT("trace") FROM deadlines')
        assert 0 < kept < total  # recalculated, estimated and payload-dated ones keep theirs
        new.verify_all()


def _before_opening(url: str, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
    """Run ``statements`` on the store at ``url`` before any release of this one opened it."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as lite:
            for statement, params in statements:
                lite.execute(statement, params)
        return
    with psycopg.connect(pg_url(), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{url.rsplit("schema=", 1)[1]}"'.encode())
        for statement, params in statements:
            conn.execute(statement.replace("?", "%s").encode(), params)


def test_an_old_store_gets_the_canonical_text_of_every_step(legacy_url: str) -> None:
    """Made from the columns by the migration, byte for byte what each hash covers."""
    with open_store(legacy_url, shipped_registry()) as store:
        rows = _sql(store, 'SELECT "canonical", "hash" FROM steps')
    assert len(rows) == sum(c["version"] for c in EXPECTED["cases"].values())
    assert all(text is not None and digest(text.encode()) == hash_ for text, hash_ in rows)


def test_steps_edited_before_the_migration_are_still_found(legacy_url: str) -> None:
    """A row edited before the migration gets the text of its edited columns, which its hash
    does not cover; one whose columns cannot make a text gets none, and its column is named."""
    forged, unreadable = sorted(i for i, c in EXPECTED["cases"].items() if c["version"] > 1)[:2]
    trigger = "steps_no_update" if legacy_url.startswith("sqlite") else "steps_append_only ON steps"
    _before_opening(
        legacy_url,
        [
            (f"DROP TRIGGER {trigger}", ()),
            ('UPDATE steps SET "basis" = ? WHERE "case_id" = ? AND "idx" = 1', ("x", forged)),
            (
                'UPDATE steps SET "payload" = ? WHERE "case_id" = ? AND "idx" = 1',
                ("[]", unreadable),
            ),
        ],
    )
    with open_store(legacy_url, shipped_registry()) as store:
        with pytest.raises(TamperedHistoryError, match=f"case {forged}: step 1 .* was edited"):
            store.load(forged)
        with pytest.raises(MalformedDataError, match=rf"case {unreadable} step 1\.payload"):
            store.load(unreadable)
        (text,) = _sql(
            store,
            f"""SELECT "canonical" FROM steps WHERE "case_id" = '{unreadable}' AND "idx" = 1""",
        )[0]
        assert text is None
