"""Scenario files: reading and checking them, and ``discipline-flow check``."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from discipline_flow import Body, BodyKind, Level, Member, Organisation
from discipline_flow.cli import main
from discipline_flow.errors import CaseBuildError, ScenarioFileError
from discipline_flow.testing import (
    PayloadProviders,
    StepInput,
    check_paths,
    load_scenario_file,
)
from discipline_flow.testing.files import (
    find_scenario_files,
    loads_scenarios,
    parse_actor,
    resolve_object,
)
from scenarios.df_example_flows import COMMISSION

HERE = Path(__file__).parent / "scenarios"
FLOWS = HERE / "df_example_flows.py"

GOOD = """
workflow = "df_example_flows.py:complaint_workflow"
actor = "inspection_commission:ubkt-1"

[payloads]
"FILE_COMPLAINT" = { actor = "person:m-1" }

[[scenario]]
name = "accepted"
given = { state = "FILED", at = 2025-09-15T09:00:00, subject = { id = "m-1" } }
step = [{ when = "ACCEPT", then = { state = "UNDER_REVIEW" } }]
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(FLOWS, tmp_path / FLOWS.name)
    return tmp_path


def write(folder: Path, text: str, name: str = "case.scenario.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_good_file_reads_into_checked_scenarios(folder: Path) -> None:
    loaded = load_scenario_file(write(folder, GOOD))
    (spec,) = loaded.scenarios
    assert (spec.name, spec.index, spec.workflow.key) == ("accepted", 0, "complaint_demo@1")
    assert spec.actor == COMMISSION
    # A local date-time is read in the workflow's timezone (Asia/Ho_Chi_Minh).
    assert spec.given["at"].isoformat() == "2025-09-15T09:00:00+07:00"
    assert spec.given["subject"] == Member("m-1")
    assert spec.id.endswith("case.scenario.toml::accepted")
    assert spec.run().case.state.name == "UNDER_REVIEW"


def test_subjects_and_actors_can_be_tables(folder: Path) -> None:
    text = GOOD.replace(
        'subject = { id = "m-1" }',
        'subject = { kind = "organisation", id = "cell-9", level = "grassroots" }',
    ).replace(
        'actor = "inspection_commission:ubkt-1"',
        'actor = { kind = "inspection_commission", id = "ubkt-1", level = "provincial" }',
    )
    (spec,) = load_scenario_file(write(folder, text)).scenarios
    assert spec.given["subject"] == Organisation("cell-9", Level.GRASSROOTS)
    assert spec.actor == Body(BodyKind.INSPECTION_COMMISSION, "ubkt-1", Level.PROVINCIAL)


def test_parse_actor() -> None:
    assert parse_actor("party_cell:cell-1") == Body(BodyKind.PARTY_CELL, "cell-1")
    assert parse_actor({"kind": "person", "id": "m-1", "name": "A"}) == Body(
        BodyKind.PERSON, "m-1", None, "A"
    )


BAD = [
    ("workflow = [", "", "not valid TOML"),
    ("workflw = 'x'", "at top level", "unknown key 'workflw'; keys: actor, payloads,"),
    ("workflow = 'df_example_flows.py:complaint_workflow'", "at scenario", "add at least one"),
    (
        "workflow = 'nope'\n[[scenario]]\nname = 'a'",
        "at scenario[0].workflow",
        "no workflow 'nope'; workflows: asset_verification, ",
    ),
    (
        "workflow = 'no_such_module_here:X'\n[[scenario]]\nname = 'a'",
        "at scenario[0].workflow",
        "cannot import no_such_module_here",
    ),
    (
        "workflow = 'missing.py:X'\n[[scenario]]\nname = 'a'",
        "at scenario[0].workflow",
        "there is no file missing.py here",
    ),
    (
        "workflow = 'df_example_flows.py:COMMISSION'\n[[scenario]]\nname = 'a'",
        "at scenario[0].workflow",
        "is not a Workflow",
    ),
    (
        "workflow = 'df_example_flows.py:nothing'\n[[scenario]]\nname = 'a'",
        "at scenario[0].workflow",
        "has no nothing",
    ),
    ("workflow = 'x'\n[[scenario]]\ngiven = {}", "at scenario[0].name", "needs a name"),
]


@pytest.mark.parametrize(("text", "where", "problem"), BAD)
def test_file_level_mistakes_say_where_and_what(
    folder: Path, text: str, where: str, problem: str
) -> None:
    path = write(folder, text)
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario_file(path)
    message = str(caught.value)
    assert message.startswith(f"scenario file {path}{' ' + where if where else ''}: ")
    assert problem in message
    assert isinstance(caught.value, ValueError)


HEAD = """
workflow = "df_example_flows.py:complaint_workflow"

[[scenario]]
name = "a"
"""

STEPS = [
    ("", "at scenario[0].given", "expected a table"),
    ("given = { state = 'FILED' }", "at scenario[0].given", "give the time the case is in"),
    ("given = { at = 09:00:00 }", "at scenario[0].given.at", "a time of day alone"),
    ("given = { at = '2025-09-15 09:00' }", "at scenario[0].given.at", "expected a date-time"),
    (
        "given = { at = 2025-09-15T09:00:00, state = 'LOST' }",
        "at scenario[0].given",
        "no state 'LOST'",
    ),
    (
        "given = { at = 2025-09-15T09:00:00, colour = 1 }",
        "at scenario[0].given",
        "unknown key 'colour'",
    ),
    (
        "given = { at = 2025-09-15T09:00:00, subject = 3 }",
        "at scenario[0].given.subject",
        "member id or a table",
    ),
    (
        "given = { at = 2025-09-15T09:00:00, subject = { kind = 'alien', id = 'x' } }",
        "at scenario[0].given.subject",
        "'alien'",
    ),
    ("given = { at = 2025-09-15T09:00:00 }", "at scenario[0]", "needs at least one then"),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ when = 'ACCEPT', advance = '1 day' }]",
        "at scenario[0].step[0]",
        "a step has one action; this one has when and advance",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{}]",
        "at scenario[0].step[0]",
        "needs when, advance",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ payload = {}, then = {} }]",
        "at scenario[0].step[0]",
        "actor and payload go with when",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ when = 'APPEAL' }]",
        "at scenario[0].step[0]",
        "has no trigger 'APPEAL'; triggers: FILE_COMPLAINT, ACCEPT",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ advance = 'a fortnight' }]",
        "at scenario[0].step[0]",
        "invalid period 'a fortnight'",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ sweep = false }]",
        "at scenario[0].step[0]",
        "write sweep = true",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ then = { colour = 'red' } }]",
        "at scenario[0].step[0].then",
        "unknown key 'colour'; keys: actor, allowed, deadlines, refused, state",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ then = { deadlines = { appeal = 'met' } } }]",
        "at scenario[0].step[0].then",
        "has no rule 'appeal'; rules: complaint_window, resolution_time",
    ),
    (
        (
            "given = { at = 2025-09-15T09:00:00 }\n"
            "step = [{ then = { deadlines = { complaint_window = 'late' } } }]"
        ),
        "at scenario[0].step[0].then",
        "expected a date like 2025-03-31",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ then = { refused = 'own_behalf' } }]",
        "at scenario[0].step[0].then",
        "expected true, false or a list of guard names",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ then = { allowed = 'ACCEPT' } }]",
        "at scenario[0].step[0].then",
        "expected a list of trigger names",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ when = 'ACCEPT', actor = 'boss:1' }]",
        "at scenario[0].step[0]",
        "unknown kind 'boss'; kinds: party_cell,",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ when = 'ACCEPT', actor = 'ubkt-1' }]",
        "at scenario[0].step[0]",
        "write an actor as kind:id",
    ),
    (
        "actor = 'ubkt'\ngiven = { at = 2025-09-15T09:00:00 }\nstep = [{ then = {} }]",
        "at scenario[0].actor",
        "write an actor as kind:id",
    ),
    (
        "given = { at = 2025-09-15T09:00:00 }\nstep = [{ advance_to = '2025-10-01' }]",
        "at scenario[0].step[0].advance_to",
        "expected a date-time",
    ),
]


@pytest.mark.parametrize(("body", "where", "problem"), STEPS)
def test_scenario_mistakes_say_where_and_what(
    folder: Path, body: str, where: str, problem: str
) -> None:
    path = write(folder, HEAD + body)
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario_file(path)
    message = str(caught.value)
    assert message.startswith(f"scenario file {path} {where}: "), message
    assert problem in message


def test_payload_table_mistakes(folder: Path) -> None:
    text = GOOD.replace('"FILE_COMPLAINT" = { actor = "person:m-1" }', '"APPEAL" = {}')
    with pytest.raises(ScenarioFileError, match="has no move APPEAL; moves: ACCEPT->UNDER_REVIEW"):
        load_scenario_file(write(folder, text))
    text = GOOD.replace('{ actor = "person:m-1" }', "{ colour = 1 }")
    with pytest.raises(ScenarioFileError, match="unknown key 'colour'; keys: actor, payload"):
        load_scenario_file(write(folder, text))
    text = GOOD.replace('{ actor = "person:m-1" }', "{ payload = 3 }")
    with pytest.raises(ScenarioFileError, match="payload: expected a table"):
        load_scenario_file(write(folder, text))
    two = GOOD + GOOD[GOOD.index("[[scenario]]") :]
    with pytest.raises(ScenarioFileError, match="two scenarios are named 'accepted'"):
        load_scenario_file(write(folder, two))


def test_providers_come_from_a_module_attribute(folder: Path) -> None:
    (folder / "extra.py").write_text(
        textwrap.dedent(
            """
            from discipline_flow.testing import PayloadProviders, StepInput
            from discipline_flow import Body, BodyKind

            PROVIDERS = PayloadProviders().register(
                "complaint_demo",
                {"FILE_COMPLAINT": StepInput(actor=Body(BodyKind.PERSON, "m-1"))},
            )
            NOT_PROVIDERS = 3
            """
        ),
        encoding="utf-8",
    )
    text = GOOD.replace("[payloads]", 'providers = "extra.py:PROVIDERS"\n[other]').replace(
        '[other]\n"FILE_COMPLAINT" = { actor = "person:m-1" }\n', ""
    )
    (spec,) = load_scenario_file(write(folder, text)).scenarios
    assert spec.run().case.state.name == "UNDER_REVIEW"
    bad = text.replace("extra.py:PROVIDERS", "extra.py:NOT_PROVIDERS")
    with pytest.raises(ScenarioFileError, match="is not a PayloadProviders"):
        load_scenario_file(write(folder, bad))


def test_resolve_object_and_files_loaded_once(folder: Path) -> None:
    first = resolve_object("df_example_flows.py:complaint_workflow", relative_to=folder)
    again = resolve_object("df_example_flows.py:complaint_workflow", relative_to=folder)
    assert first is again
    assert resolve_object("discipline_flow.testing:Scenario").__name__ == "Scenario"
    with pytest.raises(ValueError, match="is not of the form module:attribute"):
        resolve_object("discipline_flow.testing")


def test_run_asks_outside_providers_after_the_files_own(folder: Path) -> None:
    without = GOOD.replace('"FILE_COMPLAINT" = { actor = "person:m-1" }', "")
    (spec,) = load_scenario_file(write(folder, without)).scenarios
    with pytest.raises(CaseBuildError, match="own_behalf"):
        spec.run()
    outside = PayloadProviders().register(
        "complaint_demo", {"FILE_COMPLAINT": StepInput(actor=Body(BodyKind.PERSON, "m-1"))}
    )
    assert spec.run(providers=outside).case.state.name == "UNDER_REVIEW"
    # The file's own [payloads] win over outside providers.
    (own,) = loads_scenarios(GOOD, path=folder / "x.scenario.toml").scenarios
    wrong = PayloadProviders().register(
        "complaint_demo", {"FILE_COMPLAINT": StepInput(actor=COMMISSION)}
    )
    assert own.run(providers=wrong).case.state.name == "UNDER_REVIEW"


# --------------------------------------------------------------------------- the command


FAILING = GOOD.replace('then = { state = "UNDER_REVIEW" }', 'then = { state = "UPHELD" }')


def test_check_passes_on_our_own_scenario_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(HERE)]) == 0
    out = capsys.readouterr().out
    assert "PASSED " in out
    # 5 complaint scenarios and 4 of the other kinds of inspection
    assert out.strip().endswith("9 passed, 0 failed, 0 errors")


def test_check_fails_with_exit_1_and_the_differences(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(folder, GOOD, "a.scenario.toml")
    write(folder, FAILING, "b.scenario.toml")
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "PASSED " in out
    assert "FAILED " in out
    assert "    state: expected UPHELD, got UNDER_REVIEW" in out
    assert out.strip().endswith("1 passed, 1 failed, 0 errors")
    assert main(["check", "--quiet", str(folder)]) == 1
    quiet = capsys.readouterr().out
    assert "PASSED" not in quiet
    assert "FAILED" in quiet


def test_check_reports_unreadable_files_with_exit_3(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(folder, FAILING, "b.scenario.toml")
    write(folder, GOOD.replace('when = "ACCEPT"', 'when = "APPEAL"'), "c.scenario.toml")
    assert main(["check", str(folder)]) == 3
    out = capsys.readouterr().out
    assert "ERROR " in out
    assert "has no trigger 'APPEAL'" in out
    assert out.strip().endswith("0 passed, 1 failed, 1 errors")
    assert main(["check", str(folder / "nothing.scenario.toml")]) == 3
    assert "no such file or folder" in capsys.readouterr().out
    empty = folder / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 3
    assert "no scenario files found" in capsys.readouterr().out


def test_check_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(folder, FAILING, "b.scenario.toml")
    assert main(["check", "--json", str(folder / "b.scenario.toml")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["passed"], data["failed"], data["errors"]) == (0, 1, 0)
    (outcome,) = data["outcomes"]
    assert outcome["status"] == "failed"
    assert outcome["id"].endswith("b.scenario.toml::accepted")
    assert "state: expected UPHELD, got UNDER_REVIEW" in outcome["message"]
    assert main(["check", "--json", str(folder / "none.scenario.toml")]) == 3
    assert "no such file" in json.loads(capsys.readouterr().out)["problem"]


def test_check_paths_and_finding_files(folder: Path) -> None:
    write(folder, GOOD, "a.scenario.toml")
    nested = folder / "deeper"
    nested.mkdir()
    shutil.copy(FLOWS, nested / FLOWS.name)
    write(nested, FAILING, "b.scenario.toml")
    write(folder, "not = 'collected'", "notes.toml")
    found = find_scenario_files([folder])
    assert [p.name for p in found] == ["a.scenario.toml", "b.scenario.toml"]
    outcomes = check_paths([folder])
    assert [(o.status, o.is_passed) for o in outcomes] == [("passed", True), ("failed", False)]
