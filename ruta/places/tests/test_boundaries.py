"""Area outlines from GeoJSON: checked as a whole, stored simplified, audited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.places import boundaries
from ruta.places.boundaries import douglas_peucker, simplify
from ruta.places.models import AdminArea, Boundary

pytestmark = pytest.mark.usefixtures("english")

SQUARE = [[-81.0, -4.0], [-80.0, -4.0], [-80.0, -3.0], [-81.0, -3.0], [-81.0, -4.0]]


def feature(code: Any, coordinates: Any = None, kind: str = "Polygon", **props: Any) -> Any:
    return {
        "type": "Feature",
        "properties": {"code": code, **props} if code is not None else props,
        "geometry": {"type": kind, "coordinates": coordinates or [SQUARE]},
    }


def collection(*features: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_douglas_peucker_keeps_corners_and_drops_points_on_a_line() -> None:
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (2.0, 1.0), (2.0, 2.0)]
    assert douglas_peucker(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)]
    # Above the tolerance, the bump stays.
    assert (1.0, 0.001) in douglas_peucker(line, 0.0005)


def test_simplify_a_known_polygon_rounds_and_drops_what_collapses() -> None:
    # A square with a point in the middle of each side and a tiny island.
    square = [
        (0.0, 0.0),
        (0.5, 0.00001),
        (1.0, 0.0),
        (1.0, 0.5),
        (1.0, 1.0),
        (0.5, 1.0),
        (0.0, 1.0),
        (0.0, 0.5),
        (0.0, 0.0),
    ]
    island = [(5.0, 5.0), (5.001, 5.0), (5.001, 5.001), (5.0, 5.0)]
    assert simplify([[square], [island]]) == [
        [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]
    ]
    # An area smaller than the tolerance keeps its outline rather than vanish.
    assert simplify([[island]]) == [[[(5.0, 5.0), (5.001, 5.0), (5.001, 5.001), (5.0, 5.0)]]]


def test_good_file_is_stored_simplified_by_iso_code_or_pcode_and_audited(world: Any) -> None:
    AdminArea.objects.filter(code="PE-TUM").update(pcode="PE24")
    dense = [[-79.0 + i / 1000, -5.0] for i in range(1000)] + [[-78.0, -4.0], [-79.0, -5.0]]
    data = collection(
        feature("pe-tum"),
        feature(None, [[dense]], "MultiPolygon", ADM1_PCODE="PE24x"),
        feature(None, ADM1_PCODE="EC-O"),
    )
    data = data.replace(b'"PE24x"', b'"EC-L"')
    checked = boundaries.run_import(data, "b.geojson", dry_run=True)
    assert checked.valid and not Boundary.objects.exists()
    assert checked.counts["regions"] == 3 and checked.counts["points_read"] == 1012
    done = boundaries.run_import(data, "b.geojson", dry_run=False, actor=world.user("coordinator"))
    assert done.valid
    stored = {b.area.code: b for b in Boundary.objects.select_related("area")}
    assert set(stored) == {"PE-TUM", "EC-O", "EC-L"}
    assert stored["PE-TUM"].geometry == {
        "type": "MultiPolygon",
        "coordinates": [
            [[[-81.0, -4.0], [-80.0, -4.0], [-80.0, -3.0], [-81.0, -3.0], [-81.0, -4.0]]]
        ],
    }
    assert stored["EC-L"].points == 4  # the thousand points on one line become one edge
    event = AuditEvent.objects.get(action="places.boundaries_imported")
    assert event.details["areas"] == ["EC-L", "EC-O", "PE-TUM"]
    assert event.details["regions"] == 3
    # By the property the coordinator names; importing again replaces, never duplicates.
    again = boundaries.run_import(
        collection(feature("x", my_code="PE-TUM")),
        "b.geojson",
        code_property="my_code",
        dry_run=False,
    )
    assert again.valid and Boundary.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "line", "where", "reason"),
    [
        (b'{"type": "FeatureCollection",\n "features": [}', 2, "", "not valid JSON"),
        (b'{"type": "Feature"}', 0, "type", "not a GeoJSON FeatureCollection"),
        (collection(), 0, "features", "no features"),
        (collection(feature("PE-TUM"), feature("PE-XXX")), 2, "properties.code", "PE-XXX"),
        (collection(feature(None, name="Tumbes")), 1, "properties", "No property gives"),
        (collection(feature("PE-TUM", [-80, -3], "Point")), 1, "geometry.type", "a Point"),
        (collection(feature("PE-TUM", [SQUARE[:3]])), 1, "geometry.coordinates", "4 positions"),
        (collection(feature("PE-TUM", [[*SQUARE[:4], [0, 0]]])), 1, "geometry.coordinates", ""),
        (collection(feature("PE-TUM", [[[-200, 0]] * 4])), 1, "geometry.coordinates", ""),
        (collection(feature("PE-TUM", [[["a", 0]] * 4])), 1, "geometry.coordinates", ""),
        (collection(feature("PE-TUM"), feature("pe-tum")), 2, "properties.code", "feature 1"),
        (b"\xff\xfe", 0, "", "not UTF-8"),
    ],
)
def test_a_bad_file_is_rejected_whole_with_its_feature_number(
    world: Any, data: bytes, line: int, where: str, reason: str
) -> None:
    result = boundaries.run_import(data, "b.geojson", dry_run=False)
    assert not result.valid
    assert not Boundary.objects.exists()  # the good features of the file are not written
    assert not AuditEvent.objects.filter(action="places.boundaries_imported").exists()
    issue = result.errors[0]
    assert (issue.line, issue.field) == (line, where)
    assert reason in issue.reason


def test_too_big_or_too_many_points(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(boundaries, "MAX_FILE_MB", 0)
    assert (
        "larger than 0 MB"
        in boundaries.run_import(collection(feature("PE-TUM")), "b").errors[0].reason
    )
    monkeypatch.setattr(boundaries, "MAX_FILE_MB", 5)
    monkeypatch.setattr(boundaries, "MAX_POINTS", 4)
    result = boundaries.run_import(collection(feature("PE-TUM")), "b", dry_run=False)
    assert "5 points; at most 4" in result.errors[0].reason
    assert not Boundary.objects.exists()


def upload(client: Any, data: bytes, **fields: Any) -> Any:
    file = SimpleUploadedFile("regions.geojson", data, content_type="application/geo+json")
    return client.post(reverse("gazetteer:boundaries"), {"file": file, **fields})


def test_coordinator_checks_then_imports(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    assert "Import area outlines" in client.get(reverse("gazetteer:boundaries")).content.decode()
    checked = upload(client, collection(feature("PE-TUM")), check_only="on")
    assert "The file is valid. Nothing has been written yet" in checked.content.decode()
    assert not Boundary.objects.exists()
    rejected = upload(client, collection(feature("PE-TUM"), feature("PE-XXX")))
    body = rejected.content.decode()
    assert "rejected because of 1 error" in body and "PE-XXX" in body
    assert not Boundary.objects.exists()
    done = upload(client, collection(feature("PE-TUM")))
    assert done.status_code == 302 and done["Location"] == reverse("gazetteer:boundaries")
    assert Boundary.objects.get().area.code == "PE-TUM"
    listed = client.get(reverse("gazetteer:boundaries")).content.decode()
    assert "PE-TUM" in listed
    wrong = upload(client, b"x,y", check_only="on")
    assert "Choose a .geojson or .json file." not in wrong.content.decode()  # name is fine
    named = client.post(
        reverse("gazetteer:boundaries"),
        {"file": SimpleUploadedFile("regions.csv", b"x"), "check_only": "on"},
    )
    assert "Choose a .geojson or .json file." in named.content.decode()
