"""A visit to the public pages leaves no trace on a shared phone: no cookie, and a quick
exit even on the error pages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from conftest import verified_login

pytestmark = pytest.mark.django_db


def test_public_pages_switch_language_with_a_link_and_set_no_cookie(client: Any) -> None:
    response = client.get("/servicios/", {"q": "apoyo", "free": "on"})
    assert response.status_code == 200
    assert not response.cookies  # no csrftoken: there is no form to post
    page = response.content.decode()
    assert 'href="/en/servicios/?q=apoyo&amp;free=on"' in page
    assert 'action="/i18n/setlang/"' not in page and "csrfmiddlewaretoken" not in page
    english = client.get("/en/servicios/", {"q": "apoyo"})
    assert not english.cookies
    assert 'href="/servicios/?q=apoyo"' in english.content.decode()


@override_settings(DEBUG=False)
def test_a_missing_page_keeps_the_quick_exit_for_the_public(client: Any, world: Any) -> None:
    missing = reverse("finder:service_detail", kwargs={"service_uuid": uuid.uuid4()})
    response = client.get(missing)
    assert response.status_code == 404
    assert "data-quick-exit" in response.content.decode()
    verified_login(client, world.user("caseworker.care"))
    signed_in = client.get(missing).content.decode()
    assert "data-quick-exit" not in signed_in  # staff pages keep their own header
    assert "Cerrar sesión" in signed_in or "Sign out" in signed_in


def test_the_server_error_page_has_a_quick_exit() -> None:
    page = render_to_string("500.html")
    assert "data-quick-exit" in page and "ruta/public.js" in page


def test_the_spanish_link_stays_in_spanish_after_english_was_chosen_elsewhere(
    client: Any,
) -> None:
    """A visitor who once picked English on a staff page (a language cookie) still gets
    the public page in the language its link names."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/servicios/", {"q": "psic"})
    assert response.status_code == 200  # no redirect to /en/
    assert response.content.decode().startswith('<!DOCTYPE html>\n\n<html lang="es">') or (
        '<html lang="es">' in response.content.decode()
    )
    # Staff pages still follow the chosen language.
    assert client.get("/cuenta/entrar/").status_code == 302
