"""Case transfers: responsibility for a case moves to another agency (in-country) or to
another Ruta installation (cross-border, as a signed and encrypted package).

State changes live in ``actions.py``; who sees what in ``access.py``; the package format
and its cryptography in ``packages.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.lib.fields import EncryptedTextField

User = settings.AUTH_USER_MODEL


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("transfer status", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("transfer status", "Accepted")
    DECLINED = "declined", pgettext_lazy("transfer status", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("transfer status", "Cancelled")


# The state machine: from each status, the statuses one action may lead to.
TRANSITIONS: dict[str, frozenset[str]] = {
    TransferStatus.REQUESTED: frozenset(
        {TransferStatus.ACCEPTED, TransferStatus.DECLINED, TransferStatus.CANCELLED}
    ),
    TransferStatus.ACCEPTED: frozenset(),
    TransferStatus.DECLINED: frozenset(),
    TransferStatus.CANCELLED: frozenset(),
}


class SenderAccess(models.TextChoices):
    OWN_ENTRIES = "own_entries", _("Own earlier entries, read only")
    NONE = "none", _("No access")


class Transfer(models.Model):
    """An in-country transfer of a case from one agency to another."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TransferStatus.choices,
        default=TransferStatus.REQUESTED,
    )
    reason = EncryptedTextField(_("reason for the transfer"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    assigned_caseworker = models.ForeignKey(
        User,
        verbose_name=_("caseworker at the receiving agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sender_access = models.CharField(
        _("what the sending agency keeps"),
        max_length=12,
        choices=SenderAccess.choices,
        default=SenderAccess.OWN_ENTRIES,
    )
    previous_caseworker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_supervisor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="transfer_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(from_organization=models.F("to_organization")),
                name="transfer_between_two_agencies",
            ),
        ]
        indexes = [
            models.Index(fields=["to_organization", "status"]),
            models.Index(fields=["from_organization", "status"]),
        ]

    def __str__(self) -> str:
        return f"transfer {self.uuid}"

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.REQUESTED


# --- Between installations -----------------------------------------------------------------
class InstallationKey(models.Model):
    """This installation's identity: an Ed25519 signing key and an X25519 encryption key.

    Private keys are stored encrypted with the field keys. One key is active; a rotated
    key stays (inactive) so packages already addressed to it can still be opened.
    """

    name = models.CharField(_("installation name"), max_length=120)
    country = models.CharField(_("country"), max_length=2)
    signing_private_key = EncryptedTextField()
    encryption_private_key = EncryptedTextField()
    signing_public_key = models.CharField(max_length=64)
    encryption_public_key = models.CharField(max_length=64)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("installation key")
        verbose_name_plural = _("installation keys")
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_installation_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.fingerprint[:16]}"


class PeerInstallation(models.Model):
    """Another Ruta installation we trust: packages from it are accepted, to it are sealed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2)
    signing_public_key = models.CharField(_("Ed25519 public key"), max_length=64)
    encryption_public_key = models.CharField(_("X25519 public key"), max_length=64)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    added_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("peer installation")
        verbose_name_plural = _("peer installations")

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class ReceivedPackage(models.Model):
    """A package imported here. Its id is unique: the same package is never imported twice."""

    package_id = models.UUIDField(unique=True)
    peer = models.ForeignKey(PeerInstallation, on_delete=models.PROTECT, related_name="packages")
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    original_code = models.CharField(max_length=40, blank=True)
    # A keyed hash of the package's content: the same case sent again under a new package
    # id is recognised without keeping anything readable about it.
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("received package")
        verbose_name_plural = _("received packages")

    def __str__(self) -> str:
        return f"package {self.package_id}"
