"""Who reaches which stabilisation record. Deny by default; forbidden and missing both 404.

The psychosocial team of a programme is the helpline desk of its implementing agency: its
operators and supervisors (``Cap.HANDLE_HELPLINE``) reach the agency's programmes, their
beneficiaries and payments. Nobody else reaches a beneficiary. The figures
(``Cap.VIEW_STABILISATION``) are aggregates: the desk reads its own agency's, coordinators
and analysts every programme's. Reads of a beneficiary's name or phone are audited as
``stabilisation.beneficiary.read`` with ids only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ruta.audit.actions import record
from ruta.helpline.access import on_desk, supervises_desk
from ruta.lib.permissions import Cap, user_can
from ruta.stabilisation.models import Beneficiary, Payment, Programme

BENEFICIARY_READ = "stabilisation.beneficiary.read"


def supervises_team(user: Any) -> bool:
    """A supervisor of the agency's desk: creates and edits its programmes."""
    return supervises_desk(user)


def visible_programmes(user: Any) -> QuerySet[Programme]:
    if not on_desk(user):
        return Programme.objects.none()
    return Programme.objects.filter(organization_id=user.organization_id)


def get_programme(user: Any, programme_uuid: Any) -> Programme:
    programme = visible_programmes(user).filter(uuid=programme_uuid).first()
    if programme is None:
        raise Http404
    return programme


def visible_beneficiaries(user: Any) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.filter(programme__in=visible_programmes(user))


def get_beneficiary(user: Any, beneficiary_uuid: Any) -> Beneficiary:
    found = (
        visible_beneficiaries(user)
        .select_related("programme__organization")
        .filter(uuid=beneficiary_uuid)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_payment(user: Any, payment_uuid: Any) -> Payment:
    found = (
        Payment.objects.filter(beneficiary__in=visible_beneficiaries(user), uuid=payment_uuid)
        .select_related("beneficiary__programme")
        .first()
    )
    if found is None:
        raise Http404
    return found


def figures_programmes(user: Any) -> QuerySet[Programme]:
    """The programmes whose figures ``user`` reads: the desk its agency's, the network's
    coordinators and analysts every one."""
    if not user_can(user, Cap.VIEW_STABILISATION):
        return Programme.objects.none()
    if user_can(user, Cap.HANDLE_HELPLINE):
        return visible_programmes(user)
    return Programme.objects.all()


def audit_beneficiary_read(request: Any, beneficiary: Beneficiary, what: str = "page") -> None:
    record(
        BENEFICIARY_READ,
        request=request,
        obj=beneficiary,
        organization=beneficiary.programme.organization,
        details={"what": what, "path": request.path[:200]},
    )
