"""The public surface of ``discipline_flow.rules``."""

from __future__ import annotations

import inspect
from fractions import Fraction

from discipline_flow import BodyKind, rules
from discipline_flow.rules import LEVELLED_BODY_KINDS, RuleValue
from discipline_flow.time import Period, Unit


def test_all_resolves_without_duplicates() -> None:
    assert len(set(rules.__all__)) == len(rules.__all__)
    for name in rules.__all__:
        assert hasattr(rules, name), name


def test_public_classes_and_functions_are_documented() -> None:
    for name in rules.__all__:
        value = getattr(rules, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name


def test_levelled_body_kinds() -> None:
    # committees, standing committees and inspection commissions exist at several levels
    assert (
        frozenset({BodyKind.COMMITTEE, BodyKind.STANDING_COMMITTEE, BodyKind.INSPECTION_COMMISSION})
        == LEVELLED_BODY_KINDS
    )


def test_rule_value_covers_every_kind() -> None:
    values: list[RuleValue] = [
        Period(3, Unit.CALENDAR_DAYS),
        3,
        Fraction(2, 3),
        True,
        "on_signing",
        ("pregnant",),
    ]
    assert [rules.value_kind(v) for v in values] == [
        "period",
        "number",
        "fraction",
        "flag",
        "text",
        "texts",
    ]
