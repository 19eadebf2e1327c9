"""The inventory's vocabularies with their official Spanish and English titles.

Loaded by the data migration ``0002_vocabularies`` (idempotent: ``load_vocabularies``
updates titles and adds what is missing, never deletes). Sources: the 2030 Agenda
(A/RES/70/1) for the SDGs, the Global Compact for Safe, Orderly and Regular Migration
(A/RES/73/195, objectives and the guiding principles of paragraph 15), and the IASC
Guidelines on MHPSS in Emergency Settings (2007) for the intervention pyramid.
"""

from __future__ import annotations

from typing import Any

SDGS: list[tuple[int, str, str]] = [
    (1, "Fin de la pobreza", "No poverty"),
    (2, "Hambre cero", "Zero hunger"),
    (3, "Salud y bienestar", "Good health and well-being"),
    (4, "Educación de calidad", "Quality education"),
    (5, "Igualdad de género", "Gender equality"),
    (6, "Agua limpia y saneamiento", "Clean water and sanitation"),
    (7, "Energía asequible y no contaminante", "Affordable and clean energy"),
    (8, "Trabajo decente y crecimiento económico", "Decent work and economic growth"),
    (9, "Industria, innovación e infraestructura", "Industry, innovation and infrastructure"),
    (10, "Reducción de las desigualdades", "Reduced inequalities"),
    (11, "Ciudades y comunidades sostenibles", "Sustainable cities and communities"),
    (12, "Producción y consumo responsables", "Responsible consumption and production"),
    (13, "Acción por el clima", "Climate action"),
    (14, "Vida submarina", "Life below water"),
    (15, "Vida de ecosistemas terrestres", "Life on land"),
    (16, "Paz, justicia e instituciones sólidas", "Peace, justice and strong institutions"),
    (17, "Alianzas para lograr los objetivos", "Partnerships for the goals"),
]

GCM_OBJECTIVES: list[tuple[int, str, str]] = [
    (
        1,
        "Recopilar y utilizar datos exactos y desglosados para formular políticas con base empírica",
        "Collect and utilize accurate and disaggregated data as a basis for evidence-based "
        "policies",
    ),
    (
        2,
        "Minimizar los factores adversos y estructurales que obligan a las personas a abandonar "
        "su país de origen",
        "Minimize the adverse drivers and structural factors that compel people to leave their "
        "country of origin",
    ),
    (
        3,
        "Proporcionar información exacta y oportuna en todas las etapas de la migración",
        "Provide accurate and timely information at all stages of migration",
    ),
    (
        4,
        "Velar por que todos los migrantes tengan pruebas de su identidad jurídica y "
        "documentación adecuada",
        "Ensure that all migrants have proof of legal identity and adequate documentation",
    ),
    (
        5,
        "Aumentar la disponibilidad y flexibilidad de las vías de migración regular",
        "Enhance availability and flexibility of pathways for regular migration",
    ),
    (
        6,
        "Facilitar la contratación equitativa y ética y salvaguardar las condiciones que "
        "garantizan el trabajo decente",
        "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
    ),
    (
        7,
        "Abordar y reducir las vulnerabilidades en la migración",
        "Address and reduce vulnerabilities in migration",
    ),
    (
        8,
        "Salvar vidas y emprender iniciativas internacionales coordinadas sobre los migrantes "
        "desaparecidos",
        "Save lives and establish coordinated international efforts on missing migrants",
    ),
    (
        9,
        "Reforzar la respuesta transnacional al tráfico ilícito de migrantes",
        "Strengthen the transnational response to smuggling of migrants",
    ),
    (
        10,
        "Prevenir, combatir y erradicar la trata de personas en el contexto de la migración "
        "internacional",
        "Prevent, combat and eradicate trafficking in persons in the context of international "
        "migration",
    ),
    (
        11,
        "Gestionar las fronteras de manera integrada, segura y coordinada",
        "Manage borders in an integrated, secure and coordinated manner",
    ),
    (
        12,
        "Aumentar la certidumbre y previsibilidad de los procedimientos migratorios para la "
        "adecuada verificación de antecedentes, evaluación y derivación",
        "Strengthen certainty and predictability in migration procedures for appropriate "
        "screening, assessment and referral",
    ),
    (
        13,
        "Utilizar la detención de migrantes solo como último recurso y buscar otras alternativas",
        "Use migration detention only as a measure of last resort and work towards alternatives",
    ),
    (
        14,
        "Mejorar la protección, asistencia y cooperación consulares a lo largo de todo el ciclo "
        "migratorio",
        "Enhance consular protection, assistance and cooperation throughout the migration cycle",
    ),
    (
        15,
        "Proporcionar a los migrantes acceso a servicios básicos",
        "Provide access to basic services for migrants",
    ),
    (
        16,
        "Empoderar a los migrantes y las sociedades para lograr la plena inclusión y la cohesión "
        "social",
        "Empower migrants and societies to realize full inclusion and social cohesion",
    ),
    (
        17,
        "Eliminar todas las formas de discriminación y promover un discurso público con base "
        "empírica para modificar las percepciones de la migración",
        "Eliminate all forms of discrimination and promote evidence-based public discourse to "
        "shape perceptions of migration",
    ),
    (
        18,
        "Invertir en el desarrollo de aptitudes y facilitar el reconocimiento mutuo de aptitudes, "
        "cualificaciones y competencias",
        "Invest in skills development and facilitate mutual recognition of skills, "
        "qualifications and competences",
    ),
    (
        19,
        "Crear las condiciones necesarias para que los migrantes y las diásporas puedan "
        "contribuir plenamente al desarrollo sostenible en todos los países",
        "Create conditions for migrants and diasporas to fully contribute to sustainable "
        "development in all countries",
    ),
    (
        20,
        "Promover transferencias de remesas más rápidas, seguras y económicas y fomentar la "
        "inclusión financiera de los migrantes",
        "Promote faster, safer and cheaper transfer of remittances and foster financial "
        "inclusion of migrants",
    ),
    (
        21,
        "Colaborar para facilitar el regreso y la readmisión en condiciones de seguridad y "
        "dignidad, así como la reintegración sostenible",
        "Cooperate in facilitating safe and dignified return and readmission, as well as "
        "sustainable reintegration",
    ),
    (
        22,
        "Establecer mecanismos para la portabilidad de la seguridad social y las prestaciones "
        "adquiridas",
        "Establish mechanisms for the portability of social security entitlements and earned "
        "benefits",
    ),
    (
        23,
        "Fortalecer la cooperación internacional y las alianzas mundiales para la migración "
        "segura, ordenada y regular",
        "Strengthen international cooperation and global partnerships for safe, orderly and "
        "regular migration",
    ),
]

# (code, order, Spanish, English): paragraph 15 of the Global Compact, a) to j).
GUIDING_PRINCIPLES: list[tuple[str, int, str, str]] = [
    ("people-centred", 1, "Centrarse en las personas", "People-centred"),
    ("international-cooperation", 2, "Cooperación internacional", "International cooperation"),
    ("national-sovereignty", 3, "Soberanía nacional", "National sovereignty"),
    (
        "rule-of-law",
        4,
        "Estado de derecho y garantías procesales",
        "Rule of law and due process",
    ),
    ("sustainable-development", 5, "Desarrollo sostenible", "Sustainable development"),
    ("human-rights", 6, "Derechos humanos", "Human rights"),
    ("gender-responsive", 7, "Perspectiva de género", "Gender-responsive"),
    ("child-sensitive", 8, "Perspectiva infantil", "Child-sensitive"),
    ("whole-of-government", 9, "Enfoque pangubernamental", "Whole-of-government approach"),
    ("whole-of-society", 10, "Enfoque pansocial", "Whole-of-society approach"),
]

IASC_LAYERS: list[tuple[int, str, str]] = [
    (1, "Servicios básicos y seguridad", "Basic services and security"),
    (2, "Apoyos comunitarios y familiares", "Community and family supports"),
    (3, "Apoyos focalizados no especializados", "Focused, non-specialised supports"),
    (4, "Servicios especializados", "Specialised services"),
]

# (code, order, Spanish, English): a small taxonomy coordinators may extend.
THEMES: list[tuple[str, int, str, str]] = [
    (
        "mhpss",
        1,
        "Salud mental y apoyo psicosocial (SMAPS)",
        "Mental health and psychosocial support (MHPSS)",
    ),
    ("gbv", 2, "Violencia basada en género (VBG)", "Gender-based violence (GBV)"),
    ("child-protection", 3, "Protección de la niñez", "Child protection"),
    ("capacity-building", 4, "Fortalecimiento de capacidades", "Capacity building"),
    ("coordination", 5, "Coordinación interinstitucional", "Inter-agency coordination"),
    ("community-based", 6, "Apoyo comunitario", "Community-based support"),
    ("digital-remote", 7, "Atención digital y a distancia", "Digital and remote support"),
    ("policy", 8, "Políticas públicas y normativa", "Public policy and regulation"),
    ("cash-assistance", 9, "Transferencias monetarias", "Cash-based assistance"),
]


def load_vocabularies(apps: Any = None) -> None:
    """Create or update every vocabulary row (historical models inside a migration)."""
    if apps is None:
        from django.apps import apps as live

        apps = live
    numbered = (("SDG", SDGS), ("GCMObjective", GCM_OBJECTIVES), ("IascLayer", IASC_LAYERS))
    for model_name, numbered_rows in numbered:
        model = apps.get_model("practices", model_name)
        for number, title_es, title_en in numbered_rows:
            model.objects.update_or_create(
                number=number, defaults={"title_es": title_es, "title_en": title_en}
            )
    coded = (("GuidingPrinciple", GUIDING_PRINCIPLES), ("Theme", THEMES))
    for model_name, coded_rows in coded:
        model = apps.get_model("practices", model_name)
        for code, order, title_es, title_en in coded_rows:
            model.objects.update_or_create(
                code=code, defaults={"order": order, "title_es": title_es, "title_en": title_en}
            )
