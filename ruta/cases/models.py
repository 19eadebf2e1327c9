"""Survivor-centred case records: client, case, consents, incident, assessment, plans,
follow-ups, outcome measures and approvals (notifications are ``ruta.notifications``).

Identifying data lives in ``Encrypted*Field``s (Fernet tokens at rest). Only coded,
non-identifying fields are in clear, so aggregates never need a key. State changes go
through ``actions.py``; who sees what is ``access.py``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.cases import system_text
from ruta.lib.fields import EncryptedCharField, EncryptedTextField

User = settings.AUTH_USER_MODEL


# --- Vocabularies -------------------------------------------------------------------
class CaseType(models.TextChoices):
    GBV = "gbv", _("Gender-based violence")
    MHPSS = "mhpss", _("Mental health and psychosocial support")
    CHILD_PROTECTION = "child_protection", _("Child protection")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    ACTION_PLAN = "action_plan", _("Action plan")
    IMPLEMENTATION = "implementation", _("Implementation")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSURE = "closure", _("Closure")


STAGE_ORDER = list(Stage.values)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


RISK_ORDER = list(RiskLevel.values)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Other identity")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class AgeBand(models.TextChoices):
    """GBVIMS/R4V-compatible bands; children's bands follow the consent rules."""

    AGE_0_5 = "0-5", _("0-5 years")
    AGE_6_11 = "6-11", _("6-11 years")
    AGE_12_14 = "12-14", _("12-14 years")
    AGE_15_17 = "15-17", _("15-17 years")
    AGE_18_25 = "18-25", _("18-25 years")
    AGE_26_59 = "26-59", _("26-59 years")
    AGE_60 = "60+", _("60 years or more")
    UNKNOWN = "unknown", _("Unknown age")


CHILD_BANDS = frozenset({"0-5", "6-11", "12-14", "15-17"})
# Bands where a caregiver consents and the child's assent is asked (see domain notes).
ASSENT_BANDS = frozenset({"6-11", "12-14"})


def age_band_for(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for limit, band in ((5, "0-5"), (11, "6-11"), (14, "12-14"), (17, "15-17"), (25, "18-25")):
        if age <= limit:
            return band
    return "26-59" if age <= 59 else "60+"


class PopulationType(models.TextChoices):
    """R4V population types."""

    IN_DESTINATION = "in_destination", _("Refugee or migrant in destination")
    IN_TRANSIT = "in_transit", _("Refugee or migrant in transit")
    PENDULAR = "pendular", _("Pendular migrant")
    RETURNEE = "returnee", _("Colombian returnee")
    HOST = "host", _("Host community")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    FOREIGNER_CARD = "foreigner_card", _("Foreigner's card (carné de extranjería)")
    PTP = "ptp", _("Temporary permit (PTP/CPP)")
    ASYLUM_CARD = "asylum_card", _("Asylum seeker's card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    OTHER = "other", _("Other document")
    NONE = "none", _("No document")


class WGDifficulty(models.TextChoices):
    """Washington Group short set answer scale."""

    NONE = "no", _("No difficulty")
    SOME = "some", _("Some difficulty")
    A_LOT = "a_lot", _("A lot of difficulty")
    CANNOT = "cannot", _("Cannot do at all")


WG_DOMAINS: list[tuple[str, Any]] = [
    ("seeing", _("Seeing, even if wearing glasses")),
    ("hearing", _("Hearing, even if using a hearing aid")),
    ("walking", _("Walking or climbing steps")),
    ("cognition", _("Remembering or concentrating")),
    ("self_care", _("Self-care, such as washing all over or dressing")),
    ("communication", _("Communicating, understanding or being understood")),
]


def has_disability(wg_answers: dict[str, str]) -> bool:
    """The Washington Group cut-off: at least one domain 'a lot of difficulty' or worse."""
    return any(value in (WGDifficulty.A_LOT, WGDifficulty.CANNOT) for value in wg_answers.values())


# --- Client and case ------------------------------------------------------------------
class Client(models.Model):
    """The survivor or child. Identity is encrypted; coded fields stay in clear."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="clients"
    )
    given_names = EncryptedCharField(_("given names"), max_length=150, blank=True)
    family_names = EncryptedCharField(_("family names"), max_length=150, blank=True)
    alias = EncryptedCharField(_("alias or preferred name"), max_length=100, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    document_type = EncryptedCharField(_("document type"), max_length=40, blank=True)
    document_number = EncryptedCharField(_("document number"), max_length=60, blank=True)
    document_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Coded, non-identifying
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(
        _("gender identity"), max_length=12, choices=GenderIdentity.choices, blank=True
    )
    age = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    age_band = models.CharField(
        _("age band"), max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    population_type = models.CharField(
        _("population type"), max_length=20, choices=PopulationType.choices, blank=True
    )
    disability = models.JSONField(_("functioning (Washington Group)"), default=dict, blank=True)
    has_disability = models.BooleanField(_("person with disability"), default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    admin1 = models.CharField(_("region"), max_length=10, blank=True)
    # Safe contact
    safe_to_call = models.BooleanField(_("safe to call"), null=True, blank=True)
    safe_to_message = models.BooleanField(_("safe to leave a message"), null=True, blank=True)
    safe_times = EncryptedCharField(_("safe times to contact"), max_length=200, blank=True)
    code_word = EncryptedCharField(_("code word"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return f"client {self.uuid}"

    @property
    def display_name(self) -> str:
        full = f"{self.given_names} {self.family_names}".strip()
        return self.alias or full

    @property
    def is_child(self) -> bool:
        return self.age_band in CHILD_BANDS


class CaseSequence(models.Model):
    """The last case number an organization used in a year (locked when incremented)."""

    organization = models.ForeignKey("agencies.Organization", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


class AnonymisedReason(models.TextChoices):
    RETENTION = "retention", _("The retention period after closure ended")
    STORAGE_CONSENT_WITHDRAWN = (
        "storage_consent_withdrawn",
        _("The survivor withdrew the consent to store their data"),
    )


class Case(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("case code"), max_length=40, unique=True, editable=False)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="cases"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    case_type = models.CharField(_("case type"), max_length=20, choices=CaseType.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.INTAKE)
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    risk_reason = EncryptedTextField(_("reason for the risk level"), blank=True)
    caseworker = models.ForeignKey(
        User,
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    supervisor = models.ForeignKey(
        User,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_cases",
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Copies kept by ruta.cases.work.refresh_due_dates whenever a follow-up or a plan action
    # is saved, so the today page, the case list and the team view read them off the case
    # instead of searching every follow-up and action.
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True, editable=False)
    next_action_due_on = models.DateField(
        _("next action due"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by ruta.cases.retention.anonymise_case: identity and narratives are gone, the
    # coded fields stay for the figures, and nothing can be changed any more.
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)
    anonymised_reason = models.CharField(
        _("why it was anonymised"),
        max_length=32,
        choices=AnonymisedReason.choices,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organization", "status", "risk_level"]),
            models.Index(fields=["caseworker", "status"]),
            # The team view: open cases of an organization with an action already late.
            models.Index(fields=["organization", "status", "next_action_due_on"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def risk_reason_text(self) -> str:
        """The reason for the risk level in the reader's language when Ruta wrote it
        (``ruta.cases.system_text``), as written otherwise."""
        return system_text.readable(self.risk_reason)

    @property
    def risk_rank(self) -> int:
        return RISK_ORDER.index(self.risk_level)


# --- Consent ---------------------------------------------------------------------------
class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Receive services")
    SHARE = "share", _("Share information with a named organization for a referral")
    REPORTING = "reporting", _("Anonymised reporting")
    STORAGE = "storage", _("Storage of personal data")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The person themself")
    CAREGIVER = "caregiver", _("Parent or caregiver")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbal")
    WRITTEN = "written", _("Written")


class Assent(models.TextChoices):
    GIVEN = "given", _("The child agreed")
    REFUSED = "refused", _("The child did not agree")
    NOT_ASKED = "not_asked", _("Not asked (age)")


class StorageChoice(models.TextChoices):
    """What the survivor chose when withdrawing the consent to store their data."""

    ERASE = "erase", _("Erase all my data")
    ANONYMISE = "anonymise", _("Keep it without my identity (anonymised)")


class Consent(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=12, choices=ConsentPurpose.choices)
    recipient = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("organization information may be shared with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    given_by = models.CharField(
        _("given by"), max_length=10, choices=ConsentGiver.choices, default=ConsentGiver.SELF
    )
    method = models.CharField(_("how"), max_length=8, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(_("given on"), default=timezone.now)
    child_assent = models.CharField(
        _("child's assent"), max_length=10, choices=Assent.choices, blank=True
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = EncryptedTextField(_("note on the withdrawal"), blank=True)
    # Storage consents only: the survivor's choice, carried out when a supervisor confirms.
    storage_choice = models.CharField(
        _("what the survivor chose for their data"),
        max_length=10,
        choices=StorageChoice.choices,
        blank=True,
    )

    class Meta:
        ordering = ["purpose", "-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["case", "purpose", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} consent {self.uuid}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


# --- Incident (GBV) ---------------------------------------------------------------------
class GBVType(models.TextChoices):
    """The six GBVIMS core incident types, in the order of precedence."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL = "denial", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL = "psychological", _("Psychological or emotional abuse")


class IncidentSetting(models.TextChoices):
    HOME = "home", pgettext_lazy("place of an incident", "Home")
    STREET = "street", _("Street or public place")
    TRANSIT = "transit", _("On the move or at a border crossing")
    SHELTER = "shelter", _("Shelter or collective centre")
    WORKPLACE = "workplace", _("Workplace")
    SCHOOL = "school", _("School")
    SERVICE = "service", _("Service or institution")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other place")


class PerpetratorRelation(models.TextChoices):
    PARTNER = "partner", _("Intimate partner or former partner")
    FAMILY = "family", _("Family member other than a partner")
    KNOWN = "known", _("Someone known, not family")
    STRANGER = "stranger", _("Stranger")
    AUTHORITY = "authority", _("Authority, armed or criminal group")
    SERVICE_PROVIDER = "service_provider", _("Service provider or aid worker")
    UNKNOWN = "unknown", _("Unknown")


class Incident(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    date = models.DateField(_("date of the incident"))
    date_is_estimate = models.BooleanField(_("the date is approximate"), default=False)
    admin1 = models.CharField(_("region"), max_length=10, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PE")
    setting = models.CharField(
        _("where it happened"), max_length=20, choices=IncidentSetting.choices
    )
    perpetrator = models.CharField(
        _("relationship of the perpetrator"), max_length=20, choices=PerpetratorRelation.choices
    )
    reported_elsewhere = models.BooleanField(_("reported elsewhere"), null=True, blank=True)
    gbv_type = models.CharField(_("GBVIMS type"), max_length=20, choices=GBVType.choices)
    proposed_type = models.CharField(max_length=20, choices=GBVType.choices, blank=True)
    classifier_answers = models.JSONField(default=dict, blank=True)
    description = EncryptedTextField(_("what the person chose to tell"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"incident {self.uuid}"


# --- Assessment, plan, safety plan -------------------------------------------------
class NeedDomain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL = "legal", _("Legal and justice")
    BASIC = "basic", _("Basic needs and shelter")
    EDUCATION = "education", _("Education")
    LIVELIHOODS = "livelihoods", _("Livelihoods")
    DOCUMENTATION = "documentation", _("Documentation")


class NeedLevel(models.TextChoices):
    NONE = "none", _("No need")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ApprovalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn: changed after the request")


class Assessment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    # {domain: level}; every NeedDomain present
    needs = models.JSONField(_("needs"), default=dict)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    narrative = EncryptedTextField(_("assessment narrative"), blank=True)
    state = models.CharField(
        max_length=10, choices=ApprovalState.choices, default=ApprovalState.DRAFT
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"assessment {self.uuid}"


class ActionPlan(models.Model):
    """One plan per case, revised over time; goals hang from it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="action_plan")
    state = models.CharField(
        max_length=10, choices=ApprovalState.choices, default=ApprovalState.DRAFT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"plan {self.uuid}"


class Goal(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    need = models.CharField(_("need"), max_length=16, choices=NeedDomain.choices)
    description = EncryptedTextField(_("goal"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"goal {self.uuid}"


class Decision(models.TextChoices):
    UNDECIDED = "undecided", _("Still deciding")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")


class ActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanAction(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_actions")
    description = EncryptedTextField(_("action"))
    # Often a person ("her sister", a name): encrypted like the rest of the plan.
    responsible = EncryptedCharField(_("responsible person"), max_length=150)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("service in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pros = EncryptedTextField(_("pros discussed"), blank=True)
    cons = EncryptedTextField(_("cons discussed"), blank=True)
    decision = models.CharField(
        _("the survivor's decision"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.UNDECIDED,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["case", "status", "due_on"])]

    def __str__(self) -> str:
        return f"action {self.uuid}"


class SafetyPlan(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    risks = EncryptedTextField(_("risks"), blank=True)
    strategies = EncryptedTextField(_("strategies"), blank=True)
    safe_people = EncryptedTextField(_("safe people"), blank=True)
    safe_places = EncryptedTextField(_("safe places"), blank=True)
    emergency_services = models.ManyToManyField(
        "directory.Service", verbose_name=_("emergency services"), blank=True, related_name="+"
    )
    other_numbers = EncryptedTextField(_("other emergency numbers"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"safety plan {self.uuid}"


# --- Follow-ups and measures -------------------------------------------------------
class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment")
    SESSION = "session", _("Session")
    NOTE = "note", _("Case note")


class FollowUp(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("type"), max_length=16, choices=FollowUpKind.choices)
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    note = EncryptedTextField(_("note"), blank=True)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["case", "next_contact_on"])]

    def __str__(self) -> str:
        return f"follow-up {self.uuid}"


class Instrument(models.TextChoices):
    WHO5 = "who5", _("WHO-5 Well-Being Index")
    PHQ9 = "phq9", _("PHQ-9 (depression)")
    GAD7 = "gad7", _("GAD-7 (anxiety)")


class MeasureResult(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    instrument = models.CharField(_("instrument"), max_length=8, choices=Instrument.choices)
    answers = models.JSONField(_("answers"))
    score = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("severity"), max_length=24)
    flagged = models.BooleanField(_("risk flag"), default=False)
    administered_on = models.DateField(_("date"), default=timezone.localdate)
    administered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "administered_on", "id"]
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")

    def __str__(self) -> str:
        return f"{self.instrument} {self.score}"


# --- Closure and approvals ---------------------------------------------------------
class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", _("Needs met")
    REQUEST = "request", _("At the survivor's request")
    TRANSFERRED = "transferred", _("Transferred")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    RELOCATED = "relocated", _("Relocated")
    OTHER = "other", _("Other reason")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neither satisfied nor dissatisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    NOT_ASKED = "not_asked", _("Could not ask")


class Closure(models.Model):
    """A request to close a case; the case closes when a supervisor approves it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("reason"), max_length=16, choices=ClosureReason.choices)
    satisfaction = models.CharField(
        _("survivor's satisfaction"), max_length=14, choices=Satisfaction.choices
    )
    note = EncryptedTextField(_("closing note"), blank=True)
    state = models.CharField(
        max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = EncryptedTextField(_("reason for reopening"), blank=True)
    # Written by the approving supervisor when the case closed with an urgent risk open.
    risk_override_reason = EncryptedTextField(
        _("reason for closing despite an urgent risk"), blank=True
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"closure {self.uuid}"


class ApprovalKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    ACTION_PLAN = "action_plan", _("Action plan")
    CLOSURE = "closure", _("Closure")


class ApprovalRequest(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("what"), max_length=12, choices=ApprovalKind.choices)
    target_uuid = models.UUIDField()
    state = models.CharField(
        _("state"), max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [
            models.Index(fields=["case", "state"]),
            models.Index(fields=["state", "requested_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} approval {self.uuid}"
