"""The 3W ("who does what where") table of services, tagged with HXL hashtags.

One row per service and place: a row for each of its locations; a service without a
location gets a row for each service area it reaches (admin columns filled, location
columns empty), and a service with neither gets one row with empty place columns. A
service's sectors are joined with " | " in one ``#sector`` cell, so a row is a service at
a place; tools that need one row per activity (R4V 5W) split that cell.

``#org+code`` is the organization's UUID, the same id as the HSDS API's organization id,
so 3W rows join with the HSDS data. ``#status`` holds the status code (draft, active,
suspended, closed) and ``#date+verified`` the local date of the last verification.
The first row holds human headers in the request's language, the second the hashtags.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.directory.models import (
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ruta.lib.sheets import safe_row, safe_text
from ruta.lib.translated import localized

# (hashtag, human header)
COLUMNS: list[tuple[str, Any]] = [
    ("#org+name", _("Organization")),
    ("#org+code", _("Organization ID")),
    ("#sector", _("Sectors")),
    ("#service+name", _("Service")),
    ("#adm1+name", _("Region")),
    ("#adm1+code", _("Region code")),
    ("#adm2+name", _("District")),
    ("#loc+name", _("Location")),
    ("#geo+lat", _("Latitude")),
    ("#geo+lon", _("Longitude")),
    ("#contact+phone", _("Phone")),
    ("#contact+email", _("E-mail")),
    ("#status", _("Status")),
    ("#date+verified", _("Last verified")),
]
HASHTAGS = [tag for tag, _label in COLUMNS]
SEPARATOR = " | "
CHUNK_SIZE = 1000


def headers() -> list[str]:
    return [str(label) for _tag, label in COLUMNS]


def with_export_data(services: QuerySet[Service]) -> QuerySet[Service]:
    """What the rows need, in a fixed number of queries per chunk of services."""
    return services.select_related("organization").prefetch_related(
        "phones",
        Prefetch(
            "terms",
            queryset=TaxonomyTerm.objects.filter(taxonomy__code="sector").order_by(
                "position", "code"
            ),
            to_attr="sector_terms",
        ),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location", "location__admin1", "location__admin2"
            ),
        ),
        Prefetch(
            "service_areas",
            queryset=ServiceArea.objects.select_related("area", "area__parent"),
        ),
    )


def _place_columns(
    admin1: Any, admin2: Any, name: str, latitude: Any, longitude: Any, language: str
) -> list[Any]:
    return [
        localized(admin1, "name", language) if admin1 else "",
        admin1.code if admin1 else "",
        localized(admin2, "name", language) if admin2 else "",
        name,
        latitude,
        longitude,
    ]


def service_rows(service: Service, language: str) -> Iterator[list[Any]]:
    organization = service.organization
    sectors = SEPARATOR.join(
        localized(term, "name", language) for term in getattr(service, "sector_terms", [])
    )
    phones = SEPARATOR.join(phone.number for phone in service.phones.all())
    verified = (
        timezone.localtime(service.last_verified_at).date().isoformat()
        if service.last_verified_at
        else ""
    )
    head = [
        organization.display_name,
        str(organization.uuid),
        sectors,
        localized(service, "name", language),
    ]
    tail = [phones, service.email, service.status, verified]
    places: list[list[Any]] = []
    for sal in service.service_at_locations.all():
        location = sal.location
        places.append(
            _place_columns(
                location.admin1,
                location.admin2,
                location.name,
                location.latitude,
                location.longitude,
                language,
            )
        )
    if not places:
        for reach in service.service_areas.all():
            area = reach.area
            if area.level >= 2:
                places.append(_place_columns(area.parent, area, "", None, None, language))
            else:
                places.append(_place_columns(area, None, "", None, None, language))
    if not places:
        places.append(_place_columns(None, None, "", None, None, language))
    for place in places:
        yield [*head, *place, *tail]


def rows(services: QuerySet[Service], language: str) -> Iterator[list[Any]]:
    """The data rows (no header rows), streaming through the services in chunks."""
    for service in with_export_data(services).iterator(chunk_size=CHUNK_SIZE):
        yield from service_rows(service, language)


def csv_cells(row: Iterable[Any]) -> list[str]:
    return ["" if value is None else safe_text(str(value)) for value in row]


def xlsx_bytes(data_rows: Iterable[list[Any]], title: str) -> bytes:
    """A one-sheet workbook: header row, hashtag row, data (numbers stay numbers)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A3"
    sheet.append(headers())
    sheet.append(HASHTAGS)
    for row in data_rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
