"""Inspection of how lower bodies carry out inspection, supervision and discipline (kiểm tra
việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật đảng) as workflows.

Purpose
    An inspection commission inspects how lower party organisations (and their commissions)
    carry out their inspection, supervision and discipline work, and records what it found
    about each disciplinary matter it reviewed — disciplined without competence, against
    procedure, not disciplined although required, wrongly disciplined — with a recommendation
    (no change, heavier, lighter, annulled): the rows the sector's statistical forms count
    (QĐ 885-QĐ/UBKTTW, 2022).

Workflows
    ``discipline_work_inspection_<level>`` (central, provincial, district before 1 July 2025,
    grassroots): the time limit depends on the level of the inspecting commission.
    :func:`discipline_work_inspection_workflow` picks the one for a body.

States
    As :mod:`~discipline_flow.processes.regular_inspection`: ``PLANNED`` → ``DECIDED`` →
    ``NOTIFIED`` → ``SELF_REPORT_PENDING`` ⇄ ``VERIFYING`` → ``REPORT_DRAFTED`` → one of
    ``CLOSED_NO_VIOLATION``, ``REMEDIATION_REQUIRED``, ``SIGNS_OF_VIOLATION``,
    ``DISCIPLINE_PROPOSED``; ``STOPPED`` before the conclusion.

Triggers and payload keys
    As a regular inspection, except: ``DECIDE_INSPECTION`` needs ``plan`` and ``team`` only;
    ``CONCLUDE`` needs ``findings``: a list (empty when nothing was wrong) of findings, each
    ``{"kind": ..., "recommendation": ..., "matter": ...}`` (:class:`Finding`; ``kind`` one of
    :class:`FindingKind`, ``recommendation`` one of :class:`Recommendation`, ``matter`` the
    disciplinary case or member reviewed, optional). A conclusion ``no_violation`` recommends
    no change for every finding.

Deadlines
    ``inspection_period``: ``discipline_work_inspection_period_<level>`` (60 / 45 / 20 / 20
    days), from the decision, extendable once by at most
    ``discipline_work_inspection_extension_share`` (1/3); assumed (no time limit found; the
    values of QĐ 331-QĐ/TW, 2025, for advisory bodies).

Authority
    Inspection commissions only (Charter Điều 32), of the workflow's level; the subject is a
    lower party organisation; district-level commissions are refused from 1 July 2025.

Legal basis
    Party Charter (2011) Điều 32 (recalled, assumed); the finding and recommendation categories
    of the statistical forms (QĐ 885-QĐ/UBKTTW, 2022; their content recalled).

What is uncertain
    The Charter's wording; every time limit; whether a newer set of statistical forms changed
    the categories.

Linked cases
    :func:`open_discipline_work_inspection` opens one from a step of another case;
    ``SIGNS_OF_VIOLATION`` → :func:`open_inspection`, ``DISCIPLINE_PROPOSED`` →
    :func:`open_discipline_cases`, ``REMEDIATION_REQUIRED`` → :func:`open_remediation`.
    :func:`findings_of` reads a concluded case's findings back as :class:`Finding` records.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Organisation
>>> from discipline_flow.rules import select_ruleset
>>> ubkt = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-tinh", Level.PROVINCIAL)
>>> wf = discipline_work_inspection_workflow(select_ruleset(dt.date(2026, 5, 4)), ubkt)
>>> at = pendulum.datetime(2026, 5, 4, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Organisation("db-x", Level.GRASSROOTS), at=at, actor=ubkt, case_id="KT-KL-1")
>>> steps = [("DECIDE_INSPECTION", {"plan": "KH-2", "team": ["a", "b"]}),
...          ("NOTIFY_SUBJECT", {}), ("REQUEST_SELF_REPORT", {}), ("RECEIVE_SELF_REPORT", {}),
...          ("SUBMIT_DRAFT_REPORT", {})]
>>> for day, (trigger, payload) in enumerate(steps):
...     _ = case.fire(trigger, at=at.add(days=day), actor=ubkt, payload=payload)
>>> finding = Finding(FindingKind.WRONGLY_DISCIPLINED, Recommendation.ANNULLED, "KL-7")
>>> finding.to_payload()
{'kind': 'wrongly_disciplined', 'recommendation': 'annulled', 'matter': 'KL-7'}
>>> _ = case.fire("CONCLUDE", at=at.add(days=30), actor=ubkt,
...               payload={"outcome": "remediation", "findings": [finding.to_payload()]})
>>> case.state.name, findings_of(case) == (finding,)
('REMEDIATION_REQUIRED', True)
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from discipline_flow.actors import Body, BodyKind, Subject
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes._inspection_kinds import (
    InspectionKindState,
    InspectionKindTrigger,
    Kind,
    kind_workflows,
    open_kind,
    workflow_for_body,
)
from discipline_flow.processes.inspection import open_discipline_cases, open_inspection
from discipline_flow.processes.remediation import open_remediation
from discipline_flow.rules import Ruleset
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "CHARTER_32",
    "KIND",
    "NAME",
    "Finding",
    "FindingKind",
    "InspectionKindState",
    "InspectionKindTrigger",
    "Recommendation",
    "discipline_work_inspection_workflow",
    "findings_of",
    "open_discipline_cases",
    "open_discipline_work_inspection",
    "open_inspection",
    "open_remediation",
    "workflows",
]

#: The workflows are named this plus the level: ``discipline_work_inspection_provincial``.
NAME = "discipline_work_inspection"


class FindingKind(enum.Enum):
    """What the inspection found wrong in a lower body's handling of a disciplinary matter."""

    WITHOUT_COMPETENCE = "disciplined_without_competence"
    AGAINST_PROCEDURE = "disciplined_against_procedure"
    NOT_DISCIPLINED = "not_disciplined_although_required"
    WRONGLY_DISCIPLINED = "wrongly_disciplined"


class Recommendation(enum.Enum):
    """What the inspection recommends for the matter."""

    NO_CHANGE = "no_change"
    HEAVIER = "heavier"
    LIGHTER = "lighter"
    ANNULLED = "annulled"


@attrs.frozen
class Finding:
    """One finding of a discipline-work inspection: its ``kind``, the ``recommendation`` and
    the ``matter`` reviewed (a case or member id; optional)."""

    kind: FindingKind
    recommendation: Recommendation
    matter: str | None = None

    def to_payload(self) -> dict[str, Any]:
        """The finding as a payload entry of ``CONCLUDE``."""
        entry: dict[str, Any] = {
            "kind": self.kind.value,
            "recommendation": self.recommendation.value,
        }
        if self.matter is not None:
            entry["matter"] = self.matter
        return entry

    @classmethod
    def from_payload(cls, entry: object) -> Finding:
        """Read a payload entry; raises :class:`~discipline_flow.errors.InputError` saying what
        is wrong and what is allowed."""
        if not isinstance(entry, Mapping):
            raise InputError(
                "findings", f"a finding is a table with kind and recommendation, got {entry!r}"
            )
        extra = set(entry) - {"kind", "recommendation", "matter"}
        if extra:
            raise InputError(
                "findings", f"unknown key {sorted(extra)[0]!r}; keys: kind, recommendation, matter"
            )
        kinds = ", ".join(k.value for k in FindingKind)
        recommendations = ", ".join(r.value for r in Recommendation)
        try:
            kind = FindingKind(entry.get("kind"))
        except ValueError:
            raise InputError(
                "findings", f"kind {entry.get('kind')!r} is not one of {kinds}"
            ) from None
        try:
            recommendation = Recommendation(entry.get("recommendation"))
        except ValueError:
            raise InputError(
                "findings",
                f"recommendation {entry.get('recommendation')!r} is not one of {recommendations}",
            ) from None
        matter = entry.get("matter")
        if matter is not None and not (isinstance(matter, str) and matter):
            raise InputError("findings", f"matter is a case or member id, got {matter!r}")
        return cls(kind, recommendation, matter)


#: Charter Điều 32: inspection commissions inspect lower bodies' inspection, supervision and
#: discipline work and party finances (recalled).
CHARTER_32 = Citation(
    "Điều lệ Đảng (2011)",
    "Điều 32",
    RuleStatus.ASSUMED,
    note="the inspection commissions' tasks; recalled, the text was not retrieved",
)


def _findings_recorded(basis: Citation) -> list[Guard]:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        raw = ctx.payload.get("findings")
        if not isinstance(raw, list):
            return (
                "a discipline-work inspection concludes with 'findings': a list (empty when "
                "nothing was wrong) of {kind, recommendation, matter}"
            )
        try:
            findings = [Finding.from_payload(entry) for entry in raw]
        except InputError as exc:
            return exc.problem
        changed = [f for f in findings if f.recommendation is not Recommendation.NO_CHANGE]
        if ctx.payload.get("outcome") == "no_violation" and changed:
            return (
                f"a conclusion that the work was done well recommends no change, but a finding "
                f"recommends {changed[0].recommendation.value}"
            )
        return None

    return [
        Guard(
            "findings_recorded",
            check,
            basis=basis,
            description="the conclusion records its findings and recommendations",
            uses_payload=True,
        )
    ]


#: The inspection of lower bodies' inspection, supervision and discipline work (Điều 32).
KIND = Kind(
    NAME,
    Label(
        "Inspection of discipline work",
        "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật",
    ),
    "an inspection of lower bodies' inspection, supervision and discipline work",
    frozenset({BodyKind.INSPECTION_COMMISSION}),
    organisations_only=True,
    who=CHARTER_32,
    conclusion=_findings_recorded,
)


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """One discipline-work inspection workflow per level of ``ruleset`` (for the registry)."""
    return kind_workflows(KIND, ruleset)


def discipline_work_inspection_workflow(ruleset: Ruleset, body: Body) -> Workflow[Any, Any]:
    """The shipped discipline-work inspection ``body`` runs under ``ruleset`` (its level's)."""
    return workflow_for_body(KIND, workflows, ruleset, body)


def findings_of(case: Case[Any, Any]) -> tuple[Finding, ...]:
    """The findings of a concluded discipline-work inspection, as records."""
    for step in reversed(case.steps):
        if step.trigger is InspectionKindTrigger.CONCLUDE:
            return tuple(Finding.from_payload(e) for e in step.payload.get("findings", ()))
    raise InputError("case", f"case {case.id} is {case.state.name}; it has no conclusion yet")


def open_discipline_work_inspection(
    parent: Case[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body,
    subject: Subject | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open the discipline-work inspection a step of ``parent`` leads to, run by ``actor``;
    without ``workflow`` the shipped one of the actor's level in force on ``at``."""
    return open_kind(
        KIND,
        workflows,
        parent,
        at=at,
        actor=actor,
        subject=subject,
        case_id=case_id,
        payload=payload,
        workflow=workflow,
    )
