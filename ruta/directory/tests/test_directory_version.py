"""The finder's choices are cached per version of the directory, a token the database
changes on every write to the directory's tables: any process sees a change on its next
request, whoever made it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ruta.directory.models import Phone, Service, ServiceStatus, TaxonomyTerm
from ruta.directory.tests.factories import make_service
from ruta.directory.version import directory_token

pytestmark = pytest.mark.django_db


def _process(name: str) -> Any:
    """The cache of one served process (per process by default: local memory)."""
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"process-{name}",
            },
            # What is measured here is the building of the page, not whole cached pages.
            "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
    )


def _finder(client: Any) -> tuple[str, int]:
    with translation.override("en"):
        url = reverse("finder:search")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_choices_are_built_once_per_directory_version(
    client: Any, world: Any, settings: Any
) -> None:
    settings.RUTA_PUBLIC_PAGE_CACHE = False  # the page is built each time: its choices are not
    make_service(world.hias, "Servicio")
    with _process("a"):
        _page, cold = _finder(client)
        _page, warm = _finder(client)
        # The needs, profiles and layers; the countries in use; their areas.
        assert cold - warm == 3
        make_service(world.care, "Servicio nuevo")
        _page, after_change = _finder(client)
        assert after_change == cold


def test_a_change_made_elsewhere_shows_on_every_process_next_request(
    client: Any, world: Any
) -> None:
    term = TaxonomyTerm.objects.get(taxonomy__code="sector", code="legal")
    with _process("a"):
        page, _queries = _finder(client)
        assert f'<option value="legal">{term.name_en}</option>' in page
    with _process("b"):
        _finder(client)
        # Another process, or a script, renames the need in plain SQL: no signal is sent.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE directory_taxonomyterm SET name_en = %s WHERE id = %s",
                ["Legal aid and advice", term.pk],
            )
        page, _queries = _finder(client)
        assert '<option value="legal">Legal aid and advice</option>' in page
    with _process("a"):
        page, _queries = _finder(client)
        assert '<option value="legal">Legal aid and advice</option>' in page


@pytest.mark.parametrize(
    "write",
    ["bulk_create", "queryset_update", "delete", "m2m", "organization", "raw_sql"],
)
def test_every_kind_of_write_changes_the_token(world: Any, write: str) -> None:
    service = make_service(world.care, "Servicio")
    before = directory_token()
    assert before is not None
    if write == "bulk_create":
        Phone.objects.bulk_create([Phone(service=service, number="+51 1 000 0000")])
    elif write == "queryset_update":
        Service.objects.filter(pk=service.pk).update(status=ServiceStatus.SUSPENDED)
    elif write == "delete":
        service.delete()
    elif write == "m2m":
        service.terms.add(TaxonomyTerm.objects.get(code="legal"))
    elif write == "organization":
        world.care.active = False
        world.care.save()
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE directory_service SET name_en = 'Service'")
    assert directory_token() != before


@pytest.mark.django_db
def test_every_table_still_has_its_trigger_after_all_migrations() -> None:
    """On SQLite a later migration that rebuilds one of these tables (a new column with a
    default, an altered field) drops its triggers without a word, and the finder's choices
    would go stale: this fails until that migration puts them back
    (``directory.version_triggers.install``)."""
    import importlib

    from ruta.directory.version_triggers import expected_triggers

    module = importlib.import_module("ruta.directory.migrations.0013_directory_version")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        present = {row[0] for row in cursor.fetchall()}
    expected = expected_triggers(connection.vendor, module.TABLES)
    assert expected and not expected - present, sorted(expected - present)
