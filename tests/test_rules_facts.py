"""The reference's further facts as rules (issue 18, item 3): each read from every era's
ruleset with its citation and status, and each period worked into a date by hand.

Statuses are the reference's labels (VERIFIED verified, VERIFIED-2 secondary, RECALLED
assumed); a value carried into a document whose text was not retrieved is assumed
(reference caveat 1). Dates were counted on a paper calendar; the library must agree.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pytest

from discipline_flow import RuleStatus, cli
from discipline_flow.rules import Ruleset, default_registry
from discipline_flow.time import Period, Unit, compute_due, default_calendar

NAMES = ("2021", "2022", "2025", "2025-07", "2026")
_STATUS = {"v": RuleStatus.VERIFIED, "a": RuleStatus.ASSUMED}

# key: (value text, statuses in the order of NAMES, document, article or None)
FACTS: dict[str, tuple[str, str, str, str | None]] = {
    # §2(a) QĐ 331-QĐ/TW of 18/6/2025 (P-enco-331): advisory bodies' inspections
    "advisory_inspection_period_central": ("60 days", "aaavv", "QĐ 331-QĐ/TW", None),
    "advisory_inspection_period_provincial": ("45 days", "aaavv", "QĐ 331-QĐ/TW", None),
    "advisory_inspection_period_above_grassroots": ("20 days", "aaavv", "QĐ 331-QĐ/TW", None),
    "advisory_inspection_extension_share": ("1/3", "aaavv", "QĐ 331-QĐ/TW", None),
    "advisory_inspection_lookback": ("5 years", "aaavv", "QĐ 331-QĐ/TW", None),
    # §2(c) HD 07-HD/UBKTTW (2019), historical (P-ubkttw-tocao)
    "congress_denunciation_freeze_grassroots": (
        "25 working days",
        "vvaaa",
        "HD 07-HD/UBKTTW (2019)",
        None,
    ),
    "congress_denunciation_freeze_higher": (
        "30 working days",
        "vvaaa",
        "HD 07-HD/UBKTTW (2019)",
        None,
    ),
    # §2(i) QĐ 69 Điều 2 khoản 13 (P-tvpl-49232), from 6/7/2022
    "barred_while_decision_in_effect": (
        "transfer; rotation; appointment; military_rank_promotion; party_or_state_title_conferral",
        "avvvv",
        "QĐ 69-QĐ/TW",
        "Điều 2 khoản 13",
    ),
    # §2(e) principles of QĐ 294 / QĐ 296 (P-mattran-294, P-laodong-296)
    "criminal_violation_referred_to_authority": ("yes", "aavva", "QĐ 296-QĐ/TW", "Điều 8"),
    "moved_member_handled_by_common_higher_organisation": (
        "yes",
        "aavva",
        "QĐ 296-QĐ/TW",
        "Điều 8",
    ),
    # §2(d) QĐ 22 Điều 23 and 24 (P-lawnet-173613); HD 02-HD/TW mục V điểm 2.4 (P-scribd-hoidap)
    "complaint_not_to_several_levels_at_once": ("yes", "vvaaa", "QĐ 22-QĐ/TW", "Điều 23"),
    "complaint_lower_levels_comply": ("yes", "vvaaa", "QĐ 22-QĐ/TW", "Điều 23"),
    "complaint_scope": (
        "content_of_violations; form_of_discipline; principles_procedures_and_authority",
        "vvaaa",
        "QĐ 22-QĐ/TW",
        "Điều 24",
    ),
    "complaint_and_denunciation_handled_as_complaint": (
        "yes",
        "vvaaa",
        "HD 02-HD/TW",
        "mục V điểm 2.4",
    ),
    # §2(f) QĐ 22 Điều 28 (P-thutucpl-28)
    "suspended_committee_member_suspended_from_committee": (
        "yes",
        "vvaaa",
        "QĐ 22-QĐ/TW",
        "Điều 28",
    ),
    # §2(e) a QĐ 30-era handbook (P-stdt-hinhthuc)
    "committee_member_removal_no_step_down": ("yes", "aaaaa", "QĐ 30-QĐ/TW (2016)", None),
    # §2(h) HD 06-HD/UBKTTW (2018) for QĐ 07-QĐi/TW, historical (P-thukyluat-50988)
    "limitation_no_restart_on_higher_approval": (
        "yes",
        "vaaaa",
        "HD 06-HD/UBKTTW (2018)",
        None,
    ),
    # §2(e) QĐ 46-QĐ/TW 2011 guidance, historical (P-tvpl-1993A)
    "refusal_to_receive_does_not_stop_effect": ("yes", "aaaaa", "QĐ 46-QĐ/TW (2011)", None),
}
HISTORICAL = (
    "congress_denunciation_freeze_grassroots",
    "congress_denunciation_freeze_higher",
    "limitation_no_restart_on_higher_approval",
    "refusal_to_receive_does_not_stop_effect",
)


def _rules(name: str) -> Ruleset:
    return default_registry().get(name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("key", sorted(FACTS))
def test_each_fact_is_a_rule_with_its_citation_and_status(name: str, key: str) -> None:
    value, statuses, document, article = FACTS[key]
    rule = _rules(name).rule(key)
    assert rule.value_text == value
    assert rule.status is _STATUS[statuses[NAMES.index(name)]]
    assert rule.citation.document == document
    assert rule.citation.article == article
    assert rule.citation.source  # every fact names the page it was read in
    if rule.status is RuleStatus.ASSUMED:
        assert rule.citation.note  # and says why it is only assumed here


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("key", HISTORICAL)
def test_historical_facts_are_marked_so(name: str, key: str) -> None:
    rule = _rules(name).rule(key)
    assert "historical" in (rule.citation.note or "") + (rule.note or "")


def test_the_json_listing_carries_every_fact(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--ruleset", "2026", "--json"]) == cli.EXIT_OK
    listed = {rule["key"]: rule for rule in json.loads(capsys.readouterr().out)["rules"]}
    for key, (value, statuses, document, _) in FACTS.items():
        assert listed[key]["value_text"] == value
        assert listed[key]["status"] == _STATUS[statuses[-1]].value
        assert listed[key]["citation"]["document"] == document


# ---------------------------------------------------------------- periods worked by hand

# QĐ 331-QĐ/TW (advisory_inspection_*): a central advisory body decides to inspect on Monday
# 4 May 2026. May 4 + 27 days = May 31; + 30 (June) = June 30 (57 days); + 3 = Friday 3 July.
# Provincial: May 31 (27) + 18 = Thursday 18 June. Above grassroots: 4 + 20 = Sunday 24 May,
# rolled to Monday 25 May. Extension at most 1/3: 20 days more for a central one (Thursday
# 23 July), 15 days more for a provincial one (3 July, as long as a central one unextended).
DECIDED = dt.date(2026, 5, 4)


@pytest.mark.parametrize(
    ("key", "last_day"),
    [
        ("advisory_inspection_period_central", dt.date(2026, 7, 3)),
        ("advisory_inspection_period_provincial", dt.date(2026, 6, 18)),
        ("advisory_inspection_period_above_grassroots", dt.date(2026, 5, 25)),
    ],
)
def test_advisory_inspection_last_day(key: str, last_day: dt.date) -> None:
    period = _rules("2026").period(key)
    assert compute_due(DECIDED, period).due_on == last_day


def test_advisory_inspection_extension_is_at_most_a_third() -> None:
    rules = _rules("2026")
    share = rules.fraction("advisory_inspection_extension_share")
    assert share == Fraction(1, 3)
    central = rules.period("advisory_inspection_period_central")
    provincial = rules.period("advisory_inspection_period_provincial")
    extra_central = Period(int(central.amount * share), Unit.CALENDAR_DAYS)
    extra_provincial = Period(int(provincial.amount * share), Unit.CALENDAR_DAYS)
    assert (extra_central, extra_provincial) == (
        Period(20, Unit.CALENDAR_DAYS),
        Period(15, Unit.CALENDAR_DAYS),
    )
    assert compute_due(DECIDED, central + extra_central).due_on == dt.date(2026, 7, 23)
    assert compute_due(DECIDED, provincial + extra_provincial).due_on == dt.date(2026, 7, 3)


def test_advisory_inspection_looks_back_five_years() -> None:
    # Conduct from Tuesday 4 May 2021 is the oldest an inspection decided on 4 May 2026 covers.
    lookback = _rules("2026").period("advisory_inspection_lookback")
    assert compute_due(dt.date(2021, 5, 4), lookback).due_on == DECIDED


def test_congress_freeze_starts_so_many_working_days_before_the_opening() -> None:
    # HD 07-HD/UBKTTW (2019), in the 2022 ruleset. A grassroots congress opening Monday 12 June
    # 2023: five full weeks without holidays before it, so the 25th working day before is
    # Monday 8 May. A provincial congress opening Monday 23 October 2023: six weeks, Monday
    # 11 September (after the National Day days off of 1-4 September).
    rules = _rules("2022")
    grassroots = rules.period("congress_denunciation_freeze_grassroots")
    higher = rules.period("congress_denunciation_freeze_higher")
    assert (grassroots.unit, higher.unit) == (Unit.WORKING_DAYS, Unit.WORKING_DAYS)
    cal = default_calendar()
    assert cal.add_working_days(dt.date(2023, 6, 12), -grassroots.amount) == dt.date(2023, 5, 8)
    assert cal.add_working_days(dt.date(2023, 10, 23), -higher.amount) == dt.date(2023, 9, 11)


def test_bars_last_as_long_as_the_decision_is_in_effect() -> None:
    # QĐ 69 Điều 2 khoản 5 and 13: a warning announced on Monday 15 June 2026 ends on its own
    # 12 months later, Tuesday 15 June 2027 (no complaint, no new violation); until then the
    # member is not appointed, transferred, promoted in rank or given titles.
    rules = _rules("2026")
    barred = rules.texts("barred_while_decision_in_effect")
    assert "appointment" in barred
    assert "transfer" in barred
    end = compute_due(dt.date(2026, 6, 15), rules.period("end_of_effect_period"))
    assert end.due_on == dt.date(2027, 6, 15)
