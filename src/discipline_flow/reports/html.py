"""The report of a period as one self-contained HTML file: its figures as tables, its charts.

:func:`render_html` turns an :class:`~discipline_flow.reports.indicators.Indicators` value (and
optionally the previous period's, the commission's report text and a few cases) into one HTML
page that needs nothing outside itself: inline CSS, inline SVG charts, no script, no font, no
link to any other file or site (its Content-Security-Policy forbids loading anything). Open it
in any browser, send it by mail, print it.

The page shows, in Vietnamese by default (``lang="en"`` for English): the report text when given;
a funnel from supervision to discipline (supervised → signs of violation found → inspected on
signs of violation → with violations → must be disciplined → disciplined); discipline by form
and level; deadlines met on time, late or missed by section; the plans and their completion; every
figure by section and level, beside the previous period's; and the timeline of each case given,
drawn as a gantt chart (one row per stay in a state, the rules of
:func:`~discipline_flow.diagrams.timeline_of`).

Charts are drawn by matplotlib, an optional extra (``pip install 'discipline-flow[charts]'``).
Without it the page has the same tables and a one-line note saying what to install.

>>> from discipline_flow.reports.indicators import Count, Indicators
>>> from discipline_flow.reports.period import Period
>>> figures = Indicators(
...     period=Period.parse("2023"),
...     levels=("provincial", "district", "grassroots"),
...     figures={"discipline.disciplined": {"grassroots": Count(members=145)}},
... )
>>> page = render_html(figures, lang="en")
>>> page.startswith("<!doctype html>"), '<td class="num">145</td>' in page
(True, True)
"""

from __future__ import annotations

import datetime as _dt
import html
import types
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from discipline_flow._version import __version__
from discipline_flow.case import Case
from discipline_flow.diagrams.timeline import Timeline, timeline_of
from discipline_flow.errors import InputError
from discipline_flow.reports._html_words import (
    FUNNEL,
    MEMBER_FORMS,
    ORGANISATION_FORMS,
    OUTCOMES,
    level_label,
    number,
    percent,
    section_title,
    word,
)
from discipline_flow.reports.indicators import INDICATORS, Count, Indicators, Section
from discipline_flow.reports.period import Period

__all__ = ["has_charts", "render_html", "write_html"]

_LANGS = ("vi", "en")
_ONE_SECOND = _dt.timedelta(seconds=1)

#: Nothing may be loaded from anywhere: the page is complete in itself.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
body{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;color:#1f2937;margin:0 auto;
max-width:1100px;padding:1.5rem;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:2px solid #0072B2;padding-bottom:.2rem}h3{font-size:1.05rem;margin-top:1.6rem}
.period{color:#4b5563;margin:0 0 1rem}.note{background:#fff7e0;border-left:4px solid #E69F00;
padding:.5rem .8rem}.report-text p{white-space:pre-line;margin:.5rem 0}
nav ol{columns:2;padding-left:1.2rem}figure.chart{margin:1rem 0;overflow-x:auto}
figure.chart svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#4b5563}
table{border-collapse:collapse;margin:.8rem 0;font-size:.88rem}
th,td{border:1px solid #d1d5db;padding:.25rem .5rem;vertical-align:top}
th{background:#f3f4f6;text-align:center}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#f9fafb}.wide{overflow-x:auto}
footer{margin-top:3rem;font-size:.8rem;color:#6b7280}
@media print{figure.chart,table{break-inside:avoid}}
"""


def _charts_module() -> types.ModuleType | None:
    """The charts module, or None where matplotlib is not installed."""
    try:
        # matplotlib is an optional extra and takes ~0.4 s to import: only a page with charts
        # pays for it, never ``import discipline_flow``.
        from discipline_flow.reports import _charts  # noqa: PLC0415
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".")[0] == "matplotlib":
            return None
        raise
    return _charts


def has_charts() -> bool:
    """Whether charts can be drawn here (matplotlib, the ``charts`` extra, is installed)."""
    return _charts_module() is not None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: int, lang: str) -> str:
    return f'<td class="num">{_e(number(value, lang))}</td>'


def _table(
    name: str, head: Sequence[str], rows: Iterable[Sequence[str]], *, total: bool = False
) -> str:
    """A table named ``name`` (its ``data-table``) of cells already written as ``<td>``
    (``head`` is the header rows' HTML)."""
    body = list(rows)
    out = [
        f'<div class="wide"><table data-table="{_e(name)}">',
        f"<thead>{''.join(head)}</thead><tbody>",
    ]
    for number_, row in enumerate(body):
        opening = '<tr class="total">' if total and number_ == len(body) - 1 else "<tr>"
        out.append(f"{opening}{''.join(row)}</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _figure(name: str, svg: str, caption: str) -> str:
    return (
        f'<figure class="chart" data-chart="{_e(name)}" role="img" aria-label="{_e(caption)}">'
        f"{svg}</figure>"
    )


def _added(indicators: Indicators, keys: Sequence[str]) -> Count:
    return sum((indicators.total(key) for key in keys), Count())


def _funnel(
    indicators: Indicators, previous: Indicators | None, lang: str, charts: Any
) -> list[str]:
    steps = [(en if lang == "en" else vi, keys) for (en, vi), keys in FUNNEL]
    counts = [_added(indicators, keys) for _, keys in steps]
    out = [f'<h2 id="funnel">{_e(word("funnel", lang))}</h2>']
    if charts is not None:
        organisations, members = word("organisations", lang), word("members", lang)
        svg = charts.funnel(
            [label for label, _ in steps],
            {
                organisations: [c.organisations for c in counts],
                members: [c.members for c in counts],
            },
            numbers={
                organisations: [number(c.organisations, lang) for c in counts],
                members: [number(c.members, lang) for c in counts],
            },
            scale_note=word("log_scale", lang),
        )
        out.append(_figure("funnel", svg, word("funnel", lang)))
    pair = [f"<th>{_e(word(k, lang))}</th>" for k in ("organisations", "members")]
    head = [f'<tr><th rowspan="2">{_e(word("indicator", lang))}</th>']
    head.append(f'<th colspan="2">{_e(_period_name(indicators.period, lang))}</th>')
    if previous is not None:
        label = word("previous", lang, period=_period_name(previous.period, lang))
        head.append(f'<th colspan="2">{_e(label)}</th>')
    head += ["</tr><tr>", *pair, *(pair if previous is not None else []), "</tr>"]
    rows = []
    for (label, keys), count in zip(steps, counts, strict=True):
        row = [f"<td>{_e(label)}</td>", _num(count.organisations, lang), _num(count.members, lang)]
        if previous is not None:
            before = _added(previous, keys)
            row += [_num(before.organisations, lang), _num(before.members, lang)]
        rows.append(row)
    out.append(_table("funnel", head, rows))
    return out


def _forms(indicators: Indicators, lang: str, charts: Any) -> list[str]:
    levels = list(indicators.levels)
    out = [f'<h2 id="discipline">{_e(word("discipline", lang))}</h2>']
    forms = list(dict.fromkeys([*MEMBER_FORMS, *ORGANISATION_FORMS]))
    known = {form.value for form in forms}
    extra = [key for key in indicators.discipline_by_form if key not in known]

    def cell(form: str, level: str) -> Count:
        return indicators.discipline_by_form.get(form, {}).get(level, Count())

    has_any = any(not indicators.form_total(f.value).is_zero for f in forms)
    if charts is not None and has_any:
        panels = {}
        for title, kind, chosen in (
            (word("members", lang), "members", MEMBER_FORMS),
            (word("organisations", lang), "organisations", ORGANISATION_FORMS),
        ):
            names = [f.label_vi if lang == "vi" else f.label_en for f in chosen]
            series = {
                level_label(level, lang): [getattr(cell(f.value, level), kind) for f in chosen]
                for level in levels
            }
            panels[title] = (names, series)
        out.append(_figure("discipline", charts.bars_by_group(panels), word("discipline", lang)))
    head = [f'<tr><th rowspan="2">{_e(word("form", lang))}</th>']
    head += [f'<th colspan="2">{_e(level_label(level, lang))}</th>' for level in levels]
    head.append(f'<th colspan="2">{_e(word("total", lang))}</th></tr><tr>')
    head += [
        f"<th>{_e(word(k, lang))}</th>"
        for _ in range(len(levels) + 1)
        for k in ("organisations", "members")
    ]
    head.append("</tr>")
    rows = []
    for form in [f.value for f in forms] + extra:
        label = form
        if form in known:
            measure = next(f for f in forms if f.value == form)
            label = measure.label_vi if lang == "vi" else measure.label_en
        row = [f"<td>{_e(label)}</td>"]
        for level in levels:
            count = cell(form, level)
            row += [_num(count.organisations, lang), _num(count.members, lang)]
        total = indicators.form_total(form)
        rows.append([*row, _num(total.organisations, lang), _num(total.members, lang)])
    out.append(_table("discipline", head, rows))
    return out


def _sections_order(keys: Iterable[str]) -> list[str]:
    order = [section.value for section in Section]
    return sorted(keys, key=lambda key: (order.index(key) if key in order else len(order), key))


def _section_name(key: str, lang: str) -> str:
    try:
        return section_title(Section(key), lang)
    except ValueError:
        return key


def _deadlines(indicators: Indicators, lang: str, charts: Any) -> list[str]:
    out = [f'<h2 id="deadlines">{_e(word("deadlines", lang))}</h2>']
    keys = _sections_order(indicators.deadlines)
    if not keys:
        return [*out, f"<p>{_e(word('nothing', lang))}</p>"]
    counts = {key: [int(indicators.deadlines[key].get(o, 0)) for o in OUTCOMES] for key in keys}
    if charts is not None:
        names = [_section_name(key, lang) for key in keys]
        series = {word(o, lang): [counts[key][i] for key in keys] for i, o in enumerate(OUTCOMES)}
        colours = {word(o, lang): charts.OUTCOME_COLOURS[o] for o in OUTCOMES}
        totals = [
            f"{number(sum(counts[key]), lang)} · {percent(counts[key][0], sum(counts[key]), lang)}"
            for key in keys
        ]
        svg = charts.stacked_bars(
            names, series, title=word("deadlines", lang), colours=colours, totals=totals
        )
        out.append(_figure("deadlines", svg, word("deadlines", lang)))
    head = [f"<tr><th>{_e(word('section', lang))}</th>"]
    head += [f"<th>{_e(word(k, lang))}</th>" for k in (*OUTCOMES, "total", "met_share")]
    head.append("</tr>")
    rows = []
    for key in keys:
        values = counts[key]
        row = [f"<td>{_e(_section_name(key, lang))}</td>", *(_num(v, lang) for v in values)]
        row += [
            _num(sum(values), lang),
            f'<td class="num">{percent(values[0], sum(values), lang)}</td>',
        ]
        rows.append(row)
    out.append(_table("deadlines", head, rows))
    return out


def _plans(indicators: Indicators, lang: str, charts: Any) -> list[str]:
    out = [f'<h2 id="plans">{_e(word("plans", lang))}</h2>']
    levels = [level for level in indicators.levels if level in indicators.plans]
    levels += [level for level in indicators.plans if level not in levels]
    if not levels:
        return [*out, f"<p>{_e(word('nothing', lang))}</p>"]
    figures = [indicators.plans[level] for level in levels]
    if charts is not None:
        notes = [
            f"{number(f.contents_done, lang)}/{number(f.contents, lang)} "
            f"({percent(f.contents_done, f.contents, lang)})"
            for f in figures
        ]
        words = [word(k, lang) for k in ("plans", "all_contents", "contents_done")]
        svg = charts.plans(
            [level_label(level, lang) for level in levels],
            [f.contents for f in figures],
            [f.contents_done for f in figures],
            labels=[*words, *notes],
        )
        out.append(_figure("plans", svg, word("plans", lang)))
    keys = (
        "plans_count",
        "inspection_contents",
        "supervision_contents",
        "all_contents",
        "contents_done",
        "completion",
        "teams",
        "subjects",
        "out_of_plan",
        "subjects",
    )
    head = [f"<tr><th>{_e(word('level', lang))}</th>"]
    head += [f"<th>{_e(word(k, lang))}</th>" for k in keys]
    head.append("</tr>")
    rows = []
    named = [(level_label(level, lang), f) for level, f in zip(levels, figures, strict=True)]
    for name, f in [*named, (word("total", lang), indicators.plans_total())]:
        rows.append(
            [
                f"<td>{_e(name)}</td>",
                *(
                    _num(v, lang)
                    for v in (f.plans, f.inspection_contents, f.supervision_contents, f.contents)
                ),
                _num(f.contents_done, lang),
                f'<td class="num">{percent(f.contents_done, f.contents, lang)}</td>',
                _num(f.teams, lang),
                _subjects(f.subjects, lang),
                _num(f.out_of_plan_teams, lang),
                _subjects(f.out_of_plan_subjects, lang),
            ]
        )
    out.append(_table("plans", head, rows, total=True))
    return out


def _subjects(count: Count, lang: str) -> str:
    text = f"{number(count.organisations, lang)} / {number(count.members, lang)}"
    return f'<td class="num">{_e(text)}</td>'


def _figures(indicators: Indicators, previous: Indicators | None, lang: str) -> list[str]:
    levels = list(indicators.levels)
    out = [f'<h2 id="figures">{_e(word("figures", lang))}</h2>']
    pair = ("organisations", "members")
    head = [f'<tr><th rowspan="2">{_e(word("indicator", lang))}</th>']
    head += [f'<th colspan="2">{_e(level_label(level, lang))}</th>' for level in levels]
    head.append(f'<th colspan="3">{_e(word("total", lang))}</th>')
    if previous is not None:
        label = word("previous", lang, period=_period_name(previous.period, lang))
        head.append(f'<th colspan="2">{_e(label)}</th>')
    head.append("</tr><tr>")
    head += [f"<th>{_e(word(k, lang))}</th>" for _ in levels for k in pair]
    head += [f"<th>{_e(word(k, lang))}</th>" for k in (*pair, "committee_members")]
    if previous is not None:
        head += [f"<th>{_e(word(k, lang))}</th>" for k in pair]
    head.append("</tr>")
    for section in Section:
        keys = [key for key, item in INDICATORS.items() if item.section is section]
        if not keys:
            continue
        out.append(f"<h3>{_e(section_title(section, lang))}</h3>")
        rows = []
        for key in keys:
            by_level = indicators.by_level(key)
            row = [
                f'<td title="{_e(INDICATORS[key].definition)}">{_e(INDICATORS[key].label(lang))}</td>'
            ]
            for level in levels:
                count = by_level.get(level, Count())
                row += [_num(count.organisations, lang), _num(count.members, lang)]
            total = indicators.total(key)
            row += [_num(total.organisations, lang), _num(total.members, lang)]
            row.append(_num(total.committee_members, lang))
            if previous is not None:
                before = previous.total(key)
                row += [_num(before.organisations, lang), _num(before.members, lang)]
            rows.append(row)
        out.append(_table(f"figures-{section.value}", head, rows))
    return out


def _timeline(timeline: Timeline, lang: str, charts: Any) -> list[str]:
    out = [f"<h3>{_e(timeline.title)}</h3>"]
    if charts is not None:
        svg = charts.gantt(timeline, now=word("now", lang))
        out.append(_figure(f"timeline-{timeline.case_id}", svg, timeline.title))
    head = [f"<tr><th>{_e(word(k, lang))}</th>" for k in ("state",)]
    head += [f"<th>{_e(word(k, lang))}</th>" for k in ("from", "to")]
    head.append("</tr>")
    rows = []
    for stay in timeline.stays:
        to = word("milestone", lang) if stay.is_milestone else _day(stay.left_on)
        rows.append(
            [
                f"<td>{_e(stay.label)}</td>",
                f"<td>{_day(stay.entered_on)}</td>",
                f"<td>{_e(to)}</td>",
            ]
        )
    out.append(_table(f"timeline-{timeline.case_id}-states", head, rows))
    if timeline.deadlines:
        head = [f"<tr><th>{_e(word(k, lang))}</th>" for k in ("deadline",)]
        head += [f"<th>{_e(word(k, lang))}</th>" for k in ("started", "outcome")]
        head.append("</tr>")
        rows = [
            [
                f"<td>{_e(d.name)}</td>",
                f"<td>{_day(d.started_on)}</td>",
                f"<td>{_e(d.label[len(d.name) + 2 :])}</td>",
            ]
            for d in timeline.deadlines
        ]
        out.append(_table(f"timeline-{timeline.case_id}-deadlines", head, rows))
    return out


def _period_name(period: Period, lang: str) -> str:
    return period.label_vi if lang == "vi" else period.label


def _day(day: _dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _text(text: str) -> list[str]:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [
        '<section class="report-text" id="report-text">'
        + "".join(f"<p>{_e(block)}</p>" for block in blocks if block)
        + "</section>"
    ]


def render_html(
    indicators: Indicators,
    *,
    previous: Indicators | None = None,
    cases: Iterable[Case[Any, Any]] = (),
    lang: str = "vi",
    text: str | None = None,
    now: _dt.datetime | None = None,
) -> str:
    """The HTML page of ``indicators`` (see the module's description).

    ``previous`` adds the previous period's figures beside them; ``cases`` are drawn as
    timelines as they stood at ``now`` (by default the last second of the period); ``text`` is
    the commission's report, shown first, paragraph by paragraph (blank lines separate them).
    """
    if not isinstance(indicators, Indicators):
        raise InputError(
            "indicators", f"expected an Indicators value, got {type(indicators).__name__}"
        )
    if previous is not None and not isinstance(previous, Indicators):
        raise InputError(
            "previous", f"expected an Indicators value or None, got {type(previous).__name__}"
        )
    if lang not in _LANGS:
        raise InputError("lang", f"languages: {', '.join(_LANGS)}; got {lang!r}")
    if text is not None and not isinstance(text, str):
        raise InputError("text", f"expected the report's text or None, got {type(text).__name__}")
    at = now if now is not None else indicators.period.end - _ONE_SECOND
    timelines = [timeline_of(case, now=at, lang=lang) for case in cases]
    charts = _charts_module()
    period = indicators.period
    title = word("title", lang, period=_period_name(period, lang))
    out = [
        "<!doctype html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="period">{_day(period.start.date())} – {_day(period.last_day)}</p></header>',
    ]
    if charts is None:
        out.append(f'<p class="note" id="no-charts">{_e(word("install_charts", lang))}</p>')
    sections = [("funnel", "funnel"), ("discipline", "discipline"), ("deadlines", "deadlines")]
    sections.append(("plans", "plans"))
    if text:
        sections.insert(0, ("report-text", "report_text"))
    if timelines:
        sections.append(("timelines", "timelines"))
    sections.append(("figures", "figures"))
    links = "".join(
        f'<li><a href="#{anchor}">{_e(word(key, lang))}</a></li>' for anchor, key in sections
    )
    out.append(f"<nav><h2>{_e(word('contents', lang))}</h2><ol>{links}</ol></nav>")
    if text:
        out += _text(text)
    out += _funnel(indicators, previous, lang, charts)
    out += _forms(indicators, lang, charts)
    out += _deadlines(indicators, lang, charts)
    out += _plans(indicators, lang, charts)
    if timelines:
        out.append(f'<h2 id="timelines">{_e(word("timelines", lang))}</h2>')
        for timeline in timelines:
            out += _timeline(timeline, lang, charts)
    out += _figures(indicators, previous, lang)
    out.append(f"<footer>{_e(word('generated', lang, version=__version__))}</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_html(
    path: str | Path,
    indicators: Indicators,
    *,
    previous: Indicators | None = None,
    cases: Iterable[Case[Any, Any]] = (),
    lang: str = "vi",
    text: str | None = None,
    now: _dt.datetime | None = None,
) -> Path:
    """Write the page of :func:`render_html` to ``path`` (UTF-8) and return the path."""
    page = render_html(indicators, previous=previous, cases=cases, lang=lang, text=text, now=now)
    target = Path(path)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError("path", f"cannot write {target}: {exc.strerror}") from None
    return target
