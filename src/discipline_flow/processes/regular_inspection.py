"""Regular inspection by party committees (kiểm tra theo Điều 30 Điều lệ Đảng) as workflows.

Purpose
    Every committee inspects the lower organisations and the members it leads on how they carry
    out the party's resolutions, directives, working rules and members' duties, usually as a
    content of its yearly inspection and supervision plan; the conclusion says the work was
    done well, asks for remedies, finds signs of violation (an inspection on signs of violation
    follows) or proposes discipline.

Workflows
    ``regular_inspection_<level>``: ``regular_inspection_central``, ``..._provincial``,
    ``..._district`` (only in rulesets with the district level, before 1 July 2025) and
    ``..._grassroots``, because the time limit depends on the level of the inspecting body.
    :func:`regular_inspection_workflow` picks the one for a body.

States
    ``PLANNED`` (initial) → ``DECIDED`` (decision and team) → ``NOTIFIED`` →
    ``SELF_REPORT_PENDING`` → ``VERIFYING`` (back to ``SELF_REPORT_PENDING`` when a
    supplementary explanation is asked) → ``REPORT_DRAFTED`` → concluded as
    ``CLOSED_NO_VIOLATION``, ``REMEDIATION_REQUIRED``, ``SIGNS_OF_VIOLATION`` or
    ``DISCIPLINE_PROPOSED``; ``STOPPED`` from any state after the decision and before the
    conclusion. The five are terminal.

Triggers and payload keys
    ``DECIDE_INSPECTION`` (``plan``, ``team`` and ``content``: what is inspected, e.g.
    ``"carrying out resolution 05"``; all required); ``NOTIFY_SUBJECT``;
    ``REQUEST_SELF_REPORT``; ``RECEIVE_SELF_REPORT``; ``REQUEST_EXPLANATION``;
    ``EXTEND_INSPECTION`` (``extend_by``, like ``"15 days"``, and ``reason``);
    ``SUBMIT_DRAFT_REPORT``; ``CONCLUDE`` (``outcome``: ``no_violation``, ``remediation``,
    ``signs_of_violation`` or ``discipline``; with ``discipline``, ``members``: the ids of the
    members concerned — required for an organisation —, optionally ``measure`` and
    ``violation_on``); ``STOP`` (``reason``).

Deadlines
    ``inspection_period``: the ruleset's ``regular_inspection_period_<level>`` (60 / 45 / 20 /
    20 days for the central / provincial / district / grassroots level), counted from the
    decision (the day itself not counted), met by any conclusion, cancelled by ``STOP``; one
    extension of at most ``regular_inspection_extension_share`` (1/3) of it, rounded down.
    Assumed: no time limit for inspections by committees was found; the values are those
    QĐ 331-QĐ/TW (2025) sets for the advisory bodies' inspections.

Authority
    Committees and their standing committees at every level, the Politburo, the Secretariat
    and the Central Committee; a party cell inspects its own members only. Inspection
    commissions act under Điều 32 (the other kinds), not here; district-level bodies are refused
    from 1 July 2025; a body of the workflow's level acts at every step.

Legal basis
    Party Charter (2011) Điều 30 (recalled, assumed); the three-phase procedure of every
    procedure document found (verified as a pattern).

What is uncertain
    The Charter's wording (recalled); every time limit (assumed); whether a partial committee
    (đảng ủy bộ phận) inspects under Điều 30 (not modelled).

Linked cases
    :func:`open_regular_inspection` opens one from a step of another case (a plan's content).
    ``SIGNS_OF_VIOLATION`` leads to :func:`open_inspection`; ``DISCIPLINE_PROPOSED`` to
    :func:`open_discipline_cases`; ``REMEDIATION_REQUIRED`` to :func:`open_remediation`.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Organisation
>>> from discipline_flow.rules import select_ruleset
>>> btv = Body(BodyKind.STANDING_COMMITTEE, "btv-tinh", Level.PROVINCIAL)
>>> wf = regular_inspection_workflow(select_ruleset(dt.date(2025, 9, 15)), btv)
>>> wf.key
'regular_inspection_provincial@2025-07'
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Organisation("db-x", Level.GRASSROOTS), at=at, actor=btv, case_id="KT30-1")
>>> _ = case.fire("DECIDE_INSPECTION", at=at, actor=btv,
...               payload={"plan": "KH-1", "team": ["a", "b"], "content": "resolution 05"})
>>> case.deadline("inspection_period").due_on  # Mon 15/9/2025 + 45 days = Thu 30/10/2025
datetime.date(2025, 10, 30)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from discipline_flow.actors import Body, BodyKind, Subject
from discipline_flow.case import Case
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.processes._inspection_kinds import (
    InspectionKindState,
    InspectionKindTrigger,
    Kind,
    kind_workflows,
    open_kind,
    workflow_for_body,
)
from discipline_flow.processes.guards import requires
from discipline_flow.processes.inspection import open_discipline_cases, open_inspection
from discipline_flow.processes.remediation import open_remediation
from discipline_flow.rules import Ruleset
from discipline_flow.workflow import Guard, Label, Workflow

__all__ = [
    "KIND",
    "NAME",
    "InspectionKindState",
    "InspectionKindTrigger",
    "open_discipline_cases",
    "open_inspection",
    "open_regular_inspection",
    "open_remediation",
    "regular_inspection_workflow",
    "workflows",
]

#: Regular inspection workflows are named this plus the level: ``regular_inspection_central``.
NAME = "regular_inspection"

#: Charter Điều 30: committees inspect lower organisations and members (recalled).
CHARTER_30 = Citation(
    "Điều lệ Đảng (2011)",
    "Điều 30",
    RuleStatus.ASSUMED,
    note="committees inspect and supervise lower organisations and members; recalled, the text "
    "was not retrieved",
)


def _decision(basis: Citation) -> list[Guard]:
    return [requires("content", name="content_given", basis=basis, what="a regular inspection")]


#: Regular inspection under Điều 30.
KIND = Kind(
    NAME,
    Label("Regular inspection", "Kiểm tra theo Điều 30"),
    "a regular inspection under Điều 30",
    frozenset(
        {
            BodyKind.PARTY_CELL,
            BodyKind.GRASSROOTS_COMMITTEE,
            BodyKind.COMMITTEE,
            BodyKind.STANDING_COMMITTEE,
            BodyKind.POLITBURO,
            BodyKind.SECRETARIAT,
            BodyKind.CENTRAL_COMMITTEE,
        }
    ),
    organisations_only=False,
    who=CHARTER_30,
    decision=_decision,
)


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """One regular inspection workflow per level of ``ruleset`` (for the process registry)."""
    return kind_workflows(KIND, ruleset)


def regular_inspection_workflow(ruleset: Ruleset, body: Body) -> Workflow[Any, Any]:
    """The shipped regular inspection ``body`` runs under ``ruleset``: the one of its level."""
    return workflow_for_body(KIND, workflows, ruleset, body)


def open_regular_inspection(
    parent: Case[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body,
    subject: Subject | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open the regular inspection a step of ``parent`` leads to (a plan's content), run by
    ``actor``; without ``workflow`` the shipped one of the actor's level in force on ``at``."""
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
