"""Diagram text of every shipped workflow (and the examples), byte for byte.

A snapshot that differs or is missing fails. Refreshing them is an explicit command:

    DISCIPLINE_FLOW_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests -k snapshot

(``make snapshots``); review the diff before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from discipline_flow.diagrams import DiagramOptions, to_dot, to_markdown, to_mermaid
from discipline_flow.diagrams._cli import shipped_workflows
from discipline_flow.diagrams._examples import complaint_workflow, inspection_workflow
from discipline_flow.workflow import Workflow

SNAPSHOTS = Path(__file__).parent / "snapshots" / "diagrams"
UPDATE = os.environ.get("DISCIPLINE_FLOW_UPDATE_SNAPSHOTS") == "1"

WORKFLOWS: list[Workflow[Any, Any]] = [
    *sorted(shipped_workflows(), key=lambda wf: wf.key),
    inspection_workflow(),
    complaint_workflow(),
]

Render = Callable[[Workflow[Any, Any]], str]
RENDERS: dict[str, Render] = {
    "en.mmd": to_mermaid,
    "vi.mmd": lambda wf: to_mermaid(wf, DiagramOptions(lang="vi")),
    "en.dot": to_dot,
    "cited.md": lambda wf: to_markdown(wf, DiagramOptions(show_citations=True)),
}


def snapshot_name(workflow: Workflow[Any, Any], suffix: str) -> str:
    return f"{workflow.name}-{workflow.version}.{suffix}"


EXPECTED = {snapshot_name(wf, suffix) for wf in WORKFLOWS for suffix in RENDERS}


def check_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(
            f"no snapshot {path.name}; create it with "
            f"DISCIPLINE_FLOW_UPDATE_SNAPSHOTS=1 pytest tests -k snapshot and review it"
        )
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path.name} differs from the snapshot; if the change is intended, refresh with "
        f"DISCIPLINE_FLOW_UPDATE_SNAPSHOTS=1 pytest tests -k snapshot and review the diff"
    )


@pytest.mark.parametrize("suffix", list(RENDERS))
@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda wf: wf.key)
def test_diagram_snapshot(workflow: Workflow[Any, Any], suffix: str) -> None:
    check_snapshot(snapshot_name(workflow, suffix), RENDERS[suffix](workflow))


def test_snapshot_files_are_all_in_use() -> None:
    stale = sorted(p.name for p in SNAPSHOTS.glob("*") if p.name not in EXPECTED)
    if UPDATE:
        for name in stale:
            (SNAPSHOTS / name).unlink()
        return
    assert not stale, f"snapshots of workflows no longer drawn: {stale}; refresh the snapshots"


def test_snapshot_check_fails_on_a_missing_or_different_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(f"{__name__}.SNAPSHOTS", tmp_path)
    monkeypatch.setattr(f"{__name__}.UPDATE", False)
    with pytest.raises(pytest.fail.Exception, match=r"no snapshot x\.mmd"):
        check_snapshot("x.mmd", "text\n")
    (tmp_path / "x.mmd").write_text("other\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"x\.mmd differs from the snapshot"):
        check_snapshot("x.mmd", "text\n")
    (tmp_path / "x.mmd").write_text("text\n", encoding="utf-8")
    check_snapshot("x.mmd", "text\n")
