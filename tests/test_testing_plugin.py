"""The pytest plugin, run in pytester sessions: fixtures, scenario files, coverage, fail-under.

The plugin is loaded through its ``pytest11`` entry point; the pytester sessions below do not
ask for it with ``-p``, so they also check that the entry point loads it.
"""

from __future__ import annotations

import json

# Imported before any pytester run, which forgets the modules it imports: the hypothesis
# plugin's summary needs observability, and the store is slow to import again.
import hypothesis.internal.observability  # noqa: F401
import pytest

import discipline_flow.store  # noqa: F401
from discipline_flow.testing import CoverageReport, WorkflowCoverage
from discipline_flow.testing._shipped import shipped_registry
from discipline_flow.time import default_calendar

pytest_plugins = ["pytester"]

# A workflow whose coverage is worked out by hand below: 4 transitions, 1 guard, 1 deadline rule.
FLOWS = """
import enum

from discipline_flow import Citation, Guard, RuleStatus, Transition, Workflow
from discipline_flow.time import DeadlineRule, Period


class S(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DECIDED = "decided"
    REJECTED = "rejected"


class T(enum.Enum):
    SUBMIT = "submit"
    DECIDE = "decide"
    REJECT = "reject"
    WITHDRAW = "withdraw"


quorum = Guard(
    "quorum",
    lambda ctx: None if ctx.payload.get("present", 0) >= 5 else "fewer than 5 present",
    uses_payload=True,
)
decide_within = DeadlineRule(
    "decide_within", Period.parse("10 working days"), starts_on_enter=S.SUBMITTED,
    met_by={S.DECIDED}, on_miss=T.REJECT,
    citation=Citation("example", None, RuleStatus.ASSUMED),
)
MINI = Workflow(
    name="mini", version="1", states=S, triggers=T, initial=S.DRAFT,
    terminal={S.DECIDED, S.REJECTED}, deadline_rules=[decide_within],
    transitions=[
        Transition(T.SUBMIT, S.DRAFT, S.SUBMITTED),
        Transition(T.DECIDE, S.SUBMITTED, S.DECIDED, guards=[quorum]),
        Transition(T.REJECT, S.SUBMITTED, S.REJECTED),
        Transition(T.WITHDRAW, S.DRAFT, S.REJECTED),
    ],
)


class G(enum.Enum):
    A = "a"
    B = "b"


class GT(enum.Enum):
    GO = "go"


GHOST = Workflow(name="ghost", version="1", states=G, triggers=GT, initial=G.A,
                 terminal={G.B}, transitions=[Transition(GT.GO, G.A, G.B)])
EXTRA = Workflow(name="extra", version="1", states=G, triggers=GT, initial=G.A,
                 terminal={G.B}, transitions=[Transition(GT.GO, G.A, G.B)])
"""

# Transitions: SUBMIT (by the factory) and DECIDE fire; REJECT and WITHDRAW do not -> 2/4.
# Guard outcomes: quorum passes once and refuses once -> 2/2.
# Deadline outcomes: decide_within started and met, never missed -> 2/3.
KNOWN_SUITE = """
from flows import GHOST, MINI


def test_submit(df_case_factory):
    case = df_case_factory(MINI, "SUBMITTED")
    assert case.state.name == "SUBMITTED"


def test_decide(df_case_factory, df_clock):
    case = df_case_factory(MINI, "SUBMITTED")
    case.fire("DECIDE", at=df_clock.now(), actor="person:clerk", payload={"present": 7})
    assert case.state.name == "DECIDED"


def test_no_quorum(df_case_factory, df_clock):
    import pytest
    from discipline_flow.errors import TransitionRefused

    case = df_case_factory(MINI, "SUBMITTED")
    with pytest.raises(TransitionRefused):
        case.fire("DECIDE", at=df_clock.now(), actor="person:clerk", payload={"present": 2})


def test_ghost(df_clock):
    from discipline_flow import Member

    case = GHOST.open(Member("m-1"), at=df_clock.now(), actor="person:clerk")
    case.fire("GO", at=df_clock.now(), actor="person:clerk")
"""


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    # Build the slow values once, outside the pytester runs.
    shipped_registry()
    default_calendar()


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    pytester.makepyfile(flows=FLOWS)
    pytester.syspathinsert()
    return pytester


def test_the_plugin_is_loaded_by_its_entry_point(suite: pytest.Pytester) -> None:
    config = suite.parseconfig()
    assert config.pluginmanager.has_plugin("discipline_flow")
    result = suite.runpytest("--help")
    result.stdout.fnmatch_lines(["*--df-coverage *", "*--df-coverage-fail-under=PERCENT*"])


def test_fixtures_work_together(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_df_fixtures="""
        import datetime as dt
        import pytest
        from flows import MINI

        def test_clock_calendar_ruleset(df_clock, df_calendar, df_ruleset):
            assert df_clock.now().isoformat() == "2025-09-15T09:00:00+07:00"
            assert df_clock.calendar is df_calendar
            assert df_calendar.is_working_day(dt.date(2025, 9, 2)) is False  # National Day
            assert df_ruleset.name == "2025-07"  # in force on 15/9/2025, after 1/7/2025

        def test_case_factory_uses_the_clock(df_case_factory, df_clock):
            df_clock.advance_by("3 working days")
            case = df_case_factory(MINI, "SUBMITTED")
            assert case.last_at.isoformat() == "2025-09-18T09:00:00+07:00"
            # 10 working days after Thu 18/9/2025: 19/9 (1), 22-26/9 (6), 29/9-2/10 (10).
            assert case.deadline("decide_within").due_on == dt.date(2025, 10, 2)

        def test_payload_providers_can_be_registered(df_case_factory, df_payload_providers):
            df_payload_providers.register("mini", {"DECIDE": {"present": 6}})
            assert df_case_factory(MINI, "DECIDED").steps[-1].payload == {"present": 6}

        @pytest.mark.df_clock("2026-02-13T16:00:00+07:00")
        def test_marker_moves_the_clock(df_clock, df_scenario):
            assert df_clock.advance_by("1 working day").now().day == 23  # over Tết 2026
            built = df_scenario(MINI)
            assert built.name == "test_marker_moves_the_clock"
        """
    )
    result = suite.runpytest("-q")
    result.assert_outcomes(passed=4)


def test_the_ini_option_sets_the_clock(suite: pytest.Pytester) -> None:
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_clock_start = 2024-01-31T08:00:00+07:00\n")
    suite.makepyfile(
        test_df_ini="""
        def test_start(df_clock):
            assert df_clock.now().isoformat() == "2024-01-31T08:00:00+07:00"
            assert df_clock.advance_by("1 month").now().day == 29
        """
    )
    suite.runpytest("-q").assert_outcomes(passed=1)


def test_a_bad_clock_start_is_a_usage_error(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_df_bad="""
        import pytest

        @pytest.mark.df_clock("2025-09-15 09:00")
        def test_naive(df_clock):
            pass
        """
    )
    result = suite.runpytest("-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*df_clock*aware*"])


def test_hooks_give_providers_and_workflows_and_the_store_runs_twice(
    suite: pytest.Pytester,
) -> None:
    suite.makeconftest(
        """
        from flows import MINI

        def pytest_discipline_flow_payload_providers(config):
            return {"mini": {"DECIDE": {"present": 9}}}

        def pytest_discipline_flow_workflows(config):
            return [MINI]
        """
    )
    suite.makepyfile(
        test_df_hooked="""
        from flows import MINI

        def test_provider_from_the_hook(df_case_factory):
            assert df_case_factory(MINI, "DECIDED").steps[-1].payload == {"present": 9}

        def test_registry_has_the_hook_workflow(df_workflow_registry):
            assert df_workflow_registry.get("mini", "1") is MINI

        def test_store(df_store, df_case_factory):
            case = df_case_factory(MINI, "SUBMITTED")
            df_store.save(case, expected_version=0)
            again = df_store.load(case.id)
            assert (again.state, again.version) == (case.state, 2)
        """
    )
    result = suite.runpytest("-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*test_store?memory? PASSED*", "*test_store?sqlite? PASSED*"])


def test_hooks_may_return_a_registry_and_bad_results_are_usage_errors(
    suite: pytest.Pytester,
) -> None:
    suite.makeconftest(
        """
        from discipline_flow.testing import PayloadProviders

        def pytest_discipline_flow_payload_providers(config):
            return PayloadProviders().register("mini", {"DECIDE": {"present": 8}})
        """
    )
    suite.makepyfile(
        test_df_registry="""
        from flows import MINI

        def test_provider(df_case_factory):
            assert df_case_factory(MINI, "DECIDED").steps[-1].payload == {"present": 8}
        """
    )
    suite.runpytest("-q").assert_outcomes(passed=1)
    suite.makeconftest(
        """
        def pytest_discipline_flow_payload_providers(config):
            return 42

        def pytest_discipline_flow_workflows(config):
            return ["mini"]
        """
    )
    result = suite.runpytest("-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*must return PayloadProviders or a mapping*got 42*"])
    result = suite.runpytest("-q", "--df-coverage")
    result.stdout.fnmatch_lines(
        ["FAIL: the workflows to count could not be listed: *must return workflows, got 'mini'*"]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_scenario_that_cannot_run_shows_its_traceback(suite: pytest.Pytester) -> None:
    # A given that cannot be built is a failure with the refused move, not a traceback...
    unbuildable = SCENARIOS.replace('"DECIDE" = { payload = { present = 5 } }', "").replace(
        'state = "SUBMITTED"', 'state = "DECIDED"', 1
    )
    suite.makefile(".scenario.toml", mini=unbuildable)
    result = suite.runpytest("-q")
    result.stdout.fnmatch_lines(
        ["cannot build a mini@1 case in state DECIDED: DECIDE->DECIDED from SUBMITTED was refused*"]
    )


# --------------------------------------------------------------------------- scenario files

SCENARIOS = """
workflow = "flows.py:MINI"
actor = "party_cell:cell-1"

[payloads]
"DECIDE" = { payload = { present = 5 } }

[[scenario]]
name = "decided within ten working days"
# 10 working days after Mon 15/9/2025: 16-19/9 (4), 22-26/9 (9), Mon 29/9/2025 (10).
given = { state = "SUBMITTED", at = 2025-09-15T09:00:00 }
step = [
  { then = { deadlines = { decide_within = { due_on = 2025-09-29, status = "pending" } } } },
  { when = "DECIDE", payload = { present = 6 }, then = { state = "DECIDED", deadlines = { decide_within = "met" } } },
]

[[scenario]]
name = "rejected on the sweep"
given = { state = "SUBMITTED", at = 2025-09-15T09:00:00 }
step = [
  { advance_to = 2025-09-30T00:00:00 },
  { sweep = true, then = { state = "REJECTED" } },
]
"""


def test_scenario_files_are_collected_one_test_per_scenario(suite: pytest.Pytester) -> None:
    suite.makefile(".scenario.toml", mini=SCENARIOS)
    suite.makefile(".toml", other="not = 'a scenario file'")
    result = suite.runpytest("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "mini.scenario.toml::decided within ten working days PASSED*",
            "mini.scenario.toml::rejected on the sweep PASSED*",
        ]
    )


def test_a_wrong_expectation_fails_with_a_readable_difference(suite: pytest.Pytester) -> None:
    wrong = SCENARIOS.replace("due_on = 2025-09-29", "due_on = 2025-09-26").replace(
        'then = { state = "REJECTED" }', 'then = { state = "DECIDED" }'
    )
    suite.makefile(".scenario.toml", mini=wrong)
    result = suite.runpytest("-q")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            (
                "*scenario 'decided within ten working days' (mini@1) then #1 (after given "
                "SUBMITTED at 2025-09-15T09:00:00+07:00): 1 difference (expected vs actual)"
            ),
            "  deadline decide_within.due_on: expected 2025-09-26, got 2025-09-29",
            "      status read at 2025-09-15T09:00:00+07:00",
            "      why:",
            "*Due: Mon 2025-09-29*",
            (
                "*scenario 'rejected on the sweep' (mini@1) then #1 (after sweep at "
                "2025-09-30T00:00:00+07:00 (fired REJECT)): 1 difference (expected vs actual)"
            ),
            "  state: expected DECIDED, got REJECTED",
        ]
    )
    # A readable message, not a traceback into the library.
    assert "scenario.py" not in result.stdout.str()


def test_a_broken_scenario_file_is_a_collection_error_naming_the_place(
    suite: pytest.Pytester,
) -> None:
    broken = SCENARIOS.replace('when = "DECIDE"', 'when = "DECLARE"')
    suite.makefile(".scenario.toml", mini=broken)
    result = suite.runpytest("-q")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            (
                "*scenario file *mini.scenario.toml at scenario[[]0[]].step[[]1[]]: workflow "
                "'mini' has no trigger 'DECLARE'; triggers: SUBMIT, DECIDE, REJECT, WITHDRAW*"
            )
        ]
    )


# --------------------------------------------------------------------------- coverage


def test_coverage_numbers_for_a_known_suite(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_df_known=KNOWN_SUITE)
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_coverage_shipped = false\n")
    out = suite.path / "cov" / "df.json"
    result = suite.runpytest("-q", "--df-coverage", f"--df-coverage-json={out}")
    result.assert_outcomes(passed=4)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "*- discipline_flow coverage -*",
            "workflow  transitions  guard outcomes  deadline outcomes",
            "mini@1    2/4 (50.0%)  2/2 (100.0%)    2/3 (66.7%)",
            "TOTAL     2/4 (50.0%)  2/2 (100.0%)    2/3 (66.7%)",
            "workflows seen only by key*: ghost@1",
            "not covered:",
            "  mini@1",
            "    transition #2 SUBMITTED -REJECT-> REJECTED",
            "    transition #3 DRAFT -WITHDRAW-> REJECTED",
            "    deadline decide_within: never missed",
            f"coverage JSON written to {out}",
        ]
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == 1
    assert data["totals"] == {
        "transitions": {"covered": 2, "total": 4, "percent": 50.0},
        "guard_outcomes": {"covered": 2, "total": 2, "percent": 100.0},
        "deadline_outcomes": {"covered": 2, "total": 3, "percent": 66.67},
    }
    ghost, mini = data["workflows"]
    # Opened (an event since Case.open is seen) and fired once.
    assert (ghost["workflow"], ghost["defined"], ghost["events"]) == ("ghost@1", False, 2)
    # SUBMIT ran in three tests (the factory), DECIDE once (the refusal is not a transition).
    assert [(t["trigger"], t["count"]) for t in mini["transitions"]] == [
        ("SUBMIT", 3),
        ("DECIDE", 1),
        ("REJECT", 0),
        ("WITHDRAW", 0),
    ]
    assert mini["guards"] == [
        {"transition": 1, "guard": "quorum", "passed": 1, "refused": 1, "impossible": None}
    ]
    assert data["impossible_refusals"] == []
    assert mini["deadline_rules"] == [
        {"rule": "decide_within", "started": 3, "met": 1, "missed": 0}
    ]


def test_hook_workflows_count_even_when_not_exercised(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_df_known=KNOWN_SUITE)
    suite.makeconftest(
        """
        from flows import EXTRA

        def pytest_discipline_flow_workflows(config):
            return [EXTRA]
        """
    )
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_coverage_shipped = false\n")
    result = suite.runpytest("-q", "--df-coverage")
    result.stdout.fnmatch_lines(
        [
            "extra@1   0/1 (0.0%)   0/0 (-)         0/0 (-)",
            "mini@1    2/4 (50.0%)  2/2 (100.0%)    2/3 (66.7%)",
            "TOTAL     2/5 (40.0%)  2/2 (100.0%)    2/3 (66.7%)",
        ]
    )


@pytest.mark.parametrize(
    ("threshold", "exit_code"),
    [
        ("50", pytest.ExitCode.OK),
        ("49.5", pytest.ExitCode.OK),
        ("50.1", pytest.ExitCode.TESTS_FAILED),
    ],
)
def test_fail_under_sets_the_exit_code(
    suite: pytest.Pytester, threshold: str, exit_code: pytest.ExitCode
) -> None:
    suite.makepyfile(test_df_known=KNOWN_SUITE)
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_coverage_shipped = false\n")
    result = suite.runpytest("-q", f"--df-coverage-fail-under={threshold}")
    result.assert_outcomes(passed=4)
    assert result.ret == exit_code
    if exit_code != pytest.ExitCode.OK:
        result.stdout.fnmatch_lines(
            [f"FAIL: transition coverage 50.00% is below --df-coverage-fail-under={threshold}"]
        )


@pytest.mark.parametrize(
    ("option", "exit_code", "message"),
    [
        ("--df-coverage-guards-fail-under=100", pytest.ExitCode.OK, None),
        (
            "--df-coverage-deadlines-fail-under=70",
            pytest.ExitCode.TESTS_FAILED,
            "FAIL: deadline-outcome coverage 66.67% is below --df-coverage-deadlines-fail-under=70",
        ),
    ],
)
def test_guard_and_deadline_thresholds_set_the_exit_code(
    suite: pytest.Pytester, option: str, exit_code: pytest.ExitCode, message: str | None
) -> None:
    # The known suite: guard outcomes 2/2, deadline outcomes 2/3 (66.67 %).
    suite.makepyfile(test_df_known=KNOWN_SUITE)
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_coverage_shipped = false\n")
    result = suite.runpytest("-q", option)
    assert result.ret == exit_code
    if message is not None:
        result.stdout.fnmatch_lines([message])


def test_an_impossible_refusal_is_reported_apart_not_counted(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_df_known=KNOWN_SUITE)
    suite.makeconftest(
        "from discipline_flow.testing import ImpossibleRefusal\n\n"
        "def pytest_discipline_flow_impossible_refusals(config):\n"
        "    return [ImpossibleRefusal('mini', 'SUBMITTED', 'DECIDE', 'DECIDED', 'quorum',\n"
        "                              'nobody can submit fewer than five')]\n"
    )
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_coverage_shipped = false\n")
    # in a subprocess: the conftest imports the toolkit, which must not outlive the run
    result = suite.runpytest_subprocess("-q", "--df-coverage")
    result.stdout.fnmatch_lines(
        [
            "mini@1    2/4 (50.0%)  1/1 (100.0%)    2/3 (66.7%)",
            "guard refusals impossible by construction, not counted: 1",
            "  mini@1: quorum on #1 SUBMITTED -DECIDE-> DECIDED (nobody can submit fewer than five)",
        ]
    )


def test_fail_under_keeps_a_test_failure_exit_code(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_df_known=KNOWN_SUITE + "\n\ndef test_broken():\n    assert False\n")
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_coverage_shipped = false\n")
    result = suite.runpytest("-q", "--df-coverage-fail-under=100")
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_shipped_only_ignores_example_workflows(suite: pytest.Pytester) -> None:
    # The known suite's own workflow is half covered and not shipped; with no shipped workflow
    # counted, the shipped-only threshold has nothing below it, while the plain one fails.
    suite.makepyfile(test_df_known=KNOWN_SUITE)
    suite.makeini("[pytest]\nfilterwarnings = error\ndf_coverage_shipped = false\n")
    plain = suite.runpytest("-q", "--df-coverage-fail-under=100")
    assert plain.ret == pytest.ExitCode.TESTS_FAILED
    scoped = suite.runpytest("-q", "--df-coverage-fail-under=100", "--df-coverage-shipped-only")
    assert scoped.ret == pytest.ExitCode.OK


def test_shipped_only_fails_when_a_shipped_workflow_is_missed(suite: pytest.Pytester) -> None:
    registry = shipped_registry()
    if registry is None or not len(registry):
        pytest.skip("no shipped workflows in this build")
    suite.makepyfile(test_df_nothing="def test_nothing():\n    pass\n")
    # As our own Makefile asks: every shipped workflow version counts, touched or not.
    result = suite.runpytest(
        "-q", "--df-coverage-shipped", "--df-coverage-fail-under=100", "--df-coverage-shipped-only"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["FAIL: transition coverage of the shipped workflows 0.00% is below*"]
    )


def test_fail_under_must_be_a_percentage(suite: pytest.Pytester) -> None:
    result = suite.runpytest("-q", "--df-coverage-fail-under=150")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*must be a percentage from 0 to 100, got 150*"])


def test_shipped_workflows_are_counted_only_when_asked(suite: pytest.Pytester) -> None:
    registry = shipped_registry()
    assert registry is not None
    suite.makepyfile(test_df_nothing="def test_nothing():\n    pass\n")
    untouched = suite.runpytest("-q", "--df-coverage", "--df-coverage-fail-under=100")
    assert untouched.ret == pytest.ExitCode.OK
    assert "(shipped)" not in untouched.stdout.str()
    untouched.stdout.fnmatch_lines(["TOTAL     0/0 (-)      0/0 (-)         0/0 (-)"])
    first = next(iter(registry))
    for asked in (["--df-coverage-shipped"], ["-o", "df_coverage_shipped=true"]):
        result = suite.runpytest("-q", "--df-coverage", *asked)
        result.stdout.fnmatch_lines([f"{first.key} (shipped)*0/*"])
        rows = [line for line in result.stdout.lines if " (shipped) " in line]
        assert len(rows) == len(registry) > 90  # every shipped workflow version, once


def test_a_suite_lists_only_the_shipped_workflows_it_touched(suite: pytest.Pytester) -> None:
    # Issue 15: a user's suite that tests one shipped process sees that process only, and its
    # totals are that process's: 3 of member_discipline@2025-07's 48 transitions (HEAR_SUBJECT,
    # HOLD_VOTE, DECIDE to reach DECIDED).
    suite.makepyfile(
        test_df_shipped="""
        def test_one(df_scenario):
            df_scenario("member_discipline").given("DECIDED").then(state="DECIDED")
        """
    )
    result = suite.runpytest("-q", "--df-coverage")
    assert result.ret == pytest.ExitCode.OK
    rows = [line for line in result.stdout.lines if " (shipped) " in line]
    assert len(rows) == 1
    assert rows[0].startswith("member_discipline@2025-07 (shipped)  3/48 (6.2%)")
    result.stdout.fnmatch_lines(["TOTAL *3/48 (6.2%)*"])


def test_without_the_option_there_is_no_report(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_df_known=KNOWN_SUITE)
    result = suite.runpytest("-q")
    result.assert_outcomes(passed=4)
    assert "discipline_flow coverage" not in result.stdout.str()


def test_the_report_text_is_stable() -> None:
    # The plugin prints CoverageReport.text(); its layout on a hand-made report.
    report = CoverageReport((WorkflowCoverage("x@1", True, True),))
    assert report.text().splitlines() == [
        "workflow       transitions  guard outcomes  deadline outcomes",
        "x@1 (shipped)  0/0 (-)      0/0 (-)         0/0 (-)",
        "TOTAL          0/0 (-)      0/0 (-)         0/0 (-)",
    ]
