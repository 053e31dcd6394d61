"""The whole demo: a fresh store, the city-year, the sweep, the report, timelines, diagrams, files.

:func:`run_demo` is what ``discipline-flow demo`` runs; it returns a :class:`DemoRun` the command
line prints (text or JSON) and the tests and the benchmark read.

The year's figures are computed from the store by
:func:`~discipline_flow.reports.compute_indicators` and checked against the generator's own
tally of the results it made; they are written as the commission's report
(:func:`~discipline_flow.reports.commission_report`, ``report.txt``), the HTML report with its
charts and the showcase cases' timelines (``report.html``) and the tables shaped like the
statistical forms (``forms/``). The per-process count of the cases
(:func:`~discipline_flow.reports.annual_report`, ``processes.*``) is checked against the tally
too.

The report reads case digests (:meth:`~discipline_flow.store.CaseStore.digest_many`), which
verify nothing, so that its cost is that of counting. Histories are verified in a phase of their
own on a sample (one case in :data:`~discipline_flow.demo.generator.SAMPLE_EVERY` of each shard):
each is loaded (hash chain, recorded version and head, every move against its workflow) and its
digest must equal the one the report read. ``discipline-flow verify`` checks every case.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from discipline_flow.case import Case
from discipline_flow.demo._plans import PlansSummary, plans_summary
from discipline_flow.demo.generator import (
    SEED,
    TALLIED,
    DemoSettings,
    DemoTally,
    GenerationResult,
    generate_city_year,
)
from discipline_flow.diagrams import (
    DiagramOptions,
    case_timeline,
    diagram_file_name,
    to_markdown,
    to_mermaid,
)
from discipline_flow.errors import InputError
from discipline_flow.processes import shipped_registry, shipped_workflows
from discipline_flow.reports._workers import parallel_url
from discipline_flow.reports.annual import AnnualReport, annual_report, deadline_outcome
from discipline_flow.reports.commission import commission_report
from discipline_flow.reports.compute import compute_indicators
from discipline_flow.reports.forms import write_forms
from discipline_flow.reports.html import write_html
from discipline_flow.reports.indicators import Indicators
from discipline_flow.reports.period import Period
from discipline_flow.rules import default_registry
from discipline_flow.store import CaseDigest, CaseStore, open_store
from discipline_flow.workflow import Workflow

__all__ = [
    "DEFAULT_OUT",
    "DemoRun",
    "Showcase",
    "indicators_match",
    "run_demo",
    "showcase_text",
    "verify_sample",
    "write_files",
]

#: Where the demo writes its files unless told otherwise.
DEFAULT_OUT = "demo-out"
#: The store file the demo creates in its output folder (fresh each run).
STORE_FILE = "demo.db"


@attrs.frozen
class Showcase:
    """One case shown in full: its timeline (Mermaid gantt) and its deadlines explained."""

    case_id: str
    title: str
    timeline: str
    explanations: tuple[tuple[str, str], ...]  # (deadline line, explanation text)


@attrs.frozen
class DemoRun:
    """Everything one run of the demo made.

    ``verified`` is the number of sample cases whose histories were verified; ``digests_match``
    whether their digests, as the report read them, equal the verified cases.
    """

    store_url: str
    generation: GenerationResult
    report: AnnualReport
    showcase: tuple[Showcase, ...]
    files: tuple[str, ...]
    seconds: dict[str, float]
    verified: int = 0
    digests_match: bool = True
    plans: PlansSummary | None = None
    indicators: Indicators | None = None
    #: The commission's report of ``indicators``, as printed and written to ``report.txt``.
    report_text: str = ""

    @property
    def figures_match(self) -> bool:
        """Whether the indicators computed from the store equal the generator's tally of the
        results it made (every indicator it counts, by level; the forms; the plans)."""
        return self.indicators is not None and indicators_match(
            self.generation.tally, self.indicators
        )

    @property
    def seed_matches(self) -> bool | None:
        """Whether the year's figures equal the seed's (:data:`~discipline_flow.demo.SEED`);
        None unless the demo ran at scale 1, where it reproduces them."""
        if self.indicators is None or self.generation.settings.scale != 1.0:
            return None
        return all(self.indicators.total(key) == count for key, count in SEED.items())

    @property
    def matches(self) -> bool:
        """Whether the report read back from the store equals the generator's own tally."""
        tally = self.generation.tally
        return (
            tally.by_process == self.report.by_process()
            and tally.by_outcome == self.report.by_outcome()
            and tally.by_measure == self.report.by_measure()
            and tally.by_subject == self.report.by_subject()
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible summary: settings, counts, timings, the report, the showcase."""
        g = self.generation
        total = self.seconds.get("total", 0.0)
        return {
            "settings": {
                "year": g.settings.year,
                "scale": g.settings.scale,
                "seed": g.settings.seed,
            },
            "store": self.store_url,
            "jobs": g.jobs,
            "cases": g.tally.cases,
            "steps": g.tally.steps,
            "steps_per_second": round(g.tally.steps / total) if total else None,
            "sweep": dict(g.sweep),
            "report_matches_generator": self.matches,
            "indicators_match_generator": self.figures_match,
            "seed_figures_reproduced": self.seed_matches,
            "verified_cases": self.verified,
            "digests_match_verified_cases": self.digests_match,
            "plans": self.plans.to_dict() if self.plans is not None else None,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "files": list(self.files),
            "showcase": [
                {
                    "case_id": s.case_id,
                    "title": s.title,
                    "timeline": s.timeline,
                    "deadlines": [{"deadline": d, "explanation": e} for d, e in s.explanations],
                }
                for s in self.showcase
            ],
            "report": self.report.to_dict(),
            "indicators": self.indicators.to_dict() if self.indicators is not None else None,
        }


def indicators_match(tally: DemoTally, indicators: Indicators) -> bool:
    """Whether ``indicators`` (computed from a store) equal what ``tally`` counted as it
    generated the store: every indicator of :data:`~discipline_flow.demo.TALLIED` by level, the
    decisions by form and level, and the plans by level."""
    counted = tally.indicators(indicators.period.start.year)
    return (
        all(indicators.by_level(key) == counted.by_level(key) for key in TALLIED)
        and indicators.discipline_by_form == counted.discipline_by_form
        and indicators.plans == counted.plans
    )


def _fresh_default_store(out: Path) -> str:
    path = (out / STORE_FILE).resolve()
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InputError(
                "--out", f"cannot remove the old {candidate}: {exc.strerror}"
            ) from None
    return f"sqlite:///{path}"


def showcase_text(case: Case[Any, Any], now: _dt.datetime, lang: str) -> Showcase:
    """A case's timeline and the explanation of each of its deadlines, in ``lang``."""
    rules = {r.name: r for r in case.workflow.deadline_rules}
    items: list[tuple[str, str]] = []
    for deadline in case.deadlines:
        rule = rules.get(deadline.rule)
        label = (rule.label_vi if lang == "vi" else rule.label_en) if rule is not None else ""
        outcome = deadline_outcome(deadline, now).label.text(lang)
        due = "hạn" if lang == "vi" else "due"
        head = f"{label or deadline.rule}: {due} {deadline.due_on.isoformat()}, {outcome}"
        items.append((head, deadline.explain().text(lang)))
    wf = case.workflow
    name = wf.label.text(lang) if wf.label is not None else wf.name
    title = f"{case.id} · {name} · {wf.label_of(case.state, lang)}"
    return Showcase(case.id, title, case_timeline(case, now=now, lang=lang), tuple(items))


def _showcase(
    store: CaseStore, generation: GenerationResult, lang: str, limit: int = 3
) -> tuple[tuple[Showcase, ...], list[Case[Any, Any]]]:
    now = generation.settings.year_end
    wanted = [generation.showcase.get(k) for k in ("decision", "complaint", "thematic")]
    ids = [i for i in wanted if i is not None]
    for name in ("member_discipline", "remediation", "thematic_supervision_district"):
        if len(ids) >= limit:
            break
        found = store.query(workflow=name, limit=1)
        if found and found[0].id not in ids:
            ids.append(found[0].id)
    cases = store.load_many(ids[:limit])
    return tuple(showcase_text(case, now, lang) for case in cases), cases


def verify_sample(store: CaseStore, case_ids: Iterable[str], chunk: int = 500) -> tuple[int, bool]:
    """Load the cases ``case_ids``, which verifies their histories (raising
    :class:`~discipline_flow.errors.TamperedHistoryError` at the first bad step), and compare
    their digests with the verified cases: ``(cases verified, whether every digest matched)``."""
    ids = list(case_ids)
    match = True
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        cases = store.load_many(part)
        if store.digest_many(part) != [CaseDigest.of(case) for case in cases]:
            match = False
    return len(ids), match


def _workflows_of_year(year: int) -> list[Workflow[Any, Any]]:
    first, last = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    found: list[Workflow[Any, Any]] = []
    for ruleset in default_registry():
        until = ruleset.effective_until or last
        if ruleset.effective_from <= last and until >= first:
            found.extend(shipped_workflows(ruleset))
    return found


def _write(path: Path, text: str, written: list[str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError("--out", f"cannot write {path}: {exc.strerror or exc}") from None
    written.append(str(path))


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in name)


def write_files(
    out: Path,
    report: AnnualReport,
    showcase: Iterable[Showcase],
    lang: str,
    *,
    indicators: Indicators | None = None,
    report_text: str = "",
    cases: Iterable[Case[Any, Any]] = (),
    now: _dt.datetime | None = None,
) -> tuple[str, ...]:
    """Write into ``out``: the commission's report ``report_text`` of ``indicators``
    (``report.txt``, and its figures as ``report.json``), the HTML report with the timelines of ``cases``
    (``report.html``), the tables shaped like the statistical forms (``forms/``), the count per
    process (``processes.txt``, ``.json``, ``.csv``), every workflow of the year as Mermaid and
    Markdown, and the showcase timelines with their deadlines explained; return the paths
    written."""
    written: list[str] = []
    if indicators is not None:
        _write(out / "report.txt", report_text, written)
        _write(
            out / "report.json",
            json.dumps(indicators.to_dict(), ensure_ascii=False, indent=2) + "\n",
            written,
        )
        try:
            page = write_html(
                out / "report.html", indicators, cases=cases, lang=lang, text=report_text, now=now
            )
            forms = write_forms(indicators, out / "forms", lang=lang)
        except OSError as exc:
            raise InputError("--out", f"cannot write into {out}: {exc.strerror or exc}") from None
        written += [str(page), *(str(f) for f in forms)]
    _write(out / "processes.txt", report.text(lang), written)
    _write(
        out / "processes.json",
        json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n",
        written,
    )
    _write(out / "processes.csv", report.csv(lang), written)
    options = DiagramOptions(lang=lang)
    for wf in _workflows_of_year(report.year):
        folder = out / "diagrams"  # the names `discipline-flow diagram --all` gives too
        _write(folder / diagram_file_name(wf, "mmd"), to_mermaid(wf, options), written)
        _write(folder / diagram_file_name(wf, "md"), to_markdown(wf, options), written)
    for item in showcase:
        lines = [f"# {item.title}", "", "```mermaid", item.timeline.rstrip(), "```", ""]
        for head, text in item.explanations:
            lines += [f"## {head}", "", text, ""]
        _write(out / "timelines" / f"{_safe(item.case_id)}.md", "\n".join(lines), written)
    return tuple(written)


def run_demo(
    settings: DemoSettings | None = None,
    *,
    out: str | Path = DEFAULT_OUT,
    store_url: str | None = None,
    lang: str = "vi",
    jobs: int = 1,
    progress: Callable[[str], Callable[[int, int], None] | None] | None = None,
) -> DemoRun:
    """Run the whole demo: generate into a fresh store (``out``/demo.db unless ``store_url``
    names an empty one), sweep, report, verify a sample of histories, explain, draw and write the
    files into ``out``.

    ``progress`` is asked for a callback per phase (``"cases"``, ``"report"``).
    """
    if lang not in ("en", "vi"):
        raise InputError("lang", f"{lang!r} is not supported; languages: en, vi")
    settings = settings if settings is not None else DemoSettings()
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("--out", f"cannot create {folder}: {exc.strerror or exc}") from None
    url = store_url if store_url is not None else _fresh_default_store(folder)
    started = time.perf_counter()
    with open_store(url, shipped_registry()) as store:
        if store.query(limit=1):
            raise InputError(
                "--store",
                "the store already holds cases; the demo starts from an empty store (omit "
                "--store to use a fresh one in the output folder)",
            )
        generation = generate_city_year(
            store,
            settings,
            url=parallel_url(url),
            jobs=jobs,
            progress=progress("cases") if progress is not None else None,
        )
        generated = time.perf_counter()
        report = annual_report(
            store,
            settings.year,
            progress=progress("report") if progress is not None else None,
            jobs=jobs,
            url=parallel_url(url),
        )
        reported = time.perf_counter()
        indicators = compute_indicators(
            store, Period.year(settings.year), jobs=jobs, url=parallel_url(url)
        )
        counted = time.perf_counter()
        verified, digests_match = verify_sample(store, generation.sample)
        checked = time.perf_counter()
        plans = plans_summary(store, settings.year_end)
        planned = time.perf_counter()
        showcase, cases = _showcase(store, generation, lang)
    text = commission_report(indicators, lang=lang)
    files = write_files(
        folder,
        report,
        showcase,
        lang,
        indicators=indicators,
        report_text=text,
        cases=cases,
        now=settings.year_end,
    )
    finished = time.perf_counter()
    seconds = {
        **generation.seconds,
        "report": reported - generated,
        "indicators": counted - reported,
        "verify": checked - counted,
        "plans": planned - checked,
        "files": finished - planned,
        "total": finished - started,
    }
    return DemoRun(
        url,
        generation,
        report,
        showcase,
        files,
        seconds,
        verified,
        digests_match,
        plans,
        indicators,
        text,
    )
