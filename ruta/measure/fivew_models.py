"""R4V 5W submissions: an organization's monthly 5W, frozen when it submits it.

One ``FiveWSubmission`` per version: the first submission of a month is version 1; each
correction adds the next version with a mandatory reason, and every version is kept. The
figures of a submitted month are those of its latest version (``rows``, the snapshot of
the report's rows keyed by HXL hashtag), never the live records. Counts only: no person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionSource(models.TextChoices):
    RECORDS = "records", _("Built from the records")
    IMPORT = "import", _("Imported from a spreadsheet")


class FiveWSubmission(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="fivew_submissions",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the reported month."))
    version = models.PositiveSmallIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=10, choices=SubmissionSource.choices)
    reason = models.TextField(_("reason for the correction"), blank=True)
    # The report's rows as submitted: a list of {HXL hashtag: value}.
    rows = models.JSONField(_("rows"), default=list)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["organization_id", "-month", "-version"]
        verbose_name = _("5W submission")
        verbose_name_plural = _("5W submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month", "version"], name="fivew_one_version_number"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="fivew_version_gte_1"),
            models.CheckConstraint(
                condition=models.Q(version=1) | ~models.Q(reason=""),
                name="fivew_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"5W {self.month:%Y-%m} v{self.version}"

    @property
    def is_correction(self) -> bool:
        return self.version > 1
