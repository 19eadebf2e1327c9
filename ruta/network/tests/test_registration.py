"""Registration: internal users in one click; external people through the public link with
their consent to the use of their data, bad input kept with translated errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.network.models import Person, PersonSex, Registration, RegistrationSource
from ruta.network.tests.factories import make_meeting, make_network

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Ana Pérez Quispe",
    "email": "Ana.Perez@Example.org",
    "organization_name": "Colectivo Migrante Lima",
    "sex": PersonSex.FEMALE,
    "country": "PE",
    "consent": "on",
}


def _url(meeting: Any) -> str:
    return reverse("network:public_registration", kwargs={"token": meeting.registration_token})


def test_external_person_registers_with_consent(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    response = client.post(_url(meeting), GOOD)
    assert response.status_code == 200
    assert "Ana Pérez Quispe" not in response.content.decode()  # no echo of personal data
    registration = Registration.objects.get(meeting=meeting)
    person = registration.person
    assert registration.source == RegistrationSource.PUBLIC
    assert person.email == "ana.perez@example.org"
    assert person.organization_name == "Colectivo Migrante Lima"
    assert person.country == "PE"
    assert person.data_consent_at is not None
    event = AuditEvent.objects.get(action="network.registered")
    assert event.details["consent"] is True
    assert "ana" not in str(event.details).lower()


def test_known_organization_is_linked(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    client.post(_url(meeting), {**GOOD, "organization_name": "care"})
    person = Person.objects.get(email="ana.perez@example.org")
    assert person.organization == world.care
    assert person.organization_name == ""


def test_missing_consent_is_refused_and_input_kept(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    data = {k: v for k, v in GOOD.items() if k != "consent"}
    response = client.post(_url(meeting), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Ana Pérez Quispe"' in html
    assert 'value="Colectivo Migrante Lima"' in html
    assert "consent" in html.lower() or "consentimiento" in html.lower()
    assert not Person.objects.exists()
    assert not Registration.objects.exists()


def test_bad_email_keeps_what_was_typed_with_a_translated_error(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    response = client.post(_url(meeting), {**GOOD, "email": "ana-en-gmail"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="ana-en-gmail"' in html
    assert "Introduzca una dirección de correo electrónico válida" in html
    assert re.search(r'<input[^>]*value="female"[^>]*checked', html)
    assert not Registration.objects.exists()

    english = client.post("/en" + _url(meeting), {**GOOD, "email": "ana-en-gmail"})
    assert "Enter a valid email address" in english.content.decode()


def test_same_email_twice_is_handled_gracefully(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    first = client.post(_url(meeting), GOOD)
    again = client.post(
        _url(meeting), {**GOOD, "email": "ANA.PEREZ@example.org", "full_name": "Otra"}
    )
    assert again.status_code == 200
    # The answer does not tell whether the address was already registered.
    assert again.content.decode().replace("Otra", "") == first.content.decode().replace(
        "Ana Pérez Quispe", ""
    )
    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert Person.objects.get().full_name == "Ana Pérez Quispe"


def test_closed_registration_accepts_nobody(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world), registration_open=False)
    page = client.get(_url(meeting))
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
    response = client.post(_url(meeting), GOOD)
    assert response.status_code == 409
    assert not Registration.objects.exists()


def test_unknown_token_is_404(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    url = reverse(
        "network:public_registration", kwargs={"token": meeting.uuid}
    )  # the meeting id is not the key
    assert client.get(url).status_code == 404


def test_internal_user_registers_in_one_click(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    user = world.user("caseworker.care")
    verified_login(client, user)
    url = reverse("network:register", kwargs={"uuid": meeting.uuid})
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice: nothing new
    registration = Registration.objects.get(meeting=meeting)
    assert registration.source == RegistrationSource.INTERNAL
    assert registration.person.user == user
    assert registration.person.organization == world.care
    page = client.get(meeting.get_absolute_url())
    assert (
        "Cancelar mi inscripción" in page.content.decode()
        or "Cancel my registration" in page.content.decode()
    )
    client.post(url, {"cancel": "1"})
    assert not Registration.objects.exists()


def test_internal_registration_links_an_existing_person(client: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    user = world.user("supervisor.hias")
    existing = Person.objects.create(full_name="Imported", email=user.email.upper())
    verified_login(client, user)
    client.post(reverse("network:register", kwargs={"uuid": meeting.uuid}))
    existing.refresh_from_db()
    assert existing.user == user
    assert Registration.objects.get().person == existing


def test_one_connection_cannot_flood_the_public_registration(
    client: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ruta.network import actions

    monkeypatch.setattr(actions, "PUBLIC_REGISTRATIONS_PER_HOUR", 2)
    meeting = make_meeting(make_network(world))
    for number in range(2):
        answer = client.post(_url(meeting), {**GOOD, "email": f"persona{number}@example.org"})
        assert answer.status_code == 200
    refused = client.post(_url(meeting), {**GOOD, "email": "persona9@example.org"})
    assert refused.status_code == 409
    assert Registration.objects.filter(meeting=meeting).count() == 2
    hashes = set(Registration.objects.values_list("client_hash", flat=True))
    assert len(hashes) == 1 and "127.0.0.1" not in hashes.pop()  # a hash, not the address
