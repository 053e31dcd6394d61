"""Cases of every shipped workflow in every state, built through the engine (guards and all).

For each shipped process: who opens a case about whom, and who fires each move with which payload
(alternatives tried in order, for moves whose outcome depends on an earlier choice). From the
opening, every transition is tried with those inputs, breadth first; the moves that reached each
state are kept, so a test gets a fresh case in any reachable state by replaying them.
(The same tables, as payload providers of the testing toolkit, are issue 15's work; these are
the tests' own, kept apart from it.)
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import pendulum

from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation
from discipline_flow.errors import DisciplineFlowError
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import VoteStage, VoteTally, default_registry
from discipline_flow.testing.clock import later
from discipline_flow.time import Period
from discipline_flow.workflow import Workflow

TZ = "Asia/Ho_Chi_Minh"

CELL = Body(BodyKind.PARTY_CELL, "cell-7")
CELL_EXECUTIVE = Body(BodyKind.CELL_EXECUTIVE, "cell-7")
PARTIAL = Body(BodyKind.PARTIAL_COMMITTEE, "dubp-7")
GRASSROOTS = Body(BodyKind.GRASSROOTS_COMMITTEE, "du-7")
GRASSROOTS_STANDING = Body(BodyKind.STANDING_COMMITTEE, "du-7", Level.GRASSROOTS)
GRASSROOTS_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "du-7", Level.GRASSROOTS)
DISTRICT_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "huyen", Level.DISTRICT)
DISTRICT_STANDING = Body(BodyKind.STANDING_COMMITTEE, "huyen", Level.DISTRICT)
DISTRICT_COMMITTEE = Body(BodyKind.COMMITTEE, "huyen", Level.DISTRICT)
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "tinh", Level.PROVINCIAL)
PROVINCIAL_STANDING = Body(BodyKind.STANDING_COMMITTEE, "tinh", Level.PROVINCIAL)
PROVINCIAL_COMMITTEE = Body(BodyKind.COMMITTEE, "tinh", Level.PROVINCIAL)
CENTRAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "tw", Level.CENTRAL)
SECRETARIAT = Body(BodyKind.SECRETARIAT, "bbt")
CENTRAL_COMMITTEE = Body(BodyKind.CENTRAL_COMMITTEE, "bchtw")
SWEEP = Body(BodyKind.SYSTEM, "sweep")
COMPLAINANT = Body(BodyKind.PERSON, "m-1")

MEMBER = Member("m-1", cell_id="cell-7")
CADRE = Member("m-9", managed_by=Level.CENTRAL)
COMMITTEE_MEMBER = Member("m-2", cell_id="cell-7", committee_level=Level.GRASSROOTS)
DECLARANT = Member("m-1", cell_id="cell-7", managed_by=Level.PROVINCIAL)
#: A party cell inside the grassroots organisation 'du-7' (whose bodies carry its id).
CELL_ORG = Organisation("chi-bo-7", Level.GRASSROOTS, parent_id="du-7")
PROVINCE_ORG = Organisation("dang-bo-tinh", Level.PROVINCIAL)


@attrs.frozen
class Input:
    """A move's actor and payload, and the time to let pass before it."""

    actor: Body
    payload: Mapping[str, Any] = attrs.field(factory=dict)
    wait: str | None = None


@attrs.frozen
class Opening:
    """Who opens a case about whom, with which payload."""

    subject: Member | Organisation
    actor: Body
    payload: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Move:
    """One move a built case went through."""

    trigger: str
    given: Input


@attrs.frozen
class Route:
    """How a case reaches a state: its opening and its moves, all at the instant ``at`` unless
    a move waits."""

    opening: Opening
    moves: tuple[Move, ...] = ()


_Inputs = Callable[[str, str, str, Case[Any, Any]], Sequence[Input]]


def _vote(
    stage: VoteStage = VoteStage.DECISION, in_favour: int = 7, *, secret: bool = False
) -> Any:
    return VoteTally(
        9, in_favour, 9 - in_favour, 0, stage=stage, is_secret_ballot=secret
    ).to_payload()


def _district(case: Case[Any, Any]) -> bool:
    return default_registry().get(case.workflow.ruleset or "2026").has_district_level


def _day(at: _dt.datetime, days: int = 0) -> str:
    return (at.date() + _dt.timedelta(days=days)).isoformat()


def _last_actor(case: Case[Any, Any], *triggers: str) -> Body | None:
    for step in reversed(case.steps):
        if step.trigger is not None and step.trigger.name in triggers:
            actor: Body = step.actor
            return actor
    return None


def _supervisor(name: str) -> Body:
    return {
        "thematic_supervision_central": CENTRAL_UBKT,
        "thematic_supervision_provincial": PROVINCIAL_UBKT,
        "thematic_supervision_district": DISTRICT_STANDING,
        "thematic_supervision_grassroots": GRASSROOTS,
    }.get(name, CELL)


def _supervision(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = _supervisor(case.workflow.name)
    if name == "CONCLUDE":
        return [Input(body, {"signs_of_violation": s}) for s in (False, True)]
    if name == "CANCEL":
        return [Input(body, {"reason": "merged into another plan"})]
    if name == "EXTEND_SUPERVISION":
        return [Input(body, {"extend_by": "1 working day", "reason": "late report"})]
    return [Input(body)]


def _denunciation_body(name: str) -> Body:
    if name == "denunciation_central_cadre":
        return CENTRAL_UBKT
    return PROVINCIAL_UBKT if name == "denunciation_above_grassroots" else CELL


def _denunciation(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = _denunciation_body(case.workflow.name)
    if name == "DECLINE":
        return [Input(body, {"reason": "anonymous"})]
    if name == "USE_FOR_INSPECTION":
        return [Input(body, {"has_concrete_content": True})]
    if name == "WITHDRAW":
        return [Input(body, {"coerced": False})]
    if name == "EXTEND_RESOLUTION":
        central = case.workflow.name == "denunciation_central_cadre"
        extend = "60 days" if central else "30 working days"
        payload = {"extend_by": extend, "reason": "more witnesses", "denouncer_notified": True}
        return [Input(body, payload)]
    return [Input(body)]


_OUTCOMES = {
    "CLOSED_NO_VIOLATION": "no_violation",
    "REMEDIATION_REQUIRED": "remediation",
    "DISCIPLINE_PROPOSED": "discipline",
}


def _inspection(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = PROVINCIAL_UBKT
    if name == "DECIDE_INSPECTION":
        return [Input(body, {"plan": "KH-1", "team": ["a", "b", "c"]})]
    if name == "PROCEED_WITHOUT_SELF_REPORT":
        return [Input(body, {"invitations": 2})]
    if name == "CONCLUDE":
        outcome = _OUTCOMES.get(target, "no_violation")
        return [Input(body, {"outcome": outcome, "members": ["m-1"]})]
    if name == "STOP":
        return [Input(body, {"reason": "the subject was dissolved"})]
    return [Input(body)]


def _above(case: Case[Any, Any]) -> tuple[Body, Body]:
    """The standing committee and the committee of the level above the grassroots."""
    if _district(case):
        return DISTRICT_STANDING, DISTRICT_COMMITTEE
    return PROVINCIAL_STANDING, PROVINCIAL_COMMITTEE


def _votes(case: Case[Any, Any]) -> list[Input]:
    if case.subject == PROVINCE_ORG:  # dissolved by the Central Committee, no approval
        return [Input(CENTRAL_COMMITTEE, {"measure": "dissolution", "vote": _vote(secret=True)})]
    if case.workflow.name == "organisation_discipline":
        # only the bodies of 'du-7', directly above the cell (QĐ 296 Điều 11)
        return [
            Input(GRASSROOTS_STANDING, {"measure": "warning", "vote": _vote()}),
            Input(GRASSROOTS, {"measure": "dissolution", "vote": _vote()}),
            Input(GRASSROOTS_STANDING, {"measure": "dissolution", "vote": _vote()}),
        ]
    expel = {"measure": "expulsion", "vote": _vote(), "proposal_vote": _vote(VoteStage.PROPOSAL, 6)}
    task = {"measure": "warning", "vote": _vote(), "higher_assigned_task": True}
    return [
        Input(CELL, {"measure": "warning", "vote": _vote()}),
        Input(PROVINCIAL_UBKT, expel),
        Input(CELL, task),
    ]


def _discipline(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    org = case.workflow.name == "organisation_discipline"
    body = _last_actor(case, "HOLD_VOTE") or (GRASSROOTS if org else CELL)
    decider = _last_actor(case, "DECIDE") or body
    if name == "HOLD_VOTE":
        return _votes(case)
    if name == "DECIDE" and source == "PROPOSED_TO_HIGHER":
        return [Input(GRASSROOTS if org else PROVINCIAL_UBKT, {"vote": _vote()})]
    if name == "PROPOSE_TO_HIGHER":
        return [Input(body if source == "VOTED" else PARTIAL)]
    if name == "DISMISS_AS_TIME_BARRED":
        old = _dt.date(case.last_at.year - 20, 1, 1).isoformat()
        return [Input(body, {"violation_on": old, "measure": "warning"})]
    if name == "DEFER":
        return [Input(body, {"reason": "seriously_ill_in_hospital"})]
    if name in ("CLOSE_WITHOUT_DISCIPLINE", "ANNUL_DECISION"):
        return [Input(SECRETARIAT, {"reason": "no violation was proven"})]
    if name in ("APPROVE_DECISION", "DISMISS_COMPLAINT"):
        return [Input(SECRETARIAT)]
    if name == "RECORD_COMPLAINT_RULING":
        return [Input(SECRETARIAT, {"outcome": "upheld"})]
    if name == "CHANGE_DECISION":
        # a review: from above the decider (the committee over its standing committee)
        reviewer = (
            (GRASSROOTS if decider == GRASSROOTS_STANDING else _above(case)[1])
            if org
            else (CENTRAL_UBKT)
        )
        measure = (
            ("dissolution" if org else "expulsion")
            if target == "IN_FORCE_PERMANENTLY"
            else ("reprimand")
        )
        return [Input(reviewer, {"measure": measure})]
    if name == "RECORD_ADMINISTRATIVE_FOLLOW_UP":
        return [Input(body, {"action": "proposed administrative handling"})]
    if name == "RECORD_NEW_VIOLATION":
        return [Input(body, {"new_violation_on": _day(case.last_at)})]
    if name == "CLOSE_COMPLAINT_WINDOW":
        return [Input(SWEEP, wait="31 working days")]
    if name == "END_EFFECT":
        return [Input(SWEEP, wait="13 months")]
    return [Input(decider)]


def _complaint(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    central = target == "RESOLVING_AT_CENTRAL_LEVEL"
    if name == "ACCEPT":
        return [Input(CENTRAL_UBKT if central else GRASSROOTS_UBKT)]
    if name == "ESCALATE":
        previous = _last_actor(case, "ESCALATE", "ACCEPT")
        if central:
            up = SECRETARIAT if previous == CENTRAL_UBKT else CENTRAL_UBKT
        else:
            up = DISTRICT_UBKT if _district(case) else PROVINCIAL_UBKT
        return [Input(up, {"filed_on": _day(case.last_at)})]
    if name == "REJECT":
        return [Input(GRASSROOTS_UBKT, {"grounds": ["filed_on_behalf_of_another_person"]})]
    if name == "CLOSE":
        return [Input(CENTRAL_UBKT, wait="31 working days")]
    if name == "WITHDRAW":
        return [Input(COMPLAINANT)]
    resolver = case.steps[-1].actor
    if name == "CHANGE_DECISION":
        return [Input(resolver, {"measure": "reprimand"})]
    return [Input(resolver)]


def _suspension(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = GRASSROOTS if case.workflow.name == "organisation_suspension" else PROVINCIAL_UBKT
    if name == "DECIDE_SUSPENSION":
        return [Input(body, {"grounds": ["obstructing"]})]
    if name == "EXTEND":
        return [Input(body, {"extend_by": "10 days", "reason": "the inspection goes on"})]
    if name == "TIE_TO_LEGAL_PROCESS":
        return [Input(body, {"legal_measure": "detained"})]
    if name in ("LIFT", "DROP"):
        return [Input(body, {"reason": "no longer needed"})]
    if name == "EXPIRE":
        return [Input(SWEEP, wait="200 days")]
    return [Input(body)]


_REMOVAL = {
    "INVITE_SELF_REVIEW": Input(CELL_EXECUTIVE),
    "RECEIVE_SELF_REVIEW": Input(CELL_EXECUTIVE),
    "RECORD_REFUSAL": Input(CELL_EXECUTIVE, {"reason": "will not write it"}),
    "PROCEED_WITHOUT_SELF_REVIEW": Input(CELL),
    "PROPOSE_REMOVAL": Input(
        CELL, {"ground": "no_activity_or_dues", "months_without_activity_or_dues": 3}
    ),
    "DECIDE_REMOVAL": Input(GRASSROOTS),
    "KEEP_ON_ROLLS": Input(CELL, {"reason": "resumed activity"}),
    "REVIEW_IN_CELL": Input(CELL, {"has_violations": False, "reasons": "moving abroad"}),
    "REVIEW_IN_COMMITTEE": Input(PARTIAL, {"has_violations": False}),
    "DECIDE_TO_LET_GO": Input(GRASSROOTS, {"has_violations": False}),
    "REFER_FOR_DISCIPLINE": Input(CELL, {"has_violations": True}),
    "WITHDRAW_APPLICATION": Input(COMPLAINANT),
}


def _removal(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    return [_REMOVAL.get(name, Input(CELL))]


def _remediation(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = PROVINCIAL_UBKT
    if name == "SET_DEADLINE":
        return [Input(body, {"period": "1 month"})]
    if name == "SUBMIT_PROGRESS_REPORT":
        return [Input(body, {"progress": "started"})]
    if name == "CANCEL":
        return [Input(body, {"reason": "the conclusion was annulled"})]
    if name == "ESCALATE_TO_INSPECTION" and source == "REMEDIATING":
        return [Input(SWEEP, wait="40 days")]  # after the 1-month deadline
    if name == "ESCALATE_TO_INSPECTION":
        return [Input(body, {"reason": "not remedied"})]
    return [Input(body)]


def _asset_verification(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = PROVINCIAL_UBKT
    if name == "CONCLUDE":
        return [Input(body, {"is_declaration_honest": h}) for h in (True, False)]
    if name == "RECEIVE_EXPLANATION":
        return [Input(body, {"explanation": "an inheritance"})]
    return [Input(body)]


CONTENT = {
    "key": "ND-01",
    "kind": "supervision",
    "topic": "Working rules",
    "subjects": ["organisation:dang-bo-phuong-1"],
    "from": "2026-03-01",
    "to": "2026-06-30",
}


def _plan(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = PROVINCIAL_STANDING
    if name == "ADD_CONTENT":
        return [Input(body, {"content": CONTENT})]
    if name == "ADD_OUT_OF_PLAN":
        return [Input(body, {"content": {**CONTENT, "key": "ND-99"}})]
    if name == "ASSIGN_TEAM":
        team = {"id": "DOAN-1", "decision": "QĐ-1", "leader": "m-5"}
        return [Input(body, {"key": "ND-01", "team": team})]
    if name == "AMEND_CONTENT":
        amended = {**CONTENT, "topic": "Working rules and finance"}
        return [Input(body, {"key": "ND-01", "content": amended, "reason": "widened"})]
    if name == "CLOSE":
        return [Input(body, {"review": "completed"})]
    return [Input(body)]


_KINDS = ("regular_inspection", "discipline_work_inspection", "finance_inspection")


def _kind_of(name: str) -> tuple[str, Level] | None:
    kind, _, level = name.rpartition("_")
    return (kind, Level(level)) if kind in _KINDS else None


def _kind_body(name: str) -> Body:
    """A standing committee runs a regular inspection (Charter Điều 30), a commission the rest."""
    found = _kind_of(name)
    assert found is not None
    kind, level = found
    body_kind = (
        BodyKind.STANDING_COMMITTEE
        if kind == "regular_inspection"
        else BodyKind.INSPECTION_COMMISSION
    )
    return Body(body_kind, f"ubkt-{level.value}", level)


def _inspection_kind(name: str, source: str, target: str, case: Case[Any, Any]) -> list[Input]:
    body = _kind_body(case.workflow.name)
    kind = case.workflow.name.rpartition("_")[0]
    if name == "DECIDE_INSPECTION":
        extra = {
            "regular_inspection": {"content": "carrying out resolution 05"},
            "finance_inspection": {"target": "finance_office"},
        }.get(kind, {})
        return [Input(body, {"plan": "KH-1", "team": ["a", "b"], **extra})]
    if name == "EXTEND_INSPECTION":
        return [Input(body, {"extend_by": "5 days", "reason": "many documents"})]
    if name == "STOP":
        return [Input(body, {"reason": "the organisation was merged"})]
    if name == "CONCLUDE":
        found: dict[str, Any] = {"findings": []} if kind == "discipline_work_inspection" else {}
        outcomes = ("no_violation", "remediation", "signs_of_violation", "discipline")
        members = {"members": ["m-1"]}
        return [
            Input(body, {"outcome": o, **found, **(members if o == "discipline" else {})})
            for o in outcomes
        ]
    return [Input(body)]


def _openings(workflow: Workflow[Any, Any], at: _dt.datetime) -> list[Opening]:
    name = workflow.name
    found = _kind_of(name)
    if found is not None:
        return [Opening(Organisation(f"o-{found[1].value}", found[1]), _kind_body(name))]
    violation = {"violation_on": _day(at, -30)}
    if name == "organisation_discipline":
        return [
            Opening(CELL_ORG, GRASSROOTS_STANDING, violation),
            Opening(PROVINCE_ORG, CENTRAL_COMMITTEE, violation),
        ]
    if name == "member_discipline":
        return [Opening(MEMBER, CELL, violation)]
    if name == "complaint":
        filed = {"filed_on": _day(at), "decision_received_on": _day(at)}
        cell = {"kind": "party_cell", "id": CELL.id, "level": None}
        standing = {"kind": "standing_committee", "id": "tinh", "level": "provincial"}
        return [
            Opening(MEMBER, COMPLAINANT, {**filed, "measure": "warning", "decided_by": cell}),
            Opening(MEMBER, COMPLAINANT, {**filed, "measure": "expulsion", "decided_by": standing}),
        ]
    if name == "organisation_suspension":
        return [Opening(CELL_ORG, GRASSROOTS)]
    if name in ("party_activity_suspension", "committee_suspension"):
        subject = COMMITTEE_MEMBER if name == "committee_suspension" else MEMBER
        return [Opening(subject, PROVINCIAL_UBKT)]
    if name.startswith("denunciation_"):
        subject = CADRE if name == "denunciation_central_cadre" else MEMBER
        return [Opening(subject, _denunciation_body(name))]
    if name == "inspection":
        return [Opening(Organisation("dang-bo-x", Level.GRASSROOTS), PROVINCIAL_UBKT)]
    if name == "remediation":
        return [Opening(Organisation("dbx", Level.GRASSROOTS), PROVINCIAL_UBKT)]
    if name == "asset_verification":
        return [Opening(DECLARANT, PROVINCIAL_UBKT)]
    if name == "inspection_plan":
        return [Opening(Organisation("dang-bo-tinh", Level.PROVINCIAL), PROVINCIAL_STANDING)]
    if name in ("removal_from_rolls", "leaving_the_party"):
        return [Opening(MEMBER, CELL)]
    return [Opening(MEMBER, _supervisor(name))]


def inputs(workflow: Workflow[Any, Any]) -> _Inputs:
    """The inputs of the moves of ``workflow`` (a shipped process), as a function of the
    trigger's name, the source and target states' names and the case before the move."""
    name = workflow.name
    if "supervision" in name:
        return _supervision
    if _kind_of(name) is not None:
        return _inspection_kind
    table: dict[str, _Inputs] = {
        "inspection": _inspection,
        "member_discipline": _discipline,
        "organisation_discipline": _discipline,
        "complaint": _complaint,
        "party_activity_suspension": _suspension,
        "committee_suspension": _suspension,
        "organisation_suspension": _suspension,
        "removal_from_rolls": _removal,
        "leaving_the_party": _removal,
        "remediation": _remediation,
        "asset_verification": _asset_verification,
        "inspection_plan": _plan,
    }
    return table.get(name, _denunciation)


def start_of(workflow: Workflow[Any, Any]) -> pendulum.DateTime:
    """A Monday 9:00 in the ruleset's span: where the built cases open."""
    ruleset = default_registry().get(workflow.ruleset or "2026")
    day = max(ruleset.effective_from, _dt.date(2021, 11, 1))
    day += _dt.timedelta(days=(7 - day.weekday()) % 7 + 7)
    return pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)


def _fire(case: Case[Any, Any], move: Move, at: pendulum.DateTime) -> pendulum.DateTime:
    given = move.given
    if given.wait is not None:
        at = later(at, Period.parse(given.wait), case.workflow.get_calendar())
    case.fire(move.trigger, at=at, actor=given.actor, payload=given.payload)
    return at


def replay_route(workflow: Workflow[Any, Any], route: Route) -> tuple[Case[Any, Any], Any]:
    """A fresh case along ``route`` and the instant of its latest move."""
    at = start_of(workflow)
    opening = route.opening
    case = workflow.open(opening.subject, at=at, actor=opening.actor, payload=opening.payload)
    for move in route.moves:
        at = _fire(case, move, at)
    return case, at


#: How many routes to keep per state: enough for the choices made on the way (a warning or an
#: expulsion, signs of violation found or not) to reach the moves that depend on them.
ROUTES_PER_STATE = 3


def _explore(workflow: Workflow[Any, Any]) -> dict[str, list[Route]]:
    """Routes to every state reachable with the inputs above, breadth first, a few per state."""
    at = start_of(workflow)
    routes: dict[str, list[Route]] = {}
    queue: deque[Route] = deque()
    for opening in _openings(workflow, at):
        route = Route(opening)
        routes.setdefault(workflow.initial.name, []).append(route)
        queue.append(route)
    give = inputs(workflow)
    while queue:
        route = queue.popleft()
        case, _ = replay_route(workflow, route)
        here = case.state
        for compiled in workflow.compiled:
            target = compiled.target.name
            if compiled.source is not here:
                continue
            for given in give(compiled.trigger.name, here.name, target, case):
                if len(routes.get(target, ())) >= ROUTES_PER_STATE:
                    break
                longer = Route(route.opening, (*route.moves, Move(compiled.trigger.name, given)))
                try:
                    moved, _ = replay_route(workflow, longer)
                except DisciplineFlowError:
                    continue
                if moved.state.name == target:
                    routes.setdefault(target, []).append(longer)
                    queue.append(longer)
    return routes


@functools.cache
def routes_of(process: str, ruleset: str) -> Mapping[str, list[Route]]:
    """Routes to the states of shipped ``process`` under built-in ``ruleset``, found once."""
    return _explore(shipped(process, ruleset))


def shipped(process: str, ruleset: str) -> Workflow[Any, Any]:
    """The shipped workflow ``process`` built from built-in ``ruleset``."""
    rules = default_registry().get(ruleset)
    return next(w for w in shipped_workflows(rules) if w.name == process)


def case_in(process: str, ruleset: str, state: str) -> tuple[Case[Any, Any], Any] | None:
    """A fresh case of ``process@ruleset`` in ``state`` and the instant of its latest move, or
    None when the inputs above do not reach it."""
    found = routes_of(process, ruleset).get(state)
    if not found:
        return None
    return replay_route(shipped(process, ruleset), found[0])


def every_workflow() -> list[tuple[str, str]]:
    """Every shipped (process, ruleset) pair."""
    return [
        (workflow.name, rules.name)
        for rules in default_registry()
        for workflow in shipped_workflows(rules)
    ]
