"""A rule as data: a value with its legal basis, the values sources disagree on, and overrides.

A :class:`RulesetRule` holds one fact a workflow needs (a period, a number, a share of votes, a yes/no,
a piece of text or a list of codes) together with the :class:`~discipline_flow.Citation` it
comes from. Where the sources give other values, they are kept as :class:`Alternative` values
with their own citations, so that documentation can show the choice that was made.

>>> from discipline_flow import Citation, RuleStatus
>>> from discipline_flow.time import Period
>>> from discipline_flow.rules import RulesetRule
>>> rule = RulesetRule(
...     "legal_agency_notification_period",
...     Period.parse("3 days"),
...     label_en="Legal agency notifies the party",
...     label_vi="Cơ quan bảo vệ pháp luật thông báo cho tổ chức đảng",
...     citation=Citation("QĐ 22-QĐ/TW", "Điều 31 khoản 3", RuleStatus.VERIFIED),
... )
>>> rule.status
<RuleStatus.VERIFIED: 'verified'>
>>> rule.kind, rule.value_text
('period', '3 days')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InvalidPeriodError, InvalidRuleError
from discipline_flow.time.period import Period

__all__ = [
    "Alternative",
    "RuleValue",
    "RulesetRule",
    "format_value",
    "value_kind",
    "value_to_payload",
]

#: What a rule may hold: a period, a whole number, a fraction, a yes/no, text, or a list of codes.
RuleValue = Period | int | Fraction | bool | str | tuple[str, ...]

_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def value_kind(value: object) -> str:
    """The kind of a rule value: ``period``, ``flag``, ``number``, ``fraction``, ``text``, ``texts``.

    >>> value_kind(Fraction(2, 3)), value_kind(True), value_kind(("a", "b"))
    ('fraction', 'flag', 'texts')
    """
    if isinstance(value, Period):
        return "period"
    if isinstance(value, bool):
        return "flag"
    if isinstance(value, int):
        return "number"
    if isinstance(value, Fraction):
        return "fraction"
    if isinstance(value, str):
        return "text"
    if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
        return "texts"
    raise InvalidRuleError(
        repr(value),
        f"a rule value must be a Period, int, Fraction, bool, str or tuple of str; "
        f"got {type(value).__name__}",
    )


def format_value(value: RuleValue) -> str:
    """A rule value as people read it.

    >>> format_value(Fraction(1, 2)), format_value(False), format_value(("pregnant", "ill"))
    ('1/2', 'no', 'pregnant; ill')
    """
    kind = value_kind(value)
    if kind == "flag":
        return "yes" if value else "no"
    if kind == "texts":
        assert isinstance(value, tuple)
        return "; ".join(value)
    return str(value)


def value_to_payload(value: RuleValue) -> Any:
    """A rule value as JSON-compatible data (periods and fractions become text).

    >>> value_to_payload(Period.parse("30 working days")), value_to_payload(("a",))
    ('30 working days', ['a'])
    """
    kind = value_kind(value)
    if kind in ("period", "fraction"):
        return str(value)
    if kind == "texts":
        assert isinstance(value, tuple)
        return list(value)
    return value


def coerce_value(key: str, expected: str, value: object) -> RuleValue:
    """Read ``value`` as a rule value of kind ``expected``, accepting text for periods/fractions.

    >>> coerce_value("complaint_window", "period", "30 days")
    Period(amount=30, unit=<Unit.CALENDAR_DAYS: 'calendar_days'>)
    >>> coerce_value("discipline_vote_majority", "fraction", "2/3")
    Fraction(2, 3)
    >>> coerce_value("complaint_window", "period", 30)
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InvalidRuleError: rule 'complaint_window': expected a period (like '30 working days'); got int 30
    """
    problem = f"expected {_KIND_WORDS[expected]}; got {type(value).__name__} {value!r}"
    if expected == "period":
        if isinstance(value, Period):
            return value
        if isinstance(value, str):
            try:
                return Period.parse(value)
            except InvalidPeriodError as error:
                raise InvalidRuleError(key, str(error)) from None
        raise InvalidRuleError(key, problem)
    if expected == "fraction":
        if isinstance(value, Fraction):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Fraction(value)
        if isinstance(value, str):
            try:
                return Fraction(value)
            except (ValueError, ZeroDivisionError):
                raise InvalidRuleError(key, problem) from None
        raise InvalidRuleError(key, problem)
    if expected == "texts" and isinstance(value, list | tuple):
        value = tuple(value)
    try:
        kind = value_kind(value)
    except InvalidRuleError:
        raise InvalidRuleError(key, problem) from None
    if kind != expected:
        raise InvalidRuleError(key, problem)
    assert isinstance(value, Period | int | Fraction | str | tuple)
    return value


_KIND_WORDS = {
    "period": "a period (like '30 working days')",
    "flag": "a bool",
    "number": "a whole number",
    "fraction": "a fraction (like '2/3')",
    "text": "text",
    "texts": "a list of text codes",
}


def _check_value(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    kind = value_kind(value)
    if kind == "period":
        assert isinstance(value, Period)
        if value.amount < 0:
            raise InvalidRuleError(getattr(instance, "key", "?"), f"negative period {value}")


def _check_citation(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Citation):
        raise InvalidRuleError(
            getattr(instance, "key", "?"),
            f"citation must be a Citation, got {type(value).__name__}",
        )


@attrs.frozen
class Alternative:
    """A value another source gives for the same rule, with that source's citation.

    >>> from discipline_flow import Citation, RuleStatus
    >>> alt = Alternative(Period.parse("1 month"), Citation("Điều lệ Đảng (2011)", "Điều 39 khoản 7"))
    >>> str(alt)
    '1 month (Điều lệ Đảng (2011) Điều 39 khoản 7 (verified))'
    """

    value: RuleValue = attrs.field(validator=_check_value)
    citation: Citation = attrs.field(validator=_check_citation)
    note: str | None = None

    @property
    def kind(self) -> str:
        """The kind of the value (see :func:`value_kind`)."""
        return value_kind(self.value)

    def __str__(self) -> str:
        return f"{format_value(self.value)} ({self.citation})"

    def to_payload(self) -> dict[str, Any]:
        """JSON-compatible form."""
        return {
            "value": value_to_payload(self.value),
            "citation": _citation_payload(self.citation),
            "note": self.note,
        }


def _check_key(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _KEY.match(value):
        raise InvalidRuleError(
            str(value), "a rule key must be snake_case: lower-case letters, digits, underscores"
        )


def _check_label(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRuleError(instance.key, f"{attribute.name} must be non-empty text")


def _to_alternatives(value: object) -> tuple[Alternative, ...]:
    items = tuple(value) if isinstance(value, list | tuple) else (value,)
    alternatives: list[Alternative] = []
    for item in items:
        if not isinstance(item, Alternative):
            raise InvalidRuleError("alternatives", f"expected Alternative, got {item!r}")
        alternatives.append(item)
    return tuple(alternatives)


@attrs.frozen
class RulesetRule:
    """One rule of a ruleset: a value, its labels, its legal basis and the alternatives.

    ``overridden_from`` is the rule this one replaced through
    :meth:`~discipline_flow.rules.Ruleset.override`; following it leads back to the built-in rule
    (see :attr:`original`), so that an explanation can show both.
    """

    key: str = attrs.field(validator=_check_key)
    value: RuleValue = attrs.field(validator=_check_value)
    label_en: str = attrs.field(kw_only=True, validator=_check_label)
    label_vi: str = attrs.field(kw_only=True, validator=_check_label)
    citation: Citation = attrs.field(kw_only=True, validator=_check_citation)
    alternatives: tuple[Alternative, ...] = attrs.field(
        kw_only=True, default=(), converter=_to_alternatives
    )
    note: str | None = attrs.field(kw_only=True, default=None)
    overridden_from: RulesetRule | None = attrs.field(kw_only=True, default=None)

    @property
    def status(self) -> RuleStatus:
        """How well the rule is supported: the status of its citation."""
        return self.citation.status

    @property
    def kind(self) -> str:
        """The kind of the value (see :func:`value_kind`)."""
        return value_kind(self.value)

    @property
    def value_text(self) -> str:
        """The value as people read it."""
        return format_value(self.value)

    @property
    def original(self) -> RulesetRule:
        """The rule before any override (the rule itself if it was never overridden)."""
        rule = self
        while rule.overridden_from is not None:
            rule = rule.overridden_from
        return rule

    def to_payload(self) -> dict[str, Any]:
        """JSON-compatible form, used by ``discipline-flow rules --json``."""
        return {
            "key": self.key,
            "kind": self.kind,
            "value": value_to_payload(self.value),
            "value_text": self.value_text,
            "label_en": self.label_en,
            "label_vi": self.label_vi,
            "status": self.status.value,
            "citation": _citation_payload(self.citation),
            "alternatives": [alternative.to_payload() for alternative in self.alternatives],
            "note": self.note,
            "overridden_from": (
                None if self.overridden_from is None else self.overridden_from.to_payload()
            ),
        }


def _citation_payload(citation: Citation) -> Mapping[str, Any]:
    return {
        "document": citation.document,
        "article": citation.article,
        "status": citation.status.value,
        "source": citation.source,
        "note": citation.note,
    }
