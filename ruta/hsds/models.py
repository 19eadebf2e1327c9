"""HSDS objects as an import received them, kept so that the export gives them back.

Ruta's own tables hold what Ruta uses and edits (a service's names, hours, phones ...).
Everything else HSDS defines lives here, beside them: the fields Ruta has no column for
(a service's ``wait_time``, a schedule's ``valid_from``), the objects Ruta has no model
for (funding, programs, contacts, metadata ...), and objects whose HSDS form Ruta
reshapes (a schedule ``byday TH,FR`` is two rows of weekly hours in Ruta). One row per
HSDS object, by entity and id, with its own fields as received.

Each row hangs off the Ruta row it belongs to (a service, else a location, else an
organization; taxonomies, terms and table descriptions belong to no one), so it goes
when that row is deleted and is published only when that row is. How the export
combines the two (an edit in Ruta wins) is told in ``ruta.hsds.mapping.kept``.
"""

from __future__ import annotations

from django.db import models


class KeptRecord(models.Model):
    entity = models.CharField(max_length=40)  # the HSDS table: service, phone, funding ...
    hsds_id = models.UUIDField()
    # Its own fields as received, HSDS JSON values (numbers as numbers), no nested objects.
    data = models.JSONField(default=dict)
    # For a service, location or organization: Ruta's own HSDS rendering of it right after
    # the import, to tell later whether Ruta's data changed since (see mapping.kept); a
    # service's without the nested objects that comparison leaves out (kept.plain).
    basis = models.JSONField(null=True, blank=True)
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kept_records",
    )
    location = models.ForeignKey(
        "directory.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kept_records",
    )
    organization = models.ForeignKey(
        "agencies.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kept_records",
    )
    position = models.PositiveIntegerField(default=0)  # the order of the file
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "hsds_id"], name="unique_kept_record")
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.hsds_id}"
