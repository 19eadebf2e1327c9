"""The organizations of the GTRM Peru MHPSS community of practice still active in 2024 (seeds 000/001)."""

from __future__ import annotations

from ruta.agencies.models import Organization
from ruta.agencies.models import OrganizationType as T

# (name, acronym, type, website)
DEMO_ORGANIZATIONS: list[tuple[str, str, str, str]] = [
    (
        "GTRM Perú — Grupo de Trabajo para Refugiados y Migrantes",
        "GTRM",
        T.UN_AGENCY,
        "https://www.r4v.info/es/peru",
    ),
    ("ACNUR Perú", "ACNUR", T.UN_AGENCY, "https://www.acnur.org/pais/peru"),
    ("CCEFIRO", "CCEFIRO", T.NGO, "https://ccefiro.blogspot.com"),
    ("Centro de Atención Psicosocial", "CAPS", T.NGO, "https://www.caps.org.pe"),
    ("HIAS Perú", "HIAS", T.NGO, "https://www.facebook.com/hiasperu"),
    (
        "Libremente / bienestar psicosocial",
        "Libremente",
        T.CIVIL_SOCIETY,
        "https://www.libremente.pe",
    ),
    ("Veneactiva", "Veneactiva", T.COMMUNITY_LED, "https://www.veneactiva.org"),
    ("Aldeas Infantiles SOS Perú", "Aldeas SOS", T.NGO, "https://www.aldeasinfantiles.org.pe/"),
    ("CARE Perú", "CARE", T.NGO, "https://www.care.org.pe"),
    ("Humanity & Inclusion", "HI", T.NGO, "https://hi-lac.org/peru/"),
    ("International Rescue Committee", "IRC", T.NGO, "https://www.rescue.org/country/peru"),
    ("ADRA Perú", "ADRA", T.NGO, "https://adra.org.pe/"),
    ("Demuna de Carmen de la Legua Reynoso - Callao", "DEMUNA CLR", T.GOVERNMENT, ""),
    ("Caritas Chiclayo", "Caritas Chiclayo", T.CIVIL_SOCIETY, "https://caritaschiclayo.org.pe/"),
    (
        "Encuentros Servicio Jesuita a Migrantes",
        "Encuentros SJM",
        T.CIVIL_SOCIETY,
        "https://www.encuentros-sjs.org/",
    ),
]

# Organizations the directory demo needs (seeds 000/001 presenters; seed 004, IOM Ecuador).
DEMO_ORGANIZATIONS += [
    ("Save the Children Perú", "Save the Children", T.NGO, "https://www.savethechildren.org.pe"),
    (
        "Organización Internacional para las Migraciones — OIM Perú",
        "OIM",
        T.UN_AGENCY,
        "https://peru.iom.int",
    ),
    (
        "Centro de Salud Mental Comunitario Carmen de la Legua",
        "CSMC Carmen de la Legua",
        T.GOVERNMENT,
        "",
    ),
    ("OIM Ecuador", "OIM Ecuador", T.UN_AGENCY, "https://ecuador.iom.int"),
    ("HIAS Ecuador", "HIAS Ecuador", T.NGO, "https://hias.org/where/ecuador/"),
]

DEMO_PASSWORD = "demo-ruta-2026"  # noqa: S105  (refused unless RUTA_DEMO)

# (email, full name, role, organization acronym)
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("admin@ruta.example.org", "Administración Ruta", "admin", "GTRM"),
    ("coordinacion@ruta.example.org", "Coordinación SMAPS", "coordinator", "GTRM"),
    ("analista@ruta.example.org", "Analista M&E", "analyst", "GTRM"),
]
for _acronym, _slug in (("CARE", "care"), ("HIAS", "hias")):
    DEMO_USERS += [
        (f"admin.{_slug}@ruta.example.org", f"Admin {_acronym}", "agency_admin", _acronym),
        (
            f"supervision.{_slug}@ruta.example.org",
            f"Supervisión {_acronym}",
            "supervisor",
            _acronym,
        ),
        (
            f"gestion.{_slug}@ruta.example.org",
            f"Gestión de casos {_acronym}",
            "caseworker",
            _acronym,
        ),
        (f"linea.{_slug}@ruta.example.org", f"Línea {_acronym}", "helpline", _acronym),
    ]


def load_organizations() -> tuple[dict[str, Organization], int]:
    """Create or refresh the demo organizations: (each by acronym, how many were new)."""
    by_acronym: dict[str, Organization] = {}
    created_count = 0
    for name, acronym, kind, website in DEMO_ORGANIZATIONS:
        organization, created = Organization.objects.update_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "type": kind,
                "website": website,
                "countries": ["PE"],
                "active": True,
            },
        )
        created_count += created
        by_acronym[acronym] = organization
    return by_acronym, created_count
