"""The error every refused step raises and the checks and helpers that all case steps
share: who is on the team, whether the case is open, the audit record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record
from ruta.cases.models import STAGE_ORDER, Case, CaseStatus, Client
from ruta.lib.crypto import keyed_hash
from ruta.lib.permissions import Cap, Role, user_can


class CaseError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


def normalise_document(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def document_hash(number: str) -> str:
    normalised = normalise_document(number)
    return keyed_hash(normalised) if normalised else ""


def duplicate_client_exists(organization_id: int, document_number: str) -> bool:
    """True when the agency already has a client with this document (compared by HMAC)."""
    digest = document_hash(document_number)
    return (
        bool(digest)
        and Client.objects.filter(organization_id=organization_id, document_hash=digest).exists()
    )


def _audit(event: str, actor: User, case: Case, /, **details: Any) -> None:
    """The trail names the case, the event and ids or field names: never a clinical,
    incident or narrative value (scores, risk levels, incident types, reasons), which only
    those who may see the case read, in the case itself."""
    record(event, actor=actor, obj=case, organization=case.organization, details=details)


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise CaseError(_("This case is not open. Reopen it before changing it."))


def _require_not_anonymised(case: Case) -> None:
    if case.anonymised_at is not None:
        raise CaseError(
            _("This case was anonymised: its personal data was erased and it can no longer change.")
        )


def require_team(actor: User, case: Case) -> None:
    """Caseworker of the case or a supervisor of its organization, on a case that can still
    change (an anonymised case is read-only for everyone)."""
    _require_not_anonymised(case)
    same_org = actor.organization_id == case.organization_id
    if not (same_org and user_can(actor, Cap.VIEW_CASES)):
        raise CaseError(_("You are not on this case's team."))
    if actor.role == Role.CASEWORKER and case.caseworker_id != actor.pk:
        raise CaseError(_("You are not on this case's team."))


def require_supervisor(actor: User, case: Case) -> None:
    _require_not_anonymised(case)
    if not (user_can(actor, Cap.SUPERVISE_CASES) and actor.organization_id == case.organization_id):
        raise CaseError(_("Only a supervisor of this agency can do this."))


def _advance(case: Case, stage: str) -> None:
    """Move the case forward to ``stage``; never backwards."""
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(case.stage):
        case.stage = stage
        case.save(update_fields=["stage", "updated_at"])
