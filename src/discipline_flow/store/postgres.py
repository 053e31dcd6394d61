"""The scale-out store: PostgreSQL through psycopg 3 and a psycopg_pool connection pool.

Install with the ``postgres`` extra (``pip install 'discipline-flow[postgres]'``). The tables and
their meaning are those of the SQLite store; instants are ``timestamptz``, JSON columns ``json``
(kept as written, so a payload reads back byte for byte and its hash still verifies). Many worker
processes on many machines can share one database: saves check the case version in the same
transaction as their inserts, and sweeps claim due deadline rows (with their case row) using
``SELECT ... FOR UPDATE SKIP LOCKED``, so two workers never fire the same deadline.

Opening a store waits for the server at most :data:`DEFAULT_CONNECT_TIMEOUT` seconds, unless the
URL says otherwise, and a URL libpq cannot read is refused before any connection, its password
hidden:

>>> DEFAULT_CONNECT_TIMEOUT
5
>>> PostgresStore("postgresql://app:s3cret@db/cases?connect_timeout=soon")
Traceback (most recent call last):
...
discipline_flow.errors.UnsupportedStoreURLError: not a PostgreSQL URL or connection string: 'postgresql://app:***@db/cases?connect_timeout=soon' (connect_timeout is a whole number of seconds, got 'soon')
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from discipline_flow.errors import (
    ConcurrencyConflict,
    DisciplineFlowError,
    InputError,
    MalformedDataError,
    MissingToolError,
    StoreError,
    StoreNotFoundError,
    UnsupportedStoreURLError,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store._args import as_registry
from discipline_flow.store._attempts import migration as attempts_migration
from discipline_flow.store._dialect import Dialect, Migrations, Tx, migrate
from discipline_flow.store._rows import local_time
from discipline_flow.store._sql import SqlStore
from discipline_flow.store._steps import fill_canonical
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    import psycopg
    import psycopg_pool

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "SCHEMA_VERSION", "PostgresStore", "redact_url"]

_STEPS_APPEND_ONLY = """CREATE TRIGGER steps_append_only BEFORE UPDATE OR DELETE ON steps
               FOR EACH ROW EXECUTE FUNCTION discipline_flow_steps_append_only()"""

_MIGRATIONS: Migrations = (
    (
        1,
        (
            """CREATE TABLE cases (
                "id" text PRIMARY KEY,
                "workflow" text NOT NULL,
                "workflow_version" text NOT NULL,
                "subject_kind" text NOT NULL,
                "subject_id" text NOT NULL,
                "state" text NOT NULL,
                "version" integer NOT NULL CHECK ("version" >= 1),
                "opened_at" timestamptz NOT NULL,
                "last_at" timestamptz NOT NULL,
                "ruleset" text,
                "origin_case_id" text,
                "subject" json NOT NULL,
                "origin" json,
                "head_hash" text NOT NULL
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
                "case_id" text NOT NULL REFERENCES cases ("id"),
                "idx" integer NOT NULL,
                "kind" text NOT NULL,
                "trigger" text,
                "source" text,
                "target" text NOT NULL,
                "at" text NOT NULL,
                "actor_kind" text NOT NULL,
                "actor_id" text NOT NULL,
                "actor_level" text,
                "actor_name" text,
                "basis" text,
                "payload" json NOT NULL,
                "previous_hash" text NOT NULL,
                "hash" text NOT NULL,
                PRIMARY KEY ("case_id", "idx")
            )""",
            'CREATE INDEX steps_actor ON steps ("actor_id")',
            """CREATE FUNCTION discipline_flow_steps_append_only() RETURNS trigger
               LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'steps are append-only'; END $$""",
            _STEPS_APPEND_ONLY,
            """CREATE TRIGGER steps_no_truncate BEFORE TRUNCATE ON steps
               FOR EACH STATEMENT EXECUTE FUNCTION discipline_flow_steps_append_only()""",
            """CREATE TABLE deadlines (
                "case_id" text NOT NULL REFERENCES cases ("id"),
                "seq" integer NOT NULL,
                "rule" text NOT NULL,
                "started_at" text NOT NULL,
                "due_at" timestamptz,
                "status" text NOT NULL,
                "on_miss" text,
                "data" json NOT NULL,
                "fired_at" timestamptz,
                "sweep_outcome" text,
                "sweep_detail" text,
                PRIMARY KEY ("case_id", "seq")
            )""",
            (
                'CREATE INDEX deadlines_due ON deadlines ("due_at", "case_id", "seq") '
                'INCLUDE ("rule", "on_miss", "fired_at") WHERE "status" = \'open\''
            ),
        ),
    ),
    (
        2,
        (
            # A deadline's trace is stored apart, and only when a load cannot rebuild it. The
            # traces written so far move to the new column as they are: they explain the dates
            # as the release that computed them did.
            'ALTER TABLE deadlines ADD COLUMN "trace" json',
            (
                'UPDATE deadlines SET "trace" = "data" -> \'trace\', '
                '"data" = ("data"::jsonb - \'trace\')::json '
                "WHERE \"data\"::jsonb -> 'trace' IS NOT NULL"
            ),
        ),
    ),
    (
        3,
        (
            # Each step keeps the canonical text its hash covers: a load hashes it and reads the
            # step from it. Rows stored so far get theirs from their columns, once.
            'ALTER TABLE steps ADD COLUMN "canonical" text',
            "DROP TRIGGER IF EXISTS steps_append_only ON steps",
            fill_canonical,
            _STEPS_APPEND_ONLY,
        ),
    ),
    # A sweep's failed fires are kept apart from the cases, tried again, and listed with the
    # refusals (store/_attempts.py).
    (4, attempts_migration("timestamptz")),
)

#: The schema version this release writes; a database with a later version is refused.
SCHEMA_VERSION = _MIGRATIONS[-1][0]

_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_USER_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")
_QUERY_PASSWORD = re.compile(r"(?i)([?&]password=)[^&#]*")
_KEY_PASSWORD = re.compile(r"(?i)((?:^|\s)password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)")
#: How long, in seconds, opening a store waits for the server unless the URL says otherwise
#: (``connect_timeout=`` in the URL or connection string, as libpq reads it).
DEFAULT_CONNECT_TIMEOUT = 5
_MAX_POOL = 10_000
_MAX_TIMEOUT = 86_400
# Any fixed number: the advisory lock that serializes migrations between processes.
_MIGRATION_LOCK = 0x0D15C1F1


def redact_url(url: str) -> str:
    """``url`` (or a key/value connection string) with any password replaced by ``***``, fit
    to print: in its user part, in a ``password=`` query parameter, or as a ``password`` key.

    >>> redact_url("postgresql://app:secret@db.internal:5432/cases")
    'postgresql://app:***@db.internal:5432/cases'
    >>> redact_url("postgresql://app@db/cases?sslmode=require&password=secret&schema=x")
    'postgresql://app@db/cases?sslmode=require&password=***&schema=x'
    >>> redact_url("host=db password='s e cret' dbname=cases")
    'host=db password=*** dbname=cases'
    """
    url = _USER_PASSWORD.sub(r"\1***@", url)
    url = _QUERY_PASSWORD.sub(r"\1***", url)
    return _KEY_PASSWORD.sub(r"\1***", url)


def _one_line(exc: BaseException) -> str:
    """The driver's message on one line, any password in it redacted."""
    return redact_url(" ".join(line.strip() for line in str(exc).splitlines() if line.strip()))


class _PgTx(Tx):
    __slots__ = ("_conn",)

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(sql, params).rowcount

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        with self._conn.cursor() as cur:
            cur.executemany(sql, rows)
            return cur.rowcount

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        with self._conn.transaction():
            yield


class _Postgres(Dialect):
    """A PostgreSQL database through a connection pool; instants as ``timestamptz``."""

    claim = " FOR UPDATE OF d, c SKIP LOCKED"
    claim_join = ' JOIN cases c ON c."id" = d."case_id"'

    def __init__(
        self, conninfo: str, schema: str | None, pool: dict[str, Any], *, create: bool
    ) -> None:
        # psycopg is optional (the postgres extra): imported when a PostgreSQL store is made.
        try:
            import psycopg  # noqa: PLC0415 (optional: the postgres extra)
            import psycopg_pool  # noqa: PLC0415
            from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415
            from psycopg.types.string import TextLoader  # noqa: PLC0415
        except ImportError:
            raise MissingToolError(
                "psycopg (PostgreSQL driver)",
                "install the postgres extra: pip install 'discipline-flow[postgres]'",
            ) from None
        self._psycopg = psycopg
        self._pools = psycopg_pool
        self._text_loader = TextLoader
        self.url = redact_url(conninfo)
        try:  # libpq reads the URL: anything it would refuse is refused here, with its reason
            params = conninfo_to_dict(conninfo)
        except psycopg.Error as exc:
            raise UnsupportedStoreURLError(
                f"not a PostgreSQL URL or connection string: {self.url!r} ({_one_line(exc)})"
            ) from None
        # libpq waits for ever by default: a store waits a few seconds unless told otherwise.
        self._connect: dict[str, Any] = {"autocommit": True}
        given = params.get("connect_timeout")
        if not given:
            self._connect["connect_timeout"] = DEFAULT_CONNECT_TIMEOUT
        elif not str(given).strip().isdigit():
            raise UnsupportedStoreURLError(
                f"not a PostgreSQL URL or connection string: {self.url!r} (connect_timeout "
                f"is a whole number of seconds, got {given!r})"
            )
        self._schema = schema
        self._pool: psycopg_pool.ConnectionPool[Any] | None = None
        self._conninfo = conninfo
        self._pool_args = pool
        self._create = create

    @property
    def name(self) -> str:
        return self.url

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        # JSON columns come back as the text that was written, so hashes recompute exactly.
        conn.adapters.register_loader("json", self._text_loader)
        conn.adapters.register_loader("jsonb", self._text_loader)
        conn.execute("SET TIME ZONE 'UTC'")
        if self._schema is not None:
            conn.execute(f'SET search_path TO "{self._schema}"')

    def open(self) -> None:
        # One connection first: an unreachable server is one error naming its cause, after the
        # connect timeout (the pool would retry in the background, log each attempt and end
        # with a timeout that hides the cause). It brings the schema up to date.
        try:
            first = self._psycopg.connect(self._conninfo, **self._connect)
        except self._psycopg.OperationalError as exc:
            raise StoreError(
                f"{self.url}: cannot connect to the PostgreSQL server: {_one_line(exc)}"
            ) from None
        except UnicodeError as exc:  # a host name the resolver cannot encode (IDNA)
            raise UnsupportedStoreURLError(
                f"{self.url}: the host name cannot be used: {exc}"
            ) from None
        with first:
            self._configure(first)
            with first.transaction():
                first.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
                if not self._create:
                    self._check_exists(first)
                if self._schema is not None:
                    first.execute(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"')
                migrate(_PgTx(first), self, _MIGRATIONS, "the database")
        self._pool = self._pools.ConnectionPool(
            self._conninfo,
            **self._pool_args,
            kwargs=self._connect,
            configure=self._configure,
            open=False,
        )
        self._pool.open(wait=True, timeout=self._pool_args["timeout"])

    def _check_exists(self, conn: psycopg.Connection[Any]) -> None:
        """Raise StoreNotFoundError unless the store's tables exist (``create=False``)."""
        where = "schema_version" if self._schema is None else f'"{self._schema}".schema_version'
        found = conn.execute("SELECT to_regclass(%s)", [where]).fetchone()
        if found is None or found[0] is None:
            schema = "" if self._schema is None else f" in schema {self._schema}"
            raise StoreNotFoundError(
                f"{self.url}: no discipline_flow store{schema} (no schema_version table); "
                f"nothing was created: check the URL, or open it once with a command that "
                f"writes"
            )

    @contextlib.contextmanager
    def _transaction(self, read_only: bool) -> Iterator[Tx]:
        assert self._pool is not None, "opened when the store was made"
        with self._pool.connection() as conn, conn.transaction():
            if read_only:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield _PgTx(conn)

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        return self._transaction(False)

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        return self._transaction(True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()

    # ------------------------------------------------------------------ SQL

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def ts(self, value: _dt.datetime) -> _dt.datetime:
        return value

    def local_ts(self, value: Any) -> _dt.datetime:
        if not isinstance(value, _dt.datetime) or value.tzinfo is None:
            raise MalformedDataError("timestamp", f"expected an aware datetime, got {value!r}")
        return local_time(value)

    def in_(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(?)", [list(values)]

    def json_as_text(self, column: str) -> str:
        return f"{column}::text"

    def json_fields(self, column: str, keys: Sequence[str]) -> str:
        # A json column only ever holds valid JSON: PostgreSQL checks it on every write.
        return ", ".join(["TRUE"] + [f"({column} ->> '{key}')" for key in keys])

    def translate(self, exc: Exception) -> DisciplineFlowError | None:
        psycopg = self._psycopg
        errors = psycopg.errors
        if isinstance(exc, errors.UniqueViolation | errors.ForeignKeyViolation):
            return ConcurrencyConflict(
                f"a concurrent save wrote the same rows ({exc.diag.message_primary}); nothing "
                f"was written: load the case again and retry"
            )
        if isinstance(exc, errors.SerializationFailure | errors.DeadlockDetected):
            return ConcurrencyConflict(
                f"PostgreSQL aborted the transaction to resolve a conflict "
                f"({exc.diag.message_primary}); nothing was written: retry"
            )
        if isinstance(exc, errors.CharacterNotInRepertoire | errors.UntranslatableCharacter):
            return MalformedDataError(f"store {self.url}", f"text that is not UTF-8 ({exc})")
        if isinstance(exc, psycopg.OperationalError):
            return StoreError(f"{self.url}: cannot use the PostgreSQL server: {_one_line(exc)}")
        if isinstance(exc, psycopg.Error):
            return StoreError(f"{self.url}: PostgreSQL error: {_one_line(exc)}")
        if isinstance(exc, self._pools.PoolTimeout):
            return StoreError(f"{self.url}: no connection became free in time ({exc})")
        return None


class PostgresStore(SqlStore):
    """Cases in a PostgreSQL database.

    ``conninfo`` is a libpq URL or key/value string; ``schema`` keeps the tables in a schema of
    their own (created when missing). Connecting waits :data:`DEFAULT_CONNECT_TIMEOUT` seconds
    unless the URL gives ``connect_timeout=``; an unreachable server raises one
    :class:`~discipline_flow.errors.StoreError` naming the cause. ``min_size``/``max_size``
    size the connection pool; ``timeout`` is how long, in seconds, to wait for a free
    connection. With ``create=False`` a database without the store's tables is refused with
    :class:`~discipline_flow.errors.StoreNotFoundError` and nothing is created. A password,
    in the URL or as ``password=``, never appears in a message or a repr.
    """

    def __init__(
        self,
        conninfo: str,
        registry: WorkflowRegistry | Iterable[Workflow[Any, Any]] | None = None,
        *,
        schema: str | None = None,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 30.0,
        create: bool = True,
    ) -> None:
        workflows = as_registry(registry)
        if not isinstance(conninfo, str) or not conninfo:
            raise InputError("conninfo", "expected a PostgreSQL URL or connection string")
        if schema is not None and (
            not isinstance(schema, str) or not _SCHEMA_NAME.fullmatch(schema)
        ):
            raise InputError(
                "schema", f"{schema!r} is not a plain identifier (letters, digits, underscore)"
            )
        for name, size, least in (("min_size", min_size, 0), ("max_size", max_size, 1)):
            if type(size) is not int or not least <= size <= _MAX_POOL:
                raise InputError(name, f"expected a whole number from {least} to {_MAX_POOL}")
        if max_size < min_size:
            raise InputError("max_size", f"must be at least min_size ({min_size})")
        if (
            not isinstance(timeout, int | float)
            or isinstance(timeout, bool)
            or not 0 < timeout <= _MAX_TIMEOUT
        ):
            raise InputError("timeout", f"expected seconds above 0, at most {_MAX_TIMEOUT:,}")
        pool = {"min_size": min_size, "max_size": max_size, "timeout": timeout}
        self._schema = schema
        super().__init__(_Postgres(conninfo, schema, pool, create=bool(create)), workflows)

    def __repr__(self) -> str:
        schema = f", schema={self._schema!r}" if self._schema else ""
        return f"PostgresStore({self._dialect.name!r}{schema})"

    @property
    def schema(self) -> str | None:
        """The schema holding the tables (None: the connection's default search path)."""
        return self._schema
