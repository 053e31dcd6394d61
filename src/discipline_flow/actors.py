"""Who acts and who is acted upon: bodies, members and organisations.

A :class:`Body` is who acts or decides (a party cell, an inspection commission at a level, the
Secretariat, ...). A subject is a :class:`Member` or an :class:`Organisation`.

>>> from discipline_flow import Body, BodyKind, Level, Member
>>> cell = Body(BodyKind.PARTY_CELL, "cell-7", Level.GRASSROOTS)
>>> str(cell)
'party_cell:cell-7'
>>> Member("m-1", cell_id="cell-7").is_probationary
False
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import attrs

from discipline_flow.errors import InputError

__all__ = ["Body", "BodyKind", "Level", "Member", "Organisation", "Subject"]


class Level(enum.Enum):
    """Levels of the party system. The district level ended on 1 July 2025 (QĐ 294-QĐ/TW).

    Each level has a :attr:`rank` (higher levels rank higher) and a Vietnamese name.

    >>> Level.GRASSROOTS.rank < Level.PROVINCIAL.rank, Level.PROVINCIAL.label_vi
    (True, 'cấp tỉnh')
    >>> Level.GRASSROOTS.next_up(has_district_level=False)
    <Level.PROVINCIAL: 'provincial'>
    """

    GRASSROOTS = "grassroots"
    DISTRICT = "district"
    PROVINCIAL = "provincial"
    CENTRAL = "central"

    # Members are singletons compared by identity: hash them by identity too, in C, instead of
    # Enum's Python-level ``hash(self._name_)`` (as ``Measure`` does); bodies key guard memos.
    __hash__ = object.__hash__

    @property
    def rank(self) -> int:
        """0 for the grassroots up to 3 for the central level: a higher level ranks higher."""
        return _LEVEL_FACTS[self].rank

    @property
    def label_vi(self) -> str:
        """The Vietnamese name, e.g. ``cấp tỉnh``."""
        return _LEVEL_FACTS[self].label_vi

    def next_up(self, *, has_district_level: bool = True) -> Level | None:
        """The level directly above, skipping the district level where it does not exist;
        None above the central level."""
        for level in _LEVEL_ORDER[self.rank + 1 :]:
            if level is not Level.DISTRICT or has_district_level:
                return level
        return None


class _LevelFacts(NamedTuple):
    rank: int
    label_vi: str


_LEVEL_FACTS: Mapping[Level, _LevelFacts] = MappingProxyType(
    {
        Level.GRASSROOTS: _LevelFacts(0, "cơ sở"),
        Level.DISTRICT: _LevelFacts(1, "cấp huyện"),
        Level.PROVINCIAL: _LevelFacts(2, "cấp tỉnh"),
        Level.CENTRAL: _LevelFacts(3, "Trung ương"),
    }
)
_LEVEL_ORDER = tuple(sorted(Level, key=lambda level: level.rank))


class BodyKind(enum.Enum):
    """Kinds of bodies that act in a case. Vietnamese names are in the glossary.

    Party bodies (all but state agencies, persons and the system) stand in an order: first by
    the level they act at (:meth:`acting_level`), then by :attr:`rank_in_level`. Some kinds
    always act at one level (:attr:`fixed_level`); the others act at the level given with the
    body.

    >>> BodyKind.PARTY_CELL.fixed_level, BodyKind.INSPECTION_COMMISSION.fixed_level
    (<Level.GRASSROOTS: 'grassroots'>, None)
    >>> BodyKind.COMMITTEE.rank_in_level > BodyKind.INSPECTION_COMMISSION.rank_in_level
    True
    >>> BodyKind.STATE_AGENCY.is_party_body, BodyKind.STATE_AGENCY.acting_level(Level.CENTRAL)
    (False, None)
    """

    PARTY_CELL = "party_cell"  # chi bộ
    CELL_EXECUTIVE = "cell_executive"  # chi ủy
    PARTIAL_COMMITTEE = "partial_committee"  # đảng ủy bộ phận
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # đảng ủy cơ sở
    COMMITTEE = "committee"  # cấp ủy (above grassroots)
    STANDING_COMMITTEE = "standing_committee"  # ban thường vụ
    INSPECTION_COMMISSION = "inspection_commission"  # ủy ban kiểm tra
    SECRETARIAT = "secretariat"  # Ban Bí thư
    POLITBURO = "politburo"  # Bộ Chính trị
    CENTRAL_COMMITTEE = "central_committee"  # Ban Chấp hành Trung ương
    STATE_AGENCY = "state_agency"  # cơ quan nhà nước (police, procuracy, court, ...)
    PERSON = "person"  # a member, denouncer or complainant acting for themselves
    SYSTEM = "system"  # the library itself (deadline sweeps, recalculation)

    # Hashed by identity, in C (see Level).
    __hash__ = object.__hash__

    @property
    def is_party_body(self) -> bool:
        """Whether bodies of this kind are party bodies (not a state agency, a person or the
        system): only they decide, propose, approve or resolve."""
        return self in _KIND_FACTS

    @property
    def fixed_level(self) -> Level | None:
        """The level bodies of this kind always act at, or None when it is given per body."""
        facts = _KIND_FACTS.get(self)
        return None if facts is None else facts.fixed_level

    @property
    def rank_in_level(self) -> int | None:
        """Where a party body of this kind stands among the bodies of its level; None for
        other bodies. A committee stands over its standing committee, which stands over its
        inspection commission (the same-level committee resolves complaints about its
        commission's decisions, QĐ 262-QĐ/TW)."""
        facts = _KIND_FACTS.get(self)
        return None if facts is None else facts.rank_in_level

    def acting_level(self, level: Level | None) -> Level | None:
        """The level a body of this kind acts at when it states ``level``: its
        :attr:`fixed_level` if it has one, else ``level``; None for bodies that are not party
        bodies."""
        facts = _KIND_FACTS.get(self)
        if facts is None:
            return None
        return level if facts.fixed_level is None else facts.fixed_level


class _KindFacts(NamedTuple):
    fixed_level: Level | None
    rank_in_level: int


_KIND_FACTS: Mapping[BodyKind, _KindFacts] = MappingProxyType(
    {
        BodyKind.PARTY_CELL: _KindFacts(Level.GRASSROOTS, 0),
        BodyKind.CELL_EXECUTIVE: _KindFacts(Level.GRASSROOTS, 0),
        BodyKind.PARTIAL_COMMITTEE: _KindFacts(Level.GRASSROOTS, 1),
        BodyKind.INSPECTION_COMMISSION: _KindFacts(None, 2),
        BodyKind.STANDING_COMMITTEE: _KindFacts(None, 3),
        BodyKind.GRASSROOTS_COMMITTEE: _KindFacts(Level.GRASSROOTS, 4),
        BodyKind.COMMITTEE: _KindFacts(None, 4),
        BodyKind.SECRETARIAT: _KindFacts(Level.CENTRAL, 5),
        BodyKind.POLITBURO: _KindFacts(Level.CENTRAL, 6),
        BodyKind.CENTRAL_COMMITTEE: _KindFacts(Level.CENTRAL, 7),
    }
)


def check_text(value: str, where: str) -> str:
    """Return ``value`` if every store can keep it as text: no NUL, no lone surrogates.

    >>> check_text("warning", "payload.measure")
    'warning'
    >>> check_text("a\\x00b", "payload.note")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: payload.note: text may not contain NUL characters
    """
    if "\x00" in value:
        raise InputError(where, "text may not contain NUL characters")
    if not value.isascii():  # ASCII text holds no surrogates: only other text is encoded
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(where, "text must be valid Unicode (no lone surrogates)") from None
    return value


def _text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """Ids are stored as text on every store: not empty, and :func:`check_text`."""
    if not isinstance(value, str) or not value:
        raise InputError(attribute.name, "must be non-empty text")
    check_text(value, attribute.name)


def _optional_text(value: object, name: str) -> None:
    """Names and other optional texts: None or text (a store checks that it can keep the text,
    and names the place of a NUL or a lone surrogate)."""
    if value is not None and not isinstance(value, str):
        raise InputError(name, f"expected text or None, got {type(value).__name__}")


def _level(value: object, name: str, *, optional: bool = True) -> None:
    """Levels are members of :class:`Level` (None where no level applies)."""
    if type(value) is not Level and (value is not None or not optional):
        levels = ", ".join(f"Level.{lv.name}" for lv in Level)
        none = " or None" if optional else ""
        raise InputError(name, f"expected one of {levels}{none}; got {value!r}")


def _flag(value: object, name: str) -> None:
    if type(value) is not bool:
        raise InputError(name, f"expected True or False, got {value!r}")


@attrs.frozen(cache_hash=True)  # guards' memos are keyed by the acting body
class Body:
    """Who acts or decides. ``id`` identifies the body within the embedding system."""

    kind: BodyKind
    id: str = attrs.field(validator=_text)
    level: Level | None = None
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        # Every field is checked when the body is made: a store names and hashes them all.
        if type(self.kind) is not BodyKind:
            kinds = ", ".join(k.value for k in BodyKind)
            raise InputError(
                "kind",
                f"expected a BodyKind member such as BodyKind.PARTY_CELL, got {self.kind!r} "
                f"(Body.parse('party_cell:ID') reads one from text); kinds: {kinds}",
            )
        _level(self.level, "level")
        _optional_text(self.name, "name")

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> Body:
        """The body ``text`` names as ``kind:id`` (what ``str(body)`` gives, without level).

        >>> Body.parse("party_cell:cell-12")
        Body(kind=<BodyKind.PARTY_CELL: 'party_cell'>, id='cell-12', level=None, name=None)
        >>> Body.parse("cell-12")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        discipline_flow.errors.InputError: actor: 'cell-12' is not a Body or a 'kind:id' text \
such as 'person:clerk-1' or 'party_cell:cell-12'; kinds: party_cell, ...
        """
        kind_name, sep, ident = text.partition(":") if isinstance(text, str) else ("", "", "")
        kinds = ", ".join(k.value for k in BodyKind)
        if not sep or not ident:
            raise InputError(
                "actor",
                f"{text!r} is not a Body or a 'kind:id' text such as 'person:clerk-1' or "
                f"'party_cell:cell-12'; kinds: {kinds}",
            )
        try:
            kind = BodyKind(kind_name)
        except ValueError:
            raise InputError(
                "actor", f"{text!r} names no kind of body {kind_name!r}; kinds: {kinds}"
            ) from None
        return cls(kind, ident)


@attrs.frozen
class Member:
    """A party member as the subject of a case.

    ``managed_by`` is the level whose committee manages the member as a cadre (None for ordinary
    members); ``committee_level`` the level of the committee the member sits on, if any.
    """

    id: str = attrs.field(validator=_text)
    name: str | None = None
    cell_id: str | None = None
    is_probationary: bool = False
    holds_post: bool = False
    committee_level: Level | None = None
    managed_by: Level | None = None

    def __attrs_post_init__(self) -> None:
        _optional_text(self.name, "name")
        _optional_text(self.cell_id, "cell_id")
        _flag(self.is_probationary, "is_probationary")
        _flag(self.holds_post, "holds_post")
        _level(self.committee_level, "committee_level")
        _level(self.managed_by, "managed_by")

    @property
    def kind(self) -> str:
        """``"member"``."""
        return "member"


@attrs.frozen
class Organisation:
    """A party organisation as the subject of a case."""

    id: str = attrs.field(validator=_text)
    level: Level
    name: str | None = None
    parent_id: str | None = None

    def __attrs_post_init__(self) -> None:
        _level(self.level, "level", optional=False)
        _optional_text(self.name, "name")
        _optional_text(self.parent_id, "parent_id")

    @property
    def kind(self) -> str:
        """``"organisation"``."""
        return "organisation"


#: A case is about a member or an organisation.
Subject = Member | Organisation
