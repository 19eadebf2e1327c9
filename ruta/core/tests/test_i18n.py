"""Spanish by default, English on /en/, a remembered choice; and the health check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.db.utils import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD, verified_login
from ruta.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _start_in_spanish() -> Iterator[None]:
    """Each test starts in Spanish: a request to /en/ leaves English active in this thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


SET_LANGUAGE = reverse("set_language")


def _lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match is not None
    return match.group(1)


def test_spanish_is_the_default(client: Any) -> None:
    response = client.get("/")  # the public home, for people looking for help
    assert response.status_code == 200
    assert _lang(response) == "es"
    assert response["Content-Language"] == "es"


def test_spanish_even_when_the_browser_asks_for_english(client: Any) -> None:
    response = client.get("/cuenta/entrar/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert _lang(response) == "es"


def test_english_under_en(client: Any) -> None:
    response = client.get("/en/cuenta/entrar/")
    assert response.status_code == 200
    assert _lang(response) == "en"
    assert response["Content-Language"] == "en"


def test_switching_to_english_sets_the_cookie_and_redirects(client: Any) -> None:
    response = client.post(SET_LANGUAGE, {"language": "en", "next": "/cuenta/entrar/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/cuenta/entrar/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The cookie alone brings the visitor back to English.
    assert client.get("/cuenta/entrar/")["Location"] == "/en/cuenta/entrar/"


def test_switching_back_to_spanish(client: Any) -> None:
    client.post(SET_LANGUAGE, {"language": "en", "next": "/cuenta/entrar/"})
    response = client.post(SET_LANGUAGE, {"language": "es", "next": "/en/cuenta/entrar/"})
    assert response["Location"] == "/cuenta/entrar/"
    assert client.get("/cuenta/entrar/").status_code == 200


def test_switch_refuses_a_foreign_next(client: Any) -> None:
    response = client.post(SET_LANGUAGE, {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


def test_logged_in_choice_is_stored_on_the_account(client: Any, world: Any) -> None:
    user = world.user("coordinator")
    verified_login(client, user)
    organizations = "/organizaciones/"
    response = client.post(SET_LANGUAGE, {"language": "en", "next": organizations})
    assert response["Location"] == "/en" + organizations
    assert User.objects.get(pk=user.pk).language == "en"

    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)  # a new browser: only the account knows
    redirect = client.get(organizations)
    assert redirect.status_code == 302
    assert redirect["Location"] == "/en" + organizations
    assert _lang(client.get(redirect["Location"])) == "en"


def test_login_restores_the_accounts_language(client: Any, world: Any) -> None:
    user = world.user("analyst")
    user.language = "en"
    user.save()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/")["Location"] == "/en/"


def test_healthz_reports_ok(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": settings.VERSION}


def test_healthz_reports_an_unreachable_database(client: Any) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "unreachable"
    assert body["status"] == "error"
    assert body["version"] == settings.VERSION


def test_one_english_word_many_spanish_ones_by_context() -> None:
    """A word with several meanings carries a context: a referral "Completed" is not a
    course passed, a place "Home" is not the home page, and Spanish agrees in gender."""
    from django.utils.translation import gettext, override

    from ruta.cases.models import IncidentSetting
    from ruta.directory.models import ServiceStatus
    from ruta.referrals.models import ReferralStatus
    from ruta.transfers.models import TransferStatus

    with override("es"):
        assert str(ReferralStatus.COMPLETED.label) == "Completada"
        assert str(ReferralStatus.DECLINED.label) == "Rechazada"
        assert str(ReferralStatus.ACCEPTED.label) == "Aceptada"
        assert str(TransferStatus.CANCELLED.label) == "Cancelada"
        assert str(ServiceStatus.ACTIVE.label) == "Activo"
        assert str(IncidentSetting.HOME.label) == "Vivienda u hogar"
        assert gettext("Home") == "Inicio"  # the page, elsewhere
    with override("en"):
        assert str(ReferralStatus.COMPLETED.label) == "Completed"
        assert str(IncidentSetting.HOME.label) == "Home"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Figures as of Dec. 7, 2026, 16:07."),
        ("es", "Cifras al 7 de diciembre de 2026 a las 16:07."),
    ],
)
def test_a_sentence_a_time_closes_ends_with_one_full_stop(language: str, expected: str) -> None:
    """Times are on the 24-hour clock in both languages (ruta/formats): Django's English
    "4:07 p.m." would end the sentence with a doubled full stop."""
    freshness = {"computed": True, "refreshed_at": datetime(2026, 12, 7, 21, 7, tzinfo=UTC)}
    with translation.override(language):
        html = render_to_string("measure/_freshness.html", {"freshness": freshness})
    assert expected in html
    assert ".." not in html
