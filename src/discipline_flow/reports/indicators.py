"""The indicators of the inspection sector: what a commission counts for a period, as results.

The Central Inspection Commission fixes the sector's statistics in a standard set of forms
(QĐ 885-QĐ/UBKTTW of 29/12/2022). Their indicators run in steps, and so do these: supervised →
signs of violation found → passed to inspection; inspected → with violations → must be
disciplined → disciplined (by form and level); complaints resolved → upheld or changed. Every
figure counts **results inside the period**: a member is *disciplined* when a decision about them
took effect in the period and still stood at its end, not when a case was opened.

:data:`INDICATORS` defines each figure: its key, its section of the report, its labels and the
rule that counts it (the documentation's indicator reference is generated from it). An
:class:`Indicators` value holds, for one :class:`~discipline_flow.reports.period.Period`, a
:class:`Count` per indicator and acting level, the discipline by form, the deadlines by outcome
and the plans' figures. :func:`~discipline_flow.reports.compute.compute_indicators` computes it
from any store.

>>> from discipline_flow.reports.period import Period
>>> figures = Indicators(
...     period=Period.parse("2023"),
...     levels=("provincial", "district", "grassroots"),
...     figures={"discipline.disciplined": {"grassroots": Count(members=3),
...                                          "provincial": Count(organisations=1, members=1)}},
... )
>>> figures.total("discipline.disciplined")
Count(organisations=1, members=4, committee_members=0)
>>> figures.total("supervision.thematic.supervised")
Count(organisations=0, members=0, committee_members=0)
>>> INDICATORS["discipline.disciplined"].label_vi
'Thi hành kỷ luật'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from discipline_flow.errors import InputError
from discipline_flow.reports.period import Period

__all__ = [
    "INDICATORS",
    "LEVELS",
    "Count",
    "Indicator",
    "Indicators",
    "PlanFigures",
    "Section",
    "levels_for",
]

#: The acting levels a figure is split by, from the top. ``district`` is left out of reports of
#: periods that end after 1 July 2025, when the district level ended (QĐ 294-QĐ/TW).
LEVELS: tuple[str, ...] = ("central", "provincial", "district", "grassroots")

#: The first day without the district level (QĐ 294-QĐ/TW): local midnight at its start.
_DISTRICT_ENDED = _dt.date(2025, 7, 1)


def levels_for(period: Period, levels: tuple[str, ...] = LEVELS) -> tuple[str, ...]:
    """The ``levels`` a report of ``period`` shows: ``district`` is left out when the period ends
    after 1 July 2025, when the district level ended.

    >>> levels_for(Period.parse("2025-H1"))
    ('central', 'provincial', 'district', 'grassroots')
    >>> levels_for(Period.parse("2025-H2"))
    ('central', 'provincial', 'grassroots')
    """
    if period.last_day >= _DISTRICT_ENDED:
        return tuple(level for level in levels if level != "district")
    return tuple(levels)


class Section(enum.Enum):
    """The sections of a commission's report, in the order it gives them."""

    PLANS = "plans"
    REGULAR_INSPECTION = "regular_inspection"
    SUPERVISION = "supervision"
    INSPECTION_ON_SIGNS = "inspection_on_signs"
    DISCIPLINE_WORK_INSPECTION = "discipline_work_inspection"
    FINANCE_INSPECTION = "finance_inspection"
    DISCIPLINE = "discipline"
    COMPLAINTS = "complaints"
    DENUNCIATIONS = "denunciations"
    ASSET_VERIFICATION = "asset_verification"
    REMEDIATION = "remediation"


@attrs.frozen
class Count:
    """Subjects counted by one figure: organisations, members, and of the members those who sit
    on a party committee (``committee_members``, counted among ``members`` too, as the forms'
    "of which committee members" row).

    >>> Count(1, 2) + Count(members=3, committee_members=1)
    Count(organisations=1, members=5, committee_members=1)
    >>> Count(1, 5) - Count(members=3)
    Count(organisations=1, members=2, committee_members=0)
    """

    organisations: int = 0
    members: int = 0
    committee_members: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(
            self.organisations + other.organisations,
            self.members + other.members,
            self.committee_members + other.committee_members,
        )

    def __sub__(self, other: Count) -> Count:
        return Count(
            self.organisations - other.organisations,
            self.members - other.members,
            self.committee_members - other.committee_members,
        )

    @property
    def is_zero(self) -> bool:
        """Whether nothing was counted."""
        return not (self.organisations or self.members or self.committee_members)

    def to_dict(self) -> dict[str, int]:
        """A JSON-compatible dict."""
        return attrs.asdict(self)


@attrs.frozen
class Indicator:
    """One figure of the report: its key, section, labels and the rule that counts it."""

    key: str
    section: Section
    label_en: str
    label_vi: str
    definition: str

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``vi`` or ``en``)."""
        return self.label_vi if lang == "vi" else self.label_en


def _table(*rows: Indicator) -> Mapping[str, Indicator]:
    return {row.key: row for row in rows}


_RI = Section.REGULAR_INSPECTION
_SU = Section.SUPERVISION
_IS = Section.INSPECTION_ON_SIGNS
_DW = Section.DISCIPLINE_WORK_INSPECTION
_FI = Section.FINANCE_INSPECTION
_DI = Section.DISCIPLINE
_CO = Section.COMPLAINTS
_DE = Section.DENUNCIATIONS
_AV = Section.ASSET_VERIFICATION
_RE = Section.REMEDIATION

#: Every indicator, in the report's order. A figure's acting level is the level of the body that
#: took the step counted (the actor's level; for a body without one, its kind's level; for a
#: person or the system, the subject's level); its subject is the case's subject.
INDICATORS: Mapping[str, Indicator] = _table(
    # Inspection by party committees and organisations (Charter Điều 30): regular_inspection_*.
    Indicator(
        "regular_inspection.inspected",
        _RI,
        "Inspected",
        "Kiểm tra",
        "regular inspections concluded in the period (CONCLUDE fired)",
    ),
    Indicator(
        "regular_inspection.with_shortcomings",
        _RI,
        "With shortcomings or violations",
        "Có khuyết điểm, vi phạm",
        "of those, concluded with remediation required, signs of violation or discipline proposed",
    ),
    Indicator(
        "regular_inspection.must_be_disciplined",
        _RI,
        "Must be disciplined",
        "Phải thi hành kỷ luật",
        "of those, concluded with discipline proposed",
    ),
    # Supervision: regular_supervision (regular) and thematic_supervision_* (thematic).
    Indicator(
        "supervision.regular.supervised",
        _SU,
        "Regular supervision",
        "Giám sát thường xuyên",
        "regular supervisions concluded in the period (CONCLUDE fired)",
    ),
    Indicator(
        "supervision.thematic.supervised",
        _SU,
        "Thematic supervision",
        "Giám sát chuyên đề",
        "thematic supervisions concluded in the period (CONCLUDE fired)",
    ),
    Indicator(
        "supervision.thematic.signs_found",
        _SU,
        "Signs of violation found",
        "Phát hiện dấu hiệu vi phạm",
        "thematic supervisions escalated to an inspection in the period",
    ),
    Indicator(
        "supervision.regular.signs_found",
        _SU,
        "Signs of violation found (regular)",
        "Phát hiện dấu hiệu vi phạm (giám sát thường xuyên)",
        "regular supervisions escalated to an inspection in the period",
    ),
    Indicator(
        "supervision.passed_to_inspection",
        _SU,
        "Passed to inspection",
        "Chuyển kiểm tra",
        "inspections on signs of violation opened in the period from a supervision",
    ),
    # Inspection on signs of violation (Charter Điều 32): the inspection workflow.
    Indicator(
        "inspection_on_signs.inspected",
        _IS,
        "Inspected",
        "Kiểm tra",
        "inspections on signs of violation concluded in the period (CONCLUDE fired)",
    ),
    Indicator(
        "inspection_on_signs.with_violations",
        _IS,
        "With violations",
        "Có vi phạm",
        "of those, concluded with remediation required or discipline proposed",
    ),
    Indicator(
        "inspection_on_signs.must_be_disciplined",
        _IS,
        "Must be disciplined",
        "Phải thi hành kỷ luật",
        "of those, concluded with discipline proposed",
    ),
    Indicator(
        "inspection_on_signs.disciplined",
        _IS,
        "Disciplined",
        "Đã thi hành kỷ luật",
        (
            "subjects of inspections on signs of violation disciplined in the period "
            "(discipline.disciplined, the discipline case opened from the inspection)"
        ),
    ),
    # Inspection of lower bodies' inspection and discipline work: discipline_work_inspection_*.
    Indicator(
        "discipline_work_inspection.inspected",
        _DW,
        "Inspected",
        "Kiểm tra",
        (
            "inspections of lower bodies' inspection, supervision and discipline work concluded in the "
            "period"
        ),
    ),
    Indicator(
        "discipline_work_inspection.with_shortcomings",
        _DW,
        "With shortcomings or violations",
        "Có khuyết điểm, vi phạm",
        "of those, concluded with remediation required, signs of violation or discipline proposed",
    ),
    # Inspection of finances: finance_inspection_*.
    Indicator(
        "finance_inspection.inspected",
        _FI,
        "Inspected",
        "Kiểm tra",
        "inspections of party finances concluded in the period",
    ),
    Indicator(
        "finance_inspection.with_shortcomings",
        _FI,
        "With shortcomings or violations",
        "Có khuyết điểm, vi phạm",
        "of those, concluded with remediation required, signs of violation or discipline proposed",
    ),
    # Discipline: member_discipline and organisation_discipline; suspension, removal, leaving.
    Indicator(
        "discipline.disciplined",
        _DI,
        "Disciplined",
        "Thi hành kỷ luật",
        (
            "decisions that took effect in the period (the case entered IN_EFFECT) and were not "
            "annulled by its end; by form in Indicators.discipline_by_form"
        ),
    ),
    Indicator(
        "discipline.suspended",
        _DI,
        "Party activity suspended",
        "Đình chỉ sinh hoạt",
        "suspensions decided in the period (*_suspension entered SUSPENDED)",
    ),
    Indicator(
        "discipline.removed_from_rolls",
        _DI,
        "Removed from the rolls",
        "Xóa tên",
        "removals from the rolls decided in the period (removal_from_rolls entered REMOVED)",
    ),
    Indicator(
        "discipline.let_go",
        _DI,
        "Allowed to leave the party",
        "Cho ra khỏi Đảng",
        "members let go in the period (leaving_the_party entered LET_GO)",
    ),
    # Complaints about discipline.
    Indicator(
        "complaints.received", _CO, "Received", "Tiếp nhận", "complaints filed in the period"
    ),
    Indicator(
        "complaints.resolved",
        _CO,
        "Resolved",
        "Đã giải quyết",
        "complaints upheld, changed, annulled or rejected in the period",
    ),
    Indicator(
        "complaints.upheld",
        _CO,
        "Decision upheld",
        "Giữ nguyên hình thức kỷ luật",
        "complaints resolved in the period by upholding the decision",
    ),
    Indicator(
        "complaints.changed_heavier",
        _CO,
        "Changed to a heavier form",
        "Tăng hình thức kỷ luật",
        "complaints resolved in the period by a heavier measure than the one complained of",
    ),
    Indicator(
        "complaints.changed_lighter",
        _CO,
        "Changed to a lighter form",
        "Giảm hình thức kỷ luật",
        "complaints resolved in the period by a lighter measure than the one complained of",
    ),
    Indicator(
        "complaints.annulled",
        _CO,
        "Decision annulled",
        "Xóa bỏ quyết định kỷ luật",
        "complaints resolved in the period by annulling the decision",
    ),
    # Denunciations.
    Indicator(
        "denunciations.received",
        _DE,
        "Received",
        "Tiếp nhận",
        "denunciations received in the period",
    ),
    Indicator(
        "denunciations.resolved",
        _DE,
        "Resolved",
        "Đã giải quyết",
        "denunciations whose result was notified in the period",
    ),
    Indicator(
        "denunciations.not_handled",
        _DE,
        "Not handled",
        "Không xem xét, giải quyết",
        "denunciations declined in the period on a ground not to handle them",
    ),
    Indicator(
        "denunciations.used_for_inspection",
        _DE,
        "Used for an inspection",
        "Chuyển thành nguồn kiểm tra",
        "denunciations used as the source of an inspection",
    ),
    # Asset and income verification.
    Indicator(
        "asset_verification.verified",
        _AV,
        "Assets and incomes verified",
        "Xác minh tài sản, thu nhập",
        "verifications concluded in the period",
    ),
    Indicator(
        "asset_verification.escalated",
        _AV,
        "Passed to inspection",
        "Chuyển kiểm tra",
        "verifications escalated to an inspection in the period",
    ),
    # Remediation monitoring.
    Indicator(
        "remediation.required",
        _RE,
        "Remediation required",
        "Yêu cầu khắc phục",
        "remediation monitorings opened in the period",
    ),
    Indicator(
        "remediation.verified",
        _RE,
        "Remediation verified",
        "Đã khắc phục",
        "remediations verified in the period",
    ),
)


def _counts(value: Mapping[str, Mapping[str, Count]]) -> Mapping[str, Mapping[str, Count]]:
    unknown = sorted(set(value) - set(INDICATORS))
    if unknown:
        raise InputError("figures", f"unknown indicators {unknown}; see INDICATORS")
    return {key: dict(levels) for key, levels in value.items()}


@attrs.frozen
class PlanFigures:
    """The plans of one level for the period: plans adopted, their contents by kind, the teams
    that carried them out and the subjects they covered, in and outside the plans, and the
    contents done by the period's end."""

    plans: int = 0
    inspection_contents: int = 0
    supervision_contents: int = 0
    teams: int = 0
    subjects: Count = Count()
    out_of_plan_teams: int = 0
    out_of_plan_subjects: Count = Count()
    contents_done: int = 0

    @property
    def contents(self) -> int:
        """All contents, inspection and supervision."""
        return self.inspection_contents + self.supervision_contents

    def __add__(self, other: PlanFigures) -> PlanFigures:
        """The figures of two sets of plans added up.

        >>> (PlanFigures(plans=1, teams=2) + PlanFigures(plans=1, subjects=Count(1))).teams
        2
        """
        return PlanFigures(
            self.plans + other.plans,
            self.inspection_contents + other.inspection_contents,
            self.supervision_contents + other.supervision_contents,
            self.teams + other.teams,
            self.subjects + other.subjects,
            self.out_of_plan_teams + other.out_of_plan_teams,
            self.out_of_plan_subjects + other.out_of_plan_subjects,
            self.contents_done + other.contents_done,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return attrs.asdict(self)


@attrs.frozen
class Indicators:
    """The figures of one period.

    ``figures`` maps an indicator key (of :data:`INDICATORS`) to a :class:`Count` per acting
    level; ``discipline_by_form`` maps a :class:`~discipline_flow.rules.Measure` value to a
    :class:`Count` per deciding level (the decisions of ``discipline.disciplined`` by the form in
    force at the period's end); ``deadlines`` maps a section value to the deadlines that fell due
    in the period by outcome (``on_time``, ``late``, ``missed``); ``plans`` maps a level to its
    :class:`PlanFigures`. ``levels`` are the levels the report shows, from the top;
    ``folded`` maps each level not shown to the level its figures were added to (``district``
    to ``provincial`` in a report of a period after the district level ended);
    ``committee_plans`` maps a level to the part of its plans issued by party committees (a
    committee, its standing committee or a grassroots committee), as apart from the inspection
    commissions' plans: a report opens with the plan of the committee at its top level.
    """

    period: Period
    levels: tuple[str, ...]
    figures: Mapping[str, Mapping[str, Count]] = attrs.field(factory=dict, converter=_counts)
    discipline_by_form: Mapping[str, Mapping[str, Count]] = attrs.field(factory=dict)
    deadlines: Mapping[str, Mapping[str, int]] = attrs.field(factory=dict)
    plans: Mapping[str, PlanFigures] = attrs.field(factory=dict)
    folded: Mapping[str, str] = attrs.field(factory=dict)
    committee_plans: Mapping[str, PlanFigures] = attrs.field(factory=dict)

    def total(self, key: str) -> Count:
        """The figure ``key`` over every level (zero where nothing was counted)."""
        return sum(self.by_level(key).values(), Count())

    def by_level(self, key: str) -> Mapping[str, Count]:
        """The figure ``key`` per level shown (levels with nothing counted are left out)."""
        if key not in INDICATORS:
            raise InputError("indicator", f"unknown indicator {key!r}; see INDICATORS")
        return dict(self.figures.get(key, {}))

    def form_total(self, form: str) -> Count:
        """The decisions of one form (a measure value, e.g. ``warning``) over every level."""
        return sum(self.discipline_by_form.get(form, {}).values(), Count())

    def plans_total(self) -> PlanFigures:
        """The plans of every level added up."""
        return sum(self.plans.values(), PlanFigures())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict: the period, the levels, then every figure by level."""
        return {
            "period": {
                "label": self.period.label,
                "kind": self.period.kind.value,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "levels": list(self.levels),
            "figures": {
                key: {level: count.to_dict() for level, count in levels.items()}
                for key, levels in self.figures.items()
            },
            "discipline_by_form": {
                form: {level: count.to_dict() for level, count in levels.items()}
                for form, levels in self.discipline_by_form.items()
            },
            "deadlines": {k: dict(v) for k, v in self.deadlines.items()},
            "plans": {level: figures.to_dict() for level, figures in self.plans.items()},
            "folded": dict(self.folded),
            "committee_plans": {
                level: figures.to_dict() for level, figures in self.committee_plans.items()
            },
        }
