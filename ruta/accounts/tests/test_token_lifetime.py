"""An API token dies with the credentials it was issued under, and on its own log out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import PASSWORD, verified_login
from ruta.accounts import actions
from ruta.accounts.models import ApiToken
from ruta.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = reverse("api:me")
CASES = "/api/v1/cases/"
NEW_PASSWORD = "another-long-passphrase-for-2026"


def _reads(key: str, url: str = ME) -> int:
    return Client().get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code


def _change_password(world: Any, user: Any) -> None:
    client = verified_login(Client(), user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:400]


def _reset_password(world: Any, user: Any) -> None:
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    form_url = client.get(url)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:400]


def _reset_two_factor(world: Any, user: Any) -> None:
    actions.reset_two_factor(world.user("agency_admin.care"), user)


def _raise_role(world: Any, user: Any) -> None:
    user.role = "supervisor"  # however the role changes, the old tokens end
    user.save(update_fields=["role"])


def _move_organization(world: Any, user: Any) -> None:
    user.organization = world.hias
    user.save(update_fields=["organization"])


def _deactivate(world: Any, user: Any) -> None:
    actions.set_active(world.user("agency_admin.care"), user, False)


def _log_out_everywhere(world: Any, user: Any) -> None:
    actions.log_out_everywhere(user)


EVENTS: dict[str, Callable[[Any, Any], None]] = {
    "password change": _change_password,
    "password reset": _reset_password,
    "2FA reset": _reset_two_factor,
    "role change": _raise_role,
    "organization change": _move_organization,
    "deactivation": _deactivate,
    "log out everywhere": _log_out_everywhere,
}


@pytest.mark.parametrize("event", list(EVENTS))
def test_token_dies_with_the_credentials_it_was_issued_under(world: Any, event: str) -> None:
    user = world.user("caseworker.care")
    key = actions.issue_api_token(user)
    assert _reads(key) == 200 and _reads(key, CASES) == 200
    EVENTS[event](world, user)
    assert _reads(key) == 401, event
    assert _reads(key, CASES) == 401, event


def test_unrelated_changes_keep_the_token(world: Any) -> None:
    user = world.user("caseworker.care")
    key = actions.issue_api_token(user)
    actions.set_language(user, "en")
    actions.issue_api_token(user)  # a second token for another device
    assert _reads(key) == 200


def test_log_out_revokes_only_the_calling_token(world: Any) -> None:
    user = world.user("caseworker.care")
    first, second = actions.issue_api_token(user), actions.issue_api_token(user)
    response = Client().post(reverse("api:logout"), HTTP_AUTHORIZATION=f"Token {first}")
    assert response.status_code == 204
    assert _reads(first) == 401
    assert _reads(second) == 200
    assert ApiToken.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="auth.token_revoked", actor=user).count() == 1


def test_log_out_without_a_token_is_401(world: Any) -> None:
    assert Client().post(reverse("api:logout")).status_code == 401
