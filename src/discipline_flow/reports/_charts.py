"""The HTML report's charts, drawn by matplotlib as inline SVG (the ``charts`` extra).

This is the only module that imports matplotlib: it takes about half a second to import, so
:mod:`discipline_flow.reports.html` imports this module when a report is rendered, and renders
tables only where matplotlib is missing. Figures are built with :class:`matplotlib.figure.Figure`
directly (no pyplot: no display, no global figure registry) and saved as SVG with
``svg.fonttype = none``, so Vietnamese labels stay text (searchable, small) and the browser draws
them. Settings apply inside :func:`matplotlib.rc_context` only; each chart salts its SVG ids with
its own name so that several charts inlined in one page never share a clip-path id.

Every function takes plain labels and numbers (the page decides the words) and returns the
``<svg>`` element as text.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from discipline_flow.diagrams.timeline import Timeline

__all__ = ["bars_by_group", "funnel", "gantt", "plans", "stacked_bars"]

#: Colours (colour-blind safe, Okabe-Ito) for stacked series, in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Deadline outcomes: on time, late, missed.
OUTCOME_COLOURS = {"on_time": "#009E73", "late": "#E69F00", "missed": "#D55E00"}
#: A timeline's deadline bars by outcome (see :class:`~discipline_flow.diagrams.DeadlineBar`).
DEADLINE_COLOURS = {
    "met": "#009E73",
    "met_late": "#E69F00",
    "cancelled": "#999999",
    "overdue": "#D55E00",
    "due_soon": "#E69F00",
    "paused": "#56B4E9",
    "pending": "#56B4E9",
}
_ONE_DAY = _dt.timedelta(days=1)
_STATE_COLOUR = "#0072B2"
_CURRENT_COLOUR = "#E69F00"
_SETTINGS = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
#: Labels longer than this are cut with an ellipsis on an axis.
_LABEL_CHARS = 48


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    # No metadata block: it names the producer's web site and the date (the file must not name
    # anything outside itself, and the same figures must give the same bytes).
    figure.savefig(
        buffer,
        format="svg",
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
    )
    text = buffer.getvalue()
    # Inline SVG in HTML: drop the XML declaration and DOCTYPE that precede the element.
    return text[text.index("<svg") :].strip()


def _x(day: _dt.date) -> float:
    """A day on a gantt's axis: its ordinal (day 1 is 1 January of year 1)."""
    return float(day.toordinal())


def _day_label(value: float, position: int | None) -> str:
    return _dt.date.fromordinal(round(value)).strftime("%d/%m/%Y")


def _settings(name: str) -> dict[Any, Any]:
    return {**_SETTINGS, "svg.hashsalt": f"discipline-flow-{name}"}


def _annotate(
    axes: Axes, values: Sequence[float], positions: Sequence[float], text: list[str]
) -> None:
    for value, position, label in zip(values, positions, text, strict=True):
        axes.annotate(
            label,
            (max(value, 0), position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )


def funnel(
    steps: Sequence[str],
    panels: Mapping[str, Sequence[int]],
    *,
    numbers: Mapping[str, Sequence[str]],
    scale_note: str,
) -> str:
    """Horizontal bars, one panel per subject (``panels``: title → a value per step), on a
    logarithmic axis (a year's supervisions outnumber its disciplined members by thousands);
    each bar carries its number (``numbers``: the values as the page writes them)."""
    with matplotlib.rc_context(_settings("funnel")):
        figure = Figure(figsize=(9.5, 0.45 * len(steps) + 1.4), layout="constrained")
        axes_list = figure.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        positions = list(range(len(steps)))[::-1]
        for (title, values), axes, colour in zip(panels.items(), axes_list, PALETTE, strict=False):
            shown = [value if value > 0 else 0 for value in values]
            axes.barh(positions, shown, color=colour, height=0.6)
            axes.set_xscale("symlog", linthresh=1)
            axes.set_xlim(0, max([*shown, 1]) * 8)
            axes.set_title(title, fontsize=11)
            axes.set_xlabel(scale_note, fontsize=8)
            _annotate(axes, shown, positions, list(numbers[title]))
        axes_list[0].set_yticks(positions, [_short(step) for step in steps])
        return _svg(figure)


def stacked_bars(
    categories: Sequence[str],
    series: Mapping[str, Sequence[int]],
    *,
    title: str,
    colours: Mapping[str, str] | None = None,
    totals: Sequence[str] = (),
) -> str:
    """Horizontal bars of ``categories``, each stacked from ``series`` (name → a value per
    category), with a legend; ``totals`` written at the end of each bar."""
    with matplotlib.rc_context(_settings(f"stacked-{title}")):
        figure = Figure(figsize=(9.5, 0.5 * len(categories) + 1.6), layout="constrained")
        axes = figure.add_subplot()
        _stack(axes, categories, series, colours)
        axes.set_title(title, fontsize=11)
        if totals:
            ends = [sum(values[i] for values in series.values()) for i in range(len(categories))]
            positions = list(range(len(categories)))[::-1]
            _annotate(axes, ends, positions, list(totals))
            axes.set_xlim(0, max([*ends, 1]) * 1.15)
        return _svg(figure)


def _stack(
    axes: Axes,
    categories: Sequence[str],
    series: Mapping[str, Sequence[int]],
    colours: Mapping[str, str] | None,
) -> None:
    positions = list(range(len(categories)))[::-1]
    left = [0] * len(categories)
    for number, (name, values) in enumerate(series.items()):
        colour = (colours or {}).get(name, PALETTE[number % len(PALETTE)])
        axes.barh(positions, values, left=left, color=colour, height=0.6, label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, [_short(category) for category in categories])
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="lower right", fontsize=8, frameon=False)


def bars_by_group(panels: Mapping[str, tuple[Sequence[str], Mapping[str, Sequence[int]]]]) -> str:
    """Side-by-side panels of stacked horizontal bars: ``panels`` maps a panel's title to its
    categories and its series (e.g. members and organisations, each by form, stacked by level)."""
    with matplotlib.rc_context(_settings("groups-" + "-".join(panels))):
        rows = max(len(categories) for categories, _ in panels.values())
        figure = Figure(figsize=(9.5, 0.5 * rows + 1.8), layout="constrained")
        axes_list = figure.subplots(1, len(panels), squeeze=False)[0]
        for (title, (categories, series)), axes in zip(panels.items(), axes_list, strict=True):
            _stack(axes, categories, series, None)
            axes.set_title(title, fontsize=11)
        return _svg(figure)


def plans(
    levels: Sequence[str], contents: Sequence[int], done: Sequence[int], *, labels: Sequence[str]
) -> str:
    """Per level, the plans' contents and those done (a pale bar behind a dark one); ``labels``
    give the title, the series names and each bar's note (e.g. ``44/51 (86 %)``), in order:
    title, contents, done, then one note per level."""
    title, contents_name, done_name, *notes = labels
    with matplotlib.rc_context(_settings("plans")):
        figure = Figure(figsize=(9.5, 0.5 * len(levels) + 1.6), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(levels)))[::-1]
        axes.barh(positions, contents, color="#BBD7EA", height=0.6, label=contents_name)
        axes.barh(positions, done, color=PALETTE[0], height=0.36, label=done_name)
        _annotate(axes, list(contents), positions, notes)
        axes.set_yticks(positions, list(levels))
        axes.set_xlim(0, max([*contents, 1]) * 1.25)
        axes.set_title(title, fontsize=11)
        axes.legend(loc="lower right", fontsize=8, frameon=False)
        return _svg(figure)


def gantt(timeline: Timeline, *, now: str) -> str:
    """A case's timeline as a gantt chart: one row per stay in a state (a stay shorter than a
    day is a diamond on its day), then one row per deadline from its start to the end of its due
    day (a tick marks the due day's end, a dot the day it was met or cancelled); a dashed line,
    labelled ``now``, is the day the timeline is drawn at."""
    rows = len(timeline.stays) + len(timeline.deadlines)
    with matplotlib.rc_context(_settings(f"gantt-{timeline.case_id}")):
        figure = Figure(figsize=(9.5, 0.38 * rows + 1.5), layout="constrained")
        axes = figure.add_subplot()
        labels: list[str] = []
        position = rows - 1
        for stay in timeline.stays:
            start = _x(stay.entered_on)
            colour = _CURRENT_COLOUR if stay.is_current else _STATE_COLOUR
            if stay.is_milestone:
                axes.plot([start], [position], marker="D", color=colour, markersize=7)
            else:
                width = _x(stay.left_on) - start
                axes.broken_barh([(start, width)], (position - 0.3, 0.6), color=colour)
            labels.append(stay.label)
            position -= 1
        for deadline in timeline.deadlines:
            # A deadline runs to the end of its due day (24:00).
            start = _x(deadline.started_on)
            due_at = _x(max(deadline.due_on, deadline.started_on) + _ONE_DAY)
            colour = DEADLINE_COLOURS[deadline.outcome]
            axes.broken_barh([(start, due_at - start)], (position - 0.25, 0.5), color=colour)
            axes.plot([due_at], [position], marker="|", color="#000000", markersize=14)
            if deadline.ended_on is not None:
                ended = _x(deadline.ended_on)
                axes.plot([ended], [position], marker="o", color="#000000", markersize=5)
            labels.append(f"{deadline.name}")
            position -= 1
        axes.axvline(_x(timeline.today), color="#D55E00", linestyle="--")
        axes.set_yticks(list(range(rows))[::-1], [_short(label) for label in labels])
        axes.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(_day_label))
        axes.tick_params(axis="x", labelrotation=30, labelsize=8)
        if timeline.deadlines:
            axes.axhline(len(timeline.deadlines) - 0.5, color="#999999", linewidth=0.8)
        axes.set_title(_short(timeline.title), fontsize=11, loc="left")
        axes.annotate(
            now,
            (_x(timeline.today), 1),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=8,
            color="#D55E00",
        )
        return _svg(figure)
