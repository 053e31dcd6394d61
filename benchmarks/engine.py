"""Engine benchmark: create, memory, fire and allowed() for N open cases of a 10-state workflow.

Baselines measured in the same run:
- raw ``transitions``: one shared ``Machine`` with ``add_model`` per case (up to 100k cases);
- raw ``transitions``: one shared ``Machine``, models never added (``events[t].trigger(obj)``),
  with the user's enum states, as one would write it by hand;
- a plain dict table ``(state, trigger) -> state``, the floor.

Run: ``python benchmarks/engine.py`` (``--quick`` for a smoke run, ``--max-n`` to cap N).
Prints a Markdown table; ``--write`` replaces the ``## Engine`` section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import enum
import gc
import itertools
import pathlib
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pendulum
from transitions import Machine

from discipline_flow import (
    Body,
    BodyKind,
    DeadlineRule,
    Guard,
    GuardContext,
    Member,
    Period,
    Transition,
    Workflow,
)


class Stage(enum.Enum):
    S0 = 0
    S1 = 1
    S2 = 2
    S3 = 3
    S4 = 4
    S5 = 5
    S6 = 6
    S7 = 7
    S8 = 8
    S9 = 9


class Advance(enum.Enum):
    NEXT = "next"
    BACK = "back"
    ABORT = "abort"


STAGES = list(Stage)


def workflow() -> Workflow[Stage, Advance]:
    transitions = [Transition(Advance.NEXT, a, b) for a, b in itertools.pairwise(STAGES)]
    transitions += [
        Transition(Advance.BACK, a, b) for a, b in zip(STAGES[2:-1], STAGES[1:-2], strict=False)
    ]
    transitions.append(Transition(Advance.ABORT, STAGES[:-2], Stage.S9))
    return Workflow(
        name="bench",
        version="1",
        states=Stage,
        triggers=Advance,
        initial=Stage.S0,
        terminal={Stage.S9},
        transitions=transitions,
    )


def _party_body(ctx: GuardContext[Any, Any]) -> str | None:
    return None if ctx.actor.kind is BodyKind.PARTY_CELL else "only a party cell"


def _minutes_given(ctx: GuardContext[Any, Any]) -> str | None:
    return None if ctx.payload.get("minutes") else "the minutes are missing"


GUARDS = (Guard("party_body", _party_body), Guard("minutes_given", _minutes_given))


def guarded_workflow() -> Workflow[Stage, Advance]:
    """The same lifecycle with two guards on every NEXT and a deadline started by S0 -> S1 (30
    working days, met on entering S2)."""
    transitions = [
        Transition(Advance.NEXT, a, b, guards=GUARDS) for a, b in itertools.pairwise(STAGES)
    ]
    transitions += [
        Transition(Advance.BACK, a, b) for a, b in zip(STAGES[2:-1], STAGES[1:-2], strict=False)
    ]
    transitions.append(Transition(Advance.ABORT, STAGES[:-2], Stage.S9))
    rule = DeadlineRule(
        "report", Period.parse("30 working days"), starts_on_enter=Stage.S1, met_by={Stage.S2}
    )
    return Workflow(
        name="bench_guarded",
        version="1",
        states=Stage,
        triggers=Advance,
        initial=Stage.S0,
        terminal={Stage.S9},
        transitions=transitions,
        deadline_rules=[rule],
    )


WF = workflow()
GUARDED = guarded_workflow()
SPECS = [{"trigger": c.trigger.name, "source": c.source, "dest": c.target} for c in WF.compiled]
TABLE = {(c.source, c.trigger): c.target for c in WF.compiled}
AVAILABLE = {s: tuple(t for t in Advance if (s, t) in TABLE) for s in Stage}
CELL = Body(BodyKind.PARTY_CELL, "cell-1")
SUBJECT = Member("m-1")
START = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")


def _always(event: Any) -> bool:
    return True


class RawModel:
    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state = Stage.S0


class AddedModel:  # add_model needs a __dict__ to bind trigger methods
    def __init__(self) -> None:
        self.state = Stage.S0


def timed(func: Callable[[], Any], repeats: int) -> list[float]:
    runs = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return runs


def per(runs: list[float], count: int) -> float:
    return statistics.median(runs) / count * 1e6


def memory_per_item(make: Callable[[int], Any], n: int) -> float:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    kept = make(n)
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del kept
    return used / n


def make_cases(n: int) -> list[Any]:
    return [WF.open(SUBJECT, at=START, actor=CELL, case_id=f"C-{i}") for i in range(n)]


def bench_n(n: int, repeats: int, with_add_model: bool) -> dict[str, float]:
    row: dict[str, float] = {"n": n}
    gc.disable()
    try:
        row["create_us"] = per(timed(lambda: make_cases(n), repeats), n)
        row["raw_create_us"] = per(timed(lambda: [RawModel() for _ in range(n)], repeats), n)
        if with_add_model:

            def add_models() -> None:
                machine = Machine(
                    model=None,
                    states=STAGES,
                    initial=Stage.S0,
                    transitions=SPECS,
                    auto_transitions=False,
                )
                for _ in range(n):
                    machine.add_model(AddedModel())

            row["add_model_create_us"] = per(timed(add_models, 1), n)
    finally:
        gc.enable()
    row["case_bytes"] = memory_per_item(make_cases, min(n, 100_000))
    cases = make_cases(min(n, 100_000))
    step = cases[0].steps[0]
    row["step_bytes"] = (
        sys.getsizeof(step) + sys.getsizeof(step.payload) + 2 * sys.getsizeof(step.hash)
    )
    row["raw_bytes"] = memory_per_item(lambda k: [RawModel() for _ in range(k)], min(n, 100_000))
    return row


def bench_moves(count: int, repeats: int) -> dict[str, float]:
    """Per-event costs, measured on S0 -> S1 of fresh cases (same transition for all)."""
    row: dict[str, float] = {}
    enum_machine = Machine(
        model=None,
        states=STAGES,
        initial=Stage.S0,
        transitions=SPECS,
        auto_transitions=False,
        send_event=True,
    )
    name_machine = Machine(
        model=None,
        states=[s.name for s in STAGES],
        initial="S0",
        transitions=[
            {"trigger": c.trigger.name, "source": c.source.name, "dest": c.target.name}
            for c in WF.compiled
        ],
        auto_transitions=False,
        send_event=True,
    )
    later = START.add(days=1)

    def ours() -> None:
        for case in batch:
            case.fire(Advance.NEXT, at=later, actor=CELL)

    def raw_enum() -> None:
        event = enum_machine.events["NEXT"]
        for model in models:
            event.trigger(model)

    def raw_names() -> None:
        event = name_machine.events["NEXT"]
        for model in named:
            event.trigger(model)

    def table() -> None:
        for model in models:
            model.state = TABLE[(model.state, Advance.NEXT)]

    guarded_machine = Machine(
        model=None,
        states=[s.name for s in STAGES],
        initial="S0",
        transitions=[
            {
                "trigger": c.trigger.name,
                "source": c.source.name,
                "dest": c.target.name,
                "conditions": [_always] * len(c.guards),
            }
            for c in GUARDED.compiled
        ],
        auto_transitions=False,
        send_event=True,
    )
    minutes = {"minutes": "BB-12"}

    def ours_guarded() -> None:
        for case in guarded:
            case.fire(Advance.NEXT, at=later, actor=CELL, payload=minutes)

    def raw_guarded() -> None:
        event = guarded_machine.events["NEXT"]
        for model in named_guarded:
            event.trigger(model)

    guarded_runs, raw_guarded_runs = [], []
    fire_runs, enum_runs, name_runs, table_runs = [], [], [], []
    for _ in range(repeats):
        batch = make_cases(count)
        models = [RawModel() for _ in range(count)]
        named = [RawModel() for _ in range(count)]
        for m in named:
            m.state = "S0"  # type: ignore[assignment]
        gc.collect()
        gc.disable()
        fire_runs += timed(ours, 1)
        enum_runs += timed(raw_enum, 1)
        name_runs += timed(raw_names, 1)
        for m in models:
            m.state = Stage.S0
        table_runs += timed(table, 1)
        guarded = [
            GUARDED.open(SUBJECT, at=START, actor=CELL, case_id=f"G-{i}") for i in range(count)
        ]
        named_guarded = [RawModel() for _ in range(count)]
        for m in named_guarded:
            m.state = "S0"  # type: ignore[assignment]
        guarded_runs += timed(ours_guarded, 1)
        raw_guarded_runs += timed(raw_guarded, 1)
        gc.enable()
    row["fire_us"] = per(fire_runs, count)
    row["raw_fire_enum_us"] = per(enum_runs, count)
    row["raw_fire_names_us"] = per(name_runs, count)
    row["table_fire_us"] = per(table_runs, count)
    row["guarded_fire_us"] = per(guarded_runs, count)
    row["raw_guarded_us"] = per(raw_guarded_runs, count)

    cases = make_cases(count)
    for case in cases[: count // 2]:
        case.fire(Advance.NEXT, at=later, actor=CELL)
    models = [RawModel() for _ in range(count)]

    def allowed() -> None:
        for case in cases:
            case.allowed()

    def table_lookup(model: RawModel) -> tuple[Advance, ...]:
        return AVAILABLE[model.state]

    def table_allowed() -> None:  # the floor, behind a function call as any API is
        for model in models:
            table_lookup(model)

    row["allowed_us"] = per(timed(allowed, repeats), count)
    row["table_allowed_us"] = per(timed(table_allowed, repeats), count)
    return row


def render(rows: list[dict[str, float]], moves: dict[str, float], quick: bool) -> str:
    lines = [
        "## Engine",
        "",
        (
            f"`benchmarks/engine.py{' --quick' if quick else ''}` on {platform.python_implementation()} "
            f"{platform.python_version()}, {platform.machine()}; medians of several runs; "
            "a 10-state workflow. Create includes recording the hash-chained opening step."
        ),
        "",
        (
            "| open cases N | create / case | raw slotted object | transitions add_model | memory / case "
            "(with its opening step) | opening step alone | raw object |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        add = f"{r['add_model_create_us']:.1f} µs" if "add_model_create_us" in r else "—"
        lines.append(
            f"| {int(r['n']):,} | {r['create_us']:.1f} µs | {r['raw_create_us']:.2f} µs | {add} "
            f"| {r['case_bytes']:.0f} B | {r['step_bytes']:.0f} B | {r['raw_bytes']:.0f} B |"
        )
    m = moves
    lines += [
        "",
        "| per event | µs | ratio |",
        "|---|---:|---:|",
        f"| `case.fire` (guards, step, SHA-256 chain) | {m['fire_us']:.2f} | 1.00 |",
        (
            f"| raw transitions trigger, enum states (same definition) | {m['raw_fire_enum_us']:.2f} "
            f"| fire is {m['fire_us'] / m['raw_fire_enum_us']:.2f}× |"
        ),
        (
            f"| raw transitions trigger, state names | {m['raw_fire_names_us']:.2f} "
            f"| fire is {m['fire_us'] / m['raw_fire_names_us']:.2f}× |"
        ),
        (
            f"| plain dict table | {m['table_fire_us']:.2f} | fire is "
            f"{m['fire_us'] / m['table_fire_us']:.0f}× |"
        ),
        (
            f"| `case.allowed()` | {m['allowed_us']:.2f} | {m['allowed_us'] / m['table_allowed_us']:.2f}× "
            "the table |"
        ),
        f"| plain table lookup of allowed triggers | {m['table_allowed_us']:.2f} | 1.00 |",
        "",
        "| per event, with guards and a deadline | µs | ratio |",
        "|---|---:|---:|",
        (
            f"| `case.fire`: two guards, a payload, a deadline started, the step hashed "
            f"| {m['guarded_fire_us']:.2f} | 1.00 |"
        ),
        (
            f"| raw transitions trigger with two conditions, state names (same definition) "
            f"| {m['raw_guarded_us']:.2f} | fire is {m['guarded_fire_us'] / m['raw_guarded_us']:.2f}× |"
        ),
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = pathlib.Path(__file__).resolve().parent.parent / "docs" / "performance.md"
    doc = path.read_text()
    start = doc.find("## Engine")
    if start == -1:
        doc = doc.rstrip() + "\n\n" + text
    else:
        end = doc.find("\n## ", start + 1)
        doc = doc[:start] + text + (doc[end + 1 :] if end != -1 else "")
    path.write_text(doc.rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N, few repeats")
    parser.add_argument("--max-n", type=int, default=1_000_000)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    sizes = [n for n in sizes if n <= args.max_n]
    repeats = 3 if args.quick else 5
    rows = []
    for n in sizes:
        rows.append(bench_n(n, 1 if n >= 100_000 else repeats, with_add_model=n <= 100_000))
        print(f"N={n:,} done", file=sys.stderr)
    moves = bench_moves(5_000 if args.quick else 50_000, repeats)
    text = render(rows, moves, args.quick)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
