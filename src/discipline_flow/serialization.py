"""Cases to and from JSON-compatible dicts, with a schema version; the codecs stores share.

One cattrs converter, :data:`converter`, turns every stored value into plain data and back. Its
functions for subjects, bodies, steps, origins and deadlines are generated once, when this module
is imported (``cattrs.gen``), and the stores write their rows with the same ones.

>>> import enum, json, pendulum
>>> from discipline_flow import Workflow, Transition, Member
>>> from discipline_flow.serialization import WorkflowRegistry
>>> from discipline_flow.serialization import case_to_dict, case_from_dict
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor="person:clerk", case_id="C-1")
>>> data = json.loads(json.dumps(case_to_dict(case)))
>>> again = case_from_dict(data, WorkflowRegistry([wf]))
>>> (again.id, again.state, again.steps == case.steps)
('C-1', <S.OPEN: 'open'>, True)
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import operator
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs
import cattrs
import pendulum
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from discipline_flow.actors import Body, Member, Organisation, Subject
from discipline_flow.case import Case, Origin, Step, verify_steps
from discipline_flow.errors import (
    DisciplineFlowError,
    InputError,
    MalformedDataError,
    UnknownSchemaVersionError,
)
from discipline_flow.history import check_opening
from discipline_flow.time import Deadline, TraceItem
from discipline_flow.workflow import Workflow

__all__ = [
    "SCHEMA_VERSION",
    "WorkflowRegistry",
    "case_from_dict",
    "case_to_dict",
    "converter",
    "deadline_from_dict",
    "deadline_to_dict",
    "step_from_dict",
    "step_to_dict",
    "subject_from_dict",
    "subject_to_dict",
]

#: The version of the dict form written by :func:`case_to_dict`.
SCHEMA_VERSION = 1
_SUPPORTED = (1,)


class WorkflowRegistry:
    """Workflows by name and version, so stored cases can find their definition.

    >>> WorkflowRegistry().get("inspection", "2025.1")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: workflow: no workflow 'inspection' version '2025.1' is registered; registered: (none)
    """

    __slots__ = ("_by_key",)

    def __init__(self, workflows: Iterable[Workflow[Any, Any]] = ()) -> None:
        self._by_key: dict[tuple[str, str], Workflow[Any, Any]] = {}
        for wf in workflows:
            self.add(wf)

    def add(self, workflow: Workflow[Any, Any]) -> None:
        """Register ``workflow`` (replacing one of the same name and version)."""
        self._by_key[(workflow.name, workflow.version)] = workflow

    def get(self, name: str, version: str | None = None) -> Workflow[Any, Any]:
        """The workflow ``name`` at ``version`` (the latest registered when version is None)."""
        if version is not None and (name, version) in self._by_key:
            return self._by_key[(name, version)]
        if version is None:
            versions = [wf for (n, _), wf in self._by_key.items() if n == name]
            if versions:
                return versions[-1]
        known = ", ".join(sorted(f"{n}@{v}" for n, v in self._by_key)) or "(none)"
        raise InputError(
            "workflow",
            f"no workflow {name!r} version {version!r} is registered; registered: {known}",
        )

    def __iter__(self) -> Iterator[Workflow[Any, Any]]:
        return iter(list(self._by_key.values()))

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key


# --------------------------------------------------------------------------- the converter


def _structure_datetime(value: Any, _: Any = None) -> _dt.datetime:
    if not isinstance(value, str):
        raise MalformedDataError("datetime", f"expected ISO text, got {value!r}")
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise MalformedDataError("datetime", f"{value!r} is not an ISO datetime") from None
    if parsed.tzinfo is None:
        raise MalformedDataError("datetime", f"{value!r} has no timezone")
    return parsed


def _structure_date(value: Any, _: Any = None) -> _dt.date:
    if not isinstance(value, str):
        raise MalformedDataError("date", f"expected ISO text, got {value!r}")
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise MalformedDataError("date", f"{value!r} is not an ISO date") from None


def _is_optional(kind: type) -> Callable[[Any], bool]:
    """A predicate for the type ``kind | None`` (written either way)."""

    def matches(hint: Any) -> bool:
        return typing.get_origin(hint) in (typing.Union, types.UnionType) and set(
            typing.get_args(hint)
        ) == {kind, type(None)}

    return matches


def _unstructure_optional_instant(value: _dt.date | None) -> str | None:
    # Optional instants and dates are common in deadlines: a hook of their own skips cattrs'
    # dispatch on the value's type at every call.
    return None if value is None else value.isoformat()


def _structure_optional_datetime(value: Any, _: Any) -> _dt.datetime | None:
    return None if value is None else _structure_datetime(value)


def _structure_optional_date(value: Any, _: Any) -> _dt.date | None:
    return None if value is None else _structure_date(value)


def _is_tuple_of_classes(hint: Any) -> bool:
    """Whether ``hint`` is ``tuple[C, ...]`` of an attrs class ``C`` (a deadline's pauses,
    extensions and trace)."""
    args = typing.get_args(hint)
    return typing.get_origin(hint) is tuple and args[1:] == (Ellipsis,) and attrs.has(args[0])


def _tuple_unstructure(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any], Any]]:
    def factory(hint: Any) -> Callable[[Any], Any]:
        item = conv.get_unstructure_hook(typing.get_args(hint)[0])
        return lambda values: [item(v) for v in values]

    return factory


def _tuple_structure(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(hint: Any) -> Callable[[Any, Any], Any]:
        cls = typing.get_args(hint)[0]
        item = conv.get_structure_hook(cls)

        def structure(values: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(values, list):
                raise MalformedDataError(cls.__name__, f"expected a list, got {values!r}")
            return tuple([item(v, cls) for v in values])

        return structure

    return factory


def _is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, enum.Enum)


def _enum_unstructure(_: Any) -> Callable[[enum.Enum], Any]:
    # ``_value_``: the member's documented attribute, without the ``value`` property's call.
    return operator.attrgetter("_value_")


def _enum_structure(cls: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    """Members of ``cls`` by value through a dict made once per enum class: calling the class
    (cattrs' default) goes through ``EnumType.__call__`` and costs several times as much."""
    members = {member._value_: member for member in cls}

    def structure(value: Any, _: Any) -> enum.Enum:
        try:
            return members[value]
        except (KeyError, TypeError):  # not a member's value: the class finds it or says why
            return cls(value)

    return structure


def _make_converter() -> cattrs.Converter:
    # Without detailed validation a bad value raises its own error (a missing key, an unknown
    # enum value) instead of a group of them: callers name the place, and the generated
    # functions are about twice as fast.
    conv = cattrs.Converter(detailed_validation=False)
    conv.register_unstructure_hook_factory(_is_enum, _enum_unstructure)
    conv.register_structure_hook_factory(_is_enum, _enum_structure)
    conv.register_unstructure_hook(_dt.datetime, _dt.datetime.isoformat)
    conv.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    conv.register_structure_hook(_dt.datetime, _structure_datetime)
    conv.register_structure_hook(_dt.date, _structure_date)
    for kind, structure in (
        (_dt.datetime, _structure_optional_datetime),
        (_dt.date, _structure_optional_date),
    ):
        conv.register_unstructure_hook_func(_is_optional(kind), _unstructure_optional_instant)
        conv.register_structure_hook_func(_is_optional(kind), structure)
    # Tuples of values (a deadline's pauses, extensions, trace) through their class's own
    # hook, looked up once: cattrs' generic tuple hook dispatches on every item.
    conv.register_unstructure_hook_factory(_is_tuple_of_classes, _tuple_unstructure(conv))
    conv.register_structure_hook_factory(_is_tuple_of_classes, _tuple_structure(conv))
    conv.register_structure_hook(
        pendulum.DateTime, lambda v, _: pendulum.instance(_structure_datetime(v))
    )
    conv.register_structure_hook(
        pendulum.Date, lambda v, _: pendulum.Date.fromordinal(_structure_date(v).toordinal())
    )
    return conv


#: The cattrs converter used for every value that is stored (deadlines, subjects, bodies).
converter = _make_converter()

_Unstructure = Callable[[Any], dict[str, Any]]
_Structure = Callable[[Any, Any], Any]


def _generated(cls: type) -> tuple[_Unstructure, _Structure]:
    """The unstructure and structure functions of the attrs class ``cls``, generated now and
    registered with :data:`converter` (so values nested in others use them too)."""
    unstructure: _Unstructure = make_dict_unstructure_fn(cls, converter)
    structure: _Structure = make_dict_structure_fn(cls, converter)
    converter.register_unstructure_hook(cls, unstructure)
    converter.register_structure_hook(cls, structure)
    return unstructure, structure


_unstructure_member, _structure_member = _generated(Member)
_unstructure_organisation, _structure_organisation = _generated(Organisation)
_unstructure_origin, _structure_origin = _generated(Origin)
_generated(Body)  # a step's actor
_generated(attrs.resolve_types(TraceItem))  # a deadline's trace
_unstructure_deadline, _structure_deadline = _generated(attrs.resolve_types(Deadline))
_TRACE = attrs.fields(Deadline).trace.type
_unstructure_trace: Callable[[Any], list[dict[str, Any]]] = converter.get_unstructure_hook(_TRACE)
# The same form without the trace, which stores rebuild when a deadline is loaded, and without
# the fields that hold nothing (no pause, extension, cap or closing yet): a missing key reads as
# its field's default.
_NOTHING = override(omit_if_default=True)
_unstructure_bare_deadline: _Unstructure = make_dict_unstructure_fn(
    Deadline,
    converter,
    trace=override(omit=True),
    pauses=_NOTHING,
    extensions=_NOTHING,
    cap_on=_NOTHING,
    met_at=_NOTHING,
    cancelled_at=_NOTHING,
    due_soon_at=_NOTHING,
    cap_at=_NOTHING,
)
_structure_bare_deadline: _Structure = make_dict_structure_fn(
    Deadline, converter, trace=override(omit=True)
)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    if isinstance(exc, cattrs.BaseValidationError):
        inner = "; ".join(_describe(e) for e in exc.exceptions)
        return inner or str(exc)
    return str(exc)


def _read(where: str, structure: Callable[..., Any], data: Any, cls: Any) -> Any:
    """``structure(data, cls)`` with what can go wrong named at ``where``."""
    if type(data) is not dict and not isinstance(data, Mapping):
        raise MalformedDataError(where, "expected a mapping")
    try:
        return structure(data, cls)
    except DisciplineFlowError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, cattrs.BaseValidationError) as exc:
        raise MalformedDataError(where, _describe(exc)) from None


# --------------------------------------------------------------------------- subjects

_SUBJECTS: dict[str, tuple[type[Member] | type[Organisation], _Structure]] = {
    "member": (Member, _structure_member),
    "organisation": (Organisation, _structure_organisation),
}


_SUBJECT_DICTS: dict[type, _Unstructure] = {
    Member: _unstructure_member,
    Organisation: _unstructure_organisation,
}


def subject_to_dict(subject: Subject) -> dict[str, Any]:
    """A member or organisation as a dict tagged with its ``kind``."""
    unstructure = _SUBJECT_DICTS.get(type(subject))
    data: dict[str, Any] = (
        converter.unstructure(subject) if unstructure is None else unstructure(subject)
    )
    data["kind"] = subject.kind
    return data


def subject_from_dict(data: Mapping[str, Any]) -> Subject:
    """The member or organisation a :func:`subject_to_dict` dict describes."""
    if not isinstance(data, Mapping):
        raise MalformedDataError("subject", "expected a mapping")
    kind = data.get("kind")
    found = _SUBJECTS.get(kind) if isinstance(kind, str) else None
    if found is None:
        raise MalformedDataError("subject.kind", f"{kind!r}; expected 'member' or 'organisation'")
    cls, structure = found
    subject: Subject = _read("subject", structure, data, cls)
    return subject


# --------------------------------------------------------------------------- steps


def _name(member: enum.Enum | None) -> str | None:
    return None if member is None else member.name


_unstructure_step: _Unstructure = make_dict_unstructure_fn(
    Step,
    converter,
    trigger=override(unstruct_hook=_name),
    source=override(unstruct_hook=_name),
    target=override(unstruct_hook=_name),
    payload=override(unstruct_hook=identity),  # normalized when the step was made
)


def step_to_dict(step: Step[Any, Any]) -> dict[str, Any]:
    """A step as a JSON-compatible dict (enum members by name)."""
    data: dict[str, Any] = _unstructure_step(step)
    return data


def _by_name(members: type[enum.Enum], field: str, optional: bool) -> Callable[[Any, Any], Any]:
    def structure(name: Any, _: Any) -> Any:
        if name is None and optional:
            return None
        member = members.__members__.get(name) if isinstance(name, str) else None
        if member is None:
            raise MalformedDataError(
                field, f"{name!r} is not one of {', '.join(members.__members__)}"
            )
        return member

    return structure


def _whole_number(value: Any, _: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedDataError("index", "expected a whole number")
    return value


def _payload(value: Any, _: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedDataError("payload", "expected a mapping")
    return dict(value)


@functools.lru_cache(maxsize=256)
def _step_structure(states: type[enum.Enum], triggers: type[enum.Enum]) -> _Structure:
    """The structure function of the steps of workflows with these states and triggers: a pure
    function of the two (hashable) enum classes, generated once per pair."""
    structure: _Structure = make_dict_structure_fn(
        Step[states, triggers],  # type: ignore[valid-type]
        converter,
        index=override(struct_hook=_whole_number),
        trigger=override(struct_hook=_by_name(triggers, "trigger", optional=True)),
        source=override(struct_hook=_by_name(states, "source", optional=True)),
        target=override(struct_hook=_by_name(states, "target", optional=False)),
        payload=override(struct_hook=_payload),
    )
    return structure


def step_from_dict(data: Mapping[str, Any], workflow: Workflow[Any, Any]) -> Step[Any, Any]:
    """The step a :func:`step_to_dict` dict describes, with enums of ``workflow``."""
    where = f"step {data.get('index', '?') if isinstance(data, Mapping) else '?'}"
    try:
        states: type[enum.Enum] = workflow.states
        triggers: type[enum.Enum] = workflow.triggers
        step: Step[Any, Any] = _read(where, _step_structure(states, triggers), data, Step)
    except MalformedDataError as exc:
        if exc.where == where:
            raise
        raise MalformedDataError(f"{where}.{exc.where}", exc.problem) from None
    return step


# --------------------------------------------------------------------------- deadlines


def deadline_to_dict(deadline: Deadline, *, trace: bool = True) -> dict[str, Any]:
    """A deadline as a JSON-compatible dict; ``trace=False`` leaves out its trace (the
    explanation data, which :meth:`~discipline_flow.time.Deadline.recompute` rebuilds) and the
    fields that hold nothing (no pauses, extensions, cap or closing: :func:`deadline_from_dict`
    reads a missing one as empty)."""
    unstructure = _unstructure_deadline if trace else _unstructure_bare_deadline
    data: dict[str, Any] = unstructure(deadline)
    return data


def deadline_from_dict(data: Mapping[str, Any], where: str = "deadline") -> Deadline:
    """The deadline a :func:`deadline_to_dict` dict describes (with an empty trace when the dict
    has none)."""
    structure = _structure_deadline if "trace" in data else _structure_bare_deadline
    deadline: Deadline = _read(where, structure, data, Deadline)
    return deadline


def trace_to_list(trace: tuple[TraceItem, ...]) -> list[dict[str, Any]]:
    """A deadline's trace as JSON-compatible data."""
    items: list[dict[str, Any]] = _unstructure_trace(trace)
    return items


def origin_to_dict(origin: Origin) -> dict[str, Any]:
    """Where a child case came from, as a dict."""
    data: dict[str, Any] = _unstructure_origin(origin)
    return data


def origin_from_dict(data: Any, where: str = "origin") -> Origin:
    """The origin :func:`origin_to_dict` wrote."""
    origin: Origin = _read(where, _structure_origin, data, Origin)
    return origin


# --------------------------------------------------------------------------- cases


def case_to_dict(case: Case[Any, Any]) -> dict[str, Any]:
    """A case as a JSON-compatible dict carrying :data:`SCHEMA_VERSION`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": case.id,
        "workflow": case.workflow.name,
        "workflow_version": case.workflow.version,
        "subject": subject_to_dict(case.subject),
        "state": case.state.name,
        "origin": origin_to_dict(case.origin) if case.origin is not None else None,
        "steps": [_unstructure_step(s) for s in case.steps],
        "deadlines": [_unstructure_deadline(d) for d in case.deadlines],
    }


def case_from_dict(
    data: Mapping[str, Any],
    workflows: WorkflowRegistry | Workflow[Any, Any],
    *,
    verify: bool = True,
) -> Case[Any, Any]:
    """The case a :func:`case_to_dict` dict describes; its hash chain is verified.

    Raises :class:`~discipline_flow.errors.UnknownSchemaVersionError` for a version this release
    cannot read, :class:`~discipline_flow.errors.MalformedDataError` for anything else wrong, and
    :class:`~discipline_flow.errors.TamperedHistoryError` when the chain does not verify.
    """
    if not isinstance(data, Mapping):
        raise MalformedDataError("case", f"expected a mapping, got {type(data).__name__}")
    version = data.get("schema_version")
    if version not in _SUPPORTED:
        raise UnknownSchemaVersionError("case", "unsupported", version, _SUPPORTED)
    case_id = data.get("id", "?")
    where = f"case {case_id}"
    try:
        if isinstance(workflows, Workflow):
            workflow = workflows
            if (data["workflow"], data["workflow_version"]) != (workflow.name, workflow.version):
                raise MalformedDataError(
                    where,
                    f"belongs to {data['workflow']}@{data['workflow_version']}, not {workflow.key}",
                )
        else:
            workflow = workflows.get(data["workflow"], data["workflow_version"])
        steps = [step_from_dict(s, workflow) for s in data["steps"]]
        if not steps:
            raise MalformedDataError(where, "a case has at least its opening step")
        if verify:
            verify_steps(str(case_id), steps)
        state = workflow.states.__members__.get(data["state"])
        if state is None:
            names = ", ".join(workflow.states.__members__)
            raise MalformedDataError(f"{where}.state", f"{data['state']!r} is not one of {names}")
        if state is not steps[-1].target:
            raise MalformedDataError(
                f"{where}.state", f"{data['state']} differs from the last step's target"
            )
        origin_data = data.get("origin")
        origin = origin_from_dict(origin_data, f"{where}.origin") if origin_data else None
        deadlines = [
            deadline_from_dict(d, f"{where} deadline {i}")
            for i, d in enumerate(data.get("deadlines") or ())
        ]
        subject = subject_from_dict(data["subject"])
        if verify:  # what a form 2 opening hashed must be the case's subject and origin
            check_opening(str(case_id), steps[0], workflow.key, subject, origin)
        return Case(str(case_id), workflow, subject, state, steps, deadlines, origin)
    except KeyError as exc:
        raise MalformedDataError(where, f"missing field {exc.args[0]!r}") from None
    except DisciplineFlowError:
        raise
    except (TypeError, ValueError, cattrs.BaseValidationError) as exc:
        raise MalformedDataError(where, _describe(exc)) from None
