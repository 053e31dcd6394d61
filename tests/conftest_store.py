"""Workflows, store factories and worker processes shared by the store tests (not shipped).

Imported as a module by ``tests/test_store_*.py`` (pytest puts ``tests/`` on ``sys.path``) and by
the worker processes of the reliability tests (``tests/load_workers.py``).

The deadline workflow ``reply`` starts two deadlines when a request is accepted:
``reply`` (10 working days, missed → ``MISS`` fired by the sweep) and ``report``
(5 calendar days, status only). Counting follows Civil Code 2015 arts. 147-148: the start day is
excluded, a last day that is not a working day rolls forward, the period ends at 24:00.
"""

from __future__ import annotations

import enum
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import psycopg
import pytest
from psycopg.types.string import TextLoader

from discipline_flow import (
    Body,
    BodyKind,
    Citation,
    Guard,
    GuardContext,
    Member,
    Period,
    RuleStatus,
    Transition,
    Workflow,
)
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.store import CaseStore, MemoryStore, open_store
from discipline_flow.time.deadline import DeadlineRule

TZ = "Asia/Ho_Chi_Minh"
TESTS = Path(__file__).resolve().parent
CLERK = Body(BodyKind.PARTY_CELL, "cell-1")
COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "commission-1")
CIVIL_CODE = Citation("Bộ luật Dân sự 2015", "Điều 147-148", RuleStatus.VERIFIED)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    """An instant in Hanoi time."""
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


# --------------------------------------------------------------------------- workflows


class Matter(enum.Enum):
    OPEN = "open"
    REVIEWED = "reviewed"
    CLOSED = "closed"


class MatterTrigger(enum.Enum):
    NOTE = "note"  # always allowed while not closed: the concurrency tests fire it
    REVIEW = "review"
    CLOSE = "close"


def matter_workflow() -> Workflow[Matter, MatterTrigger]:
    """Three states, no deadlines."""
    return Workflow(
        name="matter",
        version="1",
        states=Matter,
        triggers=MatterTrigger,
        initial=Matter.OPEN,
        terminal={Matter.CLOSED},
        transitions=[
            Transition(MatterTrigger.NOTE, Matter.OPEN, Matter.OPEN),
            Transition(MatterTrigger.NOTE, Matter.REVIEWED, Matter.REVIEWED),
            Transition(MatterTrigger.REVIEW, Matter.OPEN, Matter.REVIEWED),
            Transition(MatterTrigger.CLOSE, (Matter.OPEN, Matter.REVIEWED), Matter.CLOSED),
        ],
        ruleset="test-2025",
    )


class Request(enum.Enum):
    RECEIVED = "received"
    ANSWERING = "answering"
    LATE = "late"
    CLOSED = "closed"


class RequestTrigger(enum.Enum):
    ACCEPT = "accept"
    NOTE = "note"
    MISS = "miss"
    ANSWER = "answer"


def _not_on_hold(ctx: GuardContext[Any, Any]) -> str | None:
    if ctx.case.subject.id.startswith("hold-"):
        return "the subject's cases are on hold; a miss is recorded by hand"
    return None


def reply_workflow() -> Workflow[Request, RequestTrigger]:
    """A request answered within 10 working days; the sweep fires MISS when it is not."""
    reply = DeadlineRule(
        "reply",
        Period.parse("10 working days"),
        starts_on_trigger=RequestTrigger.ACCEPT,
        met_by={RequestTrigger.ANSWER},
        cancelled_by={Request.LATE},
        on_miss=RequestTrigger.MISS,
        citation=CIVIL_CODE,
    )
    report = DeadlineRule(
        "report",
        Period.parse("5 days"),
        starts_on_trigger=RequestTrigger.ACCEPT,
        met_by={RequestTrigger.ANSWER},
        citation=CIVIL_CODE,
    )
    return Workflow(
        name="reply",
        version="1",
        states=Request,
        triggers=RequestTrigger,
        initial=Request.RECEIVED,
        terminal={Request.CLOSED},
        transitions=[
            Transition(RequestTrigger.ACCEPT, Request.RECEIVED, Request.ANSWERING),
            Transition(RequestTrigger.NOTE, Request.ANSWERING, Request.ANSWERING),
            Transition(RequestTrigger.NOTE, Request.LATE, Request.LATE),
            Transition(
                RequestTrigger.MISS,
                Request.ANSWERING,
                Request.LATE,
                guards=[Guard("not_on_hold", _not_on_hold)],
            ),
            Transition(RequestTrigger.ANSWER, (Request.ANSWERING, Request.LATE), Request.CLOSED),
            Transition(RequestTrigger.ANSWER, Request.RECEIVED, Request.CLOSED),
        ],
        deadline_rules=[reply, report],
    )


MATTER = matter_workflow()
REPLY = reply_workflow()


def registry() -> WorkflowRegistry:
    """The test workflows (the CLI tests pass ``--registry conftest_store:registry``)."""
    return WorkflowRegistry([MATTER, REPLY])


def open_matter(case_id: str, when: pendulum.DateTime | None = None, **kwargs: Any) -> Any:
    """A new ``matter`` case about member ``m-<id>``."""
    return MATTER.open(
        Member(f"m-{case_id}"), at=when or at(2025, 3, 3), actor=CLERK, case_id=case_id, **kwargs
    )


def accepted_request(case_id: str, when: pendulum.DateTime, subject: str = "m-1") -> Any:
    """A ``reply`` case accepted at ``when`` (both deadlines started)."""
    case = REPLY.open(Member(subject), at=when, actor=CLERK, case_id=case_id)
    case.fire(RequestTrigger.ACCEPT, at=when, actor=COMMISSION)
    return case


# --------------------------------------------------------------------------- stores

KINDS = ("memory", "sqlite", "postgres")


def kind_params(*kinds: str) -> list[Any]:
    """Fixture params for these store kinds; PostgreSQL ones carry the ``postgres`` mark."""
    chosen = kinds or KINDS
    return [pytest.param(k, marks=pytest.mark.postgres) if k == "postgres" else k for k in chosen]


def pg_url() -> str:
    """The test server's URL; fails (or skips on explicit request) when there is none."""
    url = os.environ.get("DISCIPLINE_FLOW_PG_URL")
    if url:
        return url
    if os.environ.get("DISCIPLINE_FLOW_NO_POSTGRES") == "1":
        pytest.skip("DISCIPLINE_FLOW_NO_POSTGRES=1: PostgreSQL store tests skipped on request")
    raise pytest.fail.Exception(
        "DISCIPLINE_FLOW_PG_URL is not set: start a throwaway server with `. .ci/postgres.sh` "
        "(or set DISCIPLINE_FLOW_NO_POSTGRES=1 to skip the PostgreSQL store tests)",
        pytrace=False,
    )


class Stores:
    """Opens stores of one kind on one database: the tests' ``stores`` fixture."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind = kind
        self.path = tmp_path / "cases.db"
        self.schema = f"t_{uuid.uuid4().hex[:16]}"
        self.url = {
            "memory": "memory://",
            "sqlite": f"sqlite:///{self.path}",
            "postgres": "",
        }[kind]
        if kind == "postgres":
            base = pg_url()
            self.url = f"{base}{'&' if '?' in base else '?'}schema={self.schema}"
        self._memory: MemoryStore | None = None
        self._opened: list[CaseStore] = []

    def open(self, workflows: WorkflowRegistry | None = None) -> CaseStore:
        """Another store on the same database (the same object for memory)."""
        reg = workflows if workflows is not None else registry()
        if self.kind == "memory":
            if self._memory is None:
                self._memory = MemoryStore(reg)
            return self._memory
        store = open_store(self.url, reg)
        self._opened.append(store)
        return store

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run raw SQL on the database, outside the store (to tamper with it)."""
        if self.kind == "sqlite":
            lite = sqlite3.connect(self.path, isolation_level=None)
            try:
                return lite.execute(statement, params).fetchall()
            finally:
                lite.close()
        with psycopg.connect(pg_url(), autocommit=True) as conn:
            conn.adapters.register_loader("json", TextLoader)
            conn.execute(f'SET search_path TO "{self.schema}"')
            cur = conn.execute(statement.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []

    def close(self) -> None:
        for store in self._opened:
            store.close()
        if self._memory is not None:
            self._memory.close()
        if self.kind == "postgres":
            with psycopg.connect(pg_url(), autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


def allow_edits(stores: Stores) -> None:
    """Drop the append-only triggers, as someone with write access to the database could."""
    if stores.kind == "sqlite":
        stores.sql("DROP TRIGGER steps_no_update")
        stores.sql("DROP TRIGGER steps_no_delete")
    else:
        stores.sql("DROP TRIGGER steps_append_only ON steps")


def stores_fixture(kind: str, tmp_path: Path) -> Iterator[Stores]:
    """Body of the ``stores`` fixtures."""
    stores = Stores(kind, tmp_path)
    try:
        yield stores
    finally:
        stores.close()
