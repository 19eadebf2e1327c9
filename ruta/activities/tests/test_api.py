"""The activities API, over a small dataset whose figures are counted by hand.

CARE (recorded by its caseworker), the clock at 15 June 2026:

    Grupo de Lima     support group, protection_gbv, PE-LIM / a district, a directory
                      service, layers 3 and 2 (as stored)
        2026-03-05    in person: in_destination girls 2 + women 3 (1 LGBTIQ+),
                      host men 4 + other 1 (1 with a disability); Ana and Beto present
        2026-03-19    online: Ana present
    Taller de Cusco   psychoeducation, health_mhpss, PE-CUS
        2026-05-10    hybrid, nobody recorded
    Sin sesiones      support group, education, no region, no session

HIAS: Grupo HIAS (PE-LIM), 2026-03-05 with host women 6.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import es, verified_login
from ruta.activities import actions
from ruta.activities.models import Activity, ActivityType, Participant
from ruta.activities.tests.factories import make_activity, make_session
from ruta.directory.tests.factories import make_service
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
D = dt.date
ANA = {"sex_age": "woman", "population_type": "in_destination", "name": "Ana Quispe Prueba"}
BETO = {"sex_age": "man", "population_type": "host", "name": "Beto Rojas Prueba"}
LIST = "activities_api:activity-list"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Dataset:
    lima: Activity
    cusco: Activity
    empty: Activity
    hias: Activity
    service: Any
    district: AdminArea


@pytest.fixture
def data(world: Any) -> Dataset:
    care, hias = world.user("caseworker.care"), world.user("caseworker.hias")
    lima_area = AdminArea.objects.get(code="PE-LIM")
    district = AdminArea.objects.create(
        code="PE-TEST-1501", country="PE", level=2, parent=lima_area, name_es="Lima", name_en="Lima"
    )
    service = make_service(world.care, "Escucha activa")
    lima = make_activity(
        care,
        "Grupo de Lima",
        admin1=lima_area,
        admin2=district,
        service=service,
        layers=[3, 2],
        external_facilitators="Rosa Facilitadora Externa",
    )
    first = make_session(care, lima, D(2026, 3, 5))
    second = make_session(care, lima, D(2026, 3, 19), "online")
    actions.save_counts(care, first, "in_destination", {"girls": 2, "women": 3, "lgbtiq": 1})
    actions.save_counts(care, first, "host", {"men": 4, "other": 1, "disability": 1})
    for session in (first, second):
        actions.record_attendance(care, session, "ANA-0042", ANA)
    actions.record_attendance(care, first, "BETO-0077", BETO)
    cusco = make_activity(
        care,
        "Taller de Cusco",
        admin1=AdminArea.objects.get(code="PE-CUS"),
        activity_type=ActivityType.objects.get(code="psychoeducation"),
        sector="health_mhpss",
    )
    make_session(care, cusco, D(2026, 5, 10), "hybrid")
    empty = make_activity(care, "Sin sesiones", sector="education")
    other = make_activity(hias, "Grupo HIAS", admin1=lima_area)
    held = make_session(hias, other, D(2026, 3, 5))
    actions.save_counts(hias, held, "host", {"women": 6})
    return Dataset(lima, cusco, empty, other, service, district)


def _client(world: Any, key: str) -> Client:
    return verified_login(Client(), world.user(key))


def _detail(activity: Activity) -> str:
    return reverse("activities_api:activity-detail", kwargs={"uuid": activity.uuid})


def _titles(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{reverse(LIST)}?{query}")
    assert response.status_code == 200, response.json()
    return [item["title"] for item in response.json()["results"]]


def test_an_activity_gives_its_sessions_and_their_counts(world: Any, data: Dataset) -> None:
    client = _client(world, "supervisor.care")
    response = client.get(_detail(data.lima))
    assert response.status_code == 200
    body = response.json()
    support_group = ActivityType.objects.get(code="support_group")
    first, second = data.lima.sessions.order_by("date")
    assert body == {
        "uuid": str(data.lima.uuid),
        "title": "Grupo de Lima",
        "organization": {"uuid": str(world.care.uuid), "acronym": "CARE", "name": "CARE Perú"},
        "activity_type": {
            "code": "support_group",
            "name_es": support_group.name_es,
            "name_en": support_group.name_en,
        },
        "layers": [2, 3],
        "sector": "protection_gbv",
        "admin1": "PE-LIM",
        "admin2": "PE-TEST-1501",
        "service": str(data.service.uuid),
        "modalities": ["in_person", "online"],
        "anonymous": 10,
        "registered": 2,  # Ana at both sessions counts once
        "created_at": "2026-06-15T07:00:00-05:00",
        "sessions": [
            {
                "uuid": str(first.uuid),
                "date": "2026-03-05",
                "modality": "in_person",
                "counts": [
                    {
                        "population_type": "host",
                        "girls": 0,
                        "boys": 0,
                        "women": 0,
                        "men": 4,
                        "other": 1,
                        "lgbtiq": 0,
                        "disability": 1,
                        "total": 5,
                    },
                    {
                        "population_type": "in_destination",
                        "girls": 2,
                        "boys": 0,
                        "women": 3,
                        "men": 0,
                        "other": 0,
                        "lgbtiq": 1,
                        "disability": 0,
                        "total": 5,
                    },
                ],
                "anonymous": 10,
                "registered": 2,
            },
            {
                "uuid": str(second.uuid),
                "date": "2026-03-19",
                "modality": "online",
                "counts": [],
                "anonymous": 0,
                "registered": 1,
            },
        ],
    }
    listed = client.get(reverse(LIST)).json()["results"]
    assert [item for item in listed if item["uuid"] == str(data.lima.uuid)] == [body]
    empty = client.get(_detail(data.empty)).json()
    assert (empty["admin1"], empty["service"], empty["modalities"], empty["sessions"]) == (
        None,
        None,
        [],
        [],
    )
    assert (empty["anonymous"], empty["registered"]) == (0, 0)


def test_no_answer_holds_a_participant_or_a_facilitator(world: Any, data: Dataset) -> None:
    client = _client(world, "caseworker.care")
    texts = [client.get(reverse(LIST)).content.decode()]
    texts += [client.get(_detail(a)).content.decode() for a in (data.lima, data.cusco)]
    assert "Grupo de Lima" in texts[0]  # the answers are the ones that would hold them
    secrets = ["ANA-0042", "BETO-0077", "Quispe", "Rojas", "Rosa"]
    for person in Participant.objects.all():
        secrets += [person.code_hash, str(person.uuid)]
    assert len(secrets) == 9
    # The number of a code on its own, as a value; not four digits inside a random UUID or
    # a timestamp's microseconds (which made this test fail one run in a few hundred).
    alone = re.compile(r"(?<![\w-])0042(?![\w-])")
    for text in texts:
        assert [secret for secret in secrets if secret in text] == []
        assert alone.findall(text) == []


def test_each_organization_reads_its_own_activities_only(world: Any, data: Dataset) -> None:
    care = _client(world, "caseworker.care")
    # Newest first: the order they were recorded in, the latest first.
    assert _titles(care) == ["Sin sesiones", "Taller de Cusco", "Grupo de Lima"]
    assert _titles(_client(world, "supervisor.care")) == _titles(care)
    hias = _client(world, "caseworker.hias")
    assert _titles(hias) == ["Grupo HIAS"]
    assert care.get(_detail(data.hias)).status_code == 404
    assert hias.get(_detail(data.lima)).status_code == 404
    assert hias.get(_detail(data.hias)).status_code == 200
    # The coordinator records activities for the network's organization: none of these.
    coordinator = _client(world, "coordinator")
    assert _titles(coordinator) == []
    assert coordinator.get(_detail(data.lima)).status_code == 404
    # Readers of figures read people reached, not the activities (as on the pages).
    for key in ("agency_admin.care", "analyst", "helpline.care", "admin"):
        assert _client(world, key).get(reverse(LIST)).status_code == 403, key
        assert _client(world, key).get(_detail(data.lima)).status_code == 403, key
    assert Client().get(reverse(LIST)).status_code == 401


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("sector=health_mhpss", ["Taller de Cusco"]),
        ("type=support_group", ["Sin sesiones", "Grupo de Lima"]),
        ("type=art_therapy", []),
        ("admin1=PE-LIM", ["Grupo de Lima"]),
        ("admin1=PE-LIM&sector=education", []),
        ("since=2026-03-19", ["Taller de Cusco", "Grupo de Lima"]),
        ("since=2026-03-20", ["Taller de Cusco"]),
        ("until=2026-03-05", ["Grupo de Lima"]),
        ("until=2026-03-04", []),
        ("since=2026-03-01&until=2026-05-31", ["Taller de Cusco", "Grupo de Lima"]),
        # One session within both bounds: not one after the first and another before the last.
        ("since=2026-03-06&until=2026-03-18", []),
        ("since=2026-05-10&until=2026-05-10&type=psychoeducation", ["Taller de Cusco"]),
    ],
)
def test_the_list_filters_by_sector_type_region_and_session_dates(
    world: Any, data: Dataset, query: str, titles: list[str]
) -> None:
    assert _titles(_client(world, "caseworker.care"), query) == titles


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("since=2026-03-20&until=2026-03-19", "until", "The first day must come before the last."),
        ("since=March", "since", "Enter a valid date."),
        (
            "sector=sports",
            "sector",
            "Select a valid choice. %(value)s is not one of the available choices.",
        ),
    ],
)
def test_a_bad_filter_is_refused_with_the_reason(
    world: Any, query: str, field: str, message: str
) -> None:
    response = _client(world, "caseworker.care").get(f"{reverse(LIST)}?{query}")
    assert response.status_code == 400
    assert response.json() == {
        "message": es("Some fields are not valid."),
        "errors": {field: [es(message) % {"value": "sports"}]},
    }


def test_the_list_reads_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    care = world.user("caseworker.care")
    client = _client(world, "caseworker.care")

    def add(count: int) -> None:
        for number in range(count):
            activity = make_activity(care, f"Grupo {number}", service=make_service(world.care))
            for day in (D(2026, 3, 5), D(2026, 4, 2)):
                session = make_session(care, activity, day)
                actions.save_counts(care, session, "host", {"women": 2})
                actions.record_attendance(care, session, f"P-{number}", ANA)

    add(2)
    # The session and the second factor (3), the count, the activities, their sessions and
    # the sessions' counts (4), the session's save (3 with its savepoint).
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse(LIST)).json()["results"]) == 2
    add(8)
    with django_assert_max_num_queries(10):  # the same with 10 activities, 20 sessions
        assert len(client.get(reverse(LIST)).json()["results"]) == 10
