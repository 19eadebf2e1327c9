"""Course pages, coordinators' management, the grid, permissions and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.trainings import actions
from ruta.trainings.models import (
    Course,
    Enrolment,
    ModuleCompletion,
    SessionAttendance,
)
from ruta.trainings.tests.factories import enrol, make_course, make_person, passed_enrolment

# The assertions read the English messages (the msgids), whatever the catalogs hold.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def coordinator(world: Any) -> Any:
    return world.user("coordinator")


def test_coordinator_creates_a_course_with_modules(login: Any, coordinator: Any) -> None:
    client = login(coordinator)
    data = {
        "course-title": "Curso de PAP",
        "course-description": "",
        "course-country": "PE",
        "course-modality": "hybrid",
        "course-starts_on": "2025-05-01",
        "course-ends_on": "2025-06-01",
        "course-min_modules": "",
        "course-min_attendance_pct": "80",
        "modules-TOTAL_FORMS": "3",
        "modules-INITIAL_FORMS": "0",
        "modules-0-title": "Introducción",
        "modules-0-hours": "2",
        "modules-1-title": "Práctica",
        "modules-1-hours": "3.5",
        "modules-2-title": "",
        "modules-2-hours": "",
    }

    response = client.post(reverse("trainings:course_create"), data)

    assert response.status_code == 302
    course = Course.objects.get(title="Curso de PAP")
    assert [(m.order, m.title, str(m.hours)) for m in course.modules.all()] == [
        (1, "Introducción", "2.0"),
        (2, "Práctica", "3.5"),
    ]
    assert course.status == "draft" and course.created_by == coordinator
    assert AuditEvent.objects.filter(action="training.course_created").exists()


def test_bad_course_form_keeps_what_was_typed(login: Any, coordinator: Any) -> None:
    client = login(coordinator)
    response = client.post(
        reverse("trainings:course_create"),
        {
            "course-title": "Curso de PAP",
            "course-modality": "online",
            "course-starts_on": "2025-05-01",
            "course-ends_on": "2025-04-01",
            "course-min_attendance_pct": "120",
            "modules-TOTAL_FORMS": "1",
            "modules-INITIAL_FORMS": "0",
            "modules-0-title": "",
            "modules-0-hours": "2",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Curso de PAP"' in page
    assert "The course ends before it starts." in page
    assert "Give the module a title, or clear its hours." in page
    assert not Course.objects.exists()


def test_non_coordinators_cannot_manage(login: Any, world: Any, coordinator: Any) -> None:
    course = make_course(coordinator)
    for key in ("agency_admin.care", "analyst", "caseworker.care"):
        client = login(world.user(key))
        assert client.get(reverse("trainings:manage", args=[course.uuid])).status_code == 403
        assert client.get(reverse("trainings:course_create")).status_code == 403
    with pytest.raises(actions.TrainingError):
        actions.open_course(world.user("agency_admin.care"), course)


def test_drafts_are_for_coordinators_only(login: Any, world: Any, coordinator: Any) -> None:
    draft = make_course(coordinator, title="Borrador", open_it=False)
    shown = make_course(coordinator, title="Abierto")
    client = login(world.user("caseworker.care"))

    listing = client.get(reverse("trainings:course_list")).content.decode()
    assert "Abierto" in listing and "Borrador" not in listing
    assert client.get(reverse("trainings:course_detail", args=[draft.uuid])).status_code == 404
    assert client.get(reverse("trainings:course_detail", args=[shown.uuid])).status_code == 200
    api = client.get(reverse("trainings_api:course-list")).json()
    assert [c["title"] for c in api["results"]] == ["Abierto"]
    assert client.get(reverse("trainings_api:course-detail", args=[draft.uuid])).status_code == 404
    assert "Borrador" in login(coordinator).get(reverse("trainings:course_list")).content.decode()


def test_my_trainings_shows_only_my_enrolments(login: Any, world: Any, coordinator: Any) -> None:
    course = make_course(coordinator, title="Curso mío")
    other = make_course(coordinator, title="Curso ajeno")
    me = world.user("caseworker.care")
    certificate = actions.issue_certificate(
        coordinator, passed_enrolment(coordinator, course, make_person("Yo", user=me))
    )
    enrol(coordinator, other, make_person("Otra persona"))

    page = login(me).get(reverse("trainings:my_trainings")).content.decode()

    assert "Curso mío" in page and "Curso ajeno" not in page
    assert certificate.display_code in page
    assert reverse("trainings:my_certificate_pdf", args=[course.uuid]) in page


def test_course_status_transitions(login: Any, coordinator: Any) -> None:
    course = make_course(coordinator, open_it=False)
    client = login(coordinator)
    url = reverse("trainings:course_status", args=[course.uuid])

    assert client.post(url, {"status": "open"}).status_code == 302
    assert client.post(url, {"status": "open"}).status_code == 409
    assert client.post(url, {"status": "closed"}).status_code == 302
    course.refresh_from_db()
    assert course.status == "closed"
    with pytest.raises(actions.TrainingError, match="closed"):
        actions.enrol_person(coordinator, course, make_person("Tarde"))


def test_grid_saves_ticks_and_leaves_hidden_columns_alone(login: Any, coordinator: Any) -> None:
    course = make_course(coordinator, modules=2, sessions=2)
    ana = enrol(coordinator, course, make_person("Ana"))
    luis = enrol(coordinator, course, make_person("Luis"))
    first, second = course.sessions.order_by("starts_at")
    module = course.modules.order_by("order").first()
    assert module is not None
    actions.record_attendance(coordinator, luis, second)
    client = login(coordinator)
    url = reverse("trainings:grid", args=[course.uuid])

    response = client.post(
        url,
        {
            "col": "",
            "cell": [f"s-{first.uuid}|{ana.uuid}", f"m-{module.uuid}|{luis.uuid}"],
        },
    )
    assert response.status_code == 302
    assert set(SessionAttendance.objects.values_list("enrolment__uuid", "session__uuid")) == {
        (ana.uuid, first.uuid)
    }
    assert list(ModuleCompletion.objects.values_list("enrolment__uuid", flat=True)) == [luis.uuid]

    # One column shown (a phone): the other columns are kept as they are.
    response = client.post(
        url, {"col": f"s-{second.uuid}", "cell": [f"s-{second.uuid}|{luis.uuid}"]}
    )
    assert response.status_code == 302
    assert SessionAttendance.objects.count() == 2
    assert ModuleCompletion.objects.count() == 1


def test_grid_query_count_does_not_grow_with_people(
    login: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    course = make_course(coordinator, modules=5, sessions=5)
    for n in range(3):
        passed_enrolment(coordinator, course, make_person(f"Persona {n}"))
    client = login(coordinator)
    url = reverse("trainings:grid", args=[course.uuid])
    client.get(url)  # warm the session and caches

    with django_assert_max_num_queries(15) as captured:
        assert client.get(url).status_code == 200
    few = len(captured.captured_queries)
    for n in range(3, 20):
        passed_enrolment(coordinator, course, make_person(f"Persona {n}"))
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["rows"]) == 20


def test_withdrawn_person_leaves_the_grid(login: Any, coordinator: Any) -> None:
    course = make_course(coordinator)
    enrolment = enrol(coordinator, course, make_person("Ana"))
    client = login(coordinator)
    assert client.post(reverse("trainings:withdraw", args=[enrolment.uuid])).status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).status == "withdrawn"
    response = client.get(reverse("trainings:grid", args=[course.uuid]))
    assert response.context["rows"] == []
    assert [e.pk for e in response.context["withdrawn"]] == [enrolment.pk]


def test_enrol_one_person_reuses_email(login: Any, coordinator: Any, world: Any) -> None:
    course = make_course(coordinator)
    known = make_person("Ana Torres", email="ana@ejemplo.invalid")
    client = login(coordinator)
    response = client.post(
        reverse("trainings:enrol", args=[course.uuid]),
        {
            "person-full_name": "Ana T.",
            "person-email": "Ana@Ejemplo.invalid",
            "person-sex": "female",
            "person-country": "",
        },
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(course=course).person == known


def test_api_course_detail_lists_modules_and_sessions(
    login: Any, world: Any, coordinator: Any
) -> None:
    course = make_course(coordinator, modules=2, sessions=3)
    client = login(world.user("helpline.care"))
    data = client.get(reverse("trainings_api:course-detail", args=[course.uuid])).json()
    assert [m["title"] for m in data["modules"]] == ["Módulo 1", "Módulo 2"]
    assert len(data["sessions"]) == 3 and data["status"] == "open"
    assert "id" not in data


def test_schema_allows_a_session_without_module(client: Any) -> None:
    schemas = client.get(reverse("api:schema"), {"format": "json"}).json()["components"]
    assert schemas["schemas"]["TrainingSession"]["properties"]["module"]["nullable"] is True
