"""Pre-aggregated monthly reach facts, so that the pages that read figures never recompute
the reach model on a page load (see ``facts.py`` for how they are kept exact).

- ``ReachFact``: one row per month and cell (organization, admin1, admin2, sector,
  population type) with the total monthly and new beneficiaries, their sex/age breakdown,
  the LGBTIQ+ and disability counts and how many of the people are anonymous counts.
- ``ReachKey``: for each reporting year, the digest of a pseudonymous key *within its
  cell's place* and the first month it was reached: what keeps "new" exact when one
  month is recomputed without the others. The digest is a SHA-256 of the source key
  (itself pseudonymous, namespaced by source) and the place: never a name or a document.
- ``DirtyMonth``: a month whose records changed since its facts were computed.
- ``FactsState``: when the facts were last refreshed ("figures as of ...").

Counts only: no personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GROUPS = ("girl", "boy", "woman", "man", "other")


def _count(label: str) -> models.PositiveIntegerField:  # type: ignore[type-arg]
    return models.PositiveIntegerField(label, default=0)


class ReachFact(models.Model):
    month = models.DateField(_("month"))
    organization_id = models.IntegerField(_("organization"))
    admin1 = models.CharField(_("admin 1"), max_length=20, blank=True)
    admin2 = models.CharField(_("admin 2"), max_length=20, blank=True)
    sector = models.CharField(_("sector"), max_length=30)
    population_type = models.CharField(_("population type"), max_length=20, blank=True)
    total = _count("total")
    new = _count("new")
    anonymous = _count("anonymous")
    lgbtiq = _count("lgbtiq")
    disability = _count("disability")
    total_girl = _count("total girl")
    total_boy = _count("total boy")
    total_woman = _count("total woman")
    total_man = _count("total man")
    total_other = _count("total other")
    new_girl = _count("new girl")
    new_boy = _count("new boy")
    new_woman = _count("new woman")
    new_man = _count("new man")
    new_other = _count("new other")

    class Meta:
        verbose_name = _("monthly reach fact")
        verbose_name_plural = _("monthly reach facts")
        ordering = ["month", "organization_id", "admin1", "admin2", "sector", "population_type"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "organization_id",
                    "admin1",
                    "admin2",
                    "sector",
                    "population_type",
                ],
                name="measure_fact_one_per_cell",
            )
        ]
        indexes = [models.Index(fields=["organization_id", "month"], name="measure_fact_org")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.organization_id} {self.admin1} {self.sector}"


class ReachKey(models.Model):
    year = models.PositiveSmallIntegerField()
    digest = models.CharField(max_length=32)
    first_month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "digest"], name="measure_key_once_a_year")
        ]
        indexes = [models.Index(fields=["year", "first_month"], name="measure_key_first")]

    def __str__(self) -> str:
        return f"{self.year} {self.digest}"


class DirtyMonth(models.Model):
    month = models.DateField(db_index=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class FactsState(models.Model):
    """One row (pk 1): when the facts were last refreshed."""

    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.refreshed_at}"


class PublicFigures(models.Model):
    """One row (pk 1): whether the network's public dashboard is on, and who last switched
    it (a coordinator; ``ruta.measure.public.set_public``)."""

    enabled = models.BooleanField(_("public dashboard on"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("public dashboard")

    def __str__(self) -> str:
        return "on" if self.enabled else "off"


# The 5W submissions live in their own module; the app's models are all found here.
from ruta.measure.fivew_models import FiveWSubmission, SubmissionSource  # noqa: E402

__all__ = [
    "DirtyMonth",
    "FactsState",
    "FiveWSubmission",
    "PublicFigures",
    "ReachFact",
    "ReachKey",
    "SubmissionSource",
]
