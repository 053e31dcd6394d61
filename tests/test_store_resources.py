"""Bounded resources (issue 14, items 4 and 6): SQLite connections closed with their thread,
a PostgreSQL server that does not answer is one error line after a short wait, and a password
never shows."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest_store import open_matter, pg_url, registry
from discipline_flow.errors import StoreError, UnsupportedStoreURLError
from discipline_flow.store import PostgresStore, SqliteStore, open_store
from discipline_flow.store.postgres import DEFAULT_CONNECT_TIMEOUT, redact_url


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd (Linux)")
def test_a_thousand_short_lived_threads_leave_no_connection_open(tmp_path: Path) -> None:
    """Was: 300 short-lived threads left 301 connections and ~600 open files until close()."""
    store = SqliteStore(tmp_path / "cases.db", registry())
    store.save(open_matter("C-1"), expected_version=0)
    before = _open_files()
    assert store.open_connections == 1  # the thread that opened the store still runs

    def read() -> None:
        assert store.load("C-1").version == 1

    for _ in range(1000):
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    # Each thread closed its connection (and its two WAL files) as it ended.
    assert store.open_connections == 1
    assert _open_files() <= before + 2
    store.close()
    assert store.open_connections == 0


def test_running_threads_keep_one_connection_each_until_they_end(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "cases.db", registry())
    store.save(open_matter("C-1"), expected_version=0)
    loaded = threading.Barrier(9)
    finish = threading.Event()

    def hold() -> None:
        store.load("C-1")
        loaded.wait()
        finish.wait()

    threads = [threading.Thread(target=hold) for _ in range(8)]
    for thread in threads:
        thread.start()
    loaded.wait()
    assert store.open_connections == 9  # eight threads and this one
    finish.set()
    for thread in threads:
        thread.join()
    assert store.open_connections == 1
    store.close()


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a server that hangs)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


@pytest.mark.postgres
def test_a_server_that_never_answers_fails_after_the_connect_timeout(
    silent_server: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Was: five pool log lines and a 30 s wait, the last line hiding the cause."""
    caplog.set_level(logging.DEBUG)
    url = f"postgresql://app:s3cret@127.0.0.1:{silent_server}/cases?connect_timeout=2"
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        open_store(url, registry())
    waited = time.monotonic() - started
    assert 1.5 < waited < 10
    message = str(info.value)
    assert "\n" not in message
    assert message == (
        f"postgresql://app:***@127.0.0.1:{silent_server}/cases?connect_timeout=2: cannot "
        f"connect to the PostgreSQL server: connection timeout expired"
    )
    assert [r for r in caplog.records if r.name.startswith("psycopg")] == []


@pytest.mark.postgres
def test_the_default_connect_timeout_is_a_few_seconds(silent_server: int) -> None:
    assert DEFAULT_CONNECT_TIMEOUT == 5
    started = time.monotonic()
    with pytest.raises(StoreError, match="cannot connect to the PostgreSQL server"):
        PostgresStore(f"postgresql://app@127.0.0.1:{silent_server}/cases")
    assert 4 < time.monotonic() - started < 15


@pytest.mark.postgres
def test_a_refused_connection_is_one_line_naming_the_cause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError) as info:
        PostgresStore("host=127.0.0.1 port=1 user=app password='s e cret' dbname=cases")
    assert str(info.value) == (
        "host=127.0.0.1 port=1 user=app password=*** dbname=cases: cannot connect to the "
        'PostgreSQL server: connection failed: connection to server at "127.0.0.1", port 1 '
        "failed: Connection refused Is the server running on that host and accepting TCP/IP "
        "connections?"
    )
    assert [r for r in caplog.records if r.name.startswith("psycopg")] == []


@pytest.mark.postgres
def test_a_password_given_as_a_parameter_is_redacted_everywhere() -> None:
    """Was: ?password= appeared as it was in StoreError messages and in the repr."""
    base = pg_url()
    user = base.split("://", 1)[1].split("@", 1)[0]
    url = f"{base}{'&' if '?' in base else '?'}password=s3cret"
    with open_store(url, registry()) as store:
        assert "s3cret" not in repr(store)
        assert repr(store) == f"PostgresStore({redact_url(url)!r})"
        assert "password=***" in repr(store)
    wrong = url.replace(f"://{user}@", "://nobody_at_all@")
    with pytest.raises(StoreError) as info:
        open_store(wrong, registry())
    assert "s3cret" not in str(info.value)
    assert "password=***" in str(info.value)


def test_redact_url_covers_every_place_a_password_goes() -> None:
    cases = {
        "postgresql://app:s3cret@db/cases": "postgresql://app:***@db/cases",
        "postgresql://app@db/cases?password=s3cret": "postgresql://app@db/cases?password=***",
        "postgresql://app@db/x?sslmode=require&PASSWORD=s3cret&schema=y": (
            "postgresql://app@db/x?sslmode=require&PASSWORD=***&schema=y"
        ),
        "host=db password=s3cret": "host=db password=***",
        "host=db password = 's3 cr\\'et' port=5432": "host=db password = *** port=5432",
        "password=s3cret host=db": "password=*** host=db",
    }
    for url, redacted in cases.items():
        assert redact_url(url) == redacted
        assert "s3cret" not in redact_url(url)
    with pytest.raises(UnsupportedStoreURLError) as info:
        PostgresStore("host=db password=s3cret bogus")
    assert "s3cret" not in str(info.value)
