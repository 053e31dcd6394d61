"""A tiny progress bar on standard error, shown only to a person at a terminal.

No dependency: one line redrawn with ``\\r``, at most a few times a second. Silent when the
stream is not a TTY (pipes, CI logs, tests) or when the user asked for ``--quiet``.

>>> import io
>>> bar = Progress("cases", total=10, stream=io.StringIO())
>>> bar.enabled
False
>>> bar.update(5); bar.close()
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]

_WIDTH = 28
_EVERY = 0.1  # seconds between redraws


class Progress:
    """A progress bar for ``total`` units of work labelled ``label``.

    ``update(done)`` sets the units done so far (calling the bar with ``(done, total)`` also sets
    the total); ``close()`` ends the line. Times come from
    ``time.monotonic`` (elapsed time only, never the date).
    """

    __slots__ = ("_closed", "_drawn_at", "_started", "_stream", "enabled", "label", "total")

    def __init__(
        self,
        label: str,
        *,
        total: int,
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self._stream, "isatty", None)
            enabled = bool(isatty()) if callable(isatty) else False
        self.enabled = enabled
        self.label = label
        self.total = max(total, 1)
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._closed = False

    def update(self, done: int, *, force: bool = False) -> None:
        """Redraw with ``done`` units done (throttled unless ``force``)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < _EVERY:
            return
        self._drawn_at = now
        share = min(done / self.total, 1.0)
        filled = int(share * _WIDTH)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        elapsed = now - self._started
        self._stream.write(
            f"\r{self.label:<22} [{bar}] {share:6.1%} {done:>7,}/{self.total:,} {elapsed:5.1f}s"
        )
        self._stream.flush()

    def __call__(self, done: int, total: int) -> None:
        """Set the total and redraw: the form ``progress=`` callbacks take."""
        self.total = max(total, 1)
        self.update(done)

    def close(self) -> None:
        """Draw the final state and end the line (once)."""
        if not self.enabled or self._closed:
            return
        self._closed = True
        self.update(self.total, force=True)
        self._stream.write("\n")
        self._stream.flush()
