"""Forms for the records inside a case: incident details, assessment, plan, safety plan,
follow-ups and outcome measures.

Forms only parse and validate input; saving goes through ``ruta.cases.actions``.
Services offered for a plan action or a safety plan come from
``ruta.directory.access.visible_services`` (active entries only).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.cases.instruments import Scale
from ruta.cases.models import (
    ActionStatus,
    Decision,
    FollowUpKind,
    IncidentSetting,
    NeedDomain,
    NeedLevel,
    PerpetratorRelation,
    RiskLevel,
)
from ruta.directory.access import visible_services
from ruta.directory.models import Service, ServiceStatus
from ruta.lib.geo import sorted_countries
from ruta.lib.text import collation_key
from ruta.places.models import AdminArea
from ruta.ui.forms import DateInput

if TYPE_CHECKING:
    from ruta.accounts.models import User

# Sectors offered for emergency numbers on a safety plan.
EMERGENCY_SECTORS = ("helpline", "shelter", "medical", "gbv_case_management", "mental_health")
# How many services a select or a checkbox list offers at most.
SERVICE_CHOICES_LIMIT = 200


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _not_future(value: Any) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


# --- Incident ------------------------------------------------------------------------
def region_choices(language: str) -> list[tuple[str, Any]]:
    """First-level areas grouped by country (``<optgroup>``s), for a select without JS."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for area in AdminArea.objects.filter(level=1).only("code", "country", "name_es", "name_en"):
        groups.setdefault(area.country, []).append((area.code, area.name))
    choices: list[tuple[str, Any]] = [("", _("Not recorded"))]
    for country, name in sorted_countries(groups, language):
        options = sorted(groups[country], key=lambda item: collation_key(item[1], language))
        choices.append((name, options))
    return choices


def incident_countries(language: str) -> list[tuple[str, str]]:
    """Countries with regions loaded first (the region of Ruta's networks)."""
    codes = sorted(set(AdminArea.objects.filter(level=1).values_list("country", flat=True)))
    if "PE" not in codes:
        codes.append("PE")
    return sorted_countries(codes, language)


class IncidentDetailsForm(forms.Form):
    """Everything about an incident except its type, which the classifier proposes."""

    date = forms.DateField(
        label=_("Date of the incident"), widget=DateInput(), validators=[_not_future]
    )
    date_is_estimate = forms.BooleanField(
        label=_("The date is approximate"),
        required=False,
        help_text=_("Tick it when the person remembers only the month or the season."),
    )
    country = forms.ChoiceField(label=_("Country where it happened"))
    admin1 = forms.ChoiceField(label=_("Region"), required=False)
    setting = forms.ChoiceField(label=_("Where it happened"), choices=IncidentSetting.choices)
    perpetrator = forms.ChoiceField(
        label=_("Relationship of the perpetrator to the person"),
        choices=PerpetratorRelation.choices,
    )
    reported_elsewhere = forms.TypedChoiceField(
        label=_("Was it reported elsewhere (police, health, another agency)?"),
        choices=[
            ("yes", _("Yes")),
            ("no", _("No")),
            ("unknown", _("Does not know or prefers not to say")),
        ],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
        initial="unknown",
    )
    description = forms.CharField(
        label=_("What the person chose to tell (optional)"),
        required=False,
        widget=_text(4),
        help_text=_(
            "Only what is needed for the response. Do not ask the person to tell the story again."
        ),
    )
    confirmed_type = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("I confirm this type with the answers above"))

    def __init__(self, *args: Any, language: str = "es", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = incident_countries(language)  # type: ignore[attr-defined]
        self.fields["country"].initial = "PE"
        self.fields["admin1"].choices = region_choices(language)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        admin1, country = data.get("admin1"), data.get("country")
        if admin1 and country and not admin1.upper().startswith(f"{country.upper()}-"):
            self.add_error("admin1", _("Choose a region of the country where it happened."))
        return data


# --- Assessment ----------------------------------------------------------------------
class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Date of the assessment"), widget=DateInput(), validators=[_not_future]
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    risk_reason = forms.CharField(
        label=_("Reason for the risk level"),
        required=False,
        widget=_text(2),
        help_text=_("Needed when the risk level of the case changes."),
    )
    narrative = forms.CharField(label=_("Assessment narrative"), required=False, widget=_text(6))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        for domain, label in NeedDomain.choices:
            self.fields[f"need_{domain}"] = forms.ChoiceField(
                label=label, choices=NeedLevel.choices, widget=forms.RadioSelect
            )

    def need_fields(self) -> list[Any]:
        return [self[f"need_{domain}"] for domain in NeedDomain.values]

    def needs(self) -> dict[str, str]:
        return {domain: self.cleaned_data[f"need_{domain}"] for domain in NeedDomain.values}


# --- Action plan ---------------------------------------------------------------------
class GoalForm(forms.Form):
    need = forms.ChoiceField(label=_("Need it answers"), choices=NeedDomain.choices)
    description = forms.CharField(label=_("Goal"), widget=_text(3), max_length=2000)


class ServiceChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.organization.display_name}"


def active_services(user: User, text: str = "") -> QuerySet[Service]:
    services = (
        visible_services(user)
        .filter(status=ServiceStatus.ACTIVE)
        .select_related("organization")
        .order_by("name_es", "id")
    )
    text = text.strip()[:100]
    if text:
        services = services.filter(
            Q(name_es__icontains=text)
            | Q(name_en__icontains=text)
            | Q(organization__name__icontains=text)
            | Q(organization__acronym__icontains=text)
        )
    return services


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), widget=_text(3), max_length=2000)
    responsible = forms.CharField(
        label=_("Responsible person"),
        max_length=150,
        help_text=_("Who does it: the caseworker, the survivor, another service…"),
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    service = ServiceChoiceField(
        label=_("Service in the directory (optional)"),
        queryset=Service.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("No service"),
    )
    pros = forms.CharField(
        label=_("Pros discussed with the survivor"), required=False, widget=_text(3)
    )
    cons = forms.CharField(
        label=_("Cons and risks discussed with the survivor"), required=False, widget=_text(3)
    )
    decision = forms.ChoiceField(
        label=_("The survivor's decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        initial=Decision.UNDECIDED,
    )

    def __init__(self, *args: Any, user: User, service_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["service"]
        # Validation accepts any visible active service; the select lists at most the limit.
        field.queryset = active_services(user)
        options = list(active_services(user, service_text)[:SERVICE_CHOICES_LIMIT])
        chosen = str(self.data.get("service") or "") if self.is_bound else ""
        if chosen and _is_uuid(chosen) and all(str(s.uuid) != chosen for s in options):
            options += list(active_services(user).filter(uuid=chosen))
        self.service_count = len(options)
        field.choices = [("", field.empty_label)] + [
            (str(s.uuid), field.label_from_instance(s)) for s in options
        ]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class ActionEditForm(forms.Form):
    """What can change on an action once it is in the plan (see ``update_plan_action``)."""

    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    decision = forms.ChoiceField(
        label=_("The survivor's decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(label=_("Action"), widget=_text(3), max_length=2000)
    responsible = forms.CharField(label=_("Responsible person"), max_length=150)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    pros = forms.CharField(
        label=_("Pros discussed with the survivor"), required=False, widget=_text(3)
    )
    cons = forms.CharField(
        label=_("Cons and risks discussed with the survivor"), required=False, widget=_text(3)
    )


# --- Safety plan ---------------------------------------------------------------------
class EmergencyServicesField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        phones = ", ".join(phone.number for phone in obj.phones.all())
        name = f"{obj.name} — {obj.organization.display_name}"
        return f"{name} ({phones})" if phones else name


def emergency_candidates(user: User, chosen: list[int] | None = None) -> QuerySet[Service]:
    """Active services in an emergency sector, plus the ones the plan already names."""
    sector = Q(terms__taxonomy__code="sector", terms__code__in=EMERGENCY_SECTORS)
    ids = list(
        active_services(user)
        .filter(sector)
        .values_list("pk", flat=True)
        .distinct()[:SERVICE_CHOICES_LIMIT]
    )
    ids += chosen or []
    return (
        visible_services(user)
        .filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related("phones")
        .order_by("name_es", "id")
    )


class SafetyPlanForm(forms.Form):
    risks = forms.CharField(
        label=_("Risks"),
        required=False,
        widget=_text(3),
        help_text=_("What could put the person in danger, and when. This is not printed."),
    )
    strategies = forms.CharField(
        label=_("Strategies"),
        required=False,
        widget=_text(4),
        help_text=_("What the person can do before, during and after a dangerous moment."),
    )
    safe_people = forms.CharField(label=_("Safe people"), required=False, widget=_text(3))
    safe_places = forms.CharField(label=_("Safe places"), required=False, widget=_text(3))
    emergency_services = EmergencyServicesField(
        label=_("Emergency services from the directory"),
        queryset=Service.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their names and phones are printed on the plan."),
    )
    other_numbers = forms.CharField(
        label=_("Other emergency numbers"),
        required=False,
        widget=_text(2),
        help_text=_("One per line, e.g. a trusted neighbour or the national emergency number."),
    )
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, chosen: list[int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["emergency_services"].queryset = emergency_candidates(user, chosen)  # type: ignore[attr-defined]


# --- Follow-ups ---------------------------------------------------------------------
class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=FollowUpKind.choices, widget=forms.RadioSelect
    )
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_not_future])
    note = forms.CharField(label=_("Note"), required=False, widget=_text(5))
    next_contact_on = forms.DateField(label=_("Next contact"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


# --- Outcome measures -------------------------------------------------------------------
class MeasureForm(forms.Form):
    administered_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_not_future])

    def __init__(self, *args: Any, scale: Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.fields["administered_on"].initial = timezone.localdate()
        for number, item in enumerate(scale.items, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=item,
                choices=[(str(value), label) for value, label in scale.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def item_fields(self) -> list[Any]:
        return [self[f"item_{n}"] for n in range(1, len(self.scale.items) + 1)]

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{n}"] for n in range(1, len(self.scale.items) + 1)]
