from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.statistics.models import Audience, SharingProtocol
from ruta.statistics.tables import Period, parse_period
from ruta.ui.forms import DateInput


class SharingProtocolForm(forms.ModelForm[SharingProtocol]):
    class Meta:
        model = SharingProtocol
        fields = [
            "share_with_analysts",
            "share_with_coordinator",
            "share_with_public",
            "effective_from",
            "threshold",
        ]
        widgets = {"effective_from": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("share_with_analysts", "share_with_coordinator", "share_with_public"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(
            data.get(name)
            for name in ("share_with_analysts", "share_with_coordinator", "share_with_public")
        ):
            raise forms.ValidationError(_("Choose at least one audience to share with."))
        return data


class PeriodField(forms.CharField):
    def clean(self, value: Any) -> Period:
        text = super().clean(value)
        period = parse_period(text)
        if period is None:
            raise forms.ValidationError(
                _("Enter a month as YYYY-MM or a quarter as YYYY-Qn, e.g. 2026-Q3.")
            )
        return period


class PeriodForm(forms.Form):
    period = PeriodField(
        label=_("Month or quarter"),
        max_length=7,
        help_text=_("YYYY-MM or YYYY-Qn, e.g. 2026-Q3."),
    )


class PublishForm(PeriodForm):
    audience = forms.ChoiceField(label=_("Publish for"), choices=Audience.choices)
