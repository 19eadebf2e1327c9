"""The case API: who sees what (404 outside scope), writes through actions, audit, schema, queries."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.cases import actions
from ruta.cases.models import ApprovalKind, Case, Client, Consent, FollowUp
from ruta.cases.tests import factories
from ruta.cases.tests.factories import (
    answers_for,
    make_case,
    make_closed_case,
    make_plan,
)
from ruta.notifications.models import Notification, NotificationKind

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

CASES = reverse("cases_api:case-list")
ALL_USERS = [
    "admin",
    "coordinator",
    "analyst",
    "outsider",
    *[
        f"{role}.{org}"
        for org in ("care", "hias")
        for role in ("agency_admin", "supervisor", "caseworker", "helpline")
    ],
]
CASE_ROLES = {"supervisor", "caseworker"}


def case_url(case: Case) -> str:
    return reverse("cases_api:case-detail", kwargs={"uuid": case.uuid})


def nested(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases_api:{name}", kwargs={"case_uuid": case.uuid, **kwargs})


def send(client: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def reads(what: str) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.filter(action="case.read") if e.details["what"] == what]


@pytest.fixture
def cases(world: Any) -> dict[str, Case]:
    """One case per CARE caseworker and supervisor, one HIAS case."""
    return {
        "care": make_case(world.user("caseworker.care")),
        "care_supervisor": make_case(world.user("supervisor.care"), case_type="mhpss"),
        "hias": make_case(world.user("caseworker.hias")),
    }


def expected_visible(key: str) -> set[str] | None:
    """Which fixture cases ``key`` may see; None when the role has no case access (404)."""
    role, _dot, org = key.partition(".")
    if key == "outsider":
        return set()
    if role not in CASE_ROLES:
        return None
    if role == "supervisor":
        return {"care", "care_supervisor"} if org == "care" else {"hias"}
    return {"care"} if org == "care" else {"hias"}


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ALL_USERS)
def test_each_role_lists_and_reads_only_what_it_may(
    client: Any, world: Any, login: Any, cases: dict[str, Case], key: str
) -> None:
    login(world.user(key))
    visible = expected_visible(key)
    listing = client.get(CASES)
    if visible is None:
        assert listing.status_code == 404
        assert listing.json()["message"]
    else:
        assert listing.status_code == 200
        codes = {item["code"] for item in listing.json()["results"]}
        assert codes == {cases[name].code for name in visible}
    for name, case in cases.items():
        response = client.get(case_url(case))
        if visible is None:
            assert response.status_code == 404, (key, name)
        elif name in visible:
            assert response.status_code == 200, (key, name)
            assert response.json()["code"] == case.code
        else:
            assert response.status_code == 404, (key, name)
        # Nested reads follow the same rule.
        consents = client.get(nested("consent-list", case))
        expected = 404 if visible is None else (200 if name in visible else 404)
        assert consents.status_code == expected, (key, name)


def test_hias_caseworker_sees_none_of_care(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    login(world.user("caseworker.hias"))
    body = client.get(CASES).json()
    assert [item["code"] for item in body["results"]] == [cases["hias"].code]
    care = cases["care"]
    for url in (
        case_url(care),
        nested("plan", care),
        nested("measures", care) if False else nested("measure-list", care),
        nested("safety-plan", care),
    ):
        assert client.get(url).status_code == 404, url
    # Writing to another agency's case is 404 too, and changes nothing.
    refused = send(client, "post", nested("follow-up-list", care), {"kind": "call"})
    assert refused.status_code == 404
    patched = send(client, "patch", case_url(care), {"risk_level": "urgent"})
    assert patched.status_code == 404
    care.refresh_from_db()
    assert care.risk_level == "low"
    assert not FollowUp.objects.filter(case=care).exists()


def test_unknown_case_is_404_and_anonymous_is_401(client: Any, world: Any, login: Any) -> None:
    assert client.get(CASES).status_code == 401
    login(world.user("supervisor.care"))
    missing = client.get(reverse("cases_api:case-detail", kwargs={"uuid": uuid.uuid4()}))
    assert missing.status_code == 404
    assert missing.json()["message"]


def test_list_hides_identity_and_detail_shows_it(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    login(world.user("caseworker.care"))
    listed = client.get(CASES).content.decode()
    for secret in (factories.GIVEN_NAMES, factories.PHONE, factories.RISK_REASON, "client"):
        assert secret not in listed
    detail = client.get(case_url(cases["care"])).json()
    assert detail["client"]["given_names"] == factories.GIVEN_NAMES
    assert detail["client"]["phone"] == factories.PHONE
    assert detail["client"]["code_word"] == factories.CODE_WORD
    assert detail["active_consents"] == [{"purpose": "services", "recipient": None}]
    assert detail["caseworker"]["uuid"] == str(world.user("caseworker.care").uuid)


def test_list_filters_and_pagination(client: Any, world: Any, login: Any) -> None:
    supervisor = world.user("supervisor.care")
    make_case(world.user("caseworker.care"), risk_level="urgent")
    make_case(world.user("caseworker.care"), case_type="child_protection", age=9)
    make_case(supervisor, case_type="mhpss")
    login(supervisor)

    def codes(**params: Any) -> int:
        response = client.get(CASES, params)
        assert response.status_code == 200, response.json()
        return int(response.json()["count"])

    assert codes() == 3
    assert codes(risk_level="urgent") == 1
    assert codes(case_type="mhpss") == 1
    assert codes(case_type="child_protection", status="open") == 1
    assert codes(stage="intake") == 3
    assert codes(stage="assessment") == 0
    bad = client.get(CASES, {"risk_level": "apocalyptic"})
    assert bad.status_code == 400
    assert "risk_level" in bad.json()["errors"]
    assert set(client.get(CASES).json()) >= {"count", "next", "previous", "results"}


# --- Create and update ---------------------------------------------------------------------


def new_case(**client: Any) -> dict[str, Any]:
    fields = factories.client_fields(**client)
    fields.pop("age", None)
    return {
        "case_type": "gbv",
        "risk_level": "high",
        "risk_reason": "Amenazas recientes",
        "client": {**fields, "age": 27, "disability": {"seeing": "a_lot"}},
    }


def test_create_registers_client_and_warns_of_duplicate_document(
    client: Any, world: Any, login: Any
) -> None:
    caseworker = world.user("caseworker.care")
    login(caseworker)
    body = new_case(document_number="PA-778899")
    first = send(client, "post", CASES, body)
    assert first.status_code == 201, first.json()
    created = first.json()
    assert created["duplicate_document"] is False
    assert created["code"].startswith("CARE-")
    assert created["caseworker"]["uuid"] == str(caseworker.uuid)
    assert created["client"]["age_band"] == "26-59"
    assert created["client"]["has_disability"] is True
    assert created["risk_level"] == "high"
    case = Case.objects.get(uuid=created["uuid"])
    assert case.client.document_number == "PA-778899"
    # Stored encrypted: the raw row never holds the name or the document number.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, document_number FROM cases_client WHERE id = %s",
            [case.client_id],
        )
        raw = cursor.fetchone()
    assert factories.GIVEN_NAMES not in raw[0] and "778899" not in raw[1]
    assert AuditEvent.objects.filter(action="case.opened", object_uuid=case.uuid).exists()

    # The same document, written differently, is flagged (compared before creating).
    again = send(client, "post", CASES, new_case(document_number="pa 778899"))
    assert again.status_code == 201
    assert again.json()["duplicate_document"] is True
    # Another agency's client with that number is not this agency's business.
    login(world.user("caseworker.hias"))
    other = send(client, "post", CASES, new_case(document_number="PA-778899"))
    assert other.json()["duplicate_document"] is False


def test_create_with_invalid_fields_is_a_400_with_field_errors(
    client: Any, world: Any, login: Any
) -> None:
    login(world.user("caseworker.care"))
    body = new_case()
    body.pop("case_type")
    body["client"].update(sex="robot", nationality="XX", disability={"flying": "no"})
    response = send(client, "post", CASES, body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["message"]
    assert "case_type" in payload["errors"]
    assert {"sex", "nationality", "disability"} <= set(payload["errors"]["client"])
    assert not Case.objects.exists() and not Client.objects.exists()


def test_assignment_rules_on_create(
    client: Any, world: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caseworker = world.user("caseworker.care")
    login(world.user("supervisor.care"))
    with django_capture_on_commit_callbacks(execute=True):
        assigned = send(client, "post", CASES, {**new_case(), "caseworker": str(caseworker.uuid)})
    assert assigned.status_code == 201, assigned.json()
    assert assigned.json()["caseworker"]["uuid"] == str(caseworker.uuid)
    assert Notification.objects.filter(
        recipient=caseworker, kind=NotificationKind.ASSIGNED
    ).exists()
    # Another agency's caseworker is not a choice.
    foreign = {**new_case(), "caseworker": str(world.user("caseworker.hias").uuid)}
    refused = send(client, "post", CASES, foreign)
    assert refused.status_code == 400
    assert "caseworker" in refused.json()["errors"]
    # A caseworker cannot hand a new case to a colleague: the action refuses (400 detail).
    login(caseworker)
    own = send(
        client, "post", CASES, {**new_case(), "caseworker": str(world.user("supervisor.care").uuid)}
    )
    assert own.status_code == 400
    assert own.json()["detail"] == own.json()["message"]
    assert "supervisor" in own.json()["detail"]


def test_patch_changes_risk_stage_and_client_through_actions(
    client: Any,
    world: Any,
    login: Any,
    cases: dict[str, Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = cases["care"]
    login(world.user("caseworker.care"))
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            "patch",
            case_url(case),
            {
                "risk_level": "urgent",
                "risk_reason": "Amenaza de muerte",
                "stage": "assessment",
                "client": {"phone": "+51 900 999 888", "safe_to_call": False},
            },
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["risk_level"], body["risk_reason"], body["stage"]) == (
        "urgent",
        "Amenaza de muerte",
        "assessment",
    )
    assert body["client"]["phone"] == "+51 900 999 888"
    assert body["client"]["safe_to_call"] is False
    assert body["client"]["given_names"] == factories.GIVEN_NAMES  # untouched
    done = set(AuditEvent.objects.filter(object_uuid=case.uuid).values_list("action", flat=True))
    assert {"case.risk_changed", "case.stage_changed", "case.client_updated"} <= done
    assert Notification.objects.filter(kind=NotificationKind.URGENT_RISK).exists()
    # Closure is not a stage one sets: refused with the action's message, nothing changes.
    refused = send(client, "patch", case_url(case), {"stage": "closure", "risk_level": "low"})
    assert refused.status_code == 400
    assert refused.json()["detail"]
    case.refresh_from_db()
    assert (case.stage, case.risk_level) == ("assessment", "urgent")


# --- Consents ------------------------------------------------------------------------------


def test_consent_record_and_withdraw(client: Any, world: Any, login: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker, consent=False)
    login(caseworker)
    url = nested("consent-list", case)
    share = send(client, "post", url, {"purpose": "share", "method": "written"})
    assert share.status_code == 400
    assert "organizaci" in share.json()["detail"]  # Spanish by default
    shared = send(
        client,
        "post",
        url,
        {"purpose": "share", "method": "written", "recipient": str(world.hias.uuid)},
    )
    assert shared.status_code == 201, shared.json()
    assert shared.json()["recipient"] == str(world.hias.uuid)
    unknown = send(
        client,
        "post",
        url,
        {"purpose": "share", "method": "written", "recipient": str(uuid.uuid4())},
    )
    assert unknown.status_code == 400
    assert "recipient" in unknown.json()["errors"]
    services = send(client, "post", url, {"purpose": "services", "method": "verbal"})
    assert services.status_code == 201
    listed = client.get(url).json()
    assert {item["purpose"] for item in listed} == {"share", "services"}
    assert all(item["is_active"] for item in listed)

    withdraw = nested("consent-withdraw", case, uuid=services.json()["uuid"])
    done = send(client, "post", withdraw, {"note": "Ya no desea el servicio"})
    assert done.status_code == 200, done.json()
    assert done.json()["is_active"] is False
    assert done.json()["withdrawn_by"] == str(caseworker.uuid)
    again = send(client, "post", withdraw, {})
    assert again.status_code == 400
    assert again.json()["detail"]
    # Without the services consent, recording work is refused with 409.
    refused = send(client, "post", nested("follow-up-list", case), {"kind": "call"})
    assert refused.status_code == 409
    assert "consent" in refused.json()["detail"].lower() or refused.json()["detail"]
    # Another case's consent is not reachable through this case.
    other = make_case(caseworker)
    foreign = nested("consent-withdraw", other, uuid=services.json()["uuid"])
    assert send(client, "post", foreign, {}).status_code == 404


def test_consent_refused_is_409_and_child_rules_are_400(
    client: Any, world: Any, login: Any
) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker, consent=False)
    login(caseworker)
    for name, body in (
        ("follow-up-list", {"kind": "call", "note": "Llamada"}),
        ("measure-list", {"instrument": "who5", "answers": [3] * 5}),
        ("assessment-list", {"needs": {"safety": "high"}, "risk_level": "medium"}),
        ("goal-list", {"need": "safety", "description": "Meta"}),
        ("safety-plan", {"risks": "Riesgo"}),
    ):
        method = "put" if name == "safety-plan" else "post"
        response = send(client, method, nested(name, case), body)
        assert response.status_code == 409, (name, response.json())
        assert response.json()["detail"] == response.json()["message"]
    assert not FollowUp.objects.filter(case=case).exists()

    child = make_case(caseworker, consent=False, age=9)
    refused = send(
        client,
        "post",
        nested("consent-list", child),
        {"purpose": "services", "method": "verbal", "given_by": "self"},
    )
    assert refused.status_code == 400
    assert refused.json()["detail"]
    assert not Consent.objects.filter(case=child).exists()
    ok = send(
        client,
        "post",
        nested("consent-list", child),
        {
            "purpose": "services",
            "method": "verbal",
            "given_by": "caregiver",
            "child_assent": "given",
        },
    )
    assert ok.status_code == 201, ok.json()


# --- Records -------------------------------------------------------------------------------


def test_incident_with_classifier_answers(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    case = cases["care"]
    login(world.user("caseworker.care"))
    url = nested("incident-list", case)
    body = {
        "answers": answers_for("sexual_assault"),
        "confirmed_type": "sexual_assault",
        "date": str(timezone.localdate() - dt.timedelta(days=3)),
        "setting": "street",
        "perpetrator": "stranger",
        "description": "Relato ficticio",
    }
    created = send(client, "post", url, body)
    assert created.status_code == 201, created.json()
    assert created.json()["gbv_type"] == "sexual_assault"
    assert created.json()["proposed_type"] == "sexual_assault"
    wrong = send(client, "post", url, {**body, "confirmed_type": "rape"})
    assert wrong.status_code == 400
    assert wrong.json()["detail"]
    unknown = send(client, "post", url, {**body, "answers": {"astrology": True}})
    assert unknown.status_code == 400
    assert "answers" in unknown.json()["errors"]
    listed = client.get(url).json()
    assert [item["description"] for item in listed] == ["Relato ficticio"]


def test_assessment_plan_and_actions(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    from ruta.directory.tests.factories import make_service

    case = cases["care"]
    login(world.user("caseworker.care"))
    assessed = send(
        client,
        "post",
        nested("assessment-list", case),
        {"needs": {"safety": "high", "health": "low"}, "risk_level": "high", "narrative": "N"},
    )
    assert assessed.status_code == 400  # a higher risk level says why
    assert "high or urgent" in assessed.json()["message"] or "alto" in assessed.json()["message"]
    assessed = send(
        client,
        "post",
        nested("assessment-list", case),
        {
            "needs": {"safety": "high", "health": "low"},
            "risk_level": "high",
            "risk_reason": "Amenazas recientes",
            "narrative": "N",
        },
    )
    assert assessed.status_code == 201, assessed.json()
    assert client.get(nested("assessment-list", case)).json()[0]["needs"]["safety"] == "high"
    bad = send(
        client,
        "post",
        nested("assessment-list", case),
        {"needs": {"magic": "high"}, "risk_level": "high"},
    )
    assert "needs" in bad.json()["errors"]

    empty = client.get(nested("plan", case)).json()
    assert empty == {"uuid": None, "state": None, "updated_at": None, "goals": []}
    goal = send(
        client, "post", nested("goal-list", case), {"need": "legal", "description": "Denuncia"}
    )
    assert goal.status_code == 201, goal.json()
    service = make_service(world.care, "Orientación legal CARE")
    action = send(
        client,
        "post",
        nested("plan-action-list", case, uuid=goal.json()["uuid"]),
        {
            "description": "Acompañar a la fiscalía",
            "responsible": "Gestora",
            "due_on": str(timezone.localdate() + dt.timedelta(days=7)),
            "service": str(service.uuid),
            "pros": "Protección",
            "cons": "Miedo a represalias",
            "decision": "agreed",
        },
    )
    assert action.status_code == 201, action.json()
    assert action.json()["service"] == str(service.uuid)
    plan = client.get(nested("plan", case)).json()
    assert plan["state"] == "draft"
    [only_goal] = plan["goals"]
    assert only_goal["description"] == "Denuncia"
    [only_action] = only_goal["actions"]
    assert (only_action["pros"], only_action["cons"], only_action["decision"]) == (
        "Protección",
        "Miedo a represalias",
        "agreed",
    )
    missing_goal = nested("plan-action-list", case, uuid=uuid.uuid4())
    assert send(client, "post", missing_goal, {"description": "x"}).status_code == 404
    unknown_service = send(
        client,
        "post",
        nested("plan-action-list", case, uuid=goal.json()["uuid"]),
        {"description": "x", "responsible": "y", "service": str(uuid.uuid4())},
    )
    assert "service" in unknown_service.json()["errors"]


def test_safety_plan_get_and_put(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    from ruta.directory.tests.factories import make_service

    case = cases["care"]
    login(world.user("caseworker.care"))
    url = nested("safety-plan", case)
    empty = client.get(url).json()
    assert empty["uuid"] is None and empty["risks"] == "" and empty["emergency_services"] == []
    service = make_service(world.care, "Línea de emergencia")
    saved = send(
        client,
        "put",
        url,
        {
            "risks": "Ex pareja",
            "strategies": "Salir por la puerta trasera",
            "safe_people": "Vecina",
            "emergency_services": [str(service.uuid)],
            "next_review_on": str(timezone.localdate() + dt.timedelta(days=14)),
        },
    )
    assert saved.status_code == 200, saved.json()
    body = client.get(url).json()
    assert body["uuid"] and body["risks"] == "Ex pareja"
    assert body["emergency_services"] == [str(service.uuid)]
    unknown = send(client, "put", url, {"emergency_services": [str(uuid.uuid4())]})
    assert "emergency_services" in unknown.json()["errors"]


def test_follow_ups(client: Any, world: Any, login: Any, cases: dict[str, Case]) -> None:
    case = cases["care"]
    login(world.user("caseworker.care"))
    url = nested("follow-up-list", case)
    today = timezone.localdate()
    created = send(
        client,
        "post",
        url,
        {"kind": "visit", "note": "Visita", "next_contact_on": str(today + dt.timedelta(days=2))},
    )
    assert created.status_code == 201, created.json()
    future = send(
        client, "post", url, {"kind": "call", "happened_on": str(today + dt.timedelta(1))}
    )
    assert future.status_code == 400
    assert future.json()["detail"]
    assert [item["note"] for item in client.get(url).json()] == ["Visita"]


def test_measures_are_scored_banded_and_flagged(
    client: Any,
    world: Any,
    login: Any,
    cases: dict[str, Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = cases["care"]
    login(world.user("caseworker.care"))
    url = nested("measure-list", case)
    who5 = send(client, "post", url, {"instrument": "who5", "answers": [3, 3, 3, 3, 3]})
    assert who5.status_code == 201, who5.json()
    assert (who5.json()["score"], who5.json()["band"], who5.json()["flagged"]) == (
        60,
        "adequate",
        False,
    )
    gad7 = send(client, "post", url, {"instrument": "gad7", "answers": [2] * 7})
    assert (gad7.json()["score"], gad7.json()["band"]) == (14, "moderate")
    with django_capture_on_commit_callbacks(execute=True):
        phq9 = send(client, "post", url, {"instrument": "phq9", "answers": [1] * 8 + [2]})
    assert phq9.status_code == 201
    assert (phq9.json()["score"], phq9.json()["band"], phq9.json()["flagged"]) == (
        10,
        "moderate",
        True,
    )
    case.refresh_from_db()
    assert case.risk_level == "urgent"
    assert Notification.objects.filter(
        kind=NotificationKind.URGENT_RISK, recipient=world.user("supervisor.care")
    ).exists()
    short = send(client, "post", url, {"instrument": "phq9", "answers": [1, 2]})
    assert short.status_code == 400
    assert short.json()["detail"]
    assert len(client.get(url).json()) == 3


def test_closure_request_and_reopen(client: Any, world: Any, login: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    login(caseworker)
    url = nested("closure-list", case)
    requested = send(
        client, "post", url, {"reason": "needs_met", "satisfaction": "satisfied", "note": "Fin"}
    )
    assert requested.status_code == 201, requested.json()
    assert requested.json()["state"] == "pending"
    twice = send(client, "post", url, {"reason": "needs_met", "satisfaction": "satisfied"})
    assert twice.status_code == 400
    approval = case.approvals.get(kind=ApprovalKind.CLOSURE)
    actions.decide_approval(supervisor, approval, approve=True)
    assert client.get(url).json()[0]["state"] == "approved"

    reopen = nested("reopen", case)
    assert send(client, "post", reopen, {}).status_code == 400
    reopened = send(client, "post", reopen, {"reason": "Nueva amenaza"})
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["status"] == "open"
    assert send(client, "post", reopen, {"reason": "Otra vez"}).status_code == 400


def test_closed_case_refuses_changes(client: Any, world: Any, login: Any) -> None:
    case = make_closed_case(world.user("caseworker.care"), world.user("supervisor.care"))
    login(world.user("caseworker.care"))
    refused = send(client, "post", nested("follow-up-list", case), {"kind": "call"})
    assert refused.status_code == 400
    assert refused.json()["detail"]


# --- Audit ---------------------------------------------------------------------------------


def test_every_read_is_audited(client: Any, world: Any, login: Any, cases: dict[str, Case]) -> None:
    caseworker = world.user("caseworker.care")
    case = cases["care"]
    make_plan(caseworker, case)
    login(caseworker)
    before = AuditEvent.objects.filter(action="case.read").count()
    client.get(CASES)
    [listed] = AuditEvent.objects.filter(action="case.list_read")
    assert listed.details == {"what": "case_list", "count": 1, "cases": [str(case.uuid)]}
    assert listed.actor == caseworker
    assert listed.object_uuid is None

    client.get(case_url(case))
    [detail] = reads("case")
    assert detail.object_uuid == case.uuid and detail.actor == caseworker

    whats = {
        "consent-list": "consents",
        "incident-list": "incidents",
        "assessment-list": "assessments",
        "plan": "plan",
        "safety-plan": "safety_plan",
        "follow-up-list": "follow_ups",
        "measure-list": "measures",
        "closure-list": "closures",
    }
    for name, what in whats.items():
        assert client.get(nested(name, case)).status_code == 200
        [event] = reads(what)
        assert event.object_uuid == case.uuid, name
        assert event.details["path"] == nested(name, case)
    assert AuditEvent.objects.filter(action="case.read").count() == before + 1 + len(whats)
    # A refused read is not a read: nothing about the case is written.
    login(world.user("caseworker.hias"))
    client.get(case_url(case))
    assert not AuditEvent.objects.filter(
        action="case.read", actor=world.user("caseworker.hias"), object_uuid=case.uuid
    ).exists()


# --- Schema and queries --------------------------------------------------------------------


def test_openapi_schema_documents_the_case_api(client: Any) -> None:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/cases/"])
    assert {"get", "patch"} <= set(paths["/api/v1/cases/{uuid}/"])
    for suffix, methods in (
        ("consents/", {"get", "post"}),
        ("consents/{uuid}/withdraw/", {"post"}),
        ("incidents/", {"get", "post"}),
        ("assessments/", {"get", "post"}),
        ("plan/", {"get"}),
        ("plan/goals/", {"post"}),
        ("plan/goals/{uuid}/actions/", {"post"}),
        ("safety-plan/", {"get", "put"}),
        ("follow-ups/", {"get", "post"}),
        ("measures/", {"get", "post"}),
        ("closure/", {"get", "post"}),
        ("reopen/", {"post"}),
    ):
        path = f"/api/v1/cases/{{case_uuid}}/{suffix}"
        assert path in paths, path
        assert methods <= set(paths[path]), path


def test_schema_documents_a_case_record_list_as_an_array(client: Any) -> None:
    paths = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)["paths"]
    for suffix in ("consents/", "incidents/", "assessments/", "follow-ups/", "measures/"):
        ok = paths[f"/api/v1/cases/{{case_uuid}}/{suffix}"]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"]["type"] == "array", suffix
    approvals = paths["/api/v1/cases/{case_uuid}/approvals/"]["get"]["responses"]
    assert approvals["200"]["content"]["application/json"]["schema"]["type"] == "array"


def test_schema_documents_the_error_answers_of_a_case_route(client: Any) -> None:
    paths = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)["paths"]
    create = paths["/api/v1/cases/{case_uuid}/incidents/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404", "409"} <= set(create)
    error = create["400"]["content"]["application/json"]["schema"]["$ref"]
    assert error == "#/components/schemas/Error"


def test_empty_plan_and_safety_plan_have_null_dates(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    login(world.user("caseworker.care"))
    plan = client.get(nested("plan", cases["care"])).json()
    assert plan["uuid"] is None and plan["updated_at"] is None
    safety = client.get(nested("safety-plan", cases["care"])).json()
    assert safety["uuid"] is None and safety["updated_at"] is None
    components = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)
    plan_schema = components["components"]["schemas"]["Plan"]["properties"]
    assert plan_schema["updated_at"]["nullable"] and plan_schema["uuid"]["nullable"]


def test_options_on_the_safety_plan_describes_it(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    login(world.user("caseworker.care"))
    response = client.options(nested("safety-plan", cases["care"]))
    assert response.status_code == 200
    assert "PUT" in response.json()["actions"]
    # Out of reach: DRF leaves out the form of the PUT, and shows nothing of the case.
    other = client.options(nested("safety-plan", cases["hias"]))
    assert other.status_code == 200 and "actions" not in other.json()


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_query_count_does_not_grow(
    client: Any, world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    supervisor = world.user("supervisor.care")
    caseworker = world.user("caseworker.care")
    for n in range(5):
        make_case(caseworker if n % 2 else supervisor, consent=False)
    login(supervisor)
    client.get(CASES)  # warm the session
    five = _count(client, CASES)
    for n in range(20):
        make_case(caseworker if n % 2 else supervisor, consent=False)
    assert client.get(CASES).json()["count"] == 25
    assert _count(client, CASES) == five
    assert _count(client, CASES + "?risk_level=low&stage=intake") == five
    with django_assert_max_num_queries(10):
        client.get(CASES)


def test_detail_and_plan_query_counts_are_fixed(
    client: Any, world: Any, login: Any, cases: dict[str, Case], django_assert_max_num_queries: Any
) -> None:
    caseworker = world.user("caseworker.care")
    case = cases["care"]
    _plan, goal, _action = make_plan(caseworker, case)
    login(caseworker)
    client.get(case_url(case))
    detail, plan = _count(client, case_url(case)), _count(client, nested("plan", case))
    for _ in range(3):
        factories.give_consent(caseworker, case, "reporting")
        actions.add_plan_action(caseworker, case, goal, description="Otra", responsible="Yo")
        actions.add_goal(caseworker, case, need="health", description="Salud")
    assert _count(client, case_url(case)) == detail
    assert _count(client, nested("plan", case)) == plan
    with django_assert_max_num_queries(12):
        client.get(nested("plan", case))


def test_plan_review_and_approval_through_the_api(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    case = cases["care"]
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    plan, _goal, action = factories.make_plan(caseworker, case)
    login(caseworker)
    asked = send(
        client,
        "post",
        nested("approval-list", case),
        {"kind": "action_plan", "target_uuid": str(plan.uuid)},
    )
    assert asked.status_code == 201, asked.json()
    approval = asked.json()["uuid"]
    decision = nested("approval-decision", case, uuid=approval)
    # A caseworker cannot decide (the route is for supervisors: 404 as for case routes);
    # the action's progress does not touch the request.
    assert send(client, "post", decision, {"approve": True}).status_code == 404
    progress = send(
        client, "patch", nested("plan-action-detail", case, uuid=action.uuid), {"status": "done"}
    )
    assert progress.status_code == 200 and progress.json()["status"] == "done"
    listed = client.get(nested("approval-list", case))
    assert listed.status_code == 200 and listed.json()[0]["state"] == "pending"
    assert reads("approvals")
    login(supervisor)
    returned = send(client, "post", decision, {"approve": False})
    assert returned.status_code == 400  # returning needs a comment
    approved = send(client, "post", decision, {"approve": True})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved"
    assert approved.json()["decided_by"] == str(supervisor.uuid)
    # Changing what was agreed sends the plan back to draft.
    login(caseworker)
    changed = send(
        client,
        "patch",
        nested("plan-action-detail", case, uuid=action.uuid),
        {"responsible": "Otra persona"},
    )
    assert changed.status_code == 200
    assert client.get(nested("plan", case)).json()["state"] == "draft"
    assert (
        send(client, "patch", nested("plan-action-detail", case, uuid=action.uuid), {}).status_code
        == 400
    )


def test_approval_routes_hide_other_cases(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    case = cases["care"]
    caseworker = world.user("caseworker.care")
    plan, _goal, action = factories.make_plan(caseworker, case)
    approval = actions.request_approval(caseworker, case, "action_plan", plan.uuid)
    for key in ("supervisor.hias", "caseworker.hias", "coordinator", "helpline.care"):
        login(world.user(key))
        decision = nested("approval-decision", case, uuid=approval.uuid)
        assert send(client, "post", decision, {"approve": True}).status_code == 404, key
        assert client.get(nested("approval-list", case)).status_code == 404, key
        patch = nested("plan-action-detail", case, uuid=action.uuid)
        assert send(client, "patch", patch, {"status": "done"}).status_code == 404, key
    # An approval of another case through this case's address is not found either.
    other = cases["care_supervisor"]
    login(world.user("supervisor.care"))
    wrong = nested("approval-decision", other, uuid=approval.uuid)
    assert send(client, "post", wrong, {"approve": True}).status_code == 404
    approval.refresh_from_db()
    assert approval.state == "pending"


def test_a_path_that_matches_no_route_answers_json(client: Any, world: Any, login: Any) -> None:
    login(world.user("caseworker.care"))
    response = client.get("/api/v1/cases/not-a-uuid/consents/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"]


def test_schema_names_the_need_and_functioning_domains(client: Any) -> None:
    """Unknown domains are refused, so the schema lists the known ones and no other."""
    schemas = client.get(reverse("api:schema"), {"format": "json"}).json()["components"]
    needs = schemas["schemas"]["AssessmentCreate"]["properties"]["needs"]
    assert needs["additionalProperties"] is False and "safety" in needs["properties"]
    disability = schemas["schemas"]["Client"]["properties"]["disability"]
    assert disability["additionalProperties"] is False and "seeing" in disability["properties"]


def test_consent_given_at_is_neither_in_the_future_nor_last_millennium(
    client: Any, world: Any, login: Any, cases: dict[str, Case]
) -> None:
    """As on the form. A year-247 instant would also be written with Lima's local mean
    time offset (-05:08:12), which is no RFC 3339 date-time."""
    login(world.user("caseworker.care"))
    url = nested("consent-list", cases["care"])
    for given_at in ("0247-01-24T04:38:04Z", (timezone.now() + dt.timedelta(days=1)).isoformat()):
        body = {"purpose": "storage", "method": "verbal", "given_at": given_at}
        response = send(client, "post", url, body)
        assert response.status_code == 400, given_at
        assert "given_at" in response.json()["errors"]
    body = {"purpose": "storage", "method": "verbal", "given_at": "2024-05-02T10:00:00Z"}
    assert send(client, "post", url, body).status_code == 201
