"""Administrative areas: ISO 3166-2 regions and the districts a gazetteer adds with P-codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.lib.translated import localized


class AdminArea(models.Model):
    """An ISO 3166-2 subdivision (level 1) or an imported P-code area (level 2)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    country = models.CharField(_("country"), max_length=2, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    pcode = models.CharField(_("P-code"), max_length=20, blank=True, db_index=True)
    # A representative point (capital or centroid) so a typed place can rank by distance.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        db_table = "directory_adminarea"  # the table it had when it lived in the directory
        ordering = ["country", "level", "name_es"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Boundary(models.Model):
    """An area's outline, imported by a coordinator (``places.boundaries``): a simplified
    GeoJSON MultiPolygon in lon/lat (WGS 84) that the reach dashboard draws as a map.

    A table of its own so that the many queries of areas never load outlines."""

    area = models.OneToOneField(
        AdminArea, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    geometry = models.JSONField(_("outline"))
    points = models.PositiveIntegerField(_("points"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")

    def __str__(self) -> str:
        return self.area.code
