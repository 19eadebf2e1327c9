"""What a case carries to another installation (a transfer package), declared once.

For each case model the package holds: the fields it exports, in package order, and every
other field of the model with the reason it stays behind. ``ruta.transfers`` builds and
reads packages from these declarations only, and a test fails when a model gains a field
that is in neither list. The package format is shared with other installations: an
exported field is never renamed or dropped, only added.

How a value travels follows the model field: a date as ISO text (``null`` when empty), an
organization as its name, everything else as stored. On import a value that is missing or
not one of the field's choices becomes the field's entry in ``fallbacks`` (else the model
field's default); a record whose value is not valid for a field marked ``DROP`` is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from ruta.cases.models import (
    ActionPlan,
    ActionStatus,
    Assessment,
    Case,
    CaseType,
    Client,
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
    MeasureResult,
    NeedDomain,
    PerpetratorRelation,
    PlanAction,
    RiskLevel,
    SafetyPlan,
    Stage,
)

DROP = object()  # a fallback: leave out a record whose value is not valid

# Reasons shared by many models.
LOCAL_ID = "a key of this database; the importing installation makes its own"
THE_CASE = "the imported case it belongs to"
AUTHOR = "a user of the sending installation; the importing supervisor authors the copy"
STAMP = "set when the copy is saved"


@dataclass(frozen=True)
class Exchanged:
    """The export of one case model: ``key`` names its records in the package."""

    model: type[models.Model]
    key: str
    fields: tuple[str, ...]
    excluded: Mapping[str, str]
    fallbacks: Mapping[str, Any] = field(default_factory=dict)

    def model_field(self, name: str) -> Any:
        return self.model._meta.get_field(name)


CASE = Exchanged(
    Case,
    "case",
    fields=("code", "case_type", "stage", "risk_level", "risk_reason", "opened_on"),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "organization": "the importing agency holds the copy",
        "client": "sent as the package's client",
        "status": "only an open case travels, and its copy opens",
        "caseworker": "chosen by the importing supervisor",
        "supervisor": "chosen by the importing agency",
        "closed_on": "only an open case travels",
        "anonymised_at": "an anonymised case is read-only and never travels",
        "anonymised_reason": "an anonymised case is read-only and never travels",
        "next_contact_on": "recomputed from the follow-ups",
        "next_action_due_on": "recomputed from the plan actions",
        "created_by": AUTHOR,
        "created_at": STAMP,
        "updated_at": STAMP,
    },
    fallbacks={"case_type": CaseType.GBV, "stage": Stage.INTAKE, "risk_level": RiskLevel.LOW},
)

CLIENT = Exchanged(
    Client,
    "client",
    fields=(
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
    ),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "organization": "the importing agency holds the copy",
        "document_hash": "recomputed from the document number",
        "has_disability": "recomputed from the functioning answers",
        "created_at": STAMP,
    },
)

CONSENT = Exchanged(
    Consent,
    "consents",
    fields=(
        "purpose",
        "recipient",
        "given_by",
        "method",
        "given_at",
        "child_assent",
        "withdrawn_at",
    ),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "case": THE_CASE,
        "recorded_by": AUTHOR,
        "withdrawn_by": AUTHOR,
        "withdrawal_note": "the sending team's note; the withdrawal travels as its date",
        "storage_choice": "the survivor's choice is carried out where it was given",
    },
    fallbacks={
        "purpose": ConsentPurpose.SERVICES,
        "given_by": ConsentGiver.SELF,
        "method": ConsentMethod.VERBAL,
        "child_assent": "",
    },
)

INCIDENT = Exchanged(
    Incident,
    "incidents",
    fields=(
        "date",
        "date_is_estimate",
        "admin1",
        "country",
        "setting",
        "perpetrator",
        "reported_elsewhere",
        "gbv_type",
        "classifier_answers",
        "description",
    ),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "case": THE_CASE,
        "proposed_type": "the confirmed type travels; the copy proposes it again",
        "recorded_by": AUTHOR,
        "recorded_at": STAMP,
    },
    fallbacks={
        "setting": IncidentSetting.OTHER,
        "perpetrator": PerpetratorRelation.UNKNOWN,
        "gbv_type": GBVType.PSYCHOLOGICAL,
    },
)

ASSESSMENT = Exchanged(
    Assessment,
    "assessments",
    fields=("assessed_on", "needs", "risk_level", "narrative"),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "case": THE_CASE,
        "state": "approval is local: the importing supervisor approves again",
        "created_by": AUTHOR,
        "created_at": STAMP,
    },
    fallbacks={"risk_level": RiskLevel.LOW},
)

ACTION_PLAN = Exchanged(
    ActionPlan,
    "action_plan",
    fields=(),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "case": THE_CASE,
        "state": "approval is local: the importing supervisor approves again",
        "updated_at": STAMP,
    },
)

# The package's "action_plan" is the list of the plan's goals, each with its actions.
GOAL = Exchanged(
    Goal,
    "action_plan",
    fields=("need", "description"),
    excluded={"id": LOCAL_ID, "uuid": LOCAL_ID, "plan": "the copy's plan", "created_at": STAMP},
    fallbacks={"need": NeedDomain.PSYCHOSOCIAL},
)

PLAN_ACTION = Exchanged(
    PlanAction,
    "actions",
    fields=("description", "responsible", "due_on", "pros", "cons", "decision", "status"),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "goal": "the goal it is listed under",
        "case": THE_CASE,
        "service": "a service of the sending installation's directory",
        "created_at": STAMP,
    },
    fallbacks={"decision": Decision.UNDECIDED, "status": ActionStatus.PENDING},
)

SAFETY_PLAN = Exchanged(
    SafetyPlan,
    "safety_plan",
    fields=(
        "risks",
        "strategies",
        "safe_people",
        "safe_places",
        "other_numbers",
        "next_review_on",
    ),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "case": THE_CASE,
        "emergency_services": "services of the sending installation's directory",
        "updated_by": AUTHOR,
        "updated_at": STAMP,
    },
)

FOLLOW_UP = Exchanged(
    FollowUp,
    "follow_ups",
    fields=("kind", "happened_on", "note", "next_contact_on"),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "case": THE_CASE,
        "recorded_by": AUTHOR,
        "recorded_at": STAMP,
    },
    fallbacks={"kind": FollowUpKind.NOTE},
)

MEASURE = Exchanged(
    MeasureResult,
    "measures",
    fields=("instrument", "answers", "score", "band", "flagged", "administered_on"),
    excluded={
        "id": LOCAL_ID,
        "uuid": LOCAL_ID,
        "case": THE_CASE,
        "administered_by": AUTHOR,
        "created_at": STAMP,
    },
    fallbacks={"instrument": DROP, "answers": []},
)

EXCHANGED = (
    CASE,
    CLIENT,
    CONSENT,
    INCIDENT,
    ASSESSMENT,
    ACTION_PLAN,
    GOAL,
    PLAN_ACTION,
    SAFETY_PLAN,
    FOLLOW_UP,
    MEASURE,
)

# The models of the cases app a package leaves out entirely, by label.
NOT_EXCHANGED: Mapping[str, str] = {
    "cases.CaseSequence": "the numbering of this installation's agencies",
    "cases.Closure": "only an open case travels; closing is local",
    "cases.ApprovalRequest": "approval is local: the importing supervisor approves again",
}
