"""The demo loader finds each app's entry points in INSTALLED_APPS order, naming no app."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ruta.demo.loader import loaders, removers

pytestmark = pytest.mark.django_db

# Organizations and accounts first, then each layer on the ones it builds on.
LOAD_ORDER = [
    "ruta.accounts.demo",
    "ruta.places.demo",
    "ruta.directory.demo",
    "ruta.pathways.demo",
    "ruta.cases.demo",
    "ruta.helpline.demo",
    "ruta.referrals.demo",
    "ruta.conferences.demo",
    "ruta.transfers.demo",
    "ruta.practices.demo",
    "ruta.network.demo",
    "ruta.trainings.demo",
    "ruta.activities.demo",
    "ruta.stabilisation.demo",
    "ruta.statistics.demo",
    "ruta.measure.demo",  # the monthly reach facts of everything loaded before
    "ruta.indicators.demo",  # a project whose targets the demo activities meet
]


def test_loaders_run_from_the_accounts_up() -> None:
    assert [load.__module__ for load in loaders()] == LOAD_ORDER
    assert all(load.__name__ == "load_demo" for load in loaders())


def test_removers_run_the_other_way_and_accounts_go_last() -> None:
    # directory and pathways define no remove_demo (nor did they before the loader).
    without_remover = ("ruta.directory.demo", "ruta.pathways.demo")
    without_remover += ("ruta.measure.demo",)  # facts follow the records (dirty months)
    expected = [name for name in reversed(LOAD_ORDER) if name not in without_remover]
    assert [remove.__module__ for remove in removers()] == expected


def test_remove_demo_reports_every_app_in_order() -> None:
    out = io.StringIO()
    call_command("remove_demo", stdout=out)
    assert out.getvalue().splitlines() == [
        "Demo indicators deleted: 0.",
        "Demo GBV statistics protocols and reports deleted: 0.",
        "Demo stabilisation beneficiaries deleted: 0.",
        "Demo activities deleted: 0.",
        "Demo trainings deleted: 0.",
        "Demo community-of-practice records deleted: 0.",
        "Demo practices deleted: 0.",
        "Demo transfers deleted: 0.",
        "Demo case conferences deleted: 0.",
        "Demo referrals deleted: 0.",
        "Demo helpline contacts deleted: 0.",
        "Demo cases deleted: 0.",
        "Demo area outlines deleted: 0.",
        "Demo accounts deleted: 0; disabled and anonymised: 0.",
    ]
