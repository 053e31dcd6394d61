"""The indicators of a period computed from a store (``compute_indicators``), with figures worked
out by hand from small stores of the shipped workflows; the same on every store kind."""

from __future__ import annotations

import contextlib
import importlib.util
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from conftest_store import Stores, kind_params, stores_fixture
from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation
from discipline_flow.demo import DemoSettings, generate_city_year
from discipline_flow.errors import InputError
from discipline_flow.processes import shipped_registry
from discipline_flow.processes.complaint import open_complaint
from discipline_flow.processes.inspection import open_inspection
from discipline_flow.reports import compute as compute_module
from discipline_flow.reports.compute import compute_indicators, folded_levels
from discipline_flow.reports.indicators import INDICATORS, Count, Indicators, PlanFigures
from discipline_flow.reports.period import Period
from discipline_flow.store import CaseStore, open_store
from discipline_flow.testing import CaseFactory

ROOT = Path(__file__).resolve().parent.parent
TZ = "Asia/Ho_Chi_Minh"
CELL_MEMBER = Member("m-1", cell_id="cell-7")
COMMITTEE_MEMBER = Member("m-2", cell_id="cell-7", committee_level=Level.GRASSROOTS)
SECRETARIAT = Body(BodyKind.SECRETARIAT, "bbt")
GRASSROOTS_COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-du-7", Level.GRASSROOTS)
PROVINCIAL_COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-tinh", Level.PROVINCIAL)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    """An instant in Hanoi time."""
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _store(stores: Stores, cases: list[Case[Any, Any]]) -> CaseStore:
    store = stores.open(shipped_registry())
    store.save_many([(case, 0) for case in cases])
    return store


def _decision(
    member: Member, when: pendulum.DateTime, state: str = "IN_EFFECT", case_id: str | None = None
) -> Case[Any, Any]:
    """A member's warning by their party cell (the shipped providers' common case): every step,
    IN_EFFECT included, at ``when``."""
    return CaseFactory()("member_discipline", state, at=when, subject=member, case_id=case_id)


def _members(figures: Indicators, key: str) -> int:
    return figures.total(key).members


# --------------------------------------------------------------------------- periods


def test_a_decision_counts_in_the_period_its_step_falls_in(stores: Stores) -> None:
    # IN_EFFECT on 30 September at 23:59 local time is in Q3; on 1 October at 00:00 in Q4
    # (the period is [1 July 00:00, 1 October 00:00) in Asia/Ho_Chi_Minh).
    store = _store(
        stores,
        [
            _decision(CELL_MEMBER, at(2023, 9, 30, 23, 59), case_id="D-Q3"),
            _decision(COMMITTEE_MEMBER, at(2023, 10, 1, 0, 0), case_id="D-Q4"),
        ],
    )
    q3 = compute_indicators(store, Period.parse("2023-Q3"))
    q4 = compute_indicators(store, Period.parse("2023-Q4"))
    # A party cell acts at the grassroots (its kind's fixed level).
    assert q3.by_level("discipline.disciplined") == {"grassroots": Count(members=1)}
    assert q4.by_level("discipline.disciplined") == {
        "grassroots": Count(members=1, committee_members=1)
    }
    assert q3.discipline_by_form == {"warning": {"grassroots": Count(members=1)}}
    year = compute_indicators(store, Period.parse("2023"))
    assert year.total("discipline.disciplined") == Count(members=2, committee_members=1)
    # Opened before the period and counted in it: the Q4 report reads cases opened in Q3 too.
    assert compute_indicators(store, Period.parse("2023-10")).total(
        "discipline.disciplined"
    ) == Count(members=1, committee_members=1)
    assert compute_indicators(store, Period.parse("2023-11")).total("discipline.disciplined") == (
        Count()
    )


def test_an_annulment_inside_the_period_removes_the_decision(stores: Stores) -> None:
    inside = _decision(CELL_MEMBER, at(2023, 8, 1), "ANNOUNCED", "D-inside")
    inside.fire("ANNUL_DECISION", at=at(2023, 9, 15), actor=SECRETARIAT, payload={"reason": "x"})
    after = _decision(COMMITTEE_MEMBER, at(2023, 8, 1), "ANNOUNCED", "D-after")
    after.fire("ANNUL_DECISION", at=at(2023, 10, 2), actor=SECRETARIAT, payload={"reason": "x"})
    store = _store(stores, [inside, after])
    q3 = compute_indicators(store, Period.parse("2023-Q3"))
    # Annulled on 15 September: not in force at the end of Q3. Annulled on 2 October: it stood
    # at the end of Q3, and is counted there (and not in Q4, where it took no effect).
    assert q3.total("discipline.disciplined") == Count(members=1, committee_members=1)
    assert q3.form_total("warning") == Count(members=1, committee_members=1)
    q4 = compute_indicators(store, Period.parse("2023-Q4"))
    assert q4.total("discipline.disciplined") == Count()


def _complaint(member: Member, measure: str, case_id: str) -> list[Case[Any, Any]]:
    decision = _decision(member, at(2023, 8, 1), "ANNOUNCED", f"D-{case_id}")
    complaint = open_complaint(decision, at=at(2023, 8, 10), case_id=case_id)
    complaint.fire("ACCEPT", at=at(2023, 8, 11), actor=GRASSROOTS_COMMISSION)
    complaint.fire(
        "CHANGE_DECISION",
        at=at(2023, 9, 11),
        actor=GRASSROOTS_COMMISSION,
        payload={"measure": measure},
    )
    return [decision, complaint]


def test_complaints_changed_to_a_lighter_or_heavier_form(stores: Stores) -> None:
    # Both decisions are warnings (the measure complained of); one complaint changes it to a
    # reprimand (lighter, severity 1 < 2), the other to removal from post (heavier, 3 > 2).
    store = _store(
        stores,
        [
            *_complaint(CELL_MEMBER, "reprimand", "KN-lighter"),
            *_complaint(COMMITTEE_MEMBER, "removal_from_post", "KN-heavier"),
        ],
    )
    q3 = compute_indicators(store, Period.parse("2023-Q3"))
    assert q3.total("complaints.received") == Count(members=2, committee_members=1)
    assert q3.total("complaints.resolved") == Count(members=2, committee_members=1)
    assert q3.by_level("complaints.changed_lighter") == {"grassroots": Count(members=1)}
    assert q3.by_level("complaints.changed_heavier") == {
        "grassroots": Count(members=1, committee_members=1)
    }
    assert q3.total("complaints.upheld") == Count()
    # Filed in August, resolved in September: the month of August received them only.
    august = compute_indicators(store, Period.parse("2023-08"))
    assert (_members(august, "complaints.received"), _members(august, "complaints.resolved")) == (
        2,
        0,
    )


# --------------------------------------------------------------------------- deadlines


def _supervision(name: str) -> Case[Any, Any]:
    """A provincial thematic supervision whose report was received on Thursday 1 June 2023: its
    period is 30 working days from the next day (QĐ 22-QĐ/TW as the ruleset carries it; the
    start day excluded, Civil Code 2015 art. 147): 21 in June, then 3-7 and 10-13 July, so its
    last day is Thursday 13 July (due at 14 July 00:00), in Q3."""
    return CaseFactory()(
        "thematic_supervision_provincial",
        "ASSESSING",
        at=at(2023, 6, 1),
        subject=Organisation(f"org-{name}", Level.DISTRICT),
        case_id=f"GS-{name}",
    )


def test_deadlines_met_on_time_late_and_missed(stores: Stores) -> None:
    on_time, late, missed, cancelled = (_supervision(n) for n in ("1", "2", "3", "4"))
    conclusion = {"signs_of_violation": False}
    on_time.fire("CONCLUDE", at=at(2023, 7, 10), actor=PROVINCIAL_COMMISSION, payload=conclusion)
    late.fire("CONCLUDE", at=at(2023, 7, 20), actor=PROVINCIAL_COMMISSION, payload=conclusion)
    cancelled.fire(
        "CANCEL", at=at(2023, 7, 5), actor=PROVINCIAL_COMMISSION, payload={"reason": "x"}
    )
    store = _store(stores, [on_time, late, missed, cancelled])
    assert [d.due_at for d in on_time.deadlines] == [at(2023, 7, 14, 0)]
    expected = {"supervision": {"on_time": 1, "late": 1, "missed": 1}}
    assert compute_indicators(store, Period.parse("2023-Q3")).deadlines == expected
    assert compute_indicators(store, Period.parse("2023-07")).deadlines == expected
    # Due in July: nothing fell due in the second quarter or in August.
    assert compute_indicators(store, Period.parse("2023-Q2")).deadlines == {}
    assert compute_indicators(store, Period.parse("2023-08")).deadlines == {}
    # In the month of the conclusions, at the provincial level.
    july = compute_indicators(store, Period.parse("2023-07"))
    assert july.by_level("supervision.thematic.supervised") == {
        "provincial": Count(organisations=2)
    }


# --------------------------------------------------------------------------- every process

# Each shipped process built to a state on Wednesday 10 May 2023 (every step at 09:00) by the
# shipped providers, and the acting body of the step counted (a party cell or a grassroots
# committee acts at the grassroots by its kind; the others state their level).
EVERY_PROCESS = [
    ("party_activity_suspension", "SUSPENDED"),  # a provincial commission, a member
    ("organisation_suspension", "SUSPENDED"),  # a grassroots committee, an organisation
    ("removal_from_rolls", "REMOVED"),  # a grassroots committee, a member
    ("leaving_the_party", "LET_GO"),  # a grassroots committee, a member
    ("asset_verification", "CONCLUDED"),  # a provincial commission, a member
    ("asset_verification", "ESCALATED_TO_INSPECTION"),  # concluded first, then escalated
    ("denunciation_grassroots", "NOT_HANDLED"),  # a party cell, about a member
    ("denunciation_grassroots", "RESULT_NOTIFIED"),
    ("denunciation_grassroots", "USED_FOR_INSPECTION"),
    ("remediation", "VERIFIED"),  # opened and verified by a provincial commission
    ("regular_inspection_provincial", "DISCIPLINE_PROPOSED"),  # a provincial standing committee
    ("regular_inspection_grassroots", "CLOSED_NO_VIOLATION"),  # a grassroots standing committee
    ("finance_inspection_provincial", "REMEDIATION_REQUIRED"),  # a provincial commission
    ("discipline_work_inspection_provincial", "SIGNS_OF_VIOLATION"),  # the same
    ("regular_supervision", "ESCALATED_TO_INSPECTION"),  # a party cell, a member
    ("organisation_discipline", "IN_EFFECT"),  # a grassroots standing committee, a warning
]
M1, O1 = Count(members=1), Count(organisations=1)
EVERY_FIGURE = {
    "discipline.suspended": {"provincial": M1, "grassroots": O1},
    "discipline.removed_from_rolls": {"grassroots": M1},
    "discipline.let_go": {"grassroots": M1},
    "discipline.disciplined": {"grassroots": O1},
    "asset_verification.verified": {"provincial": Count(members=2)},
    "asset_verification.escalated": {"provincial": M1},
    "denunciations.received": {"grassroots": Count(members=3)},
    "denunciations.not_handled": {"grassroots": M1},
    "denunciations.resolved": {"grassroots": M1},
    "denunciations.used_for_inspection": {"grassroots": M1},
    "remediation.required": {"provincial": O1},
    "remediation.verified": {"provincial": O1},
    "regular_inspection.inspected": {"provincial": O1, "grassroots": O1},
    "regular_inspection.with_shortcomings": {"provincial": O1},
    "regular_inspection.must_be_disciplined": {"provincial": O1},
    "finance_inspection.inspected": {"provincial": O1},
    "finance_inspection.with_shortcomings": {"provincial": O1},
    "discipline_work_inspection.inspected": {"provincial": O1},
    "discipline_work_inspection.with_shortcomings": {"provincial": O1},
    "supervision.regular.supervised": {"grassroots": M1},
    "supervision.regular.signs_found": {"grassroots": M1},
    # The inspection opened from the supervision on 11 May by a provincial commission.
    "supervision.passed_to_inspection": {"provincial": M1},
}


def test_every_process_counts_at_its_acting_level(stores: Stores) -> None:
    factory = CaseFactory()
    cases = [
        factory(name, state, at=at(2023, 5, 10), case_id=f"{name}-{state}")
        for name, state in EVERY_PROCESS
    ]
    inspection = open_inspection(
        cases[-2], at=at(2023, 5, 11), actor=PROVINCIAL_COMMISSION, case_id="INS-1"
    )
    store = _store(stores, [*cases, inspection])
    q2 = compute_indicators(store, Period.parse("2023-Q2"))
    assert {key: dict(levels) for key, levels in q2.figures.items()} == EVERY_FIGURE
    assert q2.discipline_by_form == {"warning": {"grassroots": O1}}
    assert compute_indicators(store, Period.parse("2023-Q3")).figures == {}


# --------------------------------------------------------------------------- levels


def test_district_figures_are_folded_into_the_province_after_july_2025(stores: Stores) -> None:
    # Two district standing committees' thematic supervisions of organisations, one concluded
    # on 3 March 2025, one opened in May and concluded on 10 July 2025: a 2025-H1 report shows
    # the first at the district; a report of the second half-year or of the year (both end
    # after 1 July 2025, when the district level ended) adds them to the province.
    factory = CaseFactory()
    name = "thematic_supervision_district"
    march = factory(
        name, "CONCLUDED", at=at(2025, 3, 3), subject=Organisation("xa-1", Level.GRASSROOTS)
    )
    july = factory(
        name, "ASSESSING", at=at(2025, 5, 20), subject=Organisation("xa-2", Level.GRASSROOTS)
    )
    july.fire(
        "CONCLUDE",
        at=at(2025, 7, 10),
        actor=july.steps[-1].actor,
        payload={"signs_of_violation": False},
    )
    store = _store(stores, [march, july])
    half = compute_indicators(store, Period.parse("2025-H1"))
    assert half.levels == ("central", "provincial", "district", "grassroots")
    assert half.by_level("supervision.thematic.supervised") == {"district": O1}
    assert half.folded == {}
    h2 = compute_indicators(store, Period.parse("2025-H2"))
    assert h2.levels == ("central", "provincial", "grassroots")
    assert h2.folded == {"district": "provincial"}
    assert h2.by_level("supervision.thematic.supervised") == {"provincial": O1}
    year = compute_indicators(store, Period.parse("2025"))
    assert year.by_level("supervision.thematic.supervised") == {
        "provincial": Count(organisations=2)
    }
    chosen = compute_indicators(store, Period.parse("2025-H1"), levels=("central", "grassroots"))
    assert chosen.by_level("supervision.thematic.supervised") == {"central": O1}
    assert chosen.to_dict()["folded"] == {"provincial": "central", "district": "central"}


def test_levels_must_be_known_and_distinct() -> None:
    with pytest.raises(InputError, match="expected distinct levels among central, provincial"):
        folded_levels(("central", "central"))
    with pytest.raises(InputError, match="got \\[\\]"):
        folded_levels(())
    with open_store("memory://", shipped_registry()) as store, pytest.raises(InputError):
        compute_indicators(store, Period.parse("2023"), levels=("county",))
    with (
        open_store("memory://", shipped_registry()) as store,
        pytest.raises(InputError, match="expected a Period"),
    ):
        compute_indicators(store, "2023")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- plans


def _city_plan(url: str) -> None:
    """examples/city_plan.py: the seed's city plan and its cases, stored at ``url``."""
    spec = importlib.util.spec_from_file_location("city_plan", ROOT / "examples" / "city_plan.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with contextlib.redirect_stdout(io.StringIO()):
        module.main(url)


def test_the_city_plans_figures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    _city_plan(url)
    with open_store(url, shipped_registry()) as store:
        year = compute_indicators(store, Period.parse("2023"))
        half = compute_indicators(store, Period.parse("2023-H1"))
        second = compute_indicators(store, Period.parse("2023-Q3"))
    # city_plan_2023.toml (the seed): 12 contents, 6 inspection and 6 supervision, 17 teams for
    # 17 organisations and 10 members; outside the plan 6 teams for 1 organisation and 5
    # members. Every content is done by the year's end.
    assert year.plans == {
        "provincial": PlanFigures(
            plans=1,
            inspection_contents=6,
            supervision_contents=6,
            teams=17,
            subjects=Count(organisations=17, members=10),
            out_of_plan_teams=6,
            out_of_plan_subjects=Count(organisations=1, members=5),
            contents_done=12,
        )
    }
    # Its issuer is the city committee's standing committee: the plan is a committee's too.
    assert year.committee_plans == year.plans
    # At the end of June (tests/test_planning.py: MID_YEAR): 8 contents done, 2 items outside
    # the plan added by then with a team each.
    assert (half.plans["provincial"].contents_done, half.plans["provincial"].out_of_plan_teams) == (
        8,
        2,
    )
    # Adopted on 16 January: no plan adopted in Q3.
    assert second.plans == {}
    # One case per subject, each concluded in 2023: 17 + 1 organisations and 10 + 5 members,
    # the supervision contents' 12 organisations and 3 members, the inspections' 6 and 12.
    assert year.total("supervision.thematic.supervised") == Count(organisations=12, members=3)
    assert year.total("inspection_on_signs.inspected") == Count(organisations=6, members=12)


# --------------------------------------------------------------------------- a city-year


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small city-year of the shipped workflows in a SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('indicators') / 'city.db'}"
    with open_store(url, shipped_registry()) as opened:
        generate_city_year(opened, DemoSettings(year=2023, scale=0.003, seed=5))
    return url


def test_worker_processes_count_the_same(city: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute_module, "PARALLEL_MIN", 0)  # workers even for a small store
    with open_store(city, shipped_registry()) as store:
        for period in (Period.parse("2023"), Period.parse("2023-Q3")):
            alone = compute_indicators(store, period)
            shared = compute_indicators(store, period, jobs=2, url=city)
            assert shared == alone
            assert not alone.total("supervision.regular.supervised").is_zero


def test_the_year_is_the_sum_of_its_quarters(city: str) -> None:
    # Every figure counts a step inside the period: the four quarters add up to the year
    # (a decision annulled in a later quarter aside, which the city-year has none of).
    with open_store(city, shipped_registry()) as store:
        year = compute_indicators(store, Period.parse("2023"))
        quarters = [compute_indicators(store, Period.parse(f"2023-Q{q}")) for q in range(1, 5)]
    for key in INDICATORS:
        assert year.total(key) == sum((q.total(key) for q in quarters), Count()), key

    # Each deadline due in the year falls due in one quarter. Met on time there, it is met on
    # time in the year; met late there, late in the year; missed at the quarter's end, it is late
    # in the year if met in a later quarter, missed if still open at the year's end, neither if
    # cancelled later in the year.
    def total(indicators: Indicators, outcome: str) -> int:
        return sum(d.get(outcome, 0) for d in indicators.deadlines.values())

    def summed(outcome: str) -> int:
        return sum(total(q, outcome) for q in quarters)

    assert total(year, "on_time") == summed("on_time")
    assert total(year, "late") >= summed("late")
    assert total(year, "late") + total(year, "missed") <= summed("late") + summed("missed")
    assert total(year, "late") > summed("late")  # the city-year has deadlines met a quarter late
