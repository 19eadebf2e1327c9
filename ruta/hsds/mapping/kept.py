"""What an import received, given back by the export: Ruta's rendering and the kept records.

An import keeps every HSDS object it reads (``ruta.hsds.models.KeptRecord``), and with
each service, location and organization Ruta's own rendering of it right after the
import (the *basis*). The export renders Ruta's data as always (*current*) and then, per
field, gives back what was received unless Ruta's rendering of that field changed since:

* a field whose current value equals the basis: the received value (``wait_time``,
  ``last_modified``, ``alternate_name`` ... whatever Ruta made of it);
* a field Ruta's data changed since (an editor's edit, a later import): Ruta's value.
  An edit always wins.
* a list (phones, schedules ...) that Ruta renders as it did: the received items, in
  the received order (one schedule ``byday TH,FR`` stays one, ``opens_at 10:00:00``
  keeps its form). A list Ruta's data changed: Ruta's items, each merged field by field
  with the received item of the same id. When a service's hours are edited in Ruta, the
  received schedules no longer describe them: Ruta's hours are exported, and the
  received schedules of its service_at_locations are dropped with them.
* a field or object Ruta has nothing for (funding, contacts, metadata ...): received.

Rendering with ``Context(kept=False)`` gives Ruta's data alone (the basis is made so).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

# Lists nested in an object: their key and the table of their items, in reading order.
NESTED_LISTS = {
    "service": (
        ("phones", "phone"),
        ("schedules", "schedule"),
        ("service_areas", "service_area"),
        ("languages", "language"),
        ("cost_options", "cost_option"),
        ("required_documents", "required_document"),
        ("service_at_locations", "service_at_location"),
        ("funding", "funding"),
        ("contacts", "contact"),
    ),
    "organization": (
        ("services", "service"),
        ("locations", "location"),
        ("funding", "funding"),
        ("contacts", "contact"),
        ("phones", "phone"),
        ("programs", "program"),
        ("organization_identifiers", "organization_identifier"),
    ),
    "service_at_location": (
        ("phones", "phone"),
        ("schedules", "schedule"),
        ("contacts", "contact"),
    ),
    "location": (
        ("addresses", "address"),
        ("accessibility", "accessibility"),
        ("phones", "phone"),
        ("schedules", "schedule"),
        ("languages", "language"),
        ("contacts", "contact"),
    ),
    "contact": (("phones", "phone"),),
    "phone": (("languages", "language"),),
}
# Every HSDS object may carry attributes and metadata (a taxonomy, a term: metadata only).
COMMON_LISTS = (("attributes", "attribute"), ("metadata", "metadata"))
# The lists an export assembles from what was received: all of them but those Ruta renders
# itself from its other rows (an organization's services and locations).
RENDERED_FROM_ROWS = {("organization", "services"), ("organization", "locations")}
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    entity: tuple(pair for pair in lists if (entity, pair[0]) not in RENDERED_FROM_ROWS)
    for entity, lists in NESTED_LISTS.items()
}
# Nested objects (not lists) that are rendered, and merged, on their own.
OWN_OBJECTS = {"location", "organization", "service", "program", "taxonomy_term", "taxonomy_detail"}
# Kept where Ruta would write something else: the source's persistent identifier.
SOURCE_WINS = {("organization", "uri")}
# Lists of a service_at_location that Ruta folds into its service's own.
FOLDED = {"phones": "phone", "schedules": "schedule"}


@lru_cache(maxsize=32)
def field_types(entity: str) -> dict[str, str]:
    """The flat fields of an HSDS entity and their JSON type (its schema's properties)."""
    schema = json.loads((SCHEMA_DIR / f"{entity}.json").read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for name, spec in schema.get("properties", {}).items():
        kind = spec.get("type", "string")
        if kind not in ("array", "object") and "$ref" not in spec:
            found[name] = kind
    return found


def hsds_value(entity: str, name: str, value: Any) -> Any:
    """A received value as HSDS JSON: numbers as numbers (a CSV gives text)."""
    if field_types(entity).get(name) != "number" or not isinstance(value, str):
        return value
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        return value
    if number == int(number) and "." not in text and "e" not in text.lower():
        return int(number)
    return number


# --- Assembling the received object ----------------------------------------------------


def _points_to(entity: str, data: dict[str, Any], parent: str, parent_id: str) -> bool:
    if entity == "attribute":
        link, kind = data.get("link_id"), data.get("link_entity")
        return _same_id(link, parent_id) and kind in (None, "", parent)
    if entity == "metadata":
        link, kind = data.get("resource_id"), data.get("resource_type")
        return _same_id(link, parent_id) and kind in (None, "", parent)
    return _same_id(data.get(f"{parent}_id"), parent_id)


def _same_id(value: Any, wanted: str) -> bool:
    return value is not None and str(value).lower() == wanted


def assemble(
    entity: str,
    data: dict[str, Any],
    records: dict[str, list[dict[str, Any]]],
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The received object with the received objects it nests (from ``records``:
    entity -> the kept data of one owner); ``skip``: entities left out below the top."""
    found = dict(data)
    own_id = str(data.get("id", "")).lower()
    children = (*CHILDREN.get(entity, ()), *COMMON_LISTS)
    for key, child in children:
        if child in skip and entity in ("service_at_location", "contact", "phone"):
            continue
        items = [item for item in records.get(child, ()) if _points_to(child, item, entity, own_id)]
        if items:
            found[key] = [assemble(child, item, records, skip) for item in items]
    return found


# --- Merging ----------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A rendering without the nested objects that are merged on their own (what is
    compared with the basis: a basis may be stored so already)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k not in OWN_OBJECTS}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _by_id(items: Iterable[Any]) -> dict[str, dict[str, Any]]:
    return {
        str(item["id"]).lower(): item for item in items if isinstance(item, dict) and "id" in item
    }


def merge(
    received: dict[str, Any], basis: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    """``current`` with what was received wherever Ruta's rendering did not change since."""
    out: dict[str, Any] = {}
    for key, mine in received.items():
        now, then = current.get(key), basis.get(key)
        if isinstance(mine, list):
            if isinstance(now, list):
                out[key] = merge_list(mine, then if isinstance(then, list) else [], now)
            elif now is None:
                out[key] = mine  # Ruta renders no such list here
        elif plain(now) == plain(then):
            out[key] = mine
        elif now is not None:
            out[key] = now
    for key, now in current.items():
        if key not in received:
            out[key] = now
    return out


def merge_list(received: list[Any], basis: list[Any], current: list[Any]) -> list[Any]:
    current_by, basis_by = _by_id(current), _by_id(basis)
    if plain(current) == plain(basis):
        return [
            merge(item, basis_by.get(key, {}), current_by[key])
            if (key := str(item.get("id", "")).lower()) in current_by
            else item
            for item in received
            if isinstance(item, dict)
        ]
    received_by = _by_id(received)
    return [
        merge(received_by[key], basis_by.get(key, {}), item)
        if isinstance(item, dict) and (key := str(item.get("id", "")).lower()) in received_by
        else item
        for item in current
    ]


# --- The records of one owner -------------------------------------------------------------


def owner_records(owner: Any) -> list[Any]:
    """The kept records of a service, location or organization (prefetched when listed)."""
    manager = getattr(owner, "kept_records", None)
    if manager is None or owner.pk is None:
        return []
    return list(manager.all())


def _grouped(records: list[Any]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        grouped[record.entity].append(record.data)
    return grouped


def overlay(
    entity: str, owner: Any, current: dict[str, Any], *, flat: bool = False
) -> dict[str, Any]:
    """``current`` (Ruta's rendering of ``owner``) with what the import received."""
    records = owner_records(owner)
    own = next((r for r in records if r.entity == entity and r.hsds_id == owner.uuid), None)
    if own is None:
        return current
    basis = own.basis or {}
    skip = frozenset(
        child
        for key, child in FOLDED.items()
        if entity == "service" and key in current and plain(current[key]) != plain(basis.get(key))
    )
    received = dict(own.data) if flat else assemble(entity, own.data, _grouped(records), skip)
    result = merge(received, basis, current)
    for kept_entity, name in SOURCE_WINS:
        if kept_entity == entity and name in own.data:
            result[name] = own.data[name]
    return result


def overlay_link(service: Any, link_id: Any, current: dict[str, Any]) -> dict[str, Any]:
    """``current`` (Ruta's rendering of one service_at_location of ``service``) with what
    the import received for it (kept with its service)."""
    records = owner_records(service)
    own = next((r for r in records if r.entity == "service" and r.hsds_id == service.uuid), None)
    link = next(
        (r for r in records if r.entity == "service_at_location" and r.hsds_id == link_id), None
    )
    if own is None or link is None:
        return current
    basis = _by_id((own.basis or {}).get("service_at_locations", [])).get(str(link_id), {})
    received = assemble("service_at_location", link.data, _grouped(records))
    return merge(received, basis, current)


def flat_fields(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """The flat HSDS fields of a received object."""
    types = field_types(entity)
    return {key: value for key, value in data.items() if key in types}
