"""The transfer pages through HTTP: request, inbox, detail, answers, transferred-out view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from ruta.audit.models import AuditEvent
from ruta.cases.tests.factories import (
    make_assessment,
    make_case,
    make_follow_up,
    make_incident,
)
from ruta.transfers import actions
from ruta.transfers.models import Transfer, TransferStatus
from ruta.transfers.tests.helpers import REASON, accepted, requested, shareable_case

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks


def test_request_page_creates_the_transfer(world: Any, login: Any) -> None:
    case = shareable_case(world)
    client = login(world.user("supervisor.care"))
    url = reverse("transfers:request", kwargs={"case_uuid": case.uuid})
    page = client.get(url)
    assert page.status_code == 200
    assert "HIAS Perú" in page.content.decode()
    response = client.post(url, {"to_organization": str(world.hias.uuid), "reason": REASON})
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfers:detail", args=[transfer.uuid])


def test_request_without_consent_shows_the_reason_and_keeps_the_text(
    world: Any, login: Any
) -> None:
    case = make_case(world.user("caseworker.care"))
    client = login(world.user("supervisor.care"))
    url = reverse("transfers:request", kwargs={"case_uuid": case.uuid})
    response = client.post(url, {"to_organization": str(world.hias.uuid), "reason": REASON})
    assert response.status_code == 409
    body = response.content.decode()
    assert "consentimiento" in body.lower() or "consent" in body.lower()
    assert REASON in body
    assert not Transfer.objects.exists()


def test_request_page_is_404_for_another_agency_case(world: Any, login: Any) -> None:
    case = shareable_case(world)
    client = login(world.user("supervisor.hias"))
    url = reverse("transfers:request", kwargs={"case_uuid": case.uuid})
    assert client.get(url).status_code == 404


def test_inbox_lists_incoming_and_pins_queries(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(4):
        requested(world)
    client = login(world.user("supervisor.hias"))
    with django_assert_max_num_queries(12):  # 2 for the page's audit event
        response = client.get(reverse("transfers:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count("CARE-") >= 4


def test_detail_visible_to_both_sides_only(world: Any, login: Any, client: Any) -> None:
    transfer = requested(world)
    url = reverse("transfers:detail", args=[transfer.uuid])
    for who, code in (
        ("supervisor.care", 200),
        ("supervisor.hias", 200),
        ("caseworker.care", 404),
    ):
        login(world.user(who))
        assert client.get(url).status_code == code, who
    other = make_user("sup.otra@test.org", "supervisor", world.outsider_org)
    login(other)
    assert client.get(url).status_code == 404


def test_accept_through_the_page(world: Any, login: Any) -> None:
    transfer = requested(world)
    client = login(world.user("supervisor.hias"))
    url = reverse("transfers:accept", args=[transfer.uuid])
    assert "Caseworker Hias" in client.get(url).content.decode()
    response = client.post(url, {"caseworker": str(world.user("caseworker.hias").uuid)})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    # A second answer is an illegal transition: 409 with the message.
    again = client.post(reverse("transfers:decline", args=[transfer.uuid]), {"reason": "tarde"})
    assert again.status_code == 409
    assert "tarde" in again.content.decode()


@pytest.mark.parametrize(
    ("who", "step"),
    [("supervisor.care", "accept"), ("supervisor.care", "decline"), ("supervisor.hias", "cancel")],
)
def test_answer_pages_are_404_for_the_wrong_side(
    world: Any, login: Any, who: str, step: str
) -> None:
    transfer = requested(world)
    client = login(world.user(who))
    url = reverse(f"transfers:{step}", args=[transfer.uuid])
    assert client.get(url).status_code == 404
    data = {"caseworker": str(world.user("caseworker.care").uuid), "reason": "x", "confirm": "on"}
    assert client.post(url, data).status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED


def test_cancel_needs_the_confirmation(world: Any, login: Any) -> None:
    transfer = requested(world)
    client = login(world.user("supervisor.care"))
    url = reverse("transfers:cancel", args=[transfer.uuid])
    assert client.post(url, {}).status_code == 200
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED
    assert client.post(url, {"confirm": "on"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED


# --- What the sender keeps ---------------------------------------------------------------
def _history(world: Any) -> tuple[Transfer, Any]:
    care_worker = world.user("caseworker.care")
    case = shareable_case(world)
    make_follow_up(care_worker, case, note="Nota CARE antes")
    make_assessment(care_worker, case, narrative="Evaluación CARE antes")
    make_incident(care_worker, case, description="Incidente CARE antes")
    transfer = accepted(world, case)
    case.refresh_from_db()
    hias_worker = world.user("caseworker.hias")
    make_follow_up(hias_worker, case, note="Nota HIAS después")
    make_assessment(hias_worker, case, narrative="Evaluación HIAS después")
    return transfer, case


@pytest.mark.parametrize("who", ["supervisor.care", "caseworker.care"])
def test_sender_sees_only_its_own_earlier_entries(world: Any, login: Any, who: str) -> None:
    transfer, case = _history(world)
    client = login(world.user(who))
    assert client.get(reverse("cases:case_detail", args=[case.uuid])).status_code == 404
    before = AuditEvent.objects.filter(action="case.read", object_uuid=case.uuid).count()
    response = client.get(reverse("transfers:transferred_out", args=[transfer.uuid]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nota CARE antes" in body and "Evaluación CARE antes" in body
    assert "Incidente CARE antes" in body
    assert "HIAS después" not in body
    assert "Persona" not in body  # no client identity
    after = AuditEvent.objects.filter(action="case.read", object_uuid=case.uuid).count()
    assert after == before + 1
    listing = client.get(reverse("transfers:transferred_out_list"))
    assert case.code in listing.content.decode()


@pytest.mark.parametrize("who", ["supervisor.hias", "caseworker.hias", "helpline.care"])
def test_transferred_out_view_is_not_for_others(world: Any, login: Any, who: str) -> None:
    transfer, _case = _history(world)
    client = login(world.user(who))
    response = client.get(reverse("transfers:transferred_out", args=[transfer.uuid]))
    assert response.status_code in (403, 404)


def test_transferred_out_view_is_404_with_setting_none(
    world: Any, login: Any, settings: Any
) -> None:
    transfer, _case = _history(world)
    settings.RUTA_TRANSFER_SENDER_ACCESS = "none"
    client = login(world.user("supervisor.care"))
    assert client.get(reverse("transfers:transferred_out", args=[transfer.uuid])).status_code == 404


def test_transfer_accepted_under_setting_none_stays_closed(
    world: Any, login: Any, settings: Any
) -> None:
    settings.RUTA_TRANSFER_SENDER_ACCESS = "none"
    transfer = accepted(world)
    settings.RUTA_TRANSFER_SENDER_ACCESS = "own_entries"
    client = login(world.user("supervisor.care"))
    assert client.get(reverse("transfers:transferred_out", args=[transfer.uuid])).status_code == 404


def test_entries_after_the_transfer_date_by_sender_people_are_hidden(world: Any) -> None:
    from ruta.transfers.access import own_entries

    transfer, _case = _history(world)
    transfer.decided_at = timezone.now() - dt.timedelta(days=1)
    transfer.save(update_fields=["decided_at"])
    assert own_entries(transfer) == []


def test_receiver_loses_the_reason_once_declined_and_reads_are_audited(
    world: Any, login: Any
) -> None:
    transfer = requested(world)
    client = login(world.user("supervisor.hias"))
    url = reverse("transfers:detail", args=[transfer.uuid])
    assert REASON in client.get(url).content.decode()
    api = reverse("transfers_api:transfer-detail", args=[transfer.uuid])
    assert client.get(api).json()["reason"] == REASON
    actions.decline_transfer(world.user("supervisor.hias"), transfer, "Sin cupo")
    assert REASON not in client.get(url).content.decode()
    assert client.get(api).json()["reason"] == ""
    assert AuditEvent.objects.filter(action="transfer.read").count() == 4
    sender = login(world.user("supervisor.care"))
    assert REASON in sender.get(url).content.decode()


def test_transfer_notification_links_to_the_transfer(
    world: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        transfer = requested(world)
    client = login(world.user("supervisor.hias"))
    page = client.get(reverse("notifications:list")).content.decode()
    assert reverse("transfers:detail", args=[transfer.uuid]) in page
