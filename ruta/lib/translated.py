"""Text stored once per language (``name_es``, ``name_en``), read in the current one.

``localized`` gives the text alone. ``in_reader_language`` also says which language the
text is written in, so a page can mark a text that is not in its reader's language yet
(``{% translated %}`` in ``ui``): the English page of a meeting written only in Spanish
shows the Spanish, in ``lang="es"``, with "Not translated yet" beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

# The languages content is written in, Spanish first: most of it is written in Spanish.
CONTENT_LANGUAGES: tuple[str, ...] = ("es", "en")


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>``, falling back to Spanish then English."""
    language = (language or get_language() or "es")[:2]
    for code in (language, "es", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


@dataclass(frozen=True)
class Version:
    """The version of a text (or of a list of texts) picked for a reader."""

    value: str | list[str]
    language: str  # the language ``value`` is written in
    reader: str  # the reader's language

    @property
    def fell_back(self) -> bool:
        """The reader's language has no version: ``value`` is another language's."""
        return bool(self.value) and self.language != self.reader

    @property
    def text(self) -> str:
        if isinstance(self.value, list):
            return "; ".join(self.value)
        return self.value

    @property
    def items(self) -> list[str]:
        if isinstance(self.value, list):
            return self.value
        return [self.value] if self.value else []

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.value)


def reader_language(language: str | None = None) -> str:
    return (language or get_language() or "es")[:2]


def pick(versions: dict[str, Any], language: str | None = None) -> Version:
    """The reader's version if it has text, else the first of ``CONTENT_LANGUAGES`` that has."""
    reader = reader_language(language)
    for code in (reader, *CONTENT_LANGUAGES):
        value = versions.get(code)
        if isinstance(value, str):
            value = value.strip()
        if value:
            return Version(
                value=list(value) if isinstance(value, list) else value,
                language=code,
                reader=reader,
            )
    return Version(value="", language=reader, reader=reader)


def in_reader_language(obj: Any, field: str, language: str | None = None) -> Version:
    """``obj.<field>_<lang>`` for the reader (or ``language``), else another language's.

    The Spanish version is ``<field>_es``, or ``<field>`` itself where the Spanish field
    came first and the English one was added beside it (``Meeting.title``, ``title_en``).
    """
    versions: dict[str, Any] = {}
    for code in CONTENT_LANGUAGES:
        name = f"{field}_{code}"
        if code == "es" and not hasattr(obj, name):
            name = field
        versions[code] = getattr(obj, name, "")
    return pick(versions, language)
