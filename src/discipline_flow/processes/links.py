"""Links between cases: child cases that record their origin, and the tree of one matter.

One step of a process often starts another: a supervision that finds signs of violation leads to
an inspection, an inspection to disciplinary cases, a decision to a complaint. Effects never open
cases (effects must not change cases); instead :func:`open_child` opens the child case with
``parent=`` so that it records its :class:`~discipline_flow.Origin` (the parent case and the step
that opened it), and :func:`matter_tree` puts any collection of cases back together as trees,
one per matter. :func:`matter_of` answers "the whole matter this case belongs to" in one call,
and :func:`load_matter` does the same from a store.

The last section holds private guards the process modules share about who acts: a party body,
no district-level body after 1 July 2025, the level a body acts at, an extension within its
rule's policy (the guards of authority and voting live in ``_guards.py``).

>>> import enum, pendulum
>>> from discipline_flow import Body, BodyKind, Member, Transition, Workflow
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> commission = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-1")
>>> root = wf.open(Member("m-1"), at=at, actor=commission, case_id="C-1")
>>> _ = root.fire(T.CLOSE, at=at, actor=commission)
>>> child = open_child(root, wf, at=at.add(days=1), actor=commission, case_id="C-2")
>>> child.origin.case_id, child.origin.step_index
('C-1', 1)
>>> print(matter_of([child, root], "C-2").render())
C-1 tiny@1 CLOSED
└── C-2 tiny@1 OPEN
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.actors import Body, BodyKind, Level, Member, Subject
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.clock import require_aware
from discipline_flow.errors import (
    CaseNotFoundError,
    DisciplineFlowError,
    InputError,
    MalformedDataError,
    RuleNotFoundError,
)
from discipline_flow.rules import DENY_BY_DEFAULT, NO_DISTRICT_LEVEL, Ruleset, select_ruleset
from discipline_flow.time.deadline import DeadlineRule
from discipline_flow.time.period import Period
from discipline_flow.workflow import Guard, GuardContext, Workflow

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.store import CaseStore

__all__ = [
    "INSPECTION",
    "PARTY_BODIES_ONLY",
    "MatterNode",
    "inspection_workflow",
    "load_matter",
    "matter_of",
    "matter_tree",
    "open_child",
    "open_inspection",
]

#: The name of the shipped inspection on signs of violation (``inspection.py``).
INSPECTION = "inspection"


# ---------------------------------------------------------------------------- opening children


def open_child(
    parent: Case[Any, Any],
    workflow: Workflow[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body | str,
    subject: Subject | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Case[Any, Any]:
    """Open a case of ``workflow`` that records ``parent`` (and its latest step) as its origin.

    The subject defaults to the parent's. The child cannot open before the parent's latest step:
    that step is the one that opens it.
    """
    from discipline_flow.case import Case

    if not isinstance(parent, Case):
        raise InputError("parent", f"expected the Case that opens the child, got {parent!r}")
    at = require_aware(at, "at")
    if at < parent.last_at:
        raise InputError(
            "at",
            f"{at.isoformat()} is before the step of case {parent.id} that opens the child "
            f"({parent.last_at.isoformat()})",
        )
    return workflow.open(
        subject if subject is not None else parent.subject,
        at=at,
        actor=actor,
        case_id=case_id,
        payload=payload,
        parent=parent,
    )


def inspection_workflow(ruleset: Ruleset) -> Workflow[Any, Any]:
    """The shipped inspection on signs of violation (``inspection.py``) under ``ruleset``.

    The process registry is imported when first needed, so that this module does not depend on
    the inspection module at import time.
    """
    from discipline_flow.processes import shipped_workflows

    for workflow in shipped_workflows(ruleset):
        if workflow.name == INSPECTION:
            return workflow
    raise InputError(
        "workflow",
        f"no shipped {INSPECTION!r} workflow under ruleset {ruleset.name!r}; pass workflow=",
    )


def open_inspection(
    parent: Case[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body | str,
    subject: Subject | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open the inspection on signs of violation that a step of ``parent`` leads to.

    Without ``workflow`` the shipped inspection workflow of the ruleset in force on ``at`` is
    used: an inspection is governed by the rules in force when the body decides it
    (:data:`~discipline_flow.rules.SELECTION_DATE`).
    """
    at = require_aware(at, "at")
    if workflow is None:
        workflow = inspection_workflow(select_ruleset(at))
    return open_child(
        parent, workflow, at=at, actor=actor, subject=subject, case_id=case_id, payload=payload
    )


# ---------------------------------------------------------------------------- the matter tree


@attrs.frozen
class MatterNode:
    """One case of a matter and the cases it opened.

    ``has_missing_parent`` is true for a case whose origin names a parent that was not among the
    cases given (the tree then starts at this case).
    """

    case: Case[Any, Any]
    children: tuple[MatterNode, ...] = ()
    has_missing_parent: bool = False

    @property
    def case_id(self) -> str:
        """The id of the node's case."""
        return str(self.case.id)

    def walk(self) -> Iterator[MatterNode]:
        """This node and every node below it, depth first, parents before children."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def cases(self) -> tuple[Case[Any, Any], ...]:
        """Every case of the (sub)tree, depth first."""
        return tuple(node.case for node in self.walk())

    def find(self, case_id: str) -> MatterNode | None:
        """The node of ``case_id`` in this (sub)tree, or None."""
        return next((node for node in self.walk() if node.case_id == case_id), None)

    @property
    def size(self) -> int:
        """The number of cases in the (sub)tree."""
        return sum(1 for _ in self.walk())

    @property
    def depth(self) -> int:
        """The number of levels: 1 for a case that opened nothing."""
        return 1 + max((child.depth for child in self.children), default=0)

    def render(self) -> str:
        """The tree as text, one case a line: id, workflow key and state."""
        lines: list[str] = []
        self._render(lines, "", "")
        return "\n".join(lines)

    def _render(self, lines: list[str], first: str, rest: str) -> None:
        case = self.case
        lines.append(f"{first}{case.id} {case.workflow.key} {case.state.name}")
        for i, child in enumerate(self.children):
            last = i == len(self.children) - 1
            child._render(
                lines, rest + ("└── " if last else "├── "), rest + ("    " if last else "│   ")
            )


def _order(case: Case[Any, Any]) -> tuple[int, _dt.datetime, str]:
    step = case.origin.step_index if case.origin is not None else -1
    return (step, case.opened_at, str(case.id))


def matter_tree(cases: Iterable[Case[Any, Any]]) -> tuple[MatterNode, ...]:
    """The cases as trees, one per matter, built from each case's ``origin``.

    Roots are the cases without an origin (or whose parent is not among ``cases``), earliest
    first; children follow the order of the parent's steps that opened them. Two cases with
    the same id are refused (:class:`~discipline_flow.errors.InputError`); origins that form a
    loop raise :class:`~discipline_flow.errors.MalformedDataError`.
    """
    from discipline_flow.case import Case

    by_id: dict[str, Case[Any, Any]] = {}
    for case in cases:
        if not isinstance(case, Case):
            raise InputError("cases", f"expected cases, got {type(case).__name__}")
        if case.id in by_id and by_id[case.id] is not case:
            raise InputError("cases", f"two different cases share the id {case.id!r}")
        by_id[case.id] = case
    children: dict[str, list[Case[Any, Any]]] = {}
    roots: list[Case[Any, Any]] = []
    for case in by_id.values():
        parent = case.origin.case_id if case.origin is not None else None
        if parent is not None and parent in by_id:
            children.setdefault(parent, []).append(case)
        else:
            roots.append(case)

    def build(case: Case[Any, Any]) -> MatterNode:
        kids = sorted(children.get(case.id, ()), key=_order)
        missing = case.origin is not None and case.origin.case_id not in by_id
        return MatterNode(case, tuple(build(kid) for kid in kids), missing)

    trees = tuple(build(root) for root in sorted(roots, key=lambda c: (c.opened_at, str(c.id))))
    placed = sum(tree.size for tree in trees)
    if placed != len(by_id):
        reached = {node.case_id for tree in trees for node in tree.walk()}
        loop = sorted(set(by_id) - reached)
        raise MalformedDataError(
            "cases", f"the origins of {', '.join(loop)} form a loop; a case's parent is older"
        )
    return trees


def matter_of(cases: Iterable[Case[Any, Any]], case_id: str) -> MatterNode:
    """The whole matter (the tree from its first case) that case ``case_id`` belongs to.

    Raises :class:`~discipline_flow.errors.CaseNotFoundError` when no case has that id.
    """
    given = list(cases)
    for tree in matter_tree(given):
        if tree.find(case_id) is not None:
            return tree
    raise CaseNotFoundError(f"no case {case_id!r} among the {len(given)} cases given")


def load_matter(store: CaseStore, case_id: str) -> MatterNode:
    """The whole matter of ``case_id`` from a store: the cases its ``linked`` query names,
    loaded (their chains verified) and put together as one tree from the matter's first case.

    Raises :class:`~discipline_flow.errors.CaseNotFoundError` when no such case is stored.
    """
    summaries = store.linked(case_id)
    return matter_of(store.load_many([summary.id for summary in summaries]), case_id)


# ---------------------------------------------------------------------------- shared guards
#
# Bodies and levels, as the processes of this package judge them. (The shared guards of
# authority and voting live in ``_guards.py``.)

_FIXED_LEVEL = {
    BodyKind.PARTY_CELL: Level.GRASSROOTS,
    BodyKind.CELL_EXECUTIVE: Level.GRASSROOTS,
    BodyKind.PARTIAL_COMMITTEE: Level.GRASSROOTS,
    BodyKind.GRASSROOTS_COMMITTEE: Level.GRASSROOTS,
    BodyKind.SECRETARIAT: Level.CENTRAL,
    BodyKind.POLITBURO: Level.CENTRAL,
    BodyKind.CENTRAL_COMMITTEE: Level.CENTRAL,
}
_NOT_PARTY = frozenset({BodyKind.STATE_AGENCY, BodyKind.PERSON, BodyKind.SYSTEM})
_LEVEL_VI = {
    Level.GRASSROOTS: "cơ sở",
    Level.DISTRICT: "cấp huyện",
    Level.PROVINCIAL: "cấp tỉnh",
    Level.CENTRAL: "Trung ương",
}

#: Who acts in a process where no rule names the bodies: party bodies only (deny by default).
PARTY_BODIES_ONLY = Citation(
    DENY_BY_DEFAULT.document,
    DENY_BY_DEFAULT.article,
    RuleStatus.ASSUMED,
    source=DENY_BY_DEFAULT.source,
    note="party work is done by party bodies; state agencies, persons and the system are refused",
)


def _party_level(body: Body) -> Level | None:
    """The level a party body acts at (None for non-party bodies and bodies without a level)."""
    if body.kind in _NOT_PARTY:
        return None
    return _FIXED_LEVEL.get(body.kind, body.level)


def _level_vi(level: Level) -> str:
    return _LEVEL_VI[level]


def _regulation(ruleset: Ruleset) -> str:
    """The regulation on inspection, supervision and discipline ``ruleset`` rests on."""
    codes = {d.code for d in ruleset.documents}
    for code in ("QĐ 21-QĐ/TW", "QĐ 296-QĐ/TW", "QĐ 22-QĐ/TW"):
        if code in codes:
            return code
    return "QĐ 296-QĐ/TW"


def _no_district_level(ruleset: Ruleset, name: str = "no_district_level") -> Guard:
    """From 1 July 2025 (rulesets without a district level) district bodies are refused."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ruleset.has_district_level or ctx.actor.level is not Level.DISTRICT:
            return None
        return (
            f"{ctx.actor} is a district-level body; the district level no longer exists from "
            f"1 July 2025 (ruleset {ruleset.name})"
        )

    return Guard(
        name,
        check,
        basis=NO_DISTRICT_LEVEL,
        description="no district-level body acts under a ruleset without the district level",
    )


def _party_body(name: str = "party_body", basis: Citation = PARTY_BODIES_ONLY) -> Guard:
    """The actor is a party body (not a state agency, a person or the system)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if ctx.actor.kind not in _NOT_PARTY:
            return None
        return f"{ctx.actor} is not a party body; only party bodies do this"

    return Guard(name, check, basis=basis, description="the actor is a party body")


def _subject_is_member(name: str, basis: Citation, what: str) -> Guard:
    """The subject of the case is a party member (not an organisation)."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if isinstance(ctx.subject, Member):
            return None
        return f"{what} concerns a party member, not organisation {ctx.subject.id!r}"

    return Guard(name, check, basis=basis, description=f"{what} concerns a party member")


def _extension_within(rule: DeadlineRule, name: str = "extension_within_limit") -> Guard:
    """The payload's ``extend_by`` (and ``reason``) fit the rule's extension policy.

    The deadline itself refuses an extension beyond its policy; this guard says so before the
    move, as a refusal that names the rule and its citation.
    """
    policy = rule.extension
    assert policy is not None, "an extension guard needs a rule with an extension policy"
    basis = rule.citation

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("extend_by")
        if raw is None:
            return "give 'extend_by', the extension (like '10 working days')"
        try:
            by = Period.parse(raw)
        except DisciplineFlowError as exc:
            return f"{exc}"
        if by.amount <= 0:
            return f"an extension must be longer than zero, got {by}"
        reason = ctx.payload.get("reason")
        if policy.reason_required and not (isinstance(reason, str) and reason.strip()):
            return "an extension needs a 'reason'"
        try:
            current = ctx.case.deadline(rule.name)
        except RuleNotFoundError:
            return f"there is no {rule.name} deadline to extend"
        if not current.is_open:
            return f"the {rule.name} deadline is closed; only a running deadline is extended"
        if not current.is_paused and ctx.at >= current.due_at:
            return (
                f"the {rule.name} deadline ended on {current.due_on.isoformat()}; an extension "
                f"must be granted before it passes"
            )
        done = current.extensions
        if len(done) >= policy.max_count:
            return (
                f"{rule.name} was extended {len(done)} time(s) already; the rule allows "
                f"{policy.max_count}"
            )
        limit = policy.max_total
        if limit is not None:
            if by.unit is not limit.unit:
                return f"give the extension in {limit.unit.value}; the limit is {limit}"
            total = by.amount + sum(e.by.amount for e in done if e.by.unit is limit.unit)
            if total > limit.amount:
                return (
                    f"extending by {by} makes {Period(total, limit.unit)} in all; the rule "
                    f"allows at most {limit}"
                )
        return None

    total = f" of at most {policy.max_total}" if policy.max_total is not None else ""
    return Guard(
        name,
        check,
        basis=basis,
        description=f"an extension{total}, at most {policy.max_count} time(s), with a reason",
        uses_payload=True,
    )
