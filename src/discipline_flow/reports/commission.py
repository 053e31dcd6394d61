"""The report an inspection commission publishes, in its own words.

:func:`commission_report` writes an :class:`~discipline_flow.reports.indicators.Indicators`
value as a commission's report on a period: Vietnamese by default, English on request, in the
order such reports follow (plans, inspection under Điều 30, supervision, inspection on signs of
violation, inspection of lower bodies' work and finances, discipline, complaints, denunciations,
asset verification), and, given the previous period's figures, the comparison with it. Figures
are written in the language's number format (76.008 in Vietnamese); a section with nothing
counted says so in one short line.

>>> from discipline_flow.reports.indicators import Count, Indicators
>>> from discipline_flow.reports.period import Period
>>> figures = Indicators(
...     period=Period.parse("2023"),
...     levels=("provincial", "district", "grassroots"),
...     figures={"inspection_on_signs.inspected": {"provincial": Count(2, 6), "grassroots": Count(members=20)}},
... )
>>> print(commission_report(figures).split("\\n\\n")[4])
4. Kiểm tra tổ chức đảng và đảng viên khi có dấu hiệu vi phạm
Ủy ban Kiểm tra các cấp đã kiểm tra khi có dấu hiệu vi phạm đối với 2 tổ chức đảng và 26 đảng viên.
Chia theo cấp: cấp tỉnh 2 tổ chức đảng và 6 đảng viên; cấp cơ sở 20 đảng viên.
"""

from __future__ import annotations

import textwrap

from discipline_flow.reports._sections import SECTIONS, Writer
from discipline_flow.reports.indicators import Indicators

__all__ = ["commission_report"]

#: The report's lines are wrapped at this width (a terminal's, and a page's in the docs).
_WIDTH = 100


#: The figures compared with the previous period: key, Vietnamese and English names.
_COMPARED = (
    ("regular_inspection.inspected", "Kiểm tra theo Điều 30", "Inspection under Article 30"),
    ("supervision.regular.supervised", "Giám sát thường xuyên", "Regular supervision"),
    ("supervision.thematic.supervised", "Giám sát chuyên đề", "Thematic supervision"),
    (
        "inspection_on_signs.inspected",
        "Kiểm tra khi có dấu hiệu vi phạm",
        "Inspection on signs of violation",
    ),
    (
        "discipline_work_inspection.inspected",
        "Kiểm tra thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật",
        "Inspection of inspection, supervision and discipline work",
    ),
    ("finance_inspection.inspected", "Kiểm tra tài chính đảng", "Inspection of party finances"),
    ("discipline.disciplined", "Thi hành kỷ luật", "Disciplined"),
    ("discipline.suspended", "Đình chỉ sinh hoạt đảng", "Party activity suspended"),
    ("discipline.removed_from_rolls", "Xóa tên", "Removed from the rolls"),
    ("discipline.let_go", "Cho ra khỏi Đảng", "Allowed to leave the party"),
    ("complaints.received", "Tiếp nhận khiếu nại kỷ luật đảng", "Complaints about discipline"),
    ("denunciations.received", "Tiếp nhận tố cáo", "Denunciations"),
    ("asset_verification.verified", "Xác minh tài sản, thu nhập", "Assets and incomes verified"),
)


def _comparison(w: Writer, previous: Indicators) -> list[str]:
    say, words = w.words.say, w.words
    before = previous.period.label_vi if words.lang == "vi" else previous.period.label_en
    lines = []
    now_plans, then_plans = w.figures.plans_total().contents, previous.plans_total().contents
    if now_plans or then_plans:
        delta = now_plans - then_plans
        change = (
            say(
                "{verb} {n} nội dung so với {b}",
                "{n} {word} than in {b}",
                verb="tăng" if delta > 0 else "giảm",
                word="more" if delta > 0 else "fewer",
                n=words.number(abs(delta)),
                b=before,
            )
            if delta
            else say("bằng {b}", "the same as in {b}", b=before)
        )
        lines.append(
            say(
                "- Nội dung kiểm tra, giám sát theo chương trình, kế hoạch: {n}, {c}.",
                "- Contents of the inspection and supervision plans: {n}, {c}.",
                n=words.number(now_plans),
                c=change,
            )
        )
    for key, vi, en in _COMPARED:
        now, then = w.total(key), previous.total(key)
        if not (now.organisations or now.members or then.organisations or then.members):
            continue
        change = words.change(now, then)
        lines.append(
            say(
                "- {name}: {now}, {change}.",
                "- {name}: {now}, {change}.",
                name=vi if words.lang == "vi" else en,
                now=words.count(now, committee=False) or say("không có", "none"),
                change=say("{c} so với {b}", "{c} than in {b}", c=change, b=before)
                if change
                else say("bằng {b}", "the same as in {b}", b=before),
            )
        )
    if not lines:
        return [say("Không có số liệu để so sánh.", "There are no figures to compare.")]
    return lines


def _paragraph(text: str) -> str:
    indent = "  " if text.startswith("- ") else ""
    return textwrap.fill(
        text, _WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def commission_report(
    current: Indicators,
    *,
    previous: Indicators | None = None,
    lang: str = "vi",
    title: str | None = None,
) -> str:
    """The report a commission publishes on ``current``'s period, in ``lang`` (``vi`` or ``en``).

    ``previous``, the figures of an earlier period (usually ``current.period.previous()``), adds
    the comparison with it. ``title`` replaces the default heading. The text is wrapped at 100
    columns: a heading, the span of the period, then numbered sections of sentences. Levels are
    those the period shows (``district`` is left out of periods ending after 1 July 2025).

    >>> from discipline_flow.reports.indicators import Count, Indicators
    >>> from discipline_flow.reports.period import Period
    >>> now = Indicators(Period.parse("2023"), ("grassroots",),
    ...                  {"discipline.removed_from_rolls": {"grassroots": Count(members=14)}})
    >>> then = Indicators(Period.parse("2022"), ("grassroots",),
    ...                   {"discipline.removed_from_rolls": {"grassroots": Count(members=11)}})
    >>> print(commission_report(now, previous=then).split("\\n\\n")[-1])
    10. So sánh với năm 2022
    - Xóa tên: 14 đảng viên, tăng 3 đảng viên so với năm 2022.
    >>> print(commission_report(now, previous=then, lang="en").split("\\n\\n")[-1])
    10. Comparison with 2022
    - Removed from the rolls: 14 party members, 3 more party members than in 2022.
    """
    w = Writer(current, lang)
    say, period = w.words.say, current.period
    heading = title or say(
        "BÁO CÁO KẾT QUẢ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG {vi}",
        "Report on inspection, supervision and party discipline in {en}",
        vi=period.label_vi.upper(),
        en=period.label_en,
    )
    span = say(
        "Số liệu từ ngày {a} đến hết ngày {b}.",
        "Figures from {a} to {b} inclusive.",
        a=w.words.date(period.start.date()),
        b=w.words.date(period.last_day),
    )
    blocks = [_paragraph(heading) + "\n" + _paragraph(span)]
    sections = [(say(vi, en), write(w)) for vi, en, write in SECTIONS]
    if previous is not None:
        sections.append(
            (
                say(
                    "So sánh với {b}",
                    "Comparison with {b}",
                    b=previous.period.label_vi
                    if w.words.lang == "vi"
                    else previous.period.label_en,
                ),
                _comparison(w, previous),
            )
        )
    for number, (name, lines) in enumerate(sections, start=1):
        blocks.append("\n".join([f"{number}. {name}", *(_paragraph(line) for line in lines)]))
    return "\n\n".join(blocks)
