"""Import Open Referral HSDS 3.0 data: JSON or the tabular zip, checked before it is written.

Input
  * JSON: a list of services shaped as ``compiled/service.json`` (nested organization,
    phones, schedules, service_at_locations with their location, attributes with their
    taxonomy_term, languages, service_areas, cost_options, required_documents); a Page
    envelope (``contents``); or an object with ``services``, ``organizations`` (which may
    nest ``services`` and ``locations``), ``locations``, ``taxonomies`` and
    ``taxonomy_terms`` arrays.
  * The tabular zip: the CSV files of the HSDS data package (``services.csv``,
    ``phones.csv`` ...; the singular names ``service.csv`` ... are accepted too), with
    or without ``datapackage.json``, as ``export.py`` writes them.

Both are flattened into the same tables of records, then validated as a whole: required
fields, UUID syntax, types, formats, value ranges, lengths, duplicate ids within the
file, references (organizations and locations in the file or the database, taxonomy
terms by id or by taxonomy and code), and ids the database already gives to another
service. Every error is collected with its file, line (CSV) or record number (JSON),
field and a translated reason. Nothing is written unless there is no error; then one
transaction writes everything, idempotent on HSDS ids (our UUIDs): a re-import updates,
never duplicates. Services are saved through ``actions.save_service`` so the change
history, search text and audit trail record the importing user.

What is not imported (reported as warnings): phones and schedules not tied to a
service, monthly schedules, attributes of entities other than services and phones,
service areas and regions that match no administrative area. Import never creates
taxonomies or terms (coordinators curate them); it creates organizations that are
neither in the database nor named like one there (type NGO). A service's phones,
schedules, service_at_locations, service areas and terms are replaced by the file's.

The parts, in the order they run: ``reading`` (the file into ``records``), ``checks``
(each value against ``fields``, the rules of every HSDS field, declared once),
``planner`` (``references``, ``index``, ``plan_places``, ``plan_services`` with
``service_fields`` and ``schedules``: the whole file checked, the ``plan`` built) and
``applying`` (the plan written in one transaction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ruta.hsds.importer.applying import apply_plan
from ruta.hsds.importer.planner import Planner
from ruta.hsds.importer.reading import Reader
from ruta.hsds.importer.records import Progress, Report, Result
from ruta.lib.issues import Issue

if TYPE_CHECKING:
    from ruta.accounts.models import User

__all__ = ["Issue", "Progress", "Result", "run_import"]


def run_import(
    data: bytes,
    filename: str,
    *,
    actor: User | None = None,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> Result:
    """Read, check and (unless ``dry_run`` or anything is wrong) write an HSDS file."""
    progress = progress or (lambda percent: None)
    report = Report()
    reader = Reader(report)
    reader.read(filename, data)
    progress(5)
    plan = Planner(reader.tables, report, progress, reader.broken, reader.csv_tables).build()
    counts = plan.counts() if plan is not None else {}
    valid = plan is not None and not report.errors
    if valid and not dry_run:
        assert plan is not None
        counts = apply_plan(plan, actor, progress)
    progress(100)
    return Result(
        valid=valid,
        dry_run=dry_run,
        format=reader.format,
        errors=report.errors,
        warnings=report.warnings,
        counts=counts,
    )
