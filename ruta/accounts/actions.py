"""Every change to an account: each one audited, inside a transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts.models import ApiToken, RoleGrant, RoleGrantStatus, User
from ruta.audit.actions import record
from ruta.lib.links import absolute_url
from ruta.lib.permissions import (
    Cap,
    Role,
    grantable_roles,
    is_role_grant,
    user_can,
)

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
    # An account with case data (or an agency admin's powers) waits, inactive and without
    # its invitation, until a second person confirms the grant (when confirmation is on).
    waits = is_role_grant(None, role) and settings.RUTA_CONFIRM_ROLE_GRANTS
    user = User.objects.create_user(
        email=email,
        full_name=full_name,
        role=role,
        organization=organization,
        language=language,
        is_active=not waits,
    )
    record(
        "user.invited",
        actor=actor,
        request=request,
        obj=user,
        organization=organization,
        details={"role": role},
    )
    if is_role_grant(None, role):
        _request_role_grant(actor, user, role, previous_role="", request=request)
    if not waits:
        send_set_password_email(request, user, invitation=True)
    return user


@transaction.atomic
def change_role(actor: User, user: User, role: str, request: HttpRequest | None = None) -> User:
    if user.pk == actor.pk:
        raise AccountError(_("You cannot change your own role."))
    _check_grant(actor, role, user.organization)
    if user.role not in grantable_roles(actor):
        raise AccountError(_("You cannot change the role of this account."))
    # A new account nobody confirmed holds no role yet: whatever it is given now, even
    # "less" than what was refused, needs a second person, and it stays inactive.
    new_account = _never_confirmed(user) and is_role_grant(None, role)
    previous = "" if new_account else user.role
    if is_role_grant(previous, role):
        if pending_role_grant(user) is not None:
            raise AccountError(
                _("This account already has a role change waiting for confirmation.")
            )
        if new_account:  # it holds the role asked for while it waits, inactive
            _apply_role(actor, user, role, request)
        grant = _request_role_grant(actor, user, role, previous_role=previous, request=request)
        if new_account or grant.status == RoleGrantStatus.PENDING:
            return user  # a raise leaves the role as it was until a second person confirms
    _apply_role(actor, user, role, request)
    return user


def _apply_role(actor: User, user: User, role: str, request: HttpRequest | None) -> None:
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


@transaction.atomic
def set_active(actor: User, user: User, active: bool, request: HttpRequest | None = None) -> User:
    if user.pk == actor.pk:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.role not in grantable_roles(actor):
        raise AccountError(_("You cannot change this account."))
    if active:
        _check_role_granted(user)
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


def pending_role_grant(user: User) -> RoleGrant | None:
    return RoleGrant.objects.filter(user=user, status=RoleGrantStatus.PENDING).first()


def _never_confirmed(user: User) -> bool:
    """A new account whose creation as a case-data role (or admin) nobody confirmed."""
    created = RoleGrant.objects.filter(user=user, previous_role="")
    return created.exists() and not created.filter(status=RoleGrantStatus.CONFIRMED).exists()


def _check_role_granted(user: User) -> None:
    """Refuse to let an account in (activate it, mail it a password link) while its
    latest role grant waits for confirmation, when it holds a role that was refused, or
    when it was created for a role nobody confirmed."""
    latest = RoleGrant.objects.filter(user=user).order_by("-requested_at", "-pk").first()
    if latest is None:
        return
    if _never_confirmed(user) and is_role_grant(None, user.role):
        raise AccountError(_("The role of this account was refused; give it another role first."))
    if latest.status == RoleGrantStatus.PENDING:
        raise AccountError(_("This account's role is waiting for confirmation by a second person."))
    if latest.status == RoleGrantStatus.REFUSED and latest.role == user.role:
        raise AccountError(_("The role of this account was refused; give it another role first."))


@transaction.atomic
def send_password_link(actor: User, user: User, request: HttpRequest | None = None) -> None:
    """E-mail the account a link to set its password (again), from the user page."""
    if user.role not in grantable_roles(actor):
        raise AccountError(_("You cannot change this account."))
    _check_role_granted(user)
    send_set_password_email(request, user, invitation=not user.has_usable_password())
    record(
        "user.password_link_sent",
        actor=actor,
        request=request,
        obj=user,
        organization=user.organization,
    )


# --- Role grants: case-data roles take two people ---------------------------------


def _grant_details(grant: RoleGrant) -> dict[str, str]:
    # Role names only: the account is the event's object, the people are its actors.
    return {"role": grant.role, "previous_role": grant.previous_role}


def _request_role_grant(
    actor: User, user: User, role: str, *, previous_role: str, request: HttpRequest | None
) -> RoleGrant:
    """Record (and announce) a grant of a case-data role: pending when a second person must
    confirm it, else confirmed at once."""
    confirm = settings.RUTA_CONFIRM_ROLE_GRANTS
    now = timezone.now()
    try:
        with transaction.atomic():  # two requests at once: the database keeps one pending
            grant = RoleGrant.objects.create(
                user=user,
                organization=user.organization,
                role=role,
                previous_role=previous_role,
                requested_by=actor,
                requested_at=now,
                status=RoleGrantStatus.PENDING if confirm else RoleGrantStatus.CONFIRMED,
                decided_at=None if confirm else now,
            )
    except IntegrityError as error:
        raise AccountError(
            _("This account already has a role change waiting for confirmation.")
        ) from error
    details = _grant_details(grant)
    record(
        "user.role_grant_requested",
        actor=actor,
        request=request,
        obj=user,
        organization=user.organization,
        details=details,
    )
    if not confirm:
        record(
            "user.role_grant_confirmed",
            actor=actor,
            request=request,
            obj=user,
            organization=user.organization,
            details=details,
        )
    _notify_role_grant(grant, request)
    return grant


def _notify_role_grant(grant: RoleGrant, request: HttpRequest | None) -> None:
    """E-mail the organization's active supervisors and agency admins (not the requester),
    and the account holder when an existing account is raised (a new account's notice is
    its invitation, sent once the grant is confirmed). Each in their own language."""
    user = grant.user
    requester = grant.requested_by
    watchers = (
        User.objects.filter(
            organization_id=grant.organization_id,
            is_active=True,
            role__in=[Role.SUPERVISOR, Role.AGENCY_ADMIN],
        )
        .exclude(pk=user.pk)
        .exclude(pk__in=[requester.pk] if requester else [])
    )
    recipients: list[tuple[User, bool]] = [(watcher, False) for watcher in watchers]
    if not grant.is_new_account:
        recipients.append((user, True))
    pending = grant.status == RoleGrantStatus.PENDING
    mails = []
    for recipient, for_holder in recipients:
        with override(recipient.language):
            context = {
                "for_holder": for_holder,
                "new_account": grant.is_new_account,
                "pending": pending,
                "requester": str(requester) if requester else _("An administrator"),
                "person": str(user),
                "email": user.email,
                "organization": user.organization.display_name,
                "role": grant.get_role_display(),
                "previous": grant.get_previous_role_display(),
                "link": absolute_url(reverse("accounts:role_grant_list"), request),
            }
            subject = render_to_string("accounts/email/role_grant_subject.txt", context).strip()
            body = render_to_string("accounts/email/role_grant_body.txt", context)
        mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email]))
    if mails:
        transaction.on_commit(lambda: send_mass_mail(tuple(mails)))


def _check_decider(actor: User, grant: RoleGrant) -> None:
    if not user_can(actor, Cap.DECIDE_ROLE_GRANTS):
        raise AccountError(_("You cannot confirm or refuse role grants."))
    if actor.role != Role.ADMIN and actor.organization_id != grant.organization_id:
        raise AccountError(_("You can only decide on role grants of your own organization."))
    if grant.role == Role.ADMIN and actor.role != Role.ADMIN:
        raise AccountError(_("Only another platform administrator can confirm this role."))
    if actor.pk in (grant.requested_by_id, grant.user_id):
        raise AccountError(
            _(
                "A second person must decide: neither the person who asked "
                "nor the account holder can confirm or refuse."
            )
        )


def _lock_for_decision(actor: User, grant: RoleGrant, status: str) -> RoleGrant:
    locked = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    _check_decider(actor, locked)
    if not locked.can_become(status):
        raise AccountError(_("This role grant was already decided."))
    return locked


def _decided(actor: User, grant: RoleGrant, status: str) -> None:
    grant.status = status
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def confirm_role_grant(
    actor: User, grant: RoleGrant, request: HttpRequest | None = None
) -> RoleGrant:
    """The second person agrees: a new account is activated and invited, a raise applied."""
    grant = _lock_for_decision(actor, grant, RoleGrantStatus.CONFIRMED)
    user = User.objects.select_for_update().select_related("organization").get(pk=grant.user_id)
    expected = grant.role if grant.is_new_account else grant.previous_role
    if user.role != expected or user.organization_id != grant.organization_id:
        raise AccountError(_("The account changed after this was asked: refuse it and ask again."))
    _decided(actor, grant, RoleGrantStatus.CONFIRMED)
    record(
        "user.role_grant_confirmed",
        actor=actor,
        request=request,
        obj=user,
        organization=grant.organization,
        details=_grant_details(grant),
    )
    if grant.is_new_account:
        user.is_active = True
        user.save(update_fields=["is_active"])
        send_set_password_email(request, user, invitation=True)
    else:
        _apply_role(actor, user, grant.role, request)
    return grant


@transaction.atomic
def refuse_role_grant(
    actor: User, grant: RoleGrant, request: HttpRequest | None = None
) -> RoleGrant:
    """The second person disagrees: the account keeps its role (a new one stays inactive)."""
    grant = _lock_for_decision(actor, grant, RoleGrantStatus.REFUSED)
    _decided(actor, grant, RoleGrantStatus.REFUSED)
    record(
        "user.role_grant_refused",
        actor=actor,
        request=request,
        obj=grant.user,
        organization=grant.organization,
        details=_grant_details(grant),
    )
    return grant


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
