"""The transfers demo: one pending CARE → HIAS transfer, idempotent and removable."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from ruta.cases.models import Case
from ruta.transfers.access import incoming_transfers
from ruta.transfers.demo import load_transfers_demo, remove_transfers_demo
from ruta.transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.django_db


def test_load_twice_creates_one_pending_transfer_and_remove_clears_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ruta.accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())  # loads the transfers demo too
    assert Transfer.objects.count() == 1
    cases = Case.objects.count()
    second = load_transfers_demo()
    assert second.created == 0 and second.skipped
    assert Case.objects.count() == cases
    transfer = Transfer.objects.get()
    assert transfer.status == TransferStatus.REQUESTED
    assert transfer.from_organization.acronym == "CARE"
    assert transfer.to_organization.acronym == "HIAS"
    hias_boss = User.objects.get(email="supervision.hias@ruta.example.org")
    assert list(incoming_transfers(hias_boss)) == [transfer]
    assert remove_transfers_demo() == 1
    assert not Transfer.objects.exists()
    assert Case.objects.count() == cases  # the case is the case demo's, it stays


def test_without_demo_accounts_nothing_is_created(world: Any) -> None:
    assert load_transfers_demo().skipped
    assert not Transfer.objects.exists()
