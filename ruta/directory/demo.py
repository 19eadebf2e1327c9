"""Illustrative directory data: services and two referral pathways for the demo.

Everything here is fictional although shaped on the seeds: the organizations of the GTRM
Peru MHPSS community of practice (seeds 000/001), seed 003's service-mapping matrix and
IOM Ecuador's good practice BP5_PC with its ten territories (seed 004). Phones are
``+51 900 000 0xx`` / ``+593 990 000 0xx`` / ``0800 00 0xx``, e-mails end in
``@example.org``, addresses are made up and every service is marked ``illustrative``.

``load_directory_demo()`` is idempotent: stable UUIDs (uuid5 of a fixed namespace and a
key), create-or-update, and it only calls an action when something differs, so a second
run adds no row, no change-history entry and no audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ruta.agencies.demo import DEMO_ORGANIZATIONS
from ruta.agencies.models import Organization
from ruta.directory import actions
from ruta.directory.models import (
    IntakeStatus,
    Location,
    Pathway,
    PathwayCell,
    PathwayStatus,
    PathwayTheme,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from ruta.places.demo import areas_by_code
from ruta.places.models import AdminArea

NAMESPACE = uuid.UUID("6f1d2b7e-4c1a-5e8b-9a53-2d0f3c6b8e41")

# Organizations (by acronym) that work in Ecuador only.
ECUADOR_ORGANIZATIONS = ("OIM Ecuador", "HIAS Ecuador")


def demo_uuid(kind: str, key: str) -> uuid.UUID:
    """The stable id of a demo row: the same on every machine and every run."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


# --- Places ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    city: str
    district: str
    country: str
    admin1: str
    point: tuple[float, float]
    accessible: bool = True


PLACES: dict[str, Place] = {
    # Lima Metropolitana, Callao and Lima region
    "lima-cercado": Place("Lima", "Cercado de Lima", "PE", "PE-LMA", (-12.0464, -77.0428)),
    "jesus-maria": Place("Lima", "Jesús María", "PE", "PE-LMA", (-12.0760, -77.0440)),
    "pueblo-libre": Place("Lima", "Pueblo Libre", "PE", "PE-LMA", (-12.0740, -77.0630), False),
    "brena": Place("Lima", "Breña", "PE", "PE-LMA", (-12.0590, -77.0500)),
    "sjl": Place("Lima", "San Juan de Lurigancho", "PE", "PE-LMA", (-11.9830, -77.0060), False),
    "los-olivos": Place("Lima", "Los Olivos", "PE", "PE-LMA", (-11.9690, -77.0730)),
    "comas": Place("Lima", "Comas", "PE", "PE-LMA", (-11.9330, -77.0500), False),
    "chorrillos": Place("Lima", "Chorrillos", "PE", "PE-LMA", (-12.1690, -77.0240)),
    "miraflores": Place("Lima", "Miraflores", "PE", "PE-LMA", (-12.1210, -77.0300)),
    "carmen-legua": Place(
        "Callao", "Carmen de la Legua Reynoso", "PE", "PE-CAL", (-12.0440, -77.0930)
    ),
    "callao": Place("Callao", "Callao Cercado", "PE", "PE-CAL", (-12.0560, -77.1180)),
    "huaral": Place("Huaral", "Huaral", "PE", "PE-LIM", (-11.4950, -77.2070), False),
    # North and south borders, Arequipa, Chiclayo
    "tumbes": Place("Tumbes", "Tumbes", "PE", "PE-TUM", (-3.5669, -80.4515)),
    "aguas-verdes": Place("Aguas Verdes", "Aguas Verdes", "PE", "PE-TUM", (-3.4810, -80.2450)),
    "tacna": Place("Tacna", "Tacna", "PE", "PE-TAC", (-18.0066, -70.2463)),
    "arequipa": Place("Arequipa", "Cercado de Arequipa", "PE", "PE-ARE", (-16.3989, -71.5350)),
    "cerro-colorado": Place(
        "Arequipa", "Cerro Colorado", "PE", "PE-ARE", (-16.3760, -71.5600), False
    ),
    "chiclayo": Place("Chiclayo", "Chiclayo", "PE", "PE-LAM", (-6.7714, -79.8409)),
    # Ecuador: the territories of IOM's good practice BP5_PC (seed 004)
    "quito": Place("Quito", "La Mariscal", "EC", "EC-P", (-0.2030, -78.4910)),
    "tulcan": Place("Tulcán", "Tulcán", "EC", "EC-C", (0.8117, -77.7173)),
    "huaquillas": Place("Huaquillas", "Huaquillas", "EC", "EC-O", (-3.4760, -80.2300)),
    "lago-agrio": Place("Nueva Loja (Lago Agrio)", "Lago Agrio", "EC", "EC-U", (0.0847, -76.8828)),
    "ibarra": Place("Ibarra", "Ibarra", "EC", "EC-I", (0.3517, -78.1223)),
    "guayaquil": Place("Guayaquil", "Guayaquil", "EC", "EC-G", (-2.1894, -79.8891)),
    "manta": Place("Manta", "Tarqui", "EC", "EC-M", (-0.9560, -80.7150), False),
    "machala": Place("Machala", "Machala", "EC", "EC-O", (-3.2581, -79.9554)),
    "cuenca": Place("Cuenca", "Centro histórico", "EC", "EC-A", (-2.8974, -79.0045)),
    "quevedo": Place("Quevedo", "Quevedo", "EC", "EC-R", (-1.0225, -79.4604)),
}

STREETS = ("Av. Ejemplo", "Jr. Ilustrativo", "Calle Muestra", "Pasaje Demostración")
TIME_ZONES = {"PE": "America/Lima", "EC": "America/Guayaquil"}

# --- Opening hours -----------------------------------------------------------------------

WEEKDAYS = (1, 2, 3, 4, 5)
HOURS: dict[str, list[tuple[tuple[int, ...], str, str]]] = {
    "office": [(WEEKDAYS, "08:30", "17:00")],
    "split": [(WEEKDAYS, "08:00", "13:00"), (WEEKDAYS, "14:00", "17:00")],
    "extended": [((1, 2, 3, 4, 5, 6), "08:00", "20:00")],
    "office_sat": [(WEEKDAYS, "09:00", "18:00"), ((6,), "09:00", "13:00")],
    "afternoons": [((2, 4), "14:00", "18:00")],
    "mornings": [((1, 3, 5), "08:00", "12:30")],
    "saturday": [((6,), "09:00", "13:00")],
    "daily": [((1, 2, 3, 4, 5, 6, 7), "08:00", "18:00")],
    "long": [((1, 2, 3, 4, 5, 6, 7), "07:00", "22:00")],
    "24_7": [],
    "none": [],
}

# --- Services ----------------------------------------------------------------------------

ALL_PERU_AREAS = (
    "PE-LMA",
    "PE-LIM",
    "PE-CAL",
    "PE-TUM",
    "PE-PIU",
    "PE-LAM",
    "PE-LAL",
    "PE-ARE",
    "PE-TAC",
    "PE-CUS",
    "PE-ICA",
    "PE-JUN",
)
ALL_ECUADOR_AREAS = ("EC-P", "EC-C", "EC-O", "EC-U", "EC-I", "EC-G", "EC-M", "EC-A", "EC-R")
NNA_CONSENT_ES = "Con el consentimiento de madre, padre o persona cuidadora y el asentimiento de la niña o el niño."
NNA_CONSENT_EN = "With the consent of a parent or caregiver and the child's assent."
ID_ANY_ES = "Un documento de identidad de cualquier país (vigente o vencido)."


@dataclass(frozen=True)
class DemoService:
    key: str
    org: str  # organization acronym
    places: tuple[str, ...]
    name_es: str
    name_en: str
    description_es: str
    description_en: str
    sectors: tuple[str, ...]
    profiles: tuple[str, ...]
    layers: tuple[str, ...]
    modalities: tuple[str, ...] = ("in_person",)
    hours: str = "office"
    phones: tuple[str, ...] = ("call",)  # "call", "whatsapp" (call + WhatsApp) or "free"
    verified_days: int = 30
    fee: str = ""  # not empty: the service is not free
    documents: str = ""  # not empty: documents are required
    intake: str = IntakeStatus.ACCEPTING
    intake_reason: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    languages: tuple[str, ...] = ("es",)
    eligibility_es: str = ""
    eligibility_en: str = ""
    areas: tuple[str, ...] = ()  # admin1 areas reached beyond the locations
    site_note: str = ""

    @property
    def country(self) -> str:
        return PLACES[self.places[0]].country


SERVICES: list[DemoService] = [
    # --- Lima Metropolitana -----------------------------------------------------------
    DemoService(
        key="care-lma-vbg",
        org="CARE",
        places=("lima-cercado",),
        name_es="Gestión de casos de violencia basada en género",
        name_en="Gender-based violence case management",
        description_es="Acompañamiento centrado en la sobreviviente: evaluación, plan de seguridad, plan de acción y derivaciones con consentimiento informado.",
        description_en="Survivor-centred support: assessment, safety planning, action planning and referrals with informed consent.",
        sectors=("gbv_case_management", "psychosocial_support"),
        profiles=("women", "lgbtiq"),
        layers=("layer3",),
        modalities=("in_person", "by_phone"),
        hours="office",
        phones=("whatsapp",),
        verified_days=10,
        minimum_age=18,
        eligibility_es="Mujeres y personas LGBTIQ+ adultas, refugiadas, migrantes o de la comunidad de acogida.",
        eligibility_en="Adult women and LGBTIQ+ people: refugees, migrants or members of the host community.",
    ),
    DemoService(
        key="care-lma-alma-llanera",
        org="CARE",
        places=("sjl",),
        name_es="Alma Llanera: grupos de apoyo psicosocial para mujeres",
        name_en="Alma Llanera: psychosocial support groups for women",
        description_es="Ocho sesiones grupales de bienestar emocional y redes de apoyo, articuladas con los centros de salud mental comunitaria.",
        description_en="Eight group sessions on emotional wellbeing and support networks, linked to community mental health centres.",
        sectors=("psychosocial_support",),
        profiles=("women",),
        layers=("layer2",),
        hours="afternoons",
        phones=("whatsapp",),
        verified_days=35,
        minimum_age=18,
    ),
    DemoService(
        key="care-lma-medios",
        org="CARE",
        places=("lima-cercado",),
        name_es="Orientación para medios de vida y empleabilidad",
        name_en="Livelihoods and employability guidance",
        description_es="Orientación laboral, capital semilla para emprendimientos y talleres de educación financiera.",
        description_en="Job guidance, seed capital for small businesses and financial literacy workshops.",
        sectors=("livelihoods",),
        profiles=("women", "men", "lgbtiq"),
        layers=("layer1",),
        hours="split",
        verified_days=120,
        documents=ID_ANY_ES,
        minimum_age=18,
    ),
    DemoService(
        key="hias-lma-psi",
        org="HIAS",
        places=("jesus-maria",),
        name_es="Atención psicológica individual",
        name_en="Individual psychological care",
        description_es="Apoyo psicológico breve (hasta 8 sesiones) para personas refugiadas y migrantes, presencial o por videollamada.",
        description_en="Brief psychological support (up to 8 sessions) for refugees and migrants, in person or by video call.",
        sectors=("mental_health", "psychosocial_support"),
        profiles=("women", "men", "lgbtiq"),
        layers=("layer3",),
        modalities=("in_person", "online"),
        hours="office",
        phones=("whatsapp",),
        verified_days=20,
        intake=IntakeStatus.WAITING_LIST,
        intake_reason="Lista de espera de dos a tres semanas; las situaciones urgentes se atienden el mismo día.",
        languages=("es", "en"),
        minimum_age=18,
    ),
    DemoService(
        key="hias-lma-legal",
        org="HIAS",
        places=("jesus-maria",),
        name_es="Orientación legal y protección internacional",
        name_en="Legal advice and international protection",
        description_es="Información sobre la solicitud de refugio, la regularización migratoria y el acceso a derechos; acompañamiento en trámites.",
        description_en="Information on asylum claims, migration regularisation and access to rights; support with procedures.",
        sectors=("legal", "documentation"),
        profiles=("women", "men", "lgbtiq", "other"),
        layers=("layer1",),
        modalities=("in_person", "by_phone"),
        hours="office",
        verified_days=45,
        languages=("es", "en"),
    ),
    DemoService(
        key="hias-lma-ptm",
        org="HIAS",
        places=("jesus-maria",),
        name_es="Transferencias monetarias para sobrevivientes de VBG",
        name_en="Cash assistance for GBV survivors",
        description_es="Apoyo económico temporal como parte del plan de acción de un caso de VBG, por derivación de una agencia de gestión de casos.",
        description_en="Temporary cash support as part of a GBV case action plan, on referral by a case management agency.",
        sectors=("cash", "gbv_case_management"),
        profiles=("women", "lgbtiq"),
        layers=("layer1",),
        hours="office",
        verified_days=15,
        intake=IntakeStatus.NOT_ACCEPTING,
        intake_reason="Los cupos de este ciclo están completos; el próximo ciclo abre el primer día hábil del mes.",
        eligibility_es="Solo por derivación de una agencia de gestión de casos de VBG.",
        eligibility_en="On referral by a GBV case management agency only.",
    ),
    DemoService(
        key="stc-lma-eaa",
        org="Save the Children",
        places=("sjl",),
        name_es="Espacio amigable para niñas, niños y adolescentes",
        name_en="Child-friendly space",
        description_es="Actividades recreativas y de apoyo psicosocial en un espacio seguro mientras las familias reciben atención.",
        description_en="Recreational and psychosocial activities in a safe space while families receive assistance.",
        sectors=("child_protection", "recreation", "psychosocial_support"),
        profiles=("girls", "boys", "unaccompanied"),
        layers=("layer2",),
        hours="office_sat",
        verified_days=8,
        minimum_age=3,
        maximum_age=17,
        eligibility_es=NNA_CONSENT_ES,
        eligibility_en=NNA_CONSENT_EN,
    ),
    DemoService(
        key="stc-lma-smaps-nna",
        org="Save the Children",
        places=("brena",),
        name_es="Atención SMAPS especializada para niñas, niños y adolescentes",
        name_en="Specialised MHPSS care for children and adolescents",
        description_es="Evaluación y atención psicológica con enfoque holístico para niñez migrante y refugiada, con participación de la familia.",
        description_en="Holistic psychological assessment and care for migrant and refugee children, with the family's participation.",
        sectors=("mental_health", "child_protection"),
        profiles=("girls", "boys"),
        layers=("layer3",),
        hours="split",
        phones=("whatsapp",),
        verified_days=60,
        minimum_age=6,
        maximum_age=17,
        eligibility_es=NNA_CONSENT_ES,
        eligibility_en=NNA_CONSENT_EN,
    ),
    DemoService(
        key="sos-lma-acogida",
        org="Aldeas SOS",
        places=("chorrillos",),
        name_es="Acogimiento familiar temporal y fortalecimiento familiar",
        name_en="Temporary family-based care and family strengthening",
        description_es="Cuidado alternativo temporal para niñas y niños separados de su familia y acompañamiento para la reunificación.",
        description_en="Temporary alternative care for children separated from their family and support towards reunification.",
        sectors=("child_protection", "shelter"),
        profiles=("girls", "boys", "unaccompanied"),
        layers=("layer3",),
        hours="office",
        verified_days=30,
        maximum_age=17,
        eligibility_es="Por derivación de la DEMUNA, la Unidad de Protección Especial o una agencia de protección.",
        eligibility_en="On referral by a DEMUNA, the Special Protection Unit or a protection agency.",
    ),
    DemoService(
        key="ccefiro-lma-comunitaria",
        org="CCEFIRO",
        places=("comas",),
        name_es="Respuesta comunitaria en salud mental: grupos de ayuda mutua",
        name_en="Community mental health response: mutual-help groups",
        description_es="Grupos de ayuda mutua facilitados por promotoras comunitarias formadas, con enlace a servicios especializados.",
        description_en="Mutual-help groups led by trained community promoters, linked to specialised services.",
        sectors=("psychosocial_support",),
        profiles=("women", "men", "older"),
        layers=("layer2",),
        modalities=("in_person", "outreach"),
        hours="saturday",
        verified_days=95,
    ),
    DemoService(
        key="caps-lma-psicoterapia",
        org="CAPS",
        places=("pueblo-libre",),
        name_es="Psicoterapia para personas afectadas por violencia",
        name_en="Psychotherapy for people affected by violence",
        description_es="Psicoterapia individual y familiar para personas sobrevivientes de violencia, tortura o experiencias traumáticas en el desplazamiento.",
        description_en="Individual and family psychotherapy for survivors of violence, torture or traumatic experiences during displacement.",
        sectors=("mental_health",),
        profiles=("women", "men", "lgbtiq"),
        layers=("layer4",),
        hours="office",
        verified_days=25,
        fee="Tarifa social de S/ 15 por sesión; exoneración total con evaluación social.",
        minimum_age=15,
    ),
    DemoService(
        key="caps-lma-gibe",
        org="CAPS",
        places=("sjl",),
        name_es="Grupo Impulsor de Bienestar Emocional",
        name_en="Emotional Wellbeing Driving Group",
        description_es="Lideresas y líderes comunitarios acompañan a sus vecinos y los vinculan con los servicios formales de salud mental.",
        description_en="Community leaders support their neighbours and link them with formal mental health services.",
        sectors=("psychosocial_support",),
        profiles=("women", "men", "lgbtiq", "older"),
        layers=("layer2",),
        modalities=("in_person", "outreach"),
        hours="mornings",
        phones=("whatsapp",),
        verified_days=50,
    ),
    DemoService(
        key="veneactiva-contact-center",
        org="Veneactiva",
        places=("los-olivos",),
        name_es="Contact center de migrantes para migrantes",
        name_en="Contact centre run by migrants for migrants",
        description_es="Orientación, primera ayuda psicológica y derivación por teléfono y WhatsApp, atendida por personas migrantes capacitadas.",
        description_en="Guidance, psychological first aid and referral by phone and WhatsApp, answered by trained migrants.",
        sectors=("helpline", "psychosocial_support"),
        profiles=("women", "men", "lgbtiq", "in_transit", "other"),
        layers=("layer2",),
        modalities=("by_phone", "online"),
        hours="24_7",
        phones=("whatsapp", "free"),
        verified_days=5,
        areas=ALL_PERU_AREAS,
        site_note="Oficina de coordinación: la atención es por teléfono y WhatsApp.",
    ),
    DemoService(
        key="csmc-clr-adultos",
        org="CSMC Carmen de la Legua",
        places=("carmen-legua",),
        name_es="Atención en salud mental comunitaria para personas adultas",
        name_en="Community mental health care for adults",
        description_es="Evaluación, tratamiento y seguimiento por equipo interdisciplinario (psiquiatría, psicología, enfermería y trabajo social).",
        description_en="Assessment, treatment and follow-up by an interdisciplinary team (psychiatry, psychology, nursing and social work).",
        sectors=("mental_health",),
        profiles=("women", "men", "lgbtiq", "disability", "older"),
        layers=("layer4",),
        hours="extended",
        verified_days=40,
        minimum_age=18,
        languages=("es", "qu"),
        eligibility_es="Personas que viven en el Callao; también personas migrantes sin seguro de salud.",
        eligibility_en="People living in Callao, including migrants without health insurance.",
    ),
    DemoService(
        key="csmc-clr-ninez",
        org="CSMC Carmen de la Legua",
        places=("carmen-legua",),
        name_es="Salud mental de niñas, niños y adolescentes",
        name_en="Child and adolescent mental health",
        description_es="Atención especializada y trabajo con familias y escuelas, en coordinación con la DEMUNA.",
        description_en="Specialised care and work with families and schools, in coordination with the DEMUNA.",
        sectors=("mental_health", "child_protection"),
        profiles=("girls", "boys"),
        layers=("layer4",),
        hours="office",
        verified_days=130,
        maximum_age=17,
        eligibility_es=NNA_CONSENT_ES,
        eligibility_en=NNA_CONSENT_EN,
    ),
    DemoService(
        key="demuna-clr",
        org="DEMUNA CLR",
        places=("carmen-legua",),
        name_es="Defensoría Municipal de la Niña, el Niño y el Adolescente",
        name_en="Municipal ombudsman for children and adolescents (DEMUNA)",
        description_es="Protección de derechos de niñas, niños y adolescentes, conciliación familiar y derivación a la Unidad de Protección Especial.",
        description_en="Protection of children's rights, family conciliation and referral to the Special Protection Unit.",
        sectors=("child_protection", "legal"),
        profiles=("girls", "boys", "unaccompanied"),
        layers=("layer3",),
        hours="split",
        verified_days=70,
        maximum_age=17,
    ),
    DemoService(
        key="acnur-lma-orientacion",
        org="ACNUR",
        places=("lima-cercado",),
        name_es="Línea de orientación sobre refugio y documentación",
        name_en="Helpline on asylum and documentation",
        description_es="Información sobre el procedimiento de refugio, carné de solicitante y derivación a socios de protección.",
        description_en="Information on the asylum procedure, the asylum-seeker card and referral to protection partners.",
        sectors=("helpline", "documentation", "legal"),
        profiles=("women", "men", "lgbtiq", "other"),
        layers=("layer1",),
        modalities=("by_phone", "online"),
        hours="office",
        phones=("free", "whatsapp"),
        verified_days=12,
        languages=("es", "en"),
        areas=ALL_PERU_AREAS,
        site_note="Oficina (sin atención al público): la orientación es por teléfono y WhatsApp.",
    ),
    DemoService(
        key="sjm-lma-acogida",
        org="Encuentros SJM",
        places=("brena",),
        name_es="Albergue temporal y orientación para personas en tránsito",
        name_en="Temporary shelter and guidance for people in transit",
        description_es="Alojamiento de hasta cinco noches, alimentación y orientación para continuar el viaje o establecerse.",
        description_en="Up to five nights' accommodation, meals and guidance to continue the journey or settle.",
        sectors=("shelter", "food"),
        profiles=("in_transit", "women", "men", "girls", "boys"),
        layers=("layer1",),
        hours="24_7",
        verified_days=100,
        intake=IntakeStatus.WAITING_LIST,
        intake_reason="Prioridad para familias con niñas y niños, mujeres solas y personas mayores.",
    ),
    DemoService(
        key="sjm-lma-legal",
        org="Encuentros SJM",
        places=("brena",),
        name_es="Asesoría legal migratoria",
        name_en="Migration legal advice",
        description_es="Asesoría sobre permisos de permanencia, carné de extranjería y acceso a salud y educación.",
        description_en="Advice on residence permits, foreigner ID cards and access to health and education.",
        sectors=("legal", "documentation"),
        profiles=("women", "men", "lgbtiq", "in_transit", "other"),
        layers=("layer1",),
        hours="afternoons",
        verified_days=33,
    ),
    DemoService(
        key="oim-lma-orientacion",
        org="OIM",
        places=("lima-cercado",),
        name_es="Orientación y derivación a servicios para personas migrantes",
        name_en="Guidance and referral for migrants",
        description_es="Información sobre servicios, primeros auxilios psicológicos y derivación a socios de salud, protección y medios de vida.",
        description_en="Information on services, psychological first aid and referral to health, protection and livelihoods partners.",
        sectors=("documentation", "psychosocial_support", "livelihoods"),
        profiles=("women", "men", "older", "disability", "in_transit"),
        layers=("layer1", "layer2"),
        modalities=("in_person", "by_phone"),
        hours="office",
        phones=("whatsapp",),
        verified_days=18,
        languages=("es", "en"),
    ),
    DemoService(
        key="hi-lma-discapacidad",
        org="HI",
        places=("los-olivos",),
        name_es="Rehabilitación y apoyo psicosocial para personas con discapacidad",
        name_en="Rehabilitation and psychosocial support for persons with disabilities",
        description_es="Fisioterapia, ayudas técnicas y apoyo psicosocial, con visitas domiciliarias.",
        description_en="Physiotherapy, assistive devices and psychosocial support, with home visits.",
        sectors=("medical", "psychosocial_support"),
        profiles=("disability", "older"),
        layers=("layer3",),
        modalities=("in_person", "outreach"),
        hours="office",
        verified_days=55,
    ),
    DemoService(
        key="irc-lma-ssr",
        org="IRC",
        places=("los-olivos",),
        name_es="Salud sexual y reproductiva y atención tras violencia sexual",
        name_en="Sexual and reproductive health and post-rape care",
        description_es="Consejería en salud sexual y reproductiva, anticoncepción y acompañamiento a la atención clínica de la violencia sexual.",
        description_en="Sexual and reproductive health counselling, contraception and accompaniment to clinical care after sexual violence.",
        sectors=("srh", "medical"),
        profiles=("women", "girls", "lgbtiq"),
        layers=("layer3",),
        hours="office_sat",
        phones=("whatsapp",),
        verified_days=48,
        minimum_age=12,
    ),
    DemoService(
        key="adra-lma-alimentos",
        org="ADRA",
        places=("comas",),
        name_es="Canasta de alimentos y kits de higiene",
        name_en="Food baskets and hygiene kits",
        description_es="Entrega mensual de alimentos y kits de higiene a hogares en situación de vulnerabilidad.",
        description_en="Monthly food and hygiene kits for households in vulnerable situations.",
        sectors=("food",),
        profiles=("women", "men", "older", "disability"),
        layers=("layer1",),
        hours="mornings",
        verified_days=75,
        documents=ID_ANY_ES + " Una declaración jurada de domicilio si no tiene recibo.",
    ),
    DemoService(
        key="libremente-online",
        org="Libremente",
        places=("miraflores",),
        name_es="Acompañamiento psicológico en línea",
        name_en="Online psychological support",
        description_es="Sesiones de apoyo psicológico por videollamada con psicólogas colegiadas.",
        description_en="Psychological support sessions by video call with licensed psychologists.",
        sectors=("mental_health",),
        profiles=("women", "men", "lgbtiq"),
        layers=("layer3",),
        modalities=("online",),
        hours="long",
        phones=("whatsapp",),
        verified_days=22,
        fee="S/ 30 por sesión; tarifa reducida de S/ 10 para personas refugiadas y migrantes.",
        minimum_age=18,
        areas=ALL_PERU_AREAS,
    ),
    DemoService(
        key="care-lim-huaral",
        org="CARE",
        places=("huaral",),
        name_es="Apoyo psicosocial itinerante en Huaral",
        name_en="Mobile psychosocial support in Huaral",
        description_es="Brigadas que visitan barrios con población migrante: espacios de escucha, actividades grupales y derivación.",
        description_en="Mobile teams visit neighbourhoods with migrant families: listening spaces, group activities and referral.",
        sectors=("psychosocial_support",),
        profiles=("women", "men", "girls", "boys"),
        layers=("layer2",),
        modalities=("outreach",),
        hours="none",
        phones=("whatsapp",),
        verified_days=65,
    ),
    # --- Tumbes ------------------------------------------------------------------------
    DemoService(
        key="care-tum-smaps",
        org="CARE",
        places=("aguas-verdes",),
        name_es="Apoyo psicológico y primeros auxilios psicológicos en frontera",
        name_en="Psychological support and psychological first aid at the border",
        description_es="Escucha, primeros auxilios psicológicos y derivación para personas que cruzan o se quedan en la frontera norte.",
        description_en="Listening, psychological first aid and referral for people crossing or staying at the northern border.",
        sectors=("psychosocial_support", "mental_health"),
        profiles=("women", "men", "lgbtiq", "in_transit"),
        layers=("layer2", "layer3"),
        modalities=("in_person", "outreach"),
        hours="daily",
        phones=("whatsapp",),
        verified_days=9,
    ),
    DemoService(
        key="hias-tum-vbg",
        org="HIAS",
        places=("tumbes",),
        name_es="Gestión de casos de VBG en Tumbes",
        name_en="GBV case management in Tumbes",
        description_es="Gestión de casos, planes de seguridad y acompañamiento a servicios para sobrevivientes de violencia basada en género.",
        description_en="Case management, safety plans and accompaniment to services for survivors of gender-based violence.",
        sectors=("gbv_case_management", "psychosocial_support"),
        profiles=("women", "girls", "lgbtiq"),
        layers=("layer3",),
        modalities=("in_person", "by_phone"),
        hours="office",
        phones=("whatsapp",),
        verified_days=27,
        minimum_age=12,
    ),
    DemoService(
        key="sos-tum-nna",
        org="Aldeas SOS",
        places=("aguas-verdes",),
        name_es="Atención a niñez no acompañada y separada en frontera",
        name_en="Care for unaccompanied and separated children at the border",
        description_es="Identificación, cuidado inmediato y búsqueda de familia de niñas y niños no acompañados, en coordinación con la Unidad de Protección Especial.",
        description_en="Identification, immediate care and family tracing for unaccompanied children, with the Special Protection Unit.",
        sectors=("child_protection", "psychosocial_support"),
        profiles=("unaccompanied", "girls", "boys"),
        layers=("layer3",),
        hours="24_7",
        phones=("call",),
        verified_days=14,
        maximum_age=17,
    ),
    DemoService(
        key="stc-tum-eaa",
        org="Save the Children",
        places=("aguas-verdes",),
        name_es="Espacio amigable para la niñez en el paso de frontera",
        name_en="Child-friendly space at the border crossing",
        description_es="Juego, descanso y apoyo psicosocial para niñas y niños mientras sus familias hacen trámites.",
        description_en="Play, rest and psychosocial support for children while their families complete procedures.",
        sectors=("child_protection", "recreation"),
        profiles=("girls", "boys"),
        layers=("layer2",),
        hours="daily",
        verified_days=160,
        minimum_age=2,
        maximum_age=14,
    ),
    DemoService(
        key="acnur-tum-proteccion",
        org="ACNUR",
        places=("aguas-verdes",),
        name_es="Punto de orientación sobre protección y refugio",
        name_en="Protection and asylum information point",
        description_es="Orientación sobre el derecho a solicitar refugio, identificación de necesidades de protección y derivación.",
        description_en="Information on the right to seek asylum, identification of protection needs and referral.",
        sectors=("legal", "documentation"),
        profiles=("in_transit", "women", "men", "lgbtiq"),
        layers=("layer1",),
        hours="daily",
        verified_days=6,
        languages=("es", "en"),
    ),
    DemoService(
        key="oim-tum-frontera",
        org="OIM",
        places=("aguas-verdes", "tumbes"),
        name_es="Asistencia humanitaria y orientación en frontera",
        name_en="Humanitarian assistance and guidance at the border",
        description_es="Kits de alimentos e higiene, orientación migratoria y traslado a servicios de salud cuando hace falta.",
        description_en="Food and hygiene kits, migration guidance and transport to health services when needed.",
        sectors=("food", "documentation", "medical"),
        profiles=("in_transit", "older", "disability", "women", "men"),
        layers=("layer1",),
        hours="daily",
        phones=("whatsapp",),
        verified_days=19,
    ),
    DemoService(
        key="ccefiro-tum",
        org="CCEFIRO",
        places=("tumbes",),
        name_es="Escucha y acompañamiento en salud mental comunitaria",
        name_en="Community mental health listening and support",
        description_es="Espacios de escucha, visitas de seguimiento y acompañamiento al centro de salud mental comunitario.",
        description_en="Listening spaces, follow-up visits and accompaniment to the community mental health centre.",
        sectors=("psychosocial_support", "mental_health"),
        profiles=("women", "men", "older", "disability"),
        layers=("layer2", "layer3"),
        modalities=("in_person", "outreach"),
        hours="office",
        phones=("whatsapp",),
        verified_days=38,
    ),
    DemoService(
        key="sjm-tum-acogida",
        org="Encuentros SJM",
        places=("tumbes",),
        name_es="Casa de acogida temporal para personas en tránsito",
        name_en="Temporary shelter for people in transit",
        description_es="Alojamiento temporal, alimentación y orientación para familias recién llegadas.",
        description_en="Temporary accommodation, meals and guidance for newly arrived families.",
        sectors=("shelter", "food"),
        profiles=("in_transit", "women", "girls", "boys"),
        layers=("layer1",),
        hours="24_7",
        verified_days=44,
    ),
    # --- Tacna, Arequipa, Chiclayo -------------------------------------------------------
    DemoService(
        key="hias-tac",
        org="HIAS",
        places=("tacna",),
        name_es="Orientación legal y psicosocial en Tacna",
        name_en="Legal and psychosocial guidance in Tacna",
        description_es="Orientación sobre refugio y regularización, primeros auxilios psicológicos y derivación en la frontera sur.",
        description_en="Guidance on asylum and regularisation, psychological first aid and referral at the southern border.",
        sectors=("legal", "psychosocial_support"),
        profiles=("in_transit", "women", "men", "lgbtiq"),
        layers=("layer1", "layer2"),
        modalities=("in_person", "by_phone"),
        hours="office",
        phones=("whatsapp",),
        verified_days=58,
    ),
    DemoService(
        key="sjm-tac",
        org="Encuentros SJM",
        places=("tacna",),
        name_es="Acogida y orientación a personas en tránsito en la frontera sur",
        name_en="Reception and guidance for people in transit at the southern border",
        description_es="Alojamiento de emergencia, alimentación y orientación legal básica.",
        description_en="Emergency accommodation, meals and basic legal guidance.",
        sectors=("shelter", "food", "legal"),
        profiles=("in_transit", "women", "men", "girls", "boys"),
        layers=("layer1",),
        hours="24_7",
        verified_days=210,
    ),
    DemoService(
        key="oim-tac-salud",
        org="OIM",
        places=("tacna",),
        name_es="Atención médica primaria y derivación",
        name_en="Primary medical care and referral",
        description_es="Consulta médica básica, vacunación y derivación a establecimientos de salud del Ministerio de Salud.",
        description_en="Basic medical consultations, vaccination and referral to Ministry of Health facilities.",
        sectors=("medical",),
        profiles=("women", "men", "girls", "boys", "older", "in_transit"),
        layers=("layer1",),
        hours="split",
        verified_days=29,
    ),
    DemoService(
        key="caps-are",
        org="CAPS",
        places=("arequipa",),
        name_es="Atención psicológica y grupos de bienestar en Arequipa",
        name_en="Psychological care and wellbeing groups in Arequipa",
        description_es="Atención psicológica individual y grupos de bienestar emocional para personas refugiadas, migrantes y de la comunidad de acogida.",
        description_en="Individual psychological care and emotional wellbeing groups for refugees, migrants and the host community.",
        sectors=("mental_health", "psychosocial_support"),
        profiles=("women", "men", "lgbtiq"),
        layers=("layer2", "layer3"),
        hours="office",
        verified_days=91,
        fee="Aporte voluntario de S/ 5 por sesión; nadie queda sin atención por no poder pagar.",
    ),
    DemoService(
        key="stc-are",
        org="Save the Children",
        places=("cerro-colorado",),
        name_es="Apoyo educativo y psicosocial para niñas y niños",
        name_en="Educational and psychosocial support for children",
        description_es="Nivelación escolar, orientación para la matrícula y actividades de apoyo psicosocial.",
        description_en="Catch-up classes, school enrolment guidance and psychosocial activities.",
        sectors=("informal_education", "psychosocial_support"),
        profiles=("girls", "boys"),
        layers=("layer2",),
        hours="afternoons",
        verified_days=16,
        minimum_age=6,
        maximum_age=14,
    ),
    DemoService(
        key="sos-are",
        org="Aldeas SOS",
        places=("arequipa",),
        name_es="Fortalecimiento familiar y prevención de la separación",
        name_en="Family strengthening and prevention of separation",
        description_es="Acompañamiento a familias con niñas y niños en riesgo de perder el cuidado parental.",
        description_en="Support for families whose children are at risk of losing parental care.",
        sectors=("child_protection", "psychosocial_support"),
        profiles=("girls", "boys", "women", "men"),
        layers=("layer2",),
        hours="office",
        verified_days=80,
    ),
    DemoService(
        key="caritas-chiclayo",
        org="Caritas Chiclayo",
        places=("chiclayo",),
        name_es="Acompañamiento psicosocial y ayuda humanitaria",
        name_en="Psychosocial support and humanitarian aid",
        description_es="Escucha, acompañamiento psicosocial, bonos de alimentos y orientación a familias refugiadas y migrantes.",
        description_en="Listening, psychosocial support, food vouchers and guidance for refugee and migrant families.",
        sectors=("psychosocial_support", "food", "cash"),
        profiles=("women", "men", "older", "girls", "boys"),
        layers=("layer1", "layer2"),
        hours="office",
        phones=("whatsapp",),
        verified_days=36,
    ),
    # --- Ecuador (seed 004) ------------------------------------------------------------
    DemoService(
        key="oime-ptm-estabilizacion",
        org="OIM Ecuador",
        places=(
            "quito",
            "tulcan",
            "huaquillas",
            "lago-agrio",
            "ibarra",
            "guayaquil",
            "manta",
            "machala",
            "cuenca",
            "quevedo",
        ),
        name_es="Estabilización psicosocial durante la espera de transferencias monetarias",
        name_en="Psychosocial stabilisation while waiting for cash transfers",
        description_es="Asistencia psicosocial a personas beneficiarias de PTM mientras se completa la entrega, con socios implementadores.",
        description_en="Psychosocial assistance to cash-transfer beneficiaries until the transfer is delivered, with implementing partners.",
        sectors=("psychosocial_support", "cash"),
        profiles=("women", "disability", "older", "lgbtiq", "girls", "boys"),
        layers=("layer2", "layer3"),
        modalities=("in_person", "by_phone"),
        hours="office",
        phones=("whatsapp",),
        verified_days=23,
        eligibility_es="Personas beneficiarias de PTM: mujeres solas jefas de hogar, personas con discapacidad o enfermedades crónicas, NNA, personas mayores y población LGBTIQ+.",
        eligibility_en="Cash-transfer beneficiaries: women heads of household, persons with disabilities or chronic illness, children, older persons and LGBTIQ+ people.",
    ),
    DemoService(
        key="oime-ptm",
        org="OIM Ecuador",
        places=("machala", "huaquillas", "guayaquil"),
        name_es="Transferencias monetarias multipropósito (PTM)",
        name_en="Multipurpose cash transfers",
        description_es="Transferencias monetarias por cajero automático para hogares con necesidades básicas insatisfechas.",
        description_en="Cash transfers withdrawn at cash machines for households with unmet basic needs.",
        sectors=("cash",),
        profiles=("women", "men", "disability", "older"),
        layers=("layer1",),
        hours="office",
        verified_days=140,
        documents="Un documento de identidad (pasaporte, cédula o documento de viaje de cualquier país).",
        intake=IntakeStatus.WAITING_LIST,
        intake_reason="Registro por turnos según la valoración de vulnerabilidad.",
    ),
    DemoService(
        key="oime-tulcan-eaa",
        org="OIM Ecuador",
        places=("tulcan",),
        name_es="Espacio seguro para niñas y niños durante la atención a sus familias",
        name_en="Safe space for children while their families are assisted",
        description_es="Espacio seguro y amigable con actividades lúdicas durante las asistencias presenciales de madres y padres.",
        description_en="A safe, child-friendly space with play activities while parents attend in-person assistance.",
        sectors=("child_protection", "recreation"),
        profiles=("girls", "boys"),
        layers=("layer2",),
        hours="office",
        verified_days=17,
        maximum_age=12,
    ),
    DemoService(
        key="oime-guayaquil-linea",
        org="OIM Ecuador",
        places=("guayaquil",),
        name_es="Canal digital de atención a personas beneficiarias",
        name_en="Digital assistance channel for beneficiaries",
        description_es="Consultas, seguimiento de asistencias y apoyo psicosocial por WhatsApp y videollamada.",
        description_en="Questions, follow-up of assistance and psychosocial support by WhatsApp and video call.",
        sectors=("helpline", "psychosocial_support"),
        profiles=("women", "men", "lgbtiq", "disability", "older"),
        layers=("layer2",),
        modalities=("by_phone", "online"),
        hours="extended",
        phones=("whatsapp", "free"),
        verified_days=4,
        areas=ALL_ECUADOR_AREAS,
        site_note="Oficina de coordinación: la atención es remota.",
    ),
    DemoService(
        key="oime-quevedo-ssr",
        org="OIM Ecuador",
        places=("quevedo",),
        name_es="Salud sexual y reproductiva en alianza con centros de salud",
        name_en="Sexual and reproductive health with partner health centres",
        description_es="Derivación acompañada a servicios de salud sexual y reproductiva públicos y privados aliados.",
        description_en="Accompanied referral to partner public and private sexual and reproductive health services.",
        sectors=("srh", "medical"),
        profiles=("women", "girls", "lgbtiq"),
        layers=("layer3",),
        hours="mornings",
        verified_days=52,
        minimum_age=12,
    ),
    DemoService(
        key="hiase-quito-psi",
        org="HIAS Ecuador",
        places=("quito",),
        name_es="Atención psicológica individual y grupal",
        name_en="Individual and group psychological care",
        description_es="Apoyo psicológico breve y grupos de apoyo para personas refugiadas, migrantes y de la comunidad de acogida.",
        description_en="Brief psychological support and support groups for refugees, migrants and the host community.",
        sectors=("mental_health", "psychosocial_support"),
        profiles=("women", "men", "lgbtiq", "girls", "boys"),
        layers=("layer3",),
        modalities=("in_person", "online"),
        hours="office",
        phones=("whatsapp",),
        verified_days=13,
        languages=("es", "en"),
    ),
    DemoService(
        key="hiase-quito-vbg",
        org="HIAS Ecuador",
        places=("quito",),
        name_es="Gestión de casos de VBG y derivación a casa de acogida",
        name_en="GBV case management and referral to a safe shelter",
        description_es="Gestión de casos centrada en la sobreviviente, planes de seguridad y derivación a casas de acogida.",
        description_en="Survivor-centred case management, safety plans and referral to safe shelters.",
        sectors=("gbv_case_management", "shelter"),
        profiles=("women", "girls", "lgbtiq"),
        layers=("layer3",),
        modalities=("in_person", "by_phone"),
        hours="24_7",
        phones=("whatsapp",),
        verified_days=26,
    ),
    DemoService(
        key="hiase-lago-agrio",
        org="HIAS Ecuador",
        places=("lago-agrio",),
        name_es="Protección y apoyo psicosocial en la frontera norte",
        name_en="Protection and psychosocial support at the northern border",
        description_es="Identificación de necesidades de protección, apoyo psicosocial y orientación legal.",
        description_en="Identification of protection needs, psychosocial support and legal guidance.",
        sectors=("psychosocial_support", "legal"),
        profiles=("women", "men", "in_transit", "lgbtiq"),
        layers=("layer2",),
        modalities=("in_person", "outreach"),
        hours="office",
        verified_days=61,
    ),
    DemoService(
        key="hiase-ibarra",
        org="HIAS Ecuador",
        places=("ibarra",),
        name_es="Medios de vida y orientación laboral",
        name_en="Livelihoods and job guidance",
        description_es="Talleres de empleabilidad, apoyo a emprendimientos y vinculación con empleadores locales.",
        description_en="Employability workshops, small-business support and links with local employers.",
        sectors=("livelihoods",),
        profiles=("women", "men", "lgbtiq"),
        layers=("layer1",),
        hours="split",
        verified_days=34,
        documents="Documento de identidad y, si lo tiene, su visa o permiso de residencia.",
        minimum_age=18,
    ),
    DemoService(
        key="hiase-cuenca",
        org="HIAS Ecuador",
        places=("cuenca",),
        name_es="Orientación legal y documentación",
        name_en="Legal guidance and documentation",
        description_es="Orientación sobre visas, regularización y solicitud de refugio; apoyo para obtener documentos.",
        description_en="Guidance on visas, regularisation and asylum claims; help to obtain documents.",
        sectors=("legal", "documentation"),
        profiles=("women", "men", "lgbtiq", "other"),
        layers=("layer1",),
        hours="afternoons",
        verified_days=47,
    ),
    DemoService(
        key="hiase-manta",
        org="HIAS Ecuador",
        places=("manta",),
        name_es="Apoyo psicosocial comunitario",
        name_en="Community psychosocial support",
        description_es="Actividades comunitarias de bienestar, redes de apoyo y espacios para mujeres.",
        description_en="Community wellbeing activities, support networks and women's spaces.",
        sectors=("psychosocial_support", "recreation"),
        profiles=("women", "girls", "boys", "older"),
        layers=("layer2",),
        modalities=("in_person", "outreach"),
        hours="saturday",
        verified_days=73,
    ),
]

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
    services: int = 0
    services_created: int = 0
    locations: int = 0
    pathways: int = 0
    cells: int = 0
    stale: int = 0

    def describe(self) -> str:
        return (
            f"Directory demo: {self.services} illustrative services "
            f"({self.services_created} created, {self.stale} not verified recently) "
            f"at {self.locations} locations, {self.pathways} published pathways "
            f"with {self.cells} cells."
        )


def _noon(now: datetime, days_ago: int) -> datetime:
    """A day-rounded moment, so a second run on the same day changes nothing."""
    return now.replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)


def _organizations() -> dict[str, Organization]:
    """The demo organizations by acronym, created if ``load_demo`` has not run yet."""
    wanted = {spec.org for spec in SERVICES}
    by_acronym: dict[str, Organization] = {}
    for name, acronym, kind, website in DEMO_ORGANIZATIONS:
        if acronym not in wanted:
            continue
        countries = ["EC"] if acronym in ECUADOR_ORGANIZATIONS else ["PE"]
        organization, _created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "type": kind,
                "website": website,
                "countries": countries,
                "active": True,
            },
        )
        if organization.countries != countries:
            organization.countries = countries
            organization.save(update_fields=["countries", "updated_at"])
        by_acronym[acronym] = organization
    missing = wanted - set(by_acronym)
    if missing:
        raise ImproperlyConfigured(f"Demo organizations missing: {sorted(missing)}")
    return by_acronym


def _terms() -> dict[str, TaxonomyTerm]:
    terms = {term.code: term for term in TaxonomyTerm.objects.select_related("taxonomy")}
    wanted = {
        code for spec in SERVICES for code in (*spec.sectors, *spec.profiles, *spec.layers)
    } | {profile for pathway in PATHWAYS for row in pathway.rows for profile in row[2]}
    missing = wanted - set(terms)
    if missing:
        raise ImproperlyConfigured(f"Taxonomy terms missing (run migrate first): {sorted(missing)}")
    return terms


def _areas() -> dict[str, AdminArea]:
    wanted = {place.admin1 for place in PLACES.values()} | {
        code for spec in SERVICES for code in spec.areas
    }
    return areas_by_code(wanted)


def _location(
    organization: Organization, org_key: str, place_key: str, areas: dict[str, AdminArea]
) -> Location:
    place = PLACES[place_key]
    uid = demo_uuid("location", f"{org_key}|{place_key}")
    spread = uid.int
    latitude = round(place.point[0] + ((spread % 1001) - 500) / 100000, 5)
    longitude = round(place.point[1] + (((spread // 1001) % 1001) - 500) / 100000, 5)
    values: dict[str, Any] = {
        "organization": organization,
        "name": f"Sede {place.district}",
        "address": f"{STREETS[spread % len(STREETS)]} {100 + spread % 900}, {place.district}",
        "city": place.city,
        "country": place.country,
        "admin1": areas[place.admin1],
        "admin2": None,
        "latitude": latitude,
        "longitude": longitude,
        "accessibility": (
            "Ingreso sin escalones y baño accesible."
            if place.accessible
            else "Segundo piso, sin ascensor."
        ),
        "transportation": "",
    }
    location = Location.objects.filter(uuid=uid).first()
    before = actions.location_snapshot(location) if location else None
    if location is None:
        location = Location(uuid=uid)
    changed = before is None or any(
        getattr(location, name) != value for name, value in values.items()
    )
    if changed:
        for name, value in values.items():
            setattr(location, name, value)
        location.full_clean()
        actions.save_location(None, location, before=before)
    return location


def _sync_rows(model: Any, service: Service, wanted: dict[uuid.UUID, dict[str, Any]]) -> None:
    """Make the service's phones or schedules exactly ``wanted`` (by uuid), writing only changes."""
    existing = {row.uuid: row for row in model.objects.filter(service=service)}
    for uid, values in wanted.items():
        row = existing.get(uid)
        if row is None:
            model.objects.create(uuid=uid, service=service, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
    stale = [row.pk for uid, row in existing.items() if uid not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()


def _sync_children(
    service: Service,
    spec: DemoService,
    terms: dict[str, TaxonomyTerm],
    locations: list[Location],
    areas: dict[str, AdminArea],
    numbers: list[tuple[str, str, bool, bool]],
) -> None:
    codes = (*spec.sectors, *spec.profiles, *spec.layers)
    service.terms.set([terms[code] for code in codes])

    placed = {sal.location_id: sal for sal in service.service_at_locations.all()}
    for location in locations:
        sal = placed.get(location.pk)
        if sal is None:
            ServiceAtLocation.objects.create(
                uuid=demo_uuid("sal", f"{spec.key}|{location.uuid}"),
                service=service,
                location=location,
                description=spec.site_note,
            )
        elif sal.description != spec.site_note:
            sal.description = spec.site_note
            sal.save(update_fields=["description"])
    service.service_at_locations.exclude(location__in=locations).delete()

    phones: dict[uuid.UUID, dict[str, Any]] = {}
    for index, (number, description, whatsapp, free_line) in enumerate(numbers):
        phones[demo_uuid("phone", f"{spec.key}|{index}")] = {
            "number": number,
            "description": description,
            "whatsapp": whatsapp,
            "free_line": free_line,
        }
    _sync_rows(Phone, service, phones)

    schedules: dict[uuid.UUID, dict[str, Any]] = {}
    for weekdays, opens, closes in HOURS[spec.hours]:
        for weekday in weekdays:
            schedules[demo_uuid("schedule", f"{spec.key}|{weekday}|{opens}")] = {
                "weekday": weekday,
                "opens_at": time.fromisoformat(opens),
                "closes_at": time.fromisoformat(closes),
            }
    _sync_rows(Schedule, service, schedules)

    area_objects = [areas[code] for code in spec.areas]
    for area in area_objects:
        ServiceArea.objects.get_or_create(
            service=service,
            area=area,
            defaults={"uuid": demo_uuid("service_area", f"{spec.key}|{area.code}")},
        )
    service.service_areas.exclude(area__in=area_objects).delete()


def _phone_numbers(
    spec: DemoService, counters: dict[str, int]
) -> list[tuple[str, str, bool, bool]]:
    """(number, description, whatsapp, free line): fictional numbers, numbered in order."""
    numbers = []
    for kind in spec.phones:
        counters[kind + spec.country] = counters.get(kind + spec.country, 0) + 1
        n = counters[kind + spec.country]
        if kind == "free":
            number = f"0800 00 0{n:02d}" if spec.country == "PE" else f"1800 000 0{n:02d}"
            numbers.append((number, "Línea gratuita", False, True))
            continue
        counters["mobile" + spec.country] = counters.get("mobile" + spec.country, 0) + 1
        m = counters["mobile" + spec.country]
        number = f"+51 900 000 0{m:02d}" if spec.country == "PE" else f"+593 990 000 0{m:02d}"
        if kind == "whatsapp":
            numbers.append((number, "Llamadas y WhatsApp", True, False))
        else:
            numbers.append((number, "Llamadas", False, False))
    return numbers


def _service_fields(spec: DemoService, organization: Organization, now: datetime) -> dict[str, Any]:
    return {
        "organization": organization,
        "name_es": spec.name_es,
        "name_en": spec.name_en,
        "description_es": spec.description_es,
        "description_en": spec.description_en,
        "status": ServiceStatus.ACTIVE,
        "intake_status": spec.intake,
        "intake_reason": spec.intake_reason,
        "url": "",
        "email": f"{spec.key}@example.org",
        "languages": list(spec.languages),
        "is_free": not spec.fee,
        "fee_detail": spec.fee,
        "documents_required": bool(spec.documents),
        "required_documents": spec.documents,
        "eligibility_es": spec.eligibility_es,
        "eligibility_en": spec.eligibility_en,
        "minimum_age": spec.minimum_age,
        "maximum_age": spec.maximum_age,
        "in_person": "in_person" in spec.modalities,
        "by_phone": "by_phone" in spec.modalities,
        "online": "online" in spec.modalities,
        "outreach": "outreach" in spec.modalities,
        "open_24_7": spec.hours == "24_7",
        "timezone": TIME_ZONES[spec.country],
        "holidays_note": (
            "Cerrado los feriados nacionales."
            if spec.hours in ("office", "split", "office_sat", "mornings", "afternoons")
            else ""
        ),
        "illustrative": True,
        "last_verified_at": _noon(now, spec.verified_days),
        "last_verified_by": None,
    }


def _service(
    spec: DemoService,
    organizations: dict[str, Organization],
    locations: dict[tuple[str, str], Location],
    terms: dict[str, TaxonomyTerm],
    areas: dict[str, AdminArea],
    counters: dict[str, int],
    now: datetime,
) -> tuple[Service, bool]:
    organization = organizations[spec.org]
    numbers = _phone_numbers(spec, counters)
    service = Service.objects.filter(uuid=demo_uuid("service", spec.key)).first()
    created = service is None
    before = actions.snapshot(service) if service is not None else None
    if service is None:
        service = Service(uuid=demo_uuid("service", spec.key))
    for name, value in _service_fields(spec, organization, now).items():
        setattr(service, name, value)
    service.full_clean()
    its_locations = [locations[(spec.org, place)] for place in spec.places]

    def related(saved: Service) -> None:
        _sync_children(saved, spec, terms, its_locations, areas, numbers)

    actions.save_service(None, service, before=before, save_related=related)
    return service, created


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


def load_directory_demo(now: datetime | None = None) -> DemoSummary:
    """Create or update the illustrative services and pathways; safe to run again."""
    now = now or timezone.now()
    summary = DemoSummary()
    with transaction.atomic():
        organizations = _organizations()
        terms = _terms()
        areas = _areas()
        locations: dict[tuple[str, str], Location] = {}
        for spec in SERVICES:
            for place in spec.places:
                if (spec.org, place) not in locations:
                    locations[(spec.org, place)] = _location(
                        organizations[spec.org], spec.org, place, areas
                    )
        counters: dict[str, int] = {}
        services: dict[str, Service] = {}
        for spec in SERVICES:
            service, created = _service(spec, organizations, locations, terms, areas, counters, now)
            services[spec.key] = service
            summary.services_created += created
            summary.stale += service.is_stale()
        for pathway_spec in PATHWAYS:
            _pathway(pathway_spec, organizations, services, terms, areas, now)
        summary.services = len(services)
        summary.locations = len(locations)
        summary.pathways = len(PATHWAYS)
        summary.cells = PathwayCell.objects.filter(
            pathway__uuid__in=[demo_uuid("pathway", p.key) for p in PATHWAYS]
        ).count()
    return summary
