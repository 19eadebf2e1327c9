"""People who use Ruta: one account, one organization, one role."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ruta.lib.permissions import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="es"
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts can only log in when RUTA_DEMO is true."),
    )
    # Bumping this number invalidates every session of the account ("log out everywhere").
    session_generation = models.PositiveIntegerField(default=0)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    def get_session_auth_hash(self) -> str:
        key_salt = "ruta.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_fallback_hash(self):  # type: ignore[no-untyped-def]
        # Sessions signed with a rotated-out SECRET_KEY are not kept alive.
        return iter(())

    @property
    def has_two_factor(self) -> bool:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return bool(TOTPDevice.objects.filter(user=self, confirmed=True).exists())


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 digest of the key is stored.

    A token also carries the ``stamp`` of its account when issued: a new password, a
    second-factor reset, "log out everywhere", a new role or organization change the
    account's stamp, and every token issued before stops working."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    stamp = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"API token {self.uuid}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def stamp_of(user: User) -> str:
        """What a token must still match: password, sessions, role and organization."""
        return salted_hmac(
            "ruta.accounts.ApiToken.stamp",
            f"{user.password}:{user.session_generation}:{user.role}:{user.organization_id}",
            algorithm="sha256",
        ).hexdigest()

    def is_current(self) -> bool:
        return (
            self.expires_at > timezone.now()
            and self.user.is_active
            and secrets.compare_digest(self.stamp, self.stamp_of(self.user))
        )

    @classmethod
    def issue(cls, user: User) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            stamp=cls.stamp_of(user),
            digest=cls.digest_of(key),
            expires_at=timezone.now() + timedelta(days=settings.RUTA_API_TOKEN_DAYS),
        )
        return token, key


class RoleGrantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class RoleGrant(models.Model):
    """A request to give an account a role with (more) access to case data.

    Created by ``invite_user`` (a new account, ``previous_role`` blank) or ``change_role``
    (a raise). While pending the account keeps its previous role (a new account stays
    inactive); a second person confirms or refuses it (see ``actions``)."""

    TRANSITIONS: dict[str, frozenset[str]] = {
        RoleGrantStatus.PENDING: frozenset({RoleGrantStatus.CONFIRMED, RoleGrantStatus.REFUSED}),
        RoleGrantStatus.CONFIRMED: frozenset(),
        RoleGrantStatus.REFUSED: frozenset(),
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="role_grants"
    )
    organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    previous_role = models.CharField(
        _("previous role"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("Blank for a new account."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RoleGrantStatus.choices,
        default=RoleGrantStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="accounts_one_pending_role_grant_per_user",
            )
        ]
        indexes = [models.Index(fields=["organization", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"Role grant {self.uuid}"

    @property
    def is_new_account(self) -> bool:
        return not self.previous_role

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]
