"""The rule-testing toolkit: fixtures, scenarios, scenario files, coverage and generated paths.

Use it from pytest through the plugin (loaded automatically when discipline_flow is installed:
fixtures ``df_clock``, ``df_calendar``, ``df_ruleset``, ``df_payload_providers``,
``df_case_factory``, ``df_scenario``, ``df_workflow_registry``, ``df_store``;
``*.scenario.toml`` files collected; ``--df-coverage``), or directly:

>>> from discipline_flow.testing import Scenario, shortest_paths, CaseFactory
>>> Scenario.__name__, shortest_paths.__name__, CaseFactory.__name__
('Scenario', 'shortest_paths', 'CaseFactory')

See ``docs/how-to/write-rule-tests.md``.
"""

import importlib
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from discipline_flow.impossible import ImpossibleRefusal
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
        Opening,
        OpeningProvider,
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
    "ImpossibleRefusal",
    "MoveInput",
    "Opening",
    "OpeningProvider",
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

#: Where each name of ``__all__`` is defined; imported when first used (PEP 562), so that the
#: pytest plugin, which lives in this package, loads without the toolkit.
_EXPORTS = types.MappingProxyType(
    {
        "CaseFactory": "discipline_flow.testing.factory",
        "CoverageRecorder": "discipline_flow.testing.coverage",
        "CoverageReport": "discipline_flow.testing.report",
        "DEFAULT_ACTOR": "discipline_flow.testing.providers",
        "DEFAULT_SUBJECT": "discipline_flow.testing.factory",
        "GuardCount": "discipline_flow.testing.report",
        "ImpossibleRefusal": "discipline_flow.impossible",
        "MoveInput": "discipline_flow.testing.providers",
        "Opening": "discipline_flow.testing.providers",
        "OpeningProvider": "discipline_flow.testing.providers",
        "Path": "discipline_flow.testing.paths",
        "PathKind": "discipline_flow.testing.paths",
        "PathStep": "discipline_flow.testing.paths",
        "PayloadProvider": "discipline_flow.testing.providers",
        "PayloadProviders": "discipline_flow.testing.providers",
        "ProviderLike": "discipline_flow.testing.providers",
        "Ratio": "discipline_flow.testing.report",
        "RuleCount": "discipline_flow.testing.report",
        "SWEEP_ACTOR": "discipline_flow.testing.scenario",
        "Scenario": "discipline_flow.testing.scenario",
        "ScenarioClock": "discipline_flow.testing.clock",
        "ScenarioFile": "discipline_flow.testing.files",
        "ScenarioOutcome": "discipline_flow.testing.files",
        "ScenarioSpec": "discipline_flow.testing.files",
        "StepInput": "discipline_flow.testing.providers",
        "TransitionCount": "discipline_flow.testing.report",
        "WalkFailure": "discipline_flow.testing.walk",
        "WalkReport": "discipline_flow.testing.walk",
        "WorkflowCoverage": "discipline_flow.testing.report",
        "check_paths": "discipline_flow.testing.files",
        "covering_paths": "discipline_flow.testing.paths",
        "df_paths": "discipline_flow.testing.paths",
        "load_scenario_file": "discipline_flow.testing.files",
        "paths_parameters": "discipline_flow.testing.paths",
        "paths_to": "discipline_flow.testing.paths",
        "shortest_paths": "discipline_flow.testing.paths",
        "simple_paths": "discipline_flow.testing.paths",
        "walk_transitions": "discipline_flow.testing.walk",
    }
)


if not TYPE_CHECKING:  # type checkers see the imports above

    def __getattr__(name: str) -> Any:
        """Import a public name of the toolkit when first used."""
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'discipline_flow.testing' has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
