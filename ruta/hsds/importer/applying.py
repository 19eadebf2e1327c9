"""Writing a valid plan: one transaction, each table written for all services at once."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from ruta.agencies.models import Organization, OrganizationType
from ruta.audit.actions import record, record_many
from ruta.directory import actions
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from ruta.directory.version_triggers import bumped_once
from ruta.hsds.importer.keeping import keep_records, owner_refs
from ruta.hsds.importer.plan import DB_CHUNK, Plan, by_uuid, chunks
from ruta.hsds.importer.records import Progress
from ruta.hsds.queries import TERMS
from ruta.lib.bulk import insert_rows, update_rows

if TYPE_CHECKING:
    from ruta.accounts.models import User


# The tables an import writes that carry the directory version's triggers.
WRITTEN = (
    "agencies_organization",
    "directory_location",
    "directory_service",
    "directory_service_terms",
    "directory_phone",
    "directory_schedule",
    "directory_serviceatlocation",
    "directory_servicearea",
    "hsds_keptrecord",
)


@transaction.atomic
def apply_plan(plan: Plan, actor: User | None, progress: Progress | None = None) -> dict[str, int]:
    """Write a valid plan in one transaction; returns the counts.

    Each table is written for all services at once (``ruta.lib.bulk``: COPY or
    executemany), then the search text, change history and audit events of every service
    are computed from what was written (``actions.record_bulk_saves``): the same as
    ``actions.save_service`` records one by one, in a number of queries that does not
    grow with each service but with each chunk of them. The directory version is bumped
    once, not once per row (``version_triggers.bumped_once``)."""
    progress = progress or (lambda percent: None)
    with bumped_once(connection, WRITTEN):
        counts = _apply(plan, actor, progress)
    record("hsds.imported", actor=actor, details=counts)
    return counts


def _apply(plan: Plan, actor: User | None, progress: Progress) -> dict[str, int]:
    counts = plan.counts()
    refs = owner_refs(plan)
    organizations = _organizations(plan, actor)
    locations = _locations(plan, organizations)
    existing = by_uuid(Service, {p.key for p in plan.services}, "organization", "last_verified_by")
    befores = actions.snapshots(list(existing.values()))
    progress(65)
    services: list[Service] = []
    for service_plan in plan.services:
        service = existing.get(service_plan.key) or Service(uuid=service_plan.key)
        service.organization = organizations[service_plan.organization]
        for name, value in service_plan.fields.items():
            setattr(service, name, value)
        services.append(service)
    _write_services(plan, services)
    progress(75)
    held = _write_related(plan, services, set(befores), locations)
    progress(85)
    actions.record_bulk_saves(actor, services, befores)
    progress(90)
    keep_records(plan, refs, held)
    return counts


def _write_services(plan: Plan, services: list[Service]) -> None:
    """Insert the new services (their pks come back), update the others."""
    old = [service for service in services if service.pk is not None]
    existed = {service.uuid for service in old}
    new = [service for service in services if service.pk is None]
    insert_rows(Service, new)
    made: dict[uuid.UUID, int] = {}
    for chunk in chunks([service.uuid for service in new]):
        made.update(Service.objects.filter(uuid__in=chunk).values_list("uuid", "pk"))
    for service in new:
        service.pk = made[service.uuid]
    names = {name for p in plan.services if p.key in existed for name in p.fields}
    update_rows(Service, old, sorted({"organization", "updated_at", *names}))


def _organizations(plan: Plan, actor: User | None) -> dict[uuid.UUID, Organization]:
    """The organizations the plan refers to, the new ones created."""
    organizations = by_uuid(
        Organization,
        {p.organization for p in plan.services} | {p.organization for p in plan.locations},
    )
    created = [
        Organization(uuid=org_plan.key, type=OrganizationType.NGO, **org_plan.fields)
        for org_plan in plan.organizations
    ]
    Organization.objects.bulk_create(created, batch_size=DB_CHUNK)
    for organization in created:
        organizations[organization.uuid] = organization
    record_many(
        {
            "action": "organization.imported",
            "actor": actor,
            "obj": organization,
            "organization": organization,
        }
        for organization in created
    )
    return organizations


def _locations(
    plan: Plan, organizations: dict[uuid.UUID, Organization]
) -> dict[uuid.UUID, Location]:
    """The locations the plan writes (created or updated) and those its services link to."""
    locations = by_uuid(Location, {p.key for p in plan.locations})
    new: list[Location] = []
    old: list[Location] = []
    names: set[str] = set()
    for location_plan in plan.locations:
        location = locations.get(location_plan.key) or Location(uuid=location_plan.key)
        location.organization = organizations[location_plan.organization]
        for name, value in location_plan.fields.items():
            setattr(location, name, value)
        if location.pk is None:
            new.append(location)
        else:
            names |= set(location_plan.fields)
            old.append(location)
        locations[location.uuid] = location
    Location.objects.bulk_create(new, batch_size=DB_CHUNK)
    update_rows(Location, old, sorted({"organization", "updated_at", *names}))
    missing = {link["location"] for p in plan.services for link in p.links or ()}
    missing -= set(locations)
    locations.update(by_uuid(Location, missing))
    return locations


def _write_related(
    plan: Plan, services: list[Service], existed: set[int], locations: dict[uuid.UUID, Location]
) -> dict[uuid.UUID, Service]:
    """Each related table of every service at once. A table the file does not give for a
    service (None) keeps what the service has; one it gives replaces it, and only a
    service that existed before can have rows to delete.

    Returns the services this import created, each holding the rows just written for it
    as a prefetch would (``_hold``): the kept records' basis is rendered from them
    without reading them back."""
    pairs = list(zip(plan.services, services, strict=True))

    def replaced(table: str) -> list[int]:
        return [s.pk for p, s in pairs if s.pk in existed and getattr(p, table) is not None]

    Through = Service.terms.through
    for related, table in (
        (Through, "terms"),
        (Phone, "phones"),
        (Schedule, "schedules"),
        (ServiceAtLocation, "links"),
        (ServiceArea, "areas"),
    ):
        for chunk in chunks(replaced(table)):
            related.objects.filter(service_id__in=chunk).delete()
    rows: dict[Any, list[Any]] = {
        Through: [
            Through(service_id=s.pk, taxonomyterm_id=term)
            for p, s in pairs
            for term in dict.fromkeys(p.terms or ())
        ],
        Phone: [Phone(service=s, **phone) for p, s in pairs for phone in p.phones or ()],
        Schedule: [Schedule(service=s, **row) for p, s in pairs for row in p.schedules or ()],
        ServiceAtLocation: [
            ServiceAtLocation(
                uuid=link["uuid"],
                service=s,
                location=locations[link["location"]],
                description=link["description"],
            )
            for p, s in pairs
            for link in p.links or ()
        ],
        ServiceArea: [
            ServiceArea(uuid=area["uuid"], service=s, area=area["area"])
            for p, s in pairs
            for area in p.areas or ()
        ],
    }
    for model, objects in rows.items():
        insert_rows(model, objects)
    created = {s.pk: s for s in services if s.pk not in existed}
    return _hold(created, rows)


# Each table's rows in the order its model's ``Meta.ordering`` reads them back (ids
# follow the order they were written in), under the name a prefetch caches them by.
HELD = (
    (Phone, "phones", None),
    (Schedule, "schedules", lambda row: (row.weekday, row.opens_at)),
    (ServiceAtLocation, "service_at_locations", None),
    (ServiceArea, "service_areas", None),
)


def _hold(created: dict[int, Service], rows: dict[Any, list[Any]]) -> dict[uuid.UUID, Service]:
    """Give each created service the rows written for it, in the prefetch cache that
    ``service.phones.all()`` ... read (as ``queries.with_full_service`` would fill it from
    the database): what was written, in the order the database gives it back. Plain
    lists, not querysets (a queryset each would cost more than the rows): enough for
    rendering, which only iterates them; ``keeping`` lets them go once rendered."""
    caches: dict[int, dict[str, list[Any]]] = {
        pk: {name: [] for _model, name, _order in HELD} for pk in created
    }
    for model, name, _order in HELD:
        for row in rows[model]:
            if (cache := caches.get(row.service_id)) is not None:
                cache[name].append(row)
    through = Service.terms.through
    ids = {row.taxonomyterm_id for row in rows[through] if row.service_id in created}
    terms = {term.pk: term for term in TERMS.filter(pk__in=ids)} if ids else {}
    for cache in caches.values():
        cache["terms"] = []
    for row in rows[through]:
        if (cache := caches.get(row.service_id)) is not None:
            cache["terms"].append(terms[row.taxonomyterm_id])
    for pk, service in created.items():
        cache = caches[pk]
        for _model, name, order in HELD:
            if order is not None and len(cache[name]) > 1:
                cache[name].sort(key=order)
        cache["terms"].sort(key=lambda t: (t.taxonomy.code, t.position, t.code))
        service._prefetched_objects_cache = cache  # type: ignore[attr-defined]
    return {service.uuid: service for service in created.values()}
