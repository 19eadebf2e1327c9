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
from django.utils import timezone

from ruta.agencies.models import Organization
from ruta.directory.models import Location, Service
from ruta.hsds import queries
from ruta.hsds.importer.plan import Plan, chunks
from ruta.hsds.importer.records import Record
from ruta.hsds.mapping.common import Context
from ruta.hsds.mapping.compiled import location_full, organization_full, service_basis
from ruta.hsds.mapping.kept import field_types, hsds_value
from ruta.hsds.models import KeptRecord
from ruta.lib.bulk import insert_values

OWNERS = ("service", "location", "organization")
# A record's owner: the index of its column in OWNER_IDS and its pk.
Link = tuple[int, int] | None
Placed = tuple[int, Record, Link]
OWNER_IDS = tuple(f"{owner}_id" for owner in OWNERS)
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
        self._parsed: dict[Any, uuid.UUID] = {}
        # By the id the record was read with (its UUID object: no key of its own).
        self.records: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
        for table, records in tables.items():
            for rec in records:
                if rec.id is not None:
                    self.records[table, rec.id] = rec.raw

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
        key = self._parsed.get(value)
        if key is None:  # the same reference repeats from row to row: parsed once
            try:
                key = self._parsed[value] = uuid.UUID(str(value).strip())
            except ValueError:
                return None
        if table in OWNERS:
            return (table, key) if key in self.known[table] else None
        raw = self.records.get((table, key))
        return None if raw is None else self.of(table, raw, depth + 1)


def owner_refs(plan: Plan) -> dict[str, set[uuid.UUID]]:
    """The ids of the file that may name a service, location or organization (by table):
    the only ones ``_Owners`` asks the database about (an owner's own id, its
    ``<owner>_id`` in another record, an attribute's ``link_id`` or a metadata's
    ``resource_id`` of that entity). ``keep_records`` needs nothing else of each record's
    converted values: they are let go here, all but the record's id (once the plan is
    made nothing else reads them, and they are a fifth of the import's memory)."""
    refs: dict[str, set[uuid.UUID]] = {table: set() for table in OWNERS}
    for table, records in plan.records.items():
        for rec in records:
            key = rec.id
            if table in OWNERS and key is not None:
                refs[table].add(key)
            for name, value in rec.clean.items():
                if not isinstance(value, uuid.UUID):
                    continue
                if name in _OWNER_FIELDS:
                    refs[_OWNER_FIELDS[name]].add(value)
                elif name in _LINKS and table == _LINKS[name][0]:
                    entity = str(rec.raw.get(_LINKS[name][1]) or "")
                    if entity in refs:
                        refs[entity].add(value)
            rec.clean = {"id": key} if key is not None else {}
    return refs


# The fields that name an owner, and those that name any entity with the field saying which.
_OWNER_FIELDS = {f"{owner}_id": owner for owner in OWNERS}
_LINKS = {"link_id": ("attribute", "link_entity"), "resource_id": ("metadata", "resource_type")}


def keep_records(
    plan: Plan, refs: dict[str, set[uuid.UUID]], held: dict[uuid.UUID, Service] | None = None
) -> int:
    """Keep every record of the planned file; returns how many were kept. ``refs``: what
    ``owner_refs`` found, before the plan was written.

    Streamed: the kept records are built and written a chunk at a time, those of the
    services, locations and organizations with Ruta's rendering of each (rendered a
    chunk at a time too), so memory does not grow with the file beyond its records.
    ``held``: services that hold, prefetched, every row the import wrote for them (those
    it created): their basis is rendered without reading them back."""
    held = held or {}
    tables = plan.records
    pks = {
        "service": _pks(Service, refs["service"]),
        "location": _pks(Location, refs["location"]),
        "organization": _pks(Organization, refs["organization"]),
    }
    owners = _Owners(tables, {table: set(found) for table, found in pks.items()})
    # Organizations an import created (now or before: kept whole, with their name) are
    # kept whole; the others are Ruta's own (only what Ruta has no field for is kept).
    created = {org.key for org in plan.organizations}
    for chunk in chunks(sorted(refs["organization"], key=str)):
        earlier = KeptRecord.objects.filter(
            entity="organization", hsds_id__in=chunk, data__has_key="name"
        )
        created |= set(earlier.values_list("hsds_id", flat=True))
    # Each record's place in the file, and its owner's link (the owner column's index
    # in OWNER_IDS and the owner's pk: a tuple, not a dict per record).
    placed: list[Placed] = []
    position = 0
    for table, records in tables.items():
        for rec in records:
            if rec.id is None:
                continue
            position += 1
            found = owners.of(table, rec.raw)
            link = (OWNERS.index(found[0]), pks[found[0]][found[1]]) if found else None
            placed.append((position, rec, link))
    _forget(placed, plan)
    now = timezone.now()
    names = ["entity", "hsds_id", "data", "basis", "position", "imported_at", *OWNER_IDS]

    def row(at: int, rec: Record, link: Link, data: Any, basis: Any) -> list[Any]:
        values = [rec.table, rec.id, data, basis, at, now, None, None, None]
        if link is not None:
            values[6 + link[0]] = link[1]
        return values

    # The services, locations and organizations first, a chunk at a time: a service's
    # rows held for its basis are let go as soon as it is rendered.
    kept = 0
    for owner in OWNERS:
        own = [item for item in placed if item[1].table == owner]
        for chunk in chunks(own):
            ids = [rec.id for _at, rec, _link in chunk if rec.id is not None]
            bases = _bases(owner, ids, held)
            rows: list[list[Any]] = []
            for at, rec, link in chunk:
                data, basis = received(rec), bases.get(rec.id)
                if owner == "organization" and basis is not None and rec.id not in created:
                    data = {
                        key: value
                        for key, value in data.items()
                        if key == "id" or key not in (*basis, *RUTA_RENDERS)
                    }
                rows.append(row(at, rec, link, data, basis))
            kept += insert_values(KeptRecord, names, rows)
    kept += insert_values(
        KeptRecord,
        names,
        (
            row(at, rec, link, received(rec), None)
            for at, rec, link in placed
            if rec.table not in OWNERS
        ),
    )
    return kept


def _pks(model: Any, ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    for chunk in chunks(sorted(ids, key=str)):
        found.update(model.objects.filter(uuid__in=chunk).values_list("uuid", "pk"))
    return found


def _forget(placed: list[Placed], plan: Plan) -> None:
    """Delete what the new records replace: the same objects, and what their owners kept
    of the tables the file gives. A table (or owner) nothing was kept for has nothing
    to delete: not asked, chunk by chunk, on a first import."""
    given = set(plan.csv_tables) if plan.csv_tables is not None else set(plan.records)
    ids: dict[str, list[uuid.UUID]] = {}
    for _at, rec, _link in placed:
        assert rec.id is not None
        ids.setdefault(rec.table, []).append(rec.id)
    kept_entities = set(
        KeptRecord.objects.filter(entity__in=list(ids)).values_list("entity", flat=True).distinct()
    )
    for table in sorted(kept_entities):
        for chunk in chunks(ids[table]):
            KeptRecord.objects.filter(entity=table, hsds_id__in=chunk).delete()
    for owner in OWNERS:
        if not KeptRecord.objects.filter(**{f"{owner}__isnull": False}).exists():
            continue
        index = OWNERS.index(owner)
        pks = {
            link[1]
            for _at, rec, link in placed
            if rec.table == owner and link is not None and link[0] == index
        }
        for chunk in chunks(sorted(pks)):
            KeptRecord.objects.filter(Q(**{f"{owner}_id__in": chunk}), entity__in=given).delete()


def _bases(
    owner: str, ids: list[uuid.UUID], held: dict[uuid.UUID, Service]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Ruta's own rendering of these services, locations or organizations of the file.

    An organization Ruta already had is not updated by the import (``created``: those
    it creates): the fields Ruta renders of it stay Ruta's, only the others are kept."""
    if owner == "service":
        found = {key: service_basis(held[key], RAW) for key in ids if key in held}
        for key in found:  # rendered: its rows need not be held any longer
            held.pop(key).__dict__.pop("_prefetched_objects_cache", None)
        read = [key for key in ids if key not in found]
        if read:
            services = queries.with_full_service(Service.objects.filter(uuid__in=read), kept=False)
            services = services.select_related("organization").defer(*queries.UNUSED)
            found.update((service.uuid, service_basis(service, RAW)) for service in services)
        return found
    if owner == "location":
        return {
            location.uuid: location_full(location, RAW)
            for location in queries.LOCATIONS.filter(uuid__in=ids)
        }
    return {
        organization.uuid: organization_full(organization, RAW, [], [])
        for organization in Organization.objects.filter(uuid__in=ids)
    }
