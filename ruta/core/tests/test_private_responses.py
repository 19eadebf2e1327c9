"""No copy of a signed-in page is kept by a browser or proxy; pages ask for no device
feature except the finder's location."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_login
from ruta.accounts import actions as account_actions
from ruta.cases.tests.factories import make_case
from ruta.directory.tests.factories import make_service

pytestmark = pytest.mark.django_db


def _no_store(response: Any) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_response_to_a_signed_in_caseworker_is_no_store(world: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    client = verified_login(Client(), worker)
    for response in (
        client.get(reverse("cases:case_detail", args=[case.uuid])),
        client.get(reverse("cases:case_list")),
        client.get(reverse("cases:today")),
        client.get(reverse("cases:case_list"), HTTP_HX_REQUEST="true"),  # an htmx partial
        client.get(reverse("core:dashboard")),
        client.get(reverse("finder:search")),  # public pages too, once signed in
        client.get("/no-such-page/"),
    ):
        assert _no_store(response), (response.request["PATH_INFO"], response.get("Cache-Control"))


def test_api_responses_to_a_token_are_no_store(world: Any) -> None:
    worker = world.user("caseworker.care")
    make_case(worker)
    key = account_actions.issue_api_token(worker)
    for path in ("/api/v1/cases/", reverse("api:me")):
        response = Client().get(path, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 200
        assert _no_store(response), path
    refused = Client().get("/api/v1/cases/", HTTP_AUTHORIZATION="Token wrong")
    assert refused.status_code == 401 and _no_store(refused)


def test_anonymous_public_pages_keep_their_caching(client: Any, world: Any) -> None:
    service = make_service(world.care, "Apoyo psicosocial")
    for name, args in (("finder:search", []), ("finder:service_detail", [service.uuid])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), name


def test_only_the_finder_may_ask_for_the_location(client: Any, world: Any) -> None:
    service = make_service(world.care, "Apoyo psicosocial")
    finder = client.get(reverse("finder:search"))["Permissions-Policy"]
    assert "geolocation=(self)" in finder
    for response in (
        client.get(reverse("finder:service_detail", args=[service.uuid])),
        client.get(reverse("accounts:login")),
        client.get("/healthz"),
        client.get(reverse("api:me")),
    ):
        policy = response["Permissions-Policy"]
        assert "geolocation=()" in policy and "camera=()" in policy and "microphone=()" in policy
    assert "camera=()" in finder and "geolocation=()" not in finder


def test_the_api_404_keeps_every_security_header(world: Any) -> None:
    worker = world.user("caseworker.care")
    key = account_actions.issue_api_token(worker)
    response = Client().get("/api/v1/cases/not-a-uuid/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404 and response.json()["message"]
    assert _no_store(response)
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
