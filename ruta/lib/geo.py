"""ISO 3166 country names in Spanish or English, from pycountry's data and gettext catalogs."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry


@lru_cache(maxsize=4)
def _translation(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str, language: str = "es") -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    catalog = _translation(language)
    common = getattr(country, "common_name", None)
    if common and catalog.gettext(common) != common:
        return str(catalog.gettext(common))
    translated = catalog.gettext(country.name)
    if translated == country.name and common:
        return str(common)
    return str(translated)


def country_choices(language: str = "es") -> list[tuple[str, str]]:
    """All ISO 3166-1 countries as (code, name) pairs sorted by their local name."""
    choices = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    return sorted(choices, key=lambda item: item[1])


@lru_cache(maxsize=4)
def language_catalog(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def language_names(codes: list[str], language: str = "es") -> list[str]:
    """ISO 639-1 codes as language names in ``language``, capitalised."""
    catalog = language_catalog(language)
    names = []
    for code in codes:
        entry = pycountry.languages.get(alpha_2=str(code).lower())
        name = catalog.gettext(entry.name) if entry is not None else str(code)
        names.append(f"{name[:1].upper()}{name[1:]}")
    return names
