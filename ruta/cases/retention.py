"""The end of a case's life: anonymisation and erasure.

A closed case is kept for its organization's retention period (``Organization.
retention_years``, default ``RUTA_CASE_RETENTION_YEARS``); after it, ``anonymise_expired``
(the task and ``manage.py anonymise_expired_cases``) anonymises it. A withdrawal of the
consent to store data ends the same way, or in full erasure, as the survivor chose.

Anonymising empties every encrypted field of the client and of every record that hangs
from the case (found through the model relations, so a new encrypted field or record is
never forgotten), clears the document hash and the exact age, and keeps the coded fields
(sex, age band, nationality, population type, incident types, dates, risk, status) so the
figures still count the case. The apps above cases empty their own copies through
``extensions.on_case_anonymised``. The audit trail gets one event with counts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.cases import extensions
from ruta.cases.actions.common import CaseError, require_supervisor
from ruta.cases.models import (
    AnonymisedReason,
    ApprovalRequest,
    ApprovalState,
    Case,
    CaseStatus,
    Client,
    Consent,
    ConsentPurpose,
    StorageChoice,
)
from ruta.lib.fields import empty_encrypted, encrypted_fields

if TYPE_CHECKING:
    from ruta.accounts.models import User

BATCH = 100
# Records further from the case than this are not looked for (the deepest today is 2:
# case -> action plan -> goal).
MAX_DEPTH = 4


# --- Which records belong to a case ----------------------------------------------------
def case_record_lookups() -> dict[type[models.Model], list[str]]:
    """Each model of the cases app that hangs from ``Case`` (at any depth), with the
    lookups from it to its case: ``{Goal: ["plan__case"], PlanAction: ["case", ...]}``."""
    found: dict[type[models.Model], list[str]] = {}
    frontier: list[tuple[type[models.Model], str]] = [(Case, "")]
    for _depth in range(MAX_DEPTH):
        following: list[tuple[type[models.Model], str]] = []
        for model, path in frontier:
            for relation in model._meta.related_objects:
                related = relation.related_model
                if relation.many_to_many or not isinstance(related, type):
                    continue
                if related._meta.app_label != Case._meta.app_label:
                    continue  # other apps empty their own copies through the hooks
                field_name = relation.field.name
                lookup = f"{field_name}__{path}" if path else field_name
                lookups = found.setdefault(related, [])
                if lookup not in lookups:
                    lookups.append(lookup)
                    following.append((related, lookup))
        frontier = following
    return found


def _records_of(model: type[models.Model], lookups: list[str], case: Case) -> Any:
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: case})
    chosen = model._default_manager.filter(condition).values("pk")
    return model._default_manager.filter(pk__in=chosen)


def covered_models() -> set[str]:
    """Every model whose encrypted fields are emptied when a case is anonymised."""
    labels = {model._meta.label for model in case_record_lookups()}
    labels |= {Case._meta.label, Client._meta.label}
    return labels | extensions.anonymisation_covers()


# --- Anonymisation ----------------------------------------------------------------------
def _anonymise_client(client: Client, case: Case) -> int:
    """Empty the client's identity unless another case of theirs still needs it."""
    if client.cases.exclude(pk=case.pk).filter(anonymised_at__isnull=True).exists():
        return 0
    names = encrypted_fields(Client)
    Client.objects.filter(pk=client.pk).update(
        document_hash="", age=None, **dict.fromkeys(names, "")
    )
    return 1


@transaction.atomic
def anonymise_case(case: Case, reason: str, actor: User | None = None) -> bool:
    """Erase the case's identity and narratives, keep its coded fields; idempotent.

    Answers False when the case was already anonymised (nothing is done or recorded).
    An open case (a withdrawal of the storage consent) is closed today.
    """
    if reason not in AnonymisedReason.values:
        raise ValueError(f"Unknown reason for anonymising: {reason}")
    case = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
    if case.anonymised_at is not None:
        return False
    records = _anonymise_client(case.client, case)
    for model, lookups in case_record_lookups().items():
        records += empty_encrypted(_records_of(model, lookups, case))
    linked = extensions.case_anonymised(case)
    ApprovalRequest.objects.filter(case=case, state=ApprovalState.PENDING).update(
        state=ApprovalState.WITHDRAWN
    )
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(
        **dict.fromkeys(encrypted_fields(Case), ""),
        status=CaseStatus.CLOSED,
        closed_on=case.closed_on or today,
        next_contact_on=None,
        next_action_due_on=None,
        anonymised_at=timezone.now(),
        anonymised_reason=reason,
        updated_at=timezone.now(),
    )
    record(
        "case.anonymised",
        actor=actor,
        obj=case,
        organization=case.organization,
        details={"reason": reason, "records": records + 1, "linked": linked},
    )
    return True


# --- Erasure ---------------------------------------------------------------------------
@transaction.atomic
def erase_case(case: Case, actor: User | None = None) -> dict[str, int]:
    """Delete the case, its client (unless another case of theirs remains) and every record
    of it; the apps above remove what they hold. The trail keeps the case's id, agency and
    the counts: nothing else."""
    case = Case.objects.select_for_update().select_related("organization", "client").get(pk=case.pk)
    records = 1
    for model, lookups in case_record_lookups().items():
        records += int(_records_of(model, lookups, case).count())
    linked = extensions.case_erased(case)
    record(
        "case.erased",
        actor=actor,
        obj=case,
        organization=case.organization,
        details={"records": records, "linked": linked},
    )
    client = case.client
    case.delete()
    if not client.cases.exists():
        client.delete()
    return {"records": records, **linked}


# --- Withdrawal of the storage consent -------------------------------------------------
def pending_storage_withdrawal(case: Case) -> Consent | None:
    """The withdrawn storage consent whose choice (erase or anonymise) still waits for a
    supervisor; None when nothing waits (no such withdrawal, the case is already
    anonymised, or the person gave their consent to storage again)."""
    if case.anonymised_at is not None:
        return None
    storage = case.consents.filter(purpose=ConsentPurpose.STORAGE)
    if storage.filter(withdrawn_at__isnull=True).exists():
        return None
    return (
        storage.filter(withdrawn_at__isnull=False)
        .exclude(storage_choice="")
        .order_by("-withdrawn_at", "-id")
        .first()
    )


@transaction.atomic
def carry_out_storage_choice(actor: User, case: Case) -> str:
    """A supervisor of the agency carries out the survivor's choice after a withdrawal of
    the storage consent: erase the case or anonymise it. Answers the choice."""
    require_supervisor(actor, case)
    consent = pending_storage_withdrawal(case)
    if consent is None:
        raise CaseError(_("Nothing waits to be done with this case's data."))
    if consent.storage_choice == StorageChoice.ERASE:
        erase_case(case, actor)
    else:
        anonymise_case(case, AnonymisedReason.STORAGE_CONSENT_WITHDRAWN, actor)
    return consent.storage_choice


# --- Expiry ----------------------------------------------------------------------------
def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Expired:
    """An organization with its retention period and its closed cases past it."""

    organization: Organization
    years: int
    cases: list[Case]


def expired_cases(organization: Organization, today: dt.date) -> models.QuerySet[Case]:
    """Closed, not yet anonymised cases of ``organization`` whose retention ended: a case
    closed on 10 March 2021 with 5 years is kept until 10 March 2026 and goes the day
    after. Open cases are never touched."""
    cutoff = years_before(today, organization.retention_years)
    return Case.objects.filter(
        organization=organization,
        status=CaseStatus.CLOSED,
        closed_on__isnull=False,
        closed_on__lt=cutoff,
        anonymised_at__isnull=True,
    ).order_by("closed_on", "pk")


def expired_by_organization(today: dt.date | None = None) -> Iterator[Expired]:
    """The organizations with expired cases, each with the cases (codes and dates only)."""
    today = today or timezone.localdate()
    for organization in Organization.objects.order_by("name"):
        cases = list(expired_cases(organization, today).only("pk", "code", "closed_on"))
        if cases:
            yield Expired(organization, organization.retention_years, cases)


def anonymise_expired(today: dt.date | None = None, batch: int = BATCH) -> int:
    """Anonymise every expired case, ``batch`` cases per transaction; answers how many.
    Run again, it does nothing more (anonymised cases are no longer expired)."""
    today = today or timezone.localdate()
    done = 0
    for expired in expired_by_organization(today):
        pks = [case.pk for case in expired.cases]
        for start in range(0, len(pks), batch):
            with transaction.atomic():
                for case in Case.objects.filter(pk__in=pks[start : start + batch]):
                    done += anonymise_case(case, AnonymisedReason.RETENTION)
    return done
