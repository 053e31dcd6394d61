"""Guards the shipped processes share, for user-defined workflows to reuse.

Every factory takes what the guard judges by (the :class:`~discipline_flow.rules.Ruleset` the
workflow is built from, a deadline rule, a citation) and returns a
:class:`~discipline_flow.Guard` whose ``basis`` is the citation of the rule it enforces. A
refusal says what would be allowed and names the rule (the reason ends with ``[citation]``).
Guards deny by default: a missing or unreadable payload value refuses the move with a reason
that names the payload key and the form it takes (:data:`PAYLOAD_KEYS`).

What a guard remembers (authority answers, vote tallies, limitation results) it keeps in its
own closure, bounded: nothing is shared between workflows or kept at module level.

The modules, by what they judge:

- :mod:`~discipline_flow.processes.guards.payload`: reading the payload and the history.
- :mod:`~discipline_flow.processes.guards.bodies`: who acts (party bodies, levels, ranks).
- :mod:`~discipline_flow.processes.guards.authority`: the authority matrix.
- :mod:`~discipline_flow.processes.guards.voting`: votes and the expulsion proposal.
- :mod:`~discipline_flow.processes.guards.limitation`: the limitation period and deferrals.
- :mod:`~discipline_flow.processes.guards.measure_end`: whether a decision ends automatically.
- :mod:`~discipline_flow.processes.guards.admissibility`: accepting a complaint.
- :mod:`~discipline_flow.processes.guards.extension`: extending a deadline within its policy.
- :mod:`~discipline_flow.processes.guards.eras`: the regulation a ruleset rests on.

>>> import datetime as dt, enum, pendulum
>>> from discipline_flow import Body, BodyKind, Member, Transition, Workflow
>>> from discipline_flow.errors import TransitionRefused
>>> from discipline_flow.processes import guards
>>> from discipline_flow.rules import select_ruleset
>>> class S(enum.Enum):
...     HEARD = "heard"
...     DECIDED = "decided"
>>> class T(enum.Enum):
...     DECIDE = "decide"
>>> rules = select_ruleset(dt.date(2025, 9, 1))
>>> wf = Workflow(name="my_discipline", version="1", states=S, triggers=T, initial=S.HEARD,
...               terminal={S.DECIDED},
...               transitions=[Transition(T.DECIDE, S.HEARD, S.DECIDED,
...                                       guards=(guards.may_decide(rules),
...                                               guards.not_time_barred(rules)))])
>>> at = pendulum.datetime(2025, 9, 15, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor=Body(BodyKind.PARTY_CELL, "cell-7"),
...                payload={"violation_on": "2025-03-10"})
>>> try:
...     case.fire("DECIDE", at=at, actor=Body(BodyKind.PARTY_CELL, "cell-7"),
...               payload={"measure": "expulsion"})
... except TransitionRefused as refused:
...     print(refused.failures[0].guard)
authority
>>> _ = case.fire("DECIDE", at=at, actor=Body(BodyKind.PARTY_CELL, "cell-7"),
...               payload={"measure": "warning"})
>>> case.state.name
'DECIDED'
"""

from __future__ import annotations

from discipline_flow.processes.guards.admissibility import (
    admissible,
    not_accepted_grounds,
    not_admissible,
)
from discipline_flow.processes.guards.authority import (
    Permissions,
    authority_basis,
    may_decide,
    may_decide_or_propose,
    may_propose,
)
from discipline_flow.processes.guards.bodies import (
    ERA_GUARDS,
    PARTY_BODIES_ONLY,
    actor_kind,
    body_at_level,
    body_code,
    body_kinds,
    body_level,
    body_rank,
    district_guards,
    higher_body,
    levels_under,
    no_district_level,
    party_body,
    party_level,
    subject_is_member,
)
from discipline_flow.processes.guards.eras import (
    era_citation,
    governing_regulation,
    regulation_of,
)
from discipline_flow.processes.guards.extension import extension_within
from discipline_flow.processes.guards.limitation import (
    deferral_reason,
    deferrals_of,
    limitation_check,
    limitation_periods,
    not_time_barred,
    time_barred,
)
from discipline_flow.processes.guards.measure_end import measure_can_end, measure_never_ends
from discipline_flow.processes.guards.payload import (
    PAYLOAD_KEYS,
    find_value,
    guarded,
    history_values,
    local_day,
    measure_of,
    missing_reason,
    parse_day,
    parse_measure,
    requires,
)
from discipline_flow.processes.guards.voting import (
    expulsion_proposal,
    subject_not_voting,
    tally_of,
    vote_carries,
)

__all__ = [
    "ERA_GUARDS",
    "PARTY_BODIES_ONLY",
    "PAYLOAD_KEYS",
    "Permissions",
    "actor_kind",
    "admissible",
    "authority_basis",
    "body_at_level",
    "body_code",
    "body_kinds",
    "body_level",
    "body_rank",
    "deferral_reason",
    "deferrals_of",
    "district_guards",
    "era_citation",
    "expulsion_proposal",
    "extension_within",
    "find_value",
    "governing_regulation",
    "guarded",
    "higher_body",
    "history_values",
    "levels_under",
    "limitation_check",
    "limitation_periods",
    "local_day",
    "may_decide",
    "may_decide_or_propose",
    "may_propose",
    "measure_can_end",
    "measure_never_ends",
    "measure_of",
    "missing_reason",
    "no_district_level",
    "not_accepted_grounds",
    "not_admissible",
    "not_time_barred",
    "parse_day",
    "parse_measure",
    "party_body",
    "party_level",
    "regulation_of",
    "requires",
    "subject_is_member",
    "subject_not_voting",
    "tally_of",
    "time_barred",
    "vote_carries",
]
