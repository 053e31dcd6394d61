"""Guard refusals that cannot happen by construction, each with the reason why.

A guard never seen refusing is a rule never tested, so the testing toolkit's coverage counts, for
every guard of every transition, whether it was seen refusing. Where a refusal truly cannot
happen (the state a move leaves from can only be reached once the same rule has passed, or every
body the rule would refuse is refused earlier by another rule), it is not a gap in the tests, and
counting it as one would hide the real gaps. An :class:`ImpossibleRefusal` names such an outcome
and says why; the coverage leaves it out of the guard outcomes and reports it separately, so
that the list is reviewed with the rules rather than silently dropped. A test should show that
the refusal does not happen (the shipped list: ``tests/test_processes_guard_refusals.py``).

>>> entry = ImpossibleRefusal("removal_from_rolls", "SELF_REVIEW_REQUESTED", "INVITE_SELF_REVIEW",
...                           "SELF_REVIEW_REQUESTED", "subject_is_member", "checked before")
>>> entry.matches("removal_from_rolls@2026", "SELF_REVIEW_REQUESTED", "INVITE_SELF_REVIEW",
...               "SELF_REVIEW_REQUESTED", "subject_is_member")
True
>>> str(entry)
'removal_from_rolls: subject_is_member on SELF_REVIEW_REQUESTED -INVITE_SELF_REVIEW-> SELF_REVIEW_REQUESTED (checked before)'
"""

from __future__ import annotations

import attrs

__all__ = ["ImpossibleRefusal"]


@attrs.frozen
class ImpossibleRefusal:
    """Guard ``guard`` on the move ``trigger`` from ``source`` to ``target`` of ``workflow``
    (a workflow's name, for every version, or ``name@version`` for one) can never refuse;
    ``why`` says why, in words a reviewer can check against the definition."""

    workflow: str
    source: str
    trigger: str
    target: str
    guard: str
    why: str

    def matches(self, workflow: str, source: str, trigger: str, target: str, guard: str) -> bool:
        """Whether this entry names the outcome of ``guard`` on that move of ``workflow`` (a
        key, ``name@version``)."""
        return self.workflow in (workflow, workflow.split("@", 1)[0]) and (
            self.source,
            self.trigger,
            self.target,
            self.guard,
        ) == (source, trigger, target, guard)

    def __str__(self) -> str:
        move = f"{self.source} -{self.trigger}-> {self.target}"
        return f"{self.workflow}: {self.guard} on {move} ({self.why})"
