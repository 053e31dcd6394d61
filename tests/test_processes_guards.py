"""The shared guards (``discipline_flow.processes.guards``) judge as the rules they stand for.

Each guard remembers answers in its own closure (authority per subject shape, vote tallies,
limitation results, resolver steps). These tests compare, through the public API only, what a
guard says with what the rule it enforces says when asked directly (``check_authority``,
``check_vote``, ``check_limitation``, ``VoteTally.from_payload``, a plain reading of the complaint
levels), over many random inputs and twice each, so that a remembered answer is also checked.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import inspect
import pickle
import types
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation, Transition, Workflow
from discipline_flow.errors import (
    DisciplineFlowError,
    InputError,
    InvalidPeriodError,
    InvalidRuleError,
)
from discipline_flow.processes import complaint, discipline, guards, inspection, suspension
from discipline_flow.rules import (
    Measure,
    Ruleset,
    VoteStage,
    VoteTally,
    check_authority,
    check_vote,
    default_registry,
)
from discipline_flow.time import (
    Deadline,
    DeadlineRule,
    Deferral,
    LimitationPeriods,
    LimitationResult,
    Period,
    SubjectKind,
    Unit,
    check_limitation,
)
from discipline_flow.workflow import Guard, GuardContext
from helpers import RULESETS, at

RULES = RULESETS["2025-07"]
#: A ruleset of the embedding system's own: its rules stay authoritative.
OWN = RULES.override("limitation_period_reprimand", "2 years", source="Province", reason="local")
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)


class S(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class T(enum.Enum):
    CLOSE = "close"


#: A workflow with no guards of its own: the cases the guards under test look at.
TINY = Workflow(
    name="tiny",
    version="1",
    states=S,
    triggers=T,
    initial=S.OPEN,
    terminal={S.CLOSED},
    transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)],
)


def outcome(call: Callable[[], object]) -> tuple[str, object]:
    """What a call gives: its value, or the type and text of the error it raises."""
    try:
        return ("value", call())
    except DisciplineFlowError as exc:
        return (type(exc).__name__, str(exc))


def tiny_context(
    subject: Member | Organisation,
    actor: Body,
    payload: dict[str, Any],
    *,
    on: dt.date = dt.date(2025, 9, 3),
) -> GuardContext[Any, Any]:
    """A move of a fresh tiny case about ``subject``, by ``actor`` on ``on``, with ``payload``."""
    when = at(on.year, on.month, on.day)
    case = TINY.open(subject, at=when, actor="person:clerk")
    return GuardContext(case, T.CLOSE, S.OPEN, S.CLOSED, when, actor, payload)


def context(case: Case[Any, Any], trigger: str, actor: Body, payload: dict[str, Any]) -> Any:
    """A move of ``case`` by ``trigger``, at its last step's instant."""
    trig = case.workflow.trigger_named(trigger)
    return GuardContext(case, trig, case.state, case.state, case.last_at, actor, payload)


def check_twice(guard: Guard, ctx: GuardContext[Any, Any]) -> str | None:
    """The guard's verdict, asked twice: the second answer may come from its memory."""
    first = guard.check(ctx)
    assert guard.check(ctx) == first
    return first


# ---------------------------------------------------------------------------- strategies

LEVELS = st.sampled_from([None, *Level])
BODIES = st.builds(
    Body, st.sampled_from(list(BodyKind)), st.sampled_from(["b-1", "b-2", "dy-1"]), LEVELS
)
MEMBERS = st.builds(
    Member,
    st.sampled_from(["m-1", "m-2"]),
    is_probationary=st.booleans(),
    holds_post=st.booleans(),
    committee_level=LEVELS,
    managed_by=LEVELS,
)
ORGANISATIONS = st.builds(
    Organisation,
    st.sampled_from(["o-1", "o-2", "b-1", "dy-1"]),  # some are a body's own organisation
    st.sampled_from(list(Level)),
    parent_id=st.sampled_from([None, "b-1", "elsewhere"]),
)
SUBJECTS = st.one_of(MEMBERS, ORGANISATIONS)
MEASURES = st.sampled_from(list(Measure))
RULESET_NAMES = st.sampled_from(sorted(RULESETS))


@st.composite
def tallies(draw: st.DrawFn) -> VoteTally:
    """A consistent vote tally, with or without the voters' ids."""
    eligible = draw(st.integers(1, 12))
    in_favour = draw(st.integers(0, eligible))
    against = draw(st.integers(0, eligible - in_favour))
    abstaining = draw(st.integers(0, eligible - in_favour - against))
    cast = in_favour + against + abstaining
    named = draw(st.booleans())
    voters = {f"m-{i}" for i in range(1, cast + 1)} if named else set()
    return VoteTally(
        eligible,
        in_favour,
        against,
        abstaining,
        voter_ids=voters,
        is_secret_ballot=draw(st.booleans()),
        stage=draw(st.sampled_from(list(VoteStage))),
    )


_ANYTHING = st.one_of(
    st.integers(-2, 12), st.booleans(), st.floats(-1, 12), st.text(max_size=3), st.none()
)
#: Tally payloads in any shape: well-formed, missing keys, wrong types, unknown keys.
RAW_TALLIES = st.one_of(
    tallies().map(VoteTally.to_payload),
    st.fixed_dictionaries(
        {},
        optional={
            "eligible": _ANYTHING,
            "in_favour": _ANYTHING,
            "against": _ANYTHING,
            "abstaining": _ANYTHING,
            "voter_ids": st.one_of(
                st.lists(st.sampled_from(["a", "b", "c", 1]), max_size=4),
                st.lists(st.sampled_from(["a", "b"]), max_size=2).map(tuple),
                st.text(max_size=3),
                st.none(),
            ),
            "is_secret_ballot": _ANYTHING,
            "stage": st.sampled_from(["decision", "proposal", "bogus", 1]),
            "colour": st.just("red"),
        },
    ),
)

# ---------------------------------------------------------------------------- authority

#: The guards under test, built once per ruleset so that their memories fill across examples.
AUTHORITY = {
    name: (
        guards.may_decide(rules),
        guards.may_propose(rules),
        guards.may_decide_or_propose(rules),
        guards.Permissions(rules),
        guards.may_decide(rules, is_review=True),
    )
    for name, rules in RULESETS.items()
}


def _authority_agrees(
    name: str, body: Body, subject: Member | Organisation, measure: Measure, task: bool
) -> None:
    """The authority guards of ruleset ``name`` say what ``check_authority`` says."""
    rules = RULESETS[name]
    decide, propose, vote, permissions, review = AUTHORITY[name]
    ctx = tiny_context(subject, body, {"measure": measure.value, "higher_assigned_task": task})
    kind, answer = outcome(
        lambda: check_authority(rules, body, subject, measure, higher_assigned_task=task)
    )
    verdicts = [check_twice(guard, ctx) for guard in (decide, propose, vote)]
    if kind != "value":  # an input error (a body that needs a level) refuses every guard
        assert verdicts == [f"{answer}"] * 3
        assert outcome(lambda: permissions(body, subject, measure)) == (kind, answer)
        return
    decision = check_authority(rules, body, subject, measure, higher_assigned_task=task)
    only_propose = (
        f"{body} may decide {measure.label_en} itself; a body proposes to the competent body "
        f"only what it may not decide: {decision.reason}"
    )
    assert verdicts == [
        None if decision.allowed else decision.reason,
        None if decision.proposal_only else only_propose if decision.allowed else decision.reason,
        None if decision.allowed or decision.proposal_only else decision.reason,
    ], (body, subject, measure, task)
    for _ in range(2):
        assert permissions(body, subject, measure, higher_assigned_task=task) is (
            decision.permission
        )
    assert permissions.decision(body, subject, measure, higher_assigned_task=task) == decision
    reviewed = check_authority(
        rules, body, subject, measure, higher_assigned_task=task, is_review=True
    )
    assert check_twice(review, ctx) == (None if reviewed.allowed else reviewed.reason)


@settings(max_examples=400, deadline=None)
@given(name=RULESET_NAMES, body=BODIES, subject=SUBJECTS, measure=MEASURES, task=st.booleans())
def test_authority_guards_answer_as_check_authority(
    name: str, body: Body, subject: Member | Organisation, measure: Measure, task: bool
) -> None:
    _authority_agrees(name, body, subject, measure, task)


GRID_BODIES = [
    CELL,
    Body(BodyKind.GRASSROOTS_COMMITTEE, "dy-1"),
    PROVINCIAL_UBKT,
    Body(BodyKind.STANDING_COMMITTEE, "btv-t", Level.PROVINCIAL),
    Body(BodyKind.STANDING_COMMITTEE, "btv-h", Level.DISTRICT),
    Body(BodyKind.COMMITTEE, "tw", Level.CENTRAL),
    Body(BodyKind.SECRETARIAT, "bbt"),
    Body(BodyKind.PERSON, "m-9"),
    Body(BodyKind.INSPECTION_COMMISSION, "no-level"),
]
GRID_SUBJECTS: list[Member | Organisation] = [
    Member("m-1", cell_id="cell-7"),
    Member("m-2", is_probationary=True),
    Member("m-3", holds_post=True),
    Member("m-4", committee_level=Level.PROVINCIAL),
    Member("m-5", managed_by=Level.CENTRAL),
    Member("m-6", committee_level=Level.DISTRICT),
    Organisation("o-1", Level.GRASSROOTS, parent_id="dy-1"),
    Organisation("o-2", Level.GRASSROOTS, parent_id="elsewhere"),
    Organisation("o-3", Level.PROVINCIAL),
    Organisation("o-4", Level.PROVINCIAL, parent_id="tw"),
    Organisation("dy-1", Level.GRASSROOTS, parent_id="btv-t"),  # the grassroots committee's own
    Organisation("o-5", Level.GRASSROOTS, parent_id="btv-t"),  # under the province's bodies
]


@pytest.mark.parametrize("name", ["2022", "2025-07"])
def test_authority_guards_answer_as_check_authority_on_every_pairing(name: str) -> None:
    """Every body, subject, measure and task of a grid; each subject is judged after subjects
    of other shapes have filled the guards' memories."""
    for body in GRID_BODIES:
        for subject in GRID_SUBJECTS:
            for measure in Measure:
                for task in (False, True):
                    _authority_agrees(name, body, subject, measure, task)


def test_authority_guards_need_the_measure() -> None:
    decide = AUTHORITY["2025-07"][0]
    assert decide.check(tiny_context(Member("m-1"), CELL, {})) == guards.missing_reason("measure")
    assert decide.check(tiny_context(Member("m-1"), CELL, {"measure": "fine"})) == (
        "measure: unknown measure 'fine'; measures: reprimand, warning, removal_from_post, "
        "expulsion, dissolution"
    )


def test_suspension_authority_explains_a_refusal_with_the_real_subject() -> None:
    wf = suspension.party_activity_suspension(RULES)
    case = wf.open(Member("m-1"), at=at(2025, 9, 1), actor=CELL, case_id="DC-1")
    (decide,) = wf.candidates(case.state, wf.trigger_named("DECIDE_SUSPENSION"))
    guard = next(x for x in decide.guards if x.name == "authority")
    ctx = context(case, "DECIDE_SUSPENSION", CELL, {"grounds": ["obstructing"]})
    reason = check_authority(RULES, CELL, case.subject, Measure.EXPULSION).reason
    assert check_twice(guard, ctx) == f"the body that may impose expulsion may suspend: {reason}"
    assert check_twice(guard, context(case, "DECIDE_SUSPENSION", PROVINCIAL_UBKT, {})) is None


# ---------------------------------------------------------------------------- votes

VOTES = {name: guards.vote_carries(rules) for name, rules in RULESETS.items()}
DECISION_VOTES = {
    name: guards.vote_carries(rules, stage=VoteStage.DECISION) for name, rules in RULESETS.items()
}


@settings(max_examples=400, deadline=None)
@given(name=RULESET_NAMES, tally=tallies(), measure=MEASURES, body=BODIES, subject=MEMBERS)
def test_vote_guard_answers_as_check_vote(
    name: str, tally: VoteTally, measure: Measure, body: Body, subject: Member
) -> None:
    rules = RULESETS[name]
    ctx = tiny_context(subject, body, {"measure": measure.value, "vote": tally.to_payload()})
    failures = check_vote(rules, measure, tally, subject_id=subject.id, deciding_body=body)
    # Whether the subject voted is the subject_not_voting guard's question.
    reasons = [str(f) for f in failures if f.rule != "subject_excluded_from_vote"]
    expected = "; ".join(reasons) or None
    assert check_twice(VOTES[name], ctx) == expected
    majority = rules.rule("discipline_vote_majority").citation
    assert check_twice(DECISION_VOTES[name], ctx) == (
        expected
        if tally.stage is VoteStage.DECISION
        else f"a decision vote is needed here, got a proposal vote [{majority}]"
    )
    voted = subject.id in tally.voter_ids and rules.flag("subject_excluded_from_vote")
    assert (guards.subject_not_voting(rules).check(ctx) is None) is not voted


@settings(max_examples=500, deadline=None)
@given(payload=RAW_TALLIES)
def test_a_tally_reads_every_payload_as_from_payload_does(payload: dict[str, Any]) -> None:
    expected = outcome(lambda: VoteTally.from_payload(payload))
    for _ in range(2):
        assert outcome(lambda: guards.tally_of(payload, "vote")) == expected


BASE = {"eligible": 3, "in_favour": 2, "against": 1, "abstaining": 0}


@pytest.mark.parametrize("order", [1, -1], ids=["int first", "bool first"])
def test_a_tally_never_takes_a_bool_for_a_count(order: int) -> None:
    # 1 == True and hash(1) == hash(True): a memory keyed on values alone would mix these up.
    pairs = [
        ({"eligible": 1, "in_favour": 1, "against": 0, "abstaining": 0}, None),
        (
            {"eligible": True, "in_favour": 1, "against": 0, "abstaining": 0},
            "eligible: must be a whole number, got True",
        ),
        ({**BASE, "is_secret_ballot": True}, None),
        ({**BASE, "is_secret_ballot": 1}, "is_secret_ballot: must be true or false, got 1"),
        (types.MappingProxyType(dict(BASE)), None),
    ]
    for payload, error in pairs[::order]:
        if error is None:
            assert guards.tally_of(payload, "vote") == VoteTally.from_payload(payload)
        else:
            with pytest.raises(InputError, match=error):
                guards.tally_of(payload, "vote")


def test_a_tally_is_a_mapping() -> None:
    with pytest.raises(InputError, match=r"payload\.vote: expected a vote tally"):
        guards.tally_of([9, 7, 2, 0], "vote")


def test_tally_hash_is_stable_across_pickling() -> None:
    tally = VoteTally(9, 6, 3, 0, voter_ids={"a", "b", "c", "d", "e", "f", "g", "h", "i"})
    copy = pickle.loads(pickle.dumps(tally))
    assert copy == tally
    assert hash(copy) == hash(tally)
    assert hash(VoteTally(9, 6, 3, 0)) != hash(VoteTally(9, 6, 3, 0, stage=VoteStage.PROPOSAL))


@pytest.mark.parametrize("kind", [Measure, VoteStage, Level, BodyKind])
def test_enum_members_key_memories_across_pickling(kind: type[enum.Enum]) -> None:
    table = {member: member.value for member in kind}
    for member in kind:
        assert table[pickle.loads(pickle.dumps(member))] == member.value
        assert table[kind(member.value)] == member.value
        assert table[kind[member.name]] == member.value


# ---------------------------------------------------------------------------- limitation

RULES_UNDER_TEST = {**RULESETS, "own": OWN}
NOT_BARRED = {name: guards.not_time_barred(rules) for name, rules in RULES_UNDER_TEST.items()}
BARRED = {name: guards.time_barred(rules) for name, rules in RULES_UNDER_TEST.items()}
DAYS = st.dates(dt.date(2012, 1, 1), dt.date(2026, 12, 31))


def _in_force(name: str, violation_on: dt.date) -> Ruleset:
    """The rules a violation is judged by: for a built-in ruleset, the built-in one in force on
    the day of the violation (if any); an embedding system's own ruleset stays authoritative."""
    rules = RULES_UNDER_TEST[name]
    if name == "own":
        return rules
    return next((c for c in default_registry() if c.covers(violation_on)), rules)


@st.composite
def deferral_items(draw: st.DrawFn) -> dict[str, str]:
    start = draw(DAYS)
    end = start + dt.timedelta(days=draw(st.integers(-3, 400)))
    return {"start_on": start.isoformat(), "end_on": end.isoformat(), "reason": "ill"}


@settings(max_examples=400, deadline=None)
@given(
    name=st.sampled_from(sorted(RULES_UNDER_TEST)),
    measure=MEASURES,
    subject=st.sampled_from([Member("m-1"), Organisation("o-1", Level.PROVINCIAL)]),
    violation_on=DAYS,
    after=st.integers(-30, 6000),
    ended_after=st.one_of(st.none(), st.integers(0, 2000)),
    news_after=st.lists(st.integers(0, 4000), max_size=3),
    deferrals=st.lists(deferral_items(), max_size=2),
    category=st.sampled_from([None, "internal_politics", "illegal_diplomas", "bogus"]),
)
def test_limitation_guards_answer_as_check_limitation(
    name: str,
    measure: Measure,
    subject: Member | Organisation,
    violation_on: dt.date,
    after: int,
    ended_after: int | None,
    news_after: list[int],
    deferrals: list[dict[str, str]],
    category: str | None,
) -> None:
    day = violation_on + dt.timedelta(days=after)
    ended = None if ended_after is None else violation_on + dt.timedelta(days=ended_after)
    news = [violation_on + dt.timedelta(days=n) for n in news_after]
    payload: dict[str, Any] = {
        "measure": measure.value,
        "violation_on": violation_on.isoformat(),
        "new_violations_on": [d.isoformat() for d in news],
        "deferrals": deferrals,
    }
    if ended is not None:
        payload["violation_ended_on"] = ended.isoformat()
    if category is not None:
        payload["limitation_category"] = category
    ctx = tiny_context(subject, CELL, payload, on=day)
    rules = _in_force(name, violation_on)

    def direct() -> object:
        counted = rules.flag("limitation_excludes_deferral_time")
        return check_limitation(
            measure,
            SubjectKind.ORGANISATION if isinstance(subject, Organisation) else SubjectKind.MEMBER,
            violation_on=violation_on,
            on=max(day, violation_on),
            violation_ended_on=ended,
            new_violations_on=news,
            deferrals=[
                Deferral(
                    dt.date.fromisoformat(d["start_on"]),
                    dt.date.fromisoformat(d["end_on"]),
                    d["reason"],
                )
                for d in deferrals
            ]
            if counted
            else (),
            category=category,
            periods=LimitationPeriods(
                reprimand=rules.period("limitation_period_reprimand"),
                warning=rules.period("limitation_period_warning"),
                removal=rules.period("limitation_period_removal_from_post"),
                citation=rules.rule("limitation_period_reprimand").citation,
            ),
        )

    kind, result = outcome(direct)
    not_barred, barred = check_twice(NOT_BARRED[name], ctx), check_twice(BARRED[name], ctx)
    if kind != "value":
        assert not_barred == barred == result
        return
    assert isinstance(result, LimitationResult)
    why = f"{result.reason} [{result.citation}]"
    assert (not_barred, barred) == ((why, None) if result.time_barred else (None, why))


def test_limitation_guards_need_the_measure_and_the_day_of_the_violation() -> None:
    basis = RULES.rule("limitation_period_reprimand").citation
    guard = NOT_BARRED["2025-07"]
    assert guard.check(tiny_context(Member("m-1"), CELL, {})) == (
        f"{guards.missing_reason('measure')} [{basis}]"
    )
    assert guard.check(tiny_context(Member("m-1"), CELL, {"measure": "warning"})) == (
        f"{guards.missing_reason('violation_on')} (the limitation period runs from it) [{basis}]"
    )
    bad = {"measure": "warning", "violation_on": "2025-01-01", "new_violations_on": "2025-02-02"}
    assert guard.check(tiny_context(Member("m-1"), CELL, bad)) == (
        "payload.new_violations_on: expected a list of dates YYYY-MM-DD"
    )


def test_a_builtin_ruleset_judges_by_the_rules_in_force_on_the_violation_but_its_own_do_not() -> (
    None
):
    # Reprimand-level, violation on 1/3/2023, decided on 3/9/2025: 2 years and a half.
    payload = {"measure": "reprimand", "violation_on": "2023-03-01"}
    ctx = tiny_context(Member("m-1"), CELL, payload, on=dt.date(2025, 9, 3))
    assert check_twice(NOT_BARRED["2025-07"], ctx) is None  # 5 years (QĐ 69, 2022 rules)
    assert "time-barred" in (check_twice(NOT_BARRED["own"], ctx) or "")  # the province's 2


def test_deferral_spans_are_read_from_the_history_between_defer_and_resume() -> None:
    wf = discipline.member_discipline(RULES)
    case = wf.open(
        Member("m-1"), at=at(2025, 8, 1), actor=CELL, payload={"violation_on": "2025-07-20"}
    )
    case.fire("DEFER", at=at(2025, 8, 4), actor=CELL, payload={"reason": "pregnant"})
    case.fire("RESUME", at=at(2025, 9, 10), actor=CELL)
    case.fire("DEFER", at=at(2025, 9, 12), actor=CELL, payload={"reason": "pregnant"})
    ctx = context(case, "RESUME", CELL, {})
    (span,) = guards.deferrals_of(ctx)  # the open deferral is not a span yet
    assert (span.start_on, span.end_on, span.reason) == (
        dt.date(2025, 8, 4),
        dt.date(2025, 9, 10),
        "pregnant",
    )
    assert guards.deferrals_of(ctx, ("PAUSE", "UNPAUSE")) == []


# ---------------------------------------------------------------------------- end of effect


def test_end_of_effect_refusals_name_the_period_and_its_citation() -> None:
    can_end, never_ends = guards.measure_can_end(RULES), guards.measure_never_ends(RULES)
    period = RULES.period("end_of_effect_period")
    citation = RULES.rule("end_of_effect_period").citation
    warning = tiny_context(Member("m-1"), CELL, {"measure": "warning"})
    expulsion = tiny_context(Member("m-1"), CELL, {"measure": "expulsion"})
    assert check_twice(can_end, warning) is None
    assert check_twice(never_ends, expulsion) is None
    assert check_twice(never_ends, warning) == (
        f"a decision of warning ends automatically after {period}; only expulsion and "
        f"dissolution stay in force [{citation}]"
    )
    assert check_twice(can_end, expulsion) == (
        f"a decision of expulsion never ends automatically; only reprimand, warning and "
        f"removal from post end after {period} [{citation}]"
    )


# ---------------------------------------------------------------------------- bodies


def test_party_level_refuses_bodies_that_do_not_rank() -> None:
    assert guards.party_level(Body(BodyKind.POLITBURO, "bct")) is Level.CENTRAL
    with pytest.raises(InputError, match="not a party body"):
        guards.party_level(Body(BodyKind.STATE_AGENCY, "court"))
    with pytest.raises(InputError, match="needs a level"):
        guards.body_rank(Body(BodyKind.STANDING_COMMITTEE, "btv"))
    assert guards.body_level(Body(BodyKind.STANDING_COMMITTEE, "btv")) is None


def test_party_body_refusal_names_its_basis() -> None:
    guard = guards.party_body()
    court = Body(BodyKind.STATE_AGENCY, "court")
    assert guard.check(tiny_context(Member("m-1"), CELL, {})) is None
    assert guard.check(tiny_context(Member("m-1"), court, {})) == (
        f"state_agency:court is not a party body; only party bodies do this "
        f"[{guards.PARTY_BODIES_ONLY}]"
    )


def test_an_extension_guard_needs_a_rule_with_a_policy() -> None:
    rule = DeadlineRule("period", Period.parse("30 days"), starts_on_trigger=T.CLOSE)
    with pytest.raises(InputError, match="no extension policy"):
        guards.extension_within(rule)


def test_inspecting_body_compares_bodies_by_value() -> None:
    wf = inspection.inspection(RULES)
    case = wf.open(Member("m-1"), at=at(2025, 9, 1), actor=PROVINCIAL_UBKT)
    case.fire(
        "DECIDE_INSPECTION",
        at=at(2025, 9, 2),
        actor=PROVINCIAL_UBKT,
        payload={"plan": "KH-1", "team": ["a"]},
    )
    (stop,) = wf.candidates(case.state, wf.trigger_named("STOP"))
    guard = next(x for x in stop.guards if x.name == "inspecting_body")
    twin = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
    assert twin is not PROVINCIAL_UBKT
    assert guard.check(context(case, "STOP", twin, {})) is None
    assert "which decided it" in (guard.check(context(case, "STOP", CELL, {})) or "")


# ---------------------------------------------------------------------------- complaints

COMPLAINT = complaint.complaint(RULES)
_ACCEPTS = COMPLAINT.candidates(complaint.ComplaintState.FILED, COMPLAINT.trigger_named("ACCEPT"))
COMPETENT = next(g for g in _ACCEPTS[0].guards if g.name == "competent_resolver")
RESOLVER_KINDS = frozenset(
    {
        BodyKind.INSPECTION_COMMISSION,
        BodyKind.STANDING_COMMITTEE,
        BodyKind.GRASSROOTS_COMMITTEE,
        BodyKind.COMMITTEE,
        BodyKind.SECRETARIAT,
        BodyKind.POLITBURO,
        BodyKind.CENTRAL_COMMITTEE,
    }
)


def _filed(decided_by: object, **more: Any) -> Case[Any, Any]:
    payload = {
        "filed_on": "2025-09-12",
        "decision_received_on": "2025-09-08",
        "measure": "warning",
        "decided_by": decided_by,
        **more,
    }
    return COMPLAINT.open(
        Member("m-1"), at=at(2025, 9, 15), actor=Body(BodyKind.PERSON, "m-1"), payload=payload
    )


def _next_step_reference(previous: Body, actor: Body) -> str | None:
    """The complaint levels read plainly: a resolver, above the previous body, at a level of
    the ruleset, skipping none (QĐ 22 Điều 22 as amended by QĐ 262)."""
    basis = COMPETENT.basis
    if actor.kind not in RESOLVER_KINDS:
        kinds = ", ".join(sorted(k.value for k in RESOLVER_KINDS))
        return f"{actor} does not resolve complaints about discipline; resolvers: {kinds} [{basis}]"
    if guards.body_rank(actor) <= guards.body_rank(previous):
        return f"{actor} does not stand above {previous}; a complaint goes up [{basis}]"
    here, there = guards.party_level(previous), guards.party_level(actor)
    if there is Level.DISTRICT:  # the 2025-07 rules have no district level
        return f"{actor} is at a level that does not exist under ruleset {RULES.name} [{basis}]"
    ladder = [Level.GRASSROOTS, Level.PROVINCIAL, Level.CENTRAL]
    start = ladder.index(here) if here in ladder else 0
    if ladder.index(there) > start + 1:
        return (
            f"{actor} skips the {ladder[start + 1].value} level above {previous}; complaints go "
            f"up one level at a time [{basis}]"
        )
    return None


@settings(max_examples=300, deadline=None)
@given(previous=BODIES, actor=BODIES)
def test_the_competent_resolver_is_the_next_level_up(previous: Body, actor: Body) -> None:
    decided_by = {
        "kind": previous.kind.value,
        "id": previous.id,
        "level": None if previous.level is None else previous.level.value,
    }
    ctx = context(_filed(decided_by), "ACCEPT", actor, {})
    # A body that does not rank (not a party body, or no level) is refused with the reason.
    _, expected = outcome(lambda: _next_step_reference(previous, actor))
    assert check_twice(COMPETENT, ctx) == expected


@pytest.mark.parametrize(
    ("value", "same_as"),
    [
        ({"kind": "party_cell", "id": "cell-7", "level": None}, None),
        ({"kind": "inspection_commission", "id": "ubkt-t", "level": "provincial"}, None),
        ({"kind": "politburo"}, {"kind": "politburo", "id": "politburo", "level": None}),
        (
            {"kind": "committee", "id": 5, "level": "central"},
            {"kind": "committee", "id": "5", "level": "central"},
        ),
        (
            {"kind": "committee", "id": "", "level": "central"},
            {"kind": "committee", "id": "committee", "level": "central"},
        ),
        ({"kind": "bogus", "id": "x"}, "error"),
        ({"kind": "committee", "level": "galaxy"}, "error"),
        ("x", "error"),
    ],
)
def test_the_deciding_body_reads_every_spelling(value: object, same_as: object) -> None:
    actors = [
        Body(BodyKind.INSPECTION_COMMISSION, "ubkt-x", Level.GRASSROOTS),
        Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL),
        Body(BodyKind.CENTRAL_COMMITTEE, "tw"),
    ]
    for actor in actors:
        verdict = check_twice(COMPETENT, context(_filed(value), "ACCEPT", actor, {}))
        if same_as == "error":
            assert (verdict or "").startswith("payload.decided_by: ")
        elif same_as is not None:
            assert verdict == COMPETENT.check(context(_filed(same_as), "ACCEPT", actor, {}))


def test_the_complaint_window_counts_working_days_from_the_day_the_decision_was_received() -> None:
    class Move(enum.Enum):
        ACCEPT = "accept"

    window = DeadlineRule("window", Period.parse("30 working days"), starts_on_trigger=Move.ACCEPT)
    hours = DeadlineRule("window", Period.parse("48 hours"), starts_on_trigger=Move.ACCEPT)
    in_time, late = guards.admissible(RULES, window), guards.not_admissible(RULES, window)
    # 30 working days after Fri 29/8/2025 (the day itself not counted, Civil Code art. 147):
    # Mon 1/9 and Tue 2/9 are off (National Day, LC 2019 art. 112), so Wed 3/9 is the first and
    # the 30th is Tue 14/10 (3 + 5 x 5 in the weeks to 10/10, then 13/10 and 14/10).
    for hour in (9, 23):  # the move's instant does not change a day-counted window's end
        for filed, admitted in (("2025-10-14", True), ("2025-10-15", False)):
            case = _filed(
                {"kind": "party_cell", "id": "cell-7", "level": None},
                filed_on=filed,
                decision_received_on="2025-08-29",
            )
            ctx = GuardContext(
                case, Move.ACCEPT, case.state, case.state, at(2025, 10, 16, hour), CELL, {}
            )
            if admitted:
                assert (check_twice(in_time, ctx), late.check(ctx) is not None) == (None, True)
            else:
                # refused by the window rule of the ruleset in force, with its last day
                assert check_twice(in_time, ctx) == (
                    "the complaint is not accepted: filed_out_of_time: sent on 2025-10-15, "
                    "after 2025-10-14, the last day of the window of 30 working days from "
                    "receiving the decision on 2025-08-29 [Điều lệ Đảng (2011) Điều 39 khoản 7 "
                    "(verified)]"
                )
                assert late.check(ctx) is None
            # Any window: the grounds say out of time exactly when the window, started on the
            # day received, ends before the day filed.
            for rule in (window, hours):
                due = Deadline.start(
                    rule,
                    started_at=ctx.at,
                    start_on=dt.date(2025, 8, 29),
                    calendar=COMPLAINT.get_calendar(),
                ).due_on
                out_of_time = dt.date.fromisoformat(filed) > due
                grounds = guards.not_accepted_grounds(RULES, rule)(ctx)
                assert grounds == (["filed_out_of_time"] if out_of_time else [], None)


# ---------------------------------------------------------------------------- payload


@pytest.mark.parametrize(
    "value", [None, "", [], {}, 0, 0.0, False, "x", " ", [0], {"a": None}, True, 1, [[]]]
)
def test_a_required_value_is_missing_exactly_when_it_is_none_or_empty(value: object) -> None:
    guard = guards.requires("action", "reason", name="given", what="the move")
    ctx: Any = types.SimpleNamespace(payload={"action": value, "reason": "r"})
    expected_missing = value in (None, "", [], {})
    reason = guard.check(ctx)
    assert (reason is not None) is expected_missing
    if expected_missing:
        assert reason == "the move needs payload 'action'"
    both: Any = types.SimpleNamespace(payload={"reason": value})
    assert guard.check(both) == (
        "the move needs payload 'action', 'reason'"
        if expected_missing
        else "the move needs payload 'action'"
    )


# ---------------------------------------------------------------------------- values guards read


def test_typed_rule_values_are_read_and_still_checked() -> None:
    rules = RULESETS["2026"]
    first = rules.period("complaint_window")
    assert rules.period("complaint_window") == first
    for _ in range(2):
        with pytest.raises(InvalidRuleError, match="holds a period, not a flag"):
            rules.flag("complaint_window")
    local = rules.override("complaint_window", "30 days", source="Province", reason="local")
    assert local.period("complaint_window") == Period.parse("30 days")
    assert rules.period("complaint_window") == first != Period.parse("30 days")
    assert isinstance(local, Ruleset)
    assert local.rule("complaint_window").status.value == "overridden"


def test_parsed_periods_equal_a_fresh_parse_and_bad_texts_are_refused_every_time() -> None:

    class Text(str):
        pass

    first = Period.parse("17 Working Days")
    assert first == Period(17, Unit.WORKING_DAYS)
    assert Period.parse("17 Working Days") == first
    assert Period.parse(Text("17 working days")) == first
    for _ in range(2):
        with pytest.raises(InvalidPeriodError, match="thirty days"):
            Period.parse("thirty days")


# ---------------------------------------------------------------------------- the package


def test_the_package_exports_every_public_guard_documented_and_sorted() -> None:

    def order(name: str) -> tuple[int, str]:
        if name.isupper():
            return (0, name)
        return (1 if name[0].isupper() else 2, name)

    names = guards.__all__
    assert names == sorted(names, key=order)
    modules = (
        "admissibility",
        "authority",
        "bodies",
        "eras",
        "extension",
        "limitation",
        "measure_end",
        "payload",
        "voting",
    )
    exported: set[str] = set()
    for module_name in modules:
        module = importlib.import_module(f"discipline_flow.processes.guards.{module_name}")
        assert inspect.getdoc(module), module_name
        exported |= set(module.__all__)
    assert exported == set(names)
    for name in names:
        value = getattr(guards, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
