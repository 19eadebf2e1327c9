"""Forms of the staff directory editor: services (with phones, hours, closures and
places), locations, taxonomy terms and the list's filters.

Choices are scoped by ``access``: an agency admin only ever sees their own organization
and its locations; values outside the scope are refused as invalid choices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pycountry
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.directory.access import editable_locations, editable_organizations
from ruta.directory.models import (
    Closure,
    EverydayWord,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceStatus,
    TaxonomyTerm,
    Weekday,
)
from ruta.lib.geo import country_choices, country_name, sorted_countries
from ruta.lib.permissions import Cap, user_can
from ruta.lib.text import fold, fold_words
from ruta.places.models import AdminArea
from ruta.ui.forms import DateInput

if TYPE_CHECKING:
    from ruta.accounts.models import User

# Time zones of the countries where Ruta's networks work (and their neighbours).
LATAM_TIME_ZONES: tuple[str, ...] = (
    "America/Argentina/Buenos_Aires",
    "America/Asuncion",
    "America/Bogota",
    "America/Cancun",
    "America/Caracas",
    "America/Costa_Rica",
    "America/El_Salvador",
    "America/Guatemala",
    "America/Guayaquil",
    "America/Havana",
    "America/La_Paz",
    "America/Lima",
    "America/Managua",
    "America/Manaus",
    "America/Mexico_City",
    "America/Monterrey",
    "America/Montevideo",
    "America/Panama",
    "America/Port-au-Prince",
    "America/Santiago",
    "America/Santo_Domingo",
    "America/Sao_Paulo",
    "America/Tegucigalpa",
    "America/Tijuana",
)

TERM_GROUPS: tuple[tuple[str, str], ...] = (
    ("sectors", "sector"),
    ("profiles", "population"),
    ("layers", "iasc_layer"),
)

_LANGUAGE_SPLIT = re.compile(r"[\s,;]+")


def _language() -> str:
    return (get_language() or "es")[:2]


def time_zone_choices(current: str = "") -> list[tuple[str, str]]:
    zones = set(LATAM_TIME_ZONES) | {settings.TIME_ZONE}
    if current:
        zones.add(current)

    def label(zone: str) -> str:
        return f"{zone.rsplit('/', 1)[-1].replace('_', ' ')} ({zone})"

    return sorted(((zone, label(zone)) for zone in zones), key=lambda choice: choice[1])


def parse_language_codes(value: str) -> tuple[list[str], list[str]]:
    """'es, EN qu' -> (['es', 'en', 'qu'], []); unknown ISO 639-1 codes come back second."""
    codes: list[str] = []
    unknown: list[str] = []
    for raw in _LANGUAGE_SPLIT.split(value or ""):
        code = raw.strip().lower()
        if not code or code in codes or code in unknown:
            continue
        try:
            known = len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None
        except (KeyError, LookupError):
            known = False
        (codes if known else unknown).append(code)
    return codes, unknown


class LanguageCodesField(forms.CharField):
    """Comma-separated ISO 639-1 codes, stored as a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(code) for code in value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        codes, unknown = parse_language_codes(text)
        if unknown:
            raise forms.ValidationError(
                _(
                    "Unknown language codes: %(codes)s. Use two-letter ISO 639-1 codes, e.g. es, en, qu."
                ),
                code="unknown_language",
                params={"codes": ", ".join(unknown)},
            )
        return codes


class OrganizationChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class TermChoiceField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LocationChoiceField(forms.ModelMultipleChoiceField[Any]):
    def __init__(self, *args: Any, show_organization: bool = False, **kwargs: Any) -> None:
        self.show_organization = show_organization
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        place = ", ".join(
            part for part in (obj.city, obj.admin1.name if obj.admin1 else "") if part
        )
        label = f"{obj.name} — {place}" if place else obj.name
        if self.show_organization:
            label = f"{label} ({obj.organization})"
        return label


class ServiceAreaField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# Countries offered for service areas when the organizations name none.
DEFAULT_AREA_COUNTRIES: tuple[str, ...] = ("PE", "EC")


class ServiceFilterForm(forms.Form):
    """The staff list's filters (GET). Invalid values are reported and ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organization = OrganizationChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("All organizations"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    stale = forms.BooleanField(label=_("Only entries that need verification"), required=False)

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        fields: Any = self.fields
        fields["organization"].queryset = Organization.objects.filter(active=True).order_by("name")
        fields["status"].choices = [("", _("Any status")), *ServiceStatus.choices]
        fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_bound and self.is_valid() else None


class ServiceForm(forms.ModelForm[Service]):
    organization = OrganizationChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), to_field_name="uuid"
    )
    languages = LanguageCodesField(
        label=_("Languages"),
        help_text=_("Two-letter ISO 639-1 codes separated by commas, e.g. es, en, qu."),
    )
    timezone = forms.ChoiceField(label=_("Time zone"))
    sectors = TermChoiceField(
        label=_("Kind of help (sector)"),
        queryset=TaxonomyTerm.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    profiles = TermChoiceField(
        label=_("For whom (population profile)"),
        queryset=TaxonomyTerm.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    layers = TermChoiceField(
        label=_("IASC pyramid layer"),
        queryset=TaxonomyTerm.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    locations = LocationChoiceField(
        label=_("Where it is offered"),
        queryset=Location.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Places of the organization. A phone or online service may have none."),
    )
    service_areas = ServiceAreaField(
        label=_("Areas it reaches"),
        queryset=AdminArea.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Regions a helpline, online or outreach service covers beyond its locations. "
            "A region includes all its districts."
        ),
    )
    whole_countries = forms.MultipleChoiceField(
        label=_("Every region of a country"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [
            "organization",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "status",
            "intake_status",
            "intake_reason",
            "illustrative",
            "url",
            "email",
            "languages",
            "eligibility_es",
            "eligibility_en",
            "minimum_age",
            "maximum_age",
            "is_free",
            "fee_detail",
            "documents_required",
            "required_documents",
            "in_person",
            "by_phone",
            "online",
            "outreach",
            "open_24_7",
            "timezone",
            "holidays_note",
        ]
        labels = {
            "name_es": _("Name in Spanish"),
            "name_en": _("Name in English"),
            "description_es": _("Description in Spanish"),
            "description_en": _("Description in English"),
            "eligibility_es": _("Who can use it (Spanish)"),
            "eligibility_en": _("Who can use it (English)"),
            "intake_reason": _("Note on intake"),
            "url": _("Web page"),
            "is_free": _("Free of charge"),
            "fee_detail": _("Fees"),
            "documents_required": _("Documents are required"),
            "holidays_note": _("Holidays"),
            "illustrative": _("Illustrative example (demo data, not a real service)"),
        }
        help_texts = {
            "intake_reason": _("E.g. “waiting list of about two weeks”."),
            "fee_detail": _("Required when the service is not free."),
            "required_documents": _("Required when documents are required."),
            "holidays_note": _("E.g. “closed on public holidays”."),
            "minimum_age": _("Leave empty for no limit."),
            "maximum_age": _("Leave empty for no limit."),
        }
        widgets = {
            "description_es": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "eligibility_es": forms.Textarea(attrs={"rows": 3}),
            "eligibility_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        instance: Service = self.instance
        fields: Any = self.fields
        organizations = editable_organizations(user)
        if instance.organization_id:
            organizations = organizations | Organization.objects.filter(pk=instance.organization_id)
        fields["organization"].queryset = organizations.order_by("name")
        if instance.pk is None:
            fields["organization"].empty_label = None if self._single_org() else "—"
            self.initial["timezone"] = settings.TIME_ZONE
        else:
            fields["organization"].empty_label = None
            self.initial["organization"] = instance.organization.uuid
        fields["timezone"].choices = time_zone_choices(instance.timezone if instance.pk else "")
        if not user_can(user, Cap.MANAGE_DIRECTORY):
            del fields["illustrative"]
        current = list(instance.terms.select_related("taxonomy")) if instance.pk else []
        for name, taxonomy in TERM_GROUPS:
            keep = [term.pk for term in current if term.taxonomy.code == taxonomy]
            fields[name].queryset = (
                TaxonomyTerm.objects.filter(taxonomy__code=taxonomy)
                .filter(Q(active=True) | Q(pk__in=keep))
                .order_by("position", "code")
            )
            if instance.pk:
                self.initial[name] = [
                    term.uuid for term in current if term.taxonomy.code == taxonomy
                ]
        locations = editable_locations(user).select_related("admin1", "organization")
        if instance.pk:
            locations = locations.filter(organization_id=instance.organization_id)
            self.initial["locations"] = [
                sal.location.uuid
                for sal in instance.service_at_locations.select_related("location")
            ]
        fields["locations"].queryset = locations.order_by("organization__name", "name")
        fields["locations"].show_organization = instance.pk is None and not self._single_org()
        self._init_areas(instance, organizations)
        for name in ("url", "email"):
            fields[name].widget.attrs["autocomplete"] = "off"
        fields["minimum_age"].widget.attrs["inputmode"] = "numeric"
        fields["maximum_age"].widget.attrs["inputmode"] = "numeric"

    def _single_org(self) -> bool:
        return not user_can(self.user, Cap.MANAGE_DIRECTORY)

    def _init_areas(self, instance: Service, organizations: QuerySet[Organization]) -> None:
        """Offer the areas of the organizations' countries (and of the areas already chosen)."""
        fields: Any = self.fields
        chosen = (
            list(instance.service_areas.values_list("area__code", "area__country"))
            if instance.pk
            else []
        )
        if instance.pk:
            countries = set(instance.organization.countries or [])
            places = Location.objects.filter(organization_id=instance.organization_id)
        else:
            countries = {code for org in organizations for code in org.countries or []}
            places = Location.objects.filter(organization__in=organizations)
        countries |= set(places.order_by().values_list("country", flat=True).distinct())
        countries = {str(code).upper() for code in countries} or set(DEFAULT_AREA_COUNTRIES)
        countries |= {country for _code, country in chosen}
        self.area_countries = [code for code, _name in sorted_countries(countries, _language())]
        fields["service_areas"].queryset = AdminArea.objects.filter(country__in=self.area_countries)
        fields["whole_countries"].choices = [
            (code, country_name(code, _language())) for code in self.area_countries
        ]
        self.initial["service_areas"] = [code for code, _country in chosen]

    def area_groups(self) -> list[dict[str, Any]]:
        """The service-area checkboxes: per country, its regions, each with its districts."""
        if self.is_bound:
            data: Any = self.data
            checked = set(data.getlist(self.add_prefix("service_areas")))
            whole = set(data.getlist(self.add_prefix("whole_countries")))
        else:
            checked = {str(code) for code in self.initial.get("service_areas") or []}
            whole = set()
        areas = list(
            self.fields["service_areas"].queryset.only(  # type: ignore[attr-defined]
                "code", "country", "level", "parent_id", "name_es", "name_en"
            )
        )
        children: dict[int, list[AdminArea]] = {}
        for area in areas:
            if area.level > 1 and area.parent_id is not None:
                children.setdefault(area.parent_id, []).append(area)
        level1 = {area.pk for area in areas if area.level == 1}

        def item(area: AdminArea) -> dict[str, Any]:
            below = sorted(children.get(area.pk, []), key=lambda a: fold(a.name))
            return {
                "area": area,
                "checked": area.code in checked,
                "children": [{"area": a, "checked": a.code in checked} for a in below],
                "open": any(a.code in checked for a in below),
            }

        groups = []
        for country in self.area_countries:
            tops = [
                area
                for area in areas
                if area.country == country and (area.level == 1 or area.parent_id not in level1)
            ]
            regions = [item(area) for area in sorted(tops, key=lambda a: fold(a.name))]
            chosen = sum(1 for area in areas if area.country == country and area.code in checked)
            groups.append(
                {
                    "code": country,
                    "name": country_name(country, _language()),
                    "regions": regions,
                    "chosen": chosen,
                    "whole": country in whole,
                    "open": bool(chosen) or country in whole or len(self.area_countries) == 1,
                }
            )
        return groups

    def chosen_areas(self) -> list[AdminArea]:
        """The areas ticked, plus every region of the countries chosen whole."""
        areas = list(self.cleaned_data.get("service_areas") or [])
        countries = self.cleaned_data.get("whole_countries") or []
        if countries:
            areas += list(AdminArea.objects.filter(level=1, country__in=countries))
        return list({area.pk: area for area in areas}.values())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        organization = data.get("organization")
        for location in data.get("locations") or []:
            if organization is not None and location.organization_id != organization.pk:
                self.add_error(
                    "locations",
                    _("“%(location)s” belongs to another organization.")
                    % {"location": location.name},
                )
        return data

    def chosen_terms(self) -> list[TaxonomyTerm]:
        terms: list[TaxonomyTerm] = []
        for name, _taxonomy in TERM_GROUPS:
            terms += list(self.cleaned_data.get(name) or [])
        return terms


class PhoneForm(forms.ModelForm[Phone]):
    class Meta:
        model = Phone
        fields = ["number", "extension", "description", "whatsapp", "free_line"]
        labels = {"description": _("Note"), "free_line": _("Free line")}
        widgets = {
            "number": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "description": forms.TextInput(attrs={"placeholder": _("e.g. Helpline, 24 hours")}),
        }


class ScheduleForm(forms.ModelForm[Schedule]):
    class Meta:
        model = Schedule
        fields = ["weekday", "opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weekday: Any = self.fields["weekday"]
        weekday.choices = [("", _("Choose a day")), *Weekday.choices]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is not None and closes is not None and opens >= closes:
            self.add_error(
                "closes_at",
                _("The closing time (%(closes)s) must be after the opening time (%(opens)s).")
                % {"closes": closes.strftime("%H:%M"), "opens": opens.strftime("%H:%M")},
            )
        return data


class ClosureForm(forms.ModelForm[Closure]):
    class Meta:
        model = Closure
        fields = ["date", "reason"]
        widgets = {"date": DateInput()}


class _RowFormSet(BaseInlineFormSet[Any, Any, Any]):
    """An inline formset whose rows say which row they are, for the error summary."""

    row_label: Any = _("Row")


class PhoneFormSet(_RowFormSet):
    row_label = _("Phone")


class ScheduleFormSet(_RowFormSet):
    row_label = _("Opening hours")


class ClosureFormSet(_RowFormSet):
    row_label = _("Closure")

    def clean(self) -> None:
        super().clean()
        seen: set[Any] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            day = form.cleaned_data.get("date")
            if day is None:
                continue
            if day in seen:
                form.add_error("date", _("This date is listed twice."))
            seen.add(day)


PhoneInline = inlineformset_factory(
    Service, Phone, form=PhoneForm, formset=PhoneFormSet, extra=1, can_delete=True
)
ScheduleInline = inlineformset_factory(
    Service, Schedule, form=ScheduleForm, formset=ScheduleFormSet, extra=1, can_delete=True
)
ClosureInline = inlineformset_factory(
    Service, Closure, form=ClosureForm, formset=ClosureFormSet, extra=1, can_delete=True
)


def service_formsets(data: Any, service: Service) -> dict[str, Any]:
    """Phones, weekly hours and closures of ``service``, bound to ``data`` on POST."""
    return {
        "phones": PhoneInline(data, instance=service, prefix="phones"),
        "schedules": ScheduleInline(data, instance=service, prefix="schedules"),
        "closures": ClosureInline(data, instance=service, prefix="closures"),
    }


# --- Locations ------------------------------------------------------------------------


class CoordinateField(forms.FloatField):
    """A decimal degree; accepts a comma as decimal mark, as people type it in Spanish."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class AreaChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def country_areas(country: str) -> QuerySet[AdminArea]:
    return AdminArea.objects.filter(level=1, country=country).order_by("name_es")


def child_areas(parent: AdminArea | None) -> QuerySet[AdminArea]:
    if parent is None:
        return AdminArea.objects.none()
    return AdminArea.objects.filter(level=2, parent=parent).order_by("name_es")


def area_options(areas: Iterable[AdminArea], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *sorted(((a.code, a.name) for a in areas), key=lambda c: fold(c[1]))]


class LocationForm(forms.ModelForm[Location]):
    organization = OrganizationChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), to_field_name="uuid"
    )
    country = forms.ChoiceField(label=_("Country"))
    admin1 = AreaChoiceField(
        label=_("Region / province"),
        queryset=AdminArea.objects.filter(level=1),
        to_field_name="code",
        required=False,
    )
    admin2 = AreaChoiceField(
        label=_("District / canton"),
        queryset=AdminArea.objects.filter(level=2),
        to_field_name="code",
        required=False,
        help_text=_("Optional. Shown when a gazetteer of districts was imported."),
    )
    latitude = CoordinateField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        error_messages={
            "min_value": _("A latitude is between -90 and 90 degrees."),
            "max_value": _("A latitude is between -90 and 90 degrees."),
            "invalid": _("Type the latitude as a decimal number, e.g. -12.0464."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        error_messages={
            "min_value": _("A longitude is between -180 and 180 degrees."),
            "max_value": _("A longitude is between -180 and 180 degrees."),
            "invalid": _("Type the longitude as a decimal number, e.g. -77.0428."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    class Meta:
        model = Location
        fields = [
            "organization",
            "name",
            "address",
            "city",
            "postal_code",
            "country",
            "admin1",
            "admin2",
            "latitude",
            "longitude",
            "accessibility",
            "transportation",
        ]
        help_texts = {
            "name": _("As people know the place, e.g. “Centro comunitario Carmen de la Legua”."),
            "accessibility": _("E.g. “ramp at the entrance, accessible toilet”."),
            "transportation": _("Bus lines, landmarks, the nearest stop."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance: Location = self.instance
        fields: Any = self.fields
        organizations = editable_organizations(user)
        if instance.organization_id:
            organizations = organizations | Organization.objects.filter(pk=instance.organization_id)
        fields["organization"].queryset = organizations.order_by("name")
        single = not user_can(user, Cap.MANAGE_DIRECTORY)
        fields["organization"].empty_label = None if (single or instance.pk) else "—"
        language = _language()
        fields["country"].choices = country_choices(language)
        if instance.pk:
            self.initial["organization"] = instance.organization.uuid
            if instance.admin1_id:
                self.initial["admin1"] = instance.admin1.code  # type: ignore[union-attr]
            if instance.admin2_id:
                self.initial["admin2"] = instance.admin2.code  # type: ignore[union-attr]
        else:
            home = getattr(getattr(user, "organization", None), "countries", None) or []
            self.initial.setdefault("country", home[0] if home else instance.country or "PE")
        # The region list shows the chosen country's areas; the district list the chosen
        # region's. Validation still accepts only a matching pair (see clean()).
        self.current_country = str(self._current("country") or "PE").upper()
        areas = list(country_areas(self.current_country))
        self.country_has_areas = bool(areas)
        fields["admin1"].widget.choices = area_options(areas, str(_("Choose a region")))
        parent_code = self._current("admin1")
        parent = (
            AdminArea.objects.filter(level=1, code=parent_code).first() if parent_code else None
        )
        fields["admin2"].widget.choices = area_options(
            child_areas(parent), str(_("No district chosen"))
        )
        fields["latitude"].help_text = _("Decimal degrees, south is negative, e.g. -12.0464.")
        fields["longitude"].help_text = _("Decimal degrees, west is negative, e.g. -77.0428.")

    def _current(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        return self.initial.get(name, getattr(self.instance, name, None))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        country = data.get("country")
        admin1: AdminArea | None = data.get("admin1")
        admin2: AdminArea | None = data.get("admin2")
        name = country_name(country, _language()) if country else ""
        if country and admin1 is not None and admin1.country != country:
            self.add_error(
                "admin1",
                _("“%(area)s” is not in %(country)s. Choose a region of %(country)s.")
                % {"area": admin1.name, "country": name},
            )
        elif country and admin1 is None and "admin1" not in self.errors and self.country_has_areas:
            self.add_error("admin1", _("Choose the region or province."))
        if admin2 is not None and (admin1 is None or admin2.parent_id != admin1.pk):
            self.add_error("admin2", _("This district is not in the chosen region."))
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            {"latitude", "longitude"} & set(self.errors)
        ):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Give both latitude and longitude, or neither."),
            )
        return data


# --- Taxonomy terms -------------------------------------------------------------------


class TermForm(forms.ModelForm[TaxonomyTerm]):
    class Meta:
        model = TaxonomyTerm
        fields = [
            "code",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "position",
            "active",
        ]
        labels = {
            "name_es": _("Name in Spanish"),
            "name_en": _("Name in English"),
            "description_es": _("Description in Spanish"),
            "description_en": _("Description in English"),
            "position": _("Order"),
            "active": _("Active (offered when services are edited and searched)"),
        }
        help_texts = {
            "code": _(
                "Lower-case letters, digits and underscores; used by exports and filters. "
                "It cannot change once a service uses the term."
            ),
            "position": _("Terms are listed from the lowest number up."),
        }
        widgets = {
            "description_es": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, taxonomy: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        self.instance.taxonomy = taxonomy
        self.code_locked = bool(self.instance.pk) and self.instance.services.exists()
        fields: Any = self.fields
        if self.code_locked:
            fields["code"].disabled = True
            fields["code"].help_text = _("This term is used by services: its code cannot change.")

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().lower()
        clash = TaxonomyTerm.objects.filter(taxonomy=self.taxonomy, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another term of this taxonomy has this code."))
        return code


class EverydayWordForm(forms.ModelForm[EverydayWord]):
    """A word or phrase people type, and the needs or people it means."""

    class Meta:
        model = EverydayWord
        fields = ["phrase", "language", "usage", "terms", "active"]
        labels = {
            "phrase": _("Word or phrase, as people say it"),
            "terms": _("What it means"),
            "active": _("Active (the public finder uses it)"),
        }
        help_texts = {
            "phrase": _(
                "For example: me pegan, papeles, chamba. Accents and capitals do not matter."
            ),
            "terms": _("The finder also shows the services that carry any of these."),
        }
        widgets = {"terms": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["terms"].queryset = TaxonomyTerm.objects.filter(
            taxonomy__code__in=("sector", "population")
        ).select_related("taxonomy")
        fields["terms"].label_from_instance = lambda term: f"{term.taxonomy.name}: {term.name}"

    def clean_phrase(self) -> str:
        phrase = " ".join(str(self.cleaned_data["phrase"]).split())
        folded = fold_words(phrase)
        if not folded:
            raise forms.ValidationError(_("Type a word with at least one letter or digit."))
        if len(folded) > 80:
            raise forms.ValidationError(_("Keep it to 80 characters or fewer."))
        clash = EverydayWord.objects.filter(folded=folded).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("“%(phrase)s” is already in the vocabulary.") % {"phrase": phrase}
            )
        self.instance.folded = folded
        return phrase
