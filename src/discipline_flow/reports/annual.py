"""The annual report of an inspection commission, computed from any case store.

:func:`annual_report` reads every case opened in a year through the store's public API
(:meth:`~discipline_flow.store.CaseStore.query_ids` for the list, then
:meth:`~discipline_flow.store.CaseStore.digest_many` in chunks of neighbouring ids) and counts,
per process: cases, cases opened from another case, outcomes (the state each case is in at the
year's end), measures decided, subjects by kind and level, deadlines met, met late, missed, still
open or cancelled, and the median duration of the cases closed. The result renders as text
(English or Vietnamese), JSON and CSV, shaped like the report a commission publishes.

The figures need no history, so the report reads case digests: nothing is decoded but what it
counts, and no hash chain is verified (``discipline-flow verify`` and
:meth:`~discipline_flow.store.CaseStore.load` do that). A store without ``digest_many`` has its
cases loaded instead; one without ``query_ids`` is asked for summaries.

Conventions, chosen so that any store gives the same answer:

* A case belongs to the year it was **opened** in (local time, Asia/Ho_Chi_Minh); everything is
  judged at the year's end, 31 December 24:00 (:attr:`AnnualReport.as_of`).
* A **member's level** is the level of the committee that manages them (``Member.managed_by``);
  an ordinary member is managed at the grassroots. An organisation's level is its own.
* A case's **measure** is the last ``measure`` found in the payloads of its steps (the decision
  stands as last changed).
* A deadline is **missed** when it is still open and overdue at the year's end; it **ran out**
  (``expired``) when it was closed at or after its end, as when a sweep fires the rule's miss
  trigger (a complaint window closing, a suspension lapsing).
* **Sweeps** counts the deadlines of the year's cases whose miss trigger sweeps refused, are
  retrying or gave up on, as they stand when the report is made (not at the year's end).

>>> import enum, pendulum
>>> from discipline_flow import Member, Transition, Workflow
>>> from discipline_flow.store import open_store
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2023, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> with open_store("memory://", [wf]) as store:
...     case = wf.open(Member("m-1"), at=at, actor="person:clerk", case_id="C-1")
...     _ = case.fire(T.CLOSE, at=at.add(days=3), actor="person:clerk")
...     _ = store.save(case, expected_version=0)
...     report = annual_report(store, 2023)
>>> report.cases, report.process("tiny").outcomes, report.process("tiny").median_days
(1, {'CLOSED': 1}, 3.0)
"""

from __future__ import annotations

import datetime as _dt
import itertools
import statistics
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from discipline_flow.actors import Member, Organisation
from discipline_flow.case import Case
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import InputError
from discipline_flow.measure import Measure
from discipline_flow.processes import shipped_registry
from discipline_flow.reports._outcome import DeadlineOutcome, deadline_outcome, digest_outcome
from discipline_flow.reports._render import render_csv, render_text
from discipline_flow.reports._workers import worker_context, worker_pool
from discipline_flow.store import open_store
from discipline_flow.store._digest import CaseDigest, measure_in
from discipline_flow.store._protocol import CaseStore
from discipline_flow.time._dates import zone
from discipline_flow.workflow import Label, Workflow

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "AnnualReport",
    "DeadlineOutcome",
    "ProcessStats",
    "annual_report",
    "deadline_outcome",
    "level_of",
    "measure_of",
    "parse_year",
    "worker_context",
    "worker_pool",
    "year_bounds",
]

#: The years a report can be asked for (the calendar's range).
MIN_YEAR = 1990
MAX_YEAR = 2100

_CHUNK = 1000
#: Below this many cases one process reads them all: starting workers costs more than it saves.
PARALLEL_MIN = 5000


def parse_year(value: object) -> int:
    """A year as a whole number from :data:`MIN_YEAR` to :data:`MAX_YEAR` (text is accepted).

    >>> parse_year("2023")
    2023
    >>> parse_year("23/24")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: year: expected a year like 2023 (1990 to 2100), got '23/24'
    """
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        year = int(value.strip())
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(
            "year", f"expected a year like 2023 ({MIN_YEAR} to {MAX_YEAR}), got {value!r}"
        )
    return year


def year_bounds(year: int, timezone: str = DEFAULT_TIMEZONE) -> tuple[_dt.datetime, _dt.datetime]:
    """1 January 00:00 of ``year`` and of the next year, local time: the year is ``[start, end)``.

    >>> [d.isoformat() for d in year_bounds(2023)]
    ['2023-01-01T00:00:00+07:00', '2024-01-01T00:00:00+07:00']
    """
    year = parse_year(year)
    tz = zone(timezone)
    return _dt.datetime(year, 1, 1, tzinfo=tz), _dt.datetime(year + 1, 1, 1, tzinfo=tz)


def level_of(subject: Member | Organisation) -> str:
    """The level a subject is counted at: an organisation's own level; the level of the committee
    that manages a member, ``grassroots`` for an ordinary member.

    >>> from discipline_flow import Level
    >>> level_of(Member("m-1")), level_of(Member("m-2", managed_by=Level.PROVINCIAL))
    ('grassroots', 'provincial')
    """
    if isinstance(subject, Organisation):
        return subject.level._value_
    managed = subject.managed_by
    return managed._value_ if managed is not None else "grassroots"


def measure_of(case: Case[Any, Any]) -> Measure | None:
    """The measure a case decided: the last ``measure`` in the payloads of its steps, if any
    (a :class:`~discipline_flow.rules.Measure`, its name or its value)."""
    return measure_in(step.payload for step in reversed(case.steps))


def _frozen_counts(value: Mapping[str, int]) -> Mapping[str, int]:
    return dict(sorted(value.items()))


def _frozen_nested(value: Mapping[str, Mapping[str, int]]) -> Mapping[str, Mapping[str, int]]:
    return {k: dict(sorted(v.items())) for k, v in sorted(value.items())}


@attrs.frozen
class ProcessStats:
    """The figures of one process (one workflow name) for the year.

    ``outcomes`` counts cases by the state they are in at the year's end (``closed`` of them in a
    terminal state); ``subjects`` by subject kind, then level; ``measures`` by
    :class:`~discipline_flow.rules.Measure` value; ``deadlines`` by :class:`DeadlineOutcome`
    value. ``median_days`` is the median time from opening to the last step of the closed cases.
    """

    name: str
    label: Label
    cases: int
    linked: int
    closed: int
    outcomes: Mapping[str, int] = attrs.field(converter=_frozen_counts)
    terminal: frozenset[str]
    state_labels: Mapping[str, Label]
    subjects: Mapping[str, Mapping[str, int]] = attrs.field(converter=_frozen_nested)
    measures: Mapping[str, int] = attrs.field(converter=_frozen_counts)
    deadlines: Mapping[str, int] = attrs.field(converter=_frozen_counts)
    median_days: float | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return {
            "name": self.name,
            "label": {"en": self.label.en, "vi": self.label.vi},
            "cases": self.cases,
            "linked": self.linked,
            "closed": self.closed,
            "outcomes": dict(self.outcomes),
            "terminal": sorted(self.terminal),
            "subjects": {k: dict(v) for k, v in self.subjects.items()},
            "measures": dict(self.measures),
            "deadlines": dict(self.deadlines),
            "median_days": self.median_days,
        }


@attrs.frozen
class AnnualReport:
    """The year's figures, one :class:`ProcessStats` per process, in the order processes meet a
    matter (supervision first). Render with :meth:`text`, :meth:`to_dict` or :meth:`csv`.

    ``sweeps`` counts the deadlines of the year's cases that sweeps hold back when the report is
    made, by :class:`~discipline_flow.store.StuckKind` value (``refused``, ``retrying``,
    ``failed``; kinds with none are left out): ``discipline-flow sweep --failed`` lists them.
    """

    year: int
    as_of: _dt.datetime
    processes: tuple[ProcessStats, ...]
    sweeps: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_counts)

    @property
    def cases(self) -> int:
        """Cases opened in the year, all processes."""
        return sum(p.cases for p in self.processes)

    def process(self, name: str) -> ProcessStats:
        """The figures of process ``name``; an input error listing the processes otherwise."""
        for stats in self.processes:
            if stats.name == name:
                return stats
        known = ", ".join(p.name for p in self.processes) or "(none)"
        raise InputError("process", f"no cases of {name!r} in {self.year}; processes: {known}")

    def by_process(self) -> dict[str, int]:
        """Cases per process."""
        return {p.name: p.cases for p in self.processes}

    def by_outcome(self) -> dict[str, dict[str, int]]:
        """Cases per process and state at the year's end."""
        return {p.name: dict(p.outcomes) for p in self.processes}

    def by_measure(self) -> dict[str, dict[str, int]]:
        """Measures per process (processes without a measure are left out)."""
        return {p.name: dict(p.measures) for p in self.processes if p.measures}

    def by_subject(self) -> dict[str, dict[str, dict[str, int]]]:
        """Cases per process, subject kind and level."""
        return {p.name: {k: dict(v) for k, v in p.subjects.items()} for p in self.processes}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "cases": self.cases,
            "processes": [p.to_dict() for p in self.processes],
            "sweeps": dict(self.sweeps),
        }

    def text(self, lang: str = "en") -> str:
        """The report as text, in English (``en``) or Vietnamese (``vi``)."""
        return render_text(self, lang)

    def csv(self, lang: str = "en") -> str:
        """The figures as CSV: ``year,process,process_label,section,key,key_label,value``."""
        return render_csv(self, lang)


class _Accumulator:
    """The running figures of one process; picklable, so worker processes can return them."""

    __slots__ = (
        "cases",
        "closed",
        "deadlines",
        "durations",
        "label",
        "linked",
        "measures",
        "outcomes",
        "state_labels",
        "subjects",
        "terminal",
    )

    def __init__(self, workflow: Workflow[Any, Any]) -> None:
        wf = workflow
        self.label = wf.label if wf.label is not None else Label(wf.name, wf.name)
        self.state_labels = {
            s.name: Label(wf.label_of(s, "en"), wf.label_of(s, "vi")) for s in wf.all_states
        }
        self.terminal = frozenset(s.name for s in wf.terminal)
        self.cases = 0
        self.linked = 0
        self.closed = 0
        self.outcomes: dict[str, int] = {}
        self.subjects: dict[str, dict[str, int]] = {}
        self.measures: dict[str, int] = {}
        self.deadlines: dict[str, int] = {}
        self.durations: list[float] = []

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def add(self, case: CaseDigest, as_of: _dt.datetime) -> None:
        # Run once per case of the year: enum members are read by their plain attributes.
        self.cases += 1
        if case.origin_case_id is not None:
            self.linked += 1
        state = case.state._name_
        outcomes = self.outcomes
        outcomes[state] = outcomes.get(state, 0) + 1
        subject = case.subject
        levels = self.subjects.get(subject.kind)
        if levels is None:
            levels = self.subjects[subject.kind] = {}
        level = level_of(subject)
        levels[level] = levels.get(level, 0) + 1
        measure = case.measure
        if measure is not None:
            value = measure._value_
            self.measures[value] = self.measures.get(value, 0) + 1
        if case.deadlines:
            counts = self.deadlines
            for deadline in case.deadlines:
                key = digest_outcome(deadline, as_of)._value_
                counts[key] = counts.get(key, 0) + 1
        if state in self.terminal:
            self.closed += 1
            seconds = (case.last_at - case.opened_at).total_seconds()
            self.durations.append(seconds / 86400)

    def merge(self, other: _Accumulator) -> None:
        self.cases += other.cases
        self.linked += other.linked
        self.closed += other.closed
        for mine, theirs in (
            (self.outcomes, other.outcomes),
            (self.measures, other.measures),
            (self.deadlines, other.deadlines),
        ):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        for kind, levels in other.subjects.items():
            target = self.subjects.setdefault(kind, {})
            for level, n in levels.items():
                target[level] = target.get(level, 0) + n
        self.durations.extend(other.durations)

    def stats(self, name: str) -> ProcessStats:
        median = round(statistics.median(self.durations), 1) if self.durations else None
        return ProcessStats(
            name=name,
            label=self.label,
            cases=self.cases,
            linked=self.linked,
            closed=self.closed,
            outcomes=self.outcomes,
            terminal=self.terminal,
            state_labels=self.state_labels,
            subjects=self.subjects,
            measures=self.measures,
            deadlines=self.deadlines,
            median_days=median,
        )


def _process_order() -> dict[str, int]:
    """Shipped workflows in the order a matter meets them, across every ruleset (the district
    thematic supervision exists only in the older ones)."""
    names = [wf.name for wf in shipped_registry()]
    return {name: i for i, name in enumerate(dict.fromkeys(names))}


def _digests(store: CaseStore, ids: Sequence[str]) -> list[CaseDigest]:
    """The digests of ``ids``; a store that predates ``digest_many`` has its cases loaded."""
    digest_many = getattr(store, "digest_many", None)
    if digest_many is None:
        return [CaseDigest.of(case) for case in store.load_many(ids)]
    found: list[CaseDigest] = digest_many(ids)
    return found


def _read(store: CaseStore, ids: Sequence[str], as_of: _dt.datetime) -> dict[str, _Accumulator]:
    acc: dict[str, _Accumulator] = {}
    for digest in _digests(store, ids):
        name = digest.workflow.name
        entry = acc.get(name)
        if entry is None:
            entry = acc[name] = _Accumulator(digest.workflow)
        entry.add(digest, as_of)
    return acc


def _read_in_worker(args: tuple[str, list[str], _dt.datetime]) -> dict[str, _Accumulator]:
    url, ids, as_of = args
    with open_store(url, shipped_registry()) as store:
        return _read(store, ids, as_of)


def _parts(
    store: CaseStore, ids: list[str], as_of: _dt.datetime, url: str | None, jobs: int
) -> Iterator[tuple[int, dict[str, _Accumulator]]]:
    if jobs <= 1 or url is None or len(ids) < PARALLEL_MIN:
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            yield len(chunk), _read(store, chunk, as_of)
        return
    # A few chunks per worker: each opens the store once, and the last to finish is short.
    size = max(_CHUNK, -(-len(ids) // (jobs * 4)))
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    with worker_pool(jobs) as pool:
        work = [(url, chunk, as_of) for chunk in chunks]
        for chunk, part in zip(chunks, pool.imap(_read_in_worker, work), strict=True):
            yield len(chunk), part


def _case_ids(store: CaseStore, year: int, timezone: str) -> list[str]:
    """The ids of the cases opened in ``year``, sorted: neighbouring ids are stored near each
    other in the SQL stores' indexes, so chunks of sorted ids read fewer pages (the figures do
    not depend on the order). A store without ``query_ids`` is asked for summaries month by
    month, so that those of a large year are never all in memory at once."""
    tz = zone(timezone)
    query_ids = getattr(store, "query_ids", None)
    if query_ids is not None:
        start, until = _dt.datetime(year, 1, 1, tzinfo=tz), _dt.datetime(year + 1, 1, 1, tzinfo=tz)
        found: list[str] = query_ids(opened_from=start, opened_until=until)
        return sorted(found)
    bounds = [_dt.datetime(year, month, 1, tzinfo=tz) for month in range(1, 13)]
    bounds.append(_dt.datetime(year + 1, 1, 1, tzinfo=tz))
    ids: list[str] = []
    for start, until in itertools.pairwise(bounds):
        ids.extend(s.id for s in store.query(opened_from=start, opened_until=until))
    return sorted(ids)


def annual_report(
    store: CaseStore,
    year: int,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    url: str | None = None,
) -> AnnualReport:
    """The annual report of the cases ``store`` holds that were opened in ``year``.

    Reads through the store's public API only, so it works on any store. ``progress`` is called
    with the number of cases read and the number to read after each chunk (for a progress bar).
    With ``jobs`` above 1 and the store's ``url`` (a SQLite file or a PostgreSQL server, holding
    cases of the shipped workflows), the cases are read by that many worker processes.
    """
    year = parse_year(year)
    _, end = year_bounds(year, timezone)
    ids = _case_ids(store, year, timezone)
    acc: dict[str, _Accumulator] = {}
    done = 0
    for count, part in _parts(store, ids, end, url, jobs):
        for name, entry in part.items():
            if name in acc:
                acc[name].merge(entry)
            else:
                acc[name] = entry
        done += count
        if progress is not None:
            progress(done, len(ids))
    order = _process_order()
    names = sorted(acc, key=lambda n: (order.get(n, len(order)), n))
    return AnnualReport(year, end, tuple(acc[n].stats(n) for n in names), _stuck_counts(store, ids))


def _stuck_counts(store: CaseStore, ids: Sequence[str]) -> dict[str, int]:
    """The deadlines of the cases ``ids`` that sweeps hold back, by kind (a store that predates
    ``stuck_deadlines`` has none)."""
    stuck_deadlines = getattr(store, "stuck_deadlines", None)
    if stuck_deadlines is None:
        return {}
    year = set(ids)
    counts: dict[str, int] = {}
    for stuck in stuck_deadlines():
        if stuck.case_id in year:
            counts[stuck.kind.value] = counts.get(stuck.kind.value, 0) + 1
    return counts
