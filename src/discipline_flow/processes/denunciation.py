"""Denunciations ("tố cáo") as workflows: intake, classification, verification, conclusion.

Purpose
    A letter reports a violation by a party organisation or member. It is received (perhaps by a
    body that is not competent and forwards it), classified, and either not handled, used as
    input for an inspection on signs of violation, or accepted, verified and concluded, and the
    denouncer is told the result.

Workflows (the time limit depends on who resolves and against whom)
    ``denunciation_grassroots``: resolved by a party cell or a grassroots committee, its standing
    committee or inspection commission: 90 working days from receipt, extendable once by at most
    30 working days, telling the denouncer (rule 7 of the reference).
    ``denunciation_central_cadre``: against a cadre managed by the Politburo or the Secretariat (or
    an organisation directly under the Central Committee), resolved at the central level under
    QĐ 164-QĐ/TW: 180 days from the decision establishing the verification team, extendable by at
    most 60 days (rule 8).
    ``denunciation_above_grassroots``: resolved by a body above the grassroots level otherwise: no
    time limit was found in any source, so none is encoded.

States
    ``RECEIVED`` (initial) → ``FORWARDED`` → ``RECEIVED_BY_COMPETENT_BODY`` (or straight there when
    the first body is competent) → ``CLASSIFIED`` → ``NOT_HANDLED`` | ``USED_FOR_INSPECTION`` |
    ``ACCEPTED`` → ``VERIFYING`` → ``CONCLUDED`` → ``RESULT_NOTIFIED``; ``WITHDRAWN`` from any
    state before the conclusion. An extension is a step that stays in ``VERIFYING`` (its
    deadline records it); the workflow without a time limit has no extension. Terminal: ``NOT_HANDLED``,
    ``USED_FOR_INSPECTION``, ``RESULT_NOTIFIED``, ``WITHDRAWN``.

Triggers and payload keys
    ``FORWARD`` (``forwarded_to``: the competent body's id); ``REGISTER`` (the receiving body is
    competent) and ``RECEIVE`` (the competent body receives the forwarded letter), both with
    ``received_on``: the day the competent body received the letter, ``YYYY-MM-DD`` — for a
    letter sent by post, the postmark date; ``CLASSIFY``; ``DECLINE`` (``reason``, one of
    :data:`NOT_HANDLED_GROUNDS`); ``USE_FOR_INSPECTION`` (``has_concrete_content``: true; then
    call :func:`open_inspection`); ``ACCEPT``; ``START_VERIFICATION`` (``team_decided_on``: the
    day of the decision establishing the verification team, for the central-cadre workflow);
    ``EXTEND_RESOLUTION`` (``extend_by``, ``reason``, and at the grassroots ``denouncer_notified``:
    true); ``CONCLUDE`` (``findings``); ``NOTIFY_RESULT``; ``WITHDRAW`` (``coerced``: true or
    false — a withdrawal under threat, coercion or bribery is refused and the resolution goes on).

Deadlines
    ``denunciation_resolution``: grassroots — the ruleset's ``denunciation_resolution_period``
    (90 working days) from ``received_on``, the day itself not counted, extension at most
    ``denunciation_resolution_extension`` (30 working days); central cadres — the ruleset's
    ``denunciation_resolution_period_central_cadres`` (180 days) from the team decision, extension
    at most ``denunciation_resolution_extension_central_cadres`` (60 days). Met by the conclusion;
    cancelled when the letter is not handled, used for an inspection, or withdrawn.

Authority
    Committees, standing committees and inspection commissions resolve denunciations against
    organisations and members managed by the committee of the same level; a party cell resolves
    those against its own members (QĐ 22-QĐ/TW Điều 19; QĐ 296-QĐ/TW Điều 18). The competent body
    registers, classifies, verifies and concludes; district-level bodies are refused from
    1 July 2025.

Legal basis
    QĐ 22-QĐ/TW Điều 19 (verified); QĐ 296-QĐ/TW Điều 18, 19 (secondary); QĐ 164-QĐ/TW (2024,
    verified); a grassroots handbook for the 90 + 30 working days, the grounds for not handling a
    letter and the withdrawal rule (verified, its own legal basis not shown); HD 07-HD/UBKTTW (2019)
    for the start on receipt by the competent body (verified).

What is uncertain
    The resolution periods under QĐ 22, QĐ 296 and QĐ 21 were not retrieved (the handbook's
    values are used); the list of grounds for not handling a letter was truncated in the source;
    the 25/30 working-day congress freeze (HD 07-HD/UBKTTW 2019) is historical and not encoded;
    a letter that both complains and denounces is handled as a complaint (HD 02-HD/TW 2021) —
    route it to the complaint workflow yourself.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Member
>>> from discipline_flow.rules import select_ruleset
>>> wf = denunciation_workflow(select_ruleset(dt.date(2025, 9, 15)), "grassroots")
>>> cell = Body(BodyKind.PARTY_CELL, "cell-7")
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1", cell_id="cell-7"), at=at, actor=cell, case_id="TC-1")
>>> _ = case.fire("REGISTER", at=at, actor=cell, payload={"received_on": "2025-09-12"})
>>> case.deadline("denunciation_resolution").due_on  # 90 working days after Fri 12/9/2025
datetime.date(2026, 1, 19)
>>> for trigger in ("CLASSIFY", "ACCEPT", "START_VERIFICATION"):
...     _ = case.fire(trigger, at=at.add(days=3), actor=cell)
>>> _ = case.fire("CONCLUDE", at=at.add(days=60), actor=cell, payload={"findings": "founded"})
>>> _ = case.fire("NOTIFY_RESULT", at=at.add(days=61), actor=cell)
>>> case.state.name, case.deadline("denunciation_resolution").status(at.add(days=61)).value
('RESULT_NOTIFIED', 'met')
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow.actors import BodyKind, Level, Member, Organisation
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes.guards import (
    body_level,
    extension_within,
    no_district_level,
    regulation_of,
)
from discipline_flow.processes.inspection import open_inspection
from discipline_flow.rules import Rule, Ruleset
from discipline_flow.time import DeadlineRule, ExtensionPolicy
from discipline_flow.workflow import Guard, GuardContext, Label, Transition, Workflow

__all__ = [
    "HANDBOOK",
    "NOT_HANDLED_GROUNDS",
    "RECEIPT_BY_COMPETENT_BODY",
    "VARIANTS",
    "Denunciation",
    "DenunciationTrigger",
    "denunciation_workflow",
    "open_inspection",
    "workflows",
]


class Denunciation(enum.Enum):
    """States of a denunciation."""

    RECEIVED = "received"
    FORWARDED = "forwarded"
    RECEIVED_BY_COMPETENT_BODY = "received_by_competent_body"
    CLASSIFIED = "classified"
    NOT_HANDLED = "not_handled"
    USED_FOR_INSPECTION = "used_for_inspection"
    ACCEPTED = "accepted"
    VERIFYING = "verifying"
    CONCLUDED = "concluded"
    RESULT_NOTIFIED = "result_notified"
    WITHDRAWN = "withdrawn"


class DenunciationTrigger(enum.Enum):
    """Triggers of a denunciation."""

    FORWARD = "forward"
    REGISTER = "register"
    RECEIVE = "receive"
    CLASSIFY = "classify"
    DECLINE = "decline"
    USE_FOR_INSPECTION = "use_for_inspection"
    ACCEPT = "accept"
    START_VERIFICATION = "start_verification"
    EXTEND_RESOLUTION = "extend_resolution"
    CONCLUDE = "conclude"
    NOTIFY_RESULT = "notify_result"
    WITHDRAW = "withdraw"


S = Denunciation
T = DenunciationTrigger

#: The three workflows, by who resolves the denunciation.
VARIANTS = ("grassroots", "above_grassroots", "central_cadre")

#: The grassroots handbook the intake rules and the 90 + 30 working days were read in.
HANDBOOK = Citation(
    "Grassroots handbook on denunciations (QĐ 22-QĐ/TW era)",
    None,
    RuleStatus.VERIFIED,
    source="P-stdt-tocao",
    note="the handbook does not print its own legal basis; probably QĐ 22-QĐ/TW with HD 02-HD/TW",
)
#: The period runs from receipt by the competent body, not the first body that got the letter.
RECEIPT_BY_COMPETENT_BODY = Citation(
    "HD 07-HD/UBKTTW (2019)",
    None,
    RuleStatus.VERIFIED,
    source="P-ubkttw-tocao",
    note="the resolution period is counted from the day the competent organisation receives it",
)
#: Letters that are not resolved as denunciations (a closed list, from the handbook).
NOT_HANDLED_GROUNDS = Rule(
    "denunciation_not_handled_grounds",
    (
        "anonymous",
        "false_name",
        "no_clear_address",
        "repeat_without_new_evidence",
        "vague_content",
    ),
    label_en="Letters not resolved as denunciations",
    label_vi="Đơn tố cáo không xem xét, giải quyết",
    citation=HANDBOOK,
    note="anonymous, false-name or no clear address; a repeat of a concluded matter without new "
    "evidence; named but too vague to verify. The source's list was truncated.",
)
_WITHDRAWAL = Citation(
    HANDBOOK.document,
    None,
    RuleStatus.VERIFIED,
    source="P-stdt-tocao",
    note="a withdrawn denunciation is not resolved unless the withdrawal was due to threats, "
    "coercion or bribery",
)
_CENTRAL = Citation("QĐ 164-QĐ/TW", None, RuleStatus.VERIFIED, source="P-lawnet-164; P-vns-164")

_LABELS: dict[enum.Enum, Label] = {
    S.RECEIVED: Label("Received", "Đã tiếp nhận đơn"),
    S.FORWARDED: Label("Forwarded to the competent body", "Đã chuyển cơ quan có thẩm quyền"),
    S.RECEIVED_BY_COMPETENT_BODY: Label(
        "Received by the competent body", "Cơ quan có thẩm quyền đã nhận đơn"
    ),
    S.CLASSIFIED: Label("Classified", "Đã phân loại đơn"),
    S.NOT_HANDLED: Label("Not handled", "Không xem xét, giải quyết"),
    S.USED_FOR_INSPECTION: Label(
        "Used as input for an inspection", "Dùng làm thông tin để kiểm tra khi có dấu hiệu vi phạm"
    ),
    S.ACCEPTED: Label("Accepted", "Đã thụ lý"),
    S.VERIFYING: Label("Verifying", "Đang thẩm tra, xác minh"),
    S.CONCLUDED: Label("Concluded", "Đã kết luận"),
    S.RESULT_NOTIFIED: Label("Result notified", "Đã thông báo kết quả"),
    S.WITHDRAWN: Label("Withdrawn", "Đã rút đơn"),
    T.FORWARD: Label("Forward to the competent body", "Chuyển đơn đến cơ quan có thẩm quyền"),
    T.REGISTER: Label("Register as the competent body", "Thụ lý với tư cách cơ quan có thẩm quyền"),
    T.RECEIVE: Label("Receive the forwarded letter", "Nhận đơn được chuyển đến"),
    T.CLASSIFY: Label("Classify", "Phân loại đơn"),
    T.DECLINE: Label("Decline to handle", "Không xem xét, giải quyết"),
    T.USE_FOR_INSPECTION: Label("Use for an inspection", "Dùng làm thông tin để kiểm tra"),
    T.ACCEPT: Label("Accept", "Thụ lý giải quyết"),
    T.START_VERIFICATION: Label("Start verification", "Tiến hành thẩm tra, xác minh"),
    T.EXTEND_RESOLUTION: Label("Extend the resolution", "Gia hạn giải quyết tố cáo"),
    T.CONCLUDE: Label("Conclude", "Kết luận nội dung tố cáo"),
    T.NOTIFY_RESULT: Label("Notify the result", "Thông báo kết quả giải quyết"),
    T.WITHDRAW: Label("Withdraw", "Rút đơn tố cáo"),
}

_RESOLVERS = frozenset(
    {
        BodyKind.PARTY_CELL,
        BodyKind.PARTIAL_COMMITTEE,
        BodyKind.GRASSROOTS_COMMITTEE,
        BodyKind.COMMITTEE,
        BodyKind.STANDING_COMMITTEE,
        BodyKind.INSPECTION_COMMISSION,
        BodyKind.POLITBURO,
        BodyKind.SECRETARIAT,
        BodyKind.CENTRAL_COMMITTEE,
    }
)
_VARIANT_LEVELS = {
    "grassroots": frozenset({Level.GRASSROOTS}),
    "above_grassroots": frozenset({Level.DISTRICT, Level.PROVINCIAL, Level.CENTRAL}),
    "central_cadre": frozenset({Level.CENTRAL}),
}


def _authority(ruleset: Ruleset) -> Citation:
    """Who resolves denunciations, under the regulation of ``ruleset``."""
    regulation = regulation_of(ruleset)
    if regulation == "QĐ 22-QĐ/TW":
        return Citation(regulation, "Điều 19", RuleStatus.VERIFIED, source="P-tvpl-toCao-19")
    if regulation == "QĐ 296-QĐ/TW":
        return Citation(regulation, "Điều 18", RuleStatus.SECONDARY, source="R-28300988406 Q56")
    return Citation(
        regulation, None, RuleStatus.ASSUMED, note="QĐ 296-QĐ/TW Điều 18 assumed to carry over"
    )


def _input_for_inspection(ruleset: Ruleset) -> Citation:
    """Anonymous letters with concrete content may feed an inspection (QĐ 296 Điều 19)."""
    note = "letters with concrete content may be used, with other information, for an inspection"
    if regulation_of(ruleset) == "QĐ 296-QĐ/TW":
        return Citation(
            "QĐ 296-QĐ/TW",
            "Điều 19",
            RuleStatus.SECONDARY,
            source="R-28300988406 Q84-85",
            note=note,
        )
    return Citation(
        "QĐ 296-QĐ/TW",
        "Điều 19",
        RuleStatus.ASSUMED,
        note=f"{note}; applied to {regulation_of(ruleset)} by assumption",
    )


# ---------------------------------------------------------------------------- guards


def _competent_body(variant: str, basis: Citation) -> Guard:
    levels = _VARIANT_LEVELS[variant]
    words = ", ".join(sorted(lv.value for lv in levels))

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        actor = ctx.actor
        level = body_level(actor)
        if actor.kind not in _RESOLVERS or level is None:
            return (
                f"{actor} does not resolve denunciations; committees, their standing committees "
                f"and inspection commissions, and party cells do"
            )
        if level not in levels:
            return (
                f"{actor} acts at the {level.value} level; this workflow is for bodies at the "
                f"{words} level"
            )
        if actor.kind is BodyKind.PARTY_CELL:
            subject = ctx.subject
            if not isinstance(subject, Member):
                return "a party cell resolves denunciations against its members only"
            if subject.cell_id is not None and subject.cell_id != actor.id:
                return (
                    f"member {subject.id!r} belongs to cell {subject.cell_id!r}, not {actor.id!r}; "
                    f"a party cell resolves denunciations against its own members"
                )
        return None

    return Guard(
        "competent_body",
        check,
        basis=basis,
        description=f"a body competent to resolve denunciations, at the {words} level",
    )


def _centrally_managed(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        subject = ctx.subject
        if isinstance(subject, Member) and Level.CENTRAL in (
            subject.managed_by,
            subject.committee_level,
        ):
            return None
        if isinstance(subject, Organisation) and subject.level is Level.PROVINCIAL:
            return None
        return (
            f"{subject.id!r} is neither a cadre managed at the central level nor an organisation "
            f"directly under the Central Committee; use denunciation_grassroots or "
            f"denunciation_above_grassroots"
        )

    return Guard(
        "subject_centrally_managed",
        check,
        basis=basis,
        description="the subject is a centrally-managed cadre or an organisation under the CC",
    )


def _ground_given(basis: Citation) -> Guard:
    allowed = NOT_HANDLED_GROUNDS.value
    assert isinstance(allowed, tuple)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        reason = ctx.payload.get("reason")
        if reason in allowed:
            return None
        return f"a letter is not handled only for: {', '.join(allowed)}; got {reason!r}"

    return Guard(
        "not_handled_ground",
        check,
        basis=basis,
        description="the reason is one of the grounds for not handling a letter",
        uses_payload=True,
    )


def _flag(key: str, expected: bool, name: str, basis: Citation, why: str) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        value = ctx.payload.get(key)
        if value is expected:
            return None
        if not isinstance(value, bool):
            return f"give {key!r} true or false: {why}"
        return f"{key} is {str(value).lower()}: {why}"

    return Guard(name, check, basis=basis, description=why, uses_payload=True)


# ---------------------------------------------------------------------------- workflows


def _rule(ruleset: Ruleset, variant: str) -> DeadlineRule | None:
    if variant == "above_grassroots":
        return None
    if variant == "grassroots":
        period = ruleset.rule("denunciation_resolution_period")
        extension = ruleset.period("denunciation_resolution_extension")
        starts: dict[str, Any] = {
            "starts_on_enter": S.RECEIVED_BY_COMPETENT_BODY,
            "start_date_key": "received_on",
        }
        label = ("Resolve the denunciation", "Thời hạn giải quyết tố cáo")
    else:
        period = ruleset.rule("denunciation_resolution_period_central_cadres")
        extension = ruleset.period("denunciation_resolution_extension_central_cadres")
        starts = {"starts_on_trigger": T.START_VERIFICATION, "start_date_key": "team_decided_on"}
        label = (
            "Resolve the denunciation, from the team decision",
            "Thời hạn giải quyết tố cáo, từ ngày quyết định thành lập đoàn",
        )
    return DeadlineRule(
        "denunciation_resolution",
        ruleset.period(period.key),
        **starts,
        met_by={S.CONCLUDED},
        cancelled_by={S.NOT_HANDLED, S.USED_FOR_INSPECTION, S.WITHDRAWN},
        extended_by=T.EXTEND_RESOLUTION,
        extension=ExtensionPolicy(max_count=1, max_total=extension),
        citation=period.citation,
        label_en=label[0],
        label_vi=label[1],
    )


_TITLES = {
    "grassroots": Label("Denunciation (grassroots)", "Giải quyết tố cáo (cấp cơ sở)"),
    "above_grassroots": Label(
        "Denunciation (above the grassroots)", "Giải quyết tố cáo (cấp trên cơ sở)"
    ),
    "central_cadre": Label(
        "Denunciation against a centrally-managed cadre",
        "Giải quyết tố cáo đối với cán bộ thuộc diện Trung ương quản lý",
    ),
}


def denunciation_workflow(
    ruleset: Ruleset, variant: str
) -> Workflow[Denunciation, DenunciationTrigger]:
    """The denunciation workflow ``variant`` (one of :data:`VARIANTS`) under ``ruleset``."""
    if variant not in VARIANTS:
        raise InputError("variant", f"unknown variant {variant!r}; variants: {', '.join(VARIANTS)}")
    authority = _authority(ruleset)
    rule = _rule(ruleset, variant)
    guards: list[Guard] = [
        _competent_body(variant, authority),
        no_district_level(ruleset),
        _ground_given(HANDBOOK),
        _flag(
            "has_concrete_content",
            True,
            "concrete_content",
            _input_for_inspection(ruleset),
            "only a letter with concrete content is used as input for an inspection",
        ),
        _flag(
            "coerced",
            False,
            "withdrawal_not_coerced",
            _WITHDRAWAL,
            "a withdrawal under threat, coercion or bribery does not end the resolution",
        ),
    ]
    acting: tuple[str, ...] = ("competent_body", "no_district_level")
    entering = acting
    if variant == "central_cadre":
        guards.append(_centrally_managed(_CENTRAL))
        entering = (*acting, "subject_centrally_managed")
    transitions: list[Transition[Denunciation, DenunciationTrigger]] = [
        Transition(T.FORWARD, S.RECEIVED, S.FORWARDED, basis=RECEIPT_BY_COMPETENT_BODY),
        Transition(
            T.REGISTER,
            S.RECEIVED,
            S.RECEIVED_BY_COMPETENT_BODY,
            guards=entering,
            basis=RECEIPT_BY_COMPETENT_BODY,
        ),
        Transition(
            T.RECEIVE,
            S.FORWARDED,
            S.RECEIVED_BY_COMPETENT_BODY,
            guards=entering,
            basis=RECEIPT_BY_COMPETENT_BODY,
        ),
        Transition(T.CLASSIFY, S.RECEIVED_BY_COMPETENT_BODY, S.CLASSIFIED, guards=acting),
        Transition(
            T.DECLINE,
            S.CLASSIFIED,
            S.NOT_HANDLED,
            guards=(*acting, "not_handled_ground"),
            basis=HANDBOOK,
        ),
        Transition(
            T.USE_FOR_INSPECTION,
            S.CLASSIFIED,
            S.USED_FOR_INSPECTION,
            guards=(*acting, "concrete_content"),
            basis=_input_for_inspection(ruleset),
        ),
        Transition(T.ACCEPT, S.CLASSIFIED, S.ACCEPTED, guards=acting, basis=authority),
        Transition(T.START_VERIFICATION, S.ACCEPTED, S.VERIFYING, guards=acting),
        Transition(
            T.CONCLUDE,
            S.VERIFYING,
            S.CONCLUDED,
            guards=acting,
            basis=authority,
        ),
        Transition(T.NOTIFY_RESULT, S.CONCLUDED, S.RESULT_NOTIFIED, guards=acting, basis=HANDBOOK),
        Transition(
            T.WITHDRAW,
            (
                S.RECEIVED,
                S.FORWARDED,
                S.RECEIVED_BY_COMPETENT_BODY,
                S.CLASSIFIED,
                S.ACCEPTED,
                S.VERIFYING,
            ),
            S.WITHDRAWN,
            guards=("withdrawal_not_coerced",),
            basis=_WITHDRAWAL,
        ),
    ]
    citations = [authority, RECEIPT_BY_COMPETENT_BODY, HANDBOOK, _input_for_inspection(ruleset)]
    rules: tuple[DeadlineRule, ...] = ()
    if rule is not None:
        extend_guards = [*acting, "extension_within_limit"]
        guards.append(extension_within(rule))
        if variant == "grassroots":
            guards.append(
                _flag(
                    "denouncer_notified",
                    True,
                    "denouncer_notified",
                    HANDBOOK,
                    "an extension is granted telling the denouncer",
                )
            )
            extend_guards.append("denouncer_notified")
        transitions.append(
            Transition(
                T.EXTEND_RESOLUTION,
                S.VERIFYING,
                S.VERIFYING,
                guards=tuple(extend_guards),
                basis=rule.citation,
            )
        )
        rules = (rule,)
        citations.insert(0, rule.citation)
    if variant == "central_cadre":
        citations.append(_CENTRAL)
    return Workflow(
        name=f"denunciation_{variant}",
        version=ruleset.name,
        states=Denunciation,
        triggers=DenunciationTrigger,
        initial=S.RECEIVED,
        terminal={S.NOT_HANDLED, S.USED_FOR_INSPECTION, S.RESULT_NOTIFIED, S.WITHDRAWN},
        transitions=transitions,
        guards={g.name: g for g in guards},
        deadline_rules=rules,
        labels=_LABELS,
        citations=tuple(dict.fromkeys(citations)),
        label=_TITLES[variant],
        description=_DESCRIPTIONS[variant],
        ruleset=ruleset.name,
    )


_DESCRIPTIONS = {
    "grassroots": "A denunciation resolved by a party cell or a grassroots body: 90 working "
    "days from receipt by the competent body, extendable once by 30 working days.",
    "above_grassroots": "A denunciation resolved by a body above the grassroots level: no time "
    "limit was found in any source, so none is encoded.",
    "central_cadre": "A denunciation against a cadre managed by the Politburo or the Secretariat "
    "(QĐ 164-QĐ/TW): 180 days from the decision establishing the team, extendable by 60 days.",
}


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """Every denunciation workflow under ``ruleset`` (for the process registry)."""
    return [denunciation_workflow(ruleset, variant) for variant in VARIANTS]
