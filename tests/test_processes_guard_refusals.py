"""Every other guard of every shipped workflow seen refusing, saying its rule in its own words.

``test_processes_refusals.py`` breaks the rules every process shares (who acts, what the payload
must carry, the district level); this module breaks the rest, one guard at a time. For each guard
of :data:`SAYS` on each transition of each shipped workflow version, a case is built in the
source state with the toolkit (``CaseFactory.ready_for``: the input that passes every guard) and
the input is broken in the ways :data:`BREACHES` lists, in order, until that guard refuses: the
refusal must say what :data:`SAYS` gives for it (the rule, in the guard's words) and carry the
guard's legal basis. A guard that no breach makes refuse fails the test, unless
:data:`discipline_flow.processes.IMPOSSIBLE_REFUSALS` says why it cannot (and then the test checks
that it truly does not).

Where the moves out of a state share a trigger (closing the complaint window goes to "in force"
or "in force for good" by the measure), a refusal lists the guards of every candidate, so a
breach may pair a change of the guard's input with one that stops the other candidate (firing
too early, or by a state agency): the refusal then lists both, and the guard's own is checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import pendulum
import pytest

from discipline_flow import Body, BodyKind, Case, Level, Member, Organisation
from discipline_flow.errors import CaseBuildError, GuardFailure, TransitionRefused
from discipline_flow.processes import IMPOSSIBLE_REFUSALS, shipped_workflows
from discipline_flow.rules import VoteTally, default_registry
from discipline_flow.testing import CaseFactory, PathStep, PayloadProviders, StepInput
from discipline_flow.workflow import Workflow
from helpers import TZ

SHIPPED: dict[str, Workflow[Any, Any]] = {
    workflow.key: workflow for rules in default_registry() for workflow in shipped_workflows(rules)
}
FACTORY = CaseFactory()
PROVIDERS = PayloadProviders()
STATE_AGENCY = Body(BodyKind.STATE_AGENCY, "court-1")

#: What each guard says when it refuses (a regular expression searched in the reason): the rule
#: it enforces, in its own words.
SAYS: Mapping[str, str] = {
    # time: the move waits for a period to end
    "period_over": r"^the suspension runs until the end of \d{4}-\d\d-\d\d",
    "no_further_complaint": r"^the complainant may still complain to the next level until ",
    "window_passed": r"^the subject may complain until the end of .* \(30 working days\)",
    "effect_period_over": r"^the decision is in effect until the end of .* \(12 months from",
    "remediation_deadline_passed": r"^the remediation deadline runs until the end of ",
    "escalated_in_time": r"^the further complaint was sent on .*, after the window ended on ",
    "not_time_barred": r"^the limitation period of 10 years for a warning-level violation by a party (member|organisation), .*; on .* it is time-barred",
    "time_barred": r"^the limitation period of 10 years .*; on .* it is not time-barred",
    # what the move records
    "extension_allowed": r"an extension must be granted before the deadline passes",
    "extension_within_limit": r"deadline ended on .*; an extension must be granted before it passes",
    "legal_measure": r"^payload 'legal_measure' is one of ",
    "withdrawal_not_coerced": r"^give 'coerced' true or false: a withdrawal under threat",
    "not_handled_ground": r"^a letter is not handled only for: anonymous, ",
    "concrete_content": r"^give 'has_concrete_content' true or false: only a letter with concrete",
    "denouncer_notified": r"^give 'denouncer_notified' true or false: an extension is granted",
    "findings_recorded": r"^a discipline-work inspection concludes with 'findings'",
    "amount_valid": r"^'amount' is the sum found misused, a whole number of đồng",
    "invited_several_times": r"only after several invitations; give 'invitations' \(at least 2\)",
    "invited_enough": r"the cell proceeds without the self-review only after 3 invitations",
    "team_well_formed": r"^assignment\.key: expected non-empty text, got None",
    "amendment_well_formed": r"^amendment\.key: expected non-empty text, got None",
    "out_of_plan_well_formed": r"^content: expected a table, got NoneType",
    "no_violations": r"^say whether the member has violated member standing: give 'has_violations'",
    "has_violations": r"^say whether the member has violated member standing: give 'has_violations'",
    "ground_proven": r"^give 'ground', one of: no_activity_or_dues, ",
    "not_warranting_expulsion": r"^a full member whose violation warrants expulsion must be expelled",
    "conclusion_states_signs": r"must say whether supervision found signs of violation",
    "conclusion_states_honesty": r"must say whether the declaration was honest",
    "no_signs_of_violation": r"^the conclusion found signs of violation: the matter passes to an inspection",
    "signs_of_violation_found": r"^the conclusion found no signs of violation: issue a reminder instead",
    "declaration_honest": r"^the declaration was found dishonest: escalate to an inspection",
    "declaration_dishonest": r"^the declaration was found honest: close the verification",
    # votes and measures
    "resolver_vote": r"^4 of 9 voted in favour; decision of .* needs more than 1/2 \(5 of 9\)",
    "vote": r"^4 of 9 voted in favour; decision of .* needs more than 1/2 \(5 of 9\)",
    "subject_not_voting": r"is among the voters of vote; a member does not vote on their own case",
    "expulsion_proposal": r"^expulsion needs the cell's proposal, voted by at least 2/3",
    "ruling_outcome": r"^payload 'outcome' must be one of upheld, changed; got None",
    # the moves out of a state split the measures between them (in force until the effect ends,
    # or for good): the one to "in force" refuses alone only a measure it cannot read
    "measure_can_end": r"never ends automatically; only reprimand, warning and removal from post"
    r"|unknown measure '\?'",
    "takes_effect_on_signing": r"^a party cell's decision takes effect when the vote result is announced",
    "takes_effect_on_vote_announced": r"^a decision of a body above the cell takes effect when signed",
    # no measure of a member ever needs approval (the authority matrix lets its decider decide
    # it or refuses it outright), so in member discipline only a measure it cannot read
    "approved_if_needed": r"needs approval by the level above|unknown measure '\?'",
    "deferral_reason": r"^discipline is deferred only for: pregnant, on_maternity_leave, ",
    # who acts, about whom
    "by_complainant": r"^only the complainant '[\w-]+' withdraws the complaint",
    "cell_invites": r"may not do inviting the member to self-review; bodies allowed: ",
    "cell_reviews": r"may not do the review",
    "subject_is_member": r"concerns a party member, not organisation 'o-9'",
    "subject_centrally_managed": r"is neither a cadre managed at the central level nor",
}


@attrs.frozen
class Attempt:
    """A move about to be fired: on ``case``, by ``actor``, with ``payload``, at ``at``."""

    case: Case[Any, Any]
    actor: Body | str
    payload: Mapping[str, Any]
    at: dt.datetime


#: A breach changes an attempt (or builds another case); None when it does not apply.
Breach = Callable[[Attempt, Workflow[Any, Any], PathStep[Any, Any]], Attempt | None]


def _payload(changes: Mapping[str, Any]) -> Breach:
    def breach(attempt: Attempt, workflow: Any, step: Any) -> Attempt:
        return attrs.evolve(attempt, payload={**attempt.payload, **changes})

    return breach


def _early(attempt: Attempt, workflow: Any, step: Any) -> Attempt | None:
    """Fired when the case's last move was, not after the time the move waits for."""
    last = attempt.case.last_at
    return attrs.evolve(attempt, at=last) if attempt.at > last else None


def _recent(attempt: Attempt, workflow: Any, step: Any) -> Attempt:
    """A violation committed on the day of the move: not time-barred."""
    return attrs.evolve(
        attempt, payload={**attempt.payload, "violation_on": attempt.at.date().isoformat()}
    )


def _subject_votes(attempt: Attempt, workflow: Any, step: Any) -> Attempt | None:
    """The tally of the move's vote counts the subject among its voters."""
    raw = attempt.payload.get("vote")
    if not isinstance(raw, Mapping):
        return None
    tally = VoteTally.from_payload(raw)
    ballots = tally.in_favour + tally.against + tally.abstaining
    voters = frozenset({attempt.case.subject.id, *(f"v-{i}" for i in range(1, ballots))})
    with_subject = attrs.evolve(tally, voter_ids=voters).to_payload()
    return attrs.evolve(attempt, payload={**attempt.payload, "vote": with_subject})


def _later_dates(attempt: Attempt, workflow: Any, step: Any) -> Attempt | None:
    """Every day the payload gives (``filed_on``, ...) ten years later."""
    days = {
        key: (dt.date.fromisoformat(value) + dt.timedelta(days=3653)).isoformat()
        for key, value in attempt.payload.items()
        if key.endswith("_on") and isinstance(value, str)
    }
    return attrs.evolve(attempt, payload={**attempt.payload, **days}) if days else None


def _late_warning(attempt: Attempt, workflow: Any, step: Any) -> Attempt:
    """Ten years later, for a warning (dissolution and expulsion have no limitation period)."""
    return attrs.evolve(
        _late(attempt, workflow, step), payload={**attempt.payload, "measure": "warning"}
    )


def _late(attempt: Attempt, workflow: Any, step: Any) -> Attempt:
    return attrs.evolve(attempt, at=attempt.at + dt.timedelta(days=3653))


def _empty(attempt: Attempt, workflow: Any, step: Any) -> Attempt:
    return attrs.evolve(attempt, payload={})


def _by(actor: Body) -> Breach:
    def breach(attempt: Attempt, workflow: Any, step: Any) -> Attempt:
        return attrs.evolve(attempt, actor=actor)

    return breach


def _junk(attempt: Attempt, workflow: Any, step: Any) -> Iterator[Attempt]:
    """Each key of the payload in turn: unreadable, or its truth value reversed."""
    for key, value in attempt.payload.items():
        yield attrs.evolve(attempt, payload={**attempt.payload, key: "?"})
        if isinstance(value, bool):
            yield attrs.evolve(attempt, payload={**attempt.payload, key: not value})


def _rebuilt(
    attempt: Attempt,
    workflow: Workflow[Any, Any],
    step: PathStep[Any, Any],
    **build: Any,
) -> Attempt | None:
    """The move, with its usual input, on a case built in its source state another way."""
    try:
        case = FACTORY(workflow, step.source, at=attempt.case.steps[0].at, **build)
    except CaseBuildError:
        return None
    given = PROVIDERS.inputs_for(workflow, step, case)[0]
    at = max(attempt.at, case.last_at)
    return Attempt(case, given.actor or attempt.actor, given.payload, at)


def _histories(attempt: Attempt, workflow: Any, step: Any) -> Iterator[Attempt]:
    """The case built along the shortest path with the first inputs, then with each other
    alternative the providers offer for each earlier move, and about other subjects."""
    plain = _rebuilt(attempt, workflow, step)
    if plain is not None:
        yield plain
    for earlier in {s.trigger.name for s in attempt.case.steps[1:] if s.trigger is not None}:
        for choice in range(1, 4):

            def pick(move: Any, case: Any, choice: int = choice) -> StepInput:
                found = PROVIDERS.inputs_for(workflow, move, case)
                return found[min(choice, len(found) - 1)]

            other = _rebuilt(attempt, workflow, step, payloads={earlier: pick})
            if other is not None:
                yield other
    for subject in (Organisation("o-9", Level.GRASSROOTS), Member("m-8", cell_id="cell-7")):
        other = _rebuilt(attempt, workflow, step, subject=subject)
        if other is not None:
            yield other


SINGLE: tuple[Breach, ...] = (
    _early,
    _late,
    _late_warning,
    _later_dates,
    _subject_votes,
    _payload({"vote": VoteTally(9, 4, 5, 0).to_payload()}),
    _payload({"amount": -1}),
    _payload({"warrants_expulsion": True}),
    _recent,
    *(
        _payload({"measure": m})
        for m in ("expulsion", "dissolution", "removal_from_post", "warning", "reprimand")
    ),
    *(_payload({"signs_of_violation": v}) for v in (True, False)),
    *(_payload({"is_declaration_honest": v}) for v in (True, False)),
    _by(STATE_AGENCY),
    _by(Body(BodyKind.PERSON, "p-1")),
)
#: Inputs the guards cannot read (they deny by default), tried after the rules' own breaches.
UNREADABLE: tuple[Breach, ...] = (_payload({"measure": "?"}), _empty)
#: Changes that stop every candidate move, paired with the others where one is not enough.
BLOCKERS: tuple[Breach, ...] = (_early, _by(STATE_AGENCY))


def _attempts(first: Attempt, workflow: Any, step: Any) -> Iterator[Attempt]:
    """Every breach of :data:`BREACHES`, in order."""
    for breach in BREACHES:
        yield from breach(first, workflow, step)


def _singles(first: Attempt, workflow: Any, step: Any) -> Iterator[Attempt]:
    for breach in SINGLE:
        found = breach(first, workflow, step)
        if found is not None:
            yield found


def _unreadable(first: Attempt, workflow: Any, step: Any) -> Iterator[Attempt]:
    for breach in UNREADABLE:
        found = breach(first, workflow, step)
        if found is not None:
            yield found
    yield from _junk(first, workflow, step)


def _pairs(first: Attempt, workflow: Any, step: Any) -> Iterator[Attempt]:
    changes = (_singles, _histories, _unreadable)
    for changed in [found for change in changes for found in change(first, workflow, step)]:
        for blocker in BLOCKERS:
            found = blocker(changed, workflow, step)
            if found is not None:
                yield found


#: The breaches tried, in order: one change; another history or subject; an input the guard
#: cannot read; any of them with a change that stops the move's other candidates.
BREACHES: tuple[Callable[[Attempt, Any, Any], Iterator[Attempt]], ...] = (
    _singles,
    _histories,
    _unreadable,
    _pairs,
)


def _triples() -> list[Any]:
    return [
        pytest.param(key, compiled.index, guard.name, id=f"{key}#{compiled.index}:{guard.name}")
        for key, workflow in SHIPPED.items()
        for compiled in workflow.compiled
        for guard in compiled.guards
        if guard.name in SAYS
    ]


def _start(workflow: Workflow[Any, Any]) -> pendulum.DateTime:
    day = default_registry().get(workflow.ruleset or "").effective_from
    return pendulum.datetime(day.year, day.month, day.day, 9, tz=TZ)


def _refusal(key: str, index: int, guard: str) -> GuardFailure | None:
    """The first refusal by ``guard`` of transition ``index`` of ``key`` under a breach."""
    workflow = SHIPPED[key]
    step = PathStep.of(workflow.compiled[index])
    try:
        case, given, at = FACTORY.ready_for(workflow, step, at=_start(workflow))
    except CaseBuildError:  # the move never passes from the shortest path: start from it
        case = FACTORY(workflow, step.source, at=_start(workflow))
        given, at = PROVIDERS.inputs_for(workflow, step, case)[0], case.last_at
    assert given.actor is not None
    first = Attempt(case, given.actor, given.payload, at)
    for attempt in _attempts(first, workflow, step):
        case, at, actor, payload = attempt.case, attempt.at, attempt.actor, attempt.payload
        # a breach that lets the move fire would change the case the next breaches start from
        if not any(
            f.guard == guard for f in case.check(step.trigger, at=at, actor=actor, payload=payload)
        ):
            continue
        before = case.version
        with pytest.raises(TransitionRefused) as refused:
            # fired, so that --df-coverage sees the refusal
            case.fire(step.trigger, at=at, actor=actor, payload=payload)
        assert case.version == before
        return next(f for f in refused.value.failures if f.guard == guard)
    return None


@pytest.mark.parametrize(("key", "index", "guard"), _triples())
def test_every_guard_refuses_a_breach_of_its_rule(key: str, index: int, guard: str) -> None:
    compiled = SHIPPED[key].compiled[index]
    (rule,) = [g for g in compiled.guards if g.name == guard]
    step = PathStep.of(compiled)
    impossible = [
        entry
        for entry in IMPOSSIBLE_REFUSALS
        if entry.matches(key, step.source.name, step.trigger.name, step.target.name, guard)
    ]
    failure = _refusal(key, index, guard)
    if impossible:
        assert failure is None, f"listed as impossible ({impossible[0].why}) but refused: {failure}"
        return
    assert failure is not None, f"no breach made {guard} refuse {step} in {key}"
    assert re.search(SAYS[guard], failure.reason), failure.reason
    assert failure.basis == (None if rule.basis is None else str(rule.basis))
