"""The store subcommands: verify, sweep, recalculate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conftest_store import (
    MATTER,
    Stores,
    accepted_request,
    at,
    kind_params,
    open_matter,
    pg_url,
    stores_fixture,
)
from discipline_flow.cli import (
    EXIT_CHECK_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_STORE,
    EXIT_USAGE,
    main,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import SqliteStore
from discipline_flow.store._cli import load_registry, parse_instant

REG = ["--registry", "conftest_store:registry"]


@pytest.fixture(params=kind_params("sqlite", "postgres"))
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture
def url(stores: Stores) -> str:
    store = stores.open()
    store.save_many(
        [
            (accepted_request("R1", at(2025, 3, 3)), 0),
            (accepted_request("R2", at(2025, 3, 7)), 0),
            (open_matter("M1"), 0),
        ]
    )
    return stores.url


def test_verify_ok(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--store", url, *REG]) == EXIT_OK
    assert capsys.readouterr().out == "verify: ok: 3 cases, 5 steps\n"
    assert main(["verify", "--store", url, *REG, "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == {
        "ok": True,
        "cases": 3,
        "steps": 5,
        "chain_only": [],
    }


def test_verify_names_the_first_bad_case_and_step(
    stores: Stores, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if stores.kind == "sqlite":
        stores.sql("DROP TRIGGER steps_no_update")
    else:
        stores.sql("DROP TRIGGER steps_append_only ON steps")
    stores.sql("UPDATE steps SET actor_id = 'forged' WHERE case_id = 'R2' AND idx = 1")
    assert main(["verify", "--store", url, *REG]) == EXIT_CHECK_FAILED
    out = capsys.readouterr().out
    assert out.startswith("verify: FAILED: case R2: step 1 (fire ACCEPT) was edited")
    assert main(["verify", "--store", url, *REG, "--json"]) == EXIT_CHECK_FAILED
    assert "case R2: step 1" in json.loads(capsys.readouterr().out)["problem"]


def test_verify_without_the_workflows_checks_chains(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--store", url, "--registry", "conftest_store:MATTER"]) == EXIT_OK
    assert "(2 of unregistered workflows: chain only)" in capsys.readouterr().out


def test_sweep_dry_run_then_apply(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    now = "2025-03-18T09:00:00+07:00"
    assert main(["sweep", "--store", url, *REG, "--now", now, "--dry-run", "--json"]) == EXIT_OK
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True
    assert dry["counts"]["would_fire"] == 1
    assert dry["counts"]["overdue"] == 2
    assert main(["sweep", "--store", url, *REG, "--now", now]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("sweep at 2025-03-18T09:00:00+07:00: 1 fired, 2 overdue\n")
    assert "fired      R1 reply due 2025-03-18T00:00:00+07:00 MISS" in out
    assert main(["sweep", "--store", url, *REG, "--now", now, "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["counts"]["fired"] == 0


def test_recalculate_needs_apply_to_save(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["recalculate", "--store", url, *REG, "--reason", "new table", "--at", "2025-03-11"]
    assert main([*args, "--json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert (report["dry_run"], report["cases_checked"], report["moved"]) == (True, 2, [])
    assert report["at"] == "2025-03-11T00:00:00+07:00"
    assert main([*args, "--apply"]) == EXIT_OK
    assert capsys.readouterr().out.startswith(
        "recalculation (new table): 2 open cases checked, 0 deadlines in 0 cases moved"
    )


def test_store_from_the_environment(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCIPLINE_FLOW_STORE", url)
    assert main(["verify", *REG]) == EXIT_OK
    assert "3 cases" in capsys.readouterr().out


def test_default_store_is_a_file_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCIPLINE_FLOW_STORE", raising=False)
    assert main(["verify", *REG]) == EXIT_USAGE  # not there yet: not created either
    assert "discipline_flow.db: no such store file" in capsys.readouterr().err
    assert not (tmp_path / "discipline_flow.db").exists()
    SqliteStore(tmp_path / "discipline_flow.db").close()
    assert main(["verify", *REG]) == EXIT_OK
    assert capsys.readouterr().out == "verify: ok: 0 cases, 0 steps\n"


@pytest.mark.parametrize(
    "command",
    [
        ["verify"],
        ["sweep", "--now", "2025-03-18", "--dry-run"],
        ["sweep", "--now", "2025-03-18"],
        ["recalculate", "--reason", "new table", "--at", "2025-03-11"],
        ["recalculate", "--reason", "new table", "--at", "2025-03-11", "--apply"],
        ["report", "--year", "2025", "--quiet"],
        ["timeline", "R1", "--now", "2025-03-18"],
    ],
)
def test_a_mistyped_store_is_an_error_and_never_created(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14 item 6: a typo in --store used to create an empty store and pass (exit 0)."""
    typo = tmp_path / "cases.bd"
    assert main([*command, "--store", f"sqlite:///{typo}"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == (
        f"discipline-flow: error: {typo}: no such store file; nothing was created: check the "
        f"path, or create the store with a command that writes\n"
    )
    assert not typo.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_postgres_database_without_the_store_is_not_created(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"{pg_url()}{'&' if '?' in pg_url() else '?'}schema=t_never_made"
    assert main(["verify", "--store", url, *REG, "--json"]) == EXIT_USAGE
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "store_not_found_error"
    assert "no discipline_flow store in schema t_never_made" in error["message"]
    with psycopg.connect(pg_url(), autocommit=True) as conn:
        found = conn.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s",
            ["t_never_made"],
        ).fetchone()
    assert found == (0,)


def test_command_line_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["verify", "--store", "mysql://x/y"]) == EXIT_STORE
    assert "unsupported store URL" in capsys.readouterr().err
    SqliteStore(tmp_path / "x.db").close()
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["sweep", "--store", db, *REG, "--now", "yesterday"]) == EXIT_INPUT
    assert "--now: 'yesterday' is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["verify", "--store", db, "--registry", "nope"]) == EXIT_INPUT
    assert main(["verify", "--store", db, "--registry", "no_such_module:x"]) == EXIT_INPUT
    assert main(["verify", "--store", db, "--registry", "conftest_store:missing"]) == EXIT_INPUT
    assert main(["sweep", "--store", db, *REG, "--now", "2025-03-03", "--limit", "0"]) == 3
    capsys.readouterr()


def test_load_registry_and_parse_instant() -> None:
    assert MATTER in list(load_registry("conftest_store:registry"))
    assert list(load_registry("conftest_store:MATTER")) == [MATTER]
    shipped = load_registry(None)  # the shipped workflows, or none before they exist
    assert isinstance(shipped, WorkflowRegistry)
    assert parse_instant("2025-03-03T10:00", "--now").isoformat() == "2025-03-03T10:00:00+07:00"
