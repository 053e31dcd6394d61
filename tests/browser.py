"""Headless Chromium for the tests that open pages: find it, serve a folder on 127.0.0.1, browse.

Used by the documentation site's tests and the HTML report's. Chromium missing skips a test,
except in CI (``CI`` set), where it fails. Every name but 127.0.0.1 resolves to nothing, so a
page must work with no network at all.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    """The Chromium program; skips the test (fails it in CI) when there is none."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path is not None:
            return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed; CI needs it: apt-get install -y chromium")
    pytest.skip("Chromium is not installed (apt-get install -y chromium)")


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """``folder`` served on 127.0.0.1 by a ``http.server`` thread; yields its base URL and the
    paths asked of it, in order."""
    asked: list[str] = []

    class Recording(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output clean."""

        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

    handler = functools.partial(Recording, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def browse(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Open ``url`` in headless Chromium with a fresh ``profile`` folder and ``extra`` flags
    (``--dump-dom``, ``--screenshot=...``), with no network but 127.0.0.1."""
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        # no name resolves but the local server's: the page must work with no network at all
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--virtual-time-budget=10000",
        *extra,
    ]
    return subprocess.run(
        [chromium(), *flags, url], capture_output=True, text=True, check=False, timeout=120
    )
