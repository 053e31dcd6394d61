"""Stories of linked matters and the small processes: inspections and what they open,
remediation, denunciations, suspensions, removals, members leaving, asset verifications.

Linked cases are opened with ``parent=`` through the processes' own helpers
(``open_inspection``, ``open_discipline_cases``, ``open_remediation``, ``open_complaint``), so
each records the case and step that opened it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation
from discipline_flow.demo._discipline import bodies_for, direct_discipline, run_discipline
from discipline_flow.demo._supervision import SUPERVISION_SPAN, supervise
from discipline_flow.demo._world import Driver, FromPlan, Planned, World, fire_any
from discipline_flow.processes.inspection import open_discipline_cases, open_inspection
from discipline_flow.processes.links import open_child
from discipline_flow.processes.remediation import open_remediation
from discipline_flow.rules import Measure

if TYPE_CHECKING:
    from discipline_flow.demo.generator import Sink

__all__ = [
    "INSPECTION_SPAN",
    "MATTER_STORIES",
    "open_inspection_after",
    "planned_inspection",
    "remediation",
    "run_inspection",
]

# ---------------------------------------------------------------------------- inspection


def _inspectors(w: World, subject: Member | Organisation, org: int, day: int) -> list[Body]:
    if isinstance(subject, Member) and subject.managed_by is not None:
        return [
            w.above(org, day, BodyKind.INSPECTION_COMMISSION),
            w.city_body(BodyKind.INSPECTION_COMMISSION),
        ]
    if isinstance(subject, Organisation):
        return [
            w.above(org, day, BodyKind.INSPECTION_COMMISSION),
            w.city_body(BodyKind.INSPECTION_COMMISSION),
        ]
    return [w.grassroots_commission(org), w.above(org, day, BodyKind.INSPECTION_COMMISSION)]


#: The most working days from the step that leads to an inspection on signs of violation to
#: the decisions in effect that follow its conclusion: opening (10), the inspection (78) and a
#: disciplinary case (35).
INSPECTION_SPAN = 10 + 78 + 35


def open_inspection_after(
    w: World, sink: Sink, parent: Driver, org: int, signs: str, outcome: str
) -> None:
    """Open the inspection a step of ``parent`` leads to, and run it to ``outcome``."""
    at = parent.next_at(1, 10)
    if at is None:
        return
    subject = parent.case.subject
    body = _inspectors(w, subject, org, parent.day)[0]
    case = open_inspection(parent.case, at=at, actor=body, case_id=sink.new_id("INS"))
    run_inspection(w, sink, sink.adopt(case, parent.day, parent.minute), org, signs, outcome)


def run_inspection(
    w: World,
    sink: Sink,
    d: Driver,
    org: int,
    signs: str,
    outcome: str,
    *,
    inspectors: Sequence[Body] | None = None,
    plan: str | None = None,
    quick: bool = False,
) -> None:
    """Decide, notify, self-report, verify, draft, hear and conclude with ``outcome``: no
    violation, remediation (which opens its monitoring) or discipline (which opens the
    disciplinary cases, each with the next measure dealt). ``inspectors`` are the bodies that
    may decide it (by default those competent for the subject); ``plan`` the plan it is from;
    ``quick``: each step comes within half the usual time (an item added late in the year)."""

    def gap(low: int, high: int) -> tuple[int, int]:
        return (low, max(low, high // 2)) if quick else (low, high)

    subject = d.case.subject
    team = [f"inspector-{w.rng.randrange(200):03d}" for _ in range(3)]
    payload = {"plan": plan or f"plan-{d.case.id}", "team": team, "signs": signs}
    if inspectors is None:
        inspectors = _inspectors(w, subject, org, d.day)
    body = fire_any(d, "DECIDE_INSPECTION", inspectors, payload, gap=gap(1, 5))
    if body is None:
        sink.done(d)
        return
    reported = w.rng.random() < 0.85
    if not (
        d.fire("NOTIFY_SUBJECT", body, gap=gap(1, 3))
        and d.fire("REQUEST_SELF_REPORT", body, gap=gap(0, 2))
        and (
            d.fire("RECEIVE_SELF_REPORT", body, gap=gap(5, 15))
            if reported
            else d.fire("PROCEED_WITHOUT_SELF_REPORT", body, {"invitations": 3}, gap=gap(10, 20))
        )
        and d.fire("SUBMIT_DRAFT_REPORT", body, gap=gap(10, 30))
        and d.fire("HOLD_HEARING", body, {"attended": reported}, gap=gap(2, 8))
    ):
        sink.done(d)
        return
    conclusion: dict[str, Any] = {"outcome": outcome}
    measure: Measure | None = None
    members: list[Member] = []
    violation = _dt.date.fromordinal(d.day - w.rng.randint(30, 500)).isoformat()
    if outcome == "discipline":
        if isinstance(subject, Member):
            measure = sink.fate.measure_for(subject)
        else:
            measure = Measure.REPRIMAND
            leader = w.member(org * 168 + w.rng.randrange(168), d.day)
            members = [leader]
            conclusion["members"] = [leader.id]
            sink.fate.take(Measure.REPRIMAND)  # the leader's, as the conclusion proposes
        conclusion.update({"measure": measure.value, "violation_on": violation})
    if not d.fire("CONCLUDE", body, conclusion, gap=gap(2, 10)):
        sink.done(d)
        return
    sink.done(d)
    if outcome == "remediation":
        remediation(w, sink, d, body)
    elif outcome == "discipline":
        _discipline_after(w, sink, d, body, org, members, measure)


def _discipline_after(
    w: World,
    sink: Sink,
    d: Driver,
    body: Body,
    org: int,
    members: list[Member],
    measure: Measure | None,
) -> None:
    at = d.next_at(1, 5)
    if at is None:
        return
    for case in open_discipline_cases(d.case, at=at, actor=body, members=members):
        child = sink.adopt(case, d.day, d.minute)
        child.measure = measure
        run_discipline(w, sink, child, org, measure=measure)
    subject = d.case.subject
    if isinstance(subject, Organisation):
        wf = w.workflow("organisation_discipline", d.day)
        if wf is not None:
            case = open_child(
                d.case,
                wf,
                at=at,
                actor=body,
                # the organisation as it stands on the day: its parent is the city once the
                # district level is gone
                subject=w.organisation(org, d.day),
                case_id=sink.new_id("DIS"),
                payload={
                    "measure": Measure.REPRIMAND.value,
                    "violation_on": d.case.steps[-1].payload["violation_on"],
                },
            )
            child = sink.adopt(case, d.day, d.minute)
            child.measure = Measure.REPRIMAND
            run_discipline(w, sink, child, org, measure=Measure.REPRIMAND)


def remediation(w: World, sink: Sink, parent: Driver, body: Body) -> None:
    """Monitor one remedial action of a conclusion: most are reported done and verified in time;
    some miss the notice's deadline and the year-end sweep escalates them."""
    at = parent.next_at(1, 5)
    if at is None:
        return
    days = w.rng.choice((30, 60, 90))
    body = w.successor(body, parent.day)
    case = open_remediation(
        parent.case,
        action="remedy the shortcomings named in the conclusion notice",
        period=f"{days} days",
        at=at,
        actor=body,
        case_id=sink.new_id("RMD"),
    )
    d = sink.adopt(case, parent.day, parent.minute)
    subject = Body(BodyKind.PERSON, case.subject.id)
    working = days * 5 // 7  # about the working days in the notice's period
    if w.rng.random() < 0.8:
        (
            d.fire(
                "SUBMIT_PROGRESS_REPORT", subject, {"progress": "half done"}, gap=(3, working // 4)
            )
            and d.fire("REPORT_COMPLETION", subject, gap=(2, working - working // 4 - 4))
            and d.fire("VERIFY_REMEDIATION", body, gap=(2, 10))
        )
    else:
        d.fire("URGE", body, gap=(10, 20))
    sink.done(d)


def planned_inspection(w: World, sink: Sink, item: Planned, source: FromPlan) -> Driver:
    """An inspection on signs from the media, an audit or a report, opened from its plan and
    decided by the plan's issuer."""
    wf = w.workflow("inspection", item.day)
    assert wf is not None
    d = sink.open(wf, item.subject, item.actor, item.day, "INS", source=source)
    outcome = sink.fate.outcome("planned_inspection")
    run_inspection(
        w,
        sink,
        d,
        item.org,
        "press and audit reports",
        outcome,
        inspectors=[item.actor],
        plan=source.case.id,
    )
    return d


def escalated_supervision(w: World, sink: Sink, *, organisation: bool) -> None:
    """A regular supervision that finds signs of violation and passes to an inspection."""
    story = f"escalated_supervision_{'organisation' if organisation else 'member'}"
    outcome = sink.fate.outcome(story)
    day = w.day(before_end=SUPERVISION_SPAN + 3 + INSPECTION_SPAN)
    wf = w.workflow("regular_supervision", day)
    if wf is None:
        return
    if organisation:
        org = w.random_org()
        subject: Member | Organisation = w.organisation(org, day)
        actor = w.above(org, day, BodyKind.STANDING_COMMITTEE)
    else:
        member = w.member(w.member_number(), day)
        org = w.organisation_of(member)
        subject, actor = member, w.cell(member)
    d = sink.open(wf, subject, actor, day, "SUP")
    supervise(d, actor, signs=True)
    sink.done(d)
    if d.case.state.name == "ESCALATED_TO_INSPECTION":
        open_inspection_after(w, sink, d, org, "regular supervision", outcome)


def escalated_supervision_member(w: World, sink: Sink) -> None:
    """A cell's supervision of a member escalated to an inspection."""
    escalated_supervision(w, sink, organisation=False)


def escalated_supervision_organisation(w: World, sink: Sink) -> None:
    """The level above's supervision of an organisation escalated to an inspection."""
    escalated_supervision(w, sink, organisation=True)


# ---------------------------------------------------------------------------- other processes


def removal(w: World, sink: Sink) -> None:
    """The cell proposes removing a member who stopped taking part; the committee decides
    (within 45 working days of the first invitation)."""
    day = w.day(before_end=45)
    wf = w.workflow("removal_from_rolls", day)
    if wf is None:
        return
    member = w.member(w.member_number(), day)
    org = w.organisation_of(member)
    cell = w.cell(member)
    executive = Body(BodyKind.CELL_EXECUTIVE, f"{member.cell_id}-executive", Level.GRASSROOTS)
    d = sink.open(wf, member, executive, day, "ROL")
    invited = all(d.fire("INVITE_SELF_REVIEW", executive, gap=(3, 8)) for _ in range(3))
    if invited and d.fire("PROCEED_WITHOUT_SELF_REVIEW", cell, gap=(2, 6)):
        payload = {"ground": "no_activity_or_dues", "months_without_activity_or_dues": 4}
        if d.fire("PROPOSE_REMOVAL", cell, payload, gap=(0, 0)):
            d.fire("DECIDE_REMOVAL", w.grassroots_committee(org), gap=(3, 12))
    sink.done(d)


def leaving(w: World, sink: Sink) -> None:
    """A member without violations asks to leave; cell and committee review; the party lets go
    (within 30 working days)."""
    day = w.day(before_end=32)
    wf = w.workflow("leaving_the_party", day)
    if wf is None:
        return
    member = w.member(w.member_number(), day)
    committee = w.grassroots_committee(w.organisation_of(member))
    person = Body(BodyKind.PERSON, member.id)
    d = sink.open(wf, member, person, day, "LEV", payload={"reasons": "family circumstances"})
    clean = {"has_violations": False}
    (
        d.fire("REVIEW_IN_CELL", w.cell(member), clean, gap=(3, 10))
        and d.fire("REVIEW_IN_COMMITTEE", committee, clean, gap=(3, 10))
        and d.fire("DECIDE_TO_LET_GO", committee, clean, gap=(3, 10))
    )
    sink.done(d)


def suspension(w: World, sink: Sink) -> None:
    """A member's party activity is suspended: lifted, tied to a prosecution, or left to expire
    (the year-end sweep expires the ones whose 90 days have run)."""
    day = w.day(before_end=10)
    wf = w.workflow("party_activity_suspension", day)
    if wf is None:
        return
    member = w.member(w.member_number(), day)
    org = w.organisation_of(member)
    bodies = bodies_for(w, member, org, day)[1:]
    d = sink.open(wf, member, bodies[0], day, "SUS")
    prosecuted = w.rng.random() < 0.4
    grounds = ["prosecuted"] if prosecuted else ["obstructing"]
    body = fire_any(d, "DECIDE_SUSPENSION", bodies, {"grounds": grounds}, gap=(1, 5))
    if body is not None:
        if prosecuted:
            d.fire("TIE_TO_LEGAL_PROCESS", body, {"legal_measure": "prosecuted"}, gap=(1, 10))
        elif w.rng.random() < 0.6:
            d.fire("LIFT", body, {"reason": "the review is finished"}, gap=(20, 55))
    sink.done(d)


def asset_verification(w: World, sink: Sink) -> None:
    """An inspection commission above the grassroots verifies a cadre's declaration; the few
    dishonest ones pass to an inspection (which leads to discipline)."""
    honest = sink.fate.outcome("asset_verification") == "honest"
    day = w.day(before_end=75 if honest else 75 + INSPECTION_SPAN)
    wf = w.workflow("asset_verification", day)
    if wf is None:
        return
    number = w.member_number()
    number -= number % 13  # a managed cadre
    member = w.member(number, day)
    org = w.organisation_of(member)
    body = _inspectors(w, member, org, day)[0]
    d = sink.open(wf, member, body, day, "AST")
    explained = w.rng.random() < 0.7
    (
        d.fire("NOTIFY_DECLARANT", body, gap=(1, 5))
        and (
            not explained
            or d.fire("RECEIVE_EXPLANATION", body, {"explanation": "inheritance"}, gap=(5, 15))
        )
        and d.fire("START_VERIFICATION", body, gap=(1, 5))
        and d.fire("CONCLUDE", body, {"is_declaration_honest": honest}, gap=(15, 45))
        and d.fire("CLOSE" if honest else "ESCALATE_TO_INSPECTION", body, gap=(1, 5))
    )
    sink.done(d)
    if d.case.state.name == "ESCALATED_TO_INSPECTION":
        open_inspection_after(w, sink, d, org, "asset and income verification", "discipline")


def denunciation(w: World, sink: Sink, *, to_inspection: bool = False) -> None:
    """A letter against a member reaches the cell: not handled (anonymous), used for an
    inspection, or accepted, verified, concluded and the denouncer told; founded ones lead to
    discipline."""
    if to_inspection:
        outcome = sink.fate.outcome("denunciation_to_inspection")
        day = w.day(before_end=7 + INSPECTION_SPAN)
    else:
        outcome = sink.fate.outcome("denunciation")
        day = w.day(before_end=135) if outcome == "founded" else w.day()
    wf = w.workflow("denunciation_grassroots", day)
    if wf is None:
        return
    member = w.member(w.member_number(), day)
    org = w.organisation_of(member)
    cell = w.cell(member)
    d = sink.open(wf, member, cell, day, "DEN")
    received = _dt.date.fromordinal(day).isoformat()
    if not (
        d.fire("REGISTER", cell, {"received_on": received}, gap=(0, 0))
        and d.fire("CLASSIFY", cell, gap=(1, 5))
    ):
        sink.done(d)
        return
    if to_inspection:
        d.fire("USE_FOR_INSPECTION", cell, {"has_concrete_content": True}, gap=(0, 2))
        sink.done(d)
        if d.case.state.name == "USED_FOR_INSPECTION":
            open_inspection_after(w, sink, d, org, "denunciation", outcome)
        return
    if outcome == "declined":
        d.fire("DECLINE", cell, {"reason": "anonymous"}, gap=(0, 2))
        sink.done(d)
        return
    founded = outcome == "founded"
    (
        d.fire("ACCEPT", cell, gap=(0, 2))
        and d.fire("START_VERIFICATION", cell, gap=(1, 5))
        and d.fire(
            "CONCLUDE", cell, {"findings": "founded" if founded else "unfounded"}, gap=(20, 80)
        )
        and d.fire("NOTIFY_RESULT", cell, gap=(1, 5))
    )
    sink.done(d)
    if founded and not d.stopped:
        wf_discipline = w.workflow("member_discipline", d.day)
        at = d.next_at(1, 5)
        if wf_discipline is not None and at is not None:
            violation = _dt.date.fromordinal(day - w.rng.randint(20, 300)).isoformat()
            case = wf_discipline.open(
                member,
                at=at,
                actor=cell,
                case_id=sink.new_id("DIS"),
                payload={"violation_on": violation},
                parent=d.case,
            )
            measure = sink.fate.measure_for(member)
            run_discipline(w, sink, sink.adopt(case, d.day, d.minute), org, measure=measure)


def denunciation_to_inspection(w: World, sink: Sink) -> None:
    """A letter with concrete content used as input for an inspection."""
    denunciation(w, sink, to_inspection=True)


#: Stories of the linked matters and the small processes, by name, in the order they run: the
#: members' disciplinary cases opened directly come last and take the measures left.
MATTER_STORIES: dict[str, Callable[[World, Sink], None]] = {
    "denunciation": denunciation,
    "denunciation_to_inspection": denunciation_to_inspection,
    "escalated_supervision_member": escalated_supervision_member,
    "escalated_supervision_organisation": escalated_supervision_organisation,
    "suspension": suspension,
    "removal_from_rolls": removal,
    "leaving_the_party": leaving,
    "asset_verification": asset_verification,
    "member_discipline": direct_discipline,
}
