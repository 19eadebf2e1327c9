"""Ruta's own taxonomies and terms have the same ids in every installation (UUID5s of
their codes), so attributes, whose ids derive from them, match as well."""

from __future__ import annotations

import csv
import importlib
import io
import uuid
import zipfile
from typing import Any

import pytest
from django.apps import apps

from ruta.directory.models import Taxonomy, TaxonomyTerm
from ruta.directory.vocabularies import taxonomy_uuid, term_uuid
from ruta.hsds.export import export_file
from ruta.hsds.tests.test_hsds_api import rich_service

REKEY = importlib.import_module("ruta.directory.migrations.0010_stable_vocabulary_ids")


def exported_ids() -> dict[str, list[str]]:
    archive, _counts = export_file()
    with zipfile.ZipFile(archive) as source:
        return {
            name: sorted(
                row["id"] for row in csv.DictReader(io.StringIO(source.read(name).decode()))
            )
            for name in ("taxonomies.csv", "taxonomy_terms.csv", "attributes.csv")
        }


@pytest.mark.django_db
def test_a_fresh_installation_gives_every_term_the_id_of_its_codes() -> None:
    terms = TaxonomyTerm.objects.select_related("taxonomy")
    assert terms.exists()
    assert all(t.uuid == term_uuid(t.taxonomy.code, t.code) for t in terms)
    assert all(t.uuid == taxonomy_uuid(t.code) for t in Taxonomy.objects.all())


@pytest.mark.django_db
def test_an_older_installation_exports_the_same_ids_once_migrated(world: Any) -> None:
    rich_service(world)
    fresh = exported_ids()
    assert fresh["taxonomy_terms.csv"] and fresh["attributes.csv"]
    # An installation migrated before the ids were stable: random ids everywhere.
    for model in (Taxonomy, TaxonomyTerm):
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(uuid=uuid.uuid4())
    assert exported_ids()["taxonomy_terms.csv"] != fresh["taxonomy_terms.csv"]

    REKEY.forwards(apps, None)

    assert exported_ids() == fresh


@pytest.mark.django_db
def test_a_term_made_by_a_coordinator_gets_the_id_of_its_codes(world: Any) -> None:
    from ruta.directory.actions import save_term

    taxonomy = Taxonomy.objects.get(code="population")
    term = TaxonomyTerm(taxonomy=taxonomy, code="new_arrivals", name_es="Recién llegadas")

    save_term(world.user("coordinator"), term)

    assert term.uuid == term_uuid("population", "new_arrivals")
