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
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from discipline_flow._version import __version__
from discipline_flow.case import Case
from discipline_flow.diagrams.timeline import timeline_of
from discipline_flow.errors import InputError
from discipline_flow.reports._html_sections import (
    day,
    deadlines_section,
    escape,
    figures_section,
    forms_section,
    funnel_section,
    period_name,
    plans_section,
    text_section,
    timeline_section,
)
from discipline_flow.reports._html_words import word
from discipline_flow.reports.indicators import Indicators

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
    title = word("title", lang, period=period_name(period, lang))
    out = [
        "<!doctype html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="period">{day(period.start.date())} – {day(period.last_day)}</p></header>',
    ]
    if charts is None:
        out.append(f'<p class="note" id="no-charts">{escape(word("install_charts", lang))}</p>')
    sections = [("funnel", "funnel"), ("discipline", "discipline"), ("deadlines", "deadlines")]
    sections.append(("plans", "plans"))
    if text:
        sections.insert(0, ("report-text", "report_text"))
    if timelines:
        sections.append(("timelines", "timelines"))
    sections.append(("figures", "figures"))
    links = "".join(
        f'<li><a href="#{anchor}">{escape(word(key, lang))}</a></li>' for anchor, key in sections
    )
    out.append(f"<nav><h2>{escape(word('contents', lang))}</h2><ol>{links}</ol></nav>")
    if text:
        out += text_section(text)
    out += funnel_section(indicators, previous, lang, charts)
    out += forms_section(indicators, lang, charts)
    out += deadlines_section(indicators, lang, charts)
    out += plans_section(indicators, lang, charts)
    if timelines:
        out.append(f'<h2 id="timelines">{escape(word("timelines", lang))}</h2>')
        for timeline in timelines:
            out += timeline_section(timeline, lang, charts)
    out += figures_section(indicators, previous, lang)
    out.append(f"<footer>{escape(word('generated', lang, version=__version__))}</footer>")
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
