"""Rules by effective date: rulesets, measures, the authority matrix and voting thresholds.

Every fact a workflow needs from the regulations (a time limit, a threshold, who may decide what)
is a :class:`RulesetRule` with its citation and status, held in a :class:`Ruleset` in force over a span
of dates. :func:`select_ruleset` picks the ruleset for a date; :data:`SELECTION_DATE` says which
date of a case to pass for each process.

>>> import datetime as dt
>>> from discipline_flow.rules import select_ruleset
>>> rules = select_ruleset(dt.date(2025, 7, 1))
>>> rules.name, rules.has_district_level
('2025-07', False)
>>> rule = rules.rule("complaint_window")
>>> rule.value_text, rule.status.value, [str(a.value) for a in rule.alternatives]
('30 working days', 'verified', ['1 month', '30 days'])
"""

from discipline_flow.measure import Measure
from discipline_flow.rules.authority import (
    DENY_BY_DEFAULT,
    NO_DISTRICT_LEVEL,
    AuthorityDecision,
    check_authority,
    subject_category,
)
from discipline_flow.rules.diff import CellChange, ChangeKind, RuleChange, RulesetDiff
from discipline_flow.rules.markdown import authority_markdown, rules_markdown
from discipline_flow.rules.matrix import (
    LEVELLED_BODY_KINDS,
    AuthorityCell,
    LevelRelation,
    Permission,
    SubjectCategory,
)
from discipline_flow.rules.registry import (
    SELECTION_DATE,
    ProcessKind,
    RulesetRegistry,
    SelectionDate,
    default_registry,
    load_rulesets,
    select_ruleset,
)
from discipline_flow.rules.rule import Alternative, RulesetRule, RuleValue, format_value, value_kind
from discipline_flow.rules.ruleset import Document, Ruleset
from discipline_flow.rules.voting import VoteFailure, VoteStage, VoteTally, check_vote

__all__ = [
    "DENY_BY_DEFAULT",
    "LEVELLED_BODY_KINDS",
    "NO_DISTRICT_LEVEL",
    "SELECTION_DATE",
    "Alternative",
    "AuthorityCell",
    "AuthorityDecision",
    "CellChange",
    "ChangeKind",
    "Document",
    "LevelRelation",
    "Measure",
    "Permission",
    "ProcessKind",
    "RuleChange",
    "RuleValue",
    "Ruleset",
    "RulesetDiff",
    "RulesetRegistry",
    "RulesetRule",
    "SelectionDate",
    "SubjectCategory",
    "VoteFailure",
    "VoteStage",
    "VoteTally",
    "authority_markdown",
    "check_authority",
    "check_vote",
    "default_registry",
    "format_value",
    "load_rulesets",
    "rules_markdown",
    "select_ruleset",
    "subject_category",
    "value_kind",
]
