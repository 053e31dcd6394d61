"""Hand-made indicator values for the tests of the commission's report and the forms.

The figures follow the seed (a city's 2023 report; rules-reference U.6) where it gives them, and
are chosen by hand elsewhere; each total the tests expect is worked out in a comment here.
"""

from __future__ import annotations

from discipline_flow.reports.indicators import LEVELS, Count, Indicators, PlanFigures
from discipline_flow.reports.period import Period


def year_2023() -> Indicators:
    """A city's year, by level (the district level still existed in 2023).

    Totals worked by hand:
    - regular supervision: 12 + 990 + 6,000 = 7,002 organisations; 8 + 6,000 + 70,000 = 76,008
      members;
    - thematic supervision: 18 + 280 + 600 = 898 organisations; 12 + 180 + 400 = 592 members,
      5 committee members;
    - inspection on signs: 1 + 1 = 2 organisations, 6 + 20 = 26 members, 3 committee members;
      with violations 2 and 5 + 19 = 24; must be disciplined 0 + 1 = 1 and 3 + 12 = 15;
      disciplined 1 and 3 + 10 = 13;
    - disciplined: 0 + 1 = 1 organisation, 20 + 125 = 145 members, 4 + 5 = 9 committee members;
      by form: reprimand 1 organisation and 90 + 6 = 96 members, warning 25 + 8 = 33, removal from
      post 4, expulsion 10 + 2 = 12 (96 + 33 + 4 + 12 = 145);
    - plans: 1 + 10 + 30 = 41 plans; inspection contents 6 + 20 + 18 = 44, supervision 6 + 25 + 20
      = 51, contents 95; teams 17 + 40 + 30 = 87 for 17 + 60 + 30 = 107 organisations and
      10 + 30 + 50 = 90 members; 6 teams outside the plans for 1 organisation and 5 members;
      done 12 + 45 + 36 = 93 of 95 = 97.89...% → 97,9%.
    """
    return Indicators(
        Period.parse("2023"),
        LEVELS,
        figures={
            "regular_inspection.inspected": {
                "provincial": Count(12, 30, 8),
                "grassroots": Count(300, 1200, 40),
            },
            "regular_inspection.with_shortcomings": {"grassroots": Count(20, 31)},
            "regular_inspection.must_be_disciplined": {"grassroots": Count(0, 4)},
            "supervision.regular.supervised": {
                "provincial": Count(12, 8),
                "district": Count(990, 6000),
                "grassroots": Count(6000, 70000),
            },
            "supervision.thematic.supervised": {
                "provincial": Count(18, 12, 5),
                "district": Count(280, 180),
                "grassroots": Count(600, 400),
            },
            "supervision.thematic.signs_found": {"grassroots": Count(1, 9)},
            "supervision.passed_to_inspection": {"grassroots": Count(1, 7)},
            "inspection_on_signs.inspected": {
                "provincial": Count(1, 6, 3),
                "grassroots": Count(1, 20),
            },
            "inspection_on_signs.with_violations": {
                "provincial": Count(1, 5),
                "grassroots": Count(1, 19),
            },
            "inspection_on_signs.must_be_disciplined": {
                "provincial": Count(0, 3),
                "grassroots": Count(1, 12),
            },
            "inspection_on_signs.disciplined": {
                "provincial": Count(0, 3),
                "grassroots": Count(1, 10),
            },
            "discipline_work_inspection.inspected": {"district": Count(150)},
            "discipline_work_inspection.with_shortcomings": {"district": Count(12)},
            "finance_inspection.inspected": {"district": Count(80)},
            "discipline.disciplined": {
                "provincial": Count(0, 20, 4),
                "grassroots": Count(1, 125, 5),
            },
            "discipline.suspended": {"grassroots": Count(0, 10)},
            "discipline.removed_from_rolls": {"grassroots": Count(0, 14)},
            "discipline.let_go": {"grassroots": Count(0, 7)},
            "complaints.received": {"provincial": Count(0, 5)},
            "complaints.resolved": {"provincial": Count(0, 4)},
            "complaints.upheld": {"provincial": Count(0, 2)},
            "complaints.changed_lighter": {"provincial": Count(0, 1)},
            "complaints.annulled": {"provincial": Count(0, 1)},
            "denunciations.received": {"provincial": Count(3, 12)},
            "denunciations.resolved": {"provincial": Count(2, 9)},
            "denunciations.not_handled": {"provincial": Count(0, 2)},
            "denunciations.used_for_inspection": {"provincial": Count(0, 1)},
            "asset_verification.verified": {"provincial": Count(0, 172)},
            "asset_verification.escalated": {"provincial": Count(0, 1)},
        },
        discipline_by_form={
            "reprimand": {"grassroots": Count(1, 90), "provincial": Count(0, 6)},
            "warning": {"grassroots": Count(0, 25), "provincial": Count(0, 8)},
            "removal_from_post": {"provincial": Count(0, 4)},
            "expulsion": {"grassroots": Count(0, 10), "provincial": Count(0, 2)},
        },
        plans={
            "provincial": PlanFigures(1, 6, 6, 17, Count(17, 10), 6, Count(1, 5), 12),
            "district": PlanFigures(10, 20, 25, 40, Count(60, 30), 0, Count(), 45),
            "grassroots": PlanFigures(30, 18, 20, 30, Count(30, 50), 0, Count(), 36),
        },
        # The provincial plan is the city standing committee's programme (the seed's).
        committee_plans={
            "provincial": PlanFigures(1, 6, 6, 17, Count(17, 10), 6, Count(1, 5), 12),
        },
    )


def year_2022() -> Indicators:
    """The year before, for the comparison: against 2023, discipline is up 12 members (133 →
    145) with the same 1 organisation; thematic supervision down 2 organisations (900 → 898) and
    up 8 members (584 → 592); removals the same (14); asset verifications up 22 (150 → 172);
    suspensions down 3 (13 → 10); plan contents down 5 (100 → 95); nothing else counted."""
    return Indicators(
        Period.parse("2022"),
        LEVELS,
        figures={
            "discipline.disciplined": {"grassroots": Count(1, 133)},
            "supervision.thematic.supervised": {"grassroots": Count(900, 584)},
            "discipline.removed_from_rolls": {"grassroots": Count(0, 14)},
            "discipline.suspended": {"grassroots": Count(0, 13)},
            "asset_verification.verified": {"provincial": Count(0, 150)},
        },
        plans={"provincial": PlanFigures(1, 50, 50)},
    )


def by_district(period: str) -> Indicators:
    """Figures at the district level (and the grassroots) in ``period``, to see whether the
    district is shown."""
    return Indicators(
        Period.parse(period),
        LEVELS,
        figures={
            "inspection_on_signs.inspected": {
                "district": Count(1, 4),
                "grassroots": Count(members=3),
            },
        },
        plans={"district": PlanFigures(1, 2, 3, contents_done=5)},
    )
