"""``discipline-flow diagram`` and ``discipline-flow timeline``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Member
from discipline_flow.cli import EXIT_INPUT, EXIT_MISSING_TOOL, EXIT_OK, EXIT_USAGE, main
from discipline_flow.diagrams import DiagramOptions, case_timeline, to_dot, to_markdown, to_mermaid
from discipline_flow.diagrams import _cli as diagram_cli
from discipline_flow.diagrams._examples import (
    ComplaintTrigger,
    complaint_workflow,
    inspection_workflow,
)
from discipline_flow.errors import InputError
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import open_store

COMPLAINT = "discipline_flow.diagrams._examples:complaint_workflow"
#: Used by ``--registry`` below (this module is importable: tests/ is on the path).
REGISTRY = WorkflowRegistry([complaint_workflow(), inspection_workflow()])
HANOI = "Asia/Ho_Chi_Minh"


def broken_workflow() -> None:
    """A workflow factory that fails (for the command line's error path)."""
    raise RuntimeError("no database")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def examples_as_shipped(monkeypatch: pytest.MonkeyPatch) -> WorkflowRegistry:
    """Pretend the example workflows are the shipped ones."""
    monkeypatch.setattr(diagram_cli, "shipped_workflows", lambda: REGISTRY)
    return REGISTRY


def test_diagram_prints_mermaid_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diagram", COMPLAINT)
    assert (code, err) == (EXIT_OK, "")
    assert out == to_mermaid(complaint_workflow())


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--format", "dot", "--lang", "vi"],
            to_dot(complaint_workflow(), DiagramOptions(lang="vi")),
        ),
        (
            ["--format", "md", "--citations", "--no-deadlines"],
            to_markdown(
                complaint_workflow(), DiagramOptions(show_citations=True, show_deadlines=False)
            ),
        ),
        (
            ["--state", "ACCEPTED", "--depth", "0", "--no-guards", "--direction", "LR"],
            to_mermaid(
                complaint_workflow(),
                DiagramOptions(focus="ACCEPTED", depth=0, show_guards=False, direction="LR"),
            ),
        ),
    ],
)
def test_diagram_options(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, out, _ = run(capsys, "diagram", COMPLAINT, *argv)
    assert code == EXIT_OK
    assert out == expected


def test_diagram_by_shipped_name(
    capsys: pytest.CaptureFixture[str], examples_as_shipped: WorkflowRegistry
) -> None:
    code, out, _ = run(capsys, "diagram", "example_inspection")
    assert (code, out) == (EXIT_OK, to_mermaid(inspection_workflow()))
    code, out, _ = run(capsys, "diagram", "example_inspection@1", "--format", "dot")
    assert (code, out) == (EXIT_OK, to_dot(inspection_workflow()))


def test_diagram_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "complaint.md"
    code, out, _ = run(capsys, "diagram", COMPLAINT, "--format", "md", "--out", str(target))
    assert (code, out) == (EXIT_OK, "")
    assert target.read_text(encoding="utf-8") == to_markdown(complaint_workflow())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["diagram"], "WORKFLOW: name a workflow (or use --all DIR)"),
        (["diagram", "no_such_module_xyz:wf"], "cannot import 'no_such_module_xyz'"),
        (["diagram", "discipline_flow.diagrams._examples:nothing"], "has no 'nothing'"),
        (
            ["diagram", "discipline_flow.diagrams._examples:QD_296_ART_8"],
            "is a Citation, not a Workflow",
        ),
        (["diagram", ":x"], "is not an import path"),
        (["diagram", "discipline_flow.diagrams._examples:Complaint"], ", not a Workflow"),
        (["diagram", "test_diagrams_cli:broken_workflow"], "broken_workflow() raised RuntimeError"),
        ([*["diagram", COMPLAINT], "--state", "CLOSED"], "has no state 'CLOSED'"),
        ([*["diagram", COMPLAINT], "--depth", "-2"], "depth: must be a whole number"),
        ([*["diagram", COMPLAINT], "--format", "png"], "a PNG image is binary; give --out FILE"),
        ([*["diagram", COMPLAINT], "--all", "somewhere"], "give a WORKFLOW or --all DIR, not both"),
    ],
)
def test_diagram_input_errors_exit_3(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    if "png" in argv and shutil.which("dot") is None:
        pytest.skip("PNG needs Graphviz before the output is checked")
    code, out, err = run(capsys, *argv)
    assert code == EXIT_INPUT
    assert out == ""
    assert err.startswith("discipline-flow: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_unwritable_out_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "diagram", COMPLAINT, "--out", str(tmp_path / "missing" / "x.mmd"))
    assert code == EXIT_INPUT
    assert "--out: cannot write" in err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' absent")
def test_svg_and_png_with_graphviz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diagram", COMPLAINT, "--format", "svg")
    assert code == EXIT_OK
    assert "<svg" in out
    png = tmp_path / "c.png"
    code, _, _ = run(capsys, "diagram", COMPLAINT, "--format", "png", "--out", str(png))
    assert code == EXIT_OK
    assert png.read_bytes().startswith(b"\x89PNG")


def test_svg_without_graphviz_exits_6(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", "")
    code, out, err = run(capsys, "diagram", COMPLAINT, "--format", "svg")
    assert (code, out) == (EXIT_MISSING_TOOL, "")
    assert err == (
        "discipline-flow: error: Graphviz 'dot' is not installed; install it: apt-get install "
        "graphviz (Debian/Ubuntu) or brew install graphviz\n"
    )


def test_diagram_all_writes_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], examples_as_shipped: WorkflowRegistry
) -> None:
    target = tmp_path / "out"
    code, out, _ = run(capsys, "diagram", "--all", str(target))
    assert code == EXIT_OK
    text_files = {
        f"{name}@1.{suffix}"
        for name in ("example_complaint", "example_inspection")
        for suffix in ("mmd", "dot", "md")
    }
    written = {p.name for p in target.iterdir()}
    if shutil.which("dot") is not None:
        images = {
            f"{n}@1.{s}"
            for n in ("example_complaint", "example_inspection")
            for s in ("svg", "png")
        }
        assert written == text_files | images
        assert out == f"wrote 10 files for 2 workflows into {target}\n"
    else:
        assert written == text_files
        assert "skipped svg and png" in out
    assert (target / "example_complaint@1.mmd").read_text(encoding="utf-8") == to_mermaid(
        complaint_workflow()
    )


def test_diagram_all_without_graphviz_skips_images(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    examples_as_shipped: WorkflowRegistry,
) -> None:
    monkeypatch.setenv("PATH", "")
    code, out, _ = run(capsys, "diagram", "--all", str(tmp_path))
    assert code == EXIT_OK
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [
        ".dot",
        ".dot",
        ".md",
        ".md",
        ".mmd",
        ".mmd",
    ]
    assert out.splitlines() == [
        f"wrote 6 files for 2 workflows into {tmp_path}",
        (
            "skipped svg and png: Graphviz 'dot' is not installed "
            "(apt-get install graphviz or brew install graphviz)"
        ),
    ]


def test_diagram_all_with_nothing_shipped_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(diagram_cli, "shipped_workflows", WorkflowRegistry)
    code, _, err = run(capsys, "diagram", "--all", str(tmp_path))
    assert code == EXIT_INPUT
    assert "no shipped workflows are installed" in err


@pytest.mark.parametrize(
    ("key", "close"),
    [
        ("nope", "none is close."),
        ("nope@2", "none is close."),
        ("member_disciplin", "did you mean: member_discipline?"),
        ("inspectoin@2025", "did you mean: inspection@2025"),
        # the name is right, the version is not: every version of the name
        ("complaint@1999", "did you mean: complaint@2021, complaint@2022, complaint@2025, "),
    ],
)
def test_an_unknown_workflow_names_the_close_ones_and_exits_2(
    capsys: pytest.CaptureFixture[str], key: str, close: str
) -> None:
    # Before: all 93 keys on one line of about 4 KB, exit 3.
    code, out, err = run(capsys, "diagram", key)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(
        f"discipline-flow: error: WORKFLOW: no workflow is called {key!r}; {close}"
    )
    assert err.endswith("List every workflow with: discipline-flow diagram --list\n")
    assert err.count("\n") == 1
    assert len(err) < 300


def test_load_workflow_refuses_an_unknown_key_with_the_close_ones() -> None:
    with pytest.raises(InputError, match=r"did you mean: example_complaint\? List every"):
        diagram_cli.load_workflow("example_complain", REGISTRY)
    assert diagram_cli.load_workflow("example_complaint@1", REGISTRY) is complaint_workflow()


def test_diagram_list_prints_one_key_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diagram", "--list")
    assert (code, err) == (EXIT_OK, "")
    keys = sorted(wf.key for wf in diagram_cli.shipped_workflows())
    assert out.splitlines() == keys
    assert "member_discipline@2026" in keys
    code, _, err = run(capsys, "diagram", "--list", "inspection")
    assert code == EXIT_INPUT
    assert "--list takes no WORKFLOW" in err


def test_shipped_workflows_is_a_registry() -> None:
    assert isinstance(diagram_cli.shipped_workflows(), WorkflowRegistry)


# --------------------------------------------------------------------------- timeline


def test_timeline_of_a_stored_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commission = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-1")
    case = complaint_workflow().open(
        Member("m-1"),
        at=pendulum.datetime(2025, 3, 3, 9, tz=HANOI),
        actor="person:clerk",
        case_id="K-1",
    )
    case.fire(
        ComplaintTrigger.ACCEPT, at=pendulum.datetime(2025, 3, 5, 9, tz=HANOI), actor=commission
    )
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    with open_store(url, REGISTRY) as store:
        store.save(case, expected_version=0)
    code, out, err = run(
        capsys,
        "timeline",
        "K-1",
        "--store",
        url,
        "--registry",
        "test_diagrams_cli:REGISTRY",
        "--now",
        "2025-07-20T09:00:00+07:00",
    )
    assert (code, err) == (EXIT_OK, "")
    now = pendulum.datetime(2025, 7, 20, 9, tz=HANOI)
    assert out == case_timeline(case, now=now)
    assert "Resolve the complaint, due 2025-07-14, overdue :crit" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--now", "tomorrow"], "--now: 'tomorrow' is not a date; write it as YYYY-MM-DD"),
        (["--now", "2025-07-20T25:00"], "--now: '2025-07-20T25:00' is not a date or datetime"),
        (["--registry", "test_diagrams_cli:COMPLAINT"], "is a str, not a registry"),
    ],
)
def test_timeline_input_errors(
    capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code, _, err = run(capsys, "timeline", "K-1", "--store", "memory://", *extra)
    assert code == EXIT_INPUT
    assert message in err


def test_timeline_of_a_missing_case_is_a_store_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "timeline", "K-404", "--store", "memory://", "--now", "2025-07-20T09:00:00+07:00"
    )
    assert code == 5
    assert "K-404" in err


def test_diagram_on_a_day_draws_the_version_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    # QĐ 22 (ruleset 2022) governed until QĐ 296 took effect on 30 May 2025; QĐ 21 from April 2026.
    for day, version in (("2025-04-25", "2022"), ("2025-06-02", "2025"), ("2026-05-04", "2026")):
        code, out, _ = run(capsys, "diagram", "member_discipline", "--on", day)
        assert code == EXIT_OK
        assert out.splitlines()[0] == f"%% member_discipline@{version}"
    # No district level from 1 July 2025: no district thematic supervision in force then.
    code, _, err = run(capsys, "diagram", "thematic_supervision_district", "--on", "2026-01-05")
    assert code == EXIT_USAGE
    assert "did you mean: thematic_supervision_district@2021" in err
    code, _, err = run(capsys, "diagram", "member_discipline@2022", "--on", "2025-01-01")
    assert code == EXIT_INPUT
    assert "give a bare workflow name with --on" in err
