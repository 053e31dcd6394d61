"""Links between cases: child cases that record their origin, and the tree of one matter.

One step of a process often starts another: a supervision that finds signs of violation leads to
an inspection, an inspection to disciplinary cases, a decision to a complaint. Effects never open
cases (effects must not change cases); instead :func:`open_child` opens the child case with
``parent=`` so that it records its :class:`~discipline_flow.Origin` (the parent case and the step
that opened it), and :func:`matter_tree` puts any collection of cases back together as trees,
one per matter. :func:`matter_of` answers "the whole matter this case belongs to" in one call,
and :func:`load_matter` does the same from a store.

The processes open their own children through these: an inspection from a supervision,
denunciation or remediation (:func:`~discipline_flow.processes.inspection.open_inspection`),
disciplinary cases from an inspection, a complaint from a decision, remediation monitoring from
a conclusion.

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

from discipline_flow.actors import Body, Subject
from discipline_flow.case import Case
from discipline_flow.clock import require_aware
from discipline_flow.errors import CaseNotFoundError, InputError, MalformedDataError
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.store import CaseStore

__all__ = [
    "MatterNode",
    "load_matter",
    "matter_of",
    "matter_tree",
    "open_child",
]


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
