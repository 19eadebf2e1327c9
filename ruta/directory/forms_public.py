"""The public finder's search form: what people ask for, turned into a FinderQuery.

A GET form that works without JavaScript. Choices come from the vocabularies (taxonomy
terms, admin areas), named in the current language. "Near" is either the browser's
position (hidden lat/lon, filled by static/ruta/public.js) or a typed place that we match,
accent-insensitively, against admin areas that have a representative point; nothing is
geocoded outside Ruta and nothing typed here is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.directory.models import (
    Location,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from ruta.directory.search import MODALITIES, FinderQuery
from ruta.directory.version import cached_for_directory
from ruta.lib.geo import sorted_countries
from ruta.lib.text import collation_key, fold
from ruta.places.models import AdminArea
from ruta.ui.forms import QuickSelect

# Countries always offered in the area list, with or without services yet.
DEFAULT_COUNTRIES = ("PE", "EC")

MODALITY_LABELS: dict[str, Any] = {
    "in_person": _("In person"),
    "by_phone": _("By phone"),
    "online": _("Online"),
    "outreach": _("Outreach / mobile"),
}

# Cities people type, folded, mapped to their display name, the admin area they lie in and,
# when the city is not that area's capital (whose point the area already holds), its own point.
CITY_PLACES: dict[str, tuple[str, str, tuple[float, float] | None]] = {
    "lima": ("Lima", "PE-LMA", None),
    "lima metropolitana": ("Lima Metropolitana", "PE-LMA", None),
    "callao": ("Callao", "PE-CAL", None),
    "tumbes": ("Tumbes", "PE-TUM", None),
    "aguas verdes": ("Aguas Verdes", "PE-TUM", (-3.48, -80.25)),
    "tacna": ("Tacna", "PE-TAC", None),
    "arequipa": ("Arequipa", "PE-ARE", None),
    "trujillo": ("Trujillo", "PE-LAL", None),
    "chiclayo": ("Chiclayo", "PE-LAM", None),
    "piura": ("Piura", "PE-PIU", None),
    "cusco": ("Cusco", "PE-CUS", None),
    "cuzco": ("Cusco", "PE-CUS", None),
    "iquitos": ("Iquitos", "PE-LOR", None),
    "huancayo": ("Huancayo", "PE-JUN", None),
    "puno": ("Puno", "PE-PUN", None),
    "juliaca": ("Juliaca", "PE-PUN", (-15.50, -70.13)),
    "quito": ("Quito", "EC-P", None),
    "guayaquil": ("Guayaquil", "EC-G", None),
    "cuenca": ("Cuenca", "EC-A", None),
    "machala": ("Machala", "EC-O", None),
    "huaquillas": ("Huaquillas", "EC-O", (-3.48, -80.23)),
    "tulcan": ("Tulcán", "EC-C", None),
    "ibarra": ("Ibarra", "EC-I", None),
    "lago agrio": ("Lago Agrio", "EC-U", None),
    "nueva loja": ("Nueva Loja", "EC-U", None),
    "manta": ("Manta", "EC-M", (-0.95, -80.72)),
    "portoviejo": ("Portoviejo", "EC-M", None),
    "quevedo": ("Quevedo", "EC-R", (-1.03, -79.46)),
    "santo domingo": ("Santo Domingo", "EC-SD", None),
    "ambato": ("Ambato", "EC-T", None),
    "riobamba": ("Riobamba", "EC-H", None),
}

_PUNCTUATION = re.compile(r"[^\w\s-]+")


@dataclass(frozen=True)
class Place:
    """A typed place we recognised: its display name and the point distances start from."""

    name: str
    point: tuple[float, float]


def resolve_place(text: str) -> Place | None:
    """Match a typed place to a known point (one query), or None when we do not know it."""
    key = _PUNCTUATION.sub(" ", fold(text.split(",")[0]))
    key = " ".join(key.split())
    if len(key) < 2:
        return None
    areas = list(
        AdminArea.objects.filter(latitude__isnull=False, longitude__isnull=False).only(
            "code", "name_es", "name_en", "latitude", "longitude"
        )
    )
    by_code = {area.code: area for area in areas}
    if key in CITY_PLACES:
        city, code, own_point = CITY_PLACES[key]
        area = by_code.get(code)
        if own_point is not None:
            return Place(name=city, point=own_point)
        if area is not None:
            return Place(name=city, point=_point(area))
    for area in areas:
        names = {fold(area.name_es), fold(area.name_en), area.code.casefold()}
        if key in names:
            return Place(name=area.name, point=_point(area))
    if len(key) >= 4:
        for area in areas:
            for name in (fold(area.name_es), fold(area.name_en)):
                if f" {key} " in f" {name} ":
                    return Place(name=area.name, point=_point(area))
    return None


def _point(area: AdminArea) -> tuple[float, float]:
    assert area.latitude is not None and area.longitude is not None
    return (area.latitude, area.longitude)


def _area_groups() -> list[Any]:
    """Level-1 areas grouped by country: countries with public services, plus PE and EC."""
    published = {"service__status": ServiceStatus.ACTIVE, "service__organization__active": True}
    used = ServiceAtLocation.objects.filter(location_id=OuterRef("pk"), **published)
    # One UNION query over the places and areas in use, which skips those in the
    # countries always offered: the usual case tests no service at all.
    located = Location.objects.exclude(country__in=DEFAULT_COUNTRIES).filter(Exists(used))
    in_area = Location.objects.filter(admin1_id=OuterRef("pk")).filter(Exists(used))
    serves = ServiceArea.objects.filter(area_id=OuterRef("pk"), **published)
    areas = AdminArea.objects.exclude(country__in=DEFAULT_COUNTRIES).filter(
        Exists(in_area) | Exists(serves)
    )
    in_use = (
        located.order_by()
        .values_list("country", flat=True)
        .union(areas.order_by().values_list("country", flat=True))
    )
    countries = set(DEFAULT_COUNTRIES) | set(in_use)
    areas = AdminArea.objects.filter(level=1, country__in=sorted(countries))
    language = (get_language() or "es")[:2]
    grouped: dict[str, list[tuple[str, str]]] = {}
    for area in areas.only("code", "country", "name_es", "name_en"):
        grouped.setdefault(area.country, []).append((area.code, str(area.name)))
    return [
        (str(name), sorted(grouped[code], key=lambda option: collation_key(option[1], language)))
        for code, name in sorted_countries(grouped, language)
    ]


def _build_choices() -> dict[str, list[Any]]:
    terms = TaxonomyTerm.objects.filter(
        active=True, taxonomy__code__in=("sector", "population", "iasc_layer")
    ).select_related("taxonomy")
    choices: dict[str, list[Any]] = {"sector": [], "population": [], "iasc_layer": []}
    for term in terms:
        choices[term.taxonomy.code].append((term.code, str(term.name)))
    choices["areas"] = _area_groups()
    return choices


def finder_choices() -> dict[str, list[Any]]:
    """The needs, profiles, layers and grouped areas people choose from, named in the
    current language: built once per version of the directory (``ruta.directory.version``)."""
    language = (get_language() or "es")[:2]
    return cached_for_directory(f"finder-choices:{language}", _build_choices)


# What the finder's address may carry, and so what a service page passes back to it.
FINDER_PARAMS = (
    "q",
    "sector",
    "profile",
    "admin1",
    "place",
    "lat",
    "lon",
    "modality",
    "layer",
    "free",
    "open_now",
    "accepting",
    "no_documents",
    "page",
)


def finder_querystring(params: Any) -> str:
    """The finder's own parameters of ``params`` (a QueryDict), empty ones left out."""
    kept = QueryDict(mutable=True)
    for name in FINDER_PARAMS:
        value = (params.get(name) or "")[:100]
        if value:
            kept[name] = value
    return kept.urlencode()


class RegionForm(forms.Form):
    """The public home's "near me" without JavaScript: the finder's region list."""

    admin1 = forms.ChoiceField(
        label=_("Your region or province"), required=False, widget=QuickSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "home_%s")
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["admin1"].choices = [("", _("Choose your region")), *finder_choices()["areas"]]


class FinderForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
        ),
    )
    sector = forms.ChoiceField(label=_("Need"), required=False, widget=QuickSelect)
    profile = forms.ChoiceField(label=_("For whom"), required=False, widget=QuickSelect)
    admin1 = forms.ChoiceField(label=_("Region or province"), required=False, widget=QuickSelect)
    place = forms.CharField(
        label=_("Near a place"),
        required=False,
        max_length=80,
        help_text=_("A city or region, for example Tumbes or Quito."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # The browser's position, rounded by public.js; never shown, never stored.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    modality = forms.ChoiceField(label=_("How"), required=False, widget=QuickSelect)
    layer = forms.ChoiceField(label=_("IASC pyramid layer"), required=False, widget=QuickSelect)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    accepting = forms.BooleanField(label=_("Accepting new people"), required=False)
    no_documents = forms.BooleanField(label=_("No documents required"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = finder_choices()
        fields: Any = self.fields
        fields["sector"].choices = [("", _("Any need")), *choices["sector"]]
        fields["profile"].choices = [("", _("Anyone")), *choices["population"]]
        fields["layer"].choices = [("", _("Any layer")), *choices["iasc_layer"]]
        fields["admin1"].choices = [("", _("Anywhere")), *choices["areas"]]
        fields["modality"].choices = [("", _("Any way"))] + [
            (name, MODALITY_LABELS[name]) for name in MODALITIES
        ]
        self.near_place: Place | None = None
        self.place_unknown = False
        self.near_me = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A position the browser sent that does not parse is dropped, not reported: people
        # cannot see or fix a hidden field.
        for hidden in ("lat", "lon"):
            self.errors.pop(hidden, None)
        typed = (data.get("place") or "").strip()
        if typed:
            self.near_place = resolve_place(typed)
            self.place_unknown = self.near_place is None
        elif data.get("lat") is not None and data.get("lon") is not None:
            self.near_me = True
        return data

    @property
    def filter_count(self) -> int:
        """How many filters beyond the words are set: the "Filters (n)" toggle says it."""
        data = getattr(self, "cleaned_data", {})
        names = [name for name in self.fields if name not in ("q", "place", "lat", "lon")]
        near = bool(data.get("place")) or self.near_me
        return sum(1 for name in names if data.get(name)) + int(near)

    @property
    def has_more_filters(self) -> bool:
        """True when a filter kept under "More filters" is set (the section opens)."""
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("admin1", "modality", "layer"))

    def finder_query(self) -> FinderQuery:
        """The query for what validated; an invalid field is left out, never guessed."""
        data = getattr(self, "cleaned_data", {})
        near: tuple[float, float] | None = None
        if self.near_place is not None:
            near = self.near_place.point
        elif self.near_me:
            near = (data["lat"], data["lon"])
        return FinderQuery(
            text=data.get("q", ""),
            sector=data.get("sector", ""),
            profile=data.get("profile", ""),
            layer=data.get("layer", ""),
            admin1=data.get("admin1", ""),
            modality=data.get("modality", ""),
            free=bool(data.get("free")),
            open_now=bool(data.get("open_now")),
            accepting=bool(data.get("accepting")),
            no_documents=bool(data.get("no_documents")),
            near=near,
        )
