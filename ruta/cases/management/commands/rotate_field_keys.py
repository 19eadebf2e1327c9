"""Re-encrypt every encrypted field under the first key of RUTA_FIELD_KEYS.

Rotation: put a new key first in RUTA_FIELD_KEYS, keep the old ones after it, run this
command, then remove the old keys. Document hashes are recomputed under the new key.
Pseudonymous codes whose value is never stored (beneficiaries, participants, callers) are
re-keyed as they are seen again (``ruta.lib.crypto.find_keyed``): see the README.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ruta.lib.fields import encrypted_fields

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the current (first) field key."

    def handle(self, *args: Any, **options: Any) -> None:
        from ruta.cases.actions import document_hash
        from ruta.cases.models import Client

        total = 0
        for model in apps.get_models():
            names = encrypted_fields(model)
            if not names:
                continue
            count = 0
            with transaction.atomic():
                batch: list[Any] = []
                for obj in model.objects.only("pk", *names).order_by("pk").iterator(BATCH):  # type: ignore[attr-defined]
                    if model is Client:
                        obj.document_hash = document_hash(obj.document_number or "")
                    batch.append(obj)
                    if len(batch) >= BATCH:
                        count += self._save(model, batch, names)
                        batch = []
                count += self._save(model, batch, names)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} records under the current key."))

    @staticmethod
    def _save(model: Any, batch: list[Any], names: list[str]) -> int:
        if not batch:
            return 0
        fields = list(names) + (["document_hash"] if model.__name__ == "Client" else [])
        model.objects.bulk_update(batch, fields)
        return len(batch)
