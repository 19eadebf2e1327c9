"""Accent- and case-insensitive text: the same folding for stored text and queries, and the
order in which names are listed to a reader."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]+")


def fold(text: str) -> str:
    """'Apoyo PSICOLÓGICO  ñandú' -> 'apoyo psicologico nandu'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def query_words(text: str) -> list[str]:
    """Folded words of a query, without one-letter noise; at most 8."""
    return [word for word in fold(text).split(" ") if len(word) > 1][:8]


def fold_words(text: str) -> str:
    """Folded, with punctuation as spaces: '¿Me PEGAN?' -> 'me pegan' (phrases compare so)."""
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", fold(text))).strip()


def collation_key(text: str, language: str = "es") -> tuple[tuple[int, ...], str, str]:
    """Sort key for names shown in ``language``, as a dictionary orders them.

    Letters compare first without accents or case ("Bélgica" before "Bután", "Åland" among
    the A), then accents ("Peru" before "Perú"), then case. In Spanish, ñ is a letter of its
    own between n and o ("Nueva Zelanda" < "Ñandú" < "Omán"). Spaces and punctuation sort
    before letters ("Guinea" < "Guinea Ecuatorial" < "Guinea-Bisáu"). Letters that do not
    decompose into a base letter and marks (ø, æ) come after z.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").casefold())
    if language[:2] == "es":
        decomposed = decomposed.replace("n\u0303", _ENYE)
    primary = tuple(_weight(ch) for ch in decomposed if not unicodedata.combining(ch))
    return primary, decomposed, text


_ENYE = "\U000f0000"  # a private-use stand-in for the Spanish ñ while it is weighed


def _weight(ch: str) -> int:
    if ch == _ENYE:
        return ord("n") * 2 + 1
    return ord(ch) * 2
