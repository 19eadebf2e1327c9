"""The service picker's region: offered by name from the gazetteer for the network's
countries, the case's region and profile chosen at first, old links by code still working,
an unknown code said plainly."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ruta.cases.tests.factories import make_case
from ruta.core.tests.selects import grouped, selected
from ruta.directory.models import Location, ServiceAtLocation
from ruta.directory.tests.factories import make_service
from ruta.lib.text import fold
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db


def pick_url(case: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse("referrals:pick", kwargs={"case_uuid": case.uuid})


def names(page: Any) -> str:
    return page.content.decode()


@pytest.fixture
def picker(login: Any, world: Any) -> tuple[Any, Any]:
    """A CARE caseworker's client and a case of a woman living in Tumbes."""
    caseworker = world.user("caseworker.care")
    return login(caseworker), make_case(caseworker, admin1="PE-TUM")


def test_regions_are_offered_by_name_for_the_networks_countries(
    picker: tuple[Any, Any], world: Any
) -> None:
    client, case = picker
    groups = grouped(client.get(pick_url(case)), "admin1")
    # The world's organizations work in Peru and Ecuador: one group each, by name.
    assert list(groups) == ["", "Ecuador", "Peru"]
    assert groups[""] == ["Any region"]
    assert "Tumbes" in groups["Peru"] and "Lima" in groups["Peru"]
    assert "Pichincha" in groups["Ecuador"]
    assert not any(name.startswith(("PE-", "EC-")) for name in groups["Peru"] + groups["Ecuador"])
    peru = [fold(name) for name in groups["Peru"]]
    assert peru == sorted(peru)  # by name, accents aside: Huancavelica, Huánuco, Ica
    ecuador = groups["Ecuador"]
    assert ecuador.index("Azuay") < ecuador.index("Cañar") < ecuador.index("Carchi")


def test_one_country_is_a_plain_list(picker: tuple[Any, Any], world: Any) -> None:
    client, case = picker
    world.outsider_org.countries = []
    world.outsider_org.save()
    groups = grouped(client.get(pick_url(case)), "admin1")
    assert list(groups) == [""]
    assert "Tumbes" in groups[""] and "Pichincha" not in groups[""]


def test_the_cases_region_and_profile_are_chosen_at_first(picker: tuple[Any, Any]) -> None:
    client, case = picker
    page = client.get(pick_url(case))
    assert selected(page, "admin1") == [("Peru", "PE-TUM")]
    assert selected(page, "profile") == [("", "women")]
    # In Spanish too, by the region's Spanish name.
    spanish = client.get(pick_url(case, "es"))
    assert selected(spanish, "admin1") == [("Perú", "PE-TUM")]


def test_filtering_by_region_finds_its_services(picker: tuple[Any, Any], world: Any) -> None:
    client, case = picker
    make_service(world.hias, "Escucha en Tumbes", area="PE-TUM")
    make_service(world.hias, "Escucha en Lima", area="PE-LMA")
    by_default = names(client.get(pick_url(case), {"admin1": "PE-TUM"}))
    assert "Escucha en Tumbes" in by_default and "Escucha en Lima" not in by_default
    lima = client.get(pick_url(case), {"admin1": "PE-LMA"})
    assert "Escucha en Lima" in names(lima) and "Escucha en Tumbes" not in names(lima)
    assert selected(lima, "admin1") == [("Peru", "PE-LMA")]
    anywhere = names(client.get(pick_url(case), {"admin1": ""}))
    assert "Escucha en Lima" in anywhere and "Escucha en Tumbes" in anywhere


def test_old_links_with_a_region_code_still_work(picker: tuple[Any, Any], world: Any) -> None:
    client, case = picker
    make_service(world.hias, "Escucha en Tumbes", area="PE-TUM")
    make_service(world.hias, "Escucha en Medellín", area="CO-ANT")
    lower = client.get(pick_url(case), {"admin1": "pe-tum"})
    assert "Escucha en Tumbes" in names(lower) and "Escucha en Medellín" not in names(lower)
    assert selected(lower, "admin1") == [("Peru", "PE-TUM")]
    # A region of a country no organization of the network names: offered, chosen, found.
    colombia = client.get(pick_url(case), {"admin1": "CO-ANT"})
    assert "Colombia" in grouped(colombia, "admin1")
    assert selected(colombia, "admin1") == [("Colombia", "CO-ANT")]
    assert "Escucha en Medellín" in names(colombia) and "Escucha en Tumbes" not in names(colombia)


def test_an_old_link_naming_a_district_still_finds_its_services(
    picker: tuple[Any, Any], world: Any
) -> None:
    client, case = picker
    tumbes = AdminArea.objects.get(code="PE-TUM")
    district = AdminArea.objects.create(
        code="PE240101", country="PE", level=2, parent=tumbes, name_es="Tumbes", name_en="Tumbes"
    )
    service = make_service(world.hias, "Escucha en el distrito")
    place = Location.objects.create(
        organization=world.hias, name="Sede", admin1=tumbes, admin2=district
    )
    ServiceAtLocation.objects.create(service=service, location=place)
    page = client.get(pick_url(case), {"admin1": "PE240101"})
    assert "Escucha en el distrito" in names(page)
    assert [value for _group, value in selected(page, "admin1")] == ["PE240101"]


def test_an_unknown_region_code_is_explained_not_a_crash(
    picker: tuple[Any, Any], world: Any
) -> None:
    client, case = picker
    make_service(world.hias, "Escucha en Tumbes", area="PE-TUM")
    page = client.get(pick_url(case), {"admin1": "XX-NOPE", "sector": ""})
    assert page.status_code == 200
    body = names(page)
    assert "No region has the code “XX-NOPE”. Choose a region from the list." in body
    assert 'class="error-summary"' in body and 'href="#id_admin1"' in body
    assert "Escucha en Tumbes" in body  # the other filters still apply; the region is left out
    assert "XX-NOPE" not in [value for _group, value in selected(page, "admin1")]
