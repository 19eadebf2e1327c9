"""Referrals between agencies: a request for a service while the case stays with the sender.

The receiver never sees the case. It sees a *snapshot*: the fields the sender chose from a
checklist, frozen and encrypted when the referral is sent, and shown only while the
referral is live and the survivor's consent to share with the receiver stands. State
changes go through ``actions.py``; who sees what is ``access.py``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.lib.fields import EncryptedTextField

User = settings.AUTH_USER_MODEL


class ReferralStatus(models.TextChoices):
    # Contexts: a status agrees with "la derivación" in Spanish and differs from the same
    # English word elsewhere (a course "Completed", a decision "Declined").
    SENT = "sent", pgettext_lazy("referral status", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral status", "Declined")
    COMPLETED = "completed", pgettext_lazy("referral status", "Completed")
    REVOKED = "revoked", pgettext_lazy("referral status", "Revoked")


# The state machine: from each status, the statuses a referral may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.REVOKED}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.REVOKED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.REVOKED: frozenset(),
}
LIVE_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED})
# Statuses in which the receiver may read the snapshot (while consent stands).
SNAPSHOT_STATUSES = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED}
)


class CopyOutcome(models.TextChoices):
    """What became of an accepted referral's copy after the consent to share was withdrawn."""

    KEPT = "kept", _("Kept: the survivor consented in the receiving case")
    ERASED = "erased", _("Erased: no consent of the survivor's own in time")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class Channel(models.TextChoices):
    ON_RUTA = "ruta", _("Through Ruta")
    PRINTED = "printed", _("Printed form (organization not on Ruta)")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity now (waiting list full)")
    NOT_ELIGIBLE = "not_eligible", _("The person does not meet the eligibility criteria")
    NOT_OFFERED = "not_offered", _("The service is not offered any more")
    OUT_OF_AREA = "out_of_area", _("Outside our area")
    UNREACHABLE = "unreachable", _("We could not reach the person")
    DUPLICATE = "duplicate", _("Already receiving the service")
    OTHER = "other", _("Other reason")


class Outcome(models.TextChoices):
    PROVIDED = "provided", _("The service was provided")
    PARTLY = "partly", _("The service was partly provided")
    NOT_PROVIDED = "not_provided", _("The service was not provided")


# The checklist of what a sender may share. The minimal default is marked in SHARE_DEFAULT.
class ShareField(models.TextChoices):
    NAME = "name", _("First name or alias")
    AGE_BAND = "age_band", _("Age band")
    SEX = "sex", _("Sex")
    GENDER = "gender_identity", _("Gender identity")
    LANGUAGES = "languages", _("Languages")
    NEEDS = "needs", _("Needs")
    SAFE_CONTACT = "safe_contact", _("Safe-contact instructions")
    PHONE = "phone", _("Phone number")
    NATIONALITY = "nationality", _("Nationality")
    POPULATION = "population_type", _("Population type")
    DISABILITY = "disability", _("Disability")
    REGION = "admin1", _("Region")
    CASE_TYPE = "case_type", _("Type of support")


SHARE_DEFAULT = (
    ShareField.NAME,
    ShareField.AGE_BAND,
    ShareField.SEX,
    ShareField.LANGUAGES,
    ShareField.NEEDS,
    ShareField.SAFE_CONTACT,
)


class Referral(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    from_organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("receiving organization"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.ON_RUTA
    )
    consent = models.ForeignKey(
        # RESTRICT: a consent cannot go while a referral relies on it, unless its case goes.
        "cases.Consent",
        on_delete=models.RESTRICT,
        related_name="referrals",
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    shared_fields = models.JSONField(_("shared information"), default=list)
    # JSON of the chosen fields, frozen when sent. Encrypted: it holds personal data.
    snapshot = EncryptedTextField(editable=False)
    reason = EncryptedTextField(_("reason for the referral"), blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent on"))
    respond_by = models.DateTimeField(_("answer expected by"))
    assigned_to = models.ForeignKey(
        User,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_assigned",
    )
    receiver_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_in",
    )
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    decline_note = EncryptedTextField(_("note on the decision"), blank=True)
    declined_at = models.DateTimeField(_("declined on"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    feedback = EncryptedTextField(_("feedback on the service given"), blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoke_reason = EncryptedTextField(_("reason for revoking"), blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Consent to share withdrawn after the receiver took the referral on: the details it
    # copied into its case wait until this moment for the survivor's own consent there.
    own_consent_due = models.DateTimeField(
        _("survivor's own consent due by"), null=True, blank=True, editable=False
    )
    copy_outcome = models.CharField(
        max_length=8, choices=CopyOutcome.choices, blank=True, editable=False
    )
    copy_settled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organization", "status"]),
            models.Index(fields=["service", "status"]),
            models.Index(fields=["status", "respond_by"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def snapshot_data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.snapshot) if self.snapshot else {}
        return data


class ReferralEvent(models.Model):
    """The trail both sides see: each step, who took it (by organization) and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status}"
