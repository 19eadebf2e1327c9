"""Every step of a referral: one function per transition, atomic, audited, notifying.

A step not allowed raises ``ReferralError`` (a translated message for the person; views
answer 409). The consent gate is checked here, server-side, on every send; a withdrawal
of the consent revokes the live referrals that relied on it.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.cases import actions as case_actions
from ruta.cases import system_text
from ruta.cases.access import supervisors_of, visible_cases
from ruta.cases.models import (
    Case,
    CaseStatus,
    CaseType,
    Consent,
    ConsentPurpose,
    NeedLevel,
)
from ruta.directory.models import ServiceStatus
from ruta.lib.permissions import Cap, Role, user_can
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind
from ruta.referrals.models import (
    LIVE_STATUSES,
    TRANSITIONS,
    Channel,
    DeclineReason,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ShareField,
    Urgency,
)

if TYPE_CHECKING:
    from ruta.accounts.models import User


class ReferralError(case_actions.CaseError):
    """A referral step that cannot be taken; ``str(error)`` is a message for the person."""


DEFAULT_HOURS: dict[str, int] = {Urgency.URGENT: 24, Urgency.NORMAL: 72}


def response_hours(urgency: str) -> int:
    """Hours the receiver has to answer, by urgency (``RUTA_REFERRAL_HOURS`` overrides)."""
    configured = getattr(settings, "RUTA_REFERRAL_HOURS", {}) or {}
    return int(configured.get(urgency, DEFAULT_HOURS.get(urgency, 72)))


# --- Helpers ---------------------------------------------------------------------------
def audit_event(event: str, actor: User | None, referral: Referral, /, **details: Any) -> None:
    organization = actor.organization if actor is not None else referral.from_organization
    record(
        event,
        actor=actor,
        obj=referral,
        organization=organization,
        details={"reference": referral.reference, **details},
    )


def _move(referral: Referral, status: str) -> None:
    if status not in TRANSITIONS[referral.status]:
        raise ReferralError(
            _("A referral that is “%(current)s” cannot become “%(next)s”.")
            % {
                "current": ReferralStatus(referral.status).label,
                "next": ReferralStatus(status).label,
            }
        )
    referral.status = status


def _event(referral: Referral, actor: User, note: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral,
        status=referral.status,
        actor=actor,
        organization=getattr(actor, "organization", None),
        at=timezone.now(),
        note=note[:300],
    )


def sender_team(referral: Referral) -> list[Any]:
    case = referral.case
    people: dict[int, Any] = {case.caseworker_id: case.caseworker}
    if case.supervisor_id:
        people[case.supervisor_id] = case.supervisor
    else:
        people.update({u.pk: u for u in supervisors_of(case.organization_id)})
    return [p for p in people.values() if p is not None and p.is_active]


def receiver_team(referral: Referral) -> list[Any]:
    people = {u.pk: u for u in supervisors_of(referral.to_organization_id)}
    if referral.assigned_to_id and referral.assigned_to is not None:
        people[referral.assigned_to_id] = referral.assigned_to
    return list(people.values())


def notify_team(people: Iterable[Any], referral: Referral, event: str, case: Case | None) -> None:
    """In-app notice naming the referral by reference only; never personal data."""
    notify(
        people,
        NotificationKind.REFERRAL,
        case,
        event=event,
        reference=referral.reference,
        link="referrals:detail",
        uuid=str(referral.uuid),
    )


def _is_receiver(actor: User, referral: Referral) -> bool:
    if actor.organization_id != referral.to_organization_id or not user_can(actor, Cap.VIEW_CASES):
        return False
    return user_can(actor, Cap.SUPERVISE_CASES) or referral.assigned_to_id == actor.pk


def _require_receiver(actor: User, referral: Referral) -> None:
    if referral.channel != Channel.ON_RUTA or not _is_receiver(actor, referral):
        raise ReferralError(_("Only the receiving organization's team can do this."))


def _is_sender(actor: User, referral: Referral) -> bool:
    try:
        case_actions.require_team(actor, referral.case)
    except case_actions.CaseError:
        return False
    return True


def _require_sender(actor: User, referral: Referral) -> None:
    if not _is_sender(actor, referral):
        raise ReferralError(_("Only the team of the referring case can do this."))


def _new_reference(year: int) -> str:
    while True:
        reference = f"D-{year}-{secrets.token_hex(3).upper()}"
        if not Referral.objects.filter(reference=reference).exists():
            return reference


def has_receiving_team(organization: Any) -> bool:
    """True when the organization works on Ruta (it has an active supervisor)."""
    return supervisors_of(organization.pk).exists()


# --- Snapshot --------------------------------------------------------------------------
def build_snapshot(case: Case, fields: Iterable[str]) -> dict[str, Any]:
    """The chosen fields of the case, frozen. Codes, not labels: labels follow the reader."""
    client = case.client
    chosen = set(fields)
    data: dict[str, Any] = {}
    if ShareField.NAME in chosen:
        data["name"] = client.alias or (client.given_names or "").split(" ")[0]
    if ShareField.AGE_BAND in chosen:
        data["age_band"] = client.age_band
    if ShareField.SEX in chosen:
        data["sex"] = client.sex
    if ShareField.GENDER in chosen:
        data["gender_identity"] = client.gender_identity
    if ShareField.LANGUAGES in chosen:
        data["languages"] = list(client.languages or [])
    if ShareField.NEEDS in chosen:
        latest = case.assessments.order_by("-assessed_on", "-id").first()
        needs = latest.needs if latest is not None else {}
        data["needs"] = {
            domain: level for domain, level in (needs or {}).items() if level != NeedLevel.NONE
        }
    if ShareField.SAFE_CONTACT in chosen:
        data["safe_contact"] = {
            "safe_to_call": client.safe_to_call,
            "safe_to_message": client.safe_to_message,
            "safe_times": client.safe_times,
            "code_word": client.code_word,
        }
    if ShareField.PHONE in chosen:
        data["phone"] = client.phone
    if ShareField.NATIONALITY in chosen:
        data["nationality"] = client.nationality
    if ShareField.POPULATION in chosen:
        data["population_type"] = client.population_type
    if ShareField.DISABILITY in chosen:
        data["has_disability"] = client.has_disability
    if ShareField.REGION in chosen:
        data["admin1"] = client.admin1
    if ShareField.CASE_TYPE in chosen:
        data["case_type"] = case.case_type
    return data


# --- Send ------------------------------------------------------------------------------
@transaction.atomic
def send_referral(
    actor: User,
    case: Case,
    *,
    service: Any = None,
    organization: Any = None,
    fields: Iterable[str],
    urgency: str = Urgency.NORMAL,
    reason: str = "",
    consent: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Refer the case's survivor to ``service`` (or to ``organization``).

    ``consent``, when given, records the survivor's consent to share with the receiving
    organization in the same step (keys of ``cases.actions.record_consent``).
    """
    case_actions.require_team(actor, case)
    if case.status != CaseStatus.OPEN:
        raise ReferralError(_("This case is not open. Reopen it before referring."))
    if service is not None:
        organization = service.organization
    if organization is None:
        raise ReferralError(_("Choose the service to refer to."))
    if service is not None and service.status != ServiceStatus.ACTIVE:
        raise ReferralError(_("This service is not active in the directory."))
    chosen = [f for f in dict.fromkeys(fields) if f in ShareField.values]
    if len(chosen) != len(set(fields)):
        raise ReferralError(_("Choose the information to share from the list."))
    if not chosen:
        raise ReferralError(_("Choose at least one piece of information to share."))
    if urgency not in Urgency.values:
        raise ReferralError(_("Choose the urgency from the list."))
    if consent is not None:
        case_actions.record_consent(
            actor, case, purpose=ConsentPurpose.SHARE, recipient=organization, **consent
        )
    case_actions.require_consent(case, ConsentPurpose.SHARE, organization)
    active = (
        Consent.objects.filter(
            case=case,
            purpose=ConsentPurpose.SHARE,
            recipient=organization,
            withdrawn_at__isnull=True,
        )
        .order_by("-given_at", "-id")
        .first()
    )
    assert active is not None  # require_consent passed
    duplicate = Referral.objects.filter(
        case=case, to_organization=organization, service=service, status__in=LIVE_STATUSES
    ).exists()
    if duplicate:
        raise ReferralError(_("This case already has an open referral to this service."))
    now = now or timezone.now()
    channel = Channel.ON_RUTA if has_receiving_team(organization) else Channel.PRINTED
    referral = Referral.objects.create(
        reference=_new_reference(timezone.localdate(now).year),
        case=case,
        from_organization=case.organization,
        to_organization=organization,
        service=service,
        channel=channel,
        consent=active,
        urgency=urgency,
        shared_fields=chosen,
        snapshot=json.dumps(build_snapshot(case, chosen), ensure_ascii=False),
        reason=reason,
        sent_by=actor,
        sent_at=now,
        respond_by=now + dt.timedelta(hours=response_hours(urgency)),
    )
    _event(referral, actor)
    audit_event(
        "referral.sent",
        actor,
        referral,
        case=str(case.uuid),
        to=str(organization.uuid),
        service=str(service.uuid) if service is not None else "",
        channel=channel,
        fields=chosen,
    )
    if channel == Channel.ON_RUTA:
        notify_team(supervisors_of(organization.pk), referral, "sent", None)
    return referral


# --- Receiver's steps ---------------------------------------------------------------------
def _check_assignee(referral: Referral, person: Any) -> None:
    if (
        person is None
        or person.organization_id != referral.to_organization_id
        or person.role not in (Role.CASEWORKER, Role.SUPERVISOR)
        or not person.is_active
    ):
        raise ReferralError(_("Choose a caseworker of your organization."))


@transaction.atomic
def assign_referral(actor: User, referral: Referral, person: Any) -> Referral:
    """A receiving supervisor hands the referral to one of their caseworkers."""
    _require_receiver(actor, referral)
    if not user_can(actor, Cap.SUPERVISE_CASES):
        raise ReferralError(_("Only a supervisor of the receiving organization can assign."))
    if referral.status not in LIVE_STATUSES:
        raise ReferralError(_("Only an open referral can be assigned."))
    _check_assignee(referral, person)
    referral.assigned_to = person
    referral.save(update_fields=["assigned_to"])
    audit_event("referral.assigned", actor, referral, to=str(person.uuid))
    if person.pk != actor.pk:
        notify_team([person], referral, "assigned", None)
    return referral


@transaction.atomic
def accept_referral(
    actor: User,
    referral: Referral,
    *,
    assign_to: Any = None,
    link_case: Case | None = None,
    case_type: str = "",
    now: dt.datetime | None = None,
) -> Referral:
    """Accept: open a case in the receiving organization from the snapshot, or link one."""
    _require_receiver(actor, referral)
    _require_consent_standing(referral)
    _move(referral, ReferralStatus.ACCEPTED)
    assign_to = assign_to or referral.assigned_to or actor
    if actor.role == Role.CASEWORKER and assign_to.pk != actor.pk:
        raise ReferralError(_("Only a supervisor can assign the referral to someone else."))
    _check_assignee(referral, assign_to)
    if link_case is not None:
        reachable = visible_cases(actor).filter(pk=link_case.pk, status=CaseStatus.OPEN)
        if link_case.organization_id != referral.to_organization_id or not reachable.exists():
            raise ReferralError(_("Link an open case of your organization that you follow."))
        receiver_case = link_case
    else:
        snapshot = referral.snapshot_data()
        # Never the sender's case type unless it was shared: it tells what happened.
        case_type = case_type or snapshot.get("case_type") or ""
        if case_type not in CaseType.values:
            raise ReferralError(_("Choose the type of case to open."))
        urgent = referral.urgency == Urgency.URGENT
        receiver_case = case_actions.register_case(
            actor,
            client_fields=client_fields_from(snapshot),
            case_type=case_type,
            risk_level="high" if urgent else "low",
            risk_reason=system_text.coded("urgent_referral") if urgent else "",
            caseworker=assign_to,
        )
    now = now or timezone.now()
    referral.assigned_to = assign_to
    referral.receiver_case = receiver_case
    referral.accepted_by, referral.accepted_at = actor, now
    referral.save(
        update_fields=["status", "assigned_to", "receiver_case", "accepted_by", "accepted_at"]
    )
    _event(referral, actor)
    audit_event("referral.accepted", actor, referral, receiver_case=str(receiver_case.uuid))
    notify_team(sender_team(referral), referral, "accepted", referral.case)
    if assign_to.pk != actor.pk:
        notify_team([assign_to], referral, "assigned", None)
    return referral


def client_fields_from(snapshot: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {"alias": snapshot.get("name", "")}
    for key in ("age_band", "sex", "gender_identity", "nationality", "population_type"):
        if snapshot.get(key):
            fields[key] = snapshot[key]
    if snapshot.get("languages"):
        fields["languages"] = snapshot["languages"]
    if snapshot.get("admin1"):
        fields["admin1"] = snapshot["admin1"]
    if snapshot.get("phone"):
        fields["phone"] = snapshot["phone"]
    contact = snapshot.get("safe_contact") or {}
    for key in ("safe_to_call", "safe_to_message", "safe_times", "code_word"):
        if contact.get(key) not in (None, ""):
            fields[key] = contact[key]
    return fields


@transaction.atomic
def decline_referral(
    actor: User, referral: Referral, *, reason: str, note: str = "", now: dt.datetime | None = None
) -> Referral:
    _require_receiver(actor, referral)
    if reason not in DeclineReason.values:
        raise ReferralError(_("Choose the reason for declining from the list."))
    if reason == DeclineReason.OTHER and not note.strip():
        raise ReferralError(_("Say why you decline the referral."))
    _move(referral, ReferralStatus.DECLINED)
    referral.decline_reason, referral.decline_note = reason, note
    referral.declined_at = now or timezone.now()
    referral.save(update_fields=["status", "decline_reason", "decline_note", "declined_at"])
    _event(referral, actor, str(DeclineReason(reason).label))
    audit_event("referral.declined", actor, referral, reason=reason)
    notify_team(sender_team(referral), referral, "declined", referral.case)
    return referral


@transaction.atomic
def complete_referral(
    actor: User,
    referral: Referral,
    *,
    outcome: str,
    feedback: str = "",
    now: dt.datetime | None = None,
) -> Referral:
    """The service was given (or not): the receiver closes the loop with feedback.

    For a printed referral (receiver not on Ruta) the sender records the outcome.
    """
    if referral.channel == Channel.PRINTED:
        _require_sender(actor, referral)
        if referral.status == ReferralStatus.SENT:
            referral.status = ReferralStatus.ACCEPTED  # the receiver took it, off Ruta
    else:
        _require_receiver(actor, referral)
    if outcome not in Outcome.values:
        raise ReferralError(_("Choose the outcome from the list."))
    if not feedback.strip():
        raise ReferralError(_("Write a short feedback on the service given."))
    _move(referral, ReferralStatus.COMPLETED)
    referral.outcome, referral.feedback = outcome, feedback
    referral.completed_at = now or timezone.now()
    referral.save(update_fields=["status", "outcome", "feedback", "completed_at"])
    _event(referral, actor, str(Outcome(outcome).label))
    audit_event("referral.completed", actor, referral, outcome=outcome)
    if referral.channel == Channel.ON_RUTA:
        notify_team(sender_team(referral), referral, "completed", referral.case)
    return referral


# --- Sender's steps -------------------------------------------------------------------------
@transaction.atomic
def revoke_referral(
    actor: User, referral: Referral, *, reason: str = "", now: dt.datetime | None = None
) -> Referral:
    _require_sender(actor, referral)
    return revoke_now(actor, referral, reason, now)


def revoke_now(actor: User, referral: Referral, reason: str, now: dt.datetime | None) -> Referral:
    _move(referral, ReferralStatus.REVOKED)
    referral.revoked_at, referral.revoke_reason = now or timezone.now(), reason
    referral.save(update_fields=["status", "revoked_at", "revoke_reason"])
    _event(referral, actor)
    audit_event("referral.revoked", actor, referral)
    if referral.channel == Channel.ON_RUTA:
        notify_team(receiver_team(referral), referral, "revoked", None)
    return referral


def _require_consent_standing(referral: Referral) -> None:
    if referral.consent.withdrawn_at is not None:
        raise ReferralError(_("The survivor withdrew the consent to share with you."))


@transaction.atomic
def revoke_for_withdrawn_consent(actor: User, consent: Consent) -> int:
    """A withdrawn consent to share revokes every live referral that relied on it."""
    if consent.purpose != ConsentPurpose.SHARE:
        return 0
    live = Referral.objects.select_for_update().filter(consent=consent, status__in=LIVE_STATUSES)
    count = 0
    for referral in live.select_related("case", "to_organization"):
        revoke_now(actor, referral, _("Consent withdrawn"), None)
        count += 1
    # What the receiving agency never took on (sent, declined, revoked before an answer)
    # is erased at once: no copy of the survivor's details outlives the consent there.
    never_accepted = Referral.objects.filter(consent=consent, accepted_at__isnull=True).exclude(
        snapshot=""
    )
    for referral in never_accepted.select_for_update():
        referral.snapshot = ""
        referral.save(update_fields=["snapshot"])
        audit_event("referral.snapshot_erased", actor, referral)
    return count


# --- Time limits ------------------------------------------------------------------------------
def alert_overdue(now: dt.datetime | None = None) -> int:
    """Alert both sides once about each referral not answered in time. Returns the count."""
    now = now or timezone.now()
    overdue = Referral.objects.filter(
        status=ReferralStatus.SENT,
        channel=Channel.ON_RUTA,
        respond_by__lt=now,
        overdue_alerted_at__isnull=True,
    ).select_related("case__caseworker", "case__supervisor", "assigned_to")
    count = 0
    for referral in overdue:
        with transaction.atomic():
            updated = Referral.objects.filter(
                pk=referral.pk, overdue_alerted_at__isnull=True
            ).update(overdue_alerted_at=now)
            if not updated:
                continue  # another worker alerted it
            notify_team(sender_team(referral), referral, "overdue", referral.case)
            notify_team(receiver_team(referral), referral, "overdue", None)
            audit_event("referral.overdue", None, referral)
            count += 1
    return count
