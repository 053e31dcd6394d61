"""Ruleset files: the shipped TOML files, user files based on them, and the errors of a bad file."""

from __future__ import annotations

import pytest

from discipline_flow.rules._builtin import builtin_rulesets
from discipline_flow.rules._file import builtin_names, builtin_text
from discipline_flow.rules.ruleset import Ruleset


@pytest.mark.parametrize("name", ["2021", "2022", "2025", "2025-07", "2026"])
def test_each_shipped_file_equals_the_python_ruleset(name: str) -> None:
    # While both exist: the files were generated from the Python rulesets and must equal them.
    python = {ruleset.name: ruleset for ruleset in builtin_rulesets()}[name]
    loaded = Ruleset.from_toml(builtin_text(name), path=f"{name}.toml")
    assert dict(loaded.rules) == dict(python.rules)
    assert loaded.authority == python.authority
    assert loaded.documents == python.documents
    assert loaded == python
    assert builtin_names() == ("2021", "2022", "2025", "2025-07", "2026")
