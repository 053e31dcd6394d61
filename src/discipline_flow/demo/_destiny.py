"""Each case's destiny, decided in advance from exact quotas rather than drawn case by case.

A story that may end in several ways (an inspection with no violation, remedies or discipline;
a denunciation declined, unfounded or founded) takes its outcome from a queue: the outcomes of
all its cases, in the proportions of :data:`OUTCOMES`, shuffled with the shard's random numbers.
At scale 1 the queue holds exactly the quotas, so the year's results are the seed's whatever the
seed; what the seed changes is which case gets which outcome, the days and the subjects. The
members' disciplinary measures come the same way, from :data:`MEMBER_MEASURES`, each given to a
member it may apply to.

>>> allot(8, (("discipline", 5), ("remediation", 2), ("no_violation", 1)))
['discipline', 'discipline', 'discipline', 'discipline', 'discipline', 'remediation', 'remediation', 'no_violation']
>>> allot(3, (("discipline", 5), ("remediation", 2), ("no_violation", 1)))
['discipline', 'discipline', 'remediation']
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from discipline_flow.actors import Member
from discipline_flow.rules import Measure

__all__ = ["MEMBER_MEASURES", "OUTCOMES", "Destinies", "allot", "fits", "scaled"]

#: How the cases of each story end, at scale 1 (the story's quota is the sum). Inspections on
#: signs of violation conclude with discipline, remedies or no violation; a denunciation is
#: founded (discipline follows), unfounded or declined; an asset declaration is honest or
#: passes to an inspection (which leads to discipline); a member's disciplinary case ends in a
#: decision in effect, without discipline, or is still in progress at the year's end.
OUTCOMES: Mapping[str, tuple[tuple[str, int], ...]] = {
    "escalated_supervision_member": (("discipline", 5), ("remediation", 2), ("no_violation", 1)),
    "escalated_supervision_organisation": (("discipline", 1),),
    "denunciation_to_inspection": (("discipline", 5), ("remediation", 2), ("no_violation", 1)),
    "planned_inspection": (("discipline", 2), ("remediation", 1)),
    "denunciation": (("founded", 16), ("unfounded", 61), ("declined", 33)),
    "asset_verification": (("honest", 170), ("dishonest", 2)),
    "member_discipline": (("disciplined", 110), ("not_disciplined", 3), ("in_progress", 4)),
    "kind_inspection": (("no_violation", 3), ("remediation", 1)),
}

#: The forms of the members' disciplinary decisions at scale 1 (145 in all): mostly reprimand,
#: then warning, a few removals from post and expulsions.
MEMBER_MEASURES: tuple[tuple[str, int], ...] = (
    (Measure.REPRIMAND.value, 95),
    (Measure.WARNING.value, 38),
    (Measure.REMOVAL_FROM_POST.value, 4),
    (Measure.EXPULSION.value, 8),
)


def scaled(base: int, scale: float) -> int:
    """``base`` at ``scale``, rounded, and at least 1 when ``base`` is not 0."""
    return max(1, round(base * scale)) if base else 0


def allot(n: int, shares: Sequence[tuple[str, int]]) -> list[str]:
    """``n`` outcomes in the proportions of ``shares`` (largest remainders first), in the order
    of ``shares``: exactly the shares when ``n`` is their sum."""
    total = sum(share for _, share in shares)
    exact = [n * share / total for _, share in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return [name for (name, _), count in zip(shares, counts, strict=True) for _ in range(count)]


def fits(measure: Measure, member: Member) -> bool:
    """Whether the Charter lets ``measure`` apply to ``member`` (a probationary member is not
    expelled or removed from a post; removal from post needs a post)."""
    if member.is_probationary and not measure.applies_to_probationary_members:
        return False
    return measure is not Measure.REMOVAL_FROM_POST or member.holds_post


class Destinies:
    """The outcomes a shard's stories take in turn, and the measures its members receive."""

    def __init__(self, rng: random.Random, counts: Mapping[str, int]) -> None:
        self._rng = rng
        self._queues: dict[str, list[str]] = {}
        for story, n in counts.items():
            queue = allot(n, OUTCOMES[story])
            rng.shuffle(queue)
            self._queues[story] = queue
        self._measures: list[Measure] = []

    def outcome(self, story: str) -> str:
        """The next outcome of ``story`` (its first kind once the queue is used up)."""
        queue = self._queues.get(story)
        return queue.pop() if queue else OUTCOMES[story][0][0]

    def count(self, story: str, outcome: str) -> int:
        """How many of ``story``'s outcomes still to come are ``outcome``."""
        return self._queues.get(story, []).count(outcome)

    def deal_measures(self, total: int) -> None:
        """Prepare ``total`` members' measures in the proportions of :data:`MEMBER_MEASURES`."""
        self._measures = [Measure(value) for value in allot(total, MEMBER_MEASURES)]
        self._rng.shuffle(self._measures)

    def measure_for(self, member: Member) -> Measure:
        """The next measure that may apply to ``member``, taken from those dealt (a reprimand
        when none is left)."""
        for i in range(len(self._measures) - 1, -1, -1):
            if fits(self._measures[i], member):
                return self._measures.pop(i)
        return Measure.REPRIMAND

    def next_measure(self) -> Measure:
        """The next measure dealt, whoever receives it (a reprimand when none is left)."""
        return self._measures.pop() if self._measures else Measure.REPRIMAND

    def take(self, measure: Measure) -> Measure:
        """Take one ``measure`` out of those dealt (when one is left) and return it."""
        if measure in self._measures:
            self._measures.remove(measure)
        return measure
