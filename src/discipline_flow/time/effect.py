"""When a disciplinary decision stops having effect (QĐ 69-QĐ/TW art. 2 cl. 5).

Twelve months after the announcement of the disciplinary decision, or of the decision resolving
a complaint against it, the decision automatically ends its effect (*đương nhiên chấm dứt hiệu
lực*) if there has been no complaint, no repeat and no new violation warranting discipline. It
never ends for expulsion (members) or dissolution (organisations).

Reading of the conditions (an interpretation, ``rules-reference.md`` §2(i)):

* while a complaint is pending the decision stays in force (Party Charter art. 39(9)) and no end
  date can be given yet; once the ruling is announced, the 12 months run from that announcement;
* a repeat or new violation warranting discipline from the announcement to the end of the 12
  months means the decision does not end automatically;
* the 12 months are counted like a Civil Code period (the announcement day not counted, months
  from the start date, clamped to the month end) with no roll-forward: ``ends_on`` is the last
  day in effect and the decision stops having effect at 24:00 that day.

>>> from datetime import date
>>> effect_ends_on("warning", announced_on=date(2025, 3, 15)).ends_on
datetime.date(2026, 3, 15)
>>> effect_ends_on("expulsion", announced_on=date(2025, 3, 15)).ends_on is None
True
"""

from __future__ import annotations

import datetime as _dt
import enum

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.measure import Measure
from discipline_flow.time._dates import add_months, as_date
from discipline_flow.time.explain import Explanation, TraceItem, TraceKind
from discipline_flow.time.limitation import level_of
from discipline_flow.time.period import Period, Unit

__all__ = ["QD69_ART2_CL5", "TWELVE_MONTHS", "EffectEnd", "effect_ends_on"]

#: The legal basis of the automatic end of effect.
QD69_ART2_CL5 = Citation(
    "QĐ 69-QĐ/TW",
    "Điều 2 khoản 5",
    RuleStatus.VERIFIED,
    source="P-tvpl-49232",
    note="the effect of a pending complaint is an interpretation (Charter art. 39(9))",
)


#: The default period after which a decision ends its effect.
TWELVE_MONTHS = Period(12, Unit.MONTHS)


@attrs.frozen
class EffectEnd:
    """When a decision stops having effect (``ends_on``, the last day in effect), and why.

    ``ends_on`` is None when the decision never ends automatically (expulsion, dissolution, a
    new violation) or cannot end yet (a complaint is pending).
    """

    ends_on: _dt.date | None
    reason: str
    citation: Citation
    trace: tuple[TraceItem, ...]

    def is_in_effect(self, on: _dt.date) -> bool:
        """Whether the decision is still in effect on ``on`` (a day on or after announcement)."""
        on = as_date(on, "on")
        return self.ends_on is None or on <= self.ends_on

    def explain(self) -> Explanation:
        """The reasoning, item by item."""
        return Explanation(self.trace)


def effect_ends_on(
    measure: Measure | enum.Enum | str,
    *,
    announced_on: _dt.date,
    complaint_filed_on: _dt.date | None = None,
    complaint_ruling_on: _dt.date | None = None,
    new_violation_on: _dt.date | None = None,
    period: Period = TWELVE_MONTHS,
) -> EffectEnd:
    """The last day a decision of ``measure`` announced on ``announced_on`` is in effect.

    ``complaint_ruling_on`` is the announcement of the decision resolving a complaint;
    ``complaint_filed_on`` alone means a complaint is pending; ``new_violation_on`` is a repeat
    or a new violation warranting discipline.

    >>> from datetime import date
    >>> effect_ends_on("reprimand", announced_on=date(2025, 3, 15),
    ...                complaint_filed_on=date(2025, 4, 1),
    ...                complaint_ruling_on=date(2025, 8, 31)).ends_on
    datetime.date(2026, 8, 31)
    """
    level = level_of(measure)
    announced_on = as_date(announced_on, "announced_on")
    if not isinstance(period, Period) or period.unit not in (Unit.MONTHS, Unit.YEARS):
        raise InputError("period", "expected a period in months or years, like 12 months")
    if period.amount < 0:
        raise InputError("period", "expected a period of zero or more")
    citation = QD69_ART2_CL5
    trace: list[TraceItem] = [TraceItem(TraceKind.ANNOUNCED, on=announced_on)]
    if level in (Measure.EXPULSION, Measure.DISSOLUTION):
        trace.append(TraceItem(TraceKind.NEVER_ENDS, citation=citation, name=level.value))
        return EffectEnd(
            None,
            f"a decision of {level.label_en} never ends automatically ({citation.reference})",
            citation,
            tuple(trace),
        )
    base = announced_on
    if complaint_filed_on is not None:
        complaint_filed_on = as_date(complaint_filed_on, "complaint_filed_on")
        if complaint_filed_on < announced_on:
            raise InputError("complaint_filed_on", "a complaint comes after the announcement")
    if complaint_ruling_on is not None:
        complaint_ruling_on = as_date(complaint_ruling_on, "complaint_ruling_on")
        if complaint_ruling_on < (complaint_filed_on or announced_on):
            raise InputError(
                "complaint_ruling_on", "a ruling comes after the complaint and the announcement"
            )
        base = complaint_ruling_on
        trace.append(TraceItem(TraceKind.COMPLAINT_RULING, on=complaint_ruling_on))
    elif complaint_filed_on is not None:
        trace.append(TraceItem(TraceKind.COMPLAINT_PENDING, on=complaint_filed_on))
        return EffectEnd(
            None,
            f"a complaint filed on {complaint_filed_on.isoformat()} is pending; the "
            f"{period} run from the announcement of its ruling ({citation.reference})",
            citation,
            tuple(trace),
        )
    months = period.amount if period.unit is Unit.MONTHS else 12 * period.amount
    ends, _ = add_months(base, months)
    if new_violation_on is not None:
        new_violation_on = as_date(new_violation_on, "new_violation_on")
        if new_violation_on < announced_on:
            raise InputError(
                "new_violation_on", "a new violation is one after the decision's announcement"
            )
        if new_violation_on <= ends:
            trace.append(TraceItem(TraceKind.NEW_VIOLATION, on=new_violation_on))
            return EffectEnd(
                None,
                f"a repeat or new violation on {new_violation_on.isoformat()}, within the "
                f"{period}, means the decision does not end automatically "
                f"({citation.reference})",
                citation,
                tuple(trace),
            )
    trace.append(TraceItem(TraceKind.EFFECT_ENDS, on=ends, period=period, citation=citation))
    return EffectEnd(
        ends,
        f"{period} after {base.isoformat()}, with no complaint pending, repeat or new "
        f"violation: in effect until the end of {ends.isoformat()} ({citation.reference})",
        citation,
        tuple(trace),
    )
