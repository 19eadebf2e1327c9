"""The stabilisation forms. A stabilisation contact uses the helpline's own ``ContactForm``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.practices.models import Practice
from ruta.stabilisation.models import CheckOutcome, Need, PaymentStatus, Programme
from ruta.ui.forms import DateInput


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class ProgrammeForm(forms.ModelForm[Programme]):
    """A programme's data: targets and budget as numbers, territory as lists."""

    cities_text = forms.CharField(
        label=_("Cities"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas."),
    )
    admin1_text = forms.CharField(
        label=_("Regions (codes)"),
        required=False,
        max_length=500,
        help_text=_("ISO 3166-2 or P-codes, separated by commas."),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "donor",
            "delay_days",
            "target_people",
            "budget",
            "currency",
            "starts_on",
            "ends_on",
            "active",
            "practice",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(
        self, *args: Any, practices: QuerySet[Practice] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["donor"].queryset = Organization.objects.filter(active=True).order_by("name")
        # The good practices the supervisor may see; the one already linked stays choosable.
        offered = Q(pk__in=(practices if practices is not None else Practice.objects.none()))
        if self.instance.practice_id:
            offered |= Q(pk=self.instance.practice_id)
        fields["practice"].queryset = Practice.objects.filter(offered).order_by("code")
        fields["practice"].label_from_instance = lambda p: f"{p.code} · {p.title}"
        if self.instance.pk:
            self.initial["cities_text"] = ", ".join(self.instance.cities)
            self.initial["admin1_text"] = ", ".join(self.instance.admin1_codes)

    def clean_currency(self) -> str:
        currency = str(self.cleaned_data.get("currency", "")).strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use the three-letter currency code (e.g. USD)."))
        return currency

    def clean_admin1_text(self) -> list[str]:
        codes = _split(self.cleaned_data.get("admin1_text", ""))
        if any(len(code) > 20 for code in codes):
            raise forms.ValidationError(_("A region code is longer than 20 characters."))
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data

    def save(self, commit: bool = True) -> Programme:
        programme = super().save(commit=False)
        programme.cities = _split(self.cleaned_data.get("cities_text", ""))
        programme.admin1_codes = self.cleaned_data.get("admin1_text", [])
        if commit:
            programme.save()
        return programme


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Payment sheet (CSV or XLSX)"),
        help_text=_(
            "Columns: id, expected; optional paid, amount, status, sex, age band, "
            "population type, disability, admin1, admin2, name, phone."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class NeedsCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Date of the check"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CheckOutcome.choices, widget=forms.RadioSelect
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs identified"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PaymentForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (PaymentStatus.PAID, PaymentStatus.PAID.label),
            (PaymentStatus.CANCELLED, PaymentStatus.CANCELLED.label),
        ],
        widget=forms.RadioSelect,
    )
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DateInput())
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == PaymentStatus.PAID and not data.get("paid_on"):
            self.add_error("paid_on", _("Give the date the payment was made."))
        return data
