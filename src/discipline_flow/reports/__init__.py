"""Yearly statistics in the shape of an inspection commission's annual report.

:func:`annual_report` computes the figures from any case store; the result renders as text
(English or Vietnamese), JSON and CSV. The command line is ``discipline-flow report``.

From an :class:`~discipline_flow.reports.indicators.Indicators` value,
:func:`commission_report` writes the report a commission publishes (Vietnamese by default) and
:func:`write_forms` the tables shaped like the sector's statistical forms, as CSV and JSON.

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
from discipline_flow.reports.commission import commission_report
from discipline_flow.reports.forms import (
    FORM_IDS,
    FORMS_SCHEMA,
    Column,
    FormTable,
    form_tables,
    forms_document,
    write_forms,
)
from discipline_flow.reports.numbers import format_number, format_percent

__all__ = [
    "CSV_COLUMNS",
    "FORMS_SCHEMA",
    "FORM_IDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "AnnualReport",
    "Column",
    "DeadlineOutcome",
    "FormTable",
    "ProcessStats",
    "annual_report",
    "commission_report",
    "deadline_outcome",
    "form_tables",
    "format_number",
    "format_percent",
    "forms_document",
    "level_of",
    "measure_of",
    "parse_year",
    "write_forms",
    "year_bounds",
]
