"""The graph model every diagram is drawn from: a pure function of a workflow and options.

:func:`build_graph` turns a :class:`~discipline_flow.workflow.Workflow` into a :class:`Graph`
of :class:`Node` and :class:`Edge` values, already labelled in the chosen language, filtered to
the chosen subset and marked with the highlighted case's path. Renderers only format it, so all
of them agree on what is drawn, and the same input always gives the same bytes: nodes follow the
state enum's order, edges the (source, trigger) enum order and then the definition's order.

>>> from discipline_flow.diagrams import DiagramOptions, build_graph
>>> from discipline_flow.diagrams._examples import complaint_workflow
>>> graph = build_graph(complaint_workflow(), DiagramOptions(focus="FILED", depth=1))
>>> [node.name for node in graph.nodes]
['FILED', 'ACCEPTED', 'REJECTED', 'WITHDRAWN']
>>> [(e.source, e.trigger, e.target) for e in graph.edges][:2]
[('FILED', 'ACCEPT', 'ACCEPTED'), ('FILED', 'REJECT', 'REJECTED')]
"""

from __future__ import annotations

import enum
import functools
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.citation import Citation
from discipline_flow.diagrams._guard_labels import guard_label
from discipline_flow.diagrams._ids import safe_id
from discipline_flow.diagrams._options import DiagramOptions, Language
from discipline_flow.errors import InputError
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.time.deadline import DeadlineRule
    from discipline_flow.workflow import Guard

__all__ = [
    "DeadlineNote",
    "Edge",
    "Graph",
    "GuardNote",
    "Node",
    "as_graph",
    "build_graph",
    "members",
]

#: Words a guard's name contains when it checks who may act (shown with ``show_authority``).
AUTHORITY_MARK = "authority"


@attrs.frozen
class DeadlineNote:
    """A deadline rule as drawn: its name, label and period in the diagram's language."""

    rule: str
    label: str
    period: str
    citation: Citation | None = None


@attrs.frozen
class GuardNote:
    """A guard as drawn: its name, description, basis, whether it checks authority, and its
    label in the diagram's language (its name when it has none)."""

    name: str
    description: str = ""
    basis: Citation | None = None
    is_authority: bool = False
    label: str = ""


@attrs.frozen
class Node:
    """A state in a diagram. ``id`` is a safe identifier for every output format."""

    id: str
    name: str
    label: str
    is_initial: bool = False
    is_terminal: bool = False
    is_current: bool = False
    is_visited: bool = False
    deadlines: tuple[DeadlineNote, ...] = ()
    is_focus: bool = False


@attrs.frozen
class Edge:
    """A transition from one source state in a diagram (node ids and the trigger's name)."""

    source: str
    target: str
    trigger: str
    label: str
    guards: tuple[GuardNote, ...] = ()
    basis: Citation | None = None
    deadlines: tuple[DeadlineNote, ...] = ()
    taken: tuple[int, ...] = ()

    @property
    def is_taken(self) -> bool:
        """Whether the highlighted case made this move."""
        return bool(self.taken)


@attrs.frozen
class Graph:
    """A workflow drawn as nodes and edges, ready for a renderer."""

    workflow: str
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    options: DiagramOptions
    citations: tuple[Citation, ...] = ()

    def node(self, name: str) -> Node:
        """The node of the state called ``name``."""
        for node in self.nodes:
            if node.name == name:
                return node
        shown = ", ".join(n.name for n in self.nodes) or "(none)"
        raise InputError("state", f"{name!r} is not drawn in this graph; drawn: {shown}")


# --------------------------------------------------------------------------- building


def members(enum_class: type[enum.Enum]) -> list[enum.Enum]:
    """The members of an enum class, in definition order."""
    return list(enum_class)


def _rule_label(rule: DeadlineRule, lang: Language) -> str:
    text = rule.label_vi if lang is Language.VI else rule.label_en
    return text or rule.name.replace("_", " ")


def _guard_note(guard: Guard, lang: Language) -> GuardNote:
    return GuardNote(
        guard.name,
        guard.description,
        guard.basis,
        AUTHORITY_MARK in guard.name.lower(),
        guard_label(guard, lang),
    )


def _title(workflow: Workflow[Any, Any], lang: Language) -> str:
    if workflow.label is not None:
        return workflow.label.text(lang.value)
    return workflow.name.replace("_", " ").capitalize()


class _Skeleton:
    """What every drawing of one workflow shares, computed once per workflow.

    States and edges in drawing order with their ids and labels in both languages, the
    neighbours of each state, and the deadline notes by the state or trigger that starts them.
    A workflow never changes, so :func:`_skeleton` keeps the skeletons of the workflows drawn
    most recently.
    """

    __slots__ = (
        "_parts",
        "edges",
        "enter",
        "names",
        "neighbours",
        "states",
        "titles",
        "trigger",
    )

    def __init__(self, workflow: Workflow[Any, Any]) -> None:
        langs = tuple(Language)
        used: set[str] = set()
        ids: dict[str, str] = {}
        #: (name, id, {lang: label}, is_initial, is_terminal)
        self.states: list[tuple[str, str, dict[Language, str], bool, bool]] = []
        for state in members(workflow.states):
            ids[state.name] = safe_id(state.name, used)
            self.states.append(
                (
                    state.name,
                    ids[state.name],
                    {lang: workflow.label_of(state, lang.value) for lang in langs},
                    state is workflow.initial,
                    state in workflow.terminal,
                )
            )
        state_order = {state: i for i, state in enumerate(members(workflow.states))}
        trigger_order = {trigger: i for i, trigger in enumerate(members(workflow.triggers))}
        # Transition labels live on the definition; compiled transitions are its sources in order.
        own_labels = [tr.label for tr in workflow.transitions for _ in tr.sources]
        ordered = sorted(
            workflow.compiled,
            key=lambda ct: (state_order[ct.source], trigger_order[ct.trigger], ct.index),
        )
        #: (source, target, trigger, {lang: label}, {lang: guards}, basis)
        self.edges: list[
            tuple[
                str,
                str,
                str,
                dict[Language, str],
                dict[Language, tuple[GuardNote, ...]],
                Citation | None,
            ]
        ] = []
        self.neighbours: dict[str, set[str]] = {name: set() for name in ids}
        for ct in ordered:
            own = own_labels[ct.index]
            labels = {
                lang: own.text(lang.value)
                if own is not None
                else workflow.label_of(ct.trigger, lang.value)
                for lang in langs
            }
            source, target = ct.source.name, ct.target.name
            guards = {lang: tuple(_guard_note(g, lang) for g in ct.guards) for lang in langs}
            self.edges.append((source, target, ct.trigger.name, labels, guards, ct.basis))
            self.neighbours[source].add(target)
            self.neighbours[target].add(source)
        self.enter: dict[Language, dict[str, tuple[DeadlineNote, ...]]] = {
            lang: {} for lang in langs
        }
        self.trigger: dict[Language, dict[str, tuple[DeadlineNote, ...]]] = {
            lang: {} for lang in langs
        }
        for rule in workflow.deadline_rules:
            if rule.starts_on_trigger is not None:
                start, where = rule.starts_on_trigger, self.trigger
            elif rule.starts_on_enter is not None:
                start, where = rule.starts_on_enter, self.enter
            else:
                continue
            for lang in langs:
                note = DeadlineNote(
                    rule.name, _rule_label(rule, lang), rule.period_label(lang.value), rule.citation
                )
                where[lang][start.name] = (*where[lang].get(start.name, ()), note)
        self.titles = {lang: _title(workflow, lang) for lang in langs}
        self.names = {node_id: name for name, node_id, *_ in self.states}
        self._parts: dict[tuple[Language, bool], tuple[tuple[Node, ...], tuple[Edge, ...]]] = {}

    def parts(
        self, lang: Language, with_deadlines: bool
    ) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
        """Every node and edge labelled in ``lang``, not highlighted (made once, then reused)."""
        key = (lang, with_deadlines)
        found = self._parts.get(key)
        if found is not None:
            return found
        enter = self.enter[lang] if with_deadlines else {}
        started = self.trigger[lang] if with_deadlines else {}
        ids = {name: node_id for name, node_id, *_ in self.states}
        nodes = tuple(
            Node(
                node_id,
                name,
                labels[lang],
                is_initial,
                is_terminal,
                False,
                False,
                enter.get(name, ()),
            )
            for name, node_id, labels, is_initial, is_terminal in self.states
        )
        edges = tuple(
            Edge(
                ids[source],
                ids[target],
                trigger,
                labels[lang],
                guards[lang],
                basis,
                started.get(trigger, ()),
            )
            for source, target, trigger, labels, guards, basis in self.edges
        )
        found = self._parts[key] = (nodes, edges)
        return found


_DEFAULT_OPTIONS = DiagramOptions()


# A workflow is an immutable definition hashed by identity; drawing every version of every
# shipped workflow (``diagram --all``, the docs) touches fewer than 128.
@functools.lru_cache(maxsize=128)
def _skeleton(workflow: Workflow[Any, Any]) -> _Skeleton:
    return _Skeleton(workflow)


def _selected(
    workflow: Workflow[Any, Any], skeleton: _Skeleton, options: DiagramOptions
) -> set[str]:
    known = skeleton.neighbours
    if options.states is not None:
        for name in options.states:
            if name not in known:
                workflow.state_named(name)  # raises the input error listing the states
        return set(options.states)
    if options.focus is None:
        return set(known)
    if options.focus not in known:
        workflow.state_named(options.focus)
    chosen = {options.focus}
    frontier = [options.focus]
    for _ in range(options.depth):
        frontier = [n for state in frontier for n in known[state] if n not in chosen]
        chosen.update(frontier)
        if not frontier:
            break
    return chosen


def build_graph(workflow: Workflow[Any, Any], options: DiagramOptions | None = None) -> Graph:
    """Draw ``workflow`` as a :class:`Graph` under ``options`` (defaults: everything, English).

    Raises :class:`~discipline_flow.errors.InputError` when a subset names a state the workflow
    does not have, or the highlighted case belongs to another workflow.
    """
    opts = options if options is not None else _DEFAULT_OPTIONS
    lang = opts.lang
    skeleton = _skeleton(workflow)
    chosen = _selected(workflow, skeleton, opts)

    names = skeleton.names
    highlight = opts.highlight
    current = None
    visited: set[str] = set()
    taken: dict[tuple[str, str, str], list[int]] = {}
    if highlight is not None:
        if highlight.workflow != workflow.key:
            raise InputError(
                "highlight",
                f"the case belongs to {highlight.workflow}, not to {workflow.key}; "
                f"highlight a case of the workflow drawn",
            )
        for number, move in enumerate(highlight.path, start=1):
            taken.setdefault(move, []).append(number)
            visited.update((move[0], move[2]))
        visited.add(highlight.current)
        current = highlight.current

    base_nodes, base_edges = skeleton.parts(lang, opts.show_deadlines)
    focus = opts.focus
    if highlight is None and focus is None and len(chosen) == len(base_nodes):
        return Graph(  # the whole workflow, as it is
            workflow.key, skeleton.titles[lang], base_nodes, base_edges, opts, workflow.citations
        )
    nodes = tuple(
        attrs.evolve(
            node,
            is_current=node.name == current,
            is_visited=node.name in visited,
            is_focus=node.name == focus,
        )
        if node.name in visited or node.name == focus
        else node
        for node in base_nodes
        if node.name in chosen
    )
    edges = tuple(
        attrs.evolve(edge, taken=tuple(taken[move]))
        if taken and (move := (names[edge.source], edge.trigger, names[edge.target])) in taken
        else edge
        for edge in base_edges
        if names[edge.source] in chosen and names[edge.target] in chosen
    )
    return Graph(workflow.key, skeleton.titles[lang], nodes, edges, opts, workflow.citations)


def as_graph(source: Workflow[Any, Any] | Graph, options: DiagramOptions | None) -> Graph:
    """``source`` itself when it is a graph already, else the graph of the workflow."""
    if isinstance(source, Graph):
        if options is not None and options != source.options:
            raise InputError(
                "options", "a Graph carries its own options; pass the workflow to use others"
            )
        return source

    if not isinstance(source, Workflow):
        raise InputError("workflow", f"expected a Workflow or a Graph, got {type(source).__name__}")
    return build_graph(source, options)
