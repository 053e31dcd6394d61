"""The demo reproduces the seed: the figures of 2023 a city published, as results.

The generator's tally counts results by the definitions of ``INDICATORS``; the first tests check
that counting on cases worked by hand, the last one the whole city-year at scale 1 with the
default seed against the seed's figures (reference U.6 and issue 17).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation
from discipline_flow.case import Case
from discipline_flow.demo import DemoSettings, generate_city_year
from discipline_flow.demo._destiny import Destinies, allot, fits
from discipline_flow.demo._results import acting_level, case_results
from discipline_flow.demo._run import indicators_match
from discipline_flow.demo.generator import SEED, plan, run_shard
from discipline_flow.planning import PLAN_WORKFLOW, Plan
from discipline_flow.processes import shipped_registry
from discipline_flow.processes.discipline import member_discipline
from discipline_flow.processes.supervision import supervision_workflow
from discipline_flow.reports import annual_report, commission_report, compute_indicators
from discipline_flow.reports.indicators import Count, PlanFigures
from discipline_flow.reports.period import Period
from discipline_flow.rules import Measure, VoteTally, select_ruleset
from discipline_flow.store import open_store
from helpers import at

YEAR_2025 = (at(2025, 1, 1, 0), at(2026, 1, 1, 0))
YEAR_2026 = (at(2026, 1, 1, 0), at(2027, 1, 1, 0))
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
CENTRAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
SYSTEM = Body(BodyKind.SYSTEM, "sweep")


def test_a_thematic_supervision_counts_in_the_year_of_its_conclusion() -> None:
    # Requested Mon 15/12/2025, concluded Mon 5/1/2026: a result of 2026, not of 2025, at the
    # level of the provincial commission that concluded it.
    wf = supervision_workflow(select_ruleset(dt.date(2025, 12, 15)), PROVINCIAL_UBKT, thematic=True)
    subject = Organisation("dang-bo-x", Level.GRASSROOTS)
    case = wf.open(subject, at=at(2025, 12, 15), actor=PROVINCIAL_UBKT)
    case.fire("REQUEST_REPORT", at=at(2025, 12, 15), actor=PROVINCIAL_UBKT)
    case.fire("RECEIVE_REPORT", at=at(2025, 12, 22), actor=PROVINCIAL_UBKT)
    case.fire("START_ASSESSMENT", at=at(2025, 12, 23), actor=PROVINCIAL_UBKT)
    assert list(case_results(case, *YEAR_2025)) == []
    case.fire(
        "CONCLUDE", at=at(2026, 1, 5), actor=PROVINCIAL_UBKT, payload={"signs_of_violation": True}
    )
    case.fire("ESCALATE_TO_INSPECTION", at=at(2026, 1, 6), actor=PROVINCIAL_UBKT)
    assert list(case_results(case, *YEAR_2025)) == []
    assert list(case_results(case, *YEAR_2026)) == [
        ("supervision.thematic.supervised", "provincial", Count(organisations=1)),
        ("supervision.thematic.signs_found", "provincial", Count(organisations=1)),
    ]


def _decision_in_effect() -> Case[Any, Any]:
    """A provincial commission's warning of a committee member, signed (in effect) on Mon
    4/5/2026 under QĐ 21 and announced the same day."""
    day = at(2026, 5, 4)
    member = Member("m-1", cell_id="cell-7", committee_level=Level.GRASSROOTS)
    case = member_discipline(select_ruleset(day.date())).open(
        member, at=day, actor=PROVINCIAL_UBKT, payload={"violation_on": "2025-01-01"}
    )
    vote = VoteTally(9, 7, 2, 0).to_payload()
    case.fire("HEAR_SUBJECT", at=day, actor=PROVINCIAL_UBKT)
    case.fire(
        "HOLD_VOTE", at=day, actor=PROVINCIAL_UBKT, payload={"measure": "warning", "vote": vote}
    )
    case.fire("DECIDE", at=day, actor=PROVINCIAL_UBKT)
    case.fire("SIGN_DECISION", at=day, actor=PROVINCIAL_UBKT)
    case.fire("ANNOUNCE_DECISION", at=day, actor=PROVINCIAL_UBKT)
    case.fire("CLOSE_COMPLAINT_WINDOW", at=at(2026, 6, 20), actor=SYSTEM)
    return case


def test_a_decision_counts_with_the_form_in_force_at_the_end_unless_annulled() -> None:
    case = _decision_in_effect()
    committee_member = Count(members=1, committee_members=1)
    results = list(case_results(case, *YEAR_2026))
    assert results == [
        ("discipline.disciplined", "provincial", committee_member),
        ("form:warning", "provincial", committee_member),
    ]
    # The central commission changes it to a reprimand on 3/11/2026: the form in force at the
    # end of 2026 is the reprimand, still counted at the level that made it take effect.
    case.fire(
        "CHANGE_DECISION", at=at(2026, 11, 3), actor=CENTRAL_UBKT, payload={"measure": "reprimand"}
    )
    assert list(case_results(case, *YEAR_2026))[1] == (
        "form:reprimand",
        "provincial",
        committee_member,
    )
    # Annulled on 1/12/2026: not disciplined in 2026.
    case.fire(
        "ANNUL_DECISION", at=at(2026, 12, 1), actor=CENTRAL_UBKT, payload={"reason": "wrongful"}
    )
    assert list(case_results(case, *YEAR_2026)) == []


def test_the_acting_level_of_people_and_the_system_is_the_subjects() -> None:
    member = Member("m-1", managed_by=Level.DISTRICT)
    assert acting_level(Body(BodyKind.PERSON, "m-1"), member) == "district"
    assert acting_level(SYSTEM, Organisation("o", Level.PROVINCIAL)) == "provincial"
    assert acting_level(Body(BodyKind.PARTY_CELL, "c"), member) == "grassroots"  # fixed level


def test_destinies_hold_exactly_the_quotas_and_measures_fit_their_members() -> None:
    # 5 + 2 + 1 outcomes of 8 cases, whatever the order the seed gives them.
    assert sorted(allot(8, (("a", 5), ("b", 2), ("c", 1)))) == ["a"] * 5 + ["b"] * 2 + ["c"]
    assert allot(0, (("a", 5),)) == []
    fate = Destinies(random.Random(1), {"escalated_supervision_member": 8})
    drawn = sorted(fate.outcome("escalated_supervision_member") for _ in range(8))
    assert drawn == ["discipline"] * 5 + ["no_violation"] + ["remediation"] * 2
    fate.deal_measures(145)
    probationary = Member("m-23", is_probationary=True)
    no_post = Member("m-1")
    taken = [fate.measure_for(probationary) for _ in range(133)]  # 95 reprimands, 38 warnings
    assert sorted(m.value for m in set(taken)) == ["reprimand", "warning"]
    assert fate.measure_for(no_post) is Measure.EXPULSION
    assert not fits(Measure.REMOVAL_FROM_POST, no_post)
    assert fits(Measure.REMOVAL_FROM_POST, Member("m-7", holds_post=True))


def test_the_plans_and_matters_give_the_seeds_figures_whatever_the_seed() -> None:
    # The shard of plans and linked matters at scale 1 with another seed: every figure of the
    # seed but regular supervision, of which it holds the 8 + 1 escalated supervisions.
    settings = DemoSettings(seed=7)
    matters = next(spec for spec in plan(settings) if spec.story == "matters")
    with open_store("memory://", shipped_registry()) as store:
        tally = run_shard(matters, settings, store).counted()
    totals = tally.totals()
    assert totals["supervision.regular.supervised"] == Count(organisations=1, members=8)
    assert {key: totals[key] for key in SEED if key != "supervision.regular.supervised"} == {
        key: count for key, count in SEED.items() if key != "supervision.regular.supervised"
    }
    assert tally.plans_total().contents_done == 95


@pytest.mark.slow
def test_the_city_year_at_scale_1_gives_the_seeds_figures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'city.db'}"
    with open_store(url, shipped_registry()) as store:
        result = generate_city_year(store, DemoSettings(), url=url, jobs=2)
        tally = result.tally
        report = annual_report(store, 2023)
        assert tally.by_process == report.by_process()
        assert tally.by_outcome == report.by_outcome()
        totals = tally.totals()
        # The seed (reference U.6, issue 17): each figure exactly, as results.
        assert {key: totals[key] for key in SEED} == SEED
        # Cases called off or still in progress at the year's end exist and are not counted:
        # 83,000 supervised of 84,220 regular supervisions, 320 called off.
        assert tally.by_process["regular_supervision"] == 83000 + 320 + 900
        assert tally.by_outcome["regular_supervision"]["CANCELLED"] == 320
        # Discipline by form: the 145 members' 95 reprimands, 38 warnings, 4 removals from post
        # and 8 expulsions dealt; the organisation's reprimand.
        assert tally.form_totals() == {
            "reprimand": Count(organisations=1, members=95),
            "warning": Count(members=38),
            "removal_from_post": Count(members=4),
            "expulsion": Count(members=8),
        }
        # Thematic supervision by level (PLANS and the city's plan): the city's standing
        # committee 12 + 3 and its commission 136 + 89; the district commissions 750 + 200; the
        # grassroots committees 300 members.
        assert tally.results["supervision.thematic.supervised"] == {
            "provincial": Count(organisations=148, members=92),
            "district": Count(organisations=750, members=200),
            "grassroots": Count(members=300),
        }
        # Plans at every level: 22 plans, 95 contents (44 + 51) all done, one team a content
        # beside the city's 17, and the city's 6 teams outside its plan for 1 + 5 subjects.
        total = tally.plans_total()
        assert (total.plans, total.inspection_contents, total.supervision_contents) == (22, 44, 51)
        assert (total.contents_done, total.teams, total.out_of_plan_teams) == (95, 100, 6)
        assert total.out_of_plan_subjects == Count(organisations=1, members=5)
        city = Plan.of(store.load("KH-2023-BTV"))
        assert [c.key for c in city.contents if c.out_of_plan] == [f"OP-0{i}" for i in range(1, 7)]
        assert len([t for c in city.contents if not c.out_of_plan for t in c.teams]) == 17
        assert len(store.query(workflow=PLAN_WORKFLOW)) == 22
        assert tally.plans["provincial"].plans == 2
        assert isinstance(tally.plans["provincial"], PlanFigures)
        indicators = tally.indicators(2023)
        assert indicators.total("discipline.disciplined") == Count(organisations=1, members=145)
        assert indicators.plans_total() == total
        # The same figures computed from the store, and the report says them as the seed did.
        computed = compute_indicators(store, Period.parse("2023"), jobs=2, url=url)
    assert {key: computed.total(key) for key in SEED} == SEED
    assert indicators_match(tally, computed)
    city_programme = computed.committee_plans["provincial"]
    assert (city_programme.inspection_contents, city_programme.supervision_contents) == (6, 6)
    assert (city_programme.teams, city_programme.subjects) == (17, Count(17, 10))
    assert (city_programme.out_of_plan_teams, city_programme.out_of_plan_subjects) == (
        6,
        Count(1, 5),
    )
    text = " ".join(commission_report(computed).split())
    for sentence in (
        (
            "Ban Thường vụ cấp ủy cấp tỉnh đã ban hành chương trình kiểm tra, giám sát với 12 nội dung "
            "(6 nội dung kiểm tra, 6 nội dung giám sát), thành lập 17 đoàn kiểm tra, giám sát đối với "
            "17 tổ chức đảng và 10 đảng viên."
        ),
        (
            "Ngoài chương trình, đã thành lập 6 đoàn kiểm tra, giám sát đối với 1 tổ chức đảng và 5 "
            "đảng viên."
        ),
        "với 95 nội dung (44 nội dung kiểm tra, 51 nội dung giám sát)",
        "đã hoàn thành 95/95 nội dung, đạt 100% kế hoạch.",
        (
            "giám sát thường xuyên đối với 7.000 tổ chức đảng và 76.000 đảng viên; giám sát chuyên đề "
            "đối với 898 tổ chức đảng và 592 đảng viên."
        ),
        "đã kiểm tra khi có dấu hiệu vi phạm đối với 2 tổ chức đảng và 26 đảng viên;",
        "đã thi hành kỷ luật 1 tổ chức đảng và 145 đảng viên.",
        (
            "Về hình thức: khiển trách 1 tổ chức đảng và 95 đảng viên; cảnh cáo 38 đảng viên; cách "
            "chức 4 đảng viên; khai trừ 8 đảng viên."
        ),
        (
            "đã đình chỉ sinh hoạt đảng đối với 10 đảng viên; xóa tên 14 đảng viên; cho ra khỏi Đảng "
            "7 đảng viên."
        ),
        "đã xác minh tài sản, thu nhập đối với 172 đảng viên",
    ):
        assert sentence in text
