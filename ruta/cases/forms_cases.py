"""Forms of the core case pages: list filters, intake, client details, consent, risk, stage,
reassignment, closure and reopening.

Forms only parse and check what was typed; every change goes through ``actions``.
Identity fields are plain form fields (the model encrypts them at rest).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.cases.access import caseworkers_of
from ruta.cases.actions import CLIENT_FIELDS, RISK_REASON_NEEDED
from ruta.cases.models import (
    ASSENT_BANDS,
    WG_DOMAINS,
    AgeBand,
    Assent,
    CaseStatus,
    CaseType,
    Client,
    ClosureReason,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    DocumentType,
    GenderIdentity,
    PopulationType,
    RiskLevel,
    Satisfaction,
    Sex,
    Stage,
    StorageChoice,
    WGDifficulty,
)
from ruta.directory.forms import LanguageCodesField, OrganizationChoiceField
from ruta.lib.geo import country_choices
from ruta.lib.permissions import Role
from ruta.lib.text import fold
from ruta.places.models import AdminArea
from ruta.ui.forms import DateInput


def _language() -> str:
    return (get_language() or "es")[:2]


class PersonChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


def team_members(organization_id: int) -> QuerySet[Any]:
    """Caseworkers and supervisors of an agency: whoever may hold a case."""
    return User.objects.filter(
        organization_id=organization_id,
        role__in=[Role.CASEWORKER, Role.SUPERVISOR],
        is_active=True,
    ).order_by("full_name", "email")


# --- List filters -----------------------------------------------------------------------
ALL = "all"


# What the today page and the team view count, as filters of the case list.
CONTACT_DUE, ACTIONS_LATE, AWAITING_APPROVAL = "contact", "late", "approval"
ATTENTION_CHOICES = [
    (CONTACT_DUE, _("Contact due")),
    (ACTIONS_LATE, _("Overdue actions")),
    (AWAITING_APPROVAL, _("Waiting for approval")),
]


class CaseFilterForm(forms.Form):
    """The case list's filters (GET). Invalid values are reported and ignored."""

    q = forms.CharField(label=_("Case code"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("Status"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    risk = forms.ChoiceField(label=_("Risk level"), required=False)
    case_type = forms.ChoiceField(label=_("Case type"), required=False)
    attention = forms.ChoiceField(label=_("Needs attention"), required=False)
    caseworker = PersonChoiceField(
        label=_("Caseworker"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Everyone"),
    )

    def __init__(self, data: Any, *, user: User, supervisor: bool) -> None:
        data = data.copy()
        if not data.get("status"):
            data["status"] = CaseStatus.OPEN
        super().__init__(data)
        fields: Any = self.fields
        fields["status"].choices = [*CaseStatus.choices, (ALL, _("Any status"))]
        fields["stage"].choices = [("", _("Any stage")), *Stage.choices]
        fields["risk"].choices = [("", _("Any risk level")), *RiskLevel.choices]
        fields["case_type"].choices = [("", _("Any type")), *CaseType.choices]
        fields["attention"].choices = [("", _("Anything or nothing")), *ATTENTION_CHOICES]
        fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        fields["q"].help_text = _("All or part of the code, e.g. 2025-00012.")
        if supervisor:
            fields["caseworker"].queryset = team_members(user.organization_id)
        else:
            del fields["caseworker"]

    def value(self, name: str) -> Any:
        """A filter's clean value; an invalid filter is reported on the form and ignored."""
        self.is_valid()
        return self.cleaned_data.get(name)


# --- Client details (intake and editing) ------------------------------------------------
YES, NO, UNKNOWN = "yes", "no", "unknown"
SAFE_CHOICES = [(UNKNOWN, _("Not asked yet")), (YES, _("Yes")), (NO, _("No"))]


def _safe_value(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


def _safe_initial(value: bool | None) -> str:
    return {True: YES, False: NO}.get(value, UNKNOWN) if value is not None else UNKNOWN


def area_choices(organization: Any) -> list[tuple[str, Any]]:
    """Level-1 areas of the agency's countries (or every shipped country if it names none)."""
    areas = AdminArea.objects.filter(level=1)
    countries = list(getattr(organization, "countries", []) or [])
    if countries:
        areas = areas.filter(country__in=countries)
    listed = list(areas.only("code", "country", "name_es", "name_en"))
    several = len({area.country for area in listed}) > 1
    options: list[tuple[str, Any]] = [
        (a.code, f"{a.name} ({a.country})" if several else a.name) for a in listed
    ]
    return [("", _("Not recorded")), *sorted(options, key=lambda item: fold(item[1]))]


class ClientForm(forms.Form):
    """Identity (encrypted at rest), coded fields and safe contact of one client."""

    # Identity
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=150)
    family_names = forms.CharField(label=_("Family names"), required=False, max_length=150)
    alias = forms.CharField(
        label=_("Alias or preferred name"),
        required=False,
        max_length=100,
        help_text=_("If set, the case page shows this name instead of the full name."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_type = forms.ChoiceField(label=_("Document type"), required=False)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    # Coded, non-identifying
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    gender_identity = forms.ChoiceField(label=_("Gender identity"), required=False)
    age = forms.IntegerField(
        label=_("Age (years)"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("If the age is known, the age band is set from it."),
    )
    age_band = forms.ChoiceField(
        label=_("Age band"),
        required=False,
        help_text=_("When the exact age is not known."),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    population_type = forms.ChoiceField(label=_("Population type"), required=False)
    admin1 = forms.ChoiceField(label=_("Region where the person lives"), required=False)
    languages = LanguageCodesField(
        label=_("Languages"),
        help_text=_("Two-letter ISO 639-1 codes separated by commas, e.g. es, en, qu."),
    )
    # Safe contact
    safe_to_call = forms.ChoiceField(
        label=_("Is it safe to call?"), choices=SAFE_CHOICES, widget=forms.RadioSelect
    )
    safe_to_message = forms.ChoiceField(
        label=_("Is it safe to leave a message?"), choices=SAFE_CHOICES, widget=forms.RadioSelect
    )
    safe_times = forms.CharField(
        label=_("Safe times to contact"),
        required=False,
        max_length=200,
        help_text=_("For example: weekdays 9 to 12, never at weekends."),
    )
    code_word = forms.CharField(
        label=_("Code word"),
        required=False,
        max_length=100,
        help_text=_("A word agreed with the person to confirm it is safe to talk."),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["document_type"].choices = [("", _("Not recorded")), *DocumentType.choices]
        fields["sex"].choices = [("", _("Not recorded")), *Sex.choices]
        fields["gender_identity"].choices = [("", _("Not recorded")), *GenderIdentity.choices]
        fields["age_band"].choices = list(AgeBand.choices)
        fields["nationality"].choices = [("", _("Not recorded")), *country_choices(_language())]
        fields["population_type"].choices = [("", _("Not recorded")), *PopulationType.choices]
        fields["admin1"].choices = area_choices(organization)
        for name in ("safe_to_call", "safe_to_message"):
            fields[name].initial = UNKNOWN
        fields["age_band"].initial = AgeBand.UNKNOWN
        fields["phone"].widget.input_type = "tel"
        for name in ("given_names", "family_names", "alias", "phone", "address"):
            fields[name].widget.attrs["autocomplete"] = "off"
        for name, label in WG_DOMAINS:
            fields[f"wg_{name}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", _("Not asked")), *WGDifficulty.choices],
                widget=forms.RadioSelect,
                initial="",
            )

    @classmethod
    def initial_for(cls, client: Client) -> dict[str, Any]:
        # Every client field the actions write, but those the form shows in its own shape.
        shaped = {"disability", "languages", "safe_to_call", "safe_to_message"}
        initial: dict[str, Any] = {
            name: getattr(client, name) for name in CLIENT_FIELDS if name not in shaped
        }
        initial["languages"] = list(client.languages or [])
        initial["safe_to_call"] = _safe_initial(client.safe_to_call)
        initial["safe_to_message"] = _safe_initial(client.safe_to_message)
        for name, _label in WG_DOMAINS:
            initial[f"wg_{name}"] = (client.disability or {}).get(name, "")
        return initial

    def wg_fields(self) -> list[Any]:
        return [self[f"wg_{name}"] for name, _label in WG_DOMAINS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("document_number") and not cleaned.get("document_type"):
            self.add_error("document_type", _("Say which document this number belongs to."))
        return cleaned

    def client_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data.get(name) or ""
            for name in (
                "given_names",
                "family_names",
                "alias",
                "phone",
                "address",
                "document_type",
                "document_number",
                "sex",
                "gender_identity",
                "nationality",
                "population_type",
                "admin1",
                "safe_times",
                "code_word",
            )
        }
        fields["age"] = data.get("age")
        fields["age_band"] = data.get("age_band") or AgeBand.UNKNOWN
        fields["languages"] = data.get("languages") or []
        fields["safe_to_call"] = _safe_value(data.get("safe_to_call", UNKNOWN))
        fields["safe_to_message"] = _safe_value(data.get("safe_to_message", UNKNOWN))
        fields["disability"] = {
            name: data[f"wg_{name}"] for name, _label in WG_DOMAINS if data.get(f"wg_{name}")
        }
        return fields


class IntakeForm(ClientForm):
    """A new client and their case, in one form."""

    case_type = forms.ChoiceField(
        label=_("Case type"), choices=CaseType.choices, widget=forms.RadioSelect
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.LOW
    )
    risk_reason = forms.CharField(
        label=_("Reason for the risk level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the risk is high or urgent."),
    )
    caseworker = PersonChoiceField(
        label=_("Caseworker"), queryset=User.objects.none(), to_field_name="uuid", empty_label=None
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is a different case and I want to open it"), required=False
    )

    def __init__(self, *args: Any, user: User, supervisor: bool, **kwargs: Any) -> None:
        super().__init__(*args, organization=user.organization, **kwargs)
        fields: Any = self.fields
        if supervisor:
            fields["caseworker"].queryset = caseworkers_of(user.organization_id)
        else:
            del fields["caseworker"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_risk_reason(self, cleaned)
        return cleaned


def check_risk_reason(form: forms.Form, cleaned: dict[str, Any]) -> None:
    level = cleaned.get("risk_level")
    if level in RISK_REASON_NEEDED and not (cleaned.get("risk_reason") or "").strip():
        form.add_error("risk_reason", _("Say why the risk is high or urgent."))


# --- Consent ----------------------------------------------------------------------------
class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What the consent is for"), choices=ConsentPurpose.choices, widget=forms.RadioSelect
    )
    recipient = OrganizationChoiceField(
        label=_("Organization information may be shared with"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Choose an organization"),
        help_text=_("Required for consent to share information: one organization per consent."),
    )
    given_by = forms.ChoiceField(
        label=_("Who gave it"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        initial=ConsentGiver.SELF,
    )
    method = forms.ChoiceField(
        label=_("How"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    child_assent = forms.ChoiceField(
        label=_("The child's assent"),
        choices=[(Assent.GIVEN, Assent.GIVEN.label), (Assent.REFUSED, Assent.REFUSED.label)],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Ask the child in words they understand, without the caregiver pressing."),
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["recipient"].queryset = Organization.objects.filter(active=True).order_by("name")
        fields["given_on"].initial = timezone.localdate()
        self.needs_assent = client.age_band in ASSENT_BANDS
        if not self.needs_assent:
            del fields["child_assent"]
        if client.is_child:
            fields["given_by"].initial = ConsentGiver.CAREGIVER

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("purpose") == ConsentPurpose.SHARE and not cleaned.get("recipient"):
            self.add_error(
                "recipient", _("Choose the organization the information may be shared with.")
            )
        given_on = cleaned.get("given_on")
        if given_on and given_on > timezone.localdate():
            self.add_error("given_on", _("The date cannot be in the future."))
        return cleaned

    def given_at(self) -> dt.datetime:
        given_on: dt.date = self.cleaned_data["given_on"]
        if given_on == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(given_on, dt.time(12, 0)))


class WithdrawConsentForm(forms.Form):
    """The withdrawal; for the storage consent, also the person's choice for their data."""

    storage_choice = forms.ChoiceField(
        label=_("What does the person want done with their data?"),
        choices=StorageChoice.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Erasing deletes the case and all its records for good. Keeping it anonymised "
            "erases their identity and every narrative; only coded figures remain. A "
            "supervisor carries out the choice."
        ),
        error_messages={"required": _("Choose what the person wants done with their data.")},
    )
    note = forms.CharField(
        label=_("Note on the withdrawal (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No need to give the person's reasons. Never write names here."),
    )

    def __init__(self, *args: Any, storage: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not storage:
            del self.fields["storage_choice"]


# --- Risk, stage, reassignment ----------------------------------------------------------
class RiskForm(forms.Form):
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    risk_reason = forms.CharField(
        label=_("Reason for the risk level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the risk is high or urgent."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_risk_reason(self, cleaned)
        return cleaned


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[(value, label) for value, label in Stage.choices if value != Stage.CLOSURE],
        widget=forms.RadioSelect,
        help_text=_("To close the case, request its closure instead."),
    )


class ReassignForm(forms.Form):
    caseworker = PersonChoiceField(
        label=_("New caseworker"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        empty_label=None,
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["caseworker"].queryset = caseworkers_of(organization_id)


# --- Closure and reopening ----------------------------------------------------------
class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        label=_("The survivor's satisfaction"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, risks_listed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if risks_listed:  # the caseworker says they read them: no closing in one click
            self.fields["risks_read"] = forms.BooleanField(
                label=_("I have read the open risks listed above."),
                help_text=_("The supervisor who approves the closure sees them too."),
                error_messages={"required": _("Read the open risks and tick the box.")},
            )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case reopened?"), widget=forms.Textarea(attrs={"rows": 3})
    )
