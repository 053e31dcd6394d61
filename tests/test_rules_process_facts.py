"""Rules that lived only in process code, now rules of every ruleset (issue 18, item 3): each
read per era with its value, citation and status, and the workflows deciding by them, so that a
user's file overriding one changes what a workflow decides.

Statuses are the reference's labels (VERIFIED verified, VERIFIED-2 secondary, RECALLED
assumed); a QĐ 22 rule carried into QĐ 296 or QĐ 21, whose texts were not retrieved, is
assumed (reference caveat 1), as the earlier facts are (``tests/test_rules_facts.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

from discipline_flow import Body, BodyKind, GuardContext, Level, Member, RuleStatus
from discipline_flow.errors import InvalidRuleError, TransitionRefused
from discipline_flow.processes import guards
from discipline_flow.processes.complaint import complaint, final_level, final_levels
from discipline_flow.processes.denunciation import denunciation_workflow
from discipline_flow.processes.discipline import member_discipline
from discipline_flow.processes.removal import removal_workflow
from discipline_flow.processes.suspension import committee_suspension
from discipline_flow.rules import Measure, Ruleset, default_registry
from helpers import at

NAMES = ("2021", "2022", "2025", "2025-07", "2026")
_STATUS = {"v": RuleStatus.VERIFIED, "s": RuleStatus.SECONDARY, "a": RuleStatus.ASSUMED}
_QD22 = "QĐ 22-QĐ/TW"

# key: (value text, statuses in the order of NAMES, document and article (one, or one per era))
FACTS: dict[str, tuple[str, str, str | tuple[str, ...], str | tuple[str, ...] | None]] = {
    # §2(c) QĐ 22 Điều 19 (P-tvpl-toCao-19, verified); QĐ 296 Điều 18 (R-28300988406 Q56)
    "denunciation_resolvers": (
        (
            "party_cell; partial_committee; grassroots_committee; committee; standing_committee; "
            "inspection_commission; politburo; secretariat; central_committee"
        ),
        "vvssa",
        (_QD22, _QD22, "QĐ 296-QĐ/TW", "QĐ 296-QĐ/TW", "QĐ 296-QĐ/TW"),
        ("Điều 19", "Điều 19", "Điều 18", "Điều 18", "Điều 18"),
    ),
    # §2(c) the grassroots handbook (P-stdt-tocao), QĐ 22 era
    "denunciation_not_handled_grounds": (
        "anonymous; false_name; no_clear_address; repeat_without_new_evidence; vague_content",
        "vvaaa",
        _QD22,
        None,
    ),
    "denunciation_withdrawal_ends_resolution": ("yes", "vvaaa", _QD22, None),
    # §2(d) QĐ 22 Điều 22 as amended by QĐ 262 (P-lawnet-102305, P-lawnet-262)
    "complaint_resolvers": (
        (
            "inspection_commission; standing_committee; grassroots_committee; committee; "
            "secretariat; politburo; central_committee"
        ),
        "vvaaa",
        _QD22,
        "Điều 22",
    ),
    "complaint_final_levels": (
        (
            "reprimand=central_inspection_commission; warning=central_inspection_commission; "
            "removal_from_post=central_inspection_commission; expulsion=secretariat; "
            "dissolution=secretariat"
        ),
        "vvaaa",
        _QD22,
        "Điều 22",
    ),
    "complaint_final_level_central_decisions": (
        (
            "central_committee=central_committee; politburo=central_committee; "
            "secretariat=central_committee; central_inspection_commission=central_committee"
        ),
        "vvaaa",
        _QD22,
        "Điều 22",
    ),
    # §2(f) QĐ 22 Điều 28 (P-thutucpl-28, P-lawnet-suspension-en), Điều 29 (P-congan-ht-37)
    "suspension_grounds_party_activity": (
        "obstructing; prosecuted; detained",
        "vvaaa",
        _QD22,
        "Điều 28",
    ),
    "suspension_grounds_committee": (
        "obstructing; charged; prosecuted; detained",
        "vvaaa",
        _QD22,
        "Điều 28",
    ),
    "suspension_grounds_organisation": ("obstructing", "vvaaa", _QD22, "Điều 28"),
    "suspension_authority_member": (
        (
            "party_activity=expulsion; party_activity_probationary=warning; "
            "committee=removal_from_post"
        ),
        "aaaaa",
        _QD22,
        "Điều 29",
    ),
    "suspension_authority_organisation": ("dissolution", "vvaaa", _QD22, "Điều 29"),
    # §2(g) Charter Điều 8 khoản 1 and QĐ 24 point 8.1 (P-luatminhkhue-rakhoi, P-cusc-xoaten)
    "removal_from_rolls_grounds": (
        (
            "no_activity_or_dues; no_progress_after_education; violated_member_standing; "
            "probationary_not_qualified; party_card_returned_or_destroyed; political_standards_not_met"
        ),
        "vvvvv",
        "Điều lệ Đảng (2011)",
        "Điều 8 khoản 1",
    ),
    # §2(e) a QĐ 30-era handbook (P-stdt-hinhthuc)
    "expulsion_warranted_not_removed_or_let_go": ("yes", "aaaaa", "QĐ 30-QĐ/TW (2016)", None),
    # §2(i) QĐ 117-QĐ/TW of 18/8/2023 (P-tvpl-117): after the 2021 ruleset's span, so assumed there
    "restoration_after_annulment": (
        (
            "apology; ratings; planning; appointment; salary; awards; post_or_equivalent; "
            "party_membership"
        ),
        "avvvv",
        "QĐ 117-QĐ/TW",
        None,
    ),
    # §2(h) HD 06-HD/UBKTTW (2018), historical (P-thukyluat-50988)
    "limitation_counted_from_end_of_continuing_violation": (
        "yes",
        "vaaaa",
        "HD 06-HD/UBKTTW (2018)",
        None,
    ),
}


def _rules(name: str) -> Ruleset:
    return default_registry().get(name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("key", sorted(FACTS))
def test_each_process_rule_per_era(name: str, key: str) -> None:
    value, statuses, documents, article = FACTS[key]
    index = NAMES.index(name)
    rule = _rules(name).rule(key)
    assert rule.value_text == value
    assert rule.status is _STATUS[statuses[index]]
    document = documents if isinstance(documents, str) else documents[index]
    if isinstance(article, tuple):
        article = article[index]
    assert (rule.citation.document, rule.citation.article) == (document, article)
    assert rule.citation.source
    if rule.status is RuleStatus.ASSUMED:
        assert rule.citation.note  # says why it is only assumed here


@pytest.mark.parametrize("name", NAMES)
def test_continuing_violation_rule_is_marked_historical(name: str) -> None:
    note = _rules(name).rule("limitation_counted_from_end_of_continuing_violation").citation.note
    assert note is not None
    assert note.startswith("historical")


def _local(key: str, value: str) -> Ruleset:
    """A user's file based on 2026 that overrides ``key`` with ``value`` (TOML)."""
    return Ruleset.from_toml(
        f'name = "2026-local"\nbased_on = "2026"\n[rules.{key}]\nvalue = {value}\n'
        'document = "Provincial decision 7/2026"\n',
        path="local.toml",
    )


# ------------------------------------------------------------------ denunciations

CELL = Body(BodyKind.PARTY_CELL, "cell-7")
MEMBER = Member("m-1", cell_id="cell-7")


def _classified(ruleset: Ruleset) -> Any:
    wf = denunciation_workflow(ruleset, "grassroots")
    case = wf.open(MEMBER, at=at(2026, 5, 4), actor=CELL, case_id="TC-1")
    case.fire("REGISTER", at=at(2026, 5, 4), actor=CELL, payload={"received_on": "2026-05-04"})
    case.fire("CLASSIFY", at=at(2026, 5, 5), actor=CELL)
    return case


def test_a_user_ground_not_to_handle_a_letter_changes_the_decision() -> None:
    # "already_before_a_court" is no ground in the 2026 ruleset (the handbook's list): refused,
    # citing the rule. A province's file adds it: the letter is not handled.
    payload = {"reason": "already_before_a_court"}
    case = _classified(_rules("2026"))
    with pytest.raises(TransitionRefused) as refused:
        case.fire("DECLINE", at=at(2026, 5, 6), actor=CELL, payload=payload)
    (failure,) = [f for f in refused.value.failures if f.guard == "not_handled_ground"]
    assert "QĐ 22-QĐ/TW (assumed)" in failure.reason
    local = _local(
        "denunciation_not_handled_grounds", '["anonymous", "false_name", "already_before_a_court"]'
    )
    case = _classified(local)
    case.fire("DECLINE", at=at(2026, 5, 6), actor=CELL, payload=payload)
    assert case.state.name == "NOT_HANDLED"


def test_a_withdrawal_ends_the_resolution_unless_the_rule_says_otherwise() -> None:
    # The handbook: a withdrawal not under coercion ends the resolution (2026: assumed).
    case = _classified(_rules("2026"))
    case.fire("WITHDRAW", at=at(2026, 5, 6), actor=CELL, payload={"coerced": False})
    assert case.state.name == "WITHDRAWN"
    case = _classified(_local("denunciation_withdrawal_ends_resolution", "false"))
    with pytest.raises(TransitionRefused, match="does not end the resolution"):
        case.fire("WITHDRAW", at=at(2026, 5, 6), actor=CELL, payload={"coerced": False})


def test_a_body_not_among_the_resolvers_is_refused() -> None:
    # A party cell resolves denunciations against its own members (QĐ 22 Điều 19); a province
    # that keeps them to committees and commissions refuses the cell, citing its decision.
    local = _local(
        "denunciation_resolvers", '["grassroots_committee", "inspection_commission", "committee"]'
    )
    wf = denunciation_workflow(local, "grassroots")
    case = wf.open(MEMBER, at=at(2026, 5, 4), actor=CELL, case_id="TC-2")
    with pytest.raises(TransitionRefused, match="does not resolve denunciations; resolvers: "):
        case.fire("REGISTER", at=at(2026, 5, 4), actor=CELL, payload={"received_on": "2026-05-04"})


# ------------------------------------------------------------------ suspension

PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
COMMITTEE_MEMBER = Member("m-2", committee_level=Level.GRASSROOTS)


def test_a_user_ruleset_without_the_charged_ground_refuses_it() -> None:
    # QĐ 22 Điều 28: a committee member who is charged is suspended from the committee. A file
    # that drops "charged" from the grounds refuses that suspension, citing its own decision.
    decide = {"grounds": ["charged"]}
    wf = committee_suspension(_rules("2026"))
    case = wf.open(COMMITTEE_MEMBER, at=at(2026, 5, 4), actor=PROVINCIAL_UBKT, case_id="DC-1")
    case.fire("DECIDE_SUSPENSION", at=at(2026, 5, 4), actor=PROVINCIAL_UBKT, payload=decide)
    assert case.state.name == "SUSPENDED"
    local = _local("suspension_grounds_committee", '["obstructing", "prosecuted", "detained"]')
    case = committee_suspension(local).open(
        COMMITTEE_MEMBER, at=at(2026, 5, 4), actor=PROVINCIAL_UBKT, case_id="DC-2"
    )
    with pytest.raises(TransitionRefused) as refused:
        case.fire("DECIDE_SUSPENSION", at=at(2026, 5, 4), actor=PROVINCIAL_UBKT, payload=decide)
    (failure,) = refused.value.failures
    assert failure.guard == "grounds"
    assert "Provincial decision 7/2026 (overridden)" in failure.reason


def test_a_bad_authority_entry_names_the_rule_and_what_is_allowed() -> None:
    local = _local("suspension_authority_member", '["party_activity=banishment"]')
    with pytest.raises(InvalidRuleError, match=r"suspension_authority_member.*SUSPENSION=MEASURE"):
        committee_suspension(local)


# ------------------------------------------------------------------ complaints


@pytest.mark.parametrize("name", NAMES)
def test_final_levels_per_era(name: str) -> None:
    # QĐ 22 Điều 22 as amended by QĐ 262: the Central Inspection Commission for a warning by a
    # cell, the Secretariat for an expulsion by a provincial standing committee, the Central
    # Committee for anything the Politburo decided.
    levels = final_levels(_rules(name))
    cell = Body(BodyKind.PARTY_CELL, "c")
    province = Body(BodyKind.STANDING_COMMITTEE, "p", Level.PROVINCIAL)
    assert final_level(Measure.WARNING, cell, levels) == (
        BodyKind.INSPECTION_COMMISSION,
        Level.CENTRAL,
    )
    assert final_level(Measure.EXPULSION, province, levels) == (BodyKind.SECRETARIAT, None)
    politburo = Body(BodyKind.POLITBURO, "bct")
    assert final_level(Measure.REPRIMAND, politburo, levels) == (BodyKind.CENTRAL_COMMITTEE, None)


def test_a_bad_final_level_names_the_rule() -> None:
    local = _local("complaint_final_levels", '["banishment=secretariat"]')
    with pytest.raises(InvalidRuleError, match=r"complaint_final_levels.*not a measure"):
        complaint(local)


# ------------------------------------------------------------------ removal, limitation

EXECUTIVE = Body(BodyKind.CELL_EXECUTIVE, "cell-7-exec")


def _ready(ruleset: Ruleset) -> Any:
    case = removal_workflow(ruleset).open(MEMBER, at=at(2026, 5, 4), actor=EXECUTIVE)
    case.fire("INVITE_SELF_REVIEW", at=at(2026, 5, 4), actor=EXECUTIVE)
    case.fire("RECEIVE_SELF_REVIEW", at=at(2026, 5, 11), actor=EXECUTIVE)
    return case


def test_expulsion_warranted_blocks_removal_while_the_rule_holds() -> None:
    payload = {
        "ground": "no_activity_or_dues",
        "months_without_activity_or_dues": 4,
        "warrants_expulsion": True,
    }
    case = _ready(_rules("2026"))
    with pytest.raises(TransitionRefused, match=r"must be expelled.*QĐ 30-QĐ/TW \(2016\)"):
        case.fire("PROPOSE_REMOVAL", at=at(2026, 5, 18), actor=CELL, payload=payload)
    case = _ready(_local("expulsion_warranted_not_removed_or_let_go", "false"))
    case.fire("PROPOSE_REMOVAL", at=at(2026, 5, 18), actor=CELL, payload=payload)
    assert case.state.name == "PROPOSED"


def _limitation_verdict(ruleset: Ruleset) -> str | None:
    # A reprimand-level violation that went on from Saturday 10 January 2015 to Tuesday 1 March
    # 2022, concluded on Monday 4 May 2026. From its end: 5 years run to 1 March 2027, not
    # time-barred. From its start: 5 years ran out on 10 January 2020 (QĐ 69 Điều 4).
    case = _ready(ruleset)
    payload = {
        "measure": "reprimand",
        "violation_on": "2015-01-10",
        "violation_ended_on": "2022-03-01",
    }
    trigger = case.workflow.trigger_named("PROPOSE_REMOVAL")
    ctx = GuardContext(case, trigger, case.state, case.state, at(2026, 5, 4), CELL, payload)
    return guards.not_time_barred(ruleset).check(ctx)


def test_a_continuing_violation_counts_from_its_end_unless_the_rule_says_otherwise() -> None:
    assert _limitation_verdict(_rules("2026")) is None
    reason = _limitation_verdict(
        _local("limitation_counted_from_end_of_continuing_violation", "false")
    )
    assert reason is not None
    assert "2020-01-10" in reason


def test_annulment_cites_the_restoration_rule() -> None:
    wf = member_discipline(_rules("2026"))
    bases = {t.basis for t in wf.transitions if t.trigger.name == "ANNUL_DECISION"}
    assert bases == {_rules("2026").rule("restoration_after_annulment").citation}
