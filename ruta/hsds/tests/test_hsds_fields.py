"""The HSDS field declarations the importer is driven by stay consistent with the models."""

from __future__ import annotations

from ruta.agencies.models import Organization
from ruta.directory.models import Location, Service
from ruta.hsds.importer.fields import SPECS, TABLES, TABULAR_FILES

COPIED_TO = {"organization": Organization, "service": Service, "location": Location}


def test_every_copied_value_goes_to_a_field_of_its_model() -> None:
    for table, specs in SPECS.items():
        targets = {spec.to for spec in specs.values() if spec.to}
        if not targets:
            continue
        model = COPIED_TO[table]
        assert targets <= {field.name for field in model._meta.get_fields()}, table


def test_every_reference_points_into_a_table_the_importer_reads() -> None:
    for specs in SPECS.values():
        for name, spec in specs.items():
            if spec.points_to:
                assert spec.kind == "uuid", name
                assert spec.points_to in TABLES, name


def test_every_table_has_rules_and_a_file_name() -> None:
    assert set(SPECS) == set(TABLES) == set(TABULAR_FILES)
