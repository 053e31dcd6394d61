"""Reliability at the stated load, on a real SQLite file and a real PostgreSQL server.

- **Load**: 8 threads and 4 processes, released together by one barrier, fire on the same 100
  cases, half of the fires on 5 hot cases. Every attempt is accounted for: committed exactly once
  (in the history of its case, in the order its worker committed it) or refused with
  ``ConcurrencyConflict`` and absent; the histories verify; no step is lost or doubled.
- **Kills**: 20 workers inserting cases, firing on existing cases and sweeping are each stopped
  at a random moment inside an open write transaction (seen from outside: SQLite's write lock
  held, or a PostgreSQL connection idle in a transaction that has written) and killed with
  SIGKILL there. Every unit of work the worker acknowledged survived, the unit in flight left all
  of its steps or none, and the store verifies.
- **Sweepers**: 2 and 6 sweepers released by one barrier over 400 overdue deadlines fire each
  deadline exactly once.

Run with ``-s`` to see the figures (``docs/reliability.md`` quotes them).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import random
import signal
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from conftest_store import (
    Request,
    RequestTrigger,
    Stores,
    accepted_request,
    at,
    kind_params,
    open_matter,
    pg_url,
    stores_fixture,
)
from discipline_flow import Case
from discipline_flow.store import CaseStore
from load_workers import (
    HOT_SHARE,
    KILL_MODES,
    SWEEP_LIMIT,
    context,
    fire_process,
    fire_run,
    kill_process,
    log_lines,
    pg_write_open,
    read_result,
    sqlite_write_open,
    sweep_process,
    sweep_run,
    tokens_in,
    wait_for_ack,
    wait_stopped,
)

CASES = [f"C-{i:03}" for i in range(100)]
HOT = CASES[:5]
THREADS = 8
PROCESSES = 4
ATTEMPTS = 250  # fires per worker
KILLS = 20
POOL = [f"K-{i:03}" for i in range(300)]  # requests the killed workers fire and sweep on
PROBES = 400  # stops a kill round may take to catch its worker inside a write transaction
SWEPT = [f"S-{i:03}" for i in range(400)]
# Accepted Mon 3 Mar 2025, ``reply`` (10 working days) is due Mon 17 Mar and overdue from 18 Mar
# 00:00 [BLDS 2015 arts. 147-148; see tests/test_store_sweep.py]: every request is overdue then.
SWEEP_AT = at(2025, 3, 18, 9)
KILL_SWEEP_AT = at(2025, 6, 2, 9)


# The kill tests stop and kill workers with POSIX signals and read thread states from /proc.
LINUX = Path("/proc/self/task").is_dir()
linux_only = pytest.mark.skipif(not LINUX, reason="needs Linux: /proc and POSIX signals")


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture(params=kind_params("sqlite", "postgres"))
def sql_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _join(procs: list[Any], timeout: float = 300.0) -> None:
    for proc in procs:
        proc.join(timeout)
        assert proc.exitcode == 0, f"worker {proc.name} ended with {proc.exitcode}"


# --------------------------------------------------------------------------- load


@pytest.mark.slow
def test_threads_and_processes_together_account_for_every_fire(
    stores: Stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = stores.open()
    store.save_many([(open_matter(c), 0) for c in CASES])
    processes = 0 if stores.kind == "memory" else PROCESSES  # memory: one process by nature
    ctx = context(monkeypatch)
    barrier = ctx.Barrier(THREADS + processes)
    outs = [tmp_path / f"p{n}.json" for n in range(processes)]
    procs = [
        ctx.Process(
            target=fire_process,
            args=(stores.url, CASES, HOT, ATTEMPTS, f"p{n}", barrier, str(outs[n])),
        )
        for n in range(processes)
    ]
    for proc in procs:
        proc.start()
    results: dict[str, dict[str, Any]] = {}
    errors: list[BaseException] = []

    def work(slot: int) -> None:
        try:
            results[f"t{slot}"] = fire_run(store, CASES, HOT, ATTEMPTS, f"t{slot}", barrier)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _join(procs)
    assert not errors, errors
    results.update({f"p{n}": read_result(out) for n, out in enumerate(outs)})

    # Every token is accounted for: committed, or refused with ConcurrencyConflict.
    ok = {token: case_id for r in results.values() for case_id, token in r["ok"]}
    refused = {token: case_id for r in results.values() for case_id, token in r["refused"]}
    attempts = (THREADS + processes) * ATTEMPTS
    assert len(ok) + len(refused) == attempts
    histories = store.load_many(CASES)
    found = tokens_in(histories)
    doubled = sorted(t for t, places in found.items() if len(places) > 1)
    assert not doubled, f"steps in a history twice: {doubled[:5]}"
    lost = sorted(set(ok) - set(found))
    assert not lost, f"committed fires missing from the histories: {lost[:5]}"
    assert not set(refused) & set(found), "a refused fire left a step"
    assert set(found) == set(ok), "a step no worker committed"
    assert all(found[t][0][0] == c for t, c in ok.items()), "a step in another case's history"
    # Each worker's commits on a case are in its history in the order the worker made them.
    for r in results.values():
        for case_id in {c for c, _ in r["ok"]}:
            mine = [t for c, t in r["ok"] if c == case_id]
            assert sorted(mine, key=lambda t: found[t][0][1]) == mine
    per_case = Counter(ok.values())
    assert [c.version for c in histories] == [1 + per_case[c] for c in CASES]
    assert store.verify_all().steps == len(CASES) + len(ok)
    switches = 0
    if processes:
        # They ran together: every worker had started before the first one ended.
        starts = max(r["started"] for r in results.values())
        assert starts < min(r["ended"] for r in results.values())
        # Threads and processes wrote the same hot cases, their steps interleaved, and both
        # lost races to each other.
        for case in histories[: len(HOT)]:
            sources = [s.payload["token"][0] for s in case.steps[1:]]
            switches += sum(a != b for a, b in itertools.pairwise(sources))
        assert switches > 0, "threads and processes never alternated on a hot case"
        assert {t[0] for t in refused} == {"t", "p"}, "threads or processes never conflicted"
    mixed = f", {switches} thread/process alternations in their histories" if processes else ""
    print(
        f"\nreliability[{stores.kind}] load: {THREADS} threads + {processes} processes, "
        f"{len(CASES)} cases ({len(HOT)} hot, {HOT_SHARE:.0%} of fires), {attempts} fires: "
        f"{len(ok)} committed once, {len(refused)} refused with ConcurrencyConflict "
        f"({sum(per_case[c] for c in HOT)} committed on hot cases{mixed}), 0 lost, 0 doubled; "
        f"{len(CASES) + len(ok)} steps verify"
    )


# --------------------------------------------------------------------------- kills


def _kill_inside_a_transaction(pid: int, probe: Callable[[], bool], rng: random.Random) -> int:
    """Stop the worker at random moments until it is stopped inside an open write transaction,
    then kill it there; return the number of stops it took."""
    try:
        for stops in range(1, PROBES + 1):
            time.sleep(rng.uniform(0, 0.01))
            os.kill(pid, signal.SIGSTOP)
            wait_stopped(pid)
            if probe():
                return stops
            os.kill(pid, signal.SIGCONT)
        raise AssertionError(f"{PROBES} stops never caught the worker inside a write transaction")
    finally:
        os.kill(pid, signal.SIGKILL)  # never leave a stopped worker holding its locks


def _late(store: CaseStore) -> int:
    return len(store.query_ids(workflow="reply", state=Request.LATE))


def _misses(cases: Iterable[Case[Any, Any]]) -> Counter[str]:
    return Counter(c.id for c in cases for s in c.steps if s.trigger is RequestTrigger.MISS)


@pytest.mark.slow
@linux_only
def test_sigkill_inside_open_transactions_loses_no_acknowledged_step(
    sql_stores: Stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sql_stores.open()
    store.save_many([(accepted_request(c, at(2025, 3, 3)), 0) for c in POOL])
    ctx = context(monkeypatch)
    rng = random.Random(14)
    acked_cases: list[str] = []
    acked_tokens: dict[str, str] = {}
    acked_fires: list[tuple[str, int]] = []
    intended_tokens: set[str] = set()
    kills = Counter[str]()
    rolled_back = Counter[str]()
    stops = 0
    with contextlib.ExitStack() as stack:
        if sql_stores.kind == "postgres":
            watcher = stack.enter_context(psycopg.connect(pg_url(), autocommit=True))
        for round_ in range(KILLS):
            mode = KILL_MODES[round_ % len(KILL_MODES)]
            url = sql_stores.url
            application = f"df-kill-{sql_stores.schema}-{round_}"
            if sql_stores.kind == "postgres":
                url += f"&application_name={application}"
                probe = functools.partial(pg_write_open, watcher, application)
            else:
                probe = functools.partial(sqlite_write_open, sql_stores.path)
            late_before = _late(store)
            log = tmp_path / f"kill-{round_}.jsonl"
            proc = ctx.Process(
                target=kill_process,
                args=(url, mode, f"k{round_}", POOL, KILL_SWEEP_AT.isoformat(), str(log)),
            )
            proc.start()
            assert proc.pid is not None
            wait_for_ack(log, proc.is_alive)
            stops += _kill_inside_a_transaction(proc.pid, probe, rng)
            proc.join(30)
            assert proc.exitcode == -signal.SIGKILL
            kills[mode] += 1

            # What the worker acknowledged is stored; the unit in flight is whole or absent.
            lines = log_lines(log)
            acked = {line["n"] for line in lines if line["kind"] == "ack"}
            units = [line for line in lines if line["kind"] == "intent"]
            in_flight = [line for line in units if line["n"] not in acked]
            assert len(in_flight) == 1, f"round {round_}: the kill landed outside a unit"
            (unit,) = in_flight
            done = [line for line in units if line["n"] in acked]
            if mode == "insert":
                acked_cases.extend(c for line in done for c in line["cases"])
                left = sum(store.exists(c) for c in unit["cases"])
                assert left in (0, len(unit["cases"])), f"round {round_}: half a batch"
            elif mode == "update":
                intended_tokens.update(t for line in units for t in line["tokens"])
                acked_tokens.update(kv for line in done for kv in line["tokens"].items())
                touched = store.load_many(sorted(set(unit["tokens"].values())))
                left = len(set(unit["tokens"]) & set(tokens_in(touched)))
                assert left in (0, len(unit["tokens"])), f"round {round_}: half a batch"
            else:
                fired = [
                    (c, i) for line in lines if line["kind"] == "ack" for c, i in line["fired"]
                ]
                acked_fires.extend(fired)
                left = _late(store) - late_before - len(fired)  # fires not acknowledged
                assert 0 <= left <= SWEEP_LIMIT, f"round {round_}: {left} fires unaccounted"
            rolled_back[mode] += left == 0

    # Every acknowledged step survived, the store verifies, and a sweep after the kills fires
    # each deadline still due once.
    final = sql_stores.open()
    report = final.verify_all()
    ids = final.query_ids()
    assert set(acked_cases) <= set(ids), "an acknowledged insert is missing"
    histories = {c.id: c for c in final.load_many(ids)}
    assert all(histories[c].version == 2 for c in acked_cases)
    found = tokens_in(histories.values())
    assert all(len(p) == 1 for p in found.values()), "a fire is in a history twice"
    assert set(found) <= intended_tokens, "a step no worker fired"
    missing = [t for t, c in acked_tokens.items() if [p[0] for p in found.get(t, [])] != [c]]
    assert not missing, f"acknowledged fires missing: {missing[:5]}"
    gone = [
        (c, i) for c, i in acked_fires if histories[c].steps[i].trigger is not RequestTrigger.MISS
    ]
    assert not gone, f"acknowledged sweep fires missing: {gone[:5]}"
    assert max(_misses(histories.values()).values()) == 1, "a deadline fired twice"
    final.sweep(KILL_SWEEP_AT)
    assert _misses(final.load_many(ids)) == Counter(dict.fromkeys(ids, 1))
    assert sum(kills.values()) == KILLS
    if sql_stores.kind == "postgres":
        # Idle in a transaction that had written, twice: no COMMIT had been sent.
        assert rolled_back == kills
    acked_steps = 2 * len(acked_cases) + len(acked_tokens) + len(acked_fires)
    whole = KILLS - sum(rolled_back.values())
    print(
        f"\nreliability[{sql_stores.kind}] kills: {KILLS} SIGKILLs "
        f"({', '.join(f'{kills[m]} {m}' for m in KILL_MODES)}), each inside an open write "
        f"transaction ({stops} stops to catch them); the unit in flight rolled back in "
        f"{sum(rolled_back.values())} ({', '.join(f'{rolled_back[m]} {m}' for m in KILL_MODES)})"
        + (f" and was whole in {whole} (killed during its COMMIT)" if whole else "")
        + f"; {acked_steps} acknowledged steps ({len(acked_cases)} cases inserted, "
        f"{len(acked_tokens)} fires, {len(acked_fires)} sweep fires) all survived; the store "
        f"verifies ({report.cases} cases, {report.steps} steps)"
    )


@linux_only
def test_the_probes_see_an_open_write_transaction(sql_stores: Stores) -> None:
    store = sql_stores.open()
    store.save(accepted_request("P", at(2025, 3, 3)), expected_version=0)
    if sql_stores.kind == "sqlite":
        assert not sqlite_write_open(sql_stores.path)
        conn = sqlite3.connect(sql_stores.path, isolation_level=None)
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM cases").fetchall()
            assert not sqlite_write_open(sql_stores.path)  # a read transaction
            conn.execute("UPDATE cases SET state = state")
            assert sqlite_write_open(sql_stores.path)
            conn.execute("COMMIT")
        finally:
            conn.close()
        assert not sqlite_write_open(sql_stores.path)
        return
    name = f"df-probe-{sql_stores.schema}"
    with (
        psycopg.connect(pg_url(), autocommit=True) as watcher,
        psycopg.connect(pg_url(), application_name=name) as pg,
    ):
        pg.execute(f'SET search_path TO "{sql_stores.schema}"')
        pg.execute("SELECT count(*) FROM cases").fetchall()
        assert not pg_write_open(watcher, name)  # in a transaction that has not written
        pg.execute("UPDATE cases SET state = state")
        assert pg_write_open(watcher, name)
        pg.commit()
        assert not pg_write_open(watcher, name)


# --------------------------------------------------------------------------- sweepers


@pytest.mark.parametrize("sweepers", [2, 6])
def test_sweepers_released_together_fire_each_deadline_once(
    stores: Stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sweepers: int
) -> None:
    store = stores.open()
    store.save_many([(accepted_request(c, at(2025, 3, 3)), 0) for c in SWEPT])
    ctx = context(monkeypatch)
    barrier = ctx.Barrier(sweepers)
    results: list[dict[str, Any]] = []
    if stores.kind == "memory":
        lock = threading.Lock()

        def work() -> None:
            result = sweep_run(store, SWEEP_AT, barrier)
            with lock:
                results.append(result)

        threads = [threading.Thread(target=work) for _ in range(sweepers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        outs = [tmp_path / f"sweeper{n}.json" for n in range(sweepers)]
        procs = [
            ctx.Process(
                target=sweep_process, args=(stores.url, SWEEP_AT.isoformat(), barrier, str(out))
            )
            for out in outs
        ]
        for proc in procs:
            proc.start()
        _join(procs)
        results = [read_result(out) for out in outs]
    assert len(results) == sweepers
    fired = Counter((c, rule) for r in results for c, rule in r["fired"])
    assert fired == Counter({(c, "reply"): 1 for c in SWEPT})
    for case in store.load_many(SWEPT):
        assert [s.trigger for s in case.steps].count(RequestTrigger.MISS) == 1
    assert store.verify_all().steps == 3 * len(SWEPT)
    started = [r["started"] for r in results]
    ended = [r["ended"] for r in results]
    busy = sum(1 for r in results if r["fired"])
    if stores.kind == "postgres":
        # SKIP LOCKED: the sweepers claimed different rows at the same time.
        assert busy >= 2, "one sweeper fired everything: they did not run together"
    else:
        # One writer at a time: every sweeper was waiting its turn before the first ended.
        assert max(started) < min(ended)
    print(
        f"\nreliability[{stores.kind}] sweepers: {sweepers} released by one barrier over "
        f"{len(SWEPT)} overdue deadlines: each fired exactly once "
        f"(fires per sweeper: {sorted((len(r['fired']) for r in results), reverse=True)}; "
        f"released within {1000 * (max(started) - min(started)):.0f} ms, "
        f"{1000 * (max(ended) - min(started)):.0f} ms in all)"
    )


def test_the_reliability_page_states_the_load_these_tests_run() -> None:
    page = Path(__file__).resolve().parents[1] / "docs" / "reliability.md"
    section = page.read_text(encoding="utf-8").split("## Load and crashes", 1)[1]
    section = section.split("\n## ", 1)[0]
    for fact in (
        f"{THREADS} threads",
        f"{PROCESSES} processes",
        f"{len(CASES)} cases",
        f"{len(HOT)} hot cases",
        f"{(THREADS + PROCESSES) * ATTEMPTS:,} fires",
        f"{KILLS} SIGKILLs",
        f"{len(SWEPT)} overdue deadlines",
        "2 and 6 sweepers",
    ):
        assert fact in section, f"docs/reliability.md does not say {fact!r}"
