"""Illustrative referral pathways for the demo: two published matrices over the demo services.

Fictional, shaped on seed 003's matrix. Run after the directory demo (``ruta.directory.demo``),
whose organizations and services the cells point at. ``load_demo()`` is idempotent: stable
UUIDs, create-or-update, and an action only where something differs, so a second run adds
no row and no audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ruta.agencies.demo import DEMO_ORGANIZATIONS
from ruta.agencies.models import Organization
from ruta.directory.demo import demo_uuid
from ruta.directory.models import Service, Taxonomy, TaxonomyTerm
from ruta.pathways import actions
from ruta.pathways.models import Pathway, PathwayCell, PathwayStatus, PathwayTheme
from ruta.places.models import AdminArea

# --- Pathways (seed 003's matrix: organizations x profiles, 1 entry point, 2 onward) -------


@dataclass(frozen=True)
class DemoPathway:
    key: str
    title_es: str
    title_en: str
    theme: str
    admin1: str
    scope_note: str
    notes_es: str
    notes_en: str
    verified_days: int
    # (organization acronym, role, profiles, service keys)
    rows: list[tuple[str, int, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)


PATHWAYS: list[DemoPathway] = [
    DemoPathway(
        key="vbg-lima",
        title_es="Ruta de atención VBG — Lima Metropolitana",
        title_en="GBV referral pathway — Metropolitan Lima",
        theme=PathwayTheme.GBV,
        admin1="PE-LMA",
        scope_note="Lima Metropolitana y Callao",
        notes_es="Ejemplo ilustrativo. Derivar siempre con consentimiento informado y compartir solo la información necesaria.",
        notes_en="Illustrative example. Always refer with informed consent and share only the information needed.",
        verified_days=12,
        rows=[
            ("CARE", 1, ("women", "lgbtiq"), ("care-lma-vbg",)),
            ("HIAS", 1, ("women",), ("hias-lma-legal", "hias-lma-ptm")),
            ("HIAS", 2, ("men", "lgbtiq", "other"), ("hias-lma-legal", "hias-lma-psi")),
            ("Save the Children", 1, ("girls", "boys"), ("stc-lma-eaa", "stc-lma-smaps-nna")),
            ("Aldeas SOS", 2, ("girls", "boys"), ("sos-lma-acogida",)),
            ("DEMUNA CLR", 1, ("girls", "boys"), ("demuna-clr",)),
            ("CSMC Carmen de la Legua", 2, ("women", "men", "lgbtiq"), ("csmc-clr-adultos",)),
            ("CSMC Carmen de la Legua", 2, ("girls", "boys"), ("csmc-clr-ninez",)),
            ("CSMC Carmen de la Legua", 2, ("disability",), ("csmc-clr-adultos",)),
            ("CAPS", 2, ("women", "men", "lgbtiq"), ("caps-lma-psicoterapia",)),
            ("IRC", 1, ("women",), ("irc-lma-ssr",)),
            ("IRC", 2, ("girls", "lgbtiq"), ("irc-lma-ssr",)),
            ("HI", 1, ("disability",), ("hi-lma-discapacidad",)),
            ("Encuentros SJM", 1, ("other",), ("sjm-lma-acogida", "sjm-lma-legal")),
            ("Encuentros SJM", 2, ("men",), ("sjm-lma-legal",)),
            ("ACNUR", 2, ("women", "men", "lgbtiq"), ("acnur-lma-orientacion",)),
            ("Veneactiva", 1, ("men", "other"), ("veneactiva-contact-center",)),
        ],
    ),
    DemoPathway(
        key="smaps-tumbes",
        title_es="Ruta SMAPS — Tumbes",
        title_en="MHPSS referral pathway — Tumbes",
        theme=PathwayTheme.MHPSS,
        admin1="PE-TUM",
        scope_note="Tumbes y paso de frontera de Aguas Verdes",
        notes_es="Ejemplo ilustrativo. Las situaciones de riesgo de suicidio se derivan de inmediato al servicio especializado.",
        notes_en="Illustrative example. Suicide risk is referred at once to the specialised service.",
        verified_days=20,
        rows=[
            ("CARE", 1, ("women", "men", "lgbtiq", "in_transit"), ("care-tum-smaps",)),
            ("HIAS", 2, ("women", "girls", "lgbtiq"), ("hias-tum-vbg",)),
            ("Aldeas SOS", 1, ("unaccompanied",), ("sos-tum-nna",)),
            ("Aldeas SOS", 2, ("girls", "boys"), ("sos-tum-nna",)),
            ("Save the Children", 1, ("girls", "boys"), ("stc-tum-eaa",)),
            ("ACNUR", 1, ("in_transit",), ("acnur-tum-proteccion",)),
            ("OIM", 1, ("older", "disability"), ("oim-tum-frontera",)),
            ("OIM", 2, ("in_transit",), ("oim-tum-frontera",)),
            ("CCEFIRO", 2, ("women", "men", "older", "disability"), ("ccefiro-tum",)),
            ("Encuentros SJM", 2, ("in_transit",), ("sjm-tum-acogida",)),
            ("Veneactiva", 1, ("other",), ("veneactiva-contact-center",)),
        ],
    ),
]


# --- Loader ------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    pathways: int = 0
    cells: int = 0

    def describe(self) -> str:
        return f"Pathways demo: {self.pathways} published pathways with {self.cells} cells."


def _noon(now: datetime, days_ago: int) -> datetime:
    """A day-rounded moment, so a second run on the same day changes nothing."""
    return now.replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)


def _organizations() -> dict[str, Organization]:
    """The demo organizations the pathways' rows name, by acronym."""
    wanted = {row[0] for spec in PATHWAYS for row in spec.rows}
    names = {
        name: acronym for name, acronym, _kind, _web in DEMO_ORGANIZATIONS if acronym in wanted
    }
    by_acronym = {names[o.name]: o for o in Organization.objects.filter(name__in=names)}
    missing = wanted - set(by_acronym)
    if missing:
        raise ImproperlyConfigured(
            f"Demo organizations missing (load the directory demo first): {sorted(missing)}"
        )
    return by_acronym


def _services() -> dict[str, Service]:
    """The demo services the cells point at, by key."""
    keys = {key for spec in PATHWAYS for row in spec.rows for key in row[3]}
    by_uuid = {demo_uuid("service", key): key for key in keys}
    services = {by_uuid[s.uuid]: s for s in Service.objects.filter(uuid__in=by_uuid)}
    missing = keys - set(services)
    if missing:
        raise ImproperlyConfigured(
            f"Demo services missing (load the directory demo first): {sorted(missing)}"
        )
    return services


def _terms() -> dict[str, TaxonomyTerm]:
    wanted = {profile for spec in PATHWAYS for row in spec.rows for profile in row[2]}
    terms = {
        term.code: term
        for term in TaxonomyTerm.objects.filter(
            taxonomy__code=Taxonomy.POPULATION, code__in=wanted
        ).select_related("taxonomy")
    }
    missing = wanted - set(terms)
    if missing:
        raise ImproperlyConfigured(f"Taxonomy terms missing (run migrate first): {sorted(missing)}")
    return terms


def _areas() -> dict[str, AdminArea]:
    wanted = {spec.admin1 for spec in PATHWAYS}
    areas = {area.code: area for area in AdminArea.objects.filter(code__in=wanted)}
    missing = wanted - set(areas)
    if missing:
        raise ImproperlyConfigured(f"Admin areas missing (run migrate first): {sorted(missing)}")
    return areas


def _pathway(
    spec: DemoPathway,
    organizations: dict[str, Organization],
    services: dict[str, Service],
    terms: dict[str, TaxonomyTerm],
    areas: dict[str, AdminArea],
    now: datetime,
) -> Pathway:
    pathway, _created = Pathway.objects.update_or_create(
        uuid=demo_uuid("pathway", spec.key),
        defaults={
            "title_es": spec.title_es,
            "title_en": spec.title_en,
            "theme": spec.theme,
            "country": areas[spec.admin1].country,
            "admin1": areas[spec.admin1],
            "scope_note": spec.scope_note,
            "notes_es": spec.notes_es,
            "notes_en": spec.notes_en,
            "illustrative": True,
            "verified_at": _noon(now, spec.verified_days),
        },
    )
    wanted: dict[tuple[int, int], tuple[Organization, TaxonomyTerm, int, list[Service]]] = {}
    for acronym, role, profiles, service_keys in spec.rows:
        organization = organizations[acronym]
        for code in profiles:
            profile = terms[code]
            wanted[(organization.pk, profile.pk)] = (
                organization,
                profile,
                role,
                [services[key] for key in service_keys],
            )
    existing = {
        (cell.organization_id, cell.profile_id): cell
        for cell in PathwayCell.objects.filter(pathway=pathway)
        .select_related("organization", "profile__taxonomy")
        .prefetch_related("services")
    }
    for key, (organization, profile, role, cell_services) in wanted.items():
        cell = existing.get(key)
        same = (
            cell is not None
            and cell.role == role
            and {s.pk for s in cell.services.all()} == {s.pk for s in cell_services}
        )
        if not same:
            actions.set_pathway_cell(None, pathway, organization, profile, role, cell_services)
    for key, cell in existing.items():
        if key not in wanted:
            actions.set_pathway_cell(None, pathway, cell.organization, cell.profile, None)
    if pathway.status != PathwayStatus.PUBLISHED:
        actions.set_pathway_status(None, pathway, PathwayStatus.PUBLISHED)
    return pathway


def load_demo(now: datetime | None = None) -> DemoSummary:
    """Create or update the illustrative pathways; safe to run again."""
    now = now or timezone.now()
    with transaction.atomic():
        organizations = _organizations()
        services = _services()
        terms = _terms()
        areas = _areas()
        for spec in PATHWAYS:
            _pathway(spec, organizations, services, terms, areas, now)
        cells = PathwayCell.objects.filter(
            pathway__uuid__in=[demo_uuid("pathway", p.key) for p in PATHWAYS]
        ).count()
    return DemoSummary(pathways=len(PATHWAYS), cells=cells)
