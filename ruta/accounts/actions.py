"""Every change to an account: each one audited, inside a transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts.models import ApiToken, User
from ruta.accounts.permissions import grantable_roles
from ruta.audit.actions import record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ruta.agencies.models import Organization

RECOVERY_CODE_COUNT = 10


class AccountError(Exception):
    """A refused account change; the message is translated and safe to show."""


def _check_grant(actor: User, role: str, organization: Organization) -> None:
    if role not in grantable_roles(actor):
        raise AccountError(_("You cannot grant this role."))
    if not actor.role == "admin" and organization.pk != actor.organization_id:
        raise AccountError(_("You can only manage accounts of your own organization."))


def send_set_password_email(request: HttpRequest | None, user: User, *, invitation: bool) -> None:
    """E-mail a link to choose a password, in the recipient's language."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with override(user.language):
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        link = request.build_absolute_uri(path) if request else path
        context = {"user": user, "link": link, "invitation": invitation}
        subject = render_to_string("accounts/email/set_password_subject.txt", context).strip()
        body = render_to_string("accounts/email/set_password_body.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )


@transaction.atomic
def invite_user(
    actor: User,
    *,
    email: str,
    full_name: str,
    role: str,
    organization: Organization,
    language: str = "es",
    request: HttpRequest | None = None,
) -> User:
    _check_grant(actor, role, organization)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(_("An account with this e-mail address already exists."))
    user = User.objects.create_user(
        email=email, full_name=full_name, role=role, organization=organization, language=language
    )
    record(
        "user.invited",
        actor=actor,
        request=request,
        obj=user,
        organization=organization,
        details={"role": role},
    )
    send_set_password_email(request, user, invitation=True)
    return user


@transaction.atomic
def change_role(actor: User, user: User, role: str, request: HttpRequest | None = None) -> User:
    if user.pk == actor.pk:
        raise AccountError(_("You cannot change your own role."))
    _check_grant(actor, role, user.organization)
    if user.role not in grantable_roles(actor):
        raise AccountError(_("You cannot change the role of this account."))
    previous = user.role
    user.role = role
    user.session_generation += 1  # new role, new sessions
    user.save(update_fields=["role", "session_generation"])
    record(
        "user.role_changed",
        actor=actor,
        request=request,
        obj=user,
        organization=user.organization,
        details={"from": previous, "to": role},
    )
    return user


@transaction.atomic
def set_active(actor: User, user: User, active: bool, request: HttpRequest | None = None) -> User:
    if user.pk == actor.pk:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.role not in grantable_roles(actor):
        raise AccountError(_("You cannot change this account."))
    user.is_active = active
    if not active:
        user.session_generation += 1
        ApiToken.objects.filter(user=user).delete()
    user.save(update_fields=["is_active", "session_generation"])
    record(
        "user.activated" if active else "user.deactivated",
        actor=actor,
        request=request,
        obj=user,
        organization=user.organization,
    )
    return user


@transaction.atomic
def reset_two_factor(actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Remove the account's authenticator and recovery codes; it must enrol again."""
    if user.pk != actor.pk and user.role not in grantable_roles(actor):
        raise AccountError(_("You cannot change this account."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    record("2fa.reset", actor=actor, request=request, obj=user, organization=user.organization)


def start_totp_enrolment(user: User) -> TOTPDevice:
    """An unconfirmed device; it only counts once the user proves it works."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(
    user: User, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> list[str] | None:
    """Confirm the device when ``token`` verifies; returns the new recovery codes."""
    if not device.verify_token(token.replace(" ", "")):
        record("2fa.enrol_failed", actor=user, request=request, obj=user)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record("2fa.enrolled", actor=user, request=request, obj=user)
    return regenerate_recovery_codes(user, request=request)


@transaction.atomic
def regenerate_recovery_codes(user: User, request: HttpRequest | None = None) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record(
        "2fa.recovery_codes_generated",
        actor=user,
        request=request,
        obj=user,
        details={"count": len(codes)},
    )
    return codes


def verify_second_factor(user: User, token: str) -> Any:
    """The device that accepts ``token`` (authenticator code or recovery code), or None."""
    token = token.replace(" ", "").strip()
    if not token:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, _unused = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):  # a recovery code is consumed when used
            return static
    return None


@transaction.atomic
def log_out_everywhere(user: User, request: HttpRequest | None = None) -> None:
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    ApiToken.objects.filter(user=user).delete()
    record("auth.logout_all", actor=user, request=request, obj=user)


@transaction.atomic
def set_language(user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def revoke_api_token(user: User, token: ApiToken, request: HttpRequest | None = None) -> None:
    """End one token (the API's log out); the account's other tokens and sessions stay."""
    ApiToken.objects.filter(pk=token.pk, user=user).delete()
    record("auth.token_revoked", actor=user, request=request, obj=user)


def issue_api_token(user: User, request: HttpRequest | None = None) -> str:
    _token, key = ApiToken.issue(user)
    record("auth.token_issued", actor=user, request=request, obj=user)
    return key


def describe(user: User) -> dict[str, Any]:
    return {
        "uuid": str(user.uuid),
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "organization": {
            "uuid": str(user.organization.uuid),
            "name": user.organization.name,
            "acronym": user.organization.acronym,
        },
        "language": user.language,
        "two_factor_enabled": user.has_two_factor,
    }
