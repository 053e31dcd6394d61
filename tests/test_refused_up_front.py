"""Hostile input gets a documented error (issue 14, item 5 and the range of instants).

One test per raw exception the issue lists; each failed before the fix with the raw exception
named in its docstring. ``tests/test_hostile_inputs.py`` drives the same doors with Hypothesis.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest_store import (
    CLERK,
    MATTER,
    MatterTrigger,
    Stores,
    accepted_request,
    at,
    kind_params,
    open_matter,
    stores_fixture,
)
from discipline_flow import Body, BodyKind, Level, Member, Organisation
from discipline_flow.errors import (
    InputError,
    MalformedDataError,
    NaiveDatetimeError,
    UnsupportedStoreURLError,
)
from discipline_flow.payload import normalize_payload
from discipline_flow.store import MemoryStore, SqliteStore, open_store

UTC = dt.timezone.utc
LEVELS = "Level.GRASSROOTS, Level.DISTRICT, Level.PROVINCIAL, Level.CENTRAL"
RANGE = "is outside the instants discipline_flow accepts: from 1900-01-01 to 2200-12-31"


@pytest.fixture(params=kind_params())
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _nested(depth: int) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    inner = payload
    for _ in range(depth - 1):
        inner["a"] = {}
        inner = inner["a"]
    return payload


# --------------------------------------------------------------------------- payloads


def test_a_payload_nested_a_thousand_deep_is_refused() -> None:
    """Was: RecursionError from fire and open."""
    case = open_matter("C-1")
    with pytest.raises(InputError, match=r"mappings and lists may nest at most 64 deep$"):
        case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload=_nested(1000))
    with pytest.raises(InputError, match=r"may nest at most 64 deep$"):
        open_matter("C-2", payload={"list": [[[_nested(1000)]]]})
    assert case.version == 1  # refused: the case is unchanged
    # 64 levels, the payload itself the first, are kept exactly.
    assert normalize_payload(_nested(64)) == _nested(64)
    with pytest.raises(InputError) as info:
        normalize_payload(_nested(65))
    assert info.value.argument == "payload" + ".a" * 64  # the 65th mapping


def test_a_whole_number_too_long_to_write_is_refused_with_the_limit() -> None:
    """Was: ValueError from Python's int-to-text limit, its advice to call
    sys.set_int_max_str_digits() in the message."""
    case = open_matter("C-1")
    with pytest.raises(InputError) as info:
        case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=CLERK, payload={"n": 10**5000})
    assert str(info.value) == "payload.n: whole numbers may have at most 4,300 digits"
    with pytest.raises(InputError, match=r"^payload\.n\[0\]: whole numbers may have"):
        normalize_payload({"n": [-(10**4300)]})
    assert normalize_payload({"n": 10**4300 - 1}) == {"n": 10**4300 - 1}
    assert normalize_payload({"n": 2**64}) == {"n": 2**64}


# --------------------------------------------------------------------------- bodies, subjects


def test_a_body_of_no_kind_is_refused_where_it_is_made() -> None:
    """Was: AttributeError ('str' object has no attribute '_value_') firing with it."""
    case = open_matter("C-1")
    with pytest.raises(InputError) as info:
        case.fire(MatterTrigger.NOTE, at=at(2025, 3, 4), actor=Body("x", "a"))  # type: ignore[arg-type]
    assert str(info.value).startswith(
        "kind: expected a BodyKind member such as BodyKind.PARTY_CELL, got 'x' "
        "(Body.parse('party_cell:ID') reads one from text); kinds: party_cell, cell_executive,"
    )
    assert case.version == 1


def test_a_body_at_no_level_is_refused() -> None:
    """Was: AttributeError firing with Body(kind, id, level="x")."""
    with pytest.raises(InputError) as info:
        Body(BodyKind.COMMITTEE, "c-1", level="x")  # type: ignore[arg-type]
    assert str(info.value) == f"level: expected one of {LEVELS} or None; got 'x'"
    assert Body(BodyKind.COMMITTEE, "c-1").level is None


def test_a_body_whose_name_is_not_text_is_refused() -> None:
    """Was: TypeError (argument of type 'int' is not iterable) saving a case it acted in."""
    with pytest.raises(InputError, match=r"^name: expected text or None, got int$"):
        Body(BodyKind.PARTY_CELL, "c-1", name=5)  # type: ignore[arg-type]


def test_a_member_on_a_committee_of_no_level_is_refused() -> None:
    """Was: AttributeError saving a case about Member("m", committee_level="x")."""
    with pytest.raises(InputError) as info:
        Member("m", committee_level="x")  # type: ignore[arg-type]
    assert str(info.value) == f"committee_level: expected one of {LEVELS} or None; got 'x'"
    with pytest.raises(InputError, match=r"^managed_by: "):
        Member("m", managed_by="provincial")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^is_probationary: expected True or False, got 'no'$"):
        Member("m", is_probationary="no")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^cell_id: expected text or None, got int$"):
        Member("m", cell_id=7)  # type: ignore[arg-type]


def test_an_organisation_needs_a_level() -> None:
    """Was: AttributeError saving a case about Organisation("o", level=None)."""
    with pytest.raises(InputError) as info:
        Organisation("o", level=None)  # type: ignore[arg-type]
    assert str(info.value) == f"level: expected one of {LEVELS}; got None"
    assert Organisation("o", Level.PROVINCIAL).level is Level.PROVINCIAL


# --------------------------------------------------------------------------- store arguments


def test_a_limit_beyond_64_bits_is_refused(stores: Stores) -> None:
    """Was: OverflowError (Python int too large to convert to SQLite INTEGER)."""
    store = stores.open()
    store.save(accepted_request("R-1", at(2025, 3, 3)), expected_version=0)
    message = "limit: must be a whole number from 1 to 2**63 - 1, or None; got 10**20"
    now = at(2025, 4, 1)
    for call in (
        lambda: store.query(limit=10**20),
        lambda: store.query_ids(limit=10**20),
        lambda: store.due(now, limit=10**20),
        lambda: store.sweep(now, limit=10**20, dry_run=True),
    ):
        with pytest.raises(InputError) as info:
            call()
        assert str(info.value) == message.replace("10**20", str(10**20))
    assert len(store.query(limit=2**63 - 1)) == 1
    assert len(store.due(now, limit=2**63 - 1)) == 2


def test_a_case_id_that_is_not_text_is_refused_by_every_store(stores: Stores) -> None:
    """Was: TypeError (unhashable type: 'list') from MemoryStore.exists(["x"])."""
    store = stores.open()
    for call in (store.exists, store.version, store.linked, store.load):
        with pytest.raises(
            InputError, match=r"^case_id: expected a non-empty text id, got \['x'\]$"
        ):
            call(["x"])  # type: ignore[arg-type]
    assert MemoryStore().exists("x") is False


def test_a_sqlite_url_with_a_nul_is_refused() -> None:
    """Was: ValueError (embedded null byte) from open_store("sqlite:///%00x")."""
    with pytest.raises(UnsupportedStoreURLError) as info:
        open_store("sqlite:///%00x")
    assert str(info.value) == (
        "a SQLite URL has three slashes and a path without NUL characters, like "
        "sqlite:///cases.db; got 'sqlite:///%00x'"
    )
    with pytest.raises(InputError, match=r"^path: expected a file path \(UTF-8 text"):
        SqliteStore("a\x00b")


def test_a_postgres_url_libpq_cannot_read_is_refused_without_its_password() -> None:
    """Was: ValueError (Invalid IPv6 URL) from open_store("postgresql://u:p@[::1:1/db")."""
    with pytest.raises(UnsupportedStoreURLError) as info:
        open_store("postgresql://u:p@[::1:1/db")
    assert (
        str(info.value) == "not a PostgreSQL URL: 'postgresql://u:***@[::1:1/db' (Invalid IPv6 URL)"
    )
    with pytest.raises(UnsupportedStoreURLError) as info:
        open_store("postgresql://u@h/db?password=s3cret&bogus=1")
    assert "s3cret" not in str(info.value)
    assert str(info.value) == (
        "not a PostgreSQL URL or connection string: 'postgresql://u@h/db?password=***&bogus=1' "
        '(invalid URI query parameter: "bogus")'
    )


def test_an_endless_busy_timeout_is_refused(tmp_path: Path) -> None:
    """Was: OverflowError (cannot convert float infinity to integer)."""
    for value in (math.inf, math.nan, 10**9, True, "30"):
        with pytest.raises(InputError) as info:
            SqliteStore(tmp_path / "x.db", busy_timeout=value)  # type: ignore[arg-type]
        assert str(info.value) == (
            f"busy_timeout: expected a number of seconds from 0 to 2,147,483, got {value!r}"
        )
    assert not (tmp_path / "x.db").exists()


def test_a_synchronous_setting_that_is_not_text_is_refused(tmp_path: Path) -> None:
    """Was: AttributeError ('int' object has no attribute 'upper')."""
    with pytest.raises(InputError) as info:
        SqliteStore(tmp_path / "x.db", synchronous=5)  # type: ignore[arg-type]
    assert str(info.value) == "synchronous: expected one of OFF, NORMAL, FULL, EXTRA, got 5"


# --------------------------------------------------------------------------- instants


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
        dt.datetime(1, 1, 1, tzinfo=UTC),
        dt.datetime(1899, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        dt.datetime(2201, 1, 1, tzinfo=UTC),
    ],
)
def test_instants_outside_1900_to_2200_are_refused_where_they_enter(
    stores: Stores, when: dt.datetime
) -> None:
    """Was: a case opened at 9999-12-31 23:59 UTC or in year 1 was stored, then every query,
    linked and digest_many raised OverflowError (its local time is past datetime's range)."""
    store = stores.open()
    text = f"{when.isoformat()} {RANGE}, dates in the instant's own timezone"
    with pytest.raises(InputError) as info:
        MATTER.open(Member("m-1"), at=when, actor=CLERK)
    assert str(info.value) == f"at: {text}"
    case = open_matter("C-1")
    store.save(case, expected_version=0)
    refusals: dict[str, list[Callable[[], object]]] = {
        "at": [
            lambda: case.fire(MatterTrigger.NOTE, at=when, actor=CLERK),
            lambda: case.allowed(at=when),
            lambda: case.check(MatterTrigger.NOTE, at=when),
            lambda: case.as_of(when),
            lambda: store.as_of("C-1", when),
            lambda: store.recalculate(when, reason="r"),
        ],
        "now": [lambda: store.due(when), lambda: store.sweep(when, dry_run=True)],
        "opened_from": [lambda: store.query(opened_from=when)],
        "opened_until": [lambda: store.query_ids(opened_until=when)],
        "payload.on": [lambda: normalize_payload({"on": when})],
    }
    for argument, calls in refusals.items():
        for call in calls:
            with pytest.raises(InputError) as info:
                call()
            assert str(info.value) == f"{argument}: {text}"
    assert [s.id for s in store.query()] == ["C-1"]
    assert [s.id for s in store.linked("C-1")] == ["C-1"]


def test_the_edges_of_the_range_are_accepted(stores: Stores) -> None:
    store = stores.open()
    first = dt.datetime(1900, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))
    last = dt.datetime(
        2200, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.timezone(-dt.timedelta(hours=12))
    )
    case = MATTER.open(Member("m-1"), at=first, actor=CLERK, case_id="C-1")
    case.fire(MatterTrigger.NOTE, at=last, actor=CLERK)
    store.save(case, expected_version=0)
    (summary,) = store.query(opened_from=first, opened_until=last)
    assert (summary.opened_at, summary.last_at) == (first, last)
    (digest,) = store.digest_many(["C-1"])
    assert (digest.opened_at, digest.last_at) == (first, last)
    assert [s.at for s in store.load("C-1").steps] == [first, last]
    with pytest.raises(NaiveDatetimeError):  # the kind of refusal naive datetimes always had
        store.due(dt.datetime(2200, 1, 1))


def test_a_stored_instant_beyond_the_range_is_malformed_data(tmp_path: Path) -> None:
    """A row written by hand (or by an earlier release) far outside the range: queries name it
    instead of raising OverflowError."""
    store = SqliteStore(tmp_path / "x.db", [MATTER])
    store.save(open_matter("C-1"), expected_version=0)
    store.close()
    stores = Stores("sqlite", tmp_path)
    stores.path = tmp_path / "x.db"
    stores.sql('UPDATE cases SET "opened_at" = ?', (253_402_300_740 * 1_000_000,))
    with SqliteStore(tmp_path / "x.db", [MATTER]) as reopened:
        for call in (
            reopened.query,
            lambda: reopened.linked("C-1"),
            lambda: reopened.digest_many(["C-1"]),
        ):
            with pytest.raises(MalformedDataError, match=r"µs is not an instant$"):
                call()
