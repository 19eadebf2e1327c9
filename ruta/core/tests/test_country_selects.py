"""Country selects as a reader meets them: native ``<select>``s whose first group holds the
region's countries (Venezuela first), the rest in the reader's alphabet, the saved value
selected. Spanish country names come from pycountry's catalogs, not Ruta's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ruta.cases.models import Client
from ruta.cases.tests.factories import make_case
from ruta.core.tests.selects import grouped, selected
from ruta.directory.models import Location
from ruta.network.tests.factories import make_meeting, make_network
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db


def url(language: str, name: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_a_case_shows_the_region_first_and_keeps_the_saved_nationality(
    login: Any, world: Any
) -> None:
    case = make_case(world.user("caseworker.care"))
    Client.objects.filter(pk=case.client_id).update(nationality="HT")
    client = login(world.user("caseworker.care"))
    page = client.get(url("en", "cases:client_edit", case_uuid=case.uuid))
    groups = grouped(page, "nationality")
    assert list(groups) == ["", "Countries of the region", "Other countries"]
    assert groups[""] == ["Not recorded"]
    assert groups["Countries of the region"][:4] == ["Venezuela", "Colombia", "Peru", "Ecuador"]
    assert selected(page, "nationality") == [("Countries of the region", "HT")]

    spanish = client.get(url("es", "cases:client_edit", case_uuid=case.uuid))
    region, others = list(grouped(spanish, "nationality").values())[1:]
    assert region[:3] == ["Venezuela, República Bolivariana de", "Colombia", "Perú"]
    assert others.index("Bélgica") < others.index("Bután") < others.index("Camboya")
    assert [value for _group, value in selected(spanish, "nationality")] == ["HT"]


def test_a_saved_country_outside_the_region_is_selected_in_the_other_group(
    login: Any, world: Any
) -> None:
    case = make_case(world.user("caseworker.care"))
    Client.objects.filter(pk=case.client_id).update(nationality="BE")
    client = login(world.user("caseworker.care"))
    page = client.get(url("en", "cases:client_edit", case_uuid=case.uuid))
    assert selected(page, "nationality") == [("Other countries", "BE")]


def test_the_helpline_nationality_lists_the_region_first(login: Any, world: Any) -> None:
    client = login(world.user("helpline.care"))
    page = client.get(url("en", "helpline:contact_create"))
    groups = grouped(page, "nationality")
    assert list(groups)[1:] == ["Countries of the region", "Other countries"]
    assert groups["Countries of the region"][0] == "Venezuela"


def test_a_place_keeps_its_country_in_the_hand_written_select(login: Any, world: Any) -> None:
    place = Location.objects.create(
        organization=world.care,
        name="Sede CARE Quito",
        country="EC",
        admin1=AdminArea.objects.get(code="EC-P"),
    )
    client = login(world.user("agency_admin.care"))
    page = client.get(url("en", "directory:location_edit", location_uuid=place.uuid))
    groups = grouped(page, "country")
    assert list(groups) == ["Countries of the region", "Other countries"]
    assert selected(page, "country") == [("Countries of the region", "EC")]


def test_the_public_registration_lists_the_region_first(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    page = client.get(url("en", "network:public_registration", token=meeting.registration_token))
    groups = grouped(page, "country")
    assert list(groups) == ["", "Countries of the region", "Other countries"]
    others = groups["Other countries"]
    assert others.index("Åland Islands") < others.index("Albania") < others.index("Zimbabwe")
