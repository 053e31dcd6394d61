"""Asset and income verification ("xác minh tài sản, thu nhập") of a member, as a workflow.

Purpose
    A party asset-control body verifies a member's declaration of assets and income: it decides
    to verify, notifies the declarant, receives the declarant's explanation, verifies, and
    concludes whether the declaration was honest. A dishonest declaration is a prohibited act for
    members, so the matter is escalated to an inspection on signs of violation.

States
    ``VERIFICATION_DECIDED`` (initial) → ``DECLARANT_NOTIFIED`` → ``EXPLANATION_RECEIVED`` →
    ``VERIFYING`` (also straight from ``DECLARANT_NOTIFIED`` when the declarant gives no
    explanation) → ``CONCLUDED`` → ``CLOSED`` (honest) or ``ESCALATED_TO_INSPECTION``
    (dishonest). Terminal: ``CLOSED``, ``ESCALATED_TO_INSPECTION``.

Triggers and payload keys
    ``NOTIFY_DECLARANT``; ``RECEIVE_EXPLANATION`` (``explanation``); ``START_VERIFICATION``;
    ``CONCLUDE`` (``is_declaration_honest``: true or false, required); ``CLOSE`` (only for an
    honest declaration); ``ESCALATE_TO_INSPECTION`` (only for a dishonest one; then
    :func:`open_inspection`).

Deadlines
    None: the verification time limits of the Law on Anti-Corruption 2018 are recalled only, and
    no party time limit was found.

Authority
    The asset-control bodies are the inspection commissions of the committees from the level
    directly above the grassroots upward (QĐ 21-QĐ/TW, 2026): a district, provincial or central
    inspection commission while the district level exists, a provincial or central one from
    1 July 2025. Every move of the body is guarded; the subject must be a member.

Legal basis
    QĐ 21-QĐ/TW (2026) for the asset-control bodies (secondary), applied by assumption to the
    earlier rulesets; QĐ 296-QĐ/TW Điều 3 defines asset control and verification and absorbed
    QĐ 85-QĐ/TW (2017) (verified); a dishonest declaration is prohibited by QĐ 37-QĐ/TW (2021)
    (secondary), replaced by QĐ 207-QĐ/TW in 2026.

What is uncertain
    Who the asset-control bodies were before QĐ 21 (QĐ 85 covered cadres managed by the
    Politburo and the Secretariat); the steps are the general three-phase pattern, not a
    retrieved procedure; the 2025 amendment of the Law on Anti-Corruption (effective 1/7/2026)
    is not modelled.

>>> import datetime as dt, pendulum
>>> from discipline_flow import Body, BodyKind, Level, Member
>>> from discipline_flow.rules import select_ruleset
>>> wf = asset_verification_workflow(select_ruleset(dt.date(2026, 5, 4)))
>>> ubkt = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-hn", Level.PROVINCIAL)
>>> at = pendulum.datetime(2026, 5, 4, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1", managed_by=Level.PROVINCIAL), at=at, actor=ubkt, case_id="TS-1")
>>> for trigger in ("NOTIFY_DECLARANT", "START_VERIFICATION"):
...     _ = case.fire(trigger, at=at, actor=ubkt)
>>> _ = case.fire("CONCLUDE", at=at.add(days=40), actor=ubkt,
...               payload={"is_declaration_honest": True})
>>> _ = case.fire("CLOSE", at=at.add(days=41), actor=ubkt)
>>> case.state.name
'CLOSED'
"""

from __future__ import annotations

import enum
from typing import Any

from discipline_flow.actors import BodyKind, Level
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.processes._tables import Move, Pieces, transitions
from discipline_flow.processes.guards import (
    levels_under,
    regulation_of,
    requires,
    subject_is_member,
)
from discipline_flow.processes.inspection import open_inspection
from discipline_flow.rules import Ruleset
from discipline_flow.workflow import Guard, GuardContext, Label, Workflow

__all__ = [
    "NAME",
    "AssetVerification",
    "AssetVerificationTrigger",
    "asset_control_levels",
    "asset_verification_workflow",
    "open_inspection",
    "workflows",
]

#: The name of the asset verification workflow.
NAME = "asset_verification"


class AssetVerification(enum.Enum):
    """States of an asset and income verification."""

    VERIFICATION_DECIDED = "verification_decided"
    DECLARANT_NOTIFIED = "declarant_notified"
    EXPLANATION_RECEIVED = "explanation_received"
    VERIFYING = "verifying"
    CONCLUDED = "concluded"
    CLOSED = "closed"
    ESCALATED_TO_INSPECTION = "escalated_to_inspection"


class AssetVerificationTrigger(enum.Enum):
    """Triggers of an asset and income verification."""

    NOTIFY_DECLARANT = "notify_declarant"
    RECEIVE_EXPLANATION = "receive_explanation"
    START_VERIFICATION = "start_verification"
    CONCLUDE = "conclude"
    CLOSE = "close"
    ESCALATE_TO_INSPECTION = "escalate_to_inspection"


S = AssetVerification
T = AssetVerificationTrigger

_LABELS: dict[enum.Enum, Label] = {
    S.VERIFICATION_DECIDED: Label("Verification decided", "Đã quyết định xác minh"),
    S.DECLARANT_NOTIFIED: Label("Declarant notified", "Đã thông báo người kê khai"),
    S.EXPLANATION_RECEIVED: Label("Explanation received", "Đã nhận giải trình"),
    S.VERIFYING: Label("Verifying", "Đang xác minh tài sản, thu nhập"),
    S.CONCLUDED: Label("Concluded", "Đã kết luận xác minh"),
    S.CLOSED: Label("Closed: honest declaration", "Kết thúc: kê khai trung thực"),
    S.ESCALATED_TO_INSPECTION: Label(
        "Escalated to an inspection", "Chuyển kiểm tra khi có dấu hiệu vi phạm"
    ),
    T.NOTIFY_DECLARANT: Label("Notify the declarant", "Thông báo cho người kê khai"),
    T.RECEIVE_EXPLANATION: Label("Receive the explanation", "Nhận giải trình"),
    T.START_VERIFICATION: Label("Start verification", "Tiến hành xác minh"),
    T.CONCLUDE: Label("Conclude", "Kết luận xác minh"),
    T.CLOSE: Label("Close", "Kết thúc xác minh"),
    T.ESCALATE_TO_INSPECTION: Label(
        "Escalate to an inspection", "Chuyển sang kiểm tra khi có dấu hiệu vi phạm"
    ),
}

# ---------------------------------------------------------------------------- tables

#: The guard every move of the asset-control body runs.
_BODY = ("asset_control_body",)

#: The moves, in the order candidates are tried: trigger, sources, target; then the guards and
#: the legal basis, named as :func:`_pieces` builds them under a ruleset.
# One move in two lines (the move, then its guards and basis), which the formatter would undo:
# fmt: off
_TRANSITIONS: tuple[Move[S, T], ...] = (
    Move(T.NOTIFY_DECLARANT, S.VERIFICATION_DECIDED, S.DECLARANT_NOTIFIED,
         (*_BODY, "subject_is_member"), "control_bodies"),
    Move(T.RECEIVE_EXPLANATION, S.DECLARANT_NOTIFIED, S.EXPLANATION_RECEIVED,
         (*_BODY, "explanation_given")),
    Move(T.START_VERIFICATION, (S.DECLARANT_NOTIFIED, S.EXPLANATION_RECEIVED), S.VERIFYING,
         _BODY, "definitions"),
    Move(T.CONCLUDE, S.VERIFYING, S.CONCLUDED,
         (*_BODY, "conclusion_states_honesty"), "definitions"),
    Move(T.CLOSE, S.CONCLUDED, S.CLOSED,
         (*_BODY, "declaration_honest"), "control_bodies"),
    Move(T.ESCALATE_TO_INSPECTION, S.CONCLUDED, S.ESCALATED_TO_INSPECTION,
         (*_BODY, "declaration_dishonest"), "prohibited"),
)
# fmt: on


# ---------------------------------------------------------------------------- legal bases

_DEFINITIONS = Citation(
    "QĐ 296-QĐ/TW",
    "Điều 3",
    RuleStatus.VERIFIED,
    source="P-tcnnld-296; P-vnvn-296-id",
    note="defines asset control and verification; absorbed QĐ 85-QĐ/TW (2017)",
)
_PROHIBITED = Citation(
    "QĐ 37-QĐ/TW (2021)",
    None,
    RuleStatus.SECONDARY,
    source="R-28300988406 Q30",
    note="a dishonest asset declaration is a prohibited act; replaced by QĐ 207-QĐ/TW (2026)",
)


def _control_bodies(ruleset: Ruleset) -> Citation:
    """Who the asset-control bodies are: QĐ 21 (2026), recalled (one secondary source; the
    reference's Update 2026-12 U.1), assumed for earlier rulesets too."""
    note = "inspection commissions of committees from the level directly above grassroots up"
    if regulation_of(ruleset) == "QĐ 21-QĐ/TW":
        return Citation(
            "QĐ 21-QĐ/TW",
            None,
            RuleStatus.ASSUMED,
            source="R-67295393334",
            note=f"{note}; one secondary source only (reference Update 2026-12 U.1: recalled)",
        )
    return Citation(
        "QĐ 21-QĐ/TW",
        None,
        RuleStatus.ASSUMED,
        source="R-67295393334",
        note=f"{note}; the 2026 rule applied to {regulation_of(ruleset)} by assumption",
    )


def asset_control_levels(ruleset: Ruleset) -> tuple[Level, ...]:
    """The levels whose inspection commissions control assets under ``ruleset``.

    >>> import datetime as dt
    >>> from discipline_flow.rules import select_ruleset
    >>> [lv.value for lv in asset_control_levels(select_ruleset(dt.date(2025, 6, 30)))]
    ['district', 'provincial', 'central']
    >>> [lv.value for lv in asset_control_levels(select_ruleset(dt.date(2025, 7, 1)))]
    ['provincial', 'central']
    """
    return tuple(level for level in levels_under(ruleset) if level is not Level.GRASSROOTS)


# ---------------------------------------------------------------------------- guards


def _asset_control_body(ruleset: Ruleset, basis: Citation) -> Guard:
    levels = asset_control_levels(ruleset)
    words = ", ".join(lv.value for lv in levels)

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        actor = ctx.actor
        if actor.kind is BodyKind.INSPECTION_COMMISSION and actor.level in levels:
            return None
        return (
            f"{actor} is not an asset-control body; under ruleset {ruleset.name} these are the "
            f"inspection commissions at the {words} level [{basis}]"
        )

    return Guard(
        "asset_control_body",
        check,
        basis=basis,
        description=f"an inspection commission at the {words} level",
    )


def _honesty_given(basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if isinstance(ctx.payload.get("is_declaration_honest"), bool):
            return None
        return (
            "the conclusion must say whether the declaration was honest: give "
            "'is_declaration_honest' true or false"
        )

    return Guard(
        "conclusion_states_honesty",
        check,
        basis=basis,
        description="the conclusion says whether the declaration was honest",
        uses_payload=True,
    )


def _concluded_honest(expected: bool, basis: Citation) -> Guard:
    def check(ctx: GuardContext[Any, Any]) -> str | None:
        found: object = None
        for step in reversed(ctx.case.steps):
            if step.trigger is T.CONCLUDE:
                found = step.payload.get("is_declaration_honest")
                break
        if found is expected:
            return None
        if expected:
            return "the declaration was found dishonest: escalate to an inspection"
        return "the declaration was found honest: close the verification"

    name = "declaration_honest" if expected else "declaration_dishonest"
    words = "honest" if expected else "dishonest"
    return Guard(name, check, basis=basis, description=f"the declaration was found {words}")


# ---------------------------------------------------------------------------- workflow


def _pieces(ruleset: Ruleset) -> Pieces:
    """The legal bases the table names (in the order the workflow cites them) and the guards,
    under ``ruleset``."""
    bodies = _control_bodies(ruleset)
    bases = {"control_bodies": bodies, "definitions": _DEFINITIONS, "prohibited": _PROHIBITED}
    guards = [
        _asset_control_body(ruleset, bodies),
        subject_is_member("subject_is_member", _DEFINITIONS, "asset verification"),
        _honesty_given(_DEFINITIONS),
        _concluded_honest(True, _DEFINITIONS),
        _concluded_honest(False, _PROHIBITED),
        requires("explanation", name="explanation_given", what="the declarant's explanation"),
    ]
    return Pieces({g.name: g for g in guards}, bases)


def asset_verification_workflow(
    ruleset: Ruleset,
) -> Workflow[AssetVerification, AssetVerificationTrigger]:
    """Asset and income verification under ``ruleset``."""
    pieces = _pieces(ruleset)
    return Workflow(
        name=NAME,
        version=ruleset.name,
        states=AssetVerification,
        triggers=AssetVerificationTrigger,
        initial=S.VERIFICATION_DECIDED,
        terminal={S.CLOSED, S.ESCALATED_TO_INSPECTION},
        transitions=transitions(NAME, _TRANSITIONS, pieces),
        guards=pieces.guards,
        labels=_LABELS,
        citations=tuple(pieces.citations.values()),
        label=Label("Asset and income verification", "Xác minh tài sản, thu nhập"),
        description="An inspection commission above the grassroots verifies a member's asset "
        "declaration and closes it, or escalates a dishonest one to an inspection.",
        ruleset=ruleset.name,
    )


def workflows(ruleset: Ruleset) -> list[Workflow[Any, Any]]:
    """The asset verification workflow under ``ruleset`` (for the process registry)."""
    return [asset_verification_workflow(ruleset)]
