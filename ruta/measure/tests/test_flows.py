"""The referral network's flows on a known dataset: each pair's counts, in time, median
days, the reader's scope, the CSV, and printed referrals left out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conftest import verified_login
from ruta.referrals import actions
from ruta.referrals.models import Channel, Referral
from ruta.referrals.tests.factories import make_referral

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIMA = ZoneInfo("America/Lima")


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=LIMA)


def build(world: Any) -> None:
    """CARE refers four cases to HIAS in March: one accepted after a day, one after three
    days (past its time), one declined, one waiting; one more in April; one printed."""
    supervisor = world.user("supervisor.hias")
    sent = []
    for day in (2, 3, 4, 5):
        with time_machine.travel(at(3, day), tick=False):
            sent.append(make_referral(world))
    caseworker = world.user("caseworker.hias")
    with time_machine.travel(at(3, 3), tick=False):
        actions.accept_referral(supervisor, sent[0], assign_to=caseworker, case_type="mhpss")
    with time_machine.travel(at(3, 20), tick=False):  # due within days: late
        actions.accept_referral(supervisor, sent[1], assign_to=caseworker, case_type="mhpss")
        actions.decline_referral(supervisor, sent[2], reason="no_capacity")
    with time_machine.travel(at(4, 2), tick=False):
        make_referral(world)
    with time_machine.travel(at(3, 9), tick=False):
        printed = make_referral(world)
    Referral.objects.filter(pk=printed.pk).update(channel=Channel.PRINTED)


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_flows_count_each_pair_in_the_readers_scope(client: Any, world: Any) -> None:
    build(world)
    url = reverse("measure:flows")
    coordinator = verified_login(client, world.user("coordinator"))
    body = coordinator.get(url, {"start": "2026-03", "end": "2026-03"}).content.decode()
    row = body[body.index('<th scope="row">CARE</th>') :]
    row = row[: row.index("</tr>")]
    cells = [
        ("To", "HIAS"),
        ("Sent", "4"),
        ("Accepted", "2 (67 %)"),
        ("Accepted in time", "1"),
        ("Declined", "1"),
        ("Waiting", "1"),
        ("Median days to accept", "9.0"),  # 1 day and 17 days
    ]
    for label, value in cells:
        assert f'<td data-label="{label}">{value}</td>' in row, (label, row)

    download = coordinator.get(reverse("measure:flows_csv"), {"start": "2026-03", "end": "2026-04"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1] == ["CARE", "HIAS", "5", "2", "1", "2", "1", "9.0"]

    # HIAS receives the flow: its agency admin sees it; nobody sees the printed referral.
    hias = verified_login(type(client)(), world.user("agency_admin.hias"))
    assert '<th scope="row">CARE</th>' in hias.get(url, {"start": "2026-03"}).content.decode()
    empty = coordinator.get(url, {"start": "2026-05", "end": "2026-05"}).content.decode()
    assert "No referral was sent on Ruta in this period." in empty
