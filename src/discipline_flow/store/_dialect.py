"""What differs between the SQL databases the stores run on, behind one small interface.

:class:`~discipline_flow.store._sql.SqlStore` holds all the logic and talks to its database
through a :class:`Dialect`: connections and transactions, the spelling of a few SQL constructs,
the type of timestamp columns, the errors of the driver and the schema's migrations. Statements
are written with ``?`` placeholders; every value is a parameter, never formatted into SQL text.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from discipline_flow._version import __version__
from discipline_flow.errors import DisciplineFlowError, UnknownSchemaVersionError

__all__ = ["Dialect", "Migration", "Migrations", "Tx", "migrate", "quoted"]


def quoted(columns: Sequence[str]) -> str:
    """The column names, quoted, in a list for SQL."""
    return ", ".join(f'"{c}"' for c in columns)


class Tx(abc.ABC):
    """One open transaction: statements run through it."""

    @abc.abstractmethod
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query; return every row."""

    @abc.abstractmethod
    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; return the number of rows it changed."""

    @abc.abstractmethod
    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run a statement once per row; return the total number of rows changed."""

    @abc.abstractmethod
    def savepoint(self) -> contextlib.AbstractContextManager[None]:
        """A nested transaction rolled back alone when its block raises."""


class Dialect(abc.ABC):
    """A database the SQL store runs on, and how its SQL differs."""

    #: Appended to the sweep's claim query (PostgreSQL: ``FOR UPDATE ... SKIP LOCKED``).
    claim = ""
    #: How the claim query joins ``cases`` (PostgreSQL locks the case row with the deadline).
    claim_join = ""

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The database as messages name it (a file, or a URL without its password)."""

    def sql(self, statement: str) -> str:
        """The statement in the driver's placeholder style."""
        return statement

    @abc.abstractmethod
    def ts(self, value: _dt.datetime) -> Any:
        """An aware datetime as the value of a timestamp column."""

    @abc.abstractmethod
    def local_ts(self, value: Any) -> _dt.datetime:
        """A timestamp column's value as an aware datetime in the default timezone."""

    @abc.abstractmethod
    def in_(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """A condition ``column`` in ``values`` and its parameters."""

    @abc.abstractmethod
    def json_as_text(self, column: str) -> str:
        """SQL for the text of the JSON column ``column``."""

    @abc.abstractmethod
    def json_fields(self, column: str, keys: Sequence[str]) -> str:
        """SQL for ``1 + len(keys)`` columns: whether ``column`` holds valid JSON, then the
        text (or NULL) of each key of the object it holds."""

    @abc.abstractmethod
    def open(self) -> None:
        """Connect and bring the schema up to date (see :func:`migrate`)."""

    @abc.abstractmethod
    def write(self) -> contextlib.AbstractContextManager[Tx]:
        """A write transaction (serialized with other writers of the same rows)."""

    @abc.abstractmethod
    def read(self) -> contextlib.AbstractContextManager[Tx]:
        """A read-only transaction that sees one consistent snapshot."""

    @abc.abstractmethod
    def translate(self, exc: Exception) -> DisciplineFlowError | None:
        """Our error for a driver error, or None to let it through."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connections."""


#: One step of a migration: a SQL statement, or a function that changes rows SQL alone cannot
#: (it is given the open transaction and the dialect).
Migration: TypeAlias = str | Callable[[Tx, Dialect], None]
#: Each schema version with the steps that bring the previous one to it, in order.
Migrations: TypeAlias = tuple[tuple[int, tuple[Migration, ...]], ...]


def migrate(tx: Tx, dialect: Dialect, migrations: Migrations, holder: str) -> None:
    """Apply the migrations the database has not had yet, in order, recording each in the
    ``schema_version`` table; refuse a database a later release wrote (``holder`` says what
    holds it: "the file", "the database")."""
    tx.run(
        'CREATE TABLE IF NOT EXISTS schema_version ("version" INTEGER PRIMARY KEY, '
        '"applied_by" TEXT NOT NULL)'
    )
    applied = [r[0] for r in tx.rows('SELECT "version" FROM schema_version')]
    current = max(applied, default=0)
    latest = migrations[-1][0]
    if not isinstance(current, int) or current > latest:
        raise UnknownSchemaVersionError(
            f"store {dialect.name}",
            f"{holder} was written by a newer discipline_flow; upgrade to read it",
            current,
            tuple(v for v, _ in migrations),
        )
    for version, steps in migrations:
        if version <= current:
            continue
        for step in steps:
            if isinstance(step, str):
                tx.run(step)
            else:
                step(tx, dialect)
        tx.run(
            dialect.sql('INSERT INTO schema_version ("version", "applied_by") VALUES (?, ?)'),
            (version, f"discipline_flow {__version__}"),
        )
