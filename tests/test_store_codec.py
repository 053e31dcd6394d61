"""What stores write and read back: random cases round-trip on every store, deadlines keep their
explanations whether or not their trace is stored, and text a store cannot hold is refused with
the place named."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import hypothesis.strategies as st
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings

from conftest_store import REPLY, RequestTrigger, Stores, kind_params, stores_fixture
from discipline_flow import (
    Body,
    BodyKind,
    Case,
    Level,
    Member,
    Organisation,
    Period,
    Transition,
    Workflow,
)
from discipline_flow.errors import DisciplineFlowError, InputError
from discipline_flow.serialization import WorkflowRegistry, case_to_dict
from discipline_flow.time import CalendarEntry, DayKind, VietnamCalendar
from discipline_flow.time.deadline import DeadlineRule, ExtensionPolicy

TZ = "Asia/Ho_Chi_Minh"


class Ledger(enum.Enum):
    RECEIVED = "received"
    OPEN = "open"
    CLOSED = "closed"


class LedgerTrigger(enum.Enum):
    ACCEPT = "accept"
    NOTE = "note"
    HOLD = "hold"
    RESUME = "resume"
    EXTEND = "extend"
    ANSWER = "answer"


def _ledger(calendar: VietnamCalendar | None = None) -> Workflow[Ledger, LedgerTrigger]:
    return Workflow(
        name="ledger",
        version="1",
        states=Ledger,
        triggers=LedgerTrigger,
        initial=Ledger.RECEIVED,
        terminal={Ledger.CLOSED},
        transitions=[
            Transition(LedgerTrigger.ACCEPT, Ledger.RECEIVED, Ledger.OPEN),
            Transition(LedgerTrigger.NOTE, (Ledger.RECEIVED, Ledger.OPEN), Ledger.OPEN),
            Transition(LedgerTrigger.HOLD, Ledger.OPEN, Ledger.OPEN),
            Transition(LedgerTrigger.RESUME, Ledger.OPEN, Ledger.OPEN),
            Transition(LedgerTrigger.EXTEND, Ledger.OPEN, Ledger.OPEN),
            Transition(LedgerTrigger.ANSWER, Ledger.OPEN, Ledger.CLOSED),
        ],
        deadline_rules=[
            # dated from the payload when it says when the request was received
            DeadlineRule(
                "answer",
                Period.parse("10 working days"),
                starts_on_trigger=LedgerTrigger.ACCEPT,
                start_date_key="received_on",
                paused_by={LedgerTrigger.HOLD},
                resumed_by={LedgerTrigger.RESUME},
                extended_by=LedgerTrigger.EXTEND,
                extension=ExtensionPolicy(max_count=3, reason_required=False),
                cap=Period.parse("3 months"),
                met_by={LedgerTrigger.ANSWER},
            ),
            DeadlineRule("report", Period.parse("5 days"), starts_on_trigger=LedgerTrigger.ACCEPT),
            DeadlineRule(
                "effect", Period.parse("12 months"), starts_on_trigger=LedgerTrigger.ANSWER
            ),
        ],
        calendar=calendar,
    )


LEDGER = _ledger()
REGISTRY = WorkflowRegistry([LEDGER, REPLY])
#: A province's own day off: deadlines recalculated with it do not recompute with the default
#: calendar, so their trace is stored.
PROVINCE = VietnamCalendar(
    extra=[CalendarEntry(dt.date(2025, 3, 5), DayKind.LOCAL_DAY_OFF, "Province day")]
)


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _explained(case: Case[Any, Any]) -> list[str]:
    return [d.explain().text() for d in case.deadlines]


def _assert_same(loaded: Case[Any, Any], case: Case[Any, Any]) -> None:
    assert (loaded.id, loaded.workflow, loaded.state) == (case.id, case.workflow, case.state)
    assert loaded.subject == case.subject
    assert loaded.origin == case.origin
    assert loaded.steps == case.steps
    assert loaded.deadlines == case.deadlines
    assert _explained(loaded) == _explained(case)
    assert case_to_dict(loaded) == case_to_dict(case)


# --------------------------------------------------------------------------- random cases

_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8)
_LEVELS = st.none() | st.sampled_from(list(Level))


@st.composite
def _subjects(draw: st.DrawFn) -> Member | Organisation:
    ident = draw(_TEXT)
    if draw(st.booleans()):
        return Member(
            ident,
            name=draw(st.none() | _TEXT),
            cell_id=draw(st.none() | _TEXT),
            is_probationary=draw(st.booleans()),
            holds_post=draw(st.booleans()),
            committee_level=draw(_LEVELS),
            managed_by=draw(_LEVELS),
        )
    return Organisation(
        ident, draw(st.sampled_from(list(Level))), draw(st.none() | _TEXT), draw(st.none() | _TEXT)
    )


_ACTORS = st.builds(
    Body,
    st.sampled_from(list(BodyKind)),
    _TEXT,
    _LEVELS,
    st.none() | _TEXT,
)
_PAYLOADS = st.dictionaries(
    _TEXT,
    st.none() | st.booleans() | st.integers() | _TEXT | st.lists(st.integers(), max_size=3),
    max_size=3,
)
_MOVES = st.lists(
    st.tuples(
        st.sampled_from(list(LedgerTrigger)),
        st.integers(min_value=1, max_value=24 * 20),  # hours after the step before
        _ACTORS,
        _PAYLOADS,
        st.integers(min_value=0, max_value=3),  # received so many days before (ACCEPT)
    ),
    max_size=8,
)


def _random_case(
    subject: Member | Organisation,
    start: dt.datetime,
    moves: list[tuple[LedgerTrigger, int, Body, dict[str, Any], int]],
    recalculate: bool,
) -> Case[Ledger, LedgerTrigger]:
    case = LEDGER.open(
        subject, at=start, actor="person:clerk", case_id=f"L-{uuid.uuid4().hex[:10]}"
    )
    at = start
    for trigger, hours, actor, payload, days in moves:
        at = at + dt.timedelta(hours=hours)
        data = dict(payload)
        if trigger is LedgerTrigger.ACCEPT and days:
            data["received_on"] = (at - dt.timedelta(days=days)).date().isoformat()
        if trigger is LedgerTrigger.EXTEND:
            data["extend_by"] = f"{days + 1} working days"
        with contextlib.suppress(DisciplineFlowError):
            case.fire(trigger, at=at, actor=actor, payload=data)
    if recalculate:
        with contextlib.suppress(DisciplineFlowError):
            case.recalculate(at=at + dt.timedelta(hours=1), reason="province", calendar=PROVINCE)
    return case


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    subject=_subjects(),
    start=st.datetimes(
        min_value=dt.datetime(2024, 1, 1),
        max_value=dt.datetime(2029, 12, 1),
        timezones=st.just(dt.timezone(dt.timedelta(hours=7))),
    ),
    moves=_MOVES,
    recalculate=st.booleans(),
)
def test_random_cases_load_as_they_were_saved(
    stores: Stores,
    subject: Member | Organisation,
    start: dt.datetime,
    moves: list[tuple[LedgerTrigger, int, Body, dict[str, Any], int]],
    recalculate: bool,
) -> None:
    store = stores.open(REGISTRY)
    case = _random_case(subject, start, moves, recalculate)
    store.save(case, expected_version=0)
    _assert_same(store.load(case.id), case)
    saved = case.version
    with contextlib.suppress(DisciplineFlowError):  # refused once closed: saved unchanged
        case.fire(LedgerTrigger.NOTE, at=case.last_at, actor="person:clerk", payload={"n": saved})
    store.save(case, expected_version=saved)
    (loaded,) = store.load_many([case.id])
    _assert_same(loaded, case)
    if stores.kind != "memory":  # each row keeps the exact text its step's hash covers
        rows = stores.sql(
            'SELECT "canonical" FROM steps WHERE "case_id" = ? ORDER BY "idx"', (case.id,)
        )
        assert [text.encode() for (text,) in rows] == [s.canonical() for s in case.steps]


# --------------------------------------------------------------------------- traces


def _accepted(at: dt.datetime, payload: dict[str, Any] | None = None) -> Case[Any, Any]:
    case = LEDGER.open(
        Member("m-1"), at=at, actor="person:clerk", case_id=f"L-{uuid.uuid4().hex[:8]}"
    )
    case.fire(LedgerTrigger.ACCEPT, at=at, actor="person:clerk", payload=payload)
    return case


def _stored_traces(stores: Stores, case_id: str) -> dict[str, bool]:
    rows = stores.sql(
        'SELECT "rule", "trace" IS NOT NULL FROM deadlines WHERE "case_id" = ? ORDER BY "seq"',
        (case_id,),
    )
    return {rule: bool(kept) for rule, kept in rows}


SQL_KINDS = kind_params("sqlite", "postgres")


@pytest.mark.parametrize("stores", SQL_KINDS, indirect=True)
def test_a_trace_is_stored_only_when_a_load_cannot_rebuild_it(stores: Stores) -> None:
    store = stores.open(REGISTRY)
    at = pendulum.datetime(2025, 3, 3, 9, tz=TZ)
    plain = _accepted(at)
    dated = _accepted(at, {"received_on": "2025-03-01"})  # rebuilt from its start date
    estimated = _accepted(pendulum.datetime(2029, 3, 5, 9, tz=TZ))  # no official table
    moved = _accepted(at)
    assert moved.recalculate(at=at.add(hours=1), reason="province", calendar=PROVINCE)
    paused = _accepted(at)
    paused.fire(LedgerTrigger.HOLD, at=at.add(days=1), actor="person:clerk")
    cases = [plain, dated, estimated, moved, paused]
    store.save_many([(c, 0) for c in cases])
    assert _stored_traces(stores, plain.id) == {"answer": False, "report": False}
    assert _stored_traces(stores, dated.id) == {"answer": False, "report": False}
    assert _stored_traces(stores, estimated.id) == {"answer": True, "report": True}
    assert _stored_traces(stores, moved.id)["answer"]
    for case, loaded in zip(cases, store.load_many([c.id for c in cases]), strict=True):
        _assert_same(loaded, case)


@pytest.mark.parametrize("stores", SQL_KINDS, indirect=True)
def test_a_rebuilt_deadline_whose_dates_moved_keeps_its_stored_dates(stores: Stores) -> None:
    """A calendar that changed after a save (here: the workflow now counts a province's day
    off) does not move stored deadlines: their dates stand until a recalculation moves them."""
    store = stores.open(REGISTRY)
    at = pendulum.datetime(2025, 3, 3, 9, tz=TZ)
    case = _accepted(at)
    store.save(case, expected_version=0)
    local = _ledger(PROVINCE)
    with stores.open(WorkflowRegistry([local])) as other:
        loaded = other.load(case.id)
        assert [d.due_on for d in loaded.deadlines] == [d.due_on for d in case.deadlines]
        report = other.recalculate(at.add(days=1), reason="the province's day off", dry_run=True)
        assert [c.rule for m in report.moved for c in m.changes] == ["answer"]


@pytest.mark.parametrize("stores", SQL_KINDS, indirect=True)
def test_a_trace_stored_with_its_closing_loads_without_it(stores: Stores) -> None:
    """Release 0.1.0 stored a closed deadline's closing as its trace's last item; a load drops
    it, so the explanation names the closing once."""
    store = stores.open(REGISTRY)
    at = pendulum.datetime(2025, 3, 3, 9, tz=TZ)
    case = _accepted(at)
    late = at.add(days=20)
    case.fire(LedgerTrigger.ANSWER, at=late, actor="person:clerk")
    store.save(case, expected_version=0)
    trace = case_to_dict(case)["deadlines"][0]["trace"]
    trace.append({"kind": "met", "at": late.isoformat(), "name": "late"})
    stores.sql(
        "UPDATE deadlines SET trace = ? WHERE case_id = ? AND seq = 0",
        (json.dumps(trace), case.id),
    )
    loaded = store.load(case.id).deadlines[0]
    assert loaded == case.deadlines[0]
    assert [i.kind.value for i in loaded.explain().trace].count("met") == 1
    assert "(late)" in loaded.explain().text()


def test_deadlines_keep_their_trace_in_the_dict_form() -> None:
    case = _accepted(pendulum.datetime(2025, 3, 3, 9, tz=TZ))
    assert all(d["trace"] for d in case_to_dict(case)["deadlines"])


# --------------------------------------------------------------------------- refused text


def _noted(actor: Body) -> Case[Any, Any]:
    at = pendulum.datetime(2025, 3, 3, 9, tz=TZ)
    case = REPLY.open(Member("m-1"), at=at, actor="person:clerk", case_id="R-1")
    case.fire(RequestTrigger.ACCEPT, at=at.add(hours=1), actor="person:clerk")
    case.fire(RequestTrigger.NOTE, at=at.add(hours=2), actor="person:clerk")
    case.fire(RequestTrigger.NOTE, at=at.add(hours=3), actor=actor)
    return case


@pytest.mark.parametrize(
    ("actor", "where"),
    [
        (Body(BodyKind.PERSON, "p-1", name="a\x00"), "actor.name"),
        (Body(BodyKind.PERSON, "p-1", name="\udc00"), "actor.name"),
    ],
)
def test_bad_text_in_a_step_is_refused_with_its_place(
    stores: Stores, actor: Body, where: str
) -> None:
    # The actor's name is hashed (canonical form 2): refused by the fire, before any save.
    with pytest.raises(InputError, match=f"^{where}: "):
        _noted(actor)
    store = stores.open()
    case = _noted(Body(BodyKind.PERSON, "p-1"))
    case.steps[-1] = attrs.evolve(case.steps[-1], actor=actor)  # edited by hand: the save names it
    with pytest.raises(InputError, match=f"^case R-1 step 3 {where}: "):
        store.save(case, expected_version=0)
    assert store.query() == []


@pytest.mark.parametrize(
    ("subject", "where"),
    [
        (Member("m-1", name="a\x00b"), "subject.name"),
        (Member("m-1", cell_id="\ud800"), "subject.cell_id"),
        (Organisation("o-1", Level.CENTRAL, name="x", parent_id="p\x00"), "subject.parent_id"),
    ],
)
def test_bad_text_in_a_subject_is_refused_with_its_place(
    stores: Stores, subject: Member | Organisation, where: str
) -> None:
    # The subject is hashed on the opening step (canonical form 2): refused by the opening.
    with pytest.raises(InputError, match=f"^{where}: "):
        REPLY.open(subject, at=pendulum.datetime(2025, 3, 3, 9, tz=TZ), actor="person:clerk")
    store = stores.open()
    case = REPLY.open(Member("m-1"), at=pendulum.datetime(2025, 3, 3, 9, tz=TZ), actor="person:a")
    case.subject = subject  # set by hand: the save names it
    with pytest.raises(InputError, match=f"^{where}: "):
        store.save(case, expected_version=0)


def test_a_basis_and_a_payload_are_checked_and_named(stores: Stores) -> None:
    store = stores.open()
    case = _noted(Body(BodyKind.PERSON, "p-1"))
    case.steps[-1] = attrs.evolve(case.steps[-1], basis="Điều 1\x00")
    with pytest.raises(InputError, match=r"^case R-1 step 3 basis: "):
        store.save(case, expected_version=0)
    case.steps[-1] = attrs.evolve(case.steps[-1], basis=None, payload={"x": {1, 2}})
    with pytest.raises(InputError, match=r"^case R-1 step 3 payload: cannot be stored as JSON"):
        store.save(case, expected_version=0)
    case.steps[-1] = attrs.evolve(case.steps[-1], payload=types.MappingProxyType({}))
    with pytest.raises(InputError, match=r"^case R-1 step 3 payload: cannot be stored as JSON"):
        store.save(case, expected_version=0)  # an empty mapping that is not a dict, as before
    assert store.query() == []


# --------------------------------------------------------------------------- instants


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    naive=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)),
    minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
    shift=st.sampled_from([-1, 0, 1]),
)
def test_instants_are_stored_exactly(
    stores: Stores, naive: dt.datetime, minutes: int, shift: int
) -> None:
    """Opening instants in any offset come back to the microsecond and bound queries exactly."""
    store = stores.open()
    opened = naive.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    subject = f"m-{uuid.uuid4().hex}"
    case = REPLY.open(Member(subject), at=opened, actor="person:clerk")
    store.save(case, expected_version=0)
    (summary,) = store.query(subject_id=subject)
    assert summary.opened_at == opened
    bound = pendulum.instance(opened).add(microseconds=shift)
    found = case.id in store.query_ids(subject_id=subject, opened_from=bound)
    assert found == (opened >= bound)
