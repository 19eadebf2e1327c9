"""Demo: the GTRM Peru MHPSS community of practice of seeds 000/001, 2021-2023.

What the seeds say is loaded as written: the network, the 14 organizations still active
in 2024, Save the Children and CSMC Carmen de la Legua (presenters), the six meetings
with their dates, hosts, presenters, topics and modalities, and the learnings.

What the seeds only count is illustrative: they report 21 member organizations but name
14, so five "illustrative member organizations" complete the 21 (they left in 2023); and
they report 31 regular institutional participants and more than 250 attendees without
names, so "Participante 001"… attend in a pattern that reproduces those counts exactly:

- 21 member organizations in 2021-2023 (14 still members in 2024);
- 6 meetings (2 online, 3 hybrid, 1 in person);
- 253 people attended (334 attendances);
- 31 regular participants (at least 2 meetings): 10 came to all six, 10 to three, 11 to two.

Where a seed gives a month but no day (the 1st workshop, April-May 2021; the 5th meeting,
March 2023) the day is illustrative and the agenda says so.

The seeds are in Spanish. Four meetings also carry an English version (our translation);
the 1st and 4th workshops do not, so the English report shows how a text not translated
yet reads: the Spanish, marked "Not translated yet".
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ruta.agencies.models import Organization, OrganizationType
from ruta.lib.demo import Removed
from ruta.network.models import (
    Attendance,
    AttendanceSource,
    Meeting,
    MeetingKind,
    Membership,
    MembershipStatus,
    Modality,
    Network,
    Person,
    PersonSex,
)

NAMESPACE = uuid.UUID("3c1e9a52-7d4b-5f08-b6a1-0e2d4c8f9b17")
LIMA = ZoneInfo("America/Lima")
NETWORK_SLUG = "gtrm-peru-smaps"
REGIONAL_SLUG = "red-smaps-mirps"
PEOPLE_DOMAIN = "participantes.demo.ruta.example.org"
ILLUSTRATIVE_PREFIX = "Organización integrante ilustrativa"

# The figures of seeds 000/001 ("Introducción y números generales"), period 2021-2023.
SEED_PERIOD = (dt.date(2021, 1, 1), dt.date(2023, 12, 31))
SEED_FIGURES = {
    "member_organizations": 21,
    "regular_participants": 31,
    "meetings": 6,
    "more_than_attendees": 250,
}


def demo_uuid(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


def _lima(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LIMA)


# (acronym in ruta/agencies/demo.py, joined on) — still members in 2024 (seed: "activas al 2024").
ACTIVE_MEMBERS: list[tuple[str, dt.date]] = [
    ("ACNUR", dt.date(2021, 4, 1)),
    ("CCEFIRO", dt.date(2021, 4, 1)),
    ("CAPS", dt.date(2021, 4, 1)),
    ("HIAS", dt.date(2021, 4, 1)),
    ("Libremente", dt.date(2021, 4, 1)),
    ("Veneactiva", dt.date(2021, 4, 1)),
    ("Aldeas SOS", dt.date(2021, 4, 1)),
    ("CARE", dt.date(2021, 4, 1)),
    ("HI", dt.date(2021, 4, 1)),
    ("IRC", dt.date(2021, 4, 1)),
    ("ADRA", dt.date(2022, 4, 1)),
    ("DEMUNA CLR", dt.date(2022, 4, 1)),
    ("Caritas Chiclayo", dt.date(2022, 4, 1)),
    ("Encuentros SJM", dt.date(2022, 4, 1)),
]
# Members in 2021-2023 that are not in the 2024 list: the two presenters the seeds name,
# and five illustrative organizations (the seeds count 21 members but name only these 16).
FORMER_MEMBERS: list[tuple[str, dt.date, dt.date]] = [
    ("Save the Children", dt.date(2021, 4, 1), dt.date(2023, 6, 30)),
    ("CSMC Carmen de la Legua", dt.date(2022, 4, 1), dt.date(2023, 9, 30)),
]
ILLUSTRATIVE_LEFT_ON = [
    dt.date(2023, 1, 31),
    dt.date(2023, 2, 28),
    dt.date(2023, 5, 31),
    dt.date(2023, 7, 31),
    dt.date(2023, 10, 31),
]
ILLUSTRATIVE_MEMBERS = len(ILLUSTRATIVE_LEFT_ON)


@dataclass(frozen=True)
class MeetingSpec:
    key: str
    title: str
    kind: str
    day: dt.date
    start: tuple[int, int]
    end: tuple[int, int]
    modality: str
    place: str
    hosts: tuple[str, ...]
    presenters: tuple[str, ...]
    topics: tuple[str, ...]
    layers: tuple[str, ...]
    agenda: str
    learnings: str
    attendees: int  # people who attended (regulars included)
    # The English versions (our translation; empty where there is none yet).
    title_en: str = ""
    topics_en: tuple[str, ...] = ()
    agenda_en: str = ""
    learnings_en: str = ""


LEARNINGS = (
    "SMAPS basado en comunidad: involucrar directamente a las personas afectadas en las "
    "decisiones y soluciones crea programas más relevantes y sostenibles.\n"
    "Liderazgos comunitarios: fortalecerlos empodera a la comunidad migrante y refugiada "
    "como agente de cambio, con autogestión y resiliencia colectiva.\n"
    "Metodologías de baja intensidad: intervenciones accesibles y escalables para "
    "poblaciones grandes, adaptables a distintos contextos.\n"
    "Retos comunes: la presión de la demanda sobre los servicios de salud, educación y "
    "asistencia social, y el aumento de actitudes xenófobas en la población de acogida."
)
LEARNINGS_EN = (
    "Community-based MHPSS: involving the affected people directly in decisions and "
    "solutions makes programmes more relevant and sustainable.\n"
    "Community leadership: strengthening it empowers the migrant and refugee community "
    "as an agent of change, with self-management and collective resilience.\n"
    "Low-intensity methodologies: accessible and scalable interventions for large "
    "populations, adaptable to different contexts.\n"
    "Common challenges: the pressure of demand on health, education and social assistance "
    "services, and rising xenophobic attitudes in the host population."
)

MEETINGS: list[MeetingSpec] = [
    MeetingSpec(
        key="taller-1-2021",
        title="1er Taller de fortalecimiento de capacidades en SMAPS",
        kind=MeetingKind.WORKSHOP,
        day=dt.date(2021, 4, 21),
        start=(15, 0),
        end=(17, 0),
        modality=Modality.ONLINE,
        place="",
        hosts=("GTRM",),
        presenters=(),
        topics=(
            "Autocuidado de los equipos en el contexto de la pandemia por COVID-19",
            "Fortalecimiento de capacidades en SMAPS para el Grupo de Protección del GTRM",
        ),
        layers=("layer3",),
        agenda=(
            "Tres sesiones (abril y mayo de 2021) organizadas por el Grupo de Protección del "
            "GTRM para las organizaciones integrantes. Fecha ilustrativa: el informe da el mes, "
            "no el día."
        ),
        learnings="",
        attendees=55,
    ),
    MeetingSpec(
        key="encuentro-2-2022",
        title="2da reunión de intercambio de metodologías y experiencias en SMAPS",
        kind=MeetingKind.MEETING,
        day=dt.date(2022, 4, 20),
        start=(15, 0),
        end=(17, 0),
        modality=Modality.HYBRID,
        place="Sede en Lima de CARE Perú, Av. Javier Prado 444, San Isidro",
        hosts=("CARE",),
        presenters=("CARE", "Save the Children"),
        topics=(
            "Presentación de la Comunidad de Práctica",
            "Metodología de trabajo en SMAPS basada en la comunidad con mujeres "
            "migrantes y refugiadas (CARE Perú, proyecto Fronteras Invisibles)",
            "Intervención y acompañamiento en SMAPS con NNyA desde un abordaje holístico "
            "(Save the Children)",
        ),
        layers=("layer2", "layer3"),
        agenda=(
            "15:00 Presentación del «Kit de salud mental para mujeres que sana fronteras» "
            "(CARE Perú).\n16:00 Abordaje holístico: intervención y acompañamiento a "
            "adolescentes con artes expresivas (Save the Children)."
        ),
        learnings=(
            "El arte-terapia holística facilita la expresión emocional y la gestión del "
            "trauma en niñas, niños y adolescentes migrantes."
        ),
        attendees=50,
        title_en="2nd exchange meeting on MHPSS methodologies and experiences",
        topics_en=(
            "Presentation of the Community of Practice",
            "Community-based MHPSS methodology with migrant and refugee women "
            "(CARE Peru, Fronteras Invisibles project)",
            "MHPSS intervention and accompaniment with children and adolescents from a "
            "holistic approach (Save the Children)",
        ),
        agenda_en=(
            "15:00 Presentation of the “Mental health kit for women that heals borders” "
            "(CARE Peru).\n16:00 Holistic approach: intervention with and accompaniment of "
            "adolescents through expressive arts (Save the Children)."
        ),
        learnings_en=(
            "Holistic art therapy helps migrant children and adolescents express their "
            "emotions and deal with trauma."
        ),
    ),
    MeetingSpec(
        key="encuentro-3-2022",
        title="3ra reunión de intercambio: SMAPS, protección y gestión de casos",
        kind=MeetingKind.MEETING,
        day=dt.date(2022, 8, 17),
        start=(15, 0),
        end=(17, 0),
        modality=Modality.HYBRID,
        place="Calle Horacio Cachay 111, Santa Catalina, La Victoria",
        hosts=(),
        presenters=("HIAS", "Aldeas SOS"),
        topics=(
            "Intervención grupal en SMAPS para mujeres migrantes y refugiadas "
            "sobrevivientes de VBG (HIAS Perú, «Mariposas Moradas»)",
            "Gestión de casos en SMAPS y protección de la niñez refugiada y migrante "
            "(Aldeas Infantiles SOS)",
        ),
        layers=("layer3", "layer4"),
        agenda=(
            "15:00 «Mariposas Moradas»: intervención grupal desde SMAPS frente a la violencia "
            "de género.\n16:00 Protección de la niñez refugiada y migrante; gestión de casos "
            "en salud mental."
        ),
        learnings=(
            "Las sesiones grupales con mujeres sobrevivientes de VBG son una herramienta "
            "poderosa de recuperación emocional y de construcción de redes de apoyo."
        ),
        attendees=45,
        title_en="3rd exchange meeting: MHPSS, protection and case management",
        topics_en=(
            "Group MHPSS intervention for migrant and refugee women survivors of GBV "
            "(HIAS Peru, “Mariposas Moradas”)",
            "MHPSS case management and protection of refugee and migrant children "
            "(SOS Children's Villages)",
        ),
        agenda_en=(
            "15:00 “Mariposas Moradas”: a group MHPSS intervention against gender-based "
            "violence.\n16:00 Protection of refugee and migrant children; case management in "
            "mental health."
        ),
        learnings_en=(
            "Group sessions with women survivors of GBV are a powerful tool for emotional "
            "recovery and for building support networks."
        ),
    ),
    MeetingSpec(
        key="taller-4-2022",
        title="4to Taller de fortalecimiento: taller regional IASC de intervenciones SMAPS",
        kind=MeetingKind.WORKSHOP,
        day=dt.date(2022, 9, 30),
        start=(10, 0),
        end=(14, 0),
        modality=Modality.HYBRID,
        place="Auditorio UNICEF, Edificio Naciones Unidas, Tegucigalpa (Honduras)",
        hosts=(),
        presenters=(),
        topics=(
            "Coordinación en SMAPS y sistemas de apoyo IASC",
            "Marco Común de Monitoreo y Evaluación",
            "Paquete de Servicios Mínimos",
        ),
        layers=("layer1", "layer2", "layer3", "layer4"),
        agenda=(
            "Taller regional LATAM (Honduras, Venezuela y Perú) organizado por el Grupo de "
            "Referencia en SMAPS del IASC. 09:00-13:00 Honduras, 10:00-14:00 Perú, "
            "11:00-15:00 Venezuela."
        ),
        learnings="",
        attendees=70,
    ),
    MeetingSpec(
        key="encuentro-5-2023",
        title="5ta reunión de intercambio: articulación con el Estado en SMAPS",
        kind=MeetingKind.MEETING,
        day=dt.date(2023, 3, 22),
        start=(15, 0),
        end=(17, 0),
        modality=Modality.IN_PERSON,
        place="Lima",
        hosts=(),
        presenters=("CARE", "CCEFIRO", "CAPS", "CSMC Carmen de la Legua"),
        topics=(
            "Articulación entre el Proyecto Alma Llanera y los Centros de Salud Mental "
            "Comunitaria (CARE Perú)",
            "Ruta para la incidencia en salud mental desde el Consejo Nacional de Salud "
            "(Asociación CCEFIRO)",
            "Experiencia de articulación con los socios de ACNUR y el Estado: retos y "
            "desafíos (CAPS)",
            "Experiencia de articulación con sociedad civil (CSMC Carmen de la Legua, Callao)",
        ),
        layers=("layer2", "layer4"),
        agenda=(
            "Sesión presencial sobre las rutas de articulación con el Estado en SMAPS. "
            "Fecha ilustrativa: el informe da el mes (marzo de 2023), no el día."
        ),
        learnings=(
            "Se compartieron actores clave, estrategias exitosas y nudos críticos de la "
            "articulación con el Estado en el sector SMAPS."
        ),
        attendees=40,
        title_en="5th exchange meeting: working with the State on MHPSS",
        topics_en=(
            "Linking the Alma Llanera project with the Community Mental Health Centres (CARE Peru)",
            "A route for mental health advocacy through the National Health Council "
            "(CCEFIRO Association)",
            "Working with UNHCR's partners and the State: challenges (CAPS)",
            "Working with civil society (CSMC Carmen de la Legua, Callao)",
        ),
        agenda_en=(
            "In-person session on the ways of working with the State on MHPSS. Illustrative "
            "date: the report gives the month (March 2023), not the day."
        ),
        learnings_en=(
            "Participants shared the key actors, successful strategies and bottlenecks of "
            "working with the State in the MHPSS sector."
        ),
    ),
    MeetingSpec(
        key="encuentro-6-2023",
        title="6ta reunión de intercambio: fortalecimiento de capacidades a agentes comunitarios",
        kind=MeetingKind.MEETING,
        day=dt.date(2023, 11, 29),
        start=(15, 0),
        end=(17, 0),
        modality=Modality.ONLINE,
        place="",
        hosts=(),
        presenters=("HIAS", "Veneactiva", "CCEFIRO", "CAPS"),
        topics=(
            "Fortalecimiento de capacidades basado en metodologías escalables de respuesta "
            "SMAPS/BC (HIAS)",
            "Atención en primera línea: un contact center de migrantes para migrantes (Veneactiva)",
            "Respuesta comunitaria para la asistencia en salud mental (CCEFIRO)",
            "Fortaleciendo desde lo comunitario: Grupos Impulsores de Bienestar Emocional (CAPS)",
        ),
        layers=("layer2", "layer3"),
        agenda="Miércoles 29 de noviembre, 15:00 a 17:00.",
        learnings=LEARNINGS,
        attendees=74,
        title_en="6th exchange meeting: building the capacities of community agents",
        topics_en=(
            "Capacity building based on scalable MHPSS/community-based response "
            "methodologies (HIAS)",
            "Frontline care: a contact centre of migrants for migrants (Veneactiva)",
            "Community response for mental health assistance (CCEFIRO)",
            "Strengthening from the community: Emotional Well-being Promoter Groups (CAPS)",
        ),
        agenda_en="Wednesday 29 November, 15:00 to 17:00.",
        learnings_en=LEARNINGS_EN,
    ),
]


# --- Attendance pattern -----------------------------------------------------------------
def regular_meetings(person: int) -> list[int]:
    """Meetings (0-5) of regular participant ``person`` (1-31)."""
    if person <= 10:
        return list(range(6))
    if person <= 20:
        return sorted({person % 6, (person + 2) % 6, (person + 4) % 6})
    return sorted({person % 6, (person + 3) % 6})


REGULARS = 31


def attendance_plan() -> list[list[int]]:
    """For each meeting, the numbers of the people who attended it (1-based)."""
    plan: list[list[int]] = [[] for _meeting in MEETINGS]
    for person in range(1, REGULARS + 1):
        for index in regular_meetings(person):
            plan[index].append(person)
    next_person = REGULARS + 1
    for index, spec in enumerate(MEETINGS):
        singles = spec.attendees - len(plan[index])
        plan[index] += list(range(next_person, next_person + singles))
        next_person += singles
    return plan


@dataclass
class NetworkDemoSummary:
    networks: int = 0
    members: int = 0
    meetings: int = 0
    people: int = 0
    attendances: int = 0
    created: int = 0

    def describe(self) -> str:
        return (
            f"Network demo: {self.networks} networks, {self.members} memberships, "
            f"{self.meetings} meetings, {self.people} illustrative participants, "
            f"{self.attendances} attendances ({self.created} rows created)."
        )


def _organizations() -> dict[str, Organization]:
    from ruta.agencies.demo import DEMO_ORGANIZATIONS

    wanted = {a for a, _d in ACTIVE_MEMBERS} | {a for a, _j, _l in FORMER_MEMBERS} | {"GTRM"}
    wanted |= {a for spec in MEETINGS for a in (*spec.hosts, *spec.presenters)}
    found: dict[str, Organization] = {}
    for name, acronym, kind, website in DEMO_ORGANIZATIONS:
        if acronym in wanted:
            found[acronym], _created = Organization.objects.get_or_create(
                name=name,
                defaults={
                    "acronym": acronym,
                    "type": kind,
                    "website": website,
                    "countries": ["PE"],
                },
            )
    for number in range(1, ILLUSTRATIVE_MEMBERS + 1):
        key = f"ILU{number}"
        found[key], _created = Organization.objects.get_or_create(
            name=f"{ILLUSTRATIVE_PREFIX} {number}",
            defaults={
                "acronym": "",
                "type": OrganizationType.NGO,
                "countries": ["PE"],
                "active": False,
                "description_es": "Ejemplo ilustrativo: los informes cuentan 21 organizaciones "
                "integrantes pero nombran solo 16.",
            },
        )
    return found


def _networks(summary: NetworkDemoSummary) -> Network:
    network, created = Network.objects.update_or_create(
        slug=NETWORK_SLUG,
        defaults={
            "name": "GTRM Perú — Comunidad de Práctica SMAPS",
            "country": "PE",
            "description": (
                "Comunidad de práctica del Sub-Grupo de Salud Mental y Apoyo Psicosocial del "
                "GTRM Perú: intercambio de metodologías y experiencias en SMAPS entre "
                "organizaciones que asisten a personas refugiadas y migrantes."
            ),
            "website": "https://www.r4v.info/es/peru",
        },
    )
    summary.created += created
    _regional, created = Network.objects.update_or_create(
        slug=REGIONAL_SLUG,
        defaults={
            "name": "Red SMAPS MIRPS",
            "country": "",
            "description": "Red regional de SMAPS del Marco Integral Regional para la "
            "Protección y Soluciones (ilustrativa: sin integrantes ni reuniones cargadas).",
        },
    )
    summary.created += created
    summary.networks = 2
    return network


def _memberships(
    network: Network, orgs: dict[str, Organization], summary: NetworkDemoSummary
) -> list[tuple[Organization, dt.date, dt.date | None]]:
    rows: list[tuple[Organization, dt.date, dt.date | None]] = [
        (orgs[a], joined, None) for a, joined in ACTIVE_MEMBERS
    ]
    rows += [(orgs[a], joined, left) for a, joined, left in FORMER_MEMBERS]
    rows += [
        (orgs[f"ILU{n}"], dt.date(2021, 4, 1), left)
        for n, left in enumerate(ILLUSTRATIVE_LEFT_ON, start=1)
    ]
    from ruta.accounts.models import User

    for organization, joined, left in rows:
        membership, created = Membership.objects.update_or_create(
            network=network,
            organization=organization,
            defaults={
                "joined_on": joined,
                "left_on": left,
                "status": MembershipStatus.INACTIVE if left else MembershipStatus.ACTIVE,
            },
        )
        summary.created += created
        if created and organization.acronym in ("CARE", "HIAS"):
            focal = User.objects.filter(
                organization=organization, role="agency_admin", is_demo=True
            )
            membership.focal_users.set(focal)
    summary.members = len(rows)
    return rows


def _meetings(
    network: Network, orgs: dict[str, Organization], summary: NetworkDemoSummary
) -> list[Meeting]:
    meetings = []
    for spec in MEETINGS:
        meeting, created = Meeting.objects.update_or_create(
            uuid=demo_uuid("meeting", spec.key),
            defaults={
                "network": network,
                "title": spec.title,
                "title_en": spec.title_en,
                "kind": spec.kind,
                "starts_at": _lima(spec.day, *spec.start),
                "ends_at": _lima(spec.day, *spec.end),
                "modality": spec.modality,
                "place": spec.place,
                "topics": list(spec.topics),
                "topics_en": list(spec.topics_en),
                "iasc_layers": list(spec.layers),
                "agenda": spec.agenda,
                "agenda_en": spec.agenda_en,
                "learnings": spec.learnings,
                "learnings_en": spec.learnings_en,
                "public": True,
                "registration_open": False,
            },
        )
        summary.created += created
        meeting.host_organizations.set([orgs[a] for a in spec.hosts])
        meeting.presenting_organizations.set([orgs[a] for a in spec.presenters])
        meetings.append(meeting)
    summary.meetings = len(meetings)
    return meetings


def _upcoming(network: Network, orgs: dict[str, Organization], summary: NetworkDemoSummary) -> None:
    """An illustrative next meeting with registration open, a month from today."""
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting, created = Meeting.objects.update_or_create(
        uuid=demo_uuid("meeting", "next"),
        defaults={
            "network": network,
            "title": "Reunión de intercambio: SMAPS y trabajo con adolescentes (ilustrativa)",
            "kind": MeetingKind.MEETING,
            "starts_at": _lima(day, 15),
            "ends_at": _lima(day, 17),
            "modality": Modality.HYBRID,
            "place": "Sede en Lima de CARE Perú, Av. Javier Prado 444, San Isidro",
            "topics": ["Acompañamiento psicosocial a adolescentes en movilidad"],
            "iasc_layers": ["layer2"],
            "agenda": "Reunión ilustrativa para probar la inscripción.",
            "public": True,
            "registration_open": True,
        },
    )
    summary.created += created
    meeting.host_organizations.set([orgs["CARE"]])


def _people(
    members: list[tuple[Organization, dt.date, dt.date | None]], summary: NetworkDemoSummary
) -> dict[int, Person]:
    plan = attendance_plan()
    total = max(max(people) for people in plan)
    # Regular participants come from the members that founded the network in 2021 and stay.
    founders = [org for org, joined, left in members if left is None and joined.year == 2021]
    guests = [
        ("HN", "Organización invitada de Honduras"),
        ("VE", "Organización invitada de Venezuela"),
    ]
    first_meeting = {
        person: index for index in reversed(range(len(plan))) for person in plan[index]
    }
    sexes = [
        PersonSex.FEMALE,
        PersonSex.FEMALE,
        PersonSex.MALE,
        PersonSex.FEMALE,
        PersonSex.UNDISCLOSED,
    ]
    existing = {p.uuid: p for p in Person.objects.filter(email__endswith="@" + PEOPLE_DOMAIN)}
    people: dict[int, Person] = {}
    new: list[Person] = []
    for number in range(1, total + 1):
        key = demo_uuid("person", str(number))
        if key in existing:
            people[number] = existing[key]
            continue
        meeting_index = first_meeting[number]
        org: Organization | None = None
        org_name = ""
        country = "PE"
        if number > REGULARS and meeting_index == 3 and number % 3 == 0:
            country, org_name = guests[number % 2]
        else:
            # Members of that meeting's date: regulars stay with the 14 active members.
            pool = (
                founders
                if number <= REGULARS
                else [
                    org
                    for org, joined, left in members
                    if joined <= MEETINGS[meeting_index].day
                    and (left is None or left >= MEETINGS[meeting_index].day)
                ]
            )
            org = pool[number % len(pool)]
        person = Person(
            uuid=key,
            full_name=f"Participante {number:03d}",
            email=f"participante{number:03d}@{PEOPLE_DOMAIN}",
            organization=org,
            organization_name=org_name,
            sex=sexes[number % len(sexes)],
            country=country,
            data_consent_at=_lima(MEETINGS[meeting_index].day, 12),
        )
        new.append(person)
        people[number] = person
    Person.objects.bulk_create(new)
    summary.created += len(new)
    summary.people = total
    # bulk_create on SQLite/PostgreSQL sets pks; re-read to be sure on every backend.
    if new:
        by_uuid = {p.uuid: p for p in Person.objects.filter(uuid__in=[p.uuid for p in new])}
        for number, person in people.items():
            people[number] = by_uuid.get(person.uuid, person)
    return people


def _attendances(
    meetings: list[Meeting], people: dict[int, Person], summary: NetworkDemoSummary
) -> None:
    plan = attendance_plan()
    before = Attendance.objects.filter(meeting__in=meetings).count()
    rows = []
    for meeting, numbers in zip(meetings, plan, strict=True):
        for number in numbers:
            person = people[number]
            rows.append(
                Attendance(
                    meeting=meeting,
                    person=person,
                    organization_id=person.organization_id,
                    organization_name=person.organization_name,
                    checked_in_at=meeting.starts_at + dt.timedelta(minutes=number % 15),
                    source=AttendanceSource.CHECK_IN,
                )
            )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    after = Attendance.objects.filter(meeting__in=meetings).count()
    summary.created += after - before
    summary.attendances = after


def load_network_demo() -> NetworkDemoSummary:
    """Create or update the community-of-practice demo; safe to run again."""
    summary = NetworkDemoSummary()
    with transaction.atomic():
        orgs = _organizations()
        network = _networks(summary)
        members = _memberships(network, orgs, summary)
        meetings = _meetings(network, orgs, summary)
        _upcoming(network, orgs, summary)
        people = _people(members, summary)
        _attendances(meetings, people, summary)
    return summary


def remove_network_demo() -> int:
    """Delete the demo networks (with their meetings and attendance) and demo people."""
    with transaction.atomic():
        count, _rows = Network.objects.filter(slug__in=[NETWORK_SLUG, REGIONAL_SLUG]).delete()
        people, _rows = Person.objects.filter(email__endswith="@" + PEOPLE_DOMAIN).delete()
        orgs = 0
        for organization in Organization.objects.filter(name__startswith=ILLUSTRATIVE_PREFIX):
            if not organization.network_memberships.exists() and not organization.users.exists():
                organization.delete()
                orgs += 1
    return count + people + orgs


def load_demo() -> NetworkDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_network_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("community-of-practice records", remove_network_demo())
