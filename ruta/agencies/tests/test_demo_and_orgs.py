"""Demo data, and organizations: who may list, create and edit them, without N+1 queries."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import make_user, verified_login
from ruta.accounts.models import User
from ruta.agencies.demo import DEMO_ORGANIZATIONS
from ruta.agencies.models import Organization, OrganizationType
from ruta.audit.actions import record
from ruta.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# The demo accounts documented in the README and `make run` (issue 3, section 8).
DEMO_ACCOUNTS = {
    "admin@ruta.example.org": ("admin", "GTRM"),
    "coordinacion@ruta.example.org": ("coordinator", "GTRM"),
    "analista@ruta.example.org": ("analyst", "GTRM"),
    "admin.care@ruta.example.org": ("agency_admin", "CARE"),
    "supervision.care@ruta.example.org": ("supervisor", "CARE"),
    "gestion.care@ruta.example.org": ("caseworker", "CARE"),
    "linea.care@ruta.example.org": ("helpline", "CARE"),
    "admin.hias@ruta.example.org": ("agency_admin", "HIAS"),
    "supervision.hias@ruta.example.org": ("supervisor", "HIAS"),
    "gestion.hias@ruta.example.org": ("caseworker", "HIAS"),
    "linea.hias@ruta.example.org": ("helpline", "HIAS"),
}
DEMO_PASSWORD = "demo-ruta-2026"
# The 2024 active members of the GTRM Peru MHPSS community of practice (seeds 000/001).
SEED_MEMBERS = {
    "GTRM Perú — Grupo de Trabajo para Refugiados y Migrantes",
    "ACNUR Perú",
    "CCEFIRO",
    "Centro de Atención Psicosocial",
    "HIAS Perú",
    "Libremente / bienestar psicosocial",
    "Veneactiva",
    "Aldeas Infantiles SOS Perú",
    "CARE Perú",
    "Humanity & Inclusion",
    "International Rescue Committee",
    "ADRA Perú",
    "Demuna de Carmen de la Legua Reynoso - Callao",
    "Caritas Chiclayo",
    "Encuentros Servicio Jesuita a Migrantes",
}


def _load_demo() -> None:
    call_command("load_demo", stdout=io.StringIO())


def test_load_demo_leaves_a_real_account_with_a_demo_address_alone(world: Any) -> None:
    real = make_user("gestion.care@ruta.example.org", "supervisor", world.care)
    _load_demo()
    real.refresh_from_db()
    assert not real.is_demo
    assert real.role == "supervisor"
    assert real.check_password(DEMO_PASSWORD) is False


@pytest.mark.usefixtures("loaded_demo")
class TestOneLoadedDemo:
    """Tests that share one load of the demo (conftest.loaded_demo), each in its own savepoint."""

    def test_load_demo_twice_creates_everything_once(self) -> None:
        _load_demo()  # once more
        names = set(Organization.objects.values_list("name", flat=True))
        assert names >= SEED_MEMBERS
        # The second run neither failed nor added anything beyond the demo list (the 15
        # members plus the organizations the directory's demo services belong to), the five
        # unnamed members of the community-of-practice demo and the trainings demo's ministry.
        from ruta.network.demo import ILLUSTRATIVE_MEMBERS, ILLUSTRATIVE_PREFIX
        from ruta.trainings.demo import MINSAL

        extra = {f"{ILLUSTRATIVE_PREFIX} {n}" for n in range(1, ILLUSTRATIVE_MEMBERS + 1)}
        assert names == {name for name, *_rest in DEMO_ORGANIZATIONS} | extra | {MINSAL[0]}
        assert User.objects.count() == len(DEMO_ACCOUNTS) == 11
        accounts = {
            user.email: (user.role, user.organization.acronym)
            for user in User.objects.select_related("organization")
        }
        assert accounts == DEMO_ACCOUNTS
        assert all(User.objects.values_list("is_demo", flat=True))

    def test_demo_organizations_are_the_2024_members_with_websites(self) -> None:
        members = Organization.objects.filter(name__in=SEED_MEMBERS)
        assert members.count() == 15
        # Every member has its website, except the municipal office, which has none.
        without_website = set(members.filter(website="").values_list("name", flat=True))
        assert without_website == {"Demuna de Carmen de la Legua Reynoso - Callao"}
        assert all(
            site.startswith("https://")
            for site in members.values_list("website", flat=True)
            if site
        )
        websites = dict(members.values_list("name", "website"))
        assert websites["CARE Perú"] == "https://www.care.org.pe"
        assert websites["ACNUR Perú"] == "https://www.acnur.org/pais/peru"
        assert Organization.objects.get(name="Veneactiva").type == OrganizationType.COMMUNITY_LED
        assert all(countries == ["PE"] for countries in members.values_list("countries", flat=True))

    def test_demo_users_log_in_by_web_and_token_in_demo_mode(self, settings: Any) -> None:
        settings.RUTA_DEMO = True
        settings.RUTA_REQUIRE_2FA = False
        client = Client()
        response = client.post(
            reverse("accounts:login"),
            {"username": "gestion.care@ruta.example.org", "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302
        assert client.get(reverse("core:dashboard")).status_code == 200
        token = client.post(
            reverse("api:token"),
            json.dumps({"email": "admin@ruta.example.org", "password": DEMO_PASSWORD}),
            content_type="application/json",
        )
        assert token.status_code == 200

    def test_remove_demo_leaves_no_demo_account(self) -> None:
        kept = User.objects.get(email="admin.care@ruta.example.org")
        record("auth.login", actor=kept)  # history protects the row: it is anonymised instead
        history = AuditEvent.objects.filter(actor=kept).count()  # the demo's work, this login
        call_command("remove_demo", stdout=io.StringIO())
        assert not User.objects.filter(is_demo=True).exists()
        assert not User.objects.filter(email__endswith="@ruta.example.org").exists()
        kept.refresh_from_db()
        assert not kept.is_active
        assert not kept.has_usable_password()
        assert AuditEvent.objects.filter(actor=kept).count() == history  # the trail stays


# --- Organizations ------------------------------------------------------------

CREATE = reverse("agencies:organization_create")


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Red Comunitaria Tumbes",
        "acronym": "RCT",
        "type": OrganizationType.COMMUNITY_LED,
        "countries": ["PE", "EC"],
        "website": "https://rct.example.org",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_an_organization(client: Any, world: Any) -> None:
    coordinator = world.user("coordinator")
    verified_login(client, coordinator)
    response = client.post(CREATE, _form())
    organization = Organization.objects.get(name="Red Comunitaria Tumbes")
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:organization_detail", args=[organization.uuid])
    assert organization.countries == ["PE", "EC"]
    assert organization.website == "https://rct.example.org"
    event = AuditEvent.objects.get(action="organization.created")
    assert event.actor == coordinator
    assert event.object_uuid == organization.uuid
    assert event.organization == organization


def test_coordinator_edits_an_organization(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    url = reverse("agencies:organization_edit", args=[world.hias.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(name="HIAS Perú", acronym="HIAS", website="https://hias.pe"))
    assert response.status_code == 302
    world.hias.refresh_from_db()
    assert world.hias.website == "https://hias.pe"
    assert world.hias.countries == ["PE", "EC"]
    event = AuditEvent.objects.get(action="organization.updated")
    assert event.object_uuid == world.hias.uuid
    assert "website" in event.details["fields"]
    assert "name" not in event.details["fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("countries", ["PE", "XX"]), ("website", "not a web address"), ("name", "")],
)
def test_invalid_organization_keeps_what_was_typed(
    client: Any, world: Any, field: str, value: Any
) -> None:
    verified_login(client, world.user("coordinator"))
    response = client.post(CREATE, _form(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'id="id_{field}_error"' in html
    if field != "name":
        assert 'value="Red Comunitaria Tumbes"' in html
    assert 'value="RCT"' in html
    assert not Organization.objects.filter(acronym="RCT").exists()
    assert not AuditEvent.objects.filter(action="organization.created").exists()


def test_duplicate_organization_name_is_refused(client: Any, world: Any) -> None:
    verified_login(client, world.user("coordinator"))
    response = client.post(CREATE, _form(name="CARE Perú"))
    assert response.status_code == 200
    assert Organization.objects.filter(name="CARE Perú").count() == 1


@pytest.mark.parametrize("key", ["caseworker.care", "agency_admin.care", "analyst"])
def test_other_roles_cannot_create_or_edit(client: Any, world: Any, key: str) -> None:
    verified_login(client, world.user(key))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _form()).status_code == 403
    edit = reverse("agencies:organization_edit", args=[world.care.uuid])
    assert client.post(edit, _form(name="Hacked")).status_code == 403
    assert not Organization.objects.filter(name__in=["Red Comunitaria Tumbes", "Hacked"]).exists()


def test_inactive_organizations_are_hidden_from_non_managers(client: Any, world: Any) -> None:
    world.outsider_org.active = False
    world.outsider_org.save()
    detail = reverse("agencies:organization_detail", args=[world.outsider_org.uuid])
    listing = reverse("agencies:organization_list")

    verified_login(client, world.user("caseworker.care"))
    assert "Otra ONG" not in client.get(listing).content.decode()
    assert "CARE Perú" in client.get(listing).content.decode()
    assert client.get(detail).status_code == 404

    verified_login(client, world.user("coordinator"))
    assert "Otra ONG" in client.get(listing).content.decode()
    assert client.get(detail).status_code == 200


def test_organization_list_filters_and_keeps_the_filter_across_pages(
    client: Any, world: Any
) -> None:
    Organization.objects.bulk_create(
        Organization(name=f"Red Local {n:02d}", acronym=f"RL{n:02d}", type="ngo") for n in range(55)
    )
    verified_login(client, world.user("analyst"))
    listing = reverse("agencies:organization_list")
    first = client.get(listing, {"q": "red local"}).content.decode()
    assert "Red Local 00" in first
    assert "CARE Perú" not in first
    next_link = re.search(r'<a href="\?([^"]*)" rel="next">', first)
    assert next_link is not None
    assert "q=red+local" in next_link.group(1)  # the next page keeps the search
    second = client.get(listing, {"q": "red local", "page": 2}).content.decode()
    assert "Red Local 54" in second
    assert "CARE Perú" not in second
    by_type = client.get(listing, {"type": OrganizationType.UN_AGENCY}).content.decode()
    assert "GTRM" in by_type
    assert "CARE Perú" not in by_type


def _crowd(count: int = 30) -> None:
    for n in range(count):
        organization = Organization.objects.create(
            name=f"Agencia {n:02d}", acronym=f"A{n:02d}", type=OrganizationType.NGO
        )
        make_user(f"persona{n:02d}@test.org", "caseworker", organization)


@pytest.mark.parametrize(
    ("url_name", "key"),
    [
        ("agencies:organization_list", "coordinator"),
        ("agencies:organization_list", "caseworker.care"),
        ("accounts:user_list", "admin"),
        ("accounts:user_list", "agency_admin.care"),
    ],
)
def test_list_pages_have_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_max_num_queries: Any, url_name: str, key: str
) -> None:
    _crowd()
    verified_login(client, world.user(key))
    url = reverse(url_name)
    assert client.get(url).status_code == 200  # marks the session as seen
    # Session, user, OTP device, count, page (and the user list's role grants, pending
    # and recent, in one query): the same with 4 or 34 organizations.
    with django_assert_max_num_queries(7 if url_name == "accounts:user_list" else 6):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    if url_name == "accounts:user_list" and key == "admin":
        assert all(f"persona{n:02d}@test.org" in html for n in range(30))
    if url_name == "agencies:organization_list":
        assert all(f"Agencia {n:02d}" in html for n in range(30))
