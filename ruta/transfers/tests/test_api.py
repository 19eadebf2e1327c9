"""The transfers API: scoped list, create, detail, accept/decline/cancel, 409s."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ruta.cases.access import visible_cases
from ruta.cases.tests.factories import make_case
from ruta.transfers.models import Transfer, TransferStatus
from ruta.transfers.tests.helpers import REASON, requested, shareable_case

LIST = "transfers_api:transfer-list"


def _url(name: str, transfer: Transfer) -> str:
    return reverse(f"transfers_api:transfer-{name}", kwargs={"uuid": transfer.uuid})


def test_create_and_list(world: Any, login: Any, client: Any) -> None:
    case = shareable_case(world)
    login(world.user("supervisor.care"))
    response = client.post(
        reverse(LIST),
        {"case": str(case.uuid), "to_organization": str(world.hias.uuid), "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "requested" and body["case_code"] == case.code
    assert body["to_organization"] == str(world.hias.uuid)
    for who, count in (("supervisor.care", 1), ("supervisor.hias", 1)):
        login(world.user(who))
        assert client.get(reverse(LIST)).json()["count"] == count
    login(world.user("caseworker.care"))
    assert client.get(reverse(LIST)).status_code == 404


def test_create_without_consent_is_409(world: Any, login: Any, client: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    login(world.user("supervisor.care"))
    response = client.post(
        reverse(LIST),
        {"case": str(case.uuid), "to_organization": str(world.hias.uuid), "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"]
    assert response.json()["message"] == response.json()["detail"]  # the API-wide error key


def test_create_for_another_agency_case_is_404(world: Any, login: Any, client: Any) -> None:
    case = shareable_case(world)
    login(world.user("supervisor.hias"))
    response = client.post(
        reverse(LIST),
        {"case": str(case.uuid), "to_organization": str(world.care.uuid), "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_accept_then_every_other_step_is_409(world: Any, login: Any, client: Any) -> None:
    transfer = requested(world)
    login(world.user("supervisor.hias"))
    worker = str(world.user("caseworker.hias").uuid)
    response = client.post(
        _url("accept", transfer), {"caseworker": worker}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert transfer.case in visible_cases(world.user("caseworker.hias"))
    again = client.post(
        _url("accept", transfer), {"caseworker": worker}, content_type="application/json"
    )
    assert again.status_code == 409
    declined = client.post(
        _url("decline", transfer), {"reason": "no"}, content_type="application/json"
    )
    assert declined.status_code == 409
    login(world.user("supervisor.care"))
    assert client.post(_url("cancel", transfer)).status_code == 409


def test_accept_with_a_caseworker_of_another_agency_is_400(
    world: Any, login: Any, client: Any
) -> None:
    transfer = requested(world)
    login(world.user("supervisor.hias"))
    response = client.post(
        _url("accept", transfer),
        {"caseworker": str(world.user("caseworker.care").uuid)},
        content_type="application/json",
    )
    assert response.status_code == 400
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED


@pytest.mark.parametrize("step", ["decline", "cancel"])
def test_decline_and_cancel(world: Any, login: Any, client: Any, step: str) -> None:
    transfer = requested(world)
    login(world.user("supervisor.hias" if step == "decline" else "supervisor.care"))
    response = client.post(_url(step, transfer), {"reason": "Sin cupo"})
    assert response.status_code == 200, response.content
    transfer.refresh_from_db()
    assert transfer.status == {"decline": "declined", "cancel": "cancelled"}[step]
    # The wrong side cannot do it: 400 (not theirs) before any state change.
    other = requested(world, shareable_case(world))
    login(world.user("supervisor.care" if step == "decline" else "supervisor.hias"))
    assert client.post(_url(step, other), {"reason": "x"}).status_code == 400


def test_detail_is_404_outside_both_agencies(world: Any, login: Any, client: Any) -> None:
    transfer = requested(world)
    login(world.user("supervisor.care"))
    assert client.get(_url("detail", transfer)).status_code == 200
    from conftest import make_user

    login(make_user("sup.otra@test.org", "supervisor", world.outsider_org))
    assert client.get(_url("detail", transfer)).status_code == 404


def test_schema_documents_the_routes(world: Any, login: Any, client: Any) -> None:
    login(world.user("supervisor.care"))
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/transfers/{uuid}/accept/" in paths
    assert "409" in paths["/api/v1/transfers/{uuid}/accept/"]["post"]["responses"]


@pytest.mark.parametrize("ending", ["cancelled", "consent withdrawn"])
def test_list_and_detail_hide_the_reason_alike(
    world: Any, login: Any, client: Any, ending: str
) -> None:
    """The receiver reads the reason in neither the list nor the detail once the transfer
    was cancelled or the consent to share withdrawn; the sender reads it in both."""
    from ruta.cases.actions import withdraw_consent
    from ruta.transfers.actions import cancel_transfer

    transfer = requested(world)
    if ending == "cancelled":
        cancel_transfer(world.user("supervisor.care"), transfer)
    else:
        consent = transfer.case.consents.get(purpose="share", recipient=world.hias)
        withdraw_consent(world.user("supervisor.care"), consent)
    for who, shown in (("supervisor.hias", ""), ("supervisor.care", REASON)):
        login(world.user(who))
        listed = client.get(reverse(LIST)).json()["results"]
        assert [row["reason"] for row in listed] == [shown], who
        assert client.get(_url("detail", transfer)).json()["reason"] == shown, who
