"""The shared service directory, shaped after Open Referral HSDS 3.0.

HSDS ids are our UUIDs. Sector, population profile and IASC layer are taxonomy terms
(HSDS taxonomy / taxonomy_term, exposed as attributes); modality and cost are plain
fields because people filter on them constantly. Workflow lives in ``actions.py``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.lib.translated import localized
from ruta.places.models import AdminArea


class Taxonomy(models.Model):
    """A vocabulary: sector, population profile, IASC layer."""

    SECTOR = "sector"
    POPULATION = "population"
    IASC_LAYER = "iasc_layer"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class TaxonomyTerm(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.SlugField(_("code"), max_length=60)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["taxonomy__code", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_code")
        ]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class ServiceStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("service status", "Draft")
    ACTIVE = "active", pgettext_lazy("service status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("service status", "Suspended")
    CLOSED = "closed", pgettext_lazy("service status", "Closed")


class IntakeStatus(models.TextChoices):
    ACCEPTING = "accepting", _("Accepting new people")
    WAITING_LIST = "waiting_list", _("Waiting list")
    NOT_ACCEPTING = "not_accepting", _("Not accepting new people")


class Service(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ServiceStatus.choices,
        default=ServiceStatus.DRAFT,
        db_index=True,
    )
    intake_status = models.CharField(
        _("intake"),
        max_length=14,
        choices=IntakeStatus.choices,
        default=IntakeStatus.ACCEPTING,
    )
    intake_reason = models.CharField(_("intake note"), max_length=300, blank=True)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. es, en, qu.")
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee_detail = models.CharField(_("fees"), max_length=300, blank=True)
    documents_required = models.BooleanField(_("documents required"), default=False)
    required_documents = models.CharField(_("required documents"), max_length=300, blank=True)
    eligibility_es = models.TextField(_("eligibility (Spanish)"), blank=True)
    eligibility_en = models.TextField(_("eligibility (English)"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    in_person = models.BooleanField(_("in person"), default=True)
    by_phone = models.BooleanField(_("by phone"), default=False)
    online = models.BooleanField(_("online"), default=False)
    outreach = models.BooleanField(_("outreach / mobile"), default=False)
    open_24_7 = models.BooleanField(_("open 24 hours, 7 days"), default=False)
    timezone = models.CharField(_("time zone"), max_length=40, default="America/Lima")
    holidays_note = models.CharField(_("holidays"), max_length=300, blank=True)
    terms = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("classification"), blank=True, related_name="services"
    )
    illustrative = models.BooleanField(
        _("illustrative example"),
        default=False,
        help_text=_("Demo data: shown with a notice that the service is not real."),
    )
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stale_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Lower-case, accent-free text of names, descriptions, organization and terms, in
    # both languages: the same accent-insensitive search on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["status", "intake_status"]),
            models.Index(fields=["status", "organization"]),
            models.Index(fields=["status", "name_es", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def eligibility(self) -> str:
        return localized(self, "eligibility")

    def clean(self) -> None:
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            raise ValidationError(
                {"maximum_age": _("The maximum age must not be below the minimum age.")}
            )
        if not self.is_free and not self.fee_detail:
            raise ValidationError(
                {"fee_detail": _("Describe the fees of a service that is not free.")}
            )
        if self.documents_required and not self.required_documents:
            raise ValidationError({"required_documents": _("Say which documents are required.")})
        if not (self.in_person or self.by_phone or self.online or self.outreach):
            raise ValidationError(_("Choose at least one way the service is delivered."))

    def is_stale(self, days: int | None = None) -> bool:
        days = days if days is not None else settings.RUTA_VERIFY_DAYS
        if self.last_verified_at is None:
            return True
        return timezone.now() - self.last_verified_at > timedelta(days=days)


class Phone(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=40)
    extension = models.CharField(_("extension"), max_length=10, blank=True)
    # HSDS sets no limit on a phone's description (published data has 177 characters).
    description = models.TextField(_("description"), blank=True)
    whatsapp = models.BooleanField(_("WhatsApp"), default=False)
    free_line = models.BooleanField(_("free line"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number

    @property
    def tel_uri(self) -> str:
        digits = "".join(ch for ch in self.number if ch.isdigit() or ch == "+")
        return f"tel:{digits}"

    @property
    def whatsapp_uri(self) -> str:
        digits = "".join(ch for ch in self.number if ch.isdigit())
        return f"https://wa.me/{digits}"


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class Schedule(models.Model):
    """Weekly opening hours in the service's time zone (HSDS schedule, freq WEEKLY)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")), name="schedule_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class Closure(models.Model):
    """A day the service is closed although its weekly hours say open (holidays)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["service", "date"], name="unique_closure_day")
        ]

    def __str__(self) -> str:
        return f"{self.date}"


class Location(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=20,
        blank=True,
        help_text=_("Open Referral (HSDS) needs it to publish the address."),
    )
    country = models.CharField(_("country"), max_length=2, default="PE")
    admin1 = models.ForeignKey(
        AdminArea,
        verbose_name=_("region / province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    admin2 = models.ForeignKey(
        AdminArea,
        verbose_name=_("district / canton"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    transportation = models.CharField(_("how to get there"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class ServiceArea(models.Model):
    """Where a phone, online or outreach service reaches, beyond its locations."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "area"], name="unique_service_area")
        ]

    def __str__(self) -> str:
        return f"{self.service} → {self.area}"


class ServiceChange(models.Model):
    """The visible change history of a service: who changed which fields, when."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=30)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    VALID = "valid", _("Valid (dry run)")
    FAILED = "failed", _("Rejected")
    DONE = "done", _("Imported")


class ImportJob(models.Model):
    """An HSDS import (JSON or tabular zip), checked in a dry run before anything is written."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    report = models.JSONField(default=dict, blank=True)  # counts and errors: file, line, reason
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"


class EverydayWord(models.Model):
    """A word or phrase people type for what they need ("me pegan", "papeles"), and the
    needs it means: the finder also returns the services carrying those terms.

    Curated by the network's coordinators; ``folded`` is the accent- and case-free form
    the finder compares with the words typed (``ruta.lib.text.fold``).
    """

    class Language(models.TextChoices):
        ES = "es", _("Spanish")
        EN = "en", _("English")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phrase = models.CharField(_("word or phrase"), max_length=80)
    folded = models.CharField(max_length=80, unique=True, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ES
    )
    usage = models.CharField(
        _("where it is said"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty when it is said everywhere; for example: Venezuela."),
    )
    terms = models.ManyToManyField(
        TaxonomyTerm, related_name="everyday_words", verbose_name=_("what it means")
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["folded"]
        verbose_name = _("everyday word")
        verbose_name_plural = _("everyday words")

    def __str__(self) -> str:
        return self.phrase


class DirectoryVersion(models.Model):
    """One row whose token the database changes with every write to the directory's tables
    (triggers of migration 0013: services and what hangs off them, terms, places, areas,
    organizations, everyday words), whoever writes: an editor, an import, the admin, raw SQL.

    What is built from the directory and cached (``ruta.directory.version``) is keyed on
    the token, so every process sees a change on its next request. A token is never
    reused, not even after a rolled-back write (random on SQLite, a sequence on
    PostgreSQL): a value cached inside a transaction that rolled back is never found."""

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("directory version")
        verbose_name_plural = _("directory versions")

    def __str__(self) -> str:
        return str(self.token)
