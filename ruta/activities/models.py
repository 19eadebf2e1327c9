"""Group and community activities (IASC MHPSS layers 2-3): who did what, where, for whom.

An activity belongs to one organization and holds sessions. People are counted in two
ways, both first-class: anonymous counts per session (``SessionCount``, disaggregated as
R4V asks) or registered participants (``Participant``), known only by a keyed hash of the
code the agency uses (a card number, a code the person chooses) and, optionally, an
encrypted name; their ``Attendance`` lets a person attending many sessions count once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.lib.fields import EncryptedCharField
from ruta.lib.translated import localized


class Sector(models.TextChoices):
    """R4V sectors an MHPSS or protection activity is reported under."""

    PROTECTION_GBV = "protection_gbv", _("Protection: gender-based violence")
    PROTECTION = "protection", _("Protection")
    CHILD_PROTECTION = "child_protection", _("Protection: child protection")
    HEALTH_MHPSS = "health_mhpss", _("Health: mental health and psychosocial support")
    INTEGRATION = "integration", _("Integration")
    EDUCATION = "education", _("Education")


class PopulationType(models.TextChoices):
    """R4V population types (the same codes as a case's population type)."""

    IN_DESTINATION = "in_destination", _("Refugee or migrant in destination")
    IN_TRANSIT = "in_transit", _("Refugee or migrant in transit")
    PENDULAR = "pendular", _("Pendular migrant")
    RETURNEE = "returnee", _("Colombian returnee")
    HOST = "host", _("Host community")


class SexAge(models.TextChoices):
    """R4V sex and age groups (children: under 18)."""

    GIRL = "girl", _("Girls")
    BOY = "boy", _("Boys")
    WOMAN = "woman", _("Women")
    MAN = "man", _("Men")
    OTHER = "other", _("Other or not stated")


class SessionModality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


IASC_LAYERS = (
    (1, _("1. Basic services and security")),
    (2, _("2. Community and family supports")),
    (3, _("3. Focused, non-specialised supports")),
    (4, _("4. Specialised services")),
)


class ActivityType(models.Model):
    """A kind of activity, kept as data so the network can add its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    default_layer = models.PositiveSmallIntegerField(
        _("usual IASC layer"), choices=IASC_LAYERS, default=2
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Activity(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organization"),
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    title = models.CharField(_("title"), max_length=200)
    layers = models.JSONField(_("IASC layers"), default=list)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("directory service"),
    )
    admin1 = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region (admin 1)"),
    )
    admin2 = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district (admin 2)"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("facilitators")
    )
    external_facilitators = models.CharField(
        _("external facilitators"),
        max_length=300,
        blank=True,
        help_text=_("Names of facilitators without a Ruta account, separated by commas."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    def layer_labels(self) -> list[str]:
        names = dict(IASC_LAYERS)
        return [str(names[layer]) for layer in sorted(self.layers) if layer in names]


class Session(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    modality = models.CharField(
        _("modality"), max_length=10, choices=SessionModality.choices, default="in_person"
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.activity} · {self.date.isoformat()}"


COUNT_FIELDS = ("girls", "boys", "women", "men", "other")
COUNT_MAX = 100000


def _count(label: Any) -> models.PositiveIntegerField:  # type: ignore[type-arg]
    return models.PositiveIntegerField(
        label, default=0, validators=[MinValueValidator(0), MaxValueValidator(COUNT_MAX)]
    )


class SessionCount(models.Model):
    """Anonymous participants of one session and one population type."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="counts", verbose_name=_("session")
    )
    population_type = models.CharField(
        _("population type"), max_length=20, choices=PopulationType.choices
    )
    girls = _count(_("girls"))
    boys = _count(_("boys"))
    women = _count(_("women"))
    men = _count(_("men"))
    other = _count(_("other or not stated"))
    lgbtiq = _count(_("of whom LGBTIQ+"))
    disability = _count(_("of whom with a disability"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "population_type"], name="activities_one_count_per_type"
            )
        ]
        verbose_name = _("session count")
        verbose_name_plural = _("session counts")

    def __str__(self) -> str:
        return f"{self.session} · {self.population_type}"

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in COUNT_FIELDS)


class Participant(models.Model):
    """A registered participant of an organization's activities, known by a keyed hash."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    code_hash = models.CharField(max_length=64, db_index=True, editable=False)
    name = EncryptedCharField(_("name (optional)"), max_length=200, blank=True)
    sex_age = models.CharField(_("sex and age group"), max_length=10, choices=SexAge.choices)
    population_type = models.CharField(
        _("population type"), max_length=20, choices=PopulationType.choices
    )
    lgbtiq = models.BooleanField(_("LGBTIQ+"), default=False)
    disability = models.BooleanField(_("with a disability"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code_hash"], name="activities_one_code_per_org"
            )
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(self.uuid)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="activities_attend_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.participant_id}"
