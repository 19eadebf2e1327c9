"""Referrals facing the closure of a case (registered in ``hooks.register()``).

Before the closure, the closure request and the supervisor's approval page list the
case's referrals not completed: sent or accepted by the case's agency, and those it
received and accepted into this case.

When the case closes, each of them is settled explicitly and the other side is told:

* sent and not yet answered: **withdrawn** (revoked, "the referring case was closed").
  Nobody has taken the person on yet, and an agency contacting a survivor after their
  case was closed, about a request nobody follows any more, can put them at risk; the
  receiver is told the referral was revoked.
* accepted by the receiver: **left with the receiver**, who may be giving the service
  right now; revoking it would cut that service. The receiver is told the referring case
  closed, and completes the referral with its feedback as usual.
* received by this case and accepted: the referring agency is told the receiving case
  closed before the referral was completed (the receiver can still record the outcome).

Printed referrals (receiver not on Ruta) are withdrawn or left the same way; nobody on
Ruta can be told, so the risk line says so and the team tells them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ruta.cases.extensions import OpenRisk
from ruta.cases.models import Case
from ruta.referrals import actions
from ruta.referrals.models import Channel, Referral, ReferralStatus, Urgency

if TYPE_CHECKING:
    from ruta.accounts.models import User


def _label(referral: Referral, *, received: bool) -> str:
    values = {
        "ref": referral.reference,
        "status": ReferralStatus(referral.status).label,
    }
    if received:
        values["org"] = referral.from_organization.name
        return _("Referral %(ref)s received from %(org)s: %(status)s, not completed.") % values
    values["org"] = referral.to_organization.name
    if referral.urgency == Urgency.URGENT:
        text = _("Urgent referral %(ref)s to %(org)s: %(status)s, not completed.") % values
    else:
        text = _("Referral %(ref)s to %(org)s: %(status)s, not completed.") % values
    if referral.channel == Channel.PRINTED:
        text += " " + _("Printed form: tell them yourself when the case closes.")
    return text


def open_risks(case: Case) -> list[OpenRisk]:
    sent = (
        Referral.objects.filter(
            case=case, status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED)
        )
        .select_related("to_organization")
        .order_by("sent_at", "id")
    )
    received = (
        Referral.objects.filter(receiver_case=case, status=ReferralStatus.ACCEPTED)
        .select_related("from_organization")
        .order_by("sent_at", "id")
    )
    return [
        OpenRisk(
            kind="referral",
            label=_label(referral, received=False),
            url=reverse("referrals:detail", args=[referral.uuid]),
        )
        for referral in sent
    ] + [
        OpenRisk(
            kind="referral_received",
            label=_label(referral, received=True),
            url=reverse("referrals:detail", args=[referral.uuid]),
        )
        for referral in received
    ]


@transaction.atomic
def settle_for_closed_case(actor: User, case: Case) -> None:
    """Withdraw the referrals nobody answered, tell the receivers of those accepted and
    the senders of those this case received (see the module's note)."""
    sent = Referral.objects.select_for_update(of=("self",)).filter(
        case=case, status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    )
    for referral in sent.select_related("case", "to_organization", "assigned_to"):
        if referral.status == ReferralStatus.SENT:
            actions.revoke_now(actor, referral, _("The referring case was closed."), None)
            continue
        actions.audit_event("referral.sender_case_closed", actor, referral)
        if referral.channel == Channel.ON_RUTA:
            actions.notify_team(
                actions.receiver_team(referral), referral, "sender_case_closed", None
            )
    received = Referral.objects.filter(receiver_case=case, status=ReferralStatus.ACCEPTED)
    for referral in received.select_related("case__caseworker", "case__supervisor"):
        actions.audit_event("referral.receiver_case_closed", actor, referral)
        actions.notify_team(
            actions.sender_team(referral), referral, "receiver_case_closed", referral.case
        )
