"""In-app notifications for every app. They name a case by code only and carry no personal,
clinical or incident data: only a kind and a few coded details."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    APPROVAL_REQUESTED = "approval_requested", _("Approval requested")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    URGENT_RISK = "urgent_risk", _("Urgent risk")
    ASSIGNED = "assigned", _("Case assigned to you")
    REMINDER = "reminder", _("Reminder")
    REFERRAL = "referral", _("Referral")
    TRANSFER = "transfer", _("Transfer")
    CONFERENCE = "conference", _("Case conference")
    HELPLINE_RISK = "helpline_risk", _("Helpline risk alert")
    STABILISATION = "stabilisation", _("Cash-transfer stabilisation")


class Notification(models.Model):
    """An in-app message. It names the case by code only and never carries personal data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    # A string reference: the case app sits above this one and is never imported here.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "cases_notification"  # the table it had when it lived in cases
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="cases_notif_recipie_042d3c_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
