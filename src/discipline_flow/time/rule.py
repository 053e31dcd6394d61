"""Deadline rules: when a deadline starts, how long it runs, what ends it, and its legal basis.

A :class:`DeadlineRule` is part of a workflow definition and is validated when built
(:class:`~discipline_flow.errors.InvalidRuleError`); the :class:`~discipline_flow.time.Deadline`
values it starts are computed from it.

>>> import enum
>>> from discipline_flow.time import DeadlineRule, ExtensionPolicy, Period
>>> class T(enum.Enum):
...     RECEIVE = "receive"
...     EXTEND = "extend"
>>> rule = DeadlineRule("resolve_denunciation", Period.parse("90 working days"),
...                     starts_on_trigger=T.RECEIVE, extended_by=T.EXTEND,
...                     extension=ExtensionPolicy(max_total=Period.parse("30 working days")))
>>> rule.citation.status.value  # no citation given: shown as an assumption
'assumed'
>>> DeadlineRule("bad", Period.parse("-5 days"), starts_on_trigger=T.RECEIVE)
Traceback (most recent call last):
...
discipline_flow.errors.InvalidRuleError: rule 'bad': period -5 days is negative; a deadline rule needs zero or more
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, cast

import attrs

from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError, InvalidPeriodError, InvalidRuleError
from discipline_flow.time.convention import CIVIL_CODE, CountingConvention
from discipline_flow.time.period import Period, Unit

__all__ = ["NO_CITATION", "THREE_WORKING_DAYS", "DeadlineRule", "ExtensionPolicy"]


def _period_of(value: object, rule: str, what: str) -> Period:
    try:
        period = Period.parse(value)  # type: ignore[arg-type]
    except InvalidPeriodError as exc:
        raise InvalidRuleError(rule, f"{what}: {exc}") from exc
    if period.amount < 0:
        raise InvalidRuleError(
            rule, f"{what} {period} is negative; a deadline rule needs zero or more"
        )
    return period


def _max_total(value: Period | str | None) -> Period | None:
    return None if value is None else _period_of(value, "extension policy", "max_total")


@attrs.frozen
class ExtensionPolicy:
    """How a deadline may be extended: how many times, by how much in total, with a reason."""

    max_count: int = 1
    max_total: Period | None = attrs.field(default=None, converter=_max_total)
    reason_required: bool = True

    def __attrs_post_init__(self) -> None:
        if isinstance(self.max_count, bool) or not isinstance(self.max_count, int):
            raise InvalidRuleError("extension policy", "max_count must be a whole number")
        if self.max_count < 0:
            raise InvalidRuleError("extension policy", "max_count must be zero or more")
        if not isinstance(self.reason_required, bool):
            raise InvalidRuleError("extension policy", "reason_required must be True or False")


def _members(values: Iterable[enum.Enum]) -> frozenset[enum.Enum]:
    return frozenset(values)


def _rule_name(value: str) -> str:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InvalidRuleError(str(value), "a rule needs a name without outer spaces")
    return value


def _rule_period(
    value: Period | str | None, rule: attrs.AttrsInstance, field: attrs.Attribute[Any]
) -> Period | None:
    """A period argument of a rule (``period``, ``cap``, ``due_soon``), read and checked.

    It takes the rule being built to name it in the error: its ``name``, the first field, is
    set and checked before any period."""
    if value is None and field.name == "cap":  # the one period a rule may go without
        return None
    return _period_of(value, cast("DeadlineRule", rule).name, field.name)


# mypy's attrs plugin does not know attrs.Converter: the fields using it say so where they are.
_RULE_PERIOD = attrs.Converter(_rule_period, takes_self=True, takes_field=True)


#: The default *due soon* window of a rule.
THREE_WORKING_DAYS = Period(3, Unit.WORKING_DAYS)

#: The citation of a rule built without one: visible in every explanation as an assumption.
NO_CITATION = Citation("(no legal basis given)", None, RuleStatus.ASSUMED)


@attrs.frozen(cache_hash=True)
class DeadlineRule:
    """When a deadline starts, how long it runs and what ends it, with its legal basis.

    Exactly one of ``starts_on_enter`` (a state) and ``starts_on_trigger`` (a trigger) starts
    the deadline. ``start_date_key`` names the payload key of the starting step that carries the
    legal start date (for example the postmark); without it the step's instant is used.
    ``met_by`` and ``cancelled_by`` hold states entered or triggers fired; ``paused_by`` and
    ``resumed_by`` triggers. ``extended_by`` is the trigger whose payload carries ``extend_by``
    and ``reason``; it needs an ``extension`` policy. ``cap`` is an absolute limit from the start
    that keeps running through pauses. ``period_key`` names the payload key of the starting step
    that sets this deadline's period when a decision, not a regulation, fixes it (a conclusion
    notice's "remedy within 60 days"); ``period`` applies when the step does not carry it. The
    rule is validated when built (:class:`~discipline_flow.errors.InvalidRuleError`).
    """

    name: str = attrs.field(converter=_rule_name)
    period: Period = attrs.field(converter=_RULE_PERIOD)  # type: ignore[misc]
    starts_on_enter: enum.Enum | None = None
    starts_on_trigger: enum.Enum | None = None
    start_date_key: str | None = None
    met_by: frozenset[enum.Enum] = attrs.field(default=frozenset(), converter=_members)
    cancelled_by: frozenset[enum.Enum] = attrs.field(default=frozenset(), converter=_members)
    paused_by: frozenset[enum.Enum] = attrs.field(default=frozenset(), converter=_members)
    resumed_by: frozenset[enum.Enum] = attrs.field(default=frozenset(), converter=_members)
    extended_by: enum.Enum | None = None
    on_miss: enum.Enum | None = None
    convention: CountingConvention = CIVIL_CODE
    extension: ExtensionPolicy | None = None
    cap: Period | None = attrs.field(default=None, converter=_RULE_PERIOD)  # type: ignore[misc]
    due_soon: Period = attrs.field(default=THREE_WORKING_DAYS, converter=_RULE_PERIOD)  # type: ignore[misc]
    citation: Citation = attrs.field(default=NO_CITATION, kw_only=True)
    label_en: str = attrs.field(default="", kw_only=True)
    label_vi: str = attrs.field(default="", kw_only=True)
    period_key: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        name = self.name
        if (self.starts_on_enter is None) == (self.starts_on_trigger is None):
            raise InvalidRuleError(
                name,
                "a rule starts either on entering a state (starts_on_enter) or on a trigger "
                "(starts_on_trigger); give exactly one",
            )
        for field in ("starts_on_enter", "starts_on_trigger", "extended_by", "on_miss"):
            value = getattr(self, field)
            if value is not None and not isinstance(value, enum.Enum):
                raise InvalidRuleError(name, f"{field} must be an enum member, got {value!r}")
        for field in ("met_by", "cancelled_by", "paused_by", "resumed_by"):
            for value in getattr(self, field):
                if not isinstance(value, enum.Enum):
                    raise InvalidRuleError(name, f"{field} must hold enum members, got {value!r}")
        both = self.met_by & self.cancelled_by
        if both:
            raise InvalidRuleError(name, f"{_names(both)} both meet and cancel the deadline")
        if bool(self.paused_by) != bool(self.resumed_by):
            raise InvalidRuleError(
                name, "paused_by and resumed_by go together: a pause needs a way to resume"
            )
        both = self.paused_by & self.resumed_by
        if both:
            raise InvalidRuleError(name, f"{_names(both)} both pause and resume the deadline")
        if self.start_date_key is not None and (
            not isinstance(self.start_date_key, str) or not self.start_date_key
        ):
            raise InvalidRuleError(name, "start_date_key must be a non-empty payload key")
        if self.start_date_key is not None and self.period.unit is Unit.HOURS:
            raise InvalidRuleError(
                name, "an hour period runs from the step's instant; start_date_key needs days"
            )
        if self.period_key is not None and (
            not isinstance(self.period_key, str) or not self.period_key
        ):
            raise InvalidRuleError(name, "period_key must be a non-empty payload key")
        if self.extension is not None and not isinstance(self.extension, ExtensionPolicy):
            raise InvalidRuleError(name, "extension must be an ExtensionPolicy or None")
        if self.extended_by is not None and self.extension is None:
            raise InvalidRuleError(
                name, "extended_by needs an extension policy (extension=ExtensionPolicy(...))"
            )
        cap = self.cap
        if cap is not None:
            if (cap.unit is Unit.HOURS) != (self.period.unit is Unit.HOURS):
                raise InvalidRuleError(
                    name, "the cap must be in hours exactly when the period is in hours"
                )
            if cap.unit is self.period.unit and cap.amount < self.period.amount:
                raise InvalidRuleError(
                    name, f"the cap {cap} is shorter than the period {self.period}"
                )
        if not isinstance(self.convention, CountingConvention):
            raise InvalidRuleError(name, "convention must be a CountingConvention")
        if not isinstance(self.citation, Citation):
            raise InvalidRuleError(name, "citation must be a Citation (document, article, status)")

    def period_label(self, lang: str = "en") -> str:
        """The period in words for tables and diagrams, in English (``en``) or Vietnamese
        (``vi``); for a rule with a ``period_key``, where the period comes from.

        >>> import enum
        >>> class T(enum.Enum):
        ...     NOTIFY = "notify"
        >>> fixed = DeadlineRule("reply", Period.parse("10 working days"), starts_on_trigger=T.NOTIFY)
        >>> fixed.period_label(), fixed.period_label("vi")
        ('10 working days', '10 ngày làm việc')
        >>> set_by = DeadlineRule("remedy", Period.parse("30 days"), starts_on_trigger=T.NOTIFY,
        ...                       period_key="period")
        >>> set_by.period_label()
        "set by the starting step's 'period', else 30 days"
        """
        base = self.period.label(lang)
        if self.period_key is None:
            return base
        if lang == "vi":
            text = f"theo '{self.period_key}' của bước bắt đầu"
            return text if self.period.amount == 0 else f"{text}, nếu không: {base}"
        text = f"set by the starting step's '{self.period_key}'"
        return text if self.period.amount == 0 else f"{text}, else {base}"

    def own_period(self, value: object) -> Period:
        """The period a starting step's ``period_key`` value sets, checked against this rule:
        a positive period, in hours exactly when the rule's period is.

        >>> import enum
        >>> class T(enum.Enum):
        ...     NOTIFY = "notify"
        >>> rule = DeadlineRule("remedy", Period.parse("0 days"), starts_on_trigger=T.NOTIFY,
        ...                     period_key="period")
        >>> rule.own_period("3 months")
        Period(amount=3, unit=<Unit.MONTHS: 'months'>)
        """
        where = f"payload.{self.period_key or 'period'}"
        try:
            period = Period.parse(value)  # type: ignore[arg-type]  # refused below if not text
        except InvalidPeriodError as exc:
            raise InputError(where, str(exc)) from None
        if period.amount <= 0:
            raise InputError(where, f"{self.name} needs a period longer than zero, got {period}")
        if (period.unit is Unit.HOURS) != (self.period.unit is Unit.HOURS):
            kind = (
                "in hours" if self.period.unit is Unit.HOURS else "in days, weeks, months or years"
            )
            raise InputError(where, f"{self.name} is counted {kind}, got {period}")
        return period


def _names(members: Iterable[enum.Enum]) -> str:
    return ", ".join(sorted(m.name for m in members))
