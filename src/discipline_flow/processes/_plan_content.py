"""The contents of an inspection and supervision plan as values, read from step payloads.

A plan's steps carry its contents ("nội dung") and teams ("đoàn") as plain payload data; this
module reads them into frozen values, and says what is wrong with data that is not a content, a
team or an amendment. The workflow's guards refuse a move with that text, and
:mod:`discipline_flow.planning` builds a plan's view from the same functions, so what a guard
accepts is exactly what a view can read.

>>> content = read_content({"key": "ND-01", "kind": "inspection", "topic": "Working rules",
...                         "subjects": ["organisation:dang-bo-phuong-1", "member:m-7"],
...                         "from": "2023-03-01", "to": "2023-06-30"})
>>> content.kind.value, [str(s) for s in content.subjects], content.period_to
('inspection', ['organisation:dang-bo-phuong-1', 'member:m-7'], datetime.date(2023, 6, 30))
>>> read_content({"key": "ND-02", "kind": "audit"})
Traceback (most recent call last):
...
discipline_flow.errors.InputError: content.kind: 'audit' is not a kind of content; kinds: inspection, supervision
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from discipline_flow.errors import InputError

__all__ = [
    "ContentKind",
    "PlanContent",
    "PlanSubject",
    "Team",
    "add_content",
    "apply_step",
    "assign_team",
    "contents_of",
    "read_amendment",
    "read_content",
    "read_team",
]


class ContentKind(enum.Enum):
    """What a content of a plan does: inspect or supervise ("kiểm tra", "giám sát")."""

    INSPECTION = "inspection"
    SUPERVISION = "supervision"


@attrs.frozen
class PlanSubject:
    """An organisation or a member a content is about, written ``kind:id``."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@attrs.frozen
class Team:
    """A team ("đoàn kiểm tra, giám sát"): the decision that set it up, its leader, its members
    and the subjects it covers (all of the content's when it names none)."""

    id: str
    decision: str
    leader: str
    members: tuple[str, ...] = ()
    subjects: tuple[PlanSubject, ...] = ()


@attrs.frozen
class PlanContent:
    """A content ("nội dung") of a plan: an inspection or a supervision of named subjects in a
    period. ``out_of_plan`` marks one added during the year ("ngoài kế hoạch")."""

    key: str
    kind: ContentKind
    topic: str
    subjects: tuple[PlanSubject, ...]
    period_from: _dt.date
    period_to: _dt.date
    out_of_plan: bool = False
    teams: tuple[Team, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """The content as a step's payload holds it (what :func:`read_content` reads back)."""
        data: dict[str, Any] = {
            "key": self.key,
            "kind": self.kind.value,
            "topic": self.topic,
            "subjects": [str(s) for s in self.subjects],
            "from": self.period_from.isoformat(),
            "to": self.period_to.isoformat(),
        }
        if self.teams:
            data["teams"] = [
                {
                    "id": t.id,
                    "decision": t.decision,
                    "leader": t.leader,
                    "members": list(t.members),
                    "subjects": [str(s) for s in t.subjects],
                }
                for t in self.teams
            ]
        return data


_SUBJECT_KINDS = ("organisation", "member")


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}.{key}", f"expected non-empty text, got {value!r}")
    return value


def _day(data: Mapping[str, Any], key: str, where: str) -> _dt.date:
    value = data.get(key)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    try:
        return _dt.date.fromisoformat(value) if isinstance(value, str) else _dt.date.min
    except ValueError:
        pass
    raise InputError(f"{where}.{key}", f"expected a date as YYYY-MM-DD, got {value!r}")


def _subjects(value: object, where: str, *, required: bool) -> tuple[PlanSubject, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list | tuple) or (required and not value):
        raise InputError(where, "expected a list of 'organisation:ID' or 'member:ID' texts")
    subjects = []
    for item in value:
        kind, sep, ident = item.partition(":") if isinstance(item, str) else ("", "", "")
        if not sep or not ident or kind not in _SUBJECT_KINDS:
            raise InputError(
                where, f"{item!r} is not a subject; write 'organisation:ID' or 'member:ID'"
            )
        subjects.append(PlanSubject(kind, ident))
    if len(set(subjects)) != len(subjects):
        raise InputError(where, "a subject is named twice")
    return tuple(subjects)


def _check_keys(data: object, allowed: frozenset[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InputError(where, f"expected a table, got {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise InputError(where, f"unknown key {unknown[0]!r}; keys: {', '.join(sorted(allowed))}")
    return data


_TEAM_KEYS = frozenset({"id", "decision", "leader", "members", "subjects"})
_CONTENT_KEYS = frozenset({"key", "kind", "topic", "subjects", "from", "to", "teams"})


def read_team(data: object, where: str = "team") -> Team:
    """The team ``data`` describes (``id``, ``decision``, ``leader``, optional ``members`` and
    ``subjects``); an :class:`~discipline_flow.errors.InputError` saying what is wrong."""
    table = _check_keys(data, _TEAM_KEYS, where)
    members = table.get("members", [])
    if not isinstance(members, list | tuple) or not all(isinstance(m, str) and m for m in members):
        raise InputError(f"{where}.members", "expected a list of member ids")
    return Team(
        _text(table, "id", where),
        _text(table, "decision", where),
        _text(table, "leader", where),
        tuple(members),
        _subjects(table.get("subjects"), f"{where}.subjects", required=False),
    )


def read_content(data: object, *, out_of_plan: bool = False, where: str = "content") -> PlanContent:
    """The content ``data`` describes: ``key``, ``kind`` (inspection or supervision),
    ``topic``, ``subjects``, ``from`` and ``to`` (the period), optional ``teams``."""
    table = _check_keys(data, _CONTENT_KEYS, where)
    key = _text(table, "key", where)
    try:
        kind = ContentKind(table.get("kind"))
    except ValueError:
        kinds = ", ".join(k.value for k in ContentKind)
        raise InputError(
            f"{where}.kind", f"{table.get('kind')!r} is not a kind of content; kinds: {kinds}"
        ) from None
    topic = _text(table, "topic", where)
    subjects = _subjects(table.get("subjects"), f"{where}.subjects", required=True)
    start, end = _day(table, "from", where), _day(table, "to", where)
    if end < start:
        raise InputError(f"{where}.to", f"the period ends ({end}) before it starts ({start})")
    raw_teams = table.get("teams", [])
    if not isinstance(raw_teams, list | tuple):
        raise InputError(f"{where}.teams", "expected a list of teams")
    teams = tuple(read_team(t, f"{where}.teams[{i}]") for i, t in enumerate(raw_teams))
    for team in teams:
        strangers = [str(s) for s in team.subjects if s not in subjects]
        if strangers:
            raise InputError(
                f"{where}.teams", f"team {team.id} covers {strangers[0]}, not a subject of {key}"
            )
    return PlanContent(key, kind, topic, subjects, start, end, out_of_plan, teams)


def read_amendment(data: Mapping[str, Any], known: Mapping[str, PlanContent]) -> PlanContent:
    """The content an ``AMEND_CONTENT`` payload (``key``, ``content``, ``reason``) puts in place
    of the one with that key: a whole new content, keeping its teams and whether it was out of
    the plan."""
    key = _text(data, "key", "amendment")
    if key not in known:
        raise InputError(
            "amendment.key", f"the plan has no content {key!r}; contents: {_keys(known)}"
        )
    _text(data, "reason", "amendment")  # an amendment is never silent
    old = known[key]
    new = read_content(data.get("content"), out_of_plan=old.out_of_plan, where="amendment.content")
    if new.key != key:
        raise InputError("amendment.content.key", f"an amendment keeps the key {key!r}")
    return attrs.evolve(new, teams=old.teams + new.teams)


def assign_team(data: Mapping[str, Any], known: Mapping[str, PlanContent]) -> PlanContent:
    """The content an ``ASSIGN_TEAM`` payload (``key``, ``team``) gives one more team."""
    key = _text(data, "key", "assignment")
    if key not in known:
        raise InputError(
            "assignment.key", f"the plan has no content {key!r}; contents: {_keys(known)}"
        )
    content = known[key]
    team = read_team(data.get("team"), "assignment.team")
    if team.id in {t.id for c in known.values() for t in c.teams}:
        raise InputError("assignment.team.id", f"the plan already has a team {team.id!r}")
    strangers = [str(s) for s in team.subjects if s not in content.subjects]
    if strangers:
        raise InputError(
            "assignment.team", f"team {team.id} covers {strangers[0]}, not a subject of {key}"
        )
    return attrs.evolve(content, teams=(*content.teams, team))


def add_content(
    data: Mapping[str, Any], known: Mapping[str, PlanContent], *, out_of_plan: bool
) -> PlanContent:
    """The content an ``ADD_CONTENT`` or ``ADD_OUT_OF_PLAN`` payload (``content``) adds."""
    content = read_content(data.get("content"), out_of_plan=out_of_plan)
    if content.key in known:
        raise InputError("content.key", f"the plan already has a content {content.key!r}")
    team_ids = {t.id for c in known.values() for t in c.teams}
    for team in content.teams:
        if team.id in team_ids:
            raise InputError("content.teams", f"the plan already has a team {team.id!r}")
    return content


def _keys(known: Mapping[str, PlanContent]) -> str:
    return ", ".join(known) or "(none)"


#: What each step of a plan does to its contents, by trigger name.
_READERS = {
    "ADD_CONTENT": lambda data, known: add_content(data, known, out_of_plan=False),
    "ADD_OUT_OF_PLAN": lambda data, known: add_content(data, known, out_of_plan=True),
    "AMEND_CONTENT": read_amendment,
    "ASSIGN_TEAM": assign_team,
}


def apply_step(trigger: str, data: Mapping[str, Any], known: dict[str, PlanContent]) -> None:
    """Apply the step ``trigger`` with payload ``data`` to the contents ``known`` (in place);
    steps that do not change contents are ignored. Raises InputError for data the workflow's
    guards would have refused."""
    reader = _READERS.get(trigger)
    if reader is not None:
        content = reader(data, known)
        known[content.key] = content


def contents_of(steps: Any) -> dict[str, PlanContent]:
    """The contents a plan's steps (a case's ``steps``) hold, by key, in the order added."""
    known: dict[str, PlanContent] = {}
    for step in steps:
        if step.trigger is not None:
            apply_step(step.trigger.name, step.payload, known)
    return known
