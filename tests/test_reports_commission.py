"""The report in the commission's words: sentences and figures worked out by hand (see
``report_figures``), the number format, the comparison, the levels shown, no internal names."""

from __future__ import annotations

import re

import pytest

from discipline_flow.errors import InputError
from discipline_flow.processes import shipped_workflows
from discipline_flow.reports import commission_report, format_number, format_percent
from discipline_flow.reports.indicators import LEVELS, Count, Indicators, PlanFigures
from discipline_flow.reports.period import Period
from discipline_flow.rules import default_registry
from report_figures import by_district, year_2022, year_2023


def _flat(text: str) -> str:
    """The text with its line wrapping undone (the report wraps at 100 columns)."""
    return " ".join(text.split())


def _section(text: str, number: int) -> list[str]:
    """The lines of section ``number`` (its heading first)."""
    for block in text.split("\n\n"):
        if block.startswith(f"{number}. "):
            return block.split("\n")
    raise AssertionError(f"no section {number} in:\n{text}")


# --------------------------------------------------------------------------- number format


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (76008, "vi", 0, "76.008"),
        (76008, "en", 0, "76,008"),
        (145, "vi", 0, "145"),
        (1000000, "vi", 0, "1.000.000"),
        (-7012, "vi", 0, "-7.012"),
        (97.894, "vi", 1, "97,9"),
        (1234.5, "vi", 2, "1.234,50"),
        (1234.5, "en", 2, "1,234.50"),
        (0, "vi", 0, "0"),
    ],
)
def test_number_format(value: float, lang: str, decimals: int, expected: str) -> None:
    assert format_number(value, lang=lang, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("part", "whole", "lang", "expected"),
    [
        (93, 95, "vi", "97,9%"),  # 97.894...
        (95, 95, "vi", "100%"),
        (1, 3, "en", "33.3%"),
        (1, 8, "vi", "12,5%"),
        (0, 12, "vi", "0%"),
    ],
)
def test_percent(part: int, whole: int, lang: str, expected: str) -> None:
    assert format_percent(part, whole, lang=lang) == expected


def test_number_format_refuses_what_it_cannot_write() -> None:
    with pytest.raises(InputError, match="expected one of vi, en, got 'fr'"):
        format_number(1, lang="fr")
    with pytest.raises(InputError, match="expected 0 or more places"):
        format_number(1, decimals=-1)
    with pytest.raises(InputError, match="positive whole"):
        format_percent(1, 0)


# --------------------------------------------------------------------------- Vietnamese


def test_vietnamese_report_says_the_figures_worked_by_hand() -> None:
    text = commission_report(year_2023())
    flat = _flat(text)
    expected = [
        "BÁO CÁO KẾT QUẢ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG NĂM 2023",
        "Số liệu từ ngày 01/01/2023 đến hết ngày 31/12/2023.",
        # The city standing committee's programme: 12 contents (6 + 6), 17 teams for 17 + 10;
        # outside it, 6 teams for 1 + 5 (all the teams outside the plans).
        (
            "Ban Thường vụ cấp ủy cấp tỉnh đã ban hành chương trình kiểm tra, giám sát với 12 nội "
            "dung (6 nội dung kiểm tra, 6 nội dung giám sát), thành lập 17 đoàn kiểm tra, giám sát "
            "đối với 17 tổ chức đảng và 10 đảng viên."
        ),
        (
            "Ngoài chương trình, đã thành lập 6 đoàn kiểm tra, giám sát đối với 1 tổ chức đảng và 5 "
            "đảng viên."
        ),
        # Plans: 41 plans, 95 contents (44 + 51), 87 teams for 107 + 90.
        (
            "Cấp ủy, ủy ban kiểm tra các cấp đã ban hành 41 chương trình, kế hoạch kiểm tra, giám sát "
            "với 95 nội dung (44 nội dung kiểm tra, 51 nội dung giám sát); thành lập 87 đoàn kiểm "
            "tra, giám sát đối với 107 tổ chức đảng và 90 đảng viên."
        ),
        "Đến hết năm 2023, đã hoàn thành 93/95 nội dung, đạt 97,9% kế hoạch.",
        (
            "Chia theo cấp: cấp tỉnh 12 nội dung (6 kiểm tra, 6 giám sát), hoàn thành 12; cấp huyện "
            "45 nội dung (20 kiểm tra, 25 giám sát), hoàn thành 45; cấp cơ sở 38 nội dung (18 kiểm "
            "tra, 20 giám sát), hoàn thành 36."
        ),
        # Điều 30: 12 + 300 organisations, 30 + 1,200 members, 8 + 40 committee members.
        (
            "Cấp ủy, tổ chức đảng các cấp đã kiểm tra 312 tổ chức đảng và 1.230 đảng viên (có 48 cấp "
            "ủy viên) theo Điều 30 Điều lệ Đảng; qua kiểm tra, kết luận 20 tổ chức đảng và 31 đảng "
            "viên có khuyết điểm, vi phạm, trong đó 4 đảng viên phải thi hành kỷ luật."
        ),
        (
            "Cấp ủy, tổ chức đảng và ủy ban kiểm tra các cấp đã giám sát thường xuyên đối với 7.002 "
            "tổ chức đảng và 76.008 đảng viên; giám sát chuyên đề đối với 898 tổ chức đảng và 592 "
            "đảng viên (có 5 cấp ủy viên)."
        ),
        (
            "Qua giám sát, phát hiện 1 tổ chức đảng và 9 đảng viên có dấu hiệu vi phạm; đã chuyển "
            "kiểm tra khi có dấu hiệu vi phạm đối với 1 tổ chức đảng và 7 đảng viên."
        ),
        (
            "Giám sát chuyên đề chia theo cấp: cấp tỉnh 18 tổ chức đảng và 12 đảng viên; cấp huyện "
            "280 tổ chức đảng và 180 đảng viên; cấp cơ sở 600 tổ chức đảng và 400 đảng viên."
        ),
        (
            "Ủy ban Kiểm tra các cấp đã kiểm tra khi có dấu hiệu vi phạm đối với 2 tổ chức đảng và 26 "
            "đảng viên (có 3 cấp ủy viên); kết luận 2 tổ chức đảng và 24 đảng viên có vi phạm, trong "
            "đó 1 tổ chức đảng và 15 đảng viên vi phạm đến mức phải thi hành kỷ luật; đã thi hành kỷ "
            "luật 1 tổ chức đảng và 13 đảng viên."
        ),
        (
            "Chia theo cấp: cấp tỉnh 1 tổ chức đảng và 6 đảng viên; cấp cơ sở 1 tổ chức đảng và 20 "
            "đảng viên."
        ),
        (
            "Ủy ban Kiểm tra các cấp đã kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi "
            "hành kỷ luật trong Đảng đối với 150 tổ chức đảng; qua kiểm tra, 12 tổ chức đảng có "
            "khuyết điểm, vi phạm."
        ),
        "Ủy ban Kiểm tra các cấp đã kiểm tra tài chính đảng đối với 80 tổ chức đảng.",
        (
            "Cấp ủy, tổ chức đảng và ủy ban kiểm tra các cấp đã thi hành kỷ luật 1 tổ chức đảng và "
            "145 đảng viên (có 9 cấp ủy viên)."
        ),
        (
            "Về hình thức: khiển trách 1 tổ chức đảng và 96 đảng viên; cảnh cáo 33 đảng viên; cách "
            "chức 4 đảng viên; khai trừ 12 đảng viên."
        ),
        (
            "Chia theo cấp quyết định: cấp tỉnh 20 đảng viên; cấp cơ sở 1 tổ chức đảng và 125 đảng "
            "viên."
        ),
        (
            "Ngoài ra, đã đình chỉ sinh hoạt đảng đối với 10 đảng viên; xóa tên 14 đảng viên; cho ra "
            "khỏi Đảng 7 đảng viên."
        ),
        (
            "Cấp ủy, ủy ban kiểm tra các cấp đã tiếp nhận khiếu nại kỷ luật đảng của 5 đảng viên; đã "
            "giải quyết khiếu nại của 4 đảng viên: giữ nguyên hình thức kỷ luật 2 trường hợp, giảm "
            "hình thức kỷ luật 1 trường hợp, xóa bỏ quyết định kỷ luật 1 trường hợp."
        ),
        (
            "Cấp ủy, ủy ban kiểm tra các cấp đã tiếp nhận tố cáo đối với 3 tổ chức đảng và 12 đảng "
            "viên; giải quyết tố cáo đối với 2 tổ chức đảng và 9 đảng viên; không xem xét, giải quyết "
            "tố cáo đối với 2 đảng viên; sử dụng tố cáo đối với 1 đảng viên làm nguồn kiểm tra."
        ),
        (
            "Ủy ban Kiểm tra các cấp đã xác minh tài sản, thu nhập đối với 172 đảng viên; qua xác "
            "minh, chuyển kiểm tra khi có dấu hiệu vi phạm đối với 1 đảng viên."
        ),
    ]
    for sentence in expected:
        assert sentence in flat, sentence
    # Without a previous period there is no comparison: nine sections.
    assert [block.split(". ", 1)[0] for block in text.split("\n\n")[1:]] == [
        str(n) for n in range(1, 10)
    ]


def test_the_report_is_wrapped_at_100_columns() -> None:
    text = commission_report(year_2023(), previous=year_2022())
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "\n  " in text  # a comparison item's continuation is indented


def test_a_section_with_nothing_counted_is_one_short_line() -> None:
    empty = Indicators(Period.parse("2023-Q3"), LEVELS)
    text = commission_report(empty)
    blocks = text.split("\n\n")[1:]
    assert len(blocks) == 9
    for block in blocks:
        _heading, *lines = block.split("\n")
        sentence = _flat(" ".join(lines))
        assert sentence.count(".") == 1, block
        assert sentence.startswith("Trong quý 3 năm 2023, không "), block
        assert sentence.endswith("."), block
    assert _flat(" ".join(_section(text, 6)[1:])) == (
        "Trong quý 3 năm 2023, không có tổ chức đảng, đảng viên nào bị thi hành kỷ luật, đình "
        "chỉ sinh hoạt, xóa tên hoặc cho ra khỏi Đảng."
    )
    assert _section(text, 7)[1] == "Trong quý 3 năm 2023, không phát sinh khiếu nại kỷ luật đảng."
    english = commission_report(empty, lang="en")
    assert _section(english, 8)[1] == "In the third quarter of 2023, no denunciation was made."


def test_suspensions_without_discipline_say_both() -> None:
    figures = Indicators(
        Period.parse("2023"),
        LEVELS,
        {"discipline.suspended": {"grassroots": Count(members=1)}},
    )
    assert _section(commission_report(figures), 6)[1:] == [
        "Trong năm 2023, không có tổ chức đảng, đảng viên nào bị thi hành kỷ luật.",
        "Đã đình chỉ sinh hoạt đảng đối với 1 đảng viên.",
    ]
    assert _section(commission_report(figures, lang="en"), 6)[1:] == [
        "In 2023, no party organisation or member was disciplined.",
        "1 party member had their party activity suspended.",
    ]


# --------------------------------------------------------------------------- English


def test_english_report_says_the_same_figures() -> None:
    flat = _flat(commission_report(year_2023(), lang="en"))
    expected = [
        "Report on inspection, supervision and party discipline in 2023",
        "Figures from 1 January 2023 to 31 December 2023 inclusive.",
        (
            "The standing committee at the provincial level adopted its inspection and supervision "
            "programme with 12 contents (6 of inspection, 6 of supervision) and set up 17 teams "
            "for 17 party organisations and 10 party members."
        ),
        "Outside the programme, it set up 6 teams for 1 party organisation and 5 party members.",
        (
            "Party committees and inspection commissions at all levels adopted 41 inspection and "
            "supervision plans with 95 contents (44 of inspection, 51 of supervision) and set up 87 "
            "inspection and supervision teams for 107 party organisations and 90 party members."
        ),
        "By the end of 2023, 93 of the 95 contents had been completed (97.9% of the plans).",
        (
            "Party committees, organisations and inspection commissions at all levels carried out "
            "regular supervision of 7,002 party organisations and 76,008 party members and thematic "
            "supervision of 898 party organisations and 592 party members (5 of them committee "
            "members)."
        ),
        (
            "Inspection commissions at all levels inspected 2 party organisations and 26 party "
            "members (3 of them committee members) on signs of violation; 2 party organisations and "
            "24 party members were found in violation, 1 party organisation and 15 party members "
            "must be disciplined, and 1 party organisation and 13 party members have been "
            "disciplined."
        ),
        (
            "By form: reprimand for 1 party organisation and 96 party members; warning for 33 party "
            "members; removal from post for 4 party members; expulsion for 12 party members."
        ),
        (
            "In addition, 10 party members had their party activity suspended, 14 party members were "
            "removed from the rolls and 7 party members were allowed to leave the party."
        ),
        (
            "the decision was upheld in 2 cases, changed to a lighter form in 1 case and annulled in "
            "1 case."
        ),
        (
            "Inspection commissions at all levels verified the assets and incomes of 172 party "
            "members; 1 party member was passed on for inspection on signs of violation."
        ),
    ]
    for sentence in expected:
        assert sentence in flat, sentence


def test_the_title_replaces_the_heading_and_the_language_is_checked() -> None:
    text = commission_report(year_2023(), title="BÁO CÁO CỦA ỦY BAN KIỂM TRA THÀNH ỦY")
    assert text.splitlines()[0] == "BÁO CÁO CỦA ỦY BAN KIỂM TRA THÀNH ỦY"
    with pytest.raises(InputError, match="lang: expected one of vi, en, got 'de'"):
        commission_report(year_2023(), lang="de")


# --------------------------------------------------------------------------- no internal names


def _internal_names() -> tuple[set[str], set[str]]:
    """Workflow names and state and trigger names (as enum names), and the state values."""
    names: set[str] = set()
    values: set[str] = set()
    for workflow in shipped_workflows(default_registry().latest()):
        names.add(workflow.name)
        for member in (*workflow.all_states, *workflow.all_triggers):
            names.add(member.name)
            values.add(str(member.value))
    return names, values


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_internal_name_leaks(lang: str) -> None:
    names, values = _internal_names()
    text = commission_report(year_2023(), previous=year_2022(), lang=lang)
    words = set(re.findall(r"[\w-]+", text))
    leaked = {name for name in names if "_" in name or name.isupper()} & words
    assert not leaked
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "a snake_case identifier"
    assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", text), "an enum member's name"
    if lang == "vi":
        # No English word at all: state values such as "concluded" or "suspended" included.
        assert not {value for value in values if value.isascii()} & words


# --------------------------------------------------------------------------- comparison


def test_comparison_up_down_and_unchanged_in_vietnamese() -> None:
    lines = _section(commission_report(year_2023(), previous=year_2022()), 10)
    assert lines[0] == "10. So sánh với năm 2022"
    flat = _flat("\n".join(lines[1:]))
    for item in [
        (
            "- Nội dung kiểm tra, giám sát theo chương trình, kế hoạch: 95, giảm 5 nội dung so với "
            "năm 2022."
        ),
        (
            "- Giám sát chuyên đề: 898 tổ chức đảng và 592 đảng viên, giảm 2 tổ chức đảng, tăng 8 "
            "đảng viên so với năm 2022."
        ),
        "- Thi hành kỷ luật: 1 tổ chức đảng và 145 đảng viên, tăng 12 đảng viên so với năm 2022.",
        "- Đình chỉ sinh hoạt đảng: 10 đảng viên, giảm 3 đảng viên so với năm 2022.",
        "- Xóa tên: 14 đảng viên, bằng năm 2022.",
        "- Xác minh tài sản, thu nhập: 172 đảng viên, tăng 22 đảng viên so với năm 2022.",
        # Nothing in 2022: up by the whole figure.
        "- Cho ra khỏi Đảng: 7 đảng viên, tăng 7 đảng viên so với năm 2022.",
    ]:
        assert item in flat, item


def test_comparison_in_english_and_with_a_figure_gone() -> None:
    lines = _section(commission_report(year_2023(), previous=year_2022(), lang="en"), 10)
    assert lines[0] == "10. Comparison with 2022"
    flat = _flat("\n".join(lines[1:]))
    for item in [
        (
            "- Thematic supervision: 898 party organisations and 592 party members, 2 fewer party "
            "organisations and 8 more party members than in 2022."
        ),
        (
            "- Disciplined: 1 party organisation and 145 party members, 12 more party members than "
            "in 2022."
        ),
        "- Removed from the rolls: 14 party members, the same as in 2022.",
        "- Contents of the inspection and supervision plans: 95, 5 fewer than in 2022.",
    ]:
        assert item in flat, item
    # The other way round, 2022 against 2023: what 2022 did not have reads "none".
    back = _flat(commission_report(year_2022(), previous=year_2023()))
    assert "- Cho ra khỏi Đảng: không có, giảm 7 đảng viên so với năm 2023." in back
    assert "- Xóa tên: 14 đảng viên, bằng năm 2023." in back


def test_comparison_of_quarters_names_the_same_quarter_a_year_before() -> None:
    now = Indicators(
        Period.parse("2023-Q3"), LEVELS, {"discipline.let_go": {"grassroots": Count(members=2)}}
    )
    then = Indicators(
        Period.parse("2023-Q3").previous(),
        LEVELS,
        {"discipline.let_go": {"grassroots": Count(members=5)}},
    )
    assert _section(commission_report(now, previous=then), 10) == [
        "10. So sánh với quý 3 năm 2022",
        "- Cho ra khỏi Đảng: 2 đảng viên, giảm 3 đảng viên so với quý 3 năm 2022.",
    ]
    empty = Indicators(Period.parse("2023"), LEVELS)
    assert _section(commission_report(empty, previous=empty, lang="en"), 10)[1:] == [
        "There are no figures to compare."
    ]


# --------------------------------------------------------------------------- levels shown


def test_district_shown_before_july_2025_and_not_after() -> None:
    before = _flat(commission_report(by_district("2025-H1")))
    assert "Chia theo cấp: cấp huyện 1 tổ chức đảng và 4 đảng viên; cấp cơ sở 3 đảng viên." in (
        before
    )
    assert "cấp huyện 5 nội dung" in before
    after = commission_report(by_district("2025-H2"))
    assert "huyện" not in after
    assert "6 tháng cuối năm 2025" in after
    # The totals still count every level's figures: 1 organisation and 4 + 3 members.
    assert "đối với 1 tổ chức đảng và 7 đảng viên" in _flat(after)
    assert "district" not in commission_report(by_district("2025-H2"), lang="en")


def test_the_last_six_months_of_a_year() -> None:
    period = Period.parse("2025-H2")
    assert (period.start.isoformat(), period.end.isoformat()) == (
        "2025-07-01T00:00:00+07:00",
        "2026-01-01T00:00:00+07:00",
    )
    assert (period.label_vi, period.label_en) == (
        "6 tháng cuối năm 2025",
        "the last six months of 2025",
    )
    assert period.previous().label == "2024-H2"
    assert period.previous().label_vi == "6 tháng cuối năm 2024"


def test_plans_with_nothing_done_and_a_level_without_contents() -> None:
    figures = Indicators(
        Period.parse("2024"),
        LEVELS,
        plans={
            "provincial": PlanFigures(inspection_contents=2, supervision_contents=1),
            "grassroots": PlanFigures(out_of_plan_teams=1),
        },
    )
    assert _flat(" ".join(_section(commission_report(figures), 1)[1:])) == " ".join(
        [
            (
                "Cấp ủy, ủy ban kiểm tra các cấp đã ban hành chương trình, kế hoạch kiểm tra, giám sát"
                " với 3 nội dung (2 nội dung kiểm tra, 1 nội dung giám sát)."
            ),
            "Ngoài chương trình, kế hoạch, đã thành lập 1 đoàn kiểm tra, giám sát.",
            "Đến hết năm 2024, đã hoàn thành 0/3 nội dung, đạt 0% kế hoạch.",
            "Chia theo cấp: cấp tỉnh 3 nội dung (2 kiểm tra, 1 giám sát), hoàn thành 0.",
        ]
    )
