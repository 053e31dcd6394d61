"""Cases to and from JSON-compatible dicts, with a schema version.

>>> import enum, json, pendulum
>>> from discipline_flow import Workflow, Transition, Member, WorkflowRegistry
>>> from discipline_flow.serialization import case_to_dict, case_from_dict
>>> class S(enum.Enum):
...     OPEN = "open"
...     CLOSED = "closed"
>>> class T(enum.Enum):
...     CLOSE = "close"
>>> wf = Workflow(name="tiny", version="1", states=S, triggers=T, initial=S.OPEN,
...               terminal={S.CLOSED}, transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED)])
>>> at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
>>> case = wf.open(Member("m-1"), at=at, actor="clerk", case_id="C-1")
>>> data = json.loads(json.dumps(case_to_dict(case)))
>>> again = case_from_dict(data, WorkflowRegistry([wf]))
>>> (again.id, again.state, again.steps == case.steps)
('C-1', <S.OPEN: 'open'>, True)
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import cattrs
import pendulum

from discipline_flow.actors import Body, BodyKind, Level, Member, Organisation, Subject
from discipline_flow.case import Case, Origin, Step, StepKind, verify_steps
from discipline_flow.errors import (
    DisciplineFlowError,
    InputError,
    MalformedDataError,
    UnknownSchemaVersionError,
)
from discipline_flow.workflow import Workflow

__all__ = [
    "SCHEMA_VERSION",
    "WorkflowRegistry",
    "case_from_dict",
    "case_to_dict",
    "converter",
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

    def __iter__(self) -> Any:
        return iter(list(self._by_key.values()))

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter()
    conv.register_unstructure_hook(_dt.datetime, lambda d: d.isoformat())
    conv.register_unstructure_hook(pendulum.DateTime, lambda d: d.isoformat())
    conv.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    conv.register_unstructure_hook(pendulum.Date, lambda d: d.isoformat())

    def _structure_datetime(value: Any, _: Any) -> _dt.datetime:
        if not isinstance(value, str):
            raise MalformedDataError("datetime", f"expected ISO text, got {value!r}")
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise MalformedDataError("datetime", f"{value!r} is not an ISO datetime") from None
        if parsed.tzinfo is None:
            raise MalformedDataError("datetime", f"{value!r} has no timezone")
        return parsed

    def _structure_date(value: Any, _: Any) -> _dt.date:
        if not isinstance(value, str):
            raise MalformedDataError("date", f"expected ISO text, got {value!r}")
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise MalformedDataError("date", f"{value!r} is not an ISO date") from None

    conv.register_structure_hook(_dt.datetime, _structure_datetime)
    conv.register_structure_hook(
        pendulum.DateTime, lambda v, t: pendulum.instance(_structure_datetime(v, t))
    )
    conv.register_structure_hook(_dt.date, _structure_date)
    conv.register_structure_hook(
        pendulum.Date, lambda v, t: pendulum.Date.fromordinal(_structure_date(v, t).toordinal())
    )
    return conv


#: The cattrs converter used for every value that is stored (deadlines, subjects, bodies).
converter = _make_converter()


def subject_to_dict(subject: Subject) -> dict[str, Any]:
    """A member or organisation as a dict tagged with its ``kind``."""
    data: dict[str, Any] = converter.unstructure(subject)
    data["kind"] = subject.kind
    return data


def subject_from_dict(data: Mapping[str, Any]) -> Subject:
    """The member or organisation a :func:`subject_to_dict` dict describes."""
    if not isinstance(data, Mapping):
        raise MalformedDataError("subject", "expected a mapping")
    fields = {k: v for k, v in data.items() if k != "kind"}
    kind = data.get("kind")
    try:
        if kind == "member":
            return converter.structure(fields, Member)
        if kind == "organisation":
            return converter.structure(fields, Organisation)
    except DisciplineFlowError:
        raise
    except Exception as exc:
        raise MalformedDataError("subject", _describe(exc)) from None
    raise MalformedDataError("subject.kind", f"{kind!r}; expected 'member' or 'organisation'")


def _body_to_dict(body: Body) -> dict[str, Any]:
    return {
        "kind": body.kind.value,
        "id": body.id,
        "level": body.level.value if body.level is not None else None,
        "name": body.name,
    }


def _body_from_dict(data: Any, where: str) -> Body:
    if not isinstance(data, Mapping):
        raise MalformedDataError(where, "expected a mapping")
    try:
        level = data.get("level")
        return Body(
            BodyKind(data["kind"]),
            str(data["id"]),
            Level(level) if level is not None else None,
            data.get("name"),
        )
    except (KeyError, ValueError) as exc:
        raise MalformedDataError(where, _describe(exc)) from None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    if isinstance(exc, cattrs.ClassValidationError | cattrs.BaseValidationError):
        inner = "; ".join(_describe(e) for e in exc.exceptions)
        return inner or str(exc)
    return str(exc)


def step_to_dict(step: Step[Any, Any]) -> dict[str, Any]:
    """A step as a JSON-compatible dict (enum members by name)."""
    return {
        "index": step.index,
        "kind": step.kind.value,
        "trigger": step.trigger.name if step.trigger is not None else None,
        "source": step.source.name if step.source is not None else None,
        "target": step.target.name,
        "at": step.at.isoformat(),
        "actor": _body_to_dict(step.actor),
        "basis": step.basis,
        "payload": step.payload,
        "previous_hash": step.previous_hash,
        "hash": step.hash,
    }


def _member(enum_cls: type[enum.Enum], name: Any, where: str) -> Any:
    if name is None:
        return None
    member = enum_cls.__members__.get(name) if isinstance(name, str) else None
    if member is None:
        names = ", ".join(enum_cls.__members__)
        raise MalformedDataError(where, f"{name!r} is not one of {names}")
    return member


def step_from_dict(data: Mapping[str, Any], workflow: Workflow[Any, Any]) -> Step[Any, Any]:
    """The step a :func:`step_to_dict` dict describes, with enums of ``workflow``."""
    where = f"step {data.get('index', '?') if isinstance(data, Mapping) else '?'}"
    if not isinstance(data, Mapping):
        raise MalformedDataError(where, "expected a mapping")
    try:
        at = converter.structure(data["at"], _dt.datetime)
        payload = data["payload"]
        if not isinstance(payload, Mapping):
            raise MalformedDataError(f"{where}.payload", "expected a mapping")
        target = _member(workflow.states, data["target"], f"{where}.target")
        if target is None:
            raise MalformedDataError(f"{where}.target", "missing")
        index = data["index"]
        if not isinstance(index, int) or isinstance(index, bool):
            raise MalformedDataError(f"{where}.index", "expected a whole number")
        return Step(
            index=index,
            kind=StepKind(data["kind"]),
            trigger=_member(workflow.triggers, data["trigger"], f"{where}.trigger"),
            source=_member(workflow.states, data["source"], f"{where}.source"),
            target=target,
            at=at,
            actor=_body_from_dict(data["actor"], f"{where}.actor"),
            basis=data["basis"],
            payload=dict(payload),
            previous_hash=str(data["previous_hash"]),
            hash=str(data["hash"]),
        )
    except KeyError as exc:
        raise MalformedDataError(where, f"missing field {exc.args[0]!r}") from None
    except ValueError as exc:
        if isinstance(exc, DisciplineFlowError):
            raise
        raise MalformedDataError(where, str(exc)) from None


def case_to_dict(case: Case[Any, Any]) -> dict[str, Any]:
    """A case as a JSON-compatible dict carrying :data:`SCHEMA_VERSION`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": case.id,
        "workflow": case.workflow.name,
        "workflow_version": case.workflow.version,
        "subject": subject_to_dict(case.subject),
        "state": case.state.name,
        "origin": converter.unstructure(case.origin) if case.origin is not None else None,
        "steps": [step_to_dict(s) for s in case.steps],
        "deadlines": [converter.unstructure(d) for d in case.deadlines],
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
        state = _member(workflow.states, data["state"], f"{where}.state")
        if state is not steps[-1].target:
            raise MalformedDataError(
                f"{where}.state", f"{data['state']} differs from the last step's target"
            )
        origin_data = data.get("origin")
        origin = converter.structure(origin_data, Origin) if origin_data is not None else None
        deadlines: list[Any] = []
        if data.get("deadlines"):
            from discipline_flow.time.deadline import Deadline

            deadlines = [converter.structure(d, Deadline) for d in data["deadlines"]]
        return Case(
            str(case_id),
            workflow,
            subject_from_dict(data["subject"]),
            state,
            steps,
            deadlines,
            origin,
        )
    except KeyError as exc:
        raise MalformedDataError(where, f"missing field {exc.args[0]!r}") from None
    except DisciplineFlowError:
        raise
    except (TypeError, ValueError, cattrs.BaseValidationError) as exc:
        raise MalformedDataError(where, _describe(exc)) from None
