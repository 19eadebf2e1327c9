"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import World

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium (``playwright install`` cannot download here).

    Browser tests are part of the suite: under CI a missing Chromium fails them.
    """
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Say why browser tests cannot run with ``-p no:playwright``; under CI they fail."""
    if config.pluginmanager.has_plugin("playwright") or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="pytest-playwright is disabled (-p no:playwright)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


RESTORE_AFTER = pytest.StashKey[tuple[str, Any]]()


@pytest.fixture(scope="session")
def migrated_data(django_db_setup: None, django_db_blocker: Any) -> str:
    """What the data migrations shipped (vocabularies, admin areas), serialized once.

    Session fixtures come first, so this sees the database before any world is built.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        return str(connection.creation.serialize_db_to_string())


@pytest.fixture
def live(
    request: pytest.FixtureRequest,
    migrated_data: str,
    django_db_blocker: Any,
    transactional_db: None,
    live_server: Any,
    world: World,
) -> Any:
    """The live server, with the fixture world in a transactional database it can see."""
    request.node.stash[RESTORE_AFTER] = (migrated_data, django_db_blocker)
    return live_server


@pytest.fixture(autouse=True)
def _restore_after_transactional_tests(request: pytest.FixtureRequest) -> None:
    """Any test marked ``django_db(transaction=True)`` also gets the migrated data back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.node.stash[RESTORE_AFTER] = (
            request.getfixturevalue("migrated_data"),
            request.getfixturevalue("django_db_blocker"),
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a live-server or transactional test has emptied every table, put the migrated
    data back.

    The tests that follow find the database as the migrations left it. Django's serialized
    rollback cannot do this: it restores before a test, not after, and under Playwright the
    test runs with another connection object than the one that holds the contents
    serialized when the test database was created.
    """
    try:
        return (yield)
    finally:
        # Not after a worker's last test: its teardown has already ended the session's
        # database (restoring would write to the main one). A kept database (--reuse-db)
        # can then start empty when that last test was a transactional one: known, left.
        if RESTORE_AFTER in item.stash and nextitem is not None:
            _restore(*item.stash[RESTORE_AFTER])


def _restore(migrated_data: str, django_db_blocker: Any) -> None:
    """Put the serialized rows back, a model at a time (one INSERT per 200 rows: Django's
    ``deserialize_db_from_string`` saves them one by one, 1.6 s a test on PostgreSQL
    against 0.1 s), then move each table's id sequence past them."""
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with django_db_blocker.unblock(), transaction.atomic():
        # The flush re-created content types and permissions, perhaps with other ids.
        ContentType.objects.all().delete()
        rows: dict[Any, list[Any]] = {}
        related = []
        for item in serializers.deserialize("json", migrated_data):
            rows.setdefault(type(item.object), []).append(item.object)
            if item.m2m_data:
                related.append(item)
        for model, objects in rows.items():
            fields = model._meta.local_concrete_fields
            for start in range(0, len(objects), 200):
                # raw: the values as serialized (bulk_create would renew auto_now fields).
                model._base_manager._insert(objects[start : start + 200], fields, raw=True)
        for item in related:
            for name, values in item.m2m_data.items():
                getattr(item.object, name).set(values)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(rows)):
                cursor.execute(statement)
    ContentType.objects.clear_cache()
