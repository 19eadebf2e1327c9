"""Training figures: people trained by organization, country and sex; per course."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from ruta.network.models import Network
from ruta.trainings.figures import training_summary
from ruta.trainings.tests.factories import enrol, make_course, make_person, mark, passed_enrolment

# The assertions read the English messages (the msgids), whatever the catalogs hold.
pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.dates]


@pytest.fixture
def network(db: Any) -> Network:
    return Network.objects.create(name="Red SMAPS MIRPS", slug="red-smaps-mirps")


@pytest.fixture
def trained(world: Any, network: Network) -> dict[str, Any]:
    """Two courses of the network in 2025 and one of another period; people in several."""
    coordinator = world.user("coordinator")
    first = make_course(coordinator, title="Curso A", network=network, sessions=2)
    second = make_course(
        coordinator,
        title="Curso B",
        network=network,
        sessions=1,
        starts_on=dt.date(2025, 6, 1),
        ends_on=None,
    )
    old = make_course(
        coordinator,
        title="Curso viejo",
        network=network,
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 2, 1),
    )
    ana = make_person("Ana", organization=world.care, sex="female", country="PE")
    luis = make_person("Luis", organization=world.hias, sex="male", country="EC")
    rosa = make_person("Rosa", organization_name="Alcaldía", sex="female", country="SV")
    eva = make_person("Eva", organization=world.care, sex="female", country="PE")
    passed_enrolment(coordinator, first, ana)
    passed_enrolment(coordinator, second, ana)  # counted once
    passed_enrolment(coordinator, first, luis)
    passed_enrolment(coordinator, second, rosa)
    mark(coordinator, enrol(coordinator, first, eva), modules=1, sessions=2)  # not passed
    passed_enrolment(coordinator, old, eva)  # outside the period
    return {"first": first, "second": second}


def test_training_summary_for_a_network_and_period(trained: Any, network: Network) -> None:
    summary = training_summary(network, dt.date(2025, 1, 1), dt.date(2025, 12, 31))

    assert summary["people_trained"] == 3
    assert [
        (c["title"], c["sessions"], c["enrolled"], c["completed"]) for c in summary["courses"]
    ] == [("Curso A", 2, 3, 2), ("Curso B", 1, 2, 2)]
    assert summary["by_organization"] == [("Alcaldía", 1), ("CARE Perú", 1), ("HIAS Perú", 1)]
    assert summary["by_country"] == [("Ecuador", 1), ("El Salvador", 1), ("Peru", 1)]
    assert summary["by_sex"] == [("Female", 2), ("Male", 1)]


def test_period_overlap_and_other_networks(trained: Any, network: Network) -> None:
    only_old = training_summary(network, dt.date(2023, 1, 15), dt.date(2023, 1, 20))
    assert [c["title"] for c in only_old["courses"]] == ["Curso viejo"]
    assert only_old["people_trained"] == 1

    june = training_summary(network, dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    assert [c["title"] for c in june["courses"]] == ["Curso B"]

    other = Network.objects.create(name="Otra red", slug="otra-red")
    empty = training_summary(other, None, None)
    assert empty == {
        "courses": [],
        "people_trained": 0,
        "by_organization": [],
        "by_country": [],
        "by_sex": [],
    }


def test_figures_page_and_api(login: Any, world: Any, trained: Any) -> None:
    client = login(world.user("analyst"))
    page = client.get(reverse("trainings:figures"), {"network": "red-smaps-mirps"})
    assert page.status_code == 200
    assert page.context["figures"].people_trained == 4

    api = client.get(
        reverse("trainings_api:figures"),
        {"network": "red-smaps-mirps", "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert api.status_code == 200
    assert api.json()["people_trained"] == 3
    assert [pair["count"] for pair in api.json()["by_sex"]] == [2, 1]

    invalid = client.get(reverse("trainings_api:figures"), {"start": "not a date"})
    assert invalid.status_code == 400
    assert invalid.json()["message"] and "start" in invalid.json()["errors"]

    caseworker = login(world.user("caseworker.care"))
    assert caseworker.get(reverse("trainings_api:figures")).status_code == 403
