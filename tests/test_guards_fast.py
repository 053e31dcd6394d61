"""The memos and shortcuts that keep the process guards cheap give the answers of the slow path.

Each test compares a memoised helper with the computation it stands for, calls it twice (the
second call is answered by the memo), and checks that errors are never remembered.
"""

from __future__ import annotations

import datetime as dt
import enum
import pickle
import types
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation
from discipline_flow.errors import DisciplineFlowError, InputError, InvalidRuleError
from discipline_flow.processes import _guards as g
from discipline_flow.processes import complaint, discipline, inspection, suspension
from discipline_flow.rules import (
    Measure,
    Ruleset,
    VoteStage,
    VoteTally,
    check_authority,
    default_registry,
)
from discipline_flow.time.limitation import SubjectKind, ViolationLevel, check_limitation
from discipline_flow.time.period import Period
from discipline_flow.workflow import GuardContext

TZ = "Asia/Ho_Chi_Minh"
RULESETS = {r.name: r for r in default_registry()}
RULES = RULESETS["2025-07"]
CELL = Body(BodyKind.PARTY_CELL, "cell-7")
PROVINCIAL_UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)


def at(year: int, month: int, day: int, hour: int = 9) -> pendulum.DateTime:
    """An instant in Hanoi time."""
    return pendulum.datetime(year, month, day, hour, tz=TZ)


def outcome(call: Any) -> tuple[str, Any]:
    """What a call gives: its value, or the type and text of the error it raises."""
    try:
        return ("value", call())
    except DisciplineFlowError as exc:
        return (type(exc).__name__, str(exc))


def context(case: Case[Any, Any], trigger: str, actor: Body, payload: dict[str, Any]) -> Any:
    trig = case.workflow.trigger_named(trigger)
    return GuardContext(case, trig, case.state, case.state, case.last_at, actor, payload)


# ---------------------------------------------------------------------------- vote tallies

BASE = {"eligible": 3, "in_favour": 2, "against": 1, "abstaining": 0}
TALLIES: list[Any] = [
    BASE,
    {**BASE, "stage": "proposal"},
    {**BASE, "stage": "decision", "is_secret_ballot": False, "voter_ids": []},
    {**BASE, "voter_ids": ["a", "b", "c"]},
    {**BASE, "voter_ids": ("c", "b", "a"), "is_secret_ballot": True},
    # 1 == True and hash(1) == hash(True): a memo keyed on values alone would mix these up.
    {**BASE, "is_secret_ballot": True},
    {**BASE, "is_secret_ballot": 1},
    {"eligible": 1, "in_favour": 1, "against": 0, "abstaining": 0},
    {"eligible": True, "in_favour": 1, "against": 0, "abstaining": 0},
    {"eligible": 1, "in_favour": True, "against": 0, "abstaining": 0},
    {"eligible": 3.0, "in_favour": 2, "against": 1, "abstaining": 0},
    {**BASE, "stage": "bogus"},
    {**BASE, "voter_ids": ["a", "a", "b"]},
    {**BASE, "voter_ids": ["a", 1, "b"]},
    {**BASE, "voter_ids": "abc"},
    {**BASE, "voter_ids": None},
    {**BASE, "colour": "red"},
    {"eligible": 9},
    {"eligible": 2, "in_favour": 2, "against": 1, "abstaining": 0},
    types.MappingProxyType(dict(BASE)),
]


@pytest.mark.parametrize("order", [1, -1], ids=["forward", "backward"])
def test_tally_memo_reads_every_form_as_from_payload_does(order: int) -> None:
    """Whatever was read before, each payload gives what ``VoteTally.from_payload`` gives."""
    g._TALLIES.clear()
    for payload in TALLIES[::order]:
        expected = outcome(lambda p=payload: VoteTally.from_payload(p))
        assert outcome(lambda p=payload: g._tally(p, "vote")) == expected, payload
        assert outcome(lambda p=payload: g._tally(p, "vote")) == expected, payload


def test_tally_memo_refuses_a_bool_count_after_the_int_one() -> None:
    g._tally({"eligible": 1, "in_favour": 1, "against": 0, "abstaining": 0}, "vote")
    with pytest.raises(InputError, match="eligible: must be a whole number, got True"):
        g._tally({"eligible": True, "in_favour": 1, "against": 0, "abstaining": 0}, "vote")
    g._tally({**BASE, "is_secret_ballot": True}, "vote")
    with pytest.raises(InputError, match="is_secret_ballot: must be true or false, got 1"):
        g._tally({**BASE, "is_secret_ballot": 1}, "vote")


def test_tally_memo_shares_one_tally_per_form() -> None:
    first = g._tally(VoteTally(9, 7, 2, 0).to_payload(), "vote")
    assert g._tally({"eligible": 9, "in_favour": 7, "against": 2, "abstaining": 0}, "vote") is first
    with pytest.raises(InputError, match=r"payload\.vote: expected a vote tally"):
        g._tally([9, 7, 2, 0], "vote")


def test_tally_hash_is_cached_and_stable() -> None:
    tally = VoteTally(9, 6, 3, 0, voter_ids={"a", "b", "c", "d", "e", "f", "g", "h", "i"})
    copy = pickle.loads(pickle.dumps(tally))
    assert copy == tally
    assert hash(copy) == hash(tally)
    assert hash(VoteTally(9, 6, 3, 0)) != hash(VoteTally(9, 6, 3, 0, stage=VoteStage.PROPOSAL))


def test_measures_and_stages_hash_by_identity_and_survive_pickling() -> None:
    # Identity hashing is cheap (no Python call); it is sound because members are singletons.
    assert Measure.__dict__["__hash__"] is object.__hash__
    assert VoteStage.__dict__["__hash__"] is object.__hash__
    table = {measure: measure.severity for measure in Measure}
    assert table[pickle.loads(pickle.dumps(Measure.EXPULSION))] == 4
    assert table[Measure("warning")] == 2
    assert table[Measure["REPRIMAND"]] == 1
    assert pickle.loads(pickle.dumps(VoteStage.PROPOSAL)) in {VoteStage.PROPOSAL}


# ---------------------------------------------------------------------------- authority

BODIES = [
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
SUBJECTS: list[Member | Organisation] = [
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
]


@pytest.mark.parametrize("name", ["2022", "2025-07"])
def test_authority_flags_answer_as_check_authority(name: str) -> None:
    """The memo is keyed on the subject's shape; each answer is the real subject's."""
    rules = RULESETS[name]
    for body in BODIES:
        for subject in SUBJECTS:
            for measure in Measure:
                for task in (False, True):

                    def direct(
                        b: Body = body, s: Any = subject, m: Measure = measure, t: bool = task
                    ) -> tuple[bool, bool, bool]:
                        d = check_authority(rules, b, s, m, higher_assigned_task=t)
                        return (d.allowed, d.proposal_only, d.needs_approval)

                    def flags(
                        b: Body = body, s: Any = subject, m: Measure = measure, t: bool = task
                    ) -> tuple[bool, ...]:
                        return g.authority_flags(rules, b, s, m, higher_assigned_task=t)

                    expected = outcome(direct)
                    assert outcome(flags) == expected, (body, subject, measure, task)
                    assert outcome(flags) == expected, (body, subject, measure, task)


def test_suspension_authority_uses_the_memo_and_explains_a_refusal() -> None:
    wf = suspension.party_activity_suspension(RULES)
    case = wf.open(Member("m-1"), at=at(2025, 9, 1), actor=CELL, case_id="DC-1")
    (decide,) = wf.candidates(case.state, wf.trigger_named("DECIDE_SUSPENSION"))
    guard = next(x for x in decide.guards if x.name == "authority")
    ctx = context(case, "DECIDE_SUSPENSION", CELL, {"grounds": ["obstructing"]})
    reason = check_authority(RULES, CELL, case.subject, Measure.EXPULSION).reason
    for _ in range(2):
        assert guard.check(ctx) == f"the body that may impose expulsion may suspend: {reason}"
        assert guard.check(context(case, "DECIDE_SUSPENSION", PROVINCIAL_UBKT, {})) is None


# ---------------------------------------------------------------------------- limitation


def test_limitation_ruleset_is_the_one_in_force_on_the_violation_for_builtin_rulesets() -> None:
    for _ in range(2):
        assert g._limitation_ruleset(RULES, dt.date(2023, 3, 1)) is RULESETS["2022"]
        assert g._limitation_ruleset(RULES, dt.date(2025, 8, 1)) is RULES
        assert g._limitation_ruleset(RULES, dt.date(2010, 1, 1)) is RULES  # none in force
    own = RULES.override("complaint_window", "30 days", source="Province", reason="local")
    for _ in range(2):
        assert g._limitation_ruleset(own, dt.date(2023, 3, 1)) is own


def test_limitation_memo_answers_as_check_limitation() -> None:
    # Both subjects in one test, so that each is judged after the other has filled the memo:
    # removal from post applies to a member, not to an organisation.
    for subject in (Member("m-1"), Organisation("o-1", Level.PROVINCIAL), Member("m-2")):
        _check_limitation_memo(subject)


def _check_limitation_memo(subject: Member | Organisation) -> None:
    wf = discipline.member_discipline(RULES)
    case = wf.open(subject, at=at(2025, 9, 3), actor=CELL, payload={"violation_on": "2024-08-20"})
    payloads: list[dict[str, Any]] = [
        {"measure": "warning"},
        {"measure": "reprimand", "violation_ended_on": "2024-09-01"},
        {"measure": "removal_from_post", "new_violations_on": ["2025-01-02"]},
        {"measure": "expulsion", "limitation_category": "internal_politics"},
        {
            "measure": "reprimand",
            "deferrals": [{"start_on": "2024-09-01", "end_on": "2025-03-01", "reason": "ill"}],
        },
    ]
    kind = SubjectKind.ORGANISATION if isinstance(subject, Organisation) else SubjectKind.MEMBER
    periods, _ = g._periods_of(RULES)
    for payload in payloads:
        ctx = context(case, "DECIDE", CELL, payload)
        measure = Measure(payload["measure"])
        deferrals = g._deferrals(ctx, ("DEFER", "RESUME"))
        expected = outcome(
            lambda p=payload, m=measure, d=deferrals: check_limitation(
                ViolationLevel(m.value.replace("_from_post", "")),
                kind,
                violation_on=dt.date(2024, 8, 20),
                on=dt.date(2025, 9, 3),
                violation_ended_on=(
                    dt.date.fromisoformat(p["violation_ended_on"])
                    if "violation_ended_on" in p
                    else None
                ),
                new_violations_on=[
                    dt.date.fromisoformat(x) for x in p.get("new_violations_on", [])
                ],
                deferrals=d,
                category=p.get("limitation_category"),
                periods=periods,
            )
        )
        assert outcome(lambda c=ctx: g.limitation_of(RULES, c)) == expected
        assert outcome(lambda c=ctx: g.limitation_of(RULES, c)) == expected


def test_limitation_spans_between_defer_and_resume_steps_are_read_from_the_history() -> None:
    wf = discipline.member_discipline(RULES)
    case = wf.open(
        Member("m-1"), at=at(2025, 8, 1), actor=CELL, payload={"violation_on": "2025-07-20"}
    )
    case.fire("DEFER", at=at(2025, 8, 4), actor=CELL, payload={"reason": "pregnant"})
    case.fire("RESUME", at=at(2025, 9, 10), actor=CELL)
    ctx = context(case, "DECIDE", CELL, {"measure": "warning"})
    (span,) = g._deferrals(ctx, ("DEFER", "RESUME"))
    assert (span.start_on, span.end_on, span.reason) == (
        dt.date(2025, 8, 4),
        dt.date(2025, 9, 10),
        "pregnant",
    )
    assert g._deferrals(ctx, ("PAUSE", "UNPAUSE")) == []


# ---------------------------------------------------------------------------- rulesets


def test_typed_rule_values_are_remembered_and_still_checked() -> None:
    rules = RULESETS["2026"]
    first = rules.period("complaint_window")
    assert rules.period("complaint_window") is first
    for _ in range(2):
        with pytest.raises(InvalidRuleError, match="holds a period, not a flag"):
            rules.flag("complaint_window")
    local = rules.override("complaint_window", "30 days", source="Province", reason="local")
    assert local.period("complaint_window") == Period.parse("30 days")
    assert rules.period("complaint_window") == first != Period.parse("30 days")
    assert isinstance(local, Ruleset)
    assert local.rule("complaint_window").status.value == "overridden"


# ---------------------------------------------------------------------------- process guards


def test_end_of_effect_refusals_are_built_once_and_read_the_same() -> None:
    can_end, never_ends = g.measure_can_end(RULES), g.measure_never_ends(RULES)
    wf = discipline.member_discipline(RULES)
    case = wf.open(Member("m-1"), at=at(2025, 9, 3), actor=CELL)
    period = RULES.period("end_of_effect_period")
    citation = RULES.rule("end_of_effect_period").citation
    for _ in range(2):
        warning = context(case, "END_EFFECT", CELL, {"measure": "warning"})
        expulsion = context(case, "END_EFFECT", CELL, {"measure": "expulsion"})
        assert can_end.check(warning) is None
        assert never_ends.check(expulsion) is None
        assert never_ends.check(warning) == (
            f"a decision of warning ends automatically after {period}; only expulsion and "
            f"dissolution stay in force [{citation}]"
        )
        assert can_end.check(expulsion) == (
            f"a decision of expulsion never ends automatically; only reprimand, warning and "
            f"removal from post end after {period} [{citation}]"
        )


def test_last_named_step_is_the_latest_one() -> None:
    wf = discipline.member_discipline(RULES)
    case = wf.open(
        Member("m-1"), at=at(2025, 9, 1), actor=CELL, payload={"violation_on": "2025-08-20"}
    )
    assert discipline._last_named(case, "DEFER") is None
    case.fire("DEFER", at=at(2025, 9, 2), actor=CELL, payload={"reason": "pregnant"})
    case.fire("RESUME", at=at(2025, 9, 3), actor=CELL)
    case.fire("DEFER", at=at(2025, 9, 4), actor=CELL, payload={"reason": "pregnant"})
    assert discipline._last_named(case, "DEFER") == 3
    assert discipline._last_named(case, "RESUME") == 2
    assert discipline._decider(case) is None


def test_inspecting_body_compares_bodies_by_value() -> None:
    wf = inspection.inspection(RULES)
    case = wf.open(Member("m-1"), at=at(2025, 9, 1), actor=PROVINCIAL_UBKT)
    case.fire(
        "DECIDE_INSPECTION",
        at=at(2025, 9, 2),
        actor=PROVINCIAL_UBKT,
        payload={"plan": "KH-1", "team": ["a"]},
    )
    guard = inspection._inspecting_body(inspection.PROCEDURE_BASIS)
    twin = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-t", Level.PROVINCIAL)
    assert twin is not PROVINCIAL_UBKT
    assert guard.check(context(case, "CONCLUDE", twin, {})) is None
    assert "which decided it" in (guard.check(context(case, "CONCLUDE", CELL, {})) or "")


@pytest.mark.parametrize(
    "value",
    [
        {"kind": "party_cell", "id": "cell-7", "level": None},
        {"kind": "inspection_commission", "id": "ubkt-t", "level": "provincial"},
        {"kind": "politburo"},
        {"kind": "committee", "id": 5, "level": "central"},
        {"kind": "committee", "id": "", "level": "central"},
        {"kind": "bogus", "id": "x"},
        {"kind": "committee", "level": "galaxy"},
        {"kind": BodyKind.SECRETARIAT},
        "x",
    ],
)
def test_deciding_body_memo_reads_as_the_plain_reader(value: Any) -> None:
    def plain() -> Body:
        if not isinstance(value, dict):
            raise InputError(
                "payload.decided_by", "expected {kind, id, level} of the deciding body"
            )
        return complaint._read_body(value)

    expected = outcome(plain)
    assert outcome(lambda: complaint._body_from(value)) == expected
    assert outcome(lambda: complaint._body_from(value)) == expected


def test_next_step_memo_answers_as_next_step_and_forgets_errors() -> None:
    basis = complaint.FINAL_LEVEL_BASIS
    next_step = complaint._next_step_memo(RULES, basis)
    for previous in BODIES:
        for actor in BODIES:

            def direct(p: Body = previous, a: Body = actor) -> str | None:
                return complaint._next_step(RULES, p, a, basis)

            expected = outcome(direct)
            assert outcome(lambda p=previous, a=actor: next_step(p, a)) == expected
            assert outcome(lambda p=previous, a=actor: next_step(p, a)) == expected


def test_parsed_periods_are_remembered_and_equal_a_fresh_parse() -> None:
    from discipline_flow.errors import InvalidPeriodError
    from discipline_flow.time import period as period_module
    from discipline_flow.time.period import Unit

    class Text(str):
        pass

    first = Period.parse("17 Working Days")
    assert first == Period(17, Unit.WORKING_DAYS)
    assert Period.parse("17 Working Days") is first  # remembered
    assert Period.parse(Text("17 working days")) == first  # a str subclass is parsed afresh
    assert Text("17 working days") not in period_module._PARSED
    for _ in range(2):  # a bad text is refused every time, never remembered
        with pytest.raises(InvalidPeriodError, match="thirty days"):
            Period.parse("thirty days")
    assert "thirty days" not in period_module._PARSED
    assert len(period_module._PARSED) <= period_module._PARSED_MAX


def test_complaint_window_end_is_remembered_per_rule_calendar_and_day() -> None:
    from discipline_flow.time import DeadlineRule, default_calendar

    class Move(enum.Enum):
        ANNOUNCE = "announce"

    calendar = default_calendar()
    days = DeadlineRule("window", Period.parse("30 working days"), starts_on_trigger=Move.ANNOUNCE)
    hours = DeadlineRule("window", Period.parse("48 hours"), starts_on_trigger=Move.ANNOUNCE)
    for hour in (9, 23):  # the move's instant does not change a day-counted window's end
        ctx: Any = types.SimpleNamespace(
            at=at(2025, 9, 10, hour),
            case=types.SimpleNamespace(
                workflow=types.SimpleNamespace(get_calendar=lambda: calendar)
            ),
        )
        for received in (dt.date(2025, 8, 29), dt.date(2025, 9, 1)):
            for window in (days, hours):
                expected = window.start(
                    started_at=ctx.at, start_on=received, calendar=calendar
                ).due_on
                assert complaint._window_due(window, received, ctx) == expected
                assert complaint._window_due(window, received, ctx) == expected
    # 30 working days after Fri 29/8/2025 (the day itself not counted, Civil Code art. 147):
    # Mon 1/9 and Tue 2/9 are off (National Day, LC 2019 art. 112), so Wed 3/9 is the first and
    # the 30th is Tue 14/10 (3 + 5 x 5 in the weeks to 10/10, then 13/10 and 14/10).
    assert complaint._window_due(days, dt.date(2025, 8, 29), ctx) == dt.date(2025, 10, 14)


@pytest.mark.parametrize(
    "value", [None, "", [], {}, 0, 0.0, False, "x", " ", [0], {"a": None}, True, 1, [[]]]
)
def test_a_required_value_is_missing_exactly_when_it_is_none_or_empty(value: object) -> None:
    """``requires`` skips building its list when every key is given; it must judge each value
    as ``value in (None, "", [], {})`` does."""
    guard = g.requires("action", "reason", name="given", what="the move")
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
