"""Words and escaping shared by the renderers."""

from __future__ import annotations

from discipline_flow.citation import Citation
from discipline_flow.diagrams._graph import DeadlineNote, Edge, GuardNote
from discipline_flow.diagrams._options import DiagramOptions, Language

__all__ = [
    "citation_text",
    "deadline_text",
    "edge_lines",
    "guard_list",
    "guard_names",
    "shown_guards",
    "word",
]

_WORDS: dict[str, tuple[str, str]] = {
    "deadline": ("deadline", "thời hạn"),
    "basis": ("basis", "căn cứ"),
    "state": ("State", "Trạng thái"),
    "label": ("Label", "Nhãn"),
    "kind": ("Kind", "Loại"),
    "initial": ("initial", "bắt đầu"),
    "terminal": ("terminal", "kết thúc"),
    "current": ("current", "hiện tại"),
    "visited": ("visited", "đã qua"),
    "focus": ("focus", "trọng tâm"),
    "notes": ("Notes", "Ghi chú"),
    "if": ("if", "nếu"),
    "from": ("From", "Từ"),
    "trigger": ("Trigger", "Sự kiện"),
    "to": ("To", "Đến"),
    "guards": ("Guards", "Điều kiện"),
    "deadlines": ("Deadlines started", "Thời hạn bắt đầu"),
    "citation": ("Basis", "Căn cứ"),
    "taken": ("Taken (step)", "Đã thực hiện (bước)"),
    "steps": ("Steps", "Các bước"),
    "deadline_section": ("Deadlines", "Thời hạn"),
    "states": ("States", "Trạng thái"),
    "now": ("now", "hiện tại"),
    "met": ("met", "đã đáp ứng"),
    "overdue": ("overdue", "quá hạn"),
    "cancelled": ("cancelled", "đã hủy"),
    "due": ("due", "hạn"),
    "pending": ("pending", "đang chạy"),
    "due_soon": ("due soon", "sắp đến hạn"),
    "opened": ("opened", "mở"),
    "paused": ("paused", "tạm dừng"),
    "not_shown": ("not in this list", "không có trong danh sách"),
}


def word(key: str, lang: Language) -> str:
    """The word for ``key`` in ``lang``."""
    en, vi = _WORDS[key]
    return vi if lang is Language.VI else en


def citation_text(citation: Citation) -> str:
    """``document article (status)``."""
    return str(citation)


def deadline_text(note: DeadlineNote, lang: Language, *, with_citation: bool) -> str:
    """``deadline: Resolve the complaint, 90 working days [basis]``."""
    text = f"{word('deadline', lang)}: {note.label}, {note.period}"
    if with_citation and note.citation is not None:
        text += f" [{citation_text(note.citation)}]"
    return text


def shown_guards(edge: Edge, *, show_guards: bool, show_authority: bool) -> tuple[GuardNote, ...]:
    """The guards of ``edge`` a diagram shows under the options."""
    if show_guards:
        return edge.guards
    if show_authority:
        return tuple(g for g in edge.guards if g.is_authority)
    return ()


def guard_names(guards: tuple[GuardNote, ...], *, with_citation: bool) -> str:
    """``[guard_a, guard_b (basis)]``, or empty text when there are none."""
    listed = guard_list(guards, with_citation=with_citation)
    return f"[{listed}]" if listed else ""


def guard_list(guards: tuple[GuardNote, ...], *, with_citation: bool) -> str:
    """``guard_a, guard_b (basis)``, or empty text when there are none."""
    parts = []
    for guard in guards:
        text = guard.label or guard.name
        if with_citation and guard.basis is not None:
            text += f" ({guard.basis.reference}, {guard.basis.status.value})"
        parts.append(text)
    return ", ".join(parts)


def edge_lines(edge: Edge, options: DiagramOptions) -> list[str]:
    """The lines of a transition's label, unescaped: its name (marked ``✓`` with the step numbers
    when the highlighted case took it), the guards shown, the deadlines it starts, its basis."""
    head = edge.label
    if edge.taken:
        head = "✓ " + ",".join([str(n) for n in edge.taken]) + " " + head
    lines = [head]
    cite = options.show_citations
    if edge.guards and (options.show_guards or options.show_authority):
        guards = shown_guards(
            edge, show_guards=options.show_guards, show_authority=options.show_authority
        )
        if guards:
            lines.append(guard_names(guards, with_citation=cite))
    lines.extend([deadline_text(note, options.lang, with_citation=cite) for note in edge.deadlines])
    if cite and edge.basis is not None:
        lines.append(f"{word('basis', options.lang)}: {citation_text(edge.basis)}")
    return lines
