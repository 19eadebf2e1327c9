"""SecureExport: a file with personal data, made in the background, encrypted at rest,
downloadable by the person who asked for it only, until it expires.

The stored file (``default_storage``) holds AES-256-GCM ciphertext; its key is random per
file and kept in ``file_key``, an encrypted field (so it is encrypted under the field keys
and re-encrypted by ``rotate_field_keys``). ``params`` (what the producer needs: filters,
a referral id, a language, a one-time PDF password until the file is made) is encrypted
too. ``sha256`` is the hash of the stored (encrypted) bytes, checked before decrypting.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.lib.fields import EncryptedCharField, EncryptedTextField


class ExportStatus(models.TextChoices):
    WAITING = "waiting", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class SecureExport(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="secure_exports"
    )
    # The owner's organization when asked: a download needs the owner still to be there.
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8, default="es")
    params = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(_("requested at"))
    expires_at = models.DateTimeField(_("expires at"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.WAITING
    )
    file = models.FileField(upload_to="exports/", blank=True)
    file_key = EncryptedCharField(max_length=64, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Ids of the cases in the file (ids only): a download is a read of those cases.
    case_uuids = models.JSONField(default=list, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    last_downloaded_at = models.DateTimeField(_("last downloaded"), null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("secure export")
        verbose_name_plural = _("secure exports")
        indexes = [
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} export {self.uuid}"
