"""The rule-testing toolkit: fixtures, scenarios, scenario files, coverage and generated paths.

Use it from pytest through the plugin (loaded automatically when discipline_flow is installed:
fixtures ``clock``, ``calendar``, ``ruleset``, ``payload_providers``, ``case_factory``,
``scenario``, ``store``; ``*.scenario.toml`` files collected; ``--df-coverage``), or directly:

>>> from discipline_flow.testing import Scenario, shortest_paths, CaseFactory
>>> Scenario.__name__, shortest_paths.__name__, CaseFactory.__name__
('Scenario', 'shortest_paths', 'CaseFactory')

See ``docs/how-to/write-rule-tests.md``.
"""

from discipline_flow.testing.clock import ScenarioClock
from discipline_flow.testing.coverage import CoverageRecorder
from discipline_flow.testing.factory import DEFAULT_SUBJECT, CaseFactory
from discipline_flow.testing.files import (
    ScenarioFile,
    ScenarioOutcome,
    ScenarioSpec,
    check_paths,
    load_scenario_file,
)
from discipline_flow.testing.paths import (
    Path,
    PathKind,
    PathStep,
    covering_paths,
    df_paths,
    paths_parameters,
    paths_to,
    shortest_paths,
    simple_paths,
)
from discipline_flow.testing.providers import (
    DEFAULT_ACTOR,
    MoveInput,
    PayloadProvider,
    PayloadProviders,
    ProviderLike,
    StepInput,
)
from discipline_flow.testing.report import (
    CoverageReport,
    GuardCount,
    Ratio,
    RuleCount,
    TransitionCount,
    WorkflowCoverage,
)
from discipline_flow.testing.scenario import SWEEP_ACTOR, Scenario
from discipline_flow.testing.walk import WalkFailure, WalkReport, walk_transitions

__all__ = [
    "DEFAULT_ACTOR",
    "DEFAULT_SUBJECT",
    "SWEEP_ACTOR",
    "CaseFactory",
    "CoverageRecorder",
    "CoverageReport",
    "GuardCount",
    "MoveInput",
    "Path",
    "PathKind",
    "PathStep",
    "PayloadProvider",
    "PayloadProviders",
    "ProviderLike",
    "Ratio",
    "RuleCount",
    "Scenario",
    "ScenarioClock",
    "ScenarioFile",
    "ScenarioOutcome",
    "ScenarioSpec",
    "StepInput",
    "TransitionCount",
    "WalkFailure",
    "WalkReport",
    "WorkflowCoverage",
    "check_paths",
    "covering_paths",
    "df_paths",
    "load_scenario_file",
    "paths_parameters",
    "paths_to",
    "shortest_paths",
    "simple_paths",
    "walk_transitions",
]
