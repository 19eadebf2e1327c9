"""The routes and the permission matrix agree with the access table, and every role gets
exactly what the table says.

``access_table.TABLE`` is the policy written by hand. The first test compares it with the
live URL resolver and ``ruta.lib.permissions`` (no database): a new route, a removed
route, a view whose declared rule changed or a changed row of the matrix fails until the
table changes with it. The second calls every route once as each role and as an
anonymous visitor, and checks the real answer: the page's heading, the redirect's
target, the JSON's keys or the download's content type; 403/404 for a refused role; the
login page (HTML) or 401 (API) for an anonymous visitor.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from conftest import verified_login
from ruta.core.tests.access_table import (
    ANONYMOUS,
    LOGIN,
    ROLES,
    TABLE,
    Access,
    Body,
    Empty,
    File,
    Json,
    JsonList,
    Outcome,
    Page,
    Redirect,
)
from ruta.core.tests.routes import ROLE_KEYS, ROUTES, example, request, route_rule
from ruta.lib.permissions import AUTHENTICATED, HIDDEN_WHEN_DENIED, PUBLIC, Cap, role_can

ACTORS = (*ROLES, ANONYMOUS)


def _live_access(rule: Any) -> tuple[frozenset[str], int | None]:
    """Who the code lets in under ``rule``, and what a refused logged-in role gets."""
    if rule == PUBLIC:
        return frozenset(ACTORS), None
    if rule == AUTHENTICATED:
        return frozenset(ROLES), None
    if isinstance(rule, Cap):
        allowed = frozenset(role for role in ROLES if role_can(role, rule))
        return allowed, 404 if rule in HIDDEN_WHEN_DENIED else 403
    return frozenset(), None


def _disagreements(name: str, rule: Any, entry: Access) -> list[str]:
    allowed, denied = _live_access(rule)
    rule_name = getattr(rule, "value", rule)
    problems = []
    for actor in ACTORS:
        wanted, live = actor in entry.who, actor in allowed
        if wanted and not live:
            problems.append(
                f"{name}: the table lets {actor} in, the code refuses them (rule {rule_name})"
            )
        elif live and not wanted:
            problems.append(
                f"{name}: the table refuses {actor}, the code lets them in (rule {rule_name})"
            )
    refused = set(ROLES) - entry.who
    if refused and denied is not None and denied != entry.denied:
        problems.append(
            f"{name}: the table answers refused roles {entry.denied}, the code {denied} "
            f"(rule {rule_name})"
        )
    return problems


def test_table_matches_the_routes_and_the_matrix() -> None:
    live = dict(ROUTES)
    problems = [
        f"{name}: a route missing from access_table.TABLE (rule {getattr(route_rule(cb), 'value', route_rule(cb))})"
        for name, cb in ROUTES
        if name not in TABLE
    ]
    problems += [
        f"{name}: in access_table.TABLE but no such route" for name in TABLE if name not in live
    ]
    for name, entry in TABLE.items():
        if name in live:
            problems += _disagreements(name, route_rule(live[name]), entry)
    assert not problems, "The access table and the code disagree:\n" + "\n".join(problems)


def test_table_is_well_formed() -> None:
    problems = [
        f"{name}: per_role names {actor}, who is not allowed"
        for name, entry in TABLE.items()
        for actor in entry.per_role
        if actor not in entry.who
    ]
    problems += [
        f"{name}: refused roles get {entry.denied}, not 403 or 404"
        for name, entry in TABLE.items()
        if entry.denied not in (403, 404)
    ]
    problems += [
        f"{name}: an empty Body matches any page"
        for name, entry in TABLE.items()
        for outcome in (entry.ok, *entry.per_role.values())
        if isinstance(outcome, Body) and not outcome.text
    ]
    assert not problems, "\n".join(problems)


# --- Calling every route as every role ---------------------------------------------------


def _is_api(name: str) -> bool:
    return name.split(":")[0].endswith("api")


def _first_h1(body: str) -> str | None:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    if found is None:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def _target(response: Any) -> str | None:
    try:
        return resolve(urlsplit(response["Location"]).path).view_name
    except Resolver404:
        return None


def _describe(response: Any) -> str:
    """What came back, briefly, for a failure message."""
    status, kind = response.status_code, response.get("Content-Type", "")
    if response.has_header("Location"):
        return f"{status} to {response['Location']}"
    if "html" in kind and not response.streaming:
        return f"{status} <h1> {_first_h1(response.content.decode())!r}"
    if "json" in kind and not response.streaming:
        data = response.json()
        shape = sorted(data)[:6] if isinstance(data, dict) else type(data).__name__
        return f"{status} JSON {shape}"
    return f"{status} {kind}"


def _matches(expected: Outcome, response: Any) -> bool:
    if response.status_code != expected.status:
        return False
    kind = response.get("Content-Type", "")
    if isinstance(expected, Redirect):
        return _target(response) == expected.to
    if isinstance(expected, Empty):
        return not response.content
    if isinstance(expected, File):
        return kind.split(";")[0].strip() == expected.content_type
    if isinstance(expected, Page | Body):
        if not kind.startswith("text/html") or response.streaming:
            return False
        body = response.content.decode()
        if isinstance(expected, Body):
            return expected.text in body
        heading = _first_h1(body)
        return heading is not None and expected.h1 in heading
    if not kind.startswith("application/json"):
        return False
    data = response.json()
    if isinstance(expected, JsonList):
        return isinstance(data, list)
    assert isinstance(expected, Json)
    return isinstance(data, dict) and expected.keys <= data.keys()


def _check_anonymous(name: str, response: Any) -> str | None:
    if _is_api(name):
        if response.status_code != 401:
            return f"expected 401, got {_describe(response)}"
        return None
    if response.status_code != 302 or _target(response) != LOGIN:
        return f"expected 302 to the login page, got {_describe(response)}"
    sent_back_to = parse_qs(urlsplit(response["Location"]).query).get("next", [""])[0]
    asked = response.request["PATH_INFO"]
    if urlsplit(sent_back_to).path != asked:
        return f"the login page would not send back to {asked} but to {sent_back_to!r}"
    return None


def _check(name: str, entry: Access, actor: str, response: Any) -> str | None:
    if actor in entry.who:
        expected = entry.outcome(actor)
        if _matches(expected, response):
            return None
        return f"expected {expected}, got {_describe(response)}"
    if actor == ANONYMOUS:
        return _check_anonymous(name, response)
    if response.status_code != entry.denied:
        return f"expected {entry.denied} (refused), got {_describe(response)}"
    return None


def _ask(name: str, world: Any, actor: str) -> Any:
    """Call ``name`` as ``actor`` in a savepoint undone afterwards, so roles do not see each
    other's changes (a role's POST that accepts a referral leaves it pending for the next)."""
    client = Client()
    with transaction.atomic():
        if actor != ANONYMOUS:
            verified_login(client, world.user(ROLE_KEYS[actor]))
        response = request(client, name, world)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_role_gets_what_the_table_says(world: Any, name: str) -> None:
    entry = TABLE[name]
    example(world, name)  # built once, outside the savepoints
    problems = []
    for actor in ACTORS:
        problem = _check(name, entry, actor, _ask(name, world, actor))
        if problem:
            problems.append(f"{name} as {actor}: {problem}")
    assert not problems, "\n".join(problems)
