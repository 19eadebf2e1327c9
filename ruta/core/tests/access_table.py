"""Who may use each route, and what they get: the policy, written down apart from the code.

One line per URL name, grouped by app. Each line says

- who may use the route: a named set of roles below (``ANYONE`` includes people who are
  not logged in);
- what an allowed role gets: a page with its ``<h1>``, a redirect and its target, JSON
  with its key fields, or a file's content type (``per_role`` where a role gets
  something else);
- what a logged-in role without access gets: 403, or ``HIDE`` (404) for anything that
  would tell that case data exists.

Anonymous users of a route that is not ``ANYONE``'s are sent to the login page (HTML)
or answered 401 (API). ``test_access_table.py`` compares this table with the URL
resolver and ``ruta.lib.permissions``, then calls every route as every role. When
a rule changes on purpose, change its line here in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ADMIN = "admin"
COORDINATOR = "coordinator"
ANALYST = "analyst"
AGENCY_ADMIN = "agency_admin"
SUPERVISOR = "supervisor"
CASEWORKER = "caseworker"
HELPLINE = "helpline"
ANONYMOUS = "anonymous"

ROLES = (ADMIN, COORDINATOR, ANALYST, AGENCY_ADMIN, SUPERVISOR, CASEWORKER, HELPLINE)

# --- Who ---------------------------------------------------------------------------------
ANYONE = frozenset({*ROLES, ANONYMOUS})  # public pages, the finder, HSDS, open data
SIGNED_IN = frozenset(ROLES)  # any account, whatever its role
# Survivors' case records: the caseworker who holds the case and their supervisor only.
CASE_ROLES = frozenset({SUPERVISOR, CASEWORKER})
SUPERVISORS = frozenset({SUPERVISOR})  # reassign, approve, convene, transfer between agencies
PLATFORM_ADMINS = frozenset({ADMIN})  # the audit log
USER_MANAGERS = frozenset({ADMIN, AGENCY_ADMIN})  # accounts (agency admins: their own agency)
# A second person confirms a case-data role: another agency admin or a supervisor of the
# agency, or a platform admin (never the one who asked, which the action refuses).
GRANT_DECIDERS = frozenset({ADMIN, AGENCY_ADMIN, SUPERVISOR})
# The inter-agency network's stewards: organizations, taxonomy, pathways, the practice
# hub, meetings, trainings.
NETWORK_LEADS = frozenset({ADMIN, COORDINATOR})
# Who edits an agency's own services, network membership and practice submissions.
AGENCY_EDITORS = frozenset({ADMIN, COORDINATOR, AGENCY_ADMIN})
# Group and community activities: recorded by the organization's own staff.
ACTIVITY_RECORDERS = frozenset({COORDINATOR, SUPERVISOR, CASEWORKER})
# People reached and the 5W: own agency (agency admins, supervisors) or the network
# (coordinators, analysts); aggregates only, never a person.
REACH_READERS = frozenset({COORDINATOR, AGENCY_ADMIN, SUPERVISOR, ANALYST})
# Submitting an organization's 5W: its agency admins and coordinators; the consolidation
# of every organization's submitted 5W: the network's coordinators.
FIVEW_SUBMITTERS = frozenset({COORDINATOR, AGENCY_ADMIN})
FIVEW_CONSOLIDATORS = frozenset({COORDINATOR})
# The indicator frameworks' wording: the network's coordinators. Projects, their targets
# and the values entered by hand: coordinators (any organization) and agency admins (their
# own).
INDICATOR_EDITORS = frozenset({COORDINATOR})
PROJECT_MANAGERS = frozenset({COORDINATOR, AGENCY_ADMIN})
# The helpline desk of an agency: its operators and its supervisors.
HELPLINE_DESK = frozenset({SUPERVISOR, HELPLINE})
# Cash-transfer stabilisation's figures: the agency's desk, and the network's coordinators
# and analysts (aggregates only).
STABILISATION_READERS = frozenset({COORDINATOR, SUPERVISOR, HELPLINE, ANALYST})
# Aggregate figures (never a person): M&E and the people who steer the work.
AGGREGATE_READERS = frozenset({ADMIN, COORDINATOR, SUPERVISOR, ANALYST})

# --- What a role without access gets -----------------------------------------------------
FORBID = 403
HIDE = 404  # as if nothing were there, like another agency's case


# --- What an allowed role gets -----------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """An HTML page whose first ``<h1>`` contains ``h1``."""

    h1: str
    status: int = 200


@dataclass(frozen=True)
class Body:
    """An HTML answer without a heading (a fragment, a JavaScript app) containing ``text``."""

    text: str
    status: int = 200


@dataclass(frozen=True)
class Redirect:
    """A redirect whose target resolves to the URL name ``to``."""

    to: str
    status: int = 302


@dataclass(frozen=True)
class Json:
    """A JSON object with at least these keys."""

    keys: frozenset[str]
    status: int = 200


@dataclass(frozen=True)
class JsonList:
    """A JSON array."""

    status: int = 200


@dataclass(frozen=True)
class File:
    """A download (or a non-HTML document) with this content type."""

    content_type: str
    status: int = 200


@dataclass(frozen=True)
class Empty:
    """An answer with no body (204 No Content)."""

    status: int = 204


Outcome = Page | Body | Redirect | Json | JsonList | File | Empty


def keys(*names: str) -> frozenset[str]:
    return frozenset(names)


CSV = "text/csv"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS = "text/calendar"
PAGED = keys("count", "results")  # a paginated DRF list
HSDS_PAGE = keys("contents", "total_items", "page_number")  # an HSDS paginated list
LOGIN = "accounts:login"
# An object of another organization, to a role that may use the route: as if not there.
NOT_FOUND = Page("Página no encontrada", status=404)


@dataclass(frozen=True)
class Access:
    who: frozenset[str]
    ok: Outcome
    denied: int = FORBID
    per_role: dict[str, Outcome] = field(default_factory=dict)

    def outcome(self, role: str) -> Outcome:
        return self.per_role.get(role, self.ok)


# The GBV statistics are read by the audiences of the ISPs: analysts and the coordinator.
_STATS_HIDDEN_FROM_NON_READERS: dict[str, Outcome] = {
    role: NOT_FOUND for role in ROLES if role not in (ANALYST, COORDINATOR)
}

# fmt: off
TABLE: dict[str, Access] = {
    # --- accounts: signing in and one's own account; user management ---------------------
    "accounts:login": Access(ANYONE, Redirect("core:dashboard"), per_role={ANONYMOUS: Page("Iniciar sesión en Ruta")}),
    "accounts:login_verify": Access(ANYONE, Redirect(LOGIN)),  # no first step in the session
    "accounts:logout": Access(ANYONE, Redirect(LOGIN)),
    "accounts:logout_everywhere": Access(SIGNED_IN, Redirect(LOGIN)),
    "accounts:password_reset": Access(ANYONE, Page("Restablecer su contraseña")),
    "accounts:password_reset_done": Access(ANYONE, Page("Revise su correo")),
    "accounts:password_reset_confirm": Access(ANYONE, Page("Este enlace ya no funciona")),
    "accounts:password_reset_complete": Access(ANYONE, Page("Contraseña guardada")),
    "accounts:password_change": Access(SIGNED_IN, Page("Cambiar mi contraseña")),
    "accounts:security": Access(SIGNED_IN, Page("Mi cuenta")),
    "accounts:two_factor_setup": Access(SIGNED_IN, Page("Configurar la verificación en dos pasos")),
    "accounts:recovery_codes": Access(SIGNED_IN, Redirect("accounts:two_factor_setup")),
    "accounts:user_list": Access(USER_MANAGERS, Page("Usuarios")),
    "accounts:role_grant_list": Access(GRANT_DECIDERS, Page("Asignaciones de rol")),
    "accounts:role_grant_confirm": Access(GRANT_DECIDERS, Redirect("accounts:role_grant_list")),
    "accounts:role_grant_refuse": Access(GRANT_DECIDERS, Redirect("accounts:role_grant_list")),
    "accounts:user_invite": Access(USER_MANAGERS, Page("Invitar a una persona")),
    "accounts:user_detail": Access(USER_MANAGERS, Page("Caseworker Care")),
    "accounts:user_role": Access(USER_MANAGERS, Redirect("accounts:user_detail")),
    "accounts:user_active": Access(USER_MANAGERS, Redirect("accounts:user_detail")),
    "accounts:user_reset_2fa": Access(USER_MANAGERS, Redirect("accounts:user_detail")),
    "accounts:user_resend_invite": Access(USER_MANAGERS, Redirect("accounts:user_detail")),

    # --- agencies --------------------------------------------------------------------------
    "agencies:organization_list": Access(SIGNED_IN, Page("Organizaciones")),
    "agencies:organization_detail": Access(SIGNED_IN, Page("CARE Perú")),
    "agencies:organization_create": Access(NETWORK_LEADS, Page("Añadir una organización")),
    "agencies:organization_edit": Access(NETWORK_LEADS, Page("Editar organización")),
    "agencies:organization_retention": Access(USER_MANAGERS, Page("Cuánto tiempo se conservan los casos cerrados")),

    # --- API: tokens, own account, schema --------------------------------------------------
    "api:token": Access(ANYONE, Json(keys("errors", "message"), status=400)),  # no credentials
    "api:me": Access(SIGNED_IN, Json(keys("uuid", "email", "role", "organization"))),
    "api:logout": Access(SIGNED_IN, Empty()),  # revokes the calling token (none on a session)
    "api:schema": Access(ANYONE, File("application/vnd.oai.openapi")),
    "api:docs": Access(ANYONE, Body('id="swagger-ui"')),

    # --- audit: who did what, including who read which case --------------------------------
    "audit:event_list": Access(PLATFORM_ADMINS, Page("Registro de auditoría")),
    # The CSV is asked for here and made in the background (exports:audit_csv).

    # --- cases: survivors' records ---------------------------------------------------------
    "cases:today": Access(CASE_ROLES, Page("Hoy"), denied=HIDE),
    "cases:case_list": Access(CASE_ROLES, Page("Casos"), denied=HIDE),
    "cases:case_create": Access(CASE_ROLES, Page("Nuevo caso"), denied=HIDE),
    "cases:case_detail": Access(CASE_ROLES, Page("Caso CARE-"), denied=HIDE),
    "cases:client_edit": Access(CASE_ROLES, Page("Editar los datos de la persona"), denied=HIDE),
    "cases:consent_create": Access(CASE_ROLES, Page("Registrar un consentimiento"), denied=HIDE),
    "cases:consent_withdraw": Access(CASE_ROLES, Page("Retirar un consentimiento"), denied=HIDE),
    "cases:risk_edit": Access(CASE_ROLES, Page("Cambiar el nivel de riesgo"), denied=HIDE),
    "cases:stage_edit": Access(CASE_ROLES, Page("Cambiar la etapa"), denied=HIDE),
    "cases:incident_create": Access(CASE_ROLES, Page("Nuevo incidente"), denied=HIDE),
    "cases:assessment_create": Access(CASE_ROLES, Page("Nueva evaluación"), denied=HIDE),
    "cases:assessment_detail": Access(CASE_ROLES, Page("Evaluación"), denied=HIDE),
    "cases:plan": Access(CASE_ROLES, Page("Plan de acción"), denied=HIDE),
    "cases:goal_create": Access(CASE_ROLES, Page("Nueva meta"), denied=HIDE),
    "cases:action_create": Access(CASE_ROLES, Page("Nueva acción"), denied=HIDE),
    "cases:action_edit": Access(CASE_ROLES, Page("Actualizar una acción"), denied=HIDE),
    "cases:safety_plan": Access(CASE_ROLES, Page("Plan de seguridad"), denied=HIDE),
    "cases:safety_plan_print": Access(CASE_ROLES, Page("Mi plan"), denied=HIDE),
    "cases:follow_up_create": Access(CASE_ROLES, Page("Nuevo seguimiento"), denied=HIDE),
    "cases:measures": Access(CASE_ROLES, Page("Medidas de resultado"), denied=HIDE),
    "cases:measure_create": Access(CASE_ROLES, Page("Elija un cuestionario"), denied=HIDE),
    "cases:closure_create": Access(CASE_ROLES, Page("Solicitar el cierre del caso"), denied=HIDE),
    "cases:reopen": Access(CASE_ROLES, Page("Reabrir el caso"), denied=HIDE),
    "cases:approval_request": Access(CASE_ROLES, Redirect("cases:case_detail"), denied=HIDE),
    "cases:approval_decide": Access(SUPERVISORS, Page("Evaluación del caso CARE-"), denied=HIDE),
    "cases:reassign": Access(SUPERVISORS, Page("Reasignar el caso"), denied=HIDE),
    "cases:storage_choice": Access(SUPERVISORS, Redirect("cases:case_detail"), denied=HIDE),
    "cases:team": Access(SUPERVISORS, Page("Equipo"), denied=HIDE),
    "cases:case_list_export": Access(SUPERVISORS, Redirect("exports:list"), denied=HIDE),
    "cases:record_export": Access(SUPERVISORS, Page("Expediente de la persona sobreviviente: caso CARE-"), denied=HIDE),
    "notifications:list": Access(CASE_ROLES, Page("Notificaciones"), denied=HIDE),
    "notifications:read": Access(CASE_ROLES, Redirect("notifications:list"), denied=HIDE),

    # --- cases API -------------------------------------------------------------------------
    "cases_api:case-list": Access(CASE_ROLES, Json(PAGED), denied=HIDE),
    "cases_api:case-detail": Access(CASE_ROLES, Json(keys("code", "client", "caseworker", "risk_level")), denied=HIDE),
    "cases_api:consent-list": Access(CASE_ROLES, JsonList(), denied=HIDE),
    "cases_api:consent-withdraw": Access(CASE_ROLES, Json(keys("uuid", "withdrawn_at", "withdrawn_by")), denied=HIDE),
    "cases_api:incident-list": Access(CASE_ROLES, JsonList(), denied=HIDE),
    "cases_api:assessment-list": Access(CASE_ROLES, JsonList(), denied=HIDE),
    "cases_api:plan": Access(CASE_ROLES, Json(keys("uuid", "state", "goals")), denied=HIDE),
    "cases_api:goal-list": Access(CASE_ROLES, Json(keys("uuid", "need", "actions"), status=201), denied=HIDE),
    "cases_api:plan-action-list": Access(CASE_ROLES, Json(keys("uuid", "goal", "responsible"), status=201), denied=HIDE),
    "cases_api:plan-action-detail": Access(CASE_ROLES, Json(keys("uuid", "goal", "status")), denied=HIDE),
    "cases_api:safety-plan": Access(CASE_ROLES, Json(keys("uuid", "risks", "strategies", "safe_people")), denied=HIDE),
    "cases_api:follow-up-list": Access(CASE_ROLES, JsonList(), denied=HIDE),
    "cases_api:measure-list": Access(CASE_ROLES, JsonList(), denied=HIDE),
    "cases_api:closure-list": Access(CASE_ROLES, JsonList(), denied=HIDE),
    "cases_api:reopen": Access(CASE_ROLES, Json(keys("detail", "message"), status=400), denied=HIDE),  # the case is open
    "cases_api:storage-choice": Access(SUPERVISORS, Json(keys("detail", "message"), status=400), denied=HIDE),  # nothing waits
    "cases_api:approval-list": Access(CASE_ROLES, JsonList(), denied=HIDE),
    "cases_api:approval-decision": Access(SUPERVISORS, Json(keys("uuid", "state", "decided_by")), denied=HIDE),  # as on the page

    # --- conferences: case conferences (supervisors convene and run them) -----------------
    "conferences:my_conferences": Access(CASE_ROLES, Page("Mis conferencias de caso"), denied=HIDE),
    "conferences:my_actions": Access(CASE_ROLES, Page("Mis acciones de conferencias"), denied=HIDE),
    "conferences:case_conferences": Access(CASE_ROLES, Page("Conferencias del caso CARE-"), denied=HIDE),
    "conferences:conference_detail": Access(CASE_ROLES, Page("Conferencia de caso del"), denied=HIDE),
    "conferences:acknowledge": Access(CASE_ROLES, Redirect("conferences:conference_detail"), denied=HIDE),
    "conferences:action_done": Access(CASE_ROLES, Redirect("conferences:conference_detail"), denied=HIDE),
    "conferences:convene": Access(SUPERVISORS, Page("Convocar una conferencia de caso"), denied=HIDE),
    "conferences:participants_add": Access(SUPERVISORS, Page("Conferencia de caso del", status=400), denied=HIDE),
    "conferences:status": Access(SUPERVISORS, Redirect("conferences:conference_detail"), denied=HIDE),
    "conferences:minutes": Access(SUPERVISORS, Redirect("conferences:conference_detail"), denied=HIDE),
    "conferences:decision_create": Access(SUPERVISORS, Redirect("conferences:conference_detail"), denied=HIDE),
    "conferences:action_create": Access(SUPERVISORS, Page("Conferencia de caso del", status=400), denied=HIDE),
    "conferences_api:conference-list": Access(CASE_ROLES, Json(PAGED), denied=HIDE),
    "conferences_api:conference-detail": Access(CASE_ROLES, Json(keys("case", "agenda", "actions")), denied=HIDE),
    "conferences_api:conference-acknowledge": Access(CASE_ROLES, Json(keys("case", "conference_status")), denied=HIDE),

    # --- exports: files with personal data, made in the background, the owner's only --------
    "exports:list": Access(SIGNED_IN, Page("Mis exportaciones")),
    # The example is supervisor.care's case list: everyone else, whatever the role, gets 404.
    "exports:download": Access(SIGNED_IN, Page("Página no encontrada", status=404), per_role={SUPERVISOR: File(CSV)}),
    "exports:audit_csv": Access(PLATFORM_ADMINS, Redirect("exports:list")),

    # --- core ------------------------------------------------------------------------------
    "healthz": Access(ANYONE, Json(keys("status", "database"))),
    "set_language": Access(ANYONE, Redirect("core:dashboard")),
    "core:dashboard": Access(ANYONE, Page("Hola, "), per_role={ANONYMOUS: Page("Encuentra ayuda cerca de ti")}),
    "core:permissions": Access(SIGNED_IN, Page("Quién puede hacer qué")),
    "core:style": Access(SIGNED_IN, Page("Guía de estilo")),

    # --- directory: the staff directory and its editor -------------------------------------
    "directory:service_list": Access(SIGNED_IN, Page("Directorio de servicios")),
    "directory:service_detail": Access(SIGNED_IN, Page("Servicio de ejemplo para el editor")),
    "directory:location_list": Access(SIGNED_IN, Page("Sedes")),
    "directory:taxonomy_list": Access(SIGNED_IN, Page("Taxonomías")),
    "directory:area_options": Access(SIGNED_IN, Body("<option")),
    "directory:service_create": Access(AGENCY_EDITORS, Page("Nuevo servicio")),
    "directory:service_edit": Access(AGENCY_EDITORS, Page("Editar Servicio de ejemplo para el editor")),
    "directory:service_status": Access(AGENCY_EDITORS, Redirect("directory:service_detail")),
    "directory:service_verify": Access(AGENCY_EDITORS, Redirect("directory:service_detail")),
    "directory:location_create": Access(AGENCY_EDITORS, Page("Nueva sede")),
    "directory:location_edit": Access(AGENCY_EDITORS, Page("Editar Sede Servicio de ejemplo")),
    "directory:term_create": Access(NETWORK_LEADS, Page("Nuevo término")),
    "directory:term_edit": Access(NETWORK_LEADS, Page("Editar Orientación y asistencia legal")),
    "directory:everyday_word_list": Access(NETWORK_LEADS, Page("Palabras cotidianas")),
    "directory:everyday_word_create": Access(NETWORK_LEADS, Page("Nueva palabra cotidiana")),
    "directory:everyday_word_edit": Access(NETWORK_LEADS, Page("Editar “me pegan”")),
    "gazetteer:upload": Access(NETWORK_LEADS, Page("Importar un nomenclátor")),
    "gazetteer:review": Access(NETWORK_LEADS, Redirect("gazetteer:upload")),  # nothing uploaded
    "gazetteer:confirm": Access(NETWORK_LEADS, Redirect("gazetteer:upload")),  # nothing uploaded
    "gazetteer:boundaries": Access(NETWORK_LEADS, Page("Importar contornos de áreas")),
    "hsds_import:upload": Access(NETWORK_LEADS, Page("Importar datos HSDS")),
    "hsds_import:detail": Access(NETWORK_LEADS, Page("Importación HSDS")),
    "hsds_import:confirm": Access(NETWORK_LEADS, Redirect("hsds_import:detail")),
    "directory_api:service-list": Access(SIGNED_IN, Json(PAGED)),
    "directory_api:service-detail": Access(SIGNED_IN, Json(keys("uuid", "name_es", "organization"))),
    "directory_api:location-list": Access(SIGNED_IN, Json(PAGED)),
    "directory_api:location-detail": Access(SIGNED_IN, Json(keys("name", "address", "organization"))),
    "directory_api:taxonomy-term-list": Access(SIGNED_IN, Json(PAGED)),
    "directory_api:taxonomy-term-detail": Access(SIGNED_IN, Json(keys("uuid", "code", "taxonomy"))),
    "directory_api:admin-area-list": Access(SIGNED_IN, Json(PAGED)),
    "directory_api:admin-area-detail": Access(SIGNED_IN, Json(keys("pcode", "level", "country"))),

    # --- the public finder and open data (HSDS, HXL) ---------------------------------------
    "finder:search": Access(ANYONE, Page("Encuentra ayuda cerca de ti")),
    "finder:service_detail": Access(ANYONE, Page("Servicio de ejemplo para rutas")),
    "hsds:root": Access(ANYONE, Json(keys("version", "profile", "openapi_url"))),
    "hsds:services": Access(ANYONE, Json(HSDS_PAGE)),
    "hsds:service": Access(ANYONE, Json(keys("id", "name", "organization"))),
    "hsds:organizations": Access(ANYONE, Json(HSDS_PAGE)),
    "hsds:organization": Access(ANYONE, Json(keys("id", "name", "services"))),
    "hsds:service_at_locations": Access(ANYONE, Json(HSDS_PAGE)),
    "hsds:service_at_location": Access(ANYONE, Json(keys("id", "service", "location"))),
    "hsds:taxonomies": Access(ANYONE, Json(HSDS_PAGE)),
    "hsds:taxonomy": Access(ANYONE, Json(keys("id", "name", "version"))),
    "hsds:taxonomy_terms": Access(ANYONE, Json(HSDS_PAGE)),
    "hsds:taxonomy_term": Access(ANYONE, Json(keys("id", "code", "taxonomy_id"))),
    "hsds:export": Access(ANYONE, File("application/zip")),
    "reports:hxl_csv": Access(ANYONE, File(CSV)),
    "reports:hxl_xlsx": Access(ANYONE, File(XLSX)),

    # --- reports: coverage of services (no case data) --------------------------------------
    "reports:coverage": Access(SIGNED_IN, Page("Brechas de cobertura")),
    "reports:coverage_csv": Access(SIGNED_IN, File(CSV)),
    "reports:coverage_xlsx": Access(SIGNED_IN, File(XLSX)),
    "reports:coverage_long_csv": Access(SIGNED_IN, File(CSV)),
    "reports:coverage_long_xlsx": Access(SIGNED_IN, File(XLSX)),

    # --- pathways: published referral pathways are public; the network edits them ----------
    "pathways:list": Access(ANYONE, Page("Rutas de atención")),
    "pathways:detail": Access(ANYONE, Page("Ruta de ejemplo para permisos")),
    "pathways:pdf": Access(ANYONE, File(PDF)),
    "pathways:xlsx": Access(ANYONE, File(XLSX)),
    "pathways:create": Access(NETWORK_LEADS, Page("Nueva ruta de atención")),
    "pathways:edit": Access(NETWORK_LEADS, Page("Editar la ruta")),
    "pathways:add_row": Access(NETWORK_LEADS, Redirect("pathways:detail")),
    "pathways:remove_row": Access(NETWORK_LEADS, Redirect("pathways:detail")),
    "pathways:cell": Access(NETWORK_LEADS, Redirect("pathways:detail")),
    "pathways:status": Access(NETWORK_LEADS, Redirect("pathways:detail")),
    "pathways:verify": Access(NETWORK_LEADS, Redirect("pathways:detail")),

    # --- network: networks, meetings, attendance, materials --------------------------------
    "network:network_list": Access(ANYONE, Page("Redes y comunidades de práctica")),
    "network:network_detail": Access(ANYONE, Page("Comunidad de práctica de prueba")),
    "network:network_feed": Access(ANYONE, File(ICS)),
    "network:meeting_list": Access(ANYONE, Page("Reuniones de las redes")),
    "network:meeting_detail": Access(ANYONE, Page("Reunión de intercambio")),
    "network:meeting_ics": Access(ANYONE, File(ICS)),
    "network:public_registration": Access(ANYONE, Page("Inscripción: Reunión de intercambio")),
    "network:report": Access(ANYONE, Page("Informe de la red")),  # internal parts: signed in
    "network:report_pdf": Access(ANYONE, File(PDF)),
    "network:register": Access(SIGNED_IN, Redirect("network:meeting_detail")),
    "network:material_download": Access(SIGNED_IN, File(PDF)),
    "network:network_create": Access(NETWORK_LEADS, Page("Nueva red")),
    "network:network_edit": Access(NETWORK_LEADS, Page("Editar la red")),
    "network:membership_create": Access(NETWORK_LEADS, Page("Agregar una integrante")),
    "network:membership_edit": Access(AGENCY_EDITORS, Page("Membresía de CARE Perú"), per_role={AGENCY_ADMIN: Redirect("network:own_membership")}),
    "network:own_membership": Access(AGENCY_EDITORS, Page("Mi organización en esta red")),
    "network:meeting_create": Access(NETWORK_LEADS, Page("Nueva reunión")),
    "network:meeting_edit": Access(NETWORK_LEADS, Page("Editar la reunión")),
    "network:checkin": Access(NETWORK_LEADS, Page("Lista de asistencia")),
    "network:walk_in": Access(NETWORK_LEADS, Redirect("network:checkin")),
    "network:attendance_import": Access(NETWORK_LEADS, Page("Importar asistencia (CSV)")),
    "network:follow_ups": Access(NETWORK_LEADS, Page("Acciones de seguimiento")),
    "network:follow_up_edit": Access(NETWORK_LEADS, Page("Acción de seguimiento")),
    "network:materials": Access(NETWORK_LEADS, Page("Materiales")),
    "network:material_remove": Access(NETWORK_LEADS, Redirect("network:materials")),
    "network_api:network-list": Access(ANYONE, Json(PAGED)),
    "network_api:network-detail": Access(ANYONE, Json(keys("name", "country", "members"))),
    "network_api:network-figures": Access(ANYONE, Json(keys("meetings", "meetings_by_modality"))),
    "network_api:meeting-list": Access(ANYONE, Json(PAGED)),
    "network_api:meeting-detail": Access(ANYONE, Json(keys("agenda", "ends_at", "host_organizations"))),

    # --- practices: the good-practice hub (agencies submit, the network reviews) -----------
    "practices:catalogue": Access(ANYONE, Page("Inventario de buenas prácticas")),
    "practices:detail": Access(ANYONE, Page("EX_PUB")),
    "practices:attachment": Access(ANYONE, File(PDF)),
    "practices:export_pdf": Access(ANYONE, File(PDF)),
    "practices:export_xlsx": Access(ANYONE, File(XLSX)),
    "practices:manage": Access(AGENCY_EDITORS, Page("Prácticas en las que trabajo")),
    "practices:create": Access(AGENCY_EDITORS, Page("Nueva buena práctica")),
    "practices:edit": Access(AGENCY_EDITORS, Page("Editar EX_DRAFT")),
    "practices:submit": Access(AGENCY_EDITORS, Redirect("practices:detail")),
    "practices:attachment_add": Access(AGENCY_EDITORS, Page("EX_DRAFT", status=400)),  # no file
    "practices:attachment_remove": Access(AGENCY_EDITORS, Redirect("practices:detail")),
    "practices:review": Access(NETWORK_LEADS, Redirect("practices:detail")),
    "practices:return": Access(NETWORK_LEADS, Redirect("practices:detail")),
    "practices:publish": Access(NETWORK_LEADS, Redirect("practices:detail")),
    "practices:unpublish": Access(NETWORK_LEADS, Redirect("practices:detail")),
    "practices:themes": Access(NETWORK_LEADS, Page("Temas de las prácticas")),
    "practices:theme_edit": Access(NETWORK_LEADS, Page("Tema mhpss")),
    "practices_api:practice-list": Access(ANYONE, Json(PAGED)),
    "practices_api:practice-detail": Access(ANYONE, Json(keys("code", "attachments", "area_es"))),

    # --- helpline: the desk's contacts, risk alerts and call-backs ------------------------
    "helpline:desk": Access(HELPLINE_DESK, Page("Línea de atención"), denied=HIDE),
    "helpline:contact_create": Access(HELPLINE_DESK, Page("Nuevo contacto"), denied=HIDE),
    "helpline:contact_detail": Access(HELPLINE_DESK, Page("Contacto L-"), denied=HIDE),
    "helpline:contact_edit": Access(HELPLINE_DESK, Page("Editar el contacto L-"), denied=HIDE),
    "helpline:contact_first_aid": Access(HELPLINE_DESK, Page("Primeros auxilios psicológicos"), denied=HIDE),
    "helpline:contact_risk": Access(HELPLINE_DESK, Page("Tamizaje de riesgo"), denied=HIDE),
    "helpline:contact_close": Access(HELPLINE_DESK, Redirect("helpline:desk"), denied=HIDE),
    "helpline:contact_debrief": Access(HELPLINE_DESK, Redirect("helpline:contact_detail"), denied=HIDE),
    "helpline:callback_create": Access(HELPLINE_DESK, Page("Programar una devolución de llamada"), denied=HIDE),
    "helpline:callback_detail": Access(HELPLINE_DESK, Page("Devolución de llamada"), denied=HIDE),
    "helpline:callback_finish": Access(HELPLINE_DESK, Redirect("helpline:desk"), denied=HIDE),
    "helpline:contact_review": Access(SUPERVISORS, Redirect("helpline:contact_detail"), denied=HIDE),
    "helpline:alert_acknowledge": Access(SUPERVISORS, Redirect("helpline:contact_detail"), denied=HIDE),
    "helpline:contact_handoff": Access(HELPLINE_DESK, Page("Derivar a la persona que llama"), denied=HIDE),
    "helpline:handover_create": Access(HELPLINE_DESK, Page("Entregar el turno"), denied=HIDE),
    "helpline:handover_detail": Access(HELPLINE_DESK, Page("Relevo de turno"), denied=HIDE),
    # Left by the supervisor: the next operator acknowledges it; its author may not.
    "helpline:handover_acknowledge": Access(
        HELPLINE_DESK,
        Redirect("helpline:desk"),
        denied=HIDE,
        per_role={SUPERVISOR: Redirect("helpline:handover_detail")},
    ),
    "helpline:supervision": Access(SUPERVISORS, Page("Supervisión de la línea"), denied=HIDE),
    # Counts and means only: the network's desks for analysts, the own agency's for others.
    "helpline:figures": Access(AGGREGATE_READERS, Page("Cifras de la línea")),
    "helpline:protocol": Access(SUPERVISORS, Page("Protocolo de riesgo de la organización"), denied=HIDE),

    # --- stabilisation: cash-transfer beneficiaries while their payment is late ------------
    "stabilisation:programmes": Access(HELPLINE_DESK, Page("Estabilización psicosocial en transferencias monetarias"), denied=HIDE),
    "stabilisation:programme": Access(HELPLINE_DESK, Page("Estabilización PTM"), denied=HIDE),
    "stabilisation:programme_create": Access(SUPERVISORS, Page("Nuevo programa de transferencias monetarias"), denied=HIDE),
    "stabilisation:programme_edit": Access(SUPERVISORS, Page("Editar el programa"), denied=HIDE),
    "stabilisation:queue": Access(HELPLINE_DESK, Page("Cola de estabilización"), denied=HIDE),
    "stabilisation:import": Access(HELPLINE_DESK, Page("Importar pagos"), denied=HIDE),
    "stabilisation:beneficiary": Access(HELPLINE_DESK, Page("Persona beneficiaria B-"), denied=HIDE),
    "stabilisation:check": Access(HELPLINE_DESK, Page("Valoración de vulnerabilidades y necesidades"), denied=HIDE),
    "stabilisation:contact": Access(HELPLINE_DESK, Page("Nuevo contacto de estabilización"), denied=HIDE),
    "stabilisation:payment": Access(HELPLINE_DESK, Redirect("stabilisation:beneficiary"), denied=HIDE),
    "stabilisation:figures": Access(STABILISATION_READERS, Page("Cifras de estabilización"), denied=HIDE),
    "stabilisation_api:programme-list": Access(HELPLINE_DESK, Json(PAGED), denied=HIDE),
    "stabilisation_api:programme-detail": Access(HELPLINE_DESK, Json(keys("name", "delay_days", "target_people")), denied=HIDE),
    "stabilisation_api:beneficiary-list": Access(HELPLINE_DESK, Json(PAGED), denied=HIDE),
    "stabilisation_api:beneficiary-detail": Access(HELPLINE_DESK, Json(keys("code", "in_queue", "payments")), denied=HIDE),
    "stabilisation_api:payment-import": Access(HELPLINE_DESK, Json(keys("payments", "entered", "left")), denied=HIDE),
    "stabilisation_api:figures": Access(STABILISATION_READERS, Json(keys("mechanisms", "people_until_paid", "by_territory")), denied=HIDE),

    # --- referrals: a case sent to another agency's service --------------------------------
    "referrals:inbox": Access(CASE_ROLES, Page("Derivaciones"), denied=HIDE),
    "referrals:pick": Access(CASE_ROLES, Page("Derivar el caso CARE-"), denied=HIDE),
    "referrals:send": Access(CASE_ROLES, Page("Derivar el caso CARE-"), denied=HIDE),
    "referrals:detail": Access(CASE_ROLES, Page("Derivación D-"), denied=HIDE),
    "referrals:form_pdf": Access(CASE_ROLES, Redirect("exports:list"), denied=HIDE),  # made in the background
    "referrals:accept": Access(CASE_ROLES, Page("Derivación D-", status=409), denied=HIDE),
    "referrals:decline": Access(CASE_ROLES, Page("Derivación D-", status=409), denied=HIDE),
    "referrals:complete": Access(CASE_ROLES, Page("Derivación D-", status=409), denied=HIDE),
    "referrals:revoke": Access(CASE_ROLES, Redirect("referrals:detail"), denied=HIDE),
    "referrals:assign": Access(SUPERVISORS, Page("Derivación D-", status=400), denied=HIDE),
    "referrals_api:referral-list": Access(CASE_ROLES, Json(keys("count", "results")), denied=HIDE),
    "referrals_api:referral-detail": Access(CASE_ROLES, Json(keys("reference", "case", "service")), denied=HIDE),
    "referrals_api:referral-accept": Access(CASE_ROLES, Json(keys("detail"), status=409), denied=HIDE),
    "referrals_api:referral-decline": Access(CASE_ROLES, Json(keys("errors", "message"), status=400), denied=HIDE),
    "referrals_api:referral-complete": Access(CASE_ROLES, Json(keys("errors", "message"), status=400), denied=HIDE),
    "referrals_api:referral-revoke": Access(CASE_ROLES, Json(keys("reference", "case", "outcome")), denied=HIDE),

    # --- transfers: a whole case moves to another agency (supervisors decide) -------------
    "transfers:inbox": Access(SUPERVISORS, Page("Traslados"), denied=HIDE),
    "transfers:request": Access(SUPERVISORS, Page("Trasladar el caso a otra organización"), denied=HIDE),
    "transfers:detail": Access(SUPERVISORS, Page("Traslado del caso CARE-"), denied=HIDE),
    "transfers:accept": Access(SUPERVISORS, Page("Aceptar el traslado"), denied=HIDE),
    "transfers:decline": Access(SUPERVISORS, Page("Rechazar el traslado"), denied=HIDE),
    "transfers:cancel": Access(SUPERVISORS, Page("Cancelar la solicitud de traslado"), denied=HIDE),
    "transfers:package_export": Access(SUPERVISORS, Page("Trasladar el caso a otro país"), denied=HIDE),
    "transfers:package_import": Access(SUPERVISORS, Page("Importar un paquete de traslado"), denied=HIDE),
    "transfers:transferred_out_list": Access(CASE_ROLES, Page("Casos trasladados a otras organizaciones"), denied=HIDE),
    "transfers:transferred_out": Access(CASE_ROLES, Page("Caso trasladado CARE-"), denied=HIDE),
    "transfers_api:transfer-list": Access(SUPERVISORS, Json(PAGED), denied=HIDE),
    "transfers_api:transfer-detail": Access(SUPERVISORS, Json(keys("case_code", "requested_by", "reason")), denied=HIDE),
    "transfers_api:transfer-accept": Access(SUPERVISORS, Json(keys("errors", "message"), status=400), denied=HIDE),  # the sender may not accept
    "transfers_api:transfer-decline": Access(SUPERVISORS, Json(keys("detail"), status=400), denied=HIDE),
    "transfers_api:transfer-cancel": Access(SUPERVISORS, Json(keys("case_code", "decided_by", "reason")), denied=HIDE),

    # --- activities: the organization's own group and community activities ---------------
    # The example activity is CARE's: the coordinator (of the network's organization) may
    # record activities but not CARE's, so it gets 404 as for another agency's.
    "activities:list": Access(ACTIVITY_RECORDERS, Page("Actividades grupales y comunitarias")),
    "activities:create": Access(ACTIVITY_RECORDERS, Page("Nueva actividad")),
    "activities:detail": Access(ACTIVITY_RECORDERS, Page("Actividad de ejemplo para las rutas"), per_role={COORDINATOR: NOT_FOUND}),
    "activities:edit": Access(ACTIVITY_RECORDERS, Page("Editar actividad"), per_role={COORDINATOR: NOT_FOUND}),
    "activities:import": Access(ACTIVITY_RECORDERS, Page("Importar una planilla de asistencia"), per_role={COORDINATOR: NOT_FOUND}),
    "activities:session_add": Access(ACTIVITY_RECORDERS, Page("Actividad de ejemplo para las rutas", status=400), per_role={COORDINATOR: NOT_FOUND}),
    "activities:session_remove": Access(ACTIVITY_RECORDERS, Redirect("activities:detail"), per_role={COORDINATOR: NOT_FOUND}),
    "activities:counts": Access(ACTIVITY_RECORDERS, Page("Conteo de la sesión"), per_role={COORDINATOR: NOT_FOUND}),
    "activities:attendance": Access(ACTIVITY_RECORDERS, Page("Asistencia"), per_role={COORDINATOR: NOT_FOUND}),
    "activities_api:activity-list": Access(ACTIVITY_RECORDERS, Json(PAGED)),
    "activities_api:activity-detail": Access(ACTIVITY_RECORDERS, Json(keys("uuid", "organization", "activity_type", "sessions")), per_role={COORDINATOR: Json(keys("message"), status=404)}),

    # --- measure: people reached and the R4V 5W (aggregates only) -------------------------
    "measure:reach": Access(REACH_READERS, Page("Población asistida")),
    "measure:fivew": Access(REACH_READERS, Page("5W mensual de R4V")),
    "measure:fivew_download": Access(REACH_READERS, File(CSV)),
    "measure:fivew_months": Access(FIVEW_SUBMITTERS, Page("Enviar el 5W")),
    "measure:fivew_month": Access(FIVEW_SUBMITTERS, Page("5W de marzo de 2026")),
    "measure:fivew_import": Access(FIVEW_SUBMITTERS, Page("Importar una planilla 5W")),
    "measure:fivew_consolidated": Access(FIVEW_CONSOLIDATORS, Page("5W consolidado")),
    "measure:fivew_consolidated_download": Access(FIVEW_CONSOLIDATORS, File(CSV)),
    "reports_api:fivew": Access(REACH_READERS, Json(keys("month", "columns", "organizations"))),
    "reach_api:reach": Access(REACH_READERS, Json(keys("start", "end", "by", "freshness", "rows"))),
    "measure:dashboard": Access(REACH_READERS, Page("Panel de alcance")),
    "measure:dashboard_csv": Access(REACH_READERS, File(CSV)),
    "measure:flows": Access(REACH_READERS, Page("Flujos de derivación")),
    "measure:flows_csv": Access(REACH_READERS, File(CSV)),
    # The public dashboard (on in the route examples; off, it answers 404 to everybody).
    "measure:public": Access(ANYONE, Page("Las cifras de la red")),
    "measure:public_csv": Access(ANYONE, File(CSV)),
    "measure:public_switch": Access(FIVEW_CONSOLIDATORS, Redirect("measure:dashboard")),

    # --- indicators: frameworks, results per period, values entered by hand, projects -----
    "indicators:catalogue": Access(REACH_READERS, Page("Indicadores")),
    "indicators:indicator": Access(REACH_READERS, Page("G.1 Mejor funcionamiento")),
    "indicators:indicator_csv": Access(REACH_READERS, File(CSV)),
    "indicators:indicator_edit": Access(INDICATOR_EDITORS, Page("Editar el indicador G.1")),
    "indicators:indicator_new": Access(INDICATOR_EDITORS, Page("Nuevo elemento del marco")),
    "indicators:package_activity_new": Access(INDICATOR_EDITORS, Page("Nueva actividad del paquete de servicios")),
    "indicators:value_new": Access(PROJECT_MANAGERS, Page("Registrar un valor")),
    "indicators:value_edit": Access(PROJECT_MANAGERS, Page("Cambiar un valor")),
    "indicators:value_delete": Access(PROJECT_MANAGERS, Redirect("indicators:indicator")),
    "indicators:evidence": Access(REACH_READERS, File(PDF)),
    "indicators:projects": Access(REACH_READERS, Page("Proyectos y metas")),
    "indicators:project_new": Access(PROJECT_MANAGERS, Page("Nuevo proyecto")),
    "indicators:project": Access(REACH_READERS, Page("Proyecto de ejemplo para las rutas")),
    "indicators:project_edit": Access(PROJECT_MANAGERS, Page("Editar el proyecto")),
    "indicators:project_csv": Access(REACH_READERS, File(CSV)),
    "indicators:project_indicator_add": Access(PROJECT_MANAGERS, Page("Proyecto de ejemplo para las rutas", status=400)),
    "indicators:targets": Access(PROJECT_MANAGERS, Page("Metas")),
    "indicators:project_indicator_remove": Access(PROJECT_MANAGERS, Redirect("indicators:project")),

    # --- indicators API: the frameworks' indicators, their results, projects (figures only) ---
    "indicators_api:indicator-list": Access(REACH_READERS, Json(PAGED)),
    "indicators_api:indicator-detail": Access(REACH_READERS, Json(keys("framework", "code", "level", "wording_es", "computation"))),
    "indicators_api:indicator-results": Access(REACH_READERS, Json(keys("unit", "granularity", "organization", "periods"))),
    "projects_api:project-list": Access(REACH_READERS, Json(PAGED)),
    "projects_api:project-detail": Access(REACH_READERS, Json(keys("name", "donor", "organization", "indicators"))),

    # --- statistics: GBVIMS tables under the agencies' information sharing protocols -------
    # Role checks inside the views: a role outside the audience gets 404, as if not there.
    "statistics:tables": Access(SIGNED_IN, Page("Estadísticas de VBG"), per_role=_STATS_HIDDEN_FROM_NON_READERS),
    "statistics:isp": Access(SIGNED_IN, Page("Protocolo de intercambio de información"), per_role={r: NOT_FOUND for r in ROLES if r != AGENCY_ADMIN}),
    "statistics:isp_withdraw": Access(SIGNED_IN, Redirect("statistics:isp"), per_role={r: NOT_FOUND for r in ROLES if r != AGENCY_ADMIN}),
    "statistics:signatories": Access(SIGNED_IN, Page("Protocolos de intercambio de información"), per_role={r: NOT_FOUND for r in ROLES if r not in (ADMIN, COORDINATOR)}),
    "statistics:publish": Access(SIGNED_IN, Redirect("statistics:report_detail"), per_role={r: NOT_FOUND for r in ROLES if r != COORDINATOR}),
    "statistics:report_list": Access(ANYONE, Page("Estadísticas de VBG publicadas")),
    "statistics:report_detail": Access(ANYONE, Page("Informe de estadísticas de VBG")),
    "statistics:report_download": Access(ANYONE, File(XLSX)),
    "statistics_api:gbv": Access(SIGNED_IN, Json(keys("period", "threshold", "tables", "audit")), per_role={r: Json(keys("code", "message"), status=404) for r in ROLES if r not in (ANALYST, COORDINATOR)}),

    # --- trainings -------------------------------------------------------------------------
    "trainings:verify": Access(ANYONE, Page("Verificar un certificado de formación")),
    "trainings:verify_code": Access(ANYONE, Page("Verificar un certificado de formación")),
    "trainings:course_list": Access(SIGNED_IN, Page("Formación")),
    "trainings:course_detail": Access(SIGNED_IN, Page("Curso de ejemplo para las rutas")),
    "trainings:my_trainings": Access(SIGNED_IN, Page("Mis formaciones")),
    "trainings:my_certificate_pdf": Access(SIGNED_IN, File(PDF)),
    "trainings:figures": Access(AGGREGATE_READERS, Page("Cifras de formación")),
    "trainings:course_create": Access(NETWORK_LEADS, Page("Nuevo curso")),
    "trainings:course_edit": Access(NETWORK_LEADS, Page("Editar curso")),
    "trainings:course_status": Access(NETWORK_LEADS, Page("Curso de ejemplo para las rutas", status=400)),
    "trainings:manage": Access(NETWORK_LEADS, Page("Curso de ejemplo para las rutas")),
    "trainings:session_add": Access(NETWORK_LEADS, Page("Curso de ejemplo para las rutas", status=400)),
    "trainings:session_remove": Access(NETWORK_LEADS, Page("Curso de ejemplo para las rutas", status=409)),
    "trainings:enrol": Access(NETWORK_LEADS, Page("Curso de ejemplo para las rutas", status=400)),
    "trainings:import": Access(NETWORK_LEADS, Page("Importar participantes")),
    "trainings:grid": Access(NETWORK_LEADS, Page("Asistencia y avance")),
    "trainings:issue": Access(NETWORK_LEADS, Page("Asistencia y avance", status=409)),
    "trainings:issue_all": Access(NETWORK_LEADS, Redirect("trainings:grid")),
    "trainings:revoke": Access(NETWORK_LEADS, Redirect("trainings:grid")),
    "trainings:withdraw": Access(NETWORK_LEADS, Redirect("trainings:grid")),
    "trainings:certificate_pdf": Access(NETWORK_LEADS, File(PDF)),
    "trainings_api:course-list": Access(SIGNED_IN, Json(PAGED)),
    "trainings_api:course-detail": Access(SIGNED_IN, Json(keys("modules", "sessions", "country"))),
    "trainings_api:figures": Access(AGGREGATE_READERS, Json(keys("people_trained", "by_sex", "by_organization"))),
    # --- helpline API: the desk's contacts and call-backs; figures for aggregate readers ---
    "helpline_api:contact-list": Access(HELPLINE_DESK, Json(PAGED), denied=HIDE),
    "helpline_api:contact-detail": Access(HELPLINE_DESK, Json(keys("reference", "needs", "handoffs")), denied=HIDE),
    "helpline_api:callback-list": Access(HELPLINE_DESK, Json(PAGED), denied=HIDE),
    "helpline_api:callback-detail": Access(HELPLINE_DESK, Json(keys("phone", "due_at", "status")), denied=HIDE),
    "helpline_api:contact-close": Access(HELPLINE_DESK, Json(keys("uuid", "reference", "status")), denied=HIDE),
    "helpline_api:callback-finish": Access(HELPLINE_DESK, Json(keys("uuid", "status", "erased")), denied=HIDE),
    "helpline_api:figures": Access(AGGREGATE_READERS, Json(keys("scope", "total", "by_channel"))),
}
# fmt: on
