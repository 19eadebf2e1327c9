"""Who may do what: coordinators manage, agency admins manage their own membership,
logged-in users register and see materials, the public sees public meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.network.models import Meeting, Membership, MembershipStatus, Network, Person
from ruta.network.tests.factories import make_material, make_meeting, make_network

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_coordinator_creates_a_network_and_a_meeting(client: Any, login: Any, world: Any) -> None:
    login(world.user("coordinator"))
    response = client.post(
        reverse("network:network_create"),
        {"name": "Red SMAPS MIRPS", "slug": "red-smaps-mirps", "country": "", "description": ""},
    )
    assert response.status_code == 302
    network = Network.objects.get(slug="red-smaps-mirps")
    reserved = client.post(reverse("network:network_create"), {"name": "X", "slug": "reuniones"})
    assert reserved.status_code == 400

    url = reverse("network:meeting_create", kwargs={"slug": network.slug})
    data = {
        "title": "Encuentro regional",
        "kind": "meeting",
        "starts_at": "2026-05-06T15:00",
        "ends_at": "2026-05-06T14:00",
        "modality": "online",
        "host_organizations": [world.care.pk],
        "topics_text": "Autocuidado\n\n  Gestión   de casos ",
        "iasc_layers": ["layer2", "layer3"],
        "public": "on",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert 'value="Encuentro regional"' in bad.content.decode()
    assert client.post(url, {**data, "ends_at": "2026-05-06T17:00"}).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.topics == ["Autocuidado", "Gestión de casos"]
    assert meeting.starts_at == dt.datetime(2026, 5, 6, 20, 0, tzinfo=dt.UTC)  # Lima → UTC
    assert list(meeting.host_organizations.all()) == [world.care]
    assert AuditEvent.objects.filter(action="network.meeting_created").exists()


@pytest.mark.parametrize("key", ["agency_admin.care", "caseworker.care", "analyst"])
def test_others_cannot_manage_meetings(client: Any, login: Any, world: Any, key: str) -> None:
    network = make_network(world)
    meeting = make_meeting(network)
    login(world.user(key))
    assert (
        client.get(reverse("network:meeting_create", kwargs={"slug": network.slug})).status_code
        == 403
    )
    assert client.get(reverse("network:checkin", kwargs={"uuid": meeting.uuid})).status_code == 403


def test_agency_admin_joins_leaves_and_names_focal_points(
    client: Any, login: Any, world: Any
) -> None:
    network = make_network(world)
    Membership.objects.filter(organization=world.care).delete()
    login(world.user("agency_admin.care"))
    url = reverse("network:own_membership", kwargs={"slug": network.slug})
    assert client.post(url, {"do": "join"}).status_code == 302
    membership = Membership.objects.get(network=network, organization=world.care)
    assert membership.status == MembershipStatus.ACTIVE

    own = world.user("caseworker.care")
    foreign = world.user("caseworker.hias")
    client.post(url, {"do": "focal", "focal_users": [own.pk, foreign.pk]})
    assert list(membership.focal_users.all()) == []  # a foreign user makes the form invalid
    client.post(url, {"do": "focal", "focal_users": [own.pk]})
    assert list(membership.focal_users.all()) == [own]
    assert own.full_name in client.get(network.get_absolute_url()).content.decode()

    client.post(url, {"do": "leave"})
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.INACTIVE
    assert membership.left_on is not None
    assert client.post(url, {"do": "leave"}).status_code == 409  # already left: a conflict
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "network.membership_joined",
        "network.focal_points_set",
        "network.membership_left",
    } <= actions


def test_agency_admin_cannot_reach_another_organizations_membership(
    client: Any, login: Any, world: Any
) -> None:
    network = make_network(world)
    hias = Membership.objects.get(network=network, organization=world.hias)
    care = Membership.objects.get(network=network, organization=world.care)
    login(world.user("agency_admin.care"))
    assert (
        client.get(reverse("network:membership_edit", kwargs={"uuid": hias.uuid})).status_code
        == 404
    )
    assert (
        client.get(reverse("network:membership_edit", kwargs={"uuid": care.uuid})).status_code
        == 302
    )
    assert (
        client.get(reverse("network:membership_create", kwargs={"slug": network.slug})).status_code
        == 403
    )


def test_coordinator_edits_any_membership(client: Any, login: Any, world: Any) -> None:
    network = make_network(world)
    hias = Membership.objects.get(network=network, organization=world.hias)
    login(world.user("coordinator"))
    url = reverse("network:membership_edit", kwargs={"uuid": hias.uuid})
    bad = client.post(url, {"joined_on": "2024-01-01", "left_on": "2023-01-01"})
    assert bad.status_code == 400
    focal = Person.objects.create(full_name="Punto Focal HIAS", organization=world.hias)
    ok = client.post(
        url,
        {
            "joined_on": "2024-01-01",
            "left_on": "2025-06-30",
            "notes": "Cierre",
            "focal_users": [world.user("supervisor.hias").pk],
            "focal_people": [focal.pk],
        },
    )
    assert ok.status_code == 302
    hias.refresh_from_db()
    assert hias.status == MembershipStatus.INACTIVE
    assert list(hias.focal_people.all()) == [focal]
    assert list(hias.focal_users.all()) == [world.user("supervisor.hias")]
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Punto Focal HIAS" not in page  # focal points of current members only
    duplicate = client.post(
        reverse("network:membership_create", kwargs={"slug": network.slug}),
        {"organization": world.hias.pk, "joined_on": "2024-02-01"},
    )
    assert duplicate.status_code in (400, 409)


def test_the_public_sees_public_meetings_but_not_materials(client: Any, world: Any) -> None:
    network = make_network(world)
    public = make_meeting(network, title="Pública")
    internal = make_meeting(network, title="Interna", public=False)
    material = make_material(public)
    listing = client.get(reverse("network:meeting_list")).content.decode()
    assert "Pública" in listing and "Interna" not in listing
    assert client.get(internal.get_absolute_url()).status_code == 404
    page = client.get(public.get_absolute_url()).content.decode()
    assert material.title not in page
    assert (
        client.get(reverse("network:material_download", kwargs={"uuid": material.uuid})).status_code
        == 302
    )


def test_logged_in_users_see_internal_meetings_and_materials(
    client: Any, login: Any, world: Any
) -> None:
    network = make_network(world)
    internal = make_meeting(network, title="Interna", public=False)
    material = make_material(internal)
    login(world.user("outsider"))
    page = client.get(internal.get_absolute_url())
    assert page.status_code == 200
    assert material.title in page.content.decode()
    assert reverse("network:checkin", kwargs={"uuid": internal.uuid}) not in page.content.decode()


def test_network_page_shows_members_websites_and_services(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    from ruta.directory.models import Service, ServiceStatus

    network = make_network(world)
    Service.objects.create(
        organization=world.care, name_es="Línea de escucha CARE", status=ServiceStatus.ACTIVE
    )
    Service.objects.create(
        organization=world.care, name_es="Borrador oculto", status=ServiceStatus.DRAFT
    )
    for index in range(3):
        make_meeting(network, title=f"Reunión {index}")
    with django_assert_max_num_queries(14):
        response = client.get(network.get_absolute_url())
    html = response.content.decode()
    assert "https://www.care.org.pe" in html
    assert "Línea de escucha CARE" in html
    assert "Borrador oculto" not in html
    assert "Reunión 2" in html


def test_public_report_lists_public_meetings_only_but_counts_all(
    client: Any, login: Any, world: Any
) -> None:
    network = make_network(world)
    make_meeting(network, title="Encuentro público")
    make_meeting(network, title="Reunión interna de coordinación", public=False)
    url = reverse("network:report", kwargs={"slug": network.slug})
    anonymous = client.get(url).content.decode()
    assert "Encuentro público" in anonymous
    assert "Reunión interna de coordinación" not in anonymous
    assert "<dd>2</dd>" in anonymous  # both meetings are counted
    login(world.user("analyst"))
    assert "Reunión interna de coordinación" in client.get(url).content.decode()


def test_the_public_does_not_see_focal_point_names(client: Any, world: Any) -> None:
    network = make_network(world)
    membership = Membership.objects.get(network=network, organization=world.care)
    membership.focal_users.set([world.user("caseworker.care")])
    html = client.get(network.get_absolute_url()).content.decode()
    assert "CARE Perú" in html
    assert world.user("caseworker.care").full_name not in html
