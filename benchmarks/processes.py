"""Benchmark: driving mixed cases through the shipped process workflows.

Opens and drives cases of four processes — a member disciplinary decision (cell warning, up to
the automatic end of effect), an inspection of a member, a suspension of party activity
(decided, extended, lifted) and a complaint (accepted, upheld, closed) — with their guards
(authority matrix, votes, limitation period, admissibility), deadlines and step hashing, under
the ``2025-07`` ruleset.

The baseline, in the same run, makes **the same moves** on raw ``transitions``: one
``Machine(model=None, ...)`` per workflow with the same states and transitions, each transition
carrying as many plain condition callables as our guards (the first one picks the candidate the
library took, the others return True), fired with ``machine.events[trigger].trigger(obj)`` on a
plain slotted object. It has no payload, deadlines, history or hashing.

Reported: the median time per step (a case's opening counts as a step) over several repeats,
the ratio to the baseline, the memory per driven case (``tracemalloc``), and where the time goes
(``cProfile``, top functions by own time).

Run ``python benchmarks/processes.py`` (100,000 cases, 3 repeats) or ``--quick`` for a smoke run.
"""

from __future__ import annotations

import os
import sys

# This directory holds a script named calendar.py, which would shadow the standard library's
# calendar module (imported by pendulum) when this script runs: take the directory off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402 - after the sys.path fix above
import cProfile  # noqa: E402
import datetime as dt  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import attrs  # noqa: E402
from transitions import Machine  # noqa: E402

from discipline_flow import Body, BodyKind, Case, Level, Member, Workflow  # noqa: E402
from discipline_flow.processes import shipped_workflows  # noqa: E402
from discipline_flow.rules import VoteStage, VoteTally, default_registry  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RULES = default_registry().get("2025-07")
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
GRASSROOTS_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-dy", Level.GRASSROOTS)
SYSTEM = Body(BodyKind.SYSTEM, "sweep")
PERSON = Body(BodyKind.PERSON, "m-1")
VOTE = VoteTally(9, 7, 2, 0).to_payload()
PROPOSAL = VoteTally(9, 6, 3, 0, stage=VoteStage.PROPOSAL).to_payload()

#: One script per process: (trigger or None for the opening, actor, payload, day offset).
Script = Sequence[tuple[str | None, Body, dict[str, Any], int]]
SCRIPTS: dict[str, Script] = {
    "member_discipline": (
        (None, CELL, {"violation_on": "2025-03-01"}, 0),
        ("HEAR_SUBJECT", CELL, {"attended": True}, 1),
        ("HOLD_VOTE", CELL, {"measure": "warning", "vote": VOTE}, 2),
        ("DECIDE", CELL, {}, 2),
        ("ANNOUNCE_VOTE_RESULT", CELL, {}, 2),
        ("RECORD_ADMINISTRATIVE_FOLLOW_UP", CELL, {"action": "proposed to the agency"}, 3),
        ("ANNOUNCE_DECISION", CELL, {}, 4),
        ("CLOSE_COMPLAINT_WINDOW", SYSTEM, {}, 60),
        ("END_EFFECT", SYSTEM, {}, 400),
    ),
    "inspection": (
        (None, UBKT, {}, 0),
        ("DECIDE_INSPECTION", UBKT, {"plan": "KH-1", "team": ["a", "b"]}, 1),
        ("NOTIFY_SUBJECT", UBKT, {}, 2),
        ("REQUEST_SELF_REPORT", UBKT, {}, 2),
        ("RECEIVE_SELF_REPORT", UBKT, {}, 10),
        ("SUBMIT_DRAFT_REPORT", UBKT, {}, 20),
        ("HOLD_HEARING", UBKT, {"attended": True}, 22),
        ("CONCLUDE", UBKT, {"outcome": "remediation"}, 25),
    ),
    "party_activity_suspension": (
        (None, UBKT, {}, 0),
        ("DECIDE_SUSPENSION", UBKT, {"grounds": ["obstructing"]}, 0),
        ("EXTEND", UBKT, {"extend_by": "30 days", "reason": "review continues"}, 80),
        ("LIFT", UBKT, {"reason": "review concluded"}, 100),
    ),
    "complaint": (
        (
            None,
            PERSON,
            {
                "filed_on": "{filed}",
                "decision_received_on": "{received}",
                "measure": "warning",
                "decided_by": {"kind": "party_cell", "id": "cell-7", "level": None},
            },
            0,
        ),
        ("ACCEPT", GRASSROOTS_UBKT, {}, 1),
        ("UPHOLD_DECISION", GRASSROOTS_UBKT, {}, 40),
        ("CLOSE", SYSTEM, {}, 90),
    ),
}
#: The mix of processes, repeated: 4 disciplinary cases, 3 inspections, 2 suspensions, 1 complaint.
MIX = (
    ("member_discipline",) * 4
    + ("inspection",) * 3
    + ("party_activity_suspension",) * 2
    + ("complaint",)
)
MEMBER = Member("m-1", cell_id="cell-7")


class Plan:
    """One case to drive: its workflow, the instants and payloads of its moves."""

    __slots__ = ("at", "kind", "moves", "payloads")

    def __init__(self, kind: str, start: dt.date) -> None:
        self.kind = kind
        script = SCRIPTS[kind]
        base = dt.datetime(start.year, start.month, start.day, 9, tzinfo=TZ)
        self.at = [base + dt.timedelta(days=d, minutes=i) for i, (*_, d) in enumerate(script)]
        self.moves = [(trigger, actor) for trigger, actor, _, _ in script]
        self.payloads = [_fill(payload, start) for _, _, payload, _ in script]


def _fill(payload: dict[str, Any], start: dt.date) -> dict[str, Any]:
    filled = dict(payload)
    for key, value in payload.items():
        if value == "{filed}":
            filled[key] = (start - dt.timedelta(days=1)).isoformat()
        elif value == "{received}":
            filled[key] = (start - dt.timedelta(days=5)).isoformat()
    return filled


def make_plans(count: int) -> list[Plan]:
    first = dt.date(2025, 7, 7)
    return [Plan(MIX[i % len(MIX)], first + dt.timedelta(days=i % 150)) for i in range(count)]


def workflows() -> dict[str, Workflow[Any, Any]]:
    return {w.name: w for w in shipped_workflows(RULES) if w.name in SCRIPTS}


# ---------------------------------------------------------------------------- library


def drive_library(
    plans: Sequence[Plan], flows: dict[str, Workflow[Any, Any]]
) -> list[Case[Any, Any]]:
    """Open and drive every planned case through the library; return the cases."""
    cases = []
    for n, plan in enumerate(plans):
        wf = flows[plan.kind]
        ats = plan.at
        payloads = plan.payloads
        moves = plan.moves
        case = wf.open(MEMBER, at=ats[0], actor=moves[0][1], case_id=f"C-{n}", payload=payloads[0])
        fire = case.fire
        for i in range(1, len(moves)):
            trigger, actor = moves[i]
            fire(trigger, at=ats[i], actor=actor, payload=payloads[i])
        cases.append(case)
    return cases


# ---------------------------------------------------------------------------- raw transitions


class RawCase:
    """What the baseline moves: a state name and the target the library took."""

    __slots__ = ("next", "state")

    def __init__(self, state: str) -> None:
        self.state = state
        self.next = ""


def _picks(dest: str) -> Callable[[Any], bool]:
    def condition(event: Any) -> bool:
        return bool(event.model.next == dest)

    return condition


def _true(event: Any) -> bool:
    return True


def raw_machines(flows: dict[str, Workflow[Any, Any]]) -> dict[str, Machine]:
    """The same states and transitions on raw ``transitions``, one stock machine per workflow."""
    machines = {}
    for name, wf in flows.items():
        specs = []
        for ct in wf.compiled:
            conditions = [_picks(ct.target.name)] + [_true] * max(len(ct.guards) - 1, 0)
            specs.append(
                {
                    "trigger": ct.trigger.name,
                    "source": ct.source.name,
                    "dest": ct.target.name,
                    "conditions": conditions,
                }
            )
        machines[name] = Machine(
            model=None,
            states=list(wf.states.__members__),
            initial=wf.initial.name,
            transitions=specs,
            auto_transitions=False,
            send_event=True,
        )
    return machines


def raw_targets(
    plans: Sequence[Plan], flows: dict[str, Workflow[Any, Any]]
) -> dict[str, list[str]]:
    """The targets the library takes along each script (the baseline makes the same moves)."""
    targets = {}
    for kind in SCRIPTS:
        plan = next(p for p in plans if p.kind == kind)
        (case,) = drive_library([plan], flows)
        targets[kind] = [step.target.name for step in case.steps]
    return targets


def drive_raw(
    plans: Sequence[Plan], machines: dict[str, Machine], targets: dict[str, list[str]]
) -> list[RawCase]:
    """The same moves on raw ``transitions``."""
    objects = []
    events = {kind: machines[kind].events for kind in machines}
    for plan in plans:
        kind = plan.kind
        obj = RawCase(targets[kind][0])
        machine_events = events[kind]
        path = targets[kind]
        moves = plan.moves
        for i in range(1, len(moves)):
            obj.next = path[i]
            machine_events[str(moves[i][0])].trigger(obj)
        objects.append(obj)
    return objects


# ---------------------------------------------------------------------------- attribution


def without_guards(wf: Workflow[Any, Any], *, deadlines: bool) -> Workflow[Any, Any]:
    """``wf`` with the guards of single-candidate moves removed (and its deadlines, unless
    ``deadlines``): where several moves share a trigger, their guards pick the target."""

    moves = []
    for tr in wf.transitions:
        shared = any(len(wf.candidates(source, tr.trigger)) > 1 for source in tr.sources)
        moves.append(tr if shared else attrs.evolve(tr, guards=()))
    return attrs.evolve(
        wf, transitions=moves, deadline_rules=wf.deadline_rules if deadlines else ()
    )


def attribution(plans: Sequence[Plan], flows: dict[str, Workflow[Any, Any]], repeats: int) -> None:
    """CPU per step of the library with fewer of its parts, to see where the time goes."""
    variants = {
        "workflows as shipped": flows,
        "without guards": {k: without_guards(w, deadlines=True) for k, w in flows.items()},
        "without guards or deadlines": {
            k: without_guards(w, deadlines=False) for k, w in flows.items()
        },
    }
    steps = steps_of(plans)
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, variant in variants.items():
            results[name] += timed(lambda v=variant: drive_library(plans, v), 1)[1]  # type: ignore[misc]
    for name, cpu in results.items():
        print(f"  {name:32}{statistics.median(cpu) / steps * 1e6:>9.1f} µs CPU per step")


# ---------------------------------------------------------------------------- measuring


def steps_of(plans: Sequence[Plan]) -> int:
    return sum(len(p.moves) for p in plans)


def timed(run: Callable[[], object], repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU times of ``repeats`` runs (the machine is shared: CPU time is the
    figure that does not depend on how busy other processes keep the CPUs)."""
    wall, cpu = [], []
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        del result
    return wall, cpu


def memory_per_case(run: Callable[[], Sequence[object]], count: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = run()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(kept) == count
    return (after - before) / count


def profile(run: Callable[[], object], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2,000 cases, 1 repeat")
    parser.add_argument("--cases", type=int, default=None, help="number of cases (default 100,000)")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats (default 3)")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile breakdown")
    parser.add_argument(
        "--attribute",
        action="store_true",
        help="also time the workflows without guards, and without guards or deadlines",
    )
    args = parser.parse_args(argv)
    count = args.cases or (2_000 if args.quick else 100_000)
    repeats = args.repeats or (1 if args.quick else 3)

    flows = workflows()
    plans = make_plans(count)
    steps = steps_of(plans)
    machines = raw_machines(flows)
    targets = raw_targets(plans, flows)
    drive_library(plans[:200], flows)  # warm caches (deadline schedules, calendar) and imports
    drive_raw(plans[:200], machines, targets)

    # Interleaved, so that a busy spell of the machine hits both sides alike.
    lib_wall: list[float] = []
    lib_cpu: list[float] = []
    raw_wall: list[float] = []
    raw_cpu: list[float] = []
    for _ in range(repeats):
        wall, cpu = timed(lambda: drive_raw(plans, machines, targets), 1)
        raw_wall += wall
        raw_cpu += cpu
        wall, cpu = timed(lambda: drive_library(plans, flows), 1)
        lib_wall += wall
        lib_cpu += cpu
    lib_step = statistics.median(lib_cpu) / steps * 1e6
    raw_step = statistics.median(raw_cpu) / steps * 1e6
    lib_step_wall = statistics.median(lib_wall) / steps * 1e6
    raw_step_wall = statistics.median(raw_wall) / steps * 1e6

    sample = plans[: min(count, 10_000)]
    lib_mem = memory_per_case(lambda: drive_library(sample, flows), len(sample))
    raw_mem = memory_per_case(lambda: drive_raw(sample, machines, targets), len(sample))

    print(f"python {sys.version.split()[0]}; {count:,} cases, {steps:,} steps, {repeats} repeat(s)")
    print(f"mix: {', '.join(f'{MIX.count(k)}/{len(MIX)} {k}' for k in SCRIPTS)}")
    print()
    head = f"{'':30}{'CPU per step':>14}{'wall per step':>15}{'ratio':>8}{'memory/case':>13}"
    print(head)
    print(
        f"{'raw transitions (baseline)':30}{raw_step:>11.1f} µs{raw_step_wall:>12.1f} µs"
        f"{1.0:>7.2f}x{raw_mem:>11,.0f} B"
    )
    print(
        f"{'discipline_flow workflows':30}{lib_step:>11.1f} µs{lib_step_wall:>12.1f} µs"
        f"{lib_step / raw_step:>7.2f}x{lib_mem:>11,.0f} B"
    )
    print("(medians; the ratio is of CPU time per step)")
    print(f"target: at most 2.00x per step -> {'met' if lib_step <= 2 * raw_step else 'MISSED'}")
    if args.attribute:
        print()
        print(f"attribution ({min(count, 20_000):,} cases, median of {repeats}):")
        attribution(plans[: min(count, 20_000)], flows, repeats)
    if not args.no_profile:
        print()
        print("where the time goes (cProfile, library run on", min(count, 5_000), "cases):")
        print(profile(lambda: drive_library(plans[: min(count, 5_000)], flows), 25))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
