"""Deadline rules and deadlines: validation, status, tolling, extensions, caps, recomputation.

Dates are worked out by hand from the rule each test cites; calendar facts from calendar.md §3.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from discipline_flow import Body, BodyKind, Citation, Member, RuleStatus, Transition, Workflow
from discipline_flow.errors import (
    DeadlineError,
    ExtensionRefusedError,
    InputError,
    InvalidPeriodError,
    InvalidRuleError,
    NaiveDatetimeError,
)
from discipline_flow.serialization import converter
from discipline_flow.time import (
    CIVIL_CODE,
    NO_CITATION,
    CalendarEntry,
    DayKind,
    Deadline,
    DeadlineRule,
    DeadlineStatus,
    Extension,
    ExtensionPolicy,
    Pause,
    Period,
    TraceKind,
    VietnamCalendar,
    default_calendar,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = default_calendar()
BASIS = Citation("QĐ 30-QĐ/TW", "Điều 40", RuleStatus.VERIFIED, source="P-thukyluat-314816")


class S(enum.Enum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class T(enum.Enum):
    START = "start"
    FINISH = "finish"
    WITHDRAW = "withdraw"
    HOLD = "hold"
    CONTINUE = "continue"
    EXTEND = "extend"
    ESCALATE = "escalate"


def at(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=HANOI)


def rule(period: str, **kwargs: object) -> DeadlineRule:
    options: dict[str, object] = {"starts_on_trigger": T.START, "citation": BASIS}
    options.update(kwargs)
    return DeadlineRule("window", Period.parse(period), **options)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param({"period": Period.parse("-5 days")}, "is negative", id="negative period"),
        pytest.param({"period": "thirty days"}, "expected a whole number", id="bad period text"),
        pytest.param({"starts_on_trigger": None}, "give exactly one", id="no start"),
        pytest.param({"starts_on_enter": S.OPEN}, "give exactly one", id="two starts"),
        pytest.param(
            {"met_by": {T.FINISH}, "cancelled_by": {T.FINISH}},
            "both meet and cancel",
            id="met and cancelled",
        ),
        pytest.param({"paused_by": {T.HOLD}}, "go together", id="pause without resume"),
        pytest.param(
            {"paused_by": {T.HOLD}, "resumed_by": {T.HOLD}},
            "both pause and resume",
            id="pause is resume",
        ),
        pytest.param(
            {"extended_by": T.EXTEND}, "needs an extension policy", id="extended_by alone"
        ),
        pytest.param(
            {"cap": Period.parse("10 days")}, "shorter than the period", id="cap too short"
        ),
        pytest.param({"cap": Period.parse("100 hours")}, "in hours exactly when", id="cap unit"),
        pytest.param({"due_soon": Period.parse("-1 days")}, "is negative", id="negative due_soon"),
        pytest.param({"start_date_key": ""}, "non-empty payload key", id="empty key"),
        pytest.param({"met_by": {"finish"}}, "enum members", id="text member"),
        pytest.param({"on_miss": "escalate"}, "enum member", id="text on_miss"),
        pytest.param({"extension": {"max_count": 1}}, "ExtensionPolicy", id="policy type"),
        pytest.param({"convention": "civil"}, "CountingConvention", id="convention type"),
        pytest.param({"citation": "QĐ 30"}, "must be a Citation", id="citation type"),
    ],
)
def test_invalid_rules_are_refused_when_built(kwargs: dict[str, object], fragment: str) -> None:
    options: dict[str, object] = {
        "period": Period.parse("30 days"),
        "starts_on_trigger": T.START,
        "citation": BASIS,
    }
    options.update(kwargs)
    period = options.pop("period")
    with pytest.raises(InvalidRuleError, match=fragment) as info:
        DeadlineRule("window", period, **options)  # type: ignore[arg-type]
    assert "rule 'window'" in str(info.value)


def test_hour_rules_cannot_take_their_start_from_a_payload() -> None:
    with pytest.raises(InvalidRuleError, match="start_date_key needs days"):
        rule("48 hours", start_date_key="postmark_on")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param({"max_count": -1}, "zero or more", id="negative count"),
        pytest.param({"max_count": True}, "whole number", id="bool count"),
        pytest.param({"max_total": Period.parse("-30 days")}, "is negative", id="negative total"),
        pytest.param({"reason_required": "yes"}, "True or False", id="reason flag"),
    ],
)
def test_invalid_extension_policies_are_refused(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidRuleError, match=fragment):
        ExtensionPolicy(**kwargs)  # type: ignore[arg-type]


def test_rule_accepts_periods_as_text_and_defaults_to_an_assumed_citation() -> None:
    r = DeadlineRule("x", "30 working days", starts_on_enter=S.OPEN)
    assert r.period == Period.parse("30 working days")
    assert r.citation is NO_CITATION
    assert r.citation.status is RuleStatus.ASSUMED
    assert r.due_soon == Period.parse("3 working days")
    assert hash(r) == hash(attrs.evolve(r))
    assert Deadline.start(r, started_at=at(2025, 3, 3), calendar=CAL).rule == "x"


# ----------------------------------------------------------------------------- start and status


def test_start_on_from_a_payload_date() -> None:
    # Complaint window counted from the postmark (QĐ 46 guidance), not the day it arrived.
    r = rule("30 working days", start_date_key="postmark_on")
    d = Deadline.start(r, started_at=at(2025, 4, 30), start_on="2025-04-25", calendar=CAL)
    assert d.start_on == date(2025, 4, 25)
    assert d.due_on == date(2025, 6, 10)  # Sat 26/4 make-up counts; 30/4-2/5 off
    text = d.explain().text()
    assert "taken from postmark_on" in text
    assert "Start: Fri 2025-04-25" in text


def test_start_on_may_be_an_aware_datetime() -> None:
    d = Deadline.start(
        rule("1 day"),
        started_at=at(2025, 5, 2),
        start_on=datetime(2025, 4, 29, 18, 30, tzinfo=ZoneInfo("UTC")),
        calendar=CAL,
    )
    assert d.start_on == date(2025, 4, 30)
    # 30/4 + 1 day = 1/5 (holiday), 2/5 swap, 3-4/5 weekend: roll to Mon 5/5 (BLDS 148(5)).
    assert d.due_on == date(2025, 5, 5)


# (instant, expected status) for a 10-working-day rule started Mon 3/3/2025 09:00:
# due Mon 17/3 (4-7, 10-14, 17), ends 18/3 00:00; due soon from Thu 13/3 00:00 (13, 14, 17).
STATUS_ROWS = [
    pytest.param(at(2025, 3, 3), DeadlineStatus.PENDING, id="at the start"),
    pytest.param(at(2025, 3, 12, 23, 59), DeadlineStatus.PENDING, id="just before the window"),
    pytest.param(at(2025, 3, 13, 0), DeadlineStatus.DUE_SOON, id="window opens 13/3"),
    pytest.param(at(2025, 3, 17, 23, 59), DeadlineStatus.DUE_SOON, id="last minute of the due day"),
    pytest.param(at(2025, 3, 18, 0), DeadlineStatus.OVERDUE, id="24:00 of the due day"),
    pytest.param(
        datetime(2025, 3, 17, 17, 0, tzinfo=ZoneInfo("UTC")), DeadlineStatus.OVERDUE, id="UTC now"
    ),
]


@pytest.mark.parametrize(("now", "expected"), STATUS_ROWS)
def test_status_against_a_clock(now: datetime, expected: DeadlineStatus) -> None:
    d = Deadline.start(rule("10 working days"), started_at=at(2025, 3, 3), calendar=CAL)
    assert d.due_on == date(2025, 3, 17)
    assert d.due_at == datetime(2025, 3, 18, tzinfo=HANOI)
    assert d.due_soon_at == datetime(2025, 3, 13, tzinfo=HANOI)
    assert d.status(now) is expected


def test_due_soon_in_calendar_days() -> None:
    d = Deadline.start(
        rule("30 days", due_soon=Period.parse("7 days")), started_at=at(2025, 3, 3), calendar=CAL
    )
    assert d.due_on == date(2025, 4, 2)
    assert d.due_soon_at == datetime(2025, 3, 27, tzinfo=HANOI)
    assert d.status(at(2025, 3, 26)) is DeadlineStatus.PENDING
    assert d.status(at(2025, 3, 27)) is DeadlineStatus.DUE_SOON


def test_meet_and_cancel_close_the_deadline() -> None:
    d = Deadline.start(rule("10 working days"), started_at=at(2025, 3, 3), calendar=CAL)
    met = d.meet(at(2025, 3, 10))
    assert not met.is_open
    assert not met.is_met_late
    assert met.status(at(2025, 4, 1)) is DeadlineStatus.MET
    late = d.meet(at(2025, 3, 18, 0))
    assert late.is_met_late
    assert "(late)" in late.explain().text()
    cancelled = d.cancel(at(2025, 3, 5))
    assert cancelled.status(at(2025, 4, 1)) is DeadlineStatus.CANCELLED
    assert d.is_open  # values are immutable
    with pytest.raises(DeadlineError, match="it was met at"):
        met.meet(at(2025, 3, 11))
    with pytest.raises(DeadlineError, match="it was cancelled at"):
        cancelled.pause(at(2025, 3, 6))
    with pytest.raises(DeadlineError, match="before it started"):
        d.meet(at(2025, 3, 2))


def test_meet_and_cancel_change_only_the_closing() -> None:
    """Meeting and cancelling copy every other field (a field added later must be copied),
    the trace included: the explanation derives the closing from ``met_at``/``cancelled_at``."""
    d = Deadline.start(rule("10 working days"), started_at=at(2025, 3, 3), calendar=CAL)
    d = d.pause(at(2025, 3, 4))
    when = at(2025, 3, 10)
    met = d.meet(when)
    assert met == attrs.evolve(d, met_at=when)
    assert met.trace is d.trace
    cancelled = d.cancel(when)
    assert cancelled == attrs.evolve(d, cancelled_at=when)
    last = {"met": met.explain().trace[-1], "cancelled": cancelled.explain().trace[-1]}
    assert {k: (v.kind.value, v.at) for k, v in last.items()} == {
        "met": ("met", when),
        "cancelled": ("cancelled", when),
    }
    assert d.explain().trace[-1].kind.value == "due"


# ----------------------------------------------------------------------------- tolling


def test_pause_and_resume_in_working_days() -> None:
    # 30 working days from Mon 3/3/2025: due Tue 15/4 (Mon 7/4 Giỗ Tổ is off, LC 112(1)e).
    r = rule("30 working days", paused_by={T.HOLD}, resumed_by={T.CONTINUE})
    d = Deadline.start(r, started_at=at(2025, 3, 3), calendar=CAL)
    assert d.due_on == date(2025, 4, 15)
    paused = d.pause(at(2025, 3, 7, 10))
    assert paused.is_paused
    assert paused.status(at(2025, 6, 1)) is DeadlineStatus.PAUSED
    assert "Paused since Fri 2025-03-07" in paused.explain().text()
    # Lost: working days in (7/3, 17/3] = 10-14 and 17 = 6; 15/4 + 6 working days = Wed 23/4.
    resumed = paused.resume(at(2025, 3, 17), rule=r, calendar=CAL)
    assert resumed.due_on == date(2025, 4, 23)
    assert resumed.pauses == (Pause(at(2025, 3, 7, 10), at(2025, 3, 17)),)
    assert "the due date moves by 6 working days" in resumed.explain().text()


def test_pause_and_resume_in_calendar_days() -> None:
    # 90 days from 10/1/2025 = Thu 10/4; paused 1/2 to 11/2 loses 10 days → Sun 20/4 → Mon 21/4.
    r = rule("90 days", paused_by={T.HOLD}, resumed_by={T.CONTINUE})
    d = Deadline.start(r, started_at=at(2025, 1, 10), calendar=CAL)
    assert d.due_on == date(2025, 4, 10)
    resumed = d.pause(at(2025, 2, 1)).resume(at(2025, 2, 11), rule=r, calendar=CAL)
    assert resumed.due_on == date(2025, 4, 21)
    kinds = [i.kind for i in resumed.explain().trace]
    assert TraceKind.PAUSE in kinds
    assert TraceKind.ROLL_FORWARD in kinds


def test_two_pauses_add_up() -> None:
    r = rule("10 working days", paused_by={T.HOLD}, resumed_by={T.CONTINUE})
    d = Deadline.start(r, started_at=at(2025, 3, 3), calendar=CAL)  # due Mon 17/3
    d = d.pause(at(2025, 3, 4)).resume(at(2025, 3, 5), rule=r, calendar=CAL)  # loses 1 (5/3)
    d = d.pause(at(2025, 3, 6)).resume(at(2025, 3, 10), rule=r, calendar=CAL)  # loses 7/3, 10/3
    assert d.due_on == date(2025, 3, 20)  # 17/3 + 3 working days


def test_cap_keeps_running_through_a_pause() -> None:
    # Suspension: 90 days, at most 180 days in all (QĐ 22 art. 31 cl. 1), from 10/1/2025.
    r = rule("90 days", cap=Period.parse("180 days"), paused_by={T.HOLD}, resumed_by={T.CONTINUE})
    d = Deadline.start(r, started_at=at(2025, 1, 10), calendar=CAL)
    assert d.cap_on == date(2025, 7, 9)  # 10/1 + 180 days, a Wednesday
    paused = d.pause(at(2025, 1, 20))
    assert paused.status(at(2025, 7, 9, 12)) is DeadlineStatus.PAUSED
    assert paused.status(at(2025, 7, 10, 0)) is DeadlineStatus.OVERDUE
    resumed = paused.resume(at(2025, 9, 1), rule=r, calendar=CAL)
    assert resumed.due_on == date(2025, 7, 9)  # 10/4 + 224 days lost, held to the cap
    assert "the due date is held to it" in resumed.explain().text()


TOLLED = rule("30 days", paused_by={T.HOLD}, resumed_by={T.CONTINUE})
TOLLED_START = Deadline.start(TOLLED, started_at=at(2025, 3, 3), calendar=CAL)
PAUSED = TOLLED_START.pause(at(2025, 3, 4))


@pytest.mark.parametrize(
    ("action", "fragment"),
    [
        pytest.param(lambda: PAUSED.pause(at(2025, 3, 5)), "already paused", id="pause twice"),
        pytest.param(
            lambda: TOLLED_START.resume(at(2025, 3, 4), rule=TOLLED, calendar=CAL),
            "is not paused",
            id="resume unpaused",
        ),
        pytest.param(
            lambda: PAUSED.resume(at(2025, 3, 3, 12), rule=TOLLED, calendar=CAL),
            "before the pause",
            id="resume before pause",
        ),
        pytest.param(
            lambda: PAUSED.resume(at(2025, 3, 10), rule=TOLLED, calendar=CAL).pause(at(2025, 3, 6)),
            "before its last resumption",
            id="pause before the last resumption",
        ),
        pytest.param(
            lambda: PAUSED.resume(
                at(2025, 3, 10), rule=attrs.evolve(TOLLED, name="other"), calendar=CAL
            ),
            "cannot be recomputed with rule",
            id="another rule",
        ),
    ],
)
def test_tolling_misuse_is_refused(action: Callable[[], object], fragment: str) -> None:
    with pytest.raises(DeadlineError, match=fragment):
        action()


# ----------------------------------------------------------------------------- extensions

DENUNCIATION = rule(
    "10 working days",
    extended_by=T.EXTEND,
    extension=ExtensionPolicy(max_count=1, max_total=Period.parse("5 working days")),
)


def test_extension_in_the_rule_unit_is_counted_from_the_start() -> None:
    d = Deadline.start(DENUNCIATION, started_at=at(2025, 3, 3), calendar=CAL)
    assert d.due_on == date(2025, 3, 17)
    longer = d.extend(
        Period.parse("5 working days"),
        reason="verification needs more time",
        at=at(2025, 3, 14),
        rule=DENUNCIATION,
        calendar=CAL,
    )
    assert longer.due_on == date(2025, 3, 24)  # 15 working days from Mon 3/3
    assert longer.extensions == (
        Extension(Period.parse("5 working days"), "verification needs more time", at(2025, 3, 14)),
    )
    assert "reason: verification needs more time" in longer.explain().text()


def test_a_rebuild_copies_every_field_it_does_not_recompute() -> None:
    """Extending and resuming construct the result field by field: none may be dropped."""
    d = Deadline.start(DENUNCIATION, started_at=at(2025, 3, 3), calendar=CAL).pause(at(2025, 3, 4))
    longer = d.extend(
        "5 working days", reason="r", at=at(2025, 3, 5), rule=DENUNCIATION, calendar=CAL
    )
    recomputed = {"due_on", "due_at", "period", "citation", "is_estimated", "cap_on", "cap_at"}
    recomputed |= {"due_soon_at", "trace", "extensions"}
    for field in attrs.fields(Deadline):
        if field.name not in recomputed:
            assert getattr(longer, field.name) == getattr(d, field.name), field.name
    assert longer.extensions[-1].reason == "r"


def test_extending_is_a_pure_function_of_its_arguments() -> None:
    """A guard may try an extension and the move then make it: both get the same value, and
    the deadline they extend is unchanged."""
    d = Deadline.start(DENUNCIATION, started_at=at(2025, 3, 3), calendar=CAL)
    before = attrs.evolve(d)
    when = at(2025, 3, 14)
    tried = d.extend("5 working days", reason="more time", at=when, rule=DENUNCIATION, calendar=CAL)
    made = d.extend(
        "5 working days", reason="more time", at=at(2025, 3, 14), rule=DENUNCIATION, calendar=CAL
    )
    assert made == tried
    assert d == before
    other = d.extend("5 working days", reason="other", at=when, rule=DENUNCIATION, calendar=CAL)
    assert other.extensions[0].reason == "other"
    assert (other.due_on, tried.extensions[0].reason) == (tried.due_on, "more time")
    shorter = d.extend(
        "2 working days", reason="more time", at=when, rule=DENUNCIATION, calendar=CAL
    )
    assert shorter.due_on == date(2025, 3, 19)  # 10 + 2 working days from Mon 3/3: Wed 19/3
    # A refused extension is refused every time.
    for _ in range(2):
        with pytest.raises(ExtensionRefusedError):
            shorter.extend("5 working days", reason="x", at=when, rule=DENUNCIATION, calendar=CAL)


def test_month_extensions_are_not_chained() -> None:
    r = rule("1 month", extended_by=T.EXTEND, extension=ExtensionPolicy(reason_required=False))
    d = Deadline.start(r, started_at=at(2025, 1, 31), calendar=CAL)
    assert d.due_on == date(2025, 2, 28)
    # 31/1 + 2 months = 31/3 (BLDS 148(3)); chaining 28/2 + 1 month would give 28/3.
    assert d.extend("1 month", reason=None, at=at(2025, 2, 20), rule=r, calendar=CAL).due_on == (
        date(2025, 3, 31)
    )


def test_extension_in_another_unit_moves_the_last_day() -> None:
    r = rule("30 days", extended_by=T.EXTEND, extension=ExtensionPolicy(reason_required=False))
    d = Deadline.start(r, started_at=at(2025, 3, 3), calendar=CAL)  # due Wed 2/4
    # 2/4 + 5 working days: 3, 4, 7 is Giỗ Tổ (off), 8, 9, 10 → Thu 10/4.
    assert d.extend(
        "5 working days", reason=None, at=at(2025, 3, 20), rule=r, calendar=CAL
    ).due_on == (date(2025, 4, 10))


@pytest.mark.parametrize(
    ("by", "reason", "when", "fragment"),
    [
        pytest.param("3 working days", "", at(2025, 3, 10), "needs a reason", id="no reason"),
        pytest.param("3 working days", None, at(2025, 3, 10), "needs a reason", id="none reason"),
        pytest.param(
            "6 working days", "r", at(2025, 3, 10), "at most 5 working days", id="too long"
        ),
        pytest.param(
            "1 week", "r", at(2025, 3, 10), "give the extension in working_days", id="unit"
        ),
        pytest.param(
            "3 working days",
            "r",
            at(2025, 3, 18),
            "an extension must be granted before",
            id="after the end",
        ),
        pytest.param("5 hours", "r", at(2025, 3, 10), "extended in days, weeks", id="hours"),
    ],
)
def test_extension_beyond_the_policy_is_refused(
    by: str, reason: str | None, when: datetime, fragment: str
) -> None:
    d = Deadline.start(DENUNCIATION, started_at=at(2025, 3, 3), calendar=CAL)
    with pytest.raises(ExtensionRefusedError, match=fragment) as info:
        d.extend(by, reason=reason, at=when, rule=DENUNCIATION, calendar=CAL)
    assert isinstance(info.value, DeadlineError)
    assert isinstance(info.value, ValueError)


def test_second_extension_beyond_max_count_is_refused() -> None:
    d = Deadline.start(DENUNCIATION, started_at=at(2025, 3, 3), calendar=CAL)
    once = d.extend(
        "2 working days", reason="r", at=at(2025, 3, 10), rule=DENUNCIATION, calendar=CAL
    )
    with pytest.raises(ExtensionRefusedError, match="already extended 1 time"):
        once.extend(
            "2 working days", reason="r", at=at(2025, 3, 11), rule=DENUNCIATION, calendar=CAL
        )


def test_total_of_extensions_is_limited() -> None:
    r = rule(
        "90 days",
        extended_by=T.EXTEND,
        extension=ExtensionPolicy(max_count=3, max_total=Period.parse("60 days")),
    )
    d = Deadline.start(r, started_at=at(2025, 1, 2), calendar=CAL)
    d = d.extend("40 days", reason="a", at=at(2025, 2, 1), rule=r, calendar=CAL)
    with pytest.raises(ExtensionRefusedError, match="would make 61 days in all"):
        d.extend("21 days", reason="b", at=at(2025, 2, 2), rule=r, calendar=CAL)
    assert (
        len(d.extend("20 days", reason="b", at=at(2025, 2, 2), rule=r, calendar=CAL).extensions)
        == 2
    )


def test_rule_without_extension_refuses_every_extension() -> None:
    r = rule("30 days")
    d = Deadline.start(r, started_at=at(2025, 3, 3), calendar=CAL)
    with pytest.raises(ExtensionRefusedError, match="allows no extension"):
        d.extend("1 day", reason="r", at=at(2025, 3, 4), rule=r, calendar=CAL)
    with pytest.raises(InvalidPeriodError, match="longer than zero"):
        d.extend("-1 days", reason="r", at=at(2025, 3, 4), rule=r, calendar=CAL)


def test_hour_deadlines_extend_in_hours_and_days() -> None:
    r = rule("48 hours", extended_by=T.EXTEND, extension=ExtensionPolicy(reason_required=False))
    d = Deadline.start(r, started_at=at(2025, 3, 3, 10), calendar=CAL)
    assert d.due_at == at(2025, 3, 5, 10)
    assert d.extend("1 day", reason=None, at=at(2025, 3, 4), rule=r, calendar=CAL).due_at == (
        at(2025, 3, 6, 10)
    )
    with pytest.raises(ExtensionRefusedError, match="not months"):
        d.extend("1 month", reason=None, at=at(2025, 3, 4), rule=r, calendar=CAL)


def test_hour_deadline_pause_moves_by_the_exact_time() -> None:
    r = rule("48 hours", paused_by={T.HOLD}, resumed_by={T.CONTINUE}, cap=Period.parse("60 hours"))
    d = Deadline.start(r, started_at=at(2025, 3, 3, 10), calendar=CAL)
    short = d.pause(at(2025, 3, 3, 12)).resume(at(2025, 3, 3, 20, 30), rule=r, calendar=CAL)
    assert short.due_at == at(2025, 3, 5, 18, 30)  # 8 h 30 lost
    d = d.pause(at(2025, 3, 3, 12)).resume(at(2025, 3, 4, 8), rule=r, calendar=CAL)
    assert d.due_at == at(2025, 3, 5, 22)  # 20 h lost, held to the cap 60 h after the start
    assert d.cap_at == at(2025, 3, 5, 22)


# ----------------------------------------------------------------------------- recompute


def test_recompute_with_a_new_calendar_moves_the_due_date() -> None:
    d = Deadline.start(rule("5 working days"), started_at=at(2025, 3, 7), calendar=CAL)
    assert d.due_on == date(2025, 3, 14)
    province = VietnamCalendar(
        extra=[CalendarEntry(date(2025, 3, 10), DayKind.LOCAL_DAY_OFF, "Province day")]
    )
    moved = d.recompute(rule=rule("5 working days"), calendar=province)
    assert moved.due_on == date(2025, 3, 17)
    assert moved.start_on == d.start_on
    assert moved.started_at == d.started_at


def test_recompute_keeps_pauses_extensions_and_closing() -> None:
    r = rule(
        "10 working days",
        paused_by={T.HOLD},
        resumed_by={T.CONTINUE},
        extended_by=T.EXTEND,
        extension=ExtensionPolicy(reason_required=False),
    )
    d = Deadline.start(r, started_at=at(2025, 3, 3), calendar=CAL)
    d = d.pause(at(2025, 3, 4)).resume(at(2025, 3, 5), rule=r, calendar=CAL)
    d = d.extend("2 working days", reason=None, at=at(2025, 3, 6), rule=r, calendar=CAL)
    d = d.meet(at(2025, 3, 7))
    again = d.recompute(rule=r, calendar=CAL)
    assert again == d
    # 12 + 2 = 14 working days from Mon 3/3 is Fri 21/3; the paused day moves it to Mon 24/3.
    longer = attrs.evolve(r, period=Period.parse("12 working days"))
    assert d.recompute(rule=longer, calendar=CAL).due_on == date(2025, 3, 24)


def test_deadline_round_trips_through_the_store_converter() -> None:
    r = rule(
        "30 working days",
        start_date_key="postmark_on",
        paused_by={T.HOLD},
        resumed_by={T.CONTINUE},
        extended_by=T.EXTEND,
        extension=ExtensionPolicy(reason_required=False),
    )
    d = Deadline.start(r, started_at=at(2028, 1, 25), start_on=date(2028, 1, 21), calendar=CAL)
    d = d.pause(at(2028, 1, 26)).resume(at(2028, 2, 1), rule=r, calendar=CAL)
    d = d.extend("3 working days", reason="x", at=at(2028, 2, 2), rule=r, calendar=CAL)
    data = converter.unstructure(d)
    back = converter.structure(data, Deadline)
    assert back == d
    assert back.explain().text() == d.explain().text()
    assert back.is_estimated


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(
            lambda d: Deadline.start(rule("1 day"), started_at=datetime(2025, 3, 3), calendar=CAL),
            id="start",
        ),
        pytest.param(lambda d: d.status(datetime(2025, 3, 3)), id="status"),
        pytest.param(lambda d: d.meet(datetime(2025, 3, 4)), id="meet"),
        pytest.param(lambda d: d.pause(datetime(2025, 3, 4)), id="pause"),
    ],
)
def test_naive_datetimes_are_refused(call: object) -> None:
    d = Deadline.start(rule("1 day"), started_at=at(2025, 3, 3), calendar=CAL)
    with pytest.raises(NaiveDatetimeError, match="aware datetime"):
        call(d)  # type: ignore[operator]


def test_start_needs_a_rule() -> None:
    with pytest.raises(InputError, match="expected a DeadlineRule"):
        Deadline.start("window", started_at=at(2025, 3, 3), calendar=CAL)  # type: ignore[arg-type]


def test_explanation_names_the_rule_and_its_citation() -> None:
    r = rule("30 working days", label_en="complaint window", label_vi="thời hạn khiếu nại")
    d = Deadline.start(r, started_at=at(2025, 3, 3), calendar=CAL)
    text = d.explain().text()
    assert "Rule window (complaint window): QĐ 30-QĐ/TW Điều 40, verified." in text
    assert "Quy định window (thời hạn khiếu nại): QĐ 30-QĐ/TW Điều 40, đã kiểm chứng." in (
        d.explain().text("vi")
    )
    assert d.explain().trace[-1].kind is TraceKind.DUE
    assert d.explain().trace[-1].on == d.due_on


def test_end_at_time_of_day_and_hours_are_not_memoised_wrongly() -> None:
    r = rule("1 day", convention=CIVIL_CODE.but(end_at_midnight=False))
    a = Deadline.start(r, started_at=at(2025, 3, 3, 9), calendar=CAL)
    b = Deadline.start(r, started_at=at(2025, 3, 3, 15), calendar=CAL)
    assert a.due_at == at(2025, 3, 4, 9)
    assert b.due_at == at(2025, 3, 4, 15)
    assert b.due_at - a.due_at == timedelta(hours=6)


def test_shared_results_stay_with_their_calendar() -> None:
    # Same rule, same start day, two calendars: the province's day off on 10/3/2025 counts.
    province = VietnamCalendar(
        extra=[CalendarEntry(date(2025, 3, 10), DayKind.LOCAL_DAY_OFF, "Province day")]
    )
    r = rule("5 working days")
    here = Deadline.start(r, started_at=at(2025, 3, 7, 9), calendar=CAL)
    there = Deadline.start(r, started_at=at(2025, 3, 7, 15), calendar=province)
    again = Deadline.start(r, started_at=at(2025, 3, 7, 16), calendar=CAL)
    assert (here.due_on, there.due_on, again.due_on) == (
        date(2025, 3, 14),
        date(2025, 3, 17),
        date(2025, 3, 14),
    )
    assert again.started_at == at(2025, 3, 7, 16)
    assert again.trace is here.trace  # shared, not rebuilt


# ----------------------------------------------------------------------------- periods a decision sets

SET_BY_NOTICE = rule("0 days", period_key="period")


@pytest.mark.parametrize(
    ("period", "due_on"),
    [
        # Civil Code arts. 147-148, by hand, from Mon 15/9/2025 (the day itself not counted):
        pytest.param("60 days", date(2025, 11, 14), id="60 days: 15/9 + 15 + 31 + 14 = Fri 14/11"),
        pytest.param("1 month", date(2025, 10, 15), id="1 month: Wed 15/10"),
        pytest.param("20 working days", date(2025, 10, 13), id="20 working days: Mon 13/10"),
    ],
)
def test_a_rule_with_a_period_key_runs_the_period_its_start_sets(period: str, due_on: date) -> None:
    d = Deadline.start(SET_BY_NOTICE, started_at=at(2025, 9, 15), calendar=CAL, period=period)
    assert (str(d.period), d.due_on) == (period, due_on)
    # Memoised per period: the same rule and day with another period is another deadline.
    other = Deadline.start(SET_BY_NOTICE, started_at=at(2025, 9, 15), calendar=CAL, period="1 week")
    assert other.due_on == date(2025, 9, 22)
    # Without a period the rule's own runs (0 days: the end of the start day).
    plain = Deadline.start(SET_BY_NOTICE, started_at=at(2025, 9, 15), calendar=CAL)
    assert plain.due_on == date(2025, 9, 15)
    # The explanation shows the period it ran, and recomputing keeps it.
    assert f"Period: {period}" in d.explain().text()
    assert d.recompute(rule=SET_BY_NOTICE, calendar=CAL) == d


@pytest.mark.parametrize(
    ("r", "value", "fragment"),
    [
        pytest.param(SET_BY_NOTICE, "0 days", "longer than zero", id="zero"),
        pytest.param(SET_BY_NOTICE, "36 hours", "counted in days", id="hours for days"),
        pytest.param(SET_BY_NOTICE, "soon", "invalid period", id="garbled"),
        pytest.param(SET_BY_NOTICE, 60, "expected text", id="not text"),
        pytest.param(rule("48 hours", period_key="p"), "2 days", "counted in hours", id="days"),
        pytest.param(rule("10 days"), "20 days", "has no period_key", id="fixed rule"),
    ],
)
def test_a_period_a_start_cannot_set_is_refused(
    r: DeadlineRule, value: object, fragment: str
) -> None:
    with pytest.raises(InputError, match=fragment):
        Deadline.start(r, started_at=at(2025, 9, 15), calendar=CAL, period=value)  # type: ignore[arg-type]


def test_a_period_key_must_name_a_key() -> None:
    with pytest.raises(InvalidRuleError, match="period_key must be a non-empty payload key"):
        rule("0 days", period_key="")


def test_a_fire_starts_the_deadline_with_the_period_its_payload_sets() -> None:

    notice = rule("10 days", period_key="period", starts_on_trigger=T.START)
    wf = Workflow(
        name="notice",
        version="1",
        states=S,
        triggers=T,
        initial=S.OPEN,
        terminal={S.CLOSED},
        transitions=[
            Transition(T.START, S.OPEN, S.SUSPENDED),
            Transition(T.FINISH, S.SUSPENDED, S.CLOSED),
        ],
        deadline_rules=[notice],
    )
    cell = Body(BodyKind.PARTY_CELL, "cell-7")
    given = wf.open(Member("m-1"), at=at(2025, 9, 15), actor=cell)
    given.fire(T.START, at=at(2025, 9, 15), actor=cell, payload={"period": "60 days"})
    assert given.deadline("window").due_on == date(2025, 11, 14)  # as above: Fri 14/11/2025
    default = wf.open(Member("m-1"), at=at(2025, 9, 15), actor=cell)
    default.fire(T.START, at=at(2025, 9, 15), actor=cell)
    assert default.deadline("window").due_on == date(2025, 9, 25)  # the rule's 10 days
    bad = wf.open(Member("m-1"), at=at(2025, 9, 15), actor=cell)
    with pytest.raises(InputError, match=r"payload\.period"):
        bad.fire(T.START, at=at(2025, 9, 15), actor=cell, payload={"period": "-3 days"})
    assert (bad.state, len(bad.steps), bad.deadlines) == (S.OPEN, 1, [])  # nothing changed


def test_the_period_label_says_where_the_period_comes_from() -> None:
    assert SET_BY_NOTICE.period_label() == "set by the starting step's 'period'"
    assert SET_BY_NOTICE.period_label("vi") == "theo 'period' của bước bắt đầu"
    ten = rule("10 days", period_key="period")
    assert ten.period_label("vi") == "theo 'period' của bước bắt đầu, nếu không: 10 ngày"
