"""The desk's forms: short, keyboard-first, every profile field optional."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.cases.models import Assent, CaseType, ConsentGiver, Sex
from ruta.directory.models import Service
from ruta.helpline.actions import HANDOFF_FIELDS
from ruta.helpline.models import (
    AGE_BAND_CHOICES,
    POPULATION_CHOICES,
    UNDISCLOSED,
    Channel,
    ContactLanguage,
    Disability,
    HandoffKind,
    Reason,
    RiskQuestion,
)
from ruta.lib.geo import country_choices
from ruta.lib.text import fold
from ruta.places.models import AdminArea
from ruta.referrals.models import ShareField, Urgency

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
NOT_ASKED = ("", _("Not asked"))
PREFERS_NOT = (UNDISCLOSED, _("Prefers not to say"))
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _datetime_field(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _language() -> str:
    return (get_language() or "es")[:2]


def region_choices(organization: Any) -> list[tuple[str, Any]]:
    areas = AdminArea.objects.filter(level=1)
    countries = list(getattr(organization, "countries", []) or [])
    if countries:
        areas = areas.filter(country__in=countries)
    listed = list(areas.only("code", "country", "name_es", "name_en"))
    several = len({area.country for area in listed}) > 1
    options: list[tuple[str, Any]] = [
        (a.code, f"{a.name} ({a.country})" if several else a.name) for a in listed
    ]
    return [NOT_ASKED, PREFERS_NOT, *sorted(options, key=lambda item: fold(str(item[1])))]


def district_choices(admin1: str) -> list[tuple[str, Any]]:
    districts = AdminArea.objects.filter(level=2, parent__code=admin1) if admin1 else []
    options = [(a.code, a.name) for a in districts]
    return [NOT_ASKED, PREFERS_NOT, *sorted(options, key=lambda item: fold(str(item[1])))]


class ReasonChoiceField(forms.ModelMultipleChoiceField[Reason]):
    def label_from_instance(self, obj: Reason) -> str:
        return obj.name


class ServiceChoiceField(forms.ModelMultipleChoiceField[Service]):
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.name} · {obj.organization.display_name}"


class PersonChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class ContactForm(forms.Form):
    """A contact in a few keystrokes: everything has a default or may stay empty."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    started_at = _datetime_field(_("Started at"))
    ended_at = _datetime_field(_("Ended at"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=ContactLanguage.choices, initial=ContactLanguage.SPANISH
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    age_band = forms.ChoiceField(label=_("Age band"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    population_type = forms.ChoiceField(label=_("Population type"), required=False)
    disability = forms.ChoiceField(label=_("Person with disability"), required=False)
    admin1 = forms.ChoiceField(label=_("Region"), required=False)
    admin2 = forms.ChoiceField(label=_("District"), required=False)
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=40,
        help_text=_(
            "Only to recognise a repeat caller: Ruta keeps a keyed fingerprint of the "
            "number, never the number."
        ),
    )
    is_repeat = forms.BooleanField(
        label=_("The caller says they contacted us before"), required=False
    )
    reasons = ReasonChoiceField(
        label=_("Reasons for the contact"),
        queryset=Reason.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    what_was_done = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    operator = PersonChoiceField(
        label=_("Taken by"),
        queryset=None,
        required=False,
        empty_label=_("Me"),
        help_text=_(
            "Record a contact a colleague took: it is theirs, and the audit records that you "
            "wrote it."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organization: Any,
        admin1: str = "",
        operators: QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if operators is None:  # only when a contact is recorded, never when it is edited
            del fields["operator"]
        else:
            fields["operator"].queryset = operators
        fields["sex"].choices = [NOT_ASKED, *Sex.choices]
        fields["age_band"].choices = [NOT_ASKED, *AGE_BAND_CHOICES]
        fields["nationality"].choices = [NOT_ASKED, PREFERS_NOT, *country_choices(_language())]
        fields["population_type"].choices = [NOT_ASKED, *POPULATION_CHOICES]
        fields["disability"].choices = [NOT_ASKED, *Disability.choices]
        fields["admin1"].choices = region_choices(organization)
        fields["admin2"].choices = district_choices(admin1)
        if len(fields["admin2"].choices) <= 2:  # no districts known for the region
            del fields["admin2"]
        fields["reasons"].queryset = Reason.objects.filter(active=True)
        fields["phone"].widget.input_type = "tel"
        fields["phone"].widget.attrs["autocomplete"] = "off"
        fields["channel"].widget.attrs["autofocus"] = True
        if not self.is_bound and "started_at" not in self.initial:
            self.initial["started_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_at"), data.get("ended_at")
        if started and ended and ended < started:
            self.add_error("ended_at", _("The end cannot be before the start."))
        return data

    def contact_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "channel",
            "started_at",
            "ended_at",
            "language",
            "sex",
            "age_band",
            "nationality",
            "population_type",
            "disability",
            "admin1",
            "admin2",
            "is_repeat",
            "what_was_done",
        )
        return {name: data[name] for name in names if name in data}


class FirstAidForm(forms.Form):
    """Psychological first aid: look, listen, link."""

    distress_before = forms.TypedChoiceField(
        label=_("Distress at the start (0-10)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[NOT_ASKED, *[(str(n), str(n)) for n in range(11)]],
        help_text=_("0 is no distress, 10 the worst the caller can imagine."),
    )
    needs = forms.CharField(
        label=_("Look: needs identified"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    information_given = forms.CharField(
        label=_("Listen: information given"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    services = ServiceChoiceField(
        label=_("Link: services suggested"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow_up = forms.CharField(
        label=_("Follow-up agreed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    distress_after = forms.TypedChoiceField(
        label=_("Distress at the end (0-10)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[NOT_ASKED, *[(str(n), str(n)) for n in range(11)]],
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["services"].queryset = services


class RiskForm(forms.Form):
    """The screening: one yes/no per active question, and the action taken after a yes."""

    action_taken = forms.CharField(
        label=_("Action taken"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required after any yes: what you did, following the protocol."),
    )

    def __init__(self, *args: Any, questions: list[RiskQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.text, choices=YES_NO, widget=forms.RadioSelect
            )
        self.order_fields([*(f"q_{q.code}" for q in questions), "action_taken"])

    def question_fields(self) -> list[Any]:
        return [self[f"q_{q.code}"] for q in self.questions]

    def yes(self) -> list[RiskQuestion]:
        return [q for q in self.questions if self.cleaned_data.get(f"q_{q.code}") == "yes"]


class CallbackForm(forms.Form):
    due_at = _datetime_field(_("Call back at"))
    assigned_to = PersonChoiceField(
        label=_("Who calls back"),
        queryset=None,
        required=False,
        empty_label=_("The desk's queue (whoever is on shift)"),
    )
    phone = forms.CharField(label=_("Number to call"), max_length=40)
    name = forms.CharField(
        label=_("Name the caller gave (optional)"), required=False, max_length=100
    )
    safe_instructions = forms.CharField(
        label=_("Safe-to-call instructions"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: only after 18:00; if a man answers, hang up."),
    )

    def __init__(self, *args: Any, operators: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assigned_to"].queryset = operators
        fields["phone"].widget.input_type = "tel"
        fields["phone"].widget.attrs["autocomplete"] = "off"
        fields["name"].widget.attrs["autocomplete"] = "off"


def handoff_field_choices() -> list[tuple[str, Any]]:
    return [(str(f), ShareField(f).label) for f in HANDOFF_FIELDS]


class HandoffForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to do"),
        choices=HandoffKind.choices,
        initial=HandoffKind.REFERRAL,
        widget=forms.RadioSelect,
    )
    organization = forms.ModelChoiceField(
        label=_("Organization to refer to"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Its intake receives the referral. Not needed for a case in our agency."),
    )
    consent = forms.BooleanField(
        label=_(
            "The caller agreed, in this contact, to share the information ticked below with "
            "the organization named above for this referral."
        ),
        required=False,
    )
    given_by = forms.ChoiceField(
        label=_("Who consented"),
        choices=ConsentGiver.choices,
        initial=ConsentGiver.SELF,
        widget=forms.RadioSelect,
        help_text=_(
            "For a child under 15, a parent or caregiver consents; from 6 to 14, ask for the "
            "child's assent too."
        ),
    )
    child_assent = forms.ChoiceField(
        label=_("The child's assent"),
        choices=[
            ("", _("Not asked (adult, or a child under 6)")),
            (Assent.GIVEN, Assent.GIVEN.label),
            (Assent.REFUSED, Assent.REFUSED.label),
        ],
        required=False,
    )
    share = forms.MultipleChoiceField(
        label=_("Information to share (the minimum needed)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(
        label=_("Name the caller gave for this referral"), required=False, max_length=100
    )
    phone = forms.CharField(
        label=_("Number the caller gave for this referral"), required=False, max_length=40
    )
    case_type = forms.ChoiceField(label=_("Type of support"), choices=CaseType.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    reason = forms.CharField(
        label=_("Reason for the referral"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, own_organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organization"].queryset = Organization.objects.exclude(
            pk=own_organization_id
        ).order_by("name")
        fields["share"].choices = handoff_field_choices()
        fields["phone"].widget.input_type = "tel"
        fields["phone"].widget.attrs["autocomplete"] = "off"
        fields["name"].widget.attrs["autocomplete"] = "off"


class HandoverForm(forms.Form):
    on_behalf_of = PersonChoiceField(
        label=_("Whose shift ends"),
        queryset=None,
        required=False,
        empty_label=_("My own shift"),
        help_text=_(
            "Leave a colleague's handover when they could not: it is theirs, and the audit "
            "records that you wrote it."
        ),
    )
    notes = forms.CharField(
        label=_("Notes for the next shift"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the next operator needs to know. No caller's name or number."),
    )

    def __init__(self, *args: Any, operators: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["on_behalf_of"].queryset = operators
