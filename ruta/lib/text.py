"""Accent- and case-insensitive text: the same folding for stored text and queries."""

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
