"""Legal time: periods, the Vietnamese working-day calendar, deadlines and limitation periods.

>>> from datetime import date
>>> from discipline_flow.time import compute_due
>>> compute_due(date(2026, 1, 17), "30 days").due_on  # 16/2/2026 falls in the Tết break
datetime.date(2026, 2, 23)
"""

from discipline_flow.time.calendar import (
    Calendar,
    CalendarEntry,
    DayKind,
    DayReason,
    OfficialTable,
    VietnamCalendar,
    default_calendar,
)
from discipline_flow.time.convention import CIVIL_CODE, CIVIL_CODE_CITATION, CountingConvention
from discipline_flow.time.deadline import Deadline, DeadlineStatus, Extension, Pause
from discipline_flow.time.due import PeriodEnd, compute_due
from discipline_flow.time.effect import EffectEnd, effect_ends_on
from discipline_flow.time.explain import Explanation, TraceItem, TraceKind
from discipline_flow.time.limitation import (
    Deferral,
    ExemptCategory,
    LimitationPeriods,
    LimitationResult,
    SubjectKind,
    check_limitation,
)
from discipline_flow.time.period import Period, Unit
from discipline_flow.time.rule import NO_CITATION, DeadlineRule, ExtensionPolicy

__all__ = [
    "CIVIL_CODE",
    "CIVIL_CODE_CITATION",
    "NO_CITATION",
    "Calendar",
    "CalendarEntry",
    "CountingConvention",
    "DayKind",
    "DayReason",
    "Deadline",
    "DeadlineRule",
    "DeadlineStatus",
    "Deferral",
    "EffectEnd",
    "ExemptCategory",
    "Explanation",
    "Extension",
    "ExtensionPolicy",
    "LimitationPeriods",
    "LimitationResult",
    "OfficialTable",
    "Pause",
    "Period",
    "PeriodEnd",
    "SubjectKind",
    "TraceItem",
    "TraceKind",
    "Unit",
    "VietnamCalendar",
    "check_limitation",
    "compute_due",
    "default_calendar",
    "effect_ends_on",
]
