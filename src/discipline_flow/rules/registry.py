"""Choosing the ruleset in force on a date, and which date to ask about for each process.

The built-in rulesets follow each other without gaps or overlaps::

    2021     2021-07-28 to 2022-07-05   QĐ 22-QĐ/TW; QĐ 102-QĐ/TW and QĐ 07-QĐi/TW on violations
    2022     2022-07-06 to 2025-05-29   QĐ 22-QĐ/TW; QĐ 69-QĐ/TW
    2025     2025-05-30 to 2025-06-30   QĐ 296-QĐ/TW; district level still exists
    2025-07  2025-07-01 to 2026-04-10   QĐ 296-QĐ/TW; QĐ 294-QĐ/TW: no district level
    2026     2026-04-11 on              QĐ 21-QĐ/TW (secondary sources only)

>>> import datetime as dt
>>> from discipline_flow.rules import SELECTION_DATE, ProcessKind, select_ruleset
>>> SELECTION_DATE[ProcessKind.LIMITATION].value
'violation'
>>> select_ruleset(dt.date(2025, 5, 29)).name, select_ruleset(dt.date(2025, 5, 30)).name
('2022', '2025')
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import itertools
import os
import pathlib
import types
from collections.abc import Iterable, Iterator, Mapping

import attrs
import pendulum

from discipline_flow.clock import DEFAULT_TIMEZONE, require_aware
from discipline_flow.errors import (
    InputError,
    InvalidRulesetError,
    NoRulesetInForceError,
    RulesetFileError,
    UnknownRulesetError,
)
from discipline_flow.rules._file import builtin_names, builtin_text, read_ruleset_text
from discipline_flow.rules.ruleset import Ruleset

__all__ = [
    "SELECTION_DATE",
    "ProcessKind",
    "RulesetRegistry",
    "SelectionDate",
    "default_registry",
    "load_rulesets",
    "select_ruleset",
]


class ProcessKind(enum.Enum):
    """The processes whose ruleset is chosen by a date (see :data:`SELECTION_DATE`)."""

    LIMITATION = "limitation"
    DISCIPLINE = "discipline"
    COMPLAINT = "complaint"
    DENUNCIATION = "denunciation"
    SUSPENSION = "suspension"
    REMOVAL_FROM_ROLLS = "removal_from_rolls"
    INSPECTION = "inspection"
    SUPERVISION = "supervision"


class SelectionDate(enum.Enum):
    """Which date of a case picks its ruleset."""

    #: The day the violation was committed (for a continuing violation, the day it ended).
    VIOLATION = "violation"
    #: The day the competent body decides (meets and votes, or signs).
    DECISION = "decision"
    #: The day the complaint is sent (handed in, or the postmark).
    FILING = "filing"
    #: The day the competent body receives the denunciation.
    RECEIPT = "receipt"


#: Which date selects the ruleset for each process. The limitation period is judged by the rules
#: of the time of the violation; a procedure by the rules in force when the body acts; a complaint
#: by the rules in force when it is filed; a denunciation by those in force when the competent
#: body receives it (the day its resolution period starts, P-ubkttw-tocao).
SELECTION_DATE: Mapping[ProcessKind, SelectionDate] = types.MappingProxyType(
    {
        ProcessKind.LIMITATION: SelectionDate.VIOLATION,
        ProcessKind.DISCIPLINE: SelectionDate.DECISION,
        ProcessKind.COMPLAINT: SelectionDate.FILING,
        ProcessKind.DENUNCIATION: SelectionDate.RECEIPT,
        ProcessKind.SUSPENSION: SelectionDate.DECISION,
        ProcessKind.REMOVAL_FROM_ROLLS: SelectionDate.DECISION,
        ProcessKind.INSPECTION: SelectionDate.DECISION,
        ProcessKind.SUPERVISION: SelectionDate.DECISION,
    }
)


def _as_date(on: object) -> _dt.date:
    if isinstance(on, _dt.datetime):
        aware = require_aware(on, "on")
        local = aware.astimezone(pendulum.timezone(DEFAULT_TIMEZONE))
        return local.date()
    if isinstance(on, _dt.date):
        return on
    raise InputError("on", f"expected a date (or an aware datetime), got {type(on).__name__}")


def _to_rulesets(value: Iterable[Ruleset]) -> tuple[Ruleset, ...]:
    rulesets = tuple(sorted(value, key=lambda ruleset: ruleset.effective_from))
    names: set[str] = set()
    for ruleset in rulesets:
        if not isinstance(ruleset, Ruleset):
            raise InvalidRulesetError(repr(ruleset), "a registry holds Ruleset values only")
        if ruleset.name in names:
            raise InvalidRulesetError(ruleset.name, "two rulesets share this name")
        names.add(ruleset.name)
    for earlier, later in itertools.pairwise(rulesets):
        if earlier.effective_until is None or earlier.effective_until >= later.effective_from:
            raise InvalidRulesetError(
                later.name,
                f"in force from {later.effective_from}, while {earlier.name!r} is in force "
                f"{earlier.span}; end {earlier.name!r} the day before",
            )
    return rulesets


@attrs.frozen
class RulesetRegistry:
    """An immutable collection of rulesets that do not overlap in time.

    An embedding system builds its own from the built-in one: replace a ruleset with an
    overridden copy, or add one for a later regulation after ending the current one.

    >>> import attrs, datetime as dt
    >>> from discipline_flow.rules import default_registry
    >>> registry = default_registry()
    >>> current = registry.get("2026")
    >>> ended = attrs.evolve(current, effective_until=dt.date(2026, 8, 16))
    >>> later = attrs.evolve(current, name="2026-08", effective_from=dt.date(2026, 8, 17),
    ...                      effective_until=None)
    >>> mine = registry.with_ruleset(ended).with_ruleset(later)
    >>> mine.select(dt.date(2026, 8, 17)).name
    '2026-08'
    """

    rulesets: tuple[Ruleset, ...] = attrs.field(converter=_to_rulesets)

    def __iter__(self) -> Iterator[Ruleset]:
        return iter(self.rulesets)

    def __len__(self) -> int:
        return len(self.rulesets)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the rulesets, oldest first."""
        return tuple(ruleset.name for ruleset in self.rulesets)

    def get(self, name: str) -> Ruleset:
        """The ruleset called ``name``; :class:`~discipline_flow.errors.UnknownRulesetError` if none."""
        for ruleset in self.rulesets:
            if ruleset.name == name:
                return ruleset
        raise UnknownRulesetError(str(name), self.names)

    def latest(self) -> Ruleset:
        """The newest ruleset (the one with the latest ``effective_from``)."""
        if not self.rulesets:
            raise UnknownRulesetError("latest", ())
        return self.rulesets[-1]

    def select(self, on: _dt.date) -> Ruleset:
        """The ruleset in force on ``on`` (a date, or an aware datetime read in Vietnam time)."""
        day = _as_date(on)
        for ruleset in self.rulesets:
            if ruleset.covers(day):
                return ruleset
        covered = tuple(f"{ruleset.name} ({ruleset.span})" for ruleset in self.rulesets)
        raise NoRulesetInForceError(day.isoformat(), covered)

    def with_ruleset(self, ruleset: Ruleset) -> RulesetRegistry:
        """A new registry with ``ruleset`` added, replacing the one of the same name if any.

        A ruleset that starts while one with no end date is in force ends that one the day
        before: a new regulation replaces the one in force (the ``2027`` below ends ``2026``
        on 2026-12-31). Any other overlap is refused.
        """
        if not isinstance(ruleset, Ruleset):
            raise InputError("ruleset", f"expected Ruleset, got {type(ruleset).__name__}")
        kept = []
        for existing in self.rulesets:
            if existing.name == ruleset.name:
                continue
            if (
                existing.effective_until is None
                and existing.effective_from < ruleset.effective_from
            ):
                end = ruleset.effective_from - _dt.timedelta(days=1)
                existing = attrs.evolve(existing, effective_until=end)  # noqa: PLW2901
            kept.append(existing)
        return RulesetRegistry([*kept, ruleset])

    def with_rulesets(self, *rulesets: Ruleset) -> RulesetRegistry:
        """A new registry with each of ``rulesets`` added (oldest first) by :meth:`with_ruleset`."""
        registry = self
        for ruleset in sorted(rulesets, key=lambda ruleset: ruleset.effective_from):
            registry = registry.with_ruleset(ruleset)
        return registry

    def with_files(self, *paths: str | os.PathLike[str]) -> RulesetRegistry:
        """A new registry with the rulesets of the files (or folders of ``*.toml`` files) added.

        A file's ``based_on`` names a ruleset of the same files or of this registry. Selection
        by date then runs across the built-in rulesets and the files:

        >>> import datetime as dt, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "2027.toml").write_text('''
        ... name = "2027"
        ... based_on = "2026"
        ... effective_from = 2027-01-01
        ... ''', encoding="utf-8")
        >>> registry = default_registry().with_files(folder)
        >>> registry.names[-2:], registry.get("2026").span
        (('2026', '2027'), '2026-04-11 to 2026-12-31')
        >>> registry.select(dt.date(2027, 3, 1)).name
        '2027'
        """
        return self.with_rulesets(*load_rulesets(*paths, registry=self))


def default_registry() -> RulesetRegistry:
    """The built-in rulesets (2021, 2022, 2025, 2025-07, 2026), read from the files shipped in
    ``discipline_flow/rules/data/`` once per process."""
    return _builtin_registry()


@functools.cache
def _builtin_registry() -> RulesetRegistry:
    # One registry per process: guards ask for it on every move, and memos keyed by its
    # rulesets stay valid only while they are the same objects.
    return RulesetRegistry(
        Ruleset.from_toml(builtin_text(name), path=f"rules/data/{name}.toml")
        for name in builtin_names()
    )


def load_rulesets(
    *paths: str | os.PathLike[str], registry: RulesetRegistry | None = None
) -> tuple[Ruleset, ...]:
    """The rulesets of the files ``paths`` (a folder stands for its ``*.toml`` files), oldest first.

    A file's ``based_on`` names another of these files' rulesets or one of ``registry`` (the
    built-in rulesets by default); a file may extend the ruleset whose name it takes (a local
    ``2026`` based on the built-in ``2026`` replaces it in :meth:`RulesetRegistry.with_files`).
    A file that cannot be read raises :class:`~discipline_flow.errors.RulesetFileError`.
    """
    known = registry if registry is not None else default_registry()
    texts: dict[str, str] = {}
    for file in _ruleset_paths(paths):
        try:
            texts[str(file)] = file.read_text(encoding="utf-8")
        except OSError as error:
            raise RulesetFileError(
                "(file)", f"cannot be read: {error.strerror}", str(file)
            ) from None
    sources = {path: read_ruleset_text(text, path) for path, text in texts.items()}
    by_name: dict[str, str] = {}
    for path, source in sources.items():
        if source.name in by_name:
            raise RulesetFileError(
                "name", f"{source.name!r} is also the name in {by_name[source.name]}", path
            )
        by_name[source.name] = path
    done: dict[str, Ruleset] = {}
    pending = list(sources)
    while pending:
        ready = [
            path
            for path in pending
            if sources[path].based_on in (None, sources[path].name)
            or sources[path].based_on not in by_name
            or sources[path].based_on in done
        ]
        if not ready:
            names = " -> ".join(
                f"{sources[p].name} (based on {sources[p].based_on})" for p in pending
            )
            raise RulesetFileError(
                "based_on", f"the files extend each other in a circle: {names}", pending[0]
            )
        for path in ready:
            bases = (*done.values(), *known)
            done[sources[path].name] = Ruleset.from_toml(texts[path], path=path, bases=bases)
            pending.remove(path)
    return tuple(sorted(done.values(), key=lambda ruleset: ruleset.effective_from))


def _ruleset_paths(paths: Iterable[str | os.PathLike[str]]) -> list[pathlib.Path]:
    found: list[pathlib.Path] = []
    for raw in paths:
        path = pathlib.Path(raw)
        if path.is_dir():
            found.extend(sorted(path.glob("*.toml")))
        elif path.is_file():
            found.append(path)
        else:
            raise RulesetFileError("(file)", "no such file or folder", str(path))
    return found


def select_ruleset(on: _dt.date, *, registry: RulesetRegistry | None = None) -> Ruleset:
    """The ruleset in force on ``on``, from ``registry`` or the built-in one.

    Which date to pass depends on the process: see :data:`SELECTION_DATE`.

    >>> import datetime as dt
    >>> [select_ruleset(dt.date(2026, 4, d)).name for d in (10, 11)]
    ['2025-07', '2026']
    >>> select_ruleset(dt.date(2019, 1, 1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    discipline_flow.errors.NoRulesetInForceError: no ruleset is in force on 2019-01-01; ...
    """
    return (registry if registry is not None else default_registry()).select(on)
