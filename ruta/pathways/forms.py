"""Forms of the referral pathways: filters, metadata, a matrix cell, a row, a status."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.directory.models import Service, TaxonomyTerm
from ruta.lib.geo import country_name, sorted_countries
from ruta.lib.text import fold
from ruta.pathways.models import CellRole, Pathway, PathwayStatus, PathwayTheme
from ruta.places.models import AdminArea


def _language() -> str:
    return (get_language() or "es")[:2]


def _country_choices(codes: set[str]) -> list[tuple[str, str]]:
    return sorted_countries(codes, _language())


class PathwayFilterForm(forms.Form):
    """The list's filters; choices come from the pathways the person can see."""

    theme = forms.ChoiceField(label=_("Theme"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    admin1 = forms.ChoiceField(label=_("Region or province"), required=False)

    def __init__(self, data: Any, pathways: Any) -> None:
        super().__init__(data)
        fields: Any = self.fields
        fields["theme"].choices = [("", _("All themes")), *PathwayTheme.choices]
        used = list(pathways.values_list("country", "admin1__code", "admin1__name_es"))
        fields["country"].choices = [
            ("", _("All countries")),
            *_country_choices({country for country, _code, _name in used}),
        ]
        areas = AdminArea.objects.filter(code__in={code for _c, code, _n in used if code})
        fields["admin1"].choices = [
            ("", _("All regions")),
            *sorted(((a.code, a.name) for a in areas), key=lambda choice: fold(choice[1])),
        ]

    def filter(self, pathways: Any) -> Any:
        if not self.is_valid():
            return pathways
        data = self.cleaned_data
        if data["theme"]:
            pathways = pathways.filter(theme=data["theme"])
        if data["country"]:
            pathways = pathways.filter(country=data["country"])
        if data["admin1"]:
            pathways = pathways.filter(admin1__code=data["admin1"])
        return pathways


class PathwayForm(forms.ModelForm[Pathway]):
    """Title, theme and scope of a pathway (the matrix is edited cell by cell)."""

    country = forms.ChoiceField(label=_("Country"))
    admin1 = forms.ChoiceField(
        label=_("Region or province"),
        required=False,
        help_text=_("Leave empty when the pathway covers the whole country."),
    )

    class Meta:
        model = Pathway
        fields = [
            "title_es",
            "title_en",
            "theme",
            "country",
            "admin1",
            "scope_note",
            "notes_es",
            "notes_en",
            "illustrative",
        ]
        labels = {
            "scope_note": _("Geographic scope"),
            "illustrative": _("Illustrative example (demo data, not a real pathway)"),
        }
        help_texts = {
            "scope_note": _("As people say it, e.g. “Lima Metropolitana and Callao”."),
        }
        widgets = {
            "notes_es": forms.Textarea(attrs={"rows": 4}),
            "notes_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = _language()
        areas = list(
            AdminArea.objects.filter(level=1).only("code", "country", "name_es", "name_en")
        )
        countries = {area.country for area in areas} | {self.instance.country or "PE"}
        fields: Any = self.fields
        fields["country"].choices = _country_choices(countries)
        fields["country"].initial = self.instance.country or "PE"
        grouped: dict[str, list[tuple[str, str]]] = {}
        for area in sorted(areas, key=lambda a: fold(a.name)):
            grouped.setdefault(area.country, []).append((area.code, area.name))
        fields["admin1"].choices = [("", _("Whole country"))] + [
            (country_name(code, language), grouped[code])
            for code, _name in _country_choices(set(grouped))
        ]
        if self.instance.admin1 is not None:
            self.initial["admin1"] = self.instance.admin1.code

    def clean_admin1(self) -> AdminArea | None:
        code = self.cleaned_data.get("admin1")
        if not code:
            return None
        area = AdminArea.objects.filter(code=code, level=1).first()
        if area is None:
            raise forms.ValidationError(_("Choose a region from the list."))
        return area

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area = data.get("admin1")
        if area is not None and data.get("country") and area.country != data["country"]:
            self.add_error("admin1", _("This region is not in the chosen country."))
        return data


class UUIDListField(forms.Field):
    """Repeated ``name=<uuid>`` values (checkboxes), as a list of UUID strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        cleaned: list[str] = []
        for item in value or []:
            try:
                cleaned.append(str(uuid.UUID(str(item))))
            except ValueError:
                raise forms.ValidationError(_("Unknown service.")) from None
        return cleaned


ROLE_CHOICES = [("", _("None")), *((str(value), label) for value, label in CellRole.choices)]


class CellForm(forms.Form):
    """One matrix cell: organization by population profile → role and services."""

    organization = forms.UUIDField()
    profile = forms.SlugField(max_length=60)
    role = forms.TypedChoiceField(
        label=_("Role in the pathway"),
        choices=ROLE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    # Any existing services; the action checks that they belong to the organization.
    services = UUIDListField(required=False)

    def clean_organization(self) -> Organization:
        organization = Organization.objects.filter(
            uuid=self.cleaned_data["organization"], active=True
        ).first()
        if organization is None:
            raise forms.ValidationError(_("Unknown organization."))
        return organization

    def clean_profile(self) -> TaxonomyTerm:
        profile = (
            TaxonomyTerm.objects.select_related("taxonomy")
            .filter(code=self.cleaned_data["profile"], taxonomy__code="population")
            .first()
        )
        if profile is None:
            raise forms.ValidationError(_("Unknown population profile."))
        return profile

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        uuids = data.get("services") or []
        services = list(Service.objects.filter(uuid__in=uuids))
        if len(services) != len(set(uuids)):
            self.add_error("services", _("Unknown service."))
        data["service_objects"] = services
        return data

    def field_value(self, name: str) -> Any:
        """What was typed, for re-rendering the cell after an error."""
        if name == "services":
            data: Any = self.data
            return [str(value) for value in data.getlist("services")]
        return self.data.get(name, "")

    def first_error(self) -> str:
        for errors in self.errors.values():
            for error in errors:
                return str(error)
        return ""


class AddRowForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        to_field_name="uuid",
        empty_label=_("Choose an organization"),
        error_messages={"invalid_choice": _("Choose an organization from the list.")},
    )

    def __init__(self, *args: Any, pathway: Pathway, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        field.queryset = (
            Organization.objects.filter(active=True)
            .exclude(pk__in=pathway.organizations.values("pk"))
            .order_by("name")
        )


class RemoveRowForm(forms.Form):
    organization = forms.UUIDField()


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=PathwayStatus.choices)
