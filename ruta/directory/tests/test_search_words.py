"""The words people type find services: cost, documents, modality and sector synonyms."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from ruta.directory import actions
from ruta.directory.models import Service, ServiceArea
from ruta.directory.tests.factories import make_service
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db


def found(client: Any, text: str) -> set[str]:
    with translation.override("es"):
        url = reverse("finder:search")
    response = client.get(url, {"q": text})
    assert response.status_code == 200
    return {card.service.name_es for card in response.context["cards"]}


@pytest.fixture
def services(world: Any) -> dict[str, Service]:
    return {
        "psy": make_service(world.care, "Consejería A", terms=("psychosocial_support",)),
        "mental": make_service(world.care, "Consejería B", terms=("mental_health",)),
        "legal": make_service(
            world.hias,
            "Orientación C",
            terms=("legal",),
            is_free=False,
            fee_detail="S/ 20 por consulta",
            documents_required=True,
            required_documents="DNI o carné de extranjería",
        ),
        "gbv": make_service(
            world.care, "Atención D", terms=("gbv_case_management",), in_person=False, by_phone=True
        ),
        "shelter": make_service(world.hias, "Casa E", terms=("shelter",), online=True),
        "medical": make_service(
            world.hias,
            "Brigada F",
            terms=("medical",),
            in_person=False,
            outreach=True,
            documents_required=True,
            required_documents="Ficha",
        ),
    }


def test_cost_and_document_words_in_both_languages(client: Any, services: Any) -> None:
    free = {"Consejería A", "Consejería B", "Atención D", "Casa E", "Brigada F"}
    assert found(client, "gratis") == free
    assert found(client, "Gratuito") == free
    assert found(client, "gratuita") == free
    assert found(client, "free") == free
    no_documents = {"Consejería A", "Consejería B", "Atención D", "Casa E"}
    assert found(client, "sin documentos") == no_documents
    assert found(client, "no documents") == no_documents


def test_modality_words(client: Any, services: Any) -> None:
    assert found(client, "por teléfono") == {"Atención D"}
    assert found(client, "phone") == {"Atención D"}
    assert found(client, "virtual") == found(client, "online") == {"Casa E"}
    assert found(client, "en línea") == {"Casa E"}
    assert found(client, "brigada móvil") == {"Brigada F"}
    assert found(client, "outreach") == {"Brigada F"}
    assert "Atención D" not in found(client, "presencial")
    assert "Consejería A" in found(client, "in person")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("psicólogo", {"Consejería A", "Consejería B"}),
        ("psicologa", {"Consejería A", "Consejería B"}),
        ("psychologist", {"Consejería A", "Consejería B"}),
        ("abogado", {"Orientación C"}),
        ("abogada", {"Orientación C"}),
        ("lawyer", {"Orientación C"}),
        ("vbg", {"Atención D"}),
        ("violencia", {"Atención D"}),
        ("refugio", {"Casa E"}),
        ("shelter", {"Casa E"}),
        ("médico", {"Brigada F"}),
        ("doctor", {"Brigada F"}),
    ],
)
def test_sector_synonyms(client: Any, services: Any, text: str, names: set[str]) -> None:
    assert found(client, text) == names


def test_a_free_word_does_not_empty_a_search(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico en Tumbes", terms=("psychosocial_support",))
    make_service(
        world.care, "Apoyo psicológico privado", is_free=False, fee_detail="S/ 50 la sesión"
    )
    assert found(client, "apoyo psicologico") == {
        "Apoyo psicológico en Tumbes",
        "Apoyo psicológico privado",
    }
    assert found(client, "apoyo psicologico gratuito") == {"Apoyo psicológico en Tumbes"}
    assert found(client, "psicologo gratis") == {"Apoyo psicológico en Tumbes"}


def test_saving_again_refreshes_the_words(client: Any, world: Any) -> None:
    service = make_service(world.care, "Consejería", terms=("legal",))
    assert found(client, "gratis") == {"Consejería"}
    before = actions.snapshot(service)
    service.is_free, service.fee_detail = False, "S/ 10"
    actions.save_service(None, service, before=before)
    assert found(client, "gratis") == set()
    assert found(client, "abogado") == {"Consejería"}


def test_service_areas_are_searchable(client: Any, world: Any) -> None:
    service = make_service(world.care, "Equipo móvil", outreach=True)
    before = actions.snapshot(service)
    actions.save_service(
        None,
        service,
        before=before,
        save_related=lambda saved: actions.set_service_areas(
            saved, [AdminArea.objects.get(code="PE-TUM")]
        ),
    )
    assert found(client, "tumbes") == {"Equipo móvil"}


def test_the_migration_refreshes_existing_rows(client: Any, world: Any) -> None:
    service = make_service(world.care, "Consejería", terms=("psychosocial_support",))
    ServiceArea.objects.create(service=service, area=AdminArea.objects.get(code="PE-PIU"))
    Service.objects.update(search_text="consejeria")  # as rows were before the change
    assert found(client, "gratis") == set()
    migration = importlib.import_module("ruta.directory.migrations.0006_refresh_search_text")
    migration.forwards(apps, None)
    assert found(client, "psicologo gratis piura") == {"Consejería"}
