"""ISO 3166 country names in Spanish or English, from pycountry's data and gettext catalogs."""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pycountry
from django.utils.translation import gettext_lazy as _

from ruta.lib.text import collation_key

# The countries the people Ruta serves come from, cross or live in, listed first in every
# country select, in this order: the countries of origin and transit named most often
# (Venezuela first), then the other host countries of the regional response for refugees
# and migrants from Venezuela (R4V) that the first list leaves out.
REGION_COUNTRIES: tuple[str, ...] = (
    "VE", "CO", "PE", "EC", "HT", "HN", "SV", "GT", "NI", "CU", "MX", "PA",
    "CL", "BR", "AR", "BO", "CR", "DO", "PY", "UY", "GY", "TT", "AW", "CW",
)  # fmt: skip


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


def sorted_countries(codes: Iterable[str], language: str = "es") -> list[tuple[str, str]]:
    """(code, name) pairs of ``codes``, in the order a reader of ``language`` looks them up."""
    language = language[:2]
    pairs = [(code, country_name(code, language)) for code in codes if code]
    return sorted(pairs, key=lambda pair: collation_key(pair[1], language))


@lru_cache(maxsize=4)
def _other_countries(language: str) -> tuple[tuple[str, str], ...]:
    region = set(REGION_COUNTRIES)
    others = (c.alpha_2 for c in pycountry.countries if c.alpha_2 not in region)
    return tuple(sorted_countries(others, language))


def country_choices(language: str = "es") -> list[tuple[Any, list[tuple[str, str]]]]:
    """Every ISO 3166-1 country, for a select: the region's first (``REGION_COUNTRIES``, in
    that order), then the others by name in the reader's language; each set an ``<optgroup>``.
    """
    language = language[:2]
    region = [(code, country_name(code, language)) for code in REGION_COUNTRIES]
    return [
        (_("Countries of the region"), region),
        (_("Other countries"), list(_other_countries(language))),
    ]


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
