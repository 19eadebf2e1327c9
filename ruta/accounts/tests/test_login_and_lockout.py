"""Logging in with e-mail and password, and django-axes locking an account on one device."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from conftest import PASSWORD
from ruta.accounts.tests.conftest import error_text, post_login
from ruta.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

WRONG = "not-the-password-at-all"
LIMIT = 5  # AXES_FAILURE_LIMIT


def _logged_in_as(client: Any) -> str | None:
    """The e-mail of the account this client is logged in as, asked of the API."""
    response = client.get(reverse("api:me"))
    return response.json()["email"] if response.status_code == 200 else None


def test_login_by_email_goes_to_the_dashboard(client: Any, world: Any) -> None:
    response = post_login(client, "coord@test.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert _logged_in_as(client) == "coord@test.org"


def test_login_email_is_case_insensitive(client: Any, world: Any) -> None:
    response = post_login(client, "  Coord@TEST.org ")
    assert response.status_code == 302
    assert _logged_in_as(client) == "coord@test.org"


def test_login_keeps_a_safe_next_and_drops_a_foreign_one(client: Any, world: Any) -> None:
    url = reverse("accounts:login")
    data = {"username": "coord@test.org", "password": PASSWORD}
    organizations = reverse("agencies:organization_list")
    assert client.post(url, {**data, "next": organizations})["Location"] == organizations
    client.logout()
    evil = client.post(url, {**data, "next": "https://evil.example/phish"})
    assert evil["Location"] == reverse("core:dashboard")


def test_wrong_password_gives_a_generic_error(client: Any, world: Any) -> None:
    wrong = post_login(client, "coord@test.org", WRONG)
    unknown = post_login(client, "nobody@test.org", WRONG)
    assert wrong.status_code == unknown.status_code == 200
    assert error_text(wrong)
    # The same words whether the account exists or not: nothing to enumerate.
    assert error_text(wrong) == error_text(unknown)
    assert _logged_in_as(client) is None


def test_inactive_account_is_refused_with_the_same_error(client: Any, world: Any) -> None:
    user = world.user("coordinator")
    user.is_active = False
    user.save()
    refused = post_login(client, user.email)
    assert refused.status_code == 200
    assert _logged_in_as(client) is None
    assert error_text(refused) == error_text(post_login(client, "nobody@test.org", WRONG))


@pytest.mark.parametrize(("demo_mode", "allowed"), [(False, False), (True, True)])
def test_demo_account_logs_in_only_in_demo_mode(
    client: Any, world: Any, settings: Any, demo_mode: bool, allowed: bool
) -> None:
    settings.RUTA_DEMO = demo_mode
    user = world.user("analyst")
    user.is_demo = True
    user.save()
    response = post_login(client, user.email)
    assert (response.status_code == 302) is allowed
    assert (_logged_in_as(client) == user.email) is allowed


def test_login_success_and_failure_are_audited(client: Any, world: Any) -> None:
    user = world.user("coordinator")
    post_login(client, user.email, WRONG, HTTP_USER_AGENT="TestBrowser/1")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.actor == user
    assert failed.ip_address == "127.0.0.1"
    assert failed.user_agent == "TestBrowser/1"
    assert failed.details == {"known_account": True}
    assert WRONG not in str(failed.details)

    post_login(client, user.email)
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == user
    assert login.organization == user.organization


def test_failure_for_an_unknown_account_is_audited_without_an_actor(
    client: Any, world: Any
) -> None:
    post_login(client, "nobody@test.org", WRONG)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.details == {"known_account": False}


def _fail(client: Any, email: str, times: int, **extra: Any) -> list[Any]:
    return [post_login(client, email, WRONG, **extra) for _ in range(times)]


def test_five_failures_lock_the_account_on_that_address(client: Any, world: Any) -> None:
    email = world.user("coordinator").email
    responses = _fail(client, email, LIMIT)
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1) + [429]

    right = post_login(client, email)
    wrong = post_login(client, email, WRONG)
    assert right.status_code == wrong.status_code == 429
    assert error_text(right) and error_text(right) == error_text(wrong)
    assert "15" in error_text(right)  # minutes of the cool-off
    assert _logged_in_as(client) is None


def test_four_failures_do_not_lock(client: Any, world: Any) -> None:
    email = world.user("coordinator").email
    _fail(client, email, LIMIT - 1)
    assert post_login(client, email).status_code == 302


def test_lockout_is_per_address(client: Any, world: Any) -> None:
    email = world.user("coordinator").email
    _fail(client, email, LIMIT)
    assert post_login(client, email).status_code == 429
    other = post_login(client, email, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302
    assert _logged_in_as(client) == email


def test_lockout_is_per_account(client: Any, world: Any) -> None:
    _fail(client, world.user("coordinator").email, LIMIT)
    assert post_login(client, world.user("analyst").email).status_code == 302


def test_changing_the_case_of_the_email_does_not_escape_the_lockout(
    client: Any, world: Any
) -> None:
    variants = ["coord@test.org", "Coord@test.org", "COORD@test.org", "coord@TEST.org"]
    for email in [*variants, "CoOrD@TeSt.OrG"]:
        post_login(client, email, WRONG)
    assert post_login(client, "cOORD@test.org").status_code == 429
    assert _logged_in_as(client) is None


def test_lockout_ends_after_the_cool_off(client: Any, world: Any) -> None:
    email = world.user("coordinator").email
    _fail(client, email, LIMIT)
    assert post_login(client, email).status_code == 429
    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=16)
    attempt.save()
    assert post_login(client, email).status_code == 302


def test_lockout_is_audited(client: Any, world: Any) -> None:
    user = world.user("coordinator")
    _fail(client, user.email, LIMIT, REMOTE_ADDR="10.0.0.9")
    event = AuditEvent.objects.get(action="auth.locked_out")
    assert event.actor == user
    assert event.ip_address == "10.0.0.9"
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == LIMIT
