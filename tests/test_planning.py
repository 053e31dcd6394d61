"""Inspection and supervision plans: the workflow, its views, completion from real stores, TOML
descriptions, the seed's city plan and the ``plans`` command (issue 16)."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
import json
import pathlib
from typing import Any

import attrs
import psycopg
import pytest

from conftest_store import pg_url
from discipline_flow import Body, BodyKind, Case, Level, Organisation, TransitionRefused
from discipline_flow.cli import EXIT_OK, main
from discipline_flow.errors import InputError
from discipline_flow.planning import (
    ContentKind,
    ContentStatus,
    Plan,
    PlanDescription,
    load_plan,
    open_from_plan,
    parse_plan,
    plan_completion,
    read_content,
)
from discipline_flow.processes import shipped_registry, workflow_for
from discipline_flow.processes.inspection_plan import inspection_plan_workflow
from discipline_flow.store import MemoryStore, open_store
from helpers import RULESETS, at

ROOT = pathlib.Path(__file__).resolve().parent.parent
BTV = Body(BodyKind.STANDING_COMMITTEE, "btv-tu", Level.PROVINCIAL)
UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-tu", Level.PROVINCIAL)
CITY = Organisation("dang-bo-tp", Level.PROVINCIAL)


def content(key: str = "ND-01", kind: str = "supervision", **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind,
        "topic": "Working rules",
        "subjects": ["organisation:phuong-1", "member:m-1"],
        "from": "2023-03-01",
        "to": "2023-06-30",
        **extra,
    }


TEAM = {"id": "DOAN-1", "decision": "QĐ 101-QĐ/TU", "leader": "uv-1", "members": ["cb-1"]}


def drafted(ruleset: str = "2022", day: dt.date = dt.date(2023, 1, 5)) -> Case[Any, Any]:
    wf = inspection_plan_workflow(RULESETS[ruleset])
    plan = wf.open(CITY, at=at(day.year, day.month, day.day), actor=BTV, case_id="KH-1")
    plan.fire("ADD_CONTENT", at=plan.last_at, actor=BTV, payload={"content": content()})
    return plan


@pytest.mark.parametrize("ruleset", sorted(RULESETS))
def test_a_plan_is_drafted_adopted_amended_extended_and_closed(ruleset: str) -> None:
    plan = drafted(ruleset)
    day = plan.last_at
    plan.fire("ASSIGN_TEAM", at=day, actor=BTV, payload={"key": "ND-01", "team": TEAM})
    amended = content(topic="Working rules and democratic centralism")
    plan.fire("AMEND_CONTENT", at=day, actor=BTV,
              payload={"key": "ND-01", "content": amended, "reason": "merged two topics"})  # fmt: skip
    plan.fire("ADOPT", at=day, actor=BTV)
    later = {**TEAM, "id": "DOAN-2", "subjects": ["member:m-1"]}
    plan.fire("ASSIGN_TEAM", at=day, actor=BTV, payload={"key": "ND-01", "team": later})
    moved = content(to="2023-07-31")
    plan.fire("AMEND_CONTENT", at=day, actor=BTV,
              payload={"key": "ND-01", "content": moved, "reason": "the city's congress"})  # fmt: skip
    extra = content("OP-1", "inspection", subjects=["member:m-9"])
    plan.fire("ADD_OUT_OF_PLAN", at=day, actor=BTV, payload={"content": extra})
    plan.fire("CLOSE", at=day, actor=BTV, payload={"review": "done"})
    view = Plan.of(plan)
    assert view.state == "CLOSED"
    assert [c.key for c in view.contents] == ["ND-01", "OP-1"]
    first = view.content("ND-01")
    # The second amendment replaced the topic given by the first: an amendment is a whole content.
    assert (first.topic, first.period_to) == ("Working rules", dt.date(2023, 7, 31))
    assert [t.id for t in first.teams] == ["DOAN-1", "DOAN-2"]
    assert view.content("OP-1").out_of_plan
    assert not first.out_of_plan
    assert [c.kind for c in view.contents] == [ContentKind.SUPERVISION, ContentKind.INSPECTION]


def refusal(plan: Case[Any, Any], trigger: str, **kwargs: Any) -> str:
    before = plan.version
    with pytest.raises(TransitionRefused) as info:
        plan.fire(trigger, at=plan.last_at, **kwargs)
    assert plan.version == before
    return str(info.value)


def test_only_the_issuer_moves_its_plan() -> None:
    text = refusal(drafted(), "ADOPT", actor=UBKT)
    assert "issuer: inspection_commission:ubkt-tu did not issue this plan" in text
    person = Body(BodyKind.PERSON, "clerk")
    assert "is not a party body" in refusal(drafted(), "ADOPT", actor=person)


@pytest.mark.parametrize(
    ("trigger", "payload", "reason"),
    [
        ("ADD_CONTENT", {"content": content()}, "the plan already has a content 'ND-01'"),
        ("ADD_CONTENT", {"content": content("ND-2", "audit")}, "'audit' is not a kind of content"),
        ("ADD_CONTENT", {"content": content("ND-2", to="2023-01-01")}, "the period ends"),
        ("ADD_CONTENT", {"content": content("ND-2", subjects=["cell-1"])}, "is not a subject"),
        ("AMEND_CONTENT", {"key": "ND-01", "content": content()}, "amendment.reason"),
        (
            "AMEND_CONTENT",
            {"key": "ND-9", "content": content(), "reason": "x"},
            "no content 'ND-9'",
        ),
        ("ASSIGN_TEAM", {"key": "ND-9", "team": TEAM}, "the plan has no content 'ND-9'"),
        (
            "ASSIGN_TEAM",
            {"key": "ND-01", "team": {**TEAM, "subjects": ["member:m-2"]}},
            "team DOAN-1 covers member:m-2, not a subject of ND-01",
        ),
    ],
)
def test_what_a_plan_refuses(trigger: str, payload: dict[str, Any], reason: str) -> None:
    assert reason in refusal(drafted(), trigger, actor=BTV, payload=payload)


def test_adoption_needs_a_content_and_out_of_plan_items_come_after_it() -> None:
    wf = inspection_plan_workflow(RULESETS["2022"])
    empty = wf.open(CITY, at=at(2023, 1, 5), actor=BTV, case_id="KH-0")
    assert "a plan is adopted with its contents" in refusal(empty, "ADOPT", actor=BTV)
    text = refusal(drafted(), "ADD_OUT_OF_PLAN", actor=BTV, payload={"content": content("OP")})
    assert "cannot ADD_OUT_OF_PLAN while DRAFT" in text
    adopted = drafted()
    adopted.fire("ADOPT", at=adopted.last_at, actor=BTV)
    assert "cannot ADD_CONTENT while ADOPTED" in refusal(
        adopted, "ADD_CONTENT", actor=BTV, payload={"content": content("ND-2")}
    )
    assert "the year-end review needs payload 'review'" in refusal(adopted, "CLOSE", actor=BTV)


def test_a_content_reads_back_from_its_payload() -> None:
    original = read_content({**content(), "teams": [TEAM]})
    assert read_content(original.to_payload()) == original
    with pytest.raises(InputError, match="unknown key 'owner'"):
        read_content({**content(), "owner": "x"})


def test_completion_from_a_store_at_any_instant() -> None:
    description = PlanDescription(
        id="KH-1",
        issuer=BTV,
        organisation=CITY,
        adopted_on=dt.date(2023, 1, 10),
        contents=(read_content(content()), read_content(content("ND-02", "supervision"))),
    )
    plan = description.build()
    wf = workflow_for("thematic_supervision_provincial", dt.date(2023, 3, 1))
    march = at(2023, 3, 1)
    first = open_from_plan(plan, "ND-01", "organisation:phuong-1", wf, at=march, actor=BTV)
    view = Plan.of(plan)  # read once for the cases opened from it
    second = open_from_plan(plan, "ND-01", "member:m-1", wf, at=march, actor=BTV, view=view)
    other = attrs.evolve(description, id="KH-2").build()
    with pytest.raises(InputError, match=r"^view: the view is of plan KH-1, not of plan KH-2$"):
        open_from_plan(other, "ND-01", "member:m-1", wf, at=march, actor=BTV, view=view)
    assert first.subject == Organisation("phuong-1", Level.DISTRICT)  # below the city, in 2023
    assert first.origin is not None
    assert first.origin.case_id == "KH-1"
    for trigger, days, payload in [
        ("REQUEST_REPORT", 0, {}),
        ("RECEIVE_REPORT", 7, {}),
        ("START_ASSESSMENT", 8, {}),
        ("CONCLUDE", 20, {"signs_of_violation": False}),
        ("ISSUE_REMINDER", 21, {}),
    ]:
        first.fire(trigger, at=march.add(days=days), actor=BTV, payload=payload)
    store = MemoryStore(shipped_registry())
    store.save_many([(plan, 0), (first, 0), (second, 0)])

    def statuses(when: dt.datetime) -> list[str]:
        return [i.status.value for i in plan_completion(store, "KH-1", at=when).items]

    assert statuses(at(2023, 2, 1)) == ["not_started", "not_started"]
    assert statuses(at(2023, 3, 10)) == ["in_progress", "not_started"]
    second.fire("CANCEL", at=march.add(days=30), actor=BTV, payload={"reason": "merged"})
    store.save(second, expected_version=1)
    assert statuses(at(2023, 3, 10)) == ["in_progress", "not_started"]  # as it stood then
    completion = plan_completion(store, "KH-1")
    assert [i.status for i in completion.items] == [ContentStatus.DONE, ContentStatus.NOT_STARTED]
    assert completion.items[0].case_ids == (first.id, second.id)
    assert not completion.is_complete
    with pytest.raises(InputError, match="member:m-7 is not a subject of ND-01"):
        open_from_plan(plan, "ND-01", "member:m-7", wf, at=march, actor=BTV)


def test_the_seed_city_plan_from_toml() -> None:
    description = load_plan(ROOT / "src" / "discipline_flow" / "demo" / "city_plan_2023.toml")
    contents = description.contents
    # The seed (a city, 2023): 12 contents, 6 inspection and 6 supervision, 17 teams for 17
    # organisations and 10 members; 6 teams outside the plan for 1 organisation and 5 members.
    assert len(contents) == 12
    assert sum(c.kind is ContentKind.INSPECTION for c in contents) == 6
    assert sum(len(c.teams) for c in contents) == 17
    subjects = {s for c in contents for s in c.subjects}
    assert sum(s.kind == "organisation" for s in subjects) == 17
    assert sum(s.kind == "member" for s in subjects) == 10
    extra = [i.content for i in description.out_of_plan]
    assert sum(len(c.teams) for c in extra) == 6
    assert sorted(s.kind for c in extra for s in c.subjects) == ["member"] * 5 + ["organisation"]
    assert Plan.of(description.build()).teams[-1].id == "DOAN-23"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('id = "K"\nowner = "x"', "<plan>: owner: unknown key"),
        ('id = "K"\nlevel = "county"', "<plan>: level: 'county' is not a level"),
        ('level = "provincial"\nissuer = "btv"', "is not a Body or a 'kind:id' text"),
        (
            'level = "provincial"\nissuer = "standing_committee:b"\nadopted_on = "soon"',
            "<plan>: adopted_on: expected a date",
        ),
        ("id = ", "<plan>: not valid TOML"),
    ],
)
def test_a_plan_file_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_plan(text)


def test_a_missing_plan_file_is_named(tmp_path: pathlib.Path) -> None:
    with pytest.raises(InputError, match=r"cannot read .*nope\.toml"):
        load_plan(tmp_path / "nope.toml")


def _run_example(url: str) -> list[str]:
    spec = importlib.util.spec_from_file_location("city_plan", ROOT / "examples" / "city_plan.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        module.main(url)
    return out.getvalue().splitlines()


# By hand from city_plan_2023.toml: by 30 June the contents starting in March to June (ND-01 to
# ND-04 and ND-07 to ND-10) have run (each case ends 18 days after it opens), ND-05, ND-06,
# ND-11 and ND-12 start in July and August; OP-01 (15 May) and OP-02 (1 June) were added and
# done; 17 + 2 teams. At the close every content and all 6 items outside the plan are done.
MID_YEAR = (
    "plan KH-2023-BTV (adopted, standing_committee:btv-thanh-uy) at 2023-06-30: 12 contents, "
    "8 done, 0 in progress, 4 not started; 2 outside the plan, 2 done; 19 teams"
)
CLOSED = (
    "plan KH-2023-BTV (closed, standing_committee:btv-thanh-uy) at 2023-12-29: 12 contents, "
    "12 done, 0 in progress, 0 not started; 6 outside the plan, 6 done; 23 teams"
)


def test_the_city_plan_on_sqlite(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    assert _run_example(url) == [MID_YEAR, CLOSED]
    with open_store(url, shipped_registry()) as store:
        assert store.verify_all().cases == 1 + 27 + 6  # the plan and one case per subject
    assert (
        main(["plans", "--store", url, "--year", "2023", "--at", "2023-06-30", "--json"]) == EXIT_OK
    )
    (plan,) = json.loads(capsys.readouterr().out)["plans"]
    assert plan["in_plan"] == {"done": 8, "in_progress": 0, "not_started": 4}
    assert plan["out_of_plan"] == {"done": 2, "in_progress": 0, "not_started": 0}
    assert main(["plans", "--store", url, "--year", "2022"]) == EXIT_OK
    assert capsys.readouterr().out == "no plans\n"


@pytest.mark.postgres
def test_the_city_plan_on_postgresql() -> None:
    base = pg_url()
    url = f"{base}{'&' if '?' in base else '?'}schema=t_plans_{dt.datetime.now().microsecond}"
    try:
        assert _run_example(url) == [MID_YEAR, CLOSED]
        with open_store(url, shipped_registry()) as store:
            assert store.verify_all().cases == 1 + 27 + 6
    finally:
        schema = url.rpartition("schema=")[2]
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
