"""Two-factor authentication: the enrolment gate, enrolment, the second login step, resets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import verified_login
from ruta.accounts.tests.conftest import error_text, post_login, totp_code
from ruta.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GATED = ["caseworker.care", "supervisor.care", "helpline.care", "admin", "agency_admin.care"]
NOT_GATED = ["coordinator", "analyst"]
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:login_verify")
DASHBOARD = reverse("core:dashboard")
# A page only a signed-in (and, where due, verified) person reaches: "/" is the public
# home to a signed-out visitor, so it cannot tell a live session from an ended one.
SIGNED_IN = reverse("accounts:security")


@pytest.mark.parametrize("key", GATED)
def test_gated_role_without_a_device_only_reaches_enrolment(
    client: Any, world: Any, key: str
) -> None:
    response = post_login(client, world.user(key).email)
    assert response.status_code == 302  # the password was right
    for url in (DASHBOARD, reverse("agencies:organization_list"), SIGNED_IN):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"] == SETUP
    api = client.get(reverse("api:me"))
    assert api.status_code == 403
    assert api.json()["message"]
    assert client.get(SETUP).status_code == 200


def test_the_gate_answers_htmx_with_a_client_redirect(client: Any, world: Any) -> None:
    post_login(client, world.user("caseworker.care").email)
    response = client.get(SIGNED_IN, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == SETUP


@pytest.mark.parametrize("key", NOT_GATED)
def test_roles_without_case_data_are_not_gated(client: Any, world: Any, key: str) -> None:
    post_login(client, world.user(key).email)
    assert client.get(SIGNED_IN).status_code == 200
    assert client.get(reverse("agencies:organization_list")).status_code == 200
    assert client.get(reverse("api:me")).status_code == 200


def test_no_gate_when_two_factor_is_not_required(client: Any, world: Any, settings: Any) -> None:
    settings.RUTA_REQUIRE_2FA = False
    post_login(client, world.user("caseworker.care").email)
    assert client.get(SIGNED_IN).status_code == 200


def _start_enrolment(client: Any, user: Any) -> TOTPDevice:
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code is drawn here, not by an external service
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return device


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes(
    client: Any, world: Any
) -> None:
    user = world.user("caseworker.care")
    post_login(client, user.email)
    device = _start_enrolment(client, user)
    response = client.post(SETUP, {"token": totp_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([^<]+)</code></li>", response.content.decode())
    assert len(codes) == len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=user).token_set.count() == 10
    # The session passed the second factor while enrolling: the gate is open.
    assert client.get(SIGNED_IN).status_code == 200
    assert AuditEvent.objects.filter(action="2fa.enrolled", actor=user).exists()


def test_wrong_enrolment_code_keeps_the_form_with_an_error(client: Any, world: Any) -> None:
    user = world.user("caseworker.care")
    post_login(client, user.email)
    device = _start_enrolment(client, user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert error_text(response)
    assert 'name="token"' in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get(SIGNED_IN)["Location"] == SETUP
    assert AuditEvent.objects.filter(action="2fa.enrol_failed", actor=user).exists()


def _password_step(client: Any, user: Any) -> Any:
    response = post_login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    return response


def test_enrolled_login_takes_two_steps(client: Any, world: Any, enrolled: Any) -> None:
    user = world.user("caseworker.care")
    device, _codes = enrolled("caseworker.care")
    _password_step(client, user)
    # Between the steps nobody is logged in.
    assert SESSION_KEY not in client.session
    assert client.get(SIGNED_IN)["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("api:me")).status_code == 401

    assert client.get(VERIFY).status_code == 200
    response = client.post(VERIFY, {"token": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(SIGNED_IN).status_code == 200
    assert client.get(reverse("api:me")).json()["two_factor_enabled"] is True
    assert AuditEvent.objects.filter(action="2fa.verified", actor=user).exists()


def test_enrolled_coordinator_also_takes_two_steps(client: Any, world: Any, enrolled: Any) -> None:
    enrolled("coordinator")
    _password_step(client, world.user("coordinator"))
    assert SESSION_KEY not in client.session


def test_verification_page_without_a_password_step_sends_to_login(client: Any, world: Any) -> None:
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_a_recovery_code_works_once(client: Any, world: Any, enrolled: Any) -> None:
    user = world.user("supervisor.care")
    _device, codes = enrolled("supervisor.care")
    _password_step(client, user)
    assert client.post(VERIFY, {"token": codes[0]})["Location"] == DASHBOARD
    assert client.get(SIGNED_IN).status_code == 200
    assert StaticDevice.objects.get(user=user).token_set.count() == 9

    other = Client()
    _password_step(other, user)
    again = other.post(VERIFY, {"token": codes[0]})
    assert again.status_code == 200
    assert error_text(again)
    assert SESSION_KEY not in other.session
    assert other.get(SIGNED_IN).status_code == 302


def test_five_wrong_codes_end_the_pending_login(client: Any, world: Any, enrolled: Any) -> None:
    user = world.user("caseworker.care")
    device, _codes = enrolled("caseworker.care")
    _password_step(client, user)
    wrong = f"{(int(totp_code(device)) + 5) % 1_000_000:06d}"
    for _attempt in range(4):
        assert client.post(VERIFY, {"token": wrong}).status_code == 200
    fifth = client.post(VERIFY, {"token": wrong})
    assert fifth.status_code == 302
    assert fifth["Location"] == reverse("accounts:login")
    # The pending login is gone: even the right code no longer helps.
    late = client.post(VERIFY, {"token": totp_code(device)})
    assert late["Location"] == reverse("accounts:login")
    assert client.get(SIGNED_IN).status_code == 302
    assert AuditEvent.objects.filter(action="2fa.failed", actor=user).count() == 5


def test_enrolled_session_that_skipped_the_second_step_is_logged_out(
    client: Any, world: Any, enrolled: Any
) -> None:
    user = world.user("caseworker.care")
    enrolled("caseworker.care")
    client.force_login(user, backend="ruta.accounts.backends.EmailBackend")
    response = client.get(SIGNED_IN)
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


# --- Agency admins reset two-factor ---------------------------------------------


def test_agency_admin_resets_two_factor_of_own_agency_user(
    client: Any, world: Any, enrolled: Any
) -> None:
    target = world.user("caseworker.care")
    enrolled("caseworker.care")
    victim_session = verified_login(Client(), target)
    assert victim_session.get(SIGNED_IN).status_code == 200

    verified_login(client, world.user("agency_admin.care"))
    response = client.post(reverse("accounts:user_reset_2fa", args=[target.uuid]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    # The person's sessions end; at the next login they must enrol again.
    assert victim_session.get(SIGNED_IN)["Location"].startswith(reverse("accounts:login"))
    post_login(victim_session, target.email)
    assert victim_session.get(SIGNED_IN)["Location"] == SETUP
    event = AuditEvent.objects.get(action="2fa.reset")
    assert event.actor == world.user("agency_admin.care")
    assert event.object_uuid == target.uuid


def test_agency_admin_cannot_reset_another_agencys_user(
    client: Any, world: Any, enrolled: Any
) -> None:
    target = world.user("caseworker.hias")
    enrolled("caseworker.hias")
    generation = target.session_generation
    verified_login(client, world.user("agency_admin.care"))
    response = client.post(reverse("accounts:user_reset_2fa", args=[target.uuid]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    target.refresh_from_db()
    assert target.session_generation == generation
    assert not AuditEvent.objects.filter(action="2fa.reset").exists()
