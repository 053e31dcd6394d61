"""Command-line subcommands of the time package: ``calendar``, ``due`` and ``limitation``.

Each prints text (``--lang en|vi``) or JSON (``--json``), always with the explanation; errors are
raised as our own exceptions and turned into one line and an exit code by ``discipline_flow.cli``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
from typing import Any

from discipline_flow._cli_input import INSTANT_HELP, parse_day, parse_instant
from discipline_flow.cli import EXIT_OK, emit
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.measure import Measure
from discipline_flow.time._dates import format_day
from discipline_flow.time.calendar import default_calendar
from discipline_flow.time.convention import CIVIL_CODE
from discipline_flow.time.due import compute_due
from discipline_flow.time.limitation import (
    Deferral,
    ExemptCategory,
    SubjectKind,
    check_limitation,
)

__all__ = ["register"]


def _day(text: str, argument: str) -> _dt.date:
    return parse_day(text, argument)


def _start(text: str, timezone: str | None) -> _dt.date | _dt.datetime:
    """``due``'s START: a day, or an instant (local time in the timezone without an offset)."""
    if "T" in text or " " in text.strip():
        return parse_instant(text, "START", timezone or DEFAULT_TIMEZONE)
    return parse_day(text, "START")


def register(subparsers: Any) -> None:
    """Add the ``calendar``, ``due`` and ``limitation`` subcommands."""
    calendar = subparsers.add_parser(
        "calendar",
        help="whether a date is a working day in Viet Nam, and why",
        description="Whether DATE is a working day of Vietnamese state and party bodies, and why.",
    )
    calendar.add_argument("date", metavar="DATE", help="the day, as YYYY-MM-DD")
    calendar.add_argument("--lang", choices=("en", "vi"), default="en")
    calendar.add_argument("--json", action="store_true", help="print JSON")
    calendar.set_defaults(func=_calendar)

    due = subparsers.add_parser(
        "due",
        help="the due date of a period, with its explanation",
        description=(
            "The last day of PERIOD counted from START by the Civil Code 2015 rules "
            "(arts. 147-148): the start day is not counted, months are counted from the start "
            "date, and a last day that is not a working day rolls forward."
        ),
    )
    due.add_argument("start", metavar="START", help=f"when the period starts: {INSTANT_HELP}")
    due.add_argument(
        "period", metavar="PERIOD", help="like '30 working days', '90 days', '1 month', '5 years'"
    )
    due.add_argument(
        "--no-roll",
        action="store_true",
        help="do not move a last day that is not a working day to the next working day",
    )
    due.add_argument("--timezone", default=None, help="IANA timezone (default Asia/Ho_Chi_Minh)")
    due.add_argument("--lang", choices=("en", "vi"), default="en")
    due.add_argument("--json", action="store_true", help="print JSON")
    due.set_defaults(func=_due)

    limitation = subparsers.add_parser(
        "limitation",
        help="whether a violation is time-barred (QĐ 69-QĐ/TW art. 4)",
        description=(
            "Whether a violation is time-barred on a date: 5 years for reprimand-level, 10 "
            "years for warning-level (and removal-level for members), none for "
            "expulsion/dissolution-level and the exempt categories."
        ),
    )
    limitation.add_argument(
        "--level",
        required=True,
        choices=[*(m.value for m in Measure), "removal"],
        help="the measure the violation calls for ('removal' is read as removal_from_post)",
    )
    limitation.add_argument("--subject", required=True, choices=[s.value for s in SubjectKind])
    limitation.add_argument("--violation-on", required=True, metavar="D")
    limitation.add_argument(
        "--ended-on", metavar="D", help="end of a continuing violation (counted from it)"
    )
    limitation.add_argument(
        "--new-violation-on",
        action="append",
        default=[],
        metavar="D",
        help="a later violation (restarts the period if within it); repeatable",
    )
    limitation.add_argument(
        "--deferral",
        action="append",
        nargs=2,
        default=[],
        metavar=("FROM", "TO"),
        help="a span when discipline could not be considered (not counted); repeatable",
    )
    limitation.add_argument("--category", choices=[c.value for c in ExemptCategory])
    limitation.add_argument(
        "--on", required=True, metavar="D", help="the day of the competent body's conclusion"
    )
    limitation.add_argument("--lang", choices=("en", "vi"), default="en")
    limitation.add_argument("--json", action="store_true", help="print JSON")
    limitation.set_defaults(func=_limitation)


def _calendar(args: argparse.Namespace) -> int:
    day = _day(args.date, "DATE")
    cal = default_calendar()
    working = cal.is_working_day(day)
    reasons = cal.why(day)
    estimated = cal.is_estimated(day)
    lang = args.lang
    if lang == "vi":
        verdict = "là ngày làm việc" if working else "không phải ngày làm việc"
        head = f"{format_day(day, lang)} {verdict} (lịch chính thức cập nhật {cal.as_of})."
        note = (
            f"Ước tính: chưa có lịch nghỉ chính thức của năm {day.year}; kết quả tính theo "
            f"quy định chung và có thể thay đổi."
        )
    else:
        verdict = "is a working day" if working else "is not a working day"
        head = f"{format_day(day, lang)} {verdict} (official table as of {cal.as_of})."
        note = (
            f"Estimated: there is no official schedule of days off for {day.year}; this is "
            f"computed from the statutory rules and may change."
        )
    lines = [head, *(f"- {r.label(lang)}" for r in reasons)]
    if estimated:
        lines.append(note)
    text = "\n".join(lines)
    data = {
        "date": day.isoformat(),
        "is_working_day": working,
        "is_estimated": estimated,
        "calendar_as_of": cal.as_of,
        "reasons": [
            {
                "kind": r.kind.value,
                "name_en": r.name_en,
                "name_vi": r.name_vi,
                "citation": str(r.citation) if r.citation else None,
                "is_estimated": r.is_estimated,
            }
            for r in reasons
        ],
        "text": text,
    }
    emit(data, as_json=args.json, text=text)
    return EXIT_OK


def _due(args: argparse.Namespace) -> int:
    convention = CIVIL_CODE.but(roll_forward=not args.no_roll)
    kwargs: dict[str, Any] = {"convention": convention}
    if args.timezone is not None:
        kwargs["timezone"] = args.timezone
    due = compute_due(_start(args.start, args.timezone), args.period, **kwargs)
    lang = args.lang
    explanation = due.explanation
    if lang == "vi":
        head = f"Hạn: {format_day(due.due_on, lang)} (trước {due.due_at.isoformat()})."
    else:
        head = f"Due on {format_day(due.due_on, lang)} (ends before {due.due_at.isoformat()})."
    text = f"{head}\n{explanation.text(lang)}"
    data = {
        "start_on": due.start_on.isoformat(),
        "period": str(due.period),
        "due_on": due.due_on.isoformat(),
        "due_at": due.due_at.isoformat(),
        "is_estimated": due.is_estimated,
        "roll_forward": convention.roll_forward,
        "explanation": explanation.to_data(lang),
        "text": text,
    }
    emit(data, as_json=args.json, text=text)
    return EXIT_OK


def _limitation(args: argparse.Namespace) -> int:
    deferrals = [
        Deferral(_day(a, "--deferral FROM"), _day(b, "--deferral TO")) for a, b in args.deferral
    ]
    result = check_limitation(
        args.level,
        args.subject,
        violation_on=_day(args.violation_on, "--violation-on"),
        violation_ended_on=_day(args.ended_on, "--ended-on") if args.ended_on else None,
        new_violations_on=[_day(d, "--new-violation-on") for d in args.new_violation_on],
        deferrals=deferrals,
        category=args.category,
        on=_day(args.on, "--on"),
    )
    lang = args.lang
    explanation = result.explain()
    expires = result.expires_on.isoformat() if result.expires_on else None
    if lang == "vi":
        head = (
            f"Hết thời hiệu: {'có' if result.time_barred else 'không'}; "
            f"thời hiệu kết thúc: {expires or 'không có thời hiệu'}."
        )
    else:
        head = (
            f"Time-barred: {'yes' if result.time_barred else 'no'}; "
            f"expires on: {expires or 'never (no limitation period)'}.\n"
            f"Reason: {result.reason}."
        )
    text = f"{head}\n{explanation.text(lang)}"
    data = {
        "time_barred": result.time_barred,
        "expires_on": expires,
        "reason": result.reason,
        "citation": str(result.citation),
        "explanation": explanation.to_data(lang),
        "text": text,
    }
    emit(data, as_json=args.json, text=text)
    return EXIT_OK
