"""Role homes show each role's own work: counts on a known dataset, the next action."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from ruta.cases import actions
from ruta.cases.models import ApprovalKind, RiskLevel
from ruta.cases.tests.factories import (
    make_assessment,
    make_case,
    make_follow_up,
    make_plan,
)
from ruta.directory.tests.factories import make_service
from ruta.network.tests.factories import make_meeting, make_network
from ruta.practices.tests.factories import make_practice

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def counts(page: str) -> dict[str, int]:
    found = re.findall(r'data-work="(\w+)"><a [^>]*><span class="work-count">(\d+)</span>', page)
    return {key: int(n) for key, n in found}


def caseload(world: Any) -> None:
    """CARE: one urgent case with an overdue action and a contact due (its assessment
    waiting for approval), and one case whose assessment was returned."""
    worker, boss = world.user("caseworker.care"), world.user("supervisor.care")
    busy = make_case(worker, risk_level=RiskLevel.URGENT)
    make_plan(worker, busy, due_on=days(-3))
    make_follow_up(worker, busy, happened_on=days(-7), next_contact_on=days(-1))
    actions.request_approval(
        worker, busy, ApprovalKind.ASSESSMENT, make_assessment(worker, busy).uuid
    )
    quiet = make_case(worker)
    request = actions.request_approval(
        worker, quiet, ApprovalKind.ASSESSMENT, make_assessment(worker, quiet).uuid
    )
    actions.decide_approval(boss, request, approve=False, comment="Completar")
    make_case(world.user("caseworker.hias"), risk_level=RiskLevel.URGENT)  # another agency


def test_caseworker_home_counts_their_day(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    caseload(world)
    client = login(world.user("caseworker.care"))
    with django_assert_max_num_queries(40):
        page = client.get("/").content.decode()
    assert counts(page) == {
        "due_contacts": 1,
        "overdue_actions": 1,
        "returned_approvals": 1,
        "referrals_waiting": 0,
    }
    assert '<span class="work-label">contacto pendiente para hoy</span>' in page
    assert "Siguiente: 1 contacto pendiente para hoy" in page
    # The next action is the first line with work: today's contact.
    assert re.search(r'class="button primary" href="/casos/\?attention=contact"', page)
    assert "próximamente" not in page
    assert 'href="/casos/"' in page  # the Cases card links to the cases


def test_caseworker_home_in_english(world: Any, login: Any) -> None:
    caseload(world)
    page = login(world.user("caseworker.care")).get("/en/").content.decode()
    for label in ("contact due today", "overdue action", "approval returned to you"):
        assert f'<span class="work-label">{label}</span>' in page
    assert '<span class="work-label">referrals waiting for an answer</span>' in page  # 0: plural
    assert "Next: 1 contact due today" in page
    assert "coming soon" not in page


def test_supervisor_home_counts_the_team(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    caseload(world)
    client = login(world.user("supervisor.care"))
    with django_assert_max_num_queries(45):
        page = client.get("/en/").content.decode()
    found = counts(page)
    assert found["pending_approvals"] == 1
    assert found["urgent_cases"] == 1  # HIAS's urgent case is not CARE's
    assert "Overdue actions per caseworker" in page
    assert "Caseworker Care" in page
    assert "Next: 1 approval waiting" in page


def test_coordinator_home_counts_the_network(world: Any, login: Any) -> None:
    make_service(world.care, "Nunca verificado")  # never verified: to verify
    make_service(world.care, "Al día", last_verified_at=timezone.now())
    make_practice(world, "BP_A", status="submitted")
    make_practice(world, "BP_B", status="draft")
    meeting = make_meeting(make_network(world), title="Reunión de marzo")
    page = login(world.user("coordinator")).get("/en/").content.decode()
    found = counts(page)
    assert found["stale_services"] == 1
    assert found["practices_to_review"] == 1
    assert found["pathway_checks"] == 0
    assert "Reunión de marzo" in page
    assert str(meeting.uuid) in page
    assert "cases" not in " ".join(found)


def test_agency_admin_home_counts_accounts_and_services(world: Any, login: Any) -> None:
    make_service(world.care, "Por confirmar")
    make_service(world.hias, "De otra agencia")
    admin = world.user("agency_admin.care")
    page = login(admin).get("/en/").content.decode()
    found = counts(page)
    assert found["services_to_confirm"] == 1
    # CARE's four accounts have no authenticator app (the test login uses a static device).
    assert found["without_two_factor"] == 4
    assert found["role_grants"] == 0


@pytest.mark.parametrize("busy", [True, False])
def test_every_home_has_one_primary_button_at_most(world: Any, login: Any, busy: bool) -> None:
    """One next step per page: the work's next line, or today's work, or (for the desk's
    operators) a new contact; never two side by side."""
    if busy:
        caseload(world)
    for key in (
        "caseworker.care",
        "supervisor.care",
        "coordinator",
        "agency_admin.care",
        "helpline.care",
        "analyst",
        "admin",
    ):
        page = login(world.user(key)).get("/").content.decode()
        primaries = re.findall(r'class="button primary"', page)
        assert len(primaries) <= 1, (key, len(primaries))
    operator = login(world.user("helpline.care")).get("/").content.decode()
    assert re.search(r'class="button primary" href="/linea/contactos/nuevo/"', operator)
