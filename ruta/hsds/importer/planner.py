"""Checking the records as a whole and, when nothing is wrong, building the plan."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ruta.hsds.importer.checks import check_fields
from ruta.hsds.importer.fields import TABLES
from ruta.hsds.importer.index import Index
from ruta.hsds.importer.plan import Plan
from ruta.hsds.importer.plan_places import plan_locations, plan_organizations
from ruta.hsds.importer.plan_services import plan_services
from ruta.hsds.importer.records import Progress, Record, Report
from ruta.hsds.importer.references import block_references, report_dependants
from ruta.hsds.mapping.kept import field_types


class Planner:
    """Validates the records as a whole and, when nothing is wrong, builds the plan."""

    def __init__(
        self,
        tables: dict[str, list[Record]],
        report: Report,
        progress: Progress | None,
        broken: dict[str, list[Record]] | None = None,
        csv_tables: set[str] | None = None,
    ) -> None:
        self.tables = tables
        self.report = report
        self.progress = progress or (lambda percent: None)
        self.broken = broken or {}
        self.csv_tables = csv_tables

    def build(self) -> Plan | None:
        records = [rec for table in TABLES for rec in self.tables.get(table, [])]
        block_references(self.tables, self.broken, records)
        for index, rec in enumerate(records):
            check_fields(rec, self.report)
            if index % 500 == 0:
                self.progress(5 + 35 * index // max(1, len(records)))
        self.progress(40)
        ix = Index(self.tables, self.report, self.csv_tables)
        ix.load_database()
        self.progress(50)
        plan = Plan(records=dict(self.tables), csv_tables=self.csv_tables)
        plan_organizations(ix, plan)
        plan_locations(ix, plan)
        plan_services(ix, plan, self.progress)
        _report_new_terms(ix)
        _report_unknown_fields(self.tables, self.report)
        report_dependants(self.report, records)
        self.progress(60)
        return None if self.report.errors else plan


def _report_unknown_fields(tables: dict[str, list[Record]], report: Report) -> None:
    """Every HSDS field is kept (``keeping``); a field HSDS does not define is not: said
    once per table and field (on its first record), never passed over in silence."""
    for table, records in tables.items():
        known = field_types(table)
        seen: set[str] = set()
        for rec in records:
            for name in rec.given():
                if name in known or name in seen:
                    continue
                seen.add(name)
                report.warn(
                    rec,
                    name,
                    _("Not a field of an HSDS %(entity)s: Ruta cannot store it; not imported.")
                    % {"entity": table},
                )


def _report_new_terms(ix: Index) -> None:
    """Import never creates terms (coordinators curate them): say so for each one the
    file defines that Ruta does not have, instead of passing over it in silence."""
    for term_id, rec in ix.file_terms.items():
        if ix.term(term_id) is None:
            ix.report.warn(
                rec,
                "id",
                _(
                    "Not a term of Ruta's taxonomies (by id, or by taxonomy and code): kept "
                    "as published and exported back, but not added to Ruta's taxonomies."
                ),
            )
