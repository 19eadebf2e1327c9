"""Trainings: courses with modules and sessions, enrolments, attendance, completions and
certificates with a verification code.

Trainees are ``network.Person`` records (professionals, never survivors). Whether an
enrolment passes is the course's rule (``min_modules`` completed and ``min_attendance_pct``
of the sessions attended), computed in ``rules.py``; every change is in ``actions.py``.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.network.models import Modality, validate_country

# Verification codes: no 0/O, 1/I/L, so that a code read aloud or typed from paper works.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31**12 ≈ 7.9e17 codes: not guessable.


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as a stored code."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Course(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "network.Network",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        verbose_name=_("network"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organizers = models.ManyToManyField(
        "agencies.Organization",
        blank=True,
        related_name="organized_courses",
        verbose_name=_("organizing organizations"),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[validate_country],
        help_text=_("ISO 3166-1 alpha-2 code; leave empty for a regional course."),
    )
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    min_modules = models.PositiveSmallIntegerField(
        _("modules required to pass"),
        null=True,
        blank=True,
        help_text=_("Leave empty to require every module."),
    )
    min_attendance_pct = models.PositiveSmallIntegerField(
        _("attendance required (% of sessions)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    illustrative = models.BooleanField(
        _("illustrative example"),
        default=False,
        help_text=_("Demo data: details the sources do not give were invented."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="course_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(min_attendance_pct__lte=100),
                name="course_attendance_pct_max_100",
            ),
        ]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The course ends before it starts.")})


class Module(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["course", "order", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class TrainingSession(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    module = models.ForeignKey(
        Module,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("module"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices)
    place = models.CharField(_("place or link"), max_length=300, blank=True)

    class Meta:
        ordering = ["course", "starts_at", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.course} — {self.starts_at:%Y-%m-%d %H:%M}"


class EnrolmentSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Import")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    source = models.CharField(
        _("source"), max_length=10, choices=EnrolmentSource.choices, default=EnrolmentSource.MANUAL
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )

    class Meta:
        ordering = ["course", "person__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="unique_course_enrolment")
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.person} — {self.course}"


class SessionAttendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="unique_session_attendance"
            )
        ]
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendances")

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.session_id}"


class ModuleCompletion(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="completions", verbose_name=_("enrolment")
    )
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="completions", verbose_name=_("module")
    )
    completed_on = models.DateField(_("completed on"))
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="unique_module_completion")
        ]
        verbose_name = _("module completion")
        verbose_name_plural = _("module completions")

    def __str__(self) -> str:
        return f"{self.enrolment_id} ✓ {self.module_id}"


class Certificate(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("enrolment"),
    )
    verification_code = models.CharField(
        _("verification code"),
        max_length=CODE_LENGTH,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return format_code(self.verification_code)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
