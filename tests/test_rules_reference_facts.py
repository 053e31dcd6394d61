"""Every fact of the rules reference's sections 2-5 that is not marked historical is a rule
(issue 18, "Must show"): ``discipline-flow rules --json`` lists it, with its citation and
status, in every ruleset where the fact applies.

:data:`REFERENCE` is the reference read fact by fact (section, the fact in a few words, the rule
that holds it, the rulesets it applies to: a document's facts from the first ruleset in force
after it was issued, a QĐ 22 fact in every ruleset since later ones carry it over as assumed).
:data:`LEFT_OUT` lists what the sections hold that is not a fact to encode, and why: historical
values (some are rules anyway, marked historical), what the reference says was not found or
must not be encoded, definitions, and the modelling sketch of section 3. The facts first
encoded here are worked per era in :data:`NEW_FACTS`.
"""

from __future__ import annotations

import json

import pytest

from discipline_flow import Body, BodyKind, Member, RuleStatus, cli
from discipline_flow.diagrams._pages import rules_page
from discipline_flow.errors import TransitionRefused
from discipline_flow.processes.denunciation import denunciation_workflow
from discipline_flow.processes.removal import leaving_workflow
from discipline_flow.rules import Ruleset, default_registry
from helpers import at

NAMES = ("2021", "2022", "2025", "2025-07", "2026")
ALL = NAMES
FROM_2022 = NAMES[1:]  # QĐ 69 (6/7/2022), QĐ 164 (6/6/2024), QĐ 117 (18/8/2023)
FROM_2025 = NAMES[2:]  # QĐ 296 (30/5/2025), QĐ 331 (18/6/2025), HD 08-HD/TW (10/6/2025)
FROM_2025_07 = NAMES[3:]  # QĐ 294 (in force 1/7/2025)
ONLY_2026 = NAMES[4:]  # QĐ 21, QĐ 208, QĐ 01 (2026)

#: (section, fact, rule key, rulesets where the fact applies)
REFERENCE: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # 2(a) inspection on signs of violation
    (
        "2a",
        "advisory bodies do not inspect on signs of violation",
        "advisory_bodies_do_not_inspect_on_signs",
        FROM_2025,
    ),
    (
        "2a",
        "a party cell resolves denunciations against its members",
        "denunciation_resolvers",
        ALL,
    ),
    (
        "2a",
        "inspection commissions from the grassroots committee up",
        "inspection_commission_from_grassroots_up",
        FROM_2025,
    ),
    (
        "2a",
        "advisory inspections: 60 days central",
        "advisory_inspection_period_central",
        FROM_2025,
    ),
    (
        "2a",
        "advisory inspections: 45 days provincial",
        "advisory_inspection_period_provincial",
        FROM_2025,
    ),
    (
        "2a",
        "advisory inspections: 20 days above grassroots",
        "advisory_inspection_period_above_grassroots",
        FROM_2025,
    ),
    (
        "2a",
        "advisory inspections: extension at most 1/3",
        "advisory_inspection_extension_share",
        FROM_2025,
    ),
    (
        "2a",
        "advisory inspections: look back at most 5 years",
        "advisory_inspection_lookback",
        FROM_2025,
    ),
    (
        "2a",
        "a member absent after several invitations is still considered",
        "absent_member_still_considered",
        FROM_2025,
    ),
    (
        "2a",
        "removal reviews: three invitations, then the cell proceeds",
        "invitations_before_cell_proceeds",
        ALL,
    ),
    (
        "2a",
        "no recording or filming of meetings with the team",
        "no_recording_of_inspection_meetings",
        ALL,
    ),
    # 2(b) supervision
    (
        "2b",
        "which cells also supervise by theme",
        "cell_thematic_supervision_conditions",
        FROM_2025,
    ),
    # 2(c) denunciations
    ("2c", "who resolves denunciations (QĐ 22 Điều 19)", "denunciation_resolvers", ALL),
    (
        "2c",
        "letters not resolved (anonymous, false name, repeat, vague)",
        "denunciation_not_handled_grounds",
        ALL,
    ),
    (
        "2c",
        "a withdrawal ends the resolution unless coerced",
        "denunciation_withdrawal_ends_resolution",
        ALL,
    ),
    (
        "2c",
        "anonymous letters with concrete content may feed an inspection",
        "anonymous_letter_used_for_inspection",
        FROM_2025,
    ),
    (
        "2c",
        "a letter that complains and denounces is a complaint",
        "complaint_and_denunciation_handled_as_complaint",
        ALL,
    ),
    ("2c", "grassroots: 90 working days", "denunciation_resolution_period", ALL),
    (
        "2c",
        "grassroots: extension at most 30 working days",
        "denunciation_resolution_extension",
        ALL,
    ),
    (
        "2c",
        "central cadres: 180 days (QĐ 164)",
        "denunciation_resolution_period_central_cadres",
        FROM_2022,
    ),
    (
        "2c",
        "central cadres: extension at most 60 days",
        "denunciation_resolution_extension_central_cadres",
        FROM_2022,
    ),
    (
        "2c",
        "counted from receipt by the competent body",
        "denunciation_counted_from_receipt_by_competent_body",
        ALL,
    ),
    # 2(d) complaints
    (
        "2d",
        "only the disciplined organisation or member complains",
        "complaint_by_the_disciplined_only",
        ALL,
    ),
    ("2d", "the window: one month / 30 working days / 30 days", "complaint_window", ALL),
    (
        "2d",
        "grounds not to accept a complaint (QĐ 296 Điều 23)",
        "complaint_not_accepted_grounds",
        ALL,
    ),
    (
        "2d",
        "no skipping levels, not to several levels at once",
        "complaint_not_to_several_levels_at_once",
        ALL,
    ),
    (
        "2d",
        "the decision stays in force while a complaint is pending",
        "decision_stays_in_force_during_complaint",
        ALL,
    ),
    ("2d", "lower levels reconsider and comply", "complaint_lower_levels_comply", ALL),
    ("2d", "scope: violations, form, principles, procedures, authority", "complaint_scope", ALL),
    (
        "2d",
        "who resolves: commissions, standing committees, committees from the grassroots up",
        "complaint_resolvers",
        ALL,
    ),
    (
        "2d",
        "final: the Central Inspection Commission / the Secretariat",
        "complaint_final_levels",
        ALL,
    ),
    (
        "2d",
        "final: the Central Committee for central bodies' decisions",
        "complaint_final_level_central_decisions",
        ALL,
    ),
    (
        "2d",
        "the Central Committee resolves by secret ballot",
        "central_committee_secret_ballot",
        ALL,
    ),
    # 2(e) the disciplinary process
    ("2e", "forms for full members", "member_measures", ALL),
    ("2e", "forms for probationary members", "probationary_member_measures", ALL),
    ("2e", "forms for organisations", "organisation_measures", ALL),
    (
        "2e",
        "a probationary member not qualified is removed from the rolls",
        "removal_from_rolls_grounds",
        ALL,
    ),
    (
        "2e",
        "expulsion-level: expelled, not removed or let go",
        "expulsion_warranted_not_removed_or_let_go",
        ALL,
    ),
    (
        "2e",
        "removal-level committee member: removed, not let step down",
        "committee_member_removal_no_step_down",
        ALL,
    ),
    (
        "2e",
        "criminal-level violations referred to the competent authority",
        "criminal_violation_referred_to_authority",
        ALL,
    ),
    ("2e", "administrative follow-up within 5 days", "administrative_follow_up_period", ALL),
    ("2e", "state bodies notify the party within 5 days", "state_notification_period", ALL),
    (
        "2e",
        "members who moved: handled by the organisation above both",
        "moved_member_handled_by_common_higher_organisation",
        ALL,
    ),
    (
        "2e",
        "not yet considered: pregnancy, maternity, child under 12 months, illness",
        "deferral_reasons",
        ALL,
    ),
    ("2e", "that waiting time is not counted", "limitation_excludes_deferral_time", ALL),
    (
        "2e",
        "the member is heard before the deciding meeting",
        "member_heard_before_decision",
        FROM_2025,
    ),
    ("2e", "more than half to decide", "discipline_vote_majority", ALL),
    ("2e", "two thirds of the cell to propose expulsion", "expulsion_proposal_majority", ALL),
    ("2e", "secret ballot for every disciplinary vote (recalled)", "secret_ballot_required", ALL),
    ("2e", "the subject does not vote", "subject_excluded_from_vote", ALL),
    (
        "2e",
        "a cell's decision takes effect on announcing the vote",
        "cell_decision_takes_effect",
        FROM_2025,
    ),
    ("2e", "decisions take effect on signing (QĐ 21)", "decision_takes_effect", ONLY_2026),
    (
        "2e",
        "higher levels approve, change or annul (recalled)",
        "higher_level_may_review_decision",
        ALL,
    ),
    # 2(f) suspension
    ("2f", "grounds to suspend party activity", "suspension_grounds_party_activity", ALL),
    (
        "2f",
        "grounds to suspend a committee member (charged: committee only)",
        "suspension_grounds_committee",
        ALL,
    ),
    ("2f", "grounds to suspend an organisation", "suspension_grounds_organisation", ALL),
    (
        "2f",
        "a suspended committee member is suspended from the committee",
        "suspended_committee_member_suspended_from_committee",
        ALL,
    ),
    ("2f", "who may suspend a member", "suspension_authority_member", ALL),
    (
        "2f",
        "who may dissolve an organisation may suspend it",
        "suspension_authority_organisation",
        ALL,
    ),
    ("2f", "90 days", "suspension_period", ALL),
    (
        "2f",
        "extension limit (QĐ 22: to 180 in all; QĐ 21: once by 30)",
        "suspension_extension_limit",
        ALL,
    ),
    ("2f", "total limit", "suspension_total_limit", ALL),
    ("2f", "a single extension (QĐ 21)", "suspension_single_extension", ONLY_2026),
    ("2f", "an organisation: at most 90 days", "organisation_suspension_period", ALL),
    ("2f", "an organisation: extension", "organisation_suspension_extension_limit", ALL),
    (
        "2f",
        "follows the legal measure when prosecuted or detained",
        "suspension_follows_legal_measure",
        ALL,
    ),
    ("2f", "legal agencies notify within 3 days", "legal_agency_notification_period", ALL),
    ("2f", "a suspended member still pays dues", "suspended_member_pays_dues", FROM_2025),
    # 2(g) removal from the rolls, leaving the party
    (
        "2g",
        "three months in a year without activity or dues",
        "removal_from_rolls_absence_period",
        ALL,
    ),
    ("2g", "no progress after 12 months of education", "removal_from_rolls_education_period", ALL),
    (
        "2g",
        "violating member standing two consecutive years",
        "removal_from_rolls_violation_years",
        ALL,
    ),
    (
        "2g",
        "the grounds (Charter Điều 8; QĐ 24 point 8.1; QĐ 208 and QĐ 01 in 2026)",
        "removal_from_rolls_grounds",
        ALL,
    ),
    ("2g", "probation lasts 12 months", "probation_period", ALL),
    (
        "2g",
        "the cell considers a probationary member within 30 working days",
        "probation_review_period",
        FROM_2025_07,
    ),
    (
        "2g",
        "two thirds of the cell's full members to remove a probationary member",
        "probationary_removal_vote_majority",
        ALL,
    ),
    ("2g", "only a member without violations is let leave", "leaving_only_without_violations", ALL),
    # 2(h) limitation
    ("2h", "5 years for reprimand-level violations", "limitation_period_reprimand", FROM_2022),
    ("2h", "10 years for warning-level violations", "limitation_period_warning", FROM_2022),
    (
        "2h",
        "10 years for removal-level violations",
        "limitation_period_removal_from_post",
        FROM_2022,
    ),
    (
        "2h",
        "no limitation: expulsion/dissolution level and the listed cases",
        "no_limitation_cases",
        FROM_2022,
    ),
    (
        "2h",
        "counted until the conclusion that discipline is warranted",
        "limitation_counted_until",
        ALL,
    ),
    ("2h", "a new violation restarts the period", "limitation_restarts_on_new_violation", ALL),
    (
        "2h",
        "the form is voted first, then compared with the period",
        "limitation_compared_after_vote",
        ALL,
    ),
    # 2(i) effect
    ("2i", "a decision ends by itself after 12 months", "end_of_effect_period", FROM_2022),
    (
        "2i",
        "no transfer, appointment, promotion or titles while in effect",
        "barred_while_decision_in_effect",
        FROM_2022,
    ),
    (
        "2i",
        "apology and restoration after wrongful discipline (QĐ 117)",
        "restoration_after_annulment",
        FROM_2022,
    ),
    # 2(k) assets
    ("2k", "the asset-control bodies (QĐ 21)", "asset_control_bodies", ONLY_2026),
    # 4: the table of deadline rules repeats the periods above; rows 5-6 are historical
    ("4", "row 1-4: the complaint window and its readings", "complaint_window", ALL),
    ("4", "row 7: denunciations at the grassroots", "denunciation_resolution_period", ALL),
    (
        "4",
        "row 8: denunciations against central cadres",
        "denunciation_resolution_period_central_cadres",
        FROM_2022,
    ),
    ("4", "rows 10-12: suspension", "suspension_period", ALL),
    ("4", "row 13: suspension follows the legal measure", "suspension_follows_legal_measure", ALL),
    ("4", "row 14: 3 days", "legal_agency_notification_period", ALL),
    ("4", "rows 16-18: limitation", "limitation_period_reprimand", FROM_2022),
    ("4", "row 19: automatic end", "end_of_effect_period", FROM_2022),
    ("4", "rows 20-21: 5 days", "administrative_follow_up_period", ALL),
    ("4", "rows 22-24: removal triggers", "removal_from_rolls_absence_period", ALL),
    ("4", "row 25: probation review", "probation_review_period", FROM_2025_07),
    ("4", "row 27: advisory inspections", "advisory_inspection_period_central", FROM_2025),
    # 5: counting
    ("5", "plain 'ngày' is read as calendar days (recalled)", "plain_days_are_calendar_days", ALL),
    ("5", "Civil Code art. 147: the start day is not counted", "counting_excludes_start_day", ALL),
    (
        "5",
        "Civil Code art. 148: a last day off rolls forward",
        "counting_rolls_forward_past_rest_days",
        ALL,
    ),
)

#: What sections 2-5 hold that is not encoded as a fact, and why.
LEFT_OUT: tuple[tuple[str, str, str], ...] = (
    ("2a", "the steps of an inspection", "a pattern: the inspection workflow's states"),
    (
        "2a",
        "time limits of inspections on signs of violation",
        "not found; recalled: do not encode",
    ),
    ("2b", "the definition of supervision (QĐ 21)", "a definition (glossary)"),
    (
        "2b",
        "a cell supervises members on their duties (QĐ 21 Điều 6)",
        "the scope of supervision, no decision to encode",
    ),
    (
        "2b",
        "thematic supervision 45/30/25/20 working days (QĐ 86)",
        "historical; rules thematic_supervision_period_* anyway",
    ),
    ("2b", "Lào Cai: 30 days for a cell's thematic supervision", "a province's own rule"),
    (
        "2b",
        "supervision passes to inspection on signs of violation",
        "recalled doctrine: the supervision workflow's escalation",
    ),
    (
        "2c",
        "congress freeze 25/30 working days (HD 07, 2019)",
        "historical; rules congress_denunciation_freeze_* anyway",
    ),
    ("2c", "90/180 working days above the grassroots", "recalled: do not encode"),
    (
        "2d",
        "resolution 90/180 working days (QĐ 30)",
        "historical; rules complaint_resolution_period_* anyway",
    ),
    ("2d", "QĐ 35 procedure at the central level", "steps only, no rule retrieved"),
    ("2e", "discipline fair, accurate, timely; all equal", "a principle, no decision to encode"),
    ("2e", "the member's self-criticism before the cell", "recalled, not encoded"),
    (
        "2e",
        "the authority matrix (who decides which measure)",
        "the rulesets' authority tables, not rules",
    ),
    (
        "2e",
        "refusing to receive a decision does not stop it",
        "historical; rule refusal_to_receive_does_not_stop_effect anyway",
    ),
    ("2f", "suspension under QĐ 14 (2001) and QĐ 30 (2016)", "historical"),
    ("2g", "complaints about removal (QĐ 294)", "content not retrieved"),
    ("2h", "the definition of the limitation period (QĐ 296 Điều 3)", "a definition (glossary)"),
    (
        "2h",
        "a continuing violation counts from its end (HD 06, 2018)",
        "historical; rule limitation_counted_from_end_of_continuing_violation anyway",
    ),
    (
        "2h",
        "no restart on a higher level's approval (HD 06, 2018)",
        "historical; rule limitation_no_restart_on_higher_approval anyway",
    ),
    ("2i", "one year of effect under QĐ 30", "historical"),
    ("2i", "longer bars from cadre-work regulations", "recalled only"),
    (
        "2j",
        "remediation after conclusions",
        "recalled; no deadline found: set per conclusion notice",
    ),
    (
        "2k",
        "definitions of asset control and verification (QĐ 296 Điều 3)",
        "definitions (glossary)",
    ),
    (
        "2k",
        "dishonest declaration is prohibited (QĐ 37)",
        "the asset-verification workflow's escalation",
    ),
    ("2k", "state law on asset declaration (Luật 132/2025/QH15)", "state law, not a party rule"),
    ("3", "the lifecycle sketch", "a modelling proposal, not a fact"),
    ("4", "rows 5, 6, 9, 15, 26: QĐ 30, HD 07, HD 02-HD/UBKTTW", "historical (encoded anyway)"),
    ("4", "rows 28-30: local rule, not found, recalled", "not facts to encode"),
    ("5", "limitation periods in months suggest month arithmetic", "a reading, kept as years"),
)


@pytest.mark.parametrize("name", NAMES)
def test_rules_json_lists_every_fact_with_citation_and_status(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["rules", "--ruleset", name, "--json"]) == cli.EXIT_OK
    listed = {rule["key"]: rule for rule in json.loads(capsys.readouterr().out)["rules"]}
    for section, fact, key, applies in REFERENCE:
        if name not in applies:
            continue
        assert key in listed, (section, fact)
        rule = listed[key]
        assert rule["citation"]["document"], (section, fact)
        assert rule["status"] in {s.value for s in RuleStatus if s is not RuleStatus.OVERRIDDEN}
        # where it was read, or (a recalled fact) why it is only assumed
        assert rule["citation"]["source"] or rule["citation"]["note"], (section, fact)


def test_every_section_is_read() -> None:
    sections = {section[:1] for section, *_ in (*REFERENCE, *LEFT_OUT)}
    assert sections == {"2", "3", "4", "5"}
    assert {s for s, *_ in REFERENCE if s.startswith("2")} == {f"2{c}" for c in "abcdefghik"}


# key: (value text, statuses in the order of NAMES: verified, secondary, assumed)
NEW_FACTS = {
    "advisory_bodies_do_not_inspect_on_signs": ("yes", "aassa"),
    "inspection_commission_from_grassroots_up": ("yes", "aassa"),
    "absent_member_still_considered": ("yes", "aassa"),
    "no_recording_of_inspection_meetings": ("yes", "ssaaa"),
    "cell_thematic_supervision_conditions": (
        "has_cell_executive; more_than_30_members; scattered_members; many_party_groups",
        "aassa",
    ),
    "anonymous_letter_used_for_inspection": ("yes", "aassa"),
    "denunciation_counted_from_receipt_by_competent_body": ("yes", "vvaaa"),
    "complaint_by_the_disciplined_only": ("yes", "vvvvv"),
    "member_heard_before_decision": ("yes", "aassa"),
    "higher_level_may_review_decision": ("yes", "aaaaa"),
    "suspended_member_pays_dues": ("yes", "aassa"),
    "probationary_removal_vote_majority": ("2/3", "sssss"),
    "leaving_only_without_violations": ("yes", "vvaaa"),
    "limitation_compared_after_vote": ("yes", "vvaaa"),
    "asset_control_bodies": ("inspection_commissions_above_grassroots", "aaaaa"),
    "counting_excludes_start_day": ("yes", "aaaaa"),
    "counting_rolls_forward_past_rest_days": ("yes", "aaaaa"),
    "plain_days_are_calendar_days": ("yes", "aaaaa"),
}
_STATUS = {"v": RuleStatus.VERIFIED, "s": RuleStatus.SECONDARY, "a": RuleStatus.ASSUMED}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("key", sorted(NEW_FACTS))
def test_each_new_fact_per_era(name: str, key: str) -> None:
    value, statuses = NEW_FACTS[key]
    rule = default_registry().get(name).rule(key)
    assert rule.value_text == value
    assert rule.status is _STATUS[statuses[NAMES.index(name)]]
    assert rule.citation.source
    if rule.status is RuleStatus.ASSUMED:
        assert rule.citation.note  # says why it is only assumed here


# ------------------------------------------------------------------ the docs' count by status

# Counted by hand for 2026: 24 verified rules (the 21 before issue 18's process rules, the
# removal grounds, QĐ 117 and who may complain), 1 secondary (the law firm's 2/3), 91 assumed
# (the 62 before, 13 rules from process code, 16 further facts); 116 in all.


def test_the_rules_page_counts_rules_by_status_per_ruleset() -> None:
    page = rules_page([])
    assert "| Ruleset | In force | verified | secondary | assumed | overridden | Rules |" in page
    assert "| `2026` | 2026-04-11 on | 24 | 1 | 91 | 0 | 116 |" in page
    for ruleset in default_registry():  # every ruleset has its row, from its file
        counts = " | ".join(str(len(ruleset.by_status(status))) for status in RuleStatus)
        assert f"| `{ruleset.name}` | {ruleset.span} | {counts} | {len(ruleset.rules)} |" in page


# ------------------------------------------------------------------ rules the workflows read

CELL = Body(BodyKind.PARTY_CELL, "cell-7")
MEMBER = Member("m-1", cell_id="cell-7")


def _local(key: str) -> Ruleset:
    return Ruleset.from_toml(
        f'name = "2026-local"\nbased_on = "2026"\n[rules.{key}]\nvalue = false\n'
        'document = "Provincial decision 7/2026"\n',
        path="local.toml",
    )


def test_a_letter_feeds_an_inspection_only_where_the_rule_allows_it() -> None:
    # QĐ 296 Điều 19 (2026: assumed): a letter with concrete content may feed an inspection.
    for ruleset, allowed in (
        (default_registry().get("2026"), True),
        (_local("anonymous_letter_used_for_inspection"), False),
    ):
        case = denunciation_workflow(ruleset, "grassroots").open(
            MEMBER, at=at(2026, 5, 4), actor=CELL
        )
        case.fire("REGISTER", at=at(2026, 5, 4), actor=CELL, payload={"received_on": "2026-05-04"})
        case.fire("CLASSIFY", at=at(2026, 5, 5), actor=CELL)
        payload = {"has_concrete_content": True}
        if allowed:
            case.fire("USE_FOR_INSPECTION", at=at(2026, 5, 6), actor=CELL, payload=payload)
            assert case.state.name == "USED_FOR_INSPECTION"
        else:
            with pytest.raises(TransitionRefused, match="does not feed an inspection"):
                case.fire("USE_FOR_INSPECTION", at=at(2026, 5, 6), actor=CELL, payload=payload)


def test_a_member_with_violations_is_let_go_only_where_the_rule_allows_it() -> None:
    # HD 01-HD/TW (2021) point 11.2 (2026: assumed): a violator is disciplined first.
    committee = Body(BodyKind.GRASSROOTS_COMMITTEE, "du-7")
    for ruleset, allowed in (
        (default_registry().get("2026"), False),
        (_local("leaving_only_without_violations"), True),
    ):
        case = leaving_workflow(ruleset).open(
            MEMBER, at=at(2026, 5, 4), actor=CELL, payload={"reasons": "family"}
        )
        payload = {"has_violations": True}
        if allowed:
            case.fire("REVIEW_IN_CELL", at=at(2026, 5, 5), actor=CELL, payload=payload)
            case.fire("REVIEW_IN_COMMITTEE", at=at(2026, 5, 6), actor=committee, payload=payload)
            case.fire("DECIDE_TO_LET_GO", at=at(2026, 5, 7), actor=committee, payload=payload)
            assert case.state.name == "LET_GO"
        else:
            with pytest.raises(TransitionRefused, match="disciplined first"):
                case.fire("REVIEW_IN_CELL", at=at(2026, 5, 5), actor=CELL, payload=payload)
