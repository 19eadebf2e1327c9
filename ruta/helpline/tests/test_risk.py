"""The risk protocol: a "yes" shows the protocol, requires the action taken, alerts the
desk's supervisors at once (in the app and by e-mail) and blocks closing until done."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.directory.tests.factories import make_service
from ruta.helpline import actions
from ruta.helpline.models import ContactStatus, DeskSettings, RiskAlert, RiskQuestion
from ruta.helpline.tests.factories import make_contact, make_risk_contact, question
from ruta.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 10, 15, 30, tzinfo=dt.UTC)


def _client(user: Any) -> Client:
    return verified_login(Client(), user)


def _answers(yes: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    data = {
        f"q_{code}": "yes" if code in yes else "no"
        for code in RiskQuestion.objects.values_list("code", flat=True)
    }
    return {**data, **extra}


def test_the_seeded_questions(world: Any) -> None:
    codes = list(RiskQuestion.objects.values_list("code", flat=True))
    assert codes == ["suicidal_now", "plan_or_means", "immediate_danger", "child_at_risk"]


def test_every_question_must_be_answered(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    response = _client(operator).post(
        reverse("helpline:contact_risk", args=[contact.uuid]), {"q_suicidal_now": "no"}
    )
    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.risk_screened_at is None


def test_a_yes_without_the_action_taken_is_refused_but_the_alert_goes_at_once(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator, admin1="PE-TUM")
    make_service(world.hias, "Albergue Tumbes", area="PE-TUM", terms=("shelter",))
    make_service(world.hias, "Albergue Cusco", area="PE-CUS", terms=("shelter",))
    client = _client(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("helpline:contact_risk", args=[contact.uuid]),
            _answers(yes=("immediate_danger",)),
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Albergue Tumbes" in body and "Albergue Cusco" not in body  # the caller's area
    assert "Quédese en la línea" in body  # the default protocol, in Spanish
    assert "action_taken" in body and "error-summary" in body
    # The alert reached CARE's supervisor, and nobody else.
    alert = RiskAlert.objects.get(contact=contact)
    notes = Notification.objects.filter(kind=NotificationKind.HELPLINE_RISK)
    assert [n.recipient for n in notes] == [world.user("supervisor.care")]
    assert [m.to for m in mail.outbox] == [[world.user("supervisor.care").email]]
    # Closing is refused while the action taken is missing.
    closing = client.post(reverse("helpline:contact_close", args=[contact.uuid]))
    assert closing.status_code == 302
    assert closing["Location"] == reverse("helpline:contact_risk", args=[contact.uuid])
    contact.refresh_from_db()
    assert contact.status == ContactStatus.OPEN
    with pytest.raises(actions.ProtocolIncomplete):
        actions.close_contact(operator, contact)
    # With the action taken: saved, closable, and no second alert.
    done = client.post(
        reverse("helpline:contact_risk", args=[contact.uuid]),
        _answers(yes=("immediate_danger",), action_taken="Derivó al albergue"),
    )
    assert done.status_code == 302
    client.post(reverse("helpline:contact_close", args=[contact.uuid]))
    contact.refresh_from_db()
    assert contact.status == ContactStatus.CLOSED and contact.risk_action == "Derivó al albergue"
    assert RiskAlert.objects.filter(contact=contact).count() == 1 == notes.count()
    assert alert.raised_by == operator


def test_no_yes_means_no_alert_and_the_contact_closes(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    response = _client(operator).post(
        reverse("helpline:contact_risk", args=[contact.uuid]), _answers()
    )
    assert response.status_code == 302
    assert not RiskAlert.objects.exists() and not Notification.objects.exists()
    actions.close_contact(operator, contact)


def test_notifications_and_the_trail_carry_ids_never_answers(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    operator = world.user("helpline.care")
    with django_capture_on_commit_callbacks(execute=True):
        contact = make_risk_contact(operator, action_taken="Llamó a emergencias zqaction")
    note = Notification.objects.get()
    assert set(note.details) <= {"event", "reference", "link", "uuid"}
    assert note.details["uuid"] == str(contact.uuid)
    stored = json.dumps([note.details, *AuditEvent.objects.values_list("details", flat=True)])
    for value in ("zqaction", "immediate_danger", "peligro", "yes"):
        assert value not in stored, value


def test_the_agencys_own_protocol_text_is_shown(world: Any) -> None:
    operator = world.user("helpline.care")
    DeskSettings.objects.create(organization=world.care, protocol_text="Llame a la jefa zq42")
    contact = make_contact(operator)
    actions.record_screening(operator, contact, yes=[question("suicidal_now")])
    page = _client(operator).get(reverse("helpline:contact_detail", args=[contact.uuid]))
    assert "Llame a la jefa zq42" in page.content.decode()


def test_the_supervisor_edits_the_protocol(world: Any) -> None:
    supervisor = world.user("supervisor.care")
    response = _client(supervisor).post(
        reverse("helpline:protocol"), {"protocol_text": "Protocolo propio"}
    )
    assert response.status_code == 302
    assert DeskSettings.objects.get(organization=world.care).protocol_text == "Protocolo propio"
    denied = _client(world.user("helpline.care")).post(
        reverse("helpline:protocol"), {"protocol_text": "x"}
    )
    assert denied.status_code == 404


def test_the_supervisor_acknowledges_and_the_delay_is_recorded(world: Any) -> None:
    operator, supervisor = world.user("helpline.care"), world.user("supervisor.care")
    with time_machine.travel(MOMENT, tick=False):
        contact = make_risk_contact(operator)
    alert = contact.alert
    url = reverse("helpline:alert_acknowledge", args=[alert.uuid])
    assert _client(operator).post(url).status_code == 404  # operators do not acknowledge
    assert _client(world.user("supervisor.hias")).post(url).status_code == 404
    with time_machine.travel(MOMENT + dt.timedelta(minutes=4), tick=False):
        response = _client(supervisor).post(url)
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == supervisor
    assert alert.time_to_acknowledge == dt.timedelta(minutes=4)
    page = _client(operator).get(reverse("helpline:contact_detail", args=[contact.uuid]))
    assert "Confirmada 4 minutos después de la alerta." in page.content.decode()
    assert AuditEvent.objects.filter(action="helpline.alert.acknowledged").count() == 1


def test_open_alerts_show_on_the_desk_and_home_of_the_supervisor(world: Any) -> None:
    contact = make_risk_contact(world.user("helpline.care"))
    client = _client(world.user("supervisor.care"))
    desk = client.get(reverse("helpline:desk")).content.decode()
    assert reverse("helpline:alert_acknowledge", args=[contact.alert.uuid]) in desk
    home = client.get(reverse("core:dashboard")).content.decode()
    assert "1 alerta de riesgo abierta" in home


def test_the_supervisors_notification_leads_to_the_contact(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        contact = make_risk_contact(world.user("helpline.care"))
    page = _client(world.user("supervisor.care")).get(reverse("notifications:list"))
    body = page.content.decode()
    assert reverse("helpline:contact_detail", args=[contact.uuid]) in body
    assert f"Alerta de riesgo en el contacto {contact.reference}" in body
