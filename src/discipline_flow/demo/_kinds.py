"""The other kinds of inspection a plan's contents hold: regular inspections by committees
(Charter Điều 30) and inspections of party finances by inspection commissions (Điều 32).

Each case is opened from its content, decided by the plan's issuer with the plan and the
content's team, and concluded within about 60 working days: the work was done well, or
remedies are asked for (in the proportions of the ``kind_inspection`` destinies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discipline_flow.demo._world import Driver, FromPlan, Planned, World

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = ["finance_inspection", "regular_inspection"]


def _run(
    w: World,
    sink: Sink,
    item: Planned,
    source: FromPlan,
    workflow: str,
    decision: dict[str, Any],
) -> Driver:
    assert item.actor.level is not None
    wf = w.workflow(f"{workflow}_{item.actor.level.value}", item.day)
    assert wf is not None
    d = sink.open(wf, item.subject, item.actor, item.day, "KT", source=source)
    content = source.view.content(source.key)
    team = [member for t in content.teams for member in (t.leader, *t.members)]
    body = item.actor
    outcome = sink.fate.outcome("kind_inspection")
    (
        d.fire(
            "DECIDE_INSPECTION",
            body,
            {"plan": source.case.id, "team": team, **decision},
            gap=(1, 5),
        )
        and d.fire("NOTIFY_SUBJECT", body, gap=(1, 3))
        and d.fire("REQUEST_SELF_REPORT", body, gap=(0, 2))
        and d.fire("RECEIVE_SELF_REPORT", body, gap=(5, 15))
        and d.fire("SUBMIT_DRAFT_REPORT", body, gap=(10, 25))
        and d.fire("CONCLUDE", body, {"outcome": outcome}, gap=(2, 10))
    )
    sink.done(d)
    return d


def regular_inspection(w: World, sink: Sink, item: Planned, source: FromPlan) -> Driver:
    """A committee inspects a member or a lower organisation on carrying out the year's
    resolutions (Charter Điều 30)."""
    content = {"content": f"carrying out the resolutions of {w.year}"}
    return _run(w, sink, item, source, "regular_inspection", content)


def finance_inspection(w: World, sink: Sink, item: Planned, source: FromPlan) -> Driver:
    """An inspection commission inspects the finances of a lower committee (Charter Điều 32)."""
    return _run(w, sink, item, source, "finance_inspection", {"target": "lower_committee"})
