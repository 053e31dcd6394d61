"""The embedded default store: one SQLite file, through the standard library's ``sqlite3``.

The file is opened in WAL mode (readers never block the writer) with a ``busy_timeout``, so
several threads and processes can share it: each thread gets its own connection, writers take the
write lock up front (``BEGIN IMMEDIATE``) and check the case version inside the same transaction.
A ``schema_version`` table records the migrations applied, in order; a file written by an earlier
release is brought up to date when it is opened.

>>> import enum, pendulum
>>> from discipline_flow import Workflow, Transition, Member
>>> from discipline_flow.store import SqliteStore
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> with SqliteStore(":memory:", [wf]) as store:
...     store.save(wf.open(Member("m-1"), at=at, actor="person:clerk", case_id="C-1"), expected_version=0)
...     case = store.load("C-1")
...     _ = case.fire(T.CLOSE, at=at.add(days=1), actor="person:clerk")
...     store.save(case, expected_version=1)
...     [s.target.name for s in store.history("C-1")]
...     store.open_connections  # this thread's; each thread closes its own when it ends
1
2
['OPEN', 'CLOSED']
1

Arguments no SQLite file could take are refused before anything is opened:

>>> SqliteStore("cases.db", busy_timeout=float("inf"))
Traceback (most recent call last):
...
discipline_flow.errors.InputError: busy_timeout: expected a number of seconds from 0 to 2,147,483, got inf
>>> MAX_BUSY_TIMEOUT
2147483
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import itertools
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from discipline_flow.errors import (
    ConcurrencyConflict,
    DisciplineFlowError,
    InputError,
    MalformedDataError,
    StoreError,
    StoreNotFoundError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store._args import as_registry
from discipline_flow.store._attempts import migration as attempts_migration
from discipline_flow.store._dialect import Dialect, Migrations, Tx, migrate
from discipline_flow.store._rows import epoch_us, local_from_epoch_us
from discipline_flow.store._sql import SqlStore
from discipline_flow.store._steps import fill_canonical
from discipline_flow.workflow import Workflow

__all__ = ["MAX_BUSY_TIMEOUT", "SCHEMA_VERSION", "SqliteStore"]

_STEPS_NO_UPDATE = """CREATE TRIGGER steps_no_update BEFORE UPDATE ON steps
               BEGIN SELECT RAISE(ABORT, 'steps are append-only'); END"""

# Instants are INTEGER microseconds since 1970-01-01 UTC: exact, compact and ordered.
_MIGRATIONS: Migrations = (
    (
        1,
        (
            """CREATE TABLE cases (
                "id" TEXT PRIMARY KEY,
                "workflow" TEXT NOT NULL,
                "workflow_version" TEXT NOT NULL,
                "subject_kind" TEXT NOT NULL,
                "subject_id" TEXT NOT NULL,
                "state" TEXT NOT NULL,
                "version" INTEGER NOT NULL CHECK ("version" >= 1),
                "opened_at" INTEGER NOT NULL,
                "last_at" INTEGER NOT NULL,
                "ruleset" TEXT,
                "origin_case_id" TEXT,
                "subject" TEXT NOT NULL,
                "origin" TEXT,
                "head_hash" TEXT NOT NULL
            )""",
            'CREATE INDEX cases_workflow_state ON cases ("workflow", "state")',
            'CREATE INDEX cases_subject ON cases ("subject_id")',
            'CREATE INDEX cases_opened ON cases ("opened_at")',
            'CREATE INDEX cases_ruleset ON cases ("ruleset") WHERE "ruleset" IS NOT NULL',
            (
                'CREATE INDEX cases_origin ON cases ("origin_case_id") '
                'WHERE "origin_case_id" IS NOT NULL'
            ),
            """CREATE TABLE steps (
                "case_id" TEXT NOT NULL REFERENCES cases ("id"),
                "idx" INTEGER NOT NULL,
                "kind" TEXT NOT NULL,
                "trigger" TEXT,
                "source" TEXT,
                "target" TEXT NOT NULL,
                "at" TEXT NOT NULL,
                "actor_kind" TEXT NOT NULL,
                "actor_id" TEXT NOT NULL,
                "actor_level" TEXT,
                "actor_name" TEXT,
                "basis" TEXT,
                "payload" TEXT NOT NULL,
                "previous_hash" TEXT NOT NULL,
                "hash" TEXT NOT NULL,
                PRIMARY KEY ("case_id", "idx")
            )""",
            'CREATE INDEX steps_actor ON steps ("actor_id")',
            _STEPS_NO_UPDATE,
            """CREATE TRIGGER steps_no_delete BEFORE DELETE ON steps
               BEGIN SELECT RAISE(ABORT, 'steps are append-only'); END""",
            """CREATE TABLE deadlines (
                "case_id" TEXT NOT NULL REFERENCES cases ("id"),
                "seq" INTEGER NOT NULL,
                "rule" TEXT NOT NULL,
                "started_at" TEXT NOT NULL,
                "due_at" INTEGER,
                "status" TEXT NOT NULL,
                "on_miss" TEXT,
                "data" TEXT NOT NULL,
                "fired_at" INTEGER,
                "sweep_outcome" TEXT,
                "sweep_detail" TEXT,
                PRIMARY KEY ("case_id", "seq")
            )""",
            # Covering: due() and the sweep's claim read the index alone, no table lookups.
            (
                'CREATE INDEX deadlines_due ON deadlines ("due_at", "case_id", "seq", "rule", '
                '"on_miss", "fired_at") WHERE "status" = \'open\''
            ),
        ),
    ),
    (
        2,
        (
            # A deadline's trace is stored apart, and only when a load cannot rebuild it. The
            # traces written so far move to the new column as they are: they explain the dates
            # as the release that computed them did.
            'ALTER TABLE deadlines ADD COLUMN "trace" TEXT',
            (
                'UPDATE deadlines SET "trace" = json_extract("data", \'$.trace\'), '
                '"data" = json_remove("data", \'$.trace\') '
                'WHERE json_valid("data") AND json_type("data", \'$.trace\') IS NOT NULL'
            ),
        ),
    ),
    (
        3,
        (
            # Each step keeps the canonical text its hash covers: a load hashes it and reads the
            # step from it. Rows stored so far get theirs from their columns, once.
            'ALTER TABLE steps ADD COLUMN "canonical" TEXT',
            "DROP TRIGGER IF EXISTS steps_no_update",
            fill_canonical,
            _STEPS_NO_UPDATE,
        ),
    ),
    # A sweep's failed fires are kept apart from the cases, tried again, and listed with the
    # refusals (store/_attempts.py).
    (4, attempts_migration("INTEGER")),
)

#: The schema version this release writes; a file with a later version is refused.
SCHEMA_VERSION = _MIGRATIONS[-1][0]

_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
#: The longest ``busy_timeout``, in seconds: SQLite counts it in milliseconds in a 32-bit int.
MAX_BUSY_TIMEOUT = 2_147_483


class _SqliteTx(Tx):
    __slots__ = ("_conn", "_names")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._names = itertools.count()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(sql, params).rowcount

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        return self._conn.executemany(sql, rows).rowcount

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        name = f"sp{next(self._names)}"
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._conn.execute(f"ROLLBACK TO {name}")
            self._conn.execute(f"RELEASE {name}")
            raise
        self._conn.execute(f"RELEASE {name}")


class _Held:
    """A thread's connection, held by that thread's local storage alone: when the thread ends,
    its storage is dropped, and with it this holder, whose finaliser closes the connection."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


def _release(lock: threading.Lock, live: dict[int, sqlite3.Connection], key: int) -> None:
    """Close the connection of a thread that ended (or of a store being closed)."""
    with lock:
        conn = live.pop(key, None)
    if conn is not None:
        conn.close()


class _Sqlite(Dialect):
    """A SQLite file: a connection per thread, closed when the thread ends (one shared
    connection in memory), instants as integer microseconds."""

    def __init__(self, path: str, busy_timeout: float, synchronous: str, *, create: bool) -> None:
        self.path = path
        self.busy_ms = int(busy_timeout * 1000)
        self._synchronous = synchronous
        self._memory = path == ":memory:"
        self._create = create
        self._local = threading.local()
        self._lock = threading.Lock()
        # The connections open now, by holder: a thread that ends takes its own away.
        self._live: dict[int, sqlite3.Connection] = {}
        self._keys = itertools.count()
        self._shared: sqlite3.Connection | None = None
        self._memory_lock = threading.RLock()

    @property
    def name(self) -> str:
        return self.path

    # ------------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self.busy_ms / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {self.busy_ms}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self._memory:
            if self._shared is None:
                self._shared = self._connect()
            return self._shared
        held: _Held | None = getattr(self._local, "held", None)
        if held is None:
            held = _Held(self._connect())
            key = next(self._keys)
            with self._lock:
                self._live[key] = held.conn
            weakref.finalize(held, _release, self._lock, self._live, key)
            self._local.held = held
        return held.conn

    @contextlib.contextmanager
    def _transaction(self, begin: str) -> Iterator[Tx]:
        with self._memory_lock if self._memory else contextlib.nullcontext():
            conn = self._connection()
            conn.execute(begin)
            try:
                yield _SqliteTx(conn)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        return self._transaction("BEGIN IMMEDIATE")

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        return self._transaction("BEGIN")

    def close(self) -> None:
        with self._lock:
            connections = list(self._live.values())
            self._live.clear()
        for conn in connections:
            conn.close()
        if self._shared is not None:
            self._shared.close()
            self._shared = None

    def open_connections(self) -> int:
        """How many connections are open (one per thread that used the store and still runs)."""
        with self._lock:
            return len(self._live) + (self._shared is not None)

    def open(self) -> None:
        if not self._memory and not self._create and not os.path.exists(self.path):
            raise StoreNotFoundError(
                f"{self.path}: no such store file; nothing was created: check the path, or "
                f"create the store with a command that writes"
            )
        conn = self._connection()
        if not self._memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch SQLite to WAL mode (got {mode})")
        with self.write() as tx:
            migrate(tx, self, _MIGRATIONS, "the file")

    # ------------------------------------------------------------------ SQL

    def ts(self, value: _dt.datetime) -> int:
        return epoch_us(value)

    def local_ts(self, value: Any) -> _dt.datetime:
        return local_from_epoch_us(value)

    def in_(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} IN ({', '.join('?' for _ in values)})", list(values)

    def json_as_text(self, column: str) -> str:
        return column

    def json_fields(self, column: str, keys: Sequence[str]) -> str:
        # json_extract raises on text that is not JSON, so it only sees valid JSON; SQLite keeps
        # the parse of a value for the other calls in the row.
        valid = f"json_valid({column})"
        return ", ".join(
            [valid]
            + [f"CASE WHEN {valid} THEN json_extract({column}, '$.{key}') END" for key in keys]
        )

    def translate(self, exc: Exception) -> DisciplineFlowError | None:
        if isinstance(exc, sqlite3.IntegrityError):
            return ConcurrencyConflict(
                f"{self.path}: a concurrent save wrote the same rows ({exc}); nothing was "
                f"written: load the case again and retry"
            )
        message = str(exc)
        if isinstance(exc, sqlite3.OperationalError):
            if "locked" in message or "busy" in message:
                return StoreError(
                    f"{self.path}: the database stayed locked by another writer for longer than "
                    f"busy_timeout ({self.busy_ms / 1000:g} s); retry or raise busy_timeout"
                )
            if "decode" in message.lower():
                return MalformedDataError(
                    f"store {self.path}", f"a text column holds bytes that are not UTF-8 ({exc})"
                )
        if isinstance(exc, sqlite3.Error):
            return StoreError(f"{self.path}: SQLite error: {exc}")
        if isinstance(exc, UnicodeDecodeError):
            return MalformedDataError(f"store {self.path}", f"text that is not UTF-8 ({exc})")
        return None


def _utf8(text: str) -> bool:
    """Whether SQLite can be given ``text``: it takes file names in UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class SqliteStore(SqlStore):
    """Cases in one SQLite file (or ``":memory:"``).

    ``busy_timeout`` is how long, in seconds, a writer waits for another to finish before the
    save fails with a :class:`~discipline_flow.errors.StoreError`. ``synchronous`` is SQLite's
    durability setting: ``"NORMAL"`` (the default in WAL mode) survives a crashed process but may
    lose the last commits on a power cut; ``"FULL"`` survives both and is slower. With
    ``create=False`` a missing file is refused with
    :class:`~discipline_flow.errors.StoreNotFoundError` instead of created (read-only tools).

    Each thread that uses the store gets its own connection, closed when the thread ends (or
    when the store is closed): a server that starts a thread per request holds one connection
    per running thread, not one per thread it ever ran.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        registry: WorkflowRegistry | Iterable[Workflow[Any, Any]] | None = None,
        *,
        busy_timeout: float = 30.0,
        synchronous: str = "NORMAL",
        create: bool = True,
    ) -> None:
        workflows = as_registry(registry)
        try:
            name = os.fspath(path)
        except TypeError:
            name = None
        if not isinstance(name, str) or not name or "\x00" in name or not _utf8(name):
            raise InputError(
                "path", "expected a file path (UTF-8 text without NUL characters) or ':memory:'"
            )
        if not isinstance(synchronous, str) or synchronous.upper() not in _SYNCHRONOUS:
            raise InputError(
                "synchronous", f"expected one of {', '.join(_SYNCHRONOUS)}, got {synchronous!r}"
            )
        if (
            not isinstance(busy_timeout, int | float)
            or isinstance(busy_timeout, bool)
            or not 0 <= busy_timeout <= MAX_BUSY_TIMEOUT
        ):
            raise InputError(
                "busy_timeout",
                f"expected a number of seconds from 0 to {MAX_BUSY_TIMEOUT:,}, "
                f"got {busy_timeout!r}",
            )
        self._path = name
        dialect = _Sqlite(name, busy_timeout, synchronous.upper(), create=bool(create))
        super().__init__(dialect, workflows)
        self._sqlite = dialect

    @property
    def path(self) -> str:
        """The database file (or ``":memory:"``)."""
        return self._path

    @property
    def open_connections(self) -> int:
        """How many SQLite connections the store holds open now: one per running thread that
        used it (threads that ended closed theirs)."""
        return self._sqlite.open_connections()

    def __repr__(self) -> str:
        return f"SqliteStore({self._path!r})"
