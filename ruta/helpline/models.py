"""The helpline desk: anonymous contacts, psychological first aid, the risk protocol and its
alerts, and call-backs.

A contact is anonymous: its caller's profile is coded (every field optional, with "prefers
not to say"), a repeat caller is recognised by a keyed hash of the phone number (never the
number), and what was said or done is encrypted. The only personal data the desk keeps is a
call-back's number, name and safe-to-call instructions, encrypted and erased when the
call-back is done or after ``RUTA_HELPLINE_CALLBACK_DAYS`` (``actions.erase_callbacks``).
Reasons and risk questions are data with their Spanish and English labels.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.cases.models import AgeBand, PopulationType, Sex
from ruta.lib.fields import EncryptedCharField, EncryptedTextField
from ruta.lib.translated import localized

User = settings.AUTH_USER_MODEL

# "Prefers not to say" for every coded field that has no such value of its own.
UNDISCLOSED = "undisclosed"


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    IN_PERSON = "in_person", _("In person")
    OUTREACH = "outreach", _("Outreach or brigade")
    WEB_CHAT = "web_chat", _("Web chat")


class ContactLanguage(models.TextChoices):
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    QUECHUA = "qu", _("Quechua")
    WAYUU = "guc", _("Wayuunaiki")
    OTHER = "other", _("Another language")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNDISCLOSED = UNDISCLOSED, _("Prefers not to say")


class ContactStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


AGE_BAND_CHOICES = [*AgeBand.choices, (UNDISCLOSED, _("Prefers not to say"))]
POPULATION_CHOICES = [*PopulationType.choices, (UNDISCLOSED, _("Prefers not to say"))]


class Reason(models.Model):
    """Why people call: a configurable list (seeded by a migration, edited as data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("reason for contact")
        verbose_name_plural = _("reasons for contact")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class RiskQuestion(models.Model):
    """One screening question of the risk protocol. A "yes" starts the protocol.

    ``sectors`` names the directory's sector terms whose services of the caller's area the
    protocol shows as emergency services for this question."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text_es = models.CharField(_("question (Spanish)"), max_length=200)
    text_en = models.CharField(_("question (English)"), max_length=200)
    sectors = models.JSONField(_("directory sectors"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("risk question")
        verbose_name_plural = _("risk questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self, "text")


class DeskSettings(models.Model):
    """An agency's own helpline settings: the text of its risk protocol."""

    organization = models.OneToOneField(
        "agencies.Organization", on_delete=models.CASCADE, related_name="helpline_settings"
    )
    protocol_text = models.TextField(_("risk protocol"), blank=True)

    class Meta:
        verbose_name = _("helpline settings")
        verbose_name_plural = _("helpline settings")

    def __str__(self) -> str:
        return f"helpline settings {self.organization_id}"


class Contact(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="helpline_contacts"
    )
    operator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.PHONE
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=ContactLanguage.choices, default="es"
    )
    # The caller's coded profile: blank is "not asked", "undisclosed" "prefers not to say".
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=12, choices=AGE_BAND_CHOICES, blank=True)
    nationality = models.CharField(_("nationality"), max_length=12, blank=True)
    population_type = models.CharField(
        _("population type"), max_length=20, choices=POPULATION_CHOICES, blank=True
    )
    disability = models.CharField(
        _("person with disability"), max_length=12, choices=Disability.choices, blank=True
    )
    admin1 = models.CharField(_("region"), max_length=20, blank=True)
    admin2 = models.CharField(_("district"), max_length=20, blank=True)
    # A repeat caller: the keyed hash of the number (never the number), or the caller's word.
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_repeat = models.BooleanField(_("repeat contact"), default=False)
    reasons = models.ManyToManyField(Reason, blank=True, related_name="+")
    what_was_done = EncryptedTextField(_("what was done"), blank=True)
    # Psychological first aid: look, listen, link.
    needs = EncryptedTextField(_("needs identified"), blank=True)
    distress_before = models.PositiveSmallIntegerField(
        _("distress before (0-10)"), null=True, blank=True
    )
    distress_after = models.PositiveSmallIntegerField(
        _("distress after (0-10)"), null=True, blank=True
    )
    information_given = EncryptedTextField(_("information given"), blank=True)
    services_suggested = models.ManyToManyField(
        "directory.Service", blank=True, related_name="+", verbose_name=_("services suggested")
    )
    follow_up = EncryptedTextField(_("follow-up agreed"), blank=True)
    pfa_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Risk protocol: which questions were answered "yes", and what the operator did.
    risk_screened_at = models.DateTimeField(null=True, blank=True, editable=False)
    risk_yes = models.ManyToManyField(RiskQuestion, blank=True, related_name="+")
    risk_action = EncryptedTextField(_("action taken"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ContactStatus.choices, default=ContactStatus.OPEN
    )
    # Supervision and staff care.
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    debrief_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("helpline contact")
        verbose_name_plural = _("helpline contacts")
        indexes = [models.Index(fields=["organization", "started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(distress_before__lte=10)
                | models.Q(distress_before__isnull=True),
                name="helpline_distress_before_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(distress_after__lte=10) | models.Q(distress_after__isnull=True),
                name="helpline_distress_after_0_10",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"L-{self.uuid.hex[:8].upper()}"

    @property
    def duration(self) -> timedelta | None:
        if self.ended_at is None:
            return None
        return self.ended_at - self.started_at

    @property
    def duration_minutes(self) -> int | None:
        duration = self.duration
        return None if duration is None else max(0, round(duration.total_seconds() / 60))


class RiskAlert(models.Model):
    """Raised once per contact by a "yes" in the screening; a supervisor acknowledges it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="alert")
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"risk alert on {self.contact_id}"

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        if self.acknowledged_at is None:
            return None
        return self.acknowledged_at - self.raised_at

    @property
    def minutes_to_acknowledge(self) -> int | None:
        delay = self.time_to_acknowledge
        return None if delay is None else max(0, round(delay.total_seconds() / 60))


class CallbackStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("call-back status", "To do")
    DONE = "done", pgettext_lazy("call-back status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("call-back status", "Cancelled")


class Callback(models.Model):
    """A call the desk owes a caller. Its personal fields are erased once it is over."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="callbacks")
    due_at = models.DateTimeField(_("call back at"))
    # Nobody: the desk's queue, for whoever is on shift.
    assigned_to = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    phone = EncryptedCharField(_("number to call"), max_length=40, blank=True)
    name = EncryptedCharField(_("name the caller gave"), max_length=100, blank=True)
    safe_instructions = EncryptedTextField(_("safe-to-call instructions"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.PENDING
    )
    done_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"callback {self.uuid}"


class HandoffKind(models.TextChoices):
    REFERRAL = "referral", _("Warm referral to another agency")
    CASE = "case", _("Case opened in our agency")


class Handoff(models.Model):
    """A warm referral made from a contact: the ids of the case opened for it in the desk's
    own agency (owned by a supervisor, never visible to the operator) and of the referral
    sent from that case. The desk reads the referral's status through this link only."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="handoffs")
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=HandoffKind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"handoff {self.uuid}"


class Handover(models.Model):
    """The end of an operator's shift: free-text notes (encrypted) for the next operator,
    who acknowledges having read them. The open call-backs and the alerts raised during
    the shift are read live from their own records, between ``shift_started_at`` and
    ``created_at``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    from_operator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shift_started_at = models.DateTimeField(_("shift started at"))
    created_at = models.DateTimeField()
    notes = EncryptedTextField(_("notes for the next shift"), blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"handover {self.uuid}"
