"""Forms of the 5W submission: submit or correct a month, import a spreadsheet."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.measure.submissions import REASON_MAX


class SubmitForm(forms.Form):
    """Submitting a month; a correction (``correction=True``) needs its reason."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed and why. Kept with the new version."),
    )

    def __init__(self, *args: object, correction: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason"].required = correction
        if not correction:
            del self.fields["reason"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("5W spreadsheet (CSV or XLSX)"),
        help_text=_("The columns of the 5W download, with the HXL hashtags on the second line."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when a month of the file is already submitted."),
    )
