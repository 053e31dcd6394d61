"""Guards of the authority matrix: who may decide, or only propose, which measure on whom.

Each guard asks :func:`~discipline_flow.rules.check_authority` about the acting body, the
case's subject and the move's measure (payload ``measure``, else the latest earlier one), with
``higher_assigned_task`` read the same way. The answers are remembered per guard
(:class:`Permissions`); a refusal is explained with the real subject.

>>> import datetime as dt
>>> from discipline_flow import Body, BodyKind, Member
>>> from discipline_flow.rules import Measure, select_ruleset
>>> rules = select_ruleset(dt.date(2025, 9, 1))
>>> guard = may_decide(rules)
>>> guard.name, str(guard.basis)
('authority', 'QĐ 296-QĐ/TW Điều 10 mục 1.1 (secondary)')
>>> permissions = Permissions(rules)
>>> permissions(Body(BodyKind.PARTY_CELL, "c"), Member("m-1"), Measure.EXPULSION)
<Permission.PROPOSAL_ONLY: 'proposal_only'>
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from discipline_flow.actors import Body, BodyKind, Member, Organisation, Subject
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.processes.guards.payload import (
    find_value,
    guarded,
    measure_of,
    missing_reason,
)
from discipline_flow.rules import (
    AuthorityDecision,
    Measure,
    Permission,
    Ruleset,
    SubjectCategory,
    check_authority,
)
from discipline_flow.workflow import Guard, GuardContext

__all__ = [
    "Permissions",
    "authority_basis",
    "may_decide",
    "may_decide_or_propose",
    "may_propose",
]

# Tuples: membership of enum members is then an identity test, with no hashing.
_DECIDES = (Permission.ALLOWED, Permission.NEEDS_APPROVAL)
_VOTES = (*_DECIDES, Permission.PROPOSAL_ONLY)
_OTHER_PARENT = "\x00other"  # never a body id: body ids may not contain NUL


def authority_basis(ruleset: Ruleset) -> Citation:
    """The citation of the authority matrix as a whole: its party-cell article in ``ruleset``.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> str(authority_basis(select_ruleset(dt.date(2022, 1, 1))))
    'QĐ 22-QĐ/TW Điều 11 (verified)'
    """
    cell = ruleset.authority_cell(
        BodyKind.PARTY_CELL, None, SubjectCategory.FULL_MEMBER, Measure.WARNING
    )
    if cell is not None:
        return cell.citation
    return Citation(
        "Điều lệ Đảng (2011)",
        "Điều 36",
        RuleStatus.VERIFIED,
        source="P-dcs-76130",
        note="the ruleset's matrix has no party-cell cell; the Charter's article is cited",
    )


# What check_authority decides on, besides the body and the measure: for a member, probation,
# post and the levels of its committee and management; for an organisation, its level, whether
# the body is its own (same id) and whether the body is its parent, another body or unknown.
# Other ids and names do not count, so one answer serves every subject of the same shape.
_Shape = tuple[Any, ...]


def _shape(body: Body, subject: Subject) -> _Shape:
    if isinstance(subject, Organisation):
        parent = subject.parent_id
        if parent is not None and parent != body.id:
            parent = _OTHER_PARENT
        return (Organisation, subject.level, subject.id == body.id, parent)
    return (
        Member,
        subject.is_probationary,
        subject.holds_post,
        subject.committee_level,
        subject.managed_by,
    )


def _subject_of(body: Body, shape: _Shape) -> Subject:
    """A subject of ``shape`` as seen by ``body``: an organisation is ``body``'s own or not."""
    if shape[0] is Organisation:
        _, level, is_own, parent = shape
        return Organisation(body.id if is_own else f"not-{body.id}", level, parent_id=parent)
    _, is_probationary, holds_post, committee_level, managed_by = shape
    return Member(
        "_",
        is_probationary=is_probationary,
        holds_post=holds_post,
        committee_level=committee_level,
        managed_by=managed_by,
    )


class Permissions:
    """What :func:`~discipline_flow.rules.check_authority` permits under one ruleset, remembered.

    Calling it gives the :class:`~discipline_flow.rules.Permission` of a body for a measure on
    a subject; the answer is remembered (at most ``maxsize`` of them) for every subject of the
    same shape: the attributes the matrix decides on (for an organisation, whether the body is
    its own or its parent), not ids or names. :meth:`decision` gives the full answer, with its
    reason, for the real subject. ``is_review`` asks as a body reviewing a lower body's decision
    (``check_authority``'s ``is_review``).
    """

    __slots__ = ("_lookup", "is_review", "ruleset")

    def __init__(self, ruleset: Ruleset, *, maxsize: int = 4096, is_review: bool = False) -> None:
        self.ruleset = ruleset
        self.is_review = is_review

        @functools.lru_cache(maxsize=maxsize)
        def lookup(body: Body, shape: _Shape, measure: Measure, task: bool) -> Permission:
            subject = _subject_of(body, shape)
            decision = check_authority(
                ruleset, body, subject, measure, higher_assigned_task=task, is_review=is_review
            )
            return decision.permission

        self._lookup: Callable[[Body, _Shape, Measure, bool], Permission] = lookup

    def __call__(
        self, body: Body, subject: Subject, measure: Measure, *, higher_assigned_task: bool = False
    ) -> Permission:
        return self._lookup(body, _shape(body, subject), measure, higher_assigned_task)

    def decision(
        self, body: Body, subject: Subject, measure: Measure, *, higher_assigned_task: bool = False
    ) -> AuthorityDecision:
        """The answer of ``check_authority`` for the real subject (its reason names it)."""
        return check_authority(
            self.ruleset,
            body,
            subject,
            measure,
            higher_assigned_task=higher_assigned_task,
            is_review=self.is_review,
        )


def _authority_guard(
    ruleset: Ruleset,
    name: str,
    wanted: tuple[Permission, ...],
    description: str,
    refusal: Callable[[GuardContext[Any, Any], Measure, AuthorityDecision], str],
    *,
    is_review: bool = False,
) -> Guard:
    permissions = Permissions(ruleset, is_review=is_review)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        measure = measure_of(ctx)
        if measure is None:
            return missing_reason("measure")
        task = bool(find_value(ctx, "higher_assigned_task"))
        if permissions(ctx.actor, ctx.subject, measure, higher_assigned_task=task) in wanted:
            return None
        decision = permissions.decision(ctx.actor, ctx.subject, measure, higher_assigned_task=task)
        return refusal(ctx, measure, decision)

    return Guard(
        name,
        guarded(check),
        basis=authority_basis(ruleset),
        description=description,
        uses_payload=True,
    )


def _reason(ctx: GuardContext[Any, Any], measure: Measure, decision: AuthorityDecision) -> str:
    return decision.reason


def _not_only_proposal(
    ctx: GuardContext[Any, Any], measure: Measure, decision: AuthorityDecision
) -> str:
    if decision.allowed:
        return (
            f"{ctx.actor} may decide {measure.label_en} itself; a body proposes to the "
            f"competent body only what it may not decide: {decision.reason}"
        )
    return decision.reason


def may_decide(ruleset: Ruleset, name: str = "authority", *, is_review: bool = False) -> Guard:
    """The actor may impose the measure on the subject (``check_authority`` allows it).

    ``is_review``: the actor changes a decision a lower body took, so an organisation's
    discipline may come from further up than the directly higher level (see
    :func:`~discipline_flow.rules.check_authority`).
    """
    what = "authority matrix, as a reviewing body" if is_review else "authority matrix"
    return _authority_guard(
        ruleset,
        name,
        _DECIDES,
        f"the acting body may impose the measure on the subject ({what})",
        _reason,
        is_review=is_review,
    )


def may_propose(ruleset: Ruleset, name: str = "proposal_authority") -> Guard:
    """The actor may only propose the measure (a cell for a higher-assigned task, say)."""
    return _authority_guard(
        ruleset,
        name,
        (Permission.PROPOSAL_ONLY,),
        "the acting body may only propose the measure to the competent body",
        _not_only_proposal,
    )


def may_decide_or_propose(ruleset: Ruleset, name: str = "authority") -> Guard:
    """The actor may decide or at least propose the measure: the right to vote on it at all."""
    return _authority_guard(
        ruleset,
        name,
        _VOTES,
        "the acting body may decide or propose the measure (authority matrix)",
        _reason,
    )
