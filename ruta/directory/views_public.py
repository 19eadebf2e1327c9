"""The public finder and service pages: no login, no personal data, nothing logged.

Searches are not written to the audit log or anywhere else: what a person looks for
(violence, a shelter, a place) can itself put them at risk. The pages set no cookie of
their own and create no session; the quick-exit button lives in public_base.html.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ruta.directory import extras
from ruta.directory.access import can_edit_service, public_services
from ruta.directory.cards import load_cards
from ruta.directory.forms_public import MODALITY_LABELS, FinderForm, finder_querystring
from ruta.directory.models import (
    Closure,
    Location,
    Service,
    ServiceArea,
    Weekday,
)
from ruta.directory.page_cache import cache_public_page
from ruta.directory.search import (
    MODALITIES,
    find_services,
    is_open_now,
    ranked_head,
    with_card_data,
)
from ruta.directory.track_record import service_record
from ruta.lib.geo import country_name, language_names
from ruta.lib.headers import allow_geolocation
from ruta.lib.pagination import paginate_capped, querystring_without_page
from ruta.lib.permissions import public
from ruta.places.models import AdminArea

# Ten cards a page: a short page on a phone and on a slow connection (each card carries
# hours, phones and places).
PER_PAGE = 10


def _modalities(service: Service) -> list[Any]:
    return [MODALITY_LABELS[name] for name in MODALITIES if getattr(service, name)]


def _has_hours(service: Service) -> bool:
    return service.open_24_7 or bool(service.schedules.all())


def _wants_partial(request: HttpRequest) -> bool:
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# Beyond this many results the finder says "more than 500" instead of counting them all.
COUNT_CAP = 500


@public
@require_GET
@cache_public_page("finder", by_minute=True)
def finder_view(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET)
    form.is_valid()
    query = form.finder_query()
    now = timezone.now()
    # One query ranks the services and keeps the first ids (with their distance near a
    # point); one more reads the page's cards by id.
    services = find_services(public_services(), query, now=now)
    page = paginate_capped(
        request,
        services,
        per_page=PER_PAGE,
        cap=COUNT_CAP,
        rank=lambda limit: ranked_head(services, query, limit),
        load=lambda head: load_cards(head, now),
    )
    partial = _wants_partial(request)
    context = {
        "form": form,
        "page": page,
        "cards": page.object_list,
        "query": querystring_without_page(request),
        # Carried to each service page, so that its "Back to the search" returns here.
        "search_query": finder_querystring(request.GET),
        "partial": partial,
    }
    template = "directory/public/_results.html" if partial else "directory/public/finder.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return allow_geolocation(response)  # "use my location"


# --- The service page --------------------------------------------------------------


@dataclass
class Day:
    label: str
    slots: list[tuple[time, time]]
    today: bool


def _week(service: Service, local_today: date) -> list[Day]:
    slots: dict[int, list[tuple[time, time]]] = {}
    for schedule in service.schedules.all():
        slots.setdefault(schedule.weekday, []).append((schedule.opens_at, schedule.closes_at))
    return [
        Day(label=str(label), slots=slots.get(value, []), today=value == local_today.isoweekday())
        for value, label in Weekday.choices
    ]


def _local_now(service: Service, now: datetime) -> datetime:
    try:
        return now.astimezone(ZoneInfo(service.timezone))
    except (KeyError, ValueError):
        return timezone.localtime(now)


def _language_names(codes: list[str]) -> list[str]:
    return language_names(codes, (get_language() or "es")[:2])


def _ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("From %(low)s to %(high)s years old") % {"low": low, "high": high}
    if low is not None:
        return _("From %(low)s years old") % {"low": low}
    if high is not None:
        return _("Up to %(high)s years old") % {"high": high}
    return _("All ages")


def _osm_url(location: Location) -> str:
    if location.latitude is None or location.longitude is None:
        return ""
    lat, lon = f"{location.latitude:.5f}", f"{location.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def _editor_url(user: User | AnonymousUser, service: Service) -> str:
    """The editor's page when that route exists and this user may edit the service."""
    if not user.is_authenticated:
        return ""
    url = ""
    for kwargs in ({"service_uuid": service.uuid}, {"uuid": service.uuid}):
        try:
            url = reverse("directory:service_edit", kwargs=kwargs)
            break
        except NoReverseMatch:
            continue
    if not url:
        try:
            url = reverse("directory:service_edit", args=[service.uuid])
        except NoReverseMatch:
            return ""
    return url if can_edit_service(user, service) else ""


@public
@require_GET
@cache_public_page("service", by_minute=True)
def service_detail_view(request: HttpRequest, service_uuid: str) -> HttpResponse:
    now = timezone.now()
    services = with_card_data(
        public_services().select_related("organization"), now=now
    ).prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
        "kept_records",  # what an import received that Ruta has no column for (extras)
    )
    service = get_object_or_404(services, uuid=service_uuid)
    local = _local_now(service, now)
    terms = list(service.terms.all())
    locations = [sal.location for sal in service.service_at_locations.all()]
    language = (get_language() or "es")[:2]
    admin2 = AdminArea.objects.in_bulk([loc.admin2_id for loc in locations if loc.admin2_id])
    closures: list[Closure] = [c for c in service.closures.all() if c.date >= local.date()][:5]
    context = {
        "service": service,
        "organization": service.organization,
        "open_now": is_open_now(service, now) if _has_hours(service) else None,
        "week": _week(service, local.date()),
        "closures": closures,
        "phones": list(service.phones.all()),
        "locations": [
            {
                "location": location,
                "osm_url": _osm_url(location),
                "country": country_name(location.country, language),
                "admin2": admin2[location.admin2_id].name if location.admin2_id in admin2 else "",
            }
            for location in locations
        ],
        "service_areas": [sa.area for sa in service.service_areas.all()],
        "sectors": [t for t in terms if t.taxonomy.code == "sector"],
        "profiles": [t for t in terms if t.taxonomy.code == "population"],
        "layers": [t for t in terms if t.taxonomy.code == "iasc_layer"],
        "languages": _language_names(service.languages or []),
        "ages": _ages(service),
        "modalities": _modalities(service),
        "editor_url": _editor_url(request.user, service),
        # Referral track record: for signed-in professionals only, never on the public page.
        "record": service_record(service) if request.user.is_authenticated else None,
        "back_query": finder_querystring(request.GET),
        "extras": extras.of(service),
    }
    return render(request, "directory/public/service_detail.html", context)
