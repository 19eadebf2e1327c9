"""Every change to a stabilisation programme: one function per step, atomic, audited.

The audit trail and the notifications carry ids, codes and counts only: never a
beneficiary's id, name or phone. Whether the actor reaches the record is checked by the
caller through ``access``; ``require_team`` checks the step itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.helpline import access as desk
from ruta.helpline import actions as helpline_actions
from ruta.helpline.models import Contact, Reason
from ruta.lib.crypto import find_keyed, keyed_hash
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind
from ruta.stabilisation.models import (
    Beneficiary,
    CheckOutcome,
    LeftReason,
    NeedsCheck,
    Payment,
    PaymentStatus,
    Programme,
    QueueEntry,
    StabilisationContact,
)

PROFILE_FIELDS = ("sex", "age_band", "population_type", "disability", "admin1", "admin2")
OPEN_STATUSES = (PaymentStatus.SCHEDULED, PaymentStatus.DELAYED)


class StabilisationError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


def audit_event(event: str, actor: Any, obj: Any, organization: Any, /, **details: Any) -> None:
    record(event, actor=actor, obj=obj, organization=organization, details=details)


def require_team(actor: Any, programme: Programme) -> None:
    if not desk.on_desk(actor) or actor.organization_id != programme.organization_id:
        raise StabilisationError(_("Only the programme's psychosocial team may do this."))


def today() -> dt.date:
    return timezone.localdate()


def beneficiary_code(programme: Programme, beneficiary_id: str) -> str:
    """The pseudonymous code of a beneficiary: the keyed hash of the programme's own id
    (spaces and case ignored), namespaced by programme."""
    return keyed_hash(_code_text(programme, beneficiary_id))


def _code_text(programme: Programme, beneficiary_id: str) -> str:
    cleaned = "".join(beneficiary_id.split()).upper()
    return f"stabilisation:{programme.uuid}:{cleaned}"


def find_beneficiary(programme: Programme, beneficiary_id: str) -> Beneficiary | None:
    """The programme's beneficiary of ``beneficiary_id``; one enrolled before a field-key
    rotation is re-keyed to the current key as it is seen again (``find_keyed``)."""
    return find_keyed(
        Beneficiary.objects.filter(programme=programme),
        "code",
        _code_text(programme, beneficiary_id),
    )


# --- Programmes ----------------------------------------------------------------------------
@transaction.atomic
def save_programme(actor: Any, form: Any) -> Programme:
    """Save a programme form of a supervisor of the agency's desk (a new one belongs to the
    supervisor's agency)."""
    if not desk.supervises_desk(actor):
        raise StabilisationError(_("Only a supervisor of the agency's desk may do this."))
    programme: Programme = form.save(commit=False)
    new = programme.pk is None
    if new:
        programme.organization_id = actor.organization_id
    elif programme.organization_id != actor.organization_id:
        raise StabilisationError(_("Only a supervisor of the agency's desk may do this."))
    programme.save()
    audit_event(
        "stabilisation.programme.created" if new else "stabilisation.programme.updated",
        actor,
        programme,
        programme.organization,
        fields=sorted(form.changed_data),
    )
    return programme


# --- Beneficiaries and payments -----------------------------------------------------------
def enrol(
    programme: Programme, beneficiary_id: str, *, name: str = "", phone: str = "", **profile: Any
) -> tuple[Beneficiary, bool]:
    """The beneficiary of ``beneficiary_id``, created if new; profile fields and name/phone
    given (non-empty) replace the stored ones."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    beneficiary = find_beneficiary(programme, beneficiary_id)
    created = beneficiary is None
    if beneficiary is None:
        beneficiary = Beneficiary.objects.create(
            programme=programme, code=beneficiary_code(programme, beneficiary_id)
        )
    changed = {k: v for k, v in profile.items() if v}
    if name:
        changed["name"] = name
    if phone:
        changed["phone"] = phone
    if changed:
        for key, value in changed.items():
            setattr(beneficiary, key, value)
        beneficiary.save()
    return beneficiary, created


def set_payment(
    beneficiary: Beneficiary,
    expected_on: dt.date,
    *,
    paid_on: dt.date | None = None,
    amount: Decimal | None = None,
    cancelled: bool = False,
    reopen: bool = False,
) -> Payment:
    """Record (or update) the payment expected on ``expected_on``: paid when ``paid_on``
    is given, cancelled when ``cancelled``; otherwise a new payment is due, and one already
    paid or cancelled stays so unless ``reopen``. The queue follows."""
    payment, _created = Payment.objects.get_or_create(
        beneficiary=beneficiary, expected_on=expected_on
    )
    if amount is not None:
        payment.amount = amount
    if cancelled:
        payment.status, payment.paid_on = PaymentStatus.CANCELLED, None
    elif paid_on is not None:
        payment.status, payment.paid_on = PaymentStatus.PAID, paid_on
    elif reopen and payment.status not in OPEN_STATUSES:
        payment.status, payment.paid_on = PaymentStatus.SCHEDULED, None
    payment.save()
    leave_queue(beneficiary)
    return payment


@transaction.atomic
def record_payment(
    actor: Any,
    payment: Payment,
    *,
    status: str,
    paid_on: dt.date | None = None,
    amount: Decimal | None = None,
) -> Payment:
    """A payment's status set by hand (paid with its date, or cancelled)."""
    programme = payment.beneficiary.programme
    require_team(actor, programme)
    if status == PaymentStatus.PAID and paid_on is None:
        raise StabilisationError(_("Give the date the payment was made."))
    set_payment(
        payment.beneficiary,
        payment.expected_on,
        paid_on=paid_on if status == PaymentStatus.PAID else None,
        amount=amount,
        cancelled=status == PaymentStatus.CANCELLED,
    )
    payment.refresh_from_db()
    audit_event(
        "stabilisation.payment.recorded",
        actor,
        payment,
        programme.organization,
        status=payment.status,
        beneficiary=str(payment.beneficiary.uuid),
    )
    return payment


def leave_queue(beneficiary: Beneficiary) -> int:
    """Close the beneficiary's open queue entry once its payment is paid or cancelled
    (stabilisation ends when the transfer is delivered). How many were closed (0 or 1)."""
    closed = 0
    entries = QueueEntry.objects.filter(beneficiary=beneficiary, left_on__isnull=True)
    for entry in entries.select_related("payment"):
        payment = entry.payment
        if payment.status == PaymentStatus.PAID:
            entry.left_on, entry.left_reason = payment.paid_on or today(), LeftReason.PAID
        elif payment.status == PaymentStatus.CANCELLED:
            entry.left_on, entry.left_reason = today(), LeftReason.CANCELLED
        else:
            continue
        entry.left_on = max(entry.left_on, entry.entered_on)
        entry.save(update_fields=["left_on", "left_reason"])
        closed += 1
    return closed


# --- The delay bridge ---------------------------------------------------------------------
@dataclass
class QueueRun:
    delayed: int = 0
    entered: int = 0
    left: int = 0


def team(programme: Programme) -> list[Any]:
    """The programme's psychosocial team: its agency's helpline operators and supervisors."""
    people = list(desk.desk_operators(programme.organization_id))
    people += list(desk.desk_supervisors(programme.organization_id))
    return people


@transaction.atomic
def refresh_queue(
    on: dt.date | None = None, programmes: Iterable[Programme] | None = None
) -> QueueRun:
    """Mark unpaid payments past their date as delayed; put every beneficiary whose payment
    is the programme's ``delay_days`` late into the queue (once: running it again changes
    nothing) and tell the team how many entered; close the entries whose payment is over.
    Idempotent: the daily ``stabilisation_queue`` command runs it."""
    on = on or today()
    run = QueueRun()
    chosen = Programme.objects.filter(active=True) if programmes is None else programmes
    for programme in chosen:
        payments = Payment.objects.filter(beneficiary__programme=programme)
        run.delayed += payments.filter(
            status=PaymentStatus.SCHEDULED, paid_on__isnull=True, expected_on__lt=on
        ).update(status=PaymentStatus.DELAYED)
        for entry in QueueEntry.objects.filter(
            beneficiary__programme=programme, left_on__isnull=True
        ).exclude(payment__status__in=OPEN_STATUSES):
            run.left += leave_queue(entry.beneficiary)
        late = (
            payments.filter(
                status=PaymentStatus.DELAYED,
                expected_on__lte=on - dt.timedelta(days=programme.delay_days),
            )
            .exclude(
                Exists(
                    QueueEntry.objects.filter(
                        beneficiary_id=OuterRef("beneficiary_id"), left_on__isnull=True
                    )
                )
            )
            .exclude(Exists(QueueEntry.objects.filter(payment_id=OuterRef("pk"))))
            .order_by("beneficiary_id", "expected_on")
        )
        # The earliest late payment of each beneficiary puts them in, once.
        first: dict[int, int] = {}
        for beneficiary_id, payment_id in late.values_list("beneficiary_id", "pk"):
            first.setdefault(beneficiary_id, payment_id)
        QueueEntry.objects.bulk_create(
            [
                QueueEntry(beneficiary_id=beneficiary_id, payment_id=payment_id, entered_on=on)
                for beneficiary_id, payment_id in first.items()
            ]
        )
        entered = len(first)
        if entered:
            notify(
                team(programme),
                NotificationKind.STABILISATION,
                None,
                event="queued",
                count=entered,
                link="stabilisation:queue",
                uuid=str(programme.uuid),
            )
            audit_event(
                "stabilisation.queue.entered",
                None,
                programme,
                programme.organization,
                count=entered,
            )
        run.entered += entered
    return run


# --- Needs checks and stabilisation contacts ----------------------------------------------
@transaction.atomic
def record_check(
    actor: Any,
    beneficiary: Beneficiary,
    *,
    outcome: str,
    needs: Iterable[str] = (),
    checked_on: dt.date | None = None,
) -> NeedsCheck:
    programme = beneficiary.programme
    require_team(actor, programme)
    check = NeedsCheck.objects.create(
        beneficiary=beneficiary,
        outcome=CheckOutcome(outcome),
        needs=sorted(set(needs)),
        checked_on=checked_on or today(),
        checked_by=actor,
    )
    audit_event(
        "stabilisation.check.recorded",
        actor,
        check,
        programme.organization,
        outcome=check.outcome,
        beneficiary=str(beneficiary.uuid),
    )
    return check


@transaction.atomic
def record_contact(
    actor: Any,
    beneficiary: Beneficiary,
    *,
    reasons: Iterable[Reason] = (),
    phone: str = "",
    **fields: Any,
) -> Contact:
    """A stabilisation contact: a helpline contact (same fields, same PFA steps after it)
    taken by ``actor`` and linked to ``beneficiary`` and to their open queue entry."""
    programme = beneficiary.programme
    require_team(actor, programme)
    contact = helpline_actions.create_contact(actor, reasons=reasons, phone=phone, **fields)
    entry = QueueEntry.objects.filter(beneficiary=beneficiary, left_on__isnull=True).first()
    StabilisationContact.objects.create(contact=contact, beneficiary=beneficiary, queue_entry=entry)
    audit_event(
        "stabilisation.contact.linked",
        actor,
        contact,
        programme.organization,
        beneficiary=str(beneficiary.uuid),
        queued=entry is not None,
    )
    return contact


def contact_profile(beneficiary: Beneficiary) -> dict[str, Any]:
    """The helpline contact form's profile fields, filled from the beneficiary's."""
    return {name: getattr(beneficiary, name) for name in PROFILE_FIELDS}
