"""Reading the values of a scenario file: references to objects, actors, subjects, instants."""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from discipline_flow.actors import Body, BodyKind, Level, Member
from discipline_flow.clock import DEFAULT_TIMEZONE
from discipline_flow.errors import DisciplineFlowError, InputError, ScenarioFileError
from discipline_flow.serialization import subject_from_dict
from discipline_flow.testing._select import Choice, choose_workflow
from discipline_flow.time._dates import zone
from discipline_flow.workflow import Workflow

if TYPE_CHECKING:
    from discipline_flow.actors import Subject
    from discipline_flow.serialization import WorkflowRegistry

__all__ = [
    "check_keys",
    "described",
    "failing",
    "given_day",
    "instant",
    "localize",
    "parse_actor",
    "resolve_object",
    "subject",
    "workflow",
]


# --------------------------------------------------------------------------- resolving


def load_file_module(path: FilePath) -> Any:
    """The module in the file ``path``, loaded once under a name of its own."""
    resolved = path.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    name = f"_discipline_flow_scenario_{resolved.stem}_{digest}"
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:
        raise InputError("module", f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def resolve_object(reference: str, *, relative_to: FilePath | None = None) -> Any:
    """The object ``module:attribute`` names (``package.module:name.attr`` or, relative to
    ``relative_to``, ``path/to/file.py:name``)."""
    module_name, sep, attribute = reference.partition(":")
    if not sep or not module_name or not attribute:
        raise InputError("reference", f"{reference!r} is not of the form module:attribute")
    try:
        if module_name.endswith(".py"):
            base = relative_to if relative_to is not None else FilePath.cwd()
            file = base / module_name
            if not file.is_file():
                raise InputError("reference", f"{reference!r}: there is no file {file.name} here")
            module = load_file_module(file)
        else:
            module = importlib.import_module(module_name)
    except DisciplineFlowError:
        raise
    except ImportError as exc:
        raise InputError(
            "reference", f"{reference!r}: cannot import {module_name} ({exc})"
        ) from None
    except Exception as exc:
        raise InputError(
            "reference",
            f"{reference!r}: importing {module_name} raised {type(exc).__name__}: {exc}",
        ) from None
    value: Any = module
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise InputError("reference", f"{reference!r}: {module_name} has no {attribute}")
        value = getattr(value, part)
    return value


def given_day(given: object) -> _dt.date | None:
    """The day of a scenario's ``given.at`` in the default timezone, if it can be read (the
    errors of a bad one are reported where ``given`` is checked)."""
    if not isinstance(given, Mapping):
        return None
    value = given.get("at")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(zone(DEFAULT_TIMEZONE)).date()
    if isinstance(value, str):
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        if parsed.tzinfo is not None:
            return parsed.astimezone(zone(DEFAULT_TIMEZONE)).date()
    return None


def workflow(
    reference: object,
    where: str,
    path: FilePath,
    registry: WorkflowRegistry | None,
    *,
    on: _dt.date | None = None,
) -> Choice:
    """The workflow a file names: ``module:attribute``, ``file.py:attribute``, ``name@version``
    or a name (the version in force on ``on``), and why it was chosen."""
    fail = failing(path)
    if not isinstance(reference, str) or not reference:
        raise fail(
            where, "give the workflow: a shipped name, module:attribute or file.py:attribute"
        )
    if ":" in reference:
        try:
            value = resolve_object(reference, relative_to=path.parent)
            if not isinstance(value, Workflow) and callable(value):
                value = value()
        except DisciplineFlowError as exc:
            raise fail(where, str(exc)) from None
        if not isinstance(value, Workflow):
            raise fail(where, f"{reference!r} is not a Workflow (nor a function returning one)")
        return Choice(value, "named")
    try:
        return choose_workflow(reference, on, registry)
    except DisciplineFlowError as exc:
        raise fail(where, f"{exc}; or name one as module:attribute") from None


def failing(path: FilePath) -> Callable[[str, str], ScenarioFileError]:
    """A maker of :class:`ScenarioFileError` values about the file ``path``."""

    def fail(where: str, problem: str) -> ScenarioFileError:
        return ScenarioFileError(str(path), where, problem)

    return fail


# --------------------------------------------------------------------------- reading values


def check_keys(
    table: object, allowed: frozenset[str], where: str, path: FilePath
) -> dict[str, Any]:
    """``table`` as a dict, if it is a table with only the ``allowed`` keys."""
    if not isinstance(table, Mapping):
        raise failing(path)(where, f"expected a table, got {described(table)}")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise failing(path)(
            where, f"unknown key {unknown[0]!r}; keys: {', '.join(sorted(allowed))}"
        )
    return dict(table)


def described(value: object) -> str:
    """A value as an error message names it."""
    if isinstance(value, str):
        return f"text {value!r}"
    return type(value).__name__


def localize(value: Any, timezone: str, where: str, path: FilePath) -> Any:
    """Read TOML values: local date-times in ``timezone``; times of day are refused."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=zone(timezone))
        return value
    if isinstance(value, _dt.time):
        raise failing(path)(where, "a time of day alone is not allowed; give a date-time")
    if isinstance(value, Mapping):
        return {k: localize(v, timezone, f"{where}.{k}", path) for k, v in value.items()}
    if isinstance(value, list):
        return [localize(v, timezone, f"{where}[{i}]", path) for i, v in enumerate(value)]
    return value


def parse_actor(value: object, where: str = "actor") -> Body:
    """An actor written as ``"kind:id"`` (``"party_cell:cell-1"``) or a table with ``kind``,
    ``id`` and optionally ``level`` and ``name``."""
    kinds = ", ".join(k.value for k in BodyKind)
    if isinstance(value, str):
        kind_name, sep, ident = value.partition(":")
        if not sep or not ident:
            raise InputError(
                where, f"write an actor as kind:id, e.g. party_cell:cell-1; kinds: {kinds}"
            )
        value = {"kind": kind_name, "id": ident}
    if not isinstance(value, Mapping):
        raise InputError(where, f"expected kind:id or a table, got {described(value)}")
    unknown = sorted(set(value) - {"kind", "id", "level", "name"})
    if unknown:
        raise InputError(where, f"unknown key {unknown[0]!r}; keys: id, kind, level, name")
    try:
        kind_member = BodyKind(value.get("kind"))
    except ValueError:
        raise InputError(where, f"unknown kind {value.get('kind')!r}; kinds: {kinds}") from None
    body_id = value.get("id")
    if not isinstance(body_id, str) or not body_id:
        raise InputError(where, "an actor needs an id")
    level = value.get("level")
    try:
        level_member = Level(level) if level is not None else None
    except ValueError:
        levels = ", ".join(lv.value for lv in Level)
        raise InputError(where, f"unknown level {level!r}; levels: {levels}") from None
    name = value.get("name")
    return Body(kind_member, body_id, level_member, name if isinstance(name, str) else None)


def subject(value: object, where: str, path: FilePath) -> Subject:
    """A subject written as a member id or a table with ``kind`` and ``id``."""
    if isinstance(value, str):
        return Member(value)
    if not isinstance(value, Mapping):
        raise failing(path)(where, "a subject is a member id or a table with kind and id")
    data = dict(value)
    data.setdefault("kind", "member")
    try:
        return subject_from_dict(data)
    except DisciplineFlowError as exc:
        raise failing(path)(where, str(exc)) from None


def instant(value: object, where: str, path: FilePath) -> _dt.datetime:
    """An aware instant: a TOML date-time (localized already) or ISO text with an offset."""
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    raise failing(path)(
        where, f"expected a date-time like 2025-03-04T09:00:00+07:00, got {described(value)}"
    )
