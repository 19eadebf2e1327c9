from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.lib.geo import country_choices
from ruta.ui.forms import FilterableCheckboxes


class OrganizationForm(forms.ModelForm[Organization]):
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, widget=FilterableCheckboxes
    )

    class Meta:
        model = Organization
        fields = ["name", "acronym", "type", "countries", "website", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = self.fields["countries"]
        assert isinstance(countries, forms.ChoiceField)
        countries.choices = country_choices(get_language() or "es")


class RetentionForm(forms.ModelForm[Organization]):
    """The years the organization keeps its closed cases before they are anonymised."""

    class Meta:
        model = Organization
        fields = ["case_retention_years"]
        widgets = {
            "case_retention_years": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})
        }
