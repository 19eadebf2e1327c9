"""Psychosocial stabilisation of cash-transfer beneficiaries while their payment is late
(seed 004, good practice BP5_PC).

A programme (implementing agency, donor, territory, targets and budget as data) enrols
beneficiaries known by a pseudonymous code: the keyed hash of the programme's own
beneficiary id (``ruta.lib.crypto.keyed_hash``), never the id itself. A name and phone,
when given, are encrypted. When a payment is ``delay_days`` past its expected date the
beneficiary enters the stabilisation queue (``QueueEntry``); the entry is closed when the
payment is recorded (or cancelled). A needs check decides whether stabilisation applies;
each stabilisation contact is a helpline contact (same model and form, same PFA steps)
linked to the beneficiary by ``StabilisationContact``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.cases.models import Sex
from ruta.helpline.models import AGE_BAND_CHOICES, POPULATION_CHOICES, Disability
from ruta.lib.fields import EncryptedCharField

User = settings.AUTH_USER_MODEL


class Programme(models.Model):
    """A cash-transfer programme whose late payments the agency's psychosocial team
    (its helpline desk) bridges."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization",
        on_delete=models.PROTECT,
        related_name="stabilisation_programmes",
        verbose_name=_("implementing agency"),
    )
    donor = models.ForeignKey(
        "agencies.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor"),
    )
    name = models.CharField(_("name"), max_length=160)
    admin1_codes = models.JSONField(_("regions (codes)"), default=list, blank=True)
    cities = models.JSONField(_("cities"), default=list, blank=True)
    delay_days = models.PositiveSmallIntegerField(
        _("days of delay before stabilisation"),
        default=7,
        help_text=_("A beneficiary enters the queue this many days after the expected date."),
    )
    target_people = models.PositiveIntegerField(_("target: people stabilised"), default=0)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stabilisation_programmes",
        verbose_name=_("good practice it evidences"),
        help_text=_(
            "The programme's figures appear on this practice's page as evidence from Ruta "
            "(counts only, small ones as a range)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name", "id"]
        verbose_name = _("cash-transfer programme")
        verbose_name_plural = _("cash-transfer programmes")

    def __str__(self) -> str:
        return self.name


class Beneficiary(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="beneficiaries")
    # The keyed hash of the programme's beneficiary (household) id: never the id itself.
    code = models.CharField(max_length=64, editable=False)
    name = EncryptedCharField(_("name"), max_length=120, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=12, choices=AGE_BAND_CHOICES, blank=True)
    population_type = models.CharField(
        _("population type"), max_length=20, choices=POPULATION_CHOICES, blank=True
    )
    disability = models.CharField(
        _("person with disability"), max_length=12, choices=Disability.choices, blank=True
    )
    admin1 = models.CharField(_("region"), max_length=20, blank=True)
    admin2 = models.CharField(_("district"), max_length=20, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="stabilisation_one_code_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """A short pseudonymous label for pages and notifications."""
        return f"B-{self.code[:8].upper()}"


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("payment status", "Scheduled")
    DELAYED = "delayed", pgettext_lazy("payment status", "Delayed")
    PAID = "paid", pgettext_lazy("payment status", "Paid")
    CANCELLED = "cancelled", pgettext_lazy("payment status", "Cancelled")


class Payment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="payments")
    expected_on = models.DateField(_("expected on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.SCHEDULED
    )

    class Meta:
        ordering = ["expected_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "expected_on"], name="stabilisation_one_payment_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"payment {self.uuid}"


class LeftReason(models.TextChoices):
    PAID = "paid", _("Payment received")
    CANCELLED = "cancelled", _("Payment cancelled")


class QueueEntry(models.Model):
    """A beneficiary's time in the stabilisation queue: from the day their payment became
    ``delay_days`` late until it was paid or cancelled. One open entry per beneficiary."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="queue_entries"
    )
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="queue_entries")
    entered_on = models.DateField(_("entered the queue on"))
    left_on = models.DateField(_("left the queue on"), null=True, blank=True)
    left_reason = models.CharField(
        _("why they left"), max_length=10, choices=LeftReason.choices, blank=True
    )

    class Meta:
        ordering = ["entered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=models.Q(left_on__isnull=True),
                name="stabilisation_one_open_entry",
            )
        ]

    def __str__(self) -> str:
        return f"queue entry {self.uuid}"


class Need(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotional distress")
    FOOD = "food", _("Food")
    HOUSING = "housing", _("Housing or rent")
    HEALTH = "health", _("Health")
    PROTECTION = "protection", _("Protection or violence")
    DOCUMENTATION = "documentation", _("Legal or documentation")
    DEBT = "debt", _("Debts")
    CARE = "care", _("Care of children or dependants")


class CheckOutcome(models.TextChoices):
    APPLIES = "applies", _("Stabilisation applies")
    NOT_NEEDED = "not_needed", _("Stabilisation not needed")


class NeedsCheck(models.Model):
    """The vulnerability and needs check that decides whether stabilisation applies."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="needs_checks"
    )
    checked_on = models.DateField(_("checked on"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=CheckOutcome.choices)
    needs = models.JSONField(_("needs identified"), default=list, blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"needs check {self.uuid}"


class StabilisationContact(models.Model):
    """Links a helpline contact (the PFA contact, recorded with the helpline's own form)
    to the beneficiary it stabilised. The helpline knows nothing of it."""

    contact = models.OneToOneField(
        "helpline.Contact", on_delete=models.CASCADE, related_name="stabilisation_link"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="stabilisation_contacts"
    )
    queue_entry = models.ForeignKey(
        QueueEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-linked_at", "-id"]

    def __str__(self) -> str:
        return f"stabilisation contact {self.contact_id}"
