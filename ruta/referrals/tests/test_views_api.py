"""Referral pages and API: the receiver never reads beyond the snapshot; 409 on refusals."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from conftest import make_user, verified_login
from ruta.audit.models import AuditEvent
from ruta.cases import actions as case_actions
from ruta.cases.models import Case
from ruta.cases.tests.factories import (
    ALIAS,
    CODE_WORD,
    DOCUMENT_NUMBER,
    FAMILY_NAMES,
    PHONE,
    make_case,
)
from ruta.directory.tests.factories import make_service
from ruta.exports.models import SecureExport
from ruta.referrals import actions
from ruta.referrals.models import Referral, ReferralStatus
from ruta.referrals.tests.factories import hias_service, make_referral

SECRETS = (FAMILY_NAMES, PHONE, DOCUMENT_NUMBER)


def _detail(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"referral_uuid": referral.uuid})


def _api(referral: Referral, action: str = "") -> str:
    if action:
        return reverse(f"referrals_api:referral-{action}", kwargs={"uuid": referral.uuid})
    return reverse("referrals_api:referral-detail", kwargs={"uuid": referral.uuid})


def test_receiver_sees_the_snapshot_and_nothing_more(client: Any, world: Any) -> None:
    referral = make_referral(world)
    verified_login(client, world.user("supervisor.hias"))
    page = client.get(_detail(referral)).content.decode()
    assert ALIAS in page and CODE_WORD in page
    assert not any(secret in page for secret in SECRETS)
    assert referral.case.code not in page
    case_page = reverse("cases:case_detail", kwargs={"case_uuid": referral.case.uuid})
    assert client.get(case_page).status_code == 404
    data = client.get(_api(referral)).json()
    assert data["case"] is None and data["side"] == "receiver"
    assert {row["key"] for row in data["shared"]} == {
        "name",
        "age_band",
        "sex",
        "languages",
        "needs",
        "safe_contact",
        "reason",
    }
    assert not any(secret in str(data) for secret in SECRETS)
    assert AuditEvent.objects.filter(action="referral.read").count() == 2


def test_withdrawal_hides_the_snapshot_at_once(client: Any, world: Any) -> None:
    referral = make_referral(world)
    case_actions.withdraw_consent(world.user("caseworker.care"), referral.consent)
    verified_login(client, world.user("supervisor.hias"))
    page = client.get(_detail(referral)).content.decode()
    assert ALIAS not in page and CODE_WORD not in page
    assert client.get(_api(referral)).json()["shared"] is None


def test_other_agencies_and_unassigned_caseworkers_get_404(client: Any, world: Any) -> None:
    referral = make_referral(world)
    for key in ("outsider", "caseworker.hias", "helpline.hias", "agency_admin.hias"):
        verified_login(client, world.user(key))
        assert client.get(_detail(referral)).status_code in (403, 404), key
        assert client.get(_api(referral)).status_code in (403, 404), key
        client.logout()
    verified_login(client, world.user("outsider"))
    assert client.get(_detail(referral)).status_code == 404


def test_send_page_keeps_input_and_explains_the_missing_consent(client: Any, world: Any) -> None:
    sender = world.user("caseworker.care")
    case = make_case(sender)
    service = hias_service(world)
    verified_login(client, sender)
    url = reverse("referrals:send", kwargs={"case_uuid": case.uuid, "service_uuid": service.uuid})
    page = client.get(url)
    assert page.status_code == 200
    assert ALIAS in page.content.decode()  # the preview of what each box shares
    answer = client.post(
        url, {"fields_to_share": ["name", "sex"], "urgency": "urgent", "reason": "Escrito"}
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Escrito" in body
    assert re.search(r'value="urgent"[^>]*checked', body)
    assert not re.search(r'value="needs"[^>]*checked', body)  # unticked boxes stay unticked
    assert not Referral.objects.exists()
    answer = client.post(
        url,
        {
            "fields_to_share": ["name", "sex"],
            "urgency": "urgent",
            "reason": "Escrito",
            "record_consent": "on",
            "method": "verbal",
            "given_by": "self",
        },
    )
    referral = Referral.objects.get()
    assert answer.status_code == 302 and answer["Location"] == _detail(referral)
    assert referral.shared_fields == ["name", "sex"] and referral.urgency == "urgent"


def test_picker_lists_services_with_intake_and_track_record(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    sender = world.user("caseworker.care")
    case = make_case(sender)
    for number in range(6):
        make_service(world.hias, f"Servicio {number}", terms=("psychosocial_support",))
    verified_login(client, sender)
    url = reverse("referrals:pick", kwargs={"case_uuid": case.uuid})
    # The same with 6 or 20 services (no N+1); two read the network's countries and regions.
    with django_assert_max_num_queries(23):
        page = client.get(url, {"sector": "psychosocial_support"})
    assert page.status_code == 200
    assert page.content.decode().count("Servicio ") >= 6


def test_journey_through_the_api(client: Any, world: Any) -> None:
    sender = world.user("caseworker.care")
    case = make_case(sender)
    service = hias_service(world)
    verified_login(client, sender)
    body = {"case": str(case.uuid), "service": str(service.uuid), "shared_fields": ["name"]}
    refused = client.post(reverse("referrals_api:referral-list"), body, "application/json")
    assert refused.status_code == 409
    assert refused.json()["message"] == refused.json()["detail"]  # the API-wide error key
    case_actions.record_consent(
        sender, case, purpose="share", method="verbal", recipient=world.hias
    )
    created = client.post(reverse("referrals_api:referral-list"), body, "application/json")
    assert created.status_code == 201, created.content
    referral = Referral.objects.get(uuid=created.json()["uuid"])
    assert created.json()["case"] == str(case.uuid)
    assert client.post(_api(referral, "accept"), {}, "application/json").status_code == 409
    client.logout()
    verified_login(client, world.user("supervisor.hias"))
    listed = client.get(reverse("referrals_api:referral-list"), {"side": "received"}).json()
    assert [r["uuid"] for r in listed["results"]] == [str(referral.uuid)]
    accepted = client.post(
        _api(referral, "accept"),
        {"assign_to": str(world.user("caseworker.hias").uuid), "case_type": "mhpss"},
        "application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = client.post(_api(referral, "decline"), {"reason": "other"}, "application/json")
    assert again.status_code == 409
    done = client.post(
        _api(referral, "complete"),
        {"outcome": "provided", "feedback": "Atendida"},
        "application/json",
    )
    assert done.json()["status"] == "completed"
    assert Case.objects.filter(organization=world.hias, case_type="mhpss").count() == 1
    client.logout()
    verified_login(client, sender)
    assert client.get(_api(referral)).json()["outcome"] == "provided"


def test_refused_step_in_html_answers_409_with_the_message(client: Any, world: Any) -> None:
    referral = make_referral(world)
    actions.revoke_referral(world.user("caseworker.care"), referral)
    verified_login(client, world.user("supervisor.hias"))
    answer = client.post(
        reverse("referrals:decline", kwargs={"referral_uuid": referral.uuid}),
        {"reason": "no_capacity"},
    )
    assert answer.status_code == 409
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED


def test_inbox_lists_received_with_pinned_queries(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        make_referral(world)
    verified_login(client, world.user("supervisor.hias"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("referrals:inbox"))
    assert page.content.decode().count("D-20") >= 5
    verified_login(client, world.user("caseworker.care"))
    sent = client.get(reverse("referrals:inbox"), {"side": "sent"}).content.decode()
    assert sent.count("D-20") >= 5


def test_printed_form_has_only_the_chosen_fields(client: Any, world: Any) -> None:
    service = make_service(world.outsider_org, "Servicio fuera de Ruta")
    referral = make_referral(world, service=service, fields=("name", "age_band"))
    verified_login(client, world.user("caseworker.care"))
    url = reverse("referrals:form_pdf", kwargs={"referral_uuid": referral.uuid})
    # Never served on the spot: asked for, made in the background, kept under My exports.
    assert client.get(url).status_code == 405
    asked = client.post(url)
    assert asked.status_code == 302 and asked["Location"].endswith(reverse("exports:list"))
    assert b"%PDF" not in asked.content
    assert client.get(f"/derivaciones/{referral.uuid}/formulario.pdf").status_code == 404
    export = SecureExport.objects.get(kind="referral_form", owner=world.user("caseworker.care"))
    answer = client.get(reverse("exports:download", args=[export.uuid]))
    assert answer["Content-Type"] == "application/pdf"
    assert "no-store" in answer["Cache-Control"]
    text = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=answer.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert referral.reference in text and ALIAS in text
    assert CODE_WORD not in text and PHONE not in text


@pytest.mark.parametrize("key", ["supervisor.hias"])
def test_notification_links_to_the_referral(
    client: Any, world: Any, key: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(world)
    verified_login(client, world.user(key))
    page = client.get(reverse("notifications:list")).content.decode()
    assert _detail(referral) in page and referral.reference in page


def test_accepting_never_copies_the_unshared_case_type(client: Any, world: Any) -> None:
    referral = make_referral(world, fields=("name",))
    verified_login(client, world.user("supervisor.hias"))
    refused = client.post(_api(referral, "accept"), {}, "application/json")
    assert refused.status_code == 409
    assert not Case.objects.filter(organization=world.hias).exists()


def test_only_a_case_the_person_follows_can_be_linked(client: Any, world: Any) -> None:

    other_worker = make_user("second.worker@test.org", "caseworker", world.hias)
    someone_elses = make_case(other_worker)
    referral = make_referral(world)
    boss = world.user("supervisor.hias")
    actions.assign_referral(boss, referral, world.user("caseworker.hias"))
    verified_login(client, world.user("caseworker.hias"))
    answer = client.post(
        reverse("referrals:accept", kwargs={"referral_uuid": referral.uuid}),
        {"case_type": "gbv", "link_case": someone_elses.code},
    )
    assert answer.status_code == 400
    api = client.post(
        _api(referral, "accept"), {"link_case": someone_elses.code}, "application/json"
    )
    assert api.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and referral.receiver_case is None


def test_schema_documents_the_referral_list_as_a_page(client: Any) -> None:
    paths = client.get(reverse("api:schema"), {"format": "json"}).json()
    listed = paths["paths"]["/api/v1/referrals/"]["get"]["responses"]["200"]
    ref = listed["content"]["application/json"]["schema"]["$ref"]
    page = paths["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"count", "page", "results"}
    assert page["properties"]["results"]["type"] == "array"


def test_list_refuses_an_unknown_filter_value(client: Any, world: Any) -> None:
    verified_login(client, world.user("caseworker.care"))
    url = reverse("referrals_api:referral-list")
    for params in ({"status": "AAA"}, {"side": "both"}):
        response = client.get(url, params)
        assert response.status_code == 400, params
        assert set(response.json()["errors"]) == set(params)
    assert client.get(url, {"status": "sent", "side": "sent"}).status_code == 200


def test_the_printed_form_is_refused_to_others_and_after_a_revocation(
    client: Any, world: Any
) -> None:
    service = make_service(world.outsider_org, "Servicio fuera de Ruta")
    referral = make_referral(world, service=service)
    url = reverse("referrals:form_pdf", kwargs={"referral_uuid": referral.uuid})
    for key in ("caseworker.hias", "supervisor.hias", "agency_admin.care"):
        verified_login(client, world.user(key))
        assert client.post(url).status_code == 404
    assert not SecureExport.objects.exists()
    verified_login(client, world.user("caseworker.care"))
    client.post(url)
    export = SecureExport.objects.get(kind="referral_form")
    # Another caseworker of the same agency cannot fetch the sender's file.
    colleague = make_user("caseworker2.care@test.org", "caseworker", world.care)
    verified_login(client, colleague)
    assert client.get(reverse("exports:download", args=[export.uuid])).status_code == 404
