"""The finder's text index (``search_index``): the same services in the same order as LIKE
alone, kept in step with every write, and present after all migrations."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet

from ruta.directory import search_index
from ruta.directory.access import public_services
from ruta.directory.actions import refresh_search_text, save_location
from ruta.directory.demo import load_directory_demo
from ruta.directory.forms_public import FinderForm
from ruta.directory.models import Location, Service
from ruta.directory.search import FinderQuery, find_services
from ruta.directory.tests.factories import make_service
from ruta.directory.tests.test_everyday_words import EVERYDAY_QUERIES
from ruta.directory.tests.test_finder_pages import FILTERED
from ruta.hsds import queries as hsds_queries

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

MONDAY_10_LIMA = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")


def _ids(query: FinderQuery) -> list[int]:
    found = find_services(public_services(), query, now=MONDAY_10_LIMA)
    return list(found.values_list("pk", flat=True))


def _ranked(query: FinderQuery, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """The ids the finder ranks for ``query``: as it chooses, with LIKE only, and with the
    index for every word it can take."""
    answers = {"chosen": _ids(query)}
    with monkeypatch.context() as patch:
        patch.setattr(search_index, "indexed_texts", lambda texts: set())
        answers["like"] = _ids(query)
    with monkeypatch.context() as patch:
        patch.setattr(search_index, "SELECTIVE", 10**9)
        answers["index"] = _ids(query)
    return answers


def _queries() -> list[FinderQuery]:
    """Everyday phrases, the finder pages' filtered searches, and words, pieces of words
    and runs of words from the demo's own texts, rare and common."""
    queries = []
    for query, _needs in EVERYDAY_QUERIES:
        queries.append(FinderQuery(text=query))
    for params in FILTERED:
        form = FinderForm(params)
        form.is_valid()
        queries.append(form.finder_query())
    texts = list(Service.objects.order_by("pk").values_list("search_text", flat=True))
    words = sorted({word for text in texts for word in text.split(" ")})
    rng = random.Random(18)
    for word in rng.sample(words, 60):
        queries.append(FinderQuery(text=word))
        if len(word) > 5:
            queries.append(FinderQuery(text=word[1:-1]))  # a piece inside a word
    for text in rng.sample(texts, 15):
        parts = text.split(" ")
        start = rng.randrange(max(1, len(parts) - 3))
        queries.append(FinderQuery(text=" ".join(parts[start : start + 3])))
    queries += [
        FinderQuery(text="zzqx"),  # nowhere
        FinderQuery(text="de"),  # too short for the index
        FinderQuery(text="apoyo tumbes", free=True),
        FinderQuery(text="psicologico", near=(-12.05, -77.04)),
    ]
    return queries


def test_the_index_finds_the_same_services_in_the_same_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_directory_demo(now=MONDAY_10_LIMA)
    found = 0
    for query in _queries():
        answers = _ranked(query, monkeypatch)
        assert answers["chosen"] == answers["like"] == answers["index"], query
        found += len(answers["like"])
    assert found > 1000


def _index_rows() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, search_text FROM {search_index.SQLITE_TABLE}")  # noqa: S608
        return dict(cursor.fetchall())


def _table_rows() -> dict[int, str]:
    return dict(Service.objects.values_list("pk", "search_text"))


def _found_by_index(word: str) -> list[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "SELECTIVE", 10**9)
        found = find_services(Service.objects.all(), FinderQuery(text=word))
        return list(found.values_list("name_es", flat=True))


@sqlite_only
def test_the_index_follows_every_write(world: Any) -> None:
    service = make_service(world.care, "Escucha activa Quillabamba", terms=("women",))
    assert _found_by_index("quillabamba") == ["Escucha activa Quillabamba"]
    # An edit through the editor's action.
    service.name_es = "Escucha activa Oxapampa"
    service.save()
    refresh_search_text(service)
    assert _found_by_index("quillabamba") == []
    assert _found_by_index("oxapampa") == ["Escucha activa Oxapampa"]
    # A place renamed: its services' words change.
    location = Location.objects.create(organization=world.care, name="Sede Yurimaguas")
    service.service_at_locations.create(location=location)
    refresh_search_text(service)
    assert _found_by_index("yurimaguas") == ["Escucha activa Oxapampa"]
    location.name = "Sede Moyobamba"
    save_location(None, location, before={"name": "Sede Yurimaguas"})
    assert _found_by_index("yurimaguas") == []
    assert _found_by_index("moyobamba") == ["Escucha activa Oxapampa"]
    # Bulk writes send no signal: the triggers see them.
    Service.objects.filter(pk=service.pk).update(search_text="texto de chachapoyas")
    assert _found_by_index("chachapoyas") == ["Escucha activa Oxapampa"]
    Service.objects.bulk_create(
        [Service(organization=world.care, name_es="Nuevo", search_text="servicio en pucallpa")]
    )
    assert _found_by_index("pucallpa") == ["Nuevo"]
    # Deletes, one or many.
    service.delete()
    assert _found_by_index("chachapoyas") == []
    Service.objects.filter(name_es="Nuevo").delete()
    assert _found_by_index("pucallpa") == []
    assert _index_rows() == _table_rows()


@sqlite_only
def test_the_index_command_refills_an_index_that_drifted(world: Any) -> None:
    make_service(world.care, "Acompañamiento en Iquitos")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search_index.SQLITE_TABLE}")  # noqa: S608
    assert _found_by_index("iquitos") == []
    out = io.StringIO()
    call_command("search_index", stdout=out)
    assert "FTS5" in out.getvalue()
    assert _found_by_index("iquitos") == ["Acompañamiento en Iquitos"]
    assert _index_rows() == _table_rows()


def test_the_index_is_there_after_all_migrations() -> None:
    """On SQLite, its table and the triggers that keep it (a later migration that rebuilds
    ``directory_service`` must put them back: ``version_triggers.install`` does); on
    PostgreSQL, the trigram index, where the extension could be created (it can in CI)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master")
            present = {row[0] for row in cursor.fetchall()}
            expected = {search_index.SQLITE_TABLE, *search_index.expected_triggers("sqlite")}
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'directory_service'")
            present = {row[0] for row in cursor.fetchall()}
            expected = {search_index.POSTGRES_INDEX}
    assert not expected - present, sorted(expected - present)


@sqlite_only
def test_a_rebuilt_service_table_gets_its_index_triggers_back(world: Any) -> None:
    from ruta.directory.version_triggers import install

    with connection.cursor() as cursor:
        for name in search_index.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")

    class Editor:  # what install uses of a migration's schema editor (none in a test's transaction)
        connection: Any = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    install(Editor(), ("directory_service",))
    make_service(world.care, "Orientación en Huancavelica")
    assert _found_by_index("huancavelica") == ["Orientación en Huancavelica"]


def _hsds_found(search: str) -> list[QuerySet[Any]]:
    """What the HSDS API's ``search`` selects: services, and links through their service."""
    services = hsds_queries.filter_services(hsds_queries.published_services(), search=search)
    links = hsds_queries.filter_services(
        hsds_queries.published_service_at_locations(), search=search, prefix="service__"
    )
    return [services, links]


def _hsds_ids(search: str) -> list[list[Any]]:
    return [list(found.values_list("uuid", flat=True)) for found in _hsds_found(search)]


def test_the_hsds_api_search_finds_what_like_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The HSDS API's ``search`` takes the index for selective words, as the finder does,
    on services and on their links, and finds what LIKE alone finds."""
    load_directory_demo(now=MONDAY_10_LIMA)
    texts = list(Service.objects.order_by("pk").values_list("search_text", flat=True))
    words = sorted({word for text in texts for word in text.split(" ") if len(word) > 3})
    found = 0
    for search in [*random.Random(16).sample(words, 25), "apoyo psicologico", "zzqx"]:
        with monkeypatch.context() as patch:
            patch.setattr(search_index, "SELECTIVE", 10**9)
            indexed = _hsds_ids(search)
            sql = [str(found.query) for found in _hsds_found(search)]
        with monkeypatch.context() as patch:
            patch.setattr(search_index, "probes", lambda: False)
            like = _hsds_ids(search)
        assert indexed == like, search
        if search_index.probes():  # SQLite with FTS5: both queries ask the index
            assert all(search_index.SQLITE_TABLE in query for query in sql), search
        found += len(like[0]) + len(like[1])
    assert found > 50
