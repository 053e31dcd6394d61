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

import attrs

from discipline_flow.errors import InputError

__all__ = ["Body", "BodyKind", "Level", "Member", "Organisation", "Subject"]


class Level(enum.Enum):
    """Levels of the party system. The district level ended on 1 July 2025 (QĐ 294-QĐ/TW)."""

    GRASSROOTS = "grassroots"
    DISTRICT = "district"
    PROVINCIAL = "provincial"
    CENTRAL = "central"


class BodyKind(enum.Enum):
    """Kinds of bodies that act in a case. Vietnamese names are in the glossary."""

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


@attrs.frozen(cache_hash=True)  # guards' memos are keyed by the acting body
class Body:
    """Who acts or decides. ``id`` identifies the body within the embedding system."""

    kind: BodyKind
    id: str = attrs.field(validator=_text)
    level: Level | None = None
    name: str | None = None

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


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

    @property
    def kind(self) -> str:
        """``"organisation"``."""
        return "organisation"


#: A case is about a member or an organisation.
Subject = Member | Organisation
