"""Opening a store from a URL: ``memory://``, ``sqlite:///path.db``, ``postgresql://...``."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from discipline_flow.errors import UnsupportedStoreURLError
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store._protocol import CaseStore
from discipline_flow.store.memory import MemoryStore
from discipline_flow.store.postgres import PostgresStore, redact_url
from discipline_flow.store.sqlite import SqliteStore
from discipline_flow.workflow import Workflow

__all__ = ["DEFAULT_STORE_URL", "STORE_URL_ENV", "open_store", "store_url_from_env"]

#: The store used when neither ``--store`` nor the environment names one: a file in the
#: current directory.
DEFAULT_STORE_URL = "sqlite:///discipline_flow.db"

#: The environment variable the command line reads the store URL from.
STORE_URL_ENV = "DISCIPLINE_FLOW_STORE"

_SUPPORTED = "memory://, sqlite:///PATH (sqlite:///:memory: in memory), postgresql://..."


def store_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The store URL from ``DISCIPLINE_FLOW_STORE``, or :data:`DEFAULT_STORE_URL`.

    >>> store_url_from_env({})
    'sqlite:///discipline_flow.db'
    >>> store_url_from_env({"DISCIPLINE_FLOW_STORE": "memory://"})
    'memory://'
    """
    env = os.environ if environ is None else environ
    return env.get(STORE_URL_ENV) or DEFAULT_STORE_URL


def open_store(
    url: str,
    registry: WorkflowRegistry | Iterable[Workflow[Any, Any]] | None = None,
    *,
    create: bool = True,
) -> CaseStore:
    """Open the store a URL names; ``registry`` lets it rebuild the cases it loads.

    ``sqlite:///cases.db`` is a path relative to the current directory and
    ``sqlite:////var/lib/cases.db`` an absolute one; ``sqlite:///:memory:`` and ``memory://``
    live in memory; ``postgresql://user@host/db`` (add ``?schema=NAME`` to keep the tables in a
    schema of their own, ``?connect_timeout=SECONDS`` to wait longer or shorter than
    :data:`~discipline_flow.store.postgres.DEFAULT_CONNECT_TIMEOUT` for the server) needs the
    ``postgres`` extra. A URL that cannot be read, or with any other scheme, raises
    :class:`~discipline_flow.errors.UnsupportedStoreURLError`; a password never appears in a
    message.

    With ``create=False`` (what read-only tools use) a store that does not exist yet is not
    created: :class:`~discipline_flow.errors.StoreNotFoundError` says so.

    >>> with open_store("memory://") as store:
    ...     store.query()
    []
    >>> open_store("mysql://localhost/cases")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.UnsupportedStoreURLError: unsupported store URL 'mysql://localhost/cases'; supported: memory://, sqlite:///PATH (sqlite:///:memory: in memory), postgresql://...
    >>> open_store("sqlite:///no/such/cases.db", create=False)
    Traceback (most recent call last):
    ...
    discipline_flow.errors.StoreNotFoundError: no/such/cases.db: no such store file; nothing was created: check the path, or create the store with a command that writes
    """
    if not isinstance(url, str) or "://" not in url:
        raise UnsupportedStoreURLError(
            f"not a store URL: {redact_url(str(url))!r}; supported: {_SUPPORTED}"
        )
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsupportedStoreURLError(
            "a store URL must be text UTF-8 can hold; this one has a lone surrogate"
        ) from None
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme == "memory":
        if rest.strip("/"):
            raise UnsupportedStoreURLError(f"memory:// takes no path, got {redact_url(url)!r}")
        return MemoryStore(registry)
    if scheme == "sqlite":
        path = urllib.parse.unquote(rest[1:])
        if not rest.startswith("/") or rest == "/" or "\x00" in path:
            raise UnsupportedStoreURLError(
                f"a SQLite URL has three slashes and a path without NUL characters, like "
                f"sqlite:///cases.db; got {redact_url(url)!r}"
            )
        return SqliteStore(path, registry, create=create)
    if scheme in ("postgresql", "postgres"):
        conninfo, schema = _split_schema(url)
        return PostgresStore(conninfo, registry, schema=schema, create=create)
    raise UnsupportedStoreURLError(
        f"unsupported store URL {redact_url(url)!r}; supported: {_SUPPORTED}"
    )


def _split_schema(url: str) -> tuple[str, str | None]:
    try:
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    except ValueError as exc:
        raise UnsupportedStoreURLError(
            f"not a PostgreSQL URL: {redact_url(url)!r} ({exc})"
        ) from None
    schema = [v for k, v in query if k == "schema"]
    if not schema:
        return url, None
    rest = urllib.parse.urlencode([(k, v) for k, v in query if k != "schema"])
    return urllib.parse.urlunsplit(parts._replace(query=rest)), schema[-1]
