"""Every route has a rule, and every role gets exactly what the permission matrix says.

The cases are generated from the URL resolver and the matrix: a new view without
``ruta_rule`` (or an API view without ``required_capability``) fails here.
"""

from __future__ import annotations

import functools
import importlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import verified_login
from ruta.accounts.permissions import (
    AUTHENTICATED,
    HIDDEN_WHEN_DENIED,
    PUBLIC,
    Cap,
    Role,
    role_can,
)

ROLE_KEYS = {
    Role.ADMIN: "admin",
    Role.COORDINATOR: "coordinator",
    Role.ANALYST: "analyst",
    Role.AGENCY_ADMIN: "agency_admin.care",
    Role.SUPERVISOR: "supervisor.care",
    Role.CASEWORKER: "caseworker.care",
    Role.HELPLINE: "helpline.care",
}


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            found.append((name or prefix + str(entry.pattern), entry.callback))
    return found


def route_rule(callback: Any) -> Any:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None and hasattr(view_class, "required_capability"):
        return view_class.required_capability
    return getattr(callback, "ruta_rule", None)


ROUTES = sorted({name: cb for name, cb in _walk(get_resolver().url_patterns)}.items())


def test_every_route_has_a_rule() -> None:
    missing = [name for name, callback in ROUTES if route_rule(callback) is None]
    assert missing == [], f"Routes without a permission rule: {missing}"


def test_every_route_is_named() -> None:
    unnamed = [name for name, _cb in ROUTES if ":" not in name and "/" in name]
    assert unnamed == []


# Objects a route needs in its URL come from ``ruta/<app>/tests/route_examples*.py``
# modules: ``examples(world) -> {url name: {"kwargs": {...}, "method": "post", "data": {...}}}``.
# A route whose URL needs arguments and has no example fails in ``reverse``.
@functools.cache
def _example_modules() -> list[Any]:
    root = Path(__file__).resolve().parents[2]
    return [
        importlib.import_module(".".join(path.relative_to(root.parent).with_suffix("").parts))
        for path in sorted(root.glob("*/tests/route_examples*.py"))
    ]


# Which example module holds which URL names, learnt the first time each module runs:
# afterwards a test builds only the one module its route needs (each builds cases,
# referrals, meetings... in the database, so building them all for every test is slow).
_NAMES_BY_MODULE: dict[str, frozenset[str]] = {}


def _example(world: Any, name: str) -> dict[str, Any]:
    modules = _example_modules()
    known = [m for m in modules if name in _NAMES_BY_MODULE.get(m.__name__, frozenset())]
    unknown = [m for m in modules if m.__name__ not in _NAMES_BY_MODULE]
    for module in known + unknown:
        found = module.examples(world)
        _NAMES_BY_MODULE[module.__name__] = frozenset(found)
        if name in found:
            example: dict[str, Any] = found[name]
            return example
    return {}


DENIED = {403, 404}


def _request(client: Any, name: str, world: Any) -> Any:
    example = _example(world, name)
    url = reverse(name, kwargs=example.get("kwargs", {}))
    if example.get("method", "get") == "post":
        return client.post(url, example.get("data", {}))
    return client.get(url)


CASES = [
    (name, role)
    for name, callback in ROUTES
    if isinstance(route_rule(callback), Cap)
    for role in Role.values
]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_role_gets_what_the_matrix_says(client: Any, world: Any, name: str, role: str) -> None:
    rule = route_rule(dict(ROUTES)[name])
    verified_login(client, world.user(ROLE_KEYS[role]))
    response = _request(client, name, world)
    if role_can(role, rule):
        assert response.status_code not in DENIED, (name, role, response.status_code)
        assert response.status_code < 500
    else:
        # Case routes answer 404, as for a case of another agency; other routes 403.
        expected = 404 if rule in HIDDEN_WHEN_DENIED else 403
        assert response.status_code == expected, (name, role, response.status_code)


@pytest.mark.parametrize(
    "name", [name for name, cb in ROUTES if route_rule(cb) not in (PUBLIC, None)]
)
def test_anonymous_is_sent_to_login(client: Any, world: Any, name: str) -> None:
    response = _request(client, name, world)
    if getattr(dict(ROUTES)[name], "cls", None) is not None:  # a DRF view: JSON 401
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", [name for name, cb in ROUTES if route_rule(cb) == PUBLIC])
def test_public_routes_open_to_anonymous(client: Any, world: Any, name: str) -> None:
    response = _request(client, name, world)
    assert response.status_code not in (401, 403, 404, 500), (name, response.status_code)


@pytest.mark.parametrize("name", [name for name, cb in ROUTES if route_rule(cb) == AUTHENTICATED])
def test_authenticated_routes_open_to_every_role(client: Any, world: Any, name: str) -> None:
    for role in Role.values:
        verified_login(client, world.user(ROLE_KEYS[role]))
        response = _request(client, name, world)
        assert response.status_code not in (401, 403, 404, 500), (name, role, response.status_code)
        client.logout()


def test_object_outside_scope_is_404(client: Any, world: Any) -> None:
    """An agency admin asking for another agency's user gets 404, not 403."""
    verified_login(client, world.user("agency_admin.care"))
    other = world.user("caseworker.hias")
    assert client.get(reverse("accounts:user_detail", args=[other.uuid])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[uuid.uuid4()])).status_code == 404
