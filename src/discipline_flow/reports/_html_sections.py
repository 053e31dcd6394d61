"""The sections of the HTML report's page: each a list of HTML strings, its table and, when
matplotlib is there (``charts``, the :mod:`discipline_flow.reports._charts` module), its chart.

>>> day(__import__("datetime").date(2023, 9, 28)), escape("<b>")
('28/09/2023', '&lt;b&gt;')
"""

from __future__ import annotations

import datetime as _dt
import html
import types
from collections.abc import Iterable, Sequence

from discipline_flow.diagrams.timeline import Timeline
from discipline_flow.measure import Measure
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

__all__ = [
    "day",
    "deadlines_section",
    "escape",
    "figures_section",
    "forms_section",
    "funnel_section",
    "period_name",
    "plans_section",
    "text_section",
    "timeline_section",
]


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: int, lang: str) -> str:
    return f'<td class="num">{escape(number(value, lang))}</td>'


def _table(
    name: str, head: Sequence[str], rows: Iterable[Sequence[str]], *, total: bool = False
) -> str:
    """A table named ``name`` (its ``data-table``) of cells already written as ``<td>``
    (``head`` is the header rows' HTML)."""
    body = list(rows)
    out = [
        f'<div class="wide"><table data-table="{escape(name)}">',
        f"<thead>{''.join(head)}</thead><tbody>",
    ]
    for number_, row in enumerate(body):
        opening = '<tr class="total">' if total and number_ == len(body) - 1 else "<tr>"
        out.append(f"{opening}{''.join(row)}</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _figure(name: str, svg: str, caption: str) -> str:
    return (
        f'<figure class="chart" data-chart="{escape(name)}" role="img" aria-label="{escape(caption)}">'
        f"{svg}</figure>"
    )


def _added(indicators: Indicators, keys: Sequence[str]) -> Count:
    return sum((indicators.total(key) for key in keys), Count())


def funnel_section(
    indicators: Indicators, previous: Indicators | None, lang: str, charts: types.ModuleType | None
) -> list[str]:
    steps = [(en if lang == "en" else vi, keys) for (en, vi), keys in FUNNEL]
    counts = [_added(indicators, keys) for _, keys in steps]
    out = [f'<h2 id="funnel">{escape(word("funnel", lang))}</h2>']
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
    pair = [f"<th>{escape(word(k, lang))}</th>" for k in ("organisations", "members")]
    head = [f'<tr><th rowspan="2">{escape(word("indicator", lang))}</th>']
    head.append(f'<th colspan="2">{escape(period_name(indicators.period, lang))}</th>')
    if previous is not None:
        label = word("previous", lang, period=period_name(previous.period, lang))
        head.append(f'<th colspan="2">{escape(label)}</th>')
    head += ["</tr><tr>", *pair, *(pair if previous is not None else []), "</tr>"]
    rows = []
    for (label, keys), count in zip(steps, counts, strict=True):
        row = [
            f"<td>{escape(label)}</td>",
            _num(count.organisations, lang),
            _num(count.members, lang),
        ]
        if previous is not None:
            before = _added(previous, keys)
            row += [_num(before.organisations, lang), _num(before.members, lang)]
        rows.append(row)
    out.append(_table("funnel", head, rows))
    return out


def forms_section(indicators: Indicators, lang: str, charts: types.ModuleType | None) -> list[str]:
    levels = list(indicators.levels)
    out = [f'<h2 id="discipline">{escape(word("discipline", lang))}</h2>']
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
            names = [_form_name(f, lang) for f in chosen]
            series = {
                level_label(level, lang): [getattr(cell(f.value, level), kind) for f in chosen]
                for level in levels
            }
            panels[title] = (names, series)
        out.append(_figure("discipline", charts.bars_by_group(panels), word("discipline", lang)))
    head = [f'<tr><th rowspan="2">{escape(word("form", lang))}</th>']
    head += [f'<th colspan="2">{escape(level_label(level, lang))}</th>' for level in levels]
    head.append(f'<th colspan="2">{escape(word("total", lang))}</th></tr><tr>')
    head += [
        f"<th>{escape(word(k, lang))}</th>"
        for _ in range(len(levels) + 1)
        for k in ("organisations", "members")
    ]
    head.append("</tr>")
    rows = []
    for form in [f.value for f in forms] + extra:
        label = form
        if form in known:
            measure = next(f for f in forms if f.value == form)
            label = _form_name(measure, lang)
        row = [f"<td>{escape(label)}</td>"]
        for level in levels:
            count = cell(form, level)
            row += [_num(count.organisations, lang), _num(count.members, lang)]
        total = indicators.form_total(form)
        rows.append([*row, _num(total.organisations, lang), _num(total.members, lang)])
    out.append(_table("discipline", head, rows))
    return out


def _form_name(measure: Measure, lang: str) -> str:
    """``Khiển trách``, ``Removal from post``: a form's name as a row's first word."""
    name = measure.label_vi if lang == "vi" else measure.label_en
    return name[:1].upper() + name[1:]


def _sections_order(keys: Iterable[str]) -> list[str]:
    order = [section.value for section in Section]
    return sorted(keys, key=lambda key: (order.index(key) if key in order else len(order), key))


def _section_name(key: str, lang: str) -> str:
    try:
        return section_title(Section(key), lang)
    except ValueError:
        return key


def deadlines_section(
    indicators: Indicators, lang: str, charts: types.ModuleType | None
) -> list[str]:
    out = [f'<h2 id="deadlines">{escape(word("deadlines", lang))}</h2>']
    keys = _sections_order(indicators.deadlines)
    if not keys:
        return [*out, f"<p>{escape(word('nothing', lang))}</p>"]
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
    head = [f"<tr><th>{escape(word('section', lang))}</th>"]
    head += [f"<th>{escape(word(k, lang))}</th>" for k in (*OUTCOMES, "total", "met_share")]
    head.append("</tr>")
    rows = []
    for key in keys:
        values = counts[key]
        row = [f"<td>{escape(_section_name(key, lang))}</td>", *(_num(v, lang) for v in values)]
        row += [
            _num(sum(values), lang),
            f'<td class="num">{percent(values[0], sum(values), lang)}</td>',
        ]
        rows.append(row)
    out.append(_table("deadlines", head, rows))
    return out


def plans_section(indicators: Indicators, lang: str, charts: types.ModuleType | None) -> list[str]:
    out = [f'<h2 id="plans">{escape(word("plans", lang))}</h2>']
    levels = [level for level in indicators.levels if level in indicators.plans]
    levels += [level for level in indicators.plans if level not in levels]
    if not levels:
        return [*out, f"<p>{escape(word('nothing', lang))}</p>"]
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
    head = [f"<tr><th>{escape(word('level', lang))}</th>"]
    head += [f"<th>{escape(word(k, lang))}</th>" for k in keys]
    head.append("</tr>")
    rows = []
    named = [(level_label(level, lang), f) for level, f in zip(levels, figures, strict=True)]
    for name, f in [*named, (word("total", lang), indicators.plans_total())]:
        rows.append(
            [
                f"<td>{escape(name)}</td>",
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
    return f'<td class="num">{escape(text)}</td>'


def figures_section(indicators: Indicators, previous: Indicators | None, lang: str) -> list[str]:
    levels = list(indicators.levels)
    out = [f'<h2 id="figures">{escape(word("figures", lang))}</h2>']
    pair = ("organisations", "members")
    head = [f'<tr><th rowspan="2">{escape(word("indicator", lang))}</th>']
    head += [f'<th colspan="2">{escape(level_label(level, lang))}</th>' for level in levels]
    head.append(f'<th colspan="3">{escape(word("total", lang))}</th>')
    if previous is not None:
        label = word("previous", lang, period=period_name(previous.period, lang))
        head.append(f'<th colspan="2">{escape(label)}</th>')
    head.append("</tr><tr>")
    head += [f"<th>{escape(word(k, lang))}</th>" for _ in levels for k in pair]
    head += [f"<th>{escape(word(k, lang))}</th>" for k in (*pair, "committee_members")]
    if previous is not None:
        head += [f"<th>{escape(word(k, lang))}</th>" for k in pair]
    head.append("</tr>")
    for section in Section:
        keys = [key for key, item in INDICATORS.items() if item.section is section]
        if not keys:
            continue
        out.append(f"<h3>{escape(section_title(section, lang))}</h3>")
        rows = []
        for key in keys:
            by_level = indicators.by_level(key)
            row = [
                f'<td title="{escape(INDICATORS[key].definition)}">{escape(INDICATORS[key].label(lang))}</td>'
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


def timeline_section(timeline: Timeline, lang: str, charts: types.ModuleType | None) -> list[str]:
    out = [f"<h3>{escape(timeline.title)}</h3>"]
    if charts is not None:
        svg = charts.gantt(timeline, now=word("now", lang))
        out.append(_figure(f"timeline-{timeline.case_id}", svg, timeline.title))
    head = [f"<tr><th>{escape(word(k, lang))}</th>" for k in ("state",)]
    head += [f"<th>{escape(word(k, lang))}</th>" for k in ("from", "to")]
    head.append("</tr>")
    rows = []
    for stay in timeline.stays:
        to = word("milestone", lang) if stay.is_milestone else day(stay.left_on)
        rows.append(
            [
                f"<td>{escape(stay.label)}</td>",
                f"<td>{day(stay.entered_on)}</td>",
                f"<td>{escape(to)}</td>",
            ]
        )
    out.append(_table(f"timeline-{timeline.case_id}-states", head, rows))
    if timeline.deadlines:
        head = [f"<tr><th>{escape(word(k, lang))}</th>" for k in ("deadline",)]
        head += [f"<th>{escape(word(k, lang))}</th>" for k in ("started", "outcome")]
        head.append("</tr>")
        rows = [
            [
                f"<td>{escape(d.name)}</td>",
                f"<td>{day(d.started_on)}</td>",
                f"<td>{escape(d.label[len(d.name) + 2 :])}</td>",
            ]
            for d in timeline.deadlines
        ]
        out.append(_table(f"timeline-{timeline.case_id}-deadlines", head, rows))
    return out


def period_name(period: Period, lang: str) -> str:
    return period.label_vi if lang == "vi" else period.label


def day(day: _dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def text_section(text: str) -> list[str]:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [
        '<section class="report-text" id="report-text">'
        + "".join(f"<p>{escape(block)}</p>" for block in blocks if block)
        + "</section>"
    ]
