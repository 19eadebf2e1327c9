"""Referral pathways: organizations by population profiles, each cell an entry point or an
onward service, pointing at services of the directory.

The tables keep the names they had inside ``directory`` (``db_table``), so an installation
upgrades with ``migrate`` alone. Workflow lives in ``actions.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.lib.translated import localized


class PathwayTheme(models.TextChoices):
    GBV = "gbv", _("Gender-based violence")
    MHPSS = "mhpss", _("Mental health and psychosocial support")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    OTHER = "other", _("Other")


class PathwayStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Pathway(models.Model):
    """A referral pathway: organizations by population profiles, each cell entry or funnel."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=PathwayTheme.choices)
    country = models.CharField(_("country"), max_length=2, default="PE")
    admin1 = models.ForeignKey(
        "places.AdminArea",
        verbose_name=_("region / province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope_note = models.CharField(_("geographic scope"), max_length=200, blank=True)
    notes_es = models.TextField(_("notes (Spanish)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PathwayStatus.choices, default=PathwayStatus.DRAFT
    )
    # The join table keeps its name too: it derives from ``db_table`` below.
    organizations = models.ManyToManyField(
        "agencies.Organization", verbose_name=_("organizations"), blank=True, related_name="+"
    )
    illustrative = models.BooleanField(_("illustrative example"), default=False)
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "directory_pathway"
        ordering = ["title_es"]
        verbose_name = _("referral pathway")
        verbose_name_plural = _("referral pathways")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def due_for_check(self) -> bool:
        """Verified once, but longer ago than ``RUTA_VERIFY_DAYS``: the screen, the PDF and
        the spreadsheet all say so."""
        if self.verified_at is None:
            return False
        return (timezone.now() - self.verified_at).days > settings.RUTA_VERIFY_DAYS


class CellRole(models.IntegerChoices):
    ENTRY = 1, _("Entry point")
    FUNNEL = 2, _("Onward service")


class PathwayCell(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="cells")
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.CASCADE, related_name="+"
    )
    profile = models.ForeignKey(
        "directory.TaxonomyTerm", on_delete=models.PROTECT, related_name="+"
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=CellRole.choices)
    services = models.ManyToManyField("directory.Service", blank=True, related_name="pathway_cells")

    class Meta:
        db_table = "directory_pathwaycell"
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "organization", "profile"], name="unique_pathway_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pathway} {self.organization} {self.profile}: {self.role}"
