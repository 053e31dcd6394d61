"""Working-day arithmetic in O(log H): a closed form over weeks plus a bisect over exceptions.

The index works on proleptic Gregorian ordinals (``date.toordinal()``; ordinal 1 is Monday
1 January of year 1). A day is a working day by default when it is Monday to Friday; an
*exception* is a day whose status differs from that default: a weekday off (delta -1) or a
weekend day worked (delta +1).

``H(t)``, the number of working days with ordinal ``<= t``, is ``D(t) + P(t)`` where ``D`` counts
the default working days in closed form and ``P`` is the prefix sum of the deltas of the
exceptions up to ``t``, found with a bisect. Adding ``n`` working days is finding the smallest
``t`` with ``H(t) >= target``: a bisect over ``H`` at the exceptions, then inverting ``D`` in
closed form inside the segment where ``P`` is constant (``shared/domain/calendar.md`` §7).

>>> from datetime import date
>>> off = date(2025, 5, 2).toordinal()  # Friday off
>>> on = date(2025, 4, 26).toordinal()  # Saturday worked
>>> index = WorkdayIndex(date(2025, 1, 1).toordinal(), date(2025, 12, 31).toordinal(),
...                      {off: False, on: True})
>>> date.fromordinal(index.add(date(2025, 4, 25).toordinal(), 1))
datetime.date(2025, 4, 26)
>>> index.count(date(2025, 4, 25).toordinal(), date(2025, 5, 5).toordinal())
6
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping

__all__ = ["WorkdayIndex", "default_working_days", "is_default_working"]


def default_working_days(t: int) -> int:
    """Monday-to-Friday days with ordinal in ``[1, t]`` (closed form)."""
    q, r = divmod(t, 7)
    return 5 * q + (r if r < 5 else 5)


def is_default_working(t: int) -> bool:
    """Whether ordinal ``t`` is Monday to Friday."""
    return (t - 1) % 7 < 5


def _kth_default_working(k: int) -> int:
    """The ordinal of the ``k``-th Monday-to-Friday day (``k >= 1``)."""
    q, r = divmod(k - 1, 5)
    return 7 * q + r + 1


class WorkdayIndex:
    """Immutable working-day index over the ordinals ``first`` to ``last`` (inclusive).

    ``exceptions`` maps an ordinal to its working status; entries equal to the default
    (Monday-Friday working) are ignored. Range checks are the caller's job: results outside
    ``[first, last]`` are returned as they are and the caller decides what to raise.
    """

    __slots__ = ("_deltas", "_exc", "_h_exc", "_prefix", "_status", "first", "last")

    def __init__(self, first: int, last: int, exceptions: Mapping[int, bool]) -> None:
        status = {
            o: working for o, working in exceptions.items() if working != is_default_working(o)
        }
        exc = sorted(status)
        deltas = [1 if status[o] else -1 for o in exc]
        prefix = [0]
        for delta in deltas:
            prefix.append(prefix[-1] + delta)
        self.first = first
        self.last = last
        self._status = status
        self._exc = exc
        self._deltas = deltas
        self._prefix = prefix
        # H at each exception, non-decreasing because H is.
        self._h_exc = [default_working_days(o) + prefix[j + 1] for j, o in enumerate(exc)]

    def is_working(self, t: int) -> bool:
        """Whether ordinal ``t`` is a working day."""
        status = self._status.get(t)
        if status is None:
            return (t - 1) % 7 < 5
        return status

    def is_exception(self, t: int) -> bool:
        """Whether ordinal ``t`` differs from the Monday-to-Friday default."""
        return t in self._status

    def h(self, t: int) -> int:
        """Working days with ordinal ``<= t``."""
        q, r = divmod(t, 7)
        return 5 * q + (r if r < 5 else 5) + self._prefix[bisect_right(self._exc, t)]

    def nth(self, m: int) -> int:
        """The smallest ordinal ``t`` with ``h(t) >= m``: the working day that is number ``m``."""
        j = bisect_left(self._h_exc, m)
        k = m - self._prefix[j]
        q, r = divmod(k - 1, 5)
        t = 7 * q + r + 1
        if j < len(self._exc) and t >= self._exc[j]:
            return self._exc[j]
        return t

    def add(self, t: int, n: int) -> int:
        """The ``n``-th working day after ``t`` (``n > 0``) or before it (``n < 0``); ``t`` if 0.

        Day ``t`` itself is never counted: ``add(t, 1)`` is the first working day strictly
        after ``t`` and ``add(t, -1)`` the last working day strictly before it. This is
        :meth:`h` and :meth:`nth` inlined: it is the hot path of every deadline.
        """
        if n == 0:
            return t
        exc = self._exc
        prefix = self._prefix
        if n < 0:
            t -= 1
            n += 1
        q, r = divmod(t, 7)
        m = 5 * q + (r if r < 5 else 5) + prefix[bisect_right(exc, t)] + n
        j = bisect_left(self._h_exc, m)
        q, r = divmod(m - prefix[j] - 1, 5)
        result = 7 * q + r + 1
        if j < len(exc) and result >= exc[j]:
            return exc[j]
        return result

    def count(self, a: int, b: int) -> int:
        """Working days in ``(a, b]``; negative (``-count(b, a)``) when ``b < a``."""
        return self.h(b) - self.h(a)

    def exceptions_between(self, a: int, b: int) -> list[int]:
        """The exception ordinals in ``[a, b]``, in order."""
        return self._exc[bisect_left(self._exc, a) : bisect_right(self._exc, b)]

    def __len__(self) -> int:
        return len(self._exc)
