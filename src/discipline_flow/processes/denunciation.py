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
    the ruleset's ``denunciation_not_handled_grounds``); ``USE_FOR_INSPECTION`` (``has_concrete_content``: true; then
    call :func:`open_inspection`); ``ACCEPT`` (``complains_about_discipline``: true refuses it,
    the letter being a complaint, where the ruleset's
    ``complaint_and_denunciation_handled_as_complaint`` holds); ``START_VERIFICATION`` (``team_decided_on``: the
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
    those against its own members (QĐ 22-QĐ/TW Điều 19; QĐ 296-QĐ/TW Điều 18): the ruleset's
    ``denunciation_resolvers``. The competent body registers, classifies, verifies and concludes;
    district-level bodies are refused from 1 July 2025. The grounds for not handling a letter
    and whether a withdrawal ends the resolution are the ruleset's
    ``denunciation_not_handled_grounds`` and ``denunciation_withdrawal_ends_resolution``.

Legal basis
    QĐ 22-QĐ/TW Điều 19 (verified); QĐ 296-QĐ/TW Điều 18, 19 (secondary); QĐ 164-QĐ/TW (2024,
    verified); a grassroots handbook for the 90 + 30 working days, the grounds for not handling a
    letter and the withdrawal rule (verified, its own legal basis not shown); HD 07-HD/UBKTTW (2019)
    for the start on receipt by the competent body (verified).

What is uncertain
    The resolution periods under QĐ 22, QĐ 296 and QĐ 21 were not retrieved (the handbook's
    values are used); the list of grounds for not handling a letter was truncated in the source;
    the 25/30 working-day congress freeze (HD 07-HD/UBKTTW 2019) is historical and not encoded;
    a letter that both complains and denounces is handled as a complaint (HD 02-HD/TW 2021):
    accepting it as a denunciation is refused; open a complaint case for it yourself.

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
from typing import Any, NamedTuple

from discipline_flow.actors import Level
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.errors import InputError
from discipline_flow.processes._denunciation_guards import (
    centrally_managed,
    competent_body,
    flag,
    ground_given,
    not_a_complaint,
    used_for_inspection,
    withdrawal_allowed,
)
from discipline_flow.processes._tables import Move, Pieces, moves_for, transitions
from discipline_flow.processes.guards import (
    ERA_GUARDS,
    district_guards,
    extension_within,
)
from discipline_flow.processes.inspection import open_inspection
from discipline_flow.rules import Ruleset
from discipline_flow.time import DeadlineRule, ExtensionPolicy
from discipline_flow.workflow import Guard, Label, Workflow

__all__ = [
    "HANDBOOK",
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

# ---------------------------------------------------------------------------- tables

#: The guards every move of the competent body runs.
_BODY = ("competent_body", "no_district_level")

#: The moves of a denunciation, in the order candidates are tried: trigger, sources, target;
#: then the guards and the legal basis, named as :func:`_pieces` builds them under a ruleset.
#: ``when``: only in the workflow for centrally-managed cadres (``central_cadre``), which checks
#: the subject on receipt, or in the others (``any_subject``); the extension only where there is
#: a time limit, telling the denouncer at the grassroots (``grassroots``).
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_BEFORE_CONCLUSION = (S.RECEIVED, S.FORWARDED, S.RECEIVED_BY_COMPETENT_BODY, S.CLASSIFIED,
                      S.ACCEPTED, S.VERIFYING)
_MOVES: tuple[Move[S, T], ...] = (
    Move(T.FORWARD, S.RECEIVED, S.FORWARDED,
         (), "receipt"),
    Move(T.REGISTER, S.RECEIVED, S.RECEIVED_BY_COMPETENT_BODY,
         _BODY, "receipt", when="any_subject"),
    Move(T.REGISTER, S.RECEIVED, S.RECEIVED_BY_COMPETENT_BODY,
         (*_BODY, "subject_centrally_managed"), "receipt", when="central_cadre"),
    Move(T.RECEIVE, S.FORWARDED, S.RECEIVED_BY_COMPETENT_BODY,
         _BODY, "receipt", when="any_subject"),
    Move(T.RECEIVE, S.FORWARDED, S.RECEIVED_BY_COMPETENT_BODY,
         (*_BODY, "subject_centrally_managed"), "receipt", when="central_cadre"),
    Move(T.CLASSIFY, S.RECEIVED_BY_COMPETENT_BODY, S.CLASSIFIED,
         _BODY),
    Move(T.DECLINE, S.CLASSIFIED, S.NOT_HANDLED,
         (*_BODY, "not_handled_ground"), "not_handled"),
    Move(T.USE_FOR_INSPECTION, S.CLASSIFIED, S.USED_FOR_INSPECTION,
         (*_BODY, "concrete_content"), "input_for_inspection"),
    Move(T.ACCEPT, S.CLASSIFIED, S.ACCEPTED,
         (*_BODY, "not_a_complaint"), "authority"),
    Move(T.START_VERIFICATION, S.ACCEPTED, S.VERIFYING,
         _BODY),
    Move(T.CONCLUDE, S.VERIFYING, S.CONCLUDED,
         _BODY, "authority"),
    Move(T.NOTIFY_RESULT, S.CONCLUDED, S.RESULT_NOTIFIED,
         _BODY, "handbook"),
    Move(T.WITHDRAW, _BEFORE_CONCLUSION, S.WITHDRAWN,
         ("withdrawal_not_coerced",), "withdrawal"),
    Move(T.EXTEND_RESOLUTION, S.VERIFYING, S.VERIFYING,
         (*_BODY, "extension_within_limit", "denouncer_notified"), "resolution", when="grassroots"),
    Move(T.EXTEND_RESOLUTION, S.VERIFYING, S.VERIFYING,
         (*_BODY, "extension_within_limit"), "resolution", when="central_cadre"),
)
# fmt: on

#: The rows of each workflow (:data:`VARIANTS`), taken once, when the module is imported.
_VARIANT_MOVES = {
    variant: moves_for(
        f"denunciation_{variant}",
        S,
        T,
        _MOVES,
        {
            "grassroots": variant == "grassroots",
            "central_cadre": variant == "central_cadre",
            "any_subject": variant != "central_cadre",
        },
    )
    for variant in VARIANTS
}


# The rows of the tables below are named tuples: typed and immutable like an attrs class, without
# the half millisecond an attrs class costs to create when the module is imported.
class _Resolution(NamedTuple):
    """A resolution deadline: the ruleset's rules for its period and its extension, what starts
    it (entering a state or firing a trigger, on the date given under ``start_date_key``) and its
    labels. It is met by the conclusion and cancelled when the resolution ends without one."""

    period_rule: str
    extension_rule: str
    start_date_key: str
    label: Label
    starts_on_enter: S | None = None
    starts_on_trigger: T | None = None


#: The resolution deadlines, by the workflow that has one.
_GRASSROOTS_RESOLUTION = _Resolution(
    "denunciation_resolution_period",
    "denunciation_resolution_extension",
    "received_on",
    Label("Resolve the denunciation", "Thời hạn giải quyết tố cáo"),
    starts_on_enter=S.RECEIVED_BY_COMPETENT_BODY,
)
_CENTRAL_CADRE_RESOLUTION = _Resolution(
    "denunciation_resolution_period_central_cadres",
    "denunciation_resolution_extension_central_cadres",
    "team_decided_on",
    Label(
        "Resolve the denunciation, from the team decision",
        "Thời hạn giải quyết tố cáo, từ ngày quyết định thành lập đoàn",
    ),
    starts_on_trigger=T.START_VERIFICATION,
)


#: Guards that do not depend on the ruleset, which some workflows add (:class:`_Variant`).
_CENTRALLY_MANAGED = centrally_managed(_CENTRAL)
_DENOUNCER_NOTIFIED = flag(
    "denouncer_notified",
    True,
    "denouncer_notified",
    HANDBOOK,
    "an extension is granted telling the denouncer",
)


class _Variant(NamedTuple):
    """What sets one denunciation workflow apart: the levels of its competent bodies, its name
    and description, its resolution deadline (None: no time limit), the guards its own rows add
    on receipt and on extension, and what else it cites."""

    levels: frozenset[Level]
    label: Label
    description: str
    resolution: _Resolution | None = None
    on_receipt: tuple[Guard, ...] = ()
    on_extension: tuple[Guard, ...] = ()
    citations: tuple[Citation, ...] = ()


#: The three workflows, by who resolves the denunciation (:data:`VARIANTS`).
_VARIANTS = {
    "grassroots": _Variant(
        frozenset({Level.GRASSROOTS}),
        Label("Denunciation (grassroots)", "Giải quyết tố cáo (cấp cơ sở)"),
        "A denunciation resolved by a party cell or a grassroots body: 90 working days from "
        "receipt by the competent body, extendable once by 30 working days.",
        _GRASSROOTS_RESOLUTION,
        on_extension=(_DENOUNCER_NOTIFIED,),
    ),
    "above_grassroots": _Variant(
        frozenset({Level.DISTRICT, Level.PROVINCIAL, Level.CENTRAL}),
        Label("Denunciation (above the grassroots)", "Giải quyết tố cáo (cấp trên cơ sở)"),
        "A denunciation resolved by a body above the grassroots level: no time limit was found "
        "in any source, so none is encoded.",
    ),
    "central_cadre": _Variant(
        frozenset({Level.CENTRAL}),
        Label(
            "Denunciation against a centrally-managed cadre",
            "Giải quyết tố cáo đối với cán bộ thuộc diện Trung ương quản lý",
        ),
        "A denunciation against a cadre managed by the Politburo or the Secretariat "
        "(QĐ 164-QĐ/TW): 180 days from the decision establishing the team, extendable by 60 days.",
        _CENTRAL_CADRE_RESOLUTION,
        on_receipt=(_CENTRALLY_MANAGED,),
        citations=(_CENTRAL,),
    ),
}


# ---------------------------------------------------------------------------- legal bases


# ---------------------------------------------------------------------------- workflows


def _resolution_rule(ruleset: Ruleset, resolution: _Resolution) -> DeadlineRule:
    """The deadline rule of ``resolution`` under ``ruleset``."""
    period = ruleset.rule(resolution.period_rule)
    return DeadlineRule(
        "denunciation_resolution",
        ruleset.period(period.key),
        starts_on_enter=resolution.starts_on_enter,
        starts_on_trigger=resolution.starts_on_trigger,
        start_date_key=resolution.start_date_key,
        met_by={S.CONCLUDED},
        cancelled_by={S.NOT_HANDLED, S.USED_FOR_INSPECTION, S.WITHDRAWN},
        extended_by=T.EXTEND_RESOLUTION,
        extension=ExtensionPolicy(max_count=1, max_total=ruleset.period(resolution.extension_rule)),
        citation=period.citation,
        label_en=resolution.label.en,
        label_vi=resolution.label.vi,
    )


def _pieces(
    ruleset: Ruleset, variant: _Variant, rule: DeadlineRule | None
) -> tuple[Pieces, tuple[Citation, ...]]:
    """The guards and the legal bases the table names, and the workflow's citations, for
    ``variant`` with its deadline ``rule`` under ``ruleset``. The withdrawal rule is named by
    the table but, as ever, not cited."""
    authority = ruleset.rule("denunciation_resolvers").citation
    not_handled = ruleset.rule("denunciation_not_handled_grounds").citation
    withdrawal = ruleset.rule("denunciation_withdrawal_ends_resolution").citation
    for_inspection = ruleset.rule("anonymous_letter_used_for_inspection").citation
    guards = [
        competent_body(variant.levels, ruleset),
        *district_guards(ruleset),
        ground_given(ruleset),
        used_for_inspection(ruleset),
        withdrawal_allowed(ruleset),
        not_a_complaint(ruleset),
        *variant.on_receipt,
        *([] if rule is None else [extension_within(rule)]),
        *variant.on_extension,
    ]
    resolution = () if rule is None else (rule.citation,)
    cited = (
        *resolution,
        authority,
        RECEIPT_BY_COMPETENT_BODY,
        HANDBOOK,
        not_handled,
        for_inspection,
    )
    bases = {
        **({} if rule is None else {"resolution": rule.citation}),
        "authority": authority,
        "receipt": RECEIPT_BY_COMPETENT_BODY,
        "handbook": HANDBOOK,
        "not_handled": not_handled,
        "input_for_inspection": for_inspection,
        "withdrawal": withdrawal,
    }
    pieces = Pieces({g.name: g for g in guards}, bases, optional=ERA_GUARDS)
    return pieces, tuple(dict.fromkeys((*cited, *variant.citations)))


def denunciation_workflow(
    ruleset: Ruleset, variant: str
) -> Workflow[Denunciation, DenunciationTrigger]:
    """The denunciation workflow ``variant`` (one of :data:`VARIANTS`) under ``ruleset``."""
    if variant not in VARIANTS:
        raise InputError("variant", f"unknown variant {variant!r}; variants: {', '.join(VARIANTS)}")
    chosen = _VARIANTS[variant]
    rule = None if chosen.resolution is None else _resolution_rule(ruleset, chosen.resolution)
    pieces, citations = _pieces(ruleset, chosen, rule)
    name = f"denunciation_{variant}"
    return Workflow(
        name=name,
        version=ruleset.name,
        states=Denunciation,
        triggers=DenunciationTrigger,
        initial=S.RECEIVED,
        terminal={S.NOT_HANDLED, S.USED_FOR_INSPECTION, S.RESULT_NOTIFIED, S.WITHDRAWN},
        transitions=transitions(name, _VARIANT_MOVES[variant], pieces),
        guards=pieces.guards,
        deadline_rules=() if rule is None else (rule,),
        labels=_LABELS,
        citations=citations,
        label=chosen.label,
        description=chosen.description,
        ruleset=ruleset.name,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """Every denunciation workflow under ``ruleset`` (for the process registry)."""
    return [denunciation_workflow(ruleset, variant) for variant in VARIANTS]
