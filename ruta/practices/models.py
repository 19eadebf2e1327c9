"""The good-practices inventory: the structured template of seed 004 as data.

Vocabularies (SDGs, Global Compact for Migration objectives and guiding principles,
IASC layers, themes) are rows loaded by a data migration, with Spanish and English
labels. A practice stores its narrative fields in both languages; ``text(field)`` gives
the current language with a fallback to the other one, and
``ruta.lib.translated.in_reader_language`` also says when it fell back (pages mark it). The workflow lives in
``actions.py``; this module holds data and invariants only.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ruta.lib.translated import in_reader_language


def current_language() -> str:
    return (get_language() or "es")[:2]


# --- Vocabularies ---------------------------------------------------------------------


class Vocabulary(models.Model):
    title_es = models.CharField(_("title (Spanish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return in_reader_language(self, "title").text


class SDG(Vocabulary):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GCMObjective(Vocabulary):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Global Compact for Migration objective")
        verbose_name_plural = _("Global Compact for Migration objectives")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GuidingPrinciple(Vocabulary):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("Global Compact guiding principle")
        verbose_name_plural = _("Global Compact guiding principles")

    def __str__(self) -> str:
        return self.title

    @property
    def letter(self) -> str:
        return "abcdefghijklmnopqrstuvwxyz"[(self.order - 1) % 26]


class IascLayer(Vocabulary):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("IASC intervention layer")
        verbose_name_plural = _("IASC intervention layers")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Theme(Vocabulary):
    """A small taxonomy that coordinators may extend (through the admin site)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.title


# --- Practices --------------------------------------------------------------------------


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("practice status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("practice status", "Submitted for review")
    REVIEWED = "reviewed", pgettext_lazy("practice status", "Reviewed")
    PUBLISHED = "published", pgettext_lazy("practice status", "Published")


class Sustainability(models.TextChoices):
    LOW = "low", pgettext_lazy("sustainability level", "Low")
    MEDIUM = "medium", pgettext_lazy("sustainability level", "Medium")
    HIGH = "high", pgettext_lazy("sustainability level", "High")


def validate_currency(value: str) -> None:
    if value and pycountry.currencies.get(alpha_3=value.upper()) is None:
        raise ValidationError(_("Unknown currency code: %(code)s"), params={"code": value})


def validate_country(value: str) -> None:
    if pycountry.countries.get(alpha_2=str(value).upper()) is None:
        raise ValidationError(_("Unknown country code: %(code)s"), params={"code": value})


# The narrative fields, each stored in Spanish and English, in the template's order.
TEXT_FIELDS: tuple[str, ...] = (
    "area",
    "finding",
    "context",
    "applicability",
    "cause_effect",
    "contribution",
    "effectiveness",
    "target_description",
    "target_type",
    "actors",
    "replication_potential",
    "institutional_linkage",
    "differentiating_factors",
    "sustainability_notes",
    "keywords",
)


class Practice(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("code"), max_length=30, unique=True, help_text=_("A short unique code, e.g. BP5_PC.")
    )
    title_es = models.CharField(_("title (Spanish)"), max_length=400, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Some fields are illustrative: the source gives no detail."),
    )
    owner = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("owning organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_practices",
    )
    organizations = models.ManyToManyField(
        "agencies.Organization",
        verbose_name=_("organizations"),
        blank=True,
        related_name="practices",
    )
    other_organizations = models.CharField(
        _("other organizations"),
        max_length=500,
        blank=True,
        help_text=_("Organizations that are not on the platform, separated by commas."),
    )
    territories = models.CharField(_("territories"), max_length=500, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    iasc_layers = models.ManyToManyField(IascLayer, verbose_name=_("IASC layers"), blank=True)
    sdgs = models.ManyToManyField(SDG, verbose_name=_("SDGs"), blank=True)
    gcm_objectives = models.ManyToManyField(
        GCMObjective, verbose_name=_("Global Compact objectives"), blank=True
    )
    guiding_principles = models.ManyToManyField(
        GuidingPrinciple, verbose_name=_("guiding principles"), blank=True
    )

    area_es = models.CharField(_("area (Spanish)"), max_length=200, blank=True)
    area_en = models.CharField(_("area (English)"), max_length=200, blank=True)
    finding_es = models.TextField(_("finding (Spanish)"), blank=True)
    finding_en = models.TextField(_("finding (English)"), blank=True)
    context_es = models.TextField(_("context (Spanish)"), blank=True)
    context_en = models.TextField(_("context (English)"), blank=True)
    applicability_es = models.TextField(_("applicability advice (Spanish)"), blank=True)
    applicability_en = models.TextField(_("applicability advice (English)"), blank=True)
    cause_effect_es = models.TextField(_("cause-effect relationship (Spanish)"), blank=True)
    cause_effect_en = models.TextField(_("cause-effect relationship (English)"), blank=True)
    contribution_es = models.TextField(_("contribution and indicators (Spanish)"), blank=True)
    contribution_en = models.TextField(_("contribution and indicators (English)"), blank=True)
    effectiveness_es = models.TextField(_("effectiveness (Spanish)"), blank=True)
    effectiveness_en = models.TextField(_("effectiveness (English)"), blank=True)
    target_description_es = models.TextField(_("target (Spanish)"), blank=True)
    target_description_en = models.TextField(_("target (English)"), blank=True)
    target_type_es = models.CharField(_("type of assistance (Spanish)"), max_length=300, blank=True)
    target_type_en = models.CharField(_("type of assistance (English)"), max_length=300, blank=True)
    actors_es = models.TextField(_("actors involved (Spanish)"), blank=True)
    actors_en = models.TextField(_("actors involved (English)"), blank=True)
    replication_potential_es = models.TextField(_("replication potential (Spanish)"), blank=True)
    replication_potential_en = models.TextField(_("replication potential (English)"), blank=True)
    institutional_linkage_es = models.TextField(_("institutional linkage (Spanish)"), blank=True)
    institutional_linkage_en = models.TextField(_("institutional linkage (English)"), blank=True)
    differentiating_factors_es = models.TextField(
        _("differentiating factors (Spanish)"), blank=True
    )
    differentiating_factors_en = models.TextField(
        _("differentiating factors (English)"), blank=True
    )
    sustainability_notes_es = models.TextField(_("sustainability notes (Spanish)"), blank=True)
    sustainability_notes_en = models.TextField(_("sustainability notes (English)"), blank=True)
    keywords_es = models.CharField(_("keywords (Spanish)"), max_length=500, blank=True)
    keywords_en = models.CharField(_("keywords (English)"), max_length=500, blank=True)

    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("approximate budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[validate_currency],
        help_text=_("ISO 4217 code, e.g. USD, PEN."),
    )
    sustainability = models.CharField(
        _("sustainability"), max_length=10, choices=Sustainability.choices, blank=True
    )

    search_text = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | ~models.Q(budget_currency=""),
                name="practice_budget_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"practice_uuid": self.uuid})

    @property
    def title(self) -> str:
        return in_reader_language(self, "title").text

    @property
    def area(self) -> str:
        return in_reader_language(self, "area").text

    def text(self, field: str) -> str:
        return in_reader_language(self, field).text

    def clean(self) -> None:
        if not (self.title_es.strip() or self.title_en.strip()):
            raise ValidationError({"title_es": _("Give a title in Spanish or in English.")})
        if self.budget_amount is not None and not self.budget_currency:
            raise ValidationError({"budget_currency": _("Say the currency of the budget.")})
        self.budget_currency = self.budget_currency.upper()


class PracticeCountry(models.Model):
    """A country where the practice takes place (a practice may have several)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="countries")
    code = models.CharField(_("country"), max_length=2, validators=[validate_country])

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.UniqueConstraint(fields=["practice", "code"], name="practice_country_once")
        ]

    def __str__(self) -> str:
        return self.code


class ReviewDecision(models.TextChoices):
    REVIEWED = "reviewed", pgettext_lazy("practice status", "Reviewed")
    RETURNED = "returned", pgettext_lazy("practice status", "Returned with comments")
    PUBLISHED = "published", pgettext_lazy("practice status", "Published")
    UNPUBLISHED = "unpublished", pgettext_lazy("practice status", "Unpublished")


class PracticeReview(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("practice review")
        verbose_name_plural = _("practice reviews")

    def __str__(self) -> str:
        return f"{self.practice.code} {self.decision}"


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES: dict[str, tuple[str, ...]] = {
    ".pdf": ("application/pdf",),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",),
    ".odt": ("application/vnd.oasis.opendocument.text",),
    ".png": ("image/png",),
    ".jpg": ("image/jpeg",),
    ".jpeg": ("image/jpeg",),
    ".txt": ("text/plain",),
}


def attachment_path(instance: PracticeAttachment, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"practices/{instance.practice.uuid}/{instance.uuid}{suffix}"


class PracticeAttachment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "practices:attachment",
            kwargs={"practice_uuid": self.practice.uuid, "attachment_uuid": self.uuid},
        )
