"""A history that proves itself: each way of rewriting a stored case, done as carefully as
someone with write access to the database could, and the layer that detects it.

The layers: a load (the hash chain, the columns against the canonical text, the recorded
version, head and state, and what a form 2 opening hashed), ``verify_all`` (every row kept
beside a history against a replay of it), and an anchor kept outside the database (``check_anchor``,
with its root and HMAC). ``LAYERS`` is the table ``docs/reliability.md`` shows; each row is
measured here on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest_store import (
    CLERK,
    COMMISSION,
    REPLY,
    RequestTrigger,
    Stores,
    allow_edits,
    at,
    kind_params,
    open_matter,
    stores_fixture,
)
from discipline_flow import Body, BodyKind, Case, Member
from discipline_flow.cli import EXIT_CHECK_FAILED, EXIT_INPUT, EXIT_OK, main
from discipline_flow.errors import InputError, MalformedDataError, TamperedHistoryError
from discipline_flow.store import Anchor, CaseStore, anchor_store, check_anchor

KEY = b"kept apart from the database"
NAMED = Body(BodyKind.PERSON, "clerk-2", name="Trần Thị B")
OTHER = Body(BodyKind.INSPECTION_COMMISSION, "commission-9")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
REG = ["--registry", "conftest_store:registry"]


@pytest.fixture(params=kind_params("sqlite", "postgres"))
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    yield from stores_fixture(request.param, tmp_path)


def _case(
    accepted_by: Body = COMMISSION, note: dict[str, Any] | None = None
) -> tuple[Case[Any, Any], Case[Any, Any]]:
    """The matter ``P-1`` and the request ``C-1`` it opened: opened, accepted (two deadlines
    started: ``reply`` and ``report``), then noted by a named clerk."""
    parent = open_matter("P-1")
    case = REPLY.open(Member("m-1"), at=at(2025, 3, 3), actor=CLERK, case_id="C-1", parent=parent)
    case.fire(RequestTrigger.ACCEPT, at=at(2025, 3, 3, 10), actor=accepted_by)
    case.fire(RequestTrigger.NOTE, at=at(2025, 3, 4), actor=NAMED, payload=note or {"n": 1})
    return parent, case


def _story(store: CaseStore) -> Anchor:
    parent, case = _case()
    store.save(parent, expected_version=0)
    store.save(case, expected_version=0)
    return anchor_store(store, key=KEY)


def _ts(stores: Stores, when: dt.datetime) -> Any:
    """``when`` as the stores keep instants: microseconds (SQLite), timestamptz (PostgreSQL)."""
    plain = dt.datetime.fromisoformat(when.isoformat())  # pendulum's arithmetic differs
    return (plain - _EPOCH) // dt.timedelta(microseconds=1) if stores.kind == "sqlite" else plain


def _insert_steps(stores: Stores, case: Case[Any, Any], start: int) -> None:
    """Write the step rows of ``case`` from ``start`` on, hashes and texts made as a save does."""
    columns = (
        "case_id, previous_hash, idx, kind, trigger, source, target, at, actor_kind, actor_id, "
        "actor_level, basis, payload, actor_name, hash, canonical"
    )
    quoted = ", ".join(f'"{c.strip()}"' for c in columns.split(","))
    for step in case.steps[start:]:
        f = step.canonical_fields()
        payload = json.dumps(f.payload, ensure_ascii=False, separators=(",", ":"))
        stores.sql(
            f"INSERT INTO steps ({quoted}) VALUES ({', '.join('?' * 16)})",
            (
                case.id,
                *f[:11],
                payload,
                step.actor.name,
                step.hash,
                step.canonical().decode(),
            ),
        )


# --------------------------------------------------------------------------- the tampers


def _delete_last_step(stores: Stores) -> None:
    """The last step removed, and the case row made to name the one before it."""
    allow_edits(stores)
    head, when = stores.sql("SELECT hash, at FROM steps WHERE case_id = 'C-1' AND idx = 1")[0]
    stores.sql("DELETE FROM steps WHERE case_id = 'C-1' AND idx = 2")
    stores.sql(
        "UPDATE cases SET version = 2, head_hash = ?, last_at = ? WHERE id = 'C-1'",
        (head, _ts(stores, dt.datetime.fromisoformat(when))),
    )


def _rewrite_from_step_1(stores: Stores) -> None:
    """Steps 1 and 2 replaced by others (another commission accepted; another note), every hash
    recomputed from step 1 on, and the recorded head with them."""
    allow_edits(stores)
    _, forged = _case(accepted_by=OTHER, note={"n": 2})
    stores.sql("DELETE FROM steps WHERE case_id = 'C-1' AND idx >= 1")
    _insert_steps(stores, forged, 1)
    stores.sql("UPDATE cases SET head_hash = ? WHERE id = 'C-1'", (forged.steps[-1].hash,))


def _move_to_another_member(stores: Stores) -> None:
    """One UPDATE of the case row, no trigger dropped: the case is now about member m-9."""
    (subject,) = stores.sql("SELECT subject FROM cases WHERE id = 'C-1'")[0]
    moved = subject.replace('"m-1"', '"m-9"')
    stores.sql("UPDATE cases SET subject_id = 'm-9', subject = ? WHERE id = 'C-1'", (moved,))


def _move_subject_id_only(stores: Stores) -> None:
    stores.sql("UPDATE cases SET subject_id = 'm-9' WHERE id = 'C-1'")


def _mark_deadline_met(stores: Stores) -> None:
    """The due index says the reply deadline was met: a sweep never fires its MISS."""
    stores.sql("UPDATE deadlines SET status = 'met' WHERE case_id = 'C-1' AND rule = 'reply'")


def _mark_deadline_met_in_its_data(stores: Stores) -> None:
    """The same, with the deadline's data saying when it was met."""
    (data,) = stores.sql("SELECT data FROM deadlines WHERE case_id = 'C-1' AND rule = 'reply'")[0]
    values = json.loads(data)
    values["met_at"] = "2025-03-05T09:00:00+07:00"
    stores.sql(
        "UPDATE deadlines SET status = 'met', data = ? WHERE case_id = 'C-1' AND rule = 'reply'",
        (json.dumps(values),),
    )


def _edit_actor_name(stores: Stores) -> None:
    allow_edits(stores)
    stores.sql("UPDATE steps SET actor_name = 'Someone Else' WHERE case_id = 'C-1' AND idx = 2")


def _edit_opened_at(stores: Stores) -> None:
    stores.sql(
        "UPDATE cases SET opened_at = ? WHERE id = 'C-1'",
        (_ts(stores, at(2025, 1, 2)),),
    )


def _edit_origin_case_id(stores: Stores) -> None:
    stores.sql("UPDATE cases SET origin_case_id = 'P-9' WHERE id = 'C-1'")


def _edit_origin(stores: Stores) -> None:
    (origin,) = stores.sql("SELECT origin FROM cases WHERE id = 'C-1'")[0]
    moved = origin.replace('"P-1"', '"P-9"')
    stores.sql("UPDATE cases SET origin_case_id = 'P-9', origin = ? WHERE id = 'C-1'", (moved,))


def _edit_payload(stores: Stores) -> None:
    """Detected before this work too: the column no longer says what the hashed text says."""
    allow_edits(stores)
    stores.sql("UPDATE steps SET payload = '{\"n\":5}' WHERE case_id = 'C-1' AND idx = 2")


#: Tamper kind -> (what is done, detected by a load, by verify_all, by the anchor, and the
#: message of the first layer that detects it).
LAYERS: dict[str, tuple[Callable[[Stores], None], bool, bool, bool, str]] = {
    "last step deleted with version and head": (
        _delete_last_step,
        False,
        False,
        True,
        r"case C-1: 2 steps stored, 3 anchored \(history truncated\)",
    ),
    "history rewritten from step 1, hashes recomputed": (
        _rewrite_from_step_1,
        False,
        False,
        True,
        r"case C-1: step 2 is not the anchored head .* \(history rewritten\)",
    ),
    "subject and subject_id moved to another member": (
        _move_to_another_member,
        True,
        True,
        True,
        r"case C-1: subject.id is 'm-9' but its opening step recorded 'm-1'",
    ),
    "subject_id alone moved": (
        _move_subject_id_only,
        False,
        True,
        False,
        r"case C-1: cases.subject_id is 'm-9' but the replayed history says 'm-1'",
    ),
    "deadline row marked met": (
        _mark_deadline_met,
        False,
        True,
        False,
        r"case C-1: deadlines\[0\].status is 'met' but the replayed history says 'open'",
    ),
    "deadline row and data marked met": (
        _mark_deadline_met_in_its_data,
        False,
        True,
        False,
        (
            r"case C-1: deadline 0 \(reply\) met_at is '2025-03-05T09:00:00\+07:00' but the "
            r"replayed history says None"
        ),
    ),
    "actor_name edited": (
        _edit_actor_name,
        True,
        True,
        True,
        r"case C-1: step 2 \(fire NOTE\) was edited after it was recorded",
    ),
    "opened_at edited": (
        _edit_opened_at,
        False,
        True,
        False,
        (
            r"case C-1: cases.opened_at is '2025-01-02T09:00:00\+07:00' but the replayed "
            r"history says '2025-03-03T09:00:00\+07:00'"
        ),
    ),
    "origin_case_id edited": (
        _edit_origin_case_id,
        False,
        True,
        False,
        r"case C-1: cases.origin_case_id is 'P-9' but the replayed history says 'P-1'",
    ),
    "origin and origin_case_id edited": (
        _edit_origin,
        True,
        True,
        True,
        r"case C-1: origin.case_id is 'P-9' but its opening step recorded 'P-1'",
    ),
    "payload edited": (
        _edit_payload,
        True,
        True,
        True,
        r"case C-1: step 2 \(fire NOTE\) was edited after it was recorded",
    ),
}


def _raises(action: Callable[[], object]) -> str | None:
    try:
        action()
    except TamperedHistoryError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("kind", list(LAYERS))
def test_each_tamper_is_detected_by_its_layer(stores: Stores, kind: str) -> None:
    tamper, by_load, by_verify, by_anchor, message = LAYERS[kind]
    store = stores.open()
    anchor = _story(store)
    assert store.verify_all().cases == 2
    assert check_anchor(store, anchor, key=KEY) == []
    tamper(stores)
    store = stores.open()  # nothing cached
    loaded = _raises(lambda: store.load_many(["P-1", "C-1"]))
    verified = _raises(store.verify_all)
    try:
        problems = [str(p) for p in check_anchor(store, anchor, key=KEY)]
    except TamperedHistoryError as exc:
        problems = [str(exc)]
    assert (loaded is not None, verified is not None, bool(problems)) == (
        by_load,
        by_verify,
        by_anchor,
    )
    first = loaded or verified or problems[0]
    assert re.fullmatch(message, first), first
    assert store.load("P-1").version == 1  # the other case is untouched


def test_an_anchor_edited_or_replaced_without_the_key_is_reported(stores: Stores) -> None:
    store = stores.open()
    anchor = _story(store)
    _rewrite_from_step_1(stores)
    store = stores.open()
    # Someone who rewrote the history edits the anchor's head: the root no longer checks.
    heads = dict(anchor.heads)
    heads["C-1"] = (3, store.load("C-1").steps[-1].hash)
    edited = Anchor(heads, anchor.root, anchor.hmac)
    assert [p.kind for p in check_anchor(store, edited, key=KEY)] == ["root", "hmac"]
    # ... or makes a new anchor of the rewritten store, without the key: the HMAC reports it.
    replaced = anchor_store(store)
    assert check_anchor(store, replaced) == []  # an unkeyed anchor proves nothing to a writer
    assert [str(p) for p in check_anchor(store, replaced, key=KEY)] == [
        "anchor: a key was given but the anchor has no HMAC"
    ]
    rekeyed = anchor_store(store, key=b"another key")
    assert [p.kind for p in check_anchor(store, rekeyed, key=KEY)] == ["hmac"]
    with pytest.raises(InputError, match="the anchor is keyed"):
        check_anchor(store, anchor)


def test_a_deleted_case_is_reported_and_new_steps_extend_the_anchor(stores: Stores) -> None:
    store = stores.open()
    anchor = _story(store)
    case = store.load("C-1")
    case.fire(RequestTrigger.ANSWER, at=at(2025, 3, 5), actor=COMMISSION)
    store.save(case, expected_version=3)
    store.save(open_matter("P-2"), expected_version=0)
    assert check_anchor(store, anchor, key=KEY) == []  # later steps and cases extend it
    allow_edits(stores)
    stores.sql("DELETE FROM deadlines WHERE case_id = 'C-1'")
    stores.sql("DELETE FROM steps WHERE case_id = 'C-1'")
    stores.sql("DELETE FROM cases WHERE id = 'C-1'")
    assert [(p.case_id, p.kind) for p in check_anchor(stores.open(), anchor, key=KEY)] == [
        ("C-1", "missing")
    ]


def test_anchor_files_round_trip_and_bad_ones_are_refused() -> None:
    anchor = Anchor.of({"C-1": (3, "a" * 64), "Đ-2": (1, "b" * 64)}, key=KEY)
    again = Anchor.from_json(anchor.to_json())
    assert again == anchor
    assert again.problems(key=KEY) == []
    # root: SHA-256 of the sorted lines, worked out here from the documented form
    lines = f'["C-1",3,"{"a" * 64}"]\n["Đ-2",1,"{"b" * 64}"]\n'.encode()
    assert anchor.root == hashlib.sha256(lines).hexdigest()
    for text in ("", "[]", '{"format": "other"}', '{"format": "discipline_flow.anchor/1"}'):
        with pytest.raises(MalformedDataError, match=r"^malformed data at anchor"):
            Anchor.from_json(text)
    bad = json.loads(anchor.to_json())
    bad["cases"]["C-1"]["version"] = 0
    with pytest.raises(MalformedDataError, match="anchor case C-1"):
        Anchor.from_json(json.dumps(bad))


# --------------------------------------------------------------------------- command line


def test_anchor_and_verify_against_it_from_the_command_line(
    stores: Stores,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = stores.open()
    _story(store)
    monkeypatch.setenv("DF_TEST_KEY", KEY.decode())
    out = tmp_path / "anchor.json"
    keyed = ["--key-env", "DF_TEST_KEY"]
    assert main(["anchor", "--store", stores.url, *REG, "--out", str(out), *keyed]) == EXIT_OK
    text = capsys.readouterr().out
    assert text.startswith("anchor: 2 cases, root ")
    assert text.endswith(f"(keyed with $DF_TEST_KEY) -> {out}\n")
    assert set(json.loads(out.read_text())["cases"]) == {"C-1", "P-1"}
    assert main(["verify", "--store", stores.url, *REG, "--anchor", str(out), *keyed]) == EXIT_OK
    assert capsys.readouterr().out == (
        "verify: ok: 2 cases, 4 steps; every one of 2 anchored cases extends its anchored head\n"
    )
    _delete_last_step(stores)
    code = main(["verify", "--store", stores.url, *REG, "--anchor", str(out), *keyed, "--json"])
    assert code == EXIT_CHECK_FAILED
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["anchor"]["problems"] == [
        {
            "case_id": "C-1",
            "kind": "truncated",
            "detail": "case C-1: 2 steps stored, 3 anchored (history truncated)",
        }
    ]
    # A keyed anchor without its key cannot be checked: a bad argument, not a pass.
    code = main(["verify", "--store", stores.url, *REG, "--anchor", str(out), "--key-env", "NO"])
    assert code == EXIT_INPUT
    assert "the anchor is keyed" in capsys.readouterr().err


def test_anchor_refuses_a_store_that_does_not_verify(
    stores: Stores, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _story(stores.open())
    _mark_deadline_met(stores)
    out = tmp_path / "anchor.json"
    assert main(["anchor", "--store", stores.url, *REG, "--out", str(out)]) == EXIT_CHECK_FAILED
    assert capsys.readouterr().out.startswith("anchor: FAILED (nothing written): case C-1: ")
    assert not out.exists()
