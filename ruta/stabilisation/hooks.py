"""What stabilisation plugs into the apps below it (``StabilisationConfig.ready()``): the
text of its notifications, its reach source and its evidence on good practices."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruta.measure import registry as reach
from ruta.notifications import registry
from ruta.notifications.models import NotificationKind


def stabilisation_text(details: dict[str, Any]) -> str:
    """A count only: never who entered the queue."""
    if details.get("event") == "queued":
        count = int(details.get("count", 0))
        return ngettext(
            "%(count)s cash-transfer beneficiary entered the stabilisation queue: "
            "their payment is late.",
            "%(count)s cash-transfer beneficiaries entered the stabilisation queue: "
            "their payments are late.",
            count,
        ) % {"count": count}
    return _("The stabilisation queue needs you.")


def register() -> None:
    from ruta.measure import facts
    from ruta.practices.evidence import EvidenceSource, add_evidence_source
    from ruta.stabilisation.evidence import practice_evidence
    from ruta.stabilisation.models import Beneficiary, StabilisationContact
    from ruta.stabilisation.reach import (
        beneficiary_contact_days,
        claimed_contacts,
        link_days,
        stabilisation_reach,
    )

    registry.register_text(NotificationKind.STABILISATION, stabilisation_text)
    add_evidence_source(
        EvidenceSource("stabilisation/_practice_evidence.html", practice_evidence, order=10)
    )
    reach.register("stabilisation", stabilisation_reach)
    # Its contacts are helpline contacts: counted here, by beneficiary, not there again.
    reach.claim("helpline.Contact", claimed_contacts)
    # The reach facts of the months these records feed are recomputed when they change: a
    # beneficiary's new profile (sex, age band, place) or code moves their every contact.
    facts.watch(Beneficiary, beneficiary_contact_days, old=False)
    facts.watch(StabilisationContact, link_days, old=False)
