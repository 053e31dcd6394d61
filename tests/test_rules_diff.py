"""Ruleset.diff: every rule and authority cell added, removed or changed, in text, Markdown, JSON."""

from __future__ import annotations

import json

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.rules import ChangeKind, RulesetRule, default_registry
from discipline_flow.time import Period


def test_2022_to_2026_lists_the_changed_values_and_the_district_cells_removed() -> None:
    registry = default_registry()
    diff = registry.get("2022").diff(registry.get("2026"))
    # QĐ 22 Điều 31 khoản 1 (90 days, at most 180 in all, no limit on extensions; an
    # organisation at most 90 days) against QĐ 21 (90 days, one extension of at most 30).
    values = {
        change.key: (change.old.value_text, change.new.value_text)
        for change in diff.rules
        if "value" in change.fields and change.old is not None and change.new is not None
    }
    assert values == {
        "suspension_extension_limit": ("90 days", "30 days"),
        "suspension_total_limit": ("180 days", "120 days"),
        "suspension_single_extension": ("no", "yes"),
        "organisation_suspension_extension_limit": ("0 days", "30 days"),
    }
    total = next(c for c in diff.rules if c.key == "suspension_total_limit")
    assert total.old is not None
    assert total.new is not None
    # QĐ 21: recalled (reference U.1), so assumed
    assert (total.old.status, total.new.status) == (RuleStatus.VERIFIED, RuleStatus.ASSUMED)
    # No district level from 1/7/2025: 17 committee, 17 standing committee and 14 inspection
    # commission cells of the district level are gone; no rule or cell was added.
    removed = [c for c in diff.cells if c.kind is ChangeKind.REMOVED]
    assert len(removed) == 48
    assert {c.name.split(" x ")[0] for c in removed} == {
        "committee@district",
        "standing_committee@district",
        "inspection_commission@district",
    }
    assert not [c for c in diff.rules if c.kind is ChangeKind.ADDED]
    assert not [c for c in diff.cells if c.kind is ChangeKind.ADDED]
    assert "QĐ 21-QĐ/TW (11/4/2026)" in diff.documents_added
    assert "QĐ 22-QĐ/TW (28/7/2021)" in diff.documents_removed


def test_the_forms_show_both_sides() -> None:
    base = default_registry().get("2026")
    extra = RulesetRule(
        "province_report_period",
        Period.parse("10 working days"),
        label_en="Report",
        label_vi="Báo cáo",
        citation=Citation("HD 12-HD/TU", "mục 3", RuleStatus.VERIFIED),
    )
    local = base.override(
        "complaint_window", "45 days", source="HD 12-HD/TU", reason="the province allows 45"
    ).with_rules(extra)
    local = attrs.evolve(local, authority=local.authority[1:])
    diff = base.diff(local)
    assert [(c.key, c.kind.value) for c in diff.rules] == [
        ("complaint_window", "changed"),
        ("province_report_period", "added"),
    ]
    text = diff.text()
    assert text.splitlines()[0] == "ruleset 2026 (2026-04-11 on) -> 2026 (2026-04-11 on)"
    assert "rules: 1 added, 0 removed, 1 changed" in text
    assert "    value: 30 working days -> 45 days" in text
    assert "    citation: Điều lệ Đảng (2011) Điều 39 khoản 7 -> HD 12-HD/TU" in text
    assert "    status: verified -> overridden" in text
    assert "+ province_report_period: 10 working days (HD 12-HD/TU mục 3, verified)" in text
    assert (
        "- party_cell x full_member x reprimand: decides (task assigned by a higher level: "
        "proposes) (QĐ 296-QĐ/TW Điều 10 mục 1.1, assumed)"
    ) in text
    markdown = diff.markdown()
    assert (
        "| `complaint_window` | changed | 30 working days -> 45 days | Điều lệ Đảng (2011) Điều "
        "39 khoản 7 -> HD 12-HD/TU | verified -> overridden | note |"
    ) in markdown
    payload = json.loads(json.dumps(diff.to_payload()))
    window = payload["rules"][0]
    assert (window["old"]["value"], window["new"]["value"]) == ("30 working days", "45 days")
    assert payload["authority"][0]["change"] == "removed"
    assert payload["authority"][0]["old"]["permission"] == "allowed"
    assert not base.diff(base)
