"""A new regulation as a file: a fictitious 2027 ruleset shortens a limitation period.

The file ``rulesets/2027.toml`` extends the built-in ``2026`` ruleset and changes one rule (the
limitation period for a violation warranting a reprimand: 5 years to 3). It is loaded beside the
built-in rulesets, chosen by date, diffed against 2026, and the shipped ``member_discipline``
workflow is built from it: a violation of 15 March 2024 decided on 1 June 2027 is within QĐ 69's
5 years (until 2029) but past the file's 3 years (ended 2027), so the cell's decision is refused.
"""

import datetime as dt
import pathlib
from zoneinfo import ZoneInfo

from discipline_flow import Body, BodyKind, Member, TransitionRefused
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import default_registry

FOLDER = pathlib.Path(__file__).parent / "rulesets"
registry = default_registry().with_files(FOLDER)
print("rulesets:", ", ".join(f"{r.name} ({r.span})" for r in registry))

decided_at = dt.datetime(2027, 6, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
rules = registry.select(decided_at.date())  # the rules in force on the day of the decision
print(f"in force on {decided_at.date()}: {rules.name}")
print(registry.get("2026").diff(rules).text(), end="")

CELL, MEMBER = Body(BodyKind.PARTY_CELL, "cell-7"), Member("m-1", cell_id="cell-7")
vote = {"eligible": 9, "in_favour": 7, "against": 2, "abstaining": 0}
for ruleset in (registry.get("2026"), rules):
    workflow = next(w for w in shipped_workflows(ruleset) if w.name == "member_discipline")
    case = workflow.open(
        MEMBER, at=decided_at, actor=CELL, case_id="KL-7", payload={"violation_on": "2024-03-15"}
    )
    case.fire("HEAR_SUBJECT", at=decided_at, actor=CELL)
    case.fire(
        "HOLD_VOTE", at=decided_at, actor=CELL, payload={"measure": "reprimand", "vote": vote}
    )
    try:
        case.fire("DECIDE", at=decided_at, actor=CELL)
        print(f"under {ruleset.name}: {case.state.name}")
    except TransitionRefused as refusal:
        print(f"under {ruleset.name}: refused: {refusal.failures[0]}")
