"""What the pytest plugin costs a test suite that does not use it.

In a temporary folder with one empty test, ``pytest --co -q`` runs with the plugin (loaded by
its ``pytest11`` entry point, as in every suite where discipline_flow is installed) and with
``-p no:discipline_flow``, alternately, ``--repeats`` times each. Prints the median wall time
of each, their difference, and the modules each run imports (``python -X importtime``).

Run: ``python -m benchmarks.plugin_startup`` (``--python PATH`` to measure another
environment's interpreter, such as an older checkout's).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time


def _run(python: str, folder: pathlib.Path, *extra: str, importtime: bool = False) -> str:
    flags = ["-X", "importtime"] if importtime else []
    done = subprocess.run(
        [python, *flags, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *extra],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return done.stderr


def _timed(python: str, folder: pathlib.Path, *extra: str) -> float:
    started = time.perf_counter()
    _run(python, folder, *extra)
    return time.perf_counter() - started


def _modules(python: str, folder: pathlib.Path, *extra: str) -> tuple[int, int]:
    lines = [
        line
        for line in _run(python, folder, *extra, importtime=True).splitlines()
        if line.startswith("import time:") and "cumulative" not in line
    ]
    ours = sum(1 for line in lines if line.rsplit("|", 1)[-1].strip().startswith("discipline_"))
    return len(lines), ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = pathlib.Path(name)
        (folder / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
        off = ("-p", "no:discipline_flow")
        for _ in range(2):  # warm the file system caches
            _timed(args.python, folder)
            _timed(args.python, folder, *off)
        with_plugin: list[float] = []
        without: list[float] = []
        for _ in range(args.repeats):
            with_plugin.append(_timed(args.python, folder))
            without.append(_timed(args.python, folder, *off))
        on_modules = _modules(args.python, folder)
        off_modules = _modules(args.python, folder, *off)
    a, b = statistics.median(with_plugin), statistics.median(without)
    print("| run | median wall time | modules imported | of them discipline_flow's |")
    print("|---|---:|---:|---:|")
    print(f"| with the plugin | {a:.3f} s | {on_modules[0]} | {on_modules[1]} |")
    print(f"| `-p no:discipline_flow` | {b:.3f} s | {off_modules[0]} | {off_modules[1]} |")
    print(f"\nthe plugin's cost: {a - b:+.3f} s ({args.repeats} runs each, alternating)")


if __name__ == "__main__":
    main()
