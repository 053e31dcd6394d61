"""The built-in rulesets, oldest first.

This module only builds them; :func:`discipline_flow.rules.default_registry` holds them in a
:class:`~discipline_flow.rules.RulesetRegistry`, built once per process.
"""

from __future__ import annotations

import datetime as _dt

from discipline_flow.rules import _documents as doc
from discipline_flow.rules._builtin_authority import Era, authority_cells
from discipline_flow.rules._rules_qd22 import rules_qd22_qd69, rules_qd22_qd102
from discipline_flow.rules._rules_qd296 import rules_qd21, rules_qd296, rules_qd296_qd294
from discipline_flow.rules.ruleset import Ruleset

__all__ = ["builtin_rulesets"]

_D = _dt.date


def builtin_rulesets() -> tuple[Ruleset, ...]:
    """The rulesets of 2021, 2022, 2025, 2025-07 and 2026, new objects on every call."""
    return (_ruleset_2021(), _ruleset_2022(), _ruleset_2025(), _ruleset_2025_07(), _ruleset_2026())


def _ruleset_2021() -> Ruleset:
    return Ruleset(
        "2021",
        _D(2021, 7, 28),
        _D(2022, 7, 5),
        documents=(
            doc.CHARTER,
            doc.QD_22,
            doc.HD_02_2021,
            doc.QD_24,
            doc.HD_01_2021,
            doc.QD_102,
            doc.QD_07,
            doc.QD_86,
        ),
        rules=rules_qd22_qd102(),
        has_district_level=True,
        authority=authority_cells(Era.QD22),
        note="QĐ 22-QĐ/TW before QĐ 69-QĐ/TW: violations and limitation under QĐ 102/QĐ 07, whose "
        "values were not retrieved (assumed equal to QĐ 69's)",
    )


def _ruleset_2022() -> Ruleset:
    return Ruleset(
        "2022",
        _D(2022, 7, 6),
        _D(2025, 5, 29),
        documents=(
            doc.CHARTER,
            doc.QD_22,
            doc.HD_02_2021,
            doc.QD_24,
            doc.HD_01_2021,
            doc.QD_69,
            doc.QD_86,
            doc.QD_164,
            doc.QD_232,
            doc.QD_262,
        ),
        rules=rules_qd22_qd69(),
        has_district_level=True,
        authority=authority_cells(Era.QD22),
        note="QĐ 22-QĐ/TW with QĐ 69-QĐ/TW (from 6/7/2022)",
    )


def _ruleset_2025() -> Ruleset:
    return Ruleset(
        "2025",
        _D(2025, 5, 30),
        _D(2025, 6, 30),
        documents=(
            doc.CHARTER,
            doc.QD_296,
            doc.HD_08_2025,
            doc.QD_232,
            doc.HD_06_2025,
            doc.QD_69,
            doc.QD_164,
        ),
        rules=rules_qd296(),
        has_district_level=True,
        authority=authority_cells(Era.QD296),
        note="QĐ 296-QĐ/TW while the district level still exists",
    )


def _ruleset_2025_07() -> Ruleset:
    return Ruleset(
        "2025-07",
        _D(2025, 7, 1),
        _D(2026, 4, 10),
        documents=(
            doc.CHARTER,
            doc.QD_296,
            doc.HD_08_2025,
            doc.QD_294,
            doc.HD_06_2025,
            doc.QD_69,
            doc.QD_164,
        ),
        rules=rules_qd296_qd294(),
        has_district_level=False,
        authority=authority_cells(Era.QD296_NO_DISTRICT),
        note="QĐ 296-QĐ/TW with QĐ 294-QĐ/TW: no district level from 1 July 2025",
    )


def _ruleset_2026() -> Ruleset:
    return Ruleset(
        "2026",
        _D(2026, 4, 11),
        None,
        documents=(
            doc.CHARTER,
            doc.QD_21,
            doc.NQ_05_2026,
            doc.QD_20_2026,
            doc.HD_01_2026,
            doc.QD_208_2026,
            doc.QD_69,
            doc.QD_164,
            doc.QD_212_2026,
        ),
        rules=rules_qd21(),
        has_district_level=False,
        authority=authority_cells(Era.QD21),
        note="QĐ 21-QĐ/TW, known from secondary sources only; unknown facts carry the 2025 value",
    )
