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
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.cases import actions as case_actions
from ruta.cases import exchange_schema as schema
from ruta.cases.models import (
    ActionPlan,
    Assessment,
    Case,
    CaseStatus,
    Consent,
    ConsentPurpose,
    FollowUp,
    GBVType,
    Goal,
    Incident,
    MeasureResult,
    PlanAction,
    SafetyPlan,
)
from ruta.cases.work import refresh_case_due_dates
from ruta.lib.crypto import keyed_hash
from ruta.lib.permissions import Cap, Role, user_can
from ruta.transfers import packages
from ruta.transfers.actions import IllegalTransition, TransferError
from ruta.transfers.models import InstallationKey, PeerInstallation, ReceivedPackage
from ruta.transfers.packages import LocalKeys, PeerKeys
from ruta.transfers.records import export_record, left_out, read_record

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
def build_payload(case: Case, sender_organization: Any) -> dict[str, Any]:
    """The case and its history, in clear inside the (encrypted) package."""
    plan = ActionPlan.objects.filter(case=case).first()
    safety = SafetyPlan.objects.filter(case=case).first()
    goals = plan.goals.prefetch_related("actions") if plan else []
    return {
        "schema": PAYLOAD_SCHEMA,
        "sender_organization": sender_organization.name,
        schema.CASE.key: export_record(schema.CASE, case),
        schema.CLIENT.key: export_record(schema.CLIENT, case.client),
        schema.CONSENT.key: [
            export_record(schema.CONSENT, c) for c in case.consents.select_related("recipient")
        ],
        schema.INCIDENT.key: [export_record(schema.INCIDENT, i) for i in case.incidents.all()],
        schema.ASSESSMENT.key: [
            export_record(schema.ASSESSMENT, a) for a in case.assessments.all()
        ],
        schema.GOAL.key: [
            export_record(schema.GOAL, goal)
            | {
                schema.PLAN_ACTION.key: [
                    export_record(schema.PLAN_ACTION, a) for a in goal.actions.all()
                ]
            }
            for goal in goals
        ],
        schema.SAFETY_PLAN.key: export_record(schema.SAFETY_PLAN, safety) if safety else None,
        schema.FOLLOW_UP.key: [export_record(schema.FOLLOW_UP, f) for f in case.follow_ups.all()],
        schema.MEASURE.key: [export_record(schema.MEASURE, m) for m in case.measures.all()],
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
    info = read_record(
        schema.CASE, payload.get(schema.CASE.key) or {}, on_date=timezone.localdate()
    )
    content_hash = keyed_hash(json.dumps(payload, sort_keys=True, separators=(",", ":")))
    _refuse_a_case_already_here(actor, peer_row, content_hash, info["code"])
    if caseworker is None or caseworker.role not in (Role.CASEWORKER, Role.SUPERVISOR):
        raise TransferError(_("Choose a caseworker of your agency for the case."))
    try:
        case = case_actions.register_case(
            actor,
            client_fields={
                name: value
                for name, value in (payload.get(schema.CLIENT.key) or {}).items()
                if name in schema.CLIENT.fields
            },
            case_type=info["case_type"],
            risk_level=info["risk_level"],
            risk_reason=info["risk_reason"],
            caseworker=caseworker,
            opened_on=info["opened_on"],
        )
    except case_actions.CaseError as error:
        raise TransferError(str(error)) from error
    case.stage = info["stage"]
    case.save(update_fields=["stage", "updated_at"])
    _copy_history(actor, case, payload)
    try:
        with transaction.atomic():
            ReceivedPackage.objects.create(
                package_id=package_id,
                peer=peer_row,
                received_by=actor,
                case=case,
                original_code=info["code"],
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

    def read(spec: schema.Exchanged, data: Any) -> dict[str, Any]:
        return read_record(spec, data, on_date=case.opened_on)

    for c in payload.get(schema.CONSENT.key) or []:
        recipient = None
        sharing = c.get("purpose") == ConsentPurpose.SHARE
        if sharing:
            recipient = Organization.objects.filter(name=c.get("recipient") or "").first()
            if recipient is None:
                continue  # a consent to share with an agency not known here
        consent = read(schema.CONSENT, c)
        # A consent to share given abroad does not authorise sharing here: it is kept as
        # history (withdrawn on import) and a fresh local consent is needed.
        if sharing and consent["withdrawn_at"] is None:
            consent["withdrawn_at"] = timezone.now()
        Consent.objects.create(
            case=case,
            **consent,
            recipient=recipient,
            recorded_by=actor,
            withdrawn_by=actor if consent["withdrawn_at"] else None,
        )
    for i in payload.get(schema.INCIDENT.key) or []:
        Incident.objects.create(
            case=case,
            **read(schema.INCIDENT, i),
            proposed_type=i.get("gbv_type") if i.get("gbv_type") in GBVType.values else "",
            recorded_by=actor,
        )
    for a in payload.get(schema.ASSESSMENT.key) or []:
        Assessment.objects.create(case=case, **read(schema.ASSESSMENT, a), created_by=actor)
    goals = payload.get(schema.GOAL.key) or []
    if goals:
        plan = ActionPlan.objects.create(case=case)
        for g in goals:
            goal = Goal.objects.create(plan=plan, **read(schema.GOAL, g))
            for a in g.get(schema.PLAN_ACTION.key) or []:
                PlanAction.objects.create(goal=goal, case=case, **read(schema.PLAN_ACTION, a))
    safety = payload.get(schema.SAFETY_PLAN.key)
    if safety:
        SafetyPlan.objects.create(case=case, **read(schema.SAFETY_PLAN, safety), updated_by=actor)
    for f in payload.get(schema.FOLLOW_UP.key) or []:
        FollowUp.objects.create(case=case, **read(schema.FOLLOW_UP, f), recorded_by=actor)
    refresh_case_due_dates(case)
    for m in payload.get(schema.MEASURE.key) or []:
        if left_out(schema.MEASURE, m):
            continue  # an instrument not known here
        MeasureResult.objects.create(case=case, **read(schema.MEASURE, m), administered_by=actor)
