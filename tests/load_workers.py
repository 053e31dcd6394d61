"""Worker processes, probes and checks of the reliability tests under load (not shipped).

``tests/test_store_concurrency.py`` starts its worker processes from a ``multiprocessing`` fork
server that has imported this module once (:func:`context`): a worker starts in milliseconds
instead of the ~0.4 s of a new interpreter, so twenty kills and a dozen workers fit in the suite's
time, and workers can wait on a ``multiprocessing`` barrier together with the test's own threads.

A worker writes what it did to a file of JSON lines, one whole line at a time: a worker killed
with SIGKILL leaves every line it finished, and a line cut short by the kill is ignored.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import json
import multiprocessing
import multiprocessing.context
import os
import random
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import psycopg
import pytest

from conftest_store import (
    CLERK,
    MatterTrigger,
    RequestTrigger,
    accepted_request,
    at,
    registry,
)
from discipline_flow.errors import ConcurrencyConflict
from discipline_flow.store import CaseStore, open_store
from discipline_flow.time import default_calendar

# Built here, once, in the fork server: every worker then starts with the working-day calendar
# the ``holidays`` package takes ~0.3 s to build, instead of building it on its first fire.
default_calendar()

#: Share of the fires that go to the hot cases.
HOT_SHARE = 0.5
#: Seconds a party waits at a barrier before the test fails (a worker died before it).
BARRIER_TIMEOUT = 60.0


class Barrier(Protocol):
    """What the workers need of a barrier: ``threading.Barrier`` or a ``multiprocessing`` one."""

    def wait(self, timeout: float | None = None) -> int: ...


def context(monkeypatch: pytest.MonkeyPatch) -> multiprocessing.context.ForkServerContext:
    """The fork server context the tests start their workers from, this module preloaded.

    The fork server starts with the first worker and lives as long as the test session. It
    finds this module through ``PYTHONPATH`` (Python 3.11's fork server does not take the
    parent's ``sys.path``), set here for the test that starts it.
    """
    here = str(Path(__file__).resolve().parent)
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", here if not path else f"{here}{os.pathsep}{path}")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["load_workers"])
    return ctx


def run_in_process(out: str, work: Callable[[], dict[str, Any]]) -> None:
    """Run ``work`` and write its JSON result to ``out``; a failure is written as
    ``{"error": traceback}`` (a fork server's child has no stderr the test would see)."""
    try:
        result = work()
    except BaseException:
        result = {"error": traceback.format_exc()}
    Path(out).write_text(json.dumps(result), encoding="utf-8")


def read_result(out: Path) -> dict[str, Any]:
    """The result a worker process wrote; its error, if it failed, fails the test."""
    if not out.exists():
        raise AssertionError(f"the worker wrote no result to {out.name}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if "error" in result:
        raise AssertionError(f"a worker process failed:\n{result['error']}")
    return result


# --------------------------------------------------------------------------- fires under load


def fire_run(
    store: CaseStore,
    cases: list[str],
    hot: list[str],
    attempts: int,
    seed: str,
    barrier: Barrier,
) -> dict[str, Any]:
    """After the barrier, ``attempts`` times: load a case (a hot one half of the time), fire
    ``NOTE`` with a token of its own (``<seed>-<n>``), save with the loaded version.

    Returns the ``[case_id, token]`` pairs committed (in commit order) and refused with
    :class:`~discipline_flow.errors.ConcurrencyConflict`, and the monotonic instants the worker
    started and ended (``time.monotonic`` is one clock for every process of the machine).
    """
    rng = random.Random(seed)
    ok: list[list[str]] = []
    refused: list[list[str]] = []
    barrier.wait(BARRIER_TIMEOUT)
    started = time.monotonic()
    for n in range(attempts):
        case_id = rng.choice(hot) if rng.random() < HOT_SHARE else rng.choice(cases)
        case = store.load(case_id)
        loaded = case.version
        token = f"{seed}-{n}"
        case.fire(
            MatterTrigger.NOTE,
            at=case.last_at + datetime.timedelta(seconds=1),
            actor=CLERK,
            payload={"token": token},
        )
        try:
            store.save(case, expected_version=loaded)
        except ConcurrencyConflict:
            refused.append([case_id, token])
        else:
            ok.append([case_id, token])
    return {"ok": ok, "refused": refused, "started": started, "ended": time.monotonic()}


def fire_process(
    url: str,
    cases: list[str],
    hot: list[str],
    attempts: int,
    seed: str,
    barrier: Barrier,
    out: str,
) -> None:
    """A worker process of the load test: :func:`fire_run` on its own store."""

    def work() -> dict[str, Any]:
        with open_store(url, registry()) as store:
            return fire_run(store, cases, hot, attempts, seed, barrier)

    run_in_process(out, work)


# --------------------------------------------------------------------------- sweepers


def sweep_run(store: CaseStore, now: datetime.datetime, barrier: Barrier) -> dict[str, Any]:
    """After the barrier, one sweep at ``now``; the cases fired and the instants it ran."""
    barrier.wait(BARRIER_TIMEOUT)
    started = time.monotonic()
    report = store.sweep(now)
    return {
        "fired": [[i.case_id, i.rule] for i in report.fired],
        "started": started,
        "ended": time.monotonic(),
    }


def sweep_process(url: str, now: str, barrier: Barrier, out: str) -> None:
    """A sweeper process: :func:`sweep_run` on its own store."""

    def work() -> dict[str, Any]:
        with open_store(url, registry()) as store:
            return sweep_run(store, datetime.datetime.fromisoformat(now), barrier)

    run_in_process(out, work)


# --------------------------------------------------------------------------- killed workers

#: What a killed worker does until it is killed, round after round.
KILL_MODES = ("insert", "update", "sweep")
INSERT_BATCH = 10
UPDATE_BATCH = 10
SWEEP_LIMIT = 10


def kill_process(url: str, mode: str, prefix: str, pool: list[str], now: str, log: str) -> None:
    """A worker that writes until it is killed, logging each unit of work to ``log``.

    Before each unit it writes an ``intent`` line naming what the unit writes, after its commit
    an ``ack`` line: ``insert`` saves :data:`INSERT_BATCH` new accepted requests in one
    ``save_many``; ``update`` loads :data:`UPDATE_BATCH` cases of ``pool``, fires ``NOTE`` on
    each with a token of its own and saves them together; ``sweep`` sweeps at ``now`` with
    ``limit`` :data:`SWEEP_LIMIT` (one transaction) and acknowledges the cases it fired.
    """
    rng = random.Random(prefix)
    when = datetime.datetime.fromisoformat(now)
    with open(log, "a", encoding="utf-8", buffering=1) as lines:  # line-buffered: whole lines

        def say(kind: str, n: int, **data: Any) -> None:
            lines.write(json.dumps({"kind": kind, "n": n, **data}) + "\n")

        try:
            with open_store(url, registry()) as store:
                for n in itertools.count():
                    if mode == "insert":
                        ids = [f"{prefix}-{n}-{i}" for i in range(INSERT_BATCH)]
                        cases = [accepted_request(c, at(2025, 3, 3)) for c in ids]
                        say("intent", n, cases=ids)
                        store.save_many([(c, 0) for c in cases])
                        say("ack", n)
                    elif mode == "update":
                        loaded = store.load_many(rng.sample(pool, UPDATE_BATCH))
                        tokens = {}
                        for case in loaded:
                            token = f"{prefix}-{n}-{case.id}"
                            case.fire(
                                RequestTrigger.NOTE,
                                at=case.last_at + datetime.timedelta(seconds=1),
                                actor=CLERK,
                                payload={"token": token},
                            )
                            tokens[token] = case.id
                        say("intent", n, tokens=tokens)
                        store.save_many([(c, c.version - 1) for c in loaded])
                        say("ack", n)
                    else:
                        say("intent", n)
                        report = store.sweep(when, limit=SWEEP_LIMIT)
                        say("ack", n, fired=[[i.case_id, i.step_index] for i in report.fired])
        except BaseException:
            lines.write(json.dumps({"kind": "error", "error": traceback.format_exc()}) + "\n")


def log_lines(log: Path) -> list[dict[str, Any]]:
    """The whole lines of a worker's log (a line cut short by a kill is left out)."""
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    whole = text[: text.rfind("\n") + 1]
    lines = [json.loads(line) for line in whole.splitlines()]
    errors = [line["error"] for line in lines if line["kind"] == "error"]
    if errors:
        raise AssertionError(f"the worker failed before it was killed:\n{errors[0]}")
    return lines


def wait_for_ack(log: Path, alive: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait until the worker has acknowledged a first unit of work (it is past start-up)."""
    limit = time.monotonic() + timeout
    while not any(line["kind"] == "ack" for line in log_lines(log)):
        if not alive() or time.monotonic() > limit:
            raise AssertionError(f"the worker acknowledged nothing: {log_lines(log)[-3:]}")
        time.sleep(0.005)


def wait_stopped(pid: int, timeout: float = 10.0) -> None:
    """Wait until every thread of process ``pid`` is stopped (SIGSTOP is delivered
    asynchronously)."""
    limit = time.monotonic() + timeout
    tasks = Path(f"/proc/{pid}/task")
    while True:
        states = []
        for task in tasks.iterdir():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # thread ended
                states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
        if states and all(s in ("T", "t") for s in states):
            return
        if time.monotonic() > limit:
            raise AssertionError(f"process {pid} did not stop: thread states {states}")
        time.sleep(0.0005)


def sqlite_write_open(path: Path) -> bool:
    """Whether a writer holds SQLite's write lock on ``path``: an open write transaction
    (``BEGIN IMMEDIATE`` taken, ``COMMIT`` not finished). Asked without waiting."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return True
            raise
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def pg_write_open(watcher: psycopg.Connection[Any], application: str) -> bool:
    """Whether a connection named ``application`` waits for its client inside a transaction
    that has written (it holds a transaction id): the client stopped between two statements of
    an open write transaction, or in the middle of a pipeline of them. A statement the server is
    still running is waited for; the question is asked twice, 20 ms apart, so that a ``COMMIT``
    already sent is not taken for an open transaction. ``watcher`` is an autocommit
    connection (each question sees the server as it is then).
    """
    seen: list[list[tuple[int, str]]] = []
    for ask in range(2):
        if ask:
            time.sleep(0.02)
        limit = time.monotonic() + 10
        while True:
            rows = watcher.execute(
                "SELECT pid, state, wait_event, backend_xid::text FROM pg_stat_activity "
                "WHERE application_name = %s",
                [application],
            ).fetchall()
            # Waiting for the client: idle, idle in a transaction, or reading the rest of
            # a pipeline (active, ClientRead). Anything else is the server still working.
            busy = [r for r in rows if r[1] == "active" and r[2] != "ClientRead"]
            if not busy:
                break
            if time.monotonic() > limit:
                raise AssertionError(f"a statement of {application} never finished: {rows}")
            time.sleep(0.001)
        seen.append(sorted((pid, xid) for pid, state, _, xid in rows if state != "idle" and xid))
        time.sleep(0.02)
    return bool(seen[0]) and seen[0] == seen[1]


def tokens_in(cases: Iterable[Any]) -> dict[str, list[tuple[str, int]]]:
    """Every step token of ``cases``: token -> ``[(case_id, step index), ...]``."""
    found: dict[str, list[tuple[str, int]]] = {}
    for case in cases:
        for step in case.steps:
            token = step.payload.get("token")
            if token is not None:
                found.setdefault(token, []).append((case.id, step.index))
    return found


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"
