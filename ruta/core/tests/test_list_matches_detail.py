"""An API list never shows more than the detail of the same object shows to the same user.

The transfer list once kept a transfer's reason after the consent was withdrawn while the
detail hid it. Here every list endpoint of the API is read by every user over the access
world; each item is then fetched through its detail endpoint, which must answer (an item
one may list is an item one may open), and every field the two share must hold the same
value: the list and the detail make one decision about what a user sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from ruta.core.tests.test_access_fuzz import API_LISTS, Fuzz

pytestmark = pytest.mark.django_db

# The detail route's arguments (each named after the item's field that gives it), where it
# is not the item's uuid.
DETAIL_KEY = {
    "directory_api:admin-area-detail": ("code",),
    "network_api:network-detail": ("slug",),
    "indicators_api:indicator-detail": ("framework", "code"),
}
PAGES_READ = 2
# Reference data, the same for everybody (100 areas and 30 terms read, 19 indicators):
# every item is compared for one user, the first few for the others.
REFERENCE_LISTS = frozenset(
    {
        "directory_api:admin-area-list",
        "directory_api:taxonomy-term-list",
        "indicators_api:indicator-list",
    }
)
REFERENCE_ITEMS_PER_USER = 10


@pytest.fixture
def fuzz(world: Any) -> Iterator[Fuzz]:
    yield Fuzz(world)


def _items(client: Any, url: str) -> Iterator[dict[str, Any]]:
    for _page in range(PAGES_READ):
        response = client.get(url)
        if response.status_code in (403, 404):
            return  # a role that may not list these at all (the access table pins which)
        assert response.status_code == 200, (url, response.status_code)
        body = response.json()
        if isinstance(body, list):
            yield from body
            return
        yield from body.get("results", body.get("contents", []))
        url = body.get("next")
        if not url:
            return


def _differences(listed: Any, detailed: Any, path: str = "") -> list[str]:
    """Fields in both where the list shows something the detail does not (lists of objects
    are compared by their ids; a list that shows less than the detail is fine)."""
    if isinstance(listed, dict) and isinstance(detailed, dict):
        found: list[str] = []
        for key in listed.keys() & detailed.keys():
            found += _differences(listed[key], detailed[key], f"{path}.{key}")
        return found
    if isinstance(listed, list) and isinstance(detailed, list):
        ids = [item.get("uuid") for item in listed if isinstance(item, dict)]
        if ids and all(ids):
            detailed_ids = {item.get("uuid") for item in detailed if isinstance(item, dict)}
            extra = [item for item in ids if item not in detailed_ids]
            return [f"{path}: listed {extra} not in the detail"] if extra else []
    if listed in (None, "", [], {}):
        return []  # the list may withhold what the detail shows, never the reverse
    return [] if listed == detailed else [f"{path}: list {listed!r} != detail {detailed!r}"]


def test_every_list_item_is_what_its_detail_shows(fuzz: Fuzz) -> None:
    problems: list[str] = []
    compared = 0
    for name in API_LISTS:
        detail_name = name.replace("-list", "-detail")
        fields = DETAIL_KEY.get(detail_name, ("uuid",))
        for number, user_key in enumerate(sorted(fuzz.world.users)):
            client = fuzz.client(user_key)
            items = list(_items(client, reverse(name)))
            if name in REFERENCE_LISTS and number:
                items = items[:REFERENCE_ITEMS_PER_USER]
            for item in items:
                url = reverse(detail_name, kwargs={field: item[field] for field in fields})
                response = client.get(url)
                if response.status_code != 200:
                    problems.append(f"{user_key}: {name} lists {url}, which answers {response}")
                    continue
                compared += 1
                problems += [
                    f"{user_key}: {name} vs {url}: {difference}"
                    for difference in _differences(item, response.json())
                ]
    assert compared > 200
    assert not problems, "\n".join(problems[:40])
