"""Stores: where cases live between moves.

One protocol, :class:`CaseStore`, and three stores with the same semantics: :class:`MemoryStore`
(tests), :class:`SqliteStore` (the embedded default, one file) and :class:`PostgresStore` (many
workers on many machines; the ``postgres`` extra). Open one by URL with :func:`open_store`.

Histories are append-only and hash-chained: a save appends only the new steps and is refused with
:class:`~discipline_flow.errors.ConcurrencyConflict` when someone saved the case since it was
loaded; a load verifies the chain. Deadline sweeps read a due index, so their cost grows with the
number of deadlines due, not the number of cases; a fire the guards refuse is final, one that fails
is tried again by later sweeps (:class:`RetryPolicy`), and the deadlines either leaves behind are
listed by ``stuck_deadlines`` and re-armed by ``rearm``. Reports read :class:`CaseDigest` values
(``digest_many``): state, subject, measure and deadline outcomes straight from the tables, with no
history decoded or verified, and on request each step as a :class:`Move`. ``verify_all`` checks
every history and the rows kept beside it against a replay; an :class:`Anchor` (:func:`anchor_store`, :func:`check_anchor`) kept outside
the database shows the histories truncated or rewritten since it was made.

>>> import enum, pendulum
>>> from discipline_flow import Workflow, Transition, Member
>>> from discipline_flow.store import open_store
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> with open_store("sqlite:///:memory:", [wf]) as store:
...     store.save(wf.open(Member("m-1"), at=at, actor="person:clerk", case_id="C-1"), expected_version=0)
...     [(s.id, s.state, s.version) for s in store.query(workflow="tiny")]
1
[('C-1', 'OPEN', 1)]
"""

from __future__ import annotations

from discipline_flow.store._anchor import Anchor, AnchorProblem, anchor_store, check_anchor
from discipline_flow.store._protocol import (
    CaseDigest,
    CaseRecalculation,
    CaseStore,
    CaseSummary,
    DeadlineDigest,
    DueDeadline,
    Move,
    RecalculationFailure,
    RecalculationReport,
    SweepItem,
    SweepOutcome,
    SweepReport,
    VerificationReport,
)
from discipline_flow.store._retry import (
    DEFAULT_BACKOFF,
    DEFAULT_MAX_ATTEMPTS,
    RetryPolicy,
    StuckDeadline,
    StuckKind,
)
from discipline_flow.store._url import (
    DEFAULT_STORE_URL,
    STORE_URL_ENV,
    open_store,
    store_url_from_env,
)
from discipline_flow.store._work import SWEEP_ACTOR
from discipline_flow.store.memory import MemoryStore
from discipline_flow.store.postgres import PostgresStore
from discipline_flow.store.sqlite import SqliteStore

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_STORE_URL",
    "STORE_URL_ENV",
    "SWEEP_ACTOR",
    "Anchor",
    "AnchorProblem",
    "CaseDigest",
    "CaseRecalculation",
    "CaseStore",
    "CaseSummary",
    "DeadlineDigest",
    "DueDeadline",
    "MemoryStore",
    "Move",
    "PostgresStore",
    "RecalculationFailure",
    "RecalculationReport",
    "RetryPolicy",
    "SqliteStore",
    "StuckDeadline",
    "StuckKind",
    "SweepItem",
    "SweepOutcome",
    "SweepReport",
    "VerificationReport",
    "anchor_store",
    "check_anchor",
    "open_store",
    "store_url_from_env",
]
