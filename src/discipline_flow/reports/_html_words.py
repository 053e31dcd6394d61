"""The words of the HTML report, in Vietnamese and English, and its number format.

>>> number(76000, "vi"), number(76000, "en"), percent(44, 51, "vi")
('76.000', '76,000', '86,3 %')
"""

from __future__ import annotations

from discipline_flow.actors import Level
from discipline_flow.measure import Measure
from discipline_flow.reports.indicators import Section
from discipline_flow.reports.numbers import format_number

__all__ = [
    "FUNNEL",
    "MEMBER_FORMS",
    "ORGANISATION_FORMS",
    "OUTCOMES",
    "level_label",
    "number",
    "percent",
    "section_title",
    "word",
]

_WORDS: dict[str, tuple[str, str]] = {
    "title": (
        "Inspection, supervision and party discipline: {period}",
        "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng {period}",
    ),
    "contents": ("Contents", "Nội dung"),
    "report_text": ("The report", "Báo cáo"),
    "figures": ("Figures", "Số liệu"),
    "funnel": ("From supervision to discipline", "Từ giám sát đến thi hành kỷ luật"),
    "discipline": ("Discipline by form and level", "Thi hành kỷ luật theo hình thức và cấp"),
    "deadlines": ("Deadlines", "Thời hạn"),
    "plans": ("Plans and their completion", "Chương trình, kế hoạch và kết quả thực hiện"),
    "timelines": ("Case timelines", "Diễn biến vụ việc"),
    "indicator": ("Indicator", "Chỉ tiêu"),
    "organisations": ("Organisations", "Tổ chức đảng"),
    "members": ("Members", "Đảng viên"),
    "committee_members": ("of whom committee members", "trong đó cấp ủy viên"),
    "total": ("Total", "Tổng"),
    "previous": ("Previous period ({period})", "Cùng kỳ ({period})"),
    "level": ("Level", "Cấp"),
    "form": ("Form", "Hình thức"),
    "section": ("Section", "Lĩnh vực"),
    "on_time": ("On time", "Đúng hạn"),
    "late": ("Late", "Quá hạn nhưng đã xong"),
    "missed": ("Missed", "Quá hạn chưa xong"),
    "met_share": ("On time", "Tỷ lệ đúng hạn"),
    "plans_count": ("Plans", "Kế hoạch"),
    "inspection_contents": ("Inspection contents", "Nội dung kiểm tra"),
    "supervision_contents": ("Supervision contents", "Nội dung giám sát"),
    "all_contents": ("Contents", "Tổng số nội dung"),
    "contents_done": ("Done", "Đã thực hiện"),
    "teams": ("Teams", "Đoàn"),
    "subjects": ("Organisations / members covered", "Tổ chức / đảng viên được kiểm tra, giám sát"),
    "out_of_plan": ("Teams outside the plans", "Đoàn ngoài kế hoạch"),
    "completion": ("Completion", "Tỷ lệ hoàn thành"),
    "log_scale": ("logarithmic scale", "thang logarit"),
    "state": ("State", "Trạng thái"),
    "from": ("From", "Từ ngày"),
    "to": ("To", "Đến ngày"),
    "deadline": ("Deadline", "Thời hạn"),
    "started": ("Started", "Bắt đầu"),
    "outcome": ("Outcome", "Kết quả"),
    "now": ("today", "hôm nay"),
    "nothing": ("Nothing to show for this period.", "Không có số liệu trong kỳ."),
    "install_charts": (
        "Charts need matplotlib: pip install 'discipline-flow[charts]'. The figures are below as tables.",
        "Biểu đồ cần matplotlib: pip install 'discipline-flow[charts]'. Số liệu được trình bày dưới dạng bảng.",
    ),
    "generated": ("Made by discipline_flow {version}.", "Tạo bởi discipline_flow {version}."),
    "milestone": ("(less than a day)", "(dưới một ngày)"),
}

_SECTIONS: dict[Section, tuple[str, str]] = {
    Section.PLANS: ("Plans", "Chương trình, kế hoạch kiểm tra, giám sát"),
    Section.REGULAR_INSPECTION: (
        "Inspection by party committees and organisations (Charter art. 30)",
        "Kiểm tra của cấp ủy, tổ chức đảng theo Điều 30",
    ),
    Section.SUPERVISION: ("Supervision", "Giám sát"),
    Section.INSPECTION_ON_SIGNS: (
        "Inspection on signs of violation",
        "Kiểm tra đảng viên, tổ chức đảng khi có dấu hiệu vi phạm",
    ),
    Section.DISCIPLINE_WORK_INSPECTION: (
        "Inspection of lower bodies' inspection, supervision and discipline",
        "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật",
    ),
    Section.FINANCE_INSPECTION: ("Inspection of party finances", "Kiểm tra tài chính đảng"),
    Section.DISCIPLINE: ("Discipline", "Thi hành kỷ luật"),
    Section.COMPLAINTS: ("Complaints about discipline", "Giải quyết khiếu nại kỷ luật đảng"),
    Section.DENUNCIATIONS: ("Denunciations", "Giải quyết tố cáo"),
    Section.ASSET_VERIFICATION: (
        "Verification of assets and incomes",
        "Kiểm soát, xác minh tài sản, thu nhập",
    ),
    Section.REMEDIATION: ("Remediation", "Khắc phục khuyết điểm, vi phạm"),
}

#: The funnel's steps: a label (EN, VI) and the indicators added up for it.
FUNNEL: tuple[tuple[tuple[str, str], tuple[str, ...]], ...] = (
    (
        ("Supervised", "Giám sát"),
        ("supervision.regular.supervised", "supervision.thematic.supervised"),
    ),
    (
        ("Signs of violation found", "Phát hiện dấu hiệu vi phạm"),
        ("supervision.regular.signs_found", "supervision.thematic.signs_found"),
    ),
    (
        ("Inspected on signs of violation", "Kiểm tra khi có dấu hiệu vi phạm"),
        ("inspection_on_signs.inspected",),
    ),
    (("With violations", "Có vi phạm"), ("inspection_on_signs.with_violations",)),
    (
        ("Must be disciplined", "Phải thi hành kỷ luật"),
        ("inspection_on_signs.must_be_disciplined",),
    ),
    (("Disciplined", "Đã thi hành kỷ luật"), ("inspection_on_signs.disciplined",)),
)

#: The forms of discipline of a member and of an organisation, lightest first.
MEMBER_FORMS = (Measure.REPRIMAND, Measure.WARNING, Measure.REMOVAL_FROM_POST, Measure.EXPULSION)
ORGANISATION_FORMS = (Measure.REPRIMAND, Measure.WARNING, Measure.DISSOLUTION)
#: A deadline's outcomes as ``Indicators.deadlines`` counts them.
OUTCOMES = ("on_time", "late", "missed")


def word(key: str, lang: str, **values: object) -> str:
    """The word for ``key`` in ``lang`` (``vi`` or ``en``), with ``values`` filled in."""
    en, vi = _WORDS[key]
    return (vi if lang == "vi" else en).format(**values)


def section_title(section: Section, lang: str) -> str:
    """The title of a report's section."""
    en, vi = _SECTIONS[section]
    return vi if lang == "vi" else en


def level_label(level: str, lang: str) -> str:
    """A level's name, e.g. ``Cấp tỉnh`` or ``Provincial``; an unknown level as it is given."""
    try:
        known = Level(level)
    except ValueError:
        return level
    return known.label_vi.capitalize() if lang == "vi" else known.value.capitalize()


def number(value: int, lang: str) -> str:
    """An integer with thousands separated: ``76.000`` in Vietnamese, ``76,000`` in English."""
    return format_number(value, lang=lang)


def percent(part: int, whole: int, lang: str) -> str:
    """``part`` of ``whole`` as a percentage with one decimal (a comma in Vietnamese), set
    apart from its sign as a table cell shows it; ``–`` when ``whole`` is zero."""
    if whole == 0:
        return "–"
    return format_number(100 * part / whole, lang=lang, decimals=1) + " %"
