"""What the file and the database hold, looked up by id, name or code while planning."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from ruta.agencies.models import Organization
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from ruta.hsds.importer.fields import REPEATABLE
from ruta.hsds.importer.plan import by_uuid
from ruta.hsds.importer.records import Record, Report
from ruta.hsds.mapping.vocabulary import (
    VIRTUAL_TAXONOMIES,
    VIRTUAL_TAXONOMY_IDS,
    VIRTUAL_TERMS,
    VirtualTaxonomy,
    VirtualTerm,
)
from ruta.lib.text import fold
from ruta.places.models import AdminArea

# Tables whose ids are only checked for duplicates, in the order they are reported.
OTHER_TABLES = (
    "schedule",
    "service_area",
    "language",
    "cost_option",
    "attribute",
    "required_document",
    "address",
    "accessibility",
)


class Index:
    """The file's records by id (duplicates reported) and the matching database rows."""

    def __init__(
        self,
        tables: dict[str, list[Record]],
        report: Report,
        csv_tables: set[str] | None = None,
    ) -> None:
        self.tables = tables
        # The tables a tabular file has (None: a JSON file, where each object says).
        self.csv_tables = csv_tables
        self.report = report
        self.orgs = self._ids("organization")
        self.services = self._ids("service")
        self.locations = self._ids("location")
        self.links = self._ids("service_at_location")
        self.phone_recs = self._ids("phone")
        self.file_terms = self._ids("taxonomy_term")
        self.file_taxonomies = self._ids("taxonomy")
        for table in OTHER_TABLES:
            self._ids(table)

    def _ids(self, table: str) -> dict[uuid.UUID, Record]:
        found: dict[uuid.UUID, Record] = {}
        for rec in self.tables.get(table, []):
            if rec.id is None:
                continue
            if rec.id in found and table not in REPEATABLE:
                self.report.error(rec, "id", _("This id appears more than once in the file."))
                continue
            found.setdefault(rec.id, rec)
        return found

    def load_database(self) -> None:
        refs = {
            rec.clean.get("organization_id")
            for t in ("service", "location")
            for rec in self.tables.get(t, [])
        }
        self.db_orgs = by_uuid(Organization, {*self.orgs, *(r for r in refs if r)})
        self.org_names = {
            fold(name): pk for pk, name in Organization.objects.values_list("uuid", "name")
        }
        location_refs = {
            rec.clean.get("location_id") for rec in self.tables.get("service_at_location", [])
        }
        self.db_locations = by_uuid(Location, {*self.locations, *(r for r in location_refs if r)})
        self.db_services = by_uuid(Service, self.services)
        self.db_children = {
            model: by_uuid(model, self._ids_of(table), "service")
            for model, table in (
                (Phone, "phone"),
                (Schedule, "schedule"),
                (ServiceAtLocation, "service_at_location"),
                (ServiceArea, "service_area"),
            )
        }
        self.db_terms = {
            term.uuid: term for term in TaxonomyTerm.objects.select_related("taxonomy")
        }
        self.db_taxonomies = list(Taxonomy.objects.all())
        self.areas = list(AdminArea.objects.all())

    def _ids_of(self, table: str) -> set[uuid.UUID]:
        return {rec.id for rec in self.tables.get(table, []) if rec.id is not None}

    def taken(self, model: Any, rec: Record, service_id: uuid.UUID | None) -> bool:
        """True (and an error) when the database gives this id to another service."""
        obj = self.db_children[model].get(rec.id) if rec.id else None
        if obj is not None and obj.service.uuid != service_id:
            self.report.error(rec, "id", _("This id already belongs to another service."))
            return True
        return False

    def organization_known(self, org_id: uuid.UUID | None) -> bool:
        return org_id is not None and (org_id in self.orgs or org_id in self.db_orgs)

    def check_location(self, rec: Record, location_id: uuid.UUID) -> bool:
        if location_id not in self.locations and location_id not in self.db_locations:
            self.report.error(rec, "location_id", _("Unknown location."))
            return False
        return True

    def area(self, country: str, value: str, *, level: int) -> AdminArea | None:
        if not value:
            return None
        wanted = fold(value)
        for area in self.areas:
            if area.country != country or area.level != level:
                continue
            if wanted in (
                fold(area.code),
                fold(area.name_es),
                fold(area.name_en),
                fold(area.pcode),
            ):
                return area
        return None

    # Taxonomy terms ------------------------------------------------------------------

    def taxonomy(self, key: Any) -> Taxonomy | VirtualTaxonomy | None:
        """A stored or synthetic taxonomy from an id, a file taxonomy, a code, URI or name."""
        if isinstance(key, uuid.UUID):
            if key in VIRTUAL_TAXONOMY_IDS:
                return VIRTUAL_TAXONOMY_IDS[key]
            for taxonomy in self.db_taxonomies:
                if taxonomy.uuid == key:
                    return taxonomy
            rec = self.file_taxonomies.get(key)
            if rec is None:
                return None
            return self.taxonomy(rec.clean.get("uri") or None) or self.taxonomy(
                rec.clean.get("name") or None
            )
        if not key:
            return None
        wanted = fold(str(key))
        if str(key) in VIRTUAL_TAXONOMIES:
            return VIRTUAL_TAXONOMIES[str(key)]
        for taxonomy in self.db_taxonomies:
            if wanted in (
                fold(taxonomy.code),
                fold(taxonomy.uri),
                fold(taxonomy.name_es),
                fold(taxonomy.name_en),
            ):
                return taxonomy
        for virtual in VIRTUAL_TAXONOMIES.values():
            if wanted in (fold(virtual.name_es), fold(virtual.name_en)):
                return virtual
        return None

    def term(self, term_id: uuid.UUID) -> TaxonomyTerm | VirtualTerm | None:
        if term_id in VIRTUAL_TERMS:
            return VIRTUAL_TERMS[term_id]
        if term_id in self.db_terms:
            return self.db_terms[term_id]
        rec = self.file_terms.get(term_id)
        if rec is None or not rec.clean.get("code"):
            return None
        taxonomy = self.taxonomy(rec.clean.get("taxonomy_id")) or self.taxonomy(
            rec.clean.get("taxonomy")
        )
        code = rec.clean["code"]
        if isinstance(taxonomy, VirtualTaxonomy):
            return next((t for t in taxonomy.terms if t.code == code), None)
        if taxonomy is None:
            return None
        return next(
            (t for t in self.db_terms.values() if t.taxonomy_id == taxonomy.pk and t.code == code),
            None,
        )

    def unknown_term(self, rec: Record) -> None:
        term_id = rec.clean.get("taxonomy_term_id")
        definition = self.file_terms.get(term_id)  # type: ignore[arg-type]
        code = definition.clean.get("code") if definition else None
        self.report.error(
            rec,
            "taxonomy_term_id",
            _(
                "Unknown taxonomy term %(term)s: it is neither in Ruta nor found by taxonomy and code."
            )
            % {"term": f"{term_id} ({code})" if code else str(term_id)},
        )
