"""An inspection and supervision plan ("chương trình, kế hoạch kiểm tra, giám sát"), as a workflow.

Purpose
    Each year (or term) a committee's standing committee and each inspection commission issue a
    plan: contents ("nội dung"), each an inspection or a supervision of named organisations and
    members in a period, carried out by teams ("đoàn kiểm tra, giám sát"). Items outside the plan
    ("ngoài kế hoạch") are added during the year; a content is amended with a recorded reason,
    never silently. A plan is a case: its history is hash-chained and stored like any other, and
    the inspections and supervisions opened from its contents link to it
    (:mod:`discipline_flow.planning` reads it and computes its completion).

States
    ``DRAFT`` (initial) → ``ADOPTED`` → ``CLOSED`` (terminal, with the year-end review).

Triggers and payload keys
    The opening may give the draft's contents (``contents``, a list of content tables);
    ``ADD_CONTENT`` (``content``: a table with ``key``, ``kind`` inspection or supervision,
    ``topic``, ``subjects`` as ``organisation:ID``/``member:ID``, ``from``, ``to``, optional
    ``teams``), only while drafting; ``ASSIGN_TEAM`` (``key``, ``team``: ``id``, ``decision``,
    ``leader``, optional ``members`` and ``subjects``); ``AMEND_CONTENT`` (``key``, ``content``,
    ``reason``); ``ADOPT`` (at least one content); ``ADD_OUT_OF_PLAN`` (``content``), only once
    adopted; ``CLOSE`` (``review``).

Deadlines
    None: the plan's own periods say when each content runs.

Authority
    The body that issued the plan (a committee, its standing committee, an inspection
    commission, a party cell) makes every later move; it must be a party body.

Legal basis
    Party Charter (2011) Điều 30 (committees and organisations inspect and supervise lower
    organisations and members) and Điều 32 (the inspection commissions' tasks); plans and teams
    are the practice the sector's reports describe. Status: assumed (recalled, not a retrieved
    text of a plan regulation).

What is uncertain
    Who approves a commission's plan and whether a plan may be withdrawn are not modelled;
    whether an amendment needs the body that adopted the plan or may be made by its standing
    organ is assumed to be the issuer.

>>> import pendulum
>>> from discipline_flow import Body, BodyKind, Level, Organisation
>>> from discipline_flow.rules import select_ruleset
>>> wf = inspection_plan_workflow(select_ruleset(pendulum.date(2023, 1, 5)))
>>> btv = Body(BodyKind.STANDING_COMMITTEE, "btv-tu", Level.PROVINCIAL)
>>> at = pendulum.datetime(2023, 1, 5, 9, tz="Asia/Ho_Chi_Minh")
>>> plan = wf.open(Organisation("dang-bo-tp", Level.PROVINCIAL), at=at, actor=btv, case_id="KH-1")
>>> content = {"key": "ND-01", "kind": "supervision", "topic": "Working rules",
...            "subjects": ["organisation:dang-bo-phuong-1"], "from": "2023-03-01", "to": "2023-06-30"}
>>> _ = plan.fire("ADD_CONTENT", at=at, actor=btv, payload={"content": content})
>>> _ = plan.fire("ADOPT", at=at, actor=btv)
>>> plan.state.name
'ADOPTED'
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes._plan_content import (
    add_content,
    assign_team,
    contents_of,
    read_amendment,
)
from discipline_flow.processes._tables import Move, Pieces, transitions
from discipline_flow.processes.guards import party_body, requires
from discipline_flow.rules import Ruleset
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "NAME",
    "InspectionPlan",
    "InspectionPlanTrigger",
    "inspection_plan_workflow",
    "workflows",
]

#: The name of the plan workflow.
NAME = "inspection_plan"


class InspectionPlan(enum.Enum):
    """States of an inspection and supervision plan."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    CLOSED = "closed"


class InspectionPlanTrigger(enum.Enum):
    """Triggers of an inspection and supervision plan."""

    ADD_CONTENT = "add_content"
    ASSIGN_TEAM = "assign_team"
    AMEND_CONTENT = "amend_content"
    ADOPT = "adopt"
    ADD_OUT_OF_PLAN = "add_out_of_plan"
    CLOSE = "close"


S = InspectionPlan
T = InspectionPlanTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.DRAFT: Label("Draft", "Dự thảo kế hoạch"),
    S.ADOPTED: Label("Adopted", "Đã ban hành kế hoạch"),
    S.CLOSED: Label("Closed with its review", "Đã tổng kết"),
    T.ADD_CONTENT: Label("Add a content", "Thêm nội dung"),
    T.ASSIGN_TEAM: Label("Assign a team", "Thành lập đoàn"),
    T.AMEND_CONTENT: Label("Amend a content", "Điều chỉnh nội dung"),
    T.ADOPT: Label("Adopt the plan", "Ban hành kế hoạch"),
    T.ADD_OUT_OF_PLAN: Label("Add an item outside the plan", "Bổ sung ngoài kế hoạch"),
    T.CLOSE: Label("Close with the review", "Tổng kết kế hoạch"),
}

_ISSUER = ("party_body", "issuer")

# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_TRANSITIONS: tuple[Move[S, T], ...] = (
    Move(T.ADD_CONTENT, S.DRAFT, S.DRAFT, (*_ISSUER, "content_well_formed"), "charter"),
    Move(T.ASSIGN_TEAM, S.DRAFT, S.DRAFT, (*_ISSUER, "team_well_formed"), "charter"),
    Move(T.ASSIGN_TEAM, S.ADOPTED, S.ADOPTED, (*_ISSUER, "team_well_formed"), "charter"),
    Move(T.AMEND_CONTENT, S.DRAFT, S.DRAFT, (*_ISSUER, "amendment_well_formed"), "charter"),
    Move(T.AMEND_CONTENT, S.ADOPTED, S.ADOPTED,
         (*_ISSUER, "amendment_well_formed"), "charter"),
    Move(T.ADOPT, S.DRAFT, S.ADOPTED, (*_ISSUER, "has_contents"), "charter"),
    Move(T.ADD_OUT_OF_PLAN, S.ADOPTED, S.ADOPTED,
         (*_ISSUER, "out_of_plan_well_formed"), "commissions"),
    Move(T.CLOSE, S.ADOPTED, S.CLOSED, (*_ISSUER, "review_given"), "charter"),
)
# fmt: on

_CHARTER = Citation(
    "Điều lệ Đảng (2011)",
    "Điều 30",
    RuleStatus.ASSUMED,
    note="committees and organisations inspect and supervise lower organisations and members; "
    "plans and teams are the practice the sector's reports describe (recalled)",
)
_COMMISSIONS = Citation(
    "Điều lệ Đảng (2011)",
    "Điều 32",
    RuleStatus.ASSUMED,
    note="the inspection commissions' tasks; inspections outside the plan are added during the "
    "year (recalled)",
)


def _issuer(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        issuer = ctx.case.steps[0].actor
        actor = ctx.actor
        if (actor.kind, actor.id) == (issuer.kind, issuer.id):
            return None
        return f"{actor} did not issue this plan; its issuer {issuer} makes every move [{basis}]"

    return Guard("issuer", check, basis=basis, description="the body that issued the plan")


def _checked(name: str, read: Any, description: str, basis: Citation) -> Guard:
    """A guard that reads the move's payload against the plan's contents so far, refusing with
    what the reader says is wrong."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        try:
            read(ctx.payload, contents_of(ctx.case.steps))
        except InputError as error:
            return str(error)
        return None

    return Guard(name, check, basis=basis, description=description, uses_payload=True)


def _has_contents(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        try:  # the opening's draft contents are first read here
            known = contents_of(ctx.case.steps)
        except InputError as error:
            return str(error)
        return None if known else "a plan is adopted with its contents"

    return Guard("has_contents", check, basis=basis, description="the plan has a content")


def _pieces(ruleset: Ruleset) -> Pieces:
    del ruleset  # the same plan workflow under every ruleset
    guards = [
        party_body(basis=_CHARTER),
        _issuer(_CHARTER),
        _checked(
            "content_well_formed",
            lambda data, known: add_content(data, known, out_of_plan=False),
            "the payload's content is well formed and its key new",
            _CHARTER,
        ),
        _checked(
            "out_of_plan_well_formed",
            lambda data, known: add_content(data, known, out_of_plan=True),
            "the payload's content is well formed and its key new",
            _COMMISSIONS,
        ),
        _checked("team_well_formed", assign_team, "a new team for a content", _CHARTER),
        _checked(
            "amendment_well_formed", read_amendment, "a whole new content and a reason", _CHARTER
        ),
        _has_contents(_CHARTER),
        requires("review", name="review_given", what="the year-end review"),
    ]
    return Pieces({g.name: g for g in guards}, {"charter": _CHARTER, "commissions": _COMMISSIONS})


def inspection_plan_workflow(ruleset: Ruleset) -> Workflow[InspectionPlan, InspectionPlanTrigger]:
    """The inspection and supervision plan under ``ruleset``."""
    pieces = _pieces(ruleset)
    return Workflow(
        name=NAME,
        version=ruleset.name,
        states=InspectionPlan,
        triggers=InspectionPlanTrigger,
        initial=S.DRAFT,
        terminal={S.CLOSED},
        transitions=transitions(NAME, _TRANSITIONS, pieces),
        guards=pieces.guards,
        labels=_LABELS,
        citations=tuple(pieces.citations.values()),
        label=Label("Inspection and supervision plan", "Kế hoạch kiểm tra, giám sát"),
        description="A committee or commission drafts its year's contents and teams, adopts "
        "the plan, adds items outside it and closes it with the review.",
        ruleset=ruleset.name,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The plan workflow under ``ruleset`` (for the process registry)."""
    return [inspection_plan_workflow(ruleset)]
