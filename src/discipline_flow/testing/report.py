"""The coverage report: what a :class:`~discipline_flow.testing.CoverageRecorder` counted, per
workflow, with totals, a text table and a JSON form.

>>> from discipline_flow.testing import Ratio
>>> str(Ratio(3, 4)), str(Ratio(0, 0))
('3/4 (75.0%)', '0/0 (-)')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from discipline_flow.errors import InputError
from discipline_flow.testing.paths import PathStep

__all__ = [
    "JSON_FORMAT",
    "CoverageReport",
    "GuardCount",
    "Ratio",
    "RuleCount",
    "TransitionCount",
    "WorkflowCoverage",
]

#: The version of the JSON form written by :meth:`CoverageReport.to_dict`.
JSON_FORMAT = 1


@attrs.frozen
class Ratio:
    """``covered`` of ``total`` items; an empty total counts as fully covered."""

    covered: int
    total: int

    @property
    def percent(self) -> float:
        """The share covered, 0-100 (100 when there is nothing to cover)."""
        return 100.0 if self.total == 0 else 100.0 * self.covered / self.total

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.covered + other.covered, self.total + other.total)

    def __str__(self) -> str:
        if self.total == 0:
            return "0/0 (-)"
        return f"{self.covered}/{self.total} ({self.percent:.1f}%)"

    def to_dict(self) -> dict[str, Any]:
        """``covered``, ``total`` and ``percent`` (rounded to two decimals)."""
        return {"covered": self.covered, "total": self.total, "percent": round(self.percent, 2)}


@attrs.frozen
class TransitionCount:
    """How many times a compiled transition fired."""

    step: PathStep[Any, Any]
    count: int


@attrs.frozen
class GuardCount:
    """How many times a guard of a transition passed and refused. ``impossible`` says why the
    guard can never refuse there (an :class:`~discipline_flow.impossible.ImpossibleRefusal`):
    its refusal is then not counted as an outcome, and reported apart."""

    step: PathStep[Any, Any]
    guard: str
    passed: int
    refused: int
    impossible: str | None = None


@attrs.frozen
class RuleCount:
    """How many deadlines of a rule were started, met and missed.

    ``met`` is None for a rule that nothing meets (it is not counted as an outcome).
    """

    rule: str
    started: int
    met: int | None
    missed: int


def _ratio(flags: Iterable[bool]) -> Ratio:
    values = list(flags)
    return Ratio(sum(values), len(values))


@attrs.frozen
class WorkflowCoverage:
    """The coverage of one workflow. ``is_defined`` is False for a workflow seen only by its
    key in fire events: its definition was never given, so it has no totals."""

    workflow: str
    is_defined: bool
    is_shipped: bool
    transitions: tuple[TransitionCount, ...] = ()
    guards: tuple[GuardCount, ...] = ()
    deadlines: tuple[RuleCount, ...] = ()
    events: int = 0

    @property
    def transition_ratio(self) -> Ratio:
        """Transitions fired at least once."""
        return _ratio(t.count > 0 for t in self.transitions)

    @property
    def guard_ratio(self) -> Ratio:
        """Guard outcomes seen: two per guard of each transition (passed, refused), one where
        the refusal is impossible by construction."""
        return _ratio(
            flag
            for g in self.guards
            for flag in ((g.passed > 0,) if g.impossible else (g.passed > 0, g.refused > 0))
        )

    @property
    def impossible_refusals(self) -> tuple[GuardCount, ...]:
        """The guards whose refusal cannot happen, not counted in :attr:`guard_ratio`."""
        return tuple(g for g in self.guards if g.impossible)

    @property
    def deadline_ratio(self) -> Ratio:
        """Deadline outcomes seen: started, met (when something meets the rule) and missed."""
        flags: list[bool] = []
        for rule in self.deadlines:
            flags.append(rule.started > 0)
            if rule.met is not None:
                flags.append(rule.met > 0)
            flags.append(rule.missed > 0)
        return _ratio(flags)

    @property
    def is_exercised(self) -> bool:
        """Whether any fire or deadline of the workflow was seen."""
        return bool(
            self.events
            or any(t.count for t in self.transitions)
            or any(r.started or r.met or r.missed for r in self.deadlines)
        )

    def missing(self) -> list[str]:
        """One line per item not covered."""
        lines = [f"transition {t.step}" for t in self.transitions if t.count == 0]
        for g in self.guards:
            counted = (
                (("passed", g.passed),)
                if g.impossible
                else (("passed", g.passed), ("refused", g.refused))
            )
            outcomes = [name for name, n in counted if not n]
            if outcomes:
                never = ", ".join(f"never {name}" for name in outcomes)
                lines.append(f"guard {g.guard} on {g.step}: {never}")
        for rule in self.deadlines:
            outcomes = [
                name
                for name, n in (
                    ("started", rule.started),
                    ("met", rule.met),
                    ("missed", rule.missed),
                )
                if n == 0
            ]
            if outcomes:
                never = ", ".join(f"never {name}" for name in outcomes)
                lines.append(f"deadline {rule.rule}: {never}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The JSON-compatible form (see :meth:`CoverageReport.to_dict`)."""
        return {
            "workflow": self.workflow,
            "defined": self.is_defined,
            "shipped": self.is_shipped,
            "events": self.events,
            "totals": {
                "transitions": self.transition_ratio.to_dict(),
                "guard_outcomes": self.guard_ratio.to_dict(),
                "deadline_outcomes": self.deadline_ratio.to_dict(),
            },
            "transitions": [
                {
                    "index": t.step.transition,
                    "trigger": t.step.trigger.name,
                    "source": t.step.source.name,
                    "target": t.step.target.name,
                    "count": t.count,
                }
                for t in self.transitions
            ],
            "guards": [
                {
                    "transition": g.step.transition,
                    "guard": g.guard,
                    "passed": g.passed,
                    "refused": g.refused,
                    "impossible": g.impossible,
                }
                for g in self.guards
            ],
            "deadline_rules": [
                {"rule": r.rule, "started": r.started, "met": r.met, "missed": r.missed}
                for r in self.deadlines
            ],
        }


@attrs.frozen
class CoverageReport:
    """Coverage of every workflow counted; totals add up the workflows whose definition is
    known."""

    workflows: tuple[WorkflowCoverage, ...]

    def _total(self, name: str) -> Ratio:
        total = Ratio(0, 0)
        for item in self.workflows:
            if item.is_defined:
                total = total + getattr(item, name)
        return total

    @property
    def transitions(self) -> Ratio:
        """Transitions fired, over every defined workflow."""
        return self._total("transition_ratio")

    @property
    def shipped_transitions(self) -> Ratio:
        """Transitions fired, over the shipped workflows only."""
        total = Ratio(0, 0)
        for item in self.workflows:
            if item.is_defined and item.is_shipped:
                total = total + item.transition_ratio
        return total

    @property
    def guard_outcomes(self) -> Ratio:
        """Guard outcomes seen, over every defined workflow."""
        return self._total("guard_ratio")

    @property
    def deadline_outcomes(self) -> Ratio:
        """Deadline outcomes seen, over every defined workflow."""
        return self._total("deadline_ratio")

    @property
    def shipped_guard_outcomes(self) -> Ratio:
        """Guard outcomes seen, over the shipped workflows only."""
        return self._shipped("guard_ratio")

    @property
    def shipped_deadline_outcomes(self) -> Ratio:
        """Deadline outcomes seen, over the shipped workflows only."""
        return self._shipped("deadline_ratio")

    def _shipped(self, name: str) -> Ratio:
        total = Ratio(0, 0)
        for item in self.workflows:
            if item.is_defined and item.is_shipped:
                total = total + getattr(item, name)
        return total

    @property
    def impossible_refusals(self) -> tuple[tuple[str, GuardCount], ...]:
        """(workflow key, guard count) of every refusal impossible by construction, reported
        apart from the guard outcomes."""
        return tuple(
            (item.workflow, g) for item in self.workflows for g in item.impossible_refusals
        )

    def workflow(self, key: str) -> WorkflowCoverage:
        """The coverage of the workflow ``key`` (``name@version``, or a name if unique)."""
        for item in self.workflows:
            if key in (item.workflow, item.workflow.split("@", 1)[0]):
                return item

        known = ", ".join(w.workflow for w in self.workflows) or "(none)"
        raise InputError("workflow", f"no coverage for {key!r}; workflows: {known}")

    def text(self, *, show_missing: bool = True) -> str:
        """A table per workflow, a total line and (by default) the items not covered of every
        workflow the tests exercised (:meth:`to_dict` has them all)."""
        rows = [("workflow", "transitions", "guard outcomes", "deadline outcomes")]
        for item in self.workflows:
            if item.is_defined:
                rows.append(
                    (
                        item.workflow + (" (shipped)" if item.is_shipped else ""),
                        str(item.transition_ratio),
                        str(item.guard_ratio),
                        str(item.deadline_ratio),
                    )
                )
        rows.append(
            ("TOTAL", str(self.transitions), str(self.guard_outcomes), str(self.deadline_outcomes))
        )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
        ]
        impossible = self.impossible_refusals
        if impossible:
            lines.append(
                f"guard refusals impossible by construction, not counted: {len(impossible)}"
            )
            if show_missing:
                lines.extend(
                    f"  {key}: {g.guard} on {g.step} ({g.impossible})" for key, g in impossible
                )
        undefined = [w.workflow for w in self.workflows if not w.is_defined]
        if undefined:
            lines.append(
                "workflows seen only by key (give them with the pytest_discipline_flow_workflows "
                "hook to count them): " + ", ".join(undefined)
            )
        if show_missing:
            # A workflow nothing touched shows 0 % in the table; listing each of its items
            # would bury the gaps of the workflows the tests do exercise.
            missing = [
                (w.workflow, w.missing()) for w in self.workflows if w.is_defined and w.is_exercised
            ]
            missing = [(key, items) for key, items in missing if items]
            if missing:
                lines.append("not covered:")
                for key, items in missing:
                    lines.append(f"  {key}")
                    lines.extend(f"    {line}" for line in items)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-compatible form: a ``format`` number, ``totals``, the guard refusals
        impossible by construction (not counted in the totals) and one entry per workflow."""
        return {
            "format": JSON_FORMAT,
            "totals": {
                "transitions": self.transitions.to_dict(),
                "guard_outcomes": self.guard_outcomes.to_dict(),
                "deadline_outcomes": self.deadline_outcomes.to_dict(),
            },
            "impossible_refusals": [
                {
                    "workflow": key,
                    "transition": g.step.transition,
                    "guard": g.guard,
                    "why": g.impossible,
                }
                for key, g in self.impossible_refusals
            ],
            "workflows": [item.to_dict() for item in self.workflows],
        }
