"""A city's inspection and supervision plan for 2023, its cases and its completion.

The plan (``city_plan_2023.toml``, shipped with the city-year demo, which carries it out too;
the seed's figures: 12 contents, 17 teams for 17 organisations and 10 members, 6 teams outside
the plan for 1 organisation and 5 members) is built and stored
in SQLite (or the store URL given as the first argument); each team opens the inspection or the
supervision of its subjects on the content's first day and concludes it three weeks later;
items outside the plan are added on their day. The plan's completion is read back from the
store at mid-year and when the plan is closed with its review.
"""

import datetime as dt
import importlib.resources
import pathlib
import sys
import tempfile
from typing import Any

from discipline_flow.planning import TIMEZONE, Plan, load_plan, open_from_plan, plan_completion
from discipline_flow.processes import shipped_registry, workflow_for
from discipline_flow.store import open_store

PLAN_FILE = pathlib.Path(
    str(importlib.resources.files("discipline_flow.demo") / "city_plan_2023.toml")
)
SUPERVISION = ["REQUEST_REPORT", "RECEIVE_REPORT", "START_ASSESSMENT", "CONCLUDE", "ISSUE_REMINDER"]
INSPECTION = ["DECIDE_INSPECTION", "NOTIFY_SUBJECT", "REQUEST_SELF_REPORT", "RECEIVE_SELF_REPORT",
              "SUBMIT_DRAFT_REPORT", "HOLD_HEARING", "CONCLUDE"]  # fmt: skip
PAYLOADS: dict[str, dict[str, Any]] = {
    "supervision CONCLUDE": {"signs_of_violation": False},
    "inspection CONCLUDE": {"outcome": "no_violation"},
    "inspection HOLD_HEARING": {"attended": True},
}


def at(day: dt.date, later: int = 0) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=later), dt.time(9), tzinfo=TIMEZONE)


def drive(case: Any, kind: str, start: dt.date, team: str, plan_id: str) -> None:
    """Take a case from its opening to its conclusion, a step every three days."""
    for number, trigger in enumerate(INSPECTION if kind == "inspection" else SUPERVISION):
        payload = PAYLOADS.get(f"{kind} {trigger}", {})
        if trigger == "DECIDE_INSPECTION":
            payload = {"plan": plan_id, "team": [team]}
        case.fire(trigger, at=at(start, 3 * number), actor=case.steps[0].actor, payload=payload)


def main(url: str) -> None:
    description = load_plan(PLAN_FILE)
    plan = description.build(until=description.adopted_on)
    issuer = description.issuer
    openings = [(c.period_from, c, t) for c in description.contents for t in c.teams]
    openings += [
        (i.added_on, i.content, t) for i in description.out_of_plan for t in i.content.teams
    ]
    with open_store(url, shipped_registry()) as store:
        store.save(plan, expected_version=0)
        for start, content, team in sorted(openings, key=lambda o: (o[0], o[1].key, o[2].id)):
            if content.out_of_plan and content.key not in {c.key for c in Plan.of(plan).contents}:
                version = plan.version
                plan.fire("ADD_OUT_OF_PLAN", at=at(start), actor=issuer,
                          payload={"content": content.to_payload()})  # fmt: skip
                store.save(plan, expected_version=version)
            kind = content.kind.value
            name = "inspection" if kind == "inspection" else "thematic_supervision_provincial"
            for subject in team.subjects or content.subjects:
                case = open_from_plan(plan, content.key, str(subject), workflow_for(name, start),
                                      at=at(start), actor=issuer, case_id=f"{team.id}/{subject.id}")  # fmt: skip
                drive(case, kind, start, team.id, plan.id)
                store.save(case, expected_version=0)
        print(plan_completion(store, plan.id, at=at(dt.date(2023, 6, 30))).text())
        review = "All 12 contents and 6 items outside the plan carried out."
        plan.fire("CLOSE", at=at(dt.date(2023, 12, 29)), actor=issuer, payload={"review": review})
        store.save(plan, expected_version=plan.version - 1)
        print(plan_completion(store, plan.id).text())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/plans.db")
