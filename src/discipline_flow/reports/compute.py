"""The indicators of a period, computed from any store.

:func:`compute_indicators` reads the cases a store holds through its public API
(:meth:`~discipline_flow.store.CaseStore.query_ids` for every case opened before the period's
end, then :meth:`~discipline_flow.store.CaseStore.digest_many` with ``moves=True`` in chunks)
and counts what :data:`~discipline_flow.reports.indicators.INDICATORS` defines: results whose
step falls inside the period, whenever their case was opened. Nothing is verified
(``discipline-flow verify`` does that) and no history is decoded beyond its moves, except the
plans adopted in the period and the cases opened from them, loaded to read their contents
(:class:`~discipline_flow.planning.Plan`; a content is done by the rule of
:func:`~discipline_flow.planning.plan_completion`).

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

from collections.abc import Callable, Iterator, Mapping, Sequence

from discipline_flow.errors import InputError
from discipline_flow.measure import Measure
from discipline_flow.processes import shipped_registry
from discipline_flow.reports._plan_figures import plan_figures
from discipline_flow.reports._tally import Tally
from discipline_flow.reports._workers import worker_pool
from discipline_flow.reports.indicators import LEVELS, Count, Indicators, Section, levels_for
from discipline_flow.reports.period import Period
from discipline_flow.store import open_store
from discipline_flow.store._protocol import CaseStore

__all__ = [
    "PARALLEL_MIN",
    "compute_indicators",
    "folded_levels",
]

_CHUNK = 1000
#: Below this many cases one process reads them all: starting workers costs more than it saves.
PARALLEL_MIN = 5000


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


def compute_indicators(
    store: CaseStore,
    period: Period,
    *,
    levels: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    url: str | None = None,
) -> Indicators:
    """The :class:`~discipline_flow.reports.indicators.Indicators` of ``period`` from the cases
    ``store`` holds (see the module's conventions).

    ``levels`` are the levels shown, from the top (default
    :func:`~discipline_flow.reports.indicators.levels_for` the period); the
    figures of the others are folded into them (:func:`folded_levels`). ``progress`` is called
    with the number of cases read and the number to read after each share. With ``jobs`` above
    1 and the store's ``url`` (a SQLite file or a PostgreSQL server holding cases of the shipped
    workflows), that many worker processes read the cases, as
    :func:`~discipline_flow.reports.annual_report` does.
    """
    if not isinstance(period, Period):
        raise InputError("period", f"expected a Period (Period.parse('2023-Q3')), got {period!r}")
    shown = levels_for(period) if levels is None else tuple(levels)
    folded = folded_levels(shown)
    tally = Tally(period, folded)
    ids = sorted(store.query_ids(opened_until=period.end))
    done = 0
    for count, part in _parts(store, ids, tally, url, jobs):
        if part is not tally:
            tally.merge(part)
        done += count
        if progress is not None:
            progress(done, len(ids))
    tally.resolve()
    plans, committee_plans = plan_figures(store, tally.plans, tally.children, period, folded)
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
        committee_plans={
            level: committee_plans[level] for level in shown if level in committee_plans
        },
    )


def _count(store: CaseStore, ids: Sequence[str], tally: Tally) -> Tally:
    for i in range(0, len(ids), _CHUNK):
        for digest in store.digest_many(ids[i : i + _CHUNK], moves=True):
            tally.case(digest)
    return tally


def _count_in_worker(args: tuple[str, Sequence[str], Tally]) -> Tally:
    url, ids, tally = args
    with open_store(url, shipped_registry(), create=False) as store:
        return _count(store, ids, tally)


def _parts(
    store: CaseStore, ids: list[str], tally: Tally, url: str | None, jobs: int
) -> Iterator[tuple[int, Tally]]:
    """The cases counted share by share: into ``tally`` here, or into an empty copy of it in
    each worker (merged by the caller)."""
    if jobs <= 1 or url is None or len(ids) < PARALLEL_MIN:
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            yield len(chunk), _count(store, chunk, tally)
        return
    # A few shares per worker: each opens the store once, and the last to finish is short.
    size = max(_CHUNK, -(-len(ids) // (jobs * 4)))
    shares = [ids[i : i + size] for i in range(0, len(ids), size)]
    with worker_pool(jobs) as pool:
        work = [(url, share, tally.empty()) for share in shares]
        for share, part in zip(shares, pool.imap(_count_in_worker, work), strict=True):
            yield len(share), part


def _ordered(counts: Mapping[str, list[int]], shown: Sequence[str]) -> dict[str, Count]:
    return {level: Count(*counts[level]) for level in shown if level in counts}
