"""Community of practice: HTML routes under the ``network`` namespace (``/red/``)."""

from __future__ import annotations

from django.urls import path

from ruta.network import views_manage as manage
from ruta.network import views_member as member
from ruta.network import views_public as public

app_name = "network"

urlpatterns = [
    path("", public.network_list_view, name="network_list"),
    path("nueva/", manage.network_create_view, name="network_create"),
    # Meetings
    path("reuniones/", public.meeting_list_view, name="meeting_list"),
    path("reuniones/<uuid:uuid>/", public.meeting_detail_view, name="meeting_detail"),
    path("reuniones/<uuid:uuid>/calendario.ics", public.meeting_ics_view, name="meeting_ics"),
    path(
        "reuniones/<uuid:token>/inscripcion/",
        public.public_registration_view,
        name="public_registration",
    ),
    path("reuniones/<uuid:uuid>/inscribirme/", member.meeting_register_view, name="register"),
    path("reuniones/<uuid:uuid>/editar/", manage.meeting_edit_view, name="meeting_edit"),
    path("reuniones/<uuid:uuid>/asistencia/", manage.checkin_view, name="checkin"),
    path("reuniones/<uuid:uuid>/asistencia/llegada/", manage.walk_in_view, name="walk_in"),
    path(
        "reuniones/<uuid:uuid>/asistencia/importar/",
        manage.attendance_import_view,
        name="attendance_import",
    ),
    path("reuniones/<uuid:uuid>/materiales/", manage.materials_view, name="materials"),
    path("reuniones/<uuid:uuid>/seguimiento/", manage.follow_ups_view, name="follow_ups"),
    path("materiales/<uuid:uuid>/", member.material_download_view, name="material_download"),
    path("materiales/<uuid:uuid>/eliminar/", manage.material_remove_view, name="material_remove"),
    path("seguimiento/<uuid:uuid>/", manage.follow_up_edit_view, name="follow_up_edit"),
    path("miembros/<uuid:uuid>/", member.membership_edit_view, name="membership_edit"),
    # One network
    path("<slug:slug>/", public.network_detail_view, name="network_detail"),
    path("<slug:slug>/editar/", manage.network_edit_view, name="network_edit"),
    path("<slug:slug>/miembros/nuevo/", manage.membership_create_view, name="membership_create"),
    path("<slug:slug>/mi-organizacion/", member.own_membership_view, name="own_membership"),
    path("<slug:slug>/reuniones/nueva/", manage.meeting_create_view, name="meeting_create"),
    path("<slug:slug>/calendario.ics", public.network_feed_view, name="network_feed"),
    path("<slug:slug>/informe/", public.report_view, name="report"),
    path("<slug:slug>/informe.pdf", public.report_pdf_view, name="report_pdf"),
]
