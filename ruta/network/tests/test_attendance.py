"""Attendance: the check-in list, walk-ins, and the CSV import of a video-call report
(header variants of Zoom, Meet and Teams; every bad row with its line; all or nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruta.network import actions
from ruta.network.models import Attendance, AttendanceSource, Person, Registration
from ruta.network.tests.factories import make_meeting, make_network

pytestmark = pytest.mark.django_db

ZOOM = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
    "Ana Pérez,ana@example.org,04/20/2022 03:01:12 PM,04/20/2022 05:00:00 PM,119\n"
    "Luis Rojas,LUIS@example.org,04/20/2022 03:05:00 PM,04/20/2022 04:00:00 PM,55\n"
    "Ana Pérez,ana@example.org,04/20/2022 04:10:00 PM,04/20/2022 05:00:00 PM,50\n"
)


def _csv(text: str, name: str = "asistencia.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_zoom_report_is_imported_once_per_person(world: Any) -> None:
    meeting = make_meeting(make_network(world))
    summary = actions.import_attendance(world.user("coordinator"), meeting, ZOOM.encode())
    assert (summary.rows, summary.created, summary.new_people) == (2, 2, 2)
    assert set(meeting.attendances.values_list("person__email", flat=True)) == {
        "ana@example.org",
        "luis@example.org",
    }
    ana = Attendance.objects.get(person__email="ana@example.org")
    assert ana.source == AttendanceSource.CSV
    assert ana.checked_in_at.hour == 20  # 15:01 in Lima is 20:01 UTC
    again = actions.import_attendance(world.user("coordinator"), meeting, ZOOM.encode())
    assert (again.created, again.already) == (0, 2)


def test_teams_utf16_tab_report_with_summary_block(world: Any) -> None:
    meeting = make_meeting(make_network(world))
    text = (
        "1. Summary\n"
        "Meeting title\tReunión de intercambio\n"
        "\n"
        "2. Participants\n"
        "Name\tFirst Join\tLast Leave\tEmail\tOrganization\n"
        "María Gómez\t4/20/22, 3:00:10 PM\t4/20/22, 5:00:00 PM\tmaria@example.org\tCARE\n"
    )
    summary = actions.import_attendance(world.user("coordinator"), meeting, text.encode("utf-16"))
    assert summary.created == 1
    attendance = Attendance.objects.get()
    assert attendance.organization == world.care  # matched by acronym


def test_meet_report_with_first_and_last_name_semicolons(world: Any) -> None:
    meeting = make_meeting(make_network(world))
    text = "Nombre de pila;Apellidos;Correo electrónico;Hora de entrada\nRosa;Díaz;rosa@example.org;15:02\n"
    actions.import_attendance(world.user("coordinator"), meeting, text.encode("cp1252"))
    person = Person.objects.get()
    assert person.full_name == "Rosa Díaz"


def test_bad_rows_are_all_reported_and_nothing_is_committed(world: Any) -> None:
    meeting = make_meeting(make_network(world))
    text = (
        "Name,Email,Organization,Join time\n"
        "Ana Pérez,ana@example.org,CARE,2022-04-20 15:00\n"
        "Sin Correo,no-es-un-correo,HIAS,2022-04-20 15:00\n"
        ",,,\n"
        ",,CARE,2022-04-20 15:00\n"
        "Luis Rojas,luis@example.org,,ayer por la tarde\n"
    )
    with pytest.raises(actions.AttendanceImportError) as caught:
        actions.import_attendance(world.user("coordinator"), meeting, text.encode())
    lines = [line for line, _message in caught.value.errors]
    assert lines == [3, 5, 6]
    assert "no-es-un-correo" in caught.value.errors[0][1]
    assert not Attendance.objects.exists()
    assert not Person.objects.exists()


def test_file_without_a_header_is_refused(world: Any) -> None:
    meeting = make_meeting(make_network(world))
    with pytest.raises(actions.AttendanceImportError) as caught:
        actions.import_attendance(world.user("coordinator"), meeting, b"foo,bar\n1,2\n")
    assert caught.value.errors[0][0] == 1


def test_import_page_shows_line_numbers(client: Any, login: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    login(world.user("coordinator"))
    url = reverse("network:attendance_import", kwargs={"uuid": meeting.uuid})
    bad = "Name,Email\nAna,ana@example.org\nLuis,luis@\n"
    response = client.post(url, {"file": _csv(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "3:" in html and "luis@" in html
    assert not Attendance.objects.exists()
    good = client.post(url, {"file": _csv(ZOOM)})
    assert good.status_code == 302
    assert Attendance.objects.count() == 2


def test_check_in_list_marks_registrants_and_walk_ins(client: Any, login: Any, world: Any) -> None:
    meeting = make_meeting(make_network(world))
    ana = Person.objects.create(full_name="Ana", email="ana@example.org", organization=world.hias)
    luis = Person.objects.create(full_name="Luis", email="luis@example.org")
    for person in (ana, luis):
        Registration.objects.create(meeting=meeting, person=person, source="public")
    login(world.user("coordinator"))
    url = reverse("network:checkin", kwargs={"uuid": meeting.uuid})
    page = client.get(url)
    assert "Ana" in page.content.decode() and "Luis" in page.content.decode()
    client.post(url, {"present": [str(ana.uuid), str(luis.uuid)]})
    assert meeting.attendances.count() == 2
    assert meeting.attendances.get(person=ana).organization == world.hias  # snapshot
    client.post(url, {"present": [str(ana.uuid)]})
    assert list(meeting.attendances.values_list("person__full_name", flat=True)) == ["Ana"]

    walk_in = reverse("network:walk_in", kwargs={"uuid": meeting.uuid})
    response = client.post(
        walk_in,
        {"full_name": "Rosa", "organization_name": "HIAS", "sex": "female", "country": "PE"},
    )
    assert response.status_code == 302
    rosa = meeting.attendances.get(person__full_name="Rosa")
    assert rosa.organization == world.hias
    bad = client.post(walk_in, {"full_name": "", "sex": "female", "country": "PE"})
    assert bad.status_code == 400
    assert meeting.attendances.count() == 2
