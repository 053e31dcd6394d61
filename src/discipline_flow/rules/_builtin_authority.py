"""The built-in authority matrix, by era (reference §2(e)).

Each row is written as a string of letters over the measures in the order reprimand, warning,
removal from post, expulsion, dissolution: ``A`` allowed, ``a`` allowed subject to approval by
the level above, ``P`` proposal only, ``N`` not allowed, ``-`` no cell (the matrix denies by
default, or the measure does not apply to the subject).
"""

from __future__ import annotations

import enum

import attrs

from discipline_flow.actors import BodyKind, Level
from discipline_flow.citation import Citation
from discipline_flow.measure import Measure
from discipline_flow.rules._rule_labels import QD22, QD296, A, S, V, cite
from discipline_flow.rules.matrix import AuthorityCell, Permission, SubjectCategory

_MEASURES = (
    Measure.REPRIMAND,
    Measure.WARNING,
    Measure.REMOVAL_FROM_POST,
    Measure.EXPULSION,
    Measure.DISSOLUTION,
)
_LETTERS = {
    "A": Permission.ALLOWED,
    "a": Permission.NEEDS_APPROVAL,
    "P": Permission.PROPOSAL_ONLY,
    "N": Permission.NOT_ALLOWED,
}

FULL = SubjectCategory.FULL_MEMBER
PROBATIONARY = SubjectCategory.PROBATIONARY_MEMBER
COMMITTEE_MEMBER = SubjectCategory.COMMITTEE_MEMBER
CADRE = SubjectCategory.MANAGED_CADRE
ORGANISATION = SubjectCategory.ORGANISATION


class Era(enum.Enum):
    """Which documents the matrix rests on."""

    QD22 = "qd22"
    QD296 = "qd296"
    QD296_NO_DISTRICT = "qd296_no_district"
    QD21 = "qd21"


def _letter(spec: str | None, index: int) -> Permission | None:
    if spec is None or spec[index] == "-":
        return None
    return _LETTERS[spec[index]]


def _row(
    kind: BodyKind,
    level: Level | None,
    subject: SubjectCategory,
    spec: str,
    citation: Citation,
    rule: str,
    *,
    same: str | None = None,
    higher: str | None = None,
    higher_task: str | None = None,
    higher_task_citation: Citation | None = None,
) -> list[AuthorityCell]:
    cells = []
    for index, measure in enumerate(_MEASURES):
        permission = _letter(spec, index)
        if permission is None:
            continue
        cells.append(
            AuthorityCell(
                kind,
                level,
                subject,
                measure,
                permission,
                citation,
                rule=rule,
                same_level=_letter(same, index),
                higher_level=_letter(higher, index),
                higher_task=_letter(higher_task, index),
                higher_task_citation=higher_task_citation if higher_task else None,
            )
        )
    return cells


_CELL_RULE = (
    "a party cell reprimands or warns its members, committee members of any level and cadres "
    "managed by higher levels included; for tasks assigned by higher levels, and for heavier "
    "measures, it proposes to the competent body"
)
_GRASSROOTS_RULE = (
    "a grassroots committee or its standing committee reprimands or warns members of its "
    "party organisation; removal from post and expulsion it proposes (expulsion it decides "
    "only where it is authorised to admit members); members of the committee itself are "
    "decided by the committee"
)
_COMMITTEE_RULE = (
    "a committee above the grassroots decides every measure for the members and lower-level "
    "committee members it manages, and for its own members by a vote of the committee; "
    "higher-level subjects it proposes"
)
_STANDING_RULE = (
    "a standing committee above the grassroots decides every measure for the members it "
    "manages; members of its own committee are decided by the committee"
)
_DISTRICT_STANDING_RULE = (
    "the district standing committee removes from post or expels members of a grassroots "
    "party cell on the cell's proposal"
)
_INSPECTION_RULE = (
    "an inspection commission above the grassroots decides every measure for members of its "
    "party organisation and removes lower-level committee members from post; same-level "
    "committee members it proposes"
)
_CENTRAL_INSPECTION_RULE = (
    "the Central Inspection Commission decides every measure for members and lower-level "
    "committee members; Central Committee members and cadres the Politburo or Secretariat "
    "manage it proposes"
)
_POLITBURO_RULE = (
    "the Politburo and the Secretariat discipline members they manage who are not Central "
    "Committee members, and lower-level committee members; Central Committee members are "
    "decided by the Central Committee"
)
_CENTRAL_COMMITTEE_RULE = (
    "the Central Committee decides every measure for its own members and is the final level"
)
_ORGANISATION_RULE = (
    "reprimand and warning of a party organisation are decided by the committee or standing "
    "committee of the directly higher level; dissolution by the directly higher committee and "
    "approved by the level above (a standing committee proposes it)"
)
_ORGANISATION_CENTRAL_RULE = (
    "organisations directly under the Central Committee: reprimand and warning by the "
    "Politburo or Secretariat, dissolution by the Central Committee, the final level"
)


def _citations(era: Era) -> dict[str, Citation]:
    recalled = "recalled; not in a retrieved source"
    if era is Era.QD22:
        return {
            "cell": cite(
                QD22,
                "Điều 11",
                V,
                "P-luatduonggia-11; P-accgroup-11; P-dcs-76130",
                note="also Charter Điều 36 khoản 1; the exception for tasks assigned by higher "
                "levels is in the same article",
            ),
            "cell_higher_task": cite(QD22, "Điều 11", V, "P-luatduonggia-11; P-accgroup-11"),
            "cell_executive": cite(
                QD22,
                "Điều 11",
                S,
                "R-28300988406 Q26",
                note="a 2025 quiz says the cell executive cannot discipline; QĐ 22 Điều 11 "
                "names the cell, not its executive",
            ),
            "partial": cite(QD22, "Điều 11", V, "P-luatduonggia-11", note="excerpt truncated"),
            "district_standing": cite(QD22, "Điều 11", V, "P-luatduonggia-11; P-accgroup-11"),
            "organisation": cite(
                QD22,
                "Điều 11",
                A,
                "P-luatduonggia-11; R-28300988406 Q80",
                note="QĐ 22 Điều 11 sets the authority to discipline (verified for members); its "
                "clause on organisations was not retrieved; QĐ 296 Điều 11 states the rule",
            ),
            "recalled": cite(QD22, "Điều 11", A, None, note=recalled),
        }
    carried = "QĐ 296's text for this was not retrieved; the QĐ 22 rule is carried over"
    return {
        "cell": cite(QD296, "Điều 10 mục 1.1", S, "R-28300988406 Q8, Q70, Q71"),
        "cell_higher_task": cite(QD296, "Điều 10 mục 1.4", S, "R-28300988406 Q8, Q70, Q71"),
        "cell_executive": cite(QD296, None, S, "R-28300988406 Q26"),
        "partial": cite(QD22, "Điều 11", A, "P-luatduonggia-11", note=carried),
        "district_standing": cite(QD22, "Điều 11", A, "P-luatduonggia-11", note=carried),
        "organisation": cite(QD296, "Điều 11", S, "R-28300988406 Q80"),
        "recalled": cite(QD296, "Điều 10", A, None, note=recalled),
    }


def authority_cells(era: Era) -> tuple[AuthorityCell, ...]:
    """Every built-in cell of the matrix for ``era``."""
    if era is Era.QD21:
        return tuple(_carry_to_qd21(cell) for cell in authority_cells(Era.QD296_NO_DISTRICT))
    c = _citations(era)
    recalled = c["recalled"]
    org_central = attrs.evolve(
        recalled, note="recalled; QĐ 296 Điều 11 applied at central level by inference"
    )
    cells: list[AuthorityCell] = []
    add = cells.extend
    # party cell (chi bộ) and its executive (chi ủy)
    for subject, spec, task in (
        (FULL, "AAPP-", "PPPP-"),
        (PROBATIONARY, "AA---", "PP---"),
        (COMMITTEE_MEMBER, "AAPP-", "PPPP-"),
        (CADRE, "AAPP-", "PPPP-"),
    ):
        add(
            _row(
                BodyKind.PARTY_CELL,
                None,
                subject,
                spec,
                c["cell"],
                _CELL_RULE,
                higher_task=task,
                higher_task_citation=c["cell_higher_task"],
            )
        )
    for subject, spec in (
        (FULL, "NNNN-"),
        (PROBATIONARY, "NN---"),
        (COMMITTEE_MEMBER, "NNNN-"),
        (CADRE, "NNNN-"),
        (ORGANISATION, "NN--N"),
    ):
        add(
            _row(
                BodyKind.CELL_EXECUTIVE,
                None,
                subject,
                spec,
                c["cell_executive"],
                "a cell executive (chi ủy) cannot discipline",
            )
        )
    # partial committee (đảng ủy bộ phận): reviews and forwards the cell's proposal
    for subject, spec in (
        (FULL, "PPPP-"),
        (PROBATIONARY, "PP---"),
        (COMMITTEE_MEMBER, "PPPP-"),
        (CADRE, "PPPP-"),
    ):
        add(
            _row(
                BodyKind.PARTIAL_COMMITTEE,
                None,
                subject,
                spec,
                c["partial"],
                "a partial committee reviews the cell's proposal and forwards it to the "
                "grassroots standing committee",
            )
        )
    # grassroots committee and its standing committee
    for kind, level, own in (
        (BodyKind.GRASSROOTS_COMMITTEE, None, None),
        (BodyKind.STANDING_COMMITTEE, Level.GRASSROOTS, "PPPP-"),
    ):
        add(_row(kind, level, FULL, "AAPP-", recalled, _GRASSROOTS_RULE))
        add(_row(kind, level, PROBATIONARY, "AA---", recalled, _GRASSROOTS_RULE))
        add(
            _row(
                kind,
                level,
                COMMITTEE_MEMBER,
                "AAPP-",
                recalled,
                _GRASSROOTS_RULE,
                same=own,
                higher="PPPP-",
            )
        )
        add(_row(kind, level, CADRE, "AAPP-", recalled, _GRASSROOTS_RULE, higher="PPPP-"))
        add(_row(kind, level, ORGANISATION, "AA---", c["organisation"], _ORGANISATION_RULE))
        dissolution = "----a" if kind is BodyKind.GRASSROOTS_COMMITTEE else "----P"
        add(_row(kind, level, ORGANISATION, dissolution, recalled, _ORGANISATION_RULE))
    # committees, standing committees and inspection commissions above the grassroots
    levels = (
        (Level.PROVINCIAL,) if era is Era.QD296_NO_DISTRICT else (Level.DISTRICT, Level.PROVINCIAL)
    )
    for level in levels:
        add(_row(BodyKind.COMMITTEE, level, FULL, "AAAA-", recalled, _COMMITTEE_RULE))
        add(_row(BodyKind.COMMITTEE, level, PROBATIONARY, "AA---", recalled, _COMMITTEE_RULE))
        add(
            _row(
                BodyKind.COMMITTEE,
                level,
                COMMITTEE_MEMBER,
                "AAAA-",
                recalled,
                _COMMITTEE_RULE,
                higher="PPPP-",
            )
        )
        add(
            _row(
                BodyKind.COMMITTEE, level, CADRE, "AAAA-", recalled, _COMMITTEE_RULE, higher="PPPP-"
            )
        )
        add(
            _row(
                BodyKind.COMMITTEE,
                level,
                ORGANISATION,
                "AA---",
                c["organisation"],
                _ORGANISATION_RULE,
            )
        )
        add(_row(BodyKind.COMMITTEE, level, ORGANISATION, "----a", recalled, _ORGANISATION_RULE))

        if level is Level.DISTRICT:
            add(_row(BodyKind.STANDING_COMMITTEE, level, FULL, "AA---", recalled, _STANDING_RULE))
            add(
                _row(
                    BodyKind.STANDING_COMMITTEE,
                    level,
                    FULL,
                    "--AA-",
                    c["district_standing"],
                    _DISTRICT_STANDING_RULE,
                )
            )
        else:
            add(_row(BodyKind.STANDING_COMMITTEE, level, FULL, "AAAA-", recalled, _STANDING_RULE))
        add(
            _row(
                BodyKind.STANDING_COMMITTEE, level, PROBATIONARY, "AA---", recalled, _STANDING_RULE
            )
        )
        add(
            _row(
                BodyKind.STANDING_COMMITTEE,
                level,
                COMMITTEE_MEMBER,
                "AAAA-",
                recalled,
                _STANDING_RULE,
                same="PPPP-",
                higher="PPPP-",
            )
        )
        add(
            _row(
                BodyKind.STANDING_COMMITTEE,
                level,
                CADRE,
                "AAAA-",
                recalled,
                _STANDING_RULE,
                higher="PPPP-",
            )
        )
        add(
            _row(
                BodyKind.STANDING_COMMITTEE,
                level,
                ORGANISATION,
                "AA---",
                c["organisation"],
                _ORGANISATION_RULE,
            )
        )
        add(
            _row(
                BodyKind.STANDING_COMMITTEE,
                level,
                ORGANISATION,
                "----P",
                recalled,
                _ORGANISATION_RULE,
            )
        )

        commission = BodyKind.INSPECTION_COMMISSION
        add(_row(commission, level, FULL, "AAAA-", recalled, _INSPECTION_RULE))
        add(_row(commission, level, PROBATIONARY, "AA---", recalled, _INSPECTION_RULE))
        add(
            _row(
                commission,
                level,
                COMMITTEE_MEMBER,
                "AAAA-",
                recalled,
                _INSPECTION_RULE,
                same="PPPP-",
                higher="PPPP-",
            )
        )
        add(_row(commission, level, CADRE, "AAAA-", recalled, _INSPECTION_RULE, higher="PPPP-"))
    # central level
    central = Level.CENTRAL
    commission = BodyKind.INSPECTION_COMMISSION
    add(_row(commission, central, FULL, "AAAA-", recalled, _CENTRAL_INSPECTION_RULE))
    add(_row(commission, central, PROBATIONARY, "AA---", recalled, _CENTRAL_INSPECTION_RULE))
    add(
        _row(
            commission,
            central,
            COMMITTEE_MEMBER,
            "AAAA-",
            recalled,
            _CENTRAL_INSPECTION_RULE,
            same="PPPP-",
        )
    )
    add(_row(commission, central, CADRE, "AAAA-", recalled, _CENTRAL_INSPECTION_RULE, same="PPPP-"))
    for kind in (BodyKind.POLITBURO, BodyKind.SECRETARIAT):
        add(_row(kind, None, COMMITTEE_MEMBER, "AAAA-", recalled, _POLITBURO_RULE, same="PPPP-"))
        add(_row(kind, None, CADRE, "NNNN-", recalled, _POLITBURO_RULE, same="AAAA-"))
        add(_row(kind, None, ORGANISATION, "AA--P", org_central, _ORGANISATION_CENTRAL_RULE))
    add(
        _row(
            BodyKind.CENTRAL_COMMITTEE,
            None,
            COMMITTEE_MEMBER,
            "AAAA-",
            recalled,
            _CENTRAL_COMMITTEE_RULE,
        )
    )
    add(
        _row(
            BodyKind.CENTRAL_COMMITTEE,
            None,
            CADRE,
            "NNNN-",
            recalled,
            _CENTRAL_COMMITTEE_RULE,
            same="AAAA-",
        )
    )
    add(
        _row(
            BodyKind.CENTRAL_COMMITTEE,
            None,
            ORGANISATION,
            "AA--A",
            org_central,
            _ORGANISATION_CENTRAL_RULE,
        )
    )
    return tuple(cells)


_QD21_CARRIED = "QĐ 21's text for this was not seen; the QĐ 296 cell is carried over"


def _carry_citation(citation: Citation) -> Citation:
    note = _QD21_CARRIED if citation.note is None else f"{_QD21_CARRIED}; {citation.note}"
    return attrs.evolve(citation, status=A, note=note)


def _carry_to_qd21(cell: AuthorityCell) -> AuthorityCell:
    task = cell.higher_task_citation
    return attrs.evolve(
        cell,
        citation=_carry_citation(cell.citation),
        higher_task_citation=None if task is None else _carry_citation(task),
    )
