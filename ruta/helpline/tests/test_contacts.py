"""Contacts: fast anonymous entry, the repeat caller's keyed hash, first aid, access."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user, verified_login
from ruta.audit.models import AuditEvent
from ruta.directory.tests.factories import make_service
from ruta.helpline import actions
from ruta.helpline.models import Contact, ContactStatus, Reason
from ruta.helpline.tests.factories import make_contact
from ruta.lib.crypto import keyed_hash
from ruta.lib.permissions import Role

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 10, 15, 30, tzinfo=dt.UTC)


def _client(user: Any) -> Client:
    return verified_login(Client(), user)


def _raw_row(contact: Contact) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM helpline_contact WHERE id = %s", [contact.pk])
        return json.dumps([str(value) for value in cursor.fetchone()])


@time_machine.travel(MOMENT, tick=False)
def test_a_contact_needs_only_the_defaults(world: Any) -> None:
    operator = world.user("helpline.care")
    client = _client(operator)
    form = client.get(reverse("helpline:contact_create"))
    assert form.status_code == 200
    body = form.content.decode()
    assert 'value="phone" selected' in body  # channel: phone by default
    assert "autofocus" in body
    started = timezone.localtime(MOMENT).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("helpline:contact_create"),
        {"channel": "phone", "started_at": started, "language": "es"},
    )
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("helpline:contact_detail", args=[contact.uuid])
    assert contact.operator == operator and contact.organization == world.care
    assert contact.started_at == MOMENT and contact.status == ContactStatus.OPEN
    assert contact.sex == "" and contact.admin1 == "" and not contact.is_repeat


def test_a_bad_form_keeps_what_was_typed(world: Any) -> None:
    client = _client(world.user("helpline.care"))
    response = client.post(
        reverse("helpline:contact_create"),
        {
            "channel": "whatsapp",
            "started_at": "2026-11-10T10:00",
            "ended_at": "2026-11-10T09:00",
            "language": "es",
            "what_was_done": "Escucha activa",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Escucha activa" in body and 'value="whatsapp" selected' in body
    assert "error-summary" in body
    assert not Contact.objects.exists()


def test_the_phone_number_is_hashed_never_stored_and_marks_a_repeat(world: Any) -> None:
    operator = world.user("helpline.care")
    client = _client(operator)
    data = {"channel": "phone", "started_at": "2026-11-10T10:00", "language": "es"}
    client.post(reverse("helpline:contact_create"), {**data, "phone": "+51 987 654 321"})
    client.post(reverse("helpline:contact_create"), {**data, "phone": "51-987-654-321"})
    first, second = Contact.objects.order_by("pk")
    assert first.phone_hash == keyed_hash("helpline-phone:51987654321")
    assert second.phone_hash == first.phone_hash
    assert not first.is_repeat and second.is_repeat
    for contact in (first, second):
        assert "987654321" not in _raw_row(contact)
        assert "987 654" not in _raw_row(contact)
    trail = json.dumps(list(AuditEvent.objects.values("details")))
    assert "987" not in trail


def test_another_agency_does_not_recognise_the_number(world: Any) -> None:
    make_contact(world.user("helpline.care"), phone="999 000 111")
    other = make_contact(world.user("helpline.hias"), phone="999 000 111")
    assert not other.is_repeat


def test_reasons_are_data_with_both_languages(world: Any) -> None:
    codes = set(Reason.objects.values_list("code", flat=True))
    assert {"emotional_distress", "gbv", "violence", "legal", "shelter", "health", "food"} <= codes
    assert {"cash", "information"} <= codes
    gbv = Reason.objects.get(code="gbv")
    assert gbv.name_es == "Violencia basada en género" and gbv.name_en == "Gender-based violence"


def test_what_was_done_is_encrypted_and_its_reading_audited(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator, what_was_done="Relato sensible zqx")
    assert "Relato sensible" not in _raw_row(contact)
    response = _client(operator).get(reverse("helpline:contact_detail", args=[contact.uuid]))
    assert "Relato sensible zqx" in response.content.decode()
    read = AuditEvent.objects.get(action="helpline.contact.read")
    assert read.object_uuid == contact.uuid and "Relato" not in json.dumps(read.details)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "key",
    ["caseworker.care", "agency_admin.care", "admin", "coordinator", "analyst", "outsider"],
)
def test_other_roles_get_404(world: Any, key: str) -> None:
    contact = make_contact(world.user("helpline.care"))
    client = _client(world.user(key))
    assert client.get(reverse("helpline:desk")).status_code == 404
    assert client.get(reverse("helpline:contact_detail", args=[contact.uuid])).status_code == 404


@pytest.mark.parametrize("key", ["helpline.hias", "supervisor.hias"])
def test_another_agency_gets_404(world: Any, key: str) -> None:
    contact = make_contact(world.user("helpline.care"))
    client = _client(world.user(key))
    for name in ("contact_detail", "contact_edit", "contact_risk", "contact_first_aid"):
        assert client.get(reverse(f"helpline:{name}", args=[contact.uuid])).status_code == 404
    assert client.post(reverse("helpline:contact_close", args=[contact.uuid])).status_code == 404
    contact.refresh_from_db()
    assert contact.status == ContactStatus.OPEN


def test_an_operator_sees_only_their_own_contacts_and_the_supervisor_all(world: Any) -> None:
    colleague = make_user("linea2.care@test.org", Role.HELPLINE, world.care)
    contact = make_contact(colleague)
    url = reverse("helpline:contact_detail", args=[contact.uuid])
    assert _client(world.user("helpline.care")).get(url).status_code == 404
    assert _client(world.user("supervisor.care")).get(url).status_code == 200


def test_the_operator_never_gains_case_access(world: Any) -> None:
    client = _client(world.user("helpline.care"))
    make_contact(world.user("helpline.care"))
    for name in ("cases:case_list", "cases:today", "referrals:inbox"):
        assert client.get(reverse(name)).status_code == 404


def test_first_aid_offers_the_services_of_the_callers_region(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator, admin1="PE-TUM")
    near = make_service(world.hias, "Apoyo Tumbes", area="PE-TUM")
    far = make_service(world.hias, "Apoyo Cusco", area="PE-CUS")
    client = _client(operator)
    url = reverse("helpline:contact_first_aid", args=[contact.uuid])
    page = client.get(url).content.decode()
    assert "Apoyo Tumbes" in page and "Apoyo Cusco" not in page
    response = client.post(
        url,
        {
            "distress_before": "8",
            "distress_after": "5",
            "needs": "Necesita orientación",
            "services": [str(near.pk)],
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.distress_before, contact.distress_after) == (8, 5)
    assert list(contact.services_suggested.all()) == [near]
    refused = client.post(url, {"services": [str(far.pk)]})
    assert refused.status_code == 400  # a service of another region is not on the list


def test_distress_outside_0_10_is_refused(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    with pytest.raises(actions.HelplineError):
        actions.record_first_aid(operator, contact, distress_before=11)
    response = _client(operator).post(
        reverse("helpline:contact_first_aid", args=[contact.uuid]), {"distress_before": "11"}
    )
    assert response.status_code == 400


def test_a_closed_contact_takes_no_more_changes(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    actions.close_contact(operator, contact)
    assert contact.ended_at is not None
    with pytest.raises(actions.HelplineError):
        actions.update_contact(operator, contact, what_was_done="más")


def test_editing_adds_a_number_later_and_keeps_the_profile(world: Any) -> None:
    operator = world.user("helpline.care")
    make_contact(operator, phone="900 111 222")
    contact = make_contact(operator)
    client = _client(operator)
    url = reverse("helpline:contact_edit", args=[contact.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "channel": "whatsapp",
            "started_at": "2026-11-10T10:00",
            "language": "es",
            "sex": "undisclosed",
            "nationality": "undisclosed",
            "admin1": "PE-TUM",
            "phone": "900111222",
            "reasons": [str(Reason.objects.get(code="food").pk)],
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.is_repeat and contact.channel == "whatsapp"
    assert (contact.sex, contact.nationality, contact.admin1) == (
        "undisclosed",
        "undisclosed",
        "PE-TUM",
    )
    assert [r.code for r in contact.reasons.all()] == ["food"]
    assert AuditEvent.objects.filter(action="helpline.contact.updated").count() == 1
