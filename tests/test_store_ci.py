"""``.ci/postgres.sh``: a throwaway PostgreSQL server for the store tests, or a clear notice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "postgres.sh"
REPORT = 'echo "rc=$? url=${DISCIPLINE_FLOW_PG_URL:-} skip=${DISCIPLINE_FLOW_NO_POSTGRES:-}"'


def _source(env: dict[str, str], after: str = "", cwd: Path | None = None) -> str:
    proc = subprocess.run(
        [shutil.which("bash") or "/bin/bash", "-c", f". {SCRIPT}; {REPORT}; {after}"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return proc.stdout + proc.stderr


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCIPLINE_FLOW_", "DF_PG"))}
    env.pop("CI", None)
    return env


def test_without_binaries_it_asks_the_tests_to_skip(tmp_path: Path) -> None:
    env = _base_env()
    env["DISCIPLINE_FLOW_PG_BINDIRS"] = str(tmp_path / "none" / "*" / "bin")
    tools = tmp_path / "bin"  # a PATH with the tools the script uses, but no PostgreSQL
    tools.mkdir()
    for tool in ("ls", "sort", "tail", "dirname", "id"):
        found = shutil.which(tool)
        assert found is not None
        (tools / tool).symlink_to(found)
    env["PATH"] = str(tools)
    out = _source(env)
    assert "notice: no PostgreSQL binaries found" in out
    assert out.count("\n") == 2  # one notice line, then the report
    assert "rc=0 url= skip=1" in out


def test_an_existing_url_is_kept() -> None:
    env = _base_env()
    env["DISCIPLINE_FLOW_PG_URL"] = "postgresql://example.invalid/x"
    out = _source(env)
    assert "rc=0 url=postgresql://example.invalid/x skip=" in out


@pytest.mark.skipif(
    not (list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or shutil.which("initdb")),
    reason="no PostgreSQL binaries on this machine",
)
@pytest.mark.parametrize("private_dir", [False, True], ids=["here", "from-a-private-dir"])
def test_it_starts_and_stops_a_throwaway_server(private_dir: bool, tmp_path: Path) -> None:
    # From a directory the server's user cannot enter (a home directory made with mode 700, as
    # root), the server's commands must not depend on the caller's directory.
    cwd = None
    if private_dir:
        cwd = tmp_path / "private"
        cwd.mkdir(mode=0o700)
    out = _source(
        _base_env(),
        cwd=cwd,
        after='psql "$DISCIPLINE_FLOW_PG_URL" -Atc "select 40 + 2"; d="$DF_PG_DATA"; '
        'df_pg_stop; test -d "$d" && echo left-behind || echo removed',
    )
    assert "rc=0 url=postgresql://postgres@127.0.0.1:" in out
    assert "/discipline_flow_test skip=" in out
    assert "\n42\n" in out
    assert out.rstrip().endswith("removed")
