from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from ruta.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz_view, name="healthz"),
    path("i18n/setlang/", core_views.set_language_view, name="set_language"),
    path("api/v1/directory/", include("ruta.directory.api_urls")),
    path("api/v1/cases/", include("ruta.cases.api_urls")),
    path("api/v1/referrals/", include("ruta.referrals.api_urls")),
    path("api/v1/transfers/", include("ruta.transfers.api_urls")),
    path("api/v1/conferences/", include("ruta.conferences.api_urls")),
    path("api/v1/network/", include("ruta.network.api_urls")),
    path("api/v1/practices/", include("ruta.practices.api_urls")),
    path("api/v1/trainings/", include("ruta.trainings.api_urls")),
    path("api/v1/stabilisation/", include("ruta.stabilisation.api_urls")),
    path("api/v1/reports/", include("ruta.measure.api_urls_fivew")),
    path("api/v1/helpline/", include("ruta.helpline.api_urls")),
    path("api/v1/statistics/", include("ruta.statistics.api_urls")),
    path("api/v1/indicators/", include("ruta.indicators.api_urls")),
    path("api/v1/projects/", include("ruta.indicators.api_urls_projects")),
    path("api/v1/", include("ruta.core.api_urls")),
    path("api/hsds/", include("ruta.hsds.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("ruta.core.urls")),
    path("", include("ruta.accounts.urls")),
    path("organizaciones/", include("ruta.agencies.urls")),
    path("auditoria/", include("ruta.audit.urls")),
    path("exportaciones/", include("ruta.exports.urls")),
    path("servicios/", include("ruta.directory.urls_public")),
    path("rutas/", include("ruta.pathways.urls")),
    path("directorio/informes/", include("ruta.directory.urls_reports")),
    path("directorio/importar/", include("ruta.hsds.urls_import")),
    path("directorio/gazetteer/", include("ruta.places.urls")),
    path("directorio/", include("ruta.directory.urls_editor")),
    path("casos/notificaciones/", include("ruta.notifications.urls")),
    path("casos/", include("ruta.cases.urls")),
    path("linea/", include("ruta.helpline.urls")),
    path("estabilizacion/", include("ruta.stabilisation.urls")),
    path("derivaciones/", include("ruta.referrals.urls")),
    path("traslados/", include("ruta.transfers.urls")),
    path("conferencias/", include("ruta.conferences.urls")),
    path("red/", include("ruta.network.urls")),
    path("practicas/", include("ruta.practices.urls")),
    path("formacion/", include("ruta.trainings.urls")),
    path("actividades/", include("ruta.activities.urls")),
    path("alcance/", include("ruta.measure.urls")),
    path("indicadores/", include("ruta.indicators.urls")),
    path("estadisticas/", include("ruta.statistics.urls")),
    prefix_default_language=False,
)
