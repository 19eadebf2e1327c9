"""The demo practices (seeds 002 and 004) and what the network report reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from ruta.practices import actions
from ruta.practices.demo import load_practices_demo, remove_practices_demo
from ruta.practices.figures import published_practices
from ruta.practices.models import Practice, PracticeStatus
from ruta.practices.tests.factories import make_practice

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_demo_loads_bp5_pc_as_the_seed_gives_it() -> None:
    summary = load_practices_demo()
    assert summary.practices == 10
    assert "10 published" in summary.describe()
    bp5 = Practice.objects.get(code="BP5_PC")
    assert bp5.status == PracticeStatus.PUBLISHED and not bp5.illustrative
    assert bp5.owner is not None and bp5.owner.acronym == "OIM Ecuador"
    assert bp5.people_reached == 2100
    assert bp5.budget_amount == Decimal("15000") and bp5.budget_currency == "USD"
    assert bp5.sustainability == "medium"
    assert sorted(bp5.gcm_objectives.values_list("number", flat=True)) == [7, 19]
    assert list(bp5.guiding_principles.values_list("code", flat=True)) == ["people-centred"]
    assert "Huaquillas" in bp5.territories
    assert bp5.sdgs.count() == 0  # the seed leaves the SDG relation empty
    mirps = Practice.objects.exclude(code="BP5_PC")
    assert mirps.count() == 9 and all(p.illustrative for p in mirps)
    titles = " ".join(mirps.values_list("title_en", flat=True))
    for name in (
        "CODER",
        "A tu Lado",
        "health personnel",
        "126 Orienta",
        "Panama",
        "roundtables",
        "Casa Joven",
        "UNICEF",
        "refugee children",
    ):
        assert name in titles


def test_demo_is_idempotent_and_removable() -> None:
    load_practices_demo()
    before = (Practice.objects.count(), Practice.sdgs.through.objects.count())
    again = load_practices_demo()
    assert again.created == 0
    assert (Practice.objects.count(), Practice.sdgs.through.objects.count()) == before
    assert remove_practices_demo() == 10
    assert Practice.objects.count() == 0


def test_demo_is_searchable_without_accents(client: Any) -> None:
    load_practices_demo()
    response = client.get("/practicas/", {"q": "estabilizacion psicosocial"})
    assert [c["practice"].code for c in response.context["cards"]] == ["BP5_PC"]


def test_published_practices_for_the_report(world: Any) -> None:
    inside = make_practice(world, "FIG_IN", "published")
    other = actions.create_practice(
        world.user("coordinator"),
        {
            "code": "FIG_HIAS",
            "title_es": "Otra",
            "finding_es": "x",
            "countries": ["PE"],
            "organizations": [world.hias],
        },
    )
    coordinator = world.user("coordinator")
    actions.submit_practice(coordinator, other)
    actions.review_practice(coordinator, other)
    actions.publish_practice(coordinator, other)
    make_practice(world, "FIG_DRAFT", "reviewed")
    old = make_practice(world, "FIG_OLD", "published")
    Practice.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=400))
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=30), today
    assert [p.code for p in published_practices(None, start, end)] == ["FIG_IN", "FIG_HIAS"]
    assert [p.code for p in published_practices([world.care.pk], start, end)] == ["FIG_IN"]
    assert [p.code for p in published_practices([world.hias.pk, world.care.pk], start, end)] == [
        "FIG_IN",
        "FIG_HIAS",
    ]
    assert list(published_practices([world.outsider_org.pk], start, end)) == []
    practice = published_practices(None, start, end)[0]
    with translation.override("en"):
        assert practice.title == "Psychosocial support while waiting for transfers"
    with translation.override("es"):
        assert practice.title == "Apoyo psicosocial en la espera de transferencias"
    assert practice.get_absolute_url() == f"/practicas/{inside.uuid}/"
