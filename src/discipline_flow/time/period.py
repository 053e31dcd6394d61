"""Periods: an amount and an explicit unit.

>>> from discipline_flow.time import Period, Unit
>>> Period.parse("30 working days")
Period(amount=30, unit=<Unit.WORKING_DAYS: 'working_days'>)
>>> str(Period(1, Unit.MONTHS))
'1 month'
"""

from __future__ import annotations

import enum
import functools
import re

import attrs

from discipline_flow.errors import InvalidPeriodError

__all__ = ["Period", "Unit"]


class Unit(enum.Enum):
    """The unit of a period. Calendar days and working days are never mixed silently."""

    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


_SINGULAR = {
    Unit.HOURS: "hour",
    Unit.CALENDAR_DAYS: "day",
    Unit.WORKING_DAYS: "working day",
    Unit.WEEKS: "week",
    Unit.MONTHS: "month",
    Unit.YEARS: "year",
}
_PLURAL = {
    Unit.HOURS: "hours",
    Unit.CALENDAR_DAYS: "days",
    Unit.WORKING_DAYS: "working days",
    Unit.WEEKS: "weeks",
    Unit.MONTHS: "months",
    Unit.YEARS: "years",
}
_VI = {
    Unit.HOURS: "giờ",
    Unit.CALENDAR_DAYS: "ngày",
    Unit.WORKING_DAYS: "ngày làm việc",
    Unit.WEEKS: "tuần",
    Unit.MONTHS: "tháng",
    Unit.YEARS: "năm",
}
_ALIASES: dict[str, Unit] = {
    "h": Unit.HOURS,
    "hour": Unit.HOURS,
    "hours": Unit.HOURS,
    "d": Unit.CALENDAR_DAYS,
    "day": Unit.CALENDAR_DAYS,
    "days": Unit.CALENDAR_DAYS,
    "calendar day": Unit.CALENDAR_DAYS,
    "calendar days": Unit.CALENDAR_DAYS,
    "calendar_days": Unit.CALENDAR_DAYS,
    "wd": Unit.WORKING_DAYS,
    "working day": Unit.WORKING_DAYS,
    "working days": Unit.WORKING_DAYS,
    "working_days": Unit.WORKING_DAYS,
    "business day": Unit.WORKING_DAYS,
    "business days": Unit.WORKING_DAYS,
    "w": Unit.WEEKS,
    "week": Unit.WEEKS,
    "weeks": Unit.WEEKS,
    "m": Unit.MONTHS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
    "y": Unit.YEARS,
    "year": Unit.YEARS,
    "years": Unit.YEARS,
}
_PATTERN = re.compile(r"^\s*([+-]?\d+)\s*([a-z_ ]+?)\s*$")


def _amount(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPeriodError(repr(value), "the amount must be a whole number")
    return value


def _unit(value: object) -> Unit:
    if isinstance(value, Unit):
        return value
    if isinstance(value, str) and value.strip().lower() in _ALIASES:
        return _ALIASES[value.strip().lower()]
    allowed = ", ".join(u.value for u in Unit)
    raise InvalidPeriodError(repr(value), f"unknown unit; units: {allowed}")


@attrs.frozen
class Period:
    """A length of time with an explicit unit, such as 30 working days or 1 month.

    The amount may be negative (counting backwards) where a caller allows it; deadline rules
    refuse negative periods.
    """

    amount: int = attrs.field(converter=_amount)
    unit: Unit = attrs.field(converter=_unit)

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Read ``"30 working days"``, ``"90 days"``, ``"1 month"``, ``"5 years"``, ``"36 hours"``.

        A :class:`Period` is returned as it is.

        >>> Period.parse("5 years").unit
        <Unit.YEARS: 'years'>
        >>> Period.parse("thirty days")
        Traceback (most recent call last):
        ...
        discipline_flow.errors.InvalidPeriodError: invalid period 'thirty days': expected a whole number and a unit, like '30 working days'; units: hours, days, working days, weeks, months, years
        """
        if isinstance(text, Period):
            return text
        if type(text) is str and cls is Period:
            return _parse(text)  # a fire's extension repeats the same few texts
        if not isinstance(text, str):
            raise InvalidPeriodError(repr(text), "expected text like '30 working days'")
        amount, unit = _amount_and_unit(text)
        return cls(amount, unit)

    def __str__(self) -> str:
        word = _SINGULAR[self.unit] if abs(self.amount) == 1 else _PLURAL[self.unit]
        return f"{self.amount} {word}"

    def label(self, lang: str = "en") -> str:
        """The period in words, in English (``en``) or Vietnamese (``vi``).

        >>> Period.parse("30 working days").label("vi")
        '30 ngày làm việc'
        """
        if lang == "vi":
            return f"{self.amount} {_VI[self.unit]}"
        return str(self)

    def __neg__(self) -> Period:
        return Period(-self.amount, self.unit)

    def __add__(self, other: Period) -> Period:
        if not isinstance(other, Period):
            return NotImplemented
        if other.unit is not self.unit:
            raise InvalidPeriodError(
                f"{self} + {other}", "periods of different units cannot be added"
            )
        return Period(self.amount + other.amount, self.unit)


def _amount_and_unit(text: str) -> tuple[int, Unit]:
    match = _PATTERN.match(text.lower())
    if match is None or match.group(2).strip() not in _ALIASES:
        raise InvalidPeriodError(
            text,
            "expected a whole number and a unit, like '30 working days'; "
            "units: hours, days, working days, weeks, months, years",
        )
    return int(match.group(1)), _ALIASES[match.group(2).strip()]


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> Period:
    """The period ``text`` says (a pure function of the text: periods are values)."""
    return Period(*_amount_and_unit(text))
