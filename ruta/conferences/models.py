"""Confidential case conferences (seed 003): a structured meeting about one case.

A supervisor of the case's organization convenes it with participants from that
organization and from organizations the survivor consented to share with. Only
participants see a conference, and each must acknowledge confidentiality first
(``access.py``). Minutes and decisions are encrypted; actions agreed with an owner
of the case's organization flow into the case's action plan (``actions.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.cases.models import NeedDomain
from ruta.lib.fields import EncryptedCharField, EncryptedTextField

User = settings.AUTH_USER_MODEL


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class ConferenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("conference status", "Scheduled")
    HELD = "held", pgettext_lazy("conference status", "Held")
    CLOSED = "closed", pgettext_lazy("conference status", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("conference status", "Cancelled")


# The state machine: each status and where it may go next (one action per arrow).
TRANSITIONS: dict[str, frozenset[str]] = {
    ConferenceStatus.SCHEDULED: frozenset({ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    ConferenceStatus.HELD: frozenset({ConferenceStatus.CLOSED}),
    ConferenceStatus.CLOSED: frozenset(),
    ConferenceStatus.CANCELLED: frozenset(),
}

# Minutes, decisions, actions and participants can change only while these hold.
EDITABLE = frozenset({ConferenceStatus.SCHEDULED, ConferenceStatus.HELD})


class AgendaKind(models.TextChoices):
    """The parts of a case conference described in seed 003."""

    PROGRESS = "progress", _("Progress towards the goals")
    BARRIERS = "barriers", _("Barriers")
    ROLES = "roles", _("Roles and responsibilities of each actor")
    CONFLICTS = "conflicts", _("Conflicts to resolve")
    PLAN_ADJUSTMENTS = "plan_adjustments", _("Adjustments to the service plan")
    OTHER = "other", _("Other")


class Conference(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="conferences"
    )
    convened_by = models.ForeignKey(
        User, verbose_name=_("convened by"), on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    modality = models.CharField(_("modality"), max_length=12, choices=Modality.choices)
    place_or_link = EncryptedCharField(_("place or link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConferenceStatus.choices,
        default=ConferenceStatus.SCHEDULED,
    )
    survivor_invited = models.BooleanField(_("the survivor is invited"), default=False)
    survivor_attended = models.BooleanField(_("the survivor attended"), null=True, blank=True)
    minutes = EncryptedTextField(_("minutes"), blank=True)
    status_note = EncryptedTextField(_("note on the status change"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"conference {self.uuid}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class AgendaItem(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="agenda_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind.choices)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class Participant(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role in the conference"), max_length=100, blank=True)
    invited_at = models.DateTimeField(_("invited on"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(
        _("confidentiality acknowledged on"), null=True, blank=True
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["organization_id", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"], name="conference_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"participant {self.uuid}"

    @property
    def has_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class ConferenceDecision(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="decisions")
    text = EncryptedTextField(_("decision"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"decision {self.uuid}"


class ConferenceActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("conference action status", "Open")
    DONE = "done", pgettext_lazy("conference action status", "Done")


class ConferenceAction(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"))
    owner = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    owner_organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("owner's organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    need = models.CharField(
        _("need"),
        max_length=16,
        choices=NeedDomain.choices,
        default=NeedDomain.PSYCHOSOCIAL,
        help_text=_(
            "For an owner of the case's organization the action joins the case's plan "
            "under a goal of this need."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ConferenceActionStatus.choices,
        default=ConferenceActionStatus.OPEN,
    )
    plan_action = models.OneToOneField(
        "cases.PlanAction",
        verbose_name=_("action in the case plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference_action",
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("conference action")
        verbose_name_plural = _("conference actions")
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return f"conference action {self.uuid}"

    @property
    def is_done(self) -> bool:
        return self.status == ConferenceActionStatus.DONE
