"""The pages: the agency's desk works the queue; a beneficiary's page is an audited read;
another agency's desk gets 404; coordinators and analysts read the figures only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.helpline.models import Contact
from ruta.stabilisation.models import NeedsCheck, Programme, QueueEntry, StabilisationContact
from ruta.stabilisation.tests.factories import make_beneficiary, make_programme

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def _client(user: Any) -> Client:
    return verified_login(Client(), user)


@time_machine.travel(MOMENT, tick=False)
def test_the_desk_imports_checks_and_records_a_stabilisation_contact(world: Any) -> None:
    programme = make_programme(world.care)
    client = _client(world.user("helpline.care"))
    sheet = SimpleUploadedFile(
        "pagos.csv", b"id,expected,name\nX-1,2026-11-01,Nombre Ficticio\n", "text/csv"
    )
    response = client.post(reverse("stabilisation:import", args=[programme.uuid]), {"file": sheet})
    assert response.status_code == 302
    entry = QueueEntry.objects.get()
    queue = client.get(reverse("stabilisation:queue", args=[programme.uuid]))
    body = queue.content.decode()
    assert entry.beneficiary.reference in body and "Nombre Ficticio" not in body
    url = reverse("stabilisation:beneficiary", args=[entry.beneficiary.uuid])
    page = client.get(url)
    assert "Nombre Ficticio" in page.content.decode()
    event = AuditEvent.objects.get(action="stabilisation.beneficiary.read")
    assert "Nombre" not in str(event.details)
    check = client.post(
        reverse("stabilisation:check", args=[entry.beneficiary.uuid]),
        {"checked_on": "2026-11-20", "outcome": "applies", "needs": ["food", "emotional"]},
    )
    assert check.status_code == 302 and NeedsCheck.objects.get().needs == ["emotional", "food"]
    form = client.get(reverse("stabilisation:contact", args=[entry.beneficiary.uuid]))
    assert form.status_code == 200
    made = client.post(
        reverse("stabilisation:contact", args=[entry.beneficiary.uuid]),
        {"channel": "phone", "started_at": "2026-11-20T09:30", "language": "es"},
    )
    contact = Contact.objects.get()
    assert made["Location"] == reverse("helpline:contact_first_aid", args=[contact.uuid])
    link = StabilisationContact.objects.get()
    assert (link.beneficiary, link.queue_entry) == (entry.beneficiary, entry)


@time_machine.travel(MOMENT, tick=False)
def test_a_bad_sheet_shows_every_line_and_keeps_nothing(world: Any) -> None:
    programme = make_programme(world.care)
    client = _client(world.user("supervisor.care"))
    sheet = SimpleUploadedFile("pagos.csv", b"id;expected\nA;2026-13-01\n;2026-11-01\n")
    response = client.post(reverse("stabilisation:import", args=[programme.uuid]), {"file": sheet})
    assert response.status_code == 400
    body = response.content.decode()
    assert "2 problemas" in body and not QueueEntry.objects.exists()


@time_machine.travel(MOMENT, tick=False)
def test_other_agencies_and_other_roles_get_nothing(world: Any) -> None:
    programme = make_programme(world.care)
    person = make_beneficiary(programme, "Z-1", dt.date(2026, 11, 1))
    urls = [
        reverse("stabilisation:programme", args=[programme.uuid]),
        reverse("stabilisation:queue", args=[programme.uuid]),
        reverse("stabilisation:beneficiary", args=[person.uuid]),
    ]
    for key in ("helpline.hias", "supervisor.hias", "caseworker.care", "analyst", "coordinator"):
        client = _client(world.user(key))
        assert [client.get(url).status_code for url in urls] == [404, 404, 404], key
    assert not AuditEvent.objects.filter(action="stabilisation.beneficiary.read").exists()
    hias = _client(world.user("helpline.hias"))
    assert programme.name not in hias.get(reverse("stabilisation:programmes")).content.decode()


@time_machine.travel(MOMENT, tick=False)
def test_figures_for_the_desk_and_the_network_only(world: Any) -> None:
    programme = make_programme(world.care, name="Programa CARE")
    other = make_programme(world.hias, name="Programa HIAS")
    url = reverse("stabilisation:figures")
    analyst = _client(world.user("analyst")).get(url).content.decode()
    assert "Programa CARE" in analyst and "Programa HIAS" in analyst
    desk = _client(world.user("helpline.hias")).get(url).content.decode()
    assert "Programa HIAS" in desk and "Programa CARE" not in desk
    chosen = _client(world.user("helpline.hias")).get(url, {"programme": str(programme.uuid)})
    assert chosen.status_code == 200 and other.name in chosen.content.decode()
    for key in ("admin", "agency_admin.care", "caseworker.care"):
        assert _client(world.user(key)).get(url).status_code == 404


@time_machine.travel(MOMENT, tick=False)
def test_a_supervisor_creates_and_edits_the_agencys_programme(world: Any) -> None:
    client = _client(world.user("supervisor.care"))
    url = reverse("stabilisation:programme_create")
    data = {
        "name": "PTM Quito",
        "donor": world.network.pk,
        "cities_text": "Quito, Tulcán",
        "admin1_text": "EC-P; EC-C",
        "delay_days": "10",
        "target_people": "2100",
        "budget": "15000",
        "currency": "usd",
        "starts_on": "2026-01-01",
        "ends_on": "2025-12-31",
        "active": "on",
    }
    wrong = client.post(url, data)
    assert wrong.status_code == 400 and "PTM Quito" in wrong.content.decode()
    made = client.post(url, {**data, "ends_on": "2026-12-31"})
    assert made.status_code == 302
    programme = Programme.objects.get()
    assert programme.organization == world.care and programme.currency == "USD"
    assert (programme.cities, programme.admin1_codes) == (["Quito", "Tulcán"], ["EC-P", "EC-C"])
    assert AuditEvent.objects.filter(action="stabilisation.programme.created").exists()
    edit = reverse("stabilisation:programme_edit", args=[programme.uuid])
    assert client.post(edit, {**data, "ends_on": "", "delay_days": "5"}).status_code == 302
    programme.refresh_from_db()
    assert programme.delay_days == 5 and programme.ends_on is None
    assert _client(world.user("helpline.care")).get(url).status_code == 404
    assert _client(world.user("supervisor.hias")).get(edit).status_code == 404
