"""Hostile values through the public API and every store: only documented errors escape.

Hypothesis drives opening, firing, checking and saving cases, the stores' reads and queries and
the opening of stores by URL with deep and huge payloads, odd bodies, subjects and levels, huge
and odd limits, instants from year 1 to 9999 (naive, aware, pendulum, text), odd case ids and
bad URLs. Whatever it tries, a call returns or raises a
:class:`~discipline_flow.errors.DisciplineFlowError`; anything else (``RecursionError``,
``AttributeError``, ``OverflowError``, a plain ``ValueError``...) fails the test. And whatever a
store accepted, it reads back.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pendulum
import pytest
from hypothesis import HealthCheck, event, given, settings

from conftest_store import (
    CLERK,
    MATTER,
    REPLY,
    MatterTrigger,
    RequestTrigger,
    kind_params,
    stores_fixture,
)
from discipline_flow import Body, BodyKind, Level, Member, Organisation
from discipline_flow.errors import DisciplineFlowError
from discipline_flow.store import CaseStore, open_store

HOSTILE = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --------------------------------------------------------------------------- values


def _deep(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = {"a": leaf} if depth % 2 else [leaf]
    return leaf


texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "a\x00b", "\ud800", "ý", "party_cell:c-1", "person:"]),
    st.just(10_000).map(lambda n: "x" * n),
)
numbers = st.one_of(
    st.integers(),
    # Built on demand: whole numbers this long have no repr (Python's int-to-text limit).
    st.sampled_from([(10, 5000, 1), (10, 4300, -1), (2, 63, 1), (2, 64, 1)]).map(
        lambda p: p[2] * p[0] ** p[1]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
)
instants = st.one_of(
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=7)), None]),
    ),
    st.sampled_from(
        [
            dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone.utc),
            dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc),
            dt.datetime(1900, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
            dt.datetime(2200, 12, 31, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=12))),
            pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh"),
            pendulum.datetime(2300, 1, 1, tz="Asia/Ho_Chi_Minh"),
            "2025-03-03T09:00:00+07:00",
            dt.date(2025, 3, 3),
            None,
            0,
        ]
    ),
)
json_leaves = st.one_of(st.none(), st.booleans(), numbers, texts, instants)
payload_values = st.recursive(
    json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(texts, inner, max_size=3),
        st.frozensets(st.integers(), max_size=3),
        st.tuples(inner),
    ),
    max_leaves=8,
)
payloads = st.one_of(
    st.none(),
    st.dictionaries(texts, payload_values, max_size=4),
    st.builds(lambda d, v: {"deep": _deep(d, v)}, st.integers(0, 1200), json_leaves),
    st.sampled_from([{1: "x"}, {"k": b"bytes"}, {"k": object()}, "not a mapping", [("k", 1)]]),
)
levels = st.one_of(st.none(), st.sampled_from(Level), texts, st.integers())
kinds = st.one_of(st.sampled_from(BodyKind), texts, st.none())


def _made(factory: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``factory(...)``, or the documented error it raised (refused where it is made)."""
    try:
        return factory(*args, **kwargs)
    except DisciplineFlowError as refused:
        return refused


bodies = st.one_of(
    st.just(CLERK),
    st.builds(_made, st.just(Body), kinds, texts, levels, st.one_of(st.none(), texts, numbers)),
    texts,
    st.integers(),
)
subjects = st.one_of(
    st.builds(
        _made,
        st.just(Member),
        texts,
        name=st.one_of(st.none(), texts, st.integers()),
        cell_id=st.one_of(st.none(), texts),
        is_probationary=st.one_of(st.booleans(), st.none(), st.integers()),
        committee_level=levels,
        managed_by=levels,
    ),
    st.builds(_made, st.just(Organisation), texts, levels, parent_id=st.one_of(st.none(), texts)),
    st.none(),
    texts,
)
limits = st.one_of(
    st.none(),
    st.integers(),
    st.sampled_from([10**20, 2**63, 2**63 - 1, 0, -1, True, 1.5, math.inf, "5"]),
)
case_ids = st.one_of(
    texts, st.none(), st.integers(), st.lists(texts, max_size=2), st.just("x" * 201)
)


def _documented(call: Callable[[], Any]) -> Any:
    """What ``call`` returns, or None when it raised a documented error; anything else
    escapes and fails the test."""
    try:
        return call()
    except DisciplineFlowError:
        return None


@pytest.fixture(params=kind_params())
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseStore]:
    """One store of each kind for all the examples of a test."""
    for stores in stores_fixture(request.param, tmp_path):
        yield stores.open()


# --------------------------------------------------------------------------- cases and stores


#: A sound value for each argument of the case test; each example makes one of them hostile.
SOUND: dict[str, st.SearchStrategy[Any]] = {
    "subject": st.builds(Member, st.sampled_from(["m-1", "m-2"])),
    "opened": st.datetimes(
        min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2025, 12, 31)
    ).map(lambda d: d.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))),
    "actor": st.just(CLERK),
    "payload": st.dictionaries(st.sampled_from(["a", "b", "ý"]), st.integers(), max_size=2),
    "later": st.integers(0, 10**6).map(lambda s: dt.timedelta(seconds=s)),
    "fire_payload": st.just({"note": "ok"}),
    "case_id": st.none(),  # a new id of its own
}
HOSTILE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "subject": subjects,
    "opened": instants,
    "actor": bodies,
    "payload": payloads,
    "later": st.one_of(instants, st.just(dt.timedelta(days=-1))),
    "fire_payload": payloads,
    "case_id": case_ids,
}


@HOSTILE
@given(data=st.data(), hostile=st.sets(st.sampled_from(sorted(SOUND)), max_size=2))
def test_hostile_cases_get_documented_errors_and_what_is_saved_reads_back(
    store: CaseStore, data: st.DataObject, hostile: set[str]
) -> None:
    drawn = {
        name: data.draw(HOSTILE_VALUES[name] if name in hostile else SOUND[name], label=name)
        for name in sorted(SOUND)
    }
    subject, opened, actor, payload = (drawn[k] for k in ("subject", "opened", "actor", "payload"))
    later = drawn["later"]
    case_id = drawn["case_id"]
    if "case_id" in hostile and isinstance(case_id, str):
        case_id = f"{uuid.uuid4().hex[:8]}-{case_id}"  # one store for every example
    case = _documented(
        lambda: REPLY.open(subject, at=opened, actor=actor, case_id=case_id, payload=payload)
    )
    if case is None:
        event("refused at open")
        return
    fired = opened + later if isinstance(later, dt.timedelta) else later
    _documented(lambda: case.allowed(at=fired, actor=actor))
    _documented(lambda: case.check(RequestTrigger.ACCEPT, at=fired, actor=actor))
    _documented(lambda: case.fire(RequestTrigger.ACCEPT, at=fired, actor=actor, payload=payload))
    fire_payload = drawn["fire_payload"]
    _documented(lambda: case.fire("NOTE", at=fired, actor=CLERK, payload=fire_payload))
    _documented(lambda: case.as_of(fired))
    if _documented(lambda: store.save(case, expected_version=0)) is None:
        event("refused at save")
        return
    event(f"saved with {case.version} steps")
    loaded = store.load(case.id)  # whatever was saved reads back, the same
    assert [s.hash for s in loaded.steps] == [s.hash for s in case.steps]
    assert loaded.state is case.state
    assert store.digest_many([case.id])[0].version == case.version
    assert [s.id for s in store.linked(case.id)] == [case.id]


@HOSTILE
@given(
    limit=limits,
    when=instants,
    case_id=case_ids,
    state=st.one_of(st.none(), texts, st.integers(), st.sampled_from(MatterTrigger)),
    workflow=st.one_of(st.none(), texts, st.integers()),
    reason=st.one_of(texts, st.none(), st.integers()),
)
def test_hostile_store_arguments_get_documented_errors(
    store: CaseStore, limit: Any, when: Any, case_id: Any, state: Any, workflow: Any, reason: Any
) -> None:
    if not store.exists("H-1"):
        opened = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
        case = REPLY.open(Member("m-1"), at=opened, actor=CLERK, case_id="H-1")
        case.fire(RequestTrigger.ACCEPT, at=opened, actor=CLERK)
        store.save(case, expected_version=0)
    for call in (
        lambda: store.query(limit=limit, opened_from=when, state=state, workflow=workflow),
        lambda: store.query_ids(limit=limit, opened_until=when, subject_id=case_id),
        lambda: store.due(when, limit=limit),
        lambda: store.sweep(when, dry_run=True, limit=limit),
        lambda: store.recalculate(when, reason=reason),
        lambda: store.exists(case_id),
        lambda: store.version(case_id),
        lambda: store.load(case_id),
        lambda: store.load_many(case_id),
        lambda: store.digest_many(case_id),
        lambda: store.linked(case_id),
        lambda: store.history(case_id),
        lambda: store.as_of(case_id, when),
        lambda: store.save(case_id, expected_version=limit),
        lambda: store.save_many(case_id),
    ):
        _documented(call)
    assert store.verify_all().cases >= 1


# --------------------------------------------------------------------------- URLs


def _joined(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=5).map("".join)


# PostgreSQL URLs name no host a resolver would be asked about: a refusal comes at once.
urls = st.one_of(
    texts,
    st.sampled_from(["sqlite://", "memory://", "mysql://", "postgresql:/", "://"]).flatmap(
        lambda scheme: _joined(["x", "/", ":memory:", "%00", "%zz", "a.db", "\x00", "\ud800"]).map(
            lambda rest: scheme + rest
        )
    ),
    st.sampled_from(["postgresql://", "postgres://"]).flatmap(
        lambda scheme: _joined(
            [
                "u:p@",
                "u@",
                "[::1",
                "[::1]",
                "127.0.0.1",
                ":1",
                ":99999",
                ":x",
                "/db",
                "?schema=x",
                "?schema=1; DROP",
                "&password=s3cret",
                "?password=s3cret",
                "?connect_timeout=1",
                "?bogus=1",
                "%00",
                "%zz",
                "@",
            ]
        ).map(lambda rest: scheme + rest)
    ),
)


@settings(HOSTILE, max_examples=300)
@given(url=urls, create=st.booleans())
def test_hostile_urls_get_documented_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, create: bool
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative SQLite path lands here
    store = _documented(lambda: open_store(url, [MATTER], create=create))
    if store is not None:
        with store:
            assert store.query() == []
    assert "s3cret" not in repr(store)
