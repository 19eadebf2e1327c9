"""Helpers for the account tests: log in through the web form, compute TOTP codes, enrol."""

from __future__ import annotations

import re
import time
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from ruta.accounts import actions


def post_login(client: Any, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Submit the login form as a browser would."""
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def totp_code(device: TOTPDevice) -> str:
    """The next code the authenticator app shows that the device has not accepted yet.

    A TOTP device refuses a code it already accepted (replay protection), so a second
    use within the same 30 seconds takes the code of the following period, which the
    device's one-step tolerance accepts, exactly as a phone would show it a moment later.
    """
    device.refresh_from_db()
    current = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(current, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Enrol ``user`` in TOTP through the actions, as the set-up page does."""
    device = actions.start_totp_enrolment(user)
    codes = actions.confirm_totp_enrolment(user, device, totp_code(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def error_text(response: Any) -> str:
    """The text of the page's error summary (empty when the page shows none)."""
    html = response.content.decode()
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    if match is None:
        return ""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


@pytest.fixture
def enrolled(world: Any) -> Any:
    """Enrol a world user in TOTP; returns (device, recovery codes)."""

    def _enrolled(key: str) -> tuple[TOTPDevice, list[str]]:
        return enrol(world.user(key))

    return _enrolled
