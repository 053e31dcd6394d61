"""discipline_flow: party disciplinary cases as typed state machines with legal deadline rules."""

from discipline_flow._version import __version__
from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation, Subject
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.clock import DEFAULT_TIMEZONE, Clock, FrozenClock, SystemClock
from discipline_flow.time import Period, Unit

__all__ = [
    "DEFAULT_TIMEZONE",
    "Body",
    "BodyKind",
    "Citation",
    "Clock",
    "FrozenClock",
    "Level",
    "Member",
    "Organisation",
    "Period",
    "RuleStatus",
    "Subject",
    "SystemClock",
    "Unit",
    "__version__",
]
