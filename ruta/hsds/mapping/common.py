"""What every HSDS serializer shares: the context, small helpers, taxonomy terms and attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import pycountry

from ruta.directory.models import (
    Phone,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from ruta.hsds.mapping.vocabulary import (
    FLAG,
    INTAKE,
    MODALITY,
    MODALITY_FIELDS,
    PHONE_FEATURE,
    VirtualTaxonomy,
    VirtualTerm,
    synthetic_id,
    virtual_term,
)
from ruta.lib.geo import language_catalog
from ruta.lib.translated import localized
from ruta.places.models import AdminArea

# --- Small helpers --------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every serializer needs: the language of names and the site's base URL."""

    language: str = "es"
    base_url: str = ""  # e.g. "https://ruta.example.org", no trailing slash
    # False: Ruta's data alone, without what the import received (see ``mapping.kept``).
    kept: bool = True
    # Terms repeat on every service of a page: each is serialized once a request.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def other_language(self) -> str:
        return "en" if self.language == "es" else "es"


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop None: HSDS types have no null, an absent key is the honest "unknown"."""
    return {key: value for key, value in data.items() if value is not None}


def or_none(value: str) -> str | None:
    return value or None


def text(obj: Any, name: str, ctx: Context) -> str:
    return localized(obj, name, ctx.language)


def alternate(obj: Any, name: str, ctx: Context) -> str | None:
    """The other language's value when it differs from the one shown."""
    other = getattr(obj, f"{name}_{ctx.other_language}", "") or ""
    shown = text(obj, name, ctx)
    return other if other and other != shown else None


def iso_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=256)
def language_name(code: str, language: str) -> str:
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    if found is None:
        found = pycountry.languages.get(alpha_3=code)
    if found is None:
        return code
    return language_catalog(language).gettext(found.name)


def area_label(area: AdminArea) -> str:
    if area.level == 1:
        return f"ISO 3166-2: {area.code}"
    return f"P-code: {area.pcode or area.code}"


# --- Taxonomies -----------------------------------------------------------------------


def taxonomy_dict(taxonomy: Taxonomy | VirtualTaxonomy, ctx: Context) -> dict[str, Any]:
    name = text(taxonomy, "name", ctx)
    return compact(
        {
            "id": str(taxonomy.uuid),
            "name": name,
            "description": text(taxonomy, "description", ctx) or name,
            "uri": or_none(taxonomy.uri),
            "version": or_none(taxonomy.version),
        }
    )


def taxonomy_label(taxonomy: Taxonomy | VirtualTaxonomy) -> str:
    """``taxonomy_term.taxonomy``: the taxonomy's URI when it has one, else its code."""
    return taxonomy.uri or taxonomy.code


def term_dict(
    term: TaxonomyTerm | VirtualTerm, ctx: Context, *, detail: bool = True
) -> dict[str, Any]:
    key = ("term", term.uuid, detail)
    if key not in ctx.memo:
        ctx.memo[key] = _term_dict(term, ctx, detail=detail)
    result: dict[str, Any] = ctx.memo[key]
    return result


def _term_dict(term: TaxonomyTerm | VirtualTerm, ctx: Context, *, detail: bool) -> dict[str, Any]:
    name = text(term, "name", ctx)
    parent = term.parent
    data: dict[str, Any] = {
        "id": str(term.uuid),
        "code": term.code,
        "name": name,
        "description": text(term, "description", ctx) or name,
        "parent_id": str(parent.uuid) if parent is not None else None,
        "taxonomy": taxonomy_label(term.taxonomy),
        "taxonomy_id": str(term.taxonomy.uuid),
        "language": ctx.language,
    }
    if detail:
        data["taxonomy_detail"] = taxonomy_dict(term.taxonomy, ctx)
    return compact(data)


def attribute_dict(
    owner_uuid: Any,
    entity: str,
    term: TaxonomyTerm | VirtualTerm,
    ctx: Context,
    value: str = "",
) -> dict[str, Any]:
    return compact(
        {
            "id": str(synthetic_id("attribute", owner_uuid, term.uuid)),
            "link_id": str(owner_uuid),
            "link_type": term.taxonomy.code,
            "link_entity": entity,
            "taxonomy_term_id": str(term.uuid),
            "value": or_none(value),
            "taxonomy_term": term_dict(term, ctx),
        }
    )


def service_terms(service: Service) -> list[TaxonomyTerm | VirtualTerm]:
    """Stored terms, then the synthetic ones the service's fields imply."""
    terms: list[TaxonomyTerm | VirtualTerm] = list(service.terms.all())
    terms += [virtual_term(MODALITY, name) for name in MODALITY_FIELDS if getattr(service, name)]
    if service.illustrative:
        terms.append(virtual_term(FLAG, "illustrative"))
    return terms


def service_attributes(service: Service, ctx: Context) -> list[dict[str, Any]]:
    attributes = [
        attribute_dict(service.uuid, "service", term, ctx) for term in service_terms(service)
    ]
    attributes.append(
        attribute_dict(
            service.uuid,
            "service",
            virtual_term(INTAKE, service.intake_status),
            ctx,
            value=service.intake_reason,
        )
    )
    return attributes


def phone_attributes(phone: Phone, ctx: Context) -> list[dict[str, Any]]:
    return [
        attribute_dict(phone.uuid, "phone", virtual_term(PHONE_FEATURE, name), ctx)
        for name in ("whatsapp", "free_line")
        if getattr(phone, name)
    ]
