"""Keeping every HSDS object of an import as received, beside what Ruta made of it.

Run last in the import's transaction: every record of the file becomes a ``KeptRecord``
(its HSDS fields as received, numbers as numbers) hanging off its owner: the service it
belongs to (directly, through a service_at_location, contact or phone, or as what an
attribute or metadata describes), else its location, else its organization; taxonomies,
terms, table descriptions and what points nowhere belong to no one. Then each service,
location and organization of the file gets, on its own record, Ruta's rendering of it
(the basis the export compares with, ``ruta.hsds.mapping.kept``).

A re-import replaces the kept records of the objects it gives, and, for each owner in
the file, its kept records of the tables the file has (absent is not empty).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q

from ruta.agencies.models import Organization
from ruta.directory.models import Location, Service
from ruta.hsds import queries
from ruta.hsds.importer.plan import Plan, by_uuid, chunks
from ruta.hsds.importer.records import Record
from ruta.hsds.mapping.common import Context
from ruta.hsds.mapping.compiled import location_full, organization_full, service_full
from ruta.hsds.mapping.kept import field_types, hsds_value
from ruta.hsds.models import KeptRecord

OWNERS = ("service", "location", "organization")
# The reference fields that lead to an owner, in the order they are followed.
PARENTS = (
    ("service_id", "service"),
    ("service_at_location_id", "service_at_location"),
    ("contact_id", "contact"),
    ("phone_id", "phone"),
    ("location_id", "location"),
    ("organization_id", "organization"),
)
NO_OWNER = ("taxonomy", "taxonomy_term", "meta_table_description")
RAW = Context(kept=False)
# What Ruta renders of an organization only with a base URL (its address in the API).
RUTA_RENDERS = ("uri",)


def received(rec: Record) -> dict[str, Any]:
    """The record's HSDS fields as received (empty ones left out)."""
    types = field_types(rec.table)
    data: dict[str, Any] = {}
    for name, value in rec.raw.items():
        if name not in types or value is None or value == "":
            continue
        data[name] = hsds_value(rec.table, name, value)
    return data


class _Owners:
    """Finds the owner (entity, id) of every record of the file."""

    def __init__(self, tables: dict[str, list[Record]], known: dict[str, set[uuid.UUID]]):
        self.known = known
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        for table, records in tables.items():
            for rec in records:
                if rec.raw.get("id") is not None:
                    self.records[table, str(rec.raw["id"]).strip().lower()] = rec.raw

    def of(self, table: str, raw: dict[str, Any], depth: int = 0) -> tuple[str, uuid.UUID] | None:
        if depth > 6 or table in NO_OWNER:
            return None
        if table in OWNERS:
            return self._ref(table, raw.get("id"), depth)
        if table == "attribute":
            return self._ref(str(raw.get("link_entity") or ""), raw.get("link_id"), depth)
        if table == "metadata":
            return self._ref(str(raw.get("resource_type") or ""), raw.get("resource_id"), depth)
        for name, target in PARENTS:
            found = self._ref(target, raw.get(name), depth)
            if found is not None:
                return found
        return None

    def _ref(self, table: str, value: Any, depth: int) -> tuple[str, uuid.UUID] | None:
        if value is None:
            return None
        try:
            key = uuid.UUID(str(value).strip())
        except ValueError:
            return None
        if table in OWNERS:
            return (table, key) if key in self.known[table] else None
        raw = self.records.get((table, str(key)))
        return None if raw is None else self.of(table, raw, depth + 1)


def keep_records(plan: Plan) -> int:
    """Keep every record of the planned file; returns how many were kept."""
    tables = plan.records
    refs: dict[str, set[uuid.UUID]] = {table: set() for table in OWNERS}
    for table, records in tables.items():
        for rec in records:
            for name, value in rec.clean.items():
                if isinstance(value, uuid.UUID) and name.endswith("_id"):
                    for owner in OWNERS:
                        refs[owner].add(value)
            if table in OWNERS and rec.id is not None:
                refs[table].add(rec.id)
    rows = {
        "service": by_uuid(Service, refs["service"]),
        "location": by_uuid(Location, refs["location"]),
        "organization": by_uuid(Organization, refs["organization"]),
    }
    owners = _Owners(tables, {table: set(found) for table, found in rows.items()})
    kept: list[KeptRecord] = []
    position = 0
    for table, records in tables.items():
        for rec in records:
            if rec.id is None:
                continue
            found = owners.of(table, rec.raw)
            links: dict[str, Any] = {}
            if found is not None:
                links[found[0]] = rows[found[0]][found[1]]
            position += 1
            kept.append(
                KeptRecord(
                    entity=table, hsds_id=rec.id, data=received(rec), position=position, **links
                )
            )
    # Organizations an import created (now or before: kept whole, with their name) are
    # kept whole; the others are Ruta's own (only what Ruta has no field for is kept).
    created = {org.key for org in plan.organizations}
    for chunk in chunks(sorted(refs["organization"], key=str)):
        earlier = KeptRecord.objects.filter(
            entity="organization", hsds_id__in=chunk, data__has_key="name"
        )
        created |= set(earlier.values_list("hsds_id", flat=True))
    _forget(kept, plan)
    for chunk in chunks(kept):
        KeptRecord.objects.bulk_create(chunk)
    _bases(kept, created)
    return len(kept)


def _forget(kept: list[KeptRecord], plan: Plan) -> None:
    """Delete what the new records replace: the same objects, and what their owners kept
    of the tables the file gives."""
    given = set(plan.csv_tables) if plan.csv_tables is not None else set(plan.records)
    for table in {k.entity for k in kept}:
        ids = [k.hsds_id for k in kept if k.entity == table]
        for chunk in chunks(ids):
            KeptRecord.objects.filter(entity=table, hsds_id__in=chunk).delete()
    for owner in OWNERS:
        pks = {getattr(k, f"{owner}_id") for k in kept if k.entity == owner}
        pks.discard(None)
        for chunk in chunks(sorted(pks)):
            KeptRecord.objects.filter(Q(**{f"{owner}_id__in": chunk}), entity__in=given).delete()


def _bases(kept: list[KeptRecord], created: set[uuid.UUID]) -> None:
    """Ruta's own rendering of each service, location and organization of the file.

    An organization Ruta already had is not updated by the import (``created``: those
    it creates): the fields Ruta renders of it stay Ruta's, only the others are kept."""
    own = {(k.entity, k.hsds_id): k for k in kept if k.entity in OWNERS}
    wanted = {table: [key for entity, key in own if entity == table] for table in OWNERS}
    changed: list[KeptRecord] = []
    for chunk in chunks(wanted["service"]):
        services = queries.with_full_service(Service.objects.filter(uuid__in=chunk))
        for service in services.select_related("organization"):
            record = own["service", service.uuid]
            record.basis = service_full(service, RAW)
            changed.append(record)
    for chunk in chunks(wanted["location"]):
        locations = queries.LOCATIONS.filter(uuid__in=chunk)
        for location in locations:
            record = own["location", location.uuid]
            record.basis = location_full(location, RAW)
            changed.append(record)
    for chunk in chunks(wanted["organization"]):
        for organization in Organization.objects.filter(uuid__in=chunk):
            record = own["organization", organization.uuid]
            record.basis = organization_full(organization, RAW, [], [])
            if organization.uuid not in created:
                record.data = {
                    key: value
                    for key, value in record.data.items()
                    if key == "id" or key not in (*record.basis, *RUTA_RENDERS)
                }
            changed.append(record)
    for chunk in chunks(changed):
        KeptRecord.objects.bulk_update(chunk, ["basis", "data"])
