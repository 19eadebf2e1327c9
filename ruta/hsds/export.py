"""The HSDS 3.0 tabular export: a zip of CSV files and their ``datapackage.json``.

File names and columns are those of the HSDS tabular data package
(``hsds_datapackage.json``, a verbatim copy of Open Referral's ``datapackage.json``,
CC BY-SA 4.0): all 21 files, ``organizations.csv``, ``services.csv``, ``funding.csv``
... Only published data is written (see ``queries.py``); rows are the objects the read
API serves, flattened (each object once, by id), so both always agree: what an import
received is given back where Ruta did not change it (``mapping.kept``), and what the
import kept that belongs to no service, location or organization (the file's own
taxonomies and terms, table descriptions) is written as received.
"""

from __future__ import annotations

import csv
import json
import tempfile
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from ruta.directory.models import Taxonomy, TaxonomyTerm
from ruta.hsds import mapping, queries
from ruta.hsds.mapping import (
    VIRTUAL_TAXONOMIES,
    VIRTUAL_TERMS,
    Context,
    VirtualTaxonomy,
    VirtualTerm,
)
from ruta.hsds.roundtrip import CSV_FILES, NESTED_ENTITY
from ruta.lib.sheets import safe_text

DATAPACKAGE = Path(__file__).with_name("hsds_datapackage.json")

# Every resource of the HSDS data package (what Ruta has no model for is kept as
# received by the import, ``ruta.hsds.models.KeptRecord``), in the package's order.
RESOURCES = tuple(CSV_FILES)
CHUNK = 1000


@lru_cache(maxsize=1)
def hsds_package() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    return data


def resources() -> dict[str, dict[str, Any]]:
    """name -> the HSDS resource (path and schema) of the resources Ruta exports."""
    found = {r["name"]: r for r in hsds_package()["resources"] if r["name"] in RESOURCES}
    return {name: found[name] for name in RESOURCES}


def field_names(resource: str) -> list[str]:
    return [f["name"] for f in resources()[resource]["schema"]["fields"]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_text(str(value))  # no formula runs when the CSV is opened in a spreadsheet


class _Table:
    """One CSV being written to a spooled temporary file."""

    def __init__(self, resource: str) -> None:
        self.fields = field_names(resource)
        self.file: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=8 * 1024 * 1024, mode="w+", newline="", encoding="utf-8"
        )
        self.writer = csv.writer(self.file)
        self.writer.writerow(self.fields)
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow([_cell(row.get(name)) for name in self.fields])
        self.rows += 1


def _service_chunks() -> Iterable[Any]:
    services = queries.with_full_service(queries.published_services())
    return services.iterator(chunk_size=CHUNK)


class _Tables:
    """The CSV files being written: each HSDS object once (by entity and id), flattened
    out of the nested objects the mapping renders."""

    def __init__(self) -> None:
        self.tables = {name: _Table(name) for name in RESOURCES}
        self.seen: dict[str, set[str]] = {name: set() for name in RESOURCES}

    def write(self, entity: str, obj: Any) -> None:
        if isinstance(obj, list):
            for item in obj:
                self.write(entity, item)
            return
        if not isinstance(obj, dict) or entity not in self.tables:
            return
        key = str(obj.get("id", "")).lower()
        if key and key not in self.seen[entity]:
            self.seen[entity].add(key)
            self.tables[entity].write(obj)
        for name, value in obj.items():
            if isinstance(value, list | dict) and name in NESTED_ENTITY:
                self.write(NESTED_ENTITY[name], value)


def write_export(target: IO[bytes], ctx: Context | None = None) -> dict[str, int]:
    """Write the zip to ``target``; returns the row count of every CSV written."""
    ctx = ctx or Context()
    out = _Tables()
    tables = out.tables
    for organization in queries.published_organizations().iterator(chunk_size=CHUNK):
        out.write("organization", mapping.organization_full(organization, ctx, [], []))
    for service in _service_chunks():
        out.write("service", mapping.service_full(service, ctx))
    taxonomies: list[Taxonomy | VirtualTaxonomy] = [
        *queries.all_taxonomies(),
        *VIRTUAL_TAXONOMIES.values(),
    ]
    for taxonomy in taxonomies:
        out.write("taxonomy", mapping.taxonomy_dict(taxonomy, ctx))
    terms: list[TaxonomyTerm | VirtualTerm] = [*queries.all_terms(), *VIRTUAL_TERMS.values()]
    for term in terms:
        out.write("taxonomy_term", mapping.term_dict(term, ctx, detail=False))
    for record in queries.unowned_records().iterator(chunk_size=CHUNK):
        out.write(record.entity, record.data)

    package = {
        "name": "ruta_hsds_export",
        "title": "Ruta service directory (Open Referral HSDS 3.0)",
        "description": (
            "Published services exported from Ruta in the tabular format of the Human "
            "Services Data Specification: an Open Referral resource (https://openreferral.org/), "
            "whose schemas are licensed CC BY-SA 4.0."
        ),
        "profile": hsds_package()["profile"],
        "version": hsds_package()["version"],
        "created": mapping.iso_datetime(timezone.now()),
        "resources": list(resources().values()),
    }
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        for name, table in tables.items():
            table.file.seek(0)
            info = zipfile.ZipInfo(resources()[name]["path"], date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                while block := table.file.read(1024 * 1024):
                    member.write(block.encode("utf-8"))
            table.file.close()
    return {resources()[name]["path"]: table.rows for name, table in tables.items()}


def export_file(ctx: Context | None = None) -> tuple[IO[bytes], dict[str, int]]:
    """The export in a rewound temporary file (kept in memory while it is small)."""
    target: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    counts = write_export(target, ctx)
    target.seek(0)
    return target, counts
