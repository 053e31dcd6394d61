"""discipline_flow: party disciplinary cases as typed state machines with legal deadline rules.

The names here are what embedding a workflow needs; families a user browses live in their own
namespaces: :mod:`discipline_flow.time` (calendars, periods, deadlines, limitation, explanations),
:mod:`discipline_flow.rules` (rulesets, the authority matrix, voting), :mod:`discipline_flow.store`,
:mod:`discipline_flow.processes` (the shipped workflows and their guards),
:mod:`discipline_flow.testing`, :mod:`discipline_flow.diagrams` and :mod:`discipline_flow.errors`.
"""

from __future__ import annotations

import importlib
import types
from typing import TYPE_CHECKING, Any

from discipline_flow._version import __version__

if TYPE_CHECKING:
    from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation, Subject
    from discipline_flow.case import Case
    from discipline_flow.citation import Citation, RuleStatus
    from discipline_flow.clock import Clock, FrozenClock, SystemClock
    from discipline_flow.definition import (
        Action,
        ActionContext,
        Guard,
        GuardContext,
        Label,
        Transition,
    )
    from discipline_flow.errors import DisciplineFlowError, TransitionRefused
    from discipline_flow.history import Origin, Step, StepKind
    from discipline_flow.measure import Measure
    from discipline_flow.rules import Ruleset, select_ruleset
    from discipline_flow.store import CaseStore, open_store
    from discipline_flow.time import (
        Calendar,
        Deadline,
        DeadlineRule,
        DeadlineStatus,
        ExtensionPolicy,
        Period,
        Unit,
        VietnamCalendar,
    )
    from discipline_flow.workflow import Workflow

__all__ = [
    "Action",
    "ActionContext",
    "Body",
    "BodyKind",
    "Calendar",
    "Case",
    "CaseStore",
    "Citation",
    "Clock",
    "Deadline",
    "DeadlineRule",
    "DeadlineStatus",
    "DisciplineFlowError",
    "ExtensionPolicy",
    "FrozenClock",
    "Guard",
    "GuardContext",
    "Label",
    "Level",
    "Measure",
    "Member",
    "Organisation",
    "Origin",
    "Period",
    "RuleStatus",
    "Ruleset",
    "Step",
    "StepKind",
    "Subject",
    "SystemClock",
    "Transition",
    "TransitionRefused",
    "Unit",
    "VietnamCalendar",
    "Workflow",
    "__version__",
    "open_store",
    "select_ruleset",
]

#: Where each name of ``__all__`` is defined. The names are imported when first used (PEP 562),
#: so ``import discipline_flow`` stays cheap (a test suite that never uses the pytest plugin does
#: not pay for the library: see docs/performance.md).
_EXPORTS = types.MappingProxyType(
    {
        **dict.fromkeys(
            ("Body", "BodyKind", "Level", "Member", "Organisation", "Subject"),
            "discipline_flow.actors",
        ),
        "Case": "discipline_flow.case",
        **dict.fromkeys(("Citation", "RuleStatus"), "discipline_flow.citation"),
        **dict.fromkeys(("Clock", "FrozenClock", "SystemClock"), "discipline_flow.clock"),
        **dict.fromkeys(
            ("Action", "ActionContext", "Guard", "GuardContext", "Label", "Transition"),
            "discipline_flow.definition",
        ),
        **dict.fromkeys(("DisciplineFlowError", "TransitionRefused"), "discipline_flow.errors"),
        **dict.fromkeys(("Origin", "Step", "StepKind"), "discipline_flow.history"),
        "Measure": "discipline_flow.measure",
        **dict.fromkeys(("Ruleset", "select_ruleset"), "discipline_flow.rules"),
        **dict.fromkeys(("CaseStore", "open_store"), "discipline_flow.store"),
        **dict.fromkeys(
            (
                "Calendar",
                "Deadline",
                "DeadlineRule",
                "DeadlineStatus",
                "ExtensionPolicy",
                "Period",
                "Unit",
                "VietnamCalendar",
            ),
            "discipline_flow.time",
        ),
        "Workflow": "discipline_flow.workflow",
    }
)

#: The sub-packages a user browses, imported when first reached as ``discipline_flow.<name>``.
_NAMESPACES = frozenset(
    {
        "diagrams",
        "errors",
        "observe",
        "processes",
        "reports",
        "rules",
        "serialization",
        "store",
        "testing",
        "time",
    }
)

#: Names the top level exported before 0.2, and where they live now.
_MOVED = {
    **dict.fromkeys(
        (
            "CIVIL_CODE",
            "CalendarEntry",
            "CountingConvention",
            "DayKind",
            "DayReason",
            "Deferral",
            "EffectEnd",
            "ExemptCategory",
            "Explanation",
            "Extension",
            "LimitationResult",
            "OfficialTable",
            "Pause",
            "PeriodEnd",
            "SubjectKind",
            "TraceItem",
            "check_limitation",
            "compute_due",
            "default_calendar",
            "effect_ends_on",
        ),
        "discipline_flow.time",
    ),
    **dict.fromkeys(
        (
            "SELECTION_DATE",
            "AuthorityDecision",
            "ProcessKind",
            "RulesetRegistry",
            "RulesetRule",
            "SelectionDate",
            "VoteFailure",
            "VoteStage",
            "VoteTally",
            "check_authority",
            "check_vote",
            "default_registry",
        ),
        "discipline_flow.rules",
    ),
    **dict.fromkeys(
        ("WorkflowRegistry", "case_from_dict", "case_to_dict"), "discipline_flow.serialization"
    ),
    **dict.fromkeys(("MemoryStore", "SqliteStore"), "discipline_flow.store"),
    "DEFAULT_TIMEZONE": "discipline_flow.clock",
    "RecalculatedDeadline": "discipline_flow.case",
    "normalize_payload": "discipline_flow.payload",
    "Rule": "discipline_flow.rules (renamed RulesetRule)",
    "DueDate": "discipline_flow.time (renamed PeriodEnd)",
    "ViolationLevel": "discipline_flow.measure (use Measure)",
    "Effect": "discipline_flow (renamed Action)",
    "EffectContext": "discipline_flow (renamed ActionContext)",
}


if not TYPE_CHECKING:  # type checkers see the imports above; a moved name is reported missing

    def __getattr__(name: str) -> Any:
        """Import a public name when first used; say where a moved name went."""
        module = _EXPORTS.get(name)
        if module is not None:
            return getattr(importlib.import_module(module), name)
        if name in _NAMESPACES:
            return importlib.import_module(f"discipline_flow.{name}")
        where = _MOVED.get(name)
        if where is None:
            raise AttributeError(f"module 'discipline_flow' has no attribute {name!r}")
        raise AttributeError(
            f"discipline_flow.{name} is no longer at the top level: import it from {where} "
            f"(see CHANGELOG.md, 0.2.0)"
        )


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_NAMESPACES})
