"""Consent: recording it, withdrawing it, and checking that a step has it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.cases import extensions
from ruta.cases.actions.common import CaseError, _audit, _require_open, require_team
from ruta.cases.models import (
    ASSENT_BANDS,
    Assent,
    Case,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    StorageChoice,
)


class ConsentRequired(CaseError):
    pass


def active_consents(case: Case, purpose: str) -> list[Consent]:
    return [c for c in case.consents.all() if c.purpose == purpose and c.is_active]


def has_consent(case: Case, purpose: str, recipient: Any = None) -> bool:
    consents = Consent.objects.filter(case=case, purpose=purpose, withdrawn_at__isnull=True)
    if purpose == ConsentPurpose.SHARE:
        if recipient is None:
            return False
        consents = consents.filter(recipient=recipient)
    return consents.exists()


def require_consent(case: Case, purpose: str, recipient: Any = None) -> None:
    if has_consent(case, purpose, recipient):
        return
    if purpose == ConsentPurpose.SHARE:
        raise ConsentRequired(
            _(
                "There is no active consent to share information with %(org)s. Record the "
                "survivor's consent for this organization first."
            )
            % {"org": getattr(recipient, "name", "")}
        )
    label = ConsentPurpose(purpose).label
    raise ConsentRequired(
        _("There is no active consent for “%(purpose)s”. Record the consent first.")
        % {"purpose": label}
    )


@transaction.atomic
def record_consent(
    actor: User,
    case: Case,
    *,
    purpose: str,
    method: str,
    given_by: str = ConsentGiver.SELF,
    given_at: dt.datetime | None = None,
    child_assent: str = "",
    recipient: Any = None,
) -> Consent:
    require_team(actor, case)
    _require_open(case)
    if purpose == ConsentPurpose.SHARE and recipient is None:
        raise CaseError(_("Consent to share information must name the receiving organization."))
    if purpose != ConsentPurpose.SHARE:
        recipient = None
    band = case.client.age_band
    if band == "0-5" and given_by != ConsentGiver.CAREGIVER:
        raise CaseError(_("For a child under 6, a parent or caregiver gives consent."))
    if band in ASSENT_BANDS:
        if given_by != ConsentGiver.CAREGIVER:
            raise CaseError(_("For a child under 15, a parent or caregiver gives consent."))
        if child_assent not in (Assent.GIVEN, Assent.REFUSED):
            raise CaseError(_("Ask for the child's assent and record the answer."))
        if child_assent == Assent.REFUSED:
            raise CaseError(
                _(
                    "The child did not agree. Do not go ahead: talk with the child and the "
                    "caregiver, and with your supervisor."
                )
            )
    elif band == "0-5":
        child_assent = Assent.NOT_ASKED
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        recipient=recipient,
        given_by=given_by,
        method=method,
        given_at=given_at or timezone.now(),
        child_assent=child_assent,
        recorded_by=actor,
    )
    _audit(
        "case.consent_recorded",
        actor,
        case,
        consent=str(consent.uuid),
        purpose=purpose,
        recipient=str(recipient.uuid) if recipient else "",
    )
    return consent


@transaction.atomic
def withdraw_consent(
    actor: User, consent: Consent, note: str = "", storage_choice: str = ""
) -> Consent:
    """Withdraw ``consent``. For the storage consent, ``storage_choice`` records what the
    survivor chose for their data (erase or keep anonymised); a supervisor of the agency
    then carries it out (``ruta.cases.retention.carry_out_storage_choice``)."""
    case = consent.case
    require_team(actor, case)
    if consent.withdrawn_at is not None:
        raise CaseError(_("This consent was already withdrawn."))
    if consent.purpose == ConsentPurpose.STORAGE:
        if storage_choice not in StorageChoice.values:
            raise CaseError(
                _("Ask the person what to do with their data: erase it or keep it anonymised.")
            )
    else:
        storage_choice = ""
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note
    consent.storage_choice = storage_choice
    consent.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note", "storage_choice"]
    )
    _audit(
        "case.consent_withdrawn",
        actor,
        case,
        consent=str(consent.uuid),
        purpose=consent.purpose,
        choice=storage_choice,
    )
    if consent.purpose == ConsentPurpose.SHARE:
        # What relied on this consent ends now (referrals register their revocation).
        extensions.share_consent_withdrawn(actor, consent)
    return consent


def _require_services_consent(case: Case) -> None:
    require_consent(case, ConsentPurpose.SERVICES)
