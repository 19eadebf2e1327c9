"""Forms for activities: short, phone-sized, keeping what was typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.activities.models import (
    IASC_LAYERS,
    Activity,
    ActivityType,
    PopulationType,
    SessionModality,
    SexAge,
)
from ruta.places.models import AdminArea
from ruta.ui.forms import DateInput

if TYPE_CHECKING:
    from ruta.accounts.models import User


class ActivityForm(forms.ModelForm):  # type: ignore[type-arg]
    layers = forms.TypedMultipleChoiceField(
        label=_("IASC layers"),
        choices=IASC_LAYERS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "activity_type",
            "layers",
            "sector",
            "admin1",
            "admin2",
            "service",
            "facilitators",
            "external_facilitators",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ruta.accounts.models import User as UserModel
        from ruta.directory.models import Service

        fields: Any = self.fields
        fields["activity_type"].queryset = ActivityType.objects.filter(active=True)
        fields["admin1"].queryset = AdminArea.objects.filter(level=1)
        fields["admin2"].queryset = AdminArea.objects.filter(level=2)
        fields["service"].queryset = Service.objects.filter(organization=user.organization_id)
        fields["facilitators"].queryset = UserModel.objects.filter(
            organization=user.organization_id, is_active=True
        ).order_by("full_name", "email")
        fields["facilitators"].widget = forms.CheckboxSelectMultiple()
        fields["facilitators"].widget.choices = fields["facilitators"].choices
        if self.instance.pk:
            self.initial["layers"] = self.instance.layers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        admin1, admin2 = data.get("admin1"), data.get("admin2")
        if admin2 is not None and admin1 is not None and admin2.parent_id != admin1.pk:
            self.add_error("admin2", _("This district is not in the chosen region."))
        if admin2 is not None and admin1 is None:
            data["admin1"] = admin2.parent
        return data


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    modality = forms.ChoiceField(
        label=_("Modality"), choices=SessionModality.choices, initial=SessionModality.IN_PERSON
    )


class CountsForm(forms.Form):
    """One session's anonymous counts for one population type: one short form."""

    population_type = forms.ChoiceField(label=_("Population type"), choices=PopulationType.choices)
    girls = forms.IntegerField(label=_("Girls"), min_value=0, max_value=100000, initial=0)
    boys = forms.IntegerField(label=_("Boys"), min_value=0, max_value=100000, initial=0)
    women = forms.IntegerField(label=_("Women"), min_value=0, max_value=100000, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, max_value=100000, initial=0)
    other = forms.IntegerField(
        label=_("Other or not stated"), min_value=0, max_value=100000, initial=0
    )
    lgbtiq = forms.IntegerField(label=_("Of whom LGBTIQ+"), min_value=0, initial=0)
    disability = forms.IntegerField(label=_("Of whom with a disability"), min_value=0, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("girls", "boys", "women", "men", "other", "lgbtiq", "disability"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total = sum(data.get(name) or 0 for name in ("girls", "boys", "women", "men", "other"))
        for name in ("lgbtiq", "disability"):
            if (data.get(name) or 0) > total:
                self.add_error(
                    name, _("This cannot be more than the total (%(total)s).") % {"total": total}
                )
        if total == 0 and not self.errors:
            raise forms.ValidationError(_("Enter at least one participant."))
        return data


class AttendanceForm(forms.Form):
    code = forms.CharField(
        label=_("Participant code"),
        max_length=100,
        help_text=_("The code your agency uses (card number, a code the person chooses)."),
    )
    sex_age = forms.ChoiceField(label=_("Sex and age group"), choices=SexAge.choices)
    population_type = forms.ChoiceField(label=_("Population type"), choices=PopulationType.choices)
    lgbtiq = forms.BooleanField(label=_("LGBTIQ+"), required=False)
    disability = forms.BooleanField(label=_("With a disability"), required=False)
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Not needed. When given, it is stored encrypted."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance sheet (CSV or XLSX)"),
        help_text=_(
            "Columns: code, date, sex_age, population_type; optional lgbtiq, disability, name."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
