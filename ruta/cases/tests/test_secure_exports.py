"""Case data leaves as secure exports only: the supervisor's case list and the survivor's
own record (a PDF in their language, opened with a password shown once)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases.tests.factories import (
    ADDRESS,
    ALIAS,
    CODE_WORD,
    PHONE,
    RISK_REASON,
    make_assessment,
    make_case,
    make_follow_up,
    make_incident,
    make_plan,
    make_safety_plan,
)
from ruta.exports.models import ExportStatus, SecureExport
from ruta.lib.sheets import is_formula_like

pytestmark = pytest.mark.django_db

PASSWORD_SHAPE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


def _latest(kind: str) -> SecureExport:
    return SecureExport.objects.filter(kind=kind).latest("id")


def _download(client: Any, export: SecureExport) -> Any:
    return client.get(reverse("exports:download", args=[export.uuid]))


# --- The case list --------------------------------------------------------------------------
def test_a_supervisor_exports_the_agency_cases_without_identity(client: Any, world: Any) -> None:
    supervisor = world.user("supervisor.care")
    mine = make_case(world.user("caseworker.care"), risk_level="high")
    hostile = make_case(world.user("caseworker.care"), admin1="=SUM(1)")  # admin1 holds 10
    other_agency = make_case(world.user("caseworker.hias"))
    verified_login(client, supervisor)
    answer = client.post(reverse("cases:case_list_export"), {"format": "csv"})
    assert answer.status_code == 302 and answer["Location"].endswith(reverse("exports:list"))
    export = _latest("case_list")
    assert export.status == ExportStatus.READY
    text = _download(client, export).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    codes = {row[0] for row in rows[1:]}
    assert codes == {mine.code, hostile.code} and other_agency.code not in text
    for personal in (ALIAS, PHONE, ADDRESS, CODE_WORD, RISK_REASON):
        assert personal not in text
    assert not [cell for row in rows for cell in row if is_formula_like(cell)]
    assert "'=SUM(1)" in text
    read = AuditEvent.objects.get(action="case.list_read", details__what="case_list_export")
    assert read.details["count"] == 2 and str(mine.uuid) in read.details["cases"]
    # Each download is a read of the cases in the file: the trail names them (ids only).
    downloaded = AuditEvent.objects.get(action="export.downloaded")
    assert downloaded.details["cases"] == sorted([str(mine.uuid), str(hostile.uuid)])


def test_the_case_list_as_xlsx_is_text_only(client: Any, world: Any) -> None:
    make_case(world.user("caseworker.care"), admin1="=1+1")
    verified_login(client, world.user("supervisor.care"))
    client.post(reverse("cases:case_list_export"), {"format": "xlsx"})
    content = _download(client, _latest("case_list")).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'=1+1" in {cell.value for cell in cells}


@pytest.mark.parametrize("key", ["caseworker.care", "agency_admin.care", "admin"])
def test_only_supervisors_export_the_case_list(client: Any, world: Any, key: str) -> None:
    verified_login(client, world.user(key))
    assert client.post(reverse("cases:case_list_export")).status_code in (403, 404)
    assert not SecureExport.objects.exists()


# --- The survivor's record ------------------------------------------------------------------
def _full_case(world: Any, **client: Any) -> Any:
    worker = world.user("caseworker.care")
    case = make_case(worker, risk_level="high", **client)
    make_incident(worker, case, description="Lo que ella contó del incidente")
    make_assessment(worker, case)
    make_plan(worker, case)
    make_safety_plan(worker, case)
    make_follow_up(worker, case)
    return case


def _ask_record(client: Any, case: Any, language: str = "es") -> tuple[Any, str]:
    answer = client.post(
        reverse("cases:record_export", args=[case.uuid]), {"language": language, "confirm": "on"}
    )
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    found = PASSWORD_SHAPE.search(answer.content.decode())
    assert found is not None
    return answer, found.group(0)


def _pdf_text(content: bytes, password: str) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert reader.is_encrypted
    reader.decrypt(password)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_the_record_opens_with_the_password_only(client: Any, world: Any) -> None:
    case = _full_case(world)
    verified_login(client, world.user("supervisor.care"))
    _answer, password = _ask_record(client, case)
    export = _latest("survivor_record")
    assert export.status == ExportStatus.READY
    content = _download(client, export).content
    assert content.startswith(b"%PDF")
    locked = PdfReader(io.BytesIO(content))
    assert locked.is_encrypted
    assert locked.decrypt("wrong-password").name == "NOT_DECRYPTED"
    assert ALIAS.encode() not in content and CODE_WORD.encode() not in content
    text = _pdf_text(content, password)
    assert case.code in text and ALIAS in text and "Lo que ella contó" in text
    assert "Mi expediente" in text  # in Spanish
    assert RISK_REASON not in text  # the agency's internal note stays out
    downloaded = AuditEvent.objects.get(action="export.downloaded")
    assert downloaded.details == {"kind": "survivor_record", "count": 1, "cases": [str(case.uuid)]}


def test_the_record_in_english(client: Any, world: Any) -> None:
    case = _full_case(world, languages=["en"])
    verified_login(client, world.user("supervisor.care"))
    form = client.get(reverse("cases:record_export", args=[case.uuid])).content.decode()
    assert 'value="en" id="id_language_1" required checked' in form
    _answer, password = _ask_record(client, case, "en")
    text = _pdf_text(_download(client, _latest("survivor_record")).content, password)
    assert "My record" in text and "What I told" in text


def test_the_password_is_nowhere_stored(client: Any, world: Any) -> None:
    case = _full_case(world)
    verified_login(client, world.user("supervisor.care"))
    _answer, password = _ask_record(client, case)
    event = AuditEvent.objects.get(action="case.record_exported")
    assert event.object_uuid == case.uuid and event.details == {"what": "survivor_record"}
    trail = json.dumps(list(AuditEvent.objects.values("action", "details", "user_agent")))
    assert password not in trail
    dump = "\n".join(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in dump.splitlines():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the schema)
            assert password not in repr(cursor.fetchall()), table
    export = _latest("survivor_record")
    assert export.params == ""
    # The messages shown on My exports do not carry it either.
    assert password not in client.get(reverse("exports:list")).content.decode()


@pytest.mark.parametrize("key", ["caseworker.care", "supervisor.hias", "agency_admin.care"])
def test_only_the_agency_supervisor_prepares_a_record(client: Any, world: Any, key: str) -> None:
    case = _full_case(world)
    verified_login(client, world.user(key))
    url = reverse("cases:record_export", args=[case.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"language": "es", "confirm": "on"}).status_code == 404
    assert not SecureExport.objects.exists()


def test_the_case_page_offers_the_record_to_supervisors_only(client: Any, world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    url = reverse("cases:record_export", args=[case.uuid])
    verified_login(client, world.user("supervisor.care"))
    assert url in client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    verified_login(client, world.user("caseworker.care"))
    assert url not in client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()


def test_without_the_confirmation_nothing_is_prepared(client: Any, world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    verified_login(client, world.user("supervisor.care"))
    answer = client.post(reverse("cases:record_export", args=[case.uuid]), {"language": "en"})
    assert answer.status_code == 200 and not SecureExport.objects.exists()
    assert 'value="en" id="id_language_1" required checked' in answer.content.decode()


def test_pdftotext_cannot_read_the_record_without_the_password(client: Any, world: Any) -> None:
    case = _full_case(world)
    verified_login(client, world.user("supervisor.care"))
    _ask_record(client, case)
    content = _download(client, _latest("survivor_record")).content
    run = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)  # noqa: S607
    assert ALIAS not in run.stdout.decode(errors="replace")
