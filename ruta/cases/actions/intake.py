"""Opening a case and changing what it says about the client, its risk, stage and
caseworker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.cases import system_text
from ruta.cases.access import supervisors_of
from ruta.cases.actions.common import (
    CaseError,
    _audit,
    _require_open,
    document_hash,
    require_supervisor,
    require_team,
)
from ruta.cases.models import (
    RISK_ORDER,
    STAGE_ORDER,
    Case,
    CaseSequence,
    CaseType,
    Client,
    RiskLevel,
    Stage,
    age_band_for,
    has_disability,
)
from ruta.lib.permissions import Cap, Role, user_can
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind


def _next_code(organization: Any, year: int) -> str:
    sequence, _created = CaseSequence.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    CaseSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    prefix = (organization.acronym or "CASE").upper().replace(" ", "")[:12]
    return f"{prefix}-{year}-{sequence.last:05d}"


CLIENT_FIELDS = (
    "given_names",
    "family_names",
    "alias",
    "phone",
    "address",
    "document_type",
    "document_number",
    "sex",
    "gender_identity",
    "age",
    "age_band",
    "nationality",
    "population_type",
    "disability",
    "languages",
    "admin1",
    "safe_to_call",
    "safe_to_message",
    "safe_times",
    "code_word",
)


NULLABLE_CLIENT_FIELDS = {"age", "safe_to_call", "safe_to_message"}


def _apply_client_fields(client: Client, fields: dict[str, Any]) -> None:
    for name in CLIENT_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if value is None and name not in NULLABLE_CLIENT_FIELDS:
            value = {"disability": {}, "languages": []}.get(name, "")
        setattr(client, name, value)
    if client.age is not None:
        client.age_band = age_band_for(client.age)
    client.document_hash = document_hash(client.document_number or "")
    client.has_disability = has_disability(client.disability or {})


# A high or urgent risk level always says why (the supervisor and any later caseworker
# read it); the reason is encrypted at rest.
RISK_REASON_NEEDED = frozenset({RiskLevel.HIGH, RiskLevel.URGENT})


def _require_risk_reason(level: str, reason: str) -> None:
    if level in RISK_REASON_NEEDED and not reason.strip():
        raise CaseError(_("Say why the risk is high or urgent."))


@transaction.atomic
def register_case(
    actor: User,
    *,
    client_fields: dict[str, Any],
    case_type: str,
    risk_level: str = RiskLevel.LOW,
    risk_reason: str = "",
    caseworker: Any = None,
    opened_on: dt.date | None = None,
) -> Case:
    """Register a client and open a case for them in the actor's organization."""
    if not user_can(actor, Cap.VIEW_CASES):
        raise CaseError(_("Only caseworkers and supervisors open cases."))
    caseworker = caseworker or actor
    if caseworker.organization_id != actor.organization_id or caseworker.role not in (
        Role.CASEWORKER,
        Role.SUPERVISOR,
    ):
        raise CaseError(_("Cases can only be assigned to caseworkers of your agency."))
    if actor.role == Role.CASEWORKER and caseworker.pk != actor.pk:
        raise CaseError(_("Only a supervisor can assign a case to someone else."))
    if case_type not in CaseType.values or risk_level not in RiskLevel.values:
        raise CaseError(_("Choose a case type and a risk level from the list."))
    _require_risk_reason(risk_level, risk_reason)
    client = Client(organization=actor.organization)
    _apply_client_fields(client, client_fields)
    client.save()
    opened_on = opened_on or timezone.localdate()
    supervisor = supervisors_of(actor.organization_id).order_by("pk").first()
    case = Case.objects.create(
        code=_next_code(actor.organization, opened_on.year),
        organization=actor.organization,
        client=client,
        case_type=case_type,
        risk_level=risk_level,
        risk_reason=risk_reason,
        caseworker=caseworker,
        supervisor=actor if actor.role == Role.SUPERVISOR else supervisor,
        opened_on=opened_on,
        created_by=actor,
    )
    _audit("case.opened", actor, case)
    if caseworker.pk != actor.pk:
        notify([caseworker], NotificationKind.ASSIGNED, case)
    if risk_level == RiskLevel.URGENT:
        notify(supervisors_of(case.organization_id), NotificationKind.URGENT_RISK, case)
    return case


@transaction.atomic
def update_client(actor: User, case: Case, fields: dict[str, Any]) -> Client:
    require_team(actor, case)
    client = case.client
    _apply_client_fields(client, fields)
    client.save()
    _audit("case.client_updated", actor, case, fields=sorted(set(fields) & set(CLIENT_FIELDS)))
    return client


@transaction.atomic
def set_risk(actor: User, case: Case, level: str, reason: str) -> Case:
    require_team(actor, case)
    _require_open(case)
    if level not in RiskLevel.values:
        raise CaseError(_("Choose a risk level from the list."))
    _require_risk_reason(level, reason)
    raised = RISK_ORDER.index(level) > case.risk_rank
    case.risk_level, case.risk_reason = level, system_text.kept(case.risk_reason, reason)
    case.save(update_fields=["risk_level", "risk_reason", "updated_at"])
    _audit("case.risk_changed", actor, case)
    if raised and level == RiskLevel.URGENT:
        notify(supervisors_of(case.organization_id), NotificationKind.URGENT_RISK, case)
    return case


@transaction.atomic
def set_stage(actor: User, case: Case, stage: str) -> Case:
    require_team(actor, case)
    _require_open(case)
    if stage not in STAGE_ORDER or stage == Stage.CLOSURE:
        raise CaseError(_("Choose a stage from the list. Closing a case needs a closure request."))
    previous = case.stage
    case.stage = stage
    case.save(update_fields=["stage", "updated_at"])
    _audit("case.stage_changed", actor, case, previous=previous, stage=stage)
    return case


@transaction.atomic
def update_case(
    actor: User,
    case: Case,
    *,
    risk_level: str | None = None,
    risk_reason: str | None = None,
    stage: str | None = None,
    client_fields: dict[str, Any] | None = None,
) -> Case:
    """Change the risk (a level or reason not given stays), the stage and the client's
    fields together: all of it is saved, or nothing."""
    if risk_level is not None or risk_reason is not None:
        set_risk(
            actor,
            case,
            case.risk_level if risk_level is None else risk_level,
            case.risk_reason if risk_reason is None else risk_reason,
        )
    if stage is not None:
        set_stage(actor, case, stage)
    if client_fields:
        update_client(actor, case, client_fields)
    return case


@transaction.atomic
def reassign(actor: User, case: Case, caseworker: Any) -> Case:
    require_supervisor(actor, case)
    if (
        caseworker.organization_id != case.organization_id
        or caseworker.role
        not in (
            Role.CASEWORKER,
            Role.SUPERVISOR,
        )
        or not caseworker.is_active
    ):
        raise CaseError(_("Cases can only be assigned to caseworkers of your agency."))
    previous = case.caseworker
    case.caseworker = caseworker
    case.save(update_fields=["caseworker", "updated_at"])
    _audit("case.reassigned", actor, case, previous=str(previous.uuid), to=str(caseworker.uuid))
    notify([caseworker], NotificationKind.ASSIGNED, case)
    return case
