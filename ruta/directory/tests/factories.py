"""Small builders for directory tests."""

from __future__ import annotations

from datetime import time
from typing import Any

from ruta.directory import actions
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ruta.places.models import AdminArea


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def make_service(
    organization: Any,
    name: str = "Apoyo psicológico",
    *,
    terms: tuple[str, ...] = (),
    area: str | None = None,
    point: tuple[float, float] | None = None,
    hours: tuple[tuple[int, time, time], ...] = (),
    phones: tuple[tuple[str, bool], ...] = (),
    actor: Any = None,
    **fields: Any,
) -> Service:
    fields.setdefault("status", "active")
    service = Service(organization=organization, name_es=name, **fields)

    def related(saved: Service) -> None:
        saved.terms.set([term(code) for code in terms])
        if area or point:
            location = Location.objects.create(
                organization=organization,
                name=f"Sede {name}",
                admin1=AdminArea.objects.get(code=area) if area else None,
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
            )
            ServiceAtLocation.objects.create(service=saved, location=location)
        for weekday, opens, closes in hours:
            Schedule.objects.create(
                service=saved, weekday=weekday, opens_at=opens, closes_at=closes
            )
        for number, whatsapp in phones:
            Phone.objects.create(service=saved, number=number, whatsapp=whatsapp)

    return actions.save_service(actor, service, save_related=related)


# Whole public pages are kept in the "pages" cache (directory/page_cache.py): tests of the
# page cache give it, and the default cache, a room of their own.
WITH_OWN_PAGE_CACHE = {
    name: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"page-cache-tests-{name}",
    }
    for name in ("default", "pages")
}
