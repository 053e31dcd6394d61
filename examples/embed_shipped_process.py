"""Embed a shipped process with SQLite: a cell warns a member, and the case outlives the process."""

import datetime as dt
import pathlib
import tempfile
from zoneinfo import ZoneInfo

from discipline_flow import Body, BodyKind, Member
from discipline_flow.processes import shipped_registry, workflow_for
from discipline_flow.store import open_store

CELL, MEMBER = Body(BodyKind.PARTY_CELL, "cell-7"), Member("m-1", cell_id="cell-7")
day = dt.datetime(2025, 8, 4, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
later = day + dt.timedelta(days=2)
vote = {"eligible": 9, "in_favour": 7, "against": 2, "abstaining": 0}
workflow = workflow_for("member_discipline", day.date())  # the rules in force that day
url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cases.db'}"
with open_store(url, shipped_registry()) as store:
    opening = {"violation_on": "2025-07-10"}
    case = workflow.open(MEMBER, at=day, actor=CELL, case_id="KL-1", payload=opening)
    case.fire("HEAR_SUBJECT", at=day + dt.timedelta(days=1), actor=CELL)
    case.fire("HOLD_VOTE", at=later, actor=CELL, payload={"measure": "warning", "vote": vote})
    case.fire("DECIDE", at=later, actor=CELL)
    store.save(case, expected_version=0)
with open_store(url, shipped_registry()) as store:  # another process, later
    again = store.load("KL-1")  # its hash chain and every move verified
    print(f"{again.id} under {again.workflow.key}: {again.state.name}, {again.version} steps")
    print(again.deadline("administrative_follow_up").explain())
