"""The printable referral form as a secure export: asked for on the referral page, made
in the background, encrypted and expiring under "My exports" (registered in hooks.py).

The producer looks again, as the owner, at the referral: a referral revoked or no longer
visible since the request gives no file.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ruta.exports.models import SecureExport
from ruta.exports.registry import ExportRefused, Produced, Producer
from ruta.lib.permissions import Cap
from ruta.referrals import access, presentation

KIND = "referral_form"


def produce(export: SecureExport, params: dict[str, Any]) -> Produced:
    try:
        referral, side = access.get_referral(export.owner, params.get("referral"))
    except Http404 as missing:  # gone or out of reach since the request
        raise ExportRefused("referral out of reach") from missing
    if side != access.SENDER or not referral.is_live:
        raise ExportRefused("referral no longer live")
    return Produced(
        content=presentation.referral_pdf(referral),
        filename=f"{referral.reference}.pdf",
        content_type="application/pdf",
        cases=(str(referral.case.uuid),),
    )


PRODUCER = Producer(
    kind=KIND, label=_("Referral form (PDF)"), produce=produce, capability=Cap.VIEW_CASES
)
