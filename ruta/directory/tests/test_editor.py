"""The staff directory editor, through HTTP: who may do what, forms, history, verification."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

from ruta.audit.models import AuditEvent
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from ruta.directory.tests.factories import make_service, term
from ruta.places.models import AdminArea

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def reverse(name: str, *args: Any, **kwargs: Any) -> str:
    """English pages: the assertions read the English wording, whatever the catalogs say."""
    with translation.override("en"):
        return django_reverse(name, *args, **kwargs)


LIST = reverse("directory:service_list")
CREATE = reverse("directory:service_create")


def url(name: str, obj: Any, kwarg: str = "service_uuid") -> str:
    return reverse(f"directory:{name}", kwargs={kwarg: obj.uuid})


def html(response: Any) -> str:
    return response.content.decode()


def form_data(organization: Any, **changes: Any) -> dict[str, Any]:
    """A complete, valid service form; ``None`` removes a key (an unticked checkbox)."""
    data: dict[str, Any] = {
        "organization": str(organization.uuid),
        "name_es": "Consejería psicológica para mujeres",
        "name_en": "Psychological counselling for women",
        "description_es": "Sesiones individuales.",
        "status": "draft",
        "intake_status": "accepting",
        "intake_reason": "",
        "languages": "es, qu",
        "is_free": "on",
        "in_person": "on",
        "timezone": "America/Lima",
        "sectors": [str(term("psychosocial_support").uuid)],
        "profiles": [str(term("women").uuid)],
        "layers": [str(term("layer3").uuid)],
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "0",
        "phones-0-number": "+51 900 000 011",
        "phones-0-whatsapp": "on",
        "schedules-TOTAL_FORMS": "2",
        "schedules-INITIAL_FORMS": "0",
        "schedules-0-weekday": "1",
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "13:00",
        "schedules-1-weekday": "",
        "schedules-1-opens_at": "",
        "schedules-1-closes_at": "",
        "closures-TOTAL_FORMS": "1",
        "closures-INITIAL_FORMS": "0",
        "closures-0-date": "",
        "closures-0-reason": "",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def edit_data(service: Service, **changes: Any) -> dict[str, Any]:
    """The edit form as a browser would submit it unchanged, plus ``changes``."""
    data = form_data(
        service.organization,
        name_es=service.name_es,
        name_en=service.name_en,
        description_es=service.description_es,
        status=service.status,
        languages=", ".join(service.languages),
        sectors=[str(t.uuid) for t in service.terms.filter(taxonomy__code="sector")],
        profiles=[str(t.uuid) for t in service.terms.filter(taxonomy__code="population")],
        layers=[str(t.uuid) for t in service.terms.filter(taxonomy__code="iasc_layer")],
        **{"phones-TOTAL_FORMS": "0", "schedules-TOTAL_FORMS": "0", "closures-TOTAL_FORMS": "0"},
    )
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def counts() -> dict[str, int]:
    return {
        "services": Service.objects.count(),
        "phones": Phone.objects.count(),
        "schedules": Schedule.objects.count(),
        "changes": ServiceChange.objects.count(),
        "audit": AuditEvent.objects.exclude(action="permission.denied").count(),
        "places": ServiceAtLocation.objects.count(),
    }


def care_location(world: Any, name: str = "Sede CARE Lima") -> Location:
    return Location.objects.create(
        organization=world.care, name=name, admin1=AdminArea.objects.get(code="PE-LMA")
    )


# --- Creating ---------------------------------------------------------------------------


def test_agency_admin_creates_a_service_for_their_organization(login: Any, world: Any) -> None:
    admin = world.user("agency_admin.care")
    client = login(admin)
    place = care_location(world)
    page = client.get(CREATE)
    assert page.status_code == 200
    # Only their own organization is offered.
    assert str(world.care.uuid) in html(page)
    assert str(world.hias.uuid) not in html(page)

    data = form_data(world.care, locations=[str(place.uuid)])
    response = client.post(CREATE, data)

    service = Service.objects.get(name_es="Consejería psicológica para mujeres")
    assert response.status_code == 302
    assert response["Location"] == url("service_detail", service)
    assert service.organization == world.care
    assert service.languages == ["es", "qu"]
    assert service.timezone == "America/Lima"
    assert {t.code for t in service.terms.all()} == {"psychosocial_support", "women", "layer3"}
    assert [(p.number, p.whatsapp) for p in service.phones.all()] == [("+51 900 000 011", True)]
    assert [
        (s.weekday, f"{s.opens_at:%H:%M}-{s.closes_at:%H:%M}") for s in service.schedules.all()
    ] == [(1, "09:00-13:00")]
    assert list(service.closures.all()) == []
    assert [sal.location for sal in service.service_at_locations.all()] == [place]
    assert "consejeria psicologica" in service.search_text
    change = ServiceChange.objects.get(service=service)
    assert change.action == "created"
    assert change.actor == admin
    assert change.changes["name_es"] == [None, "Consejería psicológica para mujeres"]
    event = AuditEvent.objects.get(action="service.created")
    assert event.actor == admin
    assert event.object_uuid == service.uuid
    assert event.organization == world.care


def test_new_service_defaults_to_the_site_time_zone(login: Any, world: Any, settings: Any) -> None:
    settings.TIME_ZONE = "America/Guayaquil"
    client = login(world.user("coordinator"))
    page = html(client.get(CREATE))
    assert re.search(r'<option value="America/Guayaquil" selected>', page)


def test_agency_admin_cannot_create_for_another_organization(login: Any, world: Any) -> None:
    client = login(world.user("agency_admin.care"))
    before = counts()
    response = client.post(CREATE, form_data(world.hias))
    assert response.status_code == 400
    assert "Select a valid choice" in html(response)
    assert counts() == before


def test_locations_must_belong_to_the_services_organization(login: Any, world: Any) -> None:
    client = login(world.user("coordinator"))
    hias_place = Location.objects.create(organization=world.hias, name="Sede HIAS")
    before = counts()
    response = client.post(CREATE, form_data(world.care, locations=[str(hias_place.uuid)]))
    assert response.status_code == 400
    assert "“Sede HIAS” belongs to another organization." in html(response)
    assert counts() == before


def test_caseworker_cannot_create_and_sees_no_edit_button(login: Any, world: Any) -> None:
    service = make_service(world.care, "Grupo de apoyo")
    client = login(world.user("caseworker.care"))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(world.care)).status_code == 403
    assert client.get(url("service_edit", service)).status_code == 403
    detail = client.get(url("service_detail", service))
    assert detail.status_code == 200
    assert url("service_edit", service) not in html(detail)
    assert url("service_verify", service) not in html(detail)
    listing = client.get(LIST)
    assert "Grupo de apoyo" in html(listing)
    assert url("service_edit", service) not in html(listing)
    assert CREATE not in html(listing)


# --- Editing ----------------------------------------------------------------------------


def test_agency_admin_cannot_reach_another_organizations_service(login: Any, world: Any) -> None:
    hias_service = make_service(world.hias, "Servicio de HIAS")
    client = login(world.user("agency_admin.care"))
    before = counts()
    assert client.get(url("service_edit", hias_service)).status_code == 404
    assert (
        client.post(url("service_edit", hias_service), edit_data(hias_service)).status_code == 404
    )
    assert client.post(url("service_verify", hias_service)).status_code == 404
    assert client.post(url("service_status", hias_service), {"status": "closed"}).status_code == 404
    assert client.get(reverse("directory:service_edit", args=[uuid.uuid4()])).status_code == 404
    assert counts() == before
    # Reading a published entry of another agency is allowed, without editing tools.
    detail = client.get(url("service_detail", hias_service))
    assert detail.status_code == 200
    assert "Change history" not in html(detail)


def test_coordinator_edits_any_service_and_the_history_says_what_changed(
    login: Any, world: Any
) -> None:
    service = make_service(world.hias, "Asesoría legal", terms=("legal",), languages=["es"])
    coordinator = world.user("coordinator")
    client = login(coordinator)
    page = client.get(url("service_edit", service))
    assert page.status_code == 200
    assert 'value="Asesoría legal"' in html(page)
    assert 'value="es"' in html(page)

    response = client.post(
        url("service_edit", service),
        edit_data(service, name_es="Asesoría legal gratuita", languages="es, en"),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name_es == "Asesoría legal gratuita"
    assert service.languages == ["es", "en"]
    change = ServiceChange.objects.filter(service=service, action="updated").get()
    assert change.actor == coordinator
    assert change.changes["name_es"] == ["Asesoría legal", "Asesoría legal gratuita"]
    assert change.changes["languages"] == [["es"], ["en", "es"]]
    assert AuditEvent.objects.filter(action="service.updated", object_uuid=service.uuid).exists()

    detail = html(client.get(url("service_detail", service)))
    assert "Change history" in detail
    assert "Name (Spanish)" in detail  # a readable label, not "name_es"
    assert "Asesoría legal gratuita" in detail


def test_editing_keeps_inactive_terms_and_other_organizations_places(
    login: Any, world: Any
) -> None:
    service = make_service(world.care, "Orientación", terms=("legal", "women"))
    TaxonomyTerm.objects.filter(code="legal").update(active=False)
    elsewhere = Location.objects.create(organization=world.network, name="Casa de la red")
    ServiceAtLocation.objects.create(service=service, location=elsewhere)
    client = login(world.user("agency_admin.care"))
    page = html(client.get(url("service_edit", service)))
    assert re.search(rf'value="{term("legal").uuid}"[^>]*checked', page)  # still offered
    assert "Casa de la red" not in page  # not theirs to choose
    response = client.post(url("service_edit", service), edit_data(service, name_en="Guidance"))
    assert response.status_code == 302
    assert {t.code for t in service.terms.all()} == {"legal", "women"}
    assert [sal.location for sal in service.service_at_locations.all()] == [elsewhere]


def test_rows_can_be_changed_and_removed(login: Any, world: Any) -> None:
    service = make_service(world.care, "Línea", phones=(("+51 900 000 001", False),))
    phone = service.phones.get()
    client = login(world.user("agency_admin.care"))
    data = edit_data(
        service,
        **{
            "phones-TOTAL_FORMS": "2",
            "phones-INITIAL_FORMS": "1",
            "phones-0-id": str(phone.pk),
            "phones-0-number": "+51 900 000 001",
            "phones-0-DELETE": "on",
            "phones-1-number": "0800 00 011",
            "phones-1-free_line": "on",
            "closures-TOTAL_FORMS": "1",
            "closures-0-date": "2026-12-25",
            "closures-0-reason": "Navidad",
        },
    )
    assert client.post(url("service_edit", service), data).status_code == 302
    assert [(p.number, p.free_line) for p in service.phones.all()] == [("0800 00 011", True)]
    assert [(str(c.date), c.reason) for c in service.closures.all()] == [("2026-12-25", "Navidad")]


# --- Service areas ----------------------------------------------------------------------


def area_box(page: str, code: str) -> str:
    """The service-area checkbox of ``code`` in ``page`` (fails when it is not offered)."""
    match = re.search(rf'<input type="checkbox" name="service_areas" value="{code}"[^>]*>', page)
    assert match, code
    return match.group(0)


def test_editor_sets_service_areas_and_the_history_records_them(login: Any, world: Any) -> None:
    service = make_service(world.care, "Línea de apoyo")
    admin = world.user("agency_admin.care")
    client = login(admin)
    page = html(client.get(url("service_edit", service)))
    # The organization works in Peru: Peru's regions are offered, without JavaScript.
    assert "Areas it reaches" in page
    assert 'id="id_service_areas_PE-TUM"' in area_box(page, "PE-TUM")
    assert 'for="id_service_areas_PE-TUM"' in page
    assert 'name="service_areas" value="EC-P"' not in page
    assert "checked" not in area_box(page, "PE-TUM")

    response = client.post(
        url("service_edit", service), edit_data(service, service_areas=["PE-TUM", "PE-PIU"])
    )
    assert response.status_code == 302
    assert sorted(service.service_areas.values_list("area__code", flat=True)) == [
        "PE-PIU",
        "PE-TUM",
    ]
    change = ServiceChange.objects.get(service=service, action="updated")
    assert change.actor == admin
    assert change.changes == {"service_areas": [[], ["PE-PIU", "PE-TUM"]]}
    event = AuditEvent.objects.get(action="service.updated", object_uuid=service.uuid)
    assert event.details == {"fields": ["service_areas"]}
    assert "tumbes" in Service.objects.get(pk=service.pk).search_text

    page = html(client.get(url("service_edit", service)))
    assert "checked" in area_box(page, "PE-TUM")
    assert "checked" not in area_box(page, "PE-LMA")
    detail = html(client.get(url("service_detail", service)))
    assert "Piura, Tumbes (Peru)" in detail  # on the page and named in the history
    assert "Areas it reaches" in detail

    # Unticking one keeps the other row (and its HSDS id).
    kept = service.service_areas.get(area__code="PE-TUM").uuid
    client.post(url("service_edit", service), edit_data(service, service_areas=["PE-TUM"]))
    assert [(a.area.code, a.uuid) for a in service.service_areas.all()] == [("PE-TUM", kept)]
    latest = ServiceChange.objects.filter(service=service).first()
    assert latest is not None
    assert latest.changes == {"service_areas": [["PE-PIU", "PE-TUM"], ["PE-TUM"]]}


def test_a_whole_country_and_districts(login: Any, world: Any) -> None:
    tumbes = AdminArea.objects.get(code="PE-TUM")
    zarumilla = AdminArea.objects.create(
        code="PE2401",
        country="PE",
        level=2,
        parent=tumbes,
        name_es="Zarumilla",
        name_en="Zarumilla",
    )
    client = login(world.user("coordinator"))
    page = html(client.get(CREATE))
    assert "1 district of Tumbes" in page
    assert 'id="id_service_areas_PE2401"' in area_box(page, "PE2401")
    assert 'name="whole_countries" value="PE"' in page

    data = form_data(world.care, by_phone="on", in_person=None, whole_countries=["PE"])
    data["service_areas"] = ["PE2401"]
    assert client.post(CREATE, data).status_code == 302
    service = Service.objects.get(name_es=data["name_es"])
    regions = set(AdminArea.objects.filter(country="PE", level=1).values_list("pk", flat=True))
    assert set(service.service_areas.values_list("area_id", flat=True)) == regions | {zarumilla.pk}
    detail = html(client.get(url("service_detail", service)))
    assert "Peru (every region)" in detail


def test_service_areas_outside_the_offered_countries_are_refused(login: Any, world: Any) -> None:
    service = make_service(world.care, "Línea")
    client = login(world.user("agency_admin.care"))
    before = counts()
    response = client.post(
        url("service_edit", service), edit_data(service, service_areas=["EC-P", "PE-TUM"])
    )
    assert response.status_code == 400
    page = html(response)
    assert "Select a valid choice. EC-P is not one of the available choices." in page
    assert 'href="#id_service_areas"' in page
    assert "checked" in area_box(page, "PE-TUM")  # what was ticked stays ticked
    assert counts() == before
    assert not service.service_areas.exists()


def test_history_records_closures_and_free_lines(login: Any, world: Any) -> None:
    service = make_service(world.care, "Línea", phones=(("0800 00 011", False),))
    phone = service.phones.get()
    client = login(world.user("agency_admin.care"))
    data = edit_data(
        service,
        **{
            "phones-TOTAL_FORMS": "1",
            "phones-INITIAL_FORMS": "1",
            "phones-0-id": str(phone.pk),
            "phones-0-number": "0800 00 011",
            "phones-0-whatsapp": None,
            "phones-0-free_line": "on",
            "closures-TOTAL_FORMS": "1",
            "closures-0-date": "2026-12-25",
            "closures-0-reason": "Navidad",
        },
    )
    assert client.post(url("service_edit", service), data).status_code == 302
    change = ServiceChange.objects.get(service=service, action="updated")
    assert change.changes == {
        "phones": [["0800 00 011"], ["0800 00 011 (free line)"]],
        "closures": [[], ["2026-12-25 Navidad"]],
    }
    detail = html(client.get(url("service_detail", service)))
    assert "Closed on these days" in detail
    assert "2026-12-25 Navidad" in detail
    with translation.override("es"):
        spanish = django_reverse("directory:service_detail", kwargs={"service_uuid": service.uuid})
    assert "0800 00 011 (línea gratuita)" in html(client.get(spanish))


# --- Invalid input ----------------------------------------------------------------------

INVALID = {
    "fee_missing": (
        {"is_free": None, "fee_detail": ""},
        "Describe the fees of a service that is not free.",
    ),
    "documents_missing": (
        {"documents_required": "on", "required_documents": ""},
        "Say which documents are required.",
    ),
    "no_modality": ({"in_person": None}, "Choose at least one way the service is delivered."),
    "ages_reversed": (
        {"minimum_age": "18", "maximum_age": "12"},
        "The maximum age must not be below the minimum age.",
    ),
    "hours_reversed": (
        {"schedules-0-opens_at": "17:00", "schedules-0-closes_at": "09:00"},
        "The closing time (09:00) must be after the opening time (17:00).",
    ),
    "bad_language": ({"languages": "es, xx, spanish"}, "Unknown language codes: xx, spanish."),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_input_saves_nothing_and_keeps_what_was_typed(
    login: Any, world: Any, case: str
) -> None:
    changes, message = INVALID[case]
    client = login(world.user("agency_admin.care"))
    before = counts()
    data = form_data(world.care, name_es="Servicio con un error", **changes)
    response = client.post(CREATE, data)
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert "Nothing was saved" in page
    assert 'class="error-summary"' in page
    # Every typed value is still there.
    assert 'value="Servicio con un error"' in page
    assert 'value="+51 900 000 011"' in page
    assert "Sesiones individuales." in page
    assert re.search(rf'value="{term("women").uuid}"[^>]*checked', page)
    if "languages" in changes:
        assert f'value="{changes["languages"]}"' in page
    if "schedules-0-opens_at" in changes:
        assert 'value="17:00"' in page
        assert 'href="#id_schedules-0-closes_at"' in page
    assert counts() == before


def test_invalid_edit_changes_nothing(login: Any, world: Any) -> None:
    service = make_service(world.care, "Servicio estable", hours=())
    client = login(world.user("coordinator"))
    before = counts()
    data = edit_data(service, name_es="Nombre nuevo", is_free=None, fee_detail="")
    response = client.post(url("service_edit", service), data)
    assert response.status_code == 400
    service.refresh_from_db()
    assert service.name_es == "Servicio estable"
    assert service.is_free is True
    assert counts() == before


# --- Verification and status ------------------------------------------------------------


def test_verify_sets_date_and_person_and_clears_the_stale_badge(login: Any, world: Any) -> None:
    service = make_service(world.care, "Servicio por verificar")
    admin = world.user("agency_admin.care")
    client = login(admin)
    assert "Never verified" in html(client.get(url("service_detail", service)))
    assert "Never verified" in html(client.get(LIST))

    response = client.post(url("service_verify", service))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.last_verified_by == admin
    assert timezone.now() - service.last_verified_at < timedelta(minutes=1)
    assert not service.is_stale()
    assert ServiceChange.objects.filter(service=service, action="verified").exists()
    detail = html(client.get(url("service_detail", service), follow=True))
    assert "Never verified" not in detail
    assert "ed-badge ed-stale" not in detail
    assert f"by {admin}" in detail
    assert "ed-badge ed-stale" not in html(client.get(LIST))


def test_old_verification_is_stale(login: Any, world: Any, settings: Any) -> None:
    settings.RUTA_VERIFY_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    service = make_service(world.care, "Verificado hace tiempo", last_verified_at=old)
    client = login(world.user("caseworker.care"))
    page = html(client.get(url("service_detail", service)))
    assert "Needs verification" in page
    settings.RUTA_VERIFY_DAYS = 60
    assert "Needs verification" not in html(client.get(url("service_detail", service)))


def test_status_change_is_audited(login: Any, world: Any) -> None:
    service = make_service(world.care, "Servicio activo")
    admin = world.user("agency_admin.care")
    client = login(admin)
    response = client.post(url("service_status", service), {"status": "suspended"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == "suspended"
    event = AuditEvent.objects.get(action="service.status_changed")
    assert event.actor == admin
    assert event.details == {"fields": ["status"]}
    change = ServiceChange.objects.get(service=service, action="status_changed")
    assert change.changes == {"status": ["active", "suspended"]}
    detail = html(client.get(url("service_detail", service)))
    assert "Status changed" in detail
    assert "Active" in detail and "Suspended" in detail

    refused = client.post(url("service_status", service), {"status": "deleted"}, follow=True)
    assert "Unknown status." in html(refused)
    service.refresh_from_db()
    assert service.status == "suspended"


def test_change_history_is_for_editors_only(login: Any, world: Any, client: Any) -> None:
    service = make_service(world.care, "Servicio con historia", actor=world.user("coordinator"))
    for key, sees in (
        ("agency_admin.care", True),
        ("coordinator", True),
        ("admin", True),
        ("caseworker.care", False),
        ("supervisor.care", False),
        ("agency_admin.hias", False),
        ("analyst", False),
    ):
        login(world.user(key))
        page = html(client.get(url("service_detail", service)))
        assert ("Change history" in page) is sees, key
        assert ("Confirm it is still accurate" in page) is sees, key
        client.logout()


# --- Visibility -------------------------------------------------------------------------


def test_other_agencies_drafts_are_invisible(login: Any, world: Any, client: Any) -> None:
    draft = make_service(world.hias, "Borrador de HIAS", status="draft")
    make_service(world.care, "Borrador de CARE", status="draft")
    make_service(world.hias, "Publicado de HIAS")
    for key in ("caseworker.care", "agency_admin.care"):
        login(world.user(key))
        page = html(client.get(LIST))
        assert "Publicado de HIAS" in page
        assert "Borrador de CARE" in page
        assert "Borrador de HIAS" not in page
        assert client.get(url("service_detail", draft)).status_code == 404
        client.logout()
    login(world.user("coordinator"))
    assert "Borrador de HIAS" in html(client.get(LIST))
    assert client.get(url("service_detail", draft)).status_code == 200


def test_anonymous_is_sent_to_login(client: Any, world: Any) -> None:
    service = make_service(world.care, "Servicio")
    for target in (LIST, url("service_detail", service), CREATE):
        response = client.get(target)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


# --- The list ---------------------------------------------------------------------------


def test_list_filters_and_badges(login: Any, world: Any) -> None:
    fresh = timezone.now() - timedelta(days=3)
    make_service(world.care, "Atención psicológica", last_verified_at=fresh)
    make_service(world.care, "Asesoría legal")
    make_service(world.hias, "Apoyo psicosocial", status="suspended", last_verified_at=fresh)
    make_service(world.care, "Ejemplo", illustrative=True, last_verified_at=fresh)
    client = login(world.user("coordinator"))

    def names(**params: Any) -> list[str]:
        response = client.get(LIST, params)
        assert response.status_code == 200
        return [row["service"].name_es for row in response.context["rows"]]

    assert names(q="PSICOLOGICA") == ["Atención psicológica"]
    assert names(organization=str(world.hias.uuid)) == ["Apoyo psicosocial"]
    assert names(status="suspended") == ["Apoyo psicosocial"]
    assert names(stale="on") == ["Asesoría legal"]
    assert names(status="nonsense") == [  # a bad filter is ignored, not an error
        "Apoyo psicosocial",
        "Asesoría legal",
        "Atención psicológica",
        "Ejemplo",
    ]
    page = html(client.get(LIST))
    assert "ed-badge ed-status-suspended" in page
    assert "ed-badge ed-demo" in page
    assert page.count("ed-badge ed-stale") == 1


def test_agency_admin_is_told_how_many_entries_need_verification(login: Any, world: Any) -> None:
    fresh = timezone.now() - timedelta(days=3)
    make_service(world.care, "Uno")
    make_service(world.care, "Dos", status="draft")
    make_service(world.care, "Tres", last_verified_at=fresh)
    make_service(world.care, "Cerrado", status="closed")
    make_service(world.hias, "De HIAS")
    page = html(login(world.user("agency_admin.care")).get(LIST))
    assert "2 of your organization's services need verification." in page
    assert f"?stale=1&amp;organization={world.care.uuid}" in page


def test_coordinator_gets_no_agency_notice(login: Any, world: Any) -> None:
    make_service(world.care, "Uno")
    page = html(login(world.user("coordinator")).get(LIST))
    assert "need verification." not in page and "needs verification." not in page


def test_list_query_count_is_fixed(
    login: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(world.user("agency_admin.care"))
    for number in range(3):
        make_service(world.care, f"Servicio {number}", terms=("legal",), area="PE-LMA")
    with django_assert_max_num_queries(11) as captured:
        client.get(LIST)
    few = len(captured)
    for number in range(3, 25):
        make_service(world.hias, f"Servicio {number}", terms=("women",), area="PE-TUM")
    with django_assert_max_num_queries(few):
        response = client.get(LIST, {"q": "servicio"})
    assert len(response.context["rows"]) == 25


def test_detail_query_count_is_fixed(
    login: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    service = make_service(
        world.care,
        "Servicio completo",
        terms=("legal", "women", "layer2"),
        area="PE-LMA",
        phones=(("+51 900 000 001", True), ("+51 900 000 002", False)),
        actor=world.user("coordinator"),
    )
    for code in ("PE-TUM", "PE-PIU"):
        ServiceArea.objects.create(service=service, area=AdminArea.objects.get(code=code))
    client = login(world.user("agency_admin.care"))
    for _ in range(5):
        client.post(url("service_verify", service))
    with django_assert_max_num_queries(16):
        response = client.get(url("service_detail", service))
    assert len(response.context["history"]) == 6


# --- Locations --------------------------------------------------------------------------

LOCATION_CREATE = reverse("directory:location_create")


def location_data(organization: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "organization": str(organization.uuid),
        "name": "Centro comunitario",
        "address": "Av. Ejemplo 123",
        "city": "Lima",
        "country": "PE",
        "admin1": "PE-LMA",
        "admin2": "",
        "latitude": "-12,0464",
        "longitude": "-77.0428",
        "accessibility": "Rampa en la entrada",
        "transportation": "",
    }
    data.update(changes)
    return data


def test_agency_admin_creates_a_location(login: Any, world: Any) -> None:
    admin = world.user("agency_admin.care")
    client = login(admin)
    with translation.override("es"):
        spanish = django_reverse("directory:location_create")
    assert "Perú" in html(client.get(spanish))  # country names in the page's language
    page = html(client.get(LOCATION_CREATE))
    assert "Peru" in page
    assert 'value="PE-LMA"' in page and 'value="EC-P"' not in page  # regions of the country
    assert 'name="postal_code"' in page
    response = client.post(LOCATION_CREATE, location_data(world.care, postal_code="15001"))
    assert response.status_code == 302
    location = Location.objects.get(name="Centro comunitario")
    assert location.organization == world.care and location.postal_code == "15001"
    assert location.admin1 == AdminArea.objects.get(code="PE-LMA")
    assert (location.latitude, location.longitude) == (-12.0464, -77.0428)
    event = AuditEvent.objects.get(action="location.created")
    assert event.actor == admin and event.object_uuid == location.uuid


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"admin1": "EC-P"}, "is not in Peru. Choose a region of Peru."),
        ({"admin1": ""}, "Choose the region or province."),
        ({"latitude": "-95"}, "A latitude is between -90 and 90 degrees."),
        ({"longitude": "200"}, "A longitude is between -180 and 180 degrees."),
        ({"longitude": ""}, "Give both latitude and longitude, or neither."),
        ({"latitude": "doce"}, "Type the latitude as a decimal number"),
    ],
)
def test_location_validation(login: Any, world: Any, changes: Any, message: str) -> None:
    client = login(world.user("coordinator"))
    response = client.post(LOCATION_CREATE, location_data(world.care, **changes))
    assert response.status_code == 400
    assert message in html(response)
    assert 'value="Av. Ejemplo 123"' in html(response)
    assert not Location.objects.filter(name="Centro comunitario").exists()


def test_district_must_belong_to_the_region(login: Any, world: Any) -> None:
    lima = AdminArea.objects.get(code="PE-LMA")
    miraflores = AdminArea.objects.create(
        code="PE150122",
        country="PE",
        level=2,
        name_es="Miraflores",
        name_en="Miraflores",
        parent=lima,
    )
    client = login(world.user("coordinator"))
    wrong = client.post(
        LOCATION_CREATE, location_data(world.care, admin1="PE-TUM", admin2=miraflores.code)
    )
    assert wrong.status_code == 400
    assert "This district is not in the chosen region." in html(wrong)
    right = client.post(LOCATION_CREATE, location_data(world.care, admin2=miraflores.code))
    assert right.status_code == 302
    assert Location.objects.get(name="Centro comunitario").admin2 == miraflores
    options = client.get(reverse("directory:area_options"), {"admin1": "PE-LMA"})
    assert 'value="PE150122"' in html(options)


def test_area_options_for_a_country(login: Any, world: Any) -> None:
    client = login(world.user("caseworker.care"))
    response = client.get(reverse("directory:area_options"), {"country": "EC"})
    assert response.status_code == 200
    assert 'value="EC-P"' in html(response) and 'value="PE-LMA"' not in html(response)
    assert 'hx-swap-oob="innerHTML"' in html(response)


def test_location_edit_is_scoped_and_audited(login: Any, world: Any) -> None:
    mine = care_location(world)
    theirs = Location.objects.create(organization=world.hias, name="Sede HIAS")
    service = make_service(world.care, "Servicio en sede")
    ServiceAtLocation.objects.create(service=service, location=mine)
    client = login(world.user("agency_admin.care"))
    assert client.get(url("location_edit", theirs, "location_uuid")).status_code == 404
    assert client.post(url("location_edit", theirs, "location_uuid"), {}).status_code == 404
    page = client.get(url("location_edit", mine, "location_uuid"))
    assert 'value="Sede CARE Lima"' in html(page)
    response = client.post(
        url("location_edit", mine, "location_uuid"),
        location_data(world.care, name="Sede Tumbes", admin1="PE-TUM", city="Tumbes"),
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="location.updated")
    assert {"name", "admin1", "city"} <= set(event.details["fields"])
    service.refresh_from_db()
    assert "tumbes" in service.search_text
    listing = html(client.get(reverse("directory:location_list")))
    assert url("location_edit", mine, "location_uuid") in listing
    assert url("location_edit", theirs, "location_uuid") not in listing


def test_caseworker_cannot_create_locations(login: Any, world: Any) -> None:
    client = login(world.user("caseworker.care"))
    assert client.get(LOCATION_CREATE).status_code == 403
    assert client.get(reverse("directory:location_list")).status_code == 200


# --- Taxonomies -------------------------------------------------------------------------


def test_everyone_reads_the_taxonomies_coordinators_edit_them(
    login: Any, world: Any, client: Any
) -> None:
    login(world.user("caseworker.care"))
    page = html(client.get(reverse("directory:taxonomy_list")))
    assert "Psychosocial support" in page and "Women" in page
    assert "/terminos/" not in page
    legal = term("legal")
    assert client.get(url("term_edit", legal, "term_uuid")).status_code == 403
    client.logout()
    login(world.user("agency_admin.care"))
    assert client.get(url("term_edit", legal, "term_uuid")).status_code == 403
    client.logout()
    login(world.user("coordinator"))
    assert url("term_edit", legal, "term_uuid") in html(
        client.get(reverse("directory:taxonomy_list"))
    )


def test_coordinator_adds_renames_and_deactivates_a_term(login: Any, world: Any) -> None:
    coordinator = world.user("coordinator")
    client = login(coordinator)
    sector = term("legal").taxonomy
    create = url("term_create", sector, "taxonomy_uuid")
    data = {
        "code": "mhpss_remote",
        "name_es": "Apoyo psicosocial a distancia",
        "name_en": "Remote psychosocial support",
        "position": "30",
        "active": "on",
    }
    assert client.post(create, data).status_code == 302
    added = TaxonomyTerm.objects.get(code="mhpss_remote")
    assert added.taxonomy == sector
    assert AuditEvent.objects.filter(action="taxonomy_term.created", actor=coordinator).exists()
    # Offered in the service form at once.
    assert "Remote psychosocial support" in html(client.get(CREATE))

    service = make_service(world.care, "Servicio remoto", terms=("mhpss_remote",))
    edit = url("term_edit", added, "term_uuid")
    renamed = {
        **data,
        "code": "remote",
        "name_en": "Psychosocial support at a distance",
        "active": "",
    }
    response = client.post(edit, {k: v for k, v in renamed.items() if v})
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.code == "mhpss_remote"  # the code of a term in use cannot change
    assert added.name_en == "Psychosocial support at a distance"
    assert added.active is False
    event = AuditEvent.objects.get(action="taxonomy_term.updated")
    assert event.details["fields"] == ["active", "name_en"]
    service.refresh_from_db()
    assert "psychosocial support at a distance" in service.search_text
    assert str(added.uuid) not in html(client.get(CREATE))  # inactive: no longer offered


def test_term_code_changes_while_unused_and_must_be_unique(login: Any, world: Any) -> None:
    client = login(world.user("coordinator"))
    food = term("food")
    data = {"code": "legal", "name_es": "Alimentos", "name_en": "Food", "position": "3"}
    clash = client.post(url("term_edit", food, "term_uuid"), data)
    assert clash.status_code == 400
    assert "Another term of this taxonomy has this code." in html(clash)
    ok = client.post(url("term_edit", food, "term_uuid"), {**data, "code": "food_aid"})
    assert ok.status_code == 302
    food.refresh_from_db()
    assert food.code == "food_aid"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


def test_pages_carry_no_inline_code_for_the_csp(login: Any, world: Any) -> None:
    service = make_service(world.care, "Servicio", area="PE-LMA", actor=world.user("coordinator"))
    location = service.service_at_locations.get().location
    client = login(world.user("coordinator"))
    pages = [
        LIST,
        CREATE,
        url("service_detail", service),
        url("service_edit", service),
        reverse("directory:location_list"),
        LOCATION_CREATE,
        url("location_edit", location, "location_uuid"),
        reverse("directory:taxonomy_list"),
        url("term_edit", term("legal"), "term_uuid"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = html(response)
        assert not INLINE_SCRIPT.search(body), page
        assert not INLINE_STYLE.search(body), page
