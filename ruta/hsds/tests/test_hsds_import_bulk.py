"""The import writes in bulk: its queries do not grow with the services of the file, and
what it records in bulk (change history, search text, directory version) is what the
one-by-one path records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ruta.directory import actions
from ruta.directory.models import Closure, Service, ServiceChange, TaxonomyTerm
from ruta.directory.version import directory_token
from ruta.hsds import queries
from ruta.hsds.importer import run_import
from ruta.hsds.importer.keeping import RAW
from ruta.hsds.mapping import kept
from ruta.hsds.mapping.compiled import service_full
from ruta.hsds.models import KeptRecord
from ruta.hsds.tests.test_hsds_api import rich_service
from ruta.hsds.tests.test_hsds_import import as_bytes, new_id, service_doc
from ruta.hsds.tests.test_hsds_lossless import lossless_zip

pytestmark = pytest.mark.django_db


def _import_queries(count: int, actor: Any) -> tuple[int, list[dict[str, Any]]]:
    document = [service_doc(f"Servicio {index}") for index in range(count)]
    data = as_bytes(document)
    with CaptureQueriesContext(connection) as queries:
        result = run_import(data, "lote.json", actor=actor, dry_run=False)
    assert result.valid, result.errors
    assert result.counts["services_created"] == count
    return len(queries), document


def test_import_queries_do_not_grow_with_the_services(world: Any) -> None:
    coordinator = world.user("coordinator")
    # The services share an organization and a location: the first import creates them,
    # the two measured ones find them.
    _import_queries(1, coordinator)
    few, _ = _import_queries(5, coordinator)
    many, document = _import_queries(50, coordinator)
    # Each table is written for all services at once; at most a query or two differ
    # (a chunk boundary, a table one file gives and the other does not).
    assert abs(many - few) <= 2, (few, many)
    # About 70, and on SQLite 54 more: the version triggers set aside and put back.
    assert many <= 130, many
    # Every service still has its history entry and its search text.
    services = Service.objects.filter(uuid__in=[doc["id"] for doc in document])
    assert ServiceChange.objects.filter(service__in=services, action="created").count() == 50
    assert all("tumbes" in text for text in services.values_list("search_text", flat=True))
    # A re-import (every service updated) is bounded the same way.
    document[0]["name"] = "Servicio renovado"
    data = as_bytes(document)
    with CaptureQueriesContext(connection) as queries:
        result = run_import(data, "lote.json", actor=coordinator, dry_run=False)
    assert result.valid and result.counts["services_updated"] == 50
    assert len(queries) <= many + 15, (many, len(queries))
    assert ServiceChange.objects.filter(action="updated").count() == 1


@pytest.mark.parametrize("language", ["es", "en"])
def test_bulk_snapshot_and_search_text_are_those_of_one_service(world: Any, language: str) -> None:
    """``snapshots`` and ``Related`` (many services in a few queries) give what
    ``snapshot`` and ``refresh_search_text`` give for one service."""
    service = rich_service(world)
    Closure.objects.create(service=service, date=date(2026, 12, 25), reason="Navidad")
    plain = rich_service(world, "Orientación legal", terms=("legal",), hours=())
    with translation.override(language):
        for one in (service, plain):
            expected = actions.snapshot(one)
            assert actions.snapshots([one])[one.pk] == expected
            assert expected["schedules"] or one is plain
            related = actions.related_rows([one.pk])[one.pk]
            actions.refresh_search_text(one)
            assert related.search_text(one) == Service.objects.get(pk=one.pk).search_text
    assert actions.snapshot(service)["closures"] == ["2026-12-25 Navidad"]


def test_import_bumps_the_directory_version_and_keeps_its_triggers(
    world: Any, monkeypatch: Any
) -> None:
    def triggers() -> set[str]:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            else:
                cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            return {row[0] for row in cursor.fetchall()}

    present, token = triggers(), directory_token()
    assert run_import(as_bytes([service_doc()]), "a.json", dry_run=False).valid
    assert triggers() == present
    assert directory_token() != token

    # A write that fails half way leaves them too (the transaction that set them aside
    # rolls back), and nothing of the import.
    def fail(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ruta.hsds.importer.applying.keep_records", fail)
    services = Service.objects.count()
    with pytest.raises(RuntimeError):
        run_import(as_bytes([service_doc("Otro")]), "b.json", dry_run=False)
    assert triggers() == present
    assert Service.objects.count() == services


def _read_back_basis(key: Any) -> dict[str, Any]:
    """Ruta's rendering of a service as read from the database (what the basis is)."""
    services = queries.with_full_service(Service.objects.filter(uuid=key), kept=False)
    return kept.plain(service_full(services.select_related("organization").get(), RAW))


def test_the_basis_of_a_created_service_is_what_the_database_gives_back(world: Any) -> None:
    """The import renders the basis of the services it creates from the rows it has just
    written (``applying._hold``), not read back: the same, in the order the database gives
    them (hours by day and time, terms by taxonomy), whatever the file's order."""
    out_of_order = service_doc("Horario desordenado")
    out_of_order["schedules"] = [
        {"id": new_id(), "freq": "WEEKLY", "byday": day, "opens_at": opens, "closes_at": closes}
        for day, opens, closes in (("FR", "14:00", "18:00"), ("MO", "09:00", "13:00"))
    ] + [
        {
            "id": new_id(),
            "freq": "WEEKLY",
            "byday": "TH,FR",
            "opens_at": "08:00",
            "closes_at": "12:00",
        }
    ]
    out_of_order["attributes"].insert(
        0, {"id": new_id(), "taxonomy_term_id": str(TaxonomyTerm.objects.get(code="layer2").uuid)}
    )
    existing = rich_service(world)
    document = [service_doc("Primero"), out_of_order, service_doc(id=str(existing.uuid))]
    result = run_import(as_bytes(document), "lote.json", dry_run=False)
    assert result.valid, result.errors
    assert result.counts["services_created"] == 2 and result.counts["services_updated"] == 1
    assert run_import(lossless_zip(), "lossless.zip", dry_run=False).valid

    kept_services = KeptRecord.objects.filter(entity="service")
    assert kept_services.count() == 4
    for record in kept_services:
        assert record.basis == _read_back_basis(record.hsds_id), record.hsds_id
    hours = KeptRecord.objects.get(hsds_id=out_of_order["id"]).basis["schedules"]
    assert [row["byday"] for row in hours] == ["MO", "TH", "FR", "FR"]
