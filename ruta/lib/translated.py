"""Text stored once per language (``name_es``, ``name_en``), read in the current one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>``, falling back to Spanish then English."""
    language = (language or get_language() or "es")[:2]
    for code in (language, "es", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""
