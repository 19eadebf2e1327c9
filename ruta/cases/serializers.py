"""Serializers of the case management API (/api/v1/cases/).

Output serializers show decrypted fields: the views only hand them objects that
``access.get_case`` let the person see. The list shows no client identity; the detail
does. Input serializers only validate shapes and vocabularies: every change is made by
``ruta.cases.actions``, which applies the rules (consent, open case, team, age bands).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pycountry
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ruta.cases import classifier, instruments
from ruta.cases.actions import CLIENT_FIELDS
from ruta.cases.models import (
    WG_DOMAINS,
    ActionPlan,
    ActionStatus,
    AgeBand,
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Assent,
    Assessment,
    Case,
    CaseType,
    Client,
    Closure,
    ClosureReason,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    Decision,
    DocumentType,
    FollowUp,
    FollowUpKind,
    GBVType,
    GenderIdentity,
    Goal,
    Incident,
    IncidentSetting,
    Instrument,
    MeasureResult,
    NeedDomain,
    NeedLevel,
    PerpetratorRelation,
    PlanAction,
    PopulationType,
    RiskLevel,
    SafetyPlan,
    Satisfaction,
    Sex,
    Stage,
    StorageChoice,
    WGDifficulty,
)


def _uuid_or_none(obj: Any) -> str | None:
    return str(obj.uuid) if obj is not None else None


class PersonSerializer(serializers.Serializer[Any]):
    """A staff member as the API shows them: an id and a display name."""

    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


# --- Client ------------------------------------------------------------------------------


def _keyed_by(keys: list[str], values: list[str]) -> dict[str, Any]:
    """An object whose keys are known (each optional) and whose values are a choice."""
    choice = {"type": "string", "enum": values}
    return {
        "type": "object",
        "properties": dict.fromkeys(keys, choice),
        "additionalProperties": False,
    }


@extend_schema_field(_keyed_by([code for code, _label in WG_DOMAINS], WGDifficulty.values))
class DisabilityField(serializers.DictField):
    """Washington Group domain -> answer; an unknown domain is refused."""


@extend_schema_field(_keyed_by(NeedDomain.values, NeedLevel.values))
class NeedsField(serializers.DictField):
    """Need domain -> level; an unknown domain is refused."""


class ClientSerializer(serializers.ModelSerializer[Client]):
    """The survivor or child: identity (decrypted), coded fields and safe-contact rules.

    Used for output (case detail) and for input (create, PATCH ``client``); on input
    ``age`` sets ``age_band`` (``actions`` derives it) and the document number is hashed.
    """

    given_names = serializers.CharField(max_length=150, required=False, allow_blank=True)
    family_names = serializers.CharField(max_length=150, required=False, allow_blank=True)
    alias = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    document_type = serializers.ChoiceField(
        choices=DocumentType.choices, required=False, allow_blank=True
    )
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    gender_identity = serializers.ChoiceField(
        choices=GenderIdentity.choices, required=False, allow_blank=True
    )
    age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False)
    nationality = serializers.CharField(max_length=2, required=False, allow_blank=True)
    population_type = serializers.ChoiceField(
        choices=PopulationType.choices, required=False, allow_blank=True
    )
    disability = DisabilityField(
        child=serializers.ChoiceField(choices=WGDifficulty.choices),
        required=False,
        help_text="Washington Group short set: domain -> answer.",
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=3), required=False, help_text="ISO 639 codes."
    )
    admin1 = serializers.CharField(max_length=10, required=False, allow_blank=True)
    safe_to_call = serializers.BooleanField(required=False, allow_null=True)
    safe_to_message = serializers.BooleanField(required=False, allow_null=True)
    safe_times = serializers.CharField(max_length=200, required=False, allow_blank=True)
    code_word = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = Client
        fields = ["uuid", *CLIENT_FIELDS, "has_disability"]
        read_only_fields = ["uuid", "has_disability"]

    def validate_nationality(self, value: str) -> str:
        value = value.upper()
        if value and pycountry.countries.get(alpha_2=value) is None:
            raise serializers.ValidationError(_("Use a two-letter country code (ISO 3166)."))
        return value

    def validate_disability(self, value: dict[str, str]) -> dict[str, str]:
        known = {code for code, _label in WG_DOMAINS}
        unknown = sorted(set(value) - known)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown functioning domain: %(domains)s.") % {"domains": ", ".join(unknown)}
            )
        return value


# --- Cases -------------------------------------------------------------------------------


class CaseListSerializer(serializers.ModelSerializer[Case]):
    """A case in a list: codes and dates, no client identity, no narrative."""

    organization = serializers.SerializerMethodField()
    caseworker = PersonSerializer(read_only=True)

    class Meta:
        model = Case
        fields = [
            "uuid",
            "code",
            "organization",
            "case_type",
            "status",
            "stage",
            "risk_level",
            "caseworker",
            "opened_on",
            "closed_on",
            "updated_at",
            "anonymised_at",
            "anonymised_reason",
        ]
        read_only_fields = fields

    def get_organization(self, case: Case) -> str:
        return str(case.organization.uuid)


class ActiveConsentSerializer(serializers.Serializer[Any]):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices, read_only=True)
    recipient = serializers.UUIDField(allow_null=True, read_only=True)


class CaseDetailSerializer(CaseListSerializer):
    """One case with its client's identity, the reason for the risk level and consents."""

    supervisor = PersonSerializer(read_only=True, allow_null=True)
    client = ClientSerializer(read_only=True)
    active_consents = serializers.SerializerMethodField()
    risk_reason = serializers.CharField(source="risk_reason_text", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "supervisor",
            "risk_reason",
            "client",
            "active_consents",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ActiveConsentSerializer(many=True))
    def get_active_consents(self, case: Case) -> list[dict[str, Any]]:
        return [
            {"purpose": c.purpose, "recipient": _uuid_or_none(c.recipient)}
            for c in case.consents.all()
            if c.is_active
        ]


class CaseCreatedSerializer(CaseDetailSerializer):
    """The new case, and whether the agency already had a client with that document."""

    duplicate_document = serializers.BooleanField(
        read_only=True,
        help_text="True when your agency already had a client with this document number "
        "(compared by keyed hash, before this case was created).",
    )

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "duplicate_document"]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer[Any]):
    """Register a client and open a case for them (``actions.register_case``)."""

    case_type = serializers.ChoiceField(choices=CaseType.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.LOW)
    risk_reason = serializers.CharField(required=False, allow_blank=True, default="")
    caseworker = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A caseworker of your agency (supervisors only); defaults to you.",
    )
    opened_on = serializers.DateField(required=False, allow_null=True)
    client = ClientSerializer()


class CaseUpdateSerializer(serializers.Serializer[Any]):
    """PATCH a case: risk (``set_risk``), stage (``set_stage``), client (``update_client``)."""

    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    risk_reason = serializers.CharField(required=False, allow_blank=True)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    client = ClientSerializer(required=False, partial=True)


# --- Consents ----------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    recipient = serializers.SerializerMethodField()
    recorded_by = serializers.UUIDField(source="recorded_by.uuid", read_only=True)
    withdrawn_by = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "uuid",
            "purpose",
            "recipient",
            "given_by",
            "method",
            "given_at",
            "child_assent",
            "recorded_by",
            "is_active",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_note",
            "storage_choice",
        ]
        read_only_fields = fields

    def get_recipient(self, consent: Consent) -> str | None:
        return _uuid_or_none(consent.recipient)

    def get_withdrawn_by(self, consent: Consent) -> str | None:
        return _uuid_or_none(consent.withdrawn_by)


CLOCK_SKEW = dt.timedelta(minutes=5)
EARLIEST_CONSENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class ConsentCreateSerializer(serializers.Serializer[Any]):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices, default=ConsentGiver.SELF)
    given_at = serializers.DateTimeField(required=False, allow_null=True)
    child_assent = serializers.ChoiceField(
        choices=Assent.choices, required=False, allow_blank=True, default=""
    )
    recipient = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Organization the information may be shared with (purpose 'share').",
    )

    def validate_given_at(self, value: dt.datetime | None) -> dt.datetime | None:
        """Like the form: not in the future (a few minutes of clock skew aside), and not
        before this century, which no case of the platform reaches back to."""
        if value is None:
            return value
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError(_("The date cannot be in the future."))
        if value < EARLIEST_CONSENT:
            raise serializers.ValidationError(
                _("The date cannot be before %(year)s.") % {"year": EARLIEST_CONSENT.year}
            )
        return value


class WithdrawSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    storage_choice = serializers.ChoiceField(
        choices=StorageChoice.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Storage consent only (required there): what the person wants done with "
        "their data. A supervisor carries it out.",
    )


# --- Incidents ---------------------------------------------------------------------------


class IncidentSerializer(serializers.ModelSerializer[Incident]):
    class Meta:
        model = Incident
        fields = [
            "uuid",
            "date",
            "date_is_estimate",
            "admin1",
            "country",
            "setting",
            "perpetrator",
            "reported_elsewhere",
            "gbv_type",
            "proposed_type",
            "classifier_answers",
            "description",
            "recorded_at",
        ]
        read_only_fields = fields


class IncidentCreateSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.BooleanField(allow_null=True),
        help_text="GBVIMS questions in order: " + ", ".join(classifier.QUESTION_CODES) + ".",
    )
    confirmed_type = serializers.ChoiceField(choices=GBVType.choices)
    date = serializers.DateField()
    date_is_estimate = serializers.BooleanField(default=False)
    setting = serializers.ChoiceField(choices=IncidentSetting.choices)
    perpetrator = serializers.ChoiceField(choices=PerpetratorRelation.choices)
    admin1 = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, default="PE")
    reported_elsewhere = serializers.BooleanField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_answers(self, value: dict[str, bool | None]) -> dict[str, bool | None]:
        unknown = sorted(set(value) - set(classifier.QUESTION_CODES))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown question: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return value


# --- Assessments -------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    class Meta:
        model = Assessment
        fields = ["uuid", "assessed_on", "needs", "risk_level", "narrative", "state", "created_at"]
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    needs = NeedsField(
        child=serializers.ChoiceField(choices=NeedLevel.choices),
        help_text="Need domain -> level: " + ", ".join(NeedDomain.values) + ".",
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    risk_reason = serializers.CharField(required=False, allow_blank=True, default="")
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    assessed_on = serializers.DateField(required=False, allow_null=True)

    def validate_needs(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(NeedDomain.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown need domain: %(domains)s.") % {"domains": ", ".join(unknown)}
            )
        return value


# --- Action plan -------------------------------------------------------------------------


class PlanActionSerializer(serializers.ModelSerializer[PlanAction]):
    goal = serializers.UUIDField(source="goal.uuid", read_only=True)
    service = serializers.SerializerMethodField()

    class Meta:
        model = PlanAction
        fields = [
            "uuid",
            "goal",
            "description",
            "responsible",
            "due_on",
            "service",
            "pros",
            "cons",
            "decision",
            "status",
            "created_at",
        ]
        read_only_fields = fields

    def get_service(self, action: PlanAction) -> str | None:
        return _uuid_or_none(action.service)


class GoalSerializer(serializers.ModelSerializer[Goal]):
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["uuid", "need", "description", "created_at", "actions"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer[ActionPlan]):
    """The case's action plan; ``uuid``, ``state`` and ``updated_at`` are null before the
    first goal."""

    uuid = serializers.UUIDField(read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=ApprovalState.choices, read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["uuid", "state", "updated_at", "goals"]
        read_only_fields = fields


class GoalCreateSerializer(serializers.Serializer[Any]):
    need = serializers.ChoiceField(choices=NeedDomain.choices)
    description = serializers.CharField()


class PlanActionCreateSerializer(serializers.Serializer[Any]):
    description = serializers.CharField()
    responsible = serializers.CharField(max_length=150)
    due_on = serializers.DateField(required=False, allow_null=True)
    service = serializers.UUIDField(
        required=False, allow_null=True, help_text="A service of the directory."
    )
    pros = serializers.CharField(required=False, allow_blank=True, default="")
    cons = serializers.CharField(required=False, allow_blank=True, default="")
    decision = serializers.ChoiceField(choices=Decision.choices, default=Decision.UNDECIDED)


class PlanActionUpdateSerializer(serializers.Serializer[Any]):
    """PATCH an action: its progress (``status``) or what was agreed. A change of what was
    agreed sends an approved plan back to draft and withdraws a request in review."""

    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    decision = serializers.ChoiceField(choices=Decision.choices, required=False)
    due_on = serializers.DateField(required=False, allow_null=True)
    responsible = serializers.CharField(max_length=150, required=False)
    pros = serializers.CharField(required=False, allow_blank=True)
    cons = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False)


# --- Safety plan -------------------------------------------------------------------------


class SafetyPlanSerializer(serializers.ModelSerializer[SafetyPlan]):
    """The safety plan; ``uuid`` and ``updated_at`` are null while none was saved."""

    uuid = serializers.UUIDField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    emergency_services = serializers.SerializerMethodField()

    class Meta:
        model = SafetyPlan
        fields = [
            "uuid",
            "risks",
            "strategies",
            "safe_people",
            "safe_places",
            "other_numbers",
            "emergency_services",
            "next_review_on",
            "updated_at",
        ]
        read_only_fields = fields

    def get_emergency_services(self, plan: SafetyPlan) -> list[str]:
        if plan.pk is None:
            return []
        return [str(service.uuid) for service in plan.emergency_services.all()]


class SafetyPlanWriteSerializer(serializers.Serializer[Any]):
    risks = serializers.CharField(required=False, allow_blank=True, default="")
    strategies = serializers.CharField(required=False, allow_blank=True, default="")
    safe_people = serializers.CharField(required=False, allow_blank=True, default="")
    safe_places = serializers.CharField(required=False, allow_blank=True, default="")
    other_numbers = serializers.CharField(required=False, allow_blank=True, default="")
    emergency_services = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list
    )
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)


# --- Follow-ups, measures ---------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    recorded_by = serializers.UUIDField(source="recorded_by.uuid", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "uuid",
            "kind",
            "happened_on",
            "note",
            "next_contact_on",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class FollowUpCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    happened_on = serializers.DateField(required=False, allow_null=True)
    next_contact_on = serializers.DateField(required=False, allow_null=True)


class MeasureSerializer(serializers.ModelSerializer[MeasureResult]):
    band_label = serializers.SerializerMethodField()

    class Meta:
        model = MeasureResult
        fields = [
            "uuid",
            "instrument",
            "answers",
            "score",
            "band",
            "band_label",
            "flagged",
            "administered_on",
            "created_at",
        ]
        read_only_fields = fields

    def get_band_label(self, measure: MeasureResult) -> str:
        return str(instruments.band_label(measure.instrument, measure.band))


class MeasureCreateSerializer(serializers.Serializer[Any]):
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    answers = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=5),
        help_text="One answer per item, in order (WHO-5: 0-5; PHQ-9, GAD-7: 0-3).",
    )
    administered_on = serializers.DateField(required=False, allow_null=True)


# --- Closure -----------------------------------------------------------------------------


class ClosureSerializer(serializers.ModelSerializer[Closure]):
    requested_by = serializers.UUIDField(source="requested_by.uuid", read_only=True)

    class Meta:
        model = Closure
        fields = [
            "uuid",
            "reason",
            "satisfaction",
            "note",
            "state",
            "requested_by",
            "requested_at",
            "reopened_at",
            "reopen_reason",
            "risk_override_reason",
        ]
        read_only_fields = fields


class ClosureCreateSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=ClosureReason.choices)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StorageChoiceDoneSerializer(serializers.Serializer[Any]):
    """What a supervisor carried out after a withdrawal of the storage consent."""

    case = serializers.UUIDField(read_only=True)
    choice = serializers.ChoiceField(choices=StorageChoice.choices, read_only=True)
    erased = serializers.BooleanField(read_only=True)


class ReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


# --- Approvals ---------------------------------------------------------------------------


class ApprovalSerializer(serializers.ModelSerializer[ApprovalRequest]):
    requested_by = serializers.UUIDField(source="requested_by.uuid", read_only=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = [
            "uuid",
            "kind",
            "target_uuid",
            "state",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields

    def get_decided_by(self, approval: ApprovalRequest) -> str | None:
        return _uuid_or_none(approval.decided_by)


class ApprovalCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ApprovalKind.choices)
    target_uuid = serializers.UUIDField(
        help_text="The assessment, action plan or closure request to approve."
    )


class ApprovalDecisionSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField(help_text="true approves; false returns it for changes.")
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when returning."
    )
    risk_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=4000,
        help_text="Required to approve a closure while an urgent risk is open: why the case "
        "closes despite it.",
    )
