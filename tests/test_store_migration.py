"""Stores written by release 0.1.0 are migrated to schema 2 when opened: their deadline traces
move to a column of their own, as they were; cases saved again store a trace only where a load
cannot rebuild it, and still explain every deadline as 0.1.0 did."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest_store import pg_url
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
    import psycopg  # the postgres extra

    with psycopg.connect(pg_url(), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{store.schema}"')
        return conn.execute(statement.format(text="::text").encode()).fetchall()


def test_an_old_store_is_migrated_with_every_trace_kept(legacy_url: str) -> None:
    with open_store(legacy_url, shipped_registry()) as store:
        versions = _sql(store, 'SELECT "version" FROM schema_version ORDER BY 1')
        assert [v for (v,) in versions] == [1, 2] == list(range(1, SCHEMA_VERSION + 1))
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
    import psycopg  # the postgres extra

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
