"""Rulesets: every rule in force over a span of dates, with its documents and authority matrix.

A :class:`Ruleset` is an immutable value. Changing it gives a new ruleset: :meth:`Ruleset.override`
replaces a rule's value and keeps the original for explanations; :meth:`Ruleset.with_rules` adds
rules of the embedding system (a province's own time limits, say) without forking the built-in
data; :meth:`Ruleset.with_authority` adds or replaces cells of the authority matrix.

>>> from discipline_flow.rules import select_ruleset
>>> import datetime as dt
>>> rules = select_ruleset(dt.date(2026, 5, 4))
>>> rules.name, str(rules.period("suspension_period"))
('2026', '90 days')
>>> local = rules.override("complaint_window", "30 days", source="Provincial decision 12/2026",
...                        reason="the province reads QĐ 296 Điều 25 as 30 calendar days")
>>> local.rule("complaint_window").status.value, str(local.rule("complaint_window").original.value)
('overridden', '30 working days')
"""

from __future__ import annotations

import datetime as _dt
import os
import pathlib
import types
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from discipline_flow.actors import BodyKind, Level
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import (
    DefinitionError,
    InputError,
    InvalidRuleError,
    InvalidRulesetError,
    RuleNotFoundError,
    RulesetFileError,
)
from discipline_flow.measure import Measure
from discipline_flow.rules._file import RulesetFile, builtin_names, builtin_text, read_ruleset_text
from discipline_flow.rules.diff import RulesetDiff, diff_rulesets
from discipline_flow.rules.document import Document
from discipline_flow.rules.matrix import AuthorityCell, SubjectCategory
from discipline_flow.rules.rule import RulesetRule, RuleValue, coerce_value
from discipline_flow.time.period import Period

__all__ = ["Document", "Ruleset"]


def _rule_map(value: object) -> Mapping[str, RulesetRule]:
    items: Iterable[Any]
    if isinstance(value, Mapping):
        for key, rule in value.items():
            if not isinstance(rule, RulesetRule) or rule.key != key:
                raise InvalidRuleError(str(key), "the mapping key must equal the rule's key")
        items = value.values()
    elif isinstance(value, Iterable):
        items = value
    else:
        raise InvalidRuleError(
            "rules", "expected a mapping of key to RulesetRule or an iterable of rules"
        )
    rules: dict[str, RulesetRule] = {}
    for rule in items:
        if not isinstance(rule, RulesetRule):
            raise InvalidRuleError("rules", f"expected RulesetRule, got {type(rule).__name__}")
        if rule.key in rules:
            raise InvalidRuleError(rule.key, "the key appears twice")
        rules[rule.key] = rule
    return types.MappingProxyType(dict(sorted(rules.items())))


def _documents(value: Iterable[Document]) -> tuple[Document, ...]:
    documents = tuple(value)
    for document in documents:
        if not isinstance(document, Document):
            raise InvalidRulesetError("documents", f"expected Document, got {document!r}")
    return documents


def _authority(value: Iterable[AuthorityCell]) -> tuple[AuthorityCell, ...]:
    return tuple(value)


def _check_date(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.name == "effective_until":
        return
    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        raise InvalidRulesetError(
            getattr(instance, "name", "?"), f"{attribute.name} must be a date, got {value!r}"
        )


#: The kinds of value a rule can hold (see :func:`~discipline_flow.rules.value_kind`).
_KINDS = ("period", "number", "fraction", "flag", "text", "texts")

_CellKey = tuple[BodyKind, Level | None, SubjectCategory, Measure]


def _cells_by_key(ruleset: Ruleset) -> Mapping[_CellKey, AuthorityCell]:
    # What is not a cell, and a second cell for one key, are refused in __attrs_post_init__.
    cells = {cell.key: cell for cell in ruleset.authority if isinstance(cell, AuthorityCell)}
    return types.MappingProxyType(cells)


def _values_by_kind(ruleset: Ruleset) -> Mapping[str, Mapping[str, RuleValue]]:
    # Guards read a few typed values on every move: one lookup in the table of the kind asked
    # for both finds the value and checks its kind.
    table: dict[str, dict[str, RuleValue]] = {kind: {} for kind in _KINDS}
    for key, rule in ruleset.rules.items():
        table[rule.kind][key] = rule.value
    return types.MappingProxyType(table)


@attrs.frozen(cache_hash=True)
class Ruleset:
    """Every rule in force from ``effective_from`` to ``effective_until`` (both days included).

    ``effective_until`` is None for a ruleset still in force. ``has_district_level`` says
    whether district-level bodies exist (they do not from 1 July 2025, QĐ 294-QĐ/TW).

    A ruleset is a value: two rulesets with the same fields are equal (``attrs.evolve(r) == r``).
    Its hash covers the name, dates, documents, district flag, authority matrix and note (not
    the rules, a mapping) and is computed once, when first asked for, then kept
    (``cache_hash``): memos keyed by a ruleset cost one dictionary lookup, not a walk of the
    authority matrix on every read.
    """

    name: str
    effective_from: _dt.date = attrs.field(validator=_check_date)
    effective_until: _dt.date | None = attrs.field(validator=_check_date)
    documents: tuple[Document, ...] = attrs.field(kw_only=True, converter=_documents, repr=False)
    rules: Mapping[str, RulesetRule] = attrs.field(
        kw_only=True, converter=_rule_map, hash=False, repr=False
    )
    has_district_level: bool = attrs.field(kw_only=True)
    authority: tuple[AuthorityCell, ...] = attrs.field(
        kw_only=True, default=(), converter=_authority, repr=False
    )
    note: str | None = attrs.field(kw_only=True, default=None)
    #: The authority matrix by cell key, for :meth:`authority_cell`.
    _cells: Mapping[_CellKey, AuthorityCell] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_cells_by_key, takes_self=True)
    )
    #: The rules' values by kind, then key, for :meth:`period`, :meth:`number` and the like.
    _values: Mapping[str, Mapping[str, RuleValue]] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_values_by_kind, takes_self=True)
    )

    def __attrs_post_init__(self) -> None:
        if not self.name or not isinstance(self.name, str):
            raise InvalidRulesetError(repr(self.name), "a ruleset needs a non-empty name")
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise InvalidRulesetError(
                self.name,
                f"effective_until {self.effective_until} is before effective_from "
                f"{self.effective_from}",
            )
        seen: set[_CellKey] = set()
        for cell in self.authority:
            if not isinstance(cell, AuthorityCell):
                raise InvalidRulesetError(self.name, f"not an AuthorityCell: {cell!r}")
            if cell.key in seen:
                raise InvalidRulesetError(self.name, f"two authority cells for {cell.name}")
            seen.add(cell.key)

    # ------------------------------------------------------------------ files

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, bases: Iterable[Ruleset] = ()) -> Ruleset:
        """The ruleset a TOML file describes (the format: the how-to *Add or override a rule*).

        A file with ``based_on = "NAME"`` extends the ruleset ``NAME`` found among ``bases``
        (a registry will do) or else among the built-in files, and changes only what it lists:
        a rule it lists for a key of the base is an override, marked ``overridden``, with the
        file's citation and the replaced rule kept in ``overridden_from``. A wrong file raises
        :class:`~discipline_flow.errors.RulesetFileError` naming the file, line and key.

        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "local.toml").write_text('''
        ... name = "2026-local"
        ... based_on = "2026"
        ... [rules.suspension_period]
        ... value = "60 days"
        ... document = "Provincial decision 12/2026"
        ... ''', encoding="utf-8")
        >>> local = Ruleset.from_file(folder / "local.toml")
        >>> rule = local.rule("suspension_period")
        >>> rule.value_text, rule.status.value, rule.overridden_from.value_text
        ('60 days', 'overridden', '90 days')
        >>> local.span
        '2026-04-11 on'
        """
        try:
            text = pathlib.Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise RulesetFileError(
                "(file)", f"cannot be read: {error.strerror}", str(path)
            ) from None
        return cls.from_toml(text, path=str(path), bases=bases)

    @classmethod
    def from_toml(
        cls, text: str, *, path: str = "<text>", bases: Iterable[Ruleset] = ()
    ) -> Ruleset:
        """The ruleset the TOML ``text`` describes; ``path`` is what messages name.

        >>> Ruleset.from_toml('name = "x"\\neffective_from = "1 January 2027"\\n')
        Traceback (most recent call last):
        ...
        discipline_flow.errors.RulesetFileError: ruleset file <text>, line 2: effective_from: expected a date like 2027-01-01, got '1 January 2027'
        """
        source = read_ruleset_text(text, path)
        base = None if source.based_on is None else _base(source, tuple(bases))
        try:
            return cls(**source.fields(base))
        except DefinitionError as error:
            raise RulesetFileError("(ruleset)", str(error), path) from None

    # ------------------------------------------------------------------ reading

    def covers(self, on: _dt.date) -> bool:
        """Whether the ruleset is in force on ``on``."""
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    @property
    def span(self) -> str:
        """The dates in force as text, e.g. ``2025-05-30 to 2025-06-30`` or ``2026-04-11 on``."""
        if self.effective_until is None:
            return f"{self.effective_from} on"
        return f"{self.effective_from} to {self.effective_until}"

    def rule(self, key: str) -> RulesetRule:
        """The rule named ``key``; :class:`~discipline_flow.errors.RuleNotFoundError` if none.

        >>> from discipline_flow.rules import select_ruleset
        >>> import datetime as dt
        >>> select_ruleset(dt.date(2026, 5, 4)).rule("appeal_window")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        discipline_flow.errors.RuleNotFoundError: ruleset '2026' has no rule 'appeal_window'; rules: ...
        """
        try:
            return self.rules[key]
        except KeyError:
            raise RuleNotFoundError(self.name, str(key), tuple(self.rules)) from None

    def _typed(self, key: str, kind: str) -> RuleValue:
        value = self._values[kind].get(key)
        if value is None:  # no such rule (an error naming the rules), or one of another kind
            rule = self.rule(key)
            raise InvalidRuleError(key, f"holds a {rule.kind}, not a {kind}")
        return value

    def period(self, key: str) -> Period:
        """The value of a period rule (an error if the rule holds something else)."""
        value = self._typed(key, "period")
        assert isinstance(value, Period)
        return value

    def number(self, key: str) -> int:
        """The value of a whole-number rule."""
        value = self._typed(key, "number")
        assert isinstance(value, int)
        return value

    def fraction(self, key: str) -> Fraction:
        """The value of a fraction rule (a share of votes, a share of a period)."""
        value = self._typed(key, "fraction")
        assert isinstance(value, Fraction)
        return value

    def flag(self, key: str) -> bool:
        """The value of a yes/no rule."""
        value = self._typed(key, "flag")
        assert isinstance(value, bool)
        return value

    def text(self, key: str) -> str:
        """The value of a text rule."""
        value = self._typed(key, "text")
        assert isinstance(value, str)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """The value of a list-of-codes rule."""
        value = self._typed(key, "texts")
        assert isinstance(value, tuple)
        return value

    def by_status(self, status: RuleStatus) -> tuple[RulesetRule, ...]:
        """Every rule with the given status, in key order."""
        return tuple(rule for rule in self.rules.values() if rule.status is status)

    @property
    def overridden(self) -> tuple[RulesetRule, ...]:
        """Every rule the embedding system has overridden."""
        return self.by_status(RuleStatus.OVERRIDDEN)

    def authority_cell(
        self,
        body_kind: BodyKind,
        body_level: Level | None,
        subject: SubjectCategory,
        measure: Measure,
    ) -> AuthorityCell | None:
        """The matrix cell for this question, or None (the matrix then denies by default)."""
        return self._cells.get((body_kind, body_level, subject, measure))

    def diff(self, other: Ruleset) -> RulesetDiff:
        """Every rule, authority cell and document that differs from this ruleset to ``other``.

        >>> from discipline_flow.rules import default_registry
        >>> registry = default_registry()
        >>> diff = registry.get("2025").diff(registry.get("2025-07"))
        >>> [(change.key, change.fields) for change in diff.rules if change.key == "probation_period"]
        [('probation_period', ('citation', 'status'))]

        No district level from 1 July 2025 (QĐ 294-QĐ/TW): the district committee, standing
        committee and inspection commission lose 17, 17 and 14 cells of the matrix.

        >>> {change.kind.value for change in diff.cells}, len(diff.cells)
        ({'removed'}, 48)
        """
        return diff_rulesets(self, other)

    # ------------------------------------------------------------------ changing

    def override(self, key: str, value: object, *, source: str, reason: str) -> Ruleset:
        """A new ruleset in which rule ``key`` has ``value``, on the authority of ``source``.

        The new rule's status is ``overridden``, its citation names ``source`` and notes
        ``reason``; the replaced rule is kept in ``overridden_from``. Text is accepted for
        periods (``"30 days"``) and fractions (``"2/3"``); the kind of value cannot change.
        """
        original = self.rule(key)
        for argument, text in (("source", source), ("reason", reason)):
            if not isinstance(text, str) or not text.strip():
                raise InputError(argument, "an override needs a non-empty source and reason")
        new_value = coerce_value(key, original.kind, value)
        replacement = attrs.evolve(
            original,
            value=new_value,
            citation=Citation(source, None, RuleStatus.OVERRIDDEN, source=source, note=reason),
            note=reason,
            overridden_from=original,
        )
        rules = dict(self.rules)
        rules[key] = replacement
        return attrs.evolve(self, rules=rules)

    def with_rules(self, *rules: RulesetRule) -> Ruleset:
        """A new ruleset with extra rules; use :meth:`override` to change an existing one.

        >>> from discipline_flow import Citation, RuleStatus
        >>> from discipline_flow.rules import RulesetRule, select_ruleset
        >>> import datetime as dt
        >>> extra = RulesetRule("provincial_report_period", Period.parse("10 working days"),
        ...              label_en="Report to the provincial inspection commission",
        ...              label_vi="Báo cáo Ủy ban Kiểm tra Tỉnh ủy",
        ...              citation=Citation("QĐ 1127-QĐ/TU", "Điều 5", RuleStatus.VERIFIED))
        >>> select_ruleset(dt.date(2026, 5, 4)).with_rules(extra).period("provincial_report_period")
        Period(amount=10, unit=<Unit.WORKING_DAYS: 'working_days'>)
        """
        merged = dict(self.rules)
        for rule in rules:
            if not isinstance(rule, RulesetRule):
                raise InputError("rules", f"expected RulesetRule, got {type(rule).__name__}")
            if rule.key in merged:
                raise InvalidRuleError(
                    rule.key,
                    f"ruleset {self.name!r} already has this rule; use override() to change it",
                )
            merged[rule.key] = rule
        return attrs.evolve(self, rules=merged)

    def with_authority(self, *cells: AuthorityCell) -> Ruleset:
        """A new ruleset in which the given cells add to or replace those of the same key."""
        merged = dict(self._cells)
        for cell in cells:
            if not isinstance(cell, AuthorityCell):
                raise InputError("cells", f"expected AuthorityCell, got {type(cell).__name__}")
            merged[cell.key] = cell
        return attrs.evolve(self, authority=tuple(merged.values()))


def _base(source: RulesetFile, bases: tuple[Ruleset, ...]) -> Ruleset:
    """The ruleset ``source`` is based on: one of ``bases``, or else a built-in file."""
    name = source.based_on
    for candidate in bases:
        if candidate.name == name:
            return candidate
    builtin = builtin_names()
    if name in builtin:
        return Ruleset.from_toml(builtin_text(name), path=f"rules/data/{name}.toml")
    known = sorted({*builtin, *(candidate.name for candidate in bases)})
    raise source.reader.fail(
        ("based_on",), f"no ruleset named {name!r} to extend; rulesets: {', '.join(known)}"
    )
