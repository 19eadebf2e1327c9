"""The everyday words people type for what they need, as first shipped.

Seeded once by a data migration into ``EverydayWord`` rows that the network's
coordinators then edit (/directorio/palabras/). Spanish and English, with the words of
Venezuela, Colombia, Peru, Ecuador and Central America marked by where they are said.
Each entry: (word or phrase, language, where it is said, term codes it means). Term codes
are those of ``ruta.directory.vocabularies`` (sectors and population profiles).

Pure data: the migration imports it, so it never imports a model.
"""

from __future__ import annotations

# Needs, as groups of term codes.
VIOLENCE = ("gbv_case_management", "psychosocial_support")
SEXUAL_VIOLENCE = ("gbv_case_management", "psychosocial_support", "medical", "srh")
SUICIDE = ("mental_health", "psychosocial_support", "helpline")
DISTRESS = ("psychosocial_support", "mental_health")
TALK = ("psychosocial_support", "helpline")
PAPERS = ("documentation", "legal")
LEGAL = ("legal",)
ASYLUM = ("legal", "documentation", "shelter")
SHELTER = ("shelter",)
FOOD = ("food", "cash")
MONEY = ("cash", "livelihoods")
WORK = ("livelihoods",)
HEALTH = ("medical",)
PREGNANCY = ("srh", "medical")
CHILDREN = ("child_protection", "girls", "boys")
SCHOOL = ("formal_education", "informal_education")
ADDICTION = ("mental_health",)
LGBTIQ = ("lgbtiq",)
DISABILITY = ("disability",)
OLDER = ("older",)
TRANSIT = ("in_transit", "shelter", "food")
PLAY = ("recreation", "child_protection")

ES, EN = "es", "en"
VE, CO, PE, EC, CA = "Venezuela", "Colombia", "Perú", "Ecuador", "Centroamérica"

SEED: list[tuple[str, str, str, tuple[str, ...]]] = [
    # Violence, in the words people use for it.
    ("violación", ES, "", SEXUAL_VIOLENCE),
    ("me violaron", ES, "", SEXUAL_VIOLENCE),
    ("abuso sexual", ES, "", SEXUAL_VIOLENCE),
    ("abusaron de mí", ES, "", SEXUAL_VIOLENCE),
    ("agresión sexual", ES, "", SEXUAL_VIOLENCE),
    ("violencia sexual", ES, "", SEXUAL_VIOLENCE),
    ("acoso", ES, "", VIOLENCE),
    ("acoso sexual", ES, "", SEXUAL_VIOLENCE),
    ("tocamientos", ES, "", SEXUAL_VIOLENCE),
    ("abuso", ES, "", VIOLENCE),
    ("maltrato", ES, "", VIOLENCE),
    ("me maltrata", ES, "", VIOLENCE),
    ("golpes", ES, "", VIOLENCE),
    ("me pegan", ES, "", VIOLENCE),
    ("me pega", ES, "", VIOLENCE),
    ("me golpea", ES, "", VIOLENCE),
    ("me golpean", ES, "", VIOLENCE),
    ("mi pareja me pega", ES, "", VIOLENCE),
    ("mi esposo me pega", ES, "", VIOLENCE),
    ("mi marido me pega", ES, "", VIOLENCE),
    ("paliza", ES, "", VIOLENCE),
    ("coñazos", ES, VE, VIOLENCE),
    ("me cayó a coñazos", ES, VE, VIOLENCE),
    ("vergueada", ES, CA, VIOLENCE),
    ("me verguean", ES, CA, VIOLENCE),
    ("me amenaza", ES, "", VIOLENCE),
    ("amenazas", ES, "", VIOLENCE),
    ("violencia doméstica", ES, "", VIOLENCE),
    ("violencia familiar", ES, "", VIOLENCE),
    ("violencia de género", ES, "", VIOLENCE),
    ("violencia intrafamiliar", ES, CO, VIOLENCE),
    ("trata", ES, "", (*VIOLENCE, "legal")),
    ("trata de personas", ES, "", (*VIOLENCE, "legal")),
    ("explotación sexual", ES, "", SEXUAL_VIOLENCE),
    ("me obligan a trabajar", ES, "", (*VIOLENCE, "legal")),
    ("rape", EN, "", SEXUAL_VIOLENCE),
    ("raped", EN, "", SEXUAL_VIOLENCE),
    ("sexual assault", EN, "", SEXUAL_VIOLENCE),
    ("sexual abuse", EN, "", SEXUAL_VIOLENCE),
    ("harassment", EN, "", VIOLENCE),
    ("domestic violence", EN, "", VIOLENCE),
    ("beaten", EN, "", VIOLENCE),
    ("hits me", EN, "", VIOLENCE),
    ("beats me", EN, "", VIOLENCE),
    ("threatened", EN, "", VIOLENCE),
    ("trafficking", EN, "", (*VIOLENCE, "legal")),
    # Suicide, distress, someone to talk to.
    ("suicidio", ES, "", SUICIDE),
    ("suicidarme", ES, "", SUICIDE),
    ("quiero morir", ES, "", SUICIDE),
    ("me quiero morir", ES, "", SUICIDE),
    ("no quiero vivir", ES, "", SUICIDE),
    ("quitarme la vida", ES, "", SUICIDE),
    ("matarme", ES, "", SUICIDE),
    ("pensamientos suicidas", ES, "", SUICIDE),
    ("depresión", ES, "", DISTRESS),
    ("deprimido", ES, "", DISTRESS),
    ("deprimida", ES, "", DISTRESS),
    ("tristeza", ES, "", DISTRESS),
    ("triste", ES, "", DISTRESS),
    ("ansiedad", ES, "", DISTRESS),
    ("angustia", ES, "", DISTRESS),
    ("nervios", ES, "", DISTRESS),
    ("pánico", ES, "", DISTRESS),
    ("ataques de pánico", ES, "", DISTRESS),
    ("estrés", ES, "", DISTRESS),
    ("no puedo dormir", ES, "", DISTRESS),
    ("insomnio", ES, "", DISTRESS),
    ("trauma", ES, "", DISTRESS),
    ("duelo", ES, "", DISTRESS),
    ("lloro mucho", ES, "", DISTRESS),
    ("soledad", ES, "", TALK),
    ("me siento solo", ES, "", TALK),
    ("me siento sola", ES, "", TALK),
    ("hablar con alguien", ES, "", TALK),
    ("alguien con quien hablar", ES, "", TALK),
    ("desahogarme", ES, "", TALK),
    ("estoy mal", ES, "", TALK),
    ("bajón", ES, VE, DISTRESS),
    ("bajoneado", ES, VE, DISTRESS),
    ("bajoneada", ES, VE, DISTRESS),
    ("agüitado", ES, CA, DISTRESS),
    ("agüitada", ES, CA, DISTRESS),
    ("psicólogo", ES, "", DISTRESS),
    ("psicóloga", ES, "", DISTRESS),
    ("drogas", ES, "", ADDICTION),
    ("alcohol", ES, "", ADDICTION),
    ("adicción", ES, "", ADDICTION),
    ("suicide", EN, "", SUICIDE),
    ("suicidal", EN, "", SUICIDE),
    ("want to die", EN, "", SUICIDE),
    ("kill myself", EN, "", SUICIDE),
    ("depression", EN, "", DISTRESS),
    ("depressed", EN, "", DISTRESS),
    ("anxiety", EN, "", DISTRESS),
    ("panic", EN, "", DISTRESS),
    ("stress", EN, "", DISTRESS),
    ("sad", EN, "", DISTRESS),
    ("lonely", EN, "", TALK),
    ("grief", EN, "", DISTRESS),
    ("can't sleep", EN, "", DISTRESS),
    ("someone to talk to", EN, "", TALK),
    ("addiction", EN, "", ADDICTION),
    # Papers and the law.
    ("papeles", ES, "", PAPERS),
    ("sin papeles", ES, "", PAPERS),
    ("documentos", ES, "", PAPERS),
    ("pasaporte", ES, "", PAPERS),
    ("cédula", ES, "", PAPERS),
    ("carné de extranjería", ES, PE, PAPERS),
    ("carnet de extranjería", ES, PE, PAPERS),
    ("ptp", ES, PE, PAPERS),
    ("cpp", ES, PE, PAPERS),
    ("permiso temporal", ES, "", PAPERS),
    ("permiso de trabajo", ES, "", (*PAPERS, "livelihoods")),
    ("visa", ES, "", PAPERS),
    ("regularización", ES, "", PAPERS),
    ("regularizarme", ES, "", PAPERS),
    ("migraciones", ES, PE, PAPERS),
    ("residencia", ES, "", PAPERS),
    ("partida de nacimiento", ES, "", PAPERS),
    ("apostilla", ES, "", PAPERS),
    ("asilo", ES, "", ASYLUM),
    ("refugio", ES, "", SHELTER),  # mostly a roof; asking for asylum has its own phrases
    ("solicitar refugio", ES, "", ASYLUM),
    ("pedir refugio", ES, "", ASYLUM),
    ("condición de refugiado", ES, "", ASYLUM),
    ("refugiado", ES, "", ASYLUM),
    ("refugiada", ES, "", ASYLUM),
    ("deportación", ES, "", LEGAL),
    ("me van a deportar", ES, "", LEGAL),
    ("abogado", ES, "", LEGAL),
    ("abogada", ES, "", LEGAL),
    ("denuncia", ES, "", (*LEGAL, "gbv_case_management")),
    ("denunciar", ES, "", (*LEGAL, "gbv_case_management")),
    ("custodia", ES, "", LEGAL),
    ("pensión de alimentos", ES, "", LEGAL),
    ("pensión alimenticia", ES, "", LEGAL),
    ("manutención", ES, "", LEGAL),
    ("divorcio", ES, "", LEGAL),
    ("papers", EN, "", PAPERS),
    ("passport", EN, "", PAPERS),
    ("residence permit", EN, "", PAPERS),
    ("asylum", EN, "", ASYLUM),
    ("refugee", EN, "", ASYLUM),
    ("deportation", EN, "", LEGAL),
    ("lawyer", EN, "", LEGAL),
    ("custody", EN, "", LEGAL),
    ("child support", EN, "", LEGAL),
    # A roof, food, money, work.
    ("albergue", ES, "", SHELTER),
    ("dónde dormir", ES, "", SHELTER),
    ("lugar para dormir", ES, "", SHELTER),
    ("techo", ES, "", SHELTER),
    ("vivienda", ES, "", SHELTER),
    ("casa de acogida", ES, "", SHELTER),
    ("casa refugio", ES, "", (*SHELTER, "gbv_case_management")),
    ("en la calle", ES, "", SHELTER),
    ("situación de calle", ES, "", SHELTER),
    ("desalojo", ES, "", (*SHELTER, "legal")),
    ("alquiler", ES, "", (*SHELTER, "cash")),
    ("arriendo", ES, CO, (*SHELTER, "cash")),
    ("comida", ES, "", FOOD),
    ("hambre", ES, "", FOOD),
    ("alimentos", ES, "", FOOD),
    ("comedor", ES, "", FOOD),
    ("olla común", ES, PE, FOOD),
    ("canasta", ES, "", FOOD),
    ("dinero", ES, "", MONEY),
    ("plata", ES, "", MONEY),
    ("real", ES, VE, MONEY),
    ("reales", ES, VE, MONEY),
    ("pisto", ES, CA, MONEY),
    ("bono", ES, "", MONEY),
    ("ayuda económica", ES, "", MONEY),
    ("trabajo", ES, "", WORK),
    ("empleo", ES, "", WORK),
    ("chamba", ES, PE, WORK),
    ("camello", ES, CO, WORK),
    ("emprendimiento", ES, "", WORK),
    ("shelter", EN, "", SHELTER),
    ("place to sleep", EN, "", SHELTER),
    ("homeless", EN, "", SHELTER),
    ("housing", EN, "", SHELTER),
    ("eviction", EN, "", (*SHELTER, "legal")),
    ("hungry", EN, "", FOOD),
    ("food", EN, "", FOOD),
    ("money", EN, "", MONEY),
    ("job", EN, "", WORK),
    # Health.
    ("médico", ES, "", HEALTH),
    ("doctor", ES, "", HEALTH),
    ("enfermo", ES, "", HEALTH),
    ("enferma", ES, "", HEALTH),
    ("hospital", ES, "", HEALTH),
    ("medicinas", ES, "", HEALTH),
    ("medicamentos", ES, "", HEALTH),
    ("embarazo", ES, "", PREGNANCY),
    ("embarazada", ES, "", PREGNANCY),
    ("estoy embarazada", ES, "", PREGNANCY),
    ("control prenatal", ES, "", PREGNANCY),
    ("anticonceptivos", ES, "", PREGNANCY),
    ("pastilla del día siguiente", ES, "", PREGNANCY),
    ("píldora del día siguiente", ES, "", PREGNANCY),
    ("vih", ES, "", PREGNANCY),
    ("sick", EN, "", HEALTH),
    ("pregnant", EN, "", PREGNANCY),
    ("contraception", EN, "", PREGNANCY),
    ("hiv", EN, "", PREGNANCY),
    # Children and young people.
    ("niños", ES, "", CHILDREN),
    ("niñas", ES, "", CHILDREN),
    ("mi hijo", ES, "", CHILDREN),
    ("mi hija", ES, "", CHILDREN),
    ("mis hijos", ES, "", CHILDREN),
    ("menores", ES, "", CHILDREN),
    ("niño solo", ES, "", (*CHILDREN, "unaccompanied")),
    ("no acompañado", ES, "", (*CHILDREN, "unaccompanied")),
    ("chamos", ES, VE, CHILDREN),
    ("chamitos", ES, VE, CHILDREN),
    ("cipotes", ES, CA, CHILDREN),
    ("patojos", ES, CA, CHILDREN),
    ("guaguas", ES, EC, CHILDREN),
    ("escuela", ES, "", SCHOOL),
    ("colegio", ES, "", SCHOOL),
    ("matrícula", ES, "", SCHOOL),
    ("estudiar", ES, "", SCHOOL),
    ("jugar", ES, "", PLAY),
    ("children", EN, "", CHILDREN),
    ("my child", EN, "", CHILDREN),
    ("kids", EN, "", CHILDREN),
    ("school", EN, "", SCHOOL),
    # Who: people name themselves.
    ("trans", ES, "", LGBTIQ),
    ("gay", ES, "", LGBTIQ),
    ("lesbiana", ES, "", LGBTIQ),
    ("lgbt", ES, "", LGBTIQ),
    ("discapacidad", ES, "", DISABILITY),
    ("silla de ruedas", ES, "", DISABILITY),
    ("adulto mayor", ES, "", OLDER),
    ("abuelo", ES, "", OLDER),
    ("abuela", ES, "", OLDER),
    ("caminantes", ES, VE, TRANSIT),
    ("caminante", ES, VE, TRANSIT),
    ("de paso", ES, "", TRANSIT),
    ("voy de paso", ES, "", TRANSIT),
    ("disability", EN, "", DISABILITY),
    ("elderly", EN, "", OLDER),
    ("walkers", EN, "", TRANSIT),
    ("in transit", EN, "", TRANSIT),
]

# Words that carry no need ("ayuda para depresión"): left out of a search that has other
# words, so that they do not have to appear in a service's text.
_FILLERS = (
    # Spanish: articles, prepositions, pronouns, "I need", "I am", "I have".
    "a al con de del el en la las lo los me mi mis para por que se su un una y no "
    "ayuda necesito quiero busco donde hay estoy ando tengo soy esta nos le les "
    # English.
    "an and for i in is my of the to with help need want looking am have he she they"
)
FILLER_WORDS = frozenset(_FILLERS.split(" "))
