"""Worker processes that read or write a shared store: how they start, and which stores they
can share.

The annual report reads the cases of a large year in worker processes, and the demo generates
its shards in them; both go through :func:`worker_pool`.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.context
import multiprocessing.pool
import sys
import threading
from collections.abc import Iterator

__all__ = ["parallel_url", "worker_context", "worker_pool"]


def parallel_url(url: str) -> str | None:
    """The URL worker processes can open too: a SQLite file or a server, not memory.

    >>> parallel_url("sqlite:///cases.db"), parallel_url("memory://")
    ('sqlite:///cases.db', None)
    """
    scheme = url.split("://", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        return url
    if scheme == "sqlite" and ":memory:" not in url:
        return url
    return None


def worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forked on Linux when this process has a single thread (the
    workers then share its built workflows and calendar); otherwise from a fork server, which
    is safe with threads."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of ``jobs`` worker processes started the :func:`worker_context` way, closed on exit.

    Forked workers inherit this process's objects (the built workflows, the calendar); they
    are frozen while the workers start (:func:`gc.freeze`), so that the workers' garbage
    collections never walk them again, then unfrozen here. When something else froze objects
    already, nothing is frozen or unfrozen.
    """
    context = worker_context()
    freeze = context.get_start_method() == "fork" and gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        pool = context.Pool(jobs)
    finally:
        if freeze:
            gc.unfreeze()
    with pool:
        yield pool
