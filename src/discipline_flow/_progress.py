"""A tiny progress report on standard error.

No dependency. At a terminal, one line redrawn with ``\\r``, at most a few times a second.
Elsewhere (a pipe, a CI log), a plain line at most every few seconds and one at the end, so a
long command is never silent. Nothing at all when the user asked for ``--quiet``
(``enabled=False``).

>>> import io
>>> out = io.StringIO()
>>> bar = Progress("cases", total=10, stream=out)
>>> bar.enabled, bar.redraws
(True, False)
>>> bar.update(5); bar.close()  # over within seconds: no line in a log
>>> out.getvalue()
''
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]

_WIDTH = 28
_EVERY = 0.1  # seconds between redraws at a terminal
_EVERY_LINE = 5.0  # seconds between plain lines elsewhere


class Progress:
    """A progress bar for ``total`` units of work labelled ``label``.

    ``update(done)`` sets the units done so far (calling the bar with ``(done, total)`` also sets
    the total); ``close()`` ends the line. Times come from
    ``clock``, ``time.monotonic`` by default (elapsed time only, never the date).
    """

    __slots__ = (
        "_clock",
        "_closed",
        "_drawn_at",
        "_lines",
        "_started",
        "_stream",
        "enabled",
        "label",
        "redraws",
        "total",
    )

    def __init__(
        self,
        label: str,
        *,
        total: int,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        isatty = getattr(self._stream, "isatty", None)
        #: Redrawn in place (a terminal), or plain lines (anything else).
        self.redraws = bool(isatty()) if callable(isatty) else False
        self.enabled = True if enabled is None else enabled
        self.label = label
        self.total = max(total, 1)
        self._clock = clock
        self._started = clock()
        self._drawn_at = 0.0
        self._closed = False
        self._lines = 0

    def update(self, done: int, *, force: bool = False) -> None:
        """Redraw with ``done`` units done (throttled unless ``force``)."""
        if not self.enabled:
            return
        now = self._clock()
        if not force and now - self._drawn_at < (_EVERY if self.redraws else _EVERY_LINE):
            return
        if not self.redraws and self._drawn_at == 0.0 and not force:
            self._drawn_at = now  # the first plain line comes after a few seconds, not at once
            return
        self._drawn_at = now
        share = min(done / self.total, 1.0)
        elapsed = now - self._started
        if not self.redraws:
            if force and not self._lines:
                return  # a phase over within seconds needs no line in a log
            self._lines += 1
            self._stream.write(
                f"{self.label}: {done:,}/{self.total:,} ({share:.0%}) in {elapsed:.1f} s\n"
            )
            self._stream.flush()
            return
        filled = int(share * _WIDTH)
        bar = "#" * filled + "-" * (_WIDTH - filled)
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
        if self.redraws:
            self._stream.write("\n")
            self._stream.flush()
