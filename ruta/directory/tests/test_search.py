from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine

from ruta.directory.access import public_services
from ruta.directory.models import Closure, Location, Service, ServiceArea
from ruta.directory.search import (
    FinderQuery,
    distance_km,
    find_services,
    is_open_now,
    ranked_head,
    with_card_data,
)
from ruta.directory.search_index import probes
from ruta.directory.tests.factories import make_service
from ruta.lib.text import fold
from ruta.places.models import AdminArea

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks

# Monday 23 November 2026, 10:00 in Lima (UTC-5).
MONDAY_10_LIMA = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
MONDAY_20_LIMA = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def names(query: FinderQuery, now: datetime = MONDAY_10_LIMA) -> list[str]:
    return [s.name_es for s in find_services(public_services(), query, now=now)]


def test_fold_strips_accents_and_case() -> None:
    assert fold("  Apoyo PSICOLÓGICO  Ñandú ") == "apoyo psicologico nandu"


@pytest.mark.django_db
def test_text_search_is_accent_and_case_insensitive(world: Any) -> None:
    make_service(world.care, "Atención psicológica individual")
    make_service(world.care, "Asesoría legal")
    assert names(FinderQuery(text="psicologica")) == ["Atención psicológica individual"]
    assert names(FinderQuery(text="PSICOLÓGICA atencion")) == ["Atención psicológica individual"]
    # English terms of the classification are searchable too.
    make_service(world.hias, "Grupo de apoyo", terms=("psychosocial_support",))
    assert names(FinderQuery(text="psychosocial")) == ["Grupo de apoyo"]


@pytest.mark.django_db
def test_filters_combine(world: Any) -> None:
    make_service(world.care, "Para mujeres en Tumbes", terms=("women",), area="PE-TUM")
    make_service(world.care, "Para mujeres en Lima", terms=("women",), area="PE-LIM")
    make_service(world.care, "Para hombres en Tumbes", terms=("men",), area="PE-TUM")
    make_service(
        world.care, "Con costo", terms=("women",), area="PE-TUM", is_free=False, fee_detail="S/ 20"
    )
    make_service(
        world.care,
        "Con papeles",
        terms=("women",),
        area="PE-TUM",
        documents_required=True,
        required_documents="DNI",
    )
    make_service(
        world.care, "Lista de espera", terms=("women",), area="PE-TUM", intake_status="waiting_list"
    )
    make_service(world.care, "Borrador", terms=("women",), area="PE-TUM", status="draft")
    query = FinderQuery(
        profile="women", admin1="PE-TUM", free=True, accepting=True, no_documents=True
    )
    assert names(query) == ["Para mujeres en Tumbes"]
    assert len(names(FinderQuery(profile="women", admin1="PE-TUM"))) == 4


@pytest.mark.django_db
def test_open_now_uses_service_time_zone_and_closures(world: Any) -> None:
    office = ((1, time(8), time(17)),)
    make_service(world.care, "Lima office hours", hours=office)
    make_service(world.care, "Quito office hours", hours=office, timezone="America/Guayaquil")
    make_service(world.care, "Línea 24/7", open_24_7=True)
    holiday = make_service(world.care, "Cerrado por feriado", hours=office)
    Closure.objects.create(service=holiday, date=datetime(2026, 11, 23).date())
    assert names(FinderQuery(open_now=True)) == [
        "Lima office hours",
        "Línea 24/7",
        "Quito office hours",
    ]
    assert names(FinderQuery(open_now=True), now=MONDAY_20_LIMA) == ["Línea 24/7"]
    services = {s.name_es: s for s in with_card_data(Service.objects.all(), MONDAY_10_LIMA)}
    assert is_open_now(services["Lima office hours"], MONDAY_10_LIMA)
    assert not is_open_now(services["Cerrado por feriado"], MONDAY_10_LIMA)
    assert not is_open_now(services["Lima office hours"], MONDAY_20_LIMA)


@pytest.mark.django_db
def test_card_data_keeps_the_closures_of_the_day_it_is_asked_about(world: Any) -> None:
    """The holiday is seen whatever the real date is: the prefetch follows ``now``."""
    holiday = make_service(world.care, "Cerrado por feriado", hours=((1, time(8), time(17)),))
    Closure.objects.create(service=holiday, date=datetime(2026, 11, 23).date())
    for today in (datetime(2026, 12, 6, 3, tzinfo=UTC), datetime(2026, 11, 1, 12, tzinfo=UTC)):
        with time_machine.travel(today, tick=False):
            (service,) = with_card_data(Service.objects.all(), MONDAY_10_LIMA)
            assert not is_open_now(service, MONDAY_10_LIMA)
            (service,) = with_card_data(Service.objects.all(), MONDAY_10_LIMA + timedelta(days=7))
            assert is_open_now(service, MONDAY_10_LIMA + timedelta(days=7))


@pytest.mark.django_db
def test_near_me_ranks_by_distance_in_sql(world: Any) -> None:
    make_service(world.care, "Cusco", point=(-13.53, -71.97))
    make_service(world.care, "Tumbes", point=(-3.57, -80.45))
    make_service(world.care, "Lima", point=(-12.05, -77.04))
    make_service(world.care, "Sin ubicación")
    results = list(find_services(public_services(), FinderQuery(near=(-12.1, -77.0))))
    assert [s.name_es for s in results] == ["Lima", "Cusco", "Tumbes", "Sin ubicación"]
    assert distance_km(results[0]) == pytest.approx(7.0, abs=1.5)
    assert distance_km(results[-1]) is None


@pytest.mark.django_db
def test_an_area_finds_services_placed_in_it_or_serving_it(world: Any) -> None:
    district = AdminArea.objects.create(
        code="PE-TUM-01", country="PE", level=2, name_es="Zarumilla", name_en="Zarumilla"
    )
    placed = make_service(world.care, "Sede en el distrito")
    location = Location.objects.create(organization=world.care, name="Sede", admin2=district)
    placed.service_at_locations.create(location=location)
    serving = make_service(world.care, "Atiende el distrito", in_person=False, by_phone=True)
    ServiceArea.objects.create(service=serving, area=district)
    make_service(world.care, "En la región", area="PE-TUM")
    assert names(FinderQuery(admin1="PE-TUM-01")) == ["Atiende el distrito", "Sede en el distrito"]
    assert names(FinderQuery(admin1="PE-TUM")) == ["En la región"]
    assert names(FinderQuery(admin1="XX-NONE")) == []


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [3, 4, 6])
def test_near_a_point_the_head_is_the_ranking_s_first_services(
    world: Any, limit: int, django_assert_num_queries: Any
) -> None:
    # Three within the first radius of Lima (one with a second, farther place), two beyond
    # it, one without a place.
    lima = (-12.05, -77.04)
    make_service(world.care, "Miraflores", point=(-12.12, -77.03))
    make_service(world.hias, "Callao", point=(-12.06, -77.15))
    far_and_near = make_service(world.care, "San Juan", point=(-13.0, -76.0))
    location = Location.objects.create(
        organization=world.care, name="Sede Lima", country="PE", latitude=-12.2, longitude=-77.0
    )
    far_and_near.service_at_locations.create(location=location)
    make_service(world.care, "Huacho", point=(-11.1, -77.6))
    make_service(world.care, "Cusco", point=(-13.53, -71.97))
    make_service(world.care, "Sin ubicación")
    query = FinderQuery(near=lima)
    everything = find_services(public_services(), query)
    expected = list(everything.values_list("pk", "distance2")[:limit])
    # Three lie within the radius: a head of three comes from the box alone; a longer one
    # ranks every service.
    with django_assert_num_queries(1 if limit <= 3 else 2):
        head = ranked_head(everything, query, limit)
    assert head == expected
    assert [Service.objects.get(pk=pk).name_es for pk, _d in head][:3] == [
        "Miraflores",
        "Callao",
        "San Juan",
    ]


@pytest.mark.django_db
def test_finder_query_count_does_not_grow(world: Any, django_assert_max_num_queries: Any) -> None:
    for index in range(25):
        make_service(
            world.care,
            f"Servicio {index}",
            terms=("women", "psychosocial_support"),
            area="PE-TUM",
            point=(-3.5, -80.4),
            hours=((1, time(8), time(17)),),
            phones=(("+51 900 000 000", True),),
        )
    query = FinderQuery(text="servicio", profile="women", open_now=True, near=(-3.5, -80.4))
    list(find_services(public_services(), query, MONDAY_10_LIMA))  # the time zones, cached
    # 8: the words' one look-up in the everyday vocabulary, the directory's version (for
    # its time zones), the services, their five relations; on SQLite, one more asks the
    # text index how many services hold the words.
    with django_assert_max_num_queries(8 + probes()):
        results = list(with_card_data(find_services(public_services(), query, MONDAY_10_LIMA)))
        for service in results:
            is_open_now(service, MONDAY_10_LIMA)
            list(service.phones.all())
            list(service.terms.all())
    assert len(results) == 25


@pytest.mark.django_db
def test_change_history_records_fields(world: Any) -> None:
    service = make_service(world.care, "Nuevo servicio", terms=("women",))
    change = service.changes.get()
    assert change.action == "created"
    assert change.changes["name_es"] == [None, "Nuevo servicio"]
    assert change.changes["terms"] == [None, ["women"]]
