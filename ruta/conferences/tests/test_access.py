"""Only participants see a conference (HTML and API), after acknowledging confidentiality,
and other organizations only while the survivor's consent to share stands."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.urls import reverse

from conftest import make_user
from ruta.audit.models import AuditEvent
from ruta.cases import actions as case_actions
from ruta.cases.models import Consent, ConsentPurpose
from ruta.cases.tests.factories import ALIAS, CODE_WORD, FAMILY_NAMES, GIVEN_NAMES, make_case
from ruta.conferences import actions
from ruta.conferences.tests.factories import MINUTES, PLACE, make_conference
from ruta.lib.permissions import Role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _detail(conference: Any) -> str:
    return reverse("conferences:conference_detail", args=[conference.uuid])


def _api_detail(conference: Any) -> str:
    return reverse("conferences_api:conference-detail", kwargs={"uuid": conference.uuid})


def _api_uuids(client: Any) -> set[str]:
    response = client.get(reverse("conferences_api:conference-list"))
    assert response.status_code == 200
    return {row["uuid"] for row in json.loads(response.content)["results"]}


@pytest.mark.parametrize(
    "key", ["supervisor.care", "caseworker.care", "supervisor.hias"], ids=lambda k: k
)
def test_participants_see_the_conference(client: Any, login: Any, world: Any, key: str) -> None:
    conference = make_conference(world)
    actions.save_minutes(world.user("supervisor.care"), conference, MINUTES)
    login(world.user(key))
    page = client.get(_detail(conference))
    assert page.status_code == 200
    assert MINUTES in page.content.decode()
    assert client.get(_api_detail(conference)).status_code == 200
    assert str(conference.uuid) in _api_uuids(client)
    listing = client.get(reverse("conferences:my_conferences")).content.decode()
    assert _detail(conference) in listing


@pytest.mark.parametrize(
    "key",
    ["other_supervisor.care", "caseworker.hias", "outsider", "helpline.care", "agency_admin.care"],
)
def test_everybody_else_gets_404(client: Any, login: Any, world: Any, key: str) -> None:
    """Non-participants, even another supervisor of the case's organization, see nothing."""
    world.users["other_supervisor.care"] = make_user(
        "other.supervisor.care@test.org", Role.SUPERVISOR, world.care
    )
    conference = make_conference(world)
    login(world.user(key))
    can_view_cases = key not in ("helpline.care", "agency_admin.care")
    expected = 404  # case data: a role without case access is answered as a stranger
    assert client.get(_detail(conference)).status_code == expected
    assert client.get(_api_detail(conference)).status_code == expected
    ack = reverse("conferences:acknowledge", args=[conference.uuid])
    assert client.post(ack, {"confirm": "on"}).status_code == expected
    if can_view_cases:
        assert str(conference.uuid) not in _api_uuids(client)
        listing = client.get(reverse("conferences:my_conferences")).content.decode()
        assert str(conference.uuid) not in listing
        minutes = reverse("conferences:minutes", args=[conference.uuid])
        assert client.post(minutes, {"minutes": "x"}).status_code == 404


def test_missing_conference_is_404(client: Any, login: Any, world: Any) -> None:
    login(world.user("supervisor.care"))
    missing = reverse("conferences:conference_detail", args=[uuid.uuid4()])
    assert client.get(missing).status_code == 404


def test_acknowledgement_gate(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world, acknowledge=False)
    actions.save_minutes(world.user("supervisor.care"), conference, MINUTES)
    hias = world.user("supervisor.hias")
    login(hias)
    page = client.get(_detail(conference)).content.decode()
    assert 'name="confirm"' in page
    for secret in (MINUTES, PLACE, "Avances del plan"):
        assert secret not in page
    # The API neither lists nor shows it yet.
    assert str(conference.uuid) not in _api_uuids(client)
    assert client.get(_api_detail(conference)).status_code == 403
    # Acknowledging without ticking the box is refused and changes nothing.
    ack = reverse("conferences:acknowledge", args=[conference.uuid])
    refused = client.post(ack, {})
    assert refused.status_code == 400
    assert MINUTES not in refused.content.decode()
    assert client.post(ack, {"confirm": "on"}).status_code == 302
    page = client.get(_detail(conference)).content.decode()
    assert MINUTES in page and PLACE in page and "Avances del plan" in page
    assert str(conference.uuid) in _api_uuids(client)
    assert AuditEvent.objects.filter(
        action="conference.acknowledged", actor=hias, object_uuid=conference.uuid
    ).exists()


def test_api_acknowledge(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world, acknowledge=False)
    login(world.user("caseworker.care"))
    url = reverse("conferences_api:conference-acknowledge", kwargs={"uuid": conference.uuid})
    assert client.post(url, {"confirm": False}, content_type="application/json").status_code == 400
    assert client.post(url, {"confirm": True}, content_type="application/json").status_code == 200
    assert client.get(_api_detail(conference)).status_code == 200


def test_every_read_is_audited(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world)
    login(world.user("supervisor.hias"))
    client.get(_detail(conference))
    client.get(_api_detail(conference))
    reads = AuditEvent.objects.filter(
        action="conference.read", object_uuid=conference.uuid, actor=world.user("supervisor.hias")
    )
    assert reads.count() == 2


def test_other_organization_sees_only_a_minimal_case_header(
    client: Any, login: Any, world: Any
) -> None:
    conference = make_conference(world)
    login(world.user("supervisor.hias"))
    page = client.get(_detail(conference)).content.decode()
    api = client.get(_api_detail(conference)).content.decode()
    for body in (page, api):
        assert conference.case.code in body
        for name in (f"{GIVEN_NAMES} {FAMILY_NAMES}", FAMILY_NAMES, ALIAS, CODE_WORD):
            assert name not in body
    # No link to the case, and the case itself stays out of reach.
    assert reverse("cases:case_detail", args=[conference.case.uuid]) not in page
    assert client.get(reverse("cases:case_detail", args=[conference.case.uuid])).status_code in (
        403,
        404,
    )


def test_consent_gate_on_invitation(client: Any, login: Any, world: Any) -> None:
    """Without an active consent to share with HIAS, nobody from HIAS can be invited."""
    case = make_case(world.user("caseworker.care"))
    with pytest.raises(actions.ConsentMissing, match="HIAS"):
        make_conference(world, case, participants=[world.user("supervisor.hias")])
    # Through the page: HIAS people are not even offered, and a forged POST is refused.
    login(world.user("supervisor.care"))
    url = reverse("conferences:convene", args=[case.uuid])
    form = client.get(url).content.decode()
    assert str(world.user("supervisor.hias").uuid) not in form
    assert str(world.user("caseworker.care").uuid) in form
    response = client.post(
        url,
        {
            "scheduled_at": "2099-01-01T10:00",
            "modality": "online",
            "participants": [str(world.user("supervisor.hias").uuid)],
            "agenda_progress": "Avances",
            "confirm": "on",
        },
    )
    assert response.status_code == 400
    assert "Avances" in response.content.decode()  # what was typed is kept
    assert not case.conferences.exists()


def test_withdrawal_cuts_access_at_once(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world)
    hias = world.user("supervisor.hias")
    actions.record_action(
        world.user("supervisor.care"),
        conference,
        description="Orientación legal",
        owner=hias,
        due_on=conference.scheduled_at.date(),
    )
    from ruta.conferences.work import open_actions_for

    assert open_actions_for(hias).count() == 1
    login(hias)
    assert client.get(_detail(conference)).status_code == 200
    consent = Consent.objects.get(
        case=conference.case, purpose=ConsentPurpose.SHARE, recipient=world.hias
    )
    case_actions.withdraw_consent(world.user("caseworker.care"), consent, "Retira")
    assert client.get(_detail(conference)).status_code == 404
    assert client.get(_api_detail(conference)).status_code == 404
    assert str(conference.uuid) not in _api_uuids(client)
    assert open_actions_for(hias).count() == 0
    assert "Orientación legal" not in client.get(reverse("conferences:my_actions")).content.decode()
    # The case's own organization keeps access.
    login(world.user("caseworker.care"))
    assert client.get(_detail(conference)).status_code == 200
