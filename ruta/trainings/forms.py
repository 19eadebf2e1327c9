"""Forms for the coordinators' training pages and the public verification page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.lib.geo import country_choices
from ruta.network.models import Modality, Network, PersonSex
from ruta.trainings.models import Course, Module, normalise_code
from ruta.ui.forms import DateInput, DateTimeInput, FilterableCheckboxes

MAX_IMPORT_MB = 5


def _countries(blank_label: Any) -> list[tuple[str, Any]]:
    return [("", blank_label), *country_choices((get_language() or "es")[:2])]


class CourseForm(forms.ModelForm[Course]):
    organizers = forms.ModelMultipleChoiceField(
        label=_("Organizing organizations"),
        queryset=Organization.objects.filter(active=True).order_by("name"),
        required=False,
        widget=FilterableCheckboxes,
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.order_by("name"),
        required=False,
        empty_label=_("No network"),
        help_text=_("The course counts in this network's report."),
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "description",
            "network",
            "organizers",
            "country",
            "modality",
            "starts_on",
            "ends_on",
            "min_modules",
            "min_attendance_pct",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"),
            choices=_countries(_("Regional (several countries)")),
            required=False,
        )
        self.fields["min_attendance_pct"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["min_modules"].widget.attrs.update({"min": 0})


class ModuleLineForm(forms.Form):
    uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Module title"), max_length=300, required=False)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=1, min_value=Decimal(0), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("hours") is not None and not data.get("title"):
            self.add_error("title", gettext("Give the module a title, or clear its hours."))
        return data


ModuleFormSet = forms.formset_factory(ModuleLineForm, extra=2, max_num=30, absolute_max=30)


def module_initial(course: Course | None) -> list[dict[str, Any]]:
    if course is None or course.pk is None:
        return []
    return [
        {"uuid": m.uuid, "title": m.title, "hours": m.hours}
        for m in course.modules.order_by("order", "pk")
    ]


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    modality = forms.ChoiceField(label=_("Modality"), choices=Modality.choices)
    place = forms.CharField(
        label=_("Place or link"), max_length=300, required=False, help_text=_("Optional.")
    )
    module = forms.ModelChoiceField(
        label=_("Module"), queryset=Module.objects.none(), required=False, empty_label=_("—")
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = course.modules.order_by("order", "pk")  # type: ignore[attr-defined]
        self.fields["modality"].initial = course.modality

    def clean_starts_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["starts_at"]
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Someone already on Ruta with this address is reused.")
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label=_("Not on Ruta / not stated"),
    )
    organization_name = forms.CharField(
        label=_("Organization (if not on Ruta)"), max_length=200, required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=PersonSex.choices, initial=PersonSex.UNDISCLOSED
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country: Any = self.fields["country"]
        country.choices = _countries(_("Not stated"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of people (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "Columns: name, email, organization, sex, country (Spanish headers such as "
            "nombre, correo, organización, sexo, país also work). At most %(size)s MB."
        ) % {"size": MAX_IMPORT_MB}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if (upload.size or 0) > MAX_IMPORT_MB * 1024 * 1024:
            raise forms.ValidationError(
                gettext("The file is larger than %(size)s MB.") % {"size": MAX_IMPORT_MB}
            )
        return upload


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type the code printed on the certificate."))
        return code
