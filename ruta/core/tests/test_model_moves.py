"""Models that moved app (AdminArea to places, Pathway and PathwayCell to pathways,
Notification to notifications) keep their tables: rows written before the move are the
same rows after `migrate`, and their content types follow them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ruta.accounts.models import Role
from ruta.notifications.models import Notification
from ruta.pathways.models import Pathway, PathwayCell
from ruta.places.models import AdminArea

BEFORE_THE_MOVES = [
    ("directory", "0006_refresh_search_text"),
    ("cases", "0005_encrypt_action_responsible"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_moves_are_there_after_migrate() -> None:
    old = _migrate(BEFORE_THE_MOVES)
    area = old.get_model("directory", "AdminArea").objects.create(
        code="PE-ZZZ", name_es="Región de prueba", name_en="Test region", country="PE"
    )
    organization = old.get_model("agencies", "Organization").objects.create(
        name="Agencia de prueba", acronym="AP"
    )
    user = old.get_model("accounts", "User").objects.create(
        email="prueba@example.org",
        full_name="Prueba",
        role=Role.CASEWORKER,
        organization=organization,
    )
    pathway = old.get_model("directory", "Pathway").objects.create(
        title_es="Ruta de prueba", theme="gbv", admin1=area, country="PE"
    )
    pathway.organizations.add(organization)
    term = (
        old.get_model("directory", "TaxonomyTerm")
        .objects.filter(taxonomy__code="population")
        .first()
    )
    assert term is not None, "the vocabularies migration ships the population profiles"
    cell = old.get_model("directory", "PathwayCell").objects.create(
        pathway=pathway, organization=organization, profile=term, role=1
    )
    notification = old.get_model("cases", "Notification").objects.create(
        recipient=user, kind="assigned", details={}
    )

    _migrate(_leaves())

    assert AdminArea.objects.get(pk=area.pk).code == "PE-ZZZ"
    moved = Pathway.objects.get(pk=pathway.pk)
    assert moved.admin1_id == area.pk
    assert list(moved.organizations.values_list("pk", flat=True)) == [organization.pk]
    assert PathwayCell.objects.get(pk=cell.pk).pathway_id == pathway.pk
    assert Notification.objects.get(pk=notification.pk).recipient_id == user.pk
    labels = {
        (ct.app_label, ct.model)
        for ct in ContentType.objects.filter(
            model__in=["adminarea", "pathway", "pathwaycell", "notification"]
        )
    }
    assert labels == {
        ("places", "adminarea"),
        ("pathways", "pathway"),
        ("pathways", "pathwaycell"),
        ("notifications", "notification"),
    }
