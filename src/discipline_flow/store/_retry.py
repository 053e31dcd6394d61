"""What a sweep does with a fire that failed: retry it later, a bounded number of times.

A sweep tells a **refusal** from a **failure**. A refusal is final: the rule's ``on_miss``
trigger was tried and the workflow's guards said no, with their reasons; the deadline is marked
``refused`` and no later sweep tries it again. A failure is not the case's answer but the
sweep's trouble: the case could not be loaded (its workflow or version is missing from the
registry, its history does not verify), an action of the trigger raised (a notifier that could
not reach its server), the store failed. A failed fire stays due: the next sweep tries it again
once its backoff has passed, and after :attr:`RetryPolicy.max_attempts` failures it is marked
``failed`` and left alone until an operator re-arms it
(:meth:`~discipline_flow.store.CaseStore.rearm`).

The attempts are the sweep's own bookkeeping, kept apart from the case (the SQL stores keep them
in a table of their own, ``sweep_attempts``): a sweep never writes to a case it could not read.

>>> policy = RetryPolicy()
>>> policy.max_attempts, [str(policy.delay(n)) for n in range(1, policy.max_attempts)]
(5, ['0:05:00', '0:10:00', '0:20:00', '0:40:00'])
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs

from discipline_flow.errors import InputError

__all__ = ["DEFAULT_BACKOFF", "DEFAULT_MAX_ATTEMPTS", "RetryPolicy", "StuckDeadline", "StuckKind"]

#: How many times a sweep tries a failing fire before it marks it ``failed``.
DEFAULT_MAX_ATTEMPTS = 5
#: How long a sweep waits after the first failure before it tries again; each later wait is
#: twice the one before (5, 10, 20, 40 minutes with the defaults).
DEFAULT_BACKOFF = _dt.timedelta(minutes=5)

#: The longest wait a policy may ask for (a longer one would overflow the stores' instants).
_MAX_DELAY = _dt.timedelta(days=366)


def _check_attempts(_instance: Any, _attribute: Any, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
        raise InputError("max_attempts", f"expected a whole number from 1 to 100, got {value!r}")


def _check_backoff(_instance: Any, _attribute: Any, value: object) -> None:
    if not isinstance(value, _dt.timedelta) or not _dt.timedelta(0) <= value <= _MAX_DELAY:
        raise InputError("backoff", f"expected a timedelta from 0 to 366 days, got {value!r}")


@attrs.frozen
class RetryPolicy:
    """How a sweep retries a fire that failed: at most ``max_attempts`` tries in all, the second
    no sooner than ``backoff`` after the first, each later wait twice the one before (capped at
    366 days). The defaults (5 attempts, 5 minutes) spread the tries over 75 minutes and more:
    a sweep run every quarter of an hour gives up after about two hours, a daily one after five
    days.

    >>> RetryPolicy(max_attempts=3, backoff=_dt.timedelta(hours=1)).delay(2)
    datetime.timedelta(seconds=7200)
    >>> RetryPolicy(max_attempts=0)
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: max_attempts: expected a whole number from 1 to 100, got 0
    """

    max_attempts: int = attrs.field(default=DEFAULT_MAX_ATTEMPTS, validator=_check_attempts)
    backoff: _dt.timedelta = attrs.field(default=DEFAULT_BACKOFF, validator=_check_backoff)

    def delay(self, attempts: int) -> _dt.timedelta:
        """How long to wait after the ``attempts``-th failure before the next try."""
        if attempts < 1:
            raise InputError("attempts", f"expected a whole number of at least 1, got {attempts}")
        delay = self.backoff
        for _ in range(attempts - 1):
            if delay >= _MAX_DELAY:
                break
            delay *= 2
        return min(delay, _MAX_DELAY)

    def gives_up(self, attempts: int) -> bool:
        """Whether ``attempts`` failures are all this policy allows."""
        return attempts >= self.max_attempts


class StuckKind(enum.Enum):
    """Why a sweep holds an overdue deadline back."""

    REFUSED = "refused"  # the guards refused its on_miss trigger: final until re-armed
    RETRYING = "retrying"  # its fire failed; a later sweep tries again from ``retry_at``
    FAILED = "failed"  # its fire failed on every attempt the policy allowed: until re-armed


@attrs.frozen
class StuckDeadline:
    """An open, overdue deadline whose ``on_miss`` trigger a sweep did not fire.

    ``kind`` says why (:class:`StuckKind`); ``detail`` is what the last attempt met (the
    refusal's reasons, the error); ``last_at`` when a sweep last tried; ``attempts`` how many
    times it failed (0 for a refusal) and ``retry_at`` when the next sweep may try again (only
    while ``retrying``). ``seq`` is the deadline's position in ``case.deadlines``.
    """

    case_id: str
    seq: int
    rule: str
    due_at: _dt.datetime
    on_miss: str
    kind: StuckKind
    detail: str | None
    last_at: _dt.datetime
    attempts: int = 0
    retry_at: _dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict (instants as ISO text)."""
        return {
            "case_id": self.case_id,
            "seq": self.seq,
            "rule": self.rule,
            "due_at": self.due_at.isoformat(),
            "on_miss": self.on_miss,
            "kind": self.kind.value,
            "detail": self.detail,
            "last_at": self.last_at.isoformat(),
            "attempts": self.attempts,
            "retry_at": None if self.retry_at is None else self.retry_at.isoformat(),
        }

    def text(self) -> str:
        """One line: kind, case, rule, due instant, attempts, next try and detail."""
        tries = f" after {self.attempts} attempts" if self.attempts else ""
        retry = f", next try from {self.retry_at.isoformat()}" if self.retry_at else ""
        why = f" ({self.detail})" if self.detail else ""
        return (
            f"{self.kind.value:<9} {self.case_id} {self.rule} due {self.due_at.isoformat()} "
            f"{self.on_miss}{tries}{retry}{why}"
        )
