"""Limitation periods for party discipline (*thời hiệu xử lý kỷ luật*, QĐ 69-QĐ/TW art. 4).

After the limitation period a violating organisation or member is no longer disciplined. The
period is counted from the violation (from its end when the violation continued) to the day the
competent body concludes that the violation warrants discipline:

* 5 years for reprimand-level violations (members and organisations);
* 10 years for warning-level violations (organisations) and warning- or removal-level
  violations (members);
* no limit for violations warranting expulsion (members) or dissolution (organisations), and
  for the exempt categories: internal politics; defence, security or foreign affairs harming the
  national interest; use of illegal diplomas or certificates (members).

A new violation within the period restarts it from the new violation. Time during which
discipline could not be considered (pregnancy, maternity leave, raising a child under 12 months,
serious illness) is not counted: it moves the expiry later by its length in days.

Counting follows the Civil Code by analogy (the violation day is not counted; years from the
start, 29 February + 1 year = 28 February) without roll-forward: a limitation period is a
bar, not an act to be done on a working day (a policy choice; pass ``convention`` to change it).

>>> from datetime import date
>>> r = check_limitation("warning", "member", violation_on=date(2015, 3, 10),
...                      on=date(2025, 3, 11))
>>> r.time_barred, r.expires_on
(True, datetime.date(2025, 3, 10))
>>> check_limitation("expulsion", "member", violation_on=date(2001, 1, 1),
...                  on=date(2025, 1, 1)).expires_on is None
True
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable
from typing import TypeVar

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.measure import Measure
from discipline_flow.time._dates import as_date
from discipline_flow.time._schedule import count_period
from discipline_flow.time.calendar import Calendar, default_calendar
from discipline_flow.time.convention import CIVIL_CODE, CountingConvention
from discipline_flow.time.explain import Explanation, TraceItem, TraceKind
from discipline_flow.time.period import Period, Unit

__all__ = [
    "LIMITATION_CONVENTION",
    "QD69_ART4",
    "Deferral",
    "ExemptCategory",
    "LimitationPeriods",
    "LimitationResult",
    "SubjectKind",
    "check_level",
    "check_limitation",
    "level_of",
    "subject_of",
]

#: The legal basis of the limitation periods.
QD69_ART4 = Citation(
    "QĐ 69-QĐ/TW",
    "Điều 4",
    RuleStatus.VERIFIED,
    source="P-lawnet-113735, P-vinhcity",
    note="restart on a new violation: P-lawnet-113735, P-congan-ht-35; deferral not counted: "
    "P-tuphap-ht (old rule, excerpt truncated)",
)

_FIVE_YEARS = Period(5, Unit.YEARS)
_TEN_YEARS = Period(10, Unit.YEARS)

#: Civil Code counting without roll-forward (the default for limitation periods).
LIMITATION_CONVENTION = CIVIL_CODE.but(roll_forward=False)


class SubjectKind(enum.Enum):
    """Who committed the violation."""

    MEMBER = "member"
    ORGANISATION = "organisation"


class ExemptCategory(enum.Enum):
    """Violations to which no limitation period applies whatever their level (art. 4 cl. 2)."""

    INTERNAL_POLITICS = "internal_politics"
    DEFENCE_SECURITY_FOREIGN_AFFAIRS = "defence_security_foreign_affairs"
    #: Members only.
    ILLEGAL_DIPLOMAS = "illegal_diplomas"


_LEVELS = {
    SubjectKind.MEMBER: (
        Measure.REPRIMAND,
        Measure.WARNING,
        Measure.REMOVAL_FROM_POST,
        Measure.EXPULSION,
    ),
    SubjectKind.ORGANISATION: (
        Measure.REPRIMAND,
        Measure.WARNING,
        Measure.DISSOLUTION,
    ),
}


_E = TypeVar("_E", bound=enum.Enum)


def _enum(kind: type[_E], value: object, argument: str) -> _E:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise InputError(argument, f"{value!r} is not one of: {allowed}") from None


#: The spelling of removal from post older releases took as a level.
_MEASURE_ALIASES = {"removal": Measure.REMOVAL_FROM_POST}


def level_of(value: Measure | enum.Enum | str) -> Measure:
    """The :class:`~discipline_flow.rules.Measure` a violation warrants, from itself, its value
    (or ``removal``, the older spelling of removal from post), or a member of another enum with
    the same values.

    >>> level_of("removal_from_post"), level_of("removal")
    (<Measure.REMOVAL_FROM_POST: 'removal_from_post'>, <Measure.REMOVAL_FROM_POST: 'removal_from_post'>)
    """
    if isinstance(value, Measure):
        return value
    raw = value.value if isinstance(value, enum.Enum) else value
    if isinstance(raw, str) and raw in _MEASURE_ALIASES:
        return _MEASURE_ALIASES[raw]
    return _enum(Measure, raw, "level")


def subject_of(value: SubjectKind | str) -> SubjectKind:
    """A :class:`SubjectKind` from itself or its value (``"member"``)."""
    return _enum(SubjectKind, value, "subject")


def check_level(level: Measure, subject: SubjectKind) -> None:
    """Refuse a level that does not exist for the subject (a member cannot be dissolved)."""
    if level not in _LEVELS[subject]:
        allowed = ", ".join(lv.value for lv in _LEVELS[subject])
        article = "an" if subject is SubjectKind.ORGANISATION else "a"
        raise InputError(
            "level", f"{level.value} does not apply to {article} {subject.value}; {allowed}"
        )


def _start_on(value: _dt.date) -> _dt.date:
    return as_date(value, "start_on")


def _end_on(value: _dt.date) -> _dt.date:
    return as_date(value, "end_on")


@attrs.frozen
class Deferral:
    """A span (both days included) during which discipline could not be considered.

    QĐ 22/296 art. 9(7)/8(7): pregnancy, maternity leave, raising a child under 12 months,
    serious illness in hospital.
    """

    start_on: _dt.date = attrs.field(converter=_start_on)
    end_on: _dt.date = attrs.field(converter=_end_on)
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end_on < self.start_on:
            raise InputError(
                "deferral",
                f"ends {self.end_on.isoformat()} before it starts {self.start_on.isoformat()}",
            )


@attrs.frozen
class LimitationPeriods:
    """The limitation periods by level; defaults from QĐ 69-QĐ/TW art. 4 (override any)."""

    reprimand: Period = _FIVE_YEARS
    warning: Period = _TEN_YEARS
    removal: Period = _TEN_YEARS
    citation: Citation = QD69_ART4

    def __attrs_post_init__(self) -> None:
        for name in ("reprimand", "warning", "removal"):
            period = getattr(self, name)
            if not isinstance(period, Period) or period.amount < 0:
                raise InputError(name, "expected a period of zero or more")
            if period.unit in (Unit.HOURS, Unit.WORKING_DAYS):
                raise InputError(name, "limitation periods are in days, weeks, months or years")

    def for_level(self, level: Measure) -> Period | None:
        """The period for ``level``; None where there is no limitation."""
        if level is Measure.REPRIMAND:
            return self.reprimand
        if level is Measure.WARNING:
            return self.warning
        if level is Measure.REMOVAL_FROM_POST:
            return self.removal
        return None


@attrs.frozen
class LimitationResult:
    """Whether a violation is time-barred on a date, and why."""

    time_barred: bool
    expires_on: _dt.date | None
    reason: str
    citation: Citation
    trace: tuple[TraceItem, ...]

    def explain(self) -> Explanation:
        """The reasoning, item by item."""
        return Explanation(self.trace)


def _merge(deferrals: Iterable[Deferral]) -> list[tuple[int, int, str]]:
    spans = sorted((d.start_on.toordinal(), d.end_on.toordinal(), d.reason) for d in deferrals)
    merged: list[tuple[int, int, str]] = []
    for a, b, why in spans:
        if merged and a <= merged[-1][1] + 1:
            pa, pb, pwhy = merged[-1]
            reasons = pwhy if not why or why == pwhy else f"{pwhy}; {why}" if pwhy else why
            merged[-1] = (pa, max(pb, b), reasons)
        else:
            merged.append((a, b, why))
    return merged


def _expiry(
    base: _dt.date,
    period: Period,
    spans: list[tuple[int, int, str]],
    convention: CountingConvention,
    calendar: Calendar | None,
) -> tuple[_dt.date, list[TraceItem]]:
    """The last day of the period from ``base``, moved later by the deferral days inside it."""
    last, _ = count_period(base, period.amount, period.unit, convention, calendar)
    end = last.toordinal()
    first_counted = base.toordinal() + (1 if convention.exclude_start_day else 0)
    items: list[TraceItem] = []
    for a, b, why in spans:
        start = max(a, first_counted)
        if b < first_counted or start > end:
            items.append(
                TraceItem(
                    TraceKind.DEFERRAL,
                    on=_dt.date.fromordinal(a),
                    until_on=_dt.date.fromordinal(b),
                    count=0,
                    note=why,
                )
            )
            continue
        days = b - start + 1
        end += days
        items.append(
            TraceItem(
                TraceKind.DEFERRAL,
                on=_dt.date.fromordinal(a),
                until_on=_dt.date.fromordinal(b),
                count=days,
                note=why,
            )
        )
    expiry = _dt.date.fromordinal(end)
    if convention.roll_forward:
        cal = calendar if calendar is not None else default_calendar()
        if not cal.is_working_day(expiry):
            expiry = cal.add_working_days(expiry, 1)
    return expiry, items


def check_limitation(
    level: Measure | enum.Enum | str,
    subject: SubjectKind | str,
    *,
    violation_on: _dt.date,
    on: _dt.date,
    violation_ended_on: _dt.date | None = None,
    new_violations_on: Iterable[_dt.date] = (),
    deferrals: Iterable[Deferral] = (),
    category: ExemptCategory | str | None = None,
    periods: LimitationPeriods | None = None,
    convention: CountingConvention = LIMITATION_CONVENTION,
    calendar: Calendar | None = None,
) -> LimitationResult:
    """Is a violation time-barred on ``on`` (the day the competent body concludes), and why?

    ``violation_ended_on`` is the end of a continuing violation; ``new_violations_on`` the days
    of later violations (each restarts the period if it falls within it; those after ``on`` are
    not known on ``on`` and are ignored); ``deferrals`` spans not counted. The result is not
    time-barred on the expiry day itself: the period ends at 24:00 of ``expires_on``.

    >>> from datetime import date
    >>> r = check_limitation("reprimand", "organisation", violation_on=date(2018, 6, 1),
    ...                      new_violations_on=[date(2022, 1, 15)], on=date(2024, 6, 1))
    >>> r.time_barred, r.expires_on
    (False, datetime.date(2027, 1, 15))
    """
    lvl = level_of(level)
    who = subject_of(subject)
    check_level(lvl, who)
    violation_on = as_date(violation_on, "violation_on")
    on = as_date(on, "on")
    if violation_ended_on is not None:
        violation_ended_on = as_date(violation_ended_on, "violation_ended_on")
        if violation_ended_on < violation_on:
            raise InputError("violation_ended_on", "a violation cannot end before it starts")
    if on < violation_on:
        raise InputError("on", f"{on.isoformat()} is before the violation")
    news = sorted(as_date(d, "new_violations_on") for d in new_violations_on)
    for day in news:
        if day < violation_on:
            raise InputError(
                "new_violations_on", f"{day.isoformat()} is before the violation it would restart"
            )
    spans = _merge(deferrals)
    periods = periods if periods is not None else LimitationPeriods()
    citation = periods.citation
    exempt: ExemptCategory | None = None
    if category is not None:
        exempt = _enum(ExemptCategory, category, "category")
        if exempt is ExemptCategory.ILLEGAL_DIPLOMAS and who is SubjectKind.ORGANISATION:
            raise InputError("category", "illegal diplomas is a category for members only")
    trace: list[TraceItem] = [
        TraceItem(TraceKind.VIOLATION, on=violation_on, until_on=violation_ended_on)
    ]
    period = periods.for_level(lvl)
    if exempt is not None or period is None:
        trace.append(
            TraceItem(
                TraceKind.NO_LIMITATION,
                citation=citation,
                name=lvl.value,
                note=exempt.value if exempt is not None else "",
            )
        )
        trace.append(TraceItem(TraceKind.NOT_TIME_BARRED, on=on))
        what = (
            exempt.value.replace("_", " ")
            if exempt is not None
            else f"violations warranting {lvl.label_en}"
        )
        return LimitationResult(
            False,
            None,
            f"no limitation period applies to {what} ({citation.reference})",
            citation,
            tuple(trace),
        )
    trace.insert(
        0,
        TraceItem(
            TraceKind.LIMITATION_RULE,
            period=period,
            citation=citation,
            name=lvl.value,
            note=who.value,
        ),
    )
    base = violation_ended_on or violation_on
    expiry, deferral_items = _expiry(base, period, spans, convention, calendar)
    restarts: list[_dt.date] = []
    for day in news:
        if day > on or day <= base:
            continue
        if day <= expiry:
            base = day
            restarts.append(day)
            trace.append(TraceItem(TraceKind.RESTART, on=day))
            expiry, deferral_items = _expiry(base, period, spans, convention, calendar)
        else:
            trace.append(TraceItem(TraceKind.NO_RESTART, on=day))
    trace.extend(deferral_items)
    trace.append(TraceItem(TraceKind.EXPIRES, on=expiry))
    barred = on > expiry
    trace.append(TraceItem(TraceKind.TIME_BARRED if barred else TraceKind.NOT_TIME_BARRED, on=on))
    counted = f"counted from {base.isoformat()}"
    if restarts:
        counted += f" (restarted by the new violation on {restarts[-1].isoformat()})"
    deferred = sum(i.count or 0 for i in deferral_items)
    if deferred:
        counted += f", plus {deferred} days of deferral not counted"
    verdict = "time-barred" if barred else "not time-barred"
    reason = (
        f"the limitation period of {period} for a {lvl.label_en}-level violation by a party "
        f"{who.value}, {counted}, ends on {expiry.isoformat()}; on {on.isoformat()} it is "
        f"{verdict} ({citation.reference})"
    )
    return LimitationResult(barred, expiry, reason, citation, tuple(trace))
