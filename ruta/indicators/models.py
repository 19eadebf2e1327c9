"""The indicator framework as data, the values entered by hand, and projects (log-frames).

- ``Framework``: a published set of indicators (the IASC common M&E framework for MHPSS,
  the IASC MHPSS Minimum Service Package's activity list) or the network's own.
- ``Indicator``: one goal, outcome or indicator of a framework, worded in Spanish and
  English, with its level, disaggregation and means of verification. An indicator is
  either **computed** from Ruta's records (``computation`` names a function of
  ``computations.py``) or **entered by hand** per period (``IndicatorValue``, with its
  evidence). ``verified`` says whether its wording was checked against the publication.
- ``ServicePackageActivity``: an activity of the Minimum Service Package.
- ``Project``: a donor-funded project of one organization (period, territory, budget)
  that selects indicators (``ProjectIndicator``) with a target per period (``Target``);
  the progress view sets each target beside the result for the same period.

Figures only: no person is named in any of these tables.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.lib.translated import localized


class Level(models.TextChoices):
    GOAL = "goal", _("Goal")
    GOAL_INDICATOR = "goal_indicator", _("Goal (impact) indicator")
    OUTCOME = "outcome", _("Outcome")
    OUTCOME_INDICATOR = "outcome_indicator", _("Outcome indicator")
    OUTPUT_INDICATOR = "output_indicator", _("Output indicator")
    PROCESS_INDICATOR = "process_indicator", _("Process indicator")


# Levels that carry a value (the others are headings: a goal, an outcome).
MEASURED_LEVELS = frozenset(
    {
        Level.GOAL_INDICATOR,
        Level.OUTCOME_INDICATOR,
        Level.OUTPUT_INDICATOR,
        Level.PROCESS_INDICATOR,
    }
)


class Unit(models.TextChoices):
    COUNT = "count", _("Number")
    PERCENT = "percent", _("Percentage")
    DAYS = "days", _("Days")


class Disaggregation(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE = "age", _("Age")
    POPULATION_TYPE = "population_type", _("Population type")
    DISABILITY = "disability", _("Disability")
    ADMIN1 = "admin1", _("Region")
    SECTOR = "sector", _("Sector")
    LAYER = "layer", _("IASC layer")


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    version = models.CharField(_("version"), max_length=120, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    source_url = models.URLField(_("source"), blank=True)
    note_es = models.TextField(_("note (Spanish)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def note(self) -> str:
        return localized(self, "note")


class Indicator(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=20)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("belongs to"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    wording_es = models.TextField(_("wording (Spanish)"))
    wording_en = models.TextField(_("wording (English)"))
    disaggregation = models.JSONField(_("disaggregation"), default=list, blank=True)
    mov_es = models.TextField(_("means of verification (Spanish)"), blank=True)
    mov_en = models.TextField(_("means of verification (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    computation = models.CharField(
        _("computed from the records as"),
        max_length=40,
        blank=True,
        help_text=_("Empty: the value is entered by hand for each period, with its evidence."),
    )
    verified = models.BooleanField(_("wording checked against the publication"), default=False)
    source = models.TextField(_("source"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # Set when a coordinator edits a shipped item: the shipped data no longer overwrites it.
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["framework__position", "framework__code", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.wording}"

    @property
    def wording(self) -> str:
        return localized(self, "wording")

    @property
    def means_of_verification(self) -> str:
        return localized(self, "mov")

    @property
    def measured(self) -> bool:
        return self.level in MEASURED_LEVELS

    @property
    def computed(self) -> bool:
        return bool(self.computation)

    def disaggregation_labels(self) -> list[str]:
        labels = dict(Disaggregation.choices)
        return [str(labels.get(code, code)) for code in self.disaggregation]


class ServicePackageActivity(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="activities", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=20)
    area_es = models.CharField(_("area (Spanish)"), max_length=200)
    area_en = models.CharField(_("area (English)"), max_length=200)
    title_es = models.TextField(_("activity (Spanish)"))
    title_en = models.TextField(_("activity (English)"))
    verified = models.BooleanField(_("wording checked against the publication"), default=False)
    source = models.TextField(_("source"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework", "position", "code"]
        verbose_name = _("minimum service package activity")
        verbose_name_plural = _("minimum service package activities")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="msp_activity_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def area(self) -> str:
        return localized(self, "area")

    @property
    def title(self) -> str:
        return localized(self, "title")


def evidence_path(instance: IndicatorValue, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"indicators/evidence/{instance.uuid}.{extension}"


class IndicatorValue(models.Model):
    """A value entered by hand for one period, by one organization (or for the network)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    organization = models.ForeignKey(
        "agencies.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
        help_text=_("Empty: a figure for the whole network."),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    evidence = models.FileField(_("evidence (file)"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True, editable=False)
    evidence_link = models.URLField(_("evidence (link)"), blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period_start", "organization"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite lacks:
            # one value per agency and period, and one network-wide value per period.
            models.UniqueConstraint(
                fields=["indicator", "organization", "period_start", "period_end"],
                condition=models.Q(organization__isnull=False),
                name="indicator_value_once_per_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                condition=models.Q(organization__isnull=True),
                name="network_value_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="indicator_value_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start}/{self.period_end}: {self.value}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
        numerator, denominator = self.numerator, self.denominator
        if numerator is not None and denominator is not None and numerator > denominator:
            raise ValidationError(
                {"numerator": _("The numerator cannot be larger than the denominator.")}
            )


class Project(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    donor = models.CharField(_("donor"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    territory = models.JSONField(
        _("territory"),
        default=list,
        blank=True,
        help_text=_("Regions (admin 1) where the project works; empty: wherever it reports."),
    )
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    description = models.TextField(_("description"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="project_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProjectIndicator(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator"], name="project_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.indicator.code}"


class Target(models.Model):
    project_indicator = models.ForeignKey(
        ProjectIndicator,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("project indicator"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["project_indicator", "period_start"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["project_indicator", "period_start", "period_end"],
                name="target_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="target_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_indicator} {self.period_start}: {self.value}"
