"""The helpline API (/api/v1/helpline/): the desk's contacts and call-backs for its
operators and supervisors only (404 for everyone else), every read of free text or of a
call-back's number audited with ids only, and figures with no personal data for the
aggregate readers, the network's for analysts and the own agency's for the others."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from conftest import make_user, verified_login
from ruta.accounts.actions import issue_api_token
from ruta.audit.models import AuditEvent
from ruta.helpline import actions
from ruta.helpline.models import Contact
from ruta.helpline.tests.factories import (
    make_callback,
    make_contact,
    make_risk_contact,
    question,
)
from ruta.lib.permissions import Role

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 10, 15, 0, tzinfo=dt.UTC)
PHONE = "+51 987 654 321"
NEEDS = "Duerme en la calle con sus dos hijos"
DESK = ("helpline.care", "supervisor.care")
NOT_DESK = ("admin", "coordinator", "analyst", "agency_admin.care", "caseworker.care")


def _client(user: Any) -> Client:
    return verified_login(Client(), user)


def _seed(world: Any) -> dict[str, Any]:
    operator = world.user("helpline.care")
    contact = make_risk_contact(operator)
    actions.record_first_aid(operator, contact, needs=NEEDS, distress_before=8)
    callback = make_callback(operator, contact, phone=PHONE, name="Rosa")
    other = make_contact(world.user("helpline.hias"))
    return {"contact": contact, "callback": callback, "other": other}


def _urls(seed: dict[str, Any]) -> dict[str, str]:
    return {
        "contacts": reverse("helpline_api:contact-list"),
        "contact": reverse("helpline_api:contact-detail", args=[seed["contact"].uuid]),
        "callbacks": reverse("helpline_api:callback-list"),
        "callback": reverse("helpline_api:callback-detail", args=[seed["callback"].uuid]),
    }


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize("key", DESK)
def test_the_desk_reads_its_contacts_and_callbacks(world: Any, key: str) -> None:
    seed = _seed(world)
    client = _client(world.user(key))
    for name, url in _urls(seed).items():
        assert client.get(url).status_code == 200, name
    listed = client.get(_urls(seed)["contacts"]).json()
    assert [row["uuid"] for row in listed["results"]] == [str(seed["contact"].uuid)]


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize("key", [*NOT_DESK, "helpline.hias", "supervisor.hias", "outsider"])
def test_everyone_else_meets_404_and_never_a_care_contact(world: Any, key: str) -> None:
    seed = _seed(world)
    client = _client(world.user(key))
    urls = _urls(seed)
    for name in ("contact", "callback"):
        assert client.get(urls[name]).status_code == 404, name
    for name in ("contacts", "callbacks"):
        response = client.get(urls[name])
        body = response.content.decode()
        assert str(seed["contact"].uuid) not in body and str(seed["callback"].uuid) not in body
        assert response.status_code == (200 if key.endswith(".hias") else 404), name


def test_anonymous_callers_are_refused(world: Any) -> None:
    seed = _seed(world)
    for url in [*_urls(seed).values(), reverse("helpline_api:figures")]:
        assert Client().get(url).status_code == 401


@time_machine.travel(MOMENT, tick=False)
def test_an_operator_lists_only_their_own_contacts_a_supervisor_the_agencys(
    world: Any,
) -> None:
    seed = _seed(world)
    colleague = make_user("tarde.linea@test.org", Role.HELPLINE, world.care)
    theirs = make_contact(colleague)
    url = reverse("helpline_api:contact-list")
    mine = {row["uuid"] for row in _client(world.user("helpline.care")).get(url).json()["results"]}
    assert mine == {str(seed["contact"].uuid)}
    every = _client(world.user("supervisor.care")).get(url).json()["results"]
    assert {row["uuid"] for row in every} == {str(seed["contact"].uuid), str(theirs.uuid)}
    detail = reverse("helpline_api:contact-detail", args=[theirs.uuid])
    assert _client(world.user("helpline.care")).get(detail).status_code == 404


@time_machine.travel(MOMENT, tick=False)
def test_a_token_reads_one_contact_and_the_read_is_audited_with_ids(world: Any) -> None:
    seed = _seed(world)
    operator = world.user("helpline.care")
    token = issue_api_token(operator, None)
    url = _urls(seed)["contact"]
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    data = response.json()
    assert data["needs"] == NEEDS and data["risk"] is True
    assert data["operator"] == str(operator.uuid)
    event = AuditEvent.objects.filter(action="helpline.contact.read").latest("id")
    assert event.actor == operator and event.object_uuid == seed["contact"].uuid
    assert NEEDS not in json.dumps(event.details)
    # The list shows no free text, and says which contacts it showed.
    listed = Client().get(_urls(seed)["contacts"], HTTP_AUTHORIZATION=f"Token {token}")
    assert NEEDS not in listed.content.decode()
    assert "needs" not in listed.json()["results"][0]
    event = AuditEvent.objects.filter(action="helpline.contact.list_read").latest("id")
    assert event.details["contacts"] == [str(seed["contact"].uuid)]


@time_machine.travel(MOMENT, tick=False)
def test_a_warm_referral_shows_its_status_never_its_case(world: Any) -> None:
    seed = _seed(world)
    operator = world.user("helpline.care")
    handoff = actions.hand_off(
        operator,
        seed["contact"],
        kind="referral",
        case_type="mhpss",
        fields=["age_band"],
        organization=world.hias,
        consent=True,
    )
    assert handoff.case is not None and handoff.referral is not None
    body = _client(operator).get(_urls(seed)["contact"]).content.decode()
    assert handoff.referral.reference in body
    assert str(handoff.case.uuid) not in body and handoff.case.code not in body


@time_machine.travel(MOMENT, tick=False)
def test_the_callback_number_is_read_on_the_callback_only_and_audited(world: Any) -> None:
    seed = _seed(world)
    client = _client(world.user("helpline.care"))
    listed = client.get(_urls(seed)["callbacks"])
    assert PHONE not in listed.content.decode() and "Rosa" not in listed.content.decode()
    assert not AuditEvent.objects.filter(action="helpline.callback.read").exists()
    one = client.get(_urls(seed)["callback"]).json()
    assert (one["phone"], one["name"]) == (PHONE, "Rosa")
    event = AuditEvent.objects.get(action="helpline.callback.read")
    assert event.object_uuid == seed["callback"].uuid
    assert PHONE not in json.dumps(event.details) and "Rosa" not in json.dumps(event.details)


@time_machine.travel(MOMENT, tick=False)
def test_contacts_are_created_through_the_api_for_oneself_or_a_colleague(world: Any) -> None:
    operator = world.user("helpline.care")
    colleague = make_user("tarde.linea@test.org", Role.HELPLINE, world.care)
    client = _client(operator)
    url = reverse("helpline_api:contact-list")
    body = {
        "channel": "whatsapp",
        "age_band": "26-59",
        "reasons": ["emotional_distress"],
        "phone": PHONE,
        "operator": str(colleague.uuid),
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(uuid=response.json()["uuid"])
    assert contact.operator == colleague and contact.channel == "whatsapp"
    assert contact.phone_hash and PHONE not in response.content.decode()
    event = AuditEvent.objects.filter(action="helpline.contact.created").latest("id")
    assert (event.actor, event.on_behalf_of) == (operator, colleague)
    for wrong in (
        {"operator": str(world.user("helpline.hias").uuid)},
        {"age_band": "forty"},
        {"reasons": ["no-such-reason"]},
        {"started_at": "2026-11-10T10:00:00Z", "ended_at": "2026-11-10T09:00:00Z"},
    ):
        refused = client.post(url, wrong, content_type="application/json")
        assert refused.status_code == 400, wrong
        assert "message" in refused.json()
    assert Contact.objects.count() == 1


# --- Changing, closing, finishing --------------------------------------------------------
def _patch(client: Client, contact: Any, body: dict[str, Any]) -> Any:
    url = reverse("helpline_api:contact-detail", args=[contact.uuid])
    return client.patch(url, body, content_type="application/json")


def _close(client: Client, contact: Any) -> Any:
    return client.post(reverse("helpline_api:contact-close", args=[contact.uuid]))


@time_machine.travel(MOMENT, tick=False)
def test_an_open_contact_is_changed_then_closed_and_then_stays_as_it_is(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator, started_at=MOMENT - dt.timedelta(minutes=30))
    client = _client(operator)
    changed = _patch(
        client, contact, {"age_band": "18-25", "reasons": ["violence"], "phone": PHONE}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "open" and PHONE not in changed.content.decode()
    contact.refresh_from_db()
    assert contact.age_band == "18-25" and contact.phone_hash
    assert list(contact.reasons.values_list("code", flat=True)) == ["violence"]
    assert contact.channel == "phone"  # not sent, not changed
    event = AuditEvent.objects.filter(action="helpline.contact.updated").latest("id")
    assert set(event.details["fields"]) == {"age_band", "phone_hash", "reasons"}
    assert PHONE not in json.dumps(event.details)
    backwards = _patch(client, contact, {"ended_at": "2026-11-10T10:00:00Z"})
    assert backwards.status_code == 400 and "ended_at" in backwards.json()["errors"]
    assert _patch(client, contact, {"age_band": "forty"}).status_code == 400

    closed = _close(client, contact)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    contact.refresh_from_db()
    assert contact.ended_at == MOMENT  # the end it had not, given at closing
    for refused in (_patch(client, contact, {"age_band": "60+"}), _close(client, contact)):
        assert refused.status_code == 400
        assert refused.json()["message"] == gettext("This contact is closed.")
    contact.refresh_from_db()
    assert contact.age_band == "18-25"


@time_machine.travel(MOMENT, tick=False)
def test_a_contact_with_an_unanswered_risk_stays_open(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    actions.record_screening(operator, contact, yes=[question("immediate_danger")])
    refused = _close(_client(operator), contact)
    assert refused.status_code == 409
    assert refused.json()["message"] == gettext(
        "Record the action taken under the risk protocol before closing the contact."
    )
    contact.refresh_from_db()
    assert contact.status == "open"


@time_machine.travel(MOMENT, tick=False)
def test_a_callback_is_finished_and_its_number_erased_at_once(world: Any) -> None:
    seed = _seed(world)
    client = _client(world.user("supervisor.care"))
    url = reverse("helpline_api:callback-finish", args=[seed["callback"].uuid])
    done = client.post(url, {"done": False}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["erased"]) == ("cancelled", True)
    callback = seed["callback"]
    callback.refresh_from_db()
    assert (callback.phone, callback.name, callback.safe_instructions) == ("", "", "")
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["message"] == gettext("This call-back is already over.")


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize("key", (*NOT_DESK, "helpline.hias"))
def test_nobody_else_changes_closes_or_finishes(world: Any, key: str) -> None:
    seed = _seed(world)
    client = _client(world.user(key))
    contact, callback = seed["contact"], seed["callback"]
    finish = reverse("helpline_api:callback-finish", args=[callback.uuid])
    for response in (
        _patch(client, contact, {"age_band": "60+"}),
        _close(client, contact),
        client.post(finish, {"done": True}, content_type="application/json"),
    ):
        assert response.status_code == 404, (key, response.status_code)
    contact.refresh_from_db()
    callback.refresh_from_db()
    assert contact.status == "open" and contact.age_band != "60+"
    assert callback.status == "pending" and callback.phone == PHONE


# --- Figures ------------------------------------------------------------------------------
FIGURE_KEYS = {
    "scope",
    "organization",
    "days",
    "threshold",
    "total",
    "repeat",
    "mean_duration",
    "risk",
    "unacknowledged",
    "mean_wait",
    "distress_n",
    "distress_before",
    "distress_after",
    "distress_change",
    "cases_here",
    "referrals",
    "by_channel",
    "by_reason",
    "by_day",
}


def _busy_desks(world: Any) -> None:
    """Six CARE contacts and two HIAS ones, in the last days."""
    for key, count in (("helpline.care", 6), ("helpline.hias", 2)):
        for hour in range(count):
            started = MOMENT - dt.timedelta(hours=hour + 1)
            make_contact(
                world.user(key),
                started_at=started,
                ended_at=started + dt.timedelta(minutes=12),
                phone=PHONE,
            )


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize(
    ("key", "scope", "total"),
    [
        ("analyst", "network", "8"),
        ("admin", "network", "8"),
        ("supervisor.care", "organization", "6"),
        ("supervisor.hias", "organization", "<5"),
        ("coordinator", "organization", "0"),  # the network's own organization has no desk
    ],
)
def test_figures_are_scoped_by_role(world: Any, key: str, scope: str, total: str) -> None:
    _busy_desks(world)
    user = world.user(key)
    data = _client(user).get(reverse("helpline_api:figures"), {"days": 7}).json()
    assert (data["scope"], data["total"]) == (scope, total)
    assert data["organization"] == (str(user.organization.uuid) if scope != "network" else None)


@time_machine.travel(MOMENT, tick=False)
def test_figures_hold_no_personal_data(world: Any) -> None:
    _busy_desks(world)
    care = Contact.objects.filter(organization=world.care).first()
    make_callback(world.user("helpline.care"), care, phone=PHONE, name="Rosa")
    response = _client(world.user("analyst")).get(reverse("helpline_api:figures"))
    data = response.json()
    assert set(data) == FIGURE_KEYS
    body = response.content.decode()
    for contact in Contact.objects.all():
        assert str(contact.uuid) not in body and contact.reference not in body
    for secret in (PHONE, "Rosa", "helpline.care@test.org", "Helpline Care"):
        assert secret not in body
    for row in data["by_channel"]:
        assert set(row) == {"label", "count"}
    assert data["mean_duration"] == "12.0"
    # Each desk knows the number from its second contact on: 5 + 1 repeats. HIAS's one
    # alone would be a small cell; the network's six are not.
    assert data["repeat"] == "6"


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize("key", ["helpline.care", "caseworker.care", "agency_admin.care"])
def test_figures_are_refused_to_other_roles(world: Any, key: str) -> None:
    response = _client(world.user(key)).get(reverse("helpline_api:figures"))
    assert response.status_code == 403


@time_machine.travel(MOMENT, tick=False)
def test_figures_refuse_an_unknown_period(world: Any) -> None:
    client = _client(world.user("analyst"))
    response = client.get(reverse("helpline_api:figures"), {"days": "365"})
    assert response.status_code == 400
    assert "days" in response.json()["errors"]


def test_the_openapi_schema_documents_the_helpline_paths(client: Any) -> None:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    for path in (
        "/api/v1/helpline/contacts/",
        "/api/v1/helpline/contacts/{uuid}/",
        "/api/v1/helpline/callbacks/",
        "/api/v1/helpline/callbacks/{uuid}/",
        "/api/v1/helpline/contacts/{uuid}/close/",
        "/api/v1/helpline/callbacks/{uuid}/finish/",
        "/api/v1/helpline/figures/",
    ):
        assert path in schema["paths"], path
    listed = schema["paths"]["/api/v1/helpline/callbacks/"]["get"]
    assert "helpline" in listed["tags"]
    contact_list = json.dumps(schema["components"]["schemas"]["ContactList"])
    assert "needs" not in contact_list and "phone" not in contact_list


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("callbacks", {"due_before": "4192-07-30T05:39:18+21:50"}),  # PostgreSQL: ±15:59 at most
        ("contacts", {"since": "2026-11-01T00:00:00-23:59", "until": "9999-12-31T23:00:00-12:00"}),
    ],
)
def test_instants_with_any_iso_offset_are_compared_in_utc(
    world: Any, name: str, query: dict[str, str]
) -> None:
    seed = _seed(world)
    response = _client(world.user("supervisor.care")).get(_urls(seed)[name], query)
    assert response.status_code == 200, response.content[:300]
