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
from ruta.directory.models import Closure, Service, ServiceChange
from ruta.directory.version import directory_token
from ruta.hsds.importer import run_import
from ruta.hsds.tests.test_hsds_api import rich_service
from ruta.hsds.tests.test_hsds_import import as_bytes, service_doc

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
    def fail(plan: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ruta.hsds.importer.applying.keep_records", fail)
    services = Service.objects.count()
    with pytest.raises(RuntimeError):
        run_import(as_bytes([service_doc("Otro")]), "b.json", dry_run=False)
    assert triggers() == present
    assert Service.objects.count() == services
