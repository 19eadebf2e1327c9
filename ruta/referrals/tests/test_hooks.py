"""What referrals add to the apps below them, seen from those apps' pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.referrals.tests.factories import make_referral

pytestmark = pytest.mark.django_db


def _service_page(referral: Any) -> str:
    with translation.override("en"):
        return reverse("finder:service_detail", args=[referral.service.uuid])


def test_directory_service_page_shows_the_track_record_to_professionals(
    client: Any, world: Any
) -> None:
    referral = make_referral(world)
    url = _service_page(referral)
    assert "Referrals through Ruta" not in client.get(url).content.decode()
    verified_login(client, world.user("caseworker.care"))
    html = client.get(url).content.decode()
    assert "Referrals through Ruta" in html
    assert "1 referral received" in html
