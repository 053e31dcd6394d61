"""The stored text of cases is unchanged by the codec's fast paths: subjects, deadlines, step rows
and instants encode byte for byte as the generic (cattrs and json) path does, with its errors."""

from __future__ import annotations

import datetime as dt
import enum
import json
import pickle
import types
import zoneinfo
from collections.abc import Iterator
from typing import Any

import attrs
import hypothesis.strategies as st
import pendulum
import pytest
from hypothesis import given, settings

from discipline_flow import Body, BodyKind, Level, Member, Organisation, Period
from discipline_flow.actors import _text as _id_text
from discipline_flow.case import Case
from discipline_flow.errors import InputError
from discipline_flow.processes import shipped_registry
from discipline_flow.serialization import subject_from_dict
from discipline_flow.store import _codec
from discipline_flow.time import DeadlineRule, default_calendar
from discipline_flow.time.deadline import Deadline, ExtensionPolicy

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _generic_deadline(deadline: Deadline, where: str = "d") -> str:
    return _codec.dumps(_codec._unstructure_deadline(deadline), where)


def _generic_subject(subject: Any) -> str:
    return _codec.dumps(_codec._checked_subject(subject), "subject")


# --------------------------------------------------------------------------- deadlines


def _shipped_deadlines() -> Iterator[Deadline]:
    """Every shipped rule started on days around holidays, then met, cancelled and left open."""
    calendar = default_calendar()
    rules = {r.name: r for wf in shipped_registry() for r in wf.deadline_rules}
    days = [(2023, 1, 19), (2024, 4, 26), (2025, 4, 25), (2025, 8, 29), (2026, 2, 13)]
    for rule in rules.values():
        for year, month, day in days:
            started = dt.datetime(year, month, day, 10, 30, tzinfo=HANOI)
            deadline = Deadline.start(rule, started_at=started, calendar=calendar)
            yield deadline
            yield deadline.meet(started + dt.timedelta(days=3))
            yield deadline.cancel(pendulum.instance(started).add(days=40))


def test_every_shipped_deadline_encodes_as_the_generic_path() -> None:
    count = 0
    for deadline in _shipped_deadlines():
        fast = _codec._fast_deadline_json(deadline)
        assert fast is not None  # the common shape takes the fast path
        assert _codec.deadline_text(deadline, "d") == fast == _generic_deadline(deadline)
        count += 1
    assert count > 100


class _State(enum.Enum):
    OPEN = "open"


PAUSING = DeadlineRule(
    "pausing",
    Period.parse("10 working days"),
    starts_on_enter=_State.OPEN,
    cap=Period.parse("2 months"),
    extension=ExtensionPolicy(max_count=3, reason_required=False),
)


def test_paused_and_extended_deadlines_take_the_generic_path() -> None:
    calendar = default_calendar()
    start = dt.datetime(2025, 3, 3, 9, tzinfo=HANOI)
    deadline = Deadline.start(PAUSING, started_at=start, calendar=calendar)
    paused = deadline.pause(start + dt.timedelta(days=2))
    resumed = paused.resume(start + dt.timedelta(days=9), rule=PAUSING, calendar=calendar)
    extended = resumed.extend(
        Period.parse("5 working days"),
        reason="chờ kết quả xác minh",
        at=start + dt.timedelta(days=10),
        rule=PAUSING,
        calendar=calendar,
    )
    for value in (paused, resumed, extended, extended.meet(start + dt.timedelta(days=30))):
        assert _codec._fast_deadline_json(value) is None
        assert _codec.deadline_text(value, "d") == _generic_deadline(value)


def test_the_shared_texts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_codec, "_SHARED_MAX", 3)
    _codec._SHARED.clear()
    for deadline in list(_shipped_deadlines())[:40]:
        assert _codec.deadline_text(deadline, "d") == _generic_deadline(deadline)
        assert len(_codec._SHARED) <= 3
    _codec._SHARED.clear()


def test_unusual_values_fall_back_to_the_generic_path_and_its_errors() -> None:
    calendar = default_calendar()
    start = dt.datetime(2025, 3, 3, 9, tzinfo=HANOI)
    deadline = Deadline.start(PAUSING, started_at=start, calendar=calendar)
    odd = Deadline(**{**_fields(deadline), "is_estimated": 1})
    assert _codec.deadline_text(odd, "d") == _generic_deadline(odd)
    nul = Deadline(**{**_fields(deadline), "timezone": "Asia/Ho_Chi_Minh\x00"})
    assert _codec.deadline_text(nul, "d") == _generic_deadline(nul)  # JSON escapes the NUL
    lone = Deadline(**{**_fields(deadline), "timezone": "Asia/Ho_Chi_Minh\ud800"})
    with pytest.raises(InputError, match=r"^where: text must be valid Unicode"):
        _generic_deadline(lone, "where")
    with pytest.raises(InputError, match=r"^where: text must be valid Unicode"):
        _codec.deadline_text(lone, "where")
    broken = Deadline(**{**_fields(deadline), "started_at": None})
    with pytest.raises((AttributeError, TypeError)):
        _generic_deadline(broken)
    with pytest.raises((AttributeError, TypeError)):
        _codec.deadline_text(broken, "d")


def _fields(deadline: Deadline) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(deadline, f.name) for f in attrs.fields(Deadline)}


# --------------------------------------------------------------------------- subjects

_TEXT = st.text(max_size=6).filter(lambda s: "\x00" not in s and s.isprintable())
_LEVELS = st.none() | st.sampled_from(list(Level))


def _subjects_of(text: st.SearchStrategy[str]) -> st.SearchStrategy[Member | Organisation]:
    """Members and organisations whose text fields are drawn from ``text``."""

    @st.composite
    def subjects(draw: st.DrawFn) -> Member | Organisation:
        ident = draw(text.filter(bool))
        if draw(st.booleans()):
            return Member(
                ident,
                name=draw(st.none() | text),
                cell_id=draw(st.none() | text),
                is_probationary=draw(st.booleans()),
                holds_post=draw(st.booleans()),
                committee_level=draw(_LEVELS),
                managed_by=draw(_LEVELS),
            )
        return Organisation(
            ident,
            draw(st.sampled_from(list(Level))),
            name=draw(st.none() | text),
            parent_id=draw(st.none() | text),
        )

    return subjects()


@settings(max_examples=200, deadline=None)
@given(_subjects_of(_TEXT))
def test_subjects_encode_and_decode_as_the_generic_path(subject: Member | Organisation) -> None:
    text = _codec.subject_text(subject)
    assert text == _generic_subject(subject)
    assert (
        _codec.subject_from_text(text, "s")
        == subject
        == subject_from_dict(_codec.json_object(text, "s"))
    )


@pytest.mark.parametrize(
    "subject",
    [
        Member("m-1", name=5),  # type: ignore[arg-type]
        Member("m-1", is_probationary=1),  # type: ignore[arg-type]
        Member("m-1", managed_by="provincial"),  # type: ignore[arg-type]
        Organisation("o-1", "district"),  # type: ignore[arg-type]
        Organisation("o-1", Level.DISTRICT, parent_id=7),  # type: ignore[arg-type]
    ],
)
def test_subjects_of_unusual_types_are_encoded_by_cattrs(subject: Any) -> None:
    assert _outcome(lambda: _codec.subject_text(subject)) == _outcome(
        lambda: _generic_subject(subject)
    )


def _outcome(run: Any) -> Any:
    """What ``run()`` returns, or the type and message of what it raises."""
    try:
        return run()
    except Exception as exc:
        return (type(exc), str(exc))


@pytest.mark.parametrize(
    ("subject", "where"),
    [
        (Member("m-1", name="a\x00b"), "subject.name"),
        (Member("m-1", cell_id="\ud800"), "subject.cell_id"),
        (Organisation("o-1", Level.CENTRAL, name="x", parent_id="p\x00"), "subject.parent_id"),
    ],
)
def test_subject_text_is_checked_like_before(subject: Any, where: str) -> None:
    with pytest.raises(InputError, match=f"^{where}: ") as fast:
        _codec.subject_text(subject)
    with pytest.raises(InputError) as generic:
        _generic_subject(subject)
    assert str(fast.value) == str(generic.value)


@pytest.mark.parametrize(
    "text",
    [
        (
            '{"id":"m-1","name":null,"cell_id":null,"is_probationary":1,"holds_post":false,'
            '"committee_level":null,"managed_by":null,"kind":"member"}'
        ),
        (
            '{"id":"m-1","name":null,"cell_id":null,"is_probationary":false,"holds_post":false,'
            '"committee_level":"county","managed_by":null,"kind":"member"}'
        ),
        (
            '{"id":"m-1","name":3,"cell_id":null,"is_probationary":false,"holds_post":false,'
            '"committee_level":null,"managed_by":null,"kind":"member"}'
        ),
        '{"id":"m-1","kind":"member"}',
        '{"id":"o-1","level":"county","name":null,"parent_id":null,"kind":"organisation"}',
        '{"id":"o-1","level":"central","name":null,"parent_id":4,"kind":"organisation"}',
        '{"id":"","level":"central","name":null,"parent_id":null,"kind":"organisation"}',
        '{"id":"o-1","kind":"alien"}',
        '["not", "a", "mapping"]',
        # Almost the text the store writes: not read as plain text, decoded as JSON instead.
        (
            '{"id":"m-1","name":null,"cell_id":null,"is_probationary":false,"holds_post":false,'
            '"committee_level":null,"managed_by":null,"kind":"member"} '
        ),
        (
            '{"id":"m\\u002d1","name":null,"cell_id":null,"is_probationary":false,'
            '"holds_post":false,"committee_level":null,"managed_by":null,"kind":"member"}'
        ),
        (
            '{"id":"","name":null,"cell_id":null,"is_probationary":false,"holds_post":false,'
            '"committee_level":null,"managed_by":null,"kind":"member"}'
        ),
        '{"id":"o-1","level":"central","name":null,"parent_id":null,"kind":"member"}',
        '{"id":"o-1","level":null,"name":null,"parent_id":null,"kind":"organisation"}',
    ],
)
def test_unusual_subject_rows_decode_as_the_generic_path(text: str) -> None:
    generic = _outcome(lambda: subject_from_dict(json.loads(text)))
    assert _outcome(lambda: _codec.subject_from_text(text, "s")) == generic
    assert isinstance(generic, tuple) or text.count('"') > 2


# Printable ASCII, with the quote, the backslash and DEL that JSON writes escaped or that plain
# text leaves out.
_ASCII = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7F), max_size=5)


def _texts_of(subject: Member | Organisation) -> list[str]:
    return [v for v in attrs.astuple(subject, recurse=False) if isinstance(v, str)]


@settings(max_examples=300, deadline=None)
@given(_subjects_of(_ASCII))
def test_plain_subject_text_is_read_as_json_reads_it(subject: Member | Organisation) -> None:
    text = _codec.subject_text(subject)
    plain = _codec._plain_subject(text)
    is_plain = all(not (set(v) & {'"', "\\", "\x7f"}) for v in _texts_of(subject))
    assert (plain is not None) == is_plain
    if plain is not None:
        generic = subject_from_dict(json.loads(text))
        assert type(plain) is type(generic) is type(subject)
        assert plain == generic == subject
        assert (repr(plain), hash(plain)) == (repr(subject), hash(subject))
        assert _codec.subject_from_text(text, "s") == subject


@pytest.mark.parametrize(
    "subject",
    [
        Member("m-1", cell_id="cell-1", holds_post=True, managed_by=Level.DISTRICT),
        Organisation("o-1", Level.PROVINCIAL, name="Ban", parent_id="o-0"),
    ],
)
def test_subjects_built_field_by_field_behave_like_constructed_ones(subject: Any) -> None:
    assert _codec._direct_subjects()  # the shipped classes take the direct path
    built: Any = _codec._plain_subject(_codec.subject_text(subject))
    assert built == subject
    assert pickle.loads(pickle.dumps(built)) == subject
    assert attrs.evolve(built, id="x-2") == attrs.evolve(subject, id="x-2")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.id = "x-3"


def test_plain_subjects_are_constructed_when_they_cannot_be_built_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(cls: type) -> None:
        raise AssertionError("built without __init__")

    monkeypatch.setattr(_codec, "_direct_subjects", lambda: False)
    monkeypatch.setattr(_codec, "_new", refuse)
    for subject in (Member("m-1", name="An"), Organisation("o-1", Level.CENTRAL)):
        assert _codec._plain_subject(_codec.subject_text(subject)) == subject


def test_only_classes_without_other_checks_are_built_directly() -> None:
    @attrs.frozen
    class Plain:
        id: str = attrs.field(validator=_id_text)
        name: str | None = None

    @attrs.frozen
    class Checked:
        id: str = attrs.field(validator=_id_text)
        name: str | None = attrs.field(default=None, validator=attrs.validators.instance_of(str))

    @attrs.frozen
    class Converted:
        id: str = attrs.field(converter=str)

    @attrs.frozen
    class Hooked:
        id: str

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.define(slots=False)
    class Unslotted:
        id: str

    assert _codec._builds_directly(Member)
    assert _codec._builds_directly(Organisation)
    assert _codec._builds_directly(Plain)
    for cls in (Checked, Converted, Hooked, Unslotted):
        assert not _codec._builds_directly(cls), cls.__name__


# --------------------------------------------------------------------------- step rows


def _reference_step_rows(case: Case[Any, Any], start: int) -> list[tuple[Any, ...]]:
    """The step rows as the codec built them before its fast path (the reference)."""
    rows = []
    for step in case.steps[start:]:
        actor = step.actor
        where = f"case {case.id} step {step.index}"
        rows.append(
            (
                case.id,
                step.index,
                step.kind.value,
                step.trigger.name if step.trigger is not None else None,
                step.source.name if step.source is not None else None,
                step.target.name,
                step.at.isoformat(),
                actor.kind.value,
                _codec.check_text(actor.id, f"{where} actor.id"),
                actor.level.value if actor.level is not None else None,
                None if actor.name is None else _codec.check_text(actor.name, f"{where} name"),
                None if step.basis is None else _codec.check_text(step.basis, f"{where} basis"),
                _codec.dumps(step.payload, f"{where} payload"),
                step.previous_hash,
                step.hash,
            )
        )
    return rows


def _inspection_like_case() -> Case[Any, Any]:
    from conftest_store import REPLY, RequestTrigger

    at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
    commission = Body(BodyKind.INSPECTION_COMMISSION, "ủy-ban-1", Level.PROVINCIAL, "Ủy ban")
    case = REPLY.open(Member("m-1"), at=at, actor="clerk", case_id="R-1")
    case.fire(RequestTrigger.ACCEPT, at=at.add(hours=1), actor=commission)
    case.fire(
        RequestTrigger.NOTE,
        at=dt.datetime(2025, 3, 4, 2, tzinfo=dt.timezone.utc),
        actor=commission,
        payload={"ghi_chú": "đã nhận", "n": [1, 2.5, None], "ok": True},
    )
    return case


@pytest.mark.parametrize("start", [0, 1, 3])
def test_step_rows_equal_the_reference(start: int) -> None:
    case = _inspection_like_case()
    assert _codec.step_rows(case, start) == _reference_step_rows(case, start)


@pytest.mark.parametrize(
    ("actor", "where"),
    [
        (Body(BodyKind.PERSON, "p-1", name="a\x00"), "case R-1 step 3 actor.name"),
        (Body(BodyKind.PERSON, "p-1", name="\udc00"), "case R-1 step 3 actor.name"),
    ],
)
def test_step_rows_name_the_bad_text(actor: Body, where: str) -> None:
    from conftest_store import RequestTrigger

    case = _inspection_like_case()
    case.fire(RequestTrigger.NOTE, at=case.last_at, actor=actor)
    with pytest.raises(InputError, match=f"^{where}: "):
        _codec.step_rows(case, 0)


def test_a_basis_and_payload_are_checked_and_named() -> None:
    import attrs

    case = _inspection_like_case()
    case.steps[-1] = attrs.evolve(case.steps[-1], basis="Điều 1\x00")
    with pytest.raises(InputError, match=r"^case R-1 step 2 basis: "):
        _codec.step_rows(case, 0)
    case.steps[-1] = attrs.evolve(case.steps[-1], basis=None, payload={"x": {1, 2}})
    with pytest.raises(InputError, match=r"^case R-1 step 2 payload: cannot be stored as JSON"):
        _codec.step_rows(case, 0)
    case.steps[-1] = attrs.evolve(case.steps[-1], payload=types.MappingProxyType({}))
    with pytest.raises(InputError, match=r"^case R-1 step 2 payload: cannot be stored as JSON"):
        _codec.step_rows(case, 0)  # an empty mapping that is not a dict, as before
    case.steps[-1] = attrs.evolve(case.steps[-1], payload=_Payload())
    assert _codec.step_rows(case, 0) == _reference_step_rows(case, 0)


class _Payload(dict[str, Any]):
    """An empty dict of another class: stored as ``{}`` like a dict."""


# --------------------------------------------------------------------------- instants


def _reference_epoch_us(value: dt.datetime) -> int:
    offset = value.utcoffset() or dt.timedelta(0)
    naive = value.replace(tzinfo=None) - offset
    return (naive - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_epoch_microseconds_are_exact(naive: dt.datetime, minutes: int) -> None:
    aware = naive.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    expected = _reference_epoch_us(aware)
    assert _codec.epoch_us(aware) == expected
    assert _codec.epoch_us(pendulum.instance(aware)) == expected
    assert _codec.epoch_us(naive.replace(tzinfo=HANOI)) == _reference_epoch_us(
        naive.replace(tzinfo=HANOI)
    )


class _NoOffset(dt.tzinfo):
    """A tzinfo that knows no offset (the datetime is naive in all but name)."""

    def utcoffset(self, value: dt.datetime | None) -> None:
        return None

    def dst(self, value: dt.datetime | None) -> None:
        return None

    def tzname(self, value: dt.datetime | None) -> str:
        return "nowhere"


def test_an_instant_without_an_offset_is_counted_as_utc() -> None:
    value = dt.datetime(1970, 1, 2, tzinfo=_NoOffset())
    assert _codec.epoch_us(value) == 86_400_000_000
