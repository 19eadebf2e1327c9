"""Recording activities: own organization only, counts in one short form, registered
participants counted once, and the attendance sheet import (all or nothing)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruta.activities import actions
from ruta.activities.models import Activity, ActivityType, Attendance, Participant, SessionCount
from ruta.activities.tests.factories import make_activity, make_session
from ruta.audit.models import AuditEvent
from ruta.places.models import AdminArea

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def lima(db: Any) -> AdminArea:
    return AdminArea.objects.get(code="PE-LIM")


@pytest.fixture
def activity(world: Any, lima: AdminArea) -> Activity:
    return make_activity(world.user("caseworker.care"), admin1=lima)


def test_the_types_are_data_with_both_languages(db: Any) -> None:
    codes = set(ActivityType.objects.values_list("code", flat=True))
    assert {"support_group", "psychoeducation", "ipt_pm_group", "child_friendly_space"} <= codes
    assert all(t.name_es and t.name_en for t in ActivityType.objects.all())


def test_a_caseworker_records_an_activity_for_their_organization(
    client: Any, world: Any, login: Any, lima: AdminArea
) -> None:
    user = world.user("caseworker.care")
    login(user)
    response = client.post(
        reverse("activities:create"),
        {
            "title": "Grupo de apoyo de mujeres",
            "activity_type": ActivityType.objects.get(code="support_group").pk,
            "layers": ["2", "3"],
            "sector": "protection_gbv",
            "admin1": lima.pk,
            "facilitators": [user.pk],
            "external_facilitators": "Facilitadora comunitaria",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.organization == world.care
    assert activity.layers == [2, 3]
    assert list(activity.facilitators.all()) == [user]
    event = AuditEvent.objects.get(action="activity.created")
    assert event.details["layers"] == [2, 3]


def test_the_form_keeps_what_was_typed_and_requires_a_layer(
    client: Any, world: Any, login: Any
) -> None:
    login(world.user("caseworker.care"))
    response = client.post(reverse("activities:create"), {"title": "Taller sin capa"})
    assert response.status_code == 400
    assert 'value="Taller sin capa"' in response.content.decode()
    assert not Activity.objects.exists()


def test_another_agency_gets_404(client: Any, world: Any, login: Any, activity: Activity) -> None:
    login(world.user("caseworker.hias"))
    session = make_session(world.user("caseworker.care"), activity, dt.date(2026, 3, 5))
    assert client.get(reverse("activities:detail", args=[activity.uuid])).status_code == 404
    assert client.get(reverse("activities:counts", args=[session.uuid])).status_code == 404
    assert client.get(reverse("activities:list")).content.decode().count(activity.title) == 0


def test_a_district_outside_the_region_is_refused(
    client: Any, world: Any, login: Any, lima: AdminArea
) -> None:
    cusco = AdminArea.objects.get(code="PE-CUS")
    district = AdminArea.objects.create(
        code="PE-TEST-0801", country="PE", level=2, parent=cusco, name_es="Cusco", name_en="Cusco"
    )
    login(world.user("caseworker.care"))
    response = client.post(
        reverse("activities:create"),
        {
            "title": "Evento",
            "activity_type": ActivityType.objects.get(code="community_event").pk,
            "layers": ["2"],
            "sector": "integration",
            "admin1": lima.pk,
            "admin2": district.pk,
        },
    )
    assert response.status_code == 400
    assert "not in the chosen region" in response.content.decode()


def test_one_sessions_counts_in_one_form_and_again_replaces(
    client: Any, world: Any, login: Any, activity: Activity
) -> None:
    user = world.user("caseworker.care")
    session = make_session(user, activity, dt.date(2026, 3, 5))
    login(user)
    url = reverse("activities:counts", args=[session.uuid])
    data = {
        "population_type": "in_destination",
        "girls": 2,
        "boys": 1,
        "women": 9,
        "men": 3,
        "other": 0,
        "lgbtiq": 1,
        "disability": 2,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "women": 10}).status_code == 302
    count = SessionCount.objects.get()
    assert (count.total, count.women, count.lgbtiq) == (16, 10, 1)
    assert AuditEvent.objects.filter(action="activity.counts_saved").count() == 2


def test_counts_of_a_subgroup_cannot_exceed_the_total(
    client: Any, world: Any, login: Any, activity: Activity
) -> None:
    user = world.user("caseworker.care")
    session = make_session(user, activity, dt.date(2026, 3, 5))
    login(user)
    response = client.post(
        reverse("activities:counts", args=[session.uuid]),
        {"population_type": "host", "women": 2, "lgbtiq": 3, "disability": 0},
    )
    assert response.status_code == 400
    assert not SessionCount.objects.exists()
    with pytest.raises(actions.ActivityError):
        actions.save_counts(user, session, "host", {"women": 1, "disability": 2})


def test_a_registered_participant_is_one_person_across_sessions(
    world: Any, activity: Activity
) -> None:
    user = world.user("caseworker.care")
    first = make_session(user, activity, dt.date(2026, 3, 5))
    second = make_session(user, activity, dt.date(2026, 4, 2))
    fields = {"sex_age": "woman", "population_type": "in_transit", "name": "Ana Prueba"}
    _p, new = actions.record_attendance(user, first, "card-0042", fields)
    _same, again = actions.record_attendance(user, second, " CARD-0042 ", fields)
    assert (new, again) == (True, False)
    assert Participant.objects.count() == 1 and Attendance.objects.count() == 2
    # The code is never stored, only its keyed hash; the name is encrypted.
    stored = Participant.objects.values_list("code_hash", flat=True).get()
    assert "0042" not in stored
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM activities_participant")
        assert "Ana" not in cursor.fetchone()[0]
    details = AuditEvent.objects.filter(action="activity.attendance_recorded").values_list(
        "details", flat=True
    )
    assert all("0042" not in str(d) and "Ana" not in str(d) for d in details)
    # Another organization's same code is another person.
    hias = make_activity(world.user("caseworker.hias"), "Grupo HIAS")
    other = make_session(world.user("caseworker.hias"), hias, dt.date(2026, 3, 6))
    actions.record_attendance(world.user("caseworker.hias"), other, "card-0042", fields)
    assert Participant.objects.count() == 2


def test_a_session_with_people_cannot_be_removed(world: Any, activity: Activity) -> None:
    user = world.user("caseworker.care")
    session = make_session(user, activity, dt.date(2026, 3, 5))
    actions.save_counts(user, session, "host", {"men": 4})
    with pytest.raises(actions.ActivityError):
        actions.remove_session(user, session)


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_reports_every_bad_line_and_saves_nothing(
    client: Any, world: Any, login: Any, activity: Activity
) -> None:
    user = world.user("caseworker.care")
    make_session(user, activity, dt.date(2026, 3, 5))
    login(user)
    sheet = (
        "código;fecha;sexo y edad;tipo de población;discapacidad\n"
        "A1;2026-03-05;mujer;destino;no\n"
        ";2026-03-05;mujer;destino;no\n"
        "A2;2026-03-06;hombre;tránsito;\n"
        "A3;05/03/2026;alien;nowhere;maybe\n"
        "A1;2026-03-05;mujer;destino;no\n"
    ).encode()
    response = client.post(
        reverse("activities:import", args=[activity.uuid]),
        {"file": SimpleUploadedFile("asistencia.csv", sheet, content_type="text/csv")},
    )
    assert response.status_code == 400
    issues = [(i.line, i.field) for i in response.context["result"].issues]
    assert issues == [
        (3, "code"),
        (4, "date"),
        (5, "sex_age"),
        (5, "population_type"),
        (5, "disability"),
        (6, "code"),
    ]
    assert "asistencia.csv" in response.content.decode()
    assert not Participant.objects.exists() and not Attendance.objects.exists()


def test_import_from_xlsx_counts_a_person_once(
    client: Any, world: Any, login: Any, activity: Activity
) -> None:
    user = world.user("caseworker.care")
    make_session(user, activity, dt.date(2026, 3, 5))
    make_session(user, activity, dt.date(2026, 3, 12))
    login(user)
    content = _xlsx(
        [
            ["code", "date", "sex_age", "population_type", "lgbtiq", "name"],
            ["A1", dt.datetime(2026, 3, 5), "woman", "in destination", "yes", "Rosa"],
            ["A1", "12/03/2026", "woman", "in destination", "yes", ""],
            ["B7", "2026-03-12", "girl", "host", "", ""],
        ]
    )
    response = client.post(
        reverse("activities:import", args=[activity.uuid]),
        {"file": SimpleUploadedFile("sheet.xlsx", content)},
    )
    assert response.status_code == 302
    assert Participant.objects.count() == 2 and Attendance.objects.count() == 3
    event = AuditEvent.objects.get(action="activity.attendance_imported")
    assert event.details == {"rows": 3, "new_people": 2}


def test_an_xlsx_bomb_is_refused_before_it_is_opened(
    client: Any, world: Any, login: Any, activity: Activity
) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (40 * 1024 * 1024))
    login(world.user("caseworker.care"))
    response = client.post(
        reverse("activities:import", args=[activity.uuid]),
        {"file": SimpleUploadedFile("bomb.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Participant.objects.exists()


def test_sessions_and_attendance_through_the_pages(
    client: Any, world: Any, login: Any, activity: Activity
) -> None:
    login(world.user("supervisor.care"))
    add = reverse("activities:session_add", args=[activity.uuid])
    assert client.post(add, {"date": "2026-03-05", "modality": "online"}).status_code == 302
    refused = client.post(add, {"date": "not a date", "modality": "online"})
    assert refused.status_code == 400
    assert "Online" in refused.content.decode()  # the sessions stay listed beside the error
    session = activity.sessions.get()
    url = reverse("activities:attendance", args=[session.uuid])
    person = {"code": "X-9", "sex_age": "girl", "population_type": "pendular"}
    assert client.post(url, person).status_code == 302
    assert client.post(url, person).status_code == 302
    assert Attendance.objects.count() == 1
    assert client.post(url, {**person, "code": "   "}).status_code == 400
