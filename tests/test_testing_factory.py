"""The case factory, payload providers and the walk over every transition."""

from __future__ import annotations

import enum
from typing import Any, cast

import pendulum
import pytest

from discipline_flow import (
    Body,
    BodyKind,
    Guard,
    GuardContext,
    Level,
    Member,
    Transition,
    Workflow,
)
from discipline_flow.case import Case
from discipline_flow.errors import CaseBuildError, InputError, TransitionWalkError
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import default_registry
from discipline_flow.testing import (
    DEFAULT_ACTOR,
    CaseFactory,
    CoverageRecorder,
    PathStep,
    PayloadProviders,
    ScenarioClock,
    StepInput,
    paths_to,
    shortest_paths,
    simple_paths,
    walk_transitions,
)
from scenarios.df_example_flows import (
    COMMISSION,
    COMPLAINANT,
    SUBJECT,
    Complaint,
    ComplaintTrigger,
    complaint_providers,
    complaint_workflow,
)

TZ = "Asia/Ho_Chi_Minh"
AT = pendulum.datetime(2025, 9, 15, 9, tz=TZ)
WORKFLOW = complaint_workflow()


def factory(**kwargs: Any) -> CaseFactory:
    return CaseFactory(providers=complaint_providers(), subject=SUBJECT, **kwargs)


@pytest.mark.parametrize(
    ("state", "triggers"),
    [
        (Complaint.ANNOUNCED, []),
        (Complaint.FILED, ["FILE_COMPLAINT"]),
        (Complaint.UNDER_REVIEW, ["FILE_COMPLAINT", "ACCEPT"]),
        (Complaint.OVERTURNED, ["FILE_COMPLAINT", "ACCEPT", "RESOLVE"]),
        (Complaint.UPHELD, ["FILE_COMPLAINT", "ACCEPT", "RESOLVE"]),
        (Complaint.WITHDRAWN, ["FILE_COMPLAINT", "WITHDRAW"]),
    ],
)
def test_the_factory_replays_the_shortest_legal_path(state: Complaint, triggers: list[str]) -> None:
    case = factory()(WORKFLOW, state.name, at=AT)
    assert case.state is state
    assert [s.trigger.name for s in case.steps[1:] if s.trigger is not None] == triggers
    assert all(s.at == AT for s in case.steps)
    assert case.verify() == len(triggers) + 1
    assert case.subject == SUBJECT


def test_guarded_moves_get_their_actor_and_payload_from_the_provider() -> None:
    case = factory()(WORKFLOW, Complaint.OVERTURNED, at=AT)
    file, accept, resolve = case.steps[1:]
    assert (file.actor, accept.actor, resolve.actor) == (COMPLAINANT, COMMISSION, COMMISSION)
    assert resolve.payload == {"in_favour": 5, "eligible": 9}


def test_without_providers_the_refused_move_is_named_with_its_reasons() -> None:
    with pytest.raises(CaseBuildError) as caught:
        CaseFactory(subject=SUBJECT)(WORKFLOW, "UNDER_REVIEW", at=AT)
    text = str(caught.value)
    assert text.startswith("cannot build a complaint_demo@1 case in state UNDER_REVIEW: ")
    assert (
        "FILE_COMPLAINT->FILED from ANNOUNCED was refused (own_behalf: system:case-factory" in text
    )
    assert "(tried 1 path)" in text
    assert "register a payload provider for the workflow" in text


def test_a_payload_that_takes_another_branch_is_reported() -> None:
    wrong = {"RESOLVE->UPHELD": StepInput({"in_favour": 9, "eligible": 9}, actor=COMMISSION)}
    with pytest.raises(CaseBuildError, match="RESOLVE from UNDER_REVIEW went to OVERTURNED"):
        factory()(WORKFLOW, "UPHELD", at=AT, payloads=wrong)


def test_the_clock_gives_the_time_and_ids_count_up() -> None:
    clock = ScenarioClock(AT)
    build = factory(clock=clock)
    first = build(WORKFLOW)
    clock.advance_by("2 working days")
    second = build(WORKFLOW, "FILED")
    assert (first.id, second.id) == ("T-1", "T-2")
    assert second.last_at == pendulum.datetime(2025, 9, 17, 9, tz=TZ)
    assert build(WORKFLOW, case_id="C-7").id == "C-7"
    assert build.with_providers(PayloadProviders())(WORKFLOW).id == "T-3"
    assert build(WORKFLOW).id == "T-4"
    with pytest.raises(InputError, match="give at= or build the factory with a clock"):
        factory()(WORKFLOW)


class Road(enum.Enum):
    START = "start"
    DETOUR = "detour"
    GOAL = "goal"


class Move(enum.Enum):
    SHORTCUT = "shortcut"
    TURN = "turn"
    ARRIVE = "arrive"


def _shortcut_open(ctx: GuardContext[Any, Any]) -> str | None:
    return None if ctx.payload.get("pass") else "the shortcut needs a pass"


def road() -> Workflow[Road, Move]:
    return Workflow(
        name="road",
        version="1",
        states=Road,
        triggers=Move,
        initial=Road.START,
        terminal={Road.GOAL},
        transitions=[
            Transition(
                Move.SHORTCUT, Road.START, Road.GOAL, guards=[Guard("pass", _shortcut_open)]
            ),
            Transition(Move.TURN, Road.START, Road.DETOUR),
            Transition(Move.ARRIVE, Road.DETOUR, Road.GOAL),
        ],
    )


def test_a_refused_shortest_path_gives_way_to_the_next_and_is_not_counted() -> None:
    recorder = CoverageRecorder()
    with recorder.recording():
        case = CaseFactory()(road(), "GOAL", at=AT)
    assert [s.trigger.name for s in case.steps[1:] if s.trigger] == ["TURN", "ARRIVE"]
    coverage = recorder.report().workflow("road")
    # The abandoned SHORTCUT attempt fired a refusal, but it is not coverage.
    assert [(g.guard, g.passed, g.refused) for g in coverage.guards] == [("pass", 0, 0)]
    assert [t.count for t in coverage.transitions] == [0, 1, 1]
    direct = CaseFactory()(road(), "GOAL", at=AT, payloads={"SHORTCUT": {"pass": True}})
    assert [s.trigger.name for s in direct.steps[1:] if s.trigger] == ["SHORTCUT"]


def test_follow_takes_exactly_the_given_path() -> None:
    wf = road()
    (path,) = [p for p in simple_paths(wf, max_length=1) if p.end is Road.GOAL]
    with pytest.raises(CaseBuildError, match="SHORTCUT->GOAL from START was refused"):
        CaseFactory().follow(wf, path, at=AT)
    case = CaseFactory().follow(wf, path, at=AT, payloads={"SHORTCUT": {"pass": True}})
    assert case.state is Road.GOAL
    with pytest.raises(InputError, match="the path is of road@1"):
        CaseFactory().follow(WORKFLOW, cast("Any", path), at=AT)


# --------------------------------------------------------------------------- providers


def test_providers_are_asked_last_registered_first_and_none_falls_through() -> None:
    seen: list[str] = []

    def shared(step: PathStep[Any, Any], case: Case[Any, Any]) -> StepInput | None:
        seen.append(f"shared {step.key} in {case.state.name}")
        return StepInput({"from": "shared"}) if step.trigger.name == "TURN" else None

    def override(step: PathStep[Any, Any], case: Case[Any, Any]) -> dict[str, Any] | None:
        seen.append(f"override {step.key}")
        return {"from": "override"} if step.trigger.name == "ARRIVE" else None

    providers = PayloadProviders({"road": shared}).register("road@1", override)
    case = CaseFactory(providers=providers)(road(), "GOAL", at=AT)
    assert [s.payload for s in case.steps[1:]] == [{"from": "shared"}, {"from": "override"}]
    # SHORTCUT (the shortest path) is refused without a pass; then the detour is taken. The
    # versioned key is asked before the name.
    turn = [line for line in seen if "TURN" in line]
    assert turn == ["override TURN->DETOUR", "shared TURN->DETOUR in START"]
    assert providers.workflows() == ("road", "road@1")
    assert repr(providers) == "PayloadProviders(road, road@1)"


def test_input_for_defaults_to_an_empty_payload() -> None:
    providers = PayloadProviders(default_actor=COMMISSION)
    case = CaseFactory(providers=providers)(road(), at=AT)
    step = PathStep.of(road().compiled[1])
    assert providers.input_for(road(), step, case) == StepInput()
    assert CaseFactory(providers=providers)(road(), "DETOUR", at=AT).steps[1].actor == COMMISSION
    assert CaseFactory()(road(), "DETOUR", at=AT).steps[1].actor == DEFAULT_ACTOR


def test_merged_providers_keep_both_and_ask_the_other_first() -> None:
    base = PayloadProviders().register("road", {"TURN": {"n": 1}})
    extra = PayloadProviders().register("road", {"TURN": {"n": 2}})
    case = CaseFactory(providers=base.merged(extra))(road(), "DETOUR", at=AT)
    assert case.steps[1].payload == {"n": 2}
    assert base.merged(None).workflows() == ("road",)


@pytest.mark.parametrize(
    ("provider", "message"),
    [
        ({"TURN": 3}, "a provider table maps"),
        ({7: {}}, "a provider table maps"),
        (42, "expected a callable or a mapping"),
    ],
)
def test_bad_providers_are_input_errors(provider: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        PayloadProviders().register("road", provider)


def test_bad_step_inputs_are_input_errors() -> None:
    with pytest.raises(InputError, match="must be a mapping"):
        StepInput(payload=[1, 2])
    with pytest.raises(InputError, match="expected a period"):
        StepInput(wait=3)
    with pytest.raises(InputError, match="expected a workflow or its name"):
        PayloadProviders().register("", {})
    assert StepInput(None).payload == {}


# --------------------------------------------------------------------------- the walk


def test_walking_every_transition_with_providers_fires_them_all() -> None:
    providers = complaint_providers().register(
        "complaint_demo", {"EXPIRE": StepInput(wait="31 working days")}
    )
    recorder = CoverageRecorder()
    with recorder.recording():
        report = walk_transitions(
            WORKFLOW, factory=CaseFactory(providers=providers, subject=SUBJECT), at=AT
        ).check()
    assert report.is_complete
    assert [s.transition for s in report.fired] == list(range(len(WORKFLOW.compiled)))
    coverage = recorder.report([WORKFLOW]).workflow("complaint_demo@1")
    assert coverage.transition_ratio.percent == 100.0


def test_a_walk_reports_what_it_could_not_fire() -> None:
    report = walk_transitions(WORKFLOW, factory=factory(), at=AT)
    assert not report.is_complete
    assert [str(f.step) for f in report.failures] == ["#1 ANNOUNCED -EXPIRE-> EXPIRED"]
    assert "window_missed: the complaint window runs until 2025-10-27" in report.failures[0].problem
    with pytest.raises(TransitionWalkError) as caught:
        report.check()
    text = str(caught.value)
    assert text.startswith("complaint_demo@1: 1 of 8 transitions could not be fired")
    assert "#1 ANNOUNCED -EXPIRE-> EXPIRED: EXPIRE->EXPIRED from ANNOUNCED was refused" in text
    skipped = walk_transitions(WORKFLOW, factory=factory(), at=AT, skip=["EXPIRE->EXPIRED"])
    assert skipped.is_complete
    assert len(skipped.fired) == 7


def test_a_walk_without_providers_names_every_unreachable_move() -> None:
    report = walk_transitions(
        WORKFLOW,
        factory=CaseFactory(subject=SUBJECT),
        providers={"FILE_COMPLAINT": StepInput(actor=COMPLAINANT)},
        at=AT,
    )
    failed = {f.step.key for f in report.failures}
    # Everything past FILED needs the inspection commission.
    assert failed == {
        "EXPIRE->EXPIRED",
        "ACCEPT->UNDER_REVIEW",
        "EXTEND->UNDER_REVIEW",
        "RESOLVE->OVERTURNED",
        "RESOLVE->UPHELD",
        "WITHDRAW->WITHDRAWN",
    }
    assert {f.step.key for f in report.failures if "cannot build" in f.problem} == {
        "EXTEND->UNDER_REVIEW",
        "RESOLVE->OVERTURNED",
        "RESOLVE->UPHELD",
        "WITHDRAW->WITHDRAWN",
    }
    mixed = walk_transitions(
        WORKFLOW, factory=CaseFactory(subject=SUBJECT), providers=complaint_providers(), at=AT
    )
    assert [f.step.key for f in mixed.failures] == ["EXPIRE->EXPIRED"]


def test_the_factory_shares_the_workflow_and_subject_it_is_given() -> None:
    other = Member("m-2", is_probationary=True)
    # The provider names the complainant; for another subject the call gives its own.
    himself = {"FILE_COMPLAINT": StepInput(actor=Body(BodyKind.PERSON, "m-2"))}
    case = factory()(WORKFLOW, "FILED", at=AT, subject=other, payloads=himself)
    assert case.subject == other
    assert case.steps[1].actor == Body(BodyKind.PERSON, "m-2")
    assert case.state is Complaint.FILED
    assert shortest_paths(WORKFLOW)[Complaint.FILED].triggers == (ComplaintTrigger.FILE_COMPLAINT,)
    assert "CaseFactory(clock=None" in repr(factory())


def _shipped(name: str, ruleset: str) -> Workflow[Any, Any]:
    return next(w for w in shipped_workflows(default_registry().get(ruleset)) if w.name == name)


def _step(workflow: Workflow[Any, Any], key: str) -> PathStep[Any, Any]:
    return next(PathStep.of(c) for c in workflow.compiled if PathStep.of(c).key == key)


def test_ready_for_takes_the_alternatives_a_later_move_needs() -> None:
    # Escalating needs a conclusion that found signs: the second CONCLUDE alternative.
    workflow = _shipped("thematic_supervision_provincial", "2026")
    step = _step(workflow, "ESCALATE_TO_INSPECTION->ESCALATED_TO_INSPECTION")
    case, given, when = CaseFactory().ready_for(workflow, step, at=AT)
    assert case.state.name == "CONCLUDED"
    assert when == AT
    assert case.steps[-1].payload == {"signs_of_violation": True}
    assert given.actor == Body(BodyKind.INSPECTION_COMMISSION, "ubkt-tinh", Level.PROVINCIAL)
    case.fire(step.trigger, at=when, actor=given.actor, payload=given.payload)
    assert case.state.name == "ESCALATED_TO_INSPECTION"


def test_ready_for_moves_the_instant_on_when_the_input_waits() -> None:
    # The shipped escalation of a remediation waits 40 days, past its 1-month deadline.
    workflow = _shipped("remediation", "2026")
    step = _step(workflow, "ESCALATE_TO_INSPECTION->ESCALATED_TO_INSPECTION")
    case, given, when = CaseFactory().ready_for(workflow, step, at=AT)
    assert (case.state.name, case.last_at, when) == ("REMEDIATING", AT, AT.add(days=40))
    assert given.wait is None


def test_ready_for_follows_a_path_through_a_loop_and_says_why_not_without_it() -> None:
    # HD 01-HD/TW (2021) điểm 11.1: the cell proceeds without the self-review after 3 invitations.
    workflow = _shipped("removal_from_rolls", "2026")
    step = _step(workflow, "PROCEED_WITHOUT_SELF_REVIEW->READY_FOR_CELL_MEETING")
    with pytest.raises(CaseBuildError, match="only after 3 invitations"):
        CaseFactory().ready_for(workflow, step, at=AT)
    again = next(
        PathStep.of(c)
        for c in workflow.compiled
        if c.trigger.name == "INVITE_SELF_REVIEW" and c.source is step.source
    )
    shortest = next(paths_to(workflow, step.source))
    path = shortest.then(again).then(again)
    case, given, _ = CaseFactory().ready_for(workflow, step, at=AT, path=path)
    fired = [s.trigger.name for s in case.steps[1:] if s.trigger is not None]
    assert fired.count("INVITE_SELF_REVIEW") == 3
    assert given.actor == Body(BodyKind.PARTY_CELL, "cell-7")
