"""Limitation periods (QĐ 69-QĐ/TW art. 4) and the end of a decision's effect (art. 2 cl. 5).

Each row is worked by hand: the violation day is not counted (Civil Code art. 147 by analogy),
years are added from the start and clamped (art. 148(4)), no roll-forward for a limitation bar.
"""

from __future__ import annotations

from datetime import date

import pytest

from discipline_flow.errors import DisciplineFlowError, InputError
from discipline_flow.rules import Measure
from discipline_flow.time import (
    CIVIL_CODE,
    Deferral,
    ExemptCategory,
    LimitationPeriods,
    Period,
    SubjectKind,
    TraceKind,
    check_limitation,
    effect_ends_on,
)

# (level, subject, violation, ended, new violations, deferrals, on, expires, barred)
LIMITATION_ROWS = [
    pytest.param(
        "reprimand",
        "member",
        date(2019, 6, 1),
        None,
        [],
        [],
        date(2024, 6, 1),
        date(2024, 6, 1),
        False,
        id="art4 5y member, last day",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2019, 6, 1),
        None,
        [],
        [],
        date(2024, 6, 2),
        date(2024, 6, 1),
        True,
        id="art4 5y member, day after",
    ),
    pytest.param(
        "reprimand",
        "organisation",
        date(2019, 6, 1),
        None,
        [],
        [],
        date(2024, 6, 2),
        date(2024, 6, 1),
        True,
        id="art4 5y organisation",
    ),
    pytest.param(
        "warning",
        "member",
        date(2015, 3, 10),
        None,
        [],
        [],
        date(2025, 3, 10),
        date(2025, 3, 10),
        False,
        id="art4 10y warning member",
    ),
    pytest.param(
        "warning",
        "member",
        date(2015, 3, 10),
        None,
        [],
        [],
        date(2025, 3, 11),
        date(2025, 3, 10),
        True,
        id="art4 10y warning member barred",
    ),
    pytest.param(
        "warning",
        "organisation",
        date(2014, 9, 2),
        None,
        [],
        [],
        date(2024, 9, 2),
        date(2024, 9, 2),
        False,
        id="art4 10y warning organisation",
    ),
    pytest.param(
        "removal",
        "member",
        date(2014, 7, 1),
        None,
        [],
        [],
        date(2024, 7, 2),
        date(2024, 7, 1),
        True,
        id="art4 10y removal member",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2020, 2, 29),
        None,
        [],
        [],
        date(2025, 2, 28),
        date(2025, 2, 28),
        False,
        id="29/2 + 5y clamps to 28/2",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2016, 1, 1),
        date(2019, 12, 31),
        [],
        [],
        date(2024, 12, 31),
        date(2024, 12, 31),
        False,
        id="continuing: from its end",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2016, 1, 1),
        date(2019, 12, 31),
        [],
        [],
        date(2025, 1, 1),
        date(2024, 12, 31),
        True,
        id="continuing: barred after",
    ),
    pytest.param(
        "reprimand",
        "organisation",
        date(2018, 6, 1),
        None,
        [date(2022, 1, 15)],
        [],
        date(2024, 6, 1),
        date(2027, 1, 15),
        False,
        id="restart by a new violation",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2015, 1, 1),
        None,
        [date(2021, 5, 5)],
        [],
        date(2021, 6, 1),
        date(2020, 1, 1),
        True,
        id="new violation too late: no restart",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2010, 1, 1),
        None,
        [date(2014, 12, 31), date(2019, 12, 31)],
        [],
        date(2024, 12, 31),
        date(2024, 12, 31),
        False,
        id="two restarts in a row",
    ),
    pytest.param(
        "warning",
        "member",
        date(2015, 3, 10),
        None,
        [date(2030, 1, 1)],
        [],
        date(2025, 3, 11),
        date(2025, 3, 10),
        True,
        id="later violation unknown on D",
    ),
    pytest.param(
        "warning",
        "member",
        date(2015, 3, 10),
        None,
        [],
        [Deferral(date(2020, 1, 1), date(2020, 3, 31), "maternity leave")],
        date(2025, 6, 9),
        date(2025, 6, 9),
        False,
        id="deferral of 91 days not counted",
    ),
    pytest.param(
        "warning",
        "member",
        date(2015, 3, 10),
        None,
        [],
        [Deferral(date(2020, 1, 1), date(2020, 3, 31))],
        date(2025, 6, 10),
        date(2025, 6, 9),
        True,
        id="deferral: barred the day after",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2015, 1, 1),
        None,
        [],
        [Deferral(date(2021, 1, 1), date(2021, 2, 1))],
        date(2021, 3, 1),
        date(2020, 1, 1),
        True,
        id="deferral after expiry: no effect",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2015, 1, 1),
        None,
        [],
        [Deferral(date(2014, 12, 1), date(2015, 1, 10))],
        date(2020, 1, 10),
        date(2020, 1, 10),
        False,
        id="deferral from before: 9 days count",
    ),
    pytest.param(
        "reprimand",
        "member",
        date(2015, 6, 1),
        None,
        [],
        [
            Deferral(date(2016, 1, 1), date(2016, 1, 31)),
            Deferral(date(2016, 1, 15), date(2016, 2, 10)),
        ],
        date(2020, 7, 12),
        date(2020, 7, 12),
        False,
        id="overlapping deferrals merged: 41 days",
    ),
]


@pytest.mark.parametrize(
    ("level", "subject", "violation", "ended", "news", "deferrals", "on", "expires", "barred"),
    LIMITATION_ROWS,
)
def test_limitation(
    level: str,
    subject: str,
    violation: date,
    ended: date | None,
    news: list[date],
    deferrals: list[Deferral],
    on: date,
    expires: date,
    barred: bool,
) -> None:
    result = check_limitation(
        level,
        subject,
        violation_on=violation,
        violation_ended_on=ended,
        new_violations_on=news,
        deferrals=deferrals,
        on=on,
    )
    assert result.expires_on == expires
    assert result.time_barred is barred
    assert result.citation.reference == "QĐ 69-QĐ/TW Điều 4"
    assert ("not time-barred" in result.reason) is not barred


@pytest.mark.parametrize(
    ("level", "subject", "category", "why"),
    [
        pytest.param(
            Measure.EXPULSION,
            SubjectKind.MEMBER,
            None,
            "warranting expulsion",
            id="expulsion art4 cl2",
        ),
        pytest.param(
            Measure.DISSOLUTION,
            SubjectKind.ORGANISATION,
            None,
            "warranting dissolution",
            id="dissolution art4 cl2",
        ),
        pytest.param(
            "reprimand",
            "member",
            ExemptCategory.INTERNAL_POLITICS,
            "internal politics",
            id="internal politics",
        ),
        pytest.param(
            "warning",
            "organisation",
            "defence_security_foreign_affairs",
            "defence security",
            id="defence",
        ),
        pytest.param(
            "reprimand",
            "member",
            "illegal_diplomas",
            "illegal diplomas",
            id="illegal diplomas (members)",
        ),
    ],
)
def test_no_limitation(level: object, subject: object, category: object, why: str) -> None:
    result = check_limitation(
        level,  # type: ignore[arg-type]
        subject,  # type: ignore[arg-type]
        violation_on=date(1990, 1, 1),
        on=date(2025, 1, 1),
        category=category,  # type: ignore[arg-type]
    )
    assert result.expires_on is None
    assert not result.time_barred
    assert why in result.reason
    assert any(i.kind is TraceKind.NO_LIMITATION for i in result.trace)


def test_explanation_of_a_restart_and_a_deferral() -> None:
    result = check_limitation(
        "warning",
        "member",
        violation_on=date(2015, 3, 10),
        new_violations_on=[date(2020, 1, 1)],
        deferrals=[Deferral(date(2021, 1, 1), date(2021, 6, 30), "serious illness")],
        on=date(2030, 1, 1),
    )
    # 1/1/2020 + 10 years = 1/1/2030, plus 181 deferred days (1/1-30/6/2021) = 1/7/2030.
    assert result.expires_on == date(2030, 7, 1)
    kinds = [i.kind for i in result.trace]
    assert kinds == [
        TraceKind.LIMITATION_RULE,
        TraceKind.VIOLATION,
        TraceKind.RESTART,
        TraceKind.DEFERRAL,
        TraceKind.EXPIRES,
        TraceKind.NOT_TIME_BARRED,
    ]
    text = result.explain().text()
    assert "the period runs again from it" in text
    assert "181 days not counted" in text
    assert "(serious illness)" in text
    vi = result.explain().text("vi")
    assert "thời hiệu tính lại" in vi
    assert "cảnh cáo" in vi


def test_periods_can_be_overridden() -> None:
    # 60 months is the same as 5 years (both written in QĐ 69 art. 4).
    months = LimitationPeriods(reprimand=Period.parse("60 months"))
    a = check_limitation(
        "reprimand", "member", violation_on=date(2019, 8, 31), on=date(2024, 9, 1), periods=months
    )
    b = check_limitation("reprimand", "member", violation_on=date(2019, 8, 31), on=date(2024, 9, 1))
    assert a.expires_on == b.expires_on == date(2024, 8, 31)
    short = LimitationPeriods(reprimand=Period.parse("2 years"))
    assert check_limitation(
        "reprimand", "member", violation_on=date(2019, 8, 31), on=date(2022, 1, 1), periods=short
    ).time_barred


def test_roll_forward_can_be_asked_for() -> None:
    # 5 years from 30/4/2021 end on Thu 30/4/2026, a holiday; rolled forward: Mon 4/5/2026.
    result = check_limitation(
        "reprimand",
        "member",
        violation_on=date(2021, 4, 30),
        on=date(2026, 5, 4),
        convention=CIVIL_CODE,
    )
    assert result.expires_on == date(2026, 5, 4)
    assert not result.time_barred


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param(
            {"level": "dissolution", "subject": "member"},
            "does not apply to a member",
            id="member dissolution",
        ),
        pytest.param(
            {"level": "removal", "subject": "organisation"},
            "does not apply to an organisation",
            id="org removal",
        ),
        pytest.param(
            {"level": "expulsion", "subject": "organisation"}, "does not apply", id="org expulsion"
        ),
        pytest.param({"level": "censure"}, "is not one of", id="unknown level"),
        pytest.param({"subject": "cell"}, "is not one of", id="unknown subject"),
        pytest.param(
            {"subject": "organisation", "category": "illegal_diplomas"},
            "members only",
            id="org diplomas",
        ),
        pytest.param({"category": "treason"}, "is not one of", id="unknown category"),
        pytest.param({"on": date(2014, 1, 1)}, "before the violation", id="on before"),
        pytest.param(
            {"violation_ended_on": date(2014, 1, 1)}, "cannot end before", id="ended before"
        ),
        pytest.param(
            {"new_violations_on": [date(2014, 1, 1)]}, "before the violation", id="new before"
        ),
        pytest.param({"violation_on": "2015-01-01"}, "expected a date", id="text date"),
    ],
)
def test_bad_limitation_input(kwargs: dict[str, object], fragment: str) -> None:
    options: dict[str, object] = {
        "level": "reprimand",
        "subject": "member",
        "violation_on": date(2015, 1, 1),
        "on": date(2020, 1, 1),
    }
    options.update(kwargs)
    level = options.pop("level")
    subject = options.pop("subject")
    with pytest.raises(InputError, match=fragment) as info:
        check_limitation(level, subject, **options)  # type: ignore[arg-type]
    assert isinstance(info.value, DisciplineFlowError)


def test_bad_deferrals_and_periods() -> None:
    with pytest.raises(InputError, match="ends 2020-01-01 before it starts 2020-02-01"):
        Deferral(date(2020, 2, 1), date(2020, 1, 1))
    with pytest.raises(InputError, match="days, weeks, months or years"):
        LimitationPeriods(warning=Period.parse("3650 working days"))


# ----------------------------------------------------------------------------- end of effect

# (measure, announced, complaint filed, complaint ruling, new violation, ends_on)
EFFECT_ROWS = [
    pytest.param(
        "warning", date(2025, 3, 15), None, None, None, date(2026, 3, 15), id="art2 cl5: 12 months"
    ),
    pytest.param(
        "reprimand",
        date(2024, 2, 29),
        None,
        None,
        None,
        date(2025, 2, 28),
        id="29/2 + 12 months clamps",
    ),
    pytest.param(
        "removal", date(2025, 1, 31), None, None, None, date(2026, 1, 31), id="removal from post"
    ),
    pytest.param(
        "reprimand",
        date(2025, 3, 15),
        date(2025, 4, 1),
        date(2025, 8, 31),
        None,
        date(2026, 8, 31),
        id="from the complaint ruling",
    ),
    pytest.param(
        "reprimand",
        date(2025, 3, 15),
        date(2025, 4, 1),
        None,
        None,
        None,
        id="complaint pending: no end yet",
    ),
    pytest.param(
        "warning",
        date(2025, 3, 15),
        None,
        None,
        date(2026, 3, 15),
        None,
        id="new violation on the last day",
    ),
    pytest.param(
        "warning",
        date(2025, 3, 15),
        None,
        None,
        date(2026, 3, 16),
        date(2026, 3, 15),
        id="new violation after the end",
    ),
    pytest.param("expulsion", date(2025, 3, 15), None, None, None, None, id="expulsion never ends"),
    pytest.param(
        "dissolution", date(2025, 3, 15), None, None, None, None, id="dissolution never ends"
    ),
]


@pytest.mark.parametrize(("measure", "announced", "filed", "ruling", "new", "ends_on"), EFFECT_ROWS)
def test_effect_ends_on(
    measure: str,
    announced: date,
    filed: date | None,
    ruling: date | None,
    new: date | None,
    ends_on: date | None,
) -> None:
    result = effect_ends_on(
        measure,
        announced_on=announced,
        complaint_filed_on=filed,
        complaint_ruling_on=ruling,
        new_violation_on=new,
    )
    assert result.ends_on == ends_on
    assert result.citation.reference == "QĐ 69-QĐ/TW Điều 2 khoản 5"
    assert result.reason
    assert result.explain().text("vi")


def test_in_effect_until_the_end_of_the_last_day() -> None:
    result = effect_ends_on("warning", announced_on=date(2025, 3, 15))
    assert result.is_in_effect(date(2026, 3, 15))
    assert not result.is_in_effect(date(2026, 3, 16))
    assert effect_ends_on("expulsion", announced_on=date(2025, 3, 15)).is_in_effect(
        date(2090, 1, 1)
    )
    assert "stops having effect at the end of Sun 2026-03-15" in result.explain().text()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        pytest.param(
            {"complaint_filed_on": date(2025, 3, 1)},
            "comes after the announcement",
            id="complaint before",
        ),
        pytest.param(
            {"complaint_ruling_on": date(2025, 3, 1)}, "a ruling comes after", id="ruling before"
        ),
        pytest.param(
            {"new_violation_on": date(2025, 3, 1)},
            "after the decision's announcement",
            id="violation before",
        ),
        pytest.param({"period": Period.parse("365 days")}, "months or years", id="period unit"),
        pytest.param({"measure": "fine"}, "is not one of", id="unknown measure"),
    ],
)
def test_bad_effect_input(kwargs: dict[str, object], fragment: str) -> None:
    options: dict[str, object] = {"measure": "warning", "announced_on": date(2025, 3, 15)}
    options.update(kwargs)
    measure = options.pop("measure")
    with pytest.raises(InputError, match=fragment):
        effect_ends_on(measure, **options)  # type: ignore[arg-type]


def test_the_rules_measure_enum_is_accepted() -> None:

    removal = check_limitation(
        Measure.REMOVAL_FROM_POST, "member", violation_on=date(2014, 7, 1), on=date(2024, 7, 2)
    )
    assert removal.time_barred  # 10 years (art. 4), ended 1/7/2024
    assert effect_ends_on(Measure.EXPULSION, announced_on=date(2025, 3, 15)).ends_on is None
    assert effect_ends_on(Measure.WARNING, announced_on=date(2025, 3, 15)).ends_on == date(
        2026, 3, 15
    )
