"""Acting on another operator's work: the audit names the person who acted and the operator
on whose behalf, on the contact, its call-backs and a shift handover; one's own work names
nobody else. The audit log page and its CSV show it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import make_user, verified_login
from ruta.audit.export import events_csv
from ruta.audit.models import AuditEvent
from ruta.helpline import actions
from ruta.helpline.models import Contact, Handover
from ruta.helpline.tests.factories import make_callback, make_contact, question
from ruta.lib.permissions import Role

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 10, 15, 0, tzinfo=dt.UTC)


def _event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def _colleague(world: Any) -> Any:
    return make_user("tarde.linea@test.org", Role.HELPLINE, world.care)


@time_machine.travel(MOMENT, tick=False)
def test_a_supervisor_completing_an_operators_contact_is_on_their_behalf(world: Any) -> None:
    operator, supervisor = world.user("helpline.care"), world.user("supervisor.care")
    contact = make_contact(operator)
    assert _event("helpline.contact.created").on_behalf_of is None  # the operator's own
    actions.record_first_aid(supervisor, contact, distress_before=7, needs="Sin techo")
    actions.record_screening(
        supervisor, contact, yes=[question("immediate_danger")], action_taken="Llamó al 105"
    )
    actions.close_contact(supervisor, contact)
    for action in (
        "helpline.first_aid.recorded",
        "helpline.risk.screened",
        "helpline.alert.raised",
        "helpline.contact.closed",
    ):
        event = _event(action)
        assert (event.actor, event.on_behalf_of) == (supervisor, operator), action
        assert event.actor_email == supervisor.email
        assert event.on_behalf_of_email == operator.email
        assert "Sin techo" not in str(event.details)
    # Reviewing is the supervisor's own act, not the operator's.
    actions.mark_reviewed(supervisor, contact)
    assert _event("helpline.contact.reviewed").on_behalf_of is None


@time_machine.travel(MOMENT, tick=False)
def test_an_operator_records_a_contact_for_a_colleague(world: Any) -> None:
    operator, colleague = world.user("helpline.care"), _colleague(world)
    contact = actions.create_contact(operator, operator=colleague, channel="whatsapp")
    assert Contact.objects.get(pk=contact.pk).operator == colleague
    event = _event("helpline.contact.created")
    assert (event.actor, event.on_behalf_of) == (operator, colleague)
    # Somebody off the desk (or of another agency) cannot be named as the operator.
    for stranger in (world.user("caseworker.care"), world.user("helpline.hias")):
        with pytest.raises(actions.HelplineError):
            actions.create_contact(operator, operator=stranger)
    assert Contact.objects.count() == 1


@time_machine.travel(MOMENT, tick=False)
def test_finishing_a_colleagues_callback_is_on_their_behalf(world: Any) -> None:
    operator, colleague = world.user("helpline.care"), _colleague(world)
    contact = make_contact(operator)
    theirs = make_callback(operator, contact, assigned_to=colleague)
    queued = make_callback(operator, contact)
    actions.finish_callback(operator, theirs)
    event = _event("helpline.callback.finished")
    assert (event.actor, event.on_behalf_of) == (operator, colleague)
    actions.finish_callback(colleague, queued)  # the desk's queue is nobody's in particular
    assert _event("helpline.callback.finished").on_behalf_of is None


@time_machine.travel(MOMENT, tick=False)
def test_a_handover_left_for_a_colleague_is_theirs_and_names_both(world: Any) -> None:
    supervisor, operator = world.user("supervisor.care"), world.user("helpline.care")
    client = verified_login(Client(), supervisor)
    page = client.get(reverse("helpline:handover_create")).content.decode()
    assert 'name="on_behalf_of"' in page
    response = client.post(
        reverse("helpline:handover_create"),
        {"on_behalf_of": operator.pk, "notes": "Se fue al hospital; queda una devolución"},
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.from_operator == operator
    event = _event("helpline.handover.made")
    assert (event.actor, event.on_behalf_of) == (supervisor, operator)
    # Nobody of another agency can be chosen: the form keeps what was typed and says why.
    refused = client.post(
        reverse("helpline:handover_create"),
        {"on_behalf_of": world.user("helpline.hias").pk, "notes": "Nota"},
    )
    assert refused.status_code == 400
    assert "Nota" in refused.content.decode()
    assert Handover.objects.count() == 1


@time_machine.travel(MOMENT, tick=False)
def test_the_audit_log_and_its_csv_show_on_whose_behalf(world: Any) -> None:
    operator, supervisor = world.user("helpline.care"), world.user("supervisor.care")
    contact = make_contact(operator)
    actions.update_contact(supervisor, contact, channel="whatsapp")
    admin = verified_login(Client(), world.user("admin"))
    page = admin.get(reverse("audit:event_list"), {"action": "helpline.contact.updated"})
    text = page.content.decode()
    assert supervisor.email in text
    assert "en nombre de helpline.care@test.org" in text
    filtered = admin.get(reverse("audit:event_list"), {"on_behalf_of": "helpline.care"})
    assert "helpline.contact.updated" in filtered.content.decode()
    assert "helpline.contact.created" not in filtered.content.decode()
    rows = list(
        csv.reader(io.StringIO(events_csv({"action": "helpline.contact.updated"}).decode()))
    )
    header, row = rows[0], rows[1]
    assert row[header.index("actor_email")] == supervisor.email
    assert row[header.index("on_behalf_of_email")] == operator.email


@time_machine.travel(MOMENT, tick=False)
def test_the_new_contact_form_records_a_colleagues_contact(world: Any) -> None:
    operator, colleague = world.user("helpline.care"), _colleague(world)
    client = verified_login(Client(), operator)
    url = reverse("helpline:contact_create")
    page = client.get(url).content.decode()
    assert 'name="operator"' in page and colleague.full_name in page
    response = client.post(
        url,
        {"channel": "phone", "started_at": "2026-11-10T09:30", "language": "es",
         "operator": colleague.pk},
    )  # fmt: skip
    # The contact is the colleague's: the one who wrote it goes back to the desk.
    assert response.status_code == 302 and response["Location"] == reverse("helpline:desk")
    contact = Contact.objects.get()
    assert contact.operator == colleague
    event = _event("helpline.contact.created")
    assert (event.actor, event.on_behalf_of) == (operator, colleague)
    # Somebody of another agency is not offered, and is refused if sent.
    refused = client.post(
        url,
        {"channel": "phone", "started_at": "2026-11-10T09:30", "language": "es",
         "operator": world.user("helpline.hias").pk},
    )  # fmt: skip
    assert refused.status_code == 400 and Contact.objects.count() == 1
    # Editing a contact never changes whose it is.
    edit = verified_login(Client(), colleague).get(
        reverse("helpline:contact_edit", kwargs={"contact_uuid": contact.uuid})
    )
    assert edit.status_code == 200 and 'name="operator"' not in edit.content.decode()
