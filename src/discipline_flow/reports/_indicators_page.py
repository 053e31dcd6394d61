"""The documentation's indicator reference (``docs/reference/indicators.md``), made from
:data:`~discipline_flow.reports.indicators.INDICATORS`.

Run ``python -m discipline_flow.reports._indicators_page > docs/reference/indicators.md`` after
changing an indicator; a test fails while the page and the table differ.

>>> page = indicators_page()
>>> "| `discipline.disciplined` | Disciplined | Thi hành kỷ luật |" in page
True
"""

from __future__ import annotations

import sys

from discipline_flow.reports.indicators import INDICATORS, LEVELS, Section

__all__ = ["indicators_page"]

_SECTION_TITLES = {
    Section.PLANS: "Plans",
    Section.REGULAR_INSPECTION: "Inspection by party committees and organisations (Charter Điều 30)",
    Section.SUPERVISION: "Supervision",
    Section.INSPECTION_ON_SIGNS: "Inspection on signs of violation (Charter Điều 32)",
    Section.DISCIPLINE_WORK_INSPECTION: "Inspection of lower bodies' inspection and discipline work",
    Section.FINANCE_INSPECTION: "Inspection of party finances",
    Section.DISCIPLINE: "Discipline",
    Section.COMPLAINTS: "Complaints about discipline",
    Section.DENUNCIATIONS: "Denunciations",
    Section.ASSET_VERIFICATION: "Asset and income verification",
    Section.REMEDIATION: "Remediation monitoring",
}

_HEAD = f"""# Indicators

<!-- Generated from discipline_flow.reports.indicators.INDICATORS by
     `python -m discipline_flow.reports._indicators_page`; a test checks it. Do not edit. -->

The figures a report of a period gives, as the inspection sector's statistical forms count them
(QĐ 885-QĐ/UBKTTW of 29/12/2022): `compute_indicators(store, period)` computes them from any store
and `discipline-flow report --period 2023-Q3` prints them. Every figure counts **results inside
the period**, whenever the case was opened: a member is disciplined when a decision about them
took effect in the period and still stood at its end.

How every figure is counted:

- **Subjects.** Each figure is a count of organisations, of members, and of the members who sit on
  a party committee (`Member.committee_level` set; counted among the members too).
- **Acting level.** A figure is shown at the level of the body that took the step counted: the
  actor's level, or its kind's fixed level (a party cell acts at the grassroots); for a body with
  neither (a person, the system, a state agency), the subject's level. The levels, from the top:
  {", ".join(f"`{level}`" for level in LEVELS)}; a report of a period that ends after 1 July 2025
  (the end of the district level) shows no `district`, whose figures are added to `provincial`
  (`Indicators.folded` says so). Levels chosen with `levels=` fold the others into the nearest
  level shown above them.
- **Entering a state** counts a case once, at its first entry into that state.
- **Discipline by form** counts the decisions of `discipline.disciplined` by the measure in force
  at the period's end: the last `measure` named by the case's steps up to then.
- **Complaints changed** to a heavier or a lighter form compare the measure of the resolution
  with the measure complained of (the decision case's when the complaint was filed), by the order
  of severity of `Measure`.
- **Deadlines** (`Indicators.deadlines`, by section) are those whose last day falls in the period:
  met on time, met late (before the period's end), or missed (still open and overdue at the
  period's end; a deadline that ran out because the case moved on is neither).
- **Plans** (`Indicators.plans`, by level of the plan's issuer) are the `inspection_plan` cases
  adopted in the period, as they stood at its end: their inspection and supervision contents,
  teams and distinct subjects, in and outside the plan, and the contents done by the period's end
  (every case opened from the content closed by then).
"""


def indicators_page() -> str:
    """The Markdown of the indicator reference: the conventions, then one table per section."""
    lines = [_HEAD]
    for section in Section:
        rows = [i for i in INDICATORS.values() if i.section is section]
        if not rows:
            continue
        lines.append(f"## {_SECTION_TITLES[section]}\n")
        lines.append("| Key | Label | Vietnamese | Counts |")
        lines.append("|---|---|---|---|")
        lines.extend(f"| `{i.key}` | {i.label_en} | {i.label_vi} | {i.definition} |" for i in rows)
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - run by hand
    sys.stdout.write(indicators_page())
