"""What changed between two rulesets: every rule and authority cell added, removed or changed.

A legal officer reviewing a new regulation wants this first: :meth:`Ruleset.diff
<discipline_flow.rules.Ruleset.diff>` (and ``discipline-flow rules diff A B``) lists each rule
and each cell of the authority matrix that one ruleset has and the other has not, or has with
another value, citation or status, with both sides.

>>> from discipline_flow.rules import default_registry
>>> registry = default_registry()
>>> diff = registry.get("2025-07").diff(registry.get("2026"))
>>> change = next(c for c in diff.rules if c.key == "suspension_total_limit")
>>> change.kind.value, change.fields
('changed', ('value', 'citation', 'alternatives', 'note'))
>>> print(change.text())
~ suspension_total_limit
    value: 180 days -> 120 days
    citation: QĐ 22-QĐ/TW Điều 31 khoản 1 -> QĐ 21-QĐ/TW
    status: assumed
    also changed: alternatives, note
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.citation import Citation
from discipline_flow.rules.matrix import AuthorityCell
from discipline_flow.rules.rule import RulesetRule

if TYPE_CHECKING:
    from discipline_flow.rules.ruleset import Ruleset

__all__ = ["CellChange", "ChangeKind", "RuleChange", "RulesetDiff", "diff_rulesets"]


class ChangeKind(enum.Enum):
    """How a rule or cell differs between the older ruleset and the newer one."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"

    @property
    def mark(self) -> str:
        """``+``, ``-`` or ``~``, as the text form starts a line."""
        return {"added": "+", "removed": "-", "changed": "~"}[self.value]


def _citation_text(citation: Citation) -> str:
    return citation.reference


def _citation_payload(citation: Citation) -> dict[str, Any]:
    return {
        "document": citation.document,
        "article": citation.article,
        "status": citation.status.value,
        "source": citation.source,
        "note": citation.note,
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _arrow(before: str, after: str) -> str:
    return before if before == after else f"{before} -> {after}"


def _cited(before: Citation, after: Citation, changed: bool) -> str:
    text = _arrow(_citation_text(before), _citation_text(after))
    if changed and before.reference == after.reference:
        return f"{text} (its source or notes changed)"
    return text


#: What is compared for a rule, in the order a change lists them.
_RULE_FIELDS = ("value", "citation", "status", "alternatives", "note", "labels")
#: What is compared for an authority cell.
_CELL_FIELDS = ("permission", "variants", "citation", "status", "rule", "note")


def _rule_fields(old: RulesetRule, new: RulesetRule) -> tuple[str, ...]:
    differs = {
        "value": old.value != new.value,
        "citation": old.citation.reference != new.citation.reference
        or old.citation.source != new.citation.source
        or old.citation.note != new.citation.note,
        "status": old.status is not new.status,
        "alternatives": old.alternatives != new.alternatives,
        "note": old.note != new.note,
        "labels": (old.label_en, old.label_vi) != (new.label_en, new.label_vi),
    }
    return tuple(field for field in _RULE_FIELDS if differs[field])


def _cell_fields(old: AuthorityCell, new: AuthorityCell) -> tuple[str, ...]:
    differs = {
        "permission": old.permission is not new.permission,
        "variants": old.variants != new.variants,
        "citation": old.citation.reference != new.citation.reference
        or old.citation.source != new.citation.source
        or old.citation.note != new.citation.note
        or old.higher_task_citation != new.higher_task_citation,
        "status": old.citation.status is not new.citation.status,
        "rule": old.rule != new.rule,
        "note": old.note != new.note,
    }
    return tuple(field for field in _CELL_FIELDS if differs[field])


@attrs.frozen
class RuleChange:
    """One rule that differs: its key, how, what (``fields``), and both sides."""

    key: str
    kind: ChangeKind
    old: RulesetRule | None
    new: RulesetRule | None
    fields: tuple[str, ...] = ()

    def text(self) -> str:
        """The change as a few lines of text: value, citation and status, before -> after."""
        head = f"{self.kind.mark} {self.key}"
        if self.old is None or self.new is None:
            rule = self.new if self.old is None else self.old
            assert rule is not None
            return (
                f"{head}: {rule.value_text} ({_citation_text(rule.citation)}, {rule.status.value})"
            )
        lines = [
            head,
            f"    value: {_arrow(self.old.value_text, self.new.value_text)}",
            "    citation: "
            + _cited(self.old.citation, self.new.citation, "citation" in self.fields),
            f"    status: {_arrow(self.old.status.value, self.new.status.value)}",
        ]
        others = [field for field in self.fields if field not in ("value", "citation", "status")]
        if others:
            lines.append(f"    also changed: {', '.join(others)}")
        return "\n".join(lines)

    def to_payload(self) -> dict[str, Any]:
        """JSON-compatible form: key, change, fields, and both rules (``None`` for no rule)."""
        return {
            "key": self.key,
            "change": self.kind.value,
            "fields": list(self.fields),
            "old": None if self.old is None else self.old.to_payload(),
            "new": None if self.new is None else self.new.to_payload(),
        }


def _cell_payload(cell: AuthorityCell) -> dict[str, Any]:
    task = cell.higher_task_citation
    return {
        "permission": cell.permission.value,
        "same_level": None if cell.same_level is None else cell.same_level.value,
        "higher_level": None if cell.higher_level is None else cell.higher_level.value,
        "higher_task": None if cell.higher_task is None else cell.higher_task.value,
        "status": cell.citation.status.value,
        "citation": _citation_payload(cell.citation),
        "higher_task_citation": None if task is None else _citation_payload(task),
        "rule": cell.rule,
        "note": cell.note,
    }


def _permission_text(cell: AuthorityCell) -> str:
    variants = cell.variants
    return f"{cell.permission.words} ({variants})" if variants else cell.permission.words


@attrs.frozen
class CellChange:
    """One cell of the authority matrix that differs: its name, how, what, and both sides."""

    name: str
    kind: ChangeKind
    old: AuthorityCell | None
    new: AuthorityCell | None
    fields: tuple[str, ...] = ()

    def text(self) -> str:
        """The change on one or a few lines: permission, citation and status."""
        head = f"{self.kind.mark} {self.name}"
        if self.old is None or self.new is None:
            cell = self.new if self.old is None else self.old
            assert cell is not None
            return (
                f"{head}: {_permission_text(cell)} ({_citation_text(cell.citation)}, "
                f"{cell.citation.status.value})"
            )
        old, new = self.old, self.new
        lines = [
            head,
            f"    permission: {_arrow(_permission_text(old), _permission_text(new))}",
            f"    citation: {_cited(old.citation, new.citation, 'citation' in self.fields)}",
            f"    status: {_arrow(old.citation.status.value, new.citation.status.value)}",
        ]
        others = [
            f for f in self.fields if f not in ("permission", "variants", "citation", "status")
        ]
        if others:
            lines.append(f"    also changed: {', '.join(others)}")
        return "\n".join(lines)

    def to_payload(self) -> dict[str, Any]:
        """JSON-compatible form: the cell's key, change, fields, and both cells."""
        cell = self.new if self.new is not None else self.old
        assert cell is not None
        return {
            "cell": self.name,
            "body_kind": cell.body_kind.value,
            "body_level": None if cell.body_level is None else cell.body_level.value,
            "subject": cell.subject.value,
            "measure": cell.measure.value,
            "change": self.kind.value,
            "fields": list(self.fields),
            "old": None if self.old is None else _cell_payload(self.old),
            "new": None if self.new is None else _cell_payload(self.new),
        }


def _count(changes: tuple[RuleChange, ...] | tuple[CellChange, ...]) -> str:
    counts = dict.fromkeys(ChangeKind, 0)
    for change in changes:
        counts[change.kind] += 1
    return ", ".join(f"{counts[kind]} {kind.value}" for kind in ChangeKind)


@attrs.frozen
class RulesetDiff:
    """Every difference between ruleset ``old`` and ruleset ``new`` (names and spans kept)."""

    old: str
    new: str
    old_span: str
    new_span: str
    documents_added: tuple[str, ...]
    documents_removed: tuple[str, ...]
    rules: tuple[RuleChange, ...]
    cells: tuple[CellChange, ...]

    def __bool__(self) -> bool:
        return bool(self.rules or self.cells or self.documents_added or self.documents_removed)

    @property
    def heading(self) -> str:
        """``ruleset A (span) -> B (span)``."""
        return f"ruleset {self.old} ({self.old_span}) -> {self.new} ({self.new_span})"

    def text(self) -> str:
        """Every change as plain text: documents, then rules, then authority cells."""
        lines = [self.heading]
        if self.documents_added:
            lines.append(f"documents added: {'; '.join(self.documents_added)}")
        if self.documents_removed:
            lines.append(f"documents removed: {'; '.join(self.documents_removed)}")
        lines.extend(["", f"rules: {_count(self.rules)}"])
        lines.extend(change.text() for change in self.rules)
        lines.extend(["", f"authority cells: {_count(self.cells)}"])
        lines.extend(change.text() for change in self.cells)
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        """Every change as Markdown tables, one for rules and one for authority cells."""
        out = [f"## Changes from ruleset {self.old} to {self.new}", ""]
        out.append(f"- `{self.old}`: {self.old_span}; `{self.new}`: {self.new_span}")
        if self.documents_added:
            out.append(f"- documents added: {_cell('; '.join(self.documents_added))}")
        if self.documents_removed:
            out.append(f"- documents removed: {_cell('; '.join(self.documents_removed))}")
        out.extend(["", f"### Rules ({_count(self.rules)})", ""])
        out.append("| Rule | Change | Value | Citation | Status | Also changed |")
        out.append("|---|---|---|---|---|---|")
        for rule in self.rules:
            old, new = rule.old, rule.new
            cells = [
                _side(old, new, lambda r: r.value_text),
                _side(old, new, lambda r: _citation_text(r.citation)),
                _side(old, new, lambda r: r.status.value),
            ]
            others = ", ".join(f for f in rule.fields if f not in ("value", "citation", "status"))
            out.append(f"| `{rule.key}` | {rule.kind.value} | {' | '.join(cells)} | {others} |")
        out.extend(["", f"### Authority cells ({_count(self.cells)})", ""])
        out.append("| Cell | Change | Permission | Citation | Status | Also changed |")
        out.append("|---|---|---|---|---|---|")
        for change in self.cells:
            before, after = change.old, change.new
            cells = [
                _side(before, after, _permission_text),
                _side(before, after, lambda c: _citation_text(c.citation)),
                _side(before, after, lambda c: c.citation.status.value),
            ]
            others = ", ".join(
                f
                for f in change.fields
                if f not in ("permission", "variants", "citation", "status")
            )
            out.append(
                f"| {_cell(change.name)} | {change.kind.value} | {' | '.join(cells)} | {others} |"
            )
        return "\n".join(out) + "\n"

    def to_payload(self) -> dict[str, Any]:
        """JSON-compatible form, used by ``discipline-flow rules diff --json``."""
        return {
            "old": {"name": self.old, "span": self.old_span},
            "new": {"name": self.new, "span": self.new_span},
            "documents": {
                "added": list(self.documents_added),
                "removed": list(self.documents_removed),
            },
            "rules": [change.to_payload() for change in self.rules],
            "authority": [change.to_payload() for change in self.cells],
        }


def _side(old: Any, new: Any, show: Any) -> str:
    if old is None:
        return _cell(str(show(new)))
    if new is None:
        return _cell(str(show(old)))
    return _cell(_arrow(str(show(old)), str(show(new))))


def _changes(old: Mapping[str, Any], new: Mapping[str, Any], fields: Any) -> list[Any]:
    # In the newer ruleset's order, then what only the older one has, in its order.
    found = []
    for key in [*new, *(key for key in old if key not in new)]:
        before, after = old.get(key), new.get(key)
        if before is None:
            found.append((key, ChangeKind.ADDED, None, after, ()))
        elif after is None:
            found.append((key, ChangeKind.REMOVED, before, None, ()))
        else:
            changed = fields(before, after)
            if changed:
                found.append((key, ChangeKind.CHANGED, before, after, changed))
    return found


def diff_rulesets(old: Ruleset, new: Ruleset) -> RulesetDiff:
    """Every rule, authority cell and document that differs from ``old`` to ``new``."""
    rules = tuple(RuleChange(*change) for change in _changes(old.rules, new.rules, _rule_fields))
    old_cells = {cell.name: cell for cell in old.authority}
    new_cells = {cell.name: cell for cell in new.authority}
    cells = tuple(CellChange(*change) for change in _changes(old_cells, new_cells, _cell_fields))
    old_documents = [str(document) for document in old.documents]
    new_documents = [str(document) for document in new.documents]
    return RulesetDiff(
        old.name,
        new.name,
        old.span,
        new.span,
        tuple(d for d in new_documents if d not in old_documents),
        tuple(d for d in old_documents if d not in new_documents),
        rules,
        cells,
    )
