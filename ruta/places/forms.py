"""The coordinator's upload form for gazetteer CSV files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ruta.places.boundaries import MAX_FILE_MB

MAX_UPLOAD_MB = 2


class GazetteerForm(forms.Form):
    file = forms.FileField(
        label=_("Gazetteer file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A CSV file (UTF-8, comma or semicolon separated) of at most %(size)s MB."
        ) % {"size": MAX_UPLOAD_MB}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a .csv file."))
        if (upload.size or 0) > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                gettext("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload


class BoundaryForm(forms.Form):
    """A GeoJSON FeatureCollection of outlines, the property that holds each area's code,
    and whether to check it only."""

    file = forms.FileField(
        label=_("GeoJSON file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    code_property = forms.CharField(
        label=_("Property with the area's code (optional)"),
        required=False,
        max_length=60,
        help_text=_(
            "Such as ADM1_PCODE or iso_3166_2. Empty: code, iso_3166_2, pcode, ADM1_PCODE or "
            "ADM2_PCODE, the first a feature has."
        ),
    )
    check_only = forms.BooleanField(
        label=_("Only check the file, write nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_mb = MAX_FILE_MB
        self.fields["file"].help_text = gettext(
            "A GeoJSON file of Polygon or MultiPolygon features, of at most %(size)s MB."
        ) % {"size": MAX_FILE_MB}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".geojson", ".json")):
            raise forms.ValidationError(_("Choose a .geojson or .json file."))
        if (upload.size or 0) > self.max_mb * 1024 * 1024:
            raise forms.ValidationError(
                gettext("The file is larger than %(size)s MB.") % {"size": self.max_mb}
            )
        return upload
