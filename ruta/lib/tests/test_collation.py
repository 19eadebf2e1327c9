"""The order of names in lists: a dictionary's (accents and case second, ñ its own letter in
Spanish), and the country selects' (the region's countries first, then the rest by name)."""

from __future__ import annotations

import pycountry
import pytest
from django.utils import translation

from ruta.lib.geo import REGION_COUNTRIES, country_choices, sorted_countries
from ruta.lib.text import collation_key, fold


def ordered(names: list[str], language: str) -> list[str]:
    return sorted(names, key=lambda name: collation_key(name, language))


def test_accents_and_case_do_not_push_a_name_to_the_end() -> None:
    names = ["Zambia", "Bután", "Bélgica", "Åland", "albania", "Éire", "Egipto"]
    assert ordered(names, "es") == [
        "Åland",
        "albania",
        "Bélgica",
        "Bután",
        "Egipto",
        "Éire",
        "Zambia",
    ]


def test_a_name_without_accent_comes_before_the_same_with_one() -> None:
    assert ordered(["Perú", "perú", "Peru"], "en") == ["Peru", "Perú", "perú"]


def test_spanish_sorts_enye_after_n_english_among_the_n() -> None:
    names = ["Omán", "Ñandú", "Nueva Zelanda", "Nauru"]
    assert ordered(names, "es") == ["Nauru", "Nueva Zelanda", "Ñandú", "Omán"]
    assert ordered(names, "en") == ["Ñandú", "Nauru", "Nueva Zelanda", "Omán"]
    assert ordered(["Espana", "España", "Espanza"], "es") == ["Espana", "Espanza", "España"]


def test_spaces_and_hyphens_sort_before_letters() -> None:
    names = ["Guinea-Bisáu", "Guineana", "Guinea Ecuatorial", "Guinea"]
    assert ordered(names, "es") == ["Guinea", "Guinea Ecuatorial", "Guinea-Bisáu", "Guineana"]


def options(groups: list[tuple[object, list[tuple[str, str]]]]) -> list[list[str]]:
    return [[name for _code, name in choices] for _label, choices in groups]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_country_once_the_region_first_in_its_order(language: str) -> None:
    with translation.override(language):
        groups = country_choices(language)
        labels = [str(label) for label, _choices in groups]
    assert (
        labels
        == {
            "en": ["Countries of the region", "Other countries"],
            "es": ["Países de la región", "Otros países"],
        }[language]
    )
    region, others = ([code for code, _name in choices] for _label, choices in groups)
    assert region == list(REGION_COUNTRIES)
    assert region[:4] == ["VE", "CO", "PE", "EC"]
    assert sorted(region + others) == sorted(c.alpha_2 for c in pycountry.countries)


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_other_countries_follow_the_alphabet_of_the_language(language: str) -> None:
    _region, others = options(country_choices(language))
    folded = [fold(name) for name in others]
    assert folded == sorted(folded)  # no accented name out of place
    assert others[0].startswith(("Af", "Åland"))


def test_spanish_names_in_spanish_order() -> None:
    region, others = options(country_choices("es"))
    assert region[:3] == ["Venezuela, República Bolivariana de", "Colombia", "Perú"]
    assert others.index("Bélgica") < others.index("Belice") < others.index("Bután")
    assert others.index("Islandia") < others.index("Islas Äland") < others.index("Israel")
    assert others[-1] == "Zimbabue"


def test_english_names_in_english_order() -> None:
    region, others = options(country_choices("en"))
    assert region[:3] == ["Venezuela", "Colombia", "Peru"]
    assert others.index("Åland Islands") < others.index("Albania")
    assert others.index("Congo") < others.index("Côte d'Ivoire") < others.index("Croatia")
    assert "Mexico" not in others  # once, in the region's group


def test_a_short_list_of_countries_sorts_the_same_way() -> None:
    assert sorted_countries(["PE", "BE", "BT", "EC", ""], "es") == [
        ("BE", "Bélgica"),
        ("BT", "Bután"),
        ("EC", "Ecuador"),
        ("PE", "Perú"),
    ]
