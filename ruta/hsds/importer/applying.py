"""Writing a valid plan: one transaction, services saved through the directory actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

from ruta.agencies.models import Organization, OrganizationType
from ruta.audit.actions import record
from ruta.directory import actions
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from ruta.hsds.importer.keeping import keep_records
from ruta.hsds.importer.plan import Plan, ServicePlan, by_uuid
from ruta.hsds.importer.records import Progress

if TYPE_CHECKING:
    from ruta.accounts.models import User


@transaction.atomic
def apply_plan(plan: Plan, actor: User | None, progress: Progress | None = None) -> dict[str, int]:
    """Write a valid plan in one transaction; returns the counts."""
    progress = progress or (lambda percent: None)
    organizations = _organizations(plan, actor)
    locations = _locations(plan, organizations)
    existing = by_uuid(Service, {p.key for p in plan.services}, "organization")
    total = max(1, len(plan.services))
    for index, service_plan in enumerate(plan.services):
        service = existing.get(service_plan.key) or Service(uuid=service_plan.key)
        before = actions.snapshot(service) if service.pk else None
        service.organization = organizations[service_plan.organization]
        for name, value in service_plan.fields.items():
            setattr(service, name, value)
        actions.save_service(
            actor, service, before=before, save_related=_related_writer(service_plan, locations)
        )
        if index % 50 == 0:
            progress(60 + 40 * index // total)
    keep_records(plan)
    counts = plan.counts()
    record("hsds.imported", actor=actor, details=counts)
    return counts


def _organizations(plan: Plan, actor: User | None) -> dict[uuid.UUID, Organization]:
    """The organizations the plan refers to, the new ones created."""
    organizations = by_uuid(
        Organization,
        {p.organization for p in plan.services} | {p.organization for p in plan.locations},
    )
    for org_plan in plan.organizations:
        organization = Organization.objects.create(
            uuid=org_plan.key, type=OrganizationType.NGO, **org_plan.fields
        )
        organizations[organization.uuid] = organization
        record("organization.imported", actor=actor, obj=organization, organization=organization)
    return organizations


def _locations(
    plan: Plan, organizations: dict[uuid.UUID, Organization]
) -> dict[uuid.UUID, Location]:
    """The locations the plan writes (created or updated) and those its services link to."""
    locations = by_uuid(Location, {p.key for p in plan.locations})
    for location_plan in plan.locations:
        location = locations.get(location_plan.key) or Location(uuid=location_plan.key)
        location.organization = organizations[location_plan.organization]
        for name, value in location_plan.fields.items():
            setattr(location, name, value)
        location.save()
        locations[location.uuid] = location
    missing = {link["location"] for p in plan.services for link in p.links or ()}
    missing -= set(locations)
    locations.update(by_uuid(Location, missing))
    return locations


def _related_writer(
    plan: ServicePlan, locations: dict[uuid.UUID, Location]
) -> Callable[[Service], None]:
    def write(service: Service) -> None:
        # A table the file does not give (None) keeps what the service has.
        if plan.terms is not None:
            service.terms.set(plan.terms)
        if plan.phones is not None:
            service.phones.all().delete()
            Phone.objects.bulk_create(Phone(service=service, **phone) for phone in plan.phones)
        if plan.schedules is not None:
            service.schedules.all().delete()
            Schedule.objects.bulk_create(Schedule(service=service, **row) for row in plan.schedules)
        if plan.links is not None:
            service.service_at_locations.all().delete()
            ServiceAtLocation.objects.bulk_create(
                ServiceAtLocation(
                    uuid=link["uuid"],
                    service=service,
                    location=locations[link["location"]],
                    description=link["description"],
                )
                for link in plan.links
            )
        if plan.areas is not None:
            service.service_areas.all().delete()
            ServiceArea.objects.bulk_create(
                ServiceArea(uuid=area["uuid"], service=service, area=area["area"])
                for area in plan.areas
            )

    return write
