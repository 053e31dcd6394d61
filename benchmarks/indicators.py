"""Indicators benchmark: a period's indicators computed from the demo's store, against reading
the same digests.

The store is the one ``make demo`` writes (``demo-out/demo.db``, scale 1: about 85,000 cases
and 495,000 steps), copied to a temporary folder first so that the run never changes it; the
demo is not rebuilt here. Three things are timed on the same ids (every case opened before the
period's end), in turn, ``--repeats`` times, and their medians reported:

- *digests*: ``digest_many`` in chunks of 1,000, the annual report's reading (the baseline);
- *digests with moves*: the same with ``moves=True``, what the indicators read;
- *indicators*: ``compute_indicators(store, period)`` as a whole (reading and counting, the plans
  included).

Run: ``python benchmarks/indicators.py [STORE_FILE] [--period 2023] [--repeats 5]``; prints a
Markdown section; ``--write`` replaces the ``## Indicators`` section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
# benchmarks/calendar.py would shadow the standard library's calendar module while this folder
# is first on the path (see benchmarks/demo.py).
sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != ROOT / "benchmarks"]

from discipline_flow.processes import shipped_registry  # noqa: E402
from discipline_flow.reports.compute import compute_indicators  # noqa: E402
from discipline_flow.reports.period import Period  # noqa: E402
from discipline_flow.store import open_store  # noqa: E402

SECTION = "## Indicators"
CHUNK = 1000


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _timed(work: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    work()
    return time.perf_counter() - wall, _cpu() - cpu


def measure(path: pathlib.Path, period_text: str, repeats: int, jobs: int) -> dict[str, Any]:
    """Wall and CPU seconds of each reading, per repeat, and the store's size."""
    period = Period.parse(period_text)
    with tempfile.TemporaryDirectory() as folder:
        copy = pathlib.Path(folder) / "demo.db"
        shutil.copyfile(path, copy)
        url = f"sqlite:///{copy}"
        with open_store(url, shipped_registry(), create=False) as store:
            ids = sorted(store.query_ids(opened_until=period.end))
            steps = sum(d.version for d in store.digest_many(ids))

            def digests(moves: bool) -> Callable[[], None]:
                def read() -> None:
                    for i in range(0, len(ids), CHUNK):
                        store.digest_many(ids[i : i + CHUNK], moves=moves)

                return read

            runs: dict[str, list[tuple[float, float]]] = {
                "digests": [],
                "digests with moves": [],
                "indicators": [],
                "indicators alone": [],
            }

            def indicators() -> None:
                compute_indicators(store, period, jobs=jobs, url=url)

            def alone() -> None:
                compute_indicators(store, period)

            work = {
                "digests": digests(False),
                "digests with moves": digests(True),
                "indicators": indicators,
                "indicators alone": alone,
            }
            for each in work.values():  # one warm-up each: the file in the page cache
                each()
            for _ in range(repeats):
                for name, each in work.items():
                    runs[name].append(_timed(each))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {"cases": len(ids), "steps": steps, "runs": runs, "period": period_text, "load": load}


def section(result: dict[str, Any], repeats: int, jobs: int) -> str:
    """The Markdown section of the results."""
    runs = result["runs"]
    base = statistics.median(w for w, _ in runs["digests"])
    intro = (
        f"`python benchmarks/indicators.py` on a copy of the scale-1 demo store (`make demo`): "
        f"{result['cases']:,} cases and {result['steps']:,} steps opened before the end of "
        f"{result['period']}, the indicators of {result['period']} "
        f"(`compute_indicators`), medians of {repeats} runs in turn after a warm-up, on "
        f"{platform.python_implementation()} {platform.python_version()}, a shared 2-core "
        f"machine (load average when it ended: {result['load']}). The baseline reads the same "
        "digests as the annual report does. CPU includes the worker processes'."
    )
    lines = [
        SECTION,
        "",
        intro,
        "",
        "| reading | wall | CPU | wall / digests |",
        "|---|---:|---:|---:|",
    ]
    for name, label in (
        ("digests", "digests (`digest_many`, baseline)"),
        ("digests with moves", "digests with their moves (`moves=True`)"),
        ("indicators alone", "the indicators of the year, one process"),
        ("indicators", f"**the indicators of the year** (`compute_indicators`, {jobs} jobs)"),
    ):
        wall = statistics.median(w for w, _ in runs[name])
        cpu = statistics.median(c for _, c in runs[name])
        lines.append(f"| {label} | {wall:.2f} s | {cpu:.2f} s | {wall / base:.2f}× |")
    note = (
        "The moves cost one more query per chunk (each step's trigger, target, instant and actor "
        "columns, and the payloads that name a measure) and a small tuple per step; counting "
        "them adds little. Every case opened before the period's end is read, since a case "
        "opened earlier counts when its counted step falls in the period. Worker processes "
        "share the reading as the annual report's do (`discipline-flow report` uses up to 2)."
    )
    lines += ["", note, ""]
    return "\n".join(lines)


def _write(text: str) -> None:
    path = ROOT / "docs" / "performance.md"
    old = path.read_text(encoding="utf-8")
    if SECTION + "\n" in old:
        head, rest = old.split(SECTION + "\n", 1)
        tail = rest.split("\n## ", 1)
        old = head + text + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        old = old.rstrip() + "\n\n" + text
    path.write_text(old, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", default=str(ROOT / "demo-out" / "demo.db"))
    parser.add_argument("--period", default="2023")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    path = pathlib.Path(args.store)
    if not path.is_file():
        sys.exit(f"{path}: no store; run `make demo` first")
    result = measure(path, args.period, args.repeats, args.jobs)
    text = section(result, args.repeats, args.jobs)
    print(text)
    if args.write:
        _write(text)


if __name__ == "__main__":
    main()
