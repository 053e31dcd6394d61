"""Demo benchmark: the city-year end to end (generate, save, sweep, report, files) at several scales.

Each run is a fresh process running ``run_demo`` into a fresh SQLite file, so that its peak memory
is its own; it reports wall time per phase, the CPU time of the main process and of its worker
processes, and the peak resident memory of both. Baselines measured in the same run, per step:

- *floor*: a dict-table transition, a SHA-256 of a small canonical record and an append, the least
  any hash-chained engine pays;
- *fire only*: supervision cases driven through ``Case.fire`` in memory (no store, no generator),
  the library's own cost for the steps the demo takes most.

The report reads case digests (no history verified); the *verify* phase loads a 1 % sample of
the cases, which verifies their histories, and checks their digests against them.

Baselines are CPU time of this process (``time.process_time``), comparable with the demo's CPU
column whatever the load of the shared machine.

Run: ``python benchmarks/demo.py`` (scales 0.3, 1.0 and 3.0) or ``--quick`` (0.01, 0.03, 0.1);
``--repeats N`` (default 3 with ``--quick``, 1 otherwise), ``--jobs N`` (default 2).
Prints a Markdown section; ``--write`` replaces the ``## Demo`` section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pathlib
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
# benchmarks/calendar.py would shadow the standard library's calendar module (which pendulum
# imports, when discipline_flow is first imported below) while this folder is first on the path.
sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != ROOT / "benchmarks"]
SECTION = "## Demo"


def _child(scale: float, out: str, jobs: int) -> None:
    """Run one demo and print its figures as JSON (the parent measures nothing itself)."""
    from discipline_flow.demo import DemoSettings
    from discipline_flow.demo._run import run_demo

    started = time.perf_counter()
    cpu = time.process_time()
    run = run_demo(DemoSettings(year=2023, scale=scale, seed=2023), out=out, jobs=jobs)
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    g = run.generation
    json.dump(
        {
            "scale": scale,
            "cases": g.tally.cases,
            "steps": g.tally.steps,
            "wall": wall,
            "cpu_main": time.process_time() - cpu,
            "cpu_workers": workers.ru_utime + workers.ru_stime,
            "rss_main_mb": own.ru_maxrss / 1024,
            "rss_workers_mb": workers.ru_maxrss / 1024,
            "phases": run.seconds,
            "jobs": g.jobs,
            "matches": run.matches and run.digests_match,
        },
        sys.stdout,
    )


def _run_child(scale: float, jobs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(scale), out, str(jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _floor(steps: int) -> float:
    """Seconds per step of the floor: table lookup, SHA-256 of a canonical record, append."""
    table = {(i, "NEXT"): i + 1 for i in range(6)}
    history: list[str] = []
    previous = "0" * 64
    state = 0
    started = time.process_time()
    for i in range(steps):
        state = table.get((state, "NEXT"), 0)
        record = f'["{previous}",{i},"fire","NEXT",{state},"2023-03-01T09:00:00+07:00"]'
        previous = hashlib.sha256(record.encode()).hexdigest()
        history.append(previous)
    return (time.process_time() - started) / steps


def _fire_only(cases: int) -> float:
    """Seconds per step of six-step supervision cases driven by ``Case.fire`` in memory."""
    from discipline_flow import Body, BodyKind, Level, Member
    from discipline_flow.processes.supervision import regular_supervision_workflow
    from discipline_flow.rules import select_ruleset

    wf = regular_supervision_workflow(select_ruleset(dt.date(2023, 3, 1)))
    cell = Body(BodyKind.PARTY_CELL, "cell-1", Level.GRASSROOTS)
    tz = dt.timezone(dt.timedelta(hours=7))
    base = dt.datetime(2023, 3, 1, 9, tzinfo=tz)
    hour = dt.timedelta(hours=1)
    triggers = (
        "REQUEST_REPORT",
        "RECEIVE_REPORT",
        "START_ASSESSMENT",
        "CONCLUDE",
        "ISSUE_REMINDER",
    )
    no = {"signs_of_violation": False}
    started = time.process_time()
    for i in range(cases):
        case = wf.open(Member(f"m-{i}"), at=base, actor=cell, case_id=f"C-{i}")
        for n, trigger in enumerate(triggers, start=1):
            case.fire(trigger, at=base + n * hour, actor=cell, payload=no if n == 4 else None)
    return (time.process_time() - started) / (cases * 6)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scales 0.01, 0.03, 0.1 only")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument(
        "--child", nargs=3, metavar=("SCALE", "OUT", "JOBS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        _child(float(args.child[0]), args.child[1], int(args.child[2]))
        return
    scales = (0.01, 0.03, 0.1) if args.quick else (0.3, 1.0, 3.0)
    repeats = args.repeats or (3 if args.quick else 1)
    load_before = os.getloadavg()[0]
    floor = _median([_floor(200_000) for _ in range(5)])
    fire = _median([_fire_only(2_000) for _ in range(3)])
    rows: list[dict[str, Any]] = []
    for scale in scales:
        runs = [_run_child(scale, args.jobs) for _ in range(repeats)]
        rows.append(
            {
                "scale": scale,
                "cases": runs[0]["cases"],
                "steps": runs[0]["steps"],
                "wall": _median([r["wall"] for r in runs]),
                "cpu": _median([r["cpu_main"] + r["cpu_workers"] for r in runs]),
                "rss": max(max(r["rss_main_mb"], r["rss_workers_mb"]) for r in runs),
                "phases": {k: _median([r["phases"][k] for r in runs]) for k in runs[0]["phases"]},
                "jobs": runs[0]["jobs"],
                "matches": all(r["matches"] for r in runs),
            }
        )
        print(f"scale {scale}: {rows[-1]['wall']:.1f} s", file=sys.stderr)
    load_after = os.getloadavg()[0]
    text = _render(rows, floor, fire, repeats, (load_before, load_after), args.quick)
    print(text)
    if args.write:
        _write(text)


def _render(
    rows: list[dict[str, Any]],
    floor: float,
    fire: float,
    repeats: int,
    load: tuple[float, float],
    quick: bool,
) -> str:
    intro = (
        f"Script: `benchmarks/demo.py`{' --quick' if quick else ''}. Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; load "
        f"average {load[0]:.1f} at the start and {load[1]:.1f} at the end (the machine is shared "
        f"with other runs). Each row is a fresh process running `run_demo` (year 2023, seed 2023) "
        f"into a fresh SQLite file: generate and save, sweep at 31 Dec 24:00, read the annual "
        f"report back, write the files. Wall times are medians of {repeats} run(s); CPU is the "
        f"main process plus its workers; memory is the peak resident set of the largest process. "
        f"The report reads case digests (nothing verified); *verify* loads a 1 % sample, its "
        f"histories verified, and checks the digests against it."
    )
    header = (
        "| scale | cases | steps | processes | wall | CPU | steps/s (wall) | µs of CPU per step "
        "| generate | sweep | report | verify | peak memory | report = tally |"
    )
    lines = [
        SECTION,
        "",
        intro,
        "",
        header,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        p = r["phases"]
        lines.append(
            f"| {r['scale']:g} | {r['cases']:,} | {r['steps']:,} | {r['jobs']} | "
            f"{r['wall']:.1f} s | {r['cpu']:.1f} s | {r['steps'] / r['wall']:,.0f} | "
            f"{r['cpu'] / r['steps'] * 1e6:,.0f} | {p['generate']:.1f} s | {p['sweep']:.1f} s | "
            f"{p['report']:.1f} s | {p.get('verify', 0.0):.1f} s | {r['rss']:,.0f} MB | "
            f"{'yes' if r['matches'] else 'NO'} |"
        )
    first, last = rows[0], rows[-1]
    growth = (last["wall"] / first["wall"]) / (last["steps"] / first["steps"])
    cpu_growth = (last["cpu"] / first["cpu"]) / (last["steps"] / first["steps"])
    demo = last["cpu"] / last["steps"]
    baselines = (
        "Baselines in the same run, CPU per step: the floor (dict-table move, SHA-256 of a "
        f"canonical record, append) {floor * 1e6:.2f} µs; `Case.fire` alone on six-step "
        f"supervisions in memory {fire * 1e6:.1f} µs. At the largest scale the demo spends "
        f"{demo * 1e6:.0f} µs of CPU per step, {demo / fire:.1f}x `fire` alone and "
        f"{demo / floor:.0f}x the floor: the rest is saving every step, reading every case's "
        f"digest back for the report, verifying the sample, and the generator's own bookkeeping."
    )
    linear = (
        f"- From scale {first['scale']:g} to {last['scale']:g}, wall time grows "
        f"{growth:.2f}x and CPU time {cpu_growth:.2f}x as fast as the number of steps "
        f"(1.00 is exactly linear)."
    )
    lines += ["", baselines, linear]
    return "\n".join(lines) + "\n"


def _write(section: str) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    if SECTION + "\n" in text:
        head, rest = text.split(SECTION + "\n", 1)
        tail = rest.split("\n## ", 1)
        text = head + section + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
