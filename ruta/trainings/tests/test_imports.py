"""Importing enrolments from CSV and XLSX: every bad row reported, nothing partial."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.network.models import Person
from ruta.trainings import imports
from ruta.trainings.models import Enrolment
from ruta.trainings.tests.factories import make_course, make_person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The assertions read the English messages (the msgids), whatever the catalogs hold.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def coordinator(world: Any) -> Any:
    return world.user("coordinator")


@pytest.fixture
def course(coordinator: Any) -> Any:
    return make_course(coordinator, country="SV")


def xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BAD_ROWS = [
    ["Nombre completo", "Correo electrónico", "Institución", "Sexo", "País"],
    ["Funcionaria 01", "f01@ejemplo.invalid", "CARE", "F", "El Salvador"],
    ["", "f02@ejemplo.invalid", "MINSAL", "mujer", "SV"],  # line 3: no name
    ["Funcionaria 03", "no-es-correo", "MINSAL", "F", "SV"],  # line 4: bad e-mail
    ["Funcionario 04", "f04@ejemplo.invalid", "MINSAL", "hombre", "Narnia"],  # line 5
    ["Funcionaria 05", "F01@ejemplo.invalid", "MINSAL", "x", "SV"],  # line 6: dup + sex
]


def _upload(client: Any, course: Any, name: str, content: bytes, kind: str) -> Any:
    return client.post(
        reverse("trainings:import", args=[course.uuid]),
        {"file": SimpleUploadedFile(name, content, content_type=kind)},
    )


def _check_bad_rows_report(response: Any) -> None:
    assert response.status_code == 400
    issues = response.context["result"].issues
    found = {(issue.line, issue.field) for issue in issues}
    assert found == {
        (3, "name"),
        (4, "email"),
        (5, "country"),
        (6, "email"),
        (6, "sex"),
    }
    page = response.content.decode()
    assert "5 problems found; nothing was imported." in page
    assert "This e-mail address is already on line 2." in page
    assert not Enrolment.objects.exists()
    assert not Person.objects.filter(email__endswith="@ejemplo.invalid").exists()


def test_csv_bad_rows_are_all_reported_and_nothing_is_written(
    login: Any, coordinator: Any, course: Any
) -> None:
    text = "\n".join(";".join(row) for row in BAD_ROWS) + "\n"
    response = _upload(login(coordinator), course, "lista.csv", text.encode(), "text/csv")
    _check_bad_rows_report(response)


def test_xlsx_bad_rows_are_all_reported_and_nothing_is_written(
    login: Any, coordinator: Any, course: Any
) -> None:
    response = _upload(login(coordinator), course, "lista.xlsx", xlsx(BAD_ROWS), XLSX)
    _check_bad_rows_report(response)


def test_good_xlsx_enrols_everyone_and_matches_people_by_email(
    login: Any, coordinator: Any, course: Any, world: Any
) -> None:
    known = make_person("Ana Torres", email="ana@ejemplo.invalid", organization=world.hias)
    content = xlsx(
        [
            ["Name", "E-mail", "Organization", "Sex", "Country"],
            ["Ana T.", "ANA@ejemplo.invalid", "HIAS", "female", "PE"],
            ["Luis Gómez", "luis@ejemplo.invalid", "care perú", "M", "Peru"],
            ["Rosa Paz", "rosa@ejemplo.invalid", "Alcaldía de Soyapango", "", ""],
        ]
    )

    response = _upload(login(coordinator), course, "lista.xlsx", content, XLSX)

    assert response.status_code == 302
    assert Enrolment.objects.filter(course=course).count() == 3
    assert Person.objects.filter(email="ana@ejemplo.invalid").count() == 1
    assert Enrolment.objects.filter(course=course, person=known, source="import").exists()
    luis = Person.objects.get(email="luis@ejemplo.invalid")
    assert (luis.organization, luis.sex, luis.country) == (world.care, "male", "PE")
    rosa = Person.objects.get(email="rosa@ejemplo.invalid")
    assert rosa.organization is None and rosa.organization_name == "Alcaldía de Soyapango"
    assert (rosa.sex, rosa.country) == ("undisclosed", "SV")  # the course's country
    event = AuditEvent.objects.get(action="training.enrolments_imported")
    assert event.details["enrolled"] == 3 and event.details["new_people"] == 2


def test_missing_required_column_is_reported_on_line_1(coordinator: Any, course: Any) -> None:
    result = imports.import_enrolments(
        coordinator, course, "lista.csv", b"Organizacion,Sexo\nCARE,F\n"
    )
    assert not result.ok
    assert [(i.line, i.field) for i in result.issues] == [(1, "name, email")]


def test_reimport_reports_already_enrolled(coordinator: Any, course: Any) -> None:
    content = b"nombre,correo\nAna,ana@ejemplo.invalid\n"
    first = imports.import_enrolments(coordinator, course, "a.csv", content)
    again = imports.import_enrolments(coordinator, course, "a.csv", content)
    assert (first.enrolled, again.enrolled, again.already) == (1, 0, 1)


def test_wrong_file_type_is_refused(login: Any, coordinator: Any, course: Any) -> None:
    response = _upload(login(coordinator), course, "lista.pdf", b"%PDF-1.4", "application/pdf")
    assert response.status_code == 400
    assert "Choose a .csv or .xlsx file." in response.content.decode()
