"""Every change on the helpline desk: one function per step, atomic, audited.

Functions take the acting user first and raise ``HelplineError`` (a translated message for
the person). Whether the actor reaches the record at all is checked by the caller through
``access``; who may take each step is checked here. The audit trail and the notifications
carry ids, event names, field names and counts only: never a caller's answers, a phone
number or what was said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record
from ruta.cases import actions as case_actions
from ruta.cases.models import CHILD_BANDS, AgeBand, ConsentGiver, ConsentMethod, PopulationType
from ruta.helpline import access
from ruta.helpline.models import (
    Callback,
    CallbackStatus,
    Contact,
    ContactStatus,
    DeskSettings,
    Handoff,
    HandoffKind,
    Handover,
    Reason,
    RiskAlert,
    RiskQuestion,
)
from ruta.lib.crypto import keyed_hash, keyed_hashes
from ruta.lib.permissions import Cap, user_can
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind
from ruta.notifications.tasks import send_notification_emails
from ruta.referrals.actions import send_referral
from ruta.referrals.models import ShareField, Urgency

# The coded profile and the free text a contact's form may set (``update_contact``).
PROFILE_FIELDS = (
    "channel",
    "started_at",
    "ended_at",
    "language",
    "sex",
    "age_band",
    "nationality",
    "population_type",
    "disability",
    "admin1",
    "admin2",
    "is_repeat",
    "what_was_done",
)
PFA_FIELDS = ("needs", "distress_before", "distress_after", "information_given", "follow_up")


class HelplineError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


class Forbidden(HelplineError):
    """The actor reaches the record but may not take this step."""


class ProtocolIncomplete(HelplineError):
    """The risk protocol's required fields are missing (HTTP 409 on closing)."""


def _audit(
    event: str,
    actor: User,
    obj: Any,
    organization: Any,
    /,
    on_behalf_of: User | None = None,
    **details: Any,
) -> None:
    """One audit entry. ``on_behalf_of``: the operator whose contact, call-back or shift the
    actor acted on, when that is somebody else (the audit keeps both)."""
    record(
        event,
        actor=actor,
        obj=obj,
        organization=organization,
        details=details,
        on_behalf_of=on_behalf_of,
    )


def _owner(actor: User, owner_id: int | None) -> User | None:
    """The operator on whose behalf ``actor`` acts: the record's own operator, when that is
    not the actor."""
    if owner_id is None or owner_id == actor.pk:
        return None
    owner: User | None = User.objects.filter(pk=owner_id).first()
    return owner


def _require_desk(actor: User, organization_id: int) -> None:
    if not access.on_desk(actor) or actor.organization_id != organization_id:
        raise Forbidden(_("Only the agency's helpline desk may do this."))


def _require_supervisor(actor: User, organization_id: int) -> None:
    if not access.supervises_desk(actor) or actor.organization_id != organization_id:
        raise Forbidden(_("Only a supervisor of the agency's desk may do this."))


def _phone_text(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"helpline-phone:{digits}" if digits else ""


def phone_hash(number: str) -> str:
    """The keyed hash of a phone number, of its digits only (spaces, dashes and a leading
    plus do not make another caller). Empty for no number."""
    text = _phone_text(number)
    return keyed_hash(text) if text else ""


def _is_known_number(organization_id: int, number: str, exclude_pk: int | None = None) -> bool:
    """Whether the agency had a contact from ``number`` before. Contacts hashed under an
    older field key are re-keyed to the current one as the number is seen again, so a
    repeat caller stays one caller in the figures after a key rotation."""
    text = _phone_text(number)
    if not text:
        return False
    current, *older = keyed_hashes(text)
    contacts = Contact.objects.filter(organization_id=organization_id)
    if older:
        contacts.filter(phone_hash__in=older).update(phone_hash=current)
    earlier = contacts.filter(phone_hash=current)
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    return earlier.exists()


# --- Contacts -----------------------------------------------------------------------------
@transaction.atomic
def create_contact(
    actor: User,
    *,
    reasons: Iterable[Reason] = (),
    phone: str = "",
    started_at: dt.datetime | None = None,
    operator: User | None = None,
    **fields: Any,
) -> Contact:
    """A new contact taken by ``actor``, or recorded by ``actor`` for ``operator``, another
    operator of the same desk (the audit names both). ``phone`` is only hashed, to recognise
    a repeat caller: the number itself is never stored on a contact."""
    if not user_can(actor, Cap.HANDLE_HELPLINE) or actor.organization_id is None:
        raise Forbidden(_("Only the agency's helpline desk may do this."))
    operator = operator or actor
    if operator.organization_id != actor.organization_id or not access.on_desk(operator):
        raise HelplineError(_("Choose somebody on the agency's desk as the operator."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    contact = Contact(
        organization_id=actor.organization_id,
        operator=operator,
        started_at=started_at or timezone.now(),
        **fields,
    )
    hashed = phone_hash(phone)
    contact.phone_hash = hashed
    if _is_known_number(actor.organization_id, phone):
        contact.is_repeat = True
    contact.save()
    chosen = list(reasons)
    contact.reasons.set(chosen)
    _audit(
        "helpline.contact.created",
        actor,
        contact,
        contact.organization,
        _owner(actor, operator.pk),
        contact=str(contact.uuid),
        channel=contact.channel,
        count=len(chosen),
    )
    return contact


def _require_open(contact: Contact) -> None:
    if contact.status != ContactStatus.OPEN:
        raise HelplineError(_("This contact is closed."))


@transaction.atomic
def update_contact(
    actor: User,
    contact: Contact,
    *,
    reasons: Iterable[Reason] | None = None,
    phone: str = "",
    **fields: Any,
) -> Contact:
    _require_desk(actor, contact.organization_id)
    _require_open(contact)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    changed = sorted(name for name, value in fields.items() if getattr(contact, name) != value)
    for name, value in fields.items():
        setattr(contact, name, value)
    if phone:
        contact.phone_hash = phone_hash(phone)
        if _is_known_number(contact.organization_id, phone, contact.pk):
            contact.is_repeat = True
        changed.append("phone_hash")
    contact.save()
    if reasons is not None:
        contact.reasons.set(list(reasons))
        changed.append("reasons")
    _audit(
        "helpline.contact.updated",
        actor,
        contact,
        contact.organization,
        _owner(actor, contact.operator_id),
        contact=str(contact.uuid),
        fields=changed,
    )
    return contact


@transaction.atomic
def record_first_aid(
    actor: User, contact: Contact, *, services: Iterable[Any] = (), **fields: Any
) -> Contact:
    """The look-listen-link steps: needs, distress before and after, information given,
    services suggested from the directory and the follow-up agreed."""
    _require_desk(actor, contact.organization_id)
    _require_open(contact)
    unknown = set(fields) - set(PFA_FIELDS)
    if unknown:
        raise ValueError(f"not first-aid fields: {sorted(unknown)}")
    for name in ("distress_before", "distress_after"):
        value = fields.get(name)
        if value is not None and not 0 <= value <= 10:
            raise HelplineError(_("Distress is a number from 0 to 10."))
    changed = sorted(name for name, value in fields.items() if getattr(contact, name) != value)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.pfa_recorded_at = timezone.now()
    contact.save()
    chosen = list(services)
    contact.services_suggested.set(chosen)
    _audit(
        "helpline.first_aid.recorded",
        actor,
        contact,
        contact.organization,
        _owner(actor, contact.operator_id),
        contact=str(contact.uuid),
        fields=changed,
        services=len(chosen),
    )
    return contact


def protocol_incomplete(contact: Contact) -> bool:
    """A "yes" in the screening and no action taken recorded yet."""
    return contact.risk_yes.exists() and not contact.risk_action.strip()


@transaction.atomic
def record_screening(
    actor: User,
    contact: Contact,
    *,
    yes: Iterable[RiskQuestion],
    action_taken: str = "",
) -> RiskAlert | None:
    """Store the screening's "yes" answers and the action taken. The first "yes" on a
    contact raises its risk alert: the desk's supervisors are told at once, in the app and
    by e-mail. The answers are saved even while the action taken is missing, so the alert
    never waits for the form to be complete. Returns the contact's alert, if any."""
    _require_desk(actor, contact.organization_id)
    _require_open(contact)
    answered_yes = list(yes)
    contact.risk_yes.set(answered_yes)
    contact.risk_screened_at = timezone.now()
    if action_taken.strip() or not answered_yes:
        contact.risk_action = action_taken.strip()
    contact.save(update_fields=["risk_screened_at", "risk_action"])
    _audit(
        "helpline.risk.screened",
        actor,
        contact,
        contact.organization,
        _owner(actor, contact.operator_id),
        contact=str(contact.uuid),
        fields=["risk_action"] if contact.risk_action else [],
    )
    alert: RiskAlert | None = RiskAlert.objects.filter(contact=contact).first()
    if answered_yes and alert is None:
        alert = _raise_alert(actor, contact)
    return alert


def _raise_alert(actor: User, contact: Contact) -> RiskAlert:
    alert = RiskAlert.objects.create(
        contact=contact,
        organization_id=contact.organization_id,
        raised_by=actor,
        raised_at=timezone.now(),
    )
    supervisors = list(access.desk_supervisors(contact.organization_id))
    _audit(
        "helpline.alert.raised",
        actor,
        alert,
        contact.organization,
        _owner(actor, contact.operator_id),
        contact=str(contact.uuid),
        alert=str(alert.uuid),
        recipients=len(supervisors),
    )
    notify(
        supervisors,
        NotificationKind.HELPLINE_RISK,
        None,
        event="raised",
        reference=contact.reference,
        link="helpline:contact_detail",
        uuid=str(contact.uuid),
    )
    if not settings.RUTA_NOTIFY_BY_EMAIL:  # otherwise notify() already sends the e-mail
        ids = [person.pk for person in supervisors]
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return alert


@transaction.atomic
def acknowledge_alert(actor: User, alert: RiskAlert) -> RiskAlert:
    _require_supervisor(actor, alert.organization_id)
    if alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(
        "helpline.alert.acknowledged",
        actor,
        alert,
        alert.contact.organization,
        contact=str(alert.contact.uuid),
        alert=str(alert.uuid),
    )
    return alert


@transaction.atomic
def close_contact(actor: User, contact: Contact) -> Contact:
    """End a contact. Refused while a "yes" in the screening has no action taken."""
    _require_desk(actor, contact.organization_id)
    _require_open(contact)
    if protocol_incomplete(contact):
        raise ProtocolIncomplete(
            _("Record the action taken under the risk protocol before closing the contact.")
        )
    now = timezone.now()
    contact.ended_at = contact.ended_at or max(now, contact.started_at)
    contact.status = ContactStatus.CLOSED
    contact.save(update_fields=["ended_at", "status"])
    _audit(
        "helpline.contact.closed",
        actor,
        contact,
        contact.organization,
        _owner(actor, contact.operator_id),
        contact=str(contact.uuid),
    )
    return contact


# --- Supervision and staff care -----------------------------------------------------------
@transaction.atomic
def mark_reviewed(actor: User, contact: Contact) -> Contact:
    _require_supervisor(actor, contact.organization_id)
    if contact.reviewed_at is None:
        contact.reviewed_at = timezone.now()
        contact.reviewed_by = actor
        contact.save(update_fields=["reviewed_at", "reviewed_by"])
        _audit(
            "helpline.contact.reviewed",
            actor,
            contact,
            contact.organization,
            contact=str(contact.uuid),
        )
    return contact


@transaction.atomic
def request_debrief(actor: User, contact: Contact) -> Contact:
    """The operator who took a distressing contact asks their supervisor for a debrief."""
    _require_desk(actor, contact.organization_id)
    if contact.operator_id != actor.pk:
        raise Forbidden(_("Only the operator who took the contact may ask for a debrief."))
    if contact.debrief_requested_at is None:
        contact.debrief_requested_at = timezone.now()
        contact.save(update_fields=["debrief_requested_at"])
        supervisors = list(access.desk_supervisors(contact.organization_id))
        _audit(
            "helpline.debrief.requested",
            actor,
            contact,
            contact.organization,
            contact=str(contact.uuid),
            recipients=len(supervisors),
        )
        notify(
            supervisors,
            NotificationKind.HELPLINE_RISK,
            None,
            event="debrief",
            reference=contact.reference,
            link="helpline:contact_detail",
            uuid=str(contact.uuid),
        )
    return contact


# --- Call-backs ---------------------------------------------------------------------------
@transaction.atomic
def schedule_callback(
    actor: User,
    contact: Contact,
    *,
    due_at: dt.datetime,
    assigned_to: User | None = None,
    phone: str = "",
    name: str = "",
    safe_instructions: str = "",
) -> Callback:
    """A call the desk owes the caller, for an operator of the desk or for its queue."""
    _require_desk(actor, contact.organization_id)
    if assigned_to is not None and not (
        assigned_to.organization_id == contact.organization_id and access.on_desk(assigned_to)
    ):
        raise HelplineError(_("Assign the call-back to somebody on the agency's desk."))
    if not phone.strip():
        raise HelplineError(_("A call-back needs the number to call."))
    callback = Callback.objects.create(
        organization_id=contact.organization_id,
        contact=contact,
        due_at=due_at,
        assigned_to=assigned_to,
        phone=phone.strip(),
        name=name.strip(),
        safe_instructions=safe_instructions.strip(),
        created_by=actor,
        created_at=timezone.now(),
    )
    _audit(
        "helpline.callback.scheduled",
        actor,
        callback,
        contact.organization,
        _owner(actor, contact.operator_id),
        contact=str(contact.uuid),
        callback=str(callback.uuid),
        recipient=str(assigned_to.uuid) if assigned_to else "",
    )
    return callback


def _erase(callback: Callback, now: dt.datetime) -> None:
    callback.phone = ""
    callback.name = ""
    callback.safe_instructions = ""
    callback.erased_at = now


@transaction.atomic
def finish_callback(actor: User, callback: Callback, *, done: bool = True) -> Callback:
    """Mark a call-back done (or cancelled): its personal data is erased at once."""
    _require_desk(actor, callback.organization_id)
    if callback.status != CallbackStatus.PENDING:
        raise HelplineError(_("This call-back is already over."))
    now = timezone.now()
    callback.status = CallbackStatus.DONE if done else CallbackStatus.CANCELLED
    callback.done_at = now
    _erase(callback, now)
    callback.save()
    _audit(
        "helpline.callback.finished",
        actor,
        callback,
        callback.contact.organization,
        _owner(actor, callback.assigned_to_id),
        callback=str(callback.uuid),
        status=callback.status,
    )
    return callback


def erase_callbacks(now: dt.datetime | None = None) -> int:
    """Erase the personal data of every call-back that is over, or was scheduled more than
    ``RUTA_HELPLINE_CALLBACK_DAYS`` ago (such a call-back, still pending, is cancelled: there
    is no number left to call). Run by the task ``erase_callback_data`` (daily)."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.RUTA_HELPLINE_CALLBACK_DAYS)
    due = Callback.objects.filter(erased_at__isnull=True).filter(
        ~Q(status=CallbackStatus.PENDING) | Q(created_at__lte=limit)
    )
    count = 0
    for callback in due.select_related("organization"):
        with transaction.atomic():
            _erase(callback, now)
            if callback.status == CallbackStatus.PENDING:  # too old: nobody can call now
                callback.status = CallbackStatus.CANCELLED
                callback.done_at = now
            callback.save(
                update_fields=[
                    "phone",
                    "name",
                    "safe_instructions",
                    "erased_at",
                    "status",
                    "done_at",
                ]
            )
            record(
                "helpline.callback.erased",
                obj=callback,
                organization=callback.organization,
                details={"callback": str(callback.uuid), "status": callback.status},
            )
        count += 1
    return count


@transaction.atomic
def set_protocol_text(actor: User, text: str) -> None:
    """The agency's own risk protocol text (its supervisors keep it)."""
    _require_supervisor(actor, actor.organization_id or 0)
    own, _created = DeskSettings.objects.get_or_create(organization_id=actor.organization_id)
    own.protocol_text = text
    own.save(update_fields=["protocol_text"])
    _audit(
        "helpline.protocol.updated",
        actor,
        own,
        actor.organization,
        fields=["protocol_text"],
    )


# --- Warm referral ------------------------------------------------------------------------
# What the operator may tick to share, in the referral machinery's own field names: the
# contact's coded profile, and the name and number only when the caller gives them for this.
HANDOFF_FIELDS = (
    ShareField.NAME,
    ShareField.PHONE,
    ShareField.AGE_BAND,
    ShareField.SEX,
    ShareField.NATIONALITY,
    ShareField.POPULATION,
    ShareField.REGION,
)


class ConsentMissing(HelplineError):
    """No consent of the caller's recorded for the referral (HTTP 409)."""


def _case_owner(actor: User, organization_id: int) -> User:
    """The supervisor who owns the case a handoff opens: the actor when they supervise the
    desk, otherwise the agency's first active supervisor."""
    if access.supervises_desk(actor):
        return actor
    owner = access.desk_supervisors(organization_id).first()
    if owner is None:
        raise HelplineError(_("Your agency has no supervisor to hand the case to."))
    owner_user: User = owner
    return owner_user


def _client_fields(
    contact: Contact, fields: Iterable[str], name: str, phone: str
) -> dict[str, Any]:
    """Only the ticked fields of the contact's coded profile, never a "prefers not to say"
    (the case has no such value: it stays unknown), plus the name and number given."""
    chosen = set(fields)
    data: dict[str, Any] = {}
    if ShareField.NAME in chosen:
        data["alias"] = name.strip()
    if ShareField.PHONE in chosen:
        data["phone"] = phone.strip()
    if ShareField.AGE_BAND in chosen and contact.age_band in AgeBand.values:
        data["age_band"] = contact.age_band
    if ShareField.SEX in chosen and contact.sex:
        data["sex"] = contact.sex
    if ShareField.NATIONALITY in chosen and len(contact.nationality) == 2:
        data["nationality"] = contact.nationality
    if ShareField.POPULATION in chosen and contact.population_type in PopulationType.values:
        data["population_type"] = contact.population_type
    if ShareField.REGION in chosen:
        data["admin1"] = contact.admin1[:10]
    return data


@transaction.atomic
def hand_off(
    actor: User,
    contact: Contact,
    *,
    kind: str,
    case_type: str,
    fields: Iterable[str],
    organization: Any = None,
    consent: bool = False,
    urgency: str = Urgency.NORMAL,
    reason: str = "",
    name: str = "",
    phone: str = "",
    given_by: str = ConsentGiver.SELF,
    child_assent: str = "",
) -> Handoff:
    """A warm referral from a contact, in one step.

    A minimal case (only the ticked fields) is opened in the desk's own agency, owned by a
    supervisor; the operator never joins its team. For ``HandoffKind.REFERRAL`` the caller's
    consent to share with ``organization`` is recorded on that case (verbal) and the referral
    is sent from it through the referral machinery (SLA, accept or decline, audit); for
    ``HandoffKind.CASE`` the supervisor is told to assign the case. Refused without the
    caller's consent to the referral, or when a ticked field is not offered.

    ``given_by`` says who consented (the person, or a parent or caregiver) and
    ``child_assent`` the child's answer: for a caller in a child's age band the rules of
    ``cases.actions.check_consent_giver`` apply (a caregiver consents under 15, the child's
    assent is asked from 6 to 14 and must be given), and both are recorded on the consent."""
    _require_desk(actor, contact.organization_id)
    if contact.operator_id != actor.pk and not access.supervises_desk(actor):
        raise Forbidden(_("Only the operator who took the contact may refer the caller."))
    if kind not in HandoffKind.values:
        raise HelplineError(_("Choose a referral to another agency or a case in yours."))
    chosen = list(dict.fromkeys(fields))
    if any(f not in HANDOFF_FIELDS for f in chosen):
        raise HelplineError(_("Choose the information to share from the list."))
    if ShareField.NAME in chosen and not name.strip():
        raise HelplineError(_("Write the name the caller gave for this referral, or untick it."))
    if ShareField.PHONE in chosen and not phone.strip():
        raise HelplineError(_("Write the number the caller gave for this referral, or untick it."))
    if kind == HandoffKind.REFERRAL:
        if organization is None or organization.pk == contact.organization_id:
            raise HelplineError(_("Choose another agency to refer the caller to."))
        if not consent:
            raise ConsentMissing(
                _(
                    "Record the caller's consent to share this information with the named "
                    "organization for this referral before sending it."
                )
            )
        band = contact.age_band if contact.age_band in CHILD_BANDS else ""
        try:
            child_assent = case_actions.check_consent_giver(band, given_by, child_assent)
        except case_actions.CaseError as error:
            raise ConsentMissing(str(error)) from error
        if not band:  # an adult, or an age not told: there is no child's assent to record
            child_assent = ""
    else:
        given_by, child_assent = "", ""
    owner = _case_owner(actor, contact.organization_id)
    try:
        case = case_actions.register_case(
            owner,
            client_fields=_client_fields(contact, chosen, name, phone),
            case_type=case_type,
            caseworker=owner,
        )
        referral = None
        if kind == HandoffKind.REFERRAL:
            referral = send_referral(
                owner,
                case,
                organization=organization,
                fields=chosen,
                urgency=urgency,
                reason=reason.strip(),
                consent={
                    "method": ConsentMethod.VERBAL,
                    "given_by": given_by,
                    "child_assent": child_assent,
                },
            )
    except case_actions.CaseError as error:
        raise HelplineError(str(error)) from error
    handoff = Handoff.objects.create(
        contact=contact,
        organization_id=contact.organization_id,
        kind=kind,
        case=case,
        referral=referral,
        made_by=actor,
        made_at=timezone.now(),
    )
    _audit(
        "helpline.handoff.made",
        actor,
        handoff,
        contact.organization,
        _owner(actor, contact.operator_id),
        contact=str(contact.uuid),
        kind=kind,
        case=str(case.uuid),
        owner=str(owner.uuid),
        reference=referral.reference if referral is not None else "",
        to=str(organization.uuid) if referral is not None else "",
        fields=chosen,
    )
    if kind == HandoffKind.CASE and owner.pk != actor.pk:
        notify([owner], NotificationKind.ASSIGNED, case)
    return handoff


# --- Shift handover -----------------------------------------------------------------------
# A shift without an earlier handover of the operator's own counts from this long ago.
DEFAULT_SHIFT = dt.timedelta(hours=12)


def shift_start(operator: User, now: dt.datetime) -> dt.datetime:
    earlier = (
        Handover.objects.filter(from_operator=operator, created_at__lte=now)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return max(earlier, now - DEFAULT_SHIFT) if earlier is not None else now - DEFAULT_SHIFT


@transaction.atomic
def hand_over(
    actor: User,
    *,
    notes: str = "",
    now: dt.datetime | None = None,
    on_behalf_of: User | None = None,
) -> Handover:
    """End the actor's shift with notes for the next operator; or, with ``on_behalf_of``,
    end the shift of another operator of the desk who could not (the handover is theirs,
    the audit names both)."""
    if actor.organization_id is None:
        raise Forbidden(_("Only the agency's helpline desk may do this."))
    _require_desk(actor, actor.organization_id)
    operator = on_behalf_of or actor
    if operator.organization_id != actor.organization_id or not access.on_desk(operator):
        raise HelplineError(_("Choose somebody on the agency's desk as the operator."))
    now = now or timezone.now()
    handover = Handover.objects.create(
        organization_id=actor.organization_id,
        from_operator=operator,
        shift_started_at=shift_start(operator, now),
        created_at=now,
        notes=notes.strip(),
    )
    _audit(
        "helpline.handover.made",
        actor,
        handover,
        actor.organization,
        _owner(actor, operator.pk),
        length=len(handover.notes),
    )
    return handover


@transaction.atomic
def acknowledge_handover(actor: User, handover: Handover) -> Handover:
    """The next operator has read the handover. Not its own author."""
    _require_desk(actor, handover.organization_id)
    if handover.from_operator_id == actor.pk:
        raise Forbidden(_("The next operator acknowledges a handover, not its author."))
    if handover.acknowledged_at is not None:
        return handover
    handover.acknowledged_at = timezone.now()
    handover.acknowledged_by = actor
    handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit("helpline.handover.acknowledged", actor, handover, actor.organization)
    return handover
