"""discipline_flow: party disciplinary cases as typed state machines with legal deadline rules."""

from discipline_flow._version import __version__
from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation, Subject
from discipline_flow.case import (
    Case,
    Origin,
    RecalculatedDeadline,
    Step,
    StepKind,
    normalize_payload,
)
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.clock import DEFAULT_TIMEZONE, Clock, FrozenClock, SystemClock
from discipline_flow.serialization import WorkflowRegistry, case_from_dict, case_to_dict
from discipline_flow.time import Period, Unit
from discipline_flow.workflow import (
    Effect,
    EffectContext,
    Guard,
    GuardContext,
    Label,
    Transition,
    Workflow,
)

__all__ = [
    "DEFAULT_TIMEZONE",
    "Body",
    "BodyKind",
    "Case",
    "Citation",
    "Clock",
    "Effect",
    "EffectContext",
    "FrozenClock",
    "Guard",
    "GuardContext",
    "Label",
    "Level",
    "Member",
    "Organisation",
    "Origin",
    "Period",
    "RecalculatedDeadline",
    "RuleStatus",
    "Step",
    "StepKind",
    "Subject",
    "SystemClock",
    "Transition",
    "Unit",
    "Workflow",
    "WorkflowRegistry",
    "__version__",
    "case_from_dict",
    "case_to_dict",
    "normalize_payload",
]
