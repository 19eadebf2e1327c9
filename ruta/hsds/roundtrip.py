"""Two HSDS datasets compared cell by cell: what an export kept, altered or lost.

Either side may be the tabular package (a zip of CSV files) or JSON in any nested shape
(``organization_full``, ``service_full``, a Page, a list): both are read into the same
flat tables, ``entity -> id -> field -> text``, the form of the HSDS CSV files. Values are
compared as the CSV cells would show them (``10`` and ``10.0`` are the same number;
``10:00:00`` and ``10:00`` are not the same text).

Used by the lossless round-trip test and usable on any pair of files:
``differences(read_zip(a), read_json(b))``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ruta.hsds.importer.reading import shape_of

# A nested key of an HSDS object and the entity of what it holds (HSDS names them alike
# wherever they appear: a ``phones`` array holds phones under a service, a location ...).
NESTED_ENTITY = {
    "organization": "organization",
    "organizations": "organization",
    "services": "service",
    "service": "service",
    "locations": "location",
    "location": "location",
    "service_at_locations": "service_at_location",
    "phones": "phone",
    "schedules": "schedule",
    "service_areas": "service_area",
    "languages": "language",
    "funding": "funding",
    "cost_options": "cost_option",
    "program": "program",
    "programs": "program",
    "required_documents": "required_document",
    "contacts": "contact",
    "attributes": "attribute",
    "metadata": "metadata",
    "addresses": "address",
    "accessibility": "accessibility",
    "organization_identifiers": "organization_identifier",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_terms": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
    "taxonomies": "taxonomy",
    "meta_table_descriptions": "meta_table_description",
}
# The HSDS CSV file of each entity (``<entity>.csv`` is read as well).
CSV_FILES = {
    "organization": "organizations.csv",
    "program": "programs.csv",
    "service": "services.csv",
    "attribute": "attributes.csv",
    "service_at_location": "service_at_location.csv",
    "location": "locations.csv",
    "phone": "phones.csv",
    "contact": "contacts.csv",
    "address": "addresses.csv",
    "schedule": "schedules.csv",
    "funding": "funding.csv",
    "service_area": "service_areas.csv",
    "required_document": "required_documents.csv",
    "language": "languages.csv",
    "accessibility": "accessibility.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "metadata": "metadata.csv",
    "meta_table_description": "meta_table_descriptions.csv",
    "cost_option": "cost_options.csv",
    "organization_identifier": "organization_identifiers.csv",
    "taxonomy": "taxonomies.csv",
}

Tables = dict[str, dict[str, dict[str, str]]]


def cell(value: Any) -> str:
    """A value as the HSDS CSV cell shows it ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def read_zip(data: bytes) -> Tables:
    """The tables of a tabular package (its CSV files, by HSDS file name)."""
    tables: Tables = {}
    files = {name: entity for entity, name in CSV_FILES.items()}
    files.update({f"{entity}.csv": entity for entity in CSV_FILES})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            entity = files.get(PurePosixPath(name).name)
            if entity is None:
                continue
            text = archive.read(name).decode("utf-8-sig")
            for row in csv.DictReader(io.StringIO(text, newline="")):
                _add(tables, entity, {k: v for k, v in row.items() if k is not None})
    return tables


def read_json(*documents: Any) -> Tables:
    """The tables of JSON documents (parsed, or bytes), in any nested HSDS shape."""
    tables: Tables = {}
    for document in documents:
        if isinstance(document, bytes | str):
            document = json.loads(document)
        if isinstance(document, dict) and isinstance(document.get("contents"), list):
            document = document["contents"]
        if isinstance(document, dict) and "id" not in document:
            for key, value in document.items():
                if key in NESTED_ENTITY:
                    _walk(tables, NESTED_ENTITY[key], value)
            continue
        _walk(tables, _guess(document), document)
    return tables


def _guess(document: Any) -> str:
    """The entity of an unnamed object or list, told by the fields only it has (the
    importer's rule; the items of one list are of one kind: the most common)."""
    items = document if isinstance(document, list) else [document]
    kinds = Counter(shape_of(item) for item in items if isinstance(item, dict))
    found = kinds.most_common(1)
    return (found[0][0] if found else None) or "service"


def _walk(tables: Tables, entity: str, value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _walk(tables, entity, item)
        return
    if not isinstance(value, dict):
        return
    row: dict[str, str] = {}
    for key, inner in value.items():
        if isinstance(inner, list | dict):
            if key in NESTED_ENTITY:
                _walk(tables, NESTED_ENTITY[key], inner)
            continue
        row[key] = cell(inner)
    _add(tables, entity, row)


def _add(tables: Tables, entity: str, row: dict[str, str]) -> None:
    key = (row.get("id") or "").strip().lower()
    if not key:
        return
    found = tables.setdefault(entity, {}).setdefault(key, {})
    for name, value in row.items():
        if value != "" and not found.get(name):
            found[name] = value  # an object repeated by id: the copies are merged


@dataclass
class Difference:
    """One cell of the source that the other side altered or lost."""

    entity: str
    id: str
    field: str
    expected: str
    found: str | None  # None: lost (the row, or the cell, is not there)

    @property
    def path(self) -> str:
        return f"{self.entity}/{self.id}/{self.field}"

    def __str__(self) -> str:
        if self.found is None:
            return f"{self.path}: lost {self.expected!r}"
        return f"{self.path}: {self.expected!r} became {self.found!r}"


@dataclass
class Comparison:
    kept: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def altered(self) -> int:
        return sum(1 for d in self.differences if d.found is not None)

    @property
    def lost(self) -> int:
        return sum(1 for d in self.differences if d.found is None)

    def summary(self) -> str:
        return f"kept {self.kept}, altered {self.altered}, lost {self.lost}"

    def report(self) -> str:
        return "\n".join([self.summary(), *(str(d) for d in self.differences)])


def _same(expected: str, found: str) -> bool:
    if expected == found:
        return True
    try:
        return float(expected) == float(found)
    except ValueError:
        return False


def compare(source: Tables, other: Tables, entities: set[str] | None = None) -> Comparison:
    """Every filled cell of ``source`` looked up in ``other`` by entity, id and field
    (only ``entities`` when given): kept, altered or lost."""
    result = Comparison()
    for entity, rows in sorted(source.items()):
        if entities is not None and entity not in entities:
            continue
        for key, row in sorted(rows.items()):
            found_row = other.get(entity, {}).get(key)
            for name, expected in sorted(row.items()):
                if expected == "":
                    continue
                found = None if found_row is None else found_row.get(name)
                if found is not None and _same(expected, found):
                    result.kept += 1
                else:
                    result.differences.append(
                        Difference(entity, key, name, expected, found or None)
                    )
    return result
