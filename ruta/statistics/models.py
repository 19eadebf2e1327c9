"""GBVIMS Information Sharing Protocols (who shares incident statistics with whom) and the
frozen statistics reports published under them. Figures only: never a survivor."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ruta.statistics.suppression import DEFAULT_THRESHOLD, MINIMUM_THRESHOLD

User = settings.AUTH_USER_MODEL


class Audience(models.TextChoices):
    ANALYSTS = "analysts", _("The network's M&E analysts")
    COORDINATOR = "coordinator", _("The network coordinator")
    PUBLIC = "public", _("The public")


class SharingProtocol(models.Model):
    """An agency's signed ISP. An agency without an active one shares nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="sharing_protocols"
    )
    share_with_analysts = models.BooleanField(_("share with the network's M&E analysts"))
    share_with_coordinator = models.BooleanField(_("share with the network coordinator"))
    share_with_public = models.BooleanField(_("share with the public"))
    effective_from = models.DateField(
        _("share incidents reported from"),
        help_text=_("Incidents reported before this date are never shared."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("suppression threshold"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MINIMUM_THRESHOLD), MaxValueValidator(50)],
        help_text=_("Counts below this number are shown as “fewer than” and never as a value."),
    )
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed on"))
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("information sharing protocol")
        verbose_name_plural = _("information sharing protocols")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_isp_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"ISP {self.uuid}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def shares_with(self, audience: str) -> bool:
        return {
            Audience.ANALYSTS: self.share_with_analysts,
            Audience.COORDINATOR: self.share_with_coordinator,
            Audience.PUBLIC: self.share_with_public,
        }.get(Audience(audience), False)


class PublishedReport(models.Model):
    """A frozen, dated snapshot of the suppressed GBVIMS tables, exactly as shown."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    period = models.CharField(_("period"), max_length=7)  # YYYY-MM or YYYY-Qn
    threshold = models.PositiveSmallIntegerField(_("suppression threshold"))
    tables = models.JSONField(default=list)  # suppressed cells only (see report.py)
    audit_summary = models.JSONField(default=dict)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published on"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("published statistics report")
        verbose_name_plural = _("published statistics reports")

    def __str__(self) -> str:
        return f"statistics report {self.uuid}"
