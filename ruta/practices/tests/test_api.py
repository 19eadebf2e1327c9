"""The public practices API: published only, the catalogue's filters, detail by UUID."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from ruta.practices.models import SDG, Theme
from ruta.practices.tests.factories import make_practice

pytestmark = pytest.mark.django_db
LIST = reverse("practices_api:practice-list")


@pytest.fixture
def practices(world: Any) -> dict[str, Any]:
    return {
        "one": make_practice(
            world,
            "API_ONE",
            "published",
            title_es="Atención psicológica a distancia",
            countries=["SV"],
            themes=list(Theme.objects.filter(code="digital-remote")),
            sdgs=list(SDG.objects.filter(number=5)),
            budget_amount="15000",
            budget_currency="USD",
        ),
        "two": make_practice(world, "API_TWO", "published", countries=["PE"]),
        "draft": make_practice(world, "API_DRAFT", countries=["SV"]),
    }


def _codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["results"]]


def test_list_published_only(client: Any, practices: dict[str, Any]) -> None:
    response = client.get(LIST)
    assert response.status_code == 200
    assert _codes(response) == ["API_ONE", "API_TWO"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "SV"}, ["API_ONE"]),
        ({"sdg": "5"}, ["API_ONE"]),
        ({"sdg": "3"}, ["API_TWO"]),
        ({"theme": "digital-remote"}, ["API_ONE"]),
        ({"layer": "2"}, ["API_ONE", "API_TWO"]),
        ({"gcm": "7"}, ["API_ONE", "API_TWO"]),
        ({"q": "atencion psicologica"}, ["API_ONE"]),
        ({"q": "psychosocial"}, ["API_ONE", "API_TWO"]),
    ],
)
def test_filters(
    client: Any, practices: dict[str, Any], params: dict[str, str], expected: list[str]
) -> None:
    assert _codes(client.get(LIST, params)) == expected


def test_organization_filter(client: Any, world: Any, practices: dict[str, Any]) -> None:
    assert _codes(client.get(LIST, {"organization": str(world.care.uuid)})) == [
        "API_ONE",
        "API_TWO",
    ]
    assert _codes(client.get(LIST, {"organization": str(world.hias.uuid)})) == []


def test_detail(client: Any, world: Any, practices: dict[str, Any]) -> None:
    one = practices["one"]
    data = client.get(reverse("practices_api:practice-detail", kwargs={"uuid": one.uuid})).json()
    assert data["code"] == "API_ONE"
    assert data["countries"] == ["SV"]
    assert data["sdgs"] == [5]
    assert data["themes"] == ["digital-remote"]
    assert data["budget_amount"] == "15000.00" and data["budget_currency"] == "USD"
    assert data["organizations"][0]["uuid"] == str(world.care.uuid)
    assert data["url"].endswith(one.get_absolute_url())
    assert "id" not in data and "search_text" not in data


def test_detail_of_a_draft_or_unknown_is_404(
    client: Any, world: Any, login: Any, practices: dict[str, Any]
) -> None:
    login(world.user("coordinator"))  # even for coordinators: the API is the public catalogue
    for key in (practices["draft"].uuid, uuid.uuid4()):
        assert (
            client.get(reverse("practices_api:practice-detail", kwargs={"uuid": key})).status_code
            == 404
        )


def test_documented_in_the_schema(client: Any, world: Any, login: Any) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    path = schema["paths"]["/api/v1/practices/"]["get"]
    names = {parameter["name"] for parameter in path["parameters"]}
    assert {"q", "country", "theme", "layer", "sdg", "gcm", "organization"} <= names


def test_list_query_count(client: Any, world: Any, django_assert_max_num_queries: Any) -> None:
    for index in range(8):
        make_practice(world, f"API_N{index}", "published", countries=["PE", "EC"])
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.json()["count"] == 8


def test_schema_declares_the_practices_and_network_apis_public(client: Any) -> None:
    """Anyone may call them: no token needed (one only changes what the network shows)."""
    paths = client.get(reverse("api:schema"), {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/practices/",
        "/api/v1/practices/{uuid}/",
        "/api/v1/network/networks/",
        "/api/v1/network/meetings/",
    ):
        security = paths[path]["get"]["security"]
        assert {} in security, path
        assert "403" not in paths[path]["get"]["responses"], path
    assert "security" not in paths["/api/v1/auth/token/"]["post"]
