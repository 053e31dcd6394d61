"""The error tree of discipline_flow.

Every error the library raises derives from :class:`DisciplineFlowError`. Errors raised while a
workflow or ruleset is *built* derive from :class:`DefinitionError`; errors raised while cases run
(bad input, a refused transition, a deadline misused, a store conflict) derive from
:class:`RuntimeFlowError`. Errors about bad input also subclass :class:`ValueError`, the builtin a
caller would naturally catch.

Errors are attrs classes: their fields are data, and their message is built from the fields and
says what is allowed.

>>> from discipline_flow.errors import NaiveDatetimeError, DisciplineFlowError
>>> err = NaiveDatetimeError(argument="at", value="2025-01-31 10:00:00")
>>> isinstance(err, ValueError) and isinstance(err, DisciplineFlowError)
True
>>> print(err)
at must be an aware datetime (with a timezone); got naive 2025-01-31 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "ActionFailedError",
    "AmbiguousTransitionError",
    "CalendarRangeError",
    "CaseBuildError",
    "CaseNotFoundError",
    "ConcurrencyConflict",
    "DeadEndStateError",
    "DeadlineError",
    "DeadlineNotStartedError",
    "DefinitionError",
    "DiagramRenderError",
    "Difference",
    "DisciplineFlowError",
    "ExtensionRefusedError",
    "GuardFailure",
    "InputError",
    "InvalidDefinitionError",
    "InvalidPeriodError",
    "InvalidRuleError",
    "InvalidRulesetError",
    "MalformedDataError",
    "MissingToolError",
    "NaiveDatetimeError",
    "NoRulesetInForceError",
    "RuleNotFoundError",
    "RulesetFileError",
    "RuntimeFlowError",
    "ScenarioFailure",
    "ScenarioFileError",
    "StoreError",
    "TamperedHistoryError",
    "TimeWentBackwardsError",
    "TransitionRefused",
    "TransitionWalkError",
    "UnknownNameError",
    "UnknownRulesetError",
    "UnknownSchemaVersionError",
    "UnknownTriggerError",
    "UnreachableStateError",
    "UnresolvedGuardError",
    "UnsupportedStoreURLError",
]


def _join(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "(none)"


@attrs.define(eq=False)
class DisciplineFlowError(Exception):
    """Root of every error raised by discipline_flow."""

    def __str__(self) -> str:
        return self.__class__.__name__


# --------------------------------------------------------------------------- definitions


@attrs.define(eq=False)
class DefinitionError(DisciplineFlowError):
    """A workflow, deadline rule or ruleset is not valid; raised while it is built."""


@attrs.define(eq=False)
class InvalidDefinitionError(DefinitionError):
    """A definition is malformed in a way no more specific error describes."""

    workflow: str
    problem: str

    def __str__(self) -> str:
        return f"workflow {self.workflow!r}: {self.problem}"


@attrs.define(eq=False)
class UnknownNameError(DefinitionError):
    """A definition names a state or trigger that is not a member of the workflow's enums."""

    workflow: str
    kind: str
    name: str
    allowed: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"workflow {self.workflow!r} names unknown {self.kind} {self.name!r}; "
            f"allowed: {_join(self.allowed)}"
        )


@attrs.define(eq=False)
class UnreachableStateError(DefinitionError):
    """A state cannot be reached from the initial state."""

    workflow: str
    state: str
    initial: str

    def __str__(self) -> str:
        return (
            f"workflow {self.workflow!r}: state {self.state} cannot be reached from the "
            f"initial state {self.initial}; add a transition into it or remove it"
        )


@attrs.define(eq=False)
class DeadEndStateError(DefinitionError):
    """A state that is not terminal has no transition out of it."""

    workflow: str
    state: str

    def __str__(self) -> str:
        return (
            f"workflow {self.workflow!r}: state {self.state} has no transition out and is "
            f"not terminal; add a transition or declare it terminal"
        )


@attrs.define(eq=False)
class AmbiguousTransitionError(DefinitionError):
    """Two transitions share a source and trigger without guards that tell them apart."""

    workflow: str
    source: str
    trigger: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"workflow {self.workflow!r}: {self.trigger} from {self.source} is ambiguous "
            f"(targets {_join(self.targets)}); every transition but the last of a "
            f"source and trigger needs guards, and no two may have the same guards"
        )


@attrs.define(eq=False)
class UnresolvedGuardError(DefinitionError):
    """A transition names a guard that the workflow does not define."""

    workflow: str
    guard: str
    trigger: str
    known: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"workflow {self.workflow!r}: guard {self.guard!r} on {self.trigger} does not "
            f"resolve; known guards: {_join(self.known)}"
        )


@attrs.define(eq=False)
class InvalidRuleError(DefinitionError):
    """A deadline rule, ruleset entry or override is not valid."""

    rule: str
    problem: str

    def __str__(self) -> str:
        return f"rule {self.rule!r}: {self.problem}"


@attrs.define(eq=False)
class InvalidRulesetError(DefinitionError):
    """A ruleset or a registry of rulesets is not valid (dates, names, authority cells)."""

    ruleset: str
    problem: str

    def __str__(self) -> str:
        return f"ruleset {self.ruleset!r}: {self.problem}"


# --------------------------------------------------------------------------- runtime


@attrs.define(eq=False)
class RuntimeFlowError(DisciplineFlowError):
    """An error raised while cases run (as opposed to while definitions are built)."""


@attrs.define(eq=False)
class InputError(RuntimeFlowError, ValueError):
    """An argument is not acceptable; the message says what is allowed."""

    argument: str
    problem: str

    def __str__(self) -> str:
        return f"{self.argument}: {self.problem}"


@attrs.define(eq=False)
class NaiveDatetimeError(RuntimeFlowError, ValueError):
    """A datetime without a timezone was given where only aware datetimes are accepted."""

    argument: str
    value: str

    def __str__(self) -> str:
        return (
            f"{self.argument} must be an aware datetime (with a timezone); got naive {self.value}"
        )


@attrs.define(eq=False)
class TimeWentBackwardsError(RuntimeFlowError, ValueError):
    """A step's time is earlier than the case's last step; time never goes backwards in a case."""

    case_id: str
    at: str
    last_at: str

    def __str__(self) -> str:
        return (
            f"case {self.case_id}: at={self.at} is earlier than its last step at "
            f"{self.last_at}; steps must be given in time order"
        )


@attrs.define(eq=False)
class UnknownTriggerError(RuntimeFlowError, ValueError):
    """A trigger is not a member of the workflow's trigger enum."""

    workflow: str
    trigger: str
    allowed: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"workflow {self.workflow!r} has no trigger {self.trigger!r}; "
            f"triggers: {_join(self.allowed)}"
        )


@attrs.define(frozen=True)
class GuardFailure:
    """One failed guard of a refused transition: its name, reason and legal basis."""

    guard: str
    reason: str
    basis: str | None = None

    def __str__(self) -> str:
        # A reason that already cites its basis is not given the citation twice, nor one that
        # already starts with the guard's name (a payload value of the same name) its name.
        cited = self.basis and f"[{self.basis}]" not in self.reason
        basis = f" [{self.basis}]" if cited else ""
        if self.reason.startswith(f"{self.guard}:"):
            return f"{self.reason}{basis}"
        return f"{self.guard}: {self.reason}{basis}"


@attrs.define(eq=False)
class TransitionRefused(RuntimeFlowError):
    """A trigger could not fire; the case is unchanged.

    ``failures`` lists every failed guard; when the trigger is not available in the current
    state at all, ``failures`` is empty. ``allowed`` names the *other* triggers that the
    case's state and the actor allow now (their payload not yet judged): never the refused one.

    >>> print(TransitionRefused("C-1", "DECIDE", "VOTED",
    ...       (GuardFailure("vote", "vote: 3 of 9 in favour"),), ("CLOSE",)))
    case C-1 cannot DECIDE while VOTED: vote: 3 of 9 in favour; other triggers allowed: CLOSE
    """

    case_id: str
    trigger: str
    state: str
    failures: tuple[GuardFailure, ...]
    allowed: tuple[str, ...]

    def __str__(self) -> str:
        head = f"case {self.case_id} cannot {self.trigger} while {self.state}"
        allowed = _join(tuple(t for t in self.allowed if t != self.trigger))
        if self.failures:
            reasons = "; ".join(str(f) for f in self.failures)
            return f"{head}: {reasons}; other triggers allowed: {allowed}"
        return f"{head}; allowed: {allowed}"


@attrs.define(eq=False)
class ActionFailedError(RuntimeFlowError):
    """An action of a transition raised; the case is unchanged."""

    case_id: str
    trigger: str
    action: str
    problem: str

    def __str__(self) -> str:
        return (
            f"case {self.case_id}: action {self.action!r} of {self.trigger} failed "
            f"({self.problem}); the case is unchanged"
        )


@attrs.define(eq=False)
class InvalidPeriodError(RuntimeFlowError, ValueError):
    """A period could not be parsed or is not allowed where it was given."""

    text: str
    problem: str

    def __str__(self) -> str:
        return f"invalid period {self.text!r}: {self.problem}"


@attrs.define(eq=False)
class CalendarRangeError(RuntimeFlowError, ValueError):
    """A date lies outside the range a calendar can answer for."""

    day: str
    first: str
    last: str

    def __str__(self) -> str:
        return f"{self.day} is outside the calendar's range {self.first} to {self.last}"


@attrs.define(eq=False)
class DeadlineError(RuntimeFlowError):
    """A deadline was used in a way its rule does not allow."""

    deadline: str
    problem: str

    def __str__(self) -> str:
        return f"deadline {self.deadline!r}: {self.problem}"


@attrs.define(eq=False)
class ExtensionRefusedError(DeadlineError, ValueError):
    """An extension goes beyond the rule's limit or lacks a required reason."""


@attrs.define(eq=False)
class DeadlineNotStartedError(RuntimeFlowError, LookupError):
    """A case was asked for a deadline its workflow has but that has not started on it yet.

    >>> print(DeadlineNotStartedError("C-1", "complaint_window", "the DECIDE trigger", ("hearing",)))
    case C-1 has no 'complaint_window' deadline yet: it starts on the DECIDE trigger; started: hearing
    """

    case_id: str
    rule: str
    starts: str
    started: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"case {self.case_id} has no {self.rule!r} deadline yet: it starts on {self.starts}; "
            f"started: {_join(self.started)}"
        )


@attrs.define(eq=False)
class RuleNotFoundError(RuntimeFlowError, LookupError):
    """A ruleset has no rule of that name."""

    ruleset: str
    rule: str
    known: tuple[str, ...]

    def __str__(self) -> str:
        return f"ruleset {self.ruleset!r} has no rule {self.rule!r}; rules: {_join(self.known)}"


@attrs.define(eq=False)
class UnknownRulesetError(RuntimeFlowError, ValueError, LookupError):
    """No ruleset of that name is registered."""

    name: str
    known: tuple[str, ...]

    def __str__(self) -> str:
        return f"no ruleset named {self.name!r}; rulesets: {_join(self.known)}"


@attrs.define(eq=False)
class NoRulesetInForceError(RuntimeFlowError, ValueError, LookupError):
    """No registered ruleset is in force on the given date."""

    on: str
    covered: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"no ruleset is in force on {self.on}; registered rulesets: {_join(self.covered)}; "
            f"register a ruleset that covers this date"
        )


@attrs.define(eq=False)
class RulesetFileError(InputError):
    """A ruleset file cannot be read: names the file, the line or key, and what is allowed."""

    path: str = ""
    line: int | None = None

    def __str__(self) -> str:
        at = f", line {self.line}" if self.line else ""
        return f"ruleset file {self.path}{at}: {self.argument}: {self.problem}"


@attrs.define(eq=False)
class MalformedDataError(RuntimeFlowError, ValueError):
    """Serialized data could not be read back; says where and what was expected."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"malformed data at {self.where}: {self.problem}"


@attrs.define(eq=False)
class UnknownSchemaVersionError(MalformedDataError):
    """Serialized data carries a schema version this release cannot read."""

    version: object = None
    supported: tuple[int, ...] = ()

    def __str__(self) -> str:
        supported = ", ".join(str(v) for v in self.supported)
        return (
            f"malformed data at {self.where}: schema version {self.version!r} is not "
            f"supported; supported: {supported}"
        )


@attrs.define(eq=False)
class MissingToolError(RuntimeFlowError):
    """An optional external program is not installed; the message says how to get it."""

    tool: str
    how: str

    def __str__(self) -> str:
        return f"{self.tool} is not installed; {self.how}"


@attrs.define(eq=False)
class DiagramRenderError(RuntimeFlowError):
    """An external renderer (Graphviz's ``dot``) ran but could not draw the diagram."""

    tool: str
    problem: str

    def __str__(self) -> str:
        return f"{self.tool} could not render the diagram: {self.problem}"


@attrs.define(eq=False)
class StoreError(RuntimeFlowError):
    """A case store could not do what was asked."""

    problem: str

    def __str__(self) -> str:
        return self.problem


@attrs.define(eq=False)
class UnsupportedStoreURLError(StoreError, ValueError):
    """A store URL has a scheme no store handles."""


@attrs.define(eq=False)
class CaseNotFoundError(StoreError, LookupError):
    """No case with that id is stored."""


@attrs.define(eq=False)
class ConcurrencyConflict(StoreError):
    """The stored version of a case differs from the one expected; nothing was written."""


@attrs.define(eq=False)
class TamperedHistoryError(StoreError):
    """A case's hash chain does not verify: a step was edited, removed or reordered."""


def _indented(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


@attrs.frozen
class Difference:
    """One field a scenario expected to be otherwise: what was expected and what was found.

    ``detail`` is more to read: a deadline's explanation, the reasons of a refusal.
    """

    field: str
    expected: str
    actual: str
    detail: str | None = None

    def __str__(self) -> str:
        text = f"{self.field}: expected {self.expected}, got {self.actual}"
        if self.detail:
            text += "\n" + _indented(self.detail, "    ")
        return text


@attrs.define(eq=False)
class ScenarioFailure(RuntimeFlowError, AssertionError):
    """A scenario's expectation did not hold; lists every field that differs."""

    scenario: str
    workflow: str
    where: str
    differences: tuple[Difference, ...]

    def __str__(self) -> str:
        count = len(self.differences)
        head = (
            f"scenario {self.scenario!r} ({self.workflow}) {self.where}: "
            f"{count} difference{'s' if count != 1 else ''} (expected vs actual)"
        )
        return "\n".join([head, *(_indented(str(d), "  ") for d in self.differences)])


@attrs.define(eq=False)
class CaseBuildError(RuntimeFlowError):
    """A test case could not be brought to a state by replaying legal steps."""

    workflow: str
    state: str
    problem: str

    def __str__(self) -> str:
        return (
            f"cannot build a {self.workflow} case in state {self.state}: {self.problem}; "
            f"register a payload provider for the workflow that gives the actor and payload "
            f"of the refused move (keyed TRIGGER->TARGET)"
        )


@attrs.define(eq=False)
class TransitionWalkError(RuntimeFlowError, AssertionError):
    """Walking every transition of a workflow failed for some of them."""

    workflow: str
    total: int
    failures: tuple[str, ...]

    def __str__(self) -> str:
        lines = [
            (
                f"{self.workflow}: {len(self.failures)} of {self.total} transitions could not "
                f"be fired; give their payloads and actors with a payload provider"
            )
        ]
        lines.extend(f"  {failure}" for failure in self.failures)
        return "\n".join(lines)


@attrs.define(eq=False)
class ScenarioFileError(RuntimeFlowError, ValueError):
    """A scenario file cannot be read; says which file, where in it and what is allowed."""

    path: str
    where: str
    problem: str

    def __str__(self) -> str:
        where = f" at {self.where}" if self.where else ""
        return f"scenario file {self.path}{where}: {self.problem}"
