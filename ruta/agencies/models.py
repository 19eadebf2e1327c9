"""Organizations: the agencies that make up a network."""

from __future__ import annotations

import uuid

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    NGO = "ngo", _("NGO")
    UN_AGENCY = "un_agency", _("UN agency")
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COMMUNITY_LED = "community_led", _("Community-led organization")
    ACADEMIC = "academic", _("Academic")


def validate_country_codes(value: list[str]) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Countries must be a list of ISO 3166-1 codes."))
    bad = [code for code in value if pycountry.countries.get(alpha_2=str(code).upper()) is None]
    if bad:
        raise ValidationError(
            _("Unknown country codes: %(codes)s"), params={"codes": ", ".join(map(str, bad))}
        )


MAX_RETENTION_YEARS = 50


def default_retention_years() -> int:
    """The installation's retention period (RUTA_CASE_RETENTION_YEARS), never under one year."""
    return max(int(getattr(settings, "RUTA_CASE_RETENTION_YEARS", 5)), 1)


class Organization(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganizationType.choices)
    countries = models.JSONField(
        _("countries"),
        default=list,
        blank=True,
        validators=[validate_country_codes],
        help_text=_("ISO 3166-1 alpha-2 codes, e.g. PE, EC."),
    )
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Years a closed case is kept before its personal data is erased (empty: the
    # installation's RUTA_CASE_RETENTION_YEARS). See ruta.cases.retention.
    case_retention_years = models.PositiveSmallIntegerField(
        _("years closed cases are kept"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_YEARS)],
        help_text=_(
            "After this many years from closure, a case's identity and narratives are erased "
            "and only coded figures remain. Leave empty to use the installation's default."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.acronym or self.name

    @property
    def display_name(self) -> str:
        if self.acronym and self.acronym.lower() not in self.name.lower():
            return f"{self.name} ({self.acronym})"
        return self.name

    @property
    def retention_years(self) -> int:
        """The years its closed cases are kept: its own choice or the installation's."""
        return self.case_retention_years or default_retention_years()

    def country_names(self, language: str = "es") -> list[str]:
        from ruta.lib.geo import country_name

        return [country_name(code, language) for code in self.countries]
