"""Whole public pages kept for the directory's version (``page_cache``): a repeated request
is answered without searching again, and any change to the directory shows on the next
request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.directory.actions import save_service, snapshot
from ruta.directory.models import Service
from ruta.directory.tests.factories import WITH_OWN_PAGE_CACHE, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

MONDAY_10_LIMA = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _get(client: Any, url: str, **params: Any) -> tuple[str, int]:
    """The page's text and how many queries answering it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _rename(service: Service, name: str) -> None:
    before = snapshot(service)
    service.name_es = name
    save_service(None, service, before=before)


def test_a_repeated_search_is_answered_from_the_cache_until_the_directory_changes(
    client: Any, world: Any
) -> None:
    service = make_service(world.care, "Escucha activa Quillabamba", terms=("women",))
    url = reverse("finder:search")
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        first, searched = _get(client, url, q="quillabamba")
        again, kept = _get(client, url, q="quillabamba")
        assert "Escucha activa Quillabamba" in first and again == first
        assert kept == 1 < searched  # only the directory's version was read
        _rename(service, "Escucha activa Quillabamba y Oxapampa")
        changed, searched_again = _get(client, url, q="quillabamba")
    assert "Escucha activa Quillabamba y Oxapampa" in changed
    assert searched_again > 1  # searched again


def test_the_service_page_shows_an_edit_on_the_next_request(client: Any, world: Any) -> None:
    service = make_service(world.care, "Acompañamiento en Iquitos")
    url = reverse("finder:service_detail", kwargs={"service_uuid": service.uuid})
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        assert "Acompañamiento en Iquitos" in _get(client, url)[0]
        _rename(service, "Acompañamiento en Pucallpa")
        page = _get(client, url)[0]
    assert "Acompañamiento en Pucallpa" in page and "Iquitos" not in page


def test_the_hsds_api_shows_an_edit_on_the_next_request(client: Any, world: Any) -> None:
    service = make_service(world.care, "Orientación en Huancavelica")
    url = reverse("hsds:services")
    first = _get(client, url)[0]
    again, kept = _get(client, url)
    assert "Orientación en Huancavelica" in first and again == first and kept == 1
    # A bulk write sends no signal: the directory's version changes all the same.
    Service.objects.filter(pk=service.pk).update(name_es="Orientación en Ayacucho")
    changed = _get(client, url)[0]
    assert "Orientación en Ayacucho" in changed and "Huancavelica" not in changed


def test_pages_move_on_with_the_clock(client: Any, world: Any) -> None:
    """'Open now' changes at a minute's boundary: a page is kept within its minute only."""
    make_service(world.care, "Servicio con horario", terms=("women",))
    url = reverse("finder:search")
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        _get(client, url, q="horario")
        assert _get(client, url, q="horario")[1] == 1
    with time_machine.travel(MONDAY_10_LIMA + timedelta(minutes=1), tick=False):
        assert _get(client, url, q="horario")[1] > 1


def test_signed_in_people_get_their_own_page(client: Any, world: Any) -> None:
    make_service(world.care, "Servicio para el personal")
    verified_login(client, world.users["coordinator"])
    url = reverse("finder:search")
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        _get(client, url, q="personal")
        assert _get(client, url, q="personal")[1] > 1


def test_each_language_and_the_htmx_results_are_pages_of_their_own(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico", name_en="Psychological support")
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        with translation.override("en"):
            english_url = reverse("finder:search")
        with translation.override("es"):
            spanish_url = reverse("finder:search")
        english, _ = _get(client, english_url, q="apoyo")
        spanish, spanish_queries = _get(client, spanish_url, q="apoyo")
        assert "Psychological support" in english and "Apoyo psicológico" in spanish
        assert spanish_queries > 1
        with CaptureQueriesContext(connection) as queries:
            partial = client.get(english_url, {"q": "apoyo"}, HTTP_HX_REQUEST="true")
        assert len(queries) > 1 and "<html" not in partial.content.decode()
        assert "<html" in english


def test_pages_have_a_cache_of_their_own(client: Any, world: Any) -> None:
    """A burst of distinct searches fills the pages' cache, not the default one that holds
    the finder's choices."""
    from django.core.cache import caches

    make_service(world.care, "Apoyo psicológico")
    with override_settings(CACHES=WITH_OWN_PAGE_CACHE):
        caches["pages"].clear()
        caches["default"].clear()
        with time_machine.travel(MONDAY_10_LIMA, tick=False):
            _get(client, reverse("finder:search"), q="apoyo")
        pages, default = (caches[name]._cache for name in ("pages", "default"))  # type: ignore[attr-defined]
        assert len(pages) == 1
        assert all(":page:" not in key for key in default)
