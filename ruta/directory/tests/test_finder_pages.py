"""The finder's pages read their cards by id (one query) and show what the full search,
ranked and read with every relation prefetched, shows: the same services, in the same
order, on the same pages, with the same card contents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from ruta.directory.access import public_services
from ruta.directory.demo import load_directory_demo
from ruta.directory.forms_public import FinderForm
from ruta.directory.search import distance_km, find_services, is_open_now, with_card_data
from ruta.directory.tests.test_everyday_words import EVERYDAY_QUERIES
from ruta.directory.views_public import PER_PAGE

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

# Monday 23 November 2026, 10:00 in Lima: most demo services keep office hours.
MONDAY_10_LIMA = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)

FILTERED: list[dict[str, str]] = [
    {},
    {"q": "apoyo psicologico"},
    {"q": "legal", "place": "Tumbes"},
    {"place": "Lima"},
    {"place": "Quito", "open_now": "on"},
    {"lat": "-3.57", "lon": "-80.45"},
    {"lat": "-12.05", "lon": "-77.04", "profile": "women", "free": "on"},
    {"profile": "children", "admin1": "PE-TUM"},
    {"sector": "psychosocial_support", "modality": "by_phone"},
    {"open_now": "on", "accepting": "on", "no_documents": "on"},
    {"layer": "layer3", "q": "violencia"},
    {"q": "me pegan", "place": "Tumbes"},
]


def _card_fields(card: Any) -> tuple[Any, ...]:
    distance = None if card.distance_km is None else round(card.distance_km, 9)
    return (
        str(card.service.uuid),
        card.open_now,
        distance,
        [(phone.number, phone.whatsapp, phone.free_line) for phone in card.phones],
        card.place,
        list(card.sectors),
        [str(label) for label in card.modalities],
    )


def _expected_card(service: Any, now: datetime) -> tuple[Any, ...]:
    """What a card showed when the page's services were read with every relation."""
    has_hours = service.open_24_7 or bool(service.schedules.all())
    place = ""
    for sal in service.service_at_locations.all():
        location = sal.location
        parts = [location.city, location.admin1.name if location.admin1 else ""]
        place = ", ".join(dict.fromkeys(part for part in parts if part))
        if place:
            break
    distance = distance_km(service)
    from ruta.directory.forms_public import MODALITY_LABELS
    from ruta.directory.search import MODALITIES

    return (
        str(service.uuid),
        is_open_now(service, now) if has_hours else None,
        None if distance is None else round(distance, 9),
        [(phone.number, phone.whatsapp, phone.free_line) for phone in service.phones.all()],
        place,
        [term.name for term in service.terms.all() if term.taxonomy.code == "sector"],
        [str(MODALITY_LABELS[name]) for name in MODALITIES if getattr(service, name)],
    )


def _pages(client: Any, language: str, params: dict[str, str], cap: int) -> list[list[Any]]:
    with translation.override(language):
        url = reverse("finder:search")
    pages = []
    number = 1
    while True:
        response = client.get(url, {**params, "page": str(number)})
        assert response.status_code == 200
        pages.append([_card_fields(card) for card in response.context["cards"]])
        if not response.context["page"].has_next():
            return pages
        number += 1
        assert number <= cap // PER_PAGE + 2


def _expected_pages(
    client: Any, language: str, params: dict[str, str], cap: int
) -> list[list[Any]]:
    with translation.override(language):
        form = FinderForm(params)
        form.is_valid()
        ranked = with_card_data(
            find_services(public_services(), form.finder_query(), now=MONDAY_10_LIMA),
            now=MONDAY_10_LIMA,
        )
        cards = [_expected_card(service, MONDAY_10_LIMA) for service in ranked[: cap + 1]]
    pages = [cards[start : start + PER_PAGE] for start in range(0, len(cards), PER_PAGE)]
    return pages or [[]]


def _compare(
    client: Any, searches: list[dict[str, str]], languages: tuple[str, ...], cap: int
) -> int:
    compared = 0
    with time_machine.travel(MONDAY_10_LIMA, tick=False):
        for params in searches:
            for language in languages:
                expected = _expected_pages(client, language, params, cap)
                assert _pages(client, language, params, cap) == expected, (params, language)
                compared += sum(len(page) for page in expected)
    return compared


def test_pages_show_the_full_search_in_its_order(client: Any) -> None:
    load_directory_demo(now=MONDAY_10_LIMA)
    everyday = [{"q": query} for query, _needs in EVERYDAY_QUERIES]
    assert len(everyday) >= 77
    compared = _compare(client, everyday, ("es",), cap=500)
    compared += _compare(client, FILTERED, ("es", "en"), cap=500)
    assert compared > 1000  # the searches found services, often more than a page


def test_pages_past_a_low_cap_show_the_same_services(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ruta.directory import views_public

    monkeypatch.setattr(views_public, "COUNT_CAP", 12)
    load_directory_demo(now=MONDAY_10_LIMA)
    assert _compare(client, FILTERED, ("es",), cap=12) > 50
