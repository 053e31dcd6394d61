"""The shipped workflows' guard refusals that cannot happen by construction, and why.

See :mod:`discipline_flow.impossible`: the coverage of the project's suite reports these apart
from the guard outcomes it counts, and ``tests/test_processes_guard_refusals.py`` checks that
none of them can be made to refuse.
"""

from __future__ import annotations

from discipline_flow.impossible import ImpossibleRefusal

__all__ = ["IMPOSSIBLE_REFUSALS"]

#: Every guard refusal of a shipped workflow that cannot happen, with the reason.
IMPOSSIBLE_REFUSALS: tuple[ImpossibleRefusal, ...] = (
    ImpossibleRefusal(
        "removal_from_rolls",
        "SELF_REVIEW_REQUESTED",
        "INVITE_SELF_REVIEW",
        "SELF_REVIEW_REQUESTED",
        "subject_is_member",
        "a further invitation leaves only from a self-review already requested, which the first "
        "invitation reached with the same guard passing, and a case's subject never changes",
    ),
    ImpossibleRefusal(
        "organisation_discipline",
        "DECIDED",
        "SIGN_DECISION",
        "IN_EFFECT",
        "takes_effect_on_signing",
        "the guard refuses only a party cell's decision (a cell's takes effect when the vote "
        "result is announced); a party cell never decides an organisation's discipline (the "
        "authority guard of DECIDE refuses it), and every built-in ruleset has decisions of "
        "other bodies take effect on signing",
    ),
)
