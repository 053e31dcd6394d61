"""Diagrams: every shipped workflow in every text format, against transitions' GraphMachine.

Both sides draw the same definitions in the same run: the shipped CPV workflows (the library's
example workflows when ``discipline_flow.processes`` is not installed). For ``transitions`` each
workflow becomes a ``GraphMachine`` with the same states, transitions (one per source) and guard
names as conditions, drawn with its Mermaid engine and, when the ``graphviz`` Python package is
installed, its Graphviz engine (DOT source only: neither side runs the ``dot`` program).

Two comparisons:

- **draw**: the definition already exists (our ``Workflow``, their machine) and has been drawn
  before; time to produce the text again. Ours per format, and all three together.
- **first draw**: ours on workflows never drawn before (fresh copies built outside the timing,
  so the per-workflow diagram tables are built inside it), all three formats; theirs is building
  the ``GraphMachine`` (the only way to get its diagram) and drawing one format. Building our
  ``Workflow`` itself (validation, tables, its shared engine) is shown apart: a system builds it
  once to run cases, not to draw them.

Medians of several repeats; ratios are theirs / ours. Run:

    .venv/bin/python benchmarks/diagrams.py            # full run, figures for docs/performance.md
    .venv/bin/python benchmarks/diagrams.py --quick    # smoke run
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any, Literal

import attrs
import transitions
from transitions.extensions import GraphMachine

from discipline_flow.diagrams import to_dot, to_markdown, to_mermaid
from discipline_flow.diagrams._cli import shipped_workflows
from discipline_flow.diagrams._examples import complaint_workflow, inspection_workflow
from discipline_flow.workflow import Workflow

Runner = Callable[[], object]
Engine = Literal["mermaid", "graphviz"]


def drawn_workflows() -> tuple[list[Workflow[Any, Any]], str]:
    """The shipped workflows, or the examples when none are installed, and which they are."""
    shipped = sorted(shipped_workflows(), key=lambda wf: wf.key)
    if shipped:
        return shipped, "shipped"
    return [inspection_workflow(), complaint_workflow()], "examples (no shipped workflows)"


def machine_kwargs(workflow: Workflow[Any, Any]) -> dict[str, Any]:
    """The same definition for ``GraphMachine``: states, one transition per source, conditions."""
    return {
        "states": [state.name for state in workflow.states],
        "transitions": [
            {
                "trigger": ct.trigger.name,
                "source": ct.source.name,
                "dest": ct.target.name,
                "conditions": [guard.name for guard in ct.guards],
            }
            for ct in workflow.compiled
        ],
        "initial": workflow.initial.name,
        "auto_transitions": False,
        "show_conditions": True,
        "title": workflow.key,
    }


def once(run: Runner, number: int) -> float:
    """Seconds per call of ``run``, timed over ``number`` calls."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(number):
        run()
    return (time.perf_counter() - start) / number


def measure(run: Runner, repeats: int, number: int) -> float:
    """Median seconds per call of ``run`` over ``repeats`` timings of ``number`` calls each."""
    run()  # warm up caches and imports
    return statistics.median(once(run, number) for _ in range(repeats))


def compare(
    ours: Callable[[], float], theirs: Runner, repeats: int, number: int
) -> tuple[float, float, float]:
    """Medians of ours and theirs, and the median of their per-repeat ratio (theirs / ours).

    The two are timed one after the other in every repeat, so a machine busy with other work
    slows both alike and the ratio stays fair.
    """
    theirs()
    ours_times, their_times, ratios = [], [], []
    for _ in range(repeats):
        mine = ours()
        other = once(theirs, number)
        ours_times.append(mine)
        their_times.append(other)
        ratios.append(other / mine)
    return statistics.median(ours_times), statistics.median(their_times), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    args = parser.parse_args()
    repeats, number = (3, 3) if args.quick else (9, 20)

    workflows, which = drawn_workflows()
    definitions = [machine_kwargs(wf) for wf in workflows]
    engines: list[Engine] = ["mermaid"]
    if importlib.util.find_spec("graphviz") is not None:
        engines.append("graphviz")

    def ours_all_formats() -> None:
        for wf in workflows:
            to_mermaid(wf)
            to_dot(wf)
            to_markdown(wf)

    def ours_mermaid() -> None:
        for wf in workflows:
            to_mermaid(wf)

    def ours_dot() -> None:
        for wf in workflows:
            to_dot(wf)

    def fresh_copies() -> list[Workflow[Any, Any]]:
        return [attrs.evolve(wf) for wf in workflows]  # validated and compiled again

    def ours_first_draw() -> float:
        copies = fresh_copies()  # built outside the timing
        gc.collect()
        start = time.perf_counter()
        for wf in copies:
            to_mermaid(wf)
            to_dot(wf)
            to_markdown(wf)
        return time.perf_counter() - start

    ours_all_formats()
    rows: list[tuple[str, float, str]] = [
        (
            "discipline_flow: Mermaid + DOT + Markdown, draw",
            measure(ours_all_formats, repeats, number),
            "",
        ),
        (
            "(for reference) building our Workflow definitions",
            measure(fresh_copies, repeats, 1),
            "",
        ),
    ]
    for engine in engines:
        machines = [GraphMachine(graph_engine=engine, **d) for d in definitions]

        def their_draw(machines: list[Any] = machines) -> None:
            for machine in machines:
                _ = machine.get_graph(force_new=True).source

        def their_build_and_draw(engine: Engine = engine) -> None:
            for d in definitions:
                machine = GraphMachine(graph_engine=engine, **d)
                _ = machine.get_graph().source

        fmt = "Mermaid" if engine == "mermaid" else "DOT"
        same_format = ours_mermaid if engine == "mermaid" else ours_dot

        def ours_draw(run: Runner = same_format) -> float:
            return once(run, number)

        mine, theirs, ratio = compare(ours_draw, their_draw, repeats, number)
        rows.append((f"discipline_flow: {fmt}, draw", mine, ""))
        rows.append((f"transitions GraphMachine ({engine}): draw", theirs, f"{ratio:.1f}×"))
        mine, theirs, ratio = compare(ours_first_draw, their_build_and_draw, repeats, 1)
        rows.append(("discipline_flow: all three formats, first draw", mine, ""))
        rows.append(
            (
                f"transitions GraphMachine ({engine}): build + draw one format",
                theirs,
                f"{ratio:.1f}×",
            )
        )

    print(f"## Diagrams ({'quick' if args.quick else 'full'} run)\n")
    print(
        f"{len(workflows)} workflows ({which}), {sum(len(d['transitions']) for d in definitions)} "
        f"transitions in all; Python {platform.python_version()}, transitions "
        f"{transitions.__version__}, {os.cpu_count()} cores; medians of {repeats} repeats "
        f"({number} runs each for draws); the ratio is the median of per-repeat ratios.\n"
    )
    print("| What (all workflows) | median | theirs / ours |")
    print("|---|---|---|")
    for label, seconds, shown in rows:
        print(f"| {label} | {seconds * 1000:.2f} ms | {shown} |")
    if "graphviz" not in engines:
        print("\nThe graphviz engine was not measured: the `graphviz` Python package is absent.")
    total = rows[0][1]
    budget = "under" if total < 1.0 else "OVER"
    print(f"\nAll text diagrams of all workflows: {total * 1000:.1f} ms ({budget} the 1 s target).")


if __name__ == "__main__":
    main()
