"""The city-year demo at a small scale, and the command line as users meet it."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from discipline_flow._cli_table import NO_HELP, command_table, commands
from discipline_flow._progress import Progress
from discipline_flow.actors import BodyKind
from discipline_flow.cli import (
    EXIT_CHECK_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_STORE,
    build_parser,
    main,
)
from discipline_flow.demo import QUOTAS, DemoSettings, _run, generate_city_year, parse_scale, plan
from discipline_flow.demo import generator as generator_module
from discipline_flow.demo._plans import plans_summary
from discipline_flow.demo._results import case_results
from discipline_flow.demo._run import run_demo, verify_sample
from discipline_flow.errors import InputError
from discipline_flow.planning import CONTENT_KEY, PLAN_WORKFLOW, Plan, PlanSubject
from discipline_flow.processes import shipped_registry
from discipline_flow.reports import annual as annual_module
from discipline_flow.reports import annual_report
from discipline_flow.reports.indicators import Count
from discipline_flow.store import CaseDigest, CaseStore, open_store
from discipline_flow.time import default_calendar

ROOT = Path(__file__).resolve().parent.parent
SCALE = 0.01


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CaseStore, Any]]:
    """One city-year at 1 % scale in a SQLite file, swept at the year's end."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'city.db'}"
    with open_store(url, shipped_registry()) as store:
        result = generate_city_year(store, DemoSettings(year=2023, scale=SCALE, seed=5))
        yield store, result


def test_report_counts_equal_the_generated_counts(city: tuple[CaseStore, Any]) -> None:
    store, result = city
    report = annual_report(store, 2023)
    tally = result.tally
    assert report.cases == tally.cases
    assert report.by_process() == tally.by_process
    assert report.by_outcome() == tally.by_outcome
    assert report.by_measure() == tally.by_measure
    assert report.by_subject() == tally.by_subject


def test_every_chain_verifies(city: tuple[CaseStore, Any]) -> None:
    store, result = city
    verified = store.verify_all()
    assert verified.cases == result.tally.cases
    assert verified.steps == result.tally.steps
    assert verified.chain_only == ()


def test_no_case_is_in_an_undeclared_state(city: tuple[CaseStore, Any]) -> None:
    store, _ = city
    registry = shipped_registry()
    summaries = store.query()
    assert summaries
    for summary in summaries:
        workflow = registry.get(summary.workflow, summary.workflow_version)
        assert summary.state in workflow.states.__members__, summary


def test_the_year_end_sweep_fired_what_the_generator_predicted(
    city: tuple[CaseStore, Any],
) -> None:
    _, result = city
    assert result.tally.sweep_fires > 0
    assert result.sweep.get("fired", 0) == result.tally.sweep_fires
    assert "refused" not in result.sweep
    assert "conflict" not in result.sweep


def test_every_process_takes_part(city: tuple[CaseStore, Any]) -> None:
    _, result = city
    expected = {
        "regular_supervision",
        "thematic_supervision_grassroots",
        "denunciation_grassroots",
        "inspection",
        "member_discipline",
        "organisation_discipline",
        "complaint",
        "party_activity_suspension",
        "removal_from_rolls",
        "leaving_the_party",
        "remediation",
        "asset_verification",
    }
    assert expected <= set(result.tally.by_process)


def test_linked_cases_record_their_origin(city: tuple[CaseStore, Any]) -> None:
    store, _ = city
    parents = {
        "complaint": {"member_discipline", "organisation_discipline"},
        "inspection": {
            "regular_supervision",
            "denunciation_grassroots",
            "asset_verification",
            "inspection_plan",
        },
        "remediation": {"inspection"},
    }
    for child, allowed in parents.items():
        linked = [s for s in store.query(workflow=child) if s.origin_case_id is not None]
        assert linked, child
        for summary in linked:
            parent = store.load(summary.origin_case_id or "")
            assert parent.workflow.name in allowed
    escalated = store.query(workflow="regular_supervision", state="ESCALATED_TO_INSPECTION")
    matter = store.linked(escalated[0].id)
    assert matter[0].id == escalated[0].id
    assert {s.workflow for s in matter} >= {"regular_supervision", "inspection"}


def test_thematic_supervisions_and_inspections_are_opened_from_plans(
    city: tuple[CaseStore, Any],
) -> None:
    store, result = city
    plans = {s.id: s for s in store.query(workflow=PLAN_WORKFLOW)}
    assert len(plans) == result.tally.by_process["inspection_plan"] > 3
    thematic = [s for s in store.query() if s.workflow.startswith("thematic_supervision_")]
    standalone = [
        s
        for s in store.query(workflow="inspection")
        if s.origin_case_id is None or s.origin_case_id in plans
    ]
    # The city's plan at every scale: 12 organisations and 3 members. The other plans at 1 %, one
    # subject at least per content: the city commission's 5 contents 1 + 1 subjects then one
    # each (6); the 14 district commissions' 2 contents, 8 organisations and 2 members cut by
    # issuer then by content (3 + 3 + 6 x 2 + 6 x 2 = 30); the 6 grassroots committees' 2 contents,
    # 3 members (6 x 2 = 12).
    assert len(thematic) == 15 + 6 + 30 + 12
    assert sum(result.tally.totals()["supervision.thematic.supervised"].to_dict().values()) == 63
    # The city's 6 items outside its plan, and 1 % of the city commission's 3 planned ones.
    assert len(standalone) == 6 + 1
    for summary in thematic + standalone:
        case = store.load(summary.id)
        assert case.origin is not None, summary.id
        assert case.origin.case_id in plans, summary.id
        view = Plan.of(store.load(case.origin.case_id))
        assert view.state == "ADOPTED"
        assert view.issuer == case.steps[0].actor
        assert plans[view.id].opened_at.month == 1
        content = view.content(case.steps[0].payload[CONTENT_KEY])
        assert PlanSubject(case.subject.kind, case.subject.id) in content.subjects


def test_plan_completion_is_computed_at_the_year_end(city: tuple[CaseStore, Any]) -> None:
    store, result = city
    end = result.settings.year_end
    summary = plans_summary(store, end)
    done = in_progress = contents = 0
    for found in store.query(workflow=PLAN_WORKFLOW):
        opened: dict[str, list[bool]] = {}
        for s in store.linked(found.id):
            if s.origin_case_id == found.id:
                case = store.load(s.id)
                opened.setdefault(case.steps[0].payload[CONTENT_KEY], []).append(case.is_closed)
        assert opened, found.id  # every plan's contents were carried out, at least in part
        contents += len(opened)
        done += sum(all(closed) for closed in opened.values())
        in_progress += sum(not all(closed) for closed in opened.values())
    assert summary.plans == result.tally.by_process["inspection_plan"]
    assert (summary.contents, summary.done, summary.in_progress) == (contents, done, in_progress)
    # every content is done by the year's end: the city's 12 and 6 outside its plan, and 83 more
    assert (summary.contents, summary.done, summary.not_started) == (12 + 6 + 83, 101, 0)
    assert "completion at 2023-12-31 24:00" in summary.text()


def test_bodies_act_on_working_days_in_office_hours(city: tuple[CaseStore, Any]) -> None:
    store, _ = city
    calendar = default_calendar()
    ids = [s.id for s in store.query()]
    checked = 0
    for case in store.load_many(ids):
        for step in case.steps:
            if step.actor.kind in (BodyKind.SYSTEM, BodyKind.PERSON):
                continue  # the sweep at 24:00 and people acting for themselves
            local = step.at.astimezone(dt.timezone(dt.timedelta(hours=7)))
            assert local.year == 2023, (case.id, step.index)
            assert calendar.is_working_day(local.date()), (case.id, step.index, local)
            assert dt.time(7, 30) <= local.time() <= dt.time(17, 30), (case.id, local)
            checked += 1
    assert checked > 4000


def test_the_digests_of_the_city_equal_its_verified_cases(city: tuple[CaseStore, Any]) -> None:
    store, result = city
    ids = [s.id for s in store.query()]
    assert store.digest_many(ids) == [CaseDigest.of(case) for case in store.load_many(ids)]
    assert 0 < len(result.sample) < len(ids) / 50
    assert set(result.sample) <= set(ids)


def test_verify_sample_finds_digests_that_differ(city: tuple[CaseStore, Any]) -> None:
    store, result = city
    assert verify_sample(store, result.sample, chunk=7) == (len(result.sample), True)

    class Skewed:
        def load_many(self, ids: Any) -> Any:
            return store.load_many(ids)

        def digest_many(self, ids: Any) -> Any:
            found = store.digest_many(ids)
            return [attrs.evolve(found[0], version=found[0].version + 1), *found[1:]]

    assert verify_sample(Skewed(), result.sample) == (len(result.sample), False)  # type: ignore[arg-type]


def test_the_same_seed_makes_the_same_cases() -> None:
    def heads(seed: int) -> list[tuple[str, str, int]]:
        with open_store("memory://", shipped_registry()) as store:
            generate_city_year(store, DemoSettings(year=2024, scale=0.002, seed=seed))
            return [(s.id, s.state, s.version) for s in store.query()]

    first = heads(3)
    assert first == heads(3)
    assert first != heads(4)


def test_worker_processes_make_the_same_cases_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator_module, "PARALLEL_MIN", 0)
    monkeypatch.setattr(annual_module, "PARALLEL_MIN", 0)
    monkeypatch.setattr(annual_module, "_CHUNK", 100)
    assert annual_module.worker_context().get_start_method() in ("fork", "forkserver", "spawn")
    found = []
    reports = []
    samples = []
    for jobs, name in ((1, "one.db"), (2, "two.db")):
        url = f"sqlite:///{tmp_path / name}"
        with open_store(url, shipped_registry()) as store:
            result = generate_city_year(
                store, DemoSettings(year=2023, scale=0.002, seed=9), url=url, jobs=jobs
            )
            assert result.jobs == jobs
            found.append(sorted((s.id, s.state, s.version) for s in store.query()))
            reports.append(annual_report(store, 2023, jobs=jobs, url=url).to_dict())
            samples.append(result.sample)
    assert found[0] == found[1]
    assert reports[0] == reports[1]
    assert samples[0] == samples[1]


def _frozen_objects(_: object) -> int:
    return gc.get_freeze_count()


def test_forked_workers_leave_what_they_inherit_to_the_garbage_collector() -> None:
    if annual_module.worker_context().get_start_method() != "fork":
        pytest.skip("workers are not forked here")
    assert gc.get_freeze_count() == 0
    with annual_module.worker_pool(2) as pool:
        assert gc.get_freeze_count() == 0  # unfrozen here once the workers started
        inherited = pool.map(_frozen_objects, range(2))
    assert min(inherited) > 0  # the workers' collections skip them
    gc.freeze()  # something else froze objects: they stay frozen, nothing more is
    try:
        frozen = gc.get_freeze_count()
        with annual_module.worker_pool(1) as pool:
            (inherited_frozen,) = pool.map(_frozen_objects, [0])
        assert 0 < inherited_frozen <= frozen  # only those, less any freed in the worker
        assert 0 < gc.get_freeze_count() <= frozen  # still frozen here (less any freed)
    finally:
        gc.unfreeze()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), year=st.sampled_from([2022, 2025, 2026]))
# Seeds that failed around the end of the district level (1 July 2025): the demo chose a
# deciding body by the rules in force that day, not those of the case's workflow version (7424);
# members placed at the district level whose matters ran on under the 2025-07 rules (681,
# 3029434304, 630431).
@example(seed=7424, year=2025)
@example(seed=681, year=2025)
@example(seed=3029434304, year=2025)
@example(seed=630431, year=2025)
def test_any_seed_and_year_gives_a_report_equal_to_the_tally(seed: int, year: int) -> None:
    with open_store("memory://", shipped_registry()) as store:
        result = generate_city_year(store, DemoSettings(year=year, scale=0.0005, seed=seed))
        report = annual_report(store, year)
        assert report.by_outcome() == result.tally.by_outcome
        assert report.by_measure() == result.tally.by_measure
        assert store.verify_all().cases == result.tally.cases


def test_the_plan_has_the_shape_of_a_city_year_and_grows_linearly() -> None:
    def totals(scale: float) -> dict[str, int]:
        found: dict[str, int] = {}
        for spec in plan(DemoSettings(scale=scale)):
            found[spec.story] = found.get(spec.story, 0) + spec.count
        return found

    full = totals(1.0)
    # 76,000 and 7,000 concluded with the 8 and 1 escalated in the matters
    assert full["regular_supervision_member"] == 76000 - 8
    assert full["regular_supervision_organisation"] == 7000 - 1
    assert full["regular_supervision_cancelled"] == 320
    assert full["regular_supervision_in_progress"] == 900
    # the plans' subjects (886 + 589 thematic, 3 planned inspections on signs, 34 finance and 12
    # regular inspections), then the matters
    assert full["matters"] == 886 + 589 + 3 + 34 + 12 + sum(
        QUOTAS[s] for s in QUOTAS if not s.startswith("regular_")
    )
    big = totals(3.0)
    assert big["regular_supervision_member"] == 3 * (76000 - 8)
    # supervisions are cut into shards; the plans and the matters they lead to stay together
    specs = plan(DemoSettings(scale=3.0))
    assert max(spec.count for spec in specs if spec.story != "matters") <= 2500
    assert all(n >= 1 for n in totals(0.0001).values())  # every story runs at any scale


@pytest.mark.parametrize(("text", "value"), [("1", 1.0), ("0.01", 0.01), (3, 3.0), ("10", 10.0)])
def test_scales_are_read(text: object, value: float) -> None:
    assert parse_scale(text) == value


@pytest.mark.parametrize("text", ["0", "-1", "ten", "nan", "10.5", True, None])
def test_bad_scales_are_refused(text: object) -> None:
    with pytest.raises(InputError, match=r"^scale: expected a number above 0 and at most 10"):
        parse_scale(text)


# --------------------------------------------------------------------------- the whole demo


def test_run_demo_writes_report_diagrams_and_timelines(tmp_path: Path) -> None:
    run = run_demo(DemoSettings(year=2023, scale=0.002, seed=1), out=tmp_path / "out")
    assert run.matches
    assert run.figures_match
    assert run.seed_matches is None  # only scale 1 reproduces the seed
    assert run.verified == len(run.generation.sample) > 0
    assert run.digests_match
    assert list(run.seconds) == [
        "generate",
        "sweep",
        "report",
        "indicators",
        "verify",
        "plans",
        "files",
        "total",
    ]
    assert run.plans is not None
    assert run.plans.plans == run.generation.tally.by_process["inspection_plan"]
    assert run.to_dict()["plans"]["at"] == "2024-01-01T00:00:00+07:00"
    files = {Path(f).relative_to(tmp_path / "out").as_posix() for f in run.files}
    assert {"report.txt", "report.json", "report.html", "forms/forms.json"} <= files
    assert {"processes.txt", "processes.json", "processes.csv"} <= files
    # the commission's report in Vietnamese, its figures those the store gave
    text = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert text == run.report_text
    assert text.startswith(
        "BÁO CÁO KẾT QUẢ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG NĂM 2023"
    )
    assert run.indicators is not None
    figures = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert figures == json.loads(json.dumps(run.indicators.to_dict()))
    # the HTML report draws the showcase cases' timelines (their ids are on the page)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for item in run.showcase:
        assert item.case_id in html
    for workflow in shipped_registry():
        if workflow.version == "2022":  # the ruleset in force throughout 2023
            assert f"diagrams/{workflow.name}@2022.mmd" in files
            assert f"diagrams/{workflow.name}@2022.md" in files
    timelines = sorted(f for f in files if f.startswith("timelines/"))
    assert 2 <= len(timelines) <= 3
    page = (tmp_path / "out" / timelines[0]).read_text(encoding="utf-8")
    assert "```mermaid\n%% case " in page
    assert "- Bắt đầu: " in page  # a deadline explanation (Vietnamese by default)
    assert (tmp_path / "out" / "demo.db").exists()


def test_each_run_starts_from_a_fresh_store(tmp_path: Path) -> None:
    settings_ = DemoSettings(year=2023, scale=0.001, seed=2)
    first = run_demo(settings_, out=tmp_path)
    second = run_demo(settings_, out=tmp_path)
    assert second.generation.tally == first.generation.tally
    assert second.report.cases == first.report.cases


def test_a_given_store_must_be_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'given.db'}"
    run_demo(DemoSettings(scale=0.001), out=tmp_path / "a", store_url=url)
    with pytest.raises(InputError, match="the store already holds cases"):
        run_demo(DemoSettings(scale=0.001), out=tmp_path / "b", store_url=url)


def test_demo_command_prints_report_timelines_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["demo", "--scale", "0.002", "--seed", "4", "--out", str(tmp_path), "--quiet"]
    assert main(args) == EXIT_OK
    captured = capsys.readouterr()
    out = captured.out
    assert out.startswith(
        "BÁO CÁO KẾT QUẢ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG NĂM 2023"
    )
    # the terminal gets the report and the HTML file's path, not raw Mermaid
    assert f"HTML (biểu đồ, diễn biến vụ việc): {tmp_path / 'report.html'}\n" in out
    assert "```mermaid" not in out
    assert "gantt" not in out
    assert re.search(r"\n[\d,]+ cases, [\d,]+ steps in [\d.]+ s \([\d,]+ steps/s", out)
    assert "the indicators computed from the store equal the results the generator made" in out
    assert "the seed's" not in out  # scale 0.002 does not reproduce the seed
    assert "count per process read back from the store equals the generator's own count" in out
    assert re.search(
        r"\nhistories of [\d,]+ sample cases verified .*; the digests the report "
        r"read equal them\n",
        out,
    )
    assert re.search(
        r"\nplans: [\d,]+ plans, [\d,]+ contents; completion at 2023-12-31 24:00: [\d,]+ done, "
        r"[\d,]+ in progress, 0 not started\n",
        out,
    )
    assert captured.err == ""


def test_demo_command_json_and_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["demo", "--scale", "0.001", "--out", str(tmp_path), "--json", "--lang", "vi"]
    assert main(args) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["report_matches_generator"] is True
    assert data["digests_match_verified_cases"] is True
    assert data["verified_cases"] > 0
    assert data["settings"] == {"year": 2023, "scale": 0.001, "seed": 2023}
    assert data["cases"] == data["report"]["cases"]
    assert data["showcase"]
    assert (tmp_path / "report.txt").read_text(encoding="utf-8").startswith("BÁO CÁO")


def test_demo_command_reports_a_mismatch_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_run.DemoRun, "matches", property(lambda self: False))
    assert main(["demo", "--scale", "0.001", "--out", str(tmp_path), "--quiet"]) == 1
    assert EXIT_CHECK_FAILED == 1
    err = capsys.readouterr().err.splitlines()
    expected = (
        "discipline-flow: error: the report read back from the store differs from the "
        "generator's own count"
    )
    assert err == [expected]


def test_demo_command_reports_digests_that_differ_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_run, "verify_sample", lambda store, ids: (len(list(ids)), False))
    assert main(["demo", "--scale", "0.001", "--out", str(tmp_path)]) == EXIT_CHECK_FAILED
    captured = capsys.readouterr()
    assert "the digests the report read DIFFER FROM them" in captured.out
    assert captured.err.splitlines() == [
        (
            "discipline-flow: error: the case digests the report read differ from the verified "
            "histories of the sample"
        )
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--year", "2023/24"], EXIT_INPUT, "year: expected a year like 2023 (1990 to 2100)"),
        (["--year", "2021"], EXIT_INPUT, "year: the demo needs rules in force all year"),
        (["--scale", "0"], EXIT_INPUT, "scale: expected a number above 0 and at most 10"),
        (["--scale", "lots"], EXIT_INPUT, "scale: expected a number above 0"),
        (["--seed", "x"], EXIT_INPUT, "--seed: expected a whole number, got 'x'"),
        (["--jobs", "0"], EXIT_INPUT, "--jobs: expected a whole number of at least 1"),
        (["--store", "mysql://db/x"], EXIT_STORE, "unsupported store URL 'mysql://db/x'"),
        (["--store", "sqlite://x.db"], EXIT_STORE, "a SQLite URL has three slashes"),
    ],
    ids=[
        "year",
        "year-without-rules",
        "scale-zero",
        "scale-text",
        "seed",
        "jobs",
        "scheme",
        "sqlite-slashes",
    ],
)
def test_demo_command_errors_are_one_line_with_a_documented_code(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    assert main(["demo", "--out", str(tmp_path), "--quiet", *args]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("discipline-flow: error: ")
    assert message in err[0]


# --------------------------------------------------------------------------- progress bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_only_on_a_terminal() -> None:
    pipe = io.StringIO()
    bar = Progress("cases", total=10, stream=pipe)
    bar(5, 10)
    bar.close()
    assert pipe.getvalue() == ""
    terminal = _Terminal()
    bar = Progress("cases", total=10, stream=terminal)
    bar.update(5, force=True)
    bar.close()
    bar.close()  # once only
    drawn = terminal.getvalue()
    assert drawn.startswith("\rcases")
    assert "  50.0%       5/10" in drawn
    assert re.search(r"100\.0%      10/10 +\d+\.\ds\n$", drawn)
    assert drawn.count("\n") == 1
    quiet = _Terminal()
    muted = Progress("cases", total=10, stream=quiet, enabled=False)
    muted.update(5, force=True)
    muted.close()
    assert quiet.getvalue() == ""


# --------------------------------------------------------------------------- the command line


def test_every_command_has_one_line_of_help() -> None:
    infos = commands()
    names = [i.name for i in infos]
    assert {"demo", "report", "rules"} <= set(names)
    missing = [i.name for i in infos if not i.help]
    assert missing == [], f"subcommands registered without help=: {missing}"
    assert all("\n" not in i.help for i in infos)


#: Commands whose output is a drawing, not data: they need no --json.
DRAWINGS = {"diagram", "timeline"}


def test_every_command_whose_output_is_data_takes_json() -> None:
    lacking = [i.name for i in commands() if i.name not in DRAWINGS and not i.has_json]
    assert lacking == []


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for info in commands():
        assert re.search(rf"^    {re.escape(info.name)}\b", out, re.MULTILINE), info.name


def test_rules_command_lists_assumed_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--ruleset", "2022", "--status", "assumed"]) == EXIT_OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("ruleset 2022 ")
    assert all("assumed" in line for line in lines[1:] if line and "(no rules" not in line)
    assert main(["rules", "--status", "maybe"]) == EXIT_INPUT
    assert "unknown status 'maybe'" in capsys.readouterr().err


def _table_between_markers(text: str) -> str | None:
    start, end = "<!-- commands:start -->", "<!-- commands:end -->"
    if start not in text or end not in text:
        return None
    return text.split(start, 1)[1].split(end, 1)[0].strip() + "\n"


def test_the_readme_command_table_matches_help() -> None:
    table = _table_between_markers((ROOT / "README.md").read_text(encoding="utf-8"))
    if table is None:
        pytest.skip(
            "README.md has no <!-- commands:start --> / <!-- commands:end --> markers yet; "
            "paste the output of `python -m discipline_flow._cli_table` between them"
        )
    assert table == command_table(), (
        "README.md's command table differs from --help: paste the output of "
        "`python -m discipline_flow._cli_table` between its commands markers"
    )


def test_the_cli_reference_page_has_the_current_command_table() -> None:
    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert _table_between_markers(page) == command_table()


def test_the_command_table_flags_a_command_without_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    sub.add_parser("bare")  # type: ignore[attr-defined]
    infos = commands(parser)
    bare = next(i for i in infos if i.name == "bare")
    assert bare.help == ""
    assert f"| `discipline-flow bare` | {NO_HELP} | no |" in command_table(infos)


def test_the_results_counted_from_the_store_equal_the_tally(city: tuple[CaseStore, Any]) -> None:
    # Every stored case (swept at the year's end) counted again by the indicators' definitions.
    store, result = city
    start, end = annual_module.year_bounds(2023)
    results: dict[str, dict[str, Count]] = {}
    for case in store.load_many([s.id for s in store.query()]):
        for key, level, count in case_results(case, start, end):
            table = results.setdefault(key.removeprefix("form:"), {})
            table[level] = table.get(level, Count()) + count
    tally = result.tally
    assert results == {**tally.results, **tally.by_form}
    # At 1 %: the city's 4 members disciplined after its inspections outside the plan (fixed),
    # then one case of each story, its commonest destiny: the planned inspection, the escalated
    # supervisions of a member and of an organisation (and its leader), the denunciation used for
    # an inspection and the member's own case end in discipline; the 2 asset verifications are
    # honest and the denunciation unfounded.
    assert tally.totals()["discipline.disciplined"] == Count(organisations=1, members=4 + 5)
