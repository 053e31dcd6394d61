"""Store benchmark: saving, loading and sweeping, each against a raw-driver baseline in the same run.

    python benchmarks/store.py [--quick] [--postgres URL] [--sweep-cases N] [--save-cases N]
                               [--cpu] [--repeats N]

- save: ``save_many`` of N cases with 5 steps each (batches of 1000 cases per transaction) against
  the driver's own ``executemany`` of the very same rows (those the store wrote, read back from a
  scratch store before the timing) in transactions of the same size, into the same schema.
- load: ``load_many`` of every case (batches of 500; chains verified, cases rebuilt) against a raw
  ``SELECT`` of the same rows; and ``digest_many`` of every case (what the annual report reads:
  no history decoded or verified) against the same raw ``SELECT``.
- sweep: M cases of which 1 % have an overdue deadline: ``due(now)`` (the index read), then
  ``sweep(now)`` firing every missed ``on_miss`` trigger, against the same fires made one by one
  through the API (``load``, ``fire``, ``save``) on an identical copy of the store.

PostgreSQL runs when ``--postgres URL`` or ``DISCIPLINE_FLOW_PG_URL`` is given (tables in a
throwaway schema). Medians of several repeats; ratios against the baseline.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Running this file puts benchmarks/ first on sys.path, and benchmarks/calendar.py would then
# shadow the standard library's calendar module (imported by pendulum): drop that entry.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import enum  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

import pendulum  # noqa: E402

from discipline_flow import Body, BodyKind, Case, Member, Period, Transition, Workflow  # noqa: E402
from discipline_flow.store import SqliteStore, SweepOutcome, open_store  # noqa: E402
from discipline_flow.time.deadline import DeadlineRule  # noqa: E402

TZ = "Asia/Ho_Chi_Minh"
CLERK = Body(BodyKind.PARTY_CELL, "cell-1")


class S(enum.Enum):
    RECEIVED = "received"
    ANSWERING = "answering"
    LATE = "late"
    CLOSED = "closed"


class T(enum.Enum):
    ACCEPT = "accept"
    NOTE = "note"
    MISS = "miss"
    ANSWER = "answer"


WORKFLOW = Workflow(
    name="bench",
    version="1",
    states=S,
    triggers=T,
    initial=S.RECEIVED,
    terminal={S.CLOSED},
    transitions=[
        Transition(T.ACCEPT, S.RECEIVED, S.ANSWERING),
        Transition(T.NOTE, (S.ANSWERING, S.LATE), S.ANSWERING),
        Transition(T.MISS, S.ANSWERING, S.LATE),
        Transition(T.ANSWER, (S.ANSWERING, S.LATE), S.CLOSED),
    ],
    deadline_rules=[
        DeadlineRule(
            "reply",
            Period.parse("10 working days"),
            starts_on_trigger=T.ACCEPT,
            met_by={T.ANSWER},
            cancelled_by={S.LATE},
            on_miss=T.MISS,
        )
    ],
)
BASE = pendulum.datetime(2025, 3, 3, 9, tz=TZ)


def make_case(case_id: str, accepted: dt.datetime, notes: int) -> Case[S, T]:
    case = WORKFLOW.open(Member(f"m-{case_id}"), at=accepted, actor=CLERK, case_id=case_id)
    case.fire(T.ACCEPT, at=accepted, actor=CLERK)
    for n in range(notes):
        case.fire(T.NOTE, at=accepted + dt.timedelta(hours=n + 1), actor=CLERK, payload={"n": n})
    return case


def median_of(repeats: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(repeats))


def chunks(values: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


# --------------------------------------------------------------------------- databases


class Backend:
    """A fresh store and a raw connection on the same kind of database."""

    name = ""

    def fresh(self) -> tuple[Any, Any]:  # (store, raw connection)
        raise NotImplementedError

    def drop(self) -> None:
        raise NotImplementedError


class SqliteBackend(Backend):
    name = "SQLite"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Any] = []

    def fresh(self) -> tuple[Any, Any]:
        path = self.root / f"{uuid.uuid4().hex}.db"
        store = SqliteStore(path, [WORKFLOW])
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute("PRAGMA foreign_keys = ON")
        self.items.append((store, raw, path))
        return store, raw

    def drop(self) -> None:
        for store, raw, path in self.items:
            store.close()
            raw.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.items.clear()


class PostgresBackend(Backend):
    name = "PostgreSQL"

    def __init__(self, url: str) -> None:
        import psycopg  # noqa: PLC0415 (optional: the postgres extra, only for a PostgreSQL run)

        self.url = url
        self.psycopg = psycopg
        self.schemas: list[tuple[str, Any, Any]] = []

    def fresh(self) -> tuple[Any, Any]:
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        store = open_store(
            f"{self.url}{'&' if '?' in self.url else '?'}schema={schema}", [WORKFLOW]
        )
        raw = self.psycopg.connect(self.url, autocommit=True)
        raw.execute(f'SET search_path TO "{schema}"')
        self.schemas.append((schema, store, raw))
        return store, raw

    def drop(self) -> None:
        for schema, store, raw in self.schemas:
            store.close()
            raw.execute(f'DROP SCHEMA "{schema}" CASCADE')
            raw.close()
        self.schemas.clear()


def stored_rows(
    backend: Backend, cases: Sequence[Case[Any, Any]]
) -> list[tuple[list[Any], list[Any], list[Any]]]:
    """The rows the store writes for ``cases``, read back from a scratch store (every column, in
    table order), in batches of 1000 cases: what the baseline inserts."""
    store, raw = backend.fresh()
    for chunk in chunks(cases, 1000):
        store.save_many([(c, 0) for c in chunk])
    if isinstance(backend, PostgresBackend):
        from psycopg.types.string import TextLoader  # noqa: PLC0415 (the postgres extra)

        raw.adapters.register_loader("json", TextLoader)  # JSON as written, as the store reads
    by_case: dict[str, tuple[list[Any], list[Any], list[Any]]] = {c.id: ([], [], []) for c in cases}
    for position, table in enumerate(("cases", "steps", "deadlines")):
        for row in raw.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall():
            by_case[row[0]][position].append(tuple(row))
    backend.drop()
    batches = []
    for chunk in chunks(cases, 1000):
        parts: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
        for case in chunk:
            for part, rows in zip(parts, by_case[case.id], strict=True):
                part.extend(rows)
        batches.append(parts)
    return batches


def raw_insert(
    backend: Backend, raw: Any, batches: list[tuple[list[Any], list[Any], list[Any]]]
) -> None:
    """The baseline: the driver's executemany of prepared rows, one transaction per batch."""
    mark = "%s" if isinstance(backend, PostgresBackend) else "?"
    statements = [
        f"INSERT INTO {table} VALUES ({', '.join(mark for _ in rows[0])})"
        for table, rows in zip(("cases", "steps", "deadlines"), batches[0], strict=True)
    ]
    if isinstance(backend, PostgresBackend):
        for batch in batches:
            with raw.transaction(), raw.cursor() as cur:
                for sql, rows in zip(statements, batch, strict=True):
                    cur.executemany(sql, rows)
        return
    for batch in batches:
        raw.execute("BEGIN IMMEDIATE")
        for sql, rows in zip(statements, batch, strict=True):
            raw.executemany(sql, rows)
        raw.execute("COMMIT")


def bench_save_load(
    backend: Backend, n_cases: int, repeats: int, clock: Callable[[], float]
) -> dict[str, float]:
    cases = [
        make_case(f"C{i:07}", BASE + dt.timedelta(minutes=i % 5000), 3) for i in range(n_cases)
    ]
    batches = stored_rows(backend, cases)

    def api() -> float:
        store, _ = backend.fresh()
        start = clock()
        for chunk in chunks(cases, 1000):
            store.save_many([(c, 0) for c in chunk])
        took = clock() - start
        backend.drop()
        return took

    def baseline() -> float:
        _, raw = backend.fresh()
        start = clock()
        raw_insert(backend, raw, batches)
        took = clock() - start
        backend.drop()
        return took

    save_api = median_of(repeats, api)
    save_raw = median_of(repeats, baseline)

    single = cases[: min(len(cases), 5000)]

    def one_by_one() -> float:
        store, _ = backend.fresh()
        start = clock()
        for c in single:
            store.save(c, expected_version=0)
        took = clock() - start
        backend.drop()
        return took

    save_single = median_of(repeats, one_by_one) / len(single)

    store, raw = backend.fresh()
    for chunk in chunks(cases, 1000):
        store.save_many([(c, 0) for c in chunk])
    ids = [c.id for c in cases]

    def load_api() -> float:
        start = clock()
        for chunk in chunks(ids, 500):
            store.load_many(chunk)
        return clock() - start

    def load_raw() -> float:
        mark = "%s" if isinstance(backend, PostgresBackend) else "?"
        start = clock()
        for chunk in chunks(ids, 500):
            marks = ", ".join(mark for _ in chunk)
            for table, column in (("cases", "id"), ("steps", "case_id"), ("deadlines", "case_id")):
                raw.execute(f"SELECT * FROM {table} WHERE {column} IN ({marks})", chunk).fetchall()
        return clock() - start

    def digest_api() -> float:
        start = clock()
        for chunk in chunks(ids, 500):
            store.digest_many(chunk)
        return clock() - start

    load_api_t = median_of(repeats, load_api)
    load_raw_t = median_of(repeats, load_raw)
    digest_t = median_of(repeats, digest_api)
    backend.drop()
    return {
        "cases": n_cases,
        "save_api": save_api,
        "save_raw": save_raw,
        "save_single_us": save_single * 1e6,
        "load_api": load_api_t,
        "load_raw": load_raw_t,
        "digest_api": digest_t,
    }


def bench_sweep(
    backend: Backend, n_cases: int, repeats: int, clock: Callable[[], float]
) -> dict[str, float]:
    due_every = 100  # 1 %
    now = BASE + dt.timedelta(days=20)
    first, _ = backend.fresh()
    second, _ = backend.fresh()
    build_start = clock()
    for chunk_start in range(0, n_cases, 2000):
        batch = []
        for i in range(chunk_start, min(n_cases, chunk_start + 2000)):
            # due cases accepted on 3 March 2025 (overdue from 18 March), the rest a year later
            accepted = BASE if i % due_every == 0 else BASE + dt.timedelta(days=365)
            batch.append((make_case(f"S{i:07}", accepted, 0), 0))
        first.save_many(batch)
        second.save_many(batch)
    build = clock() - build_start
    due_n = len(first.due(now))
    due_t = median_of(max(repeats, 5), lambda: _timed(lambda: first.due(now), clock))

    start = clock()
    report = first.sweep(now)
    sweep_t = clock() - start
    fired = report.count(SweepOutcome.FIRED)

    start = clock()
    for item in second.due(now):
        case = second.load(item.case_id)
        loaded = case.version
        case.fire(
            T.MISS,
            at=now,
            actor=Body(BodyKind.SYSTEM, "sweep"),
            payload={"deadline": item.rule, "due_at": case.deadlines[item.seq].due_at},
        )
        second.save(case, expected_version=loaded)
    one_by_one = clock() - start
    assert len(first.due(now)) == 0
    assert len(second.due(now)) == 0
    backend.drop()
    return {
        "cases": n_cases,
        "due": due_n,
        "build": build,
        "due_read": due_t,
        "sweep": sweep_t,
        "fired": fired,
        "one_by_one": one_by_one,
    }


def _timed(run: Callable[[], object], clock: Callable[[], float]) -> float:
    start = clock()
    run()
    return clock() - start


def sweep_part(backend: Backend, sweep_n: int, repeats: int, clock: Callable[[], float]) -> None:
    w = bench_sweep(backend, sweep_n, repeats, clock)
    print(f"\n## {backend.name}: sweep: {w['cases']:,} cases, {w['due']:,} due")
    print(f"(built in {w['build']:.0f} s, twice: one store per way of firing)")
    print(f"due(now) read {w['due_read'] * 1e3:8.1f} ms")
    print(
        f"sweep fired {w['fired']:,} in {w['sweep']:.2f} s; one by one through the API "
        f"{w['one_by_one']:.2f} s; ratio {w['sweep'] / w['one_by_one']:.2f}x"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small, fast smoke run")
    parser.add_argument("--postgres", default=os.environ.get("DISCIPLINE_FLOW_PG_URL"))
    parser.add_argument("--save-cases", type=int, default=None)
    parser.add_argument("--sweep-cases", type=int, default=None)
    parser.add_argument("--only", choices=("sqlite", "postgres"), default=None)
    parser.add_argument("--skip-save", action="store_true", help="only the sweep part")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the CPU of this process (time.process_time), not the wall clock: steadier "
        "on a shared machine; SQLite runs in this process, PostgreSQL's server is not counted",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measure (median)")
    args = parser.parse_args(argv)
    save_n = args.save_cases or (2_000 if args.quick else 100_000)
    sweep_n = args.sweep_cases or (20_000 if args.quick else 1_000_000)
    repeats = args.repeats
    clock = time.process_time if args.cpu else time.perf_counter
    tmp = Path(tempfile.mkdtemp(prefix="df-bench-"))
    backends: list[Backend] = []
    if args.only in (None, "sqlite"):
        backends.append(SqliteBackend(tmp))
    if args.postgres and args.only in (None, "postgres"):
        backends.append(PostgresBackend(args.postgres))
    print(
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, repeats {repeats}, "
        f"{'CPU time' if args.cpu else 'wall time'}, load average {os.getloadavg()[0]:.1f}"
    )
    try:
        for backend in backends:
            if args.skip_save:
                sweep_part(backend, sweep_n, repeats, clock)
                continue
            s = bench_save_load(backend, save_n, repeats, clock)
            print(f"\n## {backend.name}: {s['cases']:,} cases x 5 steps (+1 deadline each)")
            print(
                f"save_many  {s['save_api']:8.2f} s  raw executemany {s['save_raw']:8.2f} s  "
                f"ratio {s['save_api'] / s['save_raw']:.2f}x"
            )
            print(f"save one by one (one transaction each): {s['save_single_us']:.0f} us/case")
            print(
                f"load_many  {s['load_api']:8.2f} s  raw SELECT      {s['load_raw']:8.2f} s  "
                f"ratio {s['load_api'] / s['load_raw']:.2f}x "
                f"({s['load_api'] / s['cases'] * 1e6:.0f} us/case)"
            )
            print(
                f"digest_many {s['digest_api']:7.2f} s  raw SELECT      {s['load_raw']:8.2f} s  "
                f"ratio {s['digest_api'] / s['load_raw']:.2f}x "
                f"({s['digest_api'] / s['cases'] * 1e6:.0f} us/case)"
            )
            sweep_part(backend, sweep_n, repeats, clock)
    finally:
        for backend in backends:
            backend.drop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
