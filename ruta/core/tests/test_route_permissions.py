"""Every route has a rule and a name, and an object outside the user's scope is 404.

What each role gets from each route is checked against the hand-written access table in
``test_access_table.py``; this module keeps the structural checks: a new view without
``ruta_rule`` (or an API view without ``required_capability``) fails here.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse

from conftest import verified_login
from ruta.core.tests.routes import ROUTES, route_rule


def test_every_route_has_a_rule() -> None:
    missing = [name for name, callback in ROUTES if route_rule(callback) is None]
    assert missing == [], f"Routes without a permission rule: {missing}"


def test_every_route_is_named() -> None:
    unnamed = [name for name, _cb in ROUTES if ":" not in name and "/" in name]
    assert unnamed == []


def test_object_outside_scope_is_404(client: Any, world: Any) -> None:
    """An agency admin asking for another agency's user gets 404, not 403."""
    verified_login(client, world.user("agency_admin.care"))
    other = world.user("caseworker.hias")
    assert client.get(reverse("accounts:user_detail", args=[other.uuid])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[uuid.uuid4()])).status_code == 404
