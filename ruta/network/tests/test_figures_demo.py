"""The key figures computed from the demo records equal those of seeds 000/001."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from ruta.network.demo import (
    MEETINGS,
    NETWORK_SLUG,
    SEED_FIGURES,
    SEED_PERIOD,
    load_network_demo,
    remove_network_demo,
)
from ruta.network.figures import network_figures
from ruta.network.models import Attendance, Meeting, Membership, Modality, Network, Person

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _network() -> Network:
    return Network.objects.get(slug=NETWORK_SLUG)


def test_demo_figures_reproduce_the_seed_report() -> None:
    load_network_demo()
    figures = network_figures(_network(), *SEED_PERIOD)
    assert figures.member_organizations == SEED_FIGURES["member_organizations"] == 21
    assert figures.regular_participants == SEED_FIGURES["regular_participants"] == 31
    assert figures.meetings == SEED_FIGURES["meetings"] == 6
    assert figures.unique_attendees > SEED_FIGURES["more_than_attendees"]
    assert figures.unique_attendees == 253
    assert figures.total_attendances == 334
    assert {code: n for code, _label, n in figures.by_modality} == {
        Modality.ONLINE: 2,
        Modality.HYBRID: 3,
        Modality.IN_PERSON: 1,
    }
    assert [row.attendees for row in figures.per_meeting] == [m.attendees for m in MEETINGS]
    assert all(row.organizations >= 5 for row in figures.per_meeting)


def test_the_fourteen_organizations_still_active_in_2024() -> None:
    load_network_demo()
    figures = network_figures(_network(), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert figures.member_organizations == 14
    assert figures.meetings == 0


def test_meetings_have_the_seed_dates_hosts_and_modalities() -> None:
    load_network_demo()
    meetings = {
        m.starts_at.date().isoformat(): m
        for m in Meeting.objects.filter(network=_network()).prefetch_related(
            "host_organizations", "presenting_organizations"
        )
    }
    second = meetings["2022-04-20"]
    assert second.modality == Modality.HYBRID
    assert [o.acronym for o in second.host_organizations.all()] == ["CARE"]
    assert {o.acronym for o in second.presenting_organizations.all()} == {
        "CARE",
        "Save the Children",
    }
    assert meetings["2023-11-29"].modality == Modality.ONLINE
    assert "Paquete de Servicios Mínimos" in meetings["2022-09-30"].topics


@override_settings(RUTA_REGULAR_MIN_MEETINGS=3)
def test_the_regular_threshold_is_a_setting() -> None:
    load_network_demo()
    figures = network_figures(_network(), *SEED_PERIOD)
    assert figures.regular_min_meetings == 3
    assert figures.regular_participants == 20  # ten came to all six, ten to three


def test_loading_twice_creates_nothing_new_and_remove_cleans_up() -> None:
    first = load_network_demo()
    counts = (
        Network.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
        Person.objects.count(),
        Attendance.objects.count(),
    )
    second = load_network_demo()
    assert second.created == 0 < first.created
    assert counts == (
        Network.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
        Person.objects.count(),
        Attendance.objects.count(),
    )
    assert "253 illustrative participants" in second.describe()
    assert remove_network_demo() > 0
    assert not Network.objects.filter(slug=NETWORK_SLUG).exists()
    assert Attendance.objects.count() == 0


def test_figures_api_and_network_page_show_the_computed_figures(client: Any) -> None:
    load_network_demo()
    url = reverse("network_api:network-figures", kwargs={"slug": NETWORK_SLUG})
    data = client.get(url, {"start": "2021-01-01", "end": "2023-12-31"}).json()
    assert data["member_organizations"] == 21
    assert data["regular_participants"] == 31
    assert data["meetings"] == 6
    assert data["unique_attendees"] == 253
    assert data["meetings_by_modality"] == {"online": 2, "in_person": 1, "hybrid": 3}
    bad = client.get(url, {"start": "2023-12-31", "end": "2021-01-01"})
    assert bad.status_code == 400

    page = client.get(
        reverse("network:report", kwargs={"slug": NETWORK_SLUG}),
        {"start": "2021-01-01", "end": "2023-12-31"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert ">21<" in html and ">31<" in html and ">253<" in html
