"""The bare domain: a public home for people looking for help; staff still get their home."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import verified_login
from ruta.directory.tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_get_the_public_home_in_both_languages(client: Any) -> None:
    for prefix, heading, staff in (
        ("/", "Encuentra ayuda cerca de ti", "Ingreso del personal"),
        ("/en/", "Find help near you", "Staff log in"),
    ):
        response = client.get(prefix)
        assert response.status_code == 200
        assert not response.cookies  # nothing set on a shared phone
        page = response.content.decode()
        assert heading in page
        assert "data-quick-exit" in page
        assert f'action="{prefix}servicios/"' in page  # the search posts to the finder
        assert 'name="q"' in page and 'name="admin1"' in page
        assert f'href="{prefix}cuenta/entrar/"' in page and staff in page
        for name in ("practices:catalogue", "network:meeting_list", "trainings:verify"):
            assert reverse(name).removeprefix("/") in page
        # Geolocation is allowed for this page only (a progressive "use my location").
        assert "geolocation=(self)" in response["Permissions-Policy"]


def test_the_home_offers_needs_as_one_tap_searches_and_regions_by_name(client: Any) -> None:
    page = client.get("/").content.decode()
    assert 'href="/servicios/?sector=psychosocial_support"' in page
    assert "Apoyo psicosocial" in page
    assert '<option value="PE-TUM">Tumbes</option>' in page


def test_the_region_picker_finds_services_there(client: Any, world: Any) -> None:
    make_service(world.care, "Escucha en Tumbes", area="PE-TUM")
    make_service(world.care, "Escucha en Lima", area="PE-LIM")
    page = client.get("/servicios/", {"admin1": "PE-TUM", "lat": "", "lon": ""}).content.decode()
    assert "Escucha en Tumbes" in page and "Escucha en Lima" not in page


def test_signed_in_staff_still_reach_their_role_home(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    page = client.get("/").content.decode()
    assert "Hola, " in page
    assert "Encuentra ayuda cerca de ti" not in page
    english = client.get("/en/").content.decode()
    assert "Welcome, " in english
