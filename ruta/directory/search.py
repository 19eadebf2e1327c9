"""The finder: filter, rank by distance in SQL, and tell what is open now.

The query count is fixed whatever the number of results: filters are EXISTS subqueries
(no duplicate rows, no N+1) and the result page prefetches what the cards show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import ExpressionWrapper, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from ruta.directory.everyday_words import FILLER_WORDS
from ruta.directory.models import (
    Closure,
    EverydayWord,
    IntakeStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ruta.directory.search_index import contains, indexed_texts
from ruta.directory.version import cached_for_directory
from ruta.lib.text import fold_words
from ruta.places.models import AdminArea

# At most this many words of a query are used (a pasted paragraph stays a cheap search).
MAX_WORDS = 8

KM_PER_DEGREE = 111.32
MODALITIES = ("in_person", "by_phone", "online", "outreach")


@dataclass
class FinderQuery:
    text: str = ""
    sector: str = ""  # taxonomy term code in "sector"
    profile: str = ""  # taxonomy term code in "population"
    layer: str = ""  # taxonomy term code in "iasc_layer"
    admin1: str = ""  # AdminArea code, e.g. PE-TUM
    modality: str = ""  # one of MODALITIES
    free: bool = False
    open_now: bool = False
    accepting: bool = False
    no_documents: bool = False
    near: tuple[float, float] | None = None  # (latitude, longitude)
    organization: str = ""  # organization uuid


def _has_term(taxonomy: str, code: str) -> Exists:
    # The term's id is an uncorrelated subquery, found once per search: each service then
    # costs one lookup in the (service, term) index instead of a three-table join.
    term = TaxonomyTerm.objects.filter(taxonomy__code=taxonomy, code=code).values("pk")[:1]
    through = Service.terms.through
    return Exists(through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id=Subquery(term)))


def _in_area(code: str) -> Q:
    # IN (subquery) rather than a correlated EXISTS: the database starts from the few
    # services of that area instead of testing every published service. The area's id is
    # an uncorrelated subquery (codes are unique): places are then matched on their own
    # columns, not through two joins to the areas per place (20k services: 20 to 6 ms).
    area = Subquery(AdminArea.objects.filter(code=code).values("pk")[:1])
    at_location = (
        ServiceAtLocation.objects.filter(Q(location__admin1_id=area) | Q(location__admin2_id=area))
        .order_by()  # no ORDER BY inside a compound SELECT (SQLite refuses it)
        .values("service_id")
    )
    serves_area = ServiceArea.objects.filter(area_id=area).order_by().values("service_id")
    # One IN over both lists (UNION ALL): PostgreSQL then starts from the area's services
    # too, where with two INs joined by OR it tested each published service against both
    # (200,000 services, "near me" in Lima: 943 to 400 ms).
    return Q(pk__in=at_location.union(serves_area, all=True))


def _open_now(timezones: list[str], now: datetime) -> Q:
    condition = Q(pk__in=[])
    for name in timezones:
        try:
            local = now.astimezone(ZoneInfo(name))
        except (KeyError, ValueError):
            continue
        open_slot = Schedule.objects.filter(
            service_id=OuterRef("pk"),
            weekday=local.isoweekday(),
            opens_at__lte=local.time(),
            closes_at__gt=local.time(),
        )
        closed_today = Closure.objects.filter(service_id=OuterRef("pk"), date=local.date())
        condition |= (
            Q(timezone=name) & (Q(open_24_7=True) | Q(Exists(open_slot))) & ~Q(Exists(closed_today))
        )
    return condition


@dataclass(frozen=True)
class Expansion:
    """A query's words: everyday phrases the vocabulary knows, and the other words."""

    phrases: list[tuple[int, str]]  # (EverydayWord pk, folded phrase)
    words: list[str]


def expand_query(text: str) -> Expansion:
    """Split ``text`` into known everyday phrases (longest first) and the remaining words.

    One query finds the phrases contained in the typed words, in SQL; words that carry no
    need ("ayuda", "para") are dropped when something else remains.
    """
    tokens = [word for word in fold_words(text).split(" ") if word][: MAX_WORDS * 2]
    if not tokens:
        return Expansion(phrases=[], words=[])
    padded = Value(f" {' '.join(tokens)} ", output_field=CharField())
    known = (
        EverydayWord.objects.filter(active=True)
        .annotate(typed=padded)
        .filter(typed__contains=Concat(Value(" "), F("folded"), Value(" ")))
        .values_list("pk", "folded")
    )
    free = [True] * len(tokens)
    phrases: list[tuple[int, str]] = []
    for pk, folded in sorted(known, key=lambda row: (-len(row[1].split(" ")), row[1])):
        parts = folded.split(" ")
        for start in range(len(tokens) - len(parts) + 1):
            span = range(start, start + len(parts))
            if tokens[start : start + len(parts)] == parts and all(free[i] for i in span):
                for i in span:
                    free[i] = False
                phrases.append((pk, folded))
                break
    rest = [word for word, unused in zip(tokens, free, strict=True) if unused and len(word) > 1]
    meaningful = [word for word in rest if word not in FILLER_WORDS]
    if meaningful or phrases:
        rest = meaningful
    return Expansion(phrases=phrases[:MAX_WORDS], words=rest[:MAX_WORDS])


def _distance_squared(latitude: float, longitude: float) -> ExpressionWrapper[Any]:
    """Equirectangular distance in degrees², arithmetic only: portable across databases."""
    scale = math.cos(math.radians(latitude))
    dx = (F("location__longitude") - Value(longitude)) * Value(scale)
    dy = F("location__latitude") - Value(latitude)
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())


def find_services(
    base: QuerySet[Service], query: FinderQuery, now: datetime | None = None
) -> QuerySet[Service]:
    services = base.select_related("organization")
    # Plain columns first: SQLite tests the conditions in the order written, so each
    # service is ruled out by a flag before any subquery runs for it.
    if query.modality in MODALITIES:
        services = services.filter(**{query.modality: True})
    if query.free:
        services = services.filter(is_free=True)
    if query.accepting:
        services = services.filter(intake_status=IntakeStatus.ACCEPTING)
    if query.no_documents:
        services = services.filter(documents_required=False)
    if query.organization:
        services = services.filter(organization__uuid=query.organization)
    expansion = expand_query(query.text)
    # Rare words through the text index, where it finds them faster than LIKE.
    indexed = indexed_texts([*expansion.words, *(phrase for _pk, phrase in expansion.phrases)])
    for word in expansion.words:
        services = services.filter(contains(word, indexed))
    ranking: list[Any] = ["name_es", "pk"]
    if expansion.phrases:
        # An everyday phrase finds its own words, or any service carrying a need it means.
        through: Any = Service.terms.through.objects  # (its annotations escape the plugin)
        for pk, phrase in expansion.phrases:
            means = through.filter(taxonomyterm__everyday_words=pk).values("service_id")
            services = services.filter(contains(phrase, indexed) | Q(pk__in=means))
        # Services carrying more of what the phrases mean come first ("me pegan": GBV case
        # management and psychosocial support before psychosocial support alone).
        fit = (
            through.filter(
                service_id=OuterRef("pk"),
                taxonomyterm__everyday_words__in=[pk for pk, _phrase in expansion.phrases],
            )
            .order_by()
            .values("service_id")
            .annotate(n=Count("taxonomyterm_id", distinct=True))
            .values("n")
        )
        services = services.annotate(fit=Coalesce(Subquery(fit), 0, output_field=IntegerField()))
        ranking = [F("fit").desc(), *ranking]
    if query.admin1:
        services = services.filter(_in_area(query.admin1))
    if query.sector:
        services = services.filter(_has_term("sector", query.sector))
    if query.profile:
        services = services.filter(_has_term("population", query.profile))
    if query.layer:
        services = services.filter(_has_term("iasc_layer", query.layer))
    if query.open_now:
        services = services.filter(_open_now(_time_zones(), now or timezone.now()))
    if query.near is not None:
        latitude, longitude = query.near
        # MIN over the service's places, grouped on the one service: no sorter per row,
        # as an ORDER BY distance LIMIT 1 subquery would build.
        nearest = (
            ServiceAtLocation.objects.filter(
                service_id=OuterRef("pk"),
                location__latitude__isnull=False,
                location__longitude__isnull=False,
            )
            .order_by()
            .values("service_id")
            .annotate(d2=Min(_distance_squared(latitude, longitude)))
            .values("d2")
        )
        services = services.annotate(distance2=Subquery(nearest, output_field=FloatField()))
        return services.order_by(F("distance2").asc(nulls_last=True), *ranking)
    return services.order_by(*ranking)


def _time_zones() -> list[str]:
    """The services' time zones, read once per version of the directory (not a scan of
    every service per search)."""

    def distinct() -> list[str]:
        return sorted(Service.objects.order_by().values_list("timezone", flat=True).distinct())

    return cached_for_directory("time-zones", distinct)


# Near a point, the finder first looks this far (in degrees of latitude, ~55 km) for a full
# head of results; only when fewer lie that close does it rank every service.
NEAR_RADIUS = 0.5


def ranked_head(services: QuerySet[Service], query: FinderQuery, limit: int) -> list[Any]:
    """The first ``limit`` of ``services``, found by ``find_services`` for ``query``: their
    keys, or near a point (key, distance²) pairs.

    Near a point, the services within ``NEAR_RADIUS`` come first in that ranking; when at
    least ``limit`` of them match, they are the head, found from the places in a bounding
    box instead of measuring every service. An area or organization filter already
    confines the search: then it ranks at once."""
    ranked: Any = services  # (its distance annotation escapes the plugin)
    if query.near is None:
        return list(ranked.values_list("pk", flat=True)[:limit])
    latitude, longitude = query.near
    scale = math.cos(math.radians(latitude))
    if not (query.admin1 or query.organization) and scale > 0.01:
        reach = NEAR_RADIUS / scale  # degrees of longitude as long as the radius
        in_box = ServiceAtLocation.objects.filter(
            location__latitude__range=(latitude - NEAR_RADIUS, latitude + NEAR_RADIUS),
            location__longitude__range=(longitude - reach, longitude + reach),
        ).values("service_id")
        close = ranked.filter(pk__in=in_box, distance2__lte=NEAR_RADIUS * NEAR_RADIUS)
        head = list(close.values_list("pk", "distance2")[:limit])
        if len(head) == limit:
            return head
    return list(ranked.values_list("pk", "distance2")[:limit])


def with_card_data(services: Any, now: datetime | None = None) -> Any:
    """Prefetch what a result card shows (one query per relation, whatever the count).

    Closures from the day before ``now``'s UTC date on: a service's own local day is never
    earlier than that, whatever its time zone (``is_open_now`` picks the exact day)."""
    earliest = (now or timezone.now()).astimezone(UTC).date() - timedelta(days=1)
    return services.prefetch_related(
        "phones",
        "schedules",
        Prefetch("closures", queryset=Closure.objects.filter(date__gte=earliest)),
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location", "location__admin1"),
        ),
    )


def distance_km(service: Service) -> float | None:
    value = getattr(service, "distance2", None)
    if value is None:
        return None
    return math.sqrt(value) * KM_PER_DEGREE


def is_open_now(service: Service, now: datetime | None = None) -> bool:
    """From prefetched schedules and closures; no query when they are prefetched."""
    return is_open_at(
        service.timezone,
        service.open_24_7,
        [(slot.weekday, slot.opens_at, slot.closes_at) for slot in service.schedules.all()],
        {closure.date for closure in service.closures.all()},
        now or timezone.now(),
    )


def is_open_at(
    zone: str,
    open_24_7: bool,
    hours: list[tuple[int, time, time]],
    closed: set[date],
    now: datetime,
) -> bool:
    """Whether a service in time zone ``zone``, with these (weekday, opens, closes) hours
    and closed on these dates, is open at ``now``."""
    try:
        local = now.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        return False
    if local.date() in closed:
        return False
    if open_24_7:
        return True
    moment = local.time()
    return any(
        weekday == local.isoweekday() and opens_at <= moment < closes_at
        for weekday, opens_at, closes_at in hours
    )
