"""Forms of the community of practice: networks, memberships, meetings, registration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.lib.geo import country_choices
from ruta.network.files import MAX_MATERIAL_BYTES
from ruta.network.models import (
    IASCLayer,
    Meeting,
    MeetingFollowUp,
    Membership,
    Network,
    Person,
    PersonSex,
)
from ruta.ui.forms import DateInput, DateTimeInput, FilterableCheckboxes


def _countries(blank_label: Any) -> list[tuple[str, Any]]:
    return [("", blank_label), *country_choices((get_language() or "es")[:2])]


# First path segments under /red/ that are not networks.
RESERVED_SLUGS = {"nueva", "reuniones", "materiales", "seguimiento", "miembros"}


class NetworkForm(forms.ModelForm[Network]):
    country = forms.ChoiceField(label=_("Country"), required=False)

    class Meta:
        model = Network
        fields = ["name", "slug", "country", "description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["country"].choices = _countries(_("Regional (several countries)"))

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"]).lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved; choose another."))
        return slug


class MembershipForm(forms.ModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ["organization", "joined_on", "left_on", "focal_users", "focal_people", "notes"]
        widgets = {
            "joined_on": DateInput(),
            "left_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "focal_users": FilterableCheckboxes(),
            "focal_people": FilterableCheckboxes(),
        }
        help_texts = {
            "focal_users": _("People of the member organization who act as its focal points."),
            "left_on": _("Leave empty while the organization is a member."),
            "focal_people": _(
                "Focal points without a Ruta account, among the organization's people."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organization"].queryset = Organization.objects.filter(active=True)
        users = User.objects.filter(is_active=True).select_related("organization")
        if self.instance.pk:
            self.fields["organization"].disabled = True
            users = users.filter(organization_id=self.instance.organization_id)
        fields["focal_users"].queryset = users
        people = Person.objects.none()
        if self.instance.pk:
            people = Person.objects.filter(organization_id=self.instance.organization_id)
        fields["focal_people"].queryset = people
        fields["focal_users"].label_from_instance = lambda u: (
            f"{u.full_name or u.email} ({u.organization})"
        )
        self.fields["joined_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("The leaving date is before the joining date."))
        return data


class FocalPointsForm(forms.Form):
    focal_users = forms.ModelMultipleChoiceField(
        label=_("Focal points"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["focal_users"]
        field.queryset = User.objects.filter(organization=organization, is_active=True)
        field.label_from_instance = lambda u: u.full_name or u.email


ENGLISH_HELP = _(
    "Optional. English pages show it; while it is empty they show the Spanish text, "
    "marked “Not translated yet”."
)


def _topic_lines(text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line[:200] for line in lines if line]


class MeetingForm(forms.ModelForm[Meeting]):
    """A meeting; its title, topics, agenda and learnings in Spanish, and in English if
    the organizer has them (English pages and reports fall back to the Spanish)."""

    topics_text = forms.CharField(
        label=_("Topics (Spanish)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One topic per line."),
    )
    topics_en_text = forms.CharField(
        label=_("Topics (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One topic per line. Optional, like every English version."),
    )
    iasc_layers = forms.MultipleChoiceField(
        label=_("IASC layers"),
        choices=IASCLayer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "title_en",
            "kind",
            "starts_at",
            "ends_at",
            "modality",
            "place",
            "online_url",
            "host_organizations",
            "presenting_organizations",
            "iasc_layers",
            "agenda",
            "agenda_en",
            "learnings",
            "learnings_en",
            "public",
            "registration_open",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "agenda_en": forms.Textarea(attrs={"rows": 6}),
            "learnings": forms.Textarea(attrs={"rows": 6}),
            "learnings_en": forms.Textarea(attrs={"rows": 6}),
            "host_organizations": FilterableCheckboxes(),
            "presenting_organizations": FilterableCheckboxes(),
        }
        help_texts = {
            "title_en": ENGLISH_HELP,
            "agenda_en": ENGLISH_HELP,
            "learnings_en": ENGLISH_HELP,
        }

    field_order = [
        "title",
        "title_en",
        "kind",
        "starts_at",
        "ends_at",
        "modality",
        "place",
        "online_url",
        "host_organizations",
        "presenting_organizations",
        "topics_text",
        "topics_en_text",
        "iasc_layers",
        "agenda",
        "agenda_en",
        "learnings",
        "learnings_en",
        "public",
        "registration_open",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        organizations = Organization.objects.filter(active=True)
        fields["host_organizations"].queryset = organizations
        fields["presenting_organizations"].queryset = organizations
        if self.instance.pk:
            self.fields["topics_text"].initial = "\n".join(self.instance.topics)
            self.fields["topics_en_text"].initial = "\n".join(self.instance.topics_en)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting ends before it starts."))
        return data

    def clean_topics_text(self) -> list[str]:
        return _topic_lines(self.cleaned_data["topics_text"])

    def clean_topics_en_text(self) -> list[str]:
        return _topic_lines(self.cleaned_data["topics_en_text"])

    def save(self, commit: bool = True) -> Meeting:
        meeting = super().save(commit=False)
        meeting.topics = self.cleaned_data["topics_text"]
        meeting.topics_en = self.cleaned_data["topics_en_text"]
        meeting.iasc_layers = list(self.cleaned_data["iasc_layers"])
        return meeting


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PPTX, DOCX, XLSX, PNG or JPG; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_MATERIAL_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class FollowUpForm(forms.ModelForm[MeetingFollowUp]):
    class Meta:
        model = MeetingFollowUp
        fields = ["description", "owner_organization", "owner_person", "due_on", "done"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner_organization"].queryset = Organization.objects.filter(active=True)
        fields["owner_person"].queryset = Person.objects.filter(
            registrations__meeting=meeting
        ).distinct()


class PersonFields(forms.Form):
    """What we ask of a participant: name, e-mail, organization, sex, country. No more."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    organization_name = forms.CharField(label=_("Organization"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=PersonSex.choices, widget=forms.RadioSelect)
    country = forms.ChoiceField(label=_("Country where you work"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["country"].choices = _countries(_("Choose a country"))

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class PublicRegistrationForm(PersonFields):
    consent = forms.BooleanField(
        label=_(
            "I agree that the network uses my name, e-mail, organization, sex and country to "
            "manage this meeting and to count participation in its reports."
        ),
        error_messages={
            "required": _("We need your consent to the use of your data to register you.")
        },
    )


class WalkInForm(PersonFields):
    email = forms.EmailField(label=_("E-mail"), required=False)
    organization_name = forms.CharField(label=_("Organization"), max_length=200, required=False)


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance report (CSV)"),
        help_text=_(
            "The participants' report of Zoom, Google Meet or Teams: columns such as name, "
            "e-mail, organization and join time."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return data
