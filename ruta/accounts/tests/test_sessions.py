"""Sessions end when idle, everywhere on request, and passwords are reset by e-mail."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, verified_login
from ruta.accounts import actions
from ruta.accounts.tests.conftest import error_text, post_login
from ruta.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DASHBOARD = reverse("core:dashboard")
# A page only a signed-in (and, where due, verified) person reaches: "/" is the public
# home to a signed-out visitor, so it cannot tell a live session from an ended one.
SIGNED_IN = reverse("accounts:security")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "a-brand-new-long-passphrase-77"


SIGNED_IN_AT = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine: Any) -> Any:
    """The test's own clock: it stands still until a test moves it on."""
    time_machine.move_to(SIGNED_IN_AT, tick=False)
    return time_machine


@pytest.fixture
def caseworker(client: Any, world: Any, clock: Any) -> Any:
    user = world.user("caseworker.care")
    verified_login(client, user)
    assert client.get(SIGNED_IN).status_code == 200  # stamps the session as seen
    return user


def test_idle_session_expires_after_thirty_minutes(
    client: Any, caseworker: Any, clock: Any
) -> None:
    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("agencies:organization_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/organizaciones/"
    assert SESSION_KEY not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert 'class="message message-info"' in login_page  # why they were logged out
    assert client.get(SIGNED_IN)["Location"].startswith(LOGIN)
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.actor == caseworker
    assert event.details == {"idle_minutes": 30}


def test_session_used_within_thirty_minutes_stays(client: Any, caseworker: Any, clock: Any) -> None:
    clock.shift(timedelta(minutes=29))
    assert client.get(SIGNED_IN).status_code == 200
    # ...and the request counts as activity: the clock starts again.
    clock.shift(timedelta(minutes=29))
    assert client.get(SIGNED_IN).status_code == 200
    assert not AuditEvent.objects.filter(action="auth.session_expired").exists()


def test_idle_limit_comes_from_the_setting(
    client: Any, caseworker: Any, settings: Any, clock: Any
) -> None:
    settings.RUTA_SESSION_IDLE_MINUTES = 5
    clock.shift(timedelta(minutes=6))
    assert client.get(SIGNED_IN)["Location"].startswith(LOGIN)


def test_idle_api_session_gets_json_401(client: Any, caseworker: Any, clock: Any) -> None:
    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert response.json()["message"]


def test_log_out_everywhere_ends_every_session_and_token(client: Any, world: Any) -> None:
    user = world.user("supervisor.care")
    other = verified_login(Client(), user)
    verified_login(client, user)
    key = actions.issue_api_token(user)
    token_client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert other.get(SIGNED_IN).status_code == 200
    assert token_client.get(reverse("api:me")).status_code == 200

    response = client.post(reverse("accounts:logout_everywhere"))
    assert response["Location"] == LOGIN
    assert client.get(SIGNED_IN)["Location"].startswith(LOGIN)
    assert other.get(SIGNED_IN)["Location"].startswith(LOGIN)
    assert token_client.get(reverse("api:me")).status_code == 401
    assert not user.api_tokens.exists()
    assert AuditEvent.objects.filter(action="auth.logout_all", actor=user).exists()


def test_plain_logout_keeps_other_sessions(client: Any, world: Any) -> None:
    user = world.user("supervisor.care")
    other = verified_login(Client(), user)
    verified_login(client, user)
    client.post(reverse("accounts:logout"))
    assert client.get(SIGNED_IN).status_code == 302
    assert other.get(SIGNED_IN).status_code == 200


def _reset_link(client: Any, email: str) -> str:
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email.lower()]
    match = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body)
    assert match is not None, mail.outbox[0].body
    return match.group(1)


def _choose_password(client: Any, link: str, password: str) -> Any:
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_password_reset_by_email(client: Any, world: Any) -> None:
    user = world.user("coordinator")
    elsewhere = verified_login(Client(), user)
    link = _reset_link(client, "Coord@Test.org")
    response = _choose_password(client, link, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")

    assert post_login(Client(), user.email, PASSWORD).status_code == 200  # old one is gone
    assert post_login(Client(), user.email, NEW_PASSWORD).status_code == 302
    # A reset ends the sessions opened with the old password.
    assert elsewhere.get(SIGNED_IN).status_code == 302
    # The link works once.
    assert error_text(_choose_password(Client(), link, "yet-another-passphrase-88")) == ""
    assert post_login(Client(), user.email, "yet-another-passphrase-88").status_code == 200
    assert AuditEvent.objects.filter(action="auth.password_reset_requested").count() == 1
    assert AuditEvent.objects.get(action="user.password_reset").actor == user


@pytest.mark.parametrize("weak", ["short-pw1", "password1234", "123456789012"])
def test_password_reset_refuses_weak_passwords(client: Any, world: Any, weak: str) -> None:
    user = world.user("coordinator")
    link = _reset_link(client, user.email)
    response = _choose_password(client, link, weak)
    assert response.status_code == 200
    assert error_text(response)
    assert post_login(Client(), user.email, PASSWORD).status_code == 302
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_password_reset_for_unknown_address_sends_nothing_and_looks_the_same(
    client: Any, world: Any
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    event = AuditEvent.objects.get(action="auth.password_reset_requested")
    assert event.details["known_account"] is False
    assert "nobody" not in str(event.details)  # a keyed hash of the address, for the limit
