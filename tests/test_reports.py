"""The annual report: figures computed from any store, hand-worked deadline outcomes, formats,
languages and the ``report`` command."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import importlib
import inspect
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from discipline_flow import (
    Body,
    BodyKind,
    Case,
    Level,
    Member,
    Organisation,
    Period,
    Transition,
    Workflow,
)
from discipline_flow.cli import EXIT_INPUT, EXIT_OK, EXIT_STORE, EXIT_USAGE, main
from discipline_flow.demo import DemoSettings, generate_city_year
from discipline_flow.errors import InputError
from discipline_flow.processes import shipped_registry
from discipline_flow.reports import (
    CSV_COLUMNS,
    MAX_YEAR,
    MIN_YEAR,
    AnnualReport,
    DeadlineOutcome,
    ProcessStats,
    annual_report,
    deadline_outcome,
    level_of,
    measure_of,
    parse_year,
    year_bounds,
)
from discipline_flow.reports.commission import commission_report
from discipline_flow.reports.compute import compute_indicators
from discipline_flow.reports.period import Period as ReportPeriod
from discipline_flow.rules import Measure
from discipline_flow.store import CaseStore, open_store
from discipline_flow.time import DeadlineRule
from discipline_flow.workflow import Label

TZ = "Asia/Ho_Chi_Minh"
CLERK = Body(BodyKind.INSPECTION_COMMISSION, "commission-1", Level.PROVINCIAL)
YEAR_END = pendulum.datetime(2024, 1, 1, tz=TZ)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


class Review(enum.Enum):
    OPEN = "open"
    HELD = "held"
    DONE = "done"
    DROPPED = "dropped"
    LAPSED = "lapsed"


class ReviewTrigger(enum.Enum):
    FINISH = "finish"
    DROP = "drop"
    HOLD = "hold"
    LAPSE = "lapse"


# Both periods are counted by the Civil Code 2015 (arts. 147-148): the start day is not counted,
# a last day that is not a working day rolls forward, the period ends at 24:00.
ANSWER = DeadlineRule(
    "answer_period",
    Period.parse("10 days"),
    starts_on_enter=Review.OPEN,
    met_by={Review.DONE},
    cancelled_by={Review.DROPPED, Review.HELD},
)
HOLD = DeadlineRule(
    "hold_period",
    Period.parse("5 days"),
    starts_on_enter=Review.HELD,
    met_by={Review.DONE},
    cancelled_by={Review.LAPSED},
    on_miss=ReviewTrigger.LAPSE,
)
REVIEW: Workflow[Review, ReviewTrigger] = Workflow(
    name="review",
    version="1",
    states=Review,
    triggers=ReviewTrigger,
    initial=Review.OPEN,
    terminal={Review.DONE, Review.DROPPED, Review.LAPSED},
    transitions=[
        Transition(ReviewTrigger.FINISH, (Review.OPEN, Review.HELD), Review.DONE),
        Transition(ReviewTrigger.DROP, Review.OPEN, Review.DROPPED),
        Transition(ReviewTrigger.HOLD, Review.OPEN, Review.HELD),
        Transition(ReviewTrigger.LAPSE, Review.HELD, Review.LAPSED),
    ],
    deadline_rules=[ANSWER, HOLD],
    label=Label("Review", "Xem xét"),
    labels={Review.DONE: Label("Done", "Đã xong")},
)


class Note(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class NoteTrigger(enum.Enum):
    CLOSE = "close"


NOTE: Workflow[Note, NoteTrigger] = Workflow(
    name="note",
    version="1",
    states=Note,
    triggers=NoteTrigger,
    initial=Note.OPEN,
    terminal={Note.CLOSED},
    transitions=[Transition(NoteTrigger.CLOSE, Note.OPEN, Note.CLOSED)],
)

CADRE = Member("m-cadre", managed_by=Level.PROVINCIAL)
MEMBER = Member("m-plain")
DISTRICT_ORG = Organisation("org-d", Level.DISTRICT)


def _review_cases() -> list[Case[Any, Any]]:
    """Six reviews opened in December 2023, each worked out by hand in DEADLINES below."""
    met = REVIEW.open(CADRE, at=at(2023, 12, 1), actor=CLERK, case_id="C-met")
    met.fire("FINISH", at=at(2023, 12, 11, 16), actor=CLERK, payload={"measure": "warning"})
    late = REVIEW.open(MEMBER, at=at(2023, 12, 1), actor=CLERK, case_id="C-late")
    late.fire("FINISH", at=at(2023, 12, 12, 9), actor=CLERK, payload={"measure": "REPRIMAND"})
    missed = REVIEW.open(DISTRICT_ORG, at=at(2023, 12, 1), actor=CLERK, case_id="C-missed")
    still_open = REVIEW.open(MEMBER, at=at(2023, 12, 25), actor=CLERK, case_id="C-open")
    dropped = REVIEW.open(MEMBER, at=at(2023, 12, 1), actor=CLERK, case_id="C-dropped")
    dropped.fire("DROP", at=at(2023, 12, 5), actor=CLERK)
    held = REVIEW.open(MEMBER, at=at(2023, 12, 1), actor=CLERK, case_id="C-held", parent=met)
    held.fire("HOLD", at=at(2023, 12, 4, 10), actor=CLERK)
    return [met, late, missed, still_open, dropped, held]


def _note_cases() -> list[Case[Any, Any]]:
    """Notes at the edges of 2023: only the middle two belong to it."""
    cases = []
    for case_id, when in (
        ("N-before", at(2022, 12, 31, 23, 59)),
        ("N-first", at(2023, 1, 1, 0, 0)),
        ("N-last", at(2023, 12, 31, 23, 59)),
        ("N-after", at(2024, 1, 1, 0, 0)),
    ):
        note = NOTE.open(MEMBER, at=when, actor=CLERK, case_id=case_id)
        cases.append(note)
    first = cases[1]
    first.fire("CLOSE", at=at(2023, 1, 4, 0, 0), actor=CLERK)  # 3 days exactly
    return cases


@pytest.fixture(params=["memory://", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CaseStore]:
    url = request.param if request.param != "sqlite" else f"sqlite:///{tmp_path / 'r.db'}"
    with open_store(url, [REVIEW, NOTE]) as opened:
        opened.save_many([(c, 0) for c in (*_review_cases(), *_note_cases())])
        opened.sweep(YEAR_END)
        yield opened


# Hand-worked deadlines (Civil Code 2015 art. 147: the day of the event is not counted; art. 148:
# a period ends at 24:00 of its last day, rolled forward to the next working day), judged at
# 31 Dec 2023 24:00.
DEADLINES = [
    # case, rule, due_on, outcome
    # Fri 1/12 + 10 days = Mon 11/12; met Mon 11/12 16:00, before 12/12 00:00
    ("C-met", "answer_period", dt.date(2023, 12, 11), DeadlineOutcome.MET),
    # same due day; met Tue 12/12 09:00, after the end
    ("C-late", "answer_period", dt.date(2023, 12, 11), DeadlineOutcome.MET_LATE),
    # same due day; nothing happened by the year's end and the rule fires nothing
    ("C-missed", "answer_period", dt.date(2023, 12, 11), DeadlineOutcome.MISSED),
    # Mon 25/12 + 10 days = Thu 4/1/2024, a working day: still running at the year's end
    ("C-open", "answer_period", dt.date(2024, 1, 4), DeadlineOutcome.OPEN),
    # dropped Tue 5/12, before the end: cancelled
    ("C-dropped", "answer_period", dt.date(2023, 12, 11), DeadlineOutcome.CANCELLED),
    # held Mon 4/12, before the end: the answer period is cancelled
    ("C-held", "answer_period", dt.date(2023, 12, 11), DeadlineOutcome.CANCELLED),
    # Mon 4/12 + 5 days = Sat 9/12, not a working day: rolled forward to Mon 11/12 (art. 148);
    # the year-end sweep fires LAPSE, which closes it after its end: it ran out
    ("C-held", "hold_period", dt.date(2023, 12, 11), DeadlineOutcome.EXPIRED),
]


@pytest.mark.parametrize(
    ("case_id", "rule", "due_on", "outcome"), DEADLINES, ids=[f"{r[0]}-{r[1]}" for r in DEADLINES]
)
def test_deadline_outcomes_are_judged_at_the_years_end(
    store: CaseStore, case_id: str, rule: str, due_on: dt.date, outcome: DeadlineOutcome
) -> None:
    deadline = store.load(case_id).deadline(rule)
    assert deadline.due_on == due_on
    assert deadline_outcome(deadline, YEAR_END) is outcome


def test_report_counts_every_figure_of_the_review_process(store: CaseStore) -> None:
    report = annual_report(store, 2023)
    review = report.process("review")
    assert (review.cases, review.linked, review.closed) == (6, 1, 4)
    assert review.outcomes == {"DONE": 2, "DROPPED": 1, "LAPSED": 1, "OPEN": 2}
    assert review.terminal == frozenset({"DONE", "DROPPED", "LAPSED"})
    assert review.subjects == {
        "member": {"grassroots": 4, "provincial": 1},
        "organisation": {"district": 1},
    }
    assert review.measures == {"reprimand": 1, "warning": 1}
    assert review.deadlines == {
        "cancelled": 2,
        "expired": 1,
        "met": 1,
        "met_late": 1,
        "missed": 1,
        "open": 1,
    }
    # closed after 4.0 (dropped), 10.29 (met), 11.0 (late) and 30.63 days (lapsed at the sweep,
    # 1 Jan 2024 00:00): the median is (10.29 + 11.0) / 2 = 10.65, shown to one decimal
    assert review.median_days == 10.6


def test_a_case_belongs_to_the_year_it_was_opened_in(store: CaseStore) -> None:
    note = annual_report(store, 2023).process("note")
    assert note.cases == 2  # N-first (1 Jan 00:00) and N-last (31 Dec 23:59)
    assert note.outcomes == {"CLOSED": 1, "OPEN": 1}
    assert note.median_days == 3.0
    assert annual_report(store, 2022).process("note").cases == 1
    assert annual_report(store, 2024).process("note").cases == 1


def test_processes_are_listed_and_looked_up(store: CaseStore) -> None:
    report = annual_report(store, 2023)
    assert report.cases == 8
    assert report.by_process() == {"note": 2, "review": 6}
    assert report.by_measure() == {"review": {"reprimand": 1, "warning": 1}}
    with pytest.raises(InputError, match="no cases of 'audit' in 2023; processes: "):
        report.process("audit")


def test_progress_reports_cases_read(store: CaseStore) -> None:
    calls: list[tuple[int, int]] = []
    annual_report(store, 2023, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (8, 8)


def test_an_empty_year_says_so(store: CaseStore) -> None:
    report = annual_report(store, 2019)
    assert report.processes == ()
    assert "No case was opened in 2019." in report.text()
    assert "Không có vụ việc nào được mở trong năm 2019." in report.text("vi")


# --------------------------------------------------------------------------- conventions


def test_level_and_measure_conventions() -> None:
    assert level_of(MEMBER) == "grassroots"
    assert level_of(CADRE) == "provincial"
    assert level_of(DISTRICT_ORG) == "district"
    case = REVIEW.open(MEMBER, at=at(2023, 5, 2), actor=CLERK, payload={"measure": "expulsion"})
    assert measure_of(case) is Measure.EXPULSION
    case.fire("FINISH", at=at(2023, 5, 3), actor=CLERK, payload={"measure": "WARNING"})
    assert measure_of(case) is Measure.WARNING
    plain = REVIEW.open(MEMBER, at=at(2023, 5, 2), actor=CLERK, payload={"measure": "dismissal"})
    assert measure_of(plain) is None


@pytest.mark.parametrize(
    ("value", "year"), [("2023", 2023), (" 2024 ", 2024), (1990, 1990), (2100, 2100)]
)
def test_years_are_read(value: object, year: int) -> None:
    assert parse_year(value) == year


@pytest.mark.parametrize("value", ["23", "2023-24", "year", 1989, 2101, True, 2023.0, None])
def test_bad_years_are_refused(value: object) -> None:
    with pytest.raises(InputError, match=r"^year: expected a year like 2023 \(1990 to 2100\)"):
        parse_year(value)


def test_year_bounds_are_local_midnights() -> None:
    start, end = year_bounds(2025)
    assert (start.isoformat(), end.isoformat()) == (
        "2025-01-01T00:00:00+07:00",
        "2026-01-01T00:00:00+07:00",
    )


# --------------------------------------------------------------------------- formats


def _big_report() -> AnnualReport:
    stats = ProcessStats(
        name="member_discipline",
        label=Label("Disciplinary decision about a member", "Thi hành kỷ luật đảng viên"),
        cases=12345,
        linked=7,
        closed=1200,
        outcomes={"IN_FORCE": 11145, "EFFECT_ENDED": 1200},
        terminal=frozenset({"EFFECT_ENDED"}),
        state_labels={
            "IN_FORCE": Label("In force", "Đang có hiệu lực"),
            "EFFECT_ENDED": Label("Effect ended", "Đương nhiên chấm dứt hiệu lực"),
        },
        subjects={"member": {"grassroots": 12000, "provincial": 345}},
        measures={"warning": 45, "reprimand": 12300},
        deadlines={"met": 10000, "missed": 2345},
        median_days=123.45,
    )
    return AnnualReport(2023, YEAR_END, (stats,))


def test_text_in_english_reads_like_a_commission_report() -> None:
    text = _big_report().text("en")
    assert text.startswith("ANNUAL REPORT ON INSPECTION, SUPERVISION AND PARTY DISCIPLINE, 2023\n")
    assert "12,345 cases in 1 processes" in text
    assert (
        "1. Disciplinary decision about a member (member_discipline): 12,345 cases "
        "(7 opened from another case)"
    ) in text
    assert "   Subjects: party members 12,345 (grassroots 12,000, provincial 345)" in text
    assert "   Outcomes: Effect ended 1,200 (closed); In force 11,145 (open)" in text
    assert "   Measures: reprimand 12,300, warning 45" in text  # by severity
    assert "   Deadlines: met on time 10,000, missed 2,345" in text
    assert "   Median duration of the 1,200 closed cases: 123.5 days" in text


def test_text_in_vietnamese_uses_vietnamese_labels_and_numbers() -> None:
    text = _big_report().text("vi")
    assert text.startswith(
        "BÁO CÁO TỔNG KẾT CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG NĂM 2023\n"
    )
    assert "1. Thi hành kỷ luật đảng viên (member_discipline): 12.345 vụ việc" in text
    assert "Đối tượng: đảng viên 12.345 (cơ sở 12.000, cấp tỉnh 345)" in text
    assert "Kết quả: Đương nhiên chấm dứt hiệu lực 1.200 (đã kết thúc)" in text
    assert "Hình thức kỷ luật: khiển trách 12.300, cảnh cáo 45" in text
    assert "Thời hạn: đúng hạn 10.000, quá hạn 2.345" in text
    assert "của 1.200 vụ việc đã kết thúc: 123,5 ngày" in text


def test_csv_has_one_row_per_figure() -> None:
    rows = list(csv.reader(io.StringIO(_big_report().csv("vi"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    by_key = {(r["section"], r["key"]): r for r in body}
    assert by_key[("cases", "")]["value"] == "12345"
    assert by_key[("outcome", "IN_FORCE")]["key_label"] == "Đang có hiệu lực"
    assert by_key[("subject", "member/provincial")]["value"] == "345"
    assert by_key[("measure", "reprimand")]["key_label"] == "khiển trách"
    assert by_key[("deadline", "missed")]["key_label"] == "quá hạn"
    assert by_key[("median_days", "")]["value"] == "123.45"
    outcomes = sum(int(r["value"]) for r in body if r["section"] == "outcome")
    assert outcomes == 12345
    assert {r["process_label"] for r in body} == {"Thi hành kỷ luật đảng viên"}


def test_json_round_trips(store: CaseStore) -> None:
    data = json.loads(json.dumps(annual_report(store, 2023).to_dict()))
    assert data["year"] == 2023
    assert data["as_of"] == "2024-01-01T00:00:00+07:00"
    assert data["cases"] == 8
    review = next(p for p in data["processes"] if p["name"] == "review")
    assert review["label"] == {"en": "Review", "vi": "Xem xét"}
    assert review["deadlines"]["expired"] == 1
    assert review["terminal"] == ["DONE", "DROPPED", "LAPSED"]


@pytest.mark.parametrize("render", ["text", "csv"])
def test_unknown_languages_are_refused(render: str) -> None:
    with pytest.raises(InputError, match="'fr' is not supported; languages: en, vi"):
        getattr(_big_report(), render)("fr")


def test_outcome_labels_exist_in_both_languages() -> None:
    for outcome in DeadlineOutcome:
        assert outcome.label.en
        assert outcome.label.vi
        assert outcome.label.en != outcome.label.vi


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small city-year of shipped workflows in a SQLite file, for the ``report`` command."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'city.db'}"
    with open_store(url, shipped_registry()) as opened:
        generate_city_year(opened, DemoSettings(year=2023, scale=0.001, seed=11))
    return url


def test_report_command_prints_the_indicators(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "--store", demo_store, "--year", "2023", "--quiet", "--format", "figures"]
    assert main([*args, "--lang", "en"]) == EXIT_OK
    out = capsys.readouterr()
    assert out.out.startswith("indicators 2023 (2023-01-01 to 2023-12-31), levels: central, ")
    assert "supervision.regular.supervised (Regular supervision): " in out.out
    assert out.err == ""  # no progress bar when standard error is not a terminal


def test_report_command_json_equals_the_api(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--store", demo_store, "--period", "2023-Q3", "--json"]) == EXIT_OK
    printed = json.loads(capsys.readouterr().out)
    with open_store(demo_store, _shipped()) as opened:
        expected = compute_indicators(opened, ReportPeriod.parse("2023-Q3")).to_dict()
    assert printed == json.loads(json.dumps(expected))
    assert main(["report", "--store", demo_store, "--year", "2023", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["period"]["label"] == "2023"


def _shipped() -> Any:
    return shipped_registry()


def test_report_command_text_in_vietnamese(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The commission's report by default, in Vietnamese, its figures those of the API.
    assert main(["report", "--store", demo_store, "--year", "2023"]) == 0
    out = capsys.readouterr().out
    with open_store(demo_store, _shipped()) as opened:
        figures = compute_indicators(opened, ReportPeriod.parse("2023"))
    assert out.rstrip("\n") == commission_report(figures).rstrip("\n")
    assert out.startswith("BÁO CÁO KẾT QUẢ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG")
    assert "regular_supervision" not in out


def test_report_command_compares_with_the_year_before_only_when_the_store_holds_it(
    demo_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo store holds 2023 only: no comparison with 2022 (it would read as growth from 0).
    assert main(["report", "--store", demo_store, "--period", "2023-Q3"]) == 0
    assert "so với" not in capsys.readouterr().out
    # Two years in one store: 2023 is compared with 2022, figure by figure.
    url = f"sqlite:///{tmp_path / 'two-years.db'}"
    with open_store(url, shipped_registry()) as opened:
        for year in (2022, 2023):
            generate_city_year(opened, DemoSettings(year=year, scale=0.001, seed=11))
        now = compute_indicators(opened, ReportPeriod.parse("2023"))
        then = compute_indicators(opened, ReportPeriod.parse("2022"))
    assert main(["report", "--store", url, "--year", "2023"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip("\n") == commission_report(now, previous=then).rstrip("\n")
    assert "10. So sánh với năm 2022" in out


def test_report_command_writes_the_html_report_and_the_forms(
    demo_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, forms = tmp_path / "q3.html", tmp_path / "forms"
    args = ["report", "--store", demo_store, "--period", "2023-Q3", "--lang", "en"]
    assert main([*args, "--html", str(page), "--forms", str(forms)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(
        "Report on inspection, supervision and party discipline in the third quarter of 2023"
    )
    assert f"wrote {page}\n" in captured.err
    html = page.read_text(encoding="utf-8")
    assert "<!doctype html>" in html
    assert "the third quarter of 2023" in html
    assert (forms / "forms.json").exists()
    assert (forms / "discipline.csv").exists()
    assert main([*args, "--forms", str(page)]) == EXIT_INPUT  # a file, not a folder
    assert "--forms: cannot write into" in capsys.readouterr().err
    assert main([*args, "--html", str(tmp_path / "missing" / "q3.html")]) == EXIT_INPUT
    assert "--html: cannot write " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--year", "23/24"], EXIT_USAGE, "argument --year: expected a year like 2023"),
        (
            ["--period", "2023-13"],
            EXIT_USAGE,
            "argument --period: period: expected 2023, 2023-Q3, 2023-H1",
        ),
        (["--year", "2023", "--jobs", "0"], EXIT_INPUT, "--jobs: expected a whole number"),
        (
            ["--year", "2023", "--levels", "central,county"],
            EXIT_INPUT,
            "levels: expected distinct levels among central, provincial, district, grassroots",
        ),
        (
            ["--year", "2023", "--store", "mysql://db/cases"],
            EXIT_STORE,
            "unsupported store URL 'mysql://db/cases'",
        ),
    ],
    ids=["bad-year", "bad-period", "bad-jobs", "bad-levels", "unknown-scheme"],
)
def test_report_command_errors_are_one_line(
    demo_store: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    base = ["report"] if "--store" in args else ["report", "--store", demo_store]
    try:
        result: object = main([*base, *args])
    except SystemExit as usage:  # a usage error exits, as argparse does
        result = usage.code
    assert result == code
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("discipline-flow: error: ")
    assert message in err[0]


def test_report_command_needs_a_period(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["report", "--store", "memory://"])
    assert info.value.code == EXIT_USAGE
    assert "one of the arguments --period --year is required" in capsys.readouterr().err


@pytest.mark.parametrize("module_name", ["discipline_flow.reports", "discipline_flow.demo"])
def test_public_names_resolve_are_sorted_and_documented(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = list(module.__all__)
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in names:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{module_name}.{name} has no docstring"


def test_report_years_span_the_calendar() -> None:
    assert (MIN_YEAR, MAX_YEAR) == (1990, 2100)
    assert parse_year(MIN_YEAR) == MIN_YEAR
