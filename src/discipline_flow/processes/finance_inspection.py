"""Party-finance inspection (kiểm tra tài chính đảng) as workflows.

Purpose
    An inspection commission inspects the finances of the lower committees and of its own
    committee's finance office (Charter Điều 32): party dues, budgets, assets. The conclusion
    says the finances were managed well, asks for remedies (returning funds, correcting the
    books), finds signs of violation (an inspection on signs of violation follows) or proposes
    discipline.

Workflows
    ``finance_inspection_<level>`` (central, provincial, district before 1 July 2025,
    grassroots): the time limit depends on the level of the inspecting commission.
    :func:`finance_inspection_workflow` picks the one for a body.

States
    As :mod:`~discipline_flow.processes.regular_inspection`.

Triggers and payload keys
    As a regular inspection, except that ``DECIDE_INSPECTION`` needs ``plan``, ``team`` and
    ``target``: ``lower_committee`` (the finances of a lower committee: the subject is an
    organisation below the commission's level) or ``finance_office`` (the finance office of the
    commission's own committee: an organisation of its own level); ``CONCLUDE`` takes
    ``outcome`` (and ``members`` for discipline) and optionally ``amount``: the sum found
    misused, in đồng (a whole number of at least 0).

Deadlines
    ``inspection_period``: ``finance_inspection_period_<level>`` (60 / 45 / 20 / 20 days), from
    the decision, extendable once by at most ``finance_inspection_extension_share`` (1/3);
    assumed (no time limit found; the values of QĐ 331-QĐ/TW, 2025, for advisory bodies).

Authority
    Inspection commissions only (Charter Điều 32), of the workflow's level; the subject is a
    party organisation; district-level commissions are refused from 1 July 2025.

Legal basis
    Party Charter (2011) Điều 32 (recalled, assumed).

What is uncertain
    The Charter's wording; every time limit; the finance rules themselves (QĐ 01-QĐ/TW 2026 on
    party dues) are not modelled.

Linked cases
    :func:`open_finance_inspection` opens one from a step of another case;
    ``SIGNS_OF_VIOLATION`` → :func:`open_inspection`, ``DISCIPLINE_PROPOSED`` →
    :func:`open_discipline_cases`, ``REMEDIATION_REQUIRED`` → :func:`open_remediation`.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Organisation
>>> from discipline_flow.rules import select_ruleset
>>> ubkt = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
>>> wf = finance_inspection_workflow(select_ruleset(dt.date(2026, 5, 4)), ubkt)
>>> at = pendulum.datetime(2026, 5, 4, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Organisation("tinh-uy-x", Level.PROVINCIAL), at=at, actor=ubkt)
>>> _ = case.fire("DECIDE_INSPECTION", at=at, actor=ubkt,
...               payload={"plan": "KH-3", "team": ["a"], "target": "lower_committee"})
>>> case.deadline("inspection_period").due_on  # Mon 4/5/2026 + 60 days = Fri 3/7/2026
datetime.date(2026, 7, 3)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from discipline_flow.actors import Body, BodyKind, Organisation, Subject
from discipline_flow.case import Case
from discipline_flow.citation import Citation
from discipline_flow.processes._inspection_kinds import (
    InspectionKindState,
    InspectionKindTrigger,
    Kind,
    kind_workflows,
    open_kind,
    workflow_for_body,
)
from discipline_flow.processes.discipline_work_inspection import CHARTER_32
from discipline_flow.processes.guards import body_level
from discipline_flow.processes.inspection import open_discipline_cases, open_inspection
from discipline_flow.processes.remediation import open_remediation
from discipline_flow.rules import Ruleset
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "KIND",
    "NAME",
    "TARGETS",
    "InspectionKindState",
    "InspectionKindTrigger",
    "finance_inspection_workflow",
    "open_discipline_cases",
    "open_finance_inspection",
    "open_inspection",
    "open_remediation",
    "workflows",
]

#: The workflows are named this plus the level: ``finance_inspection_central``.
NAME = "finance_inspection"
#: What a finance inspection inspects (payload ``target`` of the decision).
TARGETS = ("lower_committee", "finance_office")


def _target(basis: Citation) -> list[Guard]:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        target = ctx.payload.get("target")
        if target not in TARGETS:
            return f"give 'target', what is inspected: one of {', '.join(TARGETS)}; got {target!r}"
        subject, level = ctx.subject, body_level(ctx.actor)
        if not isinstance(subject, Organisation) or level is None:
            return None  # the inspecting_body guard says why
        if target == "lower_committee" and subject.level.rank >= level.rank:
            return (
                f"{subject.id!r} is at the {subject.level.value} level, not below the "
                f"{level.value}-level commission; a lower committee's finances are inspected "
                f"from above [{basis}]"
            )
        if target == "finance_office" and subject.level is not level:
            return (
                f"the finance office inspected is its own committee's, at the {level.value} "
                f"level; {subject.id!r} is at the {subject.level.value} level [{basis}]"
            )
        return None

    return [
        Guard(
            "finance_target",
            check,
            basis=basis,
            description="a lower committee's finances or the own committee's finance office",
            uses_payload=True,
        )
    ]


def _amount(basis: Citation) -> list[Guard]:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        amount = ctx.payload.get("amount")
        if amount is None or (
            isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0
        ):
            return None
        return (
            f"'amount' is the sum found misused, a whole number of đồng (0 or more), got {amount!r}"
        )

    return [
        Guard(
            "amount_valid",
            check,
            basis=basis,
            description="the sum found misused, if given, is a whole number of đồng",
            uses_payload=True,
        )
    ]


#: Party-finance inspection (Điều 32).
KIND = Kind(
    NAME,
    Label("Party-finance inspection", "Kiểm tra tài chính đảng"),
    "a party-finance inspection",
    frozenset({BodyKind.INSPECTION_COMMISSION}),
    organisations_only=True,
    who=CHARTER_32,
    decision=_target,
    conclusion=_amount,
)


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """One finance inspection workflow per level of ``ruleset`` (for the process registry)."""
    return kind_workflows(KIND, ruleset)


def finance_inspection_workflow(ruleset: Ruleset, body: Body) -> Workflow[Any, Any]:
    """The shipped finance inspection ``body`` runs under ``ruleset``: the one of its level."""
    return workflow_for_body(KIND, workflows, ruleset, body)


def open_finance_inspection(
    parent: Case[Any, Any],
    *,
    at: _dt.datetime,
    actor: Body,
    subject: Subject | None = None,
    case_id: str | None = None,
    payload: Mapping[str, Any] | None = None,
    workflow: Workflow[Any, Any] | None = None,
) -> Case[Any, Any]:
    """Open the finance inspection a step of ``parent`` leads to, run by ``actor``; without
    ``workflow`` the shipped one of the actor's level in force on ``at``."""
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
