"""Calendar and deadlines: working-day arithmetic and starting the deadlines of many cases.

Two measurements, each against baselines in the same run:

1. ``add_working_days(d, N)`` for N in 1, 30, 90 and 10 000 on the Vietnamese calendar (closed
   form over weeks + bisect), against a day-by-day loop over the same calendar's days off (a set
   lookup per day) and against ``holidays``' own ``get_nth_working_day``. The slow baselines run
   fewer calls; every figure is per call.
2. Starting the deadlines of a synthetic register of open cases (``Deadline.start``, start instants
   spread over 2024-2026, six rules of different units), against a day-by-day due-date
   computation of the same deadlines. Also: the cold path (no shared results), and
   ``compute_due`` with its full explanation.

Medians of several repeats of wall time (``time.perf_counter``); ratios are baseline / ours. The
machine is shared, so the CPU time of the process (``time.process_time``) is printed as well: it is
the figure that does not depend on how busy the other processes keep the CPUs. Run:

    .venv/bin/python benchmarks/calendar.py            # full run (1M deadlines), for docs/performance.md
    .venv/bin/python benchmarks/calendar.py --quick    # smoke run; the 1M figure is extrapolated
"""

from __future__ import annotations

# Run as a script, this file's directory is first on sys.path and its name would shadow the
# standard library's ``calendar`` module (imported by dateutil and holidays): drop it first.
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402 - after the sys.path fix above
import datetime as _dt  # noqa: E402
import enum  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from importlib.metadata import version  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import holidays  # noqa: E402

from discipline_flow.citation import Citation, RuleStatus  # noqa: E402
from discipline_flow.time import (  # noqa: E402
    Deadline,
    DeadlineRule,
    Period,
    Unit,
    VietnamCalendar,
    compute_due,
    default_calendar,
)
from discipline_flow.time._dates import add_months  # noqa: E402

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NS = (1, 30, 90, 10_000)


def timed(run: Callable[[int], object], calls: int, repeats: int) -> tuple[float, float, float]:
    """Median wall time, best wall time and median CPU time of the process, per call."""
    run(min(calls, 10))  # warm up
    wall, cpu = [], []
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        run(calls)
        wall.append((time.perf_counter() - start) / calls)
        cpu.append((time.process_time() - start_cpu) / calls)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def median_per_call(run: Callable[[int], object], calls: int, repeats: int) -> float:
    """Median wall seconds per call over ``repeats`` timings of ``calls`` calls."""
    return timed(run, calls, repeats)[0]


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.2f} µs"


# --------------------------------------------------------------------------- 1. add working days


def day_loop_calendar(cal: VietnamCalendar) -> Callable[[_dt.date, int], _dt.date]:
    """A day-by-day ``add_working_days`` over the same days (one set lookup per day)."""
    first = _dt.date(2020, 1, 1).toordinal()
    last = _dt.date(2099, 12, 31).toordinal()
    working = {o for o in range(first, last + 1) if cal.is_working_day(_dt.date.fromordinal(o))}

    def add(day: _dt.date, n: int) -> _dt.date:
        o = day.toordinal()
        while n:
            o += 1
            if o in working:
                n -= 1
        return _dt.date.fromordinal(o)

    return add


def bench_add(quick: bool) -> list[tuple[int, tuple[float, float, float], float, float]]:
    cal = default_calendar()
    rng = random.Random(7)
    starts = [
        _dt.date(2024, 1, 1) + _dt.timedelta(days=rng.randrange(3 * 365)) for _ in range(1000)
    ]
    loop = day_loop_calendar(cal)
    package = holidays.country_holidays("VN", years=range(2024, 2070))
    package.get_nth_working_day(_dt.date(2024, 1, 1), 10_000)  # populate every year once
    repeats = 3 if quick else 5
    rows = []
    for n in NS:
        ours_calls = 10_000 if quick else 100_000
        loop_calls = max(20, min(ours_calls, 2_000_000 // (n * 2)))
        package_calls = max(3, min(2_000, 20_000 // n)) if not quick else max(2, 2_000 // n)

        def ours(k: int, n: int = n) -> None:
            add = cal.add_working_days
            for i in range(k):
                add(starts[i % 1000], n)

        def by_day(k: int, n: int = n) -> None:
            for i in range(k):
                loop(starts[i % 1000], n)

        def theirs(k: int, n: int = n) -> None:
            nth = package.get_nth_working_day
            for i in range(k):
                nth(starts[i % 1000], n)

        for i in range(200):  # the three agree
            assert cal.add_working_days(starts[i], n) == loop(starts[i], n)
        rows.append(
            (
                n,
                timed(ours, ours_calls, repeats),
                median_per_call(by_day, loop_calls, repeats),
                median_per_call(theirs, package_calls, max(1, repeats - 2)),
            )
        )
    return rows


# --------------------------------------------------------------------------- 2. many deadlines


class Trigger(enum.Enum):
    OPEN = "open"


BASIS = Citation("benchmark", None, RuleStatus.ASSUMED)
RULES = (
    DeadlineRule("complaint_window", Period(30, Unit.WORKING_DAYS), starts_on_trigger=Trigger.OPEN, citation=BASIS),
    DeadlineRule("resolve_complaint", Period(90, Unit.WORKING_DAYS), starts_on_trigger=Trigger.OPEN, citation=BASIS),
    DeadlineRule("charter_window", Period(1, Unit.MONTHS), starts_on_trigger=Trigger.OPEN, citation=BASIS),
    DeadlineRule(
        "suspension", Period(90, Unit.CALENDAR_DAYS), cap=Period(180, Unit.CALENDAR_DAYS),
        starts_on_trigger=Trigger.OPEN, citation=BASIS,
    ),
    DeadlineRule("notify", Period(5, Unit.CALENDAR_DAYS), starts_on_trigger=Trigger.OPEN, citation=BASIS),
    DeadlineRule("effect", Period(12, Unit.MONTHS), starts_on_trigger=Trigger.OPEN, citation=BASIS),
)  # fmt: skip


def synthetic_register(size: int, seed: int = 11) -> list[tuple[DeadlineRule, _dt.datetime]]:
    """``size`` open cases: a rule and a start instant between 2024-01-01 and 2026-06-30."""
    rng = random.Random(seed)
    first = _dt.datetime(2024, 1, 1, 7, tzinfo=HANOI)
    span = int((_dt.datetime(2026, 6, 30, tzinfo=HANOI) - first).total_seconds())
    return [
        (RULES[rng.randrange(len(RULES))], first + _dt.timedelta(seconds=rng.randrange(span)))
        for _ in range(size)
    ]


def naive_due_on(
    rule: DeadlineRule, started_at: _dt.datetime, working: Callable[[_dt.date], bool]
) -> _dt.date:
    """The same due date computed day by day (the baseline)."""
    day = started_at.astimezone(HANOI).date()
    period = rule.period
    if period.unit is Unit.WORKING_DAYS:
        left = period.amount
        while left:
            day += _dt.timedelta(days=1)
            if working(day):
                left -= 1
        return day
    if period.unit is Unit.MONTHS:
        last = add_months(day, period.amount)[0]
    else:
        last = day + _dt.timedelta(days=period.amount)
    while not working(last):
        last += _dt.timedelta(days=1)
    return last


class UncachedCalendar(VietnamCalendar):
    """The same calendar; ``Deadline.start`` shares results only for ``VietnamCalendar`` itself."""


def bench_register(quick: bool) -> dict[str, float]:
    cal = default_calendar()
    size = 20_000 if quick else 1_000_000
    register = synthetic_register(size)
    repeats = 3
    start = Deadline.start

    def ours(k: int) -> None:
        for rule, at in register[:k]:
            start(rule, started_at=at, calendar=cal)

    uncached = UncachedCalendar()

    def cold(k: int) -> None:
        for rule, at in register[:k]:
            start(rule, started_at=at, calendar=uncached)

    def full_explanation(k: int) -> None:
        for rule, at in register[:k]:
            compute_due(at, rule.period, calendar=cal)

    days_off = {
        o
        for o in range(_dt.date(2024, 1, 1).toordinal(), _dt.date(2028, 12, 31).toordinal())
        if not cal.is_working_day(_dt.date.fromordinal(o))
    }

    def working(day: _dt.date) -> bool:
        return day.toordinal() not in days_off

    def baseline(k: int) -> None:
        for rule, at in register[:k]:
            naive_due_on(rule, at, working)

    for rule, at in register[:500]:  # same due dates
        assert Deadline.start(rule, started_at=at, calendar=cal).due_on == naive_due_on(
            rule, at, working
        )
    small = min(size, 20_000)
    wall, best, cpu = timed(ours, size, repeats)
    return {
        "size": float(size),
        "ours": wall,
        "ours_best": best,
        "ours_cpu": cpu,
        "cold": median_per_call(cold, small, 3),
        "compute_due": median_per_call(full_explanation, small, 3),
        "baseline": median_per_call(baseline, small, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# Calendar and deadlines ({'quick' if args.quick else 'full'} run)")
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load:.2f} at the start, holidays {version('holidays')}"
    )
    gc.collect()
    t0 = time.perf_counter()
    VietnamCalendar()
    print(f"Building a VietnamCalendar (1995-2099): {(time.perf_counter() - t0) * 1e3:,.0f} ms")
    print()
    print(
        "| N | add_working_days: wall, median | CPU, median | day-by-day loop | ratio "
        "| holidays get_nth_working_day | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, (ours, _, cpu), loop, package in bench_add(args.quick):
        print(
            f"| {n:,} | {us(ours)} | {us(cpu)} | {us(loop)} | {loop / ours:,.1f}x "
            f"| {us(package)} | {package / ours:,.0f}x |"
        )
    print()
    r = bench_register(args.quick)
    size = int(r["size"])
    how = "measured" if size == 1_000_000 else f"extrapolated from {size:,}"
    base = r["baseline"]
    rows = [
        ("`Deadline.start`, synthetic register, median", r["ours"], how),
        ("same, best of the repeats", r["ours_best"], how),
        ("same, CPU time of the process", r["ours_cpu"], how),
        ("cold: nothing shared between deadlines", r["cold"], "extrapolated"),
        ("`compute_due` with its full explanation", r["compute_due"], "extrapolated"),
        ("baseline: the due date alone, day by day", base, "extrapolated"),
    ]
    print("| Starting deadlines | per deadline | 1M deadlines | baseline / this |")
    print("|---|---:|---:|---:|")
    for label, seconds, note in rows:
        # Wall times are compared with the (wall) baseline; a CPU time is not.
        ratio = "" if "CPU" in label else f"{base / seconds:,.1f}x"
        print(f"| {label} | {us(seconds)} | {seconds * 1e6:,.1f} s ({note}) | {ratio} |")
    print()
    end_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Load average at the end: {end_load:.2f}")


if __name__ == "__main__":
    main()
