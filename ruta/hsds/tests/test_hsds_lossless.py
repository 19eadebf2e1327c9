"""A lossless HSDS 3.0 round trip: a dataset that fills every field of every one of the 21
entities (``shapes/lossless/``, an LAC MHPSS service) is imported, exported as the tabular
package and as the JSON of the API, and compared cell by cell with what was imported."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from ruta.directory import actions
from ruta.directory.models import Schedule, Service, Weekday
from ruta.directory.version import directory_token
from ruta.hsds import export
from ruta.hsds.importer import run_import
from ruta.hsds.mapping import Context
from ruta.hsds.models import KeptRecord
from ruta.hsds.roundtrip import CSV_FILES, Tables, compare, read_json, read_zip
from ruta.hsds.tests.test_hsds_api import assert_valid, rich_service
from ruta.hsds.tests.test_hsds_import import english  # noqa: F401  (autouse: English)
from ruta.hsds.tests.test_hsds_import_shapes import SHAPES, tabular_zip

LOSSLESS = Path(__file__).parent / "shapes" / "lossless"
ORGANIZATION = "7a1f0000-0000-4000-8000-000000000001"
PARENT = "7a1f0000-0000-4000-8000-000000000002"
SERVICE = "7a1f0000-0000-4000-8000-0000000000c1"
LINK = "7a1f0000-0000-4000-8000-0000000000e1"


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


class Forgotten(Exception):
    """Raised to roll back a first installation: what follows runs in a fresh one."""


@pytest.mark.django_db
@pytest.mark.parametrize("shape", ["tabular", "json"])
def test_export_then_a_fresh_install_then_export_keeps_every_cell(
    world: Any, client: Any, shape: str
) -> None:
    """What Ruta exports imports into a new installation, which exports it unchanged:
    closures ("Cerrado los feriados nacionales"), uri, ids and all."""
    source = read_zip(lossless_zip())
    entities = set(CSV_FILES)
    if shape == "json":
        entities -= {"meta_table_description"}  # the API has no place for it
    exported: list[tuple[bytes, str]] = []
    with contextlib.suppress(Forgotten), transaction.atomic():
        assert run_import(lossless_zip(), "lossless.zip", dry_run=False).valid
        if shape == "tabular":
            exported.append((exported_zip(), "ruta.zip"))
        else:
            documents = [
                client.get(
                    reverse("hsds:organization", args=[org]), {"full_service": "true"}
                ).json()
                for org in (ORGANIZATION, PARENT)
            ]
            body = {
                "organizations": documents,
                "taxonomies": client.get(reverse("hsds:taxonomies")).json()["contents"],
                "taxonomy_terms": client.get(reverse("hsds:taxonomy_terms")).json()["contents"],
            }
            exported.append((json.dumps(body).encode(), "ruta.json"))
        raise Forgotten
    assert not KeptRecord.objects.exists() and not Service.objects.filter(uuid=SERVICE)
    [(data, name)] = exported

    result = run_import(data, name, dry_run=False)

    assert result.valid, result.errors
    service = Service.objects.get(uuid=SERVICE)
    assert service.holidays_note == "Cerrado los feriados nacionales"
    again = compare(source, read_zip(exported_zip()), entities)
    assert not again.differences, again.report()
    # Ruta's own taxonomies and terms came back in the file: served once, not twice.
    for route in ("hsds:taxonomies", "hsds:taxonomy_terms"):
        contents = client.get(reverse(route), {"per_page": 1000}).json()["contents"]
        assert len({item["id"] for item in contents}) == len(contents), route


@pytest.mark.django_db
def test_the_dry_run_names_only_what_ruta_cannot_store(world: Any) -> None:
    """Every HSDS field is stored: the dry run names none; a field HSDS does not define
    is named (file, line, field), not passed over in silence."""
    result = run_import(lossless_zip(), "lossless.zip", dry_run=True)
    assert result.valid, result.errors
    assert not [w for w in result.warnings if "cannot store" in w.reason]

    with zipfile.ZipFile(io.BytesIO(lossless_zip())) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    lines = files["services.csv"].splitlines()
    files["services.csv"] = "\n".join([lines[0] + ",colour", lines[1] + ",azul"]) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)

    result = run_import(buffer.getvalue(), "lossless.zip", dry_run=True)

    assert result.valid, result.errors
    [warning] = [w for w in result.warnings if "cannot store" in w.reason]
    assert (warning.file, warning.line, warning.field) == ("services.csv", 2, "colour")


@pytest.mark.django_db
def test_an_edit_in_ruta_wins_over_what_was_received(world: Any) -> None:
    """The editor changes the name and the hours: the export gives Ruta's name and hours
    (the received schedules, the service_at_location's too, no longer describe them),
    and keeps what was received and not edited (wait_time, the location's schedule)."""
    assert run_import(lossless_zip(), "lossless.zip", dry_run=False).valid
    service = Service.objects.get(uuid=SERVICE)
    before = actions.snapshot(service)
    service.name_es = "Centro de Escucha Lima Norte"

    def new_hours(saved: Service) -> None:
        saved.schedules.all().delete()
        Schedule.objects.create(
            service=saved, weekday=Weekday.MONDAY, opens_at=time(9), closes_at=time(13)
        )

    actions.save_service(world.users["coordinator"], service, before=before, save_related=new_hours)

    exported = read_zip(exported_zip())
    row = exported["service"][SERVICE]
    assert row["name"] == "Centro de Escucha Lima Norte"
    assert row["wait_time"] == "Primera entrevista en un plazo de 3 días hábiles"
    assert row["last_modified"] != "2026-11-28T15:30:00Z"  # modified since, in Ruta
    schedules = exported["schedule"]
    mine = [s for s in schedules.values() if s.get("service_id") == SERVICE]
    assert [(s["byday"], s["opens_at"][:5], s["closes_at"][:5]) for s in mine] == [
        ("MO", "09:00", "13:00")
    ]
    assert "7a1f0000-0000-4000-8000-000000000301" not in schedules
    assert "7a1f0000-0000-4000-8000-000000000303" not in schedules
    location_schedule = schedules["7a1f0000-0000-4000-8000-000000000302"]
    assert location_schedule["bymonthday"] == "1"


@pytest.mark.django_db
def test_what_was_received_is_valid_hsds_wherever_it_is_served(world: Any, client: Any) -> None:
    assert run_import(lossless_zip(), "lossless.zip", dry_run=False).valid
    service = client.get(reverse("hsds:service", args=[SERVICE])).json()
    assert_valid(service, "compiled/service.json")
    organization = client.get(
        reverse("hsds:organization", args=[ORGANIZATION]), {"full_service": "true"}
    ).json()
    assert_valid(organization, "compiled/organization.json")
    link = client.get(reverse("hsds:service_at_location", args=[LINK])).json()
    assert_valid(link, "compiled/service_at_location.json")
    # The link's own phone, schedule and contact, as received.
    assert [p["type"] for p in link["phones"]] == ["text"]
    assert [s["interval"] for s in link["schedules"]] == [2]
    assert [c["name"] for c in link["contacts"]] == ["José Ramírez"]


@pytest.mark.django_db
def test_a_second_import_replaces_what_was_kept_and_a_deleted_service_takes_it_along(
    world: Any,
) -> None:
    assert run_import(lossless_zip(), "lossless.zip", dry_run=False).valid
    kept = KeptRecord.objects.count()
    assert run_import(lossless_zip(), "lossless.zip", dry_run=False).valid
    assert KeptRecord.objects.count() == kept
    assert not compare(read_zip(lossless_zip()), read_zip(exported_zip())).differences

    service = Service.objects.get(uuid=SERVICE)
    owned = service.kept_records.count()
    assert owned > 10
    service.delete()
    assert KeptRecord.objects.count() == kept - owned
    assert not KeptRecord.objects.filter(hsds_id=SERVICE).exists()


@pytest.mark.django_db
def test_an_organization_ruta_had_keeps_its_own_fields(world: Any, client: Any) -> None:
    """The import does not update an organization Ruta already has: its name and
    description stay Ruta's in the export; what Ruta has no field for is kept."""
    with zipfile.ZipFile(io.BytesIO(lossless_zip())) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    files["organizations.csv"] = files["organizations.csv"].replace(PARENT, str(world.care.uuid))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.replace(PARENT, str(world.care.uuid)))
    result = run_import(buffer.getvalue(), "lossless.zip", dry_run=False)
    assert result.valid, result.errors

    for _time in ("first import", "second import"):
        row = read_zip(exported_zip())["organization"][str(world.care.uuid)]
        assert row["name"] == world.care.name
        assert row["tax_id"] == "20509876543"
        assert run_import(buffer.getvalue(), "lossless.zip", dry_run=False).valid


@pytest.mark.django_db
def test_ruta_own_export_holds_through_a_fresh_install(world: Any) -> None:
    """A service entered in Ruta, with its closures note, exported, imported into a new
    installation and exported again: every cell of the first export comes back."""
    first: list[bytes] = []
    with contextlib.suppress(Forgotten), transaction.atomic():
        rich_service(world, holidays_note="Cerrado los feriados nacionales")
        target = io.BytesIO()
        export.write_export(target, Context(base_url="https://ruta-a.test"))
        first.append(target.getvalue())
        raise Forgotten
    [data] = first

    assert run_import(data, "ruta-a.zip", dry_run=False).valid

    service = Service.objects.get(name_es="Apoyo psicológico")
    assert service.holidays_note == "Cerrado los feriados nacionales"
    target = io.BytesIO()
    export.write_export(target, Context(base_url="https://ruta-b.test"))
    second = read_zip(target.getvalue())
    again = compare(read_zip(data), second, set(CSV_FILES) - {"organization"})
    assert not again.differences, again.report()
    # The organizations were already in the new installation: its own uri, not the old one.
    care = second["organization"][str(world.care.uuid)]
    assert care["uri"] == f"https://ruta-b.test/api/hsds/organizations/{world.care.uuid}"


def test_the_comparison_command_lists_each_difference(tmp_path: Path) -> None:
    source = tmp_path / "source.zip"
    source.write_bytes(lossless_zip())
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps({"services": [{"id": SERVICE, "name": "Centro de Escucha Psicosocial"}]})
    )
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("compare_hsds", str(source), str(other), "--limit", "1000", stdout=out)

    lines = out.getvalue().splitlines()
    assert (
        f"service/{SERVICE}/wait_time: lost 'Primera entrevista en un plazo de 3 días hábiles'"
        in lines
    )
    assert lines[-1] == "kept 2, altered 0, lost 281"
    call_command("compare_hsds", str(source), str(source), stdout=out)
    assert out.getvalue().splitlines()[-1] == "kept 283, altered 0, lost 0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "organization_full.json",
        "organization_list.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
        "taxonomy_term_list.json",
        "tabular",
    ],
)
def test_every_published_shape_comes_back_as_it_was(world: Any, name: str) -> None:
    """The hand-written examples of each shape (``shapes/``): imported, exported, compared."""
    data = tabular_zip() if name == "tabular" else (SHAPES / name).read_bytes()
    result = run_import(data, "hsds.zip" if name == "tabular" else name, dry_run=False)
    assert result.valid, result.errors

    source = read_zip(data) if name == "tabular" else read_json(data)
    again = compare(source, read_zip(exported_zip()))
    assert again.kept and not again.differences, again.report()


@pytest.mark.django_db
def test_a_write_to_what_was_kept_moves_the_directory_version(world: Any) -> None:
    """The HSDS answers are cached per directory version: what was kept is part of them."""
    assert run_import(lossless_zip(), "lossless.zip", dry_run=False).valid
    record = KeptRecord.objects.get(
        entity="funding", hsds_id="7a1f0000-0000-4000-8000-000000000401"
    )
    before = directory_token()
    KeptRecord.objects.filter(pk=record.pk).update(data={**record.data, "source": "Otro fondo"})
    assert directory_token() != before
