"""Reliability under concurrency and crashes, on real SQLite files and a real PostgreSQL server.

- 8 threads and 4 processes fire on the same 100 cases: every save that succeeded is in the
  history exactly once, every refused save raised ConcurrencyConflict to its caller and left no
  trace, the chains verify, and the number of steps is the number of successes.
- A writer killed with SIGKILL in the middle of a batch, 20 times: the store opens, verifies,
  and every batch the writer reported committed is there.
"""

from __future__ import annotations

import json
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest_store import (
    Stores,
    fire_notes,
    kind_params,
    open_matter,
    start_worker,
    stores_fixture,
)
from discipline_flow.store import CaseStore

CASES = [f"C-{i:03}" for i in range(100)]


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


@pytest.fixture(params=kind_params("sqlite", "postgres"))
def sql_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _check_outcome(
    store: CaseStore, ok: list[list[str]], refused: list[list[str]], attempts: int
) -> None:
    assert len(ok) + len(refused) == attempts
    tokens: Counter[str] = Counter()
    where: dict[str, str] = {}
    for case in store.load_many(CASES):
        for step in case.steps[1:]:
            tokens[step.payload["token"]] += 1
            where[step.payload["token"]] = case.id
    assert all(n == 1 for n in tokens.values()), "a save is in a history twice"
    assert {t for _, t in ok} == set(tokens), "a successful save is missing"
    assert all(where[t] == c for c, t in ok)
    assert not {t for _, t in refused} & set(tokens), "a refused save left a step"
    report = store.verify_all()
    assert report.steps == len(CASES) + len(ok)


def test_eight_threads_on_the_same_cases(stores: Stores) -> None:
    store = stores.open()
    store.save_many([(open_matter(c), 0) for c in CASES])
    per_thread = 40
    results: list[tuple[list[list[str]], list[list[str]]]] = [([], [])] * 8
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(slot: int) -> None:
        try:
            barrier.wait()
            results[slot] = fire_notes(
                store,
                CASES[:5] if slot % 2 else CASES,
                per_thread,
                f"t{slot}",
                random.Random(slot),
            )
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    ok = [x for r in results for x in r[0]]
    refused = [x for r in results for x in r[1]]
    _check_outcome(store, ok, refused, 8 * per_thread)
    if stores.kind != "memory":
        # half the threads share 5 cases: some saves must have collided
        assert refused, "no conflict at all: the test did not exercise concurrency"
    print(f"{stores.kind}: threads: {len(ok)} saved, {len(refused)} conflicts")


def test_four_processes_on_the_same_cases(sql_stores: Stores) -> None:
    store = sql_stores.open()
    store.save_many([(open_matter(c), 0) for c in CASES])
    attempts = 60
    start_at = time.time() + 3  # after every worker has imported and opened the store
    procs = [
        start_worker(
            {
                "url": sql_stores.url,
                "mode": "fire",
                "case_ids": CASES[:5],
                "attempts": attempts,
                "seed": f"p{n}",
                "start_at": start_at,
            }
        )
        for n in range(4)
    ]
    ok: list[list[str]] = []
    refused: list[list[str]] = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        result = json.loads(out.strip().splitlines()[-1])
        ok.extend(result["ok"])
        refused.extend(result["refused"])
    _check_outcome(store, ok, refused, 4 * attempts)
    assert refused, "no conflict at all: the test did not exercise concurrency"
    print(f"{sql_stores.kind}: processes: {len(ok)} saved, {len(refused)} conflicts")


def test_a_writer_killed_mid_batch(sql_stores: Stores) -> None:
    rng = random.Random(20)
    committed: dict[str, int] = {}
    kills_mid_batch = 0
    for round_ in range(20):
        proc = start_worker(
            {"url": sql_stores.url, "mode": "write", "prefix": f"k{round_}", "batch": 25}
        )
        assert proc.stdout is not None
        for _ in range(rng.randint(1, 4)):
            line = proc.stdout.readline()
            if not line:
                _, err = proc.communicate()
                pytest.fail(f"writer died before it was killed: {err}")
            committed.update(json.loads(line))
        time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        # Read the rest through the same text stream: readline() may have read ahead into its
        # buffer, which communicate() (reading the raw pipes) would skip.
        out = proc.stdout.read()
        proc.wait(timeout=30)
        assert proc.stderr is not None
        proc.stderr.close()
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        for line in out.splitlines():  # batches committed between the last read and the kill
            if line.strip():
                committed.update(json.loads(line))
                kills_mid_batch -= 1
        kills_mid_batch += 1
        store = sql_stores.open()
        report = store.verify_all()
        stored = {s.id: s.version for s in store.query()}
        missing = {c: v for c, v in committed.items() if stored.get(c) != v}
        assert not missing, f"round {round_}: committed steps are missing: {list(missing)[:5]}"
        assert report.cases == len(stored)
        store.close()
    print(f"{sql_stores.kind}: {len(committed)} committed cases survived 20 kills")
