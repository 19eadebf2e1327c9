"""What an accepted referral copied into the receiving case, once the consent to share goes.

Accepting a referral opens (or links) a case in the receiving agency with the details the
sender chose to share. When the survivor later withdraws the consent to share with that
agency, the copy may stay only on the survivor's own say-so *there*: the receiving agency
is told at once and has ``RUTA_REFERRAL_OWN_CONSENT_DAYS`` to record, in its case, a consent
to the storage of personal data given after the withdrawal. Then the referral settles:

- consent recorded: the copy is the receiver's own record now; the snapshot goes;
- no consent in time: each copied detail the receiving case still holds unchanged is
  erased (what the receiver learnt itself since stays), and so is the snapshot.

``settle_copies`` runs hourly with the overdue alerts (``send_referral_alerts``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from ruta.cases.models import Case, Client, Consent, ConsentPurpose
from ruta.referrals.actions import audit_event, client_fields_from, notify_team, receiver_team
from ruta.referrals.models import CopyOutcome, Referral

if TYPE_CHECKING:
    from ruta.accounts.models import User


def _receiving_people(referral: Referral) -> list[Any]:
    people = {person.pk: person for person in receiver_team(referral)}
    case = referral.receiver_case
    if case is not None and case.caseworker is not None:
        people[case.caseworker_id] = case.caseworker
    return [person for person in people.values() if person.is_active]


@transaction.atomic
def await_own_consent(actor: User, consent: Consent) -> int:
    """The consent to share was withdrawn: start the clock on every copy taken on with it."""
    if consent.purpose != ConsentPurpose.SHARE or consent.withdrawn_at is None:
        return 0
    due = consent.withdrawn_at + dt.timedelta(days=settings.RUTA_REFERRAL_OWN_CONSENT_DAYS)
    taken_on = Referral.objects.select_for_update(of=("self",)).filter(
        consent=consent, accepted_at__isnull=False, own_consent_due__isnull=True, copy_outcome=""
    )
    count = 0
    for referral in taken_on.select_related("receiver_case__caseworker", "assigned_to"):
        referral.own_consent_due = due
        referral.save(update_fields=["own_consent_due"])
        audit_event("referral.own_consent_requested", actor, referral, due=due.date().isoformat())
        notify_team(
            _receiving_people(referral),
            referral,
            "consent_withdrawn",
            referral.receiver_case,
        )
        count += 1
    return count


def has_own_consent(referral: Referral) -> bool:
    """A standing storage consent in the receiving case, given after the withdrawal."""
    case = referral.receiver_case
    withdrawn_at = referral.consent.withdrawn_at
    if case is None or withdrawn_at is None:
        return False
    return Consent.objects.filter(
        case=case,
        purpose=ConsentPurpose.STORAGE,
        withdrawn_at__isnull=True,
        given_at__gte=withdrawn_at,
    ).exists()


def waiting_in(case: Case) -> list[Referral]:
    """The referrals whose copy in ``case`` waits for the survivor's own consent."""
    waiting = Referral.objects.filter(
        receiver_case=case, own_consent_due__isnull=False, copy_outcome=""
    ).select_related("from_organization", "consent")
    return [referral for referral in waiting if not has_own_consent(referral)]


def _erase_copied(client: Client, snapshot: dict[str, Any]) -> list[str]:
    """Blank each detail the client still holds exactly as the referral copied it."""
    erased = []
    for name, copied in client_fields_from(snapshot).items():
        if copied in (None, "", [], {}) or getattr(client, name) != copied:
            continue
        field = Client._meta.get_field(name)
        assert isinstance(field, Field)  # a concrete column, never a relation
        setattr(client, name, field.get_default())
        erased.append(name)
    if erased:
        client.save(update_fields=erased)
    return sorted(erased)


def _settle(referral: Referral, now: dt.datetime) -> str:
    if has_own_consent(referral):
        outcome = CopyOutcome.KEPT
        audit_event("referral.copy_kept", None, referral)
    elif referral.own_consent_due is not None and now >= referral.own_consent_due:
        outcome = CopyOutcome.ERASED
        case = referral.receiver_case
        fields = _erase_copied(case.client, referral.snapshot_data()) if case else []
        audit_event("referral.copy_erased", None, referral, fields=fields)
        notify_team(_receiving_people(referral), referral, "copy_erased", case)
    else:
        return ""
    referral.snapshot = ""
    referral.copy_outcome, referral.copy_settled_at = outcome, now
    referral.save(update_fields=["snapshot", "copy_outcome", "copy_settled_at"])
    return outcome


def settle_copies(now: dt.datetime | None = None) -> dict[str, int]:
    """Keep the copies the survivor consented to, erase those past their time. Counts."""
    now = now or timezone.now()
    counts = {CopyOutcome.KEPT.value: 0, CopyOutcome.ERASED.value: 0}
    pending = Referral.objects.filter(own_consent_due__isnull=False, copy_outcome="")
    for pk in pending.values_list("pk", flat=True):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .select_related("consent", "receiver_case__client", "receiver_case__caseworker")
                .filter(pk=pk, copy_outcome="")
                .first()
            )
            if referral is None:
                continue  # another worker settled it
            outcome = _settle(referral, now)
            if outcome:
                counts[outcome] += 1
    return counts
