"""What transfers add to the case page, seen from that page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.cases.tests.factories import make_case
from ruta.referrals.tests.factories import make_referral
from ruta.transfers.tests.helpers import requested

pytestmark = pytest.mark.django_db


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_case_page_offers_transfers_to_supervisors_only(client: Any, world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    buttons = (en("transfers:request", case.uuid), en("transfers:package_export", case.uuid))

    verified_login(client, world.user("caseworker.care"))
    html = client.get(en("cases:case_detail", case.uuid)).content.decode()
    assert not [url for url in buttons if url in html]

    client.logout()
    verified_login(client, world.user("supervisor.care"))
    html = client.get(en("cases:case_detail", case.uuid)).content.decode()
    assert all(url in html for url in buttons)
    assert "Transfer the case" in html and "Transfer to another country" in html


def test_today_lists_referrals_then_transfers_waiting(client: Any, world: Any) -> None:
    make_referral(world)  # CARE refers to HIAS: it waits for HIAS's answer
    requested(world)  # CARE asks HIAS to take a case over
    verified_login(client, world.user("supervisor.hias"))
    html = client.get(en("cases:today")).content.decode()
    referral = html.index("1 referral waiting for an answer")
    transfer = html.index("1 case transfer waiting for your decision")
    assert "Between agencies" in html and referral < transfer
    assert f'href="{en("referrals:inbox")}"' in html and f'href="{en("transfers:inbox")}"' in html
