"""Demo good practices: BP5_PC as seed 004 writes it, and the practices of seed 002
(the MIRPS inventory of good practices shown at the San Salvador learning event).

BP5_PC carries every field of the template as the seed gives it (Spanish; English title
and keywords added so English search finds it); its SDG relation is empty because the
seed leaves it empty. The seed-002 practices carry only what the seed says; their
themes, IASC layers, SDGs and Global Compact objectives are our classification, not
the source's, so they are marked ``illustrative`` ("the sources give no detail").

``load_practices_demo()`` is idempotent (stable UUIDs, update-or-create, relations set
to the same values), ``remove_practices_demo()`` deletes exactly these practices.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from ruta.agencies.demo import DEMO_ORGANIZATIONS
from ruta.agencies.models import Organization
from ruta.lib.demo import Removed
from ruta.practices.actions import refresh_search_text
from ruta.practices.models import (
    SDG,
    GCMObjective,
    GuidingPrinciple,
    IascLayer,
    Practice,
    PracticeCountry,
    PracticeStatus,
    Theme,
)

NAMESPACE = uuid.UUID("0d6c9a8e-2b1f-5d4e-8c3a-7e9f1b2a4c60")
UTC = dt.UTC

BP5_PC: dict[str, Any] = {
    "code": "BP5_PC",
    "owner": "OIM Ecuador",
    "organizations": ["OIM Ecuador"],
    "other_organizations": "Socios Implementadores, entidades financieras",
    "countries": ["EC"],
    "territories": (
        "Quito, Tulcán, Huaquillas, Lago Agrio, Ibarra, Guayaquil, Manta, Machala, Cuenca, Quevedo"
    ),
    "themes": ["mhpss", "cash-assistance"],
    "layers": [3],
    "sdgs": [],
    "gcm": [7, 19],
    "principles": ["people-centred"],
    "published": dt.datetime(2024, 6, 3, 15, 0, tzinfo=UTC),
    "illustrative": False,
    "title_es": (
        "Diseñar y ejecutar actividades de estabilización psicosocial a las/os beneficiarias/os "
        "de PTM (Programas de Transferencias Monetarias) a través de asistencia psicosocial "
        "hasta que la transferencia pueda ser entregada."
    ),
    "title_en": (
        "Design and run psychosocial stabilization activities for recipients of cash-based "
        "transfer programmes (CBT) through psychosocial assistance until the transfer can be "
        "delivered."
    ),
    "area_es": "Protección",
    "area_en": "Protection",
    "finding_es": (
        "Se evidencia que los retrasos generados por los procesos administrativos de "
        "aprobación y reportes pueden demorar la entrega de PTM a la población beneficiaria. "
        "Algunos Socios Implementadores aplican mecanismos de estabilización psicosocial "
        "mientras se realiza la entrega de PTM."
    ),
    "context_es": (
        "Los procesos administrativos de OIM requieren del cumplimiento de varias actividades "
        "para su tramitación. Los procesos administrativos en ocasiones demoran la entrega de "
        "asistencias."
    ),
    "applicability_es": (
        "Diseñar y estandarizar mecanismos de respuesta ante potenciales retrasos de entrega "
        "de PTM para implementar protocolos de estabilización psicosocial a la población "
        "beneficiaria que lo requiere durante el proceso. Es de vital importancia identificar "
        "y mapear las necesidades de las y los beneficiarios durante el proceso de entrega de "
        "la asistencia para determinar la aplicabilidad y pertinencia de procesos de "
        "estabilización."
    ),
    "cause_effect_es": (
        "La entrega de las PTM puede verse afectada por el tiempo que toma cumplir con los "
        "procesos administrativos. Esto genera la necesidad de estabilización en algunos casos "
        "de las/os beneficiarias/os hasta realizar la entrega de la intervención."
    ),
    "contribution_es": (
        "Cantidad de mecanismos de estabilización aplicados a población beneficiaria de PTM, "
        "como resultado de una valoración de vulnerabilidades y necesidades.\n"
        "Cantidad de personas que reciben procesos de estabilización hasta que reciben "
        "asistencia de PTM."
    ),
    "effectiveness_es": (
        "Las actividades de estabilización psicosocial son efectivas porque aportan a "
        "disminuir los efectos negativos de la espera de la asistencia a la vez que aportan a "
        "solucionar problemáticas más profundas de la población beneficiaria."
    ),
    "target_description_es": (
        "Asistencia psicosocial. Las asistencias están enfocadas principalmente a mujeres "
        "solas cabezas de hogar, población con discapacidad o enfermedades crónicas, NNA, "
        "adultos mayores y población LGBTIQ+, que se encuentran en las Provincias de frontera "
        "(Carchi, Sucumbíos, El Oro) y Provincias de alta presencia de población beneficiaria "
        "con vocación de permanencia."
    ),
    "people_reached": 2100,
    "target_type_es": "PTM",
    "target_type_en": "Cash-based transfers (CBT)",
    "actors_es": "OIM, Socios Implementadores, entidades financieras.",
    "budget_amount": Decimal("15000"),
    "budget_currency": "USD",
    "replication_potential_es": (
        "Por instituciones y organizaciones que trabajan en el ámbito de la movilidad humana."
    ),
    "institutional_linkage_es": (
        "La estabilización psicosocial de beneficiarias/os de PTM aporta al éxito de la "
        "asistencia en la medida que reduce los riesgos y consecuencias derivadas de "
        "potenciales retrasos."
    ),
    "differentiating_factors_es": (
        "El interés de OIM por garantizar la entrega de PTM se traduce también en el "
        "acompañamiento a los Socios Implementadores para institucionalizar mecanismos de "
        "estabilización psicosocial."
    ),
    "sustainability": "medium",
    "sustainability_notes_es": (
        "La ejecución de esta buena práctica, nace en respuesta a un problema operacional de "
        "índole administrativo, su implementación implica el uso de recursos adicionales por "
        "parte de los Socios Implementadores."
    ),
    "keywords_es": "Asistencia psicosocial, estabilización, PTM.",
    "keywords_en": "Psychosocial assistance, stabilization, cash-based transfers.",
}

MIRPS_PUBLISHED = dt.datetime(2023, 9, 26, 15, 0, tzinfo=UTC)
MIRPS_AREA = {
    "area_es": "Inventario MIRPS de buenas prácticas",
    "area_en": "MIRPS inventory of good practices",
}


def _mirps(code: str, **fields: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "code": code,
        "owner": None,
        "organizations": [],
        "published": MIRPS_PUBLISHED,
        "illustrative": True,
        "principles": [],
        "layers": [],
        **MIRPS_AREA,
    }
    spec.update(fields)
    return spec


SEED_002: list[dict[str, Any]] = [
    _mirps(
        "MIRPS_SV1",
        title_es="Protocolo interinstitucional de atención integral a personas refugiadas y solicitantes de asilo (CODER)",
        title_en="Inter-institutional protocol for comprehensive support to refugees and asylum-seekers (CODER)",
        other_organizations="Comisión para la Determinación de la Condición de Personas Refugiadas (CODER), ACNUR",
        countries=["SV"],
        themes=["mhpss", "coordination", "policy"],
        layers=[1, 3],
        sdgs=[3, 10, 16],
        gcm=[7, 15],
        principles=["whole-of-government", "human-rights"],
        finding_en=(
            "Since March 2023, with the support of UNHCR, the Commission for the Determination "
            "of Refugee Status (CODER) has been working on the development of an "
            "inter-institutional protocol for providing comprehensive support to refugees and "
            "asylum-seekers, including psychosocial care. This protocol will help define the "
            "referral routes to the different national institutions that provide specific "
            "support and services."
        ),
        finding_es=(
            "Desde marzo de 2023, con el apoyo del ACNUR, la Comisión para la Determinación de "
            "la Condición de Personas Refugiadas (CODER) elabora un protocolo interinstitucional "
            "de atención integral a personas refugiadas y solicitantes de asilo, que incluye la "
            "atención psicosocial. El protocolo ayudará a definir las rutas de derivación hacia "
            "las distintas instituciones nacionales que prestan apoyos y servicios específicos."
        ),
    ),
    _mirps(
        "MIRPS_SV2",
        title_es="Espacios de apoyo «A tu Lado»",
        title_en="'A tu Lado' support spaces",
        other_organizations="Gobierno de El Salvador",
        countries=["SV"],
        territories="San Salvador, Santa Ana, San Vicente, San Miguel",
        themes=["mhpss", "community-based"],
        layers=[2, 3],
        sdgs=[3, 10, 16],
        gcm=[7, 15, 16],
        finding_en=(
            'In San Salvador, Santa Ana, San Vicente and San Miguel, "A tu Lado" support '
            "spaces offer comprehensive assistance at the local level to internally displaced "
            "persons, those at risk of displacement, asylum-seekers, refugees and returnees "
            "with protection needs."
        ),
        finding_es=(
            "En San Salvador, Santa Ana, San Vicente y San Miguel, los espacios de apoyo «A tu "
            "Lado» brindan asistencia integral en el ámbito local a personas desplazadas "
            "internas, personas en riesgo de desplazamiento, solicitantes de asilo, refugiadas "
            "y retornadas con necesidades de protección."
        ),
    ),
    _mirps(
        "MIRPS_SV3",
        title_es="Curso para personal de salud sobre desplazamiento forzado, derecho y salud",
        title_en="Training for health personnel on forced displacement, law and health",
        other_organizations="Ministerio de Salud de El Salvador",
        countries=["SV"],
        themes=["capacity-building", "mhpss", "gbv"],
        layers=[3, 4],
        sdgs=[3, 5],
        gcm=[15, 17],
        principles=["gender-responsive", "human-rights"],
        people_reached=584,
        target_type_es="Funcionarias y funcionarios del Ministerio de Salud sensibilizados (2022)",
        target_type_en="Ministry of Health officials sensitized (2022)",
        finding_en=(
            "In 2022, 584 officials of the Ministry of Health were sensitized through a course "
            "on forced displacement, law, and health in order to help provide specialized "
            "health services in an inclusive manner to displaced persons who require medical "
            "and psychosocial care. The course consists of five modules, including a module on "
            "comprehensive health care with a focus on rights and gender considerations for "
            "women and girls in situations of forced displacement who are affected by "
            "gender-based violence."
        ),
        finding_es=(
            "En 2022, 584 funcionarias y funcionarios del Ministerio de Salud fueron "
            "sensibilizados mediante un curso sobre desplazamiento forzado, derecho y salud, "
            "para prestar de manera inclusiva servicios de salud especializados a personas "
            "desplazadas que requieren atención médica y psicosocial. El curso tiene cinco "
            "módulos, entre ellos uno sobre atención integral en salud con enfoque de derechos "
            "y de género para mujeres y niñas desplazadas afectadas por violencia basada en "
            "género."
        ),
        effectiveness_en=(
            "As a result, officials from the Ministry of Health have the required training to "
            "provide timely quality care and make relevant referrals."
        ),
        effectiveness_es=(
            "Como resultado, el personal del Ministerio de Salud cuenta con la formación "
            "necesaria para brindar atención oportuna y de calidad y realizar las derivaciones "
            "pertinentes."
        ),
    ),
    _mirps(
        "MIRPS_SV4",
        title_es="«126 Orienta»: atención a la violencia basada en género mediante plataformas digitales (Sin Fronteras)",
        title_en="'126 Orienta': addressing gender-based violence through digital platforms (Sin Fronteras)",
        other_organizations=(
            "Instituto Salvadoreño para el Desarrollo de la Mujer (ISDEMU), Ministerio de "
            "Relaciones Exteriores de El Salvador, Banco Interamericano de Desarrollo (BID)"
        ),
        countries=["SV"],
        territories="126teorienta.gob.sv",
        themes=["gbv", "digital-remote", "mhpss"],
        layers=[2, 3],
        sdgs=[5, 10, 16],
        gcm=[3, 7, 14],
        principles=["gender-responsive"],
        finding_en=(
            'This initiative, "126 Orienta", seeks to provide guidance and support to women '
            "from El Salvador that may be victims of gender-based violence in transit and/or "
            "destination countries through digital platforms (126teorienta.gob.sv). In this "
            "framework, ISDEMU and the Ministry of Foreign Relations of El Salvador have "
            "established a response mechanism, including on issues of psychosocial support."
        ),
        finding_es=(
            "La iniciativa «126 Orienta» busca orientar y apoyar, mediante plataformas "
            "digitales (126teorienta.gob.sv), a mujeres salvadoreñas que puedan ser víctimas de "
            "violencia basada en género en países de tránsito o destino. En este marco, el "
            "ISDEMU y el Ministerio de Relaciones Exteriores de El Salvador establecieron un "
            "mecanismo de respuesta que incluye el apoyo psicosocial."
        ),
    ),
    _mirps(
        "MIRPS_PA1",
        title_es="Norma técnica para la atención de la salud mental de la población migrante y refugiada en Panamá",
        title_en="Technical Standard for Mental Health Care for the Migrant and Refugee Population in Panama",
        other_organizations="Ministerio de Salud de Panamá",
        countries=["PA"],
        themes=["policy", "mhpss", "community-based"],
        layers=[2, 3, 4],
        sdgs=[3, 10],
        gcm=[15, 16],
        principles=["whole-of-society", "human-rights"],
        finding_en=(
            'In 2021, Panama adopted the "Technical Standard for Mental Health Care for the '
            'Migrant and Refugee Population in Panama", which instructs the regional offices '
            "of the Ministry of Health to produce related statistics and for institutions, "
            "NGOs, and local communities to be involved in a comprehensive approach to mental "
            "health, which emphasizes prevention, referral systems, universal access, and "
            "community-based initiatives."
        ),
        finding_es=(
            "En 2021 Panamá adoptó la «Norma técnica para la atención de la salud mental de la "
            "población migrante y refugiada en Panamá», que instruye a las regiones de salud "
            "del Ministerio de Salud a producir estadísticas al respecto y a instituciones, ONG "
            "y comunidades locales a participar en un abordaje integral de la salud mental que "
            "enfatiza la prevención, los sistemas de derivación, el acceso universal y las "
            "iniciativas comunitarias."
        ),
        contribution_en=(
            "The protocol provides mental health professionals with specialized tools and "
            "support to work with these populations to address the consequences of their "
            "forced displacement, address their integration challenges within the national "
            "public health system, and invest in related support systems and host community "
            "capacities."
        ),
        contribution_es=(
            "El protocolo brinda a profesionales de salud mental herramientas especializadas y "
            "apoyo para trabajar con estas poblaciones: atender las consecuencias del "
            "desplazamiento forzado, los desafíos de integración en el sistema público de "
            "salud, e invertir en sistemas de apoyo y en las capacidades de la comunidad de "
            "acogida."
        ),
    ),
    _mirps(
        "MIRPS_MX1",
        title_es="Mesas interinstitucionales sobre refugio y protección complementaria: acceso a servicios de salud mental",
        title_en="Inter-institutional roundtables on refuge and complementary protection: access to mental health services",
        other_organizations=(
            "Comisión Mexicana de Ayuda a Refugiados (COMAR), Secretariado Técnico del Consejo "
            "Nacional de Salud Mental, organizaciones de la sociedad civil, organismos "
            "internacionales"
        ),
        countries=["MX"],
        themes=["coordination", "mhpss", "policy"],
        layers=[1, 4],
        sdgs=[3, 16, 17],
        gcm=[15, 23],
        principles=["whole-of-government", "international-cooperation"],
        finding_en=(
            "Mexico has established Inter-institutional Roundtables on Refuge and Complementary "
            "Protection, comprised of federal agencies, civil society organizations and "
            "international organizations, to promote a coordinated approach for identifying "
            "and responding to the gaps faced by people in need of international protection at "
            "the federal level. Under the umbrella of the roundtable on health services, work "
            "is underway to establish coordination mechanisms to support refugees with mental "
            "health care needs."
        ),
        finding_es=(
            "México estableció Mesas Interinstitucionales sobre Refugio y Protección "
            "Complementaria, integradas por dependencias federales, organizaciones de la "
            "sociedad civil y organismos internacionales, para coordinar la identificación y "
            "respuesta a las brechas que enfrentan las personas con necesidad de protección "
            "internacional en el ámbito federal. En la mesa de servicios de salud se trabaja en "
            "mecanismos de coordinación para apoyar a personas refugiadas con necesidades de "
            "atención en salud mental."
        ),
        institutional_linkage_en=(
            "In its MIRPS National Action Plan, COMAR, in collaboration with the Technical "
            "Secretariat of the National Mental Health Council, has committed to carrying out "
            "actions aimed at ensuring access to mental health services for asylum-seekers, "
            "refugees, and beneficiaries of complementary protection."
        ),
        institutional_linkage_es=(
            "En su Plan de Acción Nacional MIRPS, la COMAR, junto con el Secretariado Técnico "
            "del Consejo Nacional de Salud Mental, se comprometió a realizar acciones para "
            "garantizar el acceso a servicios de salud mental de solicitantes de asilo, "
            "personas refugiadas y beneficiarias de protección complementaria."
        ),
    ),
    _mirps(
        "MIRPS_GT1",
        title_es="Casa Joven: apoyo a adolescentes y jóvenes en Amatitlán",
        title_en="Casa Joven: support to adolescents and youth in Amatitlán",
        other_organizations="Secretaría de Bienestar Social de la Presidencia de la República",
        countries=["GT"],
        territories="Amatitlán",
        themes=["child-protection", "mhpss", "community-based"],
        layers=[2, 3],
        sdgs=[3, 4, 10],
        gcm=[7, 16],
        principles=["child-sensitive"],
        people_reached=749,
        target_type_es="Personas que recibieron atención psicosocial (2022)",
        target_type_en="People who received psychosocial attention (2022)",
        finding_en=(
            "Casa Joven in Amatitlán, led by the Social Welfare Secretariat of the Presidency "
            "of the Republic, supports adolescents and youth in vulnerable situations by "
            "offering a wide range of programming including psychosocial support, technical "
            "training, and educational, cultural, and support activities. In 2022, 749 "
            "individuals received psychosocial attention."
        ),
        finding_es=(
            "Casa Joven, en Amatitlán, a cargo de la Secretaría de Bienestar Social de la "
            "Presidencia de la República, apoya a adolescentes y jóvenes en situación de "
            "vulnerabilidad con una amplia oferta: apoyo psicosocial, formación técnica y "
            "actividades educativas, culturales y de acompañamiento. En 2022, 749 personas "
            "recibieron atención psicosocial."
        ),
    ),
    _mirps(
        "MIRPS_UNICEF1",
        title_es="Guía de apoyo psicosocial para niñas, niños y adolescentes desplazados (UNICEF)",
        title_en="Guide on psychosocial support for displaced girls, boys and adolescents (UNICEF)",
        other_organizations="UNICEF",
        countries=[],
        themes=["child-protection", "gbv", "digital-remote", "mhpss"],
        layers=[3],
        sdgs=[3, 5, 16],
        gcm=[7],
        principles=["child-sensitive", "gender-responsive"],
        finding_en=(
            "As part of the MIRPS Advisory Panel, UNICEF has shared its Guide on psychosocial "
            "support for displaced girls, boys, and adolescents, which aims to establish the "
            "principles, criteria and methodological processes for the psychological and "
            "social support required by children and adolescents in contexts of human mobility "
            "(migrants, refugees, and other forcibly displaced persons) who have survived "
            "gender-based violence (GBV)."
        ),
        finding_es=(
            "Como parte del Panel Asesor del MIRPS, UNICEF compartió su Guía de apoyo "
            "psicosocial para niñas, niños y adolescentes desplazados, que establece los "
            "principios, criterios y procesos metodológicos del apoyo psicológico y social que "
            "requieren niñas, niños y adolescentes en contextos de movilidad humana (migrantes, "
            "refugiados y otras personas desplazadas por la fuerza) sobrevivientes de violencia "
            "basada en género (VBG)."
        ),
        applicability_en=(
            "The guide develops and describes the phases and forms of remote psychosocial "
            "care, and facilitates understanding of the psychosocial care model for its "
            "appropriate application in different contexts and according to the needs of girls "
            "and adolescent survivors of GBV specifically in the context of human mobility."
        ),
        applicability_es=(
            "La guía desarrolla y describe las fases y formas de la atención psicosocial a "
            "distancia y facilita la comprensión del modelo de atención psicosocial para "
            "aplicarlo adecuadamente en distintos contextos y según las necesidades de niñas y "
            "adolescentes sobrevivientes de VBG en contextos de movilidad humana."
        ),
    ),
    _mirps(
        "MIRPS_CA1",
        title_es="Mejorar la salud mental y el bienestar de niñas y niños refugiados y sus familias (proyecto piloto)",
        title_en="Enhancing the mental health and wellbeing of refugee children and their families (pilot project)",
        other_organizations="Gobierno de Canadá (Plataforma de Apoyo del MIRPS)",
        countries=["CA"],
        themes=["child-protection", "mhpss"],
        layers=[3, 4],
        sdgs=[3, 10],
        gcm=[15, 16],
        principles=["child-sensitive"],
        finding_en=(
            'The pilot project "Enhancing the mental health and wellbeing of refugee children '
            "and their families in smaller sized Canadian cities through innovative play and "
            'art therapy program intervention" tested the use of creative arts therapies to '
            "support the mental health needs of refugee children and to reduce barriers and "
            "ensure mental health supports are equitably distributed."
        ),
        finding_es=(
            "El proyecto piloto «Mejorar la salud mental y el bienestar de niñas y niños "
            "refugiados y sus familias en ciudades canadienses pequeñas mediante una "
            "intervención innovadora de terapia de juego y arte» probó las terapias de artes "
            "creativas para atender las necesidades de salud mental de la niñez refugiada, "
            "reducir barreras y distribuir equitativamente los apoyos en salud mental."
        ),
        effectiveness_en=(
            "The project provided an effective model for providing art-based therapy directed "
            "at newcomer children and youth, by tailoring existing play-based therapies to "
            "address the specific concerns of newcomers."
        ),
        effectiveness_es=(
            "El proyecto ofreció un modelo eficaz de terapia basada en el arte para niñas, "
            "niños y jóvenes recién llegados, adaptando terapias de juego existentes a sus "
            "preocupaciones específicas."
        ),
        replication_potential_en=(
            "MIRPS countries expressed interest in this practice; it completed its "
            "implementation and review period and can inform adaptation to other settings."
        ),
        replication_potential_es=(
            "Los países del MIRPS expresaron interés en esta práctica; completó su "
            "implementación y revisión y puede orientar su adaptación a otros contextos."
        ),
    ),
]

PRACTICES: list[dict[str, Any]] = [BP5_PC, *SEED_002]
_RELATION_KEYS = {
    "owner",
    "organizations",
    "countries",
    "themes",
    "layers",
    "sdgs",
    "gcm",
    "principles",
    "published",
}


def demo_uuid(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"practice:{code}")


@dataclass
class PracticesDemo:
    practices: int = 0
    created: int = 0
    illustrative: int = 0

    def describe(self) -> str:
        return (
            f"Practices demo: {self.practices} published good practices "
            f"({self.created} created, {self.illustrative} illustrative)."
        )


def _organization(acronym: str) -> Organization:
    for name, short, kind, website in DEMO_ORGANIZATIONS:
        if short == acronym:
            organization, _created = Organization.objects.get_or_create(
                name=name,
                defaults={"acronym": short, "type": kind, "website": website, "countries": ["EC"]},
            )
            return organization
    raise LookupError(acronym)


def _load_one(spec: dict[str, Any]) -> tuple[Practice, bool]:
    fields = {k: v for k, v in spec.items() if k not in _RELATION_KEYS}
    owner = _organization(spec["owner"]) if spec.get("owner") else None
    defaults = {
        "uuid": demo_uuid(spec["code"]),
        "owner": owner,
        "status": PracticeStatus.PUBLISHED,
        "published_at": spec["published"],
        **fields,
    }
    practice = Practice.objects.filter(code=spec["code"]).first()
    created = practice is None
    if practice is None:
        practice = Practice(**defaults)
        practice.save()
    else:
        changed = [name for name, value in defaults.items() if getattr(practice, name) != value]
        for name in changed:
            setattr(practice, name, defaults[name])
        if changed:
            practice.save()
    practice.organizations.set([_organization(a) for a in spec.get("organizations", [])])
    practice.themes.set(Theme.objects.filter(code__in=spec.get("themes", [])))
    practice.iasc_layers.set(IascLayer.objects.filter(number__in=spec.get("layers", [])))
    practice.sdgs.set(SDG.objects.filter(number__in=spec.get("sdgs", [])))
    practice.gcm_objectives.set(GCMObjective.objects.filter(number__in=spec.get("gcm", [])))
    practice.guiding_principles.set(
        GuidingPrinciple.objects.filter(code__in=spec.get("principles", []))
    )
    codes = spec.get("countries", [])
    practice.countries.exclude(code__in=codes).delete()
    for code in codes:
        PracticeCountry.objects.get_or_create(practice=practice, code=code)
    text = practice.search_text
    refresh_search_text(practice)
    if practice.search_text != text:
        practice.refresh_from_db()
    return practice, created


def load_practices_demo() -> PracticesDemo:
    """Create or update the demo practices (published); safe to run again."""
    summary = PracticesDemo()
    with transaction.atomic():
        for spec in PRACTICES:
            practice, created = _load_one(spec)
            summary.practices += 1
            summary.created += created
            summary.illustrative += practice.illustrative
    return summary


def remove_practices_demo() -> int:
    """Delete the demo practices; returns how many were deleted."""
    codes = [spec["code"] for spec in PRACTICES]
    uuids = [demo_uuid(code) for code in codes]
    deleted = 0
    with transaction.atomic():
        for practice in Practice.objects.filter(code__in=codes, uuid__in=uuids):
            for attachment in practice.attachments.all():
                attachment.file.delete(save=False)
            practice.delete()
            deleted += 1
    return deleted


def load_demo() -> PracticesDemo:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_practices_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("practices", remove_practices_demo())
