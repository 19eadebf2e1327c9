"""The stabilisation forms. A stabilisation contact uses the helpline's own ``ContactForm``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.stabilisation.models import CheckOutcome, Need, PaymentStatus


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
    checked_on = forms.DateField(
        label=_("Date of the check"), widget=forms.DateInput(attrs={"type": "date"})
    )
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
    paid_on = forms.DateField(
        label=_("Paid on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == PaymentStatus.PAID and not data.get("paid_on"):
            self.add_error("paid_on", _("Give the date the payment was made."))
        return data
