"""Stores written by release 0.1.0 load, verify and sweep as that release read them.

The fixture (``tests/fixtures/legacy_0_1``, made by its ``make_fixture.py``) holds 160 cases of
every shipped workflow version under four rulesets, with paused, extended and recalculated
deadlines, in a SQLite file and a PostgreSQL dump; ``expected.json`` is what 0.1.0 read from them.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from conftest_store import pg_url
from discipline_flow.processes import shipped_registry
from discipline_flow.store import CaseStore, open_store

FIXTURE = Path(__file__).parent / "fixtures" / "legacy_0_1"
EXPECTED: dict[str, Any] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
SWEEP_AT = dt.datetime.fromisoformat(EXPECTED["sweep_at"])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def legacy_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A copy of the 0.1.0 store of one kind."""
    if request.param == "sqlite":
        path = tmp_path / "cases.db"
        with gzip.open(FIXTURE / "cases.db.gz") as packed, path.open("wb") as out:
            shutil.copyfileobj(packed, out)
        yield f"sqlite:///{path}"
        return
    base = pg_url()
    schema = f"legacy_{uuid.uuid4().hex[:12]}"
    dump = gzip.decompress((FIXTURE / "postgres.sql.gz").read_bytes()).decode("utf-8")
    # psql meta-commands (\restrict) are for psql; the rest is plain SQL.
    sql = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
    sql = sql.replace("legacy_fixture", schema)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.encode("utf-8"))
    try:
        yield f"{base}{'&' if '?' in base else '?'}schema={schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'.encode())


def _open(url: str) -> CaseStore:
    return open_store(url, shipped_registry())


def test_every_case_loads_as_release_0_1_read_it(legacy_url: str) -> None:
    expected = EXPECTED["cases"]
    with _open(legacy_url) as store:
        ids = sorted(s.id for s in store.query())
        assert ids == sorted(expected)
        for case in store.load_many(ids):
            want = expected[case.id]
            assert case.workflow.key == want["workflow"]
            assert (case.state.name, case.version) == (want["state"], want["version"])
            assert case.steps[-1].hash == want["head"]
            assert case.subject.id == want["subject"]
            assert (None if case.origin is None else case.origin.case_id) == want["origin"]
            got = [
                {
                    "rule": d.rule,
                    "start_on": d.start_on.isoformat(),
                    "due_on": d.due_on.isoformat(),
                    "due_at": d.due_at.isoformat(),
                    "status": d.status(SWEEP_AT).value,
                    "pauses": len(d.pauses),
                    "extensions": len(d.extensions),
                    "explanation": d.explain().text(),
                }
                for d in case.deadlines
            ]
            assert got == want["deadlines"], case.id


def test_the_store_verifies(legacy_url: str) -> None:
    with _open(legacy_url) as store:
        report = store.verify_all()
    assert report.cases == len(EXPECTED["cases"])
    assert report.steps == sum(c["version"] for c in EXPECTED["cases"].values())


def test_a_sweep_fires_what_release_0_1_fired(legacy_url: str) -> None:
    with _open(legacy_url) as store:
        report = store.sweep(SWEEP_AT)
        got = sorted([i.case_id, i.rule, i.outcome.value, i.trigger] for i in report.items)
        assert got == EXPECTED["sweep"]
        # Each fire is saved: the cases moved, and a second sweep finds nothing new to fire.
        fired = {i.case_id for i in report.items if i.outcome.value == "fired"}
        for case in store.load_many(sorted(fired)):
            assert case.version > EXPECTED["cases"][case.id]["version"]
        again = store.sweep(SWEEP_AT)
        assert not again.fired
