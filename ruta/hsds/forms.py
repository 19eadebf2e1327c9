"""The coordinator's upload form for HSDS imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 50


class ImportForm(forms.Form):
    DRY_RUN = "dry_run"
    IMPORT = "import"

    file = forms.FileField(
        label=_("HSDS file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".json,.zip,application/json,application/zip"}
        ),
    )
    mode = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            (DRY_RUN, _("Check only (dry run): nothing is written")),
            (IMPORT, _("Check and import if there is no error")),
        ],
        initial=DRY_RUN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A JSON file of HSDS 3.0 services, or a zip of HSDS CSV files (the tabular "
            "format), at most %(size)s MB."
        ) % {"size": MAX_UPLOAD_MB}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".json", ".zip")):
            raise forms.ValidationError(_("Choose a .json or .zip file."))
        if (upload.size or 0) > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                gettext("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload

    @property
    def dry_run(self) -> bool:
        mode: Any = self.cleaned_data.get("mode")
        return bool(mode != self.IMPORT)
