"""The pages for the records inside a case, through HTTP: access, audit, consent, the GBVIMS
classifier, outcome measures, the discreet safety plan print and the case page summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases import actions
from ruta.cases.access import CASE_READ
from ruta.cases.models import Case, FollowUp, Incident, MeasureResult, RiskLevel, SafetyPlan
from ruta.cases.views_records import records_context
from ruta.directory.models import Phone
from ruta.directory.tests.factories import make_service
from ruta.notifications.models import Notification, NotificationKind

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

CLIENT = {"given_names": "Rosaura", "family_names": "Quispetrava", "age": 29, "phone": "999111222"}


def make_case(world: Any, *, consent: bool = True, case_type: str = "gbv") -> Case:
    caseworker = world.user("caseworker.care")
    case = actions.register_case(caseworker, client_fields=CLIENT, case_type=case_type)
    if consent:
        actions.record_consent(caseworker, case, purpose="services", method="verbal")
    return case


def url(name: str, case: Case, **kwargs: Any) -> str:
    """English pages, so assertions on text do not depend on the Spanish catalogue."""
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs={"case_uuid": case.uuid, **kwargs})


def page_urls(world: Any, case: Case) -> dict[str, str]:
    caseworker = world.user("caseworker.care")
    assessment = actions.add_assessment(
        caseworker, case, needs={"safety": "high"}, risk_level=case.risk_level
    )
    goal = actions.add_goal(caseworker, case, need="safety", description="Estar a salvo")
    action = actions.add_plan_action(
        caseworker, case, goal, description="Llamar al albergue", responsible="Gestora"
    )
    return {
        "incident_create": url("incident_create", case),
        "assessment_create": url("assessment_create", case),
        "assessment_detail": url("assessment_detail", case, assessment_uuid=assessment.uuid),
        "plan": url("plan", case),
        "goal_create": url("goal_create", case),
        "action_create": url("action_create", case, goal_uuid=goal.uuid),
        "action_edit": url("action_edit", case, action_uuid=action.uuid),
        "safety_plan": url("safety_plan", case),
        "safety_plan_print": url("safety_plan_print", case),
        "follow_up_create": url("follow_up_create", case),
        "measures": url("measures", case),
        "measure_create": url("measure_create", case),
        "measure_create_phq9": url("measure_create", case) + "?instrument=phq9",
    }


# --- Access and audit -------------------------------------------------------------------------
def test_every_page_opens_for_the_caseworker_and_is_audited(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    for name, address in page_urls(world, case).items():
        before = AuditEvent.objects.filter(action=CASE_READ, object_uuid=case.uuid).count()
        response = client.get(address)
        assert response.status_code == 200, (name, response.status_code)
        events = AuditEvent.objects.filter(action=CASE_READ, object_uuid=case.uuid)
        assert events.count() == before + 1, name
        latest = events.order_by("-pk").first()
        assert latest is not None and latest.actor == world.user("caseworker.care")
        assert latest.details["what"] and "Rosaura" not in str(latest.details)


def test_a_form_shown_again_after_an_error_is_audited_too(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    reads = AuditEvent.objects.filter(action=CASE_READ, object_uuid=case.uuid)
    record_form = url("follow_up_create", case)
    with translation.override("en"):
        step_forms = [
            reverse(name, kwargs={"case_uuid": case.uuid})
            for name in ("cases:risk_edit", "cases:client_edit", "cases:consent_create")
        ]
    for address in [record_form, *step_forms]:
        before = reads.count()
        response = client.post(address, {"kind": "not-a-kind", "risk_level": "urgent"})
        assert response.status_code in (200, 400), (address, response.status_code)
        assert case.code in response.content.decode()  # the page shows the case again...
        assert reads.count() == before + 1, address  # ...and that read is in the trail
    before = reads.count()
    saved = client.post(record_form, {"kind": "call", "happened_on": timezone.localdate()})
    assert saved.status_code == 302
    assert reads.count() == before  # a save that goes back to the case shows nothing


def test_the_supervisor_of_the_agency_sees_the_pages(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("supervisor.care"))
    for name, address in page_urls(world, case).items():
        assert client.get(address).status_code == 200, name


@pytest.mark.parametrize("key", ["caseworker.hias", "supervisor.hias", "caseworker.outsider"])
def test_other_agencies_get_404(client: Any, world: Any, key: str) -> None:
    case = make_case(world)
    user = world.user("outsider" if key == "caseworker.outsider" else key)
    verified_login(client, user)
    for name, address in page_urls(world, case).items():
        response = client.get(address)
        assert response.status_code == 404, (name, response.status_code)
        assert case.code.encode() not in response.content
    response = client.post(url("follow_up_create", case), {"kind": "call"})
    assert response.status_code == 404
    assert not FollowUp.objects.filter(case=case).exists()


def test_another_caseworker_of_the_same_agency_gets_404(client: Any, world: Any) -> None:
    from conftest import make_user

    case = make_case(world)
    colleague = make_user("colleague.care@test.org", "caseworker", world.care)
    verified_login(client, colleague)
    assert client.get(url("plan", case)).status_code == 404
    assert client.get(url("safety_plan_print", case)).status_code == 404


@pytest.mark.parametrize("key", ["admin", "coordinator", "agency_admin.care", "helpline.care"])
def test_roles_without_case_access_are_refused(client: Any, world: Any, key: str) -> None:
    """The matrix denies them case data outright (404), whatever the case: nothing leaks."""
    case = make_case(world)
    verified_login(client, world.user(key))
    for name, address in page_urls(world, case).items():
        response = client.get(address)
        assert response.status_code == 404, (name, response.status_code)
        assert case.code.encode() not in response.content
    assert not AuditEvent.objects.filter(action=CASE_READ, object_uuid=case.uuid).exists()


def test_missing_case_is_404(client: Any, world: Any) -> None:
    import uuid

    verified_login(client, world.user("caseworker.care"))
    with translation.override("en"):
        address = reverse("cases:plan", kwargs={"case_uuid": uuid.uuid4()})
    assert client.get(address).status_code == 404


# --- Consent ---------------------------------------------------------------------------------
def test_saving_without_services_consent_is_refused_and_keeps_the_values(
    client: Any, world: Any
) -> None:
    case = make_case(world, consent=False)
    verified_login(client, world.user("caseworker.care"))
    page = client.get(url("follow_up_create", case))
    assert b"There is no active consent for services" in page.content
    response = client.post(
        url("follow_up_create", case),
        {"kind": "call", "happened_on": timezone.localdate().isoformat(), "note": "Llamada breve"},
    )
    assert response.status_code == 400
    assert "There is no active consent for “Receive services”" in response.content.decode()
    assert "Llamada breve" in response.content.decode()
    assert not FollowUp.objects.filter(case=case).exists()


def test_follow_up_is_saved_and_listed(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    today = timezone.localdate()
    response = client.post(
        url("follow_up_create", case),
        {
            "kind": "visit",
            "happened_on": today.isoformat(),
            "note": "Visita de seguimiento",
            "next_contact_on": (today + dt.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.note == "Visita de seguimiento"
    html = render_to_string("cases/records/_sections.html", {"case": case, **records_context(case)})
    assert "Visita de seguimiento" in html


# --- GBVIMS classifier -----------------------------------------------------------------------
def _step(client: Any, case: Case, answers: dict[str, str]) -> Any:
    return client.post(url("incident_create", case), {f"q_{k}": v for k, v in answers.items()})


def _details(answers: dict[str, str], confirmed: str) -> dict[str, str]:
    return {
        **{f"q_{k}": v for k, v in answers.items()},
        "save": "1",
        "confirmed_type": confirmed,
        "confirm": "on",
        "date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "country": "PE",
        "admin1": "PE-LMA",
        "setting": "home",
        "perpetrator": "partner",
        "reported_elsewhere": "no",
        "description": "",
    }


def test_classifier_proposes_rape_on_the_first_yes(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    first = client.get(url("incident_create", case))
    assert b"Question 1 of 6" in first.content
    assert b"penetration" in first.content
    answered = _step(client, case, {"penetration": "yes"})
    assert answered.status_code == 200
    assert b"Proposed type:" in answered.content and b"<strong>Rape</strong>" in answered.content
    assert b"order of precedence" in answered.content
    saved = client.post(url("incident_create", case), _details({"penetration": "yes"}, "rape"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    incident = Incident.objects.get(case=case)
    assert (incident.gbv_type, incident.proposed_type) == ("rape", "rape")
    assert incident.classifier_answers == {"penetration": True}


def test_classifier_walks_to_physical_assault(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    second = _step(client, case, {"penetration": "no"})
    assert b"Question 2 of 6" in second.content
    third = _step(client, case, {"penetration": "no", "sexual_contact": "no"})
    assert b"Question 3 of 6" in third.content
    answers = {"penetration": "no", "sexual_contact": "no", "physical": "yes"}
    proposal = _step(client, case, answers)
    assert b"<strong>Physical assault</strong>" in proposal.content
    # A confirmed type that does not follow the answers is refused, and nothing is saved.
    wrong = client.post(url("incident_create", case), _details(answers, "psychological"))
    assert wrong.status_code == 400
    assert b"The type must follow the answers" in wrong.content
    assert not Incident.objects.filter(case=case).exists()
    saved = client.post(url("incident_create", case), _details(answers, "physical_assault"))
    assert saved.status_code == 302
    assert Incident.objects.get(case=case).gbv_type == "physical_assault"


def test_classifier_can_go_back_and_change_an_answer(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    response = client.post(
        url("incident_create", case),
        {"q_penetration": "no", "q_sexual_contact": "yes", "back_to": "sexual_contact"},
    )
    assert b"Question 2 of 6" in response.content
    assert b"Proposed type:" not in response.content


def test_classifier_says_clearly_when_it_is_none_of_the_six(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    answers = {
        "penetration": "no",
        "sexual_contact": "no",
        "physical": "no",
        "forced_marriage": "no",
        "denial": "no",
        "psychological": "no",
    }
    response = _step(client, case, answers)
    assert response.status_code == 200
    assert b"None of the six GBVIMS types" in response.content
    assert b"Record the incident" not in response.content
    refused = client.post(url("incident_create", case), _details(answers, "psychological"))
    assert refused.status_code == 400
    assert not Incident.objects.filter(case=case).exists()


def test_classifier_works_with_htmx(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    response = client.post(
        url("incident_create", case), {"q_penetration": "no"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and b'id="incident-flow"' in response.content
    answers = {"penetration": "yes"}
    saved = client.post(
        url("incident_create", case), _details(answers, "rape"), HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 204 and saved["HX-Redirect"]


def test_incidents_only_on_gbv_cases(client: Any, world: Any) -> None:
    case = make_case(world, case_type="mhpss")
    verified_login(client, world.user("caseworker.care"))
    response = client.get(url("incident_create", case))
    assert b"Incidents are recorded on gender-based violence cases." in response.content
    assert b"Question 1 of 6" not in response.content


# --- Assessment and plan -------------------------------------------------------------------
def test_assessment_is_saved_and_shown(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    data = {f"need_{d}": "low" for d in ("health", "legal", "basic", "education")}
    data.update(
        need_safety="high",
        need_psychosocial="medium",
        need_livelihoods="none",
        need_documentation="none",
        risk_level="high",
        risk_reason="Amenazas recientes",
        assessed_on=timezone.localdate().isoformat(),
        narrative="Relato breve",
    )
    missing = client.post(url("assessment_create", case), {"risk_level": "high"})
    assert missing.status_code == 400
    response = client.post(url("assessment_create", case), data, follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.HIGH
    assessment = case.assessments.get()
    assert assessment.needs["safety"] == "high"
    assert b"Relato breve" in response.content


def test_plan_goal_action_and_update(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    service = make_service(world.hias, "Casa refugio de ejemplo", terms=("shelter",))
    client.post(url("goal_create", case), {"need": "safety", "description": "Lugar seguro"})
    goal = case.action_plan.goals.get()
    searched = client.post(
        url("action_create", case, goal_uuid=goal.uuid),
        {"description": "Derivar", "service_q": "refugio", "search_services": "1"},
    )
    assert searched.status_code == 200 and b"Casa refugio de ejemplo" in searched.content
    assert b"Derivar" in searched.content
    response = client.post(
        url("action_create", case, goal_uuid=goal.uuid),
        {
            "description": "Derivar al albergue",
            "responsible": "Gestora",
            "service": str(service.uuid),
            "pros": "Seguridad",
            "cons": "Lejos del trabajo",
            "decision": "agreed",
        },
    )
    assert response.status_code == 302
    action = goal.actions.get()
    assert action.service == service and action.decision == "agreed"
    plan_page = client.get(url("plan", case))
    assert b"Lejos del trabajo" in plan_page.content
    edit = client.post(
        url("action_edit", case, action_uuid=action.uuid),
        {
            "status": "in_progress",
            "decision": "agreed",
            "description": "Derivar al albergue",
            "responsible": "Gestora",
            "pros": "Seguridad",
            "cons": "Lejos del trabajo",
        },
    )
    assert edit.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


# --- Safety plan -------------------------------------------------------------------------------
def test_safety_plan_print_has_no_code_nor_name(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    service = make_service(world.hias, "Línea de ayuda ejemplo", terms=("helpline",))
    Phone.objects.create(service=service, number="0800-10828")
    form = client.get(url("safety_plan", case))
    assert "Línea de ayuda ejemplo" in form.content.decode()
    response = client.post(
        url("safety_plan", case),
        {
            "risks": "Riesgo en casa por las noches",
            "strategies": "Tener una mochila lista\nIr donde la vecina",
            "safe_people": "Mi hermana",
            "safe_places": "La parroquia",
            "emergency_services": [str(service.uuid)],
            "other_numbers": "105 Policía",
        },
    )
    assert response.status_code == 302
    plan = SafetyPlan.objects.get(case=case)
    assert list(plan.emergency_services.all()) == [service]
    printed = client.get(url("safety_plan_print", case)).content.decode()
    assert "<title>My plan</title>" in printed
    for secret in (case.code, "Rosaura", "Quispetrava", "999111222", "CARE", "Ruta", "Riesgo"):
        assert secret not in printed, secret
    for shown in ("Tener una mochila lista", "Mi hermana", "La parroquia", "0800-10828", "105"):
        assert shown in printed, shown
    assert "Línea de ayuda ejemplo" in printed
    assert "<script>" not in printed  # no inline scripts (CSP)


# --- Outcome measures -----------------------------------------------------------------------
def test_measure_is_scored_and_shown(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    form = client.get(url("measure_create", case) + "?instrument=who5")
    assert form.content.count(b"<fieldset") == 5 and b"<legend>" in form.content
    data = {f"item_{n}": "3" for n in range(1, 6)}
    data.update(instrument="who5", administered_on=timezone.localdate().isoformat())
    response = client.post(url("measure_create", case), data, follow=True)
    assert response.status_code == 200
    measure = MeasureResult.objects.get(case=case)
    assert (measure.score, measure.band) == (60, "adequate")
    html = response.content.decode()
    assert "60 of 100" in html and "Adequate well-being" in html
    assert 'role="alert"' not in html
    # The history: an SVG chart with a title and a description, and the data as a table.
    assert "<svg" in html and '<title id="chart-title-who5">' in html and "<desc" in html
    assert '<table class="stack">' in html and "<caption" in html


def test_incomplete_measure_keeps_answers(client: Any, world: Any) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    data = {
        "instrument": "gad7",
        "item_1": "2",
        "administered_on": timezone.localdate().isoformat(),
    }
    response = client.post(url("measure_create", case), data)
    assert response.status_code == 400
    assert b"checked" in response.content
    assert not MeasureResult.objects.exists()


def test_phq9_item_9_alerts_and_notifies_the_supervisor(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(world)
    verified_login(client, world.user("caseworker.care"))
    data = {f"item_{n}": "1" for n in range(1, 10)}
    data.update(instrument="phq9", administered_on=timezone.localdate().isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("measure_create", case), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'role="alert"' in page and "Your supervisor was notified" in page
    assert "9 of 27" in page
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.URGENT
    notification = Notification.objects.get(
        recipient=world.user("supervisor.care"), kind=NotificationKind.URGENT_RISK
    )
    assert notification.case == case
    assert "Rosaura" not in str(notification.details)


def test_measures_trend_over_time(client: Any, world: Any) -> None:
    case = make_case(world)
    caseworker = world.user("caseworker.care")
    today = timezone.localdate()
    for days, value in ((30, 3), (15, 2), (0, 1)):
        actions.record_measure(
            caseworker,
            case,
            instrument="gad7",
            answers=[value] * 7,
            administered_on=today - dt.timedelta(days=days),
        )
    verified_login(client, caseworker)
    html = client.get(url("measures", case)).content.decode()
    assert "Improving" in html and "polyline" in html
    assert html.count("<circle") == 3


# --- The case page's summary: a fixed number of queries -------------------------------------
def _fill(world: Any, case: Case, count: int) -> None:
    caseworker = world.user("caseworker.care")
    today = timezone.localdate()
    service = make_service(world.hias, f"Servicio {count}", terms=("medical",))
    for n in range(count):
        actions.record_incident(
            caseworker,
            case,
            answers={"penetration": False, "sexual_contact": False, "physical": True},
            confirmed_type="physical_assault",
            date=today - dt.timedelta(days=n),
            setting="home",
            perpetrator="partner",
        )
        actions.add_assessment(
            caseworker,
            case,
            needs={"safety": "high"},
            risk_level="high",
            risk_reason="Motivo ficticio",
        )
        goal = actions.add_goal(caseworker, case, need="safety", description=f"Meta {n}")
        actions.add_plan_action(
            caseworker, case, goal, description=f"Acción {n}", responsible="Yo", service=service
        )
        actions.add_follow_up(caseworker, case, kind="call", note=f"Nota {n}")
        for code, size in (("who5", 5), ("phq9", 9), ("gad7", 7)):
            actions.record_measure(caseworker, case, instrument=code, answers=[1] * size)
    actions.save_safety_plan(
        caseworker, case, fields={"strategies": "Plan"}, emergency_services=[service]
    )


def _render_sections(case: Case) -> str:
    fresh = Case.objects.select_related("client", "caseworker", "supervisor", "organization").get(
        pk=case.pk
    )
    return render_to_string(
        "cases/records/_sections.html", {"case": fresh, **records_context(fresh)}
    )


def test_sections_query_count_does_not_grow(world: Any, django_assert_max_num_queries: Any) -> None:
    one, ten = make_case(world), make_case(world)
    _fill(world, one, 1)
    _fill(world, ten, 10)
    with django_assert_max_num_queries(10):  # the case itself + 9
        html_one = _render_sections(one)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        _render_sections(one)
    with CaptureQueriesContext(connection) as second:
        html_ten = _render_sections(ten)
    assert len(first.captured_queries) == len(second.captured_queries)
    assert "Meta 0" in html_one and "Meta 9" in html_ten
    assert html_ten.count("Physical assault") == 10 or html_ten.count("Agresión física") == 10
    assert "<svg" in html_ten
