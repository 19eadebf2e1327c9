"""The catalogue's query: facets (country, theme, IASC layer, SDG, GCM objective,
organization) and accent-insensitive words, with counts per facet value.

Words match ``Practice.search_text`` (folded, both languages), so "protección",
"PROTECCION" and "protection" all work on SQLite and PostgreSQL alike. Facet filters are
``pk IN (subquery)`` conditions: no duplicate rows, a fixed number of queries.
Counts are over the current selection: each facet value shows how many of the practices
listed would remain if it were chosen as well.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from ruta.agencies.models import Organization
from ruta.lib.geo import country_name
from ruta.lib.text import query_words
from ruta.practices.models import (
    Practice,
    PracticeCountry,
    current_language,
)


@dataclass
class PracticeQuery:
    text: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    theme: str = ""  # Theme.code
    layer: int | None = None  # IascLayer.number
    sdg: int | None = None  # SDG.number
    gcm: int | None = None  # GCMObjective.number
    organization: str = ""  # Organization.uuid

    @classmethod
    def from_params(cls, params: Any) -> PracticeQuery:
        """From a GET QueryDict or dict; bad values are ignored, not errors."""

        def number(name: str) -> int | None:
            value = str(params.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 4 else None

        organization = str(params.get("organization") or "").strip()
        try:
            organization = str(uuid.UUID(organization)) if organization else ""
        except ValueError:
            organization = ""
        return cls(
            text=str(params.get("q") or "")[:200],
            country=str(params.get("country") or "").strip().upper()[:2],
            theme=str(params.get("theme") or "").strip()[:40],
            layer=number("layer"),
            sdg=number("sdg"),
            gcm=number("gcm"),
            organization=organization,
        )

    def params(self) -> dict[str, str]:
        values = {
            "q": self.text,
            "country": self.country,
            "theme": self.theme,
            "layer": self.layer,
            "sdg": self.sdg,
            "gcm": self.gcm,
            "organization": self.organization,
        }
        return {key: str(value) for key, value in values.items() if value not in ("", None)}

    @property
    def is_empty(self) -> bool:
        return not self.params()


def _through(relation: str) -> Any:
    return getattr(Practice, relation).through.objects


def find_practices(base: QuerySet[Practice], query: PracticeQuery) -> QuerySet[Practice]:
    practices = base
    for word in query_words(query.text):
        practices = practices.filter(search_text__contains=word)
    if query.country:
        practices = practices.filter(
            pk__in=PracticeCountry.objects.filter(code=query.country).values("practice_id")
        )
    if query.theme:
        practices = practices.filter(
            pk__in=_through("themes").filter(theme__code=query.theme).values("practice_id")
        )
    if query.layer is not None:
        practices = practices.filter(
            pk__in=_through("iasc_layers")
            .filter(iasclayer__number=query.layer)
            .values("practice_id")
        )
    if query.sdg is not None:
        practices = practices.filter(
            pk__in=_through("sdgs").filter(sdg__number=query.sdg).values("practice_id")
        )
    if query.gcm is not None:
        practices = practices.filter(
            pk__in=_through("gcm_objectives")
            .filter(gcmobjective__number=query.gcm)
            .values("practice_id")
        )
    if query.organization:
        practices = practices.filter(
            pk__in=_through("organizations")
            .filter(organization__uuid=query.organization)
            .values("practice_id")
        )
    return practices.order_by("code")


def with_card_data(practices: QuerySet[Practice]) -> QuerySet[Practice]:
    return practices.select_related("owner").prefetch_related(
        "countries",
        "themes",
        "iasc_layers",
        "sdgs",
        Prefetch("organizations", queryset=Organization.objects.order_by("name")),
    )


def with_full_data(practices: QuerySet[Practice]) -> QuerySet[Practice]:
    return with_card_data(practices).prefetch_related(
        "gcm_objectives", "guiding_principles", "attachments"
    )


def _display_name(name: str, acronym: str) -> str:
    """As ``Organization.display_name``, from values."""
    if acronym and acronym.lower() not in name.lower():
        return f"{name} ({acronym})"
    return name


# --- Facets -----------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    link: str = ""


@dataclass
class Facet:
    name: str  # the GET parameter
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected(self) -> FacetValue | None:
        return next((value for value in self.values if value.selected), None)


def _counted(
    relation: str, fk: str, fields: tuple[str, ...], selection: QuerySet[Practice]
) -> list[dict[str, Any]]:
    """One query: each related value (with ``fields`` of it) and its number of practices."""
    return list(
        _through(relation)
        .filter(practice_id__in=selection.order_by().values("pk"))
        .values(*(f"{fk}__{name}" for name in fields))
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )


def facets(selection: QuerySet[Practice], query: PracticeQuery) -> list[Facet]:
    """Six facets, each value with its count in the selection (values with 0 are left out).

    Queries: one per facet (six in all), the labels read in the same query.
    """
    from django.utils.translation import gettext as _

    language = current_language()
    ids = selection.order_by().values("pk")

    country_rows = (
        PracticeCountry.objects.filter(practice_id__in=ids)
        .values("code")
        .annotate(n=Count("practice_id", distinct=True))
    )
    countries = sorted(
        (
            FacetValue(
                row["code"],
                country_name(row["code"], language),
                row["n"],
                row["code"] == query.country,
            )
            for row in country_rows
        ),
        key=lambda value: value.label,
    )

    def vocabulary(
        relation: str, fk: str, key: str, selected: Any, numbered: bool
    ) -> list[FacetValue]:
        sort = "number" if numbered else "order"
        fields = tuple(dict.fromkeys((key, sort, "title_es", "title_en")))
        rows = _counted(relation, fk, fields, selection)
        rows.sort(key=lambda row: (row[f"{fk}__{sort}"], str(row[f"{fk}__{key}"])))
        values = []
        for row in rows:
            identifier = row[f"{fk}__{key}"]
            title = row[f"{fk}__title_{language}"] or row[f"{fk}__title_es"]
            label = f"{row[f'{fk}__number']}. {title}" if numbered else title
            values.append(FacetValue(str(identifier), label, row["n"], identifier == selected))
        return values

    org_rows = _counted("organizations", "organization", ("uuid", "name", "acronym"), selection)
    organizations = sorted(
        (
            FacetValue(
                str(row["organization__uuid"]),
                _display_name(row["organization__name"], row["organization__acronym"]),
                row["n"],
                str(row["organization__uuid"]) == query.organization,
            )
            for row in org_rows
        ),
        key=lambda value: value.label,
    )
    return [
        Facet("country", _("Country"), countries),
        Facet(
            "theme",
            _("Theme"),
            vocabulary("themes", "theme", "code", query.theme, numbered=False),
        ),
        Facet(
            "layer",
            _("IASC layer"),
            vocabulary("iasc_layers", "iasclayer", "number", query.layer, numbered=True),
        ),
        Facet(
            "sdg",
            _("Sustainable Development Goal"),
            vocabulary("sdgs", "sdg", "number", query.sdg, numbered=True),
        ),
        Facet(
            "gcm",
            _("Global Compact for Migration objective"),
            vocabulary("gcm_objectives", "gcmobjective", "number", query.gcm, numbered=True),
        ),
        Facet("organization", _("Organization"), organizations),
    ]
