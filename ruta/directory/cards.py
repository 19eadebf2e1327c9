"""The finder's result cards: what a page of ten shows, read in one query.

The finder ranks services once and keeps their ids (``CappedPaginator``); a page's cards
are then read by id, without the search's filters: each service's row and organization,
with its phones, opening hours, coming closures, needs (sector terms) and places as JSON
arrays from correlated subqueries. No model objects are built for what only a card shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils.translation import get_language

from ruta.directory.forms_public import MODALITY_LABELS
from ruta.directory.models import Closure, Phone, Schedule, Service, ServiceAtLocation
from ruta.directory.search import KM_PER_DEGREE, MODALITIES, is_open_at
from ruta.lib.sql import JSONList

# What a card shows of the service itself (and of its organization, through the join).
CARD_FIELDS = (
    "uuid",
    "name_es",
    "name_en",
    "description_es",
    "description_en",
    "intake_status",
    "is_free",
    "documents_required",
    "illustrative",
    "open_24_7",
    "timezone",
    *MODALITIES,
    "organization__name",
    "organization__acronym",
)


@dataclass
class Card:
    """What a result card shows, computed once."""

    service: Service
    open_now: bool | None  # None: no opening hours listed
    distance_km: float | None
    phones: list[Phone]
    place: str
    sectors: list[str]  # the names of its needs, in the current language
    modalities: list[Any] = field(default_factory=list)  # their labels, in MODALITIES order


def _json_of(model: Any, **values: Any) -> Subquery:
    """One JSON array per service of ``model``'s rows for that service."""
    rows = (
        model.objects.filter(service_id=OuterRef("pk"))
        .order_by()
        .values("service_id")
        .annotate(items=JSONList(JSONObject(**values)))
        .values("items")
    )
    return Subquery(rows)


def _named(item: dict[str, Any], language: str) -> str:
    for code in (language, "es", "en"):
        if item.get(code):
            return str(item[code])
    return ""


def _place(places: list[dict[str, Any]], language: str) -> str:
    """The first of its places (in the order they were added) with a city or region."""
    for place in sorted(places, key=lambda item: item["id"]):
        parts = [place["city"] or "", _named(place, language)]
        text = ", ".join(dict.fromkeys(part for part in parts if part))
        if text:
            return text
    return ""


@lru_cache(maxsize=4)
def _card_query(earliest: date) -> QuerySet[Service]:
    """The cards' query without its ids, built once a day per process: building its five
    subqueries costs more than running them. Closures from ``earliest`` on."""
    closures = Subquery(
        Closure.objects.filter(service_id=OuterRef("pk"), date__gte=earliest)
        .order_by()
        .values("service_id")
        .annotate(items=JSONList(F("date")))
        .values("items")
    )
    through: Any = Service.terms.through
    sectors = Subquery(
        through.objects.filter(service_id=OuterRef("pk"), taxonomyterm__taxonomy__code="sector")
        .order_by()
        .values("service_id")
        .annotate(
            items=JSONList(
                JSONObject(
                    position="taxonomyterm__position",
                    code="taxonomyterm__code",
                    es="taxonomyterm__name_es",
                    en="taxonomyterm__name_en",
                )
            )
        )
        .values("items")
    )
    return (
        Service.objects.select_related("organization")
        .only(*CARD_FIELDS)
        .annotate(
            phone_list=_json_of(
                Phone, id="id", number="number", whatsapp="whatsapp", free_line="free_line"
            ),
            hour_list=_json_of(
                Schedule, weekday="weekday", opens_at="opens_at", closes_at="closes_at"
            ),
            closure_list=closures,
            sector_list=sectors,
            place_list=_json_of(
                ServiceAtLocation,
                id="id",
                city="location__city",
                es="location__admin1__name_es",
                en="location__admin1__name_en",
            ),
        )
        .order_by()
    )


def load_cards(head: list[Any], now: datetime, language: str | None = None) -> list[Card]:
    """The cards of ``head``'s services, in its order: each row a key, or a (key, distance²)
    pair as the finder ranked them near a point. One query."""
    rows = [row if isinstance(row, tuple) else (row, None) for row in head]
    distances = {key: distance2 for key, distance2 in rows}
    language = (language or get_language() or "es")[:2]
    # From the day before ``now``'s UTC date: a service's own local day is never earlier.
    earliest = now.astimezone(UTC).date() - timedelta(days=1)
    found = {
        service.pk: service for service in _card_query(earliest).filter(pk__in=list(distances))
    }
    return [_card(found[key], distances[key], now, language) for key, _d in rows if key in found]


def _card(service: Any, distance2: float | None, now: datetime, language: str) -> Card:
    hours = [
        (
            item["weekday"],
            time.fromisoformat(item["opens_at"]),
            time.fromisoformat(item["closes_at"]),
        )
        for item in service.hour_list or []
    ]
    closed = {date.fromisoformat(day) for day in service.closure_list or []}
    phones = [
        Phone(
            id=item["id"],
            number=item["number"],
            whatsapp=bool(item["whatsapp"]),
            free_line=bool(item["free_line"]),
        )
        for item in sorted(service.phone_list or [], key=lambda item: item["id"])
    ]
    sectors = sorted(service.sector_list or [], key=lambda item: (item["position"], item["code"]))
    has_hours = service.open_24_7 or bool(hours)
    return Card(
        service=service,
        open_now=is_open_at(service.timezone, service.open_24_7, hours, closed, now)
        if has_hours
        else None,
        distance_km=None if distance2 is None else math.sqrt(distance2) * KM_PER_DEGREE,
        phones=phones,
        place=_place(service.place_list or [], language),
        sectors=[_named(item, language) for item in sectors],
        modalities=[MODALITY_LABELS[name] for name in MODALITIES if getattr(service, name)],
    )
