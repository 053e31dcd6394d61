"""Figures written the way a report in its language writes them.

Vietnamese groups thousands with a dot and marks decimals with a comma (76.008 đảng viên; 91,7%);
English the other way round (76,008 members; 91.7%).

>>> format_number(76008), format_number(76008, lang="en")
('76.008', '76,008')
>>> format_percent(11, 12), format_percent(95, 95), format_percent(11, 12, lang="en")
('91,7%', '100%', '91.7%')
"""

from __future__ import annotations

from discipline_flow.errors import InputError

__all__ = ["LANGUAGES", "check_language", "format_number", "format_percent"]

#: The languages reports are written in: Vietnamese (the default) and English.
LANGUAGES: tuple[str, ...] = ("vi", "en")


def check_language(lang: object) -> str:
    """``lang`` if a report can be written in it, else an :class:`~discipline_flow.errors.InputError`.

    >>> check_language("fr")
    Traceback (most recent call last):
    ...
    discipline_flow.errors.InputError: lang: expected one of vi, en, got 'fr'
    """
    if lang not in LANGUAGES:
        raise InputError("lang", f"expected one of {', '.join(LANGUAGES)}, got {lang!r}")
    return str(lang)


def format_number(value: float, *, lang: str = "vi", decimals: int = 0) -> str:
    """``value`` with thousands grouped and ``decimals`` places, in ``lang``'s number format.

    >>> format_number(1234567.891, decimals=2), format_number(-7012), format_number(145)
    ('1.234.567,89', '-7.012', '145')
    """
    check_language(lang)
    if decimals < 0:
        raise InputError("decimals", f"expected 0 or more places, got {decimals}")
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        # Swap the separators through a character neither format uses.
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(part: float, whole: float, *, lang: str = "vi") -> str:
    """``part`` as a percentage of ``whole``: one decimal place, none when it is a whole number.

    >>> format_percent(44, 51), format_percent(0, 7), format_percent(2, 3, lang="en")
    ('86,3%', '0%', '66.7%')
    """
    if whole <= 0:
        raise InputError("whole", f"a percentage needs a positive whole, got {whole}")
    share = round(100 * part / whole, 1)
    return format_number(share, lang=lang, decimals=0 if share.is_integer() else 1) + "%"
