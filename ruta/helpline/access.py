"""Who reaches which helpline record. Deny by default; forbidden and missing both answer 404.

Only the helpline desk of an agency: its operators (``Cap.HANDLE_HELPLINE``, role
``helpline``) and its supervisors. An operator reaches the contacts they took and the
call-backs assigned to them or waiting in the desk's queue; a supervisor reaches every
contact, alert and call-back of their agency. Nobody else, in any agency, reaches any of
it, and nothing here gives an operator access to a case. Reads of a contact's free text
are audited as ``helpline.contact.read`` (``audit_contact_read``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ruta.audit.actions import record
from ruta.helpline.models import Callback, Contact, Handover, RiskAlert
from ruta.lib.permissions import Cap, Role, user_can

if TYPE_CHECKING:
    from ruta.accounts.models import User

CONTACT_READ = "helpline.contact.read"
CONTACT_LIST_READ = "helpline.contact.list_read"
CALLBACK_READ = "helpline.callback.read"


def on_desk(user: Any) -> bool:
    return user_can(user, Cap.HANDLE_HELPLINE) and user.organization_id is not None


def supervises_desk(user: Any) -> bool:
    return on_desk(user) and user.role == Role.SUPERVISOR


def visible_contacts(user: User) -> QuerySet[Contact]:
    if not on_desk(user):
        return Contact.objects.none()
    contacts = Contact.objects.filter(organization_id=user.organization_id)
    if supervises_desk(user):
        return contacts
    return contacts.filter(operator_id=user.pk)


def get_contact(user: User, contact_uuid: Any) -> Contact:
    contact = (
        visible_contacts(user)
        .select_related("operator", "organization")
        .filter(uuid=contact_uuid)
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def visible_alerts(user: User) -> QuerySet[RiskAlert]:
    if not on_desk(user):
        return RiskAlert.objects.none()
    alerts = RiskAlert.objects.filter(organization_id=user.organization_id)
    if supervises_desk(user):
        return alerts
    return alerts.filter(contact__operator_id=user.pk)


def get_alert(user: User, alert_uuid: Any) -> RiskAlert:
    alert = visible_alerts(user).select_related("contact").filter(uuid=alert_uuid).first()
    if alert is None:
        raise Http404
    return alert


def visible_callbacks(user: User) -> QuerySet[Callback]:
    if not on_desk(user):
        return Callback.objects.none()
    callbacks = Callback.objects.filter(organization_id=user.organization_id)
    if supervises_desk(user):
        return callbacks
    return callbacks.filter(Q(assigned_to_id=user.pk) | Q(assigned_to__isnull=True))


def get_callback(user: User, callback_uuid: Any) -> Callback:
    callback = (
        visible_callbacks(user)
        .select_related("contact", "assigned_to")
        .filter(uuid=callback_uuid)
        .first()
    )
    if callback is None:
        raise Http404
    return callback


def desk_supervisors(organization_id: int) -> QuerySet[Any]:
    """The supervisors on duty for the agency's desk: its active supervisors."""
    from ruta.accounts.models import User

    return User.objects.filter(
        organization_id=organization_id, role=Role.SUPERVISOR, is_active=True
    ).order_by("pk")


def desk_operators(organization_id: int) -> QuerySet[Any]:
    from ruta.accounts.models import User

    return User.objects.filter(
        organization_id=organization_id, role=Role.HELPLINE, is_active=True
    ).order_by("full_name", "email")


def audit_contact_read(request: Any, contact: Contact, what: str = "contact") -> None:
    record(
        CONTACT_READ,
        request=request,
        obj=contact,
        organization=contact.organization,
        details={"what": what, "path": request.path[:200]},
    )


def audit_contact_list_read(request: Any, contacts: Any) -> None:
    """One event for an answer that lists several contacts: the ids shown, not one event
    per row."""
    ids = sorted(str(contact.uuid) for contact in contacts)
    record(
        CONTACT_LIST_READ,
        request=request,
        organization=getattr(request.user, "organization", None),
        details={"what": "api_contact_list", "count": len(ids), "contacts": ids},
    )


def audit_callback_read(request: Any, callback: Callback) -> None:
    record(
        CALLBACK_READ,
        request=request,
        obj=callback,
        organization=callback.organization,
        details={"what": "callback", "path": request.path[:200]},
    )


def visible_handovers(user: User) -> QuerySet[Handover]:
    """The desk's handovers: everybody on the agency's desk reads them (they are written
    for whoever is on the next shift)."""
    if not on_desk(user):
        return Handover.objects.none()
    return Handover.objects.filter(organization_id=user.organization_id)


def get_handover(user: User, handover_uuid: Any) -> Handover:
    handover = visible_handovers(user).filter(uuid=handover_uuid).first()
    if handover is None:
        raise Http404
    return handover


def pending_handover(user: User) -> Handover | None:
    """The latest handover of somebody else on the desk that nobody has acknowledged."""
    return (
        visible_handovers(user)
        .filter(acknowledged_at__isnull=True)
        .exclude(from_operator_id=user.pk)
        .select_related("from_operator")
        .order_by("-created_at", "-id")
        .first()
    )


HANDOVER_READ = "helpline.handover.read"


def audit_handover_read(request: Any, handover: Handover) -> None:
    record(
        HANDOVER_READ,
        request=request,
        obj=handover,
        organization=handover.organization,
        details={"what": "handover", "path": request.path[:200]},
    )


# --- Figures ------------------------------------------------------------------------------
NETWORK = "network"
# Who reads the figures of every desk of the network; the other aggregate readers read
# their own agency's.
NETWORK_FIGURE_READERS = frozenset({Role.ANALYST, Role.ADMIN})
AGENCY_FIGURE_READERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})


def figures_scope(user: Any) -> int | str | None:
    """Whose helpline figures ``user`` reads: ``NETWORK`` (every desk), an organization's
    id (its own desk), or None (none: deny by default). Counts and means only, never a
    person (``figures.desk_figures``)."""
    if not user_can(user, Cap.VIEW_AGGREGATES):
        return None
    if user.role in NETWORK_FIGURE_READERS:
        return NETWORK
    if user.role in AGENCY_FIGURE_READERS and user.organization_id is not None:
        organization_id: int = user.organization_id
        return organization_id
    return None
