"""The official table: days off and make-up working days set by government notices.

The table shipped with the library is ``data/vn_official.toml`` (2024-2027). Each row is a
:class:`CalendarEntry` naming the notice that set it and its status. For every year it lists the
table is complete: a day it does not list is an ordinary day.

>>> from discipline_flow.time import OfficialTable
>>> table = OfficialTable.default()
>>> table.as_of, sorted(table.years)
('2026-12-01', [2024, 2025, 2026, 2027])
>>> [e.on.isoformat() for e in table.entries if e.kind.value == "make_up_working_day"]
['2024-05-04', '2025-04-26', '2026-01-10', '2026-08-22']
"""

from __future__ import annotations

import datetime as _dt
import functools
import sys
from collections.abc import Iterable
from importlib import resources

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError, MalformedDataError
from discipline_flow.time._dates import as_date
from discipline_flow.time._trace import DayKind, DayReason

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["CalendarEntry", "OfficialTable", "status_of"]


def _on(value: _dt.date) -> _dt.date:
    return as_date(value, "on")


@attrs.frozen
class CalendarEntry:
    """A day whose status a table or a user sets: a day off, or a make-up working day."""

    on: _dt.date = attrs.field(converter=_on)
    kind: DayKind = attrs.field()
    name_en: str = attrs.field()
    name_vi: str = ""
    citation: Citation | None = None

    @kind.validator
    def _check_kind(self, _: attrs.Attribute[DayKind], value: DayKind) -> None:
        if not isinstance(value, DayKind) or value is DayKind.WEEKEND:
            allowed = ", ".join(k.value for k in DayKind if k is not DayKind.WEEKEND)
            raise InputError("kind", f"{value!r} is not an entry kind; kinds: {allowed}")
        weekend = self.on.weekday() >= 5
        if value is DayKind.MAKE_UP_WORKING_DAY and not weekend:
            raise InputError(
                "kind", f"{self.on.isoformat()} is a weekday; only a weekend day can be made up"
            )
        if value in (DayKind.SWAPPED_DAY_OFF, DayKind.COMPENSATORY_DAY_OFF) and weekend:
            raise InputError(
                "kind",
                f"{self.on.isoformat()} is a weekend day; a {value.label()} must be a weekday",
            )

    @name_en.validator
    def _check_name(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InputError("name_en", "every calendar entry needs a name")

    def reason(self, *, is_estimated: bool = False) -> DayReason:
        """This entry as a :class:`DayReason`."""
        return DayReason(self.kind, self.name_en, self.name_vi, self.citation, is_estimated)


def _years(values: Iterable[int]) -> frozenset[int]:
    return frozenset(values)


def _entries(values: Iterable[CalendarEntry]) -> tuple[CalendarEntry, ...]:
    return tuple(values)


_TABLE_FIELDS = frozenset(
    {"on", "kind", "name_en", "name_vi", "document", "article", "status", "source", "note"}
)


@attrs.frozen
class OfficialTable:
    """Days off and make-up working days set by government notices, for whole years.

    For every year in ``years`` the table is complete: a day it does not list is an ordinary
    day (Monday to Friday working, weekend off).
    """

    as_of: str
    years: frozenset[int] = attrs.field(converter=_years)
    entries: tuple[CalendarEntry, ...] = attrs.field(converter=_entries)

    def __attrs_post_init__(self) -> None:
        for entry in self.entries:
            if entry.on.year not in self.years:
                raise InputError(
                    "entries",
                    f"{entry.on.isoformat()} is outside the table's years "
                    f"{sorted(self.years)}; add the year to the table",
                )
        status_of(self.entries, "entries")

    @classmethod
    def from_toml(cls, text: str, *, where: str = "official table") -> OfficialTable:
        """Read a table written like ``discipline_flow/time/data/vn_official.toml``."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MalformedDataError(where, f"not valid TOML: {exc}") from None
        meta = data.get("meta")
        if not isinstance(meta, dict) or not isinstance(meta.get("as_of"), str):
            raise MalformedDataError(f"{where} [meta]", "needs as_of (text) and years (list)")
        years = meta.get("years")
        if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
            raise MalformedDataError(f"{where} [meta].years", "expected a list of years")
        rows = data.get("day", [])
        if not isinstance(rows, list):
            raise MalformedDataError(f"{where} [[day]]", "expected an array of tables")
        entries = [_entry_from_row(row, f"{where} day[{i}]") for i, row in enumerate(rows)]
        try:
            return cls(meta["as_of"], frozenset(years), tuple(entries))
        except InputError as exc:
            raise MalformedDataError(where, str(exc)) from None

    @classmethod
    def default(cls) -> OfficialTable:
        """The table shipped with this release (2024-2026)."""
        return _default_table()

    def merge(self, other: OfficialTable) -> OfficialTable:
        """A table with ``other``'s years added; for a year in both, ``other``'s rows win."""
        kept = tuple(e for e in self.entries if e.on.year not in other.years)
        return OfficialTable(
            f"{self.as_of}+{other.as_of}", self.years | other.years, kept + other.entries
        )


def _entry_from_row(row: object, where: str) -> CalendarEntry:
    if not isinstance(row, dict):
        raise MalformedDataError(where, "expected a table")
    unknown = set(row) - _TABLE_FIELDS
    if unknown:
        raise MalformedDataError(
            where, f"unknown fields {sorted(unknown)}; fields: {sorted(_TABLE_FIELDS)}"
        )
    try:
        kind = DayKind(row.get("kind"))
        status = RuleStatus(row.get("status", "verified"))
        document = row["document"]
        citation = Citation(
            document,
            row.get("article"),
            status,
            source=row.get("source"),
            note=row.get("note"),
        )
        return CalendarEntry(row["on"], kind, row["name_en"], row.get("name_vi", ""), citation)
    except KeyError as exc:
        raise MalformedDataError(where, f"missing field {exc.args[0]!r}") from None
    except ValueError as exc:
        raise MalformedDataError(where, str(exc)) from None


def status_of(entries: Iterable[CalendarEntry], argument: str) -> dict[int, bool]:
    """Working status per ordinal for days with entries; conflicting entries are an error."""
    status: dict[int, bool] = {}
    for entry in entries:
        o = entry.on.toordinal()
        working = not entry.kind.is_day_off
        if status.get(o, working) != working:
            raise InputError(
                argument,
                f"{entry.on.isoformat()} is listed both as a day off and as a working day",
            )
        status[o] = working
    return status


@functools.cache
def _default_table() -> OfficialTable:
    text = (
        resources.files("discipline_flow.time")
        .joinpath("data/vn_official.toml")
        .read_text(encoding="utf-8")
    )
    return OfficialTable.from_toml(text, where="vn_official.toml")
