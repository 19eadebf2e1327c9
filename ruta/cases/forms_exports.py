"""Forms of the case exports: the supervisor's case list and the survivor's record."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CaseListExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX (Excel)")],
        initial="csv",
    )


class RecordExportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the record"),
        help_text=_("The language the survivor reads best."),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_(
            "The survivor asked for their record and I will give them the password in person "
            "or by another channel than the file."
        ),
    )
