"""How a period is counted: the Civil Code 2015 defaults (arts. 147-148), overridable per rule.

Party documents do not say how their time limits are counted (``rules-reference.md`` §5), so
the library applies the Civil Code's general rules by analogy and lets every rule override them:

* art. 147: the day of the starting event is not counted (``exclude_start_day``);
* art. 148(3)-(4): a month or year period ends on the corresponding day, or on the last day of
  the month when it has no such day (``clamp_month_end``);
* art. 148(5): when the last day is a weekly rest day or a holiday the period runs to the end of
  the next working day (``roll_forward``);
* art. 148(1), (6): a period ends at the end (24:00 local time) of its last day
  (``end_at_midnight``), represented as the exclusive instant 00:00 of the following day.

>>> from discipline_flow.time import CIVIL_CODE
>>> CIVIL_CODE.roll_forward
True
>>> no_roll = CIVIL_CODE.but(roll_forward=False)
>>> no_roll.roll_forward, no_roll.exclude_start_day
(False, True)
"""

from __future__ import annotations

import attrs

from discipline_flow.citation import Citation, RuleStatus

__all__ = ["CIVIL_CODE", "CIVIL_CODE_CITATION", "CountingConvention"]

#: The legal basis of the default counting rules.
CIVIL_CODE_CITATION = Citation(
    "Bộ luật Dân sự 2015 (91/2015/QH13)",
    "Điều 147-148",
    RuleStatus.VERIFIED,
    source="P-tvpl-3896F",
    note="applied to party time limits by analogy; the 24:00 end (art. 148(6)) is recalled",
)


@attrs.frozen(cache_hash=True)
class CountingConvention:
    """How the days of a period are counted; every flag can be overridden per rule.

    ``clamp_month_end=False`` makes a month or year period whose corresponding day does not
    exist end on the first day of the following month instead of the last day of the month.
    ``end_at_midnight=False`` makes the period end on its last day at the time of day of the
    starting instant (for a start given as a date only, this is the same as 24:00).
    """

    exclude_start_day: bool = True
    clamp_month_end: bool = True
    roll_forward: bool = True
    end_at_midnight: bool = True
    citation: Citation = CIVIL_CODE_CITATION

    def but(
        self,
        *,
        exclude_start_day: bool | None = None,
        clamp_month_end: bool | None = None,
        roll_forward: bool | None = None,
        end_at_midnight: bool | None = None,
        citation: Citation | None = None,
    ) -> CountingConvention:
        """A copy with the given flags changed."""
        return CountingConvention(
            self.exclude_start_day if exclude_start_day is None else exclude_start_day,
            self.clamp_month_end if clamp_month_end is None else clamp_month_end,
            self.roll_forward if roll_forward is None else roll_forward,
            self.end_at_midnight if end_at_midnight is None else end_at_midnight,
            self.citation if citation is None else citation,
        )


#: The Civil Code 2015 defaults (arts. 147-148).
CIVIL_CODE = CountingConvention()
