"""The discipline_flow pytest plugin, loaded through the ``pytest11`` entry point.

Installing discipline_flow makes these available to every test suite; every name carries the
``df_`` prefix, so none collides with a project's own fixtures:

Fixtures
    ``df_clock`` (a :class:`~discipline_flow.testing.ScenarioClock` at ``df_clock_start`` — ini
    option, default 2025-09-15 09:00 Hanoi time — or at ``@pytest.mark.df_clock("ISO")``),
    ``df_calendar`` (the calendar the clock counts working days with), ``df_ruleset`` (the
    ruleset in force on the clock's date), ``df_payload_providers``, ``df_case_factory``,
    ``df_scenario`` (makes a :class:`~discipline_flow.testing.Scenario` on the test's clock),
    ``df_workflow_registry`` (shipped workflows and those of the
    ``pytest_discipline_flow_workflows`` hook) and ``df_store`` (a memory store and an SQLite
    store: tests using it run once with each).

Scenario files
    every ``*.scenario.toml`` under the test paths is collected, one test per scenario.

Coverage
    ``--df-coverage`` reports, per workflow the tests touched, the transitions, guard outcomes
    and deadline outcomes they exercised; ``--df-coverage-shipped`` counts every shipped
    workflow version as well; ``--df-coverage-json=PATH`` writes the report as JSON;
    ``--df-coverage-fail-under=N`` fails the run when transition coverage is below N %,
    ``--df-coverage-guards-fail-under=N`` and ``--df-coverage-deadlines-fail-under=N`` when
    guard or deadline outcomes are; guard refusals impossible by construction (the shipped
    ``discipline_flow.processes.IMPOSSIBLE_REFUSALS`` and those of the
    ``pytest_discipline_flow_impossible_refusals`` hook) are reported apart, not counted.

Hooks (in a ``conftest.py``)
    ``pytest_discipline_flow_workflows(config)``,
    ``pytest_discipline_flow_payload_providers(config)`` and
    ``pytest_discipline_flow_impossible_refusals(config)``.

Loading the plugin costs almost nothing: this module imports only pytest at its top, and the
toolkit (with the library, its calendar and its rulesets) is imported inside the fixtures and
hooks that need it, when first needed. A test suite that uses none of it does not pay for it
(measured in ``docs/performance.md``). That is why the imports below sit inside functions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

import pytest

from discipline_flow.testing import _hookspecs

if TYPE_CHECKING:
    import contextvars

    from discipline_flow.impossible import ImpossibleRefusal
    from discipline_flow.rules import Ruleset
    from discipline_flow.serialization import WorkflowRegistry
    from discipline_flow.store import CaseStore
    from discipline_flow.testing.clock import ScenarioClock
    from discipline_flow.testing.coverage import CoverageRecorder
    from discipline_flow.testing.factory import CaseFactory
    from discipline_flow.testing.files import ScenarioSpec
    from discipline_flow.testing.providers import PayloadProviders
    from discipline_flow.testing.report import CoverageReport
    from discipline_flow.testing.scenario import Scenario
    from discipline_flow.time.calendar import Calendar
    from discipline_flow.workflow import Workflow

    _Tokens = tuple[contextvars.Token[Any], contextvars.Token[Any]]

__all__ = [
    "DEFAULT_CLOCK_START",
    "SCENARIO_SUFFIX",
    "ScenarioFileCollector",
    "ScenarioItem",
    "df_calendar",
    "df_case_factory",
    "df_clock",
    "df_payload_providers",
    "df_ruleset",
    "df_scenario",
    "df_store",
    "df_workflow_registry",
]

#: Where the ``df_clock`` fixture starts unless the ini option or a marker says otherwise: a
#: Monday in an ordinary working week under the 2025 rules.
DEFAULT_CLOCK_START = "2025-09-15T09:00:00+07:00"

#: The ending of a scenario file's name (``discipline_flow.testing.files.SCENARIO_SUFFIX``).
SCENARIO_SUFFIX = ".scenario.toml"

#: The coverage thresholds: option, what it measures over every workflow, over the shipped ones.
_THRESHOLDS = {
    "--df-coverage-fail-under": ("transitions", "shipped_transitions", "transition coverage"),
    "--df-coverage-guards-fail-under": (
        "guard_outcomes",
        "shipped_guard_outcomes",
        "guard-outcome coverage",
    ),
    "--df-coverage-deadlines-fail-under": (
        "deadline_outcomes",
        "shipped_deadline_outcomes",
        "deadline-outcome coverage",
    ),
}

_RECORDER: pytest.StashKey[tuple[CoverageRecorder, _Tokens]] = pytest.StashKey()
_REPORT: pytest.StashKey[CoverageReport] = pytest.StashKey()
_PROBLEMS: pytest.StashKey[list[str]] = pytest.StashKey()


# --------------------------------------------------------------------------- options


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Add the plugin's hooks (see :mod:`discipline_flow.testing._hookspecs`)."""
    pluginmanager.add_hookspecs(_hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``--df-coverage`` options and the ``df_clock_start`` ini option."""
    group = parser.getgroup("discipline_flow", "discipline_flow rule tests")
    group.addoption(
        "--df-coverage",
        action="store_true",
        default=False,
        help="report the transitions, guard outcomes and deadline outcomes the tests exercised, "
        "per workflow the tests touched",
    )
    group.addoption(
        "--df-coverage-shipped",
        action="store_true",
        default=False,
        help="count every shipped workflow version in --df-coverage, touched or not",
    )
    group.addoption(
        "--df-coverage-fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="fail the run when transition coverage is below PERCENT (implies --df-coverage)",
    )
    group.addoption(
        "--df-coverage-guards-fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="fail the run when guard-outcome coverage is below PERCENT (implies --df-coverage)",
    )
    group.addoption(
        "--df-coverage-deadlines-fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="fail the run when deadline-outcome coverage is below PERCENT (implies --df-coverage)",
    )
    group.addoption(
        "--df-coverage-shipped-only",
        action="store_true",
        default=False,
        help="apply the --df-coverage-*fail-under thresholds to the shipped workflows only (not "
        "to example workflows defined in tests and docs)",
    )
    group.addoption(
        "--df-coverage-json",
        default=None,
        metavar="PATH",
        help="write the coverage report as JSON to PATH (implies --df-coverage)",
    )
    parser.addini(
        "df_clock_start",
        help=f"ISO instant, with its offset, the df_clock fixture starts at ({DEFAULT_CLOCK_START})",
        default=DEFAULT_CLOCK_START,
    )
    parser.addini(
        "df_coverage_shipped",
        help="count every shipped workflow version in --df-coverage, touched or not "
        "(as --df-coverage-shipped)",
        type="bool",
        default=False,
    )


def _coverage_wanted(config: pytest.Config) -> bool:
    return bool(
        config.getoption("--df-coverage")
        or config.getoption("--df-coverage-shipped")
        or any(config.getoption(name) is not None for name in _THRESHOLDS)
        or config.getoption("--df-coverage-json")
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``df_clock`` marker; start recording coverage when asked to."""
    config.addinivalue_line(
        "markers", "df_clock(at): start the df_clock fixture at this ISO instant (with its offset)"
    )
    for name in _THRESHOLDS:
        fail_under = config.getoption(name)
        if fail_under is not None and not 0 <= fail_under <= 100:
            raise pytest.UsageError(f"{name} must be a percentage from 0 to 100, got {fail_under}")
    if _coverage_wanted(config) and not hasattr(config, "workerinput"):
        from discipline_flow.testing.coverage import CoverageRecorder

        recorder = CoverageRecorder()
        config.stash[_RECORDER] = (recorder, recorder.start())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop recording coverage."""
    state = config.stash.get(_RECORDER, None)
    if state is not None:
        recorder, tokens = state
        recorder.stop(tokens)
        del config.stash[_RECORDER]


# --------------------------------------------------------------------------- hooks' results


def _hook_workflows(config: pytest.Config) -> list[Workflow[Any, Any]]:
    from discipline_flow.workflow import Workflow

    found: list[Workflow[Any, Any]] = []
    for result in config.hook.pytest_discipline_flow_workflows(config=config):
        for item in result or ():
            if not isinstance(item, Workflow):
                raise pytest.UsageError(
                    f"pytest_discipline_flow_workflows must return workflows, got {item!r}"
                )
            found.append(item)
    return found


def _hook_providers(config: pytest.Config) -> PayloadProviders:
    from discipline_flow.testing.providers import PayloadProviders

    registry = PayloadProviders()
    # pluggy calls the innermost conftest first; merge outermost first so inner ones win.
    for result in reversed(config.hook.pytest_discipline_flow_payload_providers(config=config)):
        if result is None:
            continue
        if isinstance(result, PayloadProviders):
            registry = registry.merged(result)
        elif isinstance(result, Mapping):
            registry = registry.merged(PayloadProviders(result))
        else:
            raise pytest.UsageError(
                "pytest_discipline_flow_payload_providers must return PayloadProviders or a "
                f"mapping from workflow name to provider, got {result!r}"
            )
    return registry


def _registry(config: pytest.Config) -> WorkflowRegistry:
    from discipline_flow.serialization import WorkflowRegistry
    from discipline_flow.testing._shipped import shipped_registry

    registry = WorkflowRegistry(shipped_registry() or ())
    for workflow in _hook_workflows(config):
        registry.add(workflow)
    return registry


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def df_calendar() -> Calendar:
    """The calendar deadlines are counted with: the shared Vietnamese calendar."""
    from discipline_flow.time.calendar import default_calendar

    return default_calendar()


@pytest.fixture
def df_clock(request: pytest.FixtureRequest, df_calendar: Calendar) -> ScenarioClock:
    """A frozen clock at ``df_clock_start`` (or the test's ``df_clock`` marker), counting
    working days with the ``df_calendar`` fixture."""
    from discipline_flow.errors import InputError
    from discipline_flow.testing._expect import instant
    from discipline_flow.testing.clock import ScenarioClock

    marker = request.node.get_closest_marker("df_clock")
    if marker is not None:
        if len(marker.args) != 1:
            raise pytest.UsageError('use @pytest.mark.df_clock("2025-09-15T09:00:00+07:00")')
        text = marker.args[0]
    else:
        text = request.config.getini("df_clock_start")
    try:
        at = instant(text, "df_clock")
    except InputError as exc:
        raise pytest.UsageError(str(exc)) from None
    return ScenarioClock(at, calendar=df_calendar)


@pytest.fixture
def df_ruleset(df_clock: ScenarioClock) -> Ruleset:
    """The ruleset in force on the clock's date (``discipline_flow.rules.select_ruleset``)."""
    from discipline_flow.rules import select_ruleset

    return select_ruleset(df_clock.now().date())


@pytest.fixture
def df_payload_providers(pytestconfig: pytest.Config) -> PayloadProviders:
    """Payload providers from the ``pytest_discipline_flow_payload_providers`` hooks (the
    shipped workflows' own providers answer what they leave out); register more on it in a
    test, or override this fixture in a ``conftest.py``."""
    return _hook_providers(pytestconfig)


@pytest.fixture
def df_workflow_registry(pytestconfig: pytest.Config) -> WorkflowRegistry:
    """The shipped workflows and those of ``pytest_discipline_flow_workflows`` hooks."""
    return _registry(pytestconfig)


@pytest.fixture
def df_case_factory(
    df_clock: ScenarioClock,
    df_payload_providers: PayloadProviders,
    df_workflow_registry: WorkflowRegistry,
) -> CaseFactory:
    """Builds cases in any state at the clock's time by replaying legal steps; a workflow
    given by name is the version in force on that day."""
    from discipline_flow.testing.factory import CaseFactory

    return CaseFactory(
        clock=df_clock, providers=df_payload_providers, registry=df_workflow_registry
    )


@pytest.fixture
def df_scenario(
    request: pytest.FixtureRequest,
    df_clock: ScenarioClock,
    df_case_factory: CaseFactory,
    df_workflow_registry: WorkflowRegistry,
) -> Callable[..., Scenario[Any, Any]]:
    """``df_scenario(workflow, name=None, actor=None, providers=None)`` makes a scenario on
    the test's clock, named after the test unless ``name`` is given. ``workflow`` is a
    workflow, or a name: ``"member_discipline"`` (the version in force on the scenario's date)
    or ``"member_discipline@2022"``."""
    from discipline_flow.testing.scenario import Scenario

    def make(
        workflow: Workflow[Any, Any] | str,
        *,
        name: str | None = None,
        actor: Any = None,
        providers: PayloadProviders | None = None,
    ) -> Scenario[Any, Any]:
        return Scenario(
            workflow,
            name=name if name is not None else request.node.name,
            clock=df_clock,
            factory=df_case_factory,
            providers=providers,
            actor=actor,
            registry=df_workflow_registry,
        )

    return make


@pytest.fixture(params=["memory", "sqlite"])
def df_store(
    request: pytest.FixtureRequest, tmp_path: FilePath, df_workflow_registry: WorkflowRegistry
) -> Iterator[CaseStore]:
    """A case store: the test runs once with a memory store and once with an SQLite file."""
    from discipline_flow.store import open_store

    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'cases.db'}"
    opened = open_store(url, df_workflow_registry)
    try:
        yield opened
    finally:
        opened.close()


# --------------------------------------------------------------------------- scenario files


def pytest_collect_file(file_path: FilePath, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect ``*.scenario.toml`` files."""
    if file_path.name.endswith(SCENARIO_SUFFIX):
        collector: ScenarioFileCollector = ScenarioFileCollector.from_parent(parent, path=file_path)
        return collector
    return None


class ScenarioFileCollector(pytest.File):
    """A scenario file: one :class:`ScenarioItem` per ``[[scenario]]``."""

    def collect(self) -> Iterator[ScenarioItem]:
        """Read and check the file; a wrong name fails the collection with its location."""
        from discipline_flow.errors import ScenarioFileError
        from discipline_flow.testing.files import load_scenario_file

        try:
            loaded = load_scenario_file(self.path, registry=_registry(self.config))
        except ScenarioFileError as exc:
            raise self.CollectError(str(exc)) from None
        for spec in loaded.scenarios:
            yield ScenarioItem.from_parent(self, name=spec.name, spec=spec)


class ScenarioItem(pytest.Item):
    """One scenario of a scenario file; its ``user_properties`` say which workflow version it
    runs and why (``("workflow", "member_discipline@2022, in force on 2025-04-25, ruleset
    2022")``), and so does a failure."""

    def __init__(self, *, spec: ScenarioSpec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.user_properties.append(("workflow", spec.version))

    def runtest(self) -> None:
        """Run the scenario with the providers of the conftest hooks."""
        from discipline_flow.testing.coverage import note_workflow

        note_workflow(self.spec.workflow)
        self.spec.run(providers=_hook_providers(self.config))

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """A failed expectation prints its differences; other errors their traceback."""
        from discipline_flow.errors import CaseBuildError, ScenarioFailure

        if isinstance(excinfo.value, ScenarioFailure | CaseBuildError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[FilePath, int, str]:
        """Where the scenario is: the file, its name and the workflow version it runs."""
        return self.path, 0, f"scenario: {self.name} ({self.spec.version})"


# --------------------------------------------------------------------------- coverage report


def _counted(config: pytest.Config, problems: list[str]) -> tuple[list[Any], list[str]]:
    """The workflows to count beside those the tests touched, and the shipped keys."""
    from discipline_flow.testing._shipped import shipped_registry

    workflows: list[Workflow[Any, Any]] = []
    shipped: list[str] = []
    try:
        workflows.extend(_hook_workflows(config))
        registry = shipped_registry()
        if registry is not None:
            shipped = [workflow.key for workflow in registry]
            if config.getoption("--df-coverage-shipped") or config.getini("df_coverage_shipped"):
                workflows.extend(registry)
    except Exception as exc:  # report it with the coverage, and fail the run
        problems.append(f"the workflows to count could not be listed: {type(exc).__name__}: {exc}")
    return workflows, shipped


def _impossible(config: pytest.Config) -> list[ImpossibleRefusal]:
    """The shipped workflows' impossible refusals and those of the hooks."""
    from discipline_flow.impossible import ImpossibleRefusal
    from discipline_flow.testing._shipped import shipped_impossible_refusals

    found = list(shipped_impossible_refusals())
    for result in config.hook.pytest_discipline_flow_impossible_refusals(config=config):
        for item in result or ():
            if not isinstance(item, ImpossibleRefusal):
                raise pytest.UsageError(
                    "pytest_discipline_flow_impossible_refusals must return ImpossibleRefusal "
                    f"values, got {item!r}"
                )
            found.append(item)
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Build the coverage report, write its JSON and apply ``--df-coverage-fail-under``."""
    config = session.config
    state = config.stash.get(_RECORDER, None)
    if state is None:
        return
    recorder, _ = state
    problems: list[str] = []
    config.stash[_PROBLEMS] = problems
    workflows, shipped = _counted(config, problems)
    report = recorder.report(workflows, shipped=shipped, impossible=_impossible(config))
    config.stash[_REPORT] = report
    json_path = config.getoption("--df-coverage-json")
    if json_path:
        target = FilePath(json_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    shipped_only = config.getoption("--df-coverage-shipped-only")
    for option, (total, shipped_total, scope) in _THRESHOLDS.items():
        fail_under = config.getoption(option)
        if fail_under is None:
            continue
        measured = getattr(report, shipped_total if shipped_only else total)
        where = " of the shipped workflows" if shipped_only else ""
        if measured.percent < fail_under:
            problems.append(
                f"{scope}{where} {measured.percent:.2f}% is below {option}={fail_under:g}"
            )
    if problems and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Print the coverage report."""
    report = config.stash.get(_REPORT, None)
    if report is None:
        return
    terminalreporter.write_sep("-", "discipline_flow coverage")
    terminalreporter.write_line(report.text())
    json_path = config.getoption("--df-coverage-json")
    if json_path:
        terminalreporter.write_line(f"coverage JSON written to {json_path}")
    for problem in config.stash.get(_PROBLEMS, []):
        terminalreporter.write_line(f"FAIL: {problem}", red=True, bold=True)
