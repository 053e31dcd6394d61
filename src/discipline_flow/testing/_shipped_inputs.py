"""The shipped workflows' own payload providers: how a test builds their cases with no setup.

For every shipped process this module says who opens a case about whom (an :class:`Opening`)
and who fires each move with which payload (a :class:`StepInput`): the bodies the regulations
give the power to, the payload keys the process modules read, and the time to wait for a move
only time allows. Where a later move depends on an earlier choice (an expulsion stays in force
for good, a warning ends), the earlier move offers alternatives, tried in order: the first is
the common case, so ``given("IN_EFFECT")`` builds a warning by a party cell.

:class:`~discipline_flow.testing.PayloadProviders` asks these last, after every provider a test
registered, and only for workflows built from a ruleset (``workflow.ruleset``) whose name is a
shipped process's.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation
from discipline_flow.errors import InputError
from discipline_flow.processes._plan_content import contents_of
from discipline_flow.rules import VoteStage, VoteTally, default_registry
from discipline_flow.testing._inputs import Opening, StepInput

if TYPE_CHECKING:
    from discipline_flow.case import Case
    from discipline_flow.testing.paths import PathStep
    from discipline_flow.workflow import Workflow

__all__ = ["move_input", "opening"]

_Answer = StepInput | Sequence[StepInput] | None
_Moves = Callable[["PathStep[Any, Any]", "Case[Any, Any]"], _Answer]
_Openings = Callable[["Workflow[Any, Any]", _dt.datetime], Opening | Sequence[Opening]]

# --------------------------------------------------------------------------- who's who

CELL = Body(BodyKind.PARTY_CELL, "cell-7")
CELL_EXECUTIVE = Body(BodyKind.CELL_EXECUTIVE, "cell-7-exec")
PARTIAL = Body(BodyKind.PARTIAL_COMMITTEE, "dubp-7")
GRASSROOTS = Body(BodyKind.GRASSROOTS_COMMITTEE, "du-7")
#: A body's id is its organisation's: the standing committee of 'du-7', directly above its cells.
GRASSROOTS_STANDING = Body(BodyKind.STANDING_COMMITTEE, "du-7", Level.GRASSROOTS)
GRASSROOTS_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-du-7", Level.GRASSROOTS)
DISTRICT_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-huyen", Level.DISTRICT)
DISTRICT_STANDING = Body(BodyKind.STANDING_COMMITTEE, "btv-huyen", Level.DISTRICT)
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-tinh", Level.PROVINCIAL)
PROVINCIAL_STANDING = Body(BodyKind.STANDING_COMMITTEE, "btv-tinh", Level.PROVINCIAL)
PROVINCIAL_COMMITTEE = Body(BodyKind.COMMITTEE, "tu-tinh", Level.PROVINCIAL)
CENTRAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkttw", Level.CENTRAL)
SECRETARIAT = Body(BodyKind.SECRETARIAT, "bbt")
CENTRAL_COMMITTEE = Body(BodyKind.CENTRAL_COMMITTEE, "bchtw")
SWEEP = Body(BodyKind.SYSTEM, "sweep")
COMPLAINANT = Body(BodyKind.PERSON, "m-1")

MEMBER = Member("m-1", cell_id="cell-7")
CADRE = Member("m-9", managed_by=Level.CENTRAL)
COMMITTEE_MEMBER = Member("m-2", cell_id="cell-7", committee_level=Level.GRASSROOTS)
DECLARANT = Member("m-1", cell_id="cell-7", managed_by=Level.PROVINCIAL)
CELL_ORG = Organisation("chi-bo-7", Level.GRASSROOTS, parent_id=GRASSROOTS.id)
PROVINCE_ORG = Organisation("dang-bo-tinh", Level.PROVINCIAL)


def _vote(
    stage: VoteStage = VoteStage.DECISION, in_favour: int = 7, *, secret: bool = False
) -> dict[str, Any]:
    return VoteTally(
        9, in_favour, 9 - in_favour, 0, stage=stage, is_secret_ballot=secret
    ).to_payload()


def _has_district(workflow: Workflow[Any, Any]) -> bool:
    try:
        return default_registry().get(workflow.ruleset or "").has_district_level
    except InputError:  # a ruleset of the embedding system's own: its workflows say
        return False


def _day(at: _dt.datetime, days: int = 0) -> str:
    return (at.date() + _dt.timedelta(days=days)).isoformat()


def _last_actor(case: Case[Any, Any], trigger: str) -> Body | None:
    for step in reversed(case.steps):
        if step.trigger is not None and step.trigger.name == trigger:
            actor: Body = step.actor
            return actor
    return None


# --------------------------------------------------------------------------- supervision


def _supervisor(workflow: Workflow[Any, Any]) -> Body:
    level = workflow.name.removeprefix("thematic_supervision_")
    return {
        "central": CENTRAL_UBKT,
        "provincial": PROVINCIAL_UBKT,
        "district": DISTRICT_STANDING,
        "grassroots": GRASSROOTS,
    }.get(level, CELL)


def _supervision(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    body = _supervisor(case.workflow)
    name = step.trigger.name
    if name == "CONCLUDE":  # no signs (a reminder), else signs (an inspection)
        return [
            StepInput({"signs_of_violation": False}, actor=body),
            StepInput({"signs_of_violation": True}, actor=body),
        ]
    if name == "CANCEL":
        return StepInput({"reason": "merged into another plan"}, actor=body)
    if name == "EXTEND_SUPERVISION":
        return StepInput({"extend_by": "1 working day", "reason": "late report"}, actor=body)
    return StepInput(actor=body)


# --------------------------------------------------------------------------- denunciation


def _denunciation_body(workflow: Workflow[Any, Any]) -> Body:
    if workflow.name == "denunciation_central_cadre":
        return CENTRAL_UBKT
    if workflow.name == "denunciation_above_grassroots":
        return PROVINCIAL_UBKT
    return CELL


def _denunciation(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    body = _denunciation_body(case.workflow)
    name = step.trigger.name
    if name == "DECLINE":
        return StepInput({"reason": "anonymous"}, actor=body)
    if name == "USE_FOR_INSPECTION":
        return StepInput({"has_concrete_content": True}, actor=body)
    if name == "WITHDRAW":
        return StepInput({"coerced": False}, actor=body)
    if name == "EXTEND_RESOLUTION":
        central = case.workflow.name == "denunciation_central_cadre"
        payload = {
            "extend_by": "60 days" if central else "30 working days",
            "reason": "more witnesses",
            "denouncer_notified": True,
        }
        return StepInput(payload, actor=body)
    return StepInput(actor=body)


# --------------------------------------------------------------------------- inspection

_OUTCOMES = {
    "CLOSED_NO_VIOLATION": "no_violation",
    "REMEDIATION_REQUIRED": "remediation",
    "DISCIPLINE_PROPOSED": "discipline",
}


def _inspection(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    name = step.trigger.name
    if name == "DECIDE_INSPECTION":
        return StepInput({"plan": "KH-1", "team": ["a", "b", "c"]}, actor=PROVINCIAL_UBKT)
    if name == "PROCEED_WITHOUT_SELF_REPORT":
        return StepInput({"invitations": 2}, actor=PROVINCIAL_UBKT)
    if name == "CONCLUDE":
        outcome = _OUTCOMES.get(step.target.name, "no_violation")
        return StepInput({"outcome": outcome, "members": ["m-1"]}, actor=PROVINCIAL_UBKT)
    if name == "STOP":
        return StepInput({"reason": "the subject was dissolved"}, actor=PROVINCIAL_UBKT)
    return StepInput(actor=PROVINCIAL_UBKT)


# --------------------------------------------------------------------------- discipline


def _above(workflow: Workflow[Any, Any]) -> tuple[Body, Body]:
    """The standing committee and the committee of the level above the grassroots."""
    if _has_district(workflow):
        return DISTRICT_STANDING, Body(BodyKind.COMMITTEE, "hu-huyen", Level.DISTRICT)
    return PROVINCIAL_STANDING, PROVINCIAL_COMMITTEE


def _votes(case: Case[Any, Any]) -> list[StepInput]:
    """A warning by the cell (or the grassroots committee); a removal for good (expulsion,
    dissolution); a proposal to the level above."""
    if case.subject == PROVINCE_ORG:  # dissolved by the Central Committee, no approval
        secret = _vote(secret=True)
        return [StepInput({"measure": "dissolution", "vote": secret}, actor=CENTRAL_COMMITTEE)]
    if case.workflow.name == "organisation_discipline":
        # only the bodies of 'du-7', directly above the cell (QĐ 296 Điều 11; QĐ 22 Điều 11)
        return [
            StepInput({"measure": "warning", "vote": _vote()}, actor=GRASSROOTS_STANDING),
            StepInput({"measure": "dissolution", "vote": _vote()}, actor=GRASSROOTS),
            StepInput({"measure": "dissolution", "vote": _vote()}, actor=GRASSROOTS_STANDING),
        ]
    expel = {
        "measure": "expulsion",
        "vote": _vote(),
        "proposal_vote": _vote(VoteStage.PROPOSAL, 6),
    }
    return [
        StepInput({"measure": "warning", "vote": _vote()}, actor=CELL),
        StepInput(expel, actor=PROVINCIAL_UBKT),
        StepInput(
            {"measure": "warning", "vote": _vote(), "higher_assigned_task": True}, actor=CELL
        ),
    ]


def _discipline(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    org = case.workflow.name == "organisation_discipline"
    name, source, target = step.trigger.name, step.source.name, step.target.name
    first = GRASSROOTS if org else CELL
    body = _last_actor(case, "HOLD_VOTE") or first
    if name == "HOLD_VOTE":
        return _votes(case)
    if name == "DECIDE" and source == "PROPOSED_TO_HIGHER":
        return StepInput({"vote": _vote()}, actor=GRASSROOTS if org else PROVINCIAL_UBKT)
    if name == "PROPOSE_TO_HIGHER":
        return StepInput(actor=body if source == "VOTED" else PARTIAL)
    if name == "DISMISS_AS_TIME_BARRED":
        old = _dt.date(case.last_at.year - 20, 1, 1).isoformat()
        return StepInput({"violation_on": old, "measure": "warning"}, actor=body)
    if name == "DEFER":
        return StepInput({"reason": "seriously_ill_in_hospital"}, actor=body)
    if name in ("CLOSE_WITHOUT_DISCIPLINE", "ANNUL_DECISION"):
        return StepInput({"reason": "no violation was proven"}, actor=SECRETARIAT)
    if name in ("APPROVE_DECISION", "DISMISS_COMPLAINT"):
        return StepInput(actor=SECRETARIAT)
    if name == "RECORD_COMPLAINT_RULING":
        return StepInput({"outcome": "upheld"}, actor=SECRETARIAT)
    if name == "CHANGE_DECISION":
        # A review, from above whoever decided (the committee over its standing committee).
        decider = _last_actor(case, "DECIDE") or body
        committee = _above(case.workflow)[1]
        reviewer = (
            (GRASSROOTS if decider == GRASSROOTS_STANDING else committee) if org else CENTRAL_UBKT
        )
        permanent = "dissolution" if org else "expulsion"
        measure = permanent if target == "IN_FORCE_PERMANENTLY" else "reprimand"
        return StepInput({"measure": measure}, actor=reviewer)
    if name == "RECORD_ADMINISTRATIVE_FOLLOW_UP":
        return StepInput({"action": "proposed administrative handling"}, actor=body)
    if name == "RECORD_NEW_VIOLATION":
        return StepInput({"new_violation_on": _day(case.last_at)}, actor=body)
    if name == "CLOSE_COMPLAINT_WINDOW":
        return StepInput(actor=SWEEP, wait="31 working days")
    if name == "END_EFFECT":
        return StepInput(actor=SWEEP, wait="13 months")
    return StepInput(actor=body)


def _discipline_opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> list[Opening]:
    """A member of a cell; an organisation: a party cell, else a provincial organisation
    (whose dissolution by the Central Committee takes effect without approval)."""
    violation = {"violation_on": _day(at, -30)}
    if workflow.name == "organisation_discipline":
        return [
            Opening(CELL_ORG, violation, GRASSROOTS_STANDING),
            Opening(PROVINCE_ORG, violation, CENTRAL_COMMITTEE),
        ]
    return [Opening(MEMBER, violation, CELL)]


# --------------------------------------------------------------------------- complaint


def _complaint(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    name, target = step.trigger.name, step.target.name
    central = target == "RESOLVING_AT_CENTRAL_LEVEL"
    if name == "ACCEPT":
        return StepInput(actor=CENTRAL_UBKT if central else GRASSROOTS_UBKT)
    if name == "ESCALATE":
        previous = _last_actor(case, "ESCALATE") or _last_actor(case, "ACCEPT")
        if central:
            up = SECRETARIAT if previous == CENTRAL_UBKT else CENTRAL_UBKT
        else:
            up = DISTRICT_UBKT if _has_district(case.workflow) else PROVINCIAL_UBKT
        return StepInput({"filed_on": _day(case.last_at)}, actor=up)
    if name == "REJECT":
        return StepInput({"grounds": ["filed_on_behalf_of_another_person"]}, actor=GRASSROOTS_UBKT)
    if name == "CLOSE":
        return StepInput(actor=CENTRAL_UBKT, wait="31 working days")
    resolver = case.steps[-1].actor
    if name in ("UPHOLD_DECISION", "ANNUL_DECISION"):
        return StepInput(actor=resolver)
    if name == "CHANGE_DECISION":
        return StepInput({"measure": "reprimand"}, actor=resolver)
    if name == "WITHDRAW":
        return StepInput(actor=COMPLAINANT)
    return None


def _complaint_opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> list[Opening]:
    """A warning by the member's cell; else an expulsion by a provincial standing committee
    (a complaint resolved at the central level)."""
    filed = {"filed_on": _day(at), "decision_received_on": _day(at)}
    cell = {"kind": CELL.kind.value, "id": CELL.id, "level": None}
    standing = {"kind": "standing_committee", "id": PROVINCIAL_STANDING.id, "level": "provincial"}
    return [
        Opening(MEMBER, {**filed, "measure": "warning", "decided_by": cell}, COMPLAINANT),
        Opening(MEMBER, {**filed, "measure": "expulsion", "decided_by": standing}, COMPLAINANT),
    ]


# --------------------------------------------------------------------------- the rest


def _suspension(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    actor = GRASSROOTS if case.workflow.name == "organisation_suspension" else PROVINCIAL_UBKT
    name = step.trigger.name
    if name == "DECIDE_SUSPENSION":
        return StepInput({"grounds": ["obstructing"]}, actor=actor)
    if name == "EXTEND":
        return StepInput({"extend_by": "10 days", "reason": "the inspection goes on"}, actor=actor)
    if name == "TIE_TO_LEGAL_PROCESS":
        return StepInput({"legal_measure": "detained"}, actor=actor)
    if name in ("LIFT", "DROP"):
        return StepInput({"reason": "no longer needed"}, actor=actor)
    if name == "EXPIRE":
        return StepInput(actor=SWEEP, wait="200 days")
    return StepInput(actor=actor)


def _suspension_opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> Opening:
    if workflow.name == "organisation_suspension":
        return Opening(CELL_ORG, actor=GRASSROOTS)
    subject = COMMITTEE_MEMBER if workflow.name == "committee_suspension" else MEMBER
    return Opening(subject, actor=PROVINCIAL_UBKT)


_REMOVAL = {
    "INVITE_SELF_REVIEW": StepInput(actor=CELL_EXECUTIVE),
    "RECEIVE_SELF_REVIEW": StepInput(actor=CELL_EXECUTIVE),
    "RECORD_REFUSAL": StepInput({"reason": "will not write it"}, actor=CELL_EXECUTIVE),
    "PROCEED_WITHOUT_SELF_REVIEW": StepInput(actor=CELL),
    "PROPOSE_REMOVAL": StepInput(
        {"ground": "no_activity_or_dues", "months_without_activity_or_dues": 3}, actor=CELL
    ),
    "DECIDE_REMOVAL": StepInput(actor=GRASSROOTS),
    "KEEP_ON_ROLLS": StepInput({"reason": "resumed activity"}, actor=CELL),
    "REVIEW_IN_CELL": StepInput({"has_violations": False, "reasons": "moving abroad"}, actor=CELL),
    "REVIEW_IN_COMMITTEE": StepInput({"has_violations": False}, actor=PARTIAL),
    "DECIDE_TO_LET_GO": StepInput({"has_violations": False}, actor=GRASSROOTS),
    "REFER_FOR_DISCIPLINE": StepInput({"has_violations": True}, actor=CELL),
    "WITHDRAW_APPLICATION": StepInput(actor=COMPLAINANT),
}


def _removal(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    return _REMOVAL.get(step.trigger.name, StepInput(actor=CELL))


def _remediation(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    name = step.trigger.name
    if name == "SET_DEADLINE":
        return StepInput({"period": "1 month"}, actor=PROVINCIAL_UBKT)
    if name == "SUBMIT_PROGRESS_REPORT":
        return StepInput({"progress": "started"}, actor=PROVINCIAL_UBKT)
    if name == "CANCEL":
        return StepInput({"reason": "the conclusion was annulled"}, actor=PROVINCIAL_UBKT)
    if name == "ESCALATE_TO_INSPECTION" and step.source.name == "REMEDIATING":
        return StepInput(actor=SWEEP, wait="40 days")  # after the 1-month deadline
    if name == "ESCALATE_TO_INSPECTION":
        return StepInput({"reason": "not remedied"}, actor=PROVINCIAL_UBKT)
    return StepInput(actor=PROVINCIAL_UBKT)


def _asset_verification(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    name = step.trigger.name
    if name == "CONCLUDE":  # honest (closed), else dishonest (an inspection)
        return [
            StepInput({"is_declaration_honest": True}, actor=PROVINCIAL_UBKT),
            StepInput({"is_declaration_honest": False}, actor=PROVINCIAL_UBKT),
        ]
    if name == "RECEIVE_EXPLANATION":
        return StepInput({"explanation": "an inheritance"}, actor=PROVINCIAL_UBKT)
    return StepInput(actor=PROVINCIAL_UBKT)


_PLAN_CONTENT = {
    "kind": "supervision",
    "topic": "Working rules",
    "subjects": ["organisation:phuong-1", "member:m-1"],
    "from": "2023-03-01",
    "to": "2023-06-30",
}


def _inspection_plan(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    name = step.trigger.name
    first = next(iter(contents_of(case.steps).values()), None)
    if name in ("ADD_CONTENT", "ADD_OUT_OF_PLAN"):
        content = {**_PLAN_CONTENT, "key": f"ND-{case.version}"}
        return StepInput({"content": content}, actor=PROVINCIAL_STANDING)
    if name == "ASSIGN_TEAM" and first is not None:
        team = {"id": f"DOAN-{case.version}", "decision": "QĐ 1-QĐ/TU", "leader": "uv-1"}
        return StepInput({"key": first.key, "team": team}, actor=PROVINCIAL_STANDING)
    if name == "AMEND_CONTENT" and first is not None:
        data = {**first.to_payload(), "topic": "Working rules and discipline"}
        payload = {"key": first.key, "content": data, "reason": "a wider topic"}
        return StepInput(payload, actor=PROVINCIAL_STANDING)
    if name == "CLOSE":
        return StepInput({"review": "carried out"}, actor=PROVINCIAL_STANDING)
    return StepInput(actor=PROVINCIAL_STANDING)


def _plan_opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> Opening:
    draft = {"contents": [{**_PLAN_CONTENT, "key": "ND-0"}]}
    return Opening(PROVINCE_ORG, payload=draft, actor=PROVINCIAL_STANDING)


_KINDS = ("regular_inspection", "discipline_work_inspection", "finance_inspection")
_KIND_OUTCOMES = ("no_violation", "remediation", "signs_of_violation", "discipline")


def _kind_of(workflow: Workflow[Any, Any]) -> tuple[str, Level]:
    kind, _, level = workflow.name.rpartition("_")
    return kind, Level(level)


def _kind_body(workflow: Workflow[Any, Any]) -> Body:
    """A standing committee runs a regular inspection (Điều 30), a commission the others."""
    kind, level = _kind_of(workflow)
    if kind == "regular_inspection":
        return Body(BodyKind.STANDING_COMMITTEE, f"btv-{level.value}", level)
    return Body(BodyKind.INSPECTION_COMMISSION, f"ubkt-{level.value}", level)


def _inspection_kind(step: PathStep[Any, Any], case: Case[Any, Any]) -> _Answer:
    name = step.trigger.name
    actor = _kind_body(case.workflow)
    kind, _ = _kind_of(case.workflow)
    if name == "DECIDE_INSPECTION":
        extra = {
            "regular_inspection": {"content": "carrying out resolution 05"},
            "finance_inspection": {"target": "finance_office"},
        }.get(kind, {})
        return StepInput({"plan": "KH-1", "team": ["a", "b"], **extra}, actor=actor)
    if name == "EXTEND_INSPECTION":
        return StepInput({"extend_by": "5 days", "reason": "many documents"}, actor=actor)
    if name == "STOP":
        return StepInput({"reason": "the organisation was merged"}, actor=actor)
    if name == "CONCLUDE":
        found: dict[str, Any] = {"findings": []} if kind == "discipline_work_inspection" else {}
        return [
            StepInput(
                {
                    "outcome": outcome,
                    **found,
                    **({"members": ["m-1"]} if outcome == "discipline" else {}),
                },
                actor=actor,
            )
            for outcome in _KIND_OUTCOMES
        ]
    return StepInput(actor=actor)


def _kind_opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> Opening:
    _, level = _kind_of(workflow)
    return Opening(Organisation(f"o-{level.value}", level), actor=_kind_body(workflow))


def _fixed(subject: Member | Organisation, actor: Body) -> _Openings:
    def opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> Opening:
        return Opening(subject, actor=actor)

    return opening


def _supervision_opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> Opening:
    return Opening(MEMBER, actor=_supervisor(workflow))


def _denunciation_opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> Opening:
    subject = CADRE if workflow.name == "denunciation_central_cadre" else MEMBER
    return Opening(subject, actor=_denunciation_body(workflow))


# --------------------------------------------------------------------------- the tables

_BY_NAME: dict[str, tuple[_Moves, _Openings]] = {
    "regular_supervision": (_supervision, _supervision_opening),
    **{
        f"thematic_supervision_{level.value}": (_supervision, _supervision_opening)
        for level in Level
    },
    **{
        f"denunciation_{variant}": (_denunciation, _denunciation_opening)
        for variant in ("grassroots", "above_grassroots", "central_cadre")
    },
    "inspection": (
        _inspection,
        _fixed(Organisation("dang-bo-x", Level.GRASSROOTS), PROVINCIAL_UBKT),
    ),
    "member_discipline": (_discipline, _discipline_opening),
    "organisation_discipline": (_discipline, _discipline_opening),
    "complaint": (_complaint, _complaint_opening),
    "party_activity_suspension": (_suspension, _suspension_opening),
    "committee_suspension": (_suspension, _suspension_opening),
    "organisation_suspension": (_suspension, _suspension_opening),
    "removal_from_rolls": (_removal, _fixed(MEMBER, CELL)),
    "leaving_the_party": (_removal, _fixed(MEMBER, CELL)),
    "remediation": (_remediation, _fixed(Organisation("dbx", Level.GRASSROOTS), PROVINCIAL_UBKT)),
    "asset_verification": (_asset_verification, _fixed(DECLARANT, PROVINCIAL_UBKT)),
    "inspection_plan": (_inspection_plan, _plan_opening),
    **{
        f"{kind}_{level.value}": (_inspection_kind, _kind_opening)
        for kind in _KINDS
        for level in Level
    },
}


def _entry(workflow: Workflow[Any, Any]) -> tuple[_Moves, _Openings] | None:
    if workflow.ruleset is None:  # not built from a ruleset: not a shipped process
        return None
    return _BY_NAME.get(workflow.name)


def move_input(
    workflow: Workflow[Any, Any], step: PathStep[Any, Any], case: Case[Any, Any]
) -> _Answer:
    """The input (or alternatives) for ``step`` of a shipped ``workflow``; None for others."""
    entry = _entry(workflow)
    return None if entry is None else entry[0](step, case)


def opening(workflow: Workflow[Any, Any], at: _dt.datetime) -> Opening | Sequence[Opening] | None:
    """How a case of a shipped ``workflow`` opens at ``at``; None for other workflows."""
    entry = _entry(workflow)
    return None if entry is None else entry[1](workflow, at)
