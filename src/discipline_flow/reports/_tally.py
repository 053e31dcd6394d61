"""The running count of a period's indicators (:mod:`discipline_flow.reports.compute`): what
each case's moves add to which figure, and the facts resolved once every case is read (the
workflow of an origin, the measure a complaint was about).

A :class:`Tally` is picklable: worker processes each count a share of the cases and the parts
are merged (:meth:`Tally.merge`) before :meth:`Tally.resolve`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from discipline_flow.actors import BodyKind, Level, Member, Organisation, Subject
from discipline_flow.measure import Measure
from discipline_flow.reports.annual import level_of
from discipline_flow.reports.indicators import Section
from discipline_flow.reports.period import Period
from discipline_flow.store._digest import CaseDigest, Move

__all__ = ["Tally"]

_CONCLUDED_WITH_FINDINGS = frozenset(
    {"REMEDIATION_REQUIRED", "SIGNS_OF_VIOLATION", "DISCIPLINE_PROPOSED"}
)
_SUSPENSIONS = ("party_activity_suspension", "committee_suspension", "organisation_suspension")
_DISCIPLINE = ("member_discipline", "organisation_discipline")
_SUPERVISIONS = ("regular_supervision", "thematic_supervision")


class Tally:
    """The running figures: counts by indicator and level, by form, deadlines and the facts a
    later look-up resolves (origins read after their children)."""

    def __init__(self, period: Period, folded: Mapping[str, str]) -> None:
        self.period = period
        self.start = period.start
        self.end = period.end
        self.folded = folded
        self.figures: dict[str, dict[str, list[int]]] = {}
        self.forms: dict[str, dict[str, list[int]]] = {}
        self.deadlines: dict[str, dict[str, int]] = {}
        self.workflow_of: dict[str, str] = {}
        self.discipline_moves: dict[str, tuple[Move, ...]] = {}
        # Counted once their origin is known: (origin id, key, level, subject, its workflows).
        self.by_origin: list[tuple[str, str, str, Subject, tuple[str, ...]]] = []
        # Complaints changed, judged once their decision case is read: (complaint's origin,
        # filed at, the measure its opening names, the resolution, level, subject).
        self.changes: list[tuple[str | None, _dt.datetime, Measure | None, Move, str, Subject]]
        self.changes = []
        self.plans: list[tuple[str, str]] = []  # (plan id, level) adopted in the period
        self.children: dict[str, list[tuple[str, bool]]] = {}
        self._levels: dict[tuple[str, str | None], Level | None] = {}
        # Per workflow name: its counter and the section of its deadlines.
        self._kinds: dict[str, tuple[_Counter | None, Section | None]] = {}

    def empty(self) -> Tally:
        """A tally of the same period and levels with nothing counted (for a worker)."""
        return Tally(self.period, self.folded)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_levels"], state["_kinds"] = {}, {}  # caches, rebuilt where needed
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def merge(self, other: Tally) -> None:
        """Add what ``other`` counted (another share of the cases) to this tally."""
        for mine, theirs in ((self.figures, other.figures), (self.forms, other.forms)):
            for key, levels in theirs.items():
                into = mine.setdefault(key, {})
                for level, counts in levels.items():
                    total = into.setdefault(level, [0, 0, 0])
                    for i, n in enumerate(counts):
                        total[i] += n
        for section, outcomes in other.deadlines.items():
            into_outcomes = self.deadlines.setdefault(section, dict.fromkeys(outcomes, 0))
            for outcome, n in outcomes.items():
                into_outcomes[outcome] = into_outcomes.get(outcome, 0) + n
        self.workflow_of.update(other.workflow_of)
        self.discipline_moves.update(other.discipline_moves)
        self.by_origin.extend(other.by_origin)
        self.changes.extend(other.changes)
        self.plans.extend(other.plans)
        for origin, cases in other.children.items():
            self.children.setdefault(origin, []).extend(cases)

    # -- levels and counts

    def level(self, move: Move, subject: Subject) -> str:
        """The level a move's figure is shown at."""
        key = (move.actor_kind, move.actor_level)
        if key not in self._levels:
            stated = None if move.actor_level is None else Level(move.actor_level)
            self._levels[key] = BodyKind(move.actor_kind).acting_level(stated)
        found = self._levels[key]
        level = found.value if found is not None else level_of(subject)
        return self.folded.get(level, level)

    def add(
        self, key: str, level: str, subject: Subject, into: dict[str, dict[str, list[int]]]
    ) -> None:
        levels = into.get(key)
        if levels is None:
            levels = into[key] = {}
        counts = levels.get(level)
        if counts is None:
            counts = levels[level] = [0, 0, 0]
        if isinstance(subject, Organisation):
            counts[0] += 1
        else:
            counts[1] += 1
            if isinstance(subject, Member) and subject.committee_level is not None:
                counts[2] += 1

    def count(self, key: str, move: Move, subject: Subject) -> None:
        self.add(key, self.level(move, subject), subject, self.figures)

    def inside(self, at: _dt.datetime) -> bool:
        return self.start <= at < self.end

    # -- one case

    def case(self, digest: CaseDigest) -> None:
        name = digest.workflow.name
        self.workflow_of[digest.id] = name
        kind = self._kinds.get(name)
        if kind is None:
            family = _family(name)
            kind = self._kinds[name] = (_COUNTERS.get(family), _SECTIONS.get(family))
        counted, section = kind
        moves = digest.moves or ()
        if section is not None and digest.deadlines:
            self.deadline_figures(digest, section)
        if digest.origin_case_id is not None:
            closed = _closed_at(digest, moves, self.end)
            self.children.setdefault(digest.origin_case_id, []).append((digest.id, closed))
        if name in _DISCIPLINE:
            self.discipline_moves[digest.id] = moves
        if counted is not None and moves and moves[-1].at >= self.start:
            counted(self, digest, moves, digest.subject)

    def deadline_figures(self, digest: CaseDigest, section: Section) -> None:
        start, end = self.start, self.end
        for deadline in digest.deadlines:
            due = deadline.due_at
            if not start < due <= end:
                continue
            counts = self.deadlines.get(section.value)
            if counts is None:
                counts = self.deadlines[section.value] = {"on_time": 0, "late": 0, "missed": 0}
            met = deadline.met_at
            if met is not None and met < end:
                counts["on_time" if met < due else "late"] += 1
                continue
            cancelled = deadline.cancelled_at
            overdue = deadline.overdue_at
            if (cancelled is None or cancelled >= end) and overdue is not None and overdue <= end:
                counts["missed"] += 1

    # -- what needs another case

    def resolve(self) -> None:
        """Count what needed another case: the origins' workflows, the measures complained of."""
        for source, key, level, subject, workflows in self.by_origin:
            name = self.workflow_of.get(source, "")
            if name in workflows or _family(name) in workflows:
                self.add(key, level, subject, self.figures)
        for origin, filed_at, complained, move, level, subject in self.changes:
            decision = self.discipline_moves.get(origin) if origin is not None else None
            old = (
                complained if decision is None else _measure_by(decision, filed_at, inclusive=True)
            )
            new = move.measure
            if new is None or old is None or new.severity == old.severity:
                continue
            key = "complaints.changed_heavier" if new > old else "complaints.changed_lighter"
            self.add(key, level, subject, self.figures)


def _family(name: str) -> str:
    """A workflow's family: its name without the level or variant it is built for."""
    for family in (
        "regular_inspection",
        "thematic_supervision",
        "discipline_work_inspection",
        "finance_inspection",
        "denunciation",
    ):
        if name.startswith(family):
            return family
    if name in _SUSPENSIONS:
        return "suspension"
    if name in _DISCIPLINE:
        return "discipline"
    return name


_SECTIONS = {
    "inspection_plan": Section.PLANS,
    "regular_inspection": Section.REGULAR_INSPECTION,
    "regular_supervision": Section.SUPERVISION,
    "thematic_supervision": Section.SUPERVISION,
    "inspection": Section.INSPECTION_ON_SIGNS,
    "discipline_work_inspection": Section.DISCIPLINE_WORK_INSPECTION,
    "finance_inspection": Section.FINANCE_INSPECTION,
    "discipline": Section.DISCIPLINE,
    "suspension": Section.DISCIPLINE,
    "removal_from_rolls": Section.DISCIPLINE,
    "leaving_the_party": Section.DISCIPLINE,
    "complaint": Section.COMPLAINTS,
    "denunciation": Section.DENUNCIATIONS,
    "asset_verification": Section.ASSET_VERIFICATION,
    "remediation": Section.REMEDIATION,
}


def _entries(moves: Sequence[Move], start: _dt.datetime, end: _dt.datetime) -> dict[str, Move]:
    """The first entry into each state, for the states first entered inside the period."""
    first: dict[str, Move] = {}
    previous = None
    for move in moves:
        target = move.target
        if target != previous and target not in first:
            first[target] = move
        previous = target
    return {state: m for state, m in first.items() if start <= m.at < end}


def _closed_at(digest: CaseDigest, moves: Sequence[Move], end: _dt.datetime) -> bool:
    """Whether the case stood in a terminal state at ``end``."""
    state = None
    for move in moves:
        if move.at >= end:
            break
        state = move.target
    terminal = digest.workflow.terminal
    return state is not None and any(s.name == state for s in terminal)


def _measure_by(moves: Iterable[Move], until: _dt.datetime, *, inclusive: bool) -> Measure | None:
    """The last measure named by the moves up to ``until``."""
    found = None
    for move in moves:
        if move.at > until or (move.at == until and not inclusive):
            break
        if move.measure is not None:
            found = move.measure
    return found


def _concluded(prefix: str, findings: str, proposed: str | None) -> _Counter:
    """Inspections and supervisions: CONCLUDE in the period, and what it found."""

    def count(
        tally: Tally,
        digest: CaseDigest,
        moves: Sequence[Move],
        subject: Subject,
    ) -> None:
        for move in moves:
            if move.trigger == "CONCLUDE" and tally.inside(move.at):
                level = tally.level(move, subject)
                tally.add(f"{prefix}.inspected", level, subject, tally.figures)
                if findings and move.target in _CONCLUDED_WITH_FINDINGS:
                    tally.add(f"{prefix}.{findings}", level, subject, tally.figures)
                if proposed is not None and move.target == "DISCIPLINE_PROPOSED":
                    tally.add(proposed, level, subject, tally.figures)
                break
        if prefix == "inspection_on_signs":
            opening = moves[0] if moves else None
            origin = digest.origin_case_id
            if opening is not None and origin is not None and tally.inside(opening.at):
                level = tally.level(opening, subject)
                item = (origin, "supervision.passed_to_inspection", level, subject, _SUPERVISIONS)
                tally.by_origin.append(item)

    return count


def _supervision(kind: str) -> _Counter:
    def count(
        tally: Tally,
        digest: CaseDigest,
        moves: Sequence[Move],
        subject: Subject,
    ) -> None:
        for move in moves:
            if move.trigger == "CONCLUDE" and tally.inside(move.at):
                tally.count(f"supervision.{kind}.supervised", move, subject)
            elif move.trigger == "ESCALATE_TO_INSPECTION" and tally.inside(move.at):
                tally.count(f"supervision.{kind}.signs_found", move, subject)

    return count


def _entering(*pairs: tuple[str, str], opened: str | None = None) -> _Counter:
    """Cases counted when they enter a state (and, with ``opened``, when opened)."""

    def count(
        tally: Tally,
        digest: CaseDigest,
        moves: Sequence[Move],
        subject: Subject,
    ) -> None:
        if opened is not None and moves and tally.inside(moves[0].at):
            tally.count(opened, moves[0], subject)
        entered = _entries(moves, tally.start, tally.end)
        for state, key in pairs:
            move = entered.get(state)
            if move is not None:
                tally.count(key, move, subject)

    return count


def _discipline(
    tally: Tally,
    digest: CaseDigest,
    moves: Sequence[Move],
    subject: Subject,
) -> None:
    move = _entries(moves, tally.start, tally.end).get("IN_EFFECT")
    if move is None:
        return
    if any(m.target == "ANNULLED" and m.at < tally.end for m in moves):
        return
    level = tally.level(move, subject)
    tally.add("discipline.disciplined", level, subject, tally.figures)
    measure = _measure_by(moves, tally.end, inclusive=False)
    if measure is not None:
        tally.add(measure.value, level, subject, tally.forms)
    if digest.origin_case_id is not None:
        item = (digest.origin_case_id, "inspection_on_signs.disciplined", level, subject)
        tally.by_origin.append((*item, ("inspection",)))


_RESOLUTIONS = {
    "UPHOLD_DECISION": "complaints.upheld",
    "CHANGE_DECISION": None,
    "ANNUL_DECISION": "complaints.annulled",
    "REJECT": None,
}


def _complaint(
    tally: Tally,
    digest: CaseDigest,
    moves: Sequence[Move],
    subject: Subject,
) -> None:
    if moves and tally.inside(moves[0].at):
        tally.count("complaints.received", moves[0], subject)
    last = None
    for move in moves:
        if move.trigger in _RESOLUTIONS and tally.inside(move.at):
            last = move
    if last is None or last.trigger is None:
        return
    level = tally.level(last, subject)
    tally.add("complaints.resolved", level, subject, tally.figures)
    key = _RESOLUTIONS[last.trigger]
    if key is not None:
        tally.add(key, level, subject, tally.figures)
    elif last.trigger == "CHANGE_DECISION":
        opening = moves[0]
        item = (digest.origin_case_id, opening.at, opening.measure, last, level, subject)
        tally.changes.append(item)


def _plan(
    tally: Tally,
    digest: CaseDigest,
    moves: Sequence[Move],
    subject: Subject,
) -> None:
    for move in moves:
        if move.trigger == "ADOPT" and tally.inside(move.at):
            tally.plans.append((digest.id, tally.level(move, subject)))
            return


_Counter = Callable[[Tally, CaseDigest, Sequence[Move], Subject], None]

_COUNTERS: Mapping[str, _Counter] = {
    "regular_inspection": _concluded(
        "regular_inspection", "with_shortcomings", "regular_inspection.must_be_disciplined"
    ),
    "inspection": _concluded(
        "inspection_on_signs", "with_violations", "inspection_on_signs.must_be_disciplined"
    ),
    "discipline_work_inspection": _concluded(
        "discipline_work_inspection", "with_shortcomings", None
    ),
    "finance_inspection": _concluded("finance_inspection", "with_shortcomings", None),
    "regular_supervision": _supervision("regular"),
    "thematic_supervision": _supervision("thematic"),
    "discipline": _discipline,
    "suspension": _entering(("SUSPENDED", "discipline.suspended")),
    "removal_from_rolls": _entering(("REMOVED", "discipline.removed_from_rolls")),
    "leaving_the_party": _entering(("LET_GO", "discipline.let_go")),
    "complaint": _complaint,
    "denunciation": _entering(
        ("RESULT_NOTIFIED", "denunciations.resolved"),
        ("NOT_HANDLED", "denunciations.not_handled"),
        ("USED_FOR_INSPECTION", "denunciations.used_for_inspection"),
        opened="denunciations.received",
    ),
    "asset_verification": _entering(
        ("CONCLUDED", "asset_verification.verified"),
        ("ESCALATED_TO_INSPECTION", "asset_verification.escalated"),
    ),
    "remediation": _entering(("VERIFIED", "remediation.verified"), opened="remediation.required"),
    "inspection_plan": _plan,
}
