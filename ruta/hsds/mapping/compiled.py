"""The fully nested HSDS objects (``compiled/*.json``): the flat ones with what they hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ruta.directory.models import (
    Location,
    Service,
    ServiceAtLocation,
)
from ruta.hsds.mapping.common import Context, service_attributes
from ruta.hsds.mapping.flat import (
    accessibility_dict,
    address_dict,
    cost_option_dicts,
    language_dicts,
    location_dict,
    organization_dict,
    phone_dict,
    required_document_dicts,
    sal_dict,
    schedules,
    service_area_dict,
    service_list_dict,
)
from ruta.hsds.mapping.kept import overlay, overlay_link


def organization_full(
    organization: Any,
    ctx: Context,
    services: Iterable[Service],
    locations: Iterable[Location],
    *,
    full_service: bool = False,
) -> dict[str, Any]:
    """A fully nested organization (compiled/organization.json)."""
    data = organization_dict(organization, ctx)
    data["services"] = [
        service_full(s, ctx) if full_service else service_list_dict(s, ctx, organization=False)
        for s in services
    ]
    data["locations"] = [location_full(location, ctx) for location in locations]
    data["phones"] = []
    data["contacts"] = []
    data["attributes"] = []
    return overlay("organization", organization, data) if ctx.kept else data


def location_full(location: Location, ctx: Context) -> dict[str, Any]:
    data = location_dict(location, ctx)
    address = address_dict(location, ctx)
    accessibility = accessibility_dict(location)
    data["addresses"] = [address] if address else []
    data["accessibility"] = [accessibility] if accessibility else []
    data["phones"] = []
    data["schedules"] = []
    data["languages"] = []
    data["contacts"] = []
    data["attributes"] = []
    return overlay("location", location, data) if ctx.kept else data


def service_full(service: Service, ctx: Context, *, with_locations: bool = True) -> dict[str, Any]:
    """A fully nested service (compiled/service.json)."""
    data = service_list_dict(service, ctx)
    data["phones"] = [phone_dict(p, service, ctx) for p in service.phones.all()]
    data["schedules"] = schedules(service, ctx)
    data["service_areas"] = [
        service_area_dict(a, service, ctx) for a in service.service_areas.all()
    ]
    if with_locations:
        data["service_at_locations"] = [
            {**sal_dict(sal, ctx), "location": location_full(sal.location, ctx)}
            for sal in service.service_at_locations.all()
        ]
    data["languages"] = language_dicts(service, ctx)
    data["cost_options"] = cost_option_dicts(service, ctx)
    data["required_documents"] = required_document_dicts(service)
    data["contacts"] = []
    data["attributes"] = service_attributes(service, ctx)
    if not ctx.kept:
        return data
    data = overlay("service", service, data)
    if not with_locations:  # nested in its service_at_location, which holds the location
        data.pop("service_at_locations", None)
    return data


def service_basis(service: Service, ctx: Context) -> dict[str, Any]:
    """What ``mapping.kept`` compares the export of an imported service with (its basis):
    ``plain(service_full(service, ctx))`` with ``Context(kept=False)``, without rendering
    the nested objects ``plain`` drops (each service_at_location's location). An import
    renders this for every service it writes: the locations would double its cost, and
    walking the whole rendering to drop the others is a third of it, so they are taken
    off where this rendering has them (the organization, each attribute's term). What is
    compared is ``plain`` of it all the same: an object left here costs room, not truth."""
    assert not ctx.kept
    data = service_full(service, ctx, with_locations=False)
    data["service_at_locations"] = [
        sal_dict(sal, ctx) for sal in service.service_at_locations.all()
    ]
    data.pop("organization", None)
    for holder in (data, *data["phones"]):
        for attribute in holder.get("attributes", ()):
            attribute.pop("taxonomy_term", None)
    return data


def sal_list_dict(sal: ServiceAtLocation, ctx: Context) -> dict[str, Any]:
    """service_at_location_list.json: the link with its location and service (one-to-one)."""
    data = sal_dict(sal, ctx)
    data["location"] = location_dict(sal.location, ctx)
    data["service"] = service_list_dict(sal.service, ctx)
    return overlay_link(sal.service, sal.uuid, data) if ctx.kept else data


def sal_full(sal: ServiceAtLocation, ctx: Context) -> dict[str, Any]:
    """compiled/service_at_location.json: the link with the full location and service."""
    data = sal_dict(sal, ctx)
    data["location"] = location_full(sal.location, ctx)
    data["service"] = service_full(sal.service, ctx, with_locations=False)
    data["phones"] = []
    data["schedules"] = []
    data["contacts"] = []
    data["attributes"] = []
    return overlay_link(sal.service, sal.uuid, data) if ctx.kept else data
