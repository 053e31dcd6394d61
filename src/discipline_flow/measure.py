"""Disciplinary measures (hình thức kỷ luật) and whom they apply to.

The forms of discipline are fixed by the Party Charter (Điều lệ Đảng 2011, Điều 35) and repeated
in every regulation since (QĐ 22-QĐ/TW Điều 10, QĐ 69-QĐ/TW Điều 7, QĐ 296-QĐ/TW Điều 9): members
may be reprimanded, warned, removed from post or expelled; probationary members only reprimanded
or warned (one who no longer qualifies is removed from the rolls, which is not a disciplinary
form); organisations may be reprimanded, warned or dissolved.

>>> from discipline_flow.rules import Measure
>>> Measure.EXPULSION.label_vi
'khai trừ'
>>> sorted([Measure.EXPULSION, Measure.REPRIMAND, Measure.WARNING])
[<Measure.REPRIMAND: 'reprimand'>, <Measure.WARNING: 'warning'>, <Measure.EXPULSION: 'expulsion'>]
>>> Measure.WARNING.applies_to_probationary_members, Measure.EXPULSION.applies_to_probationary_members
(True, False)
"""

from __future__ import annotations

import enum

__all__ = ["Measure"]

_LABELS: dict[str, tuple[str, str, int, bool, bool, bool]] = {
    # value: (English label, Vietnamese label, severity, full members, probationary, organisations)
    "reprimand": ("reprimand", "khiển trách", 1, True, True, True),
    "warning": ("warning", "cảnh cáo", 2, True, True, True),
    "removal_from_post": ("removal from post", "cách chức", 3, True, False, False),
    "expulsion": ("expulsion", "khai trừ", 4, True, False, False),
    "dissolution": ("dissolution", "giải tán", 4, False, False, True),
}


class Measure(enum.Enum):
    """A form of party discipline, ordered by severity.

    Severity is a rank within a subject's scale: reprimand (1) < warning (2) < removal from post
    (3) < expulsion (4) for members; reprimand < warning < dissolution (4) for organisations.
    Expulsion and dissolution share the top rank: each ends the subject's place in the party.

    >>> Measure.WARNING > Measure.REPRIMAND
    True
    >>> Measure.DISSOLUTION.applies_to_full_members
    False
    """

    REPRIMAND = "reprimand"
    WARNING = "warning"
    REMOVAL_FROM_POST = "removal_from_post"
    EXPULSION = "expulsion"
    DISSOLUTION = "dissolution"

    # Members are singletons compared by identity: hash them by identity too, in C, instead of
    # Enum's Python-level ``hash(self._name_)``. Guards key their memos on measures on every move.
    __hash__ = object.__hash__

    @property
    def label_en(self) -> str:
        """The English name, e.g. ``removal from post``."""
        return _LABELS[self.value][0]

    @property
    def label_vi(self) -> str:
        """The Vietnamese name, e.g. ``cách chức``."""
        return _LABELS[self.value][1]

    @property
    def severity(self) -> int:
        """Rank within the subject's scale: 1 (reprimand) to 4 (expulsion or dissolution)."""
        return _LABELS[self.value][2]

    @property
    def applies_to_full_members(self) -> bool:
        """Whether the Charter allows this measure for a full member (Điều 35)."""
        return _LABELS[self.value][3]

    @property
    def applies_to_probationary_members(self) -> bool:
        """Whether a probationary member may receive it: only reprimand and warning.

        A probationary member who no longer qualifies is removed from the rolls (xóa tên),
        which is not a disciplinary measure.
        """
        return _LABELS[self.value][4]

    @property
    def applies_to_organisations(self) -> bool:
        """Whether a party organisation may receive it: reprimand, warning, dissolution."""
        return _LABELS[self.value][5]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Measure):
            return NotImplemented
        return self.severity < other.severity

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Measure):
            return NotImplemented
        return self.severity <= other.severity

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Measure):
            return NotImplemented
        return self.severity > other.severity

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Measure):
            return NotImplemented
        return self.severity >= other.severity
