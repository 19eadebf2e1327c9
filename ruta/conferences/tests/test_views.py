"""The conference pages and API through HTTP: convening, recording, lists and their
query counts, the API's create and its schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ruta.cases.models import PlanAction
from ruta.cases.tests.factories import make_case
from ruta.conferences import actions
from ruta.conferences.models import AgendaItem, Conference, ConferenceAction
from ruta.conferences.tests.factories import case_shared_with_hias, make_conference

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DUE = timezone.localdate() + dt.timedelta(days=5)


def test_supervisor_convenes_through_the_page(client: Any, login: Any, world: Any) -> None:
    case = case_shared_with_hias(world)
    login(world.user("supervisor.care"))
    url = reverse("conferences:convene", args=[case.uuid])
    form = client.get(url).content.decode()
    assert "HIAS" in form and str(world.user("supervisor.hias").uuid) in form
    hias = str(world.user("supervisor.hias").uuid)
    response = client.post(
        url,
        {
            "scheduled_at": (timezone.localtime() + dt.timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "modality": "hybrid",
            "place_or_link": "https://meet.example.org/abc",
            "survivor_invited": "on",
            "participants": [hias, str(world.user("caseworker.care").uuid)],
            f"role_{hias}": "Psicología",
            "agenda_progress": "Avances",
            "agenda_conflicts": "Conflicto de horarios",
            "agenda_other": "Punto uno\nPunto dos\n",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    conference = Conference.objects.get(case=case)
    assert response["Location"].endswith(f"{conference.uuid}/")
    assert list(conference.agenda_items.values_list("kind", "title")) == [
        ("progress", "Avances"),
        ("conflicts", "Conflicto de horarios"),
        ("other", "Punto uno"),
        ("other", "Punto dos"),
    ]
    roles = dict(conference.participants.values_list("user__email", "role"))
    assert roles[world.user("supervisor.hias").email] == "Psicología"
    assert conference.participants.get(user=world.user("supervisor.care")).has_acknowledged
    assert not conference.participants.get(user=world.user("supervisor.hias")).has_acknowledged


def test_convene_form_keeps_input_and_requires_the_commitment(
    client: Any, login: Any, world: Any
) -> None:
    case = case_shared_with_hias(world)
    login(world.user("supervisor.care"))
    response = client.post(
        reverse("conferences:convene", args=[case.uuid]),
        {"modality": "online", "agenda_barriers": "Barrera escrita"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Barrera escrita" in body and "error-summary" in body
    assert not AgendaItem.objects.exists()


def test_caseworker_cannot_convene(client: Any, login: Any, world: Any) -> None:
    case = case_shared_with_hias(world)
    login(world.user("caseworker.care"))
    assert client.get(reverse("conferences:convene", args=[case.uuid])).status_code == 404


def test_recording_through_the_page(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world)
    login(world.user("supervisor.care"))
    base = [conference.uuid]
    assert (
        client.post(reverse("conferences:minutes", args=base), {"minutes": "Acta"}).status_code
        == 302
    )
    assert (
        client.post(
            reverse("conferences:decision_create", args=base), {"text": "Decisión"}
        ).status_code
        == 302
    )
    response = client.post(
        reverse("conferences:action_create", args=base),
        {
            "description": "Acompañar",
            "owner": str(world.user("caseworker.care").uuid),
            "due_on": DUE.isoformat(),
            "need": "health",
        },
    )
    assert response.status_code == 302
    action = ConferenceAction.objects.get(conference=conference)
    assert PlanAction.objects.filter(pk=action.plan_action_id, case=conference.case).exists()
    page = client.get(reverse("conferences:conference_detail", args=base)).content.decode()
    assert "Acta" in page and "Decisión" in page and "Acompañar" in page
    # A bad action keeps what was typed.
    bad = client.post(
        reverse("conferences:action_create", args=base), {"description": "Sin responsable"}
    )
    assert bad.status_code == 400 and "Sin responsable" in bad.content.decode()


def test_other_organization_cannot_record(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world)
    login(world.user("supervisor.hias"))
    response = client.post(reverse("conferences:minutes", args=[conference.uuid]), {"minutes": "x"})
    assert response.status_code == 403
    conference.refresh_from_db()
    assert conference.minutes == ""


def test_owner_in_another_organization_marks_done_from_my_actions(
    client: Any, login: Any, world: Any
) -> None:
    conference = make_conference(world)
    hias = world.user("supervisor.hias")
    action = actions.record_action(
        world.user("supervisor.care"),
        conference,
        description="Cita psicológica",
        owner=hias,
        due_on=DUE,
    )
    login(hias)
    page = client.get(reverse("conferences:my_actions")).content.decode()
    assert "Cita psicológica" in page
    done = client.post(
        reverse("conferences:action_done", args=[conference.uuid, action.uuid]),
        {"next": "my_actions"},
    )
    assert done.status_code == 302 and done["Location"].endswith(reverse("conferences:my_actions"))
    action.refresh_from_db()
    assert action.is_done
    assert "Cita psicológica" not in client.get(reverse("conferences:my_actions")).content.decode()


def test_case_conferences_page_for_the_team(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world)
    login(world.user("caseworker.care"))
    page = client.get(reverse("conferences:case_conferences", args=[conference.case.uuid]))
    assert page.status_code == 200
    assert str(conference.uuid) in page.content.decode()
    login(world.user("supervisor.hias"))
    other = client.get(reverse("conferences:case_conferences", args=[conference.case.uuid]))
    assert other.status_code == 404


def _many(world: Any, count: int) -> None:
    for _ in range(count):
        conference = make_conference(world)
        actions.record_action(
            world.user("supervisor.care"),
            conference,
            description="Acción",
            owner=world.user("supervisor.hias"),
            due_on=DUE,
        )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("conferences:my_conferences", "supervisor.hias"),
        ("conferences:my_actions", "supervisor.hias"),
        ("conferences_api:conference-list", "supervisor.hias"),
        ("conferences:my_conferences", "caseworker.care"),
    ],
)
def test_list_query_counts_do_not_grow(
    client: Any,
    login: Any,
    world: Any,
    django_assert_max_num_queries: Any,
    name: str,
    key: str,
) -> None:
    _many(world, 2)
    login(world.user(key))
    client.get(reverse(name))  # warm up session and caches
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse(name)).status_code == 200
    _many(world, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_case_conferences_query_count(
    client: Any, login: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    case = case_shared_with_hias(world)
    for _ in range(5):
        make_conference(world, case)
    login(world.user("supervisor.care"))
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("conferences:case_conferences", args=[case.uuid])).status_code == 200
        )


# --- API ------------------------------------------------------------------------------
def _create_body(world: Any, case: Any, people: list[str]) -> dict[str, Any]:
    return {
        "case": str(case.uuid),
        "scheduled_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
        "modality": "online",
        "participants": people,
        "agenda": [{"kind": "progress", "title": "Avances"}],
    }


def test_api_create(client: Any, login: Any, world: Any) -> None:
    case = case_shared_with_hias(world)
    url = reverse("conferences_api:conference-list")
    body = _create_body(world, case, [str(world.user("supervisor.hias").uuid)])
    login(world.user("caseworker.care"))
    assert client.post(url, body, content_type="application/json").status_code == 403
    login(world.user("supervisor.care"))
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = json.loads(response.content)
    assert data["conference_status"] == "scheduled"
    assert data["case"]["code"] == case.code
    assert len(data["participants"]) == 2


def test_api_create_refuses_without_consent(client: Any, login: Any, world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    login(world.user("supervisor.care"))
    body = _create_body(world, case, [str(world.user("supervisor.hias").uuid)])
    response = client.post(
        reverse("conferences_api:conference-list"), body, content_type="application/json"
    )
    assert response.status_code == 409
    assert "HIAS" in json.loads(response.content)["detail"]
    assert "HIAS" in json.loads(response.content)["message"]  # the API-wide error key
    assert not Conference.objects.exists()


def test_api_create_on_a_case_out_of_reach_is_404(client: Any, login: Any, world: Any) -> None:
    case = case_shared_with_hias(world)
    login(world.user("supervisor.hias"))
    body = _create_body(world, case, [str(world.user("caseworker.hias").uuid)])
    response = client.post(
        reverse("conferences_api:conference-list"), body, content_type="application/json"
    )
    assert response.status_code == 404


def test_openapi_schema_documents_the_conference_api(client: Any) -> None:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/conferences/"])
    assert "get" in paths["/api/v1/conferences/{uuid}/"]
    assert "post" in paths["/api/v1/conferences/{uuid}/acknowledge/"]


@pytest.mark.parametrize("steps", [[], ["held"], ["held", "closed"], ["cancelled"]])
def test_conference_page_in_every_status(
    client: Any, login: Any, world: Any, steps: list[str]
) -> None:
    conference = make_conference(world)
    supervisor = world.user("supervisor.care")
    run = {
        "held": lambda: actions.mark_held(supervisor, conference, survivor_attended=False),
        "closed": lambda: actions.close(supervisor, conference, "Nota de cierre"),
        "cancelled": lambda: actions.cancel(supervisor, conference, "Nota de cierre"),
    }
    for step in steps:
        run[step]()
    for key in ("supervisor.care", "supervisor.hias"):
        login(world.user(key))
        page = client.get(reverse("conferences:conference_detail", args=[conference.uuid]))
        assert page.status_code == 200
        body = page.content.decode()
        editable = not steps or steps == ["held"]
        can_record = key == "supervisor.care" and editable
        assert ('name="minutes"' in body) is can_record
        if steps and steps[-1] != "held":
            assert "Nota de cierre" in body


def test_my_conferences_shows_what_to_acknowledge(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world, acknowledge=False)
    login(world.user("supervisor.hias"))
    body = client.get(reverse("conferences:my_conferences")).content.decode()
    assert str(conference.uuid) in body
    assert "Por aceptar" in body or "To acknowledge" in body


def test_before_acknowledging_only_the_case_code_shows(world: Any, login: Any) -> None:
    from ruta.cases.models import CaseType

    conference = make_conference(world, acknowledge=False)
    client = login(world.user("supervisor.hias"))
    page = client.get(reverse("conferences:conference_detail", args=[conference.uuid]))
    body = page.content.decode()
    assert conference.case.code in body
    assert str(CaseType(conference.case.case_type).label) not in body
