"""Text Ruta writes into a case is stored as a code and read in the reader's language."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.cases import actions, system_text
from ruta.cases.models import Case, RiskLevel
from ruta.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db

ENGLISH = "PHQ-9 item 9 answered above 0: risk of suicide or self-harm."
SPANISH = "Ítem 9 del PHQ-9 respondido por encima de 0: riesgo de suicidio o autolesión."


def _flagged_case(world: Any) -> Case:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    with translation.override("es"):  # whoever's language is active when it is written
        actions.record_measure(caseworker, case, instrument="phq9", answers=[0] * 8 + [1])
    case.refresh_from_db()
    return case


def test_the_phq9_flag_stores_a_code_encrypted_and_reads_in_each_language(world: Any) -> None:
    case = _flagged_case(world)
    assert case.risk_level == RiskLevel.URGENT
    assert case.risk_reason == "ruta:phq9_item9"
    with connection.cursor() as cursor:
        cursor.execute("SELECT risk_reason FROM cases_case WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("f1:") and "phq9" not in raw
    with translation.override("en"):
        assert case.risk_reason_text == ENGLISH
    with translation.override("es"):
        assert case.risk_reason_text == SPANISH


@pytest.mark.parametrize(("prefix", "shown"), [("/en", ENGLISH), ("", SPANISH)])
def test_the_case_page_shows_the_reason_in_the_readers_language(
    world: Any, client: Any, prefix: str, shown: str
) -> None:
    case = _flagged_case(world)
    verified_login(client, world.user("caseworker.care"))
    url = reverse("cases:case_detail", args=[case.uuid])
    with translation.override("en" if prefix else "es"):
        url = reverse("cases:case_detail", args=[case.uuid])
    page = client.get(url).content.decode()
    assert shown in page
    assert "ruta:phq9_item9" not in page


def test_saving_the_shown_text_back_keeps_the_code_and_a_new_text_replaces_it(
    world: Any,
) -> None:
    case = _flagged_case(world)
    caseworker = world.user("caseworker.care")
    actions.set_risk(caseworker, case, RiskLevel.URGENT, ENGLISH + "\n")  # shown in English
    case.refresh_from_db()
    assert case.risk_reason == "ruta:phq9_item9"
    actions.set_risk(caseworker, case, RiskLevel.URGENT, SPANISH)  # shown in Spanish
    case.refresh_from_db()
    assert case.risk_reason == "ruta:phq9_item9"
    actions.set_risk(caseworker, case, RiskLevel.HIGH, "Sigue con ideas de hacerse daño.")
    case.refresh_from_db()
    assert case.risk_reason == "Sigue con ideas de hacerse daño."
    assert case.risk_reason_text == "Sigue con ideas de hacerse daño."


def test_a_person_text_that_looks_like_a_code_but_is_unknown_reads_as_written() -> None:
    assert system_text.readable("ruta:nothing_known") == "ruta:nothing_known"
    assert system_text.readable("Amenazas de la ex pareja") == "Amenazas de la ex pareja"
    with pytest.raises(KeyError):
        system_text.coded("nothing_known")


def test_the_migration_turns_written_system_texts_into_codes_and_leaves_the_rest(
    world: Any,
) -> None:
    caseworker = world.user("caseworker.care")
    spanish, english, person = make_case(caseworker), make_case(caseworker), make_case(caseworker)
    Case.objects.filter(pk=spanish.pk).update(risk_reason=SPANISH)
    Case.objects.filter(pk=english.pk).update(risk_reason="Received as an urgent referral.")
    Case.objects.filter(pk=person.pk).update(risk_reason="Recibido como derivación urgente, y más.")
    migration = importlib.import_module("ruta.cases.migrations.0009_system_risk_reasons_as_codes")
    migration.to_codes(django_apps, None)
    assert Case.objects.get(pk=spanish.pk).risk_reason == "ruta:phq9_item9"
    assert Case.objects.get(pk=english.pk).risk_reason == "ruta:urgent_referral"
    assert Case.objects.get(pk=person.pk).risk_reason == "Recibido como derivación urgente, y más."
