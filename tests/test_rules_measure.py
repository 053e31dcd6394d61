"""Measures: labels, whom they apply to, severity (Charter Điều 35; QĐ 69 Điều 7; QĐ 296 Điều 9)."""

from __future__ import annotations

import pytest

from discipline_flow.rules import Measure, default_registry

# measure: (English, Vietnamese, severity, full member, probationary member, organisation)
EXPECTED = {
    Measure.REPRIMAND: ("reprimand", "khiển trách", 1, True, True, True),
    Measure.WARNING: ("warning", "cảnh cáo", 2, True, True, True),
    Measure.REMOVAL_FROM_POST: ("removal from post", "cách chức", 3, True, False, False),
    Measure.EXPULSION: ("expulsion", "khai trừ", 4, True, False, False),
    Measure.DISSOLUTION: ("dissolution", "giải tán", 4, False, False, True),
}


@pytest.mark.parametrize("measure", list(Measure))
def test_measure_facts(measure: Measure) -> None:
    assert (
        measure.label_en,
        measure.label_vi,
        measure.severity,
        measure.applies_to_full_members,
        measure.applies_to_probationary_members,
        measure.applies_to_organisations,
    ) == EXPECTED[measure]


def test_severity_order() -> None:
    members = sorted(
        [Measure.EXPULSION, Measure.WARNING, Measure.REMOVAL_FROM_POST, Measure.REPRIMAND]
    )
    assert members == [
        Measure.REPRIMAND,
        Measure.WARNING,
        Measure.REMOVAL_FROM_POST,
        Measure.EXPULSION,
    ]
    assert sorted([Measure.DISSOLUTION, Measure.REPRIMAND, Measure.WARNING]) == [
        Measure.REPRIMAND,
        Measure.WARNING,
        Measure.DISSOLUTION,
    ]
    assert Measure.WARNING > Measure.REPRIMAND
    assert Measure.WARNING >= Measure.WARNING
    assert Measure.REPRIMAND <= Measure.WARNING
    # expulsion and dissolution share the top rank: neither is heavier
    assert not Measure.EXPULSION < Measure.DISSOLUTION
    assert not Measure.DISSOLUTION < Measure.EXPULSION
    with pytest.raises(TypeError):
        _ = Measure.WARNING < 2
    with pytest.raises(TypeError):
        _ = Measure.WARNING > "x"
    with pytest.raises(TypeError):
        _ = Measure.WARNING <= 2
    with pytest.raises(TypeError):
        _ = Measure.WARNING >= 2


@pytest.mark.parametrize("name", ["2021", "2022", "2025", "2025-07", "2026"])
def test_ruleset_measure_rules_agree_with_the_enum(name: str) -> None:
    ruleset = default_registry().get(name)
    assert ruleset.texts("member_measures") == tuple(
        m.value for m in Measure if m.applies_to_full_members
    )
    assert ruleset.texts("probationary_member_measures") == tuple(
        m.value for m in Measure if m.applies_to_probationary_members
    )
    assert ruleset.texts("organisation_measures") == tuple(
        m.value for m in Measure if m.applies_to_organisations
    )
