"""The sections of a commission's report: each writes its sentences from the figures.

:data:`SECTIONS` lists them in the order a commission's report gives them, each with its heading
in Vietnamese and English; :func:`~discipline_flow.reports.commission.commission_report` puts
them together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from discipline_flow.measure import Measure
from discipline_flow.reports._phrases import Phrases
from discipline_flow.reports.indicators import Count, Indicators, PlanFigures, levels_for
from discipline_flow.reports.numbers import format_percent

__all__ = ["SECTIONS", "Writer"]


class Writer:
    """What every section needs: the figures, the phrases of the language, the levels shown."""

    def __init__(self, figures: Indicators, lang: str) -> None:
        self.figures = figures
        self.words = Phrases(lang)
        self.levels = levels_for(figures.period, figures.levels)
        self.period = figures.period.label_vi if lang == "vi" else figures.period.label_en

    def total(self, key: str) -> Count:
        return self.figures.total(key)

    def none(self, vi: str, en: str) -> list[str]:
        """The one line of a section with nothing counted."""
        return [self.words.say("Trong {p}, " + vi, "In {p}, " + en, p=self.period)]

    def by_level(self, key: str, vi: str, en: str) -> list[str]:
        """A sentence giving ``key`` by level, or nothing when no level shown counted it."""
        text = self.words.by_level(self.figures.by_level(key), self.levels)
        return [self.words.say(vi + ": {t}.", en + ": {t}.", t=text)] if text else []


def _top_committee_plan(w: Writer) -> tuple[str, PlanFigures] | None:
    """The highest level shown whose party committee adopted plans, and those plans."""
    for level in w.levels:
        plan = w.figures.committee_plans.get(level)
        if plan is not None and (plan.contents or plan.out_of_plan_teams):
            return level, plan
    return None


def _committee_plan(w: Writer, level: str, plan: PlanFigures) -> list[str]:
    """The sentences a report opens its plans with: the plan of the committee at its top
    ``level``, its contents, teams and subjects, and what it added outside the plan."""
    say, n, noun = w.words.say, w.words.number, w.words.noun
    line = say(
        "Ban Thường vụ cấp ủy {level} đã ban hành chương trình kiểm tra, giám sát với {c} "
        "({i} nội dung kiểm tra, {s} nội dung giám sát)",
        "The standing committee at the {level} level adopted its inspection and supervision "
        "programme with {c} ({i} of inspection, {s} of supervision)",
        level=w.words.level(level),
        c=noun(plan.contents, "nội dung", "content"),
        i=n(plan.inspection_contents),
        s=n(plan.supervision_contents),
    )
    if plan.teams:
        line += say(
            ", thành lập {t}",
            " and set up {t}",
            t=noun(plan.teams, "đoàn kiểm tra, giám sát", "team"),
        )
        subjects = w.words.count(plan.subjects)
        line += say(" đối với {s}", " for {s}", s=subjects) if subjects else ""
    lines = [line + "."]
    if plan.out_of_plan_teams:
        line = say(
            "Ngoài chương trình, đã thành lập {t}",
            "Outside the programme, it set up {t}",
            t=noun(plan.out_of_plan_teams, "đoàn kiểm tra, giám sát", "team"),
        )
        subjects = w.words.count(plan.out_of_plan_subjects)
        line += say(" đối với {s}", " for {s}", s=subjects) if subjects else ""
        lines.append(line + ".")
    return lines


def _plans(w: Writer) -> list[str]:
    say, total = w.words.say, w.figures.plans_total()
    if not (total.contents or total.teams or total.out_of_plan_teams):
        return w.none(
            "không có chương trình, kế hoạch kiểm tra, giám sát nào.",
            "there were no inspection and supervision plans.",
        )
    n, noun = w.words.number, w.words.noun
    found = _top_committee_plan(w)
    lines = _committee_plan(w, *found) if found is not None else []
    top = found[1] if found is not None else None
    first = say(
        "Cấp ủy, ủy ban kiểm tra các cấp đã ban hành {plans}chương trình, kế hoạch kiểm tra, "
        "giám sát với {contents} ({i} nội dung kiểm tra, {s} nội dung giám sát)",
        "Party committees and inspection commissions at all levels adopted {plans_en} with "
        "{contents} ({i} of inspection, {s} of supervision)",
        plans=f"{n(total.plans)} " if total.plans else "",
        plans_en=noun(total.plans, "", "inspection and supervision plan")
        if total.plans
        else "inspection and supervision plans",
        contents=noun(total.contents, "nội dung", "content"),
        i=n(total.inspection_contents),
        s=n(total.supervision_contents),
    )
    if total.teams:
        teams = noun(total.teams, "đoàn kiểm tra, giám sát", "inspection and supervision team")
        subjects = w.words.count(total.subjects)
        first += say("; thành lập {t}", " and set up {t}", t=teams)
        first += say(" đối với {s}", " for {s}", s=subjects) if subjects else ""
    lines.append(first + ".")
    # Teams outside the plans, but for those told of with the top committee's programme.
    outside, left = total.out_of_plan_teams, total.out_of_plan_subjects
    if top is not None:
        outside -= top.out_of_plan_teams
        left -= top.out_of_plan_subjects
    if outside:
        line = say(
            "Ngoài chương trình, kế hoạch, {who}đã thành lập {t}",
            "Outside the plans, {t} {were} set up{who_en}",
            who="các cấp " if top is not None else "",
            who_en=" at the other levels" if top is not None else "",
            t=noun(outside, "đoàn kiểm tra, giám sát", "team"),
            were="was" if outside == 1 else "were",
        )
        named = w.words.count(left)
        lines.append(line + (say(" đối với {s}", " for {s}", s=named) if named else "") + ".")
    if total.contents:
        lines.append(
            say(
                "Đến hết {p}, đã hoàn thành {done}/{all} nội dung, đạt {pct} kế hoạch.",
                "By the end of {p}, {done} of the {all} contents had been completed ({pct} of the "
                "plans).",
                p=w.period,
                done=n(total.contents_done),
                all=n(total.contents),
                pct=format_percent(total.contents_done, total.contents, lang=w.words.lang),
            )
        )
    parts = []
    for level in w.levels:
        plan = w.figures.plans.get(level)
        if plan is None or not plan.contents:
            continue
        parts.append(
            say(
                "{level} {c} ({i} kiểm tra, {s} giám sát), hoàn thành {done}",
                "{c} at the {level} level ({i} of inspection, {s} of supervision), {done} completed",
                level=w.words.level(level),
                c=noun(plan.contents, "nội dung", "content"),
                i=n(plan.inspection_contents),
                s=n(plan.supervision_contents),
                done=n(plan.contents_done),
            )
        )
    if parts:
        lines.append(say("Chia theo cấp: {t}.", "By level: {t}.", t="; ".join(parts)))
    return lines


def _regular_inspection(w: Writer) -> list[str]:
    inspected = w.total("regular_inspection.inspected")
    if inspected.is_zero:
        return w.none(
            "không có cuộc kiểm tra nào theo Điều 30 Điều lệ Đảng kết thúc.",
            "no inspection under Article 30 of the Party Charter was concluded.",
        )
    say, count = w.words.say, w.words.count
    line = say(
        "Cấp ủy, tổ chức đảng các cấp đã kiểm tra {x} theo Điều 30 Điều lệ Đảng",
        "Party committees and organisations at all levels inspected {x} under Article 30 of the "
        "Party Charter",
        x=count(inspected),
    )
    faults = w.total("regular_inspection.with_shortcomings")
    if not faults.is_zero:
        line += say(
            "; qua kiểm tra, kết luận {x} có khuyết điểm, vi phạm",
            "; {x} had shortcomings or violations",
            x=count(faults, committee=False),
        )
    must = w.total("regular_inspection.must_be_disciplined")
    if not must.is_zero:
        line += say(
            ", trong đó {x} phải thi hành kỷ luật",
            ", and {x} must be disciplined",
            x=count(must, committee=False),
        )
    return [line + ".", *w.by_level("regular_inspection.inspected", "Chia theo cấp", "By level")]


def _supervision(w: Writer) -> list[str]:
    say, count = w.words.say, w.words.count
    regular = w.total("supervision.regular.supervised")
    thematic = w.total("supervision.thematic.supervised")
    signs = w.total("supervision.thematic.signs_found") + w.total("supervision.regular.signs_found")
    passed = w.total("supervision.passed_to_inspection")
    if regular.is_zero and thematic.is_zero and signs.is_zero and passed.is_zero:
        return w.none("không có cuộc giám sát nào kết thúc.", "no supervision was concluded.")
    done = []
    if not regular.is_zero:
        done.append(
            say("giám sát thường xuyên đối với {x}", "regular supervision of {x}", x=count(regular))
        )
    if not thematic.is_zero:
        done.append(
            say("giám sát chuyên đề đối với {x}", "thematic supervision of {x}", x=count(thematic))
        )
    lines = []
    if done:
        lines.append(
            say(
                "Cấp ủy, tổ chức đảng và ủy ban kiểm tra các cấp đã {d}.",
                "Party committees, organisations and inspection commissions at all levels carried "
                "out {d}.",
                d=w.words.listing(done),
            )
        )
    found = []
    if not signs.is_zero:
        found.append(
            say(
                "Qua giám sát, phát hiện {x} có dấu hiệu vi phạm",
                "Supervision found signs of violation concerning {x}",
                x=count(signs, committee=False),
            )
        )
    if not passed.is_zero:
        found.append(
            say(
                "đã chuyển kiểm tra khi có dấu hiệu vi phạm đối với {x}",
                "inspections on signs of violation were opened for {x}",
                x=count(passed, committee=False),
            )
        )
    if found:
        text = "; ".join(found)
        lines.append(text[0].upper() + text[1:] + ".")
    lines += w.by_level(
        "supervision.thematic.supervised",
        "Giám sát chuyên đề chia theo cấp",
        "Thematic supervision by level",
    )
    return lines


def _inspection_on_signs(w: Writer) -> list[str]:
    inspected = w.total("inspection_on_signs.inspected")
    if inspected.is_zero:
        return w.none(
            "không có cuộc kiểm tra khi có dấu hiệu vi phạm nào kết thúc.",
            "no inspection on signs of violation was concluded.",
        )
    say, count = w.words.say, w.words.count
    line = say(
        "Ủy ban Kiểm tra các cấp đã kiểm tra khi có dấu hiệu vi phạm đối với {x}",
        "Inspection commissions at all levels inspected {x} on signs of violation",
        x=count(inspected),
    )
    violations = w.total("inspection_on_signs.with_violations")
    must = w.total("inspection_on_signs.must_be_disciplined")
    disciplined = w.total("inspection_on_signs.disciplined")
    if not violations.is_zero:
        line += say(
            "; kết luận {x} có vi phạm",
            "; {x} {were} found in violation",
            x=count(violations, committee=False),
            were=w.words.were(violations),
        )
    if not must.is_zero:
        line += say(
            ", trong đó {x} vi phạm đến mức phải thi hành kỷ luật",
            ", {x} must be disciplined",
            x=count(must, committee=False),
        )
    if not disciplined.is_zero:
        line += say(
            "; đã thi hành kỷ luật {x}",
            ", and {x} {have} been disciplined",
            x=count(disciplined, committee=False),
            have=w.words.have(disciplined),
        )
    return [line + ".", *w.by_level("inspection_on_signs.inspected", "Chia theo cấp", "By level")]


def _lower_work(w: Writer) -> list[str]:
    say, count = w.words.say, w.words.count
    work = w.total("discipline_work_inspection.inspected")
    finance = w.total("finance_inspection.inspected")
    if work.is_zero and finance.is_zero:
        return w.none(
            "không có cuộc kiểm tra nào như vậy kết thúc.",
            "no such inspection was concluded.",
        )
    lines = []
    for inspected, key, vi, en in (
        (
            work,
            "discipline_work_inspection.with_shortcomings",
            (
                "Ủy ban Kiểm tra các cấp đã kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát "
                "và thi hành kỷ luật trong Đảng đối với {x}"
            ),
            (
                "Inspection commissions at all levels inspected how {x} carried out inspection, "
                "supervision and discipline"
            ),
        ),
        (
            finance,
            "finance_inspection.with_shortcomings",
            "Ủy ban Kiểm tra các cấp đã kiểm tra tài chính đảng đối với {x}",
            "Inspection commissions at all levels inspected the finances of {x}",
        ),
    ):
        if inspected.is_zero:
            continue
        line = say(vi, en, x=count(inspected))
        faults = w.total(key)
        if not faults.is_zero:
            line += say(
                "; qua kiểm tra, {x} có khuyết điểm, vi phạm",
                "; {x} had shortcomings or violations",
                x=count(faults, committee=False),
            )
        lines.append(line + ".")
    return lines


def _discipline(w: Writer) -> list[str]:
    say, count = w.words.say, w.words.count
    disciplined = w.total("discipline.disciplined")
    others = [
        (
            w.total("discipline.suspended"),
            "đình chỉ sinh hoạt đảng đối với {x}",
            "{x} had their party activity suspended",
        ),
        (
            w.total("discipline.removed_from_rolls"),
            "xóa tên {x}",
            "{x} {were} removed from the rolls",
        ),
        (
            w.total("discipline.let_go"),
            "cho ra khỏi Đảng {x}",
            "{x} {were} allowed to leave the party",
        ),
    ]
    others = [each for each in others if not each[0].is_zero]
    if disciplined.is_zero and not others:
        return w.none(
            "không có tổ chức đảng, đảng viên nào bị thi hành kỷ luật, đình chỉ sinh hoạt, xóa tên "
            "hoặc cho ra khỏi Đảng.",
            "no party organisation or member was disciplined, suspended, removed from the rolls "
            "or allowed to leave the party.",
        )
    lines = []
    if disciplined.is_zero:
        lines += w.none(
            "không có tổ chức đảng, đảng viên nào bị thi hành kỷ luật.",
            "no party organisation or member was disciplined.",
        )
    else:
        lines.append(
            say(
                "Cấp ủy, tổ chức đảng và ủy ban kiểm tra các cấp đã thi hành kỷ luật {x}.",
                "Party committees, organisations and inspection commissions at all levels "
                "disciplined {x}.",
                x=count(disciplined),
            )
        )
        forms = []
        for measure in Measure:
            form = w.figures.form_total(measure.value)
            if form.organisations or form.members:
                forms.append(
                    say(
                        "{m} {x}",
                        "{m} for {x}",
                        m=measure.label_vi if w.words.lang == "vi" else measure.label_en,
                        x=count(form, committee=False),
                    )
                )
        if forms:
            lines.append(say("Về hình thức: {t}.", "By form: {t}.", t="; ".join(forms)))
        lines += w.by_level(
            "discipline.disciplined", "Chia theo cấp quyết định", "By deciding level"
        )
    if others:
        done = [
            say(vi, en, x=count(each, committee=False), were=w.words.were(each))
            for each, vi, en in others
        ]
        lead = say("Ngoài ra, đã ", "In addition, ") if not disciplined.is_zero else say("Đã ", "")
        text = lead + w.words.listing(done)
        lines.append(text[0].upper() + text[1:] + ".")
    return lines


def _complaints(w: Writer) -> list[str]:
    say, count = w.words.say, w.words.count
    received = w.total("complaints.received")
    resolved = w.total("complaints.resolved")
    if received.is_zero and resolved.is_zero:
        return w.none(
            "không phát sinh khiếu nại kỷ luật đảng.", "no complaint about discipline was made."
        )
    done = []
    if not received.is_zero:
        done.append(
            say(
                "tiếp nhận khiếu nại kỷ luật đảng của {x}",
                "received complaints about discipline from {x}",
                x=count(received),
            )
        )
    if not resolved.is_zero:
        done.append(
            say(
                "đã giải quyết khiếu nại của {x}",
                "resolved those of {x}",
                x=count(resolved, committee=False),
            )
        )
    line = say(
        "Cấp ủy, ủy ban kiểm tra các cấp đã {d}",
        "Party committees and inspection commissions at all levels {d}",
        d=w.words.listing(done),
    )
    outcomes = []
    for key, vi, en in (
        ("complaints.upheld", "giữ nguyên hình thức kỷ luật", "the decision was upheld in"),
        ("complaints.changed_heavier", "tăng hình thức kỷ luật", "changed to a heavier form in"),
        ("complaints.changed_lighter", "giảm hình thức kỷ luật", "changed to a lighter form in"),
        ("complaints.annulled", "xóa bỏ quyết định kỷ luật", "annulled in"),
    ):
        figure = w.total(key)
        cases = figure.organisations + figure.members
        if cases:
            outcomes.append(
                say(
                    "{t} {n}",
                    "{t} {n}",
                    t=vi if w.words.lang == "vi" else en,
                    n=w.words.noun(cases, "trường hợp", "case"),
                )
            )
    if outcomes:
        line += say(": {o}", ": {o}", o=w.words.series(outcomes))
    return [line + "."]


def _denunciations(w: Writer) -> list[str]:
    say, count = w.words.say, w.words.count
    steps = [
        (
            w.total("denunciations.received"),
            "tiếp nhận tố cáo đối với {x}",
            "received denunciations concerning {x}",
        ),
        (
            w.total("denunciations.resolved"),
            "giải quyết tố cáo đối với {x}",
            "resolved those concerning {x}",
        ),
        (
            w.total("denunciations.not_handled"),
            "không xem xét, giải quyết tố cáo đối với {x}",
            "declined to handle those concerning {x}",
        ),
        (
            w.total("denunciations.used_for_inspection"),
            "sử dụng tố cáo đối với {x} làm nguồn kiểm tra",
            "used those concerning {x} as the source of an inspection",
        ),
    ]
    done = [
        say(vi, en, x=count(figure, committee=i == 0))
        for i, (figure, vi, en) in enumerate(steps)
        if not figure.is_zero
    ]
    if not done:
        return w.none("không phát sinh tố cáo.", "no denunciation was made.")
    return [
        say(
            "Cấp ủy, ủy ban kiểm tra các cấp đã {d}.",
            "Party committees and inspection commissions at all levels {d}.",
            d=w.words.listing(done),
        )
    ]


def _assets(w: Writer) -> list[str]:
    say, count = w.words.say, w.words.count
    verified = w.total("asset_verification.verified")
    escalated = w.total("asset_verification.escalated")
    if verified.is_zero and escalated.is_zero:
        return w.none(
            "không có cuộc xác minh tài sản, thu nhập nào kết thúc.",
            "no verification of assets and incomes was concluded.",
        )
    line = say(
        "Ủy ban Kiểm tra các cấp đã xác minh tài sản, thu nhập đối với {x}",
        "Inspection commissions at all levels verified the assets and incomes of {x}",
        x=count(verified),
    )
    if not escalated.is_zero:
        line += say(
            "; qua xác minh, chuyển kiểm tra khi có dấu hiệu vi phạm đối với {x}",
            "; {x} {were} passed on for inspection on signs of violation",
            x=count(escalated, committee=False),
            were=w.words.were(escalated),
        )
    return [line + "."]


SECTIONS: Sequence[tuple[str, str, Callable[[Writer], list[str]]]] = (
    (
        "Xây dựng và thực hiện chương trình, kế hoạch kiểm tra, giám sát",
        "Inspection and supervision plans",
        _plans,
    ),
    (
        "Kiểm tra của cấp ủy, tổ chức đảng theo Điều 30 Điều lệ Đảng",
        "Inspection by party committees and organisations (Article 30 of the Party Charter)",
        _regular_inspection,
    ),
    ("Công tác giám sát", "Supervision", _supervision),
    (
        "Kiểm tra tổ chức đảng và đảng viên khi có dấu hiệu vi phạm",
        "Inspection of party organisations and members on signs of violation",
        _inspection_on_signs,
    ),
    (
        (
            "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật và kiểm tra "
            "tài chính đảng"
        ),
        (
            "Inspection of lower bodies' inspection, supervision and discipline work and of "
            "party finances"
        ),
        _lower_work,
    ),
    ("Thi hành kỷ luật đảng", "Party discipline", _discipline),
    ("Giải quyết khiếu nại kỷ luật đảng", "Complaints about discipline", _complaints),
    ("Giải quyết tố cáo", "Denunciations", _denunciations),
    ("Xác minh tài sản, thu nhập", "Verification of assets and incomes", _assets),
)
