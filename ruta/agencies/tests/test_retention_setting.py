"""The retention period of closed cases: set by the platform admin or the agency's own
admin, at least one year, audited; another agency's is out of reach."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import verified_login
from ruta.agencies.models import default_retention_years
from ruta.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(organization: Any) -> str:
    return reverse("agencies:organization_retention", kwargs={"org_uuid": organization.uuid})


def test_the_agency_admin_sets_their_agencys_period(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    detail = client.get(reverse("agencies:organization_detail", args=[world.care.uuid]))
    assert _url(world.care) in detail.content.decode()
    response = client.post(_url(world.care), {"case_retention_years": "7"})
    assert response.status_code == 302
    world.care.refresh_from_db()
    assert world.care.retention_years == 7
    event = AuditEvent.objects.get(action="organization.retention_changed")
    assert event.details == {"fields": ["case_retention_years"]}
    assert event.organization == world.care


def test_less_than_a_year_is_refused_and_what_was_typed_is_kept(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    response = client.post(_url(world.care), {"case_retention_years": "0"})
    assert response.status_code == 200
    assert 'value="0"' in response.content.decode()
    world.care.refresh_from_db()
    assert world.care.case_retention_years is None


@override_settings(RUTA_CASE_RETENTION_YEARS=4)
def test_empty_means_the_installations_default(client: Any, world: Any) -> None:
    world.care.case_retention_years = 9
    world.care.save()
    verified_login(client, world.user("agency_admin.care"))
    assert client.post(_url(world.care), {"case_retention_years": ""}).status_code == 302
    world.care.refresh_from_db()
    assert world.care.retention_years == default_retention_years() == 4


def test_another_agencys_period_is_out_of_reach(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    assert client.get(_url(world.hias)).status_code == 404
    assert client.post(_url(world.hias), {"case_retention_years": "1"}).status_code == 404
    detail = client.get(reverse("agencies:organization_detail", args=[world.hias.uuid]))
    assert _url(world.hias) not in detail.content.decode()


def test_the_platform_admin_sets_any_agencys_period(client: Any, world: Any) -> None:
    verified_login(client, world.user("admin"))
    assert client.post(_url(world.hias), {"case_retention_years": "3"}).status_code == 302
    world.hias.refresh_from_db()
    assert world.hias.case_retention_years == 3


@pytest.mark.parametrize("key", ["coordinator", "supervisor.care", "caseworker.care"])
def test_other_roles_may_not(client: Any, world: Any, key: str) -> None:
    verified_login(client, world.user(key))
    assert client.post(_url(world.care), {"case_retention_years": "1"}).status_code == 403
    world.care.refresh_from_db()
    assert world.care.case_retention_years is None
