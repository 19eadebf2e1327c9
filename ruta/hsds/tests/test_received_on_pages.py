"""A service's pages show what its HSDS record says that Ruta has no column for: how to
apply, the waiting time, interpretation, accreditations, licences and the source's notice
(``ruta.hsds.received``), as the export gives them back."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.directory import actions
from ruta.directory.models import IntakeStatus, Service
from ruta.directory.tests.factories import make_service
from ruta.hsds.importer import run_import
from ruta.hsds.tests.test_hsds_import import as_bytes, service_doc

pytestmark = pytest.mark.django_db

RECEIVED = {
    "application_process": "Llamar antes de ir; primera cita en 48 horas.",
    "wait_time": "Dos semanas",
    "interpretation_services": "Quechua y lengua de señas",
    "accreditations": "MINSA",
    "licenses": "Registro 123",
    "alert": "Atención suspendida hasta el 15 de enero por obras.",
}


@pytest.fixture
def imported(world: Any, settings: Any) -> Service:
    settings.RUTA_PUBLIC_PAGE_CACHE = False
    document = service_doc(**RECEIVED)
    result = run_import(
        as_bytes([document]), "red.json", actor=world.user("coordinator"), dry_run=False
    )
    assert result.valid, result.errors
    return Service.objects.get(uuid=document["id"])


def _pages(world: Any, service: Service, language: str) -> list[str]:
    with translation.override(language):
        public = reverse("finder:service_detail", args=[service.uuid])
        staff = reverse("directory:service_detail", args=[service.uuid])
    visitor = Client()
    caseworker = verified_login(Client(), world.user("caseworker.care"))
    pages = []
    for client, url in ((visitor, public), (caseworker, staff)):
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(html.unescape(response.content.decode()))
    return pages


@pytest.mark.parametrize(
    ("language", "labels", "origin"),
    [
        ("es", ("Cómo solicitarlo", "Tiempo de espera", "Aviso de la fuente:"), "no editado"),
        ("en", ("How to apply", "Waiting time", "Notice from the source:"), "not edited"),
    ],
)
def test_both_pages_show_what_the_record_says(
    world: Any, imported: Service, language: str, labels: tuple[str, ...], origin: str
) -> None:
    for page in _pages(world, imported, language):
        for value in RECEIVED.values():
            assert value in page
        for label in labels:
            assert label in page
        assert origin in page


def test_a_service_never_imported_shows_nothing_of_the_kind(world: Any, settings: Any) -> None:
    settings.RUTA_PUBLIC_PAGE_CACHE = False
    service = make_service(world.care)
    for page in _pages(world, service, "en"):
        assert "Notice from the source" not in page and "not edited in Ruta" not in page


def test_the_notice_goes_once_ruta_changes_the_intake(world: Any, imported: Service) -> None:
    """As in the export: once Ruta's own notice (its intake) changed since the import, the
    source's is no longer what the service says."""
    imported.intake_status = IntakeStatus.WAITING_LIST
    imported.intake_reason = "Lista de espera de un mes"
    actions.save_service(world.user("coordinator"), imported)
    for page in _pages(world, imported, "en"):
        assert RECEIVED["alert"] not in page
        assert RECEIVED["wait_time"] in page  # Ruta has no waiting time: still the source's
