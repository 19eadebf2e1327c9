"""A lossless HSDS 3.0 round trip: a dataset that fills every field of every one of the 21
entities (``shapes/lossless/``, an LAC MHPSS service) is imported, exported as the tabular
package and as the JSON of the API, and compared cell by cell with what was imported."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ruta.hsds import export
from ruta.hsds.importer import run_import
from ruta.hsds.mapping import Context
from ruta.hsds.roundtrip import CSV_FILES, Tables, compare, read_json, read_zip
from ruta.hsds.tests.test_hsds_import import english  # noqa: F401  (autouse: English)

LOSSLESS = Path(__file__).parent / "shapes" / "lossless"
ORGANIZATION = "7a1f0000-0000-4000-8000-000000000001"
PARENT = "7a1f0000-0000-4000-8000-000000000002"
SERVICE = "7a1f0000-0000-4000-8000-0000000000c1"


def lossless_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(LOSSLESS.glob("*.csv")):
            archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def exported_zip() -> bytes:
    target = io.BytesIO()
    export.write_export(target, Context())
    return target.getvalue()


def exported_json(client: Any) -> Tables:
    documents = [
        client.get(reverse("hsds:organization", args=[org]), {"full_service": "true"}).json()
        for org in (ORGANIZATION, PARENT)
    ]
    documents.append({"taxonomies": client.get(reverse("hsds:taxonomies")).json()["contents"]})
    documents.append(
        {"taxonomy_terms": client.get(reverse("hsds:taxonomy_terms")).json()["contents"]}
    )
    return read_json(*documents)


def test_the_dataset_fills_every_field_of_every_entity() -> None:
    source = read_zip(lossless_zip())
    assert set(source) == set(CSV_FILES)
    for entity, name in CSV_FILES.items():
        header = (LOSSLESS / name).read_text(encoding="utf-8").splitlines()[0].split(",")
        filled = {key for row in source[entity].values() for key, value in row.items() if value}
        assert filled == set(header), entity


@pytest.mark.django_db
def test_import_then_export_keeps_every_cell(world: Any, client: Any) -> None:
    source = read_zip(lossless_zip())
    result = run_import(
        lossless_zip(), "lossless.zip", actor=world.users["coordinator"], dry_run=False
    )
    assert result.valid, result.errors

    tabular = compare(source, read_zip(exported_zip()))
    assert not tabular.differences, tabular.report()
    # The JSON API has no place for the package's table descriptions.
    entities = set(CSV_FILES) - {"meta_table_description"}
    api = compare(source, exported_json(client), entities)
    assert not api.differences, api.report()
