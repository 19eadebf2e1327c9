"""Community of practice: networks, their member organizations, people and meetings.

A ``Person`` is a professional who attends meetings or trainings (never a survivor). The
key figures of a network are computed from these records in ``figures.py``, never typed.
Workflow (registration, check-in, imports) lives in ``actions.py``.
"""

from __future__ import annotations

import uuid
import uuid as uuid_lib
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def validate_country(value: str) -> None:
    if value and pycountry.countries.get(alpha_2=str(value).upper()) is None:
        raise ValidationError(_("Unknown country code: %(code)s"), params={"code": value})


def validate_list_of_strings(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Enter a list of texts."))


class Network(models.Model):
    """A community of practice or coordination network, national or regional."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[validate_country],
        help_text=_("ISO 3166-1 alpha-2 code; leave empty for a regional network."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:network_detail", kwargs={"slug": self.slug})


class PersonSex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class Person(models.Model):
    """A professional who attends meetings or trainings. Not a survivor."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_person",
        verbose_name=_("user account"),
    )
    organization = models.ForeignKey(
        "agencies.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_people",
        verbose_name=_("organization"),
    )
    organization_name = models.CharField(
        _("organization name"),
        max_length=200,
        blank=True,
        help_text=_("Free text when the organization is not on Ruta."),
    )
    sex = models.CharField(
        _("sex"), max_length=12, choices=PersonSex.choices, default=PersonSex.UNDISCLOSED
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country]
    )
    data_consent_at = models.DateTimeField(
        _("consent to data use given at"),
        null=True,
        blank=True,
        help_text=_("When the person agreed to the use of their data."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Normalisation of the address, not workflow: e-mails are matched case-insensitively.
        self.email = (self.email or "").strip().lower()
        self.country = (self.country or "").upper()
        super().save(*args, **kwargs)

    @property
    def organization_label(self) -> str:
        if self.organization_id is not None and self.organization is not None:
            return self.organization.display_name
        return self.organization_name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Membership(models.Model):
    """An organization's membership of a network over a period."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    organization = models.ForeignKey(
        "agencies.Organization",
        on_delete=models.PROTECT,
        related_name="network_memberships",
        verbose_name=_("organization"),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    focal_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="network_focal_memberships",
        verbose_name=_("focal points (users)"),
    )
    focal_people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="focal_memberships",
        verbose_name=_("focal points (people)"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organization"], name="unique_network_membership"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.organization} — {self.network}"

    def clean(self) -> None:
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("The leaving date is before the joining date.")})


class Modality(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("Exchange meeting")
    WORKSHOP = "workshop", _("Workshop")


class IASCLayer(models.TextChoices):
    LAYER1 = "layer1", _("1 · Basic services and security")
    LAYER2 = "layer2", _("2 · Community and family supports")
    LAYER3 = "layer3", _("3 · Focused, non-specialised supports")
    LAYER4 = "layer4", _("4 · Specialised services")


def validate_layers(value: Any) -> None:
    validate_list_of_strings(value)
    bad = [item for item in value if item not in IASCLayer.values]
    if bad:
        raise ValidationError(_("Unknown IASC layer: %(codes)s"), params={"codes": ", ".join(bad)})


class Meeting(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("network")
    )
    # The content fields are written in Spanish; each has an optional English version
    # beside it (``<field>_en``), read through ``ruta.lib.translated.in_reader_language``.
    title = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.MEETING
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    host_organizations = models.ManyToManyField(
        "agencies.Organization",
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host organizations"),
    )
    presenting_organizations = models.ManyToManyField(
        "agencies.Organization",
        blank=True,
        related_name="presented_meetings",
        verbose_name=_("presenting organizations"),
    )
    topics = models.JSONField(
        _("topics (Spanish)"), default=list, blank=True, validators=[validate_list_of_strings]
    )
    topics_en = models.JSONField(
        _("topics (English)"), default=list, blank=True, validators=[validate_list_of_strings]
    )
    iasc_layers = models.JSONField(
        _("IASC layers"), default=list, blank=True, validators=[validate_layers]
    )
    agenda = models.TextField(_("agenda (Spanish)"), blank=True)
    agenda_en = models.TextField(_("agenda (English)"), blank=True)
    learnings = models.TextField(_("learnings (Spanish)"), blank=True)
    learnings_en = models.TextField(_("learnings (English)"), blank=True)
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown in the public meeting list and feed.")
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    registration_token = models.UUIDField(
        _("public registration key"), default=uuid_lib.uuid4, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:meeting_detail", kwargs={"uuid": self.uuid})

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting ends before it starts.")})

    def layer_labels(self) -> list[str]:
        labels = dict(IASCLayer.choices)
        return [str(labels.get(code, code)) for code in self.iasc_layers]


def material_path(instance: MeetingMaterial, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"network/materials/{instance.meeting.uuid}/{uuid.uuid4()}.{extension}"


class MeetingMaterial(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="materials", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")

    def __str__(self) -> str:
        return self.title


class MeetingFollowUp(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting")
    )
    description = models.TextField(_("description"))
    owner_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("responsible person"),
    )
    owner_organization = models.ForeignKey(
        "agencies.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_follow_ups",
        verbose_name=_("responsible organization"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due_on", "created_at"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.description[:60]


class RegistrationSource(models.TextChoices):
    INTERNAL = "internal", _("Ruta user")
    PUBLIC = "public", _("Public link")
    IMPORT = "import", _("Import")


class Registration(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("person")
    )
    source = models.CharField(_("source"), max_length=10, choices=RegistrationSource.choices)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # Keyed hash of the client address of a public registration (never the address itself):
    # it only limits how many registrations one connection makes per hour.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_registration")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class AttendanceSource(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in list")
    CSV = "csv", _("CSV import")


class Attendance(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("person")
    )
    # Snapshot at the time of the meeting: people change organizations.
    organization = models.ForeignKey(
        "agencies.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_attendances",
        verbose_name=_("organization"),
    )
    organization_name = models.CharField(_("organization name"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"))
    source = models.CharField(_("source"), max_length=10, choices=AttendanceSource.choices)

    class Meta:
        ordering = ["checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_attendance")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"

    @property
    def organization_label(self) -> str:
        if self.organization_id is not None and self.organization is not None:
            return self.organization.display_name
        return self.organization_name
