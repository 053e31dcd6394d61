"""Who may impose which measure on whom: :func:`check_authority` over a ruleset's matrix.

The check runs in this order and stops at the first refusal: measures that do not apply to the
subject (a probationary member can only be reprimanded or warned); district-level bodies and
subjects in a ruleset without a district level (QĐ 294-QĐ/TW); bodies that are not party
bodies; then the ruleset's authority matrix, which denies what no cell grants.

>>> import datetime as dt
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import Measure, check_authority, select_ruleset
>>> rules = select_ruleset(dt.date(2026, 5, 4))
>>> cell = Body(BodyKind.PARTY_CELL, "cell-7", Level.GRASSROOTS)
>>> member = Member("m-1", cell_id="cell-7")
>>> check_authority(rules, cell, member, Measure.WARNING).allowed
True
>>> decision = check_authority(rules, cell, member, Measure.WARNING, higher_assigned_task=True)
>>> decision.allowed, decision.proposal_only
(False, True)
>>> district = Body(BodyKind.STANDING_COMMITTEE, "d-1", Level.DISTRICT)
>>> print(check_authority(rules, district, member, Measure.EXPULSION).reason)
district standing committee 'd-1' cannot decide discipline under ruleset 2026: the district level no longer exists from 1 July 2025 [QĐ 294-QĐ/TW (verified)]

An organisation is disciplined by the level directly above it: not by its own committee, a
neighbour or a body further up (the bodies of one organisation share its id):

>>> from discipline_flow import Organisation
>>> commune = Organisation("xa-1", Level.GRASSROOTS, parent_id="tinh-1")
>>> for body in (Body(BodyKind.GRASSROOTS_COMMITTEE, "xa-1"),
...              Body(BodyKind.GRASSROOTS_COMMITTEE, "xa-2"),
...              Body(BodyKind.STANDING_COMMITTEE, "tinh-1", Level.PROVINCIAL)):
...     print(check_authority(rules, body, commune, Measure.WARNING).allowed)
False
False
True
"""

from __future__ import annotations

import attrs

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import GuardFailure, InputError
from discipline_flow.measure import Measure
from discipline_flow.rules.matrix import (
    LEVELLED_BODY_KINDS,
    AuthorityCell,
    LevelRelation,
    Permission,
    SubjectCategory,
)
from discipline_flow.rules.ruleset import Ruleset

__all__ = [
    "DENY_BY_DEFAULT",
    "NO_DISTRICT_LEVEL",
    "AuthorityDecision",
    "check_authority",
    "subject_category",
]

#: Why a district-level body or subject is refused from 1 July 2025.
NO_DISTRICT_LEVEL = Citation(
    "QĐ 294-QĐ/TW",
    None,
    RuleStatus.VERIFIED,
    source="P-thads-qd294; P-dantri-qd294",
    note="effective 1 July 2025: the party system has commune, province and central levels",
)

#: The basis of a refusal no cell of the matrix supports.
DENY_BY_DEFAULT = Citation(
    "Điều lệ Đảng (2011)",
    "Điều 36",
    RuleStatus.ASSUMED,
    source="P-dcs-76130",
    note="no rule found grants this authority; discipline_flow denies by default",
)

_KIND_WORDS = {
    BodyKind.PARTY_CELL: "party cell",
    BodyKind.CELL_EXECUTIVE: "cell executive",
    BodyKind.PARTIAL_COMMITTEE: "partial committee",
    BodyKind.GRASSROOTS_COMMITTEE: "grassroots committee",
    BodyKind.COMMITTEE: "committee",
    BodyKind.STANDING_COMMITTEE: "standing committee",
    BodyKind.INSPECTION_COMMISSION: "inspection commission",
    BodyKind.SECRETARIAT: "Secretariat",
    BodyKind.POLITBURO: "Politburo",
    BodyKind.CENTRAL_COMMITTEE: "Central Committee",
    BodyKind.STATE_AGENCY: "state agency",
    BodyKind.PERSON: "person",
    BodyKind.SYSTEM: "system",
}
_MEASURE_RULE = {
    SubjectCategory.ORGANISATION: "organisation_measures",
    SubjectCategory.PROBATIONARY_MEMBER: "probationary_member_measures",
}


@attrs.frozen
class AuthorityDecision:
    """The answer of :func:`check_authority`: what the body may do, why, and on what basis.

    ``allowed`` is true when the body may decide the measure (``needs_approval`` then says
    whether the level above must approve it); ``proposal_only`` when it may only propose it.
    """

    allowed: bool
    proposal_only: bool
    reason: str
    citation: Citation
    needs_approval: bool = False

    @property
    def permission(self) -> Permission:
        """The decision as a :class:`~discipline_flow.rules.Permission`."""
        if self.allowed:
            return Permission.NEEDS_APPROVAL if self.needs_approval else Permission.ALLOWED
        return Permission.PROPOSAL_ONLY if self.proposal_only else Permission.NOT_ALLOWED

    def guard_failure(self, guard: str = "authority") -> GuardFailure | None:
        """The refusal as a guard failure for a refused transition (None when allowed)."""
        if self.allowed:
            return None
        return GuardFailure(guard, self.reason, str(self.citation))


def subject_category(subject: Member | Organisation) -> SubjectCategory:
    """The matrix category of a subject.

    A probationary member is always :attr:`~SubjectCategory.PROBATIONARY_MEMBER`; otherwise a
    member on a committee is a committee member (even if also a managed cadre), a member with
    ``managed_by`` is a managed cadre, and any other member a full member.

    >>> from discipline_flow import Level, Member
    >>> subject_category(Member("m-2", committee_level=Level.PROVINCIAL, managed_by=Level.CENTRAL))
    <SubjectCategory.COMMITTEE_MEMBER: 'committee_member'>
    """
    if isinstance(subject, Organisation):
        return SubjectCategory.ORGANISATION
    if not isinstance(subject, Member):
        raise InputError("subject", f"expected a Member or Organisation, got {subject!r}")
    if subject.is_probationary:
        return SubjectCategory.PROBATIONARY_MEMBER
    if subject.committee_level is not None:
        return SubjectCategory.COMMITTEE_MEMBER
    if subject.managed_by is not None:
        return SubjectCategory.MANAGED_CADRE
    return SubjectCategory.FULL_MEMBER


def _describe_body(body: Body) -> str:
    level = f"{body.level.value} " if body.kind in LEVELLED_BODY_KINDS and body.level else ""
    return f"{level}{_KIND_WORDS[body.kind]} {body.id!r}"


def _describe_subject(subject: Member | Organisation, category: SubjectCategory) -> str:
    if isinstance(subject, Organisation):
        return f"{subject.level.value} party organisation {subject.id!r}"
    if category is SubjectCategory.COMMITTEE_MEMBER:
        assert subject.committee_level is not None
        return f"{subject.committee_level.value} committee member {subject.id!r}"
    if category is SubjectCategory.MANAGED_CADRE:
        assert subject.managed_by is not None
        return f"cadre {subject.id!r} managed at the {subject.managed_by.value} level"
    kind = "probationary" if subject.is_probationary else "full"
    return f"{kind} member {subject.id!r}"


def _refuse(reason: str, citation: Citation) -> AuthorityDecision:
    return AuthorityDecision(False, False, f"{reason} [{citation}]", citation)


def _subject_levels(subject: Member | Organisation) -> tuple[Level, ...]:
    if isinstance(subject, Organisation):
        return (subject.level,)
    return tuple(level for level in (subject.committee_level, subject.managed_by) if level)


def _relation(subject_level: Level, body_level: Level) -> LevelRelation:
    if subject_level.rank < body_level.rank:
        return LevelRelation.LOWER
    if subject_level.rank == body_level.rank:
        return LevelRelation.SAME
    return LevelRelation.HIGHER


def _not_directly_higher(
    body: Body, body_level: Level, organisation: Organisation, ruleset: Ruleset, *, review: bool
) -> str | None:
    """Why ``body`` is not the body of the level directly above ``organisation``; None when it is.

    The organisation's own bodies share its id; its ``parent_id``, when given, names the
    organisation directly above it, whose bodies carry that id. Without a parent the levels
    decide: the next level up (a grassroots body: organisations inside it). A ``review`` may
    also come from further up: the parent's bodies or any body above the organisation's level.
    """
    if body.id == organisation.id:
        return (
            f"it is a body of the organisation itself (id {body.id!r}); an organisation is "
            f"disciplined by the level directly above it, not by its own committee"
        )
    parent = organisation.parent_id
    if review:
        if parent == body.id or body_level.rank > organisation.level.rank:
            return None
        return (
            f"a review of a {organisation.level.value} organisation's discipline comes from "
            f"the level directly above it or higher, not from the {body_level.value} level"
        )
    if parent is not None:
        if parent != body.id:
            return (
                f"the organisation's directly higher organisation is {parent!r}, not "
                f"{body.id!r}; only the bodies of {parent!r} discipline it"
            )
        if body_level.rank < organisation.level.rank:
            return (
                f"the body acts at the {body_level.value} level, below the organisation's "
                f"{organisation.level.value} level"
            )
        return None
    if body_level is Level.GRASSROOTS and organisation.level is Level.GRASSROOTS:
        return None  # cells and partial organisations inside a grassroots party organisation
    up = organisation.level.next_up(has_district_level=ruleset.has_district_level)
    if up is body_level:
        return None
    above = "none" if up is None else f"the {up.value} level"
    return (
        f"the level directly above a {organisation.level.value} organisation is {above}, not "
        f"the {body_level.value} level"
    )


def _matrix_address(body: Body) -> tuple[BodyKind, Level, Level | None]:
    """The kind, the effective level and the cell level of a body."""
    kind = body.kind
    if kind.fixed_level is not None:
        return kind, kind.fixed_level, None
    if body.level is None:
        raise InputError(
            "body",
            f"a {_KIND_WORDS[kind]} needs a level (grassroots, district, provincial or central)",
        )
    if kind is BodyKind.COMMITTEE and body.level is Level.GRASSROOTS:
        return BodyKind.GRASSROOTS_COMMITTEE, Level.GRASSROOTS, None
    if kind is BodyKind.COMMITTEE and body.level is Level.CENTRAL:
        return BodyKind.CENTRAL_COMMITTEE, Level.CENTRAL, None
    return kind, body.level, body.level


def _measure(measure: object) -> Measure:
    if isinstance(measure, Measure):
        return measure
    try:
        return Measure(measure)
    except ValueError:
        allowed = ", ".join(m.value for m in Measure)
        raise InputError("measure", f"unknown measure {measure!r}; measures: {allowed}") from None


def check_authority(
    ruleset: Ruleset,
    body: Body,
    subject: Member | Organisation,
    measure: Measure,
    *,
    higher_assigned_task: bool = False,
    is_review: bool = False,
) -> AuthorityDecision:
    """May ``body`` impose ``measure`` on ``subject`` under ``ruleset``?

    ``higher_assigned_task`` says that the violation concerns a task assigned by a higher level:
    a party cell then only proposes. The check does not know the party tree beyond levels: that
    a member belongs to the body's organisation is for the caller to ensure.

    An organisation is disciplined by the bodies of the level directly above it (QĐ 22 Điều 11,
    QĐ 296 Điều 11). A body's ``id`` names the party organisation it belongs to: the
    committee, standing committee and inspection commission of one organisation share it. So
    a body whose ``id`` is the organisation's own is refused; when the organisation gives a
    ``parent_id``, only the bodies with that ``id`` are directly above it; without one, the
    level decides (the next level up; a grassroots body: organisations inside it).

    ``is_review`` says that the body reviews a decision a lower body took (approves, changes
    or annuls it, a recalled power): an organisation's discipline may then be changed by a
    body further up than the directly higher level, never by the organisation's own bodies.
    That the reviewer stands above the body that decided is the workflow's check
    (:func:`~discipline_flow.processes.guards.higher_body`).
    """
    if not isinstance(ruleset, Ruleset):
        raise InputError("ruleset", f"expected a Ruleset, got {type(ruleset).__name__}")
    if not isinstance(body, Body):
        raise InputError("body", f"expected a Body, got {type(body).__name__}")
    measure = _measure(measure)
    category = subject_category(subject)
    who = _describe_body(body)
    what = _describe_subject(subject, category)

    measures_key = _MEASURE_RULE.get(category, "member_measures")
    measures_rule = ruleset.rule(measures_key)
    if measure.value not in ruleset.texts(measures_key):
        allowed = ", ".join(measures_rule.value) if isinstance(measures_rule.value, tuple) else ""
        if category is SubjectCategory.PROBATIONARY_MEMBER:
            reason = (
                f"{measure.label_en} does not apply to {what}: a probationary member may only "
                f"be reprimanded or warned ({measures_key}: {allowed}); one who no longer "
                f"qualifies is removed from the rolls (xóa tên) instead"
            )
        else:
            reason = f"{measure.label_en} does not apply to {what} ({measures_key}: {allowed})"
        return _refuse(reason, measures_rule.citation)
    if (
        measure is Measure.REMOVAL_FROM_POST
        and isinstance(subject, Member)
        and not (subject.holds_post or subject.committee_level is not None)
    ):
        return _refuse(
            f"removal from post does not apply to {what}, who holds no post and sits on no "
            f"committee ({measures_key})",
            measures_rule.citation,
        )

    if not ruleset.has_district_level:
        if body.level is Level.DISTRICT:
            return _refuse(
                f"{who} cannot decide discipline under ruleset {ruleset.name}: the district "
                f"level no longer exists from 1 July 2025",
                NO_DISTRICT_LEVEL,
            )
        if Level.DISTRICT in _subject_levels(subject):
            return _refuse(
                f"{what} is placed at the district level, which no longer exists from 1 July "
                f"2025 (ruleset {ruleset.name}); give the level that replaced it",
                NO_DISTRICT_LEVEL,
            )
    if not body.kind.is_party_body:
        return _refuse(
            f"{who} is not a party body; only party organisations impose party discipline",
            DENY_BY_DEFAULT,
        )

    kind, body_level, cell_level = _matrix_address(body)
    cell = ruleset.authority_cell(kind, cell_level, category, measure)
    if cell is None:
        return _refuse(
            f"no rule gives {who} authority to impose {measure.label_en} on {what}; the "
            f"authority matrix denies by default",
            DENY_BY_DEFAULT,
        )
    relation = LevelRelation.LOWER
    if isinstance(subject, Organisation):
        why = _not_directly_higher(body, body_level, subject, ruleset, review=is_review)
        if why is not None:
            return _refuse(
                f"{who} is not the directly higher body of {what}: {why}; {cell.rule}",
                cell.citation,
            )
    elif category is SubjectCategory.COMMITTEE_MEMBER:
        assert subject.committee_level is not None
        relation = _relation(subject.committee_level, body_level)
    elif category is SubjectCategory.MANAGED_CADRE:
        assert subject.managed_by is not None
        relation = _relation(subject.managed_by, body_level)
    return _decide(cell, who, what, measure, relation, higher_assigned_task=higher_assigned_task)


def _decide(
    cell: AuthorityCell,
    who: str,
    what: str,
    measure: Measure,
    relation: LevelRelation,
    *,
    higher_assigned_task: bool,
) -> AuthorityDecision:
    permission = cell.permission_for(relation=relation, higher_assigned_task=higher_assigned_task)
    citation = cell.citation_for(higher_assigned_task=higher_assigned_task)
    task = higher_assigned_task and cell.higher_task is not None
    because = " (the violation concerns a task assigned by a higher level)" if task else ""
    m = measure.label_en
    if permission is Permission.ALLOWED:
        reason = f"{who} may impose {m} on {what}: {cell.rule}"
    elif permission is Permission.NEEDS_APPROVAL:
        reason = (
            f"{who} may impose {m} on {what}, subject to approval by the level above: {cell.rule}"
        )
    elif permission is Permission.PROPOSAL_ONLY:
        reason = (
            f"{who} may not impose {m} on {what}{because} but may propose it to the competent "
            f"body: {cell.rule}"
        )
    else:
        reason = f"{who} may not impose {m} on {what}: {cell.rule}"
    allowed = permission in (Permission.ALLOWED, Permission.NEEDS_APPROVAL)
    return AuthorityDecision(
        allowed,
        permission is Permission.PROPOSAL_ONLY,
        f"{reason} [{citation}]",
        citation,
        needs_approval=permission is Permission.NEEDS_APPROVAL,
    )
