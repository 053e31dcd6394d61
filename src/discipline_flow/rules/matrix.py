"""The authority matrix as data: which body may impose which measure on which subject.

A cell names a kind of body (and, for committees and inspection commissions, its level), a
category of subject and a measure, and says whether the body may impose the measure, may do so
subject to approval by the level above, may only propose it, or may not. Cells carry their own
citation and status. A question no cell answers is refused: the matrix denies by default.

Committee members and managed cadres are compared with the body's level: ``permission`` holds
for subjects of a lower level, ``same_level`` and ``higher_level`` (when set) for subjects of the
body's own level or of a higher level. ``higher_task`` (when set) holds when the violation
concerns a task assigned by a higher level.

>>> from discipline_flow import BodyKind, Citation
>>> from discipline_flow.rules import (
...     AuthorityCell, LevelRelation, Measure, Permission, SubjectCategory,
... )
>>> cell = AuthorityCell(
...     BodyKind.PARTY_CELL, None, SubjectCategory.FULL_MEMBER, Measure.WARNING,
...     Permission.ALLOWED, Citation("QĐ 22-QĐ/TW", "Điều 11"),
...     rule="a party cell reprimands or warns its members",
...     higher_task=Permission.PROPOSAL_ONLY,
... )
>>> cell.permission_for(relation=LevelRelation.LOWER, higher_assigned_task=True)
<Permission.PROPOSAL_ONLY: 'proposal_only'>
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from discipline_flow.actors import BodyKind, Level
from discipline_flow.citation import Citation
from discipline_flow.errors import InvalidRuleError
from discipline_flow.measure import Measure

__all__ = [
    "LEVELLED_BODY_KINDS",
    "AuthorityCell",
    "LevelRelation",
    "Permission",
    "SubjectCategory",
]


class Permission(enum.Enum):
    """What a body may do about a measure for a subject."""

    #: The body decides the measure.
    ALLOWED = "allowed"
    #: The body decides, but the decision must be approved by the level above.
    NEEDS_APPROVAL = "needs_approval"
    #: The body may only propose the measure to the competent body.
    PROPOSAL_ONLY = "proposal_only"
    #: The body may neither decide nor propose the measure.
    NOT_ALLOWED = "not_allowed"

    @property
    def words(self) -> str:
        """The permission as a table shows it: ``decides``, ``decides, approved above``,
        ``proposes`` or ``no``."""
        return _WORDS[self]


_WORDS = {
    Permission.ALLOWED: "decides",
    Permission.NEEDS_APPROVAL: "decides, approved above",
    Permission.PROPOSAL_ONLY: "proposes",
    Permission.NOT_ALLOWED: "no",
}


class SubjectCategory(enum.Enum):
    """Categories of subjects the authority matrix distinguishes."""

    #: A full member who sits on no committee and is not a cadre managed by a committee.
    FULL_MEMBER = "full_member"
    #: A probationary member (đảng viên dự bị): only reprimand or warning.
    PROBATIONARY_MEMBER = "probationary_member"
    #: A member of a party committee (cấp ủy viên) at a given level.
    COMMITTEE_MEMBER = "committee_member"
    #: A cadre managed by a party committee at a given level (cán bộ thuộc diện ... quản lý).
    MANAGED_CADRE = "managed_cadre"
    #: A party organisation.
    ORGANISATION = "organisation"


class LevelRelation(enum.Enum):
    """Where a committee member's or cadre's level stands against the deciding body's level."""

    LOWER = "lower"
    SAME = "same"
    HIGHER = "higher"


#: Party body kinds whose level must be given; the others have a fixed level
#: (:attr:`BodyKind.fixed_level <discipline_flow.BodyKind.fixed_level>`).
LEVELLED_BODY_KINDS = frozenset(
    kind for kind in BodyKind if kind.is_party_body and kind.fixed_level is None
)


def _check_body_level(instance: AuthorityCell, attribute: Any, value: Level | None) -> None:
    levelled = instance.body_kind in LEVELLED_BODY_KINDS
    if levelled and value is None:
        raise InvalidRuleError(
            f"authority cell {instance.body_kind.value}", "this kind of body needs a body level"
        )
    if not levelled and value is not None:
        raise InvalidRuleError(
            f"authority cell {instance.body_kind.value}",
            "this kind of body takes no body level (it has a fixed level)",
        )


@attrs.frozen
class AuthorityCell:
    """One cell of the authority matrix (see the module documentation)."""

    body_kind: BodyKind
    body_level: Level | None = attrs.field(validator=_check_body_level)
    subject: SubjectCategory
    measure: Measure
    permission: Permission
    citation: Citation
    rule: str = attrs.field(kw_only=True)
    same_level: Permission | None = attrs.field(kw_only=True, default=None)
    higher_level: Permission | None = attrs.field(kw_only=True, default=None)
    higher_task: Permission | None = attrs.field(kw_only=True, default=None)
    higher_task_citation: Citation | None = attrs.field(kw_only=True, default=None)
    note: str | None = attrs.field(kw_only=True, default=None)

    @property
    def key(self) -> tuple[BodyKind, Level | None, SubjectCategory, Measure]:
        """What the cell is about: body kind, body level, subject category, measure."""
        return (self.body_kind, self.body_level, self.subject, self.measure)

    def permission_for(
        self, *, relation: LevelRelation, higher_assigned_task: bool = False
    ) -> Permission:
        """The permission for a subject standing in ``relation`` to the body's level."""
        if higher_assigned_task and self.higher_task is not None:
            return self.higher_task
        if relation is LevelRelation.SAME and self.same_level is not None:
            return self.same_level
        if relation is LevelRelation.HIGHER and self.higher_level is not None:
            return self.higher_level
        return self.permission

    @property
    def name(self) -> str:
        """The cell's key as text: ``committee@provincial x full_member x reprimand``."""
        level = f"@{self.body_level.value}" if self.body_level is not None else ""
        return f"{self.body_kind.value}{level} x {self.subject.value} x {self.measure.value}"

    @property
    def variants(self) -> str:
        """The permissions that differ from :attr:`permission`, in words ('' if none)."""
        parts = []
        if self.same_level is not None:
            parts.append(f"same level: {self.same_level.words}")
        if self.higher_level is not None:
            parts.append(f"higher level: {self.higher_level.words}")
        if self.higher_task is not None:
            parts.append(f"task assigned by a higher level: {self.higher_task.words}")
        return "; ".join(parts)

    def citation_for(self, *, higher_assigned_task: bool = False) -> Citation:
        """The citation that grounds :meth:`permission_for`."""
        if higher_assigned_task and self.higher_task_citation is not None:
            return self.higher_task_citation
        return self.citation
