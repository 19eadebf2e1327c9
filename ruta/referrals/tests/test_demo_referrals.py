"""The demo referrals load once, through the real actions, and go with remove_demo."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from ruta.helpline.models import Handoff
from ruta.referrals.models import Referral, ReferralStatus


def _referrals_demo() -> Any:
    """The referrals demo's own: the helpline demo's warm referrals are the helpline's."""
    warm = Handoff.objects.exclude(referral=None).values("referral_id")
    return Referral.objects.exclude(pk__in=warm)


def test_demo_referrals_load_once_and_are_removed(db: Any) -> None:
    call_command("load_demo", stdout=StringIO())
    statuses = sorted(_referrals_demo().values_list("status", flat=True))
    assert statuses == [ReferralStatus.COMPLETED, ReferralStatus.SENT]
    call_command("load_demo", stdout=StringIO())
    assert _referrals_demo().count() == 2
    call_command("remove_demo", stdout=StringIO())
    assert Referral.objects.count() == 0
