"""Yearly statistics in the shape of an inspection commission's annual report.

:func:`annual_report` computes the figures from any case store; the result renders as text
(English or Vietnamese), JSON and CSV. :func:`compute_indicators` computes the indicators of any
period (:mod:`discipline_flow.reports.indicators`); the command line is ``discipline-flow report``.

>>> from discipline_flow.reports import annual_report, parse_year
>>> parse_year("2023")
2023
"""

from __future__ import annotations

from discipline_flow.reports._render import CSV_COLUMNS
from discipline_flow.reports.annual import (
    MAX_YEAR,
    MIN_YEAR,
    AnnualReport,
    DeadlineOutcome,
    ProcessStats,
    annual_report,
    deadline_outcome,
    level_of,
    measure_of,
    parse_year,
    year_bounds,
)
from discipline_flow.reports.compute import compute_indicators

__all__ = [
    "CSV_COLUMNS",
    "MAX_YEAR",
    "MIN_YEAR",
    "AnnualReport",
    "DeadlineOutcome",
    "ProcessStats",
    "annual_report",
    "compute_indicators",
    "deadline_outcome",
    "level_of",
    "measure_of",
    "parse_year",
    "year_bounds",
]
