"""The pass rule decides certificates; the PDF and the public verification page."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.trainings import actions
from ruta.trainings.models import CODE_ALPHABET, CODE_LENGTH, Certificate, Course
from ruta.trainings.tests.factories import enrol, make_course, make_person, mark, passed_enrolment

# The assertions read the English messages (the msgids), whatever the catalogs hold.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def coordinator(world: Any) -> Any:
    return world.user("coordinator")


@pytest.fixture
def course(coordinator: Any, world: Any) -> Any:
    return make_course(
        coordinator, modules=3, sessions=4, min_attendance_pct=75, organizers=[world.care]
    )


def test_certificate_refused_with_what_is_missing(coordinator: Any, course: Any) -> None:
    enrolment = mark(
        coordinator, enrol(coordinator, course, make_person("Ana Torres")), modules=2, sessions=2
    )

    with pytest.raises(actions.NotPassed) as refused:
        actions.issue_certificate(coordinator, enrolment)

    message = str(refused.value)
    assert "2 of 3 modules completed; 3 modules are required." in message
    assert "Attended 2 of 4 sessions (50%); 75% attendance is required." in message
    assert not Certificate.objects.exists()


def test_certificate_issued_when_the_rule_is_met(coordinator: Any, course: Any) -> None:
    enrolment = mark(
        coordinator, enrol(coordinator, course, make_person("Ana Torres")), modules=3, sessions=3
    )

    certificate = actions.issue_certificate(coordinator, enrolment)

    assert certificate.issued_by == coordinator
    assert len(certificate.verification_code) == CODE_LENGTH
    assert set(certificate.verification_code) <= set(CODE_ALPHABET)
    assert AuditEvent.objects.filter(
        action="training.certificate_issued", object_uuid=certificate.uuid
    ).exists()
    with pytest.raises(actions.TrainingError, match="already issued"):
        actions.issue_certificate(coordinator, enrolment)


def test_min_modules_lowers_the_bar(coordinator: Any) -> None:
    course = make_course(coordinator, modules=5, sessions=0, min_modules=3, min_attendance_pct=0)
    enrolment = mark(coordinator, enrol(coordinator, course, make_person("Eva Ruiz")), modules=3)
    assert actions.issue_certificate(coordinator, enrolment).pk


def test_draft_course_gives_no_certificate(coordinator: Any) -> None:
    course = make_course(coordinator, sessions=0, min_attendance_pct=0)
    enrolment = passed_enrolment(coordinator, course, make_person("Eva Ruiz"))
    Course.objects.filter(pk=course.pk).update(status="draft")

    with pytest.raises(actions.TrainingError, match="draft"):
        actions.issue_certificate(coordinator, enrolment)


def test_issue_view_answers_409_with_the_reason(login: Any, coordinator: Any, course: Any) -> None:
    enrolment = mark(
        coordinator, enrol(coordinator, course, make_person("Ana Torres")), modules=1, sessions=4
    )
    client = login(coordinator)

    response = client.post(reverse("trainings:issue", args=[enrolment.uuid]))

    assert response.status_code == 409
    assert "1 of 3 modules completed" in response.content.decode()
    assert not Certificate.objects.exists()


def test_issue_to_all_who_passed(login: Any, coordinator: Any, course: Any) -> None:
    for name in ("Ana Torres", "Berta Díaz"):
        passed_enrolment(coordinator, course, make_person(name))
    mark(coordinator, enrol(coordinator, course, make_person("Carla Soto")), modules=1)
    client = login(coordinator)

    response = client.post(reverse("trainings:issue_all", args=[course.uuid]), follow=True)

    assert response.status_code == 200
    assert Certificate.objects.count() == 2
    assert (
        "Certificates issued: 2. Already had one: 0. Not passed yet: 1."
        in response.content.decode()
    )
    again = actions.issue_to_all_passed(coordinator, course)
    assert (again.issued, again.already, again.not_passed) == (0, 2, 1)


# --- PDF --------------------------------------------------------------------------------
def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603  (a fixed local tool on a temporary file)
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return " ".join(result.stdout.split())


@pytest.fixture
def certified(coordinator: Any, course: Any, world: Any) -> Certificate:
    person = make_person("Ana Lucía Torres", user=world.user("caseworker.care"))
    return actions.issue_certificate(coordinator, passed_enrolment(coordinator, course, person))


def test_pdf_has_name_course_and_code(
    login: Any, coordinator: Any, certified: Certificate, tmp_path: Path
) -> None:
    client = login(coordinator)

    response = client.get(reverse("trainings:certificate_pdf", args=[certified.uuid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "Ana Lucía Torres" in text
    assert "Curso de primeros auxilios psicológicos" in text
    assert certified.display_code in text
    assert "Módulo 3" in text and "CARE Perú" in text


def test_owner_downloads_own_certificate_others_get_404(
    login: Any, world: Any, certified: Certificate, course: Any, tmp_path: Path
) -> None:
    url = reverse("trainings:my_certificate_pdf", args=[course.uuid])

    response = login(world.user("caseworker.care")).get(url)
    assert response.status_code == 200
    assert certified.display_code in _pdf_text(response.content, tmp_path)

    assert login(world.user("caseworker.hias")).get(url).status_code == 404
    coordinator_only = reverse("trainings:certificate_pdf", args=[certified.uuid])
    assert login(world.user("caseworker.hias")).get(coordinator_only).status_code == 403


def test_revoked_certificate_is_not_downloadable_by_its_owner(
    login: Any, world: Any, coordinator: Any, certified: Certificate, course: Any
) -> None:
    actions.revoke_certificate(coordinator, certified, "Error de registro")
    url = reverse("trainings:my_certificate_pdf", args=[course.uuid])
    assert login(world.user("caseworker.care")).get(url).status_code == 404


# --- Public verification ----------------------------------------------------------------
def test_verification_confirms_a_valid_certificate(client: Any, certified: Certificate) -> None:
    typed = certified.display_code.lower().replace("-", " ")
    response = client.get(reverse("trainings:verify"), {"code": typed}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid certificate" in page
    assert "Ana Lucía Torres" in page
    assert "Curso de primeros auxilios psicológicos" in page


def test_verification_says_when_revoked(
    client: Any, coordinator: Any, certified: Certificate
) -> None:
    actions.revoke_certificate(coordinator, certified)
    response = client.get(reverse("trainings:verify_code", args=[certified.verification_code]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate was revoked" in page
    assert "Valid certificate" not in page


def test_verification_of_an_unknown_code_is_404_with_a_message(client: Any, db: Any) -> None:
    response = client.get(reverse("trainings:verify_code", args=["ZZZZ-ZZZZ-ZZZZ"]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "ZZZZ-ZZZZ-ZZZZ" in page
    assert "No certificate has this code" in page
