"""The public finder and service pages, through HTTP, as an anonymous member of the public."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.directory.models import Closure, Location, ServiceArea
from ruta.directory.search_index import probes
from ruta.directory.tests.factories import make_service
from ruta.places.models import AdminArea

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks

# Monday 23 November 2026, 10:00 and 20:00 in Lima (UTC-5).
MONDAY_10_LIMA = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
MONDAY_20_LIMA = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
OFFICE = ((1, time(8), time(17)),)
QUICK_EXIT = 'href="https://www.google.com/search?q=clima"'


def finder_url(language: str = "es") -> str:
    with translation.override(language):
        return reverse("finder:search")


def service_url(service: Any, language: str = "es") -> str:
    with translation.override(language):
        return reverse("finder:service_detail", kwargs={"service_uuid": service.uuid})


def found(response: Any) -> list[str]:
    return [card.service.name_es for card in response.context["cards"]]


def search(client: Any, language: str = "es", **params: Any) -> Any:
    response = client.get(finder_url(language), params)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_finder_opens_for_anonymous_in_spanish_and_english(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico")
    spanish = search(client)
    assert finder_url() == "/servicios/"
    assert '<html lang="es">' in spanish.content.decode()
    english = search(client, "en")
    assert finder_url("en") == "/en/servicios/"
    page = english.content.decode()
    assert '<html lang="en">' in page
    assert "Find help near you" in page
    assert found(english) == ["Apoyo psicológico"]


@pytest.mark.django_db
def test_free_text_ignores_accents_and_case(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico")
    make_service(world.hias, "Asesoría legal")
    assert found(search(client, q="psicologico")) == ["Apoyo psicológico"]
    assert found(search(client, q="PSICOLÓGICO apoyo")) == ["Apoyo psicológico"]
    assert found(search(client, q="asesoria")) == ["Asesoría legal"]
    response = search(client, "en", q="psicologico")
    assert "1 service found" in response.content.decode()


@pytest.mark.django_db
def test_filters_come_from_the_query_string(client: Any, world: Any) -> None:
    make_service(world.care, "Para mujeres en Tumbes", terms=("women",), area="PE-TUM")
    make_service(world.care, "Para mujeres en Lima", terms=("women",), area="PE-LIM")
    make_service(world.care, "Para hombres en Tumbes", terms=("men",), area="PE-TUM")
    make_service(
        world.care, "Con costo", terms=("women",), area="PE-TUM", is_free=False, fee_detail="S/ 20"
    )
    make_service(
        world.care,
        "Con papeles",
        terms=("women",),
        area="PE-TUM",
        documents_required=True,
        required_documents="DNI",
    )
    make_service(
        world.care, "Lista de espera", terms=("women",), area="PE-TUM", intake_status="waiting_list"
    )
    everything = {"profile": "women", "admin1": "PE-TUM"}
    assert len(found(search(client, **everything))) == 4
    strict = {**everything, "free": "1", "accepting": "on", "no_documents": "true"}
    assert found(search(client, **strict)) == ["Para mujeres en Tumbes"]
    assert found(search(client, admin1="PE-LIM")) == ["Para mujeres en Lima"]
    assert found(search(client, profile="men")) == ["Para hombres en Tumbes"]
    assert "Con costo" not in found(search(client, free="1"))


@pytest.mark.django_db
def test_sector_layer_and_modality_filters(client: Any, world: Any) -> None:
    make_service(world.care, "Grupo", terms=("psychosocial_support", "layer2"))
    make_service(world.care, "Legal", terms=("legal",), in_person=False, online=True)
    assert found(search(client, sector="legal")) == ["Legal"]
    assert found(search(client, layer="layer2")) == ["Grupo"]
    assert found(search(client, modality="online")) == ["Legal"]


@pytest.mark.django_db
def test_open_now_uses_the_current_time(client: Any, world: Any) -> None:
    make_service(world.care, "Horario de oficina", hours=OFFICE)
    make_service(world.care, "Horario nocturno", hours=((1, time(18), time(22)),))
    make_service(world.care, "Línea 24/7", open_24_7=True)
    make_service(world.care, "Sin horario")
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        morning = search(client, "en", open_now="1")
        assert found(morning) == ["Horario de oficina", "Línea 24/7"]
        assert "Open now" in morning.content.decode()
        everything = search(client, "en")
        states = {card.service.name_es: card.open_now for card in everything.context["cards"]}
        assert states == {
            "Horario de oficina": True,
            "Horario nocturno": False,
            "Línea 24/7": True,
            "Sin horario": None,
        }
        assert "Closed now" in everything.content.decode()
    with time_machine.travel(MONDAY_20_LIMA, tick=False):
        assert found(search(client, open_now="1")) == ["Horario nocturno", "Línea 24/7"]


@pytest.mark.django_db
@pytest.mark.parametrize("hidden", ["draft", "suspended", "closed", "inactive organization"])
def test_unpublished_services_never_appear(client: Any, world: Any, hidden: str) -> None:
    make_service(world.care, "Servicio publicado")
    if hidden == "inactive organization":
        service = make_service(world.outsider_org, "Servicio oculto")
        world.outsider_org.active = False
        world.outsider_org.save()
    else:
        service = make_service(world.care, "Servicio oculto", status=hidden)
    assert found(search(client)) == ["Servicio publicado"]
    assert found(search(client, q="oculto")) == []
    assert client.get(service_url(service)).status_code == 404
    assert client.get(service_url(service, "en")).status_code == 404
    # Staff of the owning organization get the public page only for published entries too.
    verified_login(client, world.user("agency_admin.care"))
    assert client.get(service_url(service)).status_code == 404


@pytest.mark.django_db
def test_unknown_service_is_404(client: Any, world: Any) -> None:
    response = client.get("/servicios/0b531bd6-6d12-4c70-8501-91be88dfde33/")
    assert response.status_code == 404
    assert client.get("/servicios/123/").status_code == 404


@pytest.mark.django_db
def test_typed_place_ranks_by_distance_and_shows_km(client: Any, world: Any) -> None:
    make_service(world.care, "Servicio en Lima", point=(-12.05, -77.04))
    make_service(world.care, "Servicio en Cusco", point=(-13.53, -71.97))
    make_service(world.care, "Servicio en Tumbes", point=(-3.58, -80.44))
    make_service(world.care, "Servicio sin lugar")
    response = search(client, "en", place="tumbes")
    assert found(response) == [
        "Servicio en Tumbes",
        "Servicio en Lima",
        "Servicio en Cusco",
        "Servicio sin lugar",
    ]
    first = response.context["cards"][0]
    assert first.distance_km == pytest.approx(1.6, abs=1)
    page = response.content.decode()
    assert "1.6 km away" in page
    assert "Nearest to Tumbes first." in page
    # Accents, case and a country after a comma do not matter; cities map to their area.
    assert found(search(client, place="TÚMBES, Perú"))[0] == "Servicio en Tumbes"
    assert found(search(client, place="Cuzco"))[0] == "Servicio en Cusco"
    assert found(search(client, place="lima"))[0] == "Servicio en Lima"


@pytest.mark.django_db
def test_ecuadorian_cities_resolve(client: Any, world: Any) -> None:
    make_service(world.care, "Quito", point=(-0.18, -78.47), timezone="America/Guayaquil")
    make_service(world.care, "Guayaquil", point=(-2.19, -79.89), timezone="America/Guayaquil")
    make_service(world.care, "Huaquillas", point=(-3.47, -80.23), timezone="America/Guayaquil")
    assert found(search(client, place="quito")) == ["Quito", "Guayaquil", "Huaquillas"]
    assert found(search(client, place="Guayaquil"))[0] == "Guayaquil"
    assert found(search(client, place="huaquillas"))[0] == "Huaquillas"
    assert found(search(client, place="Pichincha"))[0] == "Quito"


@pytest.mark.django_db
def test_unknown_place_says_so_and_still_shows_results(client: Any, world: Any) -> None:
    make_service(world.care, "Servicio en Tumbes", point=(-3.58, -80.44))
    response = search(client, "en", place="Narnia")
    page = response.content.decode()
    assert "We do not know the place “Narnia”" in page
    assert found(response) == ["Servicio en Tumbes"]
    assert "km away" not in page
    assert response.context["cards"][0].distance_km is None


@pytest.mark.django_db
def test_browser_position_ranks_by_distance(client: Any, world: Any) -> None:
    make_service(world.care, "Servicio en Lima", point=(-12.05, -77.04))
    make_service(world.care, "Servicio en Tumbes", point=(-3.58, -80.44))
    response = search(client, "en", lat="-3.57", lon="-80.45")
    assert found(response) == ["Servicio en Tumbes", "Servicio en Lima"]
    assert "Nearest to your location first." in response.content.decode()
    # A position that does not parse is dropped quietly: nobody can fix a hidden field.
    broken = search(client, "en", lat="nowhere", lon="-80.45")
    assert "error-summary" not in broken.content.decode()
    assert broken.context["cards"][0].distance_km is None


@pytest.mark.django_db
def test_a_bad_choice_is_reported_and_the_rest_still_applies(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico")
    make_service(world.care, "Asesoría legal")
    response = search(client, "en", profile="martians", q="legal")
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_profile"' in page
    assert found(response) == ["Asesoría legal"]


@pytest.mark.django_db
def test_htmx_gets_only_the_results(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico")
    response = client.get(finder_url("en"), {"q": "psicologico"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "<form" not in page
    assert "Apoyo psicológico" in page
    assert 'id="finder-live" hx-swap-oob="innerHTML"' in page
    assert "HX-Request" in response["Vary"]
    # Restoring history asks for the whole page.
    restore = client.get(
        finder_url("en"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


@pytest.mark.django_db
def test_form_enhances_with_htmx_without_firing_on_keystrokes(client: Any, world: Any) -> None:
    page = search(client).content.decode()
    form = re.search(r"<form[^>]*finder-form[^>]*>", page, re.S)
    assert form is not None
    tag = form.group(0)
    assert 'method="get"' in tag
    assert 'hx-get="/servicios/"' in tag
    assert 'hx-target="#results"' in tag
    assert 'hx-trigger="change delay:150ms, submit"' in tag
    assert "keyup" not in tag
    assert 'id="results"' in page


@pytest.mark.django_db
def test_results_are_paginated_keeping_the_filters(client: Any, world: Any) -> None:
    for index in range(23):
        make_service(world.care, f"Servicio {index:02d}", terms=("women",))
    make_service(world.care, "Otro perfil", terms=("men",))
    first = search(client, "en", profile="women")
    assert len(first.context["cards"]) == 10
    page = first.content.decode()
    assert "23 services found" in page
    assert 'href="/en/servicios/?profile=women&amp;page=2"' in page
    last = search(client, "en", profile="women", page="3")
    assert len(last.context["cards"]) == 3


def _count_queries(client: Any, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(finder_url(), params)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_finder_query_count_is_fixed(
    client: Any, world: Any, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.RUTA_PUBLIC_PAGE_CACHE = False  # the search itself, not its kept page

    def add(index: int) -> None:
        service = make_service(
            world.care if index % 2 else world.hias,
            f"Servicio {index}",
            terms=("women", "psychosocial_support"),
            area="PE-TUM",
            point=(-3.5, -80.4),
            hours=OFFICE,
            phones=(("+51 900 000 000", True), ("0800 00 000", False)),
        )
        Closure.objects.create(service=service, date=datetime(2026, 12, 25).date())

    params = {
        "q": "servicio",
        "profile": "women",
        "sector": "psychosocial_support",
        "admin1": "PE-TUM",
        "place": "Tumbes",
        "open_now": "1",
        "free": "1",
    }
    add(0)
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        client.get(finder_url(), params)  # the form's choices, for this directory version
        few = _count_queries(client, params)
        for index in range(1, 30):
            add(index)
        client.get(finder_url(), params)  # the directory changed: its choices are rebuilt
        # The directory's version (read once a request: the choices and the time zones are
        # cached for it), the typed place, the everyday words, the ranked ids, the page's
        # cards; on SQLite, the text index asked how many services hold the words.
        with django_assert_max_num_queries(5 + probes()):
            response = client.get(finder_url(), params)
        assert len(response.context["cards"]) == 10  # a full page (views_public.PER_PAGE)
        many = _count_queries(client, params)
    assert few == many == 5 + probes()


@pytest.mark.django_db
def test_service_page_has_everything_a_person_needs(client: Any, world: Any) -> None:
    service = make_service(
        world.care,
        "Apoyo psicológico",
        terms=("psychosocial_support", "women", "layer3"),
        hours=((1, time(8), time(17)), (3, time(9), time(13))),
        phones=(("+51 987 654 321", True), ("(01) 700-0000", False)),
        description_es="Sesiones individuales.",
        eligibility_es="Mujeres mayores de edad.",
        minimum_age=18,
        languages=["es", "qu"],
        email="apoyo@example.org",
        url="https://example.org/apoyo",
        holidays_note="Cerrado los feriados.",
        intake_status="waiting_list",
        intake_reason="Cupos llenos hasta marzo.",
        illustrative=True,
    )
    location = Location.objects.create(
        organization=world.care,
        name="Centro Tumbes",
        address="Av. Tumbes 123",
        city="Tumbes",
        admin1=AdminArea.objects.get(code="PE-TUM"),
        latitude=-3.5669,
        longitude=-80.4515,
        accessibility="Rampa de acceso",
    )
    service.service_at_locations.create(location=location)
    ServiceArea.objects.create(service=service, area=AdminArea.objects.get(code="EC-O"))
    Closure.objects.create(service=service, date=datetime(2026, 12, 8).date(), reason="Feriado")
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        response = client.get(service_url(service, "en"))
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "Apoyo psicológico",
        "CARE Perú",
        'href="https://www.care.org.pe"',
        "Sesiones individuales.",
        "Mujeres mayores de edad.",
        "From 18 years old",
        "Spanish, Quechua",
        "Free of charge",
        "No documents required",
        "Waiting list",
        "Cupos llenos hasta marzo.",
        'href="tel:+51987654321"',
        'href="https://wa.me/51987654321"',
        'href="tel:017000000"',
        'href="mailto:apoyo@example.org"',
        'href="https://example.org/apoyo"',
        "08:00\u201317:00",
        "09:00\u201313:00",
        "Open now",
        "Local time (America/Lima).",
        "Cerrado los feriados.",
        "Feriado",
        "Av. Tumbes 123",
        "Rampa de acceso",
        "https://www.openstreetmap.org/?mlat=-3.56690&amp;mlon=-80.45150",
        "El Oro",
        "Psychosocial support",
        "Women",
        "3 · Focused, non-specialised supports",
        "Illustrative example — not a real service.",
        QUICK_EXIT,
    ):
        assert expected in page, expected
    today = re.search(r'<tr class="today" aria-current="date">\s*<th scope="row">(\w+)', page)
    assert today is not None and today.group(1) == "Monday"
    assert "wa.me/017000000" not in page  # only WhatsApp phones get a WhatsApp link
    assert "Not verified yet" in page


@pytest.mark.django_db
def test_service_page_shows_last_verification(client: Any, world: Any) -> None:
    from ruta.directory.actions import verify_service

    service = make_service(world.care, "Apoyo psicológico", open_24_7=True)
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        verify_service(world.user("coordinator"), service)
    page = client.get(service_url(service, "en")).content.decode()
    assert "Last verified on Nov. 23, 2026." in page
    assert "Open 24 hours, 7 days a week." in page


@pytest.mark.django_db
def test_result_cards_show_contact_and_demo_badge(client: Any, world: Any) -> None:
    make_service(
        world.care,
        "Línea de escucha",
        phones=(("+51 900 100 200", True),),
        illustrative=True,
        in_person=False,
        by_phone=True,
    )
    make_service(world.hias, "Servicio real")
    page = search(client, "en").content.decode()
    assert 'href="tel:+51900100200"' in page
    assert 'href="https://wa.me/51900100200"' in page
    assert page.count("Illustrative example — not a real service") == 1
    assert "By phone" in page


@pytest.mark.django_db
def test_free_line_badge(client: Any, world: Any) -> None:
    service = make_service(world.care, "Línea gratuita", phones=(("0800 1 2345", False),))
    service.phones.update(free_line=True)
    assert "Free line" in search(client, "en").content.decode()
    assert "Free line" in client.get(service_url(service, "en")).content.decode()


@pytest.mark.django_db
def test_area_list_groups_countries_with_services(client: Any, world: Any) -> None:
    AdminArea.objects.update_or_create(
        code="CO-ANT", defaults={"country": "CO", "level": 1, "name_es": "Antioquia"}
    )
    make_service(world.care, "Servicio en Colombia", area="CO-ANT")
    page = search(client).content.decode()
    assert '<optgroup label="Perú">' in page
    assert '<optgroup label="Ecuador">' in page
    assert '<optgroup label="Colombia">' in page
    assert '<optgroup label="México">' not in page
    assert '<option value="PE-TUM">Tumbes</option>' in page
    assert found(search(client, admin1="CO-ANT")) == ["Servicio en Colombia"]


@pytest.mark.django_db
def test_editor_link_only_for_editors(client: Any, world: Any) -> None:
    service = make_service(world.care, "Apoyo psicológico")
    edit_url = reverse("directory:service_edit", kwargs={"service_uuid": service.uuid})
    verified_login(client, world.user("agency_admin.care"))
    assert f'href="{edit_url}"' in client.get(service_url(service)).content.decode()
    verified_login(client, world.user("agency_admin.hias"))
    assert "Edit this service" not in client.get(service_url(service, "en")).content.decode()
    client.logout()
    assert "Edit this service" not in client.get(service_url(service, "en")).content.decode()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


@pytest.mark.django_db
def test_pages_have_quick_exit_and_no_inline_code(client: Any, world: Any) -> None:
    service = make_service(world.care, "Apoyo psicológico", phones=(("+51 900", True),))
    responses = [
        search(client),
        search(client, "en", q="apoyo", place="tumbes"),
        client.get(service_url(service)),
        client.get(finder_url(), HTTP_HX_REQUEST="true"),
    ]
    for response in responses:
        page = response.content.decode()
        assert INLINE_SCRIPT.search(page) is None
        assert INLINE_STYLE.search(page) is None
        assert re.search(r"<[^>]+\son[a-z]+=", page) is None  # no inline event handlers
    for response in responses[:3]:
        page = response.content.decode()
        assert QUICK_EXIT in page
        assert 'rel="noreferrer" data-quick-exit' in page
        assert "ruta/public.js" in page
        assert "Skip to main content" in page or "Saltar" in page
        assert 'class="language-switcher"' in page


@pytest.mark.django_db
def test_no_session_no_tracking_and_no_audit(client: Any, world: Any) -> None:
    service = make_service(world.care, "Apoyo psicológico", area="PE-TUM")
    events = AuditEvent.objects.count()
    responses = [
        search(client, q="violencia sexual", place="Tumbes", profile="women"),
        client.get(service_url(service)),
        client.get(finder_url("en"), {"q": "refugio"}, HTTP_HX_REQUEST="true"),
    ]
    for response in responses:
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
    assert Session.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert not AuditEvent.objects.filter(details__icontains="violencia").exists()


@pytest.mark.django_db
def test_service_page_query_count_is_fixed(
    client: Any, world: Any, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.RUTA_PUBLIC_PAGE_CACHE = False  # the view's own queries, not its kept page
    service = make_service(
        world.care,
        "Apoyo psicológico",
        terms=("women", "layer3"),
        area="PE-TUM",
        point=(-3.5, -80.4),
        hours=OFFICE,
        phones=(("+51 900 000 000", True),),
    )
    district = AdminArea.objects.create(
        code="PE-TUM-01", country="PE", level=2, name_es="Zarumilla", name_en="Zarumilla"
    )
    for index in range(3):
        location = Location.objects.create(
            organization=world.care, name=f"Sede {index}", admin2=district, latitude=-3.5
        )
        service.service_at_locations.create(location=location)
        ServiceArea.objects.create(
            service=service, area=AdminArea.objects.filter(country="EC")[index]
        )
    # 9: with the kept records of an import (what the source says that Ruta has no column
    # for: ruta.hsds.received), one query whatever the service has.
    with django_assert_max_num_queries(9):
        response = client.get(service_url(service, "en"))
    assert response.status_code == 200
    assert response.content.decode().count("Zarumilla") == 3


def test_a_broad_search_stops_counting_at_the_cap(
    client: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ruta.directory import views_public

    monkeypatch.setattr(views_public, "COUNT_CAP", 3)
    for word in ("uno", "dos", "tres", "cuatro", "cinco"):
        make_service(world.care, f"Servicio amplio {word}")
    page = client.get(reverse("finder:search"), {"q": "amplio"}).content.decode()
    assert "Más de 3 servicios encontrados" in page or "More than 3 services found" in page
    narrow = client.get(reverse("finder:search"), {"q": "amplio cuatro"}).content.decode()
    assert "1 servicio encontrado" in narrow or "1 service found" in narrow


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["location_country", "service_area", "draft"])
def test_area_list_adds_a_country_only_for_its_published_services(
    client: Any, world: Any, where: str
) -> None:
    antioquia, _ = AdminArea.objects.update_or_create(
        code="CO-ANT", defaults={"country": "CO", "level": 1, "name_es": "Antioquia"}
    )
    service = make_service(
        world.care, "Servicio en Colombia", status="draft" if where == "draft" else "active"
    )
    if where == "service_area":
        ServiceArea.objects.create(service=service, area=antioquia)
    else:
        location = Location.objects.create(
            organization=world.care, name="Sede Medellín", country="CO"
        )
        service.service_at_locations.create(location=location)
    page = search(client).content.decode()
    assert '<optgroup label="Perú">' in page
    assert ('<optgroup label="Colombia">' in page) is (where != "draft")


def test_pages_past_the_first_keep_the_order_up_to_the_cap(
    client: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ruta.directory import views_public

    monkeypatch.setattr(views_public, "COUNT_CAP", 4)
    monkeypatch.setattr(views_public, "PER_PAGE", 2)
    # Seven services due north of Tumbes, one per 0.1 degree: ranked by distance.
    names = [f"Servicio cercano {index}" for index in range(7)]
    for index, name in enumerate(reversed(names)):
        make_service(world.care, name, point=(-3.5 + 0.1 * (6 - index), -80.4))
    near = {"q": "cercano", "lat": "-3.5", "lon": "-80.4"}
    pages = [found(search(client, **near, page=str(number))) for number in (1, 2, 3, 4)]
    assert pages[0] == names[0:2]
    assert pages[1] == names[2:4]  # fetched by key, in rank order
    assert pages[2] == names[4:5]  # the last page: the one row past the cap
    assert pages[3] == pages[2]  # past it people refine the search
    assert "Más de 4 servicios encontrados" in search(client, **near).content.decode()
