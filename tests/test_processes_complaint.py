"""The complaint about discipline (``discipline_flow.processes.complaint``).

Dates are worked out by hand with the holidays of ``shared/domain/calendar.md``; each row cites
its rule. The window is the ruleset's ``complaint_window`` (30 working days, the official gloss
of the Charter's "one month"); resolution limits are QĐ 30 (2016) values carried as assumed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level, Member, RuleStatus
from discipline_flow.errors import TransitionRefused
from discipline_flow.processes.complaint import (
    ComplaintState,
    complaint,
    complaint_workflow,
    final_level,
    final_levels,
    workflows,
)
from discipline_flow.rules import Measure, VoteTally, default_registry, select_ruleset
from discipline_flow.testing import CaseFactory, Path, Scenario, StepInput, covering_paths
from discipline_flow.testing.paths import PathStep
from helpers import RULESETS, TZ, at

COMPLAINANT = Body(BodyKind.PERSON, "m-1")
MEMBER = Member("m-1", cell_id="cell-7")
CELL = {"kind": "party_cell", "id": "cell-7", "level": None}
PROVINCIAL_STANDING = {"kind": "standing_committee", "id": "btv-t", "level": "provincial"}
POLITBURO = {"kind": "politburo", "id": "bct", "level": None}
GRASSROOTS_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-dy", Level.GRASSROOTS)
GRASSROOTS_COMMITTEE = Body(BodyKind.GRASSROOTS_COMMITTEE, "dy")
DISTRICT_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-h", Level.DISTRICT)
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
CENTRAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
SECRETARIAT = Body(BodyKind.SECRETARIAT, "bbt")
CC = Body(BodyKind.CENTRAL_COMMITTEE, "bchtw")
CELL_BODY = Body(BodyKind.PARTY_CELL, "cell-7")


def filed(
    when: pendulum.DateTime,
    *,
    filed_on: str,
    received_on: str = "2025-09-08",
    measure: str = "warning",
    decided_by: dict[str, Any] = CELL,
    actor: Body = COMPLAINANT,
    grounds: list[str] | None = None,
) -> Case[Any, Any]:
    """A complaint case opened on ``when`` under the ruleset in force on ``filed_on``."""
    wf = complaint(select_ruleset(dt.date.fromisoformat(filed_on)))
    payload: dict[str, Any] = {
        "filed_on": filed_on,
        "decision_received_on": received_on,
        "measure": measure,
        "decided_by": decided_by,
    }
    if grounds is not None:
        payload["grounds"] = grounds
    return wf.open(MEMBER, at=when, actor=actor, payload=payload)


def refused_by(case: Case[Any, Any], trigger: str, **kwargs: Any) -> set[str]:
    """The guards that refuse ``trigger``; the case is unchanged."""
    before = case.version
    with pytest.raises(TransitionRefused) as info:
        case.fire(trigger, **kwargs)
    assert case.version == before
    return {f.guard for f in info.value.failures}


@pytest.mark.parametrize("name", sorted(RULESETS))
def test_one_workflow_per_ruleset(name: str) -> None:
    (wf,) = workflows(RULESETS[name])
    assert (wf.name, wf.version, wf.ruleset) == ("complaint", name, name)
    assert all(m in wf.labels for m in (*wf.all_states, *wf.all_triggers))
    # QĐ 30 (2016) resolution times: historical, carried as assumed.
    assert wf.rule("resolution_period").citation.status is RuleStatus.ASSUMED
    assert wf.rule("resolution_period_central").citation.status is RuleStatus.ASSUMED


def test_level_by_level_to_the_final_level() -> None:
    # Ruleset 2025-07: a cell warned m-1; received Mon 8/9/2025, complaint sent Fri 12/9.
    case = filed(at(2025, 9, 15), filed_on="2025-09-12")
    # A cell does not resolve complaints (QĐ 22 Điều 22 as amended by QĐ 262).
    assert refused_by(case, "ACCEPT", at=at(2025, 9, 16), actor=CELL_BODY) >= {"competent_resolver"}
    case.fire("ACCEPT", at=at(2025, 9, 16), actor=GRASSROOTS_UBKT)
    # QĐ 30 Điều 32 tiết 5.2.1 (assumed): 90 working days from Tue 16/9/2025: 17-30/9 (10),
    # October (33), November (53), December (76), 1-2/1/2026 off, 5-9/1 (81), Sat 10/1 worked
    # (82), 12-16/1 (87), 19-21/1 (90): Wed 21/1/2026.
    assert case.deadline("resolution_period").due_on == dt.date(2026, 1, 21)
    # Only the body that accepted resolves.
    assert refused_by(case, "UPHOLD_DECISION", at=at(2025, 11, 3), actor=PROVINCIAL_UBKT) == {
        "accepting_resolver"
    }
    case.fire("UPHOLD_DECISION", at=at(2025, 11, 3), actor=GRASSROOTS_UBKT)
    assert case.deadline("resolution_period").met_at == at(2025, 11, 3)
    # Charter Điều 39 khoản 7 (30 working days) from the ruling on Mon 3/11/2025: 4-7/11 (4),
    # 10-14 (9), 17-21 (14), 24-28 (19), 1-5/12 (24), 8-12 (29), Mon 15/12/2025 (30).
    assert case.deadline("escalation_window").due_on == dt.date(2025, 12, 15)
    # Not yet final and the window is open: closing is refused.
    assert refused_by(case, "CLOSE", at=at(2025, 11, 4), actor=GRASSROOTS_UBKT) == {
        "no_further_complaint"
    }
    # A further complaint sent after the window is refused.
    assert refused_by(
        case,
        "ESCALATE",
        at=at(2025, 12, 20),
        actor=PROVINCIAL_UBKT,
        payload={"filed_on": "2025-12-16"},
    ) >= {"escalated_in_time"}
    # No district level from 1/7/2025: the next level above the grassroots is the province.
    case.fire(
        "ESCALATE", at=at(2025, 12, 1), actor=PROVINCIAL_UBKT, payload={"filed_on": "2025-11-28"}
    )
    assert case.state is ComplaintState.RESOLVING
    case.fire(
        "CHANGE_DECISION",
        at=at(2026, 2, 2),
        actor=PROVINCIAL_UBKT,
        payload={"measure": "reprimand"},
    )
    case.fire("ESCALATE", at=at(2026, 3, 2), actor=CENTRAL_UBKT, payload={"filed_on": "2026-02-27"})
    assert case.state.name == "RESOLVING_AT_CENTRAL_LEVEL"
    # QĐ 30 Điều 32 (assumed): 180 working days from Mon 2/3/2026: March (21), April (20: 27/4
    # and 30/4 off), May (20: 1/5 off), June (22), July (23), August (21: Sat 22/8 worked, 31/8
    # off), September (20: 1-2/9 off), October (22), 2-13/11 (10), Mon 16/11/2026 (180).
    assert case.deadline("resolution_period_central").due_on == dt.date(2026, 11, 16)
    case.fire("UPHOLD_DECISION", at=at(2026, 5, 4), actor=CENTRAL_UBKT)
    # The Central Inspection Commission is final for reprimand (QĐ 22 Điều 22, QĐ 262).
    with pytest.raises(TransitionRefused, match="final level") as info:
        case.fire(
            "ESCALATE", at=at(2026, 5, 5), actor=SECRETARIAT, payload={"filed_on": "2026-05-05"}
        )
    assert "below_final_level" in {f.guard for f in info.value.failures}
    case.fire("CLOSE", at=at(2026, 5, 5), actor=CENTRAL_UBKT)
    assert case.state.name == "CLOSED"
    assert case.deadline("escalation_window").cancelled_at == at(2026, 5, 5)


@pytest.mark.parametrize(
    ("filed_on", "received_on", "opener", "grounds", "expected"),
    [
        # Charter Điều 39 khoản 7 (30 working days): received Mon 8/9/2025, window ends Mon
        # 20/10/2025 (9-12/9, 15-19, 22-26, 29/9-3/10, 6-10, 13-17, 20/10).
        pytest.param("2025-10-20", "2025-09-08", COMPLAINANT, None, [], id="charter-39-7-last-day"),
        pytest.param(
            "2025-10-21", "2025-09-08", COMPLAINANT, None, ["filed_out_of_time"], id="qd296-23-late"
        ),
        # QĐ 296 Điều 23: a complaint before receiving the written decision.
        pytest.param(
            "2025-09-05",
            "2025-09-08",
            COMPLAINANT,
            None,
            ["filed_before_receiving_the_written_decision"],
            id="qd296-23-before-receipt",
        ),
        # QĐ 296 Điều 23 / QĐ 22 Điều 23: no complaint on someone else's behalf.
        pytest.param(
            "2025-09-12",
            "2025-09-08",
            Body(BodyKind.PERSON, "m-2"),
            None,
            ["filed_on_behalf_of_another_person"],
            id="qd296-23-on-behalf",
        ),
        # QĐ 296 Điều 23: sentenced to non-custodial reform or heavier (given by the resolver).
        pytest.param(
            "2025-09-12",
            "2025-09-08",
            COMPLAINANT,
            ["sentenced_to_non_custodial_reform_or_heavier_and_judgment_not_annulled"],
            ["sentenced_to_non_custodial_reform_or_heavier_and_judgment_not_annulled"],
            id="qd296-23-sentenced",
        ),
    ],
)
def test_admissibility_table(
    filed_on: str,
    received_on: str,
    opener: Body,
    grounds: list[str] | None,
    expected: list[str],
) -> None:
    case = filed(
        at(2025, 10, 22), filed_on=filed_on, received_on=received_on, actor=opener, grounds=grounds
    )
    if not expected:
        assert refused_by(case, "REJECT", at=at(2025, 10, 23), actor=GRASSROOTS_UBKT) == {
            "not_admissible"
        }
        case.fire("ACCEPT", at=at(2025, 10, 23), actor=GRASSROOTS_UBKT)
        return
    with pytest.raises(TransitionRefused) as info:
        case.fire("ACCEPT", at=at(2025, 10, 23), actor=GRASSROOTS_UBKT)
    for ground in expected:
        assert ground in str(info.value)
    assert "QĐ 296-QĐ/TW Điều 23 (secondary)" in str(info.value)
    case.fire("REJECT", at=at(2025, 10, 23), actor=GRASSROOTS_UBKT)
    assert case.state is ComplaintState.REJECTED


def test_unknown_grounds_and_missing_dates_are_refusals() -> None:
    case = filed(at(2025, 9, 15), filed_on="2025-09-12", grounds=["bad_weather"])
    with pytest.raises(TransitionRefused, match="unknown grounds bad_weather"):
        case.fire("REJECT", at=at(2025, 9, 16), actor=GRASSROOTS_UBKT)
    wf = complaint(RULESETS["2025-07"])
    bare = wf.open(MEMBER, at=at(2025, 9, 15), actor=COMPLAINANT)
    with pytest.raises(TransitionRefused, match="'filed_on'"):
        bare.fire("ACCEPT", at=at(2025, 9, 16), actor=GRASSROOTS_UBKT)
    with pytest.raises(TransitionRefused, match="'decided_by'"):
        bare.fire(
            "ACCEPT",
            at=at(2025, 9, 16),
            actor=GRASSROOTS_UBKT,
            payload={"filed_on": "2025-09-12", "decision_received_on": "2025-09-08"},
        )


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        # Ruleset 2022 (district level): from a cell's decision the province skips the district.
        (dt.date(2025, 5, 29), False),
        # Ruleset 2025-07: no district level (QĐ 294-QĐ/TW), the province is the next level.
        (dt.date(2025, 7, 1), True),
    ],
)
def test_no_level_is_skipped(day: dt.date, allowed: bool) -> None:
    when = pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)
    case = filed(when, filed_on=day.isoformat(), received_on=day.isoformat())
    failures = case.check("ACCEPT", at=when, actor=PROVINCIAL_UBKT)
    assert ("competent_resolver" not in {f.guard for f in failures}) is allowed
    if not allowed:
        assert any("skips the district level" in f.reason for f in failures)


@pytest.mark.parametrize(
    ("measure", "decided_by", "final"),
    [
        # QĐ 22 Điều 22 / QĐ 262: the Central Inspection Commission for reprimand, warning,
        # removal from post.
        (
            Measure.WARNING,
            Body(BodyKind.PARTY_CELL, "c"),
            (BodyKind.INSPECTION_COMMISSION, Level.CENTRAL),
        ),
        # The Secretariat for expulsion decided at or below the level directly under the CC.
        (
            Measure.EXPULSION,
            Body(BodyKind.STANDING_COMMITTEE, "p", Level.PROVINCIAL),
            (BodyKind.SECRETARIAT, None),
        ),
        # Assumed: dissolution as expulsion.
        (
            Measure.DISSOLUTION,
            Body(BodyKind.COMMITTEE, "p", Level.PROVINCIAL),
            (BodyKind.SECRETARIAT, None),
        ),
        # The Central Committee for discipline decided by the CC, Politburo, Secretariat, UBKTTW.
        (
            Measure.WARNING,
            Body(BodyKind.INSPECTION_COMMISSION, "tw", Level.CENTRAL),
            (BodyKind.CENTRAL_COMMITTEE, None),
        ),
        (Measure.EXPULSION, Body(BodyKind.POLITBURO, "bct"), (BodyKind.CENTRAL_COMMITTEE, None)),
    ],
)
def test_final_level_table(
    measure: Measure, decided_by: Body, final: tuple[BodyKind, Level | None]
) -> None:
    levels = final_levels(default_registry().get("2025-07"))
    assert final_level(measure, decided_by, levels) == final


def test_expulsion_goes_up_to_the_secretariat() -> None:
    case = filed(
        at(2025, 9, 15),
        filed_on="2025-09-12",
        measure="expulsion",
        decided_by=PROVINCIAL_STANDING,
    )
    case.fire("ACCEPT", at=at(2025, 9, 16), actor=CENTRAL_UBKT)
    assert case.state.name == "RESOLVING_AT_CENTRAL_LEVEL"
    case.fire("UPHOLD_DECISION", at=at(2025, 10, 1), actor=CENTRAL_UBKT)
    case.fire("ESCALATE", at=at(2025, 10, 6), actor=SECRETARIAT, payload={"filed_on": "2025-10-03"})
    case.fire("UPHOLD_DECISION", at=at(2025, 11, 3), actor=SECRETARIAT)
    with pytest.raises(TransitionRefused, match="final level"):
        case.fire("ESCALATE", at=at(2025, 11, 4), actor=CC, payload={"filed_on": "2025-11-04"})


def test_the_central_committee_resolves_by_secret_ballot() -> None:
    # QĐ 22 Điều 22 (P-lawnet-102305): final level for the Politburo's decisions, secret ballot.
    case = filed(at(2025, 9, 15), filed_on="2025-09-12", decided_by=POLITBURO)
    case.fire("ACCEPT", at=at(2025, 9, 16), actor=CC)
    assert refused_by(case, "ANNUL_DECISION", at=at(2025, 10, 1), actor=CC) == {"resolver_vote"}
    open_ballot = VoteTally(180, 100, 80, 0).to_payload()
    with pytest.raises(TransitionRefused, match="secret ballot"):
        case.fire("ANNUL_DECISION", at=at(2025, 10, 1), actor=CC, payload={"vote": open_ballot})
    secret = VoteTally(180, 100, 80, 0, is_secret_ballot=True).to_payload()
    case.fire("ANNUL_DECISION", at=at(2025, 10, 1), actor=CC, payload={"vote": secret})
    assert case.state is ComplaintState.ANNULLED
    assert case.deadline("resolution_period_central").met_at == at(2025, 10, 1)


def test_withdrawal_by_the_complainant_only() -> None:
    case = filed(at(2025, 9, 15), filed_on="2025-09-12")
    case.fire("ACCEPT", at=at(2025, 9, 16), actor=GRASSROOTS_UBKT)
    assert refused_by(case, "WITHDRAW", at=at(2025, 9, 20), actor=Body(BodyKind.PERSON, "m-2")) == {
        "by_complainant"
    }
    case.fire("WITHDRAW", at=at(2025, 9, 20), actor=COMPLAINANT)
    assert case.state is ComplaintState.WITHDRAWN
    assert case.deadline("resolution_period").cancelled_at == at(2025, 9, 20)


def test_the_sweep_closes_after_the_window() -> None:
    case = filed(at(2025, 9, 15), filed_on="2025-09-12")
    case.fire("ACCEPT", at=at(2025, 9, 16), actor=GRASSROOTS_UBKT)
    case.fire("UPHOLD_DECISION", at=at(2025, 11, 3), actor=GRASSROOTS_UBKT)

    s = Scenario(case.workflow, name="close").given(case=case)
    s.clock.set(at(2025, 12, 15, 23))
    s.sweep().then(state="RESOLVED", deadlines={"escalation_window": "due_soon"})
    s.clock.set(at(2025, 12, 16, 0))
    s.sweep().then(state="CLOSED", deadlines={"escalation_window": "cancelled"})


@pytest.mark.parametrize(
    ("filed_on", "version"),
    [
        # SELECTION_DATE: a complaint is governed by the rules in force when it is filed.
        (dt.date(2025, 5, 29), "2022"),
        (dt.date(2025, 5, 30), "2025"),
        (dt.date(2026, 4, 10), "2025-07"),
        (dt.date(2026, 4, 11), "2026"),
    ],
)
def test_complaint_workflow_by_filing_date(filed_on: dt.date, version: str) -> None:
    assert complaint_workflow(filed_on).version == version


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("2022", RuleStatus.VERIFIED),  # QĐ 22 Điều 22 as amended by QĐ 262
        ("2025", RuleStatus.ASSUMED),  # QĐ 296's article not retrieved: carried over
        ("2026", RuleStatus.ASSUMED),
    ],
)
def test_final_level_basis_by_ruleset(name: str, status: RuleStatus) -> None:
    wf = complaint(RULESETS[name])
    (accept, *_) = wf.candidates(ComplaintState.FILED, wf.trigger_named("ACCEPT"))
    assert accept.basis is not None
    assert accept.basis.status is status


# ---------------------------------------------------------------------------- every transition


def _provide(step: PathStep[Any, Any], case: Case[Any, Any]) -> StepInput | None:
    name, target = step.trigger.name, step.target.name
    central = target == "RESOLVING_AT_CENTRAL_LEVEL"
    if name == "ACCEPT":
        return StepInput({}, actor=CENTRAL_UBKT if central else GRASSROOTS_UBKT)
    if name == "ESCALATE":
        previous = next(x.actor for x in reversed(case.steps) if x.trigger is not None)
        district = RULESETS[case.workflow.version].has_district_level
        below = DISTRICT_UBKT if district else PROVINCIAL_UBKT
        up = (SECRETARIAT if previous == CENTRAL_UBKT else CENTRAL_UBKT) if central else below
        return StepInput({"filed_on": case.last_at.date().isoformat()}, actor=up)
    if name == "REJECT":
        return StepInput({"grounds": ["filed_on_behalf_of_another_person"]}, actor=GRASSROOTS_UBKT)
    if name == "CLOSE":
        return StepInput({}, actor=CENTRAL_UBKT, wait="31 working days")
    if name in ("UPHOLD_DECISION", "ANNUL_DECISION"):
        return StepInput({}, actor=case.steps[-1].actor)
    if name == "CHANGE_DECISION":
        return StepInput({"measure": "reprimand"}, actor=case.steps[-1].actor)
    if name == "WITHDRAW":
        return StepInput({}, actor=COMPLAINANT)
    return None


def _open_payload(central: bool) -> dict[str, Any]:
    return {
        "filed_on": "2021-08-02",
        "decision_received_on": "2021-07-30",
        "measure": "expulsion" if central else "warning",
        "decided_by": PROVINCIAL_STANDING if central else CELL,
    }


@pytest.mark.parametrize("name", sorted(RULESETS))
def test_every_transition_fires(name: str) -> None:
    wf = complaint(RULESETS[name])
    effective = RULESETS[name].effective_from
    start = pendulum.datetime(effective.year, effective.month, effective.day, 9, tz=TZ)
    fired = set()
    (accept_below,) = [
        c for c in wf.compiled if c.trigger.name == "ACCEPT" and c.target.name == "RESOLVING"
    ]
    for covering in covering_paths(wf):
        path = covering
        if covering.steps[-1].key == "ESCALATE->RESOLVING":
            path = Path(
                covering.workflow, covering.start, (PathStep.of(accept_below), *covering.steps[1:])
            )
        central = path.steps[0].target.name == "RESOLVING_AT_CENTRAL_LEVEL"
        payload = _open_payload(central)
        payload["filed_on"] = payload["decision_received_on"] = effective.isoformat()
        case = CaseFactory().follow(
            wf,
            path,
            at=start,
            subject=MEMBER,
            actor=COMPLAINANT,
            payloads=_provide,
            open_payload=payload,
        )
        assert case.state is path.end
        fired.add((path.steps[-1].source, path.steps[-1].trigger, path.steps[-1].target))
    assert fired == {(c.source, c.trigger, c.target) for c in wf.compiled}


WINDOW_RULE = "Điều lệ Đảng (2011) Điều 39 khoản 7 (verified)"


@pytest.mark.parametrize(
    ("received_on", "last_day", "era"),
    [
        # 30 working days (Charter Điều 39 khoản 7, the party's gloss), the day received not
        # counted. Mon 1/11/2021: 2-5/11 (4), 8-12 (9), 15-19 (14), 22-26 (19), 29-30 (21),
        # 1-3/12 (24), 6-10 (29), Mon 13/12 (30).
        pytest.param("2021-11-01", "2021-12-13", "2021", id="2021-qd22"),
        # Mon 2/10/2023: 3-6/10 (4), 9-13 (9), 16-20 (14), 23-27 (19), 30-31 (21), 1-3/11
        # (24), 6-10 (29), Mon 13/11 (30).
        pytest.param("2023-10-02", "2023-11-13", "2022", id="2022-qd22"),
        # Mon 5/5/2025 (after the 30/4-2/5 holidays): 6-9/5 (4), 12-16 (9), 19-23 (14), 26-30
        # (19), 2-6/6 (24), 9-13 (29), Mon 16/6 (30).
        pytest.param("2025-05-05", "2025-06-16", "2025", id="2025-qd296"),
        # Mon 8/9/2025: 9-12/9 (4), 15-19 (9), 22-26 (14), 29/9-3/10 (19), 6-10 (24), 13-17
        # (29), Mon 20/10 (30).
        pytest.param("2025-09-08", "2025-10-20", "2025-07", id="2025-07-qd296"),
        # Mon 4/5/2026: 5-8/5 (4), 11-15 (9), 18-22 (14), 25-29 (19), 1-5/6 (24), 8-12 (29),
        # Mon 15/6 (30).
        pytest.param("2026-05-04", "2026-06-15", "2026", id="2026-qd21"),
    ],
)
def test_a_late_complaint_is_refused_by_the_window_rule_with_its_last_day(
    received_on: str, last_day: str, era: str
) -> None:
    day_after = (dt.date.fromisoformat(last_day) + dt.timedelta(days=1)).isoformat()
    when = pendulum.parse(f"{day_after}T09:00:00+07:00")
    assert isinstance(when, pendulum.DateTime)
    late = filed(when, filed_on=day_after, received_on=received_on)
    assert late.workflow.version == era
    with pytest.raises(TransitionRefused) as info:
        late.fire("ACCEPT", at=when, actor=GRASSROOTS_UBKT)
    # both ways of accepting (at the central level and below it) refuse it alike
    (reason,) = {f.reason for f in info.value.failures if f.guard == "admissible"}
    assert reason == (
        f"the complaint is not accepted: filed_out_of_time: sent on {day_after}, after "
        f"{last_day}, the last day of the window of 30 working days from receiving the "
        f"decision on {received_on} [{WINDOW_RULE}]"
    )
    if era in ("2021", "2022"):  # a QĐ 22 case never cites the 2025 document
        assert "QĐ 296" not in str(info.value)
    # On the last day the complaint is in time.
    in_time = filed(when, filed_on=last_day, received_on=received_on)
    assert "admissible" not in {f.guard for f in in_time.check("ACCEPT", actor=GRASSROOTS_UBKT)}
