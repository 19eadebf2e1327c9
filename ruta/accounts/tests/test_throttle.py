"""Credential stuffing over many addresses locks the account; password-reset e-mails are
rate-limited per address and per connection without telling anyone which accounts exist."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from ruta.accounts.tests.conftest import post_login
from ruta.accounts.throttle import RESETS_PER_ACCOUNT, RESETS_PER_CLIENT
from ruta.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _stuff(email: str, addresses: int, tries_each: int = 4) -> None:
    """Wrong passwords for ``email`` from many addresses, each under the per-address limit."""
    for index in range(addresses):
        client = _from(f"203.0.113.{index + 1}")
        for _attempt in range(tries_each):
            assert post_login(client, email, "wrong-password-123").status_code == 200


def test_failures_spread_over_addresses_lock_the_account_everywhere(
    world: Any, settings: Any
) -> None:
    settings.RUTA_ACCOUNT_FAILURE_LIMIT = 12
    _stuff("caseworker.care@test.org", addresses=3)  # 12 failures, 4 from each address
    fresh = _from("198.51.100.7")
    locked = post_login(fresh, "caseworker.care@test.org", PASSWORD)
    assert locked.status_code == 429  # even with the right password, from a new address
    token = fresh.post(
        reverse("api:token"),
        json.dumps({"email": "caseworker.care@test.org", "password": PASSWORD}),
        content_type="application/json",
    )
    assert token.status_code == 429 and token.json()["code"] == "locked"
    # Another account is not touched.
    assert post_login(fresh, "supervisor.care@test.org", PASSWORD).status_code == 302


def test_fewer_failures_than_the_account_limit_do_not_lock(world: Any, settings: Any) -> None:
    settings.RUTA_ACCOUNT_FAILURE_LIMIT = 12
    _stuff("caseworker.care@test.org", addresses=2)  # 8 failures
    assert post_login(_from("198.51.100.7"), "caseworker.care@test.org").status_code == 302


def _reset(client: Client, email: str) -> Any:
    return client.post(reverse("accounts:password_reset"), {"email": email})


def test_password_reset_mails_are_limited_per_account(world: Any) -> None:
    for index in range(RESETS_PER_ACCOUNT + 2):
        response = _reset(_from(f"203.0.113.{index + 1}"), "caseworker.care@test.org")
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == RESETS_PER_ACCOUNT
    assert AuditEvent.objects.filter(action="auth.password_reset_throttled").count() == 2
    # Another account still gets its e-mail.
    _reset(_from("203.0.113.99"), "supervisor.care@test.org")
    assert len(mail.outbox) == RESETS_PER_ACCOUNT + 1


def test_password_reset_requests_are_limited_per_connection(world: Any) -> None:
    client = _from("203.0.113.50")
    for index in range(RESETS_PER_CLIENT):
        _reset(client, f"nobody{index}@example.org")
    throttled = _reset(client, "caseworker.care@test.org")
    assert throttled.status_code == 302  # the same answer as ever...
    assert mail.outbox == []  # ...but no e-mail
    assert len(_reset(_from("203.0.113.51"), "caseworker.care@test.org").url) > 0
    assert len(mail.outbox) == 1


def test_reset_trail_holds_no_address(world: Any) -> None:
    _reset(_from("203.0.113.1"), "caseworker.care@test.org")
    event = AuditEvent.objects.get(action="auth.password_reset_requested")
    assert "caseworker" not in json.dumps(event.details)
    assert set(event.details) == {"known_account", "account"}
