"""Scenario files: the same given / when / then as TOML, for people who review rules.

A scenario file is named ``*.scenario.toml``; pytest collects every one under its test paths
(one test per scenario) and ``discipline-flow check PATH`` runs a file or a folder. The format
is described in ``docs/how-to/write-rule-tests.md``; in short::

    workflow = "review"                   # a shipped workflow (the version in force on the
                                          # scenario's date; "review@2" for one version),
                                          # "module:attribute", or "file.py:attribute"
    actor = "inspection_commission:ubkt-1"  # who fires when a step names nobody (optional)

    [payloads]                            # how the given case is built (optional)
    "DECIDE->APPROVED" = { payload = { in_favour = 5, eligible = 9 } }

    [[scenario]]
    name = "a majority approves"
    given = { state = "SUBMITTED", at = 2025-03-04T09:00:00+07:00 }

      [[scenario.step]]
      when = "DECIDE"
      payload = { in_favour = 5, eligible = 9 }
      then = { state = "APPROVED", allowed = [] }

A step has at most one action — ``when`` (with ``actor`` and ``payload``), ``advance``
(a period such as ``"30 working days"``), ``advance_to`` (an instant) or ``sweep = true`` —
and may have a ``then`` (``state``, ``allowed``, ``deadlines``, ``refused``, ``actor``). Every
name is checked when the file is read: a wrong name is a
:class:`~discipline_flow.errors.ScenarioFileError` that says where it is and what is allowed. A
date-time without an offset is read in the workflow's timezone (Asia/Ho_Chi_Minh by default).

>>> import enum
>>> from discipline_flow import Transition, Workflow
>>> from discipline_flow.serialization import WorkflowRegistry
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> tiny = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...                 terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> spec = loads_scenarios('''
... workflow = "tiny"
... [[scenario]]
... name = "closing"
... given = { at = 2025-09-15T09:00:00 }
... step = [{ when = "CLOSE", actor = "party_cell:cell-1", then = { state = "CLOSED" } }]
... ''', registry=WorkflowRegistry([tiny]))
>>> [s.name for s in spec.scenarios]
['closing']
>>> spec.scenarios[0].run().case.state.name
'CLOSED'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, Literal

import attrs

from discipline_flow.actors import Body
from discipline_flow.errors import (
    CaseBuildError,
    DisciplineFlowError,
    InputError,
    ScenarioFailure,
    ScenarioFileError,
)
from discipline_flow.testing import _reading
from discipline_flow.testing._expect import deadline_expectation
from discipline_flow.testing._reading import parse_actor, resolve_object
from discipline_flow.testing.providers import PayloadProviders, StepInput
from discipline_flow.testing.scenario import Scenario
from discipline_flow.time.period import Period

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

if TYPE_CHECKING:
    from discipline_flow.serialization import WorkflowRegistry
    from discipline_flow.workflow import Workflow

__all__ = [
    "SCENARIO_SUFFIX",
    "ScenarioFile",
    "ScenarioOutcome",
    "ScenarioSpec",
    "check_paths",
    "find_scenario_files",
    "load_scenario_file",
    "loads_scenarios",
    "parse_actor",
    "resolve_object",
]

#: The ending of a scenario file's name; pytest and ``discipline-flow check`` look for it.
SCENARIO_SUFFIX = ".scenario.toml"

_FILE_KEYS = frozenset({"title", "workflow", "providers", "actor", "payloads", "scenario"})
_SCENARIO_KEYS = frozenset({"name", "workflow", "actor", "given", "step"})
_GIVEN_KEYS = frozenset({"state", "at", "subject", "actor", "open_payload"})
_STEP_KEYS = frozenset({"when", "actor", "payload", "advance", "advance_to", "sweep", "then"})
_ACTIONS = ("when", "advance", "advance_to", "sweep")
_THEN_KEYS = frozenset({"state", "allowed", "deadlines", "refused", "actor"})


# --------------------------------------------------------------------------- values


@attrs.frozen
class ScenarioSpec:
    """One scenario read from a file, every name checked; :meth:`run` runs it."""

    name: str
    file: str
    index: int
    workflow: Workflow[Any, Any] = attrs.field(repr=False)
    providers: PayloadProviders = attrs.field(repr=False)
    actor: Body | None
    given: Mapping[str, Any]
    steps: tuple[Mapping[str, Any], ...]
    #: Why this version of the workflow: ``"named"`` (``name@version``, ``module:attribute``)
    #: or ``"in force on 2025-04-25, ruleset 2022"`` (a bare name: the scenario's date).
    chosen: str = "named"

    @property
    def id(self) -> str:
        """``file::name``, as reports show it."""
        return f"{self.file}::{self.name}"

    def run(self, *, providers: PayloadProviders | None = None) -> Scenario[Any, Any]:
        """Run the scenario; return it when every ``then`` held.

        Raises :class:`~discipline_flow.errors.ScenarioFailure` at the first ``then`` that does
        not hold, naming the workflow version and why it was chosen. ``providers`` are asked
        after the file's own ``[payloads]``.
        """
        try:
            return self._run(providers)
        except ScenarioFailure as failure:
            raise attrs.evolve(failure, workflow=self.version) from None

    @property
    def version(self) -> str:
        """The workflow's key and, unless it was named, why it was chosen:
        ``"member_discipline@2022, in force on 2025-04-25, ruleset 2022"``."""
        if self.chosen == "named":
            return self.workflow.key
        return f"{self.workflow.key}, {self.chosen}"

    def _run(self, providers: PayloadProviders | None) -> Scenario[Any, Any]:
        registry = providers.merged(self.providers) if providers is not None else self.providers
        scenario: Scenario[Any, Any] = Scenario(
            self.workflow,
            name=self.name,
            providers=registry,
            actor=self.actor,
        )
        given = self.given
        scenario.given(
            given.get("state"),
            at=given["at"],
            subject=given.get("subject"),
            actor=given.get("actor"),
            open_payload=given.get("open_payload"),
        )
        for step in self.steps:
            if "when" in step:
                scenario.when(step["when"], actor=step.get("actor"), payload=step.get("payload"))
            elif "advance" in step:
                scenario.advance(step["advance"])
            elif "advance_to" in step:
                scenario.advance_to(step["advance_to"])
            elif step.get("sweep"):
                scenario.sweep()
            then = step.get("then")
            if then is not None:
                scenario.then(**then)
        return scenario


@attrs.frozen
class ScenarioFile:
    """A scenario file read and checked."""

    path: str
    title: str
    scenarios: tuple[ScenarioSpec, ...]


@attrs.frozen
class ScenarioOutcome:
    """The result of one scenario (or of a file that could not be read) in a check run."""

    id: str
    status: Literal["passed", "failed", "error"]
    message: str = ""
    #: The workflow version the scenario ran and why (:attr:`ScenarioSpec.version`).
    workflow: str = ""

    @property
    def is_passed(self) -> bool:
        """Whether the scenario passed."""
        return self.status == "passed"


def _payloads(
    table: object, workflow: Workflow[Any, Any], where: str, path: FilePath
) -> dict[str, StepInput]:
    fail = _reading.failing(path)
    if not isinstance(table, Mapping):
        raise fail(where, "expected a table of moves (TRIGGER->TARGET or TRIGGER)")
    result: dict[str, StepInput] = {}
    moves = {f"{ct.trigger.name}->{ct.target.name}" for ct in workflow.compiled}
    triggers = {t.name for t in workflow.triggers}
    for key, value in table.items():
        here = f"{where}.{key!r}"
        if key not in moves and key not in triggers:
            raise fail(here, f"{workflow.key} has no move {key}; moves: {', '.join(sorted(moves))}")
        entry = _reading.check_keys(value, frozenset({"payload", "actor"}), here, path)
        try:
            actor = parse_actor(entry["actor"], f"{here}.actor") if "actor" in entry else None
        except InputError as exc:
            raise fail(here, str(exc)) from None
        payload = entry.get("payload", {})
        if not isinstance(payload, Mapping):
            raise fail(f"{here}.payload", "expected a table")
        result[key] = StepInput(payload, actor)
    return result


def _then(
    table: object, workflow: Workflow[Any, Any], where: str, path: FilePath
) -> dict[str, Any]:
    fail = _reading.failing(path)
    then = _reading.check_keys(table, _THEN_KEYS, where, path)
    try:
        if "state" in then:
            workflow.state_named(then["state"])
        if "allowed" in then:
            allowed = then["allowed"]
            if not isinstance(allowed, list):
                raise InputError("allowed", "expected a list of trigger names")
            for name in allowed:
                workflow.trigger_named(name)
        if "deadlines" in then:
            deadlines = then["deadlines"]
            if not isinstance(deadlines, Mapping):
                raise InputError("deadlines", "expected a table from rule name to expectation")
            for rule, value in deadlines.items():
                workflow.rule(rule)
                deadline_expectation(rule, value)
        if "refused" in then:
            refused = then["refused"]
            if not isinstance(refused, bool | list) or (
                isinstance(refused, list) and not all(isinstance(n, str) for n in refused)
            ):
                raise InputError("refused", "expected true, false or a list of guard names")
        if "actor" in then:
            then["actor"] = parse_actor(then["actor"], "actor")
    except DisciplineFlowError as exc:
        raise fail(where, str(exc)) from None
    return then


def _step(
    table: object, workflow: Workflow[Any, Any], where: str, path: FilePath
) -> dict[str, Any]:
    fail = _reading.failing(path)
    step = _reading.check_keys(table, _STEP_KEYS, where, path)
    actions = [key for key in _ACTIONS if key in step]
    if len(actions) > 1:
        raise fail(where, f"a step has one action; this one has {' and '.join(actions)}")
    if not actions and "then" not in step:
        raise fail(where, "a step needs when, advance, advance_to, sweep or then")
    if ("actor" in step or "payload" in step) and "when" not in step:
        raise fail(where, "actor and payload go with when")
    try:
        if "when" in step:
            workflow.trigger_named(step["when"])
            if "actor" in step:
                step["actor"] = parse_actor(step["actor"], "actor")
            if "payload" in step and not isinstance(step["payload"], Mapping):
                raise InputError("payload", "expected a table")
        if "advance" in step:
            if not isinstance(step["advance"], str):
                raise InputError("advance", "expected a period like '30 working days'")
            step["advance"] = Period.parse(step["advance"])
        if "advance_to" in step:
            step["advance_to"] = _reading.instant(step["advance_to"], "advance_to", path)
        if "sweep" in step and step["sweep"] is not True:
            raise InputError("sweep", "write sweep = true")
    except DisciplineFlowError as exc:
        if isinstance(exc, ScenarioFileError):
            raise ScenarioFileError(exc.path, f"{where}.{exc.where}", exc.problem) from None
        raise fail(where, str(exc)) from None
    if "then" in step:
        step["then"] = _then(step["then"], workflow, f"{where}.then", path)
    return step


def _document(text: str, path: FilePath) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(str(path), "", f"not valid TOML: {exc}") from None
    return data


def loads_scenarios(
    text: str,
    *,
    path: str | os.PathLike[str] = "<text>",
    registry: WorkflowRegistry | None = None,
) -> ScenarioFile:
    """Read a scenario file's text; ``path`` is what messages name and where relative
    ``file.py:attribute`` references are looked for."""
    where_from = FilePath(path)
    fail = _reading.failing(where_from)
    data = _reading.check_keys(_document(text, where_from), _FILE_KEYS, "top level", where_from)
    default_ref = data.get("workflow")
    title = data.get("title", "")
    if not isinstance(title, str):
        raise fail("title", "expected text")
    try:
        default_actor = parse_actor(data["actor"], "actor") if "actor" in data else None
    except InputError as exc:
        raise fail("actor", str(exc)) from None
    extra: PayloadProviders | None = None
    if "providers" in data:
        extra = _providers(data["providers"], where_from)
    raw = data.get("scenario")
    if not isinstance(raw, list) or not raw:
        raise fail("scenario", "add at least one [[scenario]] table")
    scenarios: list[ScenarioSpec] = []
    names: set[str] = set()
    for index, item in enumerate(raw):
        where = f"scenario[{index}]"
        entry = _reading.check_keys(item, _SCENARIO_KEYS, where, where_from)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"{where}.name", "every scenario needs a name")
        if name in names:
            raise fail(f"{where}.name", f"two scenarios are named {name!r}")
        names.add(name)
        choice = _reading.workflow(
            entry.get("workflow", default_ref),
            f"{where}.workflow",
            where_from,
            registry,
            on=_reading.given_day(entry.get("given")),
        )
        workflow = choice.workflow
        entry = _reading.localize(entry, workflow.timezone, where, where_from)
        providers = PayloadProviders()
        if extra is not None:
            providers = providers.merged(extra)
        if "payloads" in data:
            table = _reading.localize(data["payloads"], workflow.timezone, "payloads", where_from)
            providers.register(workflow, _payloads(table, workflow, "payloads", where_from))
        actor = default_actor
        if "actor" in entry:
            try:
                actor = parse_actor(entry["actor"], f"{where}.actor")
            except InputError as exc:
                raise fail(f"{where}.actor", str(exc)) from None
        given = _reading.check_keys(entry.get("given"), _GIVEN_KEYS, f"{where}.given", where_from)
        if "at" not in given:
            raise fail(f"{where}.given", "give the time the case is in its state: at = ...")
        given["at"] = _reading.instant(given["at"], f"{where}.given.at", where_from)
        try:
            if "state" in given:
                workflow.state_named(given["state"])
            if "actor" in given:
                given["actor"] = parse_actor(given["actor"], "actor")
            if "open_payload" in given and not isinstance(given["open_payload"], Mapping):
                raise InputError("open_payload", "expected a table")
        except DisciplineFlowError as exc:
            raise fail(f"{where}.given", str(exc)) from None
        if "subject" in given:
            given["subject"] = _reading.subject(
                given["subject"], f"{where}.given.subject", where_from
            )
        raw_steps = entry.get("step", [])
        if not isinstance(raw_steps, list):
            raise fail(f"{where}.step", "expected [[scenario.step]] tables")
        steps = tuple(
            _step(s, workflow, f"{where}.step[{i}]", where_from) for i, s in enumerate(raw_steps)
        )
        if not any("then" in s for s in steps):
            raise fail(where, "a scenario needs at least one then")
        scenarios.append(
            ScenarioSpec(
                name,
                str(where_from),
                index,
                workflow,
                providers,
                actor,
                given,
                steps,
                choice.reason,
            )
        )
    return ScenarioFile(str(where_from), title, tuple(scenarios))


def _providers(reference: object, path: FilePath) -> PayloadProviders:
    fail = _reading.failing(path)
    if not isinstance(reference, str):
        raise fail("providers", "expected module:attribute naming a PayloadProviders")
    try:
        value = resolve_object(reference, relative_to=path.parent)
    except DisciplineFlowError as exc:
        raise fail("providers", str(exc)) from None
    if not isinstance(value, PayloadProviders):
        raise fail("providers", f"{reference!r} is not a PayloadProviders")
    return value


def load_scenario_file(
    path: str | os.PathLike[str], *, registry: WorkflowRegistry | None = None
) -> ScenarioFile:
    """Read and check the scenario file at ``path``; workflows named without ``:`` are looked up
    in ``registry`` and then in the shipped registry."""
    file = FilePath(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioFileError(str(file), "", f"cannot be read ({exc})") from None
    return loads_scenarios(text, path=file, registry=registry)


def find_scenario_files(paths: Iterable[str | os.PathLike[str]]) -> list[FilePath]:
    """The scenario files among ``paths``: files as given, folders searched recursively for
    ``*.scenario.toml``, sorted."""
    found: list[FilePath] = []
    for item in paths:
        path = FilePath(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(f"*{SCENARIO_SUFFIX}") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise ScenarioFileError(str(path), "", "no such file or folder")
    return found


def check_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    registry: WorkflowRegistry | None = None,
    providers: PayloadProviders | None = None,
) -> list[ScenarioOutcome]:
    """Run every scenario of the files under ``paths``; one outcome per scenario, or an
    ``error`` outcome per file that cannot be read."""
    outcomes: list[ScenarioOutcome] = []
    for file in find_scenario_files(paths):
        try:
            loaded = load_scenario_file(file, registry=registry)
        except ScenarioFileError as exc:
            outcomes.append(ScenarioOutcome(str(file), "error", str(exc)))
            continue
        for spec in loaded.scenarios:
            outcomes.append(_outcome(spec, providers))
    return outcomes


def _outcome(spec: ScenarioSpec, providers: PayloadProviders | None) -> ScenarioOutcome:
    try:
        spec.run(providers=providers)
    except (ScenarioFailure, CaseBuildError) as exc:
        return ScenarioOutcome(spec.id, "failed", str(exc), spec.version)
    except DisciplineFlowError as exc:
        return ScenarioOutcome(spec.id, "error", f"{type(exc).__name__}: {exc}", spec.version)
    return ScenarioOutcome(spec.id, "passed", "", spec.version)
