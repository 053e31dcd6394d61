"""The authority matrix: every body × subject × measure, written out by hand from §2(e).

Each row gives, for one body, the outcome for every subject in ``SUBJECTS`` order, as five
letters over the measures reprimand, warning, removal from post, expulsion, dissolution:
``A`` decides, ``a`` decides subject to approval above, ``P`` proposes only, ``N`` may not,
``-`` the measure does not apply to the subject (also a refusal).

Sources (reference §2(e)): QĐ 22 Điều 11 / QĐ 296 Điều 10 mục 1.1 and 1.4 (the cell reprimands
or warns its members, committee members and higher-managed cadres included, except for tasks
assigned by higher levels, when it proposes); the cell executive cannot discipline (Q26);
the partial committee reviews and forwards (QĐ 22 Điều 11); the district standing committee
removes from post or expels on the cell's proposal (QĐ 22 Điều 11); organisations: reprimand
and warning by the directly higher committee or standing committee (QĐ 296 Điều 11),
dissolution by the directly higher committee with approval above (recalled); the rest of the
upper rows are RECALLED; QĐ 294: no district level from 1 July 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest

from discipline_flow import Body, BodyKind, Citation, Level, Member, Organisation, RuleStatus
from discipline_flow.errors import GuardFailure, InputError, InvalidRuleError
from discipline_flow.rules import (
    DENY_BY_DEFAULT,
    NO_DISTRICT_LEVEL,
    AuthorityCell,
    AuthorityDecision,
    LevelRelation,
    Measure,
    Permission,
    SubjectCategory,
    check_authority,
    default_registry,
    subject_category,
)

G, D, P, C = Level.GRASSROOTS, Level.DISTRICT, Level.PROVINCIAL, Level.CENTRAL
MEASURES = (
    Measure.REPRIMAND,
    Measure.WARNING,
    Measure.REMOVAL_FROM_POST,
    Measure.EXPULSION,
    Measure.DISSOLUTION,
)
SUBJECTS: dict[str, Member | Organisation] = {
    "full": Member("m-full", cell_id="c-1", holds_post=True),
    "probationary": Member("m-prob", cell_id="c-1", is_probationary=True),
    "committee@G": Member("m-cg", committee_level=G),
    "committee@D": Member("m-cd", committee_level=D),
    "committee@P": Member("m-cp", committee_level=P),
    "committee@C": Member("m-cc", committee_level=C),
    "cadre@G": Member("m-kg", managed_by=G, holds_post=True),
    "cadre@D": Member("m-kd", managed_by=D, holds_post=True),
    "cadre@P": Member("m-kp", managed_by=P, holds_post=True),
    "cadre@C": Member("m-kc", managed_by=C, holds_post=True),
    "org@G": Organisation("o-g", G),
    "org@D": Organisation("o-d", D),
    "org@P": Organisation("o-p", P),
    "org@C": Organisation("o-c", C),
}
BODIES = {
    "cell": Body(BodyKind.PARTY_CELL, "c-1", G),
    "cell executive": Body(BodyKind.CELL_EXECUTIVE, "ce-1", G),
    "partial committee": Body(BodyKind.PARTIAL_COMMITTEE, "pc-1", G),
    "grassroots committee": Body(BodyKind.GRASSROOTS_COMMITTEE, "gc-1", G),
    "grassroots standing": Body(BodyKind.STANDING_COMMITTEE, "gs-1", G),
    "grassroots inspection": Body(BodyKind.INSPECTION_COMMISSION, "gi-1", G),
    "district committee": Body(BodyKind.COMMITTEE, "dc-1", D),
    "district standing": Body(BodyKind.STANDING_COMMITTEE, "ds-1", D),
    "district inspection": Body(BodyKind.INSPECTION_COMMISSION, "di-1", D),
    "provincial committee": Body(BodyKind.COMMITTEE, "pc-1", P),
    "provincial standing": Body(BodyKind.STANDING_COMMITTEE, "ps-1", P),
    "provincial inspection": Body(BodyKind.INSPECTION_COMMISSION, "pi-1", P),
    "central inspection": Body(BodyKind.INSPECTION_COMMISSION, "ci-1", C),
    "secretariat": Body(BodyKind.SECRETARIAT, "sec"),
    "politburo": Body(BodyKind.POLITBURO, "pb"),
    "central committee": Body(BodyKind.CENTRAL_COMMITTEE, "cc"),
    "state agency": Body(BodyKind.STATE_AGENCY, "police"),
    "person": Body(BodyKind.PERSON, "p-1"),
    "system": Body(BodyKind.SYSTEM, "sweep"),
}

# With a district level (rulesets 2021, 2022, 2025).
#   full  prob  cm@G  cm@D  cm@P  cm@C  kd@G  kd@D  kd@P  kd@C  or@G  or@D  or@P  or@C
WITH_DISTRICT = {
    "cell": "AAPP- AA--- AAPP- AAPP- AAPP- AAPP- AAPP- AAPP- AAPP- AAPP- NN--N NN--N NN--N NN--N",
    "cell executive": "NNNN- NN--- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NN--N NN--N NN--N NN--N",
    "partial committee": "PPPP- PP--- PPPP- PPPP- PPPP- PPPP- PPPP- PPPP- PPPP- PPPP- NN--N NN--N NN--N NN--N",
    "grassroots committee": "AAPP- AA--- AAPP- PPPP- PPPP- PPPP- AAPP- PPPP- PPPP- PPPP- AA--a NN--N NN--N NN--N",
    "grassroots standing": "AAPP- AA--- PPPP- PPPP- PPPP- PPPP- AAPP- PPPP- PPPP- PPPP- AA--P NN--N NN--N NN--N",
    "grassroots inspection": "NNNN- NN--- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NN--N NN--N NN--N NN--N",
    "district committee": "AAAA- AA--- AAAA- AAAA- PPPP- PPPP- AAAA- AAAA- PPPP- PPPP- AA--a NN--N NN--N NN--N",
    "district standing": "AAAA- AA--- AAAA- PPPP- PPPP- PPPP- AAAA- AAAA- PPPP- PPPP- AA--P NN--N NN--N NN--N",
    "district inspection": "AAAA- AA--- AAAA- PPPP- PPPP- PPPP- AAAA- AAAA- PPPP- PPPP- NN--N NN--N NN--N NN--N",
    "provincial committee": "AAAA- AA--- AAAA- AAAA- AAAA- PPPP- AAAA- AAAA- AAAA- PPPP- NN--N AA--a NN--N NN--N",
    "provincial standing": "AAAA- AA--- AAAA- AAAA- PPPP- PPPP- AAAA- AAAA- AAAA- PPPP- NN--N AA--P NN--N NN--N",
    "provincial inspection": "AAAA- AA--- AAAA- AAAA- PPPP- PPPP- AAAA- AAAA- AAAA- PPPP- NN--N NN--N NN--N NN--N",
    "central inspection": "AAAA- AA--- AAAA- AAAA- AAAA- PPPP- AAAA- AAAA- AAAA- PPPP- NN--N NN--N NN--N NN--N",
    "secretariat": "NNNN- NN--- AAAA- AAAA- AAAA- PPPP- NNNN- NNNN- NNNN- AAAA- NN--N NN--N AA--P NN--N",
    "politburo": "NNNN- NN--- AAAA- AAAA- AAAA- PPPP- NNNN- NNNN- NNNN- AAAA- NN--N NN--N AA--P NN--N",
    "central committee": "NNNN- NN--- AAAA- AAAA- AAAA- AAAA- NNNN- NNNN- NNNN- AAAA- NN--N NN--N AA--A NN--N",
    "state agency": "NNNN- NN--- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NN--N NN--N NN--N NN--N",
    "person": "NNNN- NN--- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NN--N NN--N NN--N NN--N",
    "system": "NNNN- NN--- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NN--N NN--N NN--N NN--N",
}

# Without a district level (rulesets 2025-07, 2026): district bodies and district-level
# subjects are refused (QĐ 294); a grassroots organisation is directly below the province.
_NONE = "NNNN- NN--- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NNNN- NN--N NN--N NN--N NN--N"
WITHOUT_DISTRICT = {
    "cell": "AAPP- AA--- AAPP- NNNN- AAPP- AAPP- AAPP- NNNN- AAPP- AAPP- NN--N NN--N NN--N NN--N",
    "cell executive": _NONE,
    "partial committee": "PPPP- PP--- PPPP- NNNN- PPPP- PPPP- PPPP- NNNN- PPPP- PPPP- NN--N NN--N NN--N NN--N",
    "grassroots committee": "AAPP- AA--- AAPP- NNNN- PPPP- PPPP- AAPP- NNNN- PPPP- PPPP- AA--a NN--N NN--N NN--N",
    "grassroots standing": "AAPP- AA--- PPPP- NNNN- PPPP- PPPP- AAPP- NNNN- PPPP- PPPP- AA--P NN--N NN--N NN--N",
    "grassroots inspection": _NONE,
    "district committee": _NONE,
    "district standing": _NONE,
    "district inspection": _NONE,
    "provincial committee": "AAAA- AA--- AAAA- NNNN- AAAA- PPPP- AAAA- NNNN- AAAA- PPPP- AA--a NN--N NN--N NN--N",
    "provincial standing": "AAAA- AA--- AAAA- NNNN- PPPP- PPPP- AAAA- NNNN- AAAA- PPPP- AA--P NN--N NN--N NN--N",
    "provincial inspection": "AAAA- AA--- AAAA- NNNN- PPPP- PPPP- AAAA- NNNN- AAAA- PPPP- NN--N NN--N NN--N NN--N",
    "central inspection": "AAAA- AA--- AAAA- NNNN- AAAA- PPPP- AAAA- NNNN- AAAA- PPPP- NN--N NN--N NN--N NN--N",
    "secretariat": "NNNN- NN--- AAAA- NNNN- AAAA- PPPP- NNNN- NNNN- NNNN- AAAA- NN--N NN--N AA--P NN--N",
    "politburo": "NNNN- NN--- AAAA- NNNN- AAAA- PPPP- NNNN- NNNN- NNNN- AAAA- NN--N NN--N AA--P NN--N",
    "central committee": "NNNN- NN--- AAAA- NNNN- AAAA- AAAA- NNNN- NNNN- NNNN- AAAA- NN--N NN--N AA--A NN--N",
    "state agency": _NONE,
    "person": _NONE,
    "system": _NONE,
}
TABLES = {
    "2021": WITH_DISTRICT,
    "2022": WITH_DISTRICT,
    "2025": WITH_DISTRICT,
    "2025-07": WITHOUT_DISTRICT,
    "2026": WITHOUT_DISTRICT,
}
_LETTER = {
    Permission.ALLOWED: "A",
    Permission.NEEDS_APPROVAL: "a",
    Permission.PROPOSAL_ONLY: "P",
    Permission.NOT_ALLOWED: "N",
}


@pytest.mark.parametrize(
    ("name", "body"), [(name, body) for name, table in TABLES.items() for body in table]
)
def test_authority_matrix_row(name: str, body: str) -> None:
    ruleset = default_registry().get(name)
    groups = TABLES[name][body].split()
    assert len(groups) == len(SUBJECTS)
    wrong = []
    for subject, group in zip(SUBJECTS, groups, strict=True):
        for measure, expected in zip(MEASURES, group, strict=True):
            decision = check_authority(ruleset, BODIES[body], SUBJECTS[subject], measure)
            assert decision.reason.endswith(f"[{decision.citation}]")
            if expected == "-":
                got = "-" if "does not apply" in decision.reason else "?"
                assert decision.permission is Permission.NOT_ALLOWED
            else:
                got = _LETTER[decision.permission]
            if got != expected:
                wrong.append(f"{subject} {measure.value}: expected {expected}, got {got}")
    assert wrong == []


# With higher_assigned_task=True only the cell's row changes: it proposes.
#   full  prob  cm@G  cm@P  kd@C
@pytest.mark.parametrize("name", TABLES)
def test_cell_only_proposes_for_tasks_assigned_by_higher_levels(name: str) -> None:
    ruleset = default_registry().get(name)
    cell = BODIES["cell"]
    for subject in ("full", "probationary", "committee@G", "committee@P", "cadre@C"):
        decision = check_authority(
            ruleset, cell, SUBJECTS[subject], Measure.WARNING, higher_assigned_task=True
        )
        assert (decision.allowed, decision.proposal_only) == (False, True), subject
        assert "task assigned by a higher level" in decision.reason
    standing = BODIES["provincial standing"]
    decision = check_authority(
        ruleset, standing, SUBJECTS["full"], Measure.WARNING, higher_assigned_task=True
    )
    assert decision.allowed


# Status of the deciding citation: (body, subject, measure) → status where it is not assumed.
_V, _S = RuleStatus.VERIFIED, RuleStatus.SECONDARY
_QD22_ERA = {
    **{("cell", s, m): _V for s in ("full", "committee@G", "cadre@P") for m in MEASURES[:4]},
    **{("cell", "probationary", m): _V for m in MEASURES[:2]},
    **{("cell executive", "full", m): _S for m in MEASURES[:4]},
    **{("partial committee", "full", m): _V for m in MEASURES[:4]},
    ("district standing", "full", Measure.REMOVAL_FROM_POST): _V,  # QĐ 22 Điều 11
    ("district standing", "full", Measure.EXPULSION): _V,
}
_QD296_ERA = {
    **{("cell", s, m): _S for s in ("full", "committee@G", "cadre@P") for m in MEASURES[:4]},
    **{("cell", "probationary", m): _S for m in MEASURES[:2]},
    **{("cell executive", "full", m): _S for m in MEASURES[:4]},
    **{
        (body, "org@G", m): _S
        for body in ("grassroots committee", "grassroots standing")
        for m in MEASURES[:2]
    },
}
STATUS_EXCEPTIONS = {
    "2021": _QD22_ERA,
    "2022": _QD22_ERA,
    "2025": {
        **_QD296_ERA,
        # org@G is refused (not directly below the province) on the same QĐ 296 Điều 11 basis
        **{
            (body, org, m): _S
            for body in ("provincial committee", "provincial standing")
            for org in ("org@D", "org@G")
            for m in MEASURES[:2]
        },
    },
    "2025-07": {
        **_QD296_ERA,
        **{
            (body, "org@G", m): _S
            for body in ("provincial committee", "provincial standing")
            for m in MEASURES[:2]
        },
    },
    "2026": {},  # QĐ 21's text was not seen: every cell is carried over as assumed
}
_STATUS_PROBES = [
    ("cell", "full"),
    ("cell", "probationary"),
    ("cell", "committee@G"),
    ("cell", "cadre@P"),
    ("cell executive", "full"),
    ("partial committee", "full"),
    ("grassroots committee", "full"),
    ("grassroots committee", "org@G"),
    ("grassroots standing", "org@G"),
    ("district standing", "full"),
    ("provincial committee", "org@D"),
    ("provincial committee", "org@G"),
    ("provincial standing", "org@D"),
    ("provincial standing", "org@G"),
    ("provincial inspection", "full"),
    ("politburo", "cadre@C"),
    ("central committee", "org@P"),
]


@pytest.mark.parametrize("name", TABLES)
def test_authority_citation_status(name: str) -> None:
    ruleset = default_registry().get(name)
    exceptions = STATUS_EXCEPTIONS[name]
    for body, subject in _STATUS_PROBES:
        for measure in MEASURES:
            decision = check_authority(ruleset, BODIES[body], SUBJECTS[subject], measure)
            if "does not apply" in decision.reason:
                continue
            expected = exceptions.get((body, subject, measure), RuleStatus.ASSUMED)
            if decision.citation == NO_DISTRICT_LEVEL:
                expected = RuleStatus.VERIFIED
            assert decision.citation.status is expected, (body, subject, measure)


def test_cell_higher_task_cites_qd296_article_10_item_1_4() -> None:
    ruleset = default_registry().get("2025-07")
    decision = check_authority(
        ruleset, BODIES["cell"], SUBJECTS["committee@P"], Measure.WARNING, higher_assigned_task=True
    )
    assert decision.citation.reference == "QĐ 296-QĐ/TW Điều 10 mục 1.4"
    plain = check_authority(ruleset, BODIES["cell"], SUBJECTS["committee@P"], Measure.WARNING)
    assert plain.citation.reference == "QĐ 296-QĐ/TW Điều 10 mục 1.1"


# ------------------------------------------------------------------ reasons


def test_probationary_refusal_points_to_removal_from_the_rolls() -> None:
    ruleset = default_registry().get("2026")
    decision = check_authority(
        ruleset, BODIES["provincial committee"], SUBJECTS["probationary"], Measure.EXPULSION
    )
    assert not decision.allowed
    assert not decision.proposal_only
    assert "only be reprimanded or warned" in decision.reason
    assert "removed from the rolls (xóa tên)" in decision.reason
    assert decision.citation.reference == "Điều lệ Đảng (2011) Điều 35"


def test_district_body_refused_naming_qd294() -> None:
    ruleset = default_registry().get("2025-07")
    decision = check_authority(
        ruleset, BODIES["district standing"], SUBJECTS["full"], Measure.EXPULSION
    )
    assert decision.citation is NO_DISTRICT_LEVEL
    assert decision.reason == (
        "district standing committee 'ds-1' cannot decide discipline under ruleset 2025-07: "
        "the district level no longer exists from 1 July 2025 [QĐ 294-QĐ/TW (verified)]"
    )
    subject = check_authority(
        ruleset, BODIES["provincial committee"], SUBJECTS["committee@D"], Measure.WARNING
    )
    assert "district level" in subject.reason
    assert "QĐ 294-QĐ/TW" in subject.reason
    # the same district body decides in the 2025 ruleset (district level until 30/6/2025)
    before = check_authority(
        default_registry().get("2025"),
        BODIES["district standing"],
        SUBJECTS["full"],
        Measure.EXPULSION,
    )
    assert before.allowed


def test_cell_executive_refusal_names_the_rule() -> None:
    decision = check_authority(
        default_registry().get("2025"),
        BODIES["cell executive"],
        SUBJECTS["full"],
        Measure.REPRIMAND,
    )
    assert decision.reason == (
        "cell executive 'ce-1' may not impose reprimand on full member 'm-full': a cell "
        "executive (chi ủy) cannot discipline [QĐ 296-QĐ/TW (secondary)]"
    )


def test_deny_by_default_reason() -> None:
    decision = check_authority(
        default_registry().get("2022"),
        BODIES["grassroots inspection"],
        SUBJECTS["full"],
        Measure.WARNING,
    )
    assert decision.citation is DENY_BY_DEFAULT
    assert "denies by default" in decision.reason
    assert decision.citation.status is RuleStatus.ASSUMED


def test_dissolution_needs_approval_except_at_the_final_level() -> None:
    ruleset = default_registry().get("2026")
    committee = check_authority(
        ruleset, BODIES["provincial committee"], SUBJECTS["org@G"], Measure.DISSOLUTION
    )
    assert committee.allowed
    assert committee.needs_approval
    assert "subject to approval by the level above" in committee.reason
    final = check_authority(
        ruleset, BODIES["central committee"], SUBJECTS["org@P"], Measure.DISSOLUTION
    )
    assert final.allowed
    assert not final.needs_approval
    assert "final level" in final.reason


def test_organisation_must_be_directly_below() -> None:
    ruleset = default_registry().get("2022")
    # a grassroots organisation sits below the district in 2022, so the province is not
    # directly higher ...
    far = check_authority(
        ruleset, BODIES["provincial committee"], SUBJECTS["org@G"], Measure.WARNING
    )
    assert not far.allowed
    assert "not the directly higher body" in far.reason
    # ... unless the embedding system says the organisation's parent is that body
    attached = Organisation("o-bloc", G, parent_id="pc-1")
    assert check_authority(
        ruleset, BODIES["provincial committee"], attached, Measure.WARNING
    ).allowed


def test_removal_from_post_needs_a_post() -> None:
    ruleset = default_registry().get("2026")
    plain = Member("m-plain")
    decision = check_authority(
        ruleset, BODIES["provincial committee"], plain, Measure.REMOVAL_FROM_POST
    )
    assert not decision.allowed
    assert "holds no post" in decision.reason


def test_committee_aliases_and_missing_levels() -> None:
    ruleset = default_registry().get("2026")
    grassroots = Body(BodyKind.COMMITTEE, "gc-2", G)
    assert check_authority(ruleset, grassroots, SUBJECTS["full"], Measure.WARNING).allowed
    central = Body(BodyKind.COMMITTEE, "cc-2", C)
    assert check_authority(ruleset, central, SUBJECTS["committee@C"], Measure.EXPULSION).allowed
    with pytest.raises(InputError, match="needs a level"):
        check_authority(
            ruleset, Body(BodyKind.STANDING_COMMITTEE, "x"), SUBJECTS["full"], Measure.WARNING
        )


def test_input_errors() -> None:
    ruleset = default_registry().get("2026")
    cell = BODIES["cell"]
    with pytest.raises(InputError, match="unknown measure 'censure'"):
        check_authority(ruleset, cell, SUBJECTS["full"], "censure")  # type: ignore[arg-type]
    assert check_authority(ruleset, cell, SUBJECTS["full"], "warning").allowed  # type: ignore[arg-type]
    with pytest.raises(InputError):
        check_authority("2026", cell, SUBJECTS["full"], Measure.WARNING)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        check_authority(ruleset, "cell", SUBJECTS["full"], Measure.WARNING)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        check_authority(ruleset, cell, "m-1", Measure.WARNING)  # type: ignore[arg-type]


def test_subject_categories() -> None:
    assert subject_category(SUBJECTS["full"]) is SubjectCategory.FULL_MEMBER
    assert subject_category(SUBJECTS["probationary"]) is SubjectCategory.PROBATIONARY_MEMBER
    assert subject_category(SUBJECTS["committee@P"]) is SubjectCategory.COMMITTEE_MEMBER
    assert subject_category(SUBJECTS["cadre@C"]) is SubjectCategory.MANAGED_CADRE
    assert subject_category(SUBJECTS["org@G"]) is SubjectCategory.ORGANISATION
    both = Member("m-both", committee_level=P, managed_by=C)
    assert subject_category(both) is SubjectCategory.COMMITTEE_MEMBER


def test_decision_as_guard_failure() -> None:
    ruleset = default_registry().get("2026")
    refused = check_authority(ruleset, BODIES["cell"], SUBJECTS["full"], Measure.EXPULSION)
    failure = refused.guard_failure()
    assert isinstance(failure, GuardFailure)
    assert failure.guard == "authority"
    assert failure.basis == str(refused.citation)
    allowed = check_authority(ruleset, BODIES["cell"], SUBJECTS["full"], Measure.WARNING)
    assert allowed.guard_failure() is None
    assert isinstance(allowed, AuthorityDecision)


# ------------------------------------------------------------------ the matrix as data


def test_with_authority_overrides_a_cell() -> None:
    ruleset = default_registry().get("2026")
    cell = ruleset.authority_cell(
        BodyKind.GRASSROOTS_COMMITTEE, None, SubjectCategory.FULL_MEMBER, Measure.EXPULSION
    )
    assert cell is not None
    assert cell.permission is Permission.PROPOSAL_ONLY

    authorised = AuthorityCell(
        BodyKind.GRASSROOTS_COMMITTEE,
        None,
        SubjectCategory.FULL_MEMBER,
        Measure.EXPULSION,
        Permission.ALLOWED,
        Citation("Quyết định 45-QĐ/TU", None, RuleStatus.OVERRIDDEN),
        rule="this grassroots committee is authorised to admit members, so it may expel",
    )
    local = ruleset.with_authority(authorised)
    decision = check_authority(
        local, BODIES["grassroots committee"], SUBJECTS["full"], Measure.EXPULSION
    )
    assert decision.allowed
    assert decision.citation.status is RuleStatus.OVERRIDDEN
    assert len(local.authority) == len(ruleset.authority)
    with pytest.raises(InputError):
        ruleset.with_authority("cell")  # type: ignore[arg-type]


def test_cell_validation_and_variants() -> None:
    basis = Citation("QĐ 1", None, RuleStatus.ASSUMED)
    with pytest.raises(InvalidRuleError, match="needs a body level"):
        AuthorityCell(
            BodyKind.COMMITTEE,
            None,
            SubjectCategory.FULL_MEMBER,
            Measure.WARNING,
            Permission.ALLOWED,
            basis,
            rule="r",
        )
    with pytest.raises(InvalidRuleError, match="takes no body level"):
        AuthorityCell(
            BodyKind.PARTY_CELL,
            G,
            SubjectCategory.FULL_MEMBER,
            Measure.WARNING,
            Permission.ALLOWED,
            basis,
            rule="r",
        )
    cell = AuthorityCell(
        BodyKind.COMMITTEE,
        P,
        SubjectCategory.COMMITTEE_MEMBER,
        Measure.WARNING,
        Permission.ALLOWED,
        basis,
        rule="r",
        same_level=Permission.PROPOSAL_ONLY,
        higher_level=Permission.NOT_ALLOWED,
    )
    assert cell.permission_for(relation=LevelRelation.LOWER) is Permission.ALLOWED
    assert cell.permission_for(relation=LevelRelation.SAME) is Permission.PROPOSAL_ONLY
    assert cell.permission_for(relation=LevelRelation.HIGHER) is Permission.NOT_ALLOWED
    assert cell.citation_for(higher_assigned_task=True) is basis
    assert cell.key == (BodyKind.COMMITTEE, P, SubjectCategory.COMMITTEE_MEMBER, Measure.WARNING)


def test_no_district_cells_after_july_2025() -> None:
    for name in ("2025-07", "2026"):
        levels = {cell.body_level for cell in default_registry().get(name).authority}
        assert Level.DISTRICT not in levels
    levels = {cell.body_level for cell in default_registry().get("2025").authority}
    assert Level.DISTRICT in levels
    assert default_registry().get("2025").has_district_level
    assert dt.date(2025, 7, 1) == default_registry().get("2025-07").effective_from
