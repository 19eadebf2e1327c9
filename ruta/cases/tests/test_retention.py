"""Retention and anonymisation: expired closed cases lose their identity and narratives,
keep their coded fields, and become read-only; a withdrawal of the storage consent ends in
anonymisation or erasure, as the survivor chose, carried out by a supervisor."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases import actions, extensions, retention
from ruta.cases.models import (
    AnonymisedReason,
    Case,
    CaseStatus,
    Client,
    Consent,
    ConsentPurpose,
    FollowUp,
    Incident,
    StorageChoice,
)
from ruta.cases.tests.factories import (
    give_consent,
    make_case,
    make_closed_case,
    make_follow_up,
    make_incident,
)
from ruta.cases.tests.test_encryption import GREPPED, full_case
from ruta.conferences import actions as conference_actions
from ruta.conferences.models import Conference
from ruta.conferences.tests.factories import MINUTES, make_conference
from ruta.lib.fields import encrypted_fields
from ruta.referrals.models import Referral
from ruta.referrals.tests.factories import make_referral
from ruta.transfers import actions as transfer_actions
from ruta.transfers.models import Transfer

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

NOW = dt.datetime(2031, 3, 10, 12, 0, tzinfo=dt.UTC)


def _close_on(case: Case, day: dt.date) -> Case:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=day)
    case.refresh_from_db()
    return case


def _raw(model: type[models.Model], name: str) -> list[str]:
    """The values of an encrypted column as stored, without decrypting."""
    column = model._meta.get_field(name).column
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{model._meta.db_table}"')  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


# --- Every encrypted copy of a case is covered -------------------------------------------
def _links_to_case(model: type[models.Model], depth: int = 3) -> bool:
    if model is Case:
        return True
    if depth == 0:
        return False
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        if isinstance(target, type) and target is not model and _links_to_case(target, depth - 1):
            return True
    return False


def test_every_model_with_encrypted_fields_linked_to_a_case_is_covered() -> None:
    """A new model (in any app) with encrypted fields that hangs from a case must be
    emptied on anonymisation: by the cases walk or by its app's registered hook."""
    linked = {
        model._meta.label
        for model in apps.get_models()
        if encrypted_fields(model) and _links_to_case(model)
    }
    assert {"cases.Incident", "referrals.Referral", "conferences.Conference"} <= linked
    assert linked - retention.covered_models() == set()


def test_the_walk_finds_records_at_any_depth() -> None:
    labels = {model._meta.label for model in retention.case_record_lookups()}
    assert {"cases.Goal", "cases.PlanAction", "cases.Consent", "cases.SafetyPlan"} <= labels
    goal_lookups = [
        lookups
        for model, lookups in retention.case_record_lookups().items()
        if model.__name__ == "Goal"
    ]
    assert goal_lookups == [["plan__case"]]


# --- Anonymising ------------------------------------------------------------------------
def _everything(world: Any) -> Case:
    """A closed case with every encrypted field filled, a referral, a conference with
    minutes and a decision, and a cancelled transfer."""
    case = full_case(world)
    supervisor = world.user("supervisor.care")
    give_consent(world.user("caseworker.care"), case, ConsentPurpose.SHARE, recipient=world.hias)
    make_referral(world, case=case)
    conference = make_conference(world, case)
    conference_actions.save_minutes(supervisor, conference, MINUTES)
    conference_actions.record_decision(supervisor, conference, "Decisión secreta")
    transfer = transfer_actions.request_transfer(supervisor, case, world.hias, "Motivo secreto")
    transfer_actions.cancel_transfer(supervisor, transfer)
    return _close_on(case, dt.date(2020, 1, 1))


def test_anonymising_empties_every_encrypted_field_and_keeps_the_codes(world: Any) -> None:
    case = _everything(world)
    coded = Client.objects.values("sex", "age_band", "nationality", "population_type").get()
    incident_type = Incident.objects.get().gbv_type
    assert retention.anonymise_case(case, AnonymisedReason.RETENTION) is True

    for label in retention.covered_models():
        model = apps.get_model(label)
        for name in encrypted_fields(model):
            values = _raw(model, name)
            assert all(value == "" for value in values), f"{label}.{name} still holds data"
    assert Referral.objects.get().snapshot == ""
    assert Referral.objects.get().status == "revoked"  # nothing left in it to accept
    assert Conference.objects.get().minutes == ""
    assert Conference.objects.get().status == "cancelled"  # nothing new is written about it
    assert Transfer.objects.get().reason == ""

    client = Client.objects.get()
    assert client.document_hash == "" and client.age is None
    assert Client.objects.values("sex", "age_band", "nationality", "population_type").get() == coded
    assert Incident.objects.get().gbv_type == incident_type
    case.refresh_from_db()
    assert case.anonymised_at is not None
    assert case.anonymised_reason == AnonymisedReason.RETENTION
    assert case.status == CaseStatus.CLOSED and case.closed_on == dt.date(2020, 1, 1)
    assert case.risk_level == "urgent"  # coded, kept for the figures (full_case ends urgent)


def test_a_received_copy_is_emptied_when_the_receiving_case_is_anonymised(world: Any) -> None:
    referral = make_referral(world)
    receiving = make_closed_case(world.user("caseworker.hias"), world.user("supervisor.hias"))
    Referral.objects.filter(pk=referral.pk).update(receiver_case=receiving)
    retention.anonymise_case(receiving, AnonymisedReason.RETENTION)
    referral.refresh_from_db()
    assert referral.snapshot == ""
    assert referral.reason != ""  # the sender's own record of its still-open case stays


def test_the_audit_event_holds_counts_only(world: Any) -> None:
    case = _everything(world)
    retention.anonymise_case(case, AnonymisedReason.RETENTION)
    event = AuditEvent.objects.get(action="case.anonymised")
    assert event.object_uuid == case.uuid and event.organization == world.care
    assert set(event.details) == {"reason", "records", "linked"}
    assert event.details["records"] > 10
    assert event.details["linked"] == {"referrals": 1, "conferences": 2, "transfers": 1}
    dumped = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    assert not [secret for secret in GREPPED if secret in dumped]


def test_anonymising_twice_does_nothing_more(world: Any) -> None:
    case = make_closed_case(world.user("caseworker.care"), world.user("supervisor.care"))
    assert retention.anonymise_case(case, AnonymisedReason.RETENTION) is True
    assert retention.anonymise_case(case, AnonymisedReason.RETENTION) is False
    assert AuditEvent.objects.filter(action="case.anonymised").count() == 1


def test_a_client_with_another_live_case_keeps_their_identity(world: Any) -> None:
    caseworker = world.user("caseworker.care")
    first = make_closed_case(caseworker, world.user("supervisor.care"))
    second = make_case(caseworker)
    Case.objects.filter(pk=second.pk).update(client=first.client)
    retention.anonymise_case(first, AnonymisedReason.RETENTION)
    assert Client.objects.get(pk=first.client_id).given_names != ""


# --- Expiry: the boundary, per organization, open cases, dry run -------------------------
def _closed(world: Any, day: dt.date, caseworker: str = "caseworker.care") -> Case:
    return _close_on(make_case(world.user(caseworker)), day)


def test_boundary_a_day_before_stays_a_day_after_goes(world: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        today = timezone.localdate()
        on_the_day = _closed(world, today.replace(year=today.year - 5))
        inside = _closed(world, on_the_day.closed_on + dt.timedelta(days=1))
        outside = _closed(world, on_the_day.closed_on - dt.timedelta(days=1))
        assert retention.anonymise_expired() == 1
    for case in (on_the_day, inside, outside):
        case.refresh_from_db()
    assert outside.anonymised_at is not None
    assert inside.anonymised_at is None and on_the_day.anonymised_at is None


def test_each_organization_keeps_its_own_period(world: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        today = timezone.localdate()
        three_years = today.replace(year=today.year - 3) - dt.timedelta(days=1)
        care_case = _closed(world, three_years)
        hias_case = _closed(world, three_years, "caseworker.hias")
        world.hias.case_retention_years = 2
        world.hias.save()
        assert retention.anonymise_expired() == 1
        with override_settings(RUTA_CASE_RETENTION_YEARS=3):
            assert world.care.retention_years == 3
            assert retention.anonymise_expired() == 1
    care_case.refresh_from_db()
    hias_case.refresh_from_db()
    assert hias_case.anonymised_at is not None and care_case.anonymised_at is not None


def test_open_cases_are_never_touched(world: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        case = make_case(world.user("caseworker.care"), opened_on=dt.date(2001, 1, 1))
        Case.objects.filter(pk=case.pk).update(closed_on=dt.date(2001, 2, 1))  # still open
        assert retention.anonymise_expired() == 0
    case.refresh_from_db()
    assert case.anonymised_at is None and case.client.given_names != ""


def test_dry_run_lists_codes_and_dates_and_writes_nothing(world: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        case = _closed(world, dt.date(2020, 5, 4))
        out = io.StringIO()
        call_command("anonymise_expired_cases", "--dry-run", stdout=out)
    text = out.getvalue()
    assert case.code in text and "2020-05-04" in text and "CARE" in text
    assert "Persona" not in text  # no names
    case.refresh_from_db()
    assert case.anonymised_at is None and case.client.given_names == "Persona"
    assert not AuditEvent.objects.filter(action="case.anonymised").exists()


def test_the_command_anonymises_in_batches_and_is_idempotent(world: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        cases = [_closed(world, dt.date(2019, 1, day)) for day in (1, 2, 3)]
        out = io.StringIO()
        call_command("anonymise_expired_cases", "--batch", "2", stdout=out)
        assert "3" in out.getvalue()
        call_command("anonymise_expired_cases", stdout=out)
    assert Case.objects.filter(anonymised_at__isnull=False).count() == len(cases)
    assert AuditEvent.objects.filter(action="case.anonymised").count() == len(cases)


def test_the_task_anonymises_expired_cases(world: Any) -> None:
    from ruta.cases.tasks import anonymise_expired_cases

    with time_machine.travel(NOW, tick=False):
        _closed(world, dt.date(2019, 1, 1))
        assert anonymise_expired_cases.call() == 1


# --- Read-only ----------------------------------------------------------------------------
@pytest.fixture
def anonymised(world: Any) -> Case:
    case = make_closed_case(world.user("caseworker.care"), world.user("supervisor.care"))
    retention.anonymise_case(case, AnonymisedReason.RETENTION)
    case.refresh_from_db()
    return case


def test_actions_refuse_an_anonymised_case(world: Any, anonymised: Case) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    with pytest.raises(actions.CaseError, match="anonimizado"):
        actions.reopen_case(caseworker, anonymised, "Volver")
    with pytest.raises(actions.CaseError, match="anonimizado"):
        actions.update_client(caseworker, anonymised, {"given_names": "Nueva"})
    with pytest.raises(actions.CaseError, match="anonimizado"):
        actions.reassign(supervisor, anonymised, caseworker)
    consent = anonymised.consents.first()
    assert consent is not None
    with pytest.raises(actions.CaseError, match="anonimizado"):
        actions.withdraw_consent(caseworker, consent)


def test_the_case_page_says_read_only_and_offers_no_changes(
    client: Any, world: Any, anonymised: Case
) -> None:
    verified_login(client, world.user("caseworker.care"))
    page = client.get(reverse("cases:case_detail", args=[anonymised.uuid])).content.decode()
    assert 'id="anonymised"' in page
    assert reverse("cases:reopen", args=[anonymised.uuid]) not in page
    assert reverse("cases:client_edit", args=[anonymised.uuid]) not in page
    response = client.post(reverse("cases:reopen", args=[anonymised.uuid]), {"reason": "Volver"})
    assert response.status_code == 200  # the refusal, on the form
    anonymised.refresh_from_db()
    assert anonymised.status == CaseStatus.CLOSED


def test_the_api_shows_it_and_refuses_writes(client: Any, world: Any, anonymised: Case) -> None:
    verified_login(client, world.user("caseworker.care"))
    detail = client.get(reverse("cases_api:case-detail", kwargs={"uuid": anonymised.uuid})).json()
    assert detail["anonymised_reason"] == AnonymisedReason.RETENTION
    assert detail["anonymised_at"]
    response = client.post(
        reverse("cases_api:follow-up-list", kwargs={"case_uuid": anonymised.uuid}),
        {"kind": "call", "note": "Nueva nota"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not FollowUp.objects.filter(case=anonymised).exists()


# --- Withdrawal of the storage consent -------------------------------------------------
def _storage_withdrawn(world: Any, choice: str) -> Case:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    make_incident(caseworker, case)
    make_follow_up(caseworker, case)
    consent = give_consent(caseworker, case, ConsentPurpose.STORAGE)
    actions.withdraw_consent(caseworker, consent, storage_choice=choice)
    return case


def test_the_storage_withdrawal_needs_the_persons_choice(world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    consent = give_consent(caseworker, case, ConsentPurpose.STORAGE)
    with pytest.raises(actions.CaseError):
        actions.withdraw_consent(caseworker, consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_withdrawal_form_asks_the_choice_and_records_it(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    consent = give_consent(caseworker, case, ConsentPurpose.STORAGE)
    verified_login(client, caseworker)
    url = reverse("cases:consent_withdraw", args=[case.uuid, consent.uuid])
    assert 'name="storage_choice"' in client.get(url).content.decode()
    response = client.post(url, {"note": "Sin nombres"})
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    response = client.post(url, {"storage_choice": StorageChoice.ANONYMISE})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.storage_choice == StorageChoice.ANONYMISE
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert 'id="storage-choice"' in page
    assert reverse("cases:storage_choice", args=[case.uuid]) not in page  # not a supervisor
    case.refresh_from_db()
    assert case.anonymised_at is None  # waits for a supervisor


def test_other_consents_ask_no_choice(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    consent = case.consents.get(purpose=ConsentPurpose.SERVICES)
    verified_login(client, caseworker)
    url = reverse("cases:consent_withdraw", args=[case.uuid, consent.uuid])
    assert 'name="storage_choice"' not in client.get(url).content.decode()
    assert client.post(url, {"note": ""}).status_code == 302


def test_the_supervisor_anonymises_when_the_person_chose_to_keep_it(
    client: Any, world: Any
) -> None:
    case = _storage_withdrawn(world, StorageChoice.ANONYMISE)
    verified_login(client, world.user("supervisor.care"))
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert reverse("cases:storage_choice", args=[case.uuid]) in page
    response = client.post(reverse("cases:storage_choice", args=[case.uuid]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.anonymised_reason == AnonymisedReason.STORAGE_CONSENT_WITHDRAWN
    assert case.status == CaseStatus.CLOSED and case.closed_on == timezone.localdate()
    assert case.client.given_names == "" and Incident.objects.get(case=case).description == ""
    assert retention.pending_storage_withdrawal(case) is None


def test_the_supervisor_erases_when_the_person_chose_erasure(client: Any, world: Any) -> None:
    case = _storage_withdrawn(world, StorageChoice.ERASE)
    referral = make_referral(world)  # another case's referral, received into this one
    Referral.objects.filter(pk=referral.pk).update(receiver_case=case)
    verified_login(client, world.user("supervisor.care"))
    response = client.post(reverse("cases:storage_choice", args=[case.uuid]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_list")
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Client.objects.filter(pk=case.client_id).exists()
    assert not Incident.objects.filter(case_id=case.pk).exists()
    assert not Consent.objects.filter(case_id=case.pk).exists()
    referral.refresh_from_db()
    assert referral.snapshot == "" and referral.receiver_case is None
    event = AuditEvent.objects.get(action="case.erased")
    assert event.object_uuid == case.uuid and event.organization == world.care
    assert set(event.details) == {"records", "linked"}
    assert Client.objects.count() == 1  # the referring case's client only


def test_erasing_takes_referrals_conferences_and_transfers_with_the_case(world: Any) -> None:
    case = _everything(world)
    counts = retention.erase_case(case, world.user("supervisor.care"))
    assert counts["referrals"] == 1 and counts["conferences"] == 1 and counts["transfers"] == 1
    assert not Case.objects.exists() and not Client.objects.exists()
    assert not Referral.objects.exists() and not Conference.objects.exists()
    assert not Transfer.objects.exists()
    dumped = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    assert not [secret for secret in GREPPED if secret in dumped]


def test_only_a_supervisor_of_the_agency_carries_it_out(client: Any, world: Any) -> None:
    case = _storage_withdrawn(world, StorageChoice.ERASE)
    url = reverse("cases:storage_choice", args=[case.uuid])
    for key in ("caseworker.care", "supervisor.hias", "agency_admin.care", "admin"):
        client.logout()
        verified_login(client, world.user(key))
        assert client.post(url).status_code == 404, key
    assert Case.objects.filter(pk=case.pk).exists()
    with pytest.raises(actions.CaseError):
        retention.carry_out_storage_choice(world.user("caseworker.care"), case)


def test_nothing_to_carry_out_without_a_withdrawal(client: Any, world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    verified_login(client, world.user("supervisor.care"))
    response = client.post(reverse("cases:storage_choice", args=[case.uuid]))
    assert response.status_code == 302
    assert Case.objects.filter(pk=case.pk, anonymised_at__isnull=True).exists()


def test_the_today_page_lists_the_choices_waiting(client: Any, world: Any) -> None:
    case = _storage_withdrawn(world, StorageChoice.ANONYMISE)
    other = _storage_withdrawn(world, StorageChoice.ERASE)
    retention.carry_out_storage_choice(world.user("supervisor.care"), other)
    verified_login(client, world.user("supervisor.care"))
    page = client.get(reverse("cases:today")).content.decode()
    assert 'id="today-data"' in page and case.code in page and other.code not in page


def test_a_new_storage_consent_cancels_the_pending_choice(world: Any) -> None:
    case = _storage_withdrawn(world, StorageChoice.ERASE)
    assert retention.pending_storage_withdrawal(case) is not None
    give_consent(world.user("caseworker.care"), case, ConsentPurpose.STORAGE)
    assert retention.pending_storage_withdrawal(case) is None


def test_the_api_records_the_choice(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    consent = give_consent(caseworker, case, ConsentPurpose.STORAGE)
    verified_login(client, caseworker)
    url = reverse(
        "cases_api:consent-withdraw", kwargs={"case_uuid": case.uuid, "uuid": consent.uuid}
    )
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"storage_choice": "erase"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["storage_choice"] == "erase"


def test_the_hooks_are_registered() -> None:
    assert {"referrals.Referral", "transfers.Transfer"} <= extensions.anonymisation_covers()


def test_the_api_carries_out_the_choice_for_a_supervisor_only(client: Any, world: Any) -> None:
    case = _storage_withdrawn(world, StorageChoice.ANONYMISE)
    url = reverse("cases_api:storage-choice", kwargs={"case_uuid": case.uuid})
    verified_login(client, world.user("caseworker.care"))
    assert client.post(url).status_code == 404
    client.logout()
    verified_login(client, world.user("supervisor.care"))
    response = client.post(url)
    assert response.status_code == 200
    assert response.json() == {"case": str(case.uuid), "choice": "anonymise", "erased": False}
    case.refresh_from_db()
    assert case.anonymised_reason == AnonymisedReason.STORAGE_CONSENT_WITHDRAWN
    assert client.post(url).status_code == 400  # nothing waits any more
