"""Discipline stories: hearing, vote, decision or proposal, effect, announcement, complaint.

The deciding body is the first the authority matrix allows for the measure
(:func:`~discipline_flow.rules.check_authority`); a lower body that may only propose votes and
proposes, and the competent body decides. Moves whose actor depends on the ruleset ask the
workflow which of the candidate bodies it accepts (:func:`~discipline_flow.demo._world.fire_any`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from discipline_flow.actors import Body, BodyKind, Member, Organisation
from discipline_flow.demo._destiny import fits
from discipline_flow.demo._world import Driver, World, fire_any
from discipline_flow.processes.discipline import open_complaint
from discipline_flow.rules import Measure, VoteStage, VoteTally, check_authority

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = [
    "DISCIPLINE_SPAN",
    "bodies_for",
    "direct_discipline",
    "discipline",
    "higher",
    "run_discipline",
]

# ---------------------------------------------------------------------------- discipline


def _tally(eligible: int, share: float, stage: VoteStage) -> dict[str, Any]:
    yes = min(eligible, int(eligible * share) + 1)
    return VoteTally(eligible, yes, eligible - yes, 0, stage=stage).to_payload()


def bodies_for(w: World, subject: Member | Organisation, org: int, day: int) -> list[Body]:
    """The bodies that may act on ``subject``, lowest first: its cell (members), its grassroots
    committee and commission, the level above, the city."""
    bodies: list[Body] = []
    if isinstance(subject, Member):
        bodies.append(w.cell(subject))
    kinds = (BodyKind.INSPECTION_COMMISSION, BodyKind.STANDING_COMMITTEE)
    if isinstance(subject, Organisation):
        # the bodies its record names as directly above it (the district's, or the city's once
        # the district level is gone), whatever the day the matter reaches them
        above = [w.parent_body(subject, kind) for kind in kinds]
    else:
        above = [w.above(org, day, kind) for kind in kinds]
    bodies += [w.grassroots_committee(org), w.grassroots_commission(org), *above]
    bodies += [
        w.city_body(BodyKind.INSPECTION_COMMISSION),
        w.city_body(BodyKind.STANDING_COMMITTEE),
        w.city_body(BodyKind.COMMITTEE),
    ]
    return list(dict.fromkeys(bodies))


def higher(bodies: Sequence[Body], than: Body) -> list[Body]:
    order = list(bodies)
    return order[order.index(than) + 1 :] if than in order else order


def discipline(
    w: World,
    sink: Sink,
    subject: Member | Organisation,
    org: int,
    *,
    day: int,
    measure: Measure | None = None,
    close: bool = False,
) -> None:
    """Open a disciplinary case (no parent) and run it (:func:`run_discipline`)."""
    name = "member_discipline" if isinstance(subject, Member) else "organisation_discipline"
    wf = w.workflow(name, day)
    if wf is None:
        return
    bodies = bodies_for(w, subject, org, day)
    violation = _dt.date.fromordinal(day - w.rng.randint(20, 400)).isoformat()
    d = sink.open(wf, subject, bodies[0], day, "DIS", payload={"violation_on": violation})
    run_discipline(w, sink, d, org, measure=measure, close=close)


#: The most working days from a disciplinary case's opening to its decision in effect (the
#: sum of the gaps below, a day more where a same-day step falls after office hours).
DISCIPLINE_SPAN = 5 + 3 + 2 + 15 + 3 + 1 + 3


def run_discipline(
    w: World,
    sink: Sink,
    d: Driver,
    org: int,
    *,
    measure: Measure | None = None,
    close: bool = False,
) -> None:
    """Hear, vote, decide (or propose to the competent body), follow up, take effect, announce;
    some decisions draw a complaint. ``close``: the review finds no violation after the
    hearing. Without ``measure``, a member gets the next measure dealt that may apply."""
    subject = d.case.subject
    ruleset = w.ruleset_of(d.case.workflow, d.day)
    if measure is None:
        measure = (
            sink.fate.measure_for(subject) if isinstance(subject, Member) else Measure.REPRIMAND
        )
    bodies = bodies_for(w, subject, org, d.day)
    competent = next(
        (b for b in bodies if check_authority(ruleset, b, subject, measure).allowed), bodies[-1]
    )
    first = bodies[0] if isinstance(subject, Member) else competent
    if not d.fire("HEAR_SUBJECT", first, {"attended": True}, gap=(1, 5)):
        sink.done(d)
        return
    if close:
        d.fire("CLOSE_WITHOUT_DISCIPLINE", first, {"reason": "no violation on review"})
        sink.done(d)
        return
    eligible = w.rng.randint(7, 25)
    if competent == first:
        vote = _tally(eligible, 0.75, VoteStage.DECISION)
        decided = d.fire("HOLD_VOTE", first, {"measure": measure.value, "vote": vote}) and d.fire(
            "DECIDE", first, gap=(0, 0)
        )
        decider: Body | None = first if decided else None
    else:
        stage = VoteStage.PROPOSAL if measure is Measure.EXPULSION else VoteStage.DECISION
        proposal = _tally(eligible, 0.8, stage)
        decider = None
        if d.fire("HOLD_VOTE", first, {"measure": measure.value, "vote": proposal}) and d.fire(
            "PROPOSE_TO_HIGHER", first, gap=(0, 2)
        ):
            vote = _tally(w.rng.randint(9, 15), 0.7, VoteStage.DECISION)
            decider = fire_any(d, "DECIDE", higher(bodies, first), {"vote": vote}, gap=(3, 15))
    if decider is None:
        sink.done(d)
        return
    if w.rng.random() < 0.85:  # the others miss the 5 days (QĐ 296 Điều 8 mục 5)
        d.fire("RECORD_ADMINISTRATIVE_FOLLOW_UP", decider, {"action": "proposed to the agency"})
    _take_effect(d, bodies, decider)
    d.fire("ANNOUNCE_DECISION", decider, gap=(1, 5))
    # One decision in ten draws a complaint, and the first one always does, so that even a
    # small run shows the whole chain.
    if not d.stopped and ("complaint" not in sink.showcase or w.rng.random() < 0.1):
        _complaint(sink, d, bodies, decider)
    sink.done(d)


def _take_effect(d: Driver, bodies: Sequence[Body], decider: Body) -> None:
    """Approval by the level above when the measure needs it, then the step that gives effect."""
    at = d.next_at(0, 1)
    if at is None:
        d.stopped = True
        return
    effect = ("ANNOUNCE_VOTE_RESULT", "SIGN_DECISION")
    failures = [f for t in effect for f in d.case.check(t, at=at, actor=decider)]
    if any(f.guard == "approved_if_needed" for f in failures):
        approver = next(
            (
                b
                for b in higher(bodies, decider)
                if not d.case.check("APPROVE_DECISION", at=at, actor=b)
            ),
            bodies[-1],
        )
        d.case.fire("APPROVE_DECISION", at=at, actor=approver)
    chosen = next((t for t in effect if not d.case.check(t, at=at, actor=decider)), effect[-1])
    d.case.fire(chosen, at=at, actor=decider)


def _complaint(sink: Sink, decision: Driver, bodies: Sequence[Body], decider: Body) -> None:
    """The disciplined subject complains; the body above accepts and upholds the decision, which
    records the ruling. The complaint then waits for a further complaint until the sweep closes
    it."""
    at = decision.next_at(2, 20)
    if at is None:
        return
    complaint = open_complaint(decision.case, at=at, case_id=sink.new_id("CMP"))
    c = sink.adopt(complaint, decision.day, decision.minute)
    c.measure = decision.measure
    resolver = fire_any(c, "ACCEPT", higher(bodies, decider), gap=(2, 8))
    if resolver is not None and c.fire("UPHOLD_DECISION", resolver, gap=(15, 50)):
        decision.day, decision.minute = c.day, c.minute
        decision.fire("RECORD_COMPLAINT_RULING", resolver, {"outcome": "upheld"}, gap=(0, 0))
    sink.done(c)


def direct_discipline(w: World, sink: Sink) -> None:
    """A cell (or the body competent for the measure) disciplines a member after review: a
    decision in effect in the year with the next measure dealt (given to a member it may apply
    to), a review that finds no violation, or a case opened in the year's last days."""
    outcome = sink.fate.outcome("member_discipline")
    if outcome == "in_progress":
        day = w.late_day(2)
        member = w.member(w.member_number(), day)
        org = w.organisation_of(member)
        discipline(w, sink, member, org, day=day, measure=Measure.REPRIMAND)
        return
    day = w.day(before_end=DISCIPLINE_SPAN)
    if outcome == "not_disciplined":
        member = w.member(w.member_number(), day)
        org = w.organisation_of(member)
        discipline(w, sink, member, org, day=day, measure=Measure.WARNING, close=True)
        return
    measure = sink.fate.next_measure()
    member = w.member(w.member_number(), day)
    while not fits(measure, member):
        member = w.member(w.member_number(), day)
    discipline(w, sink, member, w.organisation_of(member), day=day, measure=measure)
