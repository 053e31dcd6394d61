"""The indicators of a period, computed from any store.

:func:`compute_indicators` reads the cases a store holds through its public API
(:meth:`~discipline_flow.store.CaseStore.query_ids` for every case opened before the period's
end, then :meth:`~discipline_flow.store.CaseStore.digest_many` with ``moves=True`` in chunks)
and counts what :data:`~discipline_flow.reports.indicators.INDICATORS` defines: results whose
step falls inside the period, whenever their case was opened. Nothing is verified (``discipline-flow
verify`` does that) and no history is decoded beyond its moves.

Conventions, the same on every store:

* A figure's **acting level** is the level of the body that took the step counted: the actor's
  level, or its kind's fixed level (a party cell acts at the grassroots); for a body without
  either (a person, the system, a state agency), the subject's level (an organisation's own, the
  level of the committee managing a member, the grassroots for an ordinary member).
* A case **enters** a state when a move leads to it from another state; it counts once, at its
  first entry.
* A **decision in force** (``discipline.disciplined``) entered IN_EFFECT in the period and was
  not ANNULLED by its end; its form is the last ``measure`` named by the steps up to the end.
* A **complaint changed** the decision to a heavier or lighter form when the measure of its
  CHANGE_DECISION ranks above or below the measure complained of: the decision case's measure
  when the complaint was filed (the complaint's own opening measure when the decision case is
  not stored).
* A **deadline** falls in the period when its last day does; it was met on time or late when
  met before the period's end; it was **missed** when it was open and overdue at the period's
  end (one that ran out because the case moved on, as a complaint window closing, is neither).
* **Levels** not shown (``levels``) are added to the nearest level shown above them (below,
  when none is above) and :attr:`Indicators.folded` says so; by default every level of
  :data:`~discipline_flow.reports.indicators.LEVELS`, without ``district`` for a period that
  ends after 1 July 2025.

>>> import pendulum
>>> from discipline_flow import Level, Member
>>> from discipline_flow.processes import shipped_registry
>>> from discipline_flow.store import open_store
>>> from discipline_flow.testing import CaseFactory
>>> at = pendulum.datetime(2023, 9, 30, 15, tz="Asia/Ho_Chi_Minh")
>>> member = Member("m-1", committee_level=Level.GRASSROOTS)
>>> decision = CaseFactory()("member_discipline", "IN_EFFECT", at=at, subject=member)
>>> with open_store("memory://", shipped_registry()) as store:
...     _ = store.save(decision, expected_version=0)
...     q3 = compute_indicators(store, Period.parse("2023-Q3"))
...     q4 = compute_indicators(store, Period.parse("2023-Q4"))
>>> q3.by_level("discipline.disciplined")
{'grassroots': Count(organisations=0, members=1, committee_members=1)}
>>> q3.form_total("warning").members, q4.total("discipline.disciplined").is_zero
(1, True)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from discipline_flow.actors import BodyKind, Level, Member, Organisation, Subject
from discipline_flow.errors import InputError
from discipline_flow.measure import Measure
from discipline_flow.reports._plan_figures import plan_figures
from discipline_flow.reports.annual import level_of
from discipline_flow.reports.indicators import LEVELS, Count, Indicators, Section
from discipline_flow.reports.period import Period
from discipline_flow.store._digest import CaseDigest, Move
from discipline_flow.store._protocol import CaseStore

__all__ = ["DISTRICT_ENDED", "compute_indicators", "default_levels", "folded_levels"]

#: The instant the district level ended (QĐ 294-QĐ/TW): a period ending after it shows no
#: district level.
DISTRICT_ENDED = _dt.datetime(2025, 7, 1, tzinfo=_dt.timezone(_dt.timedelta(hours=7)))

_CHUNK = 1000
_CONCLUDED_WITH_FINDINGS = frozenset(
    {"REMEDIATION_REQUIRED", "SIGNS_OF_VIOLATION", "DISCIPLINE_PROPOSED"}
)
_SUSPENSIONS = ("party_activity_suspension", "committee_suspension", "organisation_suspension")
_DISCIPLINE = ("member_discipline", "organisation_discipline")
_SUPERVISIONS = ("regular_supervision", "thematic_supervision")


def default_levels(period: Period) -> tuple[str, ...]:
    """The levels a report of ``period`` shows: :data:`LEVELS`, without ``district`` when the
    period ends after 1 July 2025 (the district level ended then).

    >>> default_levels(Period.parse("2025-H1")), default_levels(Period.parse("2025"))
    (('central', 'provincial', 'district', 'grassroots'), ('central', 'provincial', 'grassroots'))
    """
    if period.end > DISTRICT_ENDED:
        return tuple(level for level in LEVELS if level != Level.DISTRICT.value)
    return LEVELS


def folded_levels(levels: Sequence[str]) -> dict[str, str]:
    """Where the figures of each level not in ``levels`` go: the nearest level shown above it,
    or below it when none is above.

    >>> folded_levels(("central", "provincial", "grassroots"))
    {'district': 'provincial'}
    >>> folded_levels(("grassroots",))
    {'central': 'grassroots', 'provincial': 'grassroots', 'district': 'grassroots'}
    """
    unknown = [level for level in levels if level not in LEVELS]
    if not levels or unknown or len(set(levels)) != len(levels):
        raise InputError(
            "levels",
            f"expected distinct levels among {', '.join(LEVELS)}, got {list(levels)!r}",
        )
    folded: dict[str, str] = {}
    for position, level in enumerate(LEVELS):
        if level in levels:
            continue
        above = [lv for lv in LEVELS[:position] if lv in levels]
        below = [lv for lv in LEVELS[position + 1 :] if lv in levels]
        folded[level] = above[-1] if above else below[0]
    return folded


class _Tally:
    """The running figures: counts by indicator and level, by form, deadlines and the facts a
    later look-up resolves (origins read after their children)."""

    def __init__(self, period: Period, shown: tuple[str, ...], folded: Mapping[str, str]) -> None:
        self.start = period.start
        self.end = period.end
        self.shown = shown
        self.folded = folded
        self.figures: dict[str, dict[str, list[int]]] = {}
        self.forms: dict[str, dict[str, list[int]]] = {}
        self.deadlines: dict[str, dict[str, int]] = {}
        self.workflow_of: dict[str, str] = {}
        self.discipline_moves: dict[str, tuple[Move, ...]] = {}
        # Counted once their origin is known: (origin id, key, level, subject).
        self.by_origin: list[tuple[str, str, str, Subject, tuple[str, ...]]] = []
        self.complaints: list[tuple[CaseDigest, Move, str]] = []
        self.plans: list[tuple[str, str]] = []  # (plan id, level) adopted in the period
        self.children: dict[str, list[tuple[str, bool]]] = {}
        self._levels: dict[tuple[str, str | None], Level | None] = {}
        # Per workflow name: its counter and the section of its deadlines.
        self._kinds: dict[str, tuple[_Counter | None, Section | None]] = {}

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
        for origin, key, level, subject, workflows in self.by_origin:
            name = self.workflow_of.get(origin, "")
            if name in workflows or _family(name) in workflows:
                self.add(key, level, subject, self.figures)
        for complaint, move, level in self.complaints:
            self.complaint_change(complaint, move, level)

    def complaint_change(self, complaint: CaseDigest, move: Move, level: str) -> None:
        new = move.measure
        origin = complaint.origin_case_id
        before = complaint.opened_at
        moves = self.discipline_moves.get(origin) if origin is not None else None
        if moves is None:
            moves = (complaint.moves or ())[:1]
        old = _measure_by(moves, before, inclusive=True)
        if new is None or old is None or new.severity == old.severity:
            return
        key = "complaints.changed_heavier" if new > old else "complaints.changed_lighter"
        self.add(key, level, complaint.subject, self.figures)


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
        tally: _Tally,
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
        tally: _Tally,
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
        tally: _Tally,
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
    tally: _Tally,
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
    tally: _Tally,
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
        tally.complaints.append((digest, last, level))


def _plan(
    tally: _Tally,
    digest: CaseDigest,
    moves: Sequence[Move],
    subject: Subject,
) -> None:
    for move in moves:
        if move.trigger == "ADOPT" and tally.inside(move.at):
            tally.plans.append((digest.id, tally.level(move, subject)))
            return


_Counter = Callable[[_Tally, CaseDigest, Sequence[Move], Subject], None]

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


def compute_indicators(
    store: CaseStore,
    period: Period,
    *,
    levels: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Indicators:
    """The :class:`~discipline_flow.reports.indicators.Indicators` of ``period`` from the cases
    ``store`` holds (see the module's conventions).

    ``levels`` are the levels shown, from the top (default :func:`default_levels`); the
    figures of the others are folded into them (:func:`folded_levels`). ``progress`` is called
    with the number of cases read and the number to read after each chunk.
    """
    if not isinstance(period, Period):
        raise InputError("period", f"expected a Period (Period.parse('2023-Q3')), got {period!r}")
    shown = default_levels(period) if levels is None else tuple(levels)
    folded = folded_levels(shown)
    tally = _Tally(period, shown, folded)
    ids = sorted(store.query_ids(opened_until=period.end))
    for i in range(0, len(ids), _CHUNK):
        for digest in store.digest_many(ids[i : i + _CHUNK], moves=True):
            tally.case(digest)
        if progress is not None:
            progress(min(i + _CHUNK, len(ids)), len(ids))
    tally.resolve()
    plans = plan_figures(store, tally.plans, tally.children, period, folded)
    figures = {key: _ordered(counts, shown) for key, counts in tally.figures.items()}
    forms: dict[str, Mapping[str, Count]] = {
        measure.value: _ordered(tally.forms[measure.value], shown)
        for measure in Measure
        if measure.value in tally.forms
    }
    return Indicators(
        period=period,
        levels=shown,
        figures=figures,
        discipline_by_form=forms,
        deadlines={
            s.value: tally.deadlines[s.value] for s in Section if s.value in tally.deadlines
        },
        plans={level: plans[level] for level in shown if level in plans},
        folded=folded,
    )


def _ordered(counts: Mapping[str, list[int]], shown: Sequence[str]) -> dict[str, Count]:
    return {level: Count(*counts[level]) for level in shown if level in counts}
