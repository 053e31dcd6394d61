"""Reading a ruleset file: the TOML schema, checked, with errors that name file, line and key.

A file says what a :class:`~discipline_flow.rules.Ruleset` holds (see
``docs/how-to/add-or-override-a-rule.md`` for the format and the shipped ``rules/data/*.toml``
for complete examples). :class:`RulesetFile` is what a file says, every field checked;
:meth:`RulesetFile.fields` gives the ruleset's fields, given the ruleset it is based on, if any.
A wrong file raises :class:`~discipline_flow.errors.RulesetFileError`: the line (where the TOML
reader gives it, or the line of the key), the key and what is allowed.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

import attrs

from discipline_flow.actors import BodyKind, Level
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import DisciplineFlowError, RulesetFileError
from discipline_flow.measure import Measure
from discipline_flow.rules.document import Document
from discipline_flow.rules.matrix import AuthorityCell, Permission, SubjectCategory
from discipline_flow.rules.rule import (
    Alternative,
    RulesetRule,
    RuleValue,
    coerce_value,
    value_kind,
)
from discipline_flow.time.period import Period

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

if TYPE_CHECKING:
    from discipline_flow.rules.ruleset import Ruleset

__all__ = ["RulesetFile", "builtin_names", "builtin_text", "read_ruleset_text"]

Path = tuple[str | int, ...]

_TOP = ("name", "based_on", "effective_from", "effective_until", "has_district_level", "note")
_TOP_KEYS = frozenset({*_TOP, "documents", "rules", "authority"})
_DOCUMENT_KEYS = frozenset(
    {"code", "title_en", "label_vi", "issued_on", "effective_from", "status", "source", "note"}
)
_CITED = frozenset({"document", "article", "status", "source", "source_note"})
_ALTERNATIVE_KEYS = frozenset({"value", "kind", "note", *_CITED})
_RULE_KEYS = frozenset({"label_en", "label_vi", "alternatives", *_ALTERNATIVE_KEYS})
_AUTHORITY_KEYS = frozenset({"measures", "cells", "citations", "rules"})
_CITATION_KEYS = frozenset({"document", "article", "status", "source", "note"})
_LETTER_KEYS = ("permissions", "same_level", "higher_level", "higher_task")
_CELL_KEYS = frozenset(
    {"body", "level", "subject", "citation", "higher_task_citation", "rule", "note", *_LETTER_KEYS}
)
_KINDS = ("period", "number", "fraction", "flag", "text", "texts")
_LETTERS = {
    "A": Permission.ALLOWED,
    "a": Permission.NEEDS_APPROVAL,
    "P": Permission.PROPOSAL_ONLY,
    "N": Permission.NOT_ALLOWED,
}
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_FRACTION = re.compile(r"^\d+/\d+$")
_HEADER = re.compile(r"^\s*\[")
_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")
#: The measures a permission string spells, in order, unless the file says otherwise.
MEASURE_ORDER = tuple(measure.value for measure in Measure)


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def line_of(text: str, path: Path) -> int | None:
    """The line (from 1) where ``path`` is written in ``text``, for messages; None if unsure.

    Looks for the longest table header the path starts with (``[rules.x]``, the n-th
    ``[[documents]]``), then the key inside it; an array of one inline table per line (the
    authority cells) counts its lines.

    >>> line_of('name = "x"\\n[rules.a]\\nvalue = 1\\n', ("rules", "a", "value"))
    3
    """
    lines = text.splitlines()
    for size in range(len(path), -1, -1):
        start = _header_line(lines, path[:size])
        if start is None:
            continue
        rest = path[size:]
        found = _key_line(lines, start, rest) if rest else None
        return found or (start + 1 if start >= 0 else None)
    return None


def _header_line(lines: list[str], prefix: Path) -> int | None:
    if not prefix:
        return -1
    if isinstance(prefix[-1], int):
        wanted, count = f"[[{_dotted(prefix[:-1])}]]", prefix[-1]
    else:
        wanted, count = f"[{_dotted(prefix)}]", 0
    if any(isinstance(part, int) for part in prefix[:-1]):
        return None
    for number, line in enumerate(lines):
        if line.strip() == wanted:
            if count == 0:
                return number
            count -= 1
    return None


def _key_line(lines: list[str], start: int, rest: Path) -> int | None:
    key = rest[0]
    if not isinstance(key, str):
        return None
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(start + 1, len(lines)):
        if _HEADER.match(lines[number]):
            return None
        if pattern.match(lines[number]):
            if len(rest) > 1 and isinstance(rest[1], int):
                items = (n for n in range(number + 1, len(lines)) if lines[n].lstrip()[:1] == "{")
                return next((n + 1 for i, n in enumerate(items) if i == rest[1]), number + 1)
            return number + 1
    return None


@attrs.frozen
class _Reader:
    """The file being read: its name for messages, and its text to find lines in."""

    path: str
    text: str

    def fail(self, path: Path, problem: str) -> RulesetFileError:
        return RulesetFileError(
            _dotted(path) or "(top level)", problem, self.path, line_of(self.text, path)
        )

    def table(self, value: object, path: Path, allowed: frozenset[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a table, got {_kind_of(value)}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail((*path, unknown[0]), f"unknown key; keys: {', '.join(sorted(allowed))}")
        return value

    def text_of(self, table: Mapping[str, Any], key: str, path: Path, *, required: bool) -> Any:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail((*path, key), "missing; write it as text")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail((*path, key), f"expected non-empty text, got {_kind_of(value)}")
        return value

    def date_of(self, table: Mapping[str, Any], key: str, path: Path) -> _dt.date | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise self.fail((*path, key), f"expected a date like 2027-01-01, got {value!r}")
        return value

    def status_of(
        self, table: Mapping[str, Any], path: Path, *, default: RuleStatus | None = None
    ) -> RuleStatus:
        raw = table.get("status")
        if raw is None and default is not None:
            return default
        allowed = tuple(s.value for s in RuleStatus if s is not RuleStatus.OVERRIDDEN)
        if default is RuleStatus.OVERRIDDEN:
            allowed = (RuleStatus.OVERRIDDEN.value,)
        if raw not in allowed:
            why = "missing" if raw is None else f"{raw!r} is not allowed here"
            if default is RuleStatus.OVERRIDDEN:
                why += " (a rule that replaces one of the base ruleset is marked overridden)"
            raise self.fail((*path, "status"), f"{why}; statuses: {', '.join(allowed)}")
        return RuleStatus(raw)

    def citation_of(
        self, table: Mapping[str, Any], path: Path, *, status: RuleStatus, note_key: str
    ) -> Citation:
        return Citation(
            self.text_of(table, "document", path, required=True),
            self.text_of(table, "article", path, required=False),
            status,
            source=self.text_of(table, "source", path, required=False),
            note=self.text_of(table, note_key, path, required=False),
        )

    def value_of(self, table: Mapping[str, Any], path: Path, kind: str | None) -> RuleValue:
        raw = table.get("value")
        where = (*path, "value")
        if raw is None:
            raise self.fail(where, "missing; every rule and alternative has a value")
        given = table.get("kind")
        if given is not None and given not in _KINDS:
            raise self.fail((*path, "kind"), f"unknown kind {given!r}; kinds: {', '.join(_KINDS)}")
        if kind is not None and given is not None and given != kind:
            raise self.fail((*path, "kind"), f"the rule holds a {kind}; its kind cannot change")
        expected = kind or given or _inferred_kind(raw)
        if expected is None:
            raise self.fail(
                where,
                f"cannot tell the kind of {raw!r}: write a period like '30 working days', a "
                "fraction like '2/3', a code like 'on_signing', true or false, a whole number "
                "or a list of codes; or say kind = 'text'",
            )
        try:
            return coerce_value(str(path[-1]), expected, raw)
        except DisciplineFlowError as error:
            raise self.fail(where, getattr(error, "problem", str(error))) from None


def _kind_of(value: object) -> str:
    return {dict: "a table", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _inferred_kind(raw: object) -> str | None:
    if isinstance(raw, bool):
        return "flag"
    if isinstance(raw, int):
        return "number"
    if isinstance(raw, list):
        return "texts"
    if not isinstance(raw, str):
        return None
    try:
        Period.parse(raw)
    except DisciplineFlowError:
        pass
    else:
        return "period"
    if _FRACTION.match(raw):
        return "fraction"
    return "text" if _CODE.match(raw) else None


def read_ruleset_text(text: str, path: str) -> RulesetFile:
    """Check the text of a ruleset file; ``path`` is what messages name."""
    reader = _Reader(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _AT_LINE.search(str(error))  # Python 3.14 has error.lineno; earlier, the text
        line = getattr(error, "lineno", None) or (int(found.group(1)) if found else None)
        raise RulesetFileError("(syntax)", f"not valid TOML: {error}", path, line) from None
    data = reader.table(data, (), _TOP_KEYS)
    name = reader.text_of(data, "name", (), required=True)
    based_on = reader.text_of(data, "based_on", (), required=False)
    start, until = (reader.date_of(data, key, ()) for key in ("effective_from", "effective_until"))
    if start is None and (based_on is None or until is not None):
        raise reader.fail(("effective_from",), "missing; the first day the ruleset is in force")
    if start is not None and until is not None and until < start:
        raise reader.fail(("effective_until",), f"{until} is before effective_from {start}")
    district = data.get("has_district_level")
    if district is None and based_on is None:
        raise reader.fail(("has_district_level",), "missing; write true or false")
    if district is not None and not isinstance(district, bool):
        raise reader.fail(("has_district_level",), "expected true or false")
    documents = data.get("documents", [])
    if not isinstance(documents, list):
        raise reader.fail(("documents",), "expected [[documents]] tables")
    rules = reader.table(data.get("rules", {}), ("rules",), frozenset(data.get("rules", {})))
    for key, table in rules.items():
        reader.table(table, ("rules", key), _RULE_KEYS)
    return RulesetFile(
        reader,
        name,
        based_on,
        start,
        until,
        district,
        reader.text_of(data, "note", (), required=False),
        tuple(_document(reader, item, ("documents", i)) for i, item in enumerate(documents)),
        rules,
        _cells(reader, data.get("authority")),
    )


def _document(reader: _Reader, item: object, path: Path) -> Document:
    table = reader.table(item, path, _DOCUMENT_KEYS)
    issued_on = reader.date_of(table, "issued_on", path)
    if issued_on is None:
        raise reader.fail((*path, "issued_on"), "missing; the day the document was issued")
    return Document(
        reader.text_of(table, "code", path, required=True),
        reader.text_of(table, "title_en", path, required=True),
        reader.text_of(table, "label_vi", path, required=True),
        issued_on=issued_on,
        effective_from=reader.date_of(table, "effective_from", path),
        status=reader.status_of(table, path, default=RuleStatus.VERIFIED),
        source=reader.text_of(table, "source", path, required=False),
        note=reader.text_of(table, "note", path, required=False),
    )


def _cells(reader: _Reader, raw: object) -> tuple[AuthorityCell, ...]:
    if raw is None:
        return ()
    table = reader.table(raw, ("authority",), _AUTHORITY_KEYS)
    measures = _measures(reader, table.get("measures", list(MEASURE_ORDER)))
    citations = {}
    named = table.get("citations", {})
    if not isinstance(named, dict):
        raise reader.fail(("authority", "citations"), "expected [authority.citations.NAME] tables")
    for name, item in named.items():
        path = ("authority", "citations", name)
        entry = reader.table(item, path, _CITATION_KEYS)
        status = reader.status_of(entry, path)
        citations[name] = reader.citation_of(entry, path, status=status, note_key="note")
    texts = table.get("rules", {})
    if not isinstance(texts, dict) or not all(isinstance(t, str) for t in texts.values()):
        raise reader.fail(("authority", "rules"), 'expected a table of name = "text"')
    rows = table.get("cells", [])
    if not isinstance(rows, list):
        raise reader.fail(("authority", "cells"), "expected a list of inline tables")
    cells: list[AuthorityCell] = []
    seen: set[tuple[Any, ...]] = set()
    for index, row in enumerate(rows):
        for cell in _row(reader, row, ("authority", "cells", index), measures, citations, texts):
            if cell.key in seen:
                raise reader.fail(
                    ("authority", "cells", index),
                    f"a second cell for {cell.body_kind.value} x {cell.subject.value} x "
                    f"{cell.measure.value}; each body, level, subject and measure has one cell",
                )
            seen.add(cell.key)
            cells.append(cell)
    return tuple(cells)


def _measures(reader: _Reader, raw: object) -> tuple[Measure, ...]:
    path: Path = ("authority", "measures")
    if not isinstance(raw, list) or not raw or len(set(map(str, raw))) != len(raw):
        raise reader.fail(path, f"expected a list of distinct measures: {', '.join(MEASURE_ORDER)}")
    for item in raw:
        if item not in MEASURE_ORDER:
            raise reader.fail(
                path, f"unknown measure {item!r}; measures: {', '.join(MEASURE_ORDER)}"
            )
    return tuple(Measure(item) for item in raw)


def _choice(reader: _Reader, row: Mapping[str, Any], key: str, path: Path, enum: Any) -> Any:
    raw = row.get(key)
    allowed = [member.value for member in enum]
    if raw not in allowed:
        raise reader.fail((*path, key), f"expected one of: {', '.join(allowed)}; got {raw!r}")
    return enum(raw)


def _named(
    reader: _Reader, row: Mapping[str, Any], key: str, path: Path, names: Mapping[str, Any]
) -> Any:
    raw = str(row.get(key))
    if raw not in names:
        where = "citations" if key.endswith("citation") else "rules"
        raise reader.fail(
            (*path, key),
            f"{raw!r} is not a name in [authority.{where}]; names: {', '.join(sorted(names))}",
        )
    return names[raw]


def _row(
    reader: _Reader,
    raw: object,
    path: Path,
    measures: tuple[Measure, ...],
    citations: Mapping[str, Citation],
    texts: Mapping[str, str],
) -> list[AuthorityCell]:
    row = reader.table(raw, path, _CELL_KEYS)
    kind = _choice(reader, row, "body", path, BodyKind)
    level = _choice(reader, row, "level", path, Level) if "level" in row else None
    subject = _choice(reader, row, "subject", path, SubjectCategory)
    letters: dict[str, Sequence[Permission | None]] = {}
    for key in _LETTER_KEYS:
        spec = row.get(key, "-" * len(measures)) if key != "permissions" else row.get(key)
        if not isinstance(spec, str) or len(spec) != len(measures) or set(spec) - {*_LETTERS, "-"}:
            raise reader.fail(
                (*path, key),
                f"expected {len(measures)} letters, one per measure ({', '.join(m.value for m in measures)}): "
                "A allowed, a allowed subject to approval above, P proposal only, N not allowed, "
                f"- no cell; got {spec!r}",
            )
        letters[key] = [_LETTERS.get(letter) for letter in spec]
    citation = _named(reader, row, "citation", path, citations)
    task_citation = None
    if "higher_task_citation" in row:
        task_citation = _named(reader, row, "higher_task_citation", path, citations)
    rule = _named(reader, row, "rule", path, texts)
    note = reader.text_of(row, "note", path, required=False)
    cells = []
    for index, measure in enumerate(measures):
        permission = letters["permissions"][index]
        if permission is None:
            continue
        try:
            cells.append(
                AuthorityCell(
                    kind,
                    level,
                    subject,
                    measure,
                    permission,
                    citation,
                    rule=rule,
                    same_level=letters["same_level"][index],
                    higher_level=letters["higher_level"][index],
                    higher_task=letters["higher_task"][index],
                    higher_task_citation=task_citation,
                    note=note,
                )
            )
        except DisciplineFlowError as error:
            raise reader.fail((*path, "level"), getattr(error, "problem", str(error))) from None
    return cells


@attrs.frozen
class RulesetFile:
    """What a ruleset file says, checked; rules are read against the base in :meth:`fields`."""

    reader: _Reader
    name: str
    based_on: str | None
    effective_from: _dt.date | None
    effective_until: _dt.date | None
    has_district_level: bool | None
    note: str | None
    documents: tuple[Document, ...]
    rules: Mapping[str, Mapping[str, Any]]
    cells: tuple[AuthorityCell, ...]

    @property
    def path(self) -> str:
        """The file's name as messages give it."""
        return self.reader.path

    def fields(self, base: Ruleset | None) -> dict[str, Any]:
        """The fields of the ruleset this file describes, ``base`` being the one it extends."""
        if base is None:
            rules = [self._rule(key, None) for key in self.rules]
            return {
                "name": self.name,
                "effective_from": self.effective_from,
                "effective_until": self.effective_until,
                "documents": self.documents,
                "rules": rules,
                "has_district_level": self.has_district_level,
                "authority": self.cells,
                "note": self.note,
            }
        merged = dict(base.rules)
        for key in self.rules:
            merged[key] = self._rule(key, base.rules.get(key))
        codes = {document.code for document in self.documents}
        documents = [d for d in base.documents if d.code not in codes]
        cells = {cell.key: cell for cell in base.authority}
        for cell in self.cells:  # replacing a cell of the base is an override
            cells[cell.key] = _overridden_cell(cell) if cell.key in cells else cell
        dated = self.effective_from is not None
        return {
            "name": self.name,
            "effective_from": self.effective_from if dated else base.effective_from,
            "effective_until": self.effective_until if dated else base.effective_until,
            "documents": (*documents, *self.documents),
            "rules": merged,
            "has_district_level": (
                base.has_district_level
                if self.has_district_level is None
                else self.has_district_level
            ),
            "authority": tuple(cells.values()),
            "note": self.note,
        }

    def _rule(self, key: str, base: RulesetRule | None) -> RulesetRule:
        reader, path = self.reader, ("rules", key)
        table = self.rules[key]
        if base is None:
            status = reader.status_of(table, path)
            value = reader.value_of(table, path, None)
            labels = (
                reader.text_of(table, "label_en", path, required=True),
                reader.text_of(table, "label_vi", path, required=True),
            )
        else:
            status = reader.status_of(table, path, default=RuleStatus.OVERRIDDEN)
            value = reader.value_of(table, path, base.kind) if "value" in table else base.value
            labels = (
                reader.text_of(table, "label_en", path, required=False) or base.label_en,
                reader.text_of(table, "label_vi", path, required=False) or base.label_vi,
            )
        citation = reader.citation_of(table, path, status=status, note_key="source_note")
        alternatives = table.get("alternatives")
        if alternatives is not None and not isinstance(alternatives, list):
            raise reader.fail((*path, "alternatives"), "expected [[rules.KEY.alternatives]]")
        kind = value_kind(value) if base is None else base.kind
        try:
            return RulesetRule(
                key,
                value,
                label_en=labels[0],
                label_vi=labels[1],
                citation=citation,
                alternatives=(
                    base.alternatives
                    if alternatives is None and base is not None
                    else tuple(
                        self._alternative(item, (*path, "alternatives", i), kind)
                        for i, item in enumerate(alternatives or ())
                    )
                ),
                note=reader.text_of(table, "note", path, required=False),
                overridden_from=base,
            )
        except DisciplineFlowError as error:
            raise reader.fail(path, getattr(error, "problem", str(error))) from None

    def _alternative(self, item: object, path: Path, kind: str) -> Alternative:
        reader = self.reader
        table = reader.table(item, path, _ALTERNATIVE_KEYS)
        status = reader.status_of(table, path)
        return Alternative(
            reader.value_of(table, path, kind),
            reader.citation_of(table, path, status=status, note_key="source_note"),
            note=reader.text_of(table, "note", path, required=False),
        )


def _overridden_cell(cell: AuthorityCell) -> AuthorityCell:
    task = cell.higher_task_citation
    return attrs.evolve(
        cell,
        citation=attrs.evolve(cell.citation, status=RuleStatus.OVERRIDDEN),
        higher_task_citation=None
        if task is None
        else attrs.evolve(task, status=RuleStatus.OVERRIDDEN),
    )


def builtin_names() -> tuple[str, ...]:
    """The names of the ruleset files shipped with the library, oldest first."""
    folder = resources.files("discipline_flow.rules").joinpath("data")
    names = (item.name for item in folder.iterdir())
    return tuple(sorted(name[: -len(".toml")] for name in names if name.endswith(".toml")))


def builtin_text(name: str) -> str:
    """The text of the shipped ruleset file ``name`` (``2026`` reads ``rules/data/2026.toml``)."""
    folder = resources.files("discipline_flow.rules").joinpath("data")
    return folder.joinpath(f"{name}.toml").read_text(encoding="utf-8")
