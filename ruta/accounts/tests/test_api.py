"""The API: tokens for e-mail + password (+ TOTP), who am I, errors as JSON, the schema."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from ruta.accounts.models import ApiToken
from ruta.accounts.tests.conftest import totp_code
from ruta.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

TOKEN = reverse("api:token")
ME = reverse("api:me")


def _token(client: Any, email: str, password: str = PASSWORD, **body: Any) -> Any:
    return client.post(
        TOKEN,
        json.dumps({"email": email, "password": password, **body}),
        content_type="application/json",
    )


def _me(key: str) -> Any:
    return Client().get(ME, HTTP_AUTHORIZATION=f"Token {key}")


def test_token_for_email_and_password(client: Any, world: Any) -> None:
    response = _token(client, "COORD@test.org")
    assert response.status_code == 200
    key = response.json()["token"]
    me = _me(key)
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == "coord@test.org"
    assert body["role"] == "coordinator"
    assert body["organization"]["name"] == "GTRM Perú"
    assert body["organization"]["uuid"] == str(world.network.uuid)
    assert AuditEvent.objects.filter(action="auth.token_issued").count() == 1


def test_only_a_digest_of_the_key_is_stored(client: Any, world: Any) -> None:
    key = _token(client, "coord@test.org").json()["token"]
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_wrong_password_is_a_json_400(client: Any, world: Any) -> None:
    response = _token(client, "coord@test.org", "not-the-password-at-all")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"]
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_malformed_request_is_a_json_400(client: Any, world: Any) -> None:
    response = client.post(TOKEN, {"email": "not-an-email"})
    assert response.status_code == 400
    assert response.json()["message"]
    assert "password" in response.json()["errors"]


def test_enrolled_user_needs_a_totp_code(client: Any, world: Any, enrolled: Any) -> None:
    enrolled("caseworker.care")
    missing = _token(client, "caseworker.care@test.org")
    assert missing.status_code == 400
    assert missing.json()["code"] == "otp_required"
    wrong = _token(client, "caseworker.care@test.org", otp="000000x")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "otp_required"
    assert not ApiToken.objects.exists()


def test_enrolled_user_with_a_valid_totp_gets_a_token(
    client: Any, world: Any, enrolled: Any
) -> None:
    device, _codes = enrolled("caseworker.care")
    response = _token(client, "caseworker.care@test.org", otp=totp_code(device))
    assert response.status_code == 200
    me = _me(response.json()["token"])
    assert me.status_code == 200
    assert me.json()["two_factor_enabled"] is True


@pytest.mark.parametrize("email", ["caseworker.care@test.org", "agency_admin.care@test.org"])
def test_unenrolled_caseworker_is_refused_when_two_factor_is_required(
    client: Any, world: Any, email: str
) -> None:
    # Agency admins too: they grant the roles that read cases.
    response = _token(client, email)
    assert response.status_code == 403
    assert response.json()["message"]
    assert not ApiToken.objects.exists()


def test_locked_account_gets_a_json_429(client: Any, world: Any) -> None:
    for _attempt in range(4):
        assert _token(client, "coord@test.org", "not-the-password-at-all").status_code == 400
    fifth = _token(client, "coord@test.org", "not-the-password-at-all")
    assert fifth.status_code == 429
    locked = _token(client, "Coord@Test.org")  # the right password, any spelling
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked"
    assert locked.json()["message"] == fifth.json()["message"]
    assert not ApiToken.objects.exists()
    assert _token(Client(REMOTE_ADDR="10.0.0.2"), "coord@test.org").status_code == 200


def test_me_without_credentials_is_a_json_401(client: Any, world: Any) -> None:
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["message"]


def test_unknown_token_is_a_json_401(world: Any) -> None:
    response = _me("made-up-key")
    assert response.status_code == 401
    assert response.json()["message"]


def test_expired_token_is_refused(client: Any, world: Any) -> None:
    key = _token(client, "coord@test.org").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _me(key)
    assert response.status_code == 401
    assert response.json()["message"]


def test_tokens_expire_after_the_configured_days(client: Any, world: Any, settings: Any) -> None:
    settings.RUTA_API_TOKEN_DAYS = 7
    _token(client, "coord@test.org")
    lifetime = ApiToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)


def test_demo_account_gets_no_token_outside_demo_mode(client: Any, world: Any) -> None:
    user = world.user("coordinator")
    user.is_demo = True
    user.save()
    assert _token(client, user.email).status_code == 400


def test_schema_lists_the_token_and_me_paths(client: Any, world: Any) -> None:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]


def test_docs_page_has_no_inline_script(client: Any, world: Any) -> None:
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "the Swagger UI loads its scripts"
    assert all("src=" in attributes for attributes in scripts)
    # The bundles it loads are served by us, not by a CDN.
    assert all(re.search(r'src="/', attributes) for attributes in scripts)


def test_schema_says_which_input_may_not_be_blank(client: Any) -> None:
    """DRF refuses a blank password and an empty list; the schema says so, so that a client
    generating input from it is not refused."""
    schemas = client.get(reverse("api:schema"), {"format": "json"}).json()["components"]
    token = schemas["schemas"]["TokenRequest"]["properties"]
    assert token["password"]["minLength"] == 1
    assert token["email"]["pattern"] == r"\S"  # spaces only are blank once trimmed
    assert "minLength" not in token["otp"]  # may be blank
    participants = schemas["schemas"]["ConferenceCreate"]["properties"]["participants"]
    assert participants["minItems"] == 1


def test_schema_documents_json_request_bodies_only(client: Any) -> None:
    paths = client.get(reverse("api:schema"), {"format": "json"}).json()["paths"]
    media = {
        media_type
        for operations in paths.values()
        for operation in operations.values()
        if isinstance(operation, dict) and "requestBody" in operation
        for media_type in operation["requestBody"]["content"]
    }
    assert media == {"application/json"}
