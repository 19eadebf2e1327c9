"""Whole finder pages are kept per directory version, language and minute, for anonymous
visitors only: a repeated search is served without searching, and a change shows on the
next request."""

from __future__ import annotations

import datetime as dt
from datetime import time
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.directory.models import Service
from ruta.directory.tests.factories import WITH_OWN_PAGE_CACHE, make_service

pytestmark = pytest.mark.django_db

# A Tuesday at 10:00:20 in Lima (UTC-5).
NOON = dt.datetime(2026, 3, 3, 15, 0, 20, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def own_cache() -> Any:
    """A cache of this test's own (per process: local memory)."""
    with override_settings(CACHES=WITH_OWN_PAGE_CACHE):
        from django.core.cache import caches

        caches["pages"].clear()
        yield
        caches["pages"].clear()


def _get(client: Any, query: str = "?q=apoyo", language: str = "en", **headers: Any) -> Any:
    with translation.override(language):
        url = reverse("finder:search") + query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_repeated_search_is_served_from_the_cache_with_one_query(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico", name_en="Psychological support")
    first, cold = _get(client)
    again, warm = _get(client)
    assert "Psychological support" in first
    assert again == first
    assert cold > 2
    assert warm == 1  # the directory's version, nothing else
    # Other words are another page.
    other, other_queries = _get(client, "?q=legal")
    assert "Psychological support" not in other
    assert other_queries == cold or other_queries > 1


def test_a_change_shows_on_the_next_request(client: Any, world: Any) -> None:
    service = make_service(world.care, "Apoyo psicológico", name_en="Psychological support")
    _get(client)
    Service.objects.filter(pk=service.pk).update(name_en="Psychological first aid and support")
    page, queries = _get(client)
    assert "Psychological first aid and support" in page
    assert queries > 1


def test_each_language_and_the_htmx_results_are_pages_of_their_own(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico", name_en="Psychological support")
    english, _ = _get(client, language="en")
    spanish, spanish_queries = _get(client, language="es")
    assert "Apoyo psicológico" in spanish and spanish != english
    assert spanish_queries > 1
    partial, partial_queries = _get(client, HTTP_HX_REQUEST="true")
    assert partial_queries > 1
    assert "<html" not in partial and "<html" in english


def test_a_signed_in_person_never_gets_a_cached_page(client: Any, world: Any) -> None:
    make_service(world.care, "Apoyo psicológico", name_en="Psychological support")
    anonymous, _ = _get(client)
    _get(client)
    verified_login(client, world.user("caseworker.care"))
    staff, queries = _get(client)
    assert queries > 1
    assert staff != anonymous
    assert reverse("core:dashboard") in staff
    _staff_again, again = _get(client)
    assert again > 1


def test_a_page_is_never_older_than_its_minute(client: Any, world: Any) -> None:
    """Whether a service is open depends on the clock: the next minute is a new page."""
    make_service(
        world.care,
        "Apoyo psicológico",
        name_en="Psychological support",
        hours=((2, time(8), time(10, 1)),),
    )
    with time_machine.travel(NOON, tick=False):
        open_now, _ = _get(client, "?q=apoyo&open_now=on")
        _same, warm = _get(client, "?q=apoyo&open_now=on")
    assert "Psychological support" in open_now
    assert warm == 1
    with time_machine.travel(NOON + dt.timedelta(seconds=45), tick=False):  # 10:01:05
        closed, queries = _get(client, "?q=apoyo&open_now=on")
    assert queries > 1
    assert "Psychological support" not in closed
