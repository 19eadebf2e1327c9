"""The plan: what an import would write, built only when the whole file is valid."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ruta.hsds.importer.records import Record

DB_CHUNK = 500


@dataclass
class ServicePlan:
    rec: Record
    key: uuid.UUID
    organization: uuid.UUID
    fields: dict[str, Any]
    # None: the file does not give that table for the service, which keeps what it has.
    terms: list[int] | None = None
    phones: list[dict[str, Any]] | None = None
    schedules: list[dict[str, Any]] | None = None
    links: list[dict[str, Any]] | None = None  # service_at_locations
    areas: list[dict[str, Any]] | None = None
    exists: bool = False


@dataclass
class LocationPlan:
    key: uuid.UUID
    organization: uuid.UUID
    fields: dict[str, Any]
    exists: bool = False


@dataclass
class OrganizationPlan:
    key: uuid.UUID
    fields: dict[str, Any]


@dataclass
class Plan:
    organizations: list[OrganizationPlan] = field(default_factory=list)
    locations: list[LocationPlan] = field(default_factory=list)
    services: list[ServicePlan] = field(default_factory=list)
    # Every record of the file, kept as received (``keeping``), and the tables a tabular
    # file has (None: JSON).
    records: dict[str, list[Record]] = field(default_factory=dict)
    csv_tables: set[str] | None = None

    def counts(self) -> dict[str, int]:
        return {
            "organizations_created": len(self.organizations),
            "locations_created": sum(1 for p in self.locations if not p.exists),
            "locations_updated": sum(1 for p in self.locations if p.exists),
            "services_created": sum(1 for p in self.services if not p.exists),
            "services_updated": sum(1 for p in self.services if p.exists),
            "phones": sum(len(p.phones or ()) for p in self.services),
            "schedules": sum(len(p.schedules or ()) for p in self.services),
            "service_at_locations": sum(len(p.links or ()) for p in self.services),
            "terms": sum(len(p.terms or ()) for p in self.services),
        }


def chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), DB_CHUNK):
        yield values[start : start + DB_CHUNK]


def by_uuid(model: Any, ids: Iterable[uuid.UUID], *related: str) -> dict[uuid.UUID, Any]:
    found: dict[uuid.UUID, Any] = {}
    for chunk in chunks(sorted(set(ids), key=str)):
        queryset = model.objects.filter(uuid__in=chunk)
        if related:
            queryset = queryset.select_related(*related)
        for obj in queryset:
            found[obj.uuid] = obj
    return found
