"""Gazetteer import: level-2 areas with P-codes, checked as a whole, idempotent on P-codes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.directory.actions import refresh_search_text
from ruta.places import gazetteer
from ruta.places.models import AdminArea

pytestmark = pytest.mark.usefixtures("english")

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "gazetteer_sample.csv"
HEADER = "country,admin1,pcode,name_es,name_en,latitude,longitude\n"
GOOD = HEADER + (
    "PE,PE-TUM,PE240302,Aguas Verdes,,-3.481,-80.245\n"
    "PE,pe-tum,PE240301,Zarumilla,Zarumilla,,\n"
    "EC,EC-O,EC0707,Huaquillas,Huaquillas,-3.476,-80.231\n"
)


def run(tmp_path: Path, text: str | bytes, *args: str, name: str = "areas.csv") -> str:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    out = io.StringIO()
    call_command("import_gazetteer", str(path), *args, stdout=out)
    return out.getvalue()


def rejected(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "bad.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_gazetteer", str(path), stdout=out)
    return out.getvalue()


def districts() -> list[tuple[str, str, str, str, float | None]]:
    return [
        (a.code, a.pcode, a.parent.code if a.parent else "", a.name_en, a.latitude)
        for a in AdminArea.objects.filter(level=2).select_related("parent").order_by("code")
    ]


# --- Importing --------------------------------------------------------------------------


def test_good_file_creates_then_reimport_updates_without_duplicates(
    db: Any, tmp_path: Path
) -> None:
    output = run(tmp_path, GOOD)
    assert "Areas created: 3" in output
    assert districts() == [
        ("EC0707", "EC0707", "EC-O", "Huaquillas", -3.476),
        ("PE240301", "PE240301", "PE-TUM", "Zarumilla", None),
        ("PE240302", "PE240302", "PE-TUM", "Aguas Verdes", -3.481),
    ]
    assert AuditEvent.objects.filter(action="directory.gazetteer_imported").count() == 1

    again = run(tmp_path, GOOD)
    assert "Areas created: 0" in again
    assert "Rows already up to date: 3" in again

    renamed = GOOD.replace("Aguas Verdes,,", "Aguas Verdes,Green Waters,").replace(
        "Zarumilla,Zarumilla,,", "Zarumilla,Zarumilla,-3.502,-80.275"
    )
    output = run(tmp_path, renamed)
    assert "Areas updated: 2" in output
    assert districts() == [
        ("EC0707", "EC0707", "EC-O", "Huaquillas", -3.476),
        ("PE240301", "PE240301", "PE-TUM", "Zarumilla", -3.502),
        ("PE240302", "PE240302", "PE-TUM", "Green Waters", -3.481),
    ]


def test_dry_run_writes_nothing(db: Any, tmp_path: Path) -> None:
    output = run(tmp_path, GOOD, "--dry-run")
    assert "Areas to create: 3" in output
    assert "Dry run: nothing was written" in output
    assert districts() == []


def test_an_area_stored_under_another_code_is_updated_by_its_pcode(db: Any, tmp_path: Path) -> None:
    tumbes = AdminArea.objects.get(code="PE-TUM")
    AdminArea.objects.create(
        code="PE-TUM-AV", pcode="PE240302", country="PE", level=2, parent=tumbes, name_es="AV"
    )
    run(tmp_path, GOOD)
    assert AdminArea.objects.filter(pcode="PE240302").count() == 1
    assert AdminArea.objects.get(pcode="PE240302").name_es == "Aguas Verdes"


def test_sample_file_codes_regions_and_names_them_by_pcode(db: Any) -> None:
    out = io.StringIO()
    call_command("import_gazetteer", str(SAMPLE), stdout=out)
    assert "Areas created: 10" in out.getvalue()
    assert "Regions given a P-code, names or a point: 5" in out.getvalue()
    assert AdminArea.objects.get(code="PE-TUM").pcode == "PE24"
    assert AdminArea.objects.get(code="PE-TUM").name_es == "Tumbes"  # names left as they were
    carmen = AdminArea.objects.get(pcode="PE070103")
    assert (carmen.parent.code, carmen.name_es) == ("PE-CAL", "Carmen de la Legua Reynoso")  # type: ignore[union-attr]
    assert AdminArea.objects.get(pcode="EC0401").name_es == "Tulcán"
    # Again: nothing new, nothing changed.
    out = io.StringIO()
    call_command("import_gazetteer", str(SAMPLE), stdout=out)
    assert "Rows already up to date: 15" in out.getvalue()
    assert AdminArea.objects.filter(level=2).count() == 10


def test_bom_semicolons_upper_case_headers_and_decimal_commas(db: Any, tmp_path: Path) -> None:
    text = (
        "COUNTRY;Admin1;CODE;Name_ES;LATITUDE;LONGITUDE\r\n"
        "PE;PE-LMA;PE150122;Miraflores;-12,121;-77,030\r\n"
    )
    run(tmp_path, "\ufeff" + text)
    miraflores = AdminArea.objects.get(code="PE150122")
    assert (miraflores.name_es, miraflores.name_en) == ("Miraflores", "Miraflores")
    assert (miraflores.latitude, miraflores.longitude) == (-12.121, -77.03)


def test_cod_ab_headers_and_hxl_row(db: Any, tmp_path: Path) -> None:
    AdminArea.objects.filter(code="EC-C").update(pcode="EC04")
    text = (
        "ADM2_ES,ADM2_PCODE,ADM1_ES,ADM1_PCODE,ADM0_ES,ADM0_PCODE\n"
        "#adm2+name,#adm2+code,#adm1+name,#adm1+code,#country+name,#country+code\n"
        "Tulcán,EC0401,Carchi,EC04,Ecuador,EC\n"
    )
    run(tmp_path, text)
    tulcan = AdminArea.objects.get(code="EC0401")
    assert (tulcan.parent.code, tulcan.name_es) == ("EC-C", "Tulcán")  # type: ignore[union-attr]


# --- Rejecting --------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    db: Any, tmp_path: Path
) -> None:
    tumbes = AdminArea.objects.get(code="PE-TUM")
    AdminArea.objects.create(
        code="PE240101", pcode="PE240101", country="PE", level=2, parent=tumbes, name_es="Tumbes"
    )
    text = HEADER + (
        "PE,PE-TUM,PE240302,Aguas Verdes,,,\n"  # 2: valid, but not written
        "PE,PE-TUM,PE240303,,,,\n"  # 3: no Spanish name
        "PE,PE-TUM,,Papayal,,,\n"  # 4: no P-code
        "PE,PE-XXX,PE240304,Papayal,,,\n"  # 5: unknown region
        "EC,PE-TUM,EC0707,Huaquillas,,,\n"  # 6: region of another country
        "PE,PE-TUM,PE240305,Corrales,,-95,-80.4\n"  # 7: latitude out of range
        "PE,PE-TUM,PE240306,La Cruz,,-3.6,\n"  # 8: latitude without longitude
        "PE,PE-TUM,PE240302,Aguas Verdes,,,\n"  # 9: P-code already on line 2
        "XX,PE-TUM,PE240307,Matapalo,,,\n"  # 10: no such country
        "PE,PE-TUM,PE-LMA,Lima,,,\n"  # 11: the code of a region
        "PE,PE-LMA,PE240101,Tumbes,,,\n"  # 12: stored under Tumbes, cannot move
        "PE,PE-TUM,PE240308,Papayal,,abc,-80\n"  # 13: not a number
    )
    output = rejected(tmp_path, text)
    expected = [
        "bad.csv:3 name_es: The Spanish name is missing.",
        "bad.csv:4 pcode: The P-code is missing.",
        "bad.csv:5 admin1: No region has the code or P-code PE-XXX.",
        "bad.csv:6 country: The region PE-TUM is in PE, not in EC.",
        "bad.csv:7 latitude: “-95” is not a number between -90 and 90.",
        "bad.csv:8 longitude: Give both the latitude and the longitude, or neither.",
        "bad.csv:9 pcode: The P-code PE240302 is already on line 2.",
        "bad.csv:10 country: “XX” is not an ISO 3166-1 alpha-2 country code",
        "bad.csv:11 pcode: The code PE-LMA is already used by",
        "bad.csv:12 pcode: The P-code PE240101 is already an area of PE-TUM",
        "bad.csv:13 latitude: “abc” is not a number",
    ]
    for line in expected:
        assert f"ERROR {line}" in output, line
    assert output.count("ERROR") == len(expected)
    lines = [int(line.split(":")[1].split()[0]) for line in output.splitlines() if "ERROR" in line]
    assert lines == sorted(lines)
    assert AdminArea.objects.filter(level=2).count() == 1


def test_header_without_required_columns_is_rejected(db: Any, tmp_path: Path) -> None:
    output = rejected(tmp_path, "country,pcode\nPE,PE240101\n")
    assert "bad.csv:1 admin1: The column “admin1” is missing." in output
    assert "bad.csv:1 name_es: The column “name_es” is missing." in output


def test_a_file_that_is_not_utf8_names_the_line(db: Any, tmp_path: Path) -> None:
    data = (HEADER + "PE,PE-TUM,PE240101,Tumbes,,,\nPE,PE-TUM,PE240102,Caña,,,\n").encode("latin-1")
    output = rejected(tmp_path, data)
    assert "bad.csv:3 : The file is not UTF-8 text." in output
    assert districts() == []


def test_level_one_rows_check_the_region_and_the_pcode(db: Any, tmp_path: Path) -> None:
    AdminArea.objects.filter(code="PE-TAC").update(pcode="PE23")
    text = (
        "level,country,admin1,pcode,name_es\n"
        "1,PE,PE-TUM,PE23,\n"  # 2: the P-code of Tacna
        "1,PE,PE-XYZ,PE99,\n"  # 3: no such region
        "3,PE,PE-TUM,PE98,\n"  # 4: no such level
        "2,PE,PE24,PE240101,Tumbes\n"  # 5: PE24 is nobody's P-code
    )
    output = rejected(tmp_path, text)
    assert "bad.csv:2 pcode: The code PE23 is already used by" in output
    assert "bad.csv:3 admin1: No region has the ISO 3166-2 code PE-XYZ." in output
    assert "bad.csv:4 level: The level must be 1 or 2" in output
    assert "bad.csv:5 admin1: No region has the code or P-code PE24." in output
    assert not AdminArea.objects.filter(pcode="PE24").exists()


def test_command_refuses_a_missing_file(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_gazetteer", str(tmp_path / "nothing.csv"))


# --- Upload page ------------------------------------------------------------------------


def upload(client: Any, text: str, name: str = "areas.csv") -> Any:
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("gazetteer:upload"), {"file": file})


def test_coordinator_checks_then_confirms(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    page = client.get(reverse("gazetteer:upload"))
    assert page.status_code == 200
    assert "Import a gazetteer" in page.content.decode()

    response = upload(client, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("gazetteer:review")
    review = client.get(reverse("gazetteer:review"))
    body = review.content.decode()
    assert "The file is valid. Nothing has been written yet." in body
    assert "Areas to create" in body
    assert "Import for real" in body
    assert districts() == []

    confirm = client.post(
        reverse("gazetteer:confirm"), {"fingerprint": review.context["fingerprint"]}
    )
    assert confirm.status_code == 302
    assert confirm["Location"] == reverse("gazetteer:upload")
    assert [code for code, *_rest in districts()] == ["EC0707", "PE240301", "PE240302"]
    event = AuditEvent.objects.get(action="directory.gazetteer_imported")
    assert event.actor == world.user("coordinator")
    # The upload is gone from the session: confirming again writes nothing more.
    again = client.post(reverse("gazetteer:confirm"), {"fingerprint": "x"})
    assert again["Location"] == reverse("gazetteer:upload")
    assert client.get(reverse("gazetteer:review"))["Location"] == reverse("gazetteer:upload")


def test_review_lists_every_error_and_offers_no_import(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    upload(client, HEADER + "PE,PE-XXX,PE240101,Tumbes,,,\nPE,PE-TUM,PE240102,,,,\n")
    review = client.get(reverse("gazetteer:review"))
    body = review.content.decode()
    assert "rejected because of 2 errors" in body
    assert "No region has the code or P-code PE-XXX." in body
    assert "The Spanish name is missing." in body
    assert [issue.line for issue in review.context["result"].errors] == [2, 3]
    assert "Import for real" not in body
    confirm = client.post(
        reverse("gazetteer:confirm"), {"fingerprint": review.context["fingerprint"]}
    )
    # The rejected file is not kept in the session: upload it again once fixed.
    assert confirm["Location"] == reverse("gazetteer:upload")
    assert "directory_gazetteer_upload" not in client.session
    assert districts() == []


def test_a_long_error_list_shows_the_first_two_hundred(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    rows = "".join(f"PE,PE-XXX,PE9{n:05d},Distrito {n},,,\n" for n in range(250))
    upload(client, HEADER + rows)
    review = client.get(reverse("gazetteer:review"))
    assert review.context["result"].error_total == 250
    body = review.content.decode()
    assert "The first 200 of 250 errors" in body
    assert body.count("No region has the code or P-code PE-XXX.") == 200


def test_renaming_a_district_refreshes_what_services_are_found_by(client: Any, world: Any) -> None:
    from ruta.directory.models import ServiceArea
    from ruta.directory.tests.factories import make_service

    gazetteer.run_import(GOOD.encode(), "g.csv", dry_run=False)
    district = AdminArea.objects.filter(level=2).order_by("code").first()
    assert district is not None
    service = make_service(world.care, "Brigada itinerante")
    ServiceArea.objects.create(service=service, area=district)
    refresh_search_text(service)
    renamed = GOOD.replace(district.name_es, "Nombre Nuevo Distrito")
    assert renamed != GOOD
    assert gazetteer.run_import(renamed.encode(), "g.csv", dry_run=False).valid
    service.refresh_from_db()
    assert "nombre nuevo distrito" in service.search_text


def test_confirm_refuses_a_file_other_than_the_one_checked(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    upload(client, GOOD)
    response = client.post(reverse("gazetteer:confirm"), {"fingerprint": "0" * 64})
    assert response["Location"] == reverse("gazetteer:upload")
    assert districts() == []


def test_upload_form_refuses_other_files(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    response = upload(client, GOOD, name="areas.xlsx")
    assert response.status_code == 200
    assert "Choose a .csv file." in response.content.decode()


@pytest.mark.parametrize("name", ["upload", "review", "confirm"])
def test_caseworker_is_refused(client: Any, world: Any, name: str) -> None:
    verified_login(client, world.user("caseworker.care"))
    url = reverse(f"gazetteer:{name}")
    response = client.post(url) if name == "confirm" else client.get(url)
    assert response.status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert districts() == []


@pytest.mark.parametrize("name", ["upload", "review", "confirm"])
def test_anonymous_is_sent_to_login(client: Any, db: Any, name: str) -> None:
    url = reverse(f"gazetteer:{name}")
    response = client.post(url) if name == "confirm" else client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
