"""Transfers between Ruta installations: keys, peers, export and import of packages.

Consent for a cross-border export: when the receiving agency is in our directory, the
case must hold an active consent to share with it (the same rule as in-country); when it
is not, the supervisor must confirm that the survivor (or caregiver) consented to the
transfer to the other country, and that confirmation is written to the audit trail.

Functions that touch keys take an optional ``keys`` / ``find_peer`` so tests can run two
installations in one database; by default they use ``InstallationKey`` and
``PeerInstallation``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.cases import actions as case_actions
from ruta.cases.models import (
    ActionPlan,
    ActionStatus,
    Assent,
    Assessment,
    Case,
    CaseStatus,
    CaseType,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    Decision,
    FollowUp,
    FollowUpKind,
    GBVType,
    Goal,
    Incident,
    IncidentSetting,
    Instrument,
    MeasureResult,
    NeedDomain,
    PerpetratorRelation,
    PlanAction,
    RiskLevel,
    SafetyPlan,
    Stage,
)
from ruta.cases.work import refresh_case_due_dates
from ruta.lib.crypto import keyed_hash
from ruta.lib.permissions import Cap, Role, user_can
from ruta.transfers import packages
from ruta.transfers.actions import IllegalTransition, TransferError
from ruta.transfers.models import InstallationKey, PeerInstallation, ReceivedPackage
from ruta.transfers.packages import LocalKeys, PeerKeys

PAYLOAD_SCHEMA = "ruta-case/1"


# --- Keys and peers -----------------------------------------------------------------------
def _keys_of(row: InstallationKey) -> LocalKeys:
    return LocalKeys.from_raw(
        row.name,
        row.country,
        packages.unb64(row.signing_private_key),
        packages.unb64(row.encryption_private_key),
    )


def current_keys() -> LocalKeys:
    row = InstallationKey.objects.filter(active=True).first()
    if row is None:
        raise TransferError(
            _("This installation has no key yet. An administrator must create one first.")
        )
    return _keys_of(row)


def all_keys() -> list[LocalKeys]:
    """The active key and the rotated ones (packages may still be addressed to them)."""
    return [_keys_of(row) for row in InstallationKey.objects.order_by("-active", "-created_at")]


@transaction.atomic
def create_installation_key(name: str, country: str, *, rotate: bool = False) -> InstallationKey:
    current = InstallationKey.objects.select_for_update().filter(active=True).first()
    if current is not None and not rotate:
        raise TransferError(_("This installation already has a key. Use --rotate to replace it."))
    keys = LocalKeys.generate(name, country.upper())
    if current is not None:
        current.active = False
        current.retired_at = timezone.now()
        current.save(update_fields=["active", "retired_at"])
    signing, encryption = keys.raw_private()
    public = keys.public
    row = InstallationKey.objects.create(
        name=name,
        country=country.upper(),
        signing_private_key=packages.b64(signing),
        encryption_private_key=packages.b64(encryption),
        signing_public_key=packages.b64(public.signing_public),
        encryption_public_key=packages.b64(public.encryption_public),
        fingerprint=public.fingerprint,
    )
    record(
        "transfer.installation_key_created",
        object_type="transfers.installationkey",
        details={"fingerprint": row.fingerprint, "rotated": current is not None},
    )
    return row


def peer_keys(peer: PeerInstallation) -> PeerKeys:
    return PeerKeys(
        peer.name,
        peer.country,
        packages.unb64(peer.signing_public_key),
        packages.unb64(peer.encryption_public_key),
    )


def find_active_peer(fingerprint: str) -> PeerKeys | None:
    peer = PeerInstallation.objects.filter(fingerprint=fingerprint, active=True).first()
    return peer_keys(peer) if peer else None


@transaction.atomic
def add_peer(public_json: dict[str, Any], added_by: Any = None) -> PeerInstallation:
    keys = PeerKeys.from_public_json(public_json)
    peer, created = PeerInstallation.objects.update_or_create(
        fingerprint=keys.fingerprint,
        defaults={
            "name": keys.name,
            "country": keys.country,
            "signing_public_key": packages.b64(keys.signing_public),
            "encryption_public_key": packages.b64(keys.encryption_public),
            "active": True,
            "added_by": added_by,
        },
    )
    record(
        "transfer.peer_added",
        actor=added_by,
        obj=peer,
        details={"fingerprint": peer.fingerprint, "created": created},
    )
    return peer


# --- The case as JSON -------------------------------------------------------------------
def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def build_payload(case: Case, sender_organization: Any) -> dict[str, Any]:
    """The case and its history, in clear inside the (encrypted) package."""
    client = case.client
    consents = list(case.consents.select_related("recipient"))
    plan = ActionPlan.objects.filter(case=case).first()
    safety = SafetyPlan.objects.filter(case=case).first()
    return {
        "schema": PAYLOAD_SCHEMA,
        "sender_organization": sender_organization.name,
        "case": {
            "code": case.code,
            "case_type": case.case_type,
            "stage": case.stage,
            "risk_level": case.risk_level,
            "risk_reason": case.risk_reason,
            "opened_on": _date(case.opened_on),
        },
        "client": {name: getattr(client, name) for name in case_actions.CLIENT_FIELDS},
        "consents": [
            {
                "purpose": c.purpose,
                "recipient": c.recipient.name if c.recipient else "",
                "given_by": c.given_by,
                "method": c.method,
                "given_at": _date(c.given_at),
                "child_assent": c.child_assent,
                "withdrawn_at": _date(c.withdrawn_at),
            }
            for c in consents
        ],
        "incidents": [
            {
                "date": _date(i.date),
                "date_is_estimate": i.date_is_estimate,
                "admin1": i.admin1,
                "country": i.country,
                "setting": i.setting,
                "perpetrator": i.perpetrator,
                "reported_elsewhere": i.reported_elsewhere,
                "gbv_type": i.gbv_type,
                "classifier_answers": i.classifier_answers,
                "description": i.description,
            }
            for i in case.incidents.all()
        ],
        "assessments": [
            {
                "assessed_on": _date(a.assessed_on),
                "needs": a.needs,
                "risk_level": a.risk_level,
                "narrative": a.narrative,
            }
            for a in case.assessments.all()
        ],
        "action_plan": [
            {
                "need": goal.need,
                "description": goal.description,
                "actions": [
                    {
                        "description": a.description,
                        "responsible": a.responsible,
                        "due_on": _date(a.due_on),
                        "pros": a.pros,
                        "cons": a.cons,
                        "decision": a.decision,
                        "status": a.status,
                    }
                    for a in goal.actions.all()
                ],
            }
            for goal in (plan.goals.prefetch_related("actions") if plan else [])
        ],
        "safety_plan": (
            {name: getattr(safety, name) for name in case_actions.SAFETY_FIELDS}
            | {"next_review_on": _date(safety.next_review_on)}
            if safety
            else None
        ),
        "follow_ups": [
            {
                "kind": f.kind,
                "happened_on": _date(f.happened_on),
                "note": f.note,
                "next_contact_on": _date(f.next_contact_on),
            }
            for f in case.follow_ups.all()
        ],
        "measures": [
            {
                "instrument": m.instrument,
                "answers": m.answers,
                "score": m.score,
                "band": m.band,
                "flagged": m.flagged,
                "administered_on": _date(m.administered_on),
            }
            for m in case.measures.all()
        ],
    }


# --- Export -----------------------------------------------------------------------------
def export_case(
    actor: Any,
    case: Case,
    peer: PeerInstallation,
    *,
    partner_organization: Any = None,
    days: int = packages.DEFAULT_DAYS,
    keys: LocalKeys | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Seal the case for ``peer``: the ``.rutapkg`` bytes and the package header."""
    if not (user_can(actor, Cap.SUPERVISE_CASES) and actor.organization_id == case.organization_id):
        raise TransferError(_("Only a supervisor of the agency that holds the case can do this."))
    if case.status != CaseStatus.OPEN:
        raise IllegalTransition(_("Only an open case can be transferred."))
    if not peer.active:
        raise TransferError(_("This installation is no longer trusted."))
    # As for a referral: a consent recorded on the case, naming the receiving agency. A
    # box ticked at export time is no record of what the survivor agreed to.
    if partner_organization is None:
        raise IllegalTransition(
            _(
                "Choose the receiving agency: the survivor's consent to share with it must be "
                "recorded on the case first."
            )
        )
    try:
        case_actions.require_consent(case, ConsentPurpose.SHARE, recipient=partner_organization)
    except case_actions.CaseError as error:
        raise IllegalTransition(str(error)) from error
    basis = "share_consent"
    keys = keys or current_keys()
    payload = build_payload(case, case.organization)
    data, header = packages.seal(payload, sender=keys, recipient=peer_keys(peer), days=days)
    record(
        "transfer.package_exported",
        actor=actor,
        obj=case,
        organization=case.organization,
        details={
            "package": header["package_id"],
            "peer": peer.fingerprint,
            "expires_at": header["expires_at"],
            "consent_basis": basis,
            "partner": str(partner_organization.uuid),
        },
    )
    return data, header


# --- Import -----------------------------------------------------------------------------
def _choice(value: Any, choices: list[str], default: str) -> str:
    return value if value in choices else default


def _parse_date(value: Any) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) else None


def import_package(
    actor: Any,
    data: bytes,
    caseworker: Any,
    *,
    keys: list[LocalKeys] | None = None,
    find_peer: Callable[[str], PeerKeys | None] | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Verify a package and open its case here; a refusal creates nothing and is audited."""
    if not user_can(actor, Cap.SUPERVISE_CASES):
        raise TransferError(_("Only a supervisor can import a transfer package."))
    try:
        header, payload, peer = packages.open_package(
            data,
            keys=keys if keys is not None else all_keys(),
            find_peer=find_peer or find_active_peer,
            now=now,
        )
        try:
            return _create_case(actor, header, payload, peer, caseworker)
        except (TypeError, ValueError, AttributeError, KeyError, ValidationError) as error:
            raise packages.MalformedPackage(
                _("The package is authentic but its content could not be read. Nothing was saved.")
            ) from error
    except packages.PackageError as error:
        record(
            "transfer.package_refused",
            actor=actor,
            object_type="transfers.receivedpackage",
            details={"reason": type(error).__name__},
        )
        raise


@transaction.atomic
def _create_case(
    actor: Any, header: dict[str, Any], payload: dict[str, Any], peer: PeerKeys, caseworker: Any
) -> Case:
    package_id = uuid.UUID(header["package_id"])
    seen = ReceivedPackage.objects.filter(package_id=package_id).first()
    if seen is not None:
        raise packages.ReplayedPackage(
            _("This package was already imported on %(date)s. It cannot be imported twice.")
            % {"date": _when(seen.received_at)}
        )
    peer_row = PeerInstallation.objects.get(fingerprint=peer.fingerprint)
    info = payload.get("case") or {}
    content_hash = keyed_hash(json.dumps(payload, sort_keys=True, separators=(",", ":")))
    _refuse_a_case_already_here(actor, peer_row, content_hash, str(info.get("code") or "")[:40])
    if caseworker is None or caseworker.role not in (Role.CASEWORKER, Role.SUPERVISOR):
        raise TransferError(_("Choose a caseworker of your agency for the case."))
    opened_on = _parse_date(info.get("opened_on")) or timezone.localdate()
    try:
        case = case_actions.register_case(
            actor,
            client_fields={
                name: value
                for name, value in (payload.get("client") or {}).items()
                if name in case_actions.CLIENT_FIELDS
            },
            case_type=_choice(info.get("case_type"), CaseType.values, CaseType.GBV),
            risk_level=_choice(info.get("risk_level"), RiskLevel.values, RiskLevel.LOW),
            risk_reason=str(info.get("risk_reason") or ""),
            caseworker=caseworker,
            opened_on=opened_on,
        )
    except case_actions.CaseError as error:
        raise TransferError(str(error)) from error
    case.stage = _choice(info.get("stage"), Stage.values, Stage.INTAKE)
    case.save(update_fields=["stage", "updated_at"])
    _copy_history(actor, case, payload)
    try:
        with transaction.atomic():
            ReceivedPackage.objects.create(
                package_id=package_id,
                peer=peer_row,
                received_by=actor,
                case=case,
                original_code=str(info.get("code") or "")[:40],
                content_hash=content_hash,
            )
    except IntegrityError as error:  # imported by someone else in the meantime
        raise packages.ReplayedPackage(
            _("This package was already imported. It cannot be imported twice.")
        ) from error
    record(
        "transfer.package_imported",
        actor=actor,
        obj=case,
        organization=case.organization,
        details={"package": str(package_id), "peer": peer.fingerprint},
    )
    return case


def _when(moment: dt.datetime) -> str:
    """When a package was received, as the refusals say it (local time, to the minute)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _refuse_a_case_already_here(
    actor: Any, peer: PeerInstallation, content_hash: str, code: str
) -> None:
    """The same case, from the same installation, is imported once by an agency while it is
    open there: a package with the same content, or another package of a case still open in
    the agency. Only the importing agency's own imports count: another agency's case stays
    unseen, as everywhere else."""
    earlier = ReceivedPackage.objects.filter(
        peer=peer, case__organization_id=actor.organization_id
    ).select_related("case")
    same = earlier.filter(content_hash=content_hash).first()
    if same is not None:
        raise packages.ReplayedPackage(
            _(
                "This case was already imported on %(date)s from another package with the "
                "same content. It cannot be imported twice."
            )
            % {"date": _when(same.received_at)}
        )
    still_open = [
        seen
        for seen in earlier.filter(original_code=code).exclude(original_code="")
        if seen.case is not None and seen.case.status == CaseStatus.OPEN
    ]
    if still_open:
        raise packages.ReplayedPackage(
            _(
                "This case was already imported on %(date)s and is still open here as "
                "%(code)s: continue it there instead of importing it again."
            )
            % {
                "date": _when(still_open[0].received_at),
                "code": still_open[0].case.code if still_open[0].case else "",
            }
        )


def _copy_history(actor: Any, case: Case, payload: dict[str, Any]) -> None:
    """The records of the package, authored here by the importer (the origin is audited)."""
    from ruta.agencies.models import Organization

    for c in payload.get("consents") or []:
        recipient = None
        if c.get("purpose") == ConsentPurpose.SHARE:
            recipient = Organization.objects.filter(name=c.get("recipient") or "").first()
            if recipient is None:
                continue  # a consent to share with an agency not known here
        Consent.objects.create(
            case=case,
            purpose=_choice(c.get("purpose"), ConsentPurpose.values, ConsentPurpose.SERVICES),
            recipient=recipient,
            given_by=_choice(c.get("given_by"), ConsentGiver.values, ConsentGiver.SELF),
            method=_choice(c.get("method"), ConsentMethod.values, ConsentMethod.VERBAL),
            given_at=parse_datetime(c.get("given_at") or "") or timezone.now(),
            child_assent=_choice(c.get("child_assent"), Assent.values, ""),
            recorded_by=actor,
            # A consent to share given abroad does not authorise sharing here: it is kept as
            # history (withdrawn on import) and a fresh local consent is needed.
            withdrawn_at=(
                parse_datetime(c.get("withdrawn_at") or "")
                or (timezone.now() if c.get("purpose") == ConsentPurpose.SHARE else None)
            ),
            withdrawn_by=(
                actor if c.get("withdrawn_at") or c.get("purpose") == ConsentPurpose.SHARE else None
            ),
        )
    for i in payload.get("incidents") or []:
        Incident.objects.create(
            case=case,
            date=_parse_date(i.get("date")) or case.opened_on,
            date_is_estimate=bool(i.get("date_is_estimate")),
            admin1=str(i.get("admin1") or "")[:10],
            country=str(i.get("country") or "")[:2],
            setting=_choice(i.get("setting"), IncidentSetting.values, IncidentSetting.OTHER),
            perpetrator=_choice(
                i.get("perpetrator"), PerpetratorRelation.values, PerpetratorRelation.UNKNOWN
            ),
            reported_elsewhere=i.get("reported_elsewhere"),
            gbv_type=_choice(i.get("gbv_type"), GBVType.values, GBVType.PSYCHOLOGICAL),
            proposed_type=_choice(i.get("gbv_type"), GBVType.values, ""),
            classifier_answers=i.get("classifier_answers") or {},
            description=i.get("description") or "",
            recorded_by=actor,
        )
    for a in payload.get("assessments") or []:
        Assessment.objects.create(
            case=case,
            assessed_on=_parse_date(a.get("assessed_on")) or case.opened_on,
            needs=a.get("needs") or {},
            risk_level=_choice(a.get("risk_level"), RiskLevel.values, RiskLevel.LOW),
            narrative=a.get("narrative") or "",
            created_by=actor,
        )
    goals = payload.get("action_plan") or []
    if goals:
        plan = ActionPlan.objects.create(case=case)
        for g in goals:
            goal = Goal.objects.create(
                plan=plan,
                need=_choice(g.get("need"), NeedDomain.values, NeedDomain.PSYCHOSOCIAL),
                description=g.get("description") or "",
            )
            for a in g.get("actions") or []:
                PlanAction.objects.create(
                    goal=goal,
                    case=case,
                    description=a.get("description") or "",
                    responsible=str(a.get("responsible") or "")[:150],
                    due_on=_parse_date(a.get("due_on")),
                    pros=a.get("pros") or "",
                    cons=a.get("cons") or "",
                    decision=_choice(a.get("decision"), Decision.values, Decision.UNDECIDED),
                    status=_choice(a.get("status"), ActionStatus.values, ActionStatus.PENDING),
                )
    safety = payload.get("safety_plan")
    if safety:
        SafetyPlan.objects.create(
            case=case,
            **{name: safety.get(name) or "" for name in case_actions.SAFETY_FIELDS},
            next_review_on=_parse_date(safety.get("next_review_on")),
            updated_by=actor,
        )
    for f in payload.get("follow_ups") or []:
        FollowUp.objects.create(
            case=case,
            kind=_choice(f.get("kind"), FollowUpKind.values, FollowUpKind.NOTE),
            happened_on=_parse_date(f.get("happened_on")) or case.opened_on,
            note=f.get("note") or "",
            next_contact_on=_parse_date(f.get("next_contact_on")),
            recorded_by=actor,
        )
    refresh_case_due_dates(case)
    for m in payload.get("measures") or []:
        if m.get("instrument") not in Instrument.values:
            continue
        MeasureResult.objects.create(
            case=case,
            instrument=m["instrument"],
            answers=m.get("answers") or [],
            score=int(m.get("score") or 0),
            band=str(m.get("band") or "")[:24],
            flagged=bool(m.get("flagged")),
            administered_on=_parse_date(m.get("administered_on")) or case.opened_on,
            administered_by=actor,
        )
