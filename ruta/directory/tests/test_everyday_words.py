"""People search in their own words: the everyday vocabulary finds the services they need."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.directory.access import public_services
from ruta.directory.demo import load_directory_demo
from ruta.directory.everyday_words import SEED
from ruta.directory.models import EverydayWord, TaxonomyTerm
from ruta.directory.search import FinderQuery, expand_query, find_services
from ruta.directory.tests.factories import make_service
from ruta.lib.text import fold_words

pytestmark = pytest.mark.django_db

VIOLENCE = {"gbv_case_management", "psychosocial_support"}
MIND = {"mental_health", "psychosocial_support", "helpline"}
PAPERS = {"documentation", "legal"}
SHELTER = {"shelter"}
FOOD = {"food", "cash"}
WORK = {"livelihoods", "cash"}
HEALTH = {"medical", "srh"}
CHILDREN = {"child_protection"}

# What people type (as they type it: accents or not, capitals, punctuation, filler words)
# and the needs a relevant answer carries.
EVERYDAY_QUERIES: list[tuple[str, set[str]]] = [
    ("violación", VIOLENCE),
    ("violacion", VIOLENCE),
    ("VIOLACIÓN", VIOLENCE),
    ("me violaron", VIOLENCE),
    ("abuso sexual", VIOLENCE),
    ("acoso", VIOLENCE),
    ("golpes", VIOLENCE),
    ("me pegan", VIOLENCE),
    ("¿Me pegan?", VIOLENCE),
    ("mi pareja me pega", VIOLENCE),
    ("mi esposo me pega", VIOLENCE),
    ("me maltrata", VIOLENCE),
    ("me cayó a coñazos", VIOLENCE),
    ("vergueada", VIOLENCE),
    ("violencia doméstica", VIOLENCE),
    ("trata de personas", VIOLENCE),
    ("rape", VIOLENCE),
    ("sexual assault", VIOLENCE),
    ("domestic violence", VIOLENCE),
    ("he hits me", VIOLENCE),
    ("suicidio", MIND),
    ("me quiero morir", MIND),
    ("no quiero vivir", MIND),
    ("depresión", MIND),
    ("depresion", MIND),
    ("ayuda para depresión", MIND),
    ("estoy deprimida", MIND),
    ("ansiedad", MIND),
    ("ataques de pánico", MIND),
    ("no puedo dormir", MIND),
    ("tristeza", MIND),
    ("me siento sola", MIND),
    ("necesito hablar con alguien", MIND),
    ("ando bajoneado", MIND),
    ("agüitada", MIND),
    ("suicide", MIND),
    ("depression", MIND),
    ("anxiety", MIND),
    ("someone to talk to", MIND),
    ("papeles", PAPERS),
    ("sin papeles", PAPERS),
    ("pasaporte", PAPERS),
    ("cédula", PAPERS),
    ("carnet de extranjeria", PAPERS),
    ("PTP", PAPERS),
    ("asilo", PAPERS),
    ("refugio", SHELTER),
    ("quiero pedir refugio", PAPERS),
    ("refugiada", PAPERS | SHELTER),
    ("me van a deportar", PAPERS),
    ("abogado", PAPERS),
    ("pensión de alimentos", PAPERS),
    ("papers", PAPERS),
    ("asylum", PAPERS),
    ("lawyer", PAPERS),
    ("albergue", SHELTER),
    ("dónde dormir", SHELTER),
    ("estoy en la calle", SHELTER),
    ("shelter", SHELTER),
    ("place to sleep", SHELTER),
    ("comida", FOOD),
    ("hambre", FOOD),
    ("olla común", FOOD),
    ("no tengo real", FOOD | WORK),
    ("pisto", FOOD | WORK),
    ("chamba", WORK),
    ("trabajo", WORK),
    ("hungry", FOOD),
    ("job", WORK),
    ("médico", HEALTH),
    ("estoy embarazada", HEALTH),
    ("anticonceptivos", HEALTH),
    ("pregnant", HEALTH),
    ("mis hijos", CHILDREN),
    ("los chamos", CHILDREN),
    ("cipotes", CHILDREN),
    ("children", CHILDREN),
]

# The words the issue found returning nothing.
ISSUE_WORDS = [
    "violación",
    "abuso sexual",
    "golpes",
    "me pegan",
    "suicidio",
    "depresión",
    "ansiedad",
    "papeles",
    "refugio",
]


def _found(text: str) -> Any:
    return find_services(public_services(), FinderQuery(text=text))


def test_the_seed_is_curated_and_shipped_by_the_migration() -> None:
    codes = set(
        TaxonomyTerm.objects.filter(taxonomy__code__in=("sector", "population")).values_list(
            "code", flat=True
        )
    )
    assert len(SEED) >= 200
    for phrase, language, _usage, meant in SEED:
        assert language in ("es", "en") and meant and set(meant) <= codes, phrase
    assert {usage for *_rest, usage, _m in SEED} >= {"Venezuela", "Centroamérica", ""}
    assert EverydayWord.objects.count() == len({fold_words(p) for p, *_ in SEED})
    word = EverydayWord.objects.get(folded="me pegan")
    assert set(word.terms.values_list("code", flat=True)) == VIOLENCE


def test_at_least_sixty_everyday_queries_find_relevant_demo_services() -> None:
    load_directory_demo()
    assert len(EVERYDAY_QUERIES) >= 60
    missing = [
        query
        for query, needs in EVERYDAY_QUERIES
        if not _found(query).filter(terms__code__in=needs).exists()
    ]
    assert missing == [], f"No relevant service for: {missing}"


def test_without_the_vocabulary_the_issue_words_found_less() -> None:
    """The test above measures the vocabulary, not words the services happen to hold."""
    load_directory_demo()
    with_words = {word: _found(word).count() for word in ISSUE_WORDS}
    EverydayWord.objects.update(active=False)
    without = {word: _found(word).count() for word in ISSUE_WORDS}
    assert all(with_words[word] > 0 for word in ISSUE_WORDS), with_words
    assert sum(without.values()) < sum(with_words.values())
    assert without["me pegan"] == without["violación"] == without["suicidio"] == 0


def test_phrases_come_first_and_filler_words_drop_out() -> None:
    expansion = expand_query("Ayuda, mi pareja ME PEGA en Lima")
    assert [phrase for _pk, phrase in expansion.phrases] == ["mi pareja me pega"]
    assert expansion.words == ["lima"]
    plain = expand_query("apoyo psicologico")
    assert plain.phrases == [] and plain.words == ["apoyo", "psicologico"]
    # Only filler: kept, so that the search still means something.
    assert expand_query("ayuda").words == ["ayuda"]
    assert expand_query("  ¿? ").words == []


def test_other_words_still_narrow_an_everyday_search(world: Any) -> None:
    make_service(world.care, "Casa Segura Tumbes", terms=("gbv_case_management",), area="PE-TUM")
    make_service(world.care, "Casa Segura Lima", terms=("gbv_case_management",), area="PE-LIM")
    make_service(world.care, "Comedor Tumbes", terms=("food",), area="PE-TUM")
    names = set(_found("me pegan tumbes").values_list("name_es", flat=True))
    assert names == {"Casa Segura Tumbes"}


def test_services_carrying_more_of_the_meaning_come_first(world: Any) -> None:
    make_service(world.care, "A · Escucha", terms=("psychosocial_support",))
    make_service(world.care, "B · Casos VBG", terms=("gbv_case_management", "psychosocial_support"))
    make_service(
        world.care, "C · Asesoría", terms=("legal",), description_es="Me pegan: te ayudamos"
    )
    names = list(_found("me pegan").values_list("name_es", flat=True))
    assert names == ["B · Casos VBG", "A · Escucha", "C · Asesoría"]
    near = _found_near("me pegan", (-12.05, -77.04))
    assert list(near.values_list("name_es", flat=True)) == names  # none placed: fit, name


def _found_near(text: str, point: tuple[float, float]) -> Any:
    return find_services(public_services(), FinderQuery(text=text, near=point))


def test_an_inactive_or_edited_word_changes_what_is_found(world: Any) -> None:
    make_service(world.care, "Comedor popular", terms=("food",))
    assert not _found("jato").exists()  # Peruvian for home: not in the vocabulary
    word = EverydayWord.objects.create(phrase="jato", folded="jato", usage="Perú")
    word.terms.set(TaxonomyTerm.objects.filter(code="food"))
    assert list(_found("jato").values_list("name_es", flat=True)) == ["Comedor popular"]
    word.active = False
    word.save()
    assert not _found("jato").exists()


def test_everyday_words_cost_one_query_whatever_the_vocabulary(world: Any) -> None:
    make_service(world.care, "Escucha", terms=("psychosocial_support",))

    def queries(text: str) -> int:
        with CaptureQueriesContext(connection) as context:
            list(_found(text))
        return len(context)

    plain = queries("escucha")
    assert queries("depresión") == plain
    assert queries("me pegan depresión papeles") == plain


def test_a_coordinator_adds_and_edits_words_and_the_log_keeps_ids_only(world: Any) -> None:
    client = Client()
    coordinator = world.user("coordinator")
    verified_login(client, coordinator)
    create = reverse("directory:everyday_word_create")
    food, shelter = TaxonomyTerm.objects.filter(code__in=("food", "shelter")).order_by("code")
    response = client.post(
        create, {"phrase": "  Jato  ", "language": "es", "usage": "Perú", "terms": [shelter.pk]}
    )
    assert response.status_code == 302
    word = EverydayWord.objects.get(folded="jato")
    assert word.phrase == "Jato" and word.active is False  # unchecked box: not yet in use
    event = AuditEvent.objects.get(action="everyday_word.created", actor=coordinator)
    assert "jato" not in str(event.details).lower()

    # The same word again, in other capitals and accents: refused, what was typed kept.
    again = client.post(create, {"phrase": "JATÓ", "language": "es", "terms": [food.pk]})
    assert again.status_code == 400
    page = again.content.decode()
    assert "ya está en el vocabulario" in page and 'value="JATÓ"' in page
    assert EverydayWord.objects.filter(folded="jato").count() == 1

    edit = reverse("directory:everyday_word_edit", kwargs={"word_uuid": word.uuid})
    data = {
        "phrase": "jato",
        "language": "es",
        "usage": "Perú",
        "terms": [food.pk, shelter.pk],
        "active": "on",
    }
    assert client.post(edit, data).status_code == 302
    updated = AuditEvent.objects.get(action="everyday_word.updated")
    assert updated.details["fields"] == ["active", "phrase", "terms"]
    make_service(world.care, "Comedor del barrio", terms=("food",))
    assert list(_found("mi jato").values_list("name_es", flat=True)) == ["Comedor del barrio"]
    listing = client.get(reverse("directory:everyday_word_list")).content.decode()
    assert "jato" in listing and "me pegan" in listing


def test_only_network_leads_edit_the_vocabulary(world: Any) -> None:
    client = Client()
    verified_login(client, world.user("caseworker.care"))
    assert client.get(reverse("directory:everyday_word_list")).status_code == 403
