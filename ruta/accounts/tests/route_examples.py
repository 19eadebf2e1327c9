"""URL arguments for the role grant routes (see ruta/core/tests/test_route_permissions)."""

from __future__ import annotations

from typing import Any

from conftest import make_user
from ruta.accounts.models import RoleGrant, User
from ruta.lib.permissions import Role


def examples(world: Any) -> dict[str, dict[str, Any]]:
    """A CARE account waiting to become a caseworker, asked by CARE's agency admin."""
    person = User.objects.filter(email="pending.caseworker@test.org").first() or make_user(
        "pending.caseworker@test.org", Role.CASEWORKER, world.care, is_active=False
    )  # the route tests may build the examples more than once in one test
    grant, _created = RoleGrant.objects.get_or_create(
        user=person,
        organization=world.care,
        role=Role.CASEWORKER,
        requested_by=world.user("agency_admin.care"),
    )
    target = {"grant_uuid": grant.uuid}
    return {
        "accounts:role_grant_confirm": {"kwargs": target, "method": "post"},
        "accounts:role_grant_refuse": {"kwargs": target, "method": "post"},
    }
